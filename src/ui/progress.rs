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
        let presets: Vec<&str> = crate::scenarios::TOPICS
            .iter()
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        let challenges: Vec<String> = crate::challenge::builtin()
            .into_iter()
            .map(|c| c.id)
            .collect();
        check_ids("lessons", self.lessons.iter().map(|(id, _)| id), |id| {
            presets.contains(&id)
        })?;
        check_ids(
            "challenges",
            self.challenges.iter().map(|(id, _)| id),
            |id| challenges.iter().any(|c| c == id),
        )?;
        for (id, record) in &self.challenges {
            for (field, count) in [("best_faults", record.best_faults), ("par", record.par)] {
                if let Some(n) = count.filter(|&n| n > MAX_WIN_FAULTS) {
                    return Err(refused(format!(
                        "challenges.{id}.{field} is {n}: a challenge allows at most \
                         {MAX_WIN_FAULTS} faults"
                    )));
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
            .filter(|id| self.lesson(id).is_some_and(|l| l.opened))
            .count();
        let won = self.challenges.iter().filter(|(_, c)| c.won).count();
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

/// `"name": value` for each field that has a value, joined by commas.
fn fields(out: &mut String, fields: &[(&str, Option<String>)]) {
    let mut first = true;
    for (name, value) in fields {
        if let Some(value) = value {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&["\"", name, "\":", value].concat());
        }
    }
}

/// `"id":{…}` for each entry of a list, as `write` writes its fields.
fn list<T>(out: &mut String, name: &str, list: &[(String, T)], write: fn(&mut String, &T)) {
    out.push_str(&[",\"", name, "\":{"].concat());
    // Ids are plain (letters, digits, `-`, `_`): anything else is left out, never written raw.
    for (i, (id, entry)) in list.iter().filter(|(id, _)| plausible_id(id)).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&["\"", id, "\":{"].concat());
        write(out, entry);
        out.push('}');
    }
    out.push('}');
}

/// The progress as a file (pretty JSON, with its format and version). Written by hand: a few
/// fields of plain values, cheaper in the bundle than a derived serializer.
pub fn to_json(progress: &Progress) -> String {
    let mut out = ["{\"format\":\"", PROGRESS_FORMAT, "\",\"version\":1"].concat();
    list(&mut out, "lessons", &progress.lessons, |out, l| {
        fields(
            out,
            &[
                ("opened", Some(l.opened.to_string())),
                ("first_right", l.first_right.map(|b| b.to_string())),
                (
                    "after_discussion_right",
                    l.after_discussion_right.map(|b| b.to_string()),
                ),
            ],
        )
    });
    list(&mut out, "challenges", &progress.challenges, |out, c| {
        fields(
            out,
            &[
                ("won", Some(c.won.to_string())),
                ("best_faults", c.best_faults.map(|n| n.to_string())),
                ("par", c.par.map(|n| n.to_string())),
            ],
        )
    });
    out.push('}');
    share::indent(&out)
}

/// Reads `object`'s field `name` (at `path`), if it has one, as a `T`; a wrong value is
/// refused by its path, in plain words.
fn take<T: serde::de::DeserializeOwned>(
    object: &mut Map<String, Value>,
    path: &str,
    name: &str,
) -> Result<Option<T>, ProgressError> {
    let Some(value) = object.remove(name) else {
        return Ok(None);
    };
    serde_json::from_value(value)
        .map(Some)
        .map_err(|error| refused(refusal(Source::File, &[path, name].concat(), &error)))
}

/// Refuses what is left in `object` at `path`: a field it does not have.
fn nothing_else(
    object: &Map<String, Value>,
    path: &str,
    known: &'static [&'static str],
) -> Result<(), ProgressError> {
    match object.keys().next() {
        None => Ok(()),
        Some(name) => {
            let error = <serde_json::Error as serde::de::Error>::unknown_field(name, known);
            Err(refused(refusal(
                Source::File,
                &[path, name].concat(),
                &error,
            )))
        }
    }
}

/// Reads the object of entries `name` of `file`, each entry by `read` (given its object and
/// path, `lessons.split-brain.`).
fn entries<T>(
    file: &mut Map<String, Value>,
    name: &str,
    read: fn(&mut Map<String, Value>, &str) -> Result<T, ProgressError>,
) -> Result<Vec<(String, T)>, ProgressError> {
    let Some(list) = take::<Map<String, Value>>(file, "", name)? else {
        return Ok(Vec::new());
    };
    // serde_json's objects keep their keys in order: the list is in id order.
    let mut out = Vec::with_capacity(list.len());
    for (id, entry) in list {
        let path = [name, ".", &id].concat();
        if !plausible_id(&id) {
            return Err(refused(format!(
                "{name} has an entry “{}”: an id is 1 to {MAX_ID_CHARS} letters, digits, \
                 “-” or “_”",
                quoted(&id)
            )));
        }
        let Value::Object(mut object) = entry else {
            return Err(not_named_values(&path));
        };
        let path = [&path, "."].concat();
        out.push((id, read(&mut object, &path)?));
    }
    Ok(out)
}

/// What is said of `what` when it is not an object.
fn not_named_values(what: &str) -> ProgressError {
    refused([what, " should be a set of named values"].concat())
}

fn read_lesson(object: &mut Map<String, Value>, path: &str) -> Result<Lesson, ProgressError> {
    let lesson = Lesson {
        opened: take(object, path, "opened")?.unwrap_or(false),
        first_right: take(object, path, "first_right")?,
        after_discussion_right: take(object, path, "after_discussion_right")?,
    };
    nothing_else(
        object,
        path,
        &["opened", "first_right", "after_discussion_right"],
    )?;
    Ok(lesson)
}

fn read_challenge(
    object: &mut Map<String, Value>,
    path: &str,
) -> Result<ChallengeRecord, ProgressError> {
    let record = ChallengeRecord {
        won: take(object, path, "won")?.unwrap_or(false),
        best_faults: take(object, path, "best_faults")?,
        par: take(object, path, "par")?,
    };
    nothing_else(object, path, &["won", "best_faults", "par"])?;
    Ok(record)
}

/// Reads a progress file: at most [`MAX_FILE_BYTES`], its format and version, every field, and
/// the limits of [`Progress::check`]. A refusal names the field in plain words. (Read by hand
/// from JSON values, which the bundle already reads for host messages.)
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
    let value: Value = serde_json::from_str(text).map_err(|error| {
        let path = json_path::at(
            text.as_bytes(),
            error.line(),
            error.column(),
            error.classify(),
        );
        refused(refusal(Source::File, &path, &error))
    })?;
    let Value::Object(mut file) = value else {
        return Err(not_named_values("the file"));
    };
    let missing =
        |name: &str| refused(["“", name, "” is missing: this is not a progress file"].concat());
    let format: String = take(&mut file, "", "format")?.ok_or_else(|| missing("format"))?;
    if format != PROGRESS_FORMAT {
        return Err(refused(format!(
            "format is “{}”, not “{PROGRESS_FORMAT}”: this is not a progress file",
            quoted(&format)
        )));
    }
    let version: u32 = take(&mut file, "", "version")?.ok_or_else(|| missing("version"))?;
    if version != PROGRESS_VERSION {
        return Err(refused(format!(
            "version is {version}: this version of Faultline reads version {PROGRESS_VERSION}"
        )));
    }
    let progress = Progress {
        lessons: entries(&mut file, "lessons", read_lesson)?,
        challenges: entries(&mut file, "challenges", read_challenge)?,
    };
    nothing_else(&file, "", &["format", "version", "lessons", "challenges"])?;
    progress.check()?;
    Ok(progress)
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

    fn record_now(&self) {
        if let Some((id, faults, par)) = &self.won {
            challenge_won(id, *faults, *par);
        }
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
