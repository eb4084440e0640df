//! The hunt's native twin: prints what the browser's hunt panel shows for the same scenario,
//! settings and seed.
//!
//! cargo run --release --example hunt <preset> [fixed] [--schedules N] [--seed S]
//!     [--max-faults N] [--kinds partition,pause,...]

use std::process::exit;
use std::time::Instant;

use faultline::hunt::{Hunt, Mode, Settings, Tally, FAULT_KINDS};

fn usage(problem: &str) -> ! {
    let kinds: Vec<String> = FAULT_KINDS
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    eprintln!("{problem}");
    eprintln!(
        "usage: cargo run --release --example hunt <preset> [fixed] [--schedules N] [--seed S] \
         [--max-faults N] [--kinds {}]",
        kinds.join(",")
    );
    exit(2);
}

fn number<T: std::str::FromStr>(name: &str, value: Option<String>) -> T {
    let value = value.unwrap_or_else(|| usage(&format!("{name} needs a value")));
    value
        .replace('_', "")
        .parse()
        .unwrap_or_else(|_| usage(&format!("{name}: \"{value}\" is not a whole number")))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let id = args.next().unwrap_or_else(|| usage("which preset?"));
    let mut fixed = false;
    let mut settings = Settings::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "fixed" => fixed = true,
            "--schedules" => settings.schedules = number("--schedules", args.next()),
            "--seed" => settings.seed = number("--seed", args.next()),
            "--max-faults" => settings.max_faults = number("--max-faults", args.next()),
            "--kinds" => {
                let list = args.next().unwrap_or_else(|| usage("--kinds needs a list"));
                settings.kinds = list
                    .split(',')
                    .map(|name| {
                        serde_json::from_value(serde_json::Value::String(name.to_string()))
                            .unwrap_or_else(|_| usage(&format!("--kinds: no kind \"{name}\"")))
                    })
                    .collect();
            }
            other => usage(&format!("unknown argument \"{other}\"")),
        }
    }
    let scenario = faultline::scenarios::by_id(&id)
        .unwrap_or_else(|| usage(&format!("no preset \"{id}\"")))
        .with_fix(fixed);
    let started = Instant::now();
    let mut hunt = Hunt::new(&scenario, settings).unwrap_or_else(|error| {
        eprintln!("{id}: {error}");
        exit(1)
    });
    let report = hunt.run_to_end();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1_000.0;
    let names = scenario.view.names();
    println!(
        "{} ({}, seed {})",
        scenario.title,
        if fixed { "fix on" } else { "fix off" },
        report.settings.seed
    );
    println!(
        "{}",
        report.summary(&names, scenario.config.nodes, elapsed_ms)
    );
    if let Some(found) = &report.found {
        println!();
        println!("broke: {}", found.violation.property);
        println!("  {}", found.violation.summary);
        println!("faults, shrunk in {} tries:", found.shrink_tries);
        for fault in &found.shrunk {
            println!("  {}", fault.words(&names, scenario.config.nodes));
        }
    }
    if report.mode == Mode::Prove {
        println!();
        bars("fix on ", &report.tally);
        if let Some(naive) = &report.naive {
            bars("fix off", naive);
        }
    }
    let shrink = report.found.as_ref().map_or(0, |f| f.shrink_tries);
    let tries = report.tally.tried + report.naive.as_ref().map_or(0, |t| t.tried) + shrink;
    println!();
    println!(
        "{} runs of the scenario (shrinking included) in {:.2} s: {:.0} a second",
        tries,
        elapsed_ms / 1_000.0,
        f64::from(tries) / (elapsed_ms / 1_000.0)
    );
}

/// The tally as the panel's chart, in text.
fn bars(label: &str, tally: &Tally) {
    let width = 40.0 / f64::from(tally.tried.max(1));
    let bar = |n: u32, c: char| {
        c.to_string()
            .repeat((f64::from(n) * width).round() as usize)
    };
    println!(
        "{label} |{}{}{}| unsafe {}, unanswered or refused {}, fine {}",
        bar(tally.unsafe_runs, '#'),
        bar(tally.costly_runs, '+'),
        bar(tally.clean_runs(), '.'),
        tally.unsafe_runs,
        tally.costly_runs,
        tally.clean_runs()
    );
}
