//! [`ModelRun`]: the one layer of the live run compiled once per model. It is what the
//! model-free [`super::Session`] asks of a `Simulation<M>`: run it, read its model-free state,
//! say its payloads in words ([`Words`]), and judge it. Everything else (drawing, inspecting,
//! exporting, time travel bookkeeping) is ordinary code over the [`crate::sim::Skeleton`], in the
//! bundle once.

use crate::detect::{Finding, Observed, Property};
use crate::sim::{
    Clock, ClusterView, Command, CommandError, LoggedCommand, Micros, Names, Network, NodeId,
    NodeStatus, Row, Simulation, Words,
};

/// A simulation of some model, behind one object-safe interface. Every method is a line or two
/// on `Simulation<M>`: keep it that way, so per-model code stays small.
pub trait ModelRun {
    // ----- running -----

    /// Runs the next event due at or before `until`, if any.
    fn step_until(&mut self, until: Micros) -> bool;
    /// Runs every event due at or before `until`, then moves true time to it.
    fn run_until(&mut self, until: Micros);
    /// Moves to the position after `step` steps (backwards exactly, forwards by running).
    fn seek(&mut self, step: u64);
    /// Applies a fault now (client requests are refused: they belong to the model's script).
    fn apply(&mut self, fault: Command<()>) -> Result<(), CommandError>;
    /// Every fault applied by hand and exactly where, the future beyond a step back included.
    fn fault_log(&self) -> Vec<LoggedCommand<()>>;

    // ----- the state, model-free -----

    fn now(&self) -> Micros;
    /// When the next pending work is due, if any.
    fn next_time(&self) -> Option<Micros>;
    fn current_step(&self) -> u64;
    fn node_count(&self) -> u8;
    fn status(&self, node: NodeId) -> NodeStatus;
    fn clock(&self, node: NodeId) -> &Clock;
    fn network(&self) -> &Network;
    fn cluster(&self) -> ClusterView<'_>;
    /// The trace, and its payloads in words.
    fn words(&self) -> &dyn Words;

    // ----- the model's own state and judgement -----

    /// What `node` holds in memory, as the model's labelled rows (`None` while crashed).
    fn memory(&self, node: NodeId, names: &Names) -> Option<Vec<Row>>;
    /// What `node` keeps on disk.
    fn disk(&self, node: NodeId, names: &Names) -> Vec<Row>;
    /// What a power cut would leave of `node`'s disk, when some writes are not yet synced.
    fn synced_disk(&self, node: NodeId, names: &Names) -> Option<Vec<Row>>;
    /// `node`'s state in a few words, its model's headline (see [`crate::sim::Describe`]).
    fn headline(&self, node: NodeId, names: &Names) -> String;
    /// Every finding in the trace so far (in the detectors' order).
    fn detect(&self) -> Vec<Finding>;
    fn properties(&self) -> Vec<Property>;
}

impl<M: Observed> ModelRun for Simulation<M> {
    fn step_until(&mut self, until: Micros) -> bool {
        Simulation::step_until(self, until).is_some()
    }

    fn run_until(&mut self, until: Micros) {
        Simulation::run_until(self, until);
    }

    fn seek(&mut self, step: u64) {
        Simulation::seek(self, step);
    }

    fn apply(&mut self, fault: Command<()>) -> Result<(), CommandError> {
        let command = fault.for_model().ok_or(CommandError::NotAFault)?;
        Simulation::apply(self, command)
    }

    fn fault_log(&self) -> Vec<LoggedCommand<()>> {
        self.actions()
            .iter()
            .filter_map(|action| {
                Some(LoggedCommand {
                    after_step: action.after_step,
                    after_pops: action.after_pops,
                    at_time: action.at_time,
                    command: action.command.clone().without_op()?,
                })
            })
            .collect()
    }

    fn now(&self) -> Micros {
        Simulation::now(self)
    }

    fn next_time(&self) -> Option<Micros> {
        Simulation::next_time(self)
    }

    fn current_step(&self) -> u64 {
        Simulation::current_step(self)
    }

    fn node_count(&self) -> u8 {
        Simulation::node_count(self)
    }

    fn status(&self, node: NodeId) -> NodeStatus {
        Simulation::status(self, node)
    }

    fn clock(&self, node: NodeId) -> &Clock {
        Simulation::clock(self, node)
    }

    fn network(&self) -> &Network {
        Simulation::network(self)
    }

    fn cluster(&self) -> ClusterView<'_> {
        Simulation::cluster(self)
    }

    fn words(&self) -> &dyn Words {
        self
    }

    fn memory(&self, node: NodeId, names: &Names) -> Option<Vec<Row>> {
        self.state(node)
            .map(|state| self.model().memory(node, &state.volatile, names))
    }

    fn disk(&self, node: NodeId, names: &Names) -> Vec<Row> {
        self.model().disk(node, self.durable(node), names)
    }

    fn synced_disk(&self, node: NodeId, names: &Names) -> Option<Vec<Row>> {
        self.unsynced(node)
            .map(|synced| self.model().disk(node, synced, names))
    }

    fn headline(&self, node: NodeId, names: &Names) -> String {
        let memory = self.state(node).map(|state| &state.volatile);
        self.model()
            .headline(node, memory, self.durable(node), names)
    }

    fn detect(&self) -> Vec<Finding> {
        self.model().detect(self.trace())
    }

    fn properties(&self) -> Vec<Property> {
        self.model().properties()
    }
}
