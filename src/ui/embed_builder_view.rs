//! The embed builder in the Share dialog: the form, a live preview (the embed itself, in an
//! iframe, scaled to fit the dialog) and the snippet to copy. What the choices mean, the
//! form's markup and the builder's state are `embed_builder`, pure and tested natively; this is
//! the DOM around them, kept to one reducer and one effect (each hook weighs on the bundle).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MessageEvent};
use yew::prelude::*;

use super::embed_builder::{base_url, parse_step, Builder, Change, Choices, Source};
use super::state::preset;
use crate::share;

/// How long the preview waits after the last change before it reloads (ms): typing a step
/// reloads it once, not at every key.
const PREVIEW_DELAY_MS: u32 = 400;

/// The builder, its form's markup (rendered once: the browser keeps the fields as the person
/// fills them in) and its iframe's id (one per dialog, so two snippets on one page find each
/// its own iframe). `None` if the link holds no run it can read (one too large for a link:
/// the dialog says to save a file instead).
struct Shown(Option<(Builder, AttrValue, String)>);

impl Reducible for Shown {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut next = self.0.clone();
        if let Some((builder, _, _)) = &mut next {
            builder.apply(change);
        }
        Rc::new(Shown(next))
    }
}

/// The builder for the run behind a share link: at the step on stage, titled "Faultline: "
/// and the scenario's title.
fn start(link: &str) -> Option<(Builder, AttrValue, String)> {
    let run = share::decode(link.split_once('#')?.1).ok()?;
    let preset = preset(&run.scenario);
    let title = match (&run.custom, &preset) {
        (Some(custom), _) => custom.title.clone(),
        (None, Some(preset)) => preset.title.clone(),
        (None, None) => run.scenario.clone(),
    };
    let choices = Choices::new(run.step, format!("Faultline: {title}"));
    let form = AttrValue::from(choices.form_html());
    let source = Source::of(run, preset.map(|p| p.config.seed));
    let id = format!("faultline-{:08x}", (js_sys::Math::random() * 4e9) as u32);
    Some((
        Builder::new(base_url(link).to_string(), source, choices),
        form,
        id,
    ))
}

/// A property of a JavaScript value (`None` if it has none, or is no object).
fn property(value: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// What the open builder listens for: the preview's width (and the window's resizing), the
/// fitted preview's height messages, and each field's change.
fn listen(
    dispatch: UseReducerDispatcher<Shown>,
    fields: NodeRef,
    frame_box: NodeRef,
    frame: NodeRef,
) -> [Option<EventListener>; 3] {
    let measure = {
        let dispatch = dispatch.clone();
        move || {
            if let Some(element) = frame_box.cast::<Element>() {
                dispatch.dispatch(Change::Width(element.client_width()));
            }
        }
    };
    measure();
    let window = web_sys::window();
    let resize = window
        .as_ref()
        .map(|w| EventListener::new(w, "resize", move |_| measure()));
    // A fitted preview is as tall as it asks to be, by the message the snippet's
    // script listens for.
    let message = window.as_ref().map(|w| {
        let dispatch = dispatch.clone();
        EventListener::new(w, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let preview = frame.get().and_then(|f| property(&f, "contentWindow"));
            let source = event.source().map(JsValue::from);
            let data = event.data();
            let kind = property(&data, "type").and_then(|t| t.as_string());
            let height = property(&data, "height").and_then(|h| h.as_f64());
            if let (true, Some("faultline:height"), Some(height)) = (
                preview.is_some() && preview == source,
                kind.as_deref(),
                height,
            ) {
                dispatch.dispatch(Change::FitHeight(height));
            }
        })
    });
    // Each field's change at once; the preview once the changes pause.
    let pending = Rc::new(RefCell::new(None::<Timeout>));
    let input = fields.get().map(|fields| {
        EventListener::new(&fields, "input", move |event| {
            let Some(target) = event.target().map(JsValue::from) else {
                return;
            };
            let text = |name| property(&target, name).and_then(|v| v.as_string());
            let (Some(name), Some(value)) = (text("name"), text("value")) else {
                return;
            };
            if let (Some(field), "step") = (target.dyn_ref::<Element>(), name.as_str()) {
                let invalid = if parse_step(&value).is_err() {
                    "true"
                } else {
                    "false"
                };
                let _ = field.set_attribute("aria-invalid", invalid);
            }
            let on = property(&target, "checked").and_then(|v| v.as_bool());
            dispatch.dispatch(Change::Field(name, value, on.unwrap_or(false)));
            let dispatch = dispatch.clone();
            *pending.borrow_mut() = Some(Timeout::new(PREVIEW_DELAY_MS, move || {
                dispatch.dispatch(Change::ShowPreview)
            }));
        })
    });
    [resize, message, input]
}

/// The builder for the run behind `link` (the share link to the run on stage), as part of the
/// Share dialog: a hook, not a component of its own, since each component costs the bundle its
/// own copy of Yew's lifecycle code.
#[hook]
pub fn use_embed_builder(link: &str) -> Html {
    let link = link.to_string();
    let shown = use_reducer(move || Shown(start(&link)));
    // Opened on request: its preview is a second Faultline, not worth loading to copy a link.
    let open = use_state(|| false);
    let (fields, frame_box, frame, code_field) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let dispatch = shown.dispatcher();
        let (fields, frame_box, frame) = (fields.clone(), frame_box.clone(), frame.clone());
        use_effect_with(*open, move |&open| {
            let held = open.then(|| listen(dispatch, fields, frame_box, frame));
            move || drop(held)
        });
    }
    if !*open {
        let open = open.clone();
        return html! {
            <button type="button" class="button small embed-builder-open"
                onclick={Callback::from(move |_: MouseEvent| open.set(true))}>
                { "Put it in a blog post or slides…" }
            </button>
        };
    }
    let Some((builder, form, id)) = &shown.0 else {
        return Html::default();
    };
    let code = builder.code(id);
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
    let (width, height, scale) = builder.frame();
    html! {
        <section class="embed-builder" aria-labelledby="embed-builder-title">
            <h3 id="embed-builder-title">{ "Put it in a blog post or slides" }</h3>
            <div class="embed-fields" ref={fields}>{ Html::from_html_unchecked(form.clone()) }</div>
            <p id="embed-step-error" class="seed-error" role="alert">
                { builder.choices.step().err().unwrap_or_default() }
            </p>
            <div class="embed-preview" ref={frame_box}
                style={format!("height:{}px", height * scale / 10_000)}>
                <iframe ref={frame} src={builder.preview.clone()} title="Preview of the embed"
                    width={width.to_string()} height={height.to_string()}
                    style={format!("transform:scale(calc({scale} / 10000))")} />
            </div>
            <textarea ref={code_field} class="share-link embed-code" readonly=true rows="4"
                aria-label="Embed code" value={code.clone().unwrap_or_default()} />
            <button type="button" class="button small" onclick={copy} disabled={code.is_none()}>
                { "Copy embed code" }
            </button>
        </section>
    }
}
