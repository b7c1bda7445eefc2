//! Language identification with langid.py's model (Lui and Baldwin 2012; 97 languages,
//! BSD licence), compiled into the binary so nothing is downloaded: a byte-level automaton
//! finds the model's byte n-grams (1 to 4 bytes) in one table step per byte, and a naive
//! Bayes sum over the n-gram counts scores every language. The answer is langid.py's
//! `classify` with normalized probabilities: the top language and its probability.
//!
//! The data, `data/langid/model.bin.gz`, is langid 1.1.6's own model re-laid flat by
//! `scripts/langid/export.py`; `data/langid/expected-sample.tsv` holds what langid.py answers
//! on the shipped sample, and the tests hold the detector to it.

mod model;

pub use model::Model;

use std::cell::RefCell;
use std::sync::OnceLock;

/// Bytes of the text given to the detector (cut back to a character boundary): its cost is
/// one table step per byte plus one score row per distinct n-gram, so a bounded sample keeps
/// it flat for book-length documents.
pub const SAMPLE_BYTES: usize = 2048;

/// The code of a document whose language cannot be told (no letter in the sample).
pub const UNDETERMINED: &str = "und";

/// The model file, gzip-compressed.
const EMBEDDED: &[u8] = include_bytes!("../../../data/langid/model.bin.gz");

/// The embedded model, decompressed and checked on first use. An error means the binary was
/// built from a damaged `data/langid/model.bin.gz`.
pub fn model() -> Result<&'static Model, String> {
    static MODEL: OnceLock<Result<Model, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let origin = "embedded language model (data/langid/model.bin.gz)";
            let bytes = crate::io::gunzip_bytes(EMBEDDED, origin).map_err(|e| format!("{e:#}"))?;
            Model::parse(&bytes).map_err(|e| format!("{origin}: {e}; rebuild the binary"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Per-thread counters, all zero between calls: visits per automaton state and
/// occurrences per feature, with the lists of the entries touched so clearing is cheap.
#[derive(Default)]
struct Scratch {
    state_counts: Vec<u32>,
    states: Vec<u16>,
    feature_counts: Vec<u32>,
    features: Vec<u16>,
    scores: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// The top language of a text, as an ISO 639-1 code (`en`, `zh`; [`UNDETERMINED`] when the
/// sample has no letter), and its probability in 0..=1. Reads only the first
/// [`SAMPLE_BYTES`] bytes. A pure function of the text.
///
/// # Panics
/// If the embedded model is damaged, which `filters` reports as a config error when it
/// loads a `language_id` rule, before any document is read.
pub fn detect_language(text: &str) -> (&'static str, f64) {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let has_letter = if sample.is_ascii() {
        sample.bytes().any(|b| b.is_ascii_alphabetic())
    } else {
        sample.chars().any(char::is_alphabetic)
    };
    if !has_letter {
        return (UNDETERMINED, 0.0);
    }
    let model = model().expect("the embedded language model loads");
    SCRATCH.with_borrow_mut(|scratch| {
        let (best, probability) = classify(model, sample.as_bytes(), scratch);
        (model.codes[best].as_str(), probability)
    })
}

/// langid.py's `classify`: counts the n-grams of `bytes`, sums their log-likelihoods per
/// language with the priors, and returns the best language and its normalized probability.
fn classify(model: &Model, bytes: &[u8], scratch: &mut Scratch) -> (usize, f64) {
    let n_classes = model.n_classes();
    if scratch.state_counts.len() != model.n_states() {
        scratch.state_counts = vec![0; model.n_states()];
        scratch.feature_counts = vec![0; model.n_features()];
    }
    let Scratch {
        state_counts,
        states,
        feature_counts,
        features,
        scores,
    } = scratch;

    count_states(model, bytes, state_counts, states);
    for &visited in states.iter() {
        let visited = usize::from(visited);
        let times = std::mem::take(&mut state_counts[visited]);
        for &feature in model.emitted(visited) {
            let slot = &mut feature_counts[usize::from(feature)];
            if *slot == 0 {
                features.push(feature);
            }
            *slot += times;
        }
    }
    states.clear();

    scores.clear();
    scores.resize(n_classes, 0.0);
    for &feature in features.iter() {
        let feature = usize::from(feature);
        let times = f64::from(std::mem::take(&mut feature_counts[feature]));
        let row = &model.likelihoods[feature * n_classes..(feature + 1) * n_classes];
        for (score, &likelihood) in scores.iter_mut().zip(row) {
            *score += times * f64::from(likelihood);
        }
    }
    features.clear();
    // As langid.py: the priors are added after the dot product.
    for (score, &prior) in scores.iter_mut().zip(&model.priors) {
        *score += f64::from(prior);
    }

    let mut best = 0;
    for (class, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = class;
        }
    }
    let top = scores[best];
    let mass: f64 = scores.iter().map(|&score| (score - top).exp()).sum();
    (best, 1.0 / mass)
}

/// Independent readers of one text: each step of the automaton waits for the table load of
/// the step before, so one reader leaves the CPU idle; four interleaved ones do not.
const LANES: usize = 4;

/// Counts the automaton states entered while reading `bytes` from the start state, as one
/// reader would: lane `l` reads the `l`-th quarter, started [`Model::sync_bytes`] bytes
/// early (not counted) so it enters the same states a single reader would there.
fn count_states(model: &Model, bytes: &[u8], state_counts: &mut [u32], states: &mut Vec<u16>) {
    let step = |state: usize, byte: u8| usize::from(model.next[(state << 8) | usize::from(byte)]);
    let mut record = |state: usize| {
        if state_counts[state] == 0 {
            states.push(state as u16);
        }
        state_counts[state] += 1;
    };
    let sync = model.sync_bytes;
    let lane_len = bytes.len() / LANES;
    if lane_len <= sync {
        let mut state = 0;
        for &byte in bytes {
            state = step(state, byte);
            record(state);
        }
        return;
    }
    let mut lanes = [0usize; LANES];
    for (l, state) in lanes.iter_mut().enumerate().skip(1) {
        let start = l * lane_len;
        *state = bytes[start - sync..start]
            .iter()
            .fold(0, |s, &b| step(s, b));
    }
    for t in 0..lane_len {
        for (l, state) in lanes.iter_mut().enumerate() {
            *state = step(*state, bytes[l * lane_len + t]);
            record(*state);
        }
    }
    let mut state = lanes[LANES - 1];
    for &byte in &bytes[LANES * lane_len..] {
        state = step(state, byte);
        record(state);
    }
}

#[cfg(test)]
mod tests;
