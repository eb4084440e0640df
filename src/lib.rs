//! Faultline: break a small simulated cluster on purpose and watch distributed systems go wrong.
//!
//! Layout: `sim` is the pure simulation core (no browser APIs); `ui` holds the Yew components and the one reducer that owns UI state. Everything a test
//! needs is reachable from here, natively, without a browser.

#[cfg(feature = "bench")]
pub mod bench_hooks;
pub mod challenge;
pub mod detect;
pub mod hunt;
pub mod live;
pub mod models;
pub mod render;
pub mod scenarios;
pub mod share;
pub mod sim;
pub mod ui;

pub use ui::App;

/// Mounts the app into the page's `<body>`. Called by the thin `main.rs` binary.
pub fn mount() {
    // The hunt's Web Worker loads this same bundle: there is no window there, only the hunt.
    if web_sys::window().is_none() {
        ui::hunt_worker::register();
        return;
    }
    // Readable panic messages while developing; release builds abort and keep the bundle small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    yew::Renderer::<App>::new().render();
}
