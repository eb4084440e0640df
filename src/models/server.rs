//! One server (node A) and clients (B and up) talking to it over the network. Three classic
//! client-server hazards, each with its mitigation:
//! - retries after a lost reply apply an operation twice, unless requests carry idempotency keys;
//! - writes sent in quick succession arrive out of order, unless they carry sequence numbers;
//! - two read-modify-write cycles interleave and one update is lost, unless writes are
//!   compare-and-set on the version that was read;
//! - increments sent over a lossy, duplicating link: sent once without waiting for an
//!   acknowledgement some are lost (at-most-once), retried until acknowledged some count twice
//!   (at-least-once), retried with idempotency keys the server remembers each counts once
//!   (effectively once), as long as it remembers them for longer than copies keep arriving.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::detect::{
    detect_client_server, seconds, Fact, Finding, FindingKind, Observed, Property, PropertyClass,
};
use crate::sim::words::row;
use crate::sim::{
    Context, Describe, EventId, EventKind, Micros, Model, Names, NodeId, NodeState, RequestId, Row,
    Trace,
};

pub const SERVER: NodeId = NodeId(0);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Server {
    /// Requests carry an idempotency key; the server remembers which it has applied.
    pub idempotency_keys: bool,
    /// Writes carry a per-client sequence number; the server ignores older ones.
    pub sequence_numbers: bool,
    /// Read-modify-write uses compare-and-set on the version read.
    pub compare_and_set: bool,
    /// A client retries an unanswered request after this long…
    pub retry_us: Micros,
    /// …up to this many times.
    pub max_attempts: u8,
    /// The account's opening balance.
    pub initial_balance: i64,
    /// Every increment is retried until acknowledged, even one its client would send without
    /// waiting for an answer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retry_every_increment: bool,
    /// How long the server remembers an increment's idempotency key, from when it applied it;
    /// `None`: for ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_window_us: Option<Micros>,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            idempotency_keys: false,
            sequence_numbers: false,
            compare_and_set: false,
            retry_us: 200_000,
            max_attempts: 3,
            initial_balance: 100,
            retry_every_increment: false,
            dedup_window_us: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// Take `amount` from the account. `key` identifies the operation across retries.
    Charge {
        op: u32,
        amount: i64,
        key: Option<u32>,
    },
    Charged {
        op: u32,
        balance: i64,
    },
    /// Set x; `seq` orders one client's writes.
    Set {
        value: u32,
        seq: Option<u32>,
    },
    Read {
        op: u32,
    },
    ReadResult {
        op: u32,
        balance: i64,
        version: u32,
    },
    /// Write a new balance computed from the version read (checked only with compare-and-set).
    Write {
        op: u32,
        balance: i64,
        read_version: u32,
    },
    Written {
        op: u32,
        ok: bool,
    },
    /// Add one to the sender's counter. `ack`: whether the sender waits for an answer (and
    /// retries without one); `key` identifies the increment across retries and copies.
    Increment {
        op: u32,
        key: Option<u32>,
        ack: bool,
    },
    Incremented {
        op: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    Retry { op: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    Charge {
        amount: i64,
    },
    Set {
        value: u32,
    },
    /// Read the balance, subtract `amount`, write it back.
    Withdraw {
        amount: i64,
    },
    /// Add one to this client's counter on the server: sent once without waiting for an
    /// answer, or (`retry`) retried until acknowledged.
    Increment {
        retry: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The server applied a charge.
    Charged {
        client: NodeId,
        op: u32,
        amount: i64,
        balance: i64,
    },
    /// The server recognised a retried charge and did not apply it again.
    AlreadyCharged { client: NodeId, op: u32 },
    /// The server set x.
    SetApplied {
        client: NodeId,
        value: u32,
        seq: Option<u32>,
    },
    /// The server ignored a write older than one it had applied.
    SetIgnored {
        client: NodeId,
        value: u32,
        seq: u32,
    },
    /// The server stored a balance computed from `read_version`.
    Stored {
        client: NodeId,
        op: u32,
        balance: i64,
        read_version: u32,
    },
    /// Compare-and-set refused a write based on a stale read.
    Conflict {
        client: NodeId,
        op: u32,
        read_version: u32,
        version: u32,
    },
    /// The client gave up or finished.
    Done { ok: bool },
    /// The client sent SET x = value (the reply to its client, in the order it sent them).
    SetSent { value: u32 },
    /// A client retried a request that got no answer.
    Retried { op: u32, attempt: u8 },
    /// The server added one to `client`'s counter.
    Incremented { client: NodeId, op: u32, count: u32 },
    /// The server recognised an increment's key and did not count it again.
    AlreadyIncremented { client: NodeId, op: u32 },
    /// The client sent an increment and expects no answer.
    SentUnacknowledged { op: u32 },
}

/// The server's data, and a client's operation counter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    pub balance: i64,
    pub version: u32,
    pub x: u32,
    /// (client, op) pairs already applied: the idempotency keys seen.
    pub applied: Vec<(NodeId, u32)>,
    /// Highest sequence number applied per client.
    pub last_seq: Vec<(NodeId, u32)>,
    pub next_op: u32,
    pub next_seq: u32,
    /// Per client, how many increments the server has counted.
    pub counts: Vec<(NodeId, u32)>,
    /// The increments' keys the server remembers: (client, key, its monotonic time when applied).
    pub keys: Vec<(NodeId, u32, u64)>,
}

/// A client's operation in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InProgress {
    pub op: u32,
    pub request: RequestId,
    pub what: ClientOp,
    pub attempts: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub in_progress: Vec<InProgress>,
}

type Ctx<'a> = Context<'a, Server>;
type State = NodeState<Server>;

impl Server {
    fn serve(&self, state: &mut State, ctx: &mut Ctx, client: NodeId, msg: Msg) {
        let data = &mut state.durable;
        match msg {
            Msg::Charge { op, amount, key } => {
                if key.is_some() && data.applied.contains(&(client, op)) {
                    ctx.record(Note::AlreadyCharged { client, op });
                } else {
                    data.balance -= amount;
                    data.applied.push((client, op));
                    let balance = data.balance;
                    ctx.record(Note::Charged {
                        client,
                        op,
                        amount,
                        balance,
                    });
                }
                ctx.send(
                    client,
                    Msg::Charged {
                        op,
                        balance: data.balance,
                    },
                );
            }
            Msg::Set { value, seq } => {
                let last = data
                    .last_seq
                    .iter()
                    .find(|(c, _)| *c == client)
                    .map(|(_, s)| *s);
                if let (Some(seq), Some(last)) = (seq, last) {
                    if seq <= last {
                        return ctx.record(Note::SetIgnored { client, value, seq });
                    }
                }
                data.x = value;
                if let Some(seq) = seq {
                    data.last_seq.retain(|(c, _)| *c != client);
                    data.last_seq.push((client, seq));
                }
                ctx.record(Note::SetApplied { client, value, seq });
            }
            Msg::Increment { op, key, ack } => {
                if let Some(window) = self.dedup_window_us {
                    let now = ctx.monotonic();
                    data.keys
                        .retain(|&(_, _, at)| now.saturating_sub(at) < window);
                }
                if key.is_some_and(|key| data.keys.iter().any(|k| (k.0, k.1) == (client, key))) {
                    ctx.record(Note::AlreadyIncremented { client, op });
                } else {
                    if let Some(key) = key {
                        data.keys.push((client, key, ctx.monotonic()));
                    }
                    let count = match data.counts.iter_mut().find(|(c, _)| *c == client) {
                        Some((_, count)) => {
                            *count += 1;
                            *count
                        }
                        None => {
                            data.counts.push((client, 1));
                            1
                        }
                    };
                    ctx.record(Note::Incremented { client, op, count });
                }
                if ack {
                    ctx.send(client, Msg::Incremented { op });
                }
            }
            Msg::Read { op } => {
                let (balance, version) = (data.balance, data.version);
                ctx.send(
                    client,
                    Msg::ReadResult {
                        op,
                        balance,
                        version,
                    },
                );
            }
            Msg::Write {
                op,
                balance,
                read_version,
            } => {
                if self.compare_and_set && read_version != data.version {
                    let version = data.version;
                    ctx.record(Note::Conflict {
                        client,
                        op,
                        read_version,
                        version,
                    });
                    return ctx.send(client, Msg::Written { op, ok: false });
                }
                data.balance = balance;
                data.version += 1;
                ctx.record(Note::Stored {
                    client,
                    op,
                    balance,
                    read_version,
                });
                ctx.send(client, Msg::Written { op, ok: true });
            }
            _ => {}
        }
    }

    /// Sends (or resends) the message that starts or continues an operation.
    fn send_op(&self, ctx: &mut Ctx, job: &InProgress) {
        let msg = match job.what {
            ClientOp::Charge { amount } => Msg::Charge {
                op: job.op,
                amount,
                key: self.idempotency_keys.then_some(job.op),
            },
            ClientOp::Withdraw { .. } => Msg::Read { op: job.op },
            ClientOp::Increment { .. } => Msg::Increment {
                op: job.op,
                key: self.idempotency_keys.then_some(job.op),
                ack: true,
            },
            ClientOp::Set { .. } => return,
        };
        ctx.send(SERVER, msg);
        ctx.set_timer(Timer::Retry { op: job.op }, self.retry_us);
    }

    fn finish(&self, state: &mut State, ctx: &mut Ctx, op: u32, ok: bool) {
        if let Some(position) = state.volatile.in_progress.iter().position(|j| j.op == op) {
            let job = state.volatile.in_progress.remove(position);
            ctx.cancel_timer(Timer::Retry { op });
            ctx.reply(job.request, Note::Done { ok });
        }
    }
}

impl Model for Server {
    fn message_kind(msg: &Msg) -> usize {
        match msg {
            Msg::Charge { .. } => 0,
            Msg::Charged { .. } => 1,
            Msg::Set { .. } => 2,
            Msg::Read { .. } => 3,
            Msg::ReadResult { .. } => 4,
            Msg::Write { .. } => 5,
            Msg::Written { .. } => 6,
            Msg::Increment { .. } => 7,
            Msg::Incremented { .. } => 8,
        }
    }

    type Msg = Msg;
    type Timer = Timer;
    type ClientOp = ClientOp;
    type Note = Note;
    type Durable = Durable;
    type Volatile = Volatile;

    fn start(&self, _ctx: &mut Ctx) -> State {
        NodeState::with_durable(Durable {
            balance: self.initial_balance,
            ..Durable::default()
        })
    }

    fn recover(&self, durable: Durable, _ctx: &mut Ctx) -> State {
        NodeState::with_durable(durable)
    }

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        if ctx.node() == SERVER {
            return self.serve(state, ctx, from, *msg);
        }
        match *msg {
            Msg::Charged { op, .. } | Msg::Incremented { op } => self.finish(state, ctx, op, true),
            Msg::ReadResult {
                op,
                balance,
                version,
            } => {
                let Some(job) = state.volatile.in_progress.iter().find(|j| j.op == op) else {
                    return;
                };
                let ClientOp::Withdraw { amount } = job.what else {
                    return;
                };
                ctx.cancel_timer(Timer::Retry { op });
                let balance = balance - amount;
                ctx.send(
                    SERVER,
                    Msg::Write {
                        op,
                        balance,
                        read_version: version,
                    },
                );
            }
            Msg::Written { op, ok: true } => self.finish(state, ctx, op, true),
            // A conflict: read again and recompute.
            Msg::Written { op, ok: false } => {
                if let Some(job) = state
                    .volatile
                    .in_progress
                    .iter()
                    .find(|j| j.op == op)
                    .copied()
                {
                    self.send_op(ctx, &job);
                }
            }
            _ => {}
        }
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        let Timer::Retry { op } = *timer;
        let Some(job) = state.volatile.in_progress.iter_mut().find(|j| j.op == op) else {
            return;
        };
        if job.attempts >= self.max_attempts {
            return self.finish(state, ctx, op, false);
        }
        job.attempts += 1;
        let job = *job;
        ctx.record(Note::Retried {
            op,
            attempt: job.attempts,
        });
        self.send_op(ctx, &job);
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, what: &ClientOp) {
        if ctx.node() == SERVER {
            return ctx.reply(request, Note::Done { ok: false });
        }
        let op = state.durable.next_op;
        state.durable.next_op += 1;
        if let ClientOp::Increment { retry: false } = *what {
            if !self.retry_every_increment {
                let key = self.idempotency_keys.then_some(op);
                ctx.send(
                    SERVER,
                    Msg::Increment {
                        op,
                        key,
                        ack: false,
                    },
                );
                return ctx.reply(request, Note::SentUnacknowledged { op });
            }
        }
        if let ClientOp::Set { value } = *what {
            state.durable.next_seq += 1;
            let seq = self.sequence_numbers.then_some(state.durable.next_seq);
            ctx.send(SERVER, Msg::Set { value, seq });
            return ctx.reply(request, Note::SetSent { value });
        }
        let job = InProgress {
            op,
            request,
            what: *what,
            attempts: 1,
        };
        state.volatile.in_progress.push(job);
        self.send_op(ctx, &job);
    }
}

impl Observed for Server {
    fn fact(note: &Note) -> Option<Fact> {
        match *note {
            Note::Charged { client, op, .. } | Note::Incremented { client, op, .. } => {
                Some(Fact::Applied { client, op })
            }
            Note::SetApplied { client, value, .. } => Some(Fact::SetApplied { client, value }),
            Note::Stored {
                client,
                op,
                read_version,
                ..
            } => Some(Fact::ReadModifyWrite {
                client,
                op,
                read_version,
            }),
            Note::Done { ok } => Some(Fact::Answered { ok }),
            Note::SetSent { value } => Some(Fact::SetIssued { value }),
            _ => None,
        }
    }

    fn properties(&self) -> Vec<Property> {
        vec![
            Property {
                name: "Each operation takes effect at most once",
                class: PropertyClass::Safety,
                violated_by: FindingKind::DuplicateEffect,
            },
            Property {
                name: "A client's writes take effect in the order it sent them",
                class: PropertyClass::Safety,
                violated_by: FindingKind::OrderingViolation,
            },
            Property {
                name: "No acknowledged update is lost",
                class: PropertyClass::Safety,
                violated_by: FindingKind::AckedWriteLost,
            },
            Property {
                name: "Every request takes effect at least once",
                class: PropertyClass::Safety,
                violated_by: FindingKind::RequestLost,
            },
        ]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let mut findings = detect_client_server(trace);
        findings.extend(lost_increments(trace));
        findings
    }
}

/// Increments that never counted: sent without waiting for an answer, and lost on the way
/// (no copy reached the server), so nothing will ever send them again.
fn lost_increments(trace: &Trace<Server>) -> Vec<Finding> {
    let mut reached: BTreeSet<(NodeId, u32)> = BTreeSet::new();
    let mut unacknowledged: BTreeSet<(NodeId, u32)> = BTreeSet::new();
    for event in trace.events() {
        match event.kind {
            EventKind::Deliver { msg } => {
                if let Msg::Increment { op, .. } = *trace.payload(msg) {
                    reached.insert((trace.message(msg).from, op));
                }
            }
            EventKind::ClientReply { note, .. } => {
                if let Note::SentUnacknowledged { op } = *trace.note(note) {
                    unacknowledged.insert((event.node, op));
                }
            }
            _ => {}
        }
    }
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let EventKind::Drop { msg, .. } = event.kind else {
            continue;
        };
        let Msg::Increment { op, ack: false, .. } = *trace.payload(msg) else {
            continue;
        };
        let client = trace.message(msg).from;
        if reached.contains(&(client, op)) || !unacknowledged.contains(&(client, op)) {
            continue;
        }
        findings.push(Finding {
            kind: FindingKind::RequestLost,
            time: event.time,
            nodes: vec![client, SERVER],
            events: vec![EventId(index as u32)],
            summary: format!(
                "Request lost: {client}'s increment #{op} was lost on the way at {}, and nothing \
                 will send it again",
                seconds(event.time)
            ),
        });
    }
    findings
}

// ----- in words -----

impl Describe for Server {
    const MESSAGE_KINDS: &'static [&'static str] = &[
        "charge",
        "charged",
        "set",
        "read",
        "read result",
        "write",
        "write result",
        "increment",
        "incremented",
    ];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        match *msg {
            Msg::Charge {
                amount,
                key: Some(key),
                ..
            } => format!("charge {amount}, key {key}"),
            Msg::Charge { amount, .. } => format!("charge {amount}"),
            Msg::Charged { balance, .. } => format!("charged: balance {balance}"),
            Msg::Set {
                value,
                seq: Some(seq),
            } => format!("set x = {value}, seq {seq}"),
            Msg::Set { value, .. } => format!("set x = {value}"),
            Msg::Read { .. } => "read the balance".to_string(),
            Msg::ReadResult {
                balance, version, ..
            } => format!("balance {balance}, version {version}"),
            Msg::Write {
                balance,
                read_version,
                ..
            } => format!("write balance {balance} (read version {read_version})"),
            Msg::Written { ok: true, .. } => "write ok".to_string(),
            Msg::Written { ok: false, .. } => "refused: the balance changed".to_string(),
            Msg::Increment {
                key: Some(key),
                ack,
                ..
            } => format!(
                "+1, key {key}{}",
                if ack { "" } else { ", no answer wanted" }
            ),
            Msg::Increment { ack: true, .. } => "+1".to_string(),
            Msg::Increment { ack: false, .. } => "+1, no answer wanted".to_string(),
            Msg::Incremented { .. } => "counted".to_string(),
        }
    }

    fn timer(&self, timer: &Timer, _: &Names) -> String {
        let Timer::Retry { .. } = timer;
        "no answer yet".to_string()
    }

    fn client_op(&self, op: &ClientOp, _: &Names) -> String {
        match *op {
            ClientOp::Charge { amount } => format!("charge {amount}"),
            ClientOp::Set { value } => format!("set x = {value}"),
            ClientOp::Withdraw { amount } => format!("withdraw {amount}"),
            ClientOp::Increment { retry: false } => "+1".to_string(),
            ClientOp::Increment { retry: true } => "+1, retried until counted".to_string(),
        }
    }

    fn note(&self, note: &Note, names: &Names) -> String {
        match *note {
            Note::Charged {
                client,
                amount,
                balance,
                ..
            } => format!("charges {} {amount}: balance {balance}", names.of(client)),
            Note::AlreadyCharged { client, .. } => format!(
                "already charged this request of {}: not again",
                names.of(client)
            ),
            Note::SetApplied { client, value, .. } => {
                format!("x = {value} (from {})", names.of(client))
            }
            Note::SetIgnored { client, value, seq } => format!(
                "ignores x = {value} from {}: seq {seq} is old",
                names.of(client)
            ),
            Note::Stored {
                client,
                balance,
                read_version,
                ..
            } => format!(
                "stores balance {balance} from {} (read version {read_version})",
                names.of(client)
            ),
            Note::Conflict {
                client,
                read_version,
                version,
                ..
            } => format!(
                "refuses the write of {}: it read version {read_version}, now {version}",
                names.of(client)
            ),
            Note::Done { ok: true } => "done".to_string(),
            Note::Done { ok: false } => "failed".to_string(),
            Note::SetSent { value } => format!("sent x = {value}"),
            Note::Retried { attempt, .. } => format!("retries (attempt {attempt})"),
            Note::Incremented { client, count, .. } => {
                format!("counts {}: {count}", names.of(client))
            }
            Note::AlreadyIncremented { client, .. } => {
                format!("already counted this +1 of {}: not again", names.of(client))
            }
            Note::SentUnacknowledged { .. } => "sent; no answer expected".to_string(),
        }
    }

    fn memory(&self, node: NodeId, state: &Volatile, _: &Names) -> Vec<Row> {
        if node == SERVER {
            return Vec::new();
        }
        let waiting: Vec<String> = state
            .in_progress
            .iter()
            .map(|p| {
                format!(
                    "{} (attempt {})",
                    self.client_op(&p.what, &Names::letters()),
                    p.attempts
                )
            })
            .collect();
        vec![row(
            "Waiting for answers to",
            if waiting.is_empty() {
                "nothing".to_string()
            } else {
                waiting.join("; ")
            },
        )]
    }

    fn disk(&self, node: NodeId, state: &Durable, names: &Names) -> Vec<Row> {
        if node != SERVER {
            return vec![row("Operations sent", state.next_op.to_string())];
        }
        let mut rows = vec![
            row("Balance", state.balance.to_string()),
            row("Version", state.version.to_string()),
            row("x", state.x.to_string()),
            row("Operations applied", state.applied.len().to_string()),
        ];
        if !state.counts.is_empty() {
            let counts: Vec<String> = state
                .counts
                .iter()
                .map(|(client, count)| format!("{}: {count}", names.of(*client)))
                .collect();
            rows.push(row("Counters", counts.join(", ")));
        }
        if !state.keys.is_empty() {
            rows.push(row("Keys remembered", state.keys.len().to_string()));
        }
        rows
    }
}
