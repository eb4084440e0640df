//! Simulation-core benchmarks. Prints one figure per line as `name value unit`.
//! Run with `cargo bench --bench sim` (part of `make bench`).

use std::hint::black_box;
use std::time::Instant;

use faultline::render::camera::Camera;
use faultline::render::timeline::{layout_with_findings, Axis, Filter, Shape, Viewport};
use faultline::sim::random_traffic::RandomTraffic;
use faultline::sim::{SimConfig, SimRng, Simulation};

/// Trace events recorded per second with full tracing, random traffic on `nodes` nodes: the
/// best of several runs, each long enough (≥ 0.2 s) for the timer to be exact.
fn events_per_second(nodes: u8) -> f64 {
    let mut best = 0.0f64;
    for round in 0..5 {
        let config = SimConfig {
            nodes,
            seed: round,
            ..SimConfig::default()
        };
        let mut sim = Simulation::new(RandomTraffic::default(), config).expect("valid");
        let start = Instant::now();
        sim.run_events(600_000);
        let elapsed = start.elapsed().as_secs_f64();
        best = best.max(black_box(sim.trace().len()) as f64 / elapsed);
    }
    best
}

fn hundred_thousand_events(nodes: u8) -> Simulation<RandomTraffic> {
    let config = SimConfig {
        nodes,
        seed: 7,
        ..SimConfig::default()
    };
    let mut sim = Simulation::new(RandomTraffic::default(), config).expect("valid");
    while sim.trace().len() < 100_000 {
        sim.step();
    }
    sim
}

/// The sandbox cut to 3 s with its fix on, as the browser benchmark hunts it.
fn three_second_sandbox() -> faultline::scenarios::Scenario {
    let sandbox = faultline::scenarios::by_id("sandbox")
        .expect("the sandbox")
        .with_fix(true);
    let cluster = faultline::scenarios::Cluster {
        duration_us: 3_000_000,
        ..sandbox.cluster()
    };
    sandbox.customised(&cluster).expect("a 3 s sandbox")
}

/// Hunt figures: schedules per second proving the fix on the 3 s sandbox (each schedule is
/// tried with the fix and without it, as the page's hunt does), and the median time to shrink
/// split brain's first failure over five seeds.
fn hunt_figures() {
    use faultline::hunt::{Hunt, Phase, Settings};
    let schedules = 200;
    let mut hunt = Hunt::new(
        &three_second_sandbox(),
        Settings {
            schedules,
            ..Settings::default()
        },
    )
    .expect("the hunt starts");
    let start = Instant::now();
    black_box(hunt.run_to_end());
    let rate = f64::from(schedules) / start.elapsed().as_secs_f64();
    println!("hunt_schedules_per_sec_native {rate:.0} schedules/s");
    println!("hunt_runs_per_sec_native {:.0} runs/s", rate * 2.0);

    let split = faultline::scenarios::by_id("split-brain").expect("split brain");
    let mut times: Vec<f64> = (1..=5)
        .map(|seed| {
            let mut hunt = Hunt::new(
                &split,
                Settings {
                    seed,
                    ..Settings::default()
                },
            )
            .expect("the hunt starts");
            while hunt.work(1).phase == Phase::Searching {}
            let start = Instant::now();
            while hunt.work(1).phase != Phase::Done {}
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("hunt_shrink_ms_split_brain_native {:.1} ms", times[2]);
}

/// The par of every built-in challenge, found and shrunk (or, for a fix that holds, its proof)
/// as the worker does it: the median and the worst time, natively.
fn challenge_figures() {
    let mut times: Vec<f64> = faultline::challenge::builtin()
        .iter()
        .map(|challenge| {
            let scenario = faultline::scenarios::by_id(&challenge.scenario).expect("a preset");
            let arena = challenge.arena(&scenario);
            let start = Instant::now();
            let mut hunt = challenge.hunt(&arena, 1).expect("the par's hunt starts");
            black_box(hunt.run_to_end());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "challenge_par_ms_native_median {:.1} ms",
        times[times.len() / 2]
    );
    println!(
        "challenge_par_ms_native_worst {:.1} ms",
        times.last().copied().unwrap_or(0.0)
    );
}

fn main() {
    hunt_figures();
    challenge_figures();
    println!(
        "sim_events_per_sec_native_5 {:.0} events/s",
        events_per_second(5)
    );
    println!(
        "sim_events_per_sec_native_16 {:.0} events/s",
        events_per_second(16)
    );

    let sim = hundred_thousand_events(5);
    let trace = sim.trace();
    println!(
        "sim_bytes_per_event_5 {:.1} bytes",
        trace.used_bytes() as f64 / trace.len() as f64
    );
    println!(
        "sim_trace_allocated_bytes_per_event_5 {:.1} bytes",
        trace.heap_bytes() as f64 / trace.len() as f64
    );

    // Worst of 100 seeks to random earlier positions of a 100,000-event run.
    let mut sim = sim;
    let end = sim.current_step();
    let mut rng = SimRng::new(99);
    let mut worst = 0.0f64;
    for _ in 0..100 {
        let target = rng.below(end);
        sim.seek(end);
        let start = Instant::now();
        sim.seek(target);
        worst = worst.max(start.elapsed().as_secs_f64() * 1e3);
        assert_eq!(sim.current_step(), target);
    }
    println!("sim_seek_ms_100k {worst:.3} ms");

    // The labelled layout of the 100,000-event run on a 1920×1080 canvas, as the browser's
    // render benchmarks draw it: about 5,000 events on screen (too dense to label messages)
    // and about 300 (room for labels). The median of 31 layouts each.
    sim.seek(end);
    let per_us = sim.trace().len() as f64 / sim.now().max(1) as f64;
    for (events, name) in [(5_000.0, "100k"), (300.0, "100k_close")] {
        let viewport = Viewport {
            width: 1920.0,
            height: 1080.0,
            axis: Axis::TrueTime,
            top: sim.now() as f64 / 2.0,
            scale: (1080.0 - 40.0) * per_us / events,
            header: 40.0,
            folds: Default::default(),
        };
        let mut labels = 0;
        let mut times: Vec<f64> = (0..31)
            .map(|_| {
                let start = Instant::now();
                let shapes = faultline::bench_hooks::labelled_layout(&sim, &viewport);
                labels = shapes
                    .iter()
                    .filter(|s| matches!(s, Shape::Label { .. }))
                    .count();
                black_box(shapes);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "render_labelled_layout_ms_{name}_native {:.3} ms",
            times[times.len() / 2]
        );
        println!("render_labels_on_screen_{name}_native {labels} labels");
    }

    // The timeline's overview of a sixteen-node minute at "Fit all" (1920×1080): the median
    // of 31 layouts (the browser figure `render_overview_frame_ms_16x60s` adds the draw calls).
    let (sim, findings) = faultline::bench_hooks::sixteen_node_minute().expect("the sandbox runs");
    let viewport =
        Camera::fit(Axis::TrueTime, (0.0, sim.now() as f64), 1080.0).viewport(1920.0, 1080.0);
    let mut times: Vec<f64> = (0..31)
        .map(|_| {
            let start = Instant::now();
            let shapes = layout_with_findings(
                sim.trace(),
                &viewport,
                None,
                &[],
                sim.now(),
                &findings,
                &Filter::default(),
            );
            black_box(shapes);
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "render_overview_layout_ms_16x60s_native {:.3} ms",
        times[times.len() / 2]
    );
}
