//! The Byzantine generals, by Lamport's oral-messages algorithm OM(1). Node A commands; the
//! others are lieutenants. The commander sends its order to every lieutenant; each lieutenant
//! relays what it received to every other lieutenant; after a round (messages are assumed to
//! arrive within it) each lieutenant decides by majority, retreating on a tie. One node is a
//! traitor: as commander it sends conflicting orders, as lieutenant it relays the opposite of
//! what it heard. OM(1) tolerates one traitor only with at least four generals (3f + 1).

use serde::{Deserialize, Serialize};

use crate::detect::{seconds, Fact, Finding, FindingKind, Observed, Property, PropertyClass};
use crate::sim::words::{or_none, row};
use crate::sim::{
    Context, Describe, EventId, EventKind, Micros, Model, Names, NodeId, NodeState, RequestId, Row,
    Trace,
};

pub const COMMANDER: NodeId = NodeId(0);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Order {
    Attack,
    Retreat,
}

impl Order {
    /// The order in plain words, as a general would give it.
    pub fn word(self) -> &'static str {
        match self {
            Order::Attack => "attack",
            Order::Retreat => "retreat",
        }
    }

    fn opposite(self) -> Order {
        match self {
            Order::Attack => Order::Retreat,
            Order::Retreat => Order::Attack,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generals {
    pub traitor: Option<NodeId>,
    /// How long a lieutenant waits for relayed orders before deciding.
    pub round_us: Micros,
}

impl Default for Generals {
    fn default() -> Self {
        Generals {
            traitor: None,
            round_us: 200_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// The commander's order.
    Command { order: Order },
    /// "The commander told me `order`."
    Relay { order: Order },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    Decide,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    /// The commander issues this order.
    Issue { order: Order },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    Ordered {
        order: Order,
    },
    Decided {
        order: Order,
        attack_votes: u8,
        retreat_votes: u8,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    /// Orders heard: from the commander, and relayed by each lieutenant.
    pub heard: Vec<(NodeId, Order)>,
    /// What it decided, once it has.
    pub decided: Option<Order>,
}

type Ctx<'a> = Context<'a, Generals>;
type State = NodeState<Generals>;

impl Generals {
    fn is_traitor(&self, node: NodeId) -> bool {
        self.traitor == Some(node)
    }
}

impl Model for Generals {
    fn message_kind(msg: &Msg) -> usize {
        match msg {
            Msg::Command { .. } => 0,
            Msg::Relay { .. } => 1,
        }
    }

    type Msg = Msg;
    type Timer = Timer;
    type ClientOp = ClientOp;
    type Note = Note;
    type Durable = ();
    type Volatile = Volatile;

    fn start(&self, _ctx: &mut Ctx) -> State {
        NodeState::with_durable(())
    }

    fn recover(&self, _durable: (), ctx: &mut Ctx) -> State {
        self.start(ctx)
    }

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        if ctx.node() == COMMANDER || state.volatile.decided.is_some() {
            return;
        }
        match *msg {
            Msg::Command { order } => {
                state.volatile.heard.push((from, order));
                let relayed = if self.is_traitor(ctx.node()) {
                    order.opposite()
                } else {
                    order
                };
                let me = ctx.node();
                for peer in (1..ctx.node_count()).map(NodeId).filter(|&p| p != me) {
                    ctx.send(peer, Msg::Relay { order: relayed });
                }
                ctx.set_timer(Timer::Decide, self.round_us);
            }
            Msg::Relay { order } => state.volatile.heard.push((from, order)),
        }
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, _timer: &Timer) {
        let attack = state
            .volatile
            .heard
            .iter()
            .filter(|(_, o)| *o == Order::Attack)
            .count() as u8;
        let retreat = state.volatile.heard.len() as u8 - attack;
        let order = if attack > retreat {
            Order::Attack
        } else {
            Order::Retreat
        };
        state.volatile.decided = Some(order);
        ctx.record(Note::Decided {
            order,
            attack_votes: attack,
            retreat_votes: retreat,
        });
    }

    fn on_client(&self, _state: &mut State, ctx: &mut Ctx, request: RequestId, op: &ClientOp) {
        if ctx.node() != COMMANDER {
            return;
        }
        let ClientOp::Issue { order } = *op;
        ctx.record(Note::Ordered { order });
        for (index, lieutenant) in (1..ctx.node_count()).map(NodeId).enumerate() {
            // A traitorous commander tells half its lieutenants the opposite.
            let sent = if self.is_traitor(COMMANDER) && index % 2 == 1 {
                order.opposite()
            } else {
                order
            };
            ctx.send(lieutenant, Msg::Command { order: sent });
        }
        ctx.reply(request, Note::Ordered { order });
    }
}

impl Observed for Generals {
    fn fact(_note: &Note) -> Option<Fact> {
        None
    }

    fn properties(&self) -> Vec<Property> {
        vec![Property {
            name: "Loyal generals agree, and follow a loyal commander",
            class: PropertyClass::Safety,
            violated_by: FindingKind::ByzantineDisagreement,
        }]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let mut order_given: Option<(Order, EventId)> = None;
        let mut decisions: Vec<(NodeId, Order, EventId, Micros)> = Vec::new();
        for (index, event) in trace.events().iter().enumerate() {
            let EventKind::Local { note } = event.kind else {
                continue;
            };
            match *trace.note(note) {
                Note::Ordered { order } if !self.is_traitor(event.node) => {
                    order_given = Some((order, EventId(index as u32)));
                }
                Note::Decided { order, .. } if !self.is_traitor(event.node) => {
                    decisions.push((event.node, order, EventId(index as u32), event.time));
                }
                _ => {}
            }
        }
        let mut findings = Vec::new();
        // A loyal commander's order must be followed by every loyal lieutenant.
        if let Some((given, order_event)) = order_given {
            for &(node, order, event, time) in &decisions {
                if order != given {
                    findings.push(Finding {
                        kind: FindingKind::ByzantineDisagreement,
                        time,
                        nodes: vec![COMMANDER, node],
                        events: vec![order_event, event],
                        summary: format!(
                            "Byzantine disagreement: loyal {node} decided to {} at {} although the \
                             loyal commander ordered {}",
                            order.word(),
                            seconds(time),
                            given.word()
                        ),
                    });
                }
            }
        }
        // Loyal lieutenants must agree with each other.
        if let Some(&(first, first_order, first_event, _)) = decisions.first() {
            if let Some(&(node, order, event, time)) = decisions.iter().find(|d| d.1 != first_order)
            {
                if order_given.is_none() {
                    findings.push(Finding {
                        kind: FindingKind::ByzantineDisagreement,
                        time,
                        nodes: vec![first, node],
                        events: vec![first_event, event],
                        summary: format!(
                            "Byzantine disagreement: loyal {first} decided to {}, loyal {node} \
                             decided to {}",
                            first_order.word(),
                            order.word()
                        ),
                    });
                }
            }
        }
        findings
    }
}

// ----- in words -----

impl Describe for Generals {
    const MESSAGE_KINDS: &'static [&'static str] = &["order", "relayed order"];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        match msg {
            Msg::Command { order } => format!("order: {}", order.word()),
            Msg::Relay { order } => format!("the commander said {}", order.word()),
        }
    }

    fn timer(&self, _: &Timer, _: &Names) -> String {
        "time to decide".to_string()
    }

    fn client_op(&self, op: &ClientOp, _: &Names) -> String {
        let ClientOp::Issue { order } = op;
        format!("issue the order to {}", order.word())
    }

    fn note(&self, note: &Note, _: &Names) -> String {
        match note {
            Note::Ordered { order } => format!("orders {}", order.word()),
            Note::Decided {
                order,
                attack_votes,
                retreat_votes,
            } => format!(
                "decides {} ({attack_votes} attack, {retreat_votes} retreat)",
                order.word()
            ),
        }
    }

    fn memory(&self, node: NodeId, state: &Volatile, names: &Names) -> Vec<Row> {
        let mut rows = vec![row(
            "Rank",
            match (node == COMMANDER, self.is_traitor(node)) {
                (true, false) => "commander",
                (true, true) => "commander, a traitor",
                (false, false) => "lieutenant",
                (false, true) => "lieutenant, a traitor",
            },
        )];
        let heard: Vec<String> = state
            .heard
            .iter()
            .map(|(from, order)| format!("{} from {}", order.word(), names.of(*from)))
            .collect();
        if !heard.is_empty() {
            rows.push(row("Orders heard", heard.join(", ")));
        }
        rows.push(row(
            "Decided",
            or_none(state.decided, |o| o.word().to_string(), "not yet"),
        ));
        rows
    }

    fn disk(&self, _: NodeId, _: &(), _: &Names) -> Vec<Row> {
        Vec::new()
    }

    fn headline(&self, node: NodeId, memory: Option<&Volatile>, _: &(), _: &Names) -> String {
        let rank = match (node == COMMANDER, self.is_traitor(node)) {
            (true, false) => "commander",
            (true, true) => "commander, a traitor",
            (false, false) => "loyal",
            (false, true) => "a traitor",
        };
        match memory.and_then(|m| m.decided) {
            Some(order) => format!("{rank}, {}s", order.word()),
            None => rank.to_string(),
        }
    }
}
