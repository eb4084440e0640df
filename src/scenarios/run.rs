//! Running a scenario to its end and judging it.

use super::{ModelSpec, Scenario};
use crate::detect::{Finding, Observed, Property};
use crate::models::election::Election;
use crate::sim::{render_text, CommandError, Micros, Scheduled, SimConfig, Simulation};

/// What a finished run showed.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Each property with whether it held.
    pub properties: Vec<(Property, bool)>,
    /// The trace as text (see [`render_text`]).
    pub text: String,
}

/// Runs the scenario (with its fix on or off, as it says) to its end.
pub fn run(scenario: &Scenario) -> Result<Outcome, CommandError> {
    match &scenario.model {
        ModelSpec::Election { params, script } => {
            let model = Election {
                quorum: scenario.fix_enabled,
                ..params.clone()
            };
            run_model(
                model,
                scenario.config.clone(),
                script.clone(),
                scenario.duration_us,
            )
        }
        ModelSpec::Lock {
            params,
            fixed,
            script,
        } => {
            let model = if scenario.fix_enabled { fixed } else { params };
            run_model(
                model.clone(),
                scenario.config.clone(),
                script.clone(),
                scenario.duration_us,
            )
        }
    }
}

fn run_model<M: Observed>(
    model: M,
    config: SimConfig,
    script: Vec<Scheduled<M::ClientOp>>,
    duration_us: Micros,
) -> Result<Outcome, CommandError> {
    let mut sim = Simulation::with_script(model, config, script)?;
    sim.run_until(duration_us);
    let findings = sim.model().detect(sim.trace());
    let properties = sim
        .model()
        .properties()
        .into_iter()
        .map(|p| (p, !findings.iter().any(|f| f.kind == p.violated_by)))
        .collect();
    Ok(Outcome {
        findings,
        properties,
        text: render_text(sim.trace()),
    })
}
