//! The trace as JSON: every event, with clocks that agree with the live run, and the run it came
//! from, which opens again as a run file.
#![cfg(not(target_arch = "wasm32"))]

use faultline::scenarios;
use faultline::share::{from_json, Moment, SharedRun, TRACE_FORMAT};
use serde_json::Value;

#[test]
fn every_presets_trace_exports_every_event_with_its_clocks() {
    for preset in scenarios::all() {
        let mut live = scenarios::start(&preset).unwrap();
        live.run_to_end();
        let run = SharedRun {
            scenario: preset.id.clone(),
            fix: preset.fix_enabled,
            seed: preset.config.seed,
            faults: live.fault_log(),
            step: live.current_step(),
            moment: Moment::default(),
            cluster: None,
            resumes: Vec::new(),
            custom: None,
            hunt: None,
            compare: None,
            challenge: None,
        };
        let json: Value = serde_json::from_str(&faultline::share::session_trace_json(&live, &run))
            .expect("valid JSON");
        assert_eq!(json["format"], TRACE_FORMAT);
        assert_eq!(json["version"], 1);
        let nodes = json["nodes"].as_array().unwrap().len();
        assert_eq!(nodes, live.node_count() as usize, "{}", preset.id);
        let events = json["events"].as_array().unwrap();
        assert_eq!(events.len(), live.event_count(), "{}", preset.id);
        let mut last_time = 0;
        for (index, event) in events.iter().enumerate() {
            assert_eq!(event["id"].as_u64(), Some(index as u64));
            let time = event["time_us"].as_u64().unwrap();
            assert!(time >= last_time, "{}: time runs forward", preset.id);
            last_time = time;
            // Details count the causal past and future (linear each): check a sample.
            if index % (events.len() / 150 + 1) != 0 {
                continue;
            }
            let details = live.details(faultline::sim::EventId(index as u32)).unwrap();
            let clock: Vec<u32> = serde_json::from_value(event["vector_clock"].clone()).unwrap();
            assert_eq!(clock, details.vector_clock, "{} event {index}", preset.id);
            assert_eq!(event["lamport"].as_u64(), Some(u64::from(details.lamport)));
            assert_eq!(
                event["description"].as_str(),
                Some(details.description.as_str())
            );
            assert_eq!(
                event["node"].as_str(),
                Some(details.node.to_string().as_str())
            );
        }
        // The findings, in the order the inspector lists them (by true time).
        let found = json["findings"].as_array().unwrap();
        let listed = live.findings();
        assert_eq!(found.len(), listed.len(), "{}", preset.id);
        for (json, finding) in found.iter().zip(listed.iter()) {
            assert_eq!(json["kind"].as_str(), Some(finding.kind.label()));
            assert_eq!(json["time_us"].as_u64(), Some(finding.time));
            assert_eq!(json["summary"].as_str(), Some(finding.summary.as_str()));
        }
        let times: Vec<u64> = found
            .iter()
            .map(|f| f["time_us"].as_u64().unwrap())
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{}: {times:?}",
            preset.id
        );
        // The run inside opens as a run file and is the run exported.
        let file = format!(
            r#"{{"format":"faultline-run","version":1,"run":{}}}"#,
            json["run"]
        );
        assert_eq!(from_json(&file), Ok(run), "{}", preset.id);
    }
}
