//! Recording events in the trace with their clocks: process events tick the node's Lamport and
//! vector clocks; environment events belong to no process.
//!
//! None of this depends on the model: it lives on the model-free [`World`] and writes the
//! trace's [`Skeleton`], so it is compiled once whatever the model.

use super::Simulation;
use crate::sim::ids::{EventId, MsgId, NodeId};
use crate::sim::model::Model;
use crate::sim::trace::{DropReason, EventKind, Skeleton, TraceEvent};
use crate::sim::world::World;

impl World {
    /// Records an event on `node`'s process: ticks its Lamport clock and vector clock, merging
    /// the clocks of `received` (a send) if given.
    pub(super) fn process_event(
        &mut self,
        trace: &mut Skeleton,
        node: NodeId,
        kind: EventKind,
        received: Option<EventId>,
    ) {
        let n = self.node_count();
        let i = node.index();
        let own = &mut self.vector_clocks[i * n..i * n + n];
        let mut lamport = self.nodes[i].lamport;
        if let Some(send) = received {
            for (mine, theirs) in own.iter_mut().zip(trace.vector_clock(send)) {
                *mine = (*mine).max(*theirs);
            }
            lamport = lamport.max(trace.event(send).lamport);
        }
        own[i] += 1;
        lamport += 1;
        self.nodes[i].lamport = lamport;
        let event = self.event_at(node, lamport, true, kind);
        trace.push(event, &self.vector_clocks[i * n..i * n + n]);
    }

    /// Records an environment event shown on `node`'s lifeline, caused by `cause` if any.
    pub(super) fn environment_event(
        &mut self,
        trace: &mut Skeleton,
        node: NodeId,
        kind: EventKind,
        cause: Option<EventId>,
    ) {
        let lamport = cause.map_or(0, |cause| trace.event(cause).lamport);
        let event = self.event_at(node, lamport, false, kind);
        trace.push_caused_by(event, cause);
    }

    fn event_at(&self, node: NodeId, lamport: u32, process: bool, kind: EventKind) -> TraceEvent {
        let clock = &self.nodes[node.index()].clock;
        let now = self.now;
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

    pub(super) fn record_drop(&mut self, trace: &mut Skeleton, msg: MsgId, reason: DropReason) {
        let record = trace.message(msg);
        let (to, send_event) = (record.to, record.send_event);
        self.environment_event(trace, to, EventKind::Drop { msg, reason }, Some(send_event));
    }
}

impl<M: Model> Simulation<M> {
    /// [`World::process_event`], on this run's trace.
    pub(super) fn process_event(
        &mut self,
        node: NodeId,
        kind: EventKind,
        received: Option<EventId>,
    ) {
        self.world
            .process_event(self.trace.skeleton_mut(), node, kind, received);
    }
}
