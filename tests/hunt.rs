//! The hunt finds what each preset teaches, shrinks it to the faults that matter, and finds
//! nothing once the fix is on (see `src/hunt/`).
#![cfg(not(target_arch = "wasm32"))]

use faultline::detect::FindingKind;
use faultline::hunt::{self, FaultKind, Hunt, HuntError, Mode, Report, Settings, What};
use faultline::scenarios::{self, by_id, Scenario};

fn preset(id: &str, fixed: bool) -> Scenario {
    by_id(id).expect("a preset").with_fix(fixed)
}

fn hunt(scenario: &Scenario, settings: Settings) -> Report {
    Hunt::new(scenario, settings)
        .expect("the hunt starts")
        .run_to_end()
}

#[test]
fn split_brain_is_found_within_200_schedules_and_shrunk_to_at_most_two_faults() {
    let report = hunt(
        &preset("split-brain", false),
        Settings {
            schedules: 200,
            ..Settings::default()
        },
    );
    assert_eq!(report.mode, Mode::Find);
    let found = report.found.expect("split brain found");
    assert_eq!(found.violation.kind, FindingKind::SplitBrain);
    assert!(found.index < 200);
    assert!(found.shrunk.len() <= 2, "{:?}", found.shrunk);
    assert!(found.shrunk.len() <= found.original.len());
    assert_eq!(
        report.tally.tried,
        found.index + 1,
        "finding stops the search"
    );
}

#[test]
fn a_stale_write_is_found_with_one_fault_a_long_pause() {
    let report = hunt(&preset("gc-pause-fencing", false), Settings::default());
    let found = report.found.expect("a stale write found");
    assert_eq!(found.violation.kind, FindingKind::StaleWriteAccepted);
    assert_eq!(found.shrunk.len(), 1, "{:?}", found.shrunk);
    let What::Pause { for_us, .. } = found.shrunk[0].what else {
        panic!("a pause: {:?}", found.shrunk[0])
    };
    assert!(
        for_us > 8_000_000,
        "longer than what is left of the lease: {for_us}"
    );
}

#[test]
fn last_write_wins_loses_a_write_to_clock_faults_alone() {
    let clocks = Settings {
        kinds: vec![
            FaultKind::ClockSkew,
            FaultKind::ClockDrift,
            FaultKind::NtpStep,
        ],
        ..Settings::default()
    };
    let report = hunt(&preset("lww-clock-skew", false), clocks);
    let found = report.found.expect("a lost write found");
    assert_eq!(found.violation.kind, FindingKind::AckedWriteLost);
    assert!(!found.shrunk.is_empty());
    assert!(found.shrunk.iter().all(|f| f.what.kind().is_clock()));
}

#[test]
fn with_each_fix_on_300_schedules_break_no_safety_property_and_the_naive_tally_is_beside_it() {
    for id in ["split-brain", "gc-pause-fencing", "lww-clock-skew"] {
        let report = hunt(
            &preset(id, true),
            Settings {
                schedules: 300,
                ..Settings::default()
            },
        );
        assert_eq!(report.mode, Mode::Prove);
        assert_eq!(report.found, None, "{id}: {:?}", report.found);
        assert_eq!(report.tally.tried, 300);
        assert_eq!(report.tally.unsafe_runs, 0);
        let naive = report.naive.expect("the naive variant's tally");
        assert_eq!(naive.tried, 300);
        assert!(
            naive.unsafe_runs > 0,
            "{id}: the naive variant breaks under the same schedules"
        );
        assert_eq!(
            naive.unsafe_runs,
            naive.violations.iter().map(|(_, n)| n).sum::<u32>()
        );
    }
    // The price of the quorum: a minority side refuses or never answers writes.
    let split = hunt(
        &preset("split-brain", true),
        Settings {
            schedules: 100,
            ..Settings::default()
        },
    );
    assert!(split.tally.costly_runs > 0);
}

#[test]
fn the_same_settings_give_the_same_hunt_and_another_seed_another() {
    let scenario = preset("split-brain", false);
    let settings = Settings {
        seed: 7,
        ..Settings::default()
    };
    let a = hunt(&scenario, settings.clone());
    assert_eq!(a, hunt(&scenario, settings.clone()));
    let b = hunt(
        &scenario,
        Settings {
            seed: 8,
            ..settings
        },
    );
    assert_ne!(a.found.unwrap().original, b.found.unwrap().original);
}

#[test]
fn the_shrunk_failure_replays_on_stage_with_its_finding() {
    let scenario = preset("split-brain", false);
    let report = hunt(&scenario, Settings::default());
    let found = report.found.expect("found");
    let subject = hunt::subject(&scenario);
    let judge = hunt::trial::Judge::new(&subject).unwrap();
    let log = judge.fault_log(&found.shrunk);
    assert!(!log.is_empty(), "its faults are in the fault log");
    let mut session = scenarios::start_with(&subject, &log).expect("the log replays");
    session.run_to_end();
    let finding = session
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::SplitBrain)
        .cloned()
        .expect("the same finding on stage");
    assert_eq!(finding.time, found.violation.at_us);
}

#[test]
fn the_subject_keeps_requests_and_drops_the_scenario_own_faults_and_clock_errors() {
    let lww = preset("lww-clock-skew", false);
    let subject = hunt::subject(&lww);
    let offsets: Vec<i64> = subject.config.clocks.iter().map(|c| c.offset_us).collect();
    assert!(offsets.windows(2).all(|w| w[0] == w[1]), "{offsets:?}");
    // Without faults, four break on their own: the network's own jitter reorders writes, two
    // clients' requests race (two withdrawals, two writes to a cart), and a traitor is part of
    // the generals' model. Every other failure the hunt reports is one it caused.
    let on_their_own: Vec<String> = scenarios::all()
        .into_iter()
        .filter(|scenario| {
            let judge = hunt::trial::Judge::new(&hunt::subject(scenario)).unwrap();
            judge.run(&[]).violation.is_some()
        })
        .map(|scenario| scenario.id)
        .collect();
    assert_eq!(
        on_their_own,
        [
            "reordered-writes",
            "lost-update",
            "siblings-kept",
            "byzantine-generals"
        ]
    );
}

#[test]
fn every_preset_has_something_to_hunt_for_and_bad_settings_are_refused_by_name() {
    // Every model promises a safety property today; one that promised none would be refused
    // with this sentence rather than hunted in vain.
    for scenario in scenarios::all() {
        assert!(hunt::has_safety_property(&scenario), "{}", scenario.id);
    }
    assert_eq!(
        HuntError::NothingToHuntFor.to_string(),
        "this scenario promises no safety property, so there is nothing to hunt for"
    );
    let bad = Hunt::new(
        &preset("split-brain", false),
        Settings {
            schedules: 0,
            ..Settings::default()
        },
    );
    assert_eq!(bad.err().unwrap().to_string(), "schedules: at least 1");
}

#[test]
fn the_summary_says_what_was_found_and_how() {
    let scenario = preset("split-brain", false);
    let report = hunt(&scenario, Settings::default());
    let found = report.found.clone().unwrap();
    let text = report.summary(&scenario.view.names(), 5, 300.0);
    let expected_start = format!(
        "split brain after {} schedule{} (300 ms), ",
        found.index + 1,
        if found.index == 0 { "" } else { "s" }
    );
    assert!(text.starts_with(&expected_start), "{text}");
    for fault in &found.shrunk {
        assert!(
            text.contains(&fault.words(&scenario.view.names(), 5)),
            "{text}"
        );
    }
    let proof = hunt(
        &preset("lww-clock-skew", true),
        Settings {
            schedules: 50,
            ..Settings::default()
        },
    );
    let said = proof.summary(&scenario.view.names(), 3, 2_500.0);
    assert!(
        said.starts_with("The fix held: no safety property broke in 50 schedules (2.5 s)."),
        "{said}"
    );
}
