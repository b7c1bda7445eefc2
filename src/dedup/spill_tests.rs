//! The disk-backed engine against the in-memory reference: the same fates whatever the
//! number of runs, and verification that rejects what is not similar enough.

use super::engine::{ResolveOptions, resolve_runs};
use super::runs::KeySpiller;
use super::verify::{MaybeSets, NoTexts, SetOf, TextSource};
use super::*;
use crate::io::SpillDir;

/// Texts by doc id: families of near copies plus unrelated documents and exact copies.
fn corpus() -> Vec<String> {
    let mut state = 7u64;
    let mut word = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        format!("w{}", (state >> 33) % 5000)
    };
    let mut docs = Vec::new();
    for family in 0..30 {
        let base: Vec<String> = (0..120).map(|_| word()).collect();
        for copy in 0..(family % 4 + 1) {
            let mut words = base.clone();
            words[(copy * 17) % 120] = format!("edit{copy}");
            docs.push(words.join(" "));
        }
        if family % 5 == 0 {
            docs.push(base.join("  ").to_uppercase());
        }
    }
    docs
}

struct Texts(Vec<String>);

impl TextSource for Texts {
    fn shingle_sets(
        &mut self,
        doc_ids: &[u64],
        set_of: SetOf<'_>,
        _: usize,
    ) -> anyhow::Result<MaybeSets> {
        Ok(Some(
            doc_ids
                .iter()
                .map(|&d| (d, set_of(&self.0[d as usize])))
                .collect(),
        ))
    }
}

/// Fates by doc id from the engine, with keys spilled every `per_run` documents.
fn engine_fates(docs: &[String], budget: u64, verify: Option<f64>) -> (Vec<Fate>, u64) {
    let params = MinHashParams::default();
    let hasher = MinHasher::new(&params);
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut spiller = KeySpiller::new(
        SpillDir::new(tmp.path()),
        9,
        params.bands,
        (true, true),
        budget,
    );
    let mut keys = vec![0; params.bands];
    for (i, text) in docs.iter().enumerate() {
        hasher.band_keys(text, &mut keys);
        spiller
            .push((i % 3) as u16, i as u64, exact_key(text), &keys)
            .expect("push");
    }
    let runs = spiller.finish().expect("finish");
    let options = ResolveOptions {
        exact: true,
        fuzzy: true,
        params,
        verify_threshold: verify,
        budget_bytes: budget,
    };
    let mut texts = Texts(docs.to_vec());
    let source: &mut dyn TextSource = if verify.is_some() {
        &mut texts
    } else {
        &mut NoTexts
    };
    let resolution = resolve_runs(&runs, &options, source).expect("resolve");
    let mut fates = vec![Fate::Survivor; docs.len()];
    for r in &resolution.removed {
        fates[r.doc_id as usize] = if r.exact {
            Fate::ExactDuplicate { of: r.of }
        } else {
            Fate::FuzzyDuplicate { of: r.of }
        };
    }
    (fates, resolution.rejected_pairs)
}

#[test]
fn spilled_runs_match_the_in_memory_index() {
    let docs = corpus();
    let params = MinHashParams::default();
    let hasher = MinHasher::new(&params);
    let mut index = DedupIndex::new(params.bands);
    let mut keys = vec![0; params.bands];
    for (i, text) in docs.iter().enumerate() {
        hasher.band_keys(text, &mut keys);
        let candidate = Candidate {
            doc_id: i as u64,
            priority: (i % 3) as u16,
            exact: exact_key(text),
        };
        index.push(candidate, &keys);
    }
    let expected = index.resolve(true, true).fates;
    assert!(expected.iter().filter(|f| **f != Fate::Survivor).count() > 20);
    let per_doc = 24 + 16 * params.bands as u64;
    for docs_per_run in [1, 7, 1000] {
        let (fates, _) = engine_fates(&docs, per_doc * docs_per_run, None);
        assert_eq!(fates, expected, "{docs_per_run} documents per run");
    }
    // One edited word in 120 keeps J far above 0.5: verification rejects nothing here...
    let (fates, rejected) = engine_fates(&docs, per_doc * 5, Some(0.5));
    assert_eq!((fates, rejected), (expected, 0));
    // ...and at a threshold of 1 every fuzzy pair is rejected.
    let (fates, rejected) = engine_fates(&docs, per_doc * 5, Some(1.0));
    assert!(rejected > 0);
    assert!(
        fates
            .iter()
            .all(|f| !matches!(f, Fate::FuzzyDuplicate { .. }))
    );
}
