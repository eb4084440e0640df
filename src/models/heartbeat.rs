//! Failure detection by heartbeats: every node sends a heartbeat to every other each period,
//! and decides for each peer when to suspect it is dead. Either with a fixed timeout, or with a
//! phi-accrual detector that learns the distribution of heartbeat intervals and suspects a peer
//! when a heartbeat is this improbably late (phi > threshold).
//!
//! phi > threshold exactly when the silence exceeds mean + z·σ of the intervals seen, where z is
//! the normal quantile for probability 10^-threshold. Using that form keeps the arithmetic to
//! IEEE-exact operations (no exp or log), so native and wasm runs agree bit for bit.

use serde::{Deserialize, Serialize};

use crate::detect::{
    detect_false_suspicion, Fact, Facts, Finding, FindingKind, Observed, Property, PropertyClass,
};
use crate::sim::words::{duration, row};
use crate::sim::{
    Context, Describe, Micros, Model, Names, NodeId, NodeState, RequestId, Row, Trace,
};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    FixedTimeout {
        timeout_us: Micros,
    },
    PhiAccrual {
        #[serde(deserialize_with = "crate::sim::decimal")]
        threshold: f64,
        min_std_us: Micros,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heartbeats {
    pub period_us: Micros,
    pub detector: Detector,
    /// Intervals remembered per peer.
    pub window: usize,
    /// The share of every node's incoming link reserved for heartbeats (a circuit); 0: they
    /// share the link with all other traffic (packet switching).
    #[serde(
        default,
        skip_serializing_if = "is_zero",
        deserialize_with = "crate::sim::decimal"
    )]
    pub circuit_share: f64,
}

fn is_zero(share: &f64) -> bool {
    *share == 0.0
}

impl Default for Heartbeats {
    fn default() -> Self {
        Heartbeats {
            period_us: 100_000,
            detector: Detector::FixedTimeout {
                timeout_us: 150_000,
            },
            window: 20,
            circuit_share: 0.0,
        }
    }
}

/// z such that P(Z > z) = 10^-phi for a standard normal Z, for phi = 1..=12.
const PHI_QUANTILES: [f64; 12] = [
    1.2816, 2.3263, 3.0902, 3.7190, 4.2649, 4.7534, 5.1993, 5.6120, 5.9978, 6.3613, 6.7060, 7.0345,
];

/// The quantile for a threshold, interpolated between whole values and clamped to 1..=12.
pub fn phi_quantile(threshold: f64) -> f64 {
    let t = if threshold.is_finite() {
        threshold.clamp(1.0, 12.0)
    } else {
        8.0
    };
    let below = (t as usize).clamp(1, 12);
    let above = (below + 1).min(12);
    let fraction = t - below as f64;
    PHI_QUANTILES[below - 1] + (PHI_QUANTILES[above - 1] - PHI_QUANTILES[below - 1]) * fraction
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    Heartbeat { seq: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    Beat,
    Suspect { peer: NodeId },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// No heartbeat from `peer` for `silent_ms`: declared dead.
    Suspect { peer: NodeId, silent_ms: u64 },
    /// A heartbeat from a suspected peer: it was alive after all.
    Trust { peer: NodeId },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub seq: u32,
    /// Per peer: monotonic arrival time of its last heartbeat.
    pub last_heard: Vec<Option<u64>>,
    /// Per peer: recent intervals between heartbeats, in µs.
    pub intervals: Vec<Vec<u64>>,
    pub suspected: Vec<bool>,
}

type Ctx<'a> = Context<'a, Heartbeats>;
type State = NodeState<Heartbeats>;

impl Heartbeats {
    /// How long after the last heartbeat from a peer with these intervals to suspect it.
    pub fn patience_us(&self, intervals: &[u64]) -> Micros {
        match self.detector {
            Detector::FixedTimeout { timeout_us } => timeout_us,
            Detector::PhiAccrual {
                threshold,
                min_std_us,
            } => {
                if intervals.is_empty() {
                    return self.period_us * 3;
                }
                let n = intervals.len() as f64;
                let mean = intervals.iter().map(|&i| i as f64).sum::<f64>() / n;
                let variance = intervals
                    .iter()
                    .map(|&i| (i as f64 - mean) * (i as f64 - mean))
                    .sum::<f64>()
                    / n;
                let std = variance.sqrt().max(min_std_us as f64);
                (mean + phi_quantile(threshold) * std) as Micros
            }
        }
    }

    fn arm_beat(&self, ctx: &mut Ctx) {
        ctx.set_timer(Timer::Beat, self.period_us);
    }
}

impl Model for Heartbeats {
    fn message_kind(_: &Msg) -> usize {
        0
    }

    type Msg = Msg;
    type Timer = Timer;
    type ClientOp = ();
    type Note = Note;
    type Durable = ();
    type Volatile = Volatile;

    fn circuit_share(&self) -> f64 {
        self.circuit_share
    }

    fn start(&self, ctx: &mut Ctx) -> State {
        self.recover((), ctx)
    }

    fn recover(&self, _durable: (), ctx: &mut Ctx) -> State {
        let n = ctx.node_count() as usize;
        self.arm_beat(ctx);
        NodeState {
            durable: (),
            volatile: Volatile {
                seq: 0,
                last_heard: vec![None; n],
                intervals: vec![Vec::new(); n],
                suspected: vec![false; n],
            },
        }
    }

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, _msg: &Msg) {
        let now = ctx.monotonic();
        let peer = from.index();
        let v = &mut state.volatile;
        if let Some(last) = v.last_heard[peer] {
            let intervals = &mut v.intervals[peer];
            intervals.push(now - last);
            if intervals.len() > self.window {
                intervals.remove(0);
            }
        }
        v.last_heard[peer] = Some(now);
        if std::mem::replace(&mut v.suspected[peer], false) {
            ctx.record(Note::Trust { peer: from });
        }
        let patience = self.patience_us(&state.volatile.intervals[peer]);
        ctx.set_timer(Timer::Suspect { peer: from }, patience);
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        match *timer {
            Timer::Beat => {
                state.volatile.seq += 1;
                ctx.broadcast(Msg::Heartbeat {
                    seq: state.volatile.seq,
                });
                self.arm_beat(ctx);
            }
            Timer::Suspect { peer } => {
                let v = &mut state.volatile;
                if !v.suspected[peer.index()] {
                    v.suspected[peer.index()] = true;
                    let silent = ctx.monotonic() - v.last_heard[peer.index()].unwrap_or(0);
                    ctx.record(Note::Suspect {
                        peer,
                        silent_ms: silent / 1_000,
                    });
                }
            }
        }
    }

    fn on_client(&self, _state: &mut State, _ctx: &mut Ctx, _request: RequestId, _op: &()) {}
}

impl Observed for Heartbeats {
    fn fact(note: &Note) -> Option<Fact> {
        match *note {
            Note::Suspect { peer, .. } => Some(Fact::Suspected { suspect: peer }),
            Note::Trust { .. } => None,
        }
    }

    fn properties(&self) -> Vec<Property> {
        vec![
            Property {
                name: "Only crashed nodes are declared dead",
                class: PropertyClass::Safety,
                violated_by: FindingKind::FalseSuspicion,
            },
            Property {
                name: "A crashed node is declared dead within 1 s",
                class: PropertyClass::Liveness,
                violated_by: FindingKind::LivenessStall,
            },
        ]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        detect_false_suspicion(&Facts::of(trace), Some(DETECTION_BOUND_US))
    }
}

/// A crash must be noticed within this long, or detection counts as stalled.
pub const DETECTION_BOUND_US: Micros = 1_000_000;

// ----- in words -----

impl Describe for Heartbeats {
    const MESSAGE_KINDS: &'static [&'static str] = &["heartbeat"];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        let Msg::Heartbeat { seq } = msg;
        format!("heartbeat {seq}")
    }

    fn timer(&self, timer: &Timer, names: &Names) -> String {
        match timer {
            Timer::Beat => "time to send a heartbeat".to_string(),
            Timer::Suspect { peer } => format!("no heartbeat from {} in time", names.of(*peer)),
        }
    }

    fn client_op(&self, _: &(), _: &Names) -> String {
        "nothing".to_string()
    }

    fn note(&self, note: &Note, names: &Names) -> String {
        match *note {
            Note::Suspect { peer, silent_ms } => format!(
                "declares {} dead: silent for {}",
                names.of(peer),
                duration(silent_ms * 1_000)
            ),
            Note::Trust { peer } => format!("{} is alive after all", names.of(peer)),
        }
    }

    fn memory(&self, node: NodeId, state: &Volatile, names: &Names) -> Vec<Row> {
        let mut rows = vec![row("Heartbeats sent", state.seq.to_string())];
        let suspected: Vec<String> = state
            .suspected
            .iter()
            .enumerate()
            .filter(|&(peer, &s)| s && peer != node.index())
            .map(|(peer, _)| names.of(NodeId(peer as u8)).into_owned())
            .collect();
        rows.push(row(
            "Believes dead",
            if suspected.is_empty() {
                "nobody".to_string()
            } else {
                suspected.join(", ")
            },
        ));
        rows
    }

    fn disk(&self, _: NodeId, _: &(), _: &Names) -> Vec<Row> {
        Vec::new()
    }

    fn headline(&self, node: NodeId, memory: Option<&Volatile>, _: &(), names: &Names) -> String {
        let Some(memory) = memory else {
            return String::new();
        };
        let mut said = String::new();
        for (peer, _) in memory
            .suspected
            .iter()
            .enumerate()
            .filter(|&(peer, &s)| s && peer != node.index())
        {
            said += if said.is_empty() { "believes " } else { ", " };
            said += &names.of(NodeId(peer as u8));
        }
        if said.is_empty() {
            return "believes all alive".to_string();
        }
        said + " dead"
    }
}
