//! The time axis: ticks down the diagram's left edge with numbers in the lesson's units, as the
//! book's figures have. True time reads in seconds ("1.5 s"), or in milliseconds when a short
//! run is zoomed in ("12 ms"); the local-clock axis reads as the clocks' own time of day
//! ("14:03:05.25"), so each lane's events sit at the readings of its own clock; Lamport time
//! reads as plain counts. Pure: [`super::timeline::layout_with_findings`] adds the ticks as
//! shapes, the painters draw them, and labels keep clear of them.

use super::timeline::{Axis, Viewport, LABEL_HEIGHT};

/// Ticks are at least this far apart, px.
pub const MIN_TICK_GAP: f64 = 56.0;
/// The numbers' type size when labels have none, px.
pub const TICK_PX: f64 = 11.0;
/// The room (px) left of the first lane that a number with its unit needs ("12.25 s").
pub const UNIT_ROOM: f64 = 40.0;
/// Where the numbers start: right of the tick mark at the left edge, px.
pub const TICK_TEXT_X: f64 = 7.0;

/// One tick: its row, its number in words, and the width of the box the number takes (from
/// [`TICK_TEXT_X`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub y: f64,
    /// The centre row of its number: the tick's own, moved inwards near the top and bottom
    /// edges so the number stays whole in the window.
    pub text_y: f64,
    pub text: String,
    pub width: f64,
}

/// The ticks for the rows in view (below the header), one per "nice" step (1, 2 or 5 times a
/// power of ten of the axis's unit) at least [`MIN_TICK_GAP`] apart, in type of `font_px`.
/// `room` is the width (px) left of the first lane: below [`UNIT_ROOM`] (a phone) true time's
/// numbers go without their unit ("1.2").
pub fn ticks(viewport: &Viewport, font_px: f64, room: f64) -> Vec<Tick> {
    if !(viewport.scale.is_finite() && viewport.scale > 0.0) {
        return Vec::new();
    }
    let step = nice_step(MIN_TICK_GAP / viewport.scale);
    let first = viewport.value_at(viewport.header).max(0.0);
    let last = viewport.value_at(viewport.height);
    if !(first.is_finite() && last.is_finite()) || step == 0 {
        return Vec::new();
    }
    let mut value = (first / step as f64).ceil() as u64 * step;
    // Milliseconds read better than seconds for a short run seen close up.
    let in_ms = step < 10_000 && last < 1_000_000.0;
    // Where "12.25 s" would not fit left of the first lane (a phone), the unit is left out.
    let unit = |suffix| if room >= UNIT_ROOM { suffix } else { "" };
    let mut ticks = Vec::new();
    while (value as f64) <= last && ticks.len() < 200 {
        // No numbers inside a fold: the count resumes after it.
        if let Some(fold) = viewport.folds.hiding(value as f64) {
            let after = viewport.folds.list()[fold].to;
            value = (after / step as f64).ceil() as u64 * step;
            if viewport.folds.hiding(value as f64) == Some(fold) {
                value += step;
            }
            continue;
        }
        let text = match viewport.axis {
            Axis::TrueTime if in_ms => decimal(value, step, 1_000, unit(" ms")),
            Axis::TrueTime => decimal(value, step, 1_000_000, unit(" s")),
            Axis::LocalClock => time_of_day(value, step),
            Axis::Lamport => value.to_string(),
        };
        let y = viewport.y_of(value as f64);
        let half = LABEL_HEIGHT / 2.0;
        // A number beside a fold's break would read as the break's.
        let by_a_fold =
            viewport.folds.list().iter().any(|fold| {
                y > viewport.y_of(fold.from) - half && y < viewport.y_of(fold.to) + half
            });
        if by_a_fold {
            value += step;
            continue;
        }
        ticks.push(Tick {
            y,
            // Kept inside the canvas; a canvas too short for a number (a phone's sliver)
            // puts it at the top rather than failing.
            text_y: y.min(viewport.height - half).max(viewport.header + half),
            width: number_width(&text, font_px),
            text,
        });
        value += step;
    }
    ticks
}

/// The width (px) a tick's number takes at `font_px`: digits and points are narrower than the
/// labels' letters, and the numbers have no box around them (labels pad theirs by 8 px).
fn number_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.56 + 2.0
}

/// The smallest of 1, 2 and 5 times a power of ten that is at least `at_least` (at least 1).
fn nice_step(at_least: f64) -> u64 {
    let mut power = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * power;
            if step as f64 >= at_least {
                return step;
            }
        }
        match power.checked_mul(10) {
            Some(next) if next <= 1_000_000_000_000_000 => power = next,
            _ => return power * 5,
        }
    }
}

/// `value` (a multiple of `step`) in units of `unit`, with as many decimals as `step` needs:
/// "1.25 s" for 1,250,000 µs in steps of 50 ms.
fn decimal(value: u64, step: u64, unit: u64, suffix: &str) -> String {
    let whole = value / unit;
    let decimals = places(step, unit);
    if decimals == 0 {
        return format!("{whole}{suffix}");
    }
    let fraction = value % unit;
    let digits = format!("{fraction:0width$}", width = places(1, unit));
    format!("{whole}.{}{suffix}", &digits[..decimals])
}

/// How many decimals of `unit` it takes to write every multiple of `step`.
fn places(step: u64, unit: u64) -> usize {
    let mut decimals = 0;
    let mut scale = unit;
    while step % scale != 0 {
        scale /= 10;
        decimals += 1;
    }
    decimals
}

/// A clock reading (µs) as the time of day it shows: "14:03:05", "14:03:05.25".
fn time_of_day(reading: u64, step: u64) -> String {
    let day = reading % 86_400_000_000;
    let seconds = day / 1_000_000;
    let second = decimal(day % 60_000_000, step % 60_000_000, 1_000_000, "");
    let second = if seconds % 60 < 10 {
        format!("0{second}")
    } else {
        second
    };
    format!("{:02}:{:02}:{second}", seconds / 3_600, seconds / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(axis: Axis, top: f64, scale: f64) -> Viewport {
        Viewport {
            width: 680.0,
            height: 500.0,
            axis,
            top,
            scale,
            header: 40.0,
            folds: Default::default(),
        }
    }

    /// The ticks with room for any number.
    fn ticks_wide(viewport: &Viewport, font_px: f64) -> Vec<Tick> {
        ticks(viewport, font_px, 1_000.0)
    }

    #[test]
    fn narrow_room_leaves_the_unit_out() {
        let view = view(Axis::TrueTime, 1_200_000.0, 1e-3);
        assert_eq!(ticks(&view, 11.0, UNIT_ROOM)[0].text, "1.2 s");
        assert_eq!(ticks(&view, 11.0, UNIT_ROOM - 1.0)[0].text, "1.2");
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0.3), 1);
        assert_eq!(nice_step(1.5), 2);
        assert_eq!(nice_step(3.0), 5);
        assert_eq!(nice_step(5.0), 5);
        assert_eq!(nice_step(7.0), 10);
        assert_eq!(nice_step(180_000.0), 200_000);
        assert_eq!(nice_step(1e30), 5_000_000_000_000_000);
    }

    #[test]
    fn a_lesson_of_seconds_reads_in_seconds_with_the_decimals_its_step_needs() {
        // 460 px for 20 s: a tick every 5 s (23 px a second, 56 px is under 2.5 s → 5 s).
        let ticks = ticks_wide(&view(Axis::TrueTime, 0.0, 23.0 / 1e6), 11.0);
        let texts: Vec<&str> = ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["0 s", "5 s", "10 s", "15 s", "20 s"]);
        assert_eq!(ticks[0].y, 40.0);
        assert!((ticks[1].y - (40.0 + 5.0 * 23.0)).abs() < 1e-9);
        // 1 px a millisecond from 1.2 s: a tick every 100 ms.
        let close = ticks_wide(&view(Axis::TrueTime, 1_200_000.0, 1e-3), 11.0);
        assert_eq!(close[0].text, "1.2 s");
        assert_eq!(close[1].text, "1.3 s");
        assert!(close.iter().all(|t| t.y >= 40.0 && t.y <= 500.0));
        // A number at an edge moves inwards to stay whole.
        assert_eq!(ticks[0].text_y, 40.0 + LABEL_HEIGHT / 2.0);
        assert_eq!(ticks[1].text_y, ticks[1].y);
        let bottom = ticks.last().unwrap();
        assert!(bottom.text_y + LABEL_HEIGHT / 2.0 <= 500.0);
    }

    #[test]
    fn a_canvas_too_short_for_a_number_gets_its_ticks_without_failing() {
        // 48 px of header over a 60 px canvas: 12 px, less than a number's height.
        let sliver = Viewport {
            height: 60.0,
            header: 48.0,
            ..view(Axis::TrueTime, 0.0, 1e-3)
        };
        let ticks = ticks_wide(&sliver, 11.0);
        assert_eq!(ticks.len(), 1, "time zero sits at the top");
        assert_eq!(ticks[0].text_y, 48.0 + LABEL_HEIGHT / 2.0);
    }

    #[test]
    fn a_short_run_seen_close_reads_in_milliseconds() {
        let ticks = ticks_wide(&view(Axis::TrueTime, 0.0, 0.02), 11.0);
        assert_eq!(ticks[0].text, "0 ms");
        assert_eq!(ticks[1].text, "5 ms");
        let finer = ticks_wide(&view(Axis::TrueTime, 12_000.0, 0.2), 11.0);
        assert_eq!(finer[0].text, "12.0 ms");
        assert_eq!(finer[1].text, "12.5 ms");
    }

    #[test]
    fn clock_readings_read_as_a_time_of_day() {
        // 14:03:05 on some day, 1 px a millisecond: ticks every 100 ms.
        let reading = (9 * 86_400 + 14 * 3_600 + 3 * 60 + 5) as f64 * 1e6;
        let ticks = ticks_wide(&view(Axis::LocalClock, reading, 1e-3), 11.0);
        assert_eq!(ticks[0].text, "14:03:05.0");
        assert_eq!(ticks[1].text, "14:03:05.1");
        let whole = ticks_wide(&view(Axis::LocalClock, reading, 23.0 / 1e6), 11.0);
        assert_eq!(whole[0].text, "14:03:05");
        assert_eq!(whole[1].text, "14:03:10");
    }

    #[test]
    fn lamport_time_reads_as_counts() {
        let ticks = ticks_wide(&view(Axis::Lamport, 0.0, 12.0), 11.0);
        let texts: Vec<&str> = ticks.iter().take(3).map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["0", "5", "10"]);
    }

    #[test]
    fn nothing_before_time_zero_and_nothing_for_a_broken_scale() {
        let ticks = ticks_wide(&view(Axis::TrueTime, -3e6, 23.0 / 1e6), 11.0);
        assert_eq!(ticks[0].text, "0 s");
        assert!(ticks_wide(&view(Axis::TrueTime, 0.0, 0.0), 11.0).is_empty());
        assert!(ticks_wide(&view(Axis::TrueTime, 0.0, f64::NAN), 11.0).is_empty());
        assert!(ticks_wide(&view(Axis::TrueTime, f64::INFINITY, 1.0), 11.0).is_empty());
    }
}
