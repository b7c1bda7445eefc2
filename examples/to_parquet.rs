//! Converts a jsonl(.gz/.zst) file to Parquet, its schema inferred from the records (nested
//! objects as struct columns), zstd inside: how to make Parquet inputs to try pilecurate on.
//!
//! `cargo run --release --example to_parquet -- IN.jsonl.gz OUT.parquet [ROWS_PER_GROUP [zstd|snappy]]`

use anyhow::{Context, Result, bail};
use pilecurate::io::{Codec, LineReader, write_parquet_file};
use std::path::PathBuf;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [input, output, ..] if args.len() <= 4 => (input, output),
        _ => {
            bail!("usage: to_parquet IN.jsonl[.gz|.zst] OUT.parquet [ROWS_PER_GROUP [zstd|snappy]]")
        }
    };
    let rows = match args.get(2) {
        Some(rows) => rows.parse().context("ROWS_PER_GROUP")?,
        None => 10_000,
    };
    let codec = match args.get(3).map(String::as_str) {
        None | Some("zstd") => Codec::Zstd,
        Some("snappy") => Codec::Snappy,
        Some(other) => bail!("{other}: the codec is zstd or snappy"),
    };
    let mut reader = LineReader::open(&PathBuf::from(input), usize::MAX)?;
    let mut lines = Vec::new();
    while let Some(line) = reader.next_line()? {
        lines.extend(line.bytes.filter(|bytes| !bytes.is_empty()));
    }
    write_parquet_file(&PathBuf::from(output), &lines, rows, codec)?;
    println!("{output}: {} rows", lines.len());
    Ok(())
}
