//! Test support: documents of the sample corpus (`data/sample/sample.jsonl.gz`), read once
//! and looked up by `meta.dedup_key`, so kind tests assert numbers measured on real text.

use flate2::read::MultiGzDecoder;
use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::sync::OnceLock;

/// One sample document.
pub struct SampleDoc {
    /// `meta.pile_set_name`.
    pub source: String,
    /// `meta.dedup_key`.
    pub key: String,
    /// The text.
    pub text: String,
}

#[derive(Deserialize)]
struct Record {
    text: String,
    meta: Meta,
}

#[derive(Deserialize)]
struct Meta {
    pile_set_name: String,
    dedup_key: String,
}

/// Every document of the sample, in file order.
pub fn sample() -> &'static [SampleDoc] {
    static SAMPLE: OnceLock<Vec<SampleDoc>> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/sample.jsonl.gz");
        let file = std::fs::File::open(path).expect("open the sample corpus");
        BufReader::new(MultiGzDecoder::new(file))
            .lines()
            .map(|line| {
                let record: Record = serde_json::from_str(&line.expect("read")).expect("parse");
                SampleDoc {
                    source: record.meta.pile_set_name,
                    key: record.meta.dedup_key,
                    text: record.text,
                }
            })
            .collect()
    })
}

/// The text of the first sample document with this `dedup_key`.
pub fn text(key: &str) -> &'static str {
    sample()
        .iter()
        .find(|doc| doc.key == key)
        .map(|doc| doc.text.as_str())
        .unwrap_or_else(|| panic!("no sample document {key:?}"))
}
