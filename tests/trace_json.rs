//! The trace as JSON: every event, with clocks that agree with the live run, and the run it came
//! from, which opens again as a run file.
#![cfg(not(target_arch = "wasm32"))]

use faultline::scenarios;
use faultline::share::{from_json, SharedRun, TRACE_FORMAT};
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
            cluster: None,
            resumes: Vec::new(),
            custom: None,
        };
        let json: Value = serde_json::from_str(&live.trace_json(&run)).expect("valid JSON");
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
        // The run inside opens as a run file and is the run exported.
        let file = format!(
            r#"{{"format":"faultline-run","version":1,"run":{}}}"#,
            json["run"]
        );
        assert_eq!(from_json(&file), Ok(run), "{}", preset.id);
    }
}
