//! The perturbation generator: each kind changes what it says and nothing else.

use super::*;
use crate::dedup::{normalize, normalize_basic};

const TEXT: &str = "He said, \"Don't go -- it's late.\" Then: (a) 3.14 and 1,000; 'ok'?\n\
    A second line -- with e-mail/addresses!\n\n(Mark Twain)\n-- Oscar Wilde";

/// `kind`'s copies of [`TEXT`] over many seeds: never the text itself, and a different
/// text under `basic` normalization when `basic_differs`.
fn copies(kind: Kind, basic_differs: bool) -> Vec<String> {
    let copies: Vec<String> = (0..50).map(|seed| perturb_kind(TEXT, kind, seed)).collect();
    for copy in &copies {
        assert_ne!(copy, TEXT, "{kind:?}");
        if basic_differs {
            assert_ne!(
                normalize_basic(copy),
                normalize_basic(TEXT),
                "{kind:?} {copy:?}"
            );
        }
    }
    assert_eq!(
        perturb_kind(TEXT, kind, 7),
        copies[7],
        "{kind:?} is deterministic"
    );
    copies
}

#[test]
fn edits_that_keep_the_letters_keep_them() {
    for (kind, basic_differs) in [
        (Kind::Punctuation, true),
        (Kind::Quotes, true),
        (Kind::Case, false),
        (Kind::Whitespace, false),
        (Kind::Wrap, false),
    ] {
        // Apostrophes dropped inside words (`Dont`) are the one edit that changes words.
        let letters = |t: &str| normalize(&t.replace(['\'', '’', '‘'], ""));
        for copy in copies(kind, basic_differs) {
            assert_eq!(letters(&copy), letters(TEXT), "{kind:?} {copy:?}");
        }
    }
}

#[test]
fn numbers_change_the_digits_only() {
    let copies = copies(Kind::Numbers, true);
    for copy in &copies {
        let letters_only = |t: &str| t.replace(|c: char| c.is_ascii_digit(), "0");
        assert_eq!(letters_only(copy), letters_only(TEXT));
    }
}

#[test]
fn each_kind_makes_its_edits() {
    let all = |kind| copies(kind, false).concat();
    let punctuation = all(Kind::Punctuation);
    assert!(punctuation.contains("(Oscar Wilde)") && punctuation.contains("-- Mark Twain"));
    assert!(punctuation.contains("Dont") && punctuation.contains(';'));
    let quotes = all(Kind::Quotes);
    assert!(quotes.contains("“Don’t") && quotes.contains("‘ok’"));
    assert!(
        copies(Kind::Quotes, false)
            .iter()
            .any(|c| c.matches('“').count() >= 2)
    );
    let case = all(Kind::Case);
    assert!(case.contains("HE SAID") && case.contains("he said") && case.contains("Late"));
    let whitespace = all(Kind::Whitespace);
    assert!(whitespace.contains('\t') && whitespace.contains("\r\n"));
    for copy in copies(Kind::Wrap, false) {
        let width = copy.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(width < 100, "{copy:?}");
        assert_eq!(copy.matches("\n\n").count(), 1, "{copy:?}");
    }
    assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd");
}
