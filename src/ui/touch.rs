//! Touch on a canvas belongs to the canvas's own gestures (knife strokes, drags, pinches, taps),
//! which it reads from pointer events. The browser must not read the same touches as its own
//! gestures as well: it would take a quick stroke for a fling and swallow the next tap anywhere
//! on the page (a tap that stops a fling is no click), and turn a tap that opens a menu into a
//! click on whatever the menu put under the finger. Cancelling `touchstart` and `touchmove`
//! leaves the pointer events alone and drops the browser's gestures for those touches.
//!
//! Except in an embed the reader has not engaged (tapped) yet: there a swipe scrolls the host
//! page (styles/layout.css lets the browser pan such canvases vertically), so a reader can
//! scroll past the post; the canvas hears `pointercancel` and the embed says how to engage it.

use gloo_events::{EventListener, EventListenerOptions};
use yew::prelude::*;

/// Keeps the browser's own touch gestures off the element `target` refers to, while it is
/// mounted.
#[hook]
pub fn use_own_touches(target: NodeRef) {
    use_effect_with(target, |target| {
        let listeners = target.get().map(|element| {
            ["touchstart", "touchmove"].map(|kind| {
                EventListener::new_with_options(
                    &element,
                    kind,
                    EventListenerOptions::enable_prevent_default(),
                    |event| {
                        if event.cancelable() && !super::timeline_view::loose(event) {
                            event.prevent_default();
                        }
                    },
                )
            })
        });
        move || drop(listeners)
    });
}
