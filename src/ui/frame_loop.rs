//! The canvases' own frame loop (requestAnimationFrame): advances playback, keeps the camera on
//! the head, repaints a canvas only when what it shows changed, and reports progress to the
//! reducer only when the page must change. The Yew tree never re-renders per frame.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, MediaQueryList};
use yew::{NodeRef, UseReducerDispatcher};

use super::host_api::HostHandle;
use super::host_protocol;
use super::message_filter::filter_of;
use super::stage::{Stage, StageHandle, Stop, BATCH};
use super::state::{scrubber_text, Action, AppState, Guide, Progress};
use crate::detect::seconds;
use crate::render::camera::Camera;
use crate::render::canvas::{paint_timeline, prepare, DARK, LIGHT};
use crate::render::drawn::Drawn;
use crate::render::timeline::Filter;
use crate::render::timeline::{now_rows, Axis};
use crate::render::topology::TopologyView;
use crate::render::topology_canvas::{paint_knife, paint_topology};
use crate::sim::{EventId, Micros};

/// Wall time (ms) one frame may spend running events at unlimited speed.
const FRAME_BUDGET_MS: f64 = 8.0;
/// Projector mode draws canvas type this much larger.
pub const PROJECTOR_TEXT: f64 = 1.5;
/// A small screen draws the timeline's type this much larger: 14 px labels where 12 px is the
/// rule. (The topology keeps projector mode's scale alone: on a phone its ring is bound by the
/// width, and larger readouts would shrink it further.)
pub const SMALL_SCREEN_TEXT: f64 = 14.0 / 12.0;
/// Where the page switches to one view at a time (the small-screen rules at the end of
/// styles/views.css say the same).
const SMALL_SCREEN: &str = "(max-width: 559px), (max-width: 699px) and (pointer: coarse)";

/// The most wall time (ms) one frame moves playback on by.
const LONGEST_FRAME_MS: f64 = 100.0;
/// Frames with nothing moving and nothing drawn before the loop sleeps until woken (see
/// [`FrameLoop`]).
const IDLE_FRAMES: u32 = 3;
/// How long the hint on engaging an embed's diagrams shows (ms).
const SCROLL_HINT_MS: f64 = 2500.0;

/// With reduced motion, playback moves in discrete jumps this far apart (ms).
const REDUCED_MOTION_TICK_MS: f64 = 500.0;

/// Everything that decides a timeline frame's pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct TimelineKey {
    events: usize,
    now: Micros,
    camera: Camera,
    selected: Option<EventId>,
    filter: Filter,
    size: Size,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Size {
    width: f64,
    height: f64,
    ratio: f64,
    dark: bool,
    /// Projector mode's larger type.
    text_scale: f64,
}

/// A canvas, its context and the size its backing store was prepared for.
struct Surface {
    node: NodeRef,
    prepared: Option<(CanvasRenderingContext2d, Size)>,
}

impl Surface {
    fn new(node: NodeRef) -> Surface {
        Surface {
            node,
            prepared: None,
        }
    }

    /// The context, re-prepared if the canvas was resized, moved to another screen or
    /// re-themed. `None` while the canvas is not in the page or has no area.
    fn context(&mut self, dark: bool, text_scale: f64) -> Option<(CanvasRenderingContext2d, Size)> {
        let canvas = self.node.cast::<HtmlCanvasElement>()?;
        let size = Size {
            width: f64::from(canvas.client_width()),
            height: f64::from(canvas.client_height()),
            ratio: web_sys::window()?.device_pixel_ratio(),
            dark,
            text_scale,
        };
        if size.width < 1.0 || size.height < 1.0 {
            return None;
        }
        match &self.prepared {
            Some((context, prepared)) if *prepared == size => Some((context.clone(), size)),
            _ => {
                let context = prepare(&canvas, size.width, size.height, size.ratio)?;
                self.prepared = Some((context.clone(), size));
                Some((context, size))
            }
        }
    }
}

struct Media {
    dark: Option<MediaQueryList>,
    reduced: Option<MediaQueryList>,
    small: Option<MediaQueryList>,
}

impl Media {
    fn new() -> Media {
        let query = |q: &str| web_sys::window()?.match_media(q).ok().flatten();
        Media {
            dark: query("(prefers-color-scheme: dark)"),
            reduced: query("(prefers-reduced-motion: reduce)"),
            small: query(SMALL_SCREEN),
        }
    }

    /// An explicit `data-theme` on the root wins over the system preference.
    fn dark(&self) -> bool {
        let explicit = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("data-theme"));
        match explicit.as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => self.dark.as_ref().is_some_and(MediaQueryList::matches),
        }
    }

    fn reduced_motion(&self) -> bool {
        self.reduced.as_ref().is_some_and(MediaQueryList::matches)
    }

    /// How much larger than usual the timeline draws its text: projector mode's scale, a small
    /// screen's, or 1.
    fn timeline_text(&self, projector: bool) -> f64 {
        if projector {
            PROJECTOR_TEXT
        } else if self.small.as_ref().is_some_and(MediaQueryList::matches) {
            SMALL_SCREEN_TEXT
        } else {
            1.0
        }
    }
}

struct Looper {
    stage: StageHandle,
    latest: Rc<RefCell<AppState>>,
    dispatch: UseReducerDispatcher<AppState>,
    timeline: Surface,
    /// The second timeline, shown while two runs are compared.
    compare: Surface,
    topology: Surface,
    media: Media,
    last_time: Option<f64>,
    /// Wall time owed to playback under reduced motion.
    waiting_ms: f64,
    timeline_key: Option<TimelineKey>,
    /// What the two compared timelines were last painted for: the comparison, its camera,
    /// both sizes and the filter.
    compare_key: Option<(u64, Camera, Size, Size, Filter)>,
    topology_key: Option<(usize, Micros, Size, usize)>,
    scrubber: NodeRef,
    readout: NodeRef,
    /// The topology canvas size last reported, and a new one to report.
    topology_px: (u32, u32),
    resized: Option<(u32, u32)>,
    /// (step, furthest step, true time) last written to the scrubber and readout.
    scrubbed: Option<(u64, u64, Micros)>,
    progress: Option<Progress>,
    /// What this frame tells the reducer besides its progress: guided playback stopped, or the
    /// hint on engaging an embed has had its time.
    guide_stop: Option<Action>,
    /// The host page of an embed, told about steps and findings.
    host: HostHandle,
    /// Frames in a row that moved and drew nothing.
    idle_frames: u32,
    /// When the hint on engaging an embed's diagrams appeared (frame time, ms).
    hint_since: Option<f64>,
    /// The timeline canvas's size (CSS px) an embed's wanted height was last worked out at: it
    /// changes whenever the width or the controls above the diagrams do.
    height_key: Option<(u32, u32)>,
}

/// The running loop; dropping it stops it.
///
/// It sleeps when nothing moves: after [`IDLE_FRAMES`] frames that played nothing and drew
/// nothing it asks for no more frames (an idle page, or three paused embeds in a blog post,
/// cost nothing). Whatever may change what it draws wakes it: every change to the stage made
/// through its handle ([`StageHandle::with`], `change`, `put`), every render of the page (the
/// app calls [`StageHandle::wake`] after each), a resized window and a change of the system's
/// colour scheme.
pub struct FrameLoop {
    frame: Rc<RefCell<Option<AnimationFrame>>>,
    /// Held here so a sleeping loop (no frame pending) lives on to be woken.
    _looper: Rc<RefCell<Looper>>,
    _listeners: Vec<gloo_events::EventListener>,
}

impl FrameLoop {
    pub fn start(
        stage: StageHandle,
        latest: Rc<RefCell<AppState>>,
        dispatch: UseReducerDispatcher<AppState>,
        host: HostHandle,
        [timeline, compare]: [NodeRef; 2],
        topology: NodeRef,
        [scrubber, readout]: [NodeRef; 2],
    ) -> FrameLoop {
        let looper = Rc::new(RefCell::new(Looper {
            stage: stage.clone(),
            latest,
            dispatch,
            timeline: Surface::new(timeline),
            compare: Surface::new(compare),
            topology: Surface::new(topology),
            media: Media::new(),
            last_time: None,
            waiting_ms: 0.0,
            timeline_key: None,
            compare_key: None,
            topology_key: None,
            scrubber,
            readout,
            topology_px: (0, 0),
            resized: None,
            scrubbed: None,
            progress: None,
            guide_stop: None,
            host,
            height_key: None,
            idle_frames: 0,
            hint_since: None,
        }));
        let frame = Rc::new(RefCell::new(None));
        let wake: Rc<dyn Fn()> = {
            let (looper, slot) = (Rc::downgrade(&looper), Rc::downgrade(&frame));
            Rc::new(move || {
                let (Some(looper), Some(slot)) = (looper.upgrade(), slot.upgrade()) else {
                    return;
                };
                if let Ok(mut awake) = looper.try_borrow_mut() {
                    awake.idle_frames = 0;
                }
                if slot.try_borrow().is_ok_and(|pending| pending.is_none()) {
                    schedule(looper, slot);
                }
            })
        };
        stage.set_waker(wake.clone());
        let mut listeners = Vec::new();
        if let Some(window) = web_sys::window() {
            let on_resize = wake.clone();
            listeners.push(gloo_events::EventListener::new(
                &window,
                "resize",
                move |_| on_resize(),
            ));
        }
        // An embed lets go of its diagrams when it loses focus (the reader clicked or tapped the
        // host page) or the mouse leaves it.
        let embedded = looper.borrow().latest.borrow().embed.enabled;
        if let Some(window) = web_sys::window().filter(|_| embedded) {
            let root = window.document().and_then(|d| d.document_element());
            for (target, kind) in [
                (Some(window.into()), "blur"),
                (root.map(Into::into), "mouseleave"),
            ] {
                let Some(target) = target else { continue };
                let target: web_sys::EventTarget = target;
                let dispatch = looper.borrow().dispatch.clone();
                listeners.push(gloo_events::EventListener::new(&target, kind, move |_| {
                    dispatch.dispatch(Action::Engage(false))
                }));
            }
        }
        if let Some(query) = looper.borrow().media.dark.clone() {
            let on_scheme = wake.clone();
            listeners.push(gloo_events::EventListener::new(
                &query,
                "change",
                move |_| on_scheme(),
            ));
        }
        schedule(looper.clone(), frame.clone());
        FrameLoop {
            frame,
            _looper: looper,
            _listeners: listeners,
        }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        // Dropping the pending frame cancels it and frees the loop.
        self.frame.borrow_mut().take();
    }
}

fn schedule(looper: Rc<RefCell<Looper>>, slot: Rc<RefCell<Option<AnimationFrame>>>) {
    let next_slot = slot.clone();
    let handle = request_animation_frame(move |time| {
        let report = looper.borrow_mut().tick(time);
        let resized = looper.borrow_mut().resized.take();
        let guide_stop = looper.borrow_mut().guide_stop.take();
        // Dispatch after every borrow is released: the reducer may re-render synchronously.
        if let Some((dispatch, progress)) = report {
            dispatch.dispatch(Action::Progress(progress));
        }
        if let Some(action) = guide_stop {
            let dispatch = looper.borrow().dispatch.clone();
            dispatch.dispatch(action);
        }
        if let Some((w, h)) = resized {
            let dispatch = looper.borrow().dispatch.clone();
            dispatch.dispatch(Action::TopologySize(w, h));
        }
        let asleep = looper.borrow().idle_frames >= IDLE_FRAMES;
        if asleep {
            // No frame pending: the next wake schedules one. The gap is not playback time.
            looper.borrow_mut().last_time = None;
            next_slot.borrow_mut().take();
        } else {
            schedule(looper, next_slot);
        }
    });
    *slot.borrow_mut() = Some(handle);
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Looper {
    /// One frame. Returns progress to report, if it changed.
    fn tick(&mut self, time: f64) -> Option<(UseReducerDispatcher<AppState>, Progress)> {
        // A frame after a long gap (the loop slept, the tab or the embed was out of view) moves
        // playback on by one ordinary frame's time at most, not by the whole gap.
        let elapsed = self
            .last_time
            .map_or(0.0, |last| (time - last).clamp(0.0, LONGEST_FRAME_MS));
        self.last_time = Some(time);
        let (
            playing,
            (speed, pace),
            axis,
            selected,
            guide,
            (text_scale, topology_text),
            look,
            embed_panels,
            hinting,
        ) = {
            let state = self.latest.try_borrow().ok()?;
            let topology_text = if state.projector || state.present {
                PROJECTOR_TEXT
            } else {
                1.0
            };
            let text_scale = (
                self.media.timeline_text(state.projector || state.present),
                topology_text,
            );
            (
                state.playing,
                (state.speed, state.pace),
                state.axis,
                state.selected,
                state.guided.then_some(state.guide),
                text_scale,
                (state.look.clone(), state.causal_only),
                state
                    .embed
                    .enabled
                    .then_some(state.embed.narration || state.embed.inspector),
                state.scroll_hint.is_some(),
            )
        };
        // The hint on engaging an embed goes after a moment (the loop stays awake till then).
        self.hint_since = match (hinting, self.hint_since) {
            (false, _) => None,
            (true, None) => Some(time),
            (true, Some(since)) if time - since > SCROLL_HINT_MS => {
                self.guide_stop = Some(Action::ScrollHint(None));
                None
            }
            (true, since) => since,
        };
        let handle = self.stage.clone();
        let mut guard = handle.borrow_mut()?;
        let stage = &mut *guard;
        // The sandbox asks what a fault the person made will do, as soon as it is made.
        let asked = guide == Some(Guide::Watching) && stage.wants_own_question();
        if asked {
            stage.ask_of_fault();
            self.guide_stop = Some(Action::ReachedKeyMoment);
        }
        if playing && !asked {
            let elapsed = if self.media.reduced_motion() {
                self.waiting_ms += elapsed;
                if self.waiting_ms < REDUCED_MOTION_TICK_MS {
                    0.0
                } else {
                    std::mem::take(&mut self.waiting_ms)
                }
            } else {
                elapsed
            };
            let stop = guide.map_or_else(Stop::default, |guide: Guide| guide.stop(stage));
            let was_finished = stage.run.finished();
            if elapsed > 0.0 {
                let stopped = if let Some(pace) = pace {
                    stage.play_paced(elapsed, pace, stop)
                } else if speed.events_per_second().is_some() {
                    let stopped = stage.play(elapsed, speed, stop);
                    if self.media.reduced_motion() {
                        stage.settle();
                    }
                    stopped
                } else {
                    let start = now_ms();
                    let mut stopped = false;
                    while !stage.run.finished() && now_ms() - start < FRAME_BUDGET_MS {
                        if stage.advance_before(BATCH, stop).1 {
                            stopped = true;
                            break;
                        }
                    }
                    stopped
                };
                if stopped {
                    self.guide_stop = Some(if stop.ask {
                        Action::ReachedKeyMoment
                    } else {
                        Action::ReachedAnomaly
                    });
                }
            }
            // Played to its end: show the story around the key moment, as a figure would.
            if !was_finished && stage.run.finished() {
                stage.frame_story();
            }
        }
        let dark = self.media.dark();
        let filter = filter_of(look.0.as_ref(), look.1, stage, text_scale);
        let painted = [
            self.paint_timeline(stage, axis, selected, filter, dark, text_scale),
            self.paint_topology(stage, dark, topology_text),
            self.update_scrubber(stage),
        ];
        // Nothing moves and nothing was drawn: after a few such frames the loop sleeps.
        let busy = playing || painted.contains(&true) || !stage.knife.is_empty();
        if let Ok(mut host) = self.host.try_borrow_mut() {
            host.observe(stage, playing, time);
        }
        if let Some(panels) = embed_panels {
            self.tell_height(panels);
        }
        // The frame a run ends in reports its exact step (not playback's coarse one): the page
        // then shows the end — the inspector's findings included — as Play greys out, not a
        // frame later.
        let progress = stage.progress(playing && !stage.run.finished());
        drop(guard);
        let busy = busy || hinting || self.guide_stop.is_some() || self.progress != Some(progress);
        self.idle_frames = if busy { 0 } else { self.idle_frames + 1 };
        if self.progress == Some(progress) {
            return None;
        }
        self.progress = Some(progress);
        Some((self.dispatch.clone(), progress))
    }

    /// An embed tells its host page the height it wants when its width or the controls above
    /// its diagrams change (see [`host_protocol::wanted_height`]), which the timeline canvas's
    /// size shows without asking the page for its layout each frame.
    fn tell_height(&mut self, panels: bool) {
        let canvas = self
            .timeline
            .prepared
            .as_ref()
            .map(|(_, size)| (size.width as u32, size.height as u32));
        if canvas.is_none() || self.height_key == canvas {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let width = window
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0);
        let chrome = window
            .document()
            .and_then(|d| d.query_selector(".workspace").ok().flatten())
            .and_then(|w| w.dyn_into::<web_sys::HtmlElement>().ok())
            .map_or(0, |w| w.offset_top());
        if width < 1.0 {
            return;
        }
        self.height_key = canvas;
        let small = self
            .media
            .small
            .as_ref()
            .is_some_and(MediaQueryList::matches);
        let height = host_protocol::wanted_height(width, f64::from(chrome), small, panels);
        if let Ok(mut host) = self.host.try_borrow_mut() {
            host.tell_height(height);
        }
    }

    fn paint_timeline(
        &mut self,
        stage: &mut Stage,
        axis: Axis,
        selected: Option<EventId>,
        filter: Filter,
        dark: bool,
        text_scale: f64,
    ) -> bool {
        let Some((context, size)) = self.timeline.context(dark, text_scale) else {
            return false;
        };
        if stage.compared.is_some() {
            self.timeline_key = None;
            return self.paint_compared(stage, (context, size), filter, dark, text_scale);
        }
        self.compare_key = None;
        let mut camera = stage.camera_for(axis, size.height);
        camera.track(stage.run.head(axis), size.height);
        stage.camera = Some(camera);
        let key = TimelineKey {
            events: stage.run.event_count(),
            now: stage.shown_time(),
            camera,
            selected,
            filter,
            size,
        };
        if self.timeline_key == Some(key) {
            return false;
        }
        self.timeline_key = Some(key);
        let viewport = camera.viewport(size.width, size.height);
        let shown = stage.shown_time();
        let shapes = stage.run.timeline(&viewport, selected, shown, &filter);
        let now = now_rows(&viewport, shown, &stage.run.clock_readings(shown));
        let palette = &if dark { DARK } else { LIGHT }.with_text_scale(size.text_scale);
        paint_timeline(&context, &shapes, &viewport, &stage.names, palette, &now);
        if stage.painted.is_none() {
            mark_first_frame();
        }
        stage.painted = Some((shapes, viewport));
        true
    }

    /// Two runs compared: each on its own canvas, one camera for both (see
    /// [`super::compare`]). The pointer finds no event on them (the hover card and selection
    /// are the run on stage's), only the camera moves.
    fn paint_compared(
        &mut self,
        stage: &mut Stage,
        (context, size): (CanvasRenderingContext2d, Size),
        filter: Filter,
        dark: bool,
        text_scale: f64,
    ) -> bool {
        let Some(compared) = stage.compared.as_mut() else {
            return false;
        };
        let Some((second, second_size)) = self.compare.context(dark, text_scale) else {
            return false;
        };
        let camera = compared.camera_for(size.height);
        let key = (compared.id, camera, size, second_size, filter);
        let viewport = camera.viewport(size.width, size.height);
        let repaint = self.compare_key != Some(key);
        if repaint {
            self.compare_key = Some(key);
            let palette = &if dark { DARK } else { LIGHT }.with_text_scale(size.text_scale);
            for (side, (context, size)) in [(context, size), (second, second_size)]
                .into_iter()
                .enumerate()
            {
                let viewport = camera.viewport(size.width, size.height);
                let shapes = compared.shapes(side, &viewport, &filter);
                paint_timeline(&context, &shapes, &viewport, &compared.names, palette, &[]);
            }
        }
        stage.painted = Some((Vec::new(), viewport));
        repaint
    }

    /// Keeps the scrubber and the time readout current without re-rendering the controls.
    fn update_scrubber(&mut self, stage: &Stage) -> bool {
        // The time shown: the run's, or a little past it as playback glides on between events
        // (paced in cluster time, the clock moves on through a quiet stretch), to the ms.
        let (step, furthest, now) = (
            stage.run.current_step(),
            stage.run.furthest_step(),
            stage.run.now().max(stage.shown_time() / 1_000 * 1_000),
        );
        if self.scrubbed == Some((step, furthest, now)) {
            return false;
        }
        let Some(input) = self.scrubber.cast::<web_sys::HtmlInputElement>() else {
            return false;
        };
        self.scrubbed = Some((step, furthest, now));
        input.set_max(&furthest.to_string());
        input.set_value(&step.to_string());
        let (text, title) = scrubber_text(step, furthest, stage.run.finished());
        let _ = input.set_attribute("aria-valuetext", &text);
        let _ = input.set_attribute("title", title);
        if let Some(readout) = self.readout.cast::<web_sys::Element>() {
            readout.set_text_content(Some(&format!("{step} · {}", seconds(now))));
            let _ = readout.set_attribute("data-true-time-us", &now.to_string());
            let events = stage.run.event_count().to_string();
            let _ = readout.set_attribute("data-events", &events);
        }
        true
    }

    fn paint_topology(&mut self, stage: &Stage, dark: bool, text_scale: f64) -> bool {
        let Some((context, size)) = self.topology.context(dark, text_scale) else {
            return false;
        };
        let key = (
            stage.run.event_count(),
            stage.shown_time(),
            size,
            stage.knife.len(),
        );
        if self.topology_key == Some(key) {
            return false;
        }
        self.topology_key = Some(key);
        let size_px = (size.width as u32, size.height as u32);
        if self.topology_px != size_px {
            self.topology_px = size_px;
            self.resized = Some(size_px);
        }
        let view = TopologyView {
            width: size.width,
            height: size.height,
            text_scale: size.text_scale,
        };
        let shapes = stage.run.topology(&view, stage.shown_time());
        let palette = &if dark { DARK } else { LIGHT }.with_text_scale(size.text_scale);
        paint_topology(&context, &shapes, &view, &stage.names, palette);
        paint_knife(&context, &stage.knife, palette);
        true
    }
}

/// The canvas element behind a node ref, for exports.
pub fn canvas_of(node: &NodeRef) -> Option<HtmlCanvasElement> {
    node.get()?.dyn_into().ok()
}

/// The performance mark set when a run's first timeline frame is drawn: `make bench` measures
/// `load_to_first_frame_ms` from navigation to the page's first one (`benches/load.mjs`).
pub const FIRST_FRAME_MARK: &str = "faultline-first-frame";

fn mark_first_frame() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(FIRST_FRAME_MARK);
    }
}
