#[path = "../tests/common/determinism.rs"]
mod determinism;
fn main() {
    for (seed, nodes, _, _) in determinism::GOLDEN {
        let (fp, len) = determinism::fingerprint_of(seed, nodes);
        println!("    ({seed:#x}, {nodes}, {fp:#018x}, {len}),");
    }
}
