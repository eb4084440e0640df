//! The settings that fix a run besides the model and the action log.

use serde::{Deserialize, Serialize};

use super::clock::ClockConfig;
use super::command::{self, CommandError};
use super::ids::MAX_NODES;
use super::network::{LinkConfig, LinkSetting};

/// Everything that fixes a run besides the model and the action log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub nodes: u8,
    pub seed: u64,
    /// Every link starts up with this configuration.
    pub link: LinkConfig,
    /// One per node, or empty for perfect clocks everywhere.
    pub clocks: Vec<ClockConfig>,
    /// Links configured on their own (a lossy link between a client and its server), in place
    /// of `link`; at most one per direction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkSetting>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            nodes: 5,
            seed: 1,
            link: LinkConfig::default(),
            clocks: Vec::new(),
            links: Vec::new(),
        }
    }
}

impl SimConfig {
    pub fn validate(&self) -> Result<(), CommandError> {
        if self.nodes == 0 || self.nodes as usize > MAX_NODES {
            return Err(CommandError::TooManyNodes {
                requested: self.nodes as usize,
                max: MAX_NODES,
            });
        }
        command::check_link_config(&self.link)?;
        if !self.clocks.is_empty() && self.clocks.len() != self.nodes as usize {
            return Err(CommandError::OutOfRange {
                field: "number of clock settings",
                value: self.clocks.len().to_string(),
                min: self.nodes.to_string(),
                max: self.nodes.to_string(),
            });
        }
        check_link_settings(&self.links, self.nodes)?;
        for clock in &self.clocks {
            command::check_offset("clock offset (µs)", clock.offset_us)?;
            command::check_drift(clock.drift_ppm)?;
            command::check_uncertainty(clock.uncertainty_us)?;
        }
        Ok(())
    }
}

/// Checks links configured on their own: real nodes, not a node to itself, one setting per
/// direction, and a valid configuration each.
pub fn check_link_settings(settings: &[LinkSetting], nodes: u8) -> Result<(), CommandError> {
    for (index, setting) in settings.iter().enumerate() {
        for node in [setting.from, setting.to] {
            if node.0 >= nodes {
                return Err(CommandError::UnknownNode {
                    node: node.0,
                    nodes,
                });
            }
        }
        if setting.from == setting.to {
            return Err(CommandError::SelfLink { node: setting.from });
        }
        if settings[..index]
            .iter()
            .any(|earlier| (earlier.from, earlier.to) == (setting.from, setting.to))
        {
            return Err(CommandError::LinkSetTwice {
                from: setting.from,
                to: setting.to,
            });
        }
        command::check_link_config(&setting.config)?;
    }
    Ok(())
}
