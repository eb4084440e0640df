//! The reducer's store: all UI state except the run on stage, changed only through [`Action`]s
//! (the `use_reducer` pattern). The run itself is the second store, [`super::stage::StageHandle`];
//! `AppState::stage` is the revision of it the page last heard of.

use std::rc::Rc;

use super::discard;
use super::embed::{split_fragment, EmbedOptions};
use super::hunt_worker::{HuntResult, Staged};
use crate::challenge::Challenge;
use crate::hunt::{self, Progress as HuntProgress, Settings};
use crate::render::timeline::Axis;
use crate::scenarios::{self, Cluster, Scenario};
use crate::share::{self, Comparison, SharedRun};
use crate::sim::{EventId, MsgId, NodeId};

thread_local! {
    static PRESETS: Rc<Vec<Scenario>> = Rc::new(scenarios::all());
}

/// The preset scenarios, built once.
pub fn presets() -> Rc<Vec<Scenario>> {
    PRESETS.with(Rc::clone)
}

/// The preset with this id.
pub fn preset(id: &str) -> Option<Scenario> {
    presets().iter().find(|s| s.id == id).cloned()
}

/// The first preset: what the app opens with.
pub fn first_preset() -> Scenario {
    presets()
        .first()
        .cloned()
        .expect("the preset library is never empty")
}

/// Playback speed as a position on a logarithmic slider; the last position means "as fast as possible".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speed(u8);

impl Speed {
    /// Events per second at each slider position, doubling-ish steps; `None` is unlimited.
    const STEPS: [Option<u32>; 12] = [
        Some(1),
        Some(2),
        Some(5),
        Some(10),
        Some(20),
        Some(50),
        Some(100),
        Some(200),
        Some(500),
        Some(1_000),
        Some(10_000),
        None,
    ];
    pub const MAX_POSITION: u8 = (Self::STEPS.len() - 1) as u8;
    pub const DEFAULT: Speed = Speed(3);

    /// Clamps out-of-range slider positions instead of failing: the slider is the only source.
    pub fn from_position(position: u8) -> Speed {
        Speed(position.min(Self::MAX_POSITION))
    }

    /// The fastest setting no faster than `events_per_second` (the slowest if it is below
    /// every setting; as fast as possible beyond the fastest finite one).
    pub fn at_most(events_per_second: u32) -> Speed {
        let fastest_finite = Self::STEPS.iter().flatten().max().copied().unwrap_or(0);
        let position = Self::STEPS
            .iter()
            .rposition(|rate| match rate {
                Some(rate) => *rate <= events_per_second,
                None => events_per_second > fastest_finite,
            })
            .unwrap_or(0);
        Speed(position as u8)
    }

    /// Every setting, slowest first.
    pub fn all() -> impl Iterator<Item = Speed> {
        (0..=Self::MAX_POSITION).map(Speed)
    }

    pub fn position(self) -> u8 {
        self.0
    }

    pub fn events_per_second(self) -> Option<u32> {
        Self::STEPS[self.0 as usize]
    }

    pub fn label(self) -> String {
        match self.events_per_second() {
            Some(1) => "1 event/s".to_string(),
            Some(n) => format!("{n} events/s"),
            None => "as fast as possible".to_string(),
        }
    }
}

/// What the pointer rests on in the timeline: an event, and where its marker is (CSS px).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hover {
    pub event: EventId,
    pub x: f64,
    pub y: f64,
}

/// What the scrubber says of itself: its value for screen readers, and its tooltip, which says
/// why it goes no further at either end.
pub fn scrubber_text(step: u64, furthest: u64, finished: bool) -> (String, &'static str) {
    let mut text = format!("step {step} of {furthest}");
    let title = if finished && step == furthest {
        text.push_str("; the run has ended");
        Hint::AtEnd.text()
    } else if step == 0 {
        text.push_str("; the start of the run");
        "Drag to move through the run; at the start there is nothing further back."
    } else {
        "Drag to move through the run, back exactly or forward as far as it has run"
    };
    (text, title)
}

/// What the running simulation reports back to the page: only things that change the DOM, so
/// the tree re-renders when they change, never per simulated event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub finished: bool,
    pub findings: usize,
    /// How many narration lines are due.
    pub narration: usize,
    /// The step the run is at: exact while paused (the inspector must match it), in steps of
    /// [`Progress::COARSE`] while playing.
    pub step: u64,
}

impl Progress {
    pub const COARSE: u64 = 500;
}

/// The views a small screen shows one at a time, as tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SmallView {
    Topology,
    #[default]
    Timeline,
    Story,
    Inspector,
}

impl SmallView {
    pub const ALL: [SmallView; 4] = [
        SmallView::Topology,
        SmallView::Timeline,
        SmallView::Story,
        SmallView::Inspector,
    ];

    /// The tab's name.
    pub fn label(self) -> &'static str {
        match self {
            SmallView::Topology => "Topology",
            SmallView::Timeline => "Timeline",
            SmallView::Story => "Story",
            SmallView::Inspector => "Inspector",
        }
    }

    /// Its name in the page's classes and in storage.
    pub fn key(self) -> &'static str {
        match self {
            SmallView::Topology => "topology",
            SmallView::Timeline => "timeline",
            SmallView::Story => "story",
            SmallView::Inspector => "inspector",
        }
    }

    pub fn from_key(key: &str) -> Option<SmallView> {
        SmallView::ALL.into_iter().find(|view| view.key() == key)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The one view a small screen shows (below 700 px wide; wider screens show every view).
    pub small_view: SmallView,
    /// Message kinds hidden or drawn faintly, as chosen in the timeline's message filter
    /// (for the scenario it names; any other scenario shows its own defaults).
    pub look: Option<MessageLook>,
    /// Show only the selected event's causal past and future.
    pub causal_only: bool,
    /// The preset being run.
    pub scenario: String,
    /// Whether the scenario's mitigation is on.
    pub fix: bool,
    pub playing: bool,
    pub speed: Speed,
    /// The seed in force: only ever a value that parsed.
    pub seed: u64,
    /// What the user typed, kept verbatim so a typo can be corrected rather than retyped.
    pub seed_input: String,
    pub seed_error: Option<String>,
    /// Bumped to start the run again from the beginning.
    pub restarts: u64,
    pub axis: Axis,
    pub selected: Option<EventId>,
    pub hover: Option<Hover>,
    pub progress: Progress,
    /// Why the last run could not start, if it could not.
    pub run_error: Option<String>,
    /// A message for the person (an export that failed), shown until the next one.
    pub notice: Option<String>,
    /// The revision of the stage, the second store ([`super::stage::StageHandle`]), as last
    /// reported: components that read the stage compare this one number.
    pub stage: u64,
    /// The node whose menu (pause, crash, clock) is open.
    pub node_menu: Option<NodeId>,
    /// The node the inspector shows (the last one opened).
    pub inspected: Option<NodeId>,
    /// The message in flight whose menu (drop, duplicate) is open, and where (CSS px).
    pub message_menu: Option<(MsgId, f64, f64)>,
    /// The keyboard-shortcut overlay is open.
    pub help: bool,
    /// Large type for the back of a lecture hall.
    pub projector: bool,
    /// Presentation mode: the diagram takes the screen, the newest narration line is a large
    /// caption, the question an overlay, the controls a small bar.
    pub present: bool,
    /// Playback paced in cluster time, in µs of true time per second (`None`: events per
    /// second, as the speed slider says): pauses look long and bursts short.
    pub pace: Option<u32>,
    /// The topology canvas's size in CSS px: where the keyboard twins of nodes and links sit.
    pub topology_size: (u32, u32),
    /// Guided mode and where the guide has got to in this run.
    pub guided: bool,
    pub guide: Guide,
    /// Whether a first vote is followed by "discuss with your neighbour, then vote again":
    /// `None` follows projector mode (on there, off elsewhere).
    pub discuss: Option<bool>,
    /// A shared run to restore (faults and step) when the run starts; cleared once it has.
    pub restore: Option<SharedRun>,
    /// The link to this run, while the share dialog is open.
    pub share_link: Option<String>,
    /// Embed mode and its options (from the query string).
    pub embed: EmbedOptions,
    /// An embed's diagrams are engaged: the reader clicked or tapped them, so the wheel and a
    /// one-finger drag move the diagram, not the host page (until the embed loses focus).
    pub engaged: bool,
    /// Why the host page scrolled instead of the diagram, shown briefly: how to engage it.
    pub scroll_hint: Option<ScrollHint>,
    /// The address the page opened with (query, fragment): what a host's `faultline:reset`
    /// goes back to.
    pub address: Rc<(String, String)>,
    /// The preset's cluster as the person customised it, if they did.
    pub cluster: Option<Cluster>,
    /// The cluster editor is open.
    pub cluster_dialog: bool,
    /// Faults were applied by hand in this run: work a restart would lose.
    pub hand_faults: bool,
    /// An action that would discard that work, waiting for the person to confirm it.
    pub confirm: Option<Box<Confirmation>>,
    /// A scenario of the person's own (from a link or file), run instead of the preset.
    pub custom: Option<Rc<Scenario>>,
    /// Why the last key or command did nothing (stepping past the end, say), until the run moves.
    pub hint: Option<Hint>,
    /// The run on stage is a hunt's, found with these settings: the scenario's subject (its own
    /// faults out, clocks set right, see [`crate::hunt::subject`]) with the faults found.
    pub hunted: Option<Settings>,
    /// The hunt panel.
    pub hunt: HuntState,
    /// The run autosaved when the page was last left, offered (not opened) because the address
    /// named another scenario: a link fragment, and what it is in words.
    pub offered: Option<(String, String)>,
    /// The run is shown beside another run of its scenario (see [`super::compare`]).
    pub compare: Option<Comparison>,
    /// The challenge being played, if one is: the run on stage is its arena (see
    /// [`crate::challenge`]).
    pub challenge: Option<Play>,
    /// The challenge menu is open.
    pub challenge_menu: bool,
    /// The challenge being made in the menu's form.
    pub challenge_draft: Option<Challenge>,
    /// The course page is open (see [`super::course`]).
    pub course: bool,
    /// What the course page says under its buttons (cleared as it opens or closes).
    pub course_note: Option<super::course::Note>,
}

/// A challenge being played, and the machine's par for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Play {
    pub challenge: Rc<Challenge>,
    pub par: Par,
    /// The person gave up: with the fix on, the hunt's proof is shown.
    pub gave_up: bool,
    /// The machine's attack is on stage, and the person's own attempt to come back to.
    pub watching_par: Option<Rc<SharedRun>>,
}

impl Play {
    pub fn new(challenge: Rc<Challenge>) -> Play {
        Play {
            challenge,
            par: Par::Waiting,
            gave_up: false,
            watching_par: None,
        }
    }
}

/// Where the machine's par stands: the hunt aimed at the challenge runs in the worker.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Par {
    /// Not asked for yet (the app asks once the challenge's run is on stage).
    #[default]
    Waiting,
    /// Hunt `id` is on it; `tried` schedules so far.
    Running {
        id: u32,
        tried: u32,
    },
    /// The worker's result, and how long it took (ms).
    Done(Rc<HuntResult>, f64),
    Failed(String),
}

/// What happens to the challenge being played.
#[derive(Clone, Debug, PartialEq)]
pub enum ChallengeAction {
    /// Play this challenge: its arena goes on stage, fresh.
    Start(Rc<Challenge>),
    /// Stop playing: the scenario's own run comes back.
    Leave,
    /// Give up (with the fix on: see the machine's proof).
    GiveUp,
    /// Try again from the start of the arena.
    Again,
    /// The par's hunt `id` was sent to the worker.
    ParStarted(u32),
    ParProgress {
        id: u32,
        tried: u32,
    },
    ParDone {
        id: u32,
        result: Rc<HuntResult>,
        /// How long the worker took, as it measured (`make bench`'s `challenge_par_ms`).
        ms: f64,
    },
    ParFailed {
        id: u32,
        message: String,
    },
    /// Put the machine's attack on stage, keeping the person's attempt (as a link's run).
    WatchPar(Rc<SharedRun>),
    /// Back to the person's attempt.
    BackToAttempt,
    /// Open or close the challenge menu (the built-ins, and making one).
    Menu(bool),
    /// Start making a challenge over the scenario on stage (a first draft), or stop.
    Draft(bool),
    /// A field of the draft changed (see [`Challenge::edit`]).
    Edit {
        field: String,
        value: String,
        checked: bool,
    },
    /// Play the draft, if it keeps every limit.
    PlayDraft,
}

/// The hunt panel: its settings and where the hunt is (the hunt itself runs in a Web Worker,
/// `hunt_worker.rs`; what it says arrives as [`HuntAction`]s).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HuntState {
    pub open: bool,
    pub settings: Settings,
    pub status: HuntStatus,
    /// The newest hunt's id: what an older hunt still says is ignored.
    pub last_id: u32,
}

/// Where the hunt is.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum HuntStatus {
    #[default]
    Idle,
    Running {
        id: u32,
        /// What the worker last said (nothing yet right after the start).
        progress: Option<HuntProgress>,
        elapsed_ms: f64,
    },
    Done {
        result: Rc<HuntResult>,
        /// How long it took in all, and shrinking, as the worker measured.
        timing: (f64, f64),
        /// The failure found, ready for the stage, and whether it has been put there.
        staged: Option<Rc<Staged>>,
        shown: bool,
    },
    /// Cancel was pressed (or the scenario changed) after this many schedules.
    Cancelled {
        tried: u32,
    },
    Failed(String),
}

impl HuntState {
    /// The hunt running now, if one is.
    pub fn running(&self) -> Option<u32> {
        match self.status {
            HuntStatus::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    /// Stops the running hunt (the app tells the worker when `running` changes).
    fn stop(&mut self) {
        if let HuntStatus::Running { progress, .. } = &self.status {
            let tried = progress.as_ref().map_or(0, |p| p.tried);
            self.status = HuntStatus::Cancelled { tried };
        }
    }
}

/// What happens to the hunt panel.
#[derive(Clone, Debug, PartialEq)]
pub enum HuntAction {
    Open(bool),
    Settings(Settings),
    /// A hunt with this id was sent to the worker.
    Start(u32),
    Progress {
        id: u32,
        progress: HuntProgress,
        elapsed_ms: f64,
    },
    Finished {
        id: u32,
        result: Rc<HuntResult>,
        /// Milliseconds in all, and shrinking.
        timing: (f64, f64),
    },
    Failed {
        id: u32,
        message: String,
    },
    Cancel,
    /// Put the failure found on stage.
    Show,
}

/// Why a playback control cannot act now: shown on the disabled control and said when a key
/// asks for it anyway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    /// Nothing to go back to.
    AtStart,
    /// Nothing left to run.
    AtEnd,
    /// Restarting would change nothing.
    Unchanged,
    /// Playing on at a guided question would show its answer.
    AnswerFirst,
}

impl Hint {
    pub fn text(self) -> &'static str {
        match self {
            Hint::AtStart => "At the start of the run: there is no step to go back to.",
            Hint::AtEnd => "The run has ended: restart it (R) or go back to replay it.",
            Hint::Unchanged => "The run is at its start and nothing has been changed by hand.",
            Hint::AnswerFirst => {
                "Answer the question first: playing on would show the answer. Or skip the question."
            }
        }
    }
}

/// An action waiting for a confirmation, and the question to ask (worked out once, when parked:
/// it may mean decoding a whole file).
#[derive(Clone, Debug, PartialEq)]
pub struct Confirmation {
    pub action: Action,
    pub question: String,
}

/// How a reader tried to scroll an embed's diagram before engaging it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScrollHint {
    Wheel,
    Touch,
}

impl ScrollHint {
    /// What the hint over the diagram says.
    pub fn text(self) -> &'static str {
        match self {
            ScrollHint::Wheel => "Click the diagram to scroll it · Ctrl + wheel zooms",
            ScrollHint::Touch => "Tap the diagram to use it · two fingers zoom",
        }
    }
}

/// What identifies a run: change any of it and the simulation starts again.
#[derive(Clone, Debug, PartialEq)]
pub struct RunKey {
    pub scenario: String,
    pub fix: bool,
    pub seed: u64,
    pub cluster: Option<Cluster>,
    pub custom: Option<Rc<Scenario>>,
    /// The run is a hunt's (the scenario's subject).
    pub hunted: bool,
    /// The run is a challenge's arena.
    pub challenge: Option<Rc<Challenge>>,
    pub restarts: u64,
}

/// The guided lesson of a run: watch; stop just before the answer shows to predict (vote,
/// discuss, vote again); watch it happen; stop on the anomaly and find the event where it went
/// wrong; read what it means; a recap at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Guide {
    #[default]
    Watching,
    /// Stopped just before the answer: "what happens next?" `first` is the first vote once
    /// cast, while the room discusses before voting again. Votes are choices' places in the
    /// scenario's data, not on screen.
    Predicting { first: Option<usize> },
    /// The votes are in: the verdict and why.
    Answered { first: usize, second: Option<usize> },
    /// The answer shown without a vote (the room voted by hand): the answer and why.
    Revealed,
    /// Past the question (answered or skipped), waiting for the anomaly.
    AfterPrediction,
    /// Stopped on the anomaly: "click the event where it went wrong". `picked` is the event
    /// the person chose last, if any (the card judges it against the finding).
    Observing { picked: Option<EventId> },
    /// The anomaly explained; `found` says whether the person found its event.
    Explaining { found: bool },
    /// The lesson is over for this run; the recap shows once the run has ended.
    Done,
}

impl Guide {
    /// Whether playback should stop before the answer shows.
    pub fn stops_at_key_moment(self) -> bool {
        self == Guide::Watching
    }

    /// Whether the guide waits on the person at a question: playing on would show the answer.
    pub fn asking(self) -> bool {
        matches!(self, Guide::Predicting { .. })
    }

    /// Where guided playback of `stage` stops at this point of the lesson.
    pub fn stop(self, stage: &super::stage::Stage) -> super::stage::Stop {
        super::stage::Stop {
            ask: self.stops_at_key_moment(),
            on_finding: (self == Guide::AfterPrediction)
                .then(|| stage.anomaly())
                .flatten(),
        }
    }

    /// Whether the guide is stopped on the anomaly, waiting for the person.
    pub fn holding(self) -> bool {
        matches!(self, Guide::Observing { .. } | Guide::Explaining { .. })
    }
}

/// One step forward, as guided mode (`guide`, when it is on) allows: refused at a question
/// (it would show the answer), stopping short of an answer, or on the anomaly. The action
/// says what happened.
pub fn guided_step(guide: Option<Guide>, stage: &mut super::stage::Stage) -> Action {
    if stage.run.finished() {
        return Action::Hint(Hint::AtEnd);
    }
    if guide.is_some_and(Guide::asking) {
        return Action::Hint(Hint::AnswerFirst);
    }
    let stop = guide.map(|guide| guide.stop(stage)).unwrap_or_default();
    match stage.advance_before(1, stop) {
        (_, true) if stop.ask => Action::ReachedKeyMoment,
        (_, true) => Action::ReachedAnomaly,
        _ => Action::Pause,
    }
}

impl Default for AppState {
    fn default() -> Self {
        let scenario = first_preset();
        let seed = scenario.config.seed;
        AppState {
            scenario: scenario.id,
            fix: false,
            playing: false,
            speed: Speed::DEFAULT,
            seed,
            seed_input: seed.to_string(),
            seed_error: None,
            restarts: 0,
            address: Rc::default(),
            engaged: false,
            scroll_hint: None,
            axis: Axis::TrueTime,
            selected: None,
            hover: None,
            progress: Progress::default(),
            run_error: None,
            notice: None,
            stage: 0,
            node_menu: None,
            inspected: None,
            message_menu: None,
            help: false,
            small_view: SmallView::default(),
            projector: false,
            present: false,
            pace: None,
            topology_size: (0, 0),
            guided: false,
            guide: Guide::Watching,
            discuss: None,
            restore: None,
            share_link: None,
            embed: EmbedOptions::default(),
            cluster: None,
            cluster_dialog: false,
            hand_faults: false,
            confirm: None,
            look: None,
            causal_only: false,
            custom: None,
            hint: None,
            hunted: None,
            hunt: HuntState::default(),
            offered: None,
            compare: None,
            challenge: None,
            challenge_menu: false,
            challenge_draft: None,
            course: false,
            course_note: None,
        }
    }
}

impl AppState {
    /// The state a page opened with `fragment` (its URL after `#`) starts in: the shared run,
    /// or, if the link cannot be used, the first scenario and a notice saying why.
    pub fn from_fragment(fragment: &str) -> AppState {
        let (run, _) = split_fragment(fragment);
        if run.is_empty() {
            return AppState::default();
        }
        AppState::from_decoded(share::decode(run), "This link")
    }

    /// The state a page opens in, from its query string (embed options) and fragment (a shared
    /// run, which wins over the embed's scenario and step).
    pub fn from_location(query: &str, fragment: &str) -> AppState {
        let mut embed = EmbedOptions::from_location(query, fragment);
        let presets = presets();
        let ids: Vec<&str> = presets.iter().map(|s| s.id.as_str()).collect();
        embed.check_scenario(&ids);
        let mut state = AppState::from_fragment(fragment);
        if state.restore.is_none() {
            if let Some(scenario) = embed.scenario.as_deref().and_then(preset) {
                state.seed = scenario.config.seed;
                state.seed_input = state.seed.to_string();
                state.scenario = scenario.id;
            }
            if let Some(fix) = embed.fix {
                state.fix = fix;
            }
            if let Some(seed) = embed.seed {
                state.seed = seed;
                state.seed_input = seed.to_string();
            }
            if let Some(challenge) = embed.challenge.as_deref().and_then(crate::challenge::by_id) {
                state.challenge_action(ChallengeAction::Start(Rc::new(challenge)));
            }
            if let Some(step) = embed.step {
                state.restore = Some(SharedRun {
                    step: step.min(crate::sim::MAX_REPLAY_STEPS),
                    ..SharedRun::new(state.scenario.clone(), state.fix, state.seed)
                });
            }
        }
        if let Some(mistakes) = state
            .base_scenario()
            .and_then(|shown| embed.notice(&shown.title, &ids))
        {
            state.notice = Some(match state.notice.take() {
                Some(notice) => format!("{notice} {mistakes}"),
                None => mistakes,
            });
        }
        state.playing = embed.autoplay;
        if let Some(speed) = embed.speed {
            state.speed = Speed::at_most(speed);
        }
        state.guided |= embed.guided;
        state.course = embed.course && !embed.enabled;
        state.embed = embed;
        state.address = Rc::new((query.to_string(), fragment.to_string()));
        state
    }

    /// The state a page opens in: a link or embed as [`AppState::from_location`] says; with
    /// neither, the run autosaved when the page was last left (`saved`, a link fragment).
    pub fn opening(query: &str, fragment: &str, saved: Option<String>) -> AppState {
        let mut state = AppState::from_location(query, fragment);
        let linked = !split_fragment(fragment).0.is_empty();
        // An address that names a scenario wins: the autosave is offered, not imposed.
        let named = state.embed.scenario.is_some();
        let fresh = !linked && !state.embed.enabled && !named;
        let Some(saved) = saved.filter(|_| fresh || (named && !linked && !state.embed.enabled))
        else {
            return state;
        };
        let mut restored = AppState::from_decoded(share::decode(&saved), "Your autosaved run");
        if !fresh {
            // Worth offering only if it is work, or another run than the one asked for.
            let work =
                restored.hand_faults || restored.cluster.is_some() || restored.custom.is_some();
            if restored.restore.is_some() && (work || restored.scenario != state.scenario) {
                let title = restored
                    .base_scenario()
                    .map(|s| s.title)
                    .unwrap_or_default();
                let what = if restored.hand_faults {
                    format!("“{title}”, with the faults you applied")
                } else if restored.cluster.is_some() {
                    format!("“{title}”, on your cluster")
                } else {
                    format!("“{title}”")
                };
                state.offered = Some((saved, what));
            }
            return state;
        }
        if restored.notice.is_none() && (restored.hand_faults || restored.cluster.is_some()) {
            restored.notice = Some(
                "Welcome back: your run is as you left it (it was saved in this browser). \
                 Restart or pick a scenario to begin afresh."
                    .to_string(),
            );
        }
        AppState {
            embed: state.embed,
            address: state.address,
            course: state.course,
            ..restored
        }
    }

    /// The state a saved run file opens: its run, or the first scenario and a notice.
    pub fn from_file_text(text: &str) -> AppState {
        AppState::from_decoded(share::from_json(text), "This file")
    }

    fn from_decoded(decoded: Result<SharedRun, share::LinkError>, what: &str) -> AppState {
        let state = AppState::default();
        let shared = match decoded {
            Ok(shared) => shared,
            Err(error) => {
                return state.with_notice(format!("{what} could not be opened: {error}."))
            }
        };
        let custom = shared.custom.as_deref().cloned().map(Rc::new);
        let Some(scenario) = custom
            .as_deref()
            .cloned()
            .or_else(|| preset(&shared.scenario))
        else {
            let name: String = shared.scenario.chars().take(60).collect();
            return state.with_notice(format!(
                "{what} could not be opened: it names a scenario this version does not have (“{name}”)."
            ));
        };
        AppState {
            scenario: scenario.id,
            fix: shared.fix,
            seed: shared.seed,
            seed_input: shared.seed.to_string(),
            cluster: shared.cluster.clone(),
            hand_faults: !shared.faults.is_empty(),
            custom,
            hunted: shared.hunt.clone(),
            hunt: HuntState {
                settings: shared.hunt.clone().unwrap_or_default(),
                ..HuntState::default()
            },
            compare: shared.compare,
            challenge: shared.challenge.clone().map(|c| Play::new(Rc::new(*c))),
            restore: Some(shared),
            ..state
        }
    }

    /// Takes on the run an opened link or file names (see [`AppState::from_fragment`]); one
    /// that cannot be opened only leaves its notice, and the run on stage goes on.
    fn adopt(&mut self, opened: AppState) {
        if opened.restore.is_none() {
            self.notice = opened.notice;
            self.share_link = None;
            return;
        }
        self.take_on(opened);
    }

    /// Starts afresh the run `opened` names (its scenario, fix, seed, step, cluster, faults).
    fn take_on(&mut self, opened: AppState) {
        self.new_run();
        self.scenario = opened.scenario;
        self.fix = opened.fix;
        self.seed = opened.seed;
        self.seed_input = opened.seed_input;
        self.seed_error = None;
        self.restore = opened.restore;
        self.cluster = opened.cluster;
        self.custom = opened.custom;
        if opened.hunted.is_some() {
            self.hunt.settings = opened.hunt.settings;
        }
        self.hunted = opened.hunted;
        self.hunt.stop();
        self.hand_faults = opened.hand_faults;
        self.compare = opened.compare;
        self.challenge = opened.challenge;
        self.notice = opened.notice;
        self.share_link = None;
        // Even the same scenario, fix and seed start again, to replay the faults.
        self.restarts += 1;
    }

    fn with_notice(mut self, notice: String) -> AppState {
        self.notice = Some(notice);
        self
    }

    /// What identifies the run: change any of it and the simulation starts again.
    pub fn run_key(&self) -> RunKey {
        RunKey {
            scenario: self.scenario.clone(),
            fix: self.fix,
            seed: self.seed,
            cluster: self.cluster.clone(),
            custom: self.custom.clone(),
            hunted: self.hunted.is_some(),
            challenge: self.challenge.as_ref().map(|p| Rc::clone(&p.challenge)),
            restarts: self.restarts,
        }
    }

    /// The scenario on stage with its cluster (before its fix and seed): what its texts should
    /// tell of. An impossible cluster (the run refuses it) leaves the scenario as it was.
    pub fn staged_scenario(&self) -> Option<Scenario> {
        let scenario = self.hunt_target()?;
        Some(match (&self.hunted, &self.challenge) {
            (Some(_), _) => hunt::subject(&scenario),
            // A challenge's arena tells its own story: its scripted faults are gone.
            (None, Some(play)) => play.challenge.arena(&scenario),
            (None, None) => scenario,
        })
    }

    /// The scenario on stage with its cluster, as a hunt attacks it (before its fix and seed;
    /// the hunt makes its own subject of it).
    pub fn hunt_target(&self) -> Option<Scenario> {
        let base = self.base_scenario()?;
        Some(match &self.cluster {
            Some(cluster) => base.customised(cluster).unwrap_or(base),
            None => base,
        })
    }

    /// The scenario on stage before its cluster, fix and seed: the person's own, or the preset.
    pub fn base_scenario(&self) -> Option<Scenario> {
        match &self.custom {
            Some(custom) => Some((**custom).clone()),
            None => preset(&self.scenario),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show one view on a small screen.
    ShowView(SmallView),
    /// Hide or dim message kinds (the timeline's message filter).
    SetLook(MessageLook),
    /// Show only the selected event's causal chain, or everything.
    CausalOnly(bool),
    /// Load a preset by id; unknown ids are ignored.
    SelectScenario(String),
    SetFix(bool),
    /// Show the run beside another run of its scenario (see [`crate::ui::compare`]), or stop.
    Compare(Option<Comparison>),
    /// The comparison asked for is on the stage (or gone), at this stage revision.
    Compared(u64),
    TogglePlay,
    /// Play unless the run has ended (a host page's command).
    Play,
    Pause,
    Restart,
    /// A host page's `faultline:load`: a fresh run of the preset, every option not given at
    /// its default (fix off, the scenario's seed), even if it is the run on stage.
    Load {
        scenario: String,
        fix: bool,
        seed: Option<u64>,
    },
    /// A host page's `faultline:reset`: the run the page's address opens, afresh and paused.
    Reset,
    /// An embed's diagrams engaged (clicked or tapped) or let go (the embed lost focus).
    Engage(bool),
    ScrollHint(Option<ScrollHint>),
    SetSpeed(Speed),
    EditSeed(String),
    SetAxis(Axis),
    Select(Option<EventId>),
    Hover(Option<Hover>),
    Progress(Progress),
    /// A new run is on the stage (any shared run has been restored), at this stage revision.
    RunStarted(u64),
    /// Open the share dialog with this link, or close it.
    ShareLink(Option<String>),
    /// The address bar's fragment changed (a link pasted into an open page): open that run.
    OpenLink(String),
    /// A saved run file's text: open that run.
    OpenFile(String),
    NodeMenu(Option<NodeId>),
    MessageMenu(Option<(MsgId, f64, f64)>),
    ToggleHelp,
    ToggleProjector,
    TogglePresent,
    /// Pace playback in cluster time (µs per second), or by the speed slider (`None`).
    SetPace(Option<u32>),
    /// Show the answer without a vote (a lecturer, after the room has voted by hand).
    Reveal,
    TopologySize(u32, u32),
    /// Escape: close whatever overlay is open.
    Dismiss,
    SetGuided(bool),
    /// Playback stopped just before the answer to the question shows (guided mode).
    ReachedKeyMoment,
    /// A vote for a choice (its place in the scenario's data).
    Answer(usize),
    /// Reveal after one vote, without discussing and voting again.
    SkipDiscussion,
    /// Play on without answering the question.
    SkipQuestion,
    /// Whether to discuss and vote again after a first vote.
    SetDiscuss(bool),
    /// Playback stopped on the lesson's anomaly (guided mode).
    ReachedAnomaly,
    /// Show where the anomaly happened without finding it (the event is selected too).
    ShowAnomaly(EventId),
    /// Carry on after a guided stop.
    Continue,
    /// A key asked for what cannot be done now: say why.
    Hint(Hint),
    /// The person has read the notice.
    DismissNotice,
    /// A fault was applied by hand (the stage already holds it), making this stage revision.
    FaultApplied(u64),
    RunFailed(String),
    Notice(String),
    /// Run the scenario on this cluster (`None`: the preset's own).
    SetCluster(Option<Cluster>),
    /// Open or close the cluster editor.
    ClusterDialog(bool),
    /// Go ahead with the action waiting in [`AppState::confirm`], losing the work.
    ConfirmDiscard,
    /// Drop the waiting action and keep working.
    KeepWork,
    /// The action without asking first (a host page's command, the confirmed action).
    Force(Box<Action>),
    /// The hunt panel, and what the hunt's worker says.
    Hunt(HuntAction),
    Challenge(ChallengeAction),
    /// Open the autosaved run offered at opening (`true`), or dismiss the offer.
    TakeOffer(bool),
    // ----- the course page (see `super::course`) -----
    /// Open or close the course page.
    Course(bool),
    /// What the course page says under its buttons (see [`super::course::Note`]).
    CourseNote(Option<super::course::Note>),
    /// The course's "Open the lesson": the preset afresh, guided, the course closed.
    OpenLesson(String),
    /// The course's "Play the challenge" (a built-in challenge's id).
    OpenChallenge(String),
}

/// Which message kinds a scenario's timeline hides or draws faintly (bit `i` is the model's
/// kind `i`, see [`crate::render::timeline::Filter`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageLook {
    pub scenario: String,
    pub hidden: u64,
    pub faint: u64,
}

/// Parses a seed as typed by a person: surrounding spaces and `_` digit separators are allowed.
pub fn parse_seed(text: &str) -> Result<u64, SeedError> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
    if cleaned.is_empty() {
        return Err(SeedError::Empty);
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return Err(SeedError::NotDigits);
    }
    cleaned.parse::<u64>().map_err(|_| SeedError::TooLarge)
}

/// A hunt setting typed in the hunt panel's field `field` (`faults`, `schedules` or `seed`),
/// applied to `settings`; or what is wrong, in a sentence naming the field.
pub fn hunt_field(field: &str, text: &str, settings: &Settings) -> Result<Settings, String> {
    if field == "seed" {
        let seed = parse_seed(text).map_err(|error| error.to_string())?;
        return Ok(Settings {
            seed,
            ..settings.clone()
        });
    }
    let (label, high) = match field {
        "faults" => ("Faults per schedule", hunt::MAX_FAULTS),
        _ => ("Schedules", hunt::MAX_SCHEDULES),
    };
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| *c != '_' && *c != ',')
        .collect();
    match cleaned.parse::<u32>() {
        Ok(n) if (1..=high).contains(&n) => Ok(match field {
            "faults" => Settings {
                max_faults: n,
                ..settings.clone()
            },
            _ => Settings {
                schedules: n,
                ..settings.clone()
            },
        }),
        _ => Err(format!(
            "{label}: enter a whole number from 1 to {}.",
            hunt::thousands(high)
        )),
    }
}

/// What the hunt panel says of settings that break a limit: its field, in a sentence ("Kinds
/// of fault: choose at least one.").
pub fn hunt_settings_problem(error: &hunt::SettingsError) -> String {
    // Its words start in ASCII ("kinds of fault: …"), so no Unicode case table is needed.
    let mut text = error.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text.push('.');
    text
}

/// Why a typed seed is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedError {
    Empty,
    /// Something besides digits (and `_` separators).
    NotDigits,
    /// Above `u64::MAX`.
    TooLarge,
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SeedError::Empty => write!(f, "Enter a seed: a whole number such as 42."),
            SeedError::NotDigits => {
                write!(f, "A seed is a whole number of digits only, such as 42.")
            }
            SeedError::TooLarge => write!(f, "A seed must be at most {}.", u64::MAX),
        }
    }
}

impl AppState {
    /// Forgets everything that belonged to the previous run.
    fn hunt_action(&mut self, action: HuntAction) {
        // The worker answers every hunt through one channel: a challenge's par is the
        // challenge's.
        let par = match &self.challenge {
            Some(Play {
                par: Par::Running { id, .. },
                ..
            }) => Some(*id),
            _ => None,
        };
        let for_par = match &action {
            HuntAction::Progress { id, progress, .. } if Some(*id) == par => {
                Some(ChallengeAction::ParProgress {
                    id: *id,
                    tried: progress.tried,
                })
            }
            HuntAction::Finished { id, result, timing } if Some(*id) == par => {
                Some(ChallengeAction::ParDone {
                    id: *id,
                    result: Rc::clone(result),
                    ms: timing.0,
                })
            }
            HuntAction::Failed { id, message } if Some(*id) == par => {
                Some(ChallengeAction::ParFailed {
                    id: *id,
                    message: message.clone(),
                })
            }
            _ => None,
        };
        if let Some(action) = for_par {
            return self.challenge_action(action);
        }
        let running = self.hunt.running();
        match action {
            HuntAction::Open(open) => {
                self.hunt.open = open;
                if open {
                    // A phone shows one view: the hunt lives in the inspector's, above the
                    // findings it brings.
                    self.small_view = SmallView::Inspector;
                }
            }
            HuntAction::Settings(settings) => self.hunt.settings = settings,
            HuntAction::Start(id) => {
                if id > self.hunt.last_id {
                    self.hunt.last_id = id;
                    self.hunt.status = HuntStatus::Running {
                        id,
                        progress: None,
                        elapsed_ms: 0.0,
                    };
                }
            }
            HuntAction::Progress {
                id,
                progress,
                elapsed_ms,
            } if running == Some(id) => {
                self.hunt.status = HuntStatus::Running {
                    id,
                    progress: Some(progress),
                    elapsed_ms,
                };
            }
            HuntAction::Finished { id, result, timing } if running == Some(id) => {
                let staged = Staged::of(&result).map(Rc::new);
                let settings = result.settings.clone();
                self.hunt.status = HuntStatus::Done {
                    result,
                    timing,
                    staged,
                    shown: false,
                };
                // Straight onto the stage, unless that would lose faults applied by hand (then
                // the panel offers it, and asks first).
                if !self.hand_faults {
                    self.show_hunted(&settings);
                }
            }
            HuntAction::Failed { id, message } if running == Some(id) => {
                self.hunt.status = HuntStatus::Failed(message);
            }
            HuntAction::Cancel => self.hunt.stop(),
            HuntAction::Show => {
                if let HuntStatus::Done { result, .. } = &self.hunt.status {
                    let settings = result.settings.clone();
                    self.show_hunted(&settings);
                }
            }
            // What an old hunt says after a newer one started, or after Cancel.
            HuntAction::Progress { .. }
            | HuntAction::Finished { .. }
            | HuntAction::Failed { .. } => {}
        }
    }

    /// Puts the hunt's failure on stage: the scenario's subject, its fault log replayed, at the
    /// step just after it broke.
    fn show_hunted(&mut self, settings: &Settings) {
        let HuntStatus::Done {
            staged: Some(staged),
            shown,
            ..
        } = &mut self.hunt.status
        else {
            return;
        };
        *shown = true;
        let staged = Rc::clone(staged);
        self.new_run();
        // Not work a restart would lose unasked: the same hunt finds the same faults again, and
        // the panel can show them again.
        self.hunted = Some(settings.clone());
        self.restore = Some(SharedRun {
            faults: staged.faults.clone(),
            step: staged.step,
            cluster: self.cluster.clone(),
            custom: self.custom.as_deref().cloned().map(Box::new),
            hunt: Some(settings.clone()),
            ..SharedRun::new(self.scenario.clone(), self.fix, self.seed)
        });
        self.restarts += 1;
    }

    fn challenge_action(&mut self, action: ChallengeAction) {
        match action {
            ChallengeAction::Menu(open) => {
                self.challenge_menu = open;
                self.challenge_draft = None;
                // A dialog over the page: the run waits (and the menu is not drawn per frame).
                self.playing &= !open;
            }
            ChallengeAction::Draft(open) => {
                self.challenge_draft = open
                    .then(|| self.hunt_target())
                    .flatten()
                    .map(|scenario| Challenge::draft(&scenario));
            }
            ChallengeAction::Edit {
                field,
                value,
                checked,
            } => {
                let target = self.hunt_target();
                if let (Some(draft), Some(scenario)) = (&mut self.challenge_draft, target) {
                    draft.edit(&field, &value, checked, &Challenge::goals(&scenario));
                }
            }
            ChallengeAction::PlayDraft => {
                let draft = self.challenge_draft.clone();
                let ready = match (&draft, self.hunt_target()) {
                    (Some(draft), Some(scenario)) => draft.validate(Some(&scenario)).is_ok(),
                    _ => false,
                };
                if let (true, Some(draft)) = (ready, draft) {
                    self.challenge_action(ChallengeAction::Start(Rc::new(draft)));
                }
            }
            ChallengeAction::Start(challenge) => {
                self.challenge_menu = false;
                self.challenge_draft = None;
                let scenario = match &self.custom {
                    Some(custom) if custom.id == challenge.scenario => Some((**custom).clone()),
                    _ => preset(&challenge.scenario),
                };
                let Some(scenario) = scenario else {
                    return;
                };
                self.new_run();
                if self.scenario != scenario.id || self.custom.is_none() {
                    self.cluster = self.cluster.take().filter(|_| self.scenario == scenario.id);
                    self.custom = None;
                }
                self.scenario = scenario.id.clone();
                self.fix = challenge.fix;
                self.seed = scenario.config.seed;
                self.seed_input = self.seed.to_string();
                self.seed_error = None;
                self.hunted = None;
                self.hunt.stop();
                self.hunt.open = false;
                self.guided = false;
                self.challenge = Some(Play::new(challenge));
                self.restarts += 1;
            }
            ChallengeAction::Leave => {
                if self.challenge.take().is_some() {
                    self.new_run();
                    self.restarts += 1;
                }
            }
            ChallengeAction::Again => {
                if let Some(play) = &mut self.challenge {
                    play.gave_up = false;
                    play.watching_par = None;
                    self.new_run();
                    self.restarts += 1;
                }
            }
            ChallengeAction::GiveUp => {
                if let Some(play) = &mut self.challenge {
                    play.gave_up = true;
                    self.playing = false;
                }
            }
            ChallengeAction::ParStarted(id) => {
                self.hunt.last_id = self.hunt.last_id.max(id);
                if let Some(play) = &mut self.challenge {
                    play.par = Par::Running { id, tried: 0 };
                }
            }
            ChallengeAction::ParProgress { id, tried } => {
                if let Some(Play {
                    par:
                        Par::Running {
                            id: running,
                            tried: so_far,
                        },
                    ..
                }) = &mut self.challenge
                {
                    if *running == id {
                        *so_far = tried;
                    }
                }
            }
            ChallengeAction::ParDone { id, result, ms } => {
                if let Some(play) = &mut self.challenge {
                    if matches!(play.par, Par::Running { id: running, .. } if running == id) {
                        play.par = Par::Done(result, ms);
                    }
                }
            }
            ChallengeAction::ParFailed { id, message } => {
                if let Some(play) = &mut self.challenge {
                    if matches!(play.par, Par::Running { id: running, .. } if running == id) {
                        play.par = Par::Failed(message);
                    }
                }
            }
            ChallengeAction::WatchPar(attempt) => {
                let staged = match &self.challenge {
                    Some(Play {
                        par: Par::Done(result, _),
                        ..
                    }) => Staged::of(result),
                    _ => None,
                };
                if let (Some(staged), Some(play)) = (staged, &mut self.challenge) {
                    play.watching_par = Some(attempt);
                    self.new_run();
                    self.restore = Some(SharedRun {
                        faults: staged.faults,
                        step: staged.step,
                        ..SharedRun::new(self.scenario.clone(), self.fix, self.seed)
                    });
                    self.restarts += 1;
                }
            }
            ChallengeAction::BackToAttempt => {
                if let Some(play) = &mut self.challenge {
                    if let Some(attempt) = play.watching_par.take() {
                        self.new_run();
                        self.hand_faults = !attempt.faults.is_empty();
                        self.restore = Some((*attempt).clone());
                        self.restarts += 1;
                    }
                }
            }
        }
    }

    fn new_run(&mut self) {
        self.playing = false;
        self.compare = None;
        self.selected = None;
        self.hover = None;
        self.progress = Progress::default();
        self.run_error = None;
        self.node_menu = None;
        self.message_menu = None;
        self.inspected = None;
        self.guide = Guide::Watching;
        self.hand_faults = false;
        self.confirm = None;
        self.hint = None;
    }

    /// Whether going back one step can do anything.
    pub fn can_go_back(&self) -> bool {
        self.progress.step > 0
    }

    /// Whether restarting would change anything: the run has moved or been changed by hand.
    /// Whether a first vote is followed by discussing and voting again, by default in projector
    /// and presentation modes (see
    /// [`AppState::discuss`]).
    pub fn discusses(&self) -> bool {
        self.discuss.unwrap_or(self.projector || self.present)
    }

    /// Where guided playback of `stage` stops now (nowhere outside guided mode).
    pub fn stop(&self, stage: &super::stage::Stage) -> super::stage::Stop {
        if self.guided {
            self.guide.stop(stage)
        } else {
            super::stage::Stop::default()
        }
    }

    pub fn can_restart(&self) -> bool {
        self.progress.step > 0
            || self.progress.finished
            || self.hand_faults
            || self.playing
            || self.run_error.is_some()
    }

    pub fn apply(&self, action: Action) -> AppState {
        let question = match &self.confirm {
            None => discard::loses_work(self, &action),
            Some(_) => None,
        };
        if let Some(question) = question {
            let mut next = self.clone();
            next.playing = false;
            // What was typed stays visible while the question is open.
            if let Action::EditSeed(text) = &action {
                next.seed_input = text.clone();
            }
            next.confirm = Some(Box::new(Confirmation { action, question }));
            return next;
        }
        self.apply_now(action)
    }

    /// Applies the action without asking before losing work.
    fn apply_now(&self, action: Action) -> AppState {
        let mut next = self.apply_action(action);
        // A challenge is played on its own run: another scenario, fix, seed, cluster or a hunt's
        // run leaves it (unless the action itself chose the challenge, as a link does).
        let same = |a: &AppState, b: &AppState| {
            a.challenge.as_ref().map(|p| &p.challenge) == b.challenge.as_ref().map(|p| &p.challenge)
        };
        let moved = next.scenario != self.scenario
            || next.fix != self.fix
            || next.seed != self.seed
            || next.cluster != self.cluster
            || next.hunted.is_some();
        if next.challenge.is_some() && same(&next, self) && moved {
            next.challenge = None;
        }
        next
    }

    fn apply_action(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::SelectScenario(id) => {
                // The preset already on stage, as it is: nothing to load.
                let on_stage =
                    id == self.scenario && self.custom.is_none() && self.cluster.is_none();
                if let Some(scenario) = preset(&id).filter(|_| !on_stage) {
                    next.new_run();
                    next.scenario = scenario.id;
                    next.cluster = None;
                    next.custom = None;
                    next.hunted = None;
                    next.hunt.stop();
                    next.seed = scenario.config.seed;
                    next.seed_input = next.seed.to_string();
                    next.seed_error = None;
                }
            }
            Action::SetFix(fix) => {
                if fix != self.fix {
                    // The run's faults go with it into the other variant (the app carries
                    // them, see `Stage::with_fix`): they are still the person's work.
                    next.new_run();
                    next.hand_faults = self.hand_faults;
                    next.fix = fix;
                    next.hunt.stop();
                }
            }
            Action::Compare(with) => {
                next.compare = with;
                next.playing &= with.is_none();
                next.hover = None;
            }
            Action::Compared(revision) => next.stage = revision,
            Action::Hunt(action) => next.hunt_action(action),
            Action::Challenge(action) => next.challenge_action(action),
            Action::TogglePlay if self.guided && self.guide.asking() => {
                // Play at a question (a lecturer's reflex) would show the answer: answer first.
                next.hint = Some(Hint::AnswerFirst);
            }
            Action::TogglePlay => {
                next.playing = !self.playing && !self.progress.finished;
                if self.progress.finished {
                    next.hint = Some(Hint::AtEnd);
                }
            }
            Action::Hint(hint) => next.hint = Some(hint),
            Action::SetLook(look) => next.look = Some(look),
            Action::CausalOnly(on) => next.causal_only = on,
            Action::ShowView(view) => next.small_view = view,
            Action::DismissNotice => next.notice = None,
            Action::Play if self.guided && self.guide.asking() => {
                next.hint = Some(Hint::AnswerFirst);
            }
            Action::Play => next.playing = !self.progress.finished,
            Action::Pause => next.playing = false,
            Action::Restart => {
                if !self.can_restart() {
                    next.hint = Some(Hint::Unchanged);
                    return next;
                }
                next.new_run();
                next.restarts += 1;
            }
            Action::Load {
                scenario,
                fix,
                seed,
            } => {
                if let Some(preset) = preset(&scenario) {
                    next.new_run();
                    next.seed = seed.unwrap_or(preset.config.seed);
                    next.seed_input = next.seed.to_string();
                    next.seed_error = None;
                    next.scenario = preset.id;
                    next.fix = fix;
                    next.cluster = None;
                    next.custom = None;
                    next.hunted = None;
                    next.hunt.stop();
                    next.restore = None;
                    next.restarts += 1;
                }
            }
            Action::Engage(on) => {
                next.engaged = on && self.embed.enabled;
                if next.engaged {
                    next.scroll_hint = None;
                }
            }
            Action::ScrollHint(hint) => {
                next.scroll_hint = hint.filter(|_| self.embed.enabled && !self.engaged);
            }
            Action::Reset => {
                let (query, fragment) = &*self.address;
                next.take_on(AppState::from_location(query, fragment));
            }
            Action::SetSpeed(speed) => next.speed = speed,
            Action::EditSeed(text) => {
                match parse_seed(&text) {
                    Ok(seed) => {
                        if seed != self.seed {
                            next.new_run();
                            next.hunt.stop();
                        }
                        next.seed = seed;
                        next.seed_error = None;
                    }
                    Err(error) => next.seed_error = Some(error.to_string()),
                }
                next.seed_input = text;
            }
            Action::SetAxis(axis) => {
                next.axis = axis;
                next.hover = None;
            }
            Action::Select(event) => {
                next.selected = event;
                // Finding the event where it went wrong: the card judges the pick.
                if let (Guide::Observing { .. }, Some(_)) = (self.guide, event) {
                    next.guide = Guide::Observing { picked: event };
                    // On a phone the verdict comes to the front.
                    next.small_view = SmallView::Story;
                }
            }
            Action::Hover(hover) => next.hover = hover,
            Action::Progress(progress) => {
                next.progress = progress;
                if progress.step != self.progress.step
                    || progress.finished != self.progress.finished
                {
                    next.hint = None;
                }
                if progress.finished {
                    next.playing = false;
                }
            }
            Action::SetGuided(on) => {
                next.guided = on;
                next.guide = Guide::Watching;
            }
            Action::ReachedKeyMoment => {
                if self.guided && self.guide == Guide::Watching {
                    next.playing = false;
                    next.guide = Guide::Predicting { first: None };
                    // On a phone the question comes to the front, whatever view was open.
                    next.small_view = SmallView::Story;
                }
            }
            Action::Answer(choice) => {
                next.hint = None;
                next.guide = match self.guide {
                    Guide::Predicting { first: None } if self.discusses() => Guide::Predicting {
                        first: Some(choice),
                    },
                    Guide::Predicting { first: None } => Guide::Answered {
                        first: choice,
                        second: None,
                    },
                    Guide::Predicting { first: Some(first) } => Guide::Answered {
                        first,
                        second: Some(choice),
                    },
                    other => other,
                };
            }
            Action::SkipDiscussion => {
                if let Guide::Predicting { first: Some(first) } = self.guide {
                    next.guide = Guide::Answered {
                        first,
                        second: None,
                    };
                }
            }
            Action::SkipQuestion => {
                if self.guide.asking() {
                    next.guide = Guide::AfterPrediction;
                    next.playing = !self.progress.finished;
                }
            }
            Action::SetDiscuss(on) => next.discuss = Some(on),
            Action::ReachedAnomaly => {
                if self.guided && self.guide == Guide::AfterPrediction {
                    next.playing = false;
                    next.guide = Guide::Observing { picked: None };
                    // On a phone the card says what to do; the person goes to the diagram.
                    next.small_view = SmallView::Story;
                }
            }
            Action::ShowAnomaly(event) => {
                if let Guide::Observing { .. } = self.guide {
                    next.guide = Guide::Explaining { found: false };
                    next.selected = Some(event);
                    next.small_view = SmallView::Story;
                }
            }
            Action::Continue => {
                next.guide = match self.guide {
                    Guide::Answered { .. } | Guide::Revealed => Guide::AfterPrediction,
                    Guide::Observing { .. } | Guide::Explaining { .. } => Guide::Done,
                    other => other,
                };
                next.playing = !self.progress.finished;
            }
            Action::RunFailed(message) => {
                next.playing = false;
                next.run_error = Some(message);
            }
            Action::Notice(message) => next.notice = Some(message),
            Action::RunStarted(revision) => {
                next.stage = revision;
                next.restore = None;
            }
            Action::ShareLink(link) => next.share_link = link,
            Action::OpenLink(fragment) => next.adopt(AppState::from_fragment(&fragment)),
            Action::TakeOffer(take) => {
                if let Some((saved, _)) = next.offered.take() {
                    if take {
                        next.adopt(AppState::from_fragment(&saved));
                    }
                }
            }
            Action::OpenFile(text) => next.adopt(AppState::from_file_text(&text)),
            Action::ToggleHelp => next.help = !self.help,
            Action::ToggleProjector => next.projector = !self.projector,
            Action::TogglePresent => next.present = !self.present,
            Action::SetPace(pace) => next.pace = pace,
            Action::Reveal => {
                if self.guide.asking() {
                    next.guide = Guide::Revealed;
                    next.hint = None;
                }
            }
            Action::TopologySize(w, h) => next.topology_size = (w, h),
            Action::Dismiss => {
                next.hint = None;
                next.help = false;
                next.share_link = None;
                next.node_menu = None;
                next.message_menu = None;
                next.cluster_dialog = false;
                next.course = false;
                if self.confirm.is_some() {
                    next = next.apply_now(Action::KeepWork);
                }
            }
            Action::SetCluster(cluster) => {
                if cluster != self.cluster {
                    next.new_run();
                    next.cluster = cluster;
                    next.hunt.stop();
                }
                next.cluster_dialog = false;
            }
            Action::ClusterDialog(open) => next.cluster_dialog = open,
            Action::ConfirmDiscard => {
                if let Some(pending) = self.confirm.clone() {
                    next.confirm = None;
                    next = next.apply_now(pending.action);
                }
            }
            Action::KeepWork => {
                next.confirm = None;
                // A seed typed over the one in force goes back to it.
                if let Some(Action::EditSeed(_)) = self.confirm.as_deref().map(|p| &p.action) {
                    next.seed_input = self.seed.to_string();
                    next.seed_error = None;
                }
            }
            Action::Force(action) => next = self.apply_now(*action),
            Action::MessageMenu(menu) => {
                next.message_menu = menu;
                next.node_menu = None;
            }
            Action::NodeMenu(node) => {
                next.message_menu = None;
                next.node_menu = node;
                if node.is_some() {
                    next.inspected = node;
                }
            }
            // ----- the course page -----
            Action::Course(open) => {
                next.course = open;
                next.course_note = None;
            }
            // Said after the page closed: nobody reads it.
            Action::CourseNote(note) => {
                if self.course {
                    next.course_note = note;
                }
            }
            // The course's "Open the lesson": the preset afresh (fix off, its own seed), guided,
            // the course closed. Unknown ids change nothing.
            Action::OpenLesson(id) => {
                if presets().iter().any(|s| s.id == id) {
                    let load = Action::Load {
                        scenario: id,
                        fix: false,
                        seed: None,
                    };
                    next = self.apply_now(load);
                    next.guided = true;
                    next.guide = Guide::Watching;
                    next.course = false;
                }
            }
            // The course's "Play the challenge": its arena on stage (see `crate::challenge`),
            // the course closed.
            Action::OpenChallenge(id) => {
                if let Some(challenge) = crate::challenge::by_id(&id) {
                    next = self.apply_now(Action::Challenge(ChallengeAction::Start(Rc::new(
                        challenge,
                    ))));
                    next.course = false;
                }
            }
            Action::FaultApplied(revision) => {
                next.stage = revision;
                next.hand_faults = true;
                // The node menu stays open over what it changed (its clock is set by degrees;
                // its one-shot buttons close it themselves); a message menu's message is gone.
                next.message_menu = None;
                next.notice = None;
            }
        }
        next
    }
}

impl yew::Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        // Returning the same Rc tells Yew nothing changed, so nothing re-renders.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
