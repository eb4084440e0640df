//! The marker for each kind of finding: a distinct outline and a label, so no finding is told
//! apart by colour alone. Canvas, SVG export and the legend all draw from these outlines.

use crate::detect::FindingKind;

/// Every kind the detectors report, in legend order.
pub const FINDING_KINDS: [FindingKind; 13] = [
    FindingKind::SplitBrain,
    FindingKind::AckedWriteLost,
    FindingKind::FencingRejection,
    FindingKind::StaleWriteAccepted,
    FindingKind::FalseSuspicion,
    FindingKind::DuplicateEffect,
    FindingKind::OrderingViolation,
    FindingKind::ConcurrentWrites,
    FindingKind::ByzantineDisagreement,
    FindingKind::LivenessStall,
    FindingKind::TwoLeadersInOneTerm,
    FindingKind::RequestLost,
    FindingKind::RetryStorm,
];

/// A closed outline as (corner count, angle of the first corner, inner radius ratio for stars).
fn recipe(kind: FindingKind) -> (usize, f64, Option<f64>) {
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
    match kind {
        FindingKind::SplitBrain => (4, -FRAC_PI_2, None), // diamond
        FindingKind::AckedWriteLost => (3, FRAC_PI_2, None), // triangle pointing down
        FindingKind::FencingRejection => (8, PI / 8.0, None), // octagon, like a stop sign
        FindingKind::StaleWriteAccepted => (3, -FRAC_PI_2, None), // triangle pointing up
        FindingKind::FalseSuspicion => (4, FRAC_PI_4, None), // square
        FindingKind::DuplicateEffect => (6, 0.0, None),   // hexagon
        FindingKind::OrderingViolation => (5, -FRAC_PI_2, None), // pentagon
        FindingKind::ConcurrentWrites => (4, -FRAC_PI_2, Some(0.45)), // four-point star
        FindingKind::ByzantineDisagreement => (5, -FRAC_PI_2, Some(0.45)), // five-point star
        FindingKind::LivenessStall => (6, -FRAC_PI_2, Some(0.5)), // six-point star
        FindingKind::TwoLeadersInOneTerm => (3, -FRAC_PI_2, Some(0.4)), // three-point star
        FindingKind::RequestLost => (3, 0.0, None),       // triangle pointing right
        FindingKind::RetryStorm => (8, -FRAC_PI_2, Some(0.55)), // eight-point star
    }
}

/// The marker's outline around (x, y), `radius` px to its outer corners.
pub fn outline(kind: FindingKind, x: f64, y: f64, radius: f64) -> Vec<(f64, f64)> {
    let (corners, start, inner) = recipe(kind);
    let points = if inner.is_some() {
        corners * 2
    } else {
        corners
    };
    (0..points)
        .map(|i| {
            let angle = start + std::f64::consts::TAU * i as f64 / points as f64;
            let r = match inner {
                Some(ratio) if i % 2 == 1 => radius * ratio,
                _ => radius,
            };
            let (cos, sin) = super::turn::cos_sin(angle);
            (x + r * cos, y + r * sin)
        })
        .collect()
}

/// The outline as an SVG path (`M … L … Z`).
pub fn svg_path(kind: FindingKind, x: f64, y: f64, radius: f64) -> String {
    let mut path = String::new();
    for (i, (px, py)) in outline(kind, x, y, radius).into_iter().enumerate() {
        path.push_str(if i == 0 { "M" } else { "L" });
        path.push_str(&format!("{px:.1} {py:.1}"));
    }
    path.push('Z');
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_outline() {
        let outlines: Vec<Vec<(i64, i64)>> = FINDING_KINDS
            .iter()
            .map(|&k| {
                outline(k, 0.0, 0.0, 100.0)
                    .into_iter()
                    .map(|(x, y)| (x.round() as i64, y.round() as i64))
                    .collect()
            })
            .collect();
        for (i, a) in outlines.iter().enumerate() {
            assert!(a.len() >= 3);
            for b in &outlines[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn outlines_stay_within_their_radius() {
        for kind in FINDING_KINDS {
            for (x, y) in outline(kind, 10.0, 20.0, 8.0) {
                assert!(((x - 10.0).powi(2) + (y - 20.0).powi(2)).sqrt() <= 8.0 + 1e-9);
            }
        }
    }
}
