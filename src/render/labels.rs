//! Words on the diagram, as in the book's figures: each message's label along its arrow
//! ("lease granted, token 33"), and local events' beside their markers ("write accepted").
//! Pure: given the laid-out shapes it decides which get a label and where, and never lets two
//! labels overlap — a label that finds no free place is left out (hover still tells).
//!
//! Who goes first: the events a finding names and the selected event (always labelled, moved
//! up or down the arrow until they fit), then faults, then messages, then local steps and client
//! requests (in a view of more than [`MAX_LABELLED_ARROWS`] arrows, no plain messages).
//! Messages of kinds played down in the legend, timers and starts are not
//! labelled: they are the noise of a protocol, not its story. Texts are made only for labels
//! that could still fit, so a dense frame costs little.

use super::timeline::{ArrowEnd, Shape, Viewport, LABEL_HEIGHT};
use crate::detect::Finding;
use crate::sim::words::duration;
use crate::sim::{
    label, Command, DropReason, EventId, EventKind, MsgId, Names, NodeId, Skeleton, Words,
};

/// The most labels a frame carries: beyond this the picture is a wall of words.
pub const MAX_LABELS: usize = 150;
/// The longest label, in characters; longer ones end in an ellipsis.
pub const MAX_LABEL_CHARS: usize = 48;
/// With more arrows than this in view, messages are too dense to label one by one: only the
/// strong labels, faults and local steps are placed.
pub const MAX_LABELLED_ARROWS: usize = 400;
/// Arrows shorter than this on screen (px, horizontally) carry no label.
const MIN_ARROW_SPAN: f64 = 30.0;
/// Gap kept between labels, px.
const GAP: f64 = 2.0;
/// Room between an event's marker and a label beside it, px (clears a finding's marker).
const SIDE_GAP: f64 = 14.0;

/// A box on screen: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    fn around(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            left: x - width / 2.0,
            top: y - height / 2.0,
            right: x + width / 2.0,
            bottom: y + height / 2.0,
        }
    }

    /// True when the two boxes share any area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn grown(&self, by: f64) -> Rect {
        Rect {
            left: self.left - by,
            top: self.top - by,
            right: self.right + by,
            bottom: self.bottom + by,
        }
    }
}

/// The box a placed label takes.
pub fn label_rect(shape: &Shape) -> Option<Rect> {
    match *shape {
        Shape::Label { x, y, width, .. } => Some(Rect::around(x, y, width, LABEL_HEIGHT)),
        _ => None,
    }
}

/// The box the cross at a dropped message's end takes (drawn 10 px across).
pub fn cross_rect(shape: &Shape) -> Option<Rect> {
    match *shape {
        Shape::Arrow {
            to,
            end: ArrowEnd::Dropped(_),
            ..
        } => Some(Rect::around(to.0, to.1, 12.0, 12.0)),
        _ => None,
    }
}

/// The box a time-axis tick's number takes (see [`super::axis`]).
pub fn tick_rect(shape: &Shape) -> Option<Rect> {
    match *shape {
        Shape::Tick { text_y, width, .. } => Some(Rect {
            left: super::axis::TICK_TEXT_X,
            top: text_y - LABEL_HEIGHT / 2.0,
            right: super::axis::TICK_TEXT_X + width,
            bottom: text_y + LABEL_HEIGHT / 2.0,
        }),
        _ => None,
    }
}

/// The box a finding's name takes beside its marker at (`x`, `y`), as the painters write it:
/// bold, a size above the labels' `font_px`, on the side with room.
pub fn finding_name_rect(
    viewport: &Viewport,
    x: f64,
    y: f64,
    kind: crate::detect::FindingKind,
    font_px: f64,
) -> Rect {
    let width = text_width(kind.label(), 13.0 * font_px / 12.0);
    let left = if x < viewport.width * 0.6 {
        x + 14.0
    } else {
        x - 14.0 - width
    };
    Rect {
        left,
        top: y - LABEL_HEIGHT / 2.0,
        right: left + width,
        bottom: y + LABEL_HEIGHT / 2.0,
    }
}

/// The width (px) of `text` at `font_px`: a generous estimate for a sans-serif face, so the
/// box always holds the text (the painter measures nothing).
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.56 + 8.0
}

/// Boxes taken so far, bucketed by row so a check looks only at its neighbours.
struct Taken {
    rows: Vec<Vec<Rect>>,
    row_height: f64,
    bounds: Rect,
}

impl Taken {
    fn new(viewport: &Viewport) -> Taken {
        let row_height = LABEL_HEIGHT * 2.0;
        let rows = (viewport.height / row_height).ceil().max(1.0) as usize + 1;
        Taken {
            rows: vec![Vec::new(); rows],
            row_height,
            bounds: Rect {
                left: 0.0,
                top: viewport.header,
                right: viewport.width,
                bottom: viewport.height,
            },
        }
    }

    fn span(&self, rect: &Rect) -> std::ops::RangeInclusive<usize> {
        let last = self.rows.len() - 1;
        let row = |y: f64| ((y / self.row_height).max(0.0) as usize).min(last);
        row(rect.top)..=row(rect.bottom)
    }

    /// Whether `rect` lies on screen, below the header, clear of every box taken.
    fn free(&self, rect: &Rect) -> bool {
        let b = &self.bounds;
        if rect.left < b.left || rect.right > b.right || rect.top < b.top || rect.bottom > b.bottom
        {
            return false;
        }
        let grown = rect.grown(GAP / 2.0);
        self.span(rect).all(|row| {
            self.rows[row]
                .iter()
                .all(|r| !r.grown(GAP / 2.0).overlaps(&grown))
        })
    }

    fn take(&mut self, rect: Rect) {
        for row in self.span(&rect) {
            self.rows[row].push(rect);
        }
    }
}

/// What wants a label.
#[derive(Clone, Copy)]
enum Want {
    Arrow {
        msg: MsgId,
        from: (f64, f64),
        to: (f64, f64),
    },
    Event {
        event: EventId,
        x: f64,
        y: f64,
    },
    /// The cross where a message died.
    Cross {
        reason: DropReason,
        x: f64,
        y: f64,
    },
}

/// Places labels for the `shapes` of one frame (see the module doc). `font_px` is the labels'
/// type size; findings' own labels (drawn beside their markers) are kept clear of.
#[allow(clippy::too_many_arguments)]
pub fn place_labels(
    words: &dyn Words,
    names: &Names,
    shapes: &[Shape],
    viewport: &Viewport,
    findings: &[Finding],
    selected: Option<EventId>,
    font_px: f64,
) -> Vec<Shape> {
    let trace = words.skeleton();
    let mut taken = Taken::new(viewport);
    let lanes = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Lifeline { .. }))
        .count();
    let lane = viewport.width / lanes.max(1) as f64 - 2.0 * GAP;
    // The time axis's numbers, and the crosses where messages died, stay clear.
    for rect in shapes
        .iter()
        .filter_map(|s| tick_rect(s).or_else(|| cross_rect(s)))
    {
        taken.take(rect);
    }
    // Findings' markers, and their labels drawn beside them (as the canvas does: bold, on the
    // side with room), stay clear.
    for shape in shapes {
        if let Shape::Finding {
            x, y, kind, named, ..
        } = *shape
        {
            taken.take(Rect::around(x, y, 22.0, 22.0));
            if named {
                taken.take(finding_name_rect(viewport, x, y, kind, font_px));
            }
        }
    }
    let mut placed = Vec::new();
    // Each fold says what it hides, in the middle of its break; nothing else goes there.
    for shape in shapes {
        if let Shape::Fold { y0, y1, index } = *shape {
            let Some(fold) = viewport.folds.list().get(index) else {
                continue;
            };
            let room = viewport.width - 4.0 * GAP;
            let text = super::folds::fold_words(words, names, viewport.axis, fold, room, font_px);
            let width = text_width(&text, font_px).min(room);
            let y = (y0 + y1) / 2.0;
            if y > viewport.header && y < viewport.height {
                placed.push(Shape::Label {
                    x: viewport.width / 2.0,
                    y,
                    width,
                    text,
                    strong: false,
                });
            }
            taken.take(Rect {
                left: 0.0,
                top: y0 - 3.0,
                right: viewport.width,
                bottom: y1 + 3.0,
            });
        }
    }
    // Each split of the network says which groups it made, inside its band near the top.
    let banded = shapes.iter().any(|s| matches!(s, Shape::Split { .. }));
    let splits = if banded {
        super::splits::splits(trace)
    } else {
        Vec::new()
    };
    for shape in shapes {
        if let Shape::Split { y0, y1, start } = *shape {
            let Some(split) = splits.iter().find(|s| s.start == start) else {
                continue;
            };
            let text = shorten(split_words(&split.groups, names));
            let width = text_width(&text, font_px);
            let (top, bottom) = (y0.max(viewport.header), y1.min(viewport.height));
            let mut row = top + LABEL_HEIGHT / 2.0 + GAP;
            while row + LABEL_HEIGHT / 2.0 <= bottom {
                let right = viewport.width - GAP - width / 2.0;
                let left = viewport.width * 0.25;
                let spot = [right, left]
                    .into_iter()
                    .map(|x| Rect::around(x, row, width, LABEL_HEIGHT))
                    .find(|rect| taken.free(rect));
                if let Some(rect) = spot {
                    taken.take(rect);
                    placed.push(Shape::Label {
                        x: (rect.left + rect.right) / 2.0,
                        y: row,
                        width,
                        text,
                        strong: false,
                    });
                    break;
                }
                row += LABEL_HEIGHT + GAP;
            }
        }
    }
    let named: Vec<EventId> = findings
        .iter()
        .flat_map(|f| f.events.iter().copied())
        .chain(selected)
        .filter(|e| e.index() < trace.len())
        .collect();
    // Which message an event belongs to, for finding the arrow of a named event.
    let message_of = |event: EventId| match trace.event(event).kind {
        EventKind::Send { msg }
        | EventKind::Deliver { msg }
        | EventKind::Drop { msg, .. }
        | EventKind::Duplicate { msg, .. } => Some(msg),
        _ => None,
    };
    let named_messages: Vec<MsgId> = named.iter().filter_map(|&e| message_of(e)).collect();
    let crowded = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Arrow { .. }))
        .count()
        > MAX_LABELLED_ARROWS;
    // Candidates in order of priority.
    let mut wants: Vec<(u8, Want)> = Vec::new();
    // The receivers and reasons of the crosses to be labelled: the first cross of each says
    // it ("lost"); the others (a partition's dozen) are crosses alone.
    let mut crossed: Vec<(NodeId, DropReason)> = Vec::new();
    for shape in shapes {
        match *shape {
            Shape::Arrow {
                msg,
                from,
                to,
                end,
                faint,
                ..
            } => {
                let strong = named_messages.contains(&msg);
                if crowded && !strong {
                    continue;
                }
                let span = (to.0 - from.0).abs();
                if !strong && span < MIN_ARROW_SPAN && !matches!(end, ArrowEnd::Dropped(_)) {
                    continue;
                }
                // Kinds played down in the legend stay quiet: no words unless a finding
                // names them.
                if faint && !strong {
                    continue;
                }
                let rank = if strong { 0 } else { 2 };
                wants.push((rank, Want::Arrow { msg, from, to }));
                // Where a message died, its cross says so ("lost", "dropped: link cut"), ahead
                // of the messages' own words.
                if let ArrowEnd::Dropped(reason) = end {
                    let said = (trace.message(msg).to, reason);
                    if strong || !crossed.contains(&said) {
                        crossed.push(said);
                        let (x, y) = to;
                        wants.push((rank.min(1), Want::Cross { reason, x, y }));
                    }
                }
            }
            Shape::Event {
                event, x, y, kind, ..
            } => {
                if echoes_a_note(words, names, event) || (banded && starts_a_partition(trace, kind))
                {
                    continue;
                }
                let strong = named.contains(&event) && message_of(event).is_none();
                let rank = match kind {
                    _ if strong => 0,
                    EventKind::Fault { .. } => 1,
                    EventKind::Local { .. }
                    | EventKind::ClientReply { .. }
                    | EventKind::ClientRequest { .. }
                    | EventKind::Role { .. } => 3,
                    _ => continue,
                };
                wants.push((rank, Want::Event { event, x, y }));
            }
            _ => {}
        }
    }
    // A stable sort keeps the layout's order (time order) within a rank.
    crate::sim::sort::sort_by_key(&mut wants, |(rank, _)| *rank);
    for (rank, want) in wants {
        if placed.len() >= MAX_LABELS {
            break;
        }
        let strong = rank == 0;
        let spots = spots(want, strong);
        // Before making the text: could even the smallest label fit anywhere?
        let smallest = text_width("ok", font_px);
        if !spots
            .iter()
            .any(|&(x, y, side)| taken.free(&boxed(x, y, smallest, side)))
        {
            continue;
        }
        let text = shorten(match want {
            Want::Arrow { msg, .. } => words.message(msg, names),
            Want::Cross { reason, .. } => cross_words(reason).to_string(),
            Want::Event { event, .. } => {
                let text = label(words, trace.event(event).kind, names);
                match pause_length(trace, event) {
                    Some(length) => format!("{text}, {length}"),
                    None => text,
                }
            }
        });
        let width = text_width(&text, font_px);
        // Below a marker only when the label fits in the node's own lane.
        let spot = spots
            .iter()
            .filter(|&&(_, _, side)| side != Side::Below || width <= lane)
            .map(|&(x, y, side)| (boxed(x, y, width, side), side))
            .find(|(rect, _)| taken.free(rect));
        if let Some((rect, _)) = spot {
            taken.take(rect);
            placed.push(Shape::Label {
                x: (rect.left + rect.right) / 2.0,
                y: (rect.top + rect.bottom) / 2.0,
                width,
                text,
                strong,
            });
        }
    }
    placed
}

/// A cross's words: short, as the book writes them.
fn cross_words(reason: DropReason) -> &'static str {
    match reason {
        DropReason::Lost => "lost",
        DropReason::LinkDown => "dropped: link cut",
        DropReason::NodeCrashed => "dropped: receiver down",
        DropReason::ByCommand => "dropped by hand",
    }
}

/// "network split: A, B | C, D, E".
fn split_words(groups: &[Vec<crate::sim::NodeId>], names: &Names) -> String {
    let groups: Vec<String> = groups
        .iter()
        .map(|group| {
            let names: Vec<String> = group.iter().map(|&n| names.of(n).into_owned()).collect();
            names.join(", ")
        })
        .collect();
    format!("network split: {}", groups.join(" | "))
}

/// Whether `kind` is the fault that partitions the network: its band says it.
fn starts_a_partition(trace: &Skeleton, kind: EventKind) -> bool {
    matches!(kind, EventKind::Fault { index }
        if matches!(trace.fault(index), Command::Partition { .. }))
}

/// How long the pause `event` starts lasts, in words ("15 s"), when it is a pause: until the
/// node resumes (or crashes), or "not yet resumed" while the trace has neither.
fn pause_length(trace: &Skeleton, event: EventId) -> Option<String> {
    let paused = trace.event(event);
    let EventKind::Fault { index } = paused.kind else {
        return None;
    };
    let Command::Pause { node } = *trace.fault(index) else {
        return None;
    };
    let ends = trace.node_events(node).iter().find(|&&later| {
        later > event
            && matches!(trace.event(later).kind, EventKind::Fault { index }
                if matches!(trace.fault(index), Command::Resume { .. })
                    || trace.fault(index).crashes().is_some())
    });
    Some(match ends {
        Some(&end) => duration(trace.event(end).time - paused.time),
        None => "not yet resumed".to_string(),
    })
}

/// A reply to the client that says what the node has just noted (the same words, the event
/// before it on the same node): one label says it.
fn echoes_a_note(words: &dyn Words, names: &Names, event: EventId) -> bool {
    let trace = words.skeleton();
    let EventKind::ClientReply { note, .. } = trace.event(event).kind else {
        return false;
    };
    let Some(before) = event
        .index()
        .checked_sub(1)
        .map(|i| trace.event(EventId(i as u32)))
    else {
        return false;
    };
    matches!(before.kind, EventKind::Local { note: noted }
        if before.node == trace.event(event).node
            && words.note(noted, names) == words.note(note, names))
}

/// Where a label's box sits relative to its point.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// Centred on the point (along an arrow).
    Centre,
    /// Starting just right of the point (beside a marker).
    Right,
    /// Ending just left of it.
    Left,
    /// Centred just below it, on its own lifeline.
    Below,
}

fn boxed(x: f64, y: f64, width: f64, side: Side) -> Rect {
    let centre = match side {
        Side::Centre => x,
        Side::Right => x + SIDE_GAP + width / 2.0,
        Side::Left => x - SIDE_GAP - width / 2.0,
        Side::Below => x,
    };
    let y = if side == Side::Below {
        y + SIDE_GAP + LABEL_HEIGHT / 2.0
    } else {
        y
    };
    Rect::around(centre, y, width, LABEL_HEIGHT)
}

/// The places a label may go, best first: along an arrow at its middle, then nearer either
/// end; beside a marker on the right, then the left. Labels beside markers also try the rows
/// just below and above (strong ones six rows each way).
fn spots(want: Want, strong: bool) -> Vec<(f64, f64, Side)> {
    let mut spots = Vec::new();
    match want {
        Want::Arrow { from, to, .. } => {
            for t in [0.5, 0.35, 0.65, 0.2, 0.8] {
                spots.push((
                    from.0 + (to.0 - from.0) * t,
                    from.1 + (to.1 - from.1) * t,
                    Side::Centre,
                ));
            }
        }
        // Beside the marker on the right; below it, on its own lifeline; then the left (which
        // reaches into the lane before it).
        Want::Event { x, y, .. } => {
            spots.push((x, y, Side::Right));
            spots.push((x, y, Side::Below));
            spots.push((x, y, Side::Left));
        }
        // Beside the cross, clear of it (the side gap keeps a 10 px cross uncovered).
        Want::Cross { x, y, .. } => {
            spots.push((x, y, Side::Right));
            spots.push((x, y, Side::Left));
        }
    }
    // Strong labels search six rows down and up; others one.
    let rows = if strong {
        6
    } else if matches!(want, Want::Event { .. } | Want::Cross { .. }) {
        1
    } else {
        0
    };
    if rows > 0 {
        let first = spots.clone();
        for step in 1..=rows {
            let dy = step as f64 * (LABEL_HEIGHT + GAP);
            // Just after the event first: a note usually reads below what caused it.
            for &(x, y, side) in first.iter().filter(|s| s.2 != Side::Below).take(2) {
                spots.push((x, y + dy, side));
                spots.push((x, y - dy, side));
            }
        }
    }
    spots
}

/// At most [`MAX_LABEL_CHARS`] characters, ending in an ellipsis when cut.
fn shorten(text: String) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_overlap_only_when_they_share_area() {
        let a = Rect::around(10.0, 10.0, 10.0, 10.0);
        assert!(a.overlaps(&Rect::around(14.0, 14.0, 10.0, 10.0)));
        assert!(!a.overlaps(&Rect::around(20.0, 10.0, 10.0, 10.0)));
        assert!(!a.overlaps(&Rect::around(10.0, 30.0, 10.0, 10.0)));
    }

    #[test]
    fn long_labels_end_in_an_ellipsis() {
        let long = "x".repeat(80);
        let short = shorten(long);
        assert_eq!(short.chars().count(), MAX_LABEL_CHARS);
        assert!(short.ends_with('…'));
        assert_eq!(shorten("token 33".to_string()), "token 33");
    }
}
