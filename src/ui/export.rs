//! Downloads: hands a file to the browser through a temporary link.

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
