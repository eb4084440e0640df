//! Events in words, and a compact text rendering of a whole trace. Golden files in
//! `tests/golden/` are [`render_text`], compared exactly: they read like the narration.
//!
//! Everything here is model-free: it reads the [`Skeleton`] and asks [`Words`] (one small
//! implementation per model, on [`Simulation`]) only for what a payload says.

use std::fmt::Write;

use super::engine::Simulation;
use super::ids::{MsgId, NodeId, RequestId};
use super::trace::{EventKind, Skeleton};
use super::words::{self, Describe, Names};

/// A run's payloads in words: the only things model-free code (labels, the inspector, the
/// exports) must ask a model. Indices are the ones [`EventKind`] carries.
pub trait Words {
    /// The model-free trace the words are about.
    fn skeleton(&self) -> &Skeleton;
    /// The model's kinds of message in plain words, in legend order ([`crate::sim::Model::message_kind`]).
    fn message_kinds(&self) -> &'static [&'static str];
    /// What message `msg` carries: "heartbeat, term 1".
    fn message(&self, msg: MsgId, names: &Names) -> String;
    fn timer(&self, index: u32, names: &Names) -> String;
    fn note(&self, index: u32, names: &Names) -> String;
    /// What a client asked for: "write x = 2".
    fn request(&self, request: RequestId, names: &Names) -> String;
    /// A fault that took effect: "link A→C cut".
    fn fault(&self, index: u32, names: &Names) -> String;
}

impl<M: Describe> Words for Simulation<M> {
    fn skeleton(&self) -> &Skeleton {
        self.trace().skeleton()
    }

    fn message_kinds(&self) -> &'static [&'static str] {
        M::MESSAGE_KINDS
    }

    fn message(&self, msg: MsgId, names: &Names) -> String {
        self.model().message(self.trace().payload(msg), names)
    }

    fn timer(&self, index: u32, names: &Names) -> String {
        self.model().timer(self.trace().timer_value(index), names)
    }

    fn note(&self, index: u32, names: &Names) -> String {
        self.model().note(self.trace().note(index), names)
    }

    fn request(&self, request: RequestId, names: &Names) -> String {
        self.model()
            .client_op(&self.trace().request(request).op, names)
    }

    fn fault(&self, index: u32, names: &Names) -> String {
        fault_words(self.trace().skeleton(), index, names)
    }
}

/// Fault `index` in words. A fault carries no client operation (a request is recorded as one,
/// not as a fault), so the model-free copy in the skeleton says it all.
fn fault_words(trace: &Skeleton, index: u32, names: &Names) -> String {
    let command = trace.fault(index).clone().for_model::<String>();
    command.map_or_else(String::new, |command| words::fault(&command, names))
}

/// The event in a sentence, from the node's point of view: "sends heartbeat, term 1 to B",
/// "lease granted to C, token 33".
pub fn describe(words: &dyn Words, kind: EventKind, names: &Names) -> String {
    let trace = words.skeleton();
    let n = |node: NodeId| names.of(node).into_owned();
    match kind {
        EventKind::Start => "starts".to_string(),
        EventKind::Send { msg } => format!(
            "sends \u{201c}{}\u{201d} to {}",
            words.message(msg, names),
            n(trace.message(msg).to)
        ),
        EventKind::Deliver { msg } => format!(
            "receives \u{201c}{}\u{201d} from {}",
            words.message(msg, names),
            n(trace.message(msg).from)
        ),
        EventKind::Timer { index } => words.timer(index, names),
        EventKind::Local { note } => words.note(note, names),
        EventKind::ClientRequest { request } => {
            format!("a client asks: {}", words.request(request, names))
        }
        EventKind::ClientReply { note, .. } => {
            format!("answers the client: {}", words.note(note, names))
        }
        EventKind::Role { role, active } => words::role(role, active),
        EventKind::Fault { index } => words.fault(index, names),
        EventKind::Drop { msg, reason } => format!(
            "\u{201c}{}\u{201d} from {} {}",
            words.message(msg, names),
            n(trace.message(msg).from),
            words::drop_reason(reason)
        ),
        EventKind::Duplicate { msg, .. } => format!(
            "the network delivers \u{201c}{}\u{201d} to {} twice",
            words.message(msg, names),
            n(trace.message(msg).to)
        ),
    }
}

/// A short label for the event on the timeline: the message for a send or delivery (the arrow
/// says who to whom), the note, timer or fault otherwise.
pub fn label(words: &dyn Words, kind: EventKind, names: &Names) -> String {
    match kind {
        EventKind::Send { msg } | EventKind::Deliver { msg } | EventKind::Duplicate { msg, .. } => {
            words.message(msg, names)
        }
        EventKind::Drop { reason, .. } => words::drop_reason(reason).to_string(),
        EventKind::ClientRequest { request } => {
            format!("client: {}", words.request(request, names))
        }
        EventKind::ClientReply { note, .. } => format!("→ client: {}", words.note(note, names)),
        _ => describe(words, kind, names),
    }
}

/// The whole trace as text: a line naming the nodes, then one line per event: the true time
/// in ms, the node's letter indented to its column, and the event in words.
pub fn render_text(words: &dyn Words, names: &Names) -> String {
    let trace = words.skeleton();
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
            describe(words, event.kind, names)
        );
    }
    out
}
