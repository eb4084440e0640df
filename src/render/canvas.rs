//! The thin canvas painter: draws timeline shapes, nothing else. Shapes of one style share one
//! path and one stroke or fill call, so a frame costs a handful of draw calls however many
//! events are on screen.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::timeline::{ArrowEnd, Highlight, Shape, Stretch, Viewport};
use crate::sim::{EventKind, Role};

/// Which stretches, arrows or events one draw batch takes.
type StretchFilter = fn(Stretch) -> bool;
type ArrowFilter = fn(ArrowEnd) -> bool;
type EventFilter = fn(EventKind, Highlight) -> bool;

/// Colours for one theme (Okabe–Ito; shapes and dashes carry meaning too).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: &'static str,
    pub ink: &'static str,
    pub lifeline: &'static str,
    pub message: &'static str,
    pub warning: &'static str,
    pub past: &'static str,
    pub future: &'static str,
    pub fault: &'static str,
    pub pause: &'static str,
    pub leader: &'static str,
    pub candidate: &'static str,
    pub crashed: &'static str,
}

pub const LIGHT: Palette = Palette {
    background: "#f6f7f9",
    ink: "#14202e",
    lifeline: "#7a8797",
    message: "#0072b2",
    warning: "#d55e00",
    past: "#e69f00",
    future: "#009e73",
    fault: "#cc79a7",
    pause: "#f0e442",
    leader: "#009e73",
    candidate: "#56b4e9",
    crashed: "#7a8797",
};

pub const DARK: Palette = Palette {
    background: "#0b1117",
    ink: "#e8eef5",
    lifeline: "#5d6b7b",
    message: "#56b4e9",
    warning: "#ff9a5c",
    past: "#e69f00",
    future: "#2fd0a0",
    fault: "#cc79a7",
    pause: "#f0e442",
    leader: "#009e73",
    candidate: "#56b4e9",
    crashed: "#9fb0c2",
};

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
fn batch(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    fill: bool,
    style: &str,
    mut add: impl FnMut(&CanvasRenderingContext2d, &Shape) -> bool,
) {
    context.begin_path();
    let mut any = false;
    for shape in shapes {
        any |= add(context, shape);
    }
    if !any {
        return;
    }
    if fill {
        context.set_fill_style_str(style);
        context.fill();
    } else {
        context.set_stroke_style_str(style);
        context.stroke();
    }
}

fn dot(context: &CanvasRenderingContext2d, x: f64, y: f64, radius: f64) {
    context.move_to(x + radius, y);
    let _ = context.arc(x, y, radius, 0.0, std::f64::consts::TAU);
}

/// Paints a timeline frame.
pub fn paint_timeline(
    context: &CanvasRenderingContext2d,
    shapes: &[Shape],
    viewport: &Viewport,
    names: &[String],
    palette: &Palette,
) {
    context.set_fill_style_str(palette.background);
    context.fill_rect(0.0, 0.0, viewport.width, viewport.height);
    let (top, bottom) = (viewport.header, viewport.height);

    // Lifeline stretches, one batch per kind.
    let bands: [(&str, StretchFilter); 5] = [
        (palette.pause, |s| s == Stretch::Paused),
        (palette.crashed, |s| s == Stretch::Crashed),
        (palette.leader, |s| {
            matches!(
                s,
                Stretch::Role {
                    role: Role::Leader,
                    hazard: false
                }
            )
        }),
        (palette.warning, |s| {
            matches!(
                s,
                Stretch::Role {
                    role: Role::Leader,
                    hazard: true
                }
            )
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
    context.set_global_alpha(0.45);
    for (style, wanted) in bands {
        batch(context, shapes, true, style, |c, s| match *s {
            Shape::Stretch {
                x, y0, y1, stretch, ..
            } if wanted(stretch) => {
                let (a, b) = (y0.min(y1).max(top), y0.max(y1).min(bottom));
                c.rect(x - 6.0, a, 12.0, (b - a).max(1.0));
                true
            }
            _ => false,
        });
    }
    context.set_global_alpha(1.0);

    context.set_line_width(1.5);
    batch(context, shapes, false, palette.lifeline, |c, s| match *s {
        Shape::Lifeline { x, .. } => {
            c.move_to(x, top);
            c.line_to(x, bottom);
            true
        }
        _ => false,
    });

    // Message arrows: delivered solid, in flight dotted, dropped dashed ending in a cross.
    let arrow_kinds: [(&str, &[f64], ArrowFilter); 3] = [
        (palette.message, &[], |e| e == ArrowEnd::Delivered),
        (palette.message, &[2.0, 3.0], |e| e == ArrowEnd::InFlight),
        (palette.warning, &[5.0, 3.0], |e| {
            matches!(e, ArrowEnd::Dropped(_))
        }),
    ];
    for (style, dash, wanted) in arrow_kinds {
        let pattern = js_sys_array(dash);
        let _ = context.set_line_dash(&pattern);
        batch(context, shapes, false, style, |c, s| match *s {
            Shape::Arrow { from, to, end, .. } if wanted(end) => {
                c.move_to(from.0, from.1);
                c.line_to(to.0, to.1);
                true
            }
            _ => false,
        });
    }
    let _ = context.set_line_dash(&js_sys_array(&[]));
    context.set_line_width(2.2);
    batch(context, shapes, false, palette.warning, |c, s| match *s {
        Shape::Arrow {
            to,
            end: ArrowEnd::Dropped(_),
            ..
        } => {
            c.move_to(to.0 - 5.0, to.1 - 5.0);
            c.line_to(to.0 + 5.0, to.1 + 5.0);
            c.move_to(to.0 + 5.0, to.1 - 5.0);
            c.line_to(to.0 - 5.0, to.1 + 5.0);
            true
        }
        _ => false,
    });

    // Events: one batch per colour.
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
    for (style, wanted) in event_kinds {
        batch(context, shapes, true, style, |c, s| match *s {
            Shape::Event {
                x,
                y,
                kind,
                highlight,
                ..
            } if wanted(kind, highlight) => {
                dot(c, x, y, 4.0);
                true
            }
            _ => false,
        });
    }
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
    batch(context, shapes, true, palette.ink, |c, s| match *s {
        Shape::Event {
            x,
            y,
            highlight: Highlight::Selected,
            ..
        } => {
            dot(c, x, y, 6.0);
            true
        }
        _ => false,
    });

    // Marks and findings: shapes, not colour alone.
    context.set_line_width(2.0);
    batch(context, shapes, false, palette.ink, |c, s| match *s {
        Shape::Mark { x, y, .. } => {
            c.move_to(x - 7.0, y - 7.0);
            c.line_to(x + 7.0, y + 7.0);
            c.move_to(x + 7.0, y - 7.0);
            c.line_to(x - 7.0, y + 7.0);
            true
        }
        _ => false,
    });
    batch(context, shapes, true, palette.warning, |c, s| match *s {
        Shape::Finding { x, y, .. } => {
            // A diamond.
            c.move_to(x, y - 10.0);
            c.line_to(x + 10.0, y);
            c.line_to(x, y + 10.0);
            c.line_to(x - 10.0, y);
            c.close_path();
            true
        }
        _ => false,
    });

    context.set_fill_style_str(palette.ink);
    context.set_font("600 15px system-ui, sans-serif");
    context.set_text_align("center");
    for shape in shapes {
        if let Shape::Lifeline { node, x } = *shape {
            let name = names
                .get(node.index())
                .cloned()
                .unwrap_or_else(|| node.to_string());
            let _ = context.fill_text(&name, x, top - 12.0);
        }
    }
}

/// A dash pattern as the JavaScript array `setLineDash` expects.
fn js_sys_array(values: &[f64]) -> js_sys::Array {
    values
        .iter()
        .map(|&v| wasm_bindgen::JsValue::from_f64(v))
        .collect()
}
