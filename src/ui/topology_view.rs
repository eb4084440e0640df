//! The topology region: the canvas (painted by the frame loop) with its gestures — knife
//! strokes, node-to-node drags, link clicks — a node menu for pauses, crashes and clock jumps,
//! and "Heal all".

use yew::prelude::*;

use super::frame_loop::canvas_of;
use super::stage::StageHandle;
use super::state::{Action, AppState};
use super::topology_gesture::{intent, TopologyIntent};
use crate::render::topology::{node_position, TopologyView};
use crate::sim::{Command, NodeId, NodeStatus};

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    pub canvas: NodeRef,
    pub stage: StageHandle,
    pub menu: Option<NodeId>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The topology's geometry at the canvas's current size, as the frame loop lays it out.
fn view_of(canvas: &NodeRef) -> Option<TopologyView> {
    let element = canvas_of(canvas)?;
    Some(TopologyView {
        width: f64::from(element.client_width()),
        height: f64::from(element.client_height()),
    })
}

/// Applies faults on the stage, then reports the result to the reducer.
fn apply_all(
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
    faults: Vec<Command<()>>,
) {
    let result = match stage.0.try_borrow_mut() {
        Ok(mut guard) => match guard.as_mut() {
            Some(stage) => faults.into_iter().try_for_each(|f| stage.apply(f)),
            None => Err("No run is loaded yet.".to_string()),
        },
        Err(_) => Err("The simulation is busy; try again.".to_string()),
    };
    dispatch.dispatch(match result {
        Ok(()) => Action::FaultApplied,
        Err(message) => Action::Notice(message),
    });
}

#[function_component(TopologyRegion)]
pub fn topology_region(props: &TopologyProps) -> Html {
    let path = use_mut_ref(Vec::<(f64, f64)>::new);

    let on_down = {
        let (path, canvas, stage) = (path.clone(), props.canvas.clone(), props.stage.clone());
        Callback::from(move |event: PointerEvent| {
            if let Some(element) = canvas_of(&canvas) {
                let _ = element.set_pointer_capture(event.pointer_id());
            }
            let point = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            *path.borrow_mut() = vec![point];
            if let Ok(mut guard) = stage.0.try_borrow_mut() {
                if let Some(stage) = guard.as_mut() {
                    stage.knife = vec![point];
                }
            }
        })
    };
    let on_move = {
        let (path, stage) = (path.clone(), props.stage.clone());
        Callback::from(move |event: PointerEvent| {
            if path.borrow().is_empty() {
                return;
            }
            let point = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            path.borrow_mut().push(point);
            if let Ok(mut guard) = stage.0.try_borrow_mut() {
                if let Some(stage) = guard.as_mut() {
                    stage.knife.push(point);
                }
            }
        })
    };
    let on_up = {
        let (path, stage, dispatch, canvas) = (
            path.clone(),
            props.stage.clone(),
            props.dispatch.clone(),
            props.canvas.clone(),
        );
        Callback::from(move |event: PointerEvent| {
            let mut points = std::mem::take(&mut *path.borrow_mut());
            points.push((f64::from(event.offset_x()), f64::from(event.offset_y())));
            let read = stage.0.try_borrow_mut().ok().and_then(|mut guard| {
                let stage = guard.as_mut()?;
                stage.knife.clear();
                let view = view_of(&canvas)?;
                let meaning = intent(&view, usize::from(stage.run.node_count()), &points);
                let faults = match &meaning {
                    TopologyIntent::CutOneWay { from, to } => vec![Command::CutLink {
                        from: *from,
                        to: *to,
                    }],
                    TopologyIntent::ToggleLink { a, b } => vec![stage.toggle_link(*a, *b)],
                    TopologyIntent::CutLinks(pairs) => pairs
                        .iter()
                        .map(|&(a, b)| Command::CutBoth { a, b })
                        .collect(),
                    _ => Vec::new(),
                };
                Some((meaning, faults))
            });
            match read {
                Some((TopologyIntent::OpenNode(node), _)) => {
                    dispatch.dispatch(Action::NodeMenu(Some(node)))
                }
                Some((_, faults)) if !faults.is_empty() => apply_all(&stage, &dispatch, faults),
                _ => {}
            }
        })
    };
    let on_cancel = {
        let (path, stage) = (path.clone(), props.stage.clone());
        Callback::from(move |_: PointerEvent| {
            path.borrow_mut().clear();
            if let Ok(mut guard) = stage.0.try_borrow_mut() {
                if let Some(stage) = guard.as_mut() {
                    stage.knife.clear();
                }
            }
        })
    };
    let heal_all = {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| apply_all(&stage, &dispatch, vec![Command::HealAll]))
    };

    let menu = props.menu.and_then(|node| node_menu(props, node));
    html! {
        <section class="region canvas-region topology" aria-label="Topology">
            <div class="region-head">
                <h2 class="region-title">{ "Topology" }</h2>
                <div class="toolbar">
                    <button type="button" class="button small heal-all" onclick={heal_all}
                        title="Bring every link back up">{ "Heal all" }</button>
                </div>
            </div>
            <div class="canvas-frame">
                <canvas ref={props.canvas.clone()} class="topology-canvas" role="img"
                    aria-label="Cluster topology: nodes on a circle with their status and clocks, links by state, messages in flight. Drag across links to cut them, from one node to another to cut one direction; click a link to toggle it, a node for its menu."
                    onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up}
                    onpointercancel={on_cancel}></canvas>
                { menu.unwrap_or_default() }
            </div>
        </section>
    }
}

/// How far the offset slider reaches either way from the current offset (ms).
const OFFSET_RANGE_MS: i64 = 2_000;
/// How far the drift slider reaches either way (ppm): ±10 %, a clock visibly running fast or slow.
const DRIFT_RANGE_PPM: i32 = 100_000;

/// The popover beside a node: pause or resume, crash or restart, NTP jumps.
fn node_menu(props: &TopologyProps, node: NodeId) -> Option<Html> {
    let guard = props.stage.0.try_borrow().ok()?;
    let stage = guard.as_ref()?;
    let view = view_of(&props.canvas)?;
    let (x, y) = node_position(&view, usize::from(stage.run.node_count()), node);
    let status = stage.run.status(node);
    let name = stage.names.get(node.index()).cloned().unwrap_or_default();
    let summary = stage.run.node_summary(node)?;
    // The slider reaches either way from where the clock is set now (some presets start at 42 s).
    let offset_ms = summary.offset_us / 1_000;
    let set_offset = {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(ms) = input.value().parse::<i64>() {
                let fault = Command::SetClockOffset {
                    node,
                    offset_us: ms * 1_000,
                };
                apply_all(&stage, &dispatch, vec![fault]);
            }
        })
    };
    let set_drift = {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(drift_ppm) = input.value().parse::<i32>() {
                apply_all(
                    &stage,
                    &dispatch,
                    vec![Command::SetDrift { node, drift_ppm }],
                );
            }
        })
    };
    let act = |fault: Command<()>| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| apply_all(&stage, &dispatch, vec![fault.clone()]))
    };
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::NodeMenu(None)))
    };
    let pause = match status {
        NodeStatus::Paused => {
            html! { <button type="button" onclick={act(Command::Resume { node })}>{ "Resume" }</button> }
        }
        _ => html! { <button type="button" onclick={act(Command::Pause { node })}
        disabled={status == NodeStatus::Crashed}>{ "Pause (GC)" }</button> },
    };
    let crash = match status {
        NodeStatus::Crashed => {
            html! { <button type="button" onclick={act(Command::Restart { node })}>{ "Restart" }</button> }
        }
        _ => {
            html! { <button type="button" onclick={act(Command::Crash { node })}>{ "Crash" }</button> }
        }
    };
    let left = if x > view.width * 0.55 {
        x - 230.0
    } else {
        x + 24.0
    };
    Some(html! {
        <div class="node-menu" role="dialog" aria-label={format!("Node {name}")}
            style={format!("left: {:.0}px; top: {:.0}px", left.max(4.0), (y - 30.0).max(4.0))}>
            <p class="node-menu-title">{ format!("Node {name} · {}", status.label()) }</p>
            { pause }
            { crash }
            <button type="button" onclick={act(Command::NtpStep { node, delta_us: 1_000_000 })}>{ "NTP jump +1 s" }</button>
            <button type="button" onclick={act(Command::NtpStep { node, delta_us: -1_000_000 })}>{ "NTP jump −1 s" }</button>
            <label class="clock-control">
                <span>{ format!("Clock offset {} ms", summary.offset_us / 1_000) }</span>
                <input type="range" class="offset" min={(offset_ms - OFFSET_RANGE_MS).to_string()}
                    max={(offset_ms + OFFSET_RANGE_MS).to_string()} step="10" value={offset_ms.to_string()}
                    onchange={set_offset} aria-label={format!("Clock offset of node {name} in milliseconds")} />
            </label>
            <label class="clock-control">
                <span>{ format!("Clock drift {} ppm", summary.drift_ppm) }</span>
                <input type="range" class="drift" min={(-DRIFT_RANGE_PPM).to_string()} max={DRIFT_RANGE_PPM.to_string()}
                    step="1000" value={summary.drift_ppm.clamp(-DRIFT_RANGE_PPM, DRIFT_RANGE_PPM).to_string()}
                    onchange={set_drift} aria-label={format!("Clock drift of node {name} in parts per million")} />
            </label>
            <button type="button" class="close" onclick={close}>{ "Close" }</button>
        </div>
    })
}
