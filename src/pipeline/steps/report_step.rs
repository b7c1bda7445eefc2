//! The merge rank's report: every rank's counts added up, the decontamination totals, each
//! step's wall time (its slowest rank), checked for accounting and written.

use super::Step;
use super::emit_step;
use super::merge_step::merge_outputs;
use super::record;
use super::state::Ctx;
use crate::config::{Config, InputFile};
use crate::error::{FailureKind, tag};
use crate::io;
use crate::pipeline::interrupt;
use crate::report::{DecontamReport, InputLayout, RunHeader, RunReport};
use crate::tokenize::Tokenizer;
use anyhow::{Result, anyhow};
use std::time::Instant;

/// The merge rank: joins the outputs, writes the reports and returns the report.
pub fn merge_rank(
    ctx: &Ctx<'_>,
    tokenizer: Option<&Tokenizer>,
    started: Instant,
) -> Result<(RunReport, u64)> {
    let config = ctx.config;
    let totals = merge_outputs(ctx)?;
    let loaded;
    let tokenizer = match tokenizer {
        Some(t) => t,
        None => {
            loaded = emit_step::load_tokenizer(ctx)?;
            &loaded
        }
    };
    let mut decontam = DecontamReport {
        tasks: totals.decontam.tasks,
        ..DecontamReport::default()
    };
    if let Some((ngrams, examples)) =
        crate::pipeline::tasks::load_tasks(config).map_err(|e| tag(FailureKind::Config, e))?
    {
        let mut counts = crate::decontam::NgramCounts::default();
        for state in ctx.states::<super::state::ScanState>(Step::Scan)? {
            counts.merge(state.ngram_counts);
        }
        decontam.examples = examples;
        decontam.ngrams = ngrams.len() as u64;
        decontam.ignored_ngrams = ngrams.finalize(&counts).ignored().len() as u64;
    }
    let mut stage_seconds = Vec::new();
    for step in Step::ALL.into_iter().filter(|s| *s != Step::Merge) {
        let slowest = ctx
            .ranks(step)
            .filter_map(|r| record::read_completion(ctx.out(), step, r))
            .map(|done| done.seconds)
            .fold(0.0, f64::max);
        stage_seconds.push((step.name().to_string(), slowest));
    }
    stage_seconds.push(("merge".to_string(), started.elapsed().as_secs_f64()));
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let report = RunReport {
        header: RunHeader {
            config_path: config.config_path.display().to_string(),
            config_hash: config.hash.clone(),
            inputs: config
                .inputs
                .iter()
                .map(|i| i.path.display().to_string())
                .collect(),
            input_layouts: config.inputs.iter().map(|i| layout_of(config, i)).collect(),
            threads,
            tokenizer: format!(
                "{} ({})",
                config.tokenizer_path.display(),
                tokenizer.engine_description()
            ),
            total_seconds: stage_seconds.iter().map(|(_, s)| s).sum(),
            stage_seconds,
            tasks: ctx.plan.tasks,
            spill_runs: totals.spill_runs,
            ..RunHeader::of_this_process()
        },
        sources: totals.rows,
        unattributed_rejects: totals.unattributed,
        dedup: totals.cluster.summary,
        target_tokens: config.target_tokens,
        decontam,
    };
    crate::report::check_accounting(&report)
        .map_err(|e| anyhow!("internal accounting error, please report it: {e}"))?;
    interrupt::check()?;
    interrupt::kill_point("merge:reports");
    crate::pipeline::write_reports(config, &report)?;
    Ok((report, totals.rejected))
}

/// How `input` was read, for the report.
fn layout_of(config: &Config, input: &InputFile) -> InputLayout {
    let format = match io::Compression::from_path(&input.path) {
        io::Compression::Plain => "jsonl",
        io::Compression::Gzip => "jsonl.gz",
        io::Compression::Zstd => "jsonl.zst",
        io::Compression::Parquet => "parquet",
    };
    InputLayout {
        path: input.path.display().to_string(),
        format: format.to_string(),
        text_field: input.layout.text.to_string(),
        source_field: input.layout.source.to_string(),
        id_field: input.layout.id.as_ref().map(ToString::to_string),
        source: input
            .source
            .map(|s| config.sources[usize::from(s)].name.clone()),
    }
}
