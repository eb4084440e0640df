//! Reading a [`ModelSpec`] from JSON by hand: `{"model": "lock", "params": …, "fixed": …,
//! "script": […]}`. The derived decoder of an internally tagged enum buffers the whole object
//! and decodes every model's types a second way; this one reads a JSON value once and hands
//! each field to its own type. Errors name the field first, in serde's words ("params.*: missing
//! field `lease_us`" — `.*`: somewhere in the object it holds — "model: unknown variant `paxos`,
//! expected one of …"), so a path continues through them and [`crate::share::refusal`] puts them
//! in plain words; unknown fields are ignored. The script is read by [`super::script_json`],
//! where a step may stand for a regular run of steps.

use serde::de::{DeserializeOwned, Error as _};
use serde_json::{Map, Value};

use super::{script_json, ModelSpec};
use crate::sim::{from_field, in_field, Scheduled};

/// Every `model` a scenario may name.
pub const MODEL_NAMES: &[&str] = &[
    "election",
    "lock",
    "register",
    "heartbeats",
    "stopwatch",
    "logging",
    "generals",
    "true_time",
    "server",
];

type Read<T> = Result<T, serde_json::Error>;

/// Takes field `name` out of the object and reads it as a `T`, naming it in any error.
fn field<T: DeserializeOwned>(object: &mut Map<String, Value>, name: &'static str) -> Read<T> {
    let value = object
        .remove(name)
        .ok_or_else(|| serde_json::Error::missing_field(name))?;
    from_field(name, value)
}

/// `params`, `fixed` and `script`: the shape of most models.
fn with_fix<P: DeserializeOwned, Op: DeserializeOwned>(
    object: &mut Map<String, Value>,
) -> Read<(P, P, Vec<Scheduled<Op>>)> {
    Ok((
        field(object, "params")?,
        field(object, "fixed")?,
        script_json::read(object)?,
    ))
}

impl ModelSpec {
    /// Reads a model and its script from its JSON form.
    pub fn from_json(value: Value) -> Read<ModelSpec> {
        let Value::Object(mut object) = value else {
            return Err(serde_json::Error::custom(
                "a model is a set of named values: its model (such as \"election\"), params, fixed \
                 and script",
            ));
        };
        let model: String = field(&mut object, "model")?;
        let o = &mut object;
        macro_rules! with_fix {
            ($variant:ident) => {{
                let (params, fixed, script) = with_fix(o)?;
                ModelSpec::$variant {
                    params,
                    fixed,
                    script,
                }
            }};
        }
        Ok(match model.as_str() {
            "election" => ModelSpec::Election {
                params: field(o, "params")?,
                fixed: match o.contains_key("fixed") {
                    true => Some(field(o, "fixed")?),
                    false => None,
                },
                script: script_json::read(o)?,
            },
            "lock" => with_fix!(Lock),
            "register" => with_fix!(Register),
            "heartbeats" => with_fix!(Heartbeats),
            "stopwatch" => with_fix!(Stopwatch),
            "logging" => with_fix!(Logging),
            "generals" => ModelSpec::Generals {
                params: field(o, "params")?,
                fixed_nodes: field(o, "fixed_nodes")?,
                script: script_json::read(o)?,
            },
            "true_time" => with_fix!(TrueTime),
            "server" => with_fix!(Server),
            other => {
                let error = serde_json::Error::unknown_variant(other, MODEL_NAMES);
                return Err(in_field("model", false, error));
            }
        })
    }
}

impl<'de> serde::Deserialize<'de> for ModelSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        ModelSpec::from_json(value).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_s_model_reads_back_as_written() {
        let mut names = std::collections::BTreeSet::new();
        for scenario in crate::scenarios::all() {
            let json = serde_json::to_value(&scenario.model).unwrap();
            names.insert(json["model"].as_str().unwrap().to_string());
            assert_eq!(
                ModelSpec::from_json(json).unwrap(),
                scenario.model,
                "{}",
                scenario.id
            );
        }
        let known: std::collections::BTreeSet<String> =
            MODEL_NAMES.iter().map(|n| n.to_string()).collect();
        assert_eq!(names, known, "the presets use every model, and no other");
    }

    #[test]
    fn a_wrong_model_is_refused_naming_what_is_wrong() {
        let refused = |json: Value| ModelSpec::from_json(json).unwrap_err().to_string();
        assert!(refused(serde_json::json!({"model": "paxos"}))
            .starts_with("model: unknown variant `paxos`, expected one of `election`"));
        assert_eq!(
            refused(serde_json::json!({"script": []})),
            "missing field `model`"
        );
        let preset = crate::scenarios::by_id("gc-pause-fencing").unwrap();
        let mut json = serde_json::to_value(&preset.model).unwrap();
        json["params"].as_object_mut().unwrap().remove("lease_us");
        assert_eq!(refused(json), "params.*: missing field `lease_us`");
        assert!(refused(serde_json::json!([1])).contains("a model is a set of named values"));
    }
}
