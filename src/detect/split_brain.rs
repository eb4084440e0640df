//! Split brain: two nodes act as leader and accept writes during overlapping true time.

use super::{seconds, Fact, Facts, Finding, FindingKind};
use crate::sim::{EventId, EventKind, Micros, NodeId, Role};

/// One stretch of a node believing it leads: from its role event to the one ending it (none
/// while it still leads). Stretches are compared by event order, not by true time, so events
/// at the same microsecond (a write, then a crash) count in the order they happened, and a
/// stretch still open is open, not cut at the end of the trace.
#[derive(Clone, Debug)]
struct Reign {
    node: NodeId,
    start: Micros,
    end: Option<EventId>,
    start_event: EventId,
    /// Writes it accepted while leading: (time, event).
    accepted: Vec<(Micros, EventId)>,
}

fn reigns(trace: &Facts) -> Vec<Reign> {
    let mut open: Vec<Option<Reign>> = vec![None; trace.node_count()];
    let mut done = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let slot = &mut open[event.node.index()];
        match event.kind {
            EventKind::Role {
                role: Role::Leader,
                active: true,
            } if slot.is_none() => {
                *slot = Some(Reign {
                    node: event.node,
                    start: event.time,
                    end: None,
                    start_event: id,
                    accepted: Vec::new(),
                });
            }
            EventKind::Role {
                role: Role::Leader,
                active: false,
            } => {
                if let Some(mut reign) = slot.take() {
                    reign.end = Some(id);
                    done.push(reign);
                }
            }
            // A crash ends a reign: the node no longer acts at all.
            EventKind::Fault { index: fault } if trace.fault(fault).crashes().is_some() => {
                if let Some(mut reign) = slot.take() {
                    reign.end = Some(id);
                    done.push(reign);
                }
            }
            EventKind::Local { note } | EventKind::ClientReply { note, .. } => {
                if let (Some(reign), Some(Fact::WriteAccepted { .. })) =
                    (slot.as_mut(), trace.fact(note))
                {
                    reign.accepted.push((event.time, id));
                }
            }
            _ => {}
        }
    }
    done.extend(open.into_iter().flatten());
    crate::sim::sort::sort_by_key(&mut done, |r| (r.start, r.node));
    done
}

/// Reports each pair of reigns that overlap while both leaders accept writes: each accepted a
/// write while the other was leading too. Reported at the later of the two writes.
pub fn detect_split_brain(trace: &Facts) -> Vec<Finding> {
    let reigns = reigns(trace);
    let mut findings = Vec::new();
    for (i, first) in reigns.iter().enumerate() {
        for second in &reigns[i + 1..] {
            if first.node == second.node {
                continue;
            }
            // Both lead after the later start and before the earlier end, in event order.
            let from = first.start_event.max(second.start_event);
            let to = match (first.end, second.end) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let inside = |reign: &Reign| {
                reign
                    .accepted
                    .iter()
                    .find(|(_, e)| *e > from && to.is_none_or(|to| *e < to))
                    .copied()
            };
            if let (Some(a), Some(b)) = (inside(first), inside(second)) {
                let mut events = vec![first.start_event, second.start_event, a.1, b.1];
                crate::sim::sort::sort(&mut events);
                findings.push(Finding {
                    kind: FindingKind::SplitBrain,
                    time: a.0.max(b.0),
                    nodes: vec![first.node, second.node],
                    events,
                    summary: format!(
                        "Split brain: {} and {} both lead and accept writes from {}",
                        first.node,
                        second.node,
                        seconds(a.0.max(b.0))
                    ),
                });
            }
        }
    }
    findings
}
