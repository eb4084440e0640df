//! Two runs of one scenario side by side (without and with the fix, a run and its hand-faulted
//! fork, two seeds): where they first part, and what follows from that in each. Pure: it reads
//! two traces and their words, and marks shapes the timeline layout made.
//!
//! Two events are the same when they happen on the same node at the same true time and say the
//! same thing (their sentence, as the inspector writes it). Both runs come from one deterministic
//! engine, so up to their first difference they are the same event for event; at that moment
//! the events of each are matched as a multiset (the order within one instant may differ), and
//! the first event of a run left without a counterpart is where it parts. A run with nothing of
//! its own at that moment parts on the other run's node: what that node does from then on is
//! downstream of the difference.
//!
//! Downstream means happened-after (Lamport's happens-before): the same node later, and a
//! message's delivery after its send, transitively. The timeline layout already colours the
//! causal future of a selected event; [`mark`] selects each run's root and keeps only that.

use super::labels::text_width;
use super::timeline::{column_x, Axis, Highlight, Shape, Viewport, LABEL_HEIGHT};
use crate::detect::seconds;
use crate::sim::{describe, EventId, Micros, Names, NodeId, Skeleton, Words};

/// Where one run parts from the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parting {
    /// Its first event with no counterpart in the other run at the moment they part, if it
    /// has one there.
    pub event: Option<EventId>,
    /// The node where it parts: the event's, or the other run's when this run has none.
    pub node: NodeId,
    /// The first event downstream of the difference: `event`, or the node's next event after
    /// the moment they part (none if the node does nothing more).
    pub root: Option<EventId>,
    /// How many events are downstream of the difference (the root and its causal future).
    pub downstream: usize,
}

/// The first difference between two runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// True time of the first difference.
    pub time: Micros,
    /// How many events the runs share before it.
    pub common: usize,
    /// Each run's side of it, in the order the runs were given.
    pub sides: [Parting; 2],
}

/// What identifies an event across runs: node, true time, and what it says.
type Key = (Micros, NodeId, bool, String);

fn key(words: &dyn Words, names: &Names, index: usize) -> Key {
    let event = words.skeleton().events()[index];
    (
        event.time,
        event.node,
        event.process,
        describe(words, event.kind, names),
    )
}

/// The first difference between runs `a` and `b` of one scenario, in true-time order; `None`
/// when they are the same event for event.
pub fn first_difference(a: (&dyn Words, &Names), b: (&dyn Words, &Names)) -> Option<Divergence> {
    let runs = [a, b];
    let traces = [a.0.skeleton(), b.0.skeleton()];
    let lengths = [traces[0].len(), traces[1].len()];
    let shared = lengths[0].min(lengths[1]);
    let key_of = |side: usize, index: usize| key(runs[side].0, runs[side].1, index);
    let mut common = (0..shared)
        .find(|&i| {
            let (x, y) = (traces[0].events()[i], traces[1].events()[i]);
            (x.time, x.node, x.process) != (y.time, y.node, y.process)
                || key_of(0, i) != key_of(1, i)
        })
        .unwrap_or(shared);
    loop {
        let time = (0..2)
            .filter_map(|side| traces[side].events().get(common).map(|e| e.time))
            .min()?;
        // The events of each run at that instant, from the first that differs.
        let group = |side: usize| -> Vec<usize> {
            (common..lengths[side])
                .take_while(|&i| traces[side].events()[i].time == time)
                .collect()
        };
        let groups = [group(0), group(1)];
        let keys: Vec<Vec<Key>> = (0..2)
            .map(|side| groups[side].iter().map(|&i| key_of(side, i)).collect())
            .collect();
        let mut used = vec![false; keys[1].len()];
        let mut unmatched = [None, None];
        for (j, k) in keys[0].iter().enumerate() {
            match (0..keys[1].len()).find(|&m| !used[m] && keys[1][m] == *k) {
                Some(m) => used[m] = true,
                None => {
                    unmatched[0].get_or_insert(groups[0][j]);
                }
            }
        }
        unmatched[1] = used.iter().position(|u| !u).map(|m| groups[1][m]);
        if unmatched == [None, None] {
            // The same events in another order: they part later, if at all.
            common += groups[0].len();
            continue;
        }
        let sides = [0, 1].map(|side| {
            let event = unmatched[side].map(|i| EventId(i as u32));
            let node = match event {
                Some(e) => traces[side].event(e).node,
                None => unmatched[1 - side]
                    .map_or(NodeId(0), |other| traces[1 - side].events()[other].node),
            };
            let root = event.or_else(|| {
                traces[side]
                    .node_events(node)
                    .iter()
                    .copied()
                    .find(|&e| traces[side].event(e).time > time)
            });
            Parting {
                event,
                node,
                root,
                downstream: root.map_or(0, |r| traces[side].causal_future_count(r) + 1),
            }
        });
        return Some(Divergence {
            time,
            common,
            sides,
        });
    }
}

/// What one run did at the first difference, in words: "Storage (B): write with token 33
/// refused: storage has seen 34", or that its node did nothing of the kind then.
pub fn side_words(words: &dyn Words, names: &Names, side: &Parting) -> String {
    match side.event {
        Some(event) => {
            let e = words.skeleton().event(event);
            format!("{}: {}", names.full(e.node), describe(words, e.kind, names))
        }
        None => format!(
            "{} does nothing of the kind at that moment",
            names.full(side.node)
        ),
    }
}

/// The first difference in a sentence: "First difference at 17.006 s: without the fix,
/// Storage (B): write accepted…; with the fix, Storage (B): write with token 33 refused…".
/// `labels` name the runs ("without the fix", "with the fix"), `said` is [`side_words`] of each.
pub fn sentence(divergence: &Divergence, labels: [&str; 2], said: [&str; 2]) -> String {
    format!(
        "First difference at {}: {}, {}; {}, {}.",
        seconds(divergence.time),
        labels[0],
        said[0],
        labels[1],
        said[1]
    )
}

/// The words of the first difference's marker on the diagram.
pub const MARKER_TEXT: &str = "first difference";

/// Marks one run's timeline: `shapes` were laid out with `side.root` selected (so the layout
/// coloured its causal future); keeps only that future, tinted, the event where the run parts
/// as the selected one, and adds the first difference's marker: a rule across the diagram at
/// its true time, a ring on its node and its words.
pub fn mark(
    shapes: &mut Vec<Shape>,
    trace: &Skeleton,
    viewport: &Viewport,
    time: Micros,
    side: &Parting,
) {
    for shape in shapes.iter_mut() {
        if let Shape::Event {
            event, highlight, ..
        } = shape
        {
            *highlight = match *highlight {
                Highlight::Selected if side.event == Some(*event) => Highlight::Selected,
                Highlight::Selected | Highlight::Future => Highlight::Future,
                _ => Highlight::None,
            };
        }
    }
    if viewport.axis != Axis::TrueTime {
        return;
    }
    let y = viewport.y_of(time as f64);
    if !viewport.visible(y, LABEL_HEIGHT) {
        return;
    }
    let x = column_x(viewport, trace.node_count(), side.node);
    shapes.push(Shape::Divergence { x, y });
    let width = text_width(MARKER_TEXT, 12.0);
    // At the diagram's left edge, just above the rule: clear of the labels beside events and
    // findings, which sit beside their lifelines.
    let centre = 4.0 + width / 2.0;
    shapes.push(Shape::Label {
        x: centre,
        y: y - LABEL_HEIGHT / 2.0 - 2.0,
        width,
        text: MARKER_TEXT.to_string(),
        strong: true,
    });
}
