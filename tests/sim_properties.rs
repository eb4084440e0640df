//! Property tests of the simulation core over random models, seeds and fault schedules.
//! Each property is checked against an independent reference rebuilt from the trace.
#![cfg(not(target_arch = "wasm32"))]

use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{
    canonical_decimal, ClockConfig, Command, DropReason, EventId, EventKind, LinkConfig,
    LoggedCommand, MsgId, NodeId, SimConfig, Simulation, Trace,
};
use proptest::prelude::*;

type Sim = Simulation<RandomTraffic>;

/// A fault as proptest draws it; node numbers may be out of range on purpose.
#[derive(Clone, Debug)]
struct RawFault {
    kind: u8,
    a: u8,
    b: u8,
    value: i64,
    probability: f64,
}

fn raw_fault() -> impl Strategy<Value = RawFault> {
    (
        0u8..18,
        0u8..8,
        0u8..8,
        -60_000i64..60_000,
        prop_oneof![Just(0.0), 0.0..1.0f64, Just(f64::NAN)],
    )
        .prop_map(|(kind, a, b, value, probability)| RawFault {
            kind,
            a,
            b,
            value,
            probability,
        })
}

fn to_command(sim: &Sim, raw: &RawFault) -> Command<()> {
    let (a, b) = (NodeId(raw.a), NodeId(raw.b));
    let some_message = || {
        let in_flight: Vec<_> = sim.in_flight().map(|m| m.id).collect();
        if in_flight.is_empty() {
            MsgId(u32::MAX)
        } else {
            in_flight[raw.value.unsigned_abs() as usize % in_flight.len()]
        }
    };
    match raw.kind {
        0 => Command::CutLink { from: a, to: b },
        1 => Command::HealLink { from: a, to: b },
        2 => Command::CutBoth { a, b },
        3 => Command::HealBoth { a, b },
        4 => Command::Partition {
            groups: vec![
                (0..sim.node_count())
                    .filter(|i| raw.value >> i & 1 == 1)
                    .map(NodeId)
                    .collect(),
                (0..sim.node_count())
                    .filter(|i| raw.value >> i & 1 == 0)
                    .map(NodeId)
                    .collect(),
            ],
        },
        5 => Command::HealAll,
        6 => Command::SetLink {
            from: a,
            to: b,
            config: LinkConfig {
                latency_us: raw.value.unsigned_abs(),
                jitter_us: raw.value.unsigned_abs() / 3,
                loss: canonical_decimal(raw.probability),
                duplication: canonical_decimal(raw.probability / 2.0),
            },
        },
        7 => Command::Pause { node: a },
        8 => Command::Resume { node: a },
        9 => Command::Crash { node: a },
        10 => Command::Restart { node: a },
        11 => Command::SetClockOffset {
            node: a,
            offset_us: raw.value * 10,
        },
        12 => Command::SetDrift {
            node: a,
            drift_ppm: (raw.value * 10) as i32,
        },
        13 => Command::NtpStep {
            node: a,
            delta_us: raw.value,
        },
        14 => Command::DropMessage {
            msg: some_message(),
        },
        15 => Command::DuplicateMessage {
            msg: some_message(),
        },
        16 => Command::SetUncertainty {
            node: a,
            uncertainty_us: raw.value.unsigned_abs(),
        },
        _ => Command::Client { node: a, op: () },
    }
}

fn model() -> impl Strategy<Value = RandomTraffic> {
    (5_000u64..80_000, 1u8..3, 0.0..1.0f64, 0u8..4).prop_map(
        |(tick_us, fanout, forward_probability, max_hops)| RandomTraffic {
            tick_us,
            fanout,
            forward_probability: canonical_decimal(forward_probability),
            max_hops,
        },
    )
}

fn config() -> impl Strategy<Value = SimConfig> {
    (
        1u8..7,
        any::<u64>(),
        0u64..40_000,
        0u64..40_000,
        0.0..0.3f64,
        0.0..0.3f64,
        any::<bool>(),
    )
        .prop_flat_map(
            |(nodes, seed, latency_us, jitter_us, loss, duplication, skewed)| {
                let clocks = if skewed {
                    prop::collection::vec(
                        (-50_000i64..50_000, -300_000i32..300_000, 0u64..5_000).prop_map(
                            |(offset_us, drift_ppm, uncertainty_us)| ClockConfig {
                                offset_us,
                                drift_ppm,
                                uncertainty_us,
                            },
                        ),
                        nodes as usize,
                    )
                    .boxed()
                } else {
                    Just(Vec::new()).boxed()
                };
                clocks.prop_map(move |clocks| SimConfig {
                    nodes,
                    seed,
                    // Settings as the app keeps them, to 12 decimal places: every way into
                    // a run rounds them so (`sim::canonical_decimal`), and only so do they
                    // read back from JSON bit for bit.
                    link: LinkConfig {
                        latency_us,
                        jitter_us,
                        loss: canonical_decimal(loss),
                        duplication: canonical_decimal(duplication),
                    },
                    clocks,
                    links: Vec::new(),
                })
            },
        )
}

/// How far to run before the next fault: a number of events, or a span of true time (which
/// also pops stale and deferred work without taking steps).
#[derive(Clone, Debug)]
enum Advance {
    Events(u8),
    Time(u32),
}

fn advance() -> impl Strategy<Value = Advance> {
    prop_oneof![
        (0u8..40).prop_map(Advance::Events),
        (0u32..150_000).prop_map(Advance::Time)
    ]
}

type Schedule = Vec<(Advance, RawFault)>;

/// A run: a model, a configuration and a schedule of (how far to run, fault to try).
fn scenario() -> impl Strategy<Value = (RandomTraffic, SimConfig, Schedule)> {
    (
        model(),
        config(),
        prop::collection::vec((advance(), raw_fault()), 0..14),
    )
}

/// Runs a scenario; every refused fault must leave the run exactly as it was.
fn run(model: RandomTraffic, config: SimConfig, schedule: &[(Advance, RawFault)]) -> Sim {
    let mut sim = Simulation::new(model, config).expect("generated configs are valid");
    for (advance, raw) in schedule {
        match advance {
            Advance::Events(events) => sim.run_events(u64::from(*events)),
            Advance::Time(span) => sim.run_until(sim.now() + u64::from(*span)),
        };
        let command = to_command(&sim, raw);
        let before = (
            sim.trace().len(),
            sim.actions().len(),
            sim.trace().fingerprint(),
        );
        if sim.apply(command.clone()).is_err() {
            let after = (
                sim.trace().len(),
                sim.actions().len(),
                sim.trace().fingerprint(),
            );
            assert_eq!(before, after, "refused {command:?} changed the run");
        }
    }
    sim.run_events(60);
    sim
}

/// Happened-before computed from first principles: the transitive closure of program order
/// and send → receive edges (bitsets, events in trace order are topologically sorted).
fn reachability(trace: &Trace<RandomTraffic>) -> Vec<Vec<u64>> {
    let n = trace.len();
    let words = n.div_ceil(64);
    let mut reach = vec![vec![0u64; words]; n];
    let mut last_on_node: Vec<Option<usize>> = vec![None; trace.node_count()];
    for (index, event) in trace.events().iter().enumerate() {
        let mut parents = Vec::new();
        if event.process {
            if let Some(previous) = last_on_node[event.node.index()] {
                parents.push(previous);
            }
            last_on_node[event.node.index()] = Some(index);
        }
        if let EventKind::Deliver { msg }
        | EventKind::Drop { msg, .. }
        | EventKind::Duplicate { msg, .. } = event.kind
        {
            parents.push(trace.message(msg).send_event.index());
        }
        for parent in parents {
            let (before, rest) = reach.split_at_mut(index);
            for (word, parent_word) in rest[0].iter_mut().zip(&before[parent]) {
                *word |= parent_word;
            }
            rest[0][parent / 64] |= 1 << (parent % 64);
        }
    }
    reach
}

fn reaches(reach: &[Vec<u64>], from: usize, to: usize) -> bool {
    reach[to][from / 64] >> (from % 64) & 1 == 1
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Status {
    Running,
    Paused,
    Crashed,
}

/// Replays the trace's fault events through a reference model of links and node status, and
/// checks every event against it.
fn check_against_reference(sim: &Sim) {
    let trace = sim.trace();
    let n = trace.node_count();
    let mut up = vec![vec![true; n]; n];
    // Trace index at which each link last went down (None while up).
    let mut down_since: Vec<Vec<Option<usize>>> = vec![vec![None; n]; n];
    let mut status = vec![Status::Running; n];
    let mut last_time = 0;
    let mut last_monotonic = vec![0u64; n];
    for (index, event) in trace.events().iter().enumerate() {
        assert!(
            event.time >= last_time,
            "true time went back at event {index}"
        );
        last_time = event.time;
        let node = event.node.index();
        assert!(
            event.monotonic >= last_monotonic[node],
            "monotonic clock of {} went back",
            event.node
        );
        last_monotonic[node] = event.monotonic;

        let mut set_link = |from: usize, to: usize, value: bool, up: &mut Vec<Vec<bool>>| {
            if up[from][to] && !value {
                down_since[from][to] = Some(index);
            }
            if value {
                down_since[from][to] = None;
            }
            up[from][to] = value;
        };
        match event.kind {
            EventKind::Fault { index: fault } => match trace.fault(fault) {
                Command::CutLink { from, to } => set_link(from.index(), to.index(), false, &mut up),
                Command::HealLink { from, to } => set_link(from.index(), to.index(), true, &mut up),
                Command::CutBoth { a, b } | Command::HealBoth { a, b } => {
                    let value = matches!(trace.fault(fault), Command::HealBoth { .. });
                    set_link(a.index(), b.index(), value, &mut up);
                    set_link(b.index(), a.index(), value, &mut up);
                }
                Command::Partition { groups } => {
                    let group_of =
                        |x: usize| groups.iter().position(|g| g.contains(&NodeId(x as u8)));
                    for a in 0..n {
                        for b in (0..n).filter(|&b| b != a) {
                            set_link(a, b, group_of(a) == group_of(b), &mut up);
                        }
                    }
                }
                Command::HealAll => {
                    for a in 0..n {
                        for b in (0..n).filter(|&b| b != a) {
                            set_link(a, b, true, &mut up);
                        }
                    }
                }
                Command::Pause { node } => status[node.index()] = Status::Paused,
                Command::Resume { node } | Command::Restart { node } => {
                    status[node.index()] = Status::Running
                }
                Command::Crash { node } => status[node.index()] = Status::Crashed,
                _ => {}
            },
            EventKind::Deliver { msg } => {
                assert_eq!(
                    status[node],
                    Status::Running,
                    "event {index}: delivery to a {:?} node",
                    status[node]
                );
                let record = trace.message(msg);
                let (from, to) = (record.from.index(), record.to.index());
                // The link was up at some instant between the send and now (the arrival; a
                // paused receiver takes delivery later).
                let sent = record.send_event.index();
                let up_since_send = up[from][to] || down_since[from][to].is_some_and(|d| d > sent);
                assert!(
                    up_since_send,
                    "event {index}: {msg:?} delivered over a link down since before its send"
                );
            }
            EventKind::Drop {
                msg,
                reason: DropReason::LinkDown,
            } => {
                let record = trace.message(msg);
                assert!(
                    !up[record.from.index()][record.to.index()],
                    "event {index}: dropped for a link that is up"
                );
            }
            EventKind::Drop {
                msg,
                reason: DropReason::NodeCrashed,
            } => {
                assert_eq!(status[trace.message(msg).to.index()], Status::Crashed);
            }
            _ => {
                if event.process {
                    assert_eq!(
                        status[node],
                        Status::Running,
                        "event {index} {:?} on a {:?} node",
                        event.kind,
                        status[node]
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn vector_clocks_and_lamport_agree_with_happened_before((model, config, schedule) in scenario()) {
        let sim = run(model, config, &schedule);
        let trace = sim.trace();
        let reach = reachability(trace);
        for b in 0..trace.len() {
            let past: Vec<EventId> = (0..b).filter(|&a| reaches(&reach, a, b)).map(|a| EventId(a as u32)).collect();
            prop_assert_eq!(trace.causal_past(EventId(b as u32)), past, "causal past of {}", b);
            let future: Vec<EventId> = (b + 1..trace.len()).filter(|&c| reaches(&reach, b, c)).map(|c| EventId(c as u32)).collect();
            prop_assert_eq!(trace.causal_future(EventId(b as u32)), future, "causal future of {}", b);
            for a in 0..trace.len() {
                let (ea, eb) = (EventId(a as u32), EventId(b as u32));
                let expected = reaches(&reach, a, b);
                prop_assert_eq!(trace.happened_before(ea, eb), expected, "{} → {}", a, b);
                let both_process = trace.event(ea).process && trace.event(eb).process;
                if expected && both_process {
                    prop_assert!(trace.event(ea).lamport < trace.event(eb).lamport, "Lamport order {} → {}", a, b);
                }
            }
        }
    }

    #[test]
    fn links_statuses_and_clocks_are_respected((model, config, schedule) in scenario()) {
        let sim = run(model, config, &schedule);
        check_against_reference(&sim);
    }

    #[test]
    fn replaying_the_action_log_reproduces_the_trace((model, config, schedule) in scenario()) {
        let sim = run(model, config, &schedule);
        // A run travels as JSON (share links, files): model, config with seed, action log.
        let json = serde_json::to_string(&(sim.model(), sim.config(), sim.actions())).expect("serialises");
        let (model, config, actions): (RandomTraffic, SimConfig, Vec<LoggedCommand<()>>) =
            serde_json::from_str(&json).expect("parses back");
        let mut replayed = Simulation::replay(model, config, actions).expect("own log replays");
        replayed.seek(sim.current_step());
        prop_assert_eq!(replayed.current_step(), sim.current_step());
        prop_assert_eq!(replayed.trace().fingerprint(), sim.trace().fingerprint());
        prop_assert_eq!(replayed.trace().len(), sim.trace().len());
    }

    #[test]
    fn seeking_anywhere_then_back_equals_running_straight_through(
        (model, config, schedule) in scenario(),
        seeks in prop::collection::vec(0.0..1.0f64, 1..6),
    ) {
        let sim = run(model, config, &schedule);
        let end = sim.current_step();
        let mut travelled = sim.clone();
        for fraction in seeks {
            let target = (end as f64 * fraction) as u64;
            travelled.seek(target);
            prop_assert_eq!(travelled.current_step(), target);
            // The trace ends exactly where that position ends.
            let mut fresh = Simulation::replay(sim.model().clone(), sim.config().clone(), sim.actions().to_vec()).expect("replays");
            fresh.seek(target);
            prop_assert_eq!(travelled.trace().fingerprint(), fresh.trace().fingerprint(), "at step {}", target);
        }
        travelled.seek(end);
        prop_assert_eq!(travelled.trace().fingerprint(), sim.trace().fingerprint());
    }
}
