//! Declarative quality filters: rule sets parsed from `filters/*.toml`, each rule a pure
//! function of the document text that measures one number, compared with inclusive bounds.
//!
//! A rule's kind lives in `src/filters/<kind>.rs` and is listed in [`RuleKind`]. Kinds read
//! the document through [`Views`], which splits words and lines at most once per document
//! and shares them among the rules. `filters/README.md` documents every kind.

mod affixes;
mod kind;
mod langid;
mod lines;
mod ngram_table;
mod ngrams;
mod parse;
mod punctuation;
mod repetition;
mod rewrite;
#[cfg(test)]
mod testdata;
mod views;
mod word_stats;
mod words;

mod alpha_word_ratio;
mod bullet_lines_ratio;
mod char_count;
mod ellipsis_lines_ratio;
mod language_id;
mod mean_word_length;
mod non_symbol_chars;
mod quality_classifier;
mod stop_words;
mod symbol_word_ratio;
mod token_count;
mod word_count;

mod citation_removal;
mod duplicate_line_char_fraction;
mod duplicate_line_char_ratio;
mod duplicate_line_fraction;
mod duplicate_ngram_char_fraction;
mod duplicate_paragraph_char_fraction;
mod duplicate_paragraph_fraction;
mod line_count;
mod line_max_word_length;
mod line_min_words;
mod line_substring;
mod line_terminal_punctuation;
mod newline_word_ratio;
mod punctuated_line_ratio;
mod regex;
mod sentence_count;
mod short_line_ratio;
mod substring;
mod top_ngram_char_fraction;

pub use kind::RuleKind;
pub use langid::{UNDETERMINED, detect_language};
pub use rewrite::{Edit, Rewrite, Verdict, apply, apply_views};
pub use views::Views;
pub use word_stats::WordStats;

use anyhow::Result;
use std::sync::Arc;

/// A parsed rule set (one `filters/*.toml` file).
#[derive(Clone, Debug)]
pub struct RuleSet {
    /// The set's name (the `name` key, or the file stem).
    pub name: String,
    /// The `description` key (empty when absent).
    pub description: String,
    /// Rules in file order; the first failing rule decides the drop reason.
    pub rules: Vec<Rule>,
}

/// One rule: a measurement and inclusive bounds.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Label in reports (`name` key, default the kind name); unique within its set.
    pub name: String,
    /// Inclusive lower bound.
    pub min: Option<f64>,
    /// Inclusive upper bound.
    pub max: Option<f64>,
    /// What the rule measures, with the kind's parameters.
    pub kind: RuleKind,
}

/// Whether any rule of `sets` measures the document's language (a `language_id` rule): the
/// pipeline then detects it up front, for its batch ([`Views::with_language`]), and counts
/// it in the report's distribution.
pub fn detects_language(sets: &[Arc<RuleSet>]) -> bool {
    sets.iter().any(|set| {
        set.rules
            .iter()
            .any(|rule| matches!(rule.kind, RuleKind::LanguageId(_)))
    })
}

impl RuleSet {
    /// Parses a rule set from TOML text; `origin` (the file path) goes into error messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<RuleSet> {
        parse::rule_set(text, origin)
    }

    /// Applies the rules to a document text. A kept document carries the rewritten text
    /// when rewriting rules changed it; a source's several sets go through [`apply`].
    pub fn evaluate(&self, text: &str) -> Verdict {
        self.evaluate_views(&Views::new(text))
    }

    /// Applies the rules to a document whose views the caller already holds (to share them
    /// with other rule sets or to read the measurements afterwards). Rules after a rewrite
    /// measure fresh views of the rewritten text.
    pub fn evaluate_views(&self, views: &Views<'_>) -> Verdict {
        rewrite::evaluate(self, 0, views)
    }

    /// Whether any rule may rewrite the text (pass 2 then re-applies the set).
    pub fn rewrites(&self) -> bool {
        self.rules.iter().any(|rule| rule.kind.rewriter().is_some())
    }
}

impl Rule {
    /// Measures a document with this rule's kind.
    pub fn measure(&self, views: &Views<'_>) -> f64 {
        self.kind.measure(views)
    }

    /// Measures a document as far as the bounds need: with a lower bound alone, a kind that
    /// counts may stop once the count reaches it (a kept document's value is not reported).
    pub fn measure_for_verdict(&self, views: &Views<'_>) -> f64 {
        match (self.min, self.max) {
            (Some(min), None) => self.kind.measure_until(views, min),
            _ => self.kind.measure(views),
        }
    }

    /// Whether `value` lies within the inclusive bounds.
    pub fn accepts(&self, value: f64) -> bool {
        self.min.is_none_or(|min| value >= min) && self.max.is_none_or(|max| value <= max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gopher() -> RuleSet {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/filters/gopher_quality.toml");
        let text = std::fs::read_to_string(path).expect("read gopher_quality.toml");
        RuleSet::from_toml(&text, path).expect("parse gopher_quality.toml")
    }

    /// The verdict as the failing rule's name, or `keep`.
    fn check(input: &str, expected: &str) {
        let set = gopher();
        let outcome = match set.evaluate(input) {
            Verdict::Keep(_) => "keep".to_string(),
            Verdict::Drop { rule, .. } => set.rules[rule].name.clone(),
        };
        assert_eq!(outcome, expected, "{:?}", &input[..input.len().min(80)]);
    }

    #[test]
    fn gopher_quality_on_sample_documents() {
        use testdata::text;
        let table = [
            (text("wiki:Answer"), "keep"),
            (text("sotu:1800_john_adams"), "keep"),
            (text("ref:foldoc:microreid"), "word_count"),
            (text("code:flask/requirements/build.txt"), "word_count"),
            (text("man:wcscat.3"), "mean_word_length"),
            // Lists, dates and ISBNs put a fifth of its words below the alphabetic bar:
            // datatrove measures 0.777 and drops it too.
            (text("wiki:Alain Connes"), "alpha_word_ratio"),
            (
                text("code:regex-syntax/src/unicode_tables/perl_space.rs"),
                "alpha_word_ratio",
            ),
            ("", "word_count"),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn code_set_keeps_every_technical_document_with_words() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/filters/code.toml");
        let text = std::fs::read_to_string(path).expect("read code.toml");
        let set = RuleSet::from_toml(&text, path).expect("parse code.toml");
        let technical = ["Github", "Manpages", "Python Docs"];
        let dropped: Vec<&str> = testdata::sample()
            .iter()
            .filter(|doc| technical.contains(&doc.source.as_str()))
            .filter(|doc| set.evaluate(&doc.text) != Verdict::Keep(None))
            .map(|doc| doc.key.as_str())
            .collect();
        // Only the two files whose whole text is "\n".
        let empty = [
            "code:requests/requests.egg-info/dependency_links.txt",
            "code:requests/src/requests.egg-info/dependency_links.txt",
        ];
        assert_eq!(dropped, empty);
    }

    /// Share of the sample documents of `sources` that the shipped set `file` keeps.
    fn kept_share(file: &str, sources: &[&str]) -> f64 {
        let path = format!("{}/filters/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("read the set");
        let set = RuleSet::from_toml(&text, &path).expect(file);
        let docs: Vec<_> = testdata::sample()
            .iter()
            .filter(|doc| sources.contains(&doc.source.as_str()))
            .collect();
        let kept = docs
            .iter()
            .filter(|doc| matches!(set.evaluate(&doc.text), Verdict::Keep(_)))
            .count();
        kept as f64 / docs.len() as f64
    }

    #[test]
    fn every_shipped_set_parses_and_keeps_its_own_kind() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/filters");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let shown = path.display().to_string();
                if let Err(err) = RuleSet::from_toml(&text, &shown) {
                    panic!("{shown}: {err:#}");
                }
            }
        }
        // (set, sources of its kind in the sample, minimum share kept)
        let table: [(&str, &[&str], f64); 5] = [
            ("books.toml", &["Gutenberg (PG-19)"], 1.0),
            ("encyclopedia.toml", &["Wikipedia (en)"], 0.9),
            ("qa.toml", &["Python Docs"], 0.9),
            ("email.toml", &["Emails"], 0.7),
            ("code.toml", &["Github", "Manpages"], 0.95),
        ];
        for (file, sources, floor) in table {
            let share = kept_share(file, sources);
            assert!(share >= floor, "{file} keeps {share:.2} of {sources:?}");
        }
        // The prose set would wipe the code sources out.
        assert!(kept_share("gopher_quality.toml", &["Github", "Manpages"]) < 0.2);
    }

    #[test]
    fn first_failing_rule_wins_and_bounds_are_inclusive() {
        let set = RuleSet::from_toml(
            "[[rule]]\nkind = 'char_count'\nmin = 3\nmax = 5\n\
             [[rule]]\nkind = 'word_count'\nmin = 2",
            "inline.toml",
        )
        .expect("parse");
        assert_eq!(
            set.evaluate("ab"),
            Verdict::Drop {
                set: 0,
                rule: 0,
                value: 2.0
            }
        );
        assert_eq!(
            set.evaluate("abc"),
            Verdict::Drop {
                set: 0,
                rule: 1,
                value: 1.0
            }
        );
        assert_eq!(set.evaluate("a bc"), Verdict::Keep(None));
        assert_eq!(set.evaluate("a b c"), Verdict::Keep(None));
        assert_eq!(
            set.evaluate("a b c d"),
            Verdict::Drop {
                set: 0,
                rule: 0,
                value: 7.0
            }
        );
    }
}
