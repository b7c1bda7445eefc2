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
    // Reading starts while the tokenizer loads, as in the run.
    let (batches, reader) =
        spawn_reader(vec![(corpus.to_path_buf(), None)], config.max_line_bytes)?;
    let bytes = io::read_bytes(&config.tokenizer_path)?;
    let origin = config.tokenizer_path.display().to_string();
    let tokenizer = &Tokenizer::load(&bytes, &origin, engine, &config.eod_token)?;
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
                    let record =
                        parse_record(line.bytes.as_deref()?, &Default::default(), false).ok()?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;
    use crate::io::LineReader;
    use crate::shard::megatron::read_index;

    /// On the shipped sample the job writes every parsed document, in input order, as the
    /// tokenizer encodes it followed by the end-of-document token.
    #[test]
    fn writes_every_document_in_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("data/pilecurate.toml"), &Overrides::default())
            .expect("the shipped config loads");
        let corpus = root.join("data/sample/sample.jsonl.gz");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let out = tempfile::tempdir().unwrap();
        let (_, written) = run(&config, &corpus, Engine::Fast, &pool, out.path()).unwrap();

        let bytes = io::read_bytes(&config.tokenizer_path).unwrap();
        let tokenizer = Tokenizer::load(&bytes, "gpt2", Engine::Fast, &config.eod_token).unwrap();
        let mut reader = LineReader::open(&corpus, config.max_line_bytes).unwrap();
        let mut texts = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            if let Some(record) = line
                .bytes
                .and_then(|b| parse_record(&b, &Default::default(), false).ok())
            {
                texts.push(record.text);
            }
        }
        assert_eq!(written, texts.len() as u64);
        assert!(written > 1000, "the sample holds over a thousand documents");
        let idx = read_index(&std::fs::read(out.path().join("tokens.idx")).unwrap()).unwrap();
        let bin = std::fs::read(out.path().join("tokens.bin")).unwrap();
        assert_eq!(idx.n_documents(), written);
        for (i, text) in texts.iter().enumerate() {
            let mut expected = tokenizer.encode(text).unwrap();
            expected.push(tokenizer.eod_id());
            assert_eq!(idx.read_document(&bin, i), Some(expected), "document {i}");
        }
    }
}
