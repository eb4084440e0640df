//! What people read of a [`Session`]: where events sit along each axis, and the inspector's
//! answers (an event's clocks and causal cone, a node's state, messages in flight). Model-free:
//! it reads the trace's skeleton and asks the model only for words. Drawing it is
//! [`crate::render::drawn`]'s, above the run.

use super::{EventDetails, FaultTaken, Flight, NodeSummary, Session};
use crate::detect::Property;
use crate::sim::{
    axis_value, describe, kind_bit, render_text, Axis, ClusterView, EventId, EventKind, Micros,
    NodeId, NodeStatus, Skeleton,
};

impl Session {
    fn trace(&self) -> &Skeleton {
        self.run.words().skeleton()
    }

    /// Each property of the model with whether it has held so far.
    pub fn properties(&self) -> Vec<(Property, bool)> {
        let findings = self.findings();
        self.run
            .properties()
            .into_iter()
            .map(|p| (p, !findings.iter().any(|f| f.kind == p.violated_by)))
            .collect()
    }

    /// The cluster now, model-free: nodes, links, messages in flight.
    pub fn cluster(&self) -> ClusterView<'_> {
        self.run.cluster()
    }

    /// Each node's full name ("Storage (B)").
    pub fn node_names(&self) -> Vec<String> {
        (0..self.run.node_count())
            .map(|n| self.names.full(NodeId(n)))
            .collect()
    }

    /// The model's kinds of message in plain words, in legend order (bit `i` of a
    /// [`Filter`] is kind `i`).
    pub fn message_kinds(&self) -> &'static [&'static str] {
        self.run.words().message_kinds()
    }

    /// The kinds of message sent so far, as [`Filter`] bits.
    pub fn kinds_sent(&self) -> u64 {
        self.run
            .words()
            .skeleton()
            .messages()
            .iter()
            .fold(0, |kinds, m| kinds | kind_bit(usize::from(m.kind)))
    }

    /// The trace as text (see [`crate::sim::render_text`]).
    pub fn text(&self) -> String {
        render_text(self.run.words(), &self.names)
    }

    // ----- along the axis -----

    /// The lowest and highest axis values the run covers so far (for "fit all").
    pub fn extent(&self, axis: Axis) -> (f64, f64) {
        let trace = self.trace();
        let values = (0..trace.len()).map(|i| axis_value(trace, axis, EventId(i as u32)));
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let head = self.head(axis);
        if low.is_finite() {
            (low.min(head), high.max(head))
        } else {
            (head, head)
        }
    }

    /// Each node's time-of-day clock at true time `at`.
    pub fn clock_readings(&self, at: Micros) -> Vec<i64> {
        let now = self.display_time(at);
        (0..self.run.node_count())
            .map(|n| self.run.clock(NodeId(n)).time_of_day(now))
            .collect()
    }

    /// The newest axis value: where the timeline's head is.
    pub fn head(&self, axis: Axis) -> f64 {
        let now = self.run.now();
        let trace = self.trace();
        let nodes = (0..self.run.node_count()).map(NodeId);
        match axis {
            Axis::TrueTime => now as f64,
            Axis::LocalClock => self
                .clock_readings(now)
                .into_iter()
                .map(|r| r as f64)
                .fold(f64::NEG_INFINITY, f64::max),
            Axis::Lamport => trace
                .events()
                .last()
                .map_or(0.0, |e| f64::from(e.lamport))
                .max(
                    nodes
                        .filter_map(|n| trace.node_events(n).last())
                        .map(|&e| f64::from(trace.event(e).lamport))
                        .fold(0.0, f64::max),
                ),
        }
    }

    /// Where `event` sits on `axis`, if it exists.
    pub fn position(&self, event: EventId, axis: Axis) -> Option<f64> {
        (event.index() < self.event_count()).then(|| axis_value(self.trace(), axis, event))
    }

    // ----- inspecting -----

    /// What the inspector shows about one event.
    pub fn details(&self, event: EventId) -> Option<EventDetails> {
        let trace = self.trace();
        if event.index() >= trace.len() {
            return None;
        }
        let e = trace.event(event);
        let past = trace.causal_past_count(event);
        let future = trace.causal_future_count(event);
        Some(EventDetails {
            event,
            node: e.node,
            description: describe(self.run.words(), e.kind, &self.names),
            time: e.time,
            time_of_day: e.time_of_day,
            lamport: e.lamport,
            vector_clock: trace.vector_clock(event).to_vec(),
            past,
            future,
            concurrent: trace.len() - 1 - past - future,
        })
    }

    /// Every event from index `from` on, with its node and its words, as the timeline and the
    /// inspector say it ("x = 2 (from Client B)").
    pub fn events_said(&self, from: usize) -> Vec<(EventId, NodeId, String)> {
        let trace = self.trace();
        (from..trace.len())
            .map(|i| {
                let event = trace.event(EventId(i as u32));
                let words = describe(self.run.words(), event.kind, &self.names);
                (EventId(i as u32), event.node, words)
            })
            .collect()
    }

    /// Where an event is drawn: its node and true time (cheaper than [`Session::details`],
    /// which works out its causal past and future).
    pub fn event_spot(&self, event: EventId) -> Option<(NodeId, Micros)> {
        let trace = self.trace();
        (event.index() < trace.len()).then(|| {
            let e = trace.event(event);
            (e.node, e.time)
        })
    }

    /// Each node's state now in a few words, for the row under the lanes: its model's
    /// headline ("holds token 33"), after its status when it is not running ("paused, holds
    /// token 33"; "crashed" alone when its memory is all the headline reads).
    pub fn headlines(&self) -> Vec<String> {
        (0..self.run.node_count())
            .map(|n| {
                let node = NodeId(n);
                let said = self.run.headline(node, &self.names);
                match (self.run.status(node), said.is_empty()) {
                    (NodeStatus::Running, _) => said,
                    (status, true) => status.label().to_string(),
                    (status, false) => [status.label(), ", ", &said].concat(),
                }
            })
            .collect()
    }

    /// What the inspector shows about one node now.
    pub fn node_summary(&self, node: NodeId) -> Option<NodeSummary> {
        if node.0 >= self.run.node_count() {
            return None;
        }
        let now = self.run.now();
        let clock = self.run.clock(node);
        let status = self.run.status(node);
        let flooded_until = self
            .run
            .cluster()
            .flooded_until
            .get(node.index())
            .copied()
            .filter(|&until| until > now);
        Some(NodeSummary {
            node,
            status,
            leader: self.run.cluster().leads(node),
            time_of_day: clock.time_of_day(now),
            monotonic: clock.monotonic(now),
            uncertainty_us: clock.uncertainty_us(),
            offset_us: clock.offset_us(),
            drift_ppm: clock.drift_ppm(),
            offset: self.clock_offsets().swap_remove(node.index()),
            memory: self.run.memory(node, &self.names),
            disk: self.run.disk(node, &self.names),
            synced: self.run.synced_disk(node, &self.names),
            flooded_until,
        })
    }

    /// Every fault that has taken effect so far, in time order: the scenario's own and the
    /// run's (each matched, in order, to the entry of [`Session::fault_log`] that applied it).
    pub fn faults_taken(&self) -> Vec<FaultTaken> {
        let words = self.run.words();
        let trace = words.skeleton();
        let log = self.run.fault_log();
        let mut next = 0;
        trace
            .events()
            .iter()
            .enumerate()
            .filter_map(|(index, event)| {
                let EventKind::Fault { index: fault } = event.kind else {
                    return None;
                };
                let logged = log
                    .get(next)
                    .filter(|entry| {
                        entry.at_time == event.time && entry.command == *trace.fault(fault)
                    })
                    .map(|_| {
                        next += 1;
                        next - 1
                    });
                Some(FaultTaken {
                    event: EventId(index as u32),
                    time: event.time,
                    words: words.fault(fault, &self.names),
                    logged,
                })
            })
            .collect()
    }

    /// Every node's clock offset in words, read side by side (see
    /// [`crate::sim::units::signed_durations`]).
    pub fn clock_offsets(&self) -> Vec<String> {
        let offsets: Vec<i64> = (0..self.run.node_count())
            .map(|n| self.run.clock(NodeId(n)).offset_us())
            .collect();
        crate::sim::units::signed_durations(&offsets)
    }

    /// Messages in flight now, oldest first.
    pub fn in_flight(&self) -> Vec<Flight> {
        let words = self.run.words();
        let known = words.skeleton().messages().len();
        let mut flights: Vec<Flight> = self
            .run
            .cluster()
            .in_flight
            .into_iter()
            .map(|message| Flight {
                message,
                payload: if (message.id.0 as usize) < known {
                    words.message(message.id, &self.names)
                } else {
                    String::new()
                },
            })
            .collect();
        crate::sim::sort::sort_by_key(&mut flights, |f| (f.message.sent, f.message.id));
        flights
    }
}
