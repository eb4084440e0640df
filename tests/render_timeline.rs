//! The timeline layout, natively: where events land in each axis mode, what is culled, arrows,
//! hit-testing and causal highlighting; lifeline headers at every width.
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
        links: Vec::new(),
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
        folds: Default::default(),
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

mod lifelines_and_export {
    use faultline::detect::{FindingKind, Observed};
    use faultline::models::election::Election;
    use faultline::render::svg::timeline_svg;
    use faultline::render::timeline::{
        layout_with_findings, Axis, Filter, Mark, Shape, Stretch, Viewport,
    };
    use faultline::scenarios::{self, ModelSpec};
    use faultline::sim::random_traffic::RandomTraffic;
    use faultline::sim::{Command, NodeId, Role, Scheduled, SimConfig, Simulation};

    fn whole_run(micros: u64) -> Viewport {
        Viewport {
            width: 900.0,
            height: 640.0,
            axis: Axis::TrueTime,
            top: 0.0,
            scale: 600.0 / micros as f64,
            header: 40.0,
            folds: Default::default(),
        }
    }

    fn split_brain() -> Simulation<Election> {
        let preset = scenarios::by_id("split-brain").unwrap();
        let ModelSpec::Election { params, script, .. } = preset.model else {
            panic!("election preset")
        };
        let mut sim = Simulation::with_script(params, preset.config, script).unwrap();
        sim.run_until(preset.duration_us);
        sim
    }

    #[test]
    fn overlapping_leader_bands_are_a_hazard_and_findings_are_marked() {
        let sim = split_brain();
        let findings = sim.model().detect(sim.trace());
        let view = whole_run(3_000_000);
        let shapes = layout_with_findings(
            sim.trace(),
            &view,
            None,
            &[],
            sim.now(),
            &findings,
            &Filter::default(),
        );
        let leaders: Vec<(NodeId, bool)> = shapes
            .iter()
            .filter_map(|s| match *s {
                Shape::Stretch {
                    node,
                    stretch:
                        Stretch::Role {
                            role: Role::Leader,
                            hazard,
                        },
                    ..
                } => Some((node, hazard)),
                _ => None,
            })
            .collect();
        assert!(
            leaders.contains(&(NodeId(0), true)),
            "A's reign overlaps E's: {leaders:?}"
        );
        assert!(
            leaders.contains(&(NodeId(4), true)),
            "E's reign overlaps A's: {leaders:?}"
        );
        let marked: Vec<FindingKind> = shapes
            .iter()
            .filter_map(|s| match *s {
                Shape::Finding { kind, .. } => Some(kind),
                _ => None,
            })
            .collect();
        assert!(marked.contains(&FindingKind::SplitBrain));
        assert_eq!(
            marked.len(),
            findings.len(),
            "every finding of the run is on screen"
        );
    }

    #[test]
    fn pauses_crashes_and_clock_jumps_are_drawn_where_they_happened() {
        let (b, c) = (NodeId(1), NodeId(2));
        let script = vec![
            Scheduled {
                at_us: 100_000,
                command: Command::Pause { node: b },
            },
            Scheduled {
                at_us: 250_000,
                command: Command::Resume { node: b },
            },
            Scheduled {
                at_us: 300_000,
                command: Command::Crash { node: c },
            },
            Scheduled {
                at_us: 450_000,
                command: Command::Restart { node: c },
            },
            Scheduled {
                at_us: 500_000,
                command: Command::NtpStep {
                    node: b,
                    delta_us: -20_000,
                },
            },
            Scheduled {
                at_us: 550_000,
                command: Command::Pause { node: c },
            },
        ];
        let mut sim = Simulation::with_script(
            RandomTraffic::default(),
            SimConfig {
                nodes: 3,
                ..SimConfig::default()
            },
            script,
        )
        .unwrap();
        sim.run_until(600_000);
        let view = whole_run(600_000);
        let y = |t: u64| 40.0 + t as f64 * view.scale;
        let shapes = layout_with_findings(
            sim.trace(),
            &view,
            None,
            &[],
            sim.now(),
            &[],
            &Filter::default(),
        );
        let stretches: Vec<_> = shapes
            .iter()
            .filter_map(|s| match *s {
                Shape::Stretch {
                    node,
                    y0,
                    y1,
                    stretch,
                    ..
                } => Some((node, stretch, y0, y1)),
                _ => None,
            })
            .collect();
        let near = |a: f64, b: f64| (a - b).abs() < 1e-6;
        assert!(stretches.iter().any(|s| s.0 == b
            && s.1 == Stretch::Paused
            && near(s.2, y(100_000))
            && near(s.3, y(250_000))));
        assert!(stretches.iter().any(|s| s.0 == c
            && s.1 == Stretch::Crashed
            && near(s.2, y(300_000))
            && near(s.3, y(450_000))));
        // Still paused at the end: the stretch runs to "now".
        assert!(stretches.iter().any(|s| s.0 == c
            && s.1 == Stretch::Paused
            && near(s.2, y(550_000))
            && near(s.3, y(600_000))));
        let marks: Vec<_> = shapes
            .iter()
            .filter_map(|s| match *s {
                Shape::Mark { node, y, mark, .. } => Some((node, mark, y)),
                _ => None,
            })
            .collect();
        assert!(marks
            .iter()
            .any(|m| m.0 == c && m.1 == Mark::Crash && near(m.2, y(300_000))));
        assert!(marks
            .iter()
            .any(|m| m.0 == c && m.1 == Mark::Restart && near(m.2, y(450_000))));
        assert!(marks
            .iter()
            .any(|m| m.0 == b && m.1 == Mark::ClockJump && near(m.2, y(500_000))));
    }

    #[test]
    fn the_svg_export_is_well_formed_and_holds_every_visible_shape() {
        let sim = split_brain();
        let findings = sim.model().detect(sim.trace());
        let view = Viewport {
            top: 1_000_000.0,
            scale: 0.0005,
            ..whole_run(3_000_000)
        };
        let shapes = layout_with_findings(
            sim.trace(),
            &view,
            Some(faultline::sim::EventId(300)),
            &[],
            sim.now(),
            &findings,
            &Filter::default(),
        );
        let names: Vec<String> = vec![
            "<script>alert(1)</script>".into(),
            "B & C".into(),
            "C".into(),
            "D".into(),
            "E".into(),
        ];
        let svg = timeline_svg(&shapes, &view, &names, None);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let with_class = |prefix: &str| {
            doc.descendants()
                .filter(|n| {
                    n.attribute("class")
                        .is_some_and(|c| c.split(' ').next() == Some(prefix))
                })
                .count()
        };
        let count = |f: fn(&Shape) -> bool| shapes.iter().filter(|s| f(s)).count();
        assert_eq!(
            with_class("event"),
            count(|s| matches!(s, Shape::Event { .. }))
        );
        assert_eq!(
            with_class("arrow"),
            count(|s| matches!(s, Shape::Arrow { .. }))
        );
        assert_eq!(
            with_class("stretch"),
            count(|s| matches!(s, Shape::Stretch { .. }))
        );
        assert_eq!(
            with_class("finding"),
            count(|s| matches!(s, Shape::Finding { .. }))
        );
        assert_eq!(with_class("lifeline"), 5);
        assert!(
            with_class("event") > 100 && with_class("arrow") > 50,
            "a real slice of the run"
        );
        assert!(
            doc.descendants().all(|n| n.tag_name().name() != "script"),
            "names are text, not markup"
        );
        assert!(doc
            .descendants()
            .any(|n| n.text() == Some("<script>alert(1)</script>")));
        assert_eq!(
            doc.descendants()
                .filter(|n| n.attribute("class") == Some("event local selected")
                    || n.attribute("class")
                        .is_some_and(|c| c.ends_with("selected")))
                .count(),
            1
        );
    }
}

mod now_line {
    use faultline::render::timeline::{now_rows, Axis, Viewport};

    fn view(axis: Axis) -> Viewport {
        Viewport {
            width: 300.0,
            height: 500.0,
            axis,
            top: 0.0,
            scale: 0.001,
            header: 40.0,
            folds: Default::default(),
        }
    }

    #[test]
    fn now_is_one_row_on_true_time_and_bends_with_skew_on_local_clocks() {
        let readings = [100_000, 150_000, 90_000];
        assert_eq!(
            now_rows(&view(Axis::TrueTime), 100_000, &readings),
            vec![140.0; 3]
        );
        assert_eq!(
            now_rows(&view(Axis::LocalClock), 100_000, &readings),
            vec![140.0, 190.0, 130.0],
            "a clock 50 ms ahead puts its now 50 px lower"
        );
        assert!(now_rows(&view(Axis::Lamport), 100_000, &readings).is_empty());
    }
}

mod headers {
    use faultline::render::headers::{
        header_width, lifeline_headers, HEADER_GAP, HEADER_PX, MIN_HEADER_PX,
    };
    use faultline::scenarios;
    use faultline::sim::NodeId;
    use faultline::ui::{PROJECTOR_TEXT, SMALL_SCREEN_TEXT};

    /// Every set of lifeline names a person can meet: each preset's, the sandbox's letters at
    /// 1 to 16 nodes, and long names of one's own.
    fn name_sets() -> Vec<(String, Vec<String>)> {
        let mut sets: Vec<(String, Vec<String>)> = scenarios::all()
            .iter()
            .map(|s| {
                let live = scenarios::start(s).expect("starts");
                (s.id.clone(), live.node_names())
            })
            .collect();
        for nodes in 1..=16u8 {
            let letters = (0..nodes).map(|n| NodeId(n).to_string()).collect();
            sets.push((format!("{nodes} letters"), letters));
        }
        sets.push((
            "names of one's own".into(),
            [
                "Primary replica in Frankfurt (A)",
                "Replica 2 (B)",
                "Witness",
                "Client with a very long name D",
                "Mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm (E)",
            ]
            .map(String::from)
            .to_vec(),
        ));
        sets
    }

    /// What is wrong with `said` as a header for `full` (node `node`), if anything: it must be
    /// the full name, the node's letter, or the full name cut after a whole word with an
    /// ellipsis, keeping the letter the name ends with.
    fn not_a_sensible_shortening(said: &str, full: &str, node: NodeId) -> Option<String> {
        let letter = node.to_string();
        if said == full || said == letter {
            return None;
        }
        let Some((kept, tail)) = said.split_once('…') else {
            return Some(format!("{said:?} is neither {full:?} nor its letter"));
        };
        let cut_at_a_word = full
            .strip_prefix(kept)
            .is_some_and(|rest| rest.starts_with(' '));
        let keeps_the_letter = full.ends_with(tail)
            && tail
                .trim_start_matches(' ')
                .trim_start_matches('(')
                .starts_with(&letter);
        (!(cut_at_a_word && keeps_the_letter && !kept.is_empty()))
            .then(|| format!("{said:?} does not shorten {full:?} at a word, keeping {letter}"))
    }

    /// The first pair of headers (boxes `x ± width / 2`) that overlap or come closer than
    /// `gap`, or one that leaves the canvas.
    fn overlap(boxes: &[(f64, f64, String)], canvas: f64, gap: f64) -> Option<String> {
        for (x, width, text) in boxes {
            if x - width / 2.0 < 0.0 || x + width / 2.0 > canvas {
                return Some(format!("{text:?} leaves the canvas"));
            }
        }
        boxes.windows(2).find_map(|pair| {
            let ((xa, wa, a), (xb, wb, b)) = (&pair[0], &pair[1]);
            (xa + wa / 2.0 + gap > xb - wb / 2.0).then(|| format!("{a:?} runs into {b:?}"))
        })
    }

    #[test]
    fn headers_never_overlap_nor_cut_a_word_at_any_width_or_type_size() {
        let mut checked = 0;
        for (set, names) in name_sets() {
            let nodes = names.len();
            for scale in [1.0, SMALL_SCREEN_TEXT, PROJECTOR_TEXT] {
                let asked = HEADER_PX * scale;
                for width in 280..=1920 {
                    let width = f64::from(width);
                    let headers = lifeline_headers(width, nodes, &names, asked);
                    let at = format!("{set} at {width} px, type ×{scale:.2}");
                    assert!(
                        (MIN_HEADER_PX..=asked).contains(&headers.font_px),
                        "{at}: {} px",
                        headers.font_px
                    );
                    assert_eq!(headers.headers.len(), nodes, "{at}");
                    let boxes: Vec<(f64, f64, String)> = headers
                        .headers
                        .iter()
                        .map(|h| (h.x, header_width(&h.text, headers.font_px), h.text.clone()))
                        .collect();
                    if let Some(problem) = overlap(&boxes, width, HEADER_GAP) {
                        panic!("{at}: {problem}");
                    }
                    for (index, header) in headers.headers.iter().enumerate() {
                        assert_eq!(header.full, names[index], "{at}: the full name is kept");
                        let node = NodeId(index as u8);
                        if let Some(problem) =
                            not_a_sensible_shortening(&header.text, &names[index], node)
                        {
                            panic!("{at}: {problem}");
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked} layouts");
    }

    #[test]
    fn full_names_as_drawn_before_ran_into_each_other() {
        // The "ock service (AStorage (B)": gc-pause-fencing's four full names, each
        // centred on its column at 16 px, meet on a timeline a few hundred pixels wide (the
        // canvas beside the topology in a window of 640 to 820 px). The check sees it.
        let scenario = scenarios::by_id("gc-pause-fencing").expect("preset");
        let names = scenarios::start(&scenario).expect("starts").node_names();
        assert_eq!(names[..2], ["Lock service (A)", "Storage (B)"]);
        let full = |width: f64| -> Vec<(f64, f64, String)> {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        width / 4.0 * (i as f64 + 0.5),
                        header_width(n, HEADER_PX),
                        n.clone(),
                    )
                })
                .collect()
        };
        assert!(overlap(&full(400.0), 400.0, 0.0).is_some());
        let headers = lifeline_headers(400.0, 4, &names, HEADER_PX);
        assert_eq!(headers.headers[0].text, "A");
        assert!(lifeline_headers(1000.0, 4, &names, HEADER_PX)
            .headers
            .iter()
            .all(|h| h.text == h.full));
    }

    #[test]
    fn the_check_refuses_mid_word_cuts() {
        let full = "Lock service (A)";
        assert!(not_a_sensible_shortening("Lock… (A)", full, NodeId(0)).is_none());
        assert!(not_a_sensible_shortening("A", full, NodeId(0)).is_none());
        assert!(not_a_sensible_shortening("Lock ser… (A)", full, NodeId(0)).is_some());
        assert!(not_a_sensible_shortening("ock service (A)", full, NodeId(0)).is_some());
        assert!(not_a_sensible_shortening("Lock…", full, NodeId(0)).is_some());
    }
}
