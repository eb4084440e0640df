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

pub(super) fn seat_double_booked() -> Scenario {
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
