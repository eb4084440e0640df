//! The timeline as a slide (the Export menu's "PNG for slides" and "PNG for a projector"): the
//! lesson's title above the diagram and a one-line caption below it, sized here (pure, tested
//! natively) and drawn by the canvas painter with the shapes on screen, at a larger pixel ratio.

#[cfg(test)]
use super::labels::text_width;

/// The title's type size, CSS px of the slide (before its pixel ratio).
pub const TITLE_PX: f64 = 20.0;
/// The caption's type size.
pub const CAPTION_PX: f64 = 14.0;
/// Room around the title and the caption.
pub const PAD: f64 = 12.0;
/// The band above the diagram, for the title.
pub const TITLE_BAND: f64 = TITLE_PX + 2.0 * PAD;
/// The band below the diagram, for the caption.
pub const CAPTION_BAND: f64 = CAPTION_PX + 2.0 * PAD;
/// The projector's slide, in pixels.
pub const PROJECTOR: (f64, f64) = (1920.0, 1080.0);

/// The slide of a canvas of `canvas` CSS px: its width and height in CSS px and the pixel ratio
/// it is drawn at (the PNG is `width × ratio` by `height × ratio` pixels): twice the canvas's
/// pixels, or (`projector`) exactly 1920×1080, the diagram as large as fits, centred across.
pub fn slide_size(projector: bool, canvas: (f64, f64)) -> (f64, f64, f64) {
    let height = TITLE_BAND + canvas.1.max(1.0) + CAPTION_BAND;
    if projector {
        let ratio = (PROJECTOR.1 / height).min(PROJECTOR.0 / canvas.0.max(1.0));
        (PROJECTOR.0 / ratio, PROJECTOR.1 / ratio, ratio)
    } else {
        (canvas.0.max(1.0), height, 2.0)
    }
}

/// `text` on one line `width` px wide at `font_px` (by [`text_width`]'s measure): all of it if
/// it fits, else its start cut at a word, ending in "…".
pub fn one_line(text: &str, width: f64, font_px: f64) -> String {
    let room = ((width - 8.0) / (font_px * 0.56)).max(2.0) as usize;
    let Some((end, _)) = text.char_indices().nth(room - 1) else {
        return text.to_string();
    };
    if text[end..].chars().nth(1).is_none() {
        return text.to_string();
    }
    // Cut at the last space, unless that loses more than half the line.
    let space = text.as_bytes()[..end].iter().rposition(|&b| b == b' ');
    let cut = space.filter(|&at| at * 2 > end).unwrap_or(end);
    let mut line = text[..cut].trim_end().to_string();
    line.push('…');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixels(size: (f64, f64, f64)) -> (f64, f64) {
        ((size.0 * size.2).round(), (size.1 * size.2).round())
    }

    #[test]
    fn a_slide_is_the_canvas_at_twice_its_pixels_with_its_title_and_caption() {
        let size = slide_size(false, (680.0, 509.0));
        assert_eq!(
            pixels(size),
            (1360.0, 2.0 * (509.0 + TITLE_BAND + CAPTION_BAND))
        );
    }

    #[test]
    fn a_projector_slide_is_exactly_1920_by_1080_pixels_at_any_canvas() {
        for canvas in [(680.0, 509.0), (320.0, 200.0), (1280.0, 560.0), (0.0, 0.0)] {
            let size = slide_size(true, canvas);
            assert_eq!(pixels(size), PROJECTOR, "{canvas:?}");
            assert!(size.0 >= canvas.0, "the diagram fits across: {canvas:?}");
            let bands = TITLE_BAND + CAPTION_BAND;
            assert!(size.1 >= canvas.1 + bands - 1e-9, "and down: {canvas:?}");
        }
        // The usual canvas: type almost twice its size on screen.
        assert!(slide_size(true, (680.0, 509.0)).2 > 1.8);
    }

    #[test]
    fn a_caption_keeps_to_one_line_cut_at_a_word() {
        let long = "At t = 2 s a stop-the-world garbage collection pauses C for 15 seconds. C \
                    cannot notice: from its point of view no time passes.";
        for width in [120.0, 300.0, 656.0, 1015.0, 3000.0] {
            let line = one_line(long, width, CAPTION_PX);
            assert!(text_width(&line, CAPTION_PX) <= width, "{width}: {line:?}");
            match line.strip_suffix('…') {
                Some(kept) => {
                    assert!(long.starts_with(kept), "{width}: {line:?}");
                    let next = long[kept.len()..].chars().next();
                    assert!(
                        matches!(next, Some(' ' | ',' | ':' | '.')) || kept.len() * 2 <= long.len(),
                        "{width}: cut between words where it can: {line:?}"
                    );
                }
                None => assert_eq!(line, long, "{width}: all of it when it fits"),
            }
        }
        assert_eq!(one_line("Short", 600.0, CAPTION_PX), "Short");
        assert_eq!(one_line("", 600.0, CAPTION_PX), "");
        let word = one_line(&"x".repeat(200), 100.0, CAPTION_PX);
        assert!(text_width(&word, CAPTION_PX) <= 100.0 && word.ends_with('…'));
    }
}
