//! The network: a directed link for every ordered pair of nodes.

use serde::{Deserialize, Serialize};

use super::ids::{Micros, NodeId};

/// Latency and jitter are limited to 1 minute each: slow enough for any lesson.
pub const MAX_LATENCY_US: Micros = 60_000_000;

/// How a link behaves while it is up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkConfig {
    /// The least time a message takes.
    pub latency_us: Micros,
    /// Extra delay drawn uniformly from `0..=jitter_us`; reordering emerges from it.
    pub jitter_us: Micros,
    /// Probability in [0, 1] that a message is lost in transit.
    pub loss: f64,
    /// Probability in [0, 1] that a message arrives twice.
    pub duplication: f64,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            latency_us: 20_000,
            jitter_us: 10_000,
            loss: 0.0,
            duplication: 0.0,
        }
    }
}

impl std::hash::Hash for LinkConfig {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.latency_us.hash(state);
        self.jitter_us.hash(state);
        self.loss.to_bits().hash(state);
        self.duplication.to_bits().hash(state);
    }
}

/// One directed link's own configuration, in place of the cluster's default.
#[derive(Clone, Copy, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSetting {
    pub from: NodeId,
    pub to: NodeId,
    pub config: LinkConfig,
}

#[derive(Clone, Copy, Debug, PartialEq, Hash)]
pub struct Link {
    pub up: bool,
    pub config: LinkConfig,
}

/// Every directed link, indexed `from * nodes + to`. Self-links exist in the table but are unused.
#[derive(Clone, Debug, PartialEq, Hash)]
pub struct Network {
    nodes: usize,
    links: Vec<Link>,
    /// The configuration every link starts with unless configured on its own.
    usual: LinkConfig,
}

impl Network {
    /// Every link up with `config`, except those `settings` configure on their own (settings
    /// naming a node the cluster does not have are ignored: configurations are validated first).
    pub fn new(nodes: usize, config: LinkConfig, settings: &[LinkSetting]) -> Network {
        let mut network = Network {
            nodes,
            links: vec![Link { up: true, config }; nodes * nodes],
            usual: config,
        };
        for setting in settings {
            if setting.from.index() < nodes && setting.to.index() < nodes {
                network.link_mut(setting.from, setting.to).config = setting.config;
            }
        }
        network
    }

    pub fn link(&self, from: NodeId, to: NodeId) -> &Link {
        &self.links[from.index() * self.nodes + to.index()]
    }

    pub fn link_mut(&mut self, from: NodeId, to: NodeId) -> &mut Link {
        &mut self.links[from.index() * self.nodes + to.index()]
    }

    pub fn is_up(&self, from: NodeId, to: NodeId) -> bool {
        self.link(from, to).up
    }

    /// The link's configuration if it is not the one every link starts with: configured on
    /// its own by the cluster, or changed since.
    pub fn own_config(&self, from: NodeId, to: NodeId) -> Option<&LinkConfig> {
        Some(&self.link(from, to).config).filter(|&config| *config != self.usual)
    }

    /// Every directed link between distinct nodes, in a fixed order.
    pub fn pairs(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        let n = self.nodes as u8;
        (0..n).flat_map(move |a| {
            (0..n)
                .filter(move |&b| b != a)
                .map(move |b| (NodeId(a), NodeId(b)))
        })
    }
}
