//! The interface protocol models implement. Handlers never act on the world: they change their own
//! node's state and push [`Effect`]s into the context, which the engine then applies.

use std::fmt::Debug;
use std::hash::Hash;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::clock::{Clock, TimeInterval};
use super::ids::{Micros, NodeId, RequestId};
use super::rng::SimRng;

/// A role a node can take or drop; the timeline draws them as bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Follower,
    Candidate,
    Leader,
    LeaseHolder,
}

/// A node's state, split the way a crash splits it.
#[derive(Clone, Debug, PartialEq, Hash)]
pub struct NodeState<M: Model> {
    /// Survives a crash (what the node wrote to disk).
    pub durable: M::Durable,
    /// Lost in a crash (what the node held in memory).
    pub volatile: M::Volatile,
}

impl<M: Model> NodeState<M>
where
    M::Volatile: Default,
{
    /// A node holding `durable` with nothing in memory: a first start or a restart.
    pub fn with_durable(durable: M::Durable) -> NodeState<M> {
        NodeState {
            durable,
            volatile: M::Volatile::default(),
        }
    }
}

/// A protocol model. All handlers are deterministic functions of their inputs and the context.
pub trait Model: Clone + Debug + 'static {
    type Msg: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;
    type Timer: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;
    type ClientOp: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;
    /// What a node records in the trace (local steps, client replies): detectors read these.
    type Note: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;
    type Durable: Clone + Debug + PartialEq + Hash;
    type Volatile: Clone + Debug + PartialEq + Hash;

    /// Which kind of message `msg` is: an index into the model's list of kinds in words
    /// (`Describe::MESSAGE_KINDS`), recorded with each message so the timeline can hide or dim
    /// a kind. A model with one kind of message need not say.
    fn message_kind(_msg: &Self::Msg) -> usize {
        0
    }

    /// Whether the node's disk writes wait in the operating system's cache until a handler
    /// syncs them ([`Context::sync`]). A crash that loses unsynced writes (a power cut) then
    /// takes back everything written since the last sync. By default every write to
    /// [`NodeState::durable`] is on disk as soon as the handler that made it returns.
    fn buffers_writes(&self) -> bool {
        false
    }

    /// The share (0 to 1) of every node's incoming link reserved for the model's messages: a
    /// circuit. Messages on a circuit never wait behind other traffic, so their delay is
    /// bounded; outside traffic ([`crate::sim::Command::Flood`]) gets only the rest of the link
    /// and takes longer. By default nothing is reserved: the network is packet-switched, and a
    /// message waits behind whatever arrived before it.
    fn circuit_share(&self) -> f64 {
        0.0
    }

    /// A node's first start.
    fn start(&self, ctx: &mut Context<'_, Self>) -> NodeState<Self>;

    /// A node restarts after a crash with only its durable state.
    fn recover(&self, durable: Self::Durable, ctx: &mut Context<'_, Self>) -> NodeState<Self>;

    fn on_message(
        &self,
        state: &mut NodeState<Self>,
        ctx: &mut Context<'_, Self>,
        from: NodeId,
        msg: &Self::Msg,
    );

    fn on_timer(
        &self,
        state: &mut NodeState<Self>,
        ctx: &mut Context<'_, Self>,
        timer: &Self::Timer,
    );

    fn on_client(
        &self,
        state: &mut NodeState<Self>,
        ctx: &mut Context<'_, Self>,
        request: RequestId,
        op: &Self::ClientOp,
    );
}

/// What a handler asks the engine to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect<M: Model> {
    Send {
        to: NodeId,
        msg: M::Msg,
    },
    /// (Re)arms a timer `after_us` on the node's monotonic clock; one pending timer per value.
    SetTimer {
        timer: M::Timer,
        after_us: Micros,
    },
    CancelTimer {
        timer: M::Timer,
    },
    /// A local step worth showing in the trace.
    Record {
        note: M::Note,
    },
    Reply {
        request: RequestId,
        note: M::Note,
    },
    Role {
        role: Role,
        active: bool,
    },
    /// The node's durable state, as it now stands, is on disk (an fsync): a power cut no
    /// longer takes it back. Only meaningful for a model that [`Model::buffers_writes`].
    Sync,
}

/// What a handler can see and do: its own clocks, the cluster size, the seeded RNG, and an
/// outbox of effects. It cannot see true time.
pub struct Context<'a, M: Model> {
    node: NodeId,
    nodes: u8,
    time_of_day: i64,
    monotonic: u64,
    interval: TimeInterval,
    rng: &'a mut SimRng,
    effects: &'a mut Vec<Effect<M>>,
}

impl<'a, M: Model> Context<'a, M> {
    /// A context for `node` at true time `now`, reading the node's own clock.
    pub(crate) fn new(
        node: NodeId,
        nodes: u8,
        clock: &Clock,
        now: Micros,
        rng: &'a mut SimRng,
        effects: &'a mut Vec<Effect<M>>,
    ) -> Context<'a, M> {
        Context {
            node,
            nodes,
            time_of_day: clock.time_of_day(now),
            monotonic: clock.monotonic(now),
            interval: clock.interval(now),
            rng,
            effects,
        }
    }

    pub fn node(&self) -> NodeId {
        self.node
    }

    pub fn node_count(&self) -> u8 {
        self.nodes
    }

    /// Every other node, in order.
    pub fn peers(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes).map(NodeId).filter(move |&n| n != self.node)
    }

    /// The node's wall clock, in µs: may be offset, drift and jump.
    pub fn time_of_day(&self) -> i64 {
        self.time_of_day
    }

    /// The node's monotonic clock, in µs from an arbitrary origin.
    pub fn monotonic(&self) -> u64 {
        self.monotonic
    }

    /// TrueTime-style bounds on true time, from the node's uncertainty ε.
    pub fn interval(&self) -> TimeInterval {
        self.interval
    }

    pub fn random_below(&mut self, bound: u64) -> u64 {
        self.rng.below(bound)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.chance(p)
    }

    pub fn send(&mut self, to: NodeId, msg: M::Msg) {
        self.effects.push(Effect::Send { to, msg });
    }

    pub fn broadcast(&mut self, msg: M::Msg) {
        for to in (0..self.nodes).map(NodeId).filter(|&n| n != self.node) {
            self.effects.push(Effect::Send {
                to,
                msg: msg.clone(),
            });
        }
    }

    pub fn set_timer(&mut self, timer: M::Timer, after_us: Micros) {
        self.effects.push(Effect::SetTimer { timer, after_us });
    }

    pub fn cancel_timer(&mut self, timer: M::Timer) {
        self.effects.push(Effect::CancelTimer { timer });
    }

    pub fn record(&mut self, note: M::Note) {
        self.effects.push(Effect::Record { note });
    }

    pub fn reply(&mut self, request: RequestId, note: M::Note) {
        self.effects.push(Effect::Reply { request, note });
    }

    /// Syncs the node's durable state to disk as it stands when the handler returns (see
    /// [`Model::buffers_writes`]). The sync itself takes no simulated time: a model that wants
    /// its cost seen waits (a timer) before acting on it.
    pub fn sync(&mut self) {
        self.effects.push(Effect::Sync);
    }

    pub fn set_role(&mut self, role: Role, active: bool) {
        self.effects.push(Effect::Role { role, active });
    }
}
