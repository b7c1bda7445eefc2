//! Named settings that reproduce the peers' fuzzy dedup, so dedup rates can be compared
//! (peers.md §2a, mission-anchors.md §1.3, §2.4, §3.5):
//!
//! | preset | shingles | normalization | bands × rows | threshold |
//! | --- | --- | --- | --- | --- |
//! | `datatrove` | word 5-grams | datatrove's `simplify_text` (approximated) | 14 × 8 | 0.72 = (1/14)^(1/8) |
//! | `mtnlg` | character 5-grams | basic | 20 × 13 | 0.8 |
//! | `pile` | word 5-grams | basic | 10 × 1 | 0.5 |
//!
//! Each preset keeps its own normalization; with no preset the default is word 5-grams,
//! 14 × 8, seed 42, over the `letters` normalization ([`super::letters`]).
//!
//! `pile` uses datasketch's 10 permutations, but as 10 bands of 1 row: datasketch's own
//! choice for threshold 0.5 (3 × 3, 9 of the 10 hashes) finds a pair at J = 0.55 with
//! probability 0.42 only, 10 × 1 with 0.9997; the false candidates it adds are removed
//! by exact-Jaccard verification at 0.5.

use super::{MinHashParams, Shingle, TextNorm};

/// A peer's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// datatrove / FineWeb.
    Datatrove,
    /// NeMo Curator's MT-NLG-style config.
    Mtnlg,
    /// The Pile's OpenWebText2 / Pile-CC dedup.
    Pile,
}

impl Preset {
    /// All presets, in the order the benchmark prints them.
    pub const ALL: [Preset; 3] = [Preset::Datatrove, Preset::Mtnlg, Preset::Pile];

    /// Parses a preset name.
    pub fn parse(name: &str) -> Result<Preset, String> {
        match name {
            "datatrove" => Ok(Preset::Datatrove),
            "mtnlg" => Ok(Preset::Mtnlg),
            "pile" => Ok(Preset::Pile),
            other => Err(format!(
                "unknown preset {other:?}: expected \"datatrove\", \"mtnlg\" or \"pile\""
            )),
        }
    }

    /// The preset's name.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Datatrove => "datatrove",
            Preset::Mtnlg => "mtnlg",
            Preset::Pile => "pile",
        }
    }

    /// The preset's MinHash parameters.
    pub fn params(self) -> MinHashParams {
        let (shingle, norm, bands, rows, seed) = match self {
            Preset::Datatrove => (Shingle::Words, TextNorm::Datatrove, 14, 8, 1),
            Preset::Mtnlg => (Shingle::Chars, TextNorm::Basic, 20, 13, 42),
            Preset::Pile => (Shingle::Words, TextNorm::Basic, 10, 1, 1),
        };
        MinHashParams {
            ngram: 5,
            bands,
            rows,
            seed,
            shingle,
            norm,
        }
    }

    /// The similarity the preset deduplicates at (the verification threshold).
    pub fn threshold(self) -> f64 {
        match self {
            Preset::Datatrove => self.params().threshold(),
            Preset::Mtnlg => 0.8,
            Preset::Pile => 0.5,
        }
    }
}

/// The MinHash keys a config may set; `None` takes the preset's (or the default) value.
#[derive(Clone, Debug, Default)]
pub struct ParamOverrides {
    /// A preset name.
    pub preset: Option<String>,
    /// Tokens per shingle.
    pub ngram: Option<usize>,
    /// Bands.
    pub bands: Option<usize>,
    /// Rows per band.
    pub rows: Option<usize>,
    /// Seed.
    pub seed: Option<u64>,
    /// `"words"` or `"chars"`.
    pub shingle: Option<String>,
    /// `"letters"`, `"basic"` or `"datatrove"`.
    pub normalization: Option<String>,
    /// Verification threshold.
    pub verify_threshold: Option<f64>,
}

impl ParamOverrides {
    /// The parameters and verification threshold these keys select: the preset's values
    /// (or word 5-grams, 14 × 8, seed 42), each replaced by the key given explicitly.
    pub fn resolve(&self) -> Result<(MinHashParams, f64), String> {
        let preset = self.preset.as_deref().map(Preset::parse).transpose()?;
        let mut params = preset.map_or(
            MinHashParams {
                seed: 42,
                ..MinHashParams::default()
            },
            Preset::params,
        );
        params.ngram = self.ngram.unwrap_or(params.ngram);
        params.bands = self.bands.unwrap_or(params.bands);
        params.rows = self.rows.unwrap_or(params.rows);
        params.seed = self.seed.unwrap_or(params.seed);
        if let Some(shingle) = self.shingle.as_deref() {
            params.shingle = match shingle {
                "words" => Shingle::Words,
                "chars" => Shingle::Chars,
                other => {
                    return Err(format!(
                        "shingle {other:?}: expected \"words\" or \"chars\""
                    ));
                }
            };
        }
        if let Some(norm) = self.normalization.as_deref() {
            params.norm = match norm {
                "letters" => TextNorm::Letters,
                "basic" => TextNorm::Basic,
                "datatrove" => TextNorm::Datatrove,
                other => {
                    return Err(format!(
                        "normalization {other:?}: expected \"letters\", \"basic\" or \"datatrove\""
                    ));
                }
            };
        }
        let threshold = match (self.verify_threshold, preset) {
            (Some(t), _) => t,
            (None, Some(preset)) => preset.threshold(),
            (None, None) => params.threshold(),
        };
        if !(0.0..=1.0).contains(&threshold) {
            return Err(format!("verify_threshold {threshold} is not within 0..=1"));
        }
        Ok((params, threshold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_keys_override_the_preset() {
        let keys = ParamOverrides {
            preset: Some("mtnlg".into()),
            bands: Some(9),
            ..ParamOverrides::default()
        };
        let (params, threshold) = keys.resolve().expect("valid");
        assert_eq!((params.bands, params.rows), (9, 13));
        assert_eq!(params.shingle, Shingle::Chars);
        assert_eq!(threshold, 0.8);
        let (params, threshold) = ParamOverrides::default().resolve().expect("valid");
        assert_eq!(
            (params.ngram, params.bands, params.rows, params.seed),
            (5, 14, 8, 42)
        );
        assert!((threshold - 0.719).abs() < 0.001);
        assert_eq!(params.norm, TextNorm::Letters);
        for (name, norm) in [
            ("letters", TextNorm::Letters),
            ("basic", TextNorm::Basic),
            ("datatrove", TextNorm::Datatrove),
        ] {
            let keys = ParamOverrides {
                preset: Some("pile".into()),
                normalization: Some(name.into()),
                ..ParamOverrides::default()
            };
            assert_eq!(keys.resolve().expect("valid").0.norm, norm);
        }
        let presets: Vec<TextNorm> = Preset::ALL.iter().map(|p| p.params().norm).collect();
        assert_eq!(
            presets,
            [TextNorm::Datatrove, TextNorm::Basic, TextNorm::Basic]
        );
        let typo = ParamOverrides {
            normalization: Some("letter".into()),
            ..ParamOverrides::default()
        };
        assert!(typo.resolve().is_err_and(|e| e.contains("\"letters\"")));
        let bad = ParamOverrides {
            preset: Some("minhash".into()),
            ..ParamOverrides::default()
        };
        assert!(bad.resolve().is_err());
    }
}
