//! `pilecurate bench --formats-only`: reading the corpus as gzip jsonl against reading it
//! as Parquet (converted once, here), record by record as both passes do (decode, split
//! into lines, parse the record), on one core: MB/s of document text.

use crate::io::{self, LineReader, parse_record};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

/// Rows per row group of the converted file (Hugging Face datasets write groups of a few
/// thousand to a hundred thousand rows).
const GROUP_ROWS: usize = 10_000;
/// Timed reads of each format; the median is reported.
const RUNS: usize = 3;

/// Converts `corpus` to Parquet in `dir` and times reading each.
pub fn compare(corpus: &Path, dir: &Path, max_line_bytes: usize) -> Result<()> {
    io::create_dir_all(dir)?;
    let mut lines = Vec::new();
    let mut reader = LineReader::open(corpus, max_line_bytes)?;
    while let Some(line) = reader.next_line()? {
        lines.extend(line.bytes);
    }
    let parquet = dir.join("corpus.parquet");
    let started = Instant::now();
    io::write_parquet_file(&parquet, &lines, GROUP_ROWS)?;
    drop(lines);
    println!(
        "converted to Parquet ({GROUP_ROWS} rows per row group, zstd 3) in {:.1} s: {:.1} MB, \
         against {:.1} MB of gzip jsonl",
        started.elapsed().as_secs_f64(),
        io::file_size(&parquet)? as f64 / 1e6,
        io::file_size(corpus)? as f64 / 1e6
    );
    for (label, path) in [("jsonl.gz", corpus), ("parquet", parquet.as_path())] {
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
    println!(
        "peak memory: {:.0} MB",
        io::peak_memory_bytes()? as f64 / 1e6
    );
    io::remove_path_if_exists(dir)
}

/// Reads every record of `path` and returns the bytes of text of those that parse.
fn read_text_bytes(path: &Path, max_line_bytes: usize) -> Result<usize> {
    let mut reader = LineReader::open(path, max_line_bytes)?;
    let mut text = 0;
    while let Some(line) = reader.next_line()? {
        let Some(bytes) = line.bytes else { continue };
        if let Ok(record) = parse_record(&bytes, &Default::default(), false) {
            text += record.text.len();
        }
    }
    Ok(text)
}
