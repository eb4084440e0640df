//! The timeline's overview, natively: a sixteen-node, one-minute sandbox at "Fit all" is drawn
//! as message density (no arrows, far fewer shapes than events), counts add up to the messages
//! in view, faults and findings stay on screen, hit-testing finds no hidden message, and zooming
//! in brings the arrows back.
#![cfg(not(target_arch = "wasm32"))]

use faultline::detect::{Finding, Observed};
use faultline::models::election::Election;
use faultline::render::camera::Camera;
use faultline::render::overview::{
    density_counts, is_message_event, overview_if_crowded, overview_shapes, wants_overview,
    SLICE_PX,
};
use faultline::render::svg::timeline_svg;
use faultline::render::timeline::{
    axis_value, hit, layout_with_findings, Axis, Filter, Mark, Shape, Stretch, Viewport,
};
use faultline::scenarios::{self, Cluster};
use faultline::sim::{Command, EventId, EventKind, NodeId, Simulation};

/// The sandbox on sixteen nodes for 60 s, with a partition (16 nodes elect by timeout alone, so
/// two leaders follow), a pause, a crash and restart and an NTP jump along the way.
fn sixteen_node_minute() -> (Simulation<Election>, Vec<Finding>) {
    let sandbox = scenarios::by_id("sandbox").expect("the sandbox exists");
    let cluster = Cluster {
        duration_us: 60_000_000,
        ..sandbox.cluster().with_nodes(16)
    };
    let scenario = sandbox.customised(&cluster).expect("a valid cluster");
    let (sim, duration) = scenarios::simulate(&scenario).expect("it starts");
    let mut sim = *sim
        .downcast::<Simulation<Election>>()
        .expect("the sandbox elects leaders");
    let (a, b, c) = (NodeId(0), NodeId(5), NodeId(9));
    sim.run_until(10_000_000);
    sim.apply(Command::Partition {
        groups: vec![(0..8).map(NodeId).collect(), (8..16).map(NodeId).collect()],
    })
    .unwrap();
    sim.run_until(20_000_000);
    sim.apply(Command::HealAll).unwrap();
    sim.apply(Command::Pause { node: b }).unwrap();
    sim.run_until(25_000_000);
    sim.apply(Command::Resume { node: b }).unwrap();
    sim.apply(Command::Crash { node: c }).unwrap();
    sim.run_until(35_000_000);
    sim.apply(Command::Restart { node: c }).unwrap();
    sim.apply(Command::NtpStep {
        node: a,
        delta_us: -6_000_000,
    })
    .unwrap();
    sim.run_until(duration);
    let findings = sim.model().detect(sim.trace());
    (sim, findings)
}

/// "Fit all" in a 1280×720 canvas, as the camera does it.
fn fit_all(sim: &Simulation<Election>) -> Viewport {
    Camera::fit(Axis::TrueTime, (0.0, sim.now() as f64), 720.0).viewport(1280.0, 720.0)
}

fn count<F: Fn(&Shape) -> bool>(shapes: &[Shape], wanted: F) -> usize {
    shapes.iter().filter(|s| wanted(s)).count()
}

#[test]
fn fit_all_on_a_sixteen_node_minute_is_an_overview_and_zooming_in_brings_arrows_back() {
    let (sim, findings) = sixteen_node_minute();
    let trace = sim.trace();
    assert!(trace.len() > 20_000, "a big run: {} events", trace.len());
    let view = fit_all(&sim);
    assert!(wants_overview(trace, &view));
    let shapes = layout_with_findings(
        trace,
        &view,
        None,
        &[],
        sim.now(),
        &findings,
        &Filter::default(),
    );
    let density = count(&shapes, |s| matches!(s, Shape::Density { .. }));
    assert!(density > 100, "messages are drawn as density: {density}");
    assert_eq!(count(&shapes, |s| matches!(s, Shape::Arrow { .. })), 0);
    assert!(
        shapes.len() * 5 < trace.len(),
        "{} shapes for {} events",
        shapes.len(),
        trace.len()
    );
    // Busier slices are shaded darker and drawn wider.
    for shape in &shapes {
        if let Shape::Density {
            count,
            max,
            level,
            width,
            y0,
            y1,
            ..
        } = *shape
        {
            assert!(count >= 1 && count <= max && level >= 1);
            assert!(width > 0.0 && y1 > y0 && y1 - y0 <= SLICE_PX);
        }
    }

    // A few hundred milliseconds around the partition: arrows again.
    let mut camera = Camera::fit(Axis::TrueTime, (10_000_000.0, 10_300_000.0), 720.0);
    camera.follow = false;
    let close = camera.viewport(1280.0, 720.0);
    assert!(!wants_overview(trace, &close));
    let shapes = layout_with_findings(
        trace,
        &close,
        None,
        &[],
        sim.now(),
        &findings,
        &Filter::default(),
    );
    assert!(count(&shapes, |s| matches!(s, Shape::Arrow { .. })) > 10);
    assert_eq!(count(&shapes, |s| matches!(s, Shape::Density { .. })), 0);

    // The one-pass entry point agrees with the rule and the layout.
    let now = sim.now();
    assert_eq!(
        overview_if_crowded(trace, &view, None, now, &findings, 0),
        Some(overview_shapes(trace, &view, None, now, &findings))
    );
    assert_eq!(
        overview_if_crowded(trace, &close, None, now, &findings, 0),
        None
    );
}

#[test]
fn density_counts_add_up_to_the_messages_in_view() {
    let (sim, findings) = sixteen_node_minute();
    let trace = sim.trace();
    let mut camera = Camera::fit(Axis::TrueTime, (0.0, sim.now() as f64), 720.0);
    // Scrolled a little, so the view starts and ends mid-run.
    camera.pan(-150.0, sim.now() as f64, 720.0);
    for view in [fit_all(&sim), camera.viewport(1280.0, 720.0)] {
        let in_view = (0..trace.len())
            .map(|i| EventId(i as u32))
            .filter(|&id| is_message_event(trace.event(id).kind))
            .filter(|&id| {
                let y = view.header + (axis_value(trace, view.axis, id) - view.top) * view.scale;
                y >= view.header && y < view.height
            })
            .count();
        let counts = density_counts(trace, &view);
        let total: u32 = counts.iter().flatten().sum();
        assert_eq!(total as usize, in_view);
        let shapes = overview_shapes(trace, &view, None, sim.now(), &findings);
        let drawn: u32 = shapes
            .iter()
            .filter_map(|s| match *s {
                Shape::Density { count, .. } => Some(count),
                _ => None,
            })
            .sum();
        assert_eq!(drawn as usize, in_view, "every message in view is in a bar");
    }
}

#[test]
fn faults_roles_and_findings_stay_drawn_one_by_one_in_the_overview() {
    let (sim, findings) = sixteen_node_minute();
    let trace = sim.trace();
    let view = fit_all(&sim);
    let shapes = layout_with_findings(
        trace,
        &view,
        None,
        &[],
        sim.now(),
        &findings,
        &Filter::default(),
    );
    let has = |wanted: &dyn Fn(&Shape) -> bool| shapes.iter().any(wanted);
    assert!(has(&|s| matches!(
        s,
        Shape::Stretch {
            node: NodeId(5),
            stretch: Stretch::Paused,
            ..
        }
    )));
    assert!(has(&|s| matches!(
        s,
        Shape::Stretch {
            node: NodeId(9),
            stretch: Stretch::Crashed,
            ..
        }
    )));
    for mark in [Mark::Crash, Mark::Restart, Mark::ClockJump] {
        assert!(has(
            &|s| matches!(s, Shape::Mark { mark: m, .. } if *m == mark)
        ));
    }
    assert!(has(&|s| matches!(
        s,
        Shape::Stretch {
            stretch: Stretch::Role { .. },
            ..
        }
    )));
    assert!(!findings.is_empty(), "the partition splits the brain");
    assert_eq!(
        count(&shapes, |s| matches!(s, Shape::Finding { .. })),
        findings.len(),
        "every finding is marked"
    );
    // Fault events are drawn (and so can be hovered); message events are not.
    let faults = trace
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Fault { .. }))
        .count();
    let drawn: Vec<EventKind> = shapes
        .iter()
        .filter_map(|s| match *s {
            Shape::Event { kind, .. } => Some(kind),
            _ => None,
        })
        .collect();
    assert_eq!(drawn.len(), faults);
    assert!(drawn.iter().all(|k| matches!(k, EventKind::Fault { .. })));
    // The SVG export draws the same bars.
    let names: Vec<String> = (0..16).map(|n| NodeId(n).to_string()).collect();
    let svg = timeline_svg(&shapes, &view, &names, None);
    let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let bars = document
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("density"))
        })
        .count();
    assert_eq!(bars, count(&shapes, |s| matches!(s, Shape::Density { .. })));
}

#[test]
fn hit_testing_in_the_overview_finds_no_hidden_message() {
    let (sim, findings) = sixteen_node_minute();
    let trace = sim.trace();
    let view = fit_all(&sim);
    let shapes = layout_with_findings(
        trace,
        &view,
        None,
        &[],
        sim.now(),
        &findings,
        &Filter::default(),
    );
    for shape in &shapes {
        if let Shape::Density { x, y0, y1, .. } = *shape {
            if let Some(event) = hit(&shapes, x, (y0 + y1) / 2.0) {
                assert!(
                    matches!(trace.event(event).kind, EventKind::Fault { .. }),
                    "only drawn fault events are hit"
                );
            }
        }
    }
    // A selected message event stays drawn, and so can be found again.
    let message = EventId(
        (0..trace.len())
            .find(|&i| is_message_event(trace.events()[i].kind))
            .unwrap() as u32,
    );
    let shapes = layout_with_findings(
        trace,
        &view,
        Some(message),
        &[],
        sim.now(),
        &findings,
        &Filter::default(),
    );
    let (x, y) = shapes
        .iter()
        .find_map(|s| match *s {
            Shape::Event { event, x, y, .. } if event == message => Some((x, y)),
            _ => None,
        })
        .expect("the selected event is drawn");
    assert!(hit(&shapes, x, y).is_some());
}

/// The 100,000-event render benchmark's view (`bench_hooks::RenderBench`: about 5,000 events
/// in 1920×1080) is dense but its arrows can still be told apart: it stays arrows, so
/// `render_frame_ms_100k` keeps measuring what it always did.
#[test]
fn the_render_benchmarks_dense_view_stays_arrows() {
    use faultline::sim::random_traffic::RandomTraffic;
    use faultline::sim::SimConfig;
    let mut sim = Simulation::new(RandomTraffic::default(), SimConfig::default()).unwrap();
    while sim.trace().len() < 100_000 && sim.step().is_some() {}
    let per_us = sim.trace().len() as f64 / sim.now().max(1) as f64;
    let middle = sim.now() as f64 / 2.0;
    for top in [middle, middle + 30.0 * 2_000.0] {
        let view = Viewport {
            width: 1920.0,
            height: 1080.0,
            axis: Axis::TrueTime,
            top,
            scale: (1080.0 - 40.0) * per_us / 5_000.0,
            header: 40.0,
            folds: Default::default(),
        };
        assert!(!wants_overview(sim.trace(), &view));
    }
}
