//! Work a person would lose: faults applied by hand, a customised cluster, a scenario of their
//! own. Actions that
//! would throw it away wait for a confirmation (see [`super::state::AppState::confirm`]).

use super::state::{parse_seed, preset, Action, AppState, HuntAction};

/// The question to ask before the action: what it would do and what it would lose; `None`
/// when it loses nothing.
pub fn loses_work(state: &AppState, action: &Action) -> Option<String> {
    let faults = state.hand_faults;
    let customised = state.cluster.is_some();
    let own = state.custom.is_some();
    // Replacing the scenario loses its cluster too; restarting it loses only the faults.
    let (replaces, doing) = match action {
        // Choosing a preset replaces one's own scenario even when they share an id.
        Action::SelectScenario(id)
            if *id != state.scenario || state.custom.is_some() || state.cluster.is_some() =>
        {
            (true, format!("Load “{}”", preset(id)?.title))
        }
        // The course's buttons start a preset afresh: even the one on stage loses its faults.
        Action::OpenLesson(id) => (
            *id != state.scenario || own || customised,
            format!("Open the lesson “{}”", preset(id)?.title),
        ),
        Action::OpenChallenge(id) => {
            let challenge = crate::challenge::by_id(id)?;
            (
                challenge.scenario != state.scenario || own || customised,
                format!("Play the challenge “{}”", challenge.title),
            )
        }
        // A link or file that cannot be opened replaces nothing: no need to ask.
        Action::OpenLink(fragment) if AppState::from_fragment(fragment).restore.is_some() => {
            (true, "Open the linked run".to_string())
        }
        Action::OpenFile(text) if AppState::from_file_text(text).restore.is_some() => {
            (true, "Open the saved run".to_string())
        }
        // Turning the fix on or off keeps the faults (the fix changes the model, not the
        // schedule): nothing is lost, so nothing is asked.
        Action::Restart => (false, "Restart the run".to_string()),
        Action::Hunt(HuntAction::Show) => (false, "Show the failure the hunt found".to_string()),
        Action::EditSeed(text) if parse_seed(text).is_ok_and(|seed| seed != state.seed) => {
            (false, "Run another seed".to_string())
        }
        Action::TakeOffer(true) if state.offered.is_some() => {
            (true, "Open your autosaved run".to_string())
        }
        Action::SetCluster(cluster) if *cluster != state.cluster => {
            (false, "Change the cluster".to_string())
        }
        _ => return None,
    };
    let lost: Vec<&str> = [
        (faults, "the faults you applied"),
        (replaces && own, "your own scenario"),
        (replaces && customised, "your cluster settings"),
    ]
    .into_iter()
    .filter_map(|(lost, what)| lost.then_some(what))
    .collect();
    let what = match lost.as_slice() {
        [] => return None,
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    Some(format!("{doing}? This discards {what}."))
}
