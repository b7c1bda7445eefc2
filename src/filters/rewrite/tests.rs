//! Tests of rewriting rules and of applying a source's rule sets in order.

use super::*;
use crate::filters::testdata;

fn shipped(name: &str) -> Arc<RuleSet> {
    let path = format!("{}/filters/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("read a shipped rule set");
    Arc::new(RuleSet::from_toml(&text, &path).expect("parse a shipped rule set"))
}

/// `expected`: the failing rule's name, `keep`, or `keep:<rules that rewrote>`.
fn check(input: (&str, &str), expected: &str) {
    let (set_name, text) = input;
    let set = shipped(set_name);
    let outcome = match set.evaluate(text) {
        Verdict::Keep(None) => "keep".to_string(),
        Verdict::Keep(Some(rewrite)) => {
            let rules: Vec<&str> = rewrite
                .edits
                .iter()
                .map(|e| set.rules[e.rule].name.as_str())
                .collect();
            format!("keep:{}", rules.join(","))
                .trim_end_matches(':')
                .to_string()
        }
        Verdict::Drop { rule, .. } => set.rules[rule].name.clone(),
    };
    assert_eq!(
        outcome,
        expected,
        "{set_name}: {:?}",
        &text[..text.len().min(60)]
    );
}

#[test]
fn shipped_sets_on_sample_documents() {
    use testdata::text;
    let table = [
        (("gopher_repetition", text("wiki:Answer")), "keep"),
        (("gopher_repetition", text("sotu:1800_john_adams")), "keep"),
        (
            ("gopher_repetition", text("code:flask/requirements/dev.txt")),
            "dup_line_frac",
        ),
        (("gopher_repetition", text("man:wcscat.3")), "top_2_gram"),
        (
            ("gopher_repetition", text("pydoc:library/turtle")),
            "duplicated_5_n_grams",
        ),
        (
            ("fineweb_quality", text("sotu:1800_john_adams")),
            "line_punct_ratio",
        ),
        (("fineweb_quality", text("wiki:Answer")), "keep"),
        (
            ("fineweb_quality", text("pydoc:library/turtle")),
            "line_punct_ratio",
        ),
        // The first line rule strips the indentation, which is not reported.
        (
            ("c4", text("man:wcscat.3")),
            "keep:too_few_words,no_terminal_punct",
        ),
        (
            ("c4", text("code:flask/src/flask/testing.py")),
            "curly_bracket",
        ),
        (
            ("c4", text("code:flask/requirements/dev.txt")),
            "too_few_sentences",
        ),
        (("c4", text("wiki:Answer")), "keep:too_few_words"),
        (("c4", text("sotu:1800_john_adams")), "keep"),
        (
            (
                "c4",
                "Lorem ipsum dolor sit amet. One two three.\nFour five six.",
            ),
            "lorem_ipsum",
        ),
    ];
    for (input, expected) in table {
        check(input, expected);
    }
}

#[test]
fn rewrites_are_counted_and_later_rules_see_the_new_text() {
    let text = "Menu\n  The cat sat down.[1] It purred.  \nEnable JavaScript to see this.\n\
                One more line here. And more. And again!\n";
    let set = RuleSet::from_toml(
        "[[rule]]\nkind = 'line_min_words'\n[[rule]]\nkind = 'citation_removal'\n\
         [[rule]]\nkind = 'line_substring'\nstrings = ['javascript']\ncase_insensitive = true\n\
         [[rule]]\nkind = 'sentence_count'\nmin = 5\n[[rule]]\nkind = 'char_count'\nmax = 200",
        "inline.toml",
    )
    .expect("parse");
    let expected = Rewrite {
        text: "The cat sat down. It purred.\nOne more line here. And more. And again!".into(),
        edits: vec![
            Edit {
                set: 0,
                rule: 0,
                lines_removed: 1,
                chars_removed: 5 + 2 + 2 + 1,
            },
            Edit {
                set: 0,
                rule: 1,
                lines_removed: 0,
                chars_removed: 3,
            },
            Edit {
                set: 0,
                rule: 2,
                lines_removed: 1,
                chars_removed: 31,
            },
        ],
    };
    assert_eq!(set.evaluate(text), Verdict::Keep(Some(expected.clone())));
    // A second set measures the first one's output: 69 characters, not the original 113.
    let bound = Arc::new(
        RuleSet::from_toml("[[rule]]\nkind = 'char_count'\nmax = 68", "b.toml").expect("parse"),
    );
    let verdict = apply(&[Arc::new(set), bound], text);
    assert_eq!(
        verdict,
        Verdict::Drop {
            set: 1,
            rule: 0,
            value: 69.0
        }
    );
    assert_eq!(apply(&[], text).kept_text(text), Some(text));
}

/// Pass 1 hands the filters a language detected ahead of time: the verdicts (and measured
/// values) must be those of detecting it inside the rules, on every sample document.
#[test]
fn a_language_detected_ahead_gives_the_same_verdicts() {
    let sets = [
        shipped("language"),
        shipped("gopher_repetition"),
        shipped("c4"),
    ];
    assert!(crate::filters::detects_language(&sets));
    assert!(!crate::filters::detects_language(&sets[1..]));
    let mut dropped_by_language = 0;
    for doc in testdata::sample() {
        let ahead = Views::with_language(&doc.text, crate::filters::detect_language(&doc.text));
        let fresh = apply(&sets, &doc.text);
        let seeded = apply_views(&sets, &ahead);
        assert_eq!(seeded, fresh, "{}", doc.key);
        dropped_by_language += usize::from(matches!(fresh, Verdict::Drop { set: 0, .. }));
    }
    assert!(dropped_by_language > 10, "{dropped_by_language}");
}
