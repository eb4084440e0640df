//! What a press-drag-release on the topology means, as a pure function of the path: a click on
//! a node opens its menu, a drag from node to node cuts that one direction, a click on a link
//! toggles it, and a stroke across empty space is a knife that cuts every link it crosses.

use crate::render::topology::{link_at, links_crossed, node_at, TopologyView};
use crate::sim::{MsgId, NodeId};

/// How precisely a gesture was made: a mouse or a pen points to the pixel; a fingertip covers
/// about 44 px, so a tap may wander further and still be a tap, and reaches links and messages
/// from further away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Pointer,
    Finger,
}

impl Reach {
    /// The reach of a pointer event's `pointerType` ("mouse", "pen", "touch").
    pub fn of(pointer_type: &str) -> Reach {
        if pointer_type == "touch" {
            Reach::Finger
        } else {
            Reach::Pointer
        }
    }

    /// How far (px) a press may travel and still be a click.
    fn slop(self) -> f64 {
        match self {
            Reach::Pointer => 6.0,
            Reach::Finger => 10.0,
        }
    }

    /// How near (px) a click must fall to a link to toggle it.
    fn link(self) -> f64 {
        match self {
            Reach::Pointer => 8.0,
            Reach::Finger => 22.0,
        }
    }

    /// How near (px) a click must fall to a message in flight to pick it.
    fn message(self) -> f64 {
        match self {
            Reach::Pointer => 10.0,
            Reach::Finger => 22.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopologyIntent {
    /// A click on a message in flight: offer to drop or duplicate it.
    OpenMessage(MsgId),
    OpenNode(NodeId),
    CutOneWay {
        from: NodeId,
        to: NodeId,
    },
    ToggleLink {
        a: NodeId,
        b: NodeId,
    },
    CutLinks(Vec<(NodeId, NodeId)>),
    Nothing,
}

/// Reads a gesture from its path (first point: the press; last: the release); `messages` are
/// the messages in flight where they are drawn.
pub fn intent(
    view: &TopologyView,
    nodes: usize,
    messages: &[(MsgId, (f64, f64))],
    path: &[(f64, f64)],
    reach: Reach,
) -> TopologyIntent {
    let (Some(&start), Some(&end)) = (path.first(), path.last()) else {
        return TopologyIntent::Nothing;
    };
    let travelled = path
        .iter()
        .map(|&(x, y)| (x - start.0).hypot(y - start.1))
        .fold(0.0, f64::max);
    let click = travelled <= reach.slop();
    if click {
        let nearest = messages
            .iter()
            .map(|&(id, (x, y))| ((x - start.0).hypot(y - start.1), id))
            .filter(|&(d, _)| d <= reach.message())
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, id)) = nearest {
            return TopologyIntent::OpenMessage(id);
        }
    }
    match node_at(view, nodes, start.0, start.1) {
        Some(node) if click => TopologyIntent::OpenNode(node),
        Some(from) => match node_at(view, nodes, end.0, end.1) {
            Some(to) if to != from => TopologyIntent::CutOneWay { from, to },
            _ => TopologyIntent::Nothing,
        },
        None if click => match link_at(view, nodes, start.0, start.1, reach.link()) {
            Some((a, b)) => TopologyIntent::ToggleLink { a, b },
            None => TopologyIntent::Nothing,
        },
        None => {
            let cut = links_crossed(view, nodes, path);
            if cut.is_empty() {
                TopologyIntent::Nothing
            } else {
                TopologyIntent::CutLinks(cut)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::topology::node_position;

    const VIEW: TopologyView = TopologyView {
        width: 600.0,
        height: 600.0,
        text_scale: 1.0,
    };

    fn at(node: u8) -> (f64, f64) {
        node_position(&VIEW, 5, NodeId(node))
    }

    #[test]
    fn a_click_on_a_node_opens_it() {
        let a = at(0);
        assert_eq!(
            intent(&VIEW, 5, &[], &[a, (a.0 + 2.0, a.1)], Reach::Pointer),
            TopologyIntent::OpenNode(NodeId(0))
        );
    }

    #[test]
    fn a_drag_from_node_to_node_cuts_that_direction() {
        let (a, c) = (at(0), at(2));
        let path = [a, ((a.0 + c.0) / 2.0, (a.1 + c.1) / 2.0), c];
        assert_eq!(
            intent(&VIEW, 5, &[], &path, Reach::Pointer),
            TopologyIntent::CutOneWay {
                from: NodeId(0),
                to: NodeId(2)
            }
        );
        let nowhere = [a, (a.0 + 40.0, a.1 + 40.0)];
        assert_eq!(
            intent(&VIEW, 5, &[], &nowhere, Reach::Pointer),
            TopologyIntent::Nothing
        );
    }

    #[test]
    fn a_click_on_a_link_toggles_it() {
        let (a, b) = (at(0), at(1));
        let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        assert_eq!(
            intent(&VIEW, 5, &[], &[middle], Reach::Pointer),
            TopologyIntent::ToggleLink {
                a: NodeId(0),
                b: NodeId(1)
            }
        );
    }

    #[test]
    fn a_finger_reaches_a_link_a_mouse_would_miss_and_may_wander_more() {
        let (a, b) = (at(0), at(1));
        let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        // 15 px beside the link, along the perpendicular.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = dx.hypot(dy);
        let beside = (middle.0 - dy / length * 15.0, middle.1 + dx / length * 15.0);
        assert_eq!(
            intent(&VIEW, 5, &[], &[beside], Reach::Pointer),
            TopologyIntent::Nothing
        );
        assert_eq!(
            intent(&VIEW, 5, &[], &[beside], Reach::Finger),
            TopologyIntent::ToggleLink {
                a: NodeId(0),
                b: NodeId(1)
            }
        );
        // A tap that slides 8 px is still a tap for a finger, not for a mouse.
        let slid = [middle, (middle.0 + 8.0, middle.1)];
        assert!(matches!(
            intent(&VIEW, 5, &[], &slid, Reach::Finger),
            TopologyIntent::ToggleLink { .. }
        ));
        assert!(!matches!(
            intent(&VIEW, 5, &[], &slid, Reach::Pointer),
            TopologyIntent::ToggleLink { .. }
        ));
        assert_eq!(Reach::of("touch"), Reach::Finger);
        assert_eq!(Reach::of("mouse"), Reach::Pointer);
        assert_eq!(Reach::of("pen"), Reach::Pointer);
    }

    #[test]
    fn a_click_on_a_message_picks_it_over_the_link_beneath() {
        let (a, b) = (at(0), at(1));
        let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let messages = [
            (MsgId(7), (middle.0 + 3.0, middle.1)),
            (MsgId(8), (0.0, 0.0)),
        ];
        assert_eq!(
            intent(&VIEW, 5, &messages, &[middle], Reach::Pointer),
            TopologyIntent::OpenMessage(MsgId(7))
        );
        let far = [(MsgId(7), (middle.0 + 30.0, middle.1))];
        assert!(matches!(
            intent(&VIEW, 5, &far, &[middle], Reach::Pointer),
            TopologyIntent::ToggleLink { .. }
        ));
    }

    #[test]
    fn a_knife_stroke_cuts_every_link_it_crosses() {
        // A stroke across the whole view between A (top) and the rest cuts A off.
        let y = (at(0).1 + at(1).1) / 2.0;
        let path: Vec<(f64, f64)> = (0..=60).map(|i| (i as f64 * 10.0, y)).collect();
        let TopologyIntent::CutLinks(cut) = intent(&VIEW, 5, &[], &path, Reach::Pointer) else {
            panic!("a knife stroke");
        };
        let a = NodeId(0);
        assert_eq!(
            cut,
            vec![
                (a, NodeId(1)),
                (a, NodeId(2)),
                (a, NodeId(3)),
                (a, NodeId(4))
            ]
        );
        assert_eq!(
            intent(&VIEW, 5, &[], &[], Reach::Pointer),
            TopologyIntent::Nothing
        );
    }
}
