//! The `merge` step (one rank): the ranks' parts joined into exactly what one machine
//! writes (one `.bin`/`.idx` per source, the curated parts cut at the configured size, the
//! logs with final doc ids), then the reports.

use super::Step;
use super::cluster_step::DUPLICATES_LOG;
use super::emit_step::DECONTAM_LOG;
use super::parquet_docs::write_parquet_docs;
use super::scan_step::{FILTERED, REJECTS};
use super::state::{ClusterState, Ctx, EmitState, ScanState, doc_id, doc_offsets, empty_rows};
use crate::config::DocsFormat;
use crate::io::{self, AtomicFile, LineReader, RollingZstWriter, ZstLogWriter};
use crate::pipeline::emit::{DOCS_DIR, MEGATRON_DIR};
use crate::pipeline::tasks::NGRAMS_LISTED;
use crate::report::{DecontamReport, SourceRow};
use crate::shard::megatron::{dataset_prefix, read_index, write_index};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The counts of every rank, added up.
pub struct Totals {
    /// One row per source.
    pub rows: Vec<SourceRow>,
    /// Rejects of no known source.
    pub unattributed: BTreeMap<String, u64>,
    /// The cluster step's state.
    pub cluster: ClusterState,
    /// Decontamination counts (task totals not yet filled in).
    pub decontam: DecontamReport,
    /// Records rejected.
    pub rejected: u64,
    /// Key runs spilled by every scan rank.
    pub spill_runs: u64,
}

/// Joins every rank's outputs into the output folder and adds up their counts.
pub fn merge_outputs(ctx: &Ctx<'_>) -> Result<Totals> {
    let out = ctx.out();
    let scans: Vec<ScanState> = ctx.states(Step::Scan)?;
    let emits: Vec<EmitState> = ctx.states(Step::Emit)?;
    let cluster: ClusterState = super::state::read_state(&ctx.dir(Step::Cluster, 0))?;
    let scan_files = |name: &str| -> Vec<PathBuf> {
        ctx.ranks(Step::Scan)
            .map(|r| ctx.dir(Step::Scan, r).join(name))
            .collect()
    };
    let rejects = scan_files(REJECTS);
    let refs: Vec<&Path> = rejects.iter().map(PathBuf::as_path).collect();
    io::concat_files(&refs, &out.join("rejects/rejects.jsonl.zst"))?;
    write_filtered(ctx, &scans, &scan_files(FILTERED))?;
    io::link_or_copy(
        &ctx.dir(Step::Cluster, 0).join(DUPLICATES_LOG),
        &out.join("removed/duplicates.jsonl.zst"),
    )?;
    if !ctx.config.tasks.is_empty() {
        let logs: Vec<PathBuf> = ctx
            .ranks(Step::Emit)
            .map(|r| ctx.dir(Step::Emit, r).join(DECONTAM_LOG))
            .collect();
        let refs: Vec<&Path> = logs.iter().map(PathBuf::as_path).collect();
        io::concat_files(&refs, &out.join("removed/decontaminated.jsonl.zst"))?;
    }
    crate::pipeline::interrupt::kill_point("merge:logs");
    (0..ctx.config.sources.len())
        .into_par_iter()
        .try_for_each(|source| join_source(ctx, source))?;
    crate::pipeline::interrupt::kill_point("merge:sources");

    let mut rows = empty_rows(ctx.config);
    let mut unattributed = BTreeMap::new();
    for scan in &scans {
        rows.iter_mut()
            .zip(&scan.rows)
            .for_each(|(row, part)| row.add(part));
        for (reason, n) in &scan.unattributed {
            *unattributed.entry(reason.clone()).or_default() += n;
        }
    }
    for (row, &(exact, within, cross)) in rows.iter_mut().zip(&cluster.removed) {
        row.exact_duplicates += exact;
        row.fuzzy_duplicates_within += within;
        row.fuzzy_duplicates_cross += cross;
    }
    let mut decontam = DecontamReport::default();
    for emit in &emits {
        rows.iter_mut()
            .zip(&emit.rows)
            .for_each(|(row, part)| row.add(part));
        decontam.add(&emit.decontam);
    }
    decontam.keep_top_ngrams(NGRAMS_LISTED);
    Ok(Totals {
        rows,
        unattributed,
        cluster,
        decontam,
        rejected: scans.iter().map(|s| s.rejected).sum(),
        spill_runs: scans.iter().map(|s| s.n_runs as u64).sum(),
    })
}

/// `removed/filtered.jsonl.zst`: the scan ranks' logs with each ordinal `id` made the doc id.
fn write_filtered(ctx: &Ctx<'_>, scans: &[ScanState], logs: &[PathBuf]) -> Result<()> {
    let offsets = doc_offsets(ctx, scans);
    let mut out = ZstLogWriter::create(&ctx.out().join("removed/filtered.jsonl.zst"))?;
    let mut line_out = Vec::new();
    for log in logs {
        let mut reader = LineReader::open(log, usize::MAX)?;
        while let Some(line) = reader.next_line()? {
            let bytes = line.bytes.unwrap_or_default();
            let Some(rest) = bytes.strip_prefix(b"{\"id\":") else {
                bail!(
                    "{}:{}: not a removal record; run the scan step again",
                    log.display(),
                    line.number
                );
            };
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let ordinal: u64 = std::str::from_utf8(&rest[..digits])?
                .parse()
                .with_context(|| format!("{}:{}: bad id", log.display(), line.number))?;
            line_out.clear();
            line_out.extend_from_slice(b"{\"id\":");
            line_out.extend_from_slice(doc_id(&offsets, ordinal).to_string().as_bytes());
            line_out.extend_from_slice(&rest[digits..]);
            out.write_line(&line_out)?;
        }
    }
    out.finish()
}

/// Joins one source's shards and curated parts from every emit rank.
fn join_source(ctx: &Ctx<'_>, source: usize) -> Result<()> {
    let out = ctx.out();
    let slug = &ctx.config.sources[source].slug;
    let prefix = dataset_prefix(MEGATRON_DIR, slug);
    let ranks: Vec<PathBuf> = ctx
        .ranks(Step::Emit)
        .map(|r| ctx.dir(Step::Emit, r))
        .collect();
    let bins: Vec<PathBuf> = ranks
        .iter()
        .map(|dir| dir.join(format!("{prefix}.bin")))
        .filter(|p| p.exists())
        .collect();
    let idx = |bin: &Path| bin.with_extension("idx");
    match bins.as_slice() {
        [] => {}
        [one] => {
            io::link_or_copy(one, &out.join(format!("{prefix}.bin")))?;
            io::link_or_copy(&idx(one), &out.join(format!("{prefix}.idx")))?;
        }
        many => {
            let mut lengths = Vec::new();
            let mut dtype = None;
            for bin in many {
                let index = read_index(&io::read_bytes(&idx(bin))?)
                    .with_context(|| format!("{}", idx(bin).display()))?;
                dtype = Some(index.dtype);
                lengths.extend_from_slice(&index.lengths);
            }
            let refs: Vec<&Path> = many.iter().map(PathBuf::as_path).collect();
            io::concat_files(&refs, &out.join(format!("{prefix}.bin")))?;
            let mut file = AtomicFile::create(&out.join(format!("{prefix}.idx")))?;
            if let Some(dtype) = dtype {
                write_index(dtype, &lengths, &mut file)?;
            }
            file.finish()?;
        }
    }
    if !ctx.config.write_docs {
        return Ok(());
    }
    let dest = out.join(DOCS_DIR).join(slug);
    let parts_of = |dir: &Path| -> Result<Vec<PathBuf>> {
        let folder = dir.join(DOCS_DIR).join(slug);
        let mut names = io::list_dir(&folder)?.unwrap_or_default();
        names.retain(|n| n.starts_with("part-") && n.ends_with(".jsonl.zst"));
        names.sort();
        Ok(names.into_iter().map(|n| folder.join(n)).collect())
    };
    if ctx.config.docs_format == DocsFormat::Parquet {
        let parts: Vec<Vec<PathBuf>> = ranks
            .iter()
            .map(|dir| parts_of(dir))
            .collect::<Result<_>>()?;
        return write_parquet_docs(ctx.config, &parts.concat(), &dest);
    }
    if ctx.plan.tasks == 1 {
        // The one rank wrote the parts at the configured size already (with more tasks,
        // each rank writes one unbounded part, cut again here).
        for part in parts_of(&ranks[0])? {
            let name = part.file_name().unwrap_or_default();
            io::link_or_copy(&part, &dest.join(name))?;
        }
        return Ok(());
    }
    let mut writer =
        RollingZstWriter::new(&dest, ctx.config.docs_part_bytes, ctx.config.zstd_level);
    for dir in &ranks {
        for part in parts_of(dir)? {
            let mut reader = LineReader::open(&part, usize::MAX)?;
            while let Some(line) = reader.next_line()? {
                writer.write_line(&line.bytes.unwrap_or_default())?;
            }
        }
    }
    writer.finish()?;
    Ok(())
}
