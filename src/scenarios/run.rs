//! Starting a scenario as a [`LiveRun`], and running one to its end to judge it.

use super::{ModelSpec, Scenario};
use crate::detect::{Finding, Observed, Property};
use crate::live::{LiveRun, Session};
use crate::models::election::Election;
use crate::sim::{Action, CommandError, Micros, ReplayError, Scheduled, SimConfig, Simulation};

/// What a finished run showed.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Each property with whether it held.
    pub properties: Vec<(Property, bool)>,
    /// The trace as text (see [`render_text`]).
    pub text: String,
    /// How many events the trace holds.
    pub events: usize,
}

/// Runs the scenario (with its fix on or off, as it says) to its end.
pub fn run(scenario: &Scenario) -> Result<Outcome, ReplayError> {
    let mut live = start(scenario)?;
    live.run_to_end();
    Ok(Outcome {
        findings: live.findings().to_vec(),
        properties: live.properties(),
        text: live.text(),
        events: live.event_count(),
    })
}

/// Starts the scenario (with its fix on or off, as it says) at time zero.
pub fn start(scenario: &Scenario) -> Result<Box<dyn LiveRun>, ReplayError> {
    start_with(scenario, &[])
}

/// Starts the scenario and replays a log of faults applied by hand (as [`LiveRun`] records them
/// and share links carry them), positioned after the last one.
pub fn start_with(
    scenario: &Scenario,
    faults: &[Action<()>],
) -> Result<Box<dyn LiveRun>, ReplayError> {
    let fixed = scenario.fix_enabled;
    let launch = Launch {
        config: scenario.config.clone(),
        duration_us: scenario.duration_us,
        faults,
    };
    match &scenario.model {
        ModelSpec::Election { params, script } => {
            let model = Election {
                quorum: fixed,
                ..params.clone()
            };
            launch.run(model, script)
        }
        ModelSpec::Lock {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::Register {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::Heartbeats {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::Stopwatch {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::Logging {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::Server {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::TrueTime {
            params,
            fixed,
            script,
        } => launch.run(pick(scenario, params, fixed), script),
        ModelSpec::Generals {
            params,
            fixed_nodes,
            script,
        } => {
            let nodes = if fixed {
                *fixed_nodes
            } else {
                launch.config.nodes
            };
            let config = SimConfig {
                nodes,
                ..launch.config.clone()
            };
            Launch { config, ..launch }.run(params.clone(), script)
        }
    }
}

/// The model's parameters with the fix on or off.
fn pick<T: Clone>(scenario: &Scenario, params: &T, with_fix: &T) -> T {
    if scenario.fix_enabled {
        with_fix
    } else {
        params
    }
    .clone()
}

/// What every model's run starts from besides the model and its script.
struct Launch<'a> {
    config: SimConfig,
    duration_us: Micros,
    faults: &'a [Action<()>],
}

impl Launch<'_> {
    fn run<M: Observed>(
        self,
        model: M,
        script: &[Scheduled<M::ClientOp>],
    ) -> Result<Box<dyn LiveRun>, ReplayError> {
        run_model(
            model,
            self.config,
            script.to_vec(),
            self.duration_us,
            self.faults,
        )
    }
}

fn run_model<M: Observed>(
    model: M,
    config: SimConfig,
    script: Vec<Scheduled<M::ClientOp>>,
    duration_us: Micros,
    faults: &[Action<()>],
) -> Result<Box<dyn LiveRun>, ReplayError> {
    let actions = faults
        .iter()
        .enumerate()
        .map(|(index, action)| {
            let command = action
                .command
                .clone()
                .for_model()
                .ok_or(ReplayError::Action {
                    index,
                    error: CommandError::NotAFault,
                })?;
            Ok(Action {
                after_step: action.after_step,
                after_pops: action.after_pops,
                at_time: action.at_time,
                command,
            })
        })
        .collect::<Result<Vec<_>, ReplayError>>()?;
    let sim = Simulation::replay_with_script(model, config, script, actions)?;
    Ok(Box::new(Session::new(sim, duration_us)))
}
