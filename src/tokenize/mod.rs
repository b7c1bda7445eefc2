//! Tokenization: a loaded tokenizer.json behind one `encode`, with the EOD id taken from the
//! tokenizer itself. The HF `tokenizers` crate is the reference engine.

mod hf;

pub use hf::HfTokenizer;
