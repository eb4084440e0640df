//! The text panels: the narration, and the inspector (selected event, findings, properties).

use std::rc::Rc;

use yew::prelude::*;

use super::roving::{use_roving, Roving};
use super::stage::{
    apply_faults, not_carried_notice, FaultOrigin, FaultRefused, Stage, StageHandle,
};
use super::state::{Action, AppState, Guide, Hint};
use super::timeline_view::{clock_text, vector_text};
use crate::detect::{seconds, PropertyClass};
use crate::live::Flight;
use crate::render::timeline::Axis;
use crate::scenarios::Scenario;
use crate::sim::units::signed_ppm;
use crate::sim::{Command, EventId, NodeId, Row};

/// The inspector lists at most this many messages in flight (the oldest first).
const MAX_FLIGHTS_LISTED: usize = 12;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The scenario on stage, with its fix on or off (none if the picked one cannot be found).
    pub scenario: Option<Rc<Scenario>>,
    /// How many narration lines are due.
    pub narration: usize,
    pub guided: bool,
    pub guide: Guide,
    /// Whether a first vote is followed by discussing and voting again.
    pub discuss: bool,
    /// Play was pressed at a question: the card says to answer first.
    pub answer_first: bool,
    /// The stage revision and whether the run has ended: the guide card reads the stage.
    pub revision: (u64, bool),
    /// The seed the run uses: the story's figures hold for the scenario's own seed only.
    pub seed: u64,
    /// Faults were applied by hand: the story's figures are of the scenario's own run.
    pub changed_by_hand: bool,
    pub run_error: Option<String>,
    pub notice: Option<String>,
    /// The autosaved run on offer (in words), when the address named another scenario.
    pub offered: Option<String>,
    pub stage: StageHandle,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// How close to the bottom (CSS px) the narration counts as scrolled to its newest line.
const AT_BOTTOM_PX: i32 = 12;

#[function_component(NarrationPanel)]
pub fn narration_panel(props: &NarrationProps) -> Html {
    let state = props;
    let panel = use_node_ref();
    // Whether the reader is following the newest line: they are until they scroll up, and are
    // again once they scroll back down to it.
    let following = use_mut_ref(|| true);
    // Where the panel was last scrolled to: only a scroll up stops the following (the story
    // growing below, or this panel scrolling itself down, does not).
    let last_top = use_mut_ref(|| 0);
    {
        let (panel, following) = (panel.clone(), following.clone());
        use_effect_with(
            (props.narration, props.revision.1),
            move |&(count, ended)| {
                let panel = panel.cast::<web_sys::Element>();
                // The recap, once a guided run has ended, is the lesson's last word: shown always.
                let recap = panel
                    .as_ref()
                    .filter(|_| ended)
                    .and_then(|panel| panel.query_selector(".recap").ok().flatten());
                if count == 0 {
                    *following.borrow_mut() = true;
                } else if let Some(recap) = recap {
                    recap.scroll_into_view_with_bool(true);
                } else if *following.borrow() {
                    let newest = panel.and_then(|panel| {
                        panel
                            .query_selector(".narration-lines li:last-child")
                            .ok()
                            .flatten()
                    });
                    if let Some(newest) = newest {
                        newest.scroll_into_view_with_bool(false);
                    }
                }
            },
        );
    }
    let on_scroll = {
        let (panel, following) = (panel.clone(), following.clone());
        Callback::from(move |_: Event| {
            if let Some(panel) = panel.cast::<web_sys::Element>() {
                let top = panel.scroll_top();
                let gap = panel.scroll_height() - top - panel.client_height();
                if gap <= AT_BOTTOM_PX {
                    *following.borrow_mut() = true;
                } else if top < *last_top.borrow() {
                    *following.borrow_mut() = false;
                }
                *last_top.borrow_mut() = top;
            }
        })
    };
    let Some(scenario) = props.scenario.as_deref() else {
        return html! {};
    };
    // A story is written for its scenario's seed: at another, its figures are that seed's.
    // A story is told of its scenario's own run: at another seed, or with faults applied by
    // hand, its figures are that run's.
    let written_for = (state.seed != scenario.config.seed).then_some(scenario.config.seed);
    let caveat = match written_for {
        Some(seed) => Some(seed_caveat(seed, state.seed)),
        None if state.changed_by_hand => Some(
            "You changed this run by hand: the story tells the scenario's own run, so its \
             figures (marked) may not match what you see."
                .to_string(),
        ),
        None => None,
    };
    let mark = match written_for {
        Some(seed) => Some(format!("as in seed {seed}")),
        None => state
            .changed_by_hand
            .then(|| "as in the scenario's own run".to_string()),
    };
    let lines = scenario.narration().take(state.narration);
    let on_guided = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            dispatch.dispatch(Action::SetGuided(input.checked()));
        })
    };
    let guide = guide_card(props, scenario, mark.as_deref());
    html! {
        // Focusable, so it scrolls from the keyboard (arrows, Page Up and Down, Home, End).
        <section class="region panel narration" aria-label="Narration" tabindex="0" ref={panel}
            onscroll={on_scroll}>
            <div class="region-head">
                <h2 class="region-title">{ "Narration" }</h2>
                <label class="guided-toggle" title="A lesson: stop just before the answer shows to predict it, then find and explain where it went wrong">
                    <input type="checkbox" class="guided" checked={state.guided} onchange={on_guided} />
                    { "Guided" }
                </label>
            </div>
            { guide }
            if let Some(error) = &state.run_error {
                <p class="error" role="alert">{ super::stage::cannot_start(error) }</p>
            }
            if let Some(notice) = &state.notice {
                <p class="notice" role="status">{ notice.clone() }</p>
            }
            if let Some(offered) = &state.offered {
                <div class="notice offer" role="status">
                    <p>{ format!("The address opened this scenario. Your autosaved run, {offered}, is kept in this browser.") }</p>
                    <button type="button" class="button small" onclick={take_offer(props, true)}>{ "Open my autosaved run" }</button>
                    <button type="button" class="button small" onclick={take_offer(props, false)}>{ "Dismiss" }</button>
                </div>
            }
            <p class="narration-scenario">{ scenario.title.clone() }</p>
            <p class="lesson">{ scenario.lesson.clone() }</p>
            if let Some(caveat) = caveat {
                <p class="seed-caveat" role="note">{ caveat }</p>
            }
            <ol class="narration-lines" aria-live="polite">
                { for lines.map(|line| html! {
                    <li><span class="at">{ seconds(line.at_us) }</span>{ " " }{ story_text(&line.text, mark.as_deref()) }</li>
                }) }
            </ol>
            if state.narration == 0 {
                <p class="muted">{ "Press Play (or Step) to run the scenario." }</p>
            }
            { recap_card(props, scenario, mark.as_deref()) }
        </section>
    }
}

/// What the story's figures are at another seed than the one it was written for.
pub fn seed_caveat(written_for: u64, running: u64) -> String {
    format!(
        "This story was written for seed {written_for}. You are running seed {running}: the run \
         takes its own course, so the story's figures (marked) are seed {written_for}'s and may \
         not match what you see."
    )
}

/// Whether `c` can be part of a word such as a name ("12A", "Zürich2"): an ASCII letter or digit,
/// or a letter beyond ASCII (anything from U+00C0 on but the multiplication and division signs
/// and the punctuation, arrows and symbols of U+2000–U+2BFF). `char::is_alphanumeric` would
/// bring Unicode's tables (several KB) into the bundle for the same answer on lesson text.
fn in_a_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (c >= '\u{c0}' && c != '×' && c != '÷' && !('\u{2000}'..='\u{2bff}').contains(&c))
}

/// Splits a story's text into plain words and figures (numbers, with a unit if one follows):
/// `(true, "1.125 s")` is a figure.
pub fn figures(text: &str) -> Vec<(bool, &str)> {
    const UNITS: [&str; 6] = [" ms", " µs", " s", " %", " ppm", " min"];
    let mut parts = Vec::new();
    let (mut plain, mut at) = (0, 0);
    let bytes = text.as_bytes();
    while at < text.len() {
        let starts = bytes[at].is_ascii_digit()
            && (at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_'));
        if !starts {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let mut end = at;
        while end < text.len()
            && (bytes[end].is_ascii_digit()
                || ((bytes[end] == b'.' || bytes[end] == b',')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        // A number run into letters is a name ("12A"), not a figure.
        if text[end..].chars().next().is_some_and(in_a_word) {
            at = end;
            continue;
        }
        if let Some(unit) = UNITS.iter().find(|unit| {
            text[end..].starts_with(*unit)
                && text[end + unit.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !in_a_word(c))
        }) {
            end += unit.len();
        }
        if plain < at {
            parts.push((false, &text[plain..at]));
        }
        parts.push((true, &text[at..end]));
        (plain, at) = (end, end);
    }
    if plain < text.len() {
        parts.push((false, &text[plain..]));
    }
    parts
}

/// A story's text as shown: at the seed it was written for, as it is; at another, each figure
/// marked as the written-for seed's.
fn story_text(text: &str, mark: Option<&str>) -> Html {
    let Some(title) = mark else {
        return html! { { text.to_string() } };
    };
    let parts = figures(text).into_iter().map(|(figure, part)| {
        if figure {
            html! { <span class="seed-figure" title={title.to_string()}>{ part.to_string() }</span> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { <>{ for parts }</> }
}

fn take_offer(props: &NarrationProps, take: bool) -> Callback<MouseEvent> {
    let dispatch = props.dispatch.clone();
    Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::TakeOffer(take)))
}

/// The guided lesson's card: the question just before its answer shows (vote, discuss, vote
/// again), the verdict and why, the hunt for the event where it went wrong, what it means,
/// and a recap once the run has ended.
fn guide_card(props: &NarrationProps, scenario: &Scenario, mark: Option<&str>) -> Html {
    if !props.guided {
        return html! {};
    }
    let Some(stage) = props.stage.read() else {
        return html! {};
    };
    let send = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };
    let question = stage.question();
    let choice = |i: usize| question.choices.get(i).cloned().unwrap_or_default();
    let buttons = |voted: Option<usize>| {
        let order = question.order(props.seed, &scenario.id);
        let items = order.into_iter().map(|i| {
            let class = classes!("choice", (voted == Some(i)).then_some("voted"));
            html! { <li><button type="button" {class} onclick={send(Action::Answer(i))}>{ choice(i) }</button></li> }
        });
        html! { <ol class="choices">{ for items }</ol> }
    };
    let card = |label: &'static str, kind: &'static str, body: Html| {
        html! {
            <div class={classes!("guide-card", kind)} role="dialog" aria-label={label}>{ body }</div>
        }
    };
    match props.guide {
        Guide::Predicting { first } => {
            // The question; after a first vote (when the room discusses), the same choices
            // again with that vote marked.
            let on_discuss = {
                let dispatch = props.dispatch.clone();
                Callback::from(move |event: Event| {
                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                    dispatch.dispatch(Action::SetDiscuss(input.checked()));
                })
            };
            let (label, kicker) = match first {
                None => ("Predict what happens next", "What happens next?"),
                Some(_) => (
                    "Discuss, then vote again",
                    "Discuss with your neighbour, then vote again",
                ),
            };
            card(
                label,
                "asking",
                html! { <>
                    <p class="guide-kicker">{ kicker }</p>
                    <p class="guide-question">{ question.question.clone() }</p>
                    if let Some(first) = first {
                        <p class="first-vote">{ ["First vote: ", &choice(first)].concat() }</p>
                    }
                    { buttons(first) }
                    if props.answer_first {
                        <p class="guide-hint" role="status">{ Hint::AnswerFirst.text() }</p>
                    }
                    <div class="guide-actions">
                        if first.is_none() {
                            <label class="discuss-toggle">
                                <input type="checkbox" class="discuss" checked={props.discuss} onchange={on_discuss} />
                                { "Discuss, then vote again" }
                            </label>
                            <button type="button" class="button small reveal" onclick={send(Action::Reveal)}>{ "Reveal the answer" }</button>
                            <button type="button" class="button small skip" onclick={send(Action::SkipQuestion)}>{ "Skip the question" }</button>
                        } else {
                            <button type="button" class="button small reveal" onclick={send(Action::SkipDiscussion)}>{ "Reveal without voting again" }</button>
                        }
                    </div>
                </> },
            )
        }
        // The answer: after the votes, with them and the verdict; or revealed without a vote.
        Guide::Answered { .. } | Guide::Revealed => {
            let (label, votes, right) = match props.guide {
                Guide::Answered { first, second } => {
                    let votes = match second {
                        Some(second) if second != first => format!(
                            "You voted “{}”, then, after discussing, “{}”.",
                            choice(first),
                            choice(second)
                        ),
                        Some(_) => format!("You voted “{}” both times.", choice(first)),
                        None => format!("You voted “{}”.", choice(first)),
                    };
                    let right = second.unwrap_or(first) == question.answer;
                    ("Your prediction", Some(votes), right)
                }
                _ => ("The answer", None, false),
            };
            let verdict = match (&votes, right) {
                (Some(_), true) => "✓ Right.".to_string(),
                (Some(_), false) => {
                    format!("✗ Not quite. The answer: {}.", choice(question.answer))
                }
                (None, _) => ["The answer: ", &choice(question.answer), "."].concat(),
            };
            let tone = if right || votes.is_none() {
                "right"
            } else {
                "wrong"
            };
            card(
                label,
                "answered",
                html! { <>
                    if let Some(votes) = votes {
                        <p class="votes">{ votes }</p>
                    }
                    <p class={classes!("guide-verdict", tone)}>{ verdict }</p>
                    <p>{ story_text(&question.explanation, mark) }</p>
                    <button type="button" class="button continue" onclick={send(Action::Continue)}>{ "Watch it happen" }</button>
                </> },
            )
        }
        Guide::Observing { picked } => {
            let Some(finding) = stage.anomaly_found() else {
                return html! {};
            };
            let target = finding.events.last().copied().unwrap_or(EventId(0));
            let show_me = send(Action::ShowAnomaly(target));
            match picked {
                Some(event) if stage.shows_anomaly(event) => {
                    explained(props, scenario, &finding, true)
                }
                picked => {
                    let miss = picked.and_then(|event| stage.run.details(event)).map(|d| {
                        format!(
                            "✗ Not that one: you picked {} at {}: {}.",
                            stage.node_title(d.node),
                            seconds(d.time),
                            d.description
                        )
                    });
                    let hint = stage.run.details(target).map(|d| {
                        format!(
                            "Look on {}'s line, at {}.",
                            stage.node_title(d.node),
                            seconds(d.time)
                        )
                    });
                    card(
                        "Find where it went wrong",
                        "observing",
                        html! { <>
                            <p class="guide-kicker">{ format!("Something went wrong: {}", finding.kind.label()) }</p>
                            <p class="guide-question">{ "Click the event where it went wrong on the diagram (or focus the diagram and pick it with ← and →)." }</p>
                            if let Some(miss) = miss {
                                <p class="guide-verdict wrong" role="status">{ miss }</p>
                                <p class="guide-hint">{ hint.unwrap_or_default() }</p>
                            }
                            <div class="guide-actions">
                                <button type="button" class="button small show-me" onclick={show_me}
                                data-event={target.index().to_string()}>{ "Show me" }</button>
                            </div>
                        </> },
                    )
                }
            }
        }
        Guide::Explaining { found } => match stage.anomaly_found() {
            Some(finding) => explained(props, scenario, &finding, found),
            None => html! {},
        },
        _ => html! {},
    }
}

/// The recap once a guided run has ended: what went wrong, the fix and its cost, and where
/// the lesson comes from. Below the story, as its last word.
fn recap_card(props: &NarrationProps, scenario: &Scenario, mark: Option<&str>) -> Html {
    if !props.guided || !props.revision.1 || props.guide.asking() || props.guide.holding() {
        return html! {};
    }
    let source = (!scenario.source.is_empty()).then(|| scenario.source.clone());
    // The headings the printed handouts' recap says too (`handout`).
    let [wrong, fix, cost] = crate::scenarios::RECAP_HEADINGS;
    html! {
        <div class="guide-card recap" role="dialog" aria-label="Recap">
            <p class="guide-kicker">{ "Recap" }</p>
            <dl class="recap-lines">
                <dt>{ wrong }</dt><dd>{ scenario.lesson.clone() }</dd>
                <dt>{ fix }</dt><dd>{ scenario.fix.label.clone() }</dd>
                <dt>{ cost }</dt><dd>{ story_text(&scenario.fix.cost, mark) }</dd>
            </dl>
            if let Some(source) = source {
                <p class="recap-source">{ format!("From {source}.") }</p>
            }
            // The printed handouts (`ui::handout`), each lesson's linked from their contents.
            // One static link: a lesson's own address here would cost the bundle 300 bytes.
            <a class="recap-handout" target="_blank" href="handouts/index.html">{ "Handouts to print" }</a>
        </div>
    }
}

/// The anomaly explained: whether the person found its event, what it means here, the fix.
fn explained(
    props: &NarrationProps,
    scenario: &Scenario,
    finding: &crate::detect::Finding,
    found: bool,
) -> Html {
    let proceed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Continue))
    };
    html! {
        <div class="guide-card explaining" role="dialog" aria-label="What just happened">
            if found {
                <p class="guide-verdict right" role="status">{ "✓ Yes: that is where it went wrong." }</p>
            }
            <p class="guide-kicker">{ format!("Just now: {}", finding.kind.label()) }</p>
            <p>{ finding.summary.clone() }</p>
            <p>{ scenario.explanation(finding.kind).to_string() }</p>
            <p class="guide-fix">{ format!("The fix, “{}”: {} Its cost: {}", scenario.fix.label,
                scenario.fix.explanation, scenario.fix.cost) }</p>
            <button type="button" class="button continue" onclick={proceed}>{ "Continue" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub selected: Option<EventId>,
    /// The node the inspector shows.
    pub inspected: Option<NodeId>,
    pub axis: Axis,
    /// The stage revision and the step: what the inspector shows of the run changes with either.
    pub revision: (u64, u64),
    pub stage: StageHandle,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// Where the hunt panel is shown, first, when it is open (what it finds is listed below
    /// it). The app renders the panel into it through a portal, so the hunt's progress redraws
    /// the panel alone, not the whole inspector.
    pub hunt_slot: NodeRef,
}

#[function_component(InspectorPanel)]
pub fn inspector_panel(props: &InspectorProps) -> Html {
    let findings_list = use_node_ref();
    let faults_list = use_node_ref();
    let flights_list = use_node_ref();
    let findings_roving = use_roving(findings_list.clone(), "button");
    let faults_roving = use_roving(faults_list.clone(), "button");
    let flights_roving = use_roving(flights_list.clone(), "button");
    let guard = props.stage.read();
    let Some(stage) = guard.as_deref() else {
        return html! {
            <aside class="region panel inspector" aria-label="Inspector" tabindex="0">
                <h2 class="region-title">{ "Inspector" }</h2>
                <div class="hunt-slot" ref={props.hunt_slot.clone()}></div>
            </aside>
        };
    };
    let selected = props
        .selected
        .and_then(|event| stage.run.details(event))
        .map(|d| {
            let name = stage.names.get(d.node.index()).cloned().unwrap_or_default();
            let vector = stage.names.iter().zip(&d.vector_clock).map(|(n, v)| html! {
                <span class="vector-entry"><abbr title={format!("node {n}")}>{ n.clone() }</abbr>{ format!(" {v}") }</span>
            });
            html! {
                <section class="selected-event" aria-live="polite">
                    <h3>{ format!("Event #{} on {name}", d.event.0) }</h3>
                    <p class="event-description">{ d.description.clone() }</p>
                    <dl>
                        <dt>{ "True time" }</dt><dd>{ seconds(d.time) }</dd>
                        <dt>{ format!("{name}'s clock") }</dt><dd>{ clock_text(d.time_of_day) }</dd>
                        <dt>{ "Lamport" }</dt><dd class="lamport">{ d.lamport }</dd>
                        <dt>{ "Vector clock" }</dt>
                        <dd class="vector-clock" aria-label={format!("[{}]", vector_text(&d.vector_clock))}>{ for vector }</dd>
                    </dl>
                    <p class="causal-counts">{ format!(
                        "{} events happened before it, {} after it, {} concurrently.",
                        d.past, d.future, d.concurrent
                    ) }</p>
                </section>
            }
        })
        .unwrap_or_else(|| html! {
            <p class="muted">{ "Click an event in the timeline (or focus it and press → ) to see its causal past and future, its Lamport timestamp and its vector clock." }</p>
        });
    let node = props
        .inspected
        .and_then(|node| stage.run.node_summary(node))
        .map(|n| {
            let role = if n.leader { " · leader" } else { "" };
            html! {
                <section class="selected-node" aria-live="polite">
                    <h3>{ format!("{} · {}{role}", stage.node_title(n.node), n.status.label()) }</h3>
                    <dl>
                        <dt>{ "Clock (time of day)" }</dt><dd class="node-clock">{ clock_text(n.time_of_day) }</dd>
                        <dt>{ "Offset · drift" }</dt>
                        <dd>{ format!("{} · {}", n.offset, signed_ppm(n.drift_ppm)) }</dd>
                        <dt>{ "Monotonic" }</dt><dd>{ format!("{:.3} s", n.monotonic as f64 / 1e6) }</dd>
                        <dt>{ "Uncertainty" }</dt><dd>{ format!("± {} ms", n.uncertainty_us as f64 / 1000.0) }</dd>
                        if let Some(until) = n.flooded_until {
                            <dt>{ "Incoming link" }</dt>
                            <dd class="flooded">{ format!("busy with outside traffic until {}: messages wait", seconds(until)) }</dd>
                        }
                    </dl>
                    <h4 class="state-title">{ "In memory" }</h4>
                    { n.memory.map_or_else(|| html! { <p class="muted">{ "Lost in the crash." }</p> }, |rows| state_table(&rows)) }
                    <h4 class="state-title">{ "On disk" }</h4>
                    { state_table(&n.disk) }
                    { n.synced.map(|rows| html! { <>
                        <h4 class="state-title unsynced">{ "Synced: what a power cut would leave" }</h4>
                        <p class="muted">{ "Some writes above are still in the operating system's cache, not yet synced to disk." }</p>
                        { state_table(&rows) }
                    </> }).unwrap_or_default() }
                </section>
            }
        });
    let flights = stage.run.in_flight();
    let flight_items = flights.iter().take(MAX_FLIGHTS_LISTED).map(|Flight { message: flight, payload }| {
        let act = |fault: Command<()>| {
            let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
            Callback::from(move |_: MouseEvent| apply_faults(&stage, &dispatch, vec![fault.clone()]))
        };
        let name = |n: NodeId| stage.names.get(n.index()).cloned().unwrap_or_default();
        let label = format!("#{} {}→{}", flight.id.0, name(flight.from), name(flight.to));
        html! {
            <li class={classes!("flight", flight.doomed.then_some("doomed"))}>
                <span class="flight-label">{ label.clone() }</span>
                <span class="flight-payload">{ payload.clone() }</span>
                <span class="flight-actions">
                    <button type="button" onclick={act(Command::DropMessage { msg: flight.id })}
                        aria-label={format!("Drop message {label}")}>{ "Drop" }</button>
                    <button type="button" onclick={act(Command::DuplicateMessage { msg: flight.id })}
                        aria-label={format!("Duplicate message {label}")}>{ "Duplicate" }</button>
                </span>
            </li>
        }
    });
    let fault_log = fault_log(props, stage, faults_list, faults_roving);
    let found = stage.run.findings();
    let findings = found.iter().map(|finding| {
        let last = finding.events.iter().max().copied();
        let (stage_handle, dispatch, axis) =
            (props.stage.clone(), props.dispatch.clone(), props.axis);
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(event) = last {
                jump_to(&stage_handle, &dispatch, event, axis);
            }
        });
        html! {
            <li>
                <button type="button" class="finding-link" {onclick}
                    title={stage.scenario.explanation(finding.kind).to_string()}>
                    <span class="finding-kind">{ finding.kind.label() }</span>
                    { format!(" at {}: {}", seconds(finding.time), finding.summary) }
                </button>
            </li>
        }
    });
    let properties = stage.run.properties().into_iter().map(|(property, held)| {
        let class = match property.class {
            PropertyClass::Safety => "safety",
            PropertyClass::Liveness => "liveness",
        };
        html! {
            <li class={classes!("property", class, if held { "held" } else { "violated" })}>
                { if held { "✓ " } else { "✗ " } }{ property.name }
            </li>
        }
    });
    html! {
        // Focusable, so it scrolls from the keyboard; each of its lists is one stop for the Tab
        // key, the arrows moving within it.
        <aside class="region panel inspector" aria-label="Inspector" tabindex="0">
            <h2 class="region-title">{ "Inspector" }</h2>
            <div class="hunt-slot" ref={props.hunt_slot.clone()}></div>
            { node.unwrap_or_default() }
            { selected }
            <h3>{ "Findings" }</h3>
            if found.is_empty() {
                <p class="muted">{ "Nothing has gone wrong so far." }</p>
            } else {
                <ul class="findings" ref={findings_list} onkeydown={findings_roving.onkeydown}
                    onfocusin={findings_roving.onfocusin}>{ for findings }</ul>
            }
            { fault_log }
            <h3>{ "Properties" }</h3>
            <ul class="properties">{ for properties }</ul>
            <h3>{ format!("Messages in flight ({})", flights.len()) }</h3>
            if flights.is_empty() {
                <p class="muted">{ "Nothing on the wire right now." }</p>
            } else {
                <ul class="flights" ref={flights_list} onkeydown={flights_roving.onkeydown}
                    onfocusin={flights_roving.onfocusin}>{ for flight_items }</ul>
            }
        </aside>
    }
}

/// The fault log lists at most this many faults (the newest).
const MAX_FAULTS_LISTED: usize = 100;

/// Every fault the run has taken so far, in time order and in words, scripted by the scenario,
/// applied by hand or found by a hunt; each selects its event on the timeline, and those applied
/// by hand can be undone (the others replay at their times).
fn fault_log(props: &InspectorProps, stage: &Stage, list: NodeRef, roving: Roving) -> Html {
    let taken = stage.run.faults_taken();
    let log = stage.run.fault_log();
    let shown = taken.len().saturating_sub(MAX_FAULTS_LISTED);
    let items = taken[shown..].iter().map(|fault| {
        let origin = stage.origin(fault.logged, &log);
        let select = {
            let (stage, dispatch, axis, event) =
                (props.stage.clone(), props.dispatch.clone(), props.axis, fault.event);
            Callback::from(move |_: MouseEvent| jump_to(&stage, &dispatch, event, axis))
        };
        let undo = fault.logged.filter(|_| origin == FaultOrigin::ByHand).map(|index| {
            let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
            let onclick = Callback::from(move |_: MouseEvent| undo_fault(&stage, &dispatch, index));
            html! {
                <button type="button" class="undo-fault" {onclick}
                    aria-label={format!("Undo {} at {}", fault.words, seconds(fault.time))}>{ "Undo" }</button>
            }
        });
        html! {
            <li class={classes!("fault-entry", origin.label().replace(' ', "-"))}>
                <button type="button" class="fault-link" onclick={select}
                    title="Show it on the timeline">
                    <span class="at">{ seconds(fault.time) }</span>{ " " }{ fault.words.clone() }
                </button>
                <span class="fault-origin">{ origin.label() }</span>
                { undo.unwrap_or_default() }
            </li>
        }
    });
    html! { <>
        <h3>{ format!("Faults ({})", taken.len()) }</h3>
        if taken.is_empty() {
            <p class="muted">{ "No fault has taken effect yet." }</p>
        } else {
            if shown > 0 {
                <p class="muted">{ format!("The newest {MAX_FAULTS_LISTED}; {shown} earlier ones are on the timeline.") }</p>
            }
            <ol class="fault-log" ref={list} onkeydown={roving.onkeydown}
                onfocusin={roving.onfocusin}>{ for items }</ol>
        }
    </> }
}

/// Undoes entry `index` of the run's fault log: the run is rebuilt without it, at the same
/// moment (see [`Stage::without_fault`]).
fn undo_fault(stage: &StageHandle, dispatch: &UseReducerDispatcher<AppState>, index: usize) {
    let result = stage.change(|stage| {
        let (rebuilt, not_carried) = stage.without_fault(index)?;
        let notice = not_carried_notice("Undoing it", &not_carried, stage.run.names());
        let revision_put = stage.revision_put;
        *stage = rebuilt;
        stage.revision_put = revision_put;
        Ok::<_, crate::sim::ReplayError>(notice)
    });
    match result {
        Some((Ok(notice), revision)) => {
            dispatch.dispatch(Action::FaultApplied(revision));
            if let Some(notice) = notice {
                dispatch.dispatch(Action::Notice(notice));
            }
        }
        Some((Err(error), _)) => dispatch.dispatch(Action::Notice(format!(
            "That fault could not be undone: {error}."
        ))),
        None => dispatch.dispatch(Action::Notice(FaultRefused::Busy.to_string())),
    }
}

/// Selects `event` and scrolls the timeline to it.
fn jump_to(
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
    event: EventId,
    axis: Axis,
) {
    stage.with(|stage| stage.reveal(event, axis));
    dispatch.dispatch(Action::Select(Some(event)));
}

/// A node's state as the model's labelled rows; an empty table says so.
fn state_table(rows: &[Row]) -> Html {
    if rows.is_empty() {
        return html! { <p class="muted">{ "Nothing kept here." }</p> };
    }
    html! {
        <dl class="node-state">
            { for rows.iter().map(|r| html! { <><dt>{ r.label }</dt><dd>{ r.value.clone() }</dd></> }) }
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_numbers_with_their_units() {
        let parts =
            figures("B wins term 2 at 1.125 s; x = 1,500 ms, 20 % lost; 12A and A1 are names.");
        let marked: Vec<&str> = parts.iter().filter(|p| p.0).map(|p| p.1).collect();
        assert_eq!(marked, ["2", "1.125 s", "1,500 ms", "20 %"]);
        let whole: String = parts.iter().map(|p| p.1).collect();
        assert_eq!(
            whole,
            "B wins term 2 at 1.125 s; x = 1,500 ms, 20 % lost; 12A and A1 are names."
        );
        assert_eq!(
            figures("at 3 seconds"),
            [(false, "at "), (true, "3"), (false, " seconds")]
        );
        assert_eq!(figures("−40 µs"), [(false, "−"), (true, "40 µs")]);
    }

    /// At any seed but the one its story was written for, every figure a preset's story states
    /// is marked as that seed's, and the panel says so; at its own seed nothing is.
    #[test]
    fn at_another_seed_every_figure_of_every_story_is_marked_as_the_written_for_seeds() {
        for scenario in crate::scenarios::all() {
            let seed = scenario.config.seed;
            let caveat = seed_caveat(seed, seed + 1);
            assert!(
                caveat.contains(&format!("written for seed {seed}")),
                "{caveat}"
            );
            assert!(
                caveat.contains(&format!("running seed {}", seed + 1)),
                "{caveat}"
            );
            for fixed in [false, true] {
                let scenario = scenario.clone().with_fix(fixed);
                let texts = scenario
                    .narration()
                    .map(|line| line.text.as_str())
                    .chain([scenario.prediction.explanation.as_str()]);
                for text in texts {
                    let parts = figures(text);
                    assert_eq!(parts.iter().map(|p| p.1).collect::<String>(), text);
                    for (figure, part) in parts {
                        // Digits outside a figure only inside a name ("12A", "A1").
                        if !figure {
                            for word in part.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                                assert!(
                                    !word.contains(|c: char| c.is_ascii_digit())
                                        || word.contains(|c: char| c.is_alphabetic()),
                                    "{}: an unmarked figure “{word}” in “{text}”",
                                    scenario.id
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
