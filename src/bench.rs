//! `pilecurate bench`: throughput of each hot stage on one core (MB/s of input text), the
//! end-to-end run on all workers, and peak memory, on the shipped sample or the full corpus.

use crate::cli::BenchArgs;
use crate::config::{Config, InputFile, Overrides};
use crate::dedup::{MinHasher, exact_key};
use crate::io::{self, LineReader, parse_record};
use crate::pipeline::{self, RunOptions};
use crate::tokenize::{Engine, Tokenizer};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The full corpus, when the shared material sits beside the checkout.
const FULL_CORPUS: &str = "../shared/data/corpus/corpus.jsonl.gz";
/// The shipped sample.
const SAMPLE: &str = "data/sample/sample.jsonl.gz";

/// Runs the benchmark and prints one line per measurement.
pub fn run(args: &BenchArgs) -> Result<()> {
    let corpus = args.corpus.clone().unwrap_or_else(|| {
        let full = PathBuf::from(FULL_CORPUS);
        if full.exists() {
            full
        } else {
            PathBuf::from(SAMPLE)
        }
    });
    let config = Config::load(&args.config, &Overrides::default())?;
    println!("corpus: {}", corpus.display());

    let started = Instant::now();
    let docs = read_corpus(&corpus, config.max_line_bytes)?;
    let read_secs = started.elapsed().as_secs_f64();
    let total_bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mb = total_bytes as f64 / 1e6;
    println!("documents: {}, text: {mb:.1} MB", docs.len());
    report("read+parse (1 core)", mb, read_secs);

    let rule_sets: Vec<_> = config
        .sources
        .iter()
        .flat_map(|s| s.rule_sets.iter())
        .collect();
    if let Some(set) = rule_sets.first() {
        let secs = time(|| {
            docs.iter().for_each(|(_, t)| {
                black_box(set.evaluate(t));
            })
        });
        report(&format!("filter {} (1 core)", set.name), mb, secs);
    }
    let secs = time(|| {
        docs.iter().for_each(|(_, t)| {
            black_box(exact_key(t));
        })
    });
    report("exact key (1 core)", mb, secs);
    let hasher = MinHasher::new(&config.minhash);
    let mut keys = vec![0u64; config.minhash.bands];
    let secs = time(|| {
        docs.iter().for_each(|(_, t)| {
            hasher.band_keys(t, &mut keys);
            black_box(&keys);
        })
    });
    let p = &config.minhash;
    report(
        &format!("minhash {}x{} n={} (1 core)", p.bands, p.rows, p.ngram),
        mb,
        secs,
    );

    let bytes = io::read_bytes(&config.tokenizer_path)?;
    let origin = config.tokenizer_path.display().to_string();
    let mut tokenizer_mbs = BTreeMap::new();
    for engine in [Engine::Hf, Engine::Auto] {
        let tokenizer = Tokenizer::load(&bytes, &origin, engine, &config.eod_token)?;
        let name = tokenizer.engine_name();
        if tokenizer_mbs.contains_key(name) {
            continue;
        }
        let mut per_source: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
        for (source, text) in &docs {
            let t = Instant::now();
            tokenizer.encode(text)?;
            let entry = per_source.entry(source.as_str()).or_default();
            entry.0 += text.len();
            entry.1 += t.elapsed().as_secs_f64();
        }
        for (source, (b, secs)) in &per_source {
            report(
                &format!("tokenize {name} [{source}] (1 core)"),
                *b as f64 / 1e6,
                *secs,
            );
        }
        let secs: f64 = per_source.values().map(|(_, s)| s).sum();
        report(&format!("tokenize {name} all (1 core)"), mb, secs);
        tokenizer_mbs.insert(name, mb / secs);
    }

    let tokenizer = Tokenizer::load(&bytes, &origin, config.engine, &config.eod_token)?;
    let workers = rayon::current_num_threads();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(if args.threads == 0 {
            workers
        } else {
            args.threads
        })
        .build()?;
    let secs = time(|| {
        pool.install(|| {
            docs.par_iter().for_each(|(_, t)| {
                let _ = black_box(tokenizer.encode(t));
            })
        });
    });
    let threads = pool.current_num_threads();
    report(
        &format!("tokenize {} ({threads} threads)", tokenizer.engine_name()),
        mb,
        secs,
    );
    let tokenize_only = mb / secs;
    drop(docs);

    let end_to_end = end_to_end(&config, &corpus, args.threads)?;
    report(&format!("end to end ({threads} threads)"), mb, end_to_end);
    println!(
        "end to end / tokenizer alone: {:.2}x the time",
        tokenize_only / (mb / end_to_end)
    );
    println!(
        "peak memory (VmHWM): {:.1} MB",
        io::peak_memory_bytes()? as f64 / 1e6
    );
    Ok(())
}

fn end_to_end(config: &Config, corpus: &Path, threads: usize) -> Result<f64> {
    let out = tempfile_dir()?;
    let mut run_config = Config::load(
        &config.config_path,
        &Overrides {
            output: Some(out.clone()),
            threads: Some(threads),
            engine: None,
        },
    )?;
    run_config.inputs = vec![InputFile {
        path: corpus.to_path_buf(),
        source: None,
    }];
    let options = RunOptions {
        quiet: true,
        force: true,
    };
    let started = Instant::now();
    pipeline::run(&run_config, &options)?;
    let secs = started.elapsed().as_secs_f64();
    io::remove_path_if_exists(&out)?;
    Ok(secs)
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("pilecurate-bench-{}", std::process::id()));
    io::remove_path_if_exists(&dir)?;
    Ok(dir)
}

fn read_corpus(path: &Path, max_line_bytes: usize) -> Result<Vec<(String, String)>> {
    let mut reader = LineReader::open(path, max_line_bytes)?;
    let mut docs = Vec::new();
    while let Some(line) = reader.next_line()? {
        let Some(bytes) = line.bytes else { continue };
        if let Ok(record) = parse_record(&bytes) {
            docs.push((record.pile_set_name.unwrap_or_default(), record.text));
        }
    }
    Ok(docs)
}

fn time(work: impl FnOnce()) -> f64 {
    let started = Instant::now();
    work();
    started.elapsed().as_secs_f64()
}

fn report(label: &str, mb: f64, secs: f64) {
    println!(
        "{label:<48} {:>9.2} MB/s  ({mb:.1} MB in {secs:.2} s)",
        mb / secs
    );
}
