//! Liveness stalls: client requests not served (unanswered, or refused) within a bound.

use std::collections::BTreeMap;

use super::{seconds, Fact, Finding, FindingKind, Observed};
use crate::sim::{EventId, EventKind, Micros, Trace};

/// Reports every client request that got no successful answer within `bound_us`, judged at the
/// end of the trace (requests younger than the bound are still waiting, not stalled).
pub fn detect_stalls<M: Observed>(trace: &Trace<M>, bound_us: Micros) -> Vec<Finding> {
    let end = trace.events().last().map_or(0, |e| e.time);
    let mut asked: Vec<(EventId, Micros)> = Vec::new();
    let mut served = BTreeMap::new();
    for (index, event) in trace.events().iter().enumerate() {
        match event.kind {
            EventKind::ClientRequest { .. } => asked.push((EventId(index as u32), event.time)),
            EventKind::ClientReply { request, note } => {
                let ok = match M::fact(trace.note(note)) {
                    Some(Fact::Answered { ok }) => ok,
                    Some(Fact::WriteAcked { .. }) => true,
                    _ => continue,
                };
                served.insert(request, (ok, event.time, EventId(index as u32)));
            }
            _ => {}
        }
    }
    let mut findings = Vec::new();
    for (asked_event, asked_at) in asked {
        let EventKind::ClientRequest { request } = trace.event(asked_event).kind else {
            continue;
        };
        let node = trace.request(request).node;
        let asked_at_text = seconds(asked_at);
        let (stalled, events, summary) = match served.get(&request) {
            Some(&(true, at, _)) if at - asked_at <= bound_us => continue,
            Some(&(true, at, reply)) => (
                at - asked_at,
                vec![asked_event, reply],
                format!(
                    "A write to {node} at {asked_at_text} was answered only after {} ms",
                    (at - asked_at) / 1_000
                ),
            ),
            Some(&(false, at, reply)) => (
                at - asked_at,
                vec![asked_event, reply],
                format!("A write to {node} at {asked_at_text} was refused"),
            ),
            None if end - asked_at > bound_us => (
                end - asked_at,
                vec![asked_event],
                format!(
                    "A write to {node} at {asked_at_text} got no answer for {} ms",
                    (end - asked_at) / 1_000
                ),
            ),
            None => continue,
        };
        findings.push(Finding {
            kind: FindingKind::LivenessStall,
            time: asked_at + bound_us.min(stalled),
            nodes: vec![node],
            events,
            summary,
        });
    }
    findings
}
