//! One try: a schedule played through a live session, as a person applying its faults by hand
//! would, and judged.

use serde::{Deserialize, Serialize};

use super::fault::{timed_commands, Cluster, Fault};
use super::settings::MAX_EVENTS_PER_TRY;
use crate::detect::{Finding, FindingKind, PropertyClass};
use crate::live::Session;
use crate::scenarios::{self, Scenario};
use crate::sim::{LoggedCommand, Micros, ReplayError};

/// What a try showed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The safety property that broke, if one did: the one the scenario teaches when it broke
    /// (see [`Judge::run`]), else the first to break.
    pub violation: Option<Violation>,
    /// The kinds of finding that show what safety cost: a request unanswered or refused
    /// (a liveness property broken, or the finding the scenario names as its fix's cost).
    pub price: Vec<FindingKind>,
    /// The try ran [`MAX_EVENTS_PER_TRY`] events and was stopped before the run's end.
    pub cut_short: bool,
}

/// A safety property broken, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub kind: FindingKind,
    /// The property's name ("At most one leader accepts writes at any moment").
    pub property: String,
    /// True time the finding became true.
    pub at_us: Micros,
    /// The finding's own sentence.
    pub summary: String,
}

/// What a hunt judges a scenario by: the kinds of finding that break its safety properties,
/// and those that count as the price.
#[derive(Clone, Debug)]
pub struct Judge {
    pub scenario: Scenario,
    pub cluster: Cluster,
    /// Each safety property's name and the kind of finding that breaks it.
    pub safety: Vec<(String, FindingKind)>,
    pub price: Vec<FindingKind>,
}

impl Judge {
    /// The judge of `scenario` (already the hunt's subject, fix as set).
    pub fn new(scenario: &Scenario) -> Result<Judge, ReplayError> {
        let session = scenarios::start(scenario)?;
        let mut safety = Vec::new();
        let mut price: Vec<FindingKind> = scenario.fix_cost.into_iter().collect();
        for (property, _) in session.properties() {
            match property.class {
                PropertyClass::Safety => {
                    safety.push((property.name.to_string(), property.violated_by));
                }
                PropertyClass::Liveness => price.push(property.violated_by),
            }
        }
        price.retain(|kind| !safety.iter().any(|(_, k)| k == kind));
        crate::sim::sort::sort(&mut price);
        price.dedup();
        Ok(Judge {
            scenario: scenario.clone(),
            cluster: Cluster::of(scenario),
            safety,
            price,
        })
    }

    /// The judge of `scenario` by one property only, the one `goal` breaks (a challenge's):
    /// every other finding is neither a violation nor a price. The property keeps its name when
    /// the model promises it, else it is named by the finding ("retry storm").
    pub fn aimed(scenario: &Scenario, goal: FindingKind) -> Result<Judge, ReplayError> {
        let mut judge = Judge::new(scenario)?;
        let name = judge
            .safety
            .iter()
            .find(|(_, kind)| *kind == goal)
            .map_or_else(|| goal.label().to_string(), |(name, _)| name.clone());
        judge.safety = vec![(name, goal)];
        judge.price.retain(|kind| *kind != goal);
        Ok(judge)
    }

    /// Plays `faults` and judges the run: the safety property it broke (the scenario's own
    /// lesson first, then the earliest), and the price.
    pub fn run(&self, faults: &[Fault]) -> Outcome {
        let (session, cut_short) = self.play(faults);
        let findings = session.findings();
        let violation = |finding: &Finding| {
            let (property, _) = self.safety.iter().find(|(_, k)| *k == finding.kind)?;
            Some(Violation {
                kind: finding.kind,
                property: property.clone(),
                at_us: finding.time,
                summary: finding.summary.clone(),
            })
        };
        // The failure the scenario teaches, when the run shows it (a split brain loses writes
        // too, often a moment before two leaders both accept one), else the first.
        let taught = findings
            .iter()
            .filter(|f| Some(f.kind) == self.scenario.shows)
            .find_map(violation);
        let violation = taught.or_else(|| findings.iter().find_map(violation));
        let mut price: Vec<FindingKind> = findings
            .iter()
            .map(|f| f.kind)
            .filter(|k| self.price.contains(k))
            .collect();
        crate::sim::sort::sort(&mut price);
        price.dedup();
        Outcome {
            violation,
            price,
            cut_short,
        }
    }

    /// The session after `faults`, run to its end (or cut short), and whether it was cut short.
    pub fn play(&self, faults: &[Fault]) -> (Session, bool) {
        let mut session = scenarios::start(&self.scenario).expect("the judge's scenario starts");
        let mut left = MAX_EVENTS_PER_TRY;
        for (at, command) in timed_commands(faults, &self.cluster) {
            if at > session.duration() {
                break;
            }
            left -= session.advance_before(left, at.saturating_add(1));
            if left == 0 {
                return (session, true);
            }
            session.advance_to(at);
            // A command that no longer applies (resuming a node that has crashed since) is
            // refused and changes nothing, as it would by hand.
            let _ = session.apply(command);
        }
        let ran = session.advance(left);
        let cut_short = ran == left && !session.finished();
        (session, cut_short)
    }

    /// The faults as the run's fault log (what the stage replays and a share link carries).
    pub fn fault_log(&self, faults: &[Fault]) -> Vec<LoggedCommand<()>> {
        self.play(faults).0.fault_log()
    }
}
