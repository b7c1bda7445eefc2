//! The tokenizer part of `pilecurate bench`: both engines over every document, one core,
//! per source, with the fast path's ids compared to the HF reference on every document.

use super::report;
use crate::tokenize::{Engine, Tokenizer};
use anyhow::Result;
use std::collections::BTreeMap;
use std::time::Instant;

#[derive(Default)]
struct SourceTimes {
    bytes: usize,
    hf_secs: f64,
    fast_secs: f64,
    docs: u64,
    differing: u64,
}

/// Times the HF engine and, when the tokenizer fits it, the fast engine on every document
/// (`(source, text)` pairs), prints per-source MB/s, the speedup, and the number of documents
/// whose ids differ (any difference is a bug). Returns the single-core MB/s of each engine.
pub fn compare_engines(
    docs: &[(String, String)],
    bytes: &[u8],
    origin: &str,
    eod_token: &str,
) -> Result<BTreeMap<&'static str, f64>> {
    let hf = Tokenizer::load(bytes, origin, Engine::Hf, eod_token)?;
    let auto = Tokenizer::load(bytes, origin, Engine::Auto, eod_token)?;
    println!(
        "tokenizer {origin}: auto runs the {}",
        auto.engine_description()
    );
    let fast = (auto.engine_name() == "fast").then_some(auto);
    let mut per_source: BTreeMap<&str, SourceTimes> = BTreeMap::new();
    for (source, text) in docs {
        let entry = per_source.entry(source.as_str()).or_default();
        entry.bytes += text.len();
        entry.docs += 1;
        let started = Instant::now();
        let reference = hf.encode(text)?;
        entry.hf_secs += started.elapsed().as_secs_f64();
        if let Some(fast) = &fast {
            let started = Instant::now();
            let ids = fast.encode(text)?;
            entry.fast_secs += started.elapsed().as_secs_f64();
            if ids != reference {
                entry.differing += 1;
            }
        }
    }
    let mut totals = SourceTimes::default();
    for (source, t) in &per_source {
        let mb = t.bytes as f64 / 1e6;
        report(&format!("tokenize hf [{source}] (1 core)"), mb, t.hf_secs);
        if fast.is_some() {
            report(
                &format!("tokenize fast [{source}] (1 core)"),
                mb,
                t.fast_secs,
            );
            println!(
                "  {source}: fast is {:.1}x hf; {} of {} documents differ",
                t.hf_secs / t.fast_secs,
                t.differing,
                t.docs
            );
        }
        totals.bytes += t.bytes;
        totals.hf_secs += t.hf_secs;
        totals.fast_secs += t.fast_secs;
        totals.docs += t.docs;
        totals.differing += t.differing;
    }
    let mb = totals.bytes as f64 / 1e6;
    report("tokenize hf, all (1 core)", mb, totals.hf_secs);
    let mut speeds = BTreeMap::from([("hf", mb / totals.hf_secs)]);
    if fast.is_some() {
        report("tokenize fast, all (1 core)", mb, totals.fast_secs);
        println!(
            "fast path: {:.1}x the HF engine; {} of {} documents give different ids",
            totals.hf_secs / totals.fast_secs,
            totals.differing,
            totals.docs
        );
        speeds.insert("fast", mb / totals.fast_secs);
    }
    if let Some(fast) = &fast {
        // Above, each document goes through HF first, whose tables push the fast path's out
        // of the cache; this is the fast path as a run uses it, one document after another.
        let started = Instant::now();
        for (_, text) in docs {
            std::hint::black_box(fast.encode(text)?);
        }
        let secs = started.elapsed().as_secs_f64();
        report("tokenize fast alone, all (1 core)", mb, secs);
    }
    Ok(speeds)
}
