//! Per-node clocks. A node never sees true time: it reads a time-of-day clock (which can be
//! offset, drift and jump when NTP steps it) and a monotonic clock (which only drifts).

use serde::{Deserialize, Serialize};

use super::ids::Micros;

/// Drift is limited so the monotonic clock always moves forward at a sane rate.
pub const MAX_DRIFT_PPM: i32 = 500_000;
/// Offsets and NTP steps are limited to ±1 day, far beyond any lesson, far below overflow.
pub const MAX_OFFSET_US: i64 = 86_400_000_000;
/// Uncertainty (ε) up to 1 minute.
pub const MAX_UNCERTAINTY_US: u64 = 60_000_000;

const PPM: i128 = 1_000_000;

/// A clock's settings at the start of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClockConfig {
    /// Time-of-day minus true time at t = 0, in µs.
    pub offset_us: i64,
    /// Rate error in parts per million: +100 gains 100 µs every second.
    pub drift_ppm: i32,
    /// TrueTime-style uncertainty ε: the node knows true time lies within ±ε of its reading.
    pub uncertainty_us: u64,
}

/// A node's clock. Readings are exact integer functions of true time, so runs replay bit for bit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Clock {
    /// Offset plus all NTP steps so far.
    offset_us: i64,
    drift_ppm: i32,
    /// Drift accumulated up to `segment_start`, when the drift rate last changed.
    drift_before_segment: i64,
    segment_start: Micros,
    /// Arbitrary origin, so monotonic readings of different nodes are not comparable.
    monotonic_origin: u64,
    uncertainty_us: u64,
}

/// A reading of the TrueTime-style interval: true time lies in `[earliest, latest]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeInterval {
    pub earliest: i64,
    pub latest: i64,
}

impl Clock {
    pub fn new(config: ClockConfig, monotonic_origin: u64) -> Clock {
        Clock {
            offset_us: config.offset_us,
            drift_ppm: config.drift_ppm,
            drift_before_segment: 0,
            segment_start: 0,
            monotonic_origin,
            uncertainty_us: config.uncertainty_us,
        }
    }

    fn drift_at(&self, now: Micros) -> i64 {
        let elapsed = i128::from(now.saturating_sub(self.segment_start));
        let in_segment = (elapsed * i128::from(self.drift_ppm)).div_euclid(PPM);
        self.drift_before_segment + in_segment as i64
    }

    /// The time-of-day (wall-clock) reading at true time `now`, in µs since the epoch of the run.
    pub fn time_of_day(&self, now: Micros) -> i64 {
        now as i64 + self.offset_us + self.drift_at(now)
    }

    /// The monotonic reading at true time `now`: never decreases, never jumps.
    pub fn monotonic(&self, now: Micros) -> u64 {
        // |drift| ≤ now / 2, so the sum is never negative.
        self.monotonic_origin + (now as i64 + self.drift_at(now)) as u64
    }

    pub fn interval(&self, now: Micros) -> TimeInterval {
        let reading = self.time_of_day(now);
        let epsilon = self.uncertainty_us as i64;
        TimeInterval {
            earliest: reading - epsilon,
            latest: reading + epsilon,
        }
    }

    pub fn offset_us(&self) -> i64 {
        self.offset_us
    }

    pub fn drift_ppm(&self) -> i32 {
        self.drift_ppm
    }

    pub fn uncertainty_us(&self) -> u64 {
        self.uncertainty_us
    }

    /// Sets the time-of-day offset (the monotonic clock is not affected).
    pub fn set_offset(&mut self, offset_us: i64) {
        self.offset_us = offset_us;
    }

    /// An NTP step: the time-of-day reading jumps by `delta_us`, forward or back.
    pub fn step(&mut self, delta_us: i64) {
        self.offset_us = self.offset_us.saturating_add(delta_us);
    }

    /// Changes the drift rate from `now` on; readings stay continuous.
    pub fn set_drift(&mut self, now: Micros, drift_ppm: i32) {
        self.drift_before_segment = self.drift_at(now);
        self.segment_start = now.max(self.segment_start);
        self.drift_ppm = drift_ppm;
    }

    pub fn set_uncertainty(&mut self, uncertainty_us: u64) {
        self.uncertainty_us = uncertainty_us;
    }

    /// The earliest true time ≥ `now` at which the monotonic clock reads at least `target`.
    /// Timers are set on the monotonic clock, so this is when they fire.
    pub fn when_monotonic_reaches(&self, now: Micros, target: u64) -> Micros {
        if self.monotonic(now) >= target {
            return now;
        }
        let start = self.segment_start;
        let base = self.monotonic(start) as i128;
        let needed = target as i128 - base; // > 0 because monotonic(start) ≤ monotonic(now) < target
        let rate = PPM + i128::from(self.drift_ppm); // > 0
        let mut elapsed = (needed * PPM + rate - 1) / rate; // ceil(needed / rate), first guess
        let reached =
            |elapsed: i128| self.monotonic(start + elapsed as u64) as i128 >= target as i128;
        // Integer rounding in `drift_at` can put the guess one off either way.
        while elapsed > 0 && reached(elapsed - 1) {
            elapsed -= 1;
        }
        while !reached(elapsed) {
            elapsed += 1;
        }
        (start + elapsed as u64).max(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(offset_us: i64, drift_ppm: i32) -> Clock {
        Clock::new(
            ClockConfig {
                offset_us,
                drift_ppm,
                uncertainty_us: 0,
            },
            1_000,
        )
    }

    #[test]
    fn time_of_day_is_true_time_plus_offset_plus_drift() {
        let c = clock(250, 100);
        assert_eq!(c.time_of_day(0), 250);
        // 100 ppm over 10 s gains 1 ms.
        assert_eq!(c.time_of_day(10_000_000), 10_000_000 + 250 + 1_000);
    }

    #[test]
    fn ntp_steps_move_time_of_day_but_not_the_monotonic_clock() {
        let mut c = clock(0, 0);
        let before = (c.time_of_day(5_000), c.monotonic(5_000));
        c.step(-2_000);
        assert_eq!(c.time_of_day(5_000), before.0 - 2_000);
        assert_eq!(c.monotonic(5_000), before.1);
    }

    #[test]
    fn changing_drift_keeps_readings_continuous() {
        let mut c = clock(0, 200_000);
        let at = 1_000_000;
        let before = (c.time_of_day(at), c.monotonic(at));
        c.set_drift(at, -100_000);
        assert_eq!((c.time_of_day(at), c.monotonic(at)), before);
        assert_eq!(c.monotonic(at + 1_000_000), before.1 + 900_000);
    }

    #[test]
    fn monotonic_never_goes_back_even_with_extreme_drift() {
        for drift in [-MAX_DRIFT_PPM, -333_333, -1, 0, 7, MAX_DRIFT_PPM] {
            let c = clock(0, drift);
            let mut last = c.monotonic(0);
            for t in (0..200_000).step_by(37) {
                let now = c.monotonic(t);
                assert!(now >= last, "drift {drift} at {t}");
                last = now;
            }
        }
    }

    #[test]
    fn timers_fire_exactly_when_the_monotonic_clock_reaches_the_deadline() {
        for drift in [-MAX_DRIFT_PPM, -123_457, 0, 3, 250_000, MAX_DRIFT_PPM] {
            let mut c = clock(0, drift);
            c.set_drift(777, drift);
            for (now, delay) in [
                (777u64, 1u64),
                (1_000, 10_000),
                (5_555, 333_333),
                (9_999, 7),
            ] {
                let target = c.monotonic(now) + delay;
                let due = c.when_monotonic_reaches(now, target);
                assert!(c.monotonic(due) >= target, "drift {drift}");
                assert!(
                    due == now || c.monotonic(due - 1) < target,
                    "drift {drift}: not earliest"
                );
            }
        }
    }

    #[test]
    fn uncertainty_brackets_the_reading() {
        let mut c = clock(10, 0);
        c.set_uncertainty(7);
        let interval = c.interval(100);
        assert_eq!((interval.earliest, interval.latest), (103, 117));
    }
}
