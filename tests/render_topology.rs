//! The topology layout and the geometry behind link-cutting gestures.
#![cfg(not(target_arch = "wasm32"))]

use faultline::models::election::Election;
use faultline::render::drawn::Drawn;
use faultline::render::topology::{
    clock_readouts, link_at, links_crossed, node_at, node_clocks, node_position, one_way_lanes,
    topology, Lane, LinkState, Point, TopoShape, TopologyView,
};
use faultline::scenarios;
use faultline::sim::{Command, LinkConfig, NodeId, NodeStatus, SimConfig, Simulation};

const VIEW: TopologyView = TopologyView {
    width: 600.0,
    height: 500.0,
    text_scale: 1.0,
};
const A: NodeId = NodeId(0);
const B: NodeId = NodeId(1);
const C: NodeId = NodeId(2);

fn cluster() -> Simulation<Election> {
    let config = SimConfig {
        nodes: 5,
        seed: 3,
        link: LinkConfig {
            jitter_us: 0,
            ..LinkConfig::default()
        },
        clocks: Vec::new(),
        links: Vec::new(),
    };
    Simulation::new(Election::default(), config).unwrap()
}

#[test]
fn nodes_sit_evenly_on_a_circle_starting_at_the_top() {
    let positions: Vec<_> = (0..5).map(|i| node_position(&VIEW, 5, NodeId(i))).collect();
    // A regular polygon's centroid is its circle's centre.
    let center = (
        positions.iter().map(|p| p.0).sum::<f64>() / 5.0,
        positions.iter().map(|p| p.1).sum::<f64>() / 5.0,
    );
    assert!((center.0 - 300.0).abs() < 1e-9, "centred across the view");
    let radius = |p: (f64, f64)| ((p.0 - center.0).powi(2) + (p.1 - center.1).powi(2)).sqrt();
    assert!(positions
        .iter()
        .all(|&p| (radius(p) - radius(positions[0])).abs() < 1e-9));
    assert!(
        (positions[0].0 - 300.0).abs() < 1e-9 && positions[0].1 < center.1,
        "A at the top"
    );
    assert!(positions[1].0 > 300.0, "then clockwise");
    for i in 0..5 {
        let (p, q) = (positions[i], positions[(i + 1) % 5]);
        let gap = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
        assert!(
            (gap - ((positions[0].0 - positions[1].0).powi(2)
                + (positions[0].1 - positions[1].1).powi(2))
            .sqrt())
            .abs()
                < 1e-9
        );
    }
}

#[test]
fn links_nodes_and_messages_show_the_cluster_as_it_stands() {
    let mut sim = cluster();
    sim.apply(Command::CutLink { from: A, to: B }).unwrap();
    sim.apply(Command::CutBoth { a: A, b: C }).unwrap();
    sim.run_until(50_000);
    sim.apply(Command::Crash { node: NodeId(4) }).unwrap();
    let shapes = topology(&sim, &VIEW);
    let link = |a: NodeId, b: NodeId| {
        shapes.iter().find_map(|s| match *s {
            TopoShape::Link {
                a: x, b: y, state, ..
            } if (x, y) == (a, b) => Some(state),
            _ => None,
        })
    };
    assert_eq!(link(A, B), Some(LinkState::OneWayDown { from: A, to: B }));
    assert_eq!(link(A, C), Some(LinkState::Down));
    assert_eq!(link(B, C), Some(LinkState::Up));
    assert_eq!(
        shapes
            .iter()
            .filter(|s| matches!(s, TopoShape::Link { .. }))
            .count(),
        10
    );
    let nodes: Vec<_> = shapes
        .iter()
        .filter_map(|s| match *s {
            TopoShape::Node {
                node,
                status,
                leader,
                ..
            } => Some((node, status, leader)),
            _ => None,
        })
        .collect();
    assert_eq!(nodes.len(), 5);
    assert!(
        nodes.contains(&(A, NodeStatus::Running, true)),
        "A leads: {nodes:?}"
    );
    assert!(nodes.contains(&(NodeId(4), NodeStatus::Crashed, false)));
    // Messages in flight lie between their ends, as far along as time has gone.
    let messages: Vec<_> = shapes
        .iter()
        .filter_map(|s| match *s {
            TopoShape::Message { id, position, .. } => Some((id, position)),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), sim.in_flight().count());
    for (id, position) in messages {
        let m = sim.in_flight().find(|m| m.id == id).unwrap();
        let (from, to) = (
            node_position(&VIEW, 5, m.from),
            node_position(&VIEW, 5, m.to),
        );
        let along = ((position.0 - from.0) * (to.0 - from.0)
            + (position.1 - from.1) * (to.1 - from.1))
            / ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2));
        let mut expected = (sim.now() - m.sent) as f64 / (m.due - m.sent) as f64;
        if m.doomed {
            expected *= 0.5;
        }
        assert!(
            (along - expected).abs() < 1e-9,
            "message {id:?}: {along} vs {expected}"
        );
    }
}

#[test]
fn pointing_finds_nodes_and_links() {
    let a = node_position(&VIEW, 5, A);
    let b = node_position(&VIEW, 5, B);
    assert_eq!(node_at(&VIEW, 5, a.0 + 3.0, a.1 - 3.0), Some(A));
    assert_eq!(node_at(&VIEW, 5, 300.0, 250.0), None, "the centre is empty");
    let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    assert_eq!(
        link_at(&VIEW, 5, middle.0 + 2.0, middle.1, 6.0),
        Some((A, B))
    );
    assert_eq!(
        link_at(&VIEW, 5, a.0, a.1, 6.0),
        None,
        "on a node, not a link"
    );
}

#[test]
fn a_knife_stroke_cuts_exactly_the_links_it_crosses() {
    // From outside the circle between E and A to outside between B and C: {A, B} | {C, D, E}.
    let at = |degrees: f64| {
        let angle = degrees.to_radians();
        (300.0 + 250.0 * angle.cos(), 250.0 + 250.0 * angle.sin())
    };
    let stroke = [at(-126.0), (300.0, 200.0), at(18.0)];
    let mut cut = links_crossed(&VIEW, 5, &stroke);
    cut.sort();
    let expected: Vec<(NodeId, NodeId)> = [(0, 2), (0, 3), (0, 4), (1, 2), (1, 3), (1, 4)]
        .iter()
        .map(|&(a, b)| (NodeId(a), NodeId(b)))
        .collect();
    assert_eq!(cut, expected);
    assert!(
        links_crossed(&VIEW, 5, &[(0.0, 0.0), (10.0, 10.0)]).is_empty(),
        "a stroke in a corner cuts nothing"
    );
}

#[test]
fn links_with_their_own_loss_and_duplication_say_so_at_their_middle() {
    let mut config = cluster().config().clone();
    let lossy = LinkConfig {
        loss: 0.1,
        duplication: 0.05,
        ..config.link
    };
    let own = |from, to, config| faultline::sim::LinkSetting { from, to, config };
    config.links = vec![
        own(B, A, lossy),
        own(A, B, lossy),
        own(
            C,
            A,
            LinkConfig {
                duplication: 0.0,
                ..lossy
            },
        ),
    ];
    let mut sim = Simulation::new(Election::default(), config).unwrap();
    let note = |sim: &Simulation<Election>, a: NodeId, b: NodeId| {
        topology(sim, &VIEW)
            .into_iter()
            .find_map(|shape| match shape {
                TopoShape::Link {
                    a: x, b: y, note, ..
                } if (x, y) == (a, b) => Some(note),
                _ => None,
            })
    };
    assert_eq!(
        note(&sim, A, B),
        Some(Some("10 % lost · 5 % twice".to_string()))
    );
    assert_eq!(note(&sim, A, C), Some(Some("C→A 10 % lost".to_string())));
    assert_eq!(
        note(&sim, B, C),
        Some(None),
        "an ordinary link says nothing"
    );
    // A link changed by a command says so too; one set back to the usual says nothing.
    let usual = sim.config().link;
    sim.apply(Command::SetLink {
        from: B,
        to: C,
        config: LinkConfig { loss: 0.5, ..usual },
    })
    .unwrap();
    assert_eq!(note(&sim, B, C), Some(Some("B→C 50 % lost".to_string())));
    sim.apply(Command::SetLink {
        from: B,
        to: C,
        config: usual,
    })
    .unwrap();
    assert_eq!(note(&sim, B, C), Some(None));
}

#[test]
fn a_finger_finds_a_small_node_within_a_44_px_target_and_the_nearest_wins() {
    use faultline::render::topology::NODE_TARGET_RADIUS;
    // Sixteen nodes on a phone-sized view are drawn smaller than a fingertip.
    let phone = TopologyView {
        width: 360.0,
        height: 420.0,
        ..VIEW
    };
    let drawn = phone.node_radius(16);
    assert!(drawn < NODE_TARGET_RADIUS, "drawn {drawn} px");
    let c = node_position(&phone, 16, C);
    let off = (drawn + NODE_TARGET_RADIUS) / 2.0;
    assert_eq!(node_at(&phone, 16, c.0 + off, c.1), Some(C));
    assert_eq!(
        node_at(&phone, 16, c.0 + NODE_TARGET_RADIUS + 1.0, c.1),
        None
    );
    // Between two neighbours, the nearer one answers.
    let d = node_position(&phone, 16, NodeId(3));
    let near_d = (c.0 * 0.4 + d.0 * 0.6, c.1 * 0.4 + d.1 * 0.6);
    assert_eq!(node_at(&phone, 16, near_d.0, near_d.1), Some(NodeId(3)));
}

/// Pairs of nodes whose values are a millisecond or more apart but read the same.
fn same_reading(values: &[i64], texts: &[String]) -> Option<String> {
    for i in 0..values.len() {
        for j in i + 1..values.len() {
            if values[i].abs_diff(values[j]) >= 1_000 && texts[i] == texts[j] {
                return Some(format!(
                    "{} and {} are {} µs apart and both read {:?}",
                    NodeId(i as u8),
                    NodeId(j as u8),
                    values[i].abs_diff(values[j]),
                    texts[i]
                ));
            }
        }
    }
    None
}

#[test]
fn in_every_preset_clocks_a_millisecond_apart_never_read_the_same() {
    let mut looks = 0;
    for preset in scenarios::all() {
        for fix in [false, true] {
            let scenario = preset.clone().with_fix(fix);
            let mut live = scenarios::start(&scenario).expect("starts");
            let every = (live.duration() / 40).max(1);
            loop {
                // The topology's readouts: each clock's skew from true time.
                let shapes = live.topology(&VIEW, live.now());
                let clocks = node_clocks(&shapes);
                let skews: Vec<i64> = clocks.iter().map(|&(t, now)| t - now as i64).collect();
                let texts: Vec<String> = clock_readouts(&clocks)
                    .into_iter()
                    .map(|(_, skew)| skew)
                    .collect();
                if let Some(clash) = same_reading(&skews, &texts) {
                    panic!("{} at {} µs, topology: {clash}", scenario.id, live.now());
                }
                // The inspector's (and the node menu's) offsets.
                let summaries: Vec<_> = (0..live.node_count())
                    .map(|n| live.node_summary(NodeId(n)).expect("a node"))
                    .collect();
                let offsets: Vec<i64> = summaries.iter().map(|s| s.offset_us).collect();
                let texts: Vec<String> = summaries.iter().map(|s| s.offset.clone()).collect();
                if let Some(clash) = same_reading(&offsets, &texts) {
                    panic!("{} at {} µs, inspector: {clash}", scenario.id, live.now());
                }
                looks += 1;
                if live.finished() {
                    break;
                }
                live.advance_to(live.now() + every);
            }
        }
    }
    assert!(looks > 500, "{looks} looks");
}

#[test]
fn lww_clock_skew_shows_a_ahead_of_c_by_milliseconds() {
    let scenario = scenarios::by_id("lww-clock-skew").expect("preset");
    let mut live = scenarios::start(&scenario).expect("starts");
    live.advance_to(10_000);
    let shapes = live.topology(&VIEW, live.now());
    let skews: Vec<String> = clock_readouts(&node_clocks(&shapes))
        .into_iter()
        .map(|(_, skew)| skew)
        .collect();
    assert_eq!(skews, ["+41.994 s", "+41.990 s", "+41.973 s"]);
    assert_eq!(
        live.node_summary(A).expect("A").offset,
        "+41.994 s",
        "the inspector reads the same"
    );
}

fn distance(p: Point, q: Point) -> f64 {
    ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
}

/// Where an arrowhead points: from the middle of its base to its tip, as a unit vector.
fn pointing(lane: &Lane) -> Point {
    let [tip, left, right] = lane.head;
    let base = ((left.0 + right.0) / 2.0, (left.1 + right.1) / 2.0);
    let length = distance(tip, base);
    ((tip.0 - base.0) / length, (tip.1 - base.1) / length)
}

#[test]
fn a_one_way_cut_shows_its_direction_with_arrowheads() {
    for (cut_from, cut_to) in [(A, B), (B, A), (C, A)] {
        let mut sim = cluster();
        sim.apply(Command::CutLink {
            from: cut_from,
            to: cut_to,
        })
        .unwrap();
        let shapes = topology(&sim, &VIEW);
        let radius = VIEW.node_radius(5);
        let (a, from, to, state) = shapes
            .iter()
            .find_map(|s| match *s {
                TopoShape::Link {
                    a,
                    b,
                    from,
                    to,
                    state,
                    ..
                } if [a, b].contains(&cut_from) && [a, b].contains(&cut_to) => {
                    Some((a, from, to, state))
                }
                _ => None,
            })
            .expect("the link");
        let lanes = one_way_lanes(a, from, to, state, radius).expect("a one-way cut has lanes");
        let position = |node: NodeId| node_position(&VIEW, 5, node);
        let cut = lanes.iter().find(|l| !l.up).expect("the cut lane");
        let kept = lanes.iter().find(|l| l.up).expect("the lane still up");
        for (lane, (source, target)) in [(cut, (cut_from, cut_to)), (kept, (cut_to, cut_from))] {
            let (p, q) = (position(source), position(target));
            // The lane runs from its source to its target, beside the centre line.
            assert!(distance(lane.from, p) < 6.0 && distance(lane.to, q) < 6.0);
            // Its arrowhead points at the target: its tip just outside the target's disc.
            let along = ((q.0 - p.0) / distance(p, q), (q.1 - p.1) / distance(p, q));
            let direction = pointing(lane);
            assert!(
                direction.0 * along.0 + direction.1 * along.1 > 0.999,
                "{source}→{target}: the head points {direction:?}, the lane runs {along:?}"
            );
            let tip = lane.head[0];
            let gap = distance(tip, q);
            assert!(
                gap > radius && gap < radius + 12.0,
                "{source}→{target}: the tip is {gap:.1} px from the target's centre (disc {radius:.1})"
            );
            assert!(
                distance(tip, p) > distance(tip, q),
                "the tip is at the target's end"
            );
        }
        // The two heads sit at opposite ends, clear of each other (each is 11 px long).
        assert!(distance(cut.head[0], kept.head[0]) > 22.0);
    }
    // A link up or cut both ways has no lanes.
    let sim = cluster();
    for shape in topology(&sim, &VIEW) {
        if let TopoShape::Link {
            a, from, to, state, ..
        } = shape
        {
            assert_eq!(one_way_lanes(a, from, to, state, 10.0), None);
        }
    }
}
