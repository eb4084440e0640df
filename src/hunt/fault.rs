//! One thing the adversary does, and how it becomes ordinary commands. A fault that lasts (a
//! partition, a pause, a burst of loss) is one fault with a length, so shrinking can shorten it
//! and its summary reads as a person would say it: "pause E for 1.2 s at 1.100 s".

use serde::{Deserialize, Serialize};

use crate::detect::seconds;
use crate::scenarios::Scenario;
use crate::sim::units::{percent, signed_duration, signed_ppm};
use crate::sim::words::duration;
use crate::sim::{Command, LinkConfig, Micros, Names, NodeId};

/// The kinds of fault a hunt may use: everything a person can do by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Partition,
    OneWayCut,
    Pause,
    Crash,
    ClockSkew,
    ClockDrift,
    NtpStep,
    Loss,
    Duplication,
    /// A crash that also loses the writes still in the operating system's cache. Not among
    /// [`FAULT_KINDS`] (the hunt panel's choices): challenges allow it by name.
    PowerCut,
}

/// Every kind the hunt panel offers, in the order settings list them.
pub const FAULT_KINDS: [FaultKind; 9] = [
    FaultKind::Partition,
    FaultKind::OneWayCut,
    FaultKind::Pause,
    FaultKind::Crash,
    FaultKind::ClockSkew,
    FaultKind::ClockDrift,
    FaultKind::NtpStep,
    FaultKind::Loss,
    FaultKind::Duplication,
];

impl FaultKind {
    /// What the settings call the kind (plural, as in "allow partitions").
    pub fn label(self) -> &'static str {
        match self {
            FaultKind::Partition => "partitions",
            FaultKind::OneWayCut => "one-way cuts",
            FaultKind::Pause => "pauses",
            FaultKind::Crash => "crashes and restarts",
            FaultKind::ClockSkew => "clock offsets",
            FaultKind::ClockDrift => "clock drift",
            FaultKind::NtpStep => "NTP steps",
            FaultKind::Loss => "message loss",
            FaultKind::Duplication => "duplication",
            FaultKind::PowerCut => "power cuts",
        }
    }

    /// Whether the kind only touches clocks.
    pub fn is_clock(self) -> bool {
        matches!(
            self,
            FaultKind::ClockSkew | FaultKind::ClockDrift | FaultKind::NtpStep
        )
    }
}

/// A fault at a moment of true time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    pub at_us: Micros,
    pub what: What,
}

/// What a fault does. Lengths (`for_us`) end the fault: links heal, the node resumes or
/// restarts, the link's loss or duplication returns to the cluster's setting.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum What {
    /// The nodes of `side` are cut off from the rest, both ways.
    Partition { side: Vec<NodeId>, for_us: Micros },
    /// Messages from `from` to `to` are lost; the other direction works.
    OneWayCut {
        from: NodeId,
        to: NodeId,
        for_us: Micros,
    },
    /// A stop-the-world pause (a GC).
    Pause { node: NodeId, for_us: Micros },
    /// The node crashes and restarts `for_us` later.
    Crash { node: NodeId, for_us: Micros },
    /// The node loses its power, unsynced disk writes with it, and restarts `for_us` later.
    PowerCut { node: NodeId, for_us: Micros },
    /// The node's clock is set `by_us` away from where it was meant to read.
    ClockSkew { node: NodeId, by_us: i64 },
    /// The node's clock starts running fast or slow.
    ClockDrift { node: NodeId, ppm: i32 },
    /// NTP steps the node's clock by `by_us`, forward or back.
    NtpStep { node: NodeId, by_us: i64 },
    /// `percent` of messages from `from` to `to` are lost for a while.
    Loss {
        from: NodeId,
        to: NodeId,
        percent: u8,
        for_us: Micros,
    },
    /// `percent` of messages from `from` to `to` arrive twice for a while.
    Duplication {
        from: NodeId,
        to: NodeId,
        percent: u8,
        for_us: Micros,
    },
}

impl What {
    pub fn kind(&self) -> FaultKind {
        match self {
            What::Partition { .. } => FaultKind::Partition,
            What::OneWayCut { .. } => FaultKind::OneWayCut,
            What::Pause { .. } => FaultKind::Pause,
            What::Crash { .. } => FaultKind::Crash,
            What::PowerCut { .. } => FaultKind::PowerCut,
            What::ClockSkew { .. } => FaultKind::ClockSkew,
            What::ClockDrift { .. } => FaultKind::ClockDrift,
            What::NtpStep { .. } => FaultKind::NtpStep,
            What::Loss { .. } => FaultKind::Loss,
            What::Duplication { .. } => FaultKind::Duplication,
        }
    }

    /// How long it lasts, for the kinds that end.
    pub fn length(&self) -> Option<Micros> {
        self.clone().length_mut().copied()
    }

    pub(super) fn length_mut(&mut self) -> Option<&mut Micros> {
        match self {
            What::Partition { for_us, .. }
            | What::OneWayCut { for_us, .. }
            | What::Pause { for_us, .. }
            | What::Crash { for_us, .. }
            | What::PowerCut { for_us, .. }
            | What::Loss { for_us, .. }
            | What::Duplication { for_us, .. } => Some(for_us),
            _ => None,
        }
    }

    /// The same fault at about half its strength (skew, drift, step or percentage), if it has a
    /// strength and halving it changes it.
    pub(super) fn weaker(&self) -> Option<What> {
        let mut weaker = self.clone();
        match &mut weaker {
            What::ClockSkew { by_us, .. } | What::NtpStep { by_us, .. } if by_us.abs() > 1 => {
                *by_us /= 2;
            }
            What::ClockDrift { ppm, .. } if ppm.abs() > 1 => *ppm /= 2,
            What::Loss { percent, .. } | What::Duplication { percent, .. } if *percent > 1 => {
                *percent /= 2;
            }
            _ => return None,
        }
        Some(weaker)
    }
}

/// What the commands of a fault need to know of the cluster: its nodes, its clocks' intended
/// offsets and its links' default setting.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub nodes: u8,
    pub offsets: Vec<i64>,
    pub link: LinkConfig,
}

impl Cluster {
    pub fn of(scenario: &Scenario) -> Cluster {
        let config = &scenario.config;
        Cluster {
            nodes: config.nodes,
            offsets: (0..config.nodes)
                .map(|n| config.clocks.get(usize::from(n)).map_or(0, |c| c.offset_us))
                .collect(),
            link: config.link,
        }
    }
}

impl Fault {
    /// The fault as timed commands: what it does at `at_us`, and what ends it.
    pub fn commands(&self, cluster: &Cluster) -> Vec<(Micros, Command<()>)> {
        let at = self.at_us;
        let end = |for_us: Micros| at.saturating_add(for_us);
        match &self.what {
            What::Partition { side, for_us } => {
                let rest: Vec<NodeId> = (0..cluster.nodes)
                    .map(NodeId)
                    .filter(|n| !side.contains(n))
                    .collect();
                let mut commands = vec![(
                    at,
                    Command::Partition {
                        groups: vec![side.clone(), rest.clone()],
                    },
                )];
                for a in side {
                    for b in &rest {
                        commands.push((end(*for_us), Command::HealBoth { a: *a, b: *b }));
                    }
                }
                commands
            }
            What::OneWayCut { from, to, for_us } => vec![
                (
                    at,
                    Command::CutLink {
                        from: *from,
                        to: *to,
                    },
                ),
                (
                    end(*for_us),
                    Command::HealLink {
                        from: *from,
                        to: *to,
                    },
                ),
            ],
            What::Pause { node, for_us } => vec![
                (at, Command::Pause { node: *node }),
                (end(*for_us), Command::Resume { node: *node }),
            ],
            What::Crash { node, for_us } => vec![
                (at, Command::Crash { node: *node }),
                (end(*for_us), Command::Restart { node: *node }),
            ],
            What::PowerCut { node, for_us } => vec![
                (at, Command::CrashLosingUnsynced { node: *node }),
                (end(*for_us), Command::Restart { node: *node }),
            ],
            What::ClockSkew { node, by_us } => {
                let meant = cluster.offsets.get(node.index()).copied().unwrap_or(0);
                vec![(
                    at,
                    Command::SetClockOffset {
                        node: *node,
                        offset_us: meant.saturating_add(*by_us),
                    },
                )]
            }
            What::ClockDrift { node, ppm } => vec![(
                at,
                Command::SetDrift {
                    node: *node,
                    drift_ppm: *ppm,
                },
            )],
            What::NtpStep { node, by_us } => vec![(
                at,
                Command::NtpStep {
                    node: *node,
                    delta_us: *by_us,
                },
            )],
            What::Loss {
                from,
                to,
                percent,
                for_us,
            }
            | What::Duplication {
                from,
                to,
                percent,
                for_us,
            } => {
                let share = f64::from(*percent) / 100.0;
                let losing = matches!(self.what, What::Loss { .. });
                burst(cluster, *from, *to, at, end(*for_us), |link| {
                    if losing {
                        link.loss = share;
                    } else {
                        link.duplication = share;
                    }
                })
            }
        }
    }

    /// The fault in a few words: "cut {A, B} | {C, D, E} at 0.810 s for 1.2 s".
    pub fn words(&self, names: &Names, nodes: u8) -> String {
        let at = seconds(self.at_us);
        let n = |node: &NodeId| names.of(*node).into_owned();
        let group = |members: &[NodeId]| {
            let names: Vec<String> = members.iter().map(n).collect();
            format!("{{{}}}", names.join(", "))
        };
        match &self.what {
            What::Partition { side, for_us } => {
                let rest: Vec<NodeId> = (0..nodes)
                    .map(NodeId)
                    .filter(|m| !side.contains(m))
                    .collect();
                format!(
                    "cut {} | {} at {at} for {}",
                    group(side),
                    group(&rest),
                    duration(*for_us)
                )
            }
            What::OneWayCut { from, to, for_us } => format!(
                "cut {}\u{2192}{} one way at {at} for {}",
                n(from),
                n(to),
                duration(*for_us)
            ),
            What::Pause { node, for_us } => {
                format!("pause {} for {} at {at}", n(node), duration(*for_us))
            }
            What::Crash { node, for_us } => format!(
                "crash {} at {at}, restart {} later",
                n(node),
                duration(*for_us)
            ),
            What::PowerCut { node, for_us } => format!(
                "cut {}'s power at {at} (unsynced writes lost), restart {} later",
                n(node),
                duration(*for_us)
            ),
            What::ClockSkew { node, by_us } => format!(
                "set {}'s clock {} at {at}",
                n(node),
                signed_duration(*by_us)
            ),
            What::ClockDrift { node, ppm } => {
                format!("{}'s clock drifts {} from {at}", n(node), signed_ppm(*ppm))
            }
            What::NtpStep { node, by_us } => format!(
                "NTP steps {}'s clock {} at {at}",
                n(node),
                signed_duration(*by_us)
            ),
            What::Loss {
                from,
                to,
                percent: p,
                for_us,
            }
            | What::Duplication {
                from,
                to,
                percent: p,
                for_us,
            } => format!(
                "{} {} of messages {}\u{2192}{} at {at} for {}",
                if matches!(self.what, What::Loss { .. }) {
                    "lose"
                } else {
                    "duplicate"
                },
                percent(f64::from(*p) / 100.0),
                n(from),
                n(to),
                duration(*for_us)
            ),
        }
    }
}

/// A burst on one link: its setting changed by `change` from `at` until `end`, then back to
/// the cluster's default.
fn burst(
    cluster: &Cluster,
    from: NodeId,
    to: NodeId,
    at: Micros,
    end: Micros,
    change: impl FnOnce(&mut LinkConfig),
) -> Vec<(Micros, Command<()>)> {
    let mut config = cluster.link;
    change(&mut config);
    vec![
        (at, Command::SetLink { from, to, config }),
        (
            end,
            Command::SetLink {
                from,
                to,
                config: cluster.link,
            },
        ),
    ]
}

/// The commands of a whole schedule in the order they happen (a stable sort: faults at the same
/// moment keep the schedule's order).
pub fn timed_commands(faults: &[Fault], cluster: &Cluster) -> Vec<(Micros, Command<()>)> {
    let mut commands: Vec<(Micros, Command<()>)> =
        faults.iter().flat_map(|f| f.commands(cluster)).collect();
    crate::sim::sort::sort_by_key(&mut commands, |(at, _)| *at);
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Cluster {
        Cluster {
            nodes: 5,
            offsets: vec![0, 0, 0, 1_000, 0],
            link: LinkConfig::default(),
        }
    }

    #[test]
    fn faults_read_as_a_person_says_them() {
        let names = Names::letters();
        let say = |at_us, what| Fault { at_us, what }.words(&names, 5);
        assert_eq!(
            say(
                810_000,
                What::Partition {
                    side: vec![NodeId(0), NodeId(1)],
                    for_us: 1_200_000
                }
            ),
            "cut {A, B} | {C, D, E} at 0.810 s for 1.2 s"
        );
        assert_eq!(
            say(
                1_100_000,
                What::Pause {
                    node: NodeId(4),
                    for_us: 1_200_000
                }
            ),
            "pause E for 1.2 s at 1.100 s"
        );
        assert_eq!(
            say(
                50_000,
                What::NtpStep {
                    node: NodeId(2),
                    by_us: -6_000_000
                }
            ),
            "NTP steps C's clock \u{2212}6.0 s at 0.050 s"
        );
        assert_eq!(
            say(
                0,
                What::Loss {
                    from: NodeId(0),
                    to: NodeId(2),
                    percent: 30,
                    for_us: 250_000
                }
            ),
            "lose 30 % of messages A\u{2192}C at 0.000 s for 250 ms"
        );
    }

    #[test]
    fn a_lasting_fault_ends_and_a_skew_is_from_the_intended_offset() {
        let pause = Fault {
            at_us: 100,
            what: What::Pause {
                node: NodeId(1),
                for_us: 50,
            },
        };
        assert_eq!(
            pause.commands(&cluster()),
            vec![
                (100, Command::Pause { node: NodeId(1) }),
                (150, Command::Resume { node: NodeId(1) })
            ]
        );
        let skew = Fault {
            at_us: 7,
            what: What::ClockSkew {
                node: NodeId(3),
                by_us: -400,
            },
        };
        assert_eq!(
            skew.commands(&cluster()),
            vec![(
                7,
                Command::SetClockOffset {
                    node: NodeId(3),
                    offset_us: 600
                }
            )]
        );
        let partition = Fault {
            at_us: 0,
            what: What::Partition {
                side: vec![NodeId(4)],
                for_us: 10,
            },
        };
        let commands = partition.commands(&cluster());
        assert_eq!(
            commands.len(),
            1 + 4,
            "the partition and a heal per cut pair"
        );
        assert!(commands[1..].iter().all(|(at, _)| *at == 10));
        assert_eq!(
            What::Loss {
                from: NodeId(0),
                to: NodeId(1),
                percent: 1,
                for_us: 3
            }
            .weaker(),
            None,
            "1 % is as weak as loss gets"
        );
    }
}
