//! The action log: what the user did and exactly where, so a run replays bit for bit.

use std::ops::Range;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

use crate::sim::command::{Command, CommandError};
use crate::sim::ids::Micros;

/// The longest run an action log may describe: replay refuses logs that point further.
pub const MAX_REPLAY_STEPS: u64 = 2_000_000;

/// One entry of the action log: a command and exactly where in the run it was applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoggedCommand<Op> {
    /// Applied after this many steps…
    pub after_step: u64,
    /// …and this many queue pops (skipped pops included), so replay is exact.
    pub after_pops: u64,
    /// The true time at which it took effect.
    pub at_time: Micros,
    pub command: Command<Op>,
}

/// A command a scenario schedules at a true time. Unlike user actions, scripted commands are part
/// of the scenario itself: rewinding and acting differently never discards them. A scenario's
/// script is read by hand (`scenarios::script_json`), where a step may stand for a regular run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scheduled<Op> {
    pub at_us: Micros,
    pub command: Command<Op>,
}

// Actions and scheduled commands are read through a JSON value: the command decoder
// (`Command::from_json`, written by hand) then exists once in the bundle, not once per model's
// operation type and per input format; only the operation is read as the model's type.

/// Reads a command from JSON, its client operation as `Op`. An error names the field it is
/// about, from `command` down ("command: op: missing field `key`"), as a path continues.
pub fn decode_command<Op: DeserializeOwned>(
    value: serde_json::Value,
) -> Result<Command<Op>, String> {
    let command = Command::from_json(value).map_err(|error| format!("command: {error}"))?;
    let mut failure = String::new();
    command
        .map_op(|op| {
            crate::sim::from_field::<Op>("op", op)
                .map_err(|error| failure = error.to_string())
                .ok()
        })
        .ok_or_else(|| format!("command: {failure}"))
}

/// A logged command as JSON holds it, its command still a JSON value: read by serde, then
/// [`LoggedWire::decode`]d by the command decoder (written by hand), whose error names the field.
#[derive(Deserialize)]
pub struct LoggedWire {
    after_step: u64,
    after_pops: u64,
    at_time: Micros,
    command: serde_json::Value,
}

impl LoggedWire {
    pub fn decode<Op: DeserializeOwned>(self) -> Result<LoggedCommand<Op>, String> {
        Ok(LoggedCommand {
            after_step: self.after_step,
            after_pops: self.after_pops,
            at_time: self.at_time,
            command: decode_command(self.command)?,
        })
    }
}

impl<'de, Op: DeserializeOwned> Deserialize<'de> for LoggedCommand<Op> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        LoggedWire::deserialize(deserializer)?
            .decode()
            .map_err(D::Error::custom)
    }
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub step: u64,
    pub time: Micros,
    /// The trace events the step recorded (its own and those of actions replayed after it).
    pub events: Range<usize>,
}

/// Why a saved run could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    Config(CommandError),
    /// Entry `index` of the log is invalid at the point where it applies.
    Action {
        index: usize,
        error: CommandError,
    },
    /// The log is out of order or points past the end of the run.
    Unreachable {
        index: usize,
    },
    /// Entry `index` lies beyond [`MAX_REPLAY_STEPS`].
    TooLong {
        index: usize,
        after_step: u64,
    },
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::Config(error) => write!(f, "its settings are impossible: {error}"),
            ReplayError::Action { index, error } => write!(f, "action {}: {error}", index + 1),
            ReplayError::TooLong { index, after_step } => write!(
                f,
                "action {} is at step {after_step}; runs are limited to {MAX_REPLAY_STEPS} steps",
                index + 1
            ),
            ReplayError::Unreachable { index } => write!(
                f,
                "action {} is out of order or beyond the end of the run",
                index + 1
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Checks what can be checked before running: positions in order and within bounds.
pub(super) fn check_log_order<Op>(actions: &[LoggedCommand<Op>]) -> Result<(), ReplayError> {
    let mut previous = (0, 0);
    for (index, action) in actions.iter().enumerate() {
        if action.after_step > MAX_REPLAY_STEPS {
            return Err(ReplayError::TooLong {
                index,
                after_step: action.after_step,
            });
        }
        let position = (action.after_step, action.after_pops);
        // Every step pops at least once, so pops can never trail steps.
        if position < previous || action.after_pops < action.after_step {
            return Err(ReplayError::Unreachable { index });
        }
        previous = position;
    }
    Ok(())
}
