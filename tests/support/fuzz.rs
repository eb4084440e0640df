//! Hostile inputs for every decoder of outside text, shared by the fuzz benchmark (100,000
//! cases, `make bench`), a smaller run in `make test` (`tests/fuzz_decoders.rs`) and the check
//! that every refusal reads in plain words (`tests/plain_words.rs`). Seeded, so any failure
//! reproduces. Test support, not library code: each includes it by path
//! (`#[path = …] mod fuzz;`).
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use faultline::hunt::{self, FaultKind, Hunt, Settings, FAULT_KINDS};
use faultline::scenarios::{self, Cluster, ModelSpec, Scenario};
use faultline::share::{self, Comparison, Moment, SharedRun, TimedResume, LINK_VERSION};
use faultline::sim::{ClockConfig, Command, LinkConfig, LoggedCommand, NodeId, SimRng};
use faultline::ui::cluster_form::ClusterForm;
use faultline::ui::embed::EmbedOptions;
use faultline::ui::host_protocol;
use faultline::ui::stage::{cannot_start, not_replayed};
use faultline::ui::state::{hunt_field, hunt_settings_problem, parse_seed, AppState};
use serde_json::Value;

/// Which decoder a case is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoder {
    /// A share link (`#v1.…`).
    Link,
    /// A saved run file (JSON).
    RunFile,
    /// A postMessage command from a host page.
    HostMessage,
    /// The embed's query string.
    Query,
    /// The cluster editor's fields.
    ClusterForm,
    /// A saved scenario file (a run file carrying the whole scenario), damaged in the scenario:
    /// an unknown model, a missing or mistyped parameter, a broken script step.
    ScenarioFile,
    /// The seed field, as typed.
    Seed,
    /// A field of the hunt panel (`faults|…`, `schedules|…`, `seed|…`), or its kinds of fault
    /// all unticked (`kinds|none`).
    HuntForm,
    /// A link that decodes, replayed: faults and clusters from outside reach the simulator.
    Replay,
}

/// One hostile input and the decoder it is for.
#[derive(Clone, Debug)]
pub struct Case {
    pub decoder: Decoder,
    pub input: String,
}

/// Feeds the case to its decoder; `true` if it was accepted (refusals are fine, panics are bugs).
pub fn feed(case: &Case) -> bool {
    match case.decoder {
        Decoder::Link => share::decode(&case.input).is_ok(),
        Decoder::RunFile => share::from_json(&case.input).is_ok(),
        Decoder::HostMessage => host_protocol::parse(&case.input).is_ok(),
        Decoder::Query => EmbedOptions::from_query(&case.input).enabled,
        Decoder::ClusterForm => {
            let base = scenarios::by_id("sandbox").map(|s| s.cluster());
            base.is_some_and(|base| form(&case.input).parse(&base).is_ok())
        }
        Decoder::ScenarioFile => share::from_json(&case.input).is_ok(),
        Decoder::Seed => parse_seed(&case.input).is_ok(),
        Decoder::HuntForm => hunt_form(&case.input).is_ok(),
        Decoder::Replay => replay(&case.input).is_ok(),
    }
}

/// What a person reads when the case is refused, exactly as the page (or, for a host page's
/// message, the console) says it: none when it is accepted.
pub fn refusals(case: &Case) -> Vec<String> {
    let said = match case.decoder {
        // A link opens a page: its notice (embed options after the run are read too).
        Decoder::Link => AppState::from_location("", &case.input).notice,
        Decoder::RunFile | Decoder::ScenarioFile => AppState::from_file_text(&case.input).notice,
        Decoder::HostMessage => host_protocol::parse(&case.input)
            .err()
            .map(|reason| host_protocol::warning("https://blog.example.org", &reason)),
        Decoder::Query => AppState::from_location(&case.input, "").notice,
        Decoder::ClusterForm => scenarios::by_id("sandbox")
            .and_then(|base| form(&case.input).parse(&base.cluster()).err())
            .map(|error| error.message),
        Decoder::Seed => parse_seed(&case.input).err().map(|e| e.to_string()),
        Decoder::HuntForm => hunt_form(&case.input).err(),
        Decoder::Replay => replay(&case.input).err().flatten(),
    };
    said.into_iter().collect()
}

/// The hunt panel's settings after typing `field|text`, or what the panel says is wrong.
fn hunt_form(input: &str) -> Result<Settings, String> {
    let (field, text) = input.split_once('|').unwrap_or((input, ""));
    let settings = if field == "kinds" {
        Settings {
            kinds: Vec::new(),
            ..Settings::default()
        }
    } else {
        hunt_field(field, text, &Settings::default())?
    };
    settings
        .validate()
        .map_err(|error| hunt_settings_problem(&error))?;
    Ok(settings)
}

/// The cluster editor's fields from `|`-separated text.
fn form(input: &str) -> ClusterForm {
    let mut fields = input.split('|').map(str::to_string);
    let mut next = || fields.next().unwrap_or_default();
    let mut form = ClusterForm {
        nodes: next(),
        latency_ms: next(),
        jitter_ms: next(),
        loss_percent: next(),
        duplication_percent: next(),
        duration_s: next(),
        // Two more fields, when present: a link of its own, B→A (hostile text too).
        links: Vec::new(),
    };
    let (loss, duplication) = (next(), next());
    if !loss.is_empty() || !duplication.is_empty() {
        form.links.push(faultline::ui::cluster_form::LinkRow {
            from: NodeId(1),
            to: NodeId(0),
            loss_percent: loss,
            duplication_percent: duplication,
        });
    }
    form
}

/// Decodes a link and runs what it says for a few hundred steps, as the page would. Refused:
/// what the page says (none when the link itself is refused: that is the link's notice).
fn replay(link: &str) -> Result<(), Option<String>> {
    let Ok(run) = share::decode(link) else {
        return Err(None);
    };
    let base = match run.custom {
        Some(custom) => Some(*custom),
        None => scenarios::by_id(&run.scenario),
    };
    let Some(mut scenario) = base else {
        return Err(None);
    };
    if let Some(cluster) = &run.cluster {
        match scenario.customised(cluster) {
            Ok(custom) => scenario = custom,
            Err(error) => {
                return Err(Some(cannot_start(&format!(
                    "that cluster is impossible: {error}"
                ))))
            }
        }
    }
    scenario.config.seed = run.seed;
    let scenario = scenario.with_fix(run.fix);
    // A hunt's run is of its subject; and the hunt itself, on whatever came in, tries once.
    let scenario = match &run.hunt {
        Some(settings) => {
            if let Ok(mut hunt) = Hunt::new(&scenario, settings.clone()) {
                hunt.work(1);
            }
            hunt::subject(&scenario)
        }
        None => scenario,
    };
    let mut live = scenarios::start_with(&scenario, &run.faults)
        .map_err(|error| Some(not_replayed(&error)))?;
    // As the page restores a moment (see `Stage::restore`), within a fuzzing budget.
    live.seek(run.step.max(run.moment.furthest).min(300));
    live.seek(run.step.min(300));
    if run.moment.now_us > live.now() {
        live.advance_to(run.moment.now_us.min(live.now() + 100_000));
    }
    live.advance(50);
    Ok(())
}

fn bytes(rng: &mut SimRng, max: u64) -> Vec<u8> {
    (0..rng.up_to(max)).map(|_| rng.below(256) as u8).collect()
}

fn text(rng: &mut SimRng, max: u64) -> String {
    String::from_utf8_lossy(&bytes(rng, max)).into_owned()
}

fn pick<'a>(rng: &mut SimRng, values: &[&'a str]) -> &'a str {
    values[rng.below(values.len() as u64) as usize]
}

/// JSON values of every awkward kind.
const AWKWARD: [&str; 12] = [
    "null",
    "-1",
    "1e999",
    "NaN",
    "\"x\"",
    "\"<script>alert(1)</script>\"",
    "[]",
    "{}",
    "true",
    "18446744073709551616",
    "0.5",
    "99",
];

fn cluster(rng: &mut SimRng) -> Cluster {
    let nodes = 1 + rng.below(20) as u8;
    with_links(Cluster {
        nodes,
        link: LinkConfig {
            latency_us: rng.up_to(200_000),
            jitter_us: rng.up_to(50_000),
            loss: rng.below(120) as f64 / 100.0,
            duplication: rng.below(120) as f64 / 100.0,
        },
        clocks: if rng.chance(0.5) {
            Vec::new()
        } else {
            (0..rng.up_to(u64::from(nodes) + 1))
                .map(|_| ClockConfig {
                    offset_us: rng.below(2_000_000) as i64 - 1_000_000,
                    drift_ppm: rng.below(2_000) as i32 - 1_000,
                    uncertainty_us: rng.up_to(10_000),
                })
                .collect()
        },
        duration_us: rng.up_to(3_000_000),
        links: Vec::new(),
    })
}

/// Links of its own for some clusters, made from values already drawn (so the rest of the case
/// stays as it was): valid, naming a node the cluster lacks, or a node to itself.
fn with_links(mut cluster: Cluster) -> Cluster {
    let to = match cluster.duration_us % 4 {
        0 => return cluster,
        1 => NodeId(cluster.nodes),
        2 => NodeId(0),
        _ => NodeId(cluster.nodes - 1),
    };
    cluster.links.push(faultline::sim::LinkSetting {
        from: NodeId(0),
        to,
        config: cluster.link,
    });
    cluster
}

/// A run that may or may not make sense: real presets, plausible and absurd faults.
fn shared_run(rng: &mut SimRng) -> SharedRun {
    let presets = scenarios::all();
    let scenario = presets[rng.below(presets.len() as u64) as usize].id.clone();
    let faults = (0..rng.up_to(6))
        .map(|k| LoggedCommand {
            after_step: k * 10 + rng.up_to(20),
            after_pops: k * 10 + rng.up_to(20),
            at_time: k * 1_000,
            command: match rng.below(6) {
                0 => Command::Pause {
                    node: NodeId(rng.below(20) as u8),
                },
                1 => Command::CutLink {
                    from: NodeId(rng.below(6) as u8),
                    to: NodeId(rng.below(6) as u8),
                },
                // Odd nodes lose power, even ones crash: both kinds, with no extra draw.
                2 => match NodeId(rng.below(6) as u8) {
                    node if node.0 % 2 == 0 => Command::Crash { node },
                    node => Command::CrashLosingUnsynced { node },
                },
                3 => Command::NtpStep {
                    node: NodeId(rng.below(6) as u8),
                    delta_us: rng.below(1 << 40) as i64 - (1 << 39),
                },
                4 => Command::Flood {
                    node: NodeId(rng.below(6) as u8),
                    duration_us: rng.below(1 << 40),
                },
                _ => Command::HealAll,
            },
        })
        .collect();
    SharedRun {
        scenario,
        fix: rng.chance(0.5),
        seed: rng.next_u64(),
        faults,
        step: rng.up_to(5_000),
        moment: if rng.chance(0.5) {
            Moment::default()
        } else {
            Moment {
                furthest: rng.up_to(6_000),
                now_us: if rng.chance(0.1) {
                    u64::MAX
                } else {
                    rng.up_to(70_000_000)
                },
                shown_us: rng.up_to(70_000_000),
            }
        },
        cluster: rng.chance(0.5).then(|| cluster(rng)),
        resumes: (0..rng.up_to(2))
            .map(|_| TimedResume {
                node: NodeId(rng.below(20) as u8),
                at_us: rng.up_to(10_000_000),
            })
            .collect(),
        custom: rng.chance(0.3).then(|| Box::new(custom_scenario(rng))),
        hunt: rng.chance(0.2).then(|| hunt_settings(rng)),
        compare: match rng.below(4) {
            0 => None,
            1 => Some(Comparison::Fix),
            2 => Some(Comparison::Unbroken),
            _ => Some(Comparison::Seed(rng.next_u64())),
        },
        challenge: rng.chance(0.2).then(|| {
            let all = faultline::challenge::builtin();
            let mut challenge = all[rng.below(all.len() as u64) as usize].clone();
            challenge.faults = rng.up_to(25) as u32;
            challenge.limit_us = rng.up_to(70_000_000);
            Box::new(challenge)
        }),
    }
}

/// Hunt settings that may be fine or break any limit: no kinds or a kind twice, no faults or
/// too many, no schedules or too many.
fn hunt_settings(rng: &mut SimRng) -> Settings {
    let mut kinds: Vec<FaultKind> = FAULT_KINDS
        .iter()
        .copied()
        .filter(|_| rng.chance(0.5))
        .collect();
    if rng.chance(0.05) {
        kinds.push(FaultKind::Pause);
    }
    Settings {
        kinds,
        max_faults: rng.up_to(24) as u32,
        schedules: if rng.chance(0.1) {
            rng.up_to(u64::from(u32::MAX)) as u32
        } else {
            rng.up_to(3) as u32
        },
        seed: rng.next_u64(),
    }
}

/// A timing that may be fine, tiny, zero or absurd.
fn awkward_timing(rng: &mut SimRng) -> u64 {
    match rng.below(4) {
        0 => 0,
        1 => rng.up_to(2_000),
        2 => rng.up_to(1_000_000),
        _ => u64::MAX,
    }
}

/// A preset with its timings, length and texts replaced by awkward ones.
fn custom_scenario(rng: &mut SimRng) -> Scenario {
    let presets = scenarios::all();
    let mut scenario = presets[rng.below(presets.len() as u64) as usize].clone();
    scenario.id = pick(rng, &["mine", "", "<b>x</b>"]).to_string();
    scenario.title = pick(rng, &["Mine", "<script>alert(1)</script>"]).to_string();
    scenario.duration_us = rng.up_to(3_000_000);
    match &mut scenario.model {
        ModelSpec::Election { params, .. } => {
            params.heartbeat_us = awkward_timing(rng);
            params.election_timeout_us = awkward_timing(rng);
        }
        ModelSpec::Lock { params, .. } => params.lease_us = awkward_timing(rng),
        ModelSpec::Register { params, .. } => {
            params.anti_entropy_us = awkward_timing(rng);
            params.clock_check = Some(faultline::models::register::ClockCheck {
                bound_us: awkward_timing(rng),
                every_us: awkward_timing(rng),
            });
        }
        ModelSpec::Heartbeats { params, .. } => params.period_us = awkward_timing(rng),
        ModelSpec::Stopwatch { params, .. } => params.work_us = awkward_timing(rng),
        ModelSpec::Generals { params, .. } => {
            params.traitor = Some(NodeId(rng.below(20) as u8));
            params.round_us = awkward_timing(rng);
        }
        ModelSpec::Server { params, .. } => {
            params.max_attempts = rng.below(40) as u8;
            params.servers = rng.below(8) as u8;
            params.queue = Some(faultline::models::server::Queue {
                service_us: awkward_timing(rng),
                limit: rng.below(30) as u16,
            });
            params.failover_after = Some(rng.below(4) as u8);
            params.backoff = Some(faultline::models::server::Backoff {
                base_us: awkward_timing(rng),
                cap_us: awkward_timing(rng),
            });
            params.breaker = Some(faultline::models::server::Breaker {
                after: rng.below(4) as u8,
                open_us: awkward_timing(rng),
            });
        }
        ModelSpec::Logging { .. } | ModelSpec::TrueTime { .. } => {}
    }
    scenario
}

fn pack(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    format!("v{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

fn link(rng: &mut SimRng) -> String {
    match rng.below(8) {
        // A fault of the right kind with a wrong value, or of a kind there is not.
        7 => pack(&format!(
            r#"{{"scenario":"split-brain","fix":false,"seed":1,"faults":[{{"after_step":1,"after_pops":1,"at_time":0,"command":{{"kind":{},"{}":{}}}}}],"step":0}}"#,
            pick(
                rng,
                &[
                    "\"pause\"",
                    "\"explode\"",
                    "7",
                    "\"set_link\"",
                    "\"partition\"",
                    "\"client\""
                ]
            ),
            pick(rng, &["node", "from", "groups", "config", "delta_us", "op"]),
            pick(rng, &AWKWARD),
        )),
        0 => text(rng, 300),
        1 => format!(
            "v{LINK_VERSION}.{}",
            URL_SAFE_NO_PAD.encode(bytes(rng, 300))
        ),
        2 => {
            let packed = miniz_oxide::deflate::compress_to_vec(&bytes(rng, 300), 6);
            format!("v{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
        }
        // Right keys, wrong values.
        3 => pack(&format!(
            r#"{{"scenario":{},"fix":{},"seed":{},"faults":{},"step":{},"cluster":{},"hunt":{}}}"#,
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD),
        )),
        // A valid link cut short or with characters changed.
        4 => {
            let link = share::encode(&shared_run(rng));
            let keep = rng.up_to(link.len() as u64) as usize;
            link[..keep].to_string()
        }
        5 => {
            let mut link = share::encode(&shared_run(rng)).into_bytes();
            for _ in 0..=rng.below(4) {
                let at = rng.below(link.len() as u64) as usize;
                link[at] = b"AZaz09-_.#%"[rng.below(11) as usize];
            }
            String::from_utf8_lossy(&link).into_owned()
        }
        _ => {
            if rng.chance(0.5) {
                format!(
                    "v{}.{}",
                    rng.below(1000),
                    URL_SAFE_NO_PAD.encode(bytes(rng, 60))
                )
            } else {
                format!(
                    "v{LINK_VERSION}.{}",
                    "A".repeat(60_000 + rng.below(20_000) as usize)
                )
            }
        }
    }
}

fn run_file(rng: &mut SimRng) -> String {
    let valid = share::to_json(&shared_run(rng));
    match rng.below(5) {
        0 => text(rng, 400),
        1 => {
            let keep = rng.up_to(valid.len() as u64) as usize;
            valid.get(..keep).unwrap_or_default().to_string()
        }
        2 => {
            // A value replaced by an awkward one.
            let mut parts: Vec<&str> = valid.split(": ").collect();
            if parts.len() > 2 {
                let at = 1 + rng.below(parts.len() as u64 - 1) as usize;
                let tail = parts[at].find([',', '\n']).map_or("", |i| &parts[at][i..]);
                let replaced = format!("{}{}", pick(rng, &AWKWARD), tail);
                let mut text = parts[..at].join(": ");
                text.push_str(": ");
                text.push_str(&replaced);
                for part in &parts[at + 1..] {
                    text.push_str(": ");
                    text.push_str(part);
                }
                return text;
            }
            parts.pop();
            parts.join(": ")
        }
        3 => format!(
            r#"{{"format":{},"version":{},"run":{}}}"#,
            pick(rng, &["\"faultline-run\"", "\"other\"", "1", "null"]),
            pick(rng, &AWKWARD),
            pick(rng, &AWKWARD)
        ),
        _ => valid,
    }
}

fn host_message(rng: &mut SimRng) -> String {
    let kinds = [
        "\"faultline:play\"",
        "\"faultline:pause\"",
        "\"faultline:step\"",
        "\"faultline:seek\"",
        "\"faultline:load\"",
        "\"faultline:set-fix\"",
        "\"faultline:nope\"",
        "\"other\"",
        "7",
    ];
    let keys = [
        "count", "step", "scenario", "fix", "seed", "enabled", "type",
    ];
    match rng.below(3) {
        0 => text(rng, 200),
        _ => {
            let mut json = format!(r#"{{"type":{}"#, pick(rng, &kinds));
            for _ in 0..rng.up_to(3) {
                json.push_str(&format!(
                    r#","{}":{}"#,
                    pick(rng, &keys),
                    pick(rng, &AWKWARD)
                ));
            }
            json.push('}');
            json
        }
    }
}

fn query(rng: &mut SimRng) -> String {
    let keys = [
        "embed", "scenario", "step", "autoplay", "theme", "panels", "origin", "speed", "fix", "x",
        "",
    ];
    let values = [
        "1",
        "true",
        "-3",
        "99999999999999999999999",
        "dark",
        "narration,inspector",
        "https%3A%2F%2Fa.org",
        "%ZZ",
        "%F0%9F",
        "javascript:alert(1)",
        "",
    ];
    let mut query = "?".to_string();
    for _ in 0..rng.up_to(6) {
        query.push_str(&format!("{}={}&", pick(rng, &keys), pick(rng, &values)));
    }
    if rng.chance(0.2) {
        query.push_str(&text(rng, 80));
    }
    query
}

fn cluster_form(rng: &mut SimRng) -> String {
    let values = [
        "5", "16", "17", "0", "-1", "2.5", "NaN", "inf", "1e308", "", " 7 ", "abc", "100", "60",
        "0.05", "1e-9",
    ];
    (0..6)
        .map(|_| pick(rng, &values).to_string())
        .collect::<Vec<_>>()
        .join("|")
}

/// A JSON value for an awkward literal (`NaN` and `1e999` are not JSON: they go in as text
/// marked to be put back raw, see [`raw_awkward`]).
fn awkward_value(rng: &mut SimRng) -> Value {
    let text = pick(rng, &AWKWARD);
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(format!("@@{text}@@")))
}

/// JSON text with the marked awkward literals put back as written.
fn raw_awkward(json: String) -> String {
    let mut json = json;
    for text in AWKWARD {
        json = json.replace(&format!("\"@@{text}@@\""), text);
    }
    json
}

/// A field of `object` chosen at random (`None` when it is not an object or has none).
fn some_key(rng: &mut SimRng, object: &Value) -> Option<String> {
    let keys: Vec<&String> = object.as_object()?.keys().collect();
    (!keys.is_empty()).then(|| keys[rng.below(keys.len() as u64) as usize].clone())
}

/// A preset saved as a scenario file ("Save the scenario"), then edited badly by hand.
fn scenario_file(rng: &mut SimRng) -> String {
    let presets = scenarios::all();
    let scenario = presets[rng.below(presets.len() as u64) as usize].clone();
    let mut run = SharedRun::new(scenario.id.clone(), false, scenario.config.seed);
    run.custom = Some(Box::new(scenario));
    let mut file: Value = serde_json::from_str(&share::to_json(&run)).expect("a run file");
    let custom = &mut file["run"]["custom"];
    match rng.below(8) {
        0 => custom["model"]["model"] = serde_json::json!(pick(rng, &["paxos", "Lock", ""])),
        1 => {
            if let Some(key) = some_key(rng, &custom["model"]["params"]) {
                custom["model"]["params"]
                    .as_object_mut()
                    .map(|o| o.remove(&key));
            }
        }
        2 => {
            let at = pick(rng, &["view", "prediction", "fix", "model"]);
            custom[at][pick(rng, &["colour", "titel", "{x}"])] = serde_json::json!(1);
        }
        3 => {
            if let Some(key) = some_key(rng, custom) {
                custom[key] = awkward_value(rng);
            }
        }
        4 => {
            if let Some(key) = some_key(rng, &custom["model"]["params"]) {
                custom["model"]["params"][key] = awkward_value(rng);
            }
        }
        5 => {
            // A script step: its command of an unknown kind, a field of the wrong type, or a
            // client request whose operation is wrong.
            let step = &mut custom["model"]["script"][0];
            if step.is_object() {
                let command = &mut step["command"];
                match rng.below(3) {
                    0 => command["kind"] = serde_json::json!("explode"),
                    1 => {
                        if let Some(key) = some_key(rng, command) {
                            command[key] = awkward_value(rng);
                        }
                    }
                    _ => {
                        if command["op"].is_object() {
                            if let Some(key) = some_key(rng, &command["op"]) {
                                command["op"][key] = awkward_value(rng);
                            }
                        } else {
                            command["op"] = awkward_value(rng);
                        }
                    }
                }
            }
        }
        6 => {
            if let Some(key) = some_key(rng, custom) {
                custom.as_object_mut().map(|o| o.remove(&key));
            }
        }
        _ => {
            let text = share::indent(&file.to_string());
            let keep = rng.up_to(text.len() as u64) as usize;
            return text.get(..keep).unwrap_or_default().to_string();
        }
    }
    raw_awkward(share::indent(&file.to_string()))
}

/// A seed as someone might type it.
fn seed(rng: &mut SimRng) -> String {
    let seeds = [
        "42",
        "",
        "  ",
        "-1",
        "abc",
        "1_000",
        "4.2",
        "0x10",
        "18446744073709551616",
        "١٢",
        "7 7",
    ];
    pick(rng, &seeds).to_string()
}

/// A hunt panel field and what was typed in it.
fn hunt_form_input(rng: &mut SimRng) -> String {
    let field = pick(rng, &["faults", "schedules", "seed", "kinds"]);
    let text = pick(
        rng,
        &[
            "8", "0", "21", "100000", "100001", "1,000", "-3", "abc", "", "2.5", "1_000",
        ],
    );
    format!("{field}|{text}")
}

/// The next hostile case. Replays are about 1 in 50: each runs a simulation.
pub fn case(rng: &mut SimRng) -> Case {
    let (decoder, input) = match rng.below(50) {
        0..=12 => (Decoder::Link, link(rng)),
        13..=21 => (Decoder::RunFile, run_file(rng)),
        22..=26 => (Decoder::ScenarioFile, scenario_file(rng)),
        27..=35 => (Decoder::HostMessage, host_message(rng)),
        36..=41 => (Decoder::Query, query(rng)),
        42..=46 => (Decoder::ClusterForm, cluster_form(rng)),
        47 => (Decoder::Seed, seed(rng)),
        48 => (Decoder::HuntForm, hunt_form_input(rng)),
        _ => (Decoder::Replay, share::encode(&shared_run(rng))),
    };
    Case { decoder, input }
}
