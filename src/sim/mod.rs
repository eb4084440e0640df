//! The pure simulation core: a deterministic discrete-event simulation of a small cluster.
//!
//! No browser APIs, no wall-clock time, no hash-map iteration: a run is fully determined by the
//! model, its [`SimConfig`] (seed included) and the action log, on every platform.

pub mod axis;
mod clock;
mod command;
mod config;
mod engine;
mod ids;
mod model;
mod network;
mod queue;
pub mod random_traffic;
mod rng;
pub mod sort;
mod text;
mod trace;
pub mod units;
pub mod words;
mod world;

pub use axis::{axis_value, Axis};
pub use clock::{
    Clock, ClockConfig, TimeInterval, MAX_DRIFT_PPM, MAX_OFFSET_US, MAX_UNCERTAINTY_US,
};
pub use command::{from_field, in_field, Command, CommandError};
pub use config::SimConfig;
pub use engine::{
    decode_command, LoggedCommand, LoggedWire, ReplayError, Scheduled, Simulation, StepReport,
    MAX_REPLAY_STEPS, SNAPSHOT_EVERY,
};
pub use ids::{EventId, Micros, MsgId, NodeId, RequestId, MAX_NODES};
pub use model::{Context, Effect, Model, NodeState, Role};
pub use network::{
    canonical_decimal, decimal, link_note, Link, LinkConfig, LinkSetting, Network, MAX_LATENCY_US,
};
pub use rng::SimRng;
pub use text::{describe, label, render_text, Words};
pub use trace::{
    Causality, DropReason, EventKind, MessageEdge, PortableHasher, RequestRecord, Skeleton, Trace,
    TraceEvent,
};
pub use words::{kind_bit, Describe, Names, Row};
pub use world::{ClusterView, InFlight, NodeStatus, PendingTimer};
