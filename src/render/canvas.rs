//! The thin canvas painter: draws timeline shapes, nothing else. Shapes of one style share one
//! path and one stroke or fill call, so a frame costs a handful of draw calls however many
//! events are on screen.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub use super::palette::{Palette, DARK, LIGHT};
use super::timeline::{ArrowEnd, Highlight, Mark, Shape, Stretch, Viewport};
use crate::sim::{EventKind, Role};

/// Which stretches, arrows or events one draw batch takes.
type StretchFilter = fn(Stretch) -> bool;
type ArrowFilter = fn(ArrowEnd) -> bool;
type EventFilter = fn(EventKind, Highlight) -> bool;

/// Sizes the canvas's backing store for the device pixel ratio (crisp on HiDPI screens) and
/// returns a context whose units are CSS pixels.
pub fn prepare(
    canvas: &HtmlCanvasElement,
    css_width: f64,
    css_height: f64,
    pixel_ratio: f64,
) -> Option<CanvasRenderingContext2d> {
    let ratio = if pixel_ratio.is_finite() && pixel_ratio > 0.0 {
        pixel_ratio
    } else {
        1.0
    };
    canvas.set_width((css_width * ratio).round().max(1.0) as u32);
    canvas.set_height((css_height * ratio).round().max(1.0) as u32);
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    context
        .set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0)
        .ok()?;
    Some(context)
}

/// Builds one path from every shape `add` accepts, then strokes or fills it once.
pub(super) fn batch<S>(
    context: &CanvasRenderingContext2d,
    shapes: &[S],
    fill: bool,
    style: &str,
    mut add: impl FnMut(&CanvasRenderingContext2d, &S) -> bool,
) {
    context.begin_path();
    let mut any = false;
    for shape in shapes {
        any |= add(context, shape);
    }
    if any {
        finish(context, fill, style);
    }
}

fn finish(context: &CanvasRenderingContext2d, fill: bool, style: &str) {
    if fill {
        context.set_fill_style_str(style);
        context.fill();
    } else {
        context.set_stroke_style_str(style);
        context.stroke();
    }
}

pub(super) fn dot(context: &CanvasRenderingContext2d, x: f64, y: f64, radius: f64) {
    context.move_to(x + radius, y);
    let _ = context.arc(x, y, radius, 0.0, std::f64::consts::TAU);
}

/// Paints a timeline frame. `now` holds, per lifeline, the row of the simulation's present
/// (see [`super::timeline::now_rows`]), drawn as a dashed line that bends with clock skew.
pub fn paint_timeline(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    names: &[String],
    palette: &Palette,
    now: &[f64],
) {
    // Each frame starts from the same drawing state, whatever the last one left behind (line
    // joins, dashes, alpha), so a frame's pixels depend only on what it shows.
    context.save();
    paint_timeline_frame(context, shapes, viewport, names, palette, now);
    context.restore();
}

fn paint_timeline_frame(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    names: &[String],
    palette: &Palette,
    now: &[f64],
) {
    context.set_fill_style_str(palette.background);
    context.fill_rect(0.0, 0.0, viewport.width, viewport.height);
    paint_density(context, shapes, palette);
    paint_splits(context, shapes, viewport, palette);
    paint_stretches(context, shapes, viewport, palette);
    context.set_line_width(1.5);
    batch(context, shapes, false, palette.lifeline, |c, s| match *s {
        Shape::Lifeline { x, .. } => {
            c.move_to(x, viewport.header);
            c.line_to(x, viewport.height);
            true
        }
        _ => false,
    });
    paint_ticks(context, shapes, palette);
    paint_now(context, shapes, viewport, palette, now);
    paint_divergence(context, shapes, viewport, palette);
    paint_arrows(context, shapes, palette);
    paint_events(context, shapes, palette);
    paint_marks(context, shapes, palette);
    paint_folds(context, shapes, viewport, palette);
    paint_labels(context, shapes, palette);
    paint_findings(context, shapes, viewport, palette);
    paint_headers(context, shapes, viewport, names, palette);
}

/// Two runs compared: the first difference as a dashed rule across the diagram and a ring on
/// its node's lifeline (see [`super::compare`]).
fn paint_divergence(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    palette: &Palette,
) {
    context.set_line_width(2.0);
    let _ = context.set_line_dash(&js_sys_array(&[8.0, 5.0]));
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        Shape::Divergence { y, .. } => {
            c.move_to(0.0, y);
            c.line_to(viewport.width, y);
            true
        }
        _ => false,
    });
    let _ = context.set_line_dash(&js_sys_array(&[]));
    context.set_line_width(3.0);
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        Shape::Divergence { x, y } => {
            dot(c, x, y, 11.0);
            true
        }
        _ => false,
    });
}

fn paint_stretches(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    palette: &Palette,
) {
    let leader = |hazard| Stretch::Role {
        role: Role::Leader,
        hazard,
    };
    let bands: [(&str, StretchFilter); 5] = [
        (palette.pause, |s| s == Stretch::Paused),
        (palette.crashed, |s| s == Stretch::Crashed),
        (palette.leader, |s| {
            s == Stretch::Role {
                role: Role::Leader,
                hazard: false,
            }
        }),
        (palette.warning, |s| {
            s == Stretch::Role {
                role: Role::Leader,
                hazard: true,
            }
        }),
        (palette.candidate, |s| {
            matches!(
                s,
                Stretch::Role {
                    role: Role::Candidate | Role::LeaseHolder,
                    ..
                }
            )
        }),
    ];
    let (top, bottom) = (viewport.header, viewport.height);
    let span = |y0: f64, y1: f64| {
        let (a, b) = (y0.min(y1).max(top), y0.max(y1).min(bottom));
        (a, (b - a).max(1.0))
    };
    context.set_global_alpha(0.6);
    for (style, wanted) in bands {
        batch(context, shapes, true, style, |c, s| match *s {
            Shape::Stretch {
                x, y0, y1, stretch, ..
            } if wanted(stretch) => {
                let (y, h) = span(y0, y1);
                c.rect(x - 6.0, y, 12.0, h);
                true
            }
            _ => false,
        });
    }
    context.set_global_alpha(1.0);
    // Pauses and crashes are outlined: a pale yellow alone vanishes on a projector.
    context.set_line_width(1.0);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        Shape::Stretch {
            x,
            y0,
            y1,
            stretch: Stretch::Paused | Stretch::Crashed,
            ..
        } => {
            let (y, h) = span(y0, y1);
            c.rect(x - 6.0, y, 12.0, h);
            true
        }
        _ => false,
    });
    // Split-brain hazard: hatched as well as coloured, so it reads without colour.
    context.set_line_width(1.5);
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        Shape::Stretch {
            x, y0, y1, stretch, ..
        } if stretch == leader(true) => {
            let (y, h) = span(y0, y1);
            let mut row = y;
            while row < y + h {
                c.move_to(x - 6.0, (row + 8.0).min(y + h));
                c.line_to(x + 6.0, row);
                row += 8.0;
            }
            true
        }
        _ => false,
    });
}

fn paint_now(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    palette: &Palette,
    rows: &[f64],
) {
    let columns: Vec<f64> = shapes
        .iter()
        .filter_map(|s| match *s {
            Shape::Lifeline { x, .. } => Some(x),
            _ => None,
        })
        .collect();
    let points: Vec<(f64, f64)> = columns.iter().copied().zip(rows.iter().copied()).collect();
    let (Some(&(_, first)), Some(&(_, last))) = (points.first(), points.last()) else {
        return;
    };
    if points
        .iter()
        .all(|&(_, y)| !(viewport.header..=viewport.height).contains(&y))
    {
        return;
    }
    let _ = context.set_line_dash(&js_sys_array(&[6.0, 4.0]));
    context.set_line_width(1.2);
    context.begin_path();
    context.move_to(0.0, first);
    for &(x, y) in &points {
        // Flat across each lifeline, so each node's reading is legible where it is.
        context.line_to(x - 14.0, y);
        context.line_to(x + 14.0, y);
    }
    context.line_to(viewport.width, last);
    context.set_stroke_style_str(palette.ink);
    context.stroke();
    let _ = context.set_line_dash(&js_sys_array(&[]));
    context.set_fill_style_str(palette.ink);
    context.set_font(&palette.font(600, 12.0));
    context.set_text_align("left");
    let _ = context.fill_text("now", 4.0, first - 4.0);
}

/// Above this many arrows on screen, the view counts as dense.
const DENSE_ARROWS: usize = 400;

fn paint_arrows(context: &CanvasRenderingContext2d, shapes: &[Shape], palette: &Palette) {
    // Delivered solid, in flight dotted, dropped dashed ending in a cross.
    let arrow_kinds: [(&str, &[f64], ArrowFilter); 3] = [
        (palette.message, &[], |e| e == ArrowEnd::Delivered),
        (palette.message, &[2.0, 3.0], |e| e == ArrowEnd::InFlight),
        (palette.warning, &[5.0, 3.0], |e| {
            matches!(e, ArrowEnd::Dropped(_))
        }),
    ];
    // Dense views thin their arrows out so the events and markers on top stay legible, and
    // draw them as 1 px lines without dashes: software rasterisers take twice as long over
    // wider lines and about ten times as long over dashed ones (measured in headless Chromium).
    let arrows = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Arrow { .. }))
        .count();
    let dense = arrows > DENSE_ARROWS;
    let alpha = (DENSE_ARROWS as f64 / arrows.max(1) as f64).clamp(0.3, 1.0);
    context.set_global_alpha(alpha);
    context.set_line_width(if dense { 1.0 } else { 1.5 });
    // Kinds played down in the legend are drawn in a second, fainter pass.
    for (faint_pass, pass_alpha) in [(false, alpha), (true, alpha * FAINT_ALPHA)] {
        context.set_global_alpha(pass_alpha);
        paint_arrow_pass(context, shapes, &arrow_kinds, dense, faint_pass);
    }
    let _ = context.set_line_dash(&js_sys_array(&[]));
    context.set_global_alpha(1.0);
    context.set_line_width(2.2);
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        Shape::Arrow {
            to,
            end: ArrowEnd::Dropped(_),
            faint: false,
            ..
        } => {
            cross(c, to.0, to.1, 5.0);
            true
        }
        _ => false,
    });
}

/// How much fainter the message kinds played down in the legend are drawn.
const FAINT_ALPHA: f64 = 0.22;

/// One pass over the arrows: the faint ones or the others.
fn paint_arrow_pass(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    arrow_kinds: &[(&str, &[f64], ArrowFilter); 3],
    dense: bool,
    faint_pass: bool,
) {
    for &(style, dash, wanted) in arrow_kinds {
        // Dropped arrows keep their cross when dense, so they still differ by shape.
        let dash: &[f64] = if dense { &[] } else { dash };
        let _ = context.set_line_dash(&js_sys_array(dash));
        batch(context, shapes, false, style, |c, s| match *s {
            Shape::Arrow {
                from,
                to,
                end,
                duplicate,
                faint,
                ..
            } if wanted(end) && faint == faint_pass => {
                c.move_to(from.0, from.1);
                c.line_to(to.0, to.1);
                // Dense views leave heads off: time flows down, so the lower end is the
                // receiver, and thousands of heads only add ink (and raster time).
                if end == ArrowEnd::Delivered && !dense {
                    arrowhead(c, from, to);
                }
                if duplicate {
                    // A duplicate is a double line: the copy beside the original.
                    let (nx, ny) = normal(from, to, 3.0);
                    c.move_to(from.0 + nx, from.1 + ny);
                    c.line_to(to.0 + nx, to.1 + ny);
                }
                true
            }
            _ => false,
        });
    }
}

/// A vector of `length` at right angles to the segment.
fn normal(from: (f64, f64), to: (f64, f64), length: f64) -> (f64, f64) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let norm = (dx * dx + dy * dy).sqrt().max(1e-9);
    (-dy / norm * length, dx / norm * length)
}

/// An open chevron at `to`, stroked with the arrow itself: one path, no extra fill (a fill
/// of thousands of small triangles cost 13 ms a frame in `make bench`).
fn arrowhead(context: &CanvasRenderingContext2d, from: (f64, f64), to: (f64, f64)) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let norm = (dx * dx + dy * dy).sqrt();
    if norm < 1.0 {
        return;
    }
    let (ux, uy) = (dx / norm, dy / norm);
    let (back_x, back_y) = (to.0 - ux * 8.0, to.1 - uy * 8.0);
    context.move_to(back_x - uy * 4.0, back_y + ux * 4.0);
    context.line_to(to.0, to.1);
    context.line_to(back_x + uy * 4.0, back_y - ux * 4.0);
}

fn cross(context: &CanvasRenderingContext2d, x: f64, y: f64, half: f64) {
    context.move_to(x - half, y - half);
    context.line_to(x + half, y + half);
    context.move_to(x + half, y - half);
    context.line_to(x - half, y + half);
}

/// Above this many events on screen, events are drawn as small squares.
const DENSE_EVENTS: usize = 1_500;

fn paint_events(context: &CanvasRenderingContext2d, shapes: &[Shape], palette: &Palette) {
    let event_kinds: [(&str, EventFilter); 5] = [
        (palette.message, |k, h| {
            h == Highlight::None && !matches!(k, EventKind::Fault { .. } | EventKind::Drop { .. })
        }),
        (palette.fault, |k, h| {
            h == Highlight::None && matches!(k, EventKind::Fault { .. })
        }),
        (palette.warning, |k, h| {
            h == Highlight::None && matches!(k, EventKind::Drop { .. })
        }),
        (palette.past, |_, h| h == Highlight::Past),
        (palette.future, |_, h| h == Highlight::Future),
    ];
    // Thousands of overlapping dots read as a line anyway; small squares rasterise in half
    // the time of circles in software (measured in headless Chromium).
    let events = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Event { .. }))
        .count();
    let dense = events > DENSE_EVENTS;
    for (style, wanted) in event_kinds {
        batch(context, shapes, true, style, |c, s| match *s {
            Shape::Event {
                x,
                y,
                kind,
                highlight,
                faint: false,
                ..
            } if wanted(kind, highlight) => {
                if dense {
                    c.rect(x - 3.0, y - 3.0, 6.0, 6.0);
                } else {
                    dot(c, x, y, 4.0);
                }
                true
            }
            _ => false,
        });
    }
    context.set_global_alpha(FAINT_ALPHA);
    batch(context, shapes, true, palette.message, |c, s| match *s {
        Shape::Event {
            x, y, faint: true, ..
        } => {
            c.rect(x - 2.5, y - 2.5, 5.0, 5.0);
            true
        }
        _ => false,
    });
    context.set_global_alpha(1.0);
    // Causal past and future also differ in shape: a ring around each.
    context.set_line_width(1.5);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        Shape::Event {
            x,
            y,
            highlight: Highlight::Past | Highlight::Future,
            ..
        } => {
            dot(c, x, y, 6.5);
            true
        }
        _ => false,
    });
    context.set_global_alpha(0.25);
    batch(context, shapes, true, palette.message, |c, s| match *s {
        Shape::Event {
            x,
            y,
            highlight: Highlight::Concurrent,
            ..
        } => {
            dot(c, x, y, 4.0);
            true
        }
        _ => false,
    });
    context.set_global_alpha(1.0);
    let selected = |c: &CanvasRenderingContext2d, s: &Shape, radius: f64| match *s {
        Shape::Event {
            x,
            y,
            highlight: Highlight::Selected,
            ..
        } => {
            dot(c, x, y, radius);
            true
        }
        _ => false,
    };
    batch(context, shapes, true, palette.pause, |c, s| {
        selected(c, s, 9.0)
    });
    batch(context, shapes, true, palette.ink, |c, s| {
        selected(c, s, 6.0)
    });
}

fn paint_marks(context: &CanvasRenderingContext2d, shapes: &[Shape], palette: &Palette) {
    context.set_line_width(2.5);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        Shape::Mark {
            x,
            y,
            mark: Mark::Crash,
            ..
        } => {
            cross(c, x, y, 7.0);
            true
        }
        _ => false,
    });
    batch(context, shapes, true, palette.future, |c, s| match *s {
        Shape::Mark {
            x,
            y,
            mark: Mark::Restart,
            ..
        } => {
            c.move_to(x - 7.0, y + 6.0);
            c.line_to(x + 7.0, y + 6.0);
            c.line_to(x, y - 6.0);
            c.close_path();
            true
        }
        _ => false,
    });
    batch(context, shapes, false, palette.fault, |c, s| match *s {
        Shape::Mark {
            x,
            y,
            mark: Mark::ClockJump,
            ..
        } => {
            c.move_to(x - 8.0, y);
            c.line_to(x - 4.0, y - 6.0);
            c.line_to(x + 4.0, y + 6.0);
            c.line_to(x + 8.0, y);
            true
        }
        _ => false,
    });
}

fn paint_findings(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    palette: &Palette,
) {
    let outlines = |c: &CanvasRenderingContext2d, s: &Shape| match *s {
        Shape::Finding { x, y, kind, .. } => {
            for (i, (px, py)) in super::markers::outline(kind, x, y, 11.0)
                .into_iter()
                .enumerate()
            {
                if i == 0 {
                    c.move_to(px, py);
                } else {
                    c.line_to(px, py);
                }
            }
            c.close_path();
            true
        }
        _ => false,
    };
    // A halo in the background colour keeps the marker clear of lines beneath it.
    context.set_line_width(5.0);
    batch(context, shapes, false, palette.background, outlines);
    batch(context, shapes, true, palette.warning, outlines);
    context.set_font(&palette.font(700, 13.0));
    context.set_fill_style_str(palette.warning);
    context.set_stroke_style_str(palette.background);
    context.set_line_width(4.0);
    context.set_line_join("round");
    for shape in shapes {
        if let Shape::Finding {
            x,
            y,
            kind,
            named: true,
            ..
        } = *shape
        {
            // Labels go on the side with room, so the rightmost column's stay on screen, on a
            // box of the background colour that keeps them readable over arrows.
            let name =
                super::labels::finding_name_rect(viewport, x, y, kind, 12.0 * palette.text_scale);
            context.set_fill_style_str(palette.background);
            context.fill_rect(
                name.left,
                name.top,
                name.right - name.left,
                name.bottom - name.top,
            );
            context.set_text_align("left");
            context.set_fill_style_str(palette.warning);
            let _ = context.fill_text(kind.label(), name.left + 3.0, y + 4.0);
        }
    }
}

/// The network's splits: a faint band across the lanes, dashed at its edges (see
/// [`super::splits`]).
fn paint_splits(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    palette: &Palette,
) {
    if !shapes.iter().any(|s| matches!(s, Shape::Split { .. })) {
        return;
    }
    let (top, bottom) = (viewport.header, viewport.height);
    context.set_global_alpha(0.08);
    batch(context, shapes, true, palette.warning, |c, s| match *s {
        Shape::Split { y0, y1, .. } => {
            let (a, b) = (y0.max(top), y1.min(bottom));
            c.rect(0.0, a, viewport.width, (b - a).max(1.0));
            true
        }
        _ => false,
    });
    context.set_global_alpha(0.7);
    context.set_line_width(1.5);
    let _ = context.set_line_dash(&js_sys_array(&[6.0, 4.0]));
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        Shape::Split { y0, y1, .. } => {
            for edge in [y0, y1].into_iter().filter(|&e| e >= top && e <= bottom) {
                c.move_to(0.0, edge);
                c.line_to(viewport.width, edge);
            }
            true
        }
        _ => false,
    });
    let _ = context.set_line_dash(&js_sys_array(&[]));
    context.set_global_alpha(1.0);
}

/// Folded stretches: a band of the background across every lane, covering what passes
/// through it, between two zigzag edges (see [`super::folds`]).
fn paint_folds(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    palette: &Palette,
) {
    if !shapes.iter().any(|s| matches!(s, Shape::Fold { .. })) {
        return;
    }
    batch(context, shapes, true, palette.background, |c, s| match *s {
        Shape::Fold { y0, y1, .. } => {
            c.rect(0.0, y0, viewport.width, (y1 - y0).max(1.0));
            true
        }
        _ => false,
    });
    context.set_global_alpha(0.8);
    context.set_line_width(1.5);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        Shape::Fold { y0, y1, .. } => {
            for y in [y0, y1] {
                for (i, (x, y)) in super::folds::break_edge(y, viewport.width)
                    .into_iter()
                    .enumerate()
                {
                    if i == 0 {
                        c.move_to(x, y);
                    } else {
                        c.line_to(x, y);
                    }
                }
            }
            true
        }
        _ => false,
    });
    context.set_global_alpha(1.0);
}

/// The time axis: a short mark at the left edge and its number beside it.
fn paint_ticks(context: &CanvasRenderingContext2d, shapes: &[Shape], palette: &Palette) {
    let ticks = || shapes.iter().filter(|s| matches!(s, Shape::Tick { .. }));
    if ticks().next().is_none() {
        return;
    }
    context.set_global_alpha(0.8);
    context.set_line_width(1.5);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        Shape::Tick { y, .. } => {
            c.move_to(0.0, y);
            c.line_to(5.0, y);
            true
        }
        _ => false,
    });
    context.set_fill_style_str(palette.ink);
    context.set_text_align("left");
    context.set_text_baseline("middle");
    context.set_font(&palette.font(500, super::axis::TICK_PX));
    for shape in ticks() {
        if let Shape::Tick { text_y, text, .. } = shape {
            let _ = context.fill_text(text, super::axis::TICK_TEXT_X, *text_y + 0.5);
        }
    }

    context.set_global_alpha(1.0);
    context.set_text_baseline("alphabetic");
}

/// Labels: each on a box of the background colour, so it reads over arrows; those a finding
/// names (or the selected event's) in bold.
fn paint_labels(context: &CanvasRenderingContext2d, shapes: &[Shape], palette: &Palette) {
    let labels = || shapes.iter().filter(|s| matches!(s, Shape::Label { .. }));
    if labels().next().is_none() {
        return;
    }
    context.set_global_alpha(0.88);
    batch(
        context,
        shapes,
        true,
        palette.background,
        |c, s| match super::labels::label_rect(s) {
            Some(r) => {
                c.rect(r.left, r.top, r.right - r.left, r.bottom - r.top);
                true
            }
            None => false,
        },
    );
    context.set_global_alpha(1.0);
    context.set_fill_style_str(palette.ink);
    context.set_text_align("center");
    context.set_text_baseline("middle");
    for strong in [false, true] {
        context.set_font(&palette.font(if strong { 700 } else { 500 }, LABEL_PX));
        for shape in labels() {
            if let Shape::Label {
                x,
                y,
                text,
                strong: s,
                ..
            } = shape
            {
                if *s == strong {
                    let _ = context.fill_text(text, *x, *y + 0.5);
                }
            }
        }
    }
    context.set_text_baseline("alphabetic");
}

/// The labels' type size before projector scaling, px.
pub const LABEL_PX: f64 = 12.0;

fn paint_headers(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    names: &[String],
    palette: &Palette,
) {
    // The header band stays opaque so content scrolled under it does not show through.
    context.set_fill_style_str(palette.background);
    context.fill_rect(0.0, 0.0, viewport.width, viewport.header);
    let nodes = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Lifeline { .. }))
        .count();
    // Each name as it fits its column (see `headers`): shortened at a word, or the letter.
    let headers = super::headers::lifeline_headers(
        viewport.width,
        nodes,
        names,
        super::headers::HEADER_PX * palette.text_scale,
    );
    context.set_fill_style_str(palette.ink);
    context.set_font(&format!("600 {}px system-ui, sans-serif", headers.font_px));
    context.set_text_align("center");
    for header in &headers.headers {
        let _ = context.fill_text(&header.text, header.x, viewport.header - 14.0);
    }
}

/// A dash pattern as the JavaScript array `setLineDash` expects.
pub(super) fn js_sys_array(values: &[f64]) -> js_sys::Array {
    values
        .iter()
        .map(|&v| wasm_bindgen::JsValue::from_f64(v))
        .collect()
}

/// Overview density bars (see [`super::overview`]): one filled path per shade, two bars per
/// shape beside the lifeline, width and shade both set by the layout.
fn paint_density(context: &CanvasRenderingContext2d, shapes: &[Shape], palette: &Palette) {
    for (index, alpha) in super::overview::DENSITY_ALPHA.iter().enumerate() {
        let wanted = index as u8 + 1;
        context.set_global_alpha(*alpha);
        batch(context, shapes, true, palette.message, |c, s| match *s {
            Shape::Density {
                x,
                y0,
                y1,
                level,
                width,
                ..
            } if level == wanted => {
                for (left, width) in super::overview::density_bars(x, width) {
                    c.rect(left, y0, width, (y1 - y0).max(1.0));
                }
                true
            }
            _ => false,
        });
    }
    context.set_global_alpha(1.0);
}
