//! Embed mode for iframes in blog posts and slides: `?embed=1` shows only the canvases and the
//! playback controls. Options: `scenario=<id>`, `step=<n>`, `autoplay=1`, `theme=light|dark`,
//! `panels=narration,inspector` (panels to keep).

/// What the page's query string asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    pub enabled: bool,
    pub scenario: Option<String>,
    pub step: Option<u64>,
    pub autoplay: bool,
    /// "light" or "dark"; anything else is ignored.
    pub theme: Option<String>,
    pub narration: bool,
    pub inspector: bool,
}

impl EmbedOptions {
    /// Reads a query string such as `?embed=1&scenario=split-brain&autoplay=1`. Unknown keys
    /// and malformed values are ignored: an embed never fails to load over a typo.
    pub fn from_query(query: &str) -> EmbedOptions {
        let mut options = EmbedOptions::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let on = matches!(value, "1" | "true" | "yes");
            match key {
                "embed" => options.enabled = on,
                "scenario" if value.len() <= 64 => options.scenario = Some(value.to_string()),
                "step" => options.step = value.parse().ok(),
                "autoplay" => options.autoplay = on,
                "theme" if matches!(value, "light" | "dark") => {
                    options.theme = Some(value.to_string())
                }
                "panels" => {
                    for panel in value.split(',') {
                        match panel {
                            "narration" => options.narration = true,
                            "inspector" => options.inspector = true,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_options_read_from_the_query_and_ignore_nonsense() {
        let options = EmbedOptions::from_query(
            "?embed=1&scenario=split-brain&step=40&autoplay=true&theme=dark&panels=narration,bogus",
        );
        assert_eq!(
            options,
            EmbedOptions {
                enabled: true,
                scenario: Some("split-brain".into()),
                step: Some(40),
                autoplay: true,
                theme: Some("dark".into()),
                narration: true,
                inspector: false,
            }
        );
        let junk = EmbedOptions::from_query("?embed=maybe&step=-3&theme=<b>&x=%ZZ&&=");
        assert_eq!(junk, EmbedOptions::default());
    }
}
