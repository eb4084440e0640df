//! The story frame (`render::folds`, `ui::stage`): a run played to its end rests on a view of
//! its whole story, the idle stretches between the moments its lesson names folded into
//! labelled breaks. Every preset's end-of-run view, fix off and on, at a laptop's and a phone's
//! size, shows every moment its narration tells of and every finding's marker, none of them
//! hidden in a fold, and no label but a fold's own lies on a fold.
#![cfg(not(target_arch = "wasm32"))]

use faultline::render::drawn::Drawn;
use faultline::render::folds::{fold_words, Fold, Folds};
use faultline::render::labels::{finding_name_rect, label_rect, Rect};
use faultline::render::timeline::{ArrowEnd, Axis, Filter, Shape, Viewport};
use faultline::scenarios::{self, Scenario};
use faultline::sim::label;
use faultline::ui::stage::Stage;

/// The run played to its end, resting on its story, as the app shows it.
fn ended(scenario: &Scenario, fix: bool) -> Stage {
    let mut stage = Stage::start(scenario, fix, scenario.config.seed).expect("a preset starts");
    stage.run.run_to_end();
    stage.settle();
    stage.frame_story();
    stage
}

fn labelled() -> Filter {
    Filter {
        label_px: 12.0,
        ..Filter::default()
    }
}

fn story_view(stage: &mut Stage, axis: Axis, width: f64, height: f64) -> Viewport {
    stage.camera_for(axis, height).viewport(width, height)
}

/// The words of every event drawn in `shapes`.
fn drawn_events(stage: &Stage, shapes: &[Shape]) -> Vec<String> {
    let words = stage.run.words();
    shapes
        .iter()
        .filter_map(|s| match *s {
            Shape::Event { kind, .. } => Some(label(words, kind, stage.run.names())),
            _ => None,
        })
        .collect()
}

#[test]
fn every_preset_s_end_of_run_view_shows_what_its_lesson_names() {
    for scenario in scenarios::all() {
        for fix in [false, true] {
            for (width, height) in [(800.0, 600.0), (390.0, 560.0)] {
                let mut stage = ended(&scenario, fix);
                let view = story_view(&mut stage, Axis::TrueTime, width, height);
                let what = format!("{} (fix {fix}) at {width}×{height}", scenario.id);
                let in_view = |value: f64| {
                    let y = view.y_of(value);
                    y >= view.header - 1.0 && y <= view.height + 1.0 && !view.folded(value)
                };
                let end = stage.run.duration();
                for line in stage.scenario.narration().filter(|l| l.at_us > 0) {
                    let at = line.at_us.min(end) as f64;
                    assert!(in_view(at), "{what}: the moment at {at} µs ({})", line.text);
                }
                let trace = stage.run.words().skeleton();
                // Each finding where its marker is drawn: at its latest event.
                for finding in stage.run.findings().iter() {
                    let latest = finding.events.iter().max().expect("a finding names events");
                    let at = trace.event(*latest).time as f64;
                    assert!(
                        in_view(at),
                        "{what}: {:?}'s marker at {at} µs",
                        finding.kind
                    );
                }
                let shapes = stage
                    .run
                    .timeline(&view, None, stage.shown_time(), &labelled());
                assert_labels_keep_off_folds(&shapes, &what);
                assert_finding_names_apart(&shapes, &view, &what);
            }
        }
    }
}

/// Findings' names never cover each other: where one would, it is left out (the marker stays),
/// and the first finding in view is always named.
fn assert_finding_names_apart(shapes: &[Shape], view: &Viewport, what: &str) {
    let markers: Vec<(f64, f64, faultline::detect::FindingKind, bool)> = shapes
        .iter()
        .filter_map(|s| match *s {
            Shape::Finding {
                x, y, kind, named, ..
            } => Some((x, y, kind, named)),
            _ => None,
        })
        .collect();
    if let Some(first) = markers.first() {
        assert!(first.3, "{what}: the first finding in view is named");
    }
    let names: Vec<Rect> = markers
        .iter()
        .filter(|m| m.3)
        .map(|&(x, y, kind, _)| finding_name_rect(view, x, y, kind, 12.0))
        .collect();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            assert!(!a.overlaps(b), "{what}: two findings' names overlap");
        }
    }
}

/// No label lies on a fold's break but the fold's own words, in its middle.
fn assert_labels_keep_off_folds(shapes: &[Shape], what: &str) {
    let bands: Vec<(f64, f64)> = shapes
        .iter()
        .filter_map(|s| match *s {
            Shape::Fold { y0, y1, .. } => Some((y0, y1)),
            _ => None,
        })
        .collect();
    for shape in shapes {
        let Some(rect) = label_rect(shape) else {
            continue;
        };
        for &(y0, y1) in &bands {
            let band = Rect {
                left: -1e9,
                top: y0,
                right: 1e9,
                bottom: y1,
            };
            let own = ((rect.top + rect.bottom) / 2.0 - (y0 + y1) / 2.0).abs() < 0.5;
            assert!(
                own || !rect.overlaps(&band),
                "{what}: a label lies on a fold: {shape:?}"
            );
        }
    }
}

#[test]
fn gc_pause_fencing_s_story_runs_from_lease_33_to_the_stale_write_with_the_wait_folded() {
    let scenario = scenarios::by_id("gc-pause-fencing").unwrap();
    for fix in [false, true] {
        let mut stage = ended(&scenario, fix);
        let view = story_view(&mut stage, Axis::TrueTime, 800.0, 600.0);
        let shapes = stage
            .run
            .timeline(&view, None, stage.shown_time(), &labelled());
        let events = drawn_events(&stage, &shapes);
        let last_write = if fix {
            "write with token 33 refused"
        } else {
            "write accepted: 1 from Client C, token 33"
        };
        for wanted in [
            "lease granted to Client C, token 33",
            "Client C paused (GC)",
            "lease granted to Client D, token 34",
            "write accepted: 2 from Client D, token 34",
            "Client C resumed",
            last_write,
        ] {
            assert!(
                events.iter().any(|e| e.contains(wanted)),
                "fix {fix}: {wanted:?} is drawn in the end-of-run view: {events:#?}"
            );
        }
        // D's eight refused requests are folded, and the fold says so.
        assert!(!view.folds.is_empty(), "fix {fix}: the wait is folded");
        let words: Vec<String> = view
            .folds
            .list()
            .iter()
            .map(|fold| {
                fold_words(
                    stage.run.words(),
                    stage.run.names(),
                    Axis::TrueTime,
                    fold,
                    800.0,
                    12.0,
                )
            })
            .collect();
        assert!(
            words
                .iter()
                .any(|w| w.contains("Client D: lock request ×") && w.contains("lock busy ×")),
            "fix {fix}: {words:?}"
        );
        // Every fold's words are on the picture, in its break.
        for text in &words {
            assert!(
                shapes
                    .iter()
                    .any(|s| matches!(s, Shape::Label { text: t, .. } if t == text)),
                "fix {fix}: {text:?} is drawn"
            );
        }
    }
}

#[test]
fn the_story_frame_folds_on_every_axis() {
    let scenario = scenarios::by_id("gc-pause-fencing").unwrap();
    for axis in [Axis::TrueTime, Axis::LocalClock, Axis::Lamport] {
        let mut stage = ended(&scenario, false);
        let view = story_view(&mut stage, axis, 800.0, 600.0);
        let shapes = stage
            .run
            .timeline(&view, None, stage.shown_time(), &labelled());
        assert!(
            shapes.iter().any(|s| matches!(s, Shape::Fold { .. })),
            "{axis:?}: a fold is drawn"
        );
        let events = drawn_events(&stage, &shapes);
        for wanted in ["token 33", "token 34", "Client C resumed"] {
            assert!(
                events.iter().any(|e| e.contains(wanted)),
                "{axis:?}: {wanted}"
            );
        }
    }
}

#[test]
fn clicking_a_fold_opens_it_and_zooming_keeps_the_folds_in_proportion() {
    let scenario = scenarios::by_id("gc-pause-fencing").unwrap();
    let mut stage = ended(&scenario, false);
    let mut camera = stage.camera_for(Axis::TrueTime, 600.0);
    let folds = camera.folds.list().len();
    assert!(folds >= 2, "{folds} folds");
    let first = camera.folds.list()[0];
    let row = camera.viewport(800.0, 600.0).y_of(first.from);
    camera.open_fold(0);
    assert_eq!(camera.folds.list().len(), folds - 1);
    assert!(
        (camera.viewport(800.0, 600.0).y_of(first.from) - row).abs() < 1e-6,
        "what is above the fold stays where it was"
    );
    let view = camera.viewport(800.0, 600.0);
    let middle = (first.from + first.to) / 2.0;
    assert!(!view.folded(middle));
    // Zoomed in three times, the folds grow with the rest and stay folded (a pinch keeps the
    // picture's proportions), the row under the pointer staying put.
    let value = view.value_at(300.0);
    let folded = camera.folds.list().len();
    let tall =
        |camera: &faultline::render::camera::Camera| camera.folds.list()[0].shown * camera.scale;
    let before = tall(&camera);
    camera.zoom_at(300.0, 3.0);
    assert_eq!(camera.folds.list().len(), folded);
    assert!((tall(&camera) - 3.0 * before).abs() < 1e-6);
    assert!((camera.viewport(800.0, 600.0).y_of(value) - 300.0).abs() < 1e-6);
}

#[test]
fn folds_read_back_what_they_were_given_and_refuse_the_absurd() {
    let fold = |from: f64, to: f64, shown: f64| Fold { from, to, shown };
    let folds = Folds::new(&[fold(10.0, 110.0, 5.0), fold(50.0, 60.0, 1.0)]);
    assert_eq!(folds.list().len(), 1, "overlapping folds are refused");
    let folds = Folds::new(&[fold(f64::INFINITY, 1.0, 1.0), fold(0.0, 1e300, 1.0)]);
    assert_eq!(folds.list().len(), 1);
    assert!(folds.value(folds.display(5e299)).is_finite());
}

/// A crowded story says each thing once: a view names each kind of finding at its first marker
/// only (the others keep their markers), and a message's cross says why it died once per
/// receiving lane and reason. Split brain's end view has four "acknowledged write lost"
/// markers and a dozen crosses; it names the finding once and says "dropped…" or "lost" at most
/// once a lane.
#[test]
fn a_crowded_story_says_each_finding_and_each_loss_once() {
    let scenario = scenarios::all()
        .into_iter()
        .find(|s| s.id == "split-brain")
        .expect("the preset exists");
    let mut stage = ended(&scenario, false);
    let view = story_view(&mut stage, Axis::TrueTime, 800.0, 600.0);
    let shapes = stage
        .run
        .timeline(&view, None, stage.shown_time(), &labelled());
    let mut kinds: Vec<(String, usize, usize)> = Vec::new();
    for shape in &shapes {
        if let Shape::Finding { kind, named, .. } = *shape {
            let label = kind.label().to_string();
            match kinds.iter_mut().find(|(k, _, _)| *k == label) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 += usize::from(named);
                }
                None => kinds.push((label, 1, usize::from(named))),
            }
        }
    }
    assert!(
        kinds.iter().any(|(_, markers, _)| *markers > 1),
        "some kind is marked more than once: {kinds:?}"
    );
    for (kind, markers, named) in &kinds {
        assert!(*named <= 1, "{kind}: {markers} markers, {named} named");
    }
    let crosses = shapes
        .iter()
        .filter(|s| {
            matches!(
                s,
                Shape::Arrow {
                    end: ArrowEnd::Dropped(_),
                    ..
                }
            )
        })
        .count();
    let said: Vec<&str> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Label { text, .. } if text == "lost" || text.starts_with("dropped") => {
                Some(text.as_str())
            }
            _ => None,
        })
        .collect();
    let lanes = stage.names.len();
    assert!(crosses > lanes, "a dozen crosses: {crosses}");
    for reason in ["lost", "dropped: link cut", "dropped: receiver down"] {
        let times = said.iter().filter(|&&t| t == reason).count();
        assert!(
            times <= lanes,
            "\"{reason}\" said {times} times in {lanes} lanes"
        );
    }
    assert!(
        said.len() < crosses,
        "{} words for {crosses} crosses",
        said.len()
    );
}
