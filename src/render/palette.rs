//! Colours for each theme: the Okabe–Ito colour-blind-safe set. Shapes, dashes and labels
//! carry every meaning too, so no distinction rests on colour alone.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: &'static str,
    pub ink: &'static str,
    pub lifeline: &'static str,
    pub message: &'static str,
    pub warning: &'static str,
    pub past: &'static str,
    pub future: &'static str,
    pub fault: &'static str,
    pub pause: &'static str,
    pub leader: &'static str,
    pub candidate: &'static str,
    pub crashed: &'static str,
    /// Node discs in the topology.
    pub node: &'static str,
    /// Multiplies every type size on the canvases: 1 normally, larger in projector mode.
    pub text_scale: f64,
}

impl Palette {
    /// A canvas font at `px` CSS pixels, scaled for projector mode.
    pub fn font(&self, weight: u16, px: f64) -> String {
        format!(
            "{weight} {:.0}px system-ui, sans-serif",
            px * self.text_scale
        )
    }

    /// The same colours with type `scale` times larger.
    pub fn with_text_scale(self, scale: f64) -> Palette {
        Palette {
            text_scale: if scale.is_finite() && scale > 0.0 {
                scale
            } else {
                1.0
            },
            ..self
        }
    }
}

pub const LIGHT: Palette = Palette {
    background: "#f6f7f9",
    ink: "#14202e",
    lifeline: "#7a8797",
    message: "#0072b2",
    warning: "#d55e00",
    past: "#e69f00",
    future: "#009e73",
    fault: "#cc79a7",
    pause: "#f0e442",
    leader: "#009e73",
    candidate: "#56b4e9",
    crashed: "#7a8797",
    node: "#ffffff",
    text_scale: 1.0,
};

pub const DARK: Palette = Palette {
    background: "#0b1117",
    ink: "#e8eef5",
    lifeline: "#5d6b7b",
    message: "#56b4e9",
    warning: "#ff9a5c",
    past: "#e69f00",
    future: "#2fd0a0",
    fault: "#cc79a7",
    pause: "#f0e442",
    leader: "#009e73",
    candidate: "#56b4e9",
    crashed: "#9fb0c2",
    node: "#1a2633",
    text_scale: 1.0,
};
