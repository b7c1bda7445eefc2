//! `punctuated_line_ratio`: FineWeb's line punctuation ratio, as datatrove ≥ 0.4 computes it.
//! Lines are `text.split("\n")` without the blank ones (empty after Python's `str.strip()`);
//! the value is the fraction of them whose last character is an ending, by default one of
//! datatrove's `TERMINAL_PUNCTUATION` (`. ! ?` and 156 sentence marks of other scripts, but
//! not `"` or `'`). Lines are not stripped: a line ending in a space or `\r` does not count.
//! A text without non-blank lines measures 0. datatrove: `line_punct_thr`, drops below 0.12.

use super::kind::Measure;
use super::lines::py_strip;
use super::views::{Views, ratio};
use serde::Deserialize;

/// Parameters of `punctuated_line_ratio`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PunctuatedLineRatio {
    /// Characters a line may end with (datatrove's `stop_chars`); unset means datatrove's
    /// `TERMINAL_PUNCTUATION`. datatrove 0.2/0.3 used `[".", "'", '"', "!", "?"]`.
    #[serde(default)]
    pub endings: Option<Vec<char>>,
    /// Leave out lines that are empty after stripping (default true, as datatrove ≥ 0.4;
    /// false counts them, as datatrove 0.2/0.3 did).
    #[serde(default = "default_skip_blank_lines")]
    pub skip_blank_lines: bool,
}

fn default_skip_blank_lines() -> bool {
    true
}

/// The non-ASCII members of datatrove's `TERMINAL_PUNCTUATION` (`datatrove/utils/text.py`,
/// 0.10.1), sorted for binary search; the ASCII members are `.`, `!` and `?`.
#[rustfmt::skip]
const TERMINAL_NON_ASCII: [char; 156] = [
    '\u{589}', '\u{61d}', '\u{61e}', '\u{61f}', '\u{6d4}', '\u{700}', '\u{701}', '\u{702}',
    '\u{7f9}', '\u{837}', '\u{839}', '\u{83d}', '\u{83e}', '\u{964}', '\u{965}', '\u{104a}',
    '\u{104b}', '\u{1362}', '\u{1367}', '\u{1368}', '\u{166e}', '\u{1735}', '\u{1736}', '\u{17d4}',
    '\u{17d5}', '\u{17d6}', '\u{17d9}', '\u{17da}', '\u{1803}', '\u{1809}', '\u{1944}', '\u{1945}',
    '\u{1aa8}', '\u{1aa9}', '\u{1aaa}', '\u{1aab}', '\u{1b5a}', '\u{1b5b}', '\u{1b5e}', '\u{1b5f}',
    '\u{1b7d}', '\u{1b7e}', '\u{1c3b}', '\u{1c3c}', '\u{1c7e}', '\u{1c7f}', '\u{203c}', '\u{203d}',
    '\u{2047}', '\u{2048}', '\u{2049}', '\u{2e2e}', '\u{2e3c}', '\u{2e53}', '\u{2e54}', '\u{3002}',
    '\u{a4ff}', '\u{a60e}', '\u{a60f}', '\u{a6f3}', '\u{a6f7}', '\u{a876}', '\u{a877}', '\u{a8ce}',
    '\u{a8cf}', '\u{a92f}', '\u{a9c8}', '\u{a9c9}', '\u{aa5d}', '\u{aa5e}', '\u{aa5f}', '\u{aaf0}',
    '\u{aaf1}', '\u{abeb}', '\u{fe52}', '\u{fe56}', '\u{fe57}', '\u{ff01}', '\u{ff0e}', '\u{ff1f}',
    '\u{ff61}', '\u{10a56}', '\u{10a57}', '\u{10f55}', '\u{10f56}', '\u{10f57}', '\u{10f58}',
    '\u{10f59}', '\u{10f86}', '\u{10f87}', '\u{10f88}', '\u{10f89}', '\u{11047}', '\u{11048}',
    '\u{110be}', '\u{110bf}', '\u{110c0}', '\u{110c1}', '\u{11141}', '\u{11142}', '\u{11143}',
    '\u{111c5}', '\u{111c6}', '\u{111cd}', '\u{111de}', '\u{111df}', '\u{11238}', '\u{11239}',
    '\u{1123b}', '\u{1123c}', '\u{112a9}', '\u{1144b}', '\u{1144c}', '\u{115c2}', '\u{115c3}',
    '\u{115c9}', '\u{115ca}', '\u{115cb}', '\u{115cc}', '\u{115cd}', '\u{115ce}', '\u{115cf}',
    '\u{115d0}', '\u{115d1}', '\u{115d2}', '\u{115d3}', '\u{115d4}', '\u{115d5}', '\u{115d6}',
    '\u{115d7}', '\u{11641}', '\u{11642}', '\u{1173c}', '\u{1173d}', '\u{1173e}', '\u{11944}',
    '\u{11946}', '\u{11a42}', '\u{11a43}', '\u{11a9b}', '\u{11a9c}', '\u{11c41}', '\u{11c42}',
    '\u{11ef7}', '\u{11ef8}', '\u{11f43}', '\u{11f44}', '\u{16a6e}', '\u{16a6f}', '\u{16af5}',
    '\u{16b37}', '\u{16b38}', '\u{16b44}', '\u{16e98}', '\u{1bc9f}', '\u{1da88}',
];

/// Whether `c` is in datatrove's `TERMINAL_PUNCTUATION`.
fn is_terminal_punctuation(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '.' | '!' | '?')
    } else {
        TERMINAL_NON_ASCII.binary_search(&c).is_ok()
    }
}

impl PunctuatedLineRatio {
    fn ends_punctuated(&self, line: &str) -> bool {
        let Some(last) = line.chars().next_back() else {
            return false;
        };
        match &self.endings {
            None => is_terminal_punctuation(last),
            Some(endings) => endings.contains(&last),
        }
    }
}

impl Measure for PunctuatedLineRatio {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let (mut n_lines, mut punctuated) = (0, 0);
        for line in views.newline_lines() {
            if self.skip_blank_lines && py_strip(line).is_empty() {
                continue;
            }
            n_lines += 1;
            punctuated += usize::from(self.ends_punctuated(line));
        }
        ratio(punctuated, n_lines)
    }

    fn validate(&self) -> Result<(), String> {
        if self.endings.as_ref().is_some_and(Vec::is_empty) {
            return Err("`endings` must list at least one character".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(kind: &PunctuatedLineRatio, input: &str, expected: f64) {
        let measured = kind.measure(&Views::new(input));
        assert!((measured - expected).abs() < 1e-4, "{input:?}: {measured}");
    }

    #[test]
    fn counts_non_blank_lines_ending_in_terminal_punctuation() {
        let kind: PunctuatedLineRatio = toml::from_str("").expect("defaults");
        let table = [
            ("", 0.0),
            (" \n\t\n", 0.0),
            ("Hi.\n\nYes!\n", 1.0),
            // Quotes no longer end a line; a trailing space or `\r` hides the full stop.
            ("\"Quoted\"\nno \nend.\r\nwhy?", 1.0 / 4.0),
            ("終わり。\nथा।\n¿Qué‽\nnot", 3.0 / 4.0),
            (testdata::text("sotu:1800_john_adams"), 0.0),
            (testdata::text("wiki:Answer"), 0.5),
            (testdata::text("man:wcscat.3"), 0.1935),
            (testdata::text("ref:foldoc:comma"), 0.5),
            // Its only punctuated line ends in `"`: 0 now, 0.2 for datatrove 0.3.
            (testdata::text("ref:devil:cunning"), 0.0),
            (testdata::text("ref:foldoc:snafu principle"), 0.0755),
            // 4 of 33 non-blank lines: just above the 0.12 bar (0.0714 for datatrove 0.3).
            (
                testdata::text("wiki:Academy Award for Best Production Design"),
                0.1212,
            ),
        ];
        for (input, expected) in table {
            check(&kind, input, expected);
        }
    }

    #[test]
    fn old_semantics_from_parameters() {
        let toml_text = "endings = ['.', \"'\", '\"', '!', '?']\nskip_blank_lines = false";
        let kind: PunctuatedLineRatio = toml::from_str(toml_text).expect(toml_text);
        let table = [
            ("Hi.\n\nYes!\n", 2.0 / 4.0),
            (testdata::text("ref:devil:cunning"), 0.2),
            (testdata::text("man:wcscat.3"), 0.1333),
        ];
        for (input, expected) in table {
            check(&kind, input, expected);
        }
    }

    #[test]
    fn terminal_table_is_sorted_and_excludes_quotes() {
        assert!(TERMINAL_NON_ASCII.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(['.', '!', '?', '。', '؟', '！'].map(is_terminal_punctuation) == [true; 6]);
        assert!(['"', '\'', ',', ':', '…', '”'].map(is_terminal_punctuation) == [false; 6]);
    }
}
