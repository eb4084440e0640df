//! Commit timestamps from clocks with bounded uncertainty, in the manner of Spanner's TrueTime.
//! A client commits transaction 1 on one node and, once told it committed, transaction 2 on
//! another. Each node stamps commits either with its local clock, or with the latest possible
//! true time (TT.now().latest) followed by a commit wait: it acknowledges only once even its
//! earliest possible true time has passed the stamp. Then a transaction that starts after
//! another committed always gets a larger timestamp.

use serde::{Deserialize, Serialize};

use crate::detect::{seconds, Fact, Finding, FindingKind, Observed, Property, PropertyClass};
use crate::sim::words::{clock_reading, duration, row};
use crate::sim::{
    Context, Describe, EventId, EventKind, Model, Names, NodeId, NodeState, RequestId, Row, Trace,
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrueTime {
    pub commit_wait: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// The client, having heard that the previous transaction committed, starts this one here.
    Begin { txn: u8 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    /// Commit wait over for `txn`, stamped `timestamp`.
    Acknowledge { txn: u8, timestamp: i64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    /// Commit `txn` here; once it is acknowledged, start `txn + 1` on `then`.
    Commit { txn: u8, then: Option<NodeId> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// Stamped, and (after any commit wait) acknowledged.
    Committed { txn: u8, timestamp: i64 },
    /// Waiting until the clock's earliest reading passes the stamp.
    CommitWait {
        txn: u8,
        timestamp: i64,
        wait_us: u64,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    /// Where to start the next transaction once the current one is acknowledged.
    pub then: Vec<(u8, NodeId)>,
}

type Ctx<'a> = Context<'a, TrueTime>;
type State = NodeState<TrueTime>;

impl TrueTime {
    fn commit(&self, state: &mut State, ctx: &mut Ctx, txn: u8, then: Option<NodeId>) {
        if let Some(next) = then {
            state.volatile.then.push((txn, next));
        }
        if !self.commit_wait {
            let timestamp = ctx.time_of_day();
            return self.acknowledge(state, ctx, txn, timestamp);
        }
        let timestamp = ctx.interval().latest;
        // Wait out twice the uncertainty: until earliest > timestamp.
        let wait_us = (timestamp - ctx.interval().earliest + 1) as u64;
        ctx.record(Note::CommitWait {
            txn,
            timestamp,
            wait_us,
        });
        ctx.set_timer(Timer::Acknowledge { txn, timestamp }, wait_us);
    }

    fn acknowledge(&self, state: &mut State, ctx: &mut Ctx, txn: u8, timestamp: i64) {
        ctx.record(Note::Committed { txn, timestamp });
        if let Some(position) = state.volatile.then.iter().position(|(t, _)| *t == txn) {
            let (_, next) = state.volatile.then.remove(position);
            ctx.send(next, Msg::Begin { txn: txn + 1 });
        }
    }
}

impl Model for TrueTime {
    fn message_kind(_: &Msg) -> usize {
        0
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

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, _from: NodeId, msg: &Msg) {
        let Msg::Begin { txn } = *msg;
        self.commit(state, ctx, txn, None);
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        let Timer::Acknowledge { txn, timestamp } = *timer;
        self.acknowledge(state, ctx, txn, timestamp);
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, _request: RequestId, op: &ClientOp) {
        let ClientOp::Commit { txn, then } = *op;
        self.commit(state, ctx, txn, then);
    }
}

impl Observed for TrueTime {
    fn fact(_note: &Note) -> Option<Fact> {
        None
    }

    fn properties(&self) -> Vec<Property> {
        vec![Property {
            name: "A transaction that starts after another commits gets a larger timestamp",
            class: PropertyClass::Safety,
            violated_by: FindingKind::OrderingViolation,
        }]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let commits: Vec<(u8, i64, EventId)> = trace
            .events()
            .iter()
            .enumerate()
            .filter_map(|(index, event)| match event.kind {
                EventKind::Local { note } => match *trace.note(note) {
                    Note::Committed { txn, timestamp } => {
                        Some((txn, timestamp, EventId(index as u32)))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let mut findings = Vec::new();
        for &(first, first_ts, first_event) in &commits {
            for &(second, second_ts, second_event) in &commits {
                if trace.happened_before(first_event, second_event) && second_ts <= first_ts {
                    let event = trace.event(second_event);
                    findings.push(Finding {
                        kind: FindingKind::OrderingViolation,
                        time: event.time,
                        nodes: vec![trace.event(first_event).node, event.node],
                        events: vec![first_event, second_event],
                        summary: format!(
                            "Timestamps out of order: transaction {second} began after {first} \
                             committed, yet at {} got an earlier timestamp ({} < {} ms): a snapshot \
                             between them shows {second} without {first}",
                            seconds(event.time),
                            second_ts / 1_000,
                            first_ts / 1_000
                        ),
                    });
                }
            }
        }
        findings
    }
}

// ----- in words -----

impl Describe for TrueTime {
    const MESSAGE_KINDS: &'static [&'static str] = &["begin transaction"];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        let Msg::Begin { txn } = msg;
        format!("begin transaction {txn}")
    }

    fn timer(&self, timer: &Timer, _: &Names) -> String {
        let Timer::Acknowledge { txn, .. } = timer;
        format!("commit wait over for transaction {txn}")
    }

    fn client_op(&self, op: &ClientOp, names: &Names) -> String {
        let ClientOp::Commit { txn, then } = *op;
        match then {
            Some(next) => format!(
                "commit transaction {txn}, then begin {} on {}",
                txn + 1,
                names.of(next)
            ),
            None => format!("commit transaction {txn}"),
        }
    }

    fn note(&self, note: &Note, _: &Names) -> String {
        match *note {
            Note::Committed { txn, timestamp } => format!(
                "transaction {txn} committed, timestamp {}",
                clock_reading(timestamp)
            ),
            Note::CommitWait {
                txn,
                timestamp,
                wait_us,
            } => format!(
                "transaction {txn} stamped {}: waits {}",
                clock_reading(timestamp),
                duration(wait_us)
            ),
        }
    }

    fn memory(&self, _: NodeId, state: &Volatile, names: &Names) -> Vec<Row> {
        state
            .then
            .iter()
            .map(|(txn, next)| {
                row(
                    "Next after commit",
                    format!("transaction {} on {}", txn + 1, names.of(*next)),
                )
            })
            .collect()
    }

    fn disk(&self, _: NodeId, _: &(), _: &Names) -> Vec<Row> {
        Vec::new()
    }

    fn headline(&self, _: NodeId, memory: Option<&Volatile>, _: &(), names: &Names) -> String {
        memory
            .and_then(|m| m.then.first())
            .map(|(txn, next)| format!("next: transaction {} on {}", txn + 1, names.of(*next)))
            .unwrap_or_else(|| {
                let wait = if self.commit_wait { "on" } else { "off" };
                format!("commit wait {wait}")
            })
    }
}
