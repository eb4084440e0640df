//! Lifeline headers: each node's name over its column, as much of it as fits. A name that does
//! not fit its column is shortened at a word, keeping the node's letter ("Lock… (A)"), or
//! becomes the letter alone ("C"); when even letters do not fit (sixteen nodes on a phone) the
//! type shrinks. Headers never overlap and never leave the canvas, and none is cut mid-word; the
//! full name stays with each header for the SVG export's title and the screen reader.
//! Pure: text is measured by a generous estimate of the semibold face (its widths, measured),
//! as [`super::labels`] estimates its labels.

use crate::sim::NodeId;

/// The headers' type size before projector scaling, px.
pub const HEADER_PX: f64 = 16.0;
/// The smallest type a header shrinks to, px.
pub const MIN_HEADER_PX: f64 = 9.0;
/// Room kept clear between neighbouring headers, px.
pub const HEADER_GAP: f64 = 4.0;

/// One lifeline's header.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub node: NodeId,
    /// The centre of the text, px (its column's middle).
    pub x: f64,
    /// The text as drawn, and its estimated width at the headers' size.
    pub text: String,
    pub width: f64,
    /// The node's full name ("Lock service (A)").
    pub full: String,
}

/// Every lifeline's header at one type size.
#[derive(Clone, Debug, PartialEq)]
pub struct Headers {
    /// The type size every header is drawn at, px (whole pixels, as a canvas font takes them).
    pub font_px: f64,
    pub headers: Vec<Header>,
}

/// DejaVu Sans Bold's advance widths, ' ' to '~', in hundredths of an em rounded up, as
/// Chromium measures `600 system-ui` here: the widest common sans-serif, so other faces
/// (San Francisco, Roboto, Segoe UI) fit the estimate too.
const ASCII_WIDTHS: [u8; 95] = [
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70,
    70, 70, 70, 40, 40, 84, 84, 84, 59, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100,
    84, 86, 74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 37, 46, 84, 50, 50, 68, 72, 60, 72,
    68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60, 48, 72, 66, 93, 65, 66, 59, 72,
    37, 72, 84,
];

/// The width of `text` in the headers' semibold face at `px`: the face's own widths (any other
/// character as wide as the widest), and 5 % to spare, so the text always fits the estimate.
pub fn header_width(text: &str, px: f64) -> f64 {
    let hundredths: u32 = text
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(ASCII_WIDTHS[c as usize - 32]),
            _ => 115,
        })
        .sum();
    f64::from(hundredths) / 100.0 * px * 1.05
}

/// What a header may say, longest first: the full name; shortened at a word with the letter
/// kept ("Lock… (A)" of "Lock service (A)"); the letter alone.
fn candidates(full: &str, node: NodeId) -> Vec<String> {
    let letter = node.to_string();
    let mut said = vec![full.to_string()];
    if full == letter {
        return said;
    }
    // The node's letter, as the name carries it: "Lock service (A)" or "Client C".
    let tail = [[" (", &letter, ")"].concat(), [" ", &letter].concat()]
        .into_iter()
        .find(|tail| full.ends_with(tail.as_str()));
    if let Some(tail) = tail {
        let head: Vec<&str> = full[..full.len() - tail.len()].split(' ').collect();
        for words in (1..head.len()).rev() {
            said.push([&head[..words].join(" "), "…", &tail].concat());
        }
    }
    said.push(letter);
    said
}

/// The headers of `nodes` lifelines across a canvas `width` px wide, named by `names` (a node
/// without one goes by its letter), at `font_px` or smaller.
pub fn lifeline_headers(width: f64, nodes: usize, names: &[String], font_px: f64) -> Headers {
    let column = width / nodes.max(1) as f64;
    let room = (column - HEADER_GAP).max(0.0);
    let node = |n: usize| NodeId(n as u8);
    // Every letter must fit: the type shrinks until the widest does.
    let widest_letter = (0..nodes)
        .map(|n| header_width(&node(n).to_string(), 1.0))
        .fold(0.0, f64::max);
    let font_px = if widest_letter > 0.0 {
        font_px.min(room / widest_letter)
    } else {
        font_px
    }
    .floor()
    .max(MIN_HEADER_PX);
    let headers = (0..nodes)
        .map(|n| {
            let full = names
                .get(n)
                .filter(|name| !name.is_empty())
                .cloned()
                .unwrap_or_else(|| node(n).to_string());
            let said = candidates(&full, node(n));
            let text = said
                .iter()
                .find(|text| header_width(text, font_px) <= room)
                .or(said.last())
                .cloned()
                .unwrap_or_default();
            Header {
                node: node(n),
                x: column * (n as f64 + 0.5),
                width: header_width(&text, font_px),
                text,
                full,
            }
        })
        .collect();
    Headers { font_px, headers }
}

/// The row under the lanes in a picture (the SVG export, the handouts): how tall it is, px.
pub const END_ROW_PX: f64 = 50.0;
/// The row's type size, px.
pub const END_PX: f64 = 12.0;

/// The row under the lanes: each node's state at one moment in a few words (its model's
/// headline, see [`crate::sim::Describe::headline`]), under a caption that says the moment
/// ("At the end, 17.000 s").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndState {
    pub caption: String,
    pub lines: Vec<String>,
}

/// `text` broken at spaces into at most two lines that each fit `width` px at `px` (the
/// labels' estimate); what does not fit ends the second line with "…".
pub fn wrap(text: &str, width: f64, px: f64) -> Vec<String> {
    let fits = |line: &str| super::labels::text_width(line, px) <= width;
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.len() - 1;
        let joined = if lines[last].is_empty() {
            word.to_string()
        } else {
            [&lines[last], " ", word].concat()
        };
        if fits(&joined) || lines[last].is_empty() {
            lines[last] = joined;
        } else if lines.len() < 2 {
            lines.push(word.to_string());
        } else {
            lines[last] = joined;
            break;
        }
    }
    // A line still too long keeps what fits, and says more was there.
    for line in &mut lines {
        if !fits(line) {
            let mut chars: Vec<char> = line.chars().collect();
            while !chars.is_empty() && !fits(&(chars.iter().collect::<String>() + "…")) {
                chars.pop();
            }
            *line = chars.into_iter().collect::<String>() + "…";
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_name_too_long_for_its_column_is_shortened_at_a_word_keeping_its_letter() {
        let lock = names(&["Lock service (A)", "Storage (B)", "Client C", "Client D"]);
        let said = |width: f64| -> Vec<String> {
            lifeline_headers(width, 4, &lock, HEADER_PX)
                .headers
                .into_iter()
                .map(|h| h.text)
                .collect()
        };
        assert_eq!(
            said(1200.0),
            ["Lock service (A)", "Storage (B)", "Client C", "Client D"]
        );
        assert_eq!(
            said(600.0),
            ["Lock… (A)", "Storage (B)", "Client C", "Client D"]
        );
        assert_eq!(said(360.0), ["A", "B", "Client C", "Client D"]);
        assert_eq!(said(300.0), ["A", "B", "C", "D"]);
        let headers = lifeline_headers(300.0, 4, &lock, HEADER_PX).headers;
        assert_eq!(headers[0].full, "Lock service (A)", "the full name is kept");
    }

    #[test]
    fn letters_shrink_their_type_when_even_they_do_not_fit() {
        let headers = lifeline_headers(280.0, 16, &[], HEADER_PX * 1.5);
        assert!(headers.font_px < HEADER_PX && headers.font_px >= MIN_HEADER_PX);
        assert_eq!(headers.headers[12].text, "M");
        assert!(headers
            .headers
            .iter()
            .all(|h| h.width <= 280.0 / 16.0 - HEADER_GAP));
    }

    #[test]
    fn the_estimate_holds_what_the_browser_measures() {
        // Measured in Chromium at 600 16px system-ui (DejaVu Sans Bold): the estimate is wider.
        for (text, measured) in [
            ("Lock service (A)", 144.0),
            ("Commander (A)", 141.0),
            ("Lieutenant D", 116.5),
            ("WWWW", 70.6),
            ("mmmm", 66.7),
            ("M", 15.9),
        ] {
            assert!(header_width(text, 16.0) >= measured, "{text}");
        }
    }

    #[test]
    fn a_node_s_state_wraps_to_two_lines_in_its_column() {
        assert_eq!(wrap("x = 2", 120.0, END_PX), ["x = 2"]);
        assert_eq!(
            wrap("paused, holds token 33", 110.0, END_PX),
            ["paused, holds", "token 33"]
        );
        let long = wrap(
            "follower, term 2, value 108 and a great deal more",
            100.0,
            END_PX,
        );
        assert_eq!(long.len(), 2);
        assert!(long[1].ends_with('…'), "{long:?}");
        assert!(long
            .iter()
            .all(|line| super::super::labels::text_width(line, END_PX) <= 100.0));
        // A word wider than the column is cut, not left to spill over.
        let word = wrap("Supercalifragilistic", 60.0, END_PX);
        assert!(
            word[0].ends_with('…') && super::super::labels::text_width(&word[0], END_PX) <= 60.0
        );
    }
}
