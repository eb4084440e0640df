//! The embed builder in the Share dialog: the form, a live preview (the embed itself, in an
//! iframe, scaled to fit the dialog) and the snippet to copy. What the choices mean is
//! `embed_builder`, pure and tested natively.

use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MessageEvent};
use yew::prelude::*;

use super::embed_builder::{
    base_url, snippet, speeds, src, Choices, Size, Source, FIT_HEIGHTS, FIT_START_HEIGHT, THEMES,
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

/// What the share link holds, as the builder starts from it: the app's address, the run, the
/// step on stage and the iframe's default title. `None` if the link holds no run it can read
/// (one too large for a link: the dialog says to save a file).
fn start(link: &str) -> Option<(String, Source, u64, String)> {
    let run = share::decode(link.split_once('#')?.1).ok()?;
    let preset = preset(&run.scenario);
    let title = match (&run.custom, &preset) {
        (Some(custom), _) => custom.title.clone(),
        (None, Some(preset)) => preset.title.clone(),
        (None, None) => run.scenario.clone(),
    };
    let step = run.step;
    let source = Source::of(run, preset.map(|p| p.config.seed));
    Some((
        base_url(link).to_string(),
        source,
        step,
        format!("Faultline: {title}"),
    ))
}

#[derive(Properties, PartialEq)]
pub struct EmbedBuilderProps {
    /// The share link to the run on stage.
    pub link: String,
}

#[function_component(EmbedBuilder)]
pub fn embed_builder(props: &EmbedBuilderProps) -> Html {
    let started = use_memo(props.link.clone(), |link| start(link));
    match &*started {
        Some((base, source, step, title)) => html! {
            <Builder base={base.clone()} source={Rc::new(source.clone())} step={*step}
                title={title.clone()} />
        },
        None => Html::default(),
    }
}

#[derive(Properties, PartialEq)]
struct BuilderProps {
    base: String,
    source: Rc<Source>,
    step: u64,
    title: String,
}

#[function_component(Builder)]
fn builder(props: &BuilderProps) -> Html {
    let choices = use_reducer(|| Choices::new(props.step, props.title.clone()));
    // One id per dialog, so two snippets on one page find each its own iframe.
    let id = use_memo((), |_| {
        format!("faultline-{:08x}", (js_sys::Math::random() * 4e9) as u32)
    });
    let step = choices.step();
    let address = step
        .as_ref()
        .ok()
        .map(|&step| src(&props.base, &props.source, &choices, step));
    let code = address
        .as_deref()
        .map(|address| snippet(address, choices.size, choices.title(), &id));

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
    // The preview's box: its width scales the embed down to fit; a fitted embed's height is
    // the one it asks for.
    let frame_box = use_node_ref();
    let frame = use_node_ref();
    let box_width = use_state_eq(|| 0);
    let fit_height = use_state_eq(|| f64::from(FIT_START_HEIGHT));
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
                    let height = property(&data, "height").and_then(|h| h.as_f64());
                    let kind = property(&data, "type").and_then(|t| t.as_string());
                    if let (true, Some("faultline:height"), Some(height)) =
                        (from_preview, kind.as_deref(), height)
                    {
                        if FIT_HEIGHTS.contains(&height) {
                            fit_height.set(height.round());
                        }
                    }
                });
                (resize, message)
            });
            move || drop(listeners)
        });
    }
    let available = f64::from(*box_width);
    let (width, height, scale) = match choices.size.pixels() {
        Some((w, h)) => {
            let (w, h) = (f64::from(w), f64::from(h));
            (w, h, (available / w).min(1.0))
        }
        None => (available, *fit_height, 1.0),
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
                choices.dispatch((name, value, on.unwrap_or(false)));
            }
        })
    };
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
    let options = |name: &str, all: Vec<(String, String)>, chosen: String| {
        let all = all.into_iter().map(|(value, label)| {
            let selected = value == chosen;
            html! { <option {value} {selected}>{ label }</option> }
        });
        html! { <select name={name.to_string()}>{ for all }</select> }
    };
    let check = |name: &'static str, label: &'static str, on: bool| {
        html! {
            <label class="embed-check">
                <input type="checkbox" {name} checked={on} />{ label }
            </label>
        }
    };
    let c = &*choices;
    html! {
        <section class="embed-builder" aria-labelledby="embed-builder-title">
            <h3 id="embed-builder-title">{ "Put it in a blog post or slides" }</h3>
            <div class="embed-fields" {oninput}>
                <label>{ "Size" }
                    { options("size", Size::ALL.map(|s| (s.key().into(), s.label().into())).into(),
                        c.size.key().into()) }
                </label>
                <label>{ "Theme" }
                    { options("theme", THEMES.map(|(v, l)| (v.into(), l.into())).into(), c.theme.into()) }
                </label>
                <label>{ "Speed when playing" }
                    { options("speed", speeds().map(|(v, l)| (v.to_string(), l)).collect(),
                        c.speed.to_string()) }
                </label>
                <label>{ "Start at step" }
                    <input type="text" name="step" inputmode="numeric" value={c.step.clone()}
                        aria-invalid={step.is_err().to_string()}
                        aria-describedby={step.is_err().then_some("embed-step-error")} />
                </label>
                <fieldset class="embed-checks">
                    <legend>{ "Play and panels" }</legend>
                    { check("autoplay", "Play on opening", c.autoplay) }
                    { check("narration", "The narration", c.narration) }
                    { check("inspector", "The inspector", c.inspector) }
                </fieldset>
                <label class="embed-title">{ "Title, read out by screen readers" }
                    <input type="text" name="title" value={c.title.clone()} />
                </label>
            </div>
            if let Err(error) = &step {
                <p id="embed-step-error" class="seed-error" role="alert">{ error }</p>
            }
            <div class="embed-preview" ref={frame_box}
                style={format!("height:{}px", (height * scale).round())}>
                <iframe ref={frame} src={(*preview).clone()} title="Preview of the embed"
                    width={width.round().to_string()} height={height.round().to_string()}
                    style={format!("transform:scale({scale:.4})")} />
            </div>
            <textarea ref={code_field} class="share-link embed-code" readonly=true rows="4"
                aria-label="Embed code" value={code.unwrap_or_default()} />
            <button type="button" class="button small" onclick={copy} disabled={step.is_err()}>
                { "Copy embed code" }
            </button>
        </section>
    }
}
