//! Recording events in the trace with their clocks: process events tick the node's Lamport and
//! vector clocks; environment events belong to no process.

use super::Simulation;
use crate::sim::ids::{EventId, MsgId, NodeId};
use crate::sim::model::Model;
use crate::sim::trace::{DropReason, EventKind, TraceEvent};

impl<M: Model> Simulation<M> {
    /// Records an event on `node`'s process: ticks its Lamport clock and vector clock, merging
    /// the clocks of `received` (a send) if given.
    pub(super) fn process_event(
        &mut self,
        node: NodeId,
        kind: EventKind,
        received: Option<EventId>,
    ) {
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
    pub(super) fn environment_event(
        &mut self,
        node: NodeId,
        kind: EventKind,
        cause: Option<EventId>,
    ) {
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

    pub(super) fn event_at(
        &self,
        node: NodeId,
        lamport: u32,
        process: bool,
        kind: EventKind,
    ) -> TraceEvent {
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

    pub(super) fn record_drop(&mut self, msg: MsgId, reason: DropReason) {
        let record = self.trace.message(msg);
        let (to, send_event) = (record.to, record.send_event);
        self.environment_event(to, EventKind::Drop { msg, reason }, Some(send_event));
    }
}
