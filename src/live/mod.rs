//! A scenario while it runs, behind one object-safe interface: the UI drives any model through
//! `Box<dyn LiveRun>` without knowing its message, note or operation types.

mod session;

use std::rc::Rc;

use crate::detect::{Finding, Property};
use crate::render::timeline::{Axis, Filter, Shape, Viewport};
use crate::render::topology::{TopoShape, TopologyView};
use crate::sim::{
    Action, Command, CommandError, EventId, InFlight, Micros, NodeId, NodeStatus, Row,
};

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
    /// What the node holds in memory (`None` while crashed) and on disk, as the model's
    /// labelled rows.
    pub memory: Option<Vec<Row>>,
    pub disk: Vec<Row>,
}

/// A message on the wire and what it carries, for the inspector's list.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    pub message: InFlight,
    /// The message in words ("heartbeat, term 1").
    pub payload: String,
}

/// A running scenario: advance it, lay it out, inspect it.
pub trait LiveRun {
    /// True time now.
    fn now(&self) -> Micros;
    /// When the scenario ends.
    fn duration(&self) -> Micros;
    /// Nothing more will happen before the end.
    fn finished(&self) -> bool;
    /// Runs up to `events` events (never past the end); returns how many ran.
    fn advance(&mut self, events: u64) -> u64;
    /// Runs up to `events` events due strictly before true time `before` (never past the end),
    /// skipping over stale queue entries without passing it; returns how many ran. True time
    /// stays at the last event run.
    fn advance_before(&mut self, events: u64, before: Micros) -> u64;
    /// Runs to the end.
    fn run_to_end(&mut self);
    /// Runs every event due at or before true time `time` (never past the end), then moves true
    /// time to it: how a timed fault lands exactly when it is due.
    fn advance_to(&mut self, time: Micros);
    fn event_count(&self) -> usize;
    fn node_names(&self) -> Vec<String>;
    /// The detectors' findings so far.
    fn findings(&self) -> Rc<[Finding]>;
    /// Each property of the model with whether it has held so far.
    fn properties(&self) -> Vec<(Property, bool)>;
    /// `wanted` clamped to what can be shown: from now up to the next event (or the end).
    /// Playback shows times in between so messages glide rather than jump.
    fn display_time(&self, wanted: Micros) -> Micros;
    /// The visible part of the timeline, with in-flight messages drawn up to true time `at`,
    /// as `filter` says (hidden and faint message kinds, causal chain only), with labels.
    fn timeline(
        &self,
        viewport: &Viewport,
        selected: Option<EventId>,
        at: Micros,
        filter: &Filter,
    ) -> Vec<Shape>;
    /// The model's kinds of message in plain words, in legend order (bit `i` of a
    /// [`Filter`] is kind `i`).
    fn message_kinds(&self) -> &'static [&'static str];
    /// The cluster as it stands at true time `at` (see [`LiveRun::display_time`]).
    fn topology(&self, view: &TopologyView, at: Micros) -> Vec<TopoShape>;
    /// The lowest and highest axis values the run covers so far (for "fit all").
    fn extent(&self, axis: Axis) -> (f64, f64);
    /// Each node's time-of-day clock at true time `at`.
    fn clock_readings(&self, at: Micros) -> Vec<i64>;
    /// The newest axis value: where the timeline's head is.
    fn head(&self, axis: Axis) -> f64;
    fn details(&self, event: EventId) -> Option<EventDetails>;
    /// Where `event` sits on `axis`, if it exists.
    fn position(&self, event: EventId, axis: Axis) -> Option<f64>;
    /// The trace as text (see [`crate::sim::render_text`]).
    fn text(&self) -> String;
    /// The trace as a ShiViz log (see [`crate::share::shiviz_log`]).
    fn shiviz(&self) -> String;
    /// The trace as JSON, with the run that produced it (see [`crate::share::trace_json`]).
    fn trace_json(&self, run: &crate::share::SharedRun) -> String;

    // ----- breaking things and moving through time -----

    /// Applies a fault now (client requests are refused: they belong to the model's script).
    fn apply(&mut self, fault: Command<()>) -> Result<(), CommandError>;
    /// Every fault applied by hand and exactly where (the whole log, including a future that
    /// going back has not yet discarded): what a share link carries.
    fn fault_log(&self) -> Vec<Action<()>>;
    /// Steps run so far.
    fn current_step(&self) -> u64;
    /// The furthest step this run has reached (the scrubber's end); a fault applied after
    /// going back forks the run, and the old future is gone.
    fn furthest_step(&self) -> u64;
    /// Moves to the position after `step` steps, backwards exactly (snapshots + replay) or
    /// forwards by running, never past the end.
    fn seek(&mut self, step: u64);
    fn node_count(&self) -> u8;
    fn status(&self, node: NodeId) -> NodeStatus;
    fn link_up(&self, from: NodeId, to: NodeId) -> bool;
    fn node_summary(&self, node: NodeId) -> Option<NodeSummary>;
    /// Messages in flight now, oldest first.
    fn in_flight(&self) -> Vec<Flight>;
}
