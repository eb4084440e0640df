//! The controls bar: scenario picker, playback, speed and seed.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::icons::{icon_svg, Icon};
use super::share_dialog::share_url;
use super::stage::StageHandle;
use super::state::{
    guided_step, presets, Action, AppState, ChallengeAction, Guide, Hint, HuntAction, Speed,
};
use crate::share::Comparison;

/// What the controls bar shows: only what it uses of the app state, so it re-renders only when
/// one of these changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlsView {
    /// The picker's choice: a preset's id, or `None` when the person's own scenario is on.
    pub picked: Option<String>,
    /// The person's own scenario's title, if one is on.
    pub custom_title: Option<String>,
    /// With a customised cluster, the title of the scenario on stage (a 16-node sandbox): the
    /// picker names the choice so.
    pub staged_title: Option<String>,
    pub customised: bool,
    /// The fix box: whether it is on, its label and what it does (presets without one have none).
    pub fix: Option<(bool, String, String)>,
    pub playing: bool,
    pub finished: bool,
    pub hint: Option<Hint>,
    pub can_back: bool,
    pub can_restart: bool,
    pub speed: Speed,
    pub seed_input: String,
    pub seed_error: Option<String>,
    /// The hunt panel is open.
    pub hunt_open: bool,
    /// A challenge is being played (the hunt is the machine's par then, not a button).
    pub challenged: bool,
    /// Where the guided lesson stands, when guided mode is on.
    pub guide: Option<Guide>,
    pub present: bool,
    /// Playback paced in cluster time (µs per second), if it is.
    pub pace: Option<u32>,
    /// What the run is compared with, if it is.
    pub compare: Option<Comparison>,
    /// The run has faults of its own (by hand, or a hunt's): it can be compared with the
    /// scenario's unbroken run.
    pub own_faults: bool,
    /// In an embed: the scenario's id, for the "Open in Faultline" link.
    pub embedded: Option<String>,
    /// The seed the scenario's story was written for, when the run is at another: the run can
    /// be compared with the story's.
    pub story_seed: Option<u64>,
}

impl ControlsView {
    pub fn of(state: &AppState) -> ControlsView {
        ControlsView {
            picked: state.custom.is_none().then(|| state.scenario.clone()),
            custom_title: state.custom.as_ref().map(|s| s.title.clone()),
            staged_title: state
                .cluster
                .as_ref()
                .and(state.staged_scenario())
                .map(|s| s.title),
            customised: state.cluster.is_some(),
            fix: state
                .base_scenario()
                .map(|s| (state.fix, s.fix.label, s.fix.explanation)),
            playing: state.playing,
            finished: state.progress.finished,
            hint: state.hint,
            can_back: state.can_go_back(),
            can_restart: state.can_restart(),
            speed: state.speed,
            seed_input: state.seed_input.clone(),
            seed_error: state.seed_error.clone(),
            hunt_open: state.hunt.open,
            challenged: state.challenge.is_some(),
            guide: state.guided.then_some(state.guide),
            present: state.present,
            pace: state.pace,
            compare: state.compare,
            own_faults: state.hand_faults || state.hunted.is_some(),
            embedded: state.embed.enabled.then(|| state.scenario.clone()),
            story_seed: state
                .base_scenario()
                .map(|s| s.config.seed)
                .filter(|&own| own != state.seed),
        }
    }
}

/// The paces playback can keep: events per second (the speed slider), or cluster time per
/// second (µs of true time per second of the clock on the wall).
const PACES: [(Option<u32>, &str); 4] = [
    (None, "by events"),
    (Some(1_000_000), "real time"),
    (Some(100_000), "1/10 real time"),
    (Some(10_000), "1/100 real time"),
];

#[derive(Properties, PartialEq)]
pub struct ControlsBarProps {
    pub view: ControlsView,
    pub stage: StageHandle,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// The step scrubber and the time readout, kept current by the frame loop.
    pub scrubber: NodeRef,
    pub readout: NodeRef,
}

#[function_component(ControlsBar)]
pub fn controls_bar(props: &ControlsBarProps) -> Html {
    let state = &props.view;
    // The picker and the fix box show the state, not the last click: a choice that would lose
    // work waits for a confirmation (and may be refused), so each handler puts the control back
    // as the state has it, and an effect moves it once the state has changed.
    let picker = use_node_ref();
    let shown = state.picked.clone().unwrap_or_default();
    {
        let picker = picker.clone();
        use_effect_with(shown.clone(), move |shown| {
            if let Some(select) = picker.cast::<HtmlSelectElement>() {
                select.set_value(shown);
            }
        });
    }
    let on_scenario = {
        let (dispatch, shown) = (props.dispatch.clone(), shown.clone());
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let chosen = select.value();
            select.set_value(&shown);
            dispatch.dispatch(Action::SelectScenario(chosen));
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
    let on_pace = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            dispatch.dispatch(Action::SetPace(select.value().parse().ok()));
        })
    };
    let on_present = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::TogglePresent))
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

    let on_step = {
        let (dispatch, stage) = (props.dispatch.clone(), props.stage.clone());
        let guide = props.view.guide;
        Callback::from(move |_| {
            dispatch.dispatch(Action::Pause);
            if let Some(action) = stage.with(|stage| guided_step(guide, stage)) {
                dispatch.dispatch(action);
            }
        })
    };
    let on_back = {
        let (dispatch, stage) = (props.dispatch.clone(), props.stage.clone());
        Callback::from(move |_| {
            dispatch.dispatch(Action::Pause);
            stage.with(|stage| stage.step_back());
        })
    };
    let on_scrub = {
        let (dispatch, stage) = (props.dispatch.clone(), props.stage.clone());
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Ok(step) = input.value().parse::<u64>() else {
                return;
            };
            dispatch.dispatch(Action::Pause);
            stage.with(|stage| stage.run.seek(step));
        })
    };
    let on_share = {
        let (dispatch, stage) = (props.dispatch.clone(), props.stage.clone());
        Callback::from(move |_| {
            dispatch.dispatch(Action::Pause);
            match share_url(&stage) {
                Some(link) => dispatch.dispatch(Action::ShareLink(Some(link))),
                None => dispatch.dispatch(Action::Notice("No run to share yet.".into())),
            }
        })
    };
    let on_course = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::Course(true)))
    };
    let on_cluster = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::ClusterDialog(true)))
    };
    let on_restart = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::Restart))
    };
    let on_hunt = {
        let (dispatch, open) = (props.dispatch.clone(), state.hunt_open);
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Hunt(HuntAction::Open(!open)))
        })
    };
    let on_challenges = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Challenge(ChallengeAction::Menu(true)))
        })
    };
    let on_fix = {
        let (dispatch, on) = (
            props.dispatch.clone(),
            state.fix.as_ref().is_some_and(|f| f.0),
        );
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let wanted = input.checked();
            input.set_checked(on);
            dispatch.dispatch(Action::SetFix(wanted));
        })
    };
    // Compare the run with another (or stop): a second press stops.
    let compare_with = |with: Comparison| {
        let (dispatch, now) = (props.dispatch.clone(), state.compare);
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Compare((now != Some(with)).then_some(with)));
        })
    };
    let compare_button = |with: Comparison,
                          class: &'static str,
                          label: &str,
                          title: &'static str,
                          disabled: bool| {
        html! {
            <button type="button" class={classes!("button", "small", class)} onclick={compare_with(with)}
                aria-pressed={(state.compare == Some(with)).to_string()} {title} {disabled}>{ label }</button>
        }
    };
    // On a small screen the settings fold away behind "More" (wider screens show them all).
    let more = use_state(|| false);
    let on_more = {
        let more = more.clone();
        Callback::from(move |_: MouseEvent| more.set(!*more))
    };
    let open_full = {
        let stage = props.stage.clone();
        Callback::from(move |event: MouseEvent| {
            // Yew hears events at the page's root: the link is the target's own anchor.
            let link = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a.open-full").ok().flatten());
            if let (Some(link), Some(url)) = (link, full_app_url(&stage)) {
                let _ = link.set_attribute("href", &url);
            }
        })
    };
    let staged_title = state.staged_title.clone();
    let finished = state.finished;
    let at_end = Hint::AtEnd.text();
    let play_label = if state.playing { "Pause" } else { "Play" };
    let (can_back, can_restart) = (state.can_back, state.can_restart);
    html! {
        <header class="controls" aria-label="Simulation controls">
            <div class="brand">
                <img class="brand-mark" src="assets/favicon.svg" alt="" width="28" height="28" />
                <h1 class="brand-name">{ "Faultline" }</h1>
            </div>
            <label class="control">
                <span class="control-label">{ "Scenario" }</span>
                <select ref={picker} class="scenario-picker" onchange={on_scenario}>
                    if let Some(custom) = &state.custom_title {
                        <option value="" selected=true>{ format!("Your scenario: {}",
                            staged_title.clone().unwrap_or_else(|| custom.clone())) }</option>
                    }
                    { for crate::scenarios::TOPICS.iter().map(|&(topic, ids)| html! {
                        <optgroup label={topic}>
                            { for presets().iter().filter(|s| ids.contains(&s.id.as_str())).map(|s| {
                                let selected = state.picked.as_deref() == Some(s.id.as_str());
                                let title = staged_title.clone().filter(|_| selected).unwrap_or_else(|| s.title.clone());
                                html! { <option value={s.id.clone()} {selected}>{ title }</option> }
                            }) }
                        </optgroup>
                    }) }
                </select>
            </label>
            <div class="control playback" role="group" aria-label="Playback">
                <button class="button play" type="button" aria-pressed={state.playing.to_string()}
                    aria-label={play_label} onclick={on_play} disabled={finished} title={finished.then_some(at_end)}>
                    { icon_svg(if state.playing { Icon::Pause } else { Icon::Play }) }
                    <span class="button-text">{ play_label }</span>
                </button>
                <button class="button step" type="button" onclick={on_step} disabled={finished}
                    aria-label="Step" title={if finished { at_end } else { "Run one event" }}>
                    { icon_svg(Icon::Step) }<span class="button-text">{ "Step" }</span>
                </button>
                <button class="button back" type="button" onclick={on_back} disabled={!can_back}
                    aria-label="Back"
                    title={if can_back { "Go back one event (exactly: the run is replayed)" } else { Hint::AtStart.text() }}>
                    { icon_svg(Icon::Back) }<span class="button-text">{ "Back" }</span>
                </button>
                <button class="button restart" type="button" onclick={on_restart} disabled={!can_restart}
                    aria-label="Restart"
                    title={if can_restart { "Start this run again from the beginning" } else { Hint::Unchanged.text() }}>
                    { icon_svg(Icon::Restart) }<span class="button-text">{ "Restart" }</span>
                </button>
                <button class="button more-button" type="button" onclick={on_more}
                    aria-expanded={more.to_string()} aria-controls="more-controls"
                    title="The fix, the cluster, sharing, speed and seed">{ "More" }</button>
                <p class="playback-hint" role="status">
                    { state.hint.map(Hint::text).unwrap_or_default() }
                </p>
            </div>
            <label class="control scrub">
                <span class="control-label">{ "Step" }</span>
                // `max` and `value` belong to the frame loop, which keeps them current; leaving
                // them out here stops a re-render from resetting them.
                <input ref={props.scrubber.clone()} class="scrubber" type="range" min="0"
                    step="1" oninput={on_scrub} aria-label="Seek to a step" />
                <output ref={props.readout.clone()} class="time-readout" aria-live="off"></output>
            </label>
            if let Some(scenario) = state.embedded.clone() {
                // The whole app, on this run as it stands (worked out when clicked, since the
                // run moves on without re-rendering the bar), in a new tab.
                <a class="button small open-full" href={["./?scenario=", &scenario].concat()}
                    target="_blank" rel="noopener" onclick={open_full} aria-label="Open in Faultline (a new tab)"
                    title="Open this run in the full Faultline, in a new tab">
                    { "Open" }<span class="open-full-long">{ " in Faultline" }</span>{ " ↗" }
                </a>
            }
            <div id="more-controls" class={classes!("more-controls", more.then_some("open"))}>
            if state.embedded.is_none() {
                <button class="button small course-button" type="button" onclick={on_course}
                    title="The lessons in the order of DDIA chapter 8, with your progress">{ "Course" }</button>
            }
            <button class="button small cluster-button" type="button" onclick={on_cluster}
                aria-pressed={state.customised.to_string()}
                title="Change the number of nodes, the network and the run's length">
                { if state.customised { "Cluster (customised)" } else { "Cluster…" } }
            </button>
            <button class="button small share-button" type="button" onclick={on_share}
                title="A link that opens this run exactly as it is now">{ "Share" }</button>
            if let Some((on, label, explanation)) = state.fix.clone() {
                <label class="control fix" title={explanation}>
                    <input type="checkbox" class="fix-toggle" checked={on} onchange={on_fix} />
                    <span>{ format!("Fix: {label}") }</span>
                </label>
                { compare_button(Comparison::Fix, "compare-fix", "Compare with the fix",
                    "Show this run without and with the fix side by side, the first difference marked", false) }
            }
            if let Some(own) = state.story_seed {
                { compare_button(Comparison::Seed(own), "compare-seed", &["Compare with seed ", &own.to_string()].concat(),
                    "Show this run beside the same scenario at the seed its story was written for, the first difference marked", false) }
            }
            // Always there (disabled until the run has faults of its own): a button appearing at
            // the first cut would re-wrap the bar and move the canvases under the person's hand.
            { compare_button(Comparison::Unbroken, "compare-unbroken", "Compare with the unbroken run",
                "Show the scenario's own run beside this one with your faults, the first difference marked (once you have broken something)",
                !state.own_faults) }
            if !state.challenged {
                <button class="button small hunt-button" type="button" onclick={on_hunt}
                    aria-pressed={state.hunt_open.to_string()}
                    title="Let Faultline break the cluster for you: random faults until something breaks, or, with the fix on, proof that it holds">
                    { "Hunt for failures" }
                </button>
            }
            <button class="button small challenges-button" type="button" onclick={on_challenges}
                title="Break the cluster within a budget, scored against the machine's own attack">
                { "Challenges" }
            </button>
            <label class="control speed">
                <span class="control-label">{ "Speed" }</span>
                <input type="range" min="0" max={Speed::MAX_POSITION.to_string()} step="1"
                    value={state.speed.position().to_string()} oninput={on_speed}
                    aria-valuetext={state.speed.label()} />
                <output class="speed-value">{ state.speed.label() }</output>
            </label>
            <label class="control pace" title="Play by the cluster's own time (real time, or slowed down ten or a hundred times) instead of events per second: a pause then lasts as long as it lasts, and a burst of messages is quick">
                <span class="control-label">{ "Pace" }</span>
                <select class="pace-select" onchange={on_pace}>
                    { for PACES.iter().map(|&(value, label)| html! {
                        <option value={value.map(|v| v.to_string()).unwrap_or_default()}
                            selected={state.pace == value}>{ label }</option>
                    }) }
                </select>
            </label>
            <button class="button small present-button" type="button" onclick={on_present}
                aria-pressed={state.present.to_string()}
                title="Presentation mode (F): the diagram fills the screen, the story is a caption">
                { if state.present { "Leave presentation" } else { "Present" } }
            </button>
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
            </div>
        </header>
    }
}

/// The full app's address for the run on stage: this page without its embed options, the run
/// in the fragment.
fn full_app_url(stage: &StageHandle) -> Option<String> {
    let shared = super::share_dialog::shared_run(stage)?;
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}#{}",
        location.origin().ok()?,
        location.pathname().ok()?,
        crate::share::encode(&shared)
    ))
}
