//! Handling what the queue pops: deliveries, losses, timers and client requests.
//!
//! The model-free [`World::pop`] settles whatever the network and node statuses decide (a
//! flooded link, a cut link, a crashed or paused receiver, a loss); it hands back only the work
//! that needs the model, which [`Simulation::pop_and_handle`] runs.

use super::Simulation;
use crate::sim::command::Command;
use crate::sim::ids::{MsgId, NodeId, RequestId};
use crate::sim::model::Model;
use crate::sim::queue::PendingKind;
use crate::sim::trace::{DropReason, EventKind, RequestRecord, Skeleton};
use crate::sim::world::{NodeStatus, World};

/// What a pop left for the model's side to do.
pub(super) enum Popped {
    /// Done without the model; whether it was processed as a step.
    Done(bool),
    /// Message `id` (already off the wire) reaches its running receiver.
    Deliver(MsgId),
    /// Timer `id` of `node` falls due.
    Timer {
        node: NodeId,
        id: u32,
    },
    /// Scripted command `index` falls due.
    Scripted(u32),
    Client(RequestId),
}

impl World {
    /// Pops the next queue item and settles it as far as the model is not needed. `None` when
    /// the queue is empty. `waits_for_floods`: the model reserves no share of a link
    /// ([`crate::sim::Model::circuit_share`]), so its messages wait for a flood to pass.
    pub(super) fn pop(&mut self, trace: &mut Skeleton, waits_for_floods: bool) -> Option<Popped> {
        let item = self.queue.pop()?;
        self.pops += 1;
        self.now = self.now.max(item.time);
        Some(match item.kind {
            PendingKind::Deliver(id) | PendingKind::Arrived(id) => {
                let Some(message) = self.in_flight.get(&id).copied() else {
                    return Some(Popped::Done(false));
                };
                let checks_link = matches!(item.kind, PendingKind::Deliver(_));
                let to = message.to;
                // A packet-switched message reaching a flooded link waits for the flood to
                // pass; it arrives after everything ahead of it.
                let flooded_until = self.nodes[to.index()].flooded_until;
                if checks_link && flooded_until > self.now && waits_for_floods {
                    if let Some(waiting) = self.in_flight.get_mut(&id) {
                        waiting.due = flooded_until;
                    }
                    self.schedule(flooded_until, PendingKind::Deliver(id));
                    return Some(Popped::Done(false));
                }
                if checks_link && !self.network.is_up(message.from, to) {
                    self.in_flight.remove(&id);
                    self.record_drop(trace, id, DropReason::LinkDown);
                    return Some(Popped::Done(true));
                }
                match self.nodes[to.index()].status {
                    NodeStatus::Crashed => {
                        self.in_flight.remove(&id);
                        self.record_drop(trace, id, DropReason::NodeCrashed);
                        Popped::Done(true)
                    }
                    NodeStatus::Paused => {
                        self.nodes[to.index()]
                            .deferred
                            .push(PendingKind::Arrived(id));
                        Popped::Done(false)
                    }
                    NodeStatus::Running => {
                        self.in_flight.remove(&id);
                        Popped::Deliver(id)
                    }
                }
            }
            PendingKind::Lose(id) => {
                if self.in_flight.remove(&id).is_some() {
                    self.record_drop(trace, id, DropReason::Lost);
                    Popped::Done(true)
                } else {
                    Popped::Done(false)
                }
            }
            PendingKind::Timer { node, id } => Popped::Timer { node, id },
            PendingKind::Scripted(index) => Popped::Scripted(index),
            PendingKind::Client(request) => Popped::Client(request),
        })
    }

    /// Work for `node` that only runs if it is up: `Some(true)` to run it now; kept (`false`)
    /// for later while the node is paused; dropped (`false`) if it has crashed.
    pub(super) fn run_or_defer(&mut self, node: NodeId, kind: PendingKind) -> bool {
        let runtime = &mut self.nodes[node.index()];
        match runtime.status {
            NodeStatus::Running => true,
            NodeStatus::Paused => {
                runtime.deferred.push(kind);
                false
            }
            NodeStatus::Crashed => false,
        }
    }
}

impl<M: Model> Simulation<M> {
    pub(super) fn pop_and_handle(&mut self) -> Option<bool> {
        let waits_for_floods = self.model.circuit_share() <= 0.0;
        Some(
            match self
                .world
                .pop(self.trace.skeleton_mut(), waits_for_floods)?
            {
                Popped::Done(processed) => processed,
                Popped::Deliver(id) => {
                    self.deliver(id);
                    true
                }
                Popped::Timer { node, id } => {
                    let timers = &self.states[node.index()].timers;
                    let Some(position) = timers.iter().position(|t| t.id == id) else {
                        return Some(false);
                    };
                    if !self
                        .world
                        .run_or_defer(node, PendingKind::Timer { node, id })
                    {
                        return Some(false);
                    }
                    let timer = self.states[node.index()].timers.remove(position).timer;
                    self.fire_timer(node, timer);
                    true
                }
                Popped::Scripted(index) => {
                    let command = self.script[index as usize].command.clone();
                    if self.validate(&command).is_err() {
                        return Some(false);
                    }
                    match command {
                        // A scripted request reaches its node in this very step.
                        Command::Client { node, op } => {
                            let request = self.trace.push_request(RequestRecord { node, op });
                            self.handle_client(request)
                        }
                        command => {
                            self.execute(command);
                            true
                        }
                    }
                }
                Popped::Client(request) => self.handle_client(request),
            },
        )
    }

    /// A client request reaches its node: handled now, kept for later if the node is paused,
    /// lost if it has crashed. Returns whether it was processed as a step.
    pub(super) fn handle_client(&mut self, request: RequestId) -> bool {
        let node = self.trace.request(request).node;
        // The connection died with the node: the client never hears back.
        if !self.world.run_or_defer(node, PendingKind::Client(request)) {
            return false;
        }
        let op = self.trace.request(request).op.clone();
        self.process_event(node, EventKind::ClientRequest { request }, None);
        self.run_handler(node, |model, state, ctx| {
            model.on_client(state, ctx, request, &op)
        });
        true
    }

    pub(super) fn deliver(&mut self, id: MsgId) {
        let record = self.trace.message(id);
        let (from, to, send_event) = (record.from, record.to, record.send_event);
        let msg = self.trace.payload(id).clone();
        self.process_event(to, EventKind::Deliver { msg: id }, Some(send_event));
        self.run_handler(to, |model, state, ctx| {
            model.on_message(state, ctx, from, &msg)
        });
    }

    pub(super) fn fire_timer(&mut self, node: NodeId, timer: M::Timer) {
        let index = self.trace.push_timer(timer.clone());
        self.process_event(node, EventKind::Timer { index }, None);
        self.run_handler(node, |model, state, ctx| model.on_timer(state, ctx, &timer));
    }
}
