//! The fault vocabulary the UI speaks, and its validation. Every command is checked before it
//! touches anything: an invalid one returns a [`CommandError`] and leaves the run unchanged.

use serde::de::{DeserializeOwned, Error as _, Unexpected};
use serde::Serialize;
use serde_json::{Map, Value};

use super::clock::{MAX_DRIFT_PPM, MAX_OFFSET_US, MAX_UNCERTAINTY_US};
use super::ids::{Micros, MsgId, NodeId};
use super::network::{LinkConfig, MAX_LATENCY_US};

/// Something the user (or a scenario script) does to the cluster. On the wire, an object whose
/// `kind` names the variant in snake case (`{"kind": "cut_link", "from": 0, "to": 1}`); it is
/// read by [`Command::from_json`] and written by its `Serialize` (below).
#[derive(Clone, Debug, PartialEq, Hash)]
pub enum Command<Op> {
    CutLink {
        from: NodeId,
        to: NodeId,
    },
    HealLink {
        from: NodeId,
        to: NodeId,
    },
    /// Cuts both directions between two nodes.
    CutBoth {
        a: NodeId,
        b: NodeId,
    },
    HealBoth {
        a: NodeId,
        b: NodeId,
    },
    /// Links between different groups go down, links within a group come up. Nodes not listed
    /// form a group of their own together.
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    HealAll,
    SetLink {
        from: NodeId,
        to: NodeId,
        config: LinkConfig,
    },
    Pause {
        node: NodeId,
    },
    Resume {
        node: NodeId,
    },
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    SetClockOffset {
        node: NodeId,
        offset_us: i64,
    },
    SetDrift {
        node: NodeId,
        drift_ppm: i32,
    },
    /// NTP steps the node's wall clock by `delta_us`, forward or back.
    NtpStep {
        node: NodeId,
        delta_us: i64,
    },
    SetUncertainty {
        node: NodeId,
        uncertainty_us: u64,
    },
    DropMessage {
        msg: MsgId,
    },
    DuplicateMessage {
        msg: MsgId,
    },
    /// A client asks `node` to perform an operation.
    Client {
        node: NodeId,
        op: Op,
    },
    /// The node crashes as a power cut crashes it: what it held in memory is lost, and so is
    /// every disk write it had not yet synced (still in the operating system's cache). Last in
    /// the list so the other commands keep their place in trace fingerprints.
    CrashLosingUnsynced {
        node: NodeId,
    },
    /// Traffic from outside the cluster floods the node's incoming link: `duration_us` of
    /// transmission the link must work through first. Messages arriving meanwhile wait behind
    /// it, unless they travel on a circuit reserved for them ([`crate::sim::Model::circuit_share`]).
    Flood {
        node: NodeId,
        duration_us: Micros,
    },
}

impl<Op> Command<Op> {
    /// The same command with its client operation mapped by `op`; `None` if `op` refuses it.
    /// Faults carry no operation, so they always map.
    pub fn map_op<Other>(self, op: impl FnOnce(Op) -> Option<Other>) -> Option<Command<Other>> {
        Some(match self {
            Command::Client { node, op: value } => Command::Client {
                node,
                op: op(value)?,
            },
            Command::CutLink { from, to } => Command::CutLink { from, to },
            Command::HealLink { from, to } => Command::HealLink { from, to },
            Command::CutBoth { a, b } => Command::CutBoth { a, b },
            Command::HealBoth { a, b } => Command::HealBoth { a, b },
            Command::Partition { groups } => Command::Partition { groups },
            Command::HealAll => Command::HealAll,
            Command::SetLink { from, to, config } => Command::SetLink { from, to, config },
            Command::Pause { node } => Command::Pause { node },
            Command::Resume { node } => Command::Resume { node },
            Command::Crash { node } => Command::Crash { node },
            Command::CrashLosingUnsynced { node } => Command::CrashLosingUnsynced { node },
            Command::Flood { node, duration_us } => Command::Flood { node, duration_us },
            Command::Restart { node } => Command::Restart { node },
            Command::SetClockOffset { node, offset_us } => {
                Command::SetClockOffset { node, offset_us }
            }
            Command::SetDrift { node, drift_ppm } => Command::SetDrift { node, drift_ppm },
            Command::NtpStep { node, delta_us } => Command::NtpStep { node, delta_us },
            Command::SetUncertainty {
                node,
                uncertainty_us,
            } => Command::SetUncertainty {
                node,
                uncertainty_us,
            },
            Command::DropMessage { msg } => Command::DropMessage { msg },
            Command::DuplicateMessage { msg } => Command::DuplicateMessage { msg },
        })
    }

    /// The node this command crashes, whether or not it loses unsynced writes.
    pub fn crashes(&self) -> Option<NodeId> {
        match self {
            Command::Crash { node } | Command::CrashLosingUnsynced { node } => Some(*node),
            _ => None,
        }
    }

    /// The same fault with no client-operation type; `None` for a client request.
    pub fn without_op(self) -> Option<Command<()>> {
        self.map_op(|_| None)
    }
}

/// A command's fields but a client's operation, borrowed, as its JSON says them. Serializing a
/// command goes through this one type, so each fault's fields are written by code compiled once,
/// not once per model's operation type (a derive on [`Command`] was: 18 KB of the wasm). The
/// JSON is the derive's, `kind` first (`tests::every_command_is_written_as_before`).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", rename = "Command")]
enum Fields<'a> {
    CutLink {
        from: NodeId,
        to: NodeId,
    },
    HealLink {
        from: NodeId,
        to: NodeId,
    },
    CutBoth {
        a: NodeId,
        b: NodeId,
    },
    HealBoth {
        a: NodeId,
        b: NodeId,
    },
    Partition {
        groups: &'a [Vec<NodeId>],
    },
    HealAll,
    SetLink {
        from: NodeId,
        to: NodeId,
        config: &'a LinkConfig,
    },
    Pause {
        node: NodeId,
    },
    Resume {
        node: NodeId,
    },
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    SetClockOffset {
        node: NodeId,
        offset_us: i64,
    },
    SetDrift {
        node: NodeId,
        drift_ppm: i32,
    },
    NtpStep {
        node: NodeId,
        delta_us: i64,
    },
    SetUncertainty {
        node: NodeId,
        uncertainty_us: u64,
    },
    DropMessage {
        msg: MsgId,
    },
    DuplicateMessage {
        msg: MsgId,
    },
    CrashLosingUnsynced {
        node: NodeId,
    },
    Flood {
        node: NodeId,
        duration_us: Micros,
    },
}

impl<Op> Command<Op> {
    /// The fault's fields, or a client request's node and operation.
    fn fields(&self) -> Result<Fields<'_>, (NodeId, &Op)> {
        Ok(match *self {
            Command::Client { node, ref op } => return Err((node, op)),
            Command::CutLink { from, to } => Fields::CutLink { from, to },
            Command::HealLink { from, to } => Fields::HealLink { from, to },
            Command::CutBoth { a, b } => Fields::CutBoth { a, b },
            Command::HealBoth { a, b } => Fields::HealBoth { a, b },
            Command::Partition { ref groups } => Fields::Partition { groups },
            Command::HealAll => Fields::HealAll,
            Command::SetLink {
                from,
                to,
                ref config,
            } => Fields::SetLink { from, to, config },
            Command::Pause { node } => Fields::Pause { node },
            Command::Resume { node } => Fields::Resume { node },
            Command::Crash { node } => Fields::Crash { node },
            Command::Restart { node } => Fields::Restart { node },
            Command::SetClockOffset { node, offset_us } => {
                Fields::SetClockOffset { node, offset_us }
            }
            Command::SetDrift { node, drift_ppm } => Fields::SetDrift { node, drift_ppm },
            Command::NtpStep { node, delta_us } => Fields::NtpStep { node, delta_us },
            Command::SetUncertainty {
                node,
                uncertainty_us,
            } => Fields::SetUncertainty {
                node,
                uncertainty_us,
            },
            Command::DropMessage { msg } => Fields::DropMessage { msg },
            Command::DuplicateMessage { msg } => Fields::DuplicateMessage { msg },
            Command::CrashLosingUnsynced { node } => Fields::CrashLosingUnsynced { node },
            Command::Flood { node, duration_us } => Fields::Flood { node, duration_us },
        })
    }
}

/// As `#[serde(tag = "kind", rename_all = "snake_case")]` on [`Command`] would write it.
impl<Op: Serialize> Serialize for Command<Op> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match self.fields() {
            Ok(fields) => fields.serialize(serializer),
            Err((node, op)) => {
                let mut state = serializer.serialize_struct("Command", 3)?;
                state.serialize_field("kind", "client")?;
                state.serialize_field("node", &node)?;
                state.serialize_field("op", op)?;
                state.end()
            }
        }
    }
}

/// Every `kind` a command may have, as [`Command::from_json`] reads them.
pub const COMMAND_KINDS: &[&str] = &[
    "cut_link",
    "heal_link",
    "cut_both",
    "heal_both",
    "partition",
    "heal_all",
    "set_link",
    "pause",
    "resume",
    "crash",
    "restart",
    "set_clock_offset",
    "set_drift",
    "ntp_step",
    "set_uncertainty",
    "drop_message",
    "duplicate_message",
    "client",
    "crash_losing_unsynced",
    "flood",
];

/// `error`, said of field `name` first ("node: invalid value: …"): decoders written by hand read
/// each field through a JSON value, which knows no path, so they name the field themselves and
/// the path continues through them (see `share::refusal`). `inside` marks a field whose value
/// is an object or a list (`params.*: …`): the error is at it or somewhere within, which a JSON
/// value cannot tell. One function for every type read.
pub fn in_field(name: &str, inside: bool, error: serde_json::Error) -> serde_json::Error {
    let mark = if inside { ".*" } else { "" };
    serde_json::Error::custom(format_args!("{name}{mark}: {error}"))
}

/// Reads `value`, field `name`'s JSON, as a `T`; an error names the field (see [`in_field`]).
pub fn from_field<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, serde_json::Error> {
    let inside = value.is_object() || value.is_array();
    serde_json::from_value(value).map_err(|error| in_field(name, inside, error))
}

/// Takes field `name` out of a command's object and reads it as a `T` (see [`from_field`]).
fn field<T: DeserializeOwned>(
    object: &mut Map<String, Value>,
    name: &'static str,
) -> Result<T, serde_json::Error> {
    let value = object
        .remove(name)
        .ok_or_else(|| serde_json::Error::missing_field(name))?;
    from_field(name, value)
}

impl Command<Value> {
    /// Reads a command from its JSON form, its client operation (if any) left as JSON for the
    /// model to read. Errors read as serde's ("missing field `from`", "unknown variant
    /// `explode`, expected one of …"); unknown fields are ignored. Written by hand: the derived
    /// decoder of an internally tagged enum this size cost ~50 KB of the wasm bundle.
    pub fn from_json(value: Value) -> Result<Command<Value>, serde_json::Error> {
        let mut object = match value {
            Value::Object(object) => object,
            other => {
                let unexpected = match &other {
                    Value::Null => Unexpected::Unit,
                    Value::Bool(b) => Unexpected::Bool(*b),
                    Value::Number(_) => Unexpected::Other("a number"),
                    Value::String(s) => Unexpected::Str(s),
                    _ => Unexpected::Seq,
                };
                return Err(serde_json::Error::invalid_type(unexpected, &"a command"));
            }
        };
        let kind: String = field(&mut object, "kind")?;
        let o = &mut object;
        Ok(match kind.as_str() {
            "cut_link" => Command::CutLink {
                from: field(o, "from")?,
                to: field(o, "to")?,
            },
            "heal_link" => Command::HealLink {
                from: field(o, "from")?,
                to: field(o, "to")?,
            },
            "cut_both" => Command::CutBoth {
                a: field(o, "a")?,
                b: field(o, "b")?,
            },
            "heal_both" => Command::HealBoth {
                a: field(o, "a")?,
                b: field(o, "b")?,
            },
            "partition" => Command::Partition {
                groups: field(o, "groups")?,
            },
            "heal_all" => Command::HealAll,
            "set_link" => Command::SetLink {
                from: field(o, "from")?,
                to: field(o, "to")?,
                config: field(o, "config")?,
            },
            "pause" => Command::Pause {
                node: field(o, "node")?,
            },
            "resume" => Command::Resume {
                node: field(o, "node")?,
            },
            "crash" => Command::Crash {
                node: field(o, "node")?,
            },
            "crash_losing_unsynced" => Command::CrashLosingUnsynced {
                node: field(o, "node")?,
            },
            "flood" => Command::Flood {
                node: field(o, "node")?,
                duration_us: field(o, "duration_us")?,
            },
            "restart" => Command::Restart {
                node: field(o, "node")?,
            },
            "set_clock_offset" => Command::SetClockOffset {
                node: field(o, "node")?,
                offset_us: field(o, "offset_us")?,
            },
            "set_drift" => Command::SetDrift {
                node: field(o, "node")?,
                drift_ppm: field(o, "drift_ppm")?,
            },
            "ntp_step" => Command::NtpStep {
                node: field(o, "node")?,
                delta_us: field(o, "delta_us")?,
            },
            "set_uncertainty" => Command::SetUncertainty {
                node: field(o, "node")?,
                uncertainty_us: field(o, "uncertainty_us")?,
            },
            "drop_message" => Command::DropMessage {
                msg: field(o, "msg")?,
            },
            "duplicate_message" => Command::DuplicateMessage {
                msg: field(o, "msg")?,
            },
            "client" => Command::Client {
                node: field(o, "node")?,
                op: field(o, "op")?,
            },
            other => {
                let error = serde_json::Error::unknown_variant(other, COMMAND_KINDS);
                return Err(in_field("kind", false, error));
            }
        })
    }
}

impl Command<()> {
    /// The same fault for a model whose client operations are `Op`; `None` for a client request,
    /// which only the model's own type can carry. Lets the UI speak faults to any model.
    pub fn for_model<Op>(self) -> Option<Command<Op>> {
        self.map_op(|()| None)
    }
}

/// Why a command or configuration was refused. The run is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    UnknownNode {
        node: u8,
        nodes: u8,
    },
    SelfLink {
        node: NodeId,
    },
    NotFinite {
        field: &'static str,
    },
    OutOfRange {
        field: &'static str,
        value: String,
        min: String,
        max: String,
    },
    UnknownMessage {
        msg: MsgId,
    },
    /// The command makes no sense in the node's current status (e.g. resuming a running node).
    WrongStatus {
        node: NodeId,
        action: &'static str,
        status: &'static str,
    },
    TooManyNodes {
        requested: usize,
        max: usize,
    },
    NodeListedTwice {
        node: NodeId,
    },
    /// A cluster configures the same direction of a link twice.
    LinkSetTwice {
        from: NodeId,
        to: NodeId,
    },
    /// A client request offered where only faults are accepted.
    NotAFault,
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::UnknownNode { node, nodes } => {
                write!(
                    f,
                    "there is no node #{node}: this cluster has {nodes} nodes"
                )
            }
            CommandError::SelfLink { node } => write!(f, "node {node} has no link to itself"),
            CommandError::NotFinite { field } => write!(f, "{field} must be a finite number"),
            CommandError::OutOfRange {
                field,
                value,
                min,
                max,
            } => {
                write!(f, "{field} is {value}; it must be from {min} to {max}")
            }
            CommandError::UnknownMessage { msg } => {
                write!(f, "message #{} is not in flight", msg.0)
            }
            CommandError::WrongStatus {
                node,
                action,
                status,
            } => {
                write!(f, "cannot {action} node {node}: it is {status}")
            }
            CommandError::TooManyNodes { requested, max } => {
                write!(
                    f,
                    "{requested} nodes requested; a cluster has 1 to {max} nodes"
                )
            }
            CommandError::NodeListedTwice { node } => {
                write!(f, "node {node} is in more than one partition group")
            }
            CommandError::LinkSetTwice { from, to } => {
                write!(f, "the link {from}→{to} is configured twice")
            }
            CommandError::NotAFault => {
                write!(
                    f,
                    "client requests come from the scenario, not the fault controls"
                )
            }
        }
    }
}

impl std::error::Error for CommandError {}

pub(crate) fn check_node(node: NodeId, nodes: u8) -> Result<(), CommandError> {
    if node.0 < nodes {
        Ok(())
    } else {
        Err(CommandError::UnknownNode {
            node: node.0,
            nodes,
        })
    }
}

fn check_pair(from: NodeId, to: NodeId, nodes: u8) -> Result<(), CommandError> {
    check_node(from, nodes)?;
    check_node(to, nodes)?;
    if from == to {
        return Err(CommandError::SelfLink { node: from });
    }
    Ok(())
}

fn check_range<T: PartialOrd + ToString>(
    field: &'static str,
    value: T,
    min: T,
    max: T,
) -> Result<(), CommandError> {
    if value < min || value > max {
        return Err(CommandError::OutOfRange {
            field,
            value: value.to_string(),
            min: min.to_string(),
            max: max.to_string(),
        });
    }
    Ok(())
}

fn check_probability(field: &'static str, p: f64) -> Result<(), CommandError> {
    if !p.is_finite() {
        return Err(CommandError::NotFinite { field });
    }
    check_range(field, p, 0.0, 1.0)
}

pub(crate) fn check_link_config(config: &LinkConfig) -> Result<(), CommandError> {
    check_range("latency (µs)", config.latency_us, 0, MAX_LATENCY_US)?;
    check_range("jitter (µs)", config.jitter_us, 0, MAX_LATENCY_US)?;
    check_probability("loss probability", config.loss)?;
    check_probability("duplication probability", config.duplication)
}

/// The longest flood one command may pour onto a link: a minute of transmission.
pub const MAX_FLOOD_US: Micros = 60_000_000;

pub(crate) fn check_offset(field: &'static str, offset_us: i64) -> Result<(), CommandError> {
    check_range(field, offset_us, -MAX_OFFSET_US, MAX_OFFSET_US)
}

pub(crate) fn check_drift(drift_ppm: i32) -> Result<(), CommandError> {
    check_range("drift (ppm)", drift_ppm, -MAX_DRIFT_PPM, MAX_DRIFT_PPM)
}

pub(crate) fn check_uncertainty(uncertainty_us: Micros) -> Result<(), CommandError> {
    check_range("uncertainty (µs)", uncertainty_us, 0, MAX_UNCERTAINTY_US)
}

impl<Op> Command<Op> {
    /// Checks everything that does not depend on the run's current state.
    pub fn validate_shape(&self, nodes: u8) -> Result<(), CommandError> {
        match self {
            Command::CutLink { from, to }
            | Command::HealLink { from, to }
            | Command::CutBoth { a: from, b: to }
            | Command::HealBoth { a: from, b: to } => check_pair(*from, *to, nodes),
            Command::SetLink { from, to, config } => {
                check_pair(*from, *to, nodes)?;
                check_link_config(config)
            }
            Command::Partition { groups } => {
                let mut seen = [false; super::ids::MAX_NODES];
                for &node in groups.iter().flatten() {
                    check_node(node, nodes)?;
                    if std::mem::replace(&mut seen[node.index()], true) {
                        return Err(CommandError::NodeListedTwice { node });
                    }
                }
                Ok(())
            }
            Command::HealAll | Command::DropMessage { .. } | Command::DuplicateMessage { .. } => {
                Ok(())
            }
            Command::Pause { node }
            | Command::Resume { node }
            | Command::Crash { node }
            | Command::CrashLosingUnsynced { node }
            | Command::Restart { node }
            | Command::Client { node, .. } => check_node(*node, nodes),
            Command::SetClockOffset { node, offset_us } => {
                check_node(*node, nodes)?;
                check_offset("clock offset (µs)", *offset_us)
            }
            Command::NtpStep { node, delta_us } => {
                check_node(*node, nodes)?;
                check_offset("NTP step (µs)", *delta_us)
            }
            Command::SetDrift { node, drift_ppm } => {
                check_node(*node, nodes)?;
                check_drift(*drift_ppm)
            }
            Command::SetUncertainty {
                node,
                uncertainty_us,
            } => {
                check_node(*node, nodes)?;
                check_uncertainty(*uncertainty_us)
            }
            Command::Flood { node, duration_us } => {
                check_node(*node, nodes)?;
                check_range("flood (µs)", *duration_us, 1_000, MAX_FLOOD_US)
            }
        }
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    fn every_command() -> Vec<Command<Value>> {
        let (a, b) = (NodeId(0), NodeId(2));
        vec![
            Command::CutLink { from: a, to: b },
            Command::HealLink { from: b, to: a },
            Command::CutBoth { a, b },
            Command::HealBoth { a, b },
            Command::Partition {
                groups: vec![vec![a], vec![b, NodeId(1)]],
            },
            Command::HealAll,
            Command::SetLink {
                from: a,
                to: b,
                config: LinkConfig {
                    latency_us: 1_500,
                    jitter_us: 7,
                    loss: 0.25,
                    duplication: 0.125,
                },
            },
            Command::Pause { node: a },
            Command::Resume { node: a },
            Command::Crash { node: b },
            Command::CrashLosingUnsynced { node: a },
            Command::Flood {
                node: b,
                duration_us: 300_000,
            },
            Command::Restart { node: b },
            Command::SetClockOffset {
                node: a,
                offset_us: -42,
            },
            Command::SetDrift {
                node: a,
                drift_ppm: 100,
            },
            Command::NtpStep {
                node: b,
                delta_us: -1_000_000,
            },
            Command::SetUncertainty {
                node: b,
                uncertainty_us: 7_000,
            },
            Command::DropMessage { msg: MsgId(3) },
            Command::DuplicateMessage { msg: MsgId(4) },
            Command::Client {
                node: a,
                op: serde_json::json!({"write": 5}),
            },
        ]
    }

    #[test]
    fn every_command_reads_back_as_written() {
        let commands = every_command();
        assert_eq!(commands.len(), COMMAND_KINDS.len(), "one of each kind");
        for command in commands {
            let json = serde_json::to_value(&command).unwrap();
            assert_eq!(Command::from_json(json.clone()).unwrap(), command, "{json}");
        }
    }

    #[test]
    fn a_wrong_command_is_refused_in_serde_s_words_after_its_field() {
        let refused = |json: &str| {
            Command::from_json(serde_json::from_str(json).unwrap())
                .unwrap_err()
                .to_string()
        };
        assert!(refused(r#"{"kind":"explode"}"#)
            .starts_with("kind: unknown variant `explode`, expected one of `cut_link`"));
        assert_eq!(refused(r#"{"from":0,"to":1}"#), "missing field `kind`");
        assert_eq!(
            refused(r#"{"kind":"cut_link","from":0}"#),
            "missing field `to`"
        );
        assert!(refused(r#"{"kind":"pause","node":-1}"#)
            .starts_with("node: invalid value: integer `-1`"));
        assert!(refused(r#"[1,2]"#).contains("expected a command"));
        // Unknown fields are ignored, as before.
        assert_eq!(
            Command::from_json(serde_json::json!({"kind": "heal_all", "note": "x"})).unwrap(),
            Command::HealAll
        );
    }

    #[test]
    fn every_command_is_written_as_before() {
        // What `#[derive(Serialize)]` with `tag = "kind"` wrote, before `Fields`.
        let written: Vec<String> = every_command()
            .iter()
            .map(|command| serde_json::to_string(command).unwrap())
            .collect();
        assert_eq!(
            written,
            [
                r#"{"kind":"cut_link","from":0,"to":2}"#,
                r#"{"kind":"heal_link","from":2,"to":0}"#,
                r#"{"kind":"cut_both","a":0,"b":2}"#,
                r#"{"kind":"heal_both","a":0,"b":2}"#,
                r#"{"kind":"partition","groups":[[0],[2,1]]}"#,
                r#"{"kind":"heal_all"}"#,
                r#"{"kind":"set_link","from":0,"to":2,"config":{"latency_us":1500,"jitter_us":7,"loss":0.25,"duplication":0.125}}"#,
                r#"{"kind":"pause","node":0}"#,
                r#"{"kind":"resume","node":0}"#,
                r#"{"kind":"crash","node":2}"#,
                r#"{"kind":"crash_losing_unsynced","node":0}"#,
                r#"{"kind":"flood","node":2,"duration_us":300000}"#,
                r#"{"kind":"restart","node":2}"#,
                r#"{"kind":"set_clock_offset","node":0,"offset_us":-42}"#,
                r#"{"kind":"set_drift","node":0,"drift_ppm":100}"#,
                r#"{"kind":"ntp_step","node":2,"delta_us":-1000000}"#,
                r#"{"kind":"set_uncertainty","node":2,"uncertainty_us":7000}"#,
                r#"{"kind":"drop_message","msg":3}"#,
                r#"{"kind":"duplicate_message","msg":4}"#,
                r#"{"kind":"client","node":0,"op":{"write":5}}"#,
            ]
        );
        // An operation of a model's own type, as the models' are.
        #[derive(Serialize)]
        enum ClientOp {
            Write { value: u32 },
        }
        let write = Command::Client {
            node: NodeId(2),
            op: ClientOp::Write { value: 7 },
        };
        assert_eq!(
            serde_json::to_string(&write).unwrap(),
            r#"{"kind":"client","node":2,"op":{"Write":{"value":7}}}"#
        );
    }
}
