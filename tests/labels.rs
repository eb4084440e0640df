//! Words on the diagram: each preset's first view labels its key messages as the book's figures
//! do, and labels never overlap, whatever the trace and the window.
#![cfg(not(target_arch = "wasm32"))]

use faultline::live::Session;
use faultline::render::camera::Camera;
use faultline::render::drawn::Drawn;
use faultline::render::labels::{cross_rect, label_rect, place_labels, tick_rect, Rect};
use faultline::render::splits::splits;
use faultline::render::timeline::{layout, Axis, Filter, Shape, Viewport, LABEL_HEIGHT};
use faultline::scenarios::{self, Scenario};
use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{Micros, Names, NodeId, SimConfig, Simulation};
use proptest::prelude::*;

const WIDTH: f64 = 1_000.0;
const HEIGHT: f64 = 700.0;

fn labelled() -> Filter {
    Filter {
        label_px: 12.0,
        ..Filter::default()
    }
}

/// The labels of `live` in a window on true time from `start` to `end`, with the message
/// kinds `faint` drawn faintly.
fn labels_between(live: &Session, start: Micros, end: Micros, faint: u64) -> Vec<String> {
    let camera = Camera::fit(Axis::TrueTime, (start as f64, end as f64), HEIGHT);
    let view = camera.viewport(WIDTH, HEIGHT);
    let filter = Filter {
        faint,
        ..labelled()
    };
    live.timeline(&view, None, live.now(), &filter)
        .into_iter()
        .filter_map(|shape| match shape {
            Shape::Label { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// The preset run to its end, and the labels of its first view (its key moment's frame).
fn first_view(id: &str, fix: bool) -> (Session, Vec<String>) {
    let scenario: Scenario = scenarios::by_id(id).expect("preset").with_fix(fix);
    let mut live = scenarios::start(&scenario).expect("starts");
    live.run_to_end();
    let (start, end) = scenario.first_frame();
    let quiet = scenario.view.quiet_bits(live.message_kinds());
    let labels = labels_between(&live, start, end, quiet);
    (live, labels)
}

fn assert_has(labels: &[String], wanted: &[&str], what: &str) {
    for want in wanted {
        assert!(
            labels.iter().any(|l| l.contains(want)),
            "{what}: no label says {want:?}; the labels are {labels:#?}"
        );
    }
}

#[test]
fn gc_pause_fencing_labels_the_tokens_and_the_refusal() {
    let (live, labels) = first_view("gc-pause-fencing", true);
    assert_has(
        &labels,
        &[
            "write 1, token 33",
            "refused: old token 33",
            "storage has seen 34",
        ],
        "gc-pause-fencing's key moment",
    );
    // Earlier, the lease that replaced the paused client's.
    let earlier = labels_between(&live, 11_090_000, 11_190_000, 0);
    assert_has(&earlier, &["lease granted, token 34"], "the second lease");
    // The pause says what it is and how long it lasts; seen before it ends, that it has not.
    let pause = labels_between(&live, 1_900_000, 2_400_000, 0);
    assert_has(&pause, &["Client C paused (GC), 15 s"], "the pause");
    let mut early = scenarios::start(&scenarios::by_id("gc-pause-fencing").unwrap()).unwrap();
    early.advance_to(5_000_000);
    let ongoing = labels_between(&early, 1_900_000, 2_400_000, 0);
    assert_has(
        &ongoing,
        &["Client C paused (GC), not yet resumed"],
        "the pause under way",
    );
}

#[test]
fn a_split_network_is_a_band_named_by_its_groups() {
    for (id, from, to, words, groups) in [
        (
            "split-brain",
            900_000,
            1_600_000,
            "network split: A, B | C, D, E",
            vec![vec![0u8, 1], vec![2, 3, 4]],
        ),
        (
            "seat-12a",
            400_000,
            900_000,
            "network split: US | Europe, Asia",
            vec![vec![0], vec![1, 2]],
        ),
    ] {
        let mut live = scenarios::start(&scenarios::by_id(id).unwrap()).unwrap();
        live.run_to_end();
        let camera = Camera::fit(Axis::TrueTime, (from as f64, to as f64), HEIGHT);
        let view = camera.viewport(WIDTH, HEIGHT);
        let shapes = live.timeline(&view, None, live.now(), &labelled());
        let splits = splits(live.words().skeleton());
        let bands: Vec<&Vec<Vec<NodeId>>> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Split { start, .. } => splits.iter().find(|s| s.start == *start),
                _ => None,
            })
            .map(|split| &split.groups)
            .collect();
        let wanted: Vec<Vec<NodeId>> = groups
            .iter()
            .map(|g| g.iter().map(|&n| NodeId(n)).collect())
            .collect();
        assert_eq!(bands, vec![&wanted], "{id}: one band, its groups");
        let labels = labels_between(&live, from, to, 0);
        assert_eq!(
            labels.iter().filter(|l| l.as_str() == words).count(),
            1,
            "{id}: the band's label, said once: {labels:?}"
        );
    }
}

#[test]
fn a_lost_message_s_cross_says_so() {
    // Split brain: replicates sent into the split are lost; seat-12a: bookings sent over the
    // cut links.
    for (id, from, to) in [
        ("split-brain", 1_000_000, 1_400_000),
        ("seat-12a", 0, 3_000_000),
    ] {
        let mut live = scenarios::start(&scenarios::by_id(id).unwrap()).unwrap();
        live.run_to_end();
        let labels = labels_between(&live, from, to, 0);
        assert!(
            labels
                .iter()
                .any(|l| l == "lost" || l.starts_with("dropped")),
            "{id}: a cross says what happened: {labels:?}"
        );
    }
}

#[test]
fn lww_clock_skew_labels_the_values_and_their_timestamps() {
    let (_, labels) = first_view("lww-clock-skew", false);
    assert_has(
        &labels,
        &["x = 1", "x = 2", "42.004", "42.003"],
        "lww-clock-skew's key moment",
    );
}

#[test]
fn seat_12a_labels_the_seat_and_the_passengers() {
    let (_, labels) = first_view("seat-12a", false);
    assert_has(&labels, &["12A", "Alice", "Bob"], "seat-12a's key moment");
}

#[test]
fn reordered_writes_labels_each_write_and_the_final_value() {
    let (live, labels) = first_view("reordered-writes", false);
    assert_has(
        &labels,
        &["set x = 1", "set x = 2", "set x = 3"],
        "reordered-writes",
    );
    // The last write applied leaves x = 2, and its label says so.
    let end = live.now();
    let last = labels_between(&live, 100_000, end.min(300_000), 0);
    assert_has(&last, &["x = 2 (from Client B)"], "the final value");
}

#[test]
fn every_preset_labels_something_at_its_first_view() {
    for scenario in scenarios::all() {
        for fix in [false, true] {
            let (_, labels) = first_view(&scenario.id, fix);
            assert!(
                labels.len() >= 3,
                "{} (fix {fix}) has {} labels at its first view: {labels:?}",
                scenario.id,
                labels.len()
            );
        }
    }
}

/// Every placed label's box, checked pairwise and against the window.
fn assert_placed_well(shapes: &[Shape], view: &Viewport) {
    let boxes: Vec<Rect> = shapes.iter().filter_map(label_rect).collect();
    for (i, a) in boxes.iter().enumerate() {
        assert!(
            a.left >= 0.0 && a.right <= view.width,
            "label {i} leaves the window sideways: {a:?}"
        );
        assert!(
            a.top >= view.header && a.bottom <= view.height,
            "label {i} leaves the window: {a:?}"
        );
        assert!((a.bottom - a.top - LABEL_HEIGHT).abs() < 1e-9);
        for (j, b) in boxes.iter().enumerate().skip(i + 1) {
            assert!(!a.overlaps(b), "labels {i} and {j} overlap: {a:?} {b:?}");
        }
        for tick in shapes.iter().filter_map(tick_rect) {
            assert!(
                !a.overlaps(&tick),
                "label {i} covers a number of the time axis: {a:?} {tick:?}"
            );
        }
        for cross in shapes.iter().filter_map(cross_rect) {
            assert!(
                !a.overlaps(&cross),
                "label {i} covers a lost message's cross: {a:?} {cross:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn labels_never_overlap_on_random_traces_and_windows(
        nodes in 2u8..=16,
        seed in any::<u64>(),
        steps in 20u64..1_500,
        width in 240.0f64..1_900.0,
        height in 200.0f64..1_200.0,
        top_fraction in 0.0f64..1.0,
        span_fraction in 0.001f64..1.2,
        font in 9.0f64..24.0,
    ) {
        let config = SimConfig { nodes, seed, ..SimConfig::default() };
        let mut sim = Simulation::new(RandomTraffic::default(), config).unwrap();
        sim.run_events(steps);
        let end = sim.now().max(1) as f64;
        let view = Viewport {
            width,
            height,
            axis: Axis::TrueTime,
            top: end * top_fraction * 0.8,
            scale: (height - 40.0) / (end * span_fraction),
            header: 40.0,
            folds: Default::default(),
        };
        let shapes = layout(sim.trace(), &view, None, &[], sim.now());
        let labels = place_labels(
            &sim, &Names::letters(), &shapes, &view, &[], None, font,
        );
        assert_placed_well(&labels, &view);
    }

    #[test]
    fn preset_labels_never_overlap_at_any_zoom(
        which in 0usize..15,
        fix in any::<bool>(),
        top_fraction in 0.0f64..1.0,
        span_fraction in 0.0005f64..1.0,
        width in 320.0f64..1_600.0,
    ) {
        let all = scenarios::all();
        let scenario = all[which % all.len()].clone().with_fix(fix);
        let mut live = scenarios::start(&scenario).unwrap();
        live.run_to_end();
        let end = live.now().max(1) as f64;
        let view = Viewport {
            width,
            height: 640.0,
            axis: Axis::TrueTime,
            top: end * top_fraction,
            scale: 600.0 / (end * span_fraction),
            header: 40.0,
            folds: Default::default(),
        };
        let shapes = live.timeline(&view, None, live.now(), &labelled());
        // Ticks are 56 to 140 px apart (a step of 1, 2 or 5 times a power of ten, the smallest
        // of them 56 px or more), so 600 px of time hold at least four: the axis is checked too.
        prop_assert!(shapes.iter().filter(|s| tick_rect(s).is_some()).count() >= 4);
        assert_placed_well(&shapes, &view);
    }
}

#[test]
fn every_event_a_finding_names_is_labelled_where_it_is_in_view() {
    for scenario in scenarios::all() {
        for fix in [false, true] {
            let scenario = scenario.clone().with_fix(fix);
            let mut live = scenarios::start(&scenario).expect("starts");
            live.run_to_end();
            let (start, end) = scenario.first_frame();
            let camera = Camera::fit(Axis::TrueTime, (start as f64, end as f64), HEIGHT);
            let view = camera.viewport(WIDTH, HEIGHT);
            let shapes = live.timeline(&view, None, live.now(), &labelled());
            let strong: Vec<String> = shapes
                .iter()
                .filter_map(|s| match s {
                    Shape::Label {
                        text, strong: true, ..
                    } => Some(text.trim_end_matches('…').to_string()),
                    _ => None,
                })
                .collect();
            // The named events drawn in this view (their markers are on screen).
            let drawn: Vec<_> = shapes
                .iter()
                .filter_map(|s| match s {
                    Shape::Event { event, .. } => Some(*event),
                    _ => None,
                })
                .collect();
            for finding in live.findings().iter() {
                for event in finding.events.iter().filter(|e| drawn.contains(e)) {
                    let description = live.details(*event).expect("event").description;
                    assert!(
                        strong.iter().any(|label| {
                            // A label says a reply or a request briefly ("→ client: …",
                            // "client: …"); the description says the same in a sentence.
                            let label = label
                                .strip_prefix("→ client: ")
                                .or_else(|| label.strip_prefix("client: "))
                                .unwrap_or(label);
                            description.contains(label)
                        }),
                        "{} (fix {fix}): the {} names “{description}”, which has no label; \
                         strong labels: {strong:?}",
                        scenario.id,
                        finding.kind.label()
                    );
                }
            }
        }
    }
}
