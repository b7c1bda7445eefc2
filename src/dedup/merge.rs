//! The k-way merge of sorted spill runs of `(key, value)` records (16 or 24 bytes, see
//! [`super::runs`]), in one level or, past [`MAX_FAN_IN`] runs, in several.

use crate::io::{SpillDir, SpillReader};
use anyhow::Result;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Decodes a record of 16 bytes (`u64 key`, `u64 value`) or 24 (`u128 key`, `u64 value`).
pub fn decode(record: &[u8]) -> (u128, u64) {
    let word = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&record[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let n = record.len();
    let key = if n == 24 {
        u128::from(word(0)) | (u128::from(word(8)) << 64)
    } else {
        u128::from(word(0))
    };
    (key, word(n - 8))
}

/// At most this many runs are read at once (each holds a 64 KiB read buffer and a file
/// handle); more are first merged in groups of this size into intermediate runs.
pub const MAX_FAN_IN: usize = 256;

/// Streams the records of the files `names` (each sorted) in global `(key, value)` order,
/// calling `on_record` with each. Every file's checksum is checked when it ends. Past
/// [`MAX_FAN_IN`] files the merge goes in levels; the output is the same sequence.
pub fn merge(
    dir: &SpillDir,
    names: &[String],
    record_bytes: usize,
    identity: u64,
    on_record: impl FnMut(u128, u64) -> Result<()>,
) -> Result<()> {
    merge_with_fan_in(dir, names, record_bytes, identity, MAX_FAN_IN, on_record)
}

fn merge_with_fan_in(
    dir: &SpillDir,
    names: &[String],
    record_bytes: usize,
    identity: u64,
    fan_in: usize,
    mut on_record: impl FnMut(u128, u64) -> Result<()>,
) -> Result<()> {
    let fan_in = fan_in.max(2);
    let mut level_names = names.to_vec();
    let mut intermediate: Vec<String> = Vec::new();
    let mut level = 0;
    while level_names.len() > fan_in {
        level += 1;
        let mut next = Vec::with_capacity(level_names.len().div_ceil(fan_in));
        for (group, group_names) in level_names.chunks(fan_in).enumerate() {
            // Named after the first input run, so merges of different tables never collide.
            let name = format!("{}.merge-{level}-{group:05}", names[0]);
            let mut writer = dir.create(&name, record_bytes, identity)?;
            let mut record = vec![0u8; record_bytes];
            merge_once(dir, group_names, record_bytes, identity, |key, value| {
                encode(key, value, &mut record);
                writer.write(&record)
            })?;
            writer.finish()?;
            next.push(name);
        }
        for name in &level_names {
            if intermediate.contains(name) {
                dir.remove(name)?;
            }
        }
        intermediate.extend(next.iter().cloned());
        level_names = next;
    }
    merge_once(dir, &level_names, record_bytes, identity, &mut on_record)?;
    for name in &level_names {
        if intermediate.contains(name) {
            dir.remove(name)?;
        }
    }
    Ok(())
}

/// Encodes `(key, value)` as [`decode`] reads it, into a record of 16 or 24 bytes.
fn encode(key: u128, value: u64, record: &mut [u8]) {
    let n = record.len();
    record[..8].copy_from_slice(&(key as u64).to_le_bytes());
    if n == 24 {
        record[8..16].copy_from_slice(&((key >> 64) as u64).to_le_bytes());
    }
    record[n - 8..].copy_from_slice(&value.to_le_bytes());
}

/// One k-way merge of `names`, all open at once.
fn merge_once(
    dir: &SpillDir,
    names: &[String],
    record_bytes: usize,
    identity: u64,
    mut on_record: impl FnMut(u128, u64) -> Result<()>,
) -> Result<()> {
    let mut readers: Vec<SpillReader> = names
        .iter()
        .map(|name| dir.open(name, record_bytes, identity))
        .collect::<Result<_>>()?;
    let mut record = vec![0u8; record_bytes];
    let mut heap = BinaryHeap::with_capacity(readers.len());
    for (i, reader) in readers.iter_mut().enumerate() {
        if reader.next(&mut record)? {
            let (key, value) = decode(&record);
            heap.push(Reverse((key, value, i)));
        }
    }
    while let Some(Reverse((key, value, i))) = heap.pop() {
        on_record(key, value)?;
        if readers[i].next(&mut record)? {
            let (key, value) = decode(&record);
            heap.push(Reverse((key, value, i)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `n_runs` sorted runs of pseudo-random records, returns their names.
    fn write_runs(dir: &SpillDir, n_runs: usize, record_bytes: usize) -> Vec<String> {
        let mut state = 7u64;
        (0..n_runs)
            .map(|run| {
                let mut records: Vec<(u128, u64)> = (0..(run % 5) * 3)
                    .map(|_| {
                        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                        let key = u128::from(state >> 50)
                            | if record_bytes == 24 {
                                u128::from(state & 0xff) << 64
                            } else {
                                0
                            };
                        (key, state % 7)
                    })
                    .collect();
                records.sort_unstable();
                let name = format!("t-{run:03}");
                let mut writer = dir.create(&name, record_bytes, 1).expect("create");
                let mut record = vec![0u8; record_bytes];
                for (key, value) in records {
                    encode(key, value, &mut record);
                    writer.write(&record).expect("write");
                }
                writer.finish().expect("finish");
                name
            })
            .collect()
    }

    #[test]
    fn multi_level_merge_gives_the_one_level_sequence_and_cleans_up() {
        for record_bytes in [16, 24] {
            let temp = tempfile::tempdir().expect("temp dir");
            let dir = SpillDir::new(temp.path());
            let names = write_runs(&dir, 40, record_bytes);
            let collect = |fan_in| {
                let mut out = Vec::new();
                merge_with_fan_in(&dir, &names, record_bytes, 1, fan_in, |k, v| {
                    out.push((k, v));
                    Ok(())
                })
                .expect("merge");
                out
            };
            let flat = collect(64);
            assert!(flat.len() > 50 && flat.is_sorted());
            for fan_in in [2, 3, 7] {
                assert_eq!(collect(fan_in), flat, "fan-in {fan_in}");
            }
            let left = crate::io::list_dir(temp.path())
                .expect("list")
                .unwrap_or_default();
            assert_eq!(left.len(), 40, "intermediate runs removed: {left:?}");
        }
    }
}
