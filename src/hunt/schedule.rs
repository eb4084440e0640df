//! Random schedules. Schedule `i` of a hunt comes from its own ChaCha8 stream, seeded by the
//! hunt's seed and `i`, so any schedule can be drawn again on its own, and the same settings give
//! the same schedules everywhere.
//!
//! Times and sizes follow the scenario's own scale: faults start in the first 90 % of the run;
//! lengths are drawn half the time uniformly and half the time log-uniformly between a 200th of
//! the run and the whole run (long pauses and short blips both come up); clock skews and steps
//! between a 100th of the run and ten runs, either sign; drift between 100 ppm and 20 %;
//! loss and duplication between 10 % and 100 %.

use super::fault::{Fault, FaultKind, What};
use super::settings::Settings;
use crate::sim::{Micros, NodeId, SimRng};

/// Where in the run a schedule's faults may start, in thousandths of its length.
const START_WITHIN_PERMILLE: u64 = 900;

/// The seed of schedule `index`'s own stream (SplitMix64 of the two, so neighbouring seeds and
/// indices give unrelated streams).
pub fn stream_seed(seed: u64, index: u32) -> u64 {
    let mut z = seed ^ u64::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Schedule `index` of a hunt with `settings` on a cluster of `nodes` nodes and a run of
/// `duration_us`: between one and `max_faults` faults, in the order they were drawn.
pub fn draw(settings: &Settings, index: u32, nodes: u8, duration_us: Micros) -> Vec<Fault> {
    let mut rng = SimRng::new(stream_seed(settings.seed, index));
    let count = 1 + rng.below(u64::from(settings.max_faults.max(1)));
    (0..count)
        .map(|_| {
            let kind = settings.kinds[rng.below(settings.kinds.len() as u64) as usize];
            one(&mut rng, kind, nodes, duration_us)
        })
        .collect()
}

fn one(rng: &mut SimRng, kind: FaultKind, nodes: u8, duration_us: Micros) -> Fault {
    let run = duration_us.max(1_000);
    let at_us = rng.below(run / 1_000 * START_WITHIN_PERMILLE + 1);
    let node = |rng: &mut SimRng| NodeId(rng.below(u64::from(nodes)) as u8);
    let pair = |rng: &mut SimRng| {
        let from = node(rng);
        // Any other node: pick among the rest, shifted past `from`.
        let other = rng.below(u64::from(nodes.saturating_sub(1))) as u8;
        let to = NodeId(if other >= from.0 { other + 1 } else { other });
        (from, to)
    };
    let length = |rng: &mut SimRng| spread(rng, (run / 200).max(1), run);
    let signed = |rng: &mut SimRng, magnitude: u64| {
        let magnitude = magnitude.min(i64::MAX as u64) as i64;
        if rng.below(2) == 0 {
            magnitude
        } else {
            -magnitude
        }
    };
    let what = match kind {
        FaultKind::Partition => {
            // A proper, non-empty side: any mask but none and all.
            let mask = 1 + rng.below((1u64 << nodes) - 2);
            let side = (0..nodes)
                .filter(|n| mask >> n & 1 == 1)
                .map(NodeId)
                .collect();
            What::Partition {
                side,
                for_us: length(rng),
            }
        }
        FaultKind::OneWayCut => {
            let (from, to) = pair(rng);
            What::OneWayCut {
                from,
                to,
                for_us: length(rng),
            }
        }
        FaultKind::Pause => What::Pause {
            node: node(rng),
            for_us: length(rng),
        },
        FaultKind::Crash => What::Crash {
            node: node(rng),
            for_us: length(rng),
        },
        FaultKind::PowerCut => What::PowerCut {
            node: node(rng),
            for_us: length(rng),
        },
        FaultKind::ClockSkew | FaultKind::NtpStep => {
            let node = node(rng);
            let by = spread(rng, (run / 100).max(1), run.saturating_mul(10));
            let by_us = signed(rng, by);
            if kind == FaultKind::ClockSkew {
                What::ClockSkew { node, by_us }
            } else {
                What::NtpStep { node, by_us }
            }
        }
        FaultKind::ClockDrift => {
            let node = node(rng);
            let ppm = spread(rng, 100, 200_000);
            What::ClockDrift {
                node,
                ppm: signed(rng, ppm) as i32,
            }
        }
        FaultKind::Loss | FaultKind::Duplication => {
            let (from, to) = pair(rng);
            let percent = 10 + rng.below(91) as u8;
            let for_us = length(rng);
            if kind == FaultKind::Loss {
                What::Loss {
                    from,
                    to,
                    percent,
                    for_us,
                }
            } else {
                What::Duplication {
                    from,
                    to,
                    percent,
                    for_us,
                }
            }
        }
    };
    Fault { at_us, what }
}

/// A number between `low` and `high`: half the time uniformly, half the time log-uniformly
/// (as `low` × (`high`/`low`)^u, by exact integer steps of an eighth of a doubling).
fn spread(rng: &mut SimRng, low: u64, high: u64) -> u64 {
    let high = high.max(low);
    if rng.below(2) == 0 {
        return low + rng.below(high - low + 1);
    }
    // Log-uniform without floating-point maths: double `low` a random number of times (in
    // eighths), never past `high`.
    let mut eighths = 0u64;
    let mut value = low as u128;
    while value * 2 <= high as u128 {
        value *= 2;
        eighths += 8;
    }
    let value_steps = eighths + 8;
    let step = rng.below(value_steps);
    let mut value = low as u128;
    for _ in 0..step / 8 {
        value *= 2;
    }
    // 2^(k/8) ≈ 1 + k·0.0905 (within 2 %): exact integer arithmetic, same everywhere.
    value = value * (1_000 + 90 * (step % 8) as u128) / 1_000;
    (value as u64).clamp(low, high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::FAULT_KINDS;

    #[test]
    fn a_schedule_is_the_same_drawn_alone_or_in_turn_and_differs_by_index_and_seed() {
        let settings = Settings::default();
        let a = draw(&settings, 41, 5, 3_000_000);
        assert_eq!(a, draw(&settings, 41, 5, 3_000_000));
        assert_ne!(a, draw(&settings, 42, 5, 3_000_000));
        let other = Settings {
            seed: 2,
            ..settings.clone()
        };
        assert_ne!(a, draw(&other, 41, 5, 3_000_000));
    }

    #[test]
    fn schedules_keep_to_the_settings_and_the_cluster() {
        let settings = Settings {
            kinds: vec![FaultKind::Partition, FaultKind::Loss, FaultKind::ClockDrift],
            max_faults: 3,
            ..Settings::default()
        };
        let mut kinds_seen = Vec::new();
        for index in 0..2_000 {
            let schedule = draw(&settings, index, 4, 2_000_000);
            assert!((1..=3).contains(&schedule.len()));
            for fault in &schedule {
                assert!(settings.allows(fault.what.kind()));
                assert!(fault.at_us <= 1_800_000, "starts in the first 90 %");
                if let Some(length) = fault.what.length() {
                    assert!((10_000..=2_000_000).contains(&length), "{length}");
                }
                match &fault.what {
                    What::Partition { side, .. } => {
                        assert!(!side.is_empty() && side.len() < 4);
                        assert!(side.iter().all(|n| n.0 < 4));
                    }
                    What::Loss {
                        from, to, percent, ..
                    } => {
                        assert!(from != to && from.0 < 4 && to.0 < 4);
                        assert!((10..=100).contains(percent));
                    }
                    What::ClockDrift { ppm, .. } => {
                        assert!((100..=200_000).contains(&ppm.unsigned_abs()));
                    }
                    other => panic!("a kind not allowed: {}", other.kind().label()),
                }
                if !kinds_seen.contains(&fault.what.kind()) {
                    kinds_seen.push(fault.what.kind());
                }
            }
        }
        assert_eq!(kinds_seen.len(), 3, "every allowed kind comes up");
        let all = Settings::default();
        let mut every = Vec::new();
        for index in 0..500 {
            for fault in draw(&all, index, 5, 1_000_000) {
                if !every.contains(&fault.what.kind()) {
                    every.push(fault.what.kind());
                }
            }
        }
        assert_eq!(every.len(), FAULT_KINDS.len());
    }

    #[test]
    fn spread_covers_its_range_both_ways() {
        let mut rng = SimRng::new(3);
        let draws: Vec<u64> = (0..4_000)
            .map(|_| spread(&mut rng, 100, 1_000_000))
            .collect();
        assert!(draws.iter().all(|d| (100..=1_000_000).contains(d)));
        let small = draws.iter().filter(|d| **d < 1_000).count();
        let large = draws.iter().filter(|d| **d > 500_000).count();
        assert!(small > 200, "log-uniform half reaches the low end: {small}");
        assert!(large > 500, "uniform half reaches the top: {large}");
    }
}
