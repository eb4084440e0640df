//! The embed builder's pure part (Share → "Put it in a blog post or slides"): what a blogger
//! chooses (size, theme, autoplay and speed, panels, start step, the iframe's title), the
//! embed's address those choices make, the snippet to paste, the form's markup and the builder's
//! state. The dialog itself is `embed_builder_view`.

use super::embed::MAX_SPEED;
use super::state::Speed;
use crate::render::svg::escape;
use crate::share::{self, quoted, Moment, SharedRun};
use crate::sim::MAX_REPLAY_STEPS;

/// How big the embed is on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Wide,
    Column,
    Small,
    Phone,
    /// As wide as the text column, as tall as the embed asks (`faultline:height` messages).
    Fit,
}

impl Size {
    pub const ALL: [Size; 5] = [
        Size::Wide,
        Size::Column,
        Size::Small,
        Size::Phone,
        Size::Fit,
    ];

    /// The value of its option in the form.
    pub fn key(self) -> &'static str {
        match self {
            Size::Wide => "wide",
            Size::Column => "column",
            Size::Small => "small",
            Size::Phone => "phone",
            Size::Fit => "fit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Size::Wide => "Wide, 960 × 540",
            Size::Column => "Column, 720 × 480",
            Size::Small => "Small, 480 × 360",
            Size::Phone => "Phone, 360 × 480",
            Size::Fit => "Fit the column (full width, height follows the content)",
        }
    }

    /// Width and height in CSS px; `None` for [`Size::Fit`], whose width is the column's.
    pub fn pixels(self) -> Option<(u32, u32)> {
        match self {
            Size::Wide => Some((960, 540)),
            Size::Column => Some((720, 480)),
            Size::Small => Some((480, 360)),
            Size::Phone => Some((360, 480)),
            Size::Fit => None,
        }
    }
}

/// The height a fitted embed starts at, until it says the height it wants (CSS px).
pub const FIT_START_HEIGHT: u32 = 540;
/// The heights a fitted embed's message may set: anything else is ignored.
pub const FIT_HEIGHTS: std::ops::RangeInclusive<u32> = 120..=4000;

/// The themes offered: the option's value (also `theme=` in the address, but for `auto`,
/// which is left out: no theme follows the reader's system) and its words.
pub const THEMES: [(&str, &str); 3] = [
    ("auto", "The reader's system setting"),
    ("light", "Light"),
    ("dark", "Dark"),
];

/// The speeds offered, as the app's speed steps: events per second (as fast as possible is
/// [`MAX_SPEED`]) and the words for them.
pub fn speeds() -> impl Iterator<Item = (u32, String)> {
    Speed::all().map(|speed| (speed_value(speed), speed.label()))
}

fn speed_value(speed: Speed) -> u32 {
    speed.events_per_second().unwrap_or(MAX_SPEED)
}

/// Everything the blogger chooses, as the form holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    pub size: Size,
    /// A value of [`THEMES`].
    pub theme: &'static str,
    pub autoplay: bool,
    /// Events per second, a value of [`speeds`].
    pub speed: u32,
    pub narration: bool,
    pub inspector: bool,
    /// The start step as typed (checked by [`Choices::step`]).
    pub step: String,
    /// The iframe's title, for screen readers, as typed.
    pub title: String,
}

impl Choices {
    /// The choices a dialog opens with: wide, the reader's theme, paused at the app's speed,
    /// no panels, at `step`, titled `title`.
    pub fn new(step: u64, title: String) -> Choices {
        Choices {
            size: Size::Wide,
            theme: THEMES[0].0,
            autoplay: false,
            speed: speed_value(Speed::DEFAULT),
            narration: false,
            inspector: false,
            step: step.to_string(),
            title,
        }
    }

    /// A field of the form changed: `name` is its name, `value` its value, `on` whether a
    /// checkbox is ticked. Values the form does not offer change nothing.
    pub fn set(&mut self, name: &str, value: &str, on: bool) {
        match name {
            "size" => {
                if let Some(size) = Size::ALL.into_iter().find(|s| s.key() == value) {
                    self.size = size;
                }
            }
            "theme" => {
                if let Some((theme, _)) = THEMES.into_iter().find(|(t, _)| *t == value) {
                    self.theme = theme;
                }
            }
            "speed" => {
                if let Some(speed) = speeds().map(|(s, _)| s).find(|s| s.to_string() == value) {
                    self.speed = speed;
                }
            }
            "autoplay" => self.autoplay = on,
            "narration" => self.narration = on,
            "inspector" => self.inspector = on,
            "step" => self.step = value.to_string(),
            "title" => self.title = value.to_string(),
            _ => {}
        }
    }

    /// The start step, or why what was typed is not one (a sentence for the person).
    pub fn step(&self) -> Result<u64, String> {
        parse_step(&self.step)
    }

    /// The form's fields as HTML, filled in with these choices, every value escaped. The page
    /// renders it once per dialog and leaves it to the browser (what is typed and chosen stays
    /// in the fields; each change comes back through [`Choices::set`]): a few lines of markup
    /// weigh far less in the bundle than the same fields built by `html!`.
    pub fn form_html(&self) -> String {
        let select = |label: &str, name: &str, options: Vec<(String, &str)>, chosen: &str| {
            let options: String = options
                .iter()
                .map(|(value, words)| {
                    let selected = if value == chosen { " selected" } else { "" };
                    format!(
                        "<option value=\"{}\"{selected}>{}</option>",
                        escape(value),
                        escape(words)
                    )
                })
                .collect();
            format!("<label>{label}<select name=\"{name}\">{options}</select></label>")
        };
        let check = |name: &str, words: &str, on: bool| {
            let checked = if on { " checked" } else { "" };
            format!(
                "<label class=\"embed-check\"><input type=\"checkbox\" name=\"{name}\"{checked}>\
                 {words}</label>"
            )
        };
        let speeds: Vec<(u32, String)> = speeds().collect();
        [
            select(
                "Size",
                "size",
                Size::ALL.map(|s| (s.key().into(), s.label())).into(),
                self.size.key(),
            ),
            select(
                "Theme",
                "theme",
                THEMES.map(|(value, words)| (value.into(), words)).into(),
                self.theme,
            ),
            select(
                "Speed when playing",
                "speed",
                speeds
                    .iter()
                    .map(|(v, w)| (v.to_string(), w.as_str()))
                    .collect(),
                &self.speed.to_string(),
            ),
            format!(
                "<label>Start at step<input type=\"text\" name=\"step\" inputmode=\"numeric\" \
                 value=\"{}\" aria-describedby=\"embed-step-error\"></label>",
                escape(&self.step)
            ),
            "<fieldset class=\"embed-checks\"><legend>Play and panels</legend>".into(),
            check("autoplay", "Play on opening", self.autoplay),
            check("narration", "The narration", self.narration),
            check("inspector", "The inspector", self.inspector),
            "</fieldset>".into(),
            format!(
                "<label class=\"embed-title\">Title, read out by screen readers\
                 <input type=\"text\" name=\"title\" value=\"{}\"></label>",
                escape(&self.title)
            ),
        ]
        .concat()
    }

    /// The title the snippet gives its iframe: as typed, or "Faultline" if left blank.
    pub fn title(&self) -> &str {
        match self.title.trim() {
            "" => "Faultline",
            title => title,
        }
    }
}

/// A start step as typed, or why it is not one (a sentence for the person).
pub fn parse_step(typed: &str) -> Result<u64, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("Type the step to start at: a whole number, 0 for the start.".into());
    }
    match typed.parse::<u64>() {
        Ok(step) if step <= MAX_REPLAY_STEPS => Ok(step),
        Ok(_) => Err(format!("The start step can be at most {MAX_REPLAY_STEPS}.")),
        Err(_) => Err(format!(
            "The start step is a whole number, 0 or more (like 0 or 25), not “{}”.",
            quoted(typed)
        )),
    }
}

/// The run an embed opens.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A preset as it opens (its own seed, no faults of one's own): named in the address, so
    /// the link reads as what it shows (`scenario=split-brain&fix=1`).
    Preset { id: String, fix: bool },
    /// Anything else: the run itself, in the fragment (`#v1.…`), as a share link carries it.
    Run(Box<SharedRun>),
}

impl Source {
    /// The source for `run`, given the seed its preset opens with (`None` when `run` is not of
    /// a preset).
    pub fn of(run: SharedRun, preset_seed: Option<u64>) -> Source {
        let plain = preset_seed == Some(run.seed)
            && run.faults.is_empty()
            && run.cluster.is_none()
            && run.custom.is_none()
            && run.hunt.is_none()
            && run.compare.is_none()
            && run.resumes.is_empty();
        if plain {
            Source::Preset {
                id: run.scenario,
                fix: run.fix,
            }
        } else {
            Source::Run(Box::new(run))
        }
    }
}

/// The app's address without query or fragment, from a share link (`https://…/faultline/`).
pub fn base_url(link: &str) -> &str {
    let page = link.split_once('#').map_or(link, |(page, _)| page);
    page.split_once('?').map_or(page, |(base, _)| base)
}

/// The embed's address for these choices, starting at `step`.
pub fn src(base: &str, source: &Source, choices: &Choices, step: u64) -> String {
    let mut query = String::from("?embed=1");
    let mut add = |option: &str, value: &str| {
        query.push('&');
        query.push_str(option);
        query.push('=');
        query.push_str(value);
    };
    // Preset ids are lower-case letters, digits and hyphens: nothing to percent-encode.
    if let Source::Preset { id, fix } = source {
        add("scenario", id);
        if *fix {
            add("fix", "1");
        }
        if step > 0 {
            add("step", &step.to_string());
        }
    }
    if choices.autoplay {
        add("autoplay", "1");
    }
    if choices.speed != speed_value(Speed::DEFAULT) {
        add("speed", &choices.speed.to_string());
    }
    if choices.theme != "auto" {
        add("theme", choices.theme);
    }
    let panels = match (choices.narration, choices.inspector) {
        (true, true) => "narration,inspector",
        (true, false) => "narration",
        (false, true) => "inspector",
        (false, false) => "",
    };
    if !panels.is_empty() {
        add("panels", panels);
    }
    match source {
        Source::Preset { .. } => format!("{base}{query}"),
        // The run's own step wins over `step=`: the run carries the start step.
        Source::Run(run) => format!("{base}{query}#{}", share::encode(&at_step(run, step))),
    }
}

/// `run` standing at `step`: where it stood besides its step (a moment between events) is
/// kept only at its own step; its furthest step is kept, so the same future lies ahead.
fn at_step(run: &SharedRun, step: u64) -> SharedRun {
    let mut run = run.clone();
    if run.step != step {
        run.moment = Moment {
            furthest: run.moment.furthest.max(run.step),
            ..Moment::default()
        };
        run.step = step;
    }
    run
}

/// A change to the builder: a field of the form (its name, value and whether it is ticked),
/// the preview catching up with the choices, the preview's box measured (CSS px), or the
/// height a fitted preview asks for (CSS px, as its message says: checked here).
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Field(String, String, bool),
    ShowPreview,
    Width(i32),
    FitHeight(f64),
}

/// The builder as the dialog shows it: the run and the choices, and what the preview shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Builder {
    /// The app's address (see [`base_url`]).
    pub base: String,
    pub source: Source,
    pub choices: Choices,
    /// The address the preview shows: the choices' a moment ago (it reloads after a pause).
    pub preview: String,
    /// The preview's box width (CSS px).
    pub width: u32,
    /// The height a fitted preview asked for (CSS px).
    pub fit_height: u32,
}

impl Builder {
    pub fn new(base: String, source: Source, choices: Choices) -> Builder {
        let mut builder = Builder {
            base,
            source,
            choices,
            preview: String::new(),
            width: 0,
            fit_height: FIT_START_HEIGHT,
        };
        builder.apply(Change::ShowPreview);
        builder
    }

    /// The embed's address for the choices; `None` while the start step is not a step.
    pub fn address(&self) -> Option<String> {
        let step = self.choices.step().ok()?;
        Some(src(&self.base, &self.source, &self.choices, step))
    }

    /// The snippet for the choices (its iframe's id is `id`); `None` as for the address.
    pub fn code(&self, id: &str) -> Option<String> {
        let address = self.address()?;
        Some(snippet(
            &address,
            self.choices.size,
            self.choices.title(),
            id,
        ))
    }

    pub fn apply(&mut self, change: Change) {
        match change {
            Change::Field(name, value, on) => self.choices.set(&name, &value, on),
            Change::ShowPreview => {
                if let Some(address) = self.address() {
                    self.preview = address;
                }
            }
            Change::Width(width) => self.width = u32::try_from(width).unwrap_or(0),
            Change::FitHeight(height) => {
                let whole = height.round() as u32;
                if height.is_finite() && FIT_HEIGHTS.contains(&whole) {
                    self.fit_height = whole;
                }
            }
        }
    }

    /// The preview iframe's width and height (CSS px) and the scale that fits it in its box,
    /// in ten-thousandths (integers: formatting floats would weigh on the bundle). A fitted
    /// embed is as wide as the box and as tall as it asked.
    pub fn frame(&self) -> (u32, u32, u32) {
        match self.choices.size.pixels() {
            Some((w, h)) => (w, h, (self.width * 10_000 / w).min(10_000)),
            None => (self.width, self.fit_height, 10_000),
        }
    }
}

/// The snippet to paste: the iframe (with `id`, unique on the page) at `size`, and for
/// [`Size::Fit`] the few lines that set its height as the embed asks. Attributes are escaped.
pub fn snippet(src: &str, size: Size, title: &str, id: &str) -> String {
    // The id goes into a script as well as an attribute: letters, digits and hyphens only.
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let (src, title) = (escape(src), escape(title));
    let (width, height, style) = match size.pixels() {
        Some((width, height)) => (width.to_string(), height, "border:0;max-width:100%"),
        None => (
            "100%".into(),
            FIT_START_HEIGHT,
            "border:0;width:100%;display:block",
        ),
    };
    let iframe = format!(
        "<iframe id=\"{id}\" src=\"{src}\" width=\"{width}\" height=\"{height}\" \
         style=\"{style}\" title=\"{title}\" loading=\"lazy\" allow=\"clipboard-write\"></iframe>"
    );
    if size != Size::Fit {
        return iframe;
    }
    let (low, high) = (FIT_HEIGHTS.start(), FIT_HEIGHTS.end());
    format!(
        "{iframe}
<script>
(function () {{
  var frame = document.getElementById('{id}');
  window.addEventListener('message', function (event) {{
    var data = event.data;
    if (!frame || event.source !== frame.contentWindow) return;
    if (!data || data.type !== 'faultline:height') return;
    var height = data.height;
    if (Number.isFinite(height) && height >= {low} && height <= {high}) {{
      frame.style.height = Math.round(height) + 'px';
    }}
  }});
}})();
</script>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Command, LoggedCommand, NodeId};

    const BASE: &str = "https://example.org/faultline/";

    fn choices() -> Choices {
        Choices::new(0, "Faultline: Two leaders".into())
    }

    #[test]
    fn the_form_sets_each_choice_and_ignores_what_it_does_not_offer() {
        let mut c = choices();
        for (name, value, on) in [
            ("size", "phone", false),
            ("theme", "dark", false),
            ("autoplay", "on", true),
            ("speed", "500", false),
            ("narration", "on", true),
            ("inspector", "on", true),
            ("inspector", "on", false),
            ("step", " 25 ", false),
            ("title", "Split brain, step by step", false),
        ] {
            c.set(name, value, on);
        }
        assert_eq!(
            c,
            Choices {
                size: Size::Phone,
                theme: "dark",
                autoplay: true,
                speed: 500,
                narration: true,
                inspector: false,
                step: " 25 ".into(),
                title: "Split brain, step by step".into(),
            }
        );
        assert_eq!(c.step(), Ok(25));
        let before = c.clone();
        for (name, value) in [
            ("size", "huge"),
            ("theme", "blue"),
            ("speed", "3"),
            ("speed", "fast"),
            ("bogus", "1"),
        ] {
            c.set(name, value, true);
        }
        assert_eq!(c, before, "values the form does not offer change nothing");
        let offered: Vec<u32> = speeds().map(|(s, _)| s).collect();
        assert_eq!(offered.first(), Some(&1));
        assert_eq!(offered.last(), Some(&MAX_SPEED), "as fast as possible");
        assert_eq!(speeds().last().unwrap().1, "as fast as possible");
    }

    #[test]
    fn the_form_is_filled_in_with_the_choices_every_value_escaped() {
        let mut c = Choices::new(
            12,
            "Faultline: \"<img src=x onerror=alert(1)>\" & co".into(),
        );
        c.set("size", "small", false);
        c.set("theme", "dark", false);
        c.set("speed", "200", false);
        c.set("narration", "", true);
        let form = c.form_html();
        assert!(form.contains("<option value=\"small\" selected>Small, 480 × 360</option>"));
        assert!(form.contains("<option value=\"dark\" selected>Dark</option>"));
        assert!(form.contains("<option value=\"200\" selected>200 events/s</option>"));
        assert!(form.contains("<option value=\"100000\">as fast as possible</option>"));
        assert_eq!(
            form.matches(" selected>").count(),
            3,
            "one option chosen per list"
        );
        assert!(form.contains("name=\"narration\" checked>"));
        assert!(form.contains("name=\"autoplay\">"));
        assert!(form.contains("name=\"step\" inputmode=\"numeric\" value=\"12\""));
        assert!(form.contains(
            "value=\"Faultline: &quot;&lt;img src=x onerror=alert(1)&gt;&quot; &amp; co\""
        ));
        assert!(!form.contains("<img"));
        // Every field has its words: each control sits inside a label.
        let controls = form.matches("<select").count() + form.matches("<input").count();
        assert_eq!(controls, 8);
        assert_eq!(form.matches("<label").count(), controls);
        assert_eq!(
            form.matches("<label").count(),
            form.matches("</label>").count()
        );
    }

    #[test]
    fn the_preview_catches_up_after_a_pause_and_fits_its_box() {
        let source = Source::of(SharedRun::new("split-brain".into(), false, 7), Some(7));
        let mut b = Builder::new(BASE.into(), source, choices());
        let first = format!("{BASE}?embed=1&scenario=split-brain");
        assert_eq!(b.preview, first, "the preview starts at once");
        b.apply(Change::Field("theme".into(), "dark".into(), false));
        assert_eq!(b.preview, first, "not at every change");
        assert_eq!(b.address().unwrap(), format!("{first}&theme=dark"));
        b.apply(Change::ShowPreview);
        assert_eq!(b.preview, format!("{first}&theme=dark"));
        // A step that is not one leaves the preview as it was, and gives no code to copy.
        b.apply(Change::Field("step".into(), "abc".into(), false));
        b.apply(Change::ShowPreview);
        assert_eq!(b.preview, format!("{first}&theme=dark"));
        assert_eq!((b.address(), b.code("f")), (None, None));
        b.apply(Change::Field("step".into(), "3".into(), false));
        assert!(b.code("f").unwrap().contains("step=3&amp;theme=dark"));
        // Wide in a 480 px box: half size; in a wider box, never larger than life.
        b.apply(Change::Width(480));
        assert_eq!(b.frame(), (960, 540, 5_000));
        b.apply(Change::Width(2_000));
        assert_eq!(b.frame(), (960, 540, 10_000));
        b.apply(Change::Width(-5));
        assert_eq!(b.frame(), (960, 540, 0));
        // Fitted: the box's width, and the height the embed asks for if it is sane.
        b.apply(Change::Width(600));
        b.apply(Change::Field("size".into(), "fit".into(), false));
        assert_eq!(b.frame(), (600, FIT_START_HEIGHT, 10_000));
        b.apply(Change::FitHeight(812.4));
        assert_eq!(b.frame(), (600, 812, 10_000));
        for bogus in [f64::NAN, f64::INFINITY, -1.0, 119.0, 4000.6, 1e12] {
            b.apply(Change::FitHeight(bogus));
            assert_eq!(b.fit_height, 812, "{bogus} is ignored");
        }
        b.apply(Change::FitHeight(4000.0));
        assert_eq!(b.fit_height, 4000);
    }

    #[test]
    fn the_start_step_is_a_whole_number_or_a_plain_sentence_says_why_not() {
        let step = |typed: &str| {
            let mut c = choices();
            c.set("step", typed, false);
            c.step()
        };
        assert_eq!(step("0"), Ok(0));
        assert_eq!(step("120"), Ok(120));
        assert_eq!(step(&MAX_REPLAY_STEPS.to_string()), Ok(MAX_REPLAY_STEPS));
        assert_eq!(
            step("-3").unwrap_err(),
            "The start step is a whole number, 0 or more (like 0 or 25), not “-3”."
        );
        assert!(step("1.5").unwrap_err().contains("not “1.5”"));
        assert!(step("<b>x</b>").unwrap_err().contains("not “<b>x</b>”"));
        assert_eq!(
            step("").unwrap_err(),
            "Type the step to start at: a whole number, 0 for the start."
        );
        assert_eq!(
            step("2000001").unwrap_err(),
            "The start step can be at most 2000000."
        );
        assert!(step("99999999999999999999999").is_err());
    }

    #[test]
    fn a_preset_as_it_opens_is_named_in_the_address_with_the_options() {
        let run = SharedRun::new("split-brain".into(), true, 7);
        let source = Source::of(run.clone(), Some(7));
        assert_eq!(
            source,
            Source::Preset {
                id: "split-brain".into(),
                fix: true
            }
        );
        assert_eq!(
            src(BASE, &source, &choices(), 0),
            "https://example.org/faultline/?embed=1&scenario=split-brain&fix=1"
        );
        let mut c = choices();
        for (name, value) in [
            ("theme", "dark"),
            ("speed", "50"),
            ("autoplay", ""),
            ("narration", ""),
        ] {
            c.set(name, value, true);
        }
        let address = src(BASE, &source, &c, 12);
        assert_eq!(
            address,
            "https://example.org/faultline/?embed=1&scenario=split-brain&fix=1&step=12\
             &autoplay=1&speed=50&theme=dark&panels=narration"
        );
        // The app reads back every choice, without a mistake.
        let query = address.split_once('?').unwrap().1;
        let read = crate::ui::embed::EmbedOptions::from_query(query);
        assert_eq!(read.problems, Vec::new());
        assert_eq!(
            (
                read.enabled,
                read.scenario.as_deref(),
                read.fix,
                read.step,
                read.autoplay,
                read.speed,
                read.theme.as_deref(),
                read.narration,
                read.inspector
            ),
            (
                true,
                Some("split-brain"),
                Some(true),
                Some(12),
                true,
                Some(50),
                Some("dark"),
                true,
                false
            )
        );
        // The app's own speed and the reader's theme are left out; both panels are listed.
        c.set("speed", "10", false);
        c.set("theme", "auto", false);
        c.set("inspector", "", true);
        c.set("autoplay", "", false);
        assert_eq!(
            src(
                BASE,
                &Source::of(SharedRun::new("seat-12a".into(), false, 1), Some(1)),
                &c,
                0
            ),
            "https://example.org/faultline/?embed=1&scenario=seat-12a&panels=narration,inspector"
        );
        // Every preset's id goes into the address as it is.
        for preset in crate::ui::state::presets().iter() {
            assert!(
                preset
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn a_run_of_ones_own_rides_in_the_fragment_at_the_start_step() {
        let mut run = SharedRun::new("split-brain".into(), false, 7);
        run.step = 40;
        run.moment = Moment {
            furthest: 60,
            now_us: 1_234,
            shown_us: 0,
        };
        // Another seed than the preset's is a run of one's own.
        assert!(matches!(Source::of(run.clone(), Some(8)), Source::Run(_)));
        assert!(matches!(Source::of(run.clone(), None), Source::Run(_)));
        let mut faulted = run.clone();
        faulted.faults.push(LoggedCommand {
            after_step: 3,
            after_pops: 3,
            at_time: 1_000,
            command: Command::Crash { node: NodeId(1) },
        });
        let source = Source::of(faulted.clone(), Some(7));
        assert_eq!(source, Source::Run(Box::new(faulted.clone())));
        let mut c = choices();
        c.set("autoplay", "", true);
        // At its own step, the run is the share link's, exactly.
        let address = src(BASE, &source, &c, 40);
        assert_eq!(
            address,
            format!("{BASE}?embed=1&autoplay=1#{}", share::encode(&faulted))
        );
        // At another step, the run opens there, its moment between events dropped and its
        // furthest step kept.
        let address = src(BASE, &source, &c, 5);
        let (_, fragment) = address.split_once('#').unwrap();
        let opened = share::decode(fragment).unwrap();
        assert_eq!(
            (opened.step, opened.moment, opened.faults),
            (
                5,
                Moment {
                    furthest: 60,
                    ..Moment::default()
                },
                faulted.faults
            )
        );
        assert!(!address.contains("step="), "the run carries the step");
    }

    #[test]
    fn the_base_is_the_share_link_without_query_or_fragment() {
        assert_eq!(base_url("https://e.org/f/?x=1#v1.abc"), "https://e.org/f/");
        assert_eq!(base_url("https://e.org/f/#v1.abc?no"), "https://e.org/f/");
        assert_eq!(base_url("https://e.org/f/"), "https://e.org/f/");
    }

    #[test]
    fn a_fixed_size_snippet_is_one_escaped_iframe() {
        let code = snippet(
            "https://e.org/f/?embed=1&scenario=x",
            Size::Column,
            "Faultline: \"A\" & <B>",
            "faultline-1a",
        );
        assert_eq!(
            code,
            "<iframe id=\"faultline-1a\" src=\"https://e.org/f/?embed=1&amp;scenario=x\" \
             width=\"720\" height=\"480\" style=\"border:0;max-width:100%\" \
             title=\"Faultline: &quot;A&quot; &amp; &lt;B&gt;\" loading=\"lazy\" \
             allow=\"clipboard-write\"></iframe>"
        );
        for size in [Size::Wide, Size::Small, Size::Phone] {
            let (w, h) = size.pixels().unwrap();
            let code = snippet("s", size, "t", "i");
            assert!(
                code.contains(&format!("width=\"{w}\" height=\"{h}\"")),
                "{code}"
            );
            assert!(!code.contains("<script"));
        }
        assert!(snippet("s", Size::Wide, "t", "x\"><script>").contains("id=\"xscript\""));
        let mut c = choices();
        c.set("title", "   ", false);
        assert_eq!(c.title(), "Faultline", "a blank title is never written");
    }

    #[test]
    fn a_fitted_snippet_listens_only_to_its_own_embed_for_a_sane_height() {
        let code = snippet("https://e.org/f/?embed=1", Size::Fit, "T", "faultline-9z");
        let (iframe, script) = code.split_once('\n').unwrap();
        assert!(iframe.starts_with("<iframe id=\"faultline-9z\" "));
        assert!(iframe
            .contains("width=\"100%\" height=\"540\" style=\"border:0;width:100%;display:block\""));
        assert!(script.starts_with("<script>") && script.ends_with("</script>"));
        assert!(script.contains("document.getElementById('faultline-9z')"));
        assert!(script.contains("event.source !== frame.contentWindow"));
        assert!(script.contains("data.type !== 'faultline:height'"));
        assert!(script.contains("Number.isFinite(height) && height >= 120 && height <= 4000"));
        // Braces balance: the format string's doubled braces came out single.
        let count = |c: char| script.chars().filter(|&x| x == c).count();
        assert_eq!(count('{'), count('}'));
        assert!(!script.contains("{{"));
    }
}
