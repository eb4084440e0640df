//! Failure detection judged against the truth: a node declared dead while it was running (false
//! suspicion), and, optionally, a crash that went unnoticed too long.

use super::{seconds, Fact, Finding, FindingKind, Observed};
use crate::sim::{Command, EventId, EventKind, Micros, NodeId, Trace};

pub fn detect_false_suspicion<M: Observed>(
    trace: &Trace<M>,
    detection_bound_us: Option<Micros>,
) -> Vec<Finding> {
    let n = trace.node_count();
    // When each node crashed (if it is down), and whether each crash was noticed.
    let mut crashed_at: Vec<Option<(Micros, EventId)>> = vec![None; n];
    let mut noticed: Vec<bool> = vec![false; n];
    let mut findings = Vec::new();
    let mut reported: Vec<(NodeId, NodeId)> = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        match event.kind {
            EventKind::Fault { index: fault } => match *trace.fault(fault) {
                Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                    crashed_at[node.index()] = Some((event.time, id));
                    noticed[node.index()] = false;
                }
                Command::Restart { node } => {
                    findings.extend(unnoticed_crash(
                        node.index(),
                        event.time,
                        detection_bound_us,
                        crashed_at[node.index()],
                        noticed[node.index()],
                    ));
                    crashed_at[node.index()] = None;
                    reported.retain(|(_, suspect)| *suspect != node);
                }
                _ => {}
            },
            EventKind::Local { note } => {
                let Some(Fact::Suspected { suspect }) = M::fact(trace.note(note)) else {
                    continue;
                };
                if crashed_at[suspect.index()].is_some() {
                    noticed[suspect.index()] = true;
                    continue;
                }
                if reported.contains(&(event.node, suspect)) {
                    continue;
                }
                reported.push((event.node, suspect));
                findings.push(Finding {
                    kind: FindingKind::FalseSuspicion,
                    time: event.time,
                    nodes: vec![event.node, suspect],
                    events: vec![id],
                    summary: format!(
                        "False suspicion: {} declared {suspect} dead at {}, but {suspect} was running",
                        event.node,
                        seconds(event.time)
                    ),
                });
            }
            _ => {}
        }
    }
    let end = trace.events().last().map_or(0, |e| e.time);
    for node in 0..n {
        findings.extend(unnoticed_crash(
            node,
            end,
            detection_bound_us,
            crashed_at[node],
            noticed[node],
        ));
    }
    findings
}

/// A crash nobody had noticed by `until`, later than the bound allows.
fn unnoticed_crash(
    node: usize,
    until: Micros,
    bound_us: Option<Micros>,
    crashed: Option<(Micros, EventId)>,
    noticed: bool,
) -> Option<Finding> {
    let (bound, (at, crash)) = (bound_us?, crashed?);
    if noticed || until.saturating_sub(at) <= bound {
        return None;
    }
    let node = NodeId(node as u8);
    Some(Finding {
        kind: FindingKind::LivenessStall,
        time: at + bound,
        nodes: vec![node],
        events: vec![crash],
        summary: format!(
            "Slow detection: {node} crashed at {} and nobody noticed for over {} ms",
            seconds(at),
            bound / 1_000
        ),
    })
}
