//! One server (node A) and clients (B and up) talking to it over the network. Three classic
//! client-server hazards, each with its mitigation:
//! - retries after a lost reply apply an operation twice, unless requests carry idempotency keys;
//! - writes sent in quick succession arrive out of order, unless they carry sequence numbers;
//! - two read-modify-write cycles interleave and one update is lost, unless writes are
//!   compare-and-set on the version that was read;
//! - increments sent over a lossy, duplicating link: sent once without waiting for an
//!   acknowledgement some are lost (at-most-once), retried until acknowledged some count twice
//!   (at-least-once), retried with idempotency keys the server remembers each counts once
//!   (effectively once), as long as it remembers them for longer than copies keep arriving;
//! - a server that stalls fills its queue of waiting requests; clients that time out and retry at
//!   once keep it full of requests nobody waits for any more (a retry storm), declare it dead,
//!   and move its load onto another server that then drowns too, unless they back off with
//!   jitter and a circuit breaker stops them for a while.
//!
//! Servers are the first `servers` nodes (A, and B with two); every other node is a client that
//! sends to a server of its own first (C to A, D to B, E to A, …).

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::detect::{
    detect_client_server, detect_false_suspicion, seconds, Fact, Facts, Finding, FindingKind,
    Observed, Property, PropertyClass,
};
use crate::sim::words::{duration, row};
use crate::sim::{
    Context, Describe, EventId, EventKind, Micros, Model, MsgId, Names, NodeId, NodeState,
    RequestId, Row, Trace,
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
    /// How many of the nodes are servers: A, then B, ….
    #[serde(default = "one_server", skip_serializing_if = "is_one_server")]
    pub servers: u8,
    /// Requests wait in line at a server; `None`: each is served the moment it arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Queue>,
    /// A client that has had this many requests fail in a row (every attempt unanswered)
    /// declares its server dead and sends to the next one it has not declared dead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover_after: Option<u8>,
    /// After an attempt times out, a client waits a random while before retrying; `None`: it
    /// retries at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff: Option<Backoff>,
    /// A client stops sending to a server that keeps timing out, for a while.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaker: Option<Breaker>,
}

fn one_server() -> u8 {
    1
}

fn is_one_server(servers: &u8) -> bool {
    *servers == 1
}

/// A server's line of waiting requests: it serves one at a time, each taking `service_us`, and
/// turns away a request that finds `limit` already waiting (the one being served included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub service_us: Micros,
    pub limit: u16,
}

/// Exponential backoff with full jitter: before attempt k+1 a client waits a random time up to
/// `base_us` · 2^(k−1), and never more than `cap_us`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backoff {
    pub base_us: Micros,
    pub cap_us: Micros,
}

/// A circuit breaker: after `after` timeouts in a row a client stops sending to its server
/// (its requests fail at once) for `open_us`; then it lets one request through as a probe, and
/// closes again if that is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breaker {
    pub after: u8,
    pub open_us: Micros,
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
            servers: 1,
            queue: None,
            failover_after: None,
            backoff: None,
            breaker: None,
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
    /// A request that takes the server its service time; `attempt` tells the answer to one
    /// attempt from the answer to another.
    Get {
        op: u32,
        attempt: u8,
    },
    Got {
        op: u32,
        attempt: u8,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    /// The client's current attempt at `op` has had no answer for `retry_us`.
    Retry { op: u32 },
    /// The client's backoff before retrying `op` is over.
    Resend { op: u32 },
    /// The server has finished serving the request at the head of its queue.
    Served,
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
    /// A request that keeps a server busy for its service time, retried without an answer.
    Get,
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
    /// The server answered `client`'s request.
    Served {
        client: NodeId,
        op: u32,
        attempt: u8,
    },
    /// The server's queue was full (`waiting` requests): it turned a request away.
    TurnedAway { client: NodeId, waiting: u16 },
    /// An answer came after the client had given up on that attempt.
    LateAnswer { op: u32, attempt: u8 },
    /// The client will retry after waiting `wait_us` (backoff).
    BackingOff {
        op: u32,
        attempt: u8,
        wait_us: Micros,
    },
    /// The client declared `server` dead; it sends to `next` from now on, if any is left.
    DeclaredDead {
        server: NodeId,
        failed: u8,
        next: Option<NodeId>,
    },
    /// The client failed the request at once without sending it.
    NotSent { why: NotSent },
    /// The client's breaker opened: it stops sending to `server` for `for_us`.
    BreakerOpened { server: NodeId, for_us: Micros },
    /// The client's breaker let one request through to `server` as a probe.
    BreakerProbe { server: NodeId },
    /// The probe was answered: the breaker closed.
    BreakerClosed { server: NodeId },
}

/// Why a client failed a request without sending it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NotSent {
    /// Its breaker is open (or a probe is out).
    BreakerOpen,
    /// It has declared every server dead.
    NoServerLeft,
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
    /// The server the latest attempt went to.
    pub to: NodeId,
}

/// A request waiting at a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Queued {
    pub client: NodeId,
    pub msg: Msg,
}

/// A client's circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BreakerState {
    /// Sending; `timeouts` in a row so far.
    Closed { timeouts: u8 },
    /// Not sending until the client's monotonic clock reads `until`.
    Open { until: u64 },
    /// One probe (`op`) is out.
    HalfOpen { op: u32 },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub in_progress: Vec<InProgress>,
    /// A server's requests waiting in line, the one being served first.
    pub queue: VecDeque<Queued>,
    /// The servers a client has declared dead.
    pub written_off: Vec<NodeId>,
    /// A client's requests that failed in a row.
    pub failed_in_a_row: u8,
    pub breaker: BreakerState,
}

impl Volatile {
    /// A client's operation `op`, if it is still in progress.
    fn job(&self, op: u32) -> Option<InProgress> {
        self.in_progress.iter().find(|j| j.op == op).copied()
    }
}

impl Default for BreakerState {
    fn default() -> Self {
        BreakerState::Closed { timeouts: 0 }
    }
}

type Ctx<'a> = Context<'a, Server>;
type State = NodeState<Server>;

impl Server {
    /// A server handles `client`'s request.
    fn serve(&self, state: &mut State, ctx: &mut Ctx, client: NodeId, msg: Msg) {
        let data = &mut state.durable;
        match msg {
            Msg::Get { op, attempt } => {
                ctx.record(Note::Served {
                    client,
                    op,
                    attempt,
                });
                ctx.send(client, Msg::Got { op, attempt });
            }
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

    /// Whether `node` is one of the servers.
    fn is_server(&self, node: NodeId) -> bool {
        node.0 < self.servers.max(1)
    }

    /// The server a client sends to: its own first (C to A, D to B, …), else the next one it
    /// has not declared dead.
    fn target(&self, client: NodeId, volatile: &Volatile) -> Option<NodeId> {
        let servers = self.servers.max(1);
        let home = client.0.saturating_sub(servers) % servers;
        (0..servers)
            .map(|k| NodeId((home + k) % servers))
            .find(|server| !volatile.written_off.contains(server))
    }

    /// A request reaches a server: served at once, or put in line (or turned away if the line
    /// is full).
    fn arrive(&self, state: &mut State, ctx: &mut Ctx, client: NodeId, msg: Msg) {
        let Some(queue) = self.queue else {
            return self.serve(state, ctx, client, msg);
        };
        let line = &mut state.volatile.queue;
        if line.len() >= usize::from(queue.limit) {
            let waiting = line.len() as u16;
            return ctx.record(Note::TurnedAway { client, waiting });
        }
        if line.is_empty() {
            ctx.set_timer(Timer::Served, queue.service_us);
        }
        line.push_back(Queued { client, msg });
    }

    /// The request at the head of the line has been served.
    fn served(&self, state: &mut State, ctx: &mut Ctx) {
        let (Some(queue), Some(head)) = (self.queue, state.volatile.queue.pop_front()) else {
            return;
        };
        self.serve(state, ctx, head.client, head.msg);
        if !state.volatile.queue.is_empty() {
            ctx.set_timer(Timer::Served, queue.service_us);
        }
    }

    /// Sends (or resends) the message that starts or continues operation `op`.
    fn send_op(&self, state: &mut State, ctx: &mut Ctx, op: u32) {
        let Some(job) = state.volatile.job(op) else {
            return;
        };
        let Some(to) = self.target(ctx.node(), &state.volatile) else {
            return self.give_up(
                state,
                ctx,
                op,
                Note::NotSent {
                    why: NotSent::NoServerLeft,
                },
            );
        };
        let msg = match job.what {
            ClientOp::Charge { amount } => Msg::Charge {
                op,
                amount,
                key: self.idempotency_keys.then_some(op),
            },
            ClientOp::Withdraw { .. } => Msg::Read { op },
            ClientOp::Increment { .. } => Msg::Increment {
                op,
                key: self.idempotency_keys.then_some(op),
                ack: true,
            },
            ClientOp::Get => Msg::Get {
                op,
                attempt: job.attempts,
            },
            ClientOp::Set { .. } => return,
        };
        if let Some(job) = state.volatile.in_progress.iter_mut().find(|j| j.op == op) {
            job.to = to;
        }
        ctx.send(to, msg);
        ctx.set_timer(Timer::Retry { op }, self.retry_us);
    }

    /// Ends operation `op`, answering its request with `note`.
    fn give_up(&self, state: &mut State, ctx: &mut Ctx, op: u32, note: Note) {
        if let Some(position) = state.volatile.in_progress.iter().position(|j| j.op == op) {
            let job = state.volatile.in_progress.remove(position);
            ctx.cancel_timer(Timer::Retry { op });
            ctx.cancel_timer(Timer::Resend { op });
            ctx.reply(job.request, note);
        }
    }

    /// Operation `op` succeeded, or failed with every attempt unanswered.
    fn finish(&self, state: &mut State, ctx: &mut Ctx, op: u32, ok: bool) {
        let Some(job) = state.volatile.job(op) else {
            return;
        };
        self.give_up(state, ctx, op, Note::Done { ok });
        let server = self.target(ctx.node(), &state.volatile);
        // An answer from a server, or its silence, says nothing about another.
        if server != Some(job.to) {
            return;
        }
        let volatile = &mut state.volatile;
        if ok {
            volatile.failed_in_a_row = 0;
            if volatile.breaker == (BreakerState::HalfOpen { op }) {
                if let Some(server) = server {
                    ctx.record(Note::BreakerClosed { server });
                }
            }
            if !matches!(volatile.breaker, BreakerState::Open { .. }) {
                volatile.breaker = BreakerState::default();
            }
            return;
        }
        volatile.failed_in_a_row = volatile.failed_in_a_row.saturating_add(1);
        let (Some(after), Some(server)) = (self.failover_after, server) else {
            return;
        };
        if volatile.failed_in_a_row >= after {
            let failed = volatile.failed_in_a_row;
            volatile.failed_in_a_row = 0;
            volatile.written_off.push(server);
            let next = self.target(ctx.node(), volatile);
            ctx.record(Note::DeclaredDead {
                server,
                failed,
                next,
            });
        }
    }

    /// The current attempt at `op` has had no answer: the breaker counts it, and the client
    /// retries (at once, or after a backoff) unless it has run out of attempts or its breaker
    /// is no longer closed.
    fn timed_out(&self, state: &mut State, ctx: &mut Ctx, op: u32) {
        let Some(job) = state.volatile.job(op) else {
            return;
        };
        if let Some(breaker) = self.breaker {
            let opens = match state.volatile.breaker {
                BreakerState::HalfOpen { op: probe } => probe == op,
                BreakerState::Closed { timeouts } => {
                    let timeouts = timeouts.saturating_add(1);
                    state.volatile.breaker = BreakerState::Closed { timeouts };
                    timeouts >= breaker.after
                }
                BreakerState::Open { .. } => false,
            };
            if opens {
                state.volatile.breaker = BreakerState::Open {
                    until: ctx.monotonic() + breaker.open_us,
                };
                if let Some(server) = self.target(ctx.node(), &state.volatile) {
                    let for_us = breaker.open_us;
                    ctx.record(Note::BreakerOpened { server, for_us });
                }
            }
            if !matches!(state.volatile.breaker, BreakerState::Closed { .. }) {
                return self.finish(state, ctx, op, false);
            }
        }
        if job.attempts >= self.max_attempts {
            return self.finish(state, ctx, op, false);
        }
        let attempt = job.attempts + 1;
        if let Some(job) = state.volatile.in_progress.iter_mut().find(|j| j.op == op) {
            job.attempts = attempt;
        }
        match self.backoff {
            None => {
                ctx.record(Note::Retried { op, attempt });
                self.send_op(state, ctx, op);
            }
            Some(backoff) => {
                let doublings = u32::from(attempt - 2).min(20);
                let ceiling = (backoff.base_us << doublings).min(backoff.cap_us).max(1);
                let wait_us = ctx.random_below(ceiling) + 1;
                ctx.record(Note::BackingOff {
                    op,
                    attempt,
                    wait_us,
                });
                ctx.set_timer(Timer::Resend { op }, wait_us);
            }
        }
    }

    /// Whether the client's breaker lets a new request through; a request it lets through
    /// after the breaker's time open is the probe.
    fn breaker_allows(&self, state: &mut State, ctx: &mut Ctx, op: u32) -> bool {
        if self.breaker.is_none() {
            return true;
        }
        match state.volatile.breaker {
            BreakerState::Closed { .. } => true,
            BreakerState::Open { until } if ctx.monotonic() >= until => {
                state.volatile.breaker = BreakerState::HalfOpen { op };
                if let Some(server) = self.target(ctx.node(), &state.volatile) {
                    ctx.record(Note::BreakerProbe { server });
                }
                true
            }
            BreakerState::Open { .. } | BreakerState::HalfOpen { .. } => false,
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
            Msg::Get { .. } => 9,
            Msg::Got { .. } => 10,
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
        if self.is_server(ctx.node()) {
            return self.arrive(state, ctx, from, *msg);
        }
        match *msg {
            Msg::Charged { op, .. } | Msg::Incremented { op } => self.finish(state, ctx, op, true),
            Msg::Got { op, attempt } => {
                let current = state
                    .volatile
                    .in_progress
                    .iter()
                    .any(|j| j.op == op && j.attempts == attempt);
                if current {
                    self.finish(state, ctx, op, true);
                } else {
                    ctx.record(Note::LateAnswer { op, attempt });
                }
            }
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
                let Some(to) = self.target(ctx.node(), &state.volatile) else {
                    return;
                };
                ctx.send(
                    to,
                    Msg::Write {
                        op,
                        balance,
                        read_version: version,
                    },
                );
            }
            Msg::Written { op, ok: true } => self.finish(state, ctx, op, true),
            // A conflict: read again and recompute.
            Msg::Written { op, ok: false } => self.send_op(state, ctx, op),
            _ => {}
        }
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        match *timer {
            Timer::Retry { op } => self.timed_out(state, ctx, op),
            Timer::Resend { op } => {
                if matches!(state.volatile.breaker, BreakerState::Closed { .. }) {
                    self.send_op(state, ctx, op);
                } else {
                    self.finish(state, ctx, op, false);
                }
            }
            Timer::Served => self.served(state, ctx),
        }
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, what: &ClientOp) {
        if self.is_server(ctx.node()) {
            return ctx.reply(request, Note::Done { ok: false });
        }
        let op = state.durable.next_op;
        state.durable.next_op += 1;
        let home = self.target(ctx.node(), &state.volatile);
        if let ClientOp::Increment { retry: false } = *what {
            if !self.retry_every_increment {
                let key = self.idempotency_keys.then_some(op);
                if let Some(to) = home {
                    ctx.send(
                        to,
                        Msg::Increment {
                            op,
                            key,
                            ack: false,
                        },
                    );
                }
                return ctx.reply(request, Note::SentUnacknowledged { op });
            }
        }
        if let ClientOp::Set { value } = *what {
            state.durable.next_seq += 1;
            let seq = self.sequence_numbers.then_some(state.durable.next_seq);
            if let Some(to) = home {
                ctx.send(to, Msg::Set { value, seq });
            }
            return ctx.reply(request, Note::SetSent { value });
        }
        if !self.breaker_allows(state, ctx, op) {
            let why = NotSent::BreakerOpen;
            return ctx.reply(request, Note::NotSent { why });
        }
        let job = InProgress {
            op,
            request,
            what: *what,
            attempts: 1,
            to: home.unwrap_or(SERVER),
        };
        state.volatile.in_progress.push(job);
        self.send_op(state, ctx, op);
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
            Note::NotSent { .. } => Some(Fact::Answered { ok: false }),
            Note::DeclaredDead { server, .. } => Some(Fact::Suspected { suspect: server }),
            Note::SetSent { value } => Some(Fact::SetIssued { value }),
            _ => None,
        }
    }

    fn properties(&self) -> Vec<Property> {
        let mut properties = vec![
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
        ];
        if self.failover_after.is_some() || self.breaker.is_some() {
            properties.push(Property {
                name: "Only crashed servers are declared dead",
                class: PropertyClass::Safety,
                violated_by: FindingKind::FalseSuspicion,
            });
        }
        if self.queue.is_some() {
            properties.push(Property {
                name: "A server catches up once what slowed it has passed",
                class: PropertyClass::Liveness,
                violated_by: FindingKind::RetryStorm,
            });
        }
        properties
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let facts = Facts::of(trace);
        let mut findings = detect_client_server(&facts);
        findings.extend(lost_increments(trace));
        findings.extend(detect_false_suspicion(&facts, None));
        if let Some(queue) = self.queue {
            findings.extend(retry_storms(trace, queue));
        }
        findings
    }
}

/// Increments that never counted: sent without waiting for an answer, and lost on the way.
/// Reported once every copy sent (the network's duplicates included) has been lost and none
/// arrived: a client that wants no answer never sends one again, so nothing can still count it.
fn lost_increments(trace: &Trace<Server>) -> Vec<Finding> {
    // Per (client, op): copies still on their way, whether one arrived, whether the client
    // said it wants no answer, and the last copy's loss (time, event).
    #[derive(Default)]
    struct Sent {
        on_the_way: u32,
        arrived: bool,
        unacknowledged: bool,
        lost: Option<(Micros, EventId)>,
        reported: bool,
    }
    let mut sent: BTreeMap<(NodeId, u32), Sent> = BTreeMap::new();
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let key = match event.kind {
            EventKind::Send { msg } | EventKind::Duplicate { copy: msg, .. } => {
                let Msg::Increment { op, ack: false, .. } = *trace.payload(msg) else {
                    continue;
                };
                let key = (trace.message(msg).from, op);
                sent.entry(key).or_default().on_the_way += 1;
                continue;
            }
            EventKind::Deliver { msg } | EventKind::Drop { msg, .. } => {
                let Msg::Increment { op, ack: false, .. } = *trace.payload(msg) else {
                    continue;
                };
                let key = (trace.message(msg).from, op);
                let entry = sent.entry(key).or_default();
                entry.on_the_way = entry.on_the_way.saturating_sub(1);
                if matches!(event.kind, EventKind::Deliver { .. }) {
                    entry.arrived = true;
                } else {
                    entry.lost = Some((event.time, id));
                }
                key
            }
            EventKind::ClientReply { note, .. } => {
                let Note::SentUnacknowledged { op } = *trace.note(note) else {
                    continue;
                };
                let key = (event.node, op);
                sent.entry(key).or_default().unacknowledged = true;
                key
            }
            _ => continue,
        };
        let Some(entry) = sent.get_mut(&key) else {
            continue;
        };
        let Some((lost_at, lost)) = entry.lost else {
            continue;
        };
        if entry.reported || entry.arrived || entry.on_the_way > 0 || !entry.unacknowledged {
            continue;
        }
        entry.reported = true;
        let (client, op) = key;
        let mut events = vec![lost, id];
        events.dedup();
        findings.push(Finding {
            kind: FindingKind::RequestLost,
            time: event.time,
            nodes: vec![client, SERVER],
            events,
            summary: format!(
                "Request lost: {client}'s increment #{} was lost on the way at {}, and nothing \
                 will send it again",
                op + 1,
                seconds(lost_at)
            ),
        });
    }
    findings
}

/// Retry storms: a server answering, one after another, only requests whose clients had given
/// up on them (each answer came too late), for longer than it takes to serve a full line. A
/// stall leaves at most a full line of stale requests behind it; answering stale work for
/// longer means the stale work is still arriving: clients' retries keep the line full of
/// requests that will time out.
///
/// An answer is known to be too late when it reaches its client and the client has given up
/// on it (the model's "comes too late" note), and known to be in time (or lost) otherwise.
/// The server's answers are judged in the order it sent them, each once its fate is known, so
/// a storm is reported at the moment the answers known so far make it one, in words about that
/// stretch, which stay true however long the storm goes on.
fn retry_storms(trace: &Trace<Server>, queue: Queue) -> Vec<Finding> {
    /// One answer a server sent: where, when, and whether it came too late (once known).
    struct Answer {
        event: EventId,
        time: Micros,
        late: Option<bool>,
    }
    /// A server's answers, the first not yet judged, the current streak of late ones (its
    /// first answer and length) and whether it has been reported.
    #[derive(Default)]
    struct Answers {
        sent: Vec<Answer>,
        next: usize,
        streak: Option<(usize, u32)>,
        reported: bool,
    }
    let full_line_us = queue.service_us * u64::from(queue.limit);
    let nodes = trace.node_count();
    let mut servers: Vec<Answers> = (0..nodes).map(|_| Answers::default()).collect();
    // Each answer message (copies too): its server and its place in that server's answers.
    let mut answer_of: BTreeMap<MsgId, (NodeId, usize)> = BTreeMap::new();
    // Per client: an answer just delivered, whose fate the client's next step tells.
    let mut arriving: Vec<Option<(NodeId, usize, u32, u8)>> = vec![None; nodes];
    let mut findings = Vec::new();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        // The answer whose fate this event decides: (server, place, too late).
        let mut judged: Option<(NodeId, usize, bool)> = None;
        if event.process && !matches!(event.kind, EventKind::Deliver { .. }) {
            if let Some((server, at, op, attempt)) = arriving[event.node.index()].take() {
                let late = matches!(event.kind, EventKind::Local { note }
                    if *trace.note(note) == Note::LateAnswer { op, attempt });
                judged = Some((server, at, late));
            }
        }
        match event.kind {
            EventKind::Local { note } => {
                if let Note::Served { .. } = *trace.note(note) {
                    servers[event.node.index()].sent.push(Answer {
                        event: id,
                        time: event.time,
                        late: None,
                    });
                }
            }
            EventKind::Send { msg } => {
                if let Msg::Got { .. } = *trace.payload(msg) {
                    let answers = &servers[event.node.index()].sent;
                    if let Some(last) = answers.len().checked_sub(1) {
                        answer_of.insert(msg, (event.node, last));
                    }
                }
            }
            EventKind::Duplicate { msg, copy } => {
                if let Some(&answer) = answer_of.get(&msg) {
                    answer_of.insert(copy, answer);
                }
            }
            EventKind::Deliver { msg } => {
                if let (Some(&(server, at)), Msg::Got { op, attempt }) =
                    (answer_of.get(&msg), *trace.payload(msg))
                {
                    arriving[event.node.index()] = Some((server, at, op, attempt));
                }
            }
            EventKind::Drop { msg, .. } => {
                if let Some(&(server, at)) = answer_of.get(&msg) {
                    judged = Some((server, at, false));
                }
            }
            _ => {}
        }
        let Some((server, at, late)) = judged else {
            continue;
        };
        let answers = &mut servers[server.index()];
        let verdict = &mut answers.sent[at].late;
        if verdict.is_none() {
            *verdict = Some(late);
        }
        // Judge the server's answers in the order it sent them, as far as their fates are known.
        while let Some(late) = answers.sent.get(answers.next).and_then(|a| a.late) {
            let here = answers.next;
            answers.next += 1;
            if !late {
                answers.streak = None;
                answers.reported = false;
                continue;
            }
            let (first, count) = answers.streak.get_or_insert((here, 0));
            *count += 1;
            let (first, count) = (*first, *count);
            let (from, to) = (answers.sent[first].time, answers.sent[here].time);
            if answers.reported || to - from <= full_line_us {
                continue;
            }
            answers.reported = true;
            let mut events = vec![answers.sent[first].event, answers.sent[here].event, id];
            events.dedup();
            findings.push(Finding {
                kind: FindingKind::RetryStorm,
                time: event.time,
                nodes: vec![server],
                events,
                summary: format!(
                    "Retry storm: from {} to {}, all {count} answers {server} sent came too \
                     late: their clients had given up on them",
                    seconds(from),
                    seconds(to),
                ),
            });
        }
    }
    findings
}

// ----- in words -----

/// ", attempt 2" for a retry; nothing for a first attempt.
fn attempt_words(attempt: u8) -> String {
    if attempt > 1 {
        format!(" (attempt {attempt})")
    } else {
        String::new()
    }
}

/// Operations are counted from 0 inside the model; in words they are numbered from 1, as people
/// count them ("request #1" is a client's first).
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
        "request",
        "answer",
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
            Msg::Get { op, attempt: 1 } => format!("request #{}", op + 1),
            Msg::Get { op, attempt } => format!("request #{}, attempt {attempt}", op + 1),
            Msg::Got { op, attempt: 1 } => format!("answer to #{}", op + 1),
            Msg::Got { op, attempt } => format!("answer to #{}, attempt {attempt}", op + 1),
        }
    }

    fn timer(&self, timer: &Timer, _: &Names) -> String {
        match timer {
            Timer::Retry { .. } => "no answer yet".to_string(),
            Timer::Resend { .. } => "done backing off".to_string(),
            Timer::Served => "request served".to_string(),
        }
    }

    fn client_op(&self, op: &ClientOp, _: &Names) -> String {
        match *op {
            ClientOp::Charge { amount } => format!("charge {amount}"),
            ClientOp::Set { value } => format!("set x = {value}"),
            ClientOp::Withdraw { amount } => format!("withdraw {amount}"),
            ClientOp::Increment { retry: false } => "+1".to_string(),
            ClientOp::Increment { retry: true } => "+1, retried until counted".to_string(),
            ClientOp::Get => "request".to_string(),
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
            Note::Served {
                client,
                op,
                attempt,
            } => format!(
                "answers {}'s #{}{}",
                names.of(client),
                op + 1,
                attempt_words(attempt)
            ),
            Note::TurnedAway { client, waiting } => format!(
                "line full ({waiting} waiting): turns away a request from {}",
                names.of(client)
            ),
            Note::LateAnswer { op, attempt } => format!(
                "answer to #{}{} comes too late: it gave up on it",
                op + 1,
                attempt_words(attempt)
            ),
            Note::BackingOff {
                op,
                attempt,
                wait_us,
            } => format!(
                "no answer to #{}: backs off, sends attempt {attempt} in {}",
                op + 1,
                duration(wait_us)
            ),
            Note::DeclaredDead {
                server,
                failed,
                next,
            } => format!(
                "{failed} requests in a row failed: declares {} dead, {}",
                names.of(server),
                match next {
                    Some(next) => format!("sends to {} from now on", names.of(next)),
                    None => "and has no server left".to_string(),
                }
            ),
            Note::NotSent {
                why: NotSent::BreakerOpen,
            } => "fails at once: its breaker is open, nothing sent".to_string(),
            Note::NotSent {
                why: NotSent::NoServerLeft,
            } => "fails at once: it has declared every server dead".to_string(),
            Note::BreakerOpened { server, for_us } => format!(
                "breaker opens: sends nothing to {} for {}",
                names.of(server),
                duration(for_us)
            ),
            Note::BreakerProbe { server } => {
                format!(
                    "breaker half-open: tries {} with one request",
                    names.of(server)
                )
            }
            Note::BreakerClosed { server } => {
                format!("breaker closes: {} answers again", names.of(server))
            }
        }
    }

    fn memory(&self, node: NodeId, state: &Volatile, names: &Names) -> Vec<Row> {
        if self.is_server(node) {
            return match self.queue {
                Some(queue) => vec![row(
                    "Waiting in line",
                    format!("{} of at most {}", state.queue.len(), queue.limit),
                )],
                None => Vec::new(),
            };
        }
        let mut rows = Vec::new();
        if self.servers > 1 || self.failover_after.is_some() {
            let sending_to = match self.target(node, state) {
                Some(server) => names.of(server).to_string(),
                None => "no one: every server declared dead".to_string(),
            };
            rows.push(row("Sending to", sending_to));
        }
        if self.breaker.is_some() {
            let breaker = match state.breaker {
                BreakerState::Closed { timeouts: 0 } => "closed".to_string(),
                BreakerState::Closed { timeouts: 1 } => "closed (1 timeout)".to_string(),
                BreakerState::Closed { timeouts } => {
                    format!("closed ({timeouts} timeouts in a row)")
                }
                BreakerState::Open { until } => {
                    format!("open until {} on its clock", seconds(until))
                }
                BreakerState::HalfOpen { .. } => "half-open: one probe out".to_string(),
            };
            rows.push(row("Breaker", breaker));
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
        rows.push(row(
            "Waiting for answers to",
            if waiting.is_empty() {
                "nothing".to_string()
            } else {
                waiting.join("; ")
            },
        ));
        rows
    }

    fn disk(&self, node: NodeId, state: &Durable, names: &Names) -> Vec<Row> {
        if !self.is_server(node) {
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

    fn headline(
        &self,
        node: NodeId,
        memory: Option<&Volatile>,
        disk: &Durable,
        names: &Names,
    ) -> String {
        if self.is_server(node) {
            return match (self.queue, memory) {
                (Some(_), Some(memory)) if memory.queue.is_empty() => "line empty".to_string(),
                (Some(_), Some(memory)) => format!("{} waiting in line", memory.queue.len()),
                _ if !disk.counts.is_empty() => {
                    let counts: Vec<String> = disk
                        .counts
                        .iter()
                        .map(|(client, count)| format!("{} {count}", names.of(*client)))
                        .collect();
                    format!("counted {}", counts.join(", "))
                }
                _ if disk.x > 0 => format!("x = {}", disk.x),
                _ => format!("balance {}", disk.balance),
            };
        }
        let Some(memory) = memory else {
            return String::new();
        };
        let mut said = match memory.in_progress.len() {
            0 => "not waiting".to_string(),
            1 => "waiting for 1 answer".to_string(),
            n => format!("waiting for {n} answers"),
        };
        if let BreakerState::Open { .. } = memory.breaker {
            said += ", breaker open";
        }
        said
    }
}
