//! The challenge being played (see [`crate::challenge`]): what to do, the budget left, the
//! verdict, and the machine's par beside it; and the challenge menu, which lists the built-in
//! challenges and lets a teacher make one over the run on stage.
//!
//! The par's hunt runs in the worker (`hunt_worker.rs`), asked for once the challenge's run is
//! on stage; its answers reach the reducer through the hunt's channel (`AppState::hunt_action`
//! routes them by id).

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::hunt_panel::heard;
use super::hunt_worker::{HuntClient, Job};
use super::share_dialog::{share_url, shared_run};
use super::stage::StageHandle;
use super::state::{Action, AppState, ChallengeAction, Par, Play};
use crate::challenge::{budget, builtin, count, Challenge, Ledger, Spend};
use crate::hunt::{thousands, FaultKind, Mode, FAULT_KINDS};
use crate::scenarios::Scenario;
use crate::sim::words::duration;

#[derive(Properties, PartialEq)]
pub struct ChallengePanelProps {
    pub play: Play,
    pub stage: StageHandle,
    /// What the panel reads of the stage changes with these (revision, step, finished).
    pub revision: (u64, u64, bool),
    /// The newest hunt id used: the par's hunt takes the next.
    pub last_id: u32,
    pub client: HuntClient,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// What the stage says of the challenge: faults spent, and the win if there is one.
struct Standing {
    ledger: Ledger,
    /// The finding that won, its time and first event.
    won: Option<(crate::sim::Micros, Option<crate::sim::EventId>)>,
    /// Faults beyond the rules (a link can carry them): not a fair win.
    fair: bool,
    finished: bool,
    now: crate::sim::Micros,
}

fn standing(stage: &StageHandle, challenge: &Challenge) -> Option<Standing> {
    let stage = stage.read()?;
    stage.challenge.as_ref()?;
    let run = &stage.run;
    let cluster = budget::Cluster::of(&stage.scenario);
    let log = run.fault_log();
    let ledger = Ledger::of(&log, run.now(), &cluster);
    let fair = ledger.count() <= challenge.faults
        && ledger.faults.iter().all(|f| match f.spend {
            Spend::Fault(kind) => challenge.kinds.contains(&kind),
            _ => false,
        })
        && challenge
            .fault_time_us
            .is_none_or(|budget| ledger.fault_time_us <= budget);
    let findings = run.findings();
    let won = challenge
        .won(&findings)
        .map(|f| (f.time, f.events.first().copied()));
    Some(Standing {
        ledger,
        won,
        fair,
        finished: run.finished(),
        now: run.now(),
    })
}

#[function_component(ChallengePanel)]
pub fn challenge_panel(props: &ChallengePanelProps) -> Html {
    let play = &props.play;
    let challenge = &play.challenge;
    let dispatch = props.dispatch.clone();
    // Ask the worker for the par once the challenge's run is on stage.
    {
        let (stage, client, dispatch) = (
            props.stage.clone(),
            props.client.clone(),
            props.dispatch.clone(),
        );
        let (waiting, challenge, id) = (
            play.par == Par::Waiting,
            Rc::clone(challenge),
            props.last_id + 1,
        );
        use_effect_with((waiting, props.revision.0), move |_| {
            let arena = stage
                .read()
                .filter(|s| s.challenge.is_some())
                .map(|s| s.scenario.clone());
            if let (true, Some(arena)) = (waiting, arena) {
                dispatch.dispatch(Action::Challenge(ChallengeAction::ParStarted(id)));
                let settings = challenge.settings(1);
                let hears = dispatch.clone();
                let message = Job::message(id, &arena, settings, Some(challenge.goal));
                if let Err(message) = client.send(message, move |m| hears.dispatch(heard(m))) {
                    dispatch.dispatch(Action::Challenge(ChallengeAction::ParFailed {
                        id,
                        message,
                    }));
                }
            }
        });
    }
    let act = |action: ChallengeAction| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Challenge(action.clone())))
    };
    let standing = standing(&props.stage, challenge);
    let used = standing.as_ref().map_or(0, |s| s.ledger.count());
    let left = challenge.faults.saturating_sub(used);
    let par = match &play.par {
        Par::Done(result) => result.faults,
        _ => None,
    };
    let won = standing
        .as_ref()
        .and_then(|s| s.won.filter(|_| s.fair).map(|w| (w, s.ledger.count())));
    let watching = play.watching_par.is_some();
    let show_win = {
        let (stage, dispatch) = (props.stage.clone(), dispatch.clone());
        let event = won.and_then(|((_, event), _)| event);
        Callback::from(move |_: MouseEvent| {
            if let Some(event) = event {
                stage.with(|s| s.reveal(event, crate::render::timeline::Axis::TrueTime));
                dispatch.dispatch(Action::Select(Some(event)));
            }
        })
    };
    let hand_in = {
        let (stage, dispatch) = (props.stage.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Pause);
            if let Some(link) = share_url(&stage) {
                dispatch.dispatch(Action::ShareLink(Some(link)));
            }
        })
    };
    let link = {
        let (stage, dispatch) = (props.stage.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Pause);
            let Some(mut run) = shared_run(&stage) else {
                return;
            };
            // The challenge from its start: no faults, step 0.
            run.faults.clear();
            run.resumes.clear();
            run.step = 0;
            run.moment = Default::default();
            if let Some(link) = super::share_dialog::url_of(&run) {
                dispatch.dispatch(Action::ShareLink(Some(link)));
            }
        })
    };
    let watch_par = {
        let (stage, dispatch) = (props.stage.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(attempt) = shared_run(&stage) {
                dispatch.dispatch(Action::Challenge(ChallengeAction::WatchPar(Rc::new(
                    attempt,
                ))));
            }
        })
    };
    let budget_line = {
        let time = match (challenge.fault_time_us, &standing) {
            (Some(budget), Some(s)) => format!(
                " · fault time {} of {}",
                duration(s.ledger.fault_time_us),
                duration(budget)
            ),
            _ => String::new(),
        };
        format!(
            "Faults left: {left} of {}{time} · {}",
            challenge.faults,
            kinds_words(&challenge.kinds)
        )
    };
    let verdict: Html = if watching {
        html! { <p class="challenge-status" role="status">{ format!(
        "This is the machine's attack: {}. Step through it, then go back to yours.",
        count(par.unwrap_or(0), "fault")) }</p> }
    } else if let Some((_, faults)) = won {
        html! {
            <div class="challenge-won" role="status">
                <p class="challenge-status"><span aria-hidden="true">{ "★ " }</span>
                    <strong>{ "Won. " }</strong>{ challenge.score(faults, par) }</p>
                if !challenge.teaches.is_empty() {
                    <p>{ &challenge.teaches }</p>
                }
            </div>
        }
    } else if standing.as_ref().is_some_and(|s| !s.fair) {
        html! { <p class="challenge-status" role="status">{
            "This run goes beyond the challenge's budget, so it does not count. Try again."
        }</p> }
    } else if play.gave_up || standing.as_ref().is_some_and(|s| s.finished) {
        let why = if play.gave_up {
            "You gave up."
        } else {
            "Time is up: the run reached the challenge's limit without it."
        };
        html! { <p class="challenge-status" role="status">{ why }</p> }
    } else {
        let at = standing.as_ref().map_or(0, |s| s.now);
        html! { <p class="challenge-status" role="status">{ format!(
        "Playing: {} of {} gone.", duration(at), duration(challenge.limit_us)) }</p> }
    };
    let over = play.gave_up || standing.as_ref().is_some_and(|s| s.finished) || won.is_some();
    html! {
        <section class="challenge" aria-label="Challenge">
            <div class="challenge-head">
                <h2>{ "Challenge: " }{ &challenge.title }</h2>
                <button type="button" class="button small" onclick={act(ChallengeAction::Leave)}>
                    { "Leave the challenge" }</button>
            </div>
            <p>{ challenge.statement() }</p>
            <p class="challenge-budget"><strong>{ budget_line }</strong>{ format!(
                " · within {}", duration(challenge.limit_us)) }</p>
            if !challenge.hint.is_empty() {
                <details class="challenge-hint"><summary>{ "Hint" }</summary><p>{ &challenge.hint }</p></details>
            }
            { verdict }
            { par_words(play, over, challenge) }
            <div class="challenge-actions">
                if won.is_some() && !watching {
                    <button type="button" class="button small" onclick={show_win}>{ "Show where it broke" }</button>
                    <button type="button" class="button small challenge-hand-in" onclick={hand_in}>
                        { "Link to hand in" }</button>
                }
                if watching {
                    <button type="button" class="button small" onclick={act(ChallengeAction::BackToAttempt)}>
                        { "Back to my attempt" }</button>
                } else if matches!(&play.par, Par::Done(r) if r.staged.is_some()) && (over || won.is_some()) {
                    <button type="button" class="button small challenge-watch" onclick={watch_par}>
                        { "Replay the machine's attack" }</button>
                }
                if !over {
                    <button type="button" class="button small challenge-give-up" onclick={act(ChallengeAction::GiveUp)}>
                        { "Give up" }</button>
                }
                <button type="button" class="button small" onclick={act(ChallengeAction::Again)}>{ "Start again" }</button>
                <button type="button" class="button small challenge-link" onclick={link}>{ "Link to this challenge" }</button>
            </div>
        </section>
    }
}

/// The kinds allowed, in words: "partitions or one-way cuts".
fn kinds_words(kinds: &[FaultKind]) -> String {
    let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => format!("{one} only"),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// What the machine found, once the person is done (the par is not a spoiler before).
fn par_words(play: &Play, over: bool, challenge: &Challenge) -> Html {
    let text = match &play.par {
        Par::Waiting => return Html::default(),
        Par::Running { tried, .. } if over => format!(
            "The machine is still trying: {} of {} schedules…",
            thousands(*tried),
            thousands(crate::challenge::PAR_SCHEDULES)
        ),
        Par::Running { .. } => "The machine is trying too, in the background.".to_string(),
        Par::Failed(message) => format!("The machine could not try: {message}."),
        Par::Done(_) if !over => {
            "The machine has finished: its score shows when you are done.".to_string()
        }
        Par::Done(result) => match (result.mode, result.faults) {
            (Mode::Prove, None) => {
                let naive = result.naive.as_ref().map_or(0, |t| t.unsafe_runs);
                format!(
                    "The machine's proof: {} schedules within your budget, {} broke it; {} broke the naive version.",
                    thousands(result.tally.tried),
                    thousands(result.tally.unsafe_runs),
                    thousands(naive)
                )
            }
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
    };
    html! { <p class="challenge-par">{ text }</p> }
}

#[derive(Properties, PartialEq)]
pub struct ChallengeMenuProps {
    /// The scenario on stage as challenges are made of it (its cluster, before fix and seed).
    pub scenario: Option<Rc<Scenario>>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The challenge menu: the built-in challenges (this scenario's first), and "Make a challenge"
/// over the scenario on stage.
#[function_component(ChallengeMenu)]
pub fn challenge_menu(props: &ChallengeMenuProps) -> Html {
    let dispatch = props.dispatch.clone();
    let draft = use_state(|| None::<Challenge>);
    let error = use_state(String::new);
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Challenge(ChallengeAction::Menu(false)))
        })
    };
    let start = |challenge: Challenge| {
        let dispatch = dispatch.clone();
        let challenge = Rc::new(challenge);
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Challenge(ChallengeAction::Start(Rc::clone(
                &challenge,
            ))))
        })
    };
    let here = props
        .scenario
        .as_ref()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let mut all = builtin();
    crate::sim::sort::sort_by_key(&mut all, |c| c.scenario != here);
    let items = all.into_iter().map(|c| {
        let title = super::state::preset(&c.scenario).map(|s| s.title).unwrap_or_default();
        html! {
            <li class="challenge-item">
                <button type="button" class="button small" onclick={start(c.clone())}>{ "Play" }</button>
                <span><strong>{ &c.title }</strong>{ format!(" — {}", title) }
                    <span class="muted">{ format!(" · {}", c.budget_words()) }</span></span>
            </li>
        }
    });
    let form = match (&*draft, props.scenario.as_deref()) {
        (Some(current), Some(scenario)) => maker(current, scenario, &draft, &error, &dispatch),
        _ => Html::default(),
    };
    let make = {
        let (draft, scenario) = (draft.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(scenario) = scenario.as_deref() {
                draft.set(Some(Challenge::draft(scenario)));
            }
        })
    };
    html! {
        <div class="help-backdrop">
            <section class="help challenge-menu" role="dialog" aria-modal="true" aria-label="Challenges">
                <div class="challenge-head">
                    <h2>{ "Challenges" }</h2>
                    <button type="button" class="button small" onclick={close} aria-label="Close">{ "×" }</button>
                </div>
                <p class="muted">{ "Break the cluster within a budget; the detectors judge, and the machine's own attack is the par." }</p>
                <ul class="challenge-list">{ for items }</ul>
                if draft.is_none() {
                    <button type="button" class="button challenge-make" onclick={make}
                        disabled={props.scenario.is_none()}>{ "Make a challenge on this run's scenario…" }</button>
                }
                { form }
            </section>
        </div>
    }
}

/// The "Make a challenge" form over `scenario`: every field of a challenge, checked as a link's
/// would be before it plays.
fn maker(
    current: &Challenge,
    scenario: &Scenario,
    draft: &UseStateHandle<Option<Challenge>>,
    error: &UseStateHandle<String>,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Html {
    let edit = |change: fn(&mut Challenge, String, bool)| {
        let (draft, current) = (draft.clone(), current.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let mut next = current.clone();
            change(&mut next, input.value(), input.checked());
            draft.set(Some(next));
        })
    };
    let text = |label: &'static str,
                class: &'static str,
                value: String,
                change: fn(&mut Challenge, String, bool)| {
        html! {
            <label class={classes!("challenge-field", class)}>
                <span class="control-label">{ label }</span>
                <input type="text" {value} onchange={edit(change)} />
            </label>
        }
    };
    let goal = {
        let goals = Challenge::goals(scenario);
        let onchange = {
            let (draft, was, goals) = (draft.clone(), current.clone(), goals.clone());
            Callback::from(move |event: Event| {
                let select: HtmlSelectElement = event.target_unchecked_into();
                if let Some(goal) = goals.get(select.selected_index().max(0) as usize) {
                    draft.set(Some(Challenge {
                        goal: *goal,
                        ..was.clone()
                    }));
                }
            })
        };
        html! {
            <label class="challenge-field">
                <span class="control-label">{ "To win, make this happen" }</span>
                <select {onchange}>
                    { for goals.iter().map(|g| html! {
                        <option selected={*g == current.goal}>{ g.happens() }</option>
                    }) }
                </select>
            </label>
        }
    };
    let kinds = FAULT_KINDS
        .iter()
        .chain([FaultKind::PowerCut].iter())
        .map(|&kind| {
            let (draft, was) = (draft.clone(), current.clone());
            let onchange = Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                let mut next = was.clone();
                next.kinds.retain(|k| *k != kind);
                if input.checked() {
                    next.kinds.push(kind);
                    crate::sim::sort::sort(&mut next.kinds);
                }
                draft.set(Some(next));
            });
            html! {
                <label class="hunt-kind">
                    <input type="checkbox" checked={current.kinds.contains(&kind)} {onchange} />
                    { kind.label() }
                </label>
            }
        });
    let seconds = |us: crate::sim::Micros| format!("{}", us as f64 / 1e6);
    let checked = current.validate(Some(scenario));
    let play = {
        let (dispatch, current, error) = (dispatch.clone(), current.clone(), error.clone());
        let scenario = scenario.clone();
        Callback::from(
            move |_: MouseEvent| match current.validate(Some(&scenario)) {
                Ok(()) => dispatch.dispatch(Action::Challenge(ChallengeAction::Start(Rc::new(
                    current.clone(),
                )))),
                Err(problem) => error.set(problem.to_string()),
            },
        )
    };
    html! {
        <fieldset class="challenge-maker">
            <legend>{ format!("Make a challenge on “{}”", scenario.title) }</legend>
            { text("Title", "challenge-title", current.title.clone(), |c, v, _| c.title = v) }
            { goal }
            <label class="challenge-field">
                <input type="checkbox" checked={current.fix} onchange={edit(|c, _, on| c.fix = on)} />
                { " With the fix on (break the fix)" }
            </label>
            <fieldset class="hunt-kinds"><legend>{ "Faults allowed" }</legend>{ for kinds }</fieldset>
            { text("Faults, at most", "challenge-faults", current.faults.to_string(), |c, v, _| {
                c.faults = v.trim().parse().unwrap_or(0);
            }) }
            { text("Time limit (s)", "challenge-limit", seconds(current.limit_us), |c, v, _| {
                c.limit_us = v.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0)
                    .map_or(0, |s| (s * 1e6).round() as crate::sim::Micros);
            }) }
            { text("Fault time in all, at most (s; empty: no limit)", "challenge-fault-time",
                current.fault_time_us.map(seconds).unwrap_or_default(), |c, v, _| {
                c.fault_time_us = v.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0)
                    .map(|s| (s * 1e6).round() as crate::sim::Micros);
            }) }
            { text("Hint", "challenge-hint-field", current.hint.clone(), |c, v, _| c.hint = v) }
            { text("What winning teaches", "challenge-teaches", current.teaches.clone(), |c, v, _| c.teaches = v) }
            <p class="seed-error" role="alert">{ checked.as_ref().err().map(|e| e.to_string()).unwrap_or_else(|| (**error).clone()) }</p>
            <button type="button" class="button challenge-play" onclick={play} disabled={checked.is_err()}>
                { "Play it" }</button>
            <p class="muted">{ "Once it plays, “Link to this challenge” gives the link (and an embed) to send." }</p>
        </fieldset>
    }
}
