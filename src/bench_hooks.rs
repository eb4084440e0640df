//! Entry points the browser benchmarks (`make bench`) call on the release bundle through
//! `window.wasmBindings`. Timing happens in JavaScript: the core never reads a wall clock.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::sim::random_traffic::RandomTraffic;
use crate::sim::{SimConfig, Simulation};

/// Runs the random-traffic workload (as the native `sim_events_per_sec` benchmark does) for
/// `steps` steps on `nodes` nodes and returns how many trace events it recorded, or 0 for an
/// invalid node count.
#[wasm_bindgen]
pub fn bench_sim_events(nodes: u8, steps: u32, seed: u32) -> u32 {
    let config = SimConfig {
        nodes,
        seed: u64::from(seed),
        ..SimConfig::default()
    };
    match Simulation::new(RandomTraffic::default(), config) {
        Ok(mut sim) => {
            sim.run_events(u64::from(steps));
            sim.trace().len() as u32
        }
        Err(_) => 0,
    }
}
