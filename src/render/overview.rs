//! The timeline's overview: when the view is zoomed out so far that message arrows would merge
//! into one block of ink (a 16-node, 60 s run at "Fit all"), messages are drawn as density
//! instead: per lane (node column) and slice of [`SLICE_PX`] pixel rows, a pair of bars beside
//! the lifeline whose width and shade both grow with how many message events (sends, deliveries and drops) the node has in
//! that slice. What matters is still drawn one by one on top: pause and crash stretches, crash,
//! restart and clock-jump marks, role bands, fault events and finding markers. Zooming in brings
//! the arrows back.
//!
//! [`wants_overview`] is the rule, [`overview_shapes`] the layout, [`overview_if_crowded`] both
//! in one pass; all are pure, and [`super::timeline::layout_with_findings`] chooses with it
//! between the overview and arrows, so the canvas, the SVG export and the benchmarks all get
//! the same picture.
//!
//! Hit-testing ([`super::timeline::hit`]) in overview mode finds only what is drawn as an event:
//! fault events and the selected event. Aggregated messages have no event under the pointer, so
//! no hidden arrow or message event is ever hit.

use super::timeline::{
    axis_value, column_x, finding_shapes, message_kind, Axis, Filter, Highlight, Shape, Viewport,
    HIT_RADIUS,
};
use crate::detect::Finding;
use crate::sim::{EventId, EventKind, Micros, Skeleton};

/// How many pixel rows one density slice covers.
pub const SLICE_PX: f64 = 4.0;
/// How many shades (and widths) density bars come in: one draw batch each.
pub const DENSITY_LEVELS: u8 = 4;
/// The opacity of each level, lightest first: the painters' only colour rule for density.
pub const DENSITY_ALPHA: [f64; DENSITY_LEVELS as usize] = [0.25, 0.45, 0.7, 0.95];
/// At this many message events per pixel row in the busiest lane, arrows cannot be told apart
/// however they run: always the overview.
const CROWDED_PER_ROW: f64 = 2.0;
/// From this many per row, the overview is used when arrows are also flatter than
/// [`FLAT_ARROW_PX`] (they then lie on top of each other across the columns).
const BUSY_PER_ROW: f64 = 0.5;
/// A median arrow this short (in rows, send to delivery) reads as a horizontal line.
const FLAT_ARROW_PX: f64 = 2.0;

/// Whether an event is one end of a message: what density counts.
pub fn is_message_event(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Send { .. } | EventKind::Deliver { .. } | EventKind::Drop { .. }
    )
}

/// The indices of the trace events that may lie in view: in true time the visible slice found
/// by binary search, on other axes every event.
fn candidates(trace: &Skeleton, viewport: &Viewport) -> std::ops::Range<usize> {
    if viewport.axis != Axis::TrueTime {
        return 0..trace.len();
    }
    let events = trace.events();
    let first = viewport.value_at(viewport.header).max(0.0).floor() as Micros;
    let last = viewport.value_at(viewport.height).max(0.0).ceil() as Micros;
    events.partition_point(|e| e.time < first)..events.partition_point(|e| e.time <= last)
}

/// Whether row `y` lies in the drawing area (below the header, above the bottom edge).
fn in_view(viewport: &Viewport, y: f64) -> bool {
    y >= viewport.header && y < viewport.height
}

/// Every message event in view, of a kind not in `hidden` (bits as in
/// [`super::timeline::Filter`]): its id, lane and row.
fn message_events<'a>(
    trace: &'a Skeleton,
    viewport: &'a Viewport,
    hidden: u64,
) -> impl Iterator<Item = (EventId, usize, f64)> + 'a {
    candidates(trace, viewport).filter_map(move |index| {
        let id = EventId(index as u32);
        let event = trace.event(id);
        if !is_message_event(event.kind) {
            return None;
        }
        if hidden != 0
            && message_kind(trace, event.kind).is_some_and(|k| hidden & Filter::bit(k) != 0)
        {
            return None;
        }
        let y = viewport.y_of(axis_value(trace, viewport.axis, id));
        in_view(viewport, y).then_some((id, event.node.index(), y))
    })
}

/// The rule: draw the overview when, in the busiest lane, message events outnumber the pixel
/// rows twice over ([`CROWDED_PER_ROW`]), or are at least one per two rows while the median
/// arrow is flatter than [`FLAT_ARROW_PX`]. (The 100,000-event render benchmark, about 0.8 per
/// row with 2.5 px arrows, stays arrows; a 16-node minute at "Fit all", dozens per row with
/// sub-pixel arrows, is an overview; a few hundred milliseconds of it are arrows again.)
pub fn wants_overview(trace: &Skeleton, viewport: &Viewport) -> bool {
    crowded(trace, viewport, &density_counts(trace, viewport), 0)
}

/// [`wants_overview`], given the view's [`density_counts`].
fn crowded(trace: &Skeleton, viewport: &Viewport, counts: &[Vec<u32>], hidden: u64) -> bool {
    let rows = (viewport.height - viewport.header).max(1.0);
    let busiest = counts
        .iter()
        .map(|lane| lane.iter().map(|&c| u64::from(c)).sum::<u64>())
        .max()
        .unwrap_or(0) as f64
        / rows;
    if busiest >= CROWDED_PER_ROW {
        return true;
    }
    if busiest < BUSY_PER_ROW {
        return false;
    }
    // The median arrow is flatter than FLAT_ARROW_PX exactly when more than half of them
    // (sorted, the one at index len / 2 and all before it) are: counted, not sorted (a
    // selection of the median cost the bundle 2 KB).
    let (mut arrows, mut flat) = (0usize, 0usize);
    for (id, _, y) in message_events(trace, viewport, hidden) {
        if let EventKind::Deliver { msg } = trace.event(id).kind {
            let send = trace.message(msg).send_event;
            let from = viewport.y_of(axis_value(trace, viewport.axis, send));
            arrows += 1;
            flat += usize::from((y - from).abs() < FLAT_ARROW_PX);
        }
    }
    arrows > 0 && flat > arrows / 2
}

/// The overview's shapes if the view is too crowded for arrows ([`wants_overview`]), else
/// `None`: one pass over the view decides and counts.
pub fn overview_if_crowded(
    trace: &Skeleton,
    viewport: &Viewport,
    selected: Option<EventId>,
    now: Micros,
    findings: &[Finding],
    hidden: u64,
) -> Option<Vec<Shape>> {
    let counts = counts_without(trace, viewport, hidden);
    crowded(trace, viewport, &counts, hidden)
        .then(|| build(trace, viewport, selected, now, findings, &counts))
}

/// How many message events each lane has in each slice: `counts[lane][slice]`, slice `k`
/// covering rows `header + k·SLICE_PX` up to the next slice (the last one ends at the bottom).
pub fn density_counts(trace: &Skeleton, viewport: &Viewport) -> Vec<Vec<u32>> {
    counts_without(trace, viewport, 0)
}

/// [`density_counts`] leaving out the message kinds in `hidden`.
fn counts_without(trace: &Skeleton, viewport: &Viewport, hidden: u64) -> Vec<Vec<u32>> {
    let rows = (viewport.height - viewport.header).max(0.0);
    let slices = (rows / SLICE_PX).ceil() as usize;
    let mut counts = vec![vec![0u32; slices]; trace.node_count()];
    for (_, lane, y) in message_events(trace, viewport, hidden) {
        let slice = ((y - viewport.header) / SLICE_PX) as usize;
        if let Some(count) = counts.get_mut(lane).and_then(|l| l.get_mut(slice)) {
            *count += 1;
        }
    }
    counts
}

/// The shade of a slice holding `count` of the view's busiest `max`: 1 (lightest) to
/// [`DENSITY_LEVELS`], on a square-root scale so quiet lanes beside a busy leader still show.
pub fn density_level(count: u32, max: u32) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    let fraction = (f64::from(count) / f64::from(max)).sqrt();
    ((fraction * f64::from(DENSITY_LEVELS)).ceil() as u8).clamp(1, DENSITY_LEVELS)
}

/// Half the width kept clear around each lifeline, so pause, crash and role bands (12 px wide)
/// stay in plain sight: density bars run outward from its edges, one on each side.
pub const DENSITY_CLEAR: f64 = 7.0;

/// The width of each of a level's two bars in a column `column` px wide: busier slices are
/// wider, so density reads without colour.
pub fn density_bar_width(level: u8, column: f64) -> f64 {
    let widest = (column / 2.0 - DENSITY_CLEAR - 2.0).clamp(2.0, 20.0);
    widest * f64::from(level.min(DENSITY_LEVELS)) / f64::from(DENSITY_LEVELS)
}

/// The two bars of a density shape at lifeline `x`: (left, width) of each.
pub fn density_bars(x: f64, width: f64) -> [(f64, f64); 2] {
    [
        (x - DENSITY_CLEAR - width, width),
        (x + DENSITY_CLEAR, width),
    ]
}

/// The overview's shapes: lifelines, one density bar per non-empty lane and slice, the
/// lifelines' stretches and marks, fault events, the selected event, and finding markers.
/// `now` ends stretches still open, as in [`super::timeline::layout`].
pub fn overview_shapes(
    trace: &Skeleton,
    viewport: &Viewport,
    selected: Option<EventId>,
    now: Micros,
    findings: &[Finding],
) -> Vec<Shape> {
    let counts = density_counts(trace, viewport);
    build(trace, viewport, selected, now, findings, &counts)
}

/// [`overview_shapes`] from the view's [`density_counts`].
fn build(
    trace: &Skeleton,
    viewport: &Viewport,
    selected: Option<EventId>,
    now: Micros,
    findings: &[Finding],
    counts: &[Vec<u32>],
) -> Vec<Shape> {
    let nodes = trace.node_count();
    let node = |n: usize| crate::sim::NodeId(n as u8);
    let mut shapes: Vec<Shape> = (0..nodes)
        .map(|n| Shape::Lifeline {
            node: node(n),
            x: column_x(viewport, nodes, node(n)),
        })
        .collect();
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    let column = viewport.width / nodes.max(1) as f64;
    for (lane, slices) in counts.iter().enumerate() {
        let x = column_x(viewport, nodes, node(lane));
        for (slice, &count) in slices.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let y0 = viewport.header + slice as f64 * SLICE_PX;
            let level = density_level(count, max);
            shapes.push(Shape::Density {
                node: node(lane),
                x,
                y0,
                y1: (y0 + SLICE_PX).min(viewport.height),
                count,
                max,
                level,
                width: density_bar_width(level, column),
            });
        }
    }
    shapes.extend(super::lifelines::lifeline_shapes(trace, viewport, now));
    let point = |event: EventId| {
        let e = trace.event(event);
        (
            column_x(viewport, nodes, e.node),
            viewport.y_of(axis_value(trace, viewport.axis, event)),
        )
    };
    let selected = selected.filter(|e| e.index() < trace.len());
    let event_shape = |id: EventId, highlight: Highlight, shapes: &mut Vec<Shape>| {
        let (x, y) = point(id);
        if viewport.visible(y, HIT_RADIUS) {
            let event = trace.event(id);
            shapes.push(Shape::Event {
                event: id,
                node: event.node,
                x,
                y,
                kind: event.kind,
                highlight,
                faint: false,
            });
        }
    };
    for index in candidates(trace, viewport) {
        let id = EventId(index as u32);
        if matches!(trace.event(id).kind, EventKind::Fault { .. }) && Some(id) != selected {
            event_shape(id, Highlight::None, &mut shapes);
        }
    }
    if let Some(id) = selected {
        event_shape(id, Highlight::Selected, &mut shapes);
    }
    shapes.extend(finding_shapes(trace, viewport, findings));
    shapes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_grow_with_the_count_and_never_vanish() {
        assert_eq!(density_level(0, 10), 0);
        assert_eq!(density_level(1, 10_000), 1);
        assert_eq!(density_level(10, 10), DENSITY_LEVELS);
        let levels: Vec<u8> = (1..=16).map(|c| density_level(c, 16)).collect();
        assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
        assert_eq!(density_level(5, 0), 0);
    }

    #[test]
    fn busier_bars_are_wider_and_stay_inside_their_column() {
        for column in [40.0, 80.0, 120.0, 400.0] {
            let widths: Vec<f64> = (1..=DENSITY_LEVELS)
                .map(|l| density_bar_width(l, column))
                .collect();
            assert!(widths.windows(2).all(|w| w[0] < w[1]), "{widths:?}");
            let [(left, _), (right, width)] = density_bars(100.0, widths[widths.len() - 1]);
            assert!(100.0 - left <= column / 2.0 && right + width - 100.0 <= column / 2.0);
            assert!(right - 100.0 >= 6.0, "the lifeline's bands stay clear");
        }
    }
}
