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
            reveal: vec![answered_by("discards x = 2")],
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
        fix_prediction: Some(Prediction {
            question: "A client writes x = 2 through C after x = 1 has reached it, and C's clock is behind \
                A's. With version vectors, which value do the replicas keep?"
                .to_string(),
            choices: vec![
                "x = 2: its version vector shows it saw x = 1".to_string(),
                "x = 1: its timestamp is still the larger".to_string(),
                "Both, as siblings for the application to merge".to_string(),
            ],
            answer: 0,
            explanation: "C's x = 2 carries a version vector that includes A's write of x = 1, so every \
                replica can tell that x = 2 came after it and replaces it. The clocks are not \
                consulted at all."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(C), says: "write x = 2".to_string() },
                Reveal { node: None, says: "version A1 C1".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Clocks” › “Relying on Synchronized Clocks” › “Timestamps \
            for ordering events”".to_string(),
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
            reveal: vec![answered_on(B, "12A = Bob")],
            question: "Europe cannot hear from the US. Alice booked 12A in the US; now Bob books 12A \
                       in Europe. What happens?"
                .to_string(),
            choices: vec![
                "Bob's booking is refused: the seat is taken".to_string(),
                "Both are confirmed; later one booking silently replaces the other".to_string(),
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
        fix_prediction: Some(Prediction {
            question: "Europe still cannot hear from the US, where Alice booked 12A, and Europe's replica \
                has not heard of her booking. Now Bob books 12A in Europe. With a majority required, \
                what is Bob told?"
                .to_string(),
            choices: vec![
                "That 12A is his: Europe's replica sees it free".to_string(),
                "That 12A is taken: Asia, which has Alice's booking, refuses".to_string(),
                "To wait until the US and Europe can talk again".to_string(),
            ],
            answer: 1,
            explanation: "Bob's booking needs a majority: Europe and another replica. The only replica Europe \
                can reach is Asia, which already holds Alice's booking, so Asia refuses and Bob is \
                told the truth. Majorities always overlap, and here the replica they share knew."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(C), says: "12A is taken by Alice".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks” › “Network Faults in Practice”".to_string(),
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
            reveal: vec![answered_by("discards cart = milk")],
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
        fix_prediction: Some(Prediction {
            question: "Milk is added through B and eggs through C at nearly the same moment, before either \
                write reaches the other replica. With version vectors, what do the replicas keep \
                when the writes meet?"
                .to_string(),
            choices: vec![
                "Only eggs, the later write".to_string(),
                "Milk and eggs, merged into a single value".to_string(),
                "Both, as siblings: neither write saw the other".to_string(),
            ],
            answer: 2,
            explanation: "Neither version vector includes the other write, so neither supersedes the other: \
                they are concurrent. The store keeps both, and a read returns both, until a client \
                writes a value that has seen them."
                .to_string(),
            reveal: vec![
                Reveal { node: None, says: "keeps both".to_string() },
            ],
        }),
        source: "DDIA chapter 5, “Leaderless Replication” › “Detecting Concurrent Writes”".to_string(),
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

/// An hour, in µs: how far ahead C's clock starts.
const HOUR_US: i64 = 3_600_000_000;

pub(super) fn clock_from_the_future() -> Scenario {
    let clock = |offset_us| ClockConfig {
        offset_us,
        ..ClockConfig::default()
    };
    let clocks = vec![clock(2_000), clock(-3_000), clock(HOUR_US)];
    let read = |at_us, node| {
        at(
            at_us,
            Command::Client {
                node,
                op: register::ClientOp::Read { key: 0 },
            },
        )
    };
    let fixed = Register {
        clock_check: Some(register::ClockCheck {
            bound_us: 500_000,
            every_us: 500_000,
        }),
        ..Register::default()
    };
    Scenario {
        id: "clock-from-the-future".to_string(),
        title: "A clock an hour ahead wins every write".to_string(),
        lesson: "One replica's clock runs an hour ahead. Under last write wins, its writes carry \
                 timestamps from the future: every other write for the next hour loses to them, \
                 even after its clock is put right."
            .to_string(),
        shows: Some(FindingKind::AckedWriteLost),
        fix_cost: Some(FindingKind::LivenessStall),
        config: replicas(6, clocks),
        model: ModelSpec::Register {
            params: Register::default(),
            fixed,
            script: vec![
                put(100_000, C, 0, 1),
                put(300_000, A, 0, 2),
                put(500_000, B, 0, 3),
                at(
                    1_200_000,
                    Command::NtpStep {
                        node: C,
                        delta_us: -HOUR_US,
                    },
                ),
                put(1_600_000, C, 0, 4),
                read(2_000_000, A),
            ],
        },
        duration_us: 2_200_000,
        key_moment_us: 310_000,
        narration: in_time_order(vec![
            say(
                0,
                "Three replicas of a register x resolve conflicts by last write wins: the value \
                 with the later timestamp from its writer's clock is kept. A's and B's clocks \
                 are within a few milliseconds of true time. C took its time from a bad NTP \
                 server when it started: its clock is an hour ahead.",
            ),
            say_if(
                Shown::WithoutFix,
                100_000,
                "A client writes x = 1 through C. C stamps it with its clock: 3600.100 s, an \
                 hour in the future.",
            ),
            say_if(
                Shown::WithoutFix,
                310_000,
                "A client writes x = 2 through A, stamped 0.302 s. A acknowledges it, then \
                 discards it: x = 1's timestamp is larger. So do B and C. The later write is \
                 lost, and no one is told.",
            ),
            say_if(
                Shown::WithoutFix,
                510_000,
                "x = 3 through B goes the same way. Any write to x for the next hour will: \
                 C's timestamp beats them all.",
            ),
            say(
                1_200_000,
                "Someone notices C's clock and steps it back an hour. C's clock is right now.",
            ),
            say_if(
                Shown::WithoutFix,
                1_610_000,
                "Too late for x: C's own new write, x = 4, stamped 1.600 s, loses to the x = 1 \
                 it stamped an hour ahead. Putting a clock right does not take back the \
                 timestamps it gave out.",
            ),
            say_if(
                Shown::WithoutFix,
                2_000_000,
                "A read through A finds x = 1: three acknowledged writes have vanished.",
            ),
            say_if(
                Shown::WithFix,
                20_000,
                "Now every replica asks the others for the time, every 500 ms, and compares \
                 its clock with the middle of the three readings, so one bad clock is \
                 outvoted. C finds its own clock an hour from the middle, far beyond the \
                 500 ms allowed, and takes itself out of service.",
            ),
            say_if(
                Shown::WithFix,
                100_000,
                "C refuses the client's write of x = 1: better no answer than a timestamp from \
                 the future.",
            ),
            say_if(
                Shown::WithFix,
                510_000,
                "Writes through A and B succeed, and x = 3, written last, is kept everywhere.",
            ),
            say_if(
                Shown::WithFix,
                1_510_000,
                "At its next check C's clock agrees with the others: C is back in service.",
            ),
            say_if(
                Shown::WithFix,
                2_000_000,
                "x = 4 through C is kept, and a read through A finds it. The price: C served no \
                 one for 1.5 s, and its client's write was refused.",
            ),
            say(
                2_100_000,
                "The same wrong clock misjudges leases: a lease that expires at a time of day \
                 written by another node's clock looks, to C, long expired. And a careful NTP \
                 client refuses to step a clock by more than a limit (ntpd's panic threshold \
                 is 1000 s), which would have kept the bad server from setting C's clock in \
                 the first place.",
            ),
        ]),
        prediction: Prediction {
            reveal: vec![answered_by("discards x = 2")],
            question: "C's clock is an hour ahead. A client writes x = 1 through C, then, 200 ms \
                       later, x = 2 through A. Which value do the replicas keep?"
                .to_string(),
            choices: vec![
                "x = 2, the later write".to_string(),
                "x = 1, for the next hour".to_string(),
                "Both, as a conflict".to_string(),
            ],
            answer: 1,
            explanation: "Last write wins compares timestamps, not true times: a write stamped an \
                          hour ahead is \"later\" than anything written in the next hour."
                .to_string(),
        },
        fix: Fix {
            label: "Check clocks against several sources".to_string(),
            explanation: "Every replica compares its clock with the others' readings and takes \
                          the middle one, so a single bad clock is outvoted; a replica whose clock \
                          is further off than a bound (here 500 ms) stops serving until its clock \
                          agrees again, rather than stamp writes with a wrong time."
                .to_string(),
            cost: "The replica with the bad clock serves no one until its clock is fixed, and \
                   replicas keep exchanging clock readings."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "The replicas now compare clocks. C's clock reads an hour ahead, A's and B's are \
                within milliseconds of true time, and C has just received their readings. What does \
                C do?"
                .to_string(),
            choices: vec![
                "Takes itself out of service: its clock is far from the middle reading".to_string(),
                "Nothing: its clock is the fastest, so it keeps stamping writes".to_string(),
                "Steps its clock back to match the others and carries on serving".to_string(),
            ],
            answer: 0,
            explanation: "The middle reading is A's or B's, so a single bad clock is outvoted. C's clock is an \
                hour from it, far beyond the 500 ms allowed, so C stops serving, and refuses writes, \
                rather than stamp them with a time from the future."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(C), says: "out of service".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Clocks” › “Relying on Synchronized Clocks”".to_string(),
        view: View {
            quiet: vec!["anti-entropy sync".to_string()],
            frame: Some((0, 2_200_000)),
            ..View::default()
        },
        explains: [
            explains(
                FindingKind::AckedWriteLost,
                "A client was told its write succeeded, and last write wins threw it away: the \
                 value it lost to carried a timestamp from a clock running ahead. Until the \
                 clock that stamped it catches up with that timestamp, it beats every write.",
            ),
            explains(
                FindingKind::LivenessStall,
                "A write was refused at once, not after a wait: it went to C, which had found \
                 its own clock an hour from the middle of the replicas' readings and taken \
                 itself out of service, rather than stamp the write with a time from the \
                 future. Nothing was partitioned and no quorum was missing; this is the cost of \
                 checking clocks: a replica with a bad clock serves nobody.",
            ),
        ]
        .concat(),
    }
}

/// Narration lines in time order, whichever run shows them (a stable sort, so lines at one
/// moment keep their order).
fn in_time_order(mut lines: Vec<Narration>) -> Vec<Narration> {
    crate::sim::sort::sort_by_key(&mut lines, |line| line.at_us);
    lines
}
