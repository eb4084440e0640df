//! Folded stretches: how a whole story fits one view at a readable scale. Between the events a
//! lesson turns on, a run often has long stretches where nothing new happens (a client asking
//! for a lock it is refused, again and again; heartbeats; silence). The story frame folds each
//! such stretch into a break across all lanes, a few pixels tall and labelled with what it hides
//! ("⋯ 8.1 s: Client D: lock request ×8; Lock service: lock busy ×8 ⋯"), drawn like a broken
//! axis. Clicking a fold opens it; zooming keeps the picture's proportions, folds and all.
//!
//! Pure. A [`Folds`] is a piecewise-linear map between axis values and *display* values: the
//! camera and the viewport work in display values, so pans and zooms stay linear, and only
//! [`Folds::display`] and [`Folds::value`] know a fold is there. [`story_folds`] decides where
//! the folds go; [`fold_words`] says what one hides.

use super::camera::Camera;
use super::timeline::{axis_value, Axis};
use crate::sim::words::duration;
use crate::sim::{label, EventId, EventKind, Micros, Names, NodeId, Words};

/// The most folds a view holds.
pub const MAX_FOLDS: usize = 6;
/// The height (px) a fold takes when the story is framed.
pub const FOLD_PX: f64 = 22.0;
/// The height (px) of a fold where no message is sent: a thin break.
pub const QUIET_PX: f64 = 10.0;
/// Room (px) kept between a fold and the events either side of it.
const MARGIN_PX: f64 = 22.0;
/// A stretch is folded only if, unfolded, it would take at least this many times the room its
/// fold takes: folding must buy real room.
const WORTH: f64 = 1.0;

/// One folded stretch: axis values `from` to `to`, shown `shown` display units long.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fold {
    pub from: f64,
    pub to: f64,
    pub shown: f64,
}

/// The folds of a view, in order along the axis, never overlapping (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Folds {
    count: usize,
    folds: [Fold; MAX_FOLDS],
}

impl Folds {
    /// No folds: display values are axis values.
    pub const NONE: Folds = Folds {
        count: 0,
        folds: [Fold {
            from: 0.0,
            to: 0.0,
            shown: 0.0,
        }; MAX_FOLDS],
    };

    /// Folds from a list, keeping the first [`MAX_FOLDS`] that are well formed (finite, in
    /// order, not overlapping, shorter on screen than along the axis).
    pub fn new(list: &[Fold]) -> Folds {
        let mut folds = Folds::NONE;
        let mut after = f64::NEG_INFINITY;
        for fold in list {
            let sane = [fold.from, fold.to, fold.shown]
                .iter()
                .all(|v| v.is_finite())
                && fold.from >= after
                && fold.to > fold.from
                && fold.shown > 0.0
                && fold.shown < fold.to - fold.from;
            if sane && folds.count < MAX_FOLDS {
                folds.folds[folds.count] = *fold;
                folds.count += 1;
                after = fold.to;
            }
        }
        folds
    }

    pub fn list(&self) -> &[Fold] {
        &self.folds[..self.count]
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The display value of axis value `value`: folds before it count only their shown length.
    pub fn display(&self, value: f64) -> f64 {
        let mut display = value;
        for fold in self.list() {
            if value <= fold.from {
                break;
            }
            let inside = value.min(fold.to) - fold.from;
            display -= inside * (1.0 - fold.shown / (fold.to - fold.from));
        }
        display
    }

    /// The axis value at display value `display` (the inverse of [`Folds::display`]).
    pub fn value(&self, display: f64) -> f64 {
        let mut removed = 0.0;
        for fold in self.list() {
            let start = fold.from - removed;
            if display <= start {
                break;
            }
            if display < start + fold.shown {
                return fold.from + (display - start) * (fold.to - fold.from) / fold.shown;
            }
            removed += fold.to - fold.from - fold.shown;
        }
        display + removed
    }

    /// The fold that hides axis value `value`, if one does (its ends are not hidden).
    pub fn hiding(&self, value: f64) -> Option<usize> {
        self.list()
            .iter()
            .position(|f| f.from < value && value < f.to)
    }

    /// These folds with fold `index` opened.
    pub fn without(&self, index: usize) -> Folds {
        let mut list = self.list().to_vec();
        if index < list.len() {
            list.remove(index);
        }
        Folds::new(&list)
    }
}

/// The story frame on `axis` in a window `height` px tall: the stretch of true time `from`–`to`
/// with `moments` (true times the lesson names) in view and unfolded, every idle stretch
/// between folded (see [`story_folds`]) until a `typical` latency (µs) takes 16 px.
pub fn story_camera(
    words: &dyn Words,
    names: &Names,
    axis: Axis,
    ((from, to), moments): ((Micros, Micros), &[Micros]),
    typical: Micros,
    height: f64,
) -> Camera {
    let trace = words.skeleton();
    // The moments on this axis: on true time their own values, on the others the first event
    // at or after each.
    let value = |at: Micros| match axis {
        Axis::TrueTime => Some(at as f64),
        _ => {
            let index = trace.events().partition_point(|e| e.time < at);
            (index < trace.len()).then(|| axis_value(trace, axis, EventId(index as u32)))
        }
    };
    let keep: Vec<f64> = moments.iter().filter_map(|&m| value(m)).collect();
    // Readable: a typical message's latency (a Lamport tick) takes 16 px.
    let readable = match axis {
        Axis::Lamport => 16.0,
        _ => 16.0 / typical.max(1) as f64,
    };
    // On the other axes, the values of the events in the stretch.
    let inside = (0..trace.len())
        .filter(|&i| (from..=to).contains(&trace.events()[i].time))
        .map(|i| axis_value(trace, axis, EventId(i as u32)));
    let extent = match axis {
        Axis::TrueTime => (from as f64, to as f64),
        _ => inside.fold((f64::INFINITY, 0.0_f64), |(l, h), v| (l.min(v), h.max(v))),
    };
    let folds = story_folds(
        words,
        names,
        axis,
        extent,
        &keep,
        (Camera::room(height), readable),
    );
    Camera::fit_story(axis, extent, folds, height)
}

/// The zigzag edge of a fold's break at row `y`, across `width` px: the points of a line,
/// as a broken axis is drawn.
pub fn break_edge(y: f64, width: f64) -> Vec<(f64, f64)> {
    let teeth = (width / 12.0).ceil().max(1.0) as usize;
    (0..=teeth)
        .map(|i| {
            let x = (i as f64 * 12.0).min(width);
            (x, if i % 2 == 0 { y - 2.5 } else { y + 2.5 })
        })
        .collect()
}

/// Where the story's idle stretches fold so that axis values `extent` fit `room` px: a stretch
/// folds when no event in it is new to the run (every one repeats an earlier event's words on
/// the same node: a refused request asked again, a heartbeat) and none of `keep` (axis values
/// the lesson names: its narration's moments, its findings) falls in it. A message's two ends
/// count as one: if either is new, both stay. Folds are made, longest first, only until the
/// scale reaches `readable` (px per axis unit: where a message's latency takes real height).
/// No folds when folding would not buy room.
pub fn story_folds(
    words: &dyn Words,
    names: &Names,
    axis: Axis,
    extent: (f64, f64),
    keep: &[f64],
    (room, readable): (f64, f64),
) -> Folds {
    let (low, high) = (extent.0.max(0.0), extent.1);
    let plain = room / (high - low).max(1.0);
    if !(low.is_finite() && high.is_finite() && high > low && room > 0.0) {
        return Folds::NONE;
    }
    let trace = words.skeleton();
    let new = new_events(words, names);
    // The marks in order, as the bits of non-negative floats (which sort as the numbers do;
    // adding 0 turns -0 into 0).
    let mut marks: Vec<u64> = Vec::new();
    let mut mark = |value: f64| {
        if (low..=high).contains(&value) {
            insert_sorted(&mut marks, (value + 0.0).to_bits());
        }
    };
    mark(low);
    mark(high);
    keep.iter().for_each(|&v| mark(v));
    for (index, &is_new) in new.iter().enumerate() {
        if is_new {
            mark(axis_value(trace, axis, EventId(index as u32)));
        }
    }
    let marks: Vec<f64> = marks.into_iter().map(f64::from_bits).collect();
    // The longest gaps, longest first (found by scanning: no sort of gaps is worth its bytes).
    let mut gaps: Vec<(f64, f64)> = Vec::new();
    let mut taken = vec![false; marks.len()];
    while gaps.len() < MAX_FOLDS {
        let longest = (1..marks.len())
            .filter(|&i| !taken[i])
            .max_by(|&a, &b| (marks[a] - marks[a - 1]).total_cmp(&(marks[b] - marks[b - 1])));
        let Some(i) = longest else { break };
        taken[i] = true;
        gaps.push((marks[i - 1], marks[i]));
    }
    // A stretch where no message is sent folds to a thin break; one that hides messages, to a
    // band tall enough for its words.
    let quiet: Vec<bool> = gaps
        .iter()
        .map(|&(a, b)| {
            !trace.events().iter().enumerate().any(|(index, event)| {
                let value = axis_value(trace, axis, EventId(index as u32));
                matches!(event.kind, EventKind::Send { .. }) && a < value && value < b
            })
        })
        .collect();
    let height = |k: usize| if quiet[k] { QUIET_PX } else { FOLD_PX };
    // Fold the k longest gaps for the k that gives the largest scale, each fold worth its
    // room, until the story is readable.
    let mut best = (0, plain);
    let (mut folded, mut taken_px) = (0.0, 0.0);
    for (k, gap) in gaps.iter().enumerate() {
        if best.1 >= readable {
            break;
        }
        let each = height(k) + 2.0 * MARGIN_PX;
        folded += gap.1 - gap.0;
        taken_px += each;
        let scale = (room - taken_px) / (high - low - folded);
        if !(scale.is_finite() && scale > best.1) || (gap.1 - gap.0) * scale < WORTH * each {
            break;
        }
        best = (k + 1, scale);
    }
    let (count, scale) = best;
    // In order along the axis: the few chosen are put in place one by one.
    let mut chosen: Vec<Fold> = Vec::new();
    for (k, &(a, b)) in gaps[..count].iter().enumerate() {
        let at = chosen.iter().filter(|f| f.from < a).count();
        chosen.insert(
            at,
            Fold {
                from: a + MARGIN_PX / scale,
                to: b - MARGIN_PX / scale,
                shown: height(k) / scale,
            },
        );
    }
    Folds::new(&chosen)
}

/// Puts `value` in its place in the sorted `list` unless it is there; true if it was not.
fn insert_sorted(list: &mut Vec<u64>, value: u64) -> bool {
    match list.binary_search(&value) {
        Ok(_) => false,
        Err(at) => {
            list.insert(at, value);
            true
        }
    }
}

/// A 64-bit FNV-1a hash of `parts`: tells apart the words events say, without keeping them.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for part in parts {
        for &byte in part.iter().chain(&[0xff]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// For each event, whether it is new to the run: the first on its node with its words (for a
/// message, its sender, receiver and words), or one end of a message whose other end is new.
fn new_events(words: &dyn Words, names: &Names) -> Vec<bool> {
    let trace = words.skeleton();
    let mut seen: Vec<u64> = Vec::new();
    let mut new: Vec<bool> = trace
        .events()
        .iter()
        .map(|event| {
            let said = label(words, event.kind, names);
            // A message's ends have its words (a drop, its reason): keyed by its link, the
            // send is new where its words are, and its delivery goes with it (below).
            let key = match event.kind {
                EventKind::Send { msg }
                | EventKind::Deliver { msg }
                | EventKind::Drop { msg, .. }
                | EventKind::Duplicate { msg, .. } => {
                    let record = trace.message(msg);
                    hash(&[&[record.from.0, record.to.0], said.as_bytes()])
                }
                _ => hash(&[&[event.node.0], said.as_bytes()]),
            };
            insert_sorted(&mut seen, key)
        })
        .collect();
    // A message's two ends stand or fall together.
    for index in 0..new.len() {
        if let EventKind::Deliver { msg } | EventKind::Drop { msg, .. } = trace.events()[index].kind
        {
            let send = trace.message(msg).send_event.index();
            if send < new.len() && (new[index] || new[send]) {
                new[index] = true;
                new[send] = true;
            }
        }
    }
    new
}

/// What fold `fold` hides, in words that fit `width` px at `font_px`: its length and the
/// messages sent in it, the commonest first ("⋯ 8.1 s: Client D: lock request ×8; Lock
/// service: lock busy ×8 ⋯"), shortened as the width asks.
pub fn fold_words(
    words: &dyn Words,
    names: &Names,
    axis: Axis,
    fold: &Fold,
    width: f64,
    font_px: f64,
) -> String {
    let trace = words.skeleton();
    let kinds = words.message_kinds();
    // Messages sent in the fold, counted by sender and kind.
    let mut counts: Vec<(NodeId, u8, u32)> = Vec::new();
    // On true time the events in the fold are one run of the trace: only it is read.
    let events = trace.events();
    let (first, last) = match axis {
        Axis::TrueTime => (
            events.partition_point(|e| (e.time as f64) <= fold.from),
            events.partition_point(|e| (e.time as f64) < fold.to),
        ),
        _ => (0, events.len()),
    };
    for (index, event) in events.iter().enumerate().take(last).skip(first) {
        let value = axis_value(trace, axis, EventId(index as u32));
        if !(fold.from < value && value < fold.to) {
            continue;
        }
        if let EventKind::Send { msg } = event.kind {
            let kind = trace.message(msg).kind;
            match counts
                .iter_mut()
                .find(|(node, k, _)| *node == event.node && *k == kind)
            {
                Some(entry) => entry.2 += 1,
                None => counts.push((event.node, kind, 1)),
            }
        }
    }
    let length = fold.to - fold.from;
    let span = match axis {
        Axis::Lamport => format!("{} Lamport ticks", length.round() as u64),
        Axis::TrueTime | Axis::LocalClock => duration(length.round() as u64),
    };
    let mut parts: Vec<String> = Vec::new();
    for _ in 0..2 {
        let Some(top) = (0..counts.len()).max_by_key(|&i| (counts[i].2, usize::MAX - i)) else {
            break;
        };
        let (node, kind, count) = counts.swap_remove(top);
        let what = kinds.get(usize::from(kind)).copied().unwrap_or("message");
        parts.push(format!("{}: {what} ×{count}", names.full(node)));
    }
    if parts.is_empty() {
        parts.push("no messages".to_string());
    }
    // As many parts as fit, the commonest first; at least the length.
    for shown in (1..=parts.len()).rev() {
        let text = format!("⋯ {span}: {} ⋯", parts[..shown].join("; "));
        if super::labels::text_width(&text, font_px) <= width {
            return text;
        }
    }
    format!("⋯ {span} ⋯")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> Folds {
        Folds::new(&[
            Fold {
                from: 100.0,
                to: 200.0,
                shown: 10.0,
            },
            Fold {
                from: 300.0,
                to: 1_300.0,
                shown: 20.0,
            },
        ])
    }

    #[test]
    fn display_and_value_are_inverses_and_folds_shrink_their_stretch() {
        let folds = two();
        assert_eq!(folds.display(50.0), 50.0);
        assert_eq!(folds.display(200.0), 110.0);
        assert_eq!(folds.display(150.0), 105.0);
        assert_eq!(folds.display(1_300.0), 230.0);
        assert_eq!(folds.display(1_400.0), 330.0);
        for value in [
            0.0, 99.0, 100.0, 150.0, 200.0, 250.0, 300.0, 800.0, 1_300.0, 5_000.0,
        ] {
            assert!(
                (folds.value(folds.display(value)) - value).abs() < 1e-9,
                "{value}"
            );
        }
        assert_eq!(Folds::NONE.display(42.0), 42.0);
        assert_eq!(Folds::NONE.value(42.0), 42.0);
    }

    #[test]
    fn malformed_folds_are_left_out_and_opening_one_keeps_the_rest() {
        let folds = Folds::new(&[
            Fold {
                from: 10.0,
                to: 5.0,
                shown: 1.0,
            },
            Fold {
                from: 10.0,
                to: 20.0,
                shown: f64::NAN,
            },
            Fold {
                from: 10.0,
                to: 20.0,
                shown: 30.0,
            },
        ]);
        assert!(folds.is_empty());
        let opened = two().without(0);
        assert_eq!(opened.list().len(), 1);
        assert_eq!(opened.hiding(150.0), None);
        assert_eq!(opened.hiding(400.0), Some(0));
        assert_eq!(two().hiding(100.0), None, "a fold's ends stay in view");
    }
}
