//! Behaviour of MinHash band keys: collisions, determinism, unbiased estimates, and the
//! exact keys pinned per preset so that speed work cannot change outputs.

use super::*;

pub(super) fn keys(params: &MinHashParams, text: &str) -> Vec<u64> {
    let mut out = vec![0; params.bands];
    MinHasher::new(params).band_keys(text, &mut out);
    out
}

fn shared_bands(a: &[u64], b: &[u64]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x == y).count()
}

/// A deterministic pseudo-random text of `n_words` words over a large vocabulary.
pub(super) fn random_text(seed: u64, n_words: usize) -> String {
    let mut state = seed;
    let words: Vec<String> = (0..n_words)
        .map(|_| format!("w{}", splitmix64(&mut state) % 50_000))
        .collect();
    words.join(" ")
}

/// `a` and `b` share between `min` and `max` of the 14 default bands.
fn check(a: &str, b: &str, min: usize, max: usize) {
    let params = MinHashParams::default();
    let shared = shared_bands(&keys(&params, a), &keys(&params, b));
    assert!(
        (min..=max).contains(&shared),
        "{shared} bands shared by {a:.40?} / {b:.40?}"
    );
}

#[test]
fn band_sharing_table() {
    let long = random_text(7, 400);
    let mut edited: Vec<&str> = long.split(' ').collect();
    edited[200] = "changed";
    let edited = edited.join(" ");
    let cases: &[(&str, &str, usize, usize)] = &[
        ("", "", 14, 14),
        ("", "   \n ", 14, 14),
        ("", "word", 0, 0),
        ("one two", "ONE   two\n", 14, 14),
        ("one two", "two one", 0, 0),
        ("a b c d e f", "a b c d e f", 14, 14),
        ("a b c d", "a b c d e", 0, 0),
        (&long, &long.to_uppercase(), 14, 14),
        (&long, &edited, 1, 14),
        (&long, &random_text(8, 400), 0, 0),
    ];
    for &(a, b, min, max) in cases {
        check(a, b, min, max);
    }
}

#[test]
fn identical_documents_get_identical_keys() {
    let params = MinHashParams {
        ngram: 3,
        bands: 9,
        rows: 4,
        seed: 42,
        ..MinHashParams::default()
    };
    for seed in 0..50 {
        let text = random_text(seed, (seed as usize * 13) % 300);
        let spaced = text.replace(' ', " \t ");
        assert_eq!(keys(&params, &text), keys(&params, &spaced), "seed {seed}");
    }
}

#[test]
fn one_word_edit_collides_and_unrelated_do_not() {
    let params = MinHashParams::default();
    for seed in 0..100 {
        let text = random_text(seed, 300 + seed as usize);
        let mut words: Vec<&str> = text.split(' ').collect();
        let at = (seed as usize * 31) % words.len();
        words[at] = "edited";
        let a = keys(&params, &text);
        assert!(
            shared_bands(&a, &keys(&params, &words.join(" "))) >= 1,
            "seed {seed}"
        );
        assert_eq!(
            shared_bands(&a, &keys(&params, &random_text(seed + 1000, 300))),
            0
        );
    }
}

#[test]
fn signature_estimates_jaccard_without_bias() {
    // With 1-word shingles over distinct words, shifting a window of `k` words by `s`
    // gives Jaccard (k - s) / (k + s) exactly.
    let (k, s) = (300, 60);
    let jaccard = (k - s) as f64 / (k + s) as f64;
    let mut total = 0.0;
    for seed in 0..40 {
        let params = MinHashParams {
            ngram: 1,
            bands: 14,
            rows: 8,
            seed,
            ..MinHashParams::default()
        };
        let hasher = MinHasher::new(&params);
        let words: Vec<String> = (0..k + s).map(|i| format!("w{seed}x{i}")).collect();
        let a = hasher.signature(&words[..k].join(" "));
        let b = hasher.signature(&words[s..].join(" "));
        let estimate = a.iter().zip(&b).filter(|(x, y)| x == y).count() as f64 / 112.0;
        // Standard deviation is sqrt(j (1 - j) / 112) ~ 0.04: 4 sigma per run.
        assert!(
            (estimate - jaccard).abs() < 0.17,
            "seed {seed}: {estimate} vs {jaccard}"
        );
        total += estimate;
    }
    let mean = total / 40.0;
    assert!(
        (mean - jaccard).abs() < 0.03,
        "mean estimate {mean} vs {jaccard}"
    );
}

#[test]
fn seed_and_band_index_change_keys() {
    let text = random_text(1, 100);
    let a = keys(&MinHashParams::default(), &text);
    let b = keys(
        &MinHashParams {
            seed: 2,
            ..MinHashParams::default()
        },
        &text,
    );
    assert_eq!(shared_bands(&a, &b), 0);
    let mut distinct = a.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), a.len(), "two bands gave the same key");
}

#[test]
fn zero_ngram_and_rows_do_not_panic() {
    let params = MinHashParams {
        ngram: 0,
        bands: 3,
        rows: 0,
        seed: 0,
        ..MinHashParams::default()
    };
    assert!(params.validate().is_err());
    assert_eq!(keys(&params, "a b c").len(), 3);
}
