//! Clock offsets, skews and drifts as people read them (with [`super::words`], what the core
//! says to people): a sign (a real minus, U+2212), a few
//! significant digits and the unit that suits the size — `+250 µs`, `+2.5 ms`, `+250 ms`,
//! `−6.0 s`, `+2 min 5.0 s`, `+10 h 0.9 s`, `+100 ppm` — never raw microseconds.

/// A signed length of time in µs (a clock's offset or skew from true time), in the largest unit
/// that keeps it readable: µs below 1 ms, ms with one decimal below 10 ms and whole ms below
/// 1 s, seconds with one decimal below a minute, then hours, minutes and seconds (to a tenth)
/// with the zero parts left out. Zero is `0 ms`, with no sign.
pub fn signed_duration(us: i64) -> String {
    signed_duration_to(us, 1)
}

/// Signed lengths of time read side by side (every node's clock offset, or skew): each as
/// [`signed_duration`], with as many decimals of a second (one to three) as it takes for any two
/// that differ by a millisecond or more to read differently — `+41.994 s` beside `+41.973 s`
/// where one decimal would make both `+42.0 s`.
pub fn signed_durations(values: &[i64]) -> Vec<String> {
    let mut texts = Vec::new();
    for decimals in 1..=3 {
        texts = values
            .iter()
            .map(|&v| signed_duration_to(v, decimals))
            .collect();
        let clash = values.iter().enumerate().any(|(i, &a)| {
            values[i + 1..]
                .iter()
                .zip(&texts[i + 1..])
                .any(|(&b, text)| a.abs_diff(b) >= 1_000 && *text == texts[i])
        });
        if !clash {
            break;
        }
    }
    texts
}

/// [`signed_duration`] with `decimals` (1 to 3) decimals of a second from a second up; three
/// tell milliseconds apart.
fn signed_duration_to(us: i64, decimals: u32) -> String {
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
    } else {
        // In units of 10^-decimals s.
        let per_second = 10u64.pow(decimals.clamp(1, 3));
        let width = per_second.ilog10() as usize;
        let parts = rounded(1_000_000 / per_second);
        let seconds =
            |parts: u64| format!("{}.{:0width$} s", parts / per_second, parts % per_second);
        if parts < 60 * per_second {
            seconds(parts)
        } else {
            // Hours, minutes and seconds to the decimals asked, each left out when zero, so a
            // clock set hours off still shows a 100 ms change.
            let per_minute = 60 * per_second;
            let (hours, minutes, rest) = (
                parts / (60 * per_minute),
                parts / per_minute % 60,
                parts % per_minute,
            );
            let mut words = Vec::new();
            if hours > 0 {
                words.push(format!("{hours} h"));
            }
            if minutes > 0 {
                words.push(format!("{minutes} min"));
            }
            if rest > 0 {
                words.push(seconds(rest));
            }
            words.join(" ")
        }
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

/// A number as a person types it into a field: an optional sign, digits with at most one
/// decimal point (".5" and "5." count), and an optional exponent ("2e-3"), or "inf",
/// "infinity" and "NaN" in any case, as `str::parse` reads them; `None` for anything else. Exact (one rounding, as `str::parse` gives) for up to 15
/// significant digits and exponents within ±22, which covers every field here; beyond that it
/// may differ from `str::parse` in the last place or two. `str::parse::<f64>` would bring its
/// 5.5 KB table of powers of five into the bundle.
pub fn decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, mut at) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    // The words str::parse reads as infinity or not a number are read the same way, so a form
    // can say "enter an ordinary number" rather than "enter a number".
    let special = match text[at..].to_ascii_lowercase().as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(value) = special {
        return Some(if negative { -value } else { value });
    }
    let (mut mantissa, mut exponent, mut digits, mut point) = (0u64, 0i32, 0, false);
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(byte - b'0');
                    exponent -= i32::from(point);
                } else if !point {
                    // Digits beyond nineteen only move the point.
                    exponent += 1;
                }
            }
            b'.' if !point => point = true,
            b'e' | b'E' if digits > 0 => break,
            _ => return None,
        }
        at += 1;
    }
    if digits == 0 {
        return None;
    }
    if at < bytes.len() {
        let rest = &text[at + 1..];
        let (sign, rest) = match rest.as_bytes().first() {
            Some(b'-') => (-1, &rest[1..]),
            Some(b'+') => (1, &rest[1..]),
            _ => (1, rest),
        };
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let written = rest
            .bytes()
            .fold(0i32, |n, b| (n * 10 + i32::from(b - b'0')).min(100_000));
        exponent += sign * written;
    }
    let mut value = mantissa as f64;
    // 10^k is exact for k ≤ 22, so one multiplication or division rounds once.
    while exponent > 0 {
        let step = exponent.min(22);
        value *= 10f64.powi(step);
        exponent -= step;
    }
    while exponent < 0 {
        let step = (-exponent).min(22);
        value /= 10f64.powi(step);
        exponent += step;
    }
    Some(if negative { -value } else { value })
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
    fn typed_numbers_read_as_str_parse_reads_them() {
        for text in [
            "0",
            "-0",
            "20",
            "+20",
            "0.5",
            ".5",
            "5.",
            "-2.25",
            "1e3",
            "2E-3",
            "1.5e+2",
            "100000",
            "0.1",
            "0.2",
            "0.3",
            "123456.789",
            "999999999999999",
            "1e22",
            "1e-22",
            "0.000001",
            "3.14159265358979",
            "-0.001",
            "7e0",
            "1_0",
            "00012.50",
        ] {
            let ours = decimal(text);
            let std = text.parse::<f64>().ok();
            assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{text}");
        }
        // Beyond 15 significant digits or an exponent of 22, within a few parts in 10^16.
        for text in [
            "12345678901234567890123",
            "1e40",
            "1.7976931348623157e308",
            "2.5e-30",
        ] {
            let (ours, std) = (decimal(text).unwrap(), text.parse::<f64>().unwrap());
            assert!(
                ((ours - std) / std).abs() < 1e-15,
                "{text}: {ours} against {std}"
            );
        }
        assert_eq!(decimal("1e999"), Some(f64::INFINITY));
    }

    #[test]
    fn infinity_and_not_a_number_read_as_str_parse_reads_them() {
        for text in ["inf", "-inf", "+Infinity", "INF", "NaN", "nan", "-NaN"] {
            let (ours, std) = (decimal(text).unwrap(), text.parse::<f64>().unwrap());
            assert!(
                ours == std || (ours.is_nan() && std.is_nan()),
                "{text}: {ours} against {std}"
            );
        }
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for text in [
            "", "-", "+", ".", "-.", "e3", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "abc", "in",
            "nana", "infinit", "0x10", "1e3.5", "--1", "1-", "+-inf",
        ] {
            assert_eq!(decimal(text), None, "{text:?}");
        }
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
    fn readouts_side_by_side_keep_milliseconds_apart() {
        // lww-clock-skew's clocks: a few milliseconds apart, about 42 s ahead.
        assert_eq!(
            signed_durations(&[41_994_000, 41_990_000, 41_973_000]),
            ["+41.994 s", "+41.990 s", "+41.973 s"]
        );
        // Two decimals are enough here; one is, where nothing else is close.
        assert_eq!(
            signed_durations(&[41_990_000, 41_970_000]),
            ["+41.99 s", "+41.97 s"]
        );
        assert_eq!(
            signed_durations(&[2_000, -3_000, 3_600_000_000]),
            ["+2.0 ms", "\u{2212}3.0 ms", "+1 h"]
        );
        assert_eq!(
            signed_durations(&[3_600_000_000, 3_600_004_000]),
            ["+1 h", "+1 h 0.004 s"]
        );
        // Less than a millisecond apart may read the same: that difference is not the lesson.
        assert_eq!(
            signed_durations(&[6_000_000, 6_000_400]),
            ["+6.0 s", "+6.0 s"]
        );
        assert_eq!(signed_durations(&[]), Vec::<String>::new());
    }

    #[test]
    fn values_a_millisecond_apart_never_read_the_same() {
        let mut rng = crate::sim::SimRng::new(5);
        for _ in 0..20_000 {
            let scale = [1_000_000, 100_000_000, 10_000_000_000][rng.below(3) as usize];
            let base = rng.below(scale) as i64 - scale as i64 / 2;
            let values: Vec<i64> = (0..1 + rng.below(5))
                .map(|_| base + rng.below(5_000) as i64 - 2_500)
                .collect();
            let texts = signed_durations(&values);
            for i in 0..values.len() {
                for j in i + 1..values.len() {
                    if values[i].abs_diff(values[j]) >= 1_000 {
                        assert_ne!(texts[i], texts[j], "{values:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn drift_reads_in_parts_per_million() {
        assert_eq!(signed_ppm(100), "+100 ppm");
        assert_eq!(signed_ppm(-50_000), "\u{2212}50000 ppm");
        assert_eq!(signed_ppm(i32::MIN), "\u{2212}2147483648 ppm");
    }
}
