//! Writes the printable handouts (see `src/ui/handout.rs`): `index.html` for the whole course
//! and `<preset-id>.html` per lesson, into the directory given (`make dist` passes
//! `dist/handouts`).
//!
//! `cargo run --example handouts -- dist/handouts`

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dist/handouts".to_string());
    match faultline::ui::handout::write_all(std::path::Path::new(&dir)) {
        Ok(files) => println!("handouts: {} pages in {dir}", files.len()),
        Err(error) => {
            eprintln!("handouts: could not write {dir}: {error}");
            std::process::exit(1);
        }
    }
}
