//! Printable handouts (issue 28 §3): a page per lesson and one for the whole course, written
//! natively at build time (`cargo run --example handouts -- dist/handouts`, which `make dist`
//! runs) from the same stage, camera, layout and SVG export the app uses. Compiled only off
//! wasm (see `ui/mod.rs`): the handouts cost the bundle nothing.
//!
//! Each lesson is two sheets, each one printed page (A4 or US Letter):
//! - **The question** — the title, the story so far (the narration lines shown by then), the
//!   diagram *at the moment guided mode asks its question* (the stage stops just before the first
//!   event that answers it, [`Prediction::reveal`]; `tests/guided_questions.rs` checks nothing
//!   drawn or narrated by then gives the answer away), the question with its choices as tick
//!   boxes, and lined space for an answer and a reason. The lesson sentence is *not* here: it
//!   states what goes wrong, which is the answer.
//! - **After the run** — the end-of-run story view the app rests on (the preset's frame around
//!   its key moment, fix off), the recap in the app's words ([`Scenario::recap`]) and a
//!   challenge.
//!
//! So a teacher can print the question sheets alone (before the lesson: "Question pages only")
//! or both. The answer is never marked, on either sheet: no choice is flagged, no explanation
//! is printed. The end-of-run figure does show what happened; it is on its own sheet for that.
//!
//! The choices are in the order the app shows them at the preset's own seed
//! ([`Prediction::order`]: what every link to the lesson shows), not in the data's order, where
//! the right answer is the second choice in most presets and a sheet would give it away.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::message_filter::filter_of;
use super::stage::{Stage, Stop};
use crate::render::drawn::Drawn;
use crate::render::headers::END_ROW_PX;
use crate::render::labels::text_width;
use crate::render::svg::{escape, timeline_svg, STYLE};
use crate::render::timeline::{Axis, Shape};
use crate::scenarios::{self, Prediction, Scenario, RECAP_HEADINGS, TOPICS};

/// The diagrams' size in px, as drawn (then scaled to the page's width): the app's canvas width,
/// with labels at their on-screen size.
pub const FIGURE_WIDTH: f64 = 680.0;
/// The question's diagram height at most, px: less when the sheet's words take more room (see
/// [`question_height`]).
pub const QUESTION_HEIGHT: f64 = 380.0;
/// …and at least.
pub const QUESTION_MIN_HEIGHT: f64 = 240.0;
/// The end-of-run diagram height, px.
pub const STORY_HEIGHT: f64 = 470.0;

/// The question diagram's accessible name.
const QUESTION_LABEL: &str = "Sequence diagram of the run just before the question: one line \
                              per node, time flowing down, messages as arrows";

/// The presets a handout is made for: every one but free play (the sandbox asks no question of
/// its own), in the picker's order, with its topic.
pub fn lessons() -> Vec<(&'static str, Scenario)> {
    TOPICS
        .iter()
        .flat_map(|(topic, ids)| ids.iter().map(move |id| (*topic, *id)))
        .filter_map(|(topic, id)| {
            let scenario = scenarios::by_id(id)?;
            (!scenario.prediction.reveal.is_empty()).then_some((topic, scenario))
        })
        .collect()
}

/// The challenges printed under the recap: the lesson's built-in ones (`crate::challenge`),
/// each with its budget and hint, and where to play it (`?challenge=<id>`); `None` for a lesson
/// without one, which gets the general challenge [`lesson_sheets`] prints.
pub fn challenge_box(id: &str) -> Option<String> {
    let mut out = String::new();
    for challenge in crate::challenge::builtin()
        .iter()
        .filter(|c| c.scenario == id)
    {
        let _ = write!(
            out,
            "<p><strong>{}.</strong> {} {} <em>Hint:</em> {} <span class=\"h-source\">Play it: \
             ?challenge={}</span></p>",
            escape(&challenge.title),
            escape(&challenge.statement()),
            escape(&challenge.budget_words()),
            escape(&challenge.hint),
            escape(&challenge.id),
        );
    }
    (!out.is_empty()).then_some(out)
}

/// The diagram with its labels in print: the view as the app draws it (the SVG export), its
/// size left to the page (the viewBox keeps its proportions), the export's stylesheet held once
/// by the page rather than by every figure.
fn figure_svg(stage: &mut Stage, height: f64, label: &str, end: bool) -> String {
    let camera = stage.camera_for(Axis::TrueTime, height);
    let viewport = camera.viewport(FIGURE_WIDTH, height);
    let filter = filter_of(None, false, stage, 1.0);
    let shapes = stage
        .run
        .timeline(&viewport, None, stage.shown_time(), &filter);
    // The row of each node's state comes after the run, never at a question: it could say
    // the answer.
    let end = end.then(|| stage.end_state());
    let svg = timeline_svg(&shapes, &viewport, &stage.names, end.as_ref());
    let own_style = format!("<style>{STYLE}</style>");
    let svg = svg.replacen(&own_style, &format!("<title>{}</title>", escape(label)), 1);
    // The export's fixed size gives way to the page's width (see `.h-figure svg`), and its view
    // takes in every word drawn.
    let (left, right) = extent(&shapes, FIGURE_WIDTH);
    let h = viewport.height + end.map_or(0.0, |_| END_ROW_PX);
    svg.replacen(
        &format!("width=\"{FIGURE_WIDTH}\" height=\"{h}\" viewBox=\"0 0 {FIGURE_WIDTH} {h}\""),
        &format!(
            "role=\"img\" viewBox=\"{left:.0} 0 {:.0} {h}\"",
            right.ceil() - left.floor()
        ),
        1,
    )
}

/// The diagram's extent across, px: the canvas's `width`, widened to take in words drawn past
/// its edges (a finding's name beside its marker near the right edge runs off the canvas, which
/// clips it; paper must not), with a little room for bold type.
pub fn extent(shapes: &[Shape], width: f64) -> (f64, f64) {
    shapes
        .iter()
        .fold((0.0_f64, width), |(left, right), shape| match shape {
            Shape::Finding { x, kind, .. } => (
                left,
                right.max(x + 14.0 + text_width(kind.label(), 11.0) + 6.0),
            ),
            Shape::Label { x, width, .. } => (
                left.min(x - width / 2.0 - 2.0),
                right.max(x + width / 2.0 + 2.0),
            ),
            _ => (left, right),
        })
}

/// The stage of `scenario` (fix off, its own seed) played as guided mode plays it, to the
/// moment it asks its question; `None` if it never asks (no event answers it).
pub fn at_question(scenario: &Scenario) -> Option<Stage> {
    let mut stage = Stage::start(scenario, false, scenario.config.seed).ok()?;
    let ask = Stop {
        ask: true,
        on_finding: None,
    };
    while !stage.run.finished() {
        if stage.advance_before(500, ask).1 {
            stage.settle();
            return Some(stage);
        }
    }
    None
}

/// The diagram at the question: following the run at the first view's scale, as the app's
/// camera does while guided mode asks.
pub fn question_figure(scenario: &Scenario) -> Option<String> {
    let mut stage = at_question(scenario)?;
    Some(figure_svg(
        &mut stage,
        QUESTION_HEIGHT,
        QUESTION_LABEL,
        false,
    ))
}

/// The end-of-run story view: the run played to its end (fix off) rests on its frame around
/// the key moment, as the app shows it.
pub fn story_figure(scenario: &Scenario) -> Option<String> {
    let mut stage = Stage::start(scenario, false, scenario.config.seed).ok()?;
    stage.run.run_to_end();
    stage.settle();
    stage.frame_story();
    Some(figure_svg(
        &mut stage,
        STORY_HEIGHT,
        "Sequence diagram of the whole run around its key moment: one line per node, time flowing down, messages as arrows, what went wrong marked, each node's state at the end under it",
        true,
    ))
}

/// The narration lines shown by the time guided mode asks (the story so far).
fn story_so_far(scenario: &Scenario, stage: &Stage) -> Vec<String> {
    let now = stage.run.now();
    scenario
        .narration()
        .filter(|line| line.at_us <= now)
        .map(|line| line.text.clone())
        .collect()
}

/// How tall the question's diagram is drawn so that the sheet's words and it fill one page:
/// the page's room less the words' estimated height (lines of so many characters at each type
/// size), so the diagram keeps the page's width and its labels their size. Where the estimate
/// falls short, the page's style shrinks the diagram to fit (never clipping it).
pub fn question_height(scenario: &Scenario, so_far: &[String]) -> f64 {
    let lines = |text: &str, per_line: usize| text.chars().count().div_ceil(per_line).max(1);
    let title = lines(&scenario.title, 56) * 30;
    let story: usize = so_far.iter().map(|line| lines(line, 110) * 17 + 4).sum();
    let ask: usize = lines(&scenario.prediction.question, 95) * 19
        + scenario
            .prediction
            .choices
            .iter()
            .map(|choice| lines(choice, 88) * 19 + 6)
            .sum::<usize>();
    (ROOM_PX - (title + story + ask) as f64).clamp(QUESTION_MIN_HEIGHT, QUESTION_HEIGHT)
}

/// The question sheet's room for its title, story so far, question, choices and diagram, px
/// (the rest is headings, the caption and the lines to write on).
const ROOM_PX: f64 = 590.0;

/// The choices in the order the app shows them at the preset's own seed (see the module's
/// note), never marked.
pub fn choices_in_order(scenario: &Scenario) -> Vec<&str> {
    let prediction: &Prediction = &scenario.prediction;
    prediction
        .order(scenario.config.seed, &scenario.id)
        .into_iter()
        .filter_map(|i| prediction.choices.get(i).map(String::as_str))
        .collect()
}

/// Ruled lines to write on, `n` of them.
fn ruled(n: usize) -> String {
    "<span class=\"h-rule\"></span>".repeat(n)
}

/// One lesson's two sheets (see the module's note); `topic` heads them.
pub fn lesson_sheets(topic: &str, scenario: &Scenario) -> String {
    let mut out = String::new();
    let title = escape(&scenario.title);
    let id = escape(&scenario.id);
    let mut stage = at_question(scenario);
    let so_far = stage
        .as_ref()
        .map(|stage| story_so_far(scenario, stage))
        .unwrap_or_default();
    let height = question_height(scenario, &so_far);
    let figure = stage
        .as_mut()
        .map(|stage| figure_svg(stage, height, QUESTION_LABEL, false))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"h-sheet h-question\" id=\"{id}\" data-lesson=\"{id}\">\
         <p class=\"h-kicker\">{topic} · Faultline lesson <a class=\"h-screen\" \
         href=\"../?scenario={id}&amp;guided=1\">open it in Faultline</a></p>\
         <h1 class=\"h-title\">{title}</h1>\
         <div class=\"h-story\"><h2>The story so far</h2>",
        topic = escape(topic),
    );
    for line in &so_far {
        let _ = write!(out, "<p>{}</p>", escape(line));
    }
    let _ = write!(
        out,
        "</div><figure class=\"h-figure\">{figure}<figcaption>The run when the question is \
         asked: one line per node, time flowing down, messages as arrows.</figcaption></figure>\
         <div class=\"h-ask\"><h2>What happens next?</h2><p class=\"h-q\">{}</p><ul class=\"h-choices\">",
        escape(&scenario.prediction.question)
    );
    for choice in choices_in_order(scenario) {
        let _ = write!(
            out,
            "<li><span class=\"h-box\" aria-hidden=\"true\"></span>{}</li>",
            escape(choice)
        );
    }
    let _ = write!(
        out,
        "</ul></div><div class=\"h-write\"><p class=\"h-label\">Your answer</p>{}\
         <p class=\"h-label\">Why? Your reason</p>{}</div></section>",
        ruled(2),
        ruled(3)
    );

    // The back: after the run.
    let story = story_figure(scenario).unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"h-sheet h-after\" data-lesson=\"{id}\">\
         <p class=\"h-kicker\">{topic} · after the run</p>\
         <h2 class=\"h-title\">After the run: {title}</h2>\
         <figure class=\"h-figure\">{story}<figcaption>The whole run around its key moment, \
         without the fix: what went wrong is marked and named.</figcaption></figure>\
         <div class=\"h-recap\"><h3>Recap</h3><dl>",
        topic = escape(topic),
    );
    for (head, line) in RECAP_HEADINGS.iter().zip(scenario.recap()) {
        let _ = write!(out, "<dt>{head}</dt><dd>{}</dd>", escape(line));
    }
    out.push_str("</dl>");
    if let Some(source) = scenario.recap_source() {
        let _ = write!(out, "<p class=\"h-source\">{}</p>", escape(&source));
    }
    let challenge = challenge_box(&scenario.id).unwrap_or_else(|| {
        format!(
            "<p>Run the lesson again with the fix on ({}). What changes in the diagram, \
             and where do you see its cost?</p>",
            escape(&scenario.fix.label)
        )
    });
    let _ = write!(
        out,
        "</div><div class=\"h-challenge\"><h3>Challenge</h3>{challenge}</div></section>"
    );
    out
}

/// The handouts' stylesheet: designed to 210 mm × 279 mm less the margins, the part of the page
/// A4 (210 × 297 mm) and US Letter (216 × 279 mm) share, so one layout prints on both.
const CSS: &str = "\
@page{margin:12mm 14mm}\
*{box-sizing:border-box}\
html{color:#000;background:#e8eaee;font:10.5pt/1.35 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
body{margin:0}\
.h-bar{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;\
justify-content:center;padding:8px;background:#14202e;color:#fff}\
.h-bar a{color:#fff}.h-bar button{font:inherit;padding:4px 14px;cursor:pointer}\
main{max-width:182mm;margin:0 auto}\
.h-sheet{background:#fff;margin:8mm 0;padding:6mm;box-shadow:0 1px 4px #0003;\
display:flex;flex-direction:column;gap:2.5mm;height:250mm}\
.h-sheet+.h-sheet{break-before:page}\
.h-sheet>*{flex:none}\
.h-kicker{margin:0;font-size:9pt;color:#333;text-transform:uppercase;letter-spacing:.04em}\
.h-title{margin:0;font-size:17pt;line-height:1.2}h2.h-title{font-size:14pt}\
h2,h3{margin:0 0 1mm;font-size:11.5pt}\
.h-story p{margin:0 0 1mm;font-size:9.5pt}\
.h-sheet>.h-figure{flex:0 1 auto;min-height:0;margin:0;break-inside:avoid;display:flex;flex-direction:column}\
.h-figure svg{display:block;flex:0 1 auto;min-height:0;width:100%;max-width:100%;height:auto;border:1px solid #999}\
.h-sheet>.h-write{flex:1 0 auto}\
.h-figure svg>rect:first-of-type{fill:#fff}\
.h-figure svg text{fill:#000}\
figcaption{font-size:8.5pt;color:#333;margin-top:1mm}\
.h-q{margin:0 0 1.5mm}\
.h-choices{list-style:none;margin:0;padding:0}\
.h-choices li{display:flex;gap:3mm;align-items:flex-start;margin:0 0 1.5mm}\
.h-box{flex:none;width:4.2mm;height:4.2mm;border:1.4px solid #000;margin-top:.5mm}\
.h-label{margin:1.5mm 0 0;font-weight:600}\
.h-rule{display:block;height:8mm;border-bottom:1px solid #555}\
.h-recap dl{display:grid;grid-template-columns:max-content 1fr;gap:1.5mm 4mm;margin:0}\
.h-recap dt{font-weight:700}.h-recap dd{margin:0}\
.h-source{margin:2mm 0 0;font-size:9pt;font-style:italic}\
.h-challenge{border:1.5px solid #000;padding:3mm 4mm}.h-challenge p{margin:0}\
.h-contents h2{margin-top:4mm}.h-contents ol{margin:0;padding-left:6mm}\
@media print{html{background:none}.h-bar,.h-screen{display:none}main{max-width:none}\
.h-sheet{margin:0;padding:0;box-shadow:none;height:252mm}\
body.h-questions-only .h-after{display:none}}\
@media screen and (max-width:700px){.h-sheet{margin:0 0 4mm;padding:4mm}}";

/// The page around `body`: self-contained (styles inline, the figures inline SVG), a bar to
/// print it (question sheets alone, or both) that the print leaves out.
fn page(title: &str, body: &str, other: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"../assets/favicon.svg\">\
         <title>{title}</title><style>{CSS}{STYLE}</style></head><body>\
         <nav class=\"h-bar\" aria-label=\"Handout\"><a href=\"../\">Open Faultline</a>{other}\
         <label><input type=\"checkbox\" id=\"h-questions-only\" \
         onchange=\"document.body.classList.toggle('h-questions-only',this.checked)\"> \
         Question pages only</label><button type=\"button\" onclick=\"print()\">Print</button></nav>\
         <main>{body}</main></body></html>",
        title = escape(title)
    )
}

/// One lesson's handout page: its two sheets.
pub fn lesson_page(topic: &str, scenario: &Scenario) -> String {
    page(
        &format!("Faultline handout: {}", scenario.title),
        &lesson_sheets(topic, scenario),
        "<a href=\"index.html\">Handouts for the whole course</a>",
    )
}

/// The whole course: a contents page by topic, then every lesson's two sheets in the picker's
/// order.
pub fn course_page() -> String {
    let lessons = lessons();
    let mut body = String::from(
        "<section class=\"h-sheet h-contents\"><p class=\"h-kicker\">Faultline</p>\
         <h1 class=\"h-title\">The trouble with distributed systems: handouts</h1>\
         <p>One lesson per phenomenon of <i>Designing Data-Intensive Applications</i>, chapter 8. \
         Each has two pages: the question, asked before the answer shows, with room to write; \
         then, after the run, the whole story, a recap and a challenge. Print the question \
         pages alone before the lesson (\u{201c}Question pages only\u{201d}), both after it.</p>",
    );
    let mut topic_open = None;
    for (topic, scenario) in &lessons {
        if topic_open != Some(*topic) {
            if topic_open.is_some() {
                body.push_str("</ol>");
            }
            let _ = write!(body, "<h2>{}</h2><ol>", escape(topic));
            topic_open = Some(*topic);
        }
        let _ = write!(
            body,
            "<li><a href=\"#{id}\">{}</a> · <a class=\"h-own\" href=\"{id}.html\">this lesson \
             alone</a></li>",
            escape(&scenario.title),
            id = escape(&scenario.id),
        );
    }
    body.push_str("</ol></section>");
    for (topic, scenario) in &lessons {
        body.push_str(&lesson_sheets(topic, scenario));
    }
    page(
        "Faultline handouts: the whole course",
        &body,
        "<span>Handouts for the whole course</span>",
    )
}

/// Writes `index.html` (the course) and `<id>.html` (each lesson) into `dir`; returns the
/// files written.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut put = |name: String, text: String| -> std::io::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        written.push(path);
        Ok(())
    };
    put("index.html".to_string(), course_page())?;
    for (topic, scenario) in lessons() {
        put(
            format!("{}.html", scenario.id),
            lesson_page(topic, &scenario),
        )?;
    }
    Ok(written)
}
