//! The trace: every event of a run, with its clocks and causal links, stored compactly.
//!
//! Vector clocks live in one flat arena (`nodes` counters per event) so an event costs a few dozen
//! bytes. Process events (on a node) advance that node's own counter; environment events (a
//! message lost in the network, a link cut) sit outside any process: their vector clock is their
//! causal past and they cause nothing.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::ids::{EventId, Micros, MsgId, NodeId, RequestId};
use super::model::{Model, Role};

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DropReason {
    /// Lost in transit (link loss probability, or sent into a link that was down).
    Lost,
    /// The link was down when it would have arrived.
    LinkDown,
    /// The receiver had crashed.
    NodeCrashed,
    /// Dropped by the user.
    ByCommand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// The node's first start.
    Start,
    Send {
        msg: MsgId,
    },
    Deliver {
        msg: MsgId,
    },
    /// A timer fired; its value is `Trace::timer_value(index)`.
    Timer {
        index: u32,
    },
    /// A local step the model recorded; see `Trace::note(index)`.
    Local {
        note: u32,
    },
    ClientRequest {
        request: RequestId,
    },
    ClientReply {
        request: RequestId,
        note: u32,
    },
    Role {
        role: Role,
        active: bool,
    },
    /// A user command took effect; see `Trace::fault(index)`. A process event when it targets a
    /// node (pause, crash, clock), an environment event when it targets links.
    Fault {
        index: u32,
    },
    /// Environment: a message died.
    Drop {
        msg: MsgId,
        reason: DropReason,
    },
    /// Environment: the network (or the user) duplicated `msg` as `copy`.
    Duplicate {
        msg: MsgId,
        copy: MsgId,
    },
}

/// One event. Clock readings are the node's own view at that instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TraceEvent {
    pub time: Micros,
    pub time_of_day: i64,
    pub monotonic: u64,
    pub lamport: u32,
    pub node: NodeId,
    /// False for environment events, which belong to no process.
    pub process: bool,
    pub kind: EventKind,
}

/// Where a message went and why it exists: the model-free half of a message (its payload is
/// the model's, in [`Trace::payload`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MessageEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub send_event: EventId,
    /// Set on a duplicate: the message it copies.
    pub copy_of: Option<MsgId>,
    /// Which of the model's message kinds it is ([`Model::message_kind`]), so a layout can hide
    /// or dim kinds without asking the model.
    pub kind: u8,
}

#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
pub struct RequestRecord<Op> {
    pub node: NodeId,
    pub op: Op,
}

/// How two events are ordered by happened-before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Causality {
    Same,
    Before,
    After,
    Concurrent,
}

/// Lengths of every table, so the trace can be cut back to an earlier point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TraceMark {
    events: usize,
    env_events: usize,
    by_node: Vec<usize>,
    messages: usize,
    notes: usize,
    timers: usize,
    requests: usize,
    faults: usize,
}

/// The model-free part of a trace: events, their clocks and their causal links, and where each
/// message went. Everything that draws, inspects or exports a run reads this (one copy of that
/// code in the bundle, whatever the model); [`Trace`] adds the model's payloads.
#[derive(Clone, Debug)]
pub struct Skeleton {
    nodes: usize,
    events: Vec<TraceEvent>,
    vector_clocks: Vec<u32>,
    /// Process events of each node, in order: entry k has own counter k + 1.
    by_node: Vec<Vec<EventId>>,
    env_events: Vec<EventId>,
    messages: Vec<MessageEdge>,
    /// Each fault as it took effect, a client request's operation left out.
    faults: Vec<Command<()>>,
}

/// A model's whole trace: the [`Skeleton`] (reachable through `Deref`) and, beside it, the
/// payloads only the model can read: message contents, notes, timers, client operations.
#[derive(Clone, Debug)]
pub struct Trace<M: Model> {
    skeleton: Skeleton,
    payloads: Vec<M::Msg>,
    notes: Vec<M::Note>,
    timers: Vec<M::Timer>,
    requests: Vec<RequestRecord<M::ClientOp>>,
    faults: Vec<Command<M::ClientOp>>,
}

impl<M: Model> std::ops::Deref for Trace<M> {
    type Target = Skeleton;
    fn deref(&self) -> &Skeleton {
        &self.skeleton
    }
}

impl Skeleton {
    fn new(nodes: usize) -> Skeleton {
        Skeleton {
            nodes,
            events: Vec::new(),
            vector_clocks: Vec::new(),
            by_node: vec![Vec::new(); nodes],
            env_events: Vec::new(),
            messages: Vec::new(),
            faults: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn node_count(&self) -> usize {
        self.nodes
    }

    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    pub fn event(&self, id: EventId) -> &TraceEvent {
        &self.events[id.index()]
    }

    pub fn vector_clock(&self, id: EventId) -> &[u32] {
        let start = id.index() * self.nodes;
        &self.vector_clocks[start..start + self.nodes]
    }

    /// Every message sent so far (duplicates included), by id.
    pub fn messages(&self) -> &[MessageEdge] {
        &self.messages
    }

    pub fn message(&self, id: MsgId) -> &MessageEdge {
        &self.messages[id.0 as usize]
    }

    /// Fault `index` as it took effect (a client request without its operation: see
    /// [`Trace::fault`]).
    pub fn fault(&self, index: u32) -> &Command<()> {
        &self.faults[index as usize]
    }

    /// The process events of `node`, in order.
    /// The environment's events (link faults, drops, duplicates: no node's own step), in trace
    /// order.
    pub fn environment_events(&self) -> &[EventId] {
        &self.env_events
    }

    pub fn node_events(&self, node: NodeId) -> &[EventId] {
        &self.by_node[node.index()]
    }

    /// Whether `node`'s latest role event made it leader (and it has not since stepped down):
    /// the model says so through its role events, so this holds for every model.
    pub fn leads(&self, node: NodeId) -> bool {
        self.node_events(node)
            .iter()
            .rev()
            .find_map(|&e| match self.event(e).kind {
                EventKind::Role {
                    role: Role::Leader,
                    active,
                } => Some(active),
                _ => None,
            })
            == Some(true)
    }

    // ----- causality -----

    /// For a process event: its node and its own vector-clock counter.
    fn own_counter(&self, id: EventId) -> Option<(usize, u32)> {
        let event = self.event(id);
        event.process.then(|| {
            (
                event.node.index(),
                self.vector_clock(id)[event.node.index()],
            )
        })
    }

    /// True when `a` happened before `b` (a → b). Constant time: a process event precedes `b`
    /// exactly when `b`'s vector clock has seen `a`'s own counter.
    pub fn happened_before(&self, a: EventId, b: EventId) -> bool {
        match self.own_counter(a) {
            Some((node, counter)) => a != b && counter <= self.vector_clock(b)[node],
            None => false,
        }
    }

    pub fn causality(&self, a: EventId, b: EventId) -> Causality {
        if a == b {
            Causality::Same
        } else if self.happened_before(a, b) {
            Causality::Before
        } else if self.happened_before(b, a) {
            Causality::After
        } else {
            Causality::Concurrent
        }
    }

    /// The direct causal predecessors: the previous event on the same node, and for a delivery
    /// (or a drop or duplicate) the send.
    pub fn predecessors(&self, id: EventId) -> Vec<EventId> {
        let event = self.event(id);
        let mut found = Vec::with_capacity(2);
        if let Some((node, counter)) = self.own_counter(id) {
            if counter >= 2 {
                found.push(self.by_node[node][counter as usize - 2]);
            }
        }
        match event.kind {
            EventKind::Deliver { msg }
            | EventKind::Drop { msg, .. }
            | EventKind::Duplicate { msg, .. } => {
                found.push(self.message(msg).send_event);
            }
            _ => {}
        }
        found
    }

    /// Every event that happened before `id`, in trace order.
    pub fn causal_past(&self, id: EventId) -> Vec<EventId> {
        let mut past = self.past_of(id);
        past.sort_unstable();
        past
    }

    /// Every event that `id` happened before, in trace order.
    pub fn causal_future(&self, id: EventId) -> Vec<EventId> {
        let mut future = self.future_of(id);
        future.sort_unstable();
        future
    }

    /// How many events happened before `id`: [`Skeleton::causal_past`]'s length, without the
    /// sort (the inspector and the comparison only count; the sort costs the bundle 3.5 KB).
    pub fn causal_past_count(&self, id: EventId) -> usize {
        self.past_of(id).len()
    }

    /// How many events `id` happened before: [`Skeleton::causal_future`]'s length.
    pub fn causal_future_count(&self, id: EventId) -> usize {
        self.future_of(id).len()
    }

    /// The causal past of `id`, in no particular order.
    fn past_of(&self, id: EventId) -> Vec<EventId> {
        let clock = self.vector_clock(id);
        (0..self.nodes)
            .flat_map(|node| self.by_node[node][..clock[node] as usize].iter().copied())
            .filter(|&e| e != id)
            .collect()
    }

    /// The causal future of `id`, in no particular order.
    fn future_of(&self, id: EventId) -> Vec<EventId> {
        let Some((node, counter)) = self.own_counter(id) else {
            return Vec::new();
        };
        let seen = |e: &EventId| self.vector_clock(*e)[node] >= counter;
        let mut future: Vec<EventId> = Vec::new();
        for list in &self.by_node {
            // Along one node's events the counter for `node` never decreases: binary search.
            let first = list.partition_point(|e| !seen(e));
            future.extend(list[first..].iter().copied().filter(|&e| e != id));
        }
        future.extend(self.env_events.iter().copied().filter(seen));
        future
    }
}

impl Skeleton {
    // ----- recording (engine only) -----

    /// Records `event` with its vector clock.
    pub(crate) fn push(&mut self, event: TraceEvent, vector_clock: &[u32]) -> EventId {
        self.vector_clocks.extend_from_slice(vector_clock);
        self.push_event(event)
    }

    /// Records `event` with the vector clock of `cause` (all zeros without one): an
    /// environment event's causal past.
    pub(crate) fn push_caused_by(&mut self, event: TraceEvent, cause: Option<EventId>) -> EventId {
        match cause {
            Some(cause) => {
                let start = cause.index() * self.nodes;
                self.vector_clocks
                    .extend_from_within(start..start + self.nodes);
            }
            None => {
                let len = self.vector_clocks.len();
                self.vector_clocks.resize(len + self.nodes, 0);
            }
        }
        self.push_event(event)
    }

    fn push_event(&mut self, event: TraceEvent) -> EventId {
        let id = EventId(self.events.len() as u32);
        if event.process {
            self.by_node[event.node.index()].push(id);
        } else {
            self.env_events.push(id);
        }
        self.events.push(event);
        id
    }

    /// Cuts the model-free tables back to `mark` (see [`Trace::truncate`]).
    fn truncate(&mut self, mark: &TraceMark) {
        self.events.truncate(mark.events);
        self.vector_clocks.truncate(mark.events * self.nodes);
        self.env_events.truncate(mark.env_events);
        for (list, &len) in self.by_node.iter_mut().zip(&mark.by_node) {
            list.truncate(len);
        }
        self.messages.truncate(mark.messages);
        self.faults.truncate(mark.faults);
    }

    /// Records a fault as it took effect; the model's trace keeps it too, at the same index.
    pub(crate) fn push_fault(&mut self, command: Command<()>) -> u32 {
        self.faults.push(command);
        self.faults.len() as u32 - 1
    }
}

impl<M: Model> Trace<M> {
    pub(crate) fn new(nodes: usize) -> Trace<M> {
        Trace {
            skeleton: Skeleton::new(nodes),
            payloads: Vec::new(),
            notes: Vec::new(),
            timers: Vec::new(),
            requests: Vec::new(),
            faults: Vec::new(),
        }
    }

    /// The model-free part (also reachable through `Deref`).
    pub fn skeleton(&self) -> &Skeleton {
        &self.skeleton
    }

    /// What message `id` carries.
    pub fn payload(&self, id: MsgId) -> &M::Msg {
        &self.payloads[id.0 as usize]
    }

    /// Every note, in the order they were recorded (a note's index is its place here).
    pub fn notes(&self) -> &[M::Note] {
        &self.notes
    }

    pub fn note(&self, index: u32) -> &M::Note {
        &self.notes[index as usize]
    }

    pub fn timer_value(&self, index: u32) -> &M::Timer {
        &self.timers[index as usize]
    }

    pub fn request(&self, id: RequestId) -> &RequestRecord<M::ClientOp> {
        &self.requests[id.0 as usize]
    }

    pub fn fault(&self, index: u32) -> &Command<M::ClientOp> {
        &self.faults[index as usize]
    }

    // ----- recording (engine only) -----

    /// The model-free part, for the engine to record events in.
    pub(crate) fn skeleton_mut(&mut self) -> &mut Skeleton {
        &mut self.skeleton
    }

    /// Records a message (its kind is read from the payload here, once).
    pub(crate) fn push_message(
        &mut self,
        from: NodeId,
        to: NodeId,
        send_event: EventId,
        copy_of: Option<MsgId>,
        payload: M::Msg,
    ) -> MsgId {
        let kind = u8::try_from(M::message_kind(&payload)).unwrap_or(u8::MAX);
        self.skeleton.messages.push(MessageEdge {
            from,
            to,
            send_event,
            copy_of,
            kind,
        });
        self.payloads.push(payload);
        MsgId(self.payloads.len() as u32 - 1)
    }

    pub(crate) fn next_message_id(&self) -> MsgId {
        MsgId(self.payloads.len() as u32)
    }

    pub(crate) fn push_note(&mut self, note: M::Note) -> u32 {
        self.notes.push(note);
        self.notes.len() as u32 - 1
    }

    pub(crate) fn push_timer(&mut self, timer: M::Timer) -> u32 {
        self.timers.push(timer);
        self.timers.len() as u32 - 1
    }

    pub(crate) fn push_request(&mut self, record: RequestRecord<M::ClientOp>) -> RequestId {
        self.requests.push(record);
        RequestId(self.requests.len() as u32 - 1)
    }

    /// Keeps the fault as the model's type too; the engine records it in the skeleton
    /// ([`Skeleton::push_fault`]) with the same index.
    pub(crate) fn push_model_fault(&mut self, command: Command<M::ClientOp>) {
        self.faults.push(command);
    }

    pub(crate) fn mark(&self) -> TraceMark {
        let skeleton = &self.skeleton;
        TraceMark {
            events: skeleton.events.len(),
            env_events: skeleton.env_events.len(),
            by_node: skeleton.by_node.iter().map(Vec::len).collect(),
            messages: self.payloads.len(),
            notes: self.notes.len(),
            timers: self.timers.len(),
            requests: self.requests.len(),
            faults: self.faults.len(),
        }
    }

    pub(crate) fn truncate(&mut self, mark: &TraceMark) {
        self.skeleton.truncate(mark);
        self.payloads.truncate(mark.messages);
        self.notes.truncate(mark.notes);
        self.timers.truncate(mark.timers);
        self.requests.truncate(mark.requests);
        self.faults.truncate(mark.faults);
    }

    /// A 64-bit fingerprint of the whole trace, identical on every platform for identical runs.
    /// Each message is hashed as sender, receiver, send event, original and payload (the order
    /// the goldens were recorded in when these sat in one record); its kind follows from the
    /// payload and is left out.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = PortableHasher::default();
        let skeleton = &self.skeleton;
        skeleton.events.hash(&mut hasher);
        skeleton.vector_clocks.hash(&mut hasher);
        hasher.write_usize(self.payloads.len());
        for (edge, payload) in skeleton.messages.iter().zip(&self.payloads) {
            edge.from.hash(&mut hasher);
            edge.to.hash(&mut hasher);
            edge.send_event.hash(&mut hasher);
            edge.copy_of.hash(&mut hasher);
            payload.hash(&mut hasher);
        }
        self.notes.hash(&mut hasher);
        self.timers.hash(&mut hasher);
        self.requests.hash(&mut hasher);
        self.faults.hash(&mut hasher);
        hasher.finish()
    }

    /// Bytes the trace's tables hold (the per-node index included), excluding growth slack.
    pub fn used_bytes(&self) -> usize {
        self.table_bytes(|len, _| len)
    }

    /// Bytes the trace's tables have allocated, growth slack included.
    pub fn heap_bytes(&self) -> usize {
        self.table_bytes(|_, capacity| capacity)
    }

    fn table_bytes(&self, count: impl Fn(usize, usize) -> usize) -> usize {
        fn bytes<T>(list: &[T], capacity: usize, count: &impl Fn(usize, usize) -> usize) -> usize {
            count(list.len(), capacity) * std::mem::size_of::<T>()
        }
        macro_rules! table {
            ($list:expr) => {
                bytes(&$list, $list.capacity(), &count)
            };
        }
        let skeleton = &self.skeleton;
        table!(skeleton.events)
            + table!(skeleton.vector_clocks)
            + skeleton.by_node.iter().map(|l| table!(l)).sum::<usize>()
            + table!(skeleton.env_events)
            + table!(skeleton.messages)
            + table!(skeleton.faults)
            + table!(self.payloads)
            + table!(self.notes)
            + table!(self.timers)
            + table!(self.requests)
            + table!(self.faults)
    }
}

/// FNV-1a with platform-independent integer widths: `usize`/`isize` (lengths, enum
/// discriminants) are hashed as 64-bit, so 32-bit wasm and 64-bit native agree.
#[derive(Default)]
pub struct PortableHasher {
    state: Option<u64>,
}

impl Hasher for PortableHasher {
    fn finish(&self) -> u64 {
        self.state.unwrap_or(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut state = self.finish();
        for &byte in bytes {
            state ^= u64::from(byte);
            state = state.wrapping_mul(0x0100_0000_01b3);
        }
        self.state = Some(state);
    }

    fn write_usize(&mut self, value: usize) {
        self.write(&(value as u64).to_le_bytes());
    }

    fn write_isize(&mut self, value: isize) {
        self.write(&(value as i64).to_le_bytes());
    }

    fn write_u16(&mut self, value: u16) {
        self.write(&value.to_le_bytes());
    }

    fn write_u32(&mut self, value: u32) {
        self.write(&value.to_le_bytes());
    }

    fn write_u64(&mut self, value: u64) {
        self.write(&value.to_le_bytes());
    }
}
