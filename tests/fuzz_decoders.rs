//! A smaller run of the fuzz benchmark's hostile inputs (`make bench` runs 100,000): every
//! decoder of outside text refuses garbage without a panic, and accepts some valid input.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

#[path = "support/fuzz.rs"]
mod fuzz;

use faultline::sim::SimRng;
use fuzz::{case, feed};

#[test]
fn every_decoder_survives_hostile_input() {
    let mut rng = SimRng::new(7);
    let mut seen: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for _ in 0..4_000 {
        let case = case(&mut rng);
        let accepted = feed(&case);
        let entry = seen.entry(format!("{:?}", case.decoder)).or_default();
        entry.0 += 1;
        entry.1 += u32::from(accepted);
    }
    assert_eq!(seen.len(), 9, "every decoder was fed: {seen:?}");
    for (decoder, (fed, accepted)) in &seen {
        assert!(*fed >= 40, "{decoder} was fed only {fed} cases");
        assert!(
            *accepted < *fed,
            "{decoder} refused nothing: the inputs are not hostile"
        );
    }
    let (_, replayed) = seen["Replay"];
    assert!(replayed > 0, "some decoded runs replay: {seen:?}");
}
