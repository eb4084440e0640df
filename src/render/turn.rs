//! The cosine and sine of an angle, for placing points on a circle (nodes on the topology's ring,
//! a marker's corners).
//!
//! `f64::sin` and `f64::cos` compile, in WebAssembly, to the maths library's versions, whose
//! reduction of huge angles carries a 2.7 KB table of the digits of 2/π; the angles drawn here
//! are a few turns at most, so a short polynomial does as well (to within a few units in the last
//! place, see the tests) for a few hundred bytes.

use std::f64::consts::{FRAC_PI_2, TAU};

/// `(angle.cos(), angle.sin())` for an angle in radians; within a few turns of zero it agrees with
/// the maths library to 2·10⁻¹⁵ (farther out, rounding 2π costs about 10⁻¹⁵ a turn).
pub fn cos_sin(angle: f64) -> (f64, f64) {
    if !angle.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    // Within half a turn of zero, then a quarter turn `quarter` times plus at most an eighth.
    let angle = angle - TAU * (angle / TAU).round();
    let quarter = (angle / FRAC_PI_2).round();
    let r = angle - quarter * FRAC_PI_2;
    let (c, s) = (cos_small(r), sin_small(r));
    match quarter as i32 {
        0 => (c, s),
        1 => (-s, c),
        -1 => (s, -c),
        _ => (-c, -s),
    }
}

/// Taylor series to x¹⁷: for |x| ≤ π/4 the first term left out is below 10⁻¹⁹.
fn sin_small(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for k in 1..=8 {
        term *= -x2 / ((2 * k) as f64 * (2 * k + 1) as f64);
        sum += term;
    }
    sum
}

/// Taylor series to x¹⁶.
fn cos_small(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=8 {
        term *= -x2 / ((2 * k - 1) as f64 * (2 * k) as f64);
        sum += term;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_maths_library_within_a_few_turns() {
        let worst = worst_difference(5.0);
        assert!(worst < 2e-15, "worst difference {worst:e}");
    }

    #[test]
    fn many_turns_out_loses_only_what_rounding_2_pi_loses() {
        // 2π is rounded to a double: n turns out, the reduced angle is off by about n ulps of 2π.
        let worst = worst_difference(30.0);
        assert!(worst < 5e-14, "worst difference {worst:e}");
    }

    fn worst_difference(turns: f64) -> f64 {
        let mut worst: f64 = 0.0;
        for i in -40_000..=40_000 {
            let angle = i as f64 / 40_000.0 * turns * TAU + 0.000_123;
            let (c, s) = cos_sin(angle);
            worst = worst
                .max((c - angle.cos()).abs())
                .max((s - angle.sin()).abs());
        }
        worst
    }

    #[test]
    fn the_compass_points_are_exact() {
        assert_eq!(cos_sin(0.0), (1.0, 0.0));
        assert_eq!(cos_sin(FRAC_PI_2), (0.0, 1.0));
        assert_eq!(cos_sin(-FRAC_PI_2), (0.0, -1.0));
        assert_eq!(cos_sin(TAU).0, 1.0);
        let (c, s) = cos_sin(std::f64::consts::PI);
        assert_eq!(c, -1.0);
        assert!(s.abs() < 1e-15);
    }

    #[test]
    fn an_angle_that_is_not_a_number_gives_no_point() {
        assert!(cos_sin(f64::NAN).0.is_nan());
        assert!(cos_sin(f64::INFINITY).1.is_nan());
    }
}
