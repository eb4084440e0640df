//! Scenarios: what Faultline teaches. A scenario is data (serde): a model with its parameters, a
//! cluster configuration, a script of faults and client requests, narration, a question to
//! predict, and a fix toggle that turns the mitigation on.

mod custom;
mod library;
mod model_json;
mod run;
mod script_json;
mod validate;

use serde::{Deserialize, Serialize};

use crate::detect::FindingKind;
use crate::models::election::{self, Election};
use crate::models::generals::{self, Generals};
use crate::models::heartbeat::Heartbeats;
use crate::models::lock::{self, LockService};
use crate::models::logging::Logging;
use crate::models::register::{self, Register};
use crate::models::server::{self, Server};
use crate::models::stopwatch::Stopwatch;
use crate::models::truetime::{self, TrueTime};
use crate::sim::{Micros, NodeId, Scheduled, SimConfig};

pub use custom::{Cluster, ClusterError, MAX_DURATION_US, MIN_DURATION_US};
pub use library::{all, by_id, TOPICS};
pub use model_json::MODEL_NAMES;
pub use run::{run, simulate, start, start_with, RunReport};
pub use validate::{
    InvalidScenario, Problem, MAX_NARRATION, MAX_REVEALS, MAX_SCRIPT, MAX_TEXT, MAX_TIMING_US,
    MIN_TIMING_US,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Stable identifier for links and files.
    pub id: String,
    pub title: String,
    /// One sentence: what goes wrong, and why it matters.
    pub lesson: String,
    /// The anomaly the run shows without the fix (none for the sandbox).
    pub shows: Option<FindingKind>,
    /// What the fix costs, as the finding that shows it (e.g. the minority side unavailable).
    pub fix_cost: Option<FindingKind>,
    pub config: SimConfig,
    pub model: ModelSpec,
    /// How long the run lasts.
    pub duration_us: Micros,
    /// The moment the story turns on: the first view frames it. Guided mode asks its question
    /// where the question's [`Prediction::reveal`] says, not here.
    pub key_moment_us: Micros,
    pub narration: Vec<Narration>,
    pub prediction: Prediction,
    /// The question asked with the fix on, about the fix (what it prevents, what it costs):
    /// the broken run's question may not even make sense there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_prediction: Option<Prediction>,
    /// Where the lesson comes from, for its recap: the book's chapter and section.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub fix: Fix,
    /// Whether the mitigation is on.
    pub fix_enabled: bool,
    /// Words for findings that fit this scenario better than their general explanation (the
    /// "ordering violation" of a wall-clock log is not network reordering).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explains: Vec<Explains>,
    /// How the run is first shown: node names and the stretch of time that matters.
    #[serde(default, skip_serializing_if = "View::is_default")]
    pub view: View,
}

/// How a scenario is first shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// What the story calls each node, in order ("Lock service", "Storage", "Client C"); a
    /// missing or empty name leaves the node its letter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// The stretch of true time the first view frames, start and end in µs: where the story
    /// happens. Without one, the first view is chosen from the run (see the stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<(Micros, Micros)>,
    /// The frame with the fix on, when the fixed run's story happens elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_frame: Option<(Micros, Micros)>,
    /// Kinds of message drawn faintly at first, by their words in the model's legend
    /// ("heartbeat"): the steady background a story is told over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quiet: Vec<String>,
}

/// How many typical message latencies the automatic first view spans: a message's arrow then
/// takes a sixteenth of the timeline's height, visibly slanted, with room for a conversation.
pub const FIRST_VIEW_LATENCIES: u64 = 16;

impl Scenario {
    /// The stretch of true time the first view frames: the scenario's own `view.frame` (or
    /// `view.fix_frame` with the fix on), or
    /// [`FIRST_VIEW_LATENCIES`] typical latencies (latency plus half the jitter, at least 1 ms)
    /// around the key moment, a quarter of it before.
    pub fn first_frame(&self) -> (Micros, Micros) {
        let own = if self.fix_enabled {
            self.view.fix_frame.or(self.view.frame)
        } else {
            self.view.frame
        };
        if let Some(frame) = own {
            return frame;
        }
        let span = (self.typical_latency() * FIRST_VIEW_LATENCIES).min(self.duration_us.max(1));
        let start = self
            .key_moment_us
            .saturating_sub(span / 4)
            .min(self.duration_us.saturating_sub(span));
        (start, start + span)
    }
}

/// Two model specs are equal when they are the same value or write the same JSON: the derived
/// comparison (nine models' parameters and scripts) weighed about 5 KB of the bundle, for a
/// question the page asks of its props, where it is nearly always the same value.
impl PartialEq for ModelSpec {
    fn eq(&self, other: &ModelSpec) -> bool {
        std::ptr::eq(self, other)
            || serde_json::to_vec(self).unwrap_or_default()
                == serde_json::to_vec(other).unwrap_or_default()
    }
}

impl Scenario {
    /// A typical message's latency: the links' latency plus half their jitter, at least 1 ms.
    pub fn typical_latency(&self) -> Micros {
        let link = &self.config.link;
        (link.latency_us + link.jitter_us / 2).max(1_000)
    }

    /// The moments the lesson names (its narration's, after the start, and `found`: where its
    /// findings are marked) and the stretch of true time that holds them, two typical latencies
    /// to spare either side and no later than `end`; the first frame if nothing is named. The
    /// story frame shows them (see [`crate::render::folds::story_camera`]).
    pub fn story_moments(
        &self,
        found: impl Iterator<Item = Micros>,
        end: Micros,
    ) -> ((Micros, Micros), Vec<Micros>) {
        let (start, stop) = self.first_frame();
        let pad = 2 * self.typical_latency();
        let moments: Vec<Micros> = self
            .narration()
            .map(|line| line.at_us)
            .filter(|&at| at > 0)
            .chain(found)
            .collect();
        let first = moments
            .iter()
            .min()
            .map_or(start, |m| m.saturating_sub(pad));
        let last = moments.iter().max().map_or(stop, |&m| m + pad);
        ((first, last.min(end)), moments)
    }
}

impl View {
    fn is_default(&self) -> bool {
        *self == View::default()
    }

    /// The `quiet` kinds among `kinds` as filter bits (bit `i` for `kinds[i]`).
    pub fn quiet_bits(&self, kinds: &[&str]) -> u64 {
        kinds
            .iter()
            .enumerate()
            .filter(|(_, kind)| self.quiet.iter().any(|q| q == *kind))
            .fold(0, |bits, (i, _)| bits | crate::sim::kind_bit(i))
    }

    /// The names as the simulation speaks them.
    pub fn names(&self) -> crate::sim::Names {
        crate::sim::Names::new(self.names.clone())
    }
}

/// What a kind of finding means in one scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explains {
    pub finding: FindingKind,
    pub text: String,
}

/// The model a scenario runs and the script that drives it. On the wire, an object whose `model`
/// names the variant in snake case; it is read by hand (`model_json.rs`).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum ModelSpec {
    /// The fix turns `quorum` on, or, when `fixed` is given, swaps `params` for it.
    Election {
        params: Election,
        #[serde(skip_serializing_if = "Option::is_none")]
        fixed: Option<Election>,
        script: Vec<Scheduled<election::ClientOp>>,
    },
    /// The fix swaps `params` for `fixed`.
    Lock {
        params: LockService,
        fixed: LockService,
        script: Vec<Scheduled<lock::ClientOp>>,
    },
    /// The fix swaps `params` for `fixed`.
    Register {
        params: Register,
        fixed: Register,
        script: Vec<Scheduled<register::ClientOp>>,
    },
    /// The fix swaps `params` for `fixed`.
    Heartbeats {
        params: Heartbeats,
        fixed: Heartbeats,
        script: Vec<Scheduled<()>>,
    },
    /// The fix swaps `params` for `fixed`.
    Stopwatch {
        params: Stopwatch,
        fixed: Stopwatch,
        script: Vec<Scheduled<()>>,
    },
    /// The fix swaps `params` for `fixed`.
    Logging {
        params: Logging,
        fixed: Logging,
        script: Vec<Scheduled<()>>,
    },
    /// The fix runs `fixed_nodes` generals instead of the configured number.
    Generals {
        params: Generals,
        fixed_nodes: u8,
        script: Vec<Scheduled<generals::ClientOp>>,
    },
    /// The fix swaps `params` for `fixed`.
    TrueTime {
        params: TrueTime,
        fixed: TrueTime,
        script: Vec<Scheduled<truetime::ClientOp>>,
    },
    /// The fix swaps `params` for `fixed`.
    Server {
        params: Server,
        fixed: Server,
        script: Vec<Scheduled<server::ClientOp>>,
    },
}

/// A line of narration, shown once true time reaches `at_us`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Narration {
    pub at_us: Micros,
    pub text: String,
    #[serde(default)]
    pub shown: Shown,
}

/// Whether a narration line belongs to the broken run, the fixed one, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    #[default]
    Always,
    WithoutFix,
    WithFix,
}

/// "What happens next?", asked just before the first event that answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
    pub explanation: String,
    /// The events that answer the question: guided mode asks it just before the first of
    /// them happens, so nothing on screen has given the answer away. Empty: asked only after
    /// the person breaks something (the sandbox), about what their fault does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reveal: Vec<Reveal>,
}

/// An event that gives a question's answer away, as a person sees it drawn: one on `node`
/// (any node if none) whose words contain `says` ("x = 2 (from", "refuses token 33").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeId>,
    pub says: String,
}

impl Reveal {
    /// An event on `node` with these words (see [`crate::sim::describe`]) reveals the answer.
    pub fn matches(&self, node: NodeId, words: &str) -> bool {
        self.node.is_none_or(|own| own == node) && words.contains(self.says.as_str())
    }
}

impl Prediction {
    /// The order the choices are shown in: a shuffle decided by the run's seed and the
    /// scenario (so a link shows the same order to everyone), never by position in the data.
    pub fn order(&self, seed: u64, scenario: &str) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.choices.len()).collect();
        let mut state = scenario.bytes().fold(seed ^ 0x9e37_79b9_7f4a_7c15, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        // Fisher–Yates with a splitmix64 stream.
        for i in (1..order.len()).rev() {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            order.swap(i, (z % (i as u64 + 1)) as usize);
        }
        order
    }
}

/// The mitigation the toggle enables, and what it costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub label: String,
    pub explanation: String,
    pub cost: String,
}

/// The election a scenario runs: `fixed` with the fix on if it has one, else `params` with the
/// fix deciding `quorum`.
pub fn election_in_force(params: &Election, fixed: Option<&Election>, fix_on: bool) -> Election {
    match fixed {
        Some(fixed) if fix_on => fixed.clone(),
        Some(_) => params.clone(),
        None => Election {
            quorum: fix_on,
            ..params.clone()
        },
    }
}

/// The recap's headings, in order: the guided lesson's recap card and the printed handouts
/// both say them (see [`Scenario::recap`]).
pub const RECAP_HEADINGS: [&str; 3] = ["What went wrong", "The fix", "Its cost"];

impl Scenario {
    /// The recap's lines under [`RECAP_HEADINGS`]: the lesson, the fix and its cost.
    pub fn recap(&self) -> [&str; 3] {
        [&self.lesson, &self.fix.label, &self.fix.cost]
    }

    /// Where the lesson comes from, as the recap says it ("From DDIA chapter 8, …."), if known.
    pub fn recap_source(&self) -> Option<String> {
        (!self.source.is_empty()).then(|| format!("From {}.", self.source))
    }

    pub fn with_fix(mut self, enabled: bool) -> Scenario {
        self.fix_enabled = enabled;
        self
    }

    /// What a finding of `kind` means here: the scenario's own words if it has them, else the
    /// finding's general explanation.
    /// The question guided mode asks of this run: about the fix when it is on and has one.
    pub fn question(&self) -> &Prediction {
        match &self.fix_prediction {
            Some(fixed) if self.fix_enabled => fixed,
            _ => &self.prediction,
        }
    }

    /// The finding guided mode stops on to explain: the anomaly without the fix, its cost
    /// with it.
    pub fn anomaly(&self) -> Option<FindingKind> {
        if self.fix_enabled {
            self.fix_cost
        } else {
            self.shows
        }
    }

    pub fn explanation(&self, kind: FindingKind) -> &str {
        self.explains
            .iter()
            .find(|e| e.finding == kind)
            .map_or(kind.explanation(), |e| e.text.as_str())
    }

    /// The narration for this run, in order.
    pub fn narration(&self) -> impl Iterator<Item = &Narration> {
        let fixed = self.fix_enabled;
        self.narration.iter().filter(move |line| match line.shown {
            Shown::Always => true,
            Shown::WithoutFix => !fixed,
            Shown::WithFix => fixed,
        })
    }
}
