//! Fuzzes the share-link decoder with 100,000 hostile inputs and prints, as `name value unit`,
//! how many ran and how many panicked (any panic is a bug: in wasm it kills the page).
//! The inputs are seeded, so a failure reproduces: the first panicking case is printed.

use std::panic;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use faultline::share::{decode, encode, SharedRun};
use faultline::sim::{Action, Command, NodeId, SimRng};

const CASES: u64 = 100_000;

fn bytes(rng: &mut SimRng, max: u64) -> Vec<u8> {
    (0..rng.up_to(max)).map(|_| rng.below(256) as u8).collect()
}

fn valid_link(rng: &mut SimRng) -> String {
    let faults = (0..rng.up_to(6))
        .map(|k| Action {
            after_step: k * 10,
            after_pops: k * 10,
            at_time: k * 1_000,
            command: Command::Pause {
                node: NodeId(rng.below(20) as u8),
            },
        })
        .collect();
    encode(&SharedRun {
        scenario: "sandbox".into(),
        fix: rng.chance(0.5),
        seed: rng.next_u64(),
        faults,
        step: rng.up_to(5_000),
    })
}

/// One hostile input, of one of several kinds.
fn case(rng: &mut SimRng) -> String {
    match rng.below(7) {
        // Arbitrary bytes as text.
        0 => String::from_utf8_lossy(&bytes(rng, 300)).into_owned(),
        // Arbitrary bytes behind a valid prefix.
        1 => format!("v1.{}", URL_SAFE_NO_PAD.encode(bytes(rng, 300))),
        // Deflated arbitrary bytes.
        2 => {
            let packed = miniz_oxide::deflate::compress_to_vec(&bytes(rng, 300), 6);
            format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
        }
        // Deflated JSON-shaped garbage: right keys, wrong values.
        3 => {
            let values = [
                "null",
                "-1",
                "1e999",
                "\"x\"",
                "[]",
                "{}",
                "true",
                "18446744073709551616",
            ];
            let pick = |rng: &mut SimRng| values[rng.below(values.len() as u64) as usize];
            let json = format!(
                r#"{{"scenario":{},"fix":{},"seed":{},"faults":{},"step":{}}}"#,
                pick(rng),
                pick(rng),
                pick(rng),
                pick(rng),
                pick(rng)
            );
            let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
            format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
        }
        // A valid link cut short.
        4 => {
            let link = valid_link(rng);
            let keep = rng.up_to(link.len() as u64) as usize;
            link[..keep].to_string()
        }
        // A valid link with characters changed.
        5 => {
            let mut link = valid_link(rng).into_bytes();
            for _ in 0..=rng.below(4) {
                let at = rng.below(link.len() as u64) as usize;
                link[at] = b"AZaz09-_.#%"[rng.below(11) as usize];
            }
            String::from_utf8_lossy(&link).into_owned()
        }
        // Unknown versions and oversized input.
        _ => {
            if rng.chance(0.5) {
                format!(
                    "v{}.{}",
                    rng.below(1000),
                    URL_SAFE_NO_PAD.encode(bytes(rng, 60))
                )
            } else {
                format!("v1.{}", "A".repeat(60_000 + rng.below(20_000) as usize))
            }
        }
    }
}

fn main() {
    panic::set_hook(Box::new(|_| {}));
    let mut rng = SimRng::new(20_261_123);
    let start = Instant::now();
    let (mut panics, mut refused) = (0u64, 0u64);
    for index in 0..CASES {
        let input = case(&mut rng);
        match panic::catch_unwind(|| decode(&input)) {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => refused += 1,
            Err(_) => {
                if panics == 0 {
                    eprintln!("first panic at case {index}: {input:.200}");
                }
                panics += 1;
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("fuzz_cases {CASES} cases");
    println!("fuzz_panics {panics} panics");
    println!("fuzz_refused {refused} cases");
    println!("fuzz_cases_per_sec {:.0} cases/s", CASES as f64 / seconds);
}
