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

use serde_json::{Map, Value};

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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lesson {
    /// Its scenario has been on stage.
    pub opened: bool,
    /// Whether the first vote ever cast on its question was right.
    pub first_right: Option<bool>,
    /// Whether the first vote ever cast after discussing was right.
    pub after_discussion_right: Option<bool>,
}

/// Where a challenge stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChallengeRecord {
    pub won: bool,
    /// The fewest faults it was won with.
    pub best_faults: Option<u32>,
    /// The machine's par: the fewest faults the hunt needed.
    pub par: Option<u32>,
}

/// A person's progress: lessons by preset id, challenges by challenge id, each list in id
/// order. (Lists, not maps: the bundle carries less code for them.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub lessons: Vec<(String, Lesson)>,
    pub challenges: Vec<(String, ChallengeRecord)>,
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

/// The entry `id` of a list kept in id order, made if it is not there.
fn slot<'a, T: Default>(list: &'a mut Vec<(String, T)>, id: &str) -> &'a mut T {
    let at = match list.binary_search_by(|(other, _)| other.as_str().cmp(id)) {
        Ok(at) => at,
        Err(at) => {
            list.insert(at, (id.to_string(), T::default()));
            at
        }
    };
    &mut list[at].1
}

/// The entry `id` of a list kept in id order.
fn find<'a, T>(list: &'a [(String, T)], id: &str) -> Option<&'a T> {
    list.binary_search_by(|(other, _)| other.as_str().cmp(id))
        .ok()
        .map(|at| &list[at].1)
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
    /// Lesson `id`, if anything is recorded of it.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        find(&self.lessons, id)
    }

    /// Challenge `id`, if anything is recorded of it.
    pub fn challenge(&self, id: &str) -> Option<&ChallengeRecord> {
        find(&self.challenges, id)
    }

    /// Merges `other` in (see the module's rules).
    pub fn merge(&mut self, other: &Progress) {
        for (id, lesson) in &other.lessons {
            slot(&mut self.lessons, id).merge(lesson);
        }
        for (id, record) in &other.challenges {
            slot(&mut self.challenges, id).merge(record);
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
        slot(&mut self.lessons, id).opened = true;
    }

    /// A prediction on lesson `id`: whether the first vote was right, and the one after
    /// discussing (if the room discussed).
    pub fn predict(&mut self, id: &str, first_right: bool, second_right: Option<bool>) {
        slot(&mut self.lessons, id).merge(&Lesson {
            opened: true,
            first_right: Some(first_right),
            after_discussion_right: second_right,
        });
    }

    /// Challenge `id` won with `faults` faults, against the machine's `par`.
    pub fn win(&mut self, id: &str, faults: u32, par: Option<u32>) {
        slot(&mut self.challenges, id).merge(&ChallengeRecord {
            won: true,
            best_faults: Some(faults),
            par,
        });
    }

    /// The limits every progress keeps: plausible ids, at most [`MAX_UNKNOWN`] unknown ones in
    /// each list, counts of faults a challenge can have, a best only for a challenge won.
    pub fn check(&self) -> Result<(), ProgressError> {
        let builtin = crate::challenge::builtin();
        let mut unknown = [0, 0];
        for (id, _) in &self.lessons {
            check_id("lessons", id)?;
            if !crate::scenarios::TOPICS
                .iter()
                .any(|(_, ids)| ids.contains(&id.as_str()))
            {
                unknown[0] += 1;
            }
        }
        for (id, record) in &self.challenges {
            check_id("challenges", id)?;
            if !builtin.iter().any(|c| c.id == *id) {
                unknown[1] += 1;
            }
            let at = ["challenges.", id, "."].concat();
            for (field, count) in [("best_faults", record.best_faults), ("par", record.par)] {
                if let Some(n) = count.filter(|&n| n > MAX_WIN_FAULTS) {
                    return Err(refused(
                        [
                            &at,
                            field,
                            " is ",
                            &n.to_string(),
                            ": a challenge allows at most ",
                            &MAX_WIN_FAULTS.to_string(),
                            " faults",
                        ]
                        .concat(),
                    ));
                }
            }
            if !record.won && record.best_faults.is_some() {
                return Err(refused(
                    [&at, "best_faults is given for a challenge not won"].concat(),
                ));
            }
        }
        for (list, unknown) in [("lessons", unknown[0]), ("challenges", unknown[1])] {
            if unknown > MAX_UNKNOWN {
                return Err(refused(
                    [
                        list,
                        " names ",
                        &unknown.to_string(),
                        " this version does not know; at most ",
                        &MAX_UNKNOWN.to_string(),
                        " are kept",
                    ]
                    .concat(),
                ));
            }
        }
        Ok(())
    }

    /// How many of `ids` are opened, and how many challenges are won.
    pub fn summary(&self, ids: &[&str]) -> (usize, usize) {
        let opened = ids
            .iter()
            .filter(|id| self.lesson(id).is_some_and(|l| l.opened))
            .count();
        let won = self.challenges.iter().filter(|(_, c)| c.won).count();
        (opened, won)
    }
}

/// Refuses `id`, an entry of `list`, if it could not be an id (see [`plausible_id`]).
fn check_id(list: &str, id: &str) -> Result<(), ProgressError> {
    if plausible_id(id) {
        return Ok(());
    }
    Err(refused(
        [
            list,
            " has an entry “",
            &quoted(id),
            "”: an id is 1 to ",
            &MAX_ID_CHARS.to_string(),
            " letters, digits, “-” or “_”",
        ]
        .concat(),
    ))
}

/// Writes the entry `id` (its fields, each `"name":value` that has a value) into an object
/// being written in `out`. Ids are plain (letters, digits, `-`, `_`): anything else is left
/// out, never written raw.
fn entry(out: &mut String, id: &str, fields: [(&str, Option<String>); 3]) {
    if !plausible_id(id) {
        return;
    }
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push_str(&["\"", id, "\":{"].concat());
    for (name, value) in fields {
        if let Some(value) = value {
            if !out.ends_with('{') {
                out.push(',');
            }
            out.push_str(&["\"", name, "\":", &value].concat());
        }
    }
    out.push('}');
}

/// The progress as a file (pretty JSON, with its format and version). Written by hand: a few
/// fields of plain values, cheaper in the bundle than a derived serializer.
pub fn to_json(progress: &Progress) -> String {
    let text = |b: Option<bool>| b.map(|b| b.to_string());
    let number = |n: Option<u32>| n.map(|n| n.to_string());
    let mut out = "{\"format\":\"faultline-progress\",\"version\":1,\"lessons\":{".to_string();
    for (id, l) in &progress.lessons {
        let fields = [
            ("opened", text(Some(l.opened))),
            ("first_right", text(l.first_right)),
            ("after_discussion_right", text(l.after_discussion_right)),
        ];
        entry(&mut out, id, fields);
    }
    out.push_str("},\"challenges\":{");
    for (id, c) in &progress.challenges {
        let fields = [
            ("won", text(Some(c.won))),
            ("best_faults", number(c.best_faults)),
            ("par", number(c.par)),
        ];
        entry(&mut out, id, fields);
    }
    out.push_str("}}");
    share::indent(&out)
}

/// `at` and `name` (`lessons.split-brain.` and `opened`) should be `what`.
fn wrong(at: &str, name: &str, what: &str) -> ProgressError {
    refused([at, name, " should be ", what].concat())
}

/// Field `name` of `object` (at the path `at`), if it is given: `null` is as good as not given.
fn given<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).filter(|value| !value.is_null())
}

/// Field `name` of `object`, if given: true or false.
fn flag(object: &Map<String, Value>, at: &str, name: &str) -> Result<Option<bool>, ProgressError> {
    given(object, name)
        .map(|value| {
            value
                .as_bool()
                .ok_or_else(|| wrong(at, name, "true or false"))
        })
        .transpose()
}

/// Field `name` of `object`, if given: a whole number.
fn number(object: &Map<String, Value>, at: &str, name: &str) -> Result<Option<u32>, ProgressError> {
    given(object, name)
        .map(|value| {
            value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| wrong(at, name, "a whole number (0 or more)"))
        })
        .transpose()
}

/// Refuses a field of `object` (at `at`) that is not one of `names`.
fn only(object: &Map<String, Value>, at: &str, names: &[&str]) -> Result<(), ProgressError> {
    let Some(name) = object.keys().find(|name| !names.contains(&name.as_str())) else {
        return Ok(());
    };
    let owner = match at.trim_end_matches('.') {
        "" => "the file",
        owner => owner,
    };
    Err(refused(
        [
            owner,
            " has no field “",
            &quoted(name),
            "”; its fields are ",
            &names.join(", "),
        ]
        .concat(),
    ))
}

/// The entries of `file`'s field `list` (`lessons`, `challenges`), each id checked and its
/// fields (at their path, `lessons.split-brain.`) read by `read`, in id order (serde_json's
/// objects keep their keys in order).
fn entries<T>(
    file: &Map<String, Value>,
    list: &str,
    read: fn(&Map<String, Value>, &str) -> Result<T, ProgressError>,
) -> Result<Vec<(String, T)>, ProgressError> {
    let mut out = Vec::new();
    let Some(value) = given(file, list) else {
        return Ok(out);
    };
    let Value::Object(entries) = value else {
        return Err(wrong("", list, "a set of named values"));
    };
    for (id, entry) in entries {
        check_id(list, id)?;
        let Value::Object(fields) = entry else {
            return Err(wrong(&[list, "."].concat(), id, "a set of named values"));
        };
        out.push((id.clone(), read(fields, &[list, ".", id, "."].concat())?));
    }
    Ok(out)
}

fn read_lesson(fields: &Map<String, Value>, at: &str) -> Result<Lesson, ProgressError> {
    only(
        fields,
        at,
        &["opened", "first_right", "after_discussion_right"],
    )?;
    Ok(Lesson {
        opened: flag(fields, at, "opened")?.unwrap_or(false),
        first_right: flag(fields, at, "first_right")?,
        after_discussion_right: flag(fields, at, "after_discussion_right")?,
    })
}

fn read_challenge(fields: &Map<String, Value>, at: &str) -> Result<ChallengeRecord, ProgressError> {
    only(fields, at, &["won", "best_faults", "par"])?;
    Ok(ChallengeRecord {
        won: flag(fields, at, "won")?.unwrap_or(false),
        best_faults: number(fields, at, "best_faults")?,
        par: number(fields, at, "par")?,
    })
}

/// Reads a progress file's fields (see [`from_json`]).
fn read_file(file: &Map<String, Value>) -> Result<Progress, ProgressError> {
    let missing =
        |name: &str| refused(["“", name, "” is missing: this is not a progress file"].concat());
    let format = given(file, "format").ok_or_else(|| missing("format"))?;
    let format = format
        .as_str()
        .ok_or_else(|| wrong("", "format", "text in quotes"))?;
    if format != PROGRESS_FORMAT {
        return Err(refused(
            [
                "format is “",
                &quoted(format),
                "”, not “",
                PROGRESS_FORMAT,
                "”: this is not a progress file",
            ]
            .concat(),
        ));
    }
    let version = number(file, "", "version")?.ok_or_else(|| missing("version"))?;
    if version != PROGRESS_VERSION {
        return Err(refused(
            [
                "version is ",
                &version.to_string(),
                ": this version of Faultline reads version ",
                &PROGRESS_VERSION.to_string(),
            ]
            .concat(),
        ));
    }
    only(file, "", &["format", "version", "lessons", "challenges"])?;
    let progress = Progress {
        lessons: entries(file, "lessons", read_lesson)?,
        challenges: entries(file, "challenges", read_challenge)?,
    };
    progress.check()?;
    Ok(progress)
}

/// Reads a progress file: at most [`MAX_FILE_BYTES`], its format and version, every field, and
/// the limits of [`Progress::check`]. A refusal names the field in plain words. (Read by hand
/// from JSON values, which the bundle already reads for host messages; a field given as `null`
/// is as good as not given.)
pub fn from_json(text: &str) -> Result<Progress, ProgressError> {
    if text.trim().is_empty() {
        return Err(refused("the file is empty".to_string()));
    }
    if text.len() > MAX_FILE_BYTES {
        return Err(refused(
            [
                "the file is ",
                &(text.len() / 1024).to_string(),
                " KB; a progress file is at most ",
                &(MAX_FILE_BYTES / 1024).to_string(),
                " KB",
            ]
            .concat(),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|error| {
        let path = json_path::at(
            text.as_bytes(),
            error.line(),
            error.column(),
            error.classify(),
        );
        refused(refusal(Source::File, &path, &error))
    })?;
    match value {
        Value::Object(file) => read_file(&file),
        _ => Err(refused(
            "the file should be a set of named values".to_string(),
        )),
    }
}

// ----- on this device -----

/// The localStorage key progress is kept under.
const KEY: &str = "faultline.progress";

/// The progress kept on this device, as kept (its text); none if storage is refused.
pub fn kept() -> Option<String> {
    super::autosave::storage()?.get_item(KEY).ok().flatten()
}

/// The progress `kept` says; none if it is none or cannot be read (what is kept is never
/// trusted: it is checked as a file is).
pub fn read(kept: Option<&str>) -> Progress {
    kept.and_then(|text| from_json(text).ok())
        .unwrap_or_default()
}

/// The progress kept on this device (see [`read`]).
pub fn load() -> Progress {
    read(kept().as_deref())
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
    /// A built-in challenge won on stage: its id, the faults used and the machine's par (see
    /// `challenge_panel::win`).
    won: Option<(String, u32, Option<u32>)>,
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
            won: None,
        }
    }

    /// The same, with a challenge won on stage to record.
    pub fn winning(self, won: Option<(String, u32, Option<u32>)>) -> Watch {
        Watch { won, ..self }
    }

    /// Records what this moment says, if it is not the moment last recorded (the app asks at
    /// every render). Each record is kept once.
    pub fn record(self) {
        thread_local! {
            static LAST: std::cell::RefCell<Option<Watch>> = const { std::cell::RefCell::new(None) };
        }
        LAST.with_borrow_mut(|last| {
            if last.as_ref() != Some(&self) {
                self.record_now();
                *last = Some(self);
            }
        });
    }

    /// Records a win, a lesson opened or a prediction: merged into the progress kept, which is
    /// kept again if that changed anything within the limits.
    fn record_now(&self) {
        let before = load();
        let mut after = before.clone();
        if let Some((id, faults, par)) = &self.won {
            after.win(id, *faults, *par);
        }
        if let Some(id) = self.lesson.as_deref() {
            match (self.votes, super::state::preset(id)) {
                (Some((first, second)), Some(scenario)) => {
                    let answer = scenario.with_fix(self.fix).question().answer;
                    let (first, second) = votes_right(first, second, answer);
                    after.predict(id, first, second);
                }
                (Some(_), None) => {}
                (None, _) => after.open(id),
            }
        }
        if after != before && after.check().is_ok() {
            save(&after);
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
            *progress.lesson("split-brain").unwrap(),
            lesson(true, Some(false), Some(true))
        );
        progress.predict("split-brain", true, Some(false));
        assert_eq!(
            *progress.lesson("split-brain").unwrap(),
            lesson(true, Some(false), Some(true))
        );
        assert_eq!(
            Lesson::status(progress.lesson("split-brain")),
            ("✓", "Right after discussion")
        );
    }

    #[test]
    fn the_best_keeps_the_fewest_faults_and_a_win_stays_won() {
        let mut progress = Progress::default();
        progress.win("two-leaders", 3, Some(1));
        progress.win("two-leaders", 2, None);
        progress.win("two-leaders", 4, Some(2));
        let record = progress.challenge("two-leaders").unwrap();
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
            .push(("two-leaders".into(), ChallengeRecord::default()));
        other.open("timeouts");
        let merged = progress.merged(&other).unwrap();
        assert_eq!(merged.challenge("two-leaders"), Some(record));
        assert!(merged.lesson("timeouts").unwrap().opened);
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
                lessons: lessons.into_iter().collect(),
                challenges: challenges.into_iter().collect(),
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
                let now = merged.lesson(id).unwrap();
                prop_assert!(now.opened >= lesson.opened);
                // What was recorded first stays.
                if lesson.first_right.is_some() {
                    prop_assert_eq!(now.first_right, lesson.first_right);
                }
            }
            for (id, record) in &b.challenges {
                let now = merged.challenge(id).unwrap();
                prop_assert!(now.won >= record.won);
                if let (Some(now), Some(then)) = (now.best_faults, record.best_faults) {
                    prop_assert!(now <= then);
                }
            }
        }
    }
}
