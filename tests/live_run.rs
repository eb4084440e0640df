//! The type-erased run the UI drives: playing a preset in small steps gives exactly the run
//! that `scenarios::run` judges, and what the inspector shows of an event is consistent.

use faultline::render::drawn::Drawn;
use faultline::render::timeline::{Axis, Filter, Shape, Viewport};
use faultline::scenarios::{self, all};
use faultline::sim::EventId;

#[test]
fn playing_in_small_steps_gives_the_same_run_as_running_to_the_end() {
    for scenario in all() {
        for fixed in [false, true] {
            let scenario = scenario.clone().with_fix(fixed);
            let whole = scenarios::run(&scenario).expect("presets start");
            let mut live = scenarios::start(&scenario).expect("presets start");
            let mut rounds = 0;
            while !live.finished() {
                live.advance(7);
                rounds += 1;
                assert!(rounds < 1_000_000, "{} never finishes", scenario.id);
            }
            assert_eq!(live.now(), scenario.duration_us, "{}", scenario.id);
            assert_eq!(live.text(), whole.text, "{} (fix {fixed})", scenario.id);
            assert_eq!(&live.findings()[..], &whole.findings[..], "{}", scenario.id);
            assert_eq!(live.advance(10), 0, "nothing runs after the end");
        }
    }
}

#[test]
fn an_events_details_add_up() {
    let scenario = scenarios::by_id("split-brain").unwrap();
    let mut live = scenarios::start(&scenario).unwrap();
    live.run_to_end();
    let total = live.event_count();
    for index in [0, total / 3, total / 2, total - 1] {
        let details = live.details(EventId(index as u32)).unwrap();
        assert_eq!(
            details.past + details.future + details.concurrent + 1,
            total
        );
        assert_eq!(details.vector_clock.len(), 5);
        assert_eq!(
            live.position(details.event, Axis::Lamport),
            Some(f64::from(details.lamport))
        );
        assert_eq!(
            live.position(details.event, Axis::TrueTime),
            Some(details.time as f64)
        );
    }
    assert_eq!(live.details(EventId(total as u32)), None);
    assert_eq!(live.position(EventId(u32::MAX), Axis::TrueTime), None);
}

#[test]
fn extent_and_head_cover_the_run_on_every_axis() {
    let scenario = scenarios::by_id("lww-clock-skew").unwrap();
    let mut live = scenarios::start(&scenario).unwrap();
    live.run_to_end();
    for axis in [Axis::TrueTime, Axis::LocalClock, Axis::Lamport] {
        let (low, high) = live.extent(axis);
        assert!(low <= high, "{axis:?}");
        for index in 0..live.event_count() {
            let value = live.position(EventId(index as u32), axis).unwrap();
            assert!((low..=high).contains(&value), "{axis:?} event {index}");
        }
        assert!(live.head(axis) <= high && live.head(axis) >= low);
    }
    assert_eq!(live.head(Axis::TrueTime), scenario.duration_us as f64);
    let readings = live.clock_readings(live.now());
    assert_eq!(readings.len(), scenario.config.nodes as usize);
    assert!(
        readings.iter().any(|&r| r != live.now() as i64),
        "the skewed clock reads other than true time"
    );
}

#[test]
fn the_timeline_of_a_live_run_marks_its_findings() {
    let scenario = scenarios::by_id("split-brain").unwrap();
    let mut live = scenarios::start(&scenario).unwrap();
    live.run_to_end();
    let viewport = Viewport {
        width: 1000.0,
        height: 800.0,
        axis: Axis::TrueTime,
        top: 0.0,
        scale: 760.0 / scenario.duration_us as f64,
        header: 40.0,
        folds: Default::default(),
    };
    let shapes = live.timeline(&viewport, None, live.now(), &Filter::default());
    let findings = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Finding { .. }))
        .count();
    assert_eq!(findings, live.findings().len());
    assert!(findings > 0);
    // A selection the run does not have yet is ignored rather than indexed.
    let shapes = live.timeline(
        &viewport,
        Some(EventId(u32::MAX)),
        live.now(),
        &Filter::default(),
    );
    assert!(shapes.iter().all(|s| !matches!(
        s,
        Shape::Event {
            highlight: faultline::render::timeline::Highlight::Selected,
            ..
        }
    )));
}

#[test]
fn shown_time_stays_between_now_and_the_next_event() {
    let scenario = scenarios::by_id("reordered-writes").unwrap();
    let mut live = scenarios::start(&scenario).unwrap();
    live.advance(3);
    let now = live.now();
    let next = live.display_time(u64::MAX);
    assert!(next > now);
    assert_eq!(live.display_time(0), now, "never before now");
    assert_eq!(live.display_time((now + next) / 2), (now + next) / 2);
    // Messages in flight glide: their arrows reach further at a later shown time.
    let viewport = Viewport {
        width: 600.0,
        height: 800.0,
        axis: Axis::TrueTime,
        top: 0.0,
        scale: 760.0 / scenario.duration_us as f64,
        header: 40.0,
        folds: Default::default(),
    };
    let reach = |at| {
        live.timeline(&viewport, None, at, &Filter::default())
            .into_iter()
            .filter_map(|s| match s {
                Shape::Arrow {
                    end: faultline::render::timeline::ArrowEnd::InFlight,
                    to,
                    ..
                } => Some(to.1),
                _ => None,
            })
            .fold(0.0, f64::max)
    };
    assert!(
        reach(next) > reach(now),
        "in-flight arrows grow with the shown time"
    );
    live.run_to_end();
    assert_eq!(live.display_time(u64::MAX), scenario.duration_us);
}

mod faults_and_seeking {
    use faultline::detect::FindingKind;
    use faultline::scenarios;
    use faultline::sim::{Command, CommandError, NodeId, NodeStatus};

    const A: NodeId = NodeId(0);
    const B: NodeId = NodeId(1);
    const C: NodeId = NodeId(2);
    const D: NodeId = NodeId(3);
    const E: NodeId = NodeId(4);

    fn split_sandbox(fixed: bool) -> Vec<FindingKind> {
        let scenario = scenarios::by_id("sandbox").unwrap().with_fix(fixed);
        let mut live = scenarios::start(&scenario).unwrap();
        while live.now() < 1_000_000 {
            live.advance(1);
        }
        live.apply(Command::Partition {
            groups: vec![vec![A, B], vec![C, D, E]],
        })
        .unwrap();
        assert!(!live.link_up(A, C) && !live.link_up(C, A) && live.link_up(A, B));
        live.run_to_end();
        live.findings().iter().map(|f| f.kind).collect()
    }

    #[test]
    fn cutting_the_sandbox_in_two_splits_the_brain_unless_fixed() {
        assert!(split_sandbox(false).contains(&FindingKind::SplitBrain));
        assert!(!split_sandbox(true).contains(&FindingKind::SplitBrain));
    }

    #[test]
    fn stepping_back_and_forward_is_exact_and_a_fault_forks_the_run() {
        let scenario = scenarios::by_id("split-brain").unwrap();
        let mut live = scenarios::start(&scenario).unwrap();
        live.advance(300);
        let (step, text) = (live.current_step(), live.text());
        live.seek(step - 120);
        assert_eq!(live.current_step(), step - 120);
        assert_eq!(live.furthest_step(), step, "the future is remembered");
        live.seek(step);
        assert_eq!(
            live.text(),
            text,
            "back 120 and forward 120 is the same run"
        );

        live.seek(step - 50);
        live.apply(Command::Pause { node: C }).unwrap();
        assert_eq!(live.status(C), NodeStatus::Paused);
        assert_eq!(
            live.furthest_step(),
            live.current_step(),
            "the old future is gone"
        );
        assert_eq!(
            live.apply(Command::Pause { node: C }),
            Err(CommandError::WrongStatus {
                node: C,
                action: "pause",
                status: "paused"
            })
        );
        live.seek(u64::MAX);
        assert!(live.finished(), "seeking past the end stops at the end");
        assert_eq!(live.now(), scenario.duration_us);
    }

    #[test]
    fn client_requests_are_not_faults() {
        let scenario = scenarios::by_id("split-brain").unwrap();
        let mut live = scenarios::start(&scenario).unwrap();
        let (events, step) = (live.event_count(), live.current_step());
        let request = Command::Client { node: A, op: () };
        assert_eq!(live.apply(request), Err(CommandError::NotAFault));
        assert_eq!(
            (live.event_count(), live.current_step()),
            (events, step),
            "the run is unchanged"
        );
    }
}

mod lease_pause {
    use faultline::detect::FindingKind;
    use faultline::scenarios;
    use faultline::sim::{Command, NodeId};

    const C: NodeId = NodeId(2);

    /// Pauses lease holder C mid-work (after its lease check, before its write) until D holds
    /// the lease and has written, as a person does with the node menu.
    fn pause_mid_work(fixed: bool) -> Vec<FindingKind> {
        let scenario = scenarios::by_id("slow-clock-lease")
            .unwrap()
            .with_fix(fixed);
        let mut live = scenarios::start(&scenario).unwrap();
        while live.now() < 600_000 {
            live.advance(1);
        }
        let step = live.current_step();
        live.seek(step - 1);
        live.apply(Command::Pause { node: C }).unwrap();
        // D's write is answered at about 11.02 s; after that nothing runs until C wakes.
        while live.now() < 11_020_000 {
            live.advance(1);
        }
        live.apply(Command::Resume { node: C }).unwrap();
        live.run_to_end();
        live.findings().iter().map(|f| f.kind).collect()
    }

    #[test]
    fn a_pause_between_lease_check_and_write_is_fenced_off_only_with_the_fix() {
        assert!(pause_mid_work(true).contains(&FindingKind::FencingRejection));
        assert!(pause_mid_work(false).contains(&FindingKind::StaleWriteAccepted));
    }
}

mod messages {
    use faultline::scenarios;
    use faultline::sim::Command;

    #[test]
    fn messages_in_flight_can_be_dropped_and_duplicated() {
        let scenario = scenarios::by_id("reordered-writes").unwrap();
        let mut live = scenarios::start(&scenario).unwrap();
        while live.in_flight().len() < 3 {
            assert!(live.advance(1) > 0, "three writes go out");
        }
        let first = live.in_flight()[0].clone();
        assert_eq!(
            first.payload, "set x = 1",
            "messages in flight read in words"
        );
        let id = first.message.id;
        live.apply(Command::DuplicateMessage { msg: id }).unwrap();
        assert_eq!(live.in_flight().len(), 4);
        live.apply(Command::DropMessage { msg: id }).unwrap();
        assert_eq!(live.in_flight().len(), 3);
        assert!(live.in_flight().iter().all(|f| f.message.id != id));
    }
}

mod restoring {
    use faultline::scenarios;
    use faultline::sim::{Command, NodeId};

    #[test]
    fn a_fault_log_restores_the_exact_run_even_after_going_back() {
        let scenario = scenarios::by_id("sandbox").unwrap();
        let mut live = scenarios::start(&scenario).unwrap();
        live.advance(400);
        live.apply(Command::CutBoth {
            a: NodeId(0),
            b: NodeId(2),
        })
        .unwrap();
        live.advance(300);
        live.apply(Command::Pause { node: NodeId(3) }).unwrap();
        live.advance(500);
        live.seek(live.current_step() - 200);
        let (log, step, text) = (live.fault_log(), live.current_step(), live.text());
        assert_eq!(log.len(), 2);

        let mut restored = scenarios::start_with(&scenario, &log).unwrap();
        restored.seek(step);
        assert_eq!(restored.current_step(), step);
        assert_eq!(restored.text(), text, "the same run, to the event");
        assert_eq!(restored.fault_log(), log);
    }
}

/// Findings are listed by true time, ties by the last event that shows them (the one that made
/// them true).
fn assert_in_time_order(findings: &[faultline::detect::Finding], what: &str) {
    for pair in findings.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (a.time, a.events.last()) <= (b.time, b.events.last()),
            "{what}: {} at {} µs is listed before {} at {} µs",
            a.kind.label(),
            a.time,
            b.kind.label(),
            b.time
        );
    }
}

#[test]
fn findings_are_listed_in_time_order() {
    use faultline::sim::{Command, NodeId};
    // The defect: in the sandbox with the fix on and a partition, a finding at 11.700 s was
    // listed before one at 10.900 s (each detector's findings came as a block).
    let sandbox = scenarios::by_id("sandbox").unwrap().with_fix(true);
    let mut live = scenarios::start(&sandbox).unwrap();
    live.advance_to(10_000_000);
    let groups = vec![
        vec![NodeId(0), NodeId(1)],
        vec![NodeId(2), NodeId(3), NodeId(4)],
    ];
    live.apply(Command::Partition { groups }).unwrap();
    live.advance_to(14_000_000);
    let findings = live.findings();
    let mut kinds: Vec<_> = findings.iter().map(|f| f.kind).collect();
    kinds.dedup();
    assert!(kinds.len() >= 2, "several detectors report: {kinds:?}");
    assert_in_time_order(&findings, "sandbox with a partition");
    for preset in all() {
        for fixed in [false, true] {
            let outcome = scenarios::run(&preset.clone().with_fix(fixed)).unwrap();
            assert_in_time_order(&outcome.findings, &preset.id);
        }
    }
}
