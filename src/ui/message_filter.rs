//! The timeline's message filter: each kind of message the model sends (heartbeats, votes,
//! writes) can be shown, drawn faintly or hidden, and the diagram can keep only the selected
//! event's causal chain. A scenario may quiet some kinds at first (`View::quiet`).

use yew::prelude::*;

use super::roving::use_roving;
use super::stage::{Stage, StageHandle};
use super::state::{Action, AppState, MessageLook};
use crate::render::canvas::LABEL_PX;
use crate::render::timeline::Filter;

/// How one kind of message is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Shown,
    Faint,
    Hidden,
}

impl Look {
    fn of(look: (u64, u64), kind: usize) -> Look {
        let bit = Filter::bit(kind);
        if look.0 & bit != 0 {
            Look::Hidden
        } else if look.1 & bit != 0 {
            Look::Faint
        } else {
            Look::Shown
        }
    }

    /// The next look a press gives: shown, faint, hidden, shown again.
    fn next(self) -> Look {
        match self {
            Look::Shown => Look::Faint,
            Look::Faint => Look::Hidden,
            Look::Hidden => Look::Shown,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Look::Shown => "shown",
            Look::Faint => "faint",
            Look::Hidden => "hidden",
        }
    }
}

/// The (hidden, faint) bits in force for the stage's scenario: the person's choice for it,
/// or the scenario's quiet kinds.
pub fn look_bits(look: Option<&MessageLook>, stage: &Stage) -> (u64, u64) {
    match look {
        Some(look) if look.scenario == stage.scenario.id => (look.hidden, look.faint),
        _ => (0, stage.scenario.view.quiet_bits(stage.run.message_kinds())),
    }
}

/// What the timeline draws on `stage`: the message filter's choices, the causal chain if
/// asked for, labels at the projector's scale.
pub fn filter_of(
    look: Option<&MessageLook>,
    causal_only: bool,
    stage: &Stage,
    text_scale: f64,
) -> Filter {
    let (hidden, faint) = look_bits(look, stage);
    Filter {
        hidden,
        faint,
        causal_only,
        label_px: LABEL_PX * text_scale,
    }
}

#[derive(Properties, PartialEq)]
pub struct MessageFilterProps {
    pub stage: StageHandle,
    pub look: Option<MessageLook>,
    pub causal_only: bool,
    pub has_selection: bool,
    /// Changes when a new run is on stage, so the kinds are read again.
    pub stage_revision: u64,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[function_component(MessageFilter)]
pub fn message_filter(props: &MessageFilterProps) -> Html {
    // The chips and the causal-chain box are one stop for the Tab key; arrows move among them.
    let group = use_node_ref();
    let roving = use_roving(group.clone(), "button, input");
    let Some((scenario, kinds, bits, offered)) = props.stage.with(|stage| {
        let bits = look_bits(props.look.as_ref(), stage);
        (
            stage.scenario.id.clone(),
            stage.run.message_kinds(),
            bits,
            // Kinds the story never sends are left out, unless already dimmed or hidden.
            stage.kinds_in_story | stage.run.kinds_sent() | bits.0 | bits.1,
        )
    }) else {
        return html! {};
    };
    let offered: Vec<(usize, &str)> = kinds
        .iter()
        .enumerate()
        .filter(|&(index, _)| offered & Filter::bit(index) != 0)
        .map(|(index, kind)| (index, *kind))
        .collect();
    let chips = offered.iter().map(|&(index, kind)| {
        let look = Look::of(bits, index);
        let next = look.next();
        let onclick = {
            let (dispatch, scenario) = (props.dispatch.clone(), scenario.clone());
            Callback::from(move |_: MouseEvent| {
                let bit = Filter::bit(index);
                let (mut hidden, mut faint) = (bits.0 & !bit, bits.1 & !bit);
                match next {
                    Look::Shown => {}
                    Look::Faint => faint |= bit,
                    Look::Hidden => hidden |= bit,
                }
                dispatch.dispatch(Action::SetLook(MessageLook {
                    scenario: scenario.clone(),
                    hidden,
                    faint,
                }));
            })
        };
        html! {
            <li>
                <button type="button" class={classes!("kind-chip", look.words())} {onclick}
                    aria-label={format!("{kind} · {}: {kind} messages, press to make them {}", look.words(), next.words())}
                    title={format!("{kind}: {} (press: {})", look.words(), next.words())}>
                    { kind }
                    if look != Look::Shown {
                        <span class="kind-look">{ format!(" · {}", look.words()) }</span>
                    }
                </button>
            </li>
        }
    });
    let on_causal = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            dispatch.dispatch(Action::CausalOnly(input.checked()));
        })
    };
    html! {
        <div class="message-filter" role="group" aria-label="Which messages the timeline shows"
            ref={group} onkeydown={roving.onkeydown} onfocusin={roving.onfocusin}>
            if !offered.is_empty() {
                <span class="control-label">{ "Messages" }</span>
                <ul class="kind-chips">{ for chips }</ul>
            }
            <label class="control causal-only" title={if props.has_selection {
                "Show only what the selected event could have known of, and what it could affect"
            } else {
                "Select an event first: this keeps only its causal past and future"
            }}>
                <input type="checkbox" checked={props.causal_only} onchange={on_causal} />
                { " Causal chain only" }
            </label>
        </div>
    }
}
