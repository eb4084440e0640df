//! The postMessage protocol between an embedded Faultline and the page hosting it: commands the
//! host may send, and the events sent back. Pure (JSON text in and out), so it is tested
//! natively; `host_api` carries it over `postMessage`.
//!
//! Commands (`{"type": …}` objects, each may carry an `id` that error replies echo):
//! `faultline:play` (optional `speed` in events per second), `faultline:pause`, `faultline:step` (`count`, default 1),
//! `faultline:seek` (`step`), `faultline:load` (`scenario`, optional `fix`, `seed`),
//! `faultline:reset`, `faultline:set-fix` (`enabled`).
//! Events: `faultline:ready` (a run is on stage and commands are carried out), `faultline:step`
//! (the step changed), `faultline:finding` (a detector found an anomaly, once per finding),
//! `faultline:error` (a command was refused or dropped: why), `faultline:height` (the height the
//! embed wants at its width).

use serde_json::Value;

use crate::detect::{time_order_key, Finding};
use crate::share::{refusal, Source};
use crate::sim::{Micros, MAX_REPLAY_STEPS};

/// The most events one `faultline:step` may run.
pub const MAX_STEP_COUNT: u32 = 100_000;

/// What a host page may ask: `{"type": "faultline:…", …}`, read by [`HostCommand::from_json`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostCommand {
    /// `speed`: events per simulated second of playback (`0` or absent keeps the page's speed;
    /// above 10,000 means as fast as possible).
    Play {
        speed: Option<u32>,
    },
    Pause,
    Step {
        count: u32,
    },
    Seek {
        step: u64,
    },
    Load {
        scenario: String,
        fix: Option<bool>,
        seed: Option<u64>,
    },
    SetFix {
        enabled: bool,
    },
    /// Back to the run the embed's address opens, paused.
    Reset,
}

impl HostCommand {
    /// Whether carrying it out puts a new run on stage (then later commands wait for its
    /// `ready`). Setting the fix to what it is changes nothing; `fix_now` says what it is.
    pub fn restarts(&self, fix_now: bool) -> bool {
        match self {
            HostCommand::Load { .. } | HostCommand::Reset => true,
            HostCommand::SetFix { enabled } => *enabled != fix_now,
            _ => false,
        }
    }
}

/// Every command's `type`.
pub const HOST_COMMANDS: &[&str] = &[
    "faultline:play",
    "faultline:pause",
    "faultline:step",
    "faultline:seek",
    "faultline:load",
    "faultline:set-fix",
    "faultline:reset",
];

impl HostCommand {
    /// Reads a command from a message's JSON; errors name the field first, in serde's words
    /// ("step: invalid value: …"), for [`refusal`] to put in plain words.
    /// Written by hand: the derived decoder of an internally tagged enum buffers the message and
    /// costs far more of the bundle than these few fields.
    pub fn from_json(value: Value) -> Result<HostCommand, serde_json::Error> {
        use serde::de::Error as _;
        let Value::Object(mut object) = value else {
            return Err(serde_json::Error::custom("a command is a JSON object"));
        };
        fn read<T: serde::de::DeserializeOwned>(
            object: &mut serde_json::Map<String, Value>,
            name: &'static str,
            default: Option<T>,
        ) -> Result<T, serde_json::Error> {
            match (object.remove(name), default) {
                (Some(value), _) => crate::sim::from_field(name, value),
                (None, Some(default)) => Ok(default),
                (None, None) => Err(serde_json::Error::missing_field(name)),
            }
        }
        let kind: String = read(&mut object, "type", None)?;
        let o = &mut object;
        Ok(match kind.as_str() {
            "faultline:play" => HostCommand::Play {
                speed: read(o, "speed", Some(None))?,
            },
            "faultline:pause" => HostCommand::Pause,
            "faultline:step" => HostCommand::Step {
                count: read(o, "count", Some(1))?,
            },
            "faultline:seek" => HostCommand::Seek {
                step: read(o, "step", None)?,
            },
            "faultline:load" => HostCommand::Load {
                scenario: read(o, "scenario", None)?,
                fix: read(o, "fix", Some(None))?,
                seed: read(o, "seed", Some(None))?,
            },
            "faultline:set-fix" => HostCommand::SetFix {
                enabled: read(o, "enabled", None)?,
            },
            "faultline:reset" => HostCommand::Reset,
            other => {
                let error = serde_json::Error::unknown_variant(other, HOST_COMMANDS);
                return Err(crate::sim::in_field("type", false, error));
            }
        })
    }
}

/// Reads a message's data (as JSON text). The error says why it was ignored, for the console.
pub fn parse(json: &str) -> Result<HostCommand, Ignored> {
    read_message(json).command
}

/// A message read: its command or why it was ignored, and what a reply names it by.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub command: Result<HostCommand, Ignored>,
    /// Its `type`, when it is one of ours (`faultline:…`, up to 40 characters).
    pub kind: Option<String>,
    /// Its `id` as JSON text, echoed in replies: a string of up to [`MAX_ID_CHARS`]
    /// characters or a number; anything else is not echoed.
    pub id: Option<String>,
}

/// The longest `id` echoed back (characters).
pub const MAX_ID_CHARS: usize = 64;

impl Message {
    /// Whether a refusal is told to the host (`faultline:error`): for messages meant for
    /// Faultline (their type is ours), not for other scripts' messages on the same page.
    pub fn wants_reply(&self) -> bool {
        self.kind.is_some()
    }
}

/// Reads a message's data (as JSON text), keeping its type and id for a reply.
pub fn read_message(json: &str) -> Message {
    let mut message = Message {
        command: Err(Ignored::TooLarge),
        kind: None,
        id: None,
    };
    if json.len() > MAX_MESSAGE_BYTES {
        return message;
    }
    let value: Value = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(error) => {
            message.command = Err(Ignored::NotJson(refusal(Source::Message, "", &error)));
            return message;
        }
    };
    let Some(kind) = value.get("type").and_then(Value::as_str) else {
        message.command = Err(Ignored::NoType);
        return message;
    };
    let kind = kind.chars().take(40).collect::<String>();
    if !kind.starts_with("faultline:") {
        message.command = Err(Ignored::NotOurs(kind));
        return message;
    }
    message.id = match value.get("id") {
        Some(Value::String(id)) if id.chars().count() <= MAX_ID_CHARS => {
            let mut text = String::new();
            quote_into(&mut text, id);
            Some(text)
        }
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    message.kind = Some(kind.clone());
    message.command = command_of(value, kind);
    message
}

fn command_of(value: Value, kind: String) -> Result<HostCommand, Ignored> {
    let command = HostCommand::from_json(value)
        .map_err(|error| Ignored::Malformed(kind, refusal(Source::Message, "", &error)))?;
    match command {
        HostCommand::Step { count } if count == 0 || count > MAX_STEP_COUNT => {
            Err(Ignored::StepCount(count))
        }
        HostCommand::Seek { step } if step > MAX_REPLAY_STEPS => Err(Ignored::SeekTooFar(step)),
        HostCommand::Load { scenario, .. } if crate::scenarios::by_id(&scenario).is_none() => Err(
            Ignored::UnknownScenario(scenario.chars().take(60).collect()),
        ),
        command => Ok(command),
    }
}

/// The largest message any command needs (bytes): bigger ones are refused unread.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// Why a host's message was ignored (said on the console).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ignored {
    /// Its data could not be read as JSON text at all.
    Unreadable,
    TooLarge,
    /// Its data is not JSON text: why, in plain words.
    NotJson(String),
    NoType,
    /// Its type (up to 40 characters) is not ours: another script's message.
    NotOurs(String),
    /// Its type, and what is wrong with it in plain words.
    Malformed(String, String),
    StepCount(u32),
    SeekTooFar(u64),
    /// `faultline:load` names no preset (its first 60 characters).
    UnknownScenario(String),
    /// More commands waited for the embed to be ready than it keeps ([`MAX_QUEUED`]).
    QueueFull,
    /// Play or step with the run already at its end.
    AtEnd,
}

impl std::fmt::Display for Ignored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ignored::Unreadable => write!(f, "its data cannot be read as JSON"),
            Ignored::TooLarge => write!(
                f,
                "the message is larger than any command ({} KB)",
                MAX_MESSAGE_BYTES / 1024
            ),
            Ignored::NotJson(why) => write!(f, "{why}"),
            Ignored::NoType => write!(
                f,
                "it has no \"type\"; a command is an object naming its type, such as \
                 \"type\": \"faultline:play\""
            ),
            Ignored::NotOurs(kind) => write!(f, "“{kind}” is not a Faultline command"),
            Ignored::Malformed(kind, why) => {
                write!(
                    f,
                    "“{kind}” is not a command Faultline can carry out: {why}"
                )
            }
            Ignored::StepCount(count) => write!(
                f,
                "faultline:step runs 1 to {MAX_STEP_COUNT} events, not {count}"
            ),
            Ignored::SeekTooFar(step) => write!(
                f,
                "faultline:seek goes to steps 0 to {MAX_REPLAY_STEPS}, not {step}"
            ),
            Ignored::UnknownScenario(id) => write!(
                f,
                "faultline:load names no scenario this version has (“{}”)",
                crate::share::quoted(id)
            ),
            Ignored::QueueFull => write!(
                f,
                "{MAX_QUEUED} commands were already waiting for the embed to be ready; this one \
                 was dropped"
            ),
            Ignored::AtEnd => write!(f, "the run has already ended: seek back or reset it first"),
        }
    }
}

/// The console warning for a message from `origin` that was ignored: a sentence.
pub fn warning(origin: &str, reason: &Ignored) -> String {
    format!("Faultline: ignored a message from {origin}: {reason}.")
}

/// The most commands kept while the embed is not ready (before its first run, and between a
/// load, reset or fix and the run it starts); more are dropped with an error reply.
pub const MAX_QUEUED: usize = 64;

/// What `faultline:ready` tells of the run on stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Ready {
    pub scenario: String,
    pub title: String,
    pub fix: bool,
    pub seed: u64,
    /// Events in the whole run (as it stands, faults included), if it could be counted.
    pub steps: Option<u64>,
    pub duration_us: Micros,
    /// The scenario's key moment: the step whose event is the last at or before its time.
    pub key_moment: Option<(u64, Micros)>,
}

/// An event as JSON text, written field by field: events are flat objects of numbers, truth
/// values and text, and writing them so costs the bundle far less than building
/// `serde_json::Value`s.
struct Event(String);

impl Event {
    fn new(kind: &str) -> Event {
        let mut event = Event(String::with_capacity(128));
        event.0.push('{');
        event.text("type", kind)
    }

    /// A field whose value is already JSON.
    fn raw(mut self, name: &str, value: &str) -> Event {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        quote_into(&mut self.0, name);
        self.0.push(':');
        self.0.push_str(value);
        self
    }

    fn text(self, name: &str, value: &str) -> Event {
        let mut quoted = String::with_capacity(value.len() + 2);
        quote_into(&mut quoted, value);
        self.raw(name, &quoted)
    }

    fn number(self, name: &str, value: u64) -> Event {
        self.raw(name, &value.to_string())
    }

    fn truth(self, name: &str, value: bool) -> Event {
        self.raw(name, if value { "true" } else { "false" })
    }

    fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// `text` as a JSON string: quoted, with quotes, backslashes and control characters escaped.
fn quote_into(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Sent when a run is on stage (after a load, a reset, a restart, or when the page opens) and
/// commands are carried out from now on.
pub fn ready_event(ready: &Ready, scenarios: &[String]) -> String {
    let mut ids = String::from("[");
    for (n, id) in scenarios.iter().enumerate() {
        if n > 0 {
            ids.push(',');
        }
        quote_into(&mut ids, id);
    }
    ids.push(']');
    let key_moment = match ready.key_moment {
        Some((step, time)) => format!("{{\"step\":{step},\"timeUs\":{time}}}"),
        None => "null".to_string(),
    };
    Event::new("faultline:ready")
        .text("scenario", &ready.scenario)
        .text("title", &ready.title)
        .truth("fix", ready.fix)
        .number("seed", ready.seed)
        .raw(
            "steps",
            &ready
                .steps
                .map_or_else(|| "null".to_string(), |s| s.to_string()),
        )
        .number("durationUs", ready.duration_us)
        .raw("keyMoment", &key_moment)
        .raw("scenarios", &ids)
        .end()
}

/// Sent when a command is refused or dropped: `kind` and `id` are the command's (as read by
/// [`read_message`]), `message` says why in plain words.
pub fn error_event(kind: Option<&str>, id: Option<&str>, reason: &Ignored) -> String {
    let event = Event::new("faultline:error");
    let event = match kind {
        Some(kind) => event.text("command", kind),
        None => event.raw("command", "null"),
    };
    let event = event.raw("id", id.unwrap_or("null"));
    event.text("message", &format!("{reason}.")).end()
}

/// The height (CSS px) an embed `width` px wide wants: what is above its diagrams (`chrome`:
/// the controls, a small screen's view switch) and diagrams proportioned for the width — on a
/// small screen one view at a time, about as tall as wide; wider, topology and timeline side
/// by side at about 5:2 — and, when it shows a panel below them (`panels`), half as much again.
pub fn wanted_height(width: f64, chrome: f64, small: bool, panels: bool) -> u32 {
    let diagrams = if small {
        (width * 1.1).clamp(320.0, 640.0)
    } else {
        (width * 0.42).clamp(300.0, 600.0)
    };
    let below = if panels && !small {
        diagrams * 0.5
    } else {
        0.0
    };
    (chrome.max(0.0) + diagrams + below).round() as u32
}

/// Sent when the height the embed wants at its width changes (CSS pixels).
pub fn height_event(height: u32) -> String {
    Event::new("faultline:height")
        .number("height", u64::from(height))
        .end()
}

/// Sent when the run's step changes (at most every [`STEP_EVENT_MS`] while playing).
pub fn step_event(
    step: u64,
    time_us: Micros,
    events: usize,
    finished: bool,
    findings: usize,
) -> String {
    Event::new("faultline:step")
        .number("step", step)
        .number("timeUs", time_us)
        .number("events", events as u64)
        .truth("finished", finished)
        .number("findings", findings as u64)
        .end()
}

/// The findings of `now` not yet in `reported` (both in time order, see
/// [`crate::detect::time_order_key`]), with their index in `now`: what to tell the host this
/// frame. Going back un-finds findings, and going forward again finds them anew; a finding
/// discovered late still gets its place in time order. Looked up by key, not compared with
/// every finding told, since this runs every frame while a run plays.
pub fn newly_found<'a>(reported: &[Finding], now: &'a [Finding]) -> Vec<(usize, &'a Finding)> {
    now.iter()
        .enumerate()
        .filter(|(_, finding)| {
            let key = time_order_key(finding);
            let from = reported.partition_point(|r| time_order_key(r) < key);
            !reported[from..]
                .iter()
                .take_while(|r| time_order_key(r) == key)
                .any(|r| r == *finding)
        })
        .collect()
}

/// A finding's id: its kind, time and first event, so the same finding has the same id
/// however often the run is replayed, and two findings never share one.
pub fn finding_id(finding: &Finding) -> String {
    let event = finding.events.first().map_or(-1, |e| i64::from(e.0));
    format!("{}-{}-{event}", kind_name(finding.kind), finding.time)
}

/// A finding kind's name in events (`SplitBrain`), as serde writes it.
fn kind_name(kind: crate::detect::FindingKind) -> String {
    serde_json::to_string(&kind)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

/// Sent once per finding; `index` is its place among the run's findings in time order.
pub fn finding_event(index: usize, finding: &Finding) -> String {
    Event::new("faultline:finding")
        .text("id", &finding_id(finding))
        .number("index", index as u64)
        .text("kind", &kind_name(finding.kind))
        .text("label", finding.kind.label())
        .number("timeUs", finding.time)
        .text("summary", &finding.summary)
        .end()
}

/// Step events are at most this often while playing, so a host is not flooded.
pub const STEP_EVENT_MS: f64 = 100.0;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An event's JSON text, read back.
    fn read(event: String) -> Value {
        serde_json::from_str(&event).expect("an event is JSON")
    }
    use crate::detect::FindingKind;
    use crate::sim::{EventId, NodeId};

    fn found(time: u64, event: u32) -> Finding {
        Finding {
            kind: FindingKind::LivenessStall,
            time,
            nodes: vec![NodeId(1)],
            events: vec![EventId(event)],
            summary: format!("at {time}"),
        }
    }

    #[test]
    fn findings_are_reported_once_each_with_their_place_in_time_order() {
        let early = [found(10, 1), found(30, 5)];
        let told: Vec<usize> = newly_found(&[], &early).iter().map(|f| f.0).collect();
        assert_eq!(told, [0, 1]);
        // A finding dated before the last one told, discovered later, is told with its place.
        let later = [found(10, 1), found(20, 9), found(30, 5)];
        let told = newly_found(&early, &later);
        assert_eq!(told.len(), 1);
        assert_eq!((told[0].0, told[0].1.time), (1, 20));
        assert!(
            newly_found(&later, &later).is_empty(),
            "nothing is told twice"
        );
        // Going back un-finds one; going forward finds it again.
        let rewound = [found(10, 1)];
        assert_eq!(newly_found(&rewound, &later).len(), 2);
        // Two findings of the same time, event and kind are still told apart.
        let twin = Finding {
            summary: "another".to_string(),
            ..found(10, 1)
        };
        let both = [found(10, 1), twin];
        let told = newly_found(&rewound, &both);
        assert_eq!(told.len(), 1);
        assert_eq!((told[0].0, told[0].1.summary.as_str()), (1, "another"));
    }

    #[test]
    fn every_command_parses() {
        let cases = [
            (
                r#"{"type":"faultline:play"}"#,
                HostCommand::Play { speed: None },
            ),
            (
                r#"{"type":"faultline:play","speed":500}"#,
                HostCommand::Play { speed: Some(500) },
            ),
            (r#"{"type":"faultline:pause","id":7}"#, HostCommand::Pause),
            (
                r#"{"type":"faultline:step"}"#,
                HostCommand::Step { count: 1 },
            ),
            (
                r#"{"type":"faultline:step","count":25}"#,
                HostCommand::Step { count: 25 },
            ),
            (
                r#"{"type":"faultline:seek","step":120}"#,
                HostCommand::Seek { step: 120 },
            ),
            (
                r#"{"type":"faultline:load","scenario":"split-brain"}"#,
                HostCommand::Load {
                    scenario: "split-brain".into(),
                    fix: None,
                    seed: None,
                },
            ),
            (
                r#"{"type":"faultline:load","scenario":"seat-12a","fix":true,"seed":9}"#,
                HostCommand::Load {
                    scenario: "seat-12a".into(),
                    fix: Some(true),
                    seed: Some(9),
                },
            ),
            (
                r#"{"type":"faultline:set-fix","enabled":true}"#,
                HostCommand::SetFix { enabled: true },
            ),
        ];
        for (json, command) in cases {
            assert_eq!(parse(json), Ok(command), "{json}");
        }
    }

    #[test]
    fn malformed_and_unknown_messages_say_why_they_were_ignored() {
        let cases = [
            (
                "not json",
                "its data is not JSON text: it is cut short or damaged at character 2",
            ),
            ("42", "no \"type\""),
            (r#"{"kind":"faultline:play"}"#, "no \"type\""),
            (r#"{"type":"webpackOk"}"#, "not a Faultline command"),
            (
                r#"{"type":"faultline:explode"}"#,
                "“faultline:explode” is not a command Faultline can carry out: type should be \
                 one of “faultline:play”, “faultline:pause”, “faultline:step”, \
                 “faultline:seek”, “faultline:load”, “faultline:set-fix” or \
                 “faultline:reset”, not \
                 “faultline:explode”",
            ),
            (r#"{"type":"faultline:seek"}"#, "step is missing"),
            (
                r#"{"type":"faultline:seek","step":-1}"#,
                "step should be a whole number (0 or more), not -1",
            ),
            (
                r#"{"type":"faultline:seek","step":1e30}"#,
                "step should be a whole number (0 or more), not 1e+30",
            ),
            (
                r#"{"type":"faultline:load","scenario":"paxos"}"#,
                "faultline:load names no scenario this version has (“paxos”)",
            ),
            (
                r#"{"type":"faultline:step","count":0}"#,
                "1 to 100000 events",
            ),
            (
                r#"{"type":"faultline:seek","step":99999999999}"#,
                "not 99999999999",
            ),
            (
                r#"{"type":"faultline:set-fix","enabled":"yes"}"#,
                "enabled should be true or false, not the text “yes”",
            ),
        ];
        for (json, words) in cases {
            let reason = parse(json).unwrap_err().to_string();
            assert!(reason.contains(words), "{json} → {reason}");
        }
        let padded = format!(
            r#"{{"type":"faultline:play","pad":"{}"}}"#,
            "x".repeat(5000)
        );
        assert_eq!(parse(&padded), Err(Ignored::TooLarge));
        assert!(Ignored::TooLarge.to_string().contains("larger"));
        assert_eq!(
            parse(r#"{"type":"faultline:step","count":0}"#),
            Err(Ignored::StepCount(0))
        );
    }

    #[test]
    fn events_carry_what_a_host_needs() {
        let step = read(step_event(40, 1_250, 41, true, 2));
        assert_eq!(step["type"], "faultline:step");
        assert_eq!(
            (
                step["step"].as_u64(),
                step["timeUs"].as_u64(),
                step["finished"].as_bool(),
                step["findings"].as_u64()
            ),
            (Some(40), Some(1_250), Some(true), Some(2))
        );
        let ready = read(ready_event(
            &Ready {
                scenario: "split-brain".into(),
                title: "Two leaders".into(),
                fix: true,
                seed: 7,
                steps: Some(477),
                duration_us: 3_000_000,
                key_moment: Some((176, 1_321_169)),
            },
            &["split-brain".to_string()],
        ));
        assert_eq!(ready["scenario"], "split-brain");
        assert_eq!(ready["title"], "Two leaders");
        assert_eq!(ready["scenarios"][0], "split-brain");
        assert_eq!(ready["steps"], 477);
        assert_eq!(ready["durationUs"], 3_000_000);
        assert_eq!(ready["keyMoment"]["step"], 176);
        assert_eq!(ready["keyMoment"]["timeUs"], 1_321_169);
        let uncounted = read(ready_event(
            &Ready {
                scenario: "sandbox".into(),
                title: "Sandbox".into(),
                fix: false,
                seed: 1,
                steps: None,
                duration_us: 30_000_000,
                key_moment: None,
            },
            &[],
        ));
        assert!(uncounted["steps"].is_null() && uncounted["keyMoment"].is_null());
        assert_eq!(
            read(height_event(412)),
            json!({"type": "faultline:height", "height": 412})
        );
    }

    #[test]
    fn an_embed_wants_a_height_that_fits_its_width() {
        // A 720 px column: the diagrams at 5:2 under a 48 px bar.
        assert_eq!(wanted_height(720.0, 48.0, false, false), 48 + 302);
        // With the narration below, half as much again.
        assert_eq!(
            wanted_height(720.0, 48.0, false, true),
            502,
            "48 + 302.4 × 1.5"
        );
        // A phone shows one view at a time, about square, never a sliver.
        assert_eq!(wanted_height(360.0, 110.0, true, true), 110 + 396);
        assert_eq!(wanted_height(200.0, 110.0, true, false), 110 + 320);
        // Very wide columns stop growing.
        assert_eq!(wanted_height(3000.0, 48.0, false, false), 648);
    }

    #[test]
    fn a_finding_has_an_id_of_its_own_that_a_replay_gives_again() {
        let first = found(10, 1);
        let event = read(finding_event(0, &first));
        // Text with quotes, backslashes and control characters stays text.
        let odd = Finding {
            summary: "say \"hi\" \\ to\nA\u{1}".to_string(),
            ..found(10, 1)
        };
        assert_eq!(
            read(finding_event(1, &odd))["summary"],
            "say \"hi\" \\ to\nA\u{1}"
        );
        assert_eq!(event["id"], "LivenessStall-10-1");
        assert_eq!(event["index"], 0);
        assert_eq!(event["label"], FindingKind::LivenessStall.label());
        assert_eq!(finding_id(&first), finding_id(&found(10, 1)));
        assert_ne!(finding_id(&first), finding_id(&found(10, 2)));
        assert_ne!(finding_id(&first), finding_id(&found(11, 1)));
    }

    #[test]
    fn replies_name_the_command_and_echo_its_id() {
        let message = read_message(r#"{"type":"faultline:seek","step":-1,"id":"slide-3"}"#);
        assert_eq!(message.kind.as_deref(), Some("faultline:seek"));
        assert_eq!(message.id.as_deref(), Some("\"slide-3\""));
        let reason = message.command.clone().unwrap_err();
        let reply = read(error_event(
            message.kind.as_deref(),
            message.id.as_deref(),
            &reason,
        ));
        assert_eq!(read(error_event(None, Some("7"), &Ignored::AtEnd))["id"], 7);
        assert_eq!(reply["type"], "faultline:error");
        assert_eq!(reply["command"], "faultline:seek");
        assert_eq!(reply["id"], "slide-3");
        assert!(reply["message"]
            .as_str()
            .unwrap()
            .contains("step should be a whole number (0 or more), not -1"));
        assert!(message.wants_reply());
        // Numbers are echoed; long or structured ids are not.
        assert_eq!(
            read_message(r#"{"type":"faultline:pause","id":7}"#)
                .id
                .as_deref(),
            Some("7")
        );
        let long = format!(r#"{{"type":"faultline:pause","id":"{}"}}"#, "x".repeat(65));
        assert_eq!(read_message(&long).id, None);
        assert_eq!(
            read_message(r#"{"type":"faultline:pause","id":{"a":1}}"#).id,
            None
        );
        // Another script's message gets no reply.
        let theirs = read_message(r#"{"type":"webpackOk","id":1}"#);
        assert!(!theirs.wants_reply());
        assert_eq!(theirs.id, None);
        assert!(!read_message("not json").wants_reply());
        // Refusals that come later say why in plain words.
        assert!(Ignored::QueueFull
            .to_string()
            .contains("64 commands were already waiting"));
        assert!(Ignored::AtEnd.to_string().contains("already ended"));
    }

    #[test]
    fn commands_that_start_a_new_run_hold_the_ones_after_them() {
        assert!(parse(r#"{"type":"faultline:reset"}"#) == Ok(HostCommand::Reset));
        assert!(HostCommand::Reset.restarts(false));
        let load = HostCommand::Load {
            scenario: "split-brain".into(),
            fix: None,
            seed: None,
        };
        assert!(
            load.restarts(true),
            "a load is a fresh run even of the same scenario"
        );
        assert!(HostCommand::SetFix { enabled: true }.restarts(false));
        assert!(
            !HostCommand::SetFix { enabled: true }.restarts(true),
            "the fix as it is changes nothing"
        );
        assert!(!HostCommand::Step { count: 3 }.restarts(false));
        assert!(!HostCommand::Seek { step: 3 }.restarts(false));
    }
}
