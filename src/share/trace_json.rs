//! The trace as JSON, for study in other tools: every event with its node, true time, the
//! node's clock readings, Lamport timestamp, vector clock and a description. Versioned like run
//! files; the run it came from travels with it so the trace can be reproduced.

use serde::Serialize;

use super::SharedRun;
use crate::detect::Finding;
use crate::sim::{describe, EventId, EventKind, Micros, Names, NodeId, Words};

/// The `format` field of a trace file.
pub const TRACE_FORMAT: &str = "faultline-trace";
pub const TRACE_VERSION: u32 = 1;

#[derive(Serialize)]
struct TraceFile<'a> {
    format: &'static str,
    version: u32,
    /// The run that produced this trace (open it as a run file to replay it).
    run: &'a SharedRun,
    nodes: Vec<String>,
    /// What the scenario calls each node, in `nodes` order (its letter when it has no name).
    node_names: Vec<String>,
    events: Vec<Event>,
    /// What the detectors found, by true time (ties by event order).
    findings: Vec<FoundAt>,
}

#[derive(Serialize)]
struct FoundAt {
    kind: &'static str,
    time_us: Micros,
    nodes: Vec<String>,
    /// The ids of the events that show it, in `events`.
    events: Vec<u32>,
    summary: String,
}

#[derive(Serialize)]
struct Event {
    id: u32,
    /// The node it happened on (for environment events, the node it concerns).
    node: String,
    /// False for environment events (a message lost, a link cut), which belong to no process.
    process: bool,
    time_us: Micros,
    /// The node's wall clock at that instant (µs since its epoch).
    time_of_day_us: i64,
    monotonic_us: u64,
    lamport: u32,
    /// One counter per node, in `nodes` order.
    vector_clock: Vec<u32>,
    kind: EventKind,
    description: String,
}

/// The trace as pretty JSON.
pub fn trace_json(
    words: &dyn Words,
    names: &Names,
    run: &SharedRun,
    findings: &[Finding],
) -> String {
    let trace = words.skeleton();
    let nodes = trace.node_count() as u8;
    let events = trace
        .events()
        .iter()
        .enumerate()
        .map(|(index, event)| Event {
            id: index as u32,
            node: event.node.to_string(),
            process: event.process,
            time_us: event.time,
            time_of_day_us: event.time_of_day,
            monotonic_us: event.monotonic,
            lamport: event.lamport,
            vector_clock: trace.vector_clock(EventId(index as u32)).to_vec(),
            kind: event.kind,
            description: describe(words, event.kind, names),
        })
        .collect();
    let file = TraceFile {
        format: TRACE_FORMAT,
        version: TRACE_VERSION,
        run,
        nodes: (0..nodes).map(|n| NodeId(n).to_string()).collect(),
        node_names: (0..nodes)
            .map(|n| names.of(NodeId(n)).into_owned())
            .collect(),
        events,
        findings: findings
            .iter()
            .map(|finding| FoundAt {
                kind: finding.kind.label(),
                time_us: finding.time,
                nodes: finding.nodes.iter().map(NodeId::to_string).collect(),
                events: finding.events.iter().map(|e| e.0).collect(),
                summary: finding.summary.clone(),
            })
            .collect(),
    };
    super::pretty_json(&file)
}

/// [`trace_json`] of a live session: its trace, names and findings so far.
pub fn session_trace_json(live: &crate::live::Session, run: &SharedRun) -> String {
    trace_json(live.words(), live.names(), run, &live.findings())
}
