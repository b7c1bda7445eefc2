//! The n-gram index against a direct implementation that builds every n-gram string, on
//! every sample document and on texts made to hit the shortcuts' edges.

use super::*;
use crate::filters::WordStats;
use crate::filters::testdata;
use crate::filters::words::split_words;
use std::collections::{HashMap, HashSet};

/// `Counter(" ".join(w) for w in ngrams).most_common(1)`: characters times count.
fn top_reference(words: &[&str], n: usize) -> usize {
    if n == 0 || words.len() < n {
        return 0;
    }
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for (start, window) in words.windows(n).enumerate() {
        counts.entry(window.join(" ")).or_insert((0, start)).0 += 1;
    }
    let (ngram, (count, _)) = counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .expect("an n-gram");
    ngram.chars().count() * count
}

/// datatrove's `find_all_duplicate` on joined strings.
fn duplicate_reference(words: &[&str], n: usize) -> usize {
    let mut seen = HashSet::new();
    let (mut repeated, mut i) = (0, 0);
    while n > 0 && i + n <= words.len() {
        let ngram = words[i..i + n].concat();
        if seen.contains(&ngram) {
            repeated += ngram.chars().count();
            i += n;
        } else {
            seen.insert(ngram);
            i += 1;
        }
    }
    repeated
}

fn check(text: &str) {
    let mut words = Vec::new();
    split_words(text, &mut words, &mut WordStats::default());
    let shared = Ngrams::new(&words);
    let label = &text[..text.len().min(60)];
    for n in [2, 3, 4] {
        let expected = top_reference(&words, n);
        // Through the shortcut (after n - 1) and on a fresh index (without it).
        assert_eq!(shared.top_chars(n), expected, "top {n}: {label:?}");
        assert_eq!(
            Ngrams::new(&words).top_chars(n),
            expected,
            "top {n}: {label:?}"
        );
    }
    for n in 5..=10 {
        let expected = duplicate_reference(&words, n);
        assert_eq!(shared.duplicate_chars(n), expected, "dup {n}: {label:?}");
    }
    // Shorter n after longer ones (the cached candidates must not be reused for them).
    for n in [3, 2, 7] {
        let expected = duplicate_reference(&words, n);
        assert_eq!(shared.duplicate_chars(n), expected, "dup {n}: {label:?}");
    }
}

#[test]
fn agrees_with_the_direct_definitions_on_every_sample_document() {
    let mut with_duplicates = 0;
    for doc in testdata::sample() {
        // The reference builds every n-gram string: keep it to the first 40,000 words.
        let mut words = Vec::new();
        split_words(&doc.text, &mut words, &mut WordStats::default());
        let end = words.get(40_000).map_or(doc.text.len(), |w| {
            w.as_ptr() as usize - doc.text.as_ptr() as usize
        });
        check(&doc.text[..end]);
        with_duplicates +=
            usize::from(duplicate_reference(&words[..words.len().min(40_000)], 5) > 0);
    }
    // Not vacuous: many real documents repeat 5-grams.
    assert!(with_duplicates > 100, "{with_duplicates}");
}

#[test]
fn agrees_on_edge_cases() {
    let long_word = "x".repeat(40);
    let texts = [
        String::new(),
        "a".into(),
        "a b".into(),
        "a b a b a b c".into(),
        // Joined with "": "ab c" equals "a bc", short (under PREFIX_BYTES) and long.
        "ab c d e f a bc d e f ab c d e f".into(),
        "abcdefgh ijklmnop qrstuvwx yz abcdefghijklmnop qrstuvwx y z".into(),
        format!("{long_word} a {long_word} a {long_word} b"),
        "the cat sat on the mat and the cat sat on the mat again".into(),
        "one two three four".into(),
        "x ".repeat(300),
        "to be or not to be ".repeat(50),
    ];
    for text in &texts {
        check(text);
    }
}

#[test]
fn positions_iterate_in_order() {
    let mut set = Positions::new(200);
    for i in [0, 63, 64, 65, 130, 199] {
        set.insert(i);
    }
    assert_eq!(set.iter().collect::<Vec<_>>(), [0, 63, 64, 65, 130, 199]);
    assert_eq!(set.len(), 6);
    let next: Vec<_> = [0, 1, 64, 66, 131, 199, 200]
        .map(|i| set.next_from(i))
        .into();
    assert_eq!(
        next,
        [
            Some(0),
            Some(63),
            Some(64),
            Some(130),
            Some(199),
            Some(199),
            None
        ]
    );
    assert!(set.contains(130) && !set.contains(131));
}
