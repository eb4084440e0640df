//! ShiViz export: every preset's log parses with ShiViz's documented default regular
//! expression, and each host's own vector-clock entry rises by one per event.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use faultline::scenarios;

/// ShiViz's default log parsing regex (multi-line).
const SHIVIZ_DEFAULT: &str = r"(?m)(?<event>.*)\n(?<host>\S*) (?<clock>\{.*\})";

#[test]
fn every_presets_log_parses_and_each_hosts_clock_rises_by_one() {
    let pattern = regex::Regex::new(SHIVIZ_DEFAULT).unwrap();
    for preset in scenarios::all() {
        let mut live = scenarios::start(&preset).unwrap();
        live.run_to_end();
        let log = faultline::share::shiviz_log(live.words(), live.names());
        let lines = log.lines().count();
        assert!(
            lines >= 2 && lines % 2 == 0,
            "{}: pairs of lines",
            preset.id
        );
        let mut own: BTreeMap<String, u64> = BTreeMap::new();
        let mut matched = 0;
        for capture in pattern.captures_iter(&log) {
            matched += 1;
            let host = capture["host"].to_string();
            let clock: BTreeMap<String, u64> =
                serde_json::from_str(&capture["clock"]).expect("the clock is JSON");
            let previous = own.get(&host).copied().unwrap_or(0);
            assert_eq!(
                clock.get(&host).copied(),
                Some(previous + 1),
                "{}: {host}'s own entry rises by one at {:?}",
                preset.id,
                &capture["event"]
            );
            own.insert(host, previous + 1);
        }
        assert_eq!(matched * 2, lines, "{}: every event matches", preset.id);
    }
}
