//! Inline SVG icons: font glyphs such as ⏭ are missing on many systems, SVG always renders.

use yew::prelude::*;

#[derive(Clone, Copy, PartialEq)]
pub enum Icon {
    Play,
    Pause,
    Step,
    Restart,
    Back,
}

impl Icon {
    /// Path data on a 16×16 grid.
    fn path(self) -> &'static str {
        match self {
            Icon::Play => "M4 2.5v11l9-5.5z",
            Icon::Pause => "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z",
            Icon::Step => "M2.5 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z",
            Icon::Back => "M13.5 2.5v11L6 8zM2.5 2.5H5v11H2.5z",
            Icon::Restart => {
                "M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.9.6A3.5 3.5 0 1 0 8 4.5v2L4.5 3.5 8 .5z"
            }
        }
    }
}

/// A decorative icon: hidden from assistive technology, the button's text names the action.
/// (A function, not a component: components cost the bundle their own lifecycle code.)
pub fn icon_svg(icon: Icon) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d={icon.path()} fill="currentColor" />
        </svg>
    }
}
