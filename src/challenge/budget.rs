//! What a run's faults have spent of a challenge's budget, read from its fault log.
//!
//! Counting follows the hunt's vocabulary, so a student's count and the machine's par are in the
//! same unit:
//! - Link cuts made at one moment (a knife stroke across several links, or several clicks before
//!   the run moves on) are one fault: a partition if any of them cuts both ways, else a one-way
//!   cut.
//! - A pause, a crash, a power cut, a clock offset, drift or NTP step, a message dropped or
//!   duplicated, or a link made lossy or duplicating is one fault each.
//! - Undoing a fault (healing, resuming, restarting, setting a link back) is free.
//! - Floods and changes to a clock's uncertainty or a link's latency are not faults a challenge
//!   counts: they are refused.
//!
//! Fault time is how long lasting faults (pauses, crashes, cuts, bursts) have lasted so far: each
//! from its start until it is undone, or until now.

use crate::hunt::FaultKind;
use crate::scenarios::Scenario;
use crate::sim::{Command, LinkConfig, LoggedCommand, Micros, NodeId};

/// What one command asked for by hand spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spend {
    /// Nothing: it undoes a fault (or is a client's request).
    Free,
    /// One fault of this kind.
    Fault(FaultKind),
    /// Something a challenge does not count as a fault, and refuses.
    Never(NotCounted),
}

/// What a challenge refuses outright.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCounted {
    Flood,
    Uncertainty,
    Latency,
}

/// What the budget's commands need to know of the cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub nodes: u8,
    pub link: LinkConfig,
}

impl Cluster {
    pub fn of(scenario: &Scenario) -> Cluster {
        Cluster {
            nodes: scenario.config.nodes,
            link: scenario.config.link,
        }
    }
}

/// What `command` spends.
pub fn spend(command: &Command<()>, cluster: &Cluster) -> Spend {
    match command {
        Command::CutLink { .. } => Spend::Fault(FaultKind::OneWayCut),
        Command::CutBoth { .. } | Command::Partition { .. } => Spend::Fault(FaultKind::Partition),
        Command::Pause { .. } => Spend::Fault(FaultKind::Pause),
        Command::Crash { .. } => Spend::Fault(FaultKind::Crash),
        Command::CrashLosingUnsynced { .. } => Spend::Fault(FaultKind::PowerCut),
        Command::SetClockOffset { .. } => Spend::Fault(FaultKind::ClockSkew),
        Command::SetDrift { .. } => Spend::Fault(FaultKind::ClockDrift),
        Command::NtpStep { .. } => Spend::Fault(FaultKind::NtpStep),
        Command::DropMessage { .. } => Spend::Fault(FaultKind::Loss),
        Command::DuplicateMessage { .. } => Spend::Fault(FaultKind::Duplication),
        Command::SetLink { config, .. } => {
            let default = cluster.link;
            if config.loss > default.loss {
                Spend::Fault(FaultKind::Loss)
            } else if config.duplication > default.duplication {
                Spend::Fault(FaultKind::Duplication)
            } else if *config == default {
                Spend::Free
            } else {
                Spend::Never(NotCounted::Latency)
            }
        }
        Command::Flood { .. } => Spend::Never(NotCounted::Flood),
        Command::SetUncertainty { .. } => Spend::Never(NotCounted::Uncertainty),
        Command::HealLink { .. }
        | Command::HealBoth { .. }
        | Command::HealAll
        | Command::Resume { .. }
        | Command::Restart { .. }
        | Command::Client { .. } => Spend::Free,
    }
}

/// Whether `command` starts a fault that lasts until undone.
pub fn starts_lasting(command: &Command<()>) -> bool {
    matches!(
        command,
        Command::CutLink { .. }
            | Command::CutBoth { .. }
            | Command::Partition { .. }
            | Command::Pause { .. }
            | Command::Crash { .. }
            | Command::CrashLosingUnsynced { .. }
            | Command::SetLink { .. }
    )
}

/// One fault spent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spent {
    pub spend: Spend,
    /// When it was applied (true time), and after how many steps.
    pub at_us: Micros,
    pub after_step: u64,
    /// How long it has lasted so far (0 for a fault that does not last).
    pub lasted_us: Micros,
}

/// What ends a lasting fault.
#[derive(Clone, Debug)]
enum Ending {
    /// Resuming (a pause) or restarting (a crash) the node.
    Node(NodeId, bool),
    /// Every one of these directed links coming back up.
    Links(Vec<(NodeId, NodeId)>),
    /// The link set back to the cluster's default.
    Link(NodeId, NodeId),
}

/// The faults a run's log has spent, up to a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    pub faults: Vec<Spent>,
    /// Fault time so far, all lasting faults together.
    pub fault_time_us: Micros,
}

impl Ledger {
    /// The ledger of `log` as it stands at `now_us`.
    pub fn of(log: &[LoggedCommand<()>], now_us: Micros, cluster: &Cluster) -> Ledger {
        let mut faults: Vec<Spent> = Vec::new();
        let mut open: Vec<(usize, Ending)> = Vec::new();
        for entry in log.iter().filter(|e| e.at_time <= now_us) {
            let command = &entry.command;
            let spend = spend(command, cluster);
            let at = entry.at_time;
            if spend == Spend::Free {
                close(&mut open, &mut faults, command, at, cluster);
                continue;
            }
            let cut = cut_links(command, cluster.nodes);
            // Cuts at the moment of the last cut join it: one network fault.
            let joins = !cut.is_empty()
                && faults.last().is_some_and(|last| {
                    is_cut(last.spend) && last.at_us == at && last.after_step == entry.after_step
                });
            if joins {
                let index = faults.len() - 1;
                if spend == Spend::Fault(FaultKind::Partition) {
                    faults[index].spend = spend;
                }
                if let Some((_, Ending::Links(links))) = open.iter_mut().find(|(i, _)| *i == index)
                {
                    links.extend(cut);
                }
                continue;
            }
            faults.push(Spent {
                spend,
                at_us: at,
                after_step: entry.after_step,
                lasted_us: 0,
            });
            let index = faults.len() - 1;
            let ending = match command {
                Command::Pause { node } => Some(Ending::Node(*node, true)),
                Command::Crash { node } | Command::CrashLosingUnsynced { node } => {
                    Some(Ending::Node(*node, false))
                }
                Command::SetLink { from, to, .. } => Some(Ending::Link(*from, *to)),
                _ if !cut.is_empty() => Some(Ending::Links(cut)),
                _ => None,
            };
            if let Some(ending) = ending {
                open.push((index, ending));
            }
        }
        for (index, _) in &open {
            let fault = &mut faults[*index];
            fault.lasted_us = now_us.saturating_sub(fault.at_us);
        }
        let fault_time_us = faults.iter().map(|f| f.lasted_us).sum();
        Ledger {
            faults,
            fault_time_us,
        }
    }

    /// Faults spent.
    pub fn count(&self) -> u32 {
        self.faults.len() as u32
    }
}

fn is_cut(spend: Spend) -> bool {
    matches!(
        spend,
        Spend::Fault(FaultKind::Partition) | Spend::Fault(FaultKind::OneWayCut)
    )
}

/// The directed links `command` cuts.
fn cut_links(command: &Command<()>, nodes: u8) -> Vec<(NodeId, NodeId)> {
    match command {
        Command::CutLink { from, to } => vec![(*from, *to)],
        Command::CutBoth { a, b } => vec![(*a, *b), (*b, *a)],
        Command::Partition { groups } => {
            let group_of = |n: NodeId| groups.iter().position(|g| g.contains(&n));
            let mut links = Vec::new();
            for a in (0..nodes).map(NodeId) {
                for b in (0..nodes).map(NodeId) {
                    if a != b && group_of(a) != group_of(b) {
                        links.push((a, b));
                    }
                }
            }
            links
        }
        _ => Vec::new(),
    }
}

/// Ends the lasting faults a free command undoes, at `at`.
fn close(
    open: &mut Vec<(usize, Ending)>,
    faults: &mut [Spent],
    command: &Command<()>,
    at: Micros,
    cluster: &Cluster,
) {
    let healed: Vec<(NodeId, NodeId)> = match command {
        Command::HealLink { from, to } => vec![(*from, *to)],
        Command::HealBoth { a, b } => vec![(*a, *b), (*b, *a)],
        _ => Vec::new(),
    };
    open.retain_mut(|(index, ending)| {
        let ends = match ending {
            Ending::Node(node, paused) => match command {
                Command::Resume { node: n } => *paused && n == node,
                Command::Restart { node: n } => !*paused && n == node,
                _ => false,
            },
            Ending::Links(links) => {
                if matches!(command, Command::HealAll) {
                    true
                } else {
                    links.retain(|link| !healed.contains(link));
                    links.is_empty()
                }
            }
            Ending::Link(from, to) => matches!(
                command,
                Command::SetLink { from: f, to: t, config } if f == from && t == to && *config == cluster.link
            ),
        };
        if ends {
            let fault = &mut faults[*index];
            fault.lasted_us = at.saturating_sub(fault.at_us);
        }
        !ends
    });
}

/// Why a fault asked for by hand was refused by the challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NotAllowed {
        kind: FaultKind,
        allowed: Vec<FaultKind>,
    },
    NoFaultsLeft {
        budget: u32,
    },
    NoTimeLeft {
        budget_us: Micros,
    },
    NotAFault(NotCounted),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotAllowed { kind, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(|k| k.label()).collect();
                write!(
                    f,
                    "Not in this challenge: it allows {} only, not {}.",
                    allowed.join(", "),
                    kind.label()
                )
            }
            Refusal::NoFaultsLeft { budget } => write!(
                f,
                "Over budget: this challenge allows {}, and you have used them. Undo one in the \
                 fault log, or restart the challenge.",
                super::count(*budget, "fault")
            ),
            Refusal::NoTimeLeft { budget_us } => write!(
                f,
                "Over budget: your faults have lasted the {} of fault time this challenge allows.",
                crate::sim::words::duration(*budget_us)
            ),
            Refusal::NotAFault(what) => write!(
                f,
                "Not in this challenge: {} not one of its faults.",
                match what {
                    NotCounted::Flood => "a flood is",
                    NotCounted::Uncertainty => "changing a clock's uncertainty is",
                    NotCounted::Latency => "changing a link's latency is",
                }
            ),
        }
    }
}

impl std::error::Error for Refusal {}
