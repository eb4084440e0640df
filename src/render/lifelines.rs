//! Lifeline stretches (pauses, crashes, role bands) and marks (crash, restart, clock jumps),
//! found by scanning the trace's fault and role events.

use super::timeline::{
    axis_value, column_x, spans, Axis, Mark, Shape, Stretch, Viewport, HIT_RADIUS,
};
use crate::sim::{Command, EventId, EventKind, Micros, NodeId, Role, Skeleton};

/// A stretch found in the trace: node, kind, start event, end event (None while still open),
/// and its start and end in true time.
type Found = (NodeId, Stretch, EventId, Option<EventId>, Micros, Micros);

/// Stretches and marks collected while scanning a trace.
#[derive(Default)]
struct Stretches {
    closed: Vec<Found>,
    /// Open stretches: node, kind, start event, start time.
    open: Vec<(NodeId, Stretch, EventId, Micros)>,
    marks: Vec<(NodeId, EventId, Mark)>,
}

impl Stretches {
    /// Ends the first open stretch of `node` that `which` accepts.
    fn close(&mut self, node: NodeId, which: impl Fn(Stretch) -> bool, end: EventId, at: Micros) {
        if let Some(position) = self.open.iter().position(|o| o.0 == node && which(o.1)) {
            let (node, stretch, start, from) = self.open.remove(position);
            self.closed
                .push((node, stretch, start, Some(end), from, at));
        }
    }
}

/// Pause and crash stretches, role bands and marks, from the trace's fault and role events.
pub(super) fn lifeline_shapes(trace: &Skeleton, viewport: &Viewport, now: Micros) -> Vec<Shape> {
    let nodes = trace.node_count();
    // Where an open stretch ends: "now" in true time, else the node's last event.
    let open_end = |node: NodeId| match viewport.axis {
        Axis::TrueTime => viewport.y_of(now as f64),
        _ => trace
            .node_events(node)
            .last()
            .map_or(viewport.header, |&e| {
                viewport.y_of(axis_value(trace, viewport.axis, e))
            }),
    };
    let y = |event: EventId| viewport.y_of(axis_value(trace, viewport.axis, event));
    let mut found = Stretches::default();
    for (index, event) in trace.events().iter().enumerate() {
        let id = EventId(index as u32);
        let node = event.node;
        match event.kind {
            EventKind::Role { role, active: true } => found.open.push((
                node,
                Stretch::Role {
                    role,
                    hazard: false,
                },
                id,
                event.time,
            )),
            EventKind::Role {
                role,
                active: false,
            } => found.close(
                node,
                |s| {
                    s == Stretch::Role {
                        role,
                        hazard: false,
                    }
                },
                id,
                event.time,
            ),
            EventKind::Fault { index } => match *trace.fault(index) {
                Command::Pause { node } => found.open.push((node, Stretch::Paused, id, event.time)),
                Command::Resume { node } => {
                    found.close(node, |s| s == Stretch::Paused, id, event.time)
                }
                Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                    found.marks.push((node, id, Mark::Crash));
                    // A crash ends every role and any pause.
                    while found.open.iter().any(|o| o.0 == node) {
                        found.close(node, |_| true, id, event.time);
                    }
                    found.open.push((node, Stretch::Crashed, id, event.time));
                }
                Command::Restart { node } => {
                    found.marks.push((node, id, Mark::Restart));
                    found.close(node, |s| s == Stretch::Crashed, id, event.time);
                }
                Command::NtpStep { node, .. } | Command::SetClockOffset { node, .. } => {
                    found.marks.push((node, id, Mark::ClockJump))
                }
                _ => {}
            },
            _ => {}
        }
    }
    let Stretches {
        mut closed,
        open,
        marks,
    } = found;
    closed.extend(
        open.into_iter()
            .map(|(n, s, start, from)| (n, s, start, None, from, Micros::MAX)),
    );
    // Leader bands of different nodes that overlap in true time are a split-brain hazard.
    let leads = |s: &Stretch| {
        matches!(
            s,
            Stretch::Role {
                role: Role::Leader,
                ..
            }
        )
    };
    let hazards: Vec<bool> = closed
        .iter()
        .map(|a| {
            leads(&a.1)
                && closed
                    .iter()
                    .any(|b| leads(&b.1) && b.0 != a.0 && a.4 < b.5 && b.4 < a.5)
        })
        .collect();
    let mut shapes = Vec::new();
    for ((node, stretch, start, end, _, _), hazard) in closed.into_iter().zip(hazards) {
        let stretch = match stretch {
            Stretch::Role { role, .. } => Stretch::Role { role, hazard },
            other => other,
        };
        let (y0, y1) = (y(start), end.map_or_else(|| open_end(node), y));
        if spans(viewport, y0, y1) {
            let x = column_x(viewport, nodes, node);
            shapes.push(Shape::Stretch {
                node,
                x,
                y0,
                y1,
                stretch,
            });
        }
    }
    for (node, event, mark) in marks {
        let y = y(event);
        if viewport.visible(y, HIT_RADIUS) {
            shapes.push(Shape::Mark {
                node,
                x: column_x(viewport, nodes, node),
                y,
                mark,
            });
        }
    }
    shapes
}
