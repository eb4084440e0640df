//! The sequence-diagram layout: one lifeline per node (columns), time flowing downward (rows).
//! Pure: no browser types. Given a trace and a viewport it returns the shapes to draw, only
//! those that are visible, and finds the event under a point.

use super::folds::Folds;
use crate::detect::{Finding, FindingKind};
pub use crate::sim::{axis_value, Axis};
use crate::sim::{
    Causality, DropReason, EventId, EventKind, InFlight, Micros, MsgId, NodeId, Role, Skeleton,
};

/// The visible window: which axis values map to which pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub width: f64,
    pub height: f64,
    pub axis: Axis,
    /// Axis value at the top edge.
    pub top: f64,
    /// Pixels per axis unit (µs or Lamport tick).
    pub scale: f64,
    /// Space above the first row for node headers.
    pub header: f64,
    /// Stretches of the axis drawn folded (see [`super::folds`]); `top` is a display value.
    pub folds: Folds,
}

impl Viewport {
    /// Axis value shown at pixel row `y`.
    pub fn value_at(&self, y: f64) -> f64 {
        self.folds.value(self.top + (y - self.header) / self.scale)
    }

    /// Pixel row of axis value `value`.
    pub fn y_of(&self, value: f64) -> f64 {
        self.header + (self.folds.display(value) - self.top) * self.scale
    }

    /// Whether axis value `value` is hidden in a fold.
    pub fn folded(&self, value: f64) -> bool {
        self.folds.hiding(value).is_some()
    }

    pub(super) fn visible(&self, y: f64, margin: f64) -> bool {
        y >= self.header - margin && y <= self.height + margin
    }
}

/// What the timeline leaves out or plays down, chosen from the legend, and how big its labels
/// are.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Filter {
    /// Message kinds (bit `i` is the model's `MESSAGE_KINDS[i]`) not drawn: neither their
    /// arrows nor their send and receive events, so hover cannot find them.
    pub hidden: u64,
    /// Message kinds drawn faintly and labelled only where nothing else wants the room.
    pub faint: u64,
    /// Only the selected event's causal past and future (and itself).
    pub causal_only: bool,
    /// The labels' type size in px (see [`super::labels`]); 0 draws no labels.
    pub label_px: f64,
}

impl Filter {
    /// Bit for message kind `kind` ([`crate::sim::kind_bit`]).
    pub fn bit(kind: usize) -> u64 {
        crate::sim::kind_bit(kind)
    }

    pub fn hides(&self, kind: usize) -> bool {
        self.hidden & Filter::bit(kind) != 0
    }

    pub fn dims(&self, kind: usize) -> bool {
        self.faint & Filter::bit(kind) != 0
    }
}

/// The message kind of an event that sends, receives, loses or copies a message.
pub fn message_kind(trace: &Skeleton, kind: EventKind) -> Option<usize> {
    match kind {
        EventKind::Send { msg }
        | EventKind::Deliver { msg }
        | EventKind::Drop { msg, .. }
        | EventKind::Duplicate { msg, .. } => Some(usize::from(trace.message(msg).kind)),
        _ => None,
    }
}

/// How a message arrow ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrowEnd {
    Delivered,
    /// Ends in a cross where the message died.
    Dropped(DropReason),
    /// Still on the wire: reaches to "now".
    InFlight,
}

/// Where an event sits relative to the selected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    None,
    Selected,
    Past,
    Future,
    Concurrent,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Lifeline {
        node: NodeId,
        x: f64,
    },
    Stretch {
        node: NodeId,
        x: f64,
        y0: f64,
        y1: f64,
        stretch: Stretch,
    },
    Mark {
        node: NodeId,
        x: f64,
        y: f64,
        mark: Mark,
    },
    /// A detector finding, drawn at its latest event; `index` is its place in the findings list.
    /// `named`: its name is written beside it (not where it would cover another's name).
    Finding {
        x: f64,
        y: f64,
        kind: FindingKind,
        index: usize,
        named: bool,
    },
    Event {
        event: EventId,
        node: NodeId,
        x: f64,
        y: f64,
        kind: EventKind,
        highlight: Highlight,
        /// Of a message kind played down in the legend.
        faint: bool,
    },
    Arrow {
        msg: MsgId,
        from: (f64, f64),
        to: (f64, f64),
        end: ArrowEnd,
        duplicate: bool,
        faint: bool,
    },
    /// A few words on the diagram: a message's label along its arrow, or a local event's beside
    /// its marker. `(x, y)` is the centre of its box, `width` × [`LABEL_HEIGHT`] px.
    Label {
        x: f64,
        y: f64,
        width: f64,
        text: String,
        /// Named by a finding, or the selected event: drawn emphasised.
        strong: bool,
    },
    /// The network split into groups that cannot reach each other, from row `y0` to `y1`, by
    /// the fault event `start` (see [`super::splits`]): a band across the lanes, its label
    /// placed with the others.
    Split {
        y0: f64,
        y1: f64,
        start: EventId,
    },
    /// A tick of the time axis at the left edge, with its number (see [`super::axis`]); its
    /// text starts at [`super::axis::TICK_TEXT_X`] and takes `width` px.
    Tick {
        y: f64,
        /// The centre row of its number (see [`super::axis::Tick::text_y`]).
        text_y: f64,
        text: String,
        width: f64,
    },
    /// A folded stretch of the axis (see [`super::folds`]), fold `index` of the viewport's,
    /// from row `y0` to `y1`: a break across every lane, its words placed with the labels.
    Fold {
        y0: f64,
        y1: f64,
        index: usize,
    },
    /// Two runs compared (see [`super::compare`]): where this one first parts from the other,
    /// on its node's lifeline at that true time; drawn as a rule across the diagram and a ring.
    Divergence {
        x: f64,
        y: f64,
    },
    /// Overview only (see [`super::overview`]): `count` message events of `node` between rows
    /// `y0` and `y1`, the busiest slice in view holding `max`; drawn as two bars `width` wide
    /// either side of the lifeline ([`super::overview::density_bars`]) at shade `level` (1 to
    /// [`super::overview::DENSITY_LEVELS`]).
    Density {
        node: NodeId,
        x: f64,
        y0: f64,
        y1: f64,
        count: u32,
        max: u32,
        level: u8,
        width: f64,
    },
}

/// The height of a label's box, px.
pub const LABEL_HEIGHT: f64 = 16.0;

/// A stretch of a lifeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stretch {
    /// Stop-the-world pause (GC).
    Paused,
    /// Down between a crash and a restart.
    Crashed,
    /// Holding a role; `hazard` when another node leads at the same true time (split brain).
    Role { role: Role, hazard: bool },
}

/// A one-off mark on a lifeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Crash,
    Restart,
    /// The time-of-day clock was stepped or set.
    ClockJump,
}

/// Distance (px) within which a point hits an event marker.
pub const HIT_RADIUS: f64 = 8.0;

/// The x of a node's lifeline.
pub fn column_x(viewport: &Viewport, nodes: usize, node: NodeId) -> f64 {
    let width = viewport.width / nodes.max(1) as f64;
    width * (node.index() as f64 + 0.5)
}

/// Where "now" crosses each lifeline: one row for every node on true time, each node's own
/// clock reading on the local-clock axis (the line bends by the skew), none on Lamport time.
pub fn now_rows(viewport: &Viewport, now: Micros, readings: &[i64]) -> Vec<f64> {
    match viewport.axis {
        Axis::TrueTime => vec![viewport.y_of(now as f64); readings.len()],
        Axis::LocalClock => readings.iter().map(|&r| viewport.y_of(r as f64)).collect(),
        Axis::Lamport => Vec::new(),
    }
}

/// The trace events to consider for a viewport: in true time they are sorted, so only the
/// visible slice (plus any event whose arrow crosses it) is scanned.
fn candidate_range(trace: &Skeleton, viewport: &Viewport) -> std::ops::Range<usize> {
    if viewport.axis != Axis::TrueTime {
        return 0..trace.len();
    }
    let events = trace.events();
    // The same margin `visible` allows, so markers straddling an edge are kept.
    let first = viewport
        .value_at(viewport.header - HIT_RADIUS)
        .max(0.0)
        .ceil() as Micros;
    let last = viewport.value_at(viewport.height + HIT_RADIUS).max(0.0) as Micros;
    let start = events.partition_point(|e| e.time < first);
    let end = events.partition_point(|e| e.time <= last);
    start..end
}

/// Lays out the visible part of the timeline. `selected` colours causal past, future and
/// concurrent events; `in_flight` and `now` draw messages still on the wire.
pub fn layout(
    trace: &Skeleton,
    viewport: &Viewport,
    selected: Option<EventId>,
    in_flight: &[InFlight],
    now: Micros,
) -> Vec<Shape> {
    layout_with_findings(
        trace,
        viewport,
        selected,
        in_flight,
        now,
        &[],
        &Filter::default(),
    )
}

/// [`layout`], plus lifeline stretches and marks, and a marker for each finding; `filter`
/// hides or dims message kinds, or keeps only the selected event's causal chain. When the view
/// is too crowded for arrows ([`super::overview::wants_overview`]) it returns the overview.
pub fn layout_with_findings(
    trace: &Skeleton,
    viewport: &Viewport,
    selected: Option<EventId>,
    in_flight: &[InFlight],
    now: Micros,
    findings: &[Finding],
    filter: &Filter,
) -> Vec<Shape> {
    // The time axis first, so labels placed later keep clear of its numbers.
    // The numbers are a size smaller than the labels (11 px to their 12), scaled with them in
    // projector mode.
    let tick_px = if filter.label_px > 0.0 {
        filter.label_px * super::axis::TICK_PX / 12.0
    } else {
        super::axis::TICK_PX
    };
    // The numbers fit left of the first lane's bands (drawn 12 px wide) with a little room.
    let room = column_x(viewport, trace.node_count(), NodeId(0)) - super::axis::TICK_TEXT_X - 9.0;
    let ticks = super::axis::ticks(viewport, tick_px, room)
        .into_iter()
        .map(|tick| Shape::Tick {
            y: tick.y,
            text_y: tick.text_y,
            text: tick.text,
            width: tick.width,
        });
    // Zoomed out too far for arrows to be told apart: message density instead.
    if let Some(mut shapes) = super::overview::overview_if_crowded(
        trace,
        viewport,
        selected,
        now,
        findings,
        filter.hidden,
    ) {
        shapes.extend(ticks);
        fold_shapes(viewport, &mut shapes);
        return shapes;
    }
    let nodes = trace.node_count();
    let mut shapes: Vec<Shape> = (0..nodes)
        .map(|n| Shape::Lifeline {
            node: NodeId(n as u8),
            x: column_x(viewport, nodes, NodeId(n as u8)),
        })
        .collect();
    shapes.extend(ticks);
    shapes.extend(super::splits::split_shapes(trace, viewport, now));
    shapes.extend(super::lifelines::lifeline_shapes(trace, viewport, now));
    let point = |event: EventId| {
        let e = trace.event(event);
        (
            column_x(viewport, nodes, e.node),
            viewport.y_of(axis_value(trace, viewport.axis, event)),
        )
    };
    let highlight = |event: EventId| match selected {
        None => Highlight::None,
        Some(chosen) => match trace.causality(event, chosen) {
            Causality::Same => Highlight::Selected,
            Causality::Before => Highlight::Past,
            Causality::After => Highlight::Future,
            Causality::Concurrent => Highlight::Concurrent,
        },
    };
    // Arrows are found from their receiving end; a long arrow whose end is below the window
    // but whose start is visible is caught by scanning messages sent in view.
    // Whether an event is drawn at all, and whether faintly.
    let causal_only = filter.causal_only && selected.is_some();
    let shown = |event: EventId| {
        let kind = message_kind(trace, trace.event(event).kind);
        if kind.is_some_and(|k| filter.hides(k)) {
            return None;
        }
        if causal_only && highlight(event) == Highlight::Concurrent {
            return None;
        }
        Some(kind.is_some_and(|k| filter.dims(k)))
    };
    let range = candidate_range(trace, viewport);
    let folds = !viewport.folds.is_empty();
    for index in range.clone() {
        let id = EventId(index as u32);
        let event = trace.event(id);
        let Some(faint) = shown(id) else {
            continue;
        };
        let (x, y) = point(id);
        // An event hidden in a fold is drawn by the fold's words, not by a marker.
        let folded = folds && viewport.folded(axis_value(trace, viewport.axis, id));
        if viewport.visible(y, HIT_RADIUS) && !folded {
            shapes.push(Shape::Event {
                event: id,
                node: event.node,
                x,
                y,
                kind: event.kind,
                highlight: highlight(id),
                faint,
            });
        }
        let arrow = match event.kind {
            EventKind::Deliver { msg } => Some((msg, (x, y), ArrowEnd::Delivered)),
            EventKind::Drop { msg, reason } => {
                let record = trace.message(msg);
                // Lost in transit: the cross sits halfway between the columns.
                let x = if reason == DropReason::Lost {
                    (column_x(viewport, nodes, record.from) + column_x(viewport, nodes, record.to))
                        / 2.0
                } else {
                    x
                };
                Some((msg, (x, y), ArrowEnd::Dropped(reason)))
            }
            _ => None,
        };
        if let Some((msg, to, end)) = arrow {
            let record = trace.message(msg);
            let from = point(record.send_event);
            let inside =
                folded && viewport.folded(axis_value(trace, viewport.axis, record.send_event));
            if spans(viewport, from.1, to.1) && shown(record.send_event).is_some() && !inside {
                shapes.push(Shape::Arrow {
                    msg,
                    from,
                    to,
                    end,
                    duplicate: record.copy_of.is_some(),
                    faint,
                });
            }
        }
    }
    // Arrows that start in view and end below it (true-time culling skipped their ends).
    if viewport.axis == Axis::TrueTime {
        let below = range.end;
        for index in below..trace.len() {
            let id = EventId(index as u32);
            let (EventKind::Deliver { msg } | EventKind::Drop { msg, .. }) = trace.event(id).kind
            else {
                continue;
            };
            let send = trace.message(msg).send_event;
            let (Some(faint), Some(_)) = (shown(id), shown(send)) else {
                continue;
            };
            let from = point(send);
            if from.1 > viewport.height {
                continue;
            }
            let to = point(id);
            let end = match trace.event(id).kind {
                EventKind::Drop { reason, .. } => ArrowEnd::Dropped(reason),
                _ => ArrowEnd::Delivered,
            };
            if spans(viewport, from.1, to.1) {
                shapes.push(Shape::Arrow {
                    msg,
                    from,
                    to,
                    end,
                    duplicate: trace.message(msg).copy_of.is_some(),
                    faint,
                });
            }
        }
    }
    for message in in_flight {
        if message.id.0 as usize >= trace.messages().len() {
            continue;
        }
        let record = trace.message(message.id);
        let Some(faint) = shown(record.send_event) else {
            continue;
        };
        let from = point(record.send_event);
        let span = message.due.saturating_sub(message.sent).max(1) as f64;
        let fraction = (now.saturating_sub(message.sent) as f64 / span).min(1.0);
        let x_to = column_x(viewport, nodes, message.to);
        let y_now = match viewport.axis {
            Axis::TrueTime => viewport.y_of(now as f64),
            // Other axes have no "now" row: draw the stub at the send's height.
            Axis::LocalClock | Axis::Lamport => from.1,
        };
        let to = (from.0 + (x_to - from.0) * fraction, y_now);
        if spans(viewport, from.1, to.1) {
            shapes.push(Shape::Arrow {
                msg: message.id,
                from,
                to,
                end: ArrowEnd::InFlight,
                duplicate: record.copy_of.is_some(),
                faint,
            });
        }
    }
    shapes.extend(finding_shapes(trace, viewport, findings));
    // Last, so a fold's break covers the arrows that pass through it.
    fold_shapes(viewport, &mut shapes);
    shapes
}

/// The folds in view (see [`super::folds`]), added to `shapes`.
fn fold_shapes(viewport: &Viewport, shapes: &mut Vec<Shape>) {
    for (index, fold) in viewport.folds.list().iter().enumerate() {
        let (y0, y1) = (viewport.y_of(fold.from), viewport.y_of(fold.to));
        if spans(viewport, y0, y1) {
            shapes.push(Shape::Fold { y0, y1, index });
        }
    }
}

/// A marker for each finding in view, at its latest event (`index` is its place in the list).
pub(super) fn finding_shapes(
    trace: &Skeleton,
    viewport: &Viewport,
    findings: &[Finding],
) -> Vec<Shape> {
    let nodes = trace.node_count();
    let mut shapes = Vec::new();
    // The names written so far: a name that would cover one, or say a kind already named in
    // view, is left out (its marker stays, its shape says the kind, and the inspector lists
    // every finding).
    let mut names: Vec<super::labels::Rect> = Vec::new();
    let mut kinds: Vec<FindingKind> = Vec::new();
    for (index, finding) in findings.iter().enumerate() {
        let Some(&last) = finding
            .events
            .iter()
            .filter(|e| e.index() < trace.len())
            .max()
        else {
            continue;
        };
        let x = column_x(viewport, nodes, trace.event(last).node);
        let y = viewport.y_of(axis_value(trace, viewport.axis, last));
        if viewport.visible(y, HIT_RADIUS) {
            let name = super::labels::finding_name_rect(viewport, x, y, finding.kind, 12.0);
            let named = !names.iter().any(|r| r.overlaps(&name)) && !kinds.contains(&finding.kind);
            if named {
                names.push(name);
                kinds.push(finding.kind);
            }
            shapes.push(Shape::Finding {
                x,
                y,
                kind: finding.kind,
                index,
                named,
            });
        }
    }
    shapes
}

/// True when a vertical span [a, b] (either order) meets the window.
pub(super) fn spans(viewport: &Viewport, a: f64, b: f64) -> bool {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    high >= viewport.header && low <= viewport.height
}

/// The event whose marker is nearest to (x, y), within [`HIT_RADIUS`].
pub fn hit(shapes: &[Shape], x: f64, y: f64) -> Option<EventId> {
    shapes
        .iter()
        .filter_map(|shape| match *shape {
            Shape::Event {
                event,
                x: ex,
                y: ey,
                ..
            } => {
                let distance = ((ex - x).powi(2) + (ey - y).powi(2)).sqrt();
                (distance <= HIT_RADIUS).then_some((distance, event))
            }
            _ => None,
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, event)| event)
}
