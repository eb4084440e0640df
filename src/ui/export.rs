//! Files: downloads (a file handed to the browser through a temporary link), and a chosen
//! file read as text.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Why an export failed, for the page to show.
pub type ExportError = String;

fn click_link(href: &str, filename: &str) -> Result<(), ExportError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("The page has no document.")?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "Could not create a download link.")?
        .dyn_into()
        .map_err(|_| "Could not create a download link.")?;
    link.set_href(href);
    link.set_download(filename);
    link.click();
    Ok(())
}

/// Offers `text` as a file named `filename` of type `mime`.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), ExportError> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not package the file.")?;
    let url =
        Url::create_object_url_with_blob(&blob).map_err(|_| "The browser refused the download.")?;
    let result = click_link(&url, filename);
    let _ = Url::revoke_object_url(&url);
    result
}

/// Reads `file` as text, then hands `done` the text (`None`: it is not text). One reader for
/// every file picker: the bundle carries its asynchronous step once.
pub fn read_text(file: web_sys::File, done: Box<dyn FnOnce(Option<String>)>) {
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        done(text.ok().and_then(|t| t.as_string()));
    });
}

/// Offers a canvas's pixels as a PNG file.
pub fn download_png(
    canvas: &web_sys::HtmlCanvasElement,
    filename: &str,
) -> Result<(), ExportError> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| "The canvas could not be read.")?;
    click_link(&url, filename)
}

/// The view as a slide (see [`crate::render::slide`]): the shapes on screen, the lesson's title
/// above them and the story's newest line (before the story starts, the lesson) below, at twice
/// the canvas's pixels or (`projector`) 1920×1080, in the light palette. `None` before the first
/// frame.
pub fn slide_canvas(
    stage: &crate::ui::stage::Stage,
    projector: bool,
) -> Option<web_sys::HtmlCanvasElement> {
    use crate::render::canvas::{paint_timeline, prepare, LIGHT};
    use crate::render::slide::{one_line, slide_size, CAPTION_PX, PAD, TITLE_BAND, TITLE_PX};
    let (shapes, painted) = stage.painted.as_ref()?;
    let (scenario, now) = (&stage.scenario, stage.run.now());
    let caption = scenario
        .narration()
        .filter(|line| line.at_us <= now)
        .last()
        .map_or(&scenario.lesson, |line| &line.text);
    let (width, height, ratio) = slide_size(projector, (painted.width, painted.height));
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .unchecked_into();
    let context = prepare(&canvas, width, height, ratio)?;
    let palette = &LIGHT;
    context.set_fill_style_str(palette.background);
    context.fill_rect(0.0, 0.0, width, height);
    context.set_fill_style_str(palette.ink);
    let room = width - 2.0 * PAD;
    for (text, px, weight, y) in [
        (&scenario.title, TITLE_PX, 700, PAD + TITLE_PX * 0.85),
        (caption, CAPTION_PX, 400, height - PAD - CAPTION_PX * 0.2),
    ] {
        context.set_font(&palette.font(weight, px));
        let _ = context.fill_text(&one_line(text, room, px), PAD, y);
    }
    context
        .translate((width - painted.width) / 2.0, TITLE_BAND)
        .ok()?;
    paint_timeline(&context, shapes, painted, &stage.names, palette, &[]);
    Some(canvas)
}
