//! The reducer's behaviour, natively.

use super::*;
use crate::share::Moment;

#[test]
fn seed_parsing_accepts_whole_numbers_and_separators() {
    assert_eq!(parse_seed("42"), Ok(42));
    assert_eq!(parse_seed("  7 "), Ok(7));
    assert_eq!(parse_seed("1_000_000"), Ok(1_000_000));
    assert_eq!(parse_seed("18446744073709551615"), Ok(u64::MAX));
}

#[test]
fn seed_parsing_names_what_is_wrong() {
    assert_eq!(parse_seed(""), Err(SeedError::Empty));
    assert_eq!(parse_seed("-3"), Err(SeedError::NotDigits));
    assert_eq!(parse_seed("4.2"), Err(SeedError::NotDigits));
    assert_eq!(parse_seed("<script>"), Err(SeedError::NotDigits));
    assert_eq!(parse_seed("18446744073709551616"), Err(SeedError::TooLarge));
    assert!(SeedError::Empty.to_string().contains("Enter a seed"));
    assert!(SeedError::NotDigits.to_string().contains("digits only"));
    assert!(SeedError::TooLarge
        .to_string()
        .contains("at most 18446744073709551615"));
}

#[test]
fn a_bad_seed_keeps_the_last_good_one_and_the_typed_text() {
    let state = AppState::default().apply(Action::EditSeed("99".into()));
    assert_eq!(state.seed, 99);
    let state = state.apply(Action::EditSeed("99x".into()));
    assert_eq!(state.seed, 99);
    assert_eq!(state.seed_input, "99x");
    assert!(state.seed_error.is_some());
    let state = state.apply(Action::EditSeed("100".into()));
    assert_eq!((state.seed, state.seed_error), (100, None));
}

#[test]
fn play_toggles_and_changing_scenario_pauses() {
    let state = AppState::default().apply(Action::TogglePlay);
    assert!(state.playing);
    assert!(!state.apply(Action::TogglePlay).playing);
    assert!(!state.apply(Action::Pause).playing);
    assert!(
        !state
            .apply(Action::SelectScenario("sandbox".into()))
            .playing
    );
}

#[test]
fn a_new_scenario_brings_its_own_seed_and_forgets_the_old_run() {
    let state = AppState::default()
        .apply(Action::Select(Some(EventId(3))))
        .apply(Action::EditSeed("77".into()));
    assert_eq!(state.seed, 77);
    assert_eq!(state.selected, None, "a new seed is a new run");
    let state = state
        .apply(Action::Select(Some(EventId(3))))
        .apply(Action::SelectScenario("reordered-writes".into()));
    assert_eq!(state.scenario, "reordered-writes");
    assert_eq!(state.seed, preset("reordered-writes").unwrap().config.seed);
    assert_eq!(state.selected, None);
    let unchanged = state.apply(Action::SelectScenario("no-such-scenario".into()));
    assert_eq!(unchanged, state, "an unknown id changes nothing");
}

#[test]
fn a_finished_run_stops_playing_and_cannot_be_played() {
    let state = AppState::default().apply(Action::TogglePlay);
    let done = state.apply(Action::Progress(Progress {
        finished: true,
        ..Progress::default()
    }));
    assert!(!done.playing);
    assert!(!done.apply(Action::TogglePlay).playing);
    let again = done.apply(Action::Restart);
    assert_eq!(again.restarts, done.restarts + 1);
    assert!(!again.progress.finished);
    assert!(again.apply(Action::TogglePlay).playing);
}

#[test]
fn the_fix_toggle_starts_a_new_run_only_when_it_changes() {
    let state = AppState::default().apply(Action::Select(Some(EventId(1))));
    assert_eq!(state.apply(Action::SetFix(false)), state);
    let fixed = state.apply(Action::SetFix(true));
    assert!(fixed.fix);
    assert_eq!(fixed.selected, None);
    assert_ne!(fixed.run_key(), state.run_key());
}

#[test]
fn the_guide_stops_to_predict_then_to_find_and_explain_the_anomaly() {
    let playing = AppState::default()
        .apply(Action::SetGuided(true))
        .apply(Action::ShowView(SmallView::Topology))
        .apply(Action::TogglePlay);
    assert!(playing.guide.stops_at_key_moment());
    let asked = playing.apply(Action::ReachedKeyMoment);
    assert_eq!(
        (asked.guide, asked.playing),
        (Guide::Predicting { first: None }, false)
    );
    assert_eq!(
        asked.small_view,
        SmallView::Story,
        "on a phone the question comes to the front"
    );
    assert_eq!(
        asked.apply(Action::Continue).guide,
        asked.guide,
        "answer first"
    );
    // Play, or Space, at the question: answer first, and say so.
    for play in [Action::TogglePlay, Action::Play] {
        let pressed = asked.apply(play);
        assert!(!pressed.playing, "playing on would show the answer");
        assert_eq!(pressed.guide, asked.guide);
        assert_eq!(pressed.hint, Some(Hint::AnswerFirst));
    }
    // Without discussion (the default off projector mode) one vote reveals.
    let answered = asked.apply(Action::Answer(1));
    assert_eq!(
        answered.guide,
        Guide::Answered {
            first: 1,
            second: None
        }
    );
    let watching = answered.apply(Action::Continue);
    assert_eq!(
        (watching.guide, watching.playing),
        (Guide::AfterPrediction, true)
    );
    assert!(!watching.guide.stops_at_key_moment());
    let found = watching.apply(Action::ReachedAnomaly);
    assert_eq!(
        (found.guide, found.playing),
        (Guide::Observing { picked: None }, false)
    );
    // Clicking an event is the answer to "where did it go wrong?" (the card judges it).
    let picked = found.apply(Action::Select(Some(EventId(7))));
    assert_eq!(
        picked.guide,
        Guide::Observing {
            picked: Some(EventId(7))
        }
    );
    assert_eq!(picked.selected, Some(EventId(7)));
    assert_eq!(
        picked.small_view,
        SmallView::Story,
        "on a phone the verdict comes to the front"
    );
    let shown = picked.apply(Action::ShowAnomaly(EventId(9)));
    assert_eq!(shown.guide, Guide::Explaining { found: false });
    assert_eq!(
        shown.selected,
        Some(EventId(9)),
        "Show me selects the event"
    );
    let done = shown.apply(Action::Continue);
    assert_eq!((done.guide, done.playing), (Guide::Done, true));
    let again = done.apply(Action::Restart);
    assert_eq!(
        again.guide,
        Guide::Watching,
        "a new run starts the lesson again"
    );
}

#[test]
fn a_room_votes_discusses_and_votes_again_and_may_skip_either() {
    let asked = AppState::default()
        .apply(Action::SetGuided(true))
        .apply(Action::ToggleProjector)
        .apply(Action::ReachedKeyMoment);
    assert!(
        asked.discusses(),
        "discussion is on by default in projector mode"
    );
    let first = asked.apply(Action::Answer(0));
    assert_eq!(first.guide, Guide::Predicting { first: Some(0) });
    assert!(!first.apply(Action::TogglePlay).playing, "still a question");
    let second = first.apply(Action::Answer(2));
    assert_eq!(
        second.guide,
        Guide::Answered {
            first: 0,
            second: Some(2)
        }
    );
    let skipped = first.apply(Action::SkipDiscussion);
    assert_eq!(
        skipped.guide,
        Guide::Answered {
            first: 0,
            second: None
        }
    );
    // One click turns discussion off; off projector mode it is off unless asked for.
    let quick = asked
        .apply(Action::SetDiscuss(false))
        .apply(Action::Answer(0));
    assert!(matches!(quick.guide, Guide::Answered { .. }));
    let desk = AppState::default()
        .apply(Action::SetGuided(true))
        .apply(Action::ReachedKeyMoment);
    assert!(!desk.discusses());
    assert!(desk.apply(Action::SetDiscuss(true)).discusses());
    // Skipping the question plays on, past it.
    let skip = desk.apply(Action::SkipQuestion);
    assert_eq!((skip.guide, skip.playing), (Guide::AfterPrediction, true));
}

#[test]
fn without_guided_mode_nothing_stops() {
    let playing = AppState::default().apply(Action::TogglePlay);
    let on = playing.apply(Action::ReachedKeyMoment);
    assert!(on.playing);
    let found = on.apply(Action::ReachedAnomaly);
    assert!(found.playing);
}

#[test]
fn a_page_opens_the_run_its_link_names() {
    let shared = SharedRun {
        scenario: "reordered-writes".into(),
        fix: true,
        seed: 77,
        faults: Vec::new(),
        step: 5,
        moment: Moment::default(),
        cluster: None,
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    };
    let state = AppState::from_fragment(&format!("#{}", share::encode(&shared)));
    assert_eq!(
        (
            state.scenario.as_str(),
            state.fix,
            state.seed,
            state.seed_input.as_str()
        ),
        ("reordered-writes", true, 77, "77")
    );
    assert_eq!(state.restore, Some(shared));
    assert_eq!(state.notice, None);
    let started = state.apply(Action::RunStarted(1));
    assert_eq!(started.restore, None, "restored once; Restart starts fresh");
    assert_eq!(AppState::from_fragment(""), AppState::default());
}

#[test]
fn a_bad_link_opens_the_first_scenario_and_says_why() {
    let broken = AppState::from_fragment("#v1.garbage!");
    assert_eq!(broken.scenario, AppState::default().scenario);
    assert!(broken.notice.unwrap().contains("damaged"));
    let unknown = share::encode(&SharedRun {
        scenario: "<script>alert(1)</script>".into(),
        fix: false,
        seed: 1,
        faults: Vec::new(),
        step: 0,
        moment: Moment::default(),
        cluster: None,
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    });
    let state = AppState::from_fragment(&unknown);
    assert!(state.notice.unwrap().contains("does not have (“<script>"));
    assert_eq!(state.restore, None);
}

#[test]
fn a_link_pasted_into_an_open_page_replaces_the_run() {
    let shared = seat_12a();
    let before = AppState::default().apply(Action::TogglePlay);
    let after = before.apply(Action::OpenLink(share::encode(&shared)));
    assert_eq!((after.scenario.as_str(), after.seed), ("seat-12a", 3));
    assert!(!after.playing);
    assert_ne!(after.run_key(), before.run_key());
    assert_eq!(after.restore, Some(shared));
    let broken = after.apply(Action::OpenLink("#v1.%%%".into()));
    assert!(broken.notice.unwrap().contains("could not be opened"));
}

#[test]
fn an_embed_opens_its_scenario_at_its_step_and_may_autoplay() {
    let state =
        AppState::from_location("?embed=1&scenario=gc-pause-fencing&step=12&autoplay=1", "");
    assert!(state.embed.enabled && state.playing);
    assert_eq!(state.scenario, "gc-pause-fencing");
    assert_eq!(state.restore.as_ref().map(|r| r.step), Some(12));
    let unknown = AppState::from_location("?embed=1&scenario=nope", "");
    assert_eq!(unknown.scenario, AppState::default().scenario);
    assert_eq!(AppState::from_location("", ""), AppState::default());
}

#[test]
fn a_host_load_is_always_a_fresh_run_with_every_option_left_out_at_its_default() {
    let opened = AppState::from_location("?embed=1&scenario=gc-pause-fencing&step=12", "");
    let fixed = opened
        .apply(Action::RunStarted(1))
        .apply(Action::SetFix(true))
        .apply(Action::EditSeed("99".into()));
    assert!(fixed.fix);
    // The same scenario again: a new run all the same, the fix and seed back to their defaults.
    let loaded = fixed.apply(Action::Load {
        scenario: "gc-pause-fencing".into(),
        fix: false,
        seed: None,
    });
    assert_ne!(
        loaded.run_key(),
        fixed.run_key(),
        "a load restarts even the run on stage"
    );
    assert!(!loaded.fix);
    let preset_seed = preset("gc-pause-fencing").unwrap().config.seed;
    assert_eq!(
        (loaded.seed, loaded.seed_input.clone()),
        (preset_seed, preset_seed.to_string())
    );
    let again = loaded.apply(Action::Load {
        scenario: "gc-pause-fencing".into(),
        fix: false,
        seed: None,
    });
    assert_ne!(again.run_key(), loaded.run_key(), "and again");
    let seeded = again.apply(Action::Load {
        scenario: "split-brain".into(),
        fix: true,
        seed: Some(5),
    });
    assert_eq!(
        (seeded.scenario.as_str(), seeded.fix, seeded.seed),
        ("split-brain", true, 5)
    );
    assert!(seeded.restore.is_none(), "a load opens at step 0");
    let unknown = seeded.apply(Action::Load {
        scenario: "paxos".into(),
        fix: false,
        seed: None,
    });
    assert_eq!(
        unknown.run_key(),
        seeded.run_key(),
        "no such preset: nothing changes"
    );
}

#[test]
fn a_host_reset_goes_back_to_what_the_address_opens() {
    let opened = AppState::from_location("?embed=1&scenario=gc-pause-fencing&step=12", "");
    let moved = opened
        .apply(Action::RunStarted(1))
        .apply(Action::Load {
            scenario: "split-brain".into(),
            fix: true,
            seed: Some(3),
        })
        .apply(Action::RunStarted(2));
    let reset = moved.apply(Action::Reset);
    assert_eq!(reset.scenario, "gc-pause-fencing");
    assert!(!reset.fix && !reset.playing);
    assert_eq!(reset.seed, opened.seed);
    assert_eq!(
        reset.restore.as_ref().map(|r| r.step),
        Some(12),
        "at its opening step"
    );
    assert_ne!(
        reset.run_key(),
        opened.run_key(),
        "a fresh run even if nothing moved"
    );
}

#[test]
fn an_embed_may_open_with_the_fix_on_and_play_at_a_speed() {
    let state = AppState::from_location(
        "?embed=1&scenario=gc-pause-fencing&fix=1&step=7&autoplay=1&speed=50&theme=auto",
        "",
    );
    assert!(state.fix && state.playing);
    assert_eq!(state.speed.events_per_second(), Some(50));
    assert_eq!(
        state.restore.as_ref().map(|r| (r.step, r.fix)),
        Some((7, true))
    );
    assert_eq!(state.notice, None, "every option was understood");
    let seeded = AppState::from_location("?embed=1&scenario=split-brain&seed=77&step=3", "");
    assert_eq!(
        (seeded.seed, seeded.restore.as_ref().map(|r| r.seed)),
        (77, Some(77))
    );
    let bad = AppState::from_location("?embed=1&scenario=split-brain&seed=-1", "");
    assert_eq!(bad.seed, preset("split-brain").unwrap().config.seed);
    assert!(bad.notice.unwrap().contains("a seed is a whole number"));
    // Between two settings, the slower; beyond the fastest, as fast as possible.
    let between = AppState::from_location("?embed=1&speed=300", "");
    assert_eq!(between.speed.events_per_second(), Some(200));
    let fastest = AppState::from_location("?embed=1&speed=100000", "");
    assert_eq!(fastest.speed.events_per_second(), None);
    assert_eq!(
        AppState::from_location("?embed=1", "").speed,
        Speed::DEFAULT
    );
}

#[test]
fn speed_is_logarithmic_and_clamped() {
    assert_eq!(Speed::from_position(0).events_per_second(), Some(1));
    assert_eq!(Speed::from_position(0).label(), "1 event/s");
    assert_eq!(
        Speed::from_position(Speed::MAX_POSITION).events_per_second(),
        None
    );
    assert_eq!(
        Speed::from_position(200),
        Speed::from_position(Speed::MAX_POSITION)
    );
    let rates: Vec<u32> = (0..Speed::MAX_POSITION)
        .filter_map(|p| Speed::from_position(p).events_per_second())
        .collect();
    assert!(rates.windows(2).all(|w| w[1] >= 2 * w[0]), "{rates:?}");
}

#[test]
fn every_preset_can_be_found_by_its_id() {
    assert_eq!(presets().len(), scenarios::all().len());
    for scenario in presets().iter() {
        assert_eq!(preset(&scenario.id).as_ref(), Some(scenario));
    }
    assert_eq!(preset("no-such-scenario"), None);
}

#[test]
fn an_action_that_changes_nothing_keeps_the_same_state_object() {
    use yew::Reducible;
    let state = Rc::new(AppState::default());
    let same = state.clone().reduce(Action::Pause);
    assert!(Rc::ptr_eq(&state, &same));
    let changed = state.clone().reduce(Action::TogglePlay);
    assert!(!Rc::ptr_eq(&state, &changed));
}

fn seat_12a() -> SharedRun {
    SharedRun {
        scenario: "seat-12a".into(),
        fix: false,
        seed: 3,
        faults: Vec::new(),
        step: 9,
        moment: Moment::default(),
        cluster: None,
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    }
}

#[test]
fn a_link_or_file_that_cannot_be_opened_leaves_the_work_alone() {
    let working = with_a_fault().apply(Action::SelectScenario("sandbox".into()));
    let working = working
        .apply(Action::ConfirmDiscard)
        .apply(Action::FaultApplied(2));
    for action in [
        Action::OpenLink("#v1.abc".into()),
        Action::OpenFile("{}".into()),
    ] {
        let after = working.apply(action);
        assert_eq!(after.confirm, None, "nothing to confirm");
        assert_eq!(after.run_key(), working.run_key(), "the run goes on");
        assert!(after.hand_faults);
        assert!(after.notice.unwrap().contains("could not be opened"));
    }
}

fn with_a_fault() -> AppState {
    AppState::default().apply(Action::FaultApplied(2))
}

#[test]
fn losing_hand_made_faults_asks_first() {
    let working = with_a_fault().apply(Action::TogglePlay);
    assert!(working.hand_faults);
    for action in [
        Action::Restart,
        Action::SelectScenario("sandbox".into()),
        Action::EditSeed("12345".into()),
        Action::OpenLink(format!("#{}", share::encode(&seat_12a()))),
        Action::OpenFile(share::to_json(&seat_12a())),
        Action::SetCluster(Some(preset("split-brain").unwrap().cluster().with_nodes(3))),
    ] {
        let asked = working.apply(action.clone());
        assert_eq!(
            asked.confirm.as_deref().map(|p| &p.action),
            Some(&action),
            "{action:?} asks"
        );
        assert_eq!(asked.run_key(), working.run_key(), "{action:?} waits");
        assert!(!asked.playing, "the run pauses while asking");
        let kept = asked.apply(Action::KeepWork);
        assert_eq!(kept.confirm, None);
        assert_eq!(kept.run_key(), working.run_key());
        assert!(kept.hand_faults, "the work is still there");
        let done = asked.apply(Action::ConfirmDiscard);
        assert_eq!(done.confirm, None);
        assert_eq!(done, working.apply(Action::Force(Box::new(action))));
    }
    let question = super::discard::loses_work(&working, &Action::Restart).unwrap();
    assert_eq!(
        question,
        "Restart the run? This discards the faults you applied."
    );
}

#[test]
fn actions_that_lose_nothing_do_not_ask() {
    let working = with_a_fault();
    for action in [
        Action::TogglePlay,
        Action::SetFix(false),
        // The faults go with the run into the fixed variant.
        Action::SetFix(true),
        Action::EditSeed(working.seed.to_string()),
        Action::EditSeed("12x".into()),
        Action::SelectScenario(working.scenario.clone()),
        Action::SelectScenario("no-such-scenario".into()),
        Action::ToggleHelp,
    ] {
        assert_eq!(working.apply(action.clone()).confirm, None, "{action:?}");
    }
    let fresh = AppState::default();
    assert_eq!(fresh.apply(Action::Restart).confirm, None);
    assert_eq!(
        fresh
            .apply(Action::SelectScenario("sandbox".into()))
            .scenario,
        "sandbox"
    );
}

#[test]
fn a_customised_cluster_is_work_a_new_scenario_would_lose() {
    let sandbox = preset("sandbox").unwrap();
    let cluster = sandbox.cluster().with_nodes(7);
    let custom = AppState::default()
        .apply(Action::SelectScenario("sandbox".into()))
        .apply(Action::SetCluster(Some(cluster.clone())));
    assert_eq!(custom.cluster, Some(cluster.clone()));
    assert_eq!(
        custom.apply(Action::Restart).cluster,
        Some(cluster),
        "restarting keeps the cluster, without asking"
    );
    let asked = custom.apply(Action::SelectScenario("split-brain".into()));
    assert_eq!(
        asked.confirm.as_ref().unwrap().question,
        "Load “Two leaders: split brain under a partition”? This discards your cluster settings."
    );
    let moved = asked.apply(Action::ConfirmDiscard);
    assert_eq!(
        (moved.scenario.as_str(), moved.cluster.clone()),
        ("split-brain", None)
    );
}

#[test]
fn a_seed_typed_while_asking_shows_then_goes_back() {
    let working = with_a_fault();
    let asked = working.apply(Action::EditSeed("999".into()));
    assert_eq!(asked.seed_input, "999");
    assert_eq!(asked.seed, working.seed);
    let kept = asked.apply(Action::KeepWork);
    assert_eq!(kept.seed_input, working.seed.to_string());
    let confirmed = asked.apply(Action::ConfirmDiscard);
    assert_eq!((confirmed.seed, confirmed.hand_faults), (999, false));
}

#[test]
fn a_link_with_a_cluster_and_faults_opens_as_work() {
    let cluster = preset("sandbox").unwrap().cluster().with_nodes(4);
    let shared = SharedRun {
        scenario: "sandbox".into(),
        fix: false,
        seed: 15,
        faults: vec![crate::sim::LoggedCommand {
            after_step: 3,
            after_pops: 3,
            at_time: 100,
            command: crate::sim::Command::HealAll,
        }],
        step: 10,
        moment: Moment::default(),
        cluster: Some(cluster.clone()),
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    };
    let state = AppState::from_fragment(&share::encode(&shared));
    assert_eq!(state.cluster, Some(cluster));
    assert!(state.hand_faults);
    assert!(state
        .apply(Action::SelectScenario("split-brain".into()))
        .confirm
        .is_some());
}

#[test]
fn a_reload_brings_back_the_autosaved_run_unless_a_link_or_embed_says_otherwise() {
    let cluster = preset("sandbox").unwrap().cluster().with_nodes(6);
    let saved = share::encode(&SharedRun {
        scenario: "sandbox".into(),
        fix: false,
        seed: 4,
        faults: Vec::new(),
        step: 77,
        moment: Moment::default(),
        cluster: Some(cluster.clone()),
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    });
    let reloaded = AppState::opening("", "", Some(saved.clone()));
    assert_eq!(
        (reloaded.scenario.as_str(), reloaded.seed, reloaded.cluster),
        ("sandbox", 4, Some(cluster))
    );
    assert_eq!(reloaded.restore.as_ref().map(|r| r.step), Some(77));
    assert!(reloaded.notice.unwrap().contains("as you left it"));

    let link = share::encode(&SharedRun {
        scenario: "seat-12a".into(),
        fix: false,
        seed: 3,
        faults: Vec::new(),
        step: 1,
        moment: Moment::default(),
        cluster: None,
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    });
    let linked = AppState::opening("", &format!("#{link}"), Some(saved.clone()));
    assert_eq!(linked.scenario, "seat-12a", "a link wins over the autosave");
    let embedded = AppState::opening("?embed=1", "", Some(saved));
    assert_eq!(embedded.scenario, AppState::default().scenario);
    assert!(
        embedded.embed.enabled,
        "an embed never opens the reader's own run"
    );

    let damaged = AppState::opening("", "", Some("v1.!!".into()));
    assert_eq!(damaged.scenario, AppState::default().scenario);
    assert!(damaged
        .notice
        .unwrap()
        .starts_with("Your autosaved run could not be opened"));
    assert_eq!(AppState::opening("", "", None), AppState::default());
}

#[test]
fn a_requested_speed_picks_the_fastest_setting_not_above_it() {
    assert_eq!(Speed::at_most(0).events_per_second(), Some(1));
    assert_eq!(Speed::at_most(1).events_per_second(), Some(1));
    assert_eq!(Speed::at_most(300).events_per_second(), Some(200));
    assert_eq!(Speed::at_most(10_000).events_per_second(), Some(10_000));
    assert_eq!(Speed::at_most(10_001).events_per_second(), None);
    assert_eq!(Speed::at_most(u32::MAX).events_per_second(), None);
}

#[test]
fn embed_options_may_ride_in_the_fragment_after_the_run() {
    let link = share::encode(&seat_12a());
    let state = AppState::from_location("", &format!("#{link}&embed=1&autoplay=1"));
    assert!(state.embed.enabled && state.playing);
    assert_eq!(state.restore, Some(seat_12a()));
    let alone = AppState::from_location("", "#embed=1&scenario=split-brain&step=3");
    assert!(alone.embed.enabled);
    assert_eq!(alone.scenario, "split-brain");
    assert_eq!(alone.notice, None, "options alone are not a broken link");
    assert_eq!(alone.restore.as_ref().map(|r| r.step), Some(3));
}

#[test]
fn a_scenario_of_ones_own_opens_from_a_link_and_a_preset_replaces_it() {
    let mut own = preset("split-brain").unwrap();
    own.id = "my-split".into();
    own.title = "<b>My</b> split brain".into();
    let shared = SharedRun {
        custom: Some(Box::new(own.clone())),
        scenario: own.id.clone(),
        ..seat_12a()
    };
    let state = AppState::from_fragment(&share::encode(&shared));
    assert_eq!(state.scenario, "my-split");
    assert_eq!(state.base_scenario(), Some(own.clone()));
    assert_eq!(state.run_key().custom.as_deref(), Some(&own));
    let same_id = AppState::from_fragment(&share::encode(&SharedRun {
        custom: Some(Box::new(preset("split-brain").unwrap())),
        scenario: "split-brain".into(),
        ..seat_12a()
    }));
    assert!(
        same_id
            .apply(Action::SelectScenario("split-brain".into()))
            .confirm
            .is_some(),
        "the preset of the same id still replaces one's own scenario"
    );
    let asked = state.apply(Action::SelectScenario("sandbox".into()));
    assert!(
        asked
            .confirm
            .unwrap()
            .question
            .ends_with("This discards your own scenario."),
        "another scenario would replace one's own"
    );
    let back = state
        .apply(Action::ConfirmDiscard)
        .apply(Action::Force(Box::new(Action::SelectScenario(
            "sandbox".into(),
        ))));
    assert_eq!((back.custom, back.scenario.as_str()), (None, "sandbox"));

    if let crate::scenarios::ModelSpec::Election { params, .. } = &mut own.model {
        params.heartbeat_us = 0;
    }
    let flooding = SharedRun {
        custom: Some(Box::new(own)),
        ..shared
    };
    let refused = AppState::from_fragment(&share::encode(&flooding));
    assert_eq!(refused.custom, None);
    assert!(refused
        .notice
        .unwrap()
        .contains("its scenario cannot run: model.params.heartbeat_us is 0 µs"));
}

#[test]
fn controls_that_cannot_act_are_disabled_and_say_why() {
    let fresh = AppState::default();
    assert!(
        !fresh.can_go_back(),
        "at step 0 there is nothing to go back to"
    );
    assert!(!fresh.can_restart(), "a fresh run restarts to itself");
    let restarted = fresh.apply(Action::Restart);
    assert_eq!(restarted.restarts, fresh.restarts, "nothing to restart");
    assert_eq!(restarted.hint, Some(Hint::Unchanged));
    let moved = fresh.apply(Action::Progress(Progress {
        step: 3,
        ..Progress::default()
    }));
    assert!(moved.can_go_back() && moved.can_restart());
    let faulted = fresh.apply(Action::FaultApplied(2));
    assert!(!faulted.can_go_back());
    assert!(
        faulted.can_restart(),
        "faults applied at step 0 are undone by a restart"
    );

    // At the end, Space says why nothing plays; the hint goes once the run moves.
    let ended = moved.apply(Action::Progress(Progress {
        step: 40,
        finished: true,
        ..Progress::default()
    }));
    let pressed = ended.apply(Action::TogglePlay);
    assert!(!pressed.playing);
    assert_eq!(pressed.hint, Some(Hint::AtEnd));
    let back = pressed.apply(Action::Progress(Progress {
        step: 39,
        ..Progress::default()
    }));
    assert_eq!(back.hint, None);
    for hint in [Hint::AtStart, Hint::AtEnd, Hint::Unchanged] {
        assert!(hint.text().ends_with('.') && hint.text().len() > 20);
    }
    assert_eq!(
        scrubber_text(40, 40, true),
        (
            "step 40 of 40; the run has ended".to_string(),
            Hint::AtEnd.text()
        )
    );
    assert_eq!(
        scrubber_text(0, 12, false).0,
        "step 0 of 12; the start of the run"
    );
    assert_eq!(scrubber_text(5, 12, false).0, "step 5 of 12");
}

#[test]
fn a_misconfigured_embed_says_what_it_shows_instead() {
    let state = AppState::from_location("?embed=1&scenario=splitbrain&step=x", "");
    assert_eq!(state.scenario, first_preset().id, "the first preset shows");
    let notice = state.notice.clone().expect("the mistake is said");
    assert!(
        notice.contains("no scenario “splitbrain” (did you mean “split-brain”?)"),
        "{notice}"
    );
    assert!(
        notice.contains(&format!("Showing “{}” instead", first_preset().title)),
        "{notice}"
    );
    assert!(notice.contains("step=“x”"), "{notice}");
    assert!(
        notice.contains("Known scenarios: split-brain, "),
        "{notice}"
    );
    assert_eq!(
        state.apply(Action::DismissNotice).notice,
        None,
        "and can be dismissed"
    );
    let fine = AppState::from_location("?embed=1&scenario=seat-12a", "");
    assert_eq!((fine.scenario.as_str(), fine.notice), ("seat-12a", None));
    // A broken link and a mistaken option are both said.
    let both = AppState::from_location("?embed=1&theme=blue", "#v1.not-a-run");
    let notice = both.notice.unwrap();
    assert!(notice.contains("This link could not be opened") && notice.contains("theme=“blue”"));
}

#[test]
fn choosing_the_preset_on_stage_again_changes_nothing() {
    // It used to forget the run's progress and faults while the run itself went on, so the
    // controls judged a played run as fresh.
    let played = AppState::default()
        .apply(Action::FaultApplied(2))
        .apply(Action::Progress(Progress {
            step: 40,
            finished: true,
            ..Progress::default()
        }));
    let again = played.apply(Action::SelectScenario(played.scenario.clone()));
    assert_eq!(again, played);
    assert!(again.can_restart());
    // With a customised cluster, the preset's own replaces it: that is work, so it asks.
    let customised = AppState {
        cluster: Some(first_preset().cluster().with_nodes(7)),
        ..AppState::default()
    };
    let asked = customised.apply(Action::SelectScenario(customised.scenario.clone()));
    assert!(asked.confirm.is_some(), "losing a cluster is asked about");
}

/// A finished hunt's result as the worker sends it, with a failure staged at step 40.
fn finished(id: u32) -> Action {
    let staged = share::encode(&SharedRun {
        step: 40,
        hunt: Some(Settings::default()),
        ..SharedRun::new("split-brain".into(), false, 1)
    });
    Action::Hunt(HuntAction::Finished {
        id,
        result: Rc::new(HuntResult {
            mode: crate::hunt::Mode::Find,
            settings: Settings::default(),
            summary: "split brain after 6 schedules".into(),
            broke: Some("At most one leader accepts writes at any moment".into()),
            tally: crate::hunt::Tally::default(),
            naive: None,
            faults: Some(1),
            staged: Some(staged),
        }),
        timing: (60.0, 20.0),
    })
}

#[test]
fn a_hunt_runs_reports_and_puts_its_failure_on_stage() {
    let state = AppState::default()
        .apply(Action::SelectScenario("split-brain".into()))
        .apply(Action::Hunt(HuntAction::Open(true)));
    assert!(state.hunt.open);
    assert_eq!(state.small_view, SmallView::Inspector, "a phone shows it");
    let running = state.apply(Action::Hunt(HuntAction::Start(1)));
    assert_eq!(running.hunt.running(), Some(1));
    let progress = crate::hunt::Progress {
        phase: crate::hunt::Phase::Searching,
        tried: 3,
        total: 1_000,
        found: None,
        shrink_tries: 0,
    };
    let moved = running.apply(Action::Hunt(HuntAction::Progress {
        id: 1,
        progress: progress.clone(),
        elapsed_ms: 20.0,
    }));
    assert!(matches!(
        moved.hunt.status,
        HuntStatus::Running { progress: Some(ref p), .. } if p.tried == 3
    ));
    // What an older hunt says is not heard.
    let stale = moved.apply(Action::Hunt(HuntAction::Failed {
        id: 0,
        message: "old".into(),
    }));
    assert_eq!(stale, moved);
    let done = moved.apply(finished(1));
    assert!(matches!(
        done.hunt.status,
        HuntStatus::Done { shown: true, .. }
    ));
    assert_eq!(done.hunted, Some(Settings::default()));
    assert_ne!(done.run_key(), moved.run_key(), "a new run: the subject");
    let restore = done.restore.clone().expect("the found faults replay");
    assert_eq!(
        (restore.step, restore.hunt),
        (40, Some(Settings::default()))
    );
    assert!(done.staged_scenario().unwrap().title.ends_with("(hunted)"));
    // Choosing a preset leaves the hunt's run.
    let other = done.apply(Action::SelectScenario("sandbox".into()));
    assert_eq!(other.hunted, None);
}

#[test]
fn a_hunt_waits_to_replace_faults_applied_by_hand_and_stops_when_the_scenario_changes() {
    let working = with_a_fault()
        .apply(Action::Hunt(HuntAction::Open(true)))
        .apply(Action::Hunt(HuntAction::Start(1)));
    let done = working.apply(finished(1));
    assert!(
        matches!(done.hunt.status, HuntStatus::Done { shown: false, .. }),
        "not shown over the person's faults"
    );
    assert_eq!(done.hunted, None);
    let asked = done.apply(Action::Hunt(HuntAction::Show));
    assert!(asked.confirm.is_some(), "showing it asks first");
    let shown = asked.apply(Action::ConfirmDiscard);
    assert!(shown.hunted.is_some());

    let running = AppState::default().apply(Action::Hunt(HuntAction::Start(4)));
    for change in [
        Action::SetFix(true),
        Action::SelectScenario("sandbox".into()),
        Action::EditSeed("77".into()),
    ] {
        let changed = running.apply(change.clone());
        assert_eq!(changed.hunt.running(), None, "{change:?} stops the hunt");
        assert!(matches!(
            changed.hunt.status,
            HuntStatus::Cancelled { tried: 0 }
        ));
        // Its report, arriving late, is not taken.
        assert_eq!(changed.apply(finished(4)), changed);
    }
    let cancelled = running.apply(Action::Hunt(HuntAction::Cancel));
    assert_eq!(cancelled.hunt.running(), None);
}

#[test]
fn a_hunt_run_travels_in_its_link() {
    let settings = Settings {
        seed: 99,
        schedules: 250,
        ..Settings::default()
    };
    let link = share::encode(&SharedRun {
        hunt: Some(settings.clone()),
        ..SharedRun::new("split-brain".into(), false, 1)
    });
    let opened = AppState::from_fragment(&link);
    assert_eq!(opened.hunted, Some(settings.clone()));
    assert_eq!(opened.hunt.settings, settings);
    assert!(opened.run_key().hunted);
    let bad = share::encode(&SharedRun {
        hunt: Some(Settings {
            max_faults: 99,
            ..settings
        }),
        ..opened.restore.clone().unwrap()
    });
    let refused = AppState::from_fragment(&bad);
    assert_eq!(refused.hunted, None);
    assert!(refused.notice.unwrap().contains(
        "its hunt settings are impossible: faults per schedule: 99 is more than the 20 a \
         schedule may hold"
    ));
}

#[test]
fn a_fault_keeps_the_node_menu_open_and_closes_a_message_menu() {
    // The clock is set by degrees: each step of the slider is a fault, and the menu stays.
    let open = AppState::default().apply(Action::NodeMenu(Some(NodeId(2))));
    let after = open.apply(Action::FaultApplied(2));
    assert_eq!(after.node_menu, Some(NodeId(2)));
    assert_eq!(after.inspected, Some(NodeId(2)));
    let message = AppState::default().apply(Action::MessageMenu(Some((MsgId(4), 10.0, 20.0))));
    assert_eq!(message.apply(Action::FaultApplied(2)).message_menu, None);
    // Escape (or Close) still closes it.
    assert_eq!(after.apply(Action::Dismiss).node_menu, None);
}

#[test]
fn turning_the_fix_on_keeps_the_runs_faults_as_the_persons_work() {
    let working = with_a_fault();
    let fixed = working.apply(Action::SetFix(true));
    assert_eq!(fixed.confirm, None, "nothing is lost, so nothing is asked");
    assert!(fixed.fix);
    assert!(
        fixed.hand_faults,
        "the faults came along: restarting would still lose them"
    );
    assert!(fixed.apply(Action::Restart).confirm.is_some());
}

#[test]
fn an_address_that_names_a_scenario_wins_and_the_autosave_is_offered() {
    let saved = share::encode(&SharedRun {
        faults: vec![crate::sim::LoggedCommand {
            after_step: 3,
            after_pops: 3,
            at_time: 1_000,
            command: crate::sim::Command::Pause {
                node: crate::sim::NodeId(1),
            },
        }],
        ..SharedRun::new("split-brain".into(), false, 1)
    });
    for (query, fragment) in [
        ("?scenario=gc-pause-fencing", ""),
        ("", "#scenario=gc-pause-fencing"),
    ] {
        let opened = AppState::opening(query, fragment, Some(saved.clone()));
        assert_eq!(opened.scenario, "gc-pause-fencing", "{query}{fragment}");
        assert_eq!(opened.restore, None, "the named scenario starts afresh");
        let (link, words) = opened.offered.clone().expect("the autosave is offered");
        assert_eq!(link, saved);
        assert!(words.contains("Two leaders"), "{words}");
        assert!(words.contains("the faults you applied"), "{words}");
        assert!(
            !super::super::autosave::worth_saving(&opened),
            "nor overwritten yet"
        );

        let taken = opened.apply(Action::TakeOffer(true));
        assert_eq!(taken.scenario, "split-brain");
        assert!(taken.hand_faults && taken.restore.is_some());
        assert_eq!(taken.offered, None);
        let dismissed = opened.apply(Action::TakeOffer(false));
        assert_eq!(dismissed.scenario, "gc-pause-fencing");
        assert_eq!(dismissed.offered, None);
        assert!(super::super::autosave::worth_saving(&dismissed));
        // Work in the named scenario is saved, offer or not.
        assert!(super::super::autosave::worth_saving(
            &opened.apply(Action::FaultApplied(3))
        ));
        // Taking it over work of one's own asks first.
        let working = opened.apply(Action::FaultApplied(3));
        assert!(working.apply(Action::TakeOffer(true)).confirm.is_some());
    }
    // The same run as the one named, with nothing of one's own in it, is not worth offering.
    let plain = share::encode(&SharedRun::new("gc-pause-fencing".into(), false, 1));
    let opened = AppState::opening("?scenario=gc-pause-fencing", "", Some(plain));
    assert_eq!(opened.offered, None);
}

#[test]
fn a_challenge_plays_on_its_own_run_and_hears_its_par_by_id() {
    let challenge = Rc::new(crate::challenge::by_id("two-leaders-quorum").unwrap());
    let open = AppState::default().apply(Action::Challenge(ChallengeAction::Start(Rc::clone(
        &challenge,
    ))));
    let play = open.challenge.clone().expect("playing");
    assert_eq!((open.scenario.as_str(), open.fix), ("split-brain", true));
    assert_eq!(play.par, Par::Waiting);
    assert_eq!(open.run_key().challenge, Some(Rc::clone(&challenge)));
    // The par's hunt takes the next hunt id; the worker's answer for it is the challenge's.
    let asked = open.apply(Action::Challenge(ChallengeAction::ParStarted(1)));
    assert_eq!(asked.hunt.last_id, 1);
    let told = asked.apply(finished(1));
    assert!(matches!(told.challenge.as_ref().unwrap().par, Par::Done(_, ms) if ms == 60.0));
    assert_eq!(told.hunt.status, HuntStatus::Idle, "not the hunt panel's");
    // An answer for another hunt is not.
    assert_eq!(asked.apply(finished(7)).challenge, asked.challenge);
    // Another scenario, fix or seed leaves the challenge; restarting keeps it.
    assert!(told.apply(Action::SetFix(false)).challenge.is_none());
    assert!(told
        .apply(Action::Force(Box::new(Action::SelectScenario(
            "timeouts".into()
        ))))
        .challenge
        .is_none());
    assert!(told
        .apply(Action::Challenge(ChallengeAction::Again))
        .challenge
        .is_some());
    let left = told.apply(Action::Challenge(ChallengeAction::Leave));
    assert!(left.challenge.is_none() && left.restarts > told.restarts);
}

#[test]
fn a_teacher_makes_a_challenge_field_by_field_and_plays_it() {
    let menu = AppState::from_location("?scenario=gc-pause-fencing", "")
        .apply(Action::Challenge(ChallengeAction::Menu(true)))
        .apply(Action::Challenge(ChallengeAction::Draft(true)));
    let draft = menu.challenge_draft.clone().expect("a draft");
    assert_eq!(draft.scenario, "gc-pause-fencing");
    let edit = |state: &AppState, field: &str, value: &str| {
        state.apply(Action::Challenge(ChallengeAction::Edit {
            field: field.into(),
            value: value.into(),
            checked: false,
        }))
    };
    let broken = edit(&menu, "faults", "0");
    // A draft that breaks a limit does not play.
    assert_eq!(
        broken
            .apply(Action::Challenge(ChallengeAction::PlayDraft))
            .challenge,
        None
    );
    let titled = edit(&edit(&broken, "faults", "1"), "title", "One pause");
    let playing = titled.apply(Action::Challenge(ChallengeAction::PlayDraft));
    let play = playing.challenge.expect("playing the draft");
    assert_eq!(
        (play.challenge.title.as_str(), play.challenge.faults),
        ("One pause", 1)
    );
    assert!(!playing.challenge_menu && playing.challenge_draft.is_none());
    // It travels in a link, and a link that changes it beyond the limits is refused by field.
    let link = share::encode(&SharedRun {
        challenge: Some(Box::new((*play.challenge).clone())),
        ..SharedRun::new("gc-pause-fencing".into(), false, 1)
    });
    let opened = AppState::from_fragment(&link);
    assert_eq!(opened.challenge.unwrap().challenge, play.challenge);
    let hostile = share::encode(&SharedRun {
        challenge: Some(Box::new(crate::challenge::Challenge {
            kinds: vec![],
            ..(*play.challenge).clone()
        })),
        ..SharedRun::new("gc-pause-fencing".into(), false, 1)
    });
    let refused = AppState::from_fragment(&hostile);
    assert!(refused.challenge.is_none());
    assert_eq!(
        refused.notice.as_deref(),
        Some(
            "This link could not be opened: its challenge is impossible: challenge.kinds: allow \
             at least one kind of fault."
        )
    );
    // A built-in one opens by name from the address, and an unknown name is told.
    let named = AppState::from_location("?challenge=stale-write", "");
    assert_eq!(named.challenge.unwrap().challenge.id, "stale-write");
    let typo = AppState::from_location("?challenge=nope", "");
    assert!(typo.challenge.is_none());
    assert!(typo.notice.unwrap().contains("a built-in challenge's id"));
}

#[test]
fn the_challenge_menu_opens_over_a_paused_run() {
    let playing = AppState {
        playing: true,
        ..AppState::default()
    };
    let menu = playing.apply(Action::Challenge(ChallengeAction::Menu(true)));
    assert!(menu.challenge_menu && !menu.playing);
    assert!(
        !menu
            .apply(Action::Challenge(ChallengeAction::Menu(false)))
            .challenge_menu
    );
}
