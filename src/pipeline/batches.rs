//! The reading thread: streams every input file, in order, as batches of lines over a
//! bounded channel, so decompression overlaps with the parallel work on the previous batch
//! and memory stays at a few batches whatever the corpus size.

use crate::config::Config;
use crate::error::{FailureKind, tag};
use crate::io::{self, Fingerprint, Line, LineReader, RecordLayout};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{self, JoinHandle};

/// Lines are grouped until a batch holds this many bytes of text...
pub const BATCH_BYTES: u64 = 4 << 20;
/// ...or this many lines.
pub const BATCH_LINES: usize = 8192;
/// Batches read ahead of the consumer.
const BATCHES_IN_FLIGHT: usize = 3;

/// Consecutive lines of one input file.
pub struct LineBatch {
    /// Index into the config's input list.
    pub file_index: usize,
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// Compressed bytes of this file consumed since the previous batch (for progress).
    pub compressed_delta: u64,
}

/// A pass's reading thread and its batches, started before the pass so that it reads ahead
/// while the run does what comes first (loading the tokenizer, resolving dedup): what it
/// reads does not depend on that.
pub type Reading = (Receiver<Result<LineBatch>>, JoinHandle<()>);

/// The inputs' fingerprints (size, modification time) before pass 1 reads them.
pub fn fingerprints(config: &Config) -> Result<Vec<Fingerprint>> {
    config
        .inputs
        .iter()
        .map(|input| io::fingerprint(&input.path).map_err(|e| tag(FailureKind::Input, e)))
        .collect()
}

/// Starts a reading thread over the inputs `[first, end)` (a rank's share), in order; batches
/// carry the inputs' indices in the config. With `expected` (emit), each file must still have
/// the fingerprint scan saw (indexed like the config's inputs), before and after it is read:
/// otherwise emit would cut and tokenize lines that were never filtered or deduplicated.
pub fn start_reading_share(
    config: &Config,
    (first, end): (usize, usize),
    expected: Option<Vec<Fingerprint>>,
) -> Result<Reading> {
    let files: Vec<_> = (first..end)
        .map(|i| {
            let input = &config.inputs[i];
            (i, input.path.clone(), Some(input.layout.clone()))
        })
        .collect();
    spawn_checked_reader(files, config.max_line_bytes, expected)
}

/// Starts the reading thread over `files`, each with the layout of its records when it is
/// an input (a Parquet input's text then comes apart, as the passes read it); the receiver
/// yields batches in input order and ends after the last file, or after the first error
/// (which it yields).
pub fn spawn_reader(
    files: Vec<(PathBuf, Option<Arc<RecordLayout>>)>,
    max_line_bytes: usize,
) -> Result<(Receiver<Result<LineBatch>>, JoinHandle<()>)> {
    spawn_checked_reader(
        files
            .into_iter()
            .enumerate()
            .map(|(i, (path, layout))| (i, path, layout))
            .collect(),
        max_line_bytes,
        None,
    )
}

fn spawn_checked_reader(
    files: Vec<(usize, PathBuf, Option<Arc<RecordLayout>>)>,
    max_line_bytes: usize,
    expected: Option<Vec<Fingerprint>>,
) -> Result<Reading> {
    let (tx, rx) = sync_channel(BATCHES_IN_FLIGHT);
    let handle = thread::Builder::new()
        .name("pilecurate-reader".to_string())
        .spawn(move || {
            for (file_index, path, layout) in &files {
                let file_index = *file_index;
                let check = || match &expected {
                    Some(expected) => check_unchanged(path, expected[file_index]),
                    None => Ok(()),
                };
                let parquet = io::Compression::from_path(path) == io::Compression::Parquet;
                let columns = || match layout {
                    Some(layout) if parquet => io::check_parquet_layout(path, layout),
                    _ => Ok(()),
                };
                let read = check()
                    .and_then(|()| columns())
                    .and_then(|()| {
                        let file = (file_index, path.as_path(), layout.as_deref());
                        read_file(file, max_line_bytes, &tx)
                    })
                    .and_then(|()| check());
                if let Err(err) = read {
                    // The consumer may already be gone after its own error; nothing to do then.
                    let _ = tx.send(Err(err));
                    return;
                }
            }
        })
        .context("starting the reader thread")?;
    Ok((rx, handle))
}

fn check_unchanged(path: &Path, expected: Fingerprint) -> Result<()> {
    let now = io::fingerprint(path)?;
    if now != expected {
        bail!(
            "{}: the input changed while the run was reading it ({} bytes when the first pass \
             read it, {} now, or a new modification time); the second pass must read what the \
             first one filtered and deduplicated. Rerun once the input is no longer being \
             written",
            path.display(),
            expected.len,
            now.len
        );
    }
    Ok(())
}

fn read_file(
    (file_index, path, layout): (usize, &Path, Option<&RecordLayout>),
    max_line_bytes: usize,
    tx: &SyncSender<Result<LineBatch>>,
) -> Result<()> {
    let mut reader = match layout {
        Some(layout) => LineReader::open_input(path, max_line_bytes, layout)?,
        None => LineReader::open(path, max_line_bytes)?,
    };
    let mut lines = Vec::new();
    let mut bytes = 0u64;
    let mut reported = 0u64;
    while let Some(line) = reader.next_line()? {
        bytes += line.len;
        lines.push(line);
        if bytes >= BATCH_BYTES || lines.len() >= BATCH_LINES {
            let done = reader.compressed_bytes_read();
            let batch = LineBatch {
                file_index,
                lines: std::mem::take(&mut lines),
                compressed_delta: done - reported,
            };
            reported = done;
            bytes = 0;
            if tx.send(Ok(batch)).is_err() {
                return Ok(());
            }
        }
    }
    let done = reader.compressed_bytes_read();
    if !lines.is_empty() || done > reported {
        let batch = LineBatch {
            file_index,
            lines,
            compressed_delta: done - reported,
        };
        let _ = tx.send(Ok(batch));
    }
    Ok(())
}

/// Drives one pass: `map` turns each batch into its results on the worker pool while `fold`
/// consumes the previous batch's results sequentially, in input order (`rayon::join`), so
/// workers never wait for the sequential part. A read error is an input error.
pub fn map_then_fold<T: Send>(
    batches: Receiver<Result<LineBatch>>,
    map: impl Fn(&LineBatch) -> T + Sync,
    mut fold: impl FnMut(LineBatch, T) -> Result<()> + Send,
) -> Result<()> {
    let mut batches = batches.into_iter();
    let mut pending: Option<(LineBatch, T)> = None;
    loop {
        super::interrupt::check()?;
        let next = batches
            .next()
            .transpose()
            .map_err(|e| tag(FailureKind::Input, e))?;
        if next.is_none() && pending.is_none() {
            return Ok(());
        }
        let (folded, mapped) = rayon::join(
            || {
                pending
                    .take()
                    .map_or(Ok(()), |(batch, items)| fold(batch, items))
            },
            || {
                next.map(|batch| {
                    let items = map(&batch);
                    (batch, items)
                })
            },
        );
        folded?;
        pending = mapped;
    }
}

/// Maps the items of a batch on the worker pool, longest input line first, and returns the
/// results in the order of `items`; `line` gives an item's input line.
///
/// A batch's documents range from a few bytes to megabytes, and rayon splits a slice by
/// position: a large document near the end of a batch kept one worker busy while the other
/// waited for the batch to end. Started first, one per task, large documents leave only
/// small ones for the end of the batch. Only the schedule changes: every result is the same.
pub fn par_map_longest_first<I: Send, T: Send>(
    items: impl Iterator<Item = I>,
    line: impl Fn(&I) -> &Line,
    map: impl Fn(I) -> T + Sync,
) -> Vec<T> {
    let mut order: Vec<(usize, I)> = items.enumerate().collect();
    order.sort_unstable_by_key(|(index, item)| (Reverse(line(item).len), *index));
    let mut mapped: Vec<(usize, T)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|(index, item)| (index, map(item)))
        .collect();
    mapped.sort_unstable_by_key(|&(index, _)| index);
    mapped.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: u64, len: usize) -> Line {
        Line {
            text: None,
            number,
            bytes: Some(vec![b'x'; len]),
            len: len as u64,
        }
    }

    #[test]
    fn a_file_changed_since_its_fingerprint_is_refused_before_and_after_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, "{}\n{}\n").unwrap();
        let seen = io::fingerprint(&path).unwrap();
        let read = |expected| {
            let (rx, handle) =
                spawn_checked_reader(vec![(0, path.clone(), None)], 1 << 20, expected).unwrap();
            let items: Vec<_> = rx.into_iter().collect();
            handle.join().unwrap();
            items
        };
        let same = read(Some(vec![seen]));
        assert!(same.iter().all(Result::is_ok) && same.len() == 1);
        std::fs::write(&path, "{}\n{}\n{}\n").unwrap();
        let changed = read(Some(vec![seen]));
        let message = format!("{:#}", changed.last().unwrap().as_ref().err().unwrap());
        assert!(message.contains("the input changed"), "{message}");
        assert_eq!(changed.len(), 1, "no line of a changed file is read");
        // Without an expectation (pass 1) the file is read as it is.
        assert!(read(None).iter().all(Result::is_ok));
    }

    #[test]
    fn longest_first_returns_results_in_input_order() {
        // Lengths out of order, with ties, so the schedule differs from the input order.
        let lengths = [3, 90, 0, 90, 7, 1000, 2, 7, 45];
        let lines: Vec<Line> = lengths
            .iter()
            .enumerate()
            .map(|(i, &len)| line(i as u64 + 1, len))
            .collect();
        let expected: Vec<(u64, u64)> = lines.iter().map(|l| (l.number, l.len)).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let mapped =
            pool.install(|| par_map_longest_first(lines.iter(), |l| l, |l| (l.number, l.len)));
        assert_eq!(mapped, expected);
        // A filtered subset keeps its own order too.
        let odd = lines.iter().filter(|l| l.number % 2 == 1);
        let odd = par_map_longest_first(odd, |l| l, |l| l.number);
        assert_eq!(odd, [1, 3, 5, 7, 9]);
        assert!(par_map_longest_first(std::iter::empty(), |l: &&Line| l, |l| l.len).is_empty());
    }
}
