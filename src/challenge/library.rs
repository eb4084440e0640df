//! The built-in challenges: at least one per topic of the course, each winnable (its par, found
//! by the hunt, replays to a win: `src/challenge/tests.rs`), and a few that ask to break a fix.

use super::Challenge;
use crate::detect::FindingKind as F;
use crate::hunt::FaultKind as K;
use crate::sim::Micros;

const S: Micros = 1_000_000;
const MS: Micros = 1_000;

#[allow(clippy::too_many_arguments)]
fn challenge(
    id: &str,
    scenario: &str,
    fix: bool,
    title: &str,
    goal: F,
    kinds: &[K],
    faults: u32,
    limit_us: Micros,
    hint: &str,
    teaches: &str,
) -> Challenge {
    Challenge {
        id: id.to_string(),
        title: title.to_string(),
        scenario: scenario.to_string(),
        fix,
        goal,
        kinds: kinds.to_vec(),
        faults,
        fault_time_us: None,
        limit_us,
        hint: hint.to_string(),
        teaches: teaches.to_string(),
        setting: false,
        assumption: String::new(),
    }
}

/// Every built-in challenge, in the course's order (the presets' teaching order).
pub fn builtin() -> Vec<Challenge> {
    let cuts = &[K::Partition, K::OneWayCut];
    let clocks = &[K::ClockSkew, K::ClockDrift, K::NtpStep];
    vec![
        challenge(
            "two-leaders",
            "split-brain",
            false,
            "Two leaders with at most two cuts",
            F::SplitBrain,
            cuts,
            2,
            3 * S,
            "Cut the leader off from the majority with a knife stroke, and give the others time \
             to elect one of their own.",
            "A leader cut off from the majority cannot tell it has been replaced: without a \
             quorum check, it goes on accepting writes beside the new leader.",
        ),
        Challenge {
            assumption: String::new(),
            ..challenge(
                "two-leaders-quorum",
                "split-brain",
                true,
                "Break the majority quorum with two cuts",
                F::SplitBrain,
                cuts,
                2,
                3 * S,
                "A leader must hear from a majority before it acknowledges a write. Can any two \
                 cuts get two leaders to accept writes at once?",
                "Two majorities of five always share a node, so no partition gives two leaders \
                 a quorum each: the fix holds, and the minority side is unavailable instead.",
            )
        },
        challenge(
            "false-suspicion",
            "timeouts",
            false,
            "Get a live node declared dead with one pause",
            F::FalseSuspicion,
            &[K::Pause],
            1,
            4_500 * MS,
            "A pause longer than the timeout looks exactly like a crash from outside.",
            "A timeout cannot tell a slow or paused node from a dead one: too short, and live \
             nodes are declared dead.",
        ),
        Challenge {
            assumption: "An adaptive timeout assumes a node that stays silent far longer than \
                         usual has crashed; a partition silences live nodes, and no timeout can \
                         tell the difference."
                .to_string(),
            ..challenge(
                "suspect-despite-phi",
                "timeouts",
                true,
                "Fool the adaptive timeout with one cut",
                F::FalseSuspicion,
                cuts,
                1,
                4_500 * MS,
                "The fix learns how late heartbeats usually are. What does it learn when they \
                 stop coming at all?",
                "No failure detector is perfect in an asynchronous network: a live node cut off \
                 is indistinguishable from a dead one.",
            )
        },
        challenge(
            "double-charge",
            "retry-double-charge",
            false,
            "Charge the card twice with one lost message",
            F::DuplicateEffect,
            &[K::Loss],
            1,
            600 * MS,
            "Lose the server's reply, not the request: the client retries a charge that was \
             already made.",
            "A lost reply and a lost request look the same to the client; retrying is only safe \
             when the server recognises the retry (an idempotency key).",
        ),
        challenge(
            "retry-storm",
            "retry-storm",
            false,
            "Start a retry storm with one stall",
            F::RetryStorm,
            &[K::Pause],
            1,
            4_500 * MS,
            "Stall the server for longer than the clients' timeout, and watch what their retries \
             do when it comes back.",
            "Clients that retry at once, all together, multiply the load on a server that is \
             already behind: a short stall becomes an outage. Backoff with jitter spreads them.",
        ),
        challenge(
            "seat-sold-twice",
            "seat-12a",
            false,
            "Sell seat 12A twice with one cut",
            F::AckedWriteLost,
            cuts,
            1,
            1_700 * MS,
            "Cut one region off while two customers book the same seat.",
            "Replicas that accept writes on both sides of a partition must later throw one away: \
             a booking each customer was told succeeded is lost.",
        ),
        challenge(
            "lose-a-write-by-clock",
            "lww-clock-skew",
            false,
            "Lose an acknowledged write using only clock faults",
            F::AckedWriteLost,
            clocks,
            1,
            100 * MS,
            "Last write wins compares timestamps from the writers' clocks. Make a later write \
             carry an earlier timestamp.",
            "With last write wins, a clock running behind makes a later write lose to an earlier \
             one: the database silently drops a write it acknowledged.",
        ),
        challenge(
            "future-clock",
            "clock-from-the-future",
            false,
            "Win every write with one clock set ahead",
            F::AckedWriteLost,
            &[K::ClockSkew],
            1,
            2_200 * MS,
            "Set one replica's clock far ahead: its writes carry timestamps no honest write can \
             beat.",
            "A clock set ahead wins every last-write-wins comparison until real time catches up: \
             every write made elsewhere meanwhile is discarded.",
        ),
        challenge(
            "effect-before-cause",
            "wall-clock-log",
            false,
            "Put an effect before its cause with one clock fault",
            F::OrderingViolation,
            clocks,
            1,
            300 * MS,
            "Sorting by wall-clock timestamps trusts every clock. Make the receiver's clock read \
             behind the sender's.",
            "Wall-clock timestamps from different nodes do not order events: a message can be \
             logged as received before it was sent. Lamport or vector clocks do.",
        ),
        challenge(
            "negative-duration",
            "ntp-step-back",
            false,
            "Measure a negative duration with one NTP step",
            F::OrderingViolation,
            &[K::NtpStep],
            1,
            S,
            "Step the clock back while something is being timed.",
            "A time-of-day clock can jump backwards when NTP corrects it; durations must be \
             measured with a monotonic clock.",
        ),
        challenge(
            "expired-lease",
            "slow-clock-lease",
            false,
            "Act on an expired lease using only clock faults",
            F::StaleWriteAccepted,
            clocks,
            1,
            14 * S,
            "A lease holder checks its own clock to know whether its lease is still valid. Make \
             that clock run slow.",
            "A lease is only as good as the holder's clock: a slow or stepped clock keeps \
             trusting a lease that has already expired, and another holder has it.",
        ),
        Challenge {
            assumption: "Commit wait assumes every clock is within its uncertainty interval ε of \
                         true time; a clock drifting beyond ε breaks the guarantee."
                .to_string(),
            ..challenge(
                "beat-commit-wait",
                "truetime-commit-wait",
                true,
                "Break commit wait with one clock fault",
                F::OrderingViolation,
                clocks,
                1,
                300 * MS,
                "Commit wait waits out the clock's uncertainty. What if a clock is further off \
                 than it believes?",
                "Commit wait is only as safe as the bound on clock error: a clock outside its \
                 stated uncertainty orders transactions wrongly.",
            )
        },
        challenge(
            "stale-write",
            "gc-pause-fencing",
            false,
            "Get a stale write past storage with one pause",
            F::StaleWriteAccepted,
            &[K::Pause],
            1,
            18 * S,
            "Pause the lease holder (a long GC) while its lease runs out.",
            "A process can be paused at any point for longer than its lease: when it resumes it \
             still believes it holds the lock. Storage must check a fencing token.",
        ),
        challenge(
            "stale-write-fenced",
            "gc-pause-fencing",
            true,
            "Get a stale write past fencing tokens with one pause",
            F::StaleWriteAccepted,
            &[K::Pause],
            1,
            18 * S,
            "Storage now refuses tokens older than the newest it has seen. Can one pause still \
             sneak a stale write in?",
            "Fencing tokens increase with every lease, and storage refuses an old one: however \
             long the pause, the stale write is turned away.",
        ),
        challenge(
            "majority-loses-write",
            "majority-truth",
            false,
            "Lose an acknowledged write with one cut",
            F::AckedWriteLost,
            cuts,
            1,
            2_500 * MS,
            "Cut off the node that believes it leads, while it still acknowledges writes.",
            "A node cannot trust its own judgement: when the majority decides it is dead, what it \
             acknowledged alone is lost.",
        ),
        Challenge {
            assumption: "Oral-messages agreement assumes the loyal generals all take part; a \
                         crashed loyal general leaves too few to outvote the traitor."
                .to_string(),
            ..challenge(
                "traitor-wins",
                "byzantine-generals",
                true,
                "Make the loyal generals disagree with one crash",
                F::ByzantineDisagreement,
                &[K::Crash],
                1,
                500 * MS,
                "With more generals the loyal ones can outvote one traitor. Take one of them out.",
                "Byzantine agreement needs more than three times as many nodes as traitors, and \
                 all of them answering: one loyal crash and the traitor decides.",
            )
        },
        Challenge {
            setting: true,
            ..challenge(
            "lost-vote",
            "crash-amnesia",
            false,
            "Elect two leaders in one term with one power cut",
            F::TwoLeadersInOneTerm,
            &[K::PowerCut],
            1,
            4 * S,
            "A vote kept in the operating system's cache is not on disk yet. Cut a voter's power \
             right after it votes.",
            "A node that forgets its vote in a crash can vote twice in one term: votes must be \
             on disk before they are sent.",
        )
        },
        challenge(
            "delivery-twice",
            "delivery-semantics",
            false,
            "Apply an increment twice with one duplicated message",
            F::DuplicateEffect,
            &[K::Duplication, K::Loss],
            1,
            5_600 * MS,
            "At-least-once delivery retries until it hears back. Make it hear back too late, or \
             deliver a copy.",
            "At-least-once delivery turns into more-than-once: only deduplication on the \
             receiving side makes it exactly once in effect.",
        ),
    ]
}

/// The built-in challenge `id`.
pub fn by_id(id: &str) -> Option<Challenge> {
    builtin().into_iter().find(|c| c.id == id)
}
