//! The printed handouts (`ui::handout`, written by `examples/handouts.rs` into `dist/handouts`):
//! every preset that asks a question has its page, with its question and its choices in the
//! app's order and never a mark of the right one; its figures are well-formed SVG with their
//! labels as text; the course holds every lesson in the picker's order under its topic, the
//! sandbox left out.
#![cfg(not(target_arch = "wasm32"))]

use faultline::render::svg::escape;
use faultline::scenarios::{self, TOPICS};
use faultline::ui::handout::{
    choices_in_order, course_page, lesson_page, lessons, question_height, write_all,
    QUESTION_HEIGHT, QUESTION_MIN_HEIGHT,
};

/// The `<svg …>…</svg>` documents in `page`.
fn figures(page: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("an svg is closed") + start + "</svg>".len();
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// Whether `html`'s elements nest: every tag opened is closed in order (void elements aside).
fn balanced(html: &str) -> Result<(), String> {
    const VOID: [&str; 5] = ["meta", "link", "input", "br", "img"];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').ok_or("a tag is not closed")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if let Some(closing) = tag.strip_prefix('/') {
            let top = open.pop().ok_or(format!("</{closing}> closes nothing"))?;
            if top != name {
                return Err(format!("<{top}> is closed by </{name}>"));
            }
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {open:?}"))
    }
}

#[test]
fn every_preset_with_a_question_has_a_page_with_its_question_and_unmarked_choices() {
    let lessons = lessons();
    let asking: Vec<String> = scenarios::all()
        .into_iter()
        .filter(|s| !s.prediction.reveal.is_empty())
        .map(|s| s.id)
        .collect();
    assert_eq!(lessons.len(), 20, "twenty lessons");
    assert_eq!(
        lessons
            .iter()
            .map(|(_, s)| s.id.clone())
            .collect::<Vec<_>>(),
        asking,
        "every preset that asks a question, in the picker's order"
    );
    for (topic, scenario) in &lessons {
        let id = &scenario.id;
        let page = lesson_page(topic, scenario);
        balanced(&page).unwrap_or_else(|e| panic!("{id}: the page's tags: {e}"));
        let (question, after) = page.split_at(
            page.find("class=\"h-sheet h-after\"")
                .expect("a second sheet"),
        );
        assert!(
            question.contains(&escape(&scenario.title)),
            "{id}: its title"
        );
        assert!(
            question.contains(&escape(&scenario.prediction.question)),
            "{id}: its question"
        );
        // The choices, in the order the app shows them at the preset's own seed, each as
        // the same unmarked tick box.
        let prediction = &scenario.prediction;
        let shown: Vec<&str> = prediction
            .order(scenario.config.seed, id)
            .into_iter()
            .map(|i| prediction.choices[i].as_str())
            .collect();
        assert_eq!(choices_in_order(scenario), shown, "{id}: the app's order");
        let mut at = 0;
        for choice in &shown {
            let item = format!(
                "<li><span class=\"h-box\" aria-hidden=\"true\"></span>{}</li>",
                escape(choice)
            );
            let found = question[at..]
                .find(&item)
                .unwrap_or_else(|| panic!("{id}: choice “{choice}” as a plain tick box, in order"));
            at += found + item.len();
        }
        // The answer shows nowhere: not its explanation, not the lesson sentence (which says
        // what goes wrong) on the question's sheet, no mark on any choice.
        for text in [&prediction.explanation, &scenario.fix.explanation] {
            assert!(
                !page.contains(&escape(text)),
                "{id}: the page explains the answer"
            );
        }
        if let Some(fixed) = &scenario.fix_prediction {
            assert!(
                !page.contains(&escape(&fixed.explanation)),
                "{id}: the fix's answer"
            );
        }
        assert!(
            !question.contains(&escape(&scenario.lesson)),
            "{id}: the question's sheet states the lesson, which is the answer"
        );
        for marker in [
            "✓",
            "✔",
            "correct",
            "Correct",
            "right answer",
            " checked>",
            "checked=",
            "answer\"",
        ] {
            assert!(!page.contains(marker), "{id}: the page has “{marker}”");
        }
        // After the run: the recap in the app's words and a challenge.
        for line in scenario.recap() {
            assert!(
                after.contains(&escape(line)),
                "{id}: the recap says “{line}”"
            );
        }
        assert!(after.contains("<h3>Challenge</h3>"), "{id}: a challenge");
        // Two figures, well-formed SVG, labels and names as text.
        let svgs = figures(&page);
        assert_eq!(svgs.len(), 2, "{id}: the question's figure and the run's");
        for svg in svgs {
            let document = roxmltree::Document::parse(svg)
                .unwrap_or_else(|e| panic!("{id}: a figure is not well-formed: {e}"));
            let texts = document
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .count();
            assert!(texts >= 2, "{id}: a figure without its names as text");
            // Its size left to the page; its view the canvas's width or wider (words past
            // the canvas's edge taken in).
            let view = svg
                .split("role=\"img\" viewBox=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{id}: a figure sized by its view box"));
            let view: Vec<f64> = view
                .split(' ')
                .map(|n| n.parse().expect("a number"))
                .collect();
            assert!(
                view[0] <= 0.0 && view[2] >= 680.0,
                "{id}: the view {view:?}"
            );
            let open = &svg[..svg.find('>').expect("a tag")];
            assert!(!open.contains("width="), "{id}: a fixed size: {open}");
            assert!(
                !svg.contains("<style>"),
                "{id}: the page holds the style once"
            );
        }
    }
}

#[test]
fn the_course_holds_every_lesson_under_its_topic_without_the_sandbox() {
    let course = course_page();
    balanced(&course).unwrap_or_else(|e| panic!("the course's tags: {e}"));
    let mut at = 0;
    for (topic, ids) in TOPICS {
        for id in ids.iter().filter(|id| **id != "sandbox") {
            let sheet = format!("id=\"{id}\" data-lesson=\"{id}\"");
            let found = course[at..]
                .find(&sheet)
                .unwrap_or_else(|| panic!("{id} under “{topic}”, in order"));
            let here = at + found;
            assert!(
                course[..here].contains(&escape(topic)),
                "{topic}: its heading"
            );
            at = here + sheet.len();
        }
    }
    assert!(!course.contains("data-lesson=\"sandbox\""));
    assert_eq!(course.matches("class=\"h-sheet h-question\"").count(), 20);
    assert_eq!(course.matches("class=\"h-sheet h-after\"").count(), 20);
    assert_eq!(figures(&course).len(), 40);
}

#[test]
fn question_figures_take_the_room_the_words_leave() {
    for (_, scenario) in lessons() {
        let height = question_height(&scenario, &[]);
        assert!((QUESTION_MIN_HEIGHT..=QUESTION_HEIGHT).contains(&height));
        let long = vec!["A long line of the story. ".repeat(12); 6];
        assert_eq!(
            question_height(&scenario, &long),
            QUESTION_MIN_HEIGHT,
            "{}: a long story leaves the least",
            scenario.id
        );
    }
}

#[test]
fn the_pages_are_written_as_files() {
    let dir = std::env::temp_dir().join(format!("faultline-handouts-{}", std::process::id()));
    let written = write_all(&dir).expect("writes");
    assert_eq!(written.len(), 21, "the course and twenty lessons");
    for name in ["index.html", "gc-pause-fencing.html", "split-brain.html"] {
        let text = std::fs::read_to_string(dir.join(name)).expect(name);
        assert!(text.starts_with("<!doctype html>"), "{name}");
    }
    assert!(!dir.join("sandbox.html").exists());
    std::fs::remove_dir_all(&dir).expect("cleans up");
}
