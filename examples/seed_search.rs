use faultline::detect::FindingKind;
fn main() {
    let base = faultline::scenarios::by_id(&std::env::args().nth(1).unwrap()).unwrap();
    let kind = base.shows.unwrap();
    let mut best = Vec::new();
    for seed in 1..200u64 {
        let mut s = base.clone();
        s.config.seed = seed;
        let broken = faultline::scenarios::run(&s).unwrap();
        let fixed = faultline::scenarios::run(&s.clone().with_fix(true)).unwrap();
        let Some(first) = broken
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.time)
            .min()
        else {
            continue;
        };
        if fixed.findings.iter().any(|f| f.kind == kind) {
            continue;
        }
        if let Some(cost) = s.fix_cost {
            if !fixed.findings.iter().any(|f| f.kind == cost) {
                continue;
            }
        }
        let suspicions = broken
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::FalseSuspicion)
            .count();
        best.push((first, suspicions, seed));
    }
    best.sort();
    for b in best.iter().take(5) {
        println!("{b:?}");
    }
}
