//! Customising a scenario's cluster: how many nodes, how the network behaves, the clocks, and how
//! long the run lasts. A customisation travels in links and files, so it is checked like any
//! other input from outside.

use serde::{Deserialize, Serialize};

use super::{ModelSpec, Scenario};
use crate::sim::{
    ClockConfig, Command, CommandError, LinkConfig, LinkSetting, Micros, Scheduled, SimConfig,
};

/// The shortest run a customisation may ask for (the shortest preset lasts 100 ms).
pub const MIN_DURATION_US: Micros = 50_000;
/// The longest: a minute of simulated time keeps even a 16-node cluster responsive.
pub const MAX_DURATION_US: Micros = 60_000_000;

/// Everything about a scenario's cluster a person may change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub nodes: u8,
    /// Every link starts with this configuration.
    pub link: LinkConfig,
    /// One per node, or empty for perfect clocks everywhere.
    #[serde(default)]
    pub clocks: Vec<ClockConfig>,
    pub duration_us: Micros,
    /// Links configured on their own, in place of `link` (at most one per direction).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkSetting>,
}

/// Why a customisation was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ClusterError {
    Config(CommandError),
    Duration(Micros),
}

impl std::fmt::Display for ClusterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClusterError::Config(error) => write!(f, "{error}"),
            ClusterError::Duration(us) => write!(
                f,
                "a run of {} s was asked for; runs last {} to {} s",
                *us as f64 / 1e6,
                MIN_DURATION_US as f64 / 1e6,
                MAX_DURATION_US as f64 / 1e6
            ),
        }
    }
}

impl std::error::Error for ClusterError {}

impl Cluster {
    /// Checks every value against the simulator's limits.
    pub fn validate(&self) -> Result<(), ClusterError> {
        if !(MIN_DURATION_US..=MAX_DURATION_US).contains(&self.duration_us) {
            return Err(ClusterError::Duration(self.duration_us));
        }
        SimConfig {
            nodes: self.nodes,
            seed: 0,
            link: self.link,
            clocks: self.clocks.clone(),
            links: self.links.clone(),
        }
        .validate()
        .map_err(ClusterError::Config)
    }

    /// The same cluster with `nodes` nodes; clock and link settings are kept for the nodes that
    /// remain, and new nodes get perfect clocks and the usual link.
    pub fn with_nodes(mut self, nodes: u8) -> Cluster {
        if !self.clocks.is_empty() {
            self.clocks.resize(nodes as usize, ClockConfig::default());
        }
        self.links
            .retain(|setting| setting.from.0 < nodes && setting.to.0 < nodes);
        self.nodes = nodes;
        self
    }
}

impl Scenario {
    /// The cluster this scenario runs as it stands.
    pub fn cluster(&self) -> Cluster {
        Cluster {
            nodes: self.config.nodes,
            link: self.config.link,
            clocks: self.config.clocks.clone(),
            duration_us: self.duration_us,
            links: self.config.links.clone(),
        }
    }

    /// The scenario on another cluster. Client requests addressed to a node the cluster no
    /// longer has go to a node it has (so traffic keeps its volume); scripted faults that name a
    /// missing node are left out; texts that state the cluster follow it (see
    /// `library::retell`).
    pub fn customised(&self, cluster: &Cluster) -> Result<Scenario, ClusterError> {
        cluster.validate()?;
        let mut scenario = self.clone();
        scenario.config.nodes = cluster.nodes;
        scenario.config.link = cluster.link;
        scenario.config.clocks = cluster.clocks.clone();
        scenario.config.links = cluster.links.clone();
        scenario.duration_us = cluster.duration_us;
        scenario.key_moment_us = scenario.key_moment_us.min(cluster.duration_us);
        scenario
            .model
            .fit_script(cluster.nodes, cluster.duration_us);
        super::library::retell(&mut scenario, &self.cluster());
        Ok(scenario)
    }
}

impl ModelSpec {
    /// Takes the scripted faults out, keeping the client requests (what a hunt starts from), and
    /// with `setting`, the links cut from the start too: the network's shape, not a fault of
    /// the story (`crash-amnesia`'s two sites that cannot reach each other).
    pub fn keep_requests_only(&mut self, setting: bool) {
        match self {
            ModelSpec::Election { script, .. } => requests_only(script, setting),
            ModelSpec::Lock { script, .. } => requests_only(script, setting),
            ModelSpec::Register { script, .. } => requests_only(script, setting),
            ModelSpec::Heartbeats { script, .. } => requests_only(script, setting),
            ModelSpec::Stopwatch { script, .. } => requests_only(script, setting),
            ModelSpec::Logging { script, .. } => requests_only(script, setting),
            ModelSpec::Generals { script, .. } => requests_only(script, setting),
            ModelSpec::TrueTime { script, .. } => requests_only(script, setting),
            ModelSpec::Server { script, .. } => requests_only(script, setting),
        }
    }

    fn fit_script(&mut self, nodes: u8, duration_us: Micros) {
        match self {
            ModelSpec::Election { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Lock { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Register { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Heartbeats { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Stopwatch { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Logging { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Generals { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::TrueTime { script, .. } => fit(script, nodes, duration_us),
            ModelSpec::Server { script, .. } => fit(script, nodes, duration_us),
        }
    }
}

fn requests_only<Op>(script: &mut Vec<Scheduled<Op>>, setting: bool) {
    script.retain(|step| {
        matches!(step.command, Command::Client { .. })
            || (setting
                && step.at_us == 0
                && matches!(
                    step.command,
                    Command::CutBoth { .. } | Command::CutLink { .. } | Command::Partition { .. }
                ))
    });
}

/// Fits a script to a cluster of `nodes` nodes and a run of `duration_us` (see
/// [`Scenario::customised`]); steps after the end, which would never run, are dropped.
fn fit<Op>(script: &mut Vec<Scheduled<Op>>, nodes: u8, duration_us: Micros) {
    for step in script.iter_mut() {
        if let Command::Client { node, .. } = &mut step.command {
            node.0 %= nodes;
        }
    }
    script.retain(|step| step.at_us <= duration_us && step.command.validate_shape(nodes).is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::by_id;

    fn sandbox() -> Scenario {
        by_id("sandbox").expect("the sandbox preset exists")
    }

    #[test]
    fn the_unchanged_cluster_gives_the_same_scenario() {
        for scenario in crate::scenarios::all() {
            assert_eq!(scenario.customised(&scenario.cluster()).unwrap(), scenario);
        }
    }

    #[test]
    fn a_smaller_cluster_keeps_its_traffic_on_the_nodes_it_has() {
        let base = sandbox();
        let cluster = base.cluster().with_nodes(3);
        let small = base.customised(&cluster).unwrap();
        assert_eq!(small.config.nodes, 3);
        let (ModelSpec::Election { script: before, .. }, ModelSpec::Election { script, .. }) =
            (&base.model, &small.model)
        else {
            panic!("the sandbox runs an election");
        };
        assert_eq!(script.len(), before.len(), "every write is kept");
        assert!(script.iter().all(|s| s.command.validate_shape(3).is_ok()));
        let mut live = crate::scenarios::start(&small).expect("the smaller sandbox runs");
        live.advance(2_000);
        assert_eq!(live.node_count(), 3);
        assert!(live.event_count() > 1_000);
    }

    /// Every text a person reads of a scenario, as one string.
    fn texts(scenario: &Scenario) -> String {
        let mut all = vec![scenario.title.clone(), scenario.lesson.clone()];
        all.extend(scenario.narration.iter().map(|n| n.text.clone()));
        all.join("\n")
    }

    #[test]
    fn the_sandbox_tells_of_the_cluster_it_runs_on() {
        let base = sandbox();
        assert!(base.title.contains("a five-node cluster"), "{}", base.title);
        let big = base.customised(&base.cluster().with_nodes(16)).unwrap();
        let told = texts(&big);
        assert!(
            big.title.contains("a sixteen-node cluster"),
            "{}",
            big.title
        );
        assert!(told.contains("Sixteen nodes elect a leader"), "{told}");
        assert!(told.contains("a majority: 9 of sixteen"), "{told}");
        assert!(
            !told.to_lowercase().contains("five"),
            "nothing of five nodes is left: {told}"
        );
        let alone = base.customised(&base.cluster().with_nodes(1)).unwrap();
        assert!(texts(&alone).contains("One node leads alone"));
        assert!(
            !texts(&alone).contains("splitting the network"),
            "one node has no network"
        );
        let long = Cluster {
            duration_us: MAX_DURATION_US,
            ..base.cluster()
        };
        assert!(
            texts(&base.customised(&long).unwrap()).contains("every 100 ms for the first 30 s"),
            "its traffic stops where its script does"
        );
        // Back to five nodes: the sandbox's own story again.
        let again = big.customised(&base.cluster());
        assert_eq!(texts(&again.unwrap()), texts(&base));
    }

    #[test]
    fn a_story_on_another_cluster_says_what_differs() {
        let seat = by_id("seat-12a").unwrap();
        let mut cluster = seat.cluster().with_nodes(7);
        cluster.link.latency_us = 20_000;
        cluster.link.jitter_us = 5_000;
        cluster.link.loss = 0.02;
        let custom = seat.customised(&cluster).unwrap();
        assert_eq!(custom.title, format!("{} (customised cluster)", seat.title));
        assert_eq!(
            custom.narration[0].text,
            "This run is on a customised cluster: 7 nodes instead of 3; messages take 20 ms to \
             25 ms instead of 5 ms; 2 % of messages lost instead of none. The story below was \
             told for the scenario's own cluster, so sizes and timings it mentions may not match \
             what you see."
        );
        assert_eq!(
            custom.narration[1..],
            seat.narration[..],
            "the story itself is kept"
        );
        let unchanged = seat.customised(&seat.cluster()).unwrap();
        assert_eq!(unchanged, seat);
    }

    #[test]
    fn scripted_faults_naming_missing_nodes_are_left_out() {
        let mut script: Vec<Scheduled<()>> = vec![
            Scheduled {
                at_us: 1,
                command: Command::Crash {
                    node: crate::sim::NodeId(4),
                },
            },
            Scheduled {
                at_us: 2,
                command: Command::Crash {
                    node: crate::sim::NodeId(1),
                },
            },
        ];
        fit(&mut script, 3, 10);
        assert_eq!(script.len(), 1);
        assert_eq!(
            script[0].command,
            Command::Crash {
                node: crate::sim::NodeId(1)
            }
        );
    }

    #[test]
    fn absurd_clusters_are_refused_with_the_reason() {
        let base = sandbox().cluster();
        let cases = [
            (base.clone().with_nodes(99), "99 nodes requested"),
            (base.clone().with_nodes(0), "0 nodes requested"),
            (
                Cluster {
                    link: LinkConfig {
                        loss: f64::NAN,
                        ..base.link
                    },
                    ..base.clone()
                },
                "loss",
            ),
            (
                Cluster {
                    link: LinkConfig {
                        duplication: 1.5,
                        ..base.link
                    },
                    ..base.clone()
                },
                "duplication",
            ),
            (
                Cluster {
                    duration_us: 0,
                    ..base.clone()
                },
                "runs last 0.05 to 60 s",
            ),
            (
                Cluster {
                    clocks: vec![ClockConfig::default(); 2],
                    ..base.clone()
                },
                "number of clock settings",
            ),
            (with_link(&base, 0, 7, base.link), "there is no node #7"),
            (
                with_link(&base, 2, 2, base.link),
                "node C has no link to itself",
            ),
            (
                with_link(
                    &with_link(&base, 0, 1, base.link),
                    0,
                    1,
                    LinkConfig {
                        loss: 0.5,
                        ..base.link
                    },
                ),
                "the link A→B is configured twice",
            ),
            (
                with_link(
                    &base,
                    0,
                    1,
                    LinkConfig {
                        loss: 2.0,
                        ..base.link
                    },
                ),
                "loss",
            ),
        ];
        for (cluster, expected) in cases {
            let message = sandbox().customised(&cluster).unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    fn with_link(base: &Cluster, from: u8, to: u8, config: LinkConfig) -> Cluster {
        let mut cluster = base.clone();
        cluster.links.push(crate::sim::LinkSetting {
            from: crate::sim::NodeId(from),
            to: crate::sim::NodeId(to),
            config,
        });
        cluster
    }

    #[test]
    fn links_of_their_own_follow_the_cluster_and_name_what_differs() {
        let sandbox = sandbox();
        let base = sandbox.cluster();
        let lossy = LinkConfig {
            loss: 0.1,
            duplication: 0.05,
            ..base.link
        };
        let cluster = with_link(&with_link(&base, 4, 0, lossy), 0, 1, lossy);
        let customised = sandbox.customised(&cluster).unwrap();
        assert_eq!(customised.config.links, cluster.links);
        assert_eq!(customised.cluster(), cluster);
        // Fewer nodes: a setting that names a node that is gone goes with it.
        let smaller = cluster.clone().with_nodes(3);
        assert_eq!(smaller.links, vec![cluster.links[1]]);
        // A story told for the preset's own links says its links now differ.
        let mut seat = super::super::by_id("seat-12a").unwrap();
        let own = seat.cluster();
        seat = seat.customised(&with_link(&own, 0, 1, lossy)).unwrap();
        assert!(
            seat.narration[0]
                .text
                .contains("links configured on their own differently"),
            "{}",
            seat.narration[0].text
        );
    }
}
