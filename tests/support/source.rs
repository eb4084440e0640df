//! Reading the project's own Rust source, for tests that check a rule across it (the purity
//! scan, the module graph). Included by path (`#[path = "support/source.rs"] mod source;`).

use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`, recursively, appended to `found`.
pub fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source tree") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}
