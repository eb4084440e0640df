//! The discrete-event engine: pops pending work in (time, sequence) order, runs the model's
//! handlers, applies the effects they return, and records everything in the trace.
//!
//! `mod.rs` holds the run's state and its public surface (running, seeking, applying commands);
//! the other files each do one part of the work.
//!
//! The state is split in two: the model-free [`World`] (time, queue, network, clocks, node
//! statuses, messages on the wire) and one [`NodeModel`] per node (the model's memory, disk and
//! timers); the trace likewise splits into its model-free [`Skeleton`](crate::sim::trace::Skeleton)
//! and the model's payloads. Whatever does not touch the model is written on `World` and
//! `Skeleton` (`impl World` sections in each file), so it is compiled once rather than once per
//! model; `Simulation<M>` runs the model's handlers and keeps its payloads.

mod action_log;
mod effects;
mod faults;
mod queue_items;
mod record;

use std::collections::{BTreeMap, BinaryHeap};

use crate::sim::clock::Clock;
use crate::sim::command::{Command, CommandError};
use crate::sim::config::SimConfig;
use crate::sim::ids::{EventId, Micros, NodeId};
use crate::sim::model::{Context, Effect, Model, NodeState};
use crate::sim::network::Network;
use crate::sim::queue::PendingKind;
use crate::sim::rng::SimRng;
use crate::sim::trace::{EventKind, Trace, TraceMark};
use crate::sim::world::{
    ClusterView, InFlight, Memory, NodeModel, NodeRuntime, NodeStatus, PendingTimer, World,
};

use action_log::check_log_order;
pub use action_log::{
    decode_command, LoggedCommand, LoggedWire, ReplayError, Scheduled, StepReport, MAX_REPLAY_STEPS,
};

/// A snapshot is kept every this many steps: seeking re-executes at most this many.
pub const SNAPSHOT_EVERY: u64 = 1024;

#[derive(Clone, Debug)]
struct Snapshot<M: Model> {
    world: World,
    states: Vec<NodeModel<M>>,
    mark: TraceMark,
    applied: usize,
}

/// A deterministic simulation of a cluster running model `M`.
#[derive(Clone, Debug)]
pub struct Simulation<M: Model> {
    model: M,
    config: SimConfig,
    /// The scenario's own commands, each queued at its time when the run starts.
    script: Vec<Scheduled<M::ClientOp>>,
    /// The model-free part of the run's state; most of the engine's work is done on it alone
    /// (compiled once, not once per model).
    world: World,
    /// Each node's model-specific state, in node order.
    states: Vec<NodeModel<M>>,
    trace: Trace<M>,
    actions: Vec<LoggedCommand<M::ClientOp>>,
    /// `actions[..applied]` are in the past; the rest is a future that seeking forward replays.
    applied: usize,
    snapshots: Vec<Snapshot<M>>,
    /// Trace length at the end of each position (a step plus the actions applied after it).
    position_ends: Vec<usize>,
    effects: Vec<Effect<M>>,
}

impl<M: Model> Simulation<M> {
    pub fn new(model: M, config: SimConfig) -> Result<Simulation<M>, CommandError> {
        Simulation::with_script(model, config, Vec::new())
    }

    /// A run whose scenario schedules `script`: each command is applied when true time reaches
    /// it (as a step), or skipped if it no longer makes sense then (e.g. resuming a running node).
    pub fn with_script(
        model: M,
        config: SimConfig,
        script: Vec<Scheduled<M::ClientOp>>,
    ) -> Result<Simulation<M>, CommandError> {
        config.validate()?;
        for scheduled in &script {
            scheduled.command.validate_shape(config.nodes)?;
        }
        let n = config.nodes as usize;
        let mut world = World::new(&config);
        // Start every node, then apply what each start asked for, in node order.
        let mut states = Vec::with_capacity(n);
        let mut started_effects = Vec::with_capacity(n);
        for (i, runtime) in world.nodes.iter().enumerate() {
            let mut effects = Vec::new();
            let state = {
                let mut ctx = Context::new(
                    NodeId(i as u8),
                    n as u8,
                    &runtime.clock,
                    0,
                    &mut world.rng,
                    &mut effects,
                );
                model.start(&mut ctx)
            };
            let synced = model.buffers_writes().then(|| state.durable.clone());
            states.push(NodeModel {
                memory: Memory::Up(state),
                synced,
                timers: Vec::new(),
            });
            started_effects.push(effects);
        }
        let mut sim = Simulation {
            model,
            config,
            script,
            world,
            states,
            trace: Trace::new(n),
            actions: Vec::new(),
            applied: 0,
            snapshots: Vec::new(),
            position_ends: Vec::new(),
            effects: Vec::new(),
        };
        for (i, mut effects) in started_effects.into_iter().enumerate() {
            let node = NodeId(i as u8);
            sim.process_event(node, EventKind::Start, None);
            sim.apply_effects(node, &mut effects);
        }
        for (index, scheduled) in sim.script.iter().enumerate() {
            sim.world
                .schedule(scheduled.at_us, PendingKind::Scripted(index as u32));
        }
        sim.position_ends.push(sim.trace.len());
        sim.take_snapshot();
        Ok(sim)
    }

    /// Rebuilds a run from its configuration and action log, positioned after the last action.
    pub fn replay(
        model: M,
        config: SimConfig,
        actions: Vec<LoggedCommand<M::ClientOp>>,
    ) -> Result<Simulation<M>, ReplayError> {
        Simulation::replay_with_script(model, config, Vec::new(), actions)
    }

    /// Rebuilds a scripted run from its configuration, script and action log.
    pub fn replay_with_script(
        model: M,
        config: SimConfig,
        script: Vec<Scheduled<M::ClientOp>>,
        actions: Vec<LoggedCommand<M::ClientOp>>,
    ) -> Result<Simulation<M>, ReplayError> {
        check_log_order(&actions)?;
        let mut sim =
            Simulation::with_script(model, config, script).map_err(ReplayError::Config)?;
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

    pub fn script(&self) -> &[Scheduled<M::ClientOp>] {
        &self.script
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
    pub fn actions(&self) -> &[LoggedCommand<M::ClientOp>] {
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
        match &self.states[node.index()].memory {
            Memory::Up(state) => Some(state),
            Memory::Down(_) => None,
        }
    }

    pub fn durable(&self, node: NodeId) -> &M::Durable {
        durable_of(&self.states[node.index()].memory)
    }

    /// What a power cut would leave of the node's disk, if that differs from what it has
    /// written (`None` when every write is synced).
    pub fn unsynced(&self, node: NodeId) -> Option<&M::Durable> {
        let runtime = &self.states[node.index()];
        runtime
            .synced
            .as_ref()
            .filter(|&synced| synced != durable_of(&runtime.memory))
    }

    pub fn clock(&self, node: NodeId) -> &Clock {
        &self.world.nodes[node.index()].clock
    }

    /// Until when (true time) the node's incoming link is busy with outside traffic; a time
    /// already past when it is not flooded.
    pub fn flooded_until(&self, node: NodeId) -> Micros {
        self.world.nodes[node.index()].flooded_until
    }

    pub fn timers(&self, node: NodeId) -> &[PendingTimer<M::Timer>] {
        &self.states[node.index()].timers
    }

    pub fn network(&self) -> &Network {
        &self.world.network
    }

    /// Messages on the wire, by id.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> {
        self.world.in_flight.values()
    }

    /// The cluster now, model-free.
    pub fn cluster(&self) -> ClusterView<'_> {
        self.world.view(self.trace.skeleton())
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

    /// Runs the next event if it is due at or before true time `until`; `None` if none is.
    /// Unlike [`Simulation::step`], never runs past `until`, even over stale queue entries.
    pub fn step_until(&mut self, until: Micros) -> Option<StepReport> {
        let start = self.trace.len();
        while self.next_time().is_some_and(|t| t <= until) {
            if let Some(true) = self.pop_and_handle() {
                return self.finish_step(start).ok();
            }
        }
        None
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
        self.actions.push(LoggedCommand {
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
            self.states = snapshot.states;
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
            states: self.states.clone(),
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
}

fn durable_of<M: Model>(memory: &Memory<M>) -> &M::Durable {
    match memory {
        Memory::Up(state) => &state.durable,
        Memory::Down(durable) => durable,
    }
}

impl World {
    /// A run's world at time zero: every node running, its clock set up as configured (each
    /// starting from a random reading, drawn in node order).
    fn new(config: &SimConfig) -> World {
        let n = config.nodes as usize;
        let mut rng = SimRng::new(config.seed);
        let nodes = (0..n)
            .map(|i| {
                let settings = config.clocks.get(i).copied().unwrap_or_default();
                NodeRuntime {
                    status: NodeStatus::Running,
                    clock: Clock::new(settings, rng.below(1 << 40)),
                    deferred: Vec::new(),
                    flooded_until: 0,
                    lamport: 0,
                }
            })
            .collect();
        World {
            now: 0,
            steps: 0,
            pops: 0,
            seq: 0,
            next_timer_id: 0,
            rng,
            network: Network::new(n, config.link, &config.links),
            nodes,
            vector_clocks: vec![0; n * n],
            queue: BinaryHeap::new(),
            in_flight: BTreeMap::new(),
        }
    }

    /// The cluster now, model-free.
    fn view<'a>(&'a self, trace: &'a crate::sim::trace::Skeleton) -> ClusterView<'a> {
        ClusterView {
            now: self.now,
            network: &self.network,
            nodes: self
                .nodes
                .iter()
                .map(|node| (node.status, &node.clock))
                .collect(),
            in_flight: self.in_flight.values().copied().collect(),
            trace,
            flooded_until: self.nodes.iter().map(|n| n.flooded_until).collect(),
        }
    }
}
