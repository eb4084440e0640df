//! Finds seeds for a preset: those where its anomaly appears without the fix, does not with it,
//! and the fix's cost is reported, earliest anomaly first.
//! Usage: cargo run --release --example preset_seeds <preset-id>

use faultline::detect::FindingKind;
use faultline::scenarios::{by_id, run};

fn main() {
    let Some(id) = std::env::args().nth(1) else {
        eprintln!("usage: preset_seeds <preset-id>");
        std::process::exit(2);
    };
    let Some(preset) = by_id(&id) else {
        eprintln!("no preset named {id}");
        std::process::exit(2);
    };
    let Some(shows) = preset.shows else {
        eprintln!("{id} shows no particular anomaly");
        std::process::exit(2);
    };
    let mut found = Vec::new();
    for seed in 1..200u64 {
        let mut candidate = preset.clone();
        candidate.config.seed = seed;
        let (Ok(broken), Ok(fixed)) = (run(&candidate), run(&candidate.clone().with_fix(true)))
        else {
            continue;
        };
        let Some(first) = broken
            .findings
            .iter()
            .filter(|f| f.kind == shows)
            .map(|f| f.time)
            .min()
        else {
            continue;
        };
        let fix_holds = !fixed.findings.iter().any(|f| f.kind == shows);
        let cost_shown = preset
            .fix_cost
            .is_none_or(|cost| fixed.findings.iter().any(|f| f.kind == cost));
        if fix_holds && cost_shown {
            let suspicions = broken
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::FalseSuspicion)
                .count();
            found.push((first, suspicions, seed));
        }
    }
    found.sort();
    for (first, suspicions, seed) in found.iter().take(10) {
        println!("seed {seed}: anomaly at {first} µs, {suspicions} false suspicions");
    }
}
