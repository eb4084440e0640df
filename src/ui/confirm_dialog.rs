//! "This discards your work": asked before an action would throw away faults applied by hand or
//! a customised cluster.

use yew::prelude::*;

use super::state::{Action, AppState};

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    /// The question, naming what would be lost.
    pub question: String,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[function_component(ConfirmDialog)]
pub fn confirm_dialog(props: &ConfirmDialogProps) -> Html {
    let keep_button = use_node_ref();
    // Focus lands on the safe choice, so Enter never discards by accident.
    {
        let keep_button = keep_button.clone();
        use_effect_with((), move |_| {
            if let Some(button) = keep_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let discard = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ConfirmDiscard))
    };
    let keep = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::KeepWork))
    };
    html! {
        <div class="help-backdrop">
            <div class="help confirm" role="alertdialog" aria-modal="true"
                aria-labelledby="confirm-question">
                <h2>{ "Discard your changes?" }</h2>
                <p id="confirm-question">{ props.question.clone() }</p>
                <p>{ "To keep them, share the run or save it as a file first." }</p>
                <div class="share-actions">
                    <button ref={keep_button} type="button" class="button" onclick={keep}>
                        { "Keep working" }
                    </button>
                    <button type="button" class="button small discard" onclick={discard}>
                        { "Discard and go on" }
                    </button>
                </div>
            </div>
        </div>
    }
}
