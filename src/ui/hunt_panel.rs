//! The hunt panel: what the hunt may do, Start and Cancel, its progress, and what it found —
//! the failure (put on stage as an ordinary run) or, with the fix on, the tally of both variants
//! as a small chart. The hunt runs in a Web Worker (`hunt_worker.rs`).

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::hunt_worker::{FromHunter, HuntClient, Job};
use super::state::{
    hunt_field, hunt_settings_problem, Action, AppState, HuntAction, HuntState, HuntStatus,
};
use crate::hunt::{thousands, Mode, Phase, Settings, Tally, FAULT_KINDS};
use crate::scenarios::Scenario;

#[derive(Properties, PartialEq)]
pub struct HuntPanelProps {
    pub hunt: HuntState,
    /// The scenario to hunt on (the one on stage before any hunt made a subject of it), with
    /// its fix and seed as set.
    pub target: Option<Rc<Scenario>>,
    pub client: HuntClient,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// What the worker says, as the reducer hears it.
pub fn heard(message: FromHunter) -> Action {
    Action::Hunt(match message {
        FromHunter::Progress {
            id,
            progress,
            elapsed_ms,
        } => HuntAction::Progress {
            id,
            progress,
            elapsed_ms,
        },
        FromHunter::Done {
            id,
            result,
            elapsed_ms,
            shrink_ms,
        } => HuntAction::Finished {
            id,
            result: Rc::new(*result),
            timing: (elapsed_ms, shrink_ms),
        },
        FromHunter::Failed { id, message } => HuntAction::Failed { id, message },
    })
}

/// Sends `message` to the worker, whose answers go to the reducer (one callback for every
/// hunt: the hunt panel's and a challenge's par).
pub fn send(
    client: &HuntClient,
    message: super::hunt_worker::ToHunter,
    dispatch: &UseReducerDispatcher<AppState>,
) -> Result<(), String> {
    let dispatch = dispatch.clone();
    client.send(message, move |answer| dispatch.dispatch(heard(answer)))
}

#[function_component(HuntPanel)]
pub fn hunt_panel(props: &HuntPanelProps) -> Html {
    let hunt = &props.hunt;
    let settings = &hunt.settings;
    // What was typed in the number fields, kept as typed while it is not a valid number.
    let typed = use_state(|| None::<(String, String)>);
    let error = use_state(|| None::<String>);
    let dispatch = props.dispatch.clone();
    let set = {
        let dispatch = dispatch.clone();
        move |settings: Settings| dispatch.dispatch(Action::Hunt(HuntAction::Settings(settings)))
    };
    let kinds = FAULT_KINDS.iter().map(|&kind| {
        let onchange = {
            let (settings, set) = (settings.clone(), set.clone());
            Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                set(settings.with_kind(kind, input.checked()));
            })
        };
        html! {
            <label class="hunt-kind">
                <input type="checkbox" checked={settings.allows(kind)} {onchange} />
                { kind.label() }
            </label>
        }
    });
    let field = |name: &'static str, label: &'static str, value: String| {
        let oninput = {
            let (settings, set) = (settings.clone(), set.clone());
            let (typed, error) = (typed.clone(), error.clone());
            Callback::from(move |event: InputEvent| {
                let input: HtmlInputElement = event.target_unchecked_into();
                let text = input.value();
                let parsed = hunt_field(name, &text, &settings);
                match parsed {
                    Ok(settings) => {
                        typed.set(None);
                        error.set(None);
                        set(settings);
                    }
                    Err(problem) => {
                        typed.set(Some((name.to_string(), text)));
                        error.set(Some(problem));
                    }
                }
            })
        };
        let shown = match &*typed {
            Some((which, text)) if which == name => text.clone(),
            _ => value,
        };
        html! {
            <label class={classes!("hunt-field", format!("hunt-{name}"))}>
                <span class="control-label">{ label }</span>
                <input type="text" inputmode="numeric" spellcheck="false" value={shown} {oninput}
                    aria-invalid={typed.as_ref().is_some_and(|(w, _)| w == name).to_string()} />
            </label>
        }
    };
    let fix_on = props.target.as_ref().is_some_and(|s| s.fix_enabled);
    let running = hunt.running();
    let valid = settings.validate();
    let start = {
        let (client, dispatch, target) =
            (props.client.clone(), dispatch.clone(), props.target.clone());
        let (settings, id) = (settings.clone(), hunt.last_id + 1);
        Callback::from(move |_: MouseEvent| {
            let Some(target) = target.as_deref() else {
                return;
            };
            dispatch.dispatch(Action::Hunt(HuntAction::Start(id)));
            let sent = send(
                &client,
                Job::message(id, target, settings.clone(), None),
                &dispatch,
            );
            if let Err(message) = sent {
                dispatch.dispatch(Action::Hunt(HuntAction::Failed { id, message }));
            }
        })
    };
    let cancel = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Hunt(HuntAction::Cancel)))
    };
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Hunt(HuntAction::Open(false)))
        })
    };
    let show = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Hunt(HuntAction::Show)))
    };
    let schedules = thousands(settings.schedules);
    let start_label = if fix_on {
        format!("Prove the fix ({schedules} schedules)")
    } else {
        "Find a failure".to_string()
    };
    let explain = if fix_on {
        format!(
            "Tries {schedules} random fault schedules against the fix, and the same ones \
             without it, and counts what breaks and what it costs."
        )
    } else {
        format!(
            "Tries up to {schedules} random fault schedules until a safety property breaks, \
             then shrinks the failure to the faults that matter and plays it here."
        )
    };
    html! {
        <section class="hunt" aria-label="Hunt for failures">
            <div class="hunt-head">
                <h3>{ "Hunt for failures" }</h3>
                <button type="button" class="button small hunt-close" onclick={close}
                    aria-label="Close the hunt" title="Close the hunt">{ "×" }</button>
            </div>
            <p class="muted">{ explain }{ " The scenario keeps its requests; its own faults are \
                taken out and its clocks set right, so every fault is one the hunt chose." }</p>
            <details class="hunt-kinds-box">
                <summary>{ kinds_summary(settings) }</summary>
                <fieldset class="hunt-kinds" disabled={running.is_some()}>
                    <legend class="visually-hidden">{ "Faults it may use" }</legend>
                    { for kinds }
                </fieldset>
            </details>
            <div class="hunt-fields">
                { field("faults", "Faults per schedule, at most", settings.max_faults.to_string()) }
                { field("schedules", "Schedules", settings.schedules.to_string()) }
                { field("seed", "Seed", settings.seed.to_string()) }
            </div>
            <p class="seed-error hunt-error" role="alert">
                { (*error).clone().or_else(|| valid.as_ref().err().map(hunt_settings_problem)).unwrap_or_default() }
            </p>
            <div class="hunt-actions">
                if running.is_some() {
                    <button type="button" class="button hunt-cancel" onclick={cancel}>{ "Cancel" }</button>
                } else {
                    <button type="button" class="button hunt-start" onclick={start}
                        disabled={valid.is_err() || error.is_some() || props.target.is_none()}>
                        { start_label }
                    </button>
                }
            </div>
            { status(hunt, fix_on, show) }
        </section>
    }
}

/// The kinds allowed, in a few words: "Faults it may use: all 9 kinds".
fn kinds_summary(settings: &Settings) -> String {
    let allowed = settings.kinds.len();
    match allowed {
        n if n == FAULT_KINDS.len() => format!("Faults it may use: all {n} kinds"),
        0 => "Faults it may use: none chosen".to_string(),
        1 | 2 => {
            let names: Vec<&str> = settings.kinds.iter().map(|k| k.label()).collect();
            format!("Faults it may use: {}", names.join(" and "))
        }
        n => format!("Faults it may use: {n} of {} kinds", FAULT_KINDS.len()),
    }
}

/// The progress bar while running; what was found once done.
fn status(hunt: &HuntState, fix_on: bool, show: Callback<MouseEvent>) -> Html {
    match &hunt.status {
        HuntStatus::Idle => html! {},
        HuntStatus::Running {
            progress,
            elapsed_ms,
            ..
        } => {
            let (tried, total) = progress
                .as_ref()
                .map_or((0, hunt.settings.schedules), |p| (p.tried, p.total));
            let mut text = format!(
                "Tried {} of {} schedules · {:.1} s",
                thousands(tried),
                thousands(total),
                elapsed_ms / 1_000.0
            );
            if let Some(progress) = progress {
                if let Some(kind) = progress.found {
                    text.push_str(&format!(" · found {}", kind.label()));
                }
                if progress.phase == Phase::Shrinking {
                    text.push_str(&format!(
                        ", shrinking it ({} tries)",
                        thousands(progress.shrink_tries)
                    ));
                }
            }
            if fix_on {
                text.push_str(" · each schedule runs with the fix and without");
            }
            html! {
                <div class="hunt-status">
                    <progress class="hunt-progress" max={total.max(1).to_string()}
                        value={tried.to_string()} aria-label="Schedules tried" />
                    <p class="hunt-progress-text" role="status">{ text }</p>
                </div>
            }
        }
        HuntStatus::Cancelled { tried } => html! {
            <p class="hunt-summary" role="status">
                { format!("Cancelled after {} schedules.", thousands(*tried)) }
            </p>
        },
        HuntStatus::Failed(message) => html! {
            <p class="error" role="alert">{ format!("The hunt could not run: {message}.") }</p>
        },
        HuntStatus::Done {
            result,
            timing: (elapsed_ms, shrink_ms),
            staged,
            shown,
        } => html! {
            <div class="hunt-status">
                // The timings, for `make bench`.
                <p class="hunt-summary" role="status" data-elapsed-ms={format!("{elapsed_ms:.1}")}
                    data-shrink-ms={format!("{shrink_ms:.1}")}
                    data-seed={result.settings.seed.to_string()}>{ result.summary.clone() }</p>
                if let Some(property) = &result.broke {
                    <p class="muted">{ format!("It broke: {property}.") }</p>
                }
                if staged.is_some() {
                    <button type="button" class="button small hunt-show" onclick={show}>
                        { if *shown { "Show it on stage again" } else { "Show it on stage" } }
                    </button>
                }
                if result.mode == Mode::Prove {
                    { tally_chart(&result.tally, result.naive.as_ref()) }
                }
            </div>
        },
    }
}

/// Two stacked bars, the fix on and off: runs that broke safety, that left a request waiting or
/// refused, and that were fine. Each bar's words say the same for screen readers and print.
fn tally_chart(fixed: &Tally, naive: Option<&Tally>) -> Html {
    let bar = |label: &'static str, tally: &Tally| {
        let total = f64::from(tally.tried.max(1));
        let width = |n: u32| format!("width: {:.2}%", f64::from(n) * 100.0 / total);
        let words = format!(
            "{label}: {} unsafe, {} unanswered or refused, {} fine (of {})",
            thousands(tally.unsafe_runs),
            thousands(tally.costly_runs),
            thousands(tally.clean_runs()),
            thousands(tally.tried)
        );
        html! {
            <li class="tally-row">
                <span class="tally-label">{ label }</span>
                <span class="tally-bar" aria-hidden="true">
                    <span class="tally-unsafe" style={width(tally.unsafe_runs)}></span>
                    <span class="tally-costly" style={width(tally.costly_runs)}></span>
                    <span class="tally-fine" style={width(tally.clean_runs())}></span>
                </span>
                <span class="tally-words">{ words }</span>
            </li>
        }
    };
    html! {
        <figure class="hunt-tally">
            <figcaption>{ "What the schedules did" }</figcaption>
            <ul class="tally-rows">
                { bar("Fix on", fixed) }
                if let Some(naive) = naive {
                    { bar("Fix off", naive) }
                }
            </ul>
            <p class="tally-legend" aria-hidden="true">
                <span class="tally-key tally-unsafe"></span>{ "unsafe " }
                <span class="tally-key tally-costly"></span>{ "unanswered or refused " }
                <span class="tally-key tally-fine"></span>{ "fine" }
            </p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_read_or_refused_by_name_in_a_sentence() {
        let settings = Settings::default();
        let read = |field: &str, text: &str| hunt_field(field, text, &settings);
        assert_eq!(read("schedules", " 1,000 ").map(|s| s.schedules), Ok(1_000));
        assert_eq!(
            read("schedules", "100_000").map(|s| s.schedules),
            Ok(100_000)
        );
        assert_eq!(read("faults", "3").map(|s| s.max_faults), Ok(3));
        assert_eq!(read("seed", "42").map(|s| s.seed), Ok(42));
        assert_eq!(
            read("schedules", "0"),
            Err("Schedules: enter a whole number from 1 to 100,000.".to_string())
        );
        assert_eq!(
            read("faults", "many"),
            Err("Faults per schedule: enter a whole number from 1 to 20.".to_string())
        );
        assert_eq!(
            read("seed", "x"),
            Err("A seed is a whole number of digits only, such as 42.".to_string())
        );
        let none = Settings {
            kinds: Vec::new(),
            ..Settings::default()
        };
        assert_eq!(
            hunt_settings_problem(&none.validate().unwrap_err()),
            "Kinds of fault: choose at least one."
        );
    }
}
