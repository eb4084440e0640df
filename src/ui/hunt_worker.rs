//! The hunt in a Web Worker, so the page keeps playing and drawing while it runs.
//!
//! The worker is the app's own bundle: a module worker imports the same JS glue and wasm file the
//! page loaded (the browser has them cached; nothing more is downloaded), and `crate::mount`
//! sees it has no window and registers [`Hunter`] instead of mounting the app. Page and worker
//! speak through `gloo-worker`, their messages ([`ToHunter`], [`FromHunter`]) turned into
//! JavaScript values by `serde-wasm-bindgen` ([`Wire`]).
//!
//! The worker hunts in slices of about [`SLICE_MS`], yielding to its event loop between them
//! (a zero timeout), so Cancel and a new Start are heard within a slice; it reports progress at
//! most every [`PROGRESS_EVERY_MS`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo_worker::{Codec, HandlerId, Worker, WorkerBridge, WorkerScope, WorkerSpawner};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::detect::FindingKind;
use crate::hunt::{Hunt, Mode, Phase, Progress, Settings, Tally};
use crate::scenarios::Scenario;
use crate::share::{self, SharedRun};
use crate::sim::LoggedCommand;

/// How long one slice of hunting runs before the worker looks at its messages.
pub const SLICE_MS: f64 = 20.0;
/// The worker rests this long between slices: on a two-core machine the page's drawing (its
/// main thread and the browser's raster threads) shares a core with it, and a hunt that never
/// rests costs the page frames.
pub const REST_MS: u32 = 5;
/// The least time between two progress reports.
pub const PROGRESS_EVERY_MS: f64 = 200.0;

/// What the page asks of the worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToHunter {
    /// Hunt on the scenario a share link's run carries whole (`run.custom`, with the run's fix
    /// and seed): the link's decoder, already in the bundle, reads it, rather than a second
    /// copy of every model's decoder.
    Start {
        id: u32,
        run: String,
        settings: Settings,
        /// A challenge's par: the hunt aimed at the finding that wins it, on the run's scenario
        /// as it is (the challenge's arena), see [`crate::hunt::Hunt::aimed`].
        goal: Option<FindingKind>,
    },
    /// Stop hunt `id` now.
    Cancel { id: u32 },
}

/// What the worker tells the page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FromHunter {
    Progress {
        id: u32,
        progress: Progress,
        elapsed_ms: f64,
    },
    Done {
        id: u32,
        result: Box<HuntResult>,
        elapsed_ms: f64,
        /// Of that, the time spent shrinking (what `make bench` reports).
        shrink_ms: f64,
    },
    Failed {
        id: u32,
        message: String,
    },
}

/// What the page shows of a finished hunt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HuntResult {
    pub mode: Mode,
    pub settings: Settings,
    /// What was found and how, in words (see [`crate::hunt::Report::summary`]).
    pub summary: String,
    /// The safety property the failure broke, if one did.
    pub broke: Option<String>,
    pub tally: Tally,
    /// With the fix on, the naive variant's tally.
    pub naive: Option<Tally>,
    /// How many faults the failure found needed, once shrunk (a challenge's par).
    pub faults: Option<u32>,
    /// The failure found, as a share link's run: the subject's fault log, at the step where it
    /// broke (the link's encoder and decoder carry it, as they carry any run).
    pub staged: Option<String>,
}

/// A found failure, ready for the stage: read back from [`HuntResult::staged`].
#[derive(Clone, Debug, PartialEq)]
pub struct Staged {
    pub faults: Vec<LoggedCommand<()>>,
    pub step: u64,
}

impl Staged {
    /// The staged run a hunt's result carries, if it carries one that reads.
    pub fn of(result: &HuntResult) -> Option<Staged> {
        let shared = share::decode(result.staged.as_deref()?).ok()?;
        Some(Staged {
            faults: shared.faults,
            step: shared.step,
        })
    }
}

/// Messages as JavaScript values (`serde-wasm-bindgen`); 64-bit numbers as BigInts, so seeds
/// and times past 2^53 cross intact.
pub struct Wire;

impl Codec for Wire {
    fn encode<I: Serialize>(input: I) -> JsValue {
        let serializer =
            serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);
        input
            .serialize(&serializer)
            .expect("hunt messages are plain data")
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        serde_wasm_bindgen::from_value(input).expect("hunt messages come from this same build")
    }
}

/// Everything the worker does for one Start, without the browser: `Hunt` plus the words and the
/// staged run (tested natively).
pub struct Job {
    pub id: u32,
    hunt: Hunt,
    scenario: Scenario,
    /// When shrinking started and ended, as `now()` measured them.
    shrinking: Option<(f64, f64)>,
}

impl Job {
    pub fn start(
        id: u32,
        run: &str,
        settings: Settings,
        goal: Option<FindingKind>,
    ) -> Result<Job, String> {
        let shared =
            share::decode(run).map_err(|e| format!("the scenario could not be read: {e}"))?;
        let mut scenario = *shared.custom.ok_or_else(|| {
            "the scenario could not be read: it is not in the message".to_string()
        })?;
        scenario.fix_enabled = shared.fix;
        scenario.config.seed = shared.seed;
        let hunt = match goal {
            Some(goal) => Hunt::aimed(&scenario, settings, goal),
            None => Hunt::new(&scenario, settings),
        }
        .map_err(|e| e.to_string())?;
        Ok(Job {
            id,
            hunt,
            scenario,
            shrinking: None,
        })
    }

    /// The message that starts a hunt on `scenario` (fix and seed as it has them).
    pub fn message(
        id: u32,
        scenario: &Scenario,
        settings: Settings,
        goal: Option<FindingKind>,
    ) -> ToHunter {
        let run = share::encode(&SharedRun {
            custom: Some(Box::new(scenario.clone())),
            ..SharedRun::new(
                scenario.id.clone(),
                scenario.fix_enabled,
                scenario.config.seed,
            )
        });
        ToHunter::Start {
            id,
            run,
            settings,
            goal,
        }
    }

    /// Runs tries for about `budget_ms` as `now()` measures it (at least one).
    pub fn slice(&mut self, budget_ms: f64, now: &dyn Fn() -> f64) -> Progress {
        let until = now() + budget_ms;
        loop {
            let before = self.hunt.progress().phase;
            let progress = self.hunt.work(1);
            if progress.phase != before {
                let at = now();
                match (progress.phase, &mut self.shrinking) {
                    (Phase::Shrinking, shrinking) => *shrinking = Some((at, at)),
                    (Phase::Done, Some((_, end))) => *end = at,
                    _ => {}
                }
            }
            if progress.phase == Phase::Done || now() >= until {
                return progress;
            }
        }
    }

    /// The finished hunt's message.
    pub fn done(&self, elapsed_ms: f64) -> FromHunter {
        let report = self.hunt.report();
        let names = self.scenario.view.names();
        let summary = report.summary(&names, self.scenario.config.nodes, elapsed_ms);
        let judge = self.hunt.judge();
        let subject = &judge.scenario;
        let staged = report.found.as_ref().map(|found| {
            let (mut session, _) = judge.play(&found.shrunk);
            let faults = session.fault_log();
            // The stage stands at the moment it broke, its view following up to there.
            session.seek(0);
            while session.now() < found.violation.at_us && session.advance(1) == 1 {}
            share::encode(&SharedRun {
                faults,
                step: session.current_step(),
                hunt: Some(report.settings.clone()),
                ..SharedRun::new(subject.id.clone(), subject.fix_enabled, subject.config.seed)
            })
        });
        let result = HuntResult {
            mode: report.mode,
            settings: report.settings.clone(),
            summary,
            broke: report.found.as_ref().map(|f| f.violation.property.clone()),
            faults: report.found.as_ref().map(|f| f.shrunk.len() as u32),
            tally: report.tally,
            naive: report.naive,
            staged,
        };
        FromHunter::Done {
            id: self.id,
            result: Box::new(result),
            elapsed_ms,
            shrink_ms: self.shrinking.map_or(0.0, |(start, end)| end - start),
        }
    }
}

/// The worker's side.
pub struct Hunter {
    job: Option<(Job, HandlerId, f64)>,
    last_report: f64,
}

/// A slice of hunt `id` is due (ignored if that hunt has been cancelled or replaced).
pub struct Slice(u32);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Worker for Hunter {
    type Message = Slice;
    type Input = ToHunter;
    type Output = FromHunter;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Hunter {
            job: None,
            last_report: 0.0,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Slice(id): Slice) {
        let Some((job, who, started)) = self.job.as_mut().filter(|(job, ..)| job.id == id) else {
            return;
        };
        let progress = job.slice(SLICE_MS, &now_ms);
        let elapsed_ms = now_ms() - *started;
        if progress.phase == Phase::Done {
            scope.respond(*who, job.done(elapsed_ms));
            self.job = None;
            return;
        }
        if now_ms() - self.last_report >= PROGRESS_EVERY_MS {
            self.last_report = now_ms();
            scope.respond(
                *who,
                FromHunter::Progress {
                    id,
                    progress,
                    elapsed_ms,
                },
            );
        }
        next_slice(scope, id);
    }

    fn received(&mut self, scope: &WorkerScope<Self>, message: ToHunter, who: HandlerId) {
        match message {
            ToHunter::Start {
                id,
                run,
                settings,
                goal,
            } => match Job::start(id, &run, settings, goal) {
                Ok(job) => {
                    self.job = Some((job, who, now_ms()));
                    self.last_report = 0.0;
                    next_slice(scope, id);
                }
                Err(message) => {
                    self.job = None;
                    scope.respond(who, FromHunter::Failed { id, message });
                }
            },
            ToHunter::Cancel { id } => {
                if self.job.as_ref().is_some_and(|(job, ..)| job.id == id) {
                    self.job = None;
                }
            }
        }
    }
}

/// The next slice, after a rest in which the worker's event loop has had a turn (to hear
/// Cancel).
fn next_slice(scope: &WorkerScope<Hunter>, id: u32) {
    scope.send_future(async move {
        gloo_timers::future::TimeoutFuture::new(REST_MS).await;
        Slice(id)
    });
}

/// In the worker: listen for the page.
pub fn register() {
    use gloo_worker::Registrable;
    Hunter::registrar().encoding::<Wire>().register();
}

/// The page's side: one worker, started at the first hunt and kept for the next.
#[derive(Clone, Default)]
pub struct HuntClient {
    inner: Rc<RefCell<Client>>,
}

#[derive(Default)]
struct Client {
    bridge: Option<WorkerBridge<Hunter>>,
    /// Hears the page's content security policy refuse the worker (Chromium starts the worker
    /// and refuses its script later, with no error a bridge could see).
    refusals: Option<gloo_events::EventListener>,
    /// The newest hunt sent: the one a refusal stops.
    newest: Rc<std::cell::Cell<u32>>,
}

/// What the page is told when it may not start a worker.
pub const WORKERS_FORBIDDEN: &str = "this page does not allow it to start a Web Worker (its \
                                     content security policy forbids workers from blob: \
                                     addresses)";

impl PartialEq for HuntClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl HuntClient {
    /// Sends `message`, starting the worker first if need be; `on_message` hears its answers
    /// (set when the worker starts).
    pub fn send(
        &self,
        message: ToHunter,
        on_message: impl Fn(FromHunter) + 'static,
    ) -> Result<(), String> {
        let mut client = self.inner.borrow_mut();
        if let ToHunter::Start { id, .. } = &message {
            client.newest.set(*id);
        }
        if client.bridge.is_none() {
            let url = worker_url()?;
            probe(&url)?;
            let on_message = Rc::new(on_message);
            client.refusals = refusals(Rc::clone(&self.inner), {
                let (on_message, newest) = (Rc::clone(&on_message), Rc::clone(&client.newest));
                move || {
                    on_message(FromHunter::Failed {
                        id: newest.get(),
                        message: WORKERS_FORBIDDEN.to_string(),
                    })
                }
            });
            let mut spawner = WorkerSpawner::<Hunter, Wire>::new();
            spawner
                .callback(move |answer| on_message(answer))
                .with_loader(true)
                .as_module(true);
            client.bridge = Some(spawner.spawn(&url));
        }
        if let Some(bridge) = client.bridge.as_ref() {
            bridge.send(message);
        }
        Ok(())
    }

    /// Stops hunt `id` in the worker, if the worker has been started.
    pub fn cancel(&self, id: u32) {
        if let Some(bridge) = self.inner.borrow().bridge.as_ref() {
            bridge.send(ToHunter::Cancel { id });
        }
    }
}

/// Listens for the page's content security policy refusing a worker's script: the worker is
/// dropped (a later hunt tries again) and `refused` says so.
fn refusals(
    client: Rc<RefCell<Client>>,
    refused: impl Fn() + 'static,
) -> Option<gloo_events::EventListener> {
    let document = web_sys::window()?.document()?;
    Some(gloo_events::EventListener::new(
        &document,
        "securitypolicyviolation",
        move |event| {
            let directive = js_sys::Reflect::get(event, &JsValue::from_str("effectiveDirective"))
                .ok()
                .and_then(|d| d.as_string())
                .unwrap_or_default();
            // A worker's request is judged by worker-src, whichever directive the policy spells.
            if directive == "worker-src" {
                if let Ok(mut client) = client.try_borrow_mut() {
                    client.bridge = None;
                }
                refused();
            }
        },
    ))
}

/// Whether this page may start a module worker from `url`: a host page's content security
/// policy can forbid it, and gloo-worker would panic (and, in a release build, abort the app)
/// where this says why instead. The probe is stopped at once.
fn probe(url: &str) -> Result<(), String> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    match web_sys::Worker::new_with_options(url, &options) {
        Ok(worker) => {
            worker.terminate();
            Ok(())
        }
        Err(_) => Err(WORKERS_FORBIDDEN.to_string()),
    }
}

/// A module worker that loads the page's own bundle: the JS glue and wasm the page has
/// preloaded (their addresses are in the page's `modulepreload` and `preload` links).
fn worker_url() -> Result<String, String> {
    let missing = || "the hunt could not find the app's files to start its worker".to_string();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(missing)?;
    let href = |selector: &str| -> Option<String> {
        let link = document.query_selector(selector).ok()??;
        link.dyn_into::<web_sys::HtmlLinkElement>()
            .ok()
            .map(|l| l.href())
    };
    // Addresses as JavaScript string literals (a JSON string is one).
    let literal =
        |selector: &str| href(selector).and_then(|address| serde_json::to_string(&address).ok());
    let glue = literal("link[rel=modulepreload][href$='.js']").ok_or_else(missing)?;
    let wasm = literal("link[rel=preload][href$='.wasm']").ok_or_else(missing)?;
    let script = format!("import init from {glue};\nawait init({{ module_or_path: {wasm} }});\n");
    let parts = js_sys::Array::of1(&JsValue::from_str(&script));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| missing())?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| missing())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(id: &str, settings: Settings) -> Result<Job, String> {
        let scenario = crate::scenarios::by_id(id).unwrap();
        let ToHunter::Start { run, .. } = Job::message(3, &scenario, settings.clone(), None) else {
            panic!("a start")
        };
        Job::start(3, &run, settings, None)
    }

    #[test]
    fn a_job_hunts_in_slices_and_stages_its_failure_as_a_run() {
        let mut job = start("split-brain", Settings::default()).unwrap();
        let clock = std::cell::Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 1.0);
            clock.get()
        };
        let mut slices = 0;
        while job.slice(5.0, &now).phase != Phase::Done {
            slices += 1;
        }
        assert!(slices > 1, "the hunt came back between slices");
        let FromHunter::Done {
            id,
            result,
            shrink_ms,
            ..
        } = job.done(120.0)
        else {
            panic!("done")
        };
        assert_eq!(id, 3);
        assert!(shrink_ms > 0.0, "shrinking took some of the (counted) time");
        assert!(
            result.summary.starts_with("split brain after "),
            "{}",
            result.summary
        );
        assert_eq!(
            result.broke.as_deref(),
            Some("At most one leader accepts writes at any moment")
        );
        let staged = Staged::of(&result).expect("a found failure is staged");
        assert!(!staged.faults.is_empty());
        let split = crate::scenarios::by_id("split-brain").unwrap();
        let mut session =
            crate::scenarios::start_with(&crate::hunt::subject(&split), &staged.faults).unwrap();
        session.seek(staged.step);
        assert!(
            session
                .findings()
                .iter()
                .any(|f| f.kind == crate::detect::FindingKind::SplitBrain),
            "the stage stands just after the failure"
        );
    }

    #[test]
    fn a_job_refuses_what_it_cannot_hunt() {
        let none = Settings {
            kinds: Vec::new(),
            ..Settings::default()
        };
        let refused = start("split-brain", none).err().unwrap();
        assert_eq!(refused, "kinds of fault: choose at least one");
        let unreadable = Job::start(1, "v1.####", Settings::default(), None)
            .err()
            .unwrap();
        assert!(
            unreadable.starts_with("the scenario could not be read"),
            "{unreadable}"
        );
    }
}
