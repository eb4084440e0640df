//! Progress through the course, kept on this device with no account: the lessons opened, each
//! prediction right the first time or after discussion, and the challenges won, with the fewest
//! faults and the machine's par. Stored in localStorage under a key of its own
//! ([`load`], [`save`]); exported and imported as a file (`faultline-progress.json`), checked like
//! a run file before anything of it is kept ([`from_json`]). Embeds neither read nor write it.
//!
//! One rule for everything that changes it: a record is *merged* in ([`Progress::merge`]).
//! Recording a lesson opened, a prediction or a win merges a record of one entry; importing a
//! file merges the file. So an import never loses what is on the device: a lesson once opened
//! stays opened, a challenge once won stays won, the best faults keep the fewest (and the par
//! the machine's fewest), and a first vote, once recorded, is never overwritten (the one after
//! discussion neither).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::share::{self, json_path, quoted, refusal, Source};

/// The `format` field of a progress file.
pub const PROGRESS_FORMAT: &str = "faultline-progress";
/// The `version` field of a progress file this version writes and reads.
pub const PROGRESS_VERSION: u32 = 1;
/// The largest progress file read, in bytes: as a run file.
pub const MAX_FILE_BYTES: usize = share::MAX_JSON_BYTES;
/// The most lessons, and the most challenges, a file may name that this version does not know
/// (a newer version's): kept as they are, so a round trip through an older version loses nothing.
pub const MAX_UNKNOWN: usize = 100;
/// The most characters of an id.
pub const MAX_ID_CHARS: usize = 40;
/// The most faults a win may count (a challenge allows at most as many as a hunt tries).
pub const MAX_WIN_FAULTS: u32 = crate::hunt::MAX_FAULTS;

/// Where a lesson stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Its scenario has been on stage.
    #[serde(default)]
    pub opened: bool,
    /// Whether the first vote ever cast on its question was right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_right: Option<bool>,
    /// Whether the first vote ever cast after discussing was right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_discussion_right: Option<bool>,
}

/// Where a challenge stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRecord {
    #[serde(default)]
    pub won: bool,
    /// The fewest faults it was won with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_faults: Option<u32>,
    /// The machine's par: the fewest faults the hunt needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub par: Option<u32>,
}

/// A person's progress: lessons by preset id, challenges by challenge id (in id order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub lessons: BTreeMap<String, Lesson>,
    pub challenges: BTreeMap<String, ChallengeRecord>,
}

/// The file: the progress with its format and version.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgressFile {
    format: String,
    version: u32,
    #[serde(default)]
    lessons: BTreeMap<String, Lesson>,
    #[serde(default)]
    challenges: BTreeMap<String, ChallengeRecord>,
}

/// Why a progress file was refused, in plain words naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressError(pub String);

impl std::fmt::Display for ProgressError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refused(text: String) -> ProgressError {
    ProgressError(text)
}

/// The smaller of two optional counts, or whichever there is.
fn fewest(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Lesson {
    fn merge(&mut self, other: &Lesson) {
        self.opened |= other.opened;
        // Recorded once, never overwritten.
        self.first_right = self.first_right.or(other.first_right);
        self.after_discussion_right = self.after_discussion_right.or(other.after_discussion_right);
    }

    /// Where the lesson stands, as a shape and words (never colour alone).
    pub fn status(lesson: Option<&Lesson>) -> (&'static str, &'static str) {
        let Some(lesson) = lesson else {
            return ("○", "Not started");
        };
        match (lesson.first_right, lesson.after_discussion_right) {
            (Some(true), _) => ("★", "Predicted right first time"),
            (_, Some(true)) => ("✓", "Right after discussion"),
            (Some(false), _) | (_, Some(false)) => ("△", "Predicted, not right yet"),
            _ if lesson.opened => ("◐", "Opened"),
            _ => ("○", "Not started"),
        }
    }
}

impl ChallengeRecord {
    fn merge(&mut self, other: &ChallengeRecord) {
        self.won |= other.won;
        self.best_faults = fewest(self.best_faults, other.best_faults);
        self.par = fewest(self.par, other.par);
    }

    /// Where the challenge stands, as a shape and words: "Challenge won with 2 faults
    /// (machine: 1)".
    pub fn status(record: Option<&ChallengeRecord>) -> (&'static str, String) {
        match record.filter(|r| r.won) {
            None => ("◇", "Not won yet".to_string()),
            Some(record) => {
                let mut words = "Challenge won".to_string();
                if let Some(best) = record.best_faults {
                    words = [&words, " with ", &crate::challenge::count(best, "fault")].concat();
                }
                if let Some(par) = record.par {
                    words = [&words, " (machine: ", &par.to_string(), ")"].concat();
                }
                ("◆", words)
            }
        }
    }
}

/// Whether `id` could be an id at all: 1 to [`MAX_ID_CHARS`] letters, digits, `-` or `_`.
fn plausible_id(id: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Progress {
    /// Merges `other` in (see the module's rules).
    pub fn merge(&mut self, other: &Progress) {
        for (id, lesson) in &other.lessons {
            self.lessons.entry(id.clone()).or_default().merge(lesson);
        }
        for (id, record) in &other.challenges {
            self.challenges.entry(id.clone()).or_default().merge(record);
        }
    }

    /// This progress with `other` merged in, if the whole still keeps the limits.
    pub fn merged(&self, other: &Progress) -> Result<Progress, ProgressError> {
        let mut merged = self.clone();
        merged.merge(other);
        merged.check()?;
        Ok(merged)
    }

    /// The lesson `id`'s scenario was on stage.
    pub fn open(&mut self, id: &str) {
        self.merge_lesson(
            id,
            Lesson {
                opened: true,
                ..Lesson::default()
            },
        );
    }

    /// A prediction on lesson `id`: whether the first vote was right, and the one after
    /// discussing (if the room discussed).
    pub fn predict(&mut self, id: &str, first_right: bool, second_right: Option<bool>) {
        self.merge_lesson(
            id,
            Lesson {
                opened: true,
                first_right: Some(first_right),
                after_discussion_right: second_right,
            },
        );
    }

    /// Challenge `id` won with `faults` faults, against the machine's `par`.
    pub fn win(&mut self, id: &str, faults: u32, par: Option<u32>) {
        let record = ChallengeRecord {
            won: true,
            best_faults: Some(faults),
            par,
        };
        self.challenges
            .entry(id.to_string())
            .or_default()
            .merge(&record);
    }

    fn merge_lesson(&mut self, id: &str, lesson: Lesson) {
        self.lessons
            .entry(id.to_string())
            .or_default()
            .merge(&lesson);
    }

    /// The limits every progress keeps: plausible ids, at most [`MAX_UNKNOWN`] unknown ones in
    /// each list, counts of faults a challenge can have, a best only for a challenge won.
    pub fn check(&self) -> Result<(), ProgressError> {
        let presets: Vec<&str> = crate::scenarios::TOPICS
            .iter()
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        let challenges: Vec<String> = crate::challenge::builtin()
            .into_iter()
            .map(|c| c.id)
            .collect();
        check_ids("lessons", self.lessons.keys(), |id| presets.contains(&id))?;
        check_ids("challenges", self.challenges.keys(), |id| {
            challenges.iter().any(|c| c == id)
        })?;
        for (id, record) in &self.challenges {
            for (field, count) in [("best_faults", record.best_faults), ("par", record.par)] {
                match count {
                    Some(n) if n > MAX_WIN_FAULTS => {
                        return Err(refused(format!(
                            "challenges.{id}.{field} is {n}: a challenge allows at most \
                             {MAX_WIN_FAULTS} faults"
                        )))
                    }
                    _ => {}
                }
            }
            if !record.won && record.best_faults.is_some() {
                return Err(refused(format!(
                    "challenges.{id}.best_faults is given for a challenge not won"
                )));
            }
        }
        Ok(())
    }

    /// How many of `ids` are opened, and how many challenges are won.
    pub fn summary(&self, ids: &[&str]) -> (usize, usize) {
        let opened = ids
            .iter()
            .filter(|id| self.lessons.get(**id).is_some_and(|l| l.opened))
            .count();
        let won = self.challenges.values().filter(|c| c.won).count();
        (opened, won)
    }
}

fn check_ids<'a>(
    list: &str,
    ids: impl Iterator<Item = &'a String>,
    known: impl Fn(&str) -> bool,
) -> Result<(), ProgressError> {
    let mut unknown = 0;
    for id in ids {
        if !plausible_id(id) {
            return Err(refused(format!(
                "{list} has an entry “{}”: an id is 1 to {MAX_ID_CHARS} letters, digits, \
                 “-” or “_”",
                quoted(id)
            )));
        }
        if !known(id) {
            unknown += 1;
        }
    }
    if unknown > MAX_UNKNOWN {
        return Err(refused(format!(
            "{list} names {unknown} this version does not know; at most {MAX_UNKNOWN} are kept"
        )));
    }
    Ok(())
}

/// The progress as a file (pretty JSON, with its format and version).
pub fn to_json(progress: &Progress) -> String {
    share::pretty_json(&ProgressFile {
        format: PROGRESS_FORMAT.to_string(),
        version: PROGRESS_VERSION,
        lessons: progress.lessons.clone(),
        challenges: progress.challenges.clone(),
    })
}

/// Reads a progress file: at most [`MAX_FILE_BYTES`], its format and version, every field, and
/// the limits of [`Progress::check`]. A refusal names the field in plain words.
pub fn from_json(text: &str) -> Result<Progress, ProgressError> {
    if text.trim().is_empty() {
        return Err(refused("the file is empty".to_string()));
    }
    if text.len() > MAX_FILE_BYTES {
        return Err(refused(format!(
            "the file is {} KB; a progress file is at most {} KB",
            text.len() / 1024,
            MAX_FILE_BYTES / 1024
        )));
    }
    let json = text.as_bytes();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let read = |error: serde_json::Error| {
        let path = json_path::at(json, error.line(), error.column(), error.classify());
        refused(refusal(Source::File, &path, &error))
    };
    let file = ProgressFile::deserialize(&mut deserializer).map_err(read)?;
    deserializer
        .end()
        .map_err(|error| refused(refusal(Source::File, "", &error)))?;
    if file.format != PROGRESS_FORMAT {
        return Err(refused(format!(
            "format is “{}”, not “{PROGRESS_FORMAT}”: this is not a progress file",
            quoted(&file.format)
        )));
    }
    if file.version != PROGRESS_VERSION {
        return Err(refused(format!(
            "version is {}: this version of Faultline reads version {PROGRESS_VERSION}",
            file.version
        )));
    }
    let progress = Progress {
        lessons: file.lessons,
        challenges: file.challenges,
    };
    progress.check()?;
    Ok(progress)
}

// ----- on this device -----

/// The localStorage key progress is kept under.
const KEY: &str = "faultline.progress";

/// The progress kept on this device; none if there is none, storage is refused, or what is
/// kept cannot be read (it is never trusted: it is checked as a file is).
pub fn load() -> Progress {
    super::autosave::storage()
        .and_then(|storage| storage.get_item(KEY).ok().flatten())
        .and_then(|text| from_json(&text).ok())
        .unwrap_or_default()
}

/// Keeps `progress` on this device; `false` if storage is full or refused (private mode).
pub fn save(progress: &Progress) -> bool {
    super::autosave::storage()
        .is_some_and(|storage| storage.set_item(KEY, &to_json(progress)).is_ok())
}

/// Forgets the progress kept on this device; `false` if storage is refused.
pub fn reset() -> bool {
    super::autosave::storage().is_some_and(|storage| storage.remove_item(KEY).is_ok())
}

/// Changes the kept progress and keeps it again if that changed anything within the limits.
fn record(change: impl FnOnce(&mut Progress)) {
    let before = load();
    let mut after = before.clone();
    change(&mut after);
    if after != before && after.check().is_ok() {
        save(&after);
    }
}

/// Records that lesson `id` (a preset) was opened.
pub fn lesson_opened(id: &str) {
    record(|p| p.open(id));
}

/// Records a prediction on lesson `id`: the first vote right or not, and the one after
/// discussion if there was one. Only the first of each is kept.
pub fn predicted(id: &str, first_right: bool, second_right: Option<bool>) {
    record(|p| p.predict(id, first_right, second_right));
}

/// Records challenge `id` won with `faults` faults, the machine's par being `par`.
pub fn challenge_won(id: &str, faults: u32, par: Option<u32>) {
    record(|p| p.win(id, faults, par));
}

/// Whether the votes were right against `answer`: the first, and the one after discussion if
/// there was one. (The verdict card's rule: a vote is right when it is the answer.)
pub fn votes_right(first: usize, second: Option<usize>, answer: usize) -> (bool, Option<bool>) {
    (first == answer, second.map(|second| second == answer))
}

/// What the app watches to record progress: the lesson on stage (a preset, not in an embed,
/// not a scenario of one's own), its fix, and the votes once a guided verdict is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watch {
    lesson: Option<String>,
    fix: bool,
    votes: Option<(usize, Option<usize>)>,
}

impl Watch {
    pub fn of(state: &super::state::AppState) -> Watch {
        let lesson = (!state.embed.enabled && state.custom.is_none())
            .then(|| state.scenario.clone())
            .filter(|id| {
                crate::scenarios::TOPICS
                    .iter()
                    .any(|(_, ids)| ids.contains(&id.as_str()))
            });
        let votes = match state.guide {
            super::state::Guide::Answered { first, second } if state.guided => {
                Some((first, second))
            }
            _ => None,
        };
        Watch {
            lesson,
            fix: state.fix,
            votes,
        }
    }

    /// Records what this moment says (each record is kept once).
    pub fn record(&self) {
        let Some(id) = self.lesson.as_deref() else {
            return;
        };
        match self.votes {
            Some((first, second)) => {
                let Some(scenario) = super::state::preset(id) else {
                    return;
                };
                let answer = scenario.with_fix(self.fix).question().answer;
                let (first, second) = votes_right(first, second, answer);
                predicted(id, first, second);
            }
            None => lesson_opened(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lesson(opened: bool, first: Option<bool>, second: Option<bool>) -> Lesson {
        Lesson {
            opened,
            first_right: first,
            after_discussion_right: second,
        }
    }

    #[test]
    fn a_progress_file_round_trips() {
        let mut progress = Progress::default();
        progress.open("split-brain");
        progress.predict("gc-pause-fencing", false, Some(true));
        progress.win("two-leaders", 2, Some(1));
        let json = to_json(&progress);
        assert!(json.starts_with("{\n  \"format\": \"faultline-progress\",\n  \"version\": 1,"));
        assert_eq!(from_json(&json), Ok(progress.clone()));
        // Fields left at their defaults may be left out.
        let minimal = r#"{"format": "faultline-progress", "version": 1}"#;
        assert_eq!(from_json(minimal), Ok(Progress::default()));
    }

    #[test]
    fn a_first_vote_is_recorded_once_and_never_overwritten() {
        let mut progress = Progress::default();
        progress.predict("split-brain", false, None);
        progress.predict("split-brain", true, Some(true));
        assert_eq!(
            progress.lessons["split-brain"],
            lesson(true, Some(false), Some(true))
        );
        progress.predict("split-brain", true, Some(false));
        assert_eq!(
            progress.lessons["split-brain"],
            lesson(true, Some(false), Some(true))
        );
        assert_eq!(
            Lesson::status(progress.lessons.get("split-brain")),
            ("✓", "Right after discussion")
        );
    }

    #[test]
    fn the_best_keeps_the_fewest_faults_and_a_win_stays_won() {
        let mut progress = Progress::default();
        progress.win("two-leaders", 3, Some(1));
        progress.win("two-leaders", 2, None);
        progress.win("two-leaders", 4, Some(2));
        let record = &progress.challenges["two-leaders"];
        assert_eq!(
            (record.won, record.best_faults, record.par),
            (true, Some(2), Some(1))
        );
        assert_eq!(
            ChallengeRecord::status(Some(record)),
            ("◆", "Challenge won with 2 faults (machine: 1)".to_string())
        );
        // Importing a file where it was not won takes nothing back.
        let mut other = Progress::default();
        other
            .challenges
            .insert("two-leaders".into(), ChallengeRecord::default());
        other.open("timeouts");
        let merged = progress.merged(&other).unwrap();
        assert_eq!(merged.challenges["two-leaders"], *record);
        assert!(merged.lessons["timeouts"].opened);
        assert_eq!(merged.summary(&["split-brain", "timeouts"]), (1, 1));
    }

    #[test]
    fn statuses_say_where_a_lesson_stands_in_words_and_a_shape() {
        assert_eq!(Lesson::status(None), ("○", "Not started"));
        let status = |l: Lesson| Lesson::status(Some(&l));
        assert_eq!(status(lesson(true, None, None)), ("◐", "Opened"));
        assert_eq!(
            status(lesson(true, Some(true), Some(false))),
            ("★", "Predicted right first time")
        );
        assert_eq!(
            status(lesson(true, Some(false), None)),
            ("△", "Predicted, not right yet")
        );
        assert_eq!(
            ChallengeRecord::status(None),
            ("◇", "Not won yet".to_string())
        );
    }

    /// A hostile or broken file is refused with the field named, in plain words.
    #[test]
    fn hostile_files_are_refused_by_field() {
        let refusal = |text: &str| from_json(text).unwrap_err().0;
        let file =
            |body: &str| format!(r#"{{"format": "faultline-progress", "version": 1, {body}}}"#);
        let cases: &[(String, &str)] = &[
            (String::new(), "the file is empty"),
            (
                r#"{"format": "faultline-progress", "vers"#.to_string(),
                "cut short or damaged",
            ),
            ("[1, 2]".to_string(), "should be"),
            (
                r#"{"format": "faultline-run", "version": 1}"#.to_string(),
                "format is “faultline-run”, not “faultline-progress”",
            ),
            (
                r#"{"format": "faultline-progress", "version": 2}"#.to_string(),
                "version is 2",
            ),
            (
                file(r#""lessons": {"split-brain": {"opened": "yes"}}"#),
                "lessons.split-brain.opened should be true or false",
            ),
            (
                file(r#""lessons": {"split-brain": {"first_right": 1}}"#),
                "lessons.split-brain.first_right",
            ),
            (
                file(r#""lessons": {"split-brain": {"opened": true, "score": 3}}"#),
                "no field “score”",
            ),
            (file(r#""badges": []"#), "no field “badges”"),
            (
                file(r#""challenges": {"two-leaders": {"won": true, "best_faults": -1}}"#),
                "challenges.two-leaders.best_faults",
            ),
            (
                file(r#""challenges": {"two-leaders": {"won": true, "best_faults": 99}}"#),
                "challenges.two-leaders.best_faults is 99: a challenge allows at most 20 faults",
            ),
            (
                file(r#""challenges": {"two-leaders": {"won": false, "best_faults": 1}}"#),
                "challenges.two-leaders.best_faults is given for a challenge not won",
            ),
            (
                file(r#""lessons": {"<script>alert(1)</script>": {"opened": true}}"#),
                "lessons has an entry “<script>alert(1)</script>”: an id is 1 to 40",
            ),
        ];
        for (text, wanted) in cases {
            let said = refusal(text);
            assert!(
                said.contains(wanted),
                "{text}: said “{said}”, wanted “{wanted}”"
            );
        }
        // Too many lessons this version does not know.
        let many: Vec<String> = (0..=MAX_UNKNOWN)
            .map(|i| format!(r#""future-{i}": {{"opened": true}}"#))
            .collect();
        let said = refusal(&file(&format!(r#""lessons": {{{}}}"#, many.join(","))));
        assert!(
            said.contains("lessons names 101 this version does not know"),
            "{said}"
        );
        // A file over the limit is refused before it is read.
        let huge = " ".repeat(MAX_FILE_BYTES) + "{}";
        assert!(refusal(&huge).contains("at most 1024 KB"));
        // A known number of unknown ids is kept as it is.
        let some: Vec<String> = (0..3)
            .map(|i| format!(r#""future-{i}": {{"opened": true}}"#))
            .collect();
        let kept = from_json(&file(&format!(r#""lessons": {{{}}}"#, some.join(",")))).unwrap();
        assert_eq!(kept.lessons.len(), 3);
    }

    #[test]
    fn a_merge_beyond_the_limits_is_refused_and_changes_nothing() {
        let unknown = |from: usize| {
            let mut p = Progress::default();
            for i in from..from + MAX_UNKNOWN {
                p.open(&format!("future-{i}"));
            }
            p
        };
        let (a, b) = (unknown(0), unknown(MAX_UNKNOWN));
        assert!(a.check().is_ok() && b.check().is_ok());
        assert!(a.merged(&b).unwrap_err().0.contains("lessons names 200"));
    }

    #[test]
    fn votes_are_judged_as_the_verdict_card_judges_them() {
        assert_eq!(votes_right(1, None, 1), (true, None));
        assert_eq!(votes_right(0, Some(1), 1), (false, Some(true)));
    }

    fn any_id() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(vec!["split-brain", "timeouts", "gc-pause-fencing"])
                .prop_map(str::to_string),
            "[a-z0-9_-]{1,40}",
        ]
    }

    fn any_progress() -> impl Strategy<Value = Progress> {
        let lesson = (any::<bool>(), any::<Option<bool>>(), any::<Option<bool>>())
            .prop_map(|(o, f, s)| lesson(o, f, s));
        let record = (
            any::<bool>(),
            0..=MAX_WIN_FAULTS,
            proptest::option::of(0..=MAX_WIN_FAULTS),
        )
            .prop_map(|(won, best, par)| ChallengeRecord {
                won,
                best_faults: won.then_some(best),
                par,
            });
        (
            proptest::collection::btree_map(any_id(), lesson, 0..12),
            proptest::collection::btree_map(any_id(), record, 0..12),
        )
            .prop_map(|(lessons, challenges)| Progress {
                lessons,
                challenges,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn progress_files_round_trip(progress in any_progress()) {
            prop_assert_eq!(progress.check(), Ok(()));
            prop_assert_eq!(from_json(&to_json(&progress)), Ok(progress));
        }

        #[test]
        fn merging_keeps_everything_and_is_idempotent(a in any_progress(), b in any_progress()) {
            let merged = a.merged(&b).unwrap();
            prop_assert_eq!(merged.merged(&b).unwrap(), merged.clone());
            for (id, lesson) in &a.lessons {
                let now = &merged.lessons[id];
                prop_assert!(now.opened >= lesson.opened);
                // What was recorded first stays.
                if lesson.first_right.is_some() {
                    prop_assert_eq!(now.first_right, lesson.first_right);
                }
            }
            for (id, record) in &b.challenges {
                let now = &merged.challenges[id];
                prop_assert!(now.won >= record.won);
                if let (Some(now), Some(then)) = (now.best_faults, record.best_faults) {
                    prop_assert!(now <= then);
                }
            }
        }
    }
}
