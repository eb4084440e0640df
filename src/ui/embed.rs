//! Embed mode for iframes in blog posts and slides: `?embed=1` shows only the canvases and the
//! playback controls. The same options may ride in the fragment instead, after the run if there
//! is one (`#v1.<run>&embed=1&autoplay=1`, or `#embed=1&scenario=split-brain`), for hosts that
//! strip query strings. Options: `scenario=<id>`, `fix=1|0` (the scenario's fix on or off),
//! `step=<n>`, `autoplay=1`, `speed=<events per second>` (1 to 100000, as the Play command's),
//! `theme=light|dark|auto` (`auto`, like none, follows the reader's system),
//! `panels=narration,inspector` (panels to keep), `origin=<https://host>` (the only page allowed
//! to drive it by postMessage, and the only one told its events). Options that are not
//! understood are ignored and listed as [`OptionProblem`]s, which the page shows and logs.

// Text from the address is quoted back as `quoted` says: one line, cut short, no code.
use crate::share::quoted;

/// An option in the address that was not understood and is ignored: said to the page's author
/// (a notice in the embed and a console warning), since the embed opens anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionProblem {
    /// An option this version does not have (`scenaro=…`).
    Unknown { option: String },
    /// A known option with a value it cannot take (`step=-3`, `theme=blue`).
    BadValue {
        option: &'static str,
        value: String,
        expected: &'static str,
    },
    /// `scenario=` names no preset.
    UnknownScenario {
        id: String,
        /// The preset id it most likely meant, if one is close.
        meant: Option<String>,
    },
}

impl std::fmt::Display for OptionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionProblem::Unknown { option } => {
                write!(f, "there is no option “{}” (ignored)", quoted(option))
            }
            OptionProblem::BadValue {
                option,
                value,
                expected,
            } => write!(
                f,
                "{option}=“{}” is not understood: {expected} (ignored)",
                quoted(value)
            ),
            OptionProblem::UnknownScenario { id, meant } => {
                write!(f, "there is no scenario “{}”", quoted(id))?;
                if let Some(meant) = meant {
                    write!(f, " (did you mean “{meant}”?)")?;
                }
                Ok(())
            }
        }
    }
}

/// The fastest `speed=` an address may ask for (events per second); beyond the app's fastest
/// finite speed it plays as fast as possible.
pub const MAX_SPEED: u32 = 100_000;

/// What the page's query string asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    pub enabled: bool,
    pub scenario: Option<String>,
    /// The scenario's fix on or off (`fix=1|0`); as the page's default when absent.
    pub fix: Option<bool>,
    /// Open in guided mode (`guided=1`): the link a lecture shows its students.
    pub guided: bool,
    /// Open the course page (`course=1`; not in an embed).
    pub course: bool,
    pub step: Option<u64>,
    pub autoplay: bool,
    /// Playback speed in events per second (`speed=`, 1 to [`MAX_SPEED`]).
    pub speed: Option<u32>,
    /// The run's seed (`seed=`, a whole number); the scenario's own when absent.
    pub seed: Option<u64>,
    /// "light" or "dark" (`auto` follows the system, as none does); anything else is ignored.
    pub theme: Option<String>,
    pub narration: bool,
    pub inspector: bool,
    /// The origin allowed to send commands (`https://example.org`); any origin when absent.
    pub origin: Option<String>,
    /// A built-in challenge to play (`challenge=two-leaders`); a teacher's own rides in a
    /// share link's run.
    pub challenge: Option<String>,
    /// What was not understood, in the order written.
    pub problems: Vec<OptionProblem>,
}

impl EmbedOptions {
    /// Reads a query string such as `?embed=1&scenario=split-brain&autoplay=1`. Unknown keys
    /// and malformed values are ignored and listed in `problems`: an embed never fails to load
    /// over a typo, and its author learns of it. (Whether `scenario` names a preset is known
    /// only to the page: see [`EmbedOptions::check_scenario`].)
    pub fn from_query(query: &str) -> EmbedOptions {
        let mut options = EmbedOptions::default();
        for pair in query.trim_start_matches('?').split('&') {
            if pair.is_empty() {
                continue;
            }
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
            let value = decoded.as_ref();
            let mut bad = |option: &'static str, expected: &'static str| {
                options.problems.push(OptionProblem::BadValue {
                    option,
                    value: value.to_string(),
                    expected,
                })
            };
            match key {
                "embed" | "autoplay" | "guided" | "fix" | "course" => match (flag(value), key) {
                    (Some(on), "embed") => options.enabled = on,
                    (Some(on), "course") => options.course = on,
                    (Some(on), "autoplay") => options.autoplay = on,
                    (Some(on), "fix") => options.fix = Some(on),
                    (Some(on), _) => options.guided = on,
                    (None, "embed") => bad("embed", "use 1 or 0"),
                    (None, "autoplay") => bad("autoplay", "use 1 or 0"),
                    (None, "fix") => bad("fix", "use 1 or 0"),
                    (None, "course") => bad("course", "use 1 or 0"),
                    (None, _) => bad("guided", "use 1 or 0"),
                },
                "speed" => match value.parse() {
                    Ok(speed @ 1..=MAX_SPEED) => options.speed = Some(speed),
                    _ => bad(
                        "speed",
                        "a speed is events per second, a whole number from 1 to 100000",
                    ),
                },
                "scenario" => options.scenario = Some(value.to_string()),
                "challenge" => match crate::challenge::by_id(value) {
                    Some(_) => options.challenge = Some(value.to_string()),
                    None => bad(
                        "challenge",
                        "a built-in challenge's id, such as two-leaders (a challenge of one's own rides in a share link)",
                    ),
                },
                "seed" => match value.parse() {
                    Ok(seed) => options.seed = Some(seed),
                    Err(_) => bad("seed", "a seed is a whole number, 0 or more"),
                },
                "step" => match value.parse() {
                    Ok(step) => options.step = Some(step),
                    Err(_) => bad("step", "a step is a whole number, 0 or more"),
                },
                "theme" => match value {
                    "light" | "dark" => options.theme = Some(value.to_string()),
                    "auto" => options.theme = None,
                    _ => bad("theme", "use light, dark or auto"),
                },
                "origin" => match origin(raw) {
                    Some(origin) => options.origin = Some(origin),
                    None => bad(
                        "origin",
                        "an origin is a scheme and a host, like https://blog.example.org",
                    ),
                },
                "panels" => {
                    for panel in value.split(',').filter(|p| !p.is_empty()) {
                        match panel {
                            "narration" => options.narration = true,
                            "inspector" => options.inspector = true,
                            _ => options.problems.push(OptionProblem::BadValue {
                                option: "panels",
                                value: panel.to_string(),
                                expected: "the panels are narration and inspector",
                            }),
                        }
                    }
                }
                _ => options.problems.push(OptionProblem::Unknown {
                    option: percent_encoding::percent_decode_str(key)
                        .decode_utf8_lossy()
                        .into_owned(),
                }),
            }
        }
        options
    }

    /// Checks `scenario=` against the ids that exist: an unknown one is dropped and listed in
    /// `problems`, with the closest id if one is close enough to be a typo.
    pub fn check_scenario(&mut self, ids: &[&str]) {
        let Some(id) = self.scenario.take_if(|id| !ids.contains(&id.as_str())) else {
            return;
        };
        let meant = ids
            .iter()
            .map(|known| (edit_distance(&id.to_ascii_lowercase(), known), *known))
            .filter(|&(distance, known)| distance <= known.len() / 3 + 1)
            .min()
            .map(|(_, known)| known.to_string());
        // The mistake that changes what the reader sees comes first.
        self.problems
            .insert(0, OptionProblem::UnknownScenario { id, meant });
    }

    /// One sentence on everything not understood, for the page (`None` when all was fine).
    pub fn notice(&self, showing: &str, ids: &[&str]) -> Option<String> {
        if self.problems.is_empty() {
            return None;
        }
        let problems: Vec<String> = self.problems.iter().map(|p| p.to_string()).collect();
        let what = if problems.len() == 1 {
            "a mistake"
        } else {
            "mistakes"
        };
        let mut text = format!("This page's address has {what}: {}.", problems.join("; "));
        if self
            .problems
            .iter()
            .any(|p| matches!(p, OptionProblem::UnknownScenario { .. }))
        {
            text.push_str(&format!(
                " Showing “{showing}” instead. Known scenarios: {}.",
                ids.join(", ")
            ));
        }
        Some(text)
    }
}

/// `1`, `true`, `yes` are on; `0`, `false`, `no` are off; anything else is a mistake.
fn flag(value: &str) -> Option<bool> {
    match value {
        "1" | "true" | "yes" | "" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// Levenshtein distance, by characters: how many edits turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Splits a fragment into the shared run (`v1.…`, or empty) and the embed options after it.
/// A run never contains `&` or `=` (base64url without padding), so the split is unambiguous.
pub fn split_fragment(fragment: &str) -> (&str, &str) {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let (first, rest) = fragment.split_once('&').unwrap_or((fragment, ""));
    if first.contains('=') {
        ("", fragment)
    } else {
        (first, rest)
    }
}

impl EmbedOptions {
    /// The options of a page: its query string, then any options in its fragment (which win).
    pub fn from_location(query: &str, fragment: &str) -> EmbedOptions {
        let (_, options) = split_fragment(fragment);
        EmbedOptions::from_query(&format!("{}&{options}", query.trim_start_matches('?')))
    }
}

/// An origin as given (percent-encoded or not): scheme, host and optional port, nothing else.
fn origin(value: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?
        .trim_end_matches('/')
        .to_string();
    let (scheme, host) = decoded.split_once("://")?;
    let plausible = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plausible.then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_options_read_from_the_query_and_ignore_nonsense() {
        let options = EmbedOptions::from_query(
            "?embed=1&scenario=split-brain&step=40&autoplay=true&theme=dark&panels=narration,bogus&guided=1",
        );
        assert_eq!(
            options,
            EmbedOptions {
                enabled: true,
                scenario: Some("split-brain".into()),
                challenge: None,
                fix: None,
                guided: true,
                course: false,
                step: Some(40),
                autoplay: true,
                speed: None,
                seed: None,
                theme: Some("dark".into()),
                narration: true,
                inspector: false,
                origin: None,
                problems: vec![OptionProblem::BadValue {
                    option: "panels",
                    value: "bogus".into(),
                    expected: "the panels are narration and inspector",
                }],
            }
        );
        let origin = |q: &str| EmbedOptions::from_query(q).origin;
        assert_eq!(
            origin("?origin=https%3A%2F%2Fblog.example.org%2F").as_deref(),
            Some("https://blog.example.org")
        );
        assert_eq!(
            origin("?origin=http://localhost:8123").as_deref(),
            Some("http://localhost:8123")
        );
        assert_eq!(origin("?origin=javascript:alert(1)"), None);
        assert_eq!(origin("?origin=https://a.org/path"), None);
        assert_eq!(origin("?origin=*"), None);
        assert_eq!(
            split_fragment("#v1.abc-_9&embed=1&step=4"),
            ("v1.abc-_9", "embed=1&step=4")
        );
        assert_eq!(
            split_fragment("#embed=1&scenario=x"),
            ("", "embed=1&scenario=x")
        );
        assert_eq!(split_fragment("v1.abc"), ("v1.abc", ""));
        let both =
            EmbedOptions::from_location("?embed=1&theme=light", "#v1.abc&theme=dark&autoplay=1");
        assert!(both.enabled && both.autoplay);
        assert_eq!(both.theme.as_deref(), Some("dark"), "the fragment wins");
        let junk = EmbedOptions::from_query("?embed=maybe&step=-3&theme=<b>&x=%ZZ&&=");
        assert_eq!(
            EmbedOptions {
                problems: Vec::new(),
                ..junk.clone()
            },
            EmbedOptions::default(),
            "nonsense changes nothing"
        );
        let said: Vec<String> = junk.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            said,
            [
                "embed=“maybe” is not understood: use 1 or 0 (ignored)",
                "step=“-3” is not understood: a step is a whole number, 0 or more (ignored)",
                "theme=“<b>” is not understood: use light, dark or auto (ignored)",
                "there is no option “x” (ignored)",
                "there is no option “” (ignored)",
            ]
        );
    }

    #[test]
    fn speed_fix_and_an_automatic_theme_are_read_and_checked() {
        let options = EmbedOptions::from_query("?embed=1&speed=500&fix=1&theme=auto");
        assert_eq!(
            (options.speed, options.fix, options.theme, options.problems),
            (Some(500), Some(true), None, Vec::new())
        );
        assert_eq!(EmbedOptions::from_query("?fix=0").fix, Some(false));
        assert_eq!(EmbedOptions::from_query("?speed=1").speed, Some(1));
        assert_eq!(
            EmbedOptions::from_query("?speed=100000").speed,
            Some(100_000)
        );
        // `auto` in the fragment overrides a theme in the query: the system's wins.
        assert_eq!(
            EmbedOptions::from_location("?theme=dark", "#embed=1&theme=auto").theme,
            None
        );
        let junk = EmbedOptions::from_query("?speed=0&speed=100001&speed=fast&speed=2.5&fix=on");
        assert_eq!(
            (junk.speed, junk.fix),
            (None, None),
            "nonsense changes nothing"
        );
        let said: Vec<String> = junk.problems.iter().map(|p| p.to_string()).collect();
        let speed = "is not understood: a speed is events per second, a whole number from 1 \
                     to 100000 (ignored)";
        assert_eq!(
            said,
            [
                format!("speed=“0” {speed}"),
                format!("speed=“100001” {speed}"),
                format!("speed=“fast” {speed}"),
                format!("speed=“2.5” {speed}"),
                "fix=“on” is not understood: use 1 or 0 (ignored)".to_string(),
            ]
        );
    }

    #[test]
    fn a_misspelt_scenario_is_named_with_the_closest_id_and_the_known_ones() {
        let ids = ["split-brain", "seat-12a", "lww-clock-skew"];
        let mut options = EmbedOptions::from_query("?embed=1&scenario=splitbrain&theme=blue");
        options.check_scenario(&ids);
        assert_eq!(options.scenario, None, "an unknown id is not used");
        let notice = options.notice("Two leaders", &ids).unwrap();
        assert_eq!(
            notice,
            "This page's address has mistakes: there is no scenario “splitbrain” (did you mean \
             “split-brain”?); theme=“blue” is not understood: use light, dark or auto (ignored). \
             Showing “Two leaders” instead. Known scenarios: split-brain, seat-12a, lww-clock-skew."
        );
        let mut far = EmbedOptions::from_query("?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        far.check_scenario(&ids);
        let notice = far.notice("Two leaders", &ids).unwrap();
        assert!(
            notice.contains("no scenario “<script>alert(1)</script>”;")
                || notice.contains("no scenario “<script>alert(1)</script>”."),
            "quoted as text, with no guess: {notice}"
        );
        let long = "x".repeat(500);
        let mut cut = EmbedOptions::from_query(&format!("?scenario={long}"));
        cut.check_scenario(&ids);
        assert!(cut
            .notice("Two leaders", &ids)
            .unwrap()
            .contains(&format!("“{}…”", "x".repeat(40))));
        let mut fine = EmbedOptions::from_query("?embed=1&scenario=seat-12a&step=4&panels=");
        fine.check_scenario(&ids);
        assert_eq!(fine.scenario.as_deref(), Some("seat-12a"));
        assert_eq!(fine.notice("Seat 12A", &ids), None);
        assert_eq!(edit_distance("splitbrain", "split-brain"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
