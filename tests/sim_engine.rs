//! Behaviour of the simulation engine, one mechanism per test, with a fixed-period model whose
//! timing is predictable.
#![cfg(not(target_arch = "wasm32"))]

use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{
    ClockConfig, Command, CommandError, Context, DropReason, EventKind, LinkConfig, LoggedCommand,
    Micros, Model, MsgId, NodeId, NodeState, NodeStatus, ReplayError, RequestId, Scheduled,
    SimConfig, Simulation, MAX_REPLAY_STEPS,
};
use serde::{Deserialize, Serialize};

const PERIOD: Micros = 100_000;

/// Every node ticks every 100 ms of its own monotonic clock and pings the next node.
#[derive(Clone, Debug)]
struct Ticker;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
enum Reading {
    Tick {
        time_of_day: i64,
        monotonic: u64,
        earliest: i64,
        latest: i64,
    },
    Answer {
        ticks: u32,
    },
}

impl Model for Ticker {
    type Msg = u32;
    type Timer = ();
    type ClientOp = ();
    type Note = Reading;
    /// Ticks so far (kept on disk).
    type Durable = u32;
    /// Pings received since the last start.
    type Volatile = u32;

    fn start(&self, ctx: &mut Context<'_, Self>) -> NodeState<Self> {
        ctx.set_timer((), PERIOD);
        NodeState {
            durable: 0,
            volatile: 0,
        }
    }

    fn recover(&self, durable: u32, ctx: &mut Context<'_, Self>) -> NodeState<Self> {
        ctx.set_timer((), PERIOD);
        NodeState {
            durable,
            volatile: 0,
        }
    }

    fn on_message(
        &self,
        state: &mut NodeState<Self>,
        _: &mut Context<'_, Self>,
        _: NodeId,
        _: &u32,
    ) {
        state.volatile += 1;
    }

    fn on_timer(&self, state: &mut NodeState<Self>, ctx: &mut Context<'_, Self>, _: &()) {
        state.durable += 1;
        let interval = ctx.interval();
        ctx.record(Reading::Tick {
            time_of_day: ctx.time_of_day(),
            monotonic: ctx.monotonic(),
            earliest: interval.earliest,
            latest: interval.latest,
        });
        let next = NodeId((ctx.node().0 + 1) % ctx.node_count());
        if next != ctx.node() {
            ctx.send(next, state.durable);
        }
        ctx.set_timer((), PERIOD);
    }

    fn on_client(
        &self,
        state: &mut NodeState<Self>,
        ctx: &mut Context<'_, Self>,
        request: RequestId,
        _: &(),
    ) {
        ctx.reply(
            request,
            Reading::Answer {
                ticks: state.durable,
            },
        );
    }
}

fn config(nodes: u8) -> SimConfig {
    SimConfig {
        nodes,
        seed: 9,
        link: LinkConfig {
            latency_us: 10_000,
            jitter_us: 0,
            loss: 0.0,
            duplication: 0.0,
        },
        clocks: Vec::new(),
        links: Vec::new(),
    }
}

fn ticker(nodes: u8) -> Simulation<Ticker> {
    Simulation::new(Ticker, config(nodes)).expect("valid")
}

const A: NodeId = NodeId(0);
const B: NodeId = NodeId(1);
const C: NodeId = NodeId(2);

fn kinds_on(sim: &Simulation<Ticker>, node: NodeId) -> Vec<EventKind> {
    sim.trace()
        .events()
        .iter()
        .filter(|e| e.node == node)
        .map(|e| e.kind)
        .collect()
}

fn tick_times(sim: &Simulation<Ticker>, node: NodeId) -> Vec<Micros> {
    sim.trace()
        .events()
        .iter()
        .filter(|e| e.node == node && matches!(e.kind, EventKind::Timer { .. }))
        .map(|e| e.time)
        .collect()
}

#[test]
fn timers_fire_on_the_monotonic_clock_so_drift_changes_true_time() {
    let mut sim = Simulation::new(
        Ticker,
        SimConfig {
            clocks: vec![
                ClockConfig {
                    drift_ppm: 0,
                    ..ClockConfig::default()
                },
                ClockConfig {
                    drift_ppm: 250_000,
                    ..ClockConfig::default()
                },
            ],
            ..config(2)
        },
    )
    .unwrap();
    sim.run_until(1_000_000);
    assert_eq!(
        tick_times(&sim, A),
        (1..=10).map(|k| k * PERIOD).collect::<Vec<_>>()
    );
    // 25 % fast: 100 ms on its clock is 80 ms of true time.
    assert_eq!(
        tick_times(&sim, B),
        (1..=12).map(|k| k * 80_000).collect::<Vec<_>>()
    );
    // Slow it down mid-run: the pending timer is re-armed for the new rate.
    sim.apply(Command::SetDrift {
        node: B,
        drift_ppm: -500_000,
    })
    .unwrap();
    sim.run_until(1_500_000);
    let after: Vec<_> = tick_times(&sim, B)
        .into_iter()
        .filter(|&t| t > 1_000_000)
        .collect();
    // Last tick at 960 ms. By 1000 ms, 40 ms of true time at 1.25× is 50 ms of its 100 ms;
    // the other 50 ms at half speed take 100 ms of true time.
    assert_eq!(after, vec![1_100_000, 1_300_000, 1_500_000]);
}

#[test]
fn ntp_steps_and_offsets_move_time_of_day_only() {
    let mut sim = Simulation::new(
        Ticker,
        SimConfig {
            clocks: vec![ClockConfig {
                offset_us: 5_000,
                drift_ppm: 0,
                uncertainty_us: 700,
            }],
            ..config(1)
        },
    )
    .unwrap();
    sim.run_until(PERIOD);
    sim.apply(Command::NtpStep {
        node: A,
        delta_us: -30_000,
    })
    .unwrap();
    sim.run_until(2 * PERIOD);
    let readings: Vec<Reading> = sim
        .trace()
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Local { note } => Some(sim.trace().note(note).clone()),
            _ => None,
        })
        .collect();
    let [Reading::Tick {
        time_of_day: t1,
        monotonic: m1,
        earliest,
        latest,
    }, Reading::Tick {
        time_of_day: t2,
        monotonic: m2,
        ..
    }] = readings[..]
    else {
        panic!("expected two ticks, got {readings:?}");
    };
    assert_eq!(t1, PERIOD as i64 + 5_000);
    assert_eq!((earliest, latest), (t1 - 700, t1 + 700));
    assert_eq!(
        t2,
        2 * PERIOD as i64 + 5_000 - 30_000,
        "the wall clock jumped back 30 ms"
    );
    assert_eq!(m2 - m1, PERIOD, "the monotonic clock did not jump");
}

#[test]
fn a_paused_node_does_nothing_then_runs_overdue_work_in_order() {
    let mut sim = ticker(3);
    sim.run_until(PERIOD + 20_000);
    sim.apply(Command::Pause { node: B }).unwrap();
    let paused_at = sim.now();
    sim.run_until(paused_at + 350_000);
    let busy = sim
        .trace()
        .events()
        .iter()
        .filter(|e| e.node == B && e.time > paused_at && e.process)
        .count();
    assert_eq!(busy, 0, "B processed while paused");
    assert_eq!(sim.status(B), NodeStatus::Paused);
    sim.apply(Command::Resume { node: B }).unwrap();
    let resumed_at = sim.now();
    sim.run_until(resumed_at);
    let overdue: Vec<EventKind> = sim
        .trace()
        .events()
        .iter()
        .filter(|e| {
            e.node == B && e.time == resumed_at && !matches!(e.kind, EventKind::Fault { .. })
        })
        .map(|e| e.kind)
        .collect();
    // A's pings that arrived during the pause (at 210, 310 and 410 ms, in that order) and the
    // one overdue timer.
    let delivered: Vec<u32> = overdue
        .iter()
        .filter_map(|k| match k {
            EventKind::Deliver { msg } => Some(*sim.trace().payload(*msg)),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, vec![2, 3, 4]);
    let timer_position = overdue
        .iter()
        .position(|k| matches!(k, EventKind::Timer { .. }))
        .unwrap();
    let fired: Vec<_> = overdue
        .iter()
        .filter(|k| matches!(k, EventKind::Timer { .. }))
        .collect();
    assert_eq!(fired.len(), 1, "a timer fires once however late");
    assert_eq!(
        timer_position, 0,
        "due at 200 ms, before the ping that arrived at 210 ms: {overdue:?}"
    );
}

#[test]
fn a_crash_loses_volatile_state_keeps_durable_state_and_restart_recovers() {
    let mut sim = ticker(2);
    sim.run_until(350_000);
    let before = sim.state(B).unwrap().clone();
    assert_eq!((before.durable, before.volatile), (3, 3));
    sim.apply(Command::Crash { node: B }).unwrap();
    assert!(sim.state(B).is_none());
    assert_eq!(*sim.durable(B), 3);
    assert!(sim.timers(B).is_empty(), "a crash stops the node's timers");
    sim.run_until(600_000);
    let drops: Vec<_> = sim
        .trace()
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Drop {
                    reason: DropReason::NodeCrashed,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(
        drops.len(),
        2,
        "A's pings at 400 and 500 ms die at the crashed node"
    );
    assert!(tick_times(&sim, B).iter().all(|&t| t < 350_000));
    sim.apply(Command::Restart { node: B }).unwrap();
    let after = sim.state(B).unwrap();
    assert_eq!((after.durable, after.volatile), (3, 0));
    sim.run_until(sim.now() + PERIOD);
    assert_eq!(
        sim.state(B).unwrap().durable,
        4,
        "recovery re-armed the timer"
    );
}

#[test]
fn cut_links_drop_messages_one_way_only() {
    let mut sim = ticker(2);
    sim.apply(Command::CutLink { from: A, to: B }).unwrap();
    sim.run_until(450_000);
    let link_down_drops = kinds_on(&sim, B)
        .iter()
        .filter(|k| {
            matches!(
                k,
                EventKind::Drop {
                    reason: DropReason::Lost,
                    ..
                }
            )
        })
        .count();
    assert_eq!(link_down_drops, 4, "A's four pings die in the cut link");
    let a_received = kinds_on(&sim, A)
        .iter()
        .filter(|k| matches!(k, EventKind::Deliver { .. }))
        .count();
    assert_eq!(a_received, 4, "B → A still works");
    // A cut while a message is in flight drops it on arrival.
    sim.apply(Command::HealLink { from: A, to: B }).unwrap();
    sim.run_until(505_000);
    sim.apply(Command::CutLink { from: A, to: B }).unwrap();
    sim.run_until(520_000);
    assert!(matches!(
        kinds_on(&sim, B).last(),
        Some(EventKind::Drop {
            reason: DropReason::LinkDown,
            ..
        })
    ));
}

#[test]
fn partitions_group_nodes_and_heal_all_restores_every_link() {
    let mut sim = ticker(5);
    let (d, e) = (NodeId(3), NodeId(4));
    sim.apply(Command::Partition {
        groups: vec![vec![A, B], vec![C, d]],
    })
    .unwrap();
    let net = sim.network();
    assert!(net.is_up(A, B) && net.is_up(B, A) && net.is_up(C, d));
    assert!(!net.is_up(A, C) && !net.is_up(d, B));
    // E was not listed: it is on its own.
    assert!(!net.is_up(e, A) && !net.is_up(C, e));
    sim.apply(Command::HealAll).unwrap();
    assert!(sim
        .network()
        .pairs()
        .all(|(x, y)| sim.network().is_up(x, y)));
}

#[test]
fn messages_in_flight_can_be_inspected_dropped_and_duplicated() {
    let mut sim = ticker(3);
    sim.run_until(PERIOD);
    let in_flight: Vec<_> = sim.in_flight().copied().collect();
    assert_eq!(in_flight.len(), 3);
    let first = in_flight[0];
    assert_eq!(
        (first.from, first.to, first.sent, first.due),
        (A, B, PERIOD, PERIOD + 10_000)
    );
    sim.apply(Command::DropMessage { msg: first.id }).unwrap();
    sim.apply(Command::DuplicateMessage {
        msg: in_flight[1].id,
    })
    .unwrap();
    assert_eq!(
        sim.apply(Command::DropMessage { msg: first.id }),
        Err(CommandError::UnknownMessage { msg: first.id })
    );
    sim.run_until(PERIOD + 50_000);
    let deliveries: Vec<MsgId> = sim
        .trace()
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Deliver { msg } => Some(msg),
            _ => None,
        })
        .collect();
    let copy = sim
        .trace()
        .messages()
        .iter()
        .position(|m| m.copy_of == Some(in_flight[1].id))
        .unwrap();
    assert_eq!(
        deliveries,
        vec![in_flight[1].id, in_flight[2].id, MsgId(copy as u32)]
    );
    assert!(sim.trace().events().iter().any(|e| e.kind
        == EventKind::Drop {
            msg: first.id,
            reason: DropReason::ByCommand
        }));
}

#[test]
fn lossy_links_lose_messages_halfway() {
    let mut sim = Simulation::new(
        Ticker,
        SimConfig {
            link: LinkConfig {
                loss: 1.0,
                ..config(2).link
            },
            ..config(2)
        },
    )
    .unwrap();
    sim.run_until(250_000);
    let lost: Vec<_> = sim
        .trace()
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Drop {
                    reason: DropReason::Lost,
                    ..
                }
            )
        })
        .map(|e| e.time)
        .collect();
    assert_eq!(lost, vec![105_000, 105_000, 205_000, 205_000]);
}

#[test]
fn client_requests_are_answered_and_wait_for_a_paused_node() {
    let mut sim = ticker(2);
    sim.run_until(250_000);
    sim.apply(Command::Pause { node: A }).unwrap();
    sim.apply(Command::Client { node: A, op: () }).unwrap();
    sim.run_until(400_000);
    assert!(!kinds_on(&sim, A)
        .iter()
        .any(|k| matches!(k, EventKind::ClientRequest { .. })));
    sim.apply(Command::Resume { node: A }).unwrap();
    sim.run_events(2);
    let kinds = kinds_on(&sim, A);
    let request = kinds
        .iter()
        .position(|k| matches!(k, EventKind::ClientRequest { .. }))
        .unwrap();
    let EventKind::ClientReply { note, .. } = kinds[request + 1] else {
        panic!("no reply after the request: {kinds:?}");
    };
    assert_eq!(sim.trace().note(note), &Reading::Answer { ticks: 2 });
    sim.apply(Command::Crash { node: B }).unwrap();
    assert!(matches!(
        sim.apply(Command::Client { node: B, op: () }),
        Err(CommandError::WrongStatus { .. })
    ));
}

#[test]
fn invalid_commands_and_configs_are_refused_with_typed_errors() {
    let mut sim = ticker(3);
    let refused = [
        (
            Command::Pause { node: NodeId(7) },
            CommandError::UnknownNode { node: 7, nodes: 3 },
        ),
        (
            Command::CutLink { from: B, to: B },
            CommandError::SelfLink { node: B },
        ),
        (
            Command::Resume { node: A },
            CommandError::WrongStatus {
                node: A,
                action: "resume",
                status: "running",
            },
        ),
        (
            Command::Restart { node: A },
            CommandError::WrongStatus {
                node: A,
                action: "restart",
                status: "running",
            },
        ),
        (
            Command::DropMessage { msg: MsgId(99) },
            CommandError::UnknownMessage { msg: MsgId(99) },
        ),
        (
            Command::Partition {
                groups: vec![vec![A], vec![A, B]],
            },
            CommandError::NodeListedTwice { node: A },
        ),
    ];
    for (command, error) in refused {
        assert_eq!(sim.apply(command), Err(error));
    }
    let nan = LinkConfig {
        loss: f64::NAN,
        ..LinkConfig::default()
    };
    assert_eq!(
        sim.apply(Command::SetLink {
            from: A,
            to: B,
            config: nan
        }),
        Err(CommandError::NotFinite {
            field: "loss probability"
        })
    );
    assert!(matches!(
        sim.apply(Command::SetDrift {
            node: A,
            drift_ppm: 2_000_000
        }),
        Err(CommandError::OutOfRange {
            field: "drift (ppm)",
            ..
        })
    ));
    assert!(matches!(
        sim.apply(Command::NtpStep {
            node: A,
            delta_us: i64::MIN
        }),
        Err(CommandError::OutOfRange { .. })
    ));
    let huge = LinkConfig {
        latency_us: u64::MAX,
        ..LinkConfig::default()
    };
    assert!(matches!(
        sim.apply(Command::SetLink {
            from: A,
            to: B,
            config: huge
        }),
        Err(CommandError::OutOfRange { .. })
    ));
    assert!(
        sim.actions().is_empty() && sim.trace().len() == 3,
        "refused commands left no trace"
    );
    assert!(sim.apply(Command::Crash { node: A }).is_ok());
    assert!(matches!(
        sim.apply(Command::Crash { node: A }),
        Err(CommandError::WrongStatus {
            status: "crashed",
            ..
        })
    ));

    for nodes in [0, 17, 99] {
        assert!(matches!(
            Simulation::new(Ticker, config(nodes)).unwrap_err(),
            CommandError::TooManyNodes { .. }
        ));
    }
    let negative_skew = SimConfig {
        clocks: vec![ClockConfig {
            drift_ppm: -1_000_000,
            ..ClockConfig::default()
        }],
        ..config(1)
    };
    assert!(Simulation::new(Ticker, negative_skew).is_err());
    let wrong_count = SimConfig {
        clocks: vec![ClockConfig::default(); 2],
        ..config(3)
    };
    assert!(Simulation::new(Ticker, wrong_count).is_err());
    // The messages read well in the UI.
    assert_eq!(
        CommandError::WrongStatus {
            node: A,
            action: "resume",
            status: "running"
        }
        .to_string(),
        "cannot resume node A: it is running"
    );
}

#[test]
fn replay_is_exact_when_deferred_work_sits_between_a_step_and_an_action() {
    let mut sim = ticker(3);
    sim.run_until(150_000);
    sim.apply(Command::Pause { node: C }).unwrap();
    // Pings to the paused node arrive and wait; a pure time advance pops them without steps.
    sim.run_until(420_000);
    sim.apply(Command::CutLink { from: B, to: C }).unwrap();
    sim.apply(Command::Crash { node: C }).unwrap();
    sim.run_until(700_000);
    sim.apply(Command::Restart { node: C }).unwrap();
    sim.run_until(900_000);
    let mut replayed = Simulation::replay(Ticker, config(3), sim.actions().to_vec()).unwrap();
    replayed.run_until(900_000);
    assert_eq!(replayed.current_step(), sim.current_step());
    assert_eq!(replayed.trace().fingerprint(), sim.trace().fingerprint());
    let waiting_dropped = sim
        .trace()
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Drop {
                    reason: DropReason::NodeCrashed,
                    ..
                }
            ) && e.time == 420_000
        })
        .count();
    assert_eq!(
        waiting_dropped, 3,
        "the pings waiting at the paused node die in its crash"
    );
}

#[test]
fn a_hostile_action_log_is_refused_without_panicking() {
    let mut sim = ticker(2);
    sim.run_until(300_000);
    sim.apply(Command::Pause { node: A }).unwrap();
    let mut log = sim.actions().to_vec();
    log[0].command = Command::Resume { node: A };
    assert!(matches!(
        Simulation::replay(Ticker, config(2), log.clone()),
        Err(ReplayError::Action { index: 0, .. })
    ));
    log[0].command = Command::Pause { node: A };
    log[0].after_step = MAX_REPLAY_STEPS + 1;
    assert!(matches!(
        Simulation::replay(Ticker, config(2), log.clone()),
        Err(ReplayError::TooLong { index: 0, .. })
    ));
    // Out of order.
    log[0].after_step = 5;
    log.push(LoggedCommand {
        after_step: 3,
        ..log[0].clone()
    });
    assert!(matches!(
        Simulation::replay(Ticker, config(2), log.clone()),
        Err(ReplayError::Unreachable { index: 1 })
    ));
    // Pointing between pops that are in fact steps.
    log.truncate(1);
    log[0].after_pops = 40;
    assert!(matches!(
        Simulation::replay(Ticker, config(2), log.clone()),
        Err(ReplayError::Unreachable { index: 0 })
    ));
    // Pops behind steps can never happen.
    log[0].after_pops = 2;
    assert!(matches!(
        Simulation::replay(Ticker, config(2), log),
        Err(ReplayError::Unreachable { index: 0 })
    ));
}

#[test]
fn applying_a_command_in_the_past_forks_the_run() {
    let mut sim = ticker(3);
    sim.run_until(200_000);
    sim.apply(Command::Crash { node: C }).unwrap();
    sim.run_until(600_000);
    let old_end = sim.current_step();
    sim.seek(4);
    assert_eq!(sim.actions().len(), 1, "rewinding keeps the future");
    assert_eq!(sim.applied_actions(), 0);
    sim.seek(old_end);
    assert_eq!(
        sim.status(C),
        NodeStatus::Crashed,
        "seeking forward replays the future crash"
    );
    sim.seek(4);
    sim.apply(Command::Pause { node: A }).unwrap();
    assert_eq!(sim.actions().len(), 1, "the old future is discarded");
    assert!(matches!(sim.actions()[0].command, Command::Pause { .. }));
    sim.run_until(600_000);
    assert_eq!(sim.status(C), NodeStatus::Running);
}

#[test]
fn seeking_to_an_event_lands_on_the_position_that_recorded_it() {
    let mut sim = Simulation::new(RandomTraffic::default(), SimConfig::default()).unwrap();
    sim.run_events(3_000);
    let whole = sim.trace().clone();
    for target in [0usize, 1, 17, 999, 2_500] {
        let event = faultline::sim::EventId(target as u32);
        sim.seek_event(event);
        assert!(
            sim.trace().len() > target,
            "event {target} is on screen after seeking to it"
        );
        assert_eq!(sim.trace().event(event), whole.event(event));
        let step = sim.current_step();
        if step > 0 {
            sim.seek(step - 1);
            assert!(
                sim.trace().len() <= target,
                "one step earlier, event {target} has not happened"
            );
        }
    }
}

#[test]
fn a_scenario_script_runs_at_its_times_and_survives_a_fork() {
    let script = vec![
        Scheduled {
            at_us: 150_000,
            command: Command::Pause { node: B },
        },
        Scheduled {
            at_us: 450_000,
            command: Command::Resume { node: B },
        },
        Scheduled {
            at_us: 500_000,
            command: Command::Client { node: A, op: () },
        },
        // Nonsense by then (B is running): skipped, not an error.
        Scheduled {
            at_us: 600_000,
            command: Command::Resume { node: B },
        },
    ];
    let mut sim = Simulation::with_script(Ticker, config(2), script.clone()).unwrap();
    sim.run_until(700_000);
    let faults: Vec<_> = sim
        .trace()
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Fault { index } => Some((e.time, sim.trace().fault(index).clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        faults,
        vec![
            (150_000, script[0].command.clone()),
            (450_000, script[1].command.clone())
        ]
    );
    let request = sim
        .trace()
        .events()
        .iter()
        .position(|e| matches!(e.kind, EventKind::ClientRequest { .. }))
        .unwrap();
    assert_eq!(sim.trace().events()[request].time, 500_000);
    assert!(
        matches!(
            sim.trace().events()[request + 1].kind,
            EventKind::ClientReply { .. }
        ),
        "served in the same step"
    );
    assert!(sim.actions().is_empty(), "a script is not user action");

    // Rewind before the pause and act: the user's future goes, the script's stays.
    sim.seek(1);
    sim.apply(Command::CutLink { from: A, to: B }).unwrap();
    sim.run_until(700_000);
    let paused_again = sim.trace().events().iter().any(|e| {
        matches!(e.kind, EventKind::Fault { index } if sim.trace().fault(index) == &Command::Pause { node: B })
    });
    assert!(paused_again);
    let replayed =
        Simulation::replay_with_script(Ticker, config(2), script, sim.actions().to_vec()).unwrap();
    let mut replayed = replayed;
    replayed.run_until(700_000);
    assert_eq!(replayed.trace().fingerprint(), sim.trace().fingerprint());

    // A script with an impossible command is refused up front.
    let bad = vec![Scheduled {
        at_us: 1,
        command: Command::Crash { node: NodeId(9) },
    }];
    assert!(Simulation::with_script(Ticker, config(2), bad).is_err());
}

/// Like [`Ticker`], but its ticks reach the disk through the operating system's cache: it
/// syncs only every third tick.
#[derive(Clone, Debug)]
struct Journal;

impl Model for Journal {
    type Msg = u32;
    type Timer = ();
    type ClientOp = ();
    type Note = Reading;
    /// Ticks written so far.
    type Durable = u32;
    type Volatile = ();

    fn buffers_writes(&self) -> bool {
        true
    }

    fn start(&self, ctx: &mut Context<'_, Self>) -> NodeState<Self> {
        ctx.set_timer((), PERIOD);
        NodeState {
            durable: 0,
            volatile: (),
        }
    }

    fn recover(&self, durable: u32, ctx: &mut Context<'_, Self>) -> NodeState<Self> {
        ctx.set_timer((), PERIOD);
        NodeState {
            durable,
            volatile: (),
        }
    }

    fn on_message(&self, _: &mut NodeState<Self>, _: &mut Context<'_, Self>, _: NodeId, _: &u32) {}

    fn on_timer(&self, state: &mut NodeState<Self>, ctx: &mut Context<'_, Self>, _: &()) {
        state.durable += 1;
        if state.durable % 3 == 0 {
            ctx.sync();
        }
        ctx.set_timer((), PERIOD);
    }

    fn on_client(&self, _: &mut NodeState<Self>, _: &mut Context<'_, Self>, _: RequestId, _: &()) {}
}

#[test]
fn a_power_cut_takes_back_unsynced_writes_and_a_process_crash_does_not() {
    let mut sim = Simulation::new(Journal, config(2)).unwrap();
    sim.run_until(450_000);
    // Four ticks written, three synced.
    assert_eq!(*sim.durable(B), 4);
    assert_eq!(sim.unsynced(B), Some(&3), "what a power cut would leave");
    sim.apply(Command::CrashLosingUnsynced { node: B }).unwrap();
    assert_eq!(*sim.durable(B), 3, "the unsynced fourth tick is gone");
    assert_eq!(sim.unsynced(B), None, "nothing unsynced is left");
    // A process crash leaves the cache to reach the disk.
    assert_eq!(*sim.durable(A), 4);
    sim.apply(Command::Crash { node: A }).unwrap();
    assert_eq!(*sim.durable(A), 4);
    sim.apply(Command::Restart { node: A }).unwrap();
    sim.apply(Command::Restart { node: B }).unwrap();
    assert_eq!(
        (sim.state(A).unwrap().durable, sim.state(B).unwrap().durable),
        (4, 3),
        "each restarts from what its crash left"
    );
    // A crashed node cannot lose power again.
    assert!(matches!(
        sim.apply(Command::Crash { node: A })
            .and_then(|()| sim.apply(Command::CrashLosingUnsynced { node: A })),
        Err(CommandError::WrongStatus { .. })
    ));
}

#[test]
fn a_model_that_writes_straight_to_disk_loses_nothing_to_a_power_cut() {
    let mut sim = ticker(2);
    sim.run_until(450_000);
    assert_eq!(sim.unsynced(B), None);
    sim.apply(Command::CrashLosingUnsynced { node: B }).unwrap();
    assert_eq!(*sim.durable(B), 4, "every write was synced as it was made");
    assert_eq!(sim.status(B), NodeStatus::Crashed);
}

#[test]
fn seeking_back_across_a_power_cut_restores_what_was_synced() {
    let mut sim = Simulation::new(Journal, config(2)).unwrap();
    sim.run_until(450_000);
    sim.apply(Command::CrashLosingUnsynced { node: B }).unwrap();
    sim.apply(Command::Restart { node: B }).unwrap();
    sim.run_until(2_000_000);
    let end = (
        sim.current_step(),
        sim.trace().fingerprint(),
        *sim.durable(B),
    );
    let back_to = sim.current_step() / 3;
    sim.seek(back_to);
    let then = (*sim.durable(B), sim.unsynced(B).copied());
    sim.seek(end.0);
    assert_eq!(
        (
            sim.current_step(),
            sim.trace().fingerprint(),
            *sim.durable(B)
        ),
        end,
        "the same future, replayed"
    );
    let replayed = Simulation::replay(Journal, config(2), sim.actions().to_vec()).unwrap();
    let mut fresh = replayed;
    fresh.seek(back_to);
    assert_eq!((*fresh.durable(B), fresh.unsynced(B).copied()), then);
}

#[test]
fn a_link_configured_on_its_own_loses_what_the_others_deliver() {
    let mut config = config(2);
    config.links = vec![faultline::sim::LinkSetting {
        from: A,
        to: B,
        config: LinkConfig {
            loss: 1.0,
            ..config.link
        },
    }];
    let mut sim = Simulation::new(Ticker, config).unwrap();
    sim.run_until(1_000_000);
    let (mut lost, mut delivered) = (Vec::new(), Vec::new());
    for event in sim.trace().events() {
        match event.kind {
            EventKind::Drop { msg, .. } => lost.push(sim.trace().message(msg).from),
            EventKind::Deliver { msg } => delivered.push(sim.trace().message(msg).from),
            _ => {}
        }
    }
    assert!(
        !lost.is_empty() && lost.iter().all(|&from| from == A),
        "{lost:?}"
    );
    assert!(
        !delivered.is_empty() && delivered.iter().all(|&from| from == B),
        "{delivered:?}"
    );
    // The same setting twice is refused, naming the link.
    let mut twice = sim.config().clone();
    twice.links.push(twice.links[0]);
    assert_eq!(
        Simulation::new(Ticker, twice).unwrap_err(),
        CommandError::LinkSetTwice { from: A, to: B }
    );
}

/// Arrivals at `node`: (sender, sent at, arrived at), in order.
fn arrivals_at<M: Model>(sim: &Simulation<M>, node: NodeId) -> Vec<(NodeId, Micros, Micros)> {
    let trace = sim.trace();
    trace
        .events()
        .iter()
        .filter(|e| e.node == node)
        .filter_map(|e| match e.kind {
            EventKind::Deliver { msg } => {
                let record = trace.message(msg);
                Some((record.from, trace.event(record.send_event).time, e.time))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_flood_holds_packets_for_its_link_until_it_has_passed_and_no_other() {
    let mut sim = Simulation::new(Ticker, config(3)).unwrap();
    sim.run_until(150_000);
    sim.apply(Command::Flood {
        node: B,
        duration_us: 300_000,
    })
    .unwrap();
    assert_eq!(sim.flooded_until(B), 450_000);
    sim.run_until(1_000_000);
    let at_b = arrivals_at(&sim, B);
    // A pings B every 100 ms; those reaching B's link during the flood wait for its end, and
    // arrive in the order they were sent.
    let held: Vec<_> = at_b.iter().filter(|a| a.2 - a.1 > 10_000).collect();
    assert!(held.len() >= 2, "{at_b:?}");
    assert!(held.iter().all(|a| a.2 == 450_000), "{held:?}");
    assert!(held.windows(2).all(|w| w[0].1 < w[1].1), "{held:?}");
    assert!(at_b
        .iter()
        .filter(|a| a.1 + 10_000 < 150_000 || a.1 + 10_000 >= 450_000)
        .all(|a| a.2 - a.1 == 10_000));
    // Other links never wait.
    for node in [A, C] {
        assert!(arrivals_at(&sim, node).iter().all(|a| a.2 - a.1 == 10_000));
    }
    // A second flood before the first has passed queues behind it.
    let mut sim = Simulation::new(Ticker, config(3)).unwrap();
    sim.apply(Command::Flood {
        node: B,
        duration_us: 100_000,
    })
    .unwrap();
    sim.apply(Command::Flood {
        node: B,
        duration_us: 50_000,
    })
    .unwrap();
    assert_eq!(sim.flooded_until(B), 150_000);
    // Absurd floods are refused, naming the field.
    let refused = sim.apply(Command::Flood {
        node: B,
        duration_us: 10,
    });
    assert!(matches!(
        refused,
        Err(CommandError::OutOfRange {
            field: "flood (µs)",
            ..
        })
    ));
}

#[test]
fn messages_on_a_circuit_never_wait_and_a_flood_takes_longer_beside_it() {
    use faultline::models::heartbeat::Heartbeats;
    let circuit = Heartbeats {
        circuit_share: 0.2,
        ..Heartbeats::default()
    };
    let mut sim = Simulation::new(circuit, config(3)).unwrap();
    sim.run_until(150_000);
    sim.apply(Command::Flood {
        node: B,
        duration_us: 300_000,
    })
    .unwrap();
    // The flood gets four fifths of the link: 300 ms of it take 375 ms.
    assert_eq!(sim.flooded_until(B), 150_000 + 375_000);
    sim.run_until(1_000_000);
    let at_b = arrivals_at(&sim, B);
    assert!(at_b.len() > 10);
    assert!(at_b.iter().all(|a| a.2 - a.1 == 10_000), "{at_b:?}");
}
