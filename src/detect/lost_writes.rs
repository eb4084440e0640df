//! Acknowledged writes lost, and concurrent writes kept as siblings.

use super::{seconds, Fact, Facts, Finding, FindingKind, KeyWords};
use crate::sim::{EventId, EventKind, NodeId};

/// Reports each acknowledged write that a replica threw away in favour of a write that had not
/// seen it (a causally later or concurrent write losing to a clock), and each time version
/// vectors kept two concurrent values side by side; keys and values in the model's `words`.
pub fn detect_lost_writes(trace: &Facts, words: &dyn KeyWords) -> Vec<Finding> {
    // The event acknowledging each write, by (key, writer, value).
    let mut acked: Vec<((u8, NodeId, u32), EventId)> = Vec::new();
    let mut findings = Vec::new();
    let mut reported: Vec<(u8, NodeId, u32)> = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let (EventKind::Local { note } | EventKind::ClientReply { note, .. }) = event.kind else {
            continue;
        };
        match trace.fact(note) {
            Some(Fact::WriteAcked { key, value, writer }) => acked.push(((key, writer, value), id)),
            Some(Fact::WriteDiscarded { key, lost, kept }) => {
                let find = |(writer, value): (NodeId, u32)| {
                    acked
                        .iter()
                        .find(|(w, _)| *w == (key, writer, value))
                        .map(|(_, e)| *e)
                };
                let (Some(lost_ack), Some(kept_ack)) = (find(lost), find(kept)) else {
                    continue;
                };
                // Overwriting is fine when the winner had seen the loser.
                if trace.happened_before(lost_ack, kept_ack)
                    || reported.contains(&(key, lost.0, lost.1))
                {
                    continue;
                }
                reported.push((key, lost.0, lost.1));
                let order = if trace.happened_before(kept_ack, lost_ack) {
                    "a write it came after"
                } else {
                    "a concurrent write"
                };
                let mut events = vec![lost_ack, kept_ack, id];
                crate::sim::sort::sort(&mut events);
                findings.push(Finding {
                    kind: FindingKind::AckedWriteLost,
                    time: event.time,
                    nodes: vec![lost.0, event.node],
                    events,
                    summary: format!(
                        "Acknowledged write lost: {}'s {} was discarded by {} at {} in favour \
                         of {order}, {}'s {}",
                        lost.0,
                        words.assignment(key, lost.1),
                        event.node,
                        seconds(event.time),
                        kept.0,
                        words.assignment(key, kept.1)
                    ),
                });
            }
            Some(Fact::ConcurrentValues { key, a, b }) => {
                findings.push(Finding {
                    kind: FindingKind::ConcurrentWrites,
                    time: event.time,
                    nodes: vec![a.0, b.0],
                    events: vec![id],
                    summary: format!(
                        "Concurrent writes kept as siblings at {} ({}): {}'s {} and {}'s {}",
                        event.node,
                        seconds(event.time),
                        a.0,
                        words.assignment(key, a.1),
                        b.0,
                        words.assignment(key, b.1)
                    ),
                });
            }
            _ => {}
        }
    }
    findings
}
