//! Roving tabindex: a group of like controls (the topology's nodes and links, the message
//! kinds, a panel's list) is one stop for the Tab key, and the arrow keys move within it (Home
//! and End to its ends). The control last focused in the group is the one Tab comes back to.
//!
//! The tab indexes are set on the page after each render, not in the markup, so a group whose
//! items come and go never loses its stop.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node};
use yew::prelude::*;

/// Where `key` moves focus from item `at` of a group of `count`: the arrows go to the next or
/// the previous item (round the ends), Home and End to the first and the last. `None` for any
/// other key, which the group leaves alone.
pub fn step(key: &str, at: usize, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let at = at.min(last);
    match key {
        "ArrowRight" | "ArrowDown" => Some(if at == last { 0 } else { at + 1 }),
        "ArrowLeft" | "ArrowUp" => Some(if at == 0 { last } else { at - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The group's items, in the order of the page.
fn items(group: &Element, selector: &str) -> Vec<HtmlElement> {
    let Ok(found) = group.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Makes item `at` (or the last, when there are fewer) the group's one stop for the Tab key.
fn settle(items: &[HtmlElement], at: usize) {
    let stop = at.min(items.len().saturating_sub(1));
    for (i, item) in items.iter().enumerate() {
        item.set_tab_index(if i == stop { 0 } else { -1 });
    }
}

/// Which item of `group` the event happened on, with the group's items. (Yew hands events to
/// their listeners from the app's root, so the event's current target is not the group.)
fn target_of<E: AsRef<Event>>(
    event: &E,
    group: &NodeRef,
    selector: &str,
) -> Option<(usize, Vec<HtmlElement>)> {
    let group = group.cast::<Element>()?;
    let target = event.as_ref().target()?.dyn_into::<Node>().ok()?;
    let items = items(&group, selector);
    let at = items
        .iter()
        .position(|item| item.is_same_node(Some(&target)))?;
    Some((at, items))
}

/// The handlers a group's element takes: `onkeydown` and `onfocusin`.
pub struct Roving {
    pub onkeydown: Callback<KeyboardEvent>,
    pub onfocusin: Callback<FocusEvent>,
}

/// A roving tabindex over the elements matching `selector` inside `group` (which must carry
/// the returned handlers).
#[hook]
pub fn use_roving(group: NodeRef, selector: &'static str) -> Roving {
    let at = use_mut_ref(|| 0usize);
    {
        let (at, group) = (at.clone(), group.clone());
        use_effect(move || {
            if let Some(group) = group.cast::<Element>() {
                settle(&items(&group, selector), *at.borrow());
            }
        });
    }
    let onfocusin = {
        let (at, group) = (at.clone(), group.clone());
        Callback::from(move |event: FocusEvent| {
            if let Some((focused, items)) = target_of(&event, &group, selector) {
                *at.borrow_mut() = focused;
                settle(&items, focused);
            }
        })
    };
    let onkeydown = Callback::from(move |event: KeyboardEvent| {
        let Some((from, items)) = target_of(&event, &group, selector) else {
            return;
        };
        let modified = event.ctrl_key() || event.meta_key() || event.alt_key();
        let Some(to) = step(&event.key(), from, items.len()).filter(|_| !modified) else {
            return;
        };
        event.prevent_default();
        *at.borrow_mut() = to;
        settle(&items, to);
        let _ = items[to].focus();
    });
    Roving {
        onkeydown,
        onfocusin,
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn arrows_move_round_the_group_and_home_and_end_go_to_its_ends() {
        assert_eq!(step("ArrowRight", 0, 3), Some(1));
        assert_eq!(step("ArrowDown", 1, 3), Some(2));
        assert_eq!(step("ArrowRight", 2, 3), Some(0), "round the end");
        assert_eq!(step("ArrowLeft", 0, 3), Some(2), "round the start");
        assert_eq!(step("ArrowUp", 2, 3), Some(1));
        assert_eq!(step("Home", 2, 3), Some(0));
        assert_eq!(step("End", 0, 3), Some(2));
        assert_eq!(
            step("ArrowRight", 9, 3),
            Some(0),
            "from past the end: the last"
        );
        assert_eq!(step("ArrowLeft", 0, 1), Some(0));
        assert_eq!(step("Enter", 0, 3), None, "other keys are the item's own");
        assert_eq!(step("Tab", 0, 3), None, "Tab leaves the group");
        assert_eq!(step("ArrowRight", 0, 0), None, "an empty group");
    }
}
