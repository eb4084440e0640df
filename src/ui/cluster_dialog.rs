//! The cluster editor: node count, network and run length for the scenario on stage.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::cluster_form::{ClusterForm, Field, FormError};
use super::state::{Action, AppState};
use crate::scenarios::Cluster;

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
