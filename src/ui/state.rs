//! The single source of UI state, changed only through [`Action`]s (the `use_reducer` pattern).

use std::rc::Rc;

/// The scenarios the picker offers. The sandbox is the free-play cluster; presets join it later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    Sandbox,
}

impl Scenario {
    pub const ALL: [Scenario; 1] = [Scenario::Sandbox];

    /// Stable identifier, used in `<option value>` and, later, in share links.
    pub fn id(self) -> &'static str {
        match self {
            Scenario::Sandbox => "sandbox",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Scenario::Sandbox => "Sandbox: five nodes, random traffic",
        }
    }

    pub fn from_id(id: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.id() == id)
    }
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

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub scenario: Scenario,
    pub playing: bool,
    pub speed: Speed,
    /// The seed in force: only ever a value that parsed.
    pub seed: u64,
    /// What the user typed, kept verbatim so a typo can be corrected rather than retyped.
    pub seed_input: String,
    pub seed_error: Option<String>,
}

impl Default for AppState {
    fn default() -> Self {
        let seed = 1;
        AppState {
            scenario: Scenario::Sandbox,
            playing: false,
            speed: Speed::DEFAULT,
            seed,
            seed_input: seed.to_string(),
            seed_error: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SelectScenario(Scenario),
    TogglePlay,
    Pause,
    SetSpeed(Speed),
    EditSeed(String),
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
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::SelectScenario(scenario) => {
                next.scenario = scenario;
                next.playing = false;
            }
            Action::TogglePlay => next.playing = !self.playing,
            Action::Pause => next.playing = false,
            Action::SetSpeed(speed) => next.speed = speed,
            Action::EditSeed(text) => {
                match parse_seed(&text) {
                    Ok(seed) => {
                        next.seed = seed;
                        next.seed_error = None;
                    }
                    Err(message) => next.seed_error = Some(message),
                }
                next.seed_input = text;
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
                .apply(Action::SelectScenario(Scenario::Sandbox))
                .playing
        );
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
    fn scenario_ids_round_trip() {
        for scenario in Scenario::ALL {
            assert_eq!(Scenario::from_id(scenario.id()), Some(scenario));
        }
        assert_eq!(Scenario::from_id("no-such-scenario"), None);
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
