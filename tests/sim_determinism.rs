//! Same inputs, same trace: twice natively, and equal to the recorded fingerprints that the
//! wasm test (`browser_determinism.rs`) checks in Chromium.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::determinism::{fingerprint_of, GOLDEN};

#[test]
fn the_same_inputs_give_the_same_trace_twice() {
    for (seed, nodes, _, _) in GOLDEN {
        assert_eq!(fingerprint_of(seed, nodes), fingerprint_of(seed, nodes));
    }
}

#[test]
fn different_seeds_give_different_traces() {
    assert_ne!(fingerprint_of(1, 5), fingerprint_of(2, 5));
}

#[test]
fn native_fingerprints_match_the_recorded_ones() {
    for (seed, nodes, fingerprint, len) in GOLDEN {
        let got = fingerprint_of(seed, nodes);
        assert_eq!(got, (fingerprint, len), "seed {seed}, {nodes} nodes");
    }
}
