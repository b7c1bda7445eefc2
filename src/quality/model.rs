//! The quality model: logistic regression weights over hashed features, and its file format.
//!
//! File layout (little-endian): magic `PCQUALTY` (8 bytes), format version (u32), feature
//! bits (u32), bias (f32), `2^bits` weights (f32), then the xxh3-64 of every byte before it
//! (u64). Loading refuses a wrong magic, version, size or checksum with a message that says so.

use super::features::features;
use anyhow::{Result, bail};
use xxhash_rust::xxh3::xxh3_64;

/// The first bytes of a model file.
pub const MAGIC: &[u8; 8] = b"PCQUALTY";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Feature bits accepted when loading (a 2^26-bucket model is 256 MiB).
const MAX_BITS: u32 = 26;
const HEADER_BYTES: usize = 8 + 4 + 4 + 4;

/// A trained classifier: `P(high quality) = sigmoid(bias + w · x)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// Intercept.
    pub bias: f32,
    /// One weight per bucket.
    pub weights: Vec<f32>,
}

impl Model {
    /// A zero model (scores every text 0.5).
    pub fn zeros(bits: u32) -> Model {
        Model {
            bits,
            bias: 0.0,
            weights: vec![0.0; 1 << bits],
        }
    }

    /// The probability that `text` is high quality. A pure function of the text.
    pub fn score(&self, text: &str) -> f64 {
        let f = features(text, self.bits);
        let dot: f32 = f.indices.iter().map(|&i| self.weights[i as usize]).sum();
        sigmoid(f64::from(self.bias + dot * f.value))
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_BYTES + 4 * self.weights.len() + 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let checksum = xxh3_64(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Reads a model file's bytes; `origin` (the path) goes into the error.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Model> {
        let what = "is not a pilecurate quality model";
        if bytes.len() < HEADER_BYTES + 8 || &bytes[..8] != MAGIC {
            bail!(
                "{origin} {what} (no PCQUALTY header); train one with `pilecurate quality train`"
            );
        }
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let version = word(8);
        if version != VERSION {
            bail!(
                "{origin}: quality model format version {version}, this build reads {VERSION}; retrain it"
            );
        }
        let bits = word(12);
        if bits > MAX_BITS {
            bail!("{origin} {what}: {bits} feature bits (at most {MAX_BITS})");
        }
        let expected = HEADER_BYTES + 4 * (1usize << bits) + 8;
        if bytes.len() != expected {
            bail!(
                "{origin}: quality model is {} bytes, expected {expected} for {bits} feature bits \
                 (truncated or corrupt); retrain it",
                bytes.len()
            );
        }
        let (body, tail) = bytes.split_at(expected - 8);
        let stored = u64::from_le_bytes(tail.try_into()?);
        if xxh3_64(body) != stored {
            bail!("{origin}: quality model checksum mismatch (corrupt file); retrain it");
        }
        let bias = f32::from_bits(word(16));
        let weights = (0..1usize << bits)
            .map(|i| f32::from_bits(word(HEADER_BYTES + 4 * i)))
            .collect();
        Ok(Model {
            bits,
            bias,
            weights,
        })
    }
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Model {
        let mut model = Model::zeros(4);
        model.bias = -0.25;
        for (i, w) in model.weights.iter_mut().enumerate() {
            *w = i as f32 * 0.5 - 3.0;
        }
        model
    }

    /// `expected`: a fragment of the error, or `None` when the bytes load.
    fn check(bytes: &[u8], expected: Option<&str>) {
        match (Model::from_bytes(bytes, "m.bin"), expected) {
            (Ok(model), None) => assert_eq!(model, small()),
            (Err(err), Some(fragment)) => {
                let message = format!("{err:#}");
                assert!(message.contains(fragment), "{message:?} lacks {fragment:?}");
            }
            (outcome, expected) => panic!("{outcome:?} but expected {expected:?}"),
        }
    }

    #[test]
    fn round_trips_and_refuses_corrupt_files() {
        let good = small().to_bytes();
        let mut flipped = good.clone();
        flipped[30] ^= 1;
        let mut version = good.clone();
        version[8] = 9;
        let table: [(&[u8], Option<&str>); 6] = [
            (&good, None),
            (&flipped, Some("checksum mismatch")),
            (&good[..good.len() - 1], Some("truncated or corrupt")),
            (&version, Some("format version 9")),
            (
                b"{\"not\": \"a model\"}",
                Some("not a pilecurate quality model"),
            ),
            (b"", Some("m.bin")),
        ];
        for (bytes, expected) in table {
            check(bytes, expected);
        }
    }

    #[test]
    fn zero_model_scores_one_half() {
        assert_eq!(Model::zeros(8).score("any text at all"), 0.5);
    }
}
