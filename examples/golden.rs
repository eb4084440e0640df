#[path = "../tests/common/determinism.rs"]
#[allow(dead_code)]
mod determinism;
fn main() {
    for (seed, nodes, _, _) in determinism::GOLDEN {
        let (fp, len) = determinism::fingerprint_of(seed, nodes);
        println!("    ({seed:#x}, {nodes}, {fp:#018x}, {len}),");
    }
    println!("// checkpoints");
    for (seed, nodes, _, _) in determinism::GOLDEN {
        let sim = determinism::workload(seed, nodes);
        let points: Vec<String> = determinism::checkpoints(sim.trace())
            .iter()
            .map(|c| format!("{c:#018x}"))
            .collect();
        println!("    &[{}],", points.join(", "));
    }
    println!("// hunt");
    println!(
        "pub const HUNT_GOLDEN: u64 = {:#018x};",
        determinism::hunt_fingerprint()
    );
}
