//! Recall and precision per kind of perturbation ([`Kind`]), for every preset and the
//! default, against one reference similarity that no setting under test computes: the
//! Jaccard of word 5-grams over lower-cased runs of letters and digits
//! ([`char::is_alphanumeric`]), the measure of issue #19.
//!
//! Per kind: `n` real documents and a copy of each edited by that kind; every third copy
//! also has up to 30% of its words replaced, so that pairs fall on both sides of the
//! reference threshold. Truth is every pair, by brute force, whose reference Jaccard is at
//! least [`TRUTH`]; recall is the share of them that end in one cluster. Precision is the
//! share of removed documents whose reference Jaccard with the document that keeps them
//! is at least the setting's own threshold.

use super::perturb::{Kind, perturb_kind};
use super::{cut, perturb, resolve_docs};
use crate::dedup::{MinHashParams, jaccard};
use anyhow::Result;
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

/// The reference Jaccard a pair must reach to count as a duplicate.
pub const TRUTH: f64 = 0.9;

/// A setting under test: its name, parameters and verification threshold.
pub type Setting = (String, MinHashParams, f64);

/// The reference shingle set of `text`: sorted, distinct 32-bit hashes of its word 5-grams
/// (one shingle of all its words when it has fewer than five).
fn reference_set(text: &str) -> Vec<u32> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut set: Vec<u32> = words
        .windows(5.min(words.len()).max(1))
        .map(|gram| xxh3_64(gram.join(" ").as_bytes()) as u32)
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The documents for `kind`: each real document followed by its edited copy.
fn docs_for(kind: Kind, sample: &[&str]) -> Vec<String> {
    let mut docs = Vec::with_capacity(2 * sample.len());
    for (i, text) in sample.iter().enumerate() {
        let seed = i as u64 * 7 + kind as u64;
        let mut copy = perturb_kind(text, kind, seed);
        if i % 3 == 0 {
            copy = perturb(&copy, (i % 31) as f64 / 100.0, seed);
        }
        docs.push(text.to_string());
        docs.push(copy);
    }
    docs
}

/// Prints recall and precision per kind and setting on `n` documents of `corpus`.
pub fn per_kind(corpus: &[String], n: usize, settings: &[Setting]) -> Result<()> {
    let step = (corpus.len() / n.max(1)).max(1);
    let sample: Vec<&str> = corpus
        .iter()
        .step_by(step)
        .take(n)
        .map(|t| cut(t, 8192))
        .collect();
    println!(
        "per kind of perturbation: {} real documents + one edited copy each; truth: reference \
         word-5-gram Jaccard >= {TRUTH}",
        sample.len()
    );
    println!("| kind | setting | recall | precision | removed |");
    println!("| --- | --- | --: | --: | --: |");
    for kind in Kind::ALL {
        let docs = docs_for(kind, &sample);
        let sets: Vec<Vec<u32>> = docs.par_iter().map(|t| reference_set(t)).collect();
        let truth = truth_pairs(&sets);
        for (name, params, threshold) in settings {
            let resolution = resolve_docs(params, *threshold, &docs)?;
            let mut keeper: Vec<u64> = (0..docs.len() as u64).collect();
            for r in &resolution.removed {
                keeper[r.doc_id as usize] = r.cluster;
            }
            let found = truth
                .iter()
                .filter(|&&(a, b)| keeper[a] == keeper[b])
                .count();
            let correct = resolution
                .removed
                .iter()
                .filter(|r| {
                    jaccard(&sets[r.doc_id as usize], &sets[r.cluster as usize]) >= *threshold
                })
                .count();
            let removed = resolution.removed.len();
            println!(
                "| {} | {name} | {:.4} ({found}/{}) | {:.4} ({correct}/{removed}) | {removed} |",
                kind.name(),
                found as f64 / truth.len().max(1) as f64,
                truth.len(),
                correct as f64 / removed.max(1) as f64,
            );
        }
    }
    Ok(())
}

/// Every pair `(a, b)`, `a < b`, whose reference Jaccard is at least [`TRUTH`]. Sets whose
/// sizes differ by more than that ratio cannot reach it and are not compared.
fn truth_pairs(sets: &[Vec<u32>]) -> Vec<(usize, usize)> {
    (0..sets.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            (a + 1..sets.len())
                .filter(move |&b| {
                    let (x, y) = (sets[a].len() as f64, sets[b].len() as f64);
                    x.min(y) >= TRUTH * x.max(y) && jaccard(&sets[a], &sets[b]) >= TRUTH
                })
                .map(move |b| (a, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_sets_see_letters_and_digits_only() {
        let a = reference_set("“Don't” -- he said: 18 (eighteen) years, ok?");
        let b = reference_set("DON T he said 18 eighteen years ok");
        assert_eq!(a, b);
        assert_ne!(a, reference_set("DON T he said 21 eighteen years ok"));
        assert_eq!(reference_set("two words").len(), 1);
        assert_eq!(reference_set("a b c d e f").len(), 2);
    }

    #[test]
    fn truth_pairs_are_the_pairs_at_the_reference_threshold() {
        let text = (0..60)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let docs = [
            text.clone(),
            text.replace("w30", "x"),
            text.to_uppercase(),
            "x".into(),
        ];
        let sets: Vec<Vec<u32>> = docs.iter().map(|t| reference_set(t)).collect();
        // One replaced word in 60 costs five 5-grams of 56: J = 51 / 61 < 0.9.
        assert_eq!(truth_pairs(&sets), [(0, 2)]);
    }
}
