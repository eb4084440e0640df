//! The cluster editor's fields as typed, and how they become a [`Cluster`] (or a message naming
//! the field that is wrong). Pure, so it is tested natively.

use crate::scenarios::Cluster;
use crate::sim::{LinkConfig, LinkSetting, NodeId, MAX_NODES};

/// The editor's fields, kept verbatim so a typo can be corrected rather than retyped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterForm {
    pub nodes: String,
    pub latency_ms: String,
    pub jitter_ms: String,
    pub loss_percent: String,
    pub duplication_percent: String,
    pub duration_s: String,
    /// Links with their own loss and duplication (their latency and jitter are the cluster's).
    pub links: Vec<LinkRow>,
}

/// One link with its own loss and duplication, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRow {
    pub from: NodeId,
    pub to: NodeId,
    pub loss_percent: String,
    pub duplication_percent: String,
}

/// Which field a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Nodes,
    Latency,
    Jitter,
    Loss,
    Duplication,
    Duration,
    /// The loss of the link in row `n` of the links of their own.
    LinkLoss(usize),
    /// Its duplication.
    LinkDuplication(usize),
}

/// Why the fields do not make a cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    pub field: Option<Field>,
    pub message: String,
}

impl ClusterForm {
    pub fn from_cluster(cluster: &Cluster) -> ClusterForm {
        ClusterForm {
            nodes: cluster.nodes.to_string(),
            latency_ms: trim_number(cluster.link.latency_us as f64 / 1e3),
            jitter_ms: trim_number(cluster.link.jitter_us as f64 / 1e3),
            loss_percent: trim_number(cluster.link.loss * 100.0),
            duplication_percent: trim_number(cluster.link.duplication * 100.0),
            duration_s: trim_number(cluster.duration_us as f64 / 1e6),
            links: cluster
                .links
                .iter()
                .map(|setting| LinkRow {
                    from: setting.from,
                    to: setting.to,
                    loss_percent: trim_number(setting.config.loss * 100.0),
                    duplication_percent: trim_number(setting.config.duplication * 100.0),
                })
                .collect(),
        }
    }

    /// Adds a row for the link `from`→`to`, with no loss or duplication yet; refused (with the
    /// reason) for a node to itself or a link that already has a row.
    pub fn add_link(&mut self, from: NodeId, to: NodeId) -> Result<(), FormError> {
        if from == to {
            return Err(FormError {
                field: None,
                message: format!("A node has no link to itself: pick two nodes, not {from} twice."),
            });
        }
        if self
            .links
            .iter()
            .any(|row| (row.from, row.to) == (from, to))
        {
            return Err(FormError {
                field: None,
                message: format!("The link {from}→{to} already has its own settings below."),
            });
        }
        self.links.push(LinkRow {
            from,
            to,
            loss_percent: "0".to_string(),
            duplication_percent: "0".to_string(),
        });
        Ok(())
    }

    /// The cluster the fields describe, keeping `base`'s clocks for the nodes that remain.
    pub fn parse(&self, base: &Cluster) -> Result<Cluster, FormError> {
        let nodes = whole(&self.nodes, Field::Nodes, "Nodes")?;
        if !(1..=MAX_NODES as u64).contains(&nodes) {
            return Err(error(
                Field::Nodes,
                format!("Nodes: a cluster has 1 to {MAX_NODES} nodes."),
            ));
        }
        let mut cluster = base.clone().with_nodes(nodes as u8);
        cluster.link.latency_us = scaled(&self.latency_ms, 1e3, Field::Latency, "Latency")?;
        cluster.link.jitter_us = scaled(&self.jitter_ms, 1e3, Field::Jitter, "Jitter")?;
        cluster.link.loss = percent(&self.loss_percent, Field::Loss, "Loss")?;
        cluster.link.duplication =
            percent(&self.duplication_percent, Field::Duplication, "Duplication")?;
        cluster.duration_us = scaled(&self.duration_s, 1e6, Field::Duration, "Duration")?;
        cluster.links = Vec::with_capacity(self.links.len());
        for (index, row) in self.links.iter().enumerate() {
            let name = format!("{}→{}", row.from, row.to);
            if row.from.0 >= cluster.nodes || row.to.0 >= cluster.nodes {
                return Err(error(
                    Field::LinkLoss(index),
                    format!(
                        "The link {name} names a node this cluster does not have: remove it, or \
                         keep more nodes."
                    ),
                ));
            }
            cluster.links.push(LinkSetting {
                from: row.from,
                to: row.to,
                config: LinkConfig {
                    loss: percent(
                        &row.loss_percent,
                        Field::LinkLoss(index),
                        &format!("Loss on {name}"),
                    )?,
                    duplication: percent(
                        &row.duplication_percent,
                        Field::LinkDuplication(index),
                        &format!("Duplication on {name}"),
                    )?,
                    ..cluster.link
                },
            });
        }
        cluster.validate().map_err(|problem| FormError {
            field: None,
            message: format!("That cluster is impossible: {problem}."),
        })?;
        Ok(cluster)
    }
}

fn error(field: Field, message: String) -> FormError {
    FormError {
        field: Some(field),
        message,
    }
}

/// A number as typed: finite and not negative.
fn number(text: &str, field: Field, label: &str) -> Result<f64, FormError> {
    let value = crate::sim::units::decimal(text.trim())
        .ok_or_else(|| error(field, format!("{label}: enter a number, such as 20.")))?;
    if !value.is_finite() {
        return Err(error(field, format!("{label}: enter an ordinary number.")));
    }
    if value < 0.0 {
        return Err(error(field, format!("{label} cannot be negative.")));
    }
    Ok(value)
}

fn whole(text: &str, field: Field, label: &str) -> Result<u64, FormError> {
    let value = number(text, field, label)?;
    if value.fract() != 0.0 {
        return Err(error(field, format!("{label}: enter a whole number.")));
    }
    Ok(value as u64)
}

/// A number in display units (ms, s) as whole µs.
fn scaled(text: &str, unit_us: f64, field: Field, label: &str) -> Result<u64, FormError> {
    let value = number(text, field, label)? * unit_us;
    if value > u64::MAX as f64 / 2.0 {
        return Err(error(field, format!("{label} is far too large.")));
    }
    Ok(value.round() as u64)
}

/// A percentage as a probability.
fn percent(text: &str, field: Field, label: &str) -> Result<f64, FormError> {
    let value = number(text, field, label)?;
    if value > 100.0 {
        return Err(error(field, format!("{label} is a percentage: 0 to 100.")));
    }
    Ok(crate::sim::canonical_decimal(value / 100.0))
}

/// `20` rather than `20.000`, `0.5` rather than `0.500`.
pub(super) fn trim_number(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::by_id;

    fn base() -> Cluster {
        by_id("sandbox").unwrap().cluster()
    }

    #[test]
    fn the_fields_show_the_cluster_and_read_back_to_it() {
        let form = ClusterForm::from_cluster(&base());
        assert_eq!(
            (
                form.nodes.as_str(),
                form.latency_ms.as_str(),
                form.jitter_ms.as_str()
            ),
            ("5", "20", "10")
        );
        assert_eq!(
            (form.loss_percent.as_str(), form.duration_s.as_str()),
            ("0", "30")
        );
        assert_eq!(form.parse(&base()), Ok(base()));
    }

    #[test]
    fn edited_fields_make_the_cluster_they_say() {
        let form = ClusterForm {
            nodes: " 7 ".into(),
            latency_ms: "2.5".into(),
            jitter_ms: "0".into(),
            loss_percent: "12.5".into(),
            duplication_percent: "1".into(),
            duration_s: "10".into(),
            links: Vec::new(),
        };
        let cluster = form.parse(&base()).unwrap();
        assert_eq!(cluster.nodes, 7);
        assert_eq!(
            (cluster.link.latency_us, cluster.link.jitter_us),
            (2_500, 0)
        );
        assert_eq!((cluster.link.loss, cluster.link.duplication), (0.125, 0.01));
        assert_eq!(cluster.duration_us, 10_000_000);
    }

    #[test]
    fn each_bad_field_is_named() {
        let good = ClusterForm::from_cluster(&base());
        type Edit = fn(&mut ClusterForm);
        let cases: [(Edit, Option<Field>, &str); 9] = [
            (
                |f| f.nodes = "99".into(),
                Some(Field::Nodes),
                "1 to 16 nodes",
            ),
            (
                |f| f.nodes = "2.5".into(),
                Some(Field::Nodes),
                "whole number",
            ),
            (
                |f| f.latency_ms = "-5".into(),
                Some(Field::Latency),
                "cannot be negative",
            ),
            (
                |f| f.latency_ms = "NaN".into(),
                Some(Field::Latency),
                "ordinary number",
            ),
            (
                |f| f.jitter_ms = "fast".into(),
                Some(Field::Jitter),
                "enter a number",
            ),
            (
                |f| f.loss_percent = "150".into(),
                Some(Field::Loss),
                "0 to 100",
            ),
            (
                |f| f.duplication_percent = "inf".into(),
                Some(Field::Duplication),
                "ordinary",
            ),
            (
                |f| f.duration_s = "1e300".into(),
                Some(Field::Duration),
                "far too large",
            ),
            (
                |f| f.duration_s = "600".into(),
                None,
                "runs last 0.05 to 60 s",
            ),
        ];
        for (edit, field, words) in cases {
            let mut form = good.clone();
            edit(&mut form);
            let refused = form.parse(&base()).unwrap_err();
            assert_eq!(refused.field, field, "{form:?}");
            assert!(refused.message.contains(words), "{}", refused.message);
        }
    }

    #[test]
    fn links_of_their_own_are_added_edited_named_when_wrong_and_read_back() {
        let (a, b, c) = (NodeId(0), NodeId(1), NodeId(2));
        let mut form = ClusterForm::from_cluster(&base());
        form.add_link(b, a).unwrap();
        form.add_link(a, c).unwrap();
        assert!(form
            .add_link(b, a)
            .unwrap_err()
            .message
            .contains("already has its own"));
        assert!(form
            .add_link(c, c)
            .unwrap_err()
            .message
            .contains("no link to itself"));
        form.links[0].loss_percent = "10".into();
        form.links[0].duplication_percent = "5".into();
        let cluster = form.parse(&base()).unwrap();
        let own = |from, to| cluster.links.iter().find(|l| (l.from, l.to) == (from, to));
        let b_to_a = own(b, a).unwrap().config;
        assert_eq!((b_to_a.loss, b_to_a.duplication), (0.1, 0.05));
        assert_eq!(b_to_a.latency_us, cluster.link.latency_us);
        assert_eq!(own(a, c).unwrap().config.loss, 0.0);
        // The form shows the cluster it made, and reads back to it.
        assert_eq!(
            ClusterForm::from_cluster(&cluster).parse(&base()),
            Ok(cluster)
        );
        // A bad value names its row; so does a row naming a node the cluster no longer has.
        form.links[1].duplication_percent = "200".into();
        let refused = form.parse(&base()).unwrap_err();
        assert_eq!(refused.field, Some(Field::LinkDuplication(1)));
        assert!(
            refused.message.contains("Duplication on A→C"),
            "{}",
            refused.message
        );
        form.links[1].duplication_percent = "0".into();
        form.nodes = "2".into();
        let refused = form.parse(&base()).unwrap_err();
        assert_eq!(refused.field, Some(Field::LinkLoss(1)));
        assert!(
            refused.message.contains("A→C names a node"),
            "{}",
            refused.message
        );
    }
}
