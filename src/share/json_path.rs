//! Where in a JSON text an error was found, as a path of fields and indices
//! (`run.cluster.link.latency_us`, `run.faults[0].command`): what a refusal names.
//!
//! serde_json says *where* it stopped (a line and a column) and *what* was wrong, but not in
//! which field. Tracking the field while deserializing (serde_path_to_error) wraps every
//! `Deserialize` of every type a link can hold — the whole scenario with its models and
//! scripts — and cost the bundle about 12 KB gzip. Instead the path is read off the text
//! afterwards: scan the JSON up to the error's position, keeping the stack of objects (with
//! the key being read) and arrays (with the index being read). The test
//! `tests/json_path.rs` checks that this names the same field as serde_path_to_error does, for
//! every malformed link and file of the fuzz corpus.

use serde_json::error::Category;

/// Where an object or an array is in reading its current member.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Member {
    /// Before the member's value (an object's key, or nothing yet).
    Before,
    /// Its value has begun and is not finished.
    Reading,
    /// Its value is finished.
    Read,
}

/// One level of nesting at the error: an object with the key last read, or an array with the
/// index of its element, and how far that member has got.
enum Level {
    Object(Option<String>, Member),
    Array(usize, Member),
}

/// The path of the value being read at 1-based `line` and `column` of `json` (serde_json's
/// position of an error: the bytes read so far on that line), as serde_path_to_error writes
/// it: keys joined by `.`, indices as `[i]`, and `.` for the whole text.
///
/// Which member counts depends on the error. serde reads a member's value and only then moves
/// on, so a value that is wrong (`data`: a wrong type or value, a missing or unknown field) is
/// the member just read, even once its text is finished; a text that is cut short or not JSON
/// (not `data`) is wrong in the member still being read, or else in its container.
pub fn at(json: &[u8], line: usize, column: usize, category: Category) -> String {
    let data = category == Category::Data;
    let start = json
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let end = (start + column).min(json.len());
    let mut levels: Vec<Level> = Vec::new();
    let mut at = 0;
    // Marks the innermost member's value as begun or finished.
    fn mark(levels: &mut [Level], member: Member) {
        if let Some(Level::Object(_, m) | Level::Array(_, m)) = levels.last_mut() {
            *m = member;
        }
    }
    while at < end {
        let byte = json[at];
        match byte {
            b'"' => {
                let (text, next) = string(json, at + 1);
                match levels.last_mut() {
                    // A string where an object expects a key is that key.
                    Some(Level::Object(key, Member::Before)) if key.is_none() => {
                        *key = Some(text);
                    }
                    _ => mark(
                        &mut levels,
                        if next <= end && json.get(next - 1) == Some(&b'"') {
                            Member::Read
                        } else {
                            Member::Reading
                        },
                    ),
                }
                at = next;
                continue;
            }
            b':' => mark(&mut levels, Member::Reading),
            b'{' | b'[' => {
                if let Some(Level::Array(_, m)) = levels.last_mut() {
                    *m = Member::Reading;
                }
                levels.push(if byte == b'{' {
                    Level::Object(None, Member::Before)
                } else {
                    Level::Array(0, Member::Before)
                });
            }
            b'}' | b']' => {
                levels.pop();
                mark(&mut levels, Member::Read);
            }
            b',' => match levels.last_mut() {
                Some(Level::Object(key, m)) => (*key, *m) = (None, Member::Before),
                Some(Level::Array(index, m)) => (*index, *m) = (*index + 1, Member::Before),
                None => {}
            },
            b if b.is_ascii_whitespace() => {}
            // A number or a literal: finished where it ends (or where the text does).
            _ => {
                let token = json[at..]
                    .iter()
                    .take_while(|b| !b" \t\r\n,:]}[{\"".contains(b))
                    .count();
                // A token the error stops at is where it went wrong (`NaN`, `1e999`, `nul`),
                // unless it is a whole value the text merely ended after.
                let whole = serde_json::from_slice::<serde_json::Value>(&json[at..at + token]);
                let wrong_here =
                    at + token >= end && (category == Category::Syntax || whole.is_err());
                // Where an object expects a key, a token is damage, not a value.
                let in_value = !matches!(levels.last(), Some(Level::Object(_, Member::Before)));
                if in_value {
                    mark(
                        &mut levels,
                        if wrong_here {
                            Member::Reading
                        } else {
                            Member::Read
                        },
                    );
                }
                at += token;
                continue;
            }
        }
        at += 1;
    }
    // serde looks at the next byte before it reads an array's element: one there begins it.
    if let Some(Level::Array(_, m @ Member::Before)) = levels.last_mut() {
        let next = json[end..].iter().find(|b| !b.is_ascii_whitespace());
        if next.is_some_and(|b| !matches!(b, b',' | b']')) {
            *m = Member::Reading;
        }
    }
    let counts = |member: Member| member == Member::Reading || (data && member == Member::Read);
    let mut path = String::new();
    for level in &levels {
        match level {
            Level::Object(Some(key), member) if counts(*member) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Array(index, member) if counts(*member) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The string starting after the quote at `from`, unescaped enough to name a key, and the
/// position after its closing quote (or the end of the text).
fn string(json: &[u8], from: usize) -> (String, usize) {
    let mut at = from;
    let mut bytes = Vec::new();
    while at < json.len() {
        match json[at] {
            b'"' => return (String::from_utf8_lossy(&bytes).into_owned(), at + 1),
            b'\\' => {
                if let Some(&escaped) = json.get(at + 1) {
                    bytes.push(escaped);
                }
                at += 2;
            }
            b => {
                bytes.push(b);
                at += 1;
            }
        }
    }
    (String::from_utf8_lossy(&bytes).into_owned(), at)
}

#[cfg(test)]
mod tests {
    use super::at;
    use serde_json::error::Category;

    #[test]
    fn names_the_field_and_index_being_read() {
        let json = br#"{"run":{"faults":[{"a":1},{"b":-5}],"seed":"x"}}"#;
        let column = |needle: &str| {
            let text = std::str::from_utf8(json).expect("text");
            text.find(needle).expect("in the text") + needle.len()
        };
        assert_eq!(at(json, 1, column("-5"), Category::Data), "run.faults[1].b");
        assert_eq!(at(json, 1, column(r#""x""#), Category::Data), "run.seed");
        assert_eq!(at(json, 1, 1, Category::Data), ".");
        let lines = b"{\n  \"run\": {\n    \"seed\": true\n  }\n}";
        assert_eq!(at(lines, 3, 16, Category::Data), "run.seed");
        // Cut short after a finished value: wrong in its container.
        assert_eq!(at(br#"{"run":{"seed":12"#, 1, 17, Category::Eof), "run");
        // Cut short inside a value: wrong in that value.
        assert_eq!(
            at(br#"{"run":{"name":"ab"#, 1, 18, Category::Eof),
            "run.name"
        );
    }
}
