//! `pilecurate bench --formats-only`: reading the corpus as gzip jsonl against reading it
//! as Parquet (converted once, here), record by record as both passes do (decode, split
//! into lines, parse the record), on one core: MB/s of document text.

use crate::cli::BenchArgs;
use crate::config::Config;
use crate::io::{self, Codec, LineReader, RecordLayout, parse_record_with_text};
use crate::tokenize::Engine;
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

/// Rows per row group of the converted file (Hugging Face datasets write groups of a few
/// thousand to a hundred thousand rows).
const GROUP_ROWS: usize = 10_000;
/// Timed reads of each format; the median is reported.
const RUNS: usize = 3;

/// Converts `corpus` to Parquet in a folder of its own and times reading each, then a whole
/// run on each (fast engine, the config's settings).
pub fn compare(config: &Config, corpus: &Path, args: &BenchArgs) -> Result<()> {
    let max_line_bytes = config.max_line_bytes;
    let dir = &std::env::temp_dir().join(format!("pilecurate-formats-{}", std::process::id()));
    io::create_dir_all(dir)?;
    let mut lines = Vec::new();
    let mut reader = LineReader::open(corpus, max_line_bytes)?;
    while let Some(line) = reader.next_line()? {
        lines.extend(line.bytes);
    }
    let mut files = vec![("jsonl.gz", corpus.to_path_buf())];
    for (label, codec) in [
        ("parquet, zstd", Codec::Zstd),
        ("parquet, snappy", Codec::Snappy),
    ] {
        let parquet = dir.join(format!("corpus-{codec:?}.parquet"));
        let started = Instant::now();
        io::write_parquet_file(&parquet, &lines, GROUP_ROWS, codec)?;
        println!(
            "converted to {label} ({GROUP_ROWS} rows per row group) in {:.1} s: {:.1} MB, \
             against {:.1} MB of gzip jsonl",
            started.elapsed().as_secs_f64(),
            io::file_size(&parquet)? as f64 / 1e6,
            io::file_size(corpus)? as f64 / 1e6
        );
        files.push((label, parquet));
    }
    drop(lines);
    for (label, path) in &files {
        let mut times = Vec::new();
        let mut text = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            text = read_text_bytes(path, max_line_bytes)?;
            times.push(started.elapsed().as_secs_f64());
        }
        let secs = super::median(&mut times);
        let mb = text as f64 / 1e6;
        super::report(
            &format!("read+parse {label} (1 core, median of {RUNS})"),
            mb,
            secs,
        );
    }
    let mut runs = vec![Vec::new(); files.len()];
    for _ in 0..RUNS {
        for (times, (_, path)) in runs.iter_mut().zip(&files) {
            times.push(super::end_to_end(config, path, args, Engine::Fast)?);
        }
    }
    for ((label, _), times) in files.iter().zip(&mut runs) {
        let secs = super::median(times);
        println!("end to end, pilecurate run on {label} (median of {RUNS}): {secs:.2} s");
    }
    println!(
        "peak memory: {:.0} MB",
        io::peak_memory_bytes()? as f64 / 1e6
    );
    io::remove_path_if_exists(dir)
}

/// Reads every record of `path` as the passes do and returns the bytes of text of those
/// that parse.
fn read_text_bytes(path: &Path, max_line_bytes: usize) -> Result<usize> {
    let layout = RecordLayout::default();
    let mut reader = LineReader::open_input(path, max_line_bytes, &layout)?;
    let mut text = 0;
    while let Some(line) = reader.next_line()? {
        let Some(bytes) = &line.bytes else { continue };
        let apart = line.text.as_deref();
        if let Ok(record) = parse_record_with_text(bytes, apart, &layout, false) {
            text += record.text.len();
        }
    }
    Ok(text)
}
