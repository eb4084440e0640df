//! Small identifiers used throughout the simulation.

use serde::{Deserialize, Serialize};

/// The most nodes a cluster may have: enough for every lesson, few enough to read on a projector.
pub const MAX_NODES: usize = 16;

/// A node, numbered from 0 and named A, B, C, … in the UI.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeId(pub u8);

/// Debug output is read by people (event descriptions, golden traces): the node's letter.
impl std::fmt::Debug for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())
    }
}

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The node's letter: A for 0, B for 1, …
    pub fn name(self) -> char {
        char::from(b'A' + self.0.min(25))
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())
    }
}

/// A message, numbered in the order messages were sent (duplicates get their own id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MsgId(pub u32);

/// An event's position in the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId(pub u32);

impl EventId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A client request, numbered in the order requests were made.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RequestId(pub u32);

impl std::fmt::Debug for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "req{}", self.0)
    }
}

/// Simulated true time or a duration, in microseconds.
pub type Micros = u64;
