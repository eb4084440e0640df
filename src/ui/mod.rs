//! The Yew user interface: one reducer (`state`) and small components, one region each.

mod app;
mod controls;
mod icons;
mod panels;
pub mod state;

pub use app::App;
