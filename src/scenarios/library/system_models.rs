//! System models: what a node may forget (crash-stop against crash-recovery), and what the
//! network promises about delay (synchronous, partially synchronous, asynchronous).

use super::leadership::writes;
use super::prelude::*;
use crate::models::election::Disk;

/// How long the disk takes to sync a term and vote, with the fix on.
pub(super) const FSYNC_US: Micros = 10_000;

pub(super) fn crash_amnesia() -> Scenario {
    let mut script = vec![];
    // Two sites that cannot reach each other, and C, in a third, that reaches both.
    for (a, b) in [(A, D), (A, E), (B, D), (B, E)] {
        script.push(at(0, Command::CutBoth { a, b }));
    }
    script.push(at(CUT_US, Command::CrashLosingUnsynced { node: C }));
    script.push(at(BACK_US, Command::Restart { node: C }));
    script.extend(writes(A, WRITES_US, DURATION_US, 400_000, 100));
    script.extend(writes(E, WRITES_US + 10_000, DURATION_US, 400_000, 200));
    let params = Election {
        quorum: true,
        election_timeout_us: 1_000_000,
        disk: Disk::Cached,
        leaderless_start: true,
        ..Election::default()
    };
    let fixed = Election {
        disk: Disk::SyncBeforeVoting { fsync_us: FSYNC_US },
        ..params.clone()
    };
    Scenario {
        id: "crash-amnesia".to_string(),
        title: "Crash amnesia: a vote forgotten, two leaders in one term".to_string(),
        lesson: "A node that recovers from a crash remembers only what reached its disk. A vote \
                 still in the operating system's cache is lost with the power, and the node \
                 votes again in the same term: two majorities, two leaders."
            .to_string(),
        shows: Some(FindingKind::TwoLeadersInOneTerm),
        fix_cost: Some(FindingKind::LivenessStall),
        config: SimConfig {
            nodes: 5,
            seed: SEED,
            ..SimConfig::default()
        },
        model: ModelSpec::Election {
            params,
            fixed: Some(fixed),
            script,
        },
        duration_us: DURATION_US,
        // D's request is on its way to C, which has just booted.
        key_moment_us: 1_640_000,
        narration: vec![
            say(
                0,
                "Five nodes have just started, and nobody leads yet. The network between two \
                    sites is down: A and B on one side, D and E on the other. C, in a third \
                    site, reaches everyone. A candidate needs three votes of five, and a node \
                    votes at most once in a term. A node's term and vote go to its disk, but the \
                    operating system first keeps each write in its cache.",
            ),
            say_if(
                Shown::WithoutFix,
                1_130_000,
                "B's election timeout runs out first. It asks \
                    for votes in term 2: A and C say yes, while D and E never hear it. With its \
                    own, B has three votes of five, and it leads term 2.",
            ),
            say_if(
                Shown::WithFix,
                1_150_000,
                "B's election timeout runs out first. Before it \
                    asks for votes it syncs its term and vote to disk, and A and C each sync \
                    before they say yes: 10 ms per sync. B leads term 2 at 1.145 s, 20 ms later \
                    than without the syncs.",
            ),
            say_if(
                Shown::WithoutFix,
                1_500_000,
                "C loses power. Its vote for B was written, but \
                    it was still in the operating system's cache, not yet synced to disk: the \
                    power cut takes it back. (Select C in the topology a moment before: its disk \
                    says it voted for B, but what a power cut would leave says it never voted.)",
            ),
            say_if(
                Shown::WithFix,
                1_500_000,
                "C loses power. It synced its vote for B before \
                    it replied, so the power cut takes back nothing it promised.",
            ),
            say_if(
                Shown::WithoutFix,
                1_630_000,
                "C boots again. Its disk says term 1 and no \
                    vote: as far as C knows, it never voted in term 2.",
            ),
            say_if(
                Shown::WithFix,
                1_630_000,
                "C boots again, with term 2 and its vote for B \
                    on disk.",
            ),
            say_if(
                Shown::WithoutFix,
                1_680_000,
                "D, which never heard from B, times out and \
                    asks for votes in term 2. C, with no vote on record, says yes, and so does \
                    E. D has three votes of five and leads term 2 too: C voted twice in one \
                    term.",
            ),
            say_if(
                Shown::WithFix,
                1_700_000,
                "D times out and asks for votes in term 2. C \
                    says no: its disk remembers its vote for B. With E's vote D has two of \
                    five, not enough. B stays the only leader.",
            ),
            say_if(
                Shown::WithoutFix,
                1_990_000,
                "Two leaders in term 2, each with a majority \
                    behind it, and C acknowledges both. Both accept writes: B those through A, \
                    D those through E. Two majorities always share a node, but that only helps \
                    if the shared node remembers its vote.",
            ),
            say_if(
                Shown::WithFix,
                1_920_000,
                "Writes through E are refused: D's side is a \
                    minority and cannot elect a leader. That is the majority rule working, not \
                    the disk.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(C, "vote yes, term 2” to D")],
            question: "C has just booted again. D asks it for a vote in term 2, the term in \
                       which C voted for B before the power cut. What does C answer?"
                .to_string(),
            choices: vec![
                "No: it already voted for B in term 2".to_string(),
                "Yes: it has no vote on record for term 2".to_string(),
                "Nothing: it follows B, so it ignores D".to_string(),
            ],
            answer: 1,
            explanation: "C's vote for B reached the cache but not the disk, and the power cut \
                          took it back. C's disk says it has not voted in term 2, so it votes \
                          for D."
                .to_string(),
        },
        fix: Fix {
            label: "Sync the vote before replying".to_string(),
            explanation: "A node syncs its term and vote to disk (fsync) before any vote or \
                          vote request leaves it, and each write it stores before acknowledging \
                          it, as Raft requires. After a power cut it still knows whom it voted \
                          for, and keeps every write it promised to keep."
                .to_string(),
            cost: format!(
                "A disk write per vote and per stored write: every vote, vote request and \
                 acknowledgement of a write waits {} ms for the sync, so elections and writes \
                 take longer. And D's side, a minority, now elects nobody: writes through E are \
                 refused.",
                FSYNC_US / 1_000
            ),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "C synced its vote for B in term 2 to disk before replying, then lost power, and has \
                just booted again. D asks it for a vote in term 2. What does C answer?"
                .to_string(),
            choices: vec![
                "Yes: a node that lost power starts afresh".to_string(),
                "No: its disk remembers its vote for B in term 2".to_string(),
                "Nothing: it must hear from a leader before it may vote".to_string(),
            ],
            answer: 1,
            explanation: "C's vote reached the disk before C told B yes, so the power cut took back nothing it \
                promised. A node votes at most once in a term, and C already has: it refuses D, and \
                D, with only its own and E's votes, cannot lead."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(C), says: "receives “vote for me? term 2” from D".to_string() },
                Reveal { node: Some(C), says: "vote no, term 2".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Knowledge, Truth, and Lies” › “System Model and Reality”".to_string(),
        explains: explains(
            FindingKind::SplitBrain,
            "Two nodes act as leader at the same time, and each was elected by a majority: B \
             by A, B and C, D by C, D and E. Two majorities of five always share a node, here \
             C, and that stops a second leader only if C votes once per term. The power cut \
             took back C's first vote, so it voted again.",
        ),
        view: View {
            quiet: vec!["heartbeat".to_string(), "heartbeat ack".to_string()],
            frame: Some((1_000_000, 2_050_000)),
            ..View::default()
        },
    }
}

const SEED: u64 = 4;
const CUT_US: Micros = 1_500_000;
const BACK_US: Micros = 1_630_000;
const WRITES_US: Micros = 1_900_000;
const DURATION_US: Micros = 4_000_000;

/// The bounded-delay story's network: every message takes exactly this long, unless it waits.
const DELAY_US: Micros = 10_000;
/// What the timeout allows on top of the longest silence a live node can cause (the heartbeat
/// period plus one crossing of the network). Nodes here act on a message the instant it arrives:
/// the model has no processing time (DDIA's r) and, in this story, no pauses.
const MARGIN_US: Micros = 15_000;
const PERIOD_US: Micros = 100_000;
/// When outside traffic floods B's link, and how much of it there is.
const FLOOD_AT_US: Micros = 1_000_000;
const FLOOD_US: Micros = 300_000;
/// The share of each link the fix reserves for heartbeats.
const CIRCUIT_SHARE: f64 = 0.2;

pub(super) fn bounded_delay() -> Scenario {
    let params = Heartbeats {
        period_us: PERIOD_US,
        detector: Detector::FixedTimeout {
            timeout_us: PERIOD_US + DELAY_US + MARGIN_US,
        },
        ..Heartbeats::default()
    };
    let fixed = Heartbeats {
        circuit_share: CIRCUIT_SHARE,
        ..params.clone()
    };
    Scenario {
        id: "bounded-delay".to_string(),
        title: "Bounded delay: a shared link against a reserved circuit".to_string(),
        lesson: "A heartbeat crosses the network once, so a live node falls silent for at most \
                 its heartbeat interval plus d, the longest a message can take; a timeout longer \
                 than that is safe only if no message ever takes longer than d. On a \
                 packet-switched link shared with bursty traffic, messages wait in queues with no \
                 upper bound, and the timeout declares healthy nodes dead. On a circuit with \
                 reserved capacity the delay is fixed, and the same timeout holds, as long as the \
                 nodes themselves never pause."
            .to_string(),
        shows: Some(FindingKind::FalseSuspicion),
        fix_cost: None,
        config: SimConfig {
            nodes: 3,
            seed: 2,
            link: LinkConfig {
                latency_us: DELAY_US,
                jitter_us: 0,
                loss: 0.0,
                duplication: 0.0,
            },
            clocks: Vec::new(),
            links: Vec::new(),
        },
        model: ModelSpec::Heartbeats {
            params,
            fixed,
            script: vec![at(
                FLOOD_AT_US,
                Command::Flood {
                    node: B,
                    duration_us: FLOOD_US,
                },
            )],
        },
        duration_us: 2_000_000,
        key_moment_us: 1_040_000,
        narration: vec![
            say(
                0,
                "Three nodes send each other a heartbeat every 100 ms, and every message takes \
                 d = 10 ms. A heartbeat only crosses the network once, so heartbeats from a live \
                 node arrive at most 100 ms + d = 110 ms apart. Each node declares a peer dead \
                 after 125 ms of silence: that bound plus a 15 ms margin. (DDIA's 2d + r is the \
                 bound for a request and its reply: two crossings, plus the time r the receiver \
                 takes to handle it. Nodes here handle a message the instant it arrives.)",
            ),
            say_if(
                Shown::WithoutFix,
                0,
                "The links are packet-switched, like Ethernet and IP: B's link carries the \
                 cluster's messages and everyone else's, and a message waits in a queue behind \
                 whatever arrived before it.",
            ),
            say_if(
                Shown::WithFix,
                0,
                "The heartbeats travel on a circuit, like a telephone call: a fifth of every \
                 link is reserved for them, used or not, and no other traffic can queue in \
                 front of them.",
            ),
            say(
                FLOOD_AT_US,
                "A burst of traffic from outside the cluster (a backup, another tenant) \
                 floods the link into B: 300 ms of transmission.",
            ),
            say_if(
                Shown::WithoutFix,
                1_040_000,
                "A's and C's heartbeats to B wait behind the burst. After 125 ms of silence B \
                 declares them dead; they are running, and their messages are in a queue.",
            ),
            say_if(
                Shown::WithoutFix,
                1_300_000,
                "The burst has passed, and the waiting heartbeats arrive together, the oldest \
                 300 ms after it was sent. d was never a bound, only a usual delay. That is the asynchronous model: no \
                 bound on delay at all. Real networks are partially synchronous: they keep to a \
                 bound most of the time, as this one did until 1 s, and break it without \
                 warning.",
            ),
            say_if(
                Shown::WithFix,
                1_110_000,
                "The heartbeats arrive 10 ms after they are sent, as always: the burst cannot \
                 get in front of them. Nobody is suspected. This is the synchronous model: \
                 delay has a known bound, and a timeout above it is not fooled by the network. \
                 It can still be wrong about the nodes, which this model never pauses: a real \
                 node that stops for longer than 125 ms (a garbage collection, a suspended \
                 virtual machine) is declared dead while it is only paused, and a detector that \
                 pauses wakes to a long silence and suspects everyone.",
            ),
            say_if(
                Shown::WithFix,
                1_375_000,
                "The price: the burst could use only four fifths of B's link, so it took \
                 375 ms to pass instead of 300 ms, and the reserved fifth sat idle between \
                 heartbeats. That is why the internet shares links: better use of capacity, \
                 paid for with unbounded delay.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_by("declares")],
            question: "Heartbeats arrive every 100 ms, each 10 ms after it is sent, and the \
                       timeout is 125 ms. A 300 ms burst of other traffic floods the link into B. \
                       What does B conclude?"
                .to_string(),
            choices: vec![
                "Nothing: 125 ms covers any delay".to_string(),
                "That A and C are dead".to_string(),
                "That the link is congested".to_string(),
            ],
            answer: 1,
            explanation: "The timeout assumed a bound on delay that a shared link does not \
                          keep: queueing delay is unbounded, and a late heartbeat looks exactly \
                          like a dead node."
                .to_string(),
        },
        fix: Fix {
            label: "A reserved circuit".to_string(),
            explanation: "Part of every link is reserved for the heartbeats, as a telephone \
                          network reserves a fixed slot for each call (in DDIA's example, 64 kbit/s \
                          per call): they never queue behind other traffic, \
                          so their delay is fixed and the timeout's bound holds."
                .to_string(),
            cost: "The reserved capacity sits idle whenever the heartbeats do not use it, and \
                   bursts of other traffic are squeezed into what is left, so they take longer."
                .to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "Outside traffic floods the link into B for 300 ms, but the heartbeats travel on a \
                reserved circuit. When do A's and C's next heartbeats reach B?"
                .to_string(),
            choices: vec![
                "After the burst has passed, up to 300 ms late".to_string(),
                "Never: the burst crowds them out".to_string(),
                "On time, 10 ms after they are sent".to_string(),
            ],
            answer: 2,
            explanation: "The reserved part of the link carries nothing but heartbeats, so the burst cannot \
                queue in front of them: their delay stays fixed, and a timeout built on it is never \
                wrong. The burst pays instead, squeezed into the rest of the link."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(B), says: "“heartbeat 10” from".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Networks” › “Synchronous Versus Asynchronous Networks”".to_string(),
        view: View {
            frame: Some((800_000, 1_600_000)),
            ..View::default()
        },
        explains: explains(
            FindingKind::FalseSuspicion,
            "A node declared a peer dead because its heartbeats were late, not missing: they \
             were waiting in a queue behind a burst of other traffic. On a packet-switched \
             network queueing delay has no upper bound, so no timeout is ever certainly right.",
        ),
    }
}
