//! Embed mode for iframes in blog posts and slides: `?embed=1` shows only the canvases and the
//! playback controls. The same options may ride in the fragment instead, after the run if there
//! is one (`#v1.<run>&embed=1&autoplay=1`, or `#embed=1&scenario=split-brain`), for hosts that
//! strip query strings. Options: `scenario=<id>`, `step=<n>`, `autoplay=1`, `theme=light|dark`,
//! `panels=narration,inspector` (panels to keep), `origin=<https://host>` (the only page allowed
//! to drive it by postMessage, and the only one told its events).

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
    /// The origin allowed to send commands (`https://example.org`); any origin when absent.
    pub origin: Option<String>,
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
                "origin" => options.origin = origin(value),
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
                origin: None,
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
        assert_eq!(junk, EmbedOptions::default());
    }
}
