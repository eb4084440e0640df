//! The timeline layout, natively: where events land in each axis mode, what is culled, arrows,
//! hit-testing and causal highlighting.
#![cfg(not(target_arch = "wasm32"))]

use faultline::render::timeline::{
    axis_value, column_x, hit, layout, ArrowEnd, Axis, Highlight, Shape, Viewport,
};
use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{
    ClockConfig, Command, DropReason, EventId, EventKind, LinkConfig, NodeId, SimConfig, Simulation,
};

fn run(clocks: Vec<ClockConfig>) -> Simulation<RandomTraffic> {
    let config = SimConfig {
        nodes: 4,
        seed: 5,
        link: LinkConfig::default(),
        clocks,
    };
    let mut sim = Simulation::new(RandomTraffic::default(), config).unwrap();
    sim.run_until(400_000);
    sim.apply(Command::CutLink {
        from: NodeId(0),
        to: NodeId(1),
    })
    .unwrap();
    sim.run_until(800_000);
    sim
}

fn viewport(axis: Axis, top: f64, scale: f64) -> Viewport {
    Viewport {
        width: 800.0,
        height: 600.0,
        axis,
        top,
        scale,
        header: 40.0,
    }
}

fn events(shapes: &[Shape]) -> Vec<(EventId, f64, f64, Highlight)> {
    shapes
        .iter()
        .filter_map(|s| match *s {
            Shape::Event {
                event,
                x,
                y,
                highlight,
                ..
            } => Some((event, x, y, highlight)),
            _ => None,
        })
        .collect()
}

#[test]
fn events_sit_in_their_node_column_at_their_time() {
    let sim = run(Vec::new());
    // The whole run in 560 px: 800 ms at 0.0007 px/µs.
    let view = viewport(Axis::TrueTime, 0.0, 0.0007);
    let shapes = layout(sim.trace(), &view, None, &[], sim.now());
    let placed = events(&shapes);
    assert_eq!(
        placed.len(),
        sim.trace().len(),
        "everything fits, nothing is culled"
    );
    for (id, x, y, _) in placed {
        let e = sim.trace().event(id);
        assert_eq!(x, column_x(&view, 4, e.node));
        assert!((y - (40.0 + e.time as f64 * 0.0007)).abs() < 1e-9);
    }
    let lifelines = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Lifeline { .. }))
        .count();
    assert_eq!(lifelines, 4);
}

#[test]
fn the_local_clock_axis_shows_skew_and_the_lamport_axis_logical_time() {
    let skewed = vec![
        ClockConfig::default(),
        ClockConfig {
            offset_us: 50_000,
            ..ClockConfig::default()
        },
        ClockConfig::default(),
        ClockConfig::default(),
    ];
    let sim = run(skewed);
    let trace = sim.trace();
    for (index, e) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let true_time = axis_value(trace, Axis::TrueTime, id);
        let local = axis_value(trace, Axis::LocalClock, id);
        let expected_skew = if e.node == NodeId(1) { 50_000.0 } else { 0.0 };
        assert_eq!(
            local - true_time,
            expected_skew,
            "event {index} on {}",
            e.node
        );
        assert_eq!(axis_value(trace, Axis::Lamport, id), f64::from(e.lamport));
    }
    let view = viewport(Axis::Lamport, 0.0, 10.0);
    for (id, _, y, _) in events(&layout(trace, &view, None, &[], sim.now())) {
        assert_eq!(y, 40.0 + f64::from(trace.event(id).lamport) * 10.0);
    }
}

#[test]
fn culling_keeps_exactly_the_visible_events() {
    let sim = run(Vec::new());
    let trace = sim.trace();
    for axis in [Axis::TrueTime, Axis::LocalClock, Axis::Lamport] {
        let (top, scale) = match axis {
            Axis::Lamport => (20.0, 20.0),
            _ => (300_000.0, 0.004),
        };
        let view = viewport(axis, top, scale);
        let shown: Vec<EventId> = events(&layout(trace, &view, None, &[], sim.now()))
            .iter()
            .map(|e| e.0)
            .collect();
        let expected: Vec<EventId> = (0..trace.len())
            .map(|i| EventId(i as u32))
            .filter(|&id| {
                let y = 40.0 + (axis_value(trace, axis, id) - top) * scale;
                (32.0..=608.0).contains(&y)
            })
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < trace.len(),
            "{axis:?}: a real slice"
        );
        assert_eq!(shown, expected, "{axis:?}");
    }
}

#[test]
fn arrows_run_from_send_to_delivery_or_to_where_a_message_died() {
    let sim = run(Vec::new());
    let trace = sim.trace();
    let view = viewport(Axis::TrueTime, 0.0, 0.0007);
    let shapes = layout(
        trace,
        &view,
        None,
        &sim.in_flight().copied().collect::<Vec<_>>(),
        sim.now(),
    );
    let arrows: Vec<_> = shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Arrow { from, to, end, .. } => Some((*from, *to, *end)),
            _ => None,
        })
        .collect();
    let delivered = trace
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Deliver { .. }))
        .count();
    assert_eq!(
        arrows.iter().filter(|a| a.2 == ArrowEnd::Delivered).count(),
        delivered
    );
    // A→B is cut: messages sent into it die halfway between the columns.
    let lost: Vec<_> = arrows
        .iter()
        .filter(|a| a.2 == ArrowEnd::Dropped(DropReason::Lost))
        .collect();
    assert!(!lost.is_empty(), "the cut link loses messages");
    let midway = (column_x(&view, 4, NodeId(0)) + column_x(&view, 4, NodeId(1))) / 2.0;
    assert!(lost.iter().all(|a| a.1 .0 == midway));
    // Messages still on the wire reach down to "now".
    let now_y = 40.0 + sim.now() as f64 * 0.0007;
    let in_flight: Vec<_> = arrows
        .iter()
        .filter(|a| a.2 == ArrowEnd::InFlight)
        .collect();
    assert_eq!(in_flight.len(), sim.in_flight().count());
    assert!(in_flight
        .iter()
        .all(|a| (a.1 .1 - now_y).abs() < 1e-9 && a.1 .1 >= a.0 .1));
    // Every arrow runs downward in true time: latency is its slope.
    assert!(arrows.iter().all(|a| a.1 .1 >= a.0 .1));
}

#[test]
fn arrows_crossing_the_window_are_kept_even_when_both_ends_are_outside() {
    let sim = run(Vec::new());
    let trace = sim.trace();
    // A window 2 ms tall: shorter than any latency, so some arrows cross it end to end.
    let view = Viewport {
        height: 40.0 + 2_000.0 * 0.01,
        ..viewport(Axis::TrueTime, 500_000.0, 0.01)
    };
    let shapes = layout(trace, &view, None, &[], sim.now());
    let crossing = shapes.iter().filter(|s| match s {
        Shape::Arrow { from, to, .. } => from.1 < 40.0 && to.1 > view.height,
        _ => false,
    });
    assert!(crossing.count() > 0);
}

#[test]
fn hit_testing_finds_the_event_under_the_pointer() {
    let sim = run(Vec::new());
    let view = viewport(Axis::TrueTime, 0.0, 0.0007);
    let shapes = layout(sim.trace(), &view, None, &[], sim.now());
    let placed = events(&shapes);
    for &(id, x, y, _) in placed.iter().step_by(17) {
        let found = hit(&shapes, x, y).expect("an event under the pointer");
        // Events at the same instant on the same node share a marker position; any will do.
        let at = placed.iter().find(|e| e.0 == found).unwrap();
        assert_eq!((at.1, at.2), (x, y), "event {id:?}");
    }
    // Just beside a marker, the nearest marker within reach is returned.
    let &(_, x, y, _) = placed.iter().find(|e| e.0 == EventId(40)).unwrap();
    let found = hit(&shapes, x + 3.0, y).unwrap();
    let at = placed.iter().find(|e| e.0 == found).unwrap();
    let nearest = placed
        .iter()
        .map(|e| ((e.1 - x - 3.0).powi(2) + (e.2 - y).powi(2)).sqrt())
        .fold(f64::MAX, f64::min);
    assert!((((at.1 - x - 3.0).powi(2) + (at.2 - y).powi(2)).sqrt() - nearest).abs() < 1e-9);
    assert_eq!(hit(&shapes, 1.0, 1.0), None, "nothing in the header");
}

#[test]
fn selecting_an_event_lights_up_its_causal_past_and_future() {
    let sim = run(Vec::new());
    let trace = sim.trace();
    let chosen = EventId(trace.len() as u32 / 2);
    let view = viewport(Axis::TrueTime, 0.0, 0.0007);
    let placed = events(&layout(trace, &view, Some(chosen), &[], sim.now()));
    let of = |h: Highlight| -> Vec<EventId> {
        placed.iter().filter(|e| e.3 == h).map(|e| e.0).collect()
    };
    assert_eq!(of(Highlight::Selected), vec![chosen]);
    assert_eq!(of(Highlight::Past), trace.causal_past(chosen));
    assert_eq!(of(Highlight::Future), trace.causal_future(chosen));
    assert_eq!(
        of(Highlight::Concurrent).len()
            + trace.causal_past(chosen).len()
            + trace.causal_future(chosen).len()
            + 1,
        trace.len()
    );
}
