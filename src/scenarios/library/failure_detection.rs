//! Failure detection: timeouts and phi accrual.

use super::prelude::*;

pub(super) fn timeouts() -> Scenario {
    let slow = LinkConfig {
        latency_us: 150_000,
        jitter_us: 100_000,
        loss: 0.0,
        duplication: 0.0,
    };
    let normal = LinkConfig {
        latency_us: 10_000,
        jitter_us: 10_000,
        loss: 0.0,
        duplication: 0.0,
    };
    let mut script = Vec::new();
    for to in [A, C, D] {
        script.push(at(
            1_000_000,
            Command::SetLink {
                from: B,
                to,
                config: slow,
            },
        ));
        script.push(at(
            2_000_000,
            Command::SetLink {
                from: B,
                to,
                config: normal,
            },
        ));
    }
    script.push(at(3_000_000, Command::Crash { node: D }));
    let phi = Detector::PhiAccrual {
        threshold: 8.0,
        min_std_us: 50_000,
    };
    Scenario {
        id: "timeouts".to_string(),
        title: "How long is too long? Timeouts and phi accrual".to_string(),
        lesson: "A short fixed timeout declares a slow but healthy node dead. A long one is slow \
                 to notice a real crash. An adaptive detector learns how late is unusual."
            .to_string(),
        shows: Some(FindingKind::FalseSuspicion),
        fix_cost: None,
        config: SimConfig { nodes: 4, seed: 7, link: normal, clocks: Vec::new() },
        model: ModelSpec::Heartbeats {
            params: Heartbeats::default(),
            fixed: Heartbeats { detector: phi, ..Heartbeats::default() },
            script,
        },
        duration_us: 4_500_000,
        key_moment_us: 1_060_000,
        narration: vec![
            say(0, "Four nodes send each other a heartbeat every 100 ms and decide, for each peer, \
                    when it has been silent too long."),
            say_if(Shown::WithoutFix, 0, "Each uses a fixed timeout of 150 ms: normally heartbeats \
                    arrive every 100 ms, give or take 10."),
            say_if(Shown::WithFix, 0, "Each uses a phi-accrual detector: it learns the mean and \
                    spread of the intervals it sees, and suspects a peer only when a heartbeat is \
                    as late as a one-in-a-hundred-million event (phi > 8)."),
            say(1_000_000, "B's outgoing network is congested: its messages now take 150 to 250 ms. \
                            B itself is fine."),
            say_if(Shown::WithoutFix, 1_060_000, "The others declare B dead, although it is running. \
                    A longer timeout would avoid this, but would also be slower to notice a real crash."),
            say_if(Shown::WithFix, 1_060_000, "The detector has seen intervals vary, so a late \
                    heartbeat is not yet improbable enough: nobody suspects B."),
            say(2_000_000, "The congestion clears."),
            say(3_000_000, "D really crashes. Both detectors notice within a fraction of a second."),
        ],
        prediction: Prediction {
            question: "B's messages suddenly take 150 to 250 ms instead of about 10. What do nodes \
                       with a 150 ms timeout conclude?"
                .to_string(),
            choices: vec![
                "Nothing: B is still sending".to_string(),
                "That B is dead".to_string(),
                "That the network is congested".to_string(),
            ],
            answer: 1,
            explanation: "A timeout cannot tell a slow node or a slow network from a dead node. \
                          Silence for longer than the timeout means \"dead\"."
                .to_string(),
        },
        fix: Fix {
            label: "Phi-accrual failure detector".to_string(),
            explanation: "Instead of a fixed timeout, suspicion grows with how improbable the \
                          silence is, given the heartbeat intervals observed so far."
                .to_string(),
            cost: "Detection takes a little longer when the network has been erratic.".to_string(),
        },
        fix_enabled: false,
    }
}
