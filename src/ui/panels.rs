//! The workspace regions around the controls: two canvases and two text panels.

use yew::prelude::*;

use super::state::Scenario;

/// A canvas region with a heading and a message shown while it has nothing to draw.
#[derive(Properties, PartialEq)]
struct CanvasRegionProps {
    class: &'static str,
    title: &'static str,
    canvas_label: &'static str,
}

#[function_component(CanvasRegion)]
fn canvas_region(props: &CanvasRegionProps) -> Html {
    html! {
        <section class={classes!("region", "canvas-region", props.class)} aria-label={props.title}>
            <h2 class="region-title">{ props.title }</h2>
            <div class="canvas-frame">
                <canvas role="img" aria-label={props.canvas_label}></canvas>
                <p class="empty-state">{ "No simulation loaded" }</p>
            </div>
        </section>
    }
}

#[function_component(TopologyRegion)]
pub fn topology_region() -> Html {
    html! { <CanvasRegion class="topology" title="Topology"
    canvas_label="Cluster topology: nodes and the links between them" /> }
}

#[function_component(TimelineRegion)]
pub fn timeline_region() -> Html {
    html! { <CanvasRegion class="timeline" title="Timeline"
    canvas_label="Sequence diagram: one lifeline per node, messages as arrows" /> }
}

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub scenario: Scenario,
}

#[function_component(NarrationPanel)]
pub fn narration_panel(props: &NarrationProps) -> Html {
    html! {
        <section class="region panel narration" aria-label="Narration">
            <h2 class="region-title">{ "Narration" }</h2>
            <p class="narration-scenario">{ props.scenario.title() }</p>
            <p>{ "Faultline runs a small cluster step by step. Cut network links, pause or crash \
                  nodes and skew their clocks, then watch the sequence diagram show what goes \
                  wrong: split brain, lost writes, stale leases." }</p>
        </section>
    }
}

#[function_component(InspectorPanel)]
pub fn inspector_panel() -> Html {
    html! {
        <aside class="region panel inspector" aria-label="Inspector">
            <h2 class="region-title">{ "Inspector" }</h2>
            <p class="muted">{ "Nothing selected. Select a node or an event to inspect it." }</p>
        </aside>
    }
}
