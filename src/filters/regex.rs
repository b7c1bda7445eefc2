//! `regex`: a pattern blocklist. Parameter `patterns` (Rust `regex` syntax, Unicode-aware,
//! no look-around or back-references). The value is the number of non-overlapping matches of
//! the patterns' alternation, scanning left to right (the leftmost match wins; at the same
//! start, the earlier pattern). A pattern that does not compile, or that matches the empty
//! string, is refused at load time with the pattern quoted.

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegexToml {
    patterns: Vec<String>,
}

/// Parameters of `regex`.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RegexToml")]
pub struct Regex {
    /// The alternation of all patterns.
    combined: ::regex::Regex,
}

impl Regex {
    /// Compiles the patterns; the error names the first bad one.
    pub fn new(patterns: &[String]) -> Result<Self, String> {
        if patterns.is_empty() {
            return Err("`patterns` must list at least one pattern".into());
        }
        for pattern in patterns {
            let compiled = ::regex::Regex::new(pattern)
                .map_err(|err| format!("bad pattern {pattern:?}: {err}"))?;
            if compiled.is_match("") {
                return Err(format!("pattern {pattern:?} matches the empty string"));
            }
        }
        let alternation: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
        let combined = ::regex::Regex::new(&alternation.join("|"))
            .map_err(|err| format!("cannot combine `patterns`: {err}"))?;
        Ok(Regex { combined })
    }
}

impl TryFrom<RegexToml> for Regex {
    type Error = String;

    fn try_from(raw: RegexToml) -> Result<Self, String> {
        Regex::new(&raw.patterns)
    }
}

impl Measure for Regex {
    fn measure(&self, views: &Views<'_>) -> f64 {
        self.combined.find_iter(views.text()).count() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: (&[&str], &str), expected: f64) {
        let (patterns, text) = input;
        let patterns: Vec<String> = patterns.iter().map(|s| s.to_string()).collect();
        let kind = Regex::new(&patterns).expect("compile");
        assert_eq!(kind.measure(&Views::new(text)), expected, "{text:?}");
    }

    #[test]
    fn counts_matches() {
        const EMAIL: &[&str] = &[r"[\w.+-]+@[\w-]+\.[\w.]+"];
        let table = [
            ((EMAIL, ""), 0.0),
            ((EMAIL, "write to a.b@c.org or x@y.io"), 2.0),
            (
                (
                    &[r"(?i)\bclick here\b", "buy now"][..],
                    "Click here, buy now!",
                ),
                2.0,
            ),
            ((&["ab", "abc"][..], "abcabc"), 2.0),
            ((&[r"\bthe\b"][..], testdata::text("wiki:Answer")), 13.0),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn refuses_bad_patterns() {
        let err = Regex::new(&["ok".into(), "(unclosed".into()]).err();
        assert!(err.is_some_and(|e| e.contains("bad pattern \"(unclosed\"")));
        let err = Regex::new(&["x*".into()]).err();
        assert!(err.is_some_and(|e| e.contains("matches the empty string")));
        assert!(Regex::new(&[]).is_err());
    }
}
