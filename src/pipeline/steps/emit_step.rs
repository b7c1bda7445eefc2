//! The `emit` step: one rank reads its share of the inputs again (pass 2) and tokenizes and
//! writes the documents that survived filters and dedup into its own `megatron/` and
//! `docs/` folders, with its decontamination log and counts. The merge joins the ranks.

use super::Step;
use super::cluster_step::removed_lines;
use super::scan_step::{SURVIVORS, TASK_MATCHES};
use super::state::{Ctx, EmitState, ScanState, empty_rows, write_state};
use crate::decontam::NgramCounts;
use crate::error::{FailureKind, tag};
use crate::io::{self, ZstLogWriter};
use crate::pipeline::batches::start_reading_share;
use crate::pipeline::emit::{self, Target};
use crate::pipeline::origins::KeepSet;
use crate::pipeline::progress::Progress;
use crate::pipeline::tasks::{DecontamStage, load_tasks};
use crate::report::DecontamReport;
use crate::tokenize::Tokenizer;
use anyhow::Result;

/// The decontamination log of an emit rank.
pub const DECONTAM_LOG: &str = "decontaminated.jsonl.zst";

/// Loads the run's tokenizer (a config error when it does not load).
pub fn load_tokenizer(ctx: &Ctx<'_>) -> Result<Tokenizer> {
    let config = ctx.config;
    let bytes = io::read_bytes(&config.tokenizer_path).map_err(|e| tag(FailureKind::Config, e))?;
    let origin = config.tokenizer_path.display().to_string();
    Tokenizer::load(&bytes, &origin, config.engine, &config.eod_token)
        .map_err(|e| tag(FailureKind::Config, e))
}

/// Runs emit rank `rank` with `tokenizer`.
pub fn emit_rank(ctx: &Ctx<'_>, rank: usize, tokenizer: &Tokenizer) -> Result<()> {
    let config = ctx.config;
    let share = ctx.plan.shares[rank];
    let n_files = config.inputs.len();
    let expected = Some(ctx.plan.fingerprints.clone());
    let reading = start_reading_share(config, share, expected)?;
    let scan_dir = ctx.dir(Step::Scan, rank);
    let mut keep = KeepSet::decode(n_files, share, &io::read_bytes(&scan_dir.join(SURVIVORS))?)?;
    for (file, line) in removed_lines(ctx, share)? {
        keep.remove(file, line);
    }
    let task_matches = KeepSet::decode(
        n_files,
        share,
        &io::read_bytes(&scan_dir.join(TASK_MATCHES))?,
    )?;
    let tasks = load_tasks(config).map_err(|e| tag(FailureKind::Config, e))?;
    let dir = ctx.dir(Step::Emit, rank);
    let mut rows = empty_rows(config);
    let mut decontam = DecontamReport::default();
    let decontaminator = match tasks {
        Some((ngrams, _)) => {
            // The counts of every scan rank: which task n-grams are too common to cut.
            let mut counts = NgramCounts::default();
            for state in ctx.states::<ScanState>(Step::Scan)? {
                counts.merge(state.ngram_counts);
            }
            Some(ngrams.finalize(&counts))
        }
        None => None,
    };
    let mut log = match &decontaminator {
        Some(_) => Some(ZstLogWriter::create(&dir.join(DECONTAM_LOG))?),
        None => None,
    };
    let stage = match (&decontaminator, &mut log) {
        (Some(decontaminator), Some(log)) => Some(DecontamStage {
            decontaminator,
            task_matches: &task_matches,
            report: &mut decontam,
            log,
        }),
        _ => None,
    };
    let mut share_bytes = 0;
    for input in &config.inputs[share.0..share.1] {
        share_bytes += io::file_size(&input.path).map_err(|e| tag(FailureKind::Input, e))?;
    }
    let bar = Progress::bytes(ctx.quiet, "tokenize", share_bytes);
    // One rank writes the curated parts as the merge will name them; several write one
    // part per source each, which the merge cuts again at the configured size.
    let part_bytes = match ctx.plan.tasks {
        1 => config.docs_part_bytes,
        _ => u64::MAX,
    };
    let target = Target {
        dir: &dir,
        part_bytes,
    };
    emit::emit(
        config, &target, reading, &keep, tokenizer, &mut rows, &bar, stage,
    )?;
    bar.finish();
    if let Some(log) = log {
        log.finish()?;
    }
    write_state(&dir, &EmitState { rows, decontam })
}
