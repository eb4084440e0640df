//! The timeline's legend: every mark the diagram uses, drawn with the same shapes and dashes.

use yew::prelude::*;

use crate::render::markers::{svg_path, FINDING_KINDS};

/// One legend entry: an inline SVG sample (24×16 user units) and its meaning.
fn entry(sample: Html, label: &str) -> Html {
    html! {
        <li>
            <svg class="legend-sample" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true">
                { sample }
            </svg>
            <span>{ label.to_string() }</span>
        </li>
    }
}

fn line(class: &'static str) -> Html {
    html! { <line class={class} x1="2" y1="3" x2="22" y2="13" /> }
}

fn band(class: &'static str) -> Html {
    html! { <rect class={classes!("band", class)} x="6" y="1" width="12" height="14" /> }
}

pub fn legend() -> Html {
    let findings = FINDING_KINDS.iter().map(|&kind| {
        entry(
            html! { <path class="finding" d={svg_path(kind, 12.0, 8.0, 7.0)} /> },
            kind.label(),
        )
    });
    html! {
        <details class="legend">
            <summary>{ "Legend" }</summary>
            <div class="legend-body">
                <ul aria-label="Messages and events">
                    { entry(html! { <>{ line("arrow") }<path class="arrowhead" d="M22 13l-7 -1l3 -5z" /></> }, "message delivered") }
                    { entry(line("arrow dotted"), "message in flight") }
                    { entry(html! { <>{ line("arrow dropped") }<path class="cross" d="M17 8l6 6m0 -6l-6 6" /></> }, "message dropped (✗ where it died)") }
                    { entry(html! { <>{ line("arrow") }<line class="arrow" x1="2" y1="6" x2="22" y2="16" /></> }, "duplicated message") }
                    { entry(html! { <>
                        <path class="density d1" d="M7 1h2v4h-2zM15 1h2v4h-2z" />
                        <path class="density d2" d="M5 6h4v4h-4zM15 6h4v4h-4z" />
                        <path class="density d4" d="M2 11h7v4h-7zM15 11h7v4h-7z" />
                    </> }, "zoomed far out: messages per node (wider and darker is busier)") }
                    { entry(html! { <circle class="event" cx="12" cy="8" r="4" /> }, "event") }
                    { entry(html! { <circle class="event fault" cx="12" cy="8" r="4" /> }, "injected fault") }
                </ul>
                <ul aria-label="Selection">
                    { entry(html! { <><circle class="selected-ring" cx="12" cy="8" r="7" /><circle class="event selected" cx="12" cy="8" r="5" /></> }, "selected event") }
                    { entry(html! { <><circle class="event past" cx="12" cy="8" r="4" /><circle class="ring" cx="12" cy="8" r="6.5" /></> }, "happened before it") }
                    { entry(html! { <><circle class="event future" cx="12" cy="8" r="4" /><circle class="ring" cx="12" cy="8" r="6.5" /></> }, "happened after it") }
                    { entry(html! { <circle class="event concurrent" cx="12" cy="8" r="4" /> }, "concurrent with it") }
                </ul>
                <ul aria-label="Lifelines">
                    { entry(band("paused"), "paused (GC, stop-the-world)") }
                    { entry(band("crashed"), "crashed") }
                    { entry(band("leader"), "leader") }
                    { entry(html! { <>{ band("hazard") }<path class="hatch" d="M6 9l12 -8M6 15l12 -8" /></> }, "two leaders at once") }
                    { entry(band("candidate"), "candidate or lease held") }
                    { entry(html! { <path class="mark" d="M7 3l10 10m0 -10l-10 10" /> }, "crash") }
                    { entry(html! { <path class="mark restart" d="M5 14h14l-7 -12z" /> }, "restart") }
                    { entry(html! { <path class="mark clock-jump" d="M4 8l4 -6l8 12l4 -6" /> }, "clock stepped") }
                </ul>
                <ul aria-label="Findings">{ for findings }</ul>
            </div>
        </details>
    }
}
