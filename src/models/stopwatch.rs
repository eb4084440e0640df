//! Measuring elapsed time. A node times an operation that takes a fixed while, either with its
//! time-of-day clock (which NTP may step back or forward) or with its monotonic clock.

use serde::{Deserialize, Serialize};

use crate::detect::{seconds, Fact, Finding, FindingKind, Observed, Property, PropertyClass};
use crate::sim::units::signed_duration;
use crate::sim::words::{clock_reading, duration, row};
use crate::sim::{
    Context, Describe, EventId, EventKind, Micros, Model, Names, NodeId, NodeState, RequestId, Row,
    Trace,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stopwatch {
    /// How long each operation really takes.
    pub work_us: Micros,
    /// Time with the monotonic clock (the fix) instead of the time-of-day clock.
    pub monotonic: bool,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch {
            work_us: 300_000,
            monotonic: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timer {
    Done { request: RequestId },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The node measured an operation: what it read at the start and end, and the difference.
    Measured {
        start: i64,
        end: i64,
        elapsed_us: i64,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    /// Clock reading at the start of each operation under way.
    pub started: Vec<(RequestId, i64)>,
}

type Ctx<'a> = Context<'a, Stopwatch>;
type State = NodeState<Stopwatch>;

impl Stopwatch {
    fn read(&self, ctx: &Ctx) -> i64 {
        if self.monotonic {
            ctx.monotonic() as i64
        } else {
            ctx.time_of_day()
        }
    }
}

impl Model for Stopwatch {
    fn message_kind(_: &()) -> usize {
        0
    }

    type Msg = ();
    type Timer = Timer;
    type ClientOp = ();
    type Note = Note;
    type Durable = ();
    type Volatile = Volatile;

    fn start(&self, _ctx: &mut Ctx) -> State {
        NodeState::with_durable(())
    }

    fn recover(&self, _durable: (), ctx: &mut Ctx) -> State {
        self.start(ctx)
    }

    fn on_message(&self, _state: &mut State, _ctx: &mut Ctx, _from: crate::sim::NodeId, _msg: &()) {
    }

    fn on_timer(&self, state: &mut State, ctx: &mut Ctx, timer: &Timer) {
        let Timer::Done { request } = *timer;
        let Some(position) = state
            .volatile
            .started
            .iter()
            .position(|(r, _)| *r == request)
        else {
            return;
        };
        let (_, start) = state.volatile.started.remove(position);
        let end = self.read(ctx);
        ctx.reply(
            request,
            Note::Measured {
                start,
                end,
                elapsed_us: end - start,
            },
        );
    }

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, _op: &()) {
        let start = self.read(ctx);
        state.volatile.started.push((request, start));
        ctx.set_timer(Timer::Done { request }, self.work_us);
    }
}

impl Observed for Stopwatch {
    fn fact(_note: &Note) -> Option<Fact> {
        None
    }

    fn properties(&self) -> Vec<Property> {
        vec![Property {
            name: "Measured durations are never negative",
            class: PropertyClass::Safety,
            violated_by: FindingKind::OrderingViolation,
        }]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let mut findings = Vec::new();
        for (index, event) in trace.events().iter().enumerate() {
            let EventKind::ClientReply { note, .. } = event.kind else {
                continue;
            };
            let Note::Measured { elapsed_us, .. } = *trace.note(note);
            if elapsed_us < 0 {
                findings.push(Finding {
                    kind: FindingKind::OrderingViolation,
                    time: event.time,
                    nodes: vec![event.node],
                    events: vec![EventId(index as u32)],
                    summary: format!(
                        "Time ran backwards: {} measured an operation ending at {} as taking {} ms",
                        event.node,
                        seconds(event.time),
                        elapsed_us / 1_000
                    ),
                });
            }
        }
        findings
    }
}

// ----- in words -----

impl Describe for Stopwatch {
    const MESSAGE_KINDS: &'static [&'static str] = &[];

    fn message(&self, _: &(), _: &Names) -> String {
        "message".to_string()
    }

    fn timer(&self, _: &Timer, _: &Names) -> String {
        "the operation ends".to_string()
    }

    fn client_op(&self, _: &(), _: &Names) -> String {
        format!("time an operation of {}", duration(self.work_us))
    }

    fn note(&self, note: &Note, _: &Names) -> String {
        let Note::Measured {
            start,
            end,
            elapsed_us,
        } = *note;
        format!(
            "measured {} ({} → {})",
            signed_duration(elapsed_us),
            clock_reading(start),
            clock_reading(end)
        )
    }

    fn memory(&self, _: NodeId, state: &Volatile, _: &Names) -> Vec<Row> {
        vec![
            row(
                "Times with",
                if self.monotonic {
                    "its monotonic clock"
                } else {
                    "its time-of-day clock"
                },
            ),
            row("Operations under way", state.started.len().to_string()),
        ]
    }

    fn disk(&self, _: NodeId, _: &(), _: &Names) -> Vec<Row> {
        Vec::new()
    }

    fn headline(&self, _: NodeId, memory: Option<&Volatile>, _: &(), _: &Names) -> String {
        let Some(memory) = memory else {
            return String::new();
        };
        let clock = if self.monotonic {
            "monotonic"
        } else {
            "time of day"
        };
        match memory.started.len() {
            0 => format!("times by {clock}"),
            n => format!("times by {clock}, {n} under way"),
        }
    }
}
