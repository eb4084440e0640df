//! The embed builder in the Share dialog: the form, a live preview (the embed itself, in an
//! iframe, scaled to fit the dialog) and the snippet to copy. What the choices mean, and the
//! form's markup, are `embed_builder`, pure and tested natively.

use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MessageEvent};
use yew::prelude::*;

use super::embed_builder::{
    base_url, parse_step, snippet, src, Choices, Source, FIT_HEIGHTS, FIT_START_HEIGHT,
};
use super::state::preset;
use crate::share;

/// How long the preview waits after the last change before it reloads (ms): typing a step
/// reloads it once, not at every key.
const PREVIEW_DELAY_MS: u32 = 400;

impl Reducible for Choices {
    /// A field's name, value, and whether it is ticked.
    type Action = (String, String, bool);

    fn reduce(self: Rc<Self>, (name, value, on): Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.set(&name, &value, on);
        Rc::new(next)
    }
}

/// A property of a JavaScript value (`None` if it has none, or is no object).
fn property(value: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// What the builder starts from: the app's address, the run (from the share link), and the
/// choices it opens with (the step on stage; "Faultline: " and the scenario's title). `None` if
/// the link holds no run it can read (one too large for a link: the dialog says to save a file).
fn start(link: &str) -> Option<(String, Source, Choices)> {
    let run = share::decode(link.split_once('#')?.1).ok()?;
    let preset = preset(&run.scenario);
    let title = match (&run.custom, &preset) {
        (Some(custom), _) => custom.title.clone(),
        (None, Some(preset)) => preset.title.clone(),
        (None, None) => run.scenario.clone(),
    };
    let choices = Choices::new(run.step, format!("Faultline: {title}"));
    let source = Source::of(run, preset.map(|p| p.config.seed));
    Some((base_url(link).to_string(), source, choices))
}

#[derive(Properties, PartialEq)]
pub struct EmbedBuilderProps {
    /// The share link to the run on stage.
    pub link: String,
}

#[function_component(EmbedBuilder)]
pub fn embed_builder(props: &EmbedBuilderProps) -> Html {
    let started = use_memo(props.link.clone(), |link| start(link));
    let choices = use_reducer(|| {
        started
            .as_ref()
            .as_ref()
            .map_or_else(|| Choices::new(0, String::new()), |s| s.2.clone())
    });
    // The fields, rendered once: the browser keeps them as the person fills them in.
    let form = use_memo((), |_| {
        Html::from_html_unchecked(choices.form_html().into())
    });
    // One id per dialog, so two snippets on one page find each its own iframe.
    let id = use_memo((), |_| {
        format!("faultline-{:08x}", (js_sys::Math::random() * 4e9) as u32)
    });
    let step = choices.step();
    let address = match (&*started, &step) {
        (Some((base, source, _)), Ok(step)) => Some(src(base, source, &choices, *step)),
        _ => None,
    };

    // The preview follows the address a moment after the last change.
    let preview = use_state_eq(|| address.clone().unwrap_or_default());
    {
        let preview = preview.clone();
        use_effect_with(address.clone(), move |address| {
            let timeout = address
                .clone()
                .map(|address| Timeout::new(PREVIEW_DELAY_MS, move || preview.set(address)));
            move || drop(timeout)
        });
    }
    // The preview's box: its width scales the embed down to fit; a fitted embed is as tall as
    // it asks to be, by the message the snippet's script listens for.
    let frame_box = use_node_ref();
    let frame = use_node_ref();
    let box_width = use_state_eq(|| 0);
    let fit_height = use_state_eq(|| FIT_START_HEIGHT);
    {
        let (frame_box, frame) = (frame_box.clone(), frame.clone());
        let (box_width, fit_height) = (box_width.clone(), fit_height.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(element) = frame_box.cast::<Element>() {
                    box_width.set(element.client_width());
                }
            };
            measure();
            let listeners = web_sys::window().map(|window| {
                let resize = EventListener::new(&window, "resize", move |_| measure());
                let message = EventListener::new(&window, "message", move |event| {
                    let Some(event) = event.dyn_ref::<MessageEvent>() else {
                        return;
                    };
                    let preview = frame
                        .get()
                        .and_then(|frame| property(&frame, "contentWindow"));
                    let from_preview = preview
                        .is_some_and(|w| event.source().is_some_and(|s| w == JsValue::from(s)));
                    let data = event.data();
                    let kind = property(&data, "type").and_then(|t| t.as_string());
                    let height = property(&data, "height").and_then(|h| h.as_f64());
                    if let (true, Some("faultline:height"), Some(height)) =
                        (from_preview, kind.as_deref(), height)
                    {
                        let whole = height.round() as u32;
                        if height.is_finite() && FIT_HEIGHTS.contains(&whole) {
                            fit_height.set(whole);
                        }
                    }
                });
                (resize, message)
            });
            move || drop(listeners)
        });
    }
    // The scale in ten-thousandths (integers: formatting floats would weigh on the bundle).
    let available = u32::try_from(*box_width).unwrap_or(0);
    let (width, height, scale) = match choices.size.pixels() {
        Some((w, h)) => (w, h, (available * 10_000 / w).min(10_000)),
        None => (available, *fit_height, 10_000),
    };

    let oninput = {
        let choices = choices.dispatcher();
        Callback::from(move |event: InputEvent| {
            let Some(target) = event.target().map(JsValue::from) else {
                return;
            };
            let text = |name| property(&target, name).and_then(|v| v.as_string());
            let on = property(&target, "checked").and_then(|v| v.as_bool());
            if let (Some(name), Some(value)) = (text("name"), text("value")) {
                if let (Some(field), "step") = (target.dyn_ref::<Element>(), name.as_str()) {
                    let invalid = parse_step(&value).is_err();
                    let _ =
                        field.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
                }
                choices.dispatch((name, value, on.unwrap_or(false)));
            }
        })
    };
    let code = address
        .as_deref()
        .map(|address| snippet(address, choices.size, choices.title(), &id));
    let code_field = use_node_ref();
    let copy = {
        let (field, code) = (code_field.clone(), code.clone().unwrap_or_default());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = field.cast::<web_sys::HtmlTextAreaElement>() {
                area.select();
            }
            if let Some(window) = web_sys::window() {
                // Fire and forget: the code stays selected for a manual copy if this fails.
                let _ = window.navigator().clipboard().write_text(&code);
            }
        })
    };
    if started.is_none() {
        return Html::default();
    }
    html! {
        <section class="embed-builder" aria-labelledby="embed-builder-title">
            <h3 id="embed-builder-title">{ "Put it in a blog post or slides" }</h3>
            <div class="embed-fields" {oninput}>{ (*form).clone() }</div>
            <p id="embed-step-error" class="seed-error" role="alert">
                { step.err().unwrap_or_default() }
            </p>
            <div class="embed-preview" ref={frame_box}
                style={format!("height:{}px", height * scale / 10_000)}>
                <iframe ref={frame} src={(*preview).clone()} title="Preview of the embed"
                    width={width.to_string()} height={height.to_string()}
                    style={format!("transform:scale(calc({scale} / 10000))")} />
            </div>
            <textarea ref={code_field} class="share-link embed-code" readonly=true rows="4"
                aria-label="Embed code" value={code.unwrap_or_default()} />
            <button type="button" class="button small" onclick={copy} disabled={address.is_none()}>
                { "Copy embed code" }
            </button>
        </section>
    }
}
