//! [`Session`]: a simulation of one model, its end time and its findings so far, as a
//! [`LiveRun`].

use super::{EventDetails, LiveRun};
use crate::detect::{Finding, Observed, Property};
use crate::render::timeline::{axis_value, layout_with_findings, Axis, Shape, Viewport};
use crate::render::topology::{topology, TopoShape, TopologyView};
use crate::sim::{describe, render_text, EventId, Micros, NodeId, Simulation};

pub struct Session<M: Observed> {
    sim: Simulation<M>,
    duration: Micros,
    findings: Vec<Finding>,
    /// Trace length when `findings` was last computed.
    judged: usize,
}

impl<M: Observed> Session<M> {
    pub fn new(sim: Simulation<M>, duration: Micros) -> Session<M> {
        let mut session = Session {
            sim,
            duration,
            findings: Vec::new(),
            judged: usize::MAX,
        };
        session.judge();
        session
    }

    pub fn simulation(&self) -> &Simulation<M> {
        &self.sim
    }

    /// Re-runs the detectors if the trace grew.
    fn judge(&mut self) {
        if self.judged != self.sim.trace().len() {
            self.findings = self.sim.model().detect(self.sim.trace());
            self.judged = self.sim.trace().len();
        }
    }
}

impl<M: Observed> LiveRun for Session<M> {
    fn now(&self) -> Micros {
        self.sim.now()
    }

    fn duration(&self) -> Micros {
        self.duration
    }

    fn finished(&self) -> bool {
        self.sim.now() >= self.duration && self.sim.next_time().is_none_or(|t| t > self.duration)
    }

    fn advance(&mut self, events: u64) -> u64 {
        let mut ran = 0;
        while ran < events {
            if self.sim.step_until(self.duration).is_some() {
                ran += 1;
            } else {
                // Nothing left before the end: let true time reach it.
                self.sim.run_until(self.duration);
                break;
            }
        }
        self.judge();
        ran
    }

    fn run_to_end(&mut self) {
        self.sim.run_until(self.duration);
        self.judge();
    }

    fn event_count(&self) -> usize {
        self.sim.trace().len()
    }

    fn node_names(&self) -> Vec<String> {
        (0..self.sim.node_count())
            .map(|n| NodeId(n).to_string())
            .collect()
    }

    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn properties(&self) -> Vec<(Property, bool)> {
        self.sim
            .model()
            .properties()
            .into_iter()
            .map(|p| (p, !self.findings.iter().any(|f| f.kind == p.violated_by)))
            .collect()
    }

    fn timeline(&self, viewport: &Viewport, selected: Option<EventId>) -> Vec<Shape> {
        let in_flight: Vec<_> = self.sim.in_flight().copied().collect();
        let selected = selected.filter(|e| e.index() < self.sim.trace().len());
        layout_with_findings(
            self.sim.trace(),
            viewport,
            selected,
            &in_flight,
            self.sim.now(),
            &self.findings,
        )
    }

    fn topology(&self, view: &TopologyView) -> Vec<TopoShape> {
        topology(&self.sim, view)
    }

    fn extent(&self, axis: Axis) -> (f64, f64) {
        let trace = self.sim.trace();
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

    fn clock_readings(&self) -> Vec<i64> {
        let now = self.sim.now();
        (0..self.sim.node_count())
            .map(|n| self.sim.clock(NodeId(n)).time_of_day(now))
            .collect()
    }

    fn head(&self, axis: Axis) -> f64 {
        let now = self.sim.now();
        let nodes = (0..self.sim.node_count()).map(NodeId);
        match axis {
            Axis::TrueTime => now as f64,
            Axis::LocalClock => self
                .clock_readings()
                .into_iter()
                .map(|r| r as f64)
                .fold(f64::NEG_INFINITY, f64::max),
            Axis::Lamport => self
                .sim
                .trace()
                .events()
                .last()
                .map_or(0.0, |e| f64::from(e.lamport))
                .max(
                    nodes
                        .filter_map(|n| self.sim.trace().node_events(n).last())
                        .map(|&e| f64::from(self.sim.trace().event(e).lamport))
                        .fold(0.0, f64::max),
                ),
        }
    }

    fn details(&self, event: EventId) -> Option<EventDetails> {
        let trace = self.sim.trace();
        if event.index() >= trace.len() {
            return None;
        }
        let e = trace.event(event);
        let past = trace.causal_past(event).len();
        let future = trace.causal_future(event).len();
        Some(EventDetails {
            event,
            node: e.node,
            description: describe(trace, e.kind),
            time: e.time,
            time_of_day: e.time_of_day,
            lamport: e.lamport,
            vector_clock: trace.vector_clock(event).to_vec(),
            past,
            future,
            concurrent: trace.len() - 1 - past - future,
        })
    }

    fn position(&self, event: EventId, axis: Axis) -> Option<f64> {
        (event.index() < self.sim.trace().len()).then(|| axis_value(self.sim.trace(), axis, event))
    }

    fn text(&self) -> String {
        render_text(self.sim.trace())
    }
}
