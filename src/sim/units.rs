//! Clock offsets, skews and drifts as people read them (with [`super::words`], what the core
//! says to people): a sign (a real minus, U+2212), a few
//! significant digits and the unit that suits the size — `+250 µs`, `+2.5 ms`, `+250 ms`,
//! `−6.0 s`, `+2 min 5.0 s`, `+10 h 0.9 s`, `+100 ppm` — never raw microseconds.

/// A signed length of time in µs (a clock's offset or skew from true time), in the largest unit
/// that keeps it readable: µs below 1 ms, ms with one decimal below 10 ms and whole ms below
/// 1 s, seconds with one decimal below a minute, then hours, minutes and seconds (to a tenth)
/// with the zero parts left out. Zero is `0 ms`, with no sign.
pub fn signed_duration(us: i64) -> String {
    let magnitude = us.unsigned_abs();
    if magnitude == 0 {
        return "0 ms".to_string();
    }
    let sign = if us < 0 { "\u{2212}" } else { "+" };
    let rounded = |unit: u64| (magnitude + unit / 2) / unit;
    let text = if magnitude < 1_000 {
        format!("{magnitude} µs")
    } else if magnitude < 9_950 {
        let tenths = rounded(100);
        format!("{}.{} ms", tenths / 10, tenths % 10)
    } else if magnitude < 999_500 {
        format!("{} ms", rounded(1_000))
    } else if magnitude < 59_950_000 {
        let tenths = rounded(100_000);
        format!("{}.{} s", tenths / 10, tenths % 10)
    } else {
        // Hours, minutes and tenths of seconds, each left out when zero, so a clock set hours
        // off still shows a 100 ms change.
        let tenths = rounded(100_000);
        let (hours, minutes, rest) = (tenths / 36_000, tenths / 600 % 60, tenths % 600);
        let mut parts = Vec::new();
        if hours > 0 {
            parts.push(format!("{hours} h"));
        }
        if minutes > 0 {
            parts.push(format!("{minutes} min"));
        }
        if rest > 0 {
            parts.push(format!("{}.{} s", rest / 10, rest % 10));
        }
        parts.join(" ")
    };
    format!("{sign}{text}")
}

/// A clock's drift in parts per million: `+100 ppm`, `−50 ppm`, `0 ppm`.
pub fn signed_ppm(ppm: i32) -> String {
    match ppm {
        0 => "0 ppm".to_string(),
        p if p < 0 => format!("\u{2212}{} ppm", p.unsigned_abs()),
        p => format!("+{p} ppm"),
    }
}

/// A probability as a percentage to a tenth: `10 %`, `0.5 %`, `100 %`.
pub fn percent(p: f64) -> String {
    format!("{} %", (p * 1_000.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_read_as_percentages_to_a_tenth() {
        assert_eq!(percent(0.1), "10 %");
        assert_eq!(percent(0.005), "0.5 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(0.05), "5 %");
    }

    #[test]
    fn zero_has_no_sign() {
        assert_eq!(signed_duration(0), "0 ms");
        assert_eq!(signed_ppm(0), "0 ppm");
    }

    #[test]
    fn below_a_millisecond_reads_in_microseconds() {
        assert_eq!(signed_duration(1), "+1 µs");
        assert_eq!(signed_duration(250), "+250 µs");
        assert_eq!(signed_duration(-999), "\u{2212}999 µs");
    }

    #[test]
    fn milliseconds_keep_a_decimal_only_while_small() {
        assert_eq!(signed_duration(1_000), "+1.0 ms");
        assert_eq!(signed_duration(2_549), "+2.5 ms");
        assert_eq!(signed_duration(9_949), "+9.9 ms");
        assert_eq!(signed_duration(9_950), "+10 ms");
        assert_eq!(signed_duration(250_000), "+250 ms");
        assert_eq!(signed_duration(-12_345), "\u{2212}12 ms");
        assert_eq!(signed_duration(999_499), "+999 ms");
    }

    #[test]
    fn seconds_have_one_decimal() {
        assert_eq!(signed_duration(999_500), "+1.0 s");
        assert_eq!(signed_duration(41_994_000), "+42.0 s");
        assert_eq!(signed_duration(-6_000_000), "\u{2212}6.0 s");
        assert_eq!(signed_duration(59_949_999), "+59.9 s");
    }

    #[test]
    fn minutes_and_hours_read_as_such() {
        assert_eq!(signed_duration(59_950_000), "+1 min");
        assert_eq!(signed_duration(125_000_000), "+2 min 5.0 s");
        assert_eq!(signed_duration(-180_000_000), "\u{2212}3 min");
        assert_eq!(signed_duration(3_600_000_000), "+1 h");
        assert_eq!(signed_duration(4_200_000_000), "+1 h 10 min");
        // Ten in the morning, less 100 ms: the tenth still shows.
        assert_eq!(signed_duration(36_000_900_000), "+10 h 0.9 s");
        assert!(signed_duration(i64::MIN).starts_with('\u{2212}'));
        assert!(signed_duration(i64::MAX).ends_with(" s"));
    }

    #[test]
    fn drift_reads_in_parts_per_million() {
        assert_eq!(signed_ppm(100), "+100 ppm");
        assert_eq!(signed_ppm(-50_000), "\u{2212}50000 ppm");
        assert_eq!(signed_ppm(i32::MIN), "\u{2212}2147483648 ppm");
    }
}
