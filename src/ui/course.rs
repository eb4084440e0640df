//! The course page: the presets in the order of DDIA chapter 8's sections, each lesson with its
//! one-line lesson, its recap, its challenges and where the person stands (kept on this device,
//! see [`super::progress`]); open a lesson (guided) or play a challenge from it; export, import
//! and reset the progress. A full-page dialog over the app (the Course button, or `?course=1`).
//!
//! A plain function of the state, as the challenge panel is: what it says after an export,
//! import or reset is the reducer's ([`AppState::course_note`]), its buttons are heard by one
//! delegated handler (`data-do`, `data-open`) and its file picker by another. Focus moves in and
//! out with the page (an effect of the app's, [`focus_on`]), and Tab goes round within it
//! ([`trap`], from the page-wide key handler).

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use super::export::{download_text, read_text};
use super::progress::{self, ChallengeRecord, Lesson, Progress};
use super::state::{presets, Action, AppState};
use crate::challenge::{self, Challenge};
use crate::render::svg::escape;
use crate::scenarios::Scenario;

/// DDIA chapter 8's sections, in the book's order (as the presets' sources name them).
pub const CHAPTER: [&str; 4] = [
    "Faults and Partial Failures",
    "Unreliable Networks",
    "Unreliable Clocks",
    "Knowledge, Truth, and Lies",
];

/// The section of chapter 8 a preset's source names: "DDIA chapter 8, “Unreliable Clocks” ›
/// “Process Pauses”" is in "Unreliable Clocks".
pub fn section_of(source: &str) -> Option<&str> {
    let rest = source.strip_prefix("DDIA chapter 8, “")?;
    rest.split_once('”').map(|(name, _)| name)
}

/// The section of chapter 8 `scenario` belongs in: the one its source names, or, for a lesson
/// from another chapter (lost updates, siblings), the one its topic in the picker is named after
/// ("Knowledge, truth and lies" is "Knowledge, Truth, and Lies": the names are plain ASCII).
fn section_for(scenario: &Scenario) -> Option<&'static str> {
    let topic = crate::scenarios::TOPICS
        .iter()
        .find(|(_, ids)| ids.contains(&scenario.id.as_str()));
    let named = section_of(&scenario.source).or(topic.map(|(topic, _)| *topic))?;
    let plain = |name: &str| name.replace(',', "");
    CHAPTER
        .into_iter()
        .find(|section| plain(section).eq_ignore_ascii_case(&plain(named)))
}

/// The course: chapter 8's sections in the book's order, each with its lessons in teaching
/// order; sections without a lesson are left out, and so is the sandbox (free play shows no
/// anomaly of its own).
pub fn sections(presets: &[Scenario]) -> Vec<(&'static str, Vec<&Scenario>)> {
    let mut out: Vec<(&'static str, Vec<&Scenario>)> = CHAPTER.map(|c| (c, Vec::new())).into();
    for s in presets.iter().filter(|s| s.shows.is_some()) {
        let place = section_for(s).and_then(|c| CHAPTER.iter().position(|&o| o == c));
        if let Some((_, lessons)) = place.and_then(|place| out.get_mut(place)) {
            lessons.push(s);
        }
    }
    out.retain(|(_, lessons)| !lessons.is_empty());
    out
}

/// The ids of the course's lessons, in order.
pub fn lesson_ids(presets: &[Scenario]) -> Vec<&str> {
    let mut ids = Vec::new();
    for (_, lessons) in sections(presets) {
        ids.extend(lessons.iter().map(|s| s.id.as_str()));
    }
    ids
}

/// "7 of 20 lessons opened · 3 challenges won".
pub fn summary(progress: &Progress, ids: &[&str]) -> String {
    let (opened, won) = progress.summary(ids);
    [
        &opened.to_string(),
        " of ",
        &ids.len().to_string(),
        " lessons opened · ",
        &challenge::count(won as u32, "challenge"),
        " won",
    ]
    .concat()
}

/// What the course page says under its buttons: the question before a reset, or what the last
/// export, import or reset did (a refusal is said as an alert). Kept in
/// [`AppState::course_note`], cleared as the page opens or closes.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    AskReset,
    Done(String),
    Refused(String),
}

fn focus(element: Option<Element>) {
    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn find(selector: &str) -> Option<Element> {
    document()?.query_selector(selector).ok().flatten()
}

/// The app's effect on the page's opening (`open`) and closing: focus goes into the dialog when
/// it opens, and back to the Course button when it closes.
pub fn focus_on(open: bool) -> impl FnOnce() {
    if open {
        focus(find(".course-close"));
    }
    move || {
        if open {
            focus(find(".course-button"));
        }
    }
}

/// Tab and Shift+Tab go round within the course page (the page-wide key handler calls this
/// while it is open).
pub fn trap(event: &KeyboardEvent) {
    let Some(stops) =
        find(".help.course").and_then(|d| d.query_selector_all("button, summary, input").ok())
    else {
        return;
    };
    let Some(last) = stops.length().checked_sub(1) else {
        return;
    };
    let at = |i: u32| stops.get(i).and_then(|n| n.dyn_into::<Element>().ok());
    let (from, to) = if event.shift_key() {
        (at(0), at(last))
    } else {
        (at(last), at(0))
    };
    let active = document().and_then(|d| d.active_element());
    if active.is_some() && active == from {
        event.prevent_default();
        focus(to);
    }
}

/// What a button of the page does, by its `data-open` (`lesson:<id>`, `challenge:<id>`) or
/// `data-do`.
fn act(event: &MouseEvent, dispatch: &UseReducerDispatcher<AppState>) {
    let Some(button) = super::challenge_panel::acted_on(event, "button") else {
        return;
    };
    let note = |note| dispatch.dispatch(Action::CourseNote(note));
    if let Some(what) = button.get_attribute("data-open") {
        match what.split_once(':') {
            Some(("lesson", id)) => dispatch.dispatch(Action::OpenLesson(id.to_string())),
            Some(("challenge", id)) => dispatch.dispatch(Action::OpenChallenge(id.to_string())),
            _ => {}
        }
        return;
    }
    match button.get_attribute("data-do").as_deref() {
        Some("close") => dispatch.dispatch(Action::Course(false)),
        Some("export") => {
            let json = progress::to_json(&progress::load());
            note(Some(
                match download_text("faultline-progress.json", "application/json", &json) {
                    Ok(()) => Note::Done("Progress exported as faultline-progress.json.".into()),
                    Err(why) => Note::Refused(["The export failed: ", &why].concat()),
                },
            ));
        }
        Some("ask-reset") => note(Some(Note::AskReset)),
        Some("keep") => note(None),
        Some("reset") => {
            let text = if progress::reset() {
                "Progress reset: nothing is kept on this device now."
            } else {
                "This browser refuses storage: there was no progress kept to reset."
            };
            note(Some(Note::Done(text.into())));
        }
        _ => {}
    }
}

/// The file picker's choice: read, merged with the progress kept, and kept; or refused, saying
/// why, with the progress as it was.
fn import(event: &Event, dispatch: &UseReducerDispatcher<AppState>) {
    let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    // The same file can be chosen again.
    input.set_value("");
    let refuse = |why: &str| {
        Note::Refused(
            [
                "This file could not be imported: ",
                why,
                ". Your progress is as it was.",
            ]
            .concat(),
        )
    };
    let dispatch = dispatch.clone();
    if file.size() > progress::MAX_FILE_BYTES as f64 {
        dispatch.dispatch(Action::CourseNote(Some(refuse("it is larger than 1 MB"))));
        return;
    }
    read_text(
        file,
        Box::new(move |text| {
            let merged = text
                .ok_or_else(|| progress::ProgressError("it is not text".into()))
                .and_then(|text| progress::from_json(&text))
                .and_then(|imported| progress::load().merged(&imported));
            let note = match merged {
                Err(why) => refuse(&why.0),
                Ok(merged) if !progress::save(&merged) => Note::Refused(
                    "The progress was read, but this browser refuses to keep it (storage full \
                     or private mode)."
                        .into(),
                ),
                Ok(_) => Note::Done("Progress imported and merged with yours.".into()),
            };
            dispatch.dispatch(Action::CourseNote(Some(note)));
        }),
    );
}

thread_local! {
    /// The page's summary and lessons as last written, and the kept progress they show: the app
    /// renders every frame while a run plays, and the page is written again only when the
    /// progress changed.
    static SHOWN: RefCell<Option<(Option<String>, AttrValue, AttrValue)>> =
        const { RefCell::new(None) };
}

/// The summary and the lessons as markup, for the progress kept now.
fn shown() -> (AttrValue, AttrValue) {
    let kept = progress::kept();
    SHOWN.with_borrow_mut(|shown| match shown {
        Some((text, summary, lessons)) if *text == kept => (summary.clone(), lessons.clone()),
        _ => {
            let progress = progress::read(kept.as_deref());
            let presets = presets();
            let ids = lesson_ids(&presets);
            let summary = AttrValue::from(
                [
                    "<p class=\"course-summary\">",
                    &summary(&progress, &ids),
                    "</p>",
                ]
                .concat(),
            );
            let lessons = AttrValue::from(lessons_html(&presets, &progress, &challenge::builtin()));
            *shown = Some((kept, summary.clone(), lessons.clone()));
            (summary, lessons)
        }
    })
}

/// The course page, saying `note` under its buttons.
pub fn page(note: Option<&Note>, dispatch: &UseReducerDispatcher<AppState>) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: MouseEvent| act(&event, &dispatch))
    };
    let onchange = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| import(&event, &dispatch))
    };
    // The page is markup written as text (every text escaped), in blocks that change apart (so
    // a button keeps its focus while a message comes and goes): far less of the bundle than a
    // tree of elements built one by one.
    let raw = |html: AttrValue| Html::from_html_unchecked(html);
    let said = |class: &str, role: &str, text: &str| {
        [
            "<p class=\"course-said",
            class,
            "\" role=\"",
            role,
            "\">",
            &escape(text),
            "</p>",
        ]
        .concat()
    };
    let note = match note {
        None => String::new(),
        Some(Note::AskReset) => CONFIRM.to_string(),
        Some(Note::Done(text)) => said("", "status", text),
        Some(Note::Refused(text)) => said(" seed-error", "alert", text),
    };
    let (summary, lessons) = shown();
    html! {
        <div class="help-backdrop course-backdrop">
            <div class="help course" role="dialog" aria-modal="true" aria-labelledby="course-title"
                {onclick} {onchange}>
                { raw(AttrValue::Static(HEAD)) }
                { raw(summary) }
                { raw(AttrValue::Static(ACTIONS)) }
                { raw(AttrValue::from(note)) }
                { raw(lessons) }
            </div>
        </div>
    }
}

/// The course page's title and Close button.
const HEAD: &str = "<div class=\"course-head\"><h2 id=\"course-title\">Course: DDIA chapter 8, \
    the trouble with distributed systems</h2><button type=\"button\" class=\"button small \
    course-close\" data-do=\"close\">Close</button></div>";

/// What is said of progress, and its buttons.
const ACTIONS: &str = "<p class=\"course-note\">Your progress is kept in this browser only, with \
    no account: export it to keep it or take it to another device.</p><div \
    class=\"share-actions\"><button type=\"button\" class=\"button small\" data-do=\"export\">\
    Export progress</button><label class=\"button small open-file\">Import progress…<input \
    type=\"file\" accept=\".json,application/json\" class=\"visually-hidden\" \
    aria-label=\"Import progress\"/></label><button type=\"button\" class=\"button small\" \
    data-do=\"ask-reset\">Reset progress</button></div>";

/// The question before a reset.
const CONFIRM: &str = "<div class=\"course-confirm\" role=\"alert\"><p>Reset your progress? This \
    forgets every lesson opened, prediction and challenge won on this device.</p><button \
    type=\"button\" class=\"button small\" data-do=\"keep\">Keep my progress</button> <button \
    type=\"button\" class=\"button small discard\" data-do=\"reset\">Reset it</button></div>";

/// The course's lessons as markup, section by section: each lesson's title, status (a shape
/// and words), lesson, folded recap, challenges with their budgets and statuses, and buttons
/// (`data-open`: `lesson:<id>` or `challenge:<id>`). Every text is escaped.
pub fn lessons_html(presets: &[Scenario], progress: &Progress, challenges: &[Challenge]) -> String {
    let mut out = String::new();
    let out = &mut out;
    for (section, lessons) in sections(presets) {
        fill(out, SECTION, &[section]);
        for s in lessons {
            let id = s.id.as_str();
            fill(out, LESSON, &[id, &s.title]);
            let (mark, words) = Lesson::status(progress.lesson(id));
            fill(out, STATUS, &[mark, words]);
            fill(
                out,
                RECAP,
                &[&s.lesson, &s.lesson, &s.fix.label, &s.fix.cost],
            );
            if !s.source.is_empty() {
                fill(out, SOURCE, &[&s.source]);
            }
            let open = "Open the lesson";
            out.push_str("</details>");
            fill(out, BUTTON, &["lesson", id, open, &s.title, open]);
            out.push_str("<ul class=\"course-challenges\">");
            for c in challenges {
                if c.scenario != id {
                    continue;
                }
                fill(out, CHALLENGE, &[&c.id, &c.title, &c.budget_words()]);
                let (mark, words) = ChallengeRecord::status(progress.challenge(&c.id));
                fill(out, STATUS, &[mark, &words]);
                let play = "Play the challenge";
                fill(out, BUTTON, &["challenge", &c.id, play, &c.title, play]);
                out.push_str("</li>");
            }
            out.push_str("</ul></li>");
        }
        out.push_str("</ol></section>");
    }
    std::mem::take(out)
}

/// Writes `template` into `out`, each `^` in it replaced by the next of `texts`, escaped.
fn fill(out: &mut String, template: &str, texts: &[&str]) {
    let mut texts = texts.iter();
    for (i, part) in template.split('^').enumerate() {
        if i > 0 {
            out.push_str(&escape(texts.next().copied().unwrap_or_default()));
        }
        out.push_str(part);
    }
}

/// The lessons' markup, each `^` a text (see [`fill`]).
const SECTION: &str = "<section class=\"course-section\"><h3>^</h3><ol class=\"course-lessons\">";
const LESSON: &str = "<li class=\"course-lesson\" data-lesson=\"^\"><h4>^</h4>";
const STATUS: &str =
    "<p class=\"course-status\"><span class=\"status-mark\" aria-hidden=\"true\">^</span>^</p>";
const RECAP: &str = "<p>^</p><details><summary>Recap</summary><dl class=\"recap-lines\"><dt>What \
    went wrong</dt><dd>^</dd><dt>The fix</dt><dd>^</dd><dt>Its cost</dt><dd>^</dd></dl>";
const SOURCE: &str = "<p class=\"recap-source\">From ^.</p>";
/// A button opening a lesson or a challenge (`data-open`: `lesson:<id>`, `challenge:<id>`).
const BUTTON: &str = "<button type=\"button\" class=\"button small\" data-open=\"^:^\" \
    aria-label=\"^: ^\">^</button>";
const CHALLENGE: &str =
    "<li class=\"course-challenge\" data-challenge=\"^\"><p><strong>^</strong> ^</p>";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios;
    use crate::ui::state::Guide;

    #[test]
    fn the_course_follows_chapter_8_in_the_books_order() {
        let presets = scenarios::all();
        let course = sections(&presets);
        let names: Vec<&str> = course.iter().map(|(name, _)| *name).collect();
        // In the book's order, each once.
        let mut places: Vec<usize> = names
            .iter()
            .map(|n| CHAPTER.iter().position(|c| c == n).unwrap())
            .collect();
        let sorted = places.clone();
        places.sort_unstable();
        assert_eq!(places, sorted);
        let ids = lesson_ids(&presets);
        assert_eq!(ids.len(), presets.len() - 1, "every preset but the sandbox");
        assert!(!ids.contains(&"sandbox"));
        let section = |id: &str| {
            course
                .iter()
                .find(|(_, l)| l.iter().any(|s| s.id == id))
                .map(|(n, _)| *n)
        };
        assert_eq!(section("split-brain"), Some("Unreliable Networks"));
        assert_eq!(section("slow-clock-lease"), Some("Unreliable Clocks"));
        assert_eq!(
            section("gc-pause-fencing"),
            Some("Knowledge, Truth, and Lies")
        );
        assert_eq!(
            section("byzantine-generals"),
            Some("Knowledge, Truth, and Lies")
        );
        // From other chapters, placed by their topic.
        assert_eq!(section("lost-update"), Some("Unreliable Networks"));
        assert_eq!(section("siblings-kept"), Some("Unreliable Clocks"));
        assert_eq!(
            summary(&Progress::default(), &ids),
            "0 of 20 lessons opened · 0 challenges won"
        );
    }

    #[test]
    fn the_lessons_markup_is_well_formed_and_escaped() {
        let presets = scenarios::all();
        let mut progress = Progress::default();
        progress.predict("gc-pause-fencing", true, None);
        progress.win("two-leaders", 2, Some(1));
        let html = lessons_html(&presets, &progress, &challenge::builtin());
        let wrapped = format!("<div>{html}</div>");
        let doc = roxmltree::Document::parse(&wrapped).expect("well formed");
        let lessons = doc
            .descendants()
            .filter(|n| n.attribute("data-lesson").is_some())
            .count();
        assert_eq!(lessons, 20);
        let buttons: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("data-open"))
            .collect();
        assert!(buttons.contains(&"lesson:gc-pause-fencing"));
        assert!(buttons.contains(&"challenge:two-leaders-quorum"));
        let text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("|");
        assert!(text.contains("Predicted right first time"));
        assert!(text.contains("Challenge won with 2 faults (machine: 1)"));
        assert!(text.contains("Two leaders with at most two cuts| At most 2 faults: partitions"));
    }

    #[test]
    fn opening_a_lesson_starts_it_afresh_guided_and_closes_the_course() {
        let state = AppState {
            course: true,
            fix: true,
            ..AppState::default()
        };
        let next = state.apply(Action::OpenLesson("gc-pause-fencing".into()));
        assert_eq!(next.scenario, "gc-pause-fencing");
        assert!(next.guided && !next.fix && !next.course);
        assert_eq!(next.guide, Guide::Watching);
        assert!(next.restarts > state.restarts);
        // The lesson on stage starts again.
        let again = next.apply(Action::OpenLesson("gc-pause-fencing".into()));
        assert!(again.restarts > next.restarts);
        // Work applied by hand is not lost unasked.
        let mut worked = next.clone();
        worked.hand_faults = true;
        worked.course = true;
        let asked = worked.apply(Action::OpenLesson("split-brain".into()));
        assert!(asked.confirm.is_some() && asked.scenario == "gc-pause-fencing");
        let done = asked.apply(Action::ConfirmDiscard);
        assert_eq!(done.scenario, "split-brain");
        assert!(!done.course && !done.hand_faults);
        // An unknown lesson changes nothing.
        assert_eq!(state.apply(Action::OpenLesson("nope".into())), state);
    }

    #[test]
    fn playing_a_challenge_loads_its_scenario_and_closes_the_course() {
        let state = AppState {
            course: true,
            ..AppState::default()
        };
        let next = state.apply(Action::OpenChallenge("two-leaders-quorum".into()));
        assert_eq!(next.scenario, "split-brain");
        assert!(next.fix && !next.course);
        assert_eq!(
            next.challenge.as_ref().map(|p| p.challenge.id.as_str()),
            Some("two-leaders-quorum")
        );
        assert_eq!(state.apply(Action::OpenChallenge("nope".into())), state);
    }

    #[test]
    fn the_course_opens_from_the_address_and_closes_with_escape() {
        let state = AppState::from_location("?course=1", "");
        assert!(state.course);
        assert!(!state.apply(Action::Dismiss).course);
        // Not in an embed.
        assert!(!AppState::from_location("?embed=1&course=1", "").course);
        assert!(AppState::default().apply(Action::Course(true)).course);
        // Over the run autosaved when the page was last left, too.
        let saved = crate::share::encode(&crate::share::SharedRun::new(
            "gc-pause-fencing".into(),
            false,
            1,
        ));
        let opened = AppState::opening("?course=1", "", Some(saved));
        assert!(opened.course && opened.scenario == "gc-pause-fencing");
    }
}
