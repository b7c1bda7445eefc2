//! `pilecurate quality train`: the GPT-3 / Pile style quality classifier, a logistic
//! regression over hashed word unigrams and bigrams, fitted on documents of positive sources
//! (high quality) against a negative source, picked by `meta.pile_set_name`.
//!
//! The held-out split is a function of the document text and the seed (xxh3 of the text),
//! not of its position, so the same document is held out whatever the input order. The
//! `quality_classifier` filter kind (`src/filters/quality_classifier.rs`) scores documents
//! with the model this writes.

mod features;
mod model;
mod train;

pub use features::{FEATURE_BYTES, features};
pub use model::{MAGIC, Model, VERSION};
pub use train::{Example, Hyper, SplitMix64, evaluate, fit};

use crate::error::{FailureKind, tag};
use crate::io::{LineReader, parse_record, write_atomic};
use anyhow::{Result, bail};
use std::path::PathBuf;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// What `quality train` was asked to do.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Sources whose documents are the positive (high-quality) class.
    pub positive: Vec<String>,
    /// Sources whose documents are the negative class.
    pub negative: Vec<String>,
    /// Pile-format jsonl(.gz/.zst) inputs.
    pub inputs: Vec<PathBuf>,
    /// Where to write the model.
    pub out: PathBuf,
    /// Fraction of documents held out for evaluation.
    pub holdout: f64,
    /// Hyper-parameters (the seed also decides the split).
    pub hyper: Hyper,
}

/// What training measured.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSummary {
    /// Training documents (positive, negative).
    pub train: (usize, usize),
    /// Held-out documents (positive, negative).
    pub held_out: (usize, usize),
    /// Held-out accuracy at score 0.5.
    pub accuracy: f64,
    /// Held-out area under the ROC curve.
    pub auc: f64,
}

/// Reads the inputs, fits the model, evaluates it on the held-out documents, writes it.
pub fn train(options: &TrainOptions) -> Result<TrainSummary> {
    if !(0.0..1.0).contains(&options.holdout) {
        bail!(
            "--holdout must be at least 0 and below 1, not {}",
            options.holdout
        );
    }
    let bits = options.hyper.bits;
    let (mut fit_on, mut held_out) = (Vec::new(), Vec::new());
    for path in &options.inputs {
        let mut reader = LineReader::open(path, 1 << 26).map_err(|e| tag(FailureKind::Input, e))?;
        while let Some(line) = reader.next_line().map_err(|e| tag(FailureKind::Input, e))? {
            let Some(record) = line
                .bytes
                .as_deref()
                .and_then(|b| parse_record(b, &Default::default(), false).ok())
            else {
                continue;
            };
            let name = record.source_name.as_deref().unwrap_or("");
            let positive = options.positive.iter().any(|s| s == name);
            if !positive && !options.negative.iter().any(|s| s == name) {
                continue;
            }
            let draw = xxh3_64_with_seed(record.text.as_bytes(), options.hyper.seed);
            let example = Example::new(&record.text, positive, bits);
            let fraction = (draw >> 11) as f64 / (1u64 << 53) as f64;
            if fraction < options.holdout {
                held_out.push(example);
            } else {
                fit_on.push(example);
            }
        }
    }
    let count = |set: &[Example]| {
        let pos = set.iter().filter(|e| e.positive).count();
        (pos, set.len() - pos)
    };
    let summary_train = count(&fit_on);
    if summary_train.0 == 0 || summary_train.1 == 0 {
        return Err(tag(
            FailureKind::Input,
            anyhow::anyhow!(
                "no training documents of the {} class: check --positive / --negative against \
                 the inputs' meta.pile_set_name (found {} positive, {} negative)",
                if summary_train.0 == 0 {
                    "positive"
                } else {
                    "negative"
                },
                summary_train.0,
                summary_train.1
            ),
        ));
    }
    let model = fit(&fit_on, &options.hyper);
    let scored: Vec<(f64, bool)> = held_out
        .iter()
        .map(|e| {
            let dot: f32 = e
                .features
                .indices
                .iter()
                .map(|&i| model.weights[i as usize])
                .sum();
            (
                model::sigmoid(f64::from(model.bias + dot * e.features.value)),
                e.positive,
            )
        })
        .collect();
    let (accuracy, auc) = evaluate(&scored);
    write_atomic(&options.out, &model.to_bytes())?;
    Ok(TrainSummary {
        train: summary_train,
        held_out: count(&held_out),
        accuracy,
        auc,
    })
}
