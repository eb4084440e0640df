//! What each preset's texts say about its run is what the run shows.
//!
//! Every text a person reads of a run — title, lesson, narration, the guided question with its
//! right answer and explanation, the fix and its cost, the fix's own question (with every
//! choice) for the fixed run, the lesson's source, and the explanation of each finding the run
//! shows — is checked two ways:
//! - every number it states (digits, or words such as "two" and "twice") lies inside a *claim*
//!   below, or inside an *aside* that says why it is not about the run (a source's figures, a
//!   general rule such as 3f + 1);
//! - every claim's quotes appear in the texts of the run it is about, and its check passes on
//!   that run's trace: arrival orders, tokens, timestamps, final values, seat owners, who did what
//!   and when (a narration line is never shown before what it reports).
//!
//! So a text cannot state a number the run does not bear out, and text and run cannot drift
//! apart unseen: change either, and this test names the claim that no longer holds.
#![cfg(not(target_arch = "wasm32"))]

use std::any::Any;

use faultline::detect::{Finding, FindingKind};
use faultline::models::election::{self, Election};
use faultline::models::generals::{self, Generals, Order};
use faultline::models::heartbeat::{self, Detector, Heartbeats};
use faultline::models::lock::{self, LockService};
use faultline::models::logging::{self, Logging};
use faultline::models::register::{self, Register};
use faultline::models::server::{self, Server};
use faultline::models::stopwatch::{self, Stopwatch};
use faultline::models::truetime::{self, TrueTime};
use faultline::scenarios::{self, ModelSpec, Scenario};
use faultline::sim::{Command, EventKind, Micros, Model, NodeId, Simulation};
use regex::Regex;

const A: NodeId = NodeId(0);
const B: NodeId = NodeId(1);
const C: NodeId = NodeId(2);
const D: NodeId = NodeId(3);
const E: NodeId = NodeId(4);

const MS: Micros = 1_000;
const S: Micros = 1_000_000;

type Checked = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

// ----- runs, and what a check can read of them -----

/// Something that happened on a node at a true time.
#[derive(Clone, Debug)]
struct At<T> {
    time: Micros,
    node: NodeId,
    what: T,
}

/// One run of a preset (fix on or off), played to its end.
struct Run {
    scenario: Scenario,
    sim: Box<dyn Any>,
    findings: Vec<Finding>,
}

impl Run {
    fn new(scenario: Scenario) -> Run {
        let (mut sim, end) = scenarios::simulate(&scenario).expect("the preset starts");
        run_to_end(&mut sim, end);
        let findings = scenarios::run(&scenario).expect("the preset runs").findings;
        Run {
            scenario,
            sim,
            findings,
        }
    }

    fn fixed(&self) -> bool {
        self.scenario.fix_enabled
    }

    fn sim<M: Model>(&self) -> &Simulation<M> {
        self.sim
            .downcast_ref()
            .unwrap_or_else(|| panic!("{} runs another model", self.scenario.id))
    }

    /// Every event's time, node and kind, in trace order.
    fn events<M: Model>(&self) -> Vec<At<EventKind>> {
        self.sim::<M>()
            .trace()
            .events()
            .iter()
            .map(|e| At {
                time: e.time,
                node: e.node,
                what: e.kind,
            })
            .collect()
    }

    /// What nodes noted (local steps and replies to clients), in trace order.
    fn notes<M: Model>(&self) -> Vec<At<M::Note>> {
        let trace = self.sim::<M>().trace();
        self.events::<M>()
            .into_iter()
            .filter_map(|e| match e.what {
                EventKind::Local { note } | EventKind::ClientReply { note, .. } => Some(At {
                    time: e.time,
                    node: e.node,
                    what: trace.note(note).clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The notes `pick` recognises, with what it makes of them.
    fn noted<M: Model, T>(&self, pick: impl Fn(&M::Note) -> Option<T>) -> Vec<At<T>> {
        self.notes::<M>()
            .into_iter()
            .filter_map(|n| {
                pick(&n.what).map(|what| At {
                    time: n.time,
                    node: n.node,
                    what,
                })
            })
            .collect()
    }

    /// Client requests as their nodes received them.
    fn requests<M: Model>(&self) -> Vec<At<M::ClientOp>> {
        let trace = self.sim::<M>().trace();
        self.events::<M>()
            .into_iter()
            .filter_map(|e| match e.what {
                EventKind::ClientRequest { request } => Some(At {
                    time: e.time,
                    node: e.node,
                    what: trace.request(request).op.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// Messages as they arrived: on the receiver, with the sender and the time it was sent.
    fn delivered<M: Model>(&self) -> Vec<At<(NodeId, Micros, M::Msg)>> {
        let trace = self.sim::<M>().trace();
        self.events::<M>()
            .into_iter()
            .filter_map(|e| match e.what {
                EventKind::Deliver { msg } => {
                    let record = trace.message(msg);
                    Some(At {
                        time: e.time,
                        node: e.node,
                        what: (
                            record.from,
                            trace.event(record.send_event).time,
                            trace.payload(msg).clone(),
                        ),
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// Messages as they were sent: on the sender, with the receiver.
    fn sent<M: Model>(&self) -> Vec<At<(NodeId, M::Msg)>> {
        let trace = self.sim::<M>().trace();
        self.events::<M>()
            .into_iter()
            .filter_map(|e| match e.what {
                EventKind::Send { msg } => {
                    let record = trace.message(msg);
                    Some(At {
                        time: e.time,
                        node: e.node,
                        what: (record.to, trace.payload(msg).clone()),
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// Messages lost on the way: (sender, receiver, payload).
    fn dropped<M: Model>(&self) -> Vec<At<(NodeId, NodeId, M::Msg)>> {
        let trace = self.sim::<M>().trace();
        self.events::<M>()
            .into_iter()
            .filter_map(|e| match e.what {
                EventKind::Drop { msg, .. } => {
                    let record = trace.message(msg);
                    Some(At {
                        time: e.time,
                        node: e.node,
                        what: (record.from, record.to, trace.payload(msg).clone()),
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// Faults as they took effect (scripted or by hand).
    fn faults<M: Model>(&self) -> Vec<At<Command<M::ClientOp>>> {
        let trace = self.sim::<M>().trace();
        self.events::<M>()
            .into_iter()
            .filter_map(|e| match e.what {
                EventKind::Fault { index } => Some(At {
                    time: e.time,
                    node: e.node,
                    what: trace.fault(index).clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// When the narration line (of this run) that contains `quote` is shown: with the first
    /// event at or after its time, since true time only moves from event to event.
    fn line(&self, quote: &str) -> Micros {
        let at = self
            .scenario
            .narration()
            .find(|line| line.text.contains(quote))
            .unwrap_or_else(|| panic!("{}: no narration line says “{quote}”", self.scenario.id))
            .at_us;
        self.sim_events_from(at).unwrap_or(at)
    }

    /// The time of the first event at or after `at`, whatever the model.
    fn sim_events_from(&self, at: Micros) -> Option<Micros> {
        macro_rules! first_from {
            ($($model:ty),*) => {
                $(
                    if let Some(sim) = self.sim.downcast_ref::<Simulation<$model>>() {
                        return sim.trace().events().iter().map(|e| e.time).find(|&t| t >= at);
                    }
                )*
            };
        }
        first_from!(
            Election,
            LockService,
            Register,
            Heartbeats,
            Stopwatch,
            Logging,
            Generals,
            TrueTime,
            Server
        );
        None
    }

    fn found(&self, kind: FindingKind) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.kind == kind).collect()
    }
}

/// Plays a simulation of any preset's model to `end`, as `LiveRun::run_to_end` does.
fn run_to_end(sim: &mut Box<dyn Any>, end: Micros) {
    macro_rules! play_if {
        ($($model:ty),*) => {
            $(
                if let Some(sim) = sim.downcast_mut::<Simulation<$model>>() {
                    sim.run_until(end);
                    return;
                }
            )*
        };
    }
    play_if!(
        Election,
        LockService,
        Register,
        Heartbeats,
        Stopwatch,
        Logging,
        Generals,
        TrueTime,
        Server
    );
    panic!("a preset runs a model this test does not know");
}

/// The model's parameters in this run, from the scenario's data.
fn params<M: Clone + 'static>(run: &Run) -> M {
    let fixed = run.fixed();
    let any: Box<dyn Any> = match &run.scenario.model {
        ModelSpec::Election {
            params, fixed: f, ..
        } => Box::new(faultline::scenarios::election_in_force(
            params,
            f.as_ref(),
            fixed,
        )),
        ModelSpec::Lock {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
        ModelSpec::Register {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
        ModelSpec::Heartbeats {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
        ModelSpec::Stopwatch {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
        ModelSpec::Logging {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
        ModelSpec::Generals { params, .. } => Box::new(params.clone()),
        ModelSpec::TrueTime {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
        ModelSpec::Server {
            params, fixed: f, ..
        } => Box::new(if fixed { f } else { params }.clone()),
    };
    *any.downcast().expect("the preset's model")
}

/// The number of nodes the run has (the generals' fix adds one).
fn nodes(run: &Run) -> u8 {
    match (&run.scenario.model, run.fixed()) {
        (ModelSpec::Generals { fixed_nodes, .. }, true) => *fixed_nodes,
        _ => run.scenario.config.nodes,
    }
}

fn majority(nodes: u8) -> u8 {
    nodes / 2 + 1
}

/// `value` is within `tolerance` of `expected`.
fn about(value: f64, expected: f64, tolerance: f64) -> bool {
    (value - expected).abs() <= tolerance
}

// ----- claims -----

type Check = Box<dyn Fn(&Run) -> Checked>;

/// Which run a text or claim is about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Runs {
    Both,
    WithoutFix,
    WithFix,
}

impl Runs {
    fn covers(self, fixed: bool) -> bool {
        match self {
            Runs::Both => true,
            Runs::WithoutFix => !fixed,
            Runs::WithFix => fixed,
        }
    }
}

/// Something texts say about a run (each quote word for word), and how to check it.
struct Claim {
    runs: Runs,
    says: Vec<&'static str>,
    check: Check,
}

fn claim(runs: Runs, says: &[&'static str], check: impl Fn(&Run) -> Checked + 'static) -> Claim {
    Claim {
        runs,
        says: says.to_vec(),
        check: Box::new(check),
    }
}

/// Text that states numbers not about the run, and why: the quote itself, or (`line`) the whole
/// text that contains it.
struct Aside {
    says: &'static str,
    line: bool,
    #[allow(dead_code)]
    because: &'static str,
}

fn aside(says: &'static str, because: &'static str) -> Aside {
    Aside {
        says,
        line: false,
        because,
    }
}

fn aside_line(says: &'static str, because: &'static str) -> Aside {
    Aside {
        says,
        line: true,
        because,
    }
}

/// Every text a person reads of this run, with where it comes from.
fn texts(run: &Run) -> Vec<(String, String)> {
    let s = &run.scenario;
    let mut texts = Vec::new();
    if run.fixed() {
        texts.push(("fix.label".to_string(), s.fix.label.clone()));
        texts.push(("fix.explanation".to_string(), s.fix.explanation.clone()));
        texts.push(("fix.cost".to_string(), s.fix.cost.clone()));
        // The fix's own question: every choice, since a wrong one may only be wrong in its
        // conclusion, never in a number it states about the run.
        if let Some(p) = &s.fix_prediction {
            texts.push(("fix_prediction.question".to_string(), p.question.clone()));
            for (i, choice) in p.choices.iter().enumerate() {
                texts.push((format!("fix_prediction.choices[{i}]"), choice.clone()));
            }
            texts.push((
                "fix_prediction.explanation".to_string(),
                p.explanation.clone(),
            ));
        }
    } else {
        texts.push(("title".to_string(), s.title.clone()));
        texts.push(("lesson".to_string(), s.lesson.clone()));
        let p = &s.prediction;
        texts.push(("prediction.question".to_string(), p.question.clone()));
        // The wrong choices are meant to be wrong; the right one states the run's outcome.
        texts.push((
            "prediction's answer".to_string(),
            p.choices[p.answer].clone(),
        ));
        texts.push(("prediction.explanation".to_string(), p.explanation.clone()));
    }
    texts.push(("source".to_string(), s.source.clone()));
    for line in s.narration() {
        texts.push((format!("narration at {} µs", line.at_us), line.text.clone()));
    }
    let mut kinds: Vec<FindingKind> = run.findings.iter().map(|f| f.kind).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        texts.push((
            format!("explanation of {}", kind.label()),
            s.explanation(kind).to_string(),
        ));
    }
    texts
}

/// Every number a text states: digits (42.004, 10:00:01.000, 12 in 12A) and number words.
/// "One" counts when it counts something ("one booking", "one-second skew"), not as a pronoun
/// ("a new one", "the one with", "when it cannot reach one,").
fn numbers(text: &str) -> Vec<(usize, usize, String)> {
    let pattern = Regex::new(
        r"(?i)\b(?:\d+(?:[.,:]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|twenty|thirty|hundred|thousand|million|twice|half)\b|\b\d+(?:[.,:]\d+)*",
    )
    .unwrap();
    let word_before = Regex::new(r"([A-Za-z]+)\W*$").unwrap();
    let word_after = Regex::new(r"^[ -]([A-Za-z]+)").unwrap();
    const DETERMINERS: [&str; 12] = [
        "a", "an", "the", "new", "lower", "long", "any", "no", "every", "each", "only", "earlier",
    ];
    const NOT_NOUNS: [&str; 10] = [
        "of", "from", "with", "is", "twice", "that", "another", "in", "to", "and",
    ];
    pattern
        .find_iter(text)
        .filter(|m| {
            if !m.as_str().eq_ignore_ascii_case("one") {
                return true;
            }
            let before = word_before
                .captures(&text[..m.start()])
                .map(|c| c[1].to_lowercase());
            let after = word_after
                .captures(&text[m.end()..])
                .map(|c| c[1].to_lowercase());
            if text[m.end()..].starts_with('-') {
                // A compound: "a one-second skew", "one-in-a-hundred-million".
                return true;
            }
            let determined = before.is_some_and(|w| DETERMINERS.contains(&w.as_str()));
            let counts = after.is_some_and(|w| !NOT_NOUNS.contains(&w.as_str()));
            counts && !determined
        })
        .map(|m| (m.start(), m.end(), m.as_str().to_string()))
        .collect()
}

/// Checks one preset's texts and claims on both runs; returns every problem found.
fn judge(preset: &Scenario, claims: &[Claim], asides: &[Aside]) -> Vec<String> {
    let mut problems = Vec::new();
    for fixed in [false, true] {
        let run = Run::new(preset.clone().with_fix(fixed));
        let which = if fixed {
            "with the fix"
        } else {
            "without the fix"
        };
        let texts = texts(&run);
        let here: Vec<&Claim> = claims.iter().filter(|c| c.runs.covers(fixed)).collect();
        // Every number is vouched for.
        for (source, text) in &texts {
            let mut covered: Vec<(usize, usize)> = Vec::new();
            if asides.iter().any(|a| a.line && text.contains(a.says)) {
                covered.push((0, text.len()));
            }
            for quote in here
                .iter()
                .flat_map(|c| c.says.iter().copied())
                .chain(asides.iter().map(|a| a.says))
            {
                let mut from = 0;
                while let Some(at) = text[from..].find(quote) {
                    covered.push((from + at, from + at + quote.len()));
                    from += at + quote.len().max(1);
                }
            }
            for (start, end, number) in numbers(text) {
                if !covered.iter().any(|&(s, e)| s <= start && end <= e) {
                    problems.push(format!(
                        "{} {which}: {source} states “{number}” with no claim about it: “{text}”",
                        preset.id
                    ));
                }
            }
        }
        // Every claim is said, and true.
        for claim in &here {
            for quote in &claim.says {
                let said = texts.iter().any(|(_, text)| text.contains(quote));
                let said_elsewhere = claim.runs == Runs::Both;
                if !said && !said_elsewhere {
                    problems.push(format!(
                        "{} {which}: no text says “{quote}” any more",
                        preset.id
                    ));
                }
            }
            if let Err(problem) = (claim.check)(&run) {
                problems.push(format!(
                    "{} {which}: “{}” is not what the run shows: {problem}",
                    preset.id, claim.says[0]
                ));
            }
        }
    }
    // A claim about both runs must be said in at least one of them.
    for claim in claims.iter().filter(|c| c.runs == Runs::Both) {
        for quote in &claim.says {
            let said = [false, true].iter().any(|&fixed| {
                let run = Run::new(preset.clone().with_fix(fixed));
                texts(&run).iter().any(|(_, text)| text.contains(quote))
            });
            if !said {
                problems.push(format!("{}: no text says “{quote}” any more", preset.id));
            }
        }
    }
    for aside in asides {
        let said = preset.narration.iter().any(|l| l.text.contains(aside.says))
            || [false, true].iter().any(|&fixed| {
                texts(&Run::new(preset.clone().with_fix(fixed)))
                    .iter()
                    .any(|(_, text)| text.contains(aside.says))
            });
        if !said {
            problems.push(format!(
                "{}: no text says “{}” any more",
                preset.id, aside.says
            ));
        }
    }
    problems
}

// ----- the presets -----

/// The claims and asides of a preset, and the chapter its source names (a number about the
/// book, not the run).
fn book(id: &str) -> (Vec<Claim>, Vec<Aside>) {
    let (mut claims, mut asides) = lessons(id);
    claims.extend(fix_questions(id));
    let chapter = match id {
        "lost-update" => "DDIA chapter 7",
        "siblings-kept" => "DDIA chapter 5",
        _ => "DDIA chapter 8",
    };
    asides.push(aside(chapter, "the book's chapter the lesson comes from"));
    (claims, asides)
}

/// The claims and asides about a preset's run.
fn lessons(id: &str) -> (Vec<Claim>, Vec<Aside>) {
    match id {
        "split-brain" => split_brain(),
        "majority-truth" => majority_truth(),
        "sandbox" => sandbox(),
        "seat-12a" => seat_12a(),
        "lww-clock-skew" => lww_clock_skew(),
        "gc-pause-fencing" => gc_pause_fencing(),
        "slow-clock-lease" => slow_clock_lease(),
        "reordered-writes" => reordered_writes(),
        "timeouts" => timeouts(),
        "wall-clock-log" => wall_clock_log(),
        "retry-double-charge" => retry_double_charge(),
        "ntp-step-back" => ntp_step_back(),
        "truetime-commit-wait" => truetime_commit_wait(),
        "byzantine-generals" => byzantine_generals(),
        "lost-update" => lost_update(),
        "crash-amnesia" => crash_amnesia(),
        "delivery-semantics" => delivery_semantics(),
        "siblings-kept" => siblings_kept(),
        "retry-storm" => retry_storm(),
        "clock-from-the-future" => clock_from_the_future(),
        "bounded-delay" => bounded_delay(),
        other => panic!("no claims written for the preset {other}: add them here"),
    }
}

#[test]
fn every_presets_texts_say_what_its_run_shows() {
    let mut problems = Vec::new();
    for preset in scenarios::all() {
        let (claims, asides) = book(&preset.id);
        problems.extend(judge(&preset, &claims, &asides));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn a_narration_that_contradicts_its_run_is_caught() {
    // The defect this test was written for: reordered-writes said the writes arrive 1, 3, 2.
    let mut preset = scenarios::by_id("reordered-writes").unwrap();
    for line in &mut preset.narration {
        line.text = line.text.replace("arrive as 3, 1, 2", "arrive as 1, 3, 2");
    }
    let (claims, asides) = book("reordered-writes");
    let problems = judge(&preset, &claims, &asides);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no text says “The writes arrive as 3, 1, 2”")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("states “1” with no claim")),
        "the old order's numbers are vouched for by nothing: {problems:?}"
    );
    // A number slipped into a text with nothing to back it.
    let mut preset = scenarios::by_id("lww-clock-skew").unwrap();
    preset.narration[1].text.push_str(" It takes 7 ms.");
    let (claims, asides) = book("lww-clock-skew");
    let problems = judge(&preset, &claims, &asides);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("states “7” with no claim")),
        "{problems:?}"
    );
    // A claim checked against a run that no longer bears it out.
    let mut preset = scenarios::by_id("gc-pause-fencing").unwrap();
    preset.config.seed = 5;
    if let ModelSpec::Lock { params, fixed, .. } = &mut preset.model {
        params.lease_us = 12 * S;
        fixed.lease_us = 12 * S;
    }
    let (claims, asides) = book("gc-pause-fencing");
    let problems = judge(&preset, &claims, &asides);
    assert!(
        problems.iter().any(|p| p.contains("10-second leases")),
        "{problems:?}"
    );
}

/// The texts a teacher's audit found false (issue 26) are caught if they come back.
#[test]
fn the_audits_false_texts_are_caught() {
    let problems_with = |id: &str, edit: &dyn Fn(&mut Scenario)| {
        let mut preset = scenarios::by_id(id).unwrap();
        edit(&mut preset);
        let (claims, asides) = book(id);
        judge(&preset, &claims, &asides)
    };
    let has = |problems: &[String], what: &str| {
        assert!(
            problems.iter().any(|p| p.contains(what)),
            "{what}: {problems:?}"
        );
    };
    // bounded-delay: 125 ms called "100 ms + 2d + r", with r = 5 ms the model does not have.
    let problems = problems_with("bounded-delay", &|p| {
        p.narration[0].text =
            "Three nodes send each other a heartbeat every 100 ms. Every message \
            takes d = 10 ms, and a node acts on one within r = 5 ms, so heartbeats from a live \
            node arrive at most 100 ms + 2d + r = 125 ms apart. Each node declares a peer dead \
            after 125 ms of silence."
                .to_string();
    });
    has(&problems, "states “5” with no claim");
    // retry-storm: retries said to be spread out, when they leave 4.4 ms apart.
    let problems = problems_with("retry-storm", &|p| {
        for line in &mut p.narration {
            line.text = line
                .text
                .replace("only 4.4 ms apart", "13 ms apart and more");
        }
    });
    has(&problems, "no text says “C's retry leaves at 1.231 s");
    has(&problems, "states “13” with no claim");
    // seat-12a: "the conflict surfaces later", when nobody is ever told.
    let problems = problems_with("seat-12a", &|p| {
        let answer = p.prediction.answer;
        p.prediction.choices[answer] =
            "Both are confirmed, and the conflict surfaces later".to_string();
    });
    has(
        &problems,
        "no text says “Both are confirmed; later one booking",
    );
    // delivery-semantics: the third increment called #2, counting from 0.
    // (Its claims look for the line that says #3, and stop the judging when none does.)
    let judged = std::panic::catch_unwind(|| {
        problems_with("delivery-semantics", &|p| {
            for line in &mut p.narration {
                line.text = line.text.replace("increment #3", "increment #2");
            }
        })
    });
    match judged {
        Ok(problems) => has(&problems, "states “2” with no claim"),
        Err(panic) => {
            let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
            assert!(
                message.contains("no narration line says “B's increment #3”"),
                "{message}"
            );
        }
    }
    // majority-truth: the fixed run's answer put to the run without the fix.
    let problems = problems_with("majority-truth", &|p| {
        p.prediction.question = "A can receive but not send. Its followers hear nothing from it. \
            Whose verdict about A counts?"
            .to_string();
        let answer = p.prediction.answer;
        p.prediction.choices[answer] =
            "The majority's: if they decide A is dead, A must act as if it were".to_string();
    });
    has(&problems, "no text says “E alone declares A dead");
}

#[test]
fn numbers_are_found_as_digits_and_words() {
    let found = |text: &str| -> Vec<String> { numbers(text).into_iter().map(|n| n.2).collect() };
    assert_eq!(
        found("Seat 12A, sold twice: T1 at 42.004 s, 10:00:01.000, three of five"),
        ["12", "twice", "42.004", "10:00:01.000", "three", "five"]
    );
    assert_eq!(
        found("One purchase, a one-second skew, one booking silently wins, one each"),
        ["One", "one", "one", "one"],
        "“one” counting something"
    );
    assert!(
        found("a new one from it; the one with; when it cannot reach one, it; applies one twice")
            == ["twice"],
        "“one” as a pronoun is not a number"
    );
}

// ----- leader election -----

fn election_notes(run: &Run) -> Vec<At<election::Note>> {
    run.notes::<Election>()
}

/// Who became leader, of which term, when.
fn became_leader(run: &Run) -> Vec<At<u32>> {
    run.noted::<Election, _>(|note| match *note {
        election::Note::BecameLeader { term } => Some(term),
        _ => None,
    })
}

fn first_silent_after(run: &Run, after: Micros) -> Option<At<NodeId>> {
    run.noted::<Election, _>(|note| match *note {
        election::Note::LeaderSilent { leader, .. } => Some(leader),
        _ => None,
    })
    .into_iter()
    .find(|silent| silent.time >= after)
}

fn stepped_down(run: &Run, node: NodeId) -> Vec<At<(u32, election::StepDown)>> {
    run.noted::<Election, _>(|note| match *note {
        election::Note::SteppedDown { term, reason } => Some((term, reason)),
        _ => None,
    })
    .into_iter()
    .filter(|down| down.node == node)
    .collect()
}

fn votes_requested(run: &Run) -> usize {
    run.sent::<Election>()
        .iter()
        .filter(|m| matches!(m.what.1, election::Msg::RequestVote { .. }))
        .count()
}

/// Whether `value`, accepted by `leader`, ever reached `other` (replicated or forwarded).
fn reached(run: &Run, leader: NodeId, value: u32, other: NodeId) -> bool {
    run.delivered::<Election>().iter().any(|m| {
        m.node == other
            && m.what.0 == leader
            && matches!(m.what.2, election::Msg::Replicate { write, .. } if write.value == value)
    })
}

/// The values of `leader`'s writes that the checker has reported as acknowledged writes lost by
/// true time `by` (each finding names the event where the leader accepted the write).
fn reported_lost(run: &Run, leader: NodeId, by: Micros) -> Vec<u32> {
    let trace = run.sim::<Election>().trace();
    run.found(FindingKind::AckedWriteLost)
        .into_iter()
        .filter(|f| f.time <= by)
        .filter_map(|f| {
            f.events.iter().find_map(|&e| {
                let event = trace.event(e);
                match event.kind {
                    EventKind::Local { note } if event.node == leader => match *trace.note(note) {
                        election::Note::Accepted { write, .. } => Some(write.value),
                        _ => None,
                    },
                    _ => None,
                }
            })
        })
        .collect()
}

/// Five nodes, A leading from the start with a heartbeat every 100 ms.
fn five_nodes_a_leads(run: &Run) -> Checked {
    ensure!(nodes(run) == 5, "{} nodes", nodes(run));
    let heartbeat = params::<Election>(run).heartbeat_us;
    ensure!(heartbeat == 100 * MS, "heartbeats every {heartbeat} µs");
    let first = became_leader(run);
    ensure!(
        first
            .first()
            .is_some_and(|l| l.node == A && l.time == 0 && l.what == 1),
        "the first leader is {:?}",
        first.first()
    );
    Ok(())
}

/// A client's write that got no successful answer (a liveness stall), as the run shows it.
#[derive(Debug)]
struct Stall {
    /// The node the client wrote through, and when.
    through: NodeId,
    time: Micros,
    /// The answer its client got, if any.
    answer: Option<election::Outcome>,
    /// The follower passed it on to the leader, and the network dropped it.
    forward_dropped: bool,
    /// What the leader answered the follower, in a message the network dropped.
    answer_dropped: Option<election::Outcome>,
}

/// Every liveness stall of an election run, with what became of its write.
fn stalls(run: &Run) -> Result<Vec<Stall>, String> {
    let trace = run.sim::<Election>().trace();
    let dropped = run.dropped::<Election>();
    let mut stalls = Vec::new();
    for finding in run.found(FindingKind::LivenessStall) {
        let first = trace.event(finding.events[0]);
        let EventKind::ClientRequest { request } = first.kind else {
            return Err(format!("a stall that starts with {:?}", first.kind));
        };
        let through = first.node;
        let answer = trace.events().iter().find_map(|e| match e.kind {
            EventKind::ClientReply { request: r, note } if r == request && e.node == through => {
                match *trace.note(note) {
                    election::Note::Reply { outcome } => Some(outcome),
                    _ => None,
                }
            }
            _ => None,
        });
        let mine = |write: &election::Write| write.origin == through && write.request == request;
        stalls.push(Stall {
            through,
            time: first.time,
            answer,
            forward_dropped: dropped.iter().any(|d| {
                d.what.0 == through
                    && matches!(d.what.2, election::Msg::Forward { write } if mine(&write))
            }),
            answer_dropped: dropped.iter().find_map(|d| match d.what.2 {
                election::Msg::Outcome { write, outcome }
                    if d.what.1 == through && mine(&write) =>
                {
                    Some(outcome)
                }
                _ => None,
            }),
        });
    }
    ensure!(!stalls.is_empty(), "no stall");
    Ok(stalls)
}

/// Heartbeats `from` sent `to` in `window`: (sent at, delivered).
fn heartbeats_between(
    run: &Run,
    from: NodeId,
    to: NodeId,
    window: std::ops::Range<Micros>,
) -> Vec<(Micros, bool)> {
    let is_heartbeat = |m: &election::Msg| matches!(m, election::Msg::Heartbeat { .. });
    let delivered = run.delivered::<Election>();
    run.sent::<Election>()
        .into_iter()
        .filter(|m| {
            m.node == from && m.what.0 == to && is_heartbeat(&m.what.1) && window.contains(&m.time)
        })
        .map(|m| {
            let arrived = delivered.iter().any(|d| {
                d.node == to && d.what.0 == from && d.what.1 == m.time && is_heartbeat(&d.what.2)
            });
            (m.time, arrived)
        })
        .collect()
}

fn split_brain() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &["Five nodes. A leads: every 100 ms it sends a heartbeat"],
            five_nodes_a_leads,
        ),
        claim(
            Both,
            &[
                "A and B on one side, C, D and E on the other",
                "split A, B | C, D, E",
            ],
            move |run| {
                let faults = run.faults::<Election>();
                let split = faults
                    .iter()
                    .find(|f| matches!(f.what, Command::Partition { .. }))
                    .ok_or("no partition")?;
                ensure!(
                    split.time == S
                        && split.what
                            == Command::Partition {
                                groups: vec![vec![A, B], vec![C, D, E]]
                            },
                    "the split is {:?} at {} µs",
                    split.what,
                    split.time
                );
                ensure!(
                    !faults.iter().any(|f| matches!(f.what, Command::Crash { .. })),
                    "something crashed"
                );
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "E's timeout runs out first: it concludes that A is dead and declares itself leader of term 2",
                "Nobody votes",
                "One of C, D, E declares itself leader",
                "E makes itself leader",
            ],
            move |run| {
                let silent = first_silent_after(run, S).ok_or("nobody gave up on A")?;
                ensure!(silent.node == E && silent.what == A, "{silent:?}");
                ensure!(
                    silent.time <= run.line("E's timeout runs out first"),
                    "told at {} µs before it happens",
                    run.line("E's timeout runs out first")
                );
                ensure!(
                    became_leader(run)
                        .iter()
                        .any(|l| l.node == E && l.what == 2 && l.time == silent.time),
                    "E did not lead term 2 at once"
                );
                ensure!(votes_requested(run) == 0, "votes were requested");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Two leaders. A still believes it leads",
                "so does E. Both accept writes: split brain",
                "Two leaders: split brain",
                "both sides accept writes",
                "Two nodes act as leader at the same time",
            ],
            move |run| {
                let split = run.found(FindingKind::SplitBrain);
                ensure!(
                    split
                        .iter()
                        .any(|f| f.nodes.contains(&A) && f.nodes.contains(&E)),
                    "{split:?}"
                );
                let first = split.iter().map(|f| f.time).min().unwrap();
                ensure!(
                    first <= run.line("Two leaders. A still"),
                    "split brain at {first} µs"
                );
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["A hears of E's newer term and steps down"],
            move |run| {
                let down = stepped_down(run, A);
                ensure!(
                    down.iter().any(|d| d.what == (2, election::StepDown::HigherTerm)
                        && (2_500 * MS..=2_600 * MS).contains(&d.time)),
                    "{down:?}"
                );
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["Writes that A acknowledged while it was cut off never reached C, D or E"],
            move |run| {
                let cut_off: Vec<u32> = election_notes(run)
                    .iter()
                    .filter_map(|n| match n.what {
                        election::Note::Accepted { write, term: 1 }
                            if n.node == A && (S..2_500 * MS).contains(&n.time) =>
                        {
                            Some(write.value)
                        }
                        _ => None,
                    })
                    .collect();
                ensure!(!cut_off.is_empty(), "A acknowledged nothing while cut off");
                for &value in &cut_off {
                    for other in [C, D, E] {
                        ensure!(!reached(run, A, value, other), "{value} reached {other:?}");
                    }
                }
                // The checker agrees, and said so first.
                let line = run.line("Writes that A acknowledged while it was cut off");
                let reported = reported_lost(run, A, line);
                ensure!(
                    cut_off.iter().all(|v| reported.contains(v)),
                    "reported lost by the line: {reported:?}, acknowledged while cut off: {cut_off:?}"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Its lease runs out, so it steps down and refuses writes"],
            move |run| {
                let down = stepped_down(run, A);
                ensure!(
                    down.first().is_some_and(|d| d.what.1 == election::StepDown::LeaseExpired
                        && d.time <= run.line("Its lease runs out, so it steps")),
                    "{down:?}"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "With D's and E's it has three of five, a majority, and it leads term 2",
                "On the other side C times out and asks for votes",
            ],
            move |run| {
                let led = became_leader(run);
                let c = led
                    .iter()
                    .find(|l| l.node == C && l.what == 2)
                    .ok_or("C never led term 2")?;
                ensure!(c.time <= run.line("With D's and E's"), "C led at {} µs", c.time);
                for voter in [D, E] {
                    ensure!(
                        run.delivered::<Election>().iter().any(|m| m.node == C
                            && m.what.0 == voter
                            && m.time <= c.time
                            && m.what.2 == election::Msg::Vote { term: 2, granted: true }),
                        "no vote from {voter:?}"
                    );
                }
                ensure!(majority(5) == 3, "three of five is not a majority");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "One leader, on the majority side. Writes through B are refused",
                "every write through B is refused while it is cut off, and here until a new leader is elected after the heal",
            ],
            move |run| {
                let leaders: Vec<NodeId> = became_leader(run)
                    .iter()
                    .filter(|l| l.time > 0)
                    .map(|l| l.node)
                    .collect();
                ensure!(leaders == [C], "leaders after A: {leaders:?}");
                for reply in run.notes::<Election>() {
                    if let election::Note::Reply { outcome } = reply.what {
                        if reply.node == B && reply.time > S {
                            ensure!(
                                !matches!(outcome, election::Outcome::Accepted { .. }),
                                "B's write accepted at {} µs",
                                reply.time
                            );
                        }
                    }
                }
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["A stepped down long ago, when its lease ran out; C still leads"],
            move |run| {
                ensure!(
                    stepped_down(run, A)
                        .first()
                        .is_some_and(|d| d.time < S + 500 * MS),
                    "A stepped down late"
                );
                ensure!(
                    stepped_down(run, C).iter().all(|d| d.time > 2_500 * MS),
                    "C had stepped down before the heal"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "A stands for term 5",
                "C steps down too",
                "Nobody leads until an election succeeds",
            ],
            move |run| {
                let down = stepped_down(run, C);
                let down = down.first().ok_or("C never stepped down")?;
                ensure!(
                    down.what == (5, election::StepDown::HigherTerm)
                        && down.time <= run.line("C steps down too"),
                    "{down:?}"
                );
                ensure!(
                    election_notes(run).iter().any(|n| n.node == A
                        && n.time > 2_500 * MS
                        && n.what == election::Note::StartedElection { term: 5 }),
                    "A did not stand for term 5"
                );
                ensure!(
                    election_notes(run).iter().any(|n| n.node == B
                        && n.time < 2_500 * MS
                        && matches!(n.what, election::Note::StartedElection { term } if term >= 3)),
                    "B did not keep raising the term while cut off"
                );
                ensure!(
                    became_leader(run).iter().all(|l| l.time < down.time),
                    "someone led after C"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Two majorities of five always share a node, so only one side of any partition can act"],
            move |run| {
                ensure!(
                    nodes(run) == 5 && 2 * majority(5) > 5,
                    "majorities need not overlap"
                );
                Ok(())
            },
        ),
        claim(WithoutFix, &["any two quorums overlap"], move |_| {
            ensure!(2 * majority(5) > 5, "quorums need not overlap");
            Ok(())
        }),
        claim(
            Both,
            &[
                "A node was declared dead while it was running. Across the split, A's heartbeats were lost on the way, not slow",
                "or from a leader that has stepped down and stopped sending, as A does once its lease runs out with the fix",
            ],
            move |run| {
                // The general text said "its messages were only slow": here they were lost, or
                // never sent.
                let suspicions = run.found(FindingKind::FalseSuspicion);
                ensure!(!suspicions.is_empty(), "nobody was suspected");
                let lease_out = stepped_down(run, A)
                    .into_iter()
                    .find(|d| d.what.1 == election::StepDown::LeaseExpired)
                    .map(|d| d.time);
                for f in suspicions {
                    let (by, suspect) = (f.nodes[0], f.nodes[1]);
                    ensure!(suspect == A, "{by} suspected {suspect}");
                    let beats = heartbeats_between(run, A, by, S..f.time);
                    if [C, D, E].contains(&by) {
                        ensure!(!beats.is_empty(), "A sent {by} nothing");
                        ensure!(beats.iter().all(|&(_, arrived)| !arrived), "{by} heard A after the split");
                    } else {
                        // On A's own side: A had stepped down, and sent nothing since.
                        ensure!(run.fixed(), "{by} on A's side suspected it without the fix");
                        let out = lease_out.ok_or("A's lease never ran out")?;
                        ensure!(beats.iter().all(|&(t, _)| t <= out), "A beat after stepping down");
                    }
                }
                if run.fixed() {
                    ensure!(lease_out.is_some(), "A's lease never ran out");
                }
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "A client's write got no successful answer. A write through E went to A, the leader E still followed, and the partition dropped it: nothing sent it again",
                "writes through B are refused, since B's side cannot reach a majority",
                "after the heal a write is refused while nobody leads",
            ],
            move |run| {
                // The general text blamed quorums and fencing: without the fix there is none.
                for stall in stalls(run)? {
                    match (stall.through, stall.answer) {
                        (E, None) => {
                            ensure!(stall.forward_dropped, "{stall:?}: not dropped");
                            ensure!((S..2_500 * MS).contains(&stall.time), "{stall:?}: not in the split");
                        }
                        (B, Some(outcome)) => {
                            ensure!(run.fixed(), "B's write refused without the fix");
                            ensure!(!matches!(outcome, election::Outcome::Accepted { .. }), "{stall:?}");
                            ensure!(stall.time < 2_500 * MS || outcome == election::Outcome::NoLeader, "{stall:?}");
                        }
                        (E, Some(election::Outcome::NoLeader)) => {
                            ensure!(run.fixed() && stall.time >= 2_500 * MS, "{stall:?}");
                            let leaders = became_leader(run);
                            ensure!(leaders.iter().all(|l| l.time < 2_500 * MS), "someone led after the heal");
                        }
                        _ => return Err(format!("{stall:?}")),
                    }
                }
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

fn majority_truth() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let mut claims = vec![
        claim(Both, &["Five nodes; A leads"], move |run| {
            ensure!(nodes(run) == 5, "{} nodes", nodes(run));
            ensure!(
                became_leader(run).first().is_some_and(|l| l.node == A),
                "A does not lead"
            );
            Ok(())
        }),
        claim(
            WithoutFix,
            &["acknowledges its clients' writes (102, then 103), which can never leave it"],
            move |run| {
                let acknowledged: Vec<u32> = election_notes(run)
                    .iter()
                    .filter_map(|n| match n.what {
                        election::Note::Accepted { write, .. }
                            if n.node == A && n.time >= S && write.value < 200 =>
                        {
                            Some(write.value)
                        }
                        _ => None,
                    })
                    .collect();
                ensure!(acknowledged == [102, 103], "{acknowledged:?}");
                let replies = run
                    .notes::<Election>()
                    .into_iter()
                    .filter(|n| {
                        n.node == A
                            && n.time >= S
                            && matches!(
                                n.what,
                                election::Note::Reply {
                                    outcome: election::Outcome::Accepted { .. }
                                }
                            )
                    })
                    .count();
                ensure!(replies >= 2, "A's clients were not told");
                for value in [102, 103] {
                    for other in [B, C, D, E] {
                        ensure!(!reached(run, A, value, other), "{value} reached {other:?}");
                    }
                }
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "E hears nothing from A, declares it dead and makes itself leader of term 2",
                "Nobody votes: E's timeout alone decided",
            ],
            move |run| {
                let silent = first_silent_after(run, S).ok_or("nobody gave up on A")?;
                ensure!(silent.node == E && silent.what == A, "{silent:?}");
                ensure!(silent.time <= run.line("E hears nothing"), "told early");
                ensure!(
                    became_leader(run)
                        .iter()
                        .any(|l| l.node == E && l.what == 2),
                    "E did not lead term 2"
                );
                ensure!(votes_requested(run) == 0, "votes were requested");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["E's heartbeat tells A of term 2, and A steps down"],
            move |run| {
                let down = stepped_down(run, A);
                let down = down.first().ok_or("A never stepped down")?;
                ensure!(
                    down.what == (2, election::StepDown::HigherTerm)
                        && down.time <= run.line("E's heartbeat tells A"),
                    "{down:?}"
                );
                ensure!(
                    run.delivered::<Election>().iter().any(|m| m.node == A
                        && m.time == down.time
                        && m.what.0 == E
                        && matches!(m.what.2, election::Msg::Heartbeat { term: 2, .. })),
                    "not on E's heartbeat"
                );
                // "The writes it acknowledged are gone": the checker says so first.
                let reported =
                    reported_lost(run, A, run.line("The writes it acknowledged are gone"));
                ensure!(
                    [102, 103].iter().all(|v| reported.contains(v)),
                    "the acknowledged writes are not reported lost in time: {reported:?}"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "its lease runs out: it steps down and refuses writes",
                "Nobody has declared it dead yet",
            ],
            move |run| {
                let down = stepped_down(run, A);
                let down = down.first().ok_or("A never stepped down")?;
                ensure!(
                    down.what.1 == election::StepDown::LeaseExpired
                        && down.time <= run.line("its lease runs out"),
                    "{down:?}"
                );
                let silent = first_silent_after(run, S).ok_or("nobody gave up on A")?;
                ensure!(silent.time > down.time, "A was declared dead first");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["B leads term 2", "C, D and E agree"],
            move |run| {
                let b = became_leader(run)
                    .into_iter()
                    .find(|l| l.node == B && l.what == 2)
                    .ok_or("B never led term 2")?;
                ensure!(
                    b.time <= run.line("B leads term 2"),
                    "B led at {} µs",
                    b.time
                );
                ensure!(
                    first_silent_after(run, S).is_some_and(|s| s.node == B),
                    "B was not the first to give up on A"
                );
                for voter in [C, D, E] {
                    ensure!(
                        run.sent::<Election>().iter().any(|m| m.node == voter
                            && m.time <= b.time
                            && m.what
                                == (
                                    B,
                                    election::Msg::Vote {
                                        term: 2,
                                        granted: true
                                    }
                                )),
                        "{voter:?} did not agree"
                    );
                }
                Ok(())
            },
        ),
    ];
    claims.extend([
        claim(
            WithoutFix,
            &[
                "A can receive but not send: its followers hear nothing from it, and A, sure it still leads, goes on acknowledging its clients' writes",
                "No election needs a majority here",
                "E alone declares A dead and takes over, and the writes A acknowledged are lost",
                "E's own timeout decides, nobody votes, and A learns it is no longer leader only from E's heartbeat",
                "Its acknowledgements meant nothing, since no other node held those writes",
            ],
            move |run| {
                // The old answer ("the majority's verdict counts") fits only the fixed run.
                ensure!(!params::<Election>(run).quorum, "a majority is required");
                ensure!(votes_requested(run) == 0, "votes were requested");
                let silent = first_silent_after(run, S).ok_or("nobody gave up on A")?;
                ensure!(silent.node == E && silent.what == A, "{silent:?}");
                let leaders: Vec<(NodeId, u32)> =
                    became_leader(run).iter().map(|l| (l.node, l.what)).collect();
                ensure!(leaders == [(A, 1), (E, 2)], "{leaders:?}");
                let down = stepped_down(run, A);
                ensure!(down.len() == 1 && down[0].what == (2, election::StepDown::HigherTerm), "{down:?}");
                let lost = reported_lost(run, A, Micros::MAX);
                for value in [102, 103] {
                    ensure!(lost.contains(&value), "{value} not lost: {lost:?}");
                    for other in [B, C, D, E] {
                        ensure!(!reached(run, A, value, other), "{value} reached {other}");
                    }
                }
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "A client writing through A was told its write succeeded, and the write is gone",
                "Writes through E that A accepted are gone too, but their clients were never told they succeeded: A's answers were lost, and they show as writes with no answer",
            ],
            move |run| {
                let trace = run.sim::<Election>().trace();
                let lost = run.found(FindingKind::AckedWriteLost);
                ensure!(!lost.is_empty(), "nothing lost");
                for f in lost {
                    // Every such finding is a write through A whose client was told.
                    let write = f
                        .events
                        .iter()
                        .find_map(|&id| match trace.event(id).kind {
                            EventKind::Local { note } => match *trace.note(note) {
                                election::Note::Accepted { write, .. } => Some(write),
                                _ => None,
                            },
                            _ => None,
                        })
                        .ok_or("no accepted write")?;
                    ensure!(write.origin == A, "{write:?} came through {}", write.origin);
                    let told = trace.events().iter().any(|e| {
                        e.node == A
                            && matches!(e.kind, EventKind::ClientReply { request, note }
                                if request == write.request
                                    && matches!(*trace.note(note), election::Note::Reply { outcome: election::Outcome::Accepted { .. } }))
                    });
                    ensure!(told, "{write:?}: its client was not told");
                }
                // The writes through E: accepted by A, answers lost, shown as stalls.
                let through_e: Vec<_> = stalls(run)?.into_iter().filter(|s| s.through == E).collect();
                ensure!(through_e.len() == 2, "{through_e:?}");
                ensure!(
                    through_e.iter().all(|s| s.answer.is_none()
                        && matches!(s.answer_dropped, Some(election::Outcome::Accepted { leader: A, .. }))),
                    "{through_e:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "A node was declared dead while it was running: A's outgoing links had failed, so its heartbeats were lost on the way, not slow",
                "A itself heard everything",
            ],
            move |run| {
                let suspicions = run.found(FindingKind::FalseSuspicion);
                ensure!(!suspicions.is_empty(), "nobody was suspected");
                for f in suspicions {
                    let (by, suspect) = (f.nodes[0], f.nodes[1]);
                    ensure!(suspect == A, "{by} suspected {suspect}");
                    let beats = heartbeats_between(run, A, by, S..f.time);
                    ensure!(!beats.is_empty() && beats.iter().all(|&(_, arrived)| !arrived), "{by}: {beats:?}");
                }
                // Nothing sent to A was lost.
                ensure!(!run.dropped::<Election>().iter().any(|d| d.what.1 == A), "A missed a message");
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "A client's write got no successful answer. A write through E went to A, the leader E still followed, and A's answer could not leave A, so the client never heard back: without the fix A had accepted the write, with it A refused it",
                "With the fix, A also refuses its own clients' writes: no majority acknowledges it, so it cannot commit them, and once it has stepped down it knows no leader to pass them to",
            ],
            move |run| {
                let down = stepped_down(run, A).first().map(|d| d.time);
                for stall in stalls(run)? {
                    match stall.through {
                        E => ensure!(
                            stall.answer.is_none()
                                && !stall.forward_dropped
                                && match stall.answer_dropped {
                                    Some(election::Outcome::Accepted { leader: A, .. }) => !run.fixed(),
                                    Some(election::Outcome::NoQuorum | election::Outcome::NoLeader) => run.fixed(),
                                    _ => false,
                                },
                            "{stall:?}"
                        ),
                        A => ensure!(
                            run.fixed()
                                && match stall.answer {
                                    Some(election::Outcome::NoQuorum) => true,
                                    Some(election::Outcome::NoLeader) => down.is_some_and(|d| d <= stall.time),
                                    _ => false,
                                },
                            "{stall:?}"
                        ),
                        _ => return Err(format!("{stall:?}")),
                    }
                }
                Ok(())
            },
        ),
    ]);
    let asides = vec![aside(
        "DDIA's chapter 8",
        "names the book's chapter, not the run",
    )];
    (claims, asides)
}

fn sandbox() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "a five-node cluster",
                "Five nodes elect a leader, which sends a heartbeat every 100 ms",
            ],
            move |run| {
                ensure!(nodes(run) == 5, "{} nodes", nodes(run));
                ensure!(
                    params::<Election>(run).heartbeat_us == 100 * MS,
                    "another heartbeat"
                );
                ensure!(
                    run.findings.is_empty(),
                    "broken already: {:?}",
                    run.findings
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &["clients write through random nodes every 100 ms"],
            move |run| {
                let writes = run.requests::<Election>();
                ensure!(
                    writes.windows(2).all(|w| w[1].time - w[0].time == 100 * MS),
                    "writes are not 100 ms apart"
                );
                let mut through: Vec<NodeId> = writes.iter().map(|w| w.node).collect();
                through.sort();
                through.dedup();
                ensure!(through.len() == 5, "writes go through {through:?}");
                Ok(())
            },
        ),
        claim(WithFix, &["a majority: 3 of five"], move |run| {
            ensure!(
                majority(nodes(run)) == 3,
                "majority {}",
                majority(nodes(run))
            );
            Ok(())
        }),
    ];
    let asides = vec![aside(
        "Try splitting the network in two",
        "an invitation to the reader, not a statement about the run",
    )];
    (claims, asides)
}

// ----- replicated data -----

const ALICE: u32 = 1;
const BOB: u32 = 2;
const CAROL: u32 = 3;

/// What each replica holds for `key` at the end.
fn held(run: &Run, key: u8) -> Vec<Vec<u32>> {
    let sim = run.sim::<Register>();
    (0..nodes(run))
        .map(|n| {
            sim.durable(NodeId(n))
                .keys
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, values)| values.iter().map(|v| v.value).collect())
                .unwrap_or_default()
        })
        .collect()
}

fn booking(run: &Run, node: NodeId, seat: u8, passenger: u32) -> Option<Micros> {
    run.requests::<Register>()
        .iter()
        .find_map(|r| match r.what {
            register::ClientOp::Book { key, value }
                if key == seat && value == passenger && r.node == node =>
            {
                Some(r.time)
            }
            _ => None,
        })
}

fn acked(run: &Run, node: NodeId, key: u8, value: u32) -> Option<Micros> {
    run.notes::<Register>().iter().find_map(|n| match n.what {
        register::Note::Acked { key: k, write }
            if n.node == node && k == key && write.value == value =>
        {
            Some(n.time)
        }
        _ => None,
    })
}

/// When `node` discarded `lost`'s booking of `key` for `kept`'s.
fn discarded(run: &Run, node: NodeId, key: u8, lost: u32, kept: u32) -> Option<Micros> {
    run.notes::<Register>().iter().find_map(|n| match n.what {
        register::Note::Discarded {
            key: k,
            lost: l,
            kept: w,
        } if n.node == node && k == key && l.value == lost && w.value == kept => Some(n.time),
        _ => None,
    })
}

fn seat_12a() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(Both, &["Three replicas of an airline's bookings"], move |run| {
            ensure!(nodes(run) == 3, "{} replicas", nodes(run));
            Ok(())
        }),
        claim(
            Both,
            &[
                "Alice books 12A in the US",
                "Alice booked 12A in the US",
                "passes the booking on to Asia; the link to Europe is down, so Europe does not hear of it",
            ],
            move |run| {
                ensure!(booking(run, A, 12, ALICE).is_some(), "no booking of 12A by Alice in the US");
                let bob = booking(run, B, 12, BOB).ok_or("Bob did not book")?;
                // Europe does not hear of it before Bob books there.
                ensure!(
                    !run.delivered::<Register>().iter().any(|m| m.node == B
                        && m.time < bob
                        && matches!(m.what.2,
                            register::Msg::Replicate { write, .. } | register::Msg::Sync { write, .. }
                                if write.value == ALICE)),
                    "Europe heard of Alice's booking"
                );
                ensure!(
                    run.delivered::<Register>().iter().any(|m| m.node == C
                        && m.what.0 == A
                        && matches!(m.what.2, register::Msg::Replicate { write, .. } if write.value == ALICE)),
                    "the US did not pass it on to Asia"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &["Bob books 12A in Europe", "now Bob books 12A in Europe"],
            move |run| {
                ensure!(booking(run, B, 12, BOB).is_some(), "no booking of 12A by Bob in Europe");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Seat 12A, sold twice",
                "two passengers are told seat 12A is theirs",
                "sees a free seat, and confirms at once",
                "Both are confirmed",
            ],
            move |run| {
                let alice = acked(run, A, 12, ALICE).ok_or("Alice was not confirmed")?;
                let bob = acked(run, B, 12, BOB).ok_or("Bob was not confirmed")?;
                ensure!(Some(bob) == booking(run, B, 12, BOB), "Bob waited");
                ensure!(alice < bob, "Alice booked after Bob");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["Asia receives both bookings for 12A and keeps the one with the later timestamp, Bob's"],
            move |run| {
                let at = discarded(run, C, 12, ALICE, BOB).ok_or("Asia kept Alice's")?;
                ensure!(at <= run.line("Asia receives both"), "told before it happens");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Every replica now says 12A is Bob's",
                "the US replica too keeps Bob's booking (the later timestamp) and drops Alice's",
                "one booking silently wins",
            ],
            move |run| {
                let at = discarded(run, A, 12, ALICE, BOB).ok_or("the US kept Alice's")?;
                ensure!(
                    at <= run.line("Every replica now says"),
                    "the US drops Alice's at {at} µs"
                );
                ensure!(
                    run.delivered::<Register>().iter().any(|m| m.node == A
                        && m.time == at
                        && m.what.0 == C
                        && matches!(m.what.2, register::Msg::Sync { .. })),
                    "not through anti-entropy with Asia"
                );
                ensure!(
                    held(run, 12).iter().all(|v| v == &[BOB]),
                    "{:?}",
                    held(run, 12)
                );
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Both are confirmed; later one booking silently replaces the other",
                "nobody told her",
            ],
            move |run| {
                // Alice's confirmation is the last her client hears: nothing refuses, cancels or
                // corrects it, though every replica drops her booking (the old answer said the
                // conflict "surfaces later").
                let confirmed = acked(run, A, 12, ALICE).ok_or("Alice was not confirmed")?;
                let replies_to_alice = run
                    .events::<Register>()
                    .iter()
                    .filter(|e| e.node == A && matches!(e.what, EventKind::ClientReply { .. }))
                    .filter(|e| e.time < booking(run, A, 14, CAROL).unwrap_or(Micros::MAX))
                    .count();
                ensure!(replies_to_alice == 1, "{replies_to_alice} answers in the US before Carol's");
                let told = run.notes::<Register>().into_iter().any(|n| {
                    n.time > confirmed
                        && matches!(n.what, register::Note::Refused { value: ALICE, .. })
                });
                ensure!(!told, "Alice was told");
                let refusals = run
                    .delivered::<Register>()
                    .into_iter()
                    .any(|m| matches!(m.what.2, register::Msg::Refuse { .. } | register::Msg::Abort { .. }));
                ensure!(!refusals, "a replica objected");
                for replica in [A, C] {
                    ensure!(discarded(run, replica, 12, ALICE, BOB).is_some(), "{replica} kept Alice's");
                }
                Ok(())
            },
        ),
        claim(
            Both,
            &["Carol books 14C in the US"],
            move |run| {
                let at = booking(run, A, 14, CAROL).ok_or("no booking of 14C by Carol")?;
                let alone = run
                    .faults::<Register>()
                    .iter()
                    .any(|f| f.time < at && f.what == Command::CutBoth { a: A, b: C });
                ensure!(alone, "the US was not cut off from Asia before");
                if !run.fixed() {
                    ensure!(acked(run, A, 14, CAROL) == Some(at), "Carol was not confirmed at once");
                }
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["Anti-entropy brings Carol's 14C to Europe and Asia", "12A is Bob's"],
            move |run| {
                let line = run.line("Anti-entropy brings Carol's");
                for replica in [B, C] {
                    ensure!(
                        run.delivered::<Register>().iter().any(|m| m.node == replica
                            && m.time <= line
                            && matches!(m.what.2, register::Msg::Sync { key: 14, write } if write.value == CAROL)),
                        "Carol's booking has not reached {replica:?} by {line} µs"
                    );
                }
                ensure!(held(run, 14).iter().all(|v| v == &[CAROL]), "{:?}", held(run, 14));
                ensure!(held(run, 12).iter().all(|v| v == &[BOB]), "{:?}", held(run, 12));
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Asia already holds Alice's booking and refuses, so Bob is told the seat is taken"],
            move |run| {
                let told = run.notes::<Register>().into_iter().find_map(|n| match n.what {
                    register::Note::Refused {
                        key: 12,
                        value: BOB,
                        reason: register::Refusal::Taken { by: ALICE },
                    } if n.node == B => Some(n.time),
                    _ => None,
                });
                let told = told.ok_or("Bob was not told the seat is Alice's")?;
                ensure!(told <= run.line("Bob is told the seat is taken"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["After 500 ms without a majority the US gives up and refuses Carol's booking"],
            move |run| {
                let timeout = params::<Register>(run).quorum_timeout_us;
                ensure!(timeout == 500 * MS, "the timeout is {timeout} µs");
                let asked = booking(run, A, 14, CAROL).ok_or("Carol did not book")?;
                let refused = run.notes::<Register>().into_iter().find_map(|n| match n.what {
                    register::Note::Refused {
                        key: 14,
                        value: CAROL,
                        reason: register::Refusal::NoQuorum,
                    } => Some(n.time),
                    _ => None,
                });
                ensure!(refused == Some(asked + timeout), "refused at {refused:?}");
                ensure!(
                    refused <= Some(run.line("the US gives up")),
                    "told before it happens"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Alice has 12A, and Bob and Carol were told the truth"],
            move |run| {
                ensure!(acked(run, A, 12, ALICE).is_some(), "Alice was not confirmed");
                ensure!(acked(run, B, 12, BOB).is_none(), "Bob was confirmed");
                ensure!(acked(run, A, 14, CAROL).is_none(), "Carol was confirmed");
                ensure!(
                    held(run, 12).iter().all(|v| v.is_empty() || v == &[ALICE]),
                    "{:?}",
                    held(run, 12)
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Any two majorities share a replica"],
            move |run| {
                ensure!(2 * majority(nodes(run)) > nodes(run), "majorities need not meet");
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

/// A booking's message says "if free" only where its receiver checks: the old words ("book 12A =
/// Bob if free") went with a plain write that overwrote Alice's booking.
#[test]
fn a_booking_says_if_free_only_where_the_receiver_checks() {
    use faultline::sim::{Describe, Names};
    let preset = scenarios::by_id("seat-12a").unwrap();
    for fixed in [false, true] {
        let run = Run::new(preset.clone().with_fix(fixed));
        let model = params::<Register>(&run);
        let mut checked = 0;
        for sent in run.sent::<Register>() {
            if let register::Msg::Replicate { quorum, .. } = sent.what.1 {
                let words = model.message(&sent.what.1, &Names::letters());
                assert_eq!(
                    words.contains("if free"),
                    quorum,
                    "fixed: {fixed}: {words} (a receiver checks only a quorum's offer)"
                );
                checked += 1;
            }
        }
        assert!(checked > 0, "no booking was sent");
    }
    // Without the fix, Bob's booking reaches Asia worded as the write it is, and overwrites.
    let run = Run::new(preset.with_fix(false));
    let model = params::<Register>(&run);
    let bob = run
        .delivered::<Register>()
        .into_iter()
        .find(|m| {
            m.node == C
                && matches!(m.what.2, register::Msg::Replicate { write, .. } if write.value == BOB)
        })
        .expect("Bob's booking reached Asia");
    assert_eq!(
        discarded(&run, C, 12, ALICE, BOB),
        Some(bob.time),
        "it replaced Alice's"
    );
    let words = model.message(&bob.what.2, &Names::letters());
    assert!(words.starts_with("set 12A = Bob"), "{words}");
}

fn lww_clock_skew() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let stamped = |run: &Run, node: NodeId, value: u32| {
        run.notes::<Register>().iter().find_map(|n| match n.what {
            register::Note::Acked { write, .. } if n.node == node && write.value == value => {
                Some((n.time, write.timestamp))
            }
            _ => None,
        })
    };
    let claims = vec![
        claim(
            Both,
            &["Three replicas of a register x", "Each keeps one value per key; when two values meet"],
            move |run| {
                ensure!(nodes(run) == 3, "{} replicas", nodes(run));
                ensure!(held(run, 0).iter().all(|v| v.len() == 1), "{:?}", held(run, 0));
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "A client writes x = 1 through A. A stamps it with its clock: 42.004 s",
                "x = 1 was written at 42.004 s by A's clock",
            ],
            move |run| {
                let (_, stamp) = stamped(run, A, 1).ok_or("x = 1 was not written through A")?;
                ensure!(stamp == 42_004_000, "stamped {stamp}");
                Ok(())
            },
        ),
        claim(Both, &["It reaches B and C 5 ms later"], move |run| {
            let (at, _) = stamped(run, A, 1).ok_or("no x = 1")?;
            for replica in [B, C] {
                ensure!(
                    run.delivered::<Register>().iter().any(|m| m.node == replica
                        && m.time == at + 5 * MS
                        && matches!(m.what.2, register::Msg::Replicate { write, .. } if write.value == 1)),
                    "x = 1 did not reach {replica:?} 5 ms later"
                );
            }
            Ok(())
        }),
        claim(
            Both,
            &[
                "after x = 1 has arrived, a client sets x = 2 through C. But C's clock reads only 42.003 s",
                "x = 2 came later but at 42.003 s by C's clock",
                "its earlier x = 1 beats C's later x = 2",
            ],
            move |run| {
                let (first, _) = stamped(run, A, 1).ok_or("no x = 1")?;
                let (at, stamp) = stamped(run, C, 2).ok_or("x = 2 was not written through C")?;
                ensure!(stamp == 42_003_000, "stamped {stamp}");
                ensure!(at > first + 5 * MS, "x = 2 before x = 1 arrived");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Everyone keeps x = 1",
                "x = 2 silently disappears",
                "The client that wrote x = 2 was told it succeeded",
                "x = 1, the larger timestamp",
            ],
            move |run| {
                ensure!(held(run, 0).iter().all(|v| v == &[1]), "{:?}", held(run, 0));
                ensure!(!run.found(FindingKind::AckedWriteLost).is_empty(), "no loss reported");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["C's x = 2 carries the fact that it saw x = 1", "Every replica can tell x = 2 supersedes x = 1"],
            move |run| {
                ensure!(held(run, 0).iter().all(|v| v == &[2]), "{:?}", held(run, 0));
                Ok(())
            },
        ),
    ];
    let asides = vec![aside_line(
        "A note on the source",
        "this line is about a source write-up's example, which it contrasts with the run",
    )];
    (claims, asides)
}

// ----- leases and locks -----

fn lock_notes(run: &Run) -> Vec<At<lock::Note>> {
    run.notes::<LockService>()
}

fn granted(run: &Run, token: u64) -> Option<At<NodeId>> {
    run.noted::<LockService, _>(|note| match *note {
        lock::Note::Granted { token: t, holder } if t == token => Some(holder),
        _ => None,
    })
    .into_iter()
    .next()
}

/// When storage stored a write with `token` from `writer`.
fn stored(run: &Run, token: u64, writer: NodeId) -> Option<Micros> {
    lock_notes(run).into_iter().find_map(|n| match n.what {
        lock::Note::Stored {
            token: t,
            writer: w,
            ..
        } if t == token && w == writer => Some(n.time),
        _ => None,
    })
}

/// The expiry the service told the holder of `token`, on the service's clock.
fn expires(run: &Run, token: u64) -> Option<i64> {
    run.sent::<LockService>()
        .iter()
        .find_map(|m| match m.what.1 {
            lock::Msg::Grant {
                token: t,
                expires_at,
                ..
            } if t == token => Some(expires_at),
            _ => None,
        })
}

fn ten_second_leases(run: &Run) -> Checked {
    let lease = params::<LockService>(run).lease_us;
    ensure!(lease == 10 * S, "leases of {lease} µs");
    Ok(())
}

fn gc_pause_fencing() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &["handing out 10-second leases", "valid for 10 s", "its 10 s lease"],
            ten_second_leases,
        ),
        claim(
            Both,
            &["At t = 1 s client C acquires the lease", "with token 33"],
            move |run| {
                let grant = granted(run, 33).ok_or("no token 33")?;
                ensure!(
                    grant.what == C && (S..S + 100 * MS).contains(&grant.time),
                    "{grant:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "At t = 2 s a stop-the-world garbage collection pauses C for 15 seconds",
                "paused for 15 s",
                "C was paused for 15 s",
            ],
            move |run| {
                let faults = run.faults::<LockService>();
                ensure!(
                    faults.iter().any(|f| f.time == 2 * S && f.what == Command::Pause { node: C }),
                    "no pause of C at 2 s"
                );
                ensure!(
                    faults.iter().any(|f| f.time == 17 * S && f.what == Command::Resume { node: C }),
                    "C does not resume at 17 s"
                );
                Ok(())
            },
        ),
        claim(Both, &["The lease is C's until 11 s"], move |run| {
            let until = expires(run, 33).ok_or("no grant of 33")?;
            ensure!((11_000_000..11_100_000).contains(&until), "until {until}");
            Ok(())
        }),
        claim(Both, &["D gets the lease, with token 34"], move |run| {
            let grant = granted(run, 34).ok_or("no token 34")?;
            ensure!(grant.what == D, "{grant:?}");
            ensure!(
                grant.time as i64 >= expires(run, 33).unwrap_or(i64::MAX),
                "granted before C's lease ran out"
            );
            ensure!(grant.time <= run.line("D gets the lease"), "told early");
            Ok(())
        }),
        claim(
            Both,
            &["D finishes its work and writes with token 34: storage stores it, and D gives the lock back"],
            move |run| {
                let line = run.line("D finishes its work");
                ensure!(stored(run, 34, D).is_some_and(|t| t <= line), "not stored by {line}");
                ensure!(
                    run.delivered::<LockService>().iter().any(|m| m.node == A
                        && m.time <= line
                        && m.what.0 == D
                        && m.what.2 == lock::Msg::Release { token: 34 }),
                    "D did not give the lock back"
                );
                Ok(())
            },
        ),
        claim(Both, &["At t = 17 s C wakes up"], move |run| {
            ensure!(
                run.sent::<LockService>().iter().any(|m| m.node == C
                    && m.time == 17 * S
                    && m.what == (B, lock::Msg::Write { token: 33, value: 1 })),
                "C does not write with token 33 at 17 s"
            );
            Ok(())
        }),
        claim(
            WithoutFix,
            &["Storage accepts C's write", "Both believed they held it"],
            move |run| {
                let c = stored(run, 33, C).ok_or("C's write was not stored")?;
                ensure!(stored(run, 34, D).is_some_and(|d| d < c), "C did not overwrite D");
                ensure!(!run.found(FindingKind::StaleWriteAccepted).is_empty(), "not reported");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Storage has already seen token 34, so it refuses token 33", "(33, then 34)"],
            move |run| {
                ensure!(
                    lock_notes(run).iter().any(|n| n.what
                        == lock::Note::Refused {
                            token: 33,
                            highest: 34,
                            writer: C
                        }),
                    "token 33 was not refused"
                );
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

fn slow_clock_lease() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(Both, &["handing out 10-second leases"], ten_second_leases),
        claim(
            Both,
            &["C's clock is 6 seconds behind true time", "Its clock is 6 s behind", "C's clock is 6 s slow"],
            move |run| {
                let offset = run.sim::<LockService>().clock(C).offset_us();
                ensure!(offset == -6_000_000, "C's clock is {offset} µs off");
                Ok(())
            },
        ),
        claim(
            Both,
            &["C acquires the lease (token 33) until 10.1 s on the lock service's clock, writes once"],
            move |run| {
                ensure!(granted(run, 33).is_some_and(|g| g.what == C), "33 is not C's");
                let until = expires(run, 33).ok_or("no grant")?;
                ensure!((10_100_000..10_150_000).contains(&until), "until {until}");
                let writes = lock_notes(run)
                    .iter()
                    .filter(|n| n.time < 10 * S && matches!(n.what, lock::Note::Stored { writer: C, .. }))
                    .count();
                ensure!(writes == 1, "{writes} writes");
                Ok(())
            },
        ),
        claim(Both, &["D acquires the lock (token 34) and writes"], move |run| {
            let grant = granted(run, 34).ok_or("no 34")?;
            ensure!(grant.what == D && grant.time as i64 > expires(run, 33).unwrap(), "{grant:?}");
            ensure!(stored(run, 34, D).is_some(), "D did not write");
            Ok(())
        }),
        claim(
            WithoutFix,
            &[
                "At 12 s it checks the lease that expired at 10.1 s",
                "which reads 6 s: the lease looks valid for another 4 seconds",
                "which reads 6 s: by its reckoning, 4 seconds remain",
            ],
            move |run| {
                let sim = run.sim::<LockService>();
                let check = lock_notes(run)
                    .into_iter()
                    .find(|n| n.node == C && n.time == 12 * S)
                    .ok_or("C checks nothing at 12 s")?;
                ensure!(
                    check.what == lock::Note::LeaseChecked { token: 33, valid: true },
                    "{check:?}"
                );
                let reads = sim.clock(C).time_of_day(check.time);
                ensure!(reads == 6_000_000, "C's clock reads {reads}");
                let left = expires(run, 33).unwrap() - reads;
                ensure!((4_000_000..4_200_000).contains(&left), "{left} µs left");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["C writes with token 33 and storage accepts it: two clients acted as the lock holder"],
            move |run| {
                ensure!(
                    lock_notes(run).iter().any(|n| n.time > 12 * S
                        && matches!(n.what, lock::Note::Stored { token: 33, writer: C, .. })),
                    "not stored"
                );
                ensure!(!run.found(FindingKind::StaleWriteAccepted).is_empty(), "not reported");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["counting from when it asked for it", "it knows the lease is gone and asks again"],
            move |run| {
                let model = params::<LockService>(run);
                ensure!(model.monotonic_lease && model.fencing, "{model:?}");
                ensure!(
                    lock_notes(run).iter().any(|n| n.node == C
                        && n.time == 12 * S
                        && n.what == lock::Note::LeaseChecked { token: 33, valid: false }),
                    "C trusted its lease"
                );
                ensure!(
                    run.sent::<LockService>()
                        .iter()
                        .any(|m| m.node == C && m.time >= 12 * S && m.what == (A, lock::Msg::Acquire)),
                    "C did not ask again"
                );
                ensure!(
                    !lock_notes(run).iter().any(|n| n.time > 12 * S
                        && matches!(n.what, lock::Note::Stored { token: 33, writer: C, .. })),
                    "C wrote anyway"
                );
                Ok(())
            },
        ),
    ];
    let asides = vec![aside_line(
        "A note on the source",
        "this line is about a source write-up's example, which it contrasts with the run",
    )];
    (claims, asides)
}

// ----- failure detection -----

fn suspected(run: &Run, peer: NodeId) -> Vec<At<u64>> {
    run.noted::<Heartbeats, _>(|note| match *note {
        heartbeat::Note::Suspect { peer: p, silent_ms } if p == peer => Some(silent_ms),
        _ => None,
    })
}

/// The intervals between B's heartbeats as A received them before the congestion.
fn steady_intervals(run: &Run) -> Vec<u64> {
    let arrivals: Vec<Micros> = run
        .delivered::<Heartbeats>()
        .iter()
        .filter(|m| m.node == A && m.what.0 == B && m.time < S)
        .map(|m| m.time)
        .collect();
    arrivals.windows(2).map(|w| w[1] - w[0]).collect()
}

/// A, B and C each declared D dead after `silent_ms`, by the line that says so.
fn d_noticed(run: &Run, silent_ms: u64, line: &str) -> Checked {
    ensure!(
        run.faults::<Heartbeats>()
            .iter()
            .any(|f| f.time == 3 * S && f.what == Command::Crash { node: D }),
        "D does not crash at 3 s"
    );
    let line = run.line(line);
    let seen = suspected(run, D);
    for node in [A, B, C] {
        ensure!(
            seen.iter()
                .any(|s| s.node == node && s.what == silent_ms && s.time <= line),
            "{node:?} did not declare D dead after {silent_ms} ms by {line} µs: {seen:?}"
        );
    }
    Ok(())
}

fn timeouts() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &["Four nodes send each other a heartbeat every 100 ms"],
            move |run| {
                ensure!(nodes(run) == 4, "{} nodes", nodes(run));
                ensure!(
                    params::<Heartbeats>(run).period_us == 100 * MS,
                    "another period"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "a fixed timeout of 150 ms",
                "with a 150 ms timeout",
                "instead of 150 ms",
            ],
            move |run| {
                let ModelSpec::Heartbeats { params, .. } = &run.scenario.model else {
                    return Err("not heartbeats".into());
                };
                ensure!(
                    params.detector
                        == Detector::FixedTimeout {
                            timeout_us: 150 * MS
                        },
                    "{:?}",
                    params.detector
                );
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["arrive every 100 ms, give or take 10"],
            move |run| {
                let intervals = steady_intervals(run);
                ensure!(intervals.len() > 5, "too few heartbeats");
                ensure!(
                    intervals.iter().all(|&i| (90 * MS..=110 * MS).contains(&i)),
                    "{intervals:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "its messages now take 150 to 250 ms",
                "take 150 to 250 ms instead of 10 to 20",
            ],
            move |run| {
                let link = run.scenario.config.link;
                ensure!(
                    (link.latency_us, link.jitter_us) == (10 * MS, 10 * MS),
                    "normally {link:?}"
                );
                let slowed: Vec<NodeId> = run
                    .faults::<Heartbeats>()
                    .iter()
                    .filter_map(|f| match f.what {
                        Command::SetLink {
                            from: B,
                            to,
                            config,
                        } if f.time == S
                            && (config.latency_us, config.jitter_us) == (150 * MS, 100 * MS) =>
                        {
                            Some(to)
                        }
                        _ => None,
                    })
                    .collect();
                ensure!(slowed == [A, C, D], "{slowed:?}");
                Ok(())
            },
        ),
        claim(WithoutFix, &["The others declare B dead"], move |run| {
            let line = run.line("The others declare B dead");
            let seen = suspected(run, B);
            for node in [A, C, D] {
                ensure!(
                    seen.iter()
                        .any(|s| s.node == node && s.time > S && s.time <= line),
                    "{node:?} did not by {line}: {seen:?}"
                );
            }
            Ok(())
        }),
        claim(
            WithFix,
            &[
                "(phi > 8)",
                "one-in-a-hundred-million",
                "a floor, here 50 ms",
                "Its 50 ms floor",
            ],
            move |run| {
                let detector = params::<Heartbeats>(run).detector;
                ensure!(
                    detector
                        == Detector::PhiAccrual {
                            threshold: 8.0,
                            min_std_us: 50 * MS
                        },
                    "{detector:?}"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "Nobody suspects B",
                "by their spread alone it would have given up after about 123 ms",
                "wait about 380 ms, and B's late heartbeats arrive within that",
            ],
            move |run| {
                ensure!(suspected(run, B).is_empty(), "{:?}", suspected(run, B));
                let model = params::<Heartbeats>(run);
                let intervals = steady_intervals(run);
                let unfloored = Heartbeats {
                    detector: Detector::PhiAccrual {
                        threshold: 8.0,
                        min_std_us: 0,
                    },
                    ..model.clone()
                }
                .patience_us(&intervals);
                ensure!(
                    about(unfloored as f64, 123_000.0, 3_000.0),
                    "by the spread alone: {unfloored} µs"
                );
                let patience = model.patience_us(&intervals);
                ensure!(
                    about(patience as f64, 380_000.0, 3_000.0),
                    "with the floor: {patience} µs"
                );
                Ok(())
            },
        ),
        claim(Both, &["D really crashes"], move |run| {
            ensure!(
                run.faults::<Heartbeats>()
                    .iter()
                    .any(|f| f.time == 3 * S && f.what == Command::Crash { node: D }),
                "D does not crash at 3 s"
            );
            Ok(())
        }),
        claim(
            WithoutFix,
            &["declare D dead 150 ms after its last"],
            move |run| d_noticed(run, 150, "declare D dead 150 ms"),
        ),
        claim(
            WithFix,
            &[
                "declare D dead 380 ms after its last",
                "noticed after 380 ms of silence",
            ],
            move |run| d_noticed(run, 380, "declare D dead 380 ms"),
        ),
    ];
    (claims, Vec::new())
}

// ----- client and server -----

fn server_notes(run: &Run) -> Vec<At<server::Note>> {
    run.notes::<Server>()
}

fn final_balance(run: &Run) -> i64 {
    run.sim::<Server>().durable(A).balance
}

fn reordered_writes() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let applied = |run: &Run| -> Vec<u32> {
        server_notes(run)
            .iter()
            .filter_map(|n| match n.what {
                server::Note::SetApplied { value, .. } => Some(value),
                _ => None,
            })
            .collect()
    };
    let claims = vec![
        claim(
            Both,
            &[
                "SET x = 1, 2, 3",
                "SET x = 1, SET x = 2, SET x = 3, five milliseconds apart",
                "three writes 5 ms apart",
                "B sent x = 1, 2, 3 in that order, 5 ms apart",
            ],
            move |run| {
                let sets: Vec<(Micros, NodeId, u32)> = run
                    .requests::<Server>()
                    .iter()
                    .filter_map(|r| match r.what {
                        server::ClientOp::Set { value } => Some((r.time, r.node, value)),
                        _ => None,
                    })
                    .collect();
                let values: Vec<u32> = sets.iter().map(|s| s.2).collect();
                ensure!(values == [1, 2, 3], "{values:?}");
                ensure!(sets.iter().all(|s| s.1 == B), "not all from B");
                ensure!(
                    sets.windows(2).all(|w| w[1].0 - w[0].0 == 5 * MS),
                    "not 5 ms apart"
                );
                Ok(())
            },
        ),
        claim(Both, &["Each message takes 10 to 40 ms"], move |run| {
            let link = run.scenario.config.link;
            ensure!(
                (link.latency_us, link.latency_us + link.jitter_us) == (10 * MS, 40 * MS),
                "{link:?}"
            );
            for m in run.delivered::<Server>() {
                let took = m.time - m.what.1;
                ensure!(
                    (10 * MS..=40 * MS).contains(&took),
                    "a message took {took} µs"
                );
            }
            Ok(())
        }),
        claim(
            WithoutFix,
            &[
                "The writes arrive as 3, 1, 2",
                "x ends at 2",
                "x ends up 2 instead of 3",
            ],
            move |run| {
                ensure!(applied(run) == [3, 1, 2], "applied {:?}", applied(run));
                let last = server_notes(run).last().map_or(0, |n| n.time);
                ensure!(
                    last <= run.line("The writes arrive as"),
                    "told before the last arrives"
                );
                let x = run.sim::<Server>().durable(A).x;
                ensure!(x == 2, "x ends at {x}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "Number 3 arrives first; when numbers 1 and 2 arrive after it",
                "x stays 3",
            ],
            move |run| {
                let arrived: Vec<(u32, bool)> = server_notes(run)
                    .iter()
                    .filter_map(|n| match n.what {
                        server::Note::SetApplied { seq: Some(seq), .. } => Some((seq, true)),
                        server::Note::SetIgnored { seq, .. } => Some((seq, false)),
                        _ => None,
                    })
                    .collect();
                ensure!(
                    arrived == [(3, true), (1, false), (2, false)],
                    "{arrived:?}"
                );
                let x = run.sim::<Server>().durable(A).x;
                ensure!(x == 3, "x ends at {x}");
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

fn charges(run: &Run) -> Vec<At<(i64, i64)>> {
    run.noted::<Server, _>(|note| match *note {
        server::Note::Charged {
            amount, balance, ..
        } => Some((amount, balance)),
        _ => None,
    })
}

fn retry_double_charge() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &["a card's balance: 100", "charge the card 30"],
            move |run| {
                ensure!(
                    params::<Server>(run).initial_balance == 100,
                    "another balance"
                );
                ensure!(
                    run.requests::<Server>()
                        .iter()
                        .any(|r| r.node == B && r.what == server::ClientOp::Charge { amount: 30 }),
                    "B does not charge 30"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "The server charges the card (balance 100 → 70) and replies",
                "the reply is lost",
            ],
            move |run| {
                let first = charges(run);
                let first = first.first().ok_or("no charge")?;
                ensure!(first.what == (30, 70), "{first:?}");
                let line = run.line("The server charges the card");
                ensure!(
                    run.dropped::<Server>().iter().any(|d| d.what.0 == A
                        && d.what.1 == B
                        && d.time <= line
                        && matches!(d.what.2, server::Msg::Charged { balance: 70, .. })),
                    "the reply was not lost by {line}"
                );
                Ok(())
            },
        ),
        claim(Both, &["B has heard nothing for 200 ms"], move |run| {
            let asked = run
                .requests::<Server>()
                .first()
                .map(|r| r.time)
                .ok_or("no request")?;
            let retried = server_notes(run)
                .into_iter()
                .find(|n| matches!(n.what, server::Note::Retried { .. }))
                .ok_or("no retry")?;
            ensure!(
                retried.time - asked == 200 * MS,
                "retried after {} µs",
                retried.time - asked
            );
            ensure!(
                !run.delivered::<Server>()
                    .iter()
                    .any(|m| m.node == B && m.time < retried.time),
                "B heard something"
            );
            Ok(())
        }),
        claim(
            WithoutFix,
            &[
                "charges again: 70 → 40",
                "One purchase, two charges",
                "charges the card twice",
                "One request took effect twice",
            ],
            move |run| {
                let all: Vec<(i64, i64)> = charges(run).iter().map(|c| c.what).collect();
                ensure!(all == [(30, 70), (30, 40)], "{all:?}");
                ensure!(final_balance(run) == 40, "balance {}", final_balance(run));
                ensure!(
                    !run.found(FindingKind::DuplicateEffect).is_empty(),
                    "not reported"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["the balance stays 70", "never applies one twice"],
            move |run| {
                ensure!(
                    charges(run).len() == 1,
                    "charged {} times",
                    charges(run).len()
                );
                ensure!(
                    server_notes(run)
                        .iter()
                        .any(|n| matches!(n.what, server::Note::AlreadyCharged { .. })),
                    "the retry was not recognised"
                );
                ensure!(final_balance(run) == 70, "balance {}", final_balance(run));
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

fn lost_update() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let stores = |run: &Run| -> Vec<(NodeId, i64)> {
        server_notes(run)
            .iter()
            .filter_map(|n| match n.what {
                server::Note::Stored {
                    client, balance, ..
                } => Some((client, balance)),
                _ => None,
            })
            .collect()
    };
    let claims = vec![
        claim(
            Both,
            &[
                "a balance of 100",
                "Clients B and C each withdraw: B takes 50, C takes 30",
                "Two clients read the balance (100)",
                "Two withdrawals",
                "two clients read the same balance",
            ],
            move |run| {
                ensure!(
                    params::<Server>(run).initial_balance == 100,
                    "another balance"
                );
                let asked: Vec<(NodeId, server::ClientOp)> = run
                    .requests::<Server>()
                    .iter()
                    .map(|r| (r.node, r.what))
                    .collect();
                ensure!(
                    asked
                        == [
                            (B, server::ClientOp::Withdraw { amount: 50 }),
                            (C, server::ClientOp::Withdraw { amount: 30 })
                        ],
                    "{asked:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "Both read 100: B computes 50, C computes 70",
                "writes the result back: 50 and 70",
                "B and C both read a balance of 100, and write back 50 and 70",
            ],
            move |run| {
                let reads: Vec<(NodeId, i64)> = run
                    .delivered::<Server>()
                    .iter()
                    .filter_map(|m| match m.what.2 {
                        server::Msg::ReadResult { balance, .. }
                            if m.time <= run.line("Both read 100") =>
                        {
                            Some((m.node, balance))
                        }
                        _ => None,
                    })
                    .collect();
                ensure!(reads == [(B, 100), (C, 100)], "{reads:?}");
                let writes: Vec<(NodeId, i64)> = run
                    .sent::<Server>()
                    .iter()
                    .filter_map(|m| match m.what.1 {
                        server::Msg::Write {
                            balance,
                            read_version: 0,
                            ..
                        } => Some((m.node, balance)),
                        _ => None,
                    })
                    .collect();
                ensure!(writes == [(B, 50), (C, 70)], "{writes:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "B writes 50, then C writes 70 over it",
                "The balance says 70, but 80 was withdrawn",
                "one lost update",
                "70 (or 50)",
                "Both are told they succeeded",
            ],
            move |run| {
                ensure!(stores(run) == [(B, 50), (C, 70)], "{:?}", stores(run));
                let withdrawn: i64 = run
                    .requests::<Server>()
                    .iter()
                    .map(|r| match r.what {
                        server::ClientOp::Withdraw { amount } => amount,
                        _ => 0,
                    })
                    .sum();
                ensure!(
                    final_balance(run) == 70 && withdrawn == 80,
                    "balance {}, withdrawn {withdrawn}",
                    final_balance(run)
                );
                let told = server_notes(run)
                    .iter()
                    .filter(|n| n.what == server::Note::Done { ok: true })
                    .map(|n| n.time)
                    .max()
                    .ok_or("nobody was told")?;
                ensure!(
                    told <= run.line("B writes 50, then"),
                    "told before the replies"
                );
                ensure!(
                    run.found(FindingKind::AckedWriteLost).len() == 1,
                    "not one lost update"
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["C reads again (50) and writes 20", "both withdrawals count"],
            move |run| {
                ensure!(
                    server_notes(run)
                        .iter()
                        .any(|n| matches!(n.what, server::Note::Conflict { client: C, .. })),
                    "no conflict"
                );
                ensure!(stores(run) == [(B, 50), (C, 20)], "{:?}", stores(run));
                ensure!(
                    final_balance(run) == 100 - 50 - 30,
                    "balance {}",
                    final_balance(run)
                );
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

// ----- clocks -----

/// 10:00:00.000 in µs since midnight.
const TEN_AM: i64 = 36_000_000_000;

fn log_lines(run: &Run) -> Vec<At<(logging::Entry, i64, u64)>> {
    run.noted::<Logging, _>(|note| {
        let logging::Note::Log {
            what,
            wall,
            lamport,
        } = *note;
        Some((what, wall, lamport))
    })
}

/// The timeline's axis menu, whose labels the wall-clock-log narration names.
const UI_AXES: &str = include_str!("../src/ui/timeline_view.rs");

/// The log lines' events, in trace order.
fn logged_events(run: &Run) -> Vec<faultline::sim::TraceEvent> {
    let trace = run.sim::<Logging>().trace();
    trace
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Local { .. }))
        .copied()
        .collect()
}

/// Each delivered message's send and delivery events.
fn message_ends(run: &Run) -> Vec<(faultline::sim::TraceEvent, faultline::sim::TraceEvent)> {
    let trace = run.sim::<Logging>().trace();
    trace
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Deliver { msg } => Some((*trace.event(trace.message(msg).send_event), *e)),
            _ => None,
        })
        .collect()
}

/// Whose lines the run's merge puts first to last.
fn merged_by(run: &Run) -> Vec<NodeId> {
    let trace = run.sim::<Logging>().trace();
    params::<Logging>(run)
        .merged(trace)
        .into_iter()
        .map(|l| l.1)
        .collect()
}

fn wall_clock_log() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "Two machines log what they do",
                "Machine A's clock is one second fast; machine B's is right",
                "a second fast",
                "A (clock 1 s fast)",
                "B (accurate)",
            ],
            move |run| {
                ensure!(nodes(run) == 2, "{} machines", nodes(run));
                let sim = run.sim::<Logging>();
                ensure!(sim.clock(B).time_of_day(0) == TEN_AM, "B's clock is not right");
                ensure!(sim.clock(A).time_of_day(0) == TEN_AM + 1_000_000, "A is not 1 s fast");
                Ok(())
            },
        ),
        claim(
            Both,
            &["At 10:00:00.000 A logs \"A\" (its clock says 10:00:01.000) and sends a message to B"],
            move |run| {
                let first = log_lines(run);
                let first = first.first().ok_or("nothing logged")?;
                ensure!(
                    first.node == A && first.time == 0 && first.what.1 == TEN_AM + 1_000_000,
                    "{first:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "0.1 s later B receives it and logs \"B\": 10:00:00.100 on its accurate clock",
                "B (accurate) logs 0.1 s later",
                "a 0.1-second gap",
            ],
            move |run| {
                let lines = log_lines(run);
                let b = lines.iter().find(|l| l.node == B).ok_or("B logs nothing")?;
                ensure!(b.time == 100 * MS && b.what.1 == TEN_AM + 100_000, "{b:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "the merged log reads B (10:00:00.100), then A (10:00:01.000)",
                "A stamped 10:00:01.000, B stamped 10:00:00.100: a one-second skew",
            ],
            move |run| {
                let mut lines = log_lines(run);
                lines.sort_by_key(|l| l.what.1);
                ensure!(
                    lines[0].node == B && lines[1].node == A && lines[1].time == 0,
                    "{lines:?}"
                );
                ensure!(!run.found(FindingKind::OrderingViolation).is_empty(), "not reported");
                Ok(())
            },
        ),
        claim(WithFix, &["B's is larger than A's"], move |run| {
            let lines = log_lines(run);
            ensure!(lines[1].node == B && lines[1].what.2 > lines[0].what.2, "{lines:?}");
            Ok(())
        }),
        claim(
            WithoutFix,
            &[
                "A logs that the job is finished, at 10:00:01.200 on its clock",
                "choose \u{201c}Each node's clock\u{201d} in the timeline's axis menu",
                "each event sits at the time its own machine's clock gave it, so reading down is reading the log sorted by timestamp",
                "B's entry is at the top, and A's message to B runs upwards, back in time",
            ],
            move |run| {
                // The merged log the lesson talks about was shown nowhere: the narration now
                // points to where it is drawn, and the log lines read as the narration does.
                ensure!(UI_AXES.contains("\"Each node's clock\""), "no such axis in the menu");
                let lines = log_lines(run);
                let last = lines.last().ok_or("nothing logged")?;
                ensure!(
                    last.node == A
                        && matches!(last.what.0, logging::Entry::Finished { .. })
                        && last.what.1 == TEN_AM + 1_200_000,
                    "{last:?}"
                );
                ensure!(last.time <= run.line("A logs that the job is finished"), "told early");
                ensure!(merged_by(run) == [B, A, A], "merged {:?}", merged_by(run));
                // Drawn by each event's own clock, B's line is the highest of all…
                let by_clock: Vec<NodeId> = {
                    let mut lines: Vec<_> = logged_events(run).into_iter().map(|e| (e.time_of_day, e.node)).collect();
                    lines.sort();
                    lines.into_iter().map(|l| l.1).collect()
                };
                ensure!(by_clock == [B, A, A], "{by_clock:?}");
                // …and A's message to B arrives higher than it left.
                let upwards = message_ends(run)
                    .iter()
                    .any(|(sent, got)| sent.node == A && got.node == B && got.time_of_day < sent.time_of_day);
                ensure!(upwards, "A's message to B runs down");
                // And what the timeline shows of the log lines is the narration's reading.
                let words = faultline::sim::Describe::note(
                    &params::<Logging>(run),
                    &logging::Note::Log { what: lines[0].what.0, wall: lines[0].what.1, lamport: lines[0].what.2 },
                    &faultline::sim::Names::letters(),
                );
                ensure!(words.contains("at 10:00:01.000"), "{words}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "choose \u{201c}Lamport time\u{201d} in the timeline's axis menu: A's entry comes first, then B's, then A's last one, and every message runs downwards",
                "\u{201c}Each node's clock\u{201d} shows the same run in the wall-clock order the fix replaces",
            ],
            move |run| {
                ensure!(UI_AXES.contains("\"Lamport time\""), "no such axis in the menu");
                ensure!(UI_AXES.contains("\"Each node's clock\""), "no such axis in the menu");
                ensure!(merged_by(run) == [A, B, A], "merged {:?}", merged_by(run));
                let by_lamport: Vec<NodeId> = {
                    let mut lines: Vec<_> = logged_events(run).into_iter().map(|e| (e.lamport, e.node)).collect();
                    lines.sort();
                    lines.into_iter().map(|l| l.1).collect()
                };
                ensure!(by_lamport == [A, B, A], "{by_lamport:?}");
                let ends = message_ends(run);
                let downwards = !ends.is_empty() && ends.iter().all(|(sent, got)| got.lamport > sent.lamport);
                ensure!(downwards, "a message runs up");
                let mut by_clock: Vec<_> = logged_events(run).into_iter().map(|e| (e.time_of_day, e.node)).collect();
                by_clock.sort();
                ensure!(by_clock[0].1 == B, "the wall clock puts {} first", by_clock[0].1);
                Ok(())
            },
        ),
    ];
    let asides = vec![aside_line(
        "A note on the source",
        "this line is about a source write-up's example, which it contrasts with the run",
    )];
    (claims, asides)
}

fn measured(run: &Run) -> Vec<At<(i64, i64, i64)>> {
    run.noted::<Stopwatch, _>(|note| {
        let stopwatch::Note::Measured {
            start,
            end,
            elapsed_us,
        } = *note;
        Some((start, end, elapsed_us))
    })
}

fn ntp_step_back() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "operations that each take 300 ms",
                "a 300 ms operation",
                "During a 300 ms operation",
            ],
            move |run| {
                ensure!(
                    params::<Stopwatch>(run).work_us == 300 * MS,
                    "another length"
                );
                let asked: Vec<Micros> =
                    run.requests::<Stopwatch>().iter().map(|r| r.time).collect();
                let ended: Vec<Micros> = measured(run).iter().map(|m| m.time).collect();
                ensure!(
                    asked.len() == ended.len()
                        && asked.iter().zip(&ended).all(|(a, e)| e - a == 300 * MS),
                    "asked {asked:?}, ended {ended:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "NTP finds A's clock a second ahead and steps it back by one second",
                "NTP resets that clock one second back mid-operation",
                "NTP steps the clock back 1 s",
            ],
            move |run| {
                let sim = run.sim::<Stopwatch>();
                let step = run
                    .faults::<Stopwatch>()
                    .into_iter()
                    .find(|f| matches!(f.what, Command::NtpStep { .. }))
                    .ok_or("no NTP step")?;
                ensure!(
                    step.what
                        == Command::NtpStep {
                            node: A,
                            delta_us: -1_000_000
                        },
                    "{:?}",
                    step.what
                );
                let before = sim.trace().events()[0].time_of_day;
                ensure!(before == 1_000_000, "A's clock read {before} at the start");
                ensure!(
                    sim.clock(A).time_of_day(step.time) == step.time as i64,
                    "the step did not set A's clock right"
                );
                let first = run.requests::<Stopwatch>()[0].time;
                ensure!(
                    (first..first + 300 * MS).contains(&step.time),
                    "not mid-operation"
                );
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "minus 700 ms",
                "-700 ms",
                "300 − 1000 = −700 ms",
                "a second earlier than it should be",
            ],
            move |run| {
                let first = measured(run)[0].what;
                ensure!(
                    first.2 == -700_000 && first.1 - first.0 == first.2,
                    "{first:?}"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &["The next operation, with no step in the middle, measures 300 ms either way"],
            move |run| {
                let second = measured(run)[1].what;
                ensure!(second.2 == 300_000, "{second:?}");
                Ok(())
            },
        ),
        claim(WithFix, &["300 ms, as it should be"], move |run| {
            let first = measured(run)[0].what;
            ensure!(first.2 == 300_000, "{first:?}");
            Ok(())
        }),
    ];
    let asides = vec![aside_line(
        "This happened for real at Cloudflare on 1 January 2017",
        "real incidents and their dates, from the companies' own post-mortems",
    )];
    (claims, asides)
}

fn commits(run: &Run) -> Vec<At<(u8, i64)>> {
    run.noted::<TrueTime, _>(|note| match *note {
        truetime::Note::Committed { txn, timestamp } => Some((txn, timestamp)),
        _ => None,
    })
}

fn truetime_commit_wait() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "Two database nodes. A's clock is 3 ms fast, B's 3 ms slow",
                "within 3.5 ms of the truth: TrueTime gives it an interval 7 ms wide",
                "B's clock is 6 ms behind A's",
                "the skew between the clocks (6 ms)",
            ],
            move |run| {
                ensure!(nodes(run) == 2, "{} nodes", nodes(run));
                let sim = run.sim::<TrueTime>();
                ensure!(
                    sim.clock(A).offset_us() == 3_000 && sim.clock(B).offset_us() == -3_000,
                    "offsets {} and {}",
                    sim.clock(A).offset_us(),
                    sim.clock(B).offset_us()
                );
                for node in [A, B] {
                    ensure!(sim.clock(node).uncertainty_us() == 3_500, "another uncertainty");
                }
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "commits transaction 1 on A, waits for the acknowledgement, then commits transaction 2 on B",
                "Transaction 2 starts after transaction 1 has committed",
            ],
            move |run| {
                let done = commits(run);
                ensure!(
                    done.len() == 2 && done[0].node == A && done[0].what.0 == 1,
                    "{done:?}"
                );
                ensure!(done[1].node == B && done[1].what.0 == 2, "{done:?}");
                let begun = run
                    .delivered::<TrueTime>()
                    .into_iter()
                    .find(|m| m.what.2 == truetime::Msg::Begin { txn: 2 })
                    .ok_or("transaction 2 never began")?;
                ensure!(begun.what.1 >= done[0].time, "2 began before 1 was acknowledged");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "T1 gets 103 ms, T2 (which started later) gets 98 ms",
                "A snapshot at 100 ms shows T2 but not T1",
                "The gap between the two commits (about 1 ms)",
                "the two nodes' clocks disagree by more than the time between the commits",
            ],
            move |run| {
                let done = commits(run);
                ensure!(done[0].what.1 == 103_000 && done[1].what.1 == 98_000, "{done:?}");
                ensure!(done[1].what.1 <= 100_000 && 100_000 < done[0].what.1, "no such snapshot");
                ensure!(done[1].time - done[0].time == MS, "a gap of {} µs", done[1].time - done[0].time);
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "the latest time it could be (106.5 ms)",
                "the width of the interval, 7 ms",
                "By then true time has certainly passed 106.5 ms",
                "gets a larger stamp (108.5 ms)",
                "(here 7 ms)",
            ],
            move |run| {
                let waits: Vec<(u8, i64, u64)> = run
                    .notes::<TrueTime>()
                    .iter()
                    .filter_map(|n| match n.what {
                        truetime::Note::CommitWait { txn, timestamp, wait_us } => {
                            Some((txn, timestamp, wait_us))
                        }
                        _ => None,
                    })
                    .collect();
                ensure!(waits.len() == 2 && waits[0].1 == 106_500, "{waits:?}");
                ensure!(
                    waits.iter().all(|w| (7_000..=7_002).contains(&w.2)),
                    "waits {waits:?}"
                );
                let done = commits(run);
                ensure!(about(done[1].what.1 as f64, 108_500.0, 50.0), "{done:?}");
                let begun = run
                    .delivered::<TrueTime>()
                    .into_iter()
                    .find(|m| m.what.2 == truetime::Msg::Begin { txn: 2 })
                    .ok_or("no second transaction")?;
                ensure!(begun.time as i64 > 106_500, "T2 began before 106.5 ms");
                ensure!(done[1].what.1 > done[0].what.1, "stamps out of order");
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

// ----- Byzantine generals -----

fn decisions(run: &Run) -> Vec<At<(Order, u8, u8)>> {
    run.noted::<Generals, _>(|note| match *note {
        generals::Note::Decided {
            order,
            attack_votes,
            retreat_votes,
        } => Some((order, attack_votes, retreat_votes)),
        _ => None,
    })
}

fn relays(run: &Run, from: NodeId) -> Vec<Order> {
    run.sent::<Generals>()
        .iter()
        .filter_map(|m| match m.what.1 {
            generals::Msg::Relay { order } if m.node == from => Some(order),
            _ => None,
        })
        .collect()
}

fn byzantine_generals() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            WithoutFix,
            &[
                "one traitor among three",
                "With three generals the loyal lieutenant",
                "Three generals: A commands, B and C are lieutenants",
                "Three generals cannot tolerate one traitor",
                "With three generals and one traitor",
                "because one node lied",
            ],
            move |run| {
                ensure!(nodes(run) == 3, "{} generals", nodes(run));
                ensure!(params::<Generals>(run).traitor == Some(C), "the traitor is not C");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["\"retreat\" from C: one each", "On a tie it retreats"],
            move |run| {
                let b = decisions(run).into_iter().find(|d| d.node == B).ok_or("B never decides")?;
                ensure!(b.what == (Order::Retreat, 1, 1), "{b:?}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "Four generals: A commands, B, C and D are lieutenants",
                "one traitor among four",
                "With four generals",
                "hears the order from the commander and two relays; one traitor cannot outvote two loyal voices",
            ],
            move |run| {
                ensure!(nodes(run) == 4, "{} generals", nodes(run));
                ensure!(params::<Generals>(run).traitor == Some(C), "the traitor is not C");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["\"attack\" from A and from D, \"retreat\" only from C: two to one", "Every loyal general attacks"],
            move |run| {
                let all = decisions(run);
                let b = all.iter().find(|d| d.node == B).ok_or("B never decides")?;
                ensure!(b.what == (Order::Attack, 2, 1), "{b:?}");
                ensure!(
                    all.iter().filter(|d| d.node != C).all(|d| d.what.0 == Order::Attack),
                    "{all:?}"
                );
                ensure!(relays(run, D).iter().all(|&o| o == Order::Attack), "D lied");
                Ok(())
            },
        ),
        claim(Both, &["C lies: it tells the others that A said retreat"], move |run| {
            let lies = relays(run, C);
            ensure!(!lies.is_empty() && lies.iter().all(|&o| o == Order::Retreat), "{lies:?}");
            let first = run
                .sent::<Generals>()
                .iter()
                .find(|m| m.node == C && matches!(m.what.1, generals::Msg::Relay { .. }))
                .map(|m| m.time)
                .unwrap();
            ensure!(first <= run.line("C lies"), "told at {} µs, lies at {first}", run.line("C lies"));
            Ok(())
        }),
    ];
    let asides = vec![
        aside(
            "3f + 1",
            "the general rule, with f standing for any number of traitors",
        ),
        aside(
            "more than two thirds of the nodes",
            "the general rule (3f + 1), true of any run",
        ),
    ];
    (claims, asides)
}

// ----- crash amnesia -----

/// C's disk at true time `at`: what it has written, and what a power cut would leave of it if
/// that differs (the run replayed from the start to `at`).
fn disk_of_c_at(run: &Run, at: Micros) -> (election::Durable, Option<election::Durable>) {
    let (mut sim, _) = scenarios::simulate(&run.scenario).expect("the preset starts");
    let sim = sim
        .downcast_mut::<Simulation<Election>>()
        .expect("an election");
    sim.run_until(at);
    (sim.durable(C).clone(), sim.unsynced(C).cloned())
}

/// The votes granted in `term`: (voter, candidate), in the order they were sent.
fn votes_granted(run: &Run, term: u32) -> Vec<At<(NodeId, NodeId)>> {
    run.sent::<Election>()
        .into_iter()
        .filter_map(|m| match m.what.1 {
            election::Msg::Vote { term: t, granted } if t == term && granted => Some(At {
                time: m.time,
                node: m.node,
                what: (m.node, m.what.0),
            }),
            _ => None,
        })
        .collect()
}

/// Who first stood for `term`, and when.
fn first_candidate(run: &Run, term: u32) -> Option<At<u32>> {
    run.noted::<Election, _>(|note| match *note {
        election::Note::StartedElection { term: t } if t == term => Some(t),
        _ => None,
    })
    .into_iter()
    .next()
}

fn crash_amnesia() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    // No write has reached C yet when it crashes.
    const TERM_1_NO_VOTE: election::Durable = election::Durable {
        term: 1,
        voted_for: None,
        newest: None,
    };
    const TERM_2_FOR_B: election::Durable = election::Durable {
        term: 2,
        voted_for: Some(B),
        newest: None,
    };
    let claims = vec![
        claim(
            Both,
            &[
                "Five nodes have just started, and nobody leads yet",
                "A candidate needs three votes of five",
            ],
            move |run| {
                ensure!(nodes(run) == 5, "{} nodes", nodes(run));
                ensure!(majority(5) == 3, "a majority of five");
                let params = params::<Election>(run);
                ensure!(params.quorum && params.leaderless_start, "{params:?}");
                let first = became_leader(run);
                ensure!(first.first().is_some_and(|l| l.time > S), "{first:?}");
                Ok(())
            },
        ),
        claim(
            Both,
            &["between two sites is down: A and B on one side, D and E on the other. C, in a third site, reaches everyone"],
            move |run| {
                let cuts: Vec<(NodeId, NodeId)> = run
                    .faults::<Election>()
                    .iter()
                    .filter_map(|f| match f.what {
                        Command::CutBoth { a, b } if f.time == 0 => Some((a, b)),
                        _ => None,
                    })
                    .collect();
                ensure!(cuts == [(A, D), (A, E), (B, D), (B, E)], "{cuts:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "It asks for votes in term 2: A and C say yes",
                "B has three votes of five, and it leads term 2",
            ],
            move |run| {
                let first = first_candidate(run, 2).ok_or("nobody stood for term 2")?;
                ensure!(first.node == B, "{first:?}");
                let for_b: Vec<NodeId> = votes_granted(run, 2)
                    .iter()
                    .filter(|v| v.what.1 == B)
                    .map(|v| v.what.0)
                    .collect();
                ensure!(for_b == [C, A], "votes for B: {for_b:?}");
                let led = became_leader(run);
                let b = led.iter().find(|l| l.node == B).ok_or("B never led")?;
                ensure!(b.what == 2, "{b:?}");
                ensure!(b.time <= run.line("B's election timeout"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "10 ms per sync",
                "B leads term 2 at 1.145 s, 20 ms later than without the syncs",
                "every vote, vote request and acknowledgement of a write waits 10 ms for the sync",
            ],
            move |run| {
                let fsync = match params::<Election>(run).disk {
                    election::Disk::SyncBeforeVoting { fsync_us } => fsync_us,
                    other => return Err(format!("{other:?}")),
                };
                ensure!(fsync == 10 * MS, "{fsync} µs");
                let led = |run: &Run| {
                    became_leader(run)
                        .into_iter()
                        .find(|l| l.node == B && l.what == 2)
                        .map(|l| l.time)
                };
                let with = led(run).ok_or("B never led term 2")?;
                ensure!(with / MS == 1_144 && with % MS >= 500, "at {with} µs");
                let without = led(&Run::new(run.scenario.clone().with_fix(false)))
                    .ok_or("without the fix, B never led term 2")?;
                ensure!(with - without == 20 * MS, "{} µs later", with - without);
                ensure!(with <= run.line("Before it asks"), "told early");
                // Every vote, and every request for one, leaves exactly one sync after the
                // request or the timeout that prompted it.
                let sent = run.sent::<Election>();
                let delivered = run.delivered::<Election>();
                for vote in sent.iter().filter(|m| {
                    matches!(
                        m.what.1,
                        election::Msg::Vote { .. } | election::Msg::RequestVote { .. }
                    )
                }) {
                    let prompted = match vote.what.1 {
                        election::Msg::Vote { .. } => delivered.iter().any(|d| {
                            d.node == vote.node
                                && d.what.0 == vote.what.0
                                && matches!(d.what.2, election::Msg::RequestVote { .. })
                                && d.time + fsync == vote.time
                        }),
                        _ => first_candidate_at(run, vote.node, vote.time - fsync),
                    };
                    ensure!(prompted, "{vote:?} did not wait one sync");
                }
                // Every acknowledgement of a stored write leaves one sync after the write came.
                let acks: Vec<_> = sent
                    .iter()
                    .filter(|m| matches!(m.what.1, election::Msg::ReplicateAck { .. }))
                    .collect();
                ensure!(!acks.is_empty(), "no write was acknowledged");
                for ack in acks {
                    let election::Msg::ReplicateAck { write, .. } = ack.what.1 else {
                        unreachable!()
                    };
                    let prompted = delivered.iter().any(|d| {
                        d.node == ack.node
                            && d.what.0 == ack.what.0
                            && matches!(d.what.2, election::Msg::Replicate { write: w, .. } if w == write)
                            && d.time + fsync == ack.time
                    });
                    ensure!(prompted, "{ack:?} did not wait one sync");
                }
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Its vote for B was written, but it was still in the operating system's cache",
                "its disk says it voted for B, but what a power cut would leave says it never voted",
            ],
            move |run| {
                let cut = run
                    .faults::<Election>()
                    .into_iter()
                    .find(|f| matches!(f.what, Command::CrashLosingUnsynced { node: C }))
                    .ok_or("C never lost power")?;
                ensure!(cut.time == 1_500 * MS, "at {} µs", cut.time);
                let (written, synced) = disk_of_c_at(run, cut.time - MS);
                ensure!(written == TERM_2_FOR_B, "{written:?}");
                ensure!(synced == Some(TERM_1_NO_VOTE), "{synced:?}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["It synced its vote for B before it replied"],
            move |run| {
                let (written, synced) = disk_of_c_at(run, 1_499 * MS);
                ensure!(written == TERM_2_FOR_B && synced.is_none(), "{written:?} {synced:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Its disk says term 1 and no vote: as far as C knows, it never voted in term 2",
                "C's disk says it has not voted in term 2",
                "Yes: it has no vote on record for term 2",
            ],
            move |run| {
                let back = run.line("C boots again");
                let (written, _) = disk_of_c_at(run, back);
                ensure!(written == TERM_1_NO_VOTE, "{written:?}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["C boots again, with term 2 and its vote for B on disk"],
            move |run| {
                let (written, _) = disk_of_c_at(run, run.line("C boots again"));
                ensure!(written == TERM_2_FOR_B, "{written:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "D asks it for a vote in term 2, the term in which C voted for B",
                "asks for votes in term 2. C, with no vote on record, says yes",
                "D has three votes of five and leads term 2 too: C voted twice in one term",
                "two leaders in one term",
                "two majorities, two leaders",
                "Two nodes won the same term",
                "so that node voted twice in one term",
            ],
            move |run| {
                let second = run
                    .noted::<Election, _>(|note| match *note {
                        election::Note::StartedElection { term: 2 } => Some(()),
                        _ => None,
                    })
                    .into_iter()
                    .find(|c| c.node == D)
                    .ok_or("D never stood for term 2")?;
                ensure!(second.time < run.line("D, which never heard"), "told early");
                let votes = votes_granted(run, 2);
                let by_c: Vec<NodeId> = votes
                    .iter()
                    .filter(|v| v.node == C)
                    .map(|v| v.what.1)
                    .collect();
                ensure!(by_c == [B, D], "C voted in term 2 for {by_c:?}");
                let for_d: Vec<NodeId> = votes
                    .iter()
                    .filter(|v| v.what.1 == D)
                    .map(|v| v.what.0)
                    .collect();
                ensure!(for_d == [C, E], "votes for D: {for_d:?}");
                let two = run.found(FindingKind::TwoLeadersInOneTerm);
                ensure!(
                    two.len() == 1 && two[0].nodes == [B, D],
                    "{two:?}"
                );
                ensure!(two[0].time <= run.line("D, which never heard"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "D times out and asks for votes in term 2. C says no: its disk remembers its vote for B",
                "With E's vote D has two of five, not enough. B stays the only leader",
                "D's side, a minority, now elects nobody",
            ],
            move |run| {
                let refused = run.sent::<Election>().into_iter().find(|m| {
                    m.node == C
                        && m.what
                            == (
                                D,
                                election::Msg::Vote {
                                    term: 2,
                                    granted: false,
                                },
                            )
                });
                let refused = refused.ok_or("C never refused D")?;
                ensure!(refused.time <= run.line("D times out and asks"), "told early");
                let for_d: Vec<NodeId> = votes_granted(run, 2)
                    .iter()
                    .filter(|v| v.what.1 == D)
                    .map(|v| v.what.0)
                    .collect();
                ensure!(for_d == [E], "votes for D: {for_d:?}");
                let leaders: Vec<NodeId> = became_leader(run).iter().map(|l| l.node).collect();
                ensure!(leaders == [B], "leaders: {leaders:?}");
                ensure!(run.found(FindingKind::TwoLeadersInOneTerm).is_empty(), "two leaders");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Two leaders in term 2, each with a majority behind it, and C acknowledges both",
                "Both accept writes: B those through A, D those through E",
                "Two nodes act as leader at the same time",
                "B by A, B and C, D by C, D and E",
                "here C, and that stops a second leader only if C votes once per term",
            ],
            move |run| {
                let split = run.found(FindingKind::SplitBrain);
                ensure!(
                    split.iter().any(|f| f.nodes == [B, D]),
                    "{split:?}"
                );
                let line = run.line("Two leaders in term 2");
                ensure!(split.iter().all(|f| f.time <= line), "told early");
                for leader in [B, D] {
                    let acked = run.sent::<Election>().iter().any(|m| {
                        m.node == C
                            && m.what.0 == leader
                            && matches!(m.what.1, election::Msg::HeartbeatAck { term: 2, .. })
                            && m.time < line
                    });
                    ensure!(acked, "C never acknowledged {leader:?}");
                }
                let replies = run.noted::<Election, _>(|note| match *note {
                    election::Note::Reply {
                        outcome: election::Outcome::Accepted { leader, term: 2 },
                    } => Some(leader),
                    _ => None,
                });
                ensure!(
                    replies.iter().any(|r| r.node == A && r.what == B)
                        && replies.iter().any(|r| r.node == E && r.what == D),
                    "{:?}",
                    replies.iter().map(|r| (r.node, r.what)).collect::<Vec<_>>()
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Writes through E are refused: D's side is a minority"],
            move |run| {
                let refusals = run.noted::<Election, _>(|note| match *note {
                    election::Note::Reply { outcome } => {
                        Some(!matches!(outcome, election::Outcome::Accepted { .. }))
                    }
                    _ => None,
                });
                let through_e: Vec<bool> = refusals
                    .iter()
                    .filter(|r| r.node == E)
                    .map(|r| r.what)
                    .collect();
                ensure!(
                    !through_e.is_empty() && through_e.iter().all(|&refused| refused),
                    "{through_e:?}"
                );
                let first = refusals.iter().find(|r| r.node == E).unwrap();
                ensure!(first.time <= run.line("Writes through E"), "told early");
                Ok(())
            },
        ),
    ];
    let asides = vec![
        aside(
            "Two majorities always share a node",
            "any two majorities of one cluster overlap: a general rule",
        ),
        aside(
            "Two majorities of five always share a node",
            "the same rule, for this cluster's size",
        ),
        aside(
            "Any two majorities share a node",
            "the same rule, in the finding's general explanation",
        ),
    ];
    (claims, asides)
}

/// Whether `node` stood for election at `time` (its timeout ran out then).
fn first_candidate_at(run: &Run, node: NodeId, time: Micros) -> bool {
    run.noted::<Election, _>(|note| match *note {
        election::Note::StartedElection { term } => Some(term),
        _ => None,
    })
    .iter()
    .any(|c| c.node == node && c.time == time)
}

// ----- delivery semantics -----

/// The server's last count for `client`.
fn final_count(run: &Run, client: NodeId) -> Option<At<u32>> {
    server_notes(run)
        .into_iter()
        .filter_map(|n| match n.what {
            server::Note::Incremented {
                client: c, count, ..
            } if c == client => Some(At {
                time: n.time,
                node: n.node,
                what: count,
            }),
            _ => None,
        })
        .next_back()
}

/// The findings of `kind` about `client`.
fn client_findings(run: &Run, kind: FindingKind, client: NodeId) -> Vec<&Finding> {
    run.found(kind)
        .into_iter()
        .filter(|f| f.nodes.first() == Some(&client))
        .collect()
}

/// Messages on the links between `client` and the server, both ways.
fn messages_on(run: &Run, client: NodeId) -> usize {
    run.sent::<Server>()
        .iter()
        .filter(|m| m.node == client || m.what.0 == client)
        .count()
}

/// Which of `client`'s increments, counted from 1 in the order its client asked, carries `op`:
/// the first message the client sent for each request carries its op.
fn nth_increment(run: &Run, client: NodeId, op: u32) -> Option<usize> {
    let mut ops: Vec<u32> = Vec::new();
    for m in run.sent::<Server>() {
        if let server::Msg::Increment { op, .. } = m.what.1 {
            if m.node == client && !ops.contains(&op) {
                ops.push(op);
            }
        }
    }
    ops.iter().position(|&o| o == op).map(|i| i + 1)
}

fn delivery_semantics() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "Client B sends 100 increments, one every 50 ms, each just once",
                "Client C sends 100 as well, and retries each one",
                "after 100 ms of silence",
                "lose 10 % of messages and deliver 5 % twice",
                "100 increments",
                "B sends each of its 100 increments once; C retries each of its 100",
            ],
            move |run| {
                let requests = run.requests::<Server>();
                let sent = |node: NodeId, retry: bool| {
                    requests
                        .iter()
                        .filter(|r| {
                            r.node == node && r.what == server::ClientOp::Increment { retry }
                        })
                        .map(|r| r.time)
                        .collect::<Vec<_>>()
                };
                let (b, c) = (sent(B, false), sent(C, true));
                ensure!(b.len() == 100 && c.len() == 100, "{} and {}", b.len(), c.len());
                ensure!(b.windows(2).all(|w| w[1] - w[0] == 50 * MS), "B's pace");
                let params = params::<Server>(run);
                ensure!(params.retry_us == 100 * MS, "retries after {} µs", params.retry_us);
                let config = &run.scenario.config;
                ensure!(config.link.loss == 0.0 && config.link.duplication == 0.0, "B↔C");
                let lossy: Vec<(NodeId, NodeId)> = config
                    .links
                    .iter()
                    .filter(|l| l.config.loss == 0.1 && l.config.duplication == 0.05)
                    .map(|l| (l.from, l.to))
                    .collect();
                ensure!(lossy == [(B, A), (A, B), (C, A), (A, C)], "{lossy:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "B's increment #54 reaches the server twice: the link duplicated it",
                "The server counts it twice",
                "or the link delivered a message twice",
            ],
            move |run| {
                let copies = run
                    .delivered::<Server>()
                    .iter()
                    .filter(|m| {
                        m.node == A
                            && m.what.0 == B
                            && matches!(m.what.2, server::Msg::Increment { op: 53, .. })
                    })
                    .count();
                ensure!(copies == 2, "{copies} copies arrived");
                let twice = client_findings(run, FindingKind::DuplicateEffect, B);
                let first = twice.first().ok_or("B never counted twice")?;
                // Numbered from 1, as people count: op 53 is B's 54th increment.
                ensure!(nth_increment(run, B, 53) == Some(54), "op 53 is not B's 54th");
                ensure!(first.summary.contains("#54 "), "{}", first.summary);
                ensure!(first.time <= run.line("B's increment #54"), "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["B's increment #3 is lost on the way"],
            move |run| {
                let lost = client_findings(run, FindingKind::RequestLost, B);
                let first = lost.first().ok_or("nothing of B's was lost")?;
                // The third, numbered from 1 (the old text called it #2, counting from 0).
                let lost_op = run.dropped::<Server>().iter().find_map(|m| match m.what.2 {
                    server::Msg::Increment { op, .. } if m.what.0 == B => Some(op),
                    _ => None,
                });
                ensure!(lost_op == Some(2), "B's first loss is op {lost_op:?}");
                ensure!(nth_increment(run, B, 2) == Some(3), "op 2 is not B's third");
                ensure!(first.summary.contains("#3 "), "{}", first.summary);
                ensure!(first.time <= run.line("B's increment #3"), "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["The server's answer to C's increment #3 was lost. After 100 ms of silence C sent it again, and the server counted it again"],
            move |run| {
                let answer_lost = run.dropped::<Server>().iter().any(|m| {
                    m.what.0 == A
                        && m.what.1 == C
                        && matches!(m.what.2, server::Msg::Incremented { op: 2 })
                });
                ensure!(answer_lost, "the answer arrived");
                let retried = server_notes(run).iter().any(|n| {
                    n.node == C && matches!(n.what, server::Note::Retried { op: 2, attempt: 2 })
                });
                ensure!(retried, "C did not retry #2");
                let twice = client_findings(run, FindingKind::DuplicateEffect, C);
                let first = twice.first().ok_or("C never counted twice")?;
                ensure!(nth_increment(run, C, 2) == Some(3), "op 2 is not C's third");
                ensure!(first.summary.contains("#3 "), "{}", first.summary);
                ensure!(first.time <= run.line("C's increment #3"), "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "The server counted 92 for B: 11 increments lost, 3 counted twice",
                "It counted 117 for C: none lost, 17 counted twice",
                "Fewer than 100 for B, more than 100 for C",
                "An increment counted twice",
                "retrying applies some twice",
            ],
            move |run| {
                let line = run.line("All done");
                let b = final_count(run, B).ok_or("B never counted")?;
                let c = final_count(run, C).ok_or("C never counted")?;
                ensure!(b.what == 92 && c.what == 117, "{} and {}", b.what, c.what);
                ensure!(b.time <= line && c.time <= line, "told early");
                let count = |kind, client| client_findings(run, kind, client).len();
                ensure!(
                    count(FindingKind::RequestLost, B) == 11
                        && count(FindingKind::DuplicateEffect, B) == 3,
                    "B: {} lost, {} twice",
                    count(FindingKind::RequestLost, B),
                    count(FindingKind::DuplicateEffect, B)
                );
                ensure!(
                    count(FindingKind::RequestLost, C) == 0
                        && count(FindingKind::DuplicateEffect, C) == 17,
                    "C: {} lost, {} twice",
                    count(FindingKind::RequestLost, C),
                    count(FindingKind::DuplicateEffect, C)
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "exactly 100 for B and 100 for C",
                "The server recognised 40 copies and retries",
                "it remembers 200 keys",
                "counts none twice",
            ],
            move |run| {
                let line = run.line("All done");
                let b = final_count(run, B).ok_or("B never counted")?;
                let c = final_count(run, C).ok_or("C never counted")?;
                ensure!(b.what == 100 && c.what == 100, "{} and {}", b.what, c.what);
                ensure!(b.time <= line && c.time <= line, "told early");
                let recognised = server_notes(run)
                    .iter()
                    .filter(|n| matches!(n.what, server::Note::AlreadyIncremented { .. }))
                    .count();
                ensure!(recognised == 40, "{recognised} recognised");
                let keys = run.sim::<Server>().durable(A).keys.len();
                ensure!(keys == 200, "{keys} keys");
                ensure!(run.findings.is_empty(), "{:?}", run.findings);
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["so its link carries more than twice as many messages"],
            move |run| {
                let with = messages_on(run, B) as f64;
                let without = messages_on(&Run::new(run.scenario.clone().with_fix(false)), B) as f64;
                ensure!((2.0..3.0).contains(&(with / without)), "{with} against {without}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Were it to forget keys after 50 ms, sooner than C's retries, a late retry would be counted again"],
            move |run| {
                let mut forgetful = run.scenario.clone();
                if let ModelSpec::Server { fixed, .. } = &mut forgetful.model {
                    fixed.dedup_window_us = Some(50 * MS);
                }
                ensure!(params::<Server>(run).retry_us > 50 * MS, "retries come sooner");
                let forgetful = Run::new(forgetful);
                let again = client_findings(&forgetful, FindingKind::DuplicateEffect, C);
                ensure!(!again.is_empty(), "nothing counted twice with a 50 ms window");
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

// ----- bounded delay -----

/// Heartbeats as they arrived: (receiver, sender, sent at, arrived at).
fn heartbeats_arrived(run: &Run) -> Vec<(NodeId, NodeId, Micros, Micros)> {
    run.delivered::<Heartbeats>()
        .into_iter()
        .map(|m| (m.node, m.what.0, m.what.1, m.time))
        .collect()
}

/// When the scripted flood began, on which node, and how much of it there was.
fn flood(run: &Run) -> Result<(Micros, NodeId, Micros), String> {
    run.faults::<Heartbeats>()
        .into_iter()
        .find_map(|f| match f.what {
            Command::Flood { node, duration_us } => Some((f.time, node, duration_us)),
            _ => None,
        })
        .ok_or_else(|| "no flood".to_string())
}

fn bounded_delay() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "Three nodes send each other a heartbeat every 100 ms, and every message takes d = 10 ms",
                "A heartbeat only crosses the network once, so heartbeats from a live node arrive at most 100 ms + d = 110 ms apart",
                "Each node declares a peer dead after 125 ms of silence: that bound plus a 15 ms margin",
                "Heartbeats arrive every 100 ms, each 10 ms after it is sent, and the timeout is 125 ms",
                "Nodes here handle a message the instant it arrives",
            ],
            move |run| {
                ensure!(nodes(run) == 3, "{} nodes", nodes(run));
                let params = params::<Heartbeats>(run);
                ensure!(params.period_us == 100 * MS, "every {} µs", params.period_us);
                let link = run.scenario.config.link;
                ensure!(link.latency_us == 10 * MS && link.jitter_us == 0, "{link:?}");
                ensure!(run.scenario.config.links.is_empty(), "links of their own");
                let Detector::FixedTimeout { timeout_us } = params.detector else {
                    return Err("not a fixed timeout".to_string());
                };
                // One crossing, not two: the bound is the period plus d, and the margin is the
                // rest (the old text called 125 ms "100 ms + 2d + r").
                let bound = params.period_us + link.latency_us;
                ensure!(bound == 110 * MS, "bound {bound}");
                ensure!(timeout_us - bound == 15 * MS, "timeout {timeout_us}");
                // Before the flood, every heartbeat took exactly d, and a live node's heartbeats
                // arrived within the bound of each other.
                let (at, _, _) = flood(run)?;
                let before: Vec<_> = heartbeats_arrived(run).into_iter().filter(|h| h.3 < at).collect();
                ensure!(!before.is_empty() && before.iter().all(|h| h.3 - h.2 == 10 * MS), "a late heartbeat");
                for (to, from) in [(A, B), (A, C), (B, A), (B, C), (C, A), (C, B)] {
                    let times: Vec<Micros> =
                        before.iter().filter(|h| h.0 == to && h.1 == from).map(|h| h.3).collect();
                    ensure!(times.len() > 2, "{from} to {to}: {} heartbeats", times.len());
                    ensure!(times.windows(2).all(|w| w[1] - w[0] <= bound), "{from} to {to}: a gap");
                }
                // Handled the instant it arrives: every heartbeat a node sends leaves at a multiple
                // of the period, whatever it has just received.
                let sent = run.sent::<Heartbeats>();
                let first = sent.first().ok_or("nothing sent")?.time;
                ensure!(
                    sent.iter().all(|m| (m.time - first) % params.period_us == 0),
                    "a heartbeat left off its beat"
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "which this model never pauses",
                "a real node that stops for longer than 125 ms",
            ],
            move |run| {
                let paused = run.faults::<Heartbeats>().into_iter().any(|f| {
                    matches!(f.what, Command::Pause { .. } | Command::Crash { .. })
                });
                ensure!(!paused, "a node paused");
                let Detector::FixedTimeout { timeout_us } = params::<Heartbeats>(run).detector else {
                    return Err("not a fixed timeout".to_string());
                };
                ensure!(timeout_us == 125 * MS, "timeout {timeout_us}");
                Ok(())
            },
        ),
        claim(
            Both,
            &[
                "floods the link into B: 300 ms of transmission",
                "A 300 ms burst of other traffic floods the link into B",
            ],
            move |run| {
                let (at, node, amount) = flood(run)?;
                ensure!(node == B && amount == 300 * MS, "{node}: {amount}");
                ensure!(at <= run.line("floods the link into B"), "told late");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "A's and C's heartbeats to B wait behind the burst. After 125 ms of silence B declares them dead",
                "That A and C are dead",
            ],
            move |run| {
                let suspicions = run.found(FindingKind::FalseSuspicion);
                let suspects: Vec<(NodeId, NodeId)> =
                    suspicions.iter().map(|f| (f.nodes[0], f.nodes[1])).collect();
                ensure!(suspects == [(B, A), (B, C)], "{suspects:?}");
                ensure!(suspicions.iter().all(|f| f.time <= run.line("wait behind the burst")), "told early");
                let silent = run.noted::<Heartbeats, _>(|n| match *n {
                    heartbeat::Note::Suspect { silent_ms, .. } => Some(silent_ms),
                    _ => None,
                });
                ensure!(silent.iter().all(|s| s.what == 125), "silent for other lengths");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "The burst has passed, and the waiting heartbeats arrive together, the oldest 300 ms after it was sent",
                "as this one did until 1 s",
            ],
            move |run| {
                let (at, _, amount) = flood(run)?;
                ensure!(at == S, "flooded at {at}");
                let late: Vec<_> = heartbeats_arrived(run)
                    .into_iter()
                    .filter(|h| h.0 == B && h.3 - h.2 > 10 * MS)
                    .collect();
                ensure!(!late.is_empty(), "nothing late");
                let arrived = late[0].3;
                ensure!(late.iter().all(|h| h.3 == arrived), "not together");
                ensure!(arrived == at + amount, "arrived at {arrived}");
                let oldest = late.iter().map(|h| h.3 - h.2).max().unwrap_or(0);
                ensure!(oldest == 300 * MS, "oldest took {oldest}");
                ensure!(arrived <= run.line("The burst has passed"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "The heartbeats arrive 10 ms after they are sent, as always",
                "Nobody is suspected",
                "a timeout above it is not fooled by the network",
            ],
            move |run| {
                let all = heartbeats_arrived(run);
                ensure!(all.iter().all(|h| h.3 - h.2 == 10 * MS), "a heartbeat was late");
                ensure!(run.findings.is_empty(), "{:?}", run.findings);
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "a fifth of every link is reserved for them",
                "the burst could use only four fifths of B's link, so it took 375 ms to pass instead of 300 ms",
                "the reserved fifth sat idle",
            ],
            move |run| {
                let share = params::<Heartbeats>(run).circuit_share;
                ensure!(share == 0.2, "share {share}");
                let (at, _, _) = flood(run)?;
                let until = run.sim::<Heartbeats>().flooded_until(B);
                ensure!(until - at == 375 * MS, "passed after {}", until - at);
                ensure!(until <= run.line("The price: the burst"), "told early");
                Ok(())
            },
        ),
    ];
    let asides = vec![
        aside(
            "DDIA's 2d + r is the bound for a request and its reply: two crossings",
            "the textbook's bound, in symbols, set against this run's one-way heartbeats",
        ),
        aside(
            "in DDIA's example, 64 kbit/s per call",
            "the book's telephone circuit, not a figure of this run",
        ),
    ];
    (claims, asides)
}

// ----- a clock from the future -----

const HOUR: i64 = 3_600_000_000;

/// What `node`'s client was told about its write of x = `value`: (when, timestamp).
fn stamped_write(run: &Run, node: NodeId, value: u32) -> Option<(Micros, i64)> {
    run.notes::<Register>().iter().find_map(|n| match n.what {
        register::Note::Acked { write, .. } if n.node == node && write.value == value => {
            Some((n.time, write.timestamp))
        }
        _ => None,
    })
}

/// When C went out of service and came back.
fn service_changes(run: &Run) -> Vec<At<bool>> {
    run.noted::<Register, _>(|n| match n {
        register::Note::ClockOff { .. } => Some(false),
        register::Note::ClockBack { .. } => Some(true),
        _ => None,
    })
}

fn clock_from_the_future() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let mut claims = vec![
        claim(
            Both,
            &[
                "Three replicas of a register x resolve conflicts by last write wins",
                "A's and B's clocks are within a few milliseconds of true time",
                "its clock is an hour ahead",
                "One replica's clock runs an hour ahead",
                "A clock an hour ahead",
                "C's clock is an hour ahead",
            ],
            move |run| {
                ensure!(nodes(run) == 3, "{} replicas", nodes(run));
                let clocks = &run.scenario.config.clocks;
                ensure!(clocks[0].offset_us.abs() < 10_000 && clocks[1].offset_us.abs() < 10_000, "A or B off");
                ensure!(clocks[2].offset_us == HOUR, "C is {} µs off", clocks[2].offset_us);
                ensure!(clocks.iter().all(|c| c.drift_ppm == 0), "a clock drifts");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["A client writes x = 1 through C. C stamps it with its clock: 3600.100 s, an hour in the future"],
            move |run| {
                let (at, stamp) = stamped_write(run, C, 1).ok_or("x = 1 not written through C")?;
                ensure!(stamp == 3_600_100_000, "stamped {stamp}");
                ensure!(stamp - at as i64 == HOUR, "not an hour ahead");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "A client writes x = 2 through A, stamped 0.302 s. A acknowledges it, then discards it: x = 1's timestamp is larger. So do B and C",
                "x = 1, for the next hour",
            ],
            move |run| {
                let (at, stamp) = stamped_write(run, A, 2).ok_or("x = 2 not written through A")?;
                ensure!(stamp == 302_000, "stamped {stamp}");
                for replica in [A, B, C] {
                    let when = discarded(run, replica, 0, 2, 1).ok_or("x = 2 kept")?;
                    ensure!(when >= at && when <= run.line("A client writes x = 2"), "{replica}: told early");
                }
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["x = 3 through B goes the same way. Any write to x for the next hour will: C's timestamp beats them all"],
            move |run| {
                ensure!(stamped_write(run, B, 3).is_some(), "x = 3 not written through B");
                for replica in [A, B, C] {
                    let when = discarded(run, replica, 0, 3, 1).ok_or("x = 3 kept")?;
                    ensure!(when <= run.line("x = 3 through B"), "{replica}: told early");
                }
                let (_, stamp) = stamped_write(run, C, 1).ok_or("no x = 1")?;
                ensure!(stamp >= HOUR, "beaten within the hour");
                Ok(())
            },
        ),
        claim(
            Both,
            &["Someone notices C's clock and steps it back an hour. C's clock is right now"],
            move |run| {
                let step = run
                    .faults::<Register>()
                    .into_iter()
                    .find(|f| f.what == Command::NtpStep { node: C, delta_us: -HOUR })
                    .ok_or("C's clock was not stepped back an hour")?;
                ensure!(step.time <= run.line("steps it back an hour"), "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Too late for x: C's own new write, x = 4, stamped 1.600 s, loses to the x = 1 it stamped an hour ahead",
                "even after its clock is put right",
            ],
            move |run| {
                let (at, stamp) = stamped_write(run, C, 4).ok_or("x = 4 not written through C")?;
                ensure!(stamp == 1_600_000, "stamped {stamp}");
                let lost = discarded(run, C, 0, 4, 1).ok_or("x = 4 kept")?;
                ensure!(lost >= at && lost <= run.line("Too late for x"), "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["A read through A finds x = 1: three acknowledged writes have vanished"],
            move |run| {
                let read = run
                    .noted::<Register, _>(|n| match *n {
                        register::Note::Read { first, second, .. } => Some((first, second)),
                        _ => None,
                    })
                    .into_iter()
                    .find(|r| r.node == A)
                    .ok_or("no read through A")?;
                ensure!(read.what == (Some(1), None), "{:?}", read.what);
                let lost = run.found(FindingKind::AckedWriteLost).len();
                ensure!(lost == 3, "{lost} lost");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "every replica asks the others for the time, every 500 ms, and compares its clock with the middle of the three readings",
                "far beyond the 500 ms allowed, and takes itself out of service",
                "C finds its own clock an hour from the middle",
                "a bound (here 500 ms)",
                "so one bad clock is outvoted",
                "so a single bad clock is outvoted",
            ],
            move |run| {
                let check = params::<Register>(run).clock_check.ok_or("no clock check")?;
                ensure!(check.every_us == 500 * MS && check.bound_us == 500 * MS, "{check:?}");
                let verdict = run
                    .noted::<Register, _>(|n| match *n {
                        register::Note::ClockOff { off_us, sources } => Some((off_us, sources)),
                        _ => None,
                    })
                    .into_iter()
                    .next()
                    .ok_or("C never went out of service")?;
                ensure!(verdict.node == C, "{} went out", verdict.node);
                ensure!(service_changes(run).iter().all(|c| c.node == C), "A or B went out");
                let (off_us, sources) = verdict.what;
                ensure!(sources == 3, "{sources} readings");
                ensure!((off_us - HOUR).abs() < 10_000, "off by {off_us}");
                ensure!(verdict.time <= run.line("every replica asks the others"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["C refuses the client's write of x = 1"],
            move |run| {
                let refused = run
                    .noted::<Register, _>(|n| matches!(n, register::Note::OutOfService { .. }).then_some(()))
                    .into_iter()
                    .next()
                    .ok_or("C refused nothing")?;
                ensure!(refused.node == C, "{} refused", refused.node);
                let asked = run.requests::<Register>();
                let asked = asked.iter().find(|r| r.node == C).ok_or("no request to C")?;
                ensure!(asked.what == register::ClientOp::Put { key: 0, value: 1 }, "{:?}", asked.what);
                ensure!(stamped_write(run, C, 1).is_none(), "x = 1 was written");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Writes through A and B succeed, and x = 3, written last, is kept everywhere"],
            move |run| {
                ensure!(stamped_write(run, A, 2).is_some() && stamped_write(run, B, 3).is_some(), "refused");
                let line = run.line("Writes through A and B succeed");
                for replica in [A, C] {
                    let kept = discarded(run, replica, 0, 2, 3).ok_or("x = 2 kept")?;
                    ensure!(kept <= line, "{replica}: told early");
                }
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "At its next check C's clock agrees with the others: C is back in service",
                "x = 4 through C is kept, and a read through A finds it",
                "The price: C served no one for 1.5 s, and its client's write was refused",
            ],
            move |run| {
                let changes = service_changes(run);
                ensure!(changes.len() == 2 && changes.iter().all(|c| c.node == C), "{} changes", changes.len());
                let (out, back) = (changes[0].time, changes[1].time);
                ensure!(back <= run.line("At its next check"), "told early");
                let step = run
                    .faults::<Register>()
                    .into_iter()
                    .find(|f| matches!(f.what, Command::NtpStep { .. }))
                    .ok_or("no step")?;
                ensure!(back > step.time && back - step.time <= 500 * MS + 20 * MS, "not the next check");
                ensure!(about((back - out) as f64 / S as f64, 1.5, 0.05), "out for {} µs", back - out);
                ensure!(stamped_write(run, C, 4).is_some(), "x = 4 refused");
                let read = run
                    .noted::<Register, _>(|n| match *n {
                        register::Note::Read { first, second, .. } => Some((first, second)),
                        _ => None,
                    })
                    .into_iter()
                    .find(|r| r.node == A)
                    .ok_or("no read")?;
                ensure!(read.what == (Some(4), None), "{:?}", read.what);
                let refusals = run.found(FindingKind::LivenessStall);
                ensure!(refusals.len() == 1, "{} refusals", refusals.len());
                ensure!(run.found(FindingKind::AckedWriteLost).is_empty(), "a write was lost");
                Ok(())
            },
        ),
        claim(
            Both,
            &["A client writes x = 1 through C, then, 200 ms later, x = 2 through A"],
            move |run| {
                let requests = run.requests::<Register>();
                let at = |node: NodeId, value: u32| {
                    requests
                        .iter()
                        .find(|r| r.node == node && r.what == register::ClientOp::Put { key: 0, value })
                        .map(|r| r.time)
                };
                let (one, two) = (at(C, 1).ok_or("no x = 1")?, at(A, 2).ok_or("no x = 2")?);
                ensure!(two - one == 200 * MS, "{} apart", two - one);
                Ok(())
            },
        ),
    ];
    claims.push(claim(
        WithFix,
        &[
            "A write was refused at once, not after a wait: it went to C, which had found its own clock an hour from the middle of the replicas' readings and taken itself out of service",
            "Nothing was partitioned and no quorum was missing",
        ],
        move |run| {
            // The general text blamed quorums, fencing and a split network.
            let trace = run.sim::<Register>().trace();
            let stalls = run.found(FindingKind::LivenessStall);
            ensure!(!stalls.is_empty(), "nothing refused");
            let out = service_changes(run).first().map(|c| c.time).ok_or("C never went out")?;
            for f in stalls {
                let asked = trace.event(f.events[0]);
                let answered = trace.event(*f.events.last().unwrap());
                ensure!(asked.node == C && answered.node == C, "{f:?}");
                ensure!(answered.time == asked.time && asked.time >= out, "{f:?}: not at once");
                let EventKind::ClientReply { note, .. } = answered.kind else {
                    return Err(format!("{f:?}: no answer"));
                };
                ensure!(matches!(trace.note(note), register::Note::OutOfService { .. }), "{f:?}");
            }
            let cut = run.faults::<Register>().into_iter().any(|f| {
                !matches!(f.what, Command::NtpStep { .. } | Command::Client { .. })
            });
            ensure!(!cut, "a network fault");
            ensure!(!params::<Register>(run).quorum_writes, "quorum writes");
            Ok(())
        },
    ));
    let asides = vec![aside(
        "ntpd's panic threshold is 1000 s",
        "a property of ntpd, not of this run",
    )];
    (claims, asides)
}

// ----- retry storm -----

const F: NodeId = NodeId(5);

/// When each node declared which server dead, and where it went next.
fn declared_dead(run: &Run) -> Vec<At<(NodeId, Option<NodeId>)>> {
    run.noted::<Server, _>(|n| match *n {
        server::Note::DeclaredDead { server, next, .. } => Some((server, next)),
        _ => None,
    })
}

/// When the server answered (served) requests, per server.
fn served_at(run: &Run, server: NodeId) -> Vec<Micros> {
    server_notes(run)
        .iter()
        .filter(|n| n.node == server && matches!(n.what, server::Note::Served { .. }))
        .map(|n| n.time)
        .collect()
}

/// The requests a server turned away at `time`, and how many were waiting each time.
fn turned_away_at(run: &Run, time: Micros) -> Vec<u16> {
    server_notes(run)
        .iter()
        .filter(|n| n.node == A && n.time == time)
        .filter_map(|n| match n.what {
            server::Note::TurnedAway { waiting, .. } => Some(waiting),
            _ => None,
        })
        .collect()
}

/// When A resumed after its pause.
fn resumed(run: &Run) -> Result<Micros, String> {
    run.faults::<Server>()
        .iter()
        .find(|f| matches!(f.what, Command::Resume { node: A }))
        .map(|f| f.time)
        .ok_or_else(|| "A never resumed".to_string())
}

fn retry_storm() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    let claims = vec![
        claim(
            Both,
            &[
                "Servers A and B each serve one request at a time, taking 10 ms each",
                "let at most 20 wait in line: each can answer 100 requests a second",
                "Clients C and E send to A, D and F to B, each a request every 25 ms: 80 a second for each server",
                "A client waits 200 ms for an answer",
                "Server A stops for 300 ms",
                "A 300 ms stall",
                "A 300 ms pause",
                "Server A stops for 300 ms and then runs normally again",
            ],
            move |run| {
                let params = params::<Server>(run);
                let queue = params.queue.ok_or("no line")?;
                ensure!(params.servers == 2, "{} servers", params.servers);
                ensure!(queue.service_us == 10 * MS && queue.limit == 20, "{queue:?}");
                ensure!(S / queue.service_us == 100, "capacity");
                ensure!(params.retry_us == 200 * MS, "waits {} µs", params.retry_us);
                let requests = run.requests::<Server>();
                for client in [C, D, E, F] {
                    let times: Vec<Micros> = requests
                        .iter()
                        .filter(|r| r.node == client)
                        .map(|r| r.time)
                        .collect();
                    ensure!(times.windows(2).all(|w| w[1] - w[0] == 25 * MS), "{client}'s pace");
                    ensure!(S / (25 * MS) * 2 == 80, "load");
                    let first = run
                        .sent::<Server>()
                        .into_iter()
                        .find(|m| m.node == client)
                        .ok_or("sent nothing")?;
                    let home = if client == C || client == E { A } else { B };
                    ensure!(first.what.0 == home, "{client} sends to {}", first.what.0);
                }
                let faults = run.faults::<Server>();
                let paused = faults
                    .iter()
                    .find(|f| matches!(f.what, Command::Pause { node: A }))
                    .ok_or("A never paused")?;
                ensure!(resumed(run)? - paused.time == 300 * MS, "a pause of another length");
                ensure!(run.line("Server A stops for 300 ms") <= paused.time, "told late");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "sends the request again at once, up to 3 attempts in all",
                "whose requests fail twice in a row declares its server dead",
                "have had two requests in a row fail",
            ],
            move |run| {
                let params = params::<Server>(run);
                ensure!(params.backoff.is_none() && params.breaker.is_none(), "waits");
                ensure!(params.max_attempts == 3, "{} attempts", params.max_attempts);
                ensure!(params.failover_after == Some(2), "{:?}", params.failover_after);
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "up to 100 ms (up to 200 ms before a third attempt)",
                "After 3 timeouts in a row its circuit breaker opens: it sends that server nothing for 500 ms",
                "After three timeouts in a row",
                "it sends that server nothing for 500 ms",
                "for 500 ms they send",
                "Their 500 ms over",
            ],
            move |run| {
                let params = params::<Server>(run);
                let backoff = params.backoff.ok_or("no backoff")?;
                ensure!(backoff.base_us == 100 * MS && backoff.cap_us >= 200 * MS, "{backoff:?}");
                ensure!(params.max_attempts == 3, "{} attempts", params.max_attempts);
                let breaker = params.breaker.ok_or("no breaker")?;
                ensure!(breaker.after == 3 && breaker.open_us == 500 * MS, "{breaker:?}");
                ensure!(params.failover_after.is_none(), "fails over");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["The requests A had not answered when it stopped have waited 200 ms. C and E send them again at once"],
            move |run| {
                let line = run.line("C and E send them again at once");
                let pause = resumed(run)? - 300 * MS;
                for client in [C, E] {
                    let retry = server_notes(run)
                        .into_iter()
                        .find(|n| n.node == client && matches!(n.what, server::Note::Retried { .. }))
                        .ok_or("no retry")?;
                    ensure!(retry.time <= line, "told early");
                    let server::Note::Retried { op, .. } = retry.what else {
                        unreachable!()
                    };
                    let first_sent = run
                        .sent::<Server>()
                        .into_iter()
                        .find(|m| m.node == client && m.what.1 == server::Msg::Get { op, attempt: 1 })
                        .ok_or("never sent")?;
                    let answered_before = server_notes(run).iter().any(|n| {
                        n.time < pause
                            && n.what == server::Note::Served { client, op, attempt: 1 }
                    });
                    ensure!(!answered_before, "answered before the pause");
                    ensure!(retry.time - first_sent.time == 200 * MS, "retried later");
                }
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["A wakes up to a full line of 20 requests and turns away 13 more"],
            move |run| {
                let at = resumed(run)?;
                let away = turned_away_at(run, at);
                ensure!(away.len() == 13 && away.iter().all(|&w| w == 20), "{away:?}");
                ensure!(run.line("turns away 13 more") >= at, "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["A wakes up to a full line of 20 requests and turns away 3 more"],
            move |run| {
                let at = resumed(run)?;
                let away = turned_away_at(run, at);
                ensure!(away.len() == 3 && away.iter().all(|&w| w == 20), "{away:?}");
                ensure!(run.line("turns away 3 more") >= at, "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Every answer A sends now comes too late",
                "A full line takes 200 ms to serve, as long as a client waits",
                "A cannot catch up while its clients retry, and B fails too",
            ],
            move |run| {
                let params = params::<Server>(run);
                let queue = params.queue.ok_or("no line")?;
                ensure!(u64::from(queue.limit) * queue.service_us == params.retry_us, "not as long");
                let storms = run.found(FindingKind::RetryStorm);
                let at_a = storms.iter().find(|f| f.nodes == [A]).ok_or("no storm at A")?;
                ensure!(at_a.time <= run.line("Every answer A sends"), "told early");
                ensure!(storms.iter().any(|f| f.nodes == [B]), "no storm at B");
                // The storm at A lasts until its clients have left it.
                let left = declared_dead(run)
                    .iter()
                    .filter(|d| d.what.0 == A)
                    .map(|d| d.time)
                    .nth(1)
                    .ok_or("A's clients stayed")?;
                let notes = server_notes(run);
                let late: Vec<(NodeId, u32, u8)> = notes
                    .iter()
                    .filter_map(|n| match n.what {
                        server::Note::LateAnswer { op, attempt } => Some((n.node, op, attempt)),
                        _ => None,
                    })
                    .collect();
                let from = resumed(run)?;
                let answered: Vec<(NodeId, u32, u8)> = notes
                    .iter()
                    .filter(|n| n.node == A && n.time >= from && n.time <= left)
                    .filter_map(|n| match n.what {
                        server::Note::Served { client, op, attempt } => Some((client, op, attempt)),
                        _ => None,
                    })
                    .collect();
                ensure!(answered.len() > 20, "{} answers", answered.len());
                ensure!(answered.iter().all(|a| late.contains(a)), "an answer in time");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "E, then C, have had two requests in a row fail: they declare A dead and send everything to B",
                "But A is running",
            ],
            move |run| {
                let declared = declared_dead(run);
                let firsts: Vec<(NodeId, (NodeId, Option<NodeId>))> =
                    declared.iter().take(2).map(|d| (d.node, d.what)).collect();
                ensure!(firsts == [(E, (A, Some(B))), (C, (A, Some(B)))], "{firsts:?}");
                ensure!(declared[1].time <= run.line("E, then C"), "told early");
                let suspected = run.found(FindingKind::FalseSuspicion);
                ensure!(suspected.iter().filter(|f| f.nodes[1] == A).count() == 4, "{suspected:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "B now has all four clients: 160 requests a second",
                "C and E declare B dead too. They have no server left",
            ],
            move |run| {
                ensure!(S / (25 * MS) * 4 == 160, "load");
                let line = run.line("B now has all four clients");
                let gone: Vec<NodeId> = declared_dead(run)
                    .iter()
                    .filter(|d| d.what == (B, None) && d.time <= line)
                    .map(|d| d.node)
                    .collect();
                ensure!(gone == [E, C], "{gone:?}");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &["D and F, B's own clients, gave up on B and moved to A, taking their retries with them. A drowned again, and by 2.731 s they have declared A dead as well"],
            move |run| {
                let declared = declared_dead(run);
                for client in [D, F] {
                    let mine: Vec<(NodeId, Option<NodeId>)> =
                        declared.iter().filter(|d| d.node == client).map(|d| d.what).collect();
                    ensure!(mine == [(B, Some(A)), (A, None)], "{client}: {mine:?}");
                }
                let last = declared.last().ok_or("nobody")?;
                ensure!(last.time / MS == 2_731, "at {}", last.time);
                ensure!(last.time <= run.line("by 2.731 s"), "told early");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Both servers are running and idle, and every client has declared both dead: each new request fails at once, 298 of them by the end",
                "with nothing broken",
            ],
            move |run| {
                let line = run.line("Both servers are running and idle");
                for server in [A, B] {
                    let late = served_at(run, server).into_iter().filter(|&t| t >= line).count();
                    ensure!(late == 0, "{server} still serves");
                }
                ensure!(declared_dead(run).len() == 8, "not every client gave up on both");
                let crashed = run.faults::<Server>().iter().any(|f| {
                    matches!(f.what, Command::Crash { .. } | Command::CrashLosingUnsynced { .. })
                });
                ensure!(!crashed, "something crashed");
                let failed = run
                    .noted::<Server, _>(|n| {
                        matches!(n, server::Note::NotSent { why: server::NotSent::NoServerLeft })
                            .then_some(())
                    })
                    .len();
                ensure!(failed == 298, "{failed} failed at once");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "The storm itself is over: with their clients gone, A and B emptied their lines",
                "What lasts is the clients' verdict: a client never tries a server it has written off again",
                "The storm passes once the clients have left; the outage lasts because they never come back to a server they have written off",
            ],
            move |run| {
                let line = run.line("The storm itself is over");
                let declared = declared_dead(run);
                for server in [A, B] {
                    // Its lines emptied: the last request it received was answered, after its
                    // last client had left, and before the line is shown.
                    let left = declared
                        .iter()
                        .filter(|d| d.what.0 == server)
                        .map(|d| d.time)
                        .max()
                        .ok_or("never written off")?;
                    let received = run.delivered::<Server>().iter().filter(|m| m.node == server).count();
                    let answered = server_notes(run)
                        .iter()
                        .filter(|n| {
                            n.node == server
                                && matches!(n.what, server::Note::Served { .. } | server::Note::TurnedAway { .. })
                        })
                        .count();
                    ensure!(received == answered, "{server}: {received} received, {answered} answered");
                    let last = served_at(run, server).into_iter().max().ok_or("served nothing")?;
                    ensure!(last <= line, "{server} still serving at {last}");
                    ensure!(last >= left, "{server} emptied before its clients left");
                }
                // Nobody sends to a server it has written off.
                for d in &declared {
                    let again = run
                        .sent::<Server>()
                        .into_iter()
                        .any(|m| m.node == d.node && m.time > d.time && m.what.0 == d.what.0);
                    ensure!(!again, "{} went back to {}", d.node, d.what.0);
                }
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "The requests A had not answered when it stopped have waited 200 ms. E waits 48 ms before sending its first one again; C, 13 ms later, waits 31 ms",
                "C's retry leaves at 1.231 s and E's at 1.235 s, only 4.4 ms apart",
                "any two can still land together",
            ],
            move |run| {
                // When the retries really left: C's first, 4.4 ms before E's (the old text said
                // they "no longer arrive together", 13 ms apart and more).
                let retried = |client: NodeId| {
                    run.sent::<Server>()
                        .into_iter()
                        .find(|m| m.node == client && matches!(m.what.1, server::Msg::Get { attempt: 2, .. }))
                        .map(|m| m.time)
                        .ok_or("no retry")
                };
                let (c_at, e_at) = (retried(C)?, retried(E)?);
                ensure!((c_at + MS / 2) / MS == 1_231 && (e_at + MS / 2) / MS == 1_235, "{c_at} and {e_at}");
                ensure!(c_at < e_at && ((e_at - c_at) + 50) / 100 == 44, "{} apart", e_at - c_at);
                ensure!(e_at <= run.line("C's retry leaves at"), "told early");
                let waits = run.noted::<Server, _>(|n| match *n {
                    server::Note::BackingOff { wait_us, .. } => Some(wait_us),
                    _ => None,
                });
                let first = |client| waits.iter().find(|w| w.node == client).ok_or("no backoff");
                let (e, c) = (first(E)?, first(C)?);
                let ms = |us: Micros| (us + MS / 2) / MS;
                ensure!(ms(e.what) == 48 && ms(c.what) == 31, "{} and {}", e.what, c.what);
                ensure!(c.time - e.time == 13 * MS, "{} apart", c.time - e.time);
                ensure!(c.time <= run.line("E waits 48 ms"), "told early");
                let pause = resumed(run)? - 300 * MS;
                for backoff in [e, c] {
                    let server::Note::BackingOff { op, .. } = server_notes(run)
                        .into_iter()
                        .find(|n| n.time == backoff.time && n.node == backoff.node)
                        .ok_or("no note")?
                        .what
                    else {
                        return Err("another note".to_string());
                    };
                    let answered_before = server_notes(run).iter().any(|n| {
                        n.time < pause
                            && n.what
                                == server::Note::Served { client: backoff.node, op, attempt: 1 }
                    });
                    ensure!(!answered_before, "answered before the pause");
                    let sent = run
                        .sent::<Server>()
                        .into_iter()
                        .find(|m| m.node == backoff.node && m.what.1 == server::Msg::Get { op, attempt: 1 })
                        .ok_or("never sent")?;
                    ensure!(backoff.time - sent.time == 200 * MS, "waited otherwise");
                }
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["After 3 timeouts in a row, E's breaker opens, then C's", "each new request fails at once"],
            move |run| {
                let opened = run.noted::<Server, _>(|n| {
                    matches!(n, server::Note::BreakerOpened { server: A, .. }).then_some(())
                });
                let who: Vec<NodeId> = opened.iter().map(|o| o.node).collect();
                ensure!(who == [E, C], "{who:?}");
                ensure!(opened[1].time <= run.line("After 3 timeouts in a row, E's"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["Nothing new joins the line, and by 1.500 s it is empty"],
            move |run| {
                let at = resumed(run)?;
                let probe = run
                    .noted::<Server, _>(|n| matches!(n, server::Note::BreakerProbe { .. }).then_some(()))
                    .first()
                    .map(|p| p.time)
                    .ok_or("no probe")?;
                let joined = run
                    .delivered::<Server>()
                    .iter()
                    .filter(|m| m.node == A && m.time > at && m.time < probe && m.what.1 > at)
                    .count();
                ensure!(joined == 0, "{joined} joined");
                let emptied = served_at(run, A)
                    .into_iter()
                    .rfind(|&t| t < probe)
                    .ok_or("served nothing")?;
                ensure!(emptied == 1_500 * MS, "empty at {emptied}");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "the breakers each let one request through. A answers at once, the breakers close, and C and E are served again",
                "then tries one request before sending more",
            ],
            move |run| {
                let closed = run.noted::<Server, _>(|n| {
                    matches!(n, server::Note::BreakerClosed { server: A }).then_some(())
                });
                let probes = run.noted::<Server, _>(|n| {
                    matches!(n, server::Note::BreakerProbe { server: A }).then_some(())
                });
                ensure!(closed.len() == 2 && probes.len() == 2, "{} closed", closed.len());
                for (probe, close) in probes.iter().zip(&closed) {
                    ensure!(probe.node == close.node, "another client");
                    ensure!(close.time - probe.time < 30 * MS, "slow answer");
                    let sent = run
                        .sent::<Server>()
                        .iter()
                        .filter(|m| m.node == probe.node && (probe.time..=close.time).contains(&m.time))
                        .count();
                    ensure!(sent == 1, "{} sent {sent} while half-open", probe.node);
                }
                ensure!(closed[1].time <= run.line("the breakers each let one"), "told early");
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "No server was declared dead, and D and F, B's clients, never noticed",
                "38 of C's and E's requests failed at once while their breakers were open",
                "and A had been ready for 0.26 s before they were served again",
            ],
            move |run| {
                ensure!(declared_dead(run).is_empty(), "someone was declared dead");
                ensure!(run.findings.is_empty(), "{:?}", run.findings);
                let troubled = server_notes(run).iter().any(|n| {
                    (n.node == D || n.node == F)
                        && matches!(
                            n.what,
                            server::Note::Done { ok: false }
                                | server::Note::LateAnswer { .. }
                                | server::Note::Retried { .. }
                                | server::Note::BackingOff { .. }
                        )
                });
                ensure!(!troubled, "D or F noticed");
                let refused = run.noted::<Server, _>(|n| {
                    matches!(n, server::Note::NotSent { why: server::NotSent::BreakerOpen })
                        .then_some(())
                });
                ensure!(refused.len() == 38, "{}", refused.len());
                ensure!(refused.iter().all(|r| r.node == C || r.node == E), "others refused");
                let back = run
                    .noted::<Server, _>(|n| matches!(n, server::Note::BreakerClosed { .. }).then_some(()))
                    .first()
                    .map(|c| c.time)
                    .ok_or("never back")?;
                let probe = run
                    .noted::<Server, _>(|n| matches!(n, server::Note::BreakerProbe { .. }).then_some(()))
                    .first()
                    .map(|p| p.time)
                    .ok_or("no probe")?;
                let idle_from = served_at(run, A)
                    .into_iter()
                    .filter(|&t| t < probe)
                    .max()
                    .ok_or("never served")?;
                let idle = (back - idle_from) as f64 / S as f64;
                ensure!(about(idle, 0.26, 0.005), "idle {idle} s");
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

// ----- siblings kept -----

/// What each read of the cart returned: (first value, second value), where it was read.
fn cart_reads(run: &Run) -> Vec<At<(Option<u32>, Option<u32>)>> {
    run.noted::<Register, _>(|note| match *note {
        register::Note::Read { first, second, .. } => Some((first, second)),
        _ => None,
    })
}

fn siblings_kept() -> (Vec<Claim>, Vec<Aside>) {
    use Runs::*;
    const MILK: u32 = 1;
    const EGGS: u32 = 2;
    const BOTH: u32 = 3;
    let claims = vec![
        claim(
            Both,
            &[
                "Three replicas of a shopping cart, with every clock right",
                "before either write has reached the other replica",
            ],
            move |run| {
                ensure!(nodes(run) == 3, "{} nodes", nodes(run));
                ensure!(run.scenario.config.clocks.is_empty(), "clocks set");
                let puts: Vec<(NodeId, Micros)> = run
                    .requests::<Register>()
                    .iter()
                    .filter(|r| matches!(r.what, register::ClientOp::Put { value, .. } if value != BOTH))
                    .map(|r| (r.node, r.time))
                    .collect();
                ensure!(puts == [(B, 10 * MS), (C, 12 * MS)], "{puts:?}");
                let first_arrival = run
                    .delivered::<Register>()
                    .iter()
                    .map(|m| m.time)
                    .min()
                    .ok_or("nothing replicated")?;
                ensure!(first_arrival > 12 * MS, "a write arrived at {first_arrival} µs");
                Ok(())
            },
        ),
        claim(
            WithoutFix,
            &[
                "Last write wins keeps eggs, stamped later, and silently throws milk away, though B's client was told its write succeeded",
                "A read through A finds only eggs",
                "Only eggs: the later write wins, and milk is gone",
            ],
            move |run| {
                let discarded = run.noted::<Register, _>(|note| match *note {
                    register::Note::Discarded { lost, kept, .. } => Some((lost.value, kept.value)),
                    _ => None,
                });
                ensure!(
                    discarded.iter().filter(|d| d.what == (MILK, EGGS)).count() == 3,
                    "{:?}",
                    discarded.iter().map(|d| d.what).collect::<Vec<_>>()
                );
                ensure!(!run.found(FindingKind::AckedWriteLost).is_empty(), "no loss found");
                let read = cart_reads(run);
                ensure!(
                    read.first().is_some_and(|r| r.node == A && r.what == (Some(EGGS), None)),
                    "{:?}",
                    read.first().map(|r| r.what)
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &[
                "Neither version vector has seen the other's write: they are concurrent, so every replica keeps both",
                "A read through A returns both siblings, milk and eggs",
                "Two writes happened without either knowing of the other",
            ],
            move |run| {
                let siblings = run.noted::<Register, _>(|note| match *note {
                    register::Note::Siblings { .. } => Some(()),
                    _ => None,
                });
                let mut at: Vec<NodeId> = siblings.iter().map(|s| s.node).collect();
                at.sort();
                ensure!(at == [A, B, C], "siblings at {at:?}");
                let read = cart_reads(run);
                let first = read.first().ok_or("no read")?;
                let mut values = [first.what.0, first.what.1];
                values.sort();
                ensure!(
                    first.node == A && values == [Some(MILK), Some(EGGS)],
                    "{:?}",
                    first.what
                );
                Ok(())
            },
        ),
        claim(
            WithFix,
            &["it writes milk and eggs through A, whose version has seen both siblings, so it supersedes them"],
            move |run| {
                ensure!(
                    held(run, 0).iter().all(|values| values == &[BOTH]),
                    "{:?}",
                    held(run, 0)
                );
                Ok(())
            },
        ),
        claim(
            Both,
            &["A read through B now finds a single value: milk and eggs"],
            move |run| {
                let read = cart_reads(run);
                let last = read.last().ok_or("no read")?;
                ensure!(last.node == B && last.what == (Some(BOTH), None), "{:?}", last.what);
                Ok(())
            },
        ),
    ];
    (claims, Vec::new())
}

// ----- the fix's own questions -----

/// The claims of the question guided mode asks with the fix on (`fix_prediction`): its
/// question, every choice (a wrong choice is wrong in its conclusion, never in the numbers it
/// states) and its explanation.
fn fix_questions(id: &str) -> Vec<Claim> {
    use Runs::*;
    match id {
        "timeouts" => vec![
            claim(WithFix, &["D really crashes at 3 s"], move |run| {
                ensure!(
                    run.faults::<Heartbeats>()
                        .iter()
                        .any(|f| f.time == 3 * S && f.what == Command::Crash { node: D }),
                    "D does not crash at 3 s"
                );
                Ok(())
            }),
            claim(
                WithFix,
                &[
                    "As soon as a 150 ms timeout would",
                    "Later than a 150 ms timeout would",
                    "not 150 ms",
                ],
                move |run| {
                    // The broken run's detector, which the fixed one is compared with.
                    let ModelSpec::Heartbeats { params, .. } = &run.scenario.model else {
                        return Err("another model".to_string());
                    };
                    ensure!(
                        params.detector == Detector::FixedTimeout { timeout_us: 150 * MS },
                        "{:?}",
                        params.detector
                    );
                    let late = suspected(run, D);
                    ensure!(
                        !late.is_empty() && late.iter().all(|s| s.what > 150),
                        "{late:?}"
                    );
                    Ok(())
                },
            ),
            claim(
                WithFix,
                &["D is declared dead 380 ms after its last heartbeat"],
                move |run| d_noticed(run, 380, "declare D dead 380 ms"),
            ),
        ],
        "reordered-writes" => vec![claim(
            WithFix,
            &[
                "x = 3 arrived first and the server applied it; x = 1 and then x = 2 arrive after it",
                "x = 2, the write that arrives last",
                "x = 3: the server sees that 1 and 2 are older and ignores them",
                "the highest sequence number it has applied, 3. Writes 1 and 2 arrive",
            ],
            move |run| {
                let arrived: Vec<(u32, u32, bool)> = server_notes(run)
                    .iter()
                    .filter_map(|n| match n.what {
                        server::Note::SetApplied {
                            value,
                            seq: Some(seq),
                            ..
                        } => Some((value, seq, true)),
                        server::Note::SetIgnored { value, seq, .. } => Some((value, seq, false)),
                        _ => None,
                    })
                    .collect();
                ensure!(
                    arrived == [(3, 3, true), (1, 1, false), (2, 2, false)],
                    "{arrived:?}"
                );
                let x = run.sim::<Server>().durable(A).x;
                ensure!(x == 3, "x ends at {x}");
                Ok(())
            },
        )],
        "retry-double-charge" => vec![claim(
            WithFix,
            &[
                "The server charged the card (balance 70), and its answer was lost",
                "the balance stays 70",
            ],
            move |run| {
                let all: Vec<(i64, i64)> = charges(run).iter().map(|c| c.what).collect();
                ensure!(all == [(30, 70)], "{all:?}");
                ensure!(
                    run.dropped::<Server>().iter().any(|d| d.what.0 == A
                        && d.what.1 == B
                        && matches!(d.what.2, server::Msg::Charged { balance: 70, .. })),
                    "the answer was not lost"
                );
                ensure!(
                    server_notes(run)
                        .iter()
                        .any(|n| matches!(n.what, server::Note::AlreadyCharged { client: B, .. })),
                    "the retry was not recognised"
                );
                ensure!(final_balance(run) == 70, "balance {}", final_balance(run));
                Ok(())
            },
        )],
        "lost-update" => vec![
            claim(
                WithFix,
                &[
                    "B's write of 50 has just been stored. Now C's write of 70 arrives, computed \
                     from the balance of 100 that C read before B's write",
                    "Stores 70",
                ],
                move |run| {
                    let reads: Vec<(NodeId, i64, u32)> = run
                        .delivered::<Server>()
                        .iter()
                        .filter_map(|m| match m.what.2 {
                            server::Msg::ReadResult {
                                balance, version, ..
                            } => Some((m.node, balance, version)),
                            _ => None,
                        })
                        .collect();
                    ensure!(reads[..2] == [(B, 100, 0), (C, 100, 0)], "{reads:?}");
                    let writes: Vec<(Micros, NodeId, i64, u32)> = run
                        .delivered::<Server>()
                        .iter()
                        .filter_map(|m| match m.what.2 {
                            server::Msg::Write {
                                balance,
                                read_version,
                                ..
                            } => Some((m.time, m.what.0, balance, read_version)),
                            _ => None,
                        })
                        .collect();
                    ensure!(writes.len() >= 2, "{writes:?}");
                    let (b, c) = (writes[0], writes[1]);
                    ensure!(
                        (b.1, b.2, b.3) == (B, 50, 0) && (c.1, c.2, c.3) == (C, 70, 0),
                        "{writes:?}"
                    );
                    let stored_b = server_notes(run)
                        .iter()
                        .find(|n| {
                            matches!(
                                n.what,
                                server::Note::Stored {
                                    client: B,
                                    balance: 50,
                                    ..
                                }
                            )
                        })
                        .map(|n| n.time)
                        .ok_or("B's write was not stored")?;
                    ensure!(stored_b <= c.0, "C's write arrived first");
                    Ok(())
                },
            ),
            claim(
                WithFix,
                &[
                    "so C reads again and writes 20",
                    "C read version 0; B's write made it version 1",
                    "C reads 50, takes its 30 off and writes 20",
                ],
                move |run| {
                    ensure!(
                        server_notes(run).iter().any(|n| matches!(
                            n.what,
                            server::Note::Conflict {
                                client: C,
                                read_version: 0,
                                version: 1,
                                ..
                            }
                        )),
                        "C's write was not refused for version 1"
                    );
                    ensure!(
                        run.delivered::<Server>().iter().any(|m| m.node == C
                            && matches!(m.what.2, server::Msg::ReadResult { balance: 50, .. })),
                        "C did not read 50"
                    );
                    ensure!(
                        run.requests::<Server>()
                            .iter()
                            .any(|r| r.node == C
                                && r.what == server::ClientOp::Withdraw { amount: 30 }),
                        "C does not withdraw 30"
                    );
                    ensure!(final_balance(run) == 20, "balance {}", final_balance(run));
                    Ok(())
                },
            ),
        ],
        "delivery-semantics" => vec![claim(
            WithFix,
            &[
                "retrying after 100 ms of silence",
                "B's increment with key 1",
                "B sends key 1 again",
                "sends key 1 again",
                "already counted key 1",
            ],
            move |run| {
                let params = params::<Server>(run);
                ensure!(
                    params.retry_us == 100 * MS && params.retry_every_increment,
                    "B does not retry after 100 ms"
                );
                let sent: Vec<(Micros, u32)> = run
                    .sent::<Server>()
                    .iter()
                    .filter_map(|m| match m.what.1 {
                        server::Msg::Increment {
                            op, key: Some(1), ..
                        } if m.node == B => Some((m.time, op)),
                        _ => None,
                    })
                    .collect();
                ensure!(sent.len() >= 2, "B sent key 1 {} times", sent.len());
                let op = sent[0].1;
                let counted = server_notes(run)
                    .iter()
                    .find(|n| {
                        matches!(n.what, server::Note::Incremented { client: B, op: o, .. } if o == op)
                    })
                    .map(|n| n.time)
                    .ok_or("key 1 was never counted")?;
                ensure!(
                    run.dropped::<Server>().iter().any(|d| d.what.0 == A
                        && d.what.1 == B
                        && d.time > counted
                        && d.what.2 == server::Msg::Incremented { op }),
                    "the answer to key 1 was not lost"
                );
                ensure!(
                    server_notes(run).iter().any(|n| n.time > sent[1].0
                        && n.what == server::Note::AlreadyIncremented { client: B, op }),
                    "the copy of key 1 was counted again"
                );
                Ok(())
            },
        )],
        "retry-storm" => vec![claim(
            WithFix,
            &["Server A has stopped for 300 ms", "no server is declared dead"],
            move |run| {
                let paused = run
                    .faults::<Server>()
                    .iter()
                    .find(|f| f.what == Command::Pause { node: A })
                    .map(|f| f.time)
                    .ok_or("A never stopped")?;
                ensure!(resumed(run)? - paused == 300 * MS, "not 300 ms");
                ensure!(declared_dead(run).is_empty(), "{:?}", declared_dead(run));
                Ok(())
            },
        )],
        "seat-12a" => vec![claim(
            WithFix,
            &[
                "where Alice booked 12A",
                "Now Bob books 12A in Europe",
                "That 12A is his",
                "That 12A is taken: Asia, which has Alice's booking, refuses",
            ],
            move |run| {
                ensure!(booking(run, A, 12, 1).is_some(), "Alice does not book 12A in the US");
                ensure!(booking(run, B, 12, 2).is_some(), "Bob does not book 12A in Europe");
                ensure!(
                    run.notes::<Register>().iter().any(|n| n.node == B
                        && n.what
                            == register::Note::Refused {
                                key: 12,
                                value: 2,
                                reason: register::Refusal::Taken { by: 1 }
                            }),
                    "Bob was not told 12A is Alice's"
                );
                ensure!(
                    run.sent::<Register>()
                        .iter()
                        .any(|m| m.node == C && m.what.0 == B),
                    "Asia did not answer Europe"
                );
                Ok(())
            },
        )],
        "lww-clock-skew" => vec![claim(
            WithFix,
            &[
                "A client writes x = 2 through C after x = 1 has reached it",
                "x = 2: its version vector shows it saw x = 1",
                "x = 1: its timestamp is still the larger",
                "C's x = 2 carries a version vector that includes A's write of x = 1",
                "that x = 2 came after it",
            ],
            move |run| {
                let (_, one) = stamped_write(run, A, 1).ok_or("no x = 1 through A")?;
                let (two_at, two) = stamped_write(run, C, 2).ok_or("no x = 2 through C")?;
                ensure!(one > two, "x = 1 stamped {one}, x = 2 {two}");
                ensure!(
                    run.delivered::<Register>()
                        .iter()
                        .any(|m| m.node == C && m.what.0 == A && m.time < two_at),
                    "x = 1 had not reached C"
                );
                let held = held(run, 0);
                ensure!(held.iter().all(|v| v == &[2]), "{held:?}");
                Ok(())
            },
        )],
        "clock-from-the-future" => vec![claim(
            WithFix,
            &["far beyond the 500 ms allowed"],
            move |run| {
                let check = params::<Register>(run).clock_check.ok_or("no clock check")?;
                ensure!(check.bound_us == 500 * MS, "{check:?}");
                let off = service_changes(run);
                let first = off.first().ok_or("nobody went out of service")?;
                ensure!(first.node == C && !first.what, "{first:?}");
                Ok(())
            },
        )],
        "ntp-step-back" => vec![claim(
            WithFix,
            &[
                "stepped A's wall clock back 1 s, in the middle of a 300 ms operation",
                "300 ms: NTP never steps the monotonic clock",
                "300 ms less the 1 s step",
                "300 ms plus the 1 s step",
            ],
            move |run| {
                let step = run
                    .faults::<Stopwatch>()
                    .into_iter()
                    .find(|f| {
                        f.what
                            == Command::NtpStep {
                                node: A,
                                delta_us: -1_000_000,
                            }
                    })
                    .ok_or("no step back of 1 s")?;
                let first = measured(run);
                let first = first.first().ok_or("nothing measured")?;
                ensure!(
                    (100 * MS..first.time).contains(&step.time),
                    "the step at {} µs is not mid-operation",
                    step.time
                );
                ensure!(first.time - 100 * MS == 300 * MS, "not a 300 ms operation");
                ensure!(first.what.2 == 300_000, "measured {} µs", first.what.2);
                Ok(())
            },
        )],
        "slow-clock-lease" => vec![claim(
            WithFix,
            &[
                "C's clock is 6 s slow, and C kept its lease (token 33) for later jobs",
                "its own clock reads only 6 s",
                "At 12 s it has another job",
                "well over the lease's 10 s have passed since C asked for it",
                "D holds it now",
            ],
            move |run| {
                let offset = run.sim::<LockService>().clock(C).offset_us();
                ensure!(offset == -6_000_000, "C's clock is {offset} µs off");
                let params = params::<LockService>(run);
                ensure!(params.keep_lease && params.lease_us == 10 * S, "{params:?}");
                ensure!(granted(run, 33).is_some_and(|g| g.what == C), "33 is not C's");
                let asked: Vec<Micros> = run
                    .requests::<LockService>()
                    .iter()
                    .filter(|r| r.node == C)
                    .map(|r| r.time)
                    .collect();
                ensure!(asked.contains(&(12 * S)), "no job of C at 12 s: {asked:?}");
                ensure!(12 * S - asked[0] > 10 * S, "asked at {} µs", asked[0]);
                ensure!(
                    lock_notes(run).iter().any(|n| n.node == C
                        && n.time == 12 * S
                        && n.what
                            == lock::Note::LeaseChecked {
                                token: 33,
                                valid: false
                            }),
                    "C does not find its lease over at 12 s"
                );
                ensure!(
                    granted(run, 34).is_some_and(|g| g.what == D && g.time < 12 * S),
                    "D does not hold the lock"
                );
                ensure!(
                    run.delivered::<LockService>()
                        .iter()
                        .any(|m| m.node == C && m.time > 12 * S && m.what.2 == lock::Msg::Busy),
                    "C is not told the lock is busy"
                );
                Ok(())
            },
        )],
        "truetime-commit-wait" => vec![claim(
            WithFix,
            &["whose clock is 6 ms behind A's"],
            move |run| {
                let sim = run.sim::<TrueTime>();
                let behind = sim.clock(A).offset_us() - sim.clock(B).offset_us();
                ensure!(behind == 6_000, "B is {behind} µs behind");
                let stamps: Vec<(u8, i64)> = commits(run).iter().map(|c| c.what).collect();
                ensure!(
                    stamps.len() == 2 && stamps[0].0 == 1 && stamps[1].1 > stamps[0].1,
                    "{stamps:?}"
                );
                Ok(())
            },
        )],
        "gc-pause-fencing" => vec![claim(
            WithFix,
            &[
                "C wakes at 17 s, its work done, and writes with token 33",
                "Storage has already stored D's write with token 34",
                "it has seen token 34, and 33 is lower",
                "the highest token it has seen, 34",
                "C's token 33 comes from an expired lease",
            ],
            move |run| {
                ensure!(
                    run.sent::<LockService>().iter().any(|m| m.node == C
                        && m.time == 17 * S
                        && m.what == (B, lock::Msg::Write { token: 33, value: 1 })),
                    "C does not write with token 33 at 17 s"
                );
                ensure!(
                    stored(run, 34, D).is_some_and(|t| t < 17 * S),
                    "D's write was not stored first"
                );
                let until = expires(run, 33).ok_or("no grant of 33")?;
                ensure!(until < 17_000_000, "33 runs until {until}");
                ensure!(
                    lock_notes(run).iter().any(|n| n.what
                        == lock::Note::Refused {
                            token: 33,
                            highest: 34,
                            writer: C
                        }),
                    "token 33 was not refused"
                );
                Ok(())
            },
        )],
        "byzantine-generals" => vec![claim(
            WithFix,
            &[
                "Now there are four generals",
                "each hears \"attack\" twice and \"retreat\" once",
                "two to one",
            ],
            move |run| {
                ensure!(nodes(run) == 4, "{} generals", nodes(run));
                ensure!(
                    relays(run, C).iter().all(|&o| o == Order::Retreat),
                    "C does not relay retreat"
                );
                let loyal: Vec<(NodeId, (Order, u8, u8))> = decisions(run)
                    .iter()
                    .filter(|d| d.node == B || d.node == D)
                    .map(|d| (d.node, d.what))
                    .collect();
                ensure!(
                    loyal.len() == 2
                        && loyal.iter().all(|(_, d)| *d == (Order::Attack, 2, 1)),
                    "{loyal:?}"
                );
                Ok(())
            },
        )],
        "crash-amnesia" => vec![claim(
            WithFix,
            &[
                "C synced its vote for B in term 2",
                "D asks it for a vote in term 2",
                "its vote for B in term 2",
            ],
            move |run| {
                ensure!(
                    votes_granted(run, 2)
                        .iter()
                        .any(|v| v.what == (C, B) && v.time < 1_500_000),
                    "C did not vote for B in term 2 before the power cut"
                );
                ensure!(
                    run.delivered::<Election>().iter().any(|m| m.node == C
                        && m.what.0 == D
                        && m.time > 1_630_000
                        && matches!(m.what.2, election::Msg::RequestVote { term: 2, .. })),
                    "D's request for term 2 did not reach C after it booted"
                );
                ensure!(
                    run.sent::<Election>().iter().any(|m| m.node == C
                        && m.what.0 == D
                        && m.what.1
                            == election::Msg::Vote {
                                term: 2,
                                granted: false
                            }),
                    "C did not refuse D"
                );
                Ok(())
            },
        )],
        "bounded-delay" => vec![claim(
            WithFix,
            &[
                "floods the link into B for 300 ms",
                "up to 300 ms late",
                "On time, 10 ms after they are sent",
            ],
            move |run| {
                let (at, node, duration) = flood(run)?;
                ensure!(node == B && duration == 300 * MS, "{node:?} for {duration} µs");
                let during: Vec<Micros> = heartbeats_arrived(run)
                    .iter()
                    .filter(|&&(to, _, sent, _)| to == B && sent >= at && sent <= at + duration)
                    .map(|&(_, _, sent, arrived)| arrived - sent)
                    .collect();
                ensure!(
                    !during.is_empty() && during.iter().all(|&took| took == 10 * MS),
                    "{during:?}"
                );
                Ok(())
            },
        )],
        _ => Vec::new(),
    }
}
