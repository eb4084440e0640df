//! A compact text rendering of a trace: one column per node, one line per event, time in ms.
//! Golden files in `tests/golden/` are this rendering, compared exactly.

use std::fmt::Write;

use super::command::Command;
use super::model::Model;
use super::trace::{EventKind, Trace};
use crate::render::units::{signed_duration, signed_ppm};

const COLUMN: usize = 24;

/// Describes one event in a few words.
pub fn describe<M: Model>(trace: &Trace<M>, kind: EventKind) -> String {
    match kind {
        EventKind::Start => "start".to_string(),
        EventKind::Send { msg } => {
            let record = trace.message(msg);
            format!("→{} {:?}", record.to, record.payload)
        }
        EventKind::Deliver { msg } => {
            let record = trace.message(msg);
            format!("←{} {:?}", record.from, record.payload)
        }
        EventKind::Timer { index } => format!("⏰{:?}", trace.timer_value(index)),
        EventKind::Local { note } => format!("{:?}", trace.note(note)),
        EventKind::ClientRequest { request } => format!("client {:?}", trace.request(request).op),
        EventKind::ClientReply { note, .. } => format!("reply {:?}", trace.note(note)),
        EventKind::Role { role, active } => format!("{}{role:?}", if active { "+" } else { "-" }),
        EventKind::Fault { index } => format!("!{}", fault_label(trace.fault(index))),
        EventKind::Drop { msg, reason } => format!("✗#{} {reason:?}", msg.0),
        EventKind::Duplicate { msg, copy } => format!("⧉#{}→#{}", msg.0, copy.0),
    }
}

fn fault_label<Op: std::fmt::Debug>(command: &Command<Op>) -> String {
    match command {
        Command::Partition { groups } => {
            let groups: Vec<String> = groups
                .iter()
                .map(|g| g.iter().map(|n| n.name()).collect())
                .collect();
            format!("partition {}", groups.join("|"))
        }
        Command::CutLink { from, to } => format!("cut {from}→{to}"),
        Command::HealLink { from, to } => format!("heal {from}→{to}"),
        Command::CutBoth { a, b } => format!("cut {a}↔{b}"),
        Command::HealBoth { a, b } => format!("heal {a}↔{b}"),
        // Clock amounts in the units people read (`−1.0 s`, `+250 ms`, `+100 ppm`).
        Command::NtpStep { delta_us, .. } => format!("NTP step {}", signed_duration(*delta_us)),
        Command::SetClockOffset { offset_us, .. } => {
            format!("offset {}", signed_duration(*offset_us))
        }
        Command::SetDrift { drift_ppm, .. } => format!("drift {}", signed_ppm(*drift_ppm)),
        other => {
            let text = format!("{other:?}");
            text.split([' ', '{']).next().unwrap_or("").to_string()
        }
    }
}

/// The whole trace as text: a header of node names, then one line per event.
pub fn render_text<M: Model>(trace: &Trace<M>) -> String {
    let nodes = trace.node_count();
    let mut out = String::new();
    let _ = write!(out, "{:>9} ", "ms");
    for node in 0..nodes {
        let _ = write!(out, "{:<COLUMN$}", char::from(b'A' + node as u8));
    }
    out.push('\n');
    for event in trace.events() {
        let column = event.node.index();
        let text: String = describe(trace, event.kind)
            .chars()
            .take(COLUMN - 1)
            .collect();
        let _ = write!(
            out,
            "{:>5}.{:03} {}{}",
            event.time / 1_000,
            event.time % 1_000,
            " ".repeat(COLUMN * column),
            text
        );
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}
