//! Human-readable numbers for `report.md`: thousands separators for counts, K/M/B/T for
//! tokens, binary units for bytes (as the Pile's tables do), and a dash for "not defined".
//! Exact counts stay in `report.json`.

/// Printed where a figure is not defined (no tokens, no target, ...).
pub const NONE: &str = "—";

/// Inserts `,` every three digits in the integer part of a plain decimal number.
fn group_thousands(number: &str) -> String {
    let (sign, unsigned) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int_part, frac_part) = match unsigned.find('.') {
        Some(dot) => unsigned.split_at(dot),
        None => (unsigned, ""),
    };
    let mut grouped = String::with_capacity(number.len() + int_part.len() / 3);
    grouped.push_str(sign);
    for (i, digit) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped.push_str(frac_part);
    grouped
}

/// An exact count with thousands separators: `1,234,567`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// A token count with a decimal suffix: `999`, `1.50K`, `14.80B`.
pub fn tokens(n: u64) -> String {
    const UNITS: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];
    let value = n as f64;
    match UNITS.iter().find(|(scale, _)| value >= *scale) {
        Some((scale, unit)) => format!("{:.2}{unit}", value / scale),
        None => n.to_string(),
    }
}

/// A byte count in binary units: `512 B`, `1.50 KiB`, `227.12 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

/// A figure with fixed decimals and thousands separators, or [`NONE`].
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => group_thousands(&format!("{v:.decimals$}")),
        _ => NONE.to_string(),
    }
}

/// A wall time: `0.4 s`, `12.3 s`, `4m 05s`, `2h 03m 09s`.
pub fn seconds(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return NONE.to_string();
    }
    if secs < 60.0 {
        return format!("{secs:.1} s");
    }
    let whole = secs.round() as u64;
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    if h == 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{h}h {m:02}m {s:02}s")
    }
}

/// Text for a markdown table cell: `|` escaped, line breaks flattened.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(found: String, expected: &str) {
        assert_eq!(found, expected);
    }

    #[test]
    fn formats_numbers() {
        check(count(0), "0");
        check(count(999), "999");
        check(count(1_000), "1,000");
        check(count(1_234_567), "1,234,567");
        check(count(u64::MAX), "18,446,744,073,709,551,615");
        check(tokens(999), "999");
        check(tokens(1_500), "1.50K");
        check(tokens(14_800_000_000), "14.80B");
        check(tokens(338_600_000_000_000), "338.60T");
        check(bytes(1023), "1023 B");
        check(bytes(1536), "1.50 KiB");
        check(bytes(243_870_148_608), "227.12 GiB");
        check(fixed(Some(1234.56), 1), "1,234.6");
        check(fixed(Some(-0.25), 2), "-0.25");
        check(fixed(Some(0.24341), 4), "0.2434");
        check(fixed(None, 2), NONE);
        check(fixed(Some(f64::NAN), 2), NONE);
        check(seconds(0.42), "0.4 s");
        check(seconds(245.0), "4m 05s");
        check(seconds(7389.4), "2h 03m 09s");
        check(cell("a|b\nc"), "a\\|b c");
    }
}
