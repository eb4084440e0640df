//! Byzantine faults: the generals.

use super::prelude::*;

pub(super) fn byzantine_generals() -> Scenario {
    Scenario {
        id: "byzantine-generals".to_string(),
        title: "Byzantine generals: one traitor among three".to_string(),
        lesson: "A loyal commander orders an attack. A traitorous lieutenant relays the opposite. \
                 With three generals the loyal lieutenant cannot tell who lies, and retreats."
            .to_string(),
        shows: Some(FindingKind::ByzantineDisagreement),
        fix_cost: None,
        config: SimConfig { nodes: 3, seed: 13, ..SimConfig::default() },
        model: ModelSpec::Generals {
            // The traitor is C in both runs.
            params: Generals { traitor: Some(C), ..Generals::default() },
            fixed_nodes: 4,
            script: vec![at(100_000, Command::Client {
                node: A,
                op: generals::ClientOp::Issue { order: Order::Attack },
            })],
        },
        duration_us: 500_000,
        key_moment_us: 330_000,
        narration: vec![
            say_if(Shown::WithoutFix, 0, "Three generals: A commands, B and C are lieutenants. C \
                    is a traitor. They can only send messengers (the network), and must agree."),
            say_if(Shown::WithFix, 0, "Four generals: A commands, B, C and D are lieutenants. C is \
                    still a traitor: one traitor among four."),
            say(100_000, "A orders: attack. Each lieutenant tells every other what it heard from A."),
            say(128_000, "C lies: it tells the others that A said retreat."),
            say_if(Shown::WithoutFix, 330_000, "B heard \"attack\" from A and \"retreat\" from C: one \
                    each. From where B stands, a traitorous commander would look exactly the same. \
                    On a tie it retreats, and disobeys its loyal commander."),
            say_if(Shown::WithFix, 330_000, "B heard \"attack\" from A and from D, \"retreat\" only \
                    from C: two to one. Every loyal general attacks. With 3f + 1 generals, f traitors \
                    are outvoted."),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(B, "decides")],
            question: "B hears \"attack\" from the commander and \"the commander said retreat\" from \
                       C. What should B conclude?"
                .to_string(),
            choices: vec![
                "C is lying".to_string(),
                "It cannot tell whether A or C is the traitor".to_string(),
                "A is lying".to_string(),
            ],
            answer: 1,
            explanation: "If A were the traitor sending different orders, B would see exactly the \
                          same messages. Three generals cannot tolerate one traitor."
                .to_string(),
        },
        fix: Fix {
            label: "3f + 1 generals".to_string(),
            explanation: "With four generals, each loyal lieutenant hears the order from the \
                          commander and two relays; one traitor cannot outvote two loyal voices."
                .to_string(),
            cost: "More generals and more messages: tolerating f traitors takes 3f + 1 nodes."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "Now there are four generals: A commands, B, C and D are lieutenants, and C still \
                relays \"retreat\". What do the loyal lieutenants B and D decide?"
                .to_string(),
            choices: vec![
                "Attack: each hears \"attack\" twice and \"retreat\" once".to_string(),
                "Retreat: a single lie still forces a tie".to_string(),
                "Nothing: they still cannot tell who lies".to_string(),
            ],
            answer: 0,
            explanation: "Each loyal lieutenant hears \"attack\" from the commander and from the other loyal \
                lieutenant, and \"retreat\" only from C: two to one. With 3f + 1 generals, f \
                traitors are outvoted."
                .to_string(),
            reveal: vec![
                Reveal { node: None, says: "decides".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Knowledge, Truth, and Lies” › “Byzantine Faults”".to_string(),
        view: View {
            names: vec!["Commander".to_string(), "Lieutenant B".to_string(), "Traitor C".to_string(), "Lieutenant D".to_string()],
            ..View::default()
        },
        explains: Vec::new(),
    }
}
