//! A refusal names the field at fault by reading the path off the JSON text at serde_json's
//! error position (`share::json_path`), not by tracking it while deserializing (which cost the
//! bundle about 12 KB gzip). This checks the two agree over the fuzz corpus's malformed links,
//! run files and scenario files: where a value is wrong (a wrong type or value, a missing or
//! unknown field), the refusal a person reads is word for word the one serde_path_to_error's
//! path gives; where the text is damaged (not JSON, or cut short), which is refused "near" a
//! place, the place read off the text is the tracked one, its container or a member of it.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fuzz.rs"]
mod fuzz;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use faultline::share::{self, json_path, SharedRun};
use faultline::sim::SimRng;
use fuzz::Decoder;
use serde::Deserialize;

/// A saved run file, as `share` reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RunFile {
    format: String,
    version: u32,
    run: SharedRun,
}

/// The JSON a case hands to the deserializer, if it gets that far.
fn json_of(case: &fuzz::Case) -> Option<Vec<u8>> {
    match case.decoder {
        Decoder::Link => {
            let fragment = case.input.strip_prefix('#').unwrap_or(&case.input).trim();
            let (_, data) = fragment.split_once('.')?;
            let packed = URL_SAFE_NO_PAD.decode(data).ok()?;
            miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, 1 << 20).ok()
        }
        Decoder::RunFile | Decoder::ScenarioFile => Some(case.input.clone().into_bytes()),
        _ => None,
    }
}

fn compare<T: serde::de::DeserializeOwned>(json: &[u8]) -> Option<(String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let error = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err()?;
    let inner = error.inner();
    let read = json_path::at(json, inner.line(), inner.column(), inner.classify());
    let tracked = error.path().to_string();
    // Damaged text (not JSON, or cut short) is refused "near" a place: there, the place read
    // off the text may be the tracked one's container or a member of it.
    if inner.classify() != serde_json::error::Category::Data {
        let (a, b) = (tracked.replace(".?", ""), read.clone());
        let near = a == b || a.starts_with(&b) || b.starts_with(&a) || a == "?" || b == ".";
        return (!near).then_some((tracked, read));
    }
    // What a person reads: the refusal naming the field.
    let said = |path: &str| share::refusal(share::Source::Link, path, inner);
    let (tracked, read) = (said(&tracked), said(&read));
    (tracked != read).then_some((tracked, read))
}

#[test]
fn the_path_read_off_the_text_is_the_field_serde_was_reading() {
    let mut rng = SimRng::new(2026);
    let (mut checked, mut wrong) = (0, Vec::new());
    for _ in 0..20_000 {
        let case = fuzz::case(&mut rng);
        let Some(json) = json_of(&case) else {
            continue;
        };
        let differs = match case.decoder {
            Decoder::Link => compare::<SharedRun>(&json),
            _ => compare::<RunFile>(&json),
        };
        checked += 1;
        if let Some((tracked, read)) = differs {
            wrong.push(format!(
                "{tracked:?} tracked, {read:?} read off the text: {}",
                String::from_utf8_lossy(&json)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ));
        }
    }
    assert!(checked > 5_000, "only {checked} malformed texts");
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(5000)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
