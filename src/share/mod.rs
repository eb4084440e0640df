//! Share links: a run travels in the URL fragment as `#v1.<data>`, where data is the run's JSON
//! (preset, fix, seed, fault log, step), deflated and base64url-encoded. Decoding never trusts
//! its input: every limit is explicit and every refusal says what was wrong.

pub mod json_path;
mod plain;
mod shiviz;
mod trace_json;

pub use plain::{quoted, refusal, Source};
pub use shiviz::shiviz_log;
pub use trace_json::{session_trace_json, trace_json, TRACE_FORMAT, TRACE_VERSION};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::challenge::{Challenge, ChallengeError};
use crate::hunt::{Settings, SettingsError};
use crate::scenarios::{Cluster, ClusterError, InvalidScenario, Scenario};
use crate::sim::{LoggedCommand, Micros, NodeId, MAX_NODES, MAX_REPLAY_STEPS};

/// The format written today. Older versions keep decoding (there is only one so far).
pub const LINK_VERSION: u32 = 1;
/// The longest fragment accepted, in characters.
pub const MAX_LINK_CHARS: usize = 64 * 1024;
/// The most JSON a link may inflate to (bytes): a compression bomb stops here.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// The most faults a run may carry (the page refuses more): sized so the largest such run still
/// fits a link (64 K characters) and a pretty-printed file (1 MB) — `tests/share_links.rs`.
pub const MAX_FAULTS: usize = 2_000;

/// Everything that fixes a shared run and the point it was at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedRun {
    /// A preset's id.
    pub scenario: String,
    pub fix: bool,
    pub seed: u64,
    /// Faults applied by hand and exactly where (see [`crate::live::Session::fault_log`]).
    #[serde(deserialize_with = "faults_in_order")]
    pub faults: Vec<LoggedCommand<()>>,
    /// The step the run was at.
    pub step: u64,
    /// Where the run stood besides its step, when that is not simply "just after the step's
    /// event" (links written before this existed have none: they reopen at the step).
    #[serde(default, skip_serializing_if = "Moment::is_plain")]
    pub moment: Moment,
    /// The preset's cluster as customised, if it was (links written before customising existed
    /// simply have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Cluster>,
    /// Timed pauses still running: each node resumes when true time reaches its moment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resumes: Vec<TimedResume>,
    /// A scenario of the person's own (model, parameters, script, narration), run instead of a
    /// preset; `scenario` then repeats its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Box<Scenario>>,
    /// The run is a hunt's (see [`crate::hunt`]): the scenario's subject — its own faults taken
    /// out, clocks set right — with the faults the hunt found; these are the hunt's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hunt: Option<Settings>,
    /// The run is shown beside another run of its scenario (see [`Comparison`]); links written
    /// before comparing existed simply have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<Comparison>,
    /// The run is played for a challenge (see [`crate::challenge`]): its arena, with the
    /// faults the person applied. A link of a won challenge is a result to hand in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Box<Challenge>>,
}

/// What a run is compared with, side by side on one time axis (see `render::compare`). In a
/// link: `"fix"`, `"unbroken"`, or `{"seed": n}` with n a whole number from 0 to
/// 18446744073709551615, as a run's own seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Comparison {
    /// The same run with the fix turned the other way, its faults kept at their true times.
    Fix,
    /// The scenario's own run, without the faults applied by hand (or found by a hunt).
    Unbroken,
    /// The same run, its faults kept at their true times, with this seed.
    Seed(u64),
}

impl SharedRun {
    /// A run of preset `scenario` (or of `custom`, when set) at its start: no faults, no
    /// cluster, no hunt; set what else it carries on the result.
    pub fn new(scenario: String, fix: bool, seed: u64) -> SharedRun {
        SharedRun {
            scenario,
            fix,
            seed,
            faults: Vec::new(),
            step: 0,
            moment: Moment::default(),
            cluster: None,
            resumes: Vec::new(),
            custom: None,
            hunt: None,
            compare: None,
            challenge: None,
        }
    }
}

/// What the picture of a run shows besides its step: the furthest step reached (the scrubber's
/// end, after going back), the simulation's true time once it has moved past the step's event
/// (a run that reached its end has moved on to the end), and the time shown while messages glide
/// between two events. Zero means "nothing beyond the step".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moment {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub furthest: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub now_us: Micros,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shown_us: Micros,
}

impl Moment {
    /// Nothing beyond the step: not written into links.
    pub fn is_plain(&self) -> bool {
        *self == Moment::default()
    }
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// A node paused for a while, and when it resumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedResume {
    pub node: NodeId,
    pub at_us: Micros,
}

/// Why a link could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    Empty,
    TooLong {
        chars: usize,
    },
    NotALink,
    UnknownVersion(String),
    NotBase64,
    NotCompressed,
    TooLarge,
    /// Not JSON, or JSON of the wrong shape: what is wrong and where, in plain words (see
    /// [`refusal`]).
    Malformed(String),
    TooManyFaults(usize),
    /// More timed pauses than the cluster has nodes.
    TooManyResumes(usize),
    StepTooFar(u64),
    /// The customised cluster breaks a limit; the reason names the setting.
    BadCluster(ClusterError),
    /// The custom scenario breaks a limit; the reason names the field.
    BadScenario(InvalidScenario),
    /// The hunt's settings break a limit; the reason names the setting.
    BadHunt(SettingsError),
    /// The challenge breaks a limit; the reason names the field.
    BadChallenge(ChallengeError),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Empty => write!(f, "it holds no run"),
            LinkError::TooLong { chars } => write!(
                f,
                "the link is {chars} characters long; links are limited to {MAX_LINK_CHARS}"
            ),
            LinkError::NotALink => write!(
                f,
                "this is not a Faultline run (a link starts with #v{LINK_VERSION}., a file says \"format\": \"{RUN_FILE_FORMAT}\")"
            ),
            LinkError::UnknownVersion(version) => write!(
                f,
                "it is in format {version}, which this version of Faultline does not know \
                 (it reads v{LINK_VERSION})"
            ),
            LinkError::NotBase64 => {
                write!(
                    f,
                    "the link is damaged: it contains characters a link never has"
                )
            }
            LinkError::NotCompressed => write!(f, "the link is damaged or cut short"),
            LinkError::TooLarge => write!(
                f,
                "it holds more than {} MB; that is more than any run needs",
                MAX_JSON_BYTES >> 20
            ),
            LinkError::Malformed(detail) => write!(f, "{detail}"),
            LinkError::TooManyFaults(count) => write!(
                f,
                "the run carries {count} faults; a run may carry at most {MAX_FAULTS}"
            ),
            LinkError::TooManyResumes(count) => write!(
                f,
                "the run carries {count} timed pauses; at most one per node ({MAX_NODES})"
            ),
            LinkError::BadCluster(reason) => write!(f, "its cluster is impossible: {reason}"),
            LinkError::BadHunt(reason) => write!(f, "its hunt settings are impossible: {reason}"),
            LinkError::BadScenario(reason) => write!(f, "its scenario cannot run: {reason}"),
            LinkError::BadChallenge(reason) => write!(f, "its challenge is impossible: {reason}"),
            LinkError::StepTooFar(step) => write!(
                f,
                "the link points at step {step}; runs are limited to {MAX_REPLAY_STEPS} steps"
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// A saved run file: the same run, as readable JSON with its format and version.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    format: String,
    version: u32,
    run: SharedRun,
}

/// The `format` field of a saved run file.
pub const RUN_FILE_FORMAT: &str = "faultline-run";

/// A run as a JSON file (pretty-printed, versioned).
pub fn to_json(run: &SharedRun) -> String {
    let file = RunFile {
        format: RUN_FILE_FORMAT.to_string(),
        version: LINK_VERSION,
        run: run.clone(),
    };
    pretty_json(&file)
}

/// `value` as pretty JSON. Written compactly, then indented as serde_json's pretty printer
/// does: every type is then serialised by the one compact serializer, so its code is in the
/// bundle once rather than once per output style.
pub(crate) fn pretty_json(value: &impl Serialize) -> String {
    let compact = serde_json::to_vec(value).unwrap_or_default();
    indent(&String::from_utf8(compact).unwrap_or_default())
}

/// Indents compact JSON (no whitespace outside strings) with two spaces, `"key": value`, and
/// empty arrays and objects kept as `[]` and `{}`: exactly serde_json's pretty form.
pub fn indent(compact: &str) -> String {
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(compact.len() * 3 / 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// Reads a link's faults: each one's place and time as serde reads them, then its command
/// with the command decoder (written by hand), which names the fault by its place
/// (`faults[2].command.kind …`): an error raised after a whole list is read has no place in the
/// text to point at (see [`json_path`]).
fn faults_in_order<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<LoggedCommand<()>>, D::Error> {
    Vec::<crate::sim::LoggedWire>::deserialize(deserializer)?
        .into_iter()
        .enumerate()
        .map(|(index, wire)| {
            wire.decode().map_err(|error| {
                <D::Error as serde::de::Error>::custom(format!("[{index}].{error}"))
            })
        })
        .collect()
}

/// Reads a saved run file, with the same limits as a link.
pub fn from_json(text: &str) -> Result<SharedRun, LinkError> {
    if text.trim().is_empty() {
        return Err(LinkError::Empty);
    }
    if text.len() > MAX_JSON_BYTES {
        return Err(LinkError::TooLarge);
    }
    let file: RunFile = parse(text.as_bytes(), Source::File)?;
    if file.format != RUN_FILE_FORMAT {
        return Err(LinkError::NotALink);
    }
    if file.version != LINK_VERSION {
        return Err(LinkError::UnknownVersion(format!("v{}", file.version)));
    }
    check(file.run)
}

/// Parses JSON, naming the field at fault in plain words when it is malformed
/// (`run.cluster.link.latency_us should be a whole number of microseconds (0 or more), not -5`).
fn parse<T: serde::de::DeserializeOwned>(json: &[u8], source: Source) -> Result<T, LinkError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = T::deserialize(&mut deserializer).map_err(|error| {
        let path = json_path::at(json, error.line(), error.column(), error.classify());
        LinkError::Malformed(refusal(source, &path, &error))
    })?;
    deserializer
        .end()
        .map_err(|error| LinkError::Malformed(refusal(source, "", &error)))?;
    Ok(value)
}

/// The limits every decoded run must respect.
fn check(run: SharedRun) -> Result<SharedRun, LinkError> {
    if let Some(settings) = &run.hunt {
        settings.validate().map_err(LinkError::BadHunt)?;
    }
    if let Some(custom) = &run.custom {
        custom.validate().map_err(LinkError::BadScenario)?;
    }
    if let Some(cluster) = &run.cluster {
        cluster.validate().map_err(LinkError::BadCluster)?;
    }
    if let Some(challenge) = &run.challenge {
        challenge
            .validate_for(&run.scenario, run.custom.as_deref())
            .map_err(LinkError::BadChallenge)?;
    }
    if run.resumes.len() > MAX_NODES {
        return Err(LinkError::TooManyResumes(run.resumes.len()));
    }
    if run.faults.len() > MAX_FAULTS {
        return Err(LinkError::TooManyFaults(run.faults.len()));
    }
    let furthest = run.step.max(run.moment.furthest);
    if furthest > MAX_REPLAY_STEPS {
        return Err(LinkError::StepTooFar(furthest));
    }
    Ok(run)
}

/// The fragment (without `#`) for a run.
pub fn encode(run: &SharedRun) -> String {
    let json = serde_json::to_vec(run).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("v{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment (with or without its leading `#`).
pub fn decode(fragment: &str) -> Result<SharedRun, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment).trim();
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let chars = fragment.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { chars });
    }
    let (version, data) = fragment.split_once('.').ok_or(LinkError::NotALink)?;
    if !version.starts_with('v') || version.len() > 12 {
        return Err(LinkError::NotALink);
    }
    if version != format!("v{LINK_VERSION}") {
        return Err(LinkError::UnknownVersion(version.to_string()));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| LinkError::NotBase64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON_BYTES)
        .map_err(|error| match error.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::NotCompressed,
        })?;
    check(parse(&json, Source::Link)?)
}
