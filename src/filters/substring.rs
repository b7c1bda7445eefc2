//! `substring`: a literal blocklist. Parameters `strings` (non-empty literals) and
//! `case_insensitive` (default false; ASCII letters only). The value is the number of
//! non-overlapping occurrences of any listed string, scanning left to right (an
//! Aho-Corasick automaton, so a list of thousands costs one pass). With `max = 0` it drops
//! every document that contains one; C4's `lorem ipsum` and `{` rules are two such rules.

use super::kind::Measure;
use super::views::Views;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

/// The TOML parameters shared by `substring` and `line_substring`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubstringsToml {
    strings: Vec<String>,
    #[serde(default)]
    case_insensitive: bool,
}

/// A compiled list of literals.
#[derive(Clone, Debug)]
pub struct Substrings {
    automaton: AhoCorasick,
}

impl Substrings {
    /// Compiles the list; refuses an empty list or an empty string.
    pub fn new(strings: &[String], case_insensitive: bool) -> Result<Self, String> {
        if strings.is_empty() || strings.iter().any(String::is_empty) {
            return Err("`strings` must list at least one string, and no empty string".into());
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(case_insensitive)
            .match_kind(MatchKind::LeftmostFirst)
            .build(strings)
            .map_err(|err| format!("cannot compile `strings`: {err}"))?;
        Ok(Substrings { automaton })
    }

    /// Non-overlapping occurrences in `text`.
    pub fn count(&self, text: &str) -> usize {
        self.automaton.find_iter(text).count()
    }

    /// Whether `text` contains any of the strings.
    pub fn any(&self, text: &str) -> bool {
        self.automaton.is_match(text)
    }
}

impl TryFrom<SubstringsToml> for Substrings {
    type Error = String;

    fn try_from(raw: SubstringsToml) -> Result<Self, String> {
        Substrings::new(&raw.strings, raw.case_insensitive)
    }
}

/// Parameters of `substring`.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "SubstringsToml")]
pub struct Substring {
    /// The compiled list.
    pub strings: Substrings,
}

impl TryFrom<SubstringsToml> for Substring {
    type Error = String;

    fn try_from(raw: SubstringsToml) -> Result<Self, String> {
        Ok(Substring {
            strings: raw.try_into()?,
        })
    }
}

impl Measure for Substring {
    fn measure(&self, views: &Views<'_>) -> f64 {
        self.strings.count(views.text()) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: (&[&str], bool, &str), expected: f64) {
        let (strings, case_insensitive, text) = input;
        let strings: Vec<String> = strings.iter().map(|s| s.to_string()).collect();
        let kind = Substring {
            strings: Substrings::new(&strings, case_insensitive).expect("compile"),
        };
        assert_eq!(kind.measure(&Views::new(text)), expected, "{text:?}");
    }

    #[test]
    fn counts_occurrences() {
        const LOREM: &[&str] = &["lorem ipsum"];
        const BRACE: &[&str] = &["{"];
        let table = [
            ((LOREM, true, ""), 0.0),
            ((LOREM, true, "Lorem Ipsum dolor, LOREM IPSUM"), 2.0),
            ((LOREM, false, "Lorem Ipsum dolor"), 0.0),
            ((&["aa", "a"][..], false, "aaa"), 2.0),
            ((BRACE, false, testdata::text("wiki:Answer")), 0.0),
            (
                (
                    BRACE,
                    false,
                    testdata::text("code:flask/src/flask/testing.py"),
                ),
                11.0,
            ),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn refuses_empty_lists() {
        assert!(Substrings::new(&[], false).is_err());
        assert!(Substrings::new(&[String::new()], false).is_err());
        let err = toml::from_str::<Substring>("strings = ['a']\nstring = ['b']").err();
        assert!(err.is_some_and(|e| e.to_string().contains("unknown field `string`")));
    }
}
