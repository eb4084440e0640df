//! The node menu: pause or resume, crash or restart, a flood, NTP jumps, the clock's offset and
//! drift, and one-way link controls. It is drawn over the page, not inside the topology's frame,
//! so no panel clips it: beside its node on a wide screen, kept inside the window and scrolling
//! within itself when the window is shorter than the menu; a sheet along the bottom on a phone.
//! The clock controls stay open while they are adjusted (a slider to drag, arrow keys in small
//! steps, and a field for an exact value), so a clock can be set by degrees.

use yew::prelude::*;

use super::frame_loop::canvas_of;
use super::stage::{applied, apply_faults, StageHandle};
use super::state::{Action, AppState};
use crate::render::topology::{node_position, TopologyView};
use crate::sim::units::{signed_duration, signed_ppm};
use crate::sim::{Command, Micros, NodeId, NodeStatus};

/// How much outside traffic the node menu's flood pours onto a link.
const FLOOD_US: Micros = 300_000;
/// How far the offset slider reaches either way from the current offset (ms).
pub const OFFSET_RANGE_MS: i64 = 2_000;
/// The offset slider's step, and an arrow key's (ms).
pub const OFFSET_STEP_MS: i64 = 1;
/// How far the drift slider reaches either way (ppm): ±10 %, a clock visibly running fast or slow.
pub const DRIFT_RANGE_PPM: i32 = 100_000;
/// The drift slider's step, and an arrow key's (ppm): real quartz clocks drift by tens of ppm.
pub const DRIFT_STEP_PPM: i32 = 10;
/// The most an offset field may say, either way (ms): an hour, as far as a lesson needs.
const OFFSET_LIMIT_MS: i64 = 3_600_000;

#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    pub node: NodeId,
    pub canvas: NodeRef,
    pub stage: StageHandle,
    pub text_scale: f64,
    /// The stage revision and step: what the menu shows (status, clock, links) changes with them.
    pub revision: (u64, u64),
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Where the menu's corner goes, in the window's CSS px: beside the node, on the side with room.
/// The style sheet keeps it inside the window (`.node-popover`).
fn anchor(props: &NodeMenuProps, nodes: usize) -> Option<(String, f64)> {
    let canvas = canvas_of(&props.canvas)?;
    let rect = canvas.get_bounding_client_rect();
    let view = TopologyView {
        width: f64::from(canvas.client_width()),
        height: f64::from(canvas.client_height()),
        text_scale: props.text_scale,
    };
    let (x, y) = node_position(&view, nodes, props.node);
    let radius = view.node_radius(nodes);
    let (x, y) = (rect.left() + x, rect.top() + y);
    let left = if x - rect.left() > view.width * 0.55 {
        format!("calc({:.0}px - var(--menu-width))", x - radius - 8.0)
    } else {
        format!("{:.0}px", x + radius + 8.0)
    };
    Some((left, y - 24.0))
}

/// Whether a typed number stays within the field's limits.
fn parse_within(text: &str, limit: i64) -> Option<i64> {
    let text = text.trim().replace('−', "-").replace([' ', ','], "");
    let value = text.parse::<f64>().ok()?;
    (value.is_finite() && value.abs() <= limit as f64).then_some(value.round() as i64)
}

#[function_component(NodeMenu)]
pub fn node_menu(props: &NodeMenuProps) -> Html {
    let first = use_node_ref();
    // Keyboard users land in the menu they opened.
    {
        let first = first.clone();
        use_effect_with(props.node, move |_| {
            if let Some(button) = first.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let offset_error = use_state(|| None::<String>);
    let drift_error = use_state(|| None::<String>);

    let Some(stage) = props.stage.read() else {
        return html! {};
    };
    let node = props.node;
    let nodes = usize::from(stage.run.node_count());
    let Some(summary) = stage.run.node_summary(node) else {
        return html! {};
    };
    let status = stage.run.status(node);
    let name = stage.names.get(node.index()).cloned().unwrap_or_default();
    let title = stage.node_title(node);
    let (left, top) = anchor(props, nodes).unwrap_or_else(|| ("8px".to_string(), 8.0));

    // One-shot actions close the menu, so the person sees what they did.
    let act = |fault: Command<()>| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            apply_faults(&stage, &dispatch, vec![fault.clone()]);
            dispatch.dispatch(Action::NodeMenu(None));
        })
    };
    // The clock's controls keep it open: a clock is set by degrees.
    let set_clock = |make: fn(NodeId, i64) -> Command<()>| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        move |value: i64| apply_faults(&stage, &dispatch, vec![make(node, value)])
    };
    let offset_command: fn(NodeId, i64) -> Command<()> = |node, ms| Command::SetClockOffset {
        node,
        offset_us: ms * 1_000,
    };
    let drift_command: fn(NodeId, i64) -> Command<()> = |node, ppm| Command::SetDrift {
        node,
        drift_ppm: ppm as i32,
    };
    let offset_ms = summary.offset_us / 1_000;
    let on_offset_slider = {
        let set = set_clock(offset_command);
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(ms) = input.value().parse::<i64>() {
                set(ms);
            }
        })
    };
    let on_offset_field = {
        let set = set_clock(offset_command);
        let error = offset_error.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            match parse_within(&input.value(), OFFSET_LIMIT_MS) {
                Some(ms) => {
                    error.set(None);
                    set(ms);
                }
                None => error.set(Some(format!(
                    "An offset is a number of milliseconds from −{limit} to +{limit}, such as 250 or −40.",
                    limit = OFFSET_LIMIT_MS
                ))),
            }
        })
    };
    let on_drift_slider = {
        let set = set_clock(drift_command);
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(ppm) = input.value().parse::<i64>() {
                set(ppm);
            }
        })
    };
    let on_drift_field = {
        let set = set_clock(drift_command);
        let error = drift_error.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            match parse_within(&input.value(), i64::from(DRIFT_RANGE_PPM)) {
                Some(ppm) => {
                    error.set(None);
                    set(ppm);
                }
                None => error.set(Some(format!(
                    "A drift is a number of parts per million from −{limit} to +{limit} (±10 %), such as 200.",
                    limit = DRIFT_RANGE_PPM
                ))),
            }
        })
    };
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::NodeMenu(None)))
    };

    let pause = match status {
        NodeStatus::Paused => {
            html! { <button type="button" ref={first.clone()} onclick={act(Command::Resume { node })}>{ "Resume" }</button> }
        }
        _ => {
            let crashed = status == NodeStatus::Crashed;
            let timed = |seconds: u64| {
                let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
                let onclick = Callback::from(move |_: MouseEvent| {
                    dispatch.dispatch(applied(
                        stage.change(|stage| stage.pause_for(node, seconds * 1_000_000)),
                    ));
                    dispatch.dispatch(Action::NodeMenu(None));
                });
                html! { <button type="button" {onclick} disabled={crashed}>{ format!("Pause {seconds} s (GC)") }</button> }
            };
            let pause_ref = if crashed {
                NodeRef::default()
            } else {
                first.clone()
            };
            html! { <>
                <button type="button" ref={pause_ref}
                    onclick={act(Command::Pause { node })} disabled={crashed}>{ "Pause (GC)" }</button>
                { timed(1) }
                { timed(5) }
            </> }
        }
    };
    let crash = match status {
        NodeStatus::Crashed => {
            html! { <button type="button" ref={first.clone()} onclick={act(Command::Restart { node })}>{ "Restart" }</button> }
        }
        _ => html! { <>
            <button type="button" onclick={act(Command::Crash { node })}
                title="The process dies: memory is lost, everything written to disk survives">{ "Crash" }</button>
            <button type="button" onclick={act(Command::CrashLosingUnsynced { node })}
                title="A power cut: memory is lost, and so are disk writes not yet synced">{ "Crash, losing unsynced writes" }</button>
        </> },
    };
    // One direction at a time, from this node: the keyboard's node-to-node drag.
    let peers = (0..stage.run.node_count()).map(NodeId).filter(|&p| p != node).map(|peer| {
        let peer_name = stage.names.get(peer.index()).cloned().unwrap_or_default();
        let (fault, label) = if stage.run.link_up(node, peer) {
            (Command::CutLink { from: node, to: peer }, format!("Cut {name}→{peer_name}"))
        } else {
            (Command::HealLink { from: node, to: peer }, format!("Heal {name}→{peer_name}"))
        };
        html! { <button type="button" class="link-direction" onclick={act(fault)}>{ label }</button> }
    });
    let drift = summary.drift_ppm.clamp(-DRIFT_RANGE_PPM, DRIFT_RANGE_PPM);
    html! {
        <div class="node-popover" style={format!("--menu-left: {left}; --menu-top: {top:.0}px")}>
            <div class="node-menu" role="dialog" aria-label={title.clone()}>
                <div class="node-menu-head">
                    <p class="node-menu-title">{ format!("{title} · {}", status.label()) }</p>
                    <button type="button" class="close" onclick={close} aria-label="Close">{ "Close" }</button>
                </div>
                <div class="node-menu-actions">
                    { pause }
                    { crash }
                    <button type="button" onclick={act(Command::Flood { node, duration_us: FLOOD_US })}
                        title="A burst of traffic from outside the cluster: messages to this node wait behind it">
                        { "Flood its incoming link (300 ms)" }</button>
                    <button type="button" onclick={act(Command::NtpStep { node, delta_us: 1_000_000 })}>{ "NTP jump +1 s" }</button>
                    <button type="button" onclick={act(Command::NtpStep { node, delta_us: -1_000_000 })}>{ "NTP jump −1 s" }</button>
                </div>
                <fieldset class="clock-control">
                    <legend>{ format!("Clock offset {}", signed_duration(summary.offset_us)) }</legend>
                    <input type="range" class="offset" min={(offset_ms - OFFSET_RANGE_MS).to_string()}
                        max={(offset_ms + OFFSET_RANGE_MS).to_string()} step={OFFSET_STEP_MS.to_string()}
                        value={offset_ms.to_string()} onchange={on_offset_slider}
                        aria-label={format!("Clock offset of {title} in milliseconds")}
                        aria-valuetext={signed_duration(summary.offset_us)} />
                    <label class="clock-field">
                        <input type="number" class="offset-ms" step="1" inputmode="numeric"
                            min={(-OFFSET_LIMIT_MS).to_string()} max={OFFSET_LIMIT_MS.to_string()}
                            value={offset_ms.to_string()} onchange={on_offset_field}
                            aria-label={format!("Clock offset of {title}, exact, in milliseconds")} />
                        <span>{ "ms" }</span>
                    </label>
                    if let Some(error) = (*offset_error).clone() {
                        <p class="field-error" role="alert">{ error }</p>
                    }
                </fieldset>
                <fieldset class="clock-control">
                    <legend>{ format!("Clock drift {}", signed_ppm(summary.drift_ppm)) }</legend>
                    <input type="range" class="drift" min={(-DRIFT_RANGE_PPM).to_string()} max={DRIFT_RANGE_PPM.to_string()}
                        step={DRIFT_STEP_PPM.to_string()} value={drift.to_string()} onchange={on_drift_slider}
                        aria-label={format!("Clock drift of {title} in parts per million")}
                        aria-valuetext={signed_ppm(summary.drift_ppm)} />
                    <label class="clock-field">
                        <input type="number" class="drift-ppm" step="1" inputmode="numeric"
                            min={(-DRIFT_RANGE_PPM).to_string()} max={DRIFT_RANGE_PPM.to_string()}
                            value={summary.drift_ppm.to_string()} onchange={on_drift_field}
                            aria-label={format!("Clock drift of {title}, exact, in parts per million")} />
                        <span>{ "ppm" }</span>
                    </label>
                    if let Some(error) = (*drift_error).clone() {
                        <p class="field-error" role="alert">{ error }</p>
                    }
                </fieldset>
                <div class="node-menu-links" role="group" aria-label={format!("Links from {title}, one direction")}>
                    { for peers }
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_read_as_people_write_them_and_limited() {
        assert_eq!(parse_within("250", 3_600_000), Some(250));
        assert_eq!(parse_within(" −40 ", 3_600_000), Some(-40));
        assert_eq!(parse_within("1,500", 3_600_000), Some(1_500));
        assert_eq!(parse_within("2.6", 100), Some(3));
        assert_eq!(parse_within("", 100), None);
        assert_eq!(parse_within("ten", 100), None);
        assert_eq!(parse_within("101", 100), None);
        assert_eq!(parse_within("NaN", 100), None);
        assert_eq!(parse_within("1e400", 100), None);
    }
}
