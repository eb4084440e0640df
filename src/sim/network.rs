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
    #[serde(deserialize_with = "decimal")]
    pub loss: f64,
    /// Probability in [0, 1] that a message arrives twice.
    #[serde(deserialize_with = "decimal")]
    pub duplication: f64,
}

/// A fractional setting (a probability, a share, a threshold) as Faultline keeps it: to 12
/// decimal places. A share link must replay bit for bit, and serde_json reads back exactly
/// only numbers of at most 15 or so significant digits (reading any number exactly, its
/// `float_roundtrip`, weighed 9 KB gzip of the bundle); a value of 12 decimal places up to
/// 128 is written in at most 15 significant digits (under 2^53), and read back to the same
/// `f64`. Larger values are out of every such setting's range (a phi threshold is at most 100)
/// and refused anyway. Every such setting is rounded so where it comes in: links, files, host
/// messages and the cluster editor. (NaN stays NaN, for validation to refuse.)
pub fn canonical_decimal(p: f64) -> f64 {
    if p.is_finite() && p.abs() <= 128.0 {
        (p * 1e12).round() / 1e12
    } else {
        p
    }
}

/// Reads a fractional setting and keeps it to 12 decimal places (see [`canonical_decimal`]).
pub fn decimal<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    f64::deserialize(deserializer).map(canonical_decimal)
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

/// The loss and duplication of the pair `a`, `b` in words, when either direction has its own:
/// one phrase when both directions agree, else one per direction that loses or duplicates.
pub fn link_note(network: &Network, a: NodeId, b: NodeId) -> Option<String> {
    let words = |config: &LinkConfig| {
        use crate::sim::units::percent;
        let mut parts = Vec::new();
        if config.loss > 0.0 {
            parts.push(format!("{} lost", percent(config.loss)));
        }
        if config.duplication > 0.0 {
            parts.push(format!("{} twice", percent(config.duplication)));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    };
    let (ab, ba) = (network.own_config(a, b), network.own_config(b, a));
    if ab.is_none() && ba.is_none() {
        return None;
    }
    let (ab, ba) = (&network.link(a, b).config, &network.link(b, a).config);
    if (ab.loss, ab.duplication) == (ba.loss, ba.duplication) {
        return words(ab);
    }
    let directions: Vec<String> = [(a, b, ab), (b, a, ba)]
        .into_iter()
        .filter_map(|(from, to, config)| words(config).map(|w| format!("{from}→{to} {w}")))
        .collect();
    (!directions.is_empty()).then(|| directions.join("; "))
}

#[cfg(test)]
mod tests {
    use super::canonical_decimal;
    use crate::sim::SimRng;

    /// A link's settings replay bit for bit: every value kept to 12 decimal places reads back
    /// from JSON as the very same `f64`, with serde_json as the bundle has it (no
    /// `float_roundtrip`).
    #[test]
    fn settings_kept_to_twelve_places_read_back_from_json_exactly() {
        let mut rng = SimRng::new(12);
        for round in 0..200_000u64 {
            let raw = match round % 4 {
                // Any probability, as typed or drawn.
                0 => rng.next_u64() as f64 / u64::MAX as f64,
                // Tiny and round ones.
                1 => (rng.next_u64() % 1_000) as f64 * 1e-12,
                2 => (rng.next_u64() % 10_001) as f64 / 10_000.0,
                // Thresholds and shares up to the largest kept.
                _ => {
                    (rng.next_u64() % 128_000) as f64 / 1_000.0
                        + rng.next_u64() as f64 / u64::MAX as f64 / 1e3
                }
            };
            let kept = canonical_decimal(raw);
            assert!(
                (kept - raw).abs() <= 0.5e-12 + raw.abs() * 1e-15,
                "{raw} kept as {kept}"
            );
            assert_eq!(canonical_decimal(kept), kept, "keeping {raw} twice");
            let text = serde_json::to_string(&kept).expect("written");
            let back: f64 = serde_json::from_str(&text).expect("read");
            assert_eq!(
                back.to_bits(),
                kept.to_bits(),
                "{raw} kept as {kept}, written {text}, read {back}"
            );
        }
        assert!(canonical_decimal(f64::NAN).is_nan());
    }
}
