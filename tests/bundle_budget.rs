//! `scripts/bundle_budget.sh`, the size check `make test` runs on the release build: it passes a
//! bundle within its budget, fails one over it naming the figure, the budget and the part that
//! grew most, and fails a history in which any commit raised the budget. Run on made-up bundles
//! in temporary folders (and temporary git repositories), so it needs no build.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bundle_budget.sh")
}

/// A fresh empty folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bundle-budget-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Bytes that gzip cannot shrink much (a simple generator, so the sizes are the same each run).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A made-up `dist/`: a wasm, its JS glue and a style sheet, named with trunk's hashes.
fn bundle(dir: &Path, wasm: usize) -> PathBuf {
    let dist = dir.join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("faultline-0123456789abcdef_bg.wasm"),
        noise(wasm, 1),
    )
    .unwrap();
    fs::write(dist.join("faultline-0123456789abcdef.js"), noise(2_000, 2)).unwrap();
    fs::write(dist.join("style-fedcba9876543210.css"), noise(1_000, 3)).unwrap();
    dist
}

fn run(args: &[&Path], cwd: &Path) -> (bool, String) {
    let output = Command::new("bash")
        .arg(script())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("bash runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_bundle_within_its_budget_passes_and_one_over_it_fails_naming_what_grew() {
    let dir = scratch("over");
    let dist = bundle(&dir, 20_000);
    let budget = dir.join("bundle-budget.txt");
    fs::write(&budget, "# test\nbudget 1000000\n").unwrap();
    // The sizes as they are now, recorded beside the budget.
    let (ok, text) = run(&[Path::new("--record"), &dist, &budget], &dir);
    assert!(ok, "{text}");
    let recorded = fs::read_to_string(&budget).unwrap();
    assert!(recorded.contains("part faultline_bg.wasm "), "{recorded}");
    assert!(recorded.contains("part faultline.js "), "{recorded}");
    assert!(recorded.contains("part style.css "), "{recorded}");
    assert!(
        recorded.contains("budget 1000000"),
        "recording keeps the budget"
    );

    let (ok, text) = run(&[&dist, &budget], &dir);
    assert!(ok, "{text}");
    assert!(text.contains("within the budget of 1,000,000"), "{text}");

    // The wasm grows by 10,000 incompressible bytes, over a budget set just above today's size.
    let total: usize = recorded
        .lines()
        .filter_map(|l| l.strip_prefix("part "))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    let tight = recorded.replace("budget 1000000", &format!("budget {}", total + 100));
    fs::write(&budget, tight).unwrap();
    let dist = bundle(&dir, 30_000);
    let (ok, text) = run(&[&dist, &budget], &dir);
    assert!(!ok, "over the budget must fail: {text}");
    assert!(text.contains("over the budget of"), "{text}");
    assert!(
        text.contains("faultline_bg.wasm grew most"),
        "names the part: {text}"
    );
    assert!(
        text.contains("the bundle weighs"),
        "gives the figure: {text}"
    );
}

#[test]
fn a_commit_that_raises_the_budget_fails_the_check() {
    let dir = scratch("history");
    let dist = bundle(&dir, 1_000);
    let budget = dir.join("bundle-budget.txt");
    git(&dir, &["init", "-q"]);
    fs::write(&budget, "budget 900000\n").unwrap();
    git(&dir, &["add", "bundle-budget.txt"]);
    git(&dir, &["commit", "-qm", "budget"]);
    fs::write(&budget, "budget 800000\n").unwrap();
    git(&dir, &["commit", "-qam", "lower"]);
    let (ok, text) = run(&[&dist, &budget], &dir);
    assert!(ok, "lowering is fine: {text}");

    // Raised in the working copy…
    fs::write(&budget, "budget 850000\n").unwrap();
    let (ok, text) = run(&[&dist, &budget], &dir);
    assert!(!ok, "{text}");
    assert!(
        text.contains("raises the budget from 800,000 to 850,000"),
        "{text}"
    );
    // …and once committed, the history itself says who raised it.
    git(&dir, &["commit", "-qam", "raise"]);
    let (ok, text) = run(&[&dist, &budget], &dir);
    assert!(!ok, "{text}");
    assert!(
        text.contains("raised the budget from 800,000 to 850,000"),
        "{text}"
    );
}

#[test]
fn the_repository_has_a_budget_and_it_is_at_most_650_000_bytes() {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("bundle-budget.txt"))
        .expect("bundle-budget.txt");
    let budget: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("budget "))
        .expect("a budget line")
        .trim()
        .parse()
        .unwrap();
    assert!(
        budget <= 650_000,
        "the budget was set at 650,000 bytes and may only go down"
    );
}
