//! Shrinking a failing schedule to the faults that matter. Greedy and deterministic: from the
//! smallest failing schedule so far, try simpler ones in a fixed order — drop a fault, shorten
//! one (halve its length), weaken one (halve its skew, drift or percentage), move one later
//! (halfway to the failure) — and keep the first that still breaks the same property; stop when
//! none does, or after [`super::MAX_SHRINK_TRIES`] tries.

use super::fault::Fault;
use crate::detect::FindingKind;
use crate::sim::Micros;

/// Lengths and moves shorter than this are not worth a try.
const SMALLEST_STEP_US: Micros = 1_000;

/// A shrink in progress.
#[derive(Clone, Debug)]
pub struct Shrinker {
    /// The smallest schedule found so far that breaks the property.
    pub best: Vec<Fault>,
    /// When the property broke in `best`.
    pub broke_at: Micros,
    pub kind: FindingKind,
    /// Simpler schedules still to try, next last.
    pending: Vec<Vec<Fault>>,
    pub tries: u32,
}

impl Shrinker {
    pub fn new(failing: Vec<Fault>, kind: FindingKind, broke_at: Micros) -> Shrinker {
        let mut shrinker = Shrinker {
            best: failing,
            broke_at,
            kind,
            pending: Vec::new(),
            tries: 0,
        };
        shrinker.pending = shrinker.candidates();
        shrinker
    }

    /// The next schedule to try, if any is left.
    pub fn next(&mut self) -> Option<Vec<Fault>> {
        self.pending.pop()
    }

    /// What trying `candidate` showed: if the same property broke (at `broke_at`), it becomes
    /// the best and the candidates start again from it.
    pub fn tried(&mut self, candidate: Vec<Fault>, broke: Option<(FindingKind, Micros)>) {
        self.tries += 1;
        if let Some((kind, at)) = broke {
            if kind == self.kind {
                self.best = candidate;
                self.broke_at = at;
                self.pending = self.candidates();
            }
        }
    }

    /// Simpler versions of `best`, the first to try last.
    fn candidates(&self) -> Vec<Vec<Fault>> {
        let best = &self.best;
        let mut out = Vec::new();
        // Fewer faults first.
        for i in 0..best.len() {
            let mut fewer = best.clone();
            fewer.remove(i);
            out.push(fewer);
        }
        for (i, fault) in best.iter().enumerate() {
            if let Some(length) = fault.what.length() {
                if length / 2 >= SMALLEST_STEP_US {
                    let mut shorter = best.clone();
                    *shorter[i].what.length_mut().expect("it has a length") = length / 2;
                    out.push(shorter);
                }
            }
        }
        for (i, fault) in best.iter().enumerate() {
            if let Some(weaker) = fault.what.weaker() {
                let mut softer = best.clone();
                softer[i].what = weaker;
                out.push(softer);
            }
        }
        for (i, fault) in best.iter().enumerate() {
            let gap = self.broke_at.saturating_sub(fault.at_us);
            if gap / 2 >= SMALLEST_STEP_US {
                let mut later = best.clone();
                later[i].at_us += gap / 2;
                out.push(later);
            }
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::What;
    use crate::sim::NodeId;

    fn pause(at_us: Micros, node: u8, for_us: Micros) -> Fault {
        Fault {
            at_us,
            what: What::Pause {
                node: NodeId(node),
                for_us,
            },
        }
    }

    /// Shrinks against a rule instead of a simulation: the property breaks when B is paused
    /// for at least 100 ms starting before 1 s; it "breaks" at 1 s.
    #[test]
    fn it_keeps_only_the_fault_that_matters_at_its_smallest() {
        let breaks = |faults: &[Fault]| {
            faults.iter().any(|f| {
                matches!(f.what, What::Pause { node: NodeId(1), for_us } if for_us >= 100_000)
                    && f.at_us < 1_000_000
            })
        };
        let failing = vec![
            pause(0, 0, 50_000),
            pause(200_000, 1, 900_000),
            pause(300_000, 2, 10_000),
        ];
        assert!(breaks(&failing));
        let mut shrinker = Shrinker::new(failing, FindingKind::SplitBrain, 1_000_000);
        while let Some(candidate) = shrinker.next() {
            let broke = breaks(&candidate).then_some((FindingKind::SplitBrain, 1_000_000));
            shrinker.tried(candidate, broke);
        }
        assert_eq!(shrinker.best.len(), 1);
        let Fault { at_us, what } = &shrinker.best[0];
        let What::Pause { node, for_us } = what else {
            panic!("still a pause")
        };
        assert_eq!(*node, NodeId(1));
        assert!(
            (100_000..200_000).contains(for_us),
            "halved while it broke: {for_us}"
        );
        assert!(
            *at_us > 900_000 && *at_us < 1_000_000,
            "moved later: {at_us}"
        );
    }

    #[test]
    fn a_different_property_breaking_is_not_progress() {
        let mut shrinker = Shrinker::new(
            vec![pause(0, 0, 50_000), pause(10, 1, 50_000)],
            FindingKind::SplitBrain,
            500_000,
        );
        let first = shrinker.next().unwrap();
        shrinker.tried(first, Some((FindingKind::AckedWriteLost, 1)));
        assert_eq!(shrinker.best.len(), 2);
        assert_eq!(shrinker.tries, 1);
    }
}
