//! Filter throughput: every shipped rule set on its own, and the full default stack (all rule
//! families plus language id, as FineWeb runs them) applied in order to every document.

use crate::filters::{RuleSet, Verdict, Views, apply_views, detect_language, detects_language};
use crate::io;
use crate::pipeline::{BATCH_BYTES, BATCH_LINES};
use anyhow::Result;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// The full default stack: every rule family and language id, in FineWeb's order.
pub const FULL_STACK: &[&str] = &[
    "language",
    "gopher_repetition",
    "gopher_quality",
    "c4",
    "fineweb_quality",
];

/// Loads `filters/<name>.toml` for each name.
pub fn load_sets(dir: &Path, names: &[&str]) -> Result<Vec<Arc<RuleSet>>> {
    names
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.toml"));
            let bytes = io::read_bytes(&path)?;
            let text = String::from_utf8_lossy(&bytes);
            Ok(Arc::new(RuleSet::from_toml(
                &text,
                &path.display().to_string(),
            )?))
        })
        .collect()
}

/// Seconds one core takes to evaluate `sets` on every text, and how many texts were kept.
/// One set alone measures it on every document; a stack stops at the first dropping set,
/// as the pipeline does. As in pass 1 of the pipeline, texts go in batches (4 MiB or 8,192
/// documents) whose languages are detected first when a rule measures them.
pub fn time_stack(sets: &[Arc<RuleSet>], texts: &[&str]) -> (f64, usize) {
    let started = Instant::now();
    let mut kept = 0;
    each_views(texts, detects_language(sets), |views| {
        if let Verdict::Keep(_) = black_box(apply_views(sets, views)) {
            kept += 1;
        }
    });
    (started.elapsed().as_secs_f64(), kept)
}

/// Calls `each` with the views of every text, as the run builds them: batch by batch, the
/// language of the whole batch detected first when `detect`. Returns the seconds the
/// detection took.
fn each_views(texts: &[&str], detect: bool, mut each: impl FnMut(&Views<'_>)) -> f64 {
    let mut detect_secs = 0.0;
    let mut languages = Vec::new();
    for batch in batches(texts) {
        languages.clear();
        if detect {
            let started = Instant::now();
            languages.extend(batch.iter().map(|text| detect_language(text)));
            detect_secs += started.elapsed().as_secs_f64();
        }
        for (i, text) in batch.iter().enumerate() {
            let views = match languages.get(i) {
                Some(&language) => Views::with_language(text, language),
                None => Views::new(text),
            };
            each(&views);
        }
    }
    detect_secs
}

/// One pass of the stack over every text, as [`time_stack`] runs it, with each set timed on
/// the documents that reach it (language detection is charged to the first set that asks
/// for it, and a set pays for the views, words, lines, n-grams, it is the first to ask for):
/// the seconds of each set, and the documents left after each. Timed inside one
/// pass, not as differences between runs of longer and longer stacks, which the shared
/// machine's noise swamped.
pub fn time_stack_per_set(sets: &[Arc<RuleSet>], texts: &[&str]) -> (Vec<f64>, Vec<usize>) {
    let detecting = sets
        .iter()
        .position(|set| detects_language(std::slice::from_ref(set)));
    let mut secs = vec![0.0; sets.len()];
    let mut left = vec![0; sets.len()];
    let detect_secs = each_views(texts, detecting.is_some(), |views| {
        let (mut index, mut rewritten) = (0, None::<String>);
        // As in `apply_views`: sets share one `Views` until one rewrites the text.
        loop {
            let next = match &rewritten {
                None => run_timed(sets, &mut index, views, &mut secs, &mut left),
                Some(text) => {
                    let views = Views::new(text);
                    run_timed(sets, &mut index, &views, &mut secs, &mut left)
                }
            };
            match next {
                Some(text) => rewritten = Some(text),
                None => break,
            }
        }
    });
    if let Some(k) = detecting {
        secs[k] += detect_secs;
    }
    (secs, left)
}

/// Evaluates `sets[*index..]` on `views`, one set at a time, timing each, until one rewrites
/// the text (the new text) or all keep it or one drops it (`None`).
fn run_timed(
    sets: &[Arc<RuleSet>],
    index: &mut usize,
    views: &Views<'_>,
    secs: &mut [f64],
    left: &mut [usize],
) -> Option<String> {
    while *index < sets.len() {
        let k = *index;
        *index += 1;
        let started = Instant::now();
        let verdict = black_box(apply_views(&sets[k..=k], views));
        secs[k] += started.elapsed().as_secs_f64();
        match verdict {
            Verdict::Drop { .. } => return None,
            Verdict::Keep(rewrite) => {
                left[k] += 1;
                if let Some(rewrite) = rewrite {
                    return Some(rewrite.text);
                }
            }
        }
    }
    None
}

/// `texts` cut into the pipeline's batches.
fn batches<'t, 'a>(texts: &'t [&'a str]) -> impl Iterator<Item = &'t [&'a str]> {
    let mut rest = texts;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (mut bytes, mut n) = (0u64, 0);
        while n < rest.len() && n < BATCH_LINES && bytes < BATCH_BYTES {
            bytes += rest[n].len() as u64;
            n += 1;
        }
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        Some(batch)
    })
}

/// [`time_stack`] run `runs` times: the median seconds (the machine may be shared, and one
/// run can be slowed by other work) and the kept count.
pub fn median_stack(sets: &[Arc<RuleSet>], texts: &[&str], runs: usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut kept = 0;
    for _ in 0..runs {
        let (secs, k) = time_stack(sets, texts);
        times.push(secs);
        kept = k;
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], kept)
}

/// Seconds one core takes to measure every rule of `set` on every text (no early exit), so
/// each set's full cost shows even where an earlier rule would drop the document; and the
/// seconds of each rule, a rule paying for the views (words, lines, n-grams) it is the first
/// to ask for.
pub fn time_all_rules(set: &RuleSet, texts: &[&str]) -> (f64, Vec<f64>) {
    let mut per_rule = vec![0.0; set.rules.len()];
    let started = Instant::now();
    for text in texts {
        let views = Views::new(text);
        for (rule, secs) in set.rules.iter().zip(per_rule.iter_mut()) {
            let rule_started = Instant::now();
            black_box(rule.measure(&views));
            *secs += rule_started.elapsed().as_secs_f64();
        }
    }
    (started.elapsed().as_secs_f64(), per_rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{LineReader, parse_record};

    /// The per-set pass keeps, after each set, what the stack cut at that set keeps, and
    /// times every set that documents reach.
    #[test]
    fn per_set_counts_match_the_stack_cut_at_each_set() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sets = load_sets(&root.join("filters"), FULL_STACK).unwrap();
        let mut reader =
            LineReader::open(&root.join("data/sample/sample.jsonl.gz"), 1 << 26).unwrap();
        let mut docs = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            docs.extend(
                line.bytes
                    .and_then(|b| parse_record(&b, &Default::default(), false).ok())
                    .map(|r| r.text),
            );
        }
        let texts: Vec<&str> = docs.iter().map(String::as_str).collect();
        let (secs, left) = time_stack_per_set(&sets, &texts);
        for k in 0..sets.len() {
            assert_eq!(
                left[k],
                time_stack(&sets[..=k], &texts).1,
                "after {}",
                sets[k].name
            );
        }
        assert!(left.windows(2).all(|w| w[0] >= w[1]));
        assert!(
            left[0] < texts.len() && *left.last().unwrap() > 0,
            "{left:?}"
        );
        assert!(secs.iter().all(|&s| s > 0.0), "{secs:?}");
    }
}
