//! The simulation core stays pure: no browser APIs, no wall clock, no hash-ordered iteration.
//! (Determinism across native and wasm depends on it.)
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/source.rs"]
mod source;

use std::path::Path;

use source::rust_files;

const FORBIDDEN: [(&str, &str); 8] = [
    ("yew", "UI framework"),
    ("web_sys", "browser API"),
    ("js_sys", "browser API"),
    ("wasm_bindgen", "browser binding"),
    ("HashMap", "hash-ordered iteration"),
    ("HashSet", "hash-ordered iteration"),
    ("Instant", "wall-clock time"),
    ("SystemTime", "wall-clock time"),
];

/// Every line of the Rust files under `dirs` (relative to the package) that uses something
/// forbidden, as `file:line: word (why)`.
fn violations_in(dirs: &[&str]) -> (usize, Vec<String>) {
    let mut files = Vec::new();
    for dir in dirs {
        rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    }
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("utf-8 source");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (word, why) in FORBIDDEN {
                let whole_word = code.match_indices(word).any(|(at, _)| {
                    let before = code[..at].chars().last();
                    let after = code[at + word.len()..].chars().next();
                    let part_of_name =
                        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !part_of_name(before) && !part_of_name(after)
                });
                if whole_word {
                    violations.push(format!("{}:{}: {word} ({why})", file.display(), number + 1));
                }
            }
        }
    }
    (files.len(), violations)
}

#[test]
fn the_simulation_core_uses_nothing_impure() {
    let (files, violations) = violations_in(&["src/sim"]);
    assert!(files >= 10, "found only {files} files");
    assert!(
        violations.is_empty(),
        "impure code in src/sim:\n{}",
        violations.join("\n")
    );
}

/// Models, detectors, scenarios and the hunt run inside the simulation or judge its traces: the
/// same rule holds for them, or native and wasm runs (and hunts) could differ.
#[test]
fn models_detectors_and_scenarios_use_nothing_impure() {
    let (files, violations) =
        violations_in(&["src/models", "src/detect", "src/scenarios", "src/hunt"]);
    assert!(files >= 20, "found only {files} files");
    assert!(
        violations.is_empty(),
        "impure code beside the core:\n{}",
        violations.join("\n")
    );
}
