//! Run files and trace files are written compactly and then indented (`share::indent`), so each
//! type's serialiser is in the bundle once: the result must be exactly serde_json's pretty form.
#![cfg(not(target_arch = "wasm32"))]

use faultline::share::indent;
use proptest::prelude::*;
use serde_json::{json, Value};

fn same_as_serde(value: &Value) {
    let compact = serde_json::to_string(value).expect("compact");
    let pretty = serde_json::to_string_pretty(value).expect("pretty");
    assert_eq!(indent(&compact), pretty, "for {compact}");
}

#[test]
fn strings_that_look_like_structure_are_left_alone() {
    same_as_serde(&json!({
        "braces": "{[,:]}",
        "quote": "say \"hi\", then: {go}",
        "backslash at the end\\": "\\",
        "unicode": "µs — “quoted” ✓",
        "control": "line\nbreak\ttab",
        "empty": {"object": {}, "array": [], "string": ""},
        "nested": [[[]], [{}], [1, [2, [3]]]],
        "numbers": [0, -1, 1.5, 1e300, 18446744073709551615u64],
        "flags": [true, false, null]
    }));
}

fn values() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[ -~]{0,12}".prop_map(Value::String),
        "[\"\\\\{}\\[\\],:]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z\",:{]{0,5}", inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_json_is_indented_as_serde_would(value in values()) {
        same_as_serde(&value);
    }
}
