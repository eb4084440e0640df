use proptest::prelude::*;

use super::budget::{Cluster, NotCounted};
use super::*;
use crate::hunt::trial::Judge;
use crate::hunt::{Mode, FAULT_KINDS};
use crate::sim::{LinkConfig, NodeId};

fn arena_of(challenge: &Challenge) -> Scenario {
    let scenario = crate::scenarios::by_id(&challenge.scenario).expect("a preset");
    challenge.arena(&scenario)
}

#[test]
fn the_builtin_challenges_are_valid_named_once_and_cover_every_topic() {
    let all = builtin();
    assert!(all.len() >= 14, "{} built-in challenges", all.len());
    for (i, challenge) in all.iter().enumerate() {
        assert_eq!(challenge.validate(None), Ok(()), "{}", challenge.id);
        assert!(
            all[..i].iter().all(|c| c.id != challenge.id),
            "{} twice",
            challenge.id
        );
        assert!(!challenge.hint.is_empty() && !challenge.teaches.is_empty());
    }
    for (topic, ids) in crate::scenarios::TOPICS {
        if *topic == "Free play" {
            continue;
        }
        assert!(
            all.iter().any(|c| ids.contains(&c.scenario.as_str())),
            "no challenge in {topic}"
        );
    }
}

/// Every challenge's par, as the hunt finds it, and what it shows: winnable ones win within
/// their budget when the par is replayed; the fixes that hold break nothing in the par's
/// schedules, while the naive version of the same arena breaks.
#[test]
fn every_builtin_challenge_is_winnable_by_its_par_or_its_fix_is_proved() {
    let mut winnable = 0;
    for challenge in builtin() {
        let arena = arena_of(&challenge);
        assert_eq!(arena.duration_us, challenge.limit_us);
        let report = challenge
            .hunt(&arena, 1)
            .expect("the hunt starts")
            .run_to_end();
        let proof = challenge.fix && challenge.assumption.is_empty();
        if proof {
            assert_eq!(report.mode, Mode::Prove, "{}", challenge.id);
            assert!(report.found.is_none(), "{}: the fix broke", challenge.id);
            assert_eq!(report.tally.tried, PAR_SCHEDULES);
            let naive = report.naive.expect("the naive tally");
            assert!(naive.unsafe_runs > 0, "{}: nothing to prove", challenge.id);
            continue;
        }
        let found = report
            .found
            .unwrap_or_else(|| panic!("{}: the hunt found no par", challenge.id));
        let par = found.shrunk.len() as u32;
        assert!(
            par >= 1 && par <= challenge.faults,
            "{}: par {par}",
            challenge.id
        );
        // The par replayed as a person's faults: it wins, and the ledger finds it in budget.
        let judge = Judge::aimed(&arena, challenge.goal).unwrap();
        let (session, _) = judge.play(&found.shrunk);
        let findings = session.findings();
        let win = challenge.won(&findings).expect("the par wins");
        assert!(win.time <= challenge.limit_us);
        let log = session.fault_log();
        let ledger = Ledger::of(&log, session.now(), &Cluster::of(&arena));
        assert_eq!(ledger.count(), par, "{}: {:?}", challenge.id, ledger);
        for spent in &ledger.faults {
            match spent.spend {
                Spend::Fault(kind) => assert!(challenge.kinds.contains(&kind)),
                other => panic!("{}: {other:?}", challenge.id),
            }
        }
        // Replayed command by command through the budget's check, each is admitted, and one
        // more fault of an allowed kind beyond the budget is refused.
        if par == challenge.faults {
            let extra = extra_fault(challenge.kinds[0]);
            assert_eq!(
                challenge.admits(&log, &[extra], session.now(), u64::MAX, &arena),
                Err(Refusal::NoFaultsLeft {
                    budget: challenge.faults
                }),
                "{}",
                challenge.id
            );
        }
        winnable += 1;
    }
    assert!(winnable >= 14, "{winnable} winnable challenges");
}

/// A fault of `kind`, as a person would apply it on a cluster of at least three nodes.
fn extra_fault(kind: FaultKind) -> Command<()> {
    let (a, b) = (NodeId(0), NodeId(1));
    match kind {
        FaultKind::Partition => Command::CutBoth { a, b },
        FaultKind::OneWayCut => Command::CutLink { from: a, to: b },
        FaultKind::Pause => Command::Pause { node: a },
        FaultKind::Crash => Command::Crash { node: a },
        FaultKind::PowerCut => Command::CrashLosingUnsynced { node: a },
        FaultKind::ClockSkew => Command::SetClockOffset {
            node: a,
            offset_us: 5_000,
        },
        FaultKind::ClockDrift => Command::SetDrift {
            node: a,
            drift_ppm: 500,
        },
        FaultKind::NtpStep => Command::NtpStep {
            node: a,
            delta_us: -5_000,
        },
        FaultKind::Loss => Command::DropMessage {
            msg: crate::sim::MsgId(1),
        },
        FaultKind::Duplication => Command::DuplicateMessage {
            msg: crate::sim::MsgId(1),
        },
    }
}

fn logged(at_time: Micros, after_step: u64, command: Command<()>) -> LoggedCommand<()> {
    LoggedCommand {
        after_step,
        after_pops: after_step,
        at_time,
        command,
    }
}

fn cluster() -> Cluster {
    Cluster {
        nodes: 5,
        link: LinkConfig::default(),
    }
}

#[test]
fn cuts_made_at_one_moment_are_one_fault_and_undoing_is_free() {
    let (a, b, c) = (NodeId(0), NodeId(1), NodeId(2));
    // A knife stroke: three links cut at once, both ways.
    let mut log = vec![
        logged(100, 4, Command::CutBoth { a, b }),
        logged(100, 4, Command::CutBoth { a, b: c }),
        logged(
            100,
            4,
            Command::CutLink {
                from: a,
                to: NodeId(3),
            },
        ),
    ];
    let ledger = Ledger::of(&log, 1_000, &cluster());
    assert_eq!(ledger.count(), 1);
    assert_eq!(ledger.faults[0].spend, Spend::Fault(FaultKind::Partition));
    assert_eq!(ledger.fault_time_us, 900, "still cut at 1,000 µs");
    // Healing all but one link keeps it open; healing the last ends it.
    log.push(logged(300, 9, Command::HealBoth { a, b }));
    log.push(logged(300, 9, Command::HealBoth { a, b: c }));
    assert_eq!(Ledger::of(&log, 1_000, &cluster()).fault_time_us, 900);
    log.push(logged(
        400,
        10,
        Command::HealLink {
            from: a,
            to: NodeId(3),
        },
    ));
    let ledger = Ledger::of(&log, 1_000, &cluster());
    assert_eq!((ledger.count(), ledger.fault_time_us), (1, 300));
    // A one-way cut later is a second fault, of its own kind.
    log.push(logged(500, 11, Command::CutLink { from: b, to: c }));
    let ledger = Ledger::of(&log, 1_000, &cluster());
    assert_eq!(ledger.count(), 2);
    assert_eq!(ledger.faults[1].spend, Spend::Fault(FaultKind::OneWayCut));
    // A pause resumed lasts until it was resumed; faults after `now` are not counted yet.
    log.push(logged(600, 12, Command::Pause { node: c }));
    log.push(logged(700, 13, Command::Resume { node: c }));
    log.push(logged(5_000, 20, Command::Crash { node: a }));
    let ledger = Ledger::of(&log, 1_000, &cluster());
    assert_eq!(ledger.count(), 3);
    assert_eq!(ledger.fault_time_us, 300 + 500 + 100);
}

#[test]
fn the_budget_refuses_kinds_not_allowed_faults_beyond_it_and_what_is_no_fault() {
    let challenge = by_id("two-leaders").unwrap();
    let arena = arena_of(&challenge);
    let (a, b) = (NodeId(0), NodeId(1));
    let admits = |log: &[LoggedCommand<()>], cmd: Command<()>, at: Micros, step: u64| {
        challenge.admits(log, &[cmd], at, step, &arena)
    };
    assert_eq!(admits(&[], Command::CutBoth { a, b }, 10, 1), Ok(()));
    assert_eq!(
        admits(&[], Command::Pause { node: a }, 10, 1),
        Err(Refusal::NotAllowed {
            kind: FaultKind::Pause,
            allowed: vec![FaultKind::Partition, FaultKind::OneWayCut]
        })
    );
    assert_eq!(
        admits(
            &[],
            Command::Flood {
                node: a,
                duration_us: 5
            },
            10,
            1
        ),
        Err(Refusal::NotAFault(NotCounted::Flood))
    );
    let two = vec![
        logged(10, 1, Command::CutBoth { a, b }),
        logged(20, 2, Command::CutLink { from: b, to: a }),
    ];
    // A third cut at another moment is over budget; one joining the last cut's moment is not,
    // and healing is always free.
    assert_eq!(
        admits(
            &two,
            Command::CutLink {
                from: a,
                to: NodeId(2)
            },
            30,
            3
        ),
        Err(Refusal::NoFaultsLeft { budget: 2 })
    );
    assert_eq!(
        admits(
            &two,
            Command::CutLink {
                from: a,
                to: NodeId(2)
            },
            20,
            2
        ),
        Ok(())
    );
    assert_eq!(admits(&two, Command::HealAll, 30, 3), Ok(()));
    let refusal = admits(&two, Command::CutBoth { a, b: NodeId(3) }, 30, 3).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "Over budget: this challenge allows 2 faults, and you have used them. Undo one in the \
         fault log, or restart the challenge."
    );
}

#[test]
fn fault_time_is_a_budget_of_its_own() {
    let challenge = Challenge {
        fault_time_us: Some(1_000_000),
        faults: 5,
        ..by_id("stale-write").unwrap()
    };
    let arena = arena_of(&challenge);
    let c = NodeId(2);
    let log = vec![logged(0, 1, Command::Pause { node: c })];
    assert_eq!(
        challenge.admits(&log, &[Command::Resume { node: c }], 2_000_000, 9, &arena),
        Ok(())
    );
    let resumed = vec![
        logged(0, 1, Command::Pause { node: c }),
        logged(1_500_000, 5, Command::Resume { node: c }),
    ];
    assert_eq!(
        challenge.admits(
            &resumed,
            &[Command::Pause { node: c }],
            2_000_000,
            9,
            &arena
        ),
        Err(Refusal::NoTimeLeft {
            budget_us: 1_000_000
        })
    );
}

#[test]
fn a_hostile_challenge_is_refused_by_field() {
    let good = by_id("two-leaders").unwrap();
    let refused = |c: Challenge| c.validate(None).unwrap_err().to_string();
    assert_eq!(
        refused(Challenge {
            id: "<script>".into(),
            ..good.clone()
        }),
        "challenge.id: 1 to 40 letters, digits, \u{201c}-\u{201d} or \u{201c}_\u{201d}"
    );
    assert_eq!(
        refused(Challenge {
            faults: 0,
            ..good.clone()
        }),
        "challenge.faults: allow at least 1 fault"
    );
    assert_eq!(
        refused(Challenge {
            faults: 99,
            ..good.clone()
        }),
        "challenge.faults: 99 faults is more than the 20 a challenge may allow"
    );
    assert_eq!(
        refused(Challenge {
            kinds: vec![],
            ..good.clone()
        }),
        "challenge.kinds: allow at least one kind of fault"
    );
    assert_eq!(
        refused(Challenge {
            limit_us: 61_000_000,
            ..good.clone()
        }),
        "challenge.limit_us: 61 s is outside 50 ms to 60 s"
    );
    assert_eq!(
        refused(Challenge {
            scenario: "splitbrain".into(),
            ..good.clone()
        }),
        "challenge.scenario: there is no scenario \u{201c}splitbrain\u{201d}"
    );
    assert_eq!(
        refused(Challenge {
            goal: crate::detect::FindingKind::ByzantineDisagreement,
            ..good.clone()
        }),
        "challenge.goal: this scenario's checkers never report \u{201c}Byzantine disagreement\u{201d}"
    );
    assert_eq!(
        refused(Challenge {
            title: "a\nb".into(),
            ..good.clone()
        }),
        "challenge.title: one line only"
    );
    assert_eq!(
        refused(Challenge {
            hint: "x".repeat(601),
            ..good.clone()
        }),
        "challenge.hint: 601 characters is too long"
    );
    // Unknown fields are refused by the reader.
    let mut json = serde_json::to_value(&good).unwrap();
    json["cheat"] = serde_json::json!(true);
    assert!(serde_json::from_value::<Challenge>(json).is_err());
}

#[test]
fn the_score_compares_with_the_machine() {
    let challenge = by_id("two-leaders").unwrap();
    assert_eq!(
        challenge.score(3, Some(1)),
        "You broke it with 3 faults; the machine needed 1."
    );
    assert_eq!(
        challenge.score(1, Some(1)),
        "You broke it with 1 fault: as few as the machine needed."
    );
    assert_eq!(
        challenge.budget_words(),
        "At most 2 faults: partitions or one-way cuts; within 3 s."
    );
}

fn any_challenge() -> impl Strategy<Value = Challenge> {
    (
        "[a-z0-9_-]{1,40}",
        "[ -~]{1,100}",
        prop::sample::select(builtin()),
        prop::sample::subsequence(FAULT_KINDS.to_vec(), 1..=FAULT_KINDS.len()),
        1u32..=20,
        proptest::option::of(MIN_FAULT_TIME_US..=MIN_DURATION_US),
        MIN_DURATION_US..=MAX_DURATION_US,
        "[ -~]{0,600}",
        any::<bool>(),
    )
        .prop_map(
            |(id, title, base, kinds, faults, fault_time_us, limit_us, hint, fix)| Challenge {
                id,
                title,
                kinds,
                faults,
                fault_time_us,
                limit_us,
                hint,
                fix,
                ..base
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn challenges_round_trip_through_json(challenge in any_challenge()) {
        prop_assert_eq!(challenge.validate(None), Ok(()));
        let json = serde_json::to_string(&challenge).unwrap();
        let back: Challenge = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, challenge);
    }
}

#[test]
fn the_make_a_challenge_form_edits_one_field_at_a_time() {
    let scenario = crate::scenarios::by_id("gc-pause-fencing").unwrap();
    let goals = Challenge::goals(&scenario);
    assert_eq!(goals[0], crate::detect::FindingKind::StaleWriteAccepted);
    let mut c = Challenge::draft(&scenario);
    assert_eq!(c.validate(Some(&scenario)), Ok(()));
    c.edit("title", "Sneak one in", false, &goals);
    c.edit("faults", "1", false, &goals);
    c.edit("limit", "12.5", false, &goals);
    c.edit("fault_time", "2", false, &goals);
    c.edit("fix", "", true, &goals);
    // Kinds by their place: only pauses.
    for (i, kind) in CHALLENGE_KINDS.iter().enumerate() {
        c.edit("kind", &i.to_string(), *kind == FaultKind::Pause, &goals);
    }
    assert_eq!(
        (
            c.title.as_str(),
            c.faults,
            c.limit_us,
            c.fault_time_us,
            c.fix
        ),
        ("Sneak one in", 1, 12_500_000, Some(2_000_000), true)
    );
    assert_eq!(c.kinds, vec![FaultKind::Pause]);
    assert_eq!(c.validate(Some(&scenario)), Ok(()));
    // What cannot be read is refused by name, not guessed.
    c.edit("faults", "many", false, &goals);
    assert_eq!(
        c.validate(Some(&scenario)).unwrap_err().to_string(),
        "challenge.faults: allow at least 1 fault"
    );
    c.edit("faults", "1", false, &goals);
    c.edit("limit", "-3", false, &goals);
    assert_eq!(
        c.validate(Some(&scenario)).unwrap_err().to_string(),
        "challenge.limit_us: 0 µs is outside 50 ms to 60 s"
    );
    c.edit("goal", "99", false, &goals);
    assert_eq!(c.goal, goals[0], "an unknown goal leaves it");
}
