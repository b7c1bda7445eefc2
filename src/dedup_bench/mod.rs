//! `pilecurate bench-dedup`: for each preset, precision and recall of fuzzy dedup against
//! brute-force exact Jaccard on a sample of real documents (plus perturbed copies of some,
//! so that every similarity level has pairs), recall and precision per kind of perturbation
//! (punctuation, quotes, case, whitespace, line wrapping, numbers: [`kinds`]) for every
//! preset, the default and the old default (`basic`), signature throughput on one core over
//! the whole corpus, and a scale run: the corpus replicated and perturbed on the fly to millions
//! of documents, pushed through the disk-backed engine, with peak memory and disk bytes.

mod kinds;
mod perturb;
mod scale;

use crate::cli::BenchDedupArgs;
use crate::dedup::engine::{Resolution, ResolveOptions, resolve_runs};
use crate::dedup::runs::KeySpiller;
use crate::dedup::verify::{MaybeSets, SetOf, TextSource};
use crate::dedup::{MinHashParams, MinHasher, ParamOverrides, Preset, TextNorm, jaccard};
use crate::io::{self, LineReader, SpillDir, parse_record};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// Runs the benchmark and prints its figures.
pub fn run(args: &BenchDedupArgs) -> Result<()> {
    let mut reader = LineReader::open(&args.corpus, 64 << 20)?;
    let mut corpus = Vec::new();
    while let Some(line) = reader.next_line()? {
        if let Some(record) = line
            .bytes
            .and_then(|b| parse_record(&b, &Default::default(), false).ok())
        {
            corpus.push(record.text);
        }
    }
    let mb = corpus.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "corpus: {} ({} documents, {mb:.1} MB)",
        args.corpus.display(),
        corpus.len()
    );
    let presets = match &args.preset {
        Some(name) => vec![Preset::parse(name).map_err(anyhow::Error::msg)?],
        None => Preset::ALL.to_vec(),
    };
    let sample = sample_docs(&corpus, args.sample);
    let mut settings: Vec<kinds::Setting> = presets
        .iter()
        .map(|p| (p.name().to_string(), p.params(), p.threshold()))
        .collect();
    if args.preset.is_none() {
        // The setting `pilecurate run` uses when a config names no preset, and the same
        // with the `basic` normalization that was the default before `letters`.
        let (params, threshold) = ParamOverrides::default()
            .resolve()
            .map_err(anyhow::Error::msg)?;
        let basic = MinHashParams {
            norm: TextNorm::Basic,
            ..params.clone()
        };
        settings.push(("default".into(), params, threshold));
        settings.push(("default-basic".into(), basic, threshold));
    }
    for (name, params, threshold) in &settings {
        let (speed, both) = signature_speed(params, &corpus, mb);
        println!(
            "[{name}] signatures: {speed:.1} MB/s on one core; with the exact key (one walk, \
             as pass 1): {both:.1} MB/s"
        );
        accuracy(name, params, *threshold, &sample)?;
    }
    kinds::per_kind(&corpus, args.sample / 2, &settings)?;
    if args.scale_docs > 0 {
        scale::scale(args, &corpus)?;
    }
    Ok(())
}

/// MB/s of band keys computed over all of `corpus` (`mb` megabytes) on one core, and of
/// band keys with the exact key as pass 1 takes them.
fn signature_speed(params: &MinHashParams, corpus: &[String], mb: f64) -> (f64, f64) {
    let hasher = MinHasher::new(params);
    let mut keys = vec![0; params.bands];
    let started = Instant::now();
    for text in corpus {
        hasher.band_keys(text, &mut keys);
        std::hint::black_box(&keys);
    }
    let alone = mb / started.elapsed().as_secs_f64();
    let started = Instant::now();
    for text in corpus {
        std::hint::black_box(hasher.band_and_exact_keys(text, &mut keys));
    }
    (alone, mb / started.elapsed().as_secs_f64())
}

/// `n` real documents (cut to 8 KB) and, for every other one, a copy with a share of its
/// words replaced, the share growing from 0 to 60% along the sample.
fn sample_docs(corpus: &[String], n: usize) -> Vec<String> {
    let step = (corpus.len() / n.max(1)).max(1);
    let mut docs: Vec<String> = Vec::new();
    for (i, text) in corpus.iter().step_by(step).take(n).enumerate() {
        let text = cut(text, 8192);
        docs.push(text.to_string());
        if i % 2 == 0 {
            let share = (i % 60) as f64 / 100.0;
            docs.push(perturb(text, share, i as u64));
        }
    }
    docs
}

fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` with about `share` of its words replaced, deterministically from `seed`.
fn perturb(text: &str, share: f64, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let words: Vec<String> = text
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if (state % 10_000) as f64 / 10_000.0 < share {
                format!("x{seed}_{i}")
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

struct Texts<'a>(&'a [String]);

impl TextSource for Texts<'_> {
    fn shingle_sets(&mut self, doc_ids: &[u64], set_of: SetOf<'_>, _: usize) -> Result<MaybeSets> {
        Ok(Some(
            doc_ids
                .par_iter()
                .map(|&d| (d, set_of(&self.0[d as usize])))
                .collect(),
        ))
    }
}

/// The exact and fuzzy removals of `params` (verified at `threshold`) among `docs`.
fn resolve_docs(params: &MinHashParams, threshold: f64, docs: &[String]) -> Result<Resolution> {
    let hasher = MinHasher::new(params);
    let tmp = std::env::temp_dir().join(format!("pilecurate-bench-{}", std::process::id()));
    let spill = SpillDir::new(&tmp);
    let mut spiller = KeySpiller::new(spill, 1, params.bands, (true, true), 64 << 20);
    let mut keys = vec![0; params.bands];
    for (i, text) in docs.iter().enumerate() {
        let exact = hasher.band_and_exact_keys(text, &mut keys);
        spiller.push(0, i as u64, exact, &keys)?;
    }
    let runs = spiller.finish()?;
    let options = ResolveOptions {
        exact: true,
        fuzzy: true,
        params: params.clone(),
        verify_threshold: Some(threshold),
        budget_bytes: 256 << 20,
    };
    let resolution = resolve_runs(&runs, &options, &mut Texts(docs))?;
    io::remove_path_if_exists(&tmp)?;
    Ok(resolution)
}

/// Precision and recall of setting `name` on `docs` against brute-force exact Jaccard of
/// its own shingle sets.
fn accuracy(name: &str, params: &MinHashParams, threshold: f64, docs: &[String]) -> Result<()> {
    let hasher = MinHasher::new(params);
    let sets: Vec<Vec<u32>> = docs.par_iter().map(|t| hasher.shingle_set(t)).collect();
    let resolution = resolve_docs(params, threshold, docs)?;
    // The keeper of each document (exact and fuzzy), to decide which pairs were caught.
    let mut keeper: HashMap<u64, u64> = HashMap::new();
    for r in &resolution.removed {
        keeper.insert(r.doc_id, r.cluster);
    }
    let keep = |d: usize| keeper.get(&(d as u64)).copied().unwrap_or(d as u64);
    let recall_at = (threshold + 0.05).min(1.0);
    let (truth, found): (u64, u64) = (0..docs.len())
        .into_par_iter()
        .map(|a| {
            let mut counts = (0, 0);
            for b in a + 1..docs.len() {
                if jaccard(&sets[a], &sets[b]) >= recall_at {
                    counts.0 += 1;
                    counts.1 += u64::from(keep(a) == keep(b));
                }
            }
            counts
        })
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    let pairs: HashSet<(u64, u64)> = resolution.edges.iter().map(|e| (e.0, e.1)).collect();
    let correct = pairs
        .iter()
        .filter(|&&(a, b)| jaccard(&sets[a as usize], &sets[b as usize]) >= threshold)
        .count();
    println!(
        "[{name}] {} docs, threshold {threshold:.2}: recall at J >= {recall_at:.2}: {:.4} ({found}/{truth}); \
         precision of verified pairs: {:.4} ({correct}/{}); LSH candidates {}, rejected by verification {} \
         (precision without verification {:.4})",
        docs.len(),
        found as f64 / truth.max(1) as f64,
        correct as f64 / pairs.len().max(1) as f64,
        pairs.len(),
        resolution.candidate_pairs,
        resolution.rejected_pairs,
        correct as f64 / resolution.candidate_pairs.max(1) as f64,
    );
    Ok(())
}
