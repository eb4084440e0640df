//! Same inputs, same trace: twice natively, and equal to the recorded fingerprints that the
//! wasm test (`browser_determinism.rs`) checks in Chromium.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::determinism::{
    checkpoints, fingerprint_of, first_divergence, hunt_fingerprint, running_hashes,
    where_they_part, workload, CHECKPOINT_EVERY, GOLDEN, GOLDEN_CHECKPOINTS, HUNT_GOLDEN,
};
use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{Command, EventId, NodeId, SimConfig, Simulation};

#[test]
fn the_same_inputs_give_the_same_trace_twice() {
    for (seed, nodes, _, _) in GOLDEN {
        assert_eq!(fingerprint_of(seed, nodes), fingerprint_of(seed, nodes));
    }
}

#[test]
fn different_seeds_give_different_traces() {
    assert_ne!(fingerprint_of(1, 5), fingerprint_of(2, 5));
}

#[test]
fn native_fingerprints_match_the_recorded_ones() {
    for (seed, nodes, fingerprint, len) in GOLDEN {
        let got = fingerprint_of(seed, nodes);
        assert_eq!(got, (fingerprint, len), "seed {seed}, {nodes} nodes");
    }
}

#[test]
fn native_checkpoints_match_the_recorded_ones() {
    for ((seed, nodes, _, _), recorded) in GOLDEN.iter().zip(GOLDEN_CHECKPOINTS) {
        let sim = workload(*seed, *nodes);
        assert_eq!(
            checkpoints(sim.trace()),
            recorded,
            "{}",
            where_they_part(*seed, *nodes, recorded)
        );
    }
}

/// Two runs that agree for `shared` events and then apply different faults.
fn forked_runs(shared: u64) -> (Simulation<RandomTraffic>, Simulation<RandomTraffic>, usize) {
    let run = |fault: Command<()>| {
        let mut sim = Simulation::new(RandomTraffic::default(), SimConfig::default()).unwrap();
        sim.run_events(shared);
        let at = sim.trace().len();
        sim.apply(fault).unwrap();
        sim.run_events(300);
        (sim, at)
    };
    let (paused, at) = run(Command::Pause { node: NodeId(1) });
    let (crashed, _) = run(Command::Crash { node: NodeId(1) });
    (paused, crashed, at)
}

#[test]
fn the_divergence_locator_names_the_first_event_where_two_runs_part() {
    let (paused, crashed, applied_at) = forked_runs(500);
    let (a, b) = (
        running_hashes(paused.trace()),
        running_hashes(crashed.trace()),
    );
    // Where the two traces really part, found by comparing their events one by one.
    let (one, other) = (paused.trace(), crashed.trace());
    let truth = (0..one.len().min(other.len()))
        .map(|i| EventId(i as u32))
        .position(|e| {
            one.event(e) != other.event(e) || one.vector_clock(e) != other.vector_clock(e)
        })
        .expect("the runs differ");
    assert!(truth >= applied_at, "nothing differs before the fault");
    assert_eq!(first_divergence(&a, &b), Some(truth));
    assert_eq!(first_divergence(&a, &a), None, "a run agrees with itself");
    assert_eq!(
        first_divergence(&a[..truth], &a),
        Some(truth),
        "a cut-short run parts where it ends"
    );
    // Against damaged recorded checkpoints, the report names the stretch and its first event.
    let (seed, nodes, _, _) = GOLDEN[0];
    let mut recorded = GOLDEN_CHECKPOINTS[0].to_vec();
    recorded[3] ^= 1;
    let report = where_they_part(seed, nodes, &recorded);
    let from = 3 * CHECKPOINT_EVERY;
    assert!(
        report.contains(&format!(
            "between events {from} and {}",
            from + CHECKPOINT_EVERY
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("here event {from} is on ")),
        "{report}"
    );
}

#[test]
fn the_hunt_draws_and_finds_the_recorded_schedules() {
    assert_eq!(
        hunt_fingerprint(),
        HUNT_GOLDEN,
        "re-record with cargo run --example golden"
    );
}
