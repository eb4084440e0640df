//! Merging logs from several nodes. A client on A asks B for work; B asks C; each node logs what
//! it does, stamped with its wall clock and a Lamport timestamp it keeps itself. The logs are
//! merged by one of the two stamps; a merge is wrong when it puts an effect before its cause.

use serde::{Deserialize, Serialize};

use crate::detect::{seconds, Fact, Finding, FindingKind, Observed, Property, PropertyClass};
use crate::sim::words::{clock_reading, row};
use crate::sim::{
    Context, Describe, EventId, EventKind, Model, Names, NodeId, NodeState, RequestId, Row, Trace,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeBy {
    WallClock,
    Lamport,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Logging {
    pub merge_by: MergeBy,
}

impl Default for Logging {
    fn default() -> Self {
        Logging {
            merge_by: MergeBy::WallClock,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    Work { job: u32, lamport: u64 },
    Done { job: u32, lamport: u64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// A log line: `what` happened, stamped both ways.
    Log {
        what: Entry,
        wall: i64,
        lamport: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Entry {
    Requested { job: u32 },
    Forwarded { job: u32 },
    Processed { job: u32 },
    Finished { job: u32 },
}

/// The node's own Lamport clock.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Volatile {
    pub lamport: u64,
    pub jobs: Vec<(u32, RequestId)>,
}

type Ctx<'a> = Context<'a, Logging>;
type State = NodeState<Logging>;

fn log(state: &mut State, ctx: &mut Ctx, what: Entry) {
    state.volatile.lamport += 1;
    let (wall, lamport) = (ctx.time_of_day(), state.volatile.lamport);
    ctx.record(Note::Log {
        what,
        wall,
        lamport,
    });
}

fn stamp_send(state: &mut State) -> u64 {
    state.volatile.lamport += 1;
    state.volatile.lamport
}

fn stamp_receive(state: &mut State, lamport: u64) {
    state.volatile.lamport = state.volatile.lamport.max(lamport);
}

impl Model for Logging {
    fn message_kind(msg: &Msg) -> usize {
        match msg {
            Msg::Work { .. } => 0,
            Msg::Done { .. } => 1,
        }
    }

    type Msg = Msg;
    type Timer = ();
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

    fn on_message(&self, state: &mut State, ctx: &mut Ctx, from: NodeId, msg: &Msg) {
        let next = NodeId(ctx.node().0 + 1);
        match *msg {
            Msg::Work { job, lamport } => {
                stamp_receive(state, lamport);
                if next.0 < ctx.node_count() {
                    log(state, ctx, Entry::Forwarded { job });
                    let lamport = stamp_send(state);
                    ctx.send(next, Msg::Work { job, lamport });
                } else {
                    log(state, ctx, Entry::Processed { job });
                    let lamport = stamp_send(state);
                    ctx.send(from, Msg::Done { job, lamport });
                }
            }
            Msg::Done { job, lamport } => {
                stamp_receive(state, lamport);
                if let Some(position) = state.volatile.jobs.iter().position(|(j, _)| *j == job) {
                    let (_, request) = state.volatile.jobs.remove(position);
                    log(state, ctx, Entry::Finished { job });
                    ctx.reply(
                        request,
                        Note::Log {
                            what: Entry::Finished { job },
                            wall: ctx.time_of_day(),
                            lamport: state.volatile.lamport,
                        },
                    );
                } else if ctx.node().0 > 0 {
                    // Pass the answer back along the chain.
                    let lamport = stamp_send(state);
                    ctx.send(NodeId(ctx.node().0 - 1), Msg::Done { job, lamport });
                }
            }
        }
    }

    fn on_timer(&self, _state: &mut State, _ctx: &mut Ctx, _timer: &()) {}

    fn on_client(&self, state: &mut State, ctx: &mut Ctx, request: RequestId, _op: &()) {
        let job = request.0;
        state.volatile.jobs.push((job, request));
        log(state, ctx, Entry::Requested { job });
        let lamport = stamp_send(state);
        let next = NodeId((ctx.node().0 + 1) % ctx.node_count());
        ctx.send(next, Msg::Work { job, lamport });
    }
}

impl Logging {
    /// The log lines of a run, merged the configured way: (sort key, event).
    pub fn merged(&self, trace: &Trace<Self>) -> Vec<(i64, NodeId, EventId)> {
        let mut lines: Vec<(i64, NodeId, EventId)> = trace
            .events()
            .iter()
            .enumerate()
            .filter_map(|(index, event)| {
                let EventKind::Local { note } = event.kind else {
                    return None;
                };
                let Note::Log { wall, lamport, .. } = *trace.note(note);
                let key = match self.merge_by {
                    MergeBy::WallClock => wall,
                    MergeBy::Lamport => lamport as i64,
                };
                Some((key, event.node, EventId(index as u32)))
            })
            .collect();
        // Ties broken by node name, as merge tools do.
        crate::sim::sort::sort(&mut lines);
        lines
    }
}

impl Observed for Logging {
    fn fact(_note: &Note) -> Option<Fact> {
        None
    }

    fn properties(&self) -> Vec<Property> {
        vec![Property {
            name: "The merged log never shows an effect before its cause",
            class: PropertyClass::Safety,
            violated_by: FindingKind::OrderingViolation,
        }]
    }

    fn detect(&self, trace: &Trace<Self>) -> Vec<Finding> {
        let merged = self.merged(trace);
        let mut findings = Vec::new();
        for (position, &(_, _, later)) in merged.iter().enumerate() {
            // Any line placed after `later` that in fact happened before it.
            for &(_, _, earlier) in &merged[position + 1..] {
                if trace.happened_before(earlier, later) {
                    let (cause, effect) = (trace.event(earlier), trace.event(later));
                    findings.push(Finding {
                        kind: FindingKind::OrderingViolation,
                        time: cause.time.max(effect.time),
                        nodes: vec![effect.node, cause.node],
                        events: vec![earlier, later],
                        summary: format!(
                            "Effect before cause: the merged log puts {}'s line ({}) before {}'s \
                             line ({}), which caused it",
                            effect.node,
                            seconds(effect.time),
                            cause.node,
                            seconds(cause.time)
                        ),
                    });
                }
            }
        }
        findings
    }
}

// ----- in words -----

/// A wall-clock reading as a log line shows it, by the clock face ("10:00:01.200"); a reading
/// outside one day, as seconds.
pub fn clock_face(us: i64) -> String {
    const DAY_US: i64 = 86_400_000_000;
    if !(0..DAY_US).contains(&us) {
        return clock_reading(us);
    }
    let ms = us / 1_000;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1_000 % 60,
        ms % 1_000
    )
}

impl Entry {
    fn words(self) -> String {
        match self {
            Entry::Requested { job } => format!("job {job} requested"),
            Entry::Forwarded { job } => format!("job {job} passed on"),
            Entry::Processed { job } => format!("job {job} processed"),
            Entry::Finished { job } => format!("job {job} finished"),
        }
    }
}

impl Describe for Logging {
    const MESSAGE_KINDS: &'static [&'static str] = &["work", "done"];

    fn message(&self, msg: &Msg, _: &Names) -> String {
        match msg {
            Msg::Work { job, lamport } => format!("do job {job} (Lamport {lamport})"),
            Msg::Done { job, lamport } => format!("job {job} done (Lamport {lamport})"),
        }
    }

    fn timer(&self, _: &(), _: &Names) -> String {
        "timer".to_string()
    }

    fn client_op(&self, _: &(), _: &Names) -> String {
        "a job".to_string()
    }

    fn note(&self, note: &Note, _: &Names) -> String {
        let Note::Log {
            what,
            wall,
            lamport,
        } = note;
        format!(
            "logs \u{201c}{}\u{201d} at {}, Lamport {lamport}",
            what.words(),
            clock_face(*wall)
        )
    }

    fn memory(&self, _: NodeId, state: &Volatile, _: &Names) -> Vec<Row> {
        vec![row("Lamport clock", state.lamport.to_string())]
    }

    fn disk(&self, _: NodeId, _: &(), _: &Names) -> Vec<Row> {
        Vec::new()
    }

    fn headline(&self, _: NodeId, memory: Option<&Volatile>, _: &(), _: &Names) -> String {
        memory
            .map(|m| format!("Lamport clock {}", m.lamport))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::clock_face;

    #[test]
    fn a_log_line_reads_its_clock_by_the_face() {
        assert_eq!(clock_face(36_001_000_000), "10:00:01.000");
        assert_eq!(clock_face(36_000_100_000), "10:00:00.100");
        assert_eq!(clock_face(0), "00:00:00.000");
        assert_eq!(clock_face(86_399_999_999), "23:59:59.999");
        // Outside one day there is no face to read: seconds, as elsewhere.
        assert_eq!(clock_face(-1_000_000), "\u{2212}1.000 s");
    }
}
