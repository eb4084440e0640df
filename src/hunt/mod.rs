//! The hunt: a seeded adversary that breaks the scenario on stage at random until one of its
//! safety properties fails, shrinks that failure to the few faults that matter, and, with the
//! fix on, tallies how the fix holds over many tries and what it costs.
//!
//! How it runs:
//! 1. [`subject`] makes the scenario the hunt attacks: its model, cluster and client requests,
//!    with its own scripted faults taken out, every clock set right and every link as the
//!    cluster's default, so that every fault in a failing run is one the hunt chose.
//! 2. Schedule `i` of a hunt is drawn from its own random stream, seeded by the hunt's seed and
//!    `i` ([`schedule::draw`]): the same settings give the same schedules, natively and in wasm.
//!    A schedule is a list of [`Fault`]s, each a few commands of the ordinary fault vocabulary.
//! 3. [`trial::run`] plays one schedule through a live [`crate::live::Session`], exactly as a
//!    person applying those faults by hand would, and judges it: which safety property broke
//!    first, and whether a request was left unanswered or refused (the price of safety).
//! 4. [`Hunt`] is the loop, advanced a slice at a time by [`Hunt::work`] so a Web Worker can
//!    report progress and hear Cancel between slices; the first failure is shrunk
//!    ([`shrink`]): faults dropped, pauses shortened, skews reduced, faults moved later, while
//!    the same property still breaks.
//!
//! Pure like the simulation core (`tests/sim_purity.rs`): no wall clock; how long a hunt took is
//! measured by whoever runs it and handed to [`Report::summary`].

mod fault;
mod hunter;
pub mod schedule;
mod settings;
mod shrink;
pub mod trial;

pub use fault::{timed_commands, Cluster, Fault, FaultKind, What, FAULT_KINDS};
pub use hunter::{Found, Hunt, HuntError, Mode, Phase, Progress, Report, Tally};
pub use settings::{
    thousands, Settings, SettingsError, DEFAULT_MAX_FAULTS, DEFAULT_SCHEDULES, MAX_EVENTS_PER_TRY,
    MAX_FAULTS, MAX_SCHEDULES, MAX_SHRINK_TRIES,
};

use crate::scenarios::Scenario;
use crate::sim::ClockConfig;

/// The scenario a hunt attacks (see the module doc): `scenario` without its scripted faults,
/// with its clocks all reading as its first node's does (no drift; each keeps its uncertainty),
/// every link on the cluster's default setting, and its texts saying so. The fix stays as set.
pub fn subject(scenario: &Scenario) -> Scenario {
    subject_keeping(scenario, false)
}

/// [`subject`], keeping with `setting` the links the scenario cuts from its start (see
/// `ModelSpec::keep_requests_only`): a challenge may be played on the network's own shape.
pub fn subject_keeping(scenario: &Scenario, setting: bool) -> Scenario {
    let mut subject = scenario.clone();
    subject.model.keep_requests_only(setting);
    let first = subject.config.clocks.first().copied().unwrap_or_default();
    for clock in &mut subject.config.clocks {
        *clock = ClockConfig {
            offset_us: first.offset_us,
            drift_ppm: 0,
            uncertainty_us: clock.uncertainty_us,
        };
    }
    subject.config.links.clear();
    subject.title = format!("{} (hunted)", scenario.title);
    subject.lesson = format!(
        "A seeded hunt broke this run on purpose: the scenario's own faults are taken out, its \
         clocks set right, and the faults in the fault log are the few the hunt found mattered. {}",
        scenario.lesson
    );
    subject.narration = vec![crate::scenarios::Narration {
        at_us: 0,
        text: "This run was found by the hunt. The cluster, its model and its client requests \
               are the scenario's; every fault it suffers is in the fault log, shrunk to the \
               ones that matter. Step through it, or rewind and change it."
            .to_string(),
        shown: crate::scenarios::Shown::Always,
    }];
    // Its story is wherever the hunt's faults make it: the stage moves the key moment (and the
    // scenario's frames, kept for their scale) to the failure when it replays one.
    subject.key_moment_us = 0;
    subject
}

/// Whether the scenario promises any safety property (with the fix as set): without one, there
/// is nothing to hunt for.
pub fn has_safety_property(scenario: &Scenario) -> bool {
    trial::Judge::new(scenario).is_ok_and(|judge| !judge.safety.is_empty())
}
