//! Replicated data: last-write-wins and double bookings.

use super::prelude::*;

pub(super) fn put(
    at_us: Micros,
    node: NodeId,
    key: u8,
    value: u32,
) -> Scheduled<register::ClientOp> {
    at(
        at_us,
        Command::Client {
            node,
            op: register::ClientOp::Put { key, value },
        },
    )
}

pub(super) fn book(
    at_us: Micros,
    node: NodeId,
    seat: u8,
    passenger: u32,
) -> Scheduled<register::ClientOp> {
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
pub(super) fn replicas(seed: u64, clocks: Vec<ClockConfig>) -> SimConfig {
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
        links: Vec::new(),
    }
}

pub(super) fn lww_clock_skew() -> Scenario {
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
            say(60_000, "A note on the source: one write-up lists the slow-clock write first and the \
                         fast-clock write second. In that order the fast-clock write really is the \
                         later one, and keeping it is right. Data is lost only when the later write \
                         carries the smaller timestamp, as here."),
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
        view: View::default(),
        explains: Vec::new(),
    }
}

const SEAT_12A: u8 = 12;
const SEAT_14C: u8 = 14;
const ALICE: u32 = 1;
const BOB: u32 = 2;
const CAROL: u32 = 3;

/// The seats and passengers by name.
fn seats() -> register::Vocabulary {
    register::Vocabulary {
        keys: vec![(SEAT_12A, "12A".to_string()), (SEAT_14C, "14C".to_string())],
        values: vec![
            (ALICE, "Alice".to_string()),
            (BOB, "Bob".to_string()),
            (CAROL, "Carol".to_string()),
        ],
    }
}

pub(super) fn seat_double_booked() -> Scenario {
    Scenario {
        id: "seat-12a".to_string(),
        title: "Seat 12A, sold twice".to_string(),
        lesson: "Replicas in the US, Europe and Asia each accept bookings on their own. When the \
                 US and Europe cannot talk, two passengers are told seat 12A is theirs, and when the \
                 replicas reconcile one booking silently wins."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: Some(FindingKind::LivenessStall),
        config: replicas(12, Vec::new()),
        model: ModelSpec::Register {
            params: Register { vocabulary: seats(), ..Register::default() },
            fixed: Register { quorum_writes: true, vocabulary: seats(), ..Register::default() },
            script: vec![
                at(100_000, Command::CutBoth { a: A, b: B }),
                book(200_000, A, SEAT_12A, ALICE),
                book(250_000, B, SEAT_12A, BOB),
                at(500_000, Command::CutBoth { a: A, b: C }),
                book(600_000, A, SEAT_14C, CAROL),
                at(1_200_000, Command::HealAll),
            ],
        },
        duration_us: 1_700_000,
        key_moment_us: 250_000,
        narration: vec![
            say(0, "Three replicas of an airline's bookings: A in the US, B in Europe, C in Asia. A \
                    booking checks that the seat is free on its replica, then writes."),
            say(100_000, "The link between the US and Europe fails. Asia can still reach both."),
            say(200_000, "Alice books 12A in the US. The US replica passes the booking on to Asia; \
                          the link to Europe is down, so Europe does not hear of it."),
            say_if(Shown::WithoutFix, 250_000, "Bob books 12A in Europe. Europe's replica has not \
                    heard of Alice's booking, sees a free seat, and confirms at once."),
            say_if(Shown::WithFix, 260_000, "Bob books 12A in Europe. Europe sees a free seat, but \
                    a booking needs a majority: Asia already holds Alice's booking and refuses, so \
                    Bob is told the seat is taken."),
            say_if(Shown::WithoutFix, 255_000, "Asia receives both bookings for 12A and keeps the \
                    one with the later timestamp, Bob's: Alice's confirmed booking is already gone \
                    there."),
            say_if(Shown::WithoutFix, 342_000, "Anti-entropy carries Asia's copy to the US, and \
                    the US replica too keeps Bob's booking (the later timestamp) and drops Alice's. \
                    Every replica now says 12A is Bob's; Alice still holds a confirmation."),
            say(500_000, "Now the US is cut off from Asia too: it is alone."),
            say_if(Shown::WithoutFix, 600_000, "Carol books 14C in the US and is confirmed at once: \
                    the replicas stay available whatever the network does."),
            say_if(Shown::WithFix, 600_000, "Carol books 14C in the US. With no majority in reach, \
                    the US cannot confirm it, and waits."),
            say_if(Shown::WithFix, 1_100_000, "After 500 ms without a majority the US gives up and \
                    refuses Carol's booking: this is the availability a consistent system gives up."),
            say(1_200_000, "The network heals."),
            say_if(Shown::WithoutFix, 1_440_000, "Anti-entropy brings Carol's 14C to Europe and \
                    Asia. The replicas agree on everything, and 12A is Bob's: Alice holds a \
                    confirmation for a seat that is no longer hers, and nobody told her."),
            say_if(Shown::WithFix, 1_200_000, "Nothing needs reconciling: every confirmed booking \
                    reached a majority. Alice has 12A, and Bob and Carol were told the truth."),
        ],
        prediction: Prediction {
            question: "Europe cannot hear from the US. Alice booked 12A in the US; now Bob books 12A \
                       in Europe. What happens?"
                .to_string(),
            choices: vec![
                "Bob's booking is refused: the seat is taken".to_string(),
                "Both are confirmed, and the conflict surfaces later".to_string(),
                "Both are refused until the network heals".to_string(),
            ],
            answer: 1,
            explanation: "Europe checks only its own, stale replica. Accepting writes locally keeps \
                          it available, and lets conflicting writes through."
                .to_string(),
        },
        fix: Fix {
            label: "Refuse writes without a majority (CP)".to_string(),
            explanation: "A booking is confirmed only once a majority of replicas accepts it, and a \
                          replica refuses a booking for a seat it knows is taken. Any two majorities \
                          share a replica, so the conflict is always seen."
                .to_string(),
            cost: "A replica that cannot reach a majority cannot take bookings at all: Carol is \
                   turned away while the US is cut off."
                .to_string(),
        },
        fix_enabled: false,
        view: View {
            names: vec!["US".to_string(), "Europe".to_string(), "Asia".to_string()],
            frame: Some((195_000, 295_000)),
            ..View::default()
        },
        explains: Vec::new(),
    }
}

pub(super) fn siblings_kept() -> Scenario {
    let read = |at_us, node| {
        at(
            at_us,
            Command::Client {
                node,
                op: register::ClientOp::Read { key: CART },
            },
        )
    };
    let vocabulary = register::Vocabulary {
        keys: vec![(CART, "cart".to_string())],
        values: vec![
            (MILK, "milk".to_string()),
            (EGGS, "eggs".to_string()),
            (BOTH, "milk and eggs".to_string()),
        ],
    };
    let params = Register {
        vocabulary,
        ..Register::default()
    };
    let fixed = Register {
        resolution: Resolution::VersionVectors,
        ..params.clone()
    };
    Scenario {
        id: "siblings-kept".to_string(),
        title: "Siblings: concurrent writes to a cart, both kept".to_string(),
        lesson: "Clients write the same key at the same moment on different replicas. Last write \
                 wins keeps the later and silently drops the other; version vectors see that \
                 neither write knew of the other and keep both as siblings, until a client \
                 merges them."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: Some(FindingKind::ConcurrentWrites),
        config: replicas(5, Vec::new()),
        model: ModelSpec::Register {
            params,
            fixed,
            script: vec![
                put(10_000, B, CART, MILK),
                put(12_000, C, CART, EGGS),
                read(40_000, A),
                put(60_000, A, CART, BOTH),
                read(90_000, B),
            ],
        },
        duration_us: 120_000,
        key_moment_us: 14_000,
        narration: vec![
            say(
                0,
                "Three replicas of a shopping cart, with every clock right. A client adds milk \
                    through B; a moment later another adds eggs through C, before either write \
                    has reached the other replica.",
            ),
            say_if(
                Shown::WithoutFix,
                20_000,
                "The writes meet. Last write wins keeps eggs, \
                    stamped later, and silently throws milk away, though B's client was told its \
                    write succeeded.",
            ),
            say_if(
                Shown::WithFix,
                20_000,
                "The writes meet. Neither version vector has seen the \
                    other's write: they are concurrent, so every replica keeps both, as \
                    siblings.",
            ),
            say_if(
                Shown::WithoutFix,
                40_000,
                "A read through A finds only eggs.",
            ),
            say_if(
                Shown::WithFix,
                40_000,
                "A read through A returns both siblings, milk and \
                    eggs: the application must decide what the cart holds.",
            ),
            say_if(
                Shown::WithoutFix,
                60_000,
                "The user sees milk missing and adds it again, \
                    through A.",
            ),
            say_if(
                Shown::WithFix,
                60_000,
                "The client merges: it writes milk and eggs through \
                    A, whose version has seen both siblings, so it supersedes them.",
            ),
            say(
                90_000,
                "A read through B now finds a single value: milk and eggs.",
            ),
        ],
        prediction: Prediction {
            question: "Milk is added through B and eggs through C at nearly the same moment. \
                       What does a read of the cart through A return?"
                .to_string(),
            choices: vec![
                "Milk and eggs, merged".to_string(),
                "Only eggs: the later write wins, and milk is gone".to_string(),
                "An error: the writes conflict".to_string(),
            ],
            answer: 1,
            explanation: "Last write wins keeps whichever value has the later timestamp and \
                          drops the other without a word, even with perfect clocks."
                .to_string(),
        },
        fix: Fix {
            label: "Version vectors and siblings".to_string(),
            explanation: "Each value carries a version vector. A value that saw another \
                          supersedes it; values that did not see each other are both kept, and \
                          a read returns them all until a write that has seen them replaces \
                          them."
                .to_string(),
            cost: "The application, or the user, has to merge siblings: the store will not \
                   guess what the cart should hold."
                .to_string(),
        },
        fix_enabled: false,
        view: View::default(),
        explains: explains(
            FindingKind::AckedWriteLost,
            "A client was told its write succeeded, and the write is gone: last write wins \
             keeps the value with the later timestamp and throws a concurrent write away, even \
             when every clock is right.",
        ),
    }
}

/// The cart of `siblings-kept`, and what goes into it.
const CART: u8 = 0;
const MILK: u32 = 1;
const EGGS: u32 = 2;
const BOTH: u32 = 3;
