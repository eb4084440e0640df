//! Challenges: a goal a student plays for, judged by the detectors and scored against the
//! machine. A challenge is data ([`Challenge`]): the scenario it is played on (fix on or off), the
//! finding that wins it (the property to break), the kinds of fault allowed, a budget (a number of
//! faults, and at most so much fault time where that matters), a limit in simulated time, a hint
//! and what winning teaches.
//!
//! How one is played and judged:
//! 1. The stage runs its [`Challenge::arena`]: the scenario as the hunt attacks it (its scripted
//!    faults taken out, its clocks set right: `crate::hunt::subject`), fix as the challenge says,
//!    lasting exactly the challenge's limit. Every fault in it is the student's.
//! 2. Every fault asked for by hand is checked first ([`Challenge::admits`], reading the run's
//!    fault log through [`budget::Ledger`]): a kind not allowed, a fault beyond the budget or a
//!    lasting fault once the fault time is spent is refused with a reason, and the run is
//!    untouched.
//! 3. The student wins when the goal's finding appears ([`Challenge::won`]); the run ends at the
//!    limit, so any finding is within it.
//! 4. The par: the hunt, aimed at the same arena with the same kinds and budget
//!    ([`Challenge::hunt`]), finds and shrinks the smallest attack it can; with the fix on, it tallies
//!    schedules within the budget against the fix and against the naive version — a proof when
//!    none breaks, and when one does, the challenge's [`Challenge::assumption`] says what the
//!    faults broke.
//!
//! Pure like the simulation core: no web crates, no wall clock (`tests/sim_purity.rs`).

pub mod budget;
mod library;

use serde::{Deserialize, Serialize};

pub use budget::{Ledger, Refusal, Spend};
pub use library::{builtin, by_id};

use crate::detect::{Finding, FindingKind};
use crate::hunt::{FaultKind, Hunt, HuntError, Settings, MAX_FAULTS};
use crate::scenarios::{Narration, Scenario, Shown, MAX_DURATION_US, MIN_DURATION_US};
use crate::sim::words::duration;
use crate::sim::{Command, LoggedCommand, Micros};

/// The most characters of a challenge's title.
pub const MAX_TITLE_CHARS: usize = 100;
/// The most characters of its hint, of what it teaches and of its assumption.
pub const MAX_TEXT_CHARS: usize = 600;
/// The most characters of its id.
pub const MAX_ID_CHARS: usize = 40;
/// The least fault time a budget may allow (1 ms).
pub const MIN_FAULT_TIME_US: Micros = 1_000;
/// Schedules the par's hunt tries: "1,000 schedules within your budget".
pub const PAR_SCHEDULES: u32 = 1_000;

/// The kinds of fault a challenge may allow, in order: the hunt panel's, and power cuts.
pub const CHALLENGE_KINDS: [FaultKind; 10] = [
    FaultKind::Partition,
    FaultKind::OneWayCut,
    FaultKind::Pause,
    FaultKind::Crash,
    FaultKind::PowerCut,
    FaultKind::ClockSkew,
    FaultKind::ClockDrift,
    FaultKind::NtpStep,
    FaultKind::Loss,
    FaultKind::Duplication,
];

/// A goal to play for. Share links and files carry it as JSON; [`Challenge::validate`] checks
/// every field before anything plays it, naming the field it refuses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// Letters, digits, `-` and `_`: "two-leaders". A teacher's own is "own" unless named.
    pub id: String,
    /// What to do, as an imperative: "Make two leaders with at most two cuts".
    pub title: String,
    /// The preset it is played on (a challenge riding a link with a scenario of its own plays
    /// on that one, and this names it).
    pub scenario: String,
    /// Whether the scenario's fix is on: then the challenge is to break the fix.
    #[serde(default)]
    pub fix: bool,
    /// The finding that wins: the property to break.
    pub goal: FindingKind,
    /// The kinds of fault allowed, in `crate::hunt::FaultKind` order.
    pub kinds: Vec<FaultKind>,
    /// The most faults (a knife stroke, or cuts made at one moment, is one fault).
    pub faults: u32,
    /// The most time lasting faults may last in all (pauses, crashes, cuts, bursts), where
    /// that matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault_time_us: Option<Micros>,
    /// How long the run lasts: the goal must show by then.
    pub limit_us: Micros,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// What winning teaches, shown once won.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub teaches: String,
    /// Whether the arena keeps the links the scenario cuts from its start: the network's
    /// shape (two sites that cannot reach each other), not a fault of the story.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub setting: bool,
    /// For a fix the hunt can break: the assumption of the fix such faults break.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub assumption: String,
}

/// Why a challenge was refused: the field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeError {
    /// The field's path inside the challenge ("faults", "kinds").
    pub field: &'static str,
    pub problem: Problem,
}

/// What is wrong with a challenge's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Empty, too long, or with characters it may not hold.
    BadId,
    Empty,
    TooLong(usize),
    /// Text across more than one line.
    Lines,
    UnknownScenario(String),
    /// It names another scenario than the run it rides on.
    NotTheRuns(String),
    NoKinds,
    RepeatedKind(FaultKind),
    NoFaults,
    TooManyFaults(u32),
    TimeOutOfRange(Micros),
    FaultTimeOutOfRange(Micros),
    /// The scenario's checkers never report this finding.
    NeverReported(FindingKind),
}

impl std::fmt::Display for ChallengeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "challenge.{}: ", self.field)?;
        match &self.problem {
            Problem::BadId => write!(
                f,
                "1 to {MAX_ID_CHARS} letters, digits, \u{201c}-\u{201d} or \u{201c}_\u{201d}"
            ),
            Problem::Empty => write!(f, "it is empty"),
            Problem::TooLong(chars) => write!(f, "{chars} characters is too long"),
            Problem::Lines => write!(f, "one line only"),
            Problem::UnknownScenario(id) => write!(f, "there is no scenario \u{201c}{id}\u{201d}"),
            Problem::NotTheRuns(id) => {
                write!(
                    f,
                    "it must name the run's own scenario, \u{201c}{id}\u{201d}"
                )
            }
            Problem::NoKinds => write!(f, "allow at least one kind of fault"),
            Problem::RepeatedKind(kind) => {
                write!(f, "\u{201c}{}\u{201d} is listed twice", kind.label())
            }
            Problem::NoFaults => write!(f, "allow at least 1 fault"),
            Problem::TooManyFaults(n) => {
                write!(
                    f,
                    "{n} faults is more than the {MAX_FAULTS} a challenge may allow"
                )
            }
            Problem::TimeOutOfRange(us) => write!(
                f,
                "{} is outside {} to {}",
                duration(*us),
                duration(MIN_DURATION_US),
                duration(MAX_DURATION_US)
            ),
            Problem::FaultTimeOutOfRange(us) => write!(
                f,
                "{} of fault time is outside {} to the challenge's limit",
                duration(*us),
                duration(MIN_FAULT_TIME_US)
            ),
            Problem::NeverReported(kind) => write!(
                f,
                "this scenario's checkers never report \u{201c}{}\u{201d}",
                kind.label()
            ),
        }
    }
}

impl std::error::Error for ChallengeError {}

fn refuse(field: &'static str, problem: Problem) -> Result<(), ChallengeError> {
    Err(ChallengeError { field, problem })
}

fn text(
    field: &'static str,
    value: &str,
    max: usize,
    empty_ok: bool,
) -> Result<(), ChallengeError> {
    let chars = value.chars().count();
    if chars == 0 && !empty_ok {
        refuse(field, Problem::Empty)
    } else if chars > max {
        refuse(field, Problem::TooLong(chars))
    } else if value.contains(['\n', '\r']) && field == "title" {
        refuse(field, Problem::Lines)
    } else {
        Ok(())
    }
}

impl Challenge {
    /// The challenge if every field keeps its limits, else the first field that does not. The
    /// goal is checked against `scenario` (the one it will play on) when given.
    pub fn validate(&self, scenario: Option<&Scenario>) -> Result<(), ChallengeError> {
        let id_ok = !self.id.is_empty()
            && self.id.chars().count() <= MAX_ID_CHARS
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            return refuse("id", Problem::BadId);
        }
        text("title", &self.title, MAX_TITLE_CHARS, false)?;
        text("hint", &self.hint, MAX_TEXT_CHARS, true)?;
        text("teaches", &self.teaches, MAX_TEXT_CHARS, true)?;
        text("assumption", &self.assumption, MAX_TEXT_CHARS, true)?;
        if scenario.is_none() && crate::scenarios::by_id(&self.scenario).is_none() {
            return refuse("scenario", Problem::UnknownScenario(self.scenario.clone()));
        }
        if self.kinds.is_empty() {
            return refuse("kinds", Problem::NoKinds);
        }
        for (i, kind) in self.kinds.iter().enumerate() {
            if self.kinds[..i].contains(kind) {
                return refuse("kinds", Problem::RepeatedKind(*kind));
            }
        }
        match self.faults {
            0 => return refuse("faults", Problem::NoFaults),
            n if n > MAX_FAULTS => return refuse("faults", Problem::TooManyFaults(n)),
            _ => {}
        }
        if !(MIN_DURATION_US..=MAX_DURATION_US).contains(&self.limit_us) {
            return refuse("limit_us", Problem::TimeOutOfRange(self.limit_us));
        }
        if let Some(time) = self.fault_time_us {
            if !(MIN_FAULT_TIME_US..=self.limit_us).contains(&time) {
                return refuse("fault_time_us", Problem::FaultTimeOutOfRange(time));
            }
        }
        let owned;
        let scenario = match scenario {
            Some(scenario) => scenario,
            None => {
                owned = crate::scenarios::by_id(&self.scenario).expect("checked above");
                &owned
            }
        };
        if !self.reportable(scenario) {
            return refuse("goal", Problem::NeverReported(self.goal));
        }
        Ok(())
    }

    /// [`Challenge::validate`] for a run of preset `scenario` (or of `custom`, a scenario of
    /// the person's own, which it must name): a challenge plays on the run's own scenario.
    pub fn validate_for(
        &self,
        scenario: &str,
        custom: Option<&Scenario>,
    ) -> Result<(), ChallengeError> {
        if self.scenario != scenario {
            return refuse(
                "scenario",
                Problem::NotTheRuns(scenario.chars().take(60).collect()),
            );
        }
        self.validate(custom)
    }

    /// The challenge with one field of the "Make a challenge" form changed: `field` is the
    /// form's name for it, `value` what was typed or chosen (a goal as its place in `goals`, a
    /// kind as its place in [`CHALLENGE_KINDS`], times in seconds) and `checked` a box's state.
    /// What cannot be read is kept as a value [`Challenge::validate`] refuses by name.
    pub fn edit(&mut self, field: &str, value: &str, checked: bool, goals: &[FindingKind]) {
        let seconds = |text: &str| -> Micros {
            match crate::sim::units::decimal(text.trim()) {
                Some(s) if (0.0..=1e6).contains(&s) => (s * 1e6).round() as Micros,
                _ => 0,
            }
        };
        let index = value.parse::<usize>().ok();
        match field {
            "title" => self.title = value.to_string(),
            "hint" => self.hint = value.to_string(),
            "teaches" => self.teaches = value.to_string(),
            "fix" => self.fix = checked,
            "goal" => {
                if let Some(goal) = index.and_then(|i| goals.get(i)) {
                    self.goal = *goal;
                }
            }
            "kind" => {
                if let Some(kind) = index.and_then(|i| CHALLENGE_KINDS.get(i)) {
                    self.kinds.retain(|k| k != kind);
                    if checked {
                        self.kinds.push(*kind);
                        crate::sim::sort::sort(&mut self.kinds);
                    }
                }
            }
            "faults" => self.faults = value.trim().parse().unwrap_or(0),
            "limit" => self.limit_us = seconds(value),
            "fault_time" => {
                self.fault_time_us = (!value.trim().is_empty()).then(|| seconds(value));
            }
            _ => {}
        }
    }

    /// Whether `scenario`'s checkers can report the goal at all.
    fn reportable(&self, scenario: &Scenario) -> bool {
        let Ok(judge) = crate::hunt::trial::Judge::new(&crate::hunt::subject(scenario)) else {
            return false;
        };
        judge.safety.iter().any(|(_, kind)| *kind == self.goal)
            || judge.price.contains(&self.goal)
            || scenario.shows == Some(self.goal)
            || scenario.fix_cost == Some(self.goal)
    }

    /// The run the challenge is played on, from the scenario it names (see the module doc).
    pub fn arena(&self, scenario: &Scenario) -> Scenario {
        let mut arena =
            crate::hunt::subject_keeping(&scenario.clone().with_fix(self.fix), self.setting);
        arena.duration_us = self.limit_us;
        arena.title = format!("Challenge: {}", self.title);
        arena.lesson = scenario.lesson.clone();
        arena.narration = vec![Narration {
            at_us: 0,
            text: format!(
                "{} The scenario's own faults are taken out{} and its clocks set right: every \
                 fault in this run is yours. {}",
                self.statement(),
                if self.setting {
                    " (the links it cuts from the start stay cut: that is the network's shape)"
                } else {
                    ""
                },
                self.budget_words()
            ),
            shown: Shown::Always,
        }];
        arena
    }

    /// The goal in a sentence: "Make the checkers report a split brain."
    pub fn statement(&self) -> String {
        let goal = self.goal.happens();
        if self.fix {
            format!("With the fix on, break it: {}", lowercase_first(goal))
        } else {
            format!("Make it happen: {}", lowercase_first(goal))
        }
    }

    /// The budget in words: "At most 2 faults: partitions or one-way cuts, within 3 s."
    pub fn budget_words(&self) -> String {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.label()).collect();
        let time = self
            .fault_time_us
            .map(|t| format!(", {} of fault time in all", duration(t)))
            .unwrap_or_default();
        format!(
            "At most {}{time}: {}; within {}.",
            count(self.faults, "fault"),
            or_list(&kinds),
            duration(self.limit_us)
        )
    }

    /// Whether the run's findings win it: the first finding of the goal's kind.
    pub fn won<'a>(&self, findings: &'a [Finding]) -> Option<&'a Finding> {
        findings.iter().find(|f| f.kind == self.goal)
    }

    /// Whether `pending`, asked for by hand at `at_us` after `step` steps of a run whose fault
    /// log is `log`, keeps the challenge's rules (see [`budget::Ledger`]).
    pub fn admits(
        &self,
        log: &[LoggedCommand<()>],
        pending: &[Command<()>],
        at_us: Micros,
        step: u64,
        arena: &Scenario,
    ) -> Result<(), Refusal> {
        let cluster = budget::Cluster::of(arena);
        let before = Ledger::of(log, at_us, &cluster);
        let mut after_log = log.to_vec();
        after_log.extend(pending.iter().cloned().map(|command| LoggedCommand {
            after_step: step,
            after_pops: u64::MAX,
            at_time: at_us,
            command,
        }));
        let after = Ledger::of(&after_log, at_us, &cluster);
        for spent in &after.faults[before.faults.len().min(after.faults.len())..] {
            if let Spend::Never(what) = spent.spend {
                return Err(Refusal::NotAFault(what));
            }
        }
        // Merging into a cut made at the same moment may turn it into a partition.
        for spent in &after.faults {
            if let Spend::Fault(kind) = spent.spend {
                if !self.kinds.contains(&kind) {
                    return Err(Refusal::NotAllowed {
                        kind,
                        allowed: self.kinds.clone(),
                    });
                }
            }
        }
        if after.count() > self.faults {
            return Err(Refusal::NoFaultsLeft {
                budget: self.faults,
            });
        }
        if let Some(budget_us) = self.fault_time_us {
            let lasting = pending.iter().any(budget::starts_lasting);
            if lasting && before.fault_time_us >= budget_us {
                return Err(Refusal::NoTimeLeft { budget_us });
            }
        }
        Ok(())
    }

    /// The hunt for the par: aimed at the arena with the challenge's kinds and budget, drawn from
    /// `seed` (see [`crate::hunt::Hunt::aimed`]).
    pub fn hunt(&self, arena: &Scenario, seed: u64) -> Result<Hunt, HuntError> {
        Hunt::aimed(arena, self.settings(seed), self.goal)
    }

    /// The par's hunt settings: the challenge's kinds and budget, [`PAR_SCHEDULES`] schedules.
    pub fn settings(&self, seed: u64) -> Settings {
        Settings {
            kinds: self.kinds.clone(),
            max_faults: self.faults,
            schedules: PAR_SCHEDULES,
            seed,
        }
    }

    /// The findings `scenario`'s checkers report, the goals a challenge on it may have: its
    /// lesson's first.
    pub fn goals(scenario: &Scenario) -> Vec<FindingKind> {
        let mut goals: Vec<FindingKind> = scenario.shows.into_iter().collect();
        if let Ok(judge) = crate::hunt::trial::Judge::new(&crate::hunt::subject(scenario)) {
            let kinds = judge
                .safety
                .iter()
                .map(|(_, k)| *k)
                .chain(judge.price.iter().copied());
            for kind in kinds.chain(scenario.fix_cost) {
                if !goals.contains(&kind) {
                    goals.push(kind);
                }
            }
        }
        goals
    }

    /// A first draft of a teacher's own challenge on `scenario`: its lesson's finding, any
    /// fault, two of them, within the scenario's run.
    pub fn draft(scenario: &Scenario) -> Challenge {
        let goal = Challenge::goals(scenario)
            .first()
            .copied()
            .unwrap_or(FindingKind::SplitBrain);
        Challenge {
            id: "own".to_string(),
            title: format!(
                "Break “{}”",
                scenario.title.chars().take(80).collect::<String>()
            ),
            scenario: scenario.id.clone(),
            fix: false,
            goal,
            kinds: crate::hunt::FAULT_KINDS.to_vec(),
            faults: 2,
            fault_time_us: None,
            limit_us: scenario.duration_us.clamp(MIN_DURATION_US, MAX_DURATION_US),
            hint: String::new(),
            teaches: String::new(),
            setting: false,
            assumption: String::new(),
        }
    }

    /// The score in a sentence: "You broke it with 3 faults; the machine needed 1."
    pub fn score(&self, used: u32, par: Option<u32>) -> String {
        let you = format!("You broke it with {}", count(used, "fault"));
        match par {
            Some(par) if par < used => format!("{you}; the machine needed {par}."),
            Some(par) if par == used => format!("{you}: as few as the machine needed."),
            Some(par) => format!("{you}; the machine needed {par}: you beat it."),
            None => format!("{you}."),
        }
    }
}

/// The sentence with its first letter made small ("Two nodes …" → "two nodes …"). ASCII only:
/// `char::to_lowercase` brings Unicode's case tables (about 11 KB) into the bundle, and every
/// sentence it is given begins with an ASCII letter.
fn lowercase_first(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    text
}

/// "1 fault", "3 faults".
pub fn count(n: u32, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;
