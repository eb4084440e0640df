//! The preset scenarios, one per phenomenon in the source material, grouped by topic.
//!
//! The bundle carries each preset as data, its JSON in `presets/<id>.json`, read by the same
//! decoder as a scenario file: code that built 21 scenarios weighed more in the wasm than their
//! text does. The presets are written as Rust, one topic per file (`leadership.rs`, `leases.rs`…),
//! compiled only into the unit tests; `tests::the_preset_files_are_the_builders_output` checks
//! every file against its builder, byte for byte and read back (written with the regular runs of
//! its script as repeats, `script_json::with_repeats`), and
//! `FAULTLINE_BLESS=1 cargo test --lib scenarios::library` writes them again after a builder changes.

#[cfg(test)]
mod byzantine;
#[cfg(test)]
mod client_server;
#[cfg(test)]
mod clocks;
#[cfg(test)]
mod failure_detection;
#[cfg(test)]
mod leadership;
#[cfg(test)]
mod leases;
#[cfg(test)]
mod replication;
mod sandbox;
#[cfg(test)]
mod system_models;

use super::{Cluster, Narration, Scenario, Shown};
use crate::sim::{LinkConfig, Micros};

/// What every topic file needs: the scenario types, models, and the helpers below.
#[cfg(test)]
mod prelude {
    pub(super) use super::super::{
        Explains, Fix, ModelSpec, Narration, Prediction, Reveal, Scenario, Shown, View,
    };
    pub(super) use super::{answered_by, answered_on, at, explains, say, say_if, A, B, C, D, E};
    pub(super) use crate::detect::FindingKind;
    pub(super) use crate::models::election::{ClientOp, Election};
    pub(super) use crate::models::generals::{self, Generals, Order};
    pub(super) use crate::models::heartbeat::{Detector, Heartbeats};
    pub(super) use crate::models::lock::{self, LockService};
    pub(super) use crate::models::logging::{Logging, MergeBy};
    pub(super) use crate::models::register::{self, Register, Resolution};
    pub(super) use crate::models::server::{self, Server};
    pub(super) use crate::models::stopwatch::Stopwatch;
    pub(super) use crate::models::truetime::{self, TrueTime};
    pub(super) use crate::sim::{
        ClockConfig, Command, LinkConfig, LinkSetting, Micros, NodeId, Scheduled, SimConfig, SimRng,
    };
}

#[cfg(test)]
use prelude::{Command, Explains, FindingKind, NodeId, Scheduled};

#[cfg(test)]
pub(super) const A: NodeId = NodeId(0);
#[cfg(test)]
pub(super) const B: NodeId = NodeId(1);
#[cfg(test)]
pub(super) const C: NodeId = NodeId(2);
#[cfg(test)]
pub(super) const D: NodeId = NodeId(3);
#[cfg(test)]
pub(super) const E: NodeId = NodeId(4);

/// An event on any node whose words contain `says` answers the question.
#[cfg(test)]
pub(super) fn answered_by(says: &str) -> super::Reveal {
    super::Reveal {
        node: None,
        says: says.to_string(),
    }
}

/// An event on `node` whose words contain `says` answers the question.
#[cfg(test)]
pub(super) fn answered_on(node: NodeId, says: &str) -> super::Reveal {
    super::Reveal {
        node: Some(node),
        says: says.to_string(),
    }
}

/// The presets' files in teaching order, topic by topic as [`TOPICS`] lists them: id and JSON.
macro_rules! presets {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("presets/", $id, ".json")))),*]
    };
}
const PRESETS: &[(&str, &str)] = presets![
    // Unreliable networks
    "split-brain",
    "timeouts",
    "reordered-writes",
    "retry-double-charge",
    "lost-update",
    "delivery-semantics",
    "retry-storm",
    "seat-12a",
    // Unreliable clocks
    "lww-clock-skew",
    "siblings-kept",
    "clock-from-the-future",
    "wall-clock-log",
    "ntp-step-back",
    "slow-clock-lease",
    "truetime-commit-wait",
    // Process pauses
    "gc-pause-fencing",
    // Knowledge, truth and lies
    "majority-truth",
    "byzantine-generals",
    // System models
    "crash-amnesia",
    "bounded-delay",
    // Free play
    "sandbox",
];

/// A preset's file read (the tests prove every one reads).
fn read(json: &str) -> Scenario {
    serde_json::from_slice(json.as_bytes()).expect("a preset reads")
}

/// Every preset, in teaching order: topic by topic, as [`TOPICS`] lists them.
pub fn all() -> Vec<Scenario> {
    PRESETS.iter().map(|(_, json)| read(json)).collect()
}

/// Every preset as its builder makes it, in teaching order: what the files hold.
#[cfg(test)]
fn built() -> Vec<Scenario> {
    vec![
        // Unreliable networks
        leadership::split_brain(),
        failure_detection::timeouts(),
        client_server::reordered_writes(),
        client_server::retry_charges_twice(),
        client_server::lost_update(),
        client_server::delivery_semantics(),
        client_server::retry_storm(),
        replication::seat_double_booked(),
        // Unreliable clocks
        replication::lww_clock_skew(),
        replication::siblings_kept(),
        replication::clock_from_the_future(),
        clocks::wall_clock_log_order(),
        clocks::ntp_step_back(),
        leases::expired_lease_slow_clock(),
        clocks::truetime_commit_wait(),
        // Process pauses
        leases::gc_pause_fencing(),
        // Knowledge, truth and lies
        leadership::majority_truth(),
        byzantine::byzantine_generals(),
        // System models
        system_models::crash_amnesia(),
        system_models::bounded_delay(),
        // Free play
        leadership::sandbox(),
    ]
}

/// Makes a scenario's texts fit the cluster it now runs on (`own` is the one it was written
/// for): the sandbox tells of its new cluster; any other story, written about its own cluster,
/// opens by saying what differs, so no number it states passes for this run's.
pub(super) fn retell(scenario: &mut Scenario, own: &Cluster) {
    let now = scenario.cluster();
    if now == *own || sandbox::retell_sandbox(scenario, own.nodes, own.duration_us) {
        return;
    }
    let differences = cluster_differences(own, &now);
    if differences.is_empty() {
        return;
    }
    scenario.title = format!("{} (customised cluster)", scenario.title);
    let note = format!(
        "This run is on a customised cluster: {}. The story below was told for the \
         scenario's own cluster, so sizes and timings it mentions may not match what you see.",
        differences.join("; ")
    );
    scenario.narration.insert(0, say(0, &note));
}

/// What differs between two clusters, in plain words ("7 nodes instead of 5").
fn cluster_differences(own: &Cluster, now: &Cluster) -> Vec<String> {
    let ms = |us: Micros| {
        let ms = us as f64 / 1_000.0;
        if ms.fract() == 0.0 {
            format!("{ms:.0} ms")
        } else {
            format!("{ms} ms")
        }
    };
    let delay = |link: &LinkConfig| match link.jitter_us {
        0 => ms(link.latency_us),
        jitter => format!(
            "{} to {}",
            ms(link.latency_us),
            ms(link.latency_us + jitter)
        ),
    };
    let share = |p: f64| match p {
        0.0 => "none".to_string(),
        p => crate::sim::units::percent(p),
    };
    let mut differences = Vec::new();
    if now.nodes != own.nodes {
        differences.push(format!("{} nodes instead of {}", now.nodes, own.nodes));
    }
    if (now.link.latency_us, now.link.jitter_us) != (own.link.latency_us, own.link.jitter_us) {
        differences.push(format!(
            "messages take {} instead of {}",
            delay(&now.link),
            delay(&own.link)
        ));
    }
    if now.link.loss != own.link.loss {
        differences.push(format!(
            "{} of messages lost instead of {}",
            share(now.link.loss),
            share(own.link.loss)
        ));
    }
    if now.link.duplication != own.link.duplication {
        differences.push(format!(
            "{} of messages duplicated instead of {}",
            share(now.link.duplication),
            share(own.link.duplication)
        ));
    }
    let clocks = |c: &Cluster| {
        (0..c.nodes as usize)
            .map(|i| c.clocks.get(i).copied().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    if now.nodes == own.nodes && clocks(now) != clocks(own) {
        differences.push("clocks set differently".to_string());
    }
    if now.links != own.links {
        differences.push("links configured on their own differently".to_string());
    }
    if now.duration_us != own.duration_us {
        let s = |us: Micros| format!("{} s", us as f64 / 1e6);
        differences.push(format!(
            "a run of {} instead of {}",
            s(now.duration_us),
            s(own.duration_us)
        ));
    }
    differences
}

/// The presets by topic, as the picker and the README group them: the sections of DDIA's
/// chapter 8 and of the write-ups that retell it. Every preset is in exactly one.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "Unreliable networks",
        &[
            "split-brain",
            "timeouts",
            "reordered-writes",
            "retry-double-charge",
            "lost-update",
            "delivery-semantics",
            "retry-storm",
            "seat-12a",
        ],
    ),
    (
        "Unreliable clocks",
        &[
            "lww-clock-skew",
            "siblings-kept",
            "clock-from-the-future",
            "wall-clock-log",
            "ntp-step-back",
            "slow-clock-lease",
            "truetime-commit-wait",
        ],
    ),
    ("Process pauses", &["gc-pause-fencing"]),
    (
        "Knowledge, truth and lies",
        &["majority-truth", "byzantine-generals"],
    ),
    ("System models", &["crash-amnesia", "bounded-delay"]),
    ("Free play", &["sandbox"]),
];

/// The preset `id`, reading only its own file.
pub fn by_id(id: &str) -> Option<Scenario> {
    PRESETS
        .iter()
        .find(|(own, _)| *own == id)
        .map(|(_, json)| read(json))
}

pub(super) fn say(at_us: Micros, text: &str) -> Narration {
    Narration {
        at_us,
        text: text.to_string(),
        shown: Shown::Always,
    }
}

pub(super) fn say_if(shown: Shown, at_us: Micros, text: &str) -> Narration {
    Narration {
        at_us,
        text: text.to_string(),
        shown,
    }
}

#[cfg(test)]
pub(super) fn explains(finding: FindingKind, text: &str) -> Vec<Explains> {
    vec![Explains {
        finding,
        text: text.to_string(),
    }]
}

#[cfg(test)]
pub(super) fn at<Op>(at_us: Micros, command: Command<Op>) -> Scheduled<Op> {
    Scheduled { at_us, command }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where preset `id`'s file lives in the source tree.
    fn file(id: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/scenarios/library/presets")
            .join(format!("{id}.json"))
    }

    #[test]
    fn the_preset_files_are_the_builders_output() {
        let bless = std::env::var_os("FAULTLINE_BLESS").is_some();
        let built = built();
        assert_eq!(built.len(), PRESETS.len());
        for (scenario, (id, json)) in built.iter().zip(PRESETS) {
            assert_eq!(scenario.id, *id, "PRESETS lists the builders' order");
            let mut written = super::super::script_json::with_repeats(scenario);
            written.push('\n');
            if bless {
                std::fs::write(file(id), &written).unwrap();
                continue;
            }
            assert!(
                *json == written,
                "presets/{id}.json is not its builder's output: run \
                 FAULTLINE_BLESS=1 cargo test --lib scenarios::library, then build again"
            );
            assert_eq!(read(json), *scenario, "{id} reads back as built");
        }
    }

    #[test]
    fn the_regular_scripts_are_written_as_repeats_and_a_saved_preset_as_plain_steps() {
        for (id, most) in [
            ("retry-storm", 8_000),
            ("delivery-semantics", 6_000),
            ("sandbox", 4_000),
        ] {
            let json = PRESETS.iter().find(|(own, _)| *own == id).unwrap().1;
            assert!(json.len() <= most, "{id} is {} bytes", json.len());
            // Saved as a person's file, the script is plain steps, and reads back the same.
            let preset = read(json);
            let saved = serde_json::to_string(&preset).unwrap();
            assert!(saved.len() > 3 * json.len() && !saved.contains("every_us"));
            assert_eq!(read(&saved), preset);
        }
    }

    #[test]
    fn the_presets_read_from_their_files_equal_the_builders() {
        assert_eq!(all(), built());
        for scenario in built() {
            assert_eq!(by_id(&scenario.id), Some(scenario));
        }
        assert_eq!(by_id("paxos"), None);
    }
}
