//! Share links: exact round trips, and decoders that refuse garbage with a reason, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use faultline::hunt;
use faultline::scenarios::{self, Cluster, MAX_DURATION_US, MIN_DURATION_US};
use faultline::share::{
    decode, encode, from_json, to_json, Comparison, LinkError, Moment, SharedRun, TimedResume,
    MAX_FAULTS, MAX_LINK_CHARS,
};
use faultline::sim::{
    canonical_decimal, ClockConfig, Command, LinkConfig, LinkSetting, LoggedCommand, MsgId, NodeId,
    MAX_DRIFT_PPM, MAX_LATENCY_US, MAX_NODES, MAX_OFFSET_US, MAX_UNCERTAINTY_US,
};
use proptest::prelude::*;

fn command() -> impl Strategy<Value = Command<()>> {
    let node = (0u8..16).prop_map(NodeId);
    prop_oneof![
        (node.clone(), node.clone()).prop_map(|(from, to)| Command::CutLink { from, to }),
        (node.clone(), node.clone()).prop_map(|(a, b)| Command::HealBoth { a, b }),
        node.clone().prop_map(|node| Command::Pause { node }),
        node.clone().prop_map(|node| Command::Crash { node }),
        node.clone()
            .prop_map(|node| Command::CrashLosingUnsynced { node }),
        (node.clone(), any::<u64>())
            .prop_map(|(node, duration_us)| Command::Flood { node, duration_us }),
        (node.clone(), any::<i64>())
            .prop_map(|(node, offset_us)| Command::SetClockOffset { node, offset_us }),
        (node.clone(), any::<i32>())
            .prop_map(|(node, drift_ppm)| Command::SetDrift { node, drift_ppm }),
        (node.clone(), any::<i64>())
            .prop_map(|(node, delta_us)| Command::NtpStep { node, delta_us }),
        any::<u32>().prop_map(|m| Command::DropMessage { msg: MsgId(m) }),
        prop::collection::vec(prop::collection::vec(node, 0..4), 0..3)
            .prop_map(|groups| Command::Partition { groups }),
        Just(Command::HealAll),
    ]
}

/// Any cluster the simulator accepts.
fn cluster() -> impl Strategy<Value = Cluster> {
    let clock = (
        -MAX_OFFSET_US..=MAX_OFFSET_US,
        -MAX_DRIFT_PPM..=MAX_DRIFT_PPM,
        0..=MAX_UNCERTAINTY_US,
    )
        .prop_map(|(offset_us, drift_ppm, uncertainty_us)| ClockConfig {
            offset_us,
            drift_ppm,
            uncertainty_us,
        });
    (
        1u8..=MAX_NODES as u8,
        0..=MAX_LATENCY_US,
        0..=MAX_LATENCY_US,
        0.0f64..=1.0,
        0.0f64..=1.0,
        prop::collection::vec(clock, MAX_NODES),
        any::<bool>(),
        MIN_DURATION_US..=MAX_DURATION_US,
        prop::collection::vec(
            (0u8..MAX_NODES as u8, 1u8..MAX_NODES as u8, 0.0f64..=1.0),
            0..4,
        ),
    )
        .prop_map(
            |(
                nodes,
                latency_us,
                jitter_us,
                loss,
                duplication,
                clocks,
                perfect,
                duration_us,
                own,
            )| {
                // Links of their own: distinct directions between nodes the cluster has.
                let mut links: Vec<LinkSetting> = Vec::new();
                for (from, step, p) in own {
                    let from = from % nodes;
                    let to = (from + step) % nodes;
                    if from != to && !links.iter().any(|l| (l.from.0, l.to.0) == (from, to)) {
                        links.push(LinkSetting {
                            from: NodeId(from),
                            to: NodeId(to),
                            // Settings as Faultline keeps them, to 12 decimal places: every
                            // way in rounds them so (`sim::canonical_decimal`).
                            config: LinkConfig {
                                latency_us,
                                jitter_us,
                                loss: canonical_decimal(p),
                                duplication: canonical_decimal(1.0 - p),
                            },
                        });
                    }
                }
                Cluster {
                    nodes,
                    link: LinkConfig {
                        latency_us,
                        jitter_us,
                        loss: canonical_decimal(loss),
                        duplication: canonical_decimal(duplication),
                    },
                    clocks: if perfect {
                        Vec::new()
                    } else {
                        clocks[..nodes as usize].to_vec()
                    },
                    duration_us,
                    links,
                }
            },
        )
}

fn shared_run() -> impl Strategy<Value = SharedRun> {
    let action = (any::<u64>(), any::<u64>(), any::<u64>(), command()).prop_map(
        |(after_step, after_pops, at_time, command)| LoggedCommand {
            after_step,
            after_pops,
            at_time,
            command,
        },
    );
    (
        "[a-z0-9<>\"'& -]{0,24}",
        any::<bool>(),
        any::<u64>(),
        prop::collection::vec(action, 0..20),
        0u64..2_000_000,
        prop::option::of(cluster()),
        prop::collection::vec(
            (0u8..16, any::<u64>()).prop_map(|(node, at_us)| TimedResume {
                node: NodeId(node),
                at_us,
            }),
            0..3,
        ),
        // A whole scenario of one's own: each preset, as data, with other links and clocks.
        prop::option::of((0..scenarios::all().len(), cluster())),
        (0u64..2_000_000, any::<u64>(), any::<u64>()).prop_map(|(furthest, now_us, shown_us)| {
            Moment {
                furthest,
                now_us,
                shown_us,
            }
        }),
        // A hunt's run: any allowed kinds, every limit in range, any seed.
        prop::option::of(
            (1u32..512, 1u32..=20, 1u32..=100_000, any::<u64>()).prop_map(
                |(mask, max_faults, schedules, seed)| hunt::Settings {
                    kinds: hunt::FAULT_KINDS
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask >> i & 1 == 1)
                        .map(|(_, kind)| *kind)
                        .collect(),
                    max_faults,
                    schedules,
                    seed,
                },
            ),
        ),
    )
        .prop_map(
            |(scenario, fix, seed, faults, step, cluster, resumes, custom, moment, hunt)| {
                SharedRun {
                    hunt,
                    compare: match seed % 4 {
                        0 => None,
                        1 => Some(Comparison::Fix),
                        2 => Some(Comparison::Unbroken),
                        _ => Some(Comparison::Seed(seed / 3)),
                    },
                    challenge: None,
                    scenario,
                    fix,
                    seed,
                    faults,
                    step,
                    moment,
                    cluster,
                    resumes,
                    custom: custom.map(|(index, cluster)| {
                        let preset = scenarios::all().swap_remove(index);
                        let cluster = Cluster {
                            duration_us: preset.duration_us,
                            ..cluster.with_nodes(preset.config.nodes)
                        };
                        let mut own = preset.customised(&cluster).expect("a valid cluster");
                        own.title = format!("My {}", own.title);
                        Box::new(own)
                    }),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn links_round_trip_exactly(run in shared_run()) {
        let link = encode(&run);
        prop_assert!(link.starts_with("v1."));
        prop_assert!(link.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "{link}");
        prop_assert_eq!(decode(&link), Ok(run.clone()));
        prop_assert_eq!(decode(&format!("#{link}")), Ok(run));
    }

    #[test]
    fn run_files_round_trip_exactly(run in shared_run()) {
        let json = to_json(&run);
        prop_assert!(json.contains("\"format\": \"faultline-run\""));
        prop_assert_eq!(from_json(&json), Ok(run));
    }

    #[test]
    fn arbitrary_text_is_refused_without_a_panic(text in ".{0,300}") {
        let _ = decode(&text);
        prop_assert!(from_json(&text).is_err() || text.contains("faultline-run"));
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_prefix_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert!(decode(&link).is_err());
        let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 6);
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(packed));
        prop_assert!(decode(&link).is_err(), "random bytes are not a run");
    }

    #[test]
    fn a_cut_short_link_is_refused(run in shared_run(), keep in 0.0f64..1.0) {
        let link = encode(&run);
        let cut = ((link.len() as f64) * keep) as usize;
        if cut < link.len() {
            prop_assert!(decode(&link[..cut]).is_err());
        }
    }
}

fn pack(json: &str) -> String {
    format!(
        "v1.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6))
    )
}

#[test]
fn every_refusal_names_what_is_wrong() {
    let cases: Vec<(String, LinkError, &str)> = vec![
        (String::new(), LinkError::Empty, "no run"),
        ("#hello".into(), LinkError::NotALink, "not a Faultline run"),
        (
            "v9.abc".into(),
            LinkError::UnknownVersion("v9".into()),
            "format v9",
        ),
        ("v1.***".into(), LinkError::NotBase64, "damaged"),
        ("v1.AAAA".into(), LinkError::NotCompressed, "cut short"),
        (
            "v1.".to_string() + &"A".repeat(MAX_LINK_CHARS),
            LinkError::TooLong {
                chars: MAX_LINK_CHARS + 3,
            },
            "limited to",
        ),
    ];
    for (link, error, words) in cases {
        let refused = decode(&link).unwrap_err();
        assert_eq!(refused, error, "{link:.40}");
        assert!(refused.to_string().contains(words), "{refused}");
    }
    let nan = pack(r#"{"scenario":"x","fix":false,"seed":NaN,"faults":[],"step":0}"#);
    assert_eq!(
        decode(&nan),
        Err(LinkError::Malformed(
            "the link's text is not Faultline data: it is cut short or damaged (near seed)".into()
        ))
    );
    let negative = pack(r#"{"scenario":"x","fix":false,"seed":-1,"faults":[],"step":0}"#);
    assert_eq!(
        decode(&negative).unwrap_err().to_string(),
        "seed should be a whole number (0 or more), not -1"
    );
    let extra = pack(r#"{"scenario":"x","fix":false,"seed":1,"faults":[],"step":0,"nodes":99}"#);
    assert!(decode(&extra)
        .unwrap_err()
        .to_string()
        .starts_with("the link's data has no field “nodes”; its fields are scenario, fix,"));
    let far = pack(r#"{"scenario":"x","fix":false,"seed":1,"faults":[],"step":99999999999}"#);
    assert_eq!(decode(&far), Err(LinkError::StepTooFar(99_999_999_999)));
    // Where the run stood: a furthest step beyond the limit, or a field it does not have.
    let furthest = pack(
        r#"{"scenario":"x","fix":false,"seed":1,"faults":[],"step":3,"moment":{"furthest":99999999999}}"#,
    );
    assert_eq!(
        decode(&furthest),
        Err(LinkError::StepTooFar(99_999_999_999))
    );
    let odd =
        pack(r#"{"scenario":"x","fix":false,"seed":1,"faults":[],"step":3,"moment":{"later":1}}"#);
    let refused = decode(&odd).unwrap_err().to_string();
    assert_eq!(
        refused,
        "moment has no field “later”; its fields are furthest, now_us or shown_us"
    );
    let ended = pack(
        r#"{"scenario":"x","fix":false,"seed":1,"faults":[],"step":40,"moment":{"now_us":18000000}}"#,
    );
    assert_eq!(decode(&ended).unwrap().moment.now_us, 18_000_000);
    // What the run is compared with: one of three, said as written; a seed a whole number.
    for (compare, expected) in [
        (r#""fix""#, Comparison::Fix),
        (r#""unbroken""#, Comparison::Unbroken),
        (r#"{"seed":7}"#, Comparison::Seed(7)),
    ] {
        let link = pack(&format!(
            r#"{{"scenario":"x","fix":false,"seed":1,"faults":[],"step":0,"compare":{compare}}}"#
        ));
        assert_eq!(decode(&link).unwrap().compare, Some(expected));
    }
    for (compare, field) in [(r#""sideways""#, "compare"), (r#"{"seed":-2}"#, "compare")] {
        let link = pack(&format!(
            r#"{{"scenario":"x","fix":false,"seed":1,"faults":[],"step":0,"compare":{compare}}}"#
        ));
        let refused = decode(&link).unwrap_err().to_string();
        assert!(refused.contains(field), "{refused}");
        assert!(!refused.contains("variant `"), "plain words: {refused}");
    }
}

/// A link written by the first release (before clusters could be customised). Links in old
/// blog posts must keep opening: this one is frozen here, never re-generated.
const FIRST_RELEASE_LINK: &str = "v1.q1YqTk7NSyzKzFeyUiouyMks0U0qSszMU9JRSsusULJKS8wpTtVRKk5NTVGyMgcKJpbmlBQrWUXHAgVLUguUrEyMagE";

#[test]
fn links_from_the_first_release_still_open() {
    let run = decode(FIRST_RELEASE_LINK).expect("an old link opens");
    assert_eq!(run.scenario, "split-brain");
    assert_eq!((run.fix, run.seed, run.step), (false, 7, 42));
    assert_eq!(run.cluster, None);
}

#[test]
fn a_compression_bomb_stops_at_the_limit() {
    let zeros = vec![b' '; 8 << 20];
    let bomb = format!(
        "v1.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&zeros, 9))
    );
    assert!(bomb.len() < MAX_LINK_CHARS, "the bomb fits in a link");
    assert_eq!(decode(&bomb), Err(LinkError::TooLarge));
}

#[test]
fn the_largest_run_allowed_fits_a_link_and_a_file() {
    let faults = (0..MAX_FAULTS as u64)
        .map(|k| LoggedCommand {
            after_step: 1_000_000 + k * 37,
            after_pops: 1_000_000 + k * 41,
            at_time: 12_345_678 + k * 997,
            command: Command::SetLink {
                from: NodeId(3),
                to: NodeId(12),
                config: LinkConfig {
                    latency_us: 123_456 + k,
                    jitter_us: 7_890,
                    loss: 0.123_456_789,
                    duplication: 0.05,
                },
            },
        })
        .collect();
    let run = SharedRun {
        scenario: "truetime-commit-wait".into(),
        fix: true,
        seed: u64::MAX,
        faults,
        step: 2_000_000,
        moment: Moment::default(),
        cluster: None,
        resumes: vec![
            TimedResume {
                node: NodeId(15),
                at_us: u64::MAX,
            };
            MAX_NODES
        ],
        custom: None,
        hunt: Some(hunt::Settings {
            kinds: hunt::FAULT_KINDS.to_vec(),
            max_faults: hunt::MAX_FAULTS,
            schedules: hunt::MAX_SCHEDULES,
            seed: u64::MAX,
        }),
        compare: Some(Comparison::Seed(u64::MAX)),
        challenge: None,
    };
    let link = encode(&run);
    assert!(link.len() <= MAX_LINK_CHARS, "link of {} chars", link.len());
    assert_eq!(decode(&link), Ok(run.clone()));
    let file = to_json(&run);
    assert!(file.len() <= 1 << 20, "file of {} bytes", file.len());
    assert_eq!(from_json(&file), Ok(run));
}

#[test]
fn malformed_faults_are_refused_with_where_and_why() {
    let run = |fault: &str| {
        pack(&format!(
            r#"{{"scenario":"sandbox","fix":false,"seed":1,"faults":[{fault}],"step":0}}"#
        ))
    };
    let cases = [
        (
            r#"{"after_step":1,"after_pops":1,"at_time":0,"command":{"kind":"explode"}}"#,
            "faults[0].command.kind should be one of “cut_link”, “heal_link”,",
        ),
        (
            r#"{"after_step":1,"after_pops":1,"at_time":0,"command":{"kind":"client","node":0,"op":5}}"#,
            "faults[0].command.op should be one of the names Faultline knows, not 5",
        ),
        (
            r#"{"after_step":-1,"after_pops":1,"at_time":0,"command":{"kind":"heal_all"}}"#,
            "faults[0].after_step should be a whole number (0 or more), not -1",
        ),
    ];
    for (fault, words) in cases {
        let refused = decode(&run(fault)).unwrap_err().to_string();
        assert!(refused.contains(words), "{fault} → {refused}");
    }
}

#[test]
fn too_many_faults_are_refused() {
    let run = SharedRun {
        scenario: "sandbox".into(),
        fix: false,
        seed: 1,
        faults: vec![
            LoggedCommand {
                after_step: 1,
                after_pops: 1,
                at_time: 0,
                command: Command::HealAll,
            };
            MAX_FAULTS + 1
        ],
        step: 0,
        moment: Moment::default(),
        cluster: None,
        resumes: Vec::new(),
        custom: None,
        hunt: None,
        compare: None,
        challenge: None,
    };
    assert_eq!(
        decode(&encode(&run)),
        Err(LinkError::TooManyFaults(MAX_FAULTS + 1))
    );
    // Timed pauses are counted as what they are, in links and files alike.
    let paused = SharedRun {
        faults: Vec::new(),
        resumes: vec![
            TimedResume {
                node: NodeId(0),
                at_us: 1,
            };
            MAX_NODES + 1
        ],
        ..run
    };
    let refused = decode(&encode(&paused)).unwrap_err();
    assert_eq!(refused, LinkError::TooManyResumes(MAX_NODES + 1));
    assert_eq!(
        refused.to_string(),
        format!(
            "the run carries {} timed pauses; at most one per node ({MAX_NODES})",
            MAX_NODES + 1
        )
    );
}

#[test]
fn a_scenario_whose_repeats_would_flood_the_run_is_refused_naming_the_step() {
    // A script step may stand for a regular run (`every_us`, `times`): a few bytes asking for a
    // billion steps are refused as they are read, the step named, before anything expands.
    let preset = scenarios::by_id("retry-storm").expect("a preset");
    let mut run = SharedRun::new(preset.id.clone(), false, preset.config.seed);
    run.custom = Some(Box::new(preset));
    let mut file: serde_json::Value = serde_json::from_str(&to_json(&run)).expect("a file");
    file["run"]["custom"]["model"]["script"] = serde_json::json!([
        {"at_us": 0, "command": {"kind": "pause", "node": 0}},
        {"at_us": 0, "every_us": 1, "times": 1_000_000_000u64,
         "command": {"kind": "client", "node": 2, "op": "Get"}},
    ]);
    let refused = from_json(&file.to_string()).unwrap_err().to_string();
    assert_eq!(
        refused,
        "run.custom.model.script[1].times: the script would have at least 1000000001 steps, its \
         repeats expanded; at most 5000"
    );
}

#[test]
fn hostile_run_files_are_refused_with_a_reason() {
    let run = r#""run":{"scenario":"sandbox","fix":false,"seed":1,"faults":[],"step":0}"#;
    let cases = [
        ("", "no run"),
        ("{}", "format is missing"),
        // A list where named values belong is read in order: its first value is the format.
        ("[1,2,3]", "[0] should be text in quotes, not 1"),
        (
            r#"{"format":"other","version":1,"#,
            "the file is cut short or damaged, or it is not Faultline data (look at line 1, \
             character 30)",
        ),
        (
            &format!(r#"{{"format":"other","version":1,{run}}}"#)[..],
            "not a Faultline run",
        ),
        (
            &format!(r#"{{"format":"faultline-run","version":2,{run}}}"#)[..],
            "format v2",
        ),
        (
            r#"{"format":"faultline-run","version":1,"run":{"scenario":"x","fix":false,"seed":NaN,"faults":[],"step":0}}"#,
            "the file is cut short or damaged, or it is not Faultline data (look at line 1, \
             character 80, in run.seed)",
        ),
        (
            r#"{"format":"faultline-run","version":1,"run":{"scenario":"x","fix":false,"seed":1,"faults":[],"step":-5}}"#,
            "run.step should be a whole number (0 or more), not -5",
        ),
    ];
    for (text, words) in cases {
        let refused = from_json(text).unwrap_err().to_string();
        assert!(refused.contains(words), "{text:.60} → {refused}");
    }
    // Impossible clusters name the setting at fault, in a file and in a link alike.
    let link = r#"{"latency_us":20000,"jitter_us":0,"loss":0.0,"duplication":0.0}"#;
    let clusters = [
        (
            format!(r#"{{"nodes":99,"link":{link},"duration_us":1000000}}"#),
            "99 nodes requested; a cluster has 1 to 16 nodes",
        ),
        (
            format!(r#"{{"nodes":300,"link":{link},"duration_us":1000000}}"#),
            "run.cluster.nodes should be a whole number from 0 to 255, not 300",
        ),
        (
            r#"{"nodes":3,"link":{"latency_us":-5,"jitter_us":0,"loss":0.0,"duplication":0.0},"duration_us":1000000}"#.to_string(),
            "run.cluster.link.latency_us should be a whole number of microseconds (0 or more), \
             not -5",
        ),
        (
            r#"{"nodes":3,"link":{"latency_us":5,"jitter_us":0,"loss":NaN,"duplication":0.0},"duration_us":1000000}"#.to_string(),
            "run.cluster.link.loss",
        ),
        (
            r#"{"nodes":3,"link":{"latency_us":5,"jitter_us":0,"loss":2.5,"duplication":0.0},"duration_us":1000000}"#.to_string(),
            "loss probability",
        ),
        (
            format!(r#"{{"nodes":3,"link":{link},"duration_us":999000000}}"#),
            "a run of 999 s was asked for",
        ),
    ];
    for (cluster, words) in clusters {
        let text = format!(
            r#"{{"format":"faultline-run","version":1,"run":{{"scenario":"sandbox","fix":false,"seed":1,"faults":[],"step":0,"cluster":{cluster}}}}}"#
        );
        let refused = from_json(&text).unwrap_err().to_string();
        assert!(refused.contains(words), "{cluster} → {refused}");
        let inner = text
            .split_once(r#""run":"#)
            .map(|(_, run)| &run[..run.len() - 1])
            .unwrap();
        let refused = decode(&pack(inner)).unwrap_err().to_string();
        let words = words.trim_start_matches("run.");
        assert!(refused.contains(words), "link {cluster} → {refused}");
    }
    let huge = format!(
        r#"{{"format":"faultline-run","version":1,"pad":"{}"}}"#,
        "x".repeat(10 << 20)
    );
    assert_eq!(
        from_json(&huge),
        Err(LinkError::TooLarge),
        "10 MB is refused before parsing"
    );
}
