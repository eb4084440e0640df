//! The postMessage protocol between an embedded Faultline and the page hosting it: commands the
//! host may send, and the events sent back. Pure (JSON text in and out), so it is tested
//! natively; `host_api` carries it over `postMessage`.
//!
//! Commands (`{"type": …}` objects):
//! `faultline:play` (optional `speed` in events per second), `faultline:pause`, `faultline:step` (`count`, default 1),
//! `faultline:seek` (`step`), `faultline:load` (`scenario`, optional `fix`, `seed`),
//! `faultline:set-fix` (`enabled`).
//! Events: `faultline:ready` (a run started), `faultline:step` (the step changed),
//! `faultline:finding` (a detector found an anomaly).

use serde_json::{json, Value};

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
}

/// Every command's `type`.
pub const HOST_COMMANDS: &[&str] = &[
    "faultline:play",
    "faultline:pause",
    "faultline:step",
    "faultline:seek",
    "faultline:load",
    "faultline:set-fix",
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
            other => {
                let error = serde_json::Error::unknown_variant(other, HOST_COMMANDS);
                return Err(crate::sim::in_field("type", false, error));
            }
        })
    }
}

/// Reads a message's data (as JSON text). The error says why it was ignored, for the console.
pub fn parse(json: &str) -> Result<HostCommand, Ignored> {
    if json.len() > MAX_MESSAGE_BYTES {
        return Err(Ignored::TooLarge);
    }
    let value: Value = serde_json::from_str(json)
        .map_err(|error| Ignored::NotJson(refusal(Source::Message, "", &error)))?;
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or(Ignored::NoType)?
        .chars()
        .take(40)
        .collect::<String>();
    if !kind.starts_with("faultline:") {
        return Err(Ignored::NotOurs(kind));
    }
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
        }
    }
}

/// The console warning for a message from `origin` that was ignored: a sentence.
pub fn warning(origin: &str, reason: &Ignored) -> String {
    format!("Faultline: ignored a message from {origin}: {reason}.")
}

/// Sent when a run is on stage (after a load, a restart, or when the page opens).
pub fn ready_event(scenario: &str, fix: bool, seed: u64, scenarios: &[String]) -> Value {
    json!({
        "type": "faultline:ready",
        "scenario": scenario,
        "fix": fix,
        "seed": seed,
        "scenarios": scenarios,
    })
}

/// Sent when the run's step changes (at most every [`STEP_EVENT_MS`] while playing).
pub fn step_event(step: u64, time_us: Micros, events: usize, finished: bool) -> Value {
    json!({
        "type": "faultline:step",
        "step": step,
        "timeUs": time_us,
        "events": events,
        "finished": finished,
    })
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

/// Sent once per finding; `index` is its place among the run's findings in time order.
pub fn finding_event(index: usize, finding: &Finding) -> Value {
    json!({
        "type": "faultline:finding",
        "index": index,
        "kind": finding.kind,
        "label": finding.kind.label(),
        "timeUs": finding.time,
        "summary": finding.summary,
    })
}

/// Step events are at most this often while playing, so a host is not flooded.
pub const STEP_EVENT_MS: f64 = 100.0;

#[cfg(test)]
mod tests {
    use super::*;
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
                 “faultline:seek”, “faultline:load” or “faultline:set-fix”, not \
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
        let step = step_event(40, 1_250, 41, false);
        assert_eq!(step["type"], "faultline:step");
        assert_eq!(
            (step["step"].as_u64(), step["timeUs"].as_u64()),
            (Some(40), Some(1_250))
        );
        let ready = ready_event("split-brain", true, 7, &["split-brain".to_string()]);
        assert_eq!(ready["scenario"], "split-brain");
        assert_eq!(ready["scenarios"][0], "split-brain");
    }
}
