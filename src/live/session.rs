//! [`Session`]: one run of a scenario (any model, behind [`ModelRun`]), its end time, what the
//! scenario calls its nodes, and its findings so far; here, how it runs: advancing, faults and
//! time travel.

use std::cell::RefCell;
use std::rc::Rc;

use super::ModelRun;
use crate::detect::{in_time_order, Finding};
use crate::sim::{Command, CommandError, LoggedCommand, Micros, Names, NodeId, NodeStatus, Words};

pub struct Session {
    pub(super) run: Box<dyn ModelRun>,
    duration: Micros,
    /// The findings and the trace length they were computed at: the detectors re-run at most
    /// once per look after the trace grew, not once per event run.
    judged: RefCell<(usize, Rc<[Finding]>)>,
    furthest: u64,
    /// What the scenario calls its nodes.
    pub(super) names: Names,
}

impl Session {
    pub fn new(run: Box<dyn ModelRun>, duration: Micros, names: Names) -> Session {
        // A replayed run starts where its last action left it: that far it has been.
        let furthest = run.current_step();
        Session {
            run,
            duration,
            judged: RefCell::new((usize::MAX, Rc::from(Vec::new()))),
            furthest,
            names,
        }
    }

    /// The trace, and its payloads in words: what exports read.
    pub fn words(&self) -> &dyn Words {
        self.run.words()
    }

    /// What the scenario calls its nodes.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The detectors' findings so far, in time order (re-run only when the trace has grown).
    pub fn findings(&self) -> Rc<[Finding]> {
        let length = self.event_count();
        let mut judged = self.judged.borrow_mut();
        if judged.0 != length {
            let mut findings = self.run.detect();
            in_time_order(&mut findings);
            *judged = (length, findings.into());
        }
        judged.1.clone()
    }

    /// Makes the next look re-judge the trace: after going back or forking, a trace of the
    /// length last judged may be another one.
    fn forget_findings(&self) {
        self.judged.borrow_mut().0 = usize::MAX;
    }

    // ----- where the run is -----

    /// True time now.
    pub fn now(&self) -> Micros {
        self.run.now()
    }

    /// When the scenario ends.
    pub fn duration(&self) -> Micros {
        self.duration
    }

    /// Nothing more will happen before the end.
    pub fn finished(&self) -> bool {
        self.run.now() >= self.duration && self.run.next_time().is_none_or(|t| t > self.duration)
    }

    pub fn event_count(&self) -> usize {
        self.run.words().skeleton().len()
    }

    pub fn node_count(&self) -> u8 {
        self.run.node_count()
    }

    pub fn status(&self, node: NodeId) -> NodeStatus {
        self.run.status(node)
    }

    pub fn link_up(&self, from: NodeId, to: NodeId) -> bool {
        self.run.network().is_up(from, to)
    }

    /// The pair's own loss and duplication in words, if either direction has its own (see
    /// [`crate::sim::link_note`]).
    pub fn link_note(&self, a: NodeId, b: NodeId) -> Option<String> {
        crate::sim::link_note(self.run.network(), a, b)
    }

    /// `wanted` clamped to what can be shown: from now up to the next event (or the end).
    /// Playback shows times in between so messages glide rather than jump.
    pub fn display_time(&self, wanted: Micros) -> Micros {
        let now = self.run.now();
        let next = self
            .run
            .next_time()
            .unwrap_or(self.duration)
            .min(self.duration)
            .max(now);
        wanted.clamp(now, next)
    }

    // ----- running -----

    /// Runs up to `events` events (never past the end); returns how many ran.
    pub fn advance(&mut self, events: u64) -> u64 {
        let mut ran = 0;
        while ran < events {
            if self.run.step_until(self.duration) {
                ran += 1;
            } else {
                // Nothing left before the end: let true time reach it.
                self.run.run_until(self.duration);
                break;
            }
        }
        self.reached();
        ran
    }

    /// Runs up to `events` events due strictly before true time `before` (never past the end),
    /// skipping over stale queue entries without passing it; returns how many ran. True time
    /// stays at the last event run.
    pub fn advance_before(&mut self, events: u64, before: Micros) -> u64 {
        let Some(until) = before.checked_sub(1) else {
            return 0;
        };
        let until = until.min(self.duration);
        let mut ran = 0;
        while ran < events && self.run.step_until(until) {
            ran += 1;
        }
        self.reached();
        ran
    }

    /// Runs every event due at or before true time `time` (never past the end), then moves true
    /// time to it: how a timed fault lands exactly when it is due.
    pub fn advance_to(&mut self, time: Micros) {
        self.run.run_until(time.min(self.duration));
        self.reached();
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        self.run.run_until(self.duration);
        self.reached();
    }

    fn reached(&mut self) {
        self.furthest = self.furthest.max(self.run.current_step());
    }

    // ----- breaking things and moving through time -----

    /// Applies a fault now (client requests are refused: they belong to the model's script).
    pub fn apply(&mut self, fault: Command<()>) -> Result<(), CommandError> {
        self.run.apply(fault)?;
        // A fault after going back forks the run: the old future is gone, and findings judged
        // on it must not pass for this run's at the same length.
        self.furthest = self.run.current_step();
        self.forget_findings();
        Ok(())
    }

    /// Every fault applied by hand and exactly where (the whole log, including a future that
    /// going back has not yet discarded): what a share link carries.
    pub fn fault_log(&self) -> Vec<LoggedCommand<()>> {
        self.run.fault_log()
    }

    /// Steps run so far.
    pub fn current_step(&self) -> u64 {
        self.run.current_step()
    }

    /// The furthest step this run has reached (the scrubber's end); a fault applied after
    /// going back forks the run, and the old future is gone.
    pub fn furthest_step(&self) -> u64 {
        self.furthest
    }

    /// Takes back the steps run since `step`, as if they had never been run: the scrubber's
    /// end goes back to `furthest`, where it stood before them. How guided mode stops just
    /// before an event it only recognises once it has run (its words come from the model).
    pub fn take_back(&mut self, step: u64, furthest: u64) {
        self.seek(step);
        self.furthest = furthest.max(step);
    }

    /// Moves to the position after `step` steps, backwards exactly (snapshots + replay) or
    /// forwards by running, never past the end.
    pub fn seek(&mut self, step: u64) {
        let here = self.run.current_step();
        if step < here {
            self.run.seek(step);
            self.forget_findings();
        } else {
            self.advance(step - here);
        }
    }
}
