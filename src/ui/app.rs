//! The root component: owns the reducer, the stage and the frame loop, and lays out the regions.

use std::rc::Rc;

use yew::prelude::*;

use super::controls::ControlsBar;
use super::frame_loop::{FrameLoop, PROJECTOR_TEXT};
use super::panels::{InspectorPanel, NarrationPanel};
use super::shortcuts::{use_shortcuts, HelpOverlay};
use super::stage::{Stage, StageHandle};
use super::state::{preset, Action, AppState};
use super::timeline_view::TimelineRegion;
use super::topology_view::TopologyRegion;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let stage = use_memo((), |_| StageHandle::default());
    let stage = (*stage).clone();
    // The frame loop reads the latest state without re-rendering anything.
    let latest = use_mut_ref(AppState::default);
    *latest.borrow_mut() = (*state).clone();
    let timeline_canvas = use_node_ref();
    let scrubber = use_node_ref();
    let readout = use_node_ref();
    let topology_canvas = use_node_ref();

    {
        let (stage, dispatch) = (stage.clone(), state.dispatcher());
        use_effect_with(state.run_key(), move |(id, fix, seed, _)| {
            let started = preset(id)
                .ok_or_else(|| format!("there is no scenario called “{id}”"))
                .and_then(|s| Stage::start(&s, *fix, *seed).map_err(|e| e.to_string()));
            let action = match started {
                Ok(started) => match stage.0.try_borrow_mut() {
                    Ok(mut slot) => {
                        *slot = Some(started);
                        Action::RunStarted
                    }
                    Err(_) => Action::RunFailed("the previous run was still busy".into()),
                },
                Err(message) => Action::RunFailed(message),
            };
            dispatch.dispatch(action);
        });
    }
    {
        let (stage, dispatch) = (stage.clone(), state.dispatcher());
        let (timeline, topology) = (timeline_canvas.clone(), topology_canvas.clone());
        let scrubber = scrubber.clone();
        let readout = readout.clone();
        let latest = Rc::clone(&latest);
        use_effect_with((), move |_| {
            let frames = FrameLoop::start(
                stage,
                latest,
                dispatch,
                timeline,
                topology,
                [scrubber, readout],
            );
            move || drop(frames)
        });
    }

    use_shortcuts(Rc::clone(&latest), stage.clone(), state.dispatcher());

    let dispatch = state.dispatcher();
    let class = classes!("app", state.projector.then_some("projector"));
    html! {
        <div {class}>
            <ControlsBar state={(*state).clone()} stage={stage.clone()} dispatch={dispatch.clone()}
                scrubber={scrubber} readout={readout} />
            <main class="workspace" aria-label="Simulation workspace">
                <TopologyRegion canvas={topology_canvas} stage={stage.clone()}
                    menu={state.node_menu} message_menu={state.message_menu} size={state.topology_size}
                    text_scale={if state.projector { PROJECTOR_TEXT } else { 1.0 }}
                    revision={(state.runs_started, state.faults_applied, state.progress.step)}
                    dispatch={dispatch.clone()} />
                <TimelineRegion stage={stage.clone()} canvas={timeline_canvas} axis={state.axis}
                    selected={state.selected} hover={state.hover} scenario={state.scenario.clone()}
                    dispatch={dispatch.clone()} />
                <NarrationPanel state={(*state).clone()} stage={stage.clone()} dispatch={dispatch.clone()} />
                <InspectorPanel state={(*state).clone()} stage={stage} dispatch={dispatch.clone()} />
            </main>
            if state.help {
                <HelpOverlay dispatch={dispatch.clone()} />
            }
        </div>
    }
}
