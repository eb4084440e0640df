//! The node menu: pause or resume, crash or restart, a flood, NTP jumps, the clock's offset and
//! drift, and one-way link controls. It is drawn over the page, not inside the topology's frame,
//! so no panel clips it: beside its node on a wide screen, kept inside the window and scrolling
//! within itself when the window is shorter than the menu; a sheet along the bottom on a phone.
//! The clock controls stay open while they are adjusted (a slider to drag, arrow keys in small
//! steps, and a field for an exact value), so a clock can be set by degrees.

use std::rc::Rc;

use yew::prelude::*;

use super::frame_loop::canvas_of;
use super::stage::{applied, apply_faults, StageHandle};
use super::state::{Action, AppState};
use crate::render::topology::{node_position, TopologyView};
use crate::sim::units::signed_ppm;
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

/// A number as typed into a clock field, clamped to the field's limits (the field shows them);
/// `None` if it is not a number at all.
fn typed(text: &str, limit: i64) -> Option<i64> {
    let text = text.trim().replace('−', "-").replace([' ', ','], "");
    let value = crate::sim::units::decimal(&text).filter(|v| v.is_finite())?;
    Some(value.clamp(-(limit as f64), limit as f64).round() as i64)
}

/// One of the clock's controls: a slider from `min` to `max` in `step`s and a field for an exact
/// value (clamped to ±`limit`), both setting it through `set`; its legend says the value now.
struct Clock<'a> {
    class: &'static str,
    legend: String,
    value: i64,
    range: (i64, i64, i64),
    limit: i64,
    unit: &'static str,
    what: &'a str,
}

fn clock_control(clock: Clock, set: Rc<dyn Fn(i64)>) -> Html {
    let slider = {
        let set = Rc::clone(&set);
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(value) = input.value().parse::<i64>() {
                set(value);
            }
        })
    };
    let limit = clock.limit;
    let field = Callback::from(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        if let Some(value) = typed(&input.value(), limit) {
            set(value);
        }
    });
    let (min, max, step) = clock.range;
    let value = clock.value.to_string();
    html! {
        <fieldset class="clock-control">
            <legend>{ clock.legend.clone() }</legend>
            <input type="range" class={clock.class} min={min.to_string()} max={max.to_string()}
                step={step.to_string()} value={value.clone()} onchange={slider}
                aria-label={format!("{} in {}", clock.what, clock.unit)} aria-valuetext={clock.legend} />
            <label class="clock-field">
                <input type="number" class={format!("{}-exact", clock.class)} step="1" inputmode="numeric"
                    min={(-limit).to_string()} max={limit.to_string()} {value} onchange={field}
                    aria-label={format!("{}, exact, in {}", clock.what, clock.unit)} />
                <span>{ if clock.unit == "milliseconds" { "ms" } else { "ppm" } }</span>
            </label>
        </fieldset>
    }
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
    let Some(stage) = props.stage.read() else {
        return html! {};
    };
    let node = props.node;
    let Some(summary) = stage.run.node_summary(node) else {
        return html! {};
    };
    let status = summary.status;
    let name = stage.names.get(node.index()).cloned().unwrap_or_default();
    let title = stage.node_title(node);
    let (left, top) = anchor(props, usize::from(stage.run.node_count()))
        .unwrap_or_else(|| ("8px".to_string(), 8.0));

    // One-shot actions close the menu, so the person sees what they did. A timed pause
    // resumes by itself (`Stage::pause_for`).
    let action = |label: String, fault: Command<()>, timed: Option<u64>| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            match timed {
                Some(us) => dispatch.dispatch(applied(stage.change(|s| s.pause_for(node, us)))),
                None => apply_faults(&stage, &dispatch, vec![fault.clone()]),
            }
            dispatch.dispatch(Action::NodeMenu(None));
        });
        (label, onclick)
    };
    let crashed = status == NodeStatus::Crashed;
    let mut actions = Vec::new();
    match status {
        NodeStatus::Paused => actions.push(action("Resume".into(), Command::Resume { node }, None)),
        NodeStatus::Running => {
            actions.push(action("Pause (GC)".into(), Command::Pause { node }, None));
            for seconds in [1, 5] {
                let label = format!("Pause {seconds} s (GC)");
                actions.push(action(
                    label,
                    Command::Pause { node },
                    Some(seconds * 1_000_000),
                ));
            }
        }
        NodeStatus::Crashed => {}
    }
    if crashed {
        actions.push(action("Restart".into(), Command::Restart { node }, None));
    } else {
        actions.push(action("Crash".into(), Command::Crash { node }, None));
        let power_cut = Command::CrashLosingUnsynced { node };
        actions.push(action(
            "Crash, losing unsynced writes".into(),
            power_cut,
            None,
        ));
    }
    let flood = Command::Flood {
        node,
        duration_us: FLOOD_US,
    };
    actions.push(action(
        "Flood its incoming link (300 ms)".into(),
        flood,
        None,
    ));
    for (label, delta_us) in [("NTP jump +1 s", 1_000_000), ("NTP jump −1 s", -1_000_000)] {
        actions.push(action(
            label.into(),
            Command::NtpStep { node, delta_us },
            None,
        ));
    }
    let actions = actions
        .into_iter()
        .enumerate()
        .map(|(i, (label, onclick))| {
            let reference = if i == 0 {
                first.clone()
            } else {
                NodeRef::default()
            };
            html! { <button type="button" ref={reference} {onclick}>{ label }</button> }
        });
    // One direction at a time, from this node: the keyboard's node-to-node drag.
    let peers = (0..stage.run.node_count())
        .map(NodeId)
        .filter(|&p| p != node)
        .map(|peer| {
            let peer_name = stage.names.get(peer.index()).cloned().unwrap_or_default();
            let (label, fault) = if stage.run.link_up(node, peer) {
                (
                    format!("Cut {name}→{peer_name}"),
                    Command::CutLink {
                        from: node,
                        to: peer,
                    },
                )
            } else {
                (
                    format!("Heal {name}→{peer_name}"),
                    Command::HealLink {
                        from: node,
                        to: peer,
                    },
                )
            };
            let (label, onclick) = action(label, fault, None);
            html! { <button type="button" class="link-direction" {onclick}>{ label }</button> }
        });
    // The clock's controls keep the menu open: a clock is set by degrees.
    let set_clock = |make: fn(NodeId, i64) -> Command<()>| -> Rc<dyn Fn(i64)> {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Rc::new(move |value| apply_faults(&stage, &dispatch, vec![make(node, value)]))
    };
    let offset_ms = summary.offset_us / 1_000;
    let offset = clock_control(
        Clock {
            class: "offset",
            legend: format!("Clock offset {}", summary.offset),
            value: offset_ms,
            range: (
                offset_ms - OFFSET_RANGE_MS,
                offset_ms + OFFSET_RANGE_MS,
                OFFSET_STEP_MS,
            ),
            limit: OFFSET_LIMIT_MS,
            unit: "milliseconds",
            what: &format!("Clock offset of {title}"),
        },
        set_clock(|node, ms| Command::SetClockOffset {
            node,
            offset_us: ms * 1_000,
        }),
    );
    let drift = clock_control(
        Clock {
            class: "drift",
            legend: format!("Clock drift {}", signed_ppm(summary.drift_ppm)),
            value: i64::from(summary.drift_ppm),
            range: (
                -i64::from(DRIFT_RANGE_PPM),
                i64::from(DRIFT_RANGE_PPM),
                i64::from(DRIFT_STEP_PPM),
            ),
            limit: i64::from(DRIFT_RANGE_PPM),
            unit: "parts per million",
            what: &format!("Clock drift of {title}"),
        },
        set_clock(|node, ppm| Command::SetDrift {
            node,
            drift_ppm: ppm as i32,
        }),
    );
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::NodeMenu(None)))
    };
    html! {
        <div class="node-popover" style={format!("--menu-left: {left}; --menu-top: {top:.0}px")}>
            <div class="node-menu" role="dialog" aria-label={title.clone()}>
                <div class="node-menu-head">
                    <p class="node-menu-title">{ format!("{title} · {}", status.label()) }</p>
                    <button type="button" class="close" onclick={close}>{ "Close" }</button>
                </div>
                <div class="node-menu-actions">{ for actions }</div>
                { offset }
                { drift }
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
    fn typed_numbers_are_read_as_people_write_them_and_clamped() {
        assert_eq!(typed("250", 3_600_000), Some(250));
        assert_eq!(typed(" −40 ", 3_600_000), Some(-40));
        assert_eq!(typed("1,500", 3_600_000), Some(1_500));
        assert_eq!(typed("2.6", 100), Some(3));
        assert_eq!(typed("", 100), None);
        assert_eq!(typed("ten", 100), None);
        assert_eq!(typed("101", 100), Some(100), "clamped to the field's limit");
        assert_eq!(typed("-1e9", 100), Some(-100));
        assert_eq!(typed("NaN", 100), None);
    }
}
