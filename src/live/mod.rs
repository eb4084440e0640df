//! A scenario while it runs: a [`Session`] the UI drives, draws and inspects without knowing the
//! model's message, note or operation types.
//!
//! - `model_run.rs`: [`ModelRun`], the thin layer compiled once per model (run, read, judge).
//! - `session.rs`: [`Session`] and how it runs: advancing, faults, time travel.
//! - `read.rs`: what people see of it: the timeline, the topology, the inspector's answers.
//!
//! Nothing here is generic over a model; exports live in `share` and read a session's
//! [`Session::words`].

mod model_run;
mod read;
mod session;

use crate::sim::{EventId, InFlight, Micros, NodeId, NodeStatus, Row};

pub use model_run::ModelRun;
pub use session::Session;

/// What the inspector shows about one event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventDetails {
    pub event: EventId,
    pub node: NodeId,
    /// The event in a sentence ("sends vote yes, term 2 to B").
    pub description: String,
    pub time: Micros,
    /// The node's own time-of-day clock at that instant.
    pub time_of_day: i64,
    pub lamport: u32,
    /// One entry per node.
    pub vector_clock: Vec<u32>,
    /// How many events happened before it, after it, and concurrently with it.
    pub past: usize,
    pub future: usize,
    pub concurrent: usize,
}

/// What the inspector shows about one node now.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSummary {
    pub node: NodeId,
    pub status: NodeStatus,
    pub leader: bool,
    pub time_of_day: i64,
    pub monotonic: u64,
    pub uncertainty_us: u64,
    /// The clock's offset from true time and its drift, as set (NTP steps included).
    pub offset_us: i64,
    pub drift_ppm: i32,
    /// The offset in words, read beside every other node's: offsets a millisecond or more
    /// apart never read the same (`+41.994 s`, `+41.973 s`).
    pub offset: String,
    /// What the node holds in memory (`None` while crashed) and on disk, as the model's
    /// labelled rows.
    pub memory: Option<Vec<Row>>,
    pub disk: Vec<Row>,
    /// What a power cut would leave on disk, when some of `disk` is not yet synced.
    pub synced: Option<Vec<Row>>,
    /// Until when outside traffic keeps the node's incoming link busy, if it does now.
    pub flooded_until: Option<Micros>,
}

/// A message on the wire and what it carries, for the inspector's list.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub message: InFlight,
    /// The message in words ("heartbeat, term 1").
    pub payload: String,
}

/// A fault that has taken effect in the run, for the fault log: scripted by the scenario, or
/// one of the run's own (applied by hand, or found by a hunt), which the run's fault log holds.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultTaken {
    /// The event that records it on the timeline.
    pub event: EventId,
    pub time: Micros,
    /// The fault in words ("link A→C cut", "C paused (GC)").
    pub words: String,
    /// Its place in [`Session::fault_log`] if it is the run's own; `None` if the scenario
    /// scripted it.
    pub logged: Option<usize>,
}
