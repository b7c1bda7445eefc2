//! Deduplication end to end: on the real sample, documents sharing `meta.dedup_key` (one
//! logical document in two package versions) should collapse and others should not; and on
//! any input, the fates per doc id must not depend on push order.

use super::*;
use flate2::read::MultiGzDecoder;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::time::Instant;

#[derive(serde::Deserialize)]
struct SampleMeta {
    dedup_key: String,
}

#[derive(serde::Deserialize)]
struct SampleRecord {
    meta: SampleMeta,
    text: String,
}

fn sample() -> Vec<SampleRecord> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/sample.jsonl.gz");
    let file = std::fs::File::open(path).expect("open sample");
    BufReader::new(MultiGzDecoder::new(file))
        .lines()
        .map(|line| serde_json::from_str(&line.expect("read sample")).expect("parse sample"))
        .collect()
}

/// Pushes `order` (indices into `records`) with doc id = index and resolves both steps.
fn resolve(records: &[SampleRecord], order: &[usize]) -> HashMap<u64, Fate> {
    let params = MinHashParams::default();
    let hasher = MinHasher::new(&params);
    let mut index = DedupIndex::new(params.bands);
    let mut keys = vec![0; params.bands];
    for &i in order {
        let text = &records[i].text;
        hasher.band_keys(text, &mut keys);
        let candidate = Candidate {
            doc_id: i as u64,
            priority: (i % 3) as u16,
            exact: exact_key(text),
        };
        index.push(candidate, &keys);
    }
    let fates = index.resolve(true, true).fates;
    order.iter().map(|&i| i as u64).zip(fates).collect()
}

/// The document that finally keeps `doc_id`'s content.
fn keeper(fates: &HashMap<u64, Fate>, mut doc_id: u64) -> u64 {
    loop {
        match fates[&doc_id] {
            Fate::Survivor => return doc_id,
            Fate::ExactDuplicate { of } | Fate::FuzzyDuplicate { of } => doc_id = of,
        }
    }
}

#[test]
fn sample_groups_collapse_and_strangers_stay_apart() {
    let records = sample();
    let order: Vec<usize> = (0..records.len()).collect();
    let fates = resolve(&records, &order);

    let mut groups: HashMap<&str, Vec<u64>> = HashMap::new();
    for (i, record) in records.iter().enumerate() {
        groups
            .entry(&record.meta.dedup_key)
            .or_default()
            .push(i as u64);
    }
    let multi: Vec<&Vec<u64>> = groups.values().filter(|g| g.len() >= 2).collect();
    let collapsed = multi
        .iter()
        .filter(|g| g.iter().all(|&d| keeper(&fates, d) == keeper(&fates, g[0])))
        .count();
    // Merged into a keeper with another dedup_key: all such, and those whose normalized
    // text differs (same text under two keys, e.g. two empty files, is a true duplicate).
    let strangers: Vec<(usize, usize)> = (0..records.len())
        .map(|d| (d, keeper(&fates, d as u64) as usize))
        .filter(|&(d, kept)| records[kept].meta.dedup_key != records[d].meta.dedup_key)
        .collect();
    let wrongly_merged = strangers
        .iter()
        .filter(|&&(d, kept)| normalize(&records[d].text) != normalize(&records[kept].text))
        .count();
    let collapse_rate = collapsed as f64 / multi.len() as f64;
    let false_merge_rate = wrongly_merged as f64 / records.len() as f64;
    println!(
        "sample: {} docs, {} dedup_key groups of >= 2, {collapsed} collapsed ({:.1}%), \
         {} docs merged into another dedup_key, {wrongly_merged} of them with other text ({:.2}%)",
        records.len(),
        multi.len(),
        100.0 * collapse_rate,
        strangers.len(),
        100.0 * false_merge_rate,
    );
    assert!(multi.len() >= 20, "the sample should hold edition pairs");
    assert!(collapse_rate >= 0.70, "collapse rate {collapse_rate}");
    assert!(
        false_merge_rate <= 0.01,
        "false merge rate {false_merge_rate}"
    );
}

#[test]
fn sample_fates_do_not_depend_on_push_order() {
    let records = sample();
    let forward: Vec<usize> = (0..records.len()).collect();
    let mut shuffled = forward.clone();
    shuffled.sort_by_key(|&i| ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15), i));
    assert_eq!(resolve(&records, &forward), resolve(&records, &shuffled));
}

#[test]
fn synthetic_fates_by_doc_id_do_not_depend_on_push_order() {
    /// `(doc_id, priority, exact key, band keys)`.
    type Doc = (u64, u16, u128, [u64; 2]);
    let mut state = 3u64;
    let mut next = move |modulus: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % modulus
    };
    let docs: Vec<Doc> = (0..500)
        .map(|id| {
            (
                id,
                next(3) as u16,
                next(300) as u128,
                [next(400), next(400)],
            )
        })
        .collect();
    let by_id = |docs: &[Doc]| -> Vec<(u64, Fate)> {
        let mut index = DedupIndex::new(2);
        for &(doc_id, priority, exact, keys) in docs {
            index.push(
                Candidate {
                    doc_id,
                    priority,
                    exact,
                },
                &keys,
            );
        }
        let outcome = index.resolve(true, true);
        let mut fates: Vec<(u64, Fate)> = docs.iter().map(|d| d.0).zip(outcome.fates).collect();
        fates.sort_by_key(|&(id, _)| id);
        fates
    };
    let forward = by_id(&docs);
    assert!(
        forward
            .iter()
            .any(|(_, f)| matches!(f, Fate::FuzzyDuplicate { .. }))
    );
    for round in 0..5 {
        let mut shuffled = docs.clone();
        shuffled.sort_by_key(|d| (d.0 * 7919 + round * 31) % 503);
        assert_eq!(by_id(&shuffled), forward, "round {round}");
    }
}

#[test]
fn sample_band_keys_throughput() {
    let records = sample();
    let params = MinHashParams::default();
    let hasher = MinHasher::new(&params);
    let mut keys = vec![0; params.bands];
    let bytes: usize = records.iter().map(|r| r.text.len()).sum();
    let start = Instant::now();
    for record in &records {
        hasher.band_keys(&record.text, &mut keys);
    }
    let minhash_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let xor = records
        .iter()
        .fold(0u128, |acc, r| acc ^ exact_key(&r.text));
    let exact_secs = start.elapsed().as_secs_f64();
    println!(
        "sample: {:.1} MB, band_keys {:.1} MB/s, exact_key {:.1} MB/s (xor {xor:x})",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / minhash_secs,
        bytes as f64 / 1e6 / exact_secs,
    );
}

/// The one-walk path gives the keys of `band_keys` and `exact_key` taken apart, under the
/// default parameters and every preset, on the shipped sample and on edge cases.
#[test]
fn band_and_exact_keys_equal_the_separate_keys() {
    use crate::dedup::presets::Preset;
    let sample: Vec<String> = sample().into_iter().map(|r| r.text).collect();
    let long_word = "Ünïcode".repeat(2000);
    let edge = [
        "",
        "   ",
        "One",
        "MiXeD case\tand\nlines",
        &long_word,
        "ΣΊΣΥΦΟΣ  İstanbul x",
        // Unicode whitespace between and around ASCII and non-ASCII words.
        "\u{A0}Mixed\u{3000}“Quoted”\u{2028}CAPS\u{85}naïve\u{1680}x\u{205F}Ωmega\u{202F}",
        "ends with é",
        "é",
        "tab\tÜber\nNEXT\u{B}\u{C}\rline\u{200B}zero-width stays",
    ];
    // Non-ASCII documents whose words cross the 4 KiB chunk, and one longer than it.
    let (many_mixed, giant_mixed) = (
        "Ab “cD” ".repeat(3000),
        format!("é {} Ü {}", "LoNg".repeat(1500), "ÜbEr".repeat(1200)),
    );
    let mixed = [many_mixed.as_str(), giant_mixed.as_str()];
    // ASCII words that cross the exact key's 4 KiB chunk, and one longer than it.
    let (many, giant) = (
        "Ab cD ".repeat(3000),
        format!("x {} y", "LoNg".repeat(1500)),
    );
    let ascii = [many.as_str(), giant.as_str(), "a\x0Bb\x0Cc\rd \u{1F}"];
    let texts = sample
        .iter()
        .map(String::as_str)
        .chain(edge)
        .chain(ascii)
        .chain(mixed);
    let mut params = vec![MinHashParams::default()];
    params.extend(Preset::ALL.map(Preset::params));
    let hashers: Vec<MinHasher> = params.iter().map(MinHasher::new).collect();
    for text in texts {
        for (hasher, params) in hashers.iter().zip(&params) {
            let mut fused = vec![0; params.bands];
            let exact = hasher.band_and_exact_keys(text, &mut fused);
            assert_eq!(exact, hasher.exact_key(text), "{text:.40?}");
            let mut apart = vec![0; params.bands];
            hasher.band_keys(text, &mut apart);
            assert_eq!(fused, apart, "{text:.40?}");
        }
    }
}
