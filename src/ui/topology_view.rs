//! The topology region: the canvas (painted by the frame loop) with its gestures — knife
//! strokes, node-to-node drags, link clicks — the node menu (`node_menu.rs`) and a message's
//! menu, and "Heal all".

use yew::prelude::*;

use super::frame_loop::canvas_of;
use super::node_menu::NodeMenu;
use super::roving::{use_roving, Roving};
use super::stage::{apply_faults, StageHandle};
use super::state::{Action, AppState};
use super::topology_gesture::{intent, Reach, TopologyIntent};
use super::touch::use_own_touches;
use crate::render::drawn::Drawn;
use crate::render::topology::{node_position, TopoShape, TopologyView};
use crate::sim::{Command, MsgId, NodeId};

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    pub canvas: NodeRef,
    pub stage: StageHandle,
    pub menu: Option<NodeId>,
    pub message_menu: Option<(MsgId, f64, f64)>,
    /// The canvas size (CSS px), so the keyboard twins sit over what they stand for.
    pub size: (u32, u32),
    /// Projector mode's type scale: the layout leaves labels more room.
    pub text_scale: f64,
    /// The stage revision and the step: the cluster may have changed with either, and the
    /// twins' labels must stay true.
    pub revision: (u64, u64),
    pub dispatch: UseReducerDispatcher<AppState>,
    /// Where menus are drawn: over the page, outside every panel.
    pub popover: NodeRef,
}

/// A focusable, labelled button over every node and link drawn on the canvas, so keyboard and
/// screen-reader users can do what a pointer does: open a node's menu, toggle a link. They let
/// pointer events through to the canvas. Together they are one stop for the Tab key: the arrow
/// keys move from one to the next (`roving.rs`).
fn twins(props: &TopologyProps, group: NodeRef, roving: Roving) -> Html {
    let Some(stage) = props.stage.read() else {
        return html! {};
    };
    let view = TopologyView {
        width: f64::from(props.size.0),
        height: f64::from(props.size.1),
        text_scale: props.text_scale,
    };
    if view.width < 1.0 || view.height < 1.0 {
        return html! {};
    }
    let n = usize::from(stage.run.node_count());
    let radius = view.node_radius(n);
    let name = |node: NodeId| stage.names.get(node.index()).cloned().unwrap_or_default();
    let nodes = (0..n as u8).map(NodeId).map(|node| {
        let (x, y) = node_position(&view, n, node);
        let open = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::NodeMenu(Some(node))))
        };
        let label = format!(
            "{} ({})",
            stage.node_title(node),
            stage.run.status(node).label()
        );
        html! {
            <button type="button" class="twin node-twin" aria-label={label} onclick={open}
                style={format!("left: {:.0}px; top: {:.0}px; width: {:.0}px; height: {:.0}px",
                    x - radius, y - radius, radius * 2.0, radius * 2.0)}></button>
        }
    });
    let links = (0..n as u8).flat_map(|a| (a + 1..n as u8).map(move |b| (NodeId(a), NodeId(b))));
    let links = links.map(|(a, b)| {
        let ((ax, ay), (bx, by)) = (node_position(&view, n, a), node_position(&view, n, b));
        let state = match (stage.run.link_up(a, b), stage.run.link_up(b, a)) {
            (true, true) => "up".to_string(),
            (false, false) => "cut".to_string(),
            (false, true) => format!("{}→{} cut", name(a), name(b)),
            (true, false) => format!("{}→{} cut", name(b), name(a)),
        };
        let toggle = {
            let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
            Callback::from(move |_: MouseEvent| {
                let fault = stage.read().map(|s| s.toggle_link(a, b));
                if let Some(fault) = fault {
                    apply_faults(&stage, &dispatch, vec![fault]);
                }
            })
        };
        let state = match stage.run.link_note(a, b) {
            Some(note) => format!("{state}; {note}"),
            None => state,
        };
        html! {
            <button type="button" class="twin link-twin" onclick={toggle}
                aria-label={format!("Link {}–{} ({state})", name(a), name(b))}
                style={format!("left: {:.0}px; top: {:.0}px", (ax + bx) / 2.0 - 9.0, (ay + by) / 2.0 - 9.0)}></button>
        }
    });
    html! {
        <div class="twins" role="toolbar" aria-label="Nodes and links" ref={group}
            onkeydown={roving.onkeydown} onfocusin={roving.onfocusin}>
            { for nodes }
            { for links }
        </div>
    }
}

/// The topology's geometry at the canvas's current size, as the frame loop lays it out.
fn view_of(canvas: &NodeRef, text_scale: f64) -> Option<TopologyView> {
    let element = canvas_of(canvas)?;
    Some(TopologyView {
        width: f64::from(element.client_width()),
        height: f64::from(element.client_height()),
        text_scale,
    })
}

#[function_component(TopologyRegion)]
pub fn topology_region(props: &TopologyProps) -> Html {
    let path = use_mut_ref(Vec::<(f64, f64)>::new);
    use_own_touches(props.canvas.clone());
    let twins_group = use_node_ref();
    let roving = use_roving(twins_group.clone(), ".twin");

    let on_down = {
        let (path, canvas, stage) = (path.clone(), props.canvas.clone(), props.stage.clone());
        Callback::from(move |event: PointerEvent| {
            if let Some(element) = canvas_of(&canvas) {
                let _ = element.set_pointer_capture(event.pointer_id());
            }
            let point = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            *path.borrow_mut() = vec![point];
            stage.with(|stage| stage.knife = vec![point]);
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
            stage.with(|stage| stage.knife.push(point));
        })
    };
    let on_up = {
        let (path, stage, dispatch, canvas, text_scale) = (
            path.clone(),
            props.stage.clone(),
            props.dispatch.clone(),
            props.canvas.clone(),
            props.text_scale,
        );
        Callback::from(move |event: PointerEvent| {
            let mut points = std::mem::take(&mut *path.borrow_mut());
            points.push((f64::from(event.offset_x()), f64::from(event.offset_y())));
            let read = stage
                .with(|stage| {
                    stage.knife.clear();
                    let view = view_of(&canvas, text_scale)?;
                    let messages: Vec<_> = stage
                        .run
                        .topology(&view, stage.shown_time())
                        .into_iter()
                        .filter_map(|s| match s {
                            TopoShape::Message { id, position, .. } => Some((id, position)),
                            _ => None,
                        })
                        .collect();
                    let nodes = usize::from(stage.run.node_count());
                    let reach = Reach::of(&event.pointer_type());
                    let meaning = intent(&view, nodes, &messages, &points, reach);
                    let message_at = match meaning {
                        TopologyIntent::OpenMessage(id) => messages
                            .iter()
                            .find(|m| m.0 == id)
                            .map(|&(id, (x, y))| (id, x, y)),
                        _ => None,
                    };
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
                    Some((meaning, faults, message_at))
                })
                .flatten();
            match read {
                Some((TopologyIntent::OpenMessage(_), _, at)) => {
                    dispatch.dispatch(Action::MessageMenu(at))
                }
                Some((TopologyIntent::OpenNode(node), _, _)) => {
                    dispatch.dispatch(Action::NodeMenu(Some(node)))
                }
                Some((_, faults, _)) if !faults.is_empty() => {
                    apply_faults(&stage, &dispatch, faults)
                }
                _ => {}
            }
        })
    };
    let on_cancel = {
        let (path, stage) = (path.clone(), props.stage.clone());
        Callback::from(move |_: PointerEvent| {
            path.borrow_mut().clear();
            stage.with(|stage| stage.knife.clear());
        })
    };
    let heal_all = {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| apply_faults(&stage, &dispatch, vec![Command::HealAll]))
    };

    // Drawn over the page (through a portal), so no panel clips it.
    let menu = props
        .menu
        .zip(props.popover.cast::<web_sys::Element>())
        .map(|(node, host)| {
            create_portal(
                html! {
                    <NodeMenu {node} canvas={props.canvas.clone()} stage={props.stage.clone()}
                        text_scale={props.text_scale} revision={props.revision}
                        dispatch={props.dispatch.clone()} />
                },
                host,
            )
        });
    let message_menu = props
        .message_menu
        .zip(props.popover.cast::<web_sys::Element>())
        .map(|((id, x, y), host)| create_portal(message_menu(props, id, x, y), host));
    let twins = twins(props, twins_group, roving);
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
                { twins }
                { menu.unwrap_or_default() }
                { message_menu.unwrap_or_default() }
            </div>
        </section>
    }
}

/// The popover beside a message in flight: drop it, or deliver it twice.
fn message_menu(props: &TopologyProps, id: MsgId, x: f64, y: f64) -> Html {
    let act = |fault: Command<()>| {
        let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| apply_faults(&stage, &dispatch, vec![fault.clone()]))
    };
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::MessageMenu(None)))
    };
    // The point beside the message, in the window's CSS px.
    let (left, top) = canvas_of(&props.canvas)
        .map(|canvas| {
            let rect = canvas.get_bounding_client_rect();
            (rect.left() + x + 14.0, rect.top() + y - 20.0)
        })
        .unwrap_or((8.0, 8.0));
    html! {
        <div class="node-popover" style={format!("--menu-left: {left:.0}px; --menu-top: {top:.0}px")}>
            <div class="node-menu message-menu" role="dialog" aria-label={format!("Message #{}", id.0)}>
                <p class="node-menu-title">{ format!("Message #{} in flight", id.0) }</p>
                <button type="button" onclick={act(Command::DropMessage { msg: id })}>{ "Drop it" }</button>
                <button type="button" onclick={act(Command::DuplicateMessage { msg: id })}>{ "Duplicate it" }</button>
                <button type="button" class="close" onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
