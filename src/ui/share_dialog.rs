//! "Share": the link to this run (scenario, fix, seed, faults, step) in the URL and in a dialog
//! to copy from.

use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::stage::StageHandle;
use super::state::{Action, AppState};
use crate::share::{self, SharedRun};

/// The link to the run as it stands, also written into the address bar (without a new history
/// entry) so a reload keeps it.
pub fn share_url(stage: &StageHandle) -> Option<String> {
    let shared = stage.with(|s| SharedRun {
        scenario: s.scenario.id.clone(),
        fix: s.scenario.fix_enabled,
        seed: s.scenario.config.seed,
        faults: s.run.fault_log(),
        step: s.run.current_step(),
    })?;
    let window = web_sys::window()?;
    let location = window.location();
    let url = format!(
        "{}{}{}#{}",
        location.origin().ok()?,
        location.pathname().ok()?,
        location.search().ok()?,
        share::encode(&shared)
    );
    let _ = window
        .history()
        .ok()?
        .replace_state_with_url(&JsValue::NULL, "", Some(&url));
    Some(url)
}

/// Opens the run of a link pasted into the address bar of an open page. (Links written by
/// Share use `replaceState`, which does not fire `hashchange`.)
#[hook]
pub fn use_link_navigation(dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            let location = window.location();
            gloo_events::EventListener::new(&window, "hashchange", move |_| {
                let fragment = location.hash().unwrap_or_default();
                if !fragment.is_empty() {
                    dispatch.dispatch(Action::OpenLink(fragment));
                }
            })
        });
        move || drop(listener)
    });
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub link: String,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareProps) -> Html {
    let field = use_node_ref();
    let copy = {
        let (field, link) = (field.clone(), props.link.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = field.cast::<HtmlInputElement>() {
                input.select();
            }
            if let Some(window) = web_sys::window() {
                // Fire and forget: the field stays selected for a manual copy if this fails.
                let _ = window.navigator().clipboard().write_text(&link);
            }
        })
    };
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ShareLink(None)))
    };
    html! {
        <div class="help-backdrop">
            <div class="help share" role="dialog" aria-modal="true" aria-label="Share this run">
                <h2>{ "Share this run" }</h2>
                <p>{ "The link opens this scenario with the same seed, fix, faults and step, exactly as it is now." }</p>
                <input ref={field} class="share-link" type="text" readonly=true value={props.link.clone()}
                    aria-label="Link to this run" />
                <div class="share-actions">
                    <button type="button" class="button" onclick={copy}>{ "Copy link" }</button>
                    <button type="button" class="button small" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}
