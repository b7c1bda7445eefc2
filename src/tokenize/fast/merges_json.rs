//! The `merges` list of a tokenizer.json, read entry by entry in either of HF's formats:
//! `["a", "b"]` pairs, or legacy `"a b"` lines (where `#version` lines are skipped).
//!
//! Each entry is read by a visitor because serde's `untagged` enums first copy the whole
//! value into a generic tree and then try each variant on it: GPT-2's 100,000 merge strings
//! were each allocated twice, once for that tree, which was freed again straight away.

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::fmt;

/// The merges in file order, and whether some line was not two tokens.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Merges {
    /// Merge pairs in rank order.
    pub pairs: Vec<(String, String)>,
    /// A legacy line did not split into exactly two tokens on spaces.
    pub bad_line: bool,
}

impl<'de> Deserialize<'de> for Merges {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Merges, D::Error> {
        let entries = Vec::<Entry>::deserialize(deserializer)?;
        let mut merges = Merges {
            pairs: Vec::with_capacity(entries.len()),
            bad_line: false,
        };
        for entry in entries {
            match entry {
                Entry::Pair(a, b) => merges.pairs.push((a, b)),
                Entry::Version => {}
                Entry::BadLine => merges.bad_line = true,
            }
        }
        Ok(merges)
    }
}

/// One entry of the list.
enum Entry {
    Pair(String, String),
    /// A legacy `#version` line.
    Version,
    /// A legacy line that is not two tokens.
    BadLine,
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entry, D::Error> {
        deserializer.deserialize_any(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"a merge: "a b" or ["a", "b"]"#)
    }

    fn visit_str<E: de::Error>(self, line: &str) -> Result<Entry, E> {
        if line.starts_with("#version") {
            return Ok(Entry::Version);
        }
        // HF splits a legacy line on every space: anything but two parts is malformed.
        let mut parts = line.split(' ');
        Ok(match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => Entry::Pair(a.to_string(), b.to_string()),
            _ => Entry::BadLine,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
        let pair = |n| de::Error::invalid_length(n, &"a pair of tokens");
        let a: String = seq.next_element()?.ok_or_else(|| pair(0))?;
        let b: String = seq.next_element()?.ok_or_else(|| pair(1))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(pair(3));
        }
        Ok(Entry::Pair(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Merges, serde_json::Error> {
        serde_json::from_str(json)
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn both_formats_and_their_edge_cases() {
        let lines = read(r##"["#version: 0.2", "Ġ t", "h e", "\u0120 \"q"]"##).unwrap();
        assert_eq!(lines.pairs, pairs(&[("Ġ", "t"), ("h", "e"), ("Ġ", "\"q")]));
        assert!(!lines.bad_line);
        let arrays = read(r#"[["Ġ", "t"], ["a b", "c"]]"#).unwrap();
        assert_eq!(arrays.pairs, pairs(&[("Ġ", "t"), ("a b", "c")]));
        for bad in [r#"["a b c"]"#, r#"["ab"]"#, r#"["a  b"]"#, r#"[""]"#] {
            assert!(read(bad).unwrap().bad_line, "{bad}");
        }
        assert_eq!(read("[]").unwrap(), Merges::default());
        for not_merges in [r#"[["a"]]"#, r#"[["a", "b", "c"]]"#, "[1]", r#"{"a": 1}"#] {
            assert!(read(not_merges).is_err(), "{not_merges}");
        }
    }
}
