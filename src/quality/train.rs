//! Training: logistic regression fitted by Adagrad SGD on the log loss, deterministically.
//!
//! The examples are visited in an order shuffled by a seeded SplitMix64 Fisher-Yates, for a
//! fixed number of epochs, on one thread, so the same inputs and seed give the same model
//! bytes. Classes are weighted inversely to their size, so a large negative source does not
//! drown a small positive one.

use super::features::{Features, features};
use super::model::{Model, sigmoid};

/// Hyper-parameters.
#[derive(Clone, Copy, Debug)]
pub struct Hyper {
    /// log2 of the feature buckets.
    pub bits: u32,
    /// Passes over the training examples.
    pub epochs: u32,
    /// Adagrad base learning rate.
    pub learning_rate: f64,
    /// L2 penalty per update (on the touched weights).
    pub l2: f64,
    /// Seed of the visiting order.
    pub seed: u64,
}

/// One labelled example, its features already extracted.
pub struct Example {
    /// The features.
    pub features: Features,
    /// `true` for the positive (high-quality) class.
    pub positive: bool,
}

impl Example {
    /// Extracts the features of `text`.
    pub fn new(text: &str, positive: bool, bits: u32) -> Example {
        Example {
            features: features(text, bits),
            positive,
        }
    }
}

/// Fits a model on `examples`.
pub fn fit(examples: &[Example], hyper: &Hyper) -> Model {
    let mut model = Model::zeros(hyper.bits);
    let mut squares = vec![0f64; model.weights.len()];
    let mut bias_squares = 0f64;
    let n_pos = examples.iter().filter(|e| e.positive).count().max(1) as f64;
    let n_neg = (examples.len() as f64 - n_pos).max(1.0);
    let total = examples.len() as f64;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = SplitMix64(hyper.seed);
    for _ in 0..hyper.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &index in &order {
            let example = &examples[index];
            let f = &example.features;
            let label = if example.positive { 1.0 } else { 0.0 };
            let class_weight = total / (2.0 * if example.positive { n_pos } else { n_neg });
            let dot: f32 = f.indices.iter().map(|&i| model.weights[i as usize]).sum();
            let p = sigmoid(f64::from(model.bias + dot * f.value));
            let gradient = (p - label) * class_weight;
            for &i in &f.indices {
                let i = i as usize;
                let g = gradient * f64::from(f.value) + hyper.l2 * f64::from(model.weights[i]);
                squares[i] += g * g;
                model.weights[i] -= (hyper.learning_rate * g / (squares[i].sqrt() + 1e-8)) as f32;
            }
            bias_squares += gradient * gradient;
            model.bias -= (hyper.learning_rate * gradient / (bias_squares.sqrt() + 1e-8)) as f32;
        }
    }
    model
}

/// Accuracy at 0.5 and the area under the ROC curve of `(score, positive)` pairs
/// (AUC 0.5 when a class is missing; ties count one half).
pub fn evaluate(scored: &[(f64, bool)]) -> (f64, f64) {
    if scored.is_empty() {
        return (0.0, 0.5);
    }
    let correct = scored.iter().filter(|(s, pos)| (*s >= 0.5) == *pos).count();
    let accuracy = correct as f64 / scored.len() as f64;
    let (mut pairs, mut wins) = (0f64, 0f64);
    for (sp, _) in scored.iter().filter(|(_, pos)| *pos) {
        for (sn, _) in scored.iter().filter(|(_, pos)| !*pos) {
            pairs += 1.0;
            wins += if sp > sn {
                1.0
            } else if sp == sn {
                0.5
            } else {
                0.0
            };
        }
    }
    let auc = if pairs == 0.0 { 0.5 } else { wins / pairs };
    (accuracy, auc)
}

/// A small deterministic generator (SplitMix64).
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyper() -> Hyper {
        Hyper {
            bits: 12,
            epochs: 5,
            learning_rate: 0.5,
            l2: 1e-6,
            seed: 7,
        }
    }

    /// `expected`: (accuracy, auc).
    fn check(scored: &[(f64, bool)], expected: (f64, f64)) {
        assert_eq!(evaluate(scored), expected, "{scored:?}");
    }

    /// Scored pairs and the expected (accuracy, AUC).
    type Row<'a> = (&'a [(f64, bool)], (f64, f64));

    #[test]
    fn accuracy_and_auc() {
        let table: [Row; 4] = [
            (&[], (0.0, 0.5)),
            (&[(0.9, true), (0.1, false)], (1.0, 1.0)),
            (&[(0.4, true), (0.6, false)], (0.0, 0.0)),
            (
                &[(0.7, true), (0.7, false), (0.2, false)],
                (2.0 / 3.0, 0.75),
            ),
        ];
        for (scored, expected) in table {
            check(scored, expected);
        }
    }

    #[test]
    fn learns_a_separable_toy_problem_deterministically() {
        let good = [
            "the committee reviewed the annual report",
            "a history of the old city",
        ];
        let bad = [
            "buy now cheap pills click here",
            "click here free money now",
        ];
        let examples: Vec<Example> = good
            .iter()
            .map(|t| Example::new(t, true, 12))
            .chain(bad.iter().map(|t| Example::new(t, false, 12)))
            .collect();
        let model = fit(&examples, &hyper());
        assert!(model.score("the report of the committee") > 0.5);
        assert!(model.score("click here for cheap pills") < 0.5);
        assert_eq!(model.to_bytes(), fit(&examples, &hyper()).to_bytes());
    }
}
