//! The network's splits, drawn as events (as the book draws a partition): a band across the
//! lanes from the fault that leaves the cluster in groups that cannot reach each other to the
//! fault that joins them again, labelled with the groups ("network split: A, B | C, D, E").
//! Found by replaying the trace's link faults on a table of which links are up; two nodes are in
//! one group when a path of links up both ways joins them. On true time only: on the other axes
//! a moment is not one row.

use super::timeline::{spans, Axis, Shape, Viewport};
use crate::sim::{Command, EventId, EventKind, Micros, NodeId, Skeleton, MAX_NODES};

/// Which links are up, from → to.
struct Links {
    nodes: usize,
    up: [[bool; MAX_NODES]; MAX_NODES],
}

impl Links {
    fn whole(nodes: usize) -> Links {
        Links {
            nodes,
            up: [[true; MAX_NODES]; MAX_NODES],
        }
    }

    /// Carries out a link fault; false for a fault that does not touch the links.
    fn apply(&mut self, fault: &Command<()>) -> bool {
        match *fault {
            Command::CutLink { from, to } | Command::HealLink { from, to } => {
                self.up[from.index()][to.index()] = matches!(fault, Command::HealLink { .. });
            }
            Command::CutBoth { a, b } | Command::HealBoth { a, b } => {
                let up = matches!(fault, Command::HealBoth { .. });
                self.up[a.index()][b.index()] = up;
                self.up[b.index()][a.index()] = up;
            }
            Command::Partition { ref groups } => {
                let mut group_of = [usize::MAX; MAX_NODES];
                for (index, group) in groups.iter().enumerate() {
                    for node in group {
                        group_of[node.index()] = index;
                    }
                }
                for a in 0..self.nodes {
                    for b in 0..self.nodes {
                        self.up[a][b] = group_of[a] == group_of[b];
                    }
                }
            }
            Command::HealAll => self.up = [[true; MAX_NODES]; MAX_NODES],
            _ => return false,
        }
        true
    }

    /// The groups of nodes joined by links up both ways, each in node order, ordered by their
    /// first node; one group when the cluster is whole.
    fn groups(&self) -> Vec<Vec<NodeId>> {
        let mut group_of = [usize::MAX; MAX_NODES];
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        for start in 0..self.nodes {
            if group_of[start] != usize::MAX {
                continue;
            }
            let index = groups.len();
            let mut members = vec![start];
            group_of[start] = index;
            let mut next = 0;
            while next < members.len() {
                let a = members[next];
                next += 1;
                for (b, group) in group_of.iter_mut().enumerate().take(self.nodes) {
                    if *group == usize::MAX && self.up[a][b] && self.up[b][a] {
                        *group = index;
                        members.push(b);
                    }
                }
            }
            // In node order (no sort: the standard one costs the bundle 3.5 KB).
            groups.push(
                (0..self.nodes)
                    .filter(|&n| group_of[n] == index)
                    .map(|n| NodeId(n as u8))
                    .collect(),
            );
        }
        groups
    }
}

/// One split: the groups, and the events that began and ended it (none while it lasts).
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub groups: Vec<Vec<NodeId>>,
    pub start: EventId,
    pub end: Option<EventId>,
}

/// Every split of the run so far, in time order. A fault that changes the groups while the
/// cluster stays split ends one split and begins the next.
pub fn splits(trace: &Skeleton) -> Vec<Split> {
    let mut links = Links::whole(trace.node_count());
    let mut found: Vec<Split> = Vec::new();
    let mut groups = links.groups();
    // Link faults are the environment's events: only those are read, not the whole trace.
    for &id in trace.environment_events() {
        let EventKind::Fault { index: fault } = trace.event(id).kind else {
            continue;
        };
        if !links.apply(trace.fault(fault)) {
            continue;
        }
        let now = links.groups();
        if now == groups {
            continue;
        }
        if let Some(open) = found.last_mut().filter(|s| s.end.is_none()) {
            open.end = Some(id);
        }
        if now.len() > 1 {
            found.push(Split {
                groups: now.clone(),
                start: id,
                end: None,
            });
        }
        groups = now;
    }
    found
}

/// The bands of the splits in view, on true time: from the split to the fault that ends it, or
/// to `now` while it lasts.
pub(super) fn split_shapes(trace: &Skeleton, viewport: &Viewport, now: Micros) -> Vec<Shape> {
    if viewport.axis != Axis::TrueTime {
        return Vec::new();
    }
    let y = |event: EventId| viewport.y_of(trace.event(event).time as f64);
    splits(trace)
        .into_iter()
        .filter_map(|split| {
            let y0 = y(split.start);
            let y1 = split.end.map_or(viewport.y_of(now as f64), y);
            spans(viewport, y0, y1).then_some(Shape::Split {
                y0,
                y1,
                start: split.start,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: u8) -> NodeId {
        NodeId(i)
    }

    #[test]
    fn a_partition_makes_its_groups_and_healing_joins_them() {
        let mut links = Links::whole(5);
        assert_eq!(links.groups().len(), 1);
        links.apply(&Command::Partition {
            groups: vec![vec![n(0), n(1)], vec![n(2), n(3), n(4)]],
        });
        assert_eq!(
            links.groups(),
            vec![vec![n(0), n(1)], vec![n(2), n(3), n(4)]]
        );
        links.apply(&Command::HealAll);
        assert_eq!(links.groups().len(), 1);
    }

    #[test]
    fn cuts_split_only_when_no_path_is_left() {
        let mut links = Links::whole(3);
        links.apply(&Command::CutBoth { a: n(0), b: n(1) });
        // A still reaches B through C.
        assert_eq!(links.groups().len(), 1);
        links.apply(&Command::CutBoth { a: n(0), b: n(2) });
        assert_eq!(links.groups(), vec![vec![n(0)], vec![n(1), n(2)]]);
        // One way back is not enough to talk.
        links.apply(&Command::HealLink {
            from: n(0),
            to: n(2),
        });
        assert_eq!(links.groups().len(), 2);
        links.apply(&Command::HealLink {
            from: n(2),
            to: n(0),
        });
        assert_eq!(links.groups().len(), 1);
        assert!(!links.apply(&Command::Pause { node: n(1) }));
    }
}
