//! Split brain: two nodes act as leader and accept writes during overlapping true time.

use super::{seconds, Fact, Finding, FindingKind, Observed};
use crate::sim::{EventId, EventKind, Micros, NodeId, Role, Trace};

/// One stretch of a node believing it leads: from its role event to the one ending it.
#[derive(Clone, Debug)]
struct Reign {
    node: NodeId,
    start: Micros,
    end: Micros,
    start_event: EventId,
    /// Writes it accepted while leading: (time, event).
    accepted: Vec<(Micros, EventId)>,
}

fn reigns<M: Observed>(trace: &Trace<M>) -> Vec<Reign> {
    let mut open: Vec<Option<Reign>> = vec![None; trace.node_count()];
    let mut done = Vec::new();
    let end_of_trace = trace.events().last().map_or(0, |e| e.time);
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
                    end: Micros::MAX,
                    start_event: id,
                    accepted: Vec::new(),
                });
            }
            EventKind::Role {
                role: Role::Leader,
                active: false,
            } => {
                if let Some(mut reign) = slot.take() {
                    reign.end = event.time;
                    done.push(reign);
                }
            }
            // A crash ends a reign: the node no longer acts at all.
            EventKind::Fault { index: fault } if trace.fault(fault).crashes().is_some() => {
                if let Some(mut reign) = slot.take() {
                    reign.end = event.time;
                    done.push(reign);
                }
            }
            EventKind::Local { note } | EventKind::ClientReply { note, .. } => {
                if let (Some(reign), Some(Fact::WriteAccepted { .. })) =
                    (slot.as_mut(), M::fact(trace.note(note)))
                {
                    reign.accepted.push((event.time, id));
                }
            }
            _ => {}
        }
    }
    done.extend(open.into_iter().flatten().map(|mut reign| {
        reign.end = reign.end.min(end_of_trace.saturating_add(1));
        reign
    }));
    done.sort_by_key(|r| (r.start, r.node));
    done
}

/// Reports each pair of reigns that overlap in true time while both leaders accept writes.
pub fn detect_split_brain<M: Observed>(trace: &Trace<M>) -> Vec<Finding> {
    let reigns = reigns(trace);
    let mut findings = Vec::new();
    for (i, first) in reigns.iter().enumerate() {
        for second in &reigns[i + 1..] {
            if first.node == second.node {
                continue;
            }
            let (from, to) = (first.start.max(second.start), first.end.min(second.end));
            if from >= to {
                continue;
            }
            let inside = |reign: &Reign| {
                reign
                    .accepted
                    .iter()
                    .find(|(t, _)| (from..to).contains(t))
                    .copied()
            };
            if let (Some(a), Some(b)) = (inside(first), inside(second)) {
                let mut events = vec![first.start_event, second.start_event, a.1, b.1];
                events.sort();
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
