//! The tokenize-only job: what a run without curation would do, as Megatron-LM's
//! `preprocess_data.py` does. Read the corpus, parse every record, tokenize every text and
//! write one `.bin`/`.idx`, in one pass, the file read on its own thread while the workers
//! tokenize. The bench compares the whole run with it: what curation costs on top of the
//! tokenizing a training corpus needs anyway.

use crate::io::{AtomicFile, Line, LineReader, parse_record};
use crate::pipeline::par_map_longest_first;
use crate::shard::megatron::{IndexedDatasetWriter, TokenDtype};
use crate::tokenize::Tokenizer;
use anyhow::{Context, Result, anyhow};
use rayon::ThreadPool;
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

/// Lines per batch handed from the reading thread to the workers.
const BATCH_LINES: usize = 4096;

/// Runs the job on `pool`, writing `<out>/tokens.bin` and `.idx`; returns the seconds it
/// took and the documents written.
pub fn run(
    corpus: &Path,
    max_line_bytes: usize,
    tokenizer: &Tokenizer,
    pool: &ThreadPool,
    out: &Path,
) -> Result<(f64, u64)> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let started = Instant::now();
    let (tx, rx) = sync_channel::<Result<Vec<Line>>>(3);
    let written = std::thread::scope(|scope| -> Result<u64> {
        scope.spawn(move || {
            let read = || -> Result<()> {
                let mut reader = LineReader::open(corpus, max_line_bytes)?;
                let mut batch = Vec::with_capacity(BATCH_LINES);
                while let Some(line) = reader.next_line()? {
                    batch.push(line);
                    if batch.len() == BATCH_LINES {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
                        tx.send(Ok(full))
                            .map_err(|_| anyhow!("the workers stopped"))?;
                    }
                }
                tx.send(Ok(batch))
                    .map_err(|_| anyhow!("the workers stopped"))
            };
            if let Err(err) = read() {
                let _ = tx.send(Err(err));
            }
        });
        let dtype = TokenDtype::for_vocab(tokenizer.vocab_size());
        let bin = AtomicFile::create(&out.join("tokens.bin"))?;
        let mut writer = IndexedDatasetWriter::new(bin, dtype);
        let mut written = 0;
        for batch in rx {
            let batch = batch?;
            // Scheduled as the run schedules its batches, so both are timed alike.
            let encoded = pool.install(|| {
                par_map_longest_first(batch.iter(), |line| {
                    let record = parse_record(line.bytes.as_deref()?).ok()?;
                    Some(tokenizer.encode(&record.text).map(|mut tokens| {
                        tokens.push(tokenizer.eod_id());
                        tokens
                    }))
                })
            });
            for tokens in encoded.into_iter().flatten() {
                writer.add_document(&tokens?)?;
                written += 1;
            }
        }
        let mut idx = AtomicFile::create(&out.join("tokens.idx"))?;
        writer.finish(&mut idx)?.finish()?;
        idx.finish()?;
        Ok(written)
    })?;
    Ok((started.elapsed().as_secs_f64(), written))
}
