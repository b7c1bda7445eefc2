//! The `scan` step: one rank reads its share of the inputs (pass 1), and leaves its logs,
//! its dedup keys cut into one range per dedup rank, the origins of its filter survivors,
//! their line sets and its counts.

use super::Step;
use super::input_ids::{IDS_LOG, InputIds};
use super::state::{Ctx, ScanState, empty_rows, write_state};
use crate::dedup::runs::KeySpiller;
use crate::error::{FailureKind, tag};
use crate::io::{self, ZstLogWriter};
use crate::pipeline::batches::start_reading_share;
use crate::pipeline::origins::OriginLog;
use crate::pipeline::progress::Progress;
use crate::pipeline::scan::{self, Logs, SurvivorSinks};
use crate::pipeline::tasks::load_tasks;
use anyhow::Result;
use std::collections::BTreeMap;

/// The rejects log of a scan rank.
pub const REJECTS: &str = "rejects.jsonl.zst";
/// The filter-removal log of a scan rank (ids are ordinals until the merge).
pub const FILTERED: &str = "filtered.jsonl.zst";
/// The line set of a scan rank's filter survivors.
pub const SURVIVORS: &str = "survivors.bits";
/// The line set of its survivors holding a task n-gram.
pub const TASK_MATCHES: &str = "task-matches.bits";

/// Runs scan rank `rank`.
pub fn scan_rank(ctx: &Ctx<'_>, rank: usize) -> Result<()> {
    let config = ctx.config;
    let share = ctx.plan.shares[rank];
    let dir = ctx.dir(Step::Scan, rank);
    let expected = Some(ctx.plan.fingerprints.clone());
    let reading = start_reading_share(config, share, expected)?;
    let tasks = load_tasks(config).map_err(|e| tag(FailureKind::Config, e))?;
    let mut rows = empty_rows(config);
    let mut unattributed = BTreeMap::new();
    let mut rejects = ZstLogWriter::create(&dir.join(REJECTS))?;
    let mut filtered = ZstLogWriter::create(&dir.join(FILTERED))?;
    let mut share_bytes = 0;
    for input in &config.inputs[share.0..share.1] {
        share_bytes += io::file_size(&input.path).map_err(|e| tag(FailureKind::Input, e))?;
    }
    let bar = Progress::bytes(ctx.quiet, "scan", share_bytes);
    let spiller = KeySpiller::new(
        ctx.step_spill(Step::Scan),
        ctx.identity(),
        config.minhash.bands,
        (config.exact_dedup, config.fuzzy_dedup),
        config.dedup_memory_budget / 2,
    )
    .partitioned(&format!("rank-{rank:05}/"), ctx.plan.tasks);
    let sinks = SurvivorSinks {
        index: spiller,
        origins: OriginLog::create(&ctx.spill(Step::Scan, rank), ctx.identity())?,
        ids: match InputIds::needed(config) {
            true => Some(ZstLogWriter::create(&dir.join(IDS_LOG))?),
            false => None,
        },
    };
    let survivors = scan::scan(
        config,
        reading,
        &mut rows,
        &mut unattributed,
        Logs {
            rejects: &mut rejects,
            removed: &mut filtered,
        },
        &bar,
        tasks.as_ref().map(|(ngrams, _)| ngrams),
        sinks,
    )?;
    bar.finish();
    let rejected = rejects.records();
    rejects.finish()?;
    filtered.finish()?;
    let candidates = survivors.origins.count();
    survivors.origins.finish()?;
    if let Some(ids) = survivors.ids {
        ids.finish()?;
    }
    let runs = survivors.index.finish()?;
    io::write_atomic(&dir.join(SURVIVORS), &survivors.keep.encode(share))?;
    io::write_atomic(
        &dir.join(TASK_MATCHES),
        &survivors.task_matches.encode(share),
    )?;
    write_state(
        &dir,
        &ScanState {
            rows,
            unattributed,
            docs_per_file: survivors.docs_per_file[share.0..share.1].to_vec(),
            ngram_counts: survivors.ngram_counts,
            n_runs: runs.n_runs(),
            candidates,
            rejected,
        },
    )
}
