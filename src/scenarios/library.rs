//! The preset scenarios, one per phenomenon in the source material.

use crate::detect::FindingKind;

use super::{Fix, ModelSpec, Narration, Prediction, Scenario, Shown};
use crate::models::election::{ClientOp, Election};
use crate::sim::{Command, Micros, NodeId, Scheduled, SimConfig};

const A: NodeId = NodeId(0);
const B: NodeId = NodeId(1);
const C: NodeId = NodeId(2);
const D: NodeId = NodeId(3);
const E: NodeId = NodeId(4);

/// Every preset, in teaching order.
pub fn all() -> Vec<Scenario> {
    vec![split_brain()]
}

pub fn by_id(id: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.id == id)
}

fn say(at_us: Micros, text: &str) -> Narration {
    Narration {
        at_us,
        text: text.to_string(),
        shown: Shown::Always,
    }
}

fn say_if(shown: Shown, at_us: Micros, text: &str) -> Narration {
    Narration {
        at_us,
        text: text.to_string(),
        shown,
    }
}

fn at<Op>(at_us: Micros, command: Command<Op>) -> Scheduled<Op> {
    Scheduled { at_us, command }
}

/// Client writes through `node` every `every_us` from `from_us` to `until_us`, values counting up
/// from `first`.
fn writes(
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

fn split_brain() -> Scenario {
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
        shows: FindingKind::SplitBrain,
        fix_cost: Some(FindingKind::LivenessStall),
        config: SimConfig { nodes: 5, seed: 3, ..SimConfig::default() },
        model: ModelSpec::Election { params: Election::default(), script },
        duration_us: 3_000_000,
        key_moment_us: 1_550_000,
        narration: vec![
            say(0, "Five nodes. A leads: every 100 ms it sends a heartbeat and the others follow it. \
                    Clients write through B (left) and E (right); a follower passes each write on to \
                    the leader it believes in."),
            say(1_000_000, "The network splits: A and B on one side, C, D and E on the other. \
                            Nothing has crashed. Every node is running; they just cannot hear each other."),
            say_if(Shown::WithoutFix, 1_250_000, "C, D and E hear no heartbeat. When its timeout runs \
                    out, one of them concludes that A is dead and declares itself leader. Nobody \
                    votes: a timeout is all it takes."),
            say_if(Shown::WithoutFix, 1_550_000, "Two leaders. A still believes it leads (nothing told it \
                    otherwise) and so does the new one. Both accept writes: split brain."),
            say_if(Shown::WithFix, 1_250_000, "A can no longer reach a majority. Its lease runs out, \
                    so it steps down and refuses writes. On the other side, a candidate asks for \
                    votes: three of five is a majority, so it wins."),
            say_if(Shown::WithFix, 1_550_000, "One leader, on the majority side. Writes through B \
                    are refused: the minority cannot make progress. That is the price of safety."),
            say(2_500_000, "The partition heals. The old leader hears of a newer term and steps down."),
            say_if(Shown::WithoutFix, 2_600_000, "Writes that A acknowledged while it was cut off \
                    are overwritten by the other side's: clients were told they succeeded."),
        ],
        prediction: Prediction {
            question: "The network has just split A, B | C, D, E, and A still leads. What happens next?"
                .to_string(),
            choices: vec![
                "C, D and E wait for A to come back".to_string(),
                "One of C, D, E declares itself leader, and both sides accept writes".to_string(),
                "A notices it is cut off and stops accepting writes".to_string(),
            ],
            answer: 1,
            explanation: "A node cannot tell a dead leader from an unreachable one. C, D and E \
                          time out and elect a new leader; A has no reason to stop."
                .to_string(),
        },
        fix: Fix {
            label: "Require a majority".to_string(),
            explanation: "A leader needs a majority's votes to be elected, a majority's \
                          acknowledgements to commit a write, and steps down when its lease from \
                          a majority runs out. Two majorities of five always share a node, so only \
                          one side of any partition can act."
                .to_string(),
            cost: "The minority side is unavailable: writes through A or B are refused until the \
                   partition heals."
                .to_string(),
        },
        fix_enabled: false,
    }
}
