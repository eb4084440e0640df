//! The timeline as SVG, built from the same shapes the canvas draws: vector export for slides
//! and papers. Colours are the Okabe–Ito palette; every kind also differs in shape or dash, and
//! findings carry their name, so nothing relies on colour alone.

use std::fmt::Write;

use super::headers::{EndState, END_PX, END_ROW_PX};
use super::timeline::{ArrowEnd, Highlight, Mark, Shape, Stretch, Viewport, LABEL_HEIGHT};
use crate::sim::{EventKind, Role};

/// Escapes text for XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn stretch_class(stretch: Stretch) -> &'static str {
    match stretch {
        Stretch::Paused => "stretch paused",
        Stretch::Crashed => "stretch crashed",
        Stretch::Role {
            role: Role::Leader,
            hazard: true,
        } => "stretch leader hazard",
        Stretch::Role {
            role: Role::Leader, ..
        } => "stretch leader",
        Stretch::Role {
            role: Role::Candidate,
            ..
        } => "stretch candidate",
        Stretch::Role {
            role: Role::LeaseHolder,
            ..
        } => "stretch lease",
        Stretch::Role {
            role: Role::Follower,
            ..
        } => "stretch follower",
    }
}

fn event_class(kind: EventKind, highlight: Highlight) -> String {
    let kind = match kind {
        EventKind::Send { .. } => "send",
        EventKind::Deliver { .. } => "deliver",
        EventKind::Drop { .. } => "drop",
        EventKind::Fault { .. } => "fault",
        EventKind::ClientRequest { .. } | EventKind::ClientReply { .. } => "client",
        _ => "local",
    };
    let highlight = match highlight {
        Highlight::None => "",
        Highlight::Selected => " selected",
        Highlight::Past => " past",
        Highlight::Future => " future",
        Highlight::Concurrent => " concurrent",
    };
    format!("event {kind}{highlight}")
}

/// The node names' type size in the export, px (as `.node-name` in [`STYLE`] says).
const NAME_PX: f64 = 15.0;

/// The export's stylesheet (its classes); the printed handouts hold it once per page.
pub const STYLE: &str = "\
.lifeline{stroke:#7a8797;stroke-width:1.5}\
.node-name{font:600 15px system-ui,sans-serif;fill:#14202e;text-anchor:middle}\
.event{fill:#0072b2}.event.drop{fill:#d55e00}.event.fault{fill:#cc79a7}\
.event.concurrent{opacity:.25}.event.past{fill:#e69f00}.event.future{fill:#009e73}\
.event.selected{fill:#14202e;stroke:#f0e442;stroke-width:3}\
.arrow{stroke:#56b4e9;stroke-width:1.4}.arrow.dropped{stroke:#d55e00;stroke-dasharray:4 3}\
.arrow.in-flight{stroke-dasharray:2 3}.arrow.duplicate{stroke-width:2.6}\
.cross{stroke:#d55e00;stroke-width:2.2}\
.stretch{opacity:.35}.paused{fill:#f0e442}.crashed{fill:#7a8797}.leader{fill:#009e73}\
.hazard{fill:#d55e00;opacity:.55}.candidate{fill:#56b4e9}.lease{fill:#cc79a7}.follower{fill:none}\
.mark{stroke:#14202e;stroke-width:2;fill:none}\
.finding path{fill:#fff;stroke:#d55e00;stroke-width:2}.finding rect{fill:#f6f7f9;opacity:.88}\
.finding text{font:700 11px system-ui,sans-serif;fill:#d55e00}\
.first-difference line{stroke:#d55e00;stroke-width:2;stroke-dasharray:8 5}\
.first-difference circle{fill:none;stroke:#d55e00;stroke-width:3}\
.faint{opacity:.22}.label rect{fill:#f6f7f9;opacity:.88}\
.label text{font:500 12px system-ui,sans-serif;fill:#14202e;text-anchor:middle}\
.label.strong text{font-weight:700}\
.density{fill:#0072b2}.density.d1{opacity:.25}.density.d2{opacity:.45}.density.d3{opacity:.7}\
.density.d4{opacity:.95}\
.split{fill:#d55e00;opacity:.08}.split-edge{stroke:#d55e00;stroke-width:1.5;stroke-dasharray:6 4;opacity:.7}\
.fold{fill:#f6f7f9}.fold-edge{fill:none;stroke:#4d5a69;stroke-width:1.5}\
.tick line{stroke:#4d5a69;stroke-width:1.5}.tick text{font:500 11px system-ui,sans-serif;fill:#4d5a69}\
.end-state line{stroke:#4d5a69;stroke-width:1.5}\
.end-state text{font:500 12px system-ui,sans-serif;fill:#14202e;text-anchor:middle}\
.end-state .end-caption{font-weight:700;font-size:11px;fill:#4d5a69;text-anchor:start}";

/// Renders `shapes` (from [`super::timeline::layout`]) as a standalone SVG document.
pub fn timeline_svg(
    shapes: &[Shape],
    viewport: &Viewport,
    node_names: &[String],
    end: Option<&EndState>,
) -> String {
    let (w, h) = (viewport.width, viewport.height);
    // The row under the lanes adds its height below the diagram.
    let total = h + end.map_or(0.0, |_| END_ROW_PX);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{total}\" viewBox=\"0 0 {w} {total}\">\
         <style>{STYLE}</style><rect width=\"{w}\" height=\"{total}\" fill=\"#f6f7f9\"/>"
    );
    // Each name as it fits its column at the export's type size (see `headers`); a shortened
    // one carries the full name as its title.
    let nodes = shapes
        .iter()
        .filter(|s| matches!(s, Shape::Lifeline { .. }))
        .count();
    let headers = super::headers::lifeline_headers(w, nodes, node_names, NAME_PX);
    for shape in shapes {
        match *shape {
            Shape::Lifeline { node, x } => {
                let _ = write!(
                    out,
                    "<line class=\"lifeline\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{h:.1}\"/>",
                    viewport.header,
                );
                if let Some(header) = headers.headers.get(node.index()) {
                    let title = if header.text == header.full {
                        String::new()
                    } else {
                        format!("<title>{}</title>", escape(&header.full))
                    };
                    let _ = write!(
                        out,
                        "<text class=\"node-name\" x=\"{x:.1}\" y=\"{:.1}\" \
                         style=\"font-size:{}px\">{title}{}</text>",
                        viewport.header - 12.0,
                        headers.font_px,
                        escape(&header.text)
                    );
                }
            }
            Shape::Stretch {
                x, y0, y1, stretch, ..
            } => {
                let (top, bottom) = (y0.min(y1).max(viewport.header), y0.max(y1).min(h));
                let _ = write!(
                    out,
                    "<rect class=\"{}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"10\" height=\"{:.1}\"/>",
                    stretch_class(stretch),
                    x - 5.0,
                    (bottom - top).max(1.0)
                );
            }
            Shape::Mark { x, y, mark, .. } => {
                let path = match mark {
                    Mark::Crash => format!("M{} {}l12 12m0 -12l-12 12", x - 6.0, y - 6.0),
                    Mark::Restart => format!("M{} {}l12 0l-6 -10z", x - 6.0, y + 5.0),
                    Mark::ClockJump => format!("M{} {}l4 -6l4 12l4 -6", x - 6.0, y),
                };
                let class = match mark {
                    Mark::Crash => "crash",
                    Mark::Restart => "restart",
                    Mark::ClockJump => "clock-jump",
                };
                let _ = write!(out, "<path class=\"mark {class}\" d=\"{path}\"/>");
            }
            Shape::Event {
                event,
                x,
                y,
                kind,
                highlight,
                faint,
                ..
            } => {
                let _ = write!(
                    out,
                    "<circle class=\"{}{}\" data-event=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\"/>",
                    event_class(kind, highlight),
                    if faint { " faint" } else { "" },
                    event.0
                );
            }
            Shape::Arrow {
                from,
                to,
                end,
                duplicate,
                faint,
                ..
            } => {
                let class = match end {
                    ArrowEnd::Delivered => "arrow delivered",
                    ArrowEnd::Dropped(_) => "arrow dropped",
                    ArrowEnd::InFlight => "arrow in-flight",
                };
                let duplicate = if duplicate { " duplicate" } else { "" };
                let faint = if faint { " faint" } else { "" };
                let _ = write!(
                    out,
                    "<line class=\"{class}{duplicate}{faint}\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                    from.0, from.1, to.0, to.1
                );
                if let ArrowEnd::Dropped(_) = end {
                    let _ = write!(
                        out,
                        "<path class=\"cross\" d=\"M{} {}l10 10m0 -10l-10 10\"/>",
                        to.0 - 5.0,
                        to.1 - 5.0
                    );
                }
            }
            Shape::Label {
                x,
                y,
                width,
                ref text,
                strong,
            } => {
                let class = if strong { "label strong" } else { "label" };
                let _ = write!(
                    out,
                    "<g class=\"{class}\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{width:.1}\" \
                     height=\"{LABEL_HEIGHT}\"/><text x=\"{x:.1}\" y=\"{:.1}\">{}</text></g>",
                    x - width / 2.0,
                    y - LABEL_HEIGHT / 2.0,
                    y + 4.0,
                    escape(text)
                );
            }
            Shape::Density {
                x,
                y0,
                y1,
                count,
                level,
                width,
                ..
            } => {
                // Overview: how many message events the node has in this slice, as two bars.
                let height = (y1 - y0).max(1.0);
                let bars: String = super::overview::density_bars(x, width)
                    .iter()
                    .map(|(left, w)| format!("M{left:.1} {y0:.1}h{w:.1}v{height:.1}h-{w:.1}z"))
                    .collect();
                let _ = write!(
                    out,
                    "<path class=\"density d{level}\" data-messages=\"{count}\" d=\"{bars}\"/>"
                );
            }
            Shape::Fold { y0, y1, .. } => {
                let edges: Vec<String> = [y0, y1]
                    .into_iter()
                    .map(|y| {
                        let points: Vec<String> = super::folds::break_edge(y, w)
                            .iter()
                            .map(|(x, y)| format!("{x:.1},{y:.1}"))
                            .collect();
                        format!(
                            "<polyline class=\"fold-edge\" points=\"{}\"/>",
                            points.join(" ")
                        )
                    })
                    .collect();
                let _ = write!(
                    out,
                    "<rect class=\"fold\" x=\"0\" y=\"{y0:.1}\" width=\"{w}\" height=\"{:.1}\"/>{}",
                    (y1 - y0).max(1.0),
                    edges.concat()
                );
            }
            Shape::Split { y0, y1, .. } => {
                let (top, bottom) = (y0.max(viewport.header), y1.min(h));
                let _ = write!(
                    out,
                    "<rect class=\"split\" x=\"0\" y=\"{top:.1}\" width=\"{w}\" height=\"{:.1}\"/>",
                    (bottom - top).max(1.0)
                );
                for edge in [y0, y1] {
                    if edge >= viewport.header && edge <= h {
                        let _ = write!(
                            out,
                            "<line class=\"split-edge\" x1=\"0\" y1=\"{edge:.1}\" x2=\"{w}\" y2=\"{edge:.1}\"/>"
                        );
                    }
                }
            }
            Shape::Tick {
                y,
                text_y,
                ref text,
                ..
            } => {
                let _ = write!(
                    out,
                    "<g class=\"tick\"><line x1=\"0\" y1=\"{y:.1}\" x2=\"5\" y2=\"{y:.1}\"/>\
                     <text x=\"{}\" y=\"{:.1}\">{}</text></g>",
                    super::axis::TICK_TEXT_X,
                    text_y + 4.0,
                    escape(text)
                );
            }
            Shape::Divergence { x, y } => {
                let _ = write!(
                    out,
                    "<g class=\"first-difference\"><title>First difference</title>\
                     <line x1=\"0\" y1=\"{y:.1}\" x2=\"{w:.1}\" y2=\"{y:.1}\"/>\
                     <circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"11\"/></g>"
                );
            }
            Shape::Finding {
                x,
                y,
                kind,
                index,
                named,
            } => {
                let label = escape(kind.label());
                // A name that would cover another finding's is left to the title.
                let name = if named {
                    format!(
                        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"16\"/>\
                         <text x=\"{:.1}\" y=\"{:.1}\">{label}</text>",
                        x + 11.0,
                        y - 8.0,
                        super::labels::text_width(kind.label(), 11.0),
                        x + 14.0,
                        y + 4.0
                    )
                } else {
                    String::new()
                };
                let _ = write!(
                    out,
                    "<g class=\"finding\" data-finding=\"{index}\"><title>{label}</title>\
                     <path d=\"{}\"/>{name}</g>",
                    super::markers::svg_path(kind, x, y, 10.0),
                );
            }
        }
    }
    if let Some(end) = end {
        end_row(&mut out, end, w, h);
    }
    out.push_str("</svg>");
    out
}

/// The row under the lanes at row `y`: its caption, then each node's state under its lane,
/// in at most two lines.
fn end_row(out: &mut String, end: &EndState, w: f64, y: f64) {
    let _ = write!(
        out,
        "<g class=\"end-state\"><line x1=\"0\" y1=\"{y:.1}\" x2=\"{w:.1}\" y2=\"{y:.1}\"/>\
         <text class=\"end-caption\" x=\"6\" y=\"{:.1}\">{}</text>",
        y + 13.0,
        escape(&end.caption)
    );
    let column = w / end.lines.len().max(1) as f64;
    for (lane, text) in end.lines.iter().enumerate() {
        let x = column * (lane as f64 + 0.5);
        for (row, line) in super::headers::wrap(text, column - 6.0, END_PX)
            .iter()
            .enumerate()
        {
            let _ = write!(
                out,
                "<text x=\"{x:.1}\" y=\"{:.1}\">{}</text>",
                y + 29.0 + 14.0 * row as f64,
                escape(line)
            );
        }
    }
    out.push_str("</g>");
}
