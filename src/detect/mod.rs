//! Detectors: read a finished (or running) trace and report what went wrong, naming the events
//! involved and the true time. Models translate their notes into [`Fact`]s, so one detector serves
//! every model that reports the same kind of thing.

mod client_server;
mod fencing;
mod liveness;
mod lost_writes;
mod split_brain;
mod suspicion;

use serde::{Deserialize, Serialize};

use crate::sim::{EventId, Micros, Model, NodeId, Trace};

pub use client_server::detect_client_server;
pub use fencing::detect_fencing;
pub use liveness::detect_stalls;
pub use lost_writes::detect_lost_writes;
pub use split_brain::detect_split_brain;
pub use suspicion::detect_false_suspicion;

/// What a model's note means, in terms detectors understand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// A node acting as leader accepted a write.
    WriteAccepted { value: u64 },
    /// The node answered the client; `ok` is false for a refusal.
    Answered { ok: bool },
    /// The node concluded that `suspect` is dead.
    Suspected { suspect: NodeId },
    /// A lock service granted a lease with this fencing token.
    LeaseGranted { token: u64, holder: NodeId },
    /// Storage accepted or refused a write made under a lease with this token.
    FencedWrite {
        token: u64,
        writer: NodeId,
        accepted: bool,
    },
    /// The client was told its write of `value` to `key`, coordinated by `writer`, succeeded.
    WriteAcked { key: u8, value: u32, writer: NodeId },
    /// Conflict resolution threw away `lost` (writer, value) and kept `kept`.
    WriteDiscarded {
        key: u8,
        lost: (NodeId, u32),
        kept: (NodeId, u32),
    },
    /// A server applied operation `op` of `client`.
    Applied { client: NodeId, op: u32 },
    /// A client sent SET x = `value` (its order among the client's sends is the trace order).
    SetIssued { value: u32 },
    /// A server applied SET x = `value` from `client`.
    SetApplied { client: NodeId, value: u32 },
    /// A server stored a value `client` computed from the version it read.
    ReadModifyWrite {
        client: NodeId,
        op: u32,
        read_version: u32,
    },
    /// Two concurrent values were kept side by side.
    ConcurrentValues {
        key: u8,
        a: (NodeId, u32),
        b: (NodeId, u32),
    },
}

/// A model whose runs detectors can judge.
pub trait Observed: Model {
    /// What a note means to the detectors, if anything.
    fn fact(note: &Self::Note) -> Option<Fact>;

    /// The safety and liveness properties this model promises (or, in a naive variant, breaks).
    fn properties(&self) -> Vec<Property>;

    /// Every finding in the trace.
    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FindingKind {
    SplitBrain,
    AckedWriteLost,
    FencingRejection,
    StaleWriteAccepted,
    FalseSuspicion,
    DuplicateEffect,
    OrderingViolation,
    ConcurrentWrites,
    ByzantineDisagreement,
    LivenessStall,
}

impl FindingKind {
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::SplitBrain => "split brain",
            FindingKind::AckedWriteLost => "acknowledged write lost",
            FindingKind::FencingRejection => "fencing rejection",
            FindingKind::StaleWriteAccepted => "stale write accepted",
            FindingKind::FalseSuspicion => "false suspicion",
            FindingKind::DuplicateEffect => "duplicate effect",
            FindingKind::OrderingViolation => "ordering violation",
            FindingKind::ConcurrentWrites => "concurrent writes",
            FindingKind::ByzantineDisagreement => "Byzantine disagreement",
            FindingKind::LivenessStall => "liveness stall",
        }
    }
}

/// One thing that went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// When it became true.
    pub time: Micros,
    pub nodes: Vec<NodeId>,
    /// The events that show it, in trace order.
    pub events: Vec<EventId>,
    /// One sentence for the findings panel.
    pub summary: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PropertyClass {
    Safety,
    Liveness,
}

/// A property a model promises: it holds while no finding of `violated_by` exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Property {
    pub name: &'static str,
    pub class: PropertyClass,
    pub violated_by: FindingKind,
}

/// Formats a true time for people: "1.250 s".
pub fn seconds(time: Micros) -> String {
    format!("{}.{:03} s", time / 1_000_000, time % 1_000_000 / 1_000)
}
