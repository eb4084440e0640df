//! A lock service with leases, a storage service, and clients that write under the lock.
//! Node A is the lock service, B the storage, C and up are clients.
//!
//! A client's job runs in separate steps: acquire a lease, check it is still valid, do the work
//! (a timer), then write. A pause between the check and the write is invisible to the client.
//! The lock service judges expiry on its own monotonic clock; the client judges it either the
//! naive way (the service's expiry time against its own wall clock) or on its monotonic clock,
//! counting from when it asked for the lease (it cannot know when the grant was made, only that
//! it came later) and ending it a safety margin early. Storage may check fencing tokens: tokens
//! only grow, and a write with a token lower than one already seen is refused.

use serde::{Deserialize, Serialize};

use crate::detect::{
    detect_fencing, Fact, Facts, Finding, FindingKind, Observed, Property, PropertyClass,
};
use crate::sim::words::{duration, or_none, row};
use crate::sim::{
    Context, Describe, Micros, Model, Names, NodeId, NodeState, RequestId, Row, Trace,
};

pub const LOCK_SERVICE: NodeId = NodeId(0);
pub const STORAGE: NodeId = NodeId(1);
/// DDIA's example: the first lease carries token 33.
pub const FIRST_TOKEN: u64 = 33;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockService {
    pub lease_us: Micros,
    /// How long a client works between checking its lease and writing.
    pub work_us: Micros,
    /// How long a client waits before asking again for a busy lock.
    pub retry_us: Micros,
    /// Storage refuses writes whose token is lower than the highest it has seen.
    pub fencing: bool,
    /// Clients judge their lease on their monotonic clock from when they asked for it, ending it
    /// `margin_us` early.
    pub monotonic_lease: bool,
    pub margin_us: Micros,
    /// Clients keep their lease after a job, for the next one, instead of releasing it.
    pub keep_lease: bool,
}

impl Default for LockService {
    fn default() -> Self {
        LockService {
            lease_us: 10_000_000,
            work_us: 2_000_000,
            retry_us: 1_000_000,
            fencing: false,
            monotonic_lease: false,
            margin_us: 1_000_000,
            keep_lease: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    Acquire,
    Grant {
        token: u64,
        lease_us: Micros,
        expires_at: i64,
    },
    Busy,
    Release {
        token: u64,
    },
    Write {
        token: u64,
        value: u32,
    },
    WriteResult {
        token: u64,
        ok: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    Retry,
    WorkDone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    /// Do one job under the lock, writing `value`.
    Job { value: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    Granted {
        token: u64,
        holder: NodeId,
    },
    LeaseChecked {
        token: u64,
        valid: bool,
    },
    Stored {
        token: u64,
        value: u32,
        writer: NodeId,
    },
    Refused {
        token: u64,
        highest: u64,
        writer: NodeId,
    },
    Done {
        token: u64,
        ok: bool,
    },
}

/// Everything a node keeps on disk; each role uses its own fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    pub next_token: u64,
    pub holder: Option<(NodeId, u64)>,
    /// Lock service: monotonic time the current lease ends.
    pub holder_until: u64,
    pub highest_token: u64,
    pub stored: Option<(u64, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub lease: Option<Lease>,
    /// The job under way: (request, value).
    pub job: Option<(RequestId, u32)>,
    /// Monotonic time of the oldest request for the lease not yet answered: a grant was made
    /// after it, so a lease counted from it never outlasts the service's.
    pub asked: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lease {
    pub token: u64,
    /// The service's expiry time, on the service's wall clock.
    pub expires_at: i64,
    /// Monotonic time the client asked for it: what a monotonic lease counts from.
    pub asked_monotonic: u64,
    pub lease_us: Micros,
}

type Ctx<'a> = Context<'a, LockService>;
type State = NodeState<LockService>;

impl LockService {
    fn lease_valid(&self, lease: &Lease, ctx: &Ctx) -> bool {
        if self.monotonic_lease {
            let held = ctx.monotonic().saturating_sub(lease.asked_monotonic);
            held + self.margin_us < lease.lease_us
        } else {
            // What DDIA's example code does: compare another machine's expiry time with the
            // local wall clock.
            ctx.time_of_day() < lease.expires_at
        }
    }

    /// Check the lease, then work; the write happens when the work is done, without a recheck.
    fn check_then_work(&self, state: &mut State, ctx: &mut Ctx) {
        let Some(lease) = state.volatile.lease else {
            return self.ask(state, ctx);
        };
        let valid = self.lease_valid(&lease, ctx);
        ctx.record(Note::LeaseChecked {
            token: lease.token,
            valid,
        });
        if valid {
            ctx.set_timer(Timer::WorkDone, self.work_us);
        } else {
            state.volatile.lease = None;
            self.ask(state, ctx);
        }
    }

    /// Asks the lock service for the lease, remembering when (the oldest unanswered ask).
    fn ask(&self, state: &mut State, ctx: &mut Ctx) {
        state.volatile.asked.get_or_insert(ctx.monotonic());
        ctx.send(LOCK_SERVICE, Msg::Acquire);
    }

    fn serve_lock(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        let durable = &mut state.durable;
        match *msg {
            Msg::Acquire => {
                let expired = ctx.monotonic() >= durable.holder_until;
                let free = durable.holder.is_none_or(|(holder, _)| holder == from) || expired;
                if !free {
                    return ctx.send(from, Msg::Busy);
                }
                let token = durable.next_token;
                durable.next_token += 1;
                durable.holder = Some((from, token));
                durable.holder_until = ctx.monotonic() + self.lease_us;
                ctx.record(Note::Granted {
                    token,
                    holder: from,
                });
                let expires_at = ctx.time_of_day() + self.lease_us as i64;
                ctx.send(
                    from,
                    Msg::Grant {
                        token,
                        lease_us: self.lease_us,
                        expires_at,
                    },
                );
            }
            Msg::Release { token }
                if durable
                    .holder
                    .is_some_and(|(holder, held)| holder == from && held == token) =>
            {
                durable.holder = None;
            }
            _ => {}
        }
    }

    fn serve_storage(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        let Msg::Write { token, value } = *msg else {
            return;
        };
        let durable = &mut state.durable;
        if self.fencing && token < durable.highest_token {
            ctx.record(Note::Refused {
                token,
                highest: durable.highest_token,
                writer: from,
            });
            return ctx.send(from, Msg::WriteResult { token, ok: false });
        }
        durable.highest_token = durable.highest_token.max(token);
        durable.stored = Some((token, value));
        ctx.record(Note::Stored {
            token,
            value,
            writer: from,
        });
        ctx.send(from, Msg::WriteResult { token, ok: true });
    }
}

impl Model for LockService {
    fn message_kind(msg: &Msg) -> usize {
        match msg {
            Msg::Acquire => 0,
            Msg::Grant { .. } => 1,
            Msg::Busy => 2,
            Msg::Release { .. } => 3,
            Msg::Write { .. } => 4,
            Msg::WriteResult { .. } => 5,
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
            next_token: FIRST_TOKEN,
            ..Durable::default()
        })
    }

    fn recover(&self, durable: Durable, _ctx: &mut Ctx) -> State {
        NodeState::with_durable(durable)
    }

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        match ctx.node() {
            LOCK_SERVICE => return self.serve_lock(state, ctx, from, msg),
            STORAGE => return self.serve_storage(state, ctx, from, msg),
            _ => {}
        }
        match *msg {
            Msg::Grant {
                token,
                lease_us,
                expires_at,
            } => {
                state.volatile.lease = Some(Lease {
                    token,
                    expires_at,
                    asked_monotonic: state.volatile.asked.take().unwrap_or(ctx.monotonic()),
                    lease_us,
                });
                if state.volatile.job.is_some() {
                    self.check_then_work(state, ctx);
                }
            }
            Msg::Busy => {
                state.volatile.asked = None;
                ctx.set_timer(Timer::Retry, self.retry_us);
            }
            Msg::WriteResult { token, ok } => {
                ctx.record(Note::Done { token, ok });
                if let Some((request, _)) = state.volatile.job.take() {
                    ctx.reply(request, Note::Done { token, ok });
                }
                if !self.keep_lease && state.volatile.lease.take().is_some() {
                    ctx.send(LOCK_SERVICE, Msg::Release { token });
                }
            }
            _ => {}
        }
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        match timer {
            Timer::Retry => self.ask(state, ctx),
            // The work is done: write, trusting the check made before the work began.
            Timer::WorkDone => {
                if let (Some(lease), Some((_, value))) = (state.volatile.lease, state.volatile.job)
                {
                    ctx.send(
                        STORAGE,
                        Msg::Write {
                            token: lease.token,
                            value,
                        },
                    );
                }
            }
        }
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, op: &ClientOp) {
        let ClientOp::Job { value } = *op;
        if ctx.node() == LOCK_SERVICE || ctx.node() == STORAGE || state.volatile.job.is_some() {
            return ctx.reply(
                request,
                Note::Done {
                    token: 0,
                    ok: false,
                },
            );
        }
        state.volatile.job = Some((request, value));
        self.check_then_work(state, ctx);
    }
}

impl Observed for LockService {
    fn fact(note: &Note) -> Option<Fact> {
        match *note {
            Note::Granted { token, holder } => Some(Fact::LeaseGranted { token, holder }),
            Note::Stored { token, writer, .. } => Some(Fact::FencedWrite {
                token,
                writer,
                accepted: true,
            }),
            Note::Refused { token, writer, .. } => Some(Fact::FencedWrite {
                token,
                writer,
                accepted: false,
            }),
            _ => None,
        }
    }

    fn properties(&self) -> Vec<Property> {
        vec![Property {
            name: "Storage never lets a superseded lease holder overwrite a newer holder's write",
            class: PropertyClass::Safety,
            violated_by: FindingKind::StaleWriteAccepted,
        }]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        detect_fencing(&Facts::of(trace))
    }
}

// ----- in words -----

impl Describe for LockService {
    const MESSAGE_KINDS: &'static [&'static str] = &[
        "lock request",
        "lease grant",
        "lock busy",
        "lock release",
        "write",
        "write result",
    ];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        match *msg {
            Msg::Acquire => "lock request".to_string(),
            Msg::Grant {
                token, lease_us, ..
            } => format!("lease granted, token {token} ({})", duration(lease_us)),
            Msg::Busy => "lock busy".to_string(),
            Msg::Release { token } => format!("release token {token}"),
            Msg::Write { token, value } => format!("write {value}, token {token}"),
            Msg::WriteResult { token, ok: true } => format!("ok, token {token}"),
            Msg::WriteResult { token, ok: false } => format!("refused: old token {token}"),
        }
    }

    fn timer(&self, timer: &Timer, _: &Names) -> String {
        match timer {
            Timer::Retry => "time to ask for the lock again".to_string(),
            Timer::WorkDone => "work done: time to write".to_string(),
        }
    }

    fn client_op(&self, op: &ClientOp, _: &Names) -> String {
        let ClientOp::Job { value } = op;
        format!("a job that writes {value}")
    }

    fn note(&self, note: &Note, names: &Names) -> String {
        match *note {
            Note::Granted { token, holder } => {
                format!("lease granted to {}, token {token}", names.of(holder))
            }
            Note::LeaseChecked { token, valid: true } => {
                format!("checks lease {token}: still valid")
            }
            Note::LeaseChecked {
                token,
                valid: false,
            } => format!("checks lease {token}: expired"),
            Note::Stored {
                token,
                value,
                writer,
            } => format!(
                "write accepted: {value} from {}, token {token}",
                names.of(writer)
            ),
            Note::Refused { token, highest, .. } => {
                format!("write with token {token} refused: storage has seen {highest}")
            }
            Note::Done { token: 0, .. } => "refused: this node runs no jobs".to_string(),
            Note::Done { token, ok: true } => format!("job done: write with token {token} ok"),
            Note::Done { token, ok: false } => {
                format!("job failed: write with token {token} refused")
            }
        }
    }

    fn memory(&self, node: NodeId, state: &Volatile, _: &Names) -> Vec<Row> {
        if node == LOCK_SERVICE || node == STORAGE {
            return Vec::new();
        }
        vec![
            row("Role", "client"),
            row(
                "Lease it holds",
                or_none(state.lease, |l| format!("token {}", l.token), "none"),
            ),
            row(
                "Job under way",
                or_none(state.job, |(_, v)| format!("write {v}"), "none"),
            ),
        ]
    }

    fn disk(&self, node: NodeId, state: &Durable, names: &Names) -> Vec<Row> {
        match node {
            LOCK_SERVICE => vec![
                row("Role", "lock service"),
                row(
                    "Lease held by",
                    or_none(
                        state.holder,
                        |(n, token)| format!("{}, token {token}", names.of(n)),
                        "nobody",
                    ),
                ),
                row("Next token", state.next_token.to_string()),
            ],
            STORAGE => vec![
                row("Role", "storage"),
                row(
                    "Highest token seen",
                    if state.highest_token == 0 {
                        "none yet".to_string()
                    } else {
                        state.highest_token.to_string()
                    },
                ),
                row(
                    "Stored value",
                    or_none(
                        state.stored,
                        |(token, v)| format!("{v} (token {token})"),
                        "none yet",
                    ),
                ),
            ],
            _ => Vec::new(),
        }
    }

    fn headline(
        &self,
        node: NodeId,
        memory: Option<&Volatile>,
        disk: &Durable,
        _: &Names,
    ) -> String {
        match node {
            LOCK_SERVICE => or_none(
                disk.holder,
                |(n, token)| format!("lease: {n}, token {token}"),
                "lease free",
            ),
            STORAGE => or_none(
                disk.stored,
                |(token, v)| format!("holds {v} (token {token})"),
                "holds nothing",
            ),
            _ => {
                let Some(memory) = memory else {
                    return String::new();
                };
                let mut said = or_none(
                    memory.lease,
                    |l| format!("holds token {}", l.token),
                    "no lease",
                );
                if let Some((_, v)) = memory.job {
                    said += &format!(", job: write {v}");
                }
                said
            }
        }
    }
}
