//! No text a person reads of a run is in Rust syntax: every preset (fix off and on) and the
//! sandbox under random faults are run, and every event description, arrow and event label,
//! message in flight, inspector row, finding summary and explanation, fault label, export
//! (text trace, ShiViz log, trace JSON, SVG) is checked for `{`, `}`, `Some(`, `None`, `::`, a
//! CamelCase variant name, or a run of spaces. Every refusal of text from outside (links, run
//! and scenario files, host pages' messages, embed options, the cluster editor, the seed), over
//! the fuzz corpus, is checked the same way and for serde's and Rust's jargon, and must be a
//! sentence: a capital first, a full stop last.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fuzz.rs"]
mod fuzz;

use faultline::live::Session;
use faultline::render::drawn::Drawn;
use faultline::render::markers::FINDING_KINDS;
use faultline::render::svg::timeline_svg;
use faultline::render::timeline::{Axis, Filter, Shape, Viewport};
use faultline::scenarios::{self, Scenario};
use faultline::share::{Moment, SharedRun};
use faultline::sim::{Command, EventId, MsgId, NodeId, SimRng};
use serde_json::Value;

/// What is wrong with `text` as words for people, if anything.
fn rust_syntax(text: &str) -> Option<String> {
    for bad in ["{", "}", "Some(", "None", "::", "  "] {
        if text.contains(bad) {
            return Some(format!("{bad:?}"));
        }
    }
    text.split(|c: char| !c.is_alphanumeric())
        .find(|word| camel_case(word))
        .map(|word| format!("the CamelCase word {word:?}"))
}

/// A word like `LeaseChecked` or `fooBar`: a capital after a small letter.
fn camel_case(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars
        .windows(2)
        .any(|pair| pair[0].is_lowercase() && pair[1].is_uppercase())
}

/// Collects texts with where they came from, and fails naming every bad one.
#[derive(Default)]
struct Texts {
    bad: Vec<String>,
    checked: usize,
}

impl Texts {
    fn check(&mut self, place: &str, text: &str) {
        self.checked += 1;
        if let Some(problem) = rust_syntax(text) {
            if self.bad.len() < 40 {
                self.bad.push(format!("{place}: {problem} in {text:?}"));
            }
        }
    }

    fn finish(self, what: &str) {
        assert!(self.checked > 0, "{what}: nothing was checked");
        assert!(
            self.bad.is_empty(),
            "{what}: {} texts are not plain words:\n{}",
            self.bad.len(),
            self.bad.join("\n")
        );
    }
}

fn viewport(top: f64, span: f64) -> Viewport {
    Viewport {
        width: 1_000.0,
        height: 700.0,
        axis: Axis::TrueTime,
        top,
        scale: 660.0 / span.max(1.0),
        header: 40.0,
        folds: Default::default(),
    }
}

/// What a person can read of the run as it stands now.
fn read_now(live: &Session, texts: &mut Texts, id: &str) {
    for flight in live.in_flight() {
        texts.check(&format!("{id} message in flight"), &flight.payload);
    }
    for node in 0..live.node_count() {
        let Some(summary) = live.node_summary(NodeId(node)) else {
            continue;
        };
        for row in summary.memory.iter().flatten().chain(&summary.disk) {
            texts.check(&format!("{id} inspector row"), row.label);
            texts.check(&format!("{id} inspector row"), &row.value);
        }
    }
}

/// What a person can read of the whole run: descriptions, labels, findings, exports.
fn read_all(live: &Session, texts: &mut Texts, id: &str, run: &SharedRun) {
    // The inspector's description of events all along the run (every description is also in
    // the trace JSON below; details are costlier, as they count causal pasts and futures).
    let step = (live.event_count() / 400).max(1);
    for index in (0..live.event_count()).step_by(step) {
        let details = live.details(EventId(index as u32)).expect("event exists");
        texts.check(&format!("{id} event {index}"), &details.description);
    }
    for name in live.node_names() {
        texts.check(&format!("{id} node name"), &name);
    }
    for kind in live.message_kinds() {
        texts.check(&format!("{id} message kind"), kind);
    }
    for finding in live.findings().iter() {
        texts.check(&format!("{id} finding summary"), &finding.summary);
    }
    // Labels at the whole run and at a few closer windows.
    let end = live.now() as f64;
    let filter = Filter {
        label_px: 12.0,
        ..Filter::default()
    };
    for (top, span) in [(0.0, end), (0.0, end / 8.0), (end / 2.0, end / 10.0)] {
        let view = viewport(top, span);
        let shapes = live.timeline(&view, None, live.now(), &filter);
        for shape in &shapes {
            if let Shape::Label { text, .. } = shape {
                texts.check(&format!("{id} label"), text);
            }
        }
        let svg = timeline_svg(&shapes, &view, &live.node_names(), None);
        for text in svg_texts(&svg) {
            texts.check(&format!("{id} SVG text"), &text);
        }
    }
    // Past the time and the indentation that puts the node in its column.
    for line in live.text().lines().skip(1) {
        let words = line
            .trim_start()
            .split_once(' ')
            .map_or("", |(_, rest)| rest);
        texts.check(&format!("{id} text trace"), words.trim_start());
    }
    for line in faultline::share::shiviz_log(live.words(), live.names())
        .lines()
        .step_by(2)
    {
        texts.check(&format!("{id} ShiViz line"), line);
    }
    let json: Value =
        serde_json::from_str(&faultline::share::session_trace_json(live, run)).expect("trace JSON");
    for event in json["events"].as_array().expect("events") {
        texts.check(
            &format!("{id} JSON description"),
            event["description"].as_str().unwrap(),
        );
    }
    for name in json["node_names"].as_array().expect("node names") {
        texts.check(&format!("{id} JSON node name"), name.as_str().unwrap());
    }
}

/// The text content of an SVG document's `<text>` and `<title>` elements.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for tag in ["<text", "<title"] {
        for part in svg.split(tag).skip(1) {
            let Some(start) = part.find('>') else {
                continue;
            };
            let Some(end) = part.find("</") else { continue };
            if start < end {
                texts.push(part[start + 1..end].to_string());
            }
        }
    }
    texts
}

fn shared(scenario: &Scenario) -> SharedRun {
    SharedRun {
        scenario: scenario.id.clone(),
        fix: scenario.fix_enabled,
        seed: scenario.config.seed,
        faults: Vec::new(),
        step: 0,
        moment: Moment::default(),
        cluster: None,
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    }
}

/// Runs `scenario` to its end, reading what a person could at points along the way.
fn read_scenario(scenario: &Scenario, texts: &mut Texts) {
    let id = format!(
        "{} (fix {})",
        scenario.id,
        if scenario.fix_enabled { "on" } else { "off" }
    );
    let mut live = scenarios::start(scenario).expect("starts");
    // Sixty looks along the run.
    let every = (live.duration() / 60).max(1);
    while !live.finished() {
        live.advance_to(live.now() + every);
        read_now(&live, texts, &id);
    }
    read_all(&live, texts, &id, &shared(scenario));
}

#[test]
fn every_preset_reads_in_plain_words_with_the_fix_off_and_on() {
    let mut texts = Texts::default();
    for scenario in scenarios::all() {
        for fix in [false, true] {
            read_scenario(&scenario.clone().with_fix(fix), &mut texts);
        }
        for text in scenario.explains.iter().map(|e| e.text.as_str()) {
            texts.check(&format!("{} explanation", scenario.id), text);
        }
    }
    for kind in FINDING_KINDS {
        texts.check("finding label", kind.label());
        texts.check("finding explanation", kind.explanation());
    }
    texts.finish("presets");
}

/// A random fault that fits a cluster of `nodes`, with `flying` messages on the wire.
fn random_fault(rng: &mut SimRng, nodes: u8, flying: &[MsgId]) -> Command<()> {
    let node = |rng: &mut SimRng| NodeId(rng.below(u64::from(nodes)) as u8);
    match rng.below(14) {
        0 => Command::Pause { node: node(rng) },
        1 => Command::Resume { node: node(rng) },
        2 => Command::Crash { node: node(rng) },
        3 => Command::Restart { node: node(rng) },
        4 => Command::CutLink {
            from: node(rng),
            to: node(rng),
        },
        5 => Command::CutBoth {
            a: node(rng),
            b: node(rng),
        },
        6 => Command::HealAll,
        7 => {
            let alone = node(rng);
            Command::Partition {
                groups: vec![vec![alone]],
            }
        }
        8 => Command::SetClockOffset {
            node: node(rng),
            offset_us: rng.below(20_000_000) as i64 - 10_000_000,
        },
        9 => Command::NtpStep {
            node: node(rng),
            delta_us: rng.below(4_000_000) as i64 - 2_000_000,
        },
        10 => Command::SetDrift {
            node: node(rng),
            drift_ppm: rng.below(400) as i32 - 200,
        },
        11 => Command::CrashLosingUnsynced { node: node(rng) },
        12 => Command::Flood {
            node: node(rng),
            duration_us: 1_000 + rng.below(2_000_000),
        },
        _ => {
            let msg = flying
                .get(rng.below(flying.len().max(1) as u64) as usize)
                .copied()
                .unwrap_or(MsgId(0));
            if rng.chance(0.5) {
                Command::DropMessage { msg }
            } else {
                Command::DuplicateMessage { msg }
            }
        }
    }
}

#[test]
fn the_sandbox_under_random_faults_reads_in_plain_words() {
    let mut texts = Texts::default();
    let sandbox = scenarios::by_id("sandbox").expect("sandbox");
    for seed in 0..4 {
        let mut rng = SimRng::new(seed);
        let scenario = sandbox.clone().with_fix(seed % 2 == 1);
        let mut live = scenarios::start(&scenario).expect("starts");
        let nodes = live.node_count();
        let mut applied = 0;
        while !live.finished() && live.now() < 4_000_000 {
            live.advance_to(live.now() + 10_000 + rng.below(90_000));
            let flying: Vec<MsgId> = live.in_flight().iter().map(|f| f.message.id).collect();
            // Refused faults (resume a running node) are fine: they change nothing.
            applied += u32::from(live.apply(random_fault(&mut rng, nodes, &flying)).is_ok());
            read_now(&live, &mut texts, "sandbox");
        }
        assert!(applied > 10, "faults were applied ({applied})");
        read_all(&live, &mut texts, "sandbox", &shared(&scenario));
    }
    texts.finish("sandbox");
}

#[test]
fn the_check_itself_catches_rust_syntax() {
    for bad in [
        "Refused { token: 33, highest: 34, writer: C }",
        "Some(3)",
        "None",
        "LeaseChecked",
        "Heartbeat { term: 1, sent: 8726 }",
        "models::lock",
        "two  spaces",
    ] {
        assert!(rust_syntax(bad).is_some(), "{bad:?} passed the check");
    }
    assert_eq!(rust_syntax("C paused (GC)"), None);
    assert_eq!(
        rust_syntax("write with token 33 refused: storage has seen 34"),
        None
    );
    assert_eq!(rust_syntax("book 12A for Alice"), None);
    assert_eq!(rust_syntax("NTP steps the clock of B back 6 s"), None);
}

/// What is wrong with a refusal of outside text as words for people, if anything: Rust syntax
/// (as [`rust_syntax`]), serde's or Rust's jargon, or not a sentence (a capital first, a full
/// stop last). What it quotes back of the person's own text, between “ and ”, is theirs: only
/// characters that read as code (`{`, `}`, a backtick) must not be there.
fn refusal_problem(text: &str) -> Option<String> {
    for code in ["{", "}", "`"] {
        if text.contains(code) {
            return Some(format!("{code:?}"));
        }
    }
    // The text with what it quotes back replaced by a plain word.
    let masked = text
        .split('“')
        .enumerate()
        .map(|(index, part)| match part.split_once('”') {
            Some((_, after)) if index > 0 => format!("x”{after}"),
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("“");
    if let Some(problem) = rust_syntax(&masked) {
        return Some(problem);
    }
    for phrase in [
        "invalid type",
        "invalid value",
        "invalid length",
        "expected value",
        "expected ident",
        "floating point",
        "unit value",
        "trailing characters",
        "while parsing",
        "line 1 column",
    ] {
        if masked.contains(phrase) {
            return Some(format!("the jargon {phrase:?}"));
        }
    }
    // Whole words (a field such as `sequence_numbers` is a name, not jargon).
    let words: Vec<&str> = masked
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .collect();
    for jargon in [
        "EOF",
        "struct",
        "enum",
        "variant",
        "identifier",
        "sequence",
        "column",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "i8",
        "i16",
        "i32",
        "i64",
        "isize",
        "f32",
        "f64",
    ] {
        if words.contains(&jargon) {
            return Some(format!("the jargon {jargon:?}"));
        }
    }
    if !text.starts_with(|c: char| c.is_uppercase()) {
        return Some("no capital first".into());
    }
    if !text.ends_with('.') {
        return Some("no full stop last".into());
    }
    None
}

#[test]
fn every_refusal_of_outside_text_reads_in_plain_words() {
    let mut texts = Vec::new();
    let mut bad = std::collections::BTreeMap::new();
    let mut rng = SimRng::new(7);
    let mut refused = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..6_000 {
        let case = fuzz::case(&mut rng);
        for text in fuzz::refusals(&case) {
            *refused.entry(format!("{:?}", case.decoder)).or_default() += 1;
            if let Some(problem) = refusal_problem(&text) {
                // One example per problem and decoder is enough to see what to fix.
                bad.entry((format!("{:?}", case.decoder), problem))
                    .or_insert(text.clone());
            }
            texts.push(text);
        }
    }
    assert_eq!(
        refused.len(),
        9,
        "every decoder refused something: {refused:?}"
    );
    assert!(
        bad.is_empty(),
        "{} kinds of refusal are not plain words:\n{}",
        bad.len(),
        bad.iter()
            .map(|((decoder, problem), text)| format!("{decoder}: {problem} in {text:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(texts.len() > 2_000, "{} refusals were read", texts.len());
}

#[test]
fn the_refusal_check_catches_serde_s_words() {
    for bad in [
        "This link could not be opened: the link's contents are malformed: expected value at line 1 column 1.",
        "This file could not be opened: run.seed: invalid type: string \"x\", expected u64.",
        "This file could not be opened: run.cluster: missing field `nodes`.",
        "This file could not be opened: EOF while parsing an object.",
        "this link could not be opened.",
        "This link could not be opened",
        "Faultline: it has no \"type\"; commands look like {\"type\": \"faultline:play\"}.",
    ] {
        assert!(refusal_problem(bad).is_some(), "{bad:?} passed the check");
    }
    assert_eq!(
        refusal_problem(
            "This file could not be opened: run.cluster.link.latency_us should be a whole \
             number of microseconds (0 or more), not the text “x”."
        ),
        None
    );
    assert_eq!(
        refusal_problem("This link could not be opened: run has no field “fooBar”."),
        None
    );
    assert_eq!(
        refusal_problem(
            "This file could not be opened: run.custom.model.params.sequence_numbers is missing."
        ),
        None
    );
}
