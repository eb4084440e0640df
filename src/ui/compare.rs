//! "Compare with the fix": the run on stage beside another run of its scenario (the fix turned
//! the other way, the scenario's own unbroken run, another seed), both played to their end, on
//! one time axis with one camera; the first difference marked and said in words, and what is
//! downstream of it tinted in each (see [`crate::render::compare`]). Browser-free: the frame
//! loop paints it, the timeline region shows its words.

use std::sync::atomic::{AtomicU64, Ordering};

use super::stage::Stage;
use crate::live::Session;
use crate::render::camera::Camera;
use crate::render::compare::{first_difference, mark, sentence, side_words, Divergence};
use crate::render::drawn::Drawn;
use crate::render::timeline::{Axis, Filter, Shape, Viewport};
use crate::share::Comparison;
use crate::sim::Micros;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Two runs side by side, each at its end.
pub struct Compared {
    /// Tells comparisons apart (each one made gets the next number): the frame loop repaints
    /// when it changes.
    pub id: u64,
    pub with: Comparison,
    /// Left and right: without the fix and with it; the scenario's own run and this one; this
    /// seed and the other.
    pub runs: [Session; 2],
    /// What each run is, in words ("without the fix").
    pub labels: [String; 2],
    pub names: Vec<String>,
    pub divergence: Option<Divergence>,
    /// The first difference in a sentence (or that there is none).
    pub words: String,
    /// Both timelines' camera, on true time; `None` until the first frame knows the height.
    pub camera: Option<Camera>,
    /// The height the camera was fitted for, until someone moves it.
    auto_height: Option<f64>,
    /// The span of the scenario's first view: the comparison opens at that scale.
    span: Micros,
}

impl Compared {
    /// The run on `stage` beside the run `with` names; or why that run cannot be made.
    pub fn of(stage: &Stage, with: Comparison) -> Result<Compared, String> {
        let scenario = &stage.scenario;
        let (fix, seed) = (scenario.fix_enabled, scenario.config.seed);
        let log = stage.run.fault_log();
        let end = scenario.duration_us;
        let run = |fix: bool, seed: u64, exact: &[_], timed: &[_]| {
            Stage::rebuilt(scenario, fix, seed, exact, timed, end)
                .map(|(mut stage, _)| {
                    stage.run.run_to_end();
                    stage.run
                })
                .map_err(|e| e.to_string())
        };
        let this = || run(fix, seed, &log, &[]);
        let (runs, labels) = match with {
            Comparison::Fix => {
                let other = run(!fix, seed, &[], &log)?;
                let runs = if fix {
                    [other, this()?]
                } else {
                    [this()?, other]
                };
                (runs, ["without the fix".into(), "with the fix".into()])
            }
            Comparison::Unbroken => (
                [run(fix, seed, &[], &[])?, this()?],
                [
                    "in the scenario's own run".into(),
                    "with your faults".into(),
                ],
            ),
            Comparison::Seed(other) => (
                [this()?, run(fix, other, &[], &log)?],
                [format!("with seed {seed}"), format!("with seed {other}")],
            ),
        };
        let divergence = first_difference(
            (runs[0].words(), runs[0].names()),
            (runs[1].words(), runs[1].names()),
        );
        let words = match &divergence {
            Some(d) => {
                let said =
                    [0, 1].map(|i| side_words(runs[i].words(), runs[i].names(), &d.sides[i]));
                sentence(d, [&labels[0], &labels[1]], [&said[0], &said[1]])
            }
            None => format!(
                "The two runs are the same from start to end: {} and {}.",
                labels[0], labels[1]
            ),
        };
        let (start, finish) = scenario.first_frame();
        Ok(Compared {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            with,
            names: runs[0].node_names(),
            runs,
            labels,
            divergence,
            words,
            camera: None,
            auto_height: None,
            span: finish.saturating_sub(start).max(1),
        })
    }

    /// The end of the runs: the head of their shared axis.
    pub fn head(&self) -> f64 {
        self.runs[0].duration().max(self.runs[1].duration()) as f64
    }

    /// The camera for timelines `height` px tall: the first view's scale around the first
    /// difference (or the runs' start), fitted again when the height changes until someone
    /// moves it.
    pub fn camera_for(&mut self, height: f64) -> Camera {
        match self.camera {
            Some(camera) if self.auto_height.is_none_or(|h| h == height) => camera,
            _ => {
                let at = self.divergence.as_ref().map_or(0, |d| d.time);
                let end = self.head() as Micros;
                let start = at
                    .saturating_sub(self.span / 4)
                    .min(end.saturating_sub(self.span));
                let mut camera = Camera::fit(
                    Axis::TrueTime,
                    (start as f64, (start + self.span) as f64),
                    height,
                );
                camera.follow = false;
                self.camera = Some(camera);
                self.auto_height = Some(height);
                camera
            }
        }
    }

    /// Moves the camera as a gesture asks (`change` gets the camera, the head and the height).
    pub fn move_camera(&mut self, height: f64, change: impl FnOnce(&mut Camera, f64, f64)) {
        let head = self.head();
        let mut camera = self.camera_for(height);
        change(&mut camera, head, height);
        self.camera = Some(camera);
        self.auto_height = None;
    }

    /// Fits both whole runs into `height`.
    pub fn fit_all(&mut self, height: f64) {
        let mut camera = Camera::fit(Axis::TrueTime, (0.0, self.head()), height);
        camera.follow = false;
        self.camera = Some(camera);
        self.auto_height = None;
    }

    /// Run `side`'s timeline in `viewport`: its shapes and labels as `filter` says, what is
    /// downstream of the first difference tinted and the difference marked.
    pub fn shapes(&self, side: usize, viewport: &Viewport, filter: &Filter) -> Vec<Shape> {
        let run = &self.runs[side];
        let filter = Filter {
            causal_only: false,
            ..*filter
        };
        let parting = self.divergence.as_ref().map(|d| (d.time, d.sides[side]));
        let root = parting.and_then(|(_, p)| p.root);
        let mut shapes = run.timeline(viewport, root, run.duration(), &filter);
        if let Some((time, parting)) = parting {
            mark(
                &mut shapes,
                run.words().skeleton(),
                viewport,
                time,
                &parting,
            );
        }
        shapes
    }

    /// Both runs as one SVG: side by side, each under its label, the first difference in words
    /// above them.
    pub fn svg(&self, viewport: &Viewport, filter: &Filter) -> String {
        use crate::render::svg::{escape, timeline_svg};
        let (w, h) = (viewport.width, viewport.height);
        let top = 56.0;
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">\
             <rect width=\"100%\" height=\"100%\" fill=\"#f6f7f9\"/>\
             <text class=\"compare-words\" x=\"12\" y=\"22\" style=\"font:600 14px system-ui,sans-serif\">{}</text>",
            w * 2.0 + 16.0,
            h + top,
            w * 2.0 + 16.0,
            h + top,
            escape(&self.words)
        );
        for side in 0..2 {
            let x = side as f64 * (w + 16.0);
            let inner = timeline_svg(
                &self.shapes(side, viewport, filter),
                viewport,
                &self.names,
                None,
            );
            out.push_str(&format!(
                "<text class=\"compare-label\" x=\"{:.1}\" y=\"46\" style=\"font:700 14px system-ui,sans-serif\">{}</text>\
                 <g class=\"compare-run\" data-run=\"{side}\" transform=\"translate({x:.1} {top})\">{}</g>",
                x + 12.0,
                escape(&capitalised(&self.labels[side])),
                inner.replacen("<svg ", "<svg x=\"0\" y=\"0\" ", 1)
            ));
        }
        out.push_str("</svg>");
        out
    }
}

/// "without the fix" → "Without the fix", for a heading. ASCII only (the labels are):
/// `char::to_uppercase` would bring Unicode's case tables into the bundle.
pub fn capitalised(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Command, NodeId};
    use crate::ui::state::preset;

    fn stage(id: &str, fix: bool) -> Stage {
        let scenario = preset(id).unwrap();
        Stage::start(&scenario, fix, scenario.config.seed).unwrap()
    }

    #[test]
    fn the_fix_is_compared_without_on_the_left_whichever_is_on_stage() {
        for fix in [false, true] {
            let compared = Compared::of(&stage("gc-pause-fencing", fix), Comparison::Fix).unwrap();
            assert_eq!(compared.labels, ["without the fix", "with the fix"]);
            assert!(
                compared
                    .words
                    .contains("with the fix, Storage (B): write with token 33 refused"),
                "{}",
                compared.words
            );
            assert!(compared.runs.iter().all(Session::finished));
        }
    }

    #[test]
    fn a_run_with_faults_by_hand_is_compared_with_the_unbroken_run_and_another_seed() {
        let mut stage = stage("sandbox", false);
        stage.run.advance_to(300_000);
        stage.apply(Command::Crash { node: NodeId(3) }).unwrap();
        let compared = Compared::of(&stage, Comparison::Unbroken).unwrap();
        assert_eq!(
            compared.words,
            "First difference at 0.300 s: in the scenario's own run, D does nothing of the kind \
             at that moment; with your faults, D: D crashed."
        );
        let seeds = Compared::of(&stage, Comparison::Seed(7)).unwrap();
        assert_eq!(seeds.labels[1], "with seed 7");
        assert!(seeds.divergence.is_some());
        let same = Compared::of(&stage, Comparison::Seed(stage.scenario.config.seed)).unwrap();
        assert!(same.divergence.is_none(), "{}", same.words);
        assert!(same.words.starts_with("The two runs are the same"));
    }

    #[test]
    fn the_comparison_opens_around_the_first_difference_and_one_camera_moves_both() {
        let mut compared = Compared::of(&stage("split-brain", false), Comparison::Fix).unwrap();
        let camera = compared.camera_for(600.0);
        let view = camera.viewport(400.0, 600.0);
        let at = compared.divergence.as_ref().unwrap().time as f64;
        assert!(view.value_at(view.header) < at && at < view.value_at(600.0));
        compared.move_camera(600.0, |c, head, h| c.pan(-100.0, head, h));
        let moved = compared.camera_for(600.0);
        assert_ne!(moved, camera, "moved");
        assert_eq!(compared.camera_for(700.0), moved, "kept once moved");
        let viewport = moved.viewport(400.0, 600.0);
        let svg = compared.svg(&viewport, &Filter::default());
        assert!(svg.contains("data-run=\"0\"") && svg.contains("data-run=\"1\""));
        assert!(svg.contains("Without the fix") && svg.contains("With the fix"));
        assert!(svg.contains("First difference at 0.425 s"));
    }
}
