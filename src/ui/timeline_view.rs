//! The timeline region: toolbar (axis, zoom, fit, follow, exports), the canvas with its
//! pointer, wheel and keyboard gestures, the hover card and the legend. The canvas itself
//! is painted by the frame loop.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlSelectElement, WheelEvent};
use yew::prelude::*;

use super::export::{download_png, download_text, slide_canvas};
use super::frame_loop::canvas_of;
use super::gesture::{Gesture, Pointers};
use super::legend::legend;
use super::message_filter::{filter_of, MessageFilter};
use super::share_dialog::shared_run;
use super::stage::{Stage, StageHandle};
use super::state::{Action, AppState, Hover, MessageLook, ScrollHint};
use super::touch::use_own_touches;
use crate::detect::seconds;
use crate::render::drawn::Drawn;
use crate::render::svg::timeline_svg;
use crate::render::timeline::Axis;
use crate::share::Comparison;
use crate::sim::EventId;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub stage: StageHandle,
    pub canvas: NodeRef,
    /// The second timeline's canvas, shown while two runs are compared.
    pub compare_canvas: NodeRef,
    /// What the run is compared with, if it is (see [`super::compare`]).
    pub compare: Option<Comparison>,
    pub axis: Axis,
    pub selected: Option<EventId>,
    pub hover: Option<Hover>,
    pub scenario: String,
    /// The message filter's choices (see [`super::message_filter`]).
    pub look: Option<MessageLook>,
    pub causal_only: bool,
    pub stage_revision: u64,
    /// The run's step: the row of each node's state follows it.
    pub step: u64,
    /// A question is open: the row of each node's state is hidden, as it could say the answer.
    pub asking: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
}

const AXES: [(Axis, &str, &str); 3] = [
    (Axis::TrueTime, "true-time", "True time"),
    (Axis::LocalClock, "local-clock", "Each node's clock"),
    (Axis::Lamport, "lamport", "Lamport time"),
];

/// Zoom step for buttons and keys.
const ZOOM_STEP: f64 = 1.5;
/// Pixels an arrow key scrolls.
const KEY_PAN: f64 = 48.0;

/// Whether `event` happened in an embed whose diagrams the reader has not engaged (see
/// [`AppState::engaged`]): its wheel and one-finger drags belong to the host page.
pub fn loose(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".app.embed:not(.engaged)").ok().flatten())
        .is_some()
}

/// Runs `f` on the stage if it exists and is free; dispatches what it returns afterwards.
fn on_stage(
    handle: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
    f: impl FnOnce(&mut Stage) -> Option<Action>,
) {
    let action = handle.with(f).flatten();
    if let Some(action) = action {
        dispatch.dispatch(action);
    }
}

/// A button's callback that downloads `faultline-<scenario>.<suffix>`, made from the stage by
/// `make`; nothing to download, or a failure, becomes a notice.
fn download_from_stage(
    props: &TimelineProps,
    suffix: &str,
    mime: &'static str,
    what: &'static str,
    make: impl Fn(&StageHandle) -> Option<String> + 'static,
) -> Callback<MouseEvent> {
    let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
    let name = format!("faultline-{}.{suffix}", props.scenario);
    Callback::from(move |_: MouseEvent| {
        let result = make(&stage)
            .ok_or_else(|| "Nothing has run yet.".to_string())
            .and_then(|text| download_text(&name, mime, &text));
        if let Err(message) = result {
            dispatch.dispatch(Action::Notice(format!("{what} export failed: {message}")));
        }
    })
}

#[function_component(TimelineRegion)]
pub fn timeline_region(props: &TimelineProps) -> Html {
    let pointers = use_mut_ref(Pointers::default);
    let axis = props.axis;
    use_own_touches(props.canvas.clone());
    use_own_touches(props.compare_canvas.clone());

    // Wheel: scroll in time; with Ctrl or ⌘ (and trackpad pinch, which sends Ctrl+wheel) zoom.
    // Registered by hand because it must be allowed to cancel the browser's page zoom.
    {
        let (canvases, stage, dispatch) = (
            [props.canvas.clone(), props.compare_canvas.clone()],
            props.stage.clone(),
            props.dispatch.clone(),
        );
        use_effect_with(axis, move |&axis| {
            let listeners: Vec<EventListener> = canvases
                .iter()
                .filter_map(canvas_of)
                .map(|element| {
                    let (stage, dispatch) = (stage.clone(), dispatch.clone());
                    EventListener::new_with_options(
                        &element,
                        "wheel",
                        EventListenerOptions::enable_prevent_default(),
                        move |event| {
                            let Some(wheel) = event.dyn_ref::<WheelEvent>() else {
                                return;
                            };
                            let zoom = wheel.ctrl_key() || wheel.meta_key();
                            // An embed not yet engaged leaves the wheel to the host page (the
                            // reader scrolls past the post), saying how to engage it; Ctrl +
                            // wheel zooms, as a map embed does.
                            if !zoom && loose(event) {
                                dispatch.dispatch(Action::ScrollHint(Some(ScrollHint::Wheel)));
                                return;
                            }
                            wheel.prevent_default();
                            let pixels = match wheel.delta_mode() {
                                WheelEvent::DOM_DELTA_LINE => wheel.delta_y() * 16.0,
                                WheelEvent::DOM_DELTA_PAGE => wheel.delta_y() * 400.0,
                                _ => wheel.delta_y(),
                            };
                            let y = f64::from(wheel.offset_y());
                            on_stage(&stage, &dispatch, |stage| {
                                stage.move_camera(axis, |camera, head, height| {
                                    if zoom {
                                        camera.zoom_at(y, (-pixels * 0.002).exp());
                                    } else {
                                        camera.pan(-pixels, head, height);
                                    }
                                });
                                Some(Action::Hover(None))
                            });
                        },
                    )
                })
                .collect();
            move || drop(listeners)
        });
    }

    let camera_action = |change: fn(&mut crate::render::camera::Camera, f64, f64)| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            on_stage(&stage, &dispatch, |stage| {
                stage.move_camera(axis, change);
                Some(Action::Hover(None))
            });
        })
    };
    let zoom_in = camera_action(|c, _, h| c.zoom_at((h + 40.0) / 2.0, ZOOM_STEP));
    let zoom_out = camera_action(|c, _, h| c.zoom_at((h + 40.0) / 2.0, 1.0 / ZOOM_STEP));
    let follow = camera_action(|c, head, h| {
        c.follow = true;
        c.track(head, h);
        if !c.shows(head, h) {
            c.reveal(head, head, h);
        }
    });
    let fit_all = {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            on_stage(&stage, &dispatch, |stage| {
                fit(stage, axis);
                Some(Action::Hover(None))
            });
        })
    };

    let on_axis = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some((axis, ..)) = AXES.iter().find(|(_, id, _)| *id == select.value()) {
                dispatch.dispatch(Action::SetAxis(*axis));
            }
        })
    };

    let selected = props.selected;
    let (look, causal_only) = (props.look.clone(), props.causal_only);
    let export_svg = download_from_stage(props, "svg", "image/svg+xml", "SVG", move |stage| {
        stage.read().and_then(|stage| {
            let (_, viewport) = stage.painted.as_ref()?;
            // The view as drawn, labels at their normal size (an SVG scales without loss).
            let filter = filter_of(look.as_ref(), causal_only, &stage, 1.0);
            // Two runs compared: both, side by side, with the first difference in words.
            if let Some(compared) = &stage.compared {
                return Some(compared.svg(viewport, &filter));
            }
            let shapes = stage
                .run
                .timeline(viewport, selected, stage.shown_time(), &filter);
            Some(timeline_svg(
                &shapes,
                viewport,
                &stage.names,
                Some(&stage.end_state()),
            ))
        })
    });
    let export_shiviz = download_from_stage(props, "shiviz.log", "text/plain", "ShiViz", |stage| {
        stage.with(|s| crate::share::shiviz_log(s.run.words(), s.run.names()))
    });
    let export_trace =
        download_from_stage(props, "trace.json", "application/json", "Trace", |stage| {
            shared_run(stage)
                .and_then(|run| stage.with(|s| crate::share::session_trace_json(&s.run, &run)))
        });
    let export_png = {
        let (canvas, dispatch) = (props.canvas.clone(), props.dispatch.clone());
        let name = format!("faultline-{}.png", props.scenario);
        Callback::from(move |_: MouseEvent| {
            let result = canvas_of(&canvas)
                .ok_or_else(|| "Nothing is drawn yet.".to_string())
                .and_then(|canvas| download_png(&canvas, &name));
            if let Err(message) = result {
                dispatch.dispatch(Action::Notice(format!("PNG export failed: {message}")));
            }
        })
    };

    // The view as a slide: title above, caption below, at 2× or 1920×1080 (see `slide_canvas`).
    let export_slide = |projector: bool| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        let name = format!(
            "faultline-{}-{}.png",
            props.scenario,
            if projector { "1920x1080" } else { "slide" }
        );
        Callback::from(move |_: MouseEvent| {
            let result = stage
                .read()
                .and_then(|stage| slide_canvas(&stage, projector))
                .ok_or_else(|| "Nothing is drawn yet.".to_string())
                .and_then(|canvas| download_png(&canvas, &name));
            if let Err(message) = result {
                dispatch.dispatch(Action::Notice(format!("PNG export failed: {message}")));
            }
        })
    };

    let on_pointer_down = {
        let pointers = pointers.clone();
        Callback::from(move |event: PointerEvent| {
            // The canvas pressed: the run's own or, while comparing, the second one.
            if let Some(element) = event.target_dyn_into::<web_sys::HtmlElement>() {
                let _ = element.set_pointer_capture(event.pointer_id());
                let _ = element.focus();
            }
            pointers.borrow_mut().press(
                event.pointer_id(),
                f64::from(event.offset_x()),
                f64::from(event.offset_y()),
            );
        })
    };
    let on_pointer_move = {
        let (pointers, stage, dispatch, hover) = (
            pointers.clone(),
            props.stage.clone(),
            props.dispatch.clone(),
            props.hover,
        );
        Callback::from(move |event: PointerEvent| {
            let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            if !pointers.borrow().is_pressed() {
                on_stage(&stage, &dispatch, |stage| {
                    let under = stage
                        .event_at(x, y)
                        .map(|(event, x, y)| Hover { event, x, y });
                    (under.map(|h| h.event) != hover.map(|h| h.event))
                        .then_some(Action::Hover(under))
                });
                return;
            }
            let gesture = pointers.borrow_mut().moved(event.pointer_id(), x, y);
            on_stage(&stage, &dispatch, |stage| {
                stage.move_camera(axis, |camera, head, height| match gesture {
                    Some(Gesture::Pan { dy }) => camera.pan(dy, head, height),
                    Some(Gesture::Pinch { y, factor, dy }) => {
                        camera.pan(dy, head, height);
                        camera.zoom_at(y, factor);
                    }
                    _ => {}
                });
                hover.is_some().then_some(Action::Hover(None))
            });
        })
    };
    let on_pointer_up = {
        let (pointers, stage, dispatch) = (
            pointers.clone(),
            props.stage.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |event: PointerEvent| {
            let gesture = pointers.borrow_mut().release(event.pointer_id());
            if let Some(Gesture::Click { x, y }) = gesture {
                on_stage(&stage, &dispatch, |stage| {
                    // A click on a fold (not on an event beside it) opens it.
                    let event = stage.event_at(x, y).map(|(e, ..)| e);
                    if event.is_none() && stage.open_fold_at(axis, y) {
                        return None;
                    }
                    Some(Action::Select(event))
                });
            }
        })
    };
    let on_pointer_cancel = {
        let pointers = pointers.clone();
        Callback::from(move |event: PointerEvent| pointers.borrow_mut().cancel(event.pointer_id()))
    };
    let on_leave = {
        let (dispatch, hover) = (props.dispatch.clone(), props.hover);
        Callback::from(move |_: PointerEvent| {
            if hover.is_some() {
                dispatch.dispatch(Action::Hover(None));
            }
        })
    };
    let on_key = keyboard(props);

    let export_menu = use_node_ref();
    let close_export = {
        let menu = export_menu.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(menu) = menu.cast::<web_sys::Element>() {
                let _ = menu.remove_attribute("open");
            }
        })
    };
    let hover_card = props
        .hover
        .and_then(|hover| hover_card(&props.stage, hover));
    // The lifelines' full names, left to right: the canvas may shorten them to fit.
    let lifelines = props
        .stage
        .read()
        .map(|stage| format!(" (left to right: {})", stage.names.join(", ")))
        .unwrap_or_default();
    // Two runs compared: what each canvas shows, and the first difference in words.
    let compared = props.compare.and_then(|_| {
        let stage = props.stage.read()?;
        let compared = stage.compared.as_ref()?;
        Some((compared.labels.clone(), compared.words.clone()))
    });
    let stop_comparing = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Compare(None)))
    };
    let comparing = compared.is_some();
    let compare_bar = compared.as_ref().map(|(_, words)| {
        html! {
            <div class="compare-bar">
                <p class="compare-words" role="status">{ words.clone() }</p>
                <button type="button" class="button small compare-exit" onclick={stop_comparing}
                    title="Back to the run on stage alone">{ "Stop comparing" }</button>
            </div>
        }
    });
    let [left, right] = compared
        .map(|(labels, _)| labels.map(|l| super::compare::capitalised(&l)))
        .unwrap_or_default();
    let canvas_label = format!(
        "Sequence diagram: one lifeline per node{lifelines}, time flowing down, messages as \
         arrows. Arrow keys scroll, plus and minus zoom, 0 fits all, left and right select events."
    );
    html! {
        <section class={classes!("region", "canvas-region", "timeline", comparing.then_some("comparing"))} aria-label="Timeline">
            <div class="region-head">
                <h2 class="region-title">{ "Timeline" }</h2>
                <div class="toolbar" role="toolbar" aria-label="Timeline view">
                    <label class="control">
                        <span class="control-label">{ "Axis" }</span>
                        <select class="axis-picker" onchange={on_axis}>
                            { for AXES.iter().map(|(a, id, label)| html! {
                                <option value={*id} selected={*a == axis}>{ *label }</option>
                            }) }
                        </select>
                    </label>
                    <button type="button" class="button small zoom-out" onclick={zoom_out}
                        title="Zoom out (−)" aria-label="Zoom out">{ "−" }</button>
                    <button type="button" class="button small zoom-in" onclick={zoom_in}
                        title="Zoom in (+)" aria-label="Zoom in">{ "+" }</button>
                    <button type="button" class="button small fit-all" onclick={fit_all}
                        title="Show the whole run (0)">{ "Fit all" }</button>
                    <button type="button" class="button small follow" onclick={follow}
                        title="Follow the newest events (End)">{ "Follow" }</button>
                    // Downloads live in one menu so the toolbar fits beside narrow canvases.
                    <details class="export-menu" ref={export_menu.clone()}>
                        <summary class="button small" title="Download this view or the trace">{ "Export" }</summary>
                        <div class="export-items" onclick={close_export}>
                            <button type="button" class="button small export-svg" onclick={export_svg}
                                title="Download this view as an SVG vector image">{ "SVG" }</button>
                            <button type="button" class="button small export-png" onclick={export_png}
                                title="Download this view as a PNG image">{ "PNG" }</button>
                            <button type="button" class="button small" onclick={export_slide(false)}>{ "PNG for slides (2×)" }</button>
                            <button type="button" class="button small" onclick={export_slide(true)}>{ "PNG for a projector" }</button>
                            <button type="button" class="button small export-json" onclick={export_trace}
                                title="Download the trace as JSON: every event with its clocks and vector clock">{ "JSON" }</button>
                            <button type="button" class="button small export-shiviz" onclick={export_shiviz}
                                title="Download the trace as a ShiViz log (hosts and vector clocks), to study it in ShiViz">{ "ShiViz" }</button>
                        </div>
                    </details>
                </div>
            </div>
            { compare_bar.unwrap_or_default() }
            <div class={classes!("canvas-frame", comparing.then_some("comparing"))}>
                <canvas ref={props.canvas.clone()} tabindex="0" role="img" class="timeline-canvas"
                    aria-label={if comparing { format!("{left}: sequence diagram, the first difference marked, what follows from it tinted") } else { canvas_label }}
                    onpointerdown={on_pointer_down.clone()} onpointermove={on_pointer_move.clone()}
                    onpointerup={on_pointer_up.clone()} onpointercancel={on_pointer_cancel.clone()}
                    onpointerleave={on_leave.clone()} onkeydown={on_key.clone()}></canvas>
                // The other run, on the same camera: always in the page (so its gestures stay
                // wired), shown only while comparing.
                <canvas ref={props.compare_canvas.clone()} tabindex={if comparing { "0" } else { "-1" }}
                    role="img" class="compare-canvas" hidden={!comparing}
                    aria-label={format!("{right}: sequence diagram, the first difference marked, what follows from it tinted")}
                    onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                    onpointerup={on_pointer_up} onpointercancel={on_pointer_cancel}
                    onpointerleave={on_leave} onkeydown={on_key}></canvas>
                if comparing {
                    <p class="compare-caption first" aria-hidden="true">{ left }</p>
                    <p class="compare-caption second" aria-hidden="true">{ right }</p>
                }
                { hover_card.unwrap_or_default() }
            </div>
            if !comparing && !props.asking {
                { end_state_row(&props.stage) }
            }
            <MessageFilter stage={props.stage.clone()} look={props.look.clone()}
                causal_only={props.causal_only} has_selection={props.selected.is_some()}
                stage_revision={props.stage_revision} dispatch={props.dispatch.clone()} />
            <p class="hint">
                <span class="hint-pointer">{ "Drag or wheel to scroll · Ctrl+wheel or pinch to zoom · click an event for its causal past and future" }</span>
                <span class="hint-touch">{ "One finger scrolls · two fingers pinch to zoom · tap an event for its causal past and future" }</span>
            </p>
            { legend() }
        </section>
    }
}

/// The row under the lanes: each node's state now in a few words, each under its lane (the
/// lanes share the canvas's width equally, as the row's columns do), under a caption that
/// says when ("At the end, 17.000 s"). Drawn with the region, which follows the run's step.
fn end_state_row(stage: &StageHandle) -> Html {
    let Some((end, names)) = stage
        .read()
        .map(|stage| (stage.end_state(), stage.names.clone()))
    else {
        return Html::default();
    };
    let lanes = end.lines.len().max(1);
    let cells = end.lines.into_iter().zip(names).map(|(line, name)| {
        html! {
            <p class="end-state-cell">
                <span class="visually-hidden">{ name }{ ": " }</span>{ line }
            </p>
        }
    });
    html! {
        <div class="end-state" role="group" aria-label="Each node's state"
            style={format!("--lanes: {lanes}")}>
            <p class="end-state-caption">{ end.caption }</p>
            { for cells }
        </div>
    }
}

/// Fits everything run so far into the painted height.
fn fit(stage: &mut Stage, axis: Axis) {
    if let Some(height) = stage.painted.as_ref().map(|(_, v)| v.height) {
        stage.fit_all(axis, height);
    }
}

fn keyboard(props: &TimelineProps) -> Callback<KeyboardEvent> {
    let (stage, dispatch, selected, axis) = (
        props.stage.clone(),
        props.dispatch.clone(),
        props.selected,
        props.axis,
    );
    Callback::from(move |event: KeyboardEvent| {
        let key = event.key();
        let handled = matches!(
            key.as_str(),
            "ArrowUp"
                | "ArrowDown"
                | "PageUp"
                | "PageDown"
                | "End"
                | "+"
                | "="
                | "-"
                | "_"
                | "0"
                | "f"
                | "ArrowLeft"
                | "ArrowRight"
                | "Escape"
        );
        if !handled {
            return;
        }
        event.prevent_default();
        on_stage(&stage, &dispatch, |stage| {
            let page = stage
                .painted
                .as_ref()
                .map_or(300.0, |(_, v)| v.height - 80.0);
            let pan = |stage: &mut Stage, dy: f64| {
                stage.move_camera(axis, |c, head, h| c.pan(dy, head, h));
                Some(Action::Hover(None))
            };
            match key.as_str() {
                "ArrowUp" => pan(stage, KEY_PAN),
                "ArrowDown" => pan(stage, -KEY_PAN),
                "PageUp" => pan(stage, page),
                "PageDown" => pan(stage, -page),
                "End" => {
                    stage.move_camera(axis, |c, head, h| c.reveal(head, head, h));
                    None
                }
                "+" | "=" => {
                    stage.move_camera(axis, |c, _, h| c.zoom_at((h + 40.0) / 2.0, ZOOM_STEP));
                    None
                }
                "-" | "_" => {
                    stage.move_camera(axis, |c, _, h| c.zoom_at((h + 40.0) / 2.0, 1.0 / ZOOM_STEP));
                    None
                }
                "0" | "f" => {
                    fit(stage, axis);
                    None
                }
                "Escape" => Some(Action::Select(None)),
                "ArrowLeft" | "ArrowRight" => {
                    let count = stage.run.event_count();
                    if count == 0 {
                        return None;
                    }
                    let next = match (selected, key.as_str()) {
                        (Some(e), "ArrowLeft") => e.index().saturating_sub(1),
                        (Some(e), _) => (e.index() + 1).min(count - 1),
                        (None, _) => first_visible(stage).unwrap_or(0),
                    };
                    let event = EventId(next as u32);
                    stage.reveal(event, axis);
                    Some(Action::Select(Some(event)))
                }
                _ => None,
            }
        });
    })
}

/// The earliest event in the painted frame.
fn first_visible(stage: &Stage) -> Option<usize> {
    let (shapes, _) = stage.painted.as_ref()?;
    shapes
        .iter()
        .filter_map(|s| match s {
            crate::render::timeline::Shape::Event { event, .. } => Some(event.index()),
            _ => None,
        })
        .min()
}

/// The card beside a hovered event.
fn hover_card(handle: &StageHandle, hover: Hover) -> Option<Html> {
    let stage = handle.read()?;
    let details = stage.run.details(hover.event)?;
    let name = stage
        .names
        .get(details.node.index())
        .cloned()
        .unwrap_or_default();
    let (width, height) = stage
        .painted
        .as_ref()
        .map_or((f64::MAX, f64::MAX), |(_, v)| (v.width, v.height));
    // Keep the card inside the canvas: flip to the other side near the right or bottom edge.
    let left = if hover.x > width * 0.6 {
        format!("right: {:.0}px", width - hover.x + 14.0)
    } else {
        format!("left: {:.0}px", hover.x + 14.0)
    };
    let top = if hover.y > height * 0.6 {
        format!("bottom: {:.0}px", height - hover.y + 14.0)
    } else {
        format!("top: {:.0}px", hover.y + 14.0)
    };
    Some(html! {
        <div class="hover-card" role="tooltip" style={format!("{left}; {top}")}>
            <p class="hover-title">{ format!("{name} · {}", details.description) }</p>
            <p>{ format!("true time {} · {name}'s clock {}", seconds(details.time), clock_text(details.time_of_day)) }</p>
            <p>{ format!("Lamport {} · vector [{}]", details.lamport, vector_text(&details.vector_clock)) }</p>
        </div>
    })
}

/// A time-of-day reading, which may be negative.
pub fn clock_text(time_of_day: i64) -> String {
    crate::render::topology::clock_readout(time_of_day, 0).0
}

pub fn vector_text(clock: &[u32]) -> String {
    clock
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
