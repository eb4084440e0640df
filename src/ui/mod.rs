//! The Yew user interface: one reducer (`state`), the stage the canvases draw (`stage`, driven
//! by `frame_loop`), and small components, one region each.

mod app;
mod autosave;
mod challenge_panel;
mod cluster_dialog;
pub mod cluster_form;
pub mod compare;
mod confirm_dialog;
mod controls;
pub mod course;
mod discard;
pub mod embed;
pub mod embed_builder;
mod embed_builder_view;
mod export;
mod frame_loop;
pub mod gesture;
// Printed handouts, written at build time (`examples/handouts.rs`): never in the bundle.
#[cfg(not(target_arch = "wasm32"))]
pub mod handout;
mod host_api;
pub mod host_protocol;
mod hunt_panel;
pub mod hunt_worker;
mod icons;
mod legend;
mod message_filter;
mod node_menu;
mod panels;
pub mod progress;
mod roving;
mod share_dialog;
mod shortcuts;
pub mod stage;
pub mod state;
mod timeline_view;
pub mod topology_gesture;
mod topology_view;
mod touch;

pub use app::App;
/// The canvases' larger type: projector mode's, and a small screen's timeline.
pub use frame_loop::{PROJECTOR_TEXT, SMALL_SCREEN_TEXT};
