//! The trace as a ShiViz log (the format GoVector writes and the ShiViz visualizer reads): for
//! every event, a line describing it, then a line with its host and vector clock as JSON.
//! ShiViz's default parser regex is `(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`.
//!
//! Event lines start with the node and a colon, so no event line can be read as a host line.
//! Only process events are written: environment events (faults, drops) belong to no host, and
//! ShiViz requires each host's own clock entry to rise by one per event, which ours do.

use std::fmt::Write;

use crate::sim::{describe, EventId, Names, NodeId, Words};

/// Hosts are the nodes' letters; event lines say what happened in words, naming nodes by `names`.
pub fn shiviz_log(words: &dyn Words, names: &Names) -> String {
    let trace = words.skeleton();
    let mut out = String::new();
    for (index, event) in trace.events().iter().enumerate() {
        if !event.process {
            continue;
        }
        let text = describe(words, event.kind, names).replace(['\n', '\r'], " ");
        let clock = trace.vector_clock(EventId(index as u32));
        let entries: Vec<String> = clock
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count > 0)
            .map(|(node, count)| format!("\"{}\":{count}", NodeId(node as u8)))
            .collect();
        // The event line starts "A: …" so it can never look like a host line ("A {…}").
        let _ = writeln!(
            out,
            "{}: {text} @{}.{:03} ms\n{} {{{}}}",
            event.node,
            event.time / 1_000,
            event.time % 1_000,
            event.node,
            entries.join(",")
        );
    }
    out
}
