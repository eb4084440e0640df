//! Leader election with heartbeats, in two variants:
//! - naive: a follower that hears no heartbeat for its timeout declares itself leader, no votes;
//! - majority quorum (the fix): terms and votes; a leader serves writes only while a majority has
//!   acknowledged it within its lease, commits a write only once a majority stored it, and steps
//!   down when it cannot reach a majority.
//!
//! Clients may send a write to any node: a follower forwards it to the leader it believes in and
//! relays the answer, so clients reach "whoever they believe leads".
//!
//! A node's term and vote are its durable state. How they reach the disk is a parameter
//! ([`Disk`]): at once (the idealised disk most lessons assume), through the operating system's
//! cache with no sync (a power cut then takes back a vote already given), or synced before any
//! vote leaves the node (Raft's rule, at the price of a disk write per vote).

use serde::{Deserialize, Serialize};

use crate::detect::{
    detect_false_suspicion, detect_split_brain, detect_stalls, detect_two_leaders_in_a_term,
    seconds, Fact, Facts, Finding, FindingKind, Observed, Property, PropertyClass,
};
use crate::sim::words::{or_none, row};
use crate::sim::{
    Context, Describe, EventId, EventKind, Micros, Model, Names, NodeId, NodeState, RequestId,
    Role, Row, Trace,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Election {
    /// The fix: majority votes, majority commits, leases.
    pub quorum: bool,
    pub heartbeat_us: Micros,
    /// A follower's timeout is drawn from [timeout, 2 × timeout).
    pub election_timeout_us: Micros,
    /// How long a majority's acknowledgements keep a leader's lease (quorum variant).
    pub lease_us: Micros,
    /// How terms and votes reach the disk.
    #[serde(default, skip_serializing_if = "Disk::is_immediate")]
    pub disk: Disk,
    /// The run starts with nobody leading (a cluster just booted), rather than with A leading
    /// term 1 by everyone's vote.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leaderless_start: bool,
}

/// How a node's term and vote reach its disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disk {
    /// Every write is on disk at once: nothing is ever lost to a crash.
    #[default]
    Immediate,
    /// Writes wait in the operating system's cache and are never synced: a crash that loses
    /// unsynced writes (a power cut) takes them back.
    Cached,
    /// Writes wait in the cache, but a node syncs its term and vote before any vote (or vote
    /// request) leaves it, and a write it stores before acknowledging it (a leader counts its
    /// own copy towards the majority once synced), as Raft persists its log; the sync takes
    /// `fsync_us`, and the message waits for it.
    SyncBeforeVoting { fsync_us: Micros },
}

impl Disk {
    fn is_immediate(&self) -> bool {
        *self == Disk::Immediate
    }
}

impl Default for Election {
    fn default() -> Self {
        Election {
            quorum: false,
            heartbeat_us: 100_000,
            election_timeout_us: 300_000,
            lease_us: 250_000,
            disk: Disk::Immediate,
            leaderless_start: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// `sent` is the leader's monotonic clock at sending; acknowledgements echo it, and the
    /// leader's lease counts from it (not from when the acknowledgement is processed).
    Heartbeat {
        term: u32,
        sent: u64,
    },
    HeartbeatAck {
        term: u32,
        sent: u64,
    },
    /// `newest` is the newest write the candidate has stored (majority quorum only): a voter
    /// whose own is newer refuses it (Raft's election restriction).
    RequestVote {
        term: u32,
        newest: Option<Stamp>,
    },
    Vote {
        term: u32,
        granted: bool,
    },
    /// `index` counts the leader's writes in its term: with the term, it orders every write.
    Replicate {
        term: u32,
        write: Write,
        index: u32,
        sent: u64,
    },
    ReplicateAck {
        term: u32,
        write: Write,
        sent: u64,
    },
    /// A follower passes a client's write to the leader…
    Forward {
        write: Write,
    },
    /// …and hears back how it went.
    Outcome {
        write: Write,
        outcome: Outcome,
    },
}

/// Where a write stands in the cluster's history: the term of the leader that sent it, then its
/// place among that leader's writes. Raft's (last log term, last log index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub term: u32,
    pub index: u32,
}

/// A client write, named by the node that received it and its request there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Write {
    pub origin: NodeId,
    pub request: RequestId,
    pub value: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Accepted { leader: NodeId, term: u32 },
    NotLeader,
    NoLeader,
    NoQuorum,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    Heartbeat,
    Election,
    /// The disk has synced the term and vote: the messages waiting for it may leave.
    Synced,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    Write { value: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The leader it followed went silent: it presumes the leader dead.
    LeaderSilent {
        leader: NodeId,
        term: u32,
    },
    StartedElection {
        term: u32,
    },
    BecameLeader {
        term: u32,
    },
    SteppedDown {
        term: u32,
        reason: StepDown,
    },
    /// As leader, it accepted (committed) a write.
    Accepted {
        write: Write,
        term: u32,
    },
    /// The answer the client got.
    Reply {
        outcome: Outcome,
    },
    /// Its term and vote, and the writes it has stored if any, are synced to disk (only when
    /// votes wait for the disk).
    Synced {
        term: u32,
        voted_for: Option<NodeId>,
        writes: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepDown {
    HigherTerm,
    LeaseExpired,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    Follower,
    Candidate,
    Leader,
}

/// Kept on disk: Raft's persistent state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Durable {
    pub term: u32,
    pub voted_for: Option<NodeId>,
    /// Majority quorum only: the newest write it has stored (Raft keeps its log on disk), which
    /// its votes compare with a candidate's.
    pub newest: Option<Stamp>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub standing: Standing,
    pub leader: Option<NodeId>,
    /// Monotonic time it last heard from its leader.
    pub leader_heard: u64,
    pub votes: u16,
    /// Monotonic time this node last started an election: its votes are at most this fresh.
    pub election_started: u64,
    /// Leader only: monotonic time each node last acknowledged it.
    pub acked: Vec<u64>,
    /// Leader only: writes waiting for a majority, with who has stored them.
    pub pending: Vec<(Write, u16)>,
    /// Leader only: how many writes it has sent in its term.
    pub sent_writes: u32,
    /// The register this cluster replicates.
    pub value: Option<u32>,
    /// Votes, vote requests and acknowledgements of stored writes waiting for the disk to sync
    /// what they rest on.
    pub awaiting_sync: Vec<(NodeId, Msg)>,
    /// Leader only: its own copies of writes, counted towards their majority once synced.
    pub own_unsynced: Vec<Write>,
}

type Ctx<'a> = Context<'a, Election>;
type State = NodeState<Election>;

fn majority(nodes: u8) -> u32 {
    u32::from(nodes) / 2 + 1
}

impl Election {
    /// Sends a message that promises what the disk holds (a vote, a vote request, an
    /// acknowledgement of a stored write): at once, or once the disk has synced it.
    fn send_vote_message(&self, state: &mut State, ctx: &mut Ctx, to: NodeId, msg: Msg) {
        if self.sync_soon(state, ctx) {
            state.volatile.awaiting_sync.push((to, msg));
        } else {
            ctx.send(to, msg);
        }
    }

    /// Whether promises wait for a sync; if so, one is under way.
    fn sync_soon(&self, state: &State, ctx: &mut Ctx) -> bool {
        let Disk::SyncBeforeVoting { fsync_us } = self.disk else {
            return false;
        };
        if state.volatile.awaiting_sync.is_empty() && state.volatile.own_unsynced.is_empty() {
            ctx.set_timer(Timer::Synced, fsync_us);
        }
        true
    }

    fn arm_election(&self, ctx: &mut Ctx) {
        let delay = self.election_timeout_us + ctx.random_below(self.election_timeout_us);
        ctx.set_timer(Timer::Election, delay);
    }

    fn lease_valid(&self, state: &State, ctx: &Ctx) -> bool {
        let now = ctx.monotonic();
        let fresh = state
            .volatile
            .acked
            .iter()
            .enumerate()
            .filter(|&(n, &at)| n == ctx.node().index() || now.saturating_sub(at) <= self.lease_us)
            .count() as u32;
        fresh >= majority(ctx.node_count())
    }

    fn become_leader(&self, state: &mut State, ctx: &mut Ctx) {
        let was_candidate = state.volatile.standing == Standing::Candidate;
        state.volatile.standing = Standing::Leader;
        state.volatile.sent_writes = 0;
        state.volatile.leader = Some(ctx.node());
        // Votes count as acknowledgements: the voters just promised to follow.
        let since = state.volatile.election_started;
        let votes = state.volatile.votes;
        state.volatile.acked = (0..ctx.node_count())
            .map(|n| {
                if votes >> n & 1 == 1 || !self.quorum {
                    since
                } else {
                    0
                }
            })
            .collect();
        if was_candidate {
            ctx.set_role(Role::Candidate, false);
        }
        ctx.set_role(Role::Leader, true);
        let term = state.durable.term;
        ctx.record(Note::BecameLeader { term });
        ctx.cancel_timer(Timer::Election);
        ctx.broadcast(Msg::Heartbeat {
            term,
            sent: ctx.monotonic(),
        });
        ctx.set_timer(Timer::Heartbeat, self.heartbeat_us);
    }

    fn step_down(&self, state: &mut State, ctx: &mut Ctx, reason: StepDown) {
        match state.volatile.standing {
            Standing::Leader => {
                ctx.set_role(Role::Leader, false);
                ctx.record(Note::SteppedDown {
                    term: state.durable.term,
                    reason,
                });
                let refusal = match reason {
                    StepDown::HigherTerm => Outcome::NotLeader,
                    StepDown::LeaseExpired => Outcome::NoQuorum,
                };
                state.volatile.own_unsynced.clear();
                for (write, _) in std::mem::take(&mut state.volatile.pending) {
                    self.answer(ctx, write, refusal);
                }
                ctx.cancel_timer(Timer::Heartbeat);
            }
            Standing::Candidate => ctx.set_role(Role::Candidate, false),
            Standing::Follower => return,
        }
        state.volatile.standing = Standing::Follower;
        state.volatile.leader = None;
        self.arm_election(ctx);
    }

    /// Tells the client how its write went: directly, or through the node it asked.
    fn answer(&self, ctx: &mut Ctx, write: Write, outcome: Outcome) {
        if write.origin == ctx.node() {
            ctx.reply(write.request, Note::Reply { outcome });
        } else {
            ctx.send(write.origin, Msg::Outcome { write, outcome });
        }
    }

    fn observe_term(&self, state: &mut State, ctx: &mut Ctx, term: u32) {
        if term > state.durable.term {
            state.durable.term = term;
            state.durable.voted_for = None;
            self.step_down(state, ctx, StepDown::HigherTerm);
        }
    }

    fn follow(&self, state: &mut State, ctx: &mut Ctx, leader: NodeId) {
        if state.volatile.standing != Standing::Follower {
            self.step_down(state, ctx, StepDown::HigherTerm);
        }
        state.volatile.leader = Some(leader);
        state.volatile.leader_heard = ctx.monotonic();
        self.arm_election(ctx);
    }

    fn accept_write(&self, state: &mut State, ctx: &mut Ctx, write: Write) {
        if state.volatile.standing != Standing::Leader {
            let outcome = if state.volatile.leader.is_some() {
                Outcome::NotLeader
            } else {
                Outcome::NoLeader
            };
            return self.answer(ctx, write, outcome);
        }
        let term = state.durable.term;
        if !self.quorum {
            state.volatile.value = Some(write.value);
            ctx.record(Note::Accepted { write, term });
            self.answer(
                ctx,
                write,
                Outcome::Accepted {
                    leader: ctx.node(),
                    term,
                },
            );
            state.volatile.sent_writes += 1;
            return ctx.broadcast(Msg::Replicate {
                term,
                write,
                index: state.volatile.sent_writes,
                sent: ctx.monotonic(),
            });
        }
        if !self.lease_valid(state, ctx) {
            return self.answer(ctx, write, Outcome::NoQuorum);
        }
        state.volatile.sent_writes += 1;
        let index = state.volatile.sent_writes;
        // The leader stores its own write first: it counts towards the majority (once synced,
        // when the disk must be).
        state.durable.newest = state.durable.newest.max(Some(Stamp { term, index }));
        if self.sync_soon(state, ctx) {
            state.volatile.pending.push((write, 0));
            state.volatile.own_unsynced.push(write);
        } else {
            state.volatile.pending.push((write, 1 << ctx.node().0));
        }
        ctx.broadcast(Msg::Replicate {
            term,
            write,
            index,
            sent: ctx.monotonic(),
        });
        self.try_commit(state, ctx);
    }

    fn try_commit(&self, state: &mut State, ctx: &mut Ctx) {
        // A leader whose lease has lapsed (say, after a long pause) may already have been
        // replaced: it must not commit, however many acknowledgements it holds.
        if self.quorum && !self.lease_valid(state, ctx) {
            return;
        }
        let needed = majority(ctx.node_count());
        let term = state.durable.term;
        let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut state.volatile.pending)
            .into_iter()
            .partition(|(_, acks)| acks.count_ones() >= needed);
        state.volatile.pending = waiting;
        for (write, _) in done {
            state.volatile.value = Some(write.value);
            ctx.record(Note::Accepted { write, term });
            self.answer(
                ctx,
                write,
                Outcome::Accepted {
                    leader: ctx.node(),
                    term,
                },
            );
        }
    }
}

impl Model for Election {
    fn message_kind(msg: &Msg) -> usize {
        match msg {
            Msg::Heartbeat { .. } => 0,
            Msg::HeartbeatAck { .. } => 1,
            Msg::RequestVote { .. } => 2,
            Msg::Vote { .. } => 3,
            Msg::Replicate { .. } => 4,
            Msg::ReplicateAck { .. } => 5,
            Msg::Forward { .. } => 6,
            Msg::Outcome { .. } => 7,
        }
    }

    type Msg = Msg;
    type Timer = Timer;
    type ClientOp = ClientOp;
    type Note = Note;
    type Durable = Durable;
    type Volatile = Volatile;

    fn buffers_writes(&self) -> bool {
        !self.disk.is_immediate()
    }

    /// Everyone starts in term 1 with A as the leader they all voted for, or (a leaderless
    /// start) in term 1 with no vote given, each waiting for its election timeout.
    fn start(&self, ctx: &mut Ctx) -> State {
        if self.leaderless_start {
            let mut state = self.recover(
                Durable {
                    term: 1,
                    voted_for: None,
                    newest: None,
                },
                ctx,
            );
            state.volatile.leader_heard = ctx.monotonic();
            return state;
        }
        let first = NodeId(0);
        let mut state = NodeState {
            durable: Durable {
                term: 1,
                voted_for: Some(first),
                newest: None,
            },
            volatile: Volatile {
                standing: Standing::Follower,
                leader: Some(first),
                leader_heard: ctx.monotonic(),
                votes: if ctx.node() == first { u16::MAX } else { 0 },
                election_started: ctx.monotonic(),
                acked: Vec::new(),
                pending: Vec::new(),
                sent_writes: 0,
                value: None,
                awaiting_sync: Vec::new(),
                own_unsynced: Vec::new(),
            },
        };
        if ctx.node() == first {
            self.become_leader(&mut state, ctx);
        } else {
            self.arm_election(ctx);
        }
        state
    }

    fn recover(&self, durable: Durable, ctx: &mut Ctx) -> State {
        self.arm_election(ctx);
        NodeState {
            durable,
            volatile: Volatile {
                standing: Standing::Follower,
                leader: None,
                leader_heard: 0,
                votes: 0,
                election_started: 0,
                acked: Vec::new(),
                pending: Vec::new(),
                sent_writes: 0,
                value: None,
                awaiting_sync: Vec::new(),
                own_unsynced: Vec::new(),
            },
        }
    }

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        if let Msg::RequestVote { .. } = msg {
            // A follower that hears from a live leader ignores candidates, so a node cut off
            // for a while cannot depose a healthy leader when it returns.
            let heard = ctx.monotonic().saturating_sub(state.volatile.leader_heard);
            let follows_live_leader = state.volatile.standing == Standing::Follower
                && state.volatile.leader.is_some()
                && heard < self.election_timeout_us;
            // Likewise a leader whose lease a majority keeps fresh.
            let leads_with_lease = self.quorum
                && state.volatile.standing == Standing::Leader
                && self.lease_valid(state, ctx);
            if follows_live_leader || leads_with_lease {
                return;
            }
        }
        let term = match *msg {
            Msg::Heartbeat { term, .. }
            | Msg::HeartbeatAck { term, .. }
            | Msg::RequestVote { term, .. }
            | Msg::Vote { term, .. }
            | Msg::Replicate { term, .. }
            | Msg::ReplicateAck { term, .. } => Some(term),
            Msg::Forward { .. } | Msg::Outcome { .. } => None,
        };
        if let Some(term) = term {
            self.observe_term(state, ctx, term);
        }
        let current = state.durable.term;
        match *msg {
            Msg::Heartbeat { term, sent } => {
                if term < current {
                    if self.quorum {
                        ctx.send(
                            from,
                            Msg::HeartbeatAck {
                                term: current,
                                sent,
                            },
                        );
                    }
                    return;
                }
                self.follow(state, ctx, from);
                ctx.send(from, Msg::HeartbeatAck { term, sent });
            }
            Msg::HeartbeatAck { term, sent } => {
                if term == current && state.volatile.standing == Standing::Leader {
                    let acked = &mut state.volatile.acked[from.index()];
                    *acked = (*acked).max(sent);
                }
            }
            Msg::RequestVote { term, newest } => {
                // Raft's election restriction: never elect a node missing a write this one
                // stored, which a majority's leader may have acknowledged.
                let up_to_date = !self.quorum || newest >= state.durable.newest;
                let grant = term == current
                    && up_to_date
                    && state.volatile.standing != Standing::Leader
                    && state.durable.voted_for.is_none_or(|v| v == from);
                if grant {
                    state.durable.voted_for = Some(from);
                    self.arm_election(ctx);
                }
                self.send_vote_message(
                    state,
                    ctx,
                    from,
                    Msg::Vote {
                        term: current,
                        granted: grant,
                    },
                );
            }
            Msg::Vote { term, granted } => {
                if granted && term == current && state.volatile.standing == Standing::Candidate {
                    state.volatile.votes |= 1 << from.0;
                    if state.volatile.votes.count_ones() >= majority(ctx.node_count()) {
                        self.become_leader(state, ctx);
                    }
                }
            }
            Msg::Replicate {
                term,
                write,
                index,
                sent,
            } => {
                if term < current && self.quorum {
                    return;
                }
                if self.quorum {
                    self.follow(state, ctx, from);
                    let stamp = Some(Stamp { term, index });
                    // A write older than one it has (the network reordered them) is stored
                    // but does not replace the newer value.
                    let ack = Msg::ReplicateAck { term, write, sent };
                    if stamp < state.durable.newest {
                        return self.send_vote_message(state, ctx, from, ack);
                    }
                    state.durable.newest = stamp;
                    state.volatile.value = Some(write.value);
                    return self.send_vote_message(state, ctx, from, ack);
                }
                state.volatile.value = Some(write.value);
                ctx.send(from, Msg::ReplicateAck { term, write, sent });
            }
            Msg::ReplicateAck { term, write, sent } => {
                if term == current && state.volatile.standing == Standing::Leader {
                    let acked = &mut state.volatile.acked[from.index()];
                    *acked = (*acked).max(sent);
                    if let Some((_, acks)) =
                        state.volatile.pending.iter_mut().find(|(w, _)| *w == write)
                    {
                        *acks |= 1 << from.0;
                    }
                    self.try_commit(state, ctx);
                }
            }
            Msg::Forward { write } => self.accept_write(state, ctx, write),
            Msg::Outcome { write, outcome } => {
                ctx.reply(write.request, Note::Reply { outcome });
            }
        }
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        match timer {
            Timer::Heartbeat => {
                if state.volatile.standing != Standing::Leader {
                    return;
                }
                if self.quorum && !self.lease_valid(state, ctx) {
                    return self.step_down(state, ctx, StepDown::LeaseExpired);
                }
                ctx.broadcast(Msg::Heartbeat {
                    term: state.durable.term,
                    sent: ctx.monotonic(),
                });
                ctx.set_timer(Timer::Heartbeat, self.heartbeat_us);
            }
            Timer::Election => {
                if state.volatile.standing == Standing::Leader {
                    return;
                }
                if let (Some(leader), Standing::Follower) =
                    (state.volatile.leader, state.volatile.standing)
                {
                    ctx.record(Note::LeaderSilent {
                        leader,
                        term: state.durable.term,
                    });
                }
                state.durable.term += 1;
                let term = state.durable.term;
                state.durable.voted_for = Some(ctx.node());
                state.volatile.votes = 1 << ctx.node().0;
                state.volatile.election_started = ctx.monotonic();
                if !self.quorum {
                    return self.become_leader(state, ctx);
                }
                if state.volatile.standing != Standing::Candidate {
                    ctx.set_role(Role::Candidate, true);
                }
                state.volatile.standing = Standing::Candidate;
                state.volatile.leader = None;
                ctx.record(Note::StartedElection { term });
                if majority(ctx.node_count()) <= 1 {
                    return self.become_leader(state, ctx);
                }
                let newest = state.durable.newest;
                for peer in ctx.peers().collect::<Vec<_>>() {
                    self.send_vote_message(state, ctx, peer, Msg::RequestVote { term, newest });
                }
                self.arm_election(ctx);
            }
            Timer::Synced => {
                ctx.sync();
                ctx.record(Note::Synced {
                    term: state.durable.term,
                    voted_for: state.durable.voted_for,
                    writes: state.durable.newest.is_some(),
                });
                for (to, msg) in std::mem::take(&mut state.volatile.awaiting_sync) {
                    ctx.send(to, msg);
                }
                let me = 1 << ctx.node().0;
                for write in std::mem::take(&mut state.volatile.own_unsynced) {
                    if let Some((_, acks)) =
                        state.volatile.pending.iter_mut().find(|(w, _)| *w == write)
                    {
                        *acks |= me;
                    }
                }
                if state.volatile.standing == Standing::Leader {
                    self.try_commit(state, ctx);
                }
            }
        }
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, op: &ClientOp) {
        let ClientOp::Write { value } = *op;
        let write = Write {
            origin: ctx.node(),
            request,
            value,
        };
        match (state.volatile.standing, state.volatile.leader) {
            (Standing::Leader, _) => self.accept_write(state, ctx, write),
            (_, Some(leader)) => ctx.send(leader, Msg::Forward { write }),
            (_, None) => ctx.reply(
                request,
                Note::Reply {
                    outcome: Outcome::NoLeader,
                },
            ),
        }
    }
}

impl Observed for Election {
    fn fact(note: &Note) -> Option<Fact> {
        match *note {
            Note::Accepted { write, .. } => Some(Fact::WriteAccepted {
                value: u64::from(write.value),
            }),
            Note::Reply { outcome } => Some(Fact::Answered {
                ok: matches!(outcome, Outcome::Accepted { .. }),
            }),
            Note::LeaderSilent { leader, .. } => Some(Fact::Suspected { suspect: leader }),
            Note::BecameLeader { term } => Some(Fact::LeaderElected {
                term: u64::from(term),
            }),
            _ => None,
        }
    }

    fn properties(&self) -> Vec<Property> {
        let mut properties = vec![Property {
            name: "At most one leader accepts writes at any moment",
            class: PropertyClass::Safety,
            violated_by: FindingKind::SplitBrain,
        }];
        if self.quorum {
            properties.push(Property {
                name: "At most one leader is elected in each term",
                class: PropertyClass::Safety,
                violated_by: FindingKind::TwoLeadersInOneTerm,
            });
        }
        properties.extend([
            Property {
                name: "No acknowledged write is lost",
                class: PropertyClass::Safety,
                violated_by: FindingKind::AckedWriteLost,
            },
            Property {
                name: "Every write is answered successfully within 1 s",
                class: PropertyClass::Liveness,
                violated_by: FindingKind::LivenessStall,
            },
        ]);
        properties
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let facts = Facts::of(trace);
        let mut findings = detect_split_brain(&facts);
        // Terms mean something only where votes elect: a naive leader names its own term.
        if self.quorum {
            findings.extend(detect_two_leaders_in_a_term(&facts));
        }
        findings.extend(detect_stalls(&facts, STALL_BOUND_US));
        findings.extend(detect_false_suspicion(&facts, None));
        findings.extend(writes_lost_in_failover(trace));
        findings
    }
}

/// One write a leader replicated, followed copy by copy to each other node.
struct Replicated {
    leader: NodeId,
    term: u32,
    write: Write,
    /// Its first replicate sent (or its acceptance, if it sent none): any write sent after
    /// this came after it.
    first: EventId,
    /// The leader's acceptance, once made.
    accepted: Option<EventId>,
    /// The client told it succeeded, once told.
    acknowledged: Option<EventId>,
    /// Per node: copies sent to it, copies still on their way, whether one arrived, and the
    /// event that decided the last copy (its delivery or its loss).
    to: Vec<Copies>,
    reported: bool,
}

#[derive(Clone, Copy, Default)]
struct Copies {
    sent: u32,
    on_the_way: u32,
    arrived: bool,
    /// Judged against this node already (once every copy had arrived or been lost).
    judged: bool,
}

/// Acknowledged writes lost in a failover (DDIA, chapters 5 and 8): a write leader `L`
/// accepted in term `t`, its client told so, is lost once another node has become leader of a
/// later term without it: that new leader never received the write (every copy sent to it was lost on
/// the way; none is still travelling, and leaders never send one again), nor any write sent
/// after it (which would carry the register past it). The new leader's history goes on
/// without the write. Reported at the event that made it true (the election, or the loss of
/// the last copy, or the acknowledgement itself), so it never has to be taken back.
fn writes_lost_in_failover(trace: &Trace<Election>) -> Vec<Finding> {
    let nodes = trace.node_count();
    let mut writes: Vec<Replicated> = Vec::new();
    // Per node, the terms it has led, with the event that made it leader.
    let mut led: Vec<Vec<(u32, EventId)>> = vec![Vec::new(); nodes];
    // Per receiving node and sending leader, the newest write it received from that leader
    // (by its first replicate: a leader's own sends are in order).
    let mut newest: Vec<Vec<Option<EventId>>> = vec![vec![None; nodes]; nodes];
    let mut findings = Vec::new();
    let find = |writes: &[Replicated], leader: NodeId, term: u32, write: Write| {
        writes
            .iter()
            .position(|w| w.leader == leader && w.term == term && w.write == write)
    };
    // The write's place, recorded at `first` if this is the first event that shows it.
    let find_or_add =
        |writes: &mut Vec<Replicated>, leader: NodeId, term: u32, write: Write, first: EventId| {
            find(writes, leader, term, write).unwrap_or_else(|| {
                writes.push(Replicated {
                    leader,
                    term,
                    write,
                    first,
                    accepted: None,
                    acknowledged: None,
                    to: vec![Copies::default(); nodes],
                    reported: false,
                });
                writes.len() - 1
            })
        };
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        // The writes whose fate this event may have decided, and against which node.
        let mut decided: Vec<(usize, Option<NodeId>)> = Vec::new();
        match event.kind {
            EventKind::Send { msg } | EventKind::Duplicate { copy: msg, .. } => {
                let Msg::Replicate { term, write, .. } = *trace.payload(msg) else {
                    continue;
                };
                let edge = trace.message(msg);
                let at = find_or_add(&mut writes, edge.from, term, write, id);
                let copies = &mut writes[at].to[edge.to.index()];
                copies.sent += 1;
                copies.on_the_way += 1;
            }
            EventKind::Deliver { msg } | EventKind::Drop { msg, .. } => {
                let Msg::Replicate { term, write, .. } = *trace.payload(msg) else {
                    continue;
                };
                let edge = trace.message(msg);
                let Some(at) = find(&writes, edge.from, term, write) else {
                    continue;
                };
                let copies = &mut writes[at].to[edge.to.index()];
                copies.on_the_way = copies.on_the_way.saturating_sub(1);
                if matches!(event.kind, EventKind::Deliver { .. }) {
                    copies.arrived = true;
                    let slot = &mut newest[edge.to.index()][edge.from.index()];
                    let first = writes[at].first;
                    if slot.is_none_or(|seen| seen < first) {
                        *slot = Some(first);
                    }
                }
                decided.push((at, Some(edge.to)));
            }
            EventKind::ClientReply { request, note } => {
                let Note::Reply {
                    outcome: Outcome::Accepted { leader, term },
                } = *trace.note(note)
                else {
                    continue;
                };
                let told = writes.iter().position(|w| {
                    w.leader == leader
                        && w.term == term
                        && w.write.origin == event.node
                        && w.write.request == request
                });
                if let Some(at) = told {
                    writes[at].acknowledged = Some(id);
                    decided.push((at, None));
                }
            }
            EventKind::Local { note } => match *trace.note(note) {
                Note::Accepted { write, term } => {
                    let at = find_or_add(&mut writes, event.node, term, write, id);
                    writes[at].accepted = Some(id);
                    decided.push((at, None));
                }
                Note::BecameLeader { term } => {
                    led[event.node.index()].push((term, id));
                    decided.extend(
                        (0..writes.len())
                            .filter(|&at| writes[at].term < term)
                            .map(|at| (at, Some(event.node))),
                    );
                }
                _ => {}
            },
            _ => {}
        }
        for (at, only) in decided {
            let w = &writes[at];
            let (Some(accepted), Some(acknowledged)) = (w.accepted, w.acknowledged) else {
                continue;
            };
            if w.reported {
                continue;
            }
            let ready: Vec<NodeId> = (0..nodes)
                .map(|n| NodeId(n as u8))
                .filter(|&node| {
                    let copies = w.to[node.index()];
                    only.is_none_or(|only| only == node)
                        && node != w.leader
                        && !copies.judged
                        && copies.sent > 0
                        && copies.on_the_way == 0
                        && led[node.index()].iter().any(|&(term, _)| term > w.term)
                })
                .collect();
            let w = &mut writes[at];
            let first = w.first;
            let mut lost_at = None;
            for node in ready {
                w.to[node.index()].judged = true;
                // It reached the new leader, or a write sent after it did: the register there
                // has moved past it.
                let moved_past = w.to[node.index()].arrived
                    || newest[node.index()]
                        .iter()
                        .flatten()
                        .any(|&seen| seen == first || trace.happened_before(first, seen));
                if !moved_past && lost_at.is_none() {
                    lost_at = Some(node);
                }
            }
            let Some(new_leader) = lost_at else {
                continue;
            };
            w.reported = true;
            let Some(&(term, elected)) = led[new_leader.index()]
                .iter()
                .find(|&&(term, _)| term > w.term)
            else {
                continue;
            };
            let mut events = vec![accepted, acknowledged, elected, id];
            crate::sim::sort::sort(&mut events);
            events.dedup();
            findings.push(Finding {
                kind: FindingKind::AckedWriteLost,
                time: event.time,
                nodes: vec![w.leader, new_leader],
                events,
                summary: format!(
                    "Acknowledged write lost: {} accepted write {} in term {} at {} and its \
                     client was told so, but {new_leader}, leader of term {term} since {}, never \
                     received it",
                    w.leader,
                    w.write.value,
                    w.term,
                    seconds(trace.event(accepted).time),
                    seconds(trace.event(elected).time),
                ),
            });
        }
    }
    findings
}

/// How long a client may wait for a successful answer before the run counts as unavailable.
pub const STALL_BOUND_US: Micros = 1_000_000;

// ----- in words -----

impl Outcome {
    fn words(self, names: &Names) -> String {
        match self {
            Outcome::Accepted { leader, term } => {
                format!("ok, accepted by leader {} in term {term}", names.of(leader))
            }
            Outcome::NotLeader => "refused: not the leader".to_string(),
            Outcome::NoLeader => "refused: no leader known".to_string(),
            Outcome::NoQuorum => "refused: no majority reachable".to_string(),
        }
    }
}

impl Describe for Election {
    const MESSAGE_KINDS: &'static [&'static str] = &[
        "heartbeat",
        "heartbeat ack",
        "vote request",
        "vote",
        "replicate",
        "replicate ack",
        "forwarded write",
        "write outcome",
    ];

    fn message(&self, msg: &Msg, names: &Names) -> String {
        match *msg {
            Msg::Heartbeat { term, .. } => format!("heartbeat, term {term}"),
            Msg::HeartbeatAck { term, .. } => format!("heartbeat ack, term {term}"),
            Msg::RequestVote { term, .. } => format!("vote for me? term {term}"),
            Msg::Vote {
                term,
                granted: true,
            } => format!("vote yes, term {term}"),
            Msg::Vote {
                term,
                granted: false,
            } => format!("vote no, term {term}"),
            Msg::Replicate { term, write, .. } => format!("replicate {}, term {term}", write.value),
            Msg::ReplicateAck { write, .. } => format!("stored {}", write.value),
            Msg::Forward { write } => format!("write {} (forwarded)", write.value),
            Msg::Outcome { write, outcome } => {
                format!("write {}: {}", write.value, outcome.words(names))
            }
        }
    }

    fn timer(&self, timer: &Timer, _: &Names) -> String {
        match timer {
            Timer::Heartbeat => "time to send heartbeats".to_string(),
            Timer::Election => "election timeout".to_string(),
            Timer::Synced => "disk sync done".to_string(),
        }
    }

    fn client_op(&self, op: &ClientOp, _: &Names) -> String {
        match op {
            ClientOp::Write { value } => format!("write {value}"),
        }
    }

    fn note(&self, note: &Note, names: &Names) -> String {
        match *note {
            Note::LeaderSilent { leader, term } => {
                format!(
                    "leader {} silent: presumed dead (term {term})",
                    names.of(leader)
                )
            }
            Note::StartedElection { term } => format!("starts an election for term {term}"),
            Note::BecameLeader { term } => format!("leader of term {term}"),
            Note::SteppedDown {
                term,
                reason: StepDown::HigherTerm,
            } => format!("steps down: term {term} is over"),
            Note::SteppedDown {
                term,
                reason: StepDown::LeaseExpired,
            } => format!("steps down: lost its majority in term {term}"),
            Note::Accepted { write, term } => {
                format!("write {} accepted, term {term}", write.value)
            }
            Note::Reply { outcome } => outcome.words(names),
            Note::Synced {
                term,
                voted_for,
                writes,
            } => {
                let vote = or_none(voted_for, |n| names.of(n).into_owned(), "nobody");
                if writes {
                    format!("term {term}, vote for {vote} and stored writes synced to disk")
                } else {
                    format!("term {term} and vote for {vote} synced to disk")
                }
            }
        }
    }

    fn memory(&self, _: NodeId, state: &Volatile, names: &Names) -> Vec<Row> {
        let standing = match state.standing {
            Standing::Follower => "follower",
            Standing::Candidate => "candidate",
            Standing::Leader => "leader",
        };
        let mut rows = vec![
            row("Acts as", standing),
            row(
                "Leader it knows",
                or_none(state.leader, |n| names.of(n).into_owned(), "none"),
            ),
        ];
        if state.standing == Standing::Candidate {
            rows.push(row("Votes so far", state.votes.count_ones().to_string()));
        }
        if !state.pending.is_empty() {
            let waiting: Vec<String> = state
                .pending
                .iter()
                .map(|(w, _)| w.value.to_string())
                .collect();
            rows.push(row("Writes awaiting a majority", waiting.join(", ")));
        }
        rows.push(row(
            "Value",
            or_none(state.value, |v| v.to_string(), "none yet"),
        ));
        rows
    }

    fn disk(&self, _: NodeId, state: &Durable, names: &Names) -> Vec<Row> {
        vec![
            row("Term", state.term.to_string()),
            row(
                "Voted for",
                or_none(state.voted_for, |n| names.of(n).into_owned(), "nobody"),
            ),
        ]
    }

    fn headline(&self, _: NodeId, memory: Option<&Volatile>, disk: &Durable, _: &Names) -> String {
        let term = disk.term;
        let Some(memory) = memory else {
            return format!("term {term}");
        };
        let standing = match memory.standing {
            Standing::Follower => "follower",
            Standing::Candidate => "candidate",
            Standing::Leader => "leader",
        };
        let value = or_none(memory.value, |v| format!(", value {v}"), "");
        format!("{standing}, term {term}{value}")
    }
}
