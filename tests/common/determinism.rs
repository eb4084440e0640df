//! Fixed workloads whose trace fingerprints must be identical natively and in wasm.
//! The expected values were recorded from a native run (`cargo run --example golden`); a mismatch
//! on any platform means the simulation is not deterministic there. Re-record them only for an
//! intentional change to the engine or the random-traffic model, and say so in the commit.

use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{ClockConfig, Command, LinkConfig, NodeId, SimConfig, Simulation};

/// (seed, nodes, expected fingerprint, expected trace length).
pub const GOLDEN: [(u64, u8, u64, usize); 3] = [
    (0x1, 5, 0x556c_7025_32cf_38e3, 3141),
    (0x2a, 3, 0x608b_9440_665c_231f, 3109),
    (0xdead_beef, 16, 0xc4d0_2749_485a_f36a, 3185),
];

/// A workload touching every engine feature: drift, skew, loss, duplication, partitions,
/// pauses, crashes, NTP steps and client requests.
pub fn fingerprint_of(seed: u64, nodes: u8) -> (u64, usize) {
    let config = SimConfig {
        nodes,
        seed,
        link: LinkConfig {
            latency_us: 5_000,
            jitter_us: 20_000,
            loss: 0.05,
            duplication: 0.05,
        },
        clocks: (0..nodes)
            .map(|i| ClockConfig {
                offset_us: i64::from(i) * 1_500 - 4_000,
                drift_ppm: i32::from(i) * 7_000 - 20_000,
                uncertainty_us: 500,
            })
            .collect(),
    };
    let mut sim = Simulation::new(RandomTraffic::default(), config).expect("valid config");
    let last = NodeId(nodes - 1);
    sim.run_events(300);
    if nodes > 1 {
        sim.apply(Command::Partition {
            groups: vec![vec![NodeId(0)], (1..nodes).map(NodeId).collect()],
        })
        .expect("partition");
    }
    sim.apply(Command::Pause { node: last }).expect("pause");
    sim.run_events(300);
    sim.apply(Command::NtpStep {
        node: NodeId(0),
        delta_us: -30_000,
    })
    .expect("ntp");
    sim.apply(Command::Resume { node: last }).expect("resume");
    sim.apply(Command::Crash { node: NodeId(0) })
        .expect("crash");
    sim.run_events(300);
    sim.apply(Command::HealAll).expect("heal");
    sim.apply(Command::Restart { node: NodeId(0) })
        .expect("restart");
    sim.apply(Command::SetDrift {
        node: last,
        drift_ppm: 150_000,
    })
    .expect("drift");
    sim.apply(Command::Client { node: last, op: () })
        .expect("client");
    sim.run_events(1_000);
    (sim.trace().fingerprint(), sim.trace().len())
}
