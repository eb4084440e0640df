//! The event queue: pending work ordered by (true time, sequence number).

use std::cmp::Ordering;

use super::ids::{Micros, MsgId, NodeId, RequestId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PendingKind {
    /// A message reaches its receiver (the link is checked on arrival).
    Deliver(MsgId),
    /// A message that already arrived while its receiver was paused: no link check.
    Arrived(MsgId),
    /// A message dies in transit, halfway along its link.
    Lose(MsgId),
    /// A timer fires, unless it was cancelled or re-armed (then `id` no longer matches).
    Timer { node: NodeId, id: u32 },
    /// A client request reaches its node.
    Client(RequestId),
    /// The scenario's scripted command at this index falls due.
    Scripted(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Pending {
    pub time: Micros,
    pub seq: u64,
    pub kind: PendingKind,
}

impl Ord for Pending {
    // Reversed, so `BinaryHeap` (a max-heap) pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
