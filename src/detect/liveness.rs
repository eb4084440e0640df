//! Liveness stalls: client requests not served (unanswered, or refused) within a bound.

use std::collections::BTreeMap;

use super::{seconds, Fact, Facts, Finding, FindingKind};
use crate::sim::words::duration;
use crate::sim::{EventId, EventKind, Micros, NodeId, RequestId};

/// Reports every client request that got no successful answer within `bound_us`: refused
/// within the bound (reported at the refusal), or still without a successful answer when the
/// bound ran out (reported at that moment, once the trace has reached it). Each request is
/// judged once, by whichever happens first, in words that stay true: an answer that comes
/// later does not undo a request left waiting past the bound.
pub fn detect_stalls(trace: &Facts, bound_us: Micros) -> Vec<Finding> {
    let end = trace.events().last().map_or(0, |e| e.time);
    // Each request asked, when, and the first answer it got (ok or not, when, which event).
    let mut asked: Vec<(RequestId, NodeId, EventId, Micros)> = Vec::new();
    let mut first_answer: BTreeMap<RequestId, (bool, Micros, EventId)> = BTreeMap::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        match event.kind {
            EventKind::ClientRequest { request } => {
                asked.push((request, event.node, id, event.time))
            }
            EventKind::ClientReply { request, note } => {
                let ok = match trace.fact(note) {
                    Some(Fact::Answered { ok }) => ok,
                    Some(Fact::WriteAcked { .. }) => true,
                    _ => continue,
                };
                first_answer.entry(request).or_insert((ok, event.time, id));
            }
            _ => {}
        }
    }
    let mut findings = Vec::new();
    for (request, node, asked_event, asked_at) in asked {
        let deadline = asked_at.saturating_add(bound_us);
        let asked_at_text = seconds(asked_at);
        let answer = first_answer
            .get(&request)
            .filter(|&&(_, at, _)| at < deadline);
        let (time, events, summary) = match answer {
            Some(&(true, _, _)) => continue,
            Some(&(false, at, reply)) => (
                at,
                vec![asked_event, reply],
                format!("A write to {node} at {asked_at_text} was refused"),
            ),
            // Every event before the deadline is in: none answered it in time.
            None if end >= deadline => (
                deadline,
                vec![asked_event],
                format!(
                    "A write to {node} at {asked_at_text} got no successful answer within {}",
                    duration(bound_us)
                ),
            ),
            None => continue,
        };
        findings.push(Finding {
            kind: FindingKind::LivenessStall,
            time,
            nodes: vec![node],
            events,
            summary,
        });
    }
    findings
}
