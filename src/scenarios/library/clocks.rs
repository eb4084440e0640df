//! Clocks: NTP steps, wall-clock ordering, and TrueTime.

use super::prelude::*;

/// 10:00:00.000 on a wall clock, in µs since midnight.
pub(super) const TEN_AM_US: i64 = 36_000_000_000;

pub(super) fn wall_clock_log_order() -> Scenario {
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
            links: Vec::new(),
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
            say_if(Shown::WithoutFix, 200_000, "A logs that the job is finished, at 10:00:01.200 \
                    on its clock. To see the merged log, choose \u{201c}Each node's clock\u{201d} in \
                    the timeline's axis menu: each event sits at the time its own machine's clock \
                    gave it, so reading down is reading the log sorted by timestamp. B's entry is \
                    at the top, and A's message to B runs upwards, back in time."),
            say_if(Shown::WithFix, 200_000, "A logs that the job is finished. To see the log \
                    merged by Lamport timestamp, choose \u{201c}Lamport time\u{201d} in the \
                    timeline's axis menu: A's entry comes first, then B's, then A's last one, and \
                    every message runs downwards. \u{201c}Each node's clock\u{201d} shows the same \
                    run in the wall-clock order the fix replaces."),
            say(200_000, "A note on the source: one write-up puts the fast clock on the later write \
                          (B at 10:00:01.100, A at 10:00:00.000). Sorted, that log comes out in the \
                          right order. It takes the earlier event on the faster clock, as here, to \
                          invert it."),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(B, "logs")],
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
        fix_prediction: Some(Prediction {
            question: "A's clock is a second fast. A logs, then sends B a message carrying its Lamport \
                counter, and B logs when it arrives. Merged by Lamport timestamp, whose entry comes \
                first?"
                .to_string(),
            choices: vec![
                "B's: its clock reading is earlier".to_string(),
                "A's: B's Lamport timestamp is larger, because B saw A's message".to_string(),
                "Neither for sure: Lamport timestamps from different machines cannot be compared".to_string(),
            ],
            answer: 1,
            explanation: "Before it logs, B sets its counter past the one A's message carried, so its entry's \
                Lamport timestamp is larger than A's. Sorted that way, a cause always comes before \
                its effect, whatever the clocks say."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(B), says: "receives “do job 0".to_string() },
                Reveal { node: Some(B), says: "Lamport 3".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Clocks” › “Relying on Synchronized Clocks” › “Timestamps \
            for ordering events”".to_string(),
        view: View::default(),
        explains: explains(
            FindingKind::OrderingViolation,
            "The merged log puts an effect before its cause. It was sorted by wall-clock timestamps, and \
             the first machine's clock is ahead: timestamps from different machines' clocks say \
             nothing about which event caused which. Lamport timestamps (or vector clocks) always \
             order a cause before its effects.",
        ),
    }
}

pub(super) fn ntp_step_back() -> Scenario {
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
            // A's clock starts a second fast: what NTP then corrects by stepping it back.
            clocks: vec![ClockConfig {
                offset_us: 1_000_000,
                ..ClockConfig::default()
            }],
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
            say(
                900_000,
                "This happened for real at Cloudflare on 1 January 2017. At a leap second the \
                 Linux kernel steps the clock back a second, as NTP does here (some time \
                 servers instead smear the extra second over many hours, so that no step is \
                 seen). Time read backwards, a duration computed from two wall-clock readings came out \
                 negative, and their DNS software failed for some lookups of some customers: \
                 harm, but not the global outage one write-up calls it. The same write-up \
                 blames GitHub's 2012 outage on a clock jump; GitHub's own account describes a \
                 database failover gone wrong.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(A, "measured")],
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
        fix_prediction: Some(Prediction {
            question: "A now times its operations with its monotonic clock. NTP has just stepped A's wall \
                clock back 1 s, in the middle of a 300 ms operation. What duration will A measure?"
                .to_string(),
            choices: vec![
                "300 ms: NTP never steps the monotonic clock".to_string(),
                "300 ms less the 1 s step: a negative duration".to_string(),
                "300 ms plus the 1 s step".to_string(),
            ],
            answer: 0,
            explanation: "A monotonic clock only moves forward: NTP may nudge its rate, but never makes it \
                jump. The step moves the time of day only, so end minus start on the monotonic clock \
                is the operation's real length."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(A), says: "the operation ends".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Clocks” › “Monotonic Versus Time-of-Day Clocks”".to_string(),
        view: View {
            frame: Some((50_000, 450_000)),
            ..View::default()
        },
        explains: explains(
            FindingKind::OrderingViolation,
            "Time ran backwards for the measurement: NTP stepped the wall clock back while an operation \
             was being timed, so end minus start came out negative. Durations must be measured on \
             the monotonic clock, which NTP never steps.",
        ),
    }
}

pub(super) fn truetime_commit_wait() -> Scenario {
    let clock = |offset_us| ClockConfig {
        offset_us,
        drift_ppm: 0,
        // A 7 ms uncertainty window (±3.5 ms), as in the source's TrueTime example.
        uncertainty_us: 3_500,
    };
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
            clocks: vec![clock(3_000), clock(-3_000)],
            links: Vec::new(),
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
            say(0, "Two database nodes. A's clock is 3 ms fast, B's 3 ms slow. Each knows its clock \
                    is within 3.5 ms of the truth: TrueTime gives it an interval 7 ms wide."),
            say(100_000, "A client commits transaction 1 on A, waits for the acknowledgement, then \
                          commits transaction 2 on B."),
            say_if(Shown::WithoutFix, 101_000, "Each node stamps its commit with its own clock: \
                    T1 gets 103 ms, T2 (which started later) gets 98 ms. A snapshot at 100 ms shows \
                    T2 but not T1, although T1 came first."),
            say_if(Shown::WithFix, 100_000, "A stamps T1 with the latest time it could be \
                    (106.5 ms), then waits until even its earliest reading is past that stamp before \
                    acknowledging: the width of the interval, 7 ms."),
            say_if(Shown::WithFix, 108_000, "By then true time has certainly passed 106.5 ms, so \
                    T2, stamped with the latest time B could be, gets a larger stamp (108.5 ms). \
                    Commit order and timestamp order agree."),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(B, "transaction 2 committed")],
            question: "T2 starts only after T1 is acknowledged, but B's clock is 6 ms behind A's. \
                       Which transaction gets the larger timestamp?"
                .to_string(),
            choices: vec![
                "T2, because it came later".to_string(),
                "T1, because A's clock is ahead".to_string(),
                "They get the same one".to_string(),
            ],
            answer: 1,
            explanation: "The gap between the two commits (about 1 ms) is smaller than the skew \
                          between the clocks (6 ms), so the stamps come out the wrong way round."
                .to_string(),
        },
        fix: Fix {
            label: "TrueTime commit wait".to_string(),
            explanation: "Use the clock's uncertainty interval: stamp a commit with the latest \
                          possible time, and do not acknowledge it until the earliest possible time \
                          has passed that stamp."
                .to_string(),
            cost: "Every commit waits out the clock's uncertainty (here 7 ms).".to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "A stamped T1 with the latest time it could be, and waited out its clock's \
                uncertainty before acknowledging. Now T2 begins on B, whose clock is 6 ms behind \
                A's. Which transaction gets the larger timestamp?"
                .to_string(),
            choices: vec![
                "T1: B's clock is still behind A's".to_string(),
                "They tie: the wait only delays the acknowledgement".to_string(),
                "T2: the wait let true time pass T1's stamp".to_string(),
            ],
            answer: 2,
            explanation: "By the time T1 was acknowledged, true time had certainly passed T1's stamp. T2 began \
                after that, and B stamps it with the latest time it could be, so T2's stamp is \
                larger, whatever B's clock reads: commit order and timestamp order agree."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(B), says: "receives “begin transaction 2".to_string() },
                Reveal { node: Some(B), says: "transaction 2 stamped".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Clocks” › “Relying on Synchronized Clocks” › \
            “Synchronized clocks for global snapshots”".to_string(),
        view: View::default(),
        explains: explains(
            FindingKind::OrderingViolation,
            "Timestamps contradict the order things happened in: a transaction that began after another \
             had committed got the earlier timestamp, because the two nodes' clocks disagree by \
             more than the time between the commits. Commit wait (waiting out the clock's \
             uncertainty before acknowledging) makes timestamp order match real order.",
        ),
    }
}
