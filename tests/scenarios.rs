//! Every preset shows its anomaly, the fix removes it, and the fix's cost is reported; each run
//! matches its golden text trace exactly (`FAULTLINE_BLESS=1 cargo test --test scenarios`
//! rewrites the golden files after an intended change: review the diff).
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use faultline::detect::FindingKind;
use faultline::scenarios::{self, run, Scenario};
use faultline::sim::NodeId;

fn golden_path(scenario: &Scenario) -> PathBuf {
    let suffix = if scenario.fix_enabled { ".fixed" } else { "" };
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{}{suffix}.txt", scenario.id))
}

#[test]
fn every_preset_shows_its_anomaly_and_the_fix_removes_it_at_a_cost() {
    let presets = scenarios::all();
    assert!(!presets.is_empty());
    for preset in presets {
        let Some(shows) = preset.shows else {
            continue;
        };
        let broken = run(&preset.clone().with_fix(false)).expect("preset runs");
        assert!(
            broken.findings.iter().any(|f| f.kind == shows),
            "{}: no {} without the fix; found {:?}",
            preset.id,
            shows.label(),
            broken.findings
        );
        for finding in broken.findings.iter().filter(|f| f.kind == shows) {
            assert!(
                !finding.events.is_empty(),
                "{}: a finding names its events",
                preset.id
            );
            assert!(
                finding.events.iter().all(|e| e.index() < broken.events),
                "{}",
                preset.id
            );
            assert!(
                !finding.nodes.is_empty() && !finding.summary.is_empty(),
                "{}",
                preset.id
            );
        }
        let violated: Vec<_> = broken.properties.iter().filter(|(_, held)| !held).collect();
        assert!(
            violated.iter().any(|(p, _)| p.violated_by == shows),
            "{}",
            preset.id
        );

        let fixed = run(&preset.clone().with_fix(true)).expect("preset runs with its fix");
        assert!(
            !fixed.findings.iter().any(|f| f.kind == shows),
            "{}: the fix did not prevent {}: {:?}",
            preset.id,
            shows.label(),
            fixed.findings
        );
        if let Some(cost) = preset.fix_cost {
            assert!(
                fixed.findings.iter().any(|f| f.kind == cost),
                "{}: the fix's cost ({}) is not reported",
                preset.id,
                cost.label()
            );
        }
    }
}

/// Golden files keep long traces short: the first lines, then the length and a portable hash
/// of the whole text, so any change anywhere still fails the comparison.
const GOLDEN_LINES: usize = 2_000;

fn golden_text(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= GOLDEN_LINES {
        return text.to_string();
    }
    let mut hasher = faultline::sim::PortableHasher::default();
    std::hash::Hasher::write(&mut hasher, text.as_bytes());
    format!(
        "{}\n… {} lines in all; portable hash of the whole text {:016x}\n",
        lines[..GOLDEN_LINES].join("\n"),
        lines.len(),
        std::hash::Hasher::finish(&hasher)
    )
}

#[test]
fn every_preset_matches_its_golden_trace() {
    let bless = std::env::var_os("FAULTLINE_BLESS").is_some();
    for preset in scenarios::all() {
        for fixed in [false, true] {
            let scenario = preset.clone().with_fix(fixed);
            let text = golden_text(&run(&scenario).expect("runs").text);
            let path = golden_path(&scenario);
            if bless {
                std::fs::write(&path, &text).expect("golden file written");
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!("missing {}: run with FAULTLINE_BLESS=1", path.display())
            });
            if text != expected {
                let line = text.lines().zip(expected.lines()).position(|(a, b)| a != b);
                panic!(
                    "{} differs from the run, first at line {line:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn presets_survive_a_json_round_trip() {
    for preset in scenarios::all() {
        let json = serde_json::to_string_pretty(&preset).expect("serialises");
        let back: Scenario = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, preset);
        assert_eq!(scenarios::by_id(&preset.id), Some(preset));
    }
}

#[test]
fn split_brain_names_both_leaders_and_their_writes() {
    let preset = scenarios::by_id("split-brain").unwrap();
    let broken = run(&preset).unwrap();
    let split = broken
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::SplitBrain)
        .unwrap();
    assert!(
        split.nodes.contains(&NodeId(0)),
        "the old leader A: {split:?}"
    );
    assert!(
        split.nodes.iter().any(|n| (2..5).contains(&n.0)),
        "a new leader on the majority side"
    );
    assert_eq!(
        split.events.len(),
        4,
        "two reigns and a write in each: {split:?}"
    );
    assert!(split.time >= 1_000_000, "only after the partition");

    let fixed = run(&preset.with_fix(true)).unwrap();
    let unavailable: Vec<_> = fixed
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::LivenessStall)
        .collect();
    assert!(
        unavailable
            .iter()
            .any(|f| f.nodes == vec![NodeId(1)] && f.time > 1_000_000),
        "writes through B (minority) are refused: {unavailable:?}"
    );
}

#[test]
fn preset_data_is_consistent() {
    let presets = scenarios::all();
    let mut ids: Vec<&str> = presets.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), presets.len(), "preset ids are unique");
    for preset in &presets {
        let id = &preset.id;
        assert!(
            preset.key_moment_us <= preset.duration_us,
            "{id}: key moment after the end"
        );
        assert!(
            preset.prediction.answer < preset.prediction.choices.len(),
            "{id}: answer index"
        );
        assert!(
            preset.prediction.choices.len() >= 2,
            "{id}: a question needs choices"
        );
        for fixed in [false, true] {
            let run = preset.clone().with_fix(fixed);
            let times: Vec<_> = run.narration().map(|line| line.at_us).collect();
            assert!(!times.is_empty(), "{id}: no narration");
            assert!(
                times.windows(2).all(|w| w[0] <= w[1]),
                "{id}: narration out of order"
            );
            assert!(
                times.iter().all(|&t| t <= preset.duration_us),
                "{id}: narration after the end"
            );
        }
        assert!(
            !preset.fix.label.is_empty() && !preset.fix.cost.is_empty(),
            "{id}: fix described"
        );
    }
}

#[test]
fn majority_truth_declares_a_live_node_dead_with_or_without_the_fix() {
    let preset = scenarios::by_id("majority-truth").unwrap();
    for fixed in [false, true] {
        let outcome = run(&preset.clone().with_fix(fixed)).unwrap();
        let suspected: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::FalseSuspicion && f.nodes[1] == NodeId(0))
            .collect();
        assert!(
            !suspected.is_empty(),
            "A declared dead while running (fix {fixed})"
        );
    }
}

#[test]
fn timeouts_too_long_are_slow_to_notice_a_crash() {
    use faultline::models::heartbeat::Detector;
    use faultline::scenarios::ModelSpec;
    let mut preset = scenarios::by_id("timeouts").unwrap();
    let ModelSpec::Heartbeats { params, .. } = &mut preset.model else {
        panic!("the timeouts preset runs the heartbeat model");
    };
    params.detector = Detector::FixedTimeout {
        timeout_us: 2_000_000,
    };
    let outcome = run(&preset).unwrap();
    assert!(
        !outcome
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::FalseSuspicion),
        "a 2 s timeout rides out the congestion"
    );
    let slow = outcome
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::LivenessStall)
        .expect("slow detection");
    assert_eq!(
        slow.nodes,
        vec![NodeId(3)],
        "D's crash goes unnoticed for over a second"
    );
}

#[test]
fn four_generals_agree_even_under_a_traitorous_commander() {
    use faultline::models::generals::Generals;
    use faultline::scenarios::ModelSpec;
    let mut preset = scenarios::by_id("byzantine-generals")
        .unwrap()
        .with_fix(true);
    let ModelSpec::Generals { params, .. } = &mut preset.model else {
        panic!("the generals preset runs the generals model");
    };
    *params = Generals {
        traitor: Some(NodeId(0)),
        ..params.clone()
    };
    let outcome = run(&preset).unwrap();
    assert!(
        !outcome
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::ByzantineDisagreement),
        "{:?}",
        outcome.findings
    );
    let decisions = outcome
        .text
        .lines()
        .filter(|l| l.contains(" decides "))
        .count();
    assert_eq!(decisions, 3, "every lieutenant decided:\n{}", outcome.text);
}

#[test]
fn the_sandbox_starts_healthy() {
    let sandbox = scenarios::by_id("sandbox").unwrap();
    assert_eq!(sandbox.shows, None);
    for fixed in [false, true] {
        let outcome = run(&sandbox.clone().with_fix(fixed)).unwrap();
        assert!(
            outcome.findings.is_empty(),
            "fix {fixed}: {:?}",
            outcome.findings
        );
        assert!(outcome.properties.iter().all(|(_, held)| *held));
        assert!(
            outcome
                .text
                .lines()
                .filter(|l| l.contains("accepted, term"))
                .count()
                >= 45,
            "writes are served"
        );
    }
}

#[test]
fn version_vectors_keep_both_double_bookings_as_siblings() {
    use faultline::models::register::{Register, Resolution};
    use faultline::scenarios::ModelSpec;
    let mut preset = scenarios::by_id("seat-12a").unwrap();
    let ModelSpec::Register { params, .. } = &mut preset.model else {
        panic!("seat 12A runs the register model");
    };
    *params = Register {
        resolution: Resolution::VersionVectors,
        ..Register::default()
    };
    let outcome = run(&preset).unwrap();
    assert!(
        !outcome
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::AckedWriteLost),
        "{:?}",
        outcome.findings
    );
    let siblings: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ConcurrentWrites)
        .collect();
    assert!(!siblings.is_empty(), "the conflict is detected, not hidden");
    assert!(siblings
        .iter()
        .all(|f| f.nodes.contains(&NodeId(0)) && f.nodes.contains(&NodeId(1))));
}

#[test]
fn every_preset_has_one_topic_and_the_readme_lists_them_by_topic() {
    let presets = scenarios::all();
    for preset in &presets {
        let homes: Vec<&str> = scenarios::TOPICS
            .iter()
            .filter(|(_, ids)| ids.contains(&preset.id.as_str()))
            .map(|(topic, _)| *topic)
            .collect();
        assert_eq!(homes.len(), 1, "{} is in topics {homes:?}", preset.id);
    }
    let in_topic_order: Vec<&str> = scenarios::TOPICS
        .iter()
        .flat_map(|(_, ids)| ids.iter().copied())
        .collect();
    let in_teaching_order: Vec<&str> = presets.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        in_topic_order, in_teaching_order,
        "the picker groups presets by topic, in the order `all()` gives them"
    );
    // The README's list, written out: a heading per topic, then a line per preset.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README readable");
    let mut expected = String::new();
    for (topic, ids) in scenarios::TOPICS {
        expected.push_str(&format!("\n**{topic}**\n"));
        for id in *ids {
            let preset = presets.iter().find(|p| p.id == *id).unwrap();
            expected.push_str(&format!("- `{id}`: {}\n", preset.title));
        }
    }
    assert!(
        readme.contains(&expected),
        "the README's scenario list differs from the presets; it should read:\n{expected}"
    );
}

/// Model specs compare by what they write (see `ModelSpec`'s `PartialEq`): two readings of one
/// preset are equal, and a change of one parameter or one script step is not.
#[test]
fn model_specs_compare_by_their_contents() {
    let a = scenarios::by_id("gc-pause-fencing").unwrap();
    let b = scenarios::by_id("gc-pause-fencing").unwrap();
    assert!(!std::ptr::eq(&a.model, &b.model));
    assert_eq!(a.model, b.model);
    assert_eq!(a, b);
    let mut changed = b.clone();
    changed.config.seed += 1;
    assert_ne!(
        a, changed,
        "a change outside the model still tells them apart"
    );
    let other = scenarios::by_id("slow-clock-lease").unwrap();
    assert_ne!(a.model, other.model);
    let sandbox = scenarios::by_id("sandbox").unwrap();
    let mut swapped = sandbox.clone();
    swapped.model = scenarios::by_id("split-brain").unwrap().model;
    assert_ne!(
        sandbox, swapped,
        "the same scenario with another model's script and parameters"
    );
}
