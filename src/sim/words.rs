//! How a run reads to people: every model describes its messages, timers, client operations,
//! notes and state in plain words through [`Describe`], never through `Debug`. The hover card,
//! the inspector, messages in flight, the canvas's arrow labels, the exports and the golden traces
//! all read from here, and `tests/plain_words.rs` fails on any Rust syntax in what they produce.

use std::borrow::Cow;

use super::command::Command;
use super::ids::{Micros, NodeId};
use super::model::{Model, Role};
use super::trace::DropReason;
use super::units::{signed_duration, signed_ppm};

/// The nodes' names: a scenario may name them by role ("Lock service", "US"); unnamed nodes go
/// by their letter. The letter stays the short form (lifeline headers show both).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    names: Vec<String>,
}

impl Names {
    /// Names for the first nodes; empty or missing names leave a node its letter.
    pub fn new(names: Vec<String>) -> Names {
        Names { names }
    }

    /// Every node by its letter.
    pub fn letters() -> Names {
        Names::default()
    }

    /// The node's name, or its letter when it has none.
    pub fn of(&self, node: NodeId) -> Cow<'_, str> {
        match self.names.get(node.index()) {
            Some(name) if !name.is_empty() => Cow::Borrowed(name),
            _ => Cow::Owned(node.name().to_string()),
        }
    }

    /// The node's name with its letter unless the name already ends in it: "Storage (B)",
    /// "Client C", or "B".
    pub fn full(&self, node: NodeId) -> String {
        let letter = node.name();
        match self.names.get(node.index()) {
            Some(name) if !name.is_empty() => {
                let says_letter = name
                    .strip_suffix(letter)
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with(' '));
                if says_letter {
                    name.clone()
                } else {
                    format!("{name} ({letter})")
                }
            }
            _ => letter.to_string(),
        }
    }
}

/// One labelled row of a node's state in the inspector ("Highest token seen", "34").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub label: &'static str,
    pub value: String,
}

/// A row, for models building their state tables.
pub fn row(label: &'static str, value: impl Into<String>) -> Row {
    Row {
        label,
        value: value.into(),
    }
}

/// The bit of a set of message kinds (a `u64`) that stands for kind `kind`, its place in
/// [`Describe::MESSAGE_KINDS`] (kinds past 63 share the last bit). The timeline's filter and a
/// scenario's quiet kinds both speak in these bits.
pub fn kind_bit(kind: usize) -> u64 {
    1 << kind.min(63)
}

/// What a model says about its data, in plain words with the values that matter. Texts are
/// short enough to label an arrow: the sender and receiver are said by the picture (and by
/// [`crate::sim::describe`], which wraps these in a sentence).
pub trait Describe: Model {
    /// The kinds of message this model sends, in plain words ("heartbeat", "vote"): the legend
    /// lists them so people can hide or dim one kind.
    const MESSAGE_KINDS: &'static [&'static str];

    /// A message: "heartbeat, term 1", "lease granted, token 33".
    fn message(&self, msg: &Self::Msg, names: &Names) -> String;

    /// A timer going off: "election timeout".
    fn timer(&self, timer: &Self::Timer, names: &Names) -> String;

    /// What a client asks for: "write x = 2", "book 12A for Alice".
    fn client_op(&self, op: &Self::ClientOp, names: &Names) -> String;

    /// A local step or a reply: "write with token 33 refused: storage has seen 34".
    fn note(&self, note: &Self::Note, names: &Names) -> String;

    /// What `node` holds in memory, as labelled rows.
    fn memory(&self, node: NodeId, state: &Self::Volatile, names: &Names) -> Vec<Row>;

    /// What `node` keeps on disk, as labelled rows (none for a model that keeps nothing).
    fn disk(&self, node: NodeId, state: &Self::Durable, names: &Names) -> Vec<Row>;

    /// `node`'s state in a few words, for the row under the lanes at "now": its value of the
    /// story's key and its role ("x = 2", "leader, term 2", "holds token 33"), or nothing
    /// worth a line. `memory` is `None` while the node is down and its memory is lost.
    fn headline(
        &self,
        node: NodeId,
        memory: Option<&Self::Volatile>,
        disk: &Self::Durable,
        names: &Names,
    ) -> String;
}

/// A duration for people: "40 µs", "5.9 ms", "250 ms", "1.5 s", "2 min 5 s".
pub fn duration(us: Micros) -> String {
    match us {
        0..=999 => format!("{us} µs"),
        1_000..=9_999 => trimmed(us as f64 / 1_000.0, 1, "ms"),
        10_000..=999_999 => format!("{} ms", (us + 500) / 1_000),
        1_000_000..=119_999_999 => trimmed(us as f64 / 1_000_000.0, 3, "s"),
        _ => {
            let seconds = (us + 500_000) / 1_000_000;
            match seconds % 60 {
                0 => format!("{} min", seconds / 60),
                s => format!("{} min {s} s", seconds / 60),
            }
        }
    }
}

/// `value` with at most `places` decimals, trailing zeros dropped: "1.5 s", "2 s".
fn trimmed(value: f64, places: usize, unit: &str) -> String {
    let text = format!("{value:.places$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text} {unit}")
}

/// A node's wall-clock reading as seconds since the run's start: "42.004 s" (negative clocks
/// read "−0.500 s").
pub fn clock_reading(us: i64) -> String {
    let sign = if us < 0 { "\u{2212}" } else { "" };
    let us = us.unsigned_abs();
    format!("{sign}{}.{:03} s", us / 1_000_000, us % 1_000_000 / 1_000)
}

/// A fault in a few words: "C paused (GC)", "link A→C cut", "clock of B stepped back 6 s"; a
/// client request carries its operation already in words.
pub fn fault(command: &Command<String>, names: &Names) -> String {
    let n = |node: &NodeId| names.of(*node).into_owned();
    match command {
        Command::CutLink { from, to } => format!("link {}→{} cut", n(from), n(to)),
        Command::HealLink { from, to } => format!("link {}→{} healed", n(from), n(to)),
        Command::CutBoth { a, b } => format!("links {}↔{} cut", n(a), n(b)),
        Command::HealBoth { a, b } => format!("links {}↔{} healed", n(a), n(b)),
        Command::Partition { groups } => {
            let groups: Vec<String> = groups
                .iter()
                .map(|group| group.iter().map(n).collect::<Vec<_>>().join(", "))
                .collect();
            format!("network split: {}", groups.join(" | "))
        }
        Command::HealAll => "every link healed".to_string(),
        Command::SetLink { from, to, config } => {
            let loss = (config.loss * 100.0).round();
            let lossy = if loss > 0.0 {
                format!(", {loss}% lost")
            } else {
                String::new()
            };
            format!(
                "link {}→{} now takes {}{lossy}",
                n(from),
                n(to),
                duration(config.latency_us)
            )
        }
        Command::Pause { node } => format!("{} paused (GC)", n(node)),
        Command::Resume { node } => format!("{} resumed", n(node)),
        Command::Crash { node } => format!("{} crashed", n(node)),
        Command::CrashLosingUnsynced { node } => {
            format!("{} crashed, losing unsynced writes", n(node))
        }
        Command::Restart { node } => format!("{} restarted", n(node)),
        Command::Flood { node, duration_us } => format!(
            "outside traffic floods the link into {}: {} of it",
            n(node),
            duration(*duration_us)
        ),
        Command::SetClockOffset { node, offset_us } => format!(
            "clock of {} set {} off true time",
            n(node),
            signed_duration(*offset_us)
        ),
        Command::SetDrift { node, drift_ppm } => {
            format!("clock of {} drifts {}", n(node), signed_ppm(*drift_ppm))
        }
        Command::NtpStep { node, delta_us } => format!(
            "NTP steps the clock of {} {} {}",
            n(node),
            if *delta_us < 0 { "back" } else { "forward" },
            duration(delta_us.unsigned_abs())
        ),
        Command::SetUncertainty {
            node,
            uncertainty_us,
        } => format!(
            "clock uncertainty of {} set to ±{}",
            n(node),
            duration(*uncertainty_us)
        ),
        Command::DropMessage { msg } => format!("message {} dropped by hand", msg.0),
        Command::DuplicateMessage { msg } => format!("message {} duplicated by hand", msg.0),
        Command::Client { node, op } => format!("client asks {}: {op}", n(node)),
    }
}

/// Why a message died, in words.
pub fn drop_reason(reason: DropReason) -> &'static str {
    match reason {
        DropReason::Lost => "lost in the network",
        DropReason::LinkDown => "dropped: the link was cut",
        DropReason::NodeCrashed => "dropped: the receiver had crashed",
        DropReason::ByCommand => "dropped by hand",
    }
}

/// A role taken or dropped: "becomes leader", "no longer leader".
pub fn role(role: Role, active: bool) -> String {
    let name = match role {
        Role::Follower => "follower",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
        Role::LeaseHolder => "lease holder",
    };
    if active {
        format!("becomes {name}")
    } else {
        format!("no longer {name}")
    }
}

/// "yes" or "no".
pub fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// A value that may be absent: its words, or `none`.
pub fn or_none<T>(value: Option<T>, words: impl FnOnce(T) -> String, none: &str) -> String {
    value.map_or_else(|| none.to_string(), words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_unit_that_fits() {
        assert_eq!(duration(0), "0 µs");
        assert_eq!(duration(40), "40 µs");
        assert_eq!(duration(5_853), "5.9 ms");
        assert_eq!(duration(5_000), "5 ms");
        assert_eq!(duration(250_400), "250 ms");
        assert_eq!(duration(1_500_000), "1.5 s");
        assert_eq!(duration(42_004_000), "42.004 s");
        assert_eq!(duration(60_000_000), "60 s");
        assert_eq!(duration(125_000_000), "2 min 5 s");
        assert_eq!(duration(180_000_000), "3 min");
    }

    #[test]
    fn clock_readings_use_a_real_minus_sign() {
        assert_eq!(clock_reading(42_004_100), "42.004 s");
        assert_eq!(clock_reading(-500_000), "\u{2212}0.500 s");
    }

    #[test]
    fn faults_name_nodes_by_their_names() {
        let names = Names::new(vec!["US".into(), String::new(), "Asia".into()]);
        let words = |c: Command<String>| fault(&c, &names);
        assert_eq!(
            words(Command::Pause { node: NodeId(2) }),
            "Asia paused (GC)"
        );
        assert_eq!(
            words(Command::CutLink {
                from: NodeId(0),
                to: NodeId(1)
            }),
            "link US→B cut"
        );
        assert_eq!(
            words(Command::NtpStep {
                node: NodeId(1),
                delta_us: -6_000_000
            }),
            "NTP steps the clock of B back 6 s"
        );
        assert_eq!(names.full(NodeId(0)), "US (A)");
        assert_eq!(names.full(NodeId(1)), "B");
        let clients = Names::new(vec!["Server".into(), "Client B".into()]);
        assert_eq!(clients.full(NodeId(1)), "Client B");
        assert_eq!(clients.full(NodeId(0)), "Server (A)");
    }
}
