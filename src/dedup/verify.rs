//! Exact-Jaccard verification of LSH candidate pairs. The shingle sets are not kept from
//! pass 1: a [`TextSource`] serves the texts of the documents of a window of pairs again
//! (the pipeline re-reads their input lines), and the sets of one window at a time are held,
//! up to a byte cap; a window whose sets do not fit is split in two.

use super::MinHasher;
use super::runs::doc_of;
use super::shingles::jaccard;
use anyhow::{Result, ensure};
use std::collections::HashMap;

/// Computes a document's shingle set from its text.
pub type SetOf<'a> = &'a (dyn Fn(&str) -> Vec<u32> + Sync);

/// Shingle sets by doc id, or `None` when they did not fit the byte cap.
pub type MaybeSets = Option<Vec<(u64, Vec<u32>)>>;

/// Where verification gets the documents' texts from.
pub trait TextSource {
    /// The shingle sets (`set_of(text)`) of the documents `doc_ids` (sorted, distinct), in
    /// any order; `None` as soon as they hold more than `max_bytes` in all.
    fn shingle_sets(
        &mut self,
        doc_ids: &[u64],
        set_of: SetOf<'_>,
        max_bytes: usize,
    ) -> Result<MaybeSets>;
}

/// A source for runs that never verify: asking it for a text is an error.
pub struct NoTexts;

impl TextSource for NoTexts {
    fn shingle_sets(&mut self, _: &[u64], _: SetOf<'_>, _: usize) -> Result<MaybeSets> {
        anyhow::bail!("internal error: verification asked for texts it was not given")
    }
}

/// The exact Jaccard similarity of each pair `(rank a, rank b, _)` of `window`, in order.
pub fn verify_pairs(
    window: &[(u64, u64, u64)],
    hasher: &MinHasher,
    texts: &mut dyn TextSource,
    max_bytes: usize,
) -> Result<Vec<f64>> {
    if window.is_empty() {
        return Ok(Vec::new());
    }
    let mut doc_ids: Vec<u64> = window
        .iter()
        .flat_map(|&(a, b, _)| [doc_of(a), doc_of(b)])
        .collect();
    doc_ids.sort_unstable();
    doc_ids.dedup();
    // A single pair is always loaded, whatever its size: no smaller window exists.
    let cap = if window.len() == 1 {
        usize::MAX
    } else {
        max_bytes
    };
    let set_of = |text: &str| hasher.shingle_set(text);
    let Some(sets) = texts.shingle_sets(&doc_ids, &set_of, cap)? else {
        let (left, right) = window.split_at(window.len() / 2);
        let mut sims = verify_pairs(left, hasher, texts, max_bytes)?;
        sims.extend(verify_pairs(right, hasher, texts, max_bytes)?);
        return Ok(sims);
    };
    let sets: HashMap<u64, Vec<u32>> = sets.into_iter().collect();
    ensure!(
        sets.len() == doc_ids.len(),
        "verification found {} of the {} documents it needed; were the inputs changed \
         during the run?",
        sets.len(),
        doc_ids.len()
    );
    Ok(window
        .iter()
        .map(|&(a, b, _)| jaccard(&sets[&doc_of(a)], &sets[&doc_of(b)]))
        .collect())
}
