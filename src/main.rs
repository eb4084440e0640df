//! Thin binary: trunk builds this into the page; all logic lives in the library.
fn main() {
    faultline::mount();
}
