//! [`Session`]: a simulation of one model, its end time and its findings so far, as a
//! [`LiveRun`].

use std::cell::RefCell;
use std::rc::Rc;

use super::{EventDetails, Flight, LiveRun, NodeSummary};
use crate::detect::{in_time_order, Finding, Observed, Property};
use crate::render::labels::place_labels;
use crate::render::timeline::{axis_value, layout_with_findings, Axis, Filter, Shape, Viewport};
use crate::render::topology::{topology_at, TopoShape, TopologyView};
use crate::sim::{
    describe, render_text, Action, Command, CommandError, EventId, Micros, Names, NodeId,
    NodeStatus, Simulation,
};

pub struct Session<M: Observed> {
    sim: Simulation<M>,
    duration: Micros,
    /// The findings and the trace length they were computed at: the detectors re-run at most
    /// once per look after the trace grew, not once per event run.
    judged: RefCell<(usize, Rc<[Finding]>)>,
    furthest: u64,
    /// What the scenario calls its nodes.
    names: Names,
}

impl<M: Observed> Session<M> {
    pub fn new(sim: Simulation<M>, duration: Micros, names: Names) -> Session<M> {
        // A replayed run starts where its last action left it: that far it has been.
        let furthest = sim.current_step();
        Session {
            sim,
            duration,
            judged: RefCell::new((usize::MAX, Rc::from(Vec::new()))),
            furthest,
            names,
        }
    }

    pub fn simulation(&self) -> &Simulation<M> {
        &self.sim
    }

    /// The findings for the trace as it is (in time order), re-running the detectors if it
    /// changed.
    fn judge(&self) -> Rc<[Finding]> {
        let length = self.sim.trace().len();
        let mut judged = self.judged.borrow_mut();
        if judged.0 != length {
            let mut findings = self.sim.model().detect(self.sim.trace());
            in_time_order(&mut findings);
            *judged = (length, findings.into());
        }
        judged.1.clone()
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
        self.furthest = self.furthest.max(self.sim.current_step());
        ran
    }

    fn advance_before(&mut self, events: u64, before: Micros) -> u64 {
        let Some(until) = before.checked_sub(1) else {
            return 0;
        };
        let until = until.min(self.duration);
        let mut ran = 0;
        while ran < events && self.sim.step_until(until).is_some() {
            ran += 1;
        }
        self.furthest = self.furthest.max(self.sim.current_step());
        ran
    }

    fn advance_to(&mut self, time: Micros) {
        self.sim.run_until(time.min(self.duration));
        self.furthest = self.furthest.max(self.sim.current_step());
    }

    fn run_to_end(&mut self) {
        self.sim.run_until(self.duration);
        self.furthest = self.furthest.max(self.sim.current_step());
    }

    fn event_count(&self) -> usize {
        self.sim.trace().len()
    }

    fn node_names(&self) -> Vec<String> {
        (0..self.sim.node_count())
            .map(|n| self.names.full(NodeId(n)))
            .collect()
    }

    fn findings(&self) -> Rc<[Finding]> {
        self.judge()
    }

    fn properties(&self) -> Vec<(Property, bool)> {
        let findings = self.judge();
        self.sim
            .model()
            .properties()
            .into_iter()
            .map(|p| (p, !findings.iter().any(|f| f.kind == p.violated_by)))
            .collect()
    }

    fn display_time(&self, wanted: Micros) -> Micros {
        let now = self.sim.now();
        let next = self
            .sim
            .next_time()
            .unwrap_or(self.duration)
            .min(self.duration)
            .max(now);
        wanted.clamp(now, next)
    }

    fn timeline(
        &self,
        viewport: &Viewport,
        selected: Option<EventId>,
        at: Micros,
        filter: &Filter,
    ) -> Vec<Shape> {
        let in_flight: Vec<_> = self.sim.in_flight().copied().collect();
        let selected = selected.filter(|e| e.index() < self.sim.trace().len());
        let findings = self.judge();
        let mut shapes = layout_with_findings(
            self.sim.trace(),
            viewport,
            selected,
            &in_flight,
            self.display_time(at),
            &findings,
            filter,
        );
        if filter.label_px > 0.0 {
            let labels = place_labels(
                self.sim.model(),
                self.sim.trace(),
                &self.names,
                &shapes,
                viewport,
                &findings,
                selected,
                filter.label_px,
            );
            shapes.extend(labels);
        }
        shapes
    }

    fn message_kinds(&self) -> &'static [&'static str] {
        M::MESSAGE_KINDS
    }

    fn topology(&self, view: &TopologyView, at: Micros) -> Vec<TopoShape> {
        topology_at(&self.sim, view, self.display_time(at))
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

    fn clock_readings(&self, at: Micros) -> Vec<i64> {
        let now = self.display_time(at);
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
                .clock_readings(now)
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
            description: describe(self.sim.model(), trace, e.kind, &self.names),
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
        render_text(self.sim.model(), self.sim.trace(), &self.names)
    }

    fn shiviz(&self) -> String {
        crate::share::shiviz_log(self.sim.model(), self.sim.trace(), &self.names)
    }

    fn trace_json(&self, run: &crate::share::SharedRun) -> String {
        crate::share::trace_json(
            self.sim.model(),
            self.sim.trace(),
            &self.names,
            self.node_count(),
            run,
            &self.judge(),
        )
    }

    fn apply(&mut self, fault: Command<()>) -> Result<(), CommandError> {
        let command = fault.for_model().ok_or(CommandError::NotAFault)?;
        self.sim.apply(command)?;
        // A fault after going back forks the run: the old future is gone.
        self.furthest = self.sim.current_step();
        Ok(())
    }

    fn fault_log(&self) -> Vec<Action<()>> {
        self.sim
            .actions()
            .iter()
            .filter_map(|action| {
                Some(Action {
                    after_step: action.after_step,
                    after_pops: action.after_pops,
                    at_time: action.at_time,
                    command: action.command.clone().without_op()?,
                })
            })
            .collect()
    }

    fn current_step(&self) -> u64 {
        self.sim.current_step()
    }

    fn furthest_step(&self) -> u64 {
        self.furthest
    }

    fn seek(&mut self, step: u64) {
        let here = self.sim.current_step();
        if step < here {
            self.sim.seek(step);
        } else {
            self.advance(step - here);
        }
    }

    fn node_count(&self) -> u8 {
        self.sim.node_count()
    }

    fn status(&self, node: NodeId) -> NodeStatus {
        self.sim.status(node)
    }

    fn link_up(&self, from: NodeId, to: NodeId) -> bool {
        self.sim.network().is_up(from, to)
    }

    fn in_flight(&self) -> Vec<Flight> {
        let trace = self.sim.trace();
        let mut flights: Vec<Flight> = self
            .sim
            .in_flight()
            .map(|&message| Flight {
                message,
                payload: trace
                    .messages()
                    .get(message.id.0 as usize)
                    .map(|r| self.sim.model().message(&r.payload, &self.names))
                    .unwrap_or_default(),
            })
            .collect();
        flights.sort_by_key(|f| (f.message.sent, f.message.id));
        flights
    }

    fn node_summary(&self, node: NodeId) -> Option<NodeSummary> {
        if node.0 >= self.sim.node_count() {
            return None;
        }
        let now = self.sim.now();
        let clock = self.sim.clock(node);
        let leader = self
            .topology(&TopologyView::new(1.0, 1.0), now)
            .iter()
            .any(|s| matches!(s, TopoShape::Node { node: n, leader: true, .. } if *n == node));
        Some(NodeSummary {
            node,
            status: self.sim.status(node),
            leader,
            time_of_day: clock.time_of_day(now),
            monotonic: clock.monotonic(now),
            uncertainty_us: clock.uncertainty_us(),
            offset_us: clock.offset_us(),
            drift_ppm: clock.drift_ppm(),
            memory: self
                .sim
                .state(node)
                .map(|s| self.sim.model().memory(node, &s.volatile, &self.names)),
            disk: self
                .sim
                .model()
                .disk(node, self.sim.durable(node), &self.names),
        })
    }
}
