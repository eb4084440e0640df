//! The timeline's camera: which stretch of the axis the window shows, how it zooms, pans,
//! fits everything, and follows the head of a running simulation. Pure, so gestures are
//! unit-tested natively; the canvas only feeds it pointer and key deltas.

use super::folds::Folds;
use super::timeline::{Axis, Viewport};

/// Pixels above the first row, where node names sit.
pub const HEADER: f64 = 40.0;
/// Room kept above the first event when fitting, so its marker clears the header.
const TOP_PAD: f64 = 12.0;
/// Room kept below the head when following it, and below the last event when fitting.
const FOOT: f64 = 24.0;
/// Zoom limits in pixels per axis unit: a 1 µs or 1-tick step at most this tall…
const MAX_SCALE: f64 = 400.0;
/// …and at least a billion units (1000 s) per pixel.
const MIN_SCALE: f64 = 1e-9;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub axis: Axis,
    /// Display value (see [`super::folds`]) at the top row: the axis value when nothing is
    /// folded.
    pub top: f64,
    /// Pixels per axis unit.
    pub scale: f64,
    /// Keep the head in view as the run grows.
    pub follow: bool,
    /// The top a following camera never scrolls above: where the fit put it, so a run shorter
    /// than a screen fills it from the top.
    pub floor: f64,
    /// The stretches folded away: only the story frame folds ([`Camera::fit_story`]).
    pub folds: Folds,
}

impl Camera {
    /// The rows (px) a fitted extent takes in a window `height` px tall.
    pub fn room(height: f64) -> f64 {
        (height - HEADER - TOP_PAD - FOOT).max(1.0)
    }

    /// A camera that shows `extent` (low, high axis values) in a window `height` px tall.
    pub fn fit(axis: Axis, extent: (f64, f64), height: f64) -> Camera {
        let (low, high) = sane_extent(extent);
        let room = Camera::room(height);
        let scale = clamp_scale(room / (high - low));
        let top = low - TOP_PAD / scale;
        Camera {
            axis,
            top,
            scale,
            follow: true,
            floor: top,
            folds: Folds::NONE,
        }
    }

    /// A camera that shows `extent` with `folds` folded, not following: the story frame.
    pub fn fit_story(axis: Axis, extent: (f64, f64), folds: Folds, height: f64) -> Camera {
        let (low, high) = sane_extent(extent);
        let mut camera = Camera::fit(axis, (folds.display(low), folds.display(high)), height);
        camera.folds = folds;
        camera.follow = false;
        camera
    }

    /// The display value of axis value `value` (see [`super::folds`]).
    fn display(&self, value: f64) -> f64 {
        self.folds.display(value)
    }

    /// Opens fold `index`, keeping the rows above it where they are.
    pub fn open_fold(&mut self, index: usize) {
        let Some(fold) = self.folds.list().get(index).copied() else {
            return;
        };
        let row = (self.display(fold.from) - self.top) * self.scale;
        self.folds = self.folds.without(index);
        self.top = self.display(fold.from) - row / self.scale;
        self.floor = self.floor.min(self.top);
    }

    /// Where a following camera's top sits with the head at `head`: the head just above the
    /// bottom edge, or the floor while the run is shorter than the window. A function of the head
    /// alone, so a run reopened from a link, or gone back to, shows what it showed.
    fn pinned(&self, head: f64, height: f64) -> f64 {
        let bottom = (height - FOOT).max(HEADER + 1.0);
        (self.display(head) - (bottom - HEADER) / self.scale).max(self.floor)
    }

    pub fn viewport(&self, width: f64, height: f64) -> Viewport {
        Viewport {
            width,
            height,
            axis: self.axis,
            top: self.top,
            scale: self.scale,
            header: HEADER,
            folds: self.folds,
        }
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the axis value under row `y` where it is.
    /// Folds grow with the rest, keeping the picture's proportions: a click opens one, and
    /// "Fit all" shows the run unfolded.
    pub fn zoom_at(&mut self, y: f64, factor: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let anchor = self.top + (y - HEADER) / self.scale;
        self.scale = clamp_scale(self.scale * factor);
        self.top = anchor - (y - HEADER) / self.scale;
    }

    /// Moves the content `dy` pixels down (a drag downward reveals earlier times). Panning to
    /// earlier times stops following; panning back to the head (or past it) resumes.
    pub fn pan(&mut self, dy: f64, head: f64, height: f64) {
        if !dy.is_finite() {
            return;
        }
        self.top -= dy / self.scale;
        self.follow = self.at_or_past_head(head, height);
    }

    /// After a zoom: keeps following only if the head is still where following puts it, so a
    /// zoom around the pointer is not pulled back to the head.
    pub fn settle_follow(&mut self, head: f64, height: f64) {
        self.follow = self.follow && self.at_or_past_head(head, height);
    }

    /// Whether the view shows the head where following would put it, or later times.
    fn at_or_past_head(&self, head: f64, height: f64) -> bool {
        head.is_finite() && self.top >= self.pinned(head, height) - 0.5 / self.scale
    }

    /// Whether axis value `value` is on screen.
    pub fn shows(&self, value: f64, height: f64) -> bool {
        let y = HEADER + (self.display(value) - self.top) * self.scale;
        (HEADER..=height).contains(&y)
    }

    /// Scrolls so `value` is on screen (centred if it was off it); follows only if that leaves
    /// the head where following would put it.
    pub fn reveal(&mut self, value: f64, head: f64, height: f64) {
        if !value.is_finite() {
            return;
        }
        // A value hidden in a fold is revealed by opening the fold.
        if let Some(fold) = self.folds.hiding(value) {
            self.open_fold(fold);
        }
        if !self.shows(value, height) {
            let middle = (height - HEADER) / 2.0;
            self.top = self.display(value) - middle / self.scale;
        }
        self.follow = self.shows(head, height) && self.at_or_past_head(head, height);
    }

    /// While following, keeps the head just above the bottom edge (see [`Camera::pinned`]).
    pub fn track(&mut self, head: f64, height: f64) {
        if !self.follow || !head.is_finite() {
            return;
        }
        self.top = self.pinned(head, height);
    }
}

fn clamp_scale(scale: f64) -> f64 {
    if scale.is_finite() {
        scale.clamp(MIN_SCALE, MAX_SCALE)
    } else {
        MAX_SCALE
    }
}

/// A non-empty, finite range: a single instant is widened so it can still be drawn.
fn sane_extent((low, high): (f64, f64)) -> (f64, f64) {
    let (low, high) = match (low.is_finite(), high.is_finite()) {
        (true, true) if high >= low => (low, high),
        (true, _) => (low, low),
        (_, true) => (high, high),
        _ => (0.0, 0.0),
    };
    if high - low < 1.0 {
        (low, low + 1.0)
    } else {
        (low, high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(camera: &Camera, value: f64) -> f64 {
        HEADER + (value - camera.top) * camera.scale
    }

    #[test]
    fn fit_puts_the_extent_between_the_header_and_the_foot() {
        let camera = Camera::fit(Axis::TrueTime, (1_000.0, 11_000.0), 464.0);
        assert!((row(&camera, 1_000.0) - (HEADER + TOP_PAD)).abs() < 1e-9);
        assert!((row(&camera, 11_000.0) - (464.0 - FOOT)).abs() < 1e-9);
    }

    #[test]
    fn fit_survives_empty_and_absurd_extents() {
        for extent in [
            (5.0, 5.0),
            (f64::NAN, f64::NAN),
            (3.0, f64::INFINITY),
            (9.0, 2.0),
        ] {
            let camera = Camera::fit(Axis::Lamport, extent, 300.0);
            assert!(camera.top.is_finite() && camera.scale.is_finite() && camera.scale > 0.0);
        }
    }

    #[test]
    fn zoom_keeps_the_value_under_the_pointer_in_place() {
        let mut camera = Camera::fit(Axis::TrueTime, (0.0, 10_000.0), 500.0);
        let value = camera.top + (300.0 - HEADER) / camera.scale;
        camera.zoom_at(300.0, 4.0);
        assert!((row(&camera, value) - 300.0).abs() < 1e-6);
        camera.zoom_at(300.0, f64::NAN);
        assert!((row(&camera, value) - 300.0).abs() < 1e-6);
        camera.zoom_at(300.0, 1e30);
        assert_eq!(camera.scale, MAX_SCALE);
    }

    #[test]
    fn panning_away_from_the_head_stops_following_and_back_resumes() {
        let mut camera = Camera::fit(Axis::TrueTime, (0.0, 10_000.0), 500.0);
        camera.track(10_000.0, 500.0);
        camera.pan(2_000.0 * camera.scale, 10_000.0, 500.0);
        assert!(!camera.follow, "earlier times: not following");
        camera.track(20_000.0, 500.0);
        let top = camera.top;
        camera.track(30_000.0, 500.0);
        assert_eq!(camera.top, top, "not following: the view stays put");
        camera.pan(-2_000.0 * camera.scale, 10_000.0, 500.0);
        assert!(camera.follow, "back at the head");
        // Zooming in around the middle moves the head off its place: following stops.
        camera.zoom_at(250.0, 4.0);
        camera.settle_follow(10_000.0, 500.0);
        assert!(!camera.follow);
    }

    #[test]
    fn revealing_an_offscreen_value_centres_it() {
        let mut camera = Camera::fit(Axis::TrueTime, (0.0, 10_000.0), 500.0);
        let top = camera.top;
        camera.reveal(5_000.0, 10_000.0, 500.0);
        assert_eq!(camera.top, top, "already visible: nothing moves");
        camera.reveal(40_000.0, 40_000.0, 500.0);
        assert!((row(&camera, 40_000.0) - (HEADER + 500.0) / 2.0).abs() < 1e-6);
        assert!(
            camera.follow,
            "the head is the revealed value, so it is in view"
        );
        camera.reveal(1_000.0, 40_000.0, 500.0);
        assert!(camera.shows(1_000.0, 500.0));
        assert!(!camera.follow);
    }

    #[test]
    fn following_keeps_the_head_above_the_bottom() {
        let mut camera = Camera::fit(Axis::TrueTime, (0.0, 10_000.0), 500.0);
        let floor = camera.top;
        camera.track(2_000.0, 500.0);
        assert_eq!(
            camera.top, floor,
            "a short run fills the window from the top"
        );
        camera.track(50_000.0, 500.0);
        assert!((row(&camera, 50_000.0) - (500.0 - FOOT)).abs() < 1e-6);
        // Going back: the head comes back in at the bottom, its past above.
        camera.track(20_000.0, 500.0);
        assert!((row(&camera, 20_000.0) - (500.0 - FOOT)).abs() < 1e-6);
        // The same head gives the same view, however the camera got there.
        let mut fresh = Camera::fit(Axis::TrueTime, (0.0, 10_000.0), 500.0);
        fresh.track(20_000.0, 500.0);
        assert_eq!(fresh, camera);
    }
}
