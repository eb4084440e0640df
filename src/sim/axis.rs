//! The orders a trace can be read in, for the timeline's vertical axis and whatever measures
//! along it: true time, each node's own clock, Lamport time.

use super::{EventId, Skeleton};

/// What the vertical axis measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Simulated true time (µs): what really happened when.
    TrueTime,
    /// Each node's own time-of-day clock (µs): skew shows as the same instant at different heights.
    LocalClock,
    /// Lamport timestamps: logical time.
    Lamport,
}

/// An event's position on the axis.
pub fn axis_value(trace: &Skeleton, axis: Axis, event: EventId) -> f64 {
    let e = trace.event(event);
    match axis {
        Axis::TrueTime => e.time as f64,
        Axis::LocalClock => e.time_of_day as f64,
        Axis::Lamport => f64::from(e.lamport),
    }
}
