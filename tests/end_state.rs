//! The end state: the row under the lanes says each node's state in a few words, from its
//! model's headline (`sim::Describe::headline`, `live::Session::headlines`), at the run's
//! present ("Now, …") and at its end ("At the end, …"); the SVG export and the handouts'
//! after-the-run figure carry it too.
#![cfg(not(target_arch = "wasm32"))]

use faultline::render::drawn::Drawn;
use faultline::render::headers::{wrap, END_PX};
use faultline::render::svg::timeline_svg;
use faultline::render::timeline::{Axis, Filter};
use faultline::scenarios::{self, Scenario};
use faultline::ui::stage::Stage;

fn ended(scenario: &Scenario, fix: bool) -> Stage {
    let mut stage = Stage::start(scenario, fix, scenario.config.seed).expect("a preset starts");
    stage.run.run_to_end();
    stage.settle();
    stage
}

fn preset(id: &str) -> Scenario {
    scenarios::all()
        .into_iter()
        .find(|s| s.id == id)
        .expect("the preset exists")
}

fn lines(id: &str, fix: bool) -> Vec<String> {
    ended(&preset(id), fix).end_state().lines
}

#[test]
fn every_node_of_every_preset_says_its_state_in_plain_words_that_fit_a_phone() {
    for scenario in scenarios::all() {
        for fix in [false, true] {
            let stage = ended(&scenario, fix);
            let end = stage.end_state();
            let what = format!("{} (fix {fix})", scenario.id);
            assert_eq!(end.lines.len(), stage.names.len(), "{what}: one per lane");
            assert!(
                end.caption.starts_with("At the end, "),
                "{what}: {}",
                end.caption
            );
            for line in &end.lines {
                assert!(
                    !line.is_empty(),
                    "{what}: every node says something: {end:?}"
                );
                for debug in ["Some(", "None", "NodeId", "{", "[", "_"] {
                    assert!(!line.contains(debug), "{what}: {line:?} reads like code");
                }
                // On a 390 px phone each lane's column holds it in two lines, uncut.
                let column = 390.0 / end.lines.len() as f64 - 6.0;
                let wrapped = wrap(line, column, END_PX);
                assert!(
                    wrapped.len() <= 2 && (end.lines.len() > 4 || !wrapped.concat().contains('…')),
                    "{what}: {line:?} in {column} px: {wrapped:?}"
                );
            }
        }
    }
}

#[test]
fn the_row_says_the_values_each_lesson_turns_on() {
    // Fencing: the stale write overwrote D's; with fencing, D's stands.
    assert_eq!(lines("gc-pause-fencing", false)[1], "holds 1 (token 33)");
    assert_eq!(lines("gc-pause-fencing", true)[1], "holds 2 (token 34)");
    // Last write wins by clock: the earlier write wins; by version, the later.
    assert!(lines("lww-clock-skew", false).iter().all(|l| l == "x = 1"));
    assert!(lines("lww-clock-skew", true).iter().all(|l| l == "x = 2"));
    assert_eq!(lines("seat-12a", false)[0], "12A = Bob, 14C = Carol");
    assert!(lines("seat-12a", true).iter().all(|l| l == "12A = Alice"));
    // The card charged twice, then once.
    assert_eq!(lines("retry-double-charge", false)[0], "balance 40");
    assert_eq!(lines("retry-double-charge", true)[0], "balance 70");
    assert_eq!(lines("reordered-writes", false)[0], "x = 2");
    assert_eq!(lines("reordered-writes", true)[0], "x = 3");
    // A crashed node says so.
    assert_eq!(lines("timeouts", false)[3], "crashed");
    assert!(lines("timeouts", false)[0].starts_with("believes D dead"));
    let generals = lines("byzantine-generals", false);
    assert_eq!(generals[1], "loyal, retreats");
    assert_eq!(generals[2], "a traitor, attacks");
    let leaders = lines("split-brain", false);
    assert_eq!(
        leaders
            .iter()
            .filter(|l| l.starts_with("leader, term 2"))
            .count(),
        1,
        "{leaders:?}"
    );
}

#[test]
fn before_the_end_the_row_says_now_and_follows_the_run() {
    let scenario = preset("gc-pause-fencing");
    let mut stage = Stage::start(&scenario, false, scenario.config.seed).expect("starts");
    let start = stage.end_state();
    assert_eq!(start.caption, "Now, 0.000 s");
    assert_eq!(start.lines[0], "lease free");
    // Paused with its lease, C says both.
    stage.run.advance_to(5_000_000);
    let paused = stage.end_state();
    assert_eq!(paused.caption, "Now, 5.000 s");
    assert_eq!(paused.lines[2], "paused, holds token 33, job: write 1");
    assert_eq!(paused.lines[0], "lease: C, token 33");
}

#[test]
fn the_svg_export_draws_the_row_under_the_diagram() {
    let mut stage = ended(&preset("gc-pause-fencing"), true);
    let view = stage
        .camera_for(Axis::TrueTime, 500.0)
        .viewport(800.0, 500.0);
    let shapes = stage
        .run
        .timeline(&view, None, stage.shown_time(), &Filter::default());
    let plain = timeline_svg(&shapes, &view, &stage.names, None);
    let end = stage.end_state();
    let svg = timeline_svg(&shapes, &view, &stage.names, Some(&end));
    assert!(!plain.contains("<g class=\"end-state\""));
    assert!(
        svg.contains("height=\"550\" viewBox=\"0 0 800 550\""),
        "taller by the row"
    );
    assert!(svg.contains(">At the end, 18.000 s</text>"));
    for line in ["lease free", "holds 2 (token 34)", "no lease"] {
        assert!(svg.contains(&format!(">{line}</text>")), "{line}");
    }
}
