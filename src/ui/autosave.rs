//! Autosave: the run on stage (scenario, cluster, seed, fix, faults, step) is kept in
//! localStorage as a share link, so a reload brings it back. Embeds neither read nor write it:
//! an iframe in a blog post must not replace the reader's own work.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::share_dialog::shared_run;
use super::stage::StageHandle;
use super::state::{AppState, SmallView};
use crate::share;

const KEY: &str = "faultline.autosave";

pub(super) fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

const VIEW_KEY: &str = "faultline.view";

/// The view a small screen showed last, if one was kept.
pub fn load_view() -> Option<SmallView> {
    SmallView::from_key(&storage()?.get_item(VIEW_KEY).ok().flatten()?)
}

/// Keeps the small screen's view for the next visit (skipped if storage is refused).
pub fn save_view(view: SmallView) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(VIEW_KEY, view.key());
    }
}

/// The saved run's link, if there is one (and storage is allowed).
pub fn load() -> Option<String> {
    storage()?.get_item(KEY).ok().flatten()
}

/// Saves the run on stage; storage that is full or forbidden is silently skipped (the run
/// itself is unaffected).
fn save(stage: &StageHandle) {
    let (Some(storage), Some(run)) = (storage(), shared_run(stage)) else {
        return;
    };
    let _ = storage.set_item(KEY, &share::encode(&run));
}

/// Whether the run on stage should replace the autosave: not while the autosaved run is
/// offered (the address named another scenario) and the run on stage holds no work of its own.
pub fn worth_saving(state: &AppState) -> bool {
    let work = state.hand_faults || state.cluster.is_some() || state.custom.is_some();
    state.run_error.is_none() && (state.offered.is_none() || work)
}

/// Saves whenever the run changes in a way a reload should keep, and when the page is left.
#[hook]
pub fn use_autosave(state: &AppState, stage: StageHandle, latest: Rc<RefCell<AppState>>) {
    let enabled = !state.embed.enabled;
    let moments = (state.stage, state.progress.step, state.playing);
    {
        let (stage, latest) = (stage.clone(), Rc::clone(&latest));
        use_effect_with(moments, move |_| {
            if enabled && worth_saving(&latest.borrow()) {
                save(&stage);
            }
        });
    }
    use_effect_with(enabled, move |enabled| {
        let listener = enabled.then(web_sys::window).flatten().map(|window| {
            gloo_events::EventListener::new(&window, "pagehide", move |_| {
                if worth_saving(&latest.borrow()) {
                    save(&stage);
                }
            })
        });
        move || drop(listener)
    });
}
