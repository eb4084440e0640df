//! A guided question never gives its answer away (issue 26 §1), by construction and by test.
//!
//! Every preset names the events that answer its question ([`Prediction::reveal`]); guided
//! playback stops just before the first of them. This test plays every preset, with the fix
//! off and on, the way guided mode does, and at the question checks everything a person can
//! see — the events drawn, the narration lines shown, the findings, the inspector's rows for
//! every node, the messages in flight — against the *tells* below: the words in which the
//! run states the answer. None may show at the question; each must show after it (so a tell
//! is never a phrase the run cannot say, and the test can fail). Then:
//! - the very next event is one that answers the question (the stop is *just* before it);
//! - no finding of the lesson's own kind is shown at the question;
//! - with the fix on, the question is the fix's own, never the broken run's;
//! - the choices are shuffled, and the right answer's place varies across presets;
//! - the sandbox asks of a fault the person makes, and its answer is what then happens.
#![cfg(not(target_arch = "wasm32"))]

use faultline::detect::FindingKind;
use faultline::scenarios::{self, Scenario};
use faultline::sim::{Command, NodeId};
use faultline::ui::stage::{Stage, Stop};

/// The words in which a run states its question's answer, `(preset, tells)`, with the fix
/// off. A tell is matched as a substring of any text shown.
const TELLS_BROKEN: &[(&str, &[&str])] = &[
    (
        "split-brain",
        &["election timeout", "presumed dead", "leader of term 2"],
    ),
    ("timeouts", &["declares B dead"]),
    (
        "reordered-writes",
        &["receives “set x", "x = 3 (from", "x = 2 (from"],
    ),
    ("retry-double-charge", &["balance 40"]),
    ("lost-update", &["stores balance"]),
    (
        "delivery-semantics",
        &["from Client B lost", "never sends it again"],
    ),
    ("retry-storm", &["line full", "turns away"]),
    ("seat-12a", &["ok: 12A = Bob", "for Bob (0.250 s)"]),
    ("lww-clock-skew", &["discards x = 2"]),
    ("siblings-kept", &["discards cart = milk"]),
    ("clock-from-the-future", &["discards x = 2"]),
    ("wall-clock-log", &["10:00:00.100"]),
    ("ntp-step-back", &["measured", "−700 ms"]),
    ("slow-clock-lease", &["still valid"]),
    ("truetime-commit-wait", &["timestamp 0.098 s"]),
    (
        "gc-pause-fencing",
        &["write 1, token 33", "write accepted: 1"],
    ),
    (
        "majority-truth",
        &["presumed dead", "leader of term 2", "steps down"],
    ),
    ("byzantine-generals", &["decides retreat"]),
    ("crash-amnesia", &["vote yes, term 2” to D"]),
    ("bounded-delay", &["declares A dead", "declares C dead"]),
];

/// The same with the fix on, for the fix's own question.
const TELLS_FIXED: &[(&str, &[&str])] = &[
    (
        "split-brain",
        &["steps down", "no longer leader", "refused"],
    ),
    ("timeouts", &["declares D dead", "declare D dead"]),
    ("reordered-writes", &["ignores", "is old", "x stays 3"]),
    (
        "retry-double-charge",
        &["already charged", "only repeats the answer", "stays 70"],
    ),
    (
        "lost-update",
        &[
            "refuses the write",
            "refused: the balance changed",
            "balance 20",
        ],
    ),
    ("delivery-semantics", &["already counted", "not again"]),
    (
        "retry-storm",
        &[
            "breaker opens: sends nothing",
            "fails at once",
            "it is empty",
            "No server was declared dead",
        ],
    ),
    ("seat-12a", &["taken by Alice", "refused 12A"]),
    ("lww-clock-skew", &["A1 C1", "supersedes"]),
    ("siblings-kept", &["keeps both", "siblings", "concurrent"]),
    ("clock-from-the-future", &["out of service", "refuses x"]),
    ("wall-clock-log", &["Lamport 3", "cause precedes effect"]),
    (
        "ntp-step-back",
        &["measured +300 ms", "300 ms, as it should be"],
    ),
    (
        "slow-clock-lease",
        &["lease 33: expired", "knows the lease is gone"],
    ),
    (
        "truetime-commit-wait",
        &[
            "transaction 2 stamped",
            "108.5 ms",
            "Commit order and timestamp order agree",
        ],
    ),
    ("gc-pause-fencing", &["refused", "fenced off"]),
    (
        "majority-truth",
        &["steps down", "no longer leader", "refused: no majority"],
    ),
    ("byzantine-generals", &["decides attack", "two to one"]),
    ("crash-amnesia", &["vote no, term 2", "says no"]),
    (
        "bounded-delay",
        &["“heartbeat 10” from A", "Nobody is suspected"],
    ),
];

fn tells(id: &str, fix: bool) -> &'static [&'static str] {
    let table = if fix { TELLS_FIXED } else { TELLS_BROKEN };
    table
        .iter()
        .find(|(preset, _)| *preset == id)
        .map_or(&[], |(_, tells)| tells)
}

/// Everything a person can read of the stage now, one text per thing shown.
fn shown(stage: &Stage) -> Vec<(String, String)> {
    let now = stage.run.now();
    let mut texts = Vec::new();
    for (event, node, words) in stage.run.events_said(0) {
        texts.push((format!("event {} on {node:?}", event.index()), words));
    }
    for line in stage.scenario.narration().filter(|line| line.at_us <= now) {
        texts.push((format!("narration at {} µs", line.at_us), line.text.clone()));
    }
    for finding in stage.run.findings().iter() {
        texts.push((
            format!("finding {}", finding.kind.label()),
            finding.summary.clone(),
        ));
    }
    for node in 0..stage.run.node_count() {
        let Some(summary) = stage.run.node_summary(NodeId(node)) else {
            continue;
        };
        let rows = summary
            .memory
            .iter()
            .flatten()
            .chain(&summary.disk)
            .chain(summary.synced.iter().flatten());
        for row in rows {
            texts.push((
                format!("inspector row of node {node}"),
                format!("{}: {}", row.label, row.value),
            ));
        }
    }
    for flight in stage.run.in_flight() {
        texts.push(("a message in flight".to_string(), flight.payload));
    }
    texts
}

/// Plays `stage` as guided mode does until it stops to ask; whether it did.
fn play_to_question(stage: &mut Stage) -> bool {
    let ask = Stop {
        ask: true,
        on_finding: None,
    };
    while !stage.run.finished() {
        if stage.advance_before(500, ask).1 {
            return true;
        }
    }
    false
}

fn asks(scenario: &Scenario, fix: bool) -> Result<(), String> {
    let id = &scenario.id;
    let mut stage = Stage::start(scenario, fix, scenario.config.seed).expect("starts");
    let question = stage.question().clone();
    if question.reveal.is_empty() {
        return Err("names no event that answers its question".to_string());
    }
    if fix && scenario.fix_prediction.is_none() {
        return Err("asks the broken run's question with the fix on".to_string());
    }
    let tells = tells(id, fix);
    if tells.is_empty() {
        return Err("has no tells listed in this test".to_string());
    }
    if !play_to_question(&mut stage) {
        return Err("never asks: nothing in the run answers its question".to_string());
    }
    let at = stage.run.now();
    for (event, node, words) in stage.run.events_said(0) {
        if question.reveal.iter().any(|r| r.matches(node, &words)) {
            return Err(format!(
                "the question at {at} µs comes after an event that answers it: event {} “{words}”",
                event.index()
            ));
        }
    }
    for (what, text) in shown(&stage) {
        for tell in tells {
            if text.contains(tell) {
                return Err(format!(
                    "the question at {at} µs shows its answer: {what} says “{text}” (tell “{tell}”)"
                ));
            }
        }
    }
    if let Some(kind) = stage.anomaly() {
        if stage.run.findings().iter().any(|f| f.kind == kind) {
            return Err(format!(
                "the question at {at} µs comes after the “{}” finding it is about",
                kind.label()
            ));
        }
    }
    // Just before: every event from here to the first that answers is at its instant.
    let count = stage.run.event_count();
    let mut instant = None;
    while instant.is_none() && !stage.run.finished() {
        stage.advance_before(1, Stop::default());
        instant = stage
            .run
            .events_said(count)
            .into_iter()
            .find(|(_, node, words)| question.reveal.iter().any(|r| r.matches(*node, words)))
            .map(|(event, _, _)| stage.run.details(event).expect("an event").time);
    }
    let Some(instant) = instant else {
        return Err(format!("nothing after the question at {at} µs answers it"));
    };
    for (event, _, words) in stage.run.events_said(count) {
        let time = stage.run.details(event).expect("an event").time;
        if time != instant {
            return Err(format!(
                "the question at {at} µs is not just before its answer at {instant} µs: \
                 “{words}” at {time} µs comes between"
            ));
        }
    }
    // Every tell shows once the run goes on: none is a phrase the run never says.
    stage.run.run_to_end();
    let after: Vec<String> = shown(&stage).into_iter().map(|(_, text)| text).collect();
    let explanation = &question.explanation;
    for tell in tells {
        if !after.iter().any(|text| text.contains(tell)) && !explanation.contains(tell) {
            return Err(format!(
                "its tell “{tell}” never shows, even after the question"
            ));
        }
    }
    Ok(())
}

#[test]
fn every_question_is_asked_just_before_its_answer_and_nothing_shown_gives_it_away() {
    let mut wrong = Vec::new();
    for scenario in scenarios::all() {
        if scenario.id == "sandbox" {
            continue;
        }
        for fix in [false, true] {
            if let Err(why) = asks(&scenario, fix) {
                let run = if fix { "fix on" } else { "fix off" };
                wrong.push(format!("{} ({run}): {why}", scenario.id));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} questions:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_right_answer_is_shown_in_every_place_across_the_presets() {
    let mut places = [0usize; 8];
    let mut questions = 0;
    for scenario in scenarios::all() {
        for fix in [false, true] {
            let scenario = scenario.clone().with_fix(fix);
            let question = scenario.question();
            let order = question.order(scenario.config.seed, &scenario.id);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(
                sorted,
                (0..question.choices.len()).collect::<Vec<_>>(),
                "{}: the order shows every choice once",
                scenario.id
            );
            let place = order
                .iter()
                .position(|&i| i == question.answer)
                .expect("the answer is shown");
            places[place] += 1;
            questions += 1;
            assert_eq!(
                order,
                question.order(scenario.config.seed, &scenario.id),
                "one seed, one order: a link shows everyone the same"
            );
        }
    }
    for (place, &count) in places.iter().enumerate().take(3) {
        assert!(
            count > 0,
            "the right answer is never choice {} of {questions}",
            place + 1
        );
        assert!(
            count * 2 < questions,
            "the right answer is choice {} in {count} of {questions} questions",
            place + 1
        );
    }
}

#[test]
fn the_sandbox_asks_what_a_fault_the_person_makes_will_do_and_its_answer_happens() {
    let sandbox = scenarios::by_id("sandbox").expect("the sandbox");
    let mut stage = Stage::start(&sandbox, false, sandbox.config.seed).expect("starts");
    assert!(
        !stage.wants_own_question(),
        "nothing is asked before the person breaks something"
    );
    stage.run.advance_to(3_000_000);
    let before = stage.run.findings().len();
    // Cut the leader, A, off from everyone.
    stage
        .apply(Command::Partition {
            groups: vec![vec![NodeId(0)], (1..5).map(NodeId).collect()],
        })
        .expect("a partition");
    assert!(
        stage.wants_own_question(),
        "a fault by hand asks a question"
    );
    stage.ask_of_fault();
    assert!(!stage.wants_own_question(), "asked once per fault");
    let question = stage.question().clone();
    assert!(question.question.contains("What happens next?"));
    assert!(question.choices.len() >= 2);
    let anomaly = stage
        .anomaly()
        .expect("cutting the leader off breaks the sandbox");
    assert_eq!(
        question.choices[question.answer],
        anomaly.happens(),
        "the answer is the finding that comes"
    );
    assert_eq!(
        stage.run.findings().len(),
        before,
        "asked before it happens"
    );
    let on_it = Stop {
        ask: false,
        on_finding: Some(anomaly),
    };
    let mut stopped = false;
    while !stage.run.finished() && !stopped {
        stopped = stage.advance_before(500, on_it).1;
    }
    assert!(stopped, "the guide stops on the answer's finding");
    let found = stage.anomaly_found().expect("the finding");
    assert_eq!(found.kind, anomaly);
    assert_ne!(anomaly, FindingKind::FencingRejection);
}
