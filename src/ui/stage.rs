//! The stage: the running simulation and the timeline camera, shared by the frame loop and the
//! gesture handlers; the UI's second store ([`StageHandle`], with its one revision number).
//! Browser-free, so playback pacing is tested natively.

use std::cell::{Cell, Ref, RefCell, RefMut};
use std::rc::Rc;

use crate::detect::{seconds, Finding, FindingKind};
use crate::live::Session;
use crate::render::camera::Camera;
use crate::render::folds::story_camera;
use crate::render::headers::EndState;
use crate::render::timeline::{Axis, Shape, Viewport};
use crate::scenarios::{self, Prediction, Scenario};
use crate::share::{Moment, TimedResume, MAX_FAULTS};
use crate::sim::{
    Command, CommandError, EventId, LoggedCommand, Micros, Names, NodeId, ReplayError,
};

use super::state::{Action, AppState, Progress, Speed};
use yew::UseReducerDispatcher;

/// "As fast as possible" runs events in batches of this size, checking the frame budget between.
pub const BATCH: u64 = 256;

/// The most wall time (ms) one frame may catch up on; reduced-motion ticks are 500 ms apart.
const MAX_FRAME_GAP_MS: f64 = 1_000.0;

/// The UI's second store, beside the reducer's [`AppState`]: the run on stage and its camera.
/// A run is large, mutable and not comparable, so it cannot live in the reducer; instead it sits
/// in one shared cell with one revision number. Every change a component shows besides playback
/// progress (a new run put on stage, a fault applied by hand) goes through [`StageHandle::put`]
/// or [`StageHandle::change`], which bump the revision; the caller then tells the reducer
/// (`Action::RunStarted`, `Action::FaultApplied`, carrying it), and components compare
/// `AppState::stage`, that one number, to know when to read the stage again. Playback and the
/// camera ([`StageHandle::with`]) change what the canvases draw each frame, not the DOM.
///
/// `None` until a run starts. Compared by identity: it is one cell for the app's whole life.
#[derive(Clone, Default)]
pub struct StageHandle {
    cell: Rc<RefCell<Option<Stage>>>,
    revision: Rc<Cell<u64>>,
    /// Wakes the frame loop (which sleeps while nothing moves) after a change.
    waker: Rc<RefCell<Option<Waker>>>,
}

/// What wakes the frame loop.
pub type Waker = Rc<dyn Fn()>;

impl StageHandle {
    /// Runs `f` on the stage if there is one and nothing else holds it (an event handler
    /// never waits on the frame loop, and a busy stage is not an error worth a panic). For
    /// playback and the camera: it does not bump the revision.
    pub fn with<R>(&self, f: impl FnOnce(&mut Stage) -> R) -> Option<R> {
        let result = {
            let mut guard = self.cell.try_borrow_mut().ok()?;
            guard.as_mut().map(f)
        };
        self.wake();
        result
    }

    /// Wakes the frame loop: something it draws may have changed.
    pub fn wake(&self) {
        let waker = self.waker.try_borrow().ok().and_then(|w| w.clone());
        if let Some(wake) = waker {
            wake();
        }
    }

    /// What [`StageHandle::wake`] calls (the frame loop sets it when it starts).
    pub fn set_waker(&self, wake: Waker) {
        if let Ok(mut waker) = self.waker.try_borrow_mut() {
            *waker = Some(wake);
        }
    }

    /// The stage, to read while rendering (`None` if there is none or it is busy).
    pub fn read(&self) -> Option<Ref<'_, Stage>> {
        let guard = self.cell.try_borrow().ok()?;
        Ref::filter_map(guard, Option::as_ref).ok()
    }

    /// The stage, to drive for a whole frame (`None` if there is none or it is busy).
    pub(super) fn borrow_mut(&self) -> Option<RefMut<'_, Stage>> {
        let guard = self.cell.try_borrow_mut().ok()?;
        RefMut::filter_map(guard, Option::as_mut).ok()
    }

    /// Changes the stage in a way components show (a fault): bumps the revision, returned with
    /// `f`'s result for the reducer.
    pub fn change<R>(&self, f: impl FnOnce(&mut Stage) -> R) -> Option<(R, u64)> {
        let result = self.with(f)?;
        Some((result, self.bump()))
    }

    /// Puts a new run on stage; its revision, for the reducer. `None` if the stage is busy.
    pub fn put(&self, mut stage: Stage) -> Option<u64> {
        let revision = {
            let mut slot = self.cell.try_borrow_mut().ok()?;
            let revision = self.bump();
            stage.revision_put = revision;
            *slot = Some(stage);
            revision
        };
        self.wake();
        Some(revision)
    }

    fn bump(&self) -> u64 {
        self.revision.set(self.revision.get() + 1);
        self.revision.get()
    }
}

impl PartialEq for StageHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cell, &other.cell)
    }
}

/// The longest run [`Stage::outlook`] counts (events): the sandbox's 30 s are about 11,000.
pub const OUTLOOK_EVENTS: u64 = 200_000;

/// Applies faults on the stage, then reports the result to the reducer.
pub fn apply_faults(
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
    faults: Vec<Command<()>>,
) {
    dispatch.dispatch(applied(
        stage.change(|stage| faults.into_iter().try_for_each(|f| stage.apply(f))),
    ));
}

/// What the reducer hears after faults were tried through [`StageHandle::change`].
pub fn applied(result: Option<(Result<(), FaultRefused>, u64)>) -> Action {
    match result.unwrap_or((Err(FaultRefused::Busy), 0)) {
        (Ok(()), revision) => Action::FaultApplied(revision),
        (Err(refused), _) => Action::Notice(refused.to_string()),
    }
}

/// Why a fault asked for by hand was not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultRefused {
    /// The run already holds [`MAX_FAULTS`] faults applied by hand (a link must carry them).
    TooMany,
    /// It makes no sense now (restarting a running node, say).
    Impossible(CommandError),
    /// The frame loop held the stage.
    Busy,
    /// The challenge being played does not allow it.
    Challenge(crate::challenge::Refusal),
}

impl std::fmt::Display for FaultRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultRefused::TooMany => write!(
                f,
                "A run holds at most {MAX_FAULTS} faults applied by hand, so that it can still be \
                 shared. Restart it to begin again."
            ),
            FaultRefused::Impossible(error) => write!(f, "That could not be done: {error}."),
            FaultRefused::Busy => write!(f, "The simulation is busy; try again."),
            FaultRefused::Challenge(refusal) => write!(f, "{refusal}"),
        }
    }
}

impl std::error::Error for FaultRefused {}

/// Where guided playback stops: just before the first event that answers the question
/// (`ask`), and/or right after the event that brings a new finding of the kind the lesson is
/// about (the anomaly). The default stops nowhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stop {
    pub ask: bool,
    pub on_finding: Option<FindingKind>,
}

/// A question guided mode asks of the person's own fault, in a scenario that asks none of its
/// own before one (the sandbox): what the fault will do, as a run of the future shows.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnQuestion {
    pub prediction: Prediction,
    /// The finding that answers it; none if nothing goes wrong before the run ends.
    pub anomaly: Option<FindingKind>,
    /// How many faults the run had when it was asked.
    pub faults: usize,
}

pub struct Stage {
    pub scenario: Scenario,
    pub run: Session,
    pub names: Vec<String>,
    /// `None` until the first frame knows the canvas size.
    pub camera: Option<Camera>,
    /// The shapes and viewport of the last painted timeline frame: what the pointer hits.
    pub painted: Option<(Vec<Shape>, Viewport)>,
    /// Fractional events owed to the speed setting between frames.
    owed: f64,
    /// The true time shown: between the current event and the next while playing smoothly.
    shown: Micros,
    /// A knife stroke being drawn across the topology (CSS px), shown as a trail.
    pub knife: Vec<(f64, f64)>,
    /// Timed pauses: each node resumes when true time reaches its moment.
    resumes: Vec<(NodeId, Micros)>,
    /// The stage revision this run was put on stage at: tells runs apart.
    pub revision_put: u64,
    /// The person's own scenario this run is of, if it is not a preset (links carry it whole).
    pub custom: Option<Rc<Scenario>>,
    /// A hunt's run: the hunt's settings, and the cluster of the scenario it hunted (before its
    /// subject set the clocks right), as a share link names them.
    pub hunt: Option<(crate::hunt::Settings, crate::scenarios::Cluster)>,
    /// A challenge's run (its arena, see [`crate::challenge`]): the challenge, and the cluster
    /// of the scenario it is played on, as a share link names it. Faults asked for by hand
    /// keep its budget.
    pub challenge: Option<(Rc<crate::challenge::Challenge>, crate::scenarios::Cluster)>,
    /// The run has been played to its end (here, or before it was shared): its view rests on
    /// the story around the key moment rather than following the newest event.
    pub story: bool,
    /// The kinds of message the scenario's own story sends (as filter bits): the message
    /// filter offers these, and any sent since, rather than every kind the model knows.
    pub kinds_in_story: u64,
    /// The canvas height the camera was fitted for while nobody has moved it; `None` once the
    /// person has zoomed, panned, fitted or followed.
    auto_height: Option<f64>,
    /// Whether the camera was fitted while the view rested on the story, and then on a trace
    /// of how many events (see [`Stage::camera_for`]): a run that reaches its end by any means
    /// is framed again, and so is a story whose trace changed.
    camera_story: Option<usize>,
    /// The entries of the run's fault log a hunt put there (a hunted run's faults): the fault
    /// log tells them from faults applied by hand.
    pub hunted_log: Vec<LoggedCommand<()>>,
    /// The question asked of the person's own fault, once asked (see [`OwnQuestion`]).
    pub own_question: Option<OwnQuestion>,
    /// This run beside another of its scenario, when the person compares them (the timeline
    /// then shows the two, see [`super::compare`]).
    pub compared: Option<super::compare::Compared>,
}

/// Where a fault in the run's fault log came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultOrigin {
    /// Part of the scenario's script.
    Scripted,
    /// Applied by the person.
    ByHand,
    /// Found by a hunt.
    Hunted,
}

impl FaultOrigin {
    pub fn label(self) -> &'static str {
        match self {
            FaultOrigin::Scripted => "scripted",
            FaultOrigin::ByHand => "by hand",
            FaultOrigin::Hunted => "hunted",
        }
    }
}

/// A fault of the run's own that could not be carried into a rebuilt run, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NotCarried {
    pub at_time: Micros,
    pub command: Command<()>,
    pub why: String,
}

/// How many events of a scenario's story are run ahead to learn which kinds of message it
/// sends: every preset's whole story, and a bounded cost for a long one of the person's own.
const STORY_EVENTS: u64 = 50_000;

/// The kinds of message `scenario` sends when it runs on its own, without anyone's faults.
fn kinds_in_story(scenario: &Scenario) -> u64 {
    match scenarios::start_with(scenario, &[]) {
        Ok(mut story) => {
            story.advance(STORY_EVENTS);
            story.kinds_sent()
        }
        Err(_) => u64::MAX,
    }
}

/// What to tell the person when some of a run's faults could not be carried into a rebuilt run
/// (`doing`: "Turning the fix on"); nothing when all were.
pub fn not_carried_notice(
    doing: &str,
    not_carried: &[NotCarried],
    names: &Names,
) -> Option<String> {
    let listed: Vec<String> = not_carried
        .iter()
        .map(|n| {
            let what = n
                .command
                .clone()
                .map_op(|()| Some(String::new()))
                .map(|c| crate::sim::words::fault(&c, names))
                .unwrap_or_default();
            format!(
                "{what} at {} ({})",
                crate::detect::seconds(n.at_time),
                n.why
            )
        })
        .collect();
    match listed.as_slice() {
        [] => None,
        [one] => Some(format!("{doing} kept every fault but one: {one}.")),
        many => Some(format!(
            "{doing} kept every fault but {}: {}.",
            many.len(),
            many.join("; ")
        )),
    }
}

/// What the page says when a shared run's faults cannot be replayed: it starts afresh.
pub fn not_replayed(error: &ReplayError) -> String {
    format!("The shared run could not be replayed ({error}); it starts afresh.")
}

/// What the page says when a run cannot start at all, and why.
pub fn cannot_start(reason: &str) -> String {
    format!("This run could not start: {reason}.")
}

impl Stage {
    /// Starts `scenario` with `fix` and `seed` applied.
    pub fn start(scenario: &Scenario, fix: bool, seed: u64) -> Result<Stage, ReplayError> {
        Stage::restore(scenario, fix, seed, &[], 0, Moment::default())
    }

    /// Takes on timed pauses still running when the run was shared.
    pub fn resuming(mut self, resumes: &[TimedResume]) -> Stage {
        self.resumes = resumes.iter().map(|r| (r.node, r.at_us)).collect();
        self
    }

    /// Where the run stands besides its step, for a share link (see [`Moment`]).
    pub fn moment(&self) -> Moment {
        let (step, furthest, now) = (
            self.run.current_step(),
            self.run.furthest_step(),
            self.run.now(),
        );
        let shown = self.shown_time();
        Moment {
            furthest: if furthest > step { furthest } else { 0 },
            now_us: now,
            shown_us: if shown > now { shown } else { 0 },
        }
    }

    /// Timed pauses still running, for a share link.
    pub fn pending_resumes(&self) -> Vec<TimedResume> {
        self.resumes
            .iter()
            .map(|&(node, at_us)| TimedResume { node, at_us })
            .collect()
    }

    /// Starts `scenario` with `fix` and `seed` applied, replays `faults` (see
    /// [`Session::fault_log`]) and moves to `step` and `moment`: a shared run, exactly as it
    /// was — its furthest step, the true time it had moved on to, the time shown.
    pub fn restore(
        scenario: &Scenario,
        fix: bool,
        seed: u64,
        faults: &[LoggedCommand<()>],
        step: u64,
        moment: Moment,
    ) -> Result<Stage, ReplayError> {
        let mut scenario = scenario.clone().with_fix(fix);
        scenario.config.seed = seed;
        let mut run = scenarios::start_with(&scenario, faults)?;
        // Out to the furthest step first, so going back leaves the same future behind.
        let furthest = moment.furthest.max(step);
        if furthest != run.current_step() {
            run.seek(furthest);
        }
        // Played to its end before it was shared: nothing was left to run at its furthest step.
        let story = run.finished() || run.display_time(Micros::MAX) >= run.duration();
        if step != run.current_step() {
            run.seek(step);
        }
        // A run that ran out of events had moved true time on (to its end); nothing is due in
        // between, so this runs no event that the shared run had not run.
        if moment.now_us > run.now() {
            run.advance_to(moment.now_us);
        }
        let shown = moment.shown_us;
        let kinds_in_story = kinds_in_story(&scenario);
        Ok(Stage {
            names: run.node_names(),
            scenario,
            run,
            camera: None,
            painted: None,
            owed: 0.0,
            shown,
            knife: Vec::new(),
            resumes: Vec::new(),
            custom: None,
            hunt: None,
            challenge: None,
            story,
            kinds_in_story,
            auto_height: None,
            camera_story: None,
            hunted_log: Vec::new(),
            own_question: None,
            revision_put: 0,
            compared: None,
        })
    }

    /// A run of `scenario` (with `fix` and `seed`) that replays `exact` where they were applied,
    /// then applies `timed` at their true times as a person would (once every event due by
    /// then has run), and stands where the run had got to by true time `at`. The faults that
    /// cannot be applied there are left out and returned with why: a message dropped or
    /// duplicated by hand is another message, or none, in another run.
    ///
    /// How a run keeps its faults when the fix is turned on or off (the fix changes the model,
    /// not the schedule), and when one of them is undone.
    pub fn rebuilt(
        scenario: &Scenario,
        fix: bool,
        seed: u64,
        exact: &[LoggedCommand<()>],
        timed: &[LoggedCommand<()>],
        at: Micros,
    ) -> Result<(Stage, Vec<NotCarried>), ReplayError> {
        let mut stage = Stage::restore(scenario, fix, seed, exact, 0, Moment::default())?;
        let mut not_carried = Vec::new();
        let mut position = None;
        for entry in timed {
            if position.is_none() && entry.at_time > at {
                stage.run.advance_before(u64::MAX, at.saturating_add(1));
                position = Some(stage.run.current_step());
            }
            stage
                .run
                .advance_before(u64::MAX, entry.at_time.saturating_add(1));
            stage.run.advance_to(entry.at_time);
            let refused = match entry.command {
                Command::DropMessage { .. } | Command::DuplicateMessage { .. } => Some(
                    "a message picked by hand is another message, or none, in this run".to_string(),
                ),
                _ => stage
                    .apply(entry.command.clone())
                    .err()
                    .map(|e| e.to_string()),
            };
            if let Some(why) = refused {
                not_carried.push(NotCarried {
                    at_time: entry.at_time,
                    command: entry.command.clone(),
                    why,
                });
            }
        }
        match position {
            Some(step) => stage.run.seek(step),
            None => {
                stage.run.advance_before(u64::MAX, at.saturating_add(1));
            }
        }
        // At that true time, even between two of this run's events.
        if stage.run.now() < at {
            stage.run.advance_to(at);
        }
        stage.story = stage.run.finished();
        Ok((stage, not_carried))
    }

    /// This run again with the fix turned `fix` (on or off), keeping every fault of its own at
    /// the same true time, its timed pauses, its hunt and its story, standing at the same true
    /// time. See [`Stage::rebuilt`].
    pub fn with_fix(&self, fix: bool) -> Result<(Stage, Vec<NotCarried>), ReplayError> {
        let (mut stage, not_carried) = Stage::rebuilt(
            &self.scenario,
            fix,
            self.scenario.config.seed,
            &[],
            &self.run.fault_log(),
            self.run.now(),
        )?;
        stage.resumes = self.resumes.clone();
        stage.custom = self.custom.clone();
        stage.hunt = self.hunt.clone();
        stage.challenge = self.challenge.clone();
        // The hunt's faults, now at the places this run applied them.
        let log = stage.run.fault_log();
        stage.hunted_log = self
            .run
            .fault_log()
            .iter()
            .zip(&log)
            .filter(|(old, _)| self.hunted_log.contains(old))
            .map(|(_, new)| new.clone())
            .collect();
        Ok((stage, not_carried))
    }

    /// This run without entry `index` of its fault log: the faults before it replay exactly,
    /// the ones after it at their true times, and the run stands at the same true time.
    pub fn without_fault(&self, index: usize) -> Result<(Stage, Vec<NotCarried>), ReplayError> {
        let log = self.run.fault_log();
        let (before, after) = (
            &log[..index.min(log.len())],
            log.get(index + 1..).unwrap_or(&[]),
        );
        let (mut stage, not_carried) = Stage::rebuilt(
            &self.scenario,
            self.scenario.fix_enabled,
            self.scenario.config.seed,
            before,
            after,
            self.run.now(),
        )?;
        stage.resumes = self.resumes.clone();
        stage.custom = self.custom.clone();
        stage.hunt = self.hunt.clone();
        stage.challenge = self.challenge.clone();
        stage.hunted_log = self.hunted_log.clone();
        stage.camera = self.camera;
        stage.auto_height = self.auto_height;
        stage.camera_story = self.camera_story;
        Ok((stage, not_carried))
    }

    /// Where a fault of the run came from (see [`crate::live::FaultTaken`]).
    pub fn origin(&self, logged: Option<usize>, log: &[LoggedCommand<()>]) -> FaultOrigin {
        match logged.and_then(|index| log.get(index)) {
            None => FaultOrigin::Scripted,
            Some(entry) if self.hunted_log.contains(entry) => FaultOrigin::Hunted,
            Some(_) => FaultOrigin::ByHand,
        }
    }

    /// Makes the moment the run stands at its story: its key moment, with the scenario's frames
    /// (their span, the story's scale, kept) around it. How a hunt's failure opens where it
    /// broke, and what a hunted run played to its end comes back to.
    pub fn story_is_here(&mut self) {
        let at = self.run.now();
        let scenario = &mut self.scenario;
        scenario.key_moment_us = at;
        let duration = scenario.duration_us;
        let around = |(start, end): (Micros, Micros)| {
            let span = end.saturating_sub(start);
            let start = at
                .saturating_sub(span * 3 / 4)
                .min(duration.saturating_sub(span));
            (start, start + span)
        };
        scenario.view.frame = scenario.view.frame.map(around);
        scenario.view.fix_frame = scenario.view.fix_frame.map(around);
        self.camera = None;
    }

    /// Pauses `node` now (stop-the-world, like a GC) and resumes it `duration_us` later.
    pub fn pause_for(&mut self, node: NodeId, duration_us: Micros) -> Result<(), FaultRefused> {
        self.apply(Command::Pause { node })?;
        self.resumes
            .push((node, self.run.now().saturating_add(duration_us)));
        Ok(())
    }

    /// Resumes every timed pause due before the next event (and before `limit`), exactly at
    /// its moment.
    fn resume_due(&mut self, limit: Micros) {
        while let Some(&(node, at)) = self.resumes.iter().min_by_key(|r| r.1) {
            if at > self.run.display_time(Micros::MAX) || at > self.run.duration() || at >= limit {
                return;
            }
            self.resumes.retain(|&r| r != (node, at));
            self.run.advance_to(at);
            // A node restarted or resumed by hand meanwhile needs no resuming.
            let _ = self.run.apply(Command::Resume { node });
        }
    }

    /// One event, after any timed resume due before it.
    fn run_one(&mut self) -> u64 {
        self.resume_due(Micros::MAX);
        self.run.advance(1)
    }

    /// Runs up to `events` events, stopping where guided mode wants to (see [`Stop`]);
    /// returns how many ran and whether it stopped there.
    pub fn advance_before(&mut self, events: u64, stop: Stop) -> (u64, bool) {
        let ask = stop.ask && !self.question().reveal.is_empty();
        if !ask && stop.on_finding.is_none() && self.resumes.is_empty() {
            return (self.run.advance(events), false);
        }
        let findings = self.run.findings().len();
        let mut ran = 0;
        while ran < events && !self.run.finished() {
            let (step, furthest, count) = (
                self.run.current_step(),
                self.run.furthest_step(),
                self.run.event_count(),
            );
            let one = self.run_one();
            // An event is recognised by its words, known once it has run: one that answers
            // the question is taken back, with everything at its instant (a narration line
            // due then tells of it), so the question is asked just before it.
            if let Some(at) = ask.then(|| self.reveals(count)).flatten() {
                let mut back = step;
                self.run.take_back(back, furthest);
                while back > 0 && self.run.now() >= at {
                    back -= 1;
                    self.run.take_back(back, furthest);
                }
                return (ran.min(back), true);
            }
            ran += one;
            // Checking after each event re-runs the detectors, which only guided mode asks for.
            if let Some(kind) = stop.on_finding {
                let now = self.run.findings();
                if now.iter().skip(findings).any(|f| f.kind == kind) {
                    return (ran, true);
                }
            }
            if one == 0 {
                break;
            }
        }
        (ran, false)
    }

    // ----- the guided lesson -----

    /// The question guided mode asks of this run: the scenario's (about the fix when it is
    /// on), or the one asked of the person's own fault.
    pub fn question(&self) -> &Prediction {
        match &self.own_question {
            Some(own) => &own.prediction,
            None => self.scenario.question(),
        }
    }

    /// The kind of finding the lesson stops on to explain (see [`Scenario::anomaly`]).
    pub fn anomaly(&self) -> Option<FindingKind> {
        match &self.own_question {
            Some(own) => own.anomaly,
            None => self.scenario.anomaly(),
        }
    }

    /// When the first event from trace index `from` on that answers the question happened,
    /// if one does.
    fn reveals(&self, from: usize) -> Option<Micros> {
        let reveal = &self.question().reveal;
        self.run
            .events_said(from)
            .iter()
            .find(|(_, node, words)| reveal.iter().any(|r| r.matches(*node, words)))
            .and_then(|(event, _, _)| self.run.event_spot(*event))
            .map(|(_, time)| time)
    }

    /// Whether `event` is one where the anomaly shows: one of its finding's events, or one
    /// drawn at the same spot (the same node at the same instant: one dot on the timeline).
    pub fn shows_anomaly(&self, event: EventId) -> bool {
        let Some(finding) = self.anomaly_found() else {
            return false;
        };
        let spot = |e: EventId| self.run.event_spot(e);
        let picked = spot(event);
        picked.is_some()
            && finding
                .events
                .iter()
                .any(|&e| e == event || spot(e) == picked)
    }

    /// The finding guided playback stopped on: the newest of the lesson's kind.
    pub fn anomaly_found(&self) -> Option<Finding> {
        let kind = self.anomaly()?;
        self.run
            .findings()
            .iter()
            .rev()
            .find(|f| f.kind == kind)
            .cloned()
    }

    /// Whether guided mode should now ask what the person's fault will do: the scenario
    /// asks only of faults (the sandbox), and one was made since the last such question.
    pub fn wants_own_question(&self) -> bool {
        if !self.scenario.question().reveal.is_empty() || self.run.finished() {
            return false;
        }
        let faults = self.run.fault_log().len();
        faults > 0
            && self
                .own_question
                .as_ref()
                .is_none_or(|own| own.faults < faults)
    }

    /// The run as it stands, counted on a copy run to its end (faults and timed pauses
    /// included): how many events it has in all, and the step of its key moment (the last event
    /// at or before the scenario's key moment). `(None, None)` for a run longer than
    /// [`OUTLOOK_EVENTS`], which is not worth counting before a host may drive it.
    pub fn outlook(&self) -> (Option<u64>, Option<u64>) {
        let Some(mut ahead) = self.copy_at(0) else {
            return (None, None);
        };
        let key = self.scenario.key_moment_us;
        let mut key_step = 0;
        while !ahead.run.finished() {
            if ahead.run_one() == 0 || ahead.run.current_step() > OUTLOOK_EVENTS {
                break;
            }
            if ahead.run.now() <= key {
                key_step = ahead.run.current_step();
            }
        }
        if !ahead.run.finished() {
            return (None, None);
        }
        (Some(ahead.run.current_step()), Some(key_step))
    }

    /// A copy of this run (its scenario, fix, seed, every fault and timed pause) at `step`, to
    /// run ahead without touching the run on stage.
    fn copy_at(&self, step: u64) -> Option<Stage> {
        let mut copy = Stage::restore(
            &self.scenario,
            self.scenario.fix_enabled,
            self.scenario.config.seed,
            &self.run.fault_log(),
            step,
            Moment::default(),
        )
        .ok()?;
        copy.resumes = self.resumes.clone();
        Some(copy)
    }

    /// Asks what the person's fault will do (see [`OwnQuestion`]): runs a copy of this run to
    /// its end, with every fault and timed pause it has, and takes its first new finding as
    /// the answer. The choices are the model's ways to go wrong, and that nothing does.
    pub fn ask_of_fault(&mut self) {
        let known = self.run.findings().len();
        let Some(mut ahead) = self.copy_at(self.run.current_step()) else {
            self.own_question = None;
            return;
        };
        while !ahead.run.finished() {
            if ahead.run_one() == 0 {
                break;
            }
        }
        let coming = ahead.run.findings().get(known).cloned();
        let mut kinds: Vec<FindingKind> = Vec::new();
        for property in self.run.properties() {
            if !kinds.contains(&property.0.violated_by) {
                kinds.push(property.0.violated_by);
            }
        }
        let answer_kind = coming.as_ref().map(|f| f.kind);
        // The answer, and the model's other ways to go wrong, at most three in all.
        let mut shown: Vec<FindingKind> = answer_kind.into_iter().collect();
        shown.extend(kinds.iter().copied().filter(|k| Some(*k) != answer_kind));
        shown.truncate(3);
        crate::sim::sort::sort_by_key(&mut shown, |kind| kinds.iter().position(|k| k == kind));
        let mut choices: Vec<String> = shown.iter().map(|k| k.happens().to_string()).collect();
        choices.push("Nothing goes wrong before the run ends".to_string());
        let answer = answer_kind
            .and_then(|kind| shown.iter().position(|&k| k == kind))
            .unwrap_or(choices.len() - 1);
        let explanation = match &coming {
            Some(finding) => format!(
                "{} {}",
                finding.kind.happens(),
                self.scenario.explanation(finding.kind)
            ),
            None => "The cluster rode it out: no checker finds anything wrong before the run \
                     ends. Try a harsher fault, or one at a worse moment."
                .to_string(),
        };
        self.own_question = Some(OwnQuestion {
            prediction: Prediction {
                question: format!(
                    "You broke the cluster {} into the run. What happens next?",
                    crate::sim::words::duration(self.run.now())
                ),
                choices,
                answer,
                explanation,
                reveal: Vec::new(),
            },
            anomaly: answer_kind,
            faults: self.run.fault_log().len(),
        });
    }

    /// Advances playback by `elapsed_ms` of wall time at `speed`, never past `stop` (see
    /// [`Stage::advance_before`]); returns whether it stopped there. Unlimited speed is paced
    /// by the caller, in [`BATCH`]es.
    pub fn play(&mut self, elapsed_ms: f64, speed: Speed, stop: Stop) -> bool {
        let Some(rate) = speed.events_per_second() else {
            return self.advance_before(BATCH, stop).1;
        };
        // A long gap (a hidden tab, a breakpoint) must not turn into a burst of events.
        let elapsed = elapsed_ms.clamp(0.0, MAX_FRAME_GAP_MS);
        self.owed += f64::from(rate) * elapsed / 1000.0;
        let due = self.owed.floor();
        self.owed -= due;
        let (_, stopped) = if due < 1.0 {
            (0, false)
        } else {
            self.advance_before(due as u64, stop)
        };
        if stopped {
            self.owed = 0.0;
        }
        self.glide();
        stopped
    }

    /// Advances playback by `elapsed_ms` of wall time paced in cluster time: `us_per_s` µs of
    /// true time per second (0.1 s per second shows a 15 s pause for two and a half minutes
    /// and a burst of messages within a millisecond slowly). Every event due by then runs,
    /// never past `stop`; the shown time moves on smoothly between events. Returns whether it
    /// stopped there.
    pub fn play_paced(&mut self, elapsed_ms: f64, us_per_s: u32, stop: Stop) -> bool {
        let elapsed = elapsed_ms.clamp(0.0, MAX_FRAME_GAP_MS);
        let from = self.shown.max(self.run.now());
        // Whole µs now, the fraction carried to the next frame (so no time is lost to rounding).
        let advance = f64::from(us_per_s) * elapsed / 1000.0 + self.owed.clamp(0.0, 1.0);
        self.owed = advance.fract();
        let target = from.saturating_add(advance as Micros);
        while !self.run.finished() && self.run.display_time(Micros::MAX) <= target {
            let (ran, stopped) = self.advance_before(1, stop);
            if stopped {
                self.shown = self.run.now();
                return true;
            }
            if ran == 0 {
                break;
            }
        }
        self.shown = self.run.display_time(target);
        false
    }

    /// Moves the shown time part of the way to the next event, as far as the speed setting
    /// has earned toward it, so messages in flight glide along their links.
    fn glide(&mut self) {
        let now = self.run.now();
        let next = self.run.display_time(Micros::MAX);
        let between = (next - now) as f64 * self.owed.clamp(0.0, 1.0);
        self.shown = self.run.display_time(now + between as Micros);
    }

    /// Shows the simulation's own time: for reduced motion, where nothing glides.
    pub fn settle(&mut self) {
        self.shown = self.run.now();
    }

    /// The row under the lanes: each node's state now, and when that is ("At the end,
    /// 17.000 s" once the run has ended, "Now, 4.200 s" before).
    pub fn end_state(&self) -> EndState {
        let when = if self.run.finished() {
            "At the end"
        } else {
            "Now"
        };
        EndState {
            caption: [when, ", ", &seconds(self.run.now())].concat(),
            lines: self.run.headlines(),
        }
    }

    /// The true time to draw: the simulation's, or a little past it while gliding.
    pub fn shown_time(&self) -> Micros {
        self.run.display_time(self.shown)
    }

    /// Applies a fault now; the message says what was refused and why.
    pub fn apply(&mut self, fault: Command<()>) -> Result<(), FaultRefused> {
        // Timed resumes still to come join the log when they fire.
        if self.run.fault_log().len() + self.resumes.len() >= MAX_FAULTS {
            return Err(FaultRefused::TooMany);
        }
        if let Some((challenge, _)) = &self.challenge {
            let (log, now, step) = (
                self.run.fault_log(),
                self.run.now(),
                self.run.current_step(),
            );
            challenge
                .admits(
                    &log,
                    std::slice::from_ref(&fault),
                    now,
                    step,
                    &self.scenario,
                )
                .map_err(FaultRefused::Challenge)?;
        }
        self.run.apply(fault).map_err(FaultRefused::Impossible)
    }

    /// One step back, exactly (the scrubber and Back button).
    pub fn step_back(&mut self) {
        let step = self.run.current_step();
        self.run.seek(step.saturating_sub(1));
    }

    /// The fault a click on link `a`–`b` means: cut both directions if both are up, else heal both.
    pub fn toggle_link(&self, a: NodeId, b: NodeId) -> Command<()> {
        if self.run.link_up(a, b) && self.run.link_up(b, a) {
            Command::CutBoth { a, b }
        } else {
            Command::HealBoth { a, b }
        }
    }

    /// One event forward (or to the end if none is left).
    pub fn step(&mut self) -> u64 {
        self.run_one()
    }

    /// How people call `node`: its name ("Lock service (A)", "Client C"), or "Node A" when the
    /// scenario leaves it its letter.
    pub fn node_title(&self, node: NodeId) -> String {
        match self.names.get(node.index()) {
            Some(name) if name.chars().count() > 1 => name.clone(),
            _ => format!("Node {}", node.name()),
        }
    }

    /// The camera for a canvas `height` px tall on `axis`: fitted on first use or when the axis
    /// changed, and, until the person moves it, fitted again when the canvas changes height or
    /// the run reaches its end (played, stepped or opened there: one picture of one state), so
    /// the same run on the same canvas always shows the same picture (a link reopens it).
    pub fn camera_for(&mut self, axis: Axis, height: f64) -> Camera {
        // Reaching the end by any means rests the view on the story, as playing there does.
        if self.run.finished() {
            self.story = true;
        }
        let story = self.rests_on_story();
        // The story frame is a function of the trace: it is framed again when the trace changes.
        let story_key = story.then(|| self.run.event_count());
        match self.camera {
            Some(camera)
                if camera.axis == axis
                    && self
                        .auto_height
                        .is_none_or(|h| h == height && self.camera_story == story_key) =>
            {
                camera
            }
            _ => {
                // A run played to its end opens on its story, not on its quiet end.
                let mut camera = if story {
                    self.story_camera(axis, height)
                } else {
                    Camera::fit(axis, self.initial_extent(axis), height)
                };
                camera.track(self.run.head(axis), height);
                self.camera = Some(camera);
                self.auto_height = Some(height);
                self.camera_story = story_key;
                camera
            }
        }
    }

    /// The story frame: from the first moment the lesson names to the last (its narration's
    /// moments, its findings, its first frame), with the idle stretches between folded (see
    /// [`crate::render::folds`]), on any axis.
    fn story_camera(&self, axis: Axis, height: f64) -> Camera {
        let trace = self.run.words().skeleton();
        // A finding is where its marker is: at its latest event.
        let findings = self.run.findings();
        let found = findings
            .iter()
            .filter_map(|f| f.events.iter().filter(|e| e.index() < trace.len()).max())
            .map(|&e| trace.event(e).time);
        let (stretch, moments) = self.scenario.story_moments(found, self.run.duration());
        story_camera(
            self.run.words(),
            self.run.names(),
            axis,
            (stretch, &moments),
            self.scenario.typical_latency(),
            height,
        )
    }

    /// The run has been played to its end: from the next frame the view rests on the story
    /// around the key moment (unless the person has moved the camera), so the key moment, not
    /// the quiet end, is on screen. See [`Stage::camera_for`].
    pub fn frame_story(&mut self) {
        self.story = true;
    }

    /// Whether the view rests on the story: the run has been played to its end.
    fn rests_on_story(&self) -> bool {
        self.story || self.run.finished()
    }

    /// Fits the camera to everything run so far.
    pub fn fit_all(&mut self, axis: Axis, height: f64) {
        if let Some(compared) = &mut self.compared {
            compared.fit_all(height);
            return;
        }
        let mut camera = Camera::fit(axis, self.run.extent(axis), height);
        camera.follow = true;
        self.camera = Some(camera);
        self.auto_height = None;
    }

    /// The first view of a run: following from the start at the scale of the scenario's first
    /// frame (see [`Scenario::first_frame`]), so messages are slanted arrows from the first
    /// event and the head stays in view at that scale; once the run has been played to its end,
    /// the frame itself, the story around the key moment. Other axes start from what has run and
    /// follow.
    fn initial_extent(&self, axis: Axis) -> (f64, f64) {
        let (start, end) = self.scenario.first_frame();
        let span = end.saturating_sub(start).max(1) as f64;
        let (low, high) = self.run.extent(axis);
        match axis {
            Axis::TrueTime if self.rests_on_story() => (start as f64, end as f64),
            // Following from the start at the frame's scale: the camera pins the head.
            Axis::TrueTime => (0.0, span),
            Axis::LocalClock => (low, high.max(low + span)),
            Axis::Lamport => (0.0, high.max(20.0)),
        }
    }

    /// Changes the camera with the last painted frame's height and the run's head on `axis`;
    /// does nothing before the first frame.
    pub fn move_camera(&mut self, axis: Axis, change: impl FnOnce(&mut Camera, f64, f64)) {
        let Some(height) = self.painted.as_ref().map(|(_, v)| v.height) else {
            return;
        };
        // Two runs compared: one camera moves both.
        if let Some(compared) = &mut self.compared {
            compared.move_camera(height, change);
            return;
        }
        let head = self.run.head(axis);
        let mut camera = self.camera_for(axis, height);
        let scale = camera.scale;
        change(&mut camera, head, height);
        if camera.scale != scale {
            camera.settle_follow(head, height);
        }
        self.camera = Some(camera);
        // Moved by the person: it stays as they left it.
        self.auto_height = None;
    }

    /// Scrolls the timeline to `event` if it is off screen.
    pub fn reveal(&mut self, event: EventId, axis: Axis) {
        if let Some(value) = self.run.position(event, axis) {
            self.move_camera(axis, |camera, head, height| {
                camera.reveal(value, head, height)
            });
        }
    }

    /// What the page shows of the run; `playing` coarsens the step so the page is not
    /// re-rendered per event.
    pub fn progress(&self, playing: bool) -> Progress {
        let now = self.run.now();
        let step = self.run.current_step();
        Progress {
            finished: self.run.finished(),
            findings: self.run.findings().len(),
            narration: self.scenario.narration().filter(|n| n.at_us <= now).count(),
            step: if playing {
                step / Progress::COARSE * Progress::COARSE
            } else {
                step
            },
        }
    }

    /// Opens the fold under row `y` of the last painted frame; false if none is there.
    pub fn open_fold_at(&mut self, axis: Axis, y: f64) -> bool {
        let under = self.painted.as_ref().and_then(|(shapes, _)| {
            shapes.iter().find_map(|s| match *s {
                Shape::Fold { y0, y1, index } if y0 - 3.0 <= y && y <= y1 + 3.0 => Some(index),
                _ => None,
            })
        });
        let Some(index) = under else {
            return false;
        };
        self.move_camera(axis, |camera, _, _| camera.open_fold(index));
        true
    }

    /// The event under (x, y) in the last painted frame.
    pub fn event_at(&self, x: f64, y: f64) -> Option<(EventId, f64, f64)> {
        let (shapes, _) = self.painted.as_ref()?;
        let event = crate::render::timeline::hit(shapes, x, y)?;
        shapes.iter().find_map(|s| match *s {
            Shape::Event { event: e, x, y, .. } if e == event => Some((e, x, y)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::FIRST_VIEW_LATENCIES;
    use crate::sim::NodeStatus;
    use crate::ui::state::first_preset;

    #[test]
    fn a_challenges_run_refuses_a_fault_beyond_its_rules_and_leaves_the_run_untouched() {
        use crate::challenge::Refusal;
        // One pause only.
        let challenge = Rc::new(crate::challenge::by_id("stale-write").unwrap());
        let scenario = crate::scenarios::by_id("gc-pause-fencing").unwrap();
        let arena = challenge.arena(&scenario);
        let mut stage = Stage::start(&arena, false, arena.config.seed).unwrap();
        stage.challenge = Some((Rc::clone(&challenge), scenario.cluster()));
        stage.step();
        stage.apply(Command::Pause { node: NodeId(2) }).unwrap();
        stage.step();
        assert_eq!(
            stage.apply(Command::Pause { node: NodeId(3) }),
            Err(FaultRefused::Challenge(Refusal::NoFaultsLeft { budget: 1 }))
        );
        let refused = stage.apply(Command::Crash { node: NodeId(1) }).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Not in this challenge: it allows pauses only, not crashes and restarts."
        );
        // Undoing is free, and only what was admitted is in the log.
        stage.apply(Command::Resume { node: NodeId(2) }).unwrap();
        assert_eq!(stage.run.fault_log().len(), 2);
    }

    fn stage() -> Stage {
        let scenario = first_preset();
        Stage::start(&scenario, false, scenario.config.seed).expect("the first preset starts")
    }

    #[test]
    fn the_stage_revision_moves_with_new_runs_and_faults_but_not_with_playback() {
        let handle = StageHandle::default();
        assert!(handle.read().is_none(), "no run until one is put on stage");
        let first = handle.put(stage()).expect("an idle stage takes a run");
        assert_eq!(handle.read().map(|s| s.revision_put), Some(first));
        handle
            .with(|s| s.step())
            .expect("playback reaches the stage");
        let (outcome, after_fault) = handle
            .change(|s| s.apply(Command::HealAll))
            .expect("a fault reaches the stage");
        assert_eq!(outcome, Ok(()));
        assert_eq!(
            after_fault,
            first + 1,
            "playback did not move it; the fault did"
        );
        assert_eq!(applied_action(Some((outcome, after_fault))), after_fault);
        let second = handle.put(stage()).expect("a new run");
        assert!(second > after_fault);
        {
            let _reading = handle.read();
            assert_eq!(
                handle.put(stage()),
                None,
                "a busy stage refuses, it does not panic"
            );
        }
        assert_eq!(
            applied(None),
            Action::Notice(FaultRefused::Busy.to_string()),
            "a busy stage is told, not ignored"
        );
    }

    /// The revision an `Action::FaultApplied` carries.
    fn applied_action(result: Option<(Result<(), FaultRefused>, u64)>) -> u64 {
        match applied(result) {
            Action::FaultApplied(revision) => revision,
            _ => panic!("expected FaultApplied, got another action"),
        }
    }

    #[test]
    fn a_run_refuses_faults_beyond_what_a_link_can_carry() {
        let mut stage = stage();
        for _ in 0..MAX_FAULTS {
            stage.apply(Command::HealAll).expect("within the limit");
        }
        let refused = stage.apply(Command::HealAll).unwrap_err();
        assert_eq!(refused, FaultRefused::TooMany);
        assert!(
            refused.to_string().contains("at most 2000 faults"),
            "{refused}"
        );
        assert_eq!(stage.run.fault_log().len(), MAX_FAULTS);
    }

    #[test]
    fn playback_runs_the_speed_setting_in_events_per_second() {
        let mut stage = stage();
        let ten_per_second = Speed::from_position(3);
        assert_eq!(ten_per_second.events_per_second(), Some(10));
        // 16 ms frames at 10 events/s: one event every 100 ms, none lost to rounding.
        for _ in 0..60 {
            stage.play(16.0, ten_per_second, Stop::default());
        }
        assert_eq!(
            stage.run.current_step(),
            9,
            "60 frames of 16 ms = 960 ms = 9 whole events"
        );
        // 0.6 events are owed; a 5 s gap counts as 1 s.
        stage.play(5_000.0, ten_per_second, Stop::default());
        assert_eq!(stage.run.current_step(), 19, "a long gap is capped");
    }

    #[test]
    fn between_events_the_shown_time_glides_toward_the_next() {
        let mut stage = stage();
        let one_per_second = Speed::from_position(0);
        stage.play(1_000.0, one_per_second, Stop::default());
        let now = stage.run.now();
        let next = stage.run.display_time(Micros::MAX);
        assert!(next > now, "the first preset has a gap to the next event");
        assert_eq!(
            stage.shown_time(),
            now,
            "no time earned toward the next event yet"
        );
        stage.play(500.0, one_per_second, Stop::default());
        assert_eq!(stage.run.now(), now, "half an event is not an event");
        let shown = stage.shown_time();
        assert!(shown > now && shown < next, "{now} < {shown} < {next}");
        stage.play(500.0, one_per_second, Stop::default());
        assert!(stage.run.now() > now, "the next event ran");
        assert_eq!(stage.shown_time(), stage.run.now().max(stage.shown_time()));
    }

    #[test]
    fn playing_reaches_the_end_and_reports_it() {
        let mut stage = stage();
        let mut frames = 0;
        while !stage.run.finished() && frames < 10_000 {
            stage.play(
                16.0,
                Speed::from_position(Speed::MAX_POSITION),
                Stop::default(),
            );
            frames += 1;
        }
        let progress = stage.progress(false);
        assert!(progress.finished);
        assert!(progress.findings > 0, "the first preset shows its anomaly");
        assert_eq!(stage.run.now(), stage.run.duration());
        assert_eq!(
            progress.narration,
            stage.scenario.narration().count(),
            "every narration line is due at the end"
        );
    }

    #[test]
    fn paced_in_cluster_time_every_event_runs_when_its_moment_is_shown() {
        let scenario = scenarios::by_id("gc-pause-fencing").expect("the preset");
        let mut stage = Stage::start(&scenario, false, scenario.config.seed).expect("starts");
        let pace = 100_000; // 0.1 s of cluster time per second
        let frame = 1000.0 / 60.0;
        // Each second of frames moves the shown time on by 0.1 s, events or none, and every
        // event due by the shown time has run (and none after it).
        let mut seconds = 0;
        while stage.shown_time() < 2_500_000 {
            for _ in 0..60 {
                assert!(!stage.play_paced(frame, pace, Stop::default()));
            }
            seconds += 1;
            let shown = stage.shown_time();
            let expected = seconds * 100_000;
            assert!(
                shown.abs_diff(expected) <= 1_000,
                "after {seconds} s shown {shown} µs, not {expected}"
            );
            assert!(stage.run.now() <= shown);
            assert!(
                stage.run.display_time(Micros::MAX) >= shown,
                "an event due by {shown} µs has not run"
            );
        }
        // C is paused at 2 s for 15 s: at this pace its pause lasts 150 s on screen, with
        // nothing of C's in between.
        let c = NodeId(2);
        let before = stage.run.event_count();
        for _ in 0..(140 * 60) {
            stage.play_paced(frame, pace, Stop::default());
        }
        assert!(stage.shown_time() < 17_000_000);
        let words = stage.run.events_said(before);
        assert!(
            words.iter().all(|(_, node, _)| *node != c),
            "C did nothing while paused: {words:?}"
        );
        for _ in 0..(10 * 60) {
            stage.play_paced(frame, pace, Stop::default());
        }
        assert!(stage.shown_time() > 17_000_000);
        assert!(
            stage
                .run
                .events_said(before)
                .iter()
                .any(|(_, node, words)| *node == c && words.contains("resumed")),
            "C resumed once 17 s was shown"
        );
    }

    #[test]
    fn guided_playback_stops_just_before_the_answer_and_on_the_lessons_own_anomaly() {
        let mut stage = stage();
        let fast = Speed::from_position(Speed::MAX_POSITION);
        let ask = Stop {
            ask: true,
            on_finding: None,
        };
        let mut stopped = false;
        for _ in 0..10_000 {
            if stage.play(16.0, fast, ask) {
                stopped = true;
                break;
            }
        }
        assert!(stopped, "the question was reached");
        assert_eq!(
            stage.run.furthest_step(),
            stage.run.current_step(),
            "the event taken back leaves no future on the scrubber"
        );
        let asked_at = stage.run.now();
        let count = stage.run.event_count();
        assert!(stage.reveals(0).is_none(), "nothing shown answers it yet");
        // The anomaly: split brain, not any finding that comes first.
        let anomaly = stage.anomaly().expect("the first preset's anomaly");
        assert_eq!(anomaly, crate::detect::FindingKind::SplitBrain);
        let on_finding = Stop {
            ask: false,
            on_finding: Some(anomaly),
        };
        assert!(stage.play(16.0, fast, on_finding), "stops on the anomaly");
        assert!(stage.reveals(count).is_some(), "past the answer");
        assert!(stage.run.now() >= asked_at);
        let found = stage.anomaly_found().expect("the anomaly");
        assert_eq!(found.kind, anomaly);
        // Finding where it went wrong: the finding's events, or any drawn on the same dot.
        for &event in &found.events {
            assert!(stage.shows_anomaly(event));
        }
        let spot = |e: EventId| stage.run.event_spot(e);
        let elsewhere = (0..stage.run.event_count() as u32)
            .map(EventId)
            .find(|&e| found.events.iter().all(|&f| spot(f) != spot(e)))
            .expect("an event away from the finding");
        assert!(
            !stage.shows_anomaly(elsewhere),
            "an event on another dot is not it"
        );
        stage.step_back();
        assert!(
            stage.anomaly_found().is_none(),
            "one event earlier there was no split brain"
        );
        assert!(!stage.run.finished());
    }

    #[test]
    fn the_first_view_slants_messages_and_frames_the_key_moment_once_reached() {
        let mut stage = stage();
        let link = &stage.scenario.config.link;
        let latency = (link.latency_us + link.jitter_us / 2) as f64;
        let camera = stage.camera_for(Axis::TrueTime, 600.0);
        let view = camera.viewport(800.0, 600.0);
        // From the start, at a scale where one message's latency takes real height.
        assert!(view.value_at(view.header) < 0.0 && view.value_at(view.header + 20.0) > 0.0);
        assert!(
            latency * view.scale >= 560.0 / (FIRST_VIEW_LATENCIES as f64 + 2.0),
            "a message spans {} px",
            latency * view.scale
        );
        assert!(view.value_at(600.0) < stage.run.duration() as f64 / 4.0);
        let latency_scale = view.scale;
        let lamport = stage.camera_for(Axis::Lamport, 600.0);
        assert_eq!(lamport.axis, Axis::Lamport, "changing the axis refits");
        // A run at its key moment (a link, say) follows it at the same scale: the newest event
        // just above the bottom, with what led to it above.
        let (start, end) = stage.scenario.first_frame();
        let key = stage.scenario.key_moment_us;
        assert!(start < key && key < end);
        stage.run.advance_to(key);
        stage.camera = None;
        let camera = stage.camera_for(Axis::TrueTime, 600.0);
        assert!(camera.follow);
        let view = camera.viewport(800.0, 600.0);
        let head = stage.run.head(Axis::TrueTime);
        assert!(
            (view.y_of(head) - (600.0 - 24.0)).abs() < 1e-6,
            "the head at the bottom"
        );
        assert!(
            (view.scale - latency_scale).abs() < 1e-12,
            "the first view's scale"
        );
        // An ended run (a link to it, say) opens on the same frame, and stays there.
        stage.run.run_to_end();
        stage.camera = None;
        let camera = stage.camera_for(Axis::TrueTime, 600.0);
        assert!(!camera.follow, "the story stays on screen");
        let view = camera.viewport(800.0, 600.0);
        assert!(view.value_at(view.header) <= start as f64 + 1.0);
        assert!(view.value_at(600.0) >= end as f64 - 1.0);
        // Playing to the end lands on the same view.
        stage.camera = None;
        stage.story = false;
        stage.frame_story();
        assert_eq!(stage.camera_for(Axis::TrueTime, 600.0), camera);
        // A canvas that changes height before anyone moves the camera is framed again.
        let taller = stage.camera_for(Axis::TrueTime, 800.0);
        assert!(taller.scale > camera.scale);
        assert_eq!(stage.camera_for(Axis::TrueTime, 600.0), camera);
    }

    #[test]
    fn clicking_a_link_cuts_it_and_clicking_again_heals_it() {
        let mut stage = stage();
        let (a, b) = (NodeId(0), NodeId(1));
        let cut = stage.toggle_link(a, b);
        assert_eq!(cut, Command::CutBoth { a, b });
        stage.apply(cut).unwrap();
        assert!(!stage.run.link_up(a, b) && !stage.run.link_up(b, a));
        stage.apply(Command::HealLink { from: a, to: b }).unwrap();
        assert_eq!(
            stage.toggle_link(a, b),
            Command::HealBoth { a, b },
            "half cut counts as cut"
        );
        let refused = stage.apply(Command::Restart { node: a }).unwrap_err();
        assert!(matches!(refused, FaultRefused::Impossible(_)), "{refused}");
        assert!(
            refused
                .to_string()
                .contains("cannot restart node A: it is running"),
            "{refused}"
        );
    }

    #[test]
    fn stepping_back_undoes_exactly_one_step() {
        let mut stage = stage();
        stage.run.advance(10);
        let text = stage.run.text();
        stage.step();
        stage.step_back();
        assert_eq!(stage.run.current_step(), 10);
        assert_eq!(stage.run.text(), text);
    }

    #[test]
    fn a_timed_pause_resumes_exactly_on_time() {
        let mut stage = stage();
        stage.run.advance(20);
        let (node, start) = (NodeId(2), stage.run.now());
        stage.pause_for(node, 1_000_000).unwrap();
        assert_eq!(stage.run.status(node), NodeStatus::Paused);
        while stage.run.now() < start + 1_000_000 && !stage.run.finished() {
            stage.step();
        }
        assert_eq!(stage.run.status(node), NodeStatus::Running);
        assert!(
            stage.run.text().contains("C resumed"),
            "the resume is a fault in the trace"
        );
        // Exactly on time: the resume's line carries start + 1 s.
        let at_ms = (start + 1_000_000) as f64 / 1000.0;
        let line = stage
            .run
            .text()
            .lines()
            .find(|l| l.contains("C resumed"))
            .unwrap()
            .to_string();
        assert!(
            line.trim_start().starts_with(&format!("{at_ms:.3}")),
            "{line}"
        );
    }

    /// What a person sees of a run: step, scrubber end, true time and time shown, whether it
    /// can still play, and the whole trace.
    fn picture(stage: &Stage) -> (u64, u64, Micros, Micros, bool, String) {
        (
            stage.run.current_step(),
            stage.run.furthest_step(),
            stage.run.now(),
            stage.shown_time(),
            stage.run.finished(),
            stage.run.text(),
        )
    }

    /// The camera on a 600 px canvas, as the first frame after opening sets it.
    fn view(stage: &mut Stage) -> Camera {
        stage.camera_for(Axis::TrueTime, 600.0)
    }

    /// The stage a share link of `stage` reopens.
    fn reopened(stage: &Stage) -> Stage {
        Stage::restore(
            &stage.scenario,
            stage.scenario.fix_enabled,
            stage.scenario.config.seed,
            &stage.run.fault_log(),
            stage.run.current_step(),
            stage.moment(),
        )
        .expect("a shared run replays")
        .resuming(&stage.pending_resumes())
    }

    #[test]
    fn a_shared_run_reopens_to_the_same_picture_ended_gliding_paused_or_after_back() {
        let fencing = crate::ui::state::preset("gc-pause-fencing").unwrap();
        let mut ended = Stage::start(&fencing, false, fencing.config.seed).unwrap();
        while !ended.run.finished() {
            ended.play(
                16.0,
                Speed::from_position(Speed::MAX_POSITION),
                Stop::default(),
            );
        }
        // As the frame loop does when playing reaches the end.
        ended.frame_story();
        assert_eq!(
            ended.run.now(),
            ended.run.duration(),
            "true time moved on to the end"
        );
        assert!(
            ended.moment().now_us > 0,
            "the link records that true time moved past the last event"
        );
        let mut back = reopened(&ended);
        assert_eq!(
            picture(&back),
            picture(&ended),
            "an ended run reopens ended"
        );
        assert_eq!(view(&mut back), view(&mut ended), "on its story");
        assert!(back.progress(false).finished, "Play stays disabled");

        // Back a few steps from the end: the scrubber still reaches the old end.
        let mut rewound = ended;
        for _ in 0..3 {
            rewound.step_back();
        }
        assert!(rewound.run.furthest_step() > rewound.run.current_step());
        let mut again = reopened(&rewound);
        assert_eq!(picture(&again), picture(&rewound));
        assert_eq!(view(&mut again), view(&mut rewound), "still on its story");

        // Paused by hand for a while and shared mid-pause, then gliding between two events.
        let mut paused = stage();
        paused.run.advance(30);
        paused.pause_for(NodeId(1), 1_000_000).unwrap();
        paused.play(700.0, Speed::from_position(2), Stop::default());
        assert!(paused.shown_time() > paused.run.now(), "caught mid-glide");
        let mut again = reopened(&paused);
        assert_eq!(picture(&again), picture(&paused));
        for stage in [&mut paused, &mut again] {
            while stage.run.status(NodeId(1)) == crate::sim::NodeStatus::Paused {
                stage.step();
            }
        }
        assert_eq!(picture(&again), picture(&paused), "and resumes on time");
    }

    #[test]
    fn a_story_made_here_keeps_the_frames_span_around_now() {
        let lease = crate::ui::state::preset("slow-clock-lease").unwrap();
        let (start, end) = lease.view.frame.expect("the preset frames its story");
        let mut stage = Stage::start(&lease, false, lease.config.seed).unwrap();
        stage.run.advance(40);
        let now = stage.run.now();
        stage.story_is_here();
        assert_eq!(stage.scenario.key_moment_us, now);
        let (s, e) = stage.scenario.view.frame.unwrap();
        assert_eq!(e - s, end - start, "the same scale");
        assert!(s <= now && now <= e, "around the moment: {s} ≤ {now} ≤ {e}");
        assert!(e <= stage.scenario.duration_us);
    }

    #[test]
    fn a_run_stepped_played_or_opened_at_its_end_rests_on_one_picture() {
        let scenario = crate::ui::state::preset("gc-pause-fencing").unwrap();
        let seed = scenario.config.seed;
        // Stepped one event at a time to the end, the camera following all along.
        let mut stepped = Stage::start(&scenario, false, seed).unwrap();
        assert!(view(&mut stepped).follow);
        while !stepped.run.finished() {
            stepped.step();
            view(&mut stepped);
        }
        // Played to its end, as the frame loop does.
        let mut played = Stage::start(&scenario, false, seed).unwrap();
        view(&mut played);
        while !played.run.finished() {
            played.play(
                16.0,
                Speed::from_position(Speed::MAX_POSITION),
                Stop::default(),
            );
        }
        played.frame_story();
        let mut linked = reopened(&stepped);
        let picture = view(&mut played);
        assert!(!picture.follow, "the story, not the quiet end");
        assert_eq!(view(&mut stepped), picture, "stepped to the end");
        assert_eq!(view(&mut linked), picture, "opened from a link");

        // Moved by the person before the end: it stays where they put it.
        let mut moved = Stage::start(&scenario, false, seed).unwrap();
        moved.run.advance(20);
        moved.painted = Some((Vec::new(), view(&mut moved).viewport(800.0, 600.0)));
        moved.move_camera(Axis::TrueTime, |camera, _, _| camera.scale *= 2.0);
        let mine = moved.camera;
        while !moved.run.finished() {
            moved.step();
        }
        moved.frame_story();
        assert_eq!(Some(view(&mut moved)), mine, "the person's camera is kept");
    }

    #[test]
    fn turning_the_fix_on_keeps_the_runs_faults_at_their_times() {
        let sandbox = crate::ui::state::preset("sandbox").unwrap();
        let mut naive = Stage::start(&sandbox, false, sandbox.config.seed).unwrap();
        naive.run.advance(300);
        let cut_at = naive.run.now();
        let partition = Command::Partition {
            groups: vec![
                vec![NodeId(0), NodeId(1)],
                vec![NodeId(2), NodeId(3), NodeId(4)],
            ],
        };
        naive.apply(partition.clone()).unwrap();
        let message = naive.run.in_flight().first().map(|f| f.message.id);
        if let Some(msg) = message {
            naive.apply(Command::DropMessage { msg }).unwrap();
        }
        naive.run.advance(200);
        naive.pause_for(NodeId(3), 1_000_000).unwrap();
        let now = naive.run.now();

        let (fixed, not_carried) = naive.with_fix(true).unwrap();
        assert!(fixed.scenario.fix_enabled);
        assert_eq!(fixed.run.now(), now, "the same moment");
        let log = fixed.run.fault_log();
        assert_eq!(log[0].command, partition, "the partition is kept");
        assert_eq!(log[0].at_time, cut_at, "at the same true time");
        assert_eq!(
            fixed.run.status(NodeId(3)),
            NodeStatus::Paused,
            "the pause too"
        );
        assert_eq!(
            fixed.pending_resumes(),
            naive.pending_resumes(),
            "and its resume"
        );
        // The message dropped by hand is another message in the fixed run: said, not guessed.
        assert_eq!(not_carried.len(), usize::from(message.is_some()));
        assert!(
            not_carried
                .iter()
                .all(|n| matches!(n.command, Command::DropMessage { .. })
                    && n.why.contains("message"))
        );
        // And back again: the same faults on the naive run.
        let (again, _) = fixed.with_fix(false).unwrap();
        assert_eq!(again.run.fault_log()[0].command, partition);
        assert_eq!(again.run.now(), now);
    }

    #[test]
    fn a_fault_undone_leaves_the_others_and_the_moment() {
        let sandbox = crate::ui::state::preset("sandbox").unwrap();
        let mut stage = Stage::start(&sandbox, false, sandbox.config.seed).unwrap();
        stage.run.advance(100);
        stage.apply(Command::Pause { node: NodeId(1) }).unwrap();
        stage.run.advance(100);
        stage
            .apply(Command::CutLink {
                from: NodeId(0),
                to: NodeId(2),
            })
            .unwrap();
        stage.run.advance(100);
        stage.apply(Command::Crash { node: NodeId(4) }).unwrap();
        stage.run.advance(50);
        let now = stage.run.now();
        let taken = stage.run.faults_taken();
        let log = stage.run.fault_log();
        let origins: Vec<_> = taken.iter().map(|t| stage.origin(t.logged, &log)).collect();
        assert_eq!(
            origins
                .iter()
                .filter(|o| **o == FaultOrigin::ByHand)
                .count(),
            3
        );
        assert!(taken.iter().any(|t| t.words == "link A→C cut"), "in words");

        let (undone, not_carried) = stage.without_fault(1).unwrap();
        assert!(not_carried.is_empty());
        assert_eq!(undone.run.now(), now);
        let kept: Vec<_> = undone
            .run
            .fault_log()
            .into_iter()
            .map(|e| e.command)
            .collect();
        assert_eq!(
            kept,
            vec![
                Command::Pause { node: NodeId(1) },
                Command::Crash { node: NodeId(4) }
            ]
        );
        assert!(undone.run.link_up(NodeId(0), NodeId(2)), "the cut is gone");
        assert_eq!(
            undone.run.status(NodeId(4)),
            NodeStatus::Crashed,
            "the crash stays"
        );
        assert_eq!(
            undone.run.fault_log()[0],
            stage.run.fault_log()[0],
            "a fault before the undone one replays exactly where it was"
        );
    }

    #[test]
    fn a_hunted_runs_faults_are_told_from_the_scenarios_and_the_persons() {
        let split = crate::ui::state::preset("split-brain").unwrap();
        let mut stage = Stage::start(&split, false, split.config.seed).unwrap();
        stage.run.advance(40);
        stage.apply(Command::Pause { node: NodeId(2) }).unwrap();
        stage.hunted_log = stage.run.fault_log();
        stage.run.advance(800);
        stage.apply(Command::Resume { node: NodeId(2) }).unwrap();
        stage.run.advance(2000);
        let log = stage.run.fault_log();
        let origins: Vec<_> = stage
            .run
            .faults_taken()
            .iter()
            .map(|t| (t.words.clone(), stage.origin(t.logged, &log)))
            .collect();
        assert!(
            origins.contains(&("C paused (GC)".to_string(), FaultOrigin::Hunted)),
            "{origins:?}"
        );
        assert!(
            origins.contains(&("C resumed".to_string(), FaultOrigin::ByHand)),
            "{origins:?}"
        );
        assert!(
            origins
                .iter()
                .any(|(w, o)| w.starts_with("network split") && *o == FaultOrigin::Scripted),
            "{origins:?}"
        );
        // The fixed run keeps which were hunted.
        let (fixed, _) = stage.with_fix(true).unwrap();
        assert_eq!(fixed.hunted_log.len(), 1);
        assert_eq!(
            fixed.hunted_log[0].command,
            Command::Pause { node: NodeId(2) }
        );
    }

    #[test]
    fn a_bad_configuration_is_an_error_not_a_panic() {
        let mut scenario = first_preset();
        scenario.config.nodes = 99;
        assert!(Stage::start(&scenario, false, 1).is_err());
    }
}
