//! A scenario's script as JSON: its steps, each a command at a true time, or a regular run of
//! them written once — a repeat.
//!
//! A step is `{"at_us": 400000, "command": {…}}`. A repeat adds `every_us` and `times`: the
//! command `times` times, `every_us` apart, from `at_us` — `{"at_us": 50000, "every_us": 25000,
//! "times": 158, "command": {"kind": "client", "node": 2, "op": "Get"}}` is a request from node 2
//! every 25 ms from 50 ms on, 158 of them. A repeat may also take `"nodes": [3, 0, 1]`, the node
//! each step goes through in turn (from the start again when the list runs out; its command then
//! names none), and `"count_up": true`: each step's operation `value` is one more than the last's,
//! from the command's own.
//!
//! A script with repeats is put in time order once they are expanded (steps at the same time
//! keep their order in the file) and has at most [`MAX_SCRIPT`] steps in all: the step that would
//! make it longer is refused as it is read, by name ("script[3].times: …"), so a few bytes never
//! expand into millions of steps. A script without repeats reads step for step as written, as it
//! always has (the scenario's check, `validate`, counts its steps).
//!
//! Reading is one function for every model but the last call, which reads each command as its
//! model's (see `sim::decode_command`). Files the app saves write plain steps; the presets' files
//! are written with repeats (`with_repeats`, in the tests).

use serde::de::{DeserializeOwned, Error as _};
use serde_json::{Map, Value};

use super::MAX_SCRIPT;
use crate::sim::{decode_command, from_field, Micros, Scheduled};

type Read<T> = Result<T, serde_json::Error>;

/// Step `index` of the script is wrong: `field` within it ("" for the step), and how.
fn refused(index: usize, field: &str, problem: &dyn std::fmt::Display) -> serde_json::Error {
    serde_json::Error::custom(format_args!("script[{index}]{field}: {problem}"))
}

fn missing(field: &'static str) -> serde_json::Error {
    serde_json::Error::missing_field(field)
}

/// The most JSON a repeat's command may hold (see [`weight`]): each of its steps is a copy, so a
/// few repeats of a command padded with unknown fields never fill the memory. Commands weigh
/// about 100.
const MAX_REPEATED: usize = 1_000;

/// About how many characters of JSON `value` is.
fn weight(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.iter().map(weight).sum::<usize>() + 2,
        Value::Object(fields) => fields.iter().map(|(k, v)| k.len() + weight(v) + 4).sum(),
        Value::String(text) => text.len() + 2,
        _ => 8,
    }
}

/// Takes field `name` out of a step, a whole number if it is there.
fn number(step: &mut Map<String, Value>, name: &'static str) -> Read<Option<u64>> {
    step.remove(name)
        .map(|value| from_field(name, value))
        .transpose()
}

/// The operation's value in a command's JSON: `{"op": {"Write": {"value": 3}}}`.
fn value_of(command: &mut Value) -> Option<&mut Value> {
    command
        .get_mut("op")?
        .as_object_mut()?
        .values_mut()
        .next()?
        .get_mut("value")
}

/// The script's steps (see the module's documentation), repeats expanded, in order: each one's
/// true time, the step of the file it comes from, and its command's JSON. Read by hand, not
/// derived: the bundle carries less.
fn expand(steps: Vec<Value>) -> Read<Vec<(Micros, usize, Value)>> {
    let repeats = steps.iter().any(|step| step.get("every_us").is_some());
    let mut script: Vec<(Micros, usize, Value)> = Vec::with_capacity(steps.len());
    for (index, step) in steps.into_iter().enumerate() {
        let wrong = |field: &str, problem: &dyn std::fmt::Display| refused(index, field, problem);
        let Value::Object(mut step) = step else {
            return Err(wrong(
                "",
                &"a step is a set of named values: at_us and command",
            ));
        };
        let at_us = number(&mut step, "at_us").and_then(|at| at.ok_or_else(|| missing("at_us")));
        let at_us = at_us.map_err(|error| wrong("", &error))?;
        let every_us = number(&mut step, "every_us").map_err(|error| wrong("", &error))?;
        let times = number(&mut step, "times").map_err(|error| wrong("", &error))?;
        let command = step.remove("command").ok_or_else(|| missing("command"));
        let command = command.map_err(|error| wrong("", &error))?;
        let repeat = every_us.is_some();
        let (every_us, times) = match (every_us, times) {
            (None, None) => (0, 1),
            (Some(every_us), Some(times)) => (every_us, times),
            _ => return Err(wrong("", &"a repeat gives both every_us and times")),
        };
        let nodes = match step.remove("nodes") {
            None => Vec::new(),
            Some(Value::Array(nodes)) if !nodes.is_empty() && nodes.iter().all(Value::is_u64) => {
                nodes
            }
            Some(_) => return Err(wrong(".nodes", &"a list of nodes, such as [0, 2]")),
        };
        let count_up = match step.remove("count_up") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => return Err(wrong(".count_up", &"true or false")),
        };
        if times == 0 {
            return Err(wrong(".times", &"a repeat runs at least once, not 0 times"));
        }
        let steps = (script.len() as u64).saturating_add(times);
        if repeats && steps > MAX_SCRIPT as u64 {
            let problem = format!(
                "the script would have at least {steps} steps, its repeats expanded; at most \
                 {MAX_SCRIPT}"
            );
            return Err(wrong(if repeat { ".times" } else { "" }, &problem));
        }
        if repeat && every_us == 0 {
            let problem = "a repeat's steps are at least 1 µs apart, not 0";
            return Err(wrong(".every_us", &problem));
        }
        if repeat && weight(&command) > MAX_REPEATED {
            let problem = format!("a repeated command has at most {MAX_REPEATED} characters");
            return Err(wrong(".command", &problem));
        }
        for k in 0..times {
            let mut command = command.clone();
            if let (Some(node), Some(object)) = (
                nodes.get(k as usize % nodes.len().max(1)),
                command.as_object_mut(),
            ) {
                object.insert("node".to_string(), node.clone());
            }
            if count_up {
                let Some(value) = value_of(&mut command).filter(|value| value.is_u64()) else {
                    let problem = "the command's operation has no value to count up";
                    return Err(wrong(".count_up", &problem));
                };
                *value = Value::from(value.as_u64().unwrap_or(0).saturating_add(k));
            }
            let at_us = at_us.saturating_add(every_us.saturating_mul(k));
            // With repeats, each step goes after those at its time or earlier: a stable sort.
            let at = match repeats {
                true => script.partition_point(|&(time, _, _)| time <= at_us),
                false => script.len(),
            };
            script.insert(at, (at_us, index, command));
        }
    }
    Ok(script)
}

const NOT_A_LIST: &str = "script: should be a list of steps";

/// Field `script` of a model: its steps read and repeats expanded; an error names the file's
/// step ("script[3]: command: missing field `node`").
pub(super) fn read<Op: DeserializeOwned>(
    object: &mut Map<String, Value>,
) -> Read<Vec<Scheduled<Op>>> {
    let steps = match object.remove("script") {
        Some(Value::Array(steps)) => steps,
        Some(_) => return Err(serde_json::Error::custom(NOT_A_LIST)),
        None => return Err(missing("script")),
    };
    let mut script = Vec::new();
    for (at_us, index, command) in expand(steps)? {
        let command = decode_command(command).map_err(|error| refused(index, "", &error))?;
        script.push(Scheduled { at_us, command });
    }
    Ok(script)
}

/// A scenario's JSON as the preset files hold it: `serde_json::to_string`'s, with the script's
/// regular runs (at least four steps evenly apart) written as repeats where the file then reads
/// back as exactly this script; else its steps, plain.
#[cfg(test)]
pub(super) fn with_repeats(scenario: &super::Scenario) -> String {
    use super::ModelSpec;
    let written = serde_json::to_string(scenario).unwrap();
    let (plain, compact) = match &scenario.model {
        ModelSpec::Election { script, .. } => script_with_repeats(script),
        ModelSpec::Lock { script, .. } => script_with_repeats(script),
        ModelSpec::Register { script, .. } => script_with_repeats(script),
        ModelSpec::Heartbeats { script, .. } => script_with_repeats(script),
        ModelSpec::Stopwatch { script, .. } => script_with_repeats(script),
        ModelSpec::Logging { script, .. } => script_with_repeats(script),
        ModelSpec::Generals { script, .. } => script_with_repeats(script),
        ModelSpec::TrueTime { script, .. } => script_with_repeats(script),
        ModelSpec::Server { script, .. } => script_with_repeats(script),
    };
    let plain = format!("\"script\":{plain}");
    assert_eq!(
        written.matches(&plain).count(),
        1,
        "the script is written once"
    );
    written.replacen(&plain, &format!("\"script\":{compact}"), 1)
}

/// A run of a script's steps written as one: from step `first`, `times` steps `every_us` apart,
/// through `nodes` in turn (if any), their values counting up (if `count_up`).
#[cfg(test)]
struct Run {
    first: usize,
    every_us: Micros,
    times: u64,
    nodes: Vec<Value>,
    count_up: bool,
}

/// A script as JSON, plain and with its regular runs as repeats (see [`with_repeats`]).
#[cfg(test)]
fn script_with_repeats<Op>(script: &[Scheduled<Op>]) -> (String, String)
where
    Op: serde::Serialize + DeserializeOwned + PartialEq,
{
    let plain = serde_json::to_string(script).unwrap();
    let steps: Vec<(Micros, Value)> = script
        .iter()
        .map(|step| (step.at_us, serde_json::to_value(&step.command).unwrap()))
        .collect();
    let mut taken = vec![false; steps.len()];
    // First the runs of one command exactly, then those through several nodes or counting up.
    let mut runs = runs_of(&steps, &mut taken, false);
    runs.extend(runs_of(&steps, &mut taken, true));
    runs.sort_by_key(|run| run.first);
    if runs.iter().all(|run| run.times == 1) {
        return (plain.clone(), plain);
    }
    let entries: Vec<String> = runs
        .iter()
        .map(|run| match run.times {
            1 => serde_json::to_string(&script[run.first]).unwrap(),
            times => {
                let mut command = steps[run.first].1.clone();
                let mut extra = String::new();
                if !run.nodes.is_empty() {
                    command.as_object_mut().unwrap().remove("node");
                    extra += &format!(",\"nodes\":{}", Value::from(run.nodes.clone()));
                }
                if run.count_up {
                    extra += ",\"count_up\":true";
                }
                format!(
                    "{{\"at_us\":{},\"every_us\":{},\"times\":{times}{extra},\"command\":{command}}}",
                    steps[run.first].0, run.every_us
                )
            }
        })
        .collect();
    let compact = format!("[{}]", entries.join(","));
    // Written only if it reads back as the script, step for step.
    let mut object = Map::new();
    object.insert(
        "script".to_string(),
        serde_json::from_str(&compact).unwrap(),
    );
    match read::<Op>(&mut object) {
        Ok(read) if read == script => (plain, compact),
        _ => (plain.clone(), plain),
    }
}

/// Takes the script's runs out of the steps not yet `taken`, greedily from each one on: the later
/// steps like it, as long as they keep the time apart of the first two. Like it: the same
/// command, or if `loose`, the same but for its node and its operation's value counting up.
/// A run has four steps or more (fewer read better plain, and weigh as much); if `loose`, each
/// step left is a run of one.
#[cfg(test)]
fn runs_of(steps: &[(Micros, Value)], taken: &mut [bool], loose: bool) -> Vec<Run> {
    // A command without its node and value, and the two.
    let parts = |command: &Value| {
        let mut shape = command.clone();
        let node = shape.as_object_mut().and_then(|o| o.remove("node"));
        let value = value_of(&mut shape).map(std::mem::take);
        (shape, node, value.and_then(|v| v.as_u64()))
    };
    let mut runs = Vec::new();
    for first in 0..steps.len() {
        if taken[first] {
            continue;
        }
        let (at_us, command) = &steps[first];
        let (shape, _, value) = parts(command);
        let like = |j: usize| match loose {
            false => steps[j].1 == *command,
            true => parts(&steps[j].1).0 == shape,
        };
        let mut members = vec![first];
        let (mut every_us, mut count_up) = (0, false);
        let mut last = first;
        while let Some(next) = (last + 1..steps.len()).find(|&j| !taken[j] && like(j)) {
            let n = members.len() as u64;
            let next_value = parts(&steps[next].1).2;
            if n == 1 {
                every_us = steps[next].0.saturating_sub(*at_us);
                count_up = loose && value.is_some() && next_value == value.map(|v| v + 1);
            }
            let counted = value.map(|v| v + if count_up { n } else { 0 });
            if every_us == 0 || steps[next].0 != at_us + every_us * n || next_value != counted {
                break;
            }
            members.push(next);
            last = next;
        }
        if members.len() < 4 {
            // A step in no run is left for the second pass, or written as it is.
            if !loose {
                continue;
            }
            members.truncate(1);
        }
        let mut nodes: Vec<Value> = members
            .iter()
            .map(|&j| parts(&steps[j].1).1.unwrap_or(Value::Null))
            .collect();
        // The shortest list that gives them in turn; none if the command's own node does.
        let period = (1..=nodes.len())
            .find(|&p| (0..nodes.len()).all(|k| nodes[k] == nodes[k % p]))
            .unwrap_or(1);
        nodes.truncate(period);
        if !loose || nodes.len() == 1 {
            nodes.clear();
        }
        for &member in &members {
            taken[member] = true;
        }
        runs.push(Run {
            first,
            every_us,
            times: members.len() as u64,
            nodes,
            count_up,
        });
    }
    runs
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::models::election::ClientOp;
    use crate::sim::{Command, NodeId};

    /// The script `steps` (JSON) as a model whose requests are elections' reads, or the error.
    fn read_script(steps: Value) -> Result<Vec<(Micros, Command<ClientOp>)>, String> {
        let mut object = Map::new();
        object.insert("script".to_string(), steps);
        read::<ClientOp>(&mut object)
            .map(|script| script.into_iter().map(|s| (s.at_us, s.command)).collect())
            .map_err(|error| error.to_string())
    }

    fn write(node: u8, value: u32) -> Command<ClientOp> {
        Command::Client {
            node: NodeId(node),
            op: ClientOp::Write { value },
        }
    }

    fn write_json(node: u8, value: u32) -> Value {
        json!({"kind": "client", "node": node, "op": {"Write": {"value": value}}})
    }

    #[test]
    fn plain_steps_read_as_written_in_their_order() {
        let script = read_script(json!([
            {"at_us": 300, "command": write_json(1, 7)},
            {"at_us": 100, "command": {"kind": "pause", "node": 0}},
        ]));
        let pause = Command::Pause { node: NodeId(0) };
        assert_eq!(script, Ok(vec![(300, write(1, 7)), (100, pause)]));
    }

    #[test]
    fn a_repeat_is_its_command_times_times_every_us_apart_and_repeats_merge_in_time_order() {
        let script = read_script(json!([
            {"at_us": 50, "every_us": 25, "times": 3, "command": write_json(2, 0)},
            {"at_us": 56, "every_us": 25, "times": 3, "command": write_json(3, 0)},
            // Plain steps take their place in time; at the same time, the file's order holds.
            {"at_us": 100, "command": {"kind": "pause", "node": 0}},
            {"at_us": 10, "command": write_json(4, 9)},
        ]))
        .unwrap();
        let pause = Command::Pause { node: NodeId(0) };
        assert_eq!(
            script,
            vec![
                (10, write(4, 9)),
                (50, write(2, 0)),
                (56, write(3, 0)),
                (75, write(2, 0)),
                (81, write(3, 0)),
                (100, write(2, 0)),
                (100, pause),
                (106, write(3, 0)),
            ]
        );
    }

    #[test]
    fn a_repeat_may_go_through_nodes_in_turn_and_count_its_value_up() {
        let script = read_script(json!([{
            "at_us": 100, "every_us": 100, "times": 5, "nodes": [3, 0, 1], "count_up": true,
            "command": {"kind": "client", "op": {"Write": {"value": 10}}},
        }]));
        assert_eq!(
            script,
            Ok(vec![
                (100, write(3, 10)),
                (200, write(0, 11)),
                (300, write(1, 12)),
                (400, write(3, 13)),
                (500, write(0, 14)),
            ])
        );
    }

    #[test]
    fn a_wrong_repeat_is_refused_naming_its_step_and_field() {
        let refused = |step: Value| {
            read_script(json!([{"at_us": 0, "command": write_json(0, 0)}, step])).unwrap_err()
        };
        let get = write_json(1, 0);
        assert_eq!(
            refused(json!({"at_us": 0, "times": 3, "command": get})),
            "script[1]: a repeat gives both every_us and times"
        );
        assert_eq!(
            refused(json!({"at_us": 0, "every_us": 10, "times": 0, "command": get})),
            "script[1].times: a repeat runs at least once, not 0 times"
        );
        assert_eq!(
            refused(json!({"at_us": 0, "every_us": 0, "times": 2, "command": get})),
            "script[1].every_us: a repeat's steps are at least 1 µs apart, not 0"
        );
        assert_eq!(
            refused(json!({"at_us": 0, "every_us": 1, "times": 2, "nodes": 3, "command": get})),
            "script[1].nodes: a list of nodes, such as [0, 2]"
        );
        let unvalued = json!({"kind": "pause", "node": 0});
        assert_eq!(
            refused(
                json!({"at_us": 0, "every_us": 1, "times": 2, "count_up": true, "command": unvalued})
            ),
            "script[1].count_up: the command's operation has no value to count up"
        );
        assert_eq!(
            refused(json!({"at_us": 0, "every_us": "often", "times": 2, "command": get})),
            "script[1]: every_us: invalid type: string \"often\", expected u64"
        );
        assert_eq!(
            refused(json!({"every_us": 5, "times": 2, "command": get})),
            "script[1]: missing field `at_us`"
        );
        let padded = json!({"kind": "client", "node": 1, "op": "Get", "notes": "x".repeat(2_000)});
        assert_eq!(
            refused(json!({"at_us": 0, "every_us": 1, "times": 2, "command": padded})),
            "script[1].command: a repeated command has at most 1000 characters"
        );
        assert_eq!(
            refused(
                json!({"at_us": 0, "every_us": 1, "times": 2, "nodes": [1, [2]], "command": get})
            ),
            "script[1].nodes: a list of nodes, such as [0, 2]"
        );
        let explode = json!({"kind": "explode"});
        assert!(
            refused(json!({"at_us": 0, "every_us": 5, "times": 2, "command": explode}))
                .starts_with("script[1]: command: kind: unknown variant `explode`")
        );
        assert_eq!(
            refused(json!(7)),
            "script[1]: a step is a set of named values: at_us and command"
        );
        assert_eq!(
            read_script(json!({"at_us": 0})),
            Err(NOT_A_LIST.to_string())
        );
    }

    #[test]
    fn a_script_with_repeats_is_at_most_max_script_steps_so_a_small_file_never_expands_far() {
        let get = write_json(1, 0);
        let most = read_script(json!([
            {"at_us": 0, "command": get},
            {"at_us": 0, "every_us": 1_000, "times": MAX_SCRIPT - 1, "command": get},
        ]));
        assert_eq!(most.map(|script| script.len()), Ok(MAX_SCRIPT));
        assert_eq!(
            read_script(json!([
                {"at_us": 0, "command": get},
                {"at_us": 0, "every_us": 1, "times": 4_000_000_000u64, "command": get},
            ])),
            Err(format!(
                "script[1].times: the script would have at least 4000000001 steps, its repeats \
                 expanded; at most {MAX_SCRIPT}"
            ))
        );
        // Plain steps after a repeat count too; without repeats, the scenario's check counts.
        let mut steps =
            vec![json!({"at_us": 0, "every_us": 1, "times": MAX_SCRIPT, "command": get})];
        steps.push(json!({"at_us": 0, "command": get}));
        assert_eq!(
            read_script(Value::from(steps)),
            Err(format!(
                "script[1]: the script would have at least {} steps, its repeats expanded; at \
                 most {MAX_SCRIPT}",
                MAX_SCRIPT + 1
            ))
        );
        let plain = vec![json!({"at_us": 0, "command": get}); MAX_SCRIPT + 1];
        assert_eq!(
            read_script(Value::from(plain)).map(|s| s.len()),
            Ok(MAX_SCRIPT + 1)
        );
    }

    #[test]
    fn a_repeat_within_limits_is_checked_step_by_step_with_the_scenario() {
        // A repeat running past the run's end: its expanded steps are checked as any others.
        let mut scenario = crate::scenarios::by_id("retry-storm").unwrap();
        let json = with_repeats(&scenario).replace("\"times\":158", "\"times\":190");
        scenario = serde_json::from_str(&json).unwrap();
        assert!(scenario
            .validate()
            .unwrap_err()
            .to_string()
            .contains("after the run ends (4500000 µs)"));
    }
}
