//! The page's first screen (index.html, on screen before the wasm arrives) names the scenario
//! the address opens with the preset's own title: its table of titles is the library's.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

#[test]
fn the_first_screen_knows_every_preset_by_its_title() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html"))
        .expect("index.html");
    let start = page.find("var TITLES = ").expect("a table of titles") + "var TITLES = ".len();
    let end = start + page[start..].find(";\n").expect("the table ends");
    let table: BTreeMap<String, String> =
        serde_json::from_str(&page[start..end]).expect("the table is JSON");
    let library: BTreeMap<String, String> = faultline::scenarios::all()
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect();
    assert_eq!(
        table, library,
        "index.html's titles differ from the presets': copy them from scenarios::all()"
    );
    // The boot screen is in the page before any script, and says what is happening.
    let boot = page.find("class=\"boot\"").expect("a boot screen");
    assert!(boot < page.find("<script").expect("a script"));
    assert!(page.contains("Loading the simulator…"));
}
