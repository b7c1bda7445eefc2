//! Where a report comes from: the tool version, the git commit it was built from, the UTC
//! date of the run and the command line. The date and command line differ between two runs of
//! the same config, so the renderers group them with the other varying header fields.

use super::model::RunHeader;
use std::time::{SystemTime, UNIX_EPOCH};

/// The git commit the binary was built from (`build.rs`), or `unknown`.
pub const GIT_COMMIT: &str = env!("PILECURATE_GIT_COMMIT");

impl RunHeader {
    /// A header holding what this process knows of itself: tool version, git commit, the
    /// current UTC date and the command line. The pipeline fills in the rest.
    pub fn of_this_process() -> RunHeader {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        RunHeader {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: GIT_COMMIT.to_string(),
            date_utc: utc_date(seconds),
            command_line: command_line(std::env::args_os().map(|a| a.to_string_lossy().into())),
            ..RunHeader::default()
        }
    }
}

/// Seconds since 1970-01-01 as an RFC 3339 UTC time: `2026-12-03T08:06:14Z`.
pub fn utc_date(seconds: u64) -> String {
    let (days, in_day) = (seconds / 86_400, seconds % 86_400);
    let (hour, minute, second) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    // Days to a civil date (proleptic Gregorian), Howard Hinnant's `civil_from_days`.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// The arguments as one line a POSIX shell reads back: arguments holding anything but
/// plain characters are single-quoted.
pub fn command_line(args: impl Iterator<Item = String>) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    let quoted = args.map(|arg| {
        if !arg.is_empty() && arg.chars().all(plain) {
            arg
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        }
    });
    quoted.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        let check = |seconds: u64, expected: &str| assert_eq!(utc_date(seconds), expected);
        check(0, "1970-01-01T00:00:00Z");
        check(951_782_400, "2000-02-29T00:00:00Z");
        check(1_709_251_199, "2024-02-29T23:59:59Z");
        check(1_796_285_174, "2026-12-03T08:06:14Z");
        check(4_102_444_800, "2100-01-01T00:00:00Z");
    }

    #[test]
    fn command_lines_quote_what_a_shell_would_split() {
        let check = |args: &[&str], expected: &str| {
            let args = args.iter().map(|a| a.to_string());
            assert_eq!(command_line(args), expected);
        };
        check(
            &["pilecurate", "run", "data/pilecurate.toml", "-o", "out"],
            "pilecurate run data/pilecurate.toml -o out",
        );
        check(&["run", "my runs/a b.toml"], "run 'my runs/a b.toml'");
        check(&["it's", ""], r"'it'\''s' ''");
        check(&["*.jsonl"], "'*.jsonl'");
    }

    #[test]
    fn this_process_knows_its_version_and_commit() {
        let header = RunHeader::of_this_process();
        assert_eq!(header.tool_version, env!("CARGO_PKG_VERSION"));
        assert!(
            header.git_commit == "unknown"
                || (header.git_commit.len() == 40
                    && header.git_commit.chars().all(|c| c.is_ascii_hexdigit())),
            "{}",
            header.git_commit
        );
        assert!(header.date_utc.ends_with('Z') && header.date_utc.len() == 20);
        assert!(!header.command_line.is_empty());
    }
}
