//! Validating and carrying out the user's commands (the fault vocabulary).

use super::{durable_of, Simulation};
use crate::sim::command::{Command, CommandError};
use crate::sim::ids::{NodeId, MAX_NODES};
use crate::sim::model::{Context, Model};
use crate::sim::queue::PendingKind;
use crate::sim::trace::{DropReason, EventKind, RequestRecord};
use crate::sim::world::{Memory, NodeStatus};

impl<M: Model> Simulation<M> {
    pub(super) fn validate(&self, command: &Command<M::ClientOp>) -> Result<(), CommandError> {
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
            Command::Crash { node } | Command::CrashLosingUnsynced { node }
                if self.status(*node) == NodeStatus::Crashed =>
            {
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
    pub(super) fn execute(&mut self, command: Command<M::ClientOp>) {
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
            Command::Flood { node, duration_us } => {
                let node = *node;
                // Outside traffic gets only the share of the link no circuit reserves.
                let free = (1.0 - self.model.circuit_share()).clamp(0.1, 1.0);
                let busy = (*duration_us as f64 / free).round() as crate::sim::Micros;
                let now = self.world.now;
                let runtime = &mut self.world.nodes[node.index()];
                runtime.flooded_until = runtime.flooded_until.max(now) + busy;
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
            Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                let node = *node;
                let lose_unsynced = matches!(command, Command::CrashLosingUnsynced { .. });
                self.record_fault(node, command, true);
                let runtime = &mut self.world.nodes[node.index()];
                runtime.status = NodeStatus::Crashed;
                runtime.timers.clear();
                // A process crash leaves the operating system's cache to reach the disk; a
                // power cut keeps only what was synced.
                let durable = match (&runtime.synced, lose_unsynced) {
                    (Some(synced), true) => synced.clone(),
                    _ => durable_of(&runtime.memory).clone(),
                };
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

    pub(super) fn record_fault(
        &mut self,
        node: NodeId,
        command: Command<M::ClientOp>,
        on_process: bool,
    ) {
        let index = self.trace.push_fault(command);
        if on_process {
            self.process_event(node, EventKind::Fault { index }, None);
        } else {
            self.environment_event(node, EventKind::Fault { index }, None);
        }
    }

    pub(super) fn restart(&mut self, node: NodeId) {
        let mut effects = std::mem::take(&mut self.effects);
        let world = &mut self.world;
        let n = world.nodes.len() as u8;
        let now = world.now;
        let runtime = &mut world.nodes[node.index()];
        let durable = durable_of(&runtime.memory).clone();
        let state = {
            let mut ctx = Context::new(node, n, &runtime.clock, now, &mut world.rng, &mut effects);
            self.model.recover(durable, &mut ctx)
        };
        runtime.memory = Memory::Up(state);
        self.apply_effects(node, &mut effects);
        self.effects = effects;
    }
}
