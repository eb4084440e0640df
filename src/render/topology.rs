//! The topology layout: nodes on a circle with their status, role and clocks; links drawn by
//! state; messages in flight placed along their links. Also the geometry behind the gestures:
//! which links a knife stroke crosses, and which node or link is under a point.

use crate::sim::{link_note, ClusterView, Micros, Model, MsgId, NodeId, NodeStatus, Simulation};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TopologyView {
    pub width: f64,
    pub height: f64,
    /// Type size multiplier (projector mode): labels need more room around the ring.
    pub text_scale: f64,
}

impl TopologyView {
    pub fn new(width: f64, height: f64) -> TopologyView {
        TopologyView {
            width,
            height,
            text_scale: 1.0,
        }
    }

    /// Small views (iframes) get one-line clock readouts and tighter margins.
    pub fn compact(&self) -> bool {
        self.width.min(self.height) < 260.0
    }

    /// Room kept above the top node (its role label and clock readout), below the lowest (its
    /// readout, clear of the true-time caption) and beside the side nodes (their readouts),
    /// beyond the nodes' discs: readouts sit straight out from the ring (see
    /// [`super::topology_labels`]).
    fn margins(&self) -> (f64, f64, f64) {
        let (top, bottom, side) = if self.compact() {
            (16.0, 42.0, 24.0)
        } else {
            (72.0, 56.0, 96.0)
        };
        let scale = self.text_scale.clamp(1.0, 3.0);
        (top * scale, bottom * scale, side * scale)
    }

    fn center(&self) -> (f64, f64) {
        let (top, bottom, _) = self.margins();
        let band = (self.height - top - bottom).max(0.0);
        (self.width / 2.0, top + band / 2.0)
    }

    /// The circle the nodes sit on: as large as the room left for labels allows. A disc
    /// reaches at most 0.3 of the ring beyond it (see [`TopologyView::node_radius`]).
    fn ring(&self) -> f64 {
        let (top, bottom, side) = self.margins();
        let room = ((self.width / 2.0 - side) / 1.3).min((self.height - top - bottom) / 2.6);
        room.max(self.width.min(self.height) * 0.15)
    }

    /// A node's drawn radius: large enough to read, small enough not to touch its neighbours.
    pub fn node_radius(&self, nodes: usize) -> f64 {
        let spacing = std::f64::consts::TAU * self.ring() / nodes.max(1) as f64;
        (spacing * 0.3).min(self.ring() * 0.3).max(8.0)
    }
}

/// The state of the two links between a pair of nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Up,
    Down,
    /// Only `from → to` is down.
    OneWayDown {
        from: NodeId,
        to: NodeId,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum TopoShape {
    /// The pair `a < b` and the state of both directions.
    Link {
        a: NodeId,
        b: NodeId,
        from: (f64, f64),
        to: (f64, f64),
        state: LinkState,
        /// What is unusual about the pair's loss and duplication, in words ("10 % lost · 5 %
        /// twice", or per direction), when either direction has its own.
        note: Option<String>,
    },
    Node {
        node: NodeId,
        center: (f64, f64),
        radius: f64,
        status: NodeStatus,
        leader: bool,
        /// The node's own wall-clock reading, beside true time, so skew is visible.
        time_of_day: i64,
        true_time: Micros,
    },
    Message {
        id: MsgId,
        position: (f64, f64),
        doomed: bool,
    },
}

/// A point on the canvas, px.
pub type Point = (f64, f64);

/// One direction of a link whose other direction is cut: each runs on its own side (as its
/// messages do), dashed when cut, and ends in an arrowhead at the node it runs to, so which way
/// is cut reads from the picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lane {
    pub from: Point,
    pub to: Point,
    pub up: bool,
    /// The arrowhead: its tip, just outside the receiving node's disc (and a leader's ring),
    /// then the two corners of its base.
    pub head: [Point; 3],
}

/// How far each lane of a one-way cut runs beside the link's centre line, px.
pub const LANE_OFFSET: f64 = 5.0;
/// An arrowhead's length and half its width, px.
const HEAD: (f64, f64) = (11.0, 5.5);

/// The lane from `from` to `to`: offset to its own side, its arrowhead stopping short of the
/// receiving node's disc (`radius`).
fn lane(from: Point, to: Point, up: bool, radius: f64) -> Lane {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / length, dy / length);
    // To the lane's own side: messages from `from` to `to` glide on the same side.
    let (ox, oy) = (-uy * LANE_OFFSET, ux * LANE_OFFSET);
    let (from, to) = ((from.0 + ox, from.1 + oy), (to.0 + ox, to.1 + oy));
    // Clear of the disc and of a leader's ring around it (5 px wide, 5 px out).
    let back = (radius + 9.0).min(length / 2.0);
    let tip = (to.0 - ux * back, to.1 - uy * back);
    let base = (tip.0 - ux * HEAD.0, tip.1 - uy * HEAD.0);
    let (wx, wy) = (-uy * HEAD.1, ux * HEAD.1);
    Lane {
        from,
        to,
        up,
        head: [tip, (base.0 + wx, base.1 + wy), (base.0 - wx, base.1 - wy)],
    }
}

/// The two lanes of a link cut one way (`None` for a link up or down both ways), `a → b` first:
/// the link from `from` (node `a`) to `to`, nodes drawn `radius` px.
pub fn one_way_lanes(
    a: NodeId,
    from: Point,
    to: Point,
    state: LinkState,
    radius: f64,
) -> Option<[Lane; 2]> {
    let LinkState::OneWayDown { from: cut, .. } = state else {
        return None;
    };
    let a_to_b_up = cut != a;
    Some([
        lane(from, to, a_to_b_up, radius),
        lane(to, from, !a_to_b_up, radius),
    ])
}

/// Where a node sits: evenly on a circle, the first at the top, going clockwise.
pub fn node_position(view: &TopologyView, nodes: usize, node: NodeId) -> (f64, f64) {
    let (cx, cy) = view.center();
    let angle = -std::f64::consts::FRAC_PI_2
        + std::f64::consts::TAU * node.index() as f64 / nodes.max(1) as f64;
    let (cos, sin) = super::turn::cos_sin(angle);
    (cx + view.ring() * cos, cy + view.ring() * sin)
}

/// Lays out the cluster as it stands at the simulation's current step.
pub fn topology<M: Model>(sim: &Simulation<M>, view: &TopologyView) -> Vec<TopoShape> {
    topology_at(&sim.cluster(), view, sim.now())
}

/// [`topology`] with messages and clocks shown at true time `time` (no earlier than the current
/// step): between two events playback glides messages along their links.
pub fn topology_at(cluster: &ClusterView, view: &TopologyView, time: Micros) -> Vec<TopoShape> {
    let n = cluster.nodes.len();
    let at = |node: NodeId| node_position(view, n, node);
    let network = cluster.network;
    let mut shapes = Vec::new();
    for a in (0..n as u8).map(NodeId) {
        for b in (a.0 + 1..n as u8).map(NodeId) {
            let state = match (network.is_up(a, b), network.is_up(b, a)) {
                (true, true) => LinkState::Up,
                (false, false) => LinkState::Down,
                (false, true) => LinkState::OneWayDown { from: a, to: b },
                (true, false) => LinkState::OneWayDown { from: b, to: a },
            };
            shapes.push(TopoShape::Link {
                a,
                b,
                from: at(a),
                to: at(b),
                state,
                note: link_note(network, a, b),
            });
        }
    }
    let now = time.max(cluster.now);
    let radius = view.node_radius(n);
    for message in &cluster.in_flight {
        let (from, to) = (at(message.from), at(message.to));
        let span = message.due.saturating_sub(message.sent).max(1) as f64;
        let mut fraction = (now.saturating_sub(message.sent) as f64 / span).min(1.0);
        if message.doomed {
            // A lost message dies halfway: `due` is when it dies.
            fraction *= 0.5;
        }
        // Each direction runs a little to its own side, so crossing messages do not overlap.
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let offset = radius * 0.25;
        let (ox, oy) = (-dy / length * offset, dx / length * offset);
        let position = (from.0 + dx * fraction + ox, from.1 + dy * fraction + oy);
        shapes.push(TopoShape::Message {
            id: message.id,
            position,
            doomed: message.doomed,
        });
    }
    for (index, &(status, clock)) in cluster.nodes.iter().enumerate() {
        let node = NodeId(index as u8);
        shapes.push(TopoShape::Node {
            node,
            center: at(node),
            radius,
            status,
            leader: cluster.leads(node),
            time_of_day: clock.time_of_day(now),
            true_time: now,
        });
    }
    shapes
}

/// The least radius (CSS px) a node answers a tap within, drawn smaller or not: a 44 px target.
pub const NODE_TARGET_RADIUS: f64 = 22.0;

/// The node under (x, y), if any: the nearest within its drawn radius, or within
/// [`NODE_TARGET_RADIUS`] where it is drawn smaller, so a finger finds it.
pub fn node_at(view: &TopologyView, nodes: usize, x: f64, y: f64) -> Option<NodeId> {
    let radius = view.node_radius(nodes).max(NODE_TARGET_RADIUS);
    (0..nodes as u8)
        .map(NodeId)
        .map(|node| {
            let (cx, cy) = node_position(view, nodes, node);
            (node, (cx - x).powi(2) + (cy - y).powi(2))
        })
        .filter(|&(_, distance2)| distance2 <= radius * radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(node, _)| node)
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0)
    };
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

/// The link (pair `a < b`) nearest to (x, y) within `tolerance` px, outside the nodes.
pub fn link_at(
    view: &TopologyView,
    nodes: usize,
    x: f64,
    y: f64,
    tolerance: f64,
) -> Option<(NodeId, NodeId)> {
    if node_at(view, nodes, x, y).is_some() {
        return None;
    }
    let mut best: Option<(f64, (NodeId, NodeId))> = None;
    for a in (0..nodes as u8).map(NodeId) {
        for b in (a.0 + 1..nodes as u8).map(NodeId) {
            let d = distance_to_segment(
                (x, y),
                node_position(view, nodes, a),
                node_position(view, nodes, b),
            );
            if d <= tolerance && best.is_none_or(|(best_d, _)| d < best_d) {
                best = Some((d, (a, b)));
            }
        }
    }
    best.map(|(_, pair)| pair)
}

/// Which side of the line through `a` and `b` the point `p` lies on.
fn orientation(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> f64 {
    (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)
}

fn segments_cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let (d1, d2) = (orientation(q1, q2, p1), orientation(q1, q2, p2));
    let (d3, d4) = (orientation(p1, p2, q1), orientation(p1, p2, q2));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// Every link (pair `a < b`) a knife stroke through `points` crosses: the links it cuts.
pub fn links_crossed(
    view: &TopologyView,
    nodes: usize,
    points: &[(f64, f64)],
) -> Vec<(NodeId, NodeId)> {
    let mut crossed = Vec::new();
    for a in (0..nodes as u8).map(NodeId) {
        for b in (a.0 + 1..nodes as u8).map(NodeId) {
            let (pa, pb) = (node_position(view, nodes, a), node_position(view, nodes, b));
            if points
                .windows(2)
                .any(|w| segments_cross(w[0], w[1], pa, pb))
            {
                crossed.push((a, b));
            }
        }
    }
    crossed
}

/// A node's clock readout: its time-of-day reading, and how far it is from true time (see
/// [`crate::sim::units::signed_duration`]; `0 ms` when on time).
pub fn clock_readout(time_of_day: i64, true_time: Micros) -> (String, String) {
    clock_readouts(&[(time_of_day, true_time)])
        .pop()
        .unwrap_or_default()
}

/// Every node's clock readout (time of day and true time, in node order), read side by side:
/// skews a millisecond or more apart never read the same (see
/// [`crate::sim::units::signed_durations`]), so lww-clock-skew's A reads `+41.994 s` beside C's
/// `+41.973 s`, not `+42.0 s` beside `+42.0 s`.
pub fn clock_readouts(clocks: &[(i64, Micros)]) -> Vec<(String, String)> {
    let skews: Vec<i64> = clocks
        .iter()
        .map(|&(time_of_day, true_time)| {
            time_of_day.saturating_sub(true_time.min(i64::MAX as u64) as i64)
        })
        .collect();
    clocks
        .iter()
        .zip(crate::sim::units::signed_durations(&skews))
        .map(|(&(time_of_day, _), skew)| (signed_seconds(time_of_day), skew))
        .collect()
}

/// The clocks of a layout's nodes, in node order, as [`clock_readouts`] reads them.
pub fn node_clocks(shapes: &[TopoShape]) -> Vec<(i64, Micros)> {
    let mut clocks = Vec::new();
    for shape in shapes {
        if let TopoShape::Node {
            node,
            time_of_day,
            true_time,
            ..
        } = *shape
        {
            if clocks.len() <= node.index() {
                clocks.resize(node.index() + 1, (0, 0));
            }
            clocks[node.index()] = (time_of_day, true_time);
        }
    }
    clocks
}

/// µs as seconds with millisecond precision; negative readings keep their sign.
fn signed_seconds(us: i64) -> String {
    let sign = if us < 0 { "−" } else { "" };
    let magnitude = us.unsigned_abs();
    format!(
        "{sign}{}.{:03} s",
        magnitude / 1_000_000,
        magnitude % 1_000_000 / 1_000
    )
}

#[cfg(test)]
mod readout_tests {
    use super::clock_readout;

    #[test]
    fn readouts_show_the_reading_and_the_skew() {
        assert_eq!(
            clock_readout(1_262_345, 1_250_000),
            ("1.262 s".into(), "+12 ms".into())
        );
        assert_eq!(
            clock_readout(1_000_000, 1_000_000),
            ("1.000 s".into(), "0 ms".into())
        );
        assert_eq!(
            clock_readout(-2_500, 1_000),
            ("−0.002 s".into(), "−3.5 ms".into())
        );
        assert_eq!(
            clock_readout(43_244_000, 1_250_000),
            ("43.244 s".into(), "+42.0 s".into())
        );
        assert_eq!(clock_readout(0, u64::MAX).1.chars().next(), Some('−'));
    }

    #[test]
    fn readouts_side_by_side_tell_milliseconds_apart() {
        // lww-clock-skew at 10 ms: A is 4 ms ahead of B, 21 ms ahead of C.
        let at = 10_000;
        let clocks = [41_994_000, 41_990_000, 41_973_000].map(|offset| (offset + at as i64, at));
        let skews: Vec<String> = super::clock_readouts(&clocks)
            .into_iter()
            .map(|(_, skew)| skew)
            .collect();
        assert_eq!(skews, ["+41.994 s", "+41.990 s", "+41.973 s"]);
    }
}
