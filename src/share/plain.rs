//! serde's refusals in plain words, in one place. serde and serde_json say what is wrong in a
//! programmer's terms ("invalid type: string \"x\", expected u64 at line 1 column 90"); the
//! people who open a link or a file, or drive an embed, read this instead: "run.seed should be a
//! whole number (0 or more), not the text “x”". serde writes its messages from a handful of fixed
//! templates (missing field, unknown field, unknown variant, invalid type, value or length) and
//! serde_json says whether the text was JSON at all ([`Category`]), so the translation goes by
//! category and by template, never by the whole message. Messages of Faultline's own (a
//! refusal that already says what is wrong in words) pass through, after the field they name.

use serde_json::error::Category;

/// What the refused text is, as a refusal names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The JSON inside a share link.
    Link,
    /// A saved run or scenario file.
    File,
    /// A postMessage command from a host page.
    Message,
}

/// serde_json's `error` while reading `source`, in plain words. `path` is where it was, as
/// serde_path_to_error writes it (`run.cluster.link.latency_us`, `faults[0]`; `?` where it
/// could not tell; empty or `.` at the top). (Built with `concat`, not `format!`: the bundle
/// carries this once, small.)
pub fn refusal(source: Source, path: &str, error: &serde_json::Error) -> String {
    let full = error.to_string();
    let (line, column) = (error.line().to_string(), error.column().to_string());
    // serde_json ends every message read from text with its position: " at line 1 column 90".
    let position = [" at line ", &line, " column ", &column].concat();
    let mut message = full.strip_suffix(&position).unwrap_or(&full);
    let mut place: Vec<&str> = path
        .split('.')
        .filter(|part| !part.is_empty() && *part != "?")
        .collect();
    // Decoders written by hand name the field they were reading before serde's words
    // ("params: missing field `lease_us`"): those names continue the path. A field marked
    // `params.*` held an object or a list, and serde's words are about it or something within
    // it: the rest is said "in" it ("in run.custom.model.params, lease_us is missing").
    let mut lead = String::new();
    while let Some((head, rest)) = message.split_once(": ") {
        if head.is_empty()
            || !head
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"_.[]*".contains(&c))
        {
            break;
        }
        message = rest;
        match head.strip_suffix(".*") {
            Some(head) => {
                place.push(head);
                lead = [&lead, "in ", &place.join("."), ", "].concat();
                place.clear();
            }
            None => place.push(head),
        }
    }
    // An index ("[2]") follows its list without a dot: `faults[2].command`.
    let place = place.iter().fold(String::new(), |mut joined, part| {
        if !joined.is_empty() && !part.starts_with('[') {
            joined.push('.');
        }
        joined.push_str(part);
        joined
    });
    let whole = match source {
        _ if !lead.is_empty() => "a value",
        Source::Link => "the link's data",
        Source::File => "the file",
        Source::Message => "the message",
    };
    let subject = if place.is_empty() { whole } else { &place };
    let position = (line.as_str(), column.as_str());
    [
        lead.as_str(),
        &said(source, error, &place, whole, subject, message, position),
    ]
    .concat()
}

/// What `refusal` says after any "in …," lead: `place` is the path (maybe empty), `whole` what
/// to call the top, `subject` the place or the top, and `(line, column)` where the text broke.
fn said(
    source: Source,
    error: &serde_json::Error,
    place: &str,
    whole: &str,
    subject: &str,
    message: &str,
    (line, column): (&str, &str),
) -> String {
    if error.classify() != Category::Data {
        // Not JSON at all, or cut short.
        let near = match (source, place.is_empty()) {
            (Source::File, true) => [" (look at line ", line, ", character ", column, ")"].concat(),
            (Source::File, false) => [
                " (look at line ",
                line,
                ", character ",
                column,
                ", in ",
                place,
                ")",
            ]
            .concat(),
            (Source::Link, false) => [" (near ", place, ")"].concat(),
            (Source::Link, true) => String::new(),
            (Source::Message, _) => [" at character ", column].concat(),
        };
        let what = match source {
            Source::Link => "the link's text is not Faultline data: it is cut short or damaged",
            Source::File => "the file is cut short or damaged, or it is not Faultline data",
            Source::Message => "its data is not JSON text: it is cut short or damaged",
        };
        return [what, &near].concat();
    }
    let tick = |rest: &str| quoted(rest.split_once('`').map_or(rest, |(name, _)| name));
    let field = |rest: &str, what: &str| match place {
        "" => [&tick(rest), what].concat(),
        place => [place, ".", &tick(rest), what].concat(),
    };
    if let Some(rest) = message.strip_prefix("missing field `") {
        return field(rest, " is missing");
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        return field(rest, " is given twice");
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // The path already ends in the unknown field: its owner is what lacks it.
        let name = rest.split_once('`').map_or(rest, |(name, _)| name);
        let owner = match place.strip_suffix(name).map(|o| o.trim_end_matches('.')) {
            Some("") => whole,
            Some(owner) => owner,
            None => subject,
        };
        let owner = match owner {
            // Within a field marked as holding an object: whichever object it was.
            "a value" => "there is".to_string(),
            owner => [owner, " has"].concat(),
        };
        let known = known(rest, false);
        let known = if known.is_empty() {
            known
        } else {
            ["; its fields are ", &known].concat()
        };
        return [&owner, " no field “", &tick(rest), "”", &known].concat();
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        // Values to write as they are: quoted, as the text they must be.
        let known = known(rest, true);
        let should = if known.is_empty() {
            " cannot be “".to_string()
        } else {
            [" should be one of ", &known, ", not “"].concat()
        };
        return [subject, &should, &tick(rest), "”"].concat();
    }
    for shape in ["invalid type: ", "invalid value: ", "invalid length "] {
        let Some(rest) = message.strip_prefix(shape) else {
            continue;
        };
        // serde's `Expected` never says ", expected ": the last one ends what was found.
        let Some((at, _)) = rest.match_indices(", expected ").last() else {
            continue;
        };
        let (found, wanted) = (&rest[..at], &rest[at + 11..]);
        let found = if shape == "invalid length " {
            let values = if found == "1" { " value" } else { " values" };
            ["a list of ", found, values].concat()
        } else {
            unexpected(found)
        };
        return [
            subject,
            " should be ",
            &expected(wanted, place),
            ", not ",
            &found,
        ]
        .concat();
    }
    // Faultline's own words (a hand-written decoder's refusal): already plain.
    match place {
        "" => message.to_string(),
        place => [place, ": ", message].concat(),
    }
}

/// The names serde lists after the unknown one ("expected one of `a`, `b`"), in words: "a, b
/// or c", each quoted as a value when `values` (empty when serde says there are none).
fn known(rest: &str, values: bool) -> String {
    // After the unknown name, what lies between names alternates with them: the names are the
    // parts at even places.
    let mut out = String::new();
    let parts: Vec<&str> = rest.split('`').collect();
    let last = (parts.len().saturating_sub(1)) / 2 * 2;
    for (index, name) in parts.iter().enumerate().skip(2).step_by(2) {
        if index > 2 {
            out.push_str(if index == last { " or " } else { ", " });
        }
        let quote = if values { "“" } else { "" };
        out.push_str(quote);
        out.push_str(name);
        out.push_str(if values { "”" } else { "" });
    }
    out
}

/// Text from outside, as quoted back: one line, at most 40 characters, no characters that read
/// as code.
pub fn quoted(text: &str) -> String {
    let mut chars = text
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '`' | '{' | '}' | '\\'));
    let mut clean: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        clean.push('…');
    }
    clean
}

/// serde's words for what it found or expected, and ours. One table, searched, rather than a
/// branch each: the bundle carries it small.
const WORDS: [(&str, &str); 14] = [
    // Found (serde's `Unexpected`).
    ("null", "null"),
    ("unit value", "null"),
    ("sequence", "a list"),
    ("map", "a set of named values"),
    ("a number", "a number"),
    // Expected (serde's `Expected`).
    ("f32", "a number"),
    ("f64", "a number"),
    ("a boolean", "true or false"),
    ("a string", "text in quotes"),
    ("a borrowed string", "text in quotes"),
    ("a character", "text in quotes"),
    ("a sequence", "a list"),
    ("a map", "a set of named values"),
    ("a command", "a command"),
];

/// `said` in our words, if the table has it.
fn word(said: &str) -> Option<&'static str> {
    WORDS
        .iter()
        .find(|(serde, _)| *serde == said)
        .map(|(_, ours)| *ours)
}

/// What serde found (its `Unexpected`), in words.
fn unexpected(found: &str) -> String {
    if let Some((kind, value)) = found.split_once(" `") {
        if matches!(kind, "integer" | "floating point" | "boolean" | "character") {
            return quoted(value.trim_end_matches('`'));
        }
    }
    if let Some(text) = found
        .strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'))
    {
        // Rust's escapes (`\n`, `\u{1b}`) are not words: such a text is not repeated.
        return match text.contains('\\') {
            true => "that text".into(),
            false => ["the text “", &quoted(text), "”"].concat(),
        };
    }
    word(found).unwrap_or("something else").into()
}

/// What serde expected (its `Expected`) at `place`, in words; a field in µs says so.
fn expected(wanted: &str, place: &str) -> String {
    let unit = if place.ends_with("_us") {
        " of microseconds"
    } else {
        ""
    };
    // Rust's integers: `u8` to `u64`, `usize`, `i32`, `i64`.
    let rest = wanted.get(1..).unwrap_or_default();
    if !rest.is_empty() && (rest == "size" || rest.bytes().all(|b| b.is_ascii_digit())) {
        let range = match (wanted.as_bytes()[0], rest) {
            (b'u', "8") => " from 0 to 255",
            (b'u', "16") => " from 0 to 65535",
            (b'u', "32") => " from 0 to 4294967295",
            (b'u', _) => " (0 or more)",
            (b'i', _) => "",
            // `f32`, `f64`: in the table.
            _ => return word(wanted).unwrap_or("a number").into(),
        };
        return ["a whole number", unit, range].concat();
    }
    if let Some(words) = word(wanted) {
        return words.into();
    }
    // Tuples and arrays ("a tuple of size 2", "an array of length 2"), structs, enums.
    if wanted.starts_with("a tuple") || wanted.starts_with("an array") {
        let n = wanted.rsplit_once(' ').map_or("", |(_, n)| n);
        return ["a list of ", n, " values"].concat();
    }
    if wanted.starts_with("struct") {
        "a set of named values"
    } else {
        "one of the names Faultline knows"
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(json: &str) -> String {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let error =
            serde_path_to_error::deserialize::<_, crate::scenarios::Cluster>(&mut deserializer)
                .unwrap_err();
        let path = error.path().to_string();
        refusal(Source::File, &path, error.inner())
    }

    #[test]
    fn serde_s_templates_read_as_words_naming_the_field() {
        let cluster = r#"{"nodes":3,"link":{"latency_us":LAT,"jitter_us":0,"loss":0,"duplication":0},"duration_us":1000000}"#;
        let with = |latency: &str| file(&cluster.replace("LAT", latency));
        assert_eq!(
            with("-5"),
            "link.latency_us should be a whole number of microseconds (0 or more), not -5"
        );
        assert_eq!(
            with("\"x\""),
            "link.latency_us should be a whole number of microseconds (0 or more), not the text “x”"
        );
        assert_eq!(
            with("null"),
            "link.latency_us should be a whole number of microseconds (0 or more), not null"
        );
        assert_eq!(
            file(r#"{"nodes":300}"#),
            "nodes should be a whole number from 0 to 255, not 300"
        );
        assert_eq!(file(r#"{"nodes":3}"#), "link is missing");
        assert_eq!(
            file(r#"{"nodes":3,"colour":1}"#),
            "the file has no field “colour”; its fields are nodes, link, clocks, duration_us or links"
        );
        assert_eq!(file(r#"{"nodes":3,"nodes":3}"#), "nodes is given twice");
        assert_eq!(
            file("[1]"),
            "the file should be a set of named values, not a list of 1 value"
        );
        assert_eq!(file("7"), "the file should be a set of named values, not 7");
        assert_eq!(
            file("{\"nodes\":3,"),
            "the file is cut short or damaged, or it is not Faultline data (look at line 1, \
             character 11)"
        );
        assert_eq!(
            file("{\"nodes\":3,\n\"link\":{\"latency_us\":1e999"),
            "the file is cut short or damaged, or it is not Faultline data (look at line 2, \
             character 26, in link.latency_us)"
        );
    }

    #[test]
    fn hand_written_decoders_continue_the_path() {
        use serde::de::Error as _;
        let inner = serde_json::Error::custom("params: missing field `lease_us`");
        assert_eq!(
            refusal(Source::Link, "custom.model", &inner),
            "custom.model.params.lease_us is missing"
        );
        let unknown = serde_json::Error::custom(format!(
            "kind: {}",
            serde_json::Error::unknown_variant("explode", &["pause", "crash", "flood"])
        ));
        assert_eq!(
            refusal(Source::Link, "faults[0].command", &unknown),
            "faults[0].command.kind should be one of “pause”, “crash” or “flood”, not “explode”"
        );
        // A field holding an object: the words are about it or something within it.
        let inside = crate::sim::in_field(
            "params",
            true,
            serde_json::Error::invalid_type(serde::de::Unexpected::Map, &"u64"),
        );
        assert_eq!(
            refusal(Source::File, "run.custom.model", &inside),
            "in run.custom.model.params, a value should be a whole number (0 or more), not a set \
             of named values"
        );
        let missing =
            crate::sim::in_field("params", true, serde_json::Error::missing_field("lease_us"));
        assert_eq!(
            refusal(Source::File, "run.custom.model", &missing),
            "in run.custom.model.params, lease_us is missing"
        );
        let op = serde_json::Error::custom(format!(
            "command: {}",
            crate::sim::in_field("op", true, serde_json::Error::missing_field("key"))
        ));
        assert_eq!(
            refusal(Source::Link, "faults[0]", &op),
            "in faults[0].command.op, key is missing"
        );
        let own = serde_json::Error::custom("a client operation needs a node");
        assert_eq!(
            refusal(Source::Message, "", &own),
            "a client operation needs a node"
        );
    }
}
