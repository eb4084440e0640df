//! Validating and carrying out the user's commands (the fault vocabulary).
//!
//! A fault carries no client operation, so [`World::execute_fault`] carries it out without the
//! model (compiled once); [`Simulation::execute`] adds only what touches the model's state: a
//! client request, a duplicated payload, memory lost in a crash, a restart, re-armed timers.

use super::{durable_of, Simulation};
use crate::sim::command::{Command, CommandError};
use crate::sim::ids::{MsgId, NodeId, MAX_NODES};
use crate::sim::model::{Context, Model};
use crate::sim::queue::PendingKind;
use crate::sim::trace::{DropReason, EventKind, RequestRecord, Skeleton};
use crate::sim::world::{Memory, NodeStatus, World};

impl<M: Model> Simulation<M> {
    pub(super) fn validate(&self, command: &Command<M::ClientOp>) -> Result<(), CommandError> {
        command.validate_shape(self.config.nodes)?;
        let needs = match command {
            Command::Pause { node } => Needs::Status(*node, "pause", Needs::running),
            Command::Resume { node } => Needs::Status(*node, "resume", Needs::paused),
            Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                Needs::Status(*node, "crash", Needs::up)
            }
            Command::Restart { node } => Needs::Status(*node, "restart", Needs::crashed),
            Command::Client { node, .. } => Needs::Status(*node, "send a request to", Needs::up),
            Command::DropMessage { msg } | Command::DuplicateMessage { msg } => {
                Needs::OnTheWire(*msg)
            }
            _ => return Ok(()),
        };
        self.world.check(needs)
    }

    /// Carries out a command that `validate` accepted.
    pub(super) fn execute(&mut self, command: Command<M::ClientOp>) {
        let fault = match command {
            Command::Client { node, op } => {
                let request = self.trace.push_request(RequestRecord { node, op });
                let now = self.world.now;
                self.world.schedule(now, PendingKind::Client(request));
                return;
            }
            Command::DuplicateMessage { msg } => {
                self.duplicate(msg);
                return;
            }
            Command::DropMessage { msg } => Command::DropMessage { msg },
            fault => {
                let bare = fault.clone().without_op();
                self.trace.push_model_fault(fault);
                bare.expect("a client request is carried out above")
            }
        };
        let circuit_share = self.model.circuit_share();
        self.world
            .execute_fault(self.trace.skeleton_mut(), &fault, circuit_share);
        match fault {
            Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                let lose_unsynced = matches!(fault, Command::CrashLosingUnsynced { .. });
                let state = &mut self.states[node.index()];
                state.timers.clear();
                // A process crash leaves the operating system's cache to reach the disk; a
                // power cut keeps only what was synced.
                let durable = match (&state.synced, lose_unsynced) {
                    (Some(synced), true) => synced.clone(),
                    _ => durable_of(&state.memory).clone(),
                };
                state.memory = Memory::Down(durable);
            }
            Command::Restart { node } => self.restart(node),
            Command::SetDrift { node, .. } => self.reschedule_timers(node),
            _ => {}
        }
    }

    pub(super) fn restart(&mut self, node: NodeId) {
        let mut effects = std::mem::take(&mut self.effects);
        let world = &mut self.world;
        let n = world.nodes.len() as u8;
        let now = world.now;
        let runtime = &world.nodes[node.index()];
        let state = &mut self.states[node.index()];
        let durable = durable_of(&state.memory).clone();
        let recovered = {
            let mut ctx = Context::new(node, n, &runtime.clock, now, &mut world.rng, &mut effects);
            self.model.recover(durable, &mut ctx)
        };
        state.memory = Memory::Up(recovered);
        self.apply_effects(node, &mut effects);
        self.effects = effects;
    }
}

/// What a command needs of the run to make sense now: its node in some status, or its message
/// still on the wire.
pub(super) enum Needs {
    Status(NodeId, &'static str, fn(NodeStatus) -> bool),
    OnTheWire(MsgId),
}

impl Needs {
    fn running(status: NodeStatus) -> bool {
        status == NodeStatus::Running
    }

    fn paused(status: NodeStatus) -> bool {
        status == NodeStatus::Paused
    }

    fn crashed(status: NodeStatus) -> bool {
        status == NodeStatus::Crashed
    }

    fn up(status: NodeStatus) -> bool {
        status != NodeStatus::Crashed
    }
}

impl World {
    /// Refuses a command whose node is in the wrong status or whose message is gone.
    fn check(&self, needs: Needs) -> Result<(), CommandError> {
        match needs {
            Needs::Status(node, action, allowed) => {
                let status = self.nodes[node.index()].status;
                if allowed(status) {
                    Ok(())
                } else {
                    Err(CommandError::WrongStatus {
                        node,
                        action,
                        status: status.label(),
                    })
                }
            }
            Needs::OnTheWire(msg) if !self.in_flight.contains_key(&msg) => {
                Err(CommandError::UnknownMessage { msg })
            }
            Needs::OnTheWire(_) => Ok(()),
        }
    }

    /// Carries out the model-free part of a fault that `validate` accepted, recording it (as
    /// fault `index` of the trace) where the command says. The caller does the rest: see
    /// [`Simulation::execute`]. `circuit_share` is the model's [`Model::circuit_share`].
    pub(super) fn execute_fault(
        &mut self,
        trace: &mut Skeleton,
        command: &Command<()>,
        circuit_share: f64,
    ) {
        let network = &mut self.network;
        match command {
            Command::CutLink { from, to } | Command::HealLink { from, to } => {
                network.link_mut(*from, *to).up = matches!(command, Command::HealLink { .. });
                self.record_fault(trace, *from, command, false);
            }
            Command::CutBoth { a, b } | Command::HealBoth { a, b } => {
                let up = matches!(command, Command::HealBoth { .. });
                network.link_mut(*a, *b).up = up;
                network.link_mut(*b, *a).up = up;
                self.record_fault(trace, *a, command, false);
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
                self.record_fault(trace, NodeId(0), command, false);
            }
            Command::HealAll => {
                let pairs: Vec<_> = network.pairs().collect();
                for (a, b) in pairs {
                    network.link_mut(a, b).up = true;
                }
                self.record_fault(trace, NodeId(0), command, false);
            }
            Command::SetLink { from, to, config } => {
                network.link_mut(*from, *to).config = *config;
                self.record_fault(trace, *from, command, false);
            }
            Command::Flood { node, duration_us } => {
                let node = *node;
                // Outside traffic gets only the share of the link no circuit reserves.
                let free = (1.0 - circuit_share).clamp(0.1, 1.0);
                let busy = (*duration_us as f64 / free).round() as crate::sim::Micros;
                let now = self.now;
                let runtime = &mut self.nodes[node.index()];
                runtime.flooded_until = runtime.flooded_until.max(now) + busy;
                self.record_fault(trace, node, command, false);
            }
            Command::Pause { node } => {
                let node = *node;
                self.nodes[node.index()].status = NodeStatus::Paused;
                self.record_fault(trace, node, command, true);
            }
            Command::Resume { node } => {
                let node = *node;
                self.nodes[node.index()].status = NodeStatus::Running;
                self.record_fault(trace, node, command, true);
                // Overdue work runs in the order it fell due.
                let deferred = std::mem::take(&mut self.nodes[node.index()].deferred);
                let now = self.now;
                for kind in deferred {
                    self.schedule(now, kind);
                }
            }
            Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                let node = *node;
                self.record_fault(trace, node, command, true);
                let runtime = &mut self.nodes[node.index()];
                runtime.status = NodeStatus::Crashed;
                let deferred = std::mem::take(&mut runtime.deferred);
                for kind in deferred {
                    if let PendingKind::Arrived(msg) = kind {
                        self.in_flight.remove(&msg);
                        self.record_drop(trace, msg, DropReason::NodeCrashed);
                    }
                }
            }
            Command::Restart { node } => {
                let node = *node;
                self.nodes[node.index()].status = NodeStatus::Running;
                self.record_fault(trace, node, command, true);
            }
            Command::SetClockOffset { node, offset_us } => {
                let node = *node;
                self.nodes[node.index()].clock.set_offset(*offset_us);
                self.record_fault(trace, node, command, true);
            }
            Command::NtpStep { node, delta_us } => {
                let node = *node;
                self.nodes[node.index()].clock.step(*delta_us);
                self.record_fault(trace, node, command, true);
            }
            Command::SetDrift { node, drift_ppm } => {
                let node = *node;
                let now = self.now;
                self.nodes[node.index()].clock.set_drift(now, *drift_ppm);
                self.record_fault(trace, node, command, true);
            }
            Command::SetUncertainty {
                node,
                uncertainty_us,
            } => {
                let node = *node;
                self.nodes[node.index()]
                    .clock
                    .set_uncertainty(*uncertainty_us);
                self.record_fault(trace, node, command, true);
            }
            Command::DropMessage { msg } => {
                let msg = *msg;
                self.in_flight.remove(&msg);
                self.record_drop(trace, msg, DropReason::ByCommand);
            }
            // Carried out by `Simulation::execute`: they need the model's payloads.
            Command::DuplicateMessage { .. } | Command::Client { .. } => {}
        }
    }

    fn record_fault(
        &mut self,
        trace: &mut Skeleton,
        node: NodeId,
        command: &Command<()>,
        on_process: bool,
    ) {
        let index = trace.push_fault(command.clone());
        if on_process {
            self.process_event(trace, node, EventKind::Fault { index }, None);
        } else {
            self.environment_event(trace, node, EventKind::Fault { index }, None);
        }
    }
}
