//! The preset scenarios, one per phenomenon in the source material, grouped by topic.

mod byzantine;
mod client_server;
mod clocks;
mod failure_detection;
mod leadership;
mod leases;
mod replication;

use super::Scenario;

/// What every topic file needs: the scenario types, models, and the helpers below.
mod prelude {
    pub(super) use super::super::{Fix, ModelSpec, Narration, Prediction, Scenario, Shown};
    pub(super) use super::{at, say, say_if, A, B, C, D, E};
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
        ClockConfig, Command, LinkConfig, Micros, NodeId, Scheduled, SimConfig, SimRng,
    };
}

use prelude::*;

pub(super) const A: NodeId = NodeId(0);
pub(super) const B: NodeId = NodeId(1);
pub(super) const C: NodeId = NodeId(2);
pub(super) const D: NodeId = NodeId(3);
pub(super) const E: NodeId = NodeId(4);

/// Every preset, in teaching order.
pub fn all() -> Vec<Scenario> {
    vec![
        leadership::split_brain(),
        replication::seat_double_booked(),
        replication::lww_clock_skew(),
        leases::expired_lease_slow_clock(),
        leases::gc_pause_fencing(),
        client_server::reordered_writes(),
        failure_detection::timeouts(),
        leadership::majority_truth(),
        clocks::wall_clock_log_order(),
        client_server::retry_charges_twice(),
        clocks::ntp_step_back(),
        clocks::truetime_commit_wait(),
        byzantine::byzantine_generals(),
        client_server::lost_update(),
        leadership::sandbox(),
    ]
}

pub fn by_id(id: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.id == id)
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

pub(super) fn at<Op>(at_us: Micros, command: Command<Op>) -> Scheduled<Op> {
    Scheduled { at_us, command }
}
