//! A finding shown to a person stays true for the rest of the run: stepping a live session one
//! event at a time (as the app's Step button does), the findings listed at any step are listed,
//! with the same words, times and events, at every later step, and new ones come after them
//! (the findings panel and an embedding page number findings by their place in time order).
//! Checked for every preset, fix off and on, and under the hunt's own random fault schedules.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;

use faultline::detect::{Finding, FindingKind};
use faultline::hunt::{self, schedule, timed_commands, trial::Judge, Settings};
use faultline::live::Session;
use faultline::scenarios::{self, by_id, Cluster, Scenario};
use faultline::sim::{Command, Micros, NodeId};

/// A finding as a person reads it, for failure messages.
fn said(finding: &Finding) -> String {
    format!(
        "{} at {} µs (events {:?}): {}",
        finding.kind.label(),
        finding.time,
        finding.events,
        finding.summary
    )
}

/// Steps `session` one event at a time to its end, applying `faults` when they are due, and
/// checks after every step that the findings listed before are still listed first, unchanged,
/// and that no finding is dated after the moment it is shown. Returns what broke the rule (the
/// first time for each kind of finding), or nothing.
fn step_and_check(
    what: &str,
    mut session: Session,
    faults: &[(Micros, Command<()>)],
) -> Vec<String> {
    let mut shown: Vec<Finding> = session.findings().to_vec();
    let mut faults = faults.iter().peekable();
    let mut steps = 0u64;
    let mut broken: Vec<(FindingKind, String)> = Vec::new();
    let mut complain = |kind: FindingKind, text: String| {
        if !broken.iter().any(|(k, _)| *k == kind) {
            broken.push((kind, text));
        }
    };
    loop {
        // One event, or the next fault when it is due first (as the hunt's trial applies them).
        let moved = match faults.peek() {
            Some(&&(at, ref command)) if at <= session.duration() => {
                if session.advance_before(1, at.saturating_add(1)) == 0 {
                    session.advance_to(at);
                    let _ = session.apply(command.clone());
                    faults.next();
                }
                true
            }
            _ => session.advance(1) == 1,
        };
        if !moved {
            break;
        }
        steps += 1;
        let now = session.findings().to_vec();
        let here = format!("{what}, step {steps} (true time {} µs)", session.now());
        let kept = shown.len() <= now.len() && now[..shown.len()] == shown[..];
        if !kept {
            let gone: Vec<&Finding> = shown.iter().filter(|f| !now.contains(f)).collect();
            for finding in &gone {
                let mut text = format!("{here}: shown, then gone: {}", said(finding));
                for new in now
                    .iter()
                    .filter(|f| !shown.contains(f) && f.kind == finding.kind)
                {
                    let _ = write!(text, "\n      instead: {}", said(new));
                }
                complain(finding.kind, text);
            }
            if gone.is_empty() {
                let first_new = now.iter().find(|f| !shown.contains(f));
                if let Some(new) = first_new {
                    complain(
                        new.kind,
                        format!(
                            "{here}: a new finding sorts before one already shown: {}",
                            said(new)
                        ),
                    );
                }
            }
        }
        for finding in now.iter().filter(|f| !shown.contains(f)) {
            if finding.time > session.now() {
                complain(
                    finding.kind,
                    format!(
                        "{here}: shown before the moment it says it became true: {}",
                        said(finding)
                    ),
                );
            }
        }
        shown = now;
    }
    broken.into_iter().map(|(_, text)| text).collect()
}

/// Fails with every broken rule in `broken`, if any.
fn verdict(broken: Vec<String>) {
    assert!(
        broken.is_empty(),
        "findings shown to a person did not stay true:\n{}",
        broken.join("\n")
    );
}

fn preset(scenario: &Scenario) -> Vec<String> {
    let what = format!(
        "{} (fix {})",
        scenario.id,
        if scenario.fix_enabled { "on" } else { "off" }
    );
    step_and_check(&what, scenarios::start(scenario).expect("starts"), &[])
}

/// The hunt's schedules `0..count` (seed 1, every kind of fault) on the scenario's hunt subject.
fn hunted(scenario: &Scenario, count: u32) -> Vec<String> {
    let mut broken = Vec::new();
    let subject = hunt::subject(scenario);
    let judge = Judge::new(&subject).expect("the judge starts");
    let settings = Settings::default();
    for index in 0..count {
        let faults = schedule::draw(&settings, index, subject.config.nodes, subject.duration_us);
        let commands = timed_commands(&faults, &judge.cluster);
        let what = format!(
            "{} (fix {}) under hunt schedule {index}",
            scenario.id,
            if scenario.fix_enabled { "on" } else { "off" }
        );
        broken.extend(step_and_check(
            &what,
            scenarios::start(&subject).expect("starts"),
            &commands,
        ));
    }
    broken
}

/// `scenario` cut to `duration_us` (the hunt's schedules follow the run's length).
fn cut(scenario: Scenario, duration_us: u64) -> Scenario {
    let cluster = Cluster {
        duration_us,
        ..scenario.cluster()
    };
    scenario.customised(&cluster).expect("a shorter run")
}

/// The sandbox's 30 s of steady writes with nothing broken are cut to this: stepping its
/// 11,000 events one at a time, re-judging the whole trace at each, takes minutes in a debug
/// build, and the hunt's faults below break its shorter runs.
const SANDBOX_STEPPED_US: u64 = 6_000_000;

#[test]
fn every_preset_keeps_what_it_has_shown() {
    let mut broken = Vec::new();
    for scenario in scenarios::all() {
        for fixed in [false, true] {
            let scenario = scenario.clone().with_fix(fixed);
            let scenario = if scenario.id == "sandbox" {
                cut(scenario, SANDBOX_STEPPED_US)
            } else {
                scenario
            };
            broken.extend(preset(&scenario));
        }
    }
    verdict(broken);
}

/// The hunt's schedules on the presets whose checkers people watch most, fix off and on.
fn under_random_faults(id: &str, duration_us: Option<u64>, schedules: u32) {
    let mut broken = Vec::new();
    for fixed in [false, true] {
        let scenario = by_id(id).expect("a preset").with_fix(fixed);
        let scenario = match duration_us {
            Some(duration_us) => cut(scenario, duration_us),
            None => scenario,
        };
        broken.extend(hunted(&scenario, schedules));
    }
    verdict(broken);
}

#[test]
fn split_brain_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("split-brain", None, 40);
}

#[test]
fn majority_truth_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("majority-truth", None, 40);
}

#[test]
fn the_sandbox_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("sandbox", Some(4_000_000), 30);
}

#[test]
fn lww_clock_skew_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("lww-clock-skew", None, 60);
}

#[test]
fn gc_pause_fencing_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("gc-pause-fencing", None, 40);
}

#[test]
fn timeouts_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("timeouts", None, 30);
}

#[test]
fn retry_storm_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("retry-storm", None, 6);
}

#[test]
fn delivery_semantics_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("delivery-semantics", None, 20);
}

#[test]
fn crash_amnesia_under_random_faults_keeps_what_it_has_shown() {
    under_random_faults("crash-amnesia", None, 20);
}

/// Going back and applying a fault forks the run: the findings are the new run's, even when the
/// forked trace reaches the very length the old one was last judged at.
#[test]
fn a_forked_run_is_judged_afresh() {
    let scenario = by_id("split-brain").expect("a preset");
    let mut same_length = 0;
    for back in (50..250).step_by(7) {
        let mut session = scenarios::start(&scenario).expect("starts");
        session.advance(300);
        let length = session.event_count();
        let old = session.findings();
        session.seek(back);
        session
            .apply(Command::Crash { node: NodeId(4) })
            .expect("E crashes");
        while session.event_count() < length && session.advance(1) == 1 {}
        if session.event_count() != length {
            continue;
        }
        same_length += 1;
        let mut fresh =
            scenarios::start_with(&scenario, &session.fault_log()).expect("replays the fork");
        fresh.seek(session.current_step());
        assert_eq!(fresh.event_count(), length);
        assert_eq!(
            session.findings()[..],
            fresh.findings()[..],
            "forked at step {back}; before the fork it showed {old:?}"
        );
    }
    assert!(same_length > 0, "no fork reached the old length exactly");
}
