//! Leases and fencing tokens.

use super::prelude::*;

pub(super) fn job(at_us: Micros, node: NodeId, value: u32) -> Scheduled<lock::ClientOp> {
    at(
        at_us,
        Command::Client {
            node,
            op: lock::ClientOp::Job { value },
        },
    )
}

/// Lock service A, storage B, clients C and D; a steady 5 ms network.
pub(super) fn lock_cluster(seed: u64, clocks: Vec<ClockConfig>) -> SimConfig {
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
        links: Vec::new(),
    }
}

pub(super) const LOCK_ROLES: &str =
    "A is a lock service handing out 10-second leases, B is storage, C and D \
                          are clients that may only write while they hold the lease.";

pub(super) fn gc_pause_fencing() -> Scenario {
    Scenario {
        id: "gc-pause-fencing".to_string(),
        title: "A process pause outlives its lease: fencing tokens".to_string(),
        lesson: "A client checks its lease, is paused for 15 s by garbage collection, and writes \
                 after its 10 s lease has expired and another client has taken the lock and written."
            .to_string(),
        shows: Some(FindingKind::StaleWriteAccepted),
        fix_cost: Some(FindingKind::FencingRejection),
        config: lock_cluster(5, Vec::new()),
        model: ModelSpec::Lock {
            params: LockService::default(),
            fixed: LockService { fencing: true, ..LockService::default() },
            script: vec![
                job(1_000_000, C, 1),
                at(2_000_000, Command::Pause { node: C }),
                job(3_000_000, D, 2),
                at(17_000_000, Command::Resume { node: C }),
            ],
        },
        duration_us: 18_000_000,
        key_moment_us: 17_000_000,
        narration: vec![
            say(0, LOCK_ROLES),
            say(1_000_000, "At t = 1 s client C acquires the lease, valid for 10 s, with token 33. \
                            It checks the lease is valid and starts work before writing."),
            say(2_000_000, "At t = 2 s a stop-the-world garbage collection pauses C for 15 seconds. \
                            C cannot notice: from its point of view no time passes."),
            say(3_000_000, "Client D wants the lock too. The lease is C's until 11 s, so D is told \
                            to wait and keeps asking."),
            say(11_100_000, "C's lease has expired on the lock service's clock. D gets the lease, \
                             with token 34."),
            say(13_129_000, "D finishes its work and writes with token 34: storage stores it, and D \
                             gives the lock back."),
            say(17_000_000, "At t = 17 s C wakes up. Its work is done and it checked its lease before \
                             it started, so it writes."),
            say_if(Shown::WithoutFix, 17_010_000, "Storage accepts C's write: D's data is overwritten by \
                    a client that no longer holds the lock. Both believed they held it."),
            say_if(Shown::WithFix, 17_010_000, "Storage has already seen token 34, so it refuses token \
                    33. C's stale write is fenced off; D's data is safe."),
        ],
        prediction: Prediction {
            reveal: vec![answered_by("write 1, token 33")],
            question: "C was paused for 15 s soon after checking its 10 s lease. It wakes up with \
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
        fix_prediction: Some(Prediction {
            question: "C wakes at 17 s, its work done, and writes with token 33. Storage has already stored \
                D's write with token 34. What does storage do with C's write?"
                .to_string(),
            choices: vec![
                "Asks the lock service whether C still holds the lease".to_string(),
                "Stores it: C checked its lease before the pause".to_string(),
                "Refuses it: it has seen token 34, and 33 is lower".to_string(),
            ],
            answer: 2,
            explanation: "Storage remembers the highest token it has seen, 34, and refuses any write with a \
                lower one. C's token 33 comes from an expired lease, so its write is fenced off and \
                D's data is safe; C's work is thrown away."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(B), says: "token 33 refused".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Knowledge, Truth, and Lies” › “The Truth Is Defined by the \
            Majority” › “Fencing tokens”".to_string(),
        view: View {
            names: vec!["Lock service".to_string(), "Storage".to_string(), "Client C".to_string(), "Client D".to_string()],
            ..View::default()
        },
        explains: Vec::new(),
    }
}

pub(super) fn expired_lease_slow_clock() -> Scenario {
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
        lesson:
            "A client judges its lease by comparing the lock service's expiry time with its own \
                 clock. Its clock is 6 s behind, so it acts on a lease that expired long ago."
                .to_string(),
        shows: Some(FindingKind::StaleWriteAccepted),
        fix_cost: None,
        config: lock_cluster(6, clocks),
        model: ModelSpec::Lock {
            params: LockService {
                work_us: 500_000,
                keep_lease: true,
                ..LockService::default()
            },
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
            say(
                0,
                "C's clock is 6 seconds behind true time. Nothing warns it.",
            ),
            say(
                100_000,
                "C acquires the lease (token 33) until 10.1 s on the lock service's clock, \
                          writes once, and keeps the lease for later jobs.",
            ),
            say(
                10_500_000,
                "The lease has expired. D acquires the lock (token 34) and writes.",
            ),
            say_if(
                Shown::WithoutFix,
                12_000_000,
                "C has another job. It checks its lease against its own clock, which reads \
                             6 s: the lease looks valid for another 4 seconds.",
            ),
            say_if(
                Shown::WithoutFix,
                12_600_000,
                "C writes with token 33 and storage accepts it: two \
                    clients acted as the lock holder at the same time.",
            ),
            say_if(
                Shown::WithFix,
                12_000_000,
                "C measures its lease on its monotonic clock, counting \
                    from when it asked for it (the grant can only have come later) and ending it a \
                    safety margin early: it knows the lease is gone and asks again. Fencing would \
                    have refused the write anyway.",
            ),
            say(
                13_000_000,
                "A note on the source: one write-up gives the lease holder a clock that \
                             is fast. That only makes it give up its lease early, which is safe. \
                             Two holders need a slow clock, as here, or a pause.",
            ),
        ],
        prediction: Prediction {
            reveal: vec![answered_on(C, "checks lease")],
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
            explanation:
                "Measure the lease as a duration on the local monotonic clock from when it \
                          was requested (the client cannot know when it was granted, only that it \
                          was later), end it early by a safety margin, and let storage check \
                          fencing tokens in case the clock or a pause still fools the client."
                    .to_string(),
            cost: "Leases end a little early, so the lock is idle for the margin.".to_string(),
        },
        fix_enabled: false,
        fix_prediction: Some(Prediction {
            question: "C's clock is 6 s slow, and C kept its lease (token 33) for later jobs. At 12 s it \
                has another job, and now it measures its lease on its monotonic clock. What does it \
                conclude?"
                .to_string(),
            choices: vec![
                "The lease is still valid: its own clock reads only 6 s".to_string(),
                "The lease is over, so it asks the lock service again".to_string(),
                "The lease is still valid, so it writes, and only fencing stops it".to_string(),
            ],
            answer: 1,
            explanation: "On its monotonic clock, well over the lease's 10 s have passed since C asked for it, \
                so the lease is over, whatever C's wall clock says. C asks again and is told the \
                lock is busy: D holds it now."
                .to_string(),
            reveal: vec![
                Reveal { node: Some(C), says: "a job that writes 3".to_string() },
                Reveal { node: Some(C), says: "lease 33: expired".to_string() },
            ],
        }),
        source: "DDIA chapter 8, “Unreliable Clocks” › “Process Pauses”".to_string(),
        view: View {
            names: vec![
                "Lock service".to_string(),
                "Storage".to_string(),
                "Client C".to_string(),
                "Client D".to_string(),
            ],
            frame: Some((12_470_000, 12_530_000)),
            fix_frame: Some((11_990_000, 12_050_000)),
            ..View::default()
        },
        explains: Vec::new(),
    }
}
