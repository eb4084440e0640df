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
                 to notice a real crash. An adaptive detector weighs a silence against the \
                 intervals it has seen, and against how erratic it assumes the network can be."
            .to_string(),
        shows: Some(FindingKind::FalseSuspicion),
        fix_cost: None,
        config: SimConfig { nodes: 4, seed: 7, link: normal, clocks: Vec::new(), links: Vec::new() },
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
                    as late as a one-in-a-hundred-million event (phi > 8). Like Akka's, it never \
                    assumes a spread below a floor, here 50 ms."),
            say(1_000_000, "B's outgoing network is congested: its messages now take 150 to 250 ms. \
                            B itself is fine."),
            say_if(Shown::WithoutFix, 1_066_000, "The others declare B dead, although it is running. \
                    A longer timeout would avoid this, but would also be slower to notice a real crash."),
            say_if(Shown::WithFix, 1_063_000, "Nobody suspects B, and not because the detector had \
                    learned to expect slow heartbeats: B's had been steady, and by their spread alone \
                    it would have given up after about 123 ms. Its 50 ms floor on the spread makes \
                    it wait about 380 ms, and B's late heartbeats arrive within that."),
            say(2_000_000, "The congestion clears."),
            say(3_000_000, "D really crashes."),
            say_if(Shown::WithoutFix, 3_068_000, "A, B and C declare D dead 150 ms after its last \
                    heartbeat reached them."),
            say_if(Shown::WithFix, 3_298_000, "A, B and C declare D dead 380 ms after its last \
                    heartbeat reached them: the floor that spared B makes every detection slower."),
        ],
        prediction: Prediction {
            reveal: vec![answered_by("declares B dead")],
            question: "B's messages suddenly take 150 to 250 ms instead of 10 to 20. What do nodes \
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
                          silence is, given the heartbeat intervals observed so far and a floor on \
                          how erratic the network is assumed to be."
                .to_string(),
            cost: "It waits longer before suspecting anyone: D's crash is noticed after 380 ms of \
                   silence instead of 150 ms."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "D really crashes at 3 s. How soon do A, B and C, with the phi-accrual detector that \
                spared B, declare D dead?"
                .to_string(),
            choices: vec![
                "Never: the detector has learned to wait out long silences".to_string(),
                "As soon as a 150 ms timeout would".to_string(),
                "Later than a 150 ms timeout would: the floor on the spread makes it wait longer".to_string(),
            ],
            answer: 2,
            explanation: "The floor that keeps the detector from suspecting a slow node also makes it wait \
                longer for a dead one: D is declared dead 380 ms after its last heartbeat, not 150 \
                ms. A failure detector trades quick detection against false suspicion; it cannot \
                have both."
                .to_string(),
            reveal: vec![
                Reveal { node: None, says: "declares D dead".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks” › “Timeouts and Unbounded Delays” › “Network \
            congestion and queueing”".to_string(),
        view: View::default(),
        explains: Vec::new(),
    }
}
