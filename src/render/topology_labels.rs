//! Where the topology's clock readouts go: outside the ring, each straight out from its node's
//! centre, clear of every node's disc and role label, of the true-time caption, of each other
//! and of the view's edges. A readout that cannot be placed so is left out (the node's menu
//! and the inspector still give its clock), so a sixteen-node ring on a phone stays
//! legible. Pure: geometry from the view alone (text widths are estimated from a fixed widest
//! readout), so a label does not come and go as its text changes.

use super::topology::{node_position, TopologyView};
use crate::sim::NodeId;

/// An axis-aligned rectangle: left, top, width, height in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// Whether the two rectangles share any area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    /// Whether the rectangle reaches inside the circle at `center` with `radius`.
    pub fn meets_circle(&self, center: (f64, f64), radius: f64) -> bool {
        let nearest_x = center.0.clamp(self.x, self.x + self.width);
        let nearest_y = center.1.clamp(self.y, self.y + self.height);
        (nearest_x - center.0).powi(2) + (nearest_y - center.1).powi(2) < radius * radius
    }

    /// Whether the rectangle lies wholly inside a `width`×`height` view.
    pub fn inside(&self, width: f64, height: f64) -> bool {
        self.x >= 0.0
            && self.y >= 0.0
            && self.x + self.width <= width
            && self.y + self.height <= height
    }
}

/// A placed clock readout: its box, and the baseline of each of its lines (the node's name when
/// the scenario names it, the reading, then its distance from true time), text centred on
/// `center_x`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClockLabel {
    pub node: NodeId,
    pub rect: Rect,
    pub center_x: f64,
    /// The name's baseline, if the node has a name of its own.
    pub name_baseline: Option<f64>,
    pub baselines: [f64; 2],
    /// Type size in CSS pixels, projector scale included.
    pub font_px: f64,
}

/// The widest readout planned for, in characters ("−999.999 s").
const READOUT_CHARS: usize = 10;
/// The role label above a node ("crashed", "leader", "paused"), at its widest.
const ROLE_CHARS: usize = 7;
/// The true-time caption in the bottom-left corner ("true time 999.999 s").
const CAPTION_CHARS: usize = 19;
/// Room between a label and what it must clear.
const GAP: f64 = 4.0;

/// Estimated width of `chars` characters of system-ui text at `px`: digits and signs run about
/// 0.55 em, so 0.62 em leaves room for bolder faces.
pub fn text_width(chars: usize, px: f64) -> f64 {
    chars as f64 * px * 0.62
}

/// The clock readouts' type size (before the projector scale): small in compact views,
/// otherwise growing with the node discs.
pub fn clock_font_px(view: &TopologyView, radius: f64) -> f64 {
    if view.compact() {
        10.0
    } else {
        (radius * 0.42).clamp(11.0, 15.0)
    }
}

/// The box of the role label drawn above a node (baseline `radius + 9` above its centre).
pub fn role_rect(view: &TopologyView, center: (f64, f64), radius: f64) -> Rect {
    let px = clock_font_px(view, radius) * view.text_scale;
    let width = text_width(ROLE_CHARS, px);
    let baseline = center.1 - radius - 9.0;
    Rect {
        x: center.0 - width / 2.0,
        y: baseline - px,
        width,
        height: px * 1.25,
    }
}

/// The box of the true-time caption (14 px type, baseline 8 px above the bottom-left corner).
fn caption_rect(view: &TopologyView) -> Rect {
    let px = 14.0 * view.text_scale;
    Rect {
        x: 8.0,
        y: view.height - 8.0 - px,
        width: text_width(CAPTION_CHARS, px),
        height: px + 8.0,
    }
}

/// Places each node's clock readout radially outside the ring, or leaves it out (`None`) where
/// it would overlap a disc, a role label, the caption, an earlier readout or the view's edge.
pub fn place_clock_labels(view: &TopologyView, nodes: usize) -> Vec<Option<ClockLabel>> {
    place_named_labels(view, nodes, &[])
}

/// [`place_clock_labels`], each readout headed by its node's name where `name_chars` gives one
/// (its length in characters; 0 or missing for a node known by its letter).
pub fn place_named_labels(
    view: &TopologyView,
    nodes: usize,
    name_chars: &[usize],
) -> Vec<Option<ClockLabel>> {
    let radius = view.node_radius(nodes);
    let px = clock_font_px(view, radius) * view.text_scale;
    let line = px * 1.2;
    let centers: Vec<(f64, f64)> = (0..nodes)
        .map(|n| node_position(view, nodes, NodeId(n as u8)))
        .collect();
    let roles: Vec<Rect> = centers
        .iter()
        .map(|&c| role_rect(view, c, radius))
        .collect();
    let caption = caption_rect(view);
    let ring_center = if nodes > 1 {
        let (sx, sy) = centers
            .iter()
            .fold((0.0, 0.0), |(x, y), c| (x + c.0, y + c.1));
        (sx / nodes as f64, sy / nodes as f64)
    } else {
        centers.first().copied().unwrap_or_default()
    };
    let mut placed: Vec<Option<ClockLabel>> = Vec::with_capacity(nodes);
    for (index, &center) in centers.iter().enumerate() {
        let name = name_chars.get(index).copied().unwrap_or(0);
        let lines = if name > 0 { 3.0 } else { 2.0 };
        let (width, height) = (text_width(READOUT_CHARS.max(name), px), lines * line + 2.0);
        // Straight out from the ring's centre; a lone node's readout goes below it.
        let (dx, dy) = (center.0 - ring_center.0, center.1 - ring_center.1);
        let length = (dx * dx + dy * dy).sqrt();
        let (ux, uy) = if nodes > 1 && length > 1e-9 {
            (dx / length, dy / length)
        } else {
            (0.0, 1.0)
        };
        // The distance at which the box, centred on the ray, clears the disc: its support
        // along the ray is |ux|·w/2 + |uy|·h/2.
        let support = ux.abs() * width / 2.0 + uy.abs() * height / 2.0;
        let at = |distance: f64| {
            let (cx, cy) = (center.0 + ux * distance, center.1 + uy * distance);
            Rect {
                x: cx - width / 2.0,
                y: cy - height / 2.0,
                width,
                height,
            }
        };
        let mut distance = radius + GAP + support;
        // Pushed further out past the node's own role label (nodes near the top).
        for _ in 0..64 {
            if !at(distance).overlaps(&roles[index]) {
                break;
            }
            distance += 2.0;
        }
        let rect = at(distance);
        let clear = rect.inside(view.width, view.height)
            && !rect.overlaps(&caption)
            && !rect.overlaps(&roles[index])
            && centers
                .iter()
                .all(|&c| !rect.meets_circle(c, radius + GAP / 2.0))
            && roles.iter().all(|r| !rect.overlaps(r))
            && placed.iter().flatten().all(|l| !rect.overlaps(&l.rect));
        placed.push(clear.then(|| ClockLabel {
            node: NodeId(index as u8),
            rect,
            center_x: rect.x + width / 2.0,
            name_baseline: (name > 0).then_some(rect.y + px),
            baselines: if name > 0 {
                [rect.y + px + line, rect.y + px + 2.0 * line + 2.0]
            } else {
                [rect.y + px, rect.y + px + line + 2.0]
            },
            font_px: px,
        }));
    }
    placed
}

/// A node's own name without its letter ("Lock service" of "Lock service (A)", "Client C"), or
/// `None` when the node goes by its letter alone.
pub fn own_name(full: Option<&str>, node: NodeId) -> Option<&str> {
    let full = full?;
    let letter = node.to_string();
    if full == letter {
        return None;
    }
    Some(full.strip_suffix(&format!(" ({letter})")).unwrap_or(full))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZES: [(f64, f64); 7] = [
        (320.0, 240.0),
        (360.0, 640.0),
        (640.0, 400.0),
        (800.0, 600.0),
        (1024.0, 768.0),
        (1280.0, 720.0),
        (1600.0, 900.0),
    ];

    fn view(width: f64, height: f64, text_scale: f64) -> TopologyView {
        TopologyView {
            width,
            height,
            text_scale,
        }
    }

    #[test]
    fn own_names_drop_the_letter_and_letters_are_no_names() {
        assert_eq!(
            own_name(Some("Lock service (A)"), NodeId(0)),
            Some("Lock service")
        );
        assert_eq!(own_name(Some("Client C"), NodeId(2)), Some("Client C"));
        assert_eq!(own_name(Some("B"), NodeId(1)), None);
        assert_eq!(own_name(None, NodeId(1)), None);
    }

    #[test]
    fn placed_readouts_overlap_nothing_for_one_to_sixteen_nodes() {
        // Unnamed, and named as the presets name them ("Lock service", "Lieutenant B").
        let named = [12, 7, 8, 8, 12, 12, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9];
        for (width, height, scale, names) in SIZES.iter().flat_map(|&(w, h)| {
            [
                (w, h, 1.0, &[][..]),
                (w, h, 1.5, &[][..]),
                (w, h, 1.0, &named[..]),
            ]
        }) {
            {
                let view = view(width, height, scale);
                for nodes in 1..=16 {
                    let labels = place_named_labels(&view, nodes, names);
                    assert_eq!(labels.len(), nodes);
                    let radius = view.node_radius(nodes);
                    let placed: Vec<ClockLabel> = labels.iter().flatten().cloned().collect();
                    for (i, a) in placed.iter().enumerate() {
                        let at = format!("{nodes} nodes in {width}×{height} ×{scale}: {:?}", a);
                        assert!(a.rect.inside(width, height), "off the view: {at}");
                        for n in 0..nodes {
                            let c = node_position(&view, nodes, NodeId(n as u8));
                            assert!(!a.rect.meets_circle(c, radius), "on node {n}: {at}");
                            assert!(
                                !a.rect.overlaps(&role_rect(&view, c, radius)),
                                "on node {n}'s role label: {at}"
                            );
                        }
                        for b in &placed[i + 1..] {
                            assert!(!a.rect.overlaps(&b.rect), "on {:?}: {at}", b.node);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn roomy_views_keep_every_readout_and_small_ones_drop_rather_than_overlap() {
        for nodes in 1..=16 {
            let labels = place_clock_labels(&view(1600.0, 900.0, 1.0), nodes);
            assert!(
                labels.iter().all(Option::is_some),
                "{nodes} nodes on a large screen all keep their clocks: {labels:?}"
            );
        }
        for nodes in 1..=5 {
            let labels = place_clock_labels(&view(800.0, 600.0, 1.0), nodes);
            assert!(labels.iter().all(Option::is_some), "{nodes}: {labels:?}");
        }
        let phone = place_clock_labels(&view(320.0, 240.0, 1.0), 16);
        assert!(
            phone.iter().any(Option::is_none),
            "a phone cannot hold 16 readouts"
        );
    }

    #[test]
    fn readouts_sit_outside_the_ring_on_their_nodes_side() {
        let view = view(1280.0, 720.0, 1.0);
        let labels = place_clock_labels(&view, 8);
        for label in labels.iter().flatten() {
            let node = node_position(&view, 8, label.node);
            let (cx, cy) = (label.center_x, label.rect.y + label.rect.height / 2.0);
            let from_middle = |(x, y): (f64, f64)| (x - 640.0).hypot(y - view_middle(&view));
            assert!(from_middle((cx, cy)) > from_middle(node), "{label:?}");
        }
    }

    fn view_middle(view: &TopologyView) -> f64 {
        let top = node_position(view, 2, NodeId(0)).1;
        let bottom = node_position(view, 2, NodeId(1)).1;
        (top + bottom) / 2.0
    }
}
