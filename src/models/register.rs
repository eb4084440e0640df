//! A replicated key-value register. Every node is a replica; a client writes through any of them
//! (the coordinator), which replicates to all the others.
//!
//! Conflicts are resolved by last-write-wins on the writer's time-of-day clock, or by version
//! vectors that keep concurrent values as siblings. Writes are acknowledged at once (available
//! under partition), or only once a majority has taken them (consistent: the minority refuses).
//! A `Book` is a write that first checks the key is free, like reserving seat 12A.
//!
//! With a clock check, every replica asks the others for the time now and then, takes the
//! median of their readings and its own (so one bad clock is outvoted), and a replica whose
//! clock is further from that median than a bound takes itself out of service: it refuses
//! clients until its clock agrees again.

use serde::{Deserialize, Serialize};

use crate::detect::{
    detect_lost_writes, Fact, Facts, Finding, FindingKind, KeyWords, Observed, Property,
    PropertyClass,
};
use crate::sim::units::signed_duration;
use crate::sim::words::{clock_reading, row};
use crate::sim::{
    Context, Describe, Micros, Model, Names, NodeId, NodeState, RequestId, Row, Trace, MAX_NODES,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    LastWriteWins,
    VersionVectors,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub resolution: Resolution,
    /// Acknowledge a write only once a majority holds it; refuse it after `quorum_timeout_us`.
    pub quorum_writes: bool,
    pub quorum_timeout_us: Micros,
    /// Every replica sends all it holds to every other this often, so replicas converge after
    /// lost messages and healed partitions.
    pub anti_entropy_us: Micros,
    /// What the scenario calls keys and values, for people.
    #[serde(default, skip_serializing_if = "Vocabulary::is_empty")]
    pub vocabulary: Vocabulary,
    /// Replicas compare clocks, and one whose clock is off by more than a bound serves no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_check: Option<ClockCheck>,
}

/// How replicas check their clocks against each other: every `every_us` each asks the others
/// for the time; a replica whose clock is more than `bound_us` from the median of all the
/// readings (its own included) takes itself out of service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockCheck {
    pub bound_us: Micros,
    pub every_us: Micros,
}

impl Default for Register {
    fn default() -> Self {
        Register {
            resolution: Resolution::LastWriteWins,
            quorum_writes: false,
            quorum_timeout_us: 500_000,
            anti_entropy_us: 250_000,
            vocabulary: Vocabulary::default(),
            clock_check: None,
        }
    }
}

/// A version vector: one counter per node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Version(pub [u32; MAX_NODES]);

impl Version {
    /// True when every counter of `self` is at most `other`'s: `other` has seen `self`.
    pub fn seen_by(&self, other: &Version) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a <= b)
    }

    fn merge(&mut self, other: &Version) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a = (*a).max(*b);
        }
    }
}

/// A value with what is known of its origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamped {
    pub value: u32,
    pub writer: NodeId,
    /// The writer's time-of-day clock when it wrote: what last-write-wins compares.
    pub timestamp: i64,
    pub version: Version,
}

impl Stamped {
    fn lww_key(&self) -> (i64, NodeId) {
        (self.timestamp, self.writer)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// Replicate a write (available mode), or offer it (quorum mode, applied on `Commit`).
    /// A booking's offer is conditional: only if the key is free.
    Replicate {
        key: u8,
        write: Stamped,
        quorum: bool,
        if_absent: bool,
    },
    /// A replica refuses a conditional offer: the key holds `taken_by`, or is reserved.
    Refuse {
        key: u8,
        write: Stamped,
        taken_by: u32,
    },
    /// The coordinator gave up on an offer: release its reservation.
    Abort {
        key: u8,
        write: Stamped,
    },
    Accept {
        key: u8,
        write: Stamped,
    },
    Commit {
        key: u8,
        write: Stamped,
    },
    /// Anti-entropy: a value the sender holds.
    Sync {
        key: u8,
        write: Stamped,
    },
    /// What time is it? `asked_at` is the asker's monotonic clock, echoed back to time the trip.
    TimeAsk {
        asked_at: u64,
    },
    /// The answer: the sender's time-of-day clock when it answered.
    TimeIs {
        asked_at: u64,
        time_of_day: i64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    QuorumTimeout { key: u8, value: u32 },
    AntiEntropy,
    ClockCheck,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    Put {
        key: u8,
        value: u32,
    },
    /// Write only if the key is free here: a booking.
    Book {
        key: u8,
        value: u32,
    },
    /// Read what this replica holds for the key: one value, or siblings.
    Read {
        key: u8,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The client was told its write succeeded.
    Acked { key: u8, write: Stamped },
    Refused {
        key: u8,
        value: u32,
        reason: Refusal,
    },
    /// Last-write-wins threw `lost` away in favour of `kept`.
    Discarded {
        key: u8,
        lost: Stamped,
        kept: Stamped,
    },
    /// Version vectors found two concurrent values and kept both.
    Siblings { key: u8, a: Stamped, b: Stamped },
    /// The answer to a read: the first two values held (two are siblings), and how many more.
    Read {
        key: u8,
        first: Option<u32>,
        second: Option<u32>,
        more: u8,
    },
    /// The replica's clock is `off_us` from the median of `sources` readings (its own
    /// included), beyond the bound: it takes itself out of service.
    ClockOff { off_us: i64, sources: u8 },
    /// Its clock is within the bound again (`off_us` from the median): back in service.
    ClockBack { off_us: i64, sources: u8 },
    /// Out of service, the replica refused a client's request on `key`.
    OutOfService { key: u8 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Refusal {
    Taken { by: u32 },
    NoQuorum,
}

/// The register's contents: per key, the current value or (with version vectors) siblings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    pub keys: Vec<(u8, Vec<Stamped>)>,
    /// Keys promised to a conditional offer not yet committed or aborted. Kept on disk like a
    /// Paxos acceptor's promise: forgetting it in a crash could let two bookings both win.
    pub reserved: Vec<(u8, Stamped)>,
}

impl Durable {
    /// Who holds `key`: a stored value, or a promise to an offer other than `except`.
    pub fn holder(&self, key: u8, except: Option<Stamped>) -> Option<u32> {
        self.values(key).first().map(|v| v.value).or_else(|| {
            self.reserved
                .iter()
                .find(|(k, w)| *k == key && Some(*w) != except)
                .map(|(_, w)| w.value)
        })
    }

    pub fn values(&self, key: u8) -> &[Stamped] {
        self.keys
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(&[], |(_, v)| v)
    }

    fn values_mut(&mut self, key: u8) -> &mut Vec<Stamped> {
        if let Some(position) = self.keys.iter().position(|(k, _)| *k == key) {
            return &mut self.keys[position].1;
        }
        self.keys.push((key, Vec::new()));
        &mut self.keys.last_mut().expect("just pushed").1
    }
}

/// Quorum mode: writes waiting for a majority; with a clock check, the others' clocks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub pending: Vec<PendingWrite>,
    /// The latest reading of each other replica's clock, as its difference from this one's.
    pub clock_gaps: Vec<(NodeId, i64)>,
    /// The clock check found this replica's clock off: it serves no client.
    pub out_of_service: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PendingWrite {
    pub request: RequestId,
    pub key: u8,
    pub write: Stamped,
    pub accepted: u16,
}

type Ctx<'a> = Context<'a, Register>;
type State = NodeState<Register>;

impl Register {
    fn arm_anti_entropy(&self, ctx: &mut Ctx) {
        // A random phase, so replicas do not all sync at once.
        let delay = self.anti_entropy_us / 2 + ctx.random_below(self.anti_entropy_us);
        ctx.set_timer(Timer::AntiEntropy, delay);
    }

    /// Asks every other replica for the time, and checks again after `every_us`.
    fn check_clock(&self, ctx: &mut Ctx) {
        if let Some(check) = self.clock_check {
            let asked_at = ctx.monotonic();
            ctx.broadcast(Msg::TimeAsk { asked_at });
            ctx.set_timer(Timer::ClockCheck, check.every_us);
        }
    }

    /// A replica answered the time: its clock's gap from this one (half the round trip allowed
    /// for), then the verdict on this replica's clock against the median of all readings.
    fn clock_reading(
        &self,
        state: &mut State,
        ctx: &mut Ctx,
        from: NodeId,
        asked_at: u64,
        time_of_day: i64,
    ) {
        let Some(check) = self.clock_check else {
            return;
        };
        let half_trip = ctx.monotonic().saturating_sub(asked_at) / 2;
        let gap = time_of_day + half_trip as i64 - ctx.time_of_day();
        let gaps = &mut state.volatile.clock_gaps;
        gaps.retain(|(node, _)| *node != from);
        gaps.push((from, gap));
        crate::sim::sort::sort_by_key(gaps, |(node, _)| *node);
        // No verdict until every other replica has answered once: with fewer clocks than
        // three, a bad one cannot be outvoted.
        if gaps.len() + 1 < usize::from(ctx.node_count()) || gaps.len() < 2 {
            return;
        }
        let mut readings: Vec<i64> = gaps.iter().map(|(_, gap)| *gap).collect();
        readings.push(0);
        crate::sim::sort::sort(&mut readings);
        // This clock's difference from the median reading.
        let middle = readings.len() / 2;
        let median = if readings.len() % 2 == 1 {
            readings[middle]
        } else {
            (readings[middle - 1] + readings[middle]) / 2
        };
        let off_us = -median;
        let sources = readings.len() as u8;
        let off = off_us.unsigned_abs() > check.bound_us;
        if off != state.volatile.out_of_service {
            state.volatile.out_of_service = off;
            ctx.record(if off {
                Note::ClockOff { off_us, sources }
            } else {
                Note::ClockBack { off_us, sources }
            });
        }
    }

    /// Merges `incoming` into the replica's values for `key`, recording what was lost or kept.
    fn apply(&self, state: &mut State, ctx: &mut Ctx, key: u8, incoming: Stamped) {
        let values = state.durable.values_mut(key);
        match self.resolution {
            Resolution::LastWriteWins => {
                let Some(current) = values.first().copied() else {
                    values.push(incoming);
                    return;
                };
                if current == incoming {
                    return;
                }
                let (kept, lost) = if incoming.lww_key() > current.lww_key() {
                    (incoming, current)
                } else {
                    (current, incoming)
                };
                values.clear();
                values.push(kept);
                ctx.record(Note::Discarded { key, lost, kept });
            }
            Resolution::VersionVectors => {
                if values.iter().any(|v| incoming.version.seen_by(&v.version)) {
                    return;
                }
                values.retain(|v| !v.version.seen_by(&incoming.version));
                if let Some(&other) = values.first() {
                    ctx.record(Note::Siblings {
                        key,
                        a: other,
                        b: incoming,
                    });
                }
                values.push(incoming);
            }
        }
    }

    /// A new write coordinated here: it supersedes every value this replica has seen.
    fn stamp(&self, state: &State, ctx: &Ctx, key: u8, value: u32) -> Stamped {
        let mut version = Version::default();
        for seen in state.durable.values(key) {
            version.merge(&seen.version);
        }
        version.0[ctx.node().index()] += 1;
        Stamped {
            value,
            writer: ctx.node(),
            timestamp: ctx.time_of_day(),
            version,
        }
    }

    fn write(
        &self,
        state: &mut State,
        ctx: &mut Ctx,
        request: RequestId,
        key: u8,
        value: u32,
        if_absent: bool,
    ) {
        let write = self.stamp(state, ctx, key, value);
        if !self.quorum_writes {
            // The client hears "done" at once; then the write meets conflict resolution here
            // like anywhere else (last-write-wins may drop it on the spot).
            ctx.reply(request, Note::Acked { key, write });
            self.apply(state, ctx, key, write);
            return ctx.broadcast(Msg::Replicate {
                key,
                write,
                quorum: false,
                if_absent,
            });
        }
        state.volatile.pending.push(PendingWrite {
            request,
            key,
            write,
            accepted: 1 << ctx.node().0,
        });
        if if_absent {
            state.durable.reserved.push((key, write));
        }
        ctx.broadcast(Msg::Replicate {
            key,
            write,
            quorum: true,
            if_absent,
        });
        ctx.set_timer(Timer::QuorumTimeout { key, value }, self.quorum_timeout_us);
        self.try_commit(state, ctx);
    }

    /// Gives up on an offer: drops this replica's reservation and releases everyone else's.
    fn abandon(&self, state: &mut State, ctx: &mut Ctx, key: u8, write: Stamped) {
        state.durable.reserved.retain(|(_, w)| *w != write);
        ctx.broadcast(Msg::Abort { key, write });
    }

    fn try_commit(&self, state: &mut State, ctx: &mut Ctx) {
        let majority = u32::from(ctx.node_count()) / 2 + 1;
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut state.volatile.pending)
            .into_iter()
            .partition(|p| p.accepted.count_ones() >= majority);
        state.volatile.pending = waiting;
        for done in ready {
            ctx.cancel_timer(Timer::QuorumTimeout {
                key: done.key,
                value: done.write.value,
            });
            ctx.reply(
                done.request,
                Note::Acked {
                    key: done.key,
                    write: done.write,
                },
            );
            state.durable.reserved.retain(|(_, w)| *w != done.write);
            self.apply(state, ctx, done.key, done.write);
            ctx.broadcast(Msg::Commit {
                key: done.key,
                write: done.write,
            });
        }
    }
}

impl Model for Register {
    fn message_kind(msg: &Msg) -> usize {
        match msg {
            Msg::Replicate { .. } => 0,
            Msg::Refuse { .. } => 1,
            Msg::Abort { .. } => 2,
            Msg::Accept { .. } => 3,
            Msg::Commit { .. } => 4,
            Msg::Sync { .. } => 5,
            Msg::TimeAsk { .. } => 6,
            Msg::TimeIs { .. } => 7,
        }
    }

    type Msg = Msg;
    type Timer = Timer;
    type ClientOp = ClientOp;
    type Note = Note;
    type Durable = Durable;
    type Volatile = Volatile;

    fn start(&self, ctx: &mut Ctx) -> State {
        self.arm_anti_entropy(ctx);
        self.check_clock(ctx);
        NodeState::with_durable(Durable::default())
    }

    fn recover(&self, durable: Durable, ctx: &mut Ctx) -> State {
        self.arm_anti_entropy(ctx);
        self.check_clock(ctx);
        NodeState::with_durable(durable)
    }

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        match *msg {
            Msg::Replicate {
                key,
                write,
                quorum: false,
                ..
            }
            | Msg::Sync { key, write } => self.apply(state, ctx, key, write),
            Msg::Commit { key, write } => {
                state.durable.reserved.retain(|(_, w)| *w != write);
                self.apply(state, ctx, key, write);
            }
            Msg::Replicate {
                key,
                write,
                quorum: true,
                if_absent,
            } => {
                let holder = state.durable.holder(key, Some(write));
                match holder {
                    Some(taken_by) if if_absent => ctx.send(
                        from,
                        Msg::Refuse {
                            key,
                            write,
                            taken_by,
                        },
                    ),
                    _ => {
                        if if_absent {
                            state.durable.reserved.push((key, write));
                        }
                        ctx.send(from, Msg::Accept { key, write });
                    }
                }
            }
            Msg::Refuse {
                key,
                write,
                taken_by,
            } => {
                let position = state
                    .volatile
                    .pending
                    .iter()
                    .position(|p| p.key == key && p.write == write);
                if let Some(position) = position {
                    let pending = state.volatile.pending.remove(position);
                    ctx.cancel_timer(Timer::QuorumTimeout {
                        key,
                        value: write.value,
                    });
                    self.abandon(state, ctx, key, write);
                    let reason = Refusal::Taken { by: taken_by };
                    ctx.reply(
                        pending.request,
                        Note::Refused {
                            key,
                            value: write.value,
                            reason,
                        },
                    );
                }
            }
            Msg::Abort { key, write } => state
                .durable
                .reserved
                .retain(|(k, w)| !(*k == key && *w == write)),
            Msg::TimeAsk { asked_at } => {
                let time_of_day = ctx.time_of_day();
                ctx.send(
                    from,
                    Msg::TimeIs {
                        asked_at,
                        time_of_day,
                    },
                );
            }
            Msg::TimeIs {
                asked_at,
                time_of_day,
            } => self.clock_reading(state, ctx, from, asked_at, time_of_day),
            Msg::Accept { key, write } => {
                if let Some(pending) = state
                    .volatile
                    .pending
                    .iter_mut()
                    .find(|p| p.key == key && p.write == write)
                {
                    pending.accepted |= 1 << from.0;
                }
                self.try_commit(state, ctx);
            }
        }
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        if *timer == Timer::ClockCheck {
            return self.check_clock(ctx);
        }
        let Timer::QuorumTimeout { key, value } = *timer else {
            for (key, values) in &state.durable.keys {
                for &write in values {
                    ctx.broadcast(Msg::Sync { key: *key, write });
                }
            }
            return self.arm_anti_entropy(ctx);
        };
        let (expired, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut state.volatile.pending)
            .into_iter()
            .partition(|p| p.key == key && p.write.value == value);
        state.volatile.pending = waiting;
        for pending in expired {
            self.abandon(state, ctx, key, pending.write);
            let refusal = Note::Refused {
                key,
                value,
                reason: Refusal::NoQuorum,
            };
            ctx.reply(pending.request, refusal);
        }
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, op: &ClientOp) {
        if state.volatile.out_of_service {
            let (ClientOp::Put { key, .. } | ClientOp::Book { key, .. } | ClientOp::Read { key }) =
                *op;
            return ctx.reply(request, Note::OutOfService { key });
        }
        match *op {
            ClientOp::Put { key, value } => self.write(state, ctx, request, key, value, false),
            // Taken if this replica holds a value for the seat, or has promised it to another
            // booking (as coordinator it votes for its own offer, so it must honour its promises).
            ClientOp::Book { key, value } => match state.durable.holder(key, None) {
                Some(by) => {
                    let reason = Refusal::Taken { by };
                    ctx.reply(request, Note::Refused { key, value, reason });
                }
                None => self.write(state, ctx, request, key, value, true),
            },
            ClientOp::Read { key } => {
                let values = state.durable.values(key);
                let value = |index: usize| values.get(index).map(|v| v.value);
                let more = values.len().saturating_sub(2).min(usize::from(u8::MAX)) as u8;
                let (first, second) = (value(0), value(1));
                ctx.reply(
                    request,
                    Note::Read {
                        key,
                        first,
                        second,
                        more,
                    },
                );
            }
        }
    }
}

impl Observed for Register {
    fn fact(note: &Note) -> Option<Fact> {
        match *note {
            Note::Acked { key, write } => Some(Fact::WriteAcked {
                key,
                value: write.value,
                writer: write.writer,
            }),
            // "Taken" is a correct answer; only a refusal for lack of a majority is unavailability.
            Note::Refused { reason, .. } => Some(Fact::Answered {
                ok: matches!(reason, Refusal::Taken { .. }),
            }),
            Note::Discarded { key, lost, kept } => Some(Fact::WriteDiscarded {
                key,
                lost: (lost.writer, lost.value),
                kept: (kept.writer, kept.value),
            }),
            Note::Siblings { key, a, b } => Some(Fact::ConcurrentValues {
                key,
                a: (a.writer, a.value),
                b: (b.writer, b.value),
            }),
            Note::Read { .. } => Some(Fact::Answered { ok: true }),
            Note::OutOfService { .. } => Some(Fact::Answered { ok: false }),
            Note::ClockOff { .. } | Note::ClockBack { .. } => None,
        }
    }

    fn properties(&self) -> Vec<Property> {
        vec![
            Property {
                name: "No acknowledged write is lost unless a later write saw it",
                class: PropertyClass::Safety,
                violated_by: FindingKind::AckedWriteLost,
            },
            Property {
                name: "Every write is accepted",
                class: PropertyClass::Liveness,
                violated_by: FindingKind::LivenessStall,
            },
        ]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let facts = Facts::of(trace);
        let mut findings = detect_lost_writes(&facts, &self.vocabulary);
        findings.extend(crate::detect::detect_stalls(
            &facts,
            self.quorum_timeout_us * 2,
        ));
        findings
    }
}

// ----- in words -----

/// What a scenario calls the register's keys and values ("12A", "Alice"): without names, keys
/// 0, 1, 2 read x, y, z and values read as numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<(u8, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<(u32, String)>,
}

impl Vocabulary {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.values.is_empty()
    }
}

impl KeyWords for Vocabulary {
    fn key(&self, key: u8) -> String {
        match self.keys.iter().find(|(k, _)| *k == key) {
            Some((_, name)) => name.clone(),
            None => match key {
                0..=2 => char::from(b'x' + key).to_string(),
                _ => format!("key {key}"),
            },
        }
    }

    fn value(&self, value: u32) -> String {
        match self.values.iter().find(|(v, _)| *v == value) {
            Some((_, name)) => name.clone(),
            None => value.to_string(),
        }
    }
}

impl Register {
    /// "x = 1".
    fn assignment(&self, key: u8, value: u32) -> String {
        self.vocabulary.assignment(key, value)
    }

    /// "x = 1, timestamp 42.004 s" (last write wins), "x = 1, version A1 C2" (version vectors).
    fn stamped(&self, key: u8, write: &Stamped) -> String {
        format!(
            "{}, {}",
            self.assignment(key, write.value),
            self.stamp_words(write)
        )
    }

    /// The stamp alone, as briefly as it can be said: "42.004 s", "version A1 C1".
    fn stamp_short(&self, write: &Stamped) -> String {
        match self.resolution {
            Resolution::LastWriteWins => clock_reading(write.timestamp),
            Resolution::VersionVectors => self.stamp_words(write),
        }
    }

    fn stamp_words(&self, write: &Stamped) -> String {
        match self.resolution {
            Resolution::LastWriteWins => format!("timestamp {}", clock_reading(write.timestamp)),
            Resolution::VersionVectors => {
                let counters: Vec<String> = write
                    .version
                    .0
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(n, c)| format!("{}{c}", NodeId(n as u8).name()))
                    .collect();
                format!("version {}", counters.join(" "))
            }
        }
    }
}

impl Describe for Register {
    const MESSAGE_KINDS: &'static [&'static str] = &[
        "replicate",
        "refusal",
        "cancel",
        "accept",
        "commit",
        "anti-entropy sync",
        "what time is it?",
        "the time",
    ];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        match msg {
            // Only an offer (majority quorum) is checked by its receiver; without a quorum a
            // booking travels as a plain write, and last write wins where it lands.
            Msg::Replicate {
                key,
                write,
                quorum: true,
                if_absent: true,
            } => format!("book {} if free", self.assignment(*key, write.value)),
            Msg::Replicate {
                key,
                write,
                quorum: true,
                ..
            } => format!("offer {}", self.stamped(*key, write)),
            Msg::Replicate { key, write, .. } => format!("set {}", self.stamped(*key, write)),
            Msg::Refuse {
                key,
                write,
                taken_by,
            } => format!(
                "no: {} is taken by {}, not {}",
                self.vocabulary.key(*key),
                self.vocabulary.value(*taken_by),
                self.vocabulary.value(write.value)
            ),
            Msg::Abort { key, write } => format!("cancel {}", self.assignment(*key, write.value)),
            Msg::Accept { key, write } => format!("yes to {}", self.assignment(*key, write.value)),
            Msg::Commit { key, write } => format!("commit {}", self.assignment(*key, write.value)),
            Msg::Sync { key, write } => format!("sync {}", self.stamped(*key, write)),
            Msg::TimeAsk { .. } => "what time is it?".to_string(),
            Msg::TimeIs { time_of_day, .. } => format!("my clock: {}", clock_reading(*time_of_day)),
        }
    }

    fn timer(&self, timer: &Timer, _: &Names) -> String {
        match *timer {
            Timer::QuorumTimeout { key, value } => {
                format!("no majority in time for {}", self.assignment(key, value))
            }
            Timer::AntiEntropy => "time to sync with the other replicas".to_string(),
            Timer::ClockCheck => "time to check its clock against the others".to_string(),
        }
    }

    fn client_op(&self, op: &ClientOp, _: &Names) -> String {
        match *op {
            ClientOp::Put { key, value } => format!("write {}", self.assignment(key, value)),
            ClientOp::Book { key, value } => format!(
                "book {} for {}",
                self.vocabulary.key(key),
                self.vocabulary.value(value)
            ),
            ClientOp::Read { key } => format!("read {}", self.vocabulary.key(key)),
        }
    }

    fn note(&self, note: &Note, _: &Names) -> String {
        match note {
            Note::Acked { key, write } => format!("ok: {}", self.stamped(*key, write)),
            Note::Refused {
                key,
                value,
                reason: Refusal::Taken { by },
            } => format!(
                "refused {}: taken by {}",
                self.assignment(*key, *value),
                self.vocabulary.value(*by)
            ),
            Note::Refused {
                key,
                value,
                reason: Refusal::NoQuorum,
            } => format!("refused {}: no majority", self.assignment(*key, *value)),
            Note::Discarded { key, lost, kept } => format!(
                "discards {} ({}) for {} ({})",
                self.assignment(*key, lost.value),
                self.stamp_short(lost),
                self.vocabulary.value(kept.value),
                self.stamp_short(kept)
            ),
            Note::Siblings { key, a, b } => format!(
                "keeps both {} and {}: concurrent",
                self.assignment(*key, a.value),
                self.assignment(*key, b.value)
            ),
            Note::Read {
                key,
                first,
                second,
                more,
            } => {
                let key = self.vocabulary.key(*key);
                match (first, second) {
                    (None, _) => format!("{key} is empty"),
                    (Some(one), None) => format!("{key} = {}", self.vocabulary.value(*one)),
                    (Some(a), Some(b)) => {
                        let others = match more {
                            0 => String::new(),
                            n => format!(" and {n} more"),
                        };
                        format!(
                            "{key} has siblings: {} | {}{others}",
                            self.vocabulary.value(*a),
                            self.vocabulary.value(*b)
                        )
                    }
                }
            }
            Note::ClockOff { off_us, sources } => format!(
                "its clock is {} from the middle of {sources} clocks: out of service until \
                 it is fixed",
                signed_duration(*off_us)
            ),
            Note::ClockBack { off_us, sources } => format!(
                "its clock is {} from the middle of {sources} clocks: back in service",
                signed_duration(*off_us)
            ),
            Note::OutOfService { key } => format!(
                "refuses {}: out of service, its clock is off",
                self.vocabulary.key(*key)
            ),
        }
    }

    fn memory(&self, _: NodeId, state: &Volatile, names: &Names) -> Vec<Row> {
        let mut rows = Vec::new();
        if !state.pending.is_empty() {
            let waiting: Vec<String> = state
                .pending
                .iter()
                .map(|p| self.assignment(p.key, p.write.value))
                .collect();
            rows.push(row("Waiting for a majority", waiting.join("; ")));
        }
        if self.clock_check.is_some() {
            let gaps: Vec<String> = state
                .clock_gaps
                .iter()
                .map(|(node, gap)| format!("{} {}", names.of(*node), signed_duration(*gap)))
                .collect();
            if !gaps.is_empty() {
                rows.push(row("Other clocks, against mine", gaps.join(", ")));
            }
            let service = if state.out_of_service {
                "out: its clock is off"
            } else {
                "in service"
            };
            rows.push(row("Service", service));
        }
        rows
    }

    fn disk(&self, _: NodeId, state: &Durable, _: &Names) -> Vec<Row> {
        let mut rows: Vec<Row> = state
            .keys
            .iter()
            .map(|(key, values)| {
                let values: Vec<String> = values
                    .iter()
                    .map(|v| {
                        format!(
                            "{} ({})",
                            self.vocabulary.value(v.value),
                            self.stamp_words(v)
                        )
                    })
                    .collect();
                Row {
                    label: "Holds",
                    value: format!("{}: {}", self.vocabulary.key(*key), values.join(" and ")),
                }
            })
            .collect();
        if rows.is_empty() {
            rows.push(row("Holds", "nothing yet"));
        }
        for (key, write) in &state.reserved {
            rows.push(row("Promised", self.assignment(*key, write.value)));
        }
        rows
    }

    fn headline(&self, _: NodeId, _: Option<&Volatile>, disk: &Durable, _: &Names) -> String {
        let mut said: Vec<String> = Vec::new();
        for (key, values) in &disk.keys {
            let mut text = self.vocabulary.key(*key) + " =";
            for (i, v) in values.iter().enumerate() {
                text += if i == 0 { " " } else { " | " };
                text += &self.vocabulary.value(v.value);
            }
            said.push(text);
        }
        for (key, write) in &disk.reserved {
            said.push(format!("promised {}", self.assignment(*key, write.value)));
        }
        if said.is_empty() {
            return "empty".to_string();
        }
        said.join(", ")
    }
}
