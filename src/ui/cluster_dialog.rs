//! The cluster editor: node count, network and run length for the scenario on stage.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::cluster_form::{ClusterForm, Field, FormError, LinkRow};
use super::state::{Action, AppState};
use crate::scenarios::Cluster;
use crate::sim::NodeId;

#[derive(Properties, PartialEq)]
pub struct ClusterDialogProps {
    /// The preset's own cluster.
    pub preset: Cluster,
    /// The cluster in force (the preset's or a customised one).
    pub current: Cluster,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// One labelled field of the form.
struct Input {
    field: Field,
    label: &'static str,
    unit: &'static str,
    value: fn(&ClusterForm) -> &String,
    set: fn(&mut ClusterForm, String),
}

const INPUTS: [Input; 6] = [
    Input {
        field: Field::Nodes,
        label: "Nodes",
        unit: "",
        value: |f| &f.nodes,
        set: |f, v| f.nodes = v,
    },
    Input {
        field: Field::Latency,
        label: "Latency",
        unit: "ms",
        value: |f| &f.latency_ms,
        set: |f, v| f.latency_ms = v,
    },
    Input {
        field: Field::Jitter,
        label: "Jitter",
        unit: "ms",
        value: |f| &f.jitter_ms,
        set: |f, v| f.jitter_ms = v,
    },
    Input {
        field: Field::Loss,
        label: "Loss",
        unit: "%",
        value: |f| &f.loss_percent,
        set: |f, v| f.loss_percent = v,
    },
    Input {
        field: Field::Duplication,
        label: "Duplication",
        unit: "%",
        value: |f| &f.duplication_percent,
        set: |f, v| f.duplication_percent = v,
    },
    Input {
        field: Field::Duration,
        label: "Run length",
        unit: "s",
        value: |f| &f.duration_s,
        set: |f, v| f.duration_s = v,
    },
];

#[function_component(ClusterDialog)]
pub fn cluster_dialog(props: &ClusterDialogProps) -> Html {
    let form = use_state(|| ClusterForm::from_cluster(&props.current));
    let problem = use_state(|| None::<FormError>);

    // Focus lands in the first field, so the keyboard continues inside the dialog.
    let first_field = use_node_ref();
    {
        let first_field = first_field.clone();
        use_effect_with((), move |_| {
            if let Some(input) = first_field.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let apply = {
        let (form, problem, dispatch) = (form.clone(), problem.clone(), props.dispatch.clone());
        let (preset, current) = (props.preset.clone(), props.current.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match form.parse(&current) {
                Ok(cluster) => {
                    problem.set(None);
                    let custom = (cluster != preset).then_some(cluster);
                    dispatch.dispatch(Action::SetCluster(custom));
                }
                Err(error) => problem.set(Some(error)),
            }
        })
    };
    let reset = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetCluster(None)))
    };
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ClusterDialog(false)))
    };
    let wrong = problem.as_ref().and_then(|p| p.field);
    let links = link_settings(&form, &problem, wrong);
    html! {
        <div class="help-backdrop">
            <form class="help cluster-editor" role="dialog" aria-modal="true"
                aria-label="Customise the cluster" onsubmit={apply} novalidate=true>
                <h2>{ "Customise the cluster" }</h2>
                <p>{ "The scenario runs again on this cluster. Client requests to nodes it no longer \
                      has go to the ones it has; scripted faults on missing nodes are left out." }</p>
                <div class="cluster-fields">
                    { for INPUTS.iter().enumerate().map(|(index, input)| {
                        let oninput = {
                            let (form, set) = (form.clone(), input.set);
                            Callback::from(move |event: InputEvent| {
                                let target: HtmlInputElement = event.target_unchecked_into();
                                let mut next = (*form).clone();
                                set(&mut next, target.value());
                                form.set(next);
                            })
                        };
                        let invalid = wrong == Some(input.field);
                        let node_ref = if index == 0 { first_field.clone() } else { NodeRef::default() };
                        html! {
                            <label class="cluster-field">
                                <span>{ input.label }</span>
                                <input ref={node_ref} type="text" inputmode="decimal" spellcheck="false"
                                    value={(input.value)(&form).clone()} {oninput}
                                    aria-invalid={invalid.to_string()}
                                    aria-describedby="cluster-error" />
                                <span class="unit">{ input.unit }</span>
                            </label>
                        }
                    }) }
                </div>
                { links }
                <p id="cluster-error" class="seed-error" role="alert">
                    { problem.as_ref().map(|p| p.message.clone()).unwrap_or_default() }
                </p>
                <div class="share-actions">
                    <button type="submit" class="button">{ "Run on this cluster" }</button>
                    <button type="button" class="button small" onclick={reset}>
                        { "Back to the scenario's own" }
                    </button>
                    <button type="button" class="button small" onclick={close}>{ "Cancel" }</button>
                </div>
            </form>
        </div>
    }
}

/// The links with their own loss and duplication: a row each (loss, duplication, remove), and a
/// line to add one.
fn link_settings(
    form: &UseStateHandle<ClusterForm>,
    problem: &UseStateHandle<Option<FormError>>,
    wrong: Option<Field>,
) -> Html {
    let nodes = form
        .nodes
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|&n| (1..=crate::sim::MAX_NODES as u8).contains(&n))
        .unwrap_or(1);
    let edit = |index: usize, set: fn(&mut LinkRow, String)| {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let target: HtmlInputElement = event.target_unchecked_into();
            let mut next = (*form).clone();
            if let Some(row) = next.links.get_mut(index) {
                set(row, target.value());
            }
            form.set(next);
        })
    };
    let rows = form.links.iter().enumerate().map(|(index, row)| {
        let name = format!("{}→{}", row.from, row.to);
        let remove = {
            let form = form.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*form).clone();
                next.links.remove(index);
                form.set(next);
            })
        };
        let field = |label: &str, value: &str, invalid: bool, oninput: Callback<InputEvent>| html! {
            <label class="cluster-field">
                <span>{ label.to_string() }</span>
                <input type="text" inputmode="decimal" spellcheck="false" value={value.to_string()}
                    {oninput} aria-invalid={invalid.to_string()} aria-describedby="cluster-error"
                    aria-label={format!("{label} on {name}")} />
                <span class="unit">{ "%" }</span>
            </label>
        };
        html! {
            <li class="link-setting">
                <span class="link-name">{ format!("{} → {}", row.from, row.to) }</span>
                { field("Loss", &row.loss_percent, wrong == Some(Field::LinkLoss(index)),
                    edit(index, |row, value| row.loss_percent = value)) }
                { field("Duplication", &row.duplication_percent,
                    wrong == Some(Field::LinkDuplication(index)),
                    edit(index, |row, value| row.duplication_percent = value)) }
                <button type="button" class="button small" onclick={remove}
                    aria-label={format!("Remove the settings of {name}")}>{ "Remove" }</button>
            </li>
        }
    });
    let (from, to) = (NodeRef::default(), NodeRef::default());
    let add = {
        let (form, problem, from, to) = (form.clone(), problem.clone(), from.clone(), to.clone());
        Callback::from(move |_: MouseEvent| {
            let pick = |select: &NodeRef| {
                select
                    .cast::<HtmlSelectElement>()
                    .and_then(|s| s.value().parse::<u8>().ok())
                    .map(NodeId)
            };
            let (Some(from), Some(to)) = (pick(&from), pick(&to)) else {
                return;
            };
            let mut next = (*form).clone();
            match next.add_link(from, to) {
                Ok(()) => {
                    problem.set(None);
                    form.set(next);
                }
                Err(error) => problem.set(Some(error)),
            }
        })
    };
    let options = |selected: u8| {
        (0..nodes)
            .map(|n| {
                let node = NodeId(n);
                html! { <option value={n.to_string()} selected={n == selected}>{ node.to_string() }</option> }
            })
            .collect::<Html>()
    };
    html! {
        <fieldset class="link-settings">
            <legend>{ "Links with their own loss and duplication" }</legend>
            <p class="muted">{ "Each direction on its own, with the latency and jitter above." }</p>
            if !form.links.is_empty() {
                <ul class="link-setting-list">{ for rows }</ul>
            }
            <div class="link-add">
                <label>{ "From " }<select ref={from} aria-label="Link from">{ options(0) }</select></label>
                <label>{ " to " }<select ref={to} aria-label="Link to">{ options(1.min(nodes - 1)) }</select></label>
                <button type="button" class="button small" onclick={add}>{ "Add this link" }</button>
            </div>
        </fieldset>
    }
}
