//! Entry points the browser benchmarks (`make bench`) call on the release bundle through
//! `window.wasmBindings`. Timing happens in JavaScript: the core never reads a wall clock.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::render::drawn::Drawn;
use crate::render::timeline::{Axis, Viewport};
use crate::sim::random_traffic::RandomTraffic;
use crate::sim::{SimConfig, Simulation};

/// Runs the random-traffic workload (as the native `sim_events_per_sec` benchmark does) for
/// `steps` steps on `nodes` nodes and returns how many trace events it recorded, or 0 for an
/// invalid node count.
#[wasm_bindgen]
pub fn bench_sim_events(nodes: u8, steps: u32, seed: u32) -> u32 {
    let config = SimConfig {
        nodes,
        seed: u64::from(seed),
        ..SimConfig::default()
    };
    match Simulation::new(RandomTraffic::default(), config) {
        Ok(mut sim) => {
            sim.run_events(u64::from(steps));
            sim.trace().len() as u32
        }
        Err(_) => 0,
    }
}

/// A 100,000-event random-traffic run and a canvas to draw it on, for the render benchmarks:
/// JavaScript times each call.
#[wasm_bindgen]
pub struct RenderBench {
    sim: Simulation<RandomTraffic>,
    context: web_sys::CanvasRenderingContext2d,
    viewport: Viewport,
    names: Vec<String>,
}

#[wasm_bindgen]
impl RenderBench {
    /// Runs the simulation to `events` trace events and prepares `canvas` at `width`×`height`.
    /// `None` (undefined in JavaScript) if the canvas has no 2d context.
    pub fn create(
        canvas: web_sys::HtmlCanvasElement,
        events: u32,
        width: f64,
        height: f64,
    ) -> Option<RenderBench> {
        let mut sim = Simulation::new(RandomTraffic::default(), SimConfig::default()).ok()?;
        while (sim.trace().len() as u32) < events && sim.step().is_some() {}
        let context = crate::render::canvas::prepare(&canvas, width, height, 1.0)?;
        let viewport = Viewport {
            width,
            height,
            axis: Axis::TrueTime,
            top: 0.0,
            scale: 1.0,
            header: 40.0,
            folds: Default::default(),
        };
        let names = (0..sim.node_count())
            .map(|i| crate::sim::NodeId(i).to_string())
            .collect();
        let mut bench = RenderBench {
            sim,
            context,
            viewport,
            names,
        };
        bench.show_events(5_000.0);
        Some(bench)
    }

    /// Zooms so that about `events` events are on screen: the run's event rate times the
    /// window's time span (5,000 at first; a few hundred leave arrows room for labels).
    pub fn show_events(&mut self, events: f64) {
        let per_us = self.sim.trace().len() as f64 / self.sim.now().max(1) as f64;
        self.viewport.scale = (self.viewport.height - 40.0) * per_us / events.max(1.0);
    }

    /// True time at the end of the run, in µs.
    pub fn duration_us(&self) -> f64 {
        self.sim.now() as f64
    }

    /// Lays out and paints one frame with the view's top at `top_us`; returns the shape count.
    pub fn frame(&mut self, top_us: f64) -> u32 {
        let shapes = self.shapes(top_us);
        paint(&self.context, &shapes, &self.viewport, &self.names)
    }

    /// The same view as SVG.
    pub fn svg(&mut self, top_us: f64) -> String {
        let shapes = self.shapes(top_us);
        crate::render::svg::timeline_svg(&shapes, &self.viewport, &self.names, None)
    }

    /// How many labels the view with its top at `top_us` carries.
    pub fn labels(&mut self, top_us: f64) -> u32 {
        let shapes = self.shapes(top_us);
        shapes
            .iter()
            .filter(|s| matches!(s, crate::render::timeline::Shape::Label { .. }))
            .count() as u32
    }

    /// The view's shapes with labels on, as the app lays them out.
    fn shapes(&mut self, top_us: f64) -> Vec<crate::render::timeline::Shape> {
        self.viewport.top = top_us;
        labelled_layout(&self.sim, &self.viewport)
    }
}

/// Paints `shapes` as the app paints a frame (light theme, no "now" line); returns how many.
fn paint(
    context: &web_sys::CanvasRenderingContext2d,
    shapes: &[crate::render::timeline::Shape],
    viewport: &Viewport,
    names: &[String],
) -> u32 {
    crate::render::canvas::paint_timeline(
        context,
        shapes,
        viewport,
        names,
        &crate::render::canvas::LIGHT,
        &[],
    );
    shapes.len() as u32
}

/// The layout of a random-traffic run with labels on, as the app draws a frame.
pub fn labelled_layout(
    sim: &Simulation<RandomTraffic>,
    viewport: &Viewport,
) -> Vec<crate::render::timeline::Shape> {
    let mut shapes = crate::render::timeline::layout(sim.trace(), viewport, None, &[], sim.now());
    let labels = crate::render::labels::place_labels(
        sim,
        &crate::sim::Names::letters(),
        &shapes,
        viewport,
        &[],
        None,
        crate::render::canvas::LABEL_PX,
    );
    shapes.extend(labels);
    shapes
}

/// The sandbox on sixteen nodes run for its longest, 60 s (about 56,000 events), and its
/// findings: the run the overview benchmarks draw at "Fit all". `None` if the preset cannot run.
pub fn sixteen_node_minute() -> Option<(
    Simulation<crate::models::election::Election>,
    Vec<crate::detect::Finding>,
)> {
    use crate::detect::Observed;
    let sandbox = crate::scenarios::by_id("sandbox")?;
    let cluster = crate::scenarios::Cluster {
        duration_us: crate::scenarios::MAX_DURATION_US,
        ..sandbox.cluster().with_nodes(16)
    };
    let scenario = sandbox.customised(&cluster).ok()?;
    let (sim, duration) = crate::scenarios::simulate(&scenario).ok()?;
    let mut sim = *sim
        .downcast::<Simulation<crate::models::election::Election>>()
        .ok()?;
    sim.run_until(duration);
    let findings = sim.model().detect(sim.trace());
    Some((sim, findings))
}

/// The sixteen-node minute at "Fit all" on a canvas, for the overview benchmark: JavaScript
/// times each frame (layout + draw calls), which the overview keeps under 8 ms.
#[wasm_bindgen]
pub struct OverviewBench {
    sim: Simulation<crate::models::election::Election>,
    findings: Vec<crate::detect::Finding>,
    context: web_sys::CanvasRenderingContext2d,
    viewport: Viewport,
    names: Vec<String>,
}

#[wasm_bindgen]
impl OverviewBench {
    /// Runs the sixteen-node minute and prepares `canvas` at `width`×`height`, fitted to the
    /// whole run. `None` (undefined in JavaScript) if the canvas has no 2d context.
    pub fn create(
        canvas: web_sys::HtmlCanvasElement,
        width: f64,
        height: f64,
    ) -> Option<OverviewBench> {
        let (sim, findings) = sixteen_node_minute()?;
        let context = crate::render::canvas::prepare(&canvas, width, height, 1.0)?;
        let viewport =
            crate::render::camera::Camera::fit(Axis::TrueTime, (0.0, sim.now() as f64), height)
                .viewport(width, height);
        let names = (0..sim.node_count())
            .map(|i| crate::sim::NodeId(i).to_string())
            .collect();
        Some(OverviewBench {
            sim,
            findings,
            context,
            viewport,
            names,
        })
    }

    /// How many trace events the run holds.
    pub fn events(&self) -> u32 {
        self.sim.trace().len() as u32
    }

    /// Lays out and paints one frame of the whole run; returns the shape count.
    pub fn frame(&mut self) -> u32 {
        let shapes = crate::render::timeline::layout_with_findings(
            self.sim.trace(),
            &self.viewport,
            None,
            &[],
            self.sim.now(),
            &self.findings,
            &crate::render::timeline::Filter::default(),
        );
        paint(&self.context, &shapes, &self.viewport, &self.names)
    }
}

/// The largest preset (the sandbox: 11,748 events) played to its end and resting on its story
/// frame, as the app shows it: for `render_story_frame_ms` (a frame of the story view, labels
/// and folds' words included) and `render_story_fit_ms` (planning the frame: where it folds).
#[wasm_bindgen]
pub struct StoryBench {
    scenario: crate::scenarios::Scenario,
    run: crate::live::Session,
    names: Vec<String>,
    camera: crate::render::camera::Camera,
    context: web_sys::CanvasRenderingContext2d,
    width: f64,
    height: f64,
}

#[wasm_bindgen]
impl StoryBench {
    /// Plays the sandbox to its end and prepares `canvas` at `width`×`height`. `None`
    /// (undefined in JavaScript) if the preset does not start or the canvas has no 2d context.
    pub fn create(
        canvas: web_sys::HtmlCanvasElement,
        width: f64,
        height: f64,
    ) -> Option<StoryBench> {
        let scenario = crate::scenarios::by_id("sandbox")?;
        let mut run = crate::scenarios::start(&scenario).ok()?;
        run.run_to_end();
        let context = crate::render::canvas::prepare(&canvas, width, height, 1.0)?;
        let names = run.node_names();
        let mut bench = StoryBench {
            scenario,
            run,
            names,
            camera: crate::render::camera::Camera::fit(Axis::TrueTime, (0.0, 1.0), height),
            context,
            width,
            height,
        };
        bench.fit();
        Some(bench)
    }

    /// How many trace events the run holds.
    pub fn events(&self) -> u32 {
        self.run.event_count() as u32
    }

    /// Plans the story frame afresh, as the stage does when a run reaches its end (the findings
    /// marked at their latest events); returns how many folds it has.
    pub fn fit(&mut self) -> u32 {
        let trace = self.run.words().skeleton();
        let findings = self.run.findings();
        let found = findings
            .iter()
            .filter_map(|f| f.events.iter().max())
            .map(|&e| trace.event(e).time);
        let (stretch, moments) = self.scenario.story_moments(found, self.run.duration());
        self.camera = crate::render::folds::story_camera(
            self.run.words(),
            self.run.names(),
            Axis::TrueTime,
            (stretch, &moments),
            self.scenario.typical_latency(),
            self.height,
        );
        self.camera.folds.list().len() as u32
    }

    /// Lays out (labels and folds' words included) and paints one frame of the story view;
    /// returns the shape count.
    pub fn frame(&mut self) -> u32 {
        let viewport = self.camera.viewport(self.width, self.height);
        let filter = crate::render::timeline::Filter {
            label_px: 12.0,
            ..Default::default()
        };
        let shapes = self
            .run
            .timeline(&viewport, None, self.run.duration(), &filter);
        paint(&self.context, &shapes, &viewport, &self.names)
    }
}
