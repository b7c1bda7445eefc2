//! Resolving the spilled runs into fates, with memory bounded by the budget, one key range
//! (partition) at a time so that the ranges can be resolved by separate processes:
//!
//! 1. [`exact_duplicates`]: exact groups from the merge of a range's exact runs; the first
//!    of each group (lowest rank) survives (memory only for exact duplicates);
//! 2. [`fuzzy_pairs`]: per band, the merge of the range's runs gives buckets of equal keys
//!    among exact survivors; each bucket of up to [`super::candidates::ALL_PAIRS_UP_TO`]
//!    documents yields all its pairs, a larger one the chain of consecutive ranks. Pairs are
//!    spilled as sorted runs whose merge gives each distinct pair once with the number of
//!    bands that proposed it; they are verified by exact Jaccard ([`super::verify`]) or kept
//!    with their band count, and streamed out in pair order;
//! 3. [`PairTally`]: the pairs of every range, merged (a pair proposed in several ranges is
//!    one candidate; its band counts add up), accepted or rejected;
//! 4. [`clusters`]: accepted pairs unite documents in a sparse union-find whose root is the
//!    lowest rank.
//!
//! [`resolve_runs`] does all four in one process; the result does not depend on the number
//! of ranges.

use super::candidates::candidate_runs;
use super::runs::{KeyRuns, doc_of, priority_of};
use super::verify::{TextSource, verify_pairs};
use super::{MinHashParams, MinHasher};
use crate::io::SpillDir;
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};

pub use super::components::clusters;

/// How to resolve.
#[derive(Clone, Debug)]
pub struct ResolveOptions {
    /// Exact dedup on.
    pub exact: bool,
    /// Fuzzy dedup on.
    pub fuzzy: bool,
    /// The MinHash parameters the band keys were made with.
    pub params: MinHashParams,
    /// Exact-Jaccard threshold of candidate pairs; `None` accepts every candidate.
    pub verify_threshold: Option<f64>,
    /// Memory budget of the dedup stage, in bytes.
    pub budget_bytes: u64,
}

/// A removed document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Removal {
    /// Its doc id.
    pub doc_id: u64,
    /// Its priority (the pipeline's source id), from its rank.
    pub priority: u16,
    /// The survivor's priority.
    pub of_priority: u16,
    /// `true` for an exact duplicate, `false` for a fuzzy one.
    pub exact: bool,
    /// The survivor of its exact group or of its fuzzy cluster.
    pub of: u64,
    /// The cluster id: the doc id of the document that finally keeps its content.
    pub cluster: u64,
    /// 1 for exact duplicates; the best verified (or estimated) Jaccard of its pairs.
    pub similarity: f64,
}

/// What [`resolve_runs`] (or the steps) decided.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    /// Removed documents, by doc id.
    pub removed: Vec<Removal>,
    /// Fuzzy cluster size (survivor included) to number of clusters, sizes >= 2.
    pub cluster_sizes: BTreeMap<u64, u64>,
    /// Exact group size to number of groups, sizes >= 2.
    pub exact_group_sizes: BTreeMap<u64, u64>,
    /// Distinct LSH candidate pairs.
    pub candidate_pairs: u64,
    /// Candidate pairs whose exact Jaccard was under the threshold.
    pub rejected_pairs: u64,
    /// The accepted pairs `(doc id, doc id, similarity)`.
    pub edges: Vec<(u64, u64, f64)>,
}

/// Exact duplicates of a key range: `(duplicate rank, survivor rank)` sorted by duplicate,
/// and how many groups there are of each size (>= 2).
pub type ExactDuplicates = (Vec<(u64, u64)>, BTreeMap<u64, u64>);

/// The exact duplicates of key range `partition`.
pub fn exact_duplicates(runs: &KeyRuns, partition: usize) -> Result<ExactDuplicates> {
    let mut duplicates = Vec::new();
    let mut sizes = BTreeMap::new();
    let mut group: Option<(u128, u64, u64)> = None;
    let close = |group: Option<(u128, u64, u64)>, sizes: &mut BTreeMap<u64, u64>| {
        if let Some((_, _, size @ 2..)) = group {
            *sizes.entry(size).or_default() += 1;
        }
    };
    let names = runs.exact_names(partition);
    super::runs::merge(
        &runs.dir,
        &names,
        super::runs::EXACT_RECORD,
        runs.identity,
        |key, rank| {
            match &mut group {
                Some((k, survivor, size)) if *k == key => {
                    duplicates.push((rank, *survivor));
                    *size += 1;
                }
                _ => close(group.replace((key, rank, 1)), &mut sizes),
            }
            Ok(())
        },
    )?;
    close(group, &mut sizes);
    duplicates.sort_unstable();
    Ok((duplicates, sizes))
}

/// The candidate pairs of band-key range `partition`, in `(a, b)` order, each given to
/// `on_pair(a, b, value)`: with verification `value` is the bits of the exact Jaccard (`f64`),
/// without it the number of bands of this range that proposed the pair. Pair runs are
/// spilled in `work`.
pub fn fuzzy_pairs(
    runs: &KeyRuns,
    partition: usize,
    options: &ResolveOptions,
    exact_of: &HashMap<u64, u64>,
    texts: &mut dyn TextSource,
    work: &SpillDir,
    mut on_pair: impl FnMut(u64, u64, u64) -> Result<()>,
) -> Result<()> {
    let share = (options.budget_bytes / 4).max(1 << 20);
    let names = candidate_runs(runs, partition, exact_of, share, work)?;
    let hasher = MinHasher::new(&options.params);
    let mut window: Vec<(u64, u64, u64)> = Vec::new();
    let window_pairs = (share as usize / 64).max(4096);
    let mut flush = |window: &mut Vec<(u64, u64, u64)>| -> Result<()> {
        match options.verify_threshold {
            Some(_) => {
                let sims = verify_pairs(window, &hasher, texts, share as usize)?;
                for (&(a, b, _), sim) in window.iter().zip(sims) {
                    on_pair(a, b, sim.to_bits())?;
                }
            }
            None => {
                for &(a, b, count) in window.iter() {
                    on_pair(a, b, count)?;
                }
            }
        }
        window.clear();
        Ok(())
    };
    let mut last: Option<(u128, u64)> = None;
    super::runs::merge(
        work,
        &names,
        super::candidates::PAIR_RECORD,
        runs.identity,
        |key, count| {
            match &mut last {
                Some((k, n)) if *k == key => *n += count,
                _ => {
                    if let Some((k, n)) = last.replace((key, count)) {
                        window.push(((k >> 64) as u64, k as u64, n));
                    }
                }
            }
            if window.len() >= window_pairs {
                flush(&mut window)?;
            }
            Ok(())
        },
    )?;
    if let Some((k, n)) = last {
        window.push(((k >> 64) as u64, k as u64, n));
    }
    flush(&mut window)?;
    for name in &names {
        work.remove(name)?;
    }
    Ok(())
}

/// The pairs of every key range, fed in `(a, b)` order (a pair proposed in several ranges
/// comes once per range): distinct candidates counted, accepted ones kept as edges.
#[derive(Debug)]
pub struct PairTally {
    verify_threshold: Option<f64>,
    /// `(rows, bands)` of the MinHash, for the similarity a band count suggests.
    shape: (usize, usize),
    pending: Option<(u64, u64, u64)>,
    /// Distinct candidate pairs.
    pub candidates: u64,
    /// Distinct pairs under the verification threshold.
    pub rejected: u64,
    /// Accepted pairs `(rank a, rank b, similarity)`.
    pub edges: Vec<(u64, u64, f64)>,
}

impl PairTally {
    /// An empty tally under `options`.
    pub fn new(options: &ResolveOptions) -> PairTally {
        PairTally {
            verify_threshold: options.verify_threshold,
            shape: (options.params.rows, options.params.bands),
            pending: None,
            candidates: 0,
            rejected: 0,
            edges: Vec::new(),
        }
    }

    /// Adds a pair as [`fuzzy_pairs`] gives it; pairs must come in `(a, b)` order.
    pub fn add(&mut self, a: u64, b: u64, value: u64) {
        match &mut self.pending {
            Some((pa, pb, count)) if (*pa, *pb) == (a, b) => {
                // Verified similarities agree; band counts of different ranges add up.
                if self.verify_threshold.is_none() {
                    *count += value;
                }
            }
            _ => {
                if let Some(done) = self.pending.replace((a, b, value)) {
                    self.close(done);
                }
            }
        }
    }

    /// Closes the last pair.
    pub fn finish(mut self) -> PairTally {
        if let Some(done) = self.pending.take() {
            self.close(done);
        }
        self
    }

    fn close(&mut self, (a, b, value): (u64, u64, u64)) {
        self.candidates += 1;
        match self.verify_threshold {
            Some(threshold) => {
                let sim = f64::from_bits(value);
                if sim >= threshold {
                    self.edges.push((a, b, sim));
                } else {
                    self.rejected += 1;
                }
            }
            None => {
                let (rows, bands) = self.shape;
                let sim = (value as f64 / bands as f64).powf(1.0 / rows as f64);
                self.edges.push((a, b, sim));
            }
        }
    }
}

/// Resolves every key range of the runs in this process; `texts` serves the documents'
/// texts when verification is on, `work` holds the candidate pair runs.
pub fn resolve_runs(
    runs: &KeyRuns,
    options: &ResolveOptions,
    texts: &mut dyn TextSource,
) -> Result<Resolution> {
    let mut exact_of: HashMap<u64, u64> = HashMap::new();
    let mut group_sizes = BTreeMap::new();
    if options.exact {
        for partition in 0..runs.partitions {
            let (duplicates, sizes) = exact_duplicates(runs, partition)?;
            exact_of.extend(duplicates);
            for (size, n) in sizes {
                *group_sizes.entry(size).or_default() += n;
            }
        }
    }
    let mut tally = PairTally::new(options);
    if options.fuzzy {
        let mut pairs = Vec::new();
        for partition in 0..runs.partitions {
            fuzzy_pairs(
                runs,
                partition,
                options,
                &exact_of,
                texts,
                &runs.dir,
                |a, b, v| {
                    pairs.push((a, b, v));
                    Ok(())
                },
            )?;
        }
        pairs.sort_by_key(|&(a, b, _)| (a, b));
        for (a, b, value) in pairs {
            tally.add(a, b, value);
        }
    }
    let tally = tally.finish();
    let mut out = clusters(&exact_of, &tally.edges);
    out.exact_group_sizes = group_sizes;
    out.candidate_pairs = tally.candidates;
    out.rejected_pairs = tally.rejected;
    Ok(out)
}

/// The removal of `rank`, a duplicate of `survivor` in the cluster of `keeper`.
pub(super) fn removal(rank: u64, survivor: u64, keeper: u64, exact: bool, sim: f64) -> Removal {
    Removal {
        doc_id: doc_of(rank),
        priority: priority_of(rank),
        of_priority: priority_of(survivor),
        exact,
        of: doc_of(survivor),
        cluster: doc_of(keeper),
        similarity: sim,
    }
}
