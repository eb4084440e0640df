//! In Chromium, the simulation produces exactly the traces it produces natively.
#![cfg(target_arch = "wasm32")]

mod common;
use common::determinism::{fingerprint_of, GOLDEN};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_fingerprints_match_the_native_ones() {
    for (seed, nodes, fingerprint, len) in GOLDEN {
        assert_eq!(
            fingerprint_of(seed, nodes),
            (fingerprint, len),
            "seed {seed}, {nodes} nodes"
        );
    }
}
