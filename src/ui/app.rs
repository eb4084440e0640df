//! The root component: owns the reducer and lays out the regions.

use yew::prelude::*;

use super::controls::ControlsBar;
use super::panels::{InspectorPanel, NarrationPanel, TimelineRegion, TopologyRegion};
use super::state::AppState;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    html! {
        <div class="app">
            <ControlsBar state={(*state).clone()} dispatch={state.dispatcher()} />
            <main class="workspace" aria-label="Simulation workspace">
                <TopologyRegion />
                <TimelineRegion />
                <NarrationPanel scenario={state.scenario} />
                <InspectorPanel />
            </main>
        </div>
    }
}
