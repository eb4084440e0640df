//! Starting a scenario as a live [`Session`], and running one to its end to judge it.

use std::any::Any;

use super::{ModelSpec, Scenario};
use crate::detect::{Finding, Observed, Property};
use crate::live::Session;
use crate::sim::{
    CommandError, LoggedCommand, Micros, Names, ReplayError, Scheduled, SimConfig, Simulation,
};

/// What a finished run showed.
#[derive(Clone, Debug)]
pub struct RunReport {
    pub findings: Vec<Finding>,
    /// Each property with whether it held.
    pub properties: Vec<(Property, bool)>,
    /// The trace as text (see [`render_text`]).
    pub text: String,
    /// How many events the trace holds.
    pub events: usize,
}

/// Runs the scenario (with its fix on or off, as it says) to its end.
pub fn run(scenario: &Scenario) -> Result<RunReport, ReplayError> {
    let mut live = start(scenario)?;
    live.run_to_end();
    Ok(RunReport {
        findings: live.findings().to_vec(),
        properties: live.properties(),
        text: live.text(),
        events: live.event_count(),
    })
}

/// Starts the scenario (with its fix on or off, as it says) at time zero.
pub fn start(scenario: &Scenario) -> Result<Session, ReplayError> {
    start_with(scenario, &[])
}

/// Starts the scenario and replays a log of faults applied by hand (as [`Session`] records them
/// and share links carry them), positioned after the last one.
pub fn start_with(
    scenario: &Scenario,
    faults: &[LoggedCommand<()>],
) -> Result<Session, ReplayError> {
    launch(scenario, faults, AsSession)
}

/// A scenario's simulation at time zero, as its own model's type behind `dyn Any`: downcast it
/// to `Simulation<M>` to read the model's notes, messages and state (tests tie narration to
/// runs this way); the second value is when the scenario ends.
pub fn simulate(scenario: &Scenario) -> Result<(Box<dyn Any>, Micros), ReplayError> {
    launch(scenario, &[], AsAny)
}

/// What to make of a scenario's simulation once it is built (the one place that turns a
/// scenario's model data into a typed simulation).
trait Launcher {
    type Out;
    fn launch<M: Observed + 'static>(
        self,
        sim: Simulation<M>,
        duration_us: Micros,
        names: Names,
    ) -> Self::Out;
}

struct AsSession;

impl Launcher for AsSession {
    type Out = Session;
    fn launch<M: Observed + 'static>(
        self,
        sim: Simulation<M>,
        duration_us: Micros,
        names: Names,
    ) -> Self::Out {
        Session::new(Box::new(sim), duration_us, names)
    }
}

struct AsAny;

impl Launcher for AsAny {
    type Out = (Box<dyn Any>, Micros);
    fn launch<M: Observed + 'static>(
        self,
        sim: Simulation<M>,
        duration_us: Micros,
        _: Names,
    ) -> Self::Out {
        (Box::new(sim), duration_us)
    }
}

fn launch<L: Launcher>(
    scenario: &Scenario,
    faults: &[LoggedCommand<()>],
    launcher: L,
) -> Result<L::Out, ReplayError> {
    let fixed = scenario.fix_enabled;
    let launch = Launch {
        config: scenario.config.clone(),
        duration_us: scenario.duration_us,
        names: scenario.view.names(),
        faults,
        launcher,
    };
    match &scenario.model {
        ModelSpec::Election {
            params,
            fixed: fixed_params,
            script,
        } => launch.run(
            super::election_in_force(params, fixed_params.as_ref(), fixed),
            script,
        ),
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
struct Launch<'a, L> {
    config: SimConfig,
    duration_us: Micros,
    names: Names,
    faults: &'a [LoggedCommand<()>],
    launcher: L,
}

impl<L: Launcher> Launch<'_, L> {
    fn run<M: Observed + 'static>(
        self,
        model: M,
        script: &[Scheduled<M::ClientOp>],
    ) -> Result<L::Out, ReplayError> {
        let sim = simulation(model, self.config, script.to_vec(), self.faults)?;
        Ok(self.launcher.launch(sim, self.duration_us, self.names))
    }
}

fn simulation<M: Observed>(
    model: M,
    config: SimConfig,
    script: Vec<Scheduled<M::ClientOp>>,
    faults: &[LoggedCommand<()>],
) -> Result<Simulation<M>, ReplayError> {
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
            Ok(LoggedCommand {
                after_step: action.after_step,
                after_pops: action.after_pops,
                at_time: action.at_time,
                command,
            })
        })
        .collect::<Result<Vec<_>, ReplayError>>()?;
    Simulation::replay_with_script(model, config, script, actions)
}
