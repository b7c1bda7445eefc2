//! Sorted runs of dedup keys on disk, and their k-way merge.
//!
//! Pass 1 pushes each document's *rank* (`priority << 48 | doc_id`, so ranks order like
//! `(priority, doc_id)`), exact key and band keys into a [`KeySpiller`]. When its buffer
//! reaches its share of the memory budget, each table is sorted by `(key, rank)` and written
//! as a spill file (`run-RRRRR.exact`, `run-RRRRR.band-BBB`). [`merge`] streams the runs of
//! one table back in global `(key, rank)` order, so what follows sees the same sequence
//! however many runs the keys were spilled into; past [`MAX_FAN_IN`] runs `merge` goes in levels
//! through intermediate runs, removed once read.
//!
//! Records: exact `u128 key · u64 rank` (24 bytes), band `u64 key · u64 rank` (16 bytes),
//! little-endian. On disk a document costs `24 + 16 × bands` bytes plus headers.

pub use super::merge::{MAX_FAN_IN, decode, merge};
use crate::io::SpillDir;
use anyhow::{Result, ensure};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

/// Bits of a rank that hold the doc id.
pub const DOC_BITS: u32 = 48;
/// Bytes of an exact-key record.
pub const EXACT_RECORD: usize = 24;
/// Bytes of a band-key record.
pub const BAND_RECORD: usize = 16;

/// The rank of a document: orders like `(priority, doc_id)`.
pub fn rank(priority: u16, doc_id: u64) -> u64 {
    (u64::from(priority) << DOC_BITS) | doc_id
}

/// The doc id of a rank.
pub fn doc_of(rank: u64) -> u64 {
    rank & ((1 << DOC_BITS) - 1)
}

/// The priority of a rank.
pub fn priority_of(rank: u64) -> u16 {
    (rank >> DOC_BITS) as u16
}

/// Buffers keys and spills them as sorted runs, each cut into `partitions` ranges of keys
/// (a run file per range, so that one dedup rank reads only its range).
pub struct KeySpiller {
    dir: SpillDir,
    prefix: String,
    partitions: usize,
    identity: u64,
    bands: usize,
    exact_on: bool,
    fuzzy_on: bool,
    limit_docs: usize,
    exact: Vec<(u128, u64)>,
    band: Vec<Vec<(u64, u64)>>,
    n_runs: usize,
    checksums: Vec<u64>,
}

/// The runs written by one or more [`KeySpiller`]s (the scan ranks of a step-wise run).
#[derive(Clone, Debug)]
pub struct KeyRuns {
    /// Where they are.
    pub dir: SpillDir,
    /// Identity stamped in each run's header.
    pub identity: u64,
    /// Band keys per document.
    pub bands: usize,
    /// Ranges of keys each run is cut into.
    pub partitions: usize,
    /// Per spiller, in order: the prefix of its file names and its number of runs.
    pub spillers: Vec<(String, usize)>,
    /// Hash of every run's checksum, in order: what the runs hold.
    pub content: u64,
}

impl KeyRuns {
    /// Runs written in total.
    pub fn n_runs(&self) -> usize {
        self.spillers.iter().map(|(_, n)| n).sum()
    }

    /// The exact-key run files of key range `partition`.
    pub fn exact_names(&self, partition: usize) -> Vec<String> {
        self.names(|prefix, run| exact_name(prefix, run, partition))
    }

    /// The run files of band `band`'s keys in range `partition`.
    pub fn band_names(&self, partition: usize, band: usize) -> Vec<String> {
        self.names(|prefix, run| band_name(prefix, run, partition, band))
    }

    fn names(&self, name: impl Fn(&str, usize) -> String) -> Vec<String> {
        let mut names = Vec::new();
        for (prefix, n_runs) in &self.spillers {
            names.extend((0..*n_runs).map(|run| name(prefix, run)));
        }
        names
    }
}

/// The key range (of `partitions`) that an exact key falls in: ranges of its high 64 bits,
/// so a sorted run cuts into contiguous ranges.
pub fn exact_partition(key: u128, partitions: usize) -> usize {
    band_partition((key >> 64) as u64, partitions)
}

/// The key range (of `partitions`) that a band key falls in.
pub fn band_partition(key: u64, partitions: usize) -> usize {
    ((u128::from(key) * partitions as u128) >> 64) as usize
}

impl KeySpiller {
    /// A spiller into `dir` that holds at most `budget_bytes` of keys in memory. The
    /// `identity` (a hash of the config) is stamped into each run.
    pub fn new(
        dir: SpillDir,
        identity: u64,
        bands: usize,
        (exact_on, fuzzy_on): (bool, bool),
        budget_bytes: u64,
    ) -> KeySpiller {
        let per_doc = EXACT_RECORD + BAND_RECORD * bands;
        KeySpiller {
            dir,
            prefix: String::new(),
            partitions: 1,
            identity,
            bands,
            exact_on,
            fuzzy_on,
            limit_docs: (budget_bytes as usize / per_doc).max(1),
            exact: Vec::new(),
            band: vec![Vec::new(); bands],
            n_runs: 0,
            checksums: Vec::new(),
        }
    }

    /// Names its files `{prefix}run-…` and cuts each run into `partitions` key ranges.
    pub fn partitioned(mut self, prefix: &str, partitions: usize) -> KeySpiller {
        self.prefix = prefix.to_string();
        self.partitions = partitions.max(1);
        self
    }

    /// Bytes of memory per buffered document.
    pub fn bytes_per_doc(&self) -> usize {
        EXACT_RECORD + BAND_RECORD * self.bands
    }

    /// Adds a document's keys; spills when the buffer is full.
    pub fn push(
        &mut self,
        priority: u16,
        doc_id: u64,
        exact: u128,
        band_keys: &[u64],
    ) -> Result<()> {
        ensure!(doc_id < 1 << DOC_BITS, "dedup: more than 2^48 documents");
        let rank = rank(priority, doc_id);
        if self.exact_on {
            self.exact.push((exact, rank));
        }
        if self.fuzzy_on {
            for (table, &key) in self.band.iter_mut().zip(band_keys) {
                table.push((key, rank));
            }
        }
        if self.exact.len().max(self.band.first().map_or(0, Vec::len)) >= self.limit_docs {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        let run = self.n_runs;
        self.n_runs += 1;
        let mut exact = std::mem::take(&mut self.exact);
        exact.par_sort_unstable();
        let parts = self.partitions;
        let mut at = 0;
        for partition in 0..parts {
            let name = exact_name(&self.prefix, run, partition);
            let mut writer = self.dir.create(&name, EXACT_RECORD, self.identity)?;
            let mut record = [0u8; EXACT_RECORD];
            while let Some(&(key, rank)) = exact.get(at) {
                if exact_partition(key, parts) != partition {
                    break;
                }
                record[..16].copy_from_slice(&key.to_le_bytes());
                record[16..].copy_from_slice(&rank.to_le_bytes());
                writer.write(&record)?;
                at += 1;
            }
            self.checksums.push(writer.finish()?);
        }
        for band in 0..self.bands {
            let mut table = std::mem::take(&mut self.band[band]);
            table.par_sort_unstable();
            let mut at = 0;
            for partition in 0..parts {
                let name = band_name(&self.prefix, run, partition, band);
                let mut writer = self.dir.create(&name, BAND_RECORD, self.identity)?;
                let mut record = [0u8; BAND_RECORD];
                while let Some(&(key, rank)) = table.get(at) {
                    if band_partition(key, parts) != partition {
                        break;
                    }
                    record[..8].copy_from_slice(&key.to_le_bytes());
                    record[8..].copy_from_slice(&rank.to_le_bytes());
                    writer.write(&record)?;
                    at += 1;
                }
                self.checksums.push(writer.finish()?);
            }
        }
        Ok(())
    }

    /// Spills what is left and returns the runs.
    pub fn finish(mut self) -> Result<KeyRuns> {
        if !self.exact.is_empty() || self.band.first().is_some_and(|t| !t.is_empty()) {
            self.spill()?;
        }
        let bytes: Vec<u8> = self
            .checksums
            .iter()
            .flat_map(|c| c.to_le_bytes())
            .collect();
        Ok(KeyRuns {
            dir: self.dir,
            identity: self.identity,
            bands: self.bands,
            partitions: self.partitions,
            spillers: vec![(self.prefix, self.n_runs)],
            content: xxh3_64(&bytes),
        })
    }
}

/// File name of run `run`'s exact keys in range `partition`.
pub fn exact_name(prefix: &str, run: usize, partition: usize) -> String {
    format!("{prefix}run-{run:05}.p{partition:05}.exact")
}

/// File name of run `run`'s keys of band `band` in range `partition`.
pub fn band_name(prefix: &str, run: usize, partition: usize, band: usize) -> String {
    format!("{prefix}run-{run:05}.p{partition:05}.band-{band:03}")
}
