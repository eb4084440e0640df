//! Parts of the standard library that cost the bundle far more than they give: each brings a
//! table into the WebAssembly that gzip cannot shrink, for an answer lesson text never needs.
//! The app's code (not its tests) uses the ASCII forms or `render::turn` instead.
//!
//! - `char::to_lowercase` / `to_uppercase` (and `str`'s): Unicode's case tables, about 11 KB.
//! - `char::is_alphanumeric` / `is_alphabetic` / `is_numeric`: Unicode's letter and number
//!   tables, about 2 KB.
//! - `f64::sin` / `cos` / `tan` / `sin_cos`: the maths library's reduction of huge angles, a
//!   2.7 KB table of the digits of 2/π.
//! - `str::parse::<f64>`: a 5.5 KB table of powers of five (`sim::units::decimal` reads what
//!   people type). A `parse()` whose type is inferred as `f64` is not caught here; the bundle
//!   budget catches its bytes.
//!
//! Removing the first three and the trigonometry saved 10,041 bytes gzip (590,289 → 580,248).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/source.rs"]
mod source;

use std::path::Path;

use source::rust_files;

const COSTLY: [(&str, &str); 12] = [
    (
        ".to_lowercase()",
        "Unicode case tables: use to_ascii_lowercase",
    ),
    (
        ".to_uppercase()",
        "Unicode case tables: use to_ascii_uppercase",
    ),
    (
        "is_alphanumeric",
        "Unicode letter tables: use is_ascii_alphanumeric",
    ),
    (
        "is_alphabetic",
        "Unicode letter tables: use is_ascii_alphabetic",
    ),
    ("is_numeric", "Unicode number tables: use is_ascii_digit"),
    (
        ".sin()",
        "the maths library's angle table: use render::turn::cos_sin",
    ),
    (
        ".cos()",
        "the maths library's angle table: use render::turn::cos_sin",
    ),
    (".tan()", "the maths library's angle table"),
    (
        ".sin_cos()",
        "the maths library's angle table: use render::turn::cos_sin",
    ),
    ("atan2", "the maths library's angle table"),
    (
        "parse::<f64>",
        "str::parse's table of powers of five: use sim::units::decimal",
    ),
    (
        "parse::<f32>",
        "str::parse's table of powers of five: use sim::units::decimal",
    ),
];

/// The lines of `text` outside its test module (which, by the house's habit, ends the file:
/// `#[cfg(test)]` followed by `mod …`).
fn app_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.trim() == "#[cfg(test)]"
            && lines[index + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("mod "))
        {
            break;
        }
        kept.push((index + 1, *line));
    }
    kept
}

#[test]
fn the_app_uses_no_costly_part_of_the_standard_library() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() >= 50, "found only {} files", files.len());
    let mut found = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("utf-8 source");
        for (number, line) in app_lines(&text) {
            let code = line.split("//").next().unwrap_or("");
            for (call, why) in COSTLY {
                if code.contains(call) {
                    found.push(format!("{}:{number}: {call} ({why})", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "costly calls in the app:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_test_module_is_left_out_and_the_code_before_it_is_read() {
    let text = "fn a() { x.to_lowercase(); }\n#[cfg(test)]\n\nmod tests {\n    y.sin();\n}\n";
    let lines = app_lines(text);
    assert_eq!(lines, vec![(1, "fn a() { x.to_lowercase(); }")]);
    let gated_use = "#[cfg(test)]\nuse std::x;\nfn b() {}\n";
    assert_eq!(app_lines(gated_use).len(), 3);
}
