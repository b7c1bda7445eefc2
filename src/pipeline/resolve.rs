//! The dedup stage as the pipeline sees it: resolve the runs spilled by pass 1 into
//! clusters (re-reading candidates' texts to verify them), log every removed duplicate with
//! its cluster, survivor and similarity, count within- and cross-source removals, and build
//! the set of document ids that go on to tokenization.

use super::origins::{KeepSet, OriginLog, Origins};
use super::scan::Survivors;
use super::verify::InputTexts;
use crate::config::Config;
use crate::dedup::engine::{ResolveOptions, resolve_runs};
use crate::dedup::runs::KeySpiller;
use crate::io::{SpillDir, ZstLogWriter};
use crate::report::{DedupSummary, SourceRow};
use anyhow::Result;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

/// Where the dedup stage's intermediate files live, under the output folder.
pub const WORK_DIR: &str = ".work/dedup";

/// A removed duplicate, as logged in `removed/duplicates.jsonl.zst`.
#[derive(Serialize)]
struct DuplicateRecord<'a> {
    id: u64,
    source: &'a str,
    file: &'a str,
    line: u64,
    stage: &'static str,
    reason: &'static str,
    duplicate_of: u64,
    duplicate_source: &'a str,
    /// The doc id of the document that finally keeps this content.
    cluster: u64,
    similarity: f64,
    /// `exact`, `verified` (exact Jaccard) or `estimated` (from LSH band collisions).
    similarity_kind: &'static str,
}

/// The identity stamped on the dedup work files of `config`: its hash.
fn work_identity(config: &Config) -> u64 {
    xxh3_64(config.hash.as_bytes())
}

/// The pass-1 log of the filter survivors' origins, in [`WORK_DIR`].
pub fn origin_log(config: &Config) -> Result<OriginLog> {
    let dir = SpillDir::new(&config.output_dir.join(WORK_DIR));
    OriginLog::create(&dir, work_identity(config))
}

/// The pass-1 key spiller for `config`: runs go to [`WORK_DIR`], stamped with the config
/// hash, and half the memory budget buffers keys.
pub fn key_spiller(config: &Config) -> Result<KeySpiller> {
    let dir = SpillDir::new(&config.output_dir.join(WORK_DIR));
    Ok(KeySpiller::new(
        dir,
        work_identity(config),
        config.minhash.bands,
        (config.exact_dedup, config.fuzzy_dedup),
        config.dedup_memory_budget / 2,
    ))
}

/// Resolves duplicates, writes their removal records, updates the per-source counts.
pub fn resolve(
    config: &Config,
    survivors: Survivors,
    rows: &mut [SourceRow],
    removed: &mut ZstLogWriter,
) -> Result<(KeepSet, DedupSummary)> {
    let Survivors {
        index,
        origins,
        mut keep,
        ..
    } = survivors;
    let candidates = origins.count();
    origins.finish()?;
    let origins = Origins::new(
        SpillDir::new(&config.output_dir.join(WORK_DIR)),
        work_identity(config),
    );
    let runs = index.finish()?;
    let options = ResolveOptions {
        exact: config.exact_dedup,
        fuzzy: config.fuzzy_dedup,
        params: config.minhash.clone(),
        verify_threshold: config.verify_threshold,
        budget_bytes: config.dedup_memory_budget,
    };
    let mut texts = InputTexts::new(config, &origins);
    let resolution = resolve_runs(&runs, &options, &mut texts)?;
    let names: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    // Removals are sorted by doc id, as the origins file is: one streaming join.
    let removed_ids: Vec<u64> = resolution.removed.iter().map(|r| r.doc_id).collect();
    let removed_origins = origins.lookup(&removed_ids)?;
    for (removal, origin) in resolution.removed.iter().zip(removed_origins) {
        let (file_index, line) = (origin.file as usize, origin.line);
        keep.remove(file_index, line);
        let (stage, reason, kind) = match (removal.exact, config.verify_threshold) {
            (true, _) => ("exact_dedup", "exact_duplicate", "exact"),
            (false, Some(_)) => ("fuzzy_dedup", "fuzzy_duplicate", "verified"),
            (false, None) => ("fuzzy_dedup", "fuzzy_duplicate", "estimated"),
        };
        // Ranks carry the source as their priority.
        let (source, survivor_source) = (removal.priority, removal.of_priority);
        let row = &mut rows[usize::from(source)];
        match (removal.exact, survivor_source == source) {
            (true, _) => row.exact_duplicates += 1,
            (false, true) => row.fuzzy_duplicates_within += 1,
            (false, false) => row.fuzzy_duplicates_cross += 1,
        }
        removed.write_record(&DuplicateRecord {
            id: removal.doc_id,
            source: &config.sources[usize::from(source)].name,
            file: &names[file_index],
            line,
            stage,
            reason,
            duplicate_of: removal.of,
            duplicate_source: &config.sources[usize::from(survivor_source)].name,
            cluster: removal.cluster,
            similarity: (removal.similarity * 1e4).round() / 1e4,
            similarity_kind: kind,
        })?;
    }
    let summary = DedupSummary {
        candidates,
        memory_bits_per_line: 1,
        cluster_sizes: resolution.cluster_sizes,
        lsh_candidate_pairs: resolution.candidate_pairs,
        verification_rejected: resolution.rejected_pairs,
        spill_runs: runs.n_runs as u64,
        disk_bytes_per_doc: runs.dir.bytes_on_disk()? / candidates.max(1),
    };
    Ok((keep, summary))
}
