//! The text panels: the narration, and the inspector (selected event, findings, properties).

use std::rc::Rc;

use yew::prelude::*;

use super::stage::{apply_faults, StageHandle};
use super::state::{Action, AppState, Guide};
use super::timeline_view::{clock_text, vector_text};
use crate::detect::{seconds, PropertyClass};
use crate::live::Flight;
use crate::render::timeline::Axis;
use crate::scenarios::Scenario;
use crate::sim::units::{signed_duration, signed_ppm};
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
    pub run_error: Option<String>,
    pub notice: Option<String>,
    pub stage: StageHandle,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[function_component(NarrationPanel)]
pub fn narration_panel(props: &NarrationProps) -> Html {
    let state = props;
    let Some(scenario) = props.scenario.as_deref() else {
        return html! {};
    };
    let lines = scenario.narration().take(state.narration);
    let on_guided = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            dispatch.dispatch(Action::SetGuided(input.checked()));
        })
    };
    let guide = guide_card(props, scenario);
    html! {
        <section class="region panel narration" aria-label="Narration">
            <div class="region-head">
                <h2 class="region-title">{ "Narration" }</h2>
                <label class="guided-toggle" title="Stop before the key moment to predict what happens, and on the anomaly to explain it">
                    <input type="checkbox" class="guided" checked={state.guided} onchange={on_guided} />
                    { "Guided" }
                </label>
            </div>
            { guide }
            if let Some(error) = &state.run_error {
                <p class="error" role="alert">{ format!("This run could not start: {error}") }</p>
            }
            if let Some(notice) = &state.notice {
                <p class="notice" role="status">{ notice.clone() }</p>
            }
            <p class="narration-scenario">{ scenario.title.clone() }</p>
            <p class="lesson">{ scenario.lesson.clone() }</p>
            <ol class="narration-lines" aria-live="polite">
                { for lines.map(|line| html! {
                    <li><span class="at">{ seconds(line.at_us) }</span>{ " " }{ line.text.clone() }</li>
                }) }
            </ol>
            if state.narration == 0 {
                <p class="muted">{ "Press Play (or Step) to run the scenario." }</p>
            }
        </section>
    }
}

/// The guided tour's card: the question before the key moment, the verdict and explanation
/// after an answer, the meaning of the anomaly once it shows.
fn guide_card(props: &NarrationProps, scenario: &Scenario) -> Html {
    let state = props;
    if !state.guided {
        return html! {};
    }
    let proceed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Continue))
    };
    let prediction = &scenario.prediction;
    match state.guide {
        Guide::Predicting => {
            let choices = prediction.choices.iter().enumerate().map(|(i, choice)| {
                let dispatch = props.dispatch.clone();
                let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Answer(i)));
                html! { <li><button type="button" class="choice" {onclick}>{ choice.clone() }</button></li> }
            });
            html! {
                <div class="guide-card" role="dialog" aria-label="Predict what happens next">
                    <p class="guide-kicker">{ "What happens next?" }</p>
                    <p class="guide-question">{ prediction.question.clone() }</p>
                    <ol class="choices">{ for choices }</ol>
                </div>
            }
        }
        Guide::Answered(choice) => {
            let right = choice == prediction.answer;
            let answer = prediction
                .choices
                .get(prediction.answer)
                .cloned()
                .unwrap_or_default();
            html! {
                <div class="guide-card" role="dialog" aria-label="Your prediction">
                    <p class={classes!("guide-verdict", if right { "right" } else { "wrong" })}>
                        { if right { "✓ Right: ".to_string() } else { format!("✗ Not quite. The answer: {answer}. ") } }
                    </p>
                    <p>{ prediction.explanation.clone() }</p>
                    <button type="button" class="button continue" onclick={proceed}>{ "Watch it happen" }</button>
                </div>
            }
        }
        Guide::Explaining => {
            let finding = props.stage.read().and_then(|stage| {
                // The newest finding is the one playback stopped on: findings only ever join
                // the end of the list.
                stage.run.findings().last().cloned()
            });
            let Some(finding) = finding else {
                return html! {};
            };
            html! {
                <div class="guide-card" role="dialog" aria-label="What just happened">
                    <p class="guide-kicker">{ format!("Just now: {}", finding.kind.label()) }</p>
                    <p>{ finding.summary.clone() }</p>
                    <p>{ scenario.explanation(finding.kind).to_string() }</p>
                    <p class="guide-fix">{ format!("The fix, “{}”: {} Its cost: {}", scenario.fix.label,
                        scenario.fix.explanation, scenario.fix.cost) }</p>
                    <button type="button" class="button continue" onclick={proceed}>{ "Continue" }</button>
                </div>
            }
        }
        _ => html! {},
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
    let guard = props.stage.read();
    let Some(stage) = guard.as_deref() else {
        return html! {
            <aside class="region panel inspector" aria-label="Inspector">
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
                        <dd>{ format!("{} · {}", signed_duration(n.offset_us), signed_ppm(n.drift_ppm)) }</dd>
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
        <aside class="region panel inspector" aria-label="Inspector">
            <h2 class="region-title">{ "Inspector" }</h2>
            <div class="hunt-slot" ref={props.hunt_slot.clone()}></div>
            { node.unwrap_or_default() }
            { selected }
            <h3>{ "Findings" }</h3>
            if found.is_empty() {
                <p class="muted">{ "Nothing has gone wrong so far." }</p>
            } else {
                <ul class="findings">{ for findings }</ul>
            }
            <h3>{ "Properties" }</h3>
            <ul class="properties">{ for properties }</ul>
            <h3>{ format!("Messages in flight ({})", flights.len()) }</h3>
            if flights.is_empty() {
                <p class="muted">{ "Nothing on the wire right now." }</p>
            } else {
                <ul class="flights">{ for flight_items }</ul>
            }
        </aside>
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
