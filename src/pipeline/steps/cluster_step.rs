//! The `cluster` step (one rank): the pairs of every fuzzy rank, merged, accepted or
//! rejected; clusters from them and from the exact duplicates; the duplicates log with
//! final doc ids, and the removed lines that `emit` must skip.

use super::Step;
use super::dedup_steps::{PAIRS, exact_of, options, origins};
use super::input_ids::InputIds;
use super::state::{ClusterState, Ctx, ScanState, doc_id, doc_offsets, write_state};
use crate::dedup::candidates::PAIR_RECORD;
use crate::dedup::engine::{PairTally, clusters};
use crate::dedup::runs;
use crate::io::ZstLogWriter;
use crate::report::DedupSummary;
use anyhow::Result;
use serde::Serialize;

/// The duplicates log of the cluster rank, as `removed/duplicates.jsonl.zst` holds it.
pub const DUPLICATES_LOG: &str = "duplicates.jsonl.zst";
/// The removed lines: `u64 input file · u64 line`, in input order.
pub const REMOVED_LINES: &str = "removed-lines";

/// A removed duplicate, as logged in `removed/duplicates.jsonl.zst`.
#[derive(Serialize)]
struct DuplicateRecord<'a> {
    id: u64,
    /// The input's id of the removed document (`id_field`, or `file:line`).
    doc_id: &'a str,
    source: &'a str,
    file: &'a str,
    line: u64,
    stage: &'static str,
    reason: &'static str,
    duplicate_of: u64,
    /// The survivor's input id.
    duplicate_of_doc_id: &'a str,
    duplicate_source: &'a str,
    /// The doc id of the document that finally keeps this content.
    cluster: u64,
    similarity: f64,
    /// `exact`, `verified` (exact Jaccard) or `estimated` (from LSH band collisions).
    similarity_kind: &'static str,
}

/// Runs the cluster step.
pub fn cluster_rank(ctx: &Ctx<'_>) -> Result<()> {
    let config = ctx.config;
    let scans: Vec<ScanState> = ctx.states(Step::Scan)?;
    let (exact_of, _) = exact_of(ctx)?;
    let mut tally = PairTally::new(&options(ctx));
    let names: Vec<String> = ctx
        .ranks(Step::Fuzzy)
        .map(|rank| format!("rank-{rank:05}/{PAIRS}"))
        .collect();
    let identity = ctx.identity();
    runs::merge(
        &ctx.step_spill(Step::Fuzzy),
        &names,
        PAIR_RECORD,
        identity,
        |key, value| {
            tally.add((key >> 64) as u64, key as u64, value);
            Ok(())
        },
    )?;
    let tally = tally.finish();
    let resolution = clusters(&exact_of, &tally.edges);

    let offsets = doc_offsets(ctx, &scans);
    let dir = ctx.dir(Step::Cluster, 0);
    let mut log = ZstLogWriter::create(&dir.join(DUPLICATES_LOG))?;
    let mut lines = ctx
        .spill(Step::Cluster, 0)
        .create(REMOVED_LINES, 16, identity)?;
    let mut removed = vec![(0, 0, 0); config.sources.len()];
    // Removals come sorted by ordinal, as the origins files are: one streaming join.
    let ordinals: Vec<u64> = resolution.removed.iter().map(|r| r.doc_id).collect();
    let origins = origins(ctx);
    let found = origins.lookup(&ordinals)?;
    let input_ids = InputIds::new(ctx, &origins);
    let removed_ids = input_ids.lookup(&ordinals)?;
    let survivor_ids = input_ids.lookup_any(resolution.removed.iter().map(|r| r.of))?;
    for (((removal, origin), removed_id), survivor_id) in resolution
        .removed
        .iter()
        .zip(found)
        .zip(removed_ids)
        .zip(survivor_ids)
    {
        let (stage, reason, kind) = match (removal.exact, config.verify_threshold) {
            (true, _) => ("exact_dedup", "exact_duplicate", "exact"),
            (false, Some(_)) => ("fuzzy_dedup", "fuzzy_duplicate", "verified"),
            (false, None) => ("fuzzy_dedup", "fuzzy_duplicate", "estimated"),
        };
        // Ranks carry the source as their priority.
        let (source, survivor_source) = (removal.priority, removal.of_priority);
        let counts = &mut removed[usize::from(source)];
        match (removal.exact, survivor_source == source) {
            (true, _) => counts.0 += 1,
            (false, true) => counts.1 += 1,
            (false, false) => counts.2 += 1,
        }
        let file = &config.inputs[origin.file as usize].path;
        log.write_record(&DuplicateRecord {
            id: doc_id(&offsets, removal.doc_id),
            doc_id: &removed_id,
            duplicate_of_doc_id: &survivor_id,
            source: &config.sources[usize::from(source)].name,
            file: &file.display().to_string(),
            line: origin.line,
            stage,
            reason,
            duplicate_of: doc_id(&offsets, removal.of),
            duplicate_source: &config.sources[usize::from(survivor_source)].name,
            cluster: doc_id(&offsets, removal.cluster),
            similarity: (removal.similarity * 1e4).round() / 1e4,
            similarity_kind: kind,
        })?;
        let mut record = [0u8; 16];
        record[..8].copy_from_slice(&u64::from(origin.file).to_le_bytes());
        record[8..].copy_from_slice(&origin.line.to_le_bytes());
        lines.write(&record)?;
    }
    log.finish()?;
    lines.finish()?;
    let summary = DedupSummary {
        candidates: scans.iter().map(|s| s.candidates).sum(),
        memory_bits_per_line: 1 + u64::from(!config.tasks.is_empty()),
        cluster_sizes: resolution.cluster_sizes,
        lsh_candidate_pairs: tally.candidates,
        verification_rejected: tally.rejected,
        spill_runs: scans.iter().map(|s| s.n_runs as u64).sum(),
        disk_bytes_per_doc: 24 * u64::from(config.exact_dedup)
            + 16 * config.minhash.bands as u64 * u64::from(config.fuzzy_dedup),
    };
    write_state(&dir, &ClusterState { removed, summary })
}

/// The removed lines of input files `[first, end)`, from the cluster step.
pub fn removed_lines(ctx: &Ctx<'_>, (first, end): (usize, usize)) -> Result<Vec<(usize, u64)>> {
    let mut reader = ctx
        .spill(Step::Cluster, 0)
        .open(REMOVED_LINES, 16, ctx.identity())?;
    let mut record = [0u8; 16];
    let mut out = Vec::new();
    while reader.next(&mut record)? {
        let word = |at: usize| u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7].map(|i| record[at + i]));
        let file = word(0) as usize;
        if (first..end).contains(&file) {
            out.push((file, word(8)));
        }
    }
    Ok(out)
}
