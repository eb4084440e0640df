//! The discrete-event engine: pops pending work in (time, sequence) order, runs the model's
//! handlers, applies the effects they return, and records everything in the trace.

use std::collections::{BTreeMap, BinaryHeap};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::clock::{Clock, ClockConfig};
use super::command::{self, Command, CommandError};
use super::ids::{EventId, Micros, MsgId, NodeId, MAX_NODES};
use super::model::{Context, Effect, Model, NodeState};
use super::network::{LinkConfig, Network};
use super::queue::PendingKind;
use super::rng::SimRng;
use super::trace::{DropReason, EventKind, MessageRecord, RequestRecord, Trace, TraceEvent};
use super::world::{InFlight, Memory, NodeRuntime, NodeStatus, PendingTimer, World};

/// A snapshot is kept every this many steps: seeking re-executes at most this many.
pub const SNAPSHOT_EVERY: u64 = 1024;
/// The longest run an action log may describe: replay refuses logs that point further.
pub const MAX_REPLAY_STEPS: u64 = 2_000_000;
/// Timers further out than this (about 11.6 days) are clamped; no lesson needs more.
const MAX_TIMER_US: Micros = 1_000_000_000_000;

/// Everything that fixes a run besides the model and the action log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub nodes: u8,
    pub seed: u64,
    /// Every link starts up with this configuration.
    pub link: LinkConfig,
    /// One per node, or empty for perfect clocks everywhere.
    pub clocks: Vec<ClockConfig>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            nodes: 5,
            seed: 1,
            link: LinkConfig::default(),
            clocks: Vec::new(),
        }
    }
}

impl SimConfig {
    pub fn validate(&self) -> Result<(), CommandError> {
        if self.nodes == 0 || self.nodes as usize > MAX_NODES {
            return Err(CommandError::TooManyNodes {
                requested: self.nodes as usize,
                max: MAX_NODES,
            });
        }
        command::check_link_config(&self.link)?;
        if !self.clocks.is_empty() && self.clocks.len() != self.nodes as usize {
            return Err(CommandError::OutOfRange {
                field: "number of clock settings",
                value: self.clocks.len().to_string(),
                min: self.nodes.to_string(),
                max: self.nodes.to_string(),
            });
        }
        for clock in &self.clocks {
            command::check_offset("clock offset (µs)", clock.offset_us)?;
            command::check_drift(clock.drift_ppm)?;
            command::check_uncertainty(clock.uncertainty_us)?;
        }
        Ok(())
    }
}

/// One entry of the action log: a command and exactly where in the run it was applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action<Op> {
    /// Applied after this many steps…
    pub after_step: u64,
    /// …and this many queue pops (skipped pops included), so replay is exact.
    pub after_pops: u64,
    /// The true time at which it took effect.
    pub at_time: Micros,
    pub command: Command<Op>,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub step: u64,
    pub time: Micros,
    /// The trace events the step recorded (its own and those of actions replayed after it).
    pub events: Range<usize>,
}

/// Why a saved run could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    Config(CommandError),
    /// Action `index` of the log is invalid at the point where it applies.
    Action {
        index: usize,
        error: CommandError,
    },
    /// The log is out of order or points past the end of the run.
    Unreachable {
        index: usize,
    },
    /// Action `index` lies beyond [`MAX_REPLAY_STEPS`].
    TooLong {
        index: usize,
        after_step: u64,
    },
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::Config(error) => write!(f, "invalid configuration: {error}"),
            ReplayError::Action { index, error } => write!(f, "action {}: {error}", index + 1),
            ReplayError::TooLong { index, after_step } => write!(
                f,
                "action {} is at step {after_step}; runs are limited to {MAX_REPLAY_STEPS} steps",
                index + 1
            ),
            ReplayError::Unreachable { index } => write!(
                f,
                "action {} is out of order or beyond the end of the run",
                index + 1
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

#[derive(Clone, Debug)]
struct Snapshot<M: Model> {
    world: World<M>,
    mark: super::trace::TraceMark,
    applied: usize,
}

/// A deterministic simulation of a cluster running model `M`.
#[derive(Clone, Debug)]
pub struct Simulation<M: Model> {
    model: M,
    config: SimConfig,
    world: World<M>,
    trace: Trace<M>,
    actions: Vec<Action<M::ClientOp>>,
    /// `actions[..applied]` are in the past; the rest is a future that seeking forward replays.
    applied: usize,
    snapshots: Vec<Snapshot<M>>,
    /// Trace length at the end of each position (a step plus the actions applied after it).
    position_ends: Vec<usize>,
    effects: Vec<Effect<M>>,
    scratch_clock: Vec<u32>,
}

impl<M: Model> Simulation<M> {
    pub fn new(model: M, config: SimConfig) -> Result<Simulation<M>, CommandError> {
        config.validate()?;
        let n = config.nodes as usize;
        let mut rng = SimRng::new(config.seed);
        let clocks: Vec<Clock> = (0..n)
            .map(|i| {
                let settings = config.clocks.get(i).copied().unwrap_or_default();
                Clock::new(settings, rng.below(1 << 40))
            })
            .collect();
        let mut world = World {
            now: 0,
            steps: 0,
            pops: 0,
            seq: 0,
            next_timer_id: 0,
            rng,
            network: Network::new(n, config.link),
            nodes: Vec::with_capacity(n),
            vector_clocks: vec![0; n * n],
            queue: BinaryHeap::new(),
            in_flight: BTreeMap::new(),
        };
        // Start every node, then apply what each start asked for, in node order.
        let mut started_effects = Vec::with_capacity(n);
        for (i, clock) in clocks.into_iter().enumerate() {
            let mut effects = Vec::new();
            let state = {
                let mut ctx = Context {
                    node: NodeId(i as u8),
                    nodes: n as u8,
                    time_of_day: clock.time_of_day(0),
                    monotonic: clock.monotonic(0),
                    interval: clock.interval(0),
                    rng: &mut world.rng,
                    effects: &mut effects,
                };
                model.start(&mut ctx)
            };
            world.nodes.push(NodeRuntime {
                status: NodeStatus::Running,
                memory: Memory::Up(state),
                clock,
                timers: Vec::new(),
                deferred: Vec::new(),
                lamport: 0,
            });
            started_effects.push(effects);
        }
        let mut sim = Simulation {
            model,
            config,
            world,
            trace: Trace::new(n),
            actions: Vec::new(),
            applied: 0,
            snapshots: Vec::new(),
            position_ends: Vec::new(),
            effects: Vec::new(),
            scratch_clock: vec![0; n],
        };
        for (i, mut effects) in started_effects.into_iter().enumerate() {
            let node = NodeId(i as u8);
            sim.process_event(node, EventKind::Start, None);
            sim.apply_effects(node, &mut effects);
        }
        sim.position_ends.push(sim.trace.len());
        sim.take_snapshot();
        Ok(sim)
    }

    /// Rebuilds a run from its configuration and action log, positioned after the last action.
    pub fn replay(
        model: M,
        config: SimConfig,
        actions: Vec<Action<M::ClientOp>>,
    ) -> Result<Simulation<M>, ReplayError> {
        check_log_order(&actions)?;
        let mut sim = Simulation::new(model, config).map_err(ReplayError::Config)?;
        sim.actions = actions;
        sim.replay_actions_here()?;
        while sim.applied < sim.actions.len() {
            if sim.actions[sim.applied].after_step < sim.world.steps || sim.step_inner()?.is_none()
            {
                return Err(ReplayError::Unreachable { index: sim.applied });
            }
        }
        Ok(sim)
    }

    // ----- reading -----

    pub fn model(&self) -> &M {
        &self.model
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn trace(&self) -> &Trace<M> {
        &self.trace
    }

    pub fn now(&self) -> Micros {
        self.world.now
    }

    /// Steps taken so far: the current position.
    pub fn current_step(&self) -> u64 {
        self.world.steps
    }

    pub fn node_count(&self) -> u8 {
        self.config.nodes
    }

    /// The whole action log, including any future that seeking forward would replay.
    pub fn actions(&self) -> &[Action<M::ClientOp>] {
        &self.actions
    }

    /// How many actions of the log are in the past.
    pub fn applied_actions(&self) -> usize {
        self.applied
    }

    pub fn status(&self, node: NodeId) -> NodeStatus {
        self.world.nodes[node.index()].status
    }

    /// The node's state, or `None` while it is crashed.
    pub fn state(&self, node: NodeId) -> Option<&NodeState<M>> {
        match &self.world.nodes[node.index()].memory {
            Memory::Up(state) => Some(state),
            Memory::Down(_) => None,
        }
    }

    pub fn durable(&self, node: NodeId) -> &M::Durable {
        match &self.world.nodes[node.index()].memory {
            Memory::Up(state) => &state.durable,
            Memory::Down(durable) => durable,
        }
    }

    pub fn clock(&self, node: NodeId) -> &Clock {
        &self.world.nodes[node.index()].clock
    }

    pub fn timers(&self, node: NodeId) -> &[PendingTimer<M::Timer>] {
        &self.world.nodes[node.index()].timers
    }

    pub fn network(&self) -> &Network {
        &self.world.network
    }

    /// Messages on the wire, by id.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> {
        self.world.in_flight.values()
    }

    /// The true time of the next pending work, if any.
    pub fn next_time(&self) -> Option<Micros> {
        self.world.queue.peek().map(|p| p.time)
    }

    /// The position (step) whose execution recorded `event`.
    pub fn position_of_event(&self, event: EventId) -> u64 {
        self.position_ends
            .partition_point(|&end| end <= event.index()) as u64
    }

    // ----- running -----

    /// Runs exactly one event. `None` when nothing is left to happen.
    pub fn step(&mut self) -> Option<StepReport> {
        // Only a hostile action log can fail here, and `step` never follows one: `replay`
        // validated it, and `apply` validates each command.
        self.step_inner().ok().flatten()
    }

    /// Runs up to `count` events; returns how many ran.
    pub fn run_events(&mut self, count: u64) -> u64 {
        let mut ran = 0;
        while ran < count && self.step().is_some() {
            ran += 1;
        }
        ran
    }

    /// Runs every event due at or before true time `until`, then advances the clock to it.
    pub fn run_until(&mut self, until: Micros) -> u64 {
        let mut ran = 0;
        while self.next_time().is_some_and(|t| t <= until) {
            let start = self.trace.len();
            if let Some(true) = self.pop_and_handle() {
                ran += 1;
                let _ = self.finish_step(start);
            }
        }
        self.world.now = self.world.now.max(until);
        ran
    }

    /// Applies a command now. If the run had been rewound, the old future is discarded (a fork).
    pub fn apply(&mut self, command: Command<M::ClientOp>) -> Result<(), CommandError> {
        self.validate(&command)?;
        if self.applied < self.actions.len() {
            self.actions.truncate(self.applied);
            let here = self.world.steps;
            self.snapshots.retain(|s| s.world.steps <= here);
        }
        self.actions.push(Action {
            after_step: self.world.steps,
            after_pops: self.world.pops,
            at_time: self.world.now,
            command: command.clone(),
        });
        self.applied += 1;
        self.execute(command);
        self.close_position();
        Ok(())
    }

    /// Moves to the position after `step` steps: back by restoring a snapshot and re-executing,
    /// forward by running (replaying any recorded future actions). Stops early if the run ends.
    pub fn seek(&mut self, step: u64) {
        if step < self.world.steps {
            let snapshot = self
                .snapshots
                .iter()
                .rev()
                .find(|s| s.world.steps <= step)
                .expect("the snapshot of step 0 is never removed")
                .clone();
            self.world = snapshot.world;
            self.trace.truncate(&snapshot.mark);
            self.applied = snapshot.applied;
            self.position_ends.truncate(self.world.steps as usize + 1);
            let _ = self.replay_actions_here();
        }
        while self.world.steps < step && self.step().is_some() {}
    }

    /// Seeks to the end of the position that recorded `event`: back through the trace, or
    /// forward (re-executing the run's future) until it is recorded.
    pub fn seek_event(&mut self, event: EventId) {
        if event.index() < self.trace.len() {
            self.seek(self.position_of_event(event));
        } else {
            while self.trace.len() <= event.index() && self.step().is_some() {}
        }
    }

    // ----- internals: stepping -----

    fn step_inner(&mut self) -> Result<Option<StepReport>, ReplayError> {
        let start = self.trace.len();
        loop {
            match self.pop_and_handle() {
                None => return Ok(None),
                Some(true) => return self.finish_step(start).map(Some),
                Some(false) => {}
            }
        }
    }

    fn finish_step(&mut self, start: usize) -> Result<StepReport, ReplayError> {
        self.world.steps += 1;
        self.position_ends.push(self.trace.len());
        let have_snapshot = self
            .snapshots
            .last()
            .is_some_and(|s| s.world.steps >= self.world.steps);
        if self.world.steps % SNAPSHOT_EVERY == 0 && !have_snapshot {
            self.take_snapshot();
        }
        self.replay_actions_here()?;
        Ok(StepReport {
            step: self.world.steps,
            time: self.world.now,
            events: start..self.trace.len(),
        })
    }

    fn take_snapshot(&mut self) {
        self.snapshots.push(Snapshot {
            world: self.world.clone(),
            mark: self.trace.mark(),
            applied: self.applied,
        });
    }

    fn close_position(&mut self) {
        if let Some(end) = self.position_ends.last_mut() {
            *end = self.trace.len();
        }
    }

    /// Applies the logged actions that belong at the current step.
    fn replay_actions_here(&mut self) -> Result<(), ReplayError> {
        while let Some(action) = self.actions.get(self.applied) {
            if action.after_step != self.world.steps {
                break;
            }
            let index = self.applied;
            let (after_pops, at_time, command) =
                (action.after_pops, action.at_time, action.command.clone());
            while self.world.pops < after_pops {
                match self.pop_and_handle() {
                    Some(false) => {}
                    // Only skipped pops may lie between a step and its actions.
                    _ => return Err(ReplayError::Unreachable { index }),
                }
            }
            self.world.now = self.world.now.max(at_time);
            self.validate(&command)
                .map_err(|error| ReplayError::Action { index, error })?;
            self.execute(command);
            self.applied += 1;
        }
        self.close_position();
        Ok(())
    }

    /// Pops one queue item: `Some(true)` if it was processed as a step, `Some(false)` if it was
    /// stale or set aside for a paused node, `None` if the queue is empty.
    fn pop_and_handle(&mut self) -> Option<bool> {
        let item = self.world.queue.pop()?;
        self.world.pops += 1;
        self.world.now = self.world.now.max(item.time);
        Some(match item.kind {
            PendingKind::Deliver(id) | PendingKind::Arrived(id) => {
                let Some(message) = self.world.in_flight.get(&id).copied() else {
                    return Some(false);
                };
                let checks_link = matches!(item.kind, PendingKind::Deliver(_));
                let to = message.to;
                if checks_link && !self.world.network.is_up(message.from, to) {
                    self.world.in_flight.remove(&id);
                    self.record_drop(id, DropReason::LinkDown);
                    return Some(true);
                }
                match self.world.nodes[to.index()].status {
                    NodeStatus::Crashed => {
                        self.world.in_flight.remove(&id);
                        self.record_drop(id, DropReason::NodeCrashed);
                        true
                    }
                    NodeStatus::Paused => {
                        self.world.nodes[to.index()]
                            .deferred
                            .push(PendingKind::Arrived(id));
                        false
                    }
                    NodeStatus::Running => {
                        self.world.in_flight.remove(&id);
                        self.deliver(id);
                        true
                    }
                }
            }
            PendingKind::Lose(id) => {
                if self.world.in_flight.remove(&id).is_some() {
                    self.record_drop(id, DropReason::Lost);
                    true
                } else {
                    false
                }
            }
            PendingKind::Timer { node, id } => {
                let runtime = &mut self.world.nodes[node.index()];
                let Some(position) = runtime.timers.iter().position(|t| t.id == id) else {
                    return Some(false);
                };
                match runtime.status {
                    NodeStatus::Running => {
                        let timer = runtime.timers.remove(position).timer;
                        self.fire_timer(node, timer);
                        true
                    }
                    NodeStatus::Paused => {
                        runtime.deferred.push(item.kind);
                        false
                    }
                    NodeStatus::Crashed => false,
                }
            }
            PendingKind::Client(request) => {
                let node = self.trace.request(request).node;
                match self.world.nodes[node.index()].status {
                    NodeStatus::Running => {
                        let op = self.trace.request(request).op.clone();
                        self.process_event(node, EventKind::ClientRequest { request }, None);
                        self.run_handler(node, |model, state, ctx| {
                            model.on_client(state, ctx, request, &op)
                        });
                        true
                    }
                    NodeStatus::Paused => {
                        self.world.nodes[node.index()].deferred.push(item.kind);
                        false
                    }
                    // The connection died with the node: the client never hears back.
                    NodeStatus::Crashed => false,
                }
            }
        })
    }

    fn deliver(&mut self, id: MsgId) {
        let record = self.trace.message(id);
        let (from, to, send_event) = (record.from, record.to, record.send_event);
        let msg = record.payload.clone();
        self.process_event(to, EventKind::Deliver { msg: id }, Some(send_event));
        self.run_handler(to, |model, state, ctx| {
            model.on_message(state, ctx, from, &msg)
        });
    }

    fn fire_timer(&mut self, node: NodeId, timer: M::Timer) {
        let index = self.trace.push_timer(timer.clone());
        self.process_event(node, EventKind::Timer { index }, None);
        self.run_handler(node, |model, state, ctx| model.on_timer(state, ctx, &timer));
    }

    // ----- internals: recording -----

    /// Records an event on `node`'s process: ticks its Lamport clock and vector clock, merging
    /// the clocks of `received` (a send) if given.
    fn process_event(&mut self, node: NodeId, kind: EventKind, received: Option<EventId>) {
        let n = self.world.node_count();
        let i = node.index();
        let own = &mut self.world.vector_clocks[i * n..i * n + n];
        let mut lamport = self.world.nodes[i].lamport;
        if let Some(send) = received {
            for (mine, theirs) in own.iter_mut().zip(self.trace.vector_clock(send)) {
                *mine = (*mine).max(*theirs);
            }
            lamport = lamport.max(self.trace.event(send).lamport);
        }
        own[i] += 1;
        lamport += 1;
        self.world.nodes[i].lamport = lamport;
        let event = self.event_at(node, lamport, true, kind);
        self.trace
            .push(event, &self.world.vector_clocks[i * n..i * n + n]);
    }

    /// Records an environment event shown on `node`'s lifeline, caused by `cause` if any.
    fn environment_event(&mut self, node: NodeId, kind: EventKind, cause: Option<EventId>) {
        self.scratch_clock.fill(0);
        let mut lamport = 0;
        if let Some(cause) = cause {
            self.scratch_clock
                .copy_from_slice(self.trace.vector_clock(cause));
            lamport = self.trace.event(cause).lamport;
        }
        let event = self.event_at(node, lamport, false, kind);
        self.trace.push(event, &self.scratch_clock);
    }

    fn event_at(&self, node: NodeId, lamport: u32, process: bool, kind: EventKind) -> TraceEvent {
        let clock = &self.world.nodes[node.index()].clock;
        let now = self.world.now;
        TraceEvent {
            time: now,
            time_of_day: clock.time_of_day(now),
            monotonic: clock.monotonic(now),
            lamport,
            node,
            process,
            kind,
        }
    }

    fn record_drop(&mut self, msg: MsgId, reason: DropReason) {
        let record = self.trace.message(msg);
        let (to, send_event) = (record.to, record.send_event);
        self.environment_event(to, EventKind::Drop { msg, reason }, Some(send_event));
    }

    // ----- internals: handlers and effects -----

    fn run_handler(
        &mut self,
        node: NodeId,
        handler: impl FnOnce(&M, &mut NodeState<M>, &mut Context<'_, M>),
    ) {
        let mut effects = std::mem::take(&mut self.effects);
        let world = &mut self.world;
        let n = world.nodes.len() as u8;
        let now = world.now;
        let runtime = &mut world.nodes[node.index()];
        if let Memory::Up(state) = &mut runtime.memory {
            let mut ctx = Context {
                node,
                nodes: n,
                time_of_day: runtime.clock.time_of_day(now),
                monotonic: runtime.clock.monotonic(now),
                interval: runtime.clock.interval(now),
                rng: &mut world.rng,
                effects: &mut effects,
            };
            handler(&self.model, state, &mut ctx);
        }
        self.apply_effects(node, &mut effects);
        self.effects = effects;
    }

    fn apply_effects(&mut self, node: NodeId, effects: &mut Vec<Effect<M>>) {
        for effect in effects.drain(..) {
            match effect {
                Effect::Send { to, msg } => self.send(node, to, msg),
                Effect::SetTimer { timer, after_us } => self.set_timer(node, timer, after_us),
                Effect::CancelTimer { timer } => {
                    self.world.nodes[node.index()]
                        .timers
                        .retain(|t| t.timer != timer);
                }
                Effect::Record { note } => {
                    let note = self.trace.push_note(note);
                    self.process_event(node, EventKind::Local { note }, None);
                }
                Effect::Reply { request, note } => {
                    let note = self.trace.push_note(note);
                    self.process_event(node, EventKind::ClientReply { request, note }, None);
                }
                Effect::Role { role, active } => {
                    self.process_event(node, EventKind::Role { role, active }, None);
                }
            }
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: M::Msg) {
        if to.index() >= self.world.node_count() || to == from {
            // A model addressing a node that does not exist: nothing to send it over.
            return;
        }
        let id = self.trace.next_message_id();
        self.process_event(from, EventKind::Send { msg: id }, None);
        let send_event = EventId(self.trace.len() as u32 - 1);
        self.trace.push_message(MessageRecord {
            from,
            to,
            send_event,
            copy_of: None,
            payload: msg,
        });
        self.launch(id, from, to);
    }

    /// Puts a freshly sent message on the wire: latency, loss and duplication are drawn here.
    fn launch(&mut self, id: MsgId, from: NodeId, to: NodeId) {
        let world = &mut self.world;
        let link = *world.network.link(from, to);
        let latency = link.config.latency_us + jitter(&mut world.rng, link.config.jitter_us);
        let doomed = !link.up || world.rng.chance(link.config.loss);
        let now = world.now;
        let (due, kind) = if doomed {
            (now + latency / 2, PendingKind::Lose(id))
        } else {
            (now + latency, PendingKind::Deliver(id))
        };
        world.schedule(due, kind);
        world.in_flight.insert(
            id,
            InFlight {
                id,
                from,
                to,
                sent: now,
                due,
                doomed,
            },
        );
        if !doomed && world.rng.chance(link.config.duplication) {
            self.duplicate(id);
        }
    }

    /// Adds a second copy of an in-flight message, arriving a little after the original.
    fn duplicate(&mut self, id: MsgId) {
        let Some(original) = self.world.in_flight.get(&id).copied() else {
            return;
        };
        let record = self.trace.message(id).clone();
        let send_event = record.send_event;
        let copy = self.trace.push_message(MessageRecord {
            copy_of: Some(id),
            ..record
        });
        self.environment_event(
            original.from,
            EventKind::Duplicate { msg: id, copy },
            Some(send_event),
        );
        let world = &mut self.world;
        let spread = world
            .network
            .link(original.from, original.to)
            .config
            .jitter_us;
        let due = original.due.max(world.now) + 1 + jitter(&mut world.rng, spread);
        world.schedule(due, PendingKind::Deliver(copy));
        world.in_flight.insert(
            copy,
            InFlight {
                id: copy,
                due,
                doomed: false,
                ..original
            },
        );
    }

    fn set_timer(&mut self, node: NodeId, timer: M::Timer, after_us: Micros) {
        let world = &mut self.world;
        let now = world.now;
        let id = world.next_timer_id;
        world.next_timer_id += 1;
        let runtime = &mut world.nodes[node.index()];
        runtime.timers.retain(|t| t.timer != timer);
        let deadline = runtime.clock.monotonic(now) + after_us.min(MAX_TIMER_US);
        let due = runtime.clock.when_monotonic_reaches(now, deadline);
        runtime.timers.push(PendingTimer {
            id,
            timer,
            deadline_monotonic: deadline,
        });
        world.schedule(due, PendingKind::Timer { node, id });
    }

    /// After a drift change, pending timers fire at different true times: re-arm them.
    fn reschedule_timers(&mut self, node: NodeId) {
        let world = &mut self.world;
        let now = world.now;
        let runtime = &mut world.nodes[node.index()];
        let mut due_times = Vec::with_capacity(runtime.timers.len());
        for timer in &mut runtime.timers {
            timer.id = world.next_timer_id;
            world.next_timer_id += 1;
            let due = runtime
                .clock
                .when_monotonic_reaches(now, timer.deadline_monotonic);
            due_times.push((due, timer.id));
        }
        for (due, id) in due_times {
            world.schedule(due, PendingKind::Timer { node, id });
        }
    }

    // ----- internals: commands -----

    fn validate(&self, command: &Command<M::ClientOp>) -> Result<(), CommandError> {
        command.validate_shape(self.config.nodes)?;
        let wrong = |node: NodeId, action: &'static str| CommandError::WrongStatus {
            node,
            action,
            status: self.status(node).label(),
        };
        match command {
            Command::Pause { node } if self.status(*node) != NodeStatus::Running => {
                Err(wrong(*node, "pause"))
            }
            Command::Resume { node } if self.status(*node) != NodeStatus::Paused => {
                Err(wrong(*node, "resume"))
            }
            Command::Crash { node } if self.status(*node) == NodeStatus::Crashed => {
                Err(wrong(*node, "crash"))
            }
            Command::Restart { node } if self.status(*node) != NodeStatus::Crashed => {
                Err(wrong(*node, "restart"))
            }
            Command::Client { node, .. } if self.status(*node) == NodeStatus::Crashed => {
                Err(wrong(*node, "send a request to"))
            }
            Command::DropMessage { msg } | Command::DuplicateMessage { msg }
                if !self.world.in_flight.contains_key(msg) =>
            {
                Err(CommandError::UnknownMessage { msg: *msg })
            }
            _ => Ok(()),
        }
    }

    /// Carries out a command that `validate` accepted.
    fn execute(&mut self, command: Command<M::ClientOp>) {
        let network = &mut self.world.network;
        match &command {
            Command::CutLink { from, to } | Command::HealLink { from, to } => {
                network.link_mut(*from, *to).up = matches!(command, Command::HealLink { .. });
                let node = *from;
                self.record_fault(node, command, false);
            }
            Command::CutBoth { a, b } | Command::HealBoth { a, b } => {
                let up = matches!(command, Command::HealBoth { .. });
                network.link_mut(*a, *b).up = up;
                network.link_mut(*b, *a).up = up;
                let node = *a;
                self.record_fault(node, command, false);
            }
            Command::Partition { groups } => {
                let mut group_of = [groups.len(); MAX_NODES];
                for (index, group) in groups.iter().enumerate() {
                    for node in group {
                        group_of[node.index()] = index;
                    }
                }
                let pairs: Vec<_> = network.pairs().collect();
                for (a, b) in pairs {
                    network.link_mut(a, b).up = group_of[a.index()] == group_of[b.index()];
                }
                self.record_fault(NodeId(0), command, false);
            }
            Command::HealAll => {
                let pairs: Vec<_> = network.pairs().collect();
                for (a, b) in pairs {
                    network.link_mut(a, b).up = true;
                }
                self.record_fault(NodeId(0), command, false);
            }
            Command::SetLink { from, to, config } => {
                network.link_mut(*from, *to).config = *config;
                let node = *from;
                self.record_fault(node, command, false);
            }
            Command::Pause { node } => {
                let node = *node;
                self.world.nodes[node.index()].status = NodeStatus::Paused;
                self.record_fault(node, command, true);
            }
            Command::Resume { node } => {
                let node = *node;
                self.world.nodes[node.index()].status = NodeStatus::Running;
                self.record_fault(node, command, true);
                // Overdue work runs in the order it fell due.
                let deferred = std::mem::take(&mut self.world.nodes[node.index()].deferred);
                let now = self.world.now;
                for kind in deferred {
                    self.world.schedule(now, kind);
                }
            }
            Command::Crash { node } => {
                let node = *node;
                self.record_fault(node, command, true);
                let runtime = &mut self.world.nodes[node.index()];
                runtime.status = NodeStatus::Crashed;
                runtime.timers.clear();
                let durable = durable_of(&runtime.memory).clone();
                runtime.memory = Memory::Down(durable);
                let deferred = std::mem::take(&mut runtime.deferred);
                for kind in deferred {
                    if let PendingKind::Arrived(msg) = kind {
                        self.world.in_flight.remove(&msg);
                        self.record_drop(msg, DropReason::NodeCrashed);
                    }
                }
            }
            Command::Restart { node } => {
                let node = *node;
                self.world.nodes[node.index()].status = NodeStatus::Running;
                self.record_fault(node, command, true);
                self.restart(node);
            }
            Command::SetClockOffset { node, offset_us } => {
                let node = *node;
                self.world.nodes[node.index()].clock.set_offset(*offset_us);
                self.record_fault(node, command, true);
            }
            Command::NtpStep { node, delta_us } => {
                let node = *node;
                self.world.nodes[node.index()].clock.step(*delta_us);
                self.record_fault(node, command, true);
            }
            Command::SetDrift { node, drift_ppm } => {
                let node = *node;
                let now = self.world.now;
                self.world.nodes[node.index()]
                    .clock
                    .set_drift(now, *drift_ppm);
                self.reschedule_timers(node);
                self.record_fault(node, command, true);
            }
            Command::SetUncertainty {
                node,
                uncertainty_us,
            } => {
                let node = *node;
                self.world.nodes[node.index()]
                    .clock
                    .set_uncertainty(*uncertainty_us);
                self.record_fault(node, command, true);
            }
            Command::DropMessage { msg } => {
                let msg = *msg;
                self.world.in_flight.remove(&msg);
                self.record_drop(msg, DropReason::ByCommand);
            }
            Command::DuplicateMessage { msg } => {
                let msg = *msg;
                self.duplicate(msg);
            }
            Command::Client { node, op } => {
                let request = self.trace.push_request(RequestRecord {
                    node: *node,
                    op: op.clone(),
                });
                let now = self.world.now;
                self.world.schedule(now, PendingKind::Client(request));
            }
        }
    }

    fn record_fault(&mut self, node: NodeId, command: Command<M::ClientOp>, on_process: bool) {
        let index = self.trace.push_fault(command);
        if on_process {
            self.process_event(node, EventKind::Fault { index }, None);
        } else {
            self.environment_event(node, EventKind::Fault { index }, None);
        }
    }

    fn restart(&mut self, node: NodeId) {
        let mut effects = std::mem::take(&mut self.effects);
        let world = &mut self.world;
        let n = world.nodes.len() as u8;
        let now = world.now;
        let runtime = &mut world.nodes[node.index()];
        let durable = durable_of(&runtime.memory).clone();
        let state = {
            let mut ctx = Context {
                node,
                nodes: n,
                time_of_day: runtime.clock.time_of_day(now),
                monotonic: runtime.clock.monotonic(now),
                interval: runtime.clock.interval(now),
                rng: &mut world.rng,
                effects: &mut effects,
            };
            self.model.recover(durable, &mut ctx)
        };
        runtime.memory = Memory::Up(state);
        self.apply_effects(node, &mut effects);
        self.effects = effects;
    }
}

/// Checks what can be checked before running: positions in order and within bounds.
fn check_log_order<Op>(actions: &[Action<Op>]) -> Result<(), ReplayError> {
    let mut previous = (0, 0);
    for (index, action) in actions.iter().enumerate() {
        if action.after_step > MAX_REPLAY_STEPS {
            return Err(ReplayError::TooLong {
                index,
                after_step: action.after_step,
            });
        }
        let position = (action.after_step, action.after_pops);
        // Every step pops at least once, so pops can never trail steps.
        if position < previous || action.after_pops < action.after_step {
            return Err(ReplayError::Unreachable { index });
        }
        previous = position;
    }
    Ok(())
}

fn durable_of<M: Model>(memory: &Memory<M>) -> &M::Durable {
    match memory {
        Memory::Up(state) => &state.durable,
        Memory::Down(durable) => durable,
    }
}

fn jitter(rng: &mut SimRng, spread: Micros) -> Micros {
    if spread == 0 {
        0
    } else {
        rng.up_to(spread)
    }
}
