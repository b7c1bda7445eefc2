//! The scale run of `pilecurate bench-dedup`: millions of documents generated from the real
//! corpus, with planted near copies, through the disk-backed engine with verification on.

use super::{cut, perturb};
use crate::cli::BenchDedupArgs;
use crate::dedup::engine::{ResolveOptions, resolve_runs};
use crate::dedup::runs::KeySpiller;
use crate::dedup::verify::{MaybeSets, SetOf, TextSource};
use crate::dedup::{MinHasher, Preset, jaccard};
use crate::io::{self, SpillDir};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::time::Instant;

/// Pushes `args.scale_docs` generated documents through the disk-backed engine, with
/// exact-Jaccard verification of every candidate pair (texts regenerated on demand, as the
/// pipeline re-reads its inputs), and prints what it found against what was planted.
pub fn scale(args: &BenchDedupArgs, corpus: &[String]) -> Result<()> {
    let preset =
        Preset::parse(args.preset.as_deref().unwrap_or("datatrove")).map_err(anyhow::Error::msg)?;
    let params = preset.params();
    let hasher = MinHasher::new(&params);
    let dir = std::env::temp_dir().join(format!("pilecurate-scale-{}", std::process::id()));
    let spill = SpillDir::new(&dir);
    let budget = args.budget;
    let mut spiller = KeySpiller::new(spill.clone(), 1, params.bands, (true, true), budget / 2);
    let started = Instant::now();
    let (n, chunk) = (args.scale_docs as u64, 65_536u64);
    let mut bytes = 0usize;
    for start in (0..n).step_by(chunk as usize) {
        let docs: Vec<(u64, u128, Vec<u64>, usize)> = (start..(start + chunk).min(n))
            .into_par_iter()
            .map(|id| {
                let text = generated(corpus, id);
                let mut keys = vec![0; params.bands];
                let exact = hasher.band_and_exact_keys(&text, &mut keys);
                (id, exact, keys, text.len())
            })
            .collect();
        for (id, exact, keys, len) in docs {
            spiller.push(0, id, exact, &keys)?;
            bytes += len;
        }
    }
    let runs = spiller.finish()?;
    let hashed = started.elapsed().as_secs_f64();
    let options = ResolveOptions {
        exact: true,
        fuzzy: true,
        params,
        verify_threshold: Some(preset.threshold()),
        budget_bytes: budget,
    };
    let resolution = resolve_runs(&runs, &options, &mut Generated(corpus))?;
    let disk = spill.bytes_on_disk()?;
    io::remove_path_if_exists(&dir).context("removing the scale run's spill folder")?;
    let planted = (0..n)
        .filter(|&id| near_copy_of(corpus, id).is_some())
        .count();
    let exact = resolution.removed.iter().filter(|r| r.exact).count();
    let cluster: std::collections::HashMap<u64, u64> = resolution
        .removed
        .iter()
        .map(|r| (r.doc_id, r.cluster))
        .collect();
    let cluster_of = |id: u64| cluster.get(&id).copied().unwrap_or(id);
    // Recall over the planted pairs whose true Jaccard clears the threshold by 0.05.
    let (true_pairs, recalled) = (0..n)
        .into_par_iter()
        .filter_map(|id| near_copy_of(corpus, id).map(|original| (id, original)))
        .filter(|&(id, original)| {
            let a = hasher.shingle_set(&generated(corpus, id));
            let b = hasher.shingle_set(&generated(corpus, original));
            jaccard(&a, &b) >= preset.threshold() + 0.05
        })
        .map(|(id, original)| (1usize, usize::from(cluster_of(id) == cluster_of(original))))
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    let found = resolution
        .removed
        .iter()
        .filter(|r| near_copy_of(corpus, r.doc_id) == Some(r.of))
        .count();
    println!(
        "scale: {n} documents ({:.1} GB generated), {} runs, keys {hashed:.0} s, resolve {:.0} s; \
         planted near copies {planted}, removed {} ({exact} exact; {found} planted copies of \
         their survivor; recall of planted pairs at J >= threshold + 0.05: {:.4} ({recalled} of \
         {true_pairs})); {} candidate pairs, {} rejected by verification; disk {:.1} bytes/doc; \
         peak memory (VmHWM) {:.0} MiB, budget {:.0} MiB",
        bytes as f64 / 1e9,
        runs.n_runs(),
        started.elapsed().as_secs_f64() - hashed,
        resolution.removed.len(),
        recalled as f64 / true_pairs.max(1) as f64,
        resolution.candidate_pairs,
        resolution.rejected_pairs,
        disk as f64 / n as f64,
        io::peak_memory_bytes()? as f64 / (1 << 20) as f64,
        budget as f64 / (1 << 20) as f64
    );
    Ok(())
}

/// Regenerates the scale run's documents for verification, up to the byte cap.
struct Generated<'a>(&'a [String]);

impl TextSource for Generated<'_> {
    fn shingle_sets(
        &mut self,
        doc_ids: &[u64],
        set_of: SetOf<'_>,
        max_bytes: usize,
    ) -> Result<MaybeSets> {
        let sets: Vec<(u64, Vec<u32>)> = doc_ids
            .par_iter()
            .map(|&id| (id, set_of(&generated(self.0, id))))
            .collect();
        let bytes: usize = sets.iter().map(|(_, set)| 16 + 4 * set.len()).sum();
        Ok((bytes <= max_bytes).then_some(sets))
    }
}

/// The document a generated document `id` is a planted near copy of, if it is one.
fn near_copy_of(corpus: &[String], id: u64) -> Option<u64> {
    let n = corpus.len() as u64;
    (id / n % 10 == 9).then(|| id - n)
}

/// Generated document `id`: a 1 KB window of real document `id % n` (n: corpus size) at an
/// offset set by the replica number `id / n`, with 30% of its words replaced (seeded by
/// `id`), so replicas of one real document share almost no 5-gram; one replica in ten is
/// instead a near copy (2% of words replaced) of the replica before it: a 10% planted
/// duplicate rate, at Jaccard about 0.8 to 0.9 with the original.
fn generated(corpus: &[String], id: u64) -> String {
    if let Some(original) = near_copy_of(corpus, id) {
        return perturb(&generated(corpus, original), 0.02, id);
    }
    let n = corpus.len() as u64;
    let (base, replica) = (&corpus[(id % n) as usize], id / n);
    let mut from = ((replica * 131) as usize % base.len().max(1)).min(base.len());
    while !base.is_char_boundary(from) {
        from -= 1;
    }
    perturb(cut(&base[from..], 1024), 0.3, id)
}
