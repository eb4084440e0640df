fn main() {
    let id = std::env::args().nth(1).expect("preset id");
    let fixed = std::env::args().nth(2).is_some();
    let scenario = faultline::scenarios::by_id(&id)
        .expect("known preset")
        .with_fix(fixed);
    let outcome = faultline::scenarios::run(&scenario).expect("runs");
    print!("{}", outcome.text);
    for finding in &outcome.findings {
        println!(
            "{:?} {:?} {}",
            finding.kind, finding.events, finding.summary
        );
    }
}
