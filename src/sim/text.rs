//! Events in words, and a compact text rendering of a whole trace. Golden files in
//! `tests/golden/` are [`render_text`], compared exactly: they read like the narration.

use std::fmt::Write;

use super::ids::NodeId;
use super::trace::{EventKind, Trace};
use super::words::{self, Describe, Names};

/// The event in a sentence, from the node's point of view: "sends heartbeat, term 1 to B",
/// "lease granted to C, token 33".
pub fn describe<M: Describe>(
    model: &M,
    trace: &Trace<M>,
    kind: EventKind,
    names: &Names,
) -> String {
    let n = |node: NodeId| names.of(node).into_owned();
    match kind {
        EventKind::Start => "starts".to_string(),
        EventKind::Send { msg } => {
            let record = trace.message(msg);
            format!(
                "sends \u{201c}{}\u{201d} to {}",
                model.message(&record.payload, names),
                n(record.to)
            )
        }
        EventKind::Deliver { msg } => {
            let record = trace.message(msg);
            format!(
                "receives \u{201c}{}\u{201d} from {}",
                model.message(&record.payload, names),
                n(record.from)
            )
        }
        EventKind::Timer { index } => model.timer(trace.timer_value(index), names),
        EventKind::Local { note } => model.note(trace.note(note), names),
        EventKind::ClientRequest { request } => {
            format!(
                "a client asks: {}",
                model.client_op(&trace.request(request).op, names)
            )
        }
        EventKind::ClientReply { note, .. } => {
            format!(
                "answers the client: {}",
                model.note(trace.note(note), names)
            )
        }
        EventKind::Role { role, active } => words::role(role, active),
        EventKind::Fault { index } => fault(model, trace, index, names),
        EventKind::Drop { msg, reason } => {
            let record = trace.message(msg);
            format!(
                "\u{201c}{}\u{201d} from {} {}",
                model.message(&record.payload, names),
                n(record.from),
                words::drop_reason(reason)
            )
        }
        EventKind::Duplicate { msg, .. } => {
            let record = trace.message(msg);
            format!(
                "the network delivers \u{201c}{}\u{201d} to {} twice",
                model.message(&record.payload, names),
                n(record.to)
            )
        }
    }
}

/// A short label for the event on the timeline: the message for a send or delivery (the arrow
/// says who to whom), the note, timer or fault otherwise.
pub fn label<M: Describe>(model: &M, trace: &Trace<M>, kind: EventKind, names: &Names) -> String {
    match kind {
        EventKind::Send { msg } | EventKind::Deliver { msg } | EventKind::Duplicate { msg, .. } => {
            model.message(&trace.message(msg).payload, names)
        }
        EventKind::Drop { reason, .. } => words::drop_reason(reason).to_string(),
        EventKind::ClientRequest { request } => {
            format!(
                "client: {}",
                model.client_op(&trace.request(request).op, names)
            )
        }
        EventKind::ClientReply { note, .. } => {
            format!("→ client: {}", model.note(trace.note(note), names))
        }
        _ => describe(model, trace, kind, names),
    }
}

/// A fault event in words.
pub fn fault<M: Describe>(model: &M, trace: &Trace<M>, index: u32, names: &Names) -> String {
    words::fault(trace.fault(index), names, |op| model.client_op(op, names))
}

/// The whole trace as text: a line naming the nodes, then one line per event: the true time
/// in ms, the node's letter indented to its column, and the event in words.
pub fn render_text<M: Describe>(model: &M, trace: &Trace<M>, names: &Names) -> String {
    let nodes: Vec<String> = (0..trace.node_count())
        .map(|node| names.full(NodeId(node as u8)))
        .collect();
    let mut out = format!("nodes: {}\n", nodes.join(", "));
    for event in trace.events() {
        let _ = writeln!(
            out,
            "{:>5}.{:03} {}{} {}",
            event.time / 1_000,
            event.time % 1_000,
            "  ".repeat(event.node.index()),
            event.node.name(),
            describe(model, trace, event.kind, names)
        );
    }
    out
}
