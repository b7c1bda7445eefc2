//! `pilecurate bench`: throughput of each hot stage on one core (MB/s of input text), the
//! end-to-end run on all workers, and peak memory, on the shipped sample or the full corpus.

mod filters;
mod formats;
mod tokenize_job;
mod tokenizers;

use crate::cli::BenchArgs;
use crate::config::{Config, InputFile, Overrides};
use crate::dedup::{MinHasher, exact_key};
use crate::io::{self, LineReader, parse_record};
use crate::pipeline::{self, RunOptions};
use crate::tokenize::{Engine, Tokenizer};
use anyhow::Result;
use rayon::prelude::*;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The full corpus, when the shared material sits beside the checkout.
const FULL_CORPUS: &str = "../shared/data/corpus/corpus.jsonl.gz";
/// The shipped sample.
const SAMPLE: &str = "data/sample/sample.jsonl.gz";
/// Runs of the filter stack whose median is reported.
const STACK_RUNS: usize = 3;
/// Runs of the fast tokenizer alone and of the whole run whose medians are reported.
const E2E_RUNS: usize = 5;

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
    let mut config = Config::load(&args.config, &Overrides::default())?;
    with_tokenizer(&mut config, args);
    println!("corpus: {}", corpus.display());
    if args.formats_only {
        return formats::compare(&config, &corpus, args);
    }

    let started = Instant::now();
    let docs = read_corpus(&corpus, config.max_line_bytes)?;
    let read_secs = started.elapsed().as_secs_f64();
    let total_bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mb = total_bytes as f64 / 1e6;
    println!("documents: {}, text: {mb:.1} MB", docs.len());
    report("read+parse (1 core)", mb, read_secs);
    if args.tokenizer_only {
        let bytes = io::read_bytes(&config.tokenizer_path)?;
        let origin = config.tokenizer_path.display().to_string();
        tokenizers::compare_engines(&docs, &bytes, &origin, &config.eod_token)?;
        return Ok(());
    }

    let texts: Vec<&str> = docs.iter().map(|(_, t)| t.as_str()).collect();
    let sets = filters::load_sets(&args.filters, filters::FULL_STACK)?;
    for set in &sets {
        let (secs, per_rule) = filters::time_all_rules(set, &texts);
        report(
            &format!("filter set {}, every rule (1 core)", set.name),
            mb,
            secs,
        );
        let rules: Vec<String> = set
            .rules
            .iter()
            .zip(&per_rule)
            .map(|(rule, secs)| format!("{} {secs:.2}", rule.name))
            .collect();
        println!("  seconds per rule: {}", rules.join(", "));
    }
    let (secs, kept) = filters::median_stack(&sets, &texts, STACK_RUNS);
    report("full default filter stack (1 core, median of 3)", mb, secs);
    println!(
        "  ({} sets in order: {}; {kept} of {} documents kept)",
        sets.len(),
        filters::FULL_STACK.join(", "),
        texts.len()
    );
    let (secs, _) = filters::median_stack(&sets[1..], &texts, STACK_RUNS);
    report("  the same without language id (1 core, median)", mb, secs);
    // Where the stack's time goes: each set's cost on the documents that reach it.
    let (per_set, left) = filters::time_stack_per_set(&sets, &texts);
    for ((set, secs), left) in sets.iter().zip(&per_set).zip(&left) {
        println!(
            "  stack set {:<18} {secs:>6.2} s on what reaches it; {left} documents left",
            set.name
        );
    }
    if args.filters_only {
        return Ok(());
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
    // What pass 1 runs: both keys from one walk over the normalized words.
    let secs = time(|| {
        docs.iter().for_each(|(_, t)| {
            black_box(hasher.band_and_exact_keys(t, &mut keys));
        })
    });
    report("exact key + minhash, one walk (1 core)", mb, secs);

    let bytes = io::read_bytes(&config.tokenizer_path)?;
    let origin = config.tokenizer_path.display().to_string();
    let speeds = tokenizers::compare_engines(&docs, &bytes, &origin, &config.eod_token)?;
    let workers = if args.threads == 0 {
        rayon::current_num_threads()
    } else {
        args.threads
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()?;
    let mut tokenizers = Vec::new();
    for engine in speeds.keys() {
        let engine = if *engine == "hf" {
            Engine::Hf
        } else {
            Engine::Fast
        };
        tokenizers.push((
            engine,
            Tokenizer::load(&bytes, &origin, engine, &config.eod_token)?,
        ));
    }
    for (engine, tokenizer) in &tokenizers {
        let name = tokenizer.engine_name();
        // The machine is shared: each figure is the median of five runs, the tokenizer
        // alone and the whole run taken in turn so that both see the same load.
        let (mut alone, mut whole, mut job) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..E2E_RUNS {
            alone.push(time(|| {
                pool.install(|| {
                    texts.par_iter().for_each(|t| {
                        let _ = black_box(tokenizer.encode(t));
                    })
                })
            }));
            whole.push(end_to_end(&config, &corpus, args, *engine)?);
            if *engine == Engine::Hf {
                break; // the HF engine takes minutes a run: one is enough to see the ratio
            }
            let out = tempfile_dir()?;
            let (secs, written) = tokenize_job::run(&config, &corpus, *engine, &pool, &out)?;
            io::remove_path_if_exists(&out)?;
            anyhow::ensure!(
                written == docs.len() as u64,
                "the tokenize-only job wrote {written} documents of {}",
                docs.len()
            );
            job.push(secs);
        }
        let (alone, whole) = (median(&mut alone), median(&mut whole));
        let runs = if *engine == Engine::Hf {
            "1 run"
        } else {
            "median of 5"
        };
        report(
            &format!("tokenize {name} ({workers} threads, {runs})"),
            mb,
            alone,
        );
        report(
            &format!("end to end, {name} engine ({workers} threads, {runs})"),
            mb,
            whole,
        );
        println!(
            "end to end / {name} tokenizer alone on the same text: {:.2}x the time",
            whole / alone
        );
        if !job.is_empty() {
            let job = median(&mut job);
            report(
                &format!("tokenize-only job, {name} ({workers} threads, median of 5)"),
                mb,
                job,
            );
            println!(
                "end to end / tokenize-only job (load the tokenizer, read, parse, tokenize all, .bin/.idx): {:.2}x",
                whole / job
            );
        }
    }
    println!(
        "peak memory (VmHWM): {:.1} MB",
        io::peak_memory_bytes()? as f64 / 1e6
    );
    Ok(())
}

/// `--tokenizer` and `--eod-token` in place of the config's.
fn with_tokenizer(config: &mut Config, args: &BenchArgs) {
    if let Some(path) = &args.tokenizer {
        config.tokenizer_path = path.clone();
    }
    if let Some(eod_token) = &args.eod_token {
        config.eod_token = eod_token.clone();
    }
}

fn end_to_end(config: &Config, corpus: &Path, args: &BenchArgs, engine: Engine) -> Result<f64> {
    let out = tempfile_dir()?;
    let mut run_config = Config::load(
        &config.config_path,
        &Overrides {
            output: Some(out.clone()),
            threads: Some(args.threads),
            engine: Some(engine),
        },
    )?;
    with_tokenizer(&mut run_config, args);
    run_config.inputs = vec![InputFile {
        path: corpus.to_path_buf(),
        source: None,
        layout: Default::default(),
    }];
    let options = RunOptions {
        quiet: true,
        force: true,
        tasks: None,
    };
    let started = Instant::now();
    pipeline::run(&run_config, &options)?;
    let secs = started.elapsed().as_secs_f64();
    io::remove_path_if_exists(&out)?;
    Ok(secs)
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
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
        if let Ok(record) = parse_record(&bytes, &Default::default(), false) {
            docs.push((record.source_name.unwrap_or_default(), record.text));
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
