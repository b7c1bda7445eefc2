//! Tokenization: a loaded tokenizer.json behind one `encode`, with the EOD id taken from the
//! tokenizer itself. The HF `tokenizers` crate is the reference engine; byte-level BPE
//! tokenizers get an exact fast path (`fast`) when they fit it, SentencePiece-style BPE
//! tokenizers another (`sentencepiece`).

pub mod fast;
mod hf;
pub mod sentencepiece;

pub use fast::FastBpe;
pub use hf::HfTokenizer;
pub use sentencepiece::SentencePieceBpe;

use anyhow::{Result, bail};
use std::str::FromStr;

/// Which engine encodes documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The fast path when the tokenizer fits it, else the HF crate.
    Auto,
    /// Always the HF `tokenizers` crate.
    Hf,
    /// The fast path; an error when the tokenizer does not fit it.
    Fast,
}

impl FromStr for Engine {
    type Err = String;

    fn from_str(s: &str) -> Result<Engine, String> {
        match s {
            "auto" => Ok(Engine::Auto),
            "hf" => Ok(Engine::Hf),
            "fast" => Ok(Engine::Fast),
            other => Err(format!(
                "unknown engine {other:?}: expected auto, hf or fast"
            )),
        }
    }
}

/// The engine in use (boxed: all are large and built once per run).
enum Active {
    Hf(Box<HfTokenizer>),
    Fast(Box<FastBpe>),
    SentencePiece(Box<SentencePieceBpe>),
}

impl Active {
    /// The fast engine that fits `bytes`, or why none does (`Err`: not a tokenizer.json).
    fn fast(bytes: &[u8]) -> Result<std::result::Result<Active, String>> {
        let byte_level = match FastBpe::try_from_tokenizer_json(bytes)? {
            Ok(fast) => return Ok(Ok(Active::Fast(Box::new(fast)))),
            Err(misfit) => misfit,
        };
        match SentencePieceBpe::try_from_tokenizer_json(bytes)? {
            Ok(sp) => Ok(Ok(Active::SentencePiece(Box::new(sp)))),
            Err(sp) => Ok(Err(format!(
                "byte-level BPE: {}; SentencePiece BPE: {}",
                byte_level.0, sp.0
            ))),
        }
    }

    fn token_to_id(&self, token: &str) -> Option<u32> {
        match self {
            Active::Hf(hf) => hf.token_to_id(token),
            Active::Fast(fast) => fast.token_to_id(token),
            Active::SentencePiece(sp) => sp.token_to_id(token),
        }
    }

    fn vocab_size(&self) -> usize {
        match self {
            Active::Hf(hf) => hf.vocab_size(),
            Active::Fast(fast) => fast.vocab_size(),
            Active::SentencePiece(sp) => sp.vocab_size(),
        }
    }
}

/// A tokenizer ready to encode documents, with its EOD id and vocabulary size.
pub struct Tokenizer {
    active: Active,
    eod_id: u32,
    vocab_size: usize,
    /// Why `auto` or `hf` runs the HF engine: the first component the fast path lacks.
    fallback: Option<String>,
}

impl Tokenizer {
    /// Loads tokenizer.json bytes with the chosen engine; `eod_token` must be in the vocabulary.
    pub fn load(bytes: &[u8], origin: &str, engine: Engine, eod_token: &str) -> Result<Tokenizer> {
        Self::load_with(bytes, origin, engine, Some(eod_token))
    }

    /// Loads tokenizer.json bytes only to count tokens (the `token_count` filter kind): no
    /// end-of-document token is needed, and [`Tokenizer::eod_id`] is `u32::MAX`.
    pub fn load_for_counting(bytes: &[u8], origin: &str) -> Result<Tokenizer> {
        Self::load_with(bytes, origin, Engine::Auto, None)
    }

    fn load_with(
        bytes: &[u8],
        origin: &str,
        engine: Engine,
        eod_token: Option<&str>,
    ) -> Result<Tokenizer> {
        // The fast path is tried first, so a run on a fitting tokenizer never pays for the
        // HF crate's own parse (a tenth of a second on GPT-2, before any work can start).
        let mut fallback = None;
        let active = match engine {
            Engine::Hf => {
                fallback = Some("asked for with --tokenizer-engine hf".to_string());
                Active::Hf(Box::new(HfTokenizer::from_bytes(bytes, origin)?))
            }
            Engine::Auto | Engine::Fast => match Active::fast(bytes) {
                Ok(Ok(fast)) => fast,
                Ok(Err(misfit)) if engine == Engine::Fast => bail!(
                    "{origin}: this tokenizer does not fit a fast path ({misfit}); \
                     use --tokenizer-engine hf or auto"
                ),
                Err(unreadable) if engine == Engine::Fast => {
                    // The reference engine names the problem when the file is broken.
                    HfTokenizer::from_bytes(bytes, origin)?;
                    bail!(
                        "{origin}: the fast paths cannot read this tokenizer.json \
                         ({unreadable:#}); use --tokenizer-engine hf or auto"
                    )
                }
                // Not a fit, or not a file the fast path can read: the reference engine
                // decides, and names the problem if there is one.
                misfit => {
                    fallback = Some(match misfit {
                        Ok(Err(misfit)) => misfit,
                        Err(unreadable) => format!("{unreadable:#}"),
                        Ok(Ok(_)) => String::new(),
                    });
                    Active::Hf(Box::new(HfTokenizer::from_bytes(bytes, origin)?))
                }
            },
        };
        let eod_id = match eod_token {
            None => u32::MAX,
            Some(eod_token) => match active.token_to_id(eod_token) {
                Some(id) => id,
                None => bail!(
                    "{origin}: the end-of-document token {eod_token:?} is not in the \
                     vocabulary; set [tokenizer] eod_token to a token this tokenizer has"
                ),
            },
        };
        let vocab_size = active.vocab_size();
        Ok(Tokenizer {
            active,
            eod_id,
            vocab_size,
            fallback,
        })
    }

    /// Token ids of `text` (no EOD).
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        match &self.active {
            Active::Hf(hf) => hf.encode(text),
            Active::Fast(fast) => Ok(fast.encode(text)),
            Active::SentencePiece(sp) => Ok(sp.encode(text)),
        }
    }

    /// The end-of-document id.
    pub fn eod_id(&self) -> u32 {
        self.eod_id
    }

    /// Vocabulary size including added tokens.
    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// Why the HF engine runs instead of the fast path (`None` when the fast path runs).
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// The engine in use for reports: `fast engine`, or `hf engine (...)` with the reason the
    /// fast path does not run.
    pub fn engine_description(&self) -> String {
        match &self.fallback {
            None => format!("{} engine", self.engine_name()),
            Some(why) => format!("{} engine; fast path not used: {why}", self.engine_name()),
        }
    }

    /// `"hf"` or `"fast"` (either fast path): the engine in use.
    pub fn engine_name(&self) -> &'static str {
        match self.active {
            Active::Hf(_) => "hf",
            Active::Fast(_) | Active::SentencePiece(_) => "fast",
        }
    }
}
