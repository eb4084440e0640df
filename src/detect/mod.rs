//! Detectors: read a finished (or running) trace and report what went wrong, naming the events
//! involved and the true time. Models translate their notes into [`Fact`]s, so one detector serves
//! every model that reports the same kind of thing.

mod client_server;
mod fencing;
mod liveness;
mod lost_writes;
mod split_brain;
mod suspicion;
mod terms;

use serde::{Deserialize, Serialize};

use crate::sim::{Describe, EventId, Micros, NodeId, Skeleton, Trace};

pub use client_server::detect_client_server;
pub use fencing::detect_fencing;
pub use liveness::detect_stalls;
pub use lost_writes::detect_lost_writes;
pub use split_brain::detect_split_brain;
pub use suspicion::detect_false_suspicion;
pub use terms::detect_two_leaders_in_a_term;

/// What a model's note means, in terms detectors understand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// The node won an election: it leads `term`.
    LeaderElected { term: u64 },
    /// Two concurrent values were kept side by side.
    ConcurrentValues {
        key: u8,
        a: (NodeId, u32),
        b: (NodeId, u32),
    },
}

/// How a model names the keys and values its facts carry, so findings say them the way the
/// lesson does ("x = 2", "12A = Alice"), never as internal numbers.
pub trait KeyWords {
    /// A key in words: "x", "12A".
    fn key(&self, key: u8) -> String;
    /// A value in words: "2", "Alice".
    fn value(&self, value: u32) -> String;

    /// "x = 2".
    fn assignment(&self, key: u8, value: u32) -> String {
        format!("{} = {}", self.key(key), self.value(value))
    }
}

/// A trace as the detectors read it: its model-free skeleton (through `Deref`) and what each
/// of its notes means, worked out once by the model ([`Observed::fact`]). The detectors take
/// this, not a `Trace<M>`, so each is compiled once rather than once per model that uses it.
pub struct Facts<'a> {
    trace: &'a Skeleton,
    /// Per note, in the trace's note order: what it means, if anything.
    facts: Vec<Option<Fact>>,
}

impl<'a> Facts<'a> {
    pub fn of<M: Observed>(trace: &'a Trace<M>) -> Facts<'a> {
        Facts {
            trace: trace.skeleton(),
            facts: trace.notes().iter().map(M::fact).collect(),
        }
    }

    /// What note `note` means, if anything.
    pub fn fact(&self, note: u32) -> Option<Fact> {
        self.facts.get(note as usize).copied().flatten()
    }
}

impl std::ops::Deref for Facts<'_> {
    type Target = Skeleton;
    fn deref(&self) -> &Skeleton {
        self.trace
    }
}

/// A model whose runs detectors can judge.
pub trait Observed: Describe {
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
    TwoLeadersInOneTerm,
    RequestLost,
    RetryStorm,
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
            FindingKind::TwoLeadersInOneTerm => "two leaders in one term",
            FindingKind::RequestLost => "request lost",
            FindingKind::RetryStorm => "retry storm",
        }
    }

    /// The finding as a prediction of what will happen, in a sentence.
    pub fn happens(self) -> &'static str {
        match self {
            FindingKind::SplitBrain => "Two nodes act as leader at the same time.",
            FindingKind::AckedWriteLost => "A write its client was told succeeded is lost.",
            FindingKind::FencingRejection => "Storage refuses a write with an old fencing token.",
            FindingKind::StaleWriteAccepted => "A write made under an expired lease is accepted.",
            FindingKind::FalseSuspicion => "A running node is declared dead.",
            FindingKind::DuplicateEffect => "One request takes effect twice.",
            FindingKind::OrderingViolation => "Operations take effect out of order.",
            FindingKind::ConcurrentWrites => "Two writes conflict, and both are kept.",
            FindingKind::ByzantineDisagreement => "Loyal nodes decide differently.",
            FindingKind::LivenessStall => "A request gets no successful answer in time.",
            FindingKind::TwoLeadersInOneTerm => "Two nodes win the same term.",
            FindingKind::RequestLost => "A request never takes effect.",
            FindingKind::RetryStorm => "Retries pile up faster than the server can answer.",
        }
    }

    /// What the marker means, tied to the concept it teaches.
    pub fn explanation(self) -> &'static str {
        match self {
            FindingKind::SplitBrain => {
                "Two nodes act as leader at the same time. Each was chosen by the nodes it could \
                 reach; a node cannot tell a partition from a crash, so a leader elected by \
                 timeout alone may not be the only one. The truth is defined by the majority: \
                 a leader needs a quorum, and any two quorums overlap."
            }
            FindingKind::AckedWriteLost => {
                "A client was told its write succeeded, and the write is gone. Conflicts were \
                 resolved by something other than what happened first, such as timestamps from \
                 unsynchronised clocks (last write wins), or a node that never received the \
                 write took over as leader, and the cluster's history went on without it."
            }
            FindingKind::FencingRejection => {
                "Storage refused a write carrying an old fencing token: the writer's lease had \
                 expired while it was paused or slow, and a newer holder had written since. This \
                 is the fix working: the lock service's tokens only grow, and storage checks them."
            }
            FindingKind::StaleWriteAccepted => {
                "A client wrote on the strength of a lease that had already expired: a process \
                 pause or a wrong clock made it believe it still held the lock. Without a fencing \
                 token, storage cannot tell the stale writer from the real holder."
            }
            FindingKind::FalseSuspicion => {
                "A node was declared dead while it was running: its messages were only slow. A \
                 timeout cannot distinguish a crashed node from a slow network or a paused \
                 process; shorter timeouts find failures sooner and suspect healthy nodes more."
            }
            FindingKind::DuplicateEffect => {
                "One request took effect twice. The client retried after a lost reply, and the \
                 server could not tell the retry from a new request; an idempotency key makes \
                 the retry harmless."
            }
            FindingKind::OrderingViolation => {
                "Operations took effect in a different order from the one they were sent in. \
                 The network delays each message by its own amount, so arrival order proves \
                 nothing; sequence numbers restore the sender's order."
            }
            FindingKind::ConcurrentWrites => {
                "Two writes happened without either knowing of the other: neither happened \
                 before the other. Version vectors detect this and keep both as siblings instead \
                 of silently dropping one."
            }
            FindingKind::ByzantineDisagreement => {
                "Loyal nodes decided differently because one node lied. With three generals and \
                 one traitor, the loyal ones cannot tell who is lying; agreement needs more than \
                 two thirds of the nodes to be honest (3f + 1)."
            }
            FindingKind::LivenessStall => {
                "A request waited too long for an answer. Safety mechanisms such as quorums and \
                 fencing refuse to act without enough agreement, and that costs availability \
                 while the network is split."
            }
            FindingKind::TwoLeadersInOneTerm => {
                "Two nodes won the same term, each with a majority's votes. Any two majorities \
                 share a node, so that node voted twice in one term: it forgot its first vote. \
                 A vote kept only in memory, or written but not yet synced to disk, is lost in \
                 a crash; Raft syncs the term and vote before replying."
            }
            FindingKind::RequestLost => {
                "A request never took effect: the message carrying it was lost, and nothing \
                 sent it again. Sending once without waiting for an acknowledgement is \
                 at-most-once delivery; retrying until acknowledged makes it at-least-once, and \
                 idempotency keys the receiver remembers make it effectively once."
            }
            FindingKind::RetryStorm => {
                "A server kept answering requests whose clients had already given up on them \
                 and sent them again: every answer came too late, and every timeout added a \
                 retry to its queue. The overload sustains itself, long after whatever slowed \
                 the server has passed (a metastable failure). Retries that back off with \
                 random waits, and circuit breakers that stop sending for a while, let the \
                 queue drain."
            }
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

/// Where a finding stands in the order people read them: by true time, ties by the last event
/// that shows it (then by kind, so the order never depends on which detector ran first).
///
/// Detectors report a finding at the moment it became true: `time` is that moment, and the last
/// of its `events` is the event that made it true (or, for a bound that ran out between events,
/// an event before it). So a finding found later never sorts before one already shown, and the
/// list a person sees only grows at its end.
pub fn time_order_key(finding: &Finding) -> (Micros, Option<EventId>, FindingKind) {
    (finding.time, finding.events.last().copied(), finding.kind)
}

/// Puts findings in time order (see [`time_order_key`]).
pub fn in_time_order(findings: &mut [Finding]) {
    crate::sim::sort::sort_by_key(findings, time_order_key);
}

/// Formats a true time for people: "1.250 s".
pub fn seconds(time: Micros) -> String {
    format!("{}.{:03} s", time / 1_000_000, time % 1_000_000 / 1_000)
}
