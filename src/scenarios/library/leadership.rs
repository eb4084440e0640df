//! Leader election: split brain, the majority's verdict, and the sandbox.

use super::prelude::*;
use super::sandbox::{sandbox_story, SANDBOX_US, SANDBOX_WRITE_EVERY_US};

/// Client writes through `node` every `every_us` from `from_us` to `until_us`, values counting up
/// from `first`.
pub(super) fn writes(
    node: NodeId,
    from_us: Micros,
    until_us: Micros,
    every_us: Micros,
    first: u32,
) -> Vec<Scheduled<ClientOp>> {
    (0..)
        .map(|k: u32| (from_us + u64::from(k) * every_us, first + k))
        .take_while(|&(time, _)| time < until_us)
        .map(|(time, value)| {
            at(
                time,
                Command::Client {
                    node,
                    op: ClientOp::Write { value },
                },
            )
        })
        .collect()
}

pub(super) fn split_brain() -> Scenario {
    let mut script = vec![
        at(
            1_000_000,
            Command::Partition {
                groups: vec![vec![A, B], vec![C, D, E]],
            },
        ),
        at(2_500_000, Command::HealAll),
    ];
    script.extend(writes(B, 400_000, 2_900_000, 300_000, 100));
    script.extend(writes(E, 410_000, 2_900_000, 300_000, 200));
    Scenario {
        id: "split-brain".to_string(),
        title: "Two leaders: split brain under a partition".to_string(),
        lesson: "When the network splits, a leader elected by timeout alone appears on each side, \
                 and both accept writes."
            .to_string(),
        shows: Some(FindingKind::SplitBrain),
        fix_cost: Some(FindingKind::LivenessStall),
        config: SimConfig { nodes: 5, seed: 1, ..SimConfig::default() },
        model: ModelSpec::Election { params: Election::default(), fixed: None, script },
        duration_us: 3_000_000,
        // Just before E's timeout runs out: the question comes before the answer shows.
        key_moment_us: 1_234_000,
        narration: vec![
            say(0, "Five nodes. A leads: every 100 ms it sends a heartbeat and the others follow it. \
                    Clients write through B (left) and E (right); a follower passes each write on to \
                    the leader it believes in."),
            say(1_000_000, "The network splits: A and B on one side, C, D and E on the other. \
                            Nothing has crashed. Every node is running; they just cannot hear each other."),
            say_if(Shown::WithoutFix, 1_234_000, "C, D and E hear no heartbeat. E's timeout runs out \
                    first: it concludes that A is dead and declares itself leader of term 2. Nobody \
                    votes: a timeout is all it takes."),
            say_if(Shown::WithoutFix, 1_330_000, "Two leaders. A still believes it leads (nothing told it \
                    otherwise) and so does E. Both accept writes: split brain."),
            say_if(Shown::WithFix, 1_200_000, "A can no longer reach a majority. Its lease runs out, \
                    so it steps down and refuses writes."),
            say_if(Shown::WithFix, 1_376_000, "On the other side C times out and asks for votes. \
                    With D's and E's it has three of five, a majority, and it leads term 2."),
            say_if(Shown::WithFix, 1_400_000, "One leader, on the majority side. Writes through B \
                    are refused: the minority cannot make progress. That is the price of safety."),
            say_if(Shown::WithoutFix, 2_500_000, "The partition heals. A hears of E's newer term and \
                    steps down."),
            say_if(Shown::WithFix, 2_500_000, "The partition heals. A stepped down long ago, when its \
                    lease ran out; C still leads."),
            say_if(Shown::WithoutFix, 2_600_000, "Writes that A acknowledged while it was cut off \
                    never reached C, D or E: clients were told they succeeded, and the other side's \
                    history carries on without them."),
            say_if(Shown::WithFix, 2_619_000, "C steps down too. While cut off, B kept starting \
                    elections, and A, voting for it, took on its ever higher terms; back in touch, \
                    A stands for term 5, and a leader that hears of a higher term must step down. \
                    Nobody leads until an election succeeds. (Raft's pre-vote exists to avoid \
                    this.)"),
        ],
        prediction: Prediction {
            reveal: vec![answered_by("election timeout"), answered_by("presumed dead")],
            question: "The network has just split A, B | C, D, E, and A still leads. What happens next?"
                .to_string(),
            choices: vec![
                "C, D and E wait for A to come back".to_string(),
                "One of C, D, E declares itself leader, and both sides accept writes".to_string(),
                "A notices it is cut off and stops accepting writes".to_string(),
            ],
            answer: 1,
            explanation: "A node cannot tell a dead leader from an unreachable one. On the far \
                          side a timeout runs out and E makes itself leader; A has no reason to \
                          stop."
                .to_string(),
        },
        fix: Fix {
            label: "Require a majority".to_string(),
            explanation: "A leader needs a majority's votes to be elected, a majority's \
                          acknowledgements to commit a write, and steps down when its lease from \
                          a majority runs out. Two majorities of five always share a node, so only \
                          one side of any partition can act."
                .to_string(),
            cost: "The minority side is unavailable: every write through B is refused while it \
                   is cut off, and here until a new leader is elected after the heal."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "The network has just split A, B | C, D, E, and a leader now needs a majority. A \
                still leads, and B passes its clients' writes on to A. What happens to writes \
                through B?"
                .to_string(),
            choices: vec![
                "A accepts them, as before: it can still reach B".to_string(),
                "A queues them until the network heals, then commits them".to_string(),
                "A steps down and refuses them: with only B in reach, it has no majority".to_string(),
            ],
            answer: 2,
            explanation: "A leader keeps its place only while a majority acknowledges it. Cut off with B \
                alone, A cannot show that a majority follows it, so its lease runs out and it steps \
                down, and writes through B are refused. The minority side stays safe by becoming \
                unavailable."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(A), says: "no longer leader".to_string() },
                Reveal { node: Some(A), says: "steps down".to_string() },
                Reveal { node: Some(A), says: "refused: no majority reachable".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks” › “Network Faults in Practice”".to_string(),
        view: View {
            quiet: vec!["heartbeat".to_string(), "heartbeat ack".to_string()],
            ..View::default()
        },
        explains: [
            explains(
                FindingKind::FalseSuspicion,
                "A node was declared dead while it was running. Across the split, A's \
                 heartbeats were lost on the way, not slow: the other side heard only silence. \
                 A node that stops hearing its leader cannot tell a crash from a network that \
                 drops its messages, or from a leader that has stepped down and stopped \
                 sending, as A does once its lease runs out with the fix.",
            ),
            explains(
                FindingKind::LivenessStall,
                "A client's write got no successful answer. A write through E went to A, the \
                 leader E still followed, and the partition dropped it: nothing sent it again. \
                 With the fix, writes through B are refused, since B's side cannot reach a \
                 majority, and after the heal a write is refused while nobody leads: the price \
                 of requiring a majority.",
            ),
        ]
        .concat(),
    }
}

pub(super) fn majority_truth() -> Scenario {
    let mut script: Vec<Scheduled<ClientOp>> = [B, C, D, E]
        .into_iter()
        .map(|to| at(1_000_000, Command::CutLink { from: A, to }))
        .collect();
    script.extend(writes(A, 400_000, 2_400_000, 300_000, 100));
    script.extend(writes(E, 410_000, 2_400_000, 300_000, 200));
    Scenario {
        id: "majority-truth".to_string(),
        title: "The truth is defined by the majority".to_string(),
        lesson: "A leader can still hear everyone, but nobody hears it. The others give up on it \
                 and a new leader takes over. It is alive, and wrong about being the leader."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: Some(FindingKind::LivenessStall),
        config: SimConfig { nodes: 5, seed: 4, ..SimConfig::default() },
        model: ModelSpec::Election { params: Election::default(), fixed: None, script },
        duration_us: 2_500_000,
        // Just before the first node gives up on A (B with the fix, E without).
        key_moment_us: 1_379_000,
        narration: vec![
            say(0, "Five nodes; A leads. Clients write through A and through E."),
            say(1_000_000, "A's outgoing links fail. A still receives every message, but nothing it \
                            sends arrives: its heartbeats vanish. This is the asymmetric fault of \
                            DDIA's chapter 8: a node that hears everyone but is heard by nobody."),
            say_if(Shown::WithoutFix, 1_300_000, "A, still sure it leads, acknowledges its clients' \
                    writes (102, then 103), which can never leave it."),
            say_if(Shown::WithFix, 1_200_000, "A's heartbeats go unacknowledged, so its lease runs \
                    out: it steps down and refuses writes. Nobody has declared it dead yet; it only \
                    knows it can no longer show that a majority follows it."),
            say_if(Shown::WithoutFix, 1_443_000, "E hears nothing from A, declares it dead and makes \
                    itself leader of term 2. Nobody votes: E's timeout alone decided, and A is \
                    running perfectly well."),
            say_if(Shown::WithoutFix, 1_467_000, "E's heartbeat tells A of term 2, and A steps down. \
                    The writes it acknowledged are gone: no other node ever had them."),
            say_if(Shown::WithFix, 1_430_000, "B hears nothing from A and declares it dead. It asks \
                    for votes, C, D and E agree, and B leads term 2. A, running perfectly well, is \
                    treated as dead: the majority's verdict stands even though it is wrong."),
        ],
        prediction: Prediction {
            reveal: vec![answered_by("election timeout"), answered_by("presumed dead")],
            question: "A can receive but not send: its followers hear nothing from it, and A, \
                       sure it still leads, goes on acknowledging its clients' writes. No \
                       election needs a majority here. What happens?"
                .to_string(),
            choices: vec![
                "A goes on leading: it knows it is running".to_string(),
                "E alone declares A dead and takes over, and the writes A acknowledged are lost"
                    .to_string(),
                "Nothing changes until the network heals".to_string(),
            ],
            answer: 1,
            explanation: "A is right that it is running, and that does not matter: E's own \
                          timeout decides, nobody votes, and A learns it is no longer leader \
                          only from E's heartbeat. Its acknowledgements meant nothing, since no \
                          other node held those writes. Requiring a majority, the fix, makes \
                          the quorum's verdict the one that counts."
                .to_string(),
        },
        fix: Fix {
            label: "Abide by the majority (quorum)".to_string(),
            explanation: "A leader commits a write only once a majority has it, and keeps leading \
                          only while a majority acknowledges it; when it cannot reach one, it steps \
                          down."
                .to_string(),
            cost: "Writes through A are refused, and A is still declared dead while alive: the \
                   majority's verdict stands even when it is wrong."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "A's outgoing links have failed: it still receives every message, but nothing it \
                sends arrives. Nobody has declared it dead yet. With the majority rule, what does A \
                do?"
                .to_string(),
            choices: vec![
                "Steps down and refuses writes: none of its heartbeats is acknowledged".to_string(),
                "Keeps leading: it hears every node, so nothing seems wrong".to_string(),
                "Keeps leading until the others elect a new leader and tell it".to_string(),
            ],
            answer: 0,
            explanation: "Hearing the others proves nothing about being heard. A leader keeps its place only \
                while a majority acknowledges its heartbeats; A's vanish, no acknowledgement comes \
                back, so its lease runs out and it steps down before anyone has declared it dead."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(A), says: "no longer leader".to_string() },
                Reveal { node: Some(A), says: "steps down".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Knowledge, Truth, and Lies” › “The Truth Is Defined by the \
            Majority”".to_string(),
        view: View {
            quiet: vec!["heartbeat".to_string(), "heartbeat ack".to_string()],
            ..View::default()
        },
        explains: [
            explains(
                FindingKind::AckedWriteLost,
                "A client writing through A was told its write succeeded, and the write is gone: \
                 A could not pass it on, and the cluster moved on under a leader that never saw \
                 it. (Writes through E that A accepted are gone too, but their clients were never \
                 told they succeeded: A's answers were lost, and they show as writes with no \
                 answer.) Committing a write only once a majority holds it prevents this.",
            ),
            explains(
                FindingKind::FalseSuspicion,
                "A node was declared dead while it was running: A's outgoing links had failed, \
                 so its heartbeats were lost on the way, not slow. To the others, a node nobody \
                 can hear looks exactly like a crashed one; A itself heard everything and had \
                 no way to know.",
            ),
            explains(
                FindingKind::LivenessStall,
                "A client's write got no successful answer. A write through E went to A, the \
                 leader E still followed, and A's answer could not leave A, so the client never \
                 heard back: without the fix A had accepted the write, with it A refused it. \
                 With the fix, A also refuses its own clients' \
                 writes: no majority acknowledges it, so it cannot commit them, and once it \
                 has stepped down it knows no leader to pass them to.",
            ),
        ]
        .concat(),
    }
}

pub(super) fn sandbox() -> Scenario {
    // Steady random client traffic: a write every 100 ms through a random node.
    let nodes = 5;
    let mut rng = SimRng::new(15);
    let writes = (SANDBOX_US / SANDBOX_WRITE_EVERY_US - 1) as u32;
    let script = (0..writes)
        .map(|k| {
            let node = NodeId(rng.below(u64::from(nodes)) as u8);
            at(
                SANDBOX_WRITE_EVERY_US + u64::from(k) * SANDBOX_WRITE_EVERY_US,
                Command::Client {
                    node,
                    op: ClientOp::Write { value: k },
                },
            )
        })
        .collect();
    let (title, lesson, narration) = sandbox_story(nodes, SANDBOX_US);
    Scenario {
        id: "sandbox".to_string(),
        title,
        lesson,
        shows: None,
        fix_cost: None,
        config: SimConfig {
            nodes,
            seed: 15,
            ..SimConfig::default()
        },
        model: ModelSpec::Election {
            params: Election::default(),
            fixed: None,
            script,
        },
        duration_us: SANDBOX_US,
        key_moment_us: 0,
        narration,
        prediction: Prediction {
            reveal: vec![],
            question: "If you cut the leader off from everyone, what happens to writes sent \
                       through it?"
                .to_string(),
            choices: vec![
                "They keep succeeding".to_string(),
                "It depends on whether the cluster requires a majority".to_string(),
                "They are queued until the network heals".to_string(),
            ],
            answer: 1,
            explanation: "Without a quorum, a cut-off leader keeps accepting writes that may be \
                          lost; with one, it steps down and refuses them."
                .to_string(),
        },
        fix: Fix {
            label: "Require a majority".to_string(),
            explanation: "Leaders need a majority's votes and acknowledgements.".to_string(),
            cost: "A minority side becomes unavailable.".to_string(),
        },
        fix_enabled: false,
        fix_prediction: None,
        source: "DDIA chapter 8, “Faults and Partial Failures”".to_string(),
        view: View {
            quiet: vec!["heartbeat".to_string(), "heartbeat ack".to_string()],
            ..View::default()
        },
        explains: Vec::new(),
    }
}
