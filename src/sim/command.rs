//! The fault vocabulary the UI speaks, and its validation. Every command is checked before it
//! touches anything: an invalid one returns a [`CommandError`] and leaves the run unchanged.

use serde::{Deserialize, Serialize};

use super::clock::{MAX_DRIFT_PPM, MAX_OFFSET_US, MAX_UNCERTAINTY_US};
use super::ids::{Micros, MsgId, NodeId};
use super::network::{LinkConfig, MAX_LATENCY_US};

/// Something the user (or a scenario script) does to the cluster.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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

    /// The same fault with no client-operation type; `None` for a client request.
    pub fn without_op(self) -> Option<Command<()>> {
        self.map_op(|_| None)
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
        }
    }
}
