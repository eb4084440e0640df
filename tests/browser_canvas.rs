//! The canvas painter in Chromium: it draws a known trace, and pixels are where the layout says.
#![cfg(target_arch = "wasm32")]

use faultline::detect::Observed;
use faultline::render::canvas::{paint_timeline, prepare, LIGHT};
use faultline::render::timeline::{layout_with_findings, Axis, Filter, Shape, Viewport};
use faultline::scenarios::{self, ModelSpec};
use faultline::sim::Simulation;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn pixel(context: &CanvasRenderingContext2d, x: f64, y: f64) -> [u8; 3] {
    let data = context.get_image_data(x, y, 1.0, 1.0).unwrap().data();
    [data[0], data[1], data[2]]
}

#[wasm_bindgen_test]
fn the_painter_draws_the_layout_crisply_on_hidpi() {
    let preset = scenarios::by_id("split-brain").unwrap();
    let ModelSpec::Election { params, script, .. } = preset.model else {
        panic!("election preset")
    };
    let mut sim = Simulation::with_script(params, preset.config, script).unwrap();
    sim.run_until(preset.duration_us);
    let findings = sim.model().detect(sim.trace());
    let view = Viewport {
        width: 800.0,
        height: 600.0,
        axis: Axis::TrueTime,
        top: 0.0,
        scale: 550.0 / 3e6,
        header: 40.0,
        folds: Default::default(),
    };
    let shapes = layout_with_findings(
        sim.trace(),
        &view,
        None,
        &[],
        sim.now(),
        &findings,
        &Filter::default(),
    );

    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    let context = prepare(&canvas, 800.0, 600.0, 2.0).expect("a 2d context");
    assert_eq!(
        (canvas.width(), canvas.height()),
        (1600, 1200),
        "backing store at device pixels"
    );
    let names: Vec<String> = (0..5).map(|i| char::from(b'A' + i).to_string()).collect();
    paint_timeline(&context, &shapes, &view, &names, &LIGHT, &[]);

    // Device pixels are twice the CSS coordinates.
    let (fx, fy) = shapes
        .iter()
        .find_map(|s| match *s {
            Shape::Finding { x, y, .. } => Some((x, y)),
            _ => None,
        })
        .expect("the split brain is marked");
    assert_eq!(
        pixel(&context, fx * 2.0, fy * 2.0),
        [0xd5, 0x5e, 0x00],
        "a finding marker where the layout put it"
    );
    assert_eq!(
        pixel(&context, 4.0, 4.0),
        [0xf6, 0xf7, 0xf9],
        "background where nothing is drawn"
    );
    let (ex, ey) = shapes
        .iter()
        .find_map(|s| match *s {
            Shape::Event { x, y, .. } if y > 60.0 => Some((x, y)),
            _ => None,
        })
        .unwrap();
    assert_ne!(
        pixel(&context, ex * 2.0, ey * 2.0),
        [0xf6, 0xf7, 0xf9],
        "an event is drawn at its place"
    );
}
