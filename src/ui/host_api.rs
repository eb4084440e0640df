//! The postMessage API (see `host_protocol`): a host page drives an embedded Faultline and hears
//! back what happens. Unknown or malformed messages, and messages from an origin other than the
//! embed's `origin=` option, are ignored with a console warning.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};
use yew::prelude::*;

use super::host_protocol::{self, HostCommand, STEP_EVENT_MS};
use super::stage::{Stage, StageHandle};
use super::state::{presets, Action, AppState, Speed};
use crate::detect::Finding;

fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("Faultline: {message}.")));
}

/// The message's data as JSON text: strings as they are, objects stringified.
fn data_text(event: &MessageEvent) -> Option<String> {
    let data = event.data();
    if let Some(text) = data.as_string() {
        return Some(text);
    }
    js_sys::JSON::stringify(&data).ok()?.as_string()
}

/// Listens for commands from the host page for the app's lifetime.
#[hook]
pub fn use_host_api(
    allowed_origin: Option<String>,
    stage: StageHandle,
    dispatch: UseReducerDispatcher<AppState>,
) {
    use_effect_with(allowed_origin, move |allowed| {
        let allowed = allowed.clone();
        let listener = web_sys::window().map(|window| {
            let own = window.clone();
            gloo_events::EventListener::new(&window, "message", move |event| {
                let Some(event) = event.dyn_ref::<MessageEvent>() else {
                    return;
                };
                // Commands come from the page framing this one, never from this page (its own
                // events, posted to itself when not framed) nor from a page framed in it (the
                // share dialog's preview, whose events would read as commands: a step event
                // as "step").
                let host = own
                    .parent()
                    .ok()
                    .flatten()
                    .map(JsValue::from)
                    .filter(|parent| *parent != JsValue::from(own.clone()));
                if host.is_none() || event.source().map(JsValue::from) != host {
                    return;
                }
                let origin = event.origin();
                if allowed.as_ref().is_some_and(|allowed| *allowed != origin) {
                    warn(&format!(
                        "ignored a message from {origin}: only {} may drive this embed",
                        allowed.as_deref().unwrap_or_default()
                    ));
                    return;
                }
                let command = data_text(event)
                    .ok_or(host_protocol::Ignored::Unreadable)
                    .and_then(|text| host_protocol::parse(&text));
                match command {
                    Ok(command) => obey(command, &stage, &dispatch),
                    Err(reason) => web_sys::console::warn_1(&JsValue::from_str(
                        &host_protocol::warning(&origin, &reason),
                    )),
                }
            })
        });
        move || drop(listener)
    });
}

fn obey(command: HostCommand, stage: &StageHandle, dispatch: &UseReducerDispatcher<AppState>) {
    let forced = |action: Action| dispatch.dispatch(Action::Force(Box::new(action)));
    match command {
        HostCommand::Play { speed } => {
            if let Some(speed) = speed.filter(|&s| s > 0) {
                dispatch.dispatch(Action::SetSpeed(Speed::at_most(speed)));
            }
            dispatch.dispatch(Action::Play);
        }
        HostCommand::Pause => dispatch.dispatch(Action::Pause),
        HostCommand::Step { count } => {
            dispatch.dispatch(Action::Pause);
            stage.with(|stage| {
                for _ in 0..count {
                    if stage.step() == 0 {
                        break;
                    }
                }
            });
        }
        HostCommand::Seek { step } => {
            dispatch.dispatch(Action::Pause);
            stage.with(|stage| stage.run.seek(step));
        }
        HostCommand::Load {
            scenario,
            fix,
            seed,
        } => {
            forced(Action::SelectScenario(scenario));
            if let Some(fix) = fix {
                forced(Action::SetFix(fix));
            }
            if let Some(seed) = seed {
                forced(Action::EditSeed(seed.to_string()));
            }
        }
        HostCommand::SetFix { enabled } => forced(Action::SetFix(enabled)),
    }
}

/// Tells the host page what happens: run started, step changed, findings. Driven by the frame
/// loop, so it costs nothing between frames and never re-renders the page.
pub struct HostEvents {
    parent: Window,
    target_origin: String,
    run: Option<u64>,
    step: Option<u64>,
    posted_at: f64,
    /// The findings told so far (still found in the run as it stands).
    reported: std::rc::Rc<[Finding]>,
}

impl HostEvents {
    /// `None` unless the page is framed (a top-level page has no host to tell).
    pub fn new(allowed_origin: Option<String>) -> Option<HostEvents> {
        let window = web_sys::window()?;
        let parent = window.parent().ok().flatten()?;
        if JsValue::from(parent.clone()) == JsValue::from(window) {
            return None;
        }
        Some(HostEvents {
            parent,
            target_origin: allowed_origin.unwrap_or_else(|| "*".to_string()),
            run: None,
            step: None,
            posted_at: f64::NEG_INFINITY,
            reported: std::rc::Rc::from(Vec::new()),
        })
    }

    fn post(&self, event: &Value) {
        if let Ok(message) = js_sys::JSON::parse(&event.to_string()) {
            // A host on another origin than `origin=` simply does not receive it.
            let _ = self.parent.post_message(&message, &self.target_origin);
        }
    }

    /// Called once per frame with the run on stage.
    pub fn observe(&mut self, stage: &Stage, playing: bool, now_ms: f64) {
        if self.run != Some(stage.revision_put) {
            self.run = Some(stage.revision_put);
            self.step = None;
            self.reported = std::rc::Rc::from(Vec::new());
            let ids: Vec<String> = presets().iter().map(|s| s.id.clone()).collect();
            let scenario = &stage.scenario;
            self.post(&host_protocol::ready_event(
                &scenario.id,
                scenario.fix_enabled,
                scenario.config.seed,
                &ids,
            ));
        }
        let step = stage.run.current_step();
        let due = !playing || now_ms - self.posted_at >= STEP_EVENT_MS;
        if self.step != Some(step) && due {
            self.step = Some(step);
            self.posted_at = now_ms;
            self.post(&host_protocol::step_event(
                step,
                stage.run.now(),
                stage.run.event_count(),
                stage.run.finished(),
            ));
        }
        let findings = stage.run.findings();
        // The same findings as last frame (the run did not move): nothing to tell.
        if std::rc::Rc::ptr_eq(&findings, &self.reported) {
            return;
        }
        for (index, finding) in host_protocol::newly_found(&self.reported, &findings) {
            self.post(&host_protocol::finding_event(index, finding));
        }
        // Going back un-finds findings; going forward again reports them again.
        self.reported = findings;
    }
}
