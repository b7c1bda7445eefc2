//! The dedup stage as the pipeline sees it: resolve clusters over the filter survivors,
//! log every removed duplicate with its survivor, count within- and cross-source removals,
//! and build the set of document ids that go on to tokenization.

use super::logs::RemovalRecord;
use super::scan::Survivors;
use crate::config::Config;
use crate::dedup::Fate;
use crate::io::ZstLogWriter;
use crate::report::{DedupSummary, SourceRow};
use anyhow::Result;

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
    // Besides the index, the pipeline holds an id, a source and an origin per candidate.
    let bytes_per_doc = (index.bytes_per_doc() + 8 + 2 + 16) as u64;
    let outcome = index.resolve(config.exact_dedup, config.fuzzy_dedup);
    let names: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    let mut keep = KeepSet::new(&lines_per_file);
    for (i, fate) in outcome.fates.iter().enumerate() {
        let (stage, reason, of) = match *fate {
            Fate::Survivor => {
                let (file, line) = origins[i];
                keep.insert(file as usize, line);
                continue;
            }
            Fate::ExactDuplicate { of } => ("exact_dedup", "exact_duplicate", of),
            Fate::FuzzyDuplicate { of } => ("fuzzy_dedup", "fuzzy_duplicate", of),
        };
        // Candidates were pushed in id order, so the survivor is found by binary search.
        let survivor_source = ids
            .binary_search(&of)
            .map(|j| sources[j])
            .map_err(|_| anyhow::anyhow!("dedup named survivor {of}, which is no candidate"))?;
        let source = sources[i];
        let row = &mut rows[source as usize];
        match (stage, survivor_source == source) {
            ("exact_dedup", _) => row.exact_duplicates += 1,
            (_, true) => row.fuzzy_duplicates_within += 1,
            (_, false) => row.fuzzy_duplicates_cross += 1,
        }
        let (file_index, line) = origins[i];
        removed.write_record(&RemovalRecord {
            id: ids[i],
            source: &config.sources[source as usize].name,
            file: &names[file_index as usize],
            line,
            stage,
            reason,
            value: None,
            min: None,
            max: None,
            duplicate_of: Some(of),
            duplicate_source: Some(&config.sources[survivor_source as usize].name),
        })?;
    }
    let summary = DedupSummary {
        candidates: ids.len() as u64,
        bytes_per_doc,
        cluster_sizes: outcome.cluster_sizes,
    };
    Ok((keep, summary))
}
