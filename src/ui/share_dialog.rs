//! "Share": the link to this run (scenario, fix, seed, faults, step) in the URL and in a dialog
//! to copy from.

use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::embed::split_fragment;
use super::embed_builder_view::use_embed_builder;
use super::export::download_text;
use super::stage::StageHandle;
use super::state::{preset, Action, AppState};
use crate::share::{self, SharedRun};

/// The run as it stands, as a link or a file carries it.
pub fn shared_run(stage: &StageHandle) -> Option<SharedRun> {
    stage.with(|s| {
        let base = match &s.custom {
            Some(custom) => Some((**custom).clone()),
            None => preset(&s.scenario.id),
        };
        // A hunt's or a challenge's run is of its scenario's subject: the link names the
        // cluster it was made from.
        let cluster = match (&s.hunt, &s.challenge) {
            (Some((_, cluster)), _) | (_, Some((_, cluster))) => cluster.clone(),
            _ => s.scenario.cluster(),
        };
        SharedRun {
            scenario: s.scenario.id.clone(),
            fix: s.scenario.fix_enabled,
            seed: s.scenario.config.seed,
            faults: s.run.fault_log(),
            step: s.run.current_step(),
            moment: s.moment(),
            cluster: base
                .map(|base| base.cluster())
                .filter(|base| *base != cluster)
                .map(|_| cluster),
            resumes: s.pending_resumes(),
            custom: s.custom.as_deref().cloned().map(Box::new),
            hunt: s.hunt.as_ref().map(|(settings, _)| settings.clone()),
            compare: s.compared.as_ref().map(|c| c.with),
            challenge: s.challenge.as_ref().map(|(c, _)| Box::new((**c).clone())),
        }
    })
}

/// The scenario on stage as a whole (model, parameters, script, narration, cluster), from the
/// start and without hand-made faults: a file to edit and open again as a scenario of one's own.
fn scenario_file(stage: &StageHandle) -> Option<SharedRun> {
    stage.with(|s| SharedRun {
        custom: Some(Box::new(s.scenario.clone())),
        ..SharedRun::new(
            s.scenario.id.clone(),
            s.scenario.fix_enabled,
            s.scenario.config.seed,
        )
    })
}

/// The link to the run as it stands, also written into the address bar (without a new history
/// entry) so a reload keeps it.
pub fn share_url(stage: &StageHandle) -> Option<String> {
    url_of(&shared_run(stage)?)
}

/// The link to `shared`, also written into the address bar (see [`share_url`]).
pub fn url_of(shared: &SharedRun) -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let url = format!(
        "{}{}{}#{}",
        location.origin().ok()?,
        location.pathname().ok()?,
        location.search().ok()?,
        share::encode(shared)
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
                // Embed options alone in the fragment name no run to open.
                if !split_fragment(&fragment).0.is_empty() {
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
    pub stage: StageHandle,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Largest run file read (bytes): bigger files are refused before reading.
const MAX_FILE_BYTES: f64 = 1_048_576.0;

/// A warning when the run is too large for a link to open (a long script of one's own can be).
fn link_too_long(link: &str) -> Option<String> {
    let chars = link
        .split_once('#')
        .map_or(0, |(_, fragment)| fragment.chars().count());
    (chars > share::MAX_LINK_CHARS).then(|| {
        format!(
            "This run is too large for a link ({chars} characters; a link holds at most {}): \
             save it as a file instead.",
            share::MAX_LINK_CHARS
        )
    })
}

/// A button's callback that downloads `faultline-<id>.<kind>.json`, the run file `make` builds
/// from the stage; a failure becomes a notice.
fn save_file(
    props: &ShareProps,
    make: fn(&StageHandle) -> Option<SharedRun>,
    kind: &'static str,
) -> Callback<MouseEvent> {
    let (stage, dispatch) = (props.stage.clone(), props.dispatch.clone());
    Callback::from(move |_: MouseEvent| {
        let result = make(&stage)
            .ok_or_else(|| "nothing has run yet".to_string())
            .and_then(|run| {
                let name = format!("faultline-{}.{kind}.json", run.scenario);
                download_text(&name, "application/json", &share::to_json(&run))
            });
        if let Err(message) = result {
            dispatch.dispatch(Action::Notice(format!(
                "Saving the {kind} failed: {message}"
            )));
        }
    })
}

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareProps) -> Html {
    let builder = use_embed_builder(&props.link);
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
    let save = save_file(props, shared_run, "run");
    let save_scenario = save_file(props, scenario_file, "scenario");
    let open = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            if file.size() > MAX_FILE_BYTES {
                dispatch.dispatch(Action::Notice(format!(
                    "This file could not be opened: it is {:.1} MB; a saved run is at most 1 MB.",
                    file.size() / MAX_FILE_BYTES
                )));
                return;
            }
            let dispatch = dispatch.clone();
            super::export::read_text(
                file,
                Box::new(move |text| match text {
                    Some(text) => dispatch.dispatch(Action::OpenFile(text)),
                    None => dispatch.dispatch(Action::Notice(
                        "This file could not be opened: it is not text.".into(),
                    )),
                }),
            );
        })
    };
    html! {
        <div class="help-backdrop">
            <div class="help share" role="dialog" aria-modal="true" aria-label="Share this run">
                <h2>{ "Share this run" }</h2>
                <p>{ "The link opens this scenario with the same seed, fix, faults and step, exactly as it is now." }</p>
                <input ref={field} class="share-link" type="text" readonly=true value={props.link.clone()}
                    aria-label="Link to this run" />
                if let Some(warning) = link_too_long(&props.link) {
                    <p class="seed-error" role="alert">{ warning }</p>
                }
                <div class="share-actions">
                    <button type="button" class="button" onclick={copy}>{ "Copy link" }</button>
                    <button type="button" class="button small" onclick={save}>{ "Save as a file" }</button>
                    <button type="button" class="button small" onclick={save_scenario}
                        title="The whole scenario as JSON (model, timings, script, narration), to edit and open again">
                        { "Save the scenario" }
                    </button>
                    <label class="button small open-file">
                        { "Open a saved run…" }
                        <input type="file" accept=".json,application/json" class="visually-hidden"
                            onchange={open} aria-label="Open a saved run" />
                    </label>
                    <button type="button" class="button small" onclick={close}>{ "Close" }</button>
                </div>
                { builder }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_too_long_to_open_says_to_save_a_file() {
        assert_eq!(super::link_too_long("https://e.org/#v1.abc"), None);
        let long = format!(
            "https://e.org/#v1.{}",
            "A".repeat(crate::share::MAX_LINK_CHARS)
        );
        assert!(super::link_too_long(&long)
            .unwrap()
            .contains("save it as a file instead"));
    }
}
