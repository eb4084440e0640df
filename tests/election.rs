//! Leader election, mechanism by mechanism.
#![cfg(not(target_arch = "wasm32"))]

use faultline::models::election::{ClientOp, Election, Note};
use faultline::sim::{Command, EventKind, LinkConfig, NodeId, Scheduled, SimConfig, Simulation};

const A: NodeId = NodeId(0);

fn accepted_by(sim: &Simulation<Election>, node: NodeId) -> Vec<(u64, u32)> {
    sim.trace()
        .events()
        .iter()
        .filter(|e| e.node == node)
        .filter_map(|e| match e.kind {
            EventKind::Local { note } => match *sim.trace().note(note) {
                Note::Accepted { write, .. } => Some((e.time, write.value)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn a_leader_back_from_a_long_pause_does_not_commit_on_stale_acknowledgements() {
    let config = SimConfig {
        nodes: 3,
        seed: 2,
        link: LinkConfig {
            latency_us: 10_000,
            jitter_us: 0,
            loss: 0.0,
            duplication: 0.0,
        },
        clocks: Vec::new(),
        links: Vec::new(),
    };
    let script = vec![
        Scheduled {
            at_us: 500_000,
            command: Command::Client {
                node: A,
                op: ClientOp::Write { value: 7 },
            },
        },
        // Paused before the acknowledgements arrive; they wait for it.
        Scheduled {
            at_us: 505_000,
            command: Command::Pause { node: A },
        },
        Scheduled {
            at_us: 2_500_000,
            command: Command::Resume { node: A },
        },
    ];
    let model = Election {
        quorum: true,
        ..Election::default()
    };
    let mut sim = Simulation::with_script(model, config, script).unwrap();
    sim.run_until(3_000_000);
    assert_eq!(
        accepted_by(&sim, A),
        vec![],
        "A committed after its lease had lapsed"
    );
    let new_leaders = sim.trace().events().iter().filter(|e| {
        e.node != A && matches!(e.kind, EventKind::Local { note } if matches!(sim.trace().note(note), Note::BecameLeader { .. }))
    });
    assert!(
        new_leaders.count() >= 1,
        "a new leader took over during the pause"
    );
}
