//! Compares the HF `tokenizers` engine with the byte-level BPE fast path on a jsonl.gz corpus.
//!
//! `cargo run --release --example tokenizer_speed -- [CORPUS] [--tokenizer PATH] [--long MB,..]`
//! prints per-source MB/s of both engines (single thread, same run), how many documents got
//! different ids, and with `--long` the time of each engine on one document of that many MB of
//! random letters without a space (a single giant pre-token).

use anyhow::{Context, Result, bail};
use pilecurate::tokenize::{FastBpe, HfTokenizer};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::time::{Duration, Instant};

#[derive(Deserialize)]
struct Record {
    text: String,
    #[serde(default)]
    meta: Meta,
}

#[derive(Deserialize, Default)]
struct Meta {
    #[serde(default)]
    pile_set_name: String,
}

#[derive(Default)]
struct Tally {
    n_docs: usize,
    n_bytes: usize,
    n_differ: usize,
    hf: Duration,
    fast: Duration,
}

fn main() -> Result<()> {
    let mut corpus = "data/sample/sample.jsonl.gz".to_string();
    let mut tokenizer = "data/tokenizer/gpt2/tokenizer.json".to_string();
    let mut long_mb: Vec<usize> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tokenizer" => tokenizer = args.next().context("--tokenizer needs a path")?,
            "--long" => {
                let sizes = args.next().context("--long needs sizes in MB, like 1,10")?;
                for size in sizes.split(',') {
                    long_mb.push(size.parse().with_context(|| format!("bad size {size:?}"))?);
                }
            }
            _ if arg.starts_with("--") => bail!("unknown option {arg}"),
            _ => corpus = arg,
        }
    }
    let bytes = std::fs::read(&tokenizer).with_context(|| format!("cannot read {tokenizer}"))?;
    let hf = HfTokenizer::from_bytes(&bytes, &tokenizer)?;
    let fast = match FastBpe::try_from_tokenizer_json(&bytes)? {
        Ok(fast) => fast,
        Err(misfit) => bail!("{tokenizer}: {misfit}"),
    };

    let file = std::fs::File::open(&corpus).with_context(|| format!("cannot open {corpus}"))?;
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    let mut records = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{corpus}: cannot read line {}", i + 1))?;
        let record: Record = serde_json::from_str(&line)
            .with_context(|| format!("{corpus}:{}: not a record", i + 1))?;
        records.push(record);
    }

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for record in &records {
        let started = Instant::now();
        let expected = hf.encode(&record.text)?;
        let hf_time = started.elapsed();
        let started = Instant::now();
        let got = fast.encode(&record.text);
        let fast_time = started.elapsed();
        let tally = tallies
            .entry(record.meta.pile_set_name.clone())
            .or_default();
        tally.n_docs += 1;
        tally.n_bytes += record.text.len();
        tally.n_differ += usize::from(got != expected);
        tally.hf += hf_time;
        tally.fast += fast_time;
    }
    let mut total = Tally::default();
    println!(
        "{:<24} {:>7} {:>8} {:>9} {:>9} {:>7} {:>7}",
        "source", "docs", "MB", "hf MB/s", "fast MB/s", "speedup", "differ"
    );
    for (source, tally) in &tallies {
        print_row(source, tally);
        total.n_docs += tally.n_docs;
        total.n_bytes += tally.n_bytes;
        total.n_differ += tally.n_differ;
        total.hf += tally.hf;
        total.fast += tally.fast;
    }
    print_row("TOTAL", &total);

    for mb in long_mb {
        let text = random_letters(mb * 1_000_000);
        let started = Instant::now();
        let got = fast.encode(&text);
        let fast_time = started.elapsed();
        let started = Instant::now();
        let expected = hf.encode(&text)?;
        let hf_time = started.elapsed();
        println!(
            "{mb} MB without a space: fast {:.2} s, hf {:.2} s, {} ids, identical: {}",
            fast_time.as_secs_f64(),
            hf_time.as_secs_f64(),
            got.len(),
            got == expected
        );
    }
    Ok(())
}

fn print_row(source: &str, tally: &Tally) {
    let mb = tally.n_bytes as f64 / 1e6;
    let hf = mb / tally.hf.as_secs_f64();
    let fast = mb / tally.fast.as_secs_f64();
    println!(
        "{source:<24} {:>7} {mb:>8.1} {hf:>9.2} {fast:>9.2} {:>6.1}x {:>7}",
        tally.n_docs,
        fast / hf,
        tally.n_differ
    );
}

/// Lowercase letters from a fixed xorshift stream: one pre-token, reproducible.
fn random_letters(n: usize) -> String {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect()
}
