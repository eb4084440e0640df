//! The mutable state of a run at one instant: everything a snapshot must capture.

use std::collections::{BTreeMap, BinaryHeap};

use super::clock::Clock;
use super::ids::{Micros, MsgId, NodeId};
use super::model::{Model, NodeState};
use super::network::Network;
use super::queue::{Pending, PendingKind};
use super::rng::SimRng;
use super::trace::Skeleton;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum NodeStatus {
    Running,
    /// Stop-the-world: processes nothing; its clocks keep running.
    Paused,
    /// Volatile state lost; nothing processed until restart.
    Crashed,
}

impl NodeStatus {
    pub fn label(self) -> &'static str {
        match self {
            NodeStatus::Running => "running",
            NodeStatus::Paused => "paused",
            NodeStatus::Crashed => "crashed",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Memory<M: Model> {
    Up(NodeState<M>),
    Down(M::Durable),
}

/// A pending timer, armed on the node's monotonic clock.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingTimer<T> {
    pub id: u32,
    pub timer: T,
    pub deadline_monotonic: u64,
}

/// What the engine keeps of one node apart from the model's state: the same for every model, so
/// the code that reads it is compiled once.
#[derive(Clone, Debug)]
pub(crate) struct NodeRuntime {
    pub status: NodeStatus,
    pub clock: Clock,
    /// Work that fell due while paused, in the order it fell due.
    pub deferred: Vec<PendingKind>,
    /// Until when the node's incoming link is busy with outside traffic (a flood): messages
    /// not on a circuit arriving before then wait until then.
    pub flooded_until: Micros,
    pub lamport: u32,
}

/// One node's model-specific state: its memory, its disk as last synced, its pending timers.
#[derive(Clone, Debug)]
pub(crate) struct NodeModel<M: Model> {
    pub memory: Memory<M>,
    /// What a power cut would leave on disk: the durable state as of the last sync. Kept only
    /// for a model whose writes wait in the cache ([`Model::buffers_writes`]); otherwise every
    /// write is synced at once and this is `None`.
    pub synced: Option<M::Durable>,
    pub timers: Vec<PendingTimer<M::Timer>>,
}

/// The cluster as it stands, without the model's own state: what the topology, the clocks and
/// the inspector show, the same for every model.
pub struct ClusterView<'a> {
    /// True time.
    pub now: Micros,
    pub network: &'a Network,
    /// Each node's status and clock, in node order.
    pub nodes: Vec<(NodeStatus, &'a Clock)>,
    /// Messages on the wire, by id.
    pub in_flight: Vec<InFlight>,
    pub trace: &'a Skeleton,
    /// Until when each node's incoming link is busy with outside traffic (a flood), in node
    /// order; a time already past when it is not.
    pub flooded_until: Vec<Micros>,
}

impl ClusterView<'_> {
    /// Whether `node` leads now: its latest role event made it leader and it has not crashed
    /// since (a crash ends every role).
    pub fn leads(&self, node: NodeId) -> bool {
        self.nodes
            .get(node.index())
            .is_some_and(|&(status, _)| status != NodeStatus::Crashed)
            && self.trace.leads(node)
    }
}

/// A message on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    pub sent: Micros,
    pub due: Micros,
    /// Will die in transit (its `due` is when it dies).
    pub doomed: bool,
}

/// The model-free part of the run's state (the model's part is one [`NodeModel`] per node).
#[derive(Clone, Debug)]
pub(crate) struct World {
    pub now: Micros,
    /// Steps taken (events processed).
    pub steps: u64,
    /// Queue items popped, including skipped ones: positions actions exactly on replay.
    pub pops: u64,
    pub seq: u64,
    pub next_timer_id: u32,
    pub rng: SimRng,
    pub network: Network,
    pub nodes: Vec<NodeRuntime>,
    /// Each node's current vector clock, `nodes` counters per node.
    pub vector_clocks: Vec<u32>,
    pub queue: BinaryHeap<Pending>,
    pub in_flight: BTreeMap<MsgId, InFlight>,
}

impl World {
    pub fn schedule(&mut self, time: Micros, kind: PendingKind) {
        self.seq += 1;
        self.queue.push(Pending {
            time,
            seq: self.seq,
            kind,
        });
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}
