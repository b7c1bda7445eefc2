//! Resolving the spilled runs into fates, with memory bounded by the budget:
//!
//! 1. exact groups from the merge of the exact runs; the first of each group (lowest rank)
//!    survives, the others are remembered (memory only for exact duplicates);
//! 2. per band, the merge of its runs gives buckets of equal keys among exact survivors;
//!    each bucket of up to [`super::candidates::ALL_PAIRS_UP_TO`] documents yields all its pairs, a larger one
//!    the chain of consecutive ranks. Pairs are counted per band, buffered, and spilled as
//!    sorted runs when the buffer reaches its share; the merge of those runs gives each
//!    distinct candidate pair once, with the number of bands that proposed it;
//! 3. candidates are verified by exact Jaccard of their shingle sets ([`super::verify`]),
//!    or accepted with the similarity estimated from the band count;
//! 4. accepted pairs unite documents in a sparse union-find whose root is the lowest rank.
//!
//! Accepted pairs are checkpointed (`edges`, `edge-counts`) under an identity that covers
//! the runs' checksums and the settings: a rerun reuses them only if they read back whole.

use super::candidates::{PAIR_RECORD, candidate_runs};
use super::runs::{self, KeyRuns, doc_of, priority_of};
use super::verify::{TextSource, verify_pairs};
use super::{MinHashParams, MinHasher};
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};
use xxhash_rust::xxh3::xxh3_64;

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

/// What [`resolve_runs`] decided.
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

/// Resolves the runs; `texts` serves the documents' texts when verification is on.
pub fn resolve_runs(
    runs: &KeyRuns,
    options: &ResolveOptions,
    texts: &mut dyn TextSource,
) -> Result<Resolution> {
    let mut out = Resolution::default();
    let mut exact_of: HashMap<u64, u64> = HashMap::new();
    if options.exact {
        let names: Vec<String> = (0..runs.n_runs).map(runs::exact_name).collect();
        let mut group: Option<(u128, u64, u64)> = None;
        let close = |group: Option<(u128, u64, u64)>, out: &mut Resolution| {
            if let Some((_, _, size @ 2..)) = group {
                *out.exact_group_sizes.entry(size).or_default() += 1;
            }
        };
        runs::merge(
            &runs.dir,
            &names,
            runs::EXACT_RECORD,
            runs.identity,
            |key, rank| {
                match &mut group {
                    Some((k, survivor, size)) if *k == key => {
                        exact_of.insert(rank, *survivor);
                        *size += 1;
                    }
                    _ => close(group.replace((key, rank, 1)), &mut out),
                }
                Ok(())
            },
        )?;
        close(group, &mut out);
    }
    let edges = if options.fuzzy {
        fuzzy_edges(runs, options, &exact_of, texts, &mut out)?
    } else {
        Vec::new()
    };

    // Union-find over documents that have an accepted pair; the root is the lowest rank.
    let mut parent: HashMap<u64, u64> = HashMap::new();
    let mut best: HashMap<u64, f64> = HashMap::new();
    for &(a, b, sim) in &edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent.insert(ra.max(rb), ra.min(rb));
        for doc in [a, b] {
            let entry = best.entry(doc).or_insert(0.0);
            *entry = entry.max(sim);
        }
    }
    let members: Vec<u64> = parent.keys().copied().collect();
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    let mut root_of: HashMap<u64, u64> = HashMap::new();
    for rank in members {
        let root = find(&mut parent, rank);
        *sizes.entry(root).or_default() += 1;
        root_of.insert(rank, root);
    }
    for &size in sizes.values() {
        *out.cluster_sizes.entry(size).or_default() += 1;
    }
    for (&rank, &root) in &root_of {
        if rank != root {
            out.removed.push(Removal {
                doc_id: doc_of(rank),
                priority: priority_of(rank),
                of_priority: priority_of(root),
                exact: false,
                of: doc_of(root),
                cluster: doc_of(root),
                similarity: best.get(&rank).copied().unwrap_or(0.0),
            });
        }
    }
    for (&rank, &survivor) in &exact_of {
        let keeper = root_of.get(&survivor).copied().unwrap_or(survivor);
        out.removed.push(Removal {
            doc_id: doc_of(rank),
            priority: priority_of(rank),
            of_priority: priority_of(survivor),
            exact: true,
            of: doc_of(survivor),
            cluster: doc_of(keeper),
            similarity: 1.0,
        });
    }
    out.removed.sort_unstable_by_key(|r| r.doc_id);
    out.edges = edges
        .into_iter()
        .map(|(a, b, sim)| (doc_of(a), doc_of(b), sim))
        .collect();
    Ok(out)
}

fn find(parent: &mut HashMap<u64, u64>, mut x: u64) -> u64 {
    parent.entry(x).or_insert(x);
    loop {
        let p = parent[&x];
        if p == x {
            return x;
        }
        let grand = parent[&p];
        parent.insert(x, grand);
        x = grand;
    }
}

/// The accepted pairs `(rank a, rank b, similarity)`, from the checkpoint when it is valid.
fn fuzzy_edges(
    runs: &KeyRuns,
    options: &ResolveOptions,
    exact_of: &HashMap<u64, u64>,
    texts: &mut dyn TextSource,
    out: &mut Resolution,
) -> Result<Vec<(u64, u64, f64)>> {
    let p = &options.params;
    let settings = format!("{:?}|{}|{:?}", p, options.exact, options.verify_threshold);
    let mut ident = runs.content.to_le_bytes().to_vec();
    ident.extend_from_slice(&runs.identity.to_le_bytes());
    ident.extend_from_slice(settings.as_bytes());
    let identity = xxh3_64(&ident);
    let dir = &runs.dir;
    if dir.is_valid("edges", PAIR_RECORD, identity) && dir.is_valid("edge-counts", 16, identity) {
        let mut edges = Vec::new();
        runs::merge(dir, &["edges".into()], PAIR_RECORD, identity, |key, sim| {
            edges.push(((key >> 64) as u64, key as u64, f64::from_bits(sim)));
            Ok(())
        })?;
        runs::merge(
            dir,
            &["edge-counts".into()],
            16,
            identity,
            |candidates, rejected| {
                out.candidate_pairs = candidates as u64;
                out.rejected_pairs = rejected;
                Ok(())
            },
        )?;
        return Ok(edges);
    }

    let share = (options.budget_bytes / 4).max(1 << 20);
    let names = candidate_runs(runs, exact_of, share, identity)?;
    let hasher = MinHasher::new(p);
    let estimate = |count: u64| (count as f64 / p.bands as f64).powf(1.0 / p.rows as f64);
    let mut edges = Vec::new();
    let mut window: Vec<(u64, u64, u64)> = Vec::new();
    let window_pairs = (share as usize / 64).max(4096);
    let mut flush = |window: &mut Vec<(u64, u64, u64)>, out: &mut Resolution| -> Result<()> {
        match options.verify_threshold {
            Some(threshold) => {
                let sims = verify_pairs(window, &hasher, texts, share as usize)?;
                for (&(a, b, _), sim) in window.iter().zip(sims) {
                    if sim >= threshold {
                        edges.push((a, b, sim));
                    } else {
                        out.rejected_pairs += 1;
                    }
                }
            }
            None => edges.extend(window.iter().map(|&(a, b, n)| (a, b, estimate(n)))),
        }
        window.clear();
        Ok(())
    };
    let mut last: Option<(u128, u64)> = None;
    runs::merge(dir, &names, PAIR_RECORD, identity, |key, count| {
        match &mut last {
            Some((k, n)) if *k == key => *n += count,
            _ => {
                if let Some((k, n)) = last.replace((key, count)) {
                    window.push(((k >> 64) as u64, k as u64, n));
                    out.candidate_pairs += 1;
                }
            }
        }
        if window.len() >= window_pairs {
            flush(&mut window, out)?;
        }
        Ok(())
    })?;
    if let Some((k, n)) = last {
        window.push(((k >> 64) as u64, k as u64, n));
        out.candidate_pairs += 1;
    }
    flush(&mut window, out)?;

    let mut writer = dir.create("edges", PAIR_RECORD, identity)?;
    for &(a, b, sim) in &edges {
        let mut record = [0u8; PAIR_RECORD];
        record[..8].copy_from_slice(&b.to_le_bytes());
        record[8..16].copy_from_slice(&a.to_le_bytes());
        record[16..].copy_from_slice(&sim.to_bits().to_le_bytes());
        writer.write(&record)?;
    }
    writer.finish()?;
    let mut writer = dir.create("edge-counts", 16, identity)?;
    let mut record = [0u8; 16];
    record[..8].copy_from_slice(&out.candidate_pairs.to_le_bytes());
    record[8..].copy_from_slice(&out.rejected_pairs.to_le_bytes());
    writer.write(&record)?;
    writer.finish()?;
    Ok(edges)
}
