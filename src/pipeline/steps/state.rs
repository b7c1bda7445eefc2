//! What each step leaves for the ones after it, besides its logs and key runs: small JSON
//! states (counts, per-file document numbers) and the line sets of the kept documents.

use super::record::{rank_dir, step_dir};
use super::{Plan, Step};
use crate::config::Config;
use crate::decontam::NgramCounts;
use crate::io::{self, SpillDir};
use crate::report::{DecontamReport, DedupSummary, SourceRow};
use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// Name of a rank's state file.
pub const STATE: &str = "state.json";

/// What a step rank needs to know of the run.
pub struct Ctx<'a> {
    /// The run's config.
    pub config: &'a Config,
    /// The run's plan.
    pub plan: &'a Plan,
    /// No progress bars or messages.
    pub quiet: bool,
}

impl Ctx<'_> {
    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.config.output_dir
    }

    /// The folder of `rank` of `step`.
    pub fn dir(&self, step: Step, rank: usize) -> PathBuf {
        rank_dir(self.out(), step, rank)
    }

    /// The spill folder of `rank` of `step`.
    pub fn spill(&self, step: Step, rank: usize) -> SpillDir {
        SpillDir::new(&self.dir(step, rank))
    }

    /// The spill folder over every rank of `step` (names start `rank-RRRRR/`).
    pub fn step_spill(&self, step: Step) -> SpillDir {
        SpillDir::new(&step_dir(self.out(), step))
    }

    /// The identity stamped on every work file of this config.
    pub fn identity(&self) -> u64 {
        xxh3_64(self.config.hash.as_bytes())
    }

    /// Ranks of `step`.
    pub fn ranks(&self, step: Step) -> std::ops::Range<usize> {
        0..step.ranks(self.plan.tasks)
    }

    /// Reads the state of every rank of `step`.
    pub fn states<T: DeserializeOwned>(&self, step: Step) -> Result<Vec<T>> {
        self.ranks(step)
            .map(|rank| read_state(&self.dir(step, rank)))
            .collect()
    }
}

/// Writes a rank's state.
pub fn write_state<T: Serialize>(dir: &Path, state: &T) -> Result<()> {
    let json = serde_json::to_string(state)? + "\n";
    io::write_atomic(&dir.join(STATE), json.as_bytes())
}

/// Reads a rank's state.
pub fn read_state<T: DeserializeOwned>(dir: &Path) -> Result<T> {
    let path = dir.join(STATE);
    let text = io::read_text(&path)?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not the state this step expects; run the step again",
            path.display()
        )
    })
}

/// What a scan rank learned of its share of the inputs.
#[derive(Serialize, Deserialize)]
pub struct ScanState {
    /// Input-side counts per source.
    pub rows: Vec<SourceRow>,
    /// Rejected records of no known source, by reason.
    pub unattributed: BTreeMap<String, u64>,
    /// Documents parsed in each input file of the share.
    pub docs_per_file: Vec<u64>,
    /// Decontamination: filter survivors per task n-gram.
    pub ngram_counts: NgramCounts,
    /// Key runs spilled.
    pub n_runs: usize,
    /// Filter survivors.
    pub candidates: u64,
    /// Records rejected.
    pub rejected: u64,
}

/// What the cluster step decided, in counts.
#[derive(Serialize, Deserialize)]
pub struct ClusterState {
    /// Per source: exact duplicates, fuzzy within the source, fuzzy across sources.
    pub removed: Vec<(u64, u64, u64)>,
    /// The dedup section of the report.
    pub summary: DedupSummary,
}

/// What an emit rank wrote, in counts.
#[derive(Serialize, Deserialize)]
pub struct EmitState {
    /// Output-side counts per source.
    pub rows: Vec<SourceRow>,
    /// Decontamination counts of the share.
    pub decontam: DecontamReport,
}

/// The global doc id of the first document of each input file, from the scan states.
pub fn doc_offsets(ctx: &Ctx<'_>, scans: &[ScanState]) -> Vec<u64> {
    let mut offsets = vec![0; ctx.config.inputs.len()];
    let mut next = 0;
    for (state, &(first, _)) in scans.iter().zip(&ctx.plan.shares) {
        for (i, &docs) in state.docs_per_file.iter().enumerate() {
            offsets[first + i] = next;
            next += docs;
        }
    }
    offsets
}

/// The doc id of a document's ordinal (see `scan::ordinal`).
pub fn doc_id(offsets: &[u64], ordinal: u64) -> u64 {
    offsets[(ordinal >> 32) as usize] + (ordinal & 0xffff_ffff)
}

/// The report rows of `config`'s sources, counts at zero.
pub fn empty_rows(config: &Config) -> Vec<SourceRow> {
    config
        .sources
        .iter()
        .map(|s| SourceRow {
            name: s.name.clone(),
            slug: s.slug.clone(),
            weight: s.weight,
            ..SourceRow::default()
        })
        .collect()
}
