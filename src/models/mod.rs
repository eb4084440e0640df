//! Protocol models for the scenarios: pure state machines on the core's [`crate::sim::Model`]
//! trait. Each declares its properties and tells the detectors what its notes mean.

pub mod election;
pub mod generals;
pub mod heartbeat;
pub mod lock;
pub mod logging;
pub mod register;
pub mod server;
pub mod stopwatch;
pub mod truetime;
