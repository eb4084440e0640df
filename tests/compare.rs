//! Two runs of one scenario compared (`render::compare`), on the real presets: where the run
//! without the fix and the run with it first part, in words, and what is downstream of it.
#![cfg(not(target_arch = "wasm32"))]

use faultline::live::Session;
use faultline::render::compare::{first_difference, mark, sentence, side_words, Divergence};
use faultline::render::timeline::{layout, Axis, Highlight, Shape, Viewport};
use faultline::scenarios::{self, by_id};
use faultline::sim::{Command, EventId, NodeId};

/// The preset `id` with the fix `fix`, run to its end.
fn ended(id: &str, fix: bool) -> Session {
    let scenario = by_id(id).expect("a preset").with_fix(fix);
    let mut run = scenarios::start(&scenario).expect("the preset starts");
    run.run_to_end();
    run
}

fn compared(a: &Session, b: &Session) -> Option<Divergence> {
    first_difference((a.words(), a.names()), (b.words(), b.names()))
}

/// The first difference in words, without the fix on the left and with it on the right.
fn words(without: &Session, with: &Session, divergence: &Divergence) -> String {
    let said = [
        side_words(without.words(), without.names(), &divergence.sides[0]),
        side_words(with.words(), with.names(), &divergence.sides[1]),
    ];
    sentence(
        divergence,
        ["without the fix", "with the fix"],
        [&said[0], &said[1]],
    )
}

#[test]
fn fencing_first_differs_where_storage_refuses_token_33() {
    let (without, with) = (
        ended("gc-pause-fencing", false),
        ended("gc-pause-fencing", true),
    );
    let divergence = compared(&without, &with).expect("the fix changes the run");
    assert_eq!(
        divergence.time, 17_006_203,
        "when the old token reaches storage"
    );
    let said = words(&without, &with, &divergence);
    assert_eq!(
        said,
        "First difference at 17.006 s: without the fix, Storage (B): write accepted: 1 from \
         Client C, token 33; with the fix, Storage (B): write with token 33 refused: storage \
         has seen 34."
    );
    // Both runs part on storage, each with an event of its own; everything before is shared.
    for (side, run) in [&without, &with].into_iter().enumerate() {
        let parting = divergence.sides[side];
        assert_eq!(parting.node, NodeId(1));
        let event = parting.event.expect("each run does something of its own");
        assert_eq!(parting.root, Some(event));
        assert_eq!(run.words().skeleton().event(event).time, divergence.time);
        assert!(
            event.index() >= divergence.common,
            "the shared prefix comes first"
        );
        // Downstream: the refusal's (or acceptance's) answer reaches Client C.
        let future = run.words().skeleton().causal_future(event);
        assert_eq!(parting.downstream, future.len() + 1);
        assert!(
            future
                .iter()
                .any(|&e| run.words().skeleton().event(e).node == NodeId(2)),
            "Client C hears of it"
        );
    }
    // Up to it, the two traces are the same text line for line.
    let lines = |run: &Session| -> Vec<String> {
        run.text()
            .lines()
            .skip(1)
            .take(divergence.common)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(lines(&without), lines(&with));
}

#[test]
fn split_brain_first_differs_where_a_acknowledges_a_write_without_a_majority() {
    let (without, with) = (ended("split-brain", false), ended("split-brain", true));
    let divergence = compared(&without, &with).expect("the fix changes the run");
    // Without the fix A acknowledges write 100 the moment it arrives; with it A waits for a
    // majority's copies. That is the first difference in true time: 0.425 s, well before the
    // partition; A stepping down at 1.2 s (with the fix) is downstream of it.
    assert_eq!(divergence.time, 425_152);
    assert_eq!(
        words(&without, &with, &divergence),
        "First difference at 0.425 s: without the fix, A: write 100 accepted, term 1; with the \
         fix, A does nothing of the kind at that moment."
    );
    let [off, on] = divergence.sides;
    assert_eq!((off.node, on.node), (NodeId(0), NodeId(0)));
    assert!(off.event.is_some() && on.event.is_none());
    // With the fix, A's next event (write 200 arrives) roots what is downstream, and A's step
    // down at 1.2 s is part of it.
    let trace = with.words().skeleton();
    let root = on.root.expect("A goes on after 0.425 s");
    assert_eq!(trace.event(root).node, NodeId(0));
    assert!(trace.event(root).time > divergence.time);
    let downstream = trace.causal_future(root);
    let step_down = (0..trace.len())
        .map(|i| EventId(i as u32))
        .find(|&e| {
            let event = trace.event(e);
            event.time == 1_200_000
                && event.node == NodeId(0)
                && faultline::sim::describe(with.words(), event.kind, with.names())
                    .starts_with("steps down")
        })
        .expect("with the fix A steps down at 1.2 s");
    assert!(downstream.contains(&step_down));
}

#[test]
fn the_same_run_twice_has_no_difference_and_a_fault_by_hand_is_one() {
    let (a, b) = (ended("split-brain", false), ended("split-brain", false));
    assert_eq!(compared(&a, &b), None, "a deterministic run equals itself");

    // The scenario's own run against a fork with C paused by hand at 0.3 s.
    let scenario = by_id("sandbox").expect("a preset");
    let mut unbroken = scenarios::start(&scenario).unwrap();
    unbroken.run_to_end();
    let mut forked = scenarios::start(&scenario).unwrap();
    forked.advance_to(300_000);
    forked.apply(Command::Pause { node: NodeId(2) }).unwrap();
    forked.run_to_end();
    let divergence = compared(&unbroken, &forked).expect("the pause changes the run");
    assert_eq!(divergence.time, 300_000);
    assert_eq!(
        side_words(forked.words(), forked.names(), &divergence.sides[1]),
        "C: C paused (GC)"
    );
    assert_eq!(
        divergence.sides[0].event, None,
        "nothing of the kind without it"
    );
    assert_eq!(divergence.sides[0].node, NodeId(2));
}

#[test]
fn marking_keeps_only_whats_downstream_and_adds_the_marker_in_view() {
    let (without, with) = (
        ended("gc-pause-fencing", false),
        ended("gc-pause-fencing", true),
    );
    let divergence = compared(&without, &with).unwrap();
    let side = divergence.sides[1];
    let viewport = Viewport {
        width: 800.0,
        height: 600.0,
        axis: Axis::TrueTime,
        top: divergence.time as f64 - 200_000.0,
        scale: 600.0 / 1_000_000.0,
        header: 40.0,
        folds: Default::default(),
    };
    let trace = with.words().skeleton();
    let mut shapes = layout(trace, &viewport, side.root, &[], with.now());
    mark(&mut shapes, trace, &viewport, divergence.time, &side);
    let downstream = trace.causal_future(side.root.unwrap());
    for shape in &shapes {
        if let Shape::Event {
            event, highlight, ..
        } = *shape
        {
            let expected = if Some(event) == side.event {
                Highlight::Selected
            } else if downstream.contains(&event) {
                Highlight::Future
            } else {
                Highlight::None
            };
            assert_eq!(highlight, expected, "event {event:?}");
        }
    }
    let y = viewport.y_of(divergence.time as f64);
    assert!(shapes
        .iter()
        .any(|s| matches!(*s, Shape::Divergence { y: sy, .. } if (sy - y).abs() < 1e-9)));
    assert!(shapes.iter().any(
        |s| matches!(s, Shape::Label { text, strong: true, .. } if text == "first difference")
    ));
    // Scrolled away from it, no marker.
    let away = Viewport {
        top: 0.0,
        ..viewport
    };
    let mut shapes = layout(trace, &away, side.root, &[], with.now());
    mark(&mut shapes, trace, &away, divergence.time, &side);
    assert!(!shapes.iter().any(|s| matches!(s, Shape::Divergence { .. })));
}
