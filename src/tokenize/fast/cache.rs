//! A per-thread memory of the ids of short pre-tokens that are not a single token, as HF's
//! BPE keeps a word cache: real text repeats its multi-token words ("tokenizer", " 1990s"),
//! and a lookup costs a fraction of merging the word again. Results do not depend on it.
//!
//! The memory is bounded (it is emptied when full) and belongs to one encoder: a thread that
//! encodes with another one (the tests and the benchmark do) starts from an empty memory.

use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Pre-tokens remembered before the memory is emptied.
const MAX_ENTRIES: usize = 1 << 15;

/// Ids handed out to encoders, so that a thread's memory knows whose ids it holds.
static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

/// A fresh owner id for an encoder.
pub fn new_owner() -> u64 {
    NEXT_OWNER.fetch_add(1, Ordering::Relaxed)
}

/// Short pre-tokens (by their packed key, see `whole::inline_key`) to their ids.
#[derive(Default)]
pub struct PieceCache {
    owner: u64,
    /// Key to `(start, len)` in `ids`.
    spans: FxHashMap<u128, (u32, u32)>,
    ids: Vec<u32>,
}

impl PieceCache {
    /// Makes this the memory of encoder `owner`, emptying it if it held another's ids.
    pub fn claim(&mut self, owner: u64) {
        if self.owner != owner {
            self.clear();
            self.owner = owner;
        }
    }

    /// The ids remembered for `key`.
    #[inline]
    pub fn get(&self, key: u128) -> Option<&[u32]> {
        let &(start, len) = self.spans.get(&key)?;
        self.ids.get(start as usize..(start + len) as usize)
    }

    /// Remembers `ids` for `key`.
    pub fn insert(&mut self, key: u128, ids: &[u32]) {
        if self.spans.len() >= MAX_ENTRIES {
            self.clear();
        }
        let span = (self.ids.len() as u32, ids.len() as u32);
        self.ids.extend_from_slice(ids);
        self.spans.insert(key, span);
    }

    fn clear(&mut self) {
        self.spans.clear();
        self.ids.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_per_owner_and_empties_when_full() {
        let mut cache = PieceCache::default();
        cache.claim(1);
        cache.insert(7, &[1, 2, 3]);
        assert_eq!(cache.get(7), Some(&[1, 2, 3][..]));
        assert_eq!(cache.get(8), None);
        cache.claim(1);
        assert_eq!(cache.get(7), Some(&[1, 2, 3][..]));
        cache.claim(2);
        assert_eq!(cache.get(7), None, "another encoder's ids");
        for key in 0..MAX_ENTRIES as u128 + 1 {
            cache.insert(key, &[key as u32]);
        }
        assert!(cache.spans.len() <= MAX_ENTRIES);
        assert_eq!(
            cache.get(MAX_ENTRIES as u128),
            Some(&[MAX_ENTRIES as u32][..])
        );
    }
}
