//! Running model handlers and applying the effects they return: sends (latency, loss and
//! duplication are drawn here), timers, notes, replies and roles.

use super::Simulation;
use crate::sim::ids::{EventId, Micros, MsgId, NodeId};
use crate::sim::model::{Context, Effect, Model, NodeState};
use crate::sim::queue::PendingKind;
use crate::sim::rng::SimRng;
use crate::sim::trace::{EventKind, Skeleton};
use crate::sim::world::{InFlight, Memory, PendingTimer, World};

/// Timers further out than this (about 11.6 days) are clamped; no lesson needs more.
const MAX_TIMER_US: Micros = 1_000_000_000_000;

impl<M: Model> Simulation<M> {
    pub(super) fn run_handler(
        &mut self,
        node: NodeId,
        handler: impl FnOnce(&M, &mut NodeState<M>, &mut Context<'_, M>),
    ) {
        let mut effects = std::mem::take(&mut self.effects);
        let world = &mut self.world;
        let n = world.nodes.len() as u8;
        let now = world.now;
        let runtime = &world.nodes[node.index()];
        if let Memory::Up(state) = &mut self.states[node.index()].memory {
            let mut ctx = Context::new(node, n, &runtime.clock, now, &mut world.rng, &mut effects);
            handler(&self.model, state, &mut ctx);
        }
        self.apply_effects(node, &mut effects);
        self.effects = effects;
    }

    pub(super) fn apply_effects(&mut self, node: NodeId, effects: &mut Vec<Effect<M>>) {
        for effect in effects.drain(..) {
            match effect {
                Effect::Send { to, msg } => self.send(node, to, msg),
                Effect::SetTimer { timer, after_us } => self.set_timer(node, timer, after_us),
                Effect::CancelTimer { timer } => {
                    self.states[node.index()]
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
                Effect::Sync => {
                    let runtime = &mut self.states[node.index()];
                    if let (Some(synced), Memory::Up(state)) =
                        (&mut runtime.synced, &runtime.memory)
                    {
                        synced.clone_from(&state.durable);
                    }
                }
            }
        }
    }

    pub(super) fn send(&mut self, from: NodeId, to: NodeId, msg: M::Msg) {
        if to.index() >= self.world.node_count() || to == from {
            // A model addressing a node that does not exist: nothing to send it over.
            return;
        }
        let id = self.trace.next_message_id();
        self.process_event(from, EventKind::Send { msg: id }, None);
        let send_event = EventId(self.trace.len() as u32 - 1);
        self.trace.push_message(from, to, send_event, None, msg);
        if self.world.launch(id, from, to) {
            self.duplicate(id);
        }
    }

    /// Adds a second copy of an in-flight message, arriving a little after the original.
    pub(super) fn duplicate(&mut self, id: MsgId) {
        let Some(original) = self.world.in_flight.get(&id).copied() else {
            return;
        };
        let edge = *self.trace.message(id);
        let payload = self.trace.payload(id).clone();
        let copy = self
            .trace
            .push_message(edge.from, edge.to, edge.send_event, Some(id), payload);
        self.world
            .launch_copy(self.trace.skeleton_mut(), original, copy, edge.send_event);
    }

    pub(super) fn set_timer(&mut self, node: NodeId, timer: M::Timer, after_us: Micros) {
        let timers = &mut self.states[node.index()].timers;
        timers.retain(|t| t.timer != timer);
        let (id, deadline_monotonic) = self.world.arm_timer(node, after_us);
        timers.push(PendingTimer {
            id,
            timer,
            deadline_monotonic,
        });
    }

    /// After a drift change, pending timers fire at different true times: re-arm them.
    pub(super) fn reschedule_timers(&mut self, node: NodeId) {
        for timer in &mut self.states[node.index()].timers {
            timer.id = self.world.rearm_timer(node, timer.deadline_monotonic);
        }
    }
}

impl World {
    /// Arms a new timer on `node`, due `after_us` from now on its monotonic clock: returns its id
    /// and deadline (the caller keeps the timer's value).
    fn arm_timer(&mut self, node: NodeId, after_us: Micros) -> (u32, u64) {
        let clock = &self.nodes[node.index()].clock;
        let deadline = clock.monotonic(self.now) + after_us.min(MAX_TIMER_US);
        (self.rearm_timer(node, deadline), deadline)
    }

    /// Schedules a timer of `node` for when its monotonic clock reaches `deadline`, under a new
    /// id (returned).
    fn rearm_timer(&mut self, node: NodeId, deadline: u64) -> u32 {
        let id = self.next_timer_id;
        self.next_timer_id += 1;
        let due = self.nodes[node.index()]
            .clock
            .when_monotonic_reaches(self.now, deadline);
        self.schedule(due, PendingKind::Timer { node, id });
        id
    }

    /// Puts a freshly sent message on the wire: latency and loss are drawn here. Returns
    /// whether the network duplicates it too (the caller adds the copy: it needs the payload).
    pub(super) fn launch(&mut self, id: MsgId, from: NodeId, to: NodeId) -> bool {
        let link = *self.network.link(from, to);
        let latency = link.config.latency_us + jitter(&mut self.rng, link.config.jitter_us);
        let doomed = !link.up || self.rng.chance(link.config.loss);
        let now = self.now;
        let (due, kind) = if doomed {
            (now + latency / 2, PendingKind::Lose(id))
        } else {
            (now + latency, PendingKind::Deliver(id))
        };
        self.schedule(due, kind);
        self.in_flight.insert(
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
        !doomed && self.rng.chance(link.config.duplication)
    }

    /// Records and schedules `copy`, just added to the trace as a duplicate of `original`
    /// (sent at `send_event`): it arrives a little after the original.
    fn launch_copy(
        &mut self,
        trace: &mut Skeleton,
        original: InFlight,
        copy: MsgId,
        send_event: EventId,
    ) {
        self.environment_event(
            trace,
            original.from,
            EventKind::Duplicate {
                msg: original.id,
                copy,
            },
            Some(send_event),
        );
        let spread = self
            .network
            .link(original.from, original.to)
            .config
            .jitter_us;
        let due = original.due.max(self.now) + 1 + jitter(&mut self.rng, spread);
        self.schedule(due, PendingKind::Deliver(copy));
        self.in_flight.insert(
            copy,
            InFlight {
                id: copy,
                due,
                doomed: false,
                ..original
            },
        );
    }
}

fn jitter(rng: &mut SimRng, spread: Micros) -> Micros {
    if spread == 0 {
        0
    } else {
        rng.up_to(spread)
    }
}
