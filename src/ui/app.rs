//! The root component: owns the reducer, the stage and the frame loop, and lays out the regions.

use std::rc::Rc;

use yew::prelude::*;

use super::autosave::{self, use_autosave};
use super::challenge_panel::{ask_par, challenge_menu, challenge_panel};
use super::cluster_dialog::ClusterDialog;
use super::confirm_dialog::ConfirmDialog;
use super::controls::{ControlsBar, ControlsView};
use super::embed::split_fragment;
use super::frame_loop::{FrameLoop, PROJECTOR_TEXT};
use super::host_api::{settle, use_host_api, HostLink};
use super::hunt_panel::HuntPanel;
use super::hunt_worker::HuntClient;
use super::panels::{InspectorPanel, NarrationPanel};
use super::share_dialog::{use_link_navigation, ShareDialog};
use super::shortcuts::{help_overlay, use_shortcuts};
use super::stage::{not_carried_notice, Stage, StageHandle};
use super::state::{preset, Action, AppState, RunKey, SmallView};
use super::timeline_view::TimelineRegion;
use super::topology_view::TopologyRegion;
use crate::hunt::Settings;
use crate::scenarios::Scenario;
use crate::share::SharedRun;

/// The short link a presentation shows its audience: this page, opening the same scenario in
/// guided mode (`?scenario=…&guided=1`), to follow the lesson on their phones.
fn follow_link(scenario: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let place = location
        .and_then(|l| Some([l.host().ok()?, l.pathname().ok()?].concat()))
        .unwrap_or_default();
    [&place, "?scenario=", scenario, "&guided=1"].concat()
}

/// The page URL's fragment (after `#`), or nothing.
fn location_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page URL's query string (`?…`), or nothing.
fn location_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Drops a shared run's link from the address bar once another run starts, so a reload does
/// not bring the old run back.
fn forget_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let (run, options) = split_fragment(&hash);
    if run.is_empty() {
        return;
    }
    // Embed options in the fragment stay: a reload must still be an embed.
    let kept = if options.is_empty() {
        String::new()
    } else {
        format!("#{options}")
    };
    let url = format!(
        "{}{}{kept}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Starts the run, restoring a shared one if asked; a shared run that cannot be replayed falls
/// back to a fresh start of its scenario, with a notice saying why.
fn start_run(
    key: &RunKey,
    restore: Option<SharedRun>,
    hunted: Option<Settings>,
    machines: bool,
) -> (Result<Stage, String>, Option<String>) {
    let (fix, seed) = (key.fix, key.seed);
    let base = match &key.custom {
        Some(custom) => Some((**custom).clone()),
        None => preset(&key.scenario),
    };
    let Some(scenario) = base else {
        return (
            Err(format!("there is no scenario called “{}”", key.scenario)),
            None,
        );
    };
    let scenario = match &key.cluster {
        Some(cluster) => match scenario.customised(cluster) {
            Ok(custom) => custom,
            Err(error) => return (Err(format!("that cluster is impossible: {error}")), None),
        },
        None => scenario,
    };
    // A hunt's run is of the scenario's subject; a share link names the cluster before it.
    let hunt = hunted
        .filter(|_| key.hunted)
        .map(|settings| (settings, scenario.cluster()));
    // A challenge's run is its arena; its fix and seed are the challenge's and the scenario's.
    let challenge = key
        .challenge
        .as_ref()
        .map(|c| (Rc::clone(c), scenario.cluster()));
    let (scenario, fix, seed) = match (&hunt, &key.challenge) {
        (Some(_), _) => (crate::hunt::subject(&scenario), fix, seed),
        (None, Some(c)) => {
            let arena = c.arena(&scenario);
            let seed = arena.config.seed;
            (arena, c.fix, seed)
        }
        (None, None) => (scenario, fix, seed),
    };
    let replays = restore.as_ref().is_some_and(|run| !run.faults.is_empty());
    let (started, notice) = start_scenario(&scenario, fix, seed, restore);
    let started = started.map(|mut stage| {
        // A hunt's failure opens where it broke: that is its key moment, the story a run
        // played to its end comes back to.
        if hunt.is_some() && replays && notice.is_none() {
            stage.story_is_here();
            stage.hunted_log = stage.run.fault_log();
        }
        if challenge.is_some() && replays && machines {
            stage.hunted_log = stage.run.fault_log();
        }
        stage.hunt = hunt;
        stage.challenge = challenge;
        stage
    });
    (started, notice)
}

fn start_scenario(
    scenario: &Scenario,
    fix: bool,
    seed: u64,
    restore: Option<SharedRun>,
) -> (Result<Stage, String>, Option<String>) {
    if let Some(shared) = restore {
        let restored = Stage::restore(
            scenario,
            fix,
            seed,
            &shared.faults,
            shared.step,
            shared.moment,
        )
        .map(|stage| stage.resuming(&shared.resumes));
        match restored {
            Ok(stage) => return (Ok(stage), None),
            Err(error) => {
                let notice = super::stage::not_replayed(&error);
                return (
                    Stage::start(scenario, fix, seed).map_err(|e| e.to_string()),
                    Some(notice),
                );
            }
        }
    }
    (
        Stage::start(scenario, fix, seed).map_err(|e| e.to_string()),
        None,
    )
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let mut opening =
            AppState::opening(&location_query(), &location_fragment(), autosave::load());
        if !opening.embed.enabled {
            if let Some(view) = autosave::load_view() {
                opening.small_view = view;
            }
        }
        // Options in the address that were not understood are also told to the page's author.
        for problem in &opening.embed.problems {
            web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&format!(
                "Faultline: in this page's address, {problem}"
            )));
        }
        opening
    });
    let stage = use_memo((), |_| StageHandle::default());
    let stage = (*stage).clone();
    let host = {
        let origin = state.embed.origin.clone();
        (*use_memo((), move |_| HostLink::handle(origin))).clone()
    };
    // The frame loop reads the latest state without re-rendering anything.
    let latest = use_mut_ref(AppState::default);
    *latest.borrow_mut() = (*state).clone();
    let timeline_canvas = use_node_ref();
    let compare_canvas = use_node_ref();
    let scrubber = use_node_ref();
    let readout = use_node_ref();
    let topology_canvas = use_node_ref();
    let hunt_slot = use_node_ref();
    let popover = use_node_ref();
    let end = use_node_ref();

    // The hunt's worker, started at the first hunt (or a challenge's par).
    let hunt_client = use_memo((), |_| HuntClient::default());
    // The run key of the run on stage: turning the fix on or off keeps that run's faults (the
    // fix changes the model, not the schedule).
    let started_for = use_mut_ref(|| None::<RunKey>);
    {
        let (stage, dispatch, latest) = (stage.clone(), state.dispatcher(), Rc::clone(&latest));
        let (host, client) = (host.clone(), (*hunt_client).clone());
        use_effect_with(state.run_key(), move |key| {
            // A shared run is restored once, when the page opens with its link.
            let restore = latest.borrow().restore.clone();
            if restore.is_none() {
                forget_fragment();
            }
            // The key of the run on stage now (a run that failed to start left the one before).
            let previous = started_for.borrow().clone();
            let fix_turned =
                previous.is_some_and(|p| p.fix != key.fix && RunKey { fix: key.fix, ..p } == *key);
            let carried = (fix_turned && restore.is_none())
                .then(|| {
                    stage
                        .read()
                        .map(|s| (s.with_fix(key.fix), s.run.names().clone()))
                })
                .flatten();
            let (started, notice) = match carried {
                Some((Ok((stage, not_carried)), names)) => {
                    let doing = if key.fix {
                        "Turning the fix on"
                    } else {
                        "Turning the fix off"
                    };
                    (Ok(stage), not_carried_notice(doing, &not_carried, &names))
                }
                _ => {
                    let (hunted, machines) = {
                        let latest = latest.borrow();
                        let machines = latest
                            .challenge
                            .as_ref()
                            .is_some_and(|p| p.watching_par.is_some());
                        (latest.hunted.clone(), machines)
                    };
                    start_run(key, restore, hunted, machines)
                }
            };
            let action = match started {
                Ok(mut started) => {
                    started.custom = key.custom.clone();
                    match stage.put(started) {
                        Some(revision) => {
                            *started_for.borrow_mut() = Some(key.clone());
                            Action::RunStarted(revision)
                        }
                        None => Action::RunFailed("the previous run was still busy".into()),
                    }
                }
                Err(message) => Action::RunFailed(message),
            };
            dispatch.dispatch(action);
            if let Some(notice) = notice {
                dispatch.dispatch(Action::Notice(notice));
            }
            // A challenge's par is looked for once its run is on stage.
            ask_par(&client, &stage, &dispatch, &latest.borrow());
            // A host page hears of the new run, and its waiting commands go on.
            settle(&host, &stage, &dispatch);
        });
    }
    {
        let (stage, dispatch) = (stage.clone(), state.dispatcher());
        let (timeline, topology) = (
            [timeline_canvas.clone(), compare_canvas.clone()],
            topology_canvas.clone(),
        );
        let scrubber = scrubber.clone();
        let readout = readout.clone();
        let latest = Rc::clone(&latest);
        let host = host.clone();
        use_effect_with((), move |_| {
            let frames = FrameLoop::start(
                stage,
                latest,
                dispatch,
                host,
                timeline,
                topology,
                [scrubber, readout],
            );
            move || drop(frames)
        });
    }

    // The comparison asked for, made on the stage (again after a new run is put there: a link
    // reopens one); said to the reducer by the stage revision it makes.
    {
        let (stage, dispatch) = (stage.clone(), state.dispatcher());
        use_effect_with((state.compare, state.stage), move |&(wanted, _)| {
            let on_stage = stage.read().map(|s| s.compared.as_ref().map(|c| c.with));
            if on_stage.is_none() || on_stage == Some(wanted) {
                return;
            }
            let made = stage.change(|s| {
                let made = wanted
                    .map(|with| super::compare::Compared::of(s, with))
                    .transpose();
                let failed = made.as_ref().err().cloned();
                s.compared = made.ok().flatten();
                failed
            });
            match made {
                Some((None, revision)) => dispatch.dispatch(Action::Compared(revision)),
                Some((Some(why), _)) => {
                    dispatch.dispatch(Action::Compare(None));
                    dispatch.dispatch(Action::Notice(format!(
                        "The runs could not be compared: {why}."
                    )));
                }
                None => {}
            }
        });
    }

    // A hunt that stops running here (Cancel, or the scenario changed) is stopped in the
    // worker too.
    {
        let client = (*hunt_client).clone();
        use_effect_with(state.hunt.running(), move |running| {
            let running = *running;
            move || {
                if let Some(id) = running {
                    client.cancel(id);
                }
            }
        });
    }

    // Every render may change what the canvases draw (a selection, a theme, a panel's size):
    // the frame loop, asleep while nothing moves, wakes to look (its next frame comes after
    // this render is in the page).
    stage.wake();
    use_shortcuts(Rc::clone(&latest), stage.clone(), state.dispatcher());
    use_autosave(&state, stage.clone(), Rc::clone(&latest));
    use_host_api(
        state.embed.origin.clone(),
        host.clone(),
        stage.clone(),
        state.dispatcher(),
    );
    use_link_navigation(state.dispatcher());
    // Progress through the course, kept on this device: lessons opened, guided verdicts.
    // Recorded as the page renders (each record is kept once), so a course page opening in
    // this same render already shows it.
    // A built-in challenge won on stage is recorded with its score.
    super::progress::Watch::of(&state)
        .winning(super::challenge_panel::win(&state, &stage))
        .record();
    // Focus goes into the course page as it opens, and back to its button as it closes.
    use_effect_with(state.course, |&open| super::course::focus_on(open));
    // The small screen's view is kept for the next visit (not by embeds).
    use_effect_with(
        (state.small_view, state.embed.enabled),
        |&(view, embedded)| {
            if !embedded {
                autosave::save_view(view);
            }
        },
    );
    // An embed may ask for a theme; it wins over the system preference (theme.css, frame loop).
    use_effect_with(state.embed.theme.clone(), |theme| {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let (Some(root), Some(theme)) = (root, theme) {
            let _ = root.set_attribute("data-theme", theme);
        }
    });

    // The scenario on stage, worked out again only when the run changes.
    let staged = {
        let state = state.clone();
        use_memo(state.run_key(), move |_| {
            state
                .staged_scenario()
                .map(|scenario| Rc::new(scenario.with_fix(state.fix)))
        })
    };
    // What the hunt attacks: the scenario on stage before any hunt made a subject of it.
    let hunt_target = {
        let state = state.clone();
        let wanted = state.hunt.open || state.challenge_menu;
        use_memo((state.run_key(), wanted), move |(_, open)| {
            open.then(|| state.hunt_target()).flatten().map(|scenario| {
                let mut scenario = scenario.with_fix(state.fix);
                scenario.config.seed = state.seed;
                Rc::new(scenario)
            })
        })
    };
    let dispatch = state.dispatcher();
    let embed = &state.embed;
    // An embed without the narration panel shows notices over the canvases instead.
    let floating_notice = (embed.enabled && !embed.narration)
        .then(|| state.notice.clone())
        .flatten();
    let dismiss_notice = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissNotice))
    };
    // An embed's diagrams are engaged by a click or tap, and let go when the embed loses focus;
    // a swipe the host page took instead (touch, not engaged) says how to engage them.
    let engage = {
        let (dispatch, wanted) = (dispatch.clone(), embed.enabled && !state.engaged);
        Callback::from(move |_: PointerEvent| {
            if wanted {
                dispatch.dispatch(Action::Engage(true));
            }
        })
    };
    let swiped = {
        let (dispatch, loose) = (dispatch.clone(), embed.enabled && !state.engaged);
        Callback::from(move |event: PointerEvent| {
            if loose && event.pointer_type() == "touch" {
                dispatch.dispatch(Action::ScrollHint(Some(super::state::ScrollHint::Touch)));
            }
        })
    };
    // An embed's first stop for the Tab key skips it: focus goes to its end, and the next Tab
    // leaves the iframe for the host page. The end is a stop for Tab only while it has focus
    // (Chromium goes round to the embed's start from an element that is never one).
    let skip = {
        let end = end.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            if let Some(end) = end.cast::<web_sys::HtmlElement>() {
                end.set_tab_index(0);
                let _ = end.focus();
            }
        })
    };
    let left_end = Callback::from(|event: FocusEvent| {
        if let Some(end) = event.target_dyn_into::<web_sys::HtmlElement>() {
            end.set_tab_index(-1);
        }
    });
    let class = classes!(
        "app",
        (embed.enabled && state.engaged).then_some("engaged"),
        state.projector.then_some("projector"),
        state.present.then_some("present"),
        embed.enabled.then_some("embed"),
        (embed.enabled && embed.narration).then_some("with-narration"),
        (embed.enabled && embed.inspector).then_some("with-inspector"),
    );
    html! {
        <div {class}>
            if embed.enabled {
                <a class="skip-link" href="#simulation-end" onclick={skip}>{ "Skip past this simulation" }</a>
            }
            <ControlsBar view={ControlsView::of(&state)} stage={stage.clone()} dispatch={dispatch.clone()}
                scrubber={scrubber} readout={readout} />
            if let Some(notice) = floating_notice {
                <div class="embed-notice" role="alert">
                    <p>{ notice }</p>
                    <button type="button" class="embed-notice-close" onclick={dismiss_notice}
                        aria-label="Dismiss this notice" title="Dismiss">{ "×" }</button>
                </div>
            }
            if state.present {
                <p class="follow-link">{ "On your phone: " }<strong>{ follow_link(&state.scenario) }</strong></p>
            }
            if let Some(play) = &state.challenge {
                { challenge_panel(play, &stage, &dispatch) }
            }
            { small_views(state.small_view, !embed.enabled || embed.narration,
                !embed.enabled || embed.inspector, &dispatch) }
            <main class={classes!("workspace", format!("view-{}", state.small_view.key()))}
                aria-label="Simulation workspace" onpointerup={engage} onpointercancel={swiped}>
                if let Some(hint) = state.scroll_hint {
                    <p class="scroll-hint" role="status">{ hint.text() }</p>
                }
                <TopologyRegion canvas={topology_canvas} stage={stage.clone()}
                    menu={state.node_menu} message_menu={state.message_menu} size={state.topology_size}
                    text_scale={if state.projector || state.present { PROJECTOR_TEXT } else { 1.0 }}
                    revision={(state.stage, state.progress.step)}
                    dispatch={dispatch.clone()} popover={popover.clone()} />
                <TimelineRegion stage={stage.clone()} canvas={timeline_canvas} compare_canvas={compare_canvas}
                    compare={state.compare} axis={state.axis}
                    selected={state.selected} hover={state.hover} scenario={state.scenario.clone()}
                    look={state.look.clone()} causal_only={state.causal_only}
                    stage_revision={state.stage} step={state.progress.step}
                    asking={state.guided && state.guide.asking()} dispatch={dispatch.clone()} />
                <NarrationPanel scenario={(*staged).clone()} narration={state.progress.narration}
                    guided={state.guided} guide={state.guide} discuss={state.discusses()}
                    answer_first={state.hint == Some(super::state::Hint::AnswerFirst)}
                    revision={(state.stage, state.progress.finished)} seed={state.seed} changed_by_hand={state.hand_faults && state.hunted.is_none()} run_error={state.run_error.clone()}
                    notice={state.notice.clone()} offered={state.offered.as_ref().map(|o| o.1.clone())}
                    stage={stage.clone()} dispatch={dispatch.clone()} />
                <InspectorPanel selected={state.selected} inspected={state.inspected} axis={state.axis}
                    revision={(state.stage, state.progress.step)} stage={stage.clone()}
                    dispatch={dispatch.clone()} hunt_slot={hunt_slot.clone()} />
                // Where the skip link goes: nothing after it takes focus (but a menu or dialog
                // open over the page), so the next Tab leaves the iframe.
                if embed.enabled {
                    <p id="simulation-end" class="skip-link skip-end" tabindex="-1" ref={end}
                        onblur={left_end}>
                        { "End of the simulation. Press Tab to go on." }
                    </p>
                }
            </main>
            if state.help {
                { help_overlay(&dispatch, embed.enabled) }
            }
            if let Some(link) = state.share_link.clone() {
                <ShareDialog {link} stage={stage.clone()} dispatch={dispatch.clone()} />
            }
            if state.cluster_dialog {
                if let Some(preset) = state.base_scenario() {
                    <ClusterDialog preset={preset.cluster()}
                        current={state.cluster.clone().unwrap_or_else(|| preset.cluster())}
                        dispatch={dispatch.clone()} />
                }
            }
            if let Some(host) = hunt_slot.cast::<web_sys::Element>().filter(|_| state.hunt.open) {
                { create_portal(html! {
                    <HuntPanel hunt={state.hunt.clone()} target={(*hunt_target).clone()}
                        client={(*hunt_client).clone()} dispatch={dispatch.clone()} />
                }, host) }
            }
            // Menus drawn over the page, outside every panel (the node menu, a message's menu).
            <div class="popover-layer" ref={popover}></div>
            if state.challenge_menu {
                { challenge_menu(hunt_target.as_deref(), state.challenge_draft.as_ref(), &stage, &dispatch) }
            }
            if state.course {
                { super::course::page(state.course_note.as_ref(), &dispatch) }
            }
            if let Some(pending) = state.confirm.as_deref() {
                <ConfirmDialog question={pending.question.clone()} dispatch={dispatch.clone()} />
            }
        </div>
    }
}

/// The view switch of a small screen (below 700 px wide, where one view shows at a time;
/// hidden on wider screens, which show them all).
/// `narration` and `inspector`: whether the story and the inspector are on the page (an
/// embed may leave them out).
fn small_views(
    view: SmallView,
    narration: bool,
    inspector: bool,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let current = view;
    let buttons = SmallView::ALL
        .into_iter()
        .filter(|view| match view {
            SmallView::Story => narration,
            SmallView::Inspector => inspector,
            _ => true,
        })
        .map(|view| {
            let pressed = current == view;
            let onclick = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ShowView(view)))
            };
            html! {
                <button type="button" class="view-tab" aria-pressed={pressed.to_string()} {onclick}>
                    { view.label() }
                </button>
            }
        });
    html! {
        <nav class="view-tabs" aria-label="Views">{ for buttons }</nav>
    }
}
