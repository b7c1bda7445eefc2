//! The `exact` and `fuzzy` steps: rank `p` resolves key range `p` of every scan rank's
//! runs, so no rank reads every key. `exact` writes its range's exact duplicates; `fuzzy`
//! (after every `exact` rank: exact duplicates take no part in buckets) writes its range's
//! candidate pairs, verified by exact Jaccard when configured.

use super::Step;
use super::state::{Ctx, ScanState, write_state};
use crate::dedup::candidates::PAIR_RECORD;
use crate::dedup::engine::{ResolveOptions, exact_duplicates, fuzzy_pairs};
use crate::dedup::runs::KeyRuns;
use crate::io::SpillDir;
use crate::pipeline::origins::Origins;
use crate::pipeline::progress::Progress;
use crate::pipeline::verify::InputTexts;
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};

/// An exact rank's duplicates: `u64 duplicate rank · u64 survivor rank`, by duplicate.
pub const DUPLICATES: &str = "exact-duplicates";
/// A fuzzy rank's candidate pairs: `u64 b · u64 a · u64 value`, by `(a, b)`.
pub const PAIRS: &str = "pairs";

/// The dedup options of the config.
pub fn options(ctx: &Ctx<'_>) -> ResolveOptions {
    let config = ctx.config;
    ResolveOptions {
        exact: config.exact_dedup,
        fuzzy: config.fuzzy_dedup,
        params: config.minhash.clone(),
        verify_threshold: config.verify_threshold,
        budget_bytes: config.dedup_memory_budget,
    }
}

/// The key runs of every scan rank.
pub fn key_runs(ctx: &Ctx<'_>, scans: &[ScanState]) -> KeyRuns {
    KeyRuns {
        dir: ctx.step_spill(Step::Scan),
        identity: ctx.identity(),
        bands: ctx.config.minhash.bands,
        partitions: ctx.plan.tasks,
        spillers: scans
            .iter()
            .enumerate()
            .map(|(rank, state)| (format!("rank-{rank:05}/"), state.n_runs))
            .collect(),
        content: 0,
    }
}

/// The origins of every scan rank's filter survivors.
pub fn origins(ctx: &Ctx<'_>) -> Origins {
    let dirs = ctx
        .ranks(Step::Scan)
        .map(|r| ctx.spill(Step::Scan, r))
        .collect();
    Origins::new(dirs, ctx.identity())
}

/// Runs exact rank `rank`.
pub fn exact_rank(ctx: &Ctx<'_>, rank: usize) -> Result<()> {
    let scans: Vec<ScanState> = ctx.states(Step::Scan)?;
    let progress = Progress::spinner(ctx.quiet, "exact");
    let (duplicates, sizes) = match ctx.config.exact_dedup {
        true => exact_duplicates(&key_runs(ctx, &scans), rank)?,
        false => (Vec::new(), BTreeMap::new()),
    };
    let mut writer = ctx
        .spill(Step::Exact, rank)
        .create(DUPLICATES, 16, ctx.identity())?;
    let duplicates_len = duplicates.len();
    for (duplicate, survivor) in duplicates {
        let mut record = [0u8; 16];
        record[..8].copy_from_slice(&duplicate.to_le_bytes());
        record[8..].copy_from_slice(&survivor.to_le_bytes());
        writer.write(&record)?;
    }
    writer.finish()?;
    progress.set_message(format!(
        "key range {rank}: {} exact duplicates",
        duplicates_len
    ));
    progress.finish();
    write_state(&ctx.dir(Step::Exact, rank), &sizes)
}

/// Every exact rank's duplicates (duplicate rank → survivor rank) and group sizes.
pub fn exact_of(ctx: &Ctx<'_>) -> Result<(HashMap<u64, u64>, BTreeMap<u64, u64>)> {
    let mut all = HashMap::new();
    let mut sizes: BTreeMap<u64, u64> = BTreeMap::new();
    for rank in ctx.ranks(Step::Exact) {
        let spill = ctx.spill(Step::Exact, rank);
        let mut reader = spill.open(DUPLICATES, 16, ctx.identity())?;
        let mut record = [0u8; 16];
        while reader.next(&mut record)? {
            let word =
                |at: usize| u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| record[at + i]));
            all.insert(word(0), word(8));
        }
        let part: BTreeMap<u64, u64> = super::state::read_state(&ctx.dir(Step::Exact, rank))?;
        for (size, n) in part {
            *sizes.entry(size).or_default() += n;
        }
    }
    Ok((all, sizes))
}

/// Runs fuzzy rank `rank`.
pub fn fuzzy_rank(ctx: &Ctx<'_>, rank: usize) -> Result<()> {
    let spill: SpillDir = ctx.spill(Step::Fuzzy, rank);
    let mut writer = spill.create(PAIRS, PAIR_RECORD, ctx.identity())?;
    let progress = Progress::spinner(ctx.quiet, "fuzzy");
    let mut pairs = 0u64;
    if ctx.config.fuzzy_dedup {
        let scans: Vec<ScanState> = ctx.states(Step::Scan)?;
        let runs = key_runs(ctx, &scans);
        let (exact_of, _) = exact_of(ctx)?;
        let origins = origins(ctx);
        let mut texts = InputTexts::new(ctx.config, &origins);
        let options = options(ctx);
        fuzzy_pairs(
            &runs,
            rank,
            &options,
            &exact_of,
            &mut texts,
            &spill,
            |a, b, value| {
                let mut record = [0u8; PAIR_RECORD];
                record[..8].copy_from_slice(&b.to_le_bytes());
                record[8..16].copy_from_slice(&a.to_le_bytes());
                record[16..].copy_from_slice(&value.to_le_bytes());
                pairs += 1;
                writer.write(&record)
            },
        )?;
    }
    writer.finish()?;
    progress.set_message(format!("key range {rank}: {pairs} candidate pairs"));
    progress.finish();
    Ok(())
}
