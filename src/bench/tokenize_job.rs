//! The tokenize-only job: what a run without curation would do, as Megatron-LM's
//! `preprocess_data.py` does. Read the corpus, parse every record, tokenize every text and
//! write one `.bin`/`.idx`, in one pass, the file read on its own thread while the workers
//! tokenize. The bench compares the whole run with it: what curation costs on top of the
//! tokenizing a training corpus needs anyway.

use crate::config::Config;
use crate::io::{self, AtomicFile, parse_record};
use crate::pipeline::{par_map_longest_first, spawn_reader};
use crate::shard::megatron::{IndexedDatasetWriter, TokenDtype};
use crate::tokenize::{Engine, Tokenizer};
use anyhow::{Context, Result, anyhow};
use rayon::ThreadPool;
use std::path::Path;
use std::time::Instant;

/// Runs the job on `pool` with the config's tokenizer forced to `engine`, writing
/// `<out>/tokens.bin` and `.idx`; returns the seconds it took and the documents written.
/// Both are timed alike: from the tokenizer file on disk (the run loads its own too) to
/// the last output, batches read and scheduled as the run's are (the pipeline's reading
/// thread, longest document first).
pub fn run(
    config: &Config,
    corpus: &Path,
    engine: Engine,
    pool: &ThreadPool,
    out: &Path,
) -> Result<(f64, u64)> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let started = Instant::now();
    let bytes = io::read_bytes(&config.tokenizer_path)?;
    let origin = config.tokenizer_path.display().to_string();
    let tokenizer = &Tokenizer::load(&bytes, &origin, engine, &config.eod_token)?;
    let max_line_bytes = config.max_line_bytes;
    let (batches, reader) = spawn_reader(vec![corpus.to_path_buf()], max_line_bytes)?;
    let dtype = TokenDtype::for_vocab(tokenizer.vocab_size());
    let bin = AtomicFile::create(&out.join("tokens.bin"))?;
    let mut writer = IndexedDatasetWriter::new(bin, dtype);
    let mut written = 0;
    for batch in batches {
        let batch = batch?;
        let encoded = pool.install(|| {
            par_map_longest_first(
                batch.lines.iter(),
                |line| line,
                |line| {
                    let record = parse_record(line.bytes.as_deref()?).ok()?;
                    Some(tokenizer.encode(&record.text).map(|mut tokens| {
                        tokens.push(tokenizer.eod_id());
                        tokens
                    }))
                },
            )
        });
        for tokens in encoded.into_iter().flatten() {
            writer.add_document(&tokens?)?;
            written += 1;
        }
    }
    reader
        .join()
        .map_err(|_| anyhow!("the reader thread panicked"))?;
    let mut idx = AtomicFile::create(&out.join("tokens.idx"))?;
    writer.finish(&mut idx)?.finish()?;
    idx.finish()?;
    Ok((started.elapsed().as_secs_f64(), written))
}
