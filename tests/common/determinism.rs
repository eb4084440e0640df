//! Fixed workloads whose trace fingerprints must be identical natively and in wasm.
//! The expected values were recorded from a native run (`cargo run --example golden`); a mismatch
//! on any platform means the simulation is not deterministic there. Re-record them only for an
//! intentional change to the engine or the random-traffic model, and say so in the commit.

use std::hash::{Hash, Hasher};

use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{
    describe, ClockConfig, Command, EventId, LinkConfig, Names, NodeId, PortableHasher, SimConfig,
    Simulation, Trace,
};

/// (seed, nodes, expected fingerprint, expected trace length).
pub const GOLDEN: [(u64, u8, u64, usize); 3] = [
    (0x1, 5, 0x556c_7025_32cf_38e3, 3141),
    (0x2a, 3, 0x608b_9440_665c_231f, 3109),
    (0xdead_beef, 16, 0xc4d0_2749_485a_f36a, 3185),
];

/// The fingerprint and length of the workload's trace.
pub fn fingerprint_of(seed: u64, nodes: u8) -> (u64, usize) {
    let sim = workload(seed, nodes);
    (sim.trace().fingerprint(), sim.trace().len())
}

/// The running hash at every `CHECKPOINT_EVERY`th event of each `GOLDEN` workload, recorded
/// natively with them: where a platform's run parts from the recorded one.
#[rustfmt::skip]
pub const GOLDEN_CHECKPOINTS: [&[u64]; 3] = [
    &[0x1091516c6b7545f4, 0xdbd12c863375ae86, 0xd2b1cae9477c1534, 0x921da951f85d860b, 0x2d9e30834b8d5f12, 0xfbe5f9b7a19de7a6, 0x9c8a9cf9170dce8c, 0x7f21909cb7a0523f, 0x008f17b9388a512d, 0x310ebc9788c912e3, 0xa8e3d0d852e78c91, 0xd0eb643cc280e8b6, 0xd792e217cc13d07d, 0x945370d50b0bd0c6, 0x826229ff70ac9a5e],
    &[0x425c4a3321f1cb6b, 0xf049c2106b286d80, 0x37de91dee6730949, 0xedb12ff419e54e57, 0x27cc4526a0a37712, 0x08b51be193dda8dd, 0xe13d8e979b152d4d, 0x188fe03e351f0b80, 0x8b43003b139a6753, 0x69387bfc4d73e4df, 0xb0ca868243a9d95f, 0x5d55dd92573dab08, 0x17f62138ea2ab02c, 0x2e2d654f665ca194, 0x284e123d15874e41],
    &[0x6a96c6ba1d818514, 0x9553b9025b2827ec, 0x57639938bfde844c, 0x531081f56c3c623e, 0xaa8107e400791835, 0x7ce3c9fd1ca3ab61, 0xe9b3860c7f450bf1, 0xdf961b3ce0cee3d5, 0xe89a55840a115766, 0xe36a43cd31159c4e, 0x9c87640904c18cbe, 0x8741ad0943c259be, 0x3b07338c5e6db9c5, 0xf044c984f2d37dc6, 0xa1eec5ab91998c43],
];

/// A workload touching every engine feature: drift, skew, loss, duplication, partitions,
/// pauses, crashes, NTP steps and client requests.
pub fn workload(seed: u64, nodes: u8) -> Simulation<RandomTraffic> {
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
        links: Vec::new(),
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
    sim
}

/// A running hash after each event (the event and its vector clock, in order): two runs that
/// agree up to event `i` have equal hashes up to `i`, and differ from the first event they
/// disagree on.
pub fn running_hashes(trace: &Trace<RandomTraffic>) -> Vec<u64> {
    let mut hasher = PortableHasher::default();
    (0..trace.len())
        .map(|index| {
            let id = EventId(index as u32);
            trace.event(id).hash(&mut hasher);
            trace.vector_clock(id).hash(&mut hasher);
            hasher.finish()
        })
        .collect()
}

/// The first event at which two runs' running hashes differ (or where the shorter one ends),
/// or `None` if they are the same run.
pub fn first_divergence(a: &[u64], b: &[u64]) -> Option<usize> {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(index) => Some(index),
        None if a.len() != b.len() => Some(a.len().min(b.len())),
        None => None,
    }
}

/// How often the recorded runs keep a running hash: where two platforms part ways is known to
/// within this many events.
pub const CHECKPOINT_EVERY: usize = 200;

/// The running hash at every [`CHECKPOINT_EVERY`]th event (events 199, 399, …).
pub fn checkpoints(trace: &Trace<RandomTraffic>) -> Vec<u64> {
    running_hashes(trace)
        .into_iter()
        .skip(CHECKPOINT_EVERY - 1)
        .step_by(CHECKPOINT_EVERY)
        .collect()
}

/// Where this platform's run of a workload parts from the recorded checkpoints, in words: the
/// stretch of events, and what the first event of it is here.
pub fn where_they_part(seed: u64, nodes: u8, recorded: &[u64]) -> String {
    let sim = workload(seed, nodes);
    let trace = sim.trace();
    let here = checkpoints(trace);
    let Some(checkpoint) = first_divergence(&here, recorded) else {
        return format!(
            "seed {seed:#x}, {nodes} nodes: every checkpoint agrees; the traces part after \
             event {}",
            here.len() * CHECKPOINT_EVERY
        );
    };
    let from = checkpoint * CHECKPOINT_EVERY;
    let to = (from + CHECKPOINT_EVERY).min(trace.len());
    let first = if from < trace.len() {
        let event = trace.event(EventId(from as u32));
        format!(
            "; here event {from} is on {} at {} µs: {}",
            event.node,
            event.time,
            describe(&sim, event.kind, &Names::letters())
        )
    } else {
        String::new()
    };
    format!("seed {seed:#x}, {nodes} nodes: the traces part between events {from} and {to}{first}")
}

/// The hunt's fingerprint: 40 schedules drawn for the sandbox, and the whole report of a hunt
/// on split brain with seed 5 (schedules tried, the failure, its shrinking), hashed as JSON.
pub fn hunt_fingerprint() -> u64 {
    use faultline::hunt::{schedule, Hunt, Settings};
    let settings = Settings {
        seed: 5,
        ..Settings::default()
    };
    let drawn: Vec<_> = (0..40)
        .map(|i| schedule::draw(&settings, i, 5, 3_000_000))
        .collect();
    let split = faultline::scenarios::by_id("split-brain").expect("a preset");
    let report = Hunt::new(&split, settings)
        .expect("the hunt starts")
        .run_to_end();
    let text = serde_json::to_string(&(drawn, report)).expect("plain data");
    let mut hasher = PortableHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// [`hunt_fingerprint`] as recorded natively (`cargo run --example golden`).
pub const HUNT_GOLDEN: u64 = 0x881e_e91c_dbba_be32;
