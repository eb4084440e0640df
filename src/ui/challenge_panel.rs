//! The challenge being played (see [`crate::challenge`]): what to do, the budget left, the
//! verdict, and the machine's par beside it; and the challenge menu, which lists the built-in
//! challenges and lets a teacher make one over the run on stage.
//!
//! Both are plain functions of the state and the stage, each with one delegated handler (a
//! button says what it does in `data-act`, a form field its name in `name`): the bundle carries
//! one closure per view rather than one per button. The par's hunt runs in the worker
//! (`hunt_worker.rs`), asked for by [`ask_par`] once the challenge's run is on stage; the
//! worker's answers reach the reducer through the hunt's channel (`AppState::hunt_action` routes
//! them by id).

use std::rc::Rc;

use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::hunt_worker::{HuntClient, Job};
use super::share_dialog::{shared_run, url_of};
use super::stage::StageHandle;
use super::state::{Action, AppState, ChallengeAction, Par, Play};
use crate::challenge::{budget, builtin, count, Challenge, Ledger, Spend, CHALLENGE_KINDS};
use crate::hunt::{thousands, Mode};
use crate::scenarios::Scenario;
use crate::sim::words::duration;

/// Asks the worker for the par of the challenge on stage, if it is still to be found.
pub fn ask_par(
    client: &HuntClient,
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
    state: &AppState,
) {
    let Some(play) = state.challenge.as_ref().filter(|p| p.par == Par::Waiting) else {
        return;
    };
    let Some(arena) = stage
        .read()
        .filter(|s| s.challenge.is_some())
        .map(|s| s.scenario.clone())
    else {
        return;
    };
    let id = state.hunt.last_id + 1;
    dispatch.dispatch(Action::Challenge(ChallengeAction::ParStarted(id)));
    let challenge = &play.challenge;
    let message = Job::message(id, &arena, challenge.settings(1), Some(challenge.goal));
    if let Err(message) = super::hunt_panel::send(client, message, dispatch) {
        dispatch.dispatch(Action::Challenge(ChallengeAction::ParFailed {
            id,
            message,
        }));
    }
}

/// What the stage says of the challenge: faults spent, and the win if there is one.
struct Standing {
    ledger: Ledger,
    /// The finding that won: its first event.
    won: Option<Option<crate::sim::EventId>>,
    /// Faults beyond the rules (a link can carry them): not a fair win.
    fair: bool,
    finished: bool,
    now: crate::sim::Micros,
}

fn standing(stage: &StageHandle, challenge: &Challenge) -> Option<Standing> {
    let stage = stage.read()?;
    stage.challenge.as_ref()?;
    let run = &stage.run;
    let ledger = Ledger::of(
        &run.fault_log(),
        run.now(),
        &budget::Cluster::of(&stage.scenario),
    );
    let fair = ledger.count() <= challenge.faults
        && ledger
            .faults
            .iter()
            .all(|f| matches!(f.spend, Spend::Fault(kind) if challenge.kinds.contains(&kind)))
        && challenge
            .fault_time_us
            .is_none_or(|budget| ledger.fault_time_us <= budget);
    let findings = run.findings();
    let won = challenge.won(&findings).map(|f| f.events.first().copied());
    Some(Standing {
        ledger,
        won,
        fair,
        finished: run.finished(),
        now: run.now(),
    })
}

/// The built-in challenge won on stage, for the person's progress: its id, the faults used and
/// the machine's par. A challenge of one's own (or one a link changed) is not recorded.
pub fn win(state: &AppState, stage: &StageHandle) -> Option<(String, u32, Option<u32>)> {
    let play = state
        .challenge
        .as_ref()
        .filter(|p| p.watching_par.is_none())?;
    if crate::challenge::by_id(&play.challenge.id).as_ref() != Some(&*play.challenge) {
        return None;
    }
    let standing = standing(stage, &play.challenge).filter(|s| s.fair && s.won.is_some())?;
    let par = match &play.par {
        Par::Done(result, _) => result.faults,
        _ => None,
    };
    Some((play.challenge.id.clone(), standing.ledger.count(), par))
}

/// The element a delegated event started on, or the nearest one above it matching `selector`.
pub(super) fn acted_on(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<Element>(t).ok())?
        .closest(selector)
        .ok()
        .flatten()
}

/// What a button of the challenge panel or menu does, by its `data-act`.
fn act(act: &str, stage: &StageHandle, dispatch: &UseReducerDispatcher<AppState>) {
    let challenge = |action| dispatch.dispatch(Action::Challenge(action));
    match act {
        "leave" => challenge(ChallengeAction::Leave),
        "give-up" => challenge(ChallengeAction::GiveUp),
        "again" => challenge(ChallengeAction::Again),
        "back" => challenge(ChallengeAction::BackToAttempt),
        "close" => challenge(ChallengeAction::Menu(false)),
        "make" => challenge(ChallengeAction::Draft(true)),
        "play-draft" => challenge(ChallengeAction::PlayDraft),
        "watch" => {
            if let Some(attempt) = shared_run(stage) {
                challenge(ChallengeAction::WatchPar(Rc::new(attempt)));
            }
        }
        "show" => {
            let event = stage.read().and_then(|s| {
                let play = s.challenge.as_ref()?;
                let findings = s.run.findings();
                play.0.won(&findings)?.events.first().copied()
            });
            if let Some(event) = event {
                stage.with(|s| s.reveal(event, crate::render::timeline::Axis::TrueTime));
                dispatch.dispatch(Action::Select(Some(event)));
            }
        }
        // A link to the attempt as it stands (a result to hand in), or to the challenge from
        // its start (no faults, step 0).
        "hand-in" | "link" => {
            dispatch.dispatch(Action::Pause);
            let Some(mut run) = shared_run(stage) else {
                return;
            };
            if act == "link" {
                run.faults.clear();
                run.resumes.clear();
                run.step = 0;
                run.moment = Default::default();
            }
            if let Some(link) = url_of(&run) {
                dispatch.dispatch(Action::ShareLink(Some(link)));
            }
        }
        _ => {
            if let Some(index) = act
                .strip_prefix("play:")
                .and_then(|i| i.parse::<usize>().ok())
            {
                if let Some(c) = builtin().into_iter().nth(index) {
                    challenge(ChallengeAction::Start(Rc::new(c)));
                }
            }
        }
    }
}

/// One delegated click handler for a view's buttons.
fn on_act(stage: &StageHandle, dispatch: &UseReducerDispatcher<AppState>) -> Callback<MouseEvent> {
    let (stage, dispatch) = (stage.clone(), dispatch.clone());
    Callback::from(move |event: MouseEvent| {
        if let Some(what) = acted_on(&event, "[data-act]").and_then(|b| b.get_attribute("data-act"))
        {
            act(&what, &stage, &dispatch);
        }
    })
}

fn button(act: &'static str, label: &str) -> Html {
    html! { <button type="button" class="button small" data-act={act}>{ label }</button> }
}

/// The challenge being played, as a strip above the workspace.
pub fn challenge_panel(
    play: &Play,
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let challenge = &play.challenge;
    let standing = standing(stage, challenge);
    let par = match &play.par {
        Par::Done(result, _) => result.faults,
        _ => None,
    };
    let won = standing
        .as_ref()
        .filter(|s| s.fair && s.won.is_some())
        .map(|s| s.ledger.count());
    let watching = play.watching_par.is_some();
    let over = play.gave_up || standing.as_ref().is_some_and(|s| s.finished) || won.is_some();
    let used = standing.as_ref().map_or(0, |s| s.ledger.count());
    let time = match (challenge.fault_time_us, &standing) {
        (Some(budget), Some(s)) => format!(
            " · fault time {} of {}",
            duration(s.ledger.fault_time_us),
            duration(budget)
        ),
        _ => String::new(),
    };
    let kinds: Vec<&str> = challenge.kinds.iter().map(|k| k.label()).collect();
    let budget_line = format!(
        "Faults left: {} of {}{time} · {}",
        challenge.faults.saturating_sub(used),
        challenge.faults,
        kinds.join(", ")
    );
    let status = if watching {
        format!(
            "This is the machine's attack: {}. Step through it, then go back to yours.",
            count(par.unwrap_or(0), "fault")
        )
    } else if let Some(faults) = won {
        format!("Won. {}", challenge.score(faults, par))
    } else if standing.as_ref().is_some_and(|s| !s.fair) {
        "This run goes beyond the challenge's budget, so it does not count. Try again.".to_string()
    } else if play.gave_up {
        "You gave up.".to_string()
    } else if over {
        "Time is up: the run reached the challenge's limit without it.".to_string()
    } else {
        format!(
            "Playing: {} of {} gone.",
            crate::detect::seconds(standing.as_ref().map_or(0, |s| s.now)),
            duration(challenge.limit_us)
        )
    };
    let can_watch = matches!(&play.par, Par::Done(r, _) if r.staged.is_some()) && over;
    html! {
        <section class={classes!("challenge", won.is_some().then_some("challenge-won"))}
            aria-label="Challenge" onclick={on_act(stage, dispatch)}
            data-par-ms={match &play.par { Par::Done(_, ms) => Some(format!("{ms:.1}")), _ => None }}>
            <div class="challenge-head">
                <h2>{ "Challenge: " }{ &challenge.title }</h2>
                { button("leave", "Leave the challenge") }
            </div>
            <p>{ challenge.statement() }</p>
            <p class="challenge-budget"><strong>{ budget_line }</strong>{ " · within " }{ duration(challenge.limit_us) }</p>
            if !challenge.hint.is_empty() {
                <details><summary>{ "Hint" }</summary><p>{ &challenge.hint }</p></details>
            }
            <p class="challenge-status" role="status">
                if won.is_some() && !watching { <span aria-hidden="true">{ "★ " }</span> }
                { status }
            </p>
            if won.is_some() && !watching && !challenge.teaches.is_empty() {
                <p>{ &challenge.teaches }</p>
            }
            if let Some(text) = par_words(play, over, challenge) {
                <p class="challenge-par">{ text }</p>
            }
            <div class="challenge-actions">
                if won.is_some() && !watching {
                    { button("show", "Show where it broke") }
                    { button("hand-in", "Link to hand in") }
                }
                if watching {
                    { button("back", "Back to my attempt") }
                } else if can_watch {
                    { button("watch", "Replay the machine's attack") }
                }
                if !over { { button("give-up", "Give up") } }
                { button("again", "Start again") }
                { button("link", "Link to this challenge") }
            </div>
        </section>
    }
}

/// What the machine found, once the person is done (the par is not a spoiler before).
fn par_words(play: &Play, over: bool, challenge: &Challenge) -> Option<String> {
    Some(match &play.par {
        Par::Waiting => return None,
        Par::Running { tried, .. } if over => format!(
            "The machine is still trying: {} of {} schedules…",
            thousands(*tried),
            thousands(crate::challenge::PAR_SCHEDULES)
        ),
        Par::Running { .. } => "The machine is trying too, in the background.".to_string(),
        Par::Failed(message) => format!("The machine could not try: {message}."),
        Par::Done(..) if !over => {
            "The machine has finished: its score shows when you are done.".to_string()
        }
        Par::Done(result, _) => match (result.mode, result.faults) {
            (Mode::Prove, None) => format!(
                "The machine's proof: {} schedules within your budget, {} broke it; {} broke the naive version.",
                thousands(result.tally.tried),
                thousands(result.tally.unsafe_runs),
                thousands(result.naive.as_ref().map_or(0, |t| t.unsafe_runs))
            ),
            (_, Some(faults)) if challenge.fix && !challenge.assumption.is_empty() => format!(
                "The machine broke the fix with {}: {}",
                count(faults, "fault"),
                challenge.assumption
            ),
            (_, Some(faults)) => format!("The machine needed {}.", count(faults, "fault")),
            (_, None) => format!(
                "The machine found no way within the budget in {} schedules.",
                thousands(result.tally.tried)
            ),
        },
    })
}

/// The challenge menu: the built-in challenges (this scenario's first), and "Make a challenge"
/// over `scenario`, the one on stage.
pub fn challenge_menu(
    scenario: Option<&Scenario>,
    draft: Option<&Challenge>,
    stage: &StageHandle,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let here = scenario.map(|s| s.id.as_str()).unwrap_or_default();
    let presets = super::state::presets();
    let mut all: Vec<(usize, Challenge)> = builtin().into_iter().enumerate().collect();
    crate::sim::sort::sort_by_key(&mut all, |(_, c)| c.scenario != here);
    let items = all.into_iter().map(|(index, c)| {
        let on = presets
            .iter()
            .find(|s| s.id == c.scenario)
            .map(|s| s.title.as_str())
            .unwrap_or_default();
        html! {
            <li>
                <button type="button" class="button small" data-act={format!("play:{index}")}
                    aria-label={format!("Play “{}”", c.title)}>{ "Play" }</button>
                { " " }<strong>{ &c.title }</strong>{ " — " }{ on }
                <span class="muted">{ " · " }{ c.budget_words() }</span>
            </li>
        }
    });
    let form = match (draft, scenario) {
        (Some(draft), Some(scenario)) => maker(draft, scenario, dispatch),
        _ => html! {
            <button type="button" class="button" data-act="make" disabled={scenario.is_none()}>
                { "Make a challenge on this run's scenario…" }</button>
        },
    };
    html! {
        <div class="help-backdrop">
            <section class="help challenge-menu" role="dialog" aria-modal="true"
                aria-label="Challenges" onclick={on_act(stage, dispatch)}>
                <div class="challenge-head">
                    <h2>{ "Challenges" }</h2>
                    <button type="button" class="button small" data-act="close" aria-label="Close">{ "×" }</button>
                </div>
                <p class="muted">{ "Break the cluster within a budget: the detectors judge, and the machine's own smallest attack is the par." }</p>
                <ul class="challenge-list">{ for items }</ul>
                { form }
            </section>
        </div>
    }
}

/// The "Make a challenge" form: every field of a challenge, checked as a link's would be before
/// it plays. One delegated handler reads the changed field by its `name`.
fn maker(
    draft: &Challenge,
    scenario: &Scenario,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let onchange = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(t).ok())
            else {
                // A select: its value is the goal's place.
                if let Some(select) = event.target().and_then(|t| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()
                }) {
                    dispatch.dispatch(Action::Challenge(ChallengeAction::Edit {
                        field: select.name(),
                        value: select.value(),
                        checked: false,
                    }));
                }
                return;
            };
            dispatch.dispatch(Action::Challenge(ChallengeAction::Edit {
                field: input.name(),
                value: input.value(),
                checked: input.checked(),
            }));
        })
    };
    let field = |label: &str, name: &'static str, value: String| {
        html! {
            <label class="challenge-field">
                <span class="control-label">{ label }</span>
                <input type="text" {name} {value} />
            </label>
        }
    };
    let seconds = |us: crate::sim::Micros| super::cluster_form::trim_number(us as f64 / 1e6);
    let checked = draft.validate(Some(scenario));
    html! {
        <fieldset class="challenge-maker" {onchange}>
            <legend>{ "Make a challenge on “" }{ &scenario.title }{ "”" }</legend>
            { field("Title", "title", draft.title.clone()) }
            <label class="challenge-field">
                <span class="control-label">{ "To win, make this happen" }</span>
                <select name="goal">
                    { for Challenge::goals(scenario).iter().enumerate().map(|(i, g)| html! {
                        <option value={i.to_string()} selected={*g == draft.goal}>{ g.happens() }</option>
                    }) }
                </select>
            </label>
            <label><input type="checkbox" name="fix" checked={draft.fix} />{ " With the fix on (break the fix)" }</label>
            <fieldset class="hunt-kinds"><legend>{ "Faults allowed" }</legend>
                { for CHALLENGE_KINDS.iter().enumerate().map(|(i, kind)| html! {
                    <label class="hunt-kind">
                        <input type="checkbox" name="kind" value={i.to_string()}
                            checked={draft.kinds.contains(kind)} />
                        { kind.label() }
                    </label>
                }) }
            </fieldset>
            { field("Faults, at most", "faults", draft.faults.to_string()) }
            { field("Time limit (s)", "limit", seconds(draft.limit_us)) }
            { field("Fault time in all, at most (s; empty: no limit)", "fault_time",
                draft.fault_time_us.map(seconds).unwrap_or_default()) }
            { field("Hint", "hint", draft.hint.clone()) }
            { field("What winning teaches", "teaches", draft.teaches.clone()) }
            <p class="seed-error" role="alert">{ checked.as_ref().err().map(|e| e.to_string()).unwrap_or_default() }</p>
            <button type="button" class="button" data-act="play-draft" disabled={checked.is_err()}>{ "Play it" }</button>
            <p class="muted">{ "Once it plays, “Link to this challenge” gives the link (and an embed) to send." }</p>
        </fieldset>
    }
}
