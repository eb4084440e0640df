//! In-browser tests (headless Chromium via wasm-bindgen-test): mount the app and check its DOM.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use faultline::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, InputEvent, InputEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app into its own detached-from-other-tests container.
fn mount_app() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// Lets Yew's scheduler run the pending renders.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}

/// Waits (up to 2 s, in 10 ms steps) until `ready` holds: Yew renders asynchronously, and on a
/// loaded machine one short pause is not always enough.
async fn settle_until(ready: impl Fn() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        settle().await;
    }
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn app_shell_has_every_region() {
    let root = mount_app();
    settle().await;
    assert_eq!(texts(&root, "h1"), vec!["Faultline"]);
    assert_eq!(
        texts(&root, "h2.region-title"),
        vec!["Topology", "Timeline", "Narration", "Inspector"]
    );
    // The topology, the timeline, and the comparison's second timeline (kept in the page so
    // its gestures stay wired; hidden until the person compares two runs).
    assert_eq!(root.query_selector_all("canvas").unwrap().length(), 3);
    assert_eq!(
        root.query_selector_all("canvas.compare-canvas")
            .unwrap()
            .length(),
        1
    );
    let options = texts(&root, "select.scenario-picker option");
    let titles: Vec<String> = faultline::scenarios::all()
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(options, titles, "every preset, in teaching order");
    assert_eq!(texts(&root, ".speed-value"), vec!["10 events/s"]);
    // The first preset is loaded: its narration heading and its properties are listed.
    for _ in 0..50 {
        if !texts(&root, ".properties li").is_empty() {
            break;
        }
        settle().await;
    }
    assert_eq!(texts(&root, ".narration-scenario"), vec![titles[0].clone()]);
    assert!(!texts(&root, ".properties li").is_empty());
}

#[wasm_bindgen_test]
async fn typing_a_bad_seed_shows_an_error_and_a_good_one_clears_it() {
    let root = mount_app();
    settle_until(|| root.query_selector(".seed-input").ok().flatten().is_some()).await;
    let input: HtmlInputElement = root
        .query_selector(".seed-input")
        .unwrap()
        .expect("seed input")
        .dyn_into()
        .unwrap();

    let type_text = |text: &str| {
        input.set_value(text);
        let init = InputEventInit::new();
        init.set_bubbles(true);
        let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    };

    type_text("12x");
    settle_until(|| !texts(&root, "#seed-error").concat().is_empty()).await;
    let error = texts(&root, "#seed-error").concat();
    assert!(error.contains("digits only"), "error text was {error:?}");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));

    type_text("1234");
    settle_until(|| texts(&root, "#seed-error").concat().is_empty()).await;
    assert_eq!(texts(&root, "#seed-error").concat(), "");
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    assert_eq!(input.value(), "1234");
}
