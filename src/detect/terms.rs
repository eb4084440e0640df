//! Two leaders in one term: each term may elect at most one leader (Raft's election safety).
//! Two majorities of the same cluster share a node, so a second leader in a term means some
//! node voted twice in it: it forgot its first vote.

use super::{seconds, Fact, Facts, Finding, FindingKind};
use crate::sim::{EventId, EventKind, NodeId};

/// Reports each node elected leader of a term another node already won.
pub fn detect_two_leaders_in_a_term(trace: &Facts) -> Vec<Finding> {
    // The first winner of each term seen so far: (term, node, event, time).
    let mut winners: Vec<(u64, NodeId, EventId, u64)> = Vec::new();
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let EventKind::Local { note } = event.kind else {
            continue;
        };
        let Some(Fact::LeaderElected { term }) = trace.fact(note) else {
            continue;
        };
        let id = EventId(index as u32);
        match winners.iter().find(|w| w.0 == term) {
            Some(&(_, first, first_event, first_time)) if first != event.node => {
                findings.push(Finding {
                    kind: FindingKind::TwoLeadersInOneTerm,
                    time: event.time,
                    nodes: vec![first, event.node],
                    events: vec![first_event, id],
                    summary: format!(
                        "Two leaders in term {term}: {first} won it at {}, and {} won it again \
                         at {}. Two majorities share a node, so some node voted twice in the \
                         same term",
                        seconds(first_time),
                        event.node,
                        seconds(event.time)
                    ),
                });
            }
            Some(_) => {}
            None => winners.push((term, event.node, id, event.time)),
        }
    }
    findings
}
