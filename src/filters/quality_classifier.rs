//! `quality_classifier`: the probability that the document is "high quality" under a model
//! trained by `pilecurate quality train` (logistic regression over hashed word unigrams and
//! bigrams, as GPT-3 and the Pile did). Two modes:
//!
//! - `mode = "threshold"` (default): measures the score; keep with e.g. `min = 0.5`.
//! - `mode = "pareto"`: measures `score + x`, where `x` is a draw from numpy's
//!   `pareto(alpha)` (Lomax: `(1 - u)^(-1/alpha) - 1`); with `min = 1` this is GPT-3's
//!   `np.random.pareto(alpha) > 1 - score` (up to the equality case, of measure zero).
//!   `alpha` defaults to 9 (GPT-3); the Pile and NeMo Curator used 3. The uniform `u` comes
//!   from xxh3-64 of the document text seeded with the rule's `seed` (default 0): filters
//!   see only the text, so the draw is a function of the text and the seed, and identical
//!   texts get identical verdicts in any run, on any thread.
//!
//! `model` is a path relative to the rule set file, read once when the rule set is loaded.

use super::kind::Measure;
use super::views::Views;
use crate::quality::Model;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Parameters of `quality_classifier`, with the model once loaded.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityClassifier {
    /// The model file, relative to the rule set file.
    model: String,
    /// `threshold` or `pareto`.
    #[serde(default)]
    mode: Mode,
    /// Pareto shape (GPT-3: 9, the Pile: 3).
    #[serde(default = "default_alpha")]
    alpha: f64,
    /// Seed of the per-document Pareto draw.
    #[serde(default)]
    seed: u64,
    #[serde(skip)]
    loaded: Loaded,
}

/// How the score becomes the measured number.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The score itself.
    #[default]
    Threshold,
    /// The score plus a Pareto draw.
    Pareto,
}

fn default_alpha() -> f64 {
    9.0
}

/// The model, shared by clones of the rule; not printed by `Debug` (it is large).
#[derive(Clone, Default)]
struct Loaded(Option<Arc<Model>>);

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(model) => write!(f, "Model({} bits)", model.bits),
            None => f.write_str("NotLoaded"),
        }
    }
}

impl QualityClassifier {
    /// Reads the model named by `model`, relative to `base` (the rule set's folder).
    pub fn load(&mut self, base: &Path) -> Result<()> {
        let path = base.join(&self.model);
        let bytes = crate::io::read_bytes(&path).context("cannot load the quality model")?;
        let model = Model::from_bytes(&bytes, &path.display().to_string())?;
        self.loaded = Loaded(Some(Arc::new(model)));
        Ok(())
    }

    /// The model's probability that `text` is high quality (0.5 before the model is loaded).
    pub fn score(&self, text: &str) -> f64 {
        self.loaded
            .0
            .as_ref()
            .map_or(0.5, |model| model.score(text))
    }

    /// The Pareto draw for `text`: a function of the text and the rule's seed only.
    pub fn pareto_draw(&self, text: &str) -> f64 {
        let bits = xxh3_64_with_seed(text.as_bytes(), self.seed) >> 11;
        let u = bits as f64 / (1u64 << 53) as f64;
        (1.0 - u).powf(-1.0 / self.alpha) - 1.0
    }
}

impl Measure for QualityClassifier {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let score = self.score(views.text());
        match self.mode {
            Mode::Threshold => score,
            Mode::Pareto => score + self.pareto_draw(views.text()),
        }
    }

    fn validate(&self) -> Result<(), String> {
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(format!(
                "`alpha` must be a positive number, not {}",
                self.alpha
            ));
        }
        if self.model.is_empty() {
            return Err("`model` must name a model file".into());
        }
        Ok(())
    }
}

impl super::RuleSet {
    /// The score of the set's first `quality_classifier` rule on `text` (for the report's
    /// score distribution), or `None` when the set has no such rule.
    pub fn quality_score(&self, text: &str) -> Option<f64> {
        self.rules.iter().find_map(|rule| match &rule.kind {
            super::RuleKind::QualityClassifier(kind) => Some(kind.score(text)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::{RuleSet, Verdict, testdata};

    fn shipped() -> RuleSet {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/filters/quality.toml");
        let text = std::fs::read_to_string(path).expect("read quality.toml");
        RuleSet::from_toml(&text, path).expect("parse quality.toml")
    }

    /// `expected`: whether the shipped model scores the document above one half.
    fn check(input: &str, expected: bool) {
        let score = shipped().quality_score(input).expect("a quality rule");
        assert_eq!(
            score > 0.5,
            expected,
            "{score} {:?}",
            &input[..input.len().min(80)]
        );
    }

    #[test]
    fn shipped_model_separates_prose_from_email() {
        let table = [
            (testdata::text("wiki:Answer"), true),
            (testdata::text("sotu:1800_john_adams"), true),
            (testdata::text("email:spam-2/01064"), false),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn pareto_keeps_are_reproducible_and_rise_with_the_score() {
        let rule = |seed: u64| -> QualityClassifier {
            toml::from_str(&format!(
                "model = 'm'\nmode = 'pareto'\nalpha = 3\nseed = {seed}"
            ))
            .expect("rule")
        };
        let (a, b) = (rule(1), rule(1));
        let texts: Vec<&str> = testdata::sample().iter().map(|d| d.text.as_str()).collect();
        let draws: Vec<f64> = texts.iter().map(|t| a.pareto_draw(t)).collect();
        assert_eq!(
            draws,
            texts.iter().map(|t| b.pareto_draw(t)).collect::<Vec<_>>()
        );
        assert_ne!(
            draws,
            texts
                .iter()
                .map(|t| rule(2).pareto_draw(t))
                .collect::<Vec<_>>()
        );
        let keep_rate = |score: f64| {
            draws.iter().filter(|&&x| score + x >= 1.0).count() as f64 / draws.len() as f64
        };
        let rates: Vec<f64> = [0.1, 0.5, 0.9, 1.0].map(keep_rate).to_vec();
        assert!(rates.windows(2).all(|w| w[0] < w[1]), "{rates:?}");
        assert_eq!(rates[3], 1.0);
    }

    #[test]
    fn missing_or_corrupt_model_is_refused_at_load_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let origin = dir.path().join("set.toml");
        let origin = origin.to_str().expect("utf-8 path");
        let rules = "[[rule]]\nkind = 'quality_classifier'\nmodel = 'm.bin'\nmin = 0.5";
        let missing = RuleSet::from_toml(rules, origin).expect_err("no model");
        assert!(format!("{missing:#}").contains("m.bin"), "{missing:#}");
        std::fs::write(dir.path().join("m.bin"), b"PCQUALTY garbage").expect("write");
        let corrupt = RuleSet::from_toml(rules, origin).expect_err("corrupt model");
        assert!(
            format!("{corrupt:#}").contains("quality model"),
            "{corrupt:#}"
        );
        let bad_alpha = rules.replace("min", "alpha = -1\nmin");
        assert!(RuleSet::from_toml(&bad_alpha, origin).is_err());
        assert_eq!(
            shipped().evaluate(testdata::text("wiki:Answer")),
            Verdict::Keep(None)
        );
    }
}
