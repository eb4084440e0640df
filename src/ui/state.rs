//! The single source of UI state, changed only through [`Action`]s (the `use_reducer` pattern).

use std::rc::Rc;

use super::embed::EmbedOptions;
use crate::render::timeline::Axis;
use crate::scenarios::{self, Scenario};
use crate::share::{self, SharedRun};
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

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
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
    /// Counts runs started, so the panels re-read the stage when a new one is in place.
    pub runs_started: u64,
    /// The node whose menu (pause, crash, clock) is open.
    pub node_menu: Option<NodeId>,
    /// The node the inspector shows (the last one opened).
    pub inspected: Option<NodeId>,
    /// The message in flight whose menu (drop, duplicate) is open, and where (CSS px).
    pub message_menu: Option<(MsgId, f64, f64)>,
    /// Counts faults applied by hand, so panels that show the cluster re-read it.
    pub faults_applied: u64,
    /// The keyboard-shortcut overlay is open.
    pub help: bool,
    /// Large type for the back of a lecture hall.
    pub projector: bool,
    /// The topology canvas's size in CSS px: where the keyboard twins of nodes and links sit.
    pub topology_size: (u32, u32),
    /// Guided mode and where the guide has got to in this run.
    pub guided: bool,
    pub guide: Guide,
    /// A shared run to restore (faults and step) when the run starts; cleared once it has.
    pub restore: Option<SharedRun>,
    /// The link to this run, while the share dialog is open.
    pub share_link: Option<String>,
    /// Embed mode and its options (from the query string).
    pub embed: EmbedOptions,
}

/// The guided tour of a run: watch, stop before the key moment to predict, watch the anomaly
/// happen, stop on it to explain it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Guide {
    #[default]
    Watching,
    /// Stopped just before the key moment: "what happens next?"
    Predicting,
    /// The person chose this answer.
    Answered(usize),
    /// Past the prediction, waiting for the anomaly.
    AfterPrediction,
    /// Stopped on the first finding, explaining it.
    Explaining,
    /// The tour is over for this run.
    Done,
}

impl Guide {
    /// Whether playback should stop before the key moment.
    pub fn stops_at_key_moment(self) -> bool {
        self == Guide::Watching
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
            axis: Axis::TrueTime,
            selected: None,
            hover: None,
            progress: Progress::default(),
            run_error: None,
            notice: None,
            runs_started: 0,
            node_menu: None,
            inspected: None,
            message_menu: None,
            faults_applied: 0,
            help: false,
            projector: false,
            topology_size: (0, 0),
            guided: false,
            guide: Guide::Watching,
            restore: None,
            share_link: None,
            embed: EmbedOptions::default(),
        }
    }
}

impl AppState {
    /// The state a page opened with `fragment` (its URL after `#`) starts in: the shared run,
    /// or, if the link cannot be used, the first scenario and a notice saying why.
    pub fn from_fragment(fragment: &str) -> AppState {
        if fragment.trim_start_matches('#').is_empty() {
            return AppState::default();
        }
        AppState::from_decoded(share::decode(fragment), "This link")
    }

    /// The state a page opens in, from its query string (embed options) and fragment (a shared
    /// run, which wins over the embed's scenario and step).
    pub fn from_location(query: &str, fragment: &str) -> AppState {
        let embed = EmbedOptions::from_query(query);
        let mut state = AppState::from_fragment(fragment);
        if state.restore.is_none() {
            if let Some(scenario) = embed.scenario.as_deref().and_then(preset) {
                state.seed = scenario.config.seed;
                state.seed_input = state.seed.to_string();
                state.scenario = scenario.id;
            }
            if let Some(step) = embed.step {
                state.restore = Some(SharedRun {
                    scenario: state.scenario.clone(),
                    fix: state.fix,
                    seed: state.seed,
                    faults: Vec::new(),
                    step: step.min(crate::sim::MAX_REPLAY_STEPS),
                });
            }
        }
        state.playing = embed.autoplay;
        state.embed = embed;
        state
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
        let Some(scenario) = preset(&shared.scenario) else {
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
            restore: Some(shared),
            ..state
        }
    }

    /// Takes on the run an opened link or file names (see [`AppState::from_fragment`]).
    fn adopt(&mut self, opened: AppState) {
        self.new_run();
        self.scenario = opened.scenario;
        self.fix = opened.fix;
        self.seed = opened.seed;
        self.seed_input = opened.seed_input;
        self.seed_error = None;
        self.restore = opened.restore;
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
    pub fn run_key(&self) -> (String, bool, u64, u64) {
        (self.scenario.clone(), self.fix, self.seed, self.restarts)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Load a preset by id; unknown ids are ignored.
    SelectScenario(String),
    SetFix(bool),
    TogglePlay,
    Pause,
    Restart,
    SetSpeed(Speed),
    EditSeed(String),
    SetAxis(Axis),
    Select(Option<EventId>),
    Hover(Option<Hover>),
    Progress(Progress),
    /// A new run is on the stage (any shared run has been restored).
    RunStarted,
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
    TopologySize(u32, u32),
    /// Escape: close whatever overlay is open.
    Dismiss,
    SetGuided(bool),
    /// Playback stopped just before the key moment (guided mode).
    ReachedKeyMoment,
    Answer(usize),
    /// Carry on after a guided stop.
    Continue,
    /// A fault was applied by hand (the stage already holds it).
    FaultApplied,
    RunFailed(String),
    Notice(String),
}

/// Parses a seed as typed by a person: surrounding spaces and `_` digit separators are allowed.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
    if cleaned.is_empty() {
        return Err("Enter a seed: a whole number such as 42.".to_string());
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return Err("A seed is a whole number of digits only, such as 42.".to_string());
    }
    cleaned
        .parse::<u64>()
        .map_err(|_| format!("A seed must be at most {}.", u64::MAX))
}

impl AppState {
    /// Forgets everything that belonged to the previous run.
    fn new_run(&mut self) {
        self.playing = false;
        self.selected = None;
        self.hover = None;
        self.progress = Progress::default();
        self.run_error = None;
        self.node_menu = None;
        self.message_menu = None;
        self.inspected = None;
        self.guide = Guide::Watching;
    }

    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::SelectScenario(id) => {
                if let Some(scenario) = preset(&id) {
                    next.new_run();
                    next.scenario = scenario.id;
                    next.seed = scenario.config.seed;
                    next.seed_input = next.seed.to_string();
                    next.seed_error = None;
                }
            }
            Action::SetFix(fix) => {
                if fix != self.fix {
                    next.new_run();
                    next.fix = fix;
                }
            }
            Action::TogglePlay => next.playing = !self.playing && !self.progress.finished,
            Action::Pause => next.playing = false,
            Action::Restart => {
                next.new_run();
                next.restarts += 1;
            }
            Action::SetSpeed(speed) => next.speed = speed,
            Action::EditSeed(text) => {
                match parse_seed(&text) {
                    Ok(seed) => {
                        if seed != self.seed {
                            next.new_run();
                        }
                        next.seed = seed;
                        next.seed_error = None;
                    }
                    Err(message) => next.seed_error = Some(message),
                }
                next.seed_input = text;
            }
            Action::SetAxis(axis) => {
                next.axis = axis;
                next.hover = None;
            }
            Action::Select(event) => next.selected = event,
            Action::Hover(hover) => next.hover = hover,
            Action::Progress(progress) => {
                next.progress = progress;
                if progress.finished {
                    next.playing = false;
                }
                // The guide stops on the first new finding after the prediction, to explain it.
                let new = progress.findings > self.progress.findings;
                if self.guided && new && self.guide == Guide::AfterPrediction {
                    next.playing = false;
                    next.guide = Guide::Explaining;
                }
            }
            Action::SetGuided(on) => {
                next.guided = on;
                next.guide = Guide::Watching;
            }
            Action::ReachedKeyMoment => {
                if self.guided && self.guide == Guide::Watching {
                    next.playing = false;
                    next.guide = Guide::Predicting;
                }
            }
            Action::Answer(choice) => {
                if self.guide == Guide::Predicting {
                    next.guide = Guide::Answered(choice);
                }
            }
            Action::Continue => {
                next.guide = match self.guide {
                    Guide::Answered(_) => Guide::AfterPrediction,
                    Guide::Explaining => Guide::Done,
                    other => other,
                };
                next.playing = !self.progress.finished;
            }
            Action::RunFailed(message) => {
                next.playing = false;
                next.run_error = Some(message);
            }
            Action::Notice(message) => next.notice = Some(message),
            Action::RunStarted => {
                next.runs_started += 1;
                next.restore = None;
            }
            Action::ShareLink(link) => next.share_link = link,
            Action::OpenLink(fragment) => next.adopt(AppState::from_fragment(&fragment)),
            Action::OpenFile(text) => next.adopt(AppState::from_file_text(&text)),
            Action::ToggleHelp => next.help = !self.help,
            Action::ToggleProjector => next.projector = !self.projector,
            Action::TopologySize(w, h) => next.topology_size = (w, h),
            Action::Dismiss => {
                next.help = false;
                next.share_link = None;
                next.node_menu = None;
                next.message_menu = None;
            }
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
            Action::FaultApplied => {
                next.faults_applied += 1;
                next.node_menu = None;
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
mod tests {
    use super::*;

    #[test]
    fn seed_parsing_accepts_whole_numbers_and_separators() {
        assert_eq!(parse_seed("42"), Ok(42));
        assert_eq!(parse_seed("  7 "), Ok(7));
        assert_eq!(parse_seed("1_000_000"), Ok(1_000_000));
        assert_eq!(parse_seed("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn seed_parsing_names_what_is_wrong() {
        assert!(parse_seed("").unwrap_err().contains("Enter a seed"));
        assert!(parse_seed("-3").unwrap_err().contains("digits only"));
        assert!(parse_seed("4.2").unwrap_err().contains("digits only"));
        assert!(parse_seed("<script>").unwrap_err().contains("digits only"));
        assert!(parse_seed("18446744073709551616")
            .unwrap_err()
            .contains("at most 18446744073709551615"));
    }

    #[test]
    fn a_bad_seed_keeps_the_last_good_one_and_the_typed_text() {
        let state = AppState::default().apply(Action::EditSeed("99".into()));
        assert_eq!(state.seed, 99);
        let state = state.apply(Action::EditSeed("99x".into()));
        assert_eq!(state.seed, 99);
        assert_eq!(state.seed_input, "99x");
        assert!(state.seed_error.is_some());
        let state = state.apply(Action::EditSeed("100".into()));
        assert_eq!((state.seed, state.seed_error), (100, None));
    }

    #[test]
    fn play_toggles_and_changing_scenario_pauses() {
        let state = AppState::default().apply(Action::TogglePlay);
        assert!(state.playing);
        assert!(!state.apply(Action::TogglePlay).playing);
        assert!(!state.apply(Action::Pause).playing);
        assert!(
            !state
                .apply(Action::SelectScenario("sandbox".into()))
                .playing
        );
    }

    #[test]
    fn a_new_scenario_brings_its_own_seed_and_forgets_the_old_run() {
        let state = AppState::default()
            .apply(Action::Select(Some(EventId(3))))
            .apply(Action::EditSeed("77".into()));
        assert_eq!(state.seed, 77);
        assert_eq!(state.selected, None, "a new seed is a new run");
        let state = state
            .apply(Action::Select(Some(EventId(3))))
            .apply(Action::SelectScenario("reordered-writes".into()));
        assert_eq!(state.scenario, "reordered-writes");
        assert_eq!(state.seed, preset("reordered-writes").unwrap().config.seed);
        assert_eq!(state.selected, None);
        let unchanged = state.apply(Action::SelectScenario("no-such-scenario".into()));
        assert_eq!(unchanged, state, "an unknown id changes nothing");
    }

    #[test]
    fn a_finished_run_stops_playing_and_cannot_be_played() {
        let state = AppState::default().apply(Action::TogglePlay);
        let done = state.apply(Action::Progress(Progress {
            finished: true,
            ..Progress::default()
        }));
        assert!(!done.playing);
        assert!(!done.apply(Action::TogglePlay).playing);
        let again = done.apply(Action::Restart);
        assert_eq!(again.restarts, done.restarts + 1);
        assert!(!again.progress.finished);
        assert!(again.apply(Action::TogglePlay).playing);
    }

    #[test]
    fn the_fix_toggle_starts_a_new_run_only_when_it_changes() {
        let state = AppState::default().apply(Action::Select(Some(EventId(1))));
        assert_eq!(state.apply(Action::SetFix(false)), state);
        let fixed = state.apply(Action::SetFix(true));
        assert!(fixed.fix);
        assert_eq!(fixed.selected, None);
        assert_ne!(fixed.run_key(), state.run_key());
    }

    #[test]
    fn the_guide_stops_to_predict_then_to_explain_the_anomaly() {
        let playing = AppState::default()
            .apply(Action::SetGuided(true))
            .apply(Action::TogglePlay);
        assert!(playing.guide.stops_at_key_moment());
        let asked = playing.apply(Action::ReachedKeyMoment);
        assert_eq!((asked.guide, asked.playing), (Guide::Predicting, false));
        assert_eq!(
            asked.apply(Action::Continue).guide,
            Guide::Predicting,
            "answer first"
        );
        let answered = asked.apply(Action::Answer(1));
        assert_eq!(answered.guide, Guide::Answered(1));
        let watching = answered.apply(Action::Continue);
        assert_eq!(
            (watching.guide, watching.playing),
            (Guide::AfterPrediction, true)
        );
        assert!(!watching.guide.stops_at_key_moment());
        let found = watching.apply(Action::Progress(Progress {
            findings: 1,
            ..watching.progress
        }));
        assert_eq!((found.guide, found.playing), (Guide::Explaining, false));
        let done = found.apply(Action::Continue);
        assert_eq!((done.guide, done.playing), (Guide::Done, true));
        let again = done.apply(Action::Restart);
        assert_eq!(
            again.guide,
            Guide::Watching,
            "a new run starts the tour again"
        );
    }

    #[test]
    fn without_guided_mode_nothing_stops() {
        let playing = AppState::default().apply(Action::TogglePlay);
        let on = playing.apply(Action::ReachedKeyMoment);
        assert!(on.playing);
        let found = on.apply(Action::Progress(Progress {
            findings: 1,
            ..on.progress
        }));
        assert!(found.playing);
    }

    #[test]
    fn a_page_opens_the_run_its_link_names() {
        let shared = SharedRun {
            scenario: "reordered-writes".into(),
            fix: true,
            seed: 77,
            faults: Vec::new(),
            step: 5,
        };
        let state = AppState::from_fragment(&format!("#{}", share::encode(&shared)));
        assert_eq!(
            (
                state.scenario.as_str(),
                state.fix,
                state.seed,
                state.seed_input.as_str()
            ),
            ("reordered-writes", true, 77, "77")
        );
        assert_eq!(state.restore, Some(shared));
        assert_eq!(state.notice, None);
        let started = state.apply(Action::RunStarted);
        assert_eq!(started.restore, None, "restored once; Restart starts fresh");
        assert_eq!(AppState::from_fragment(""), AppState::default());
    }

    #[test]
    fn a_bad_link_opens_the_first_scenario_and_says_why() {
        let broken = AppState::from_fragment("#v1.garbage!");
        assert_eq!(broken.scenario, AppState::default().scenario);
        assert!(broken.notice.unwrap().contains("damaged"));
        let unknown = share::encode(&SharedRun {
            scenario: "<script>alert(1)</script>".into(),
            fix: false,
            seed: 1,
            faults: Vec::new(),
            step: 0,
        });
        let state = AppState::from_fragment(&unknown);
        assert!(state.notice.unwrap().contains("does not have (“<script>"));
        assert_eq!(state.restore, None);
    }

    #[test]
    fn a_link_pasted_into_an_open_page_replaces_the_run() {
        let shared = SharedRun {
            scenario: "seat-12a".into(),
            fix: false,
            seed: 3,
            faults: Vec::new(),
            step: 9,
        };
        let before = AppState::default().apply(Action::TogglePlay);
        let after = before.apply(Action::OpenLink(share::encode(&shared)));
        assert_eq!((after.scenario.as_str(), after.seed), ("seat-12a", 3));
        assert!(!after.playing);
        assert_ne!(after.run_key(), before.run_key());
        assert_eq!(after.restore, Some(shared));
        let broken = after.apply(Action::OpenLink("#v1.%%%".into()));
        assert!(broken.notice.unwrap().contains("could not be opened"));
    }

    #[test]
    fn an_embed_opens_its_scenario_at_its_step_and_may_autoplay() {
        let state =
            AppState::from_location("?embed=1&scenario=gc-pause-fencing&step=12&autoplay=1", "");
        assert!(state.embed.enabled && state.playing);
        assert_eq!(state.scenario, "gc-pause-fencing");
        assert_eq!(state.restore.as_ref().map(|r| r.step), Some(12));
        let unknown = AppState::from_location("?embed=1&scenario=nope", "");
        assert_eq!(unknown.scenario, AppState::default().scenario);
        assert_eq!(AppState::from_location("", ""), AppState::default());
    }

    #[test]
    fn speed_is_logarithmic_and_clamped() {
        assert_eq!(Speed::from_position(0).events_per_second(), Some(1));
        assert_eq!(Speed::from_position(0).label(), "1 event/s");
        assert_eq!(
            Speed::from_position(Speed::MAX_POSITION).events_per_second(),
            None
        );
        assert_eq!(
            Speed::from_position(200),
            Speed::from_position(Speed::MAX_POSITION)
        );
        let rates: Vec<u32> = (0..Speed::MAX_POSITION)
            .filter_map(|p| Speed::from_position(p).events_per_second())
            .collect();
        assert!(rates.windows(2).all(|w| w[1] >= 2 * w[0]), "{rates:?}");
    }

    #[test]
    fn every_preset_can_be_found_by_its_id() {
        assert_eq!(presets().len(), scenarios::all().len());
        for scenario in presets().iter() {
            assert_eq!(preset(&scenario.id).as_ref(), Some(scenario));
        }
        assert_eq!(preset("no-such-scenario"), None);
    }

    #[test]
    fn an_action_that_changes_nothing_keeps_the_same_state_object() {
        use yew::Reducible;
        let state = Rc::new(AppState::default());
        let same = state.clone().reduce(Action::Pause);
        assert!(Rc::ptr_eq(&state, &same));
        let changed = state.clone().reduce(Action::TogglePlay);
        assert!(!Rc::ptr_eq(&state, &changed));
    }
}
