//! Pointer gestures on the timeline, as pure state: one pointer drags (pans), two pinch
//! (zoom about their midpoint), a press released where it began is a click.

/// How far (px) a press may travel and still count as a click.
const CLICK_SLOP: f64 = 5.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gesture {
    /// Move the content down by `dy` px.
    Pan {
        dy: f64,
    },
    /// Zoom by `factor` about row `y`, after moving the content down by `dy`.
    Pinch {
        y: f64,
        factor: f64,
        dy: f64,
    },
    Click {
        x: f64,
        y: f64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Pointer {
    id: i32,
    start: (f64, f64),
    at: (f64, f64),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pointers {
    down: Vec<Pointer>,
    /// Set once a press turns into a drag or a pinch: it can no longer be a click.
    dragged: bool,
}

impl Pointers {
    pub fn is_pressed(&self) -> bool {
        !self.down.is_empty()
    }

    pub fn press(&mut self, id: i32, x: f64, y: f64) {
        self.down.retain(|p| p.id != id);
        if self.down.len() >= 2 {
            return; // a third finger changes nothing
        }
        // A second finger turns the press into a pinch.
        self.dragged = !self.down.is_empty();
        self.down.push(Pointer {
            id,
            start: (x, y),
            at: (x, y),
        });
    }

    pub fn moved(&mut self, id: i32, x: f64, y: f64) -> Option<Gesture> {
        let before: Vec<Pointer> = self.down.clone();
        let pointer = self.down.iter_mut().find(|p| p.id == id)?;
        pointer.at = (x, y);
        match self.down.as_slice() {
            [one] => {
                let travelled = (one.at.0 - one.start.0).hypot(one.at.1 - one.start.1);
                if !self.dragged && travelled <= CLICK_SLOP {
                    return None;
                }
                let previous = before[0].at;
                // The first move past the slop pans from where the press began.
                let from = if self.dragged { previous } else { one.start };
                self.dragged = true;
                Some(Gesture::Pan { dy: y - from.1 })
            }
            [a, b] => {
                let (pa, pb) = (before[0].at, before[1].at);
                let old_gap = (pa.0 - pb.0).hypot(pa.1 - pb.1);
                let new_gap = (a.at.0 - b.at.0).hypot(a.at.1 - b.at.1);
                let (old_mid, new_mid) = ((pa.1 + pb.1) / 2.0, (a.at.1 + b.at.1) / 2.0);
                self.dragged = true;
                let factor = if old_gap > 1.0 && new_gap > 1.0 {
                    new_gap / old_gap
                } else {
                    1.0
                };
                Some(Gesture::Pinch {
                    y: new_mid,
                    factor,
                    dy: new_mid - old_mid,
                })
            }
            _ => None,
        }
    }

    pub fn release(&mut self, id: i32) -> Option<Gesture> {
        let index = self.down.iter().position(|p| p.id == id)?;
        let pointer = self.down.remove(index);
        let click = self.down.is_empty() && !self.dragged;
        click.then_some(Gesture::Click {
            x: pointer.at.0,
            y: pointer.at.1,
        })
    }

    /// The browser took the pointer away (a cancelled touch): no click.
    pub fn cancel(&mut self, id: i32) {
        self.down.retain(|p| p.id != id);
        self.dragged = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_released_in_place_is_a_click() {
        let mut pointers = Pointers::default();
        pointers.press(1, 100.0, 200.0);
        assert_eq!(
            pointers.moved(1, 102.0, 203.0),
            None,
            "a tremor is not a drag"
        );
        assert_eq!(
            pointers.release(1),
            Some(Gesture::Click { x: 102.0, y: 203.0 })
        );
        assert!(!pointers.is_pressed());
    }

    #[test]
    fn a_drag_pans_by_the_whole_distance_and_is_not_a_click() {
        let mut pointers = Pointers::default();
        pointers.press(1, 100.0, 200.0);
        assert_eq!(
            pointers.moved(1, 100.0, 230.0),
            Some(Gesture::Pan { dy: 30.0 })
        );
        assert_eq!(
            pointers.moved(1, 100.0, 220.0),
            Some(Gesture::Pan { dy: -10.0 })
        );
        assert_eq!(pointers.release(1), None);
    }

    #[test]
    fn two_fingers_spreading_zoom_in_about_their_midpoint() {
        let mut pointers = Pointers::default();
        pointers.press(1, 100.0, 100.0);
        pointers.press(2, 100.0, 300.0);
        let gesture = pointers.moved(2, 100.0, 500.0).unwrap();
        assert_eq!(
            gesture,
            Gesture::Pinch {
                y: 300.0,
                factor: 2.0,
                dy: 100.0
            }
        );
        assert_eq!(pointers.release(2), None);
        assert_eq!(pointers.release(1), None, "a pinch never ends in a click");
    }

    #[test]
    fn unknown_and_cancelled_pointers_do_nothing() {
        let mut pointers = Pointers::default();
        assert_eq!(pointers.moved(9, 1.0, 1.0), None);
        assert_eq!(pointers.release(9), None);
        pointers.press(1, 0.0, 0.0);
        pointers.cancel(1);
        assert_eq!(pointers.release(1), None);
        assert!(!pointers.is_pressed());
    }
}
