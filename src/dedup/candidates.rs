//! Candidate pairs from the band runs: per band, the merge of its runs gives buckets of
//! equal keys among exact survivors; pairs are counted per band, buffered, and spilled as
//! sorted runs of `(a << 64 | b, bands)` records when the buffer reaches its share.

use super::runs::{self, KeyRuns};
use crate::io::SpillDir;
use anyhow::Result;
use std::collections::HashMap;

/// Buckets up to this size give all their pairs; larger ones only a chain.
pub const ALL_PAIRS_UP_TO: usize = 32;
/// Bytes of a pair record.
pub const PAIR_RECORD: usize = 24;

/// Merges each band's runs of key range `partition` into buckets, spills the candidate
/// pairs into `work` as sorted runs of `(a << 64 | b, bands)` and returns their names.
pub fn candidate_runs(
    runs: &KeyRuns,
    partition: usize,
    exact_of: &HashMap<u64, u64>,
    share: u64,
    work: &SpillDir,
) -> Result<Vec<String>> {
    let identity = runs.identity;
    let limit = (share as usize / 16).max(1024);
    let mut names = Vec::new();
    let mut buffer: Vec<(u64, u64)> = Vec::new();
    let mut spill = |buffer: &mut Vec<(u64, u64)>| -> Result<()> {
        buffer.sort_unstable();
        let name = format!("pairs-{:05}", names.len());
        let mut writer = work.create(&name, PAIR_RECORD, identity)?;
        for group in buffer.chunk_by(|x, y| x == y) {
            let (a, b) = group[0];
            let mut record = [0u8; PAIR_RECORD];
            record[..8].copy_from_slice(&b.to_le_bytes());
            record[8..16].copy_from_slice(&a.to_le_bytes());
            record[16..].copy_from_slice(&(group.len() as u64).to_le_bytes());
            writer.write(&record)?;
        }
        writer.finish()?;
        names.push(name);
        buffer.clear();
        Ok(())
    };
    for band in 0..runs.bands {
        let band_names = runs.band_names(partition, band);
        let mut bucket: Vec<u64> = Vec::new();
        let mut bucket_key = None;
        let emit = |bucket: &mut Vec<u64>, buffer: &mut Vec<(u64, u64)>| {
            if bucket.len() <= ALL_PAIRS_UP_TO {
                for (i, &a) in bucket.iter().enumerate() {
                    buffer.extend(bucket[i + 1..].iter().map(|&b| (a, b)));
                }
            } else {
                buffer.extend(bucket.windows(2).map(|w| (w[0], w[1])));
            }
            bucket.clear();
        };
        runs::merge(
            &runs.dir,
            &band_names,
            runs::BAND_RECORD,
            runs.identity,
            |key, rank| {
                if exact_of.contains_key(&rank) {
                    return Ok(());
                }
                if bucket_key != Some(key) {
                    emit(&mut bucket, &mut buffer);
                    bucket_key = Some(key);
                }
                bucket.push(rank);
                if buffer.len() >= limit {
                    spill(&mut buffer)?;
                }
                Ok(())
            },
        )?;
        emit(&mut bucket, &mut buffer);
    }
    if !buffer.is_empty() {
        spill(&mut buffer)?;
    }
    Ok(names)
}
