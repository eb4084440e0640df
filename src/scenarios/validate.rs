//! Checks a scenario from outside (a custom one in a link or file) before anything runs it:
//! every timing, count and text within limits that keep a run small and responsive, every
//! scripted command fitting the cluster. Errors name the field.

use std::fmt;

use super::{ClusterError, ModelSpec, Prediction, Scenario};
use crate::models::election::Disk;
use crate::models::heartbeat::{Detector, Heartbeats};
use crate::sim::{CommandError, Micros, Scheduled, MAX_NODES};

/// The shortest timing a custom model may use: shorter ones flood the run with events.
pub const MIN_TIMING_US: Micros = 1_000;
/// The longest timing.
pub const MAX_TIMING_US: Micros = 60_000_000;
/// The most scripted steps a custom scenario may carry, a repeat's counted one by one (a file's
/// script with repeats that would expand further is refused as it is read: `script_json`).
pub const MAX_SCRIPT: usize = 5_000;
/// The most narration lines.
pub const MAX_NARRATION: usize = 100;
/// The longest text (a title, a narration line, an explanation), in characters.
pub const MAX_TEXT: usize = 2_000;
/// The most events a guided question may name as answering it.
pub const MAX_REVEALS: usize = 8;
/// The longest name of a node, a key or a value, in characters: it labels a lifeline.
pub const MAX_NAME: usize = 40;
/// The most keys or values a register's vocabulary may name.
pub const MAX_VOCABULARY: usize = 64;
/// The largest share of a link a circuit may reserve: the rest is left to other traffic.
pub const MAX_CIRCUIT_SHARE: f64 = 0.9;
/// The most requests a server's line may hold.
pub const MAX_QUEUE: u64 = 10_000;

/// Why a scenario from outside was refused: the field at fault, and what is wrong with it.
/// Its text names the field ("model.params.heartbeat_us is 0 µs; timings are 1 ms to 60 s").
#[derive(Clone, Debug, PartialEq)]
pub struct InvalidScenario {
    /// Where, as a path into the scenario: "model.params.heartbeat_us", "view.names[2]".
    pub field: String,
    pub problem: Problem,
}

/// What is wrong with a scenario's field.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A timing outside [`MIN_TIMING_US`] to [`MAX_TIMING_US`].
    Timing { us: Micros },
    /// A number (or a count of things) outside its range.
    OutOfRange { value: u64, min: u64, max: u64 },
    /// A decimal number outside its range.
    OutOfRangeDecimal { value: f64, min: f64, max: f64 },
    /// A text longer than [`MAX_TEXT`] characters.
    TextTooLong { chars: usize },
    /// A text that must say something and is empty.
    EmptyText,
    /// A name longer than [`MAX_NAME`] characters.
    NameTooLong { chars: usize },
    /// A name with a line break or another control character.
    ControlCharacter,
    /// An id with characters other than letters, digits, `-` and `_`.
    IdCharacters,
    /// More entries than allowed ("the script has 6000 steps").
    TooMany {
        count: usize,
        max: usize,
        what: &'static str,
    },
    /// A moment after the run's end.
    AfterTheEnd { at_us: Micros, end_us: Micros },
    /// A scripted command that does not fit the cluster.
    Command(CommandError),
    /// The cluster itself is impossible.
    Cluster(ClusterError),
    /// The same finding explained twice.
    ExplainedTwice { finding: &'static str },
    /// A first view that ends before it starts, or after the run.
    Frame {
        start_us: Micros,
        end_us: Micros,
        duration_us: Micros,
    },
}

impl fmt::Display for InvalidScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.problem {
            Problem::Timing { us } => write!(
                f,
                "{field} is {us} µs; timings are {} ms to {} s",
                MIN_TIMING_US / 1_000,
                MAX_TIMING_US / 1_000_000
            ),
            Problem::OutOfRange { value, min, max } => {
                write!(f, "{field} is {value}; it must be {min} to {max}")
            }
            Problem::OutOfRangeDecimal { value, min, max } => {
                write!(f, "{field} is {value}; it must be {min} to {max}")
            }
            Problem::TextTooLong { chars } => {
                write!(f, "{field} is {chars} characters long; at most {MAX_TEXT}")
            }
            Problem::EmptyText => write!(f, "{field} is empty"),
            Problem::NameTooLong { chars } => write!(
                f,
                "{field} is {chars} characters long; names have at most {MAX_NAME}"
            ),
            Problem::ControlCharacter => {
                write!(f, "{field} holds a line break or control character")
            }
            Problem::IdCharacters => write!(f, "{field} may hold only letters, digits, - and _"),
            Problem::TooMany { count, max, what } => {
                write!(f, "the {field} has {count} {what}; at most {max}")
            }
            Problem::AfterTheEnd { at_us, end_us } => write!(
                f,
                "{field} is at {at_us} µs, after the run ends ({end_us} µs)"
            ),
            Problem::Command(error) => write!(f, "{field}: {error}"),
            Problem::Cluster(error) => write!(f, "{error}"),
            Problem::ExplainedTwice { finding } => {
                write!(f, "{field} explains “{finding}” a second time")
            }
            Problem::Frame {
                start_us,
                end_us,
                duration_us,
            } => write!(
                f,
                "{field} is {start_us} µs to {end_us} µs; it must start before it ends, within \
                 the run ({duration_us} µs)"
            ),
        }
    }
}

impl std::error::Error for InvalidScenario {}

type Checked = Result<(), InvalidScenario>;

fn refuse(field: impl Into<String>, problem: Problem) -> Checked {
    Err(InvalidScenario {
        field: field.into(),
        problem,
    })
}

fn timing(field: &str, us: Micros) -> Checked {
    if !(MIN_TIMING_US..=MAX_TIMING_US).contains(&us) {
        return refuse(field, Problem::Timing { us });
    }
    Ok(())
}

fn at_most(field: &str, value: u64, min: u64, max: u64) -> Checked {
    if !(min..=max).contains(&value) {
        return refuse(field, Problem::OutOfRange { value, min, max });
    }
    Ok(())
}

fn text(field: &str, value: &str) -> Checked {
    let chars = value.chars().count();
    if chars > MAX_TEXT {
        return refuse(field, Problem::TextTooLong { chars });
    }
    Ok(())
}

/// A guided question (`field` is where it is: "prediction", "fix_prediction"): its texts, 1 to
/// 8 choices with the answer among them, and at most [`MAX_REVEALS`] events that answer it,
/// each with words to look for and, if it names one, a node of the `nodes` its run has.
fn question(field: &str, question: &Prediction, nodes: u8) -> Checked {
    text(&format!("{field}.question"), &question.question)?;
    text(&format!("{field}.explanation"), &question.explanation)?;
    at_most(
        &format!("{field}.choices (how many)"),
        question.choices.len() as u64,
        1,
        8,
    )?;
    for (index, choice) in question.choices.iter().enumerate() {
        text(&format!("{field}.choices[{index}]"), choice)?;
    }
    at_most(
        &format!("{field}.answer"),
        question.answer as u64,
        0,
        question.choices.len() as u64 - 1,
    )?;
    if question.reveal.len() > MAX_REVEALS {
        let (count, max) = (question.reveal.len(), MAX_REVEALS);
        return refuse(
            format!("{field}.reveal"),
            Problem::TooMany {
                count,
                max,
                what: "events",
            },
        );
    }
    for (index, reveal) in question.reveal.iter().enumerate() {
        let says = format!("{field}.reveal[{index}].says");
        if reveal.says.is_empty() {
            // Empty words are in every event: the question would be asked before the first.
            return refuse(says, Problem::EmptyText);
        }
        text(&says, &reveal.says)?;
        if let Some(node) = reveal.node {
            if node.0 >= nodes {
                return refuse(
                    format!("{field}.reveal[{index}].node"),
                    Problem::Command(CommandError::UnknownNode {
                        node: node.0,
                        nodes,
                    }),
                );
            }
        }
    }
    Ok(())
}

/// A name: at most [`MAX_NAME`] characters, one line.
fn name(field: &str, value: &str) -> Checked {
    let chars = value.chars().count();
    if chars > MAX_NAME {
        return refuse(field, Problem::NameTooLong { chars });
    }
    if value.chars().any(char::is_control) {
        return refuse(field, Problem::ControlCharacter);
    }
    Ok(())
}

fn vocabulary(field: &str, words: &crate::models::register::Vocabulary) -> Checked {
    for (what, count) in [("keys", words.keys.len()), ("values", words.values.len())] {
        at_most(
            &format!("{field}.{what} (how many)"),
            count as u64,
            0,
            MAX_VOCABULARY as u64,
        )?;
    }
    for (index, (_, text)) in words.keys.iter().enumerate() {
        name(&format!("{field}.keys[{index}]"), text)?;
    }
    for (index, (_, text)) in words.values.iter().enumerate() {
        name(&format!("{field}.values[{index}]"), text)?;
    }
    Ok(())
}

fn script<Op>(steps: &[Scheduled<Op>], nodes: u8, duration_us: Micros) -> Checked {
    if steps.len() > MAX_SCRIPT {
        let (count, max) = (steps.len(), MAX_SCRIPT);
        return refuse(
            "script",
            Problem::TooMany {
                count,
                max,
                what: "steps",
            },
        );
    }
    for (index, step) in steps.iter().enumerate() {
        let field = || format!("script step {index}");
        if step.at_us > duration_us {
            let (at_us, end_us) = (step.at_us, duration_us);
            return refuse(field(), Problem::AfterTheEnd { at_us, end_us });
        }
        if let Err(error) = step.command.validate_shape(nodes) {
            return refuse(field(), Problem::Command(error));
        }
    }
    Ok(())
}

fn heartbeats(field: &str, params: &Heartbeats) -> Checked {
    timing(&format!("{field}.period_us"), params.period_us)?;
    at_most(&format!("{field}.window"), params.window as u64, 1, 1_000)?;
    let share = params.circuit_share;
    if !(share.is_finite() && (0.0..=MAX_CIRCUIT_SHARE).contains(&share)) {
        return refuse(
            format!("{field}.circuit_share"),
            Problem::OutOfRangeDecimal {
                value: share,
                min: 0.0,
                max: MAX_CIRCUIT_SHARE,
            },
        );
    }
    match params.detector {
        Detector::FixedTimeout { timeout_us } => {
            timing(&format!("{field}.detector.timeout_us"), timeout_us)
        }
        Detector::PhiAccrual {
            threshold,
            min_std_us,
        } => {
            if !(threshold.is_finite() && (0.1..=100.0).contains(&threshold)) {
                return refuse(
                    format!("{field}.detector.threshold"),
                    Problem::OutOfRangeDecimal {
                        value: threshold,
                        min: 0.1,
                        max: 100.0,
                    },
                );
            }
            timing(&format!("{field}.detector.min_std_us"), min_std_us)
        }
    }
}

impl ModelSpec {
    fn validate(&self, nodes: u8, duration_us: Micros) -> Checked {
        let m = "model";
        match self {
            ModelSpec::Election {
                params,
                fixed,
                script: s,
            } => {
                for (name, p) in
                    std::iter::once(("params", params)).chain(fixed.iter().map(|f| ("fixed", f)))
                {
                    timing(&format!("{m}.{name}.heartbeat_us"), p.heartbeat_us)?;
                    timing(
                        &format!("{m}.{name}.election_timeout_us"),
                        p.election_timeout_us,
                    )?;
                    timing(&format!("{m}.{name}.lease_us"), p.lease_us)?;
                    if let Disk::SyncBeforeVoting { fsync_us } = p.disk {
                        timing(&format!("{m}.{name}.disk.fsync_us"), fsync_us)?;
                    }
                }
                script(s, nodes, duration_us)
            }
            ModelSpec::Lock {
                params,
                fixed,
                script: s,
            } => {
                for (name, p) in [("params", params), ("fixed", fixed)] {
                    timing(&format!("{m}.{name}.lease_us"), p.lease_us)?;
                    timing(&format!("{m}.{name}.work_us"), p.work_us)?;
                    timing(&format!("{m}.{name}.retry_us"), p.retry_us)?;
                    at_most(
                        &format!("{m}.{name}.margin_us"),
                        p.margin_us,
                        0,
                        MAX_TIMING_US,
                    )?;
                }
                script(s, nodes, duration_us)
            }
            ModelSpec::Register {
                params,
                fixed,
                script: s,
            } => {
                for (name, p) in [("params", params), ("fixed", fixed)] {
                    timing(
                        &format!("{m}.{name}.quorum_timeout_us"),
                        p.quorum_timeout_us,
                    )?;
                    timing(&format!("{m}.{name}.anti_entropy_us"), p.anti_entropy_us)?;
                    vocabulary(&format!("{m}.{name}.vocabulary"), &p.vocabulary)?;
                    if let Some(check) = p.clock_check {
                        timing(&format!("{m}.{name}.clock_check.bound_us"), check.bound_us)?;
                        timing(&format!("{m}.{name}.clock_check.every_us"), check.every_us)?;
                    }
                }
                script(s, nodes, duration_us)
            }
            ModelSpec::Heartbeats {
                params,
                fixed,
                script: s,
            } => {
                heartbeats("model.params", params)?;
                heartbeats("model.fixed", fixed)?;
                script(s, nodes, duration_us)
            }
            ModelSpec::Stopwatch {
                params,
                fixed,
                script: s,
            } => {
                timing("model.params.work_us", params.work_us)?;
                timing("model.fixed.work_us", fixed.work_us)?;
                script(s, nodes, duration_us)
            }
            ModelSpec::Logging { script: s, .. } => script(s, nodes, duration_us),
            ModelSpec::TrueTime { script: s, .. } => script(s, nodes, duration_us),
            ModelSpec::Generals {
                params,
                fixed_nodes,
                script: s,
            } => {
                timing("model.params.round_us", params.round_us)?;
                at_most(
                    "model.fixed_nodes",
                    u64::from(*fixed_nodes),
                    1,
                    MAX_NODES as u64,
                )?;
                if let Some(traitor) = params.traitor {
                    at_most(
                        "model.params.traitor",
                        u64::from(traitor.0),
                        0,
                        u64::from(nodes.min(*fixed_nodes)) - 1,
                    )?;
                }
                script(s, nodes, duration_us)
            }
            ModelSpec::Server {
                params,
                fixed,
                script: s,
            } => {
                for (name, p) in [("params", params), ("fixed", fixed)] {
                    timing(&format!("{m}.{name}.retry_us"), p.retry_us)?;
                    if let Some(window) = p.dedup_window_us {
                        timing(&format!("{m}.{name}.dedup_window_us"), window)?;
                    }
                    at_most(
                        &format!("{m}.{name}.max_attempts"),
                        u64::from(p.max_attempts),
                        1,
                        20,
                    )?;
                    at_most(
                        &format!("{m}.{name}.initial_balance (its size)"),
                        p.initial_balance.unsigned_abs(),
                        0,
                        1_000_000_000_000,
                    )?;
                    at_most(
                        &format!("{m}.{name}.servers"),
                        u64::from(p.servers),
                        1,
                        u64::from(nodes),
                    )?;
                    if let Some(queue) = p.queue {
                        timing(&format!("{m}.{name}.queue.service_us"), queue.service_us)?;
                        at_most(
                            &format!("{m}.{name}.queue.limit"),
                            u64::from(queue.limit),
                            1,
                            MAX_QUEUE,
                        )?;
                    }
                    if let Some(after) = p.failover_after {
                        at_most(
                            &format!("{m}.{name}.failover_after"),
                            u64::from(after),
                            1,
                            20,
                        )?;
                    }
                    if let Some(backoff) = p.backoff {
                        timing(&format!("{m}.{name}.backoff.base_us"), backoff.base_us)?;
                        timing(&format!("{m}.{name}.backoff.cap_us"), backoff.cap_us)?;
                    }
                    if let Some(breaker) = p.breaker {
                        at_most(
                            &format!("{m}.{name}.breaker.after"),
                            u64::from(breaker.after),
                            1,
                            20,
                        )?;
                        timing(&format!("{m}.{name}.breaker.open_us"), breaker.open_us)?;
                    }
                }
                script(s, nodes, duration_us)
            }
        }
    }
}

impl Scenario {
    /// Checks a scenario from outside; the error names the field.
    pub fn validate(&self) -> Result<(), InvalidScenario> {
        if let Err(error) = self.cluster().validate() {
            return refuse("cluster", Problem::Cluster(error));
        }
        at_most("id (its length)", self.id.chars().count() as u64, 1, 64)?;
        if !self
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return refuse("id", Problem::IdCharacters);
        }
        text("title", &self.title)?;
        text("lesson", &self.lesson)?;
        if self.key_moment_us > self.duration_us {
            let (at_us, end_us) = (self.key_moment_us, self.duration_us);
            return refuse("key_moment_us", Problem::AfterTheEnd { at_us, end_us });
        }
        if self.narration.len() > MAX_NARRATION {
            let (count, max) = (self.narration.len(), MAX_NARRATION);
            return refuse(
                "narration",
                Problem::TooMany {
                    count,
                    max,
                    what: "lines",
                },
            );
        }
        for (index, line) in self.narration.iter().enumerate() {
            text(&format!("narration line {index}"), &line.text)?;
        }
        question("prediction", &self.prediction, self.config.nodes)?;
        if let Some(fixed) = &self.fix_prediction {
            // The fixed run may have more nodes (the generals' fix adds one).
            let nodes = match &self.model {
                ModelSpec::Generals { fixed_nodes, .. } => (*fixed_nodes).max(self.config.nodes),
                _ => self.config.nodes,
            };
            question("fix_prediction", fixed, nodes)?;
        }
        text("source", &self.source)?;
        text("fix.label", &self.fix.label)?;
        text("fix.explanation", &self.fix.explanation)?;
        text("fix.cost", &self.fix.cost)?;
        for (index, explains) in self.explains.iter().enumerate() {
            text(&format!("explains[{index}].text"), &explains.text)?;
            if self.explains[..index]
                .iter()
                .any(|e| e.finding == explains.finding)
            {
                let finding = explains.finding.label();
                return refuse(
                    format!("explains[{index}]"),
                    Problem::ExplainedTwice { finding },
                );
            }
        }
        self.model.validate(self.config.nodes, self.duration_us)?;
        at_most(
            "view.names (how many)",
            self.view.names.len() as u64,
            0,
            MAX_NODES as u64,
        )?;
        for (index, node) in self.view.names.iter().enumerate() {
            name(&format!("view.names[{index}]"), node)?;
        }
        at_most("view.quiet (how many)", self.view.quiet.len() as u64, 0, 64)?;
        for (index, kind) in self.view.quiet.iter().enumerate() {
            name(&format!("view.quiet[{index}]"), kind)?;
        }
        for (field, frame) in [
            ("frame", self.view.frame),
            ("fix_frame", self.view.fix_frame),
        ] {
            if let Some((start, end)) = frame {
                if start >= end || end > self.duration_us {
                    return refuse(
                        format!("view.{field}"),
                        Problem::Frame {
                            start_us: start,
                            end_us: end,
                            duration_us: self.duration_us,
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::scenarios::{all, by_id, ModelSpec};

    #[test]
    fn every_preset_is_valid() {
        for scenario in all() {
            assert_eq!(scenario.validate(), Ok(()), "{}", scenario.id);
        }
    }

    #[test]
    fn a_flooding_or_oversized_scenario_is_refused_by_name() {
        let mut flood = by_id("split-brain").unwrap();
        if let ModelSpec::Election { params, .. } = &mut flood.model {
            params.heartbeat_us = 0;
        }
        let refused = flood.validate().unwrap_err();
        assert_eq!(
            (refused.field.as_str(), &refused.problem),
            (
                "model.params.heartbeat_us",
                &super::Problem::Timing { us: 0 }
            )
        );
        assert_eq!(
            refused.to_string(),
            "model.params.heartbeat_us is 0 µs; timings are 1 ms to 60 s"
        );
        let mut chatty = by_id("split-brain").unwrap();
        chatty.narration[0].text = "x".repeat(5_000);
        assert!(chatty
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("narration line 0 is 5000"));
        let mut late = by_id("seat-12a").unwrap();
        late.duration_us = 50_000;
        assert!(late
            .validate()
            .unwrap_err()
            .to_string()
            .contains("after the run ends"));
        let mut wrong = by_id("byzantine-generals").unwrap();
        wrong.prediction.answer = 9;
        assert!(wrong
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("prediction.answer is 9"));
        let mut instant_disk = by_id("crash-amnesia").unwrap();
        if let ModelSpec::Election {
            fixed: Some(fixed), ..
        } = &mut instant_disk.model
        {
            fixed.disk = crate::models::election::Disk::SyncBeforeVoting { fsync_us: 0 };
        }
        assert_eq!(
            instant_disk.validate().unwrap_err().to_string(),
            "model.fixed.disk.fsync_us is 0 µs; timings are 1 ms to 60 s"
        );
        let mut forgetful = by_id("delivery-semantics").unwrap();
        if let ModelSpec::Server { fixed, .. } = &mut forgetful.model {
            fixed.dedup_window_us = Some(u64::MAX);
        }
        assert!(forgetful
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("model.fixed.dedup_window_us is"));
        let mut greedy = by_id("bounded-delay").unwrap();
        if let ModelSpec::Heartbeats { fixed, .. } = &mut greedy.model {
            fixed.circuit_share = 1.5;
        }
        assert_eq!(
            greedy.validate().unwrap_err().to_string(),
            "model.fixed.circuit_share is 1.5; it must be 0 to 0.9"
        );
        let mut hasty = by_id("clock-from-the-future").unwrap();
        if let ModelSpec::Register { fixed, .. } = &mut hasty.model {
            fixed.clock_check = Some(crate::models::register::ClockCheck {
                bound_us: 500_000,
                every_us: 10,
            });
        }
        assert_eq!(
            hasty.validate().unwrap_err().to_string(),
            "model.fixed.clock_check.every_us is 10 µs; timings are 1 ms to 60 s"
        );
        let mut crowded_line = by_id("retry-storm").unwrap();
        if let ModelSpec::Server { params, .. } = &mut crowded_line.model {
            params.queue = Some(crate::models::server::Queue {
                service_us: 10_000,
                limit: 0,
            });
        }
        assert_eq!(
            crowded_line.validate().unwrap_err().to_string(),
            "model.params.queue.limit is 0; it must be 1 to 10000"
        );
        let mut more_servers_than_nodes = by_id("retry-storm").unwrap();
        if let ModelSpec::Server { fixed, .. } = &mut more_servers_than_nodes.model {
            fixed.servers = 9;
        }
        assert_eq!(
            more_servers_than_nodes.validate().unwrap_err().to_string(),
            "model.fixed.servers is 9; it must be 1 to 6"
        );
        let mut looped = by_id("delivery-semantics").unwrap();
        looped.config.links[0].to = looped.config.links[0].from;
        assert!(looped
            .validate()
            .unwrap_err()
            .to_string()
            .contains("has no link to itself"));
        let mut crowded = by_id("sandbox").unwrap();
        crowded.config.nodes = 40;
        assert!(crowded
            .validate()
            .unwrap_err()
            .to_string()
            .contains("40 nodes requested"));
    }

    #[test]
    fn the_fixs_question_its_answering_events_and_the_source_are_checked_by_field() {
        use crate::scenarios::{Reveal, MAX_TEXT};
        use crate::sim::NodeId;
        let fixed = |scenario: &mut crate::scenarios::Scenario| {
            scenario
                .fix_prediction
                .as_mut()
                .expect("a fix question")
                .clone()
        };
        let mut wrong = by_id("gc-pause-fencing").unwrap();
        let mut question = fixed(&mut wrong);
        question.answer = 3;
        wrong.fix_prediction = Some(question);
        assert_eq!(
            wrong.validate().unwrap_err().to_string(),
            "fix_prediction.answer is 3; it must be 0 to 2"
        );
        let mut choiceless = by_id("gc-pause-fencing").unwrap();
        let mut question = fixed(&mut choiceless);
        question.choices.clear();
        choiceless.fix_prediction = Some(question);
        assert_eq!(
            choiceless.validate().unwrap_err().to_string(),
            "fix_prediction.choices (how many) is 0; it must be 1 to 8"
        );
        let mut rambling = by_id("split-brain").unwrap();
        let mut question = fixed(&mut rambling);
        question.choices[1] = "x".repeat(MAX_TEXT + 1);
        rambling.fix_prediction = Some(question);
        assert_eq!(
            rambling.validate().unwrap_err().to_string(),
            format!(
                "fix_prediction.choices[1] is {} characters long; at most {MAX_TEXT}",
                MAX_TEXT + 1
            )
        );
        let mut long_question = by_id("split-brain").unwrap();
        let mut question = fixed(&mut long_question);
        question.explanation = "x".repeat(MAX_TEXT + 1);
        long_question.fix_prediction = Some(question);
        assert!(long_question
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("fix_prediction.explanation is"));
        // The answering events: words to look for, on a node the run has, at most 8.
        let mut blank = by_id("timeouts").unwrap();
        blank.prediction.reveal = vec![Reveal {
            node: None,
            says: String::new(),
        }];
        assert_eq!(
            blank.validate().unwrap_err().to_string(),
            "prediction.reveal[0].says is empty"
        );
        let mut elsewhere = by_id("timeouts").unwrap();
        let mut question = fixed(&mut elsewhere);
        question.reveal.push(Reveal {
            node: Some(NodeId(4)),
            says: "declares".to_string(),
        });
        elsewhere.fix_prediction = Some(question);
        assert_eq!(
            elsewhere.validate().unwrap_err().to_string(),
            "fix_prediction.reveal[1].node: there is no node #4: this cluster has 4 nodes"
        );
        let mut eager = by_id("timeouts").unwrap();
        let mut question = fixed(&mut eager);
        question.reveal = (0..9)
            .map(|k| Reveal {
                node: None,
                says: format!("heartbeat {k}"),
            })
            .collect();
        eager.fix_prediction = Some(question);
        assert_eq!(
            eager.validate().unwrap_err().to_string(),
            "the fix_prediction.reveal has 9 events; at most 8"
        );
        // The generals' fix adds a fourth general, whom the fix's question may name.
        let mut fourth = by_id("byzantine-generals").unwrap();
        let mut question = fixed(&mut fourth);
        question.reveal = vec![Reveal {
            node: Some(NodeId(3)),
            says: "decides".to_string(),
        }];
        fourth.fix_prediction = Some(question.clone());
        assert_eq!(fourth.validate(), Ok(()));
        fourth.prediction.reveal = question.reveal;
        assert_eq!(
            fourth.validate().unwrap_err().to_string(),
            "prediction.reveal[0].node: there is no node #3: this cluster has 3 nodes"
        );
        let mut verbose = by_id("ntp-step-back").unwrap();
        verbose.source = "DDIA ".repeat(MAX_TEXT);
        assert!(verbose
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("source is"));
    }

    #[test]
    fn names_and_the_first_view_are_checked_by_field() {
        let mut long = by_id("gc-pause-fencing").unwrap();
        long.view.names[2] = "C".repeat(41);
        assert_eq!(
            long.validate().unwrap_err().to_string(),
            "view.names[2] is 41 characters long; names have at most 40"
        );
        let mut broken = by_id("gc-pause-fencing").unwrap();
        broken.view.names[0] = "Lock\nservice".to_string();
        assert_eq!(
            broken.validate().unwrap_err().to_string(),
            "view.names[0] holds a line break or control character"
        );
        let mut backwards = by_id("split-brain").unwrap();
        backwards.view.frame = Some((2_000_000, 1_000_000));
        assert!(backwards
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("view.frame is 2000000 µs to 1000000 µs"));
        let mut seats = by_id("seat-12a").unwrap();
        if let ModelSpec::Register { params, .. } = &mut seats.model {
            params.vocabulary.values[1].1 = "B".repeat(100);
        }
        assert_eq!(
            seats.validate().unwrap_err().to_string(),
            "model.params.vocabulary.values[1] is 100 characters long; names have at most 40"
        );
    }
}
