//! In Chromium, the simulation produces exactly the traces it produces natively.
#![cfg(target_arch = "wasm32")]

mod common;
use common::determinism::{
    fingerprint_of, hunt_fingerprint, where_they_part, GOLDEN, GOLDEN_CHECKPOINTS, HUNT_GOLDEN,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_fingerprints_match_the_native_ones() {
    for ((seed, nodes, fingerprint, len), recorded) in GOLDEN.into_iter().zip(GOLDEN_CHECKPOINTS) {
        // On a mismatch, say where the wasm run parts from the native one.
        assert_eq!(
            fingerprint_of(seed, nodes),
            (fingerprint, len),
            "{}",
            where_they_part(seed, nodes, recorded)
        );
    }
}

/// The same hunt settings and seed give the same schedules, the same failure and the same
/// shrinking in wasm as natively.
#[wasm_bindgen_test]
fn the_hunt_matches_the_native_one() {
    assert_eq!(hunt_fingerprint(), HUNT_GOLDEN);
}
