//! The controls bar: scenario picker, playback, speed and seed.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::icons::{Icon, IconSvg};
use super::state::{Action, AppState, Scenario, Speed};

#[derive(Properties, PartialEq)]
pub struct ControlsBarProps {
    pub state: AppState,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Shown on playback controls while there is nothing to play.
const NO_SIMULATION: &str = "No simulation is loaded yet";

#[function_component(ControlsBar)]
pub fn controls_bar(props: &ControlsBarProps) -> Html {
    let state = &props.state;

    let on_scenario = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(scenario) = Scenario::from_id(&select.value()) {
                dispatch.dispatch(Action::SelectScenario(scenario));
            }
        })
    };
    let on_speed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let position = input
                .value()
                .parse::<u8>()
                .unwrap_or(Speed::DEFAULT.position());
            dispatch.dispatch(Action::SetSpeed(Speed::from_position(position)));
        })
    };
    let on_seed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dispatch.dispatch(Action::EditSeed(input.value()));
        })
    };
    let on_play = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::TogglePlay))
    };

    let play_label = if state.playing { "Pause" } else { "Play" };
    html! {
        <header class="controls" aria-label="Simulation controls">
            <div class="brand">
                <img class="brand-mark" src="assets/favicon.svg" alt="" width="28" height="28" />
                <h1 class="brand-name">{ "Faultline" }</h1>
            </div>
            <label class="control">
                <span class="control-label">{ "Scenario" }</span>
                <select class="scenario-picker" onchange={on_scenario}>
                    { for Scenario::ALL.iter().map(|s| html! {
                        <option value={s.id()} selected={*s == state.scenario}>{ s.title() }</option>
                    }) }
                </select>
            </label>
            <div class="control playback" role="group" aria-label="Playback">
                <button class="button play" type="button" aria-pressed={state.playing.to_string()}
                    onclick={on_play} disabled=true title={NO_SIMULATION}>
                    <IconSvg icon={if state.playing { Icon::Pause } else { Icon::Play }} />
                    { play_label }
                </button>
                <button class="button step" type="button" disabled=true title={NO_SIMULATION}>
                    <IconSvg icon={Icon::Step} />{ "Step" }
                </button>
            </div>
            <label class="control speed">
                <span class="control-label">{ "Speed" }</span>
                <input type="range" min="0" max={Speed::MAX_POSITION.to_string()} step="1"
                    value={state.speed.position().to_string()} oninput={on_speed}
                    aria-valuetext={state.speed.label()} />
                <output class="speed-value">{ state.speed.label() }</output>
            </label>
            <label class="control seed">
                <span class="control-label">{ "Seed" }</span>
                <input class="seed-input" type="text" inputmode="numeric" spellcheck="false"
                    value={state.seed_input.clone()} oninput={on_seed}
                    aria-invalid={state.seed_error.is_some().to_string()}
                    aria-describedby="seed-error" />
            </label>
            <p id="seed-error" class="seed-error" role="alert">
                { state.seed_error.clone().unwrap_or_default() }
            </p>
        </header>
    }
}
