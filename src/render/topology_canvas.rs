//! The thin topology painter: links by state, messages in flight, nodes with status, role
//! and clock readouts. Shapes of one style are batched into one path.

use web_sys::CanvasRenderingContext2d;

use super::canvas::{batch, dot, js_sys_array};
use super::palette::Palette;
use super::topology::{
    clock_readouts, node_clocks, one_way_lanes, Lane, LinkState, TopoShape, TopologyView,
};
use super::topology_labels::{clock_font_px, own_name, place_named_labels};
use crate::detect::seconds;
use crate::sim::units::signed_duration;
use crate::sim::{NodeId, NodeStatus};

/// Paints the cluster. `names[i]` labels node `i`.
pub fn paint_topology(
    context: &CanvasRenderingContext2d,
    shapes: &[TopoShape],
    view: &TopologyView,
    names: &[String],
    palette: &Palette,
) {
    // As for the timeline: no drawing state leaks from one frame into the next.
    context.save();
    context.set_fill_style_str(palette.background);
    context.fill_rect(0.0, 0.0, view.width, view.height);
    let radius = shapes
        .iter()
        .find_map(|s| match *s {
            TopoShape::Node { radius, .. } => Some(radius),
            _ => None,
        })
        .unwrap_or(0.0);
    let lanes = |a, from, to, state| one_way_lanes(a, from, to, state, radius);
    paint_links(context, shapes, palette, &lanes);
    paint_link_notes(context, shapes, palette);
    paint_messages(context, shapes, palette);
    paint_nodes(context, shapes, names, palette, view);
    if let Some(now) = shapes.iter().find_map(|s| match *s {
        TopoShape::Node { true_time, .. } => Some(true_time),
        _ => None,
    }) {
        // Bottom left: the top node's role label sits where a top-left caption would.
        context.set_fill_style_str(palette.ink);
        context.set_font(&palette.font(600, 14.0));
        context.set_text_align("left");
        let _ = context.fill_text(
            &format!("true time {}", seconds(now)),
            8.0,
            view.height - 8.0,
        );
    }
    context.restore();
}

type Point = (f64, f64);

/// How a link segment is added to the current path.
type Draw<'a> = &'a dyn Fn(&CanvasRenderingContext2d, Point, Point);

/// The lanes of a link cut one way (see [`one_way_lanes`]), at the layout's node size.
type Lanes<'a> = &'a dyn Fn(NodeId, Point, Point, LinkState) -> Option<[Lane; 2]>;

fn paint_links(
    context: &CanvasRenderingContext2d,
    shapes: &[TopoShape],
    palette: &Palette,
    lanes: Lanes,
) {
    context.set_line_width(2.5);
    batch(context, shapes, false, palette.lifeline, |c, s| match *s {
        TopoShape::Link {
            from,
            to,
            state: LinkState::Up,
            ..
        } => {
            c.move_to(from.0, from.1);
            c.line_to(to.0, to.1);
            true
        }
        TopoShape::Link {
            a, from, to, state, ..
        } => lanes(a, from, to, state).is_some_and(|lanes| {
            for lane in lanes.into_iter().filter(|l| l.up) {
                c.move_to(lane.from.0, lane.from.1);
                c.line_to(lane.to.0, lane.to.1);
            }
            true
        }),
        _ => false,
    });
    // Cut directions: dashed, with a cross at the middle.
    let _ = context.set_line_dash(&js_sys_array(&[7.0, 5.0]));
    let cut_segments = |c: &CanvasRenderingContext2d, s: &TopoShape, with: Draw| match *s {
        TopoShape::Link {
            from,
            to,
            state: LinkState::Down,
            ..
        } => {
            with(c, from, to);
            true
        }
        TopoShape::Link {
            a, from, to, state, ..
        } => lanes(a, from, to, state).is_some_and(|lanes| {
            for lane in lanes.into_iter().filter(|l| !l.up) {
                with(c, lane.from, lane.to);
            }
            true
        }),
        _ => false,
    };
    batch(context, shapes, false, palette.warning, |c, s| {
        cut_segments(c, s, &|c, p, q| {
            c.move_to(p.0, p.1);
            c.line_to(q.0, q.1);
        })
    });
    let _ = context.set_line_dash(&js_sys_array(&[]));
    context.set_line_width(3.0);
    batch(context, shapes, false, palette.warning, |c, s| {
        cut_segments(c, s, &|c, p, q| {
            let (mx, my) = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
            c.move_to(mx - 6.0, my - 6.0);
            c.line_to(mx + 6.0, my + 6.0);
            c.move_to(mx + 6.0, my - 6.0);
            c.line_to(mx - 6.0, my + 6.0);
        })
    });
    // Each lane of a one-way cut ends in an arrowhead at the node it runs to: the cut one in
    // the warning colour, the one still up in the link's.
    for (up, colour) in [(true, palette.lifeline), (false, palette.warning)] {
        batch(context, shapes, true, colour, |c, s| match *s {
            TopoShape::Link {
                a, from, to, state, ..
            } => lanes(a, from, to, state).is_some_and(|lanes| {
                for [tip, left, right] in lanes.iter().filter(|l| l.up == up).map(|l| l.head) {
                    c.move_to(tip.0, tip.1);
                    c.line_to(left.0, left.1);
                    c.line_to(right.0, right.1);
                    c.close_path();
                }
                true
            }),
            _ => false,
        });
    }
}

/// A link's own loss and duplication, in words at its middle (a line per part, so labels of
/// neighbouring links stay narrow), on a plate so crossing lines do not hide them.
fn paint_link_notes(context: &CanvasRenderingContext2d, shapes: &[TopoShape], palette: &Palette) {
    let px = 12.0 * palette.text_scale;
    let line_height = px + 3.0;
    context.set_font(&palette.font(600, 12.0));
    context.set_text_align("center");
    context.set_text_baseline("middle");
    for shape in shapes {
        let TopoShape::Link {
            from,
            to,
            note: Some(note),
            ..
        } = shape
        else {
            continue;
        };
        let lines: Vec<&str> = note.split([';', '·']).map(str::trim).collect();
        let (x, y) = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
        let width = lines
            .iter()
            .map(|line| super::labels::text_width(line, px))
            .fold(0.0, f64::max);
        let height = line_height * lines.len() as f64 + 3.0;
        let top = y - height / 2.0;
        context.set_fill_style_str(palette.background);
        context.fill_rect(x - width / 2.0, top, width, height);
        context.set_fill_style_str(palette.warning);
        for (index, line) in lines.iter().enumerate() {
            let _ = context.fill_text(line, x, top + 1.5 + line_height * (index as f64 + 0.5));
        }
    }
    context.set_text_baseline("alphabetic");
}

fn paint_messages(context: &CanvasRenderingContext2d, shapes: &[TopoShape], palette: &Palette) {
    batch(context, shapes, true, palette.message, |c, s| match *s {
        TopoShape::Message {
            position,
            doomed: false,
            ..
        } => {
            dot(c, position.0, position.1, 5.0);
            true
        }
        _ => false,
    });
    // A message that will be lost: a hollow ring, not only another colour.
    context.set_line_width(2.0);
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        TopoShape::Message {
            position,
            doomed: true,
            ..
        } => {
            dot(c, position.0, position.1, 5.0);
            true
        }
        _ => false,
    });
}

fn paint_nodes(
    context: &CanvasRenderingContext2d,
    shapes: &[TopoShape],
    names: &[String],
    palette: &Palette,
    view: &TopologyView,
) {
    let disc = |status: NodeStatus| {
        move |c: &CanvasRenderingContext2d, s: &TopoShape| match *s {
            TopoShape::Node {
                center,
                radius,
                status: st,
                ..
            } if st == status => {
                dot(c, center.0, center.1, radius);
                true
            }
            _ => false,
        }
    };
    batch(
        context,
        shapes,
        true,
        palette.node,
        disc(NodeStatus::Running),
    );
    batch(
        context,
        shapes,
        true,
        palette.pause,
        disc(NodeStatus::Paused),
    );
    batch(
        context,
        shapes,
        true,
        palette.crashed,
        disc(NodeStatus::Crashed),
    );
    context.set_line_width(2.0);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        TopoShape::Node { center, radius, .. } => {
            dot(c, center.0, center.1, radius);
            true
        }
        _ => false,
    });
    // The leader wears a thick outer ring.
    context.set_line_width(5.0);
    batch(context, shapes, false, palette.leader, |c, s| match *s {
        TopoShape::Node {
            center,
            radius,
            leader: true,
            ..
        } => {
            dot(c, center.0, center.1, radius + 5.0);
            true
        }
        _ => false,
    });
    // Crashed nodes are crossed out, paused ones carry pause bars: status by shape too.
    context.set_line_width(3.0);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        TopoShape::Node {
            center: (x, y),
            radius,
            status: NodeStatus::Crashed,
            ..
        } => {
            let h = radius * 0.7;
            c.move_to(x - h, y - h);
            c.line_to(x + h, y + h);
            c.move_to(x + h, y - h);
            c.line_to(x - h, y + h);
            true
        }
        _ => false,
    });
    batch(context, shapes, true, palette.ink, |c, s| match *s {
        TopoShape::Node {
            center: (x, y),
            radius,
            status: NodeStatus::Paused,
            ..
        } => {
            let (w, h) = (radius * 0.18, radius * 0.7);
            c.rect(x + radius * 0.35, y - h / 2.0, w, h);
            c.rect(x + radius * 0.35 + w * 1.8, y - h / 2.0, w, h);
            true
        }
        _ => false,
    });
    paint_node_labels(context, shapes, names, palette, view);
}

/// Text with a halo in the background colour, readable over links.
fn label(context: &CanvasRenderingContext2d, text: &str, x: f64, y: f64) {
    let _ = context.stroke_text(text, x, y);
    let _ = context.fill_text(text, x, y);
}

fn paint_node_labels(
    context: &CanvasRenderingContext2d,
    shapes: &[TopoShape],
    names: &[String],
    palette: &Palette,
    view: &TopologyView,
) {
    context.set_text_align("center");
    context.set_stroke_style_str(palette.background);
    context.set_line_width(4.0);
    context.set_line_join("round");
    let nodes = shapes
        .iter()
        .filter(|s| matches!(s, TopoShape::Node { .. }))
        .count();
    // Clock readouts go outside the ring where they fit, headed by the node's name where the
    // scenario gives one; the rest are left to the node's menu and the inspector (see
    // `topology_labels`). The disc carries the letter, the short form.
    let own: Vec<Option<&str>> = (0..nodes)
        .map(|n| own_name(names.get(n).map(String::as_str), NodeId(n as u8)))
        .collect();
    let chars: Vec<usize> = own
        .iter()
        .map(|n| n.map_or(0, |n| n.chars().count()))
        .collect();
    let readouts = place_named_labels(view, nodes, &chars);
    // Read side by side, so clocks a millisecond or more apart never read the same.
    let clocks = clock_readouts(&node_clocks(shapes));
    let on_time = signed_duration(0);
    for shape in shapes {
        let TopoShape::Node {
            node,
            center: (x, y),
            radius,
            status,
            leader,
            ..
        } = *shape
        else {
            continue;
        };
        let name = node.to_string();
        let size = (radius * 0.8).clamp(12.0, 30.0);
        // A paused node's disc is yellow in both themes: its name stays dark to be read.
        let on_disc = if status == NodeStatus::Paused {
            super::palette::LIGHT.ink
        } else {
            palette.ink
        };
        context.set_fill_style_str(on_disc);
        context.set_font(&palette.font(700, size));
        let _ = context.fill_text(&name, x, y + size * palette.text_scale * 0.35);
        let small = clock_font_px(view, radius);
        context.set_fill_style_str(palette.ink);
        if let (Some(Some(readout)), Some((reading, skew))) =
            (readouts.get(node.index()), clocks.get(node.index()))
        {
            if let (Some(baseline), Some(Some(own))) =
                (readout.name_baseline, own.get(node.index()))
            {
                context.set_font(&palette.font(700, small));
                label(context, own, readout.center_x, baseline);
            }
            // The clock on one line, its distance from true time beneath: skew at a glance.
            context.set_font(&palette.font(600, small));
            label(context, reading, readout.center_x, readout.baselines[0]);
            context.set_font(&palette.font(500, small));
            if *skew != on_time {
                context.set_fill_style_str(palette.warning);
            }
            label(context, skew, readout.center_x, readout.baselines[1]);
            context.set_fill_style_str(palette.ink);
        }
        let role = match (status, leader) {
            (NodeStatus::Crashed, _) => "crashed",
            (NodeStatus::Paused, _) => "paused",
            (_, true) => "leader",
            _ => "",
        };
        if !role.is_empty() {
            context.set_font(&palette.font(700, small));
            label(context, role, x, y - radius - 9.0);
        }
    }
}

/// The trail of a knife stroke in progress.
pub fn paint_knife(context: &CanvasRenderingContext2d, points: &[(f64, f64)], palette: &Palette) {
    let Some((&first, rest)) = points.split_first() else {
        return;
    };
    context.begin_path();
    context.move_to(first.0, first.1);
    for &(x, y) in rest {
        context.line_to(x, y);
    }
    context.set_line_width(3.0);
    let _ = context.set_line_dash(&js_sys_array(&[8.0, 5.0]));
    context.set_stroke_style_str(palette.warning);
    context.stroke();
    let _ = context.set_line_dash(&js_sys_array(&[]));
}
