use faultline::detect::{detect_split_brain, detect_stalls};
use faultline::models::election::{ClientOp, Election};
use faultline::sim::*;
fn main() {
    let quorum = std::env::args().nth(1).is_some();
    let ab = vec![NodeId(0), NodeId(1)];
    let cde = vec![NodeId(2), NodeId(3), NodeId(4)];
    let mut script = vec![Scheduled {
        at_us: 1_000_000,
        command: Command::Partition {
            groups: vec![ab, cde],
        },
    }];
    for k in 0..8u32 {
        let at = 600_000 + u64::from(k) * 300_000;
        script.push(Scheduled {
            at_us: at,
            command: Command::Client {
                node: NodeId(1),
                op: ClientOp::Write { value: 100 + k },
            },
        });
        script.push(Scheduled {
            at_us: at + 10_000,
            command: Command::Client {
                node: NodeId(4),
                op: ClientOp::Write { value: 200 + k },
            },
        });
    }
    let model = Election {
        quorum,
        ..Election::default()
    };
    let mut sim = Simulation::with_script(
        model,
        SimConfig {
            seed: 3,
            ..SimConfig::default()
        },
        script,
    )
    .unwrap();
    sim.run_until(3_200_000);
    let text = render_text(sim.trace());
    for line in text.lines().filter(|l| !l.contains("Heartbeat")) {
        println!("{line}");
    }
    for f in detect_split_brain(sim.trace()) {
        println!("{f:?}");
    }
    for f in detect_stalls(sim.trace(), 1_000_000) {
        println!("{}", f.summary);
    }
}
