//! The dedup stage as the pipeline sees it: resolve the runs spilled by pass 1 into
//! clusters (re-reading candidates' texts to verify them), log every removed duplicate with
//! its cluster, survivor and similarity, count within- and cross-source removals, and build
//! the set of document ids that go on to tokenization.

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

/// The input lines whose documents reach the output: one bitset per input file, indexed by
/// line number, so pass 2 parses and tokenizes only those lines.
pub struct KeepSet {
    files: Vec<Vec<u64>>,
    len: u64,
}

impl KeepSet {
    fn new(lines_per_file: &[u64]) -> KeepSet {
        KeepSet {
            files: lines_per_file
                .iter()
                .map(|&n| vec![0; (n + 1).div_ceil(64) as usize])
                .collect(),
            len: 0,
        }
    }

    fn insert(&mut self, file: usize, line: u64) {
        self.files[file][(line / 64) as usize] |= 1 << (line % 64);
        self.len += 1;
    }

    /// Whether line `line` of input `file` holds a kept document.
    pub fn contains(&self, file: usize, line: u64) -> bool {
        self.files[file]
            .get((line / 64) as usize)
            .is_some_and(|word| word & (1 << (line % 64)) != 0)
    }

    /// Number of kept documents.
    pub fn len(&self) -> u64 {
        self.len
    }
}

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

/// The pass-1 key spiller for `config`: runs go to [`WORK_DIR`], stamped with the config
/// hash, and half the memory budget buffers keys.
pub fn key_spiller(config: &Config) -> Result<KeySpiller> {
    let dir = SpillDir::new(&config.output_dir.join(WORK_DIR));
    Ok(KeySpiller::new(
        dir,
        xxh3_64(config.hash.as_bytes()),
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
        ids,
        sources,
        origins,
        lines_per_file,
        ..
    } = survivors;
    // In memory the pipeline holds an id, a source and an origin per candidate.
    let bytes_per_doc = (8 + 2 + 16) as u64;
    let runs = index.finish()?;
    let options = ResolveOptions {
        exact: config.exact_dedup,
        fuzzy: config.fuzzy_dedup,
        params: config.minhash.clone(),
        verify_threshold: config.verify_threshold,
        budget_bytes: config.dedup_memory_budget,
    };
    let mut texts = InputTexts::new(config, &ids, &origins);
    let resolution = resolve_runs(&runs, &options, &mut texts)?;
    let names: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    let source_of = |doc_id: u64| {
        ids.binary_search(&doc_id)
            .map(|j| sources[j])
            .map_err(|_| anyhow::anyhow!("dedup named document {doc_id}, which is no candidate"))
    };
    let mut keep = KeepSet::new(&lines_per_file);
    let mut next = resolution.removed.iter().peekable();
    for (i, &doc_id) in ids.iter().enumerate() {
        let (file_index, line) = origins[i];
        let Some(removal) = next.next_if(|r| r.doc_id == doc_id) else {
            keep.insert(file_index as usize, line);
            continue;
        };
        let (stage, reason, kind) = match (removal.exact, config.verify_threshold) {
            (true, _) => ("exact_dedup", "exact_duplicate", "exact"),
            (false, Some(_)) => ("fuzzy_dedup", "fuzzy_duplicate", "verified"),
            (false, None) => ("fuzzy_dedup", "fuzzy_duplicate", "estimated"),
        };
        let survivor_source = source_of(removal.of)?;
        let source = sources[i];
        let row = &mut rows[source as usize];
        match (removal.exact, survivor_source == source) {
            (true, _) => row.exact_duplicates += 1,
            (false, true) => row.fuzzy_duplicates_within += 1,
            (false, false) => row.fuzzy_duplicates_cross += 1,
        }
        removed.write_record(&DuplicateRecord {
            id: doc_id,
            source: &config.sources[source as usize].name,
            file: &names[file_index as usize],
            line,
            stage,
            reason,
            duplicate_of: removal.of,
            duplicate_source: &config.sources[survivor_source as usize].name,
            cluster: removal.cluster,
            similarity: (removal.similarity * 1e4).round() / 1e4,
            similarity_kind: kind,
        })?;
    }
    let summary = DedupSummary {
        candidates: ids.len() as u64,
        bytes_per_doc,
        cluster_sizes: resolution.cluster_sizes,
        lsh_candidate_pairs: resolution.candidate_pairs,
        verification_rejected: resolution.rejected_pairs,
        spill_runs: runs.n_runs as u64,
        disk_bytes_per_doc: runs.dir.bytes_on_disk()? / (ids.len() as u64).max(1),
    };
    Ok((keep, summary))
}
