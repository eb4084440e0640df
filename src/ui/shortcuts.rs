//! Keyboard shortcuts for the whole page, and auto-pause when the tab is hidden. The keys are
//! listed in the help overlay (`?`), from [`SHORTCUTS`], so the two cannot drift apart.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use super::stage::{applied, StageHandle};
use super::state::{guided_step, Action, AppState, Hint};
use crate::sim::Command;

/// Every page-wide key and what it does, in the order the help overlay lists them.
pub const SHORTCUTS: [(&str, &str); 14] = [
    ("Space or K", "Play or pause"),
    (".", "Step one event forward"),
    (",", "Step one event back"),
    ("R", "Restart the run"),
    ("X", "Turn the scenario's fix on or off"),
    ("H", "Heal every link"),
    (
        "N",
        "Focus the first node (arrow keys move through nodes and links; Enter acts)",
    ),
    (
        "← → ↑ ↓",
        "Within the nodes and links, the message kinds or a list in the inspector: the next or \
         previous one (the group is one stop for Tab)",
    ),
    (
        "T",
        "Focus the timeline (arrows scroll, + − zoom, 0 fits, ← → select events)",
    ),
    ("P", "Projector mode: large type"),
    (
        "F",
        "Presentation mode: the diagram fills the screen, the story is a caption",
    ),
    ("?", "This help"),
    ("Esc", "Close menus and this help"),
    (
        "Drag",
        "On the topology: across links cuts them; node to node cuts one direction",
    ),
];

/// The keys of controls an embed does not show (the fix, projector and presentation modes): an
/// embed ignores them, so nothing changes that the reader cannot see or undo, and leaves them
/// out of its help. (Heal all is on an embed's topology, so H works there.)
const NOT_IN_EMBEDS: [&str; 3] = ["x", "p", "f"];

/// Whether `key` (lower-cased, as [`SHORTCUTS`] or the keyboard names it) works on this page.
pub fn works(key: &str, embedded: bool) -> bool {
    !(embedded && NOT_IN_EMBEDS.contains(&key.to_ascii_lowercase().as_str()))
}

/// Typing in a field, or pressing Space on a button, is not a shortcut (Escape still closes
/// the menu a field is in).
fn typing(event: &KeyboardEvent) -> bool {
    if event.key() == "Escape" {
        return false;
    }
    let Some(target) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "select" | "textarea")
        || (event.key() == " " && matches!(tag.as_str(), "button" | "summary"))
}

fn focus(selector: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// What a key means, given the state now.
fn action_for(key: &str, state: &AppState, stage: &StageHandle) -> Option<Action> {
    match key {
        " " | "k" => Some(Action::TogglePlay),
        // Past either end of the run the key says why nothing moved.
        "." => {
            let guide = state.guided.then_some(state.guide);
            stage.with(|s| guided_step(guide, s))
        }
        "," => Some(match stage.with(|s| s.run.current_step() == 0) {
            Some(true) => Action::Hint(Hint::AtStart),
            _ => {
                stage.with(|s| s.step_back());
                Action::Pause
            }
        }),
        "r" => Some(Action::Restart),
        "x" => Some(Action::SetFix(!state.fix)),
        "h" => Some(applied(stage.change(|s| s.apply(Command::HealAll)))),
        "n" => {
            focus(".node-twin");
            None
        }
        "t" => {
            focus(".timeline-canvas");
            None
        }
        "p" => Some(Action::ToggleProjector),
        "f" => Some(Action::TogglePresent),
        "?" => Some(Action::ToggleHelp),
        "Escape" => Some(Action::Dismiss),
        _ => None,
    }
}

/// Installs the page-wide key handler and the hidden-tab auto-pause for the app's lifetime.
#[hook]
pub fn use_shortcuts(
    latest: Rc<RefCell<AppState>>,
    stage: StageHandle,
    dispatch: UseReducerDispatcher<AppState>,
) {
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let keys = window.as_ref().map(|window| {
            let (latest, stage, dispatch) = (latest.clone(), stage.clone(), dispatch.clone());
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(window, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                // No shortcut is Tab; within the course page, it goes round.
                if event.key() == "Tab" {
                    if latest.borrow().course {
                        super::course::trap(event);
                    }
                    return;
                }
                if event.ctrl_key() || event.meta_key() || event.alt_key() || typing(event) {
                    return;
                }
                let key = event.key();
                let key = if key.len() == 1 {
                    key.to_ascii_lowercase()
                } else {
                    key
                };
                let state = latest.borrow().clone();
                let modal = state.confirm.is_some()
                    || state.cluster_dialog
                    || state.share_link.is_some()
                    || state.course;
                // A dialog takes every key but Escape, which closes it.
                if modal && key != "Escape" {
                    return;
                }
                // The timeline keeps its own keys (Escape included) while it has focus.
                if key == "Escape" && !state.help && state.node_menu.is_none() && !modal {
                    return;
                }
                if !works(&key, state.embed.enabled) {
                    return;
                }
                if let Some(action) = action_for(&key, &state, &stage) {
                    event.prevent_default();
                    dispatch.dispatch(action);
                }
            })
        });
        let hidden = window.and_then(|w| w.document()).map(|document| {
            let watched = document.clone();
            EventListener::new(&document, "visibilitychange", move |_| {
                if watched.hidden() {
                    dispatch.dispatch(Action::Pause);
                }
            })
        });
        move || drop((keys, hidden))
    });
}

/// The keyboard-shortcut overlay; in an embed (`embedded`), without the keys of controls it
/// does not show.
pub fn help_overlay(dispatch: &UseReducerDispatcher<AppState>, embedded: bool) -> Html {
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Dismiss))
    };
    html! {
        <div class="help-backdrop">
            <div class="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
                <h2>{ "Keyboard shortcuts" }</h2>
                <dl>
                    { for SHORTCUTS.iter().filter(|(key, _)| works(key, embedded)).map(|(key, what)| html! {
                        <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></>
                    }) }
                </dl>
                <button type="button" class="button" onclick={close} autofocus=true>{ "Close" }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{works, SHORTCUTS};

    #[test]
    fn an_embed_keeps_only_the_keys_of_controls_it_shows() {
        for key in ["x", "X", "p", "P", "f"] {
            assert!(!works(key, true), "{key} acts on nothing an embed shows");
            assert!(works(key, false), "{key} works on the full page");
        }
        for key in [" ", "k", ".", ",", "r", "h", "n", "t", "?", "Escape"] {
            assert!(works(key, true), "{key} works in an embed");
        }
        // The help of an embed lists what works there, the page's lists everything.
        let listed = |embedded| {
            SHORTCUTS
                .iter()
                .filter(|(key, _)| works(key, embedded))
                .count()
        };
        assert_eq!(listed(false), SHORTCUTS.len());
        assert_eq!(listed(true), SHORTCUTS.len() - 3);
    }
}
