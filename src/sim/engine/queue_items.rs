//! Handling what the queue pops: deliveries, losses, timers and client requests.

use super::Simulation;
use crate::sim::command::Command;
use crate::sim::ids::{MsgId, NodeId, RequestId};
use crate::sim::model::Model;
use crate::sim::queue::PendingKind;
use crate::sim::trace::{DropReason, EventKind, RequestRecord};
use crate::sim::world::NodeStatus;

impl<M: Model> Simulation<M> {
    pub(super) fn pop_and_handle(&mut self) -> Option<bool> {
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
                // A packet-switched message reaching a flooded link waits for the flood to
                // pass; it arrives after everything ahead of it.
                let flooded_until = self.world.nodes[to.index()].flooded_until;
                if checks_link
                    && flooded_until > self.world.now
                    && self.model.circuit_share() <= 0.0
                {
                    if let Some(waiting) = self.world.in_flight.get_mut(&id) {
                        waiting.due = flooded_until;
                    }
                    self.world.schedule(flooded_until, PendingKind::Deliver(id));
                    return Some(false);
                }
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
            PendingKind::Scripted(index) => {
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
            PendingKind::Client(request) => self.handle_client(request),
        })
    }

    /// A client request reaches its node: handled now, kept for later if the node is paused,
    /// lost if it has crashed. Returns whether it was processed as a step.
    pub(super) fn handle_client(&mut self, request: RequestId) -> bool {
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
                self.world.nodes[node.index()]
                    .deferred
                    .push(PendingKind::Client(request));
                false
            }
            // The connection died with the node: the client never hears back.
            NodeStatus::Crashed => false,
        }
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
