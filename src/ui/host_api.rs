//! The postMessage API (see `host_protocol`): a host page drives an embedded Faultline and hears
//! back what happens. Unknown or malformed messages, and messages from an origin other than the
//! embed's `origin=` option, are ignored with a console warning; refused commands are answered
//! with `faultline:error`.
//!
//! How commands flow: every command joins one queue ([`HostLink`]), carried out in order while
//! the embed is *ready* — a run is on stage and has been announced with `faultline:ready`. Until
//! the first run is announced, and from a command that starts a new run (load, reset, fix) until
//! that run is announced, commands wait. Messages that arrive before the app has loaded at all
//! are kept by a few lines of script in `index.html` (`window.faultlineInbox`) and handed over
//! when the listener starts, so a host may send commands from the iframe's `load` event.
//! Events are posted from the frame loop as the run moves, and at once after each command (an
//! embed scrolled out of view gets no animation frames, yet still answers).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};
use yew::prelude::*;

use super::host_protocol::{self, HostCommand, Ignored, Ready, MAX_QUEUED, STEP_EVENT_MS};
use super::stage::{Stage, StageHandle};
use super::state::{presets, Action, AppState, Speed};
use crate::detect::Finding;

/// The name of the inbox `index.html` keeps messages in until the app starts.
const INBOX: &str = "faultlineInbox";

fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

/// The message's data as JSON text: strings as they are, objects stringified.
fn data_text(data: &JsValue) -> Option<String> {
    if let Some(text) = data.as_string() {
        return Some(text);
    }
    js_sys::JSON::stringify(data).ok()?.as_string()
}

/// A command waiting its turn, with what a reply names it by.
struct Queued {
    command: HostCommand,
    kind: String,
    id: Option<String>,
}

/// The host link: the page to tell (if framed), the commands waiting, and what was told.
pub struct HostLink {
    events: Option<HostEvents>,
    queue: VecDeque<Queued>,
    /// The stage revision last announced with `faultline:ready`.
    announced: Option<u64>,
    /// A command that starts a new run was carried out; the rest wait for that run.
    waiting: bool,
}

/// Shared by the listener, the run's start and the frame loop.
pub type HostHandle = Rc<RefCell<HostLink>>;

impl HostLink {
    /// The link of this page: it tells a host only if the page is framed.
    pub fn handle(allowed_origin: Option<String>) -> HostHandle {
        Rc::new(RefCell::new(HostLink {
            events: HostEvents::new(allowed_origin),
            queue: VecDeque::new(),
            announced: None,
            waiting: false,
        }))
    }

    /// Ready to carry out commands: a run is announced and none is awaited.
    fn ready(&self) -> bool {
        self.announced.is_some() && !self.waiting
    }

    /// Tells the host what changed on `stage`: a new run (`ready`), the step, new findings.
    pub fn observe(&mut self, stage: &Stage, playing: bool, now_ms: f64) {
        if self.announced != Some(stage.revision_put) {
            self.announced = Some(stage.revision_put);
            self.waiting = false;
            if let Some(events) = &mut self.events {
                events.announce(stage);
            }
        }
        if let Some(events) = &mut self.events {
            events.observe(stage, playing, now_ms);
        }
    }

    /// Tells the host a command was refused, and why.
    fn refuse(&self, kind: Option<&str>, id: Option<&str>, reason: &Ignored) {
        if let Some(events) = &self.events {
            events.post(&host_protocol::error_event(kind, id, reason));
        }
    }

    /// Tells the host the height the embed wants.
    pub fn tell_height(&mut self, height: u32) {
        if let Some(events) = &mut self.events {
            if events.height != Some(height) {
                events.height = Some(height);
                events.post(&host_protocol::height_event(height));
            }
        }
    }
}

/// Reads one message (its data and sender's origin), and queues its command or says why not.
fn receive(
    link: &HostHandle,
    allowed: Option<&str>,
    data: &JsValue,
    origin: &str,
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
) {
    if allowed.is_some_and(|allowed| allowed != origin) {
        warn(&format!(
            "Faultline: ignored a message from {origin}: only {} may drive this embed.",
            allowed.unwrap_or_default()
        ));
        return;
    }
    let message = match data_text(data) {
        Some(text) => host_protocol::read_message(&text),
        None => host_protocol::Message {
            command: Err(Ignored::Unreadable),
            kind: None,
            id: None,
        },
    };
    let kind = message.kind.clone();
    let refused = match message.command {
        Ok(command) => {
            let Ok(mut held) = link.try_borrow_mut() else {
                return;
            };
            if held.queue.len() >= MAX_QUEUED {
                Some(Ignored::QueueFull)
            } else {
                held.queue.push_back(Queued {
                    command,
                    kind: kind.clone().unwrap_or_default(),
                    id: message.id.clone(),
                });
                None
            }
        }
        Err(reason) => Some(reason),
    };
    if let Some(reason) = refused {
        warn(&host_protocol::warning(origin, &reason));
        if kind.is_some() {
            if let Ok(held) = link.try_borrow() {
                held.refuse(kind.as_deref(), message.id.as_deref(), &reason);
            }
        }
    }
    settle(link, stage, dispatch);
}

/// Announces the run on stage if it is new, then carries out waiting commands in order while
/// the embed is ready. Never holds the link while a command runs: a command may start a run,
/// whose start settles again.
pub fn settle(link: &HostHandle, stage: &StageHandle, dispatch: &UseReducerDispatcher<AppState>) {
    loop {
        let next = {
            let Ok(mut held) = link.try_borrow_mut() else {
                return;
            };
            let Some(on_stage) = stage.read() else {
                return;
            };
            held.observe(&on_stage, false, now_ms());
            if !held.ready() {
                return;
            }
            let Some(next) = held.queue.pop_front() else {
                return;
            };
            if next.command.restarts(on_stage.scenario.fix_enabled) {
                held.waiting = true;
            }
            next
        };
        if let Err(reason) = obey(next.command, stage, dispatch) {
            warn(&format!("Faultline: {}: {reason}.", next.kind));
            if let Ok(held) = link.try_borrow() {
                held.refuse(Some(&next.kind), next.id.as_deref(), &reason);
            }
        }
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Listens for commands from the host page for the app's lifetime, taking over the messages
/// `index.html` kept while the app loaded.
#[hook]
pub fn use_host_api(
    allowed_origin: Option<String>,
    link: HostHandle,
    stage: StageHandle,
    dispatch: UseReducerDispatcher<AppState>,
) {
    use_effect_with(allowed_origin, move |allowed| {
        let allowed = allowed.clone();
        let window = web_sys::window();
        let listener = window.clone().map(|window| {
            let own = window.clone();
            let (link, stage, dispatch) = (link.clone(), stage.clone(), dispatch.clone());
            let allowed = allowed.clone();
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
                let data = event.data();
                receive(
                    &link,
                    allowed.as_deref(),
                    &data,
                    &event.origin(),
                    &stage,
                    &dispatch,
                );
            })
        });
        // The messages that came before this listener, in the order they came.
        if let Some(window) = &window {
            let inbox = js_sys::Reflect::get(window, &JsValue::from_str(INBOX))
                .ok()
                .and_then(|inbox| inbox.dyn_into::<js_sys::Array>().ok());
            let _ = js_sys::Reflect::set(window, &JsValue::from_str(INBOX), &JsValue::NULL);
            for kept in inbox.iter().flat_map(|inbox| inbox.iter()) {
                let field = |name: &str| js_sys::Reflect::get(&kept, &JsValue::from_str(name));
                let (Ok(data), Ok(origin)) = (field("data"), field("origin")) else {
                    continue;
                };
                let origin = origin.as_string().unwrap_or_default();
                receive(&link, allowed.as_deref(), &data, &origin, &stage, &dispatch);
            }
        }
        settle(&link, &stage, &dispatch);
        move || drop(listener)
    });
}

/// Carries out one command; a command that cannot be carried out now says why.
fn obey(
    command: HostCommand,
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Result<(), Ignored> {
    let forced = |action: Action| dispatch.dispatch(Action::Force(Box::new(action)));
    let ended = || stage.read().is_some_and(|s| s.run.finished());
    match command {
        HostCommand::Play { speed } => {
            if ended() {
                return Err(Ignored::AtEnd);
            }
            if let Some(speed) = speed.filter(|&s| s > 0) {
                dispatch.dispatch(Action::SetSpeed(Speed::at_most(speed)));
            }
            dispatch.dispatch(Action::Play);
        }
        HostCommand::Pause => dispatch.dispatch(Action::Pause),
        HostCommand::Step { count } => {
            dispatch.dispatch(Action::Pause);
            if ended() {
                return Err(Ignored::AtEnd);
            }
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
        } => forced(Action::Load {
            scenario,
            fix: fix.unwrap_or(false),
            seed,
        }),
        HostCommand::SetFix { enabled } => forced(Action::SetFix(enabled)),
        HostCommand::Reset => forced(Action::Reset),
    }
    Ok(())
}

/// Tells the host page what happens: run started, step changed, findings.
pub struct HostEvents {
    parent: Window,
    target_origin: String,
    /// The step and whether the run had ended, as last told.
    step: Option<(u64, bool)>,
    posted_at: f64,
    /// The findings found as the run stood last time it was looked at.
    reported: Rc<[Finding]>,
    /// The ids of every finding told in this run: each is told once, even if going back
    /// un-finds it and going forward finds it again.
    told: std::collections::BTreeSet<String>,
    /// The height last told.
    height: Option<u32>,
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
            step: None,
            posted_at: f64::NEG_INFINITY,
            reported: Rc::from(Vec::new()),
            told: Default::default(),
            height: None,
        })
    }

    fn post(&self, event: &str) {
        if let Ok(message) = js_sys::JSON::parse(event) {
            // A host on another origin than `origin=` simply does not receive it.
            let _ = self.parent.post_message(&message, &self.target_origin);
        }
    }

    /// A new run is on stage: `faultline:ready`, and its step and findings told afresh.
    fn announce(&mut self, stage: &Stage) {
        self.step = None;
        self.reported = Rc::from(Vec::new());
        self.told.clear();
        let ids: Vec<String> = presets().iter().map(|s| s.id.clone()).collect();
        let scenario = &stage.scenario;
        let (steps, key_step) = stage.outlook();
        self.post(&host_protocol::ready_event(
            &Ready {
                scenario: scenario.id.clone(),
                title: scenario.title.clone(),
                fix: scenario.fix_enabled,
                seed: scenario.config.seed,
                steps,
                duration_us: stage.run.duration(),
                key_moment: key_step.map(|step| (step, scenario.key_moment_us)),
            },
            &ids,
        ));
    }

    /// The step (at most every [`STEP_EVENT_MS`] while playing, and always when the run ends)
    /// and findings not told yet.
    fn observe(&mut self, stage: &Stage, playing: bool, now_ms: f64) {
        let step = (stage.run.current_step(), stage.run.finished());
        let due = !playing || step.1 || now_ms - self.posted_at >= STEP_EVENT_MS;
        let findings = stage.run.findings();
        // Findings first: a host that hears `finished` has heard every finding.
        if !Rc::ptr_eq(&findings, &self.reported) {
            for (index, finding) in host_protocol::newly_found(&self.reported, &findings) {
                if self.told.insert(host_protocol::finding_id(finding)) {
                    self.post(&host_protocol::finding_event(index, finding));
                }
            }
            self.reported = findings.clone();
        }
        if self.step != Some(step) && due {
            self.step = Some(step);
            self.posted_at = now_ms;
            self.post(&host_protocol::step_event(
                step.0,
                stage.run.now(),
                stage.run.event_count(),
                step.1,
                findings.len(),
            ));
        }
    }
}
