//! Failure detection judged against the truth: a node declared dead while it was running (false
//! suspicion), and, optionally, a crash that went unnoticed too long.

use super::{seconds, Fact, Facts, Finding, FindingKind};
use crate::sim::{Command, EventId, EventKind, Micros, NodeId};

/// One crash of a node: when, which event, when somebody first declared it dead while it was
/// down, and when it restarted.
struct Crash {
    node: NodeId,
    at: Micros,
    event: EventId,
    noticed: Option<Micros>,
    restarted: Option<Micros>,
}

/// Reports each node declared dead while it was running (once per pair of nodes, and again
/// after the suspect has restarted), and, with `detection_bound_us`, each crash nobody declared
/// within the bound while the node was still down: reported at the moment the bound ran out,
/// once the trace has reached it (a later notice does not undo a slow one).
pub fn detect_false_suspicion(trace: &Facts, detection_bound_us: Option<Micros>) -> Vec<Finding> {
    let n = trace.node_count();
    let mut crashes: Vec<Crash> = Vec::new();
    // The crash each node is down in, if it is down (an index into `crashes`).
    let mut down: Vec<Option<usize>> = vec![None; n];
    let mut findings = Vec::new();
    let mut reported: Vec<(NodeId, NodeId)> = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        match event.kind {
            EventKind::Fault { index: fault } => match *trace.fault(fault) {
                Command::Crash { node } | Command::CrashLosingUnsynced { node }
                    if down[node.index()].is_none() =>
                {
                    down[node.index()] = Some(crashes.len());
                    crashes.push(Crash {
                        node,
                        at: event.time,
                        event: id,
                        noticed: None,
                        restarted: None,
                    });
                }
                Command::Restart { node } => {
                    if let Some(crash) = down[node.index()].take() {
                        crashes[crash].restarted = Some(event.time);
                    }
                    reported.retain(|(_, suspect)| *suspect != node);
                }
                _ => {}
            },
            EventKind::Local { note } => {
                let Some(Fact::Suspected { suspect }) = trace.fact(note) else {
                    continue;
                };
                if let Some(crash) = down[suspect.index()] {
                    let noticed = &mut crashes[crash].noticed;
                    noticed.get_or_insert(event.time);
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
    let Some(bound) = detection_bound_us else {
        return findings;
    };
    // Every event before a crash's deadline is in once the trace has reached it.
    let end = trace.events().last().map_or(0, |e| e.time);
    for crash in crashes {
        let deadline = crash.at.saturating_add(bound);
        let in_time = |at: Option<Micros>| at.is_some_and(|at| at < deadline);
        if end < deadline || in_time(crash.noticed) || in_time(crash.restarted) {
            continue;
        }
        findings.push(Finding {
            kind: FindingKind::LivenessStall,
            time: deadline,
            nodes: vec![crash.node],
            events: vec![crash.event],
            summary: format!(
                "Slow detection: {} crashed at {} and nobody noticed for over {} ms",
                crash.node,
                seconds(crash.at),
                bound / 1_000
            ),
        });
    }
    findings
}
