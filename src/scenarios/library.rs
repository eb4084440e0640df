//! The preset scenarios, one per phenomenon in the source material.

use crate::detect::FindingKind;

use super::{Fix, ModelSpec, Narration, Prediction, Scenario, Shown};
use crate::models::election::{ClientOp, Election};
use crate::models::generals::{self, Generals, Order};
use crate::models::heartbeat::{Detector, Heartbeats};
use crate::models::lock::{self, LockService};
use crate::models::logging::{Logging, MergeBy};
use crate::models::register::{self, Register, Resolution};
use crate::models::server::{self, Server};
use crate::models::stopwatch::Stopwatch;
use crate::models::truetime::{self, TrueTime};
use crate::sim::SimRng;
use crate::sim::{ClockConfig, Command, LinkConfig, Micros, NodeId, Scheduled, SimConfig};

const A: NodeId = NodeId(0);
const B: NodeId = NodeId(1);
const C: NodeId = NodeId(2);
const D: NodeId = NodeId(3);
const E: NodeId = NodeId(4);

/// Every preset, in teaching order.
pub fn all() -> Vec<Scenario> {
    vec![
        split_brain(),
        seat_double_booked(),
        lww_clock_skew(),
        expired_lease_slow_clock(),
        gc_pause_fencing(),
        reordered_writes(),
        timeouts(),
        majority_truth(),
        wall_clock_log_order(),
        retry_charges_twice(),
        ntp_step_back(),
        lost_update(),
        byzantine_generals(),
        truetime_commit_wait(),
        sandbox(),
    ]
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
        shows: Some(FindingKind::SplitBrain),
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

fn job(at_us: Micros, node: NodeId, value: u32) -> Scheduled<lock::ClientOp> {
    at(
        at_us,
        Command::Client {
            node,
            op: lock::ClientOp::Job { value },
        },
    )
}

/// Lock service A, storage B, clients C and D; a steady 5 ms network.
fn lock_cluster(seed: u64, clocks: Vec<ClockConfig>) -> SimConfig {
    SimConfig {
        nodes: 4,
        seed,
        link: LinkConfig {
            latency_us: 5_000,
            jitter_us: 2_000,
            loss: 0.0,
            duplication: 0.0,
        },
        clocks,
    }
}

const LOCK_ROLES: &str = "A is a lock service handing out 10-second leases, B is storage, C and D \
                          are clients that may only write while they hold the lease.";

fn gc_pause_fencing() -> Scenario {
    Scenario {
        id: "gc-pause-fencing".to_string(),
        title: "A process pause outlives its lease: fencing tokens".to_string(),
        lesson: "A client checks its lease, is paused for 15 s by garbage collection, and writes \
                 after its 10 s lease has expired and another client holds the lock."
            .to_string(),
        shows: Some(FindingKind::StaleWriteAccepted),
        fix_cost: Some(FindingKind::FencingRejection),
        config: lock_cluster(5, Vec::new()),
        model: ModelSpec::Lock {
            params: LockService::default(),
            fixed: LockService { fencing: true, ..LockService::default() },
            script: vec![
                job(100_000, C, 1),
                at(1_000_000, Command::Pause { node: C }),
                job(2_000_000, D, 2),
                at(16_000_000, Command::Resume { node: C }),
            ],
        },
        duration_us: 17_000_000,
        key_moment_us: 16_000_000,
        narration: vec![
            say(0, LOCK_ROLES),
            say(100_000, "Client C acquires the lease with token 33, checks that it is valid, and \
                          starts two seconds of work before writing."),
            say(1_000_000, "A stop-the-world garbage collection pauses C for 15 seconds. C cannot \
                            notice: from its point of view no time passes."),
            say(2_000_000, "Client D wants the lock too. The lease is C's until 10 s, so D is told \
                            to wait and keeps asking."),
            say(10_200_000, "C's lease has expired on the lock service's clock. D gets the lease with \
                             token 34, does its work and writes."),
            say(16_000_000, "C wakes up. Its work is done and it checked its lease before it started, \
                             so it writes."),
            say_if(Shown::WithoutFix, 16_010_000, "Storage accepts C's write: D's data is overwritten by \
                    a client that no longer holds the lock. Both believed they held it."),
            say_if(Shown::WithFix, 16_010_000, "Storage has already seen token 34, so it refuses token \
                    33. C's stale write is fenced off; D's data is safe."),
        ],
        prediction: Prediction {
            question: "C was paused for 15 s right after checking its 10 s lease. It wakes up with \
                       its work done. What happens?"
                .to_string(),
            choices: vec![
                "C notices the pause and asks for the lease again".to_string(),
                "C writes with its expired lease, and storage accepts it".to_string(),
                "The lock service stops C's write".to_string(),
            ],
            answer: 1,
            explanation: "A paused process cannot tell that time passed. The lock service is not \
                          involved in the write, so only storage can stop it."
                .to_string(),
        },
        fix: Fix {
            label: "Fencing tokens".to_string(),
            explanation: "Every lease carries a token that grows with each grant (33, then 34). \
                          Storage remembers the highest token it has seen and refuses writes with a \
                          lower one."
                .to_string(),
            cost: "Storage must take part in the locking protocol; C's work is thrown away.".to_string(),
        },
        fix_enabled: false,
    }
}

fn expired_lease_slow_clock() -> Scenario {
    // C's wall clock is 6 s behind: it believes its lease lasts until 16 s of true time.
    let slow_c = ClockConfig {
        offset_us: -6_000_000,
        ..ClockConfig::default()
    };
    let clocks = vec![
        ClockConfig::default(),
        ClockConfig::default(),
        slow_c,
        ClockConfig::default(),
    ];
    Scenario {
        id: "slow-clock-lease".to_string(),
        title: "A slow clock trusts an expired lease".to_string(),
        lesson: "A client judges its lease by comparing the lock service's expiry time with its own \
                 clock. Its clock is 6 s behind, so it acts on a lease that expired long ago."
            .to_string(),
        shows: Some(FindingKind::StaleWriteAccepted),
        fix_cost: None,
        config: lock_cluster(6, clocks),
        model: ModelSpec::Lock {
            params: LockService { work_us: 500_000, keep_lease: true, ..LockService::default() },
            fixed: LockService {
                work_us: 500_000,
                keep_lease: true,
                fencing: true,
                monotonic_lease: true,
                ..LockService::default()
            },
            script: vec![
                job(100_000, C, 1),
                job(10_500_000, D, 2),
                job(12_000_000, C, 3),
            ],
        },
        duration_us: 14_000_000,
        key_moment_us: 12_000_000,
        narration: vec![
            say(0, LOCK_ROLES),
            say(0, "C's clock is 6 seconds behind true time. Nothing warns it."),
            say(100_000, "C acquires the lease (token 33) until 10.1 s on the lock service's clock, \
                          writes once, and keeps the lease for later jobs."),
            say(10_500_000, "The lease has expired. D acquires the lock (token 34) and writes."),
            say(12_000_000, "C has another job. It checks its lease against its own clock, which reads \
                             6 s: the lease looks valid for another 4 seconds."),
            say_if(Shown::WithoutFix, 12_600_000, "C writes with token 33 and storage accepts it: two \
                    clients acted as the lock holder at the same time."),
            say_if(Shown::WithFix, 12_000_000, "C measures its lease on its monotonic clock from the \
                    moment it was granted, minus a safety margin: it knows the lease is gone and asks \
                    again. Fencing would have refused the write anyway."),
        ],
        prediction: Prediction {
            question: "C's clock is 6 s slow. At 12 s it checks the lease that expired at 10.1 s. \
                       What does it conclude?"
                .to_string(),
            choices: vec![
                "The lease has expired".to_string(),
                "The lease is still valid".to_string(),
                "It cannot tell, so it asks the lock service".to_string(),
            ],
            answer: 1,
            explanation: "It compares an expiry time set by another machine's clock with its own \
                          clock, which reads 6 s: by its reckoning, 4 seconds remain."
                .to_string(),
        },
        fix: Fix {
            label: "Monotonic lease with a margin, plus fencing".to_string(),
            explanation: "Measure the lease as a duration on the local monotonic clock from when it \
                          was granted, end it early by a safety margin, and let storage check \
                          fencing tokens in case the clock or a pause still fools the client."
                .to_string(),
            cost: "Leases end a little early, so the lock is idle for the margin.".to_string(),
        },
        fix_enabled: false,
    }
}

fn put(at_us: Micros, node: NodeId, key: u8, value: u32) -> Scheduled<register::ClientOp> {
    at(
        at_us,
        Command::Client {
            node,
            op: register::ClientOp::Put { key, value },
        },
    )
}

fn book(at_us: Micros, node: NodeId, seat: u8, passenger: u32) -> Scheduled<register::ClientOp> {
    at(
        at_us,
        Command::Client {
            node,
            op: register::ClientOp::Book {
                key: seat,
                value: passenger,
            },
        },
    )
}

/// Three replicas with a steady 5 ms network.
fn replicas(seed: u64, clocks: Vec<ClockConfig>) -> SimConfig {
    SimConfig {
        nodes: 3,
        seed,
        link: LinkConfig {
            latency_us: 5_000,
            jitter_us: 0,
            loss: 0.0,
            duplication: 0.0,
        },
        clocks,
    }
}

fn lww_clock_skew() -> Scenario {
    // Wall clocks reading about 42 s, as in DDIA's figure: A is a few milliseconds ahead of C.
    let clock = |offset_us| ClockConfig {
        offset_us,
        ..ClockConfig::default()
    };
    let clocks = vec![clock(41_994_000), clock(41_990_000), clock(41_973_000)];
    Scenario {
        id: "lww-clock-skew".to_string(),
        title: "Last write wins, and the later write loses".to_string(),
        lesson: "Replicas resolve conflicts by the writer's wall-clock timestamp. A's clock is \
                 ahead, so its earlier x = 1 beats C's later x = 2, and x = 2 silently disappears."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: None,
        config: replicas(8, clocks),
        model: ModelSpec::Register {
            params: Register::default(),
            fixed: Register { resolution: Resolution::VersionVectors, ..Register::default() },
            script: vec![put(10_000, A, 0, 1), put(30_000, C, 0, 2)],
        },
        duration_us: 100_000,
        key_moment_us: 30_000,
        narration: vec![
            say(0, "Three replicas of a register x. Each keeps one value per key; when two values \
                    meet, the one with the later timestamp from its writer's wall clock wins."),
            say(10_000, "A client writes x = 1 through A. A stamps it with its clock: 42.004 s. \
                         It reaches B and C 5 ms later."),
            say(30_000, "Later in true time, after x = 1 has arrived, a client sets x = 2 through C. \
                         But C's clock reads only 42.003 s: it is behind A's."),
            say_if(Shown::WithoutFix, 30_000, "Everyone keeps x = 1: its timestamp is larger. The \
                    client that wrote x = 2 was told it succeeded, and its write is silently gone. \
                    No error, no conflict: a clock decided."),
            say_if(Shown::WithFix, 30_000, "With version vectors, C's x = 2 carries the fact that it \
                    saw x = 1. Every replica can tell x = 2 supersedes x = 1, whatever the clocks say."),
        ],
        prediction: Prediction {
            question: "x = 1 was written at 42.004 s by A's clock; x = 2 came later but at 42.003 s \
                       by C's clock. Which value do the replicas keep?"
                .to_string(),
            choices: vec![
                "x = 2, the later write".to_string(),
                "x = 1, the larger timestamp".to_string(),
                "Both, flagged as a conflict".to_string(),
            ],
            answer: 1,
            explanation: "Last-write-wins trusts timestamps from unsynchronised clocks, so \
                          \"later\" means \"stamped by the faster clock\"."
                .to_string(),
        },
        fix: Fix {
            label: "Version vectors".to_string(),
            explanation: "Each value carries a version vector: a counter per replica of the writes \
                          it has seen. A value that saw another supersedes it; values that did not \
                          see each other are concurrent, and both are kept as siblings."
                .to_string(),
            cost: "Concurrent values must be merged by the application (or the user).".to_string(),
        },
        fix_enabled: false,
    }
}

fn seat_double_booked() -> Scenario {
    const SEAT_12A: u8 = 12;
    const ALICE: u32 = 1;
    const BOB: u32 = 2;
    Scenario {
        id: "seat-12a".to_string(),
        title: "Seat 12A, sold twice".to_string(),
        lesson: "Replicas in the US, Europe and Asia each accept bookings while the network is \
                 split. Two passengers are told seat 12A is theirs; when the network heals, one \
                 booking silently wins."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: Some(FindingKind::LivenessStall),
        config: replicas(12, Vec::new()),
        model: ModelSpec::Register {
            params: Register::default(),
            fixed: Register {
                quorum_writes: true,
                ..Register::default()
            },
            script: vec![
                at(
                    100_000,
                    Command::Partition {
                        groups: vec![vec![A], vec![B, C]],
                    },
                ),
                book(200_000, A, SEAT_12A, ALICE),
                book(250_000, B, SEAT_12A, BOB),
                at(1_000_000, Command::HealAll),
            ],
        },
        duration_us: 1_500_000,
        key_moment_us: 1_000_000,
        narration: vec![
            say(
                0,
                "Three replicas of an airline's bookings: A in the US, B in Europe, C in Asia. \
                    A booking checks the seat is free on its replica, then writes.",
            ),
            say(
                100_000,
                "The transatlantic link fails: the US is cut off from Europe and Asia.",
            ),
            say_if(
                Shown::WithoutFix,
                200_000,
                "Alice books 12A in the US. The US replica sees a free \
                    seat and confirms at once.",
            ),
            say_if(
                Shown::WithoutFix,
                250_000,
                "Bob books 12A in Europe. Europe has not heard of \
                    Alice's booking, sees a free seat, and confirms.",
            ),
            say_if(
                Shown::WithFix,
                200_000,
                "Alice books 12A in the US. The US replica cannot reach a \
                    majority, so after half a second it refuses: the US is unavailable.",
            ),
            say_if(
                Shown::WithFix,
                250_000,
                "Bob books 12A in Europe. Europe and Asia are a majority, \
                    so the booking is confirmed.",
            ),
            say(
                1_000_000,
                "The network heals and the replicas exchange bookings.",
            ),
            say_if(
                Shown::WithoutFix,
                1_005_000,
                "Last write wins keeps one booking. Both passengers \
                    hold a confirmation for 12A; one of them has lost the seat without being told.",
            ),
        ],
        prediction: Prediction {
            question:
                "The US is cut off. Alice books 12A in the US, then Bob books 12A in Europe. \
                       What happens?"
                    .to_string(),
            choices: vec![
                "Bob's booking is refused: the seat is taken".to_string(),
                "Both are confirmed, and the conflict surfaces later".to_string(),
                "Both are refused until the network heals".to_string(),
            ],
            answer: 1,
            explanation: "Each side checks only its own replica. Staying available during a \
                          partition means accepting writes that conflict."
                .to_string(),
        },
        fix: Fix {
            label: "Refuse writes without a majority (CP)".to_string(),
            explanation: "A booking is confirmed only once a majority of replicas has accepted \
                          it. Only one side of a partition can have a majority."
                .to_string(),
            cost: "The minority side cannot take bookings: Alice is turned away while the US is \
                   cut off."
                .to_string(),
        },
        fix_enabled: false,
    }
}

fn client(at_us: Micros, node: NodeId, op: server::ClientOp) -> Scheduled<server::ClientOp> {
    at(at_us, Command::Client { node, op })
}

/// Server A and clients, over a link of `latency_us` plus up to `jitter_us`.
fn client_server(nodes: u8, seed: u64, latency_us: Micros, jitter_us: Micros) -> SimConfig {
    SimConfig {
        nodes,
        seed,
        link: LinkConfig {
            latency_us,
            jitter_us,
            loss: 0.0,
            duplication: 0.0,
        },
        clocks: Vec::new(),
    }
}

fn reordered_writes() -> Scenario {
    let set = |at_us, value| client(at_us, B, server::ClientOp::Set { value });
    Scenario {
        id: "reordered-writes".to_string(),
        title: "SET x = 1, 2, 3 arrive out of order".to_string(),
        lesson: "A client sends three writes 5 ms apart. The network delays each by a different \
                 amount, they arrive reordered, and x ends up 2 instead of 3."
            .to_string(),
        shows: Some(FindingKind::OrderingViolation),
        fix_cost: None,
        // Seed 6 makes the network deliver them as 1, 3, 2.
        config: client_server(2, 6, 10_000, 30_000),
        model: ModelSpec::Server {
            params: Server::default(),
            fixed: Server {
                sequence_numbers: true,
                ..Server::default()
            },
            script: vec![set(100_000, 1), set(105_000, 2), set(110_000, 3)],
        },
        duration_us: 300_000,
        key_moment_us: 138_000,
        narration: vec![
            say(
                0,
                "Server A holds x. Client B sends SET x = 1, SET x = 2, SET x = 3, five \
                    milliseconds apart. Each message takes 10 to 40 ms: networks queue and delay \
                    packets unpredictably.",
            ),
            say_if(
                Shown::WithoutFix,
                138_000,
                "The writes arrive as 1, 3, 2. The server applies each \
                    as it comes, and x ends at 2: not what B sent last.",
            ),
            say_if(
                Shown::WithFix,
                138_000,
                "Each SET carries B's sequence number. When SET x = 2 \
                    (number 2) arrives after number 3, the server knows it is old and ignores it: \
                    x stays 3.",
            ),
        ],
        prediction: Prediction {
            question: "B sent x = 1, 2, 3 in that order, 5 ms apart. What value does x end with?"
                .to_string(),
            choices: vec![
                "3, the last write".to_string(),
                "Whichever write arrives last".to_string(),
                "1, the first write".to_string(),
            ],
            answer: 1,
            explanation:
                "Sending order is not arrival order: variable delay reorders messages, and \
                          a server that applies them as they come ends with whatever came last."
                    .to_string(),
        },
        fix: Fix {
            label: "Sequence numbers".to_string(),
            explanation: "The client numbers its writes; the server remembers the highest number \
                          it applied and ignores older ones."
                .to_string(),
            cost: "The server keeps a counter per client.".to_string(),
        },
        fix_enabled: false,
    }
}

fn retry_charges_twice() -> Scenario {
    Scenario {
        id: "retry-double-charge".to_string(),
        title: "A retry charges the card twice".to_string(),
        lesson: "The server charges the card, but its reply is lost. The client cannot tell a lost \
                 request from a lost reply, retries, and the card is charged again."
            .to_string(),
        shows: Some(FindingKind::DuplicateEffect),
        fix_cost: None,
        config: client_server(2, 10, 10_000, 0),
        model: ModelSpec::Server {
            params: Server::default(),
            fixed: Server { idempotency_keys: true, ..Server::default() },
            script: vec![
                client(100_000, B, server::ClientOp::Charge { amount: 30 }),
                at(105_000, Command::CutLink { from: A, to: B }),
                at(250_000, Command::HealLink { from: A, to: B }),
            ],
        },
        duration_us: 600_000,
        key_moment_us: 300_000,
        narration: vec![
            say(0, "Server A keeps an account with 100 in it. Client B asks it to charge 30."),
            say(110_000, "The server charges the account (100 → 70) and replies, but the link back \
                          to B has failed: the reply is lost."),
            say(300_000, "B has heard nothing for 200 ms. Was the request lost, or the reply? It \
                          cannot know, so it sends the charge again."),
            say_if(Shown::WithoutFix, 310_000, "The server sees a new request and charges again: \
                    70 → 40. One purchase, two charges."),
            say_if(Shown::WithFix, 310_000, "The retry carries the same idempotency key. The server \
                    has applied that key already, so it only repeats the answer: the balance stays 70."),
        ],
        prediction: Prediction {
            question: "The server charged the card but its reply was lost. B retries. What happens?"
                .to_string(),
            choices: vec![
                "The server notices the duplicate".to_string(),
                "The card is charged a second time".to_string(),
                "The retry fails".to_string(),
            ],
            answer: 1,
            explanation: "Without an identifier that survives retries, a retried request looks \
                          exactly like a new one."
                .to_string(),
        },
        fix: Fix {
            label: "Idempotency keys".to_string(),
            explanation: "The client tags each operation with a key and reuses it on every retry; \
                          the server records the keys it has applied and never applies one twice."
                .to_string(),
            cost: "The server must remember keys (in practice, for a bounded time).".to_string(),
        },
        fix_enabled: false,
    }
}

fn lost_update() -> Scenario {
    let withdraw = |at_us, node, amount| client(at_us, node, server::ClientOp::Withdraw { amount });
    Scenario {
        id: "lost-update".to_string(),
        title: "Two withdrawals, one lost update".to_string(),
        lesson:
            "Two clients read the balance (100), each subtracts its amount and writes the result \
                 back: 50 and 70. The second write overwrites the first, and a withdrawal vanishes."
                .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: None,
        config: client_server(3, 14, 10_000, 0),
        model: ModelSpec::Server {
            params: Server::default(),
            fixed: Server {
                compare_and_set: true,
                ..Server::default()
            },
            script: vec![withdraw(100_000, B, 50), withdraw(101_000, C, 30)],
        },
        duration_us: 400_000,
        key_moment_us: 131_000,
        narration: vec![
            say(
                0,
                "Server A holds a balance of 100. Clients B and C each withdraw: B takes 50, C \
                    takes 30. Each reads the balance, subtracts, and writes the result back.",
            ),
            say(121_000, "Both read 100: B computes 50, C computes 70."),
            say_if(
                Shown::WithoutFix,
                131_000,
                "B writes 50, then C writes 70 over it. Both are told \
                    they succeeded. The balance says 70, but 80 was withdrawn: B's update is lost.",
            ),
            say_if(
                Shown::WithFix,
                131_000,
                "Each write says which version it was computed from. C's \
                    write is based on a version B has already replaced, so compare-and-set refuses \
                    it; C reads again (50) and writes 20.",
            ),
        ],
        prediction: Prediction {
            question: "B and C both read a balance of 100, and write back 50 and 70. What is the \
                       balance afterwards?"
                .to_string(),
            choices: vec![
                "20".to_string(),
                "70 (or 50)".to_string(),
                "An error".to_string(),
            ],
            answer: 1,
            explanation:
                "Each write replaces the balance with a value computed from a stale read; \
                          whichever lands last wins and the other withdrawal disappears."
                    .to_string(),
        },
        fix: Fix {
            label: "Compare-and-set".to_string(),
            explanation: "A write succeeds only if the value has not changed since it was read; \
                          otherwise the client reads again and recomputes."
                .to_string(),
            cost: "Contended writes retry.".to_string(),
        },
        fix_enabled: false,
    }
}

fn timeouts() -> Scenario {
    let slow = LinkConfig {
        latency_us: 150_000,
        jitter_us: 100_000,
        loss: 0.0,
        duplication: 0.0,
    };
    let normal = LinkConfig {
        latency_us: 10_000,
        jitter_us: 10_000,
        loss: 0.0,
        duplication: 0.0,
    };
    let mut script = Vec::new();
    for to in [A, C, D] {
        script.push(at(
            1_000_000,
            Command::SetLink {
                from: B,
                to,
                config: slow,
            },
        ));
        script.push(at(
            2_000_000,
            Command::SetLink {
                from: B,
                to,
                config: normal,
            },
        ));
    }
    script.push(at(3_000_000, Command::Crash { node: D }));
    let phi = Detector::PhiAccrual {
        threshold: 8.0,
        min_std_us: 50_000,
    };
    Scenario {
        id: "timeouts".to_string(),
        title: "How long is too long? Timeouts and phi accrual".to_string(),
        lesson: "A short fixed timeout declares a slow but healthy node dead. A long one is slow \
                 to notice a real crash. An adaptive detector learns how late is unusual."
            .to_string(),
        shows: Some(FindingKind::FalseSuspicion),
        fix_cost: None,
        config: SimConfig { nodes: 4, seed: 7, link: normal, clocks: Vec::new() },
        model: ModelSpec::Heartbeats {
            params: Heartbeats::default(),
            fixed: Heartbeats { detector: phi, ..Heartbeats::default() },
            script,
        },
        duration_us: 4_500_000,
        key_moment_us: 1_060_000,
        narration: vec![
            say(0, "Four nodes send each other a heartbeat every 100 ms and decide, for each peer, \
                    when it has been silent too long."),
            say_if(Shown::WithoutFix, 0, "Each uses a fixed timeout of 150 ms: normally heartbeats \
                    arrive every 100 ms, give or take 10."),
            say_if(Shown::WithFix, 0, "Each uses a phi-accrual detector: it learns the mean and \
                    spread of the intervals it sees, and suspects a peer only when a heartbeat is \
                    as late as a one-in-a-hundred-million event (phi > 8)."),
            say(1_000_000, "B's outgoing network is congested: its messages now take 150 to 250 ms. \
                            B itself is fine."),
            say_if(Shown::WithoutFix, 1_060_000, "The others declare B dead, although it is running. \
                    A longer timeout would avoid this, but would also be slower to notice a real crash."),
            say_if(Shown::WithFix, 1_060_000, "The detector has seen intervals vary, so a late \
                    heartbeat is not yet improbable enough: nobody suspects B."),
            say(2_000_000, "The congestion clears."),
            say(3_000_000, "D really crashes. Both detectors notice within a fraction of a second."),
        ],
        prediction: Prediction {
            question: "B's messages suddenly take 150 to 250 ms instead of about 10. What do nodes \
                       with a 150 ms timeout conclude?"
                .to_string(),
            choices: vec![
                "Nothing: B is still sending".to_string(),
                "That B is dead".to_string(),
                "That the network is congested".to_string(),
            ],
            answer: 1,
            explanation: "A timeout cannot tell a slow node or a slow network from a dead node. \
                          Silence for longer than the timeout means \"dead\"."
                .to_string(),
        },
        fix: Fix {
            label: "Phi-accrual failure detector".to_string(),
            explanation: "Instead of a fixed timeout, suspicion grows with how improbable the \
                          silence is, given the heartbeat intervals observed so far."
                .to_string(),
            cost: "Detection takes a little longer when the network has been erratic.".to_string(),
        },
        fix_enabled: false,
    }
}

fn majority_truth() -> Scenario {
    let mut script: Vec<Scheduled<ClientOp>> = [B, C, D, E]
        .into_iter()
        .map(|to| at(1_000_000, Command::CutLink { from: A, to }))
        .collect();
    script.extend(writes(A, 400_000, 2_400_000, 300_000, 100));
    script.extend(writes(E, 410_000, 2_400_000, 300_000, 200));
    Scenario {
        id: "majority-truth".to_string(),
        title: "The truth is defined by the majority".to_string(),
        lesson: "A leader can still hear everyone, but nobody hears it. The others declare it dead \
                 and elect a new leader. It is alive, and wrong about being the leader."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: Some(FindingKind::LivenessStall),
        config: SimConfig { nodes: 5, seed: 4, ..SimConfig::default() },
        model: ModelSpec::Election { params: Election::default(), script },
        duration_us: 2_500_000,
        key_moment_us: 1_400_000,
        narration: vec![
            say(0, "Five nodes; A leads. Clients write through A and through E."),
            say(1_000_000, "A's outgoing links fail. A still receives every message, but nothing it \
                            sends arrives: its heartbeats vanish."),
            say(1_300_000, "The others hear nothing from A and declare it dead. A is running \
                            perfectly well: the majority is wrong about it, and its verdict stands."),
            say_if(Shown::WithoutFix, 1_300_000, "Meanwhile A, still sure it leads, acknowledges a \
                    write that can never leave it. When it hears of the new leader it steps down, \
                    and that acknowledged write is gone."),
            say_if(Shown::WithFix, 1_300_000, "A notices that no majority acknowledges it any more, \
                    so it refuses writes and steps down: it accepts the majority's verdict."),
        ],
        prediction: Prediction {
            question: "A can receive but not send. Its followers hear nothing from it. Who is right \
                       about whether A is alive?"
                .to_string(),
            choices: vec![
                "A: it is running".to_string(),
                "The majority: A must act as if it were dead".to_string(),
                "Nobody can decide".to_string(),
            ],
            answer: 1,
            explanation: "A node cannot trust its own judgement of the situation. A distributed \
                          system goes by what a quorum decides, even when the quorum is mistaken."
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
    }
}

/// 10:00:00.000 on a wall clock, in µs since midnight.
const TEN_AM_US: i64 = 36_000_000_000;

fn wall_clock_log_order() -> Scenario {
    let clock = |offset_us| ClockConfig {
        offset_us,
        ..ClockConfig::default()
    };
    Scenario {
        id: "wall-clock-log".to_string(),
        title: "Logs sorted by wall clock: the effect before its cause".to_string(),
        lesson: "Two machines log what they do. Merged by timestamp, the log shows the second \
                 machine reacting to something before it happened, because the first machine's \
                 clock is a second fast."
            .to_string(),
        shows: Some(FindingKind::OrderingViolation),
        fix_cost: None,
        config: SimConfig {
            nodes: 2,
            seed: 9,
            link: LinkConfig { latency_us: 100_000, jitter_us: 0, loss: 0.0, duplication: 0.0 },
            clocks: vec![clock(TEN_AM_US + 1_000_000), clock(TEN_AM_US)],
        },
        model: ModelSpec::Logging {
            params: Logging { merge_by: MergeBy::WallClock },
            fixed: Logging { merge_by: MergeBy::Lamport },
            script: vec![at(0, Command::Client { node: A, op: () })],
        },
        duration_us: 300_000,
        key_moment_us: 100_000,
        narration: vec![
            say(0, "Machine A's clock is one second fast; machine B's is right. At 10:00:00.000 \
                    A logs \"A\" (its clock says 10:00:01.000) and sends a message to B."),
            say(100_000, "0.1 s later B receives it and logs \"B\": 10:00:00.100 on its accurate \
                          clock. B's entry is caused by A's."),
            say_if(Shown::WithoutFix, 100_000, "Sorted by timestamp, the merged log reads B \
                    (10:00:00.100), then A (10:00:01.000): B's reaction comes before what caused it."),
            say_if(Shown::WithFix, 100_000, "Each entry also carries a Lamport timestamp: B's is \
                    larger than A's because B saw A's message. Sorted that way, cause precedes effect \
                    whatever the clocks say."),
            say(200_000, "A note on the source: one write-up puts the fast clock on the later write \
                          (B at 10:00:01.100, A at 10:00:00.000). Sorted, that log comes out in the \
                          right order. It takes the earlier event on the faster clock, as here, to \
                          invert it."),
        ],
        prediction: Prediction {
            question: "A (clock 1 s fast) logs first; B (accurate) logs 0.1 s later, in reaction. \
                       Sorted by timestamp, which entry comes first?"
                .to_string(),
            choices: vec!["A's".to_string(), "B's".to_string(), "It depends on the network".to_string()],
            answer: 1,
            explanation: "A stamped 10:00:01.000, B stamped 10:00:00.100: a one-second skew beats a \
                          0.1-second gap."
                .to_string(),
        },
        fix: Fix {
            label: "Lamport timestamps".to_string(),
            explanation: "Every node keeps a counter, increments it for each event, sends it with \
                          each message, and jumps past any larger counter it receives. Ordering by \
                          it never puts an effect before its cause."
                .to_string(),
            cost: "The order no longer matches real time for unrelated events.".to_string(),
        },
        fix_enabled: false,
    }
}

fn ntp_step_back() -> Scenario {
    let measure = |at_us| at(at_us, Command::Client { node: A, op: () });
    Scenario {
        id: "ntp-step-back".to_string(),
        title: "NTP steps the clock back: a negative duration".to_string(),
        lesson: "A node times a 300 ms operation with its wall clock. NTP resets that clock one \
                 second back mid-operation, and the measured duration comes out negative."
            .to_string(),
        shows: Some(FindingKind::OrderingViolation),
        fix_cost: None,
        config: SimConfig {
            nodes: 1,
            seed: 11,
            ..SimConfig::default()
        },
        model: ModelSpec::Stopwatch {
            params: Stopwatch::default(),
            fixed: Stopwatch {
                monotonic: true,
                ..Stopwatch::default()
            },
            script: vec![
                measure(100_000),
                at(
                    250_000,
                    Command::NtpStep {
                        node: A,
                        delta_us: -1_000_000,
                    },
                ),
                measure(600_000),
            ],
        },
        duration_us: 1_000_000,
        key_moment_us: 400_000,
        narration: vec![
            say(0, "Node A times operations that each take 300 ms."),
            say(100_000, "An operation starts; A notes the time."),
            say(
                250_000,
                "NTP finds A's clock a second ahead and steps it back by one second.",
            ),
            say_if(
                Shown::WithoutFix,
                400_000,
                "The operation ends. End minus start on the wall clock: \
                    minus 700 ms. Timeouts and rate limits computed this way misbehave.",
            ),
            say_if(
                Shown::WithFix,
                400_000,
                "A measured with its monotonic clock, which NTP never \
                    steps: 300 ms, as it should be.",
            ),
            say(
                600_000,
                "The next operation, with no step in the middle, measures 300 ms either way.",
            ),
        ],
        prediction: Prediction {
            question:
                "During a 300 ms operation timed with the wall clock, NTP steps the clock back \
                       1 s. What duration is measured?"
                    .to_string(),
            choices: vec![
                "300 ms".to_string(),
                "-700 ms".to_string(),
                "1.3 s".to_string(),
            ],
            answer: 1,
            explanation:
                "The end reading is a second earlier than it should be: 300 − 1000 = −700 ms."
                    .to_string(),
        },
        fix: Fix {
            label: "Monotonic clock".to_string(),
            explanation: "Measure durations with the monotonic clock: it never jumps, only drifts."
                .to_string(),
            cost: "Monotonic readings mean nothing across machines or reboots.".to_string(),
        },
        fix_enabled: false,
    }
}

fn byzantine_generals() -> Scenario {
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
            say(120_000, "C lies: it tells the others that A said retreat."),
            say_if(Shown::WithoutFix, 330_000, "B heard \"attack\" from A and \"retreat\" from C: one \
                    each. From where B stands, a traitorous commander would look exactly the same. \
                    On a tie it retreats, and disobeys its loyal commander."),
            say_if(Shown::WithFix, 330_000, "B heard \"attack\" from A and from D, \"retreat\" only \
                    from C: two to one. Every loyal general attacks. With 3f + 1 generals, f traitors \
                    are outvoted."),
        ],
        prediction: Prediction {
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
    }
}

fn truetime_commit_wait() -> Scenario {
    let clock = |offset_us| ClockConfig { offset_us, drift_ppm: 0, uncertainty_us: 10_000 };
    Scenario {
        id: "truetime-commit-wait".to_string(),
        title: "Clock uncertainty: TrueTime and commit wait".to_string(),
        lesson: "Transaction 2 starts after transaction 1 has committed, on another node whose \
                 clock is behind, and gets an earlier timestamp: a snapshot can show the later \
                 transaction without the earlier one."
            .to_string(),
        shows: Some(FindingKind::OrderingViolation),
        fix_cost: None,
        config: SimConfig {
            nodes: 2,
            seed: 12,
            link: LinkConfig { latency_us: 1_000, jitter_us: 0, loss: 0.0, duplication: 0.0 },
            clocks: vec![clock(8_000), clock(-8_000)],
        },
        model: ModelSpec::TrueTime {
            params: TrueTime { commit_wait: false },
            fixed: TrueTime { commit_wait: true },
            script: vec![at(100_000, Command::Client {
                node: A,
                op: truetime::ClientOp::Commit { txn: 1, then: Some(B) },
            })],
        },
        duration_us: 300_000,
        key_moment_us: 101_000,
        narration: vec![
            say(0, "Two database nodes. A's clock is 8 ms fast, B's 8 ms slow. Each knows its clock \
                    is within 10 ms of the truth: its uncertainty, ε."),
            say(100_000, "A client commits transaction 1 on A, waits for the acknowledgement, then \
                          commits transaction 2 on B."),
            say_if(Shown::WithoutFix, 101_000, "Each node stamps its commit with its own clock: \
                    T1 gets 108 ms, T2 (which started later) gets 93 ms. A snapshot at 100 ms shows \
                    T2 but not T1, although T1 came first."),
            say_if(Shown::WithFix, 100_000, "A stamps T1 with the latest time it could be (118 ms), \
                    then waits until even its earliest reading is past that stamp before \
                    acknowledging: about 2ε, 20 ms."),
            say_if(Shown::WithFix, 121_000, "By then true time has certainly passed 118 ms, so T2, \
                    stamped with the latest time B could be, gets a larger stamp (123 ms). Commit \
                    order and timestamp order agree."),
        ],
        prediction: Prediction {
            question: "T2 starts only after T1 is acknowledged, but B's clock is 16 ms behind A's. \
                       Which transaction gets the larger timestamp?"
                .to_string(),
            choices: vec![
                "T2, because it came later".to_string(),
                "T1, because A's clock is ahead".to_string(),
                "They get the same one".to_string(),
            ],
            answer: 1,
            explanation: "The gap between the two commits (about 1 ms) is smaller than the skew \
                          between the clocks (16 ms), so the stamps come out the wrong way round."
                .to_string(),
        },
        fix: Fix {
            label: "TrueTime commit wait".to_string(),
            explanation: "Use the clock's uncertainty interval: stamp a commit with the latest \
                          possible time, and do not acknowledge it until the earliest possible time \
                          has passed that stamp."
                .to_string(),
            cost: "Every commit waits about twice the clock uncertainty (here 20 ms).".to_string(),
        },
        fix_enabled: false,
    }
}

fn sandbox() -> Scenario {
    // Steady random client traffic: a write every 100 ms through a random node.
    let mut rng = SimRng::new(15);
    let script = (0..50u32)
        .map(|k| {
            let node = NodeId(rng.below(5) as u8);
            at(100_000 + u64::from(k) * 100_000, Command::Client { node, op: ClientOp::Write { value: k } })
        })
        .collect();
    Scenario {
        id: "sandbox".to_string(),
        title: "Sandbox: a five-node cluster to break yourself".to_string(),
        lesson: "A healthy cluster electing a leader and serving steady client writes. Cut links, \
                 pause and crash nodes, skew their clocks, and watch what the detectors find."
            .to_string(),
        shows: None,
        fix_cost: None,
        config: SimConfig { nodes: 5, seed: 15, ..SimConfig::default() },
        model: ModelSpec::Election { params: Election::default(), script },
        duration_us: 5_000_000,
        key_moment_us: 0,
        narration: vec![
            say(0, "Five nodes elect a leader with heartbeats; clients write through random nodes \
                    every 100 ms. Nothing is broken yet: that is up to you."),
            say_if(Shown::WithoutFix, 0, "Leaders are elected by timeout alone. Try splitting the \
                    network in two."),
            say_if(Shown::WithFix, 0, "Leaders need a majority. Try splitting the network in two, \
                    or pausing the leader."),
        ],
        prediction: Prediction {
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
    }
}
