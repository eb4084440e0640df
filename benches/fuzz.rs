//! Fuzzes every decoder of outside text (share links, run and scenario files, postMessage
//! commands, the embed query, the cluster editor, the hunt panel, the seed, and replays of
//! decoded runs) with 100,000 hostile inputs
//! (`tests/support/fuzz.rs`), and prints, as `name value unit`, how many ran and how many panicked
//! (any panic is a bug: in wasm it kills the page). Seeded: the first panicking case is printed.

use std::panic;
use std::time::Instant;

#[path = "../tests/support/fuzz.rs"]
mod fuzz;

use faultline::sim::SimRng;
use fuzz::{case, feed, Decoder};

const CASES: u64 = 100_000;

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let mut rng = SimRng::new(20_261_123);
    let start = Instant::now();
    let (mut panics, mut refused, mut replays) = (0u64, 0u64, 0u64);
    for index in 0..CASES {
        let case = case(&mut rng);
        replays += u64::from(case.decoder == Decoder::Replay);
        match panic::catch_unwind(|| feed(&case)) {
            Ok(true) => {}
            Ok(false) => refused += 1,
            Err(_) => {
                if panics == 0 {
                    eprintln!(
                        "first panic at case {index} ({:?}): {:.200}",
                        case.decoder, case.input
                    );
                }
                panics += 1;
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("fuzz_cases {CASES} cases");
    println!("fuzz_panics {panics} panics");
    println!("fuzz_refused {refused} cases");
    println!("fuzz_replays {replays} runs");
    println!("fuzz_cases_per_sec {:.0} cases/s", CASES as f64 / seconds);
}
