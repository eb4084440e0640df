//! A model with no protocol at all: nodes gossip random messages on timers. It exercises every
//! part of the engine (timers, sends, deliveries, client requests, crash recovery) for tests and
//! benchmarks.

use serde::{Deserialize, Serialize};

use super::ids::{Micros, NodeId, RequestId};
use super::model::{Context, Model, NodeState, Role};
use super::words::{row, Describe, Names, Row};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RandomTraffic {
    /// Mean time between a node's spontaneous sends.
    pub tick_us: Micros,
    /// Messages sent per tick.
    pub fanout: u8,
    /// Probability that a received message is forwarded to a random peer.
    #[serde(deserialize_with = "crate::sim::decimal")]
    pub forward_probability: f64,
    /// How many times a message may be forwarded.
    pub max_hops: u8,
}

impl Default for RandomTraffic {
    fn default() -> Self {
        RandomTraffic {
            tick_us: 50_000,
            fanout: 1,
            forward_probability: 0.5,
            max_hops: 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gossip {
    Rumor { origin: NodeId, hops: u8 },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tick {
    Send,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// A client asked for the node's counters.
    Counters { received: u64, sent: u64 },
}

/// Survives a crash: what the node has received (as if written to disk).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Received(pub u64);

/// Lost in a crash: what the node has sent since it last started.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sent(pub u64);

impl RandomTraffic {
    fn arm(&self, ctx: &mut Context<'_, Self>) {
        // Uniform in [tick/2, 3·tick/2]: spreads the nodes out so they do not fire in lockstep.
        let delay = self.tick_us / 2 + ctx.random_below(self.tick_us + 1);
        ctx.set_timer(Tick::Send, delay);
    }

    fn random_peer(&self, ctx: &mut Context<'_, Self>) -> Option<NodeId> {
        let peers = u64::from(ctx.node_count().saturating_sub(1));
        if peers == 0 {
            return None;
        }
        let pick = ctx.random_below(peers) as u8;
        // Skip over ourselves.
        Some(NodeId(if pick >= ctx.node().0 { pick + 1 } else { pick }))
    }
}

impl Model for RandomTraffic {
    fn message_kind(_: &Gossip) -> usize {
        0
    }

    type Msg = Gossip;
    type Timer = Tick;
    type ClientOp = ();
    type Note = Note;
    type Durable = Received;
    type Volatile = Sent;

    fn start(&self, ctx: &mut Context<'_, Self>) -> NodeState<Self> {
        self.arm(ctx);
        if ctx.node() == NodeId(0) {
            ctx.set_role(Role::Leader, true);
        }
        NodeState::with_durable(Received::default())
    }

    fn recover(&self, durable: Received, ctx: &mut Context<'_, Self>) -> NodeState<Self> {
        self.arm(ctx);
        NodeState::with_durable(durable)
    }

    fn on_message(
        &self,
        state: &mut NodeState<Self>,
        ctx: &mut Context<'_, Self>,
        _from: NodeId,
        msg: &Gossip,
    ) {
        state.durable.0 += 1;
        let Gossip::Rumor { origin, hops } = *msg;
        if hops < self.max_hops && ctx.chance(self.forward_probability) {
            if let Some(peer) = self.random_peer(ctx) {
                state.volatile.0 += 1;
                ctx.send(
                    peer,
                    Gossip::Rumor {
                        origin,
                        hops: hops + 1,
                    },
                );
            }
        }
    }

    fn on_timer(&self, state: &mut NodeState<Self>, ctx: &mut Context<'_, Self>, _timer: &Tick) {
        for _ in 0..self.fanout {
            if let Some(peer) = self.random_peer(ctx) {
                state.volatile.0 += 1;
                let origin = ctx.node();
                ctx.send(peer, Gossip::Rumor { origin, hops: 0 });
            }
        }
        self.arm(ctx);
    }

    fn on_client(
        &self,
        state: &mut NodeState<Self>,
        ctx: &mut Context<'_, Self>,
        request: RequestId,
        _op: &(),
    ) {
        let note = Note::Counters {
            received: state.durable.0,
            sent: state.volatile.0,
        };
        ctx.reply(request, note);
    }
}

// ----- in words -----

impl Describe for RandomTraffic {
    const MESSAGE_KINDS: &'static [&'static str] = &["rumor"];

    fn message(&self, msg: &Gossip, names: &Names) -> String {
        let Gossip::Rumor { origin, hops } = msg;
        format!("rumor from {}, hop {hops}", names.of(*origin))
    }

    fn timer(&self, _: &Tick, _: &Names) -> String {
        "time to gossip".to_string()
    }

    fn client_op(&self, _: &(), _: &Names) -> String {
        "read the counters".to_string()
    }

    fn note(&self, note: &Note, _: &Names) -> String {
        let Note::Counters { received, sent } = note;
        format!("{received} received, {sent} sent")
    }

    fn memory(&self, _: NodeId, state: &Sent, _: &Names) -> Vec<Row> {
        vec![row("Sent since it started", state.0.to_string())]
    }

    fn disk(&self, _: NodeId, state: &Received, _: &Names) -> Vec<Row> {
        vec![row("Received", state.0.to_string())]
    }

    fn headline(&self, _: NodeId, memory: Option<&Sent>, disk: &Received, _: &Names) -> String {
        format!("sent {}, received {}", memory.map_or(0, |m| m.0), disk.0)
    }
}
