//! [`Hunt`]: the loop that tries schedules, shrinks the first failure and tallies, advanced a
//! slice at a time by [`Hunt::work`].

use serde::{Deserialize, Serialize};

use super::fault::Fault;
use super::schedule;
use super::settings::{thousands, Settings, SettingsError, MAX_EVENTS_PER_TRY, MAX_SHRINK_TRIES};
use super::shrink::Shrinker;
use super::trial::{Judge, Outcome, Violation};
use crate::detect::FindingKind;
use crate::scenarios::Scenario;
use crate::sim::Names;

/// What a hunt sets out to do, from the fix as set: without it, find a failure and stop; with
/// it, try every schedule against the fixed and the naive variant and tally both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Find,
    Prove,
}

/// Where a hunt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Searching,
    Shrinking,
    Done,
}

/// How the tries of one variant came out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub tried: u32,
    /// Tries that broke a safety property.
    pub unsafe_runs: u32,
    /// Safe tries that left a request unanswered or refused.
    pub costly_runs: u32,
    /// Tries stopped at the event limit.
    pub cut_short: u32,
    /// How often each safety property's finding came first.
    pub violations: Vec<(FindingKind, u32)>,
}

impl Tally {
    fn add(&mut self, outcome: &Outcome) {
        self.tried += 1;
        if let Some(violation) = &outcome.violation {
            self.unsafe_runs += 1;
            match self
                .violations
                .iter_mut()
                .find(|(k, _)| *k == violation.kind)
            {
                Some((_, n)) => *n += 1,
                None => self.violations.push((violation.kind, 1)),
            }
        } else if !outcome.price.is_empty() {
            self.costly_runs += 1;
        }
        if outcome.cut_short {
            self.cut_short += 1;
        }
    }

    /// Tries that neither broke safety nor left a request waiting.
    pub fn clean_runs(&self) -> u32 {
        self.tried - self.unsafe_runs - self.costly_runs
    }
}

/// A failure found and shrunk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// Which schedule failed first (counting from 0), and so how many were tried.
    pub index: u32,
    pub violation: Violation,
    pub original: Vec<Fault>,
    pub shrunk: Vec<Fault>,
    pub shrink_tries: u32,
}

/// Where a hunt is, for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    /// Schedules tried so far, of `total`.
    pub tried: u32,
    pub total: u32,
    /// What the first failure broke, once there is one.
    pub found: Option<FindingKind>,
    pub shrink_tries: u32,
}

/// What a hunt found, once done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub mode: Mode,
    pub settings: Settings,
    /// The variant hunted (the fix as set).
    pub tally: Tally,
    /// With the fix on, the naive variant under the same schedules.
    pub naive: Option<Tally>,
    pub found: Option<Found>,
}

pub struct Hunt {
    settings: Settings,
    mode: Mode,
    judge: Judge,
    naive: Option<Judge>,
    next: u32,
    tally: Tally,
    naive_tally: Tally,
    first: Option<(u32, Vec<Fault>, Violation)>,
    shrinker: Option<Shrinker>,
    phase: Phase,
}

/// Why a hunt cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum HuntError {
    Settings(SettingsError),
    /// The scenario promises no safety property: nothing can be found broken.
    NothingToHuntFor,
    /// The scenario does not run (its cluster breaks a limit).
    DoesNotRun(String),
}

impl std::fmt::Display for HuntError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HuntError::Settings(error) => write!(f, "{error}"),
            HuntError::NothingToHuntFor => write!(
                f,
                "this scenario promises no safety property, so there is nothing to hunt for"
            ),
            HuntError::DoesNotRun(why) => write!(f, "the scenario does not run: {why}"),
        }
    }
}

impl Hunt {
    /// A hunt on `scenario` (the one on stage, fix as set): its subject is
    /// [`super::subject`] of it.
    pub fn new(scenario: &Scenario, settings: Settings) -> Result<Hunt, HuntError> {
        settings.validate().map_err(HuntError::Settings)?;
        let subject = super::subject(scenario);
        let judge = Judge::new(&subject).map_err(|e| HuntError::DoesNotRun(e.to_string()))?;
        if judge.safety.is_empty() {
            return Err(HuntError::NothingToHuntFor);
        }
        let (mode, naive) = if scenario.fix_enabled {
            let naive = Judge::new(&subject.clone().with_fix(false))
                .map_err(|e| HuntError::DoesNotRun(e.to_string()))?;
            (Mode::Prove, Some(naive))
        } else {
            (Mode::Find, None)
        };
        Ok(Hunt::begin(settings, mode, judge, naive))
    }

    /// A hunt on `arena` exactly as it is (a challenge's: see `crate::challenge`), judged by
    /// the one property `goal` breaks. With the fix on, it proves the fix against the naive
    /// variant of the same arena; with it off, it finds and shrinks an attack.
    pub fn aimed(
        arena: &Scenario,
        settings: Settings,
        goal: FindingKind,
    ) -> Result<Hunt, HuntError> {
        settings.validate().map_err(HuntError::Settings)?;
        let does_not_run = |e: crate::sim::ReplayError| HuntError::DoesNotRun(e.to_string());
        let judge = Judge::aimed(arena, goal).map_err(does_not_run)?;
        let (mode, naive) = if arena.fix_enabled {
            let naive = Judge::aimed(&arena.clone().with_fix(false), goal).map_err(does_not_run)?;
            (Mode::Prove, Some(naive))
        } else {
            (Mode::Find, None)
        };
        Ok(Hunt::begin(settings, mode, judge, naive))
    }

    fn begin(settings: Settings, mode: Mode, judge: Judge, naive: Option<Judge>) -> Hunt {
        Hunt {
            settings,
            mode,
            judge,
            naive,
            next: 0,
            tally: Tally::default(),
            naive_tally: Tally::default(),
            first: None,
            shrinker: None,
            phase: Phase::Searching,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The scenario tried (the subject, fix as set), and how it is judged.
    pub fn judge(&self) -> &Judge {
        &self.judge
    }

    /// Runs up to `tries` tries (a try is one run of the scenario), then says where it is.
    pub fn work(&mut self, tries: u32) -> Progress {
        let mut left = tries;
        while left > 0 && self.phase != Phase::Done {
            match self.phase {
                Phase::Searching => self.search_one(&mut left),
                Phase::Shrinking => self.shrink_one(&mut left),
                Phase::Done => {}
            }
        }
        self.progress()
    }

    fn search_one(&mut self, left: &mut u32) {
        if self.next >= self.settings.schedules {
            self.searched();
            return;
        }
        let index = self.next;
        self.next += 1;
        let subject = &self.judge.scenario;
        let faults = schedule::draw(
            &self.settings,
            index,
            subject.config.nodes,
            subject.duration_us,
        );
        let outcome = self.judge.run(&faults);
        *left = left.saturating_sub(1);
        self.tally.add(&outcome);
        if let Some(naive) = &self.naive {
            self.naive_tally.add(&naive.run(&faults));
            *left = left.saturating_sub(1);
        }
        if let (None, Some(violation)) = (&self.first, outcome.violation) {
            self.first = Some((index, faults, violation));
            if self.mode == Mode::Find {
                self.searched();
            }
        }
    }

    /// Every schedule wanted has been tried (or, finding, one failed): shrink or finish.
    fn searched(&mut self) {
        match &self.first {
            Some((_, faults, violation)) => {
                self.shrinker = Some(Shrinker::new(
                    faults.clone(),
                    violation.kind,
                    violation.at_us,
                ));
                self.phase = Phase::Shrinking;
            }
            None => self.phase = Phase::Done,
        }
    }

    fn shrink_one(&mut self, left: &mut u32) {
        let shrinker = self.shrinker.as_mut().expect("shrinking has a shrinker");
        let candidate = match shrinker.next() {
            Some(candidate) if shrinker.tries < MAX_SHRINK_TRIES => candidate,
            _ => {
                self.phase = Phase::Done;
                return;
            }
        };
        let outcome = self.judge.run(&candidate);
        *left = left.saturating_sub(1);
        let broke = outcome.violation.map(|v| (v.kind, v.at_us));
        shrinker.tried(candidate, broke);
    }

    pub fn progress(&self) -> Progress {
        Progress {
            phase: self.phase,
            tried: self.next,
            total: self.settings.schedules,
            found: self.first.as_ref().map(|(_, _, v)| v.kind),
            shrink_tries: self.shrinker.as_ref().map_or(0, |s| s.tries),
        }
    }

    /// What the hunt found (so far, or once done).
    pub fn report(&self) -> Report {
        let found = self.first.as_ref().map(|(index, original, violation)| {
            let (shrunk, shrink_tries) = self
                .shrinker
                .as_ref()
                .map_or((original.clone(), 0), |s| (s.best.clone(), s.tries));
            // The violation as the shrunk schedule shows it: what will be on stage.
            let violation = if shrink_tries > 0 {
                self.judge
                    .run(&shrunk)
                    .violation
                    .unwrap_or_else(|| violation.clone())
            } else {
                violation.clone()
            };
            Found {
                index: *index,
                violation,
                original: original.clone(),
                shrunk,
                shrink_tries,
            }
        });
        Report {
            mode: self.mode,
            settings: self.settings.clone(),
            tally: self.tally.clone(),
            naive: self.naive.as_ref().map(|_| self.naive_tally.clone()),
            found,
        }
    }

    /// Runs the whole hunt at once (tests and the native twin).
    pub fn run_to_end(&mut self) -> Report {
        while self.work(1_000).phase != Phase::Done {}
        self.report()
    }
}

impl Report {
    /// What the hunt found, in a sentence or two for people: "split brain after 41 schedules
    /// (0.3 s), shrunk from 7 faults to 2: cut {A, B} | {C, D, E} at 0.810 s for 1.2 s; pause E
    /// for 1.2 s at 1.100 s". `elapsed_ms` is how long it took, as its runner measured.
    pub fn summary(&self, names: &Names, nodes: u8, elapsed_ms: f64) -> String {
        let time = elapsed(elapsed_ms);
        let schedules = |n: u32| match n {
            1 => "1 schedule".to_string(),
            n => format!("{} schedules", thousands(n)),
        };
        let faults = |n: usize| match n {
            1 => "1 fault".to_string(),
            n => format!("{n} faults"),
        };
        let found = self.found.as_ref().map(|found| {
            let list: Vec<String> = found.shrunk.iter().map(|f| f.words(names, nodes)).collect();
            let shrunk = if found.shrunk.is_empty() {
                "it needs no fault at all: the scenario breaks on its own".to_string()
            } else if found.shrunk.len() == found.original.len() {
                format!(
                    "{}, none of which could go: {}",
                    faults(found.shrunk.len()),
                    list.join("; ")
                )
            } else {
                format!(
                    "shrunk from {} to {}: {}",
                    faults(found.original.len()),
                    found.shrunk.len(),
                    list.join("; ")
                )
            };
            (found.violation.kind.label(), found.index + 1, shrunk)
        });
        let said = match (self.mode, found) {
            (Mode::Find, Some((kind, after, shrunk))) => {
                format!("{kind} after {} ({time}), {shrunk}.", schedules(after))
            }
            (Mode::Find, None) => format!(
                "No safety property broke in {} ({time}).",
                schedules(self.tally.tried)
            ),
            (Mode::Prove, found) => {
                let naive = self.naive.clone().unwrap_or_default();
                let held = match found {
                    None => format!(
                        "The fix held: no safety property broke in {} ({time}).",
                        schedules(self.tally.tried)
                    ),
                    Some((kind, after, shrunk)) => format!(
                        "The fix did not hold: {kind} in schedule {after} ({time}), {shrunk}. \
                         Either these faults break what the fix assumes, or the model has a \
                         bug: step through the run to see which."
                    ),
                };
                format!(
                    "{held} Its price: {} of {} left a request unanswered or refused. Without \
                     the fix, {} of the same schedules broke safety.",
                    thousands(self.tally.costly_runs),
                    thousands(self.tally.tried),
                    thousands(naive.unsafe_runs)
                )
            }
        };
        // Tries stopped at the event limit still count; say how many, so none pass unseen.
        let cut_short = self.tally.cut_short + self.naive.as_ref().map_or(0, |t| t.cut_short);
        match cut_short {
            0 => said,
            n => format!(
                "{said} {} stopped at {} events, before the run's end.",
                match n {
                    1 => "1 try was".to_string(),
                    n => format!("{} tries were", thousands(n)),
                },
                thousands(MAX_EVENTS_PER_TRY as u32)
            ),
        }
    }
}

/// A wall-clock duration for people: "40 ms", "0.3 s", "12 s", "2 min 5 s".
fn elapsed(ms: f64) -> String {
    let ms = ms.max(0.0);
    if ms < 1_000.0 {
        format!("{} ms", ms.round().max(1.0))
    } else if ms < 10_000.0 {
        format!("{:.1} s", ms / 1_000.0)
    } else if ms < 120_000.0 {
        format!("{:.0} s", ms / 1_000.0)
    } else {
        let s = (ms / 1_000.0).round() as u64;
        format!("{} min {} s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_cut_short_are_said() {
        let mut report = Report {
            mode: Mode::Find,
            settings: Settings::default(),
            tally: Tally {
                tried: 40,
                cut_short: 3,
                ..Tally::default()
            },
            naive: None,
            found: None,
        };
        let names = Names::letters();
        assert_eq!(
            report.summary(&names, 5, 2_000.0),
            "No safety property broke in 40 schedules (2.0 s). 3 tries were stopped at 200,000 \
             events, before the run's end."
        );
        report.tally.cut_short = 0;
        assert_eq!(
            report.summary(&names, 5, 20.0),
            "No safety property broke in 40 schedules (20 ms)."
        );
    }
}
