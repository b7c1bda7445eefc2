//! The BPE core: one stretch of normalized text into ids, with HF's symbols and merge order.
//!
//! Symbols are made as HF's `merge_word` makes them: each character's own token; else, with
//! byte fallback, its UTF-8 bytes as `<0xXX>` tokens when all exist; else the unknown token
//! (consecutive ones fused into one with `fuse_unk`; a pending unknown token is only written
//! before the next character found in the vocabulary, or at the end, as HF does). Then the
//! adjacent pair whose merge comes first in the file is merged, leftmost on ties, until none
//! is left: a short stretch rescans an array of pair ranks, a long one pops a heap of
//! `(rank, position)` over a linked list of symbols, time about linear in its length.

use super::config::{Misfit, Vocab};
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Stretches of up to this many symbols take the rescanning path.
const SHORT: usize = 48;
const NONE: u32 = u32::MAX;
const NO_MERGE: u64 = u64::MAX;

/// Symbol and merge tables built from a vocabulary and its merges.
pub struct Merger {
    ascii: [u32; 128],
    chars: FxHashMap<char, u32>,
    /// Byte-fallback `<0xXX>` ids (`NONE` where missing, all `NONE` without byte fallback).
    bytes: [u32; 256],
    unk: Option<u32>,
    fuse_unk: bool,
    /// `left << 32 | right` to `rank << 32 | merged`.
    pairs: FxHashMap<u64, u64>,
}

/// Buffers reused across stretches.
#[derive(Default)]
pub struct MergeScratch {
    ids: Vec<u32>,
    ranks: Vec<u64>,
    symbols: Vec<Symbol>,
    heap: BinaryHeap<Reverse<u64>>,
}

impl MergeScratch {
    const KEEP: usize = 1 << 16;

    /// Frees buffers that one giant stretch grew, so a thread does not keep them.
    pub fn release_large(&mut self) {
        if self.ids.capacity().max(self.symbols.capacity()) > Self::KEEP {
            *self = MergeScratch::default();
        }
    }
}

impl Merger {
    /// Builds the tables; a merge naming a token missing from the vocabulary is a misfit
    /// (HF refuses such a file, and says so when the caller falls back to it).
    pub fn new(
        vocab: &Vocab,
        merges: &[(String, String)],
        unk_token: Option<&str>,
        fuse_unk: bool,
        byte_fallback: bool,
    ) -> Result<Merger, Misfit> {
        let misfit = |reason: &str| Err(Misfit(reason.to_string()));
        let mut ids: Vec<u32> = vocab.values().copied().collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return misfit("two tokens of its vocabulary share an id");
        }
        let unk = match unk_token {
            None => None,
            Some(token) => match vocab.get(token) {
                Some(&id) => Some(id),
                None => return misfit("its unk_token is not in its vocabulary"),
            },
        };
        let mut ascii = [NONE; 128];
        let mut chars = FxHashMap::default();
        for (token, &id) in vocab {
            let mut it = token.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                match ascii.get_mut(c as usize) {
                    Some(slot) => *slot = id,
                    None => {
                        chars.insert(c, id);
                    }
                }
            }
        }
        let mut bytes = [NONE; 256];
        if byte_fallback {
            for (b, slot) in bytes.iter_mut().enumerate() {
                *slot = vocab.get(&format!("<{b:#04X}>")).copied().unwrap_or(NONE);
            }
        }
        let mut pairs = FxHashMap::default();
        pairs.reserve(merges.len());
        let mut joined = String::new();
        for (rank, (a, b)) in merges.iter().enumerate() {
            joined.clear();
            joined.push_str(a);
            joined.push_str(b);
            let (Some(&left), Some(&right), Some(&merged)) =
                (vocab.get(a), vocab.get(b), vocab.get(&joined))
            else {
                return misfit("a merge names a token missing from its vocabulary");
            };
            // Like HF's map, a repeated pair keeps its last rank.
            pairs.insert(key(left, right), (rank as u64) << 32 | u64::from(merged));
        }
        Ok(Merger {
            ascii,
            chars,
            bytes,
            unk,
            fuse_unk,
            pairs,
        })
    }

    /// Appends the ids of one stretch of normalized text to `out`.
    pub fn encode(&self, text: &str, out: &mut Vec<u32>, scratch: &mut MergeScratch) {
        self.symbols(text, &mut scratch.ids);
        if scratch.ids.len() <= SHORT {
            self.merge_short(scratch);
        } else {
            self.merge_long(scratch);
        }
        out.extend_from_slice(&scratch.ids);
    }

    fn symbol_of(&self, c: char) -> u32 {
        match self.ascii.get(c as usize) {
            Some(&id) => id,
            None => self.chars.get(&c).copied().unwrap_or(NONE),
        }
    }

    /// HF's initial symbols of `text` into `ids`.
    fn symbols(&self, text: &str, ids: &mut Vec<u32>) {
        ids.clear();
        let mut unk_pending = false;
        for c in text.chars() {
            let id = self.symbol_of(c);
            if id != NONE {
                if unk_pending {
                    ids.extend(self.unk);
                    unk_pending = false;
                }
                ids.push(id);
                continue;
            }
            let mut buf = [0; 4];
            let utf8 = c.encode_utf8(&mut buf).as_bytes();
            if utf8.iter().all(|&b| self.bytes[usize::from(b)] != NONE) {
                ids.extend(utf8.iter().map(|&b| self.bytes[usize::from(b)]));
                continue;
            }
            if self.unk.is_some() {
                if unk_pending && !self.fuse_unk {
                    ids.extend(self.unk);
                }
                unk_pending = true;
            }
        }
        if unk_pending {
            ids.extend(self.unk);
        }
    }

    fn pair(&self, left: u32, right: u32) -> u64 {
        self.pairs
            .get(&key(left, right))
            .copied()
            .unwrap_or(NO_MERGE)
    }

    fn merge_short(&self, scratch: &mut MergeScratch) {
        let MergeScratch { ids, ranks, .. } = scratch;
        ranks.clear();
        ranks.extend(ids.windows(2).map(|w| self.pair(w[0], w[1])));
        // Ranks are unique per pair, so comparing `rank << 32 | merged` compares ranks, and
        // `min_by_key` returns the leftmost of equal minima.
        while let Some((i, &best)) = ranks.iter().enumerate().min_by_key(|&(_, r)| *r) {
            if best == NO_MERGE {
                break;
            }
            ids[i] = best as u32;
            ids.remove(i + 1);
            ranks.remove(i);
            if i > 0 {
                ranks[i - 1] = self.pair(ids[i - 1], ids[i]);
            }
            if i < ranks.len() {
                ranks[i] = self.pair(ids[i], ids[i + 1]);
            }
        }
    }

    fn merge_long(&self, scratch: &mut MergeScratch) {
        let MergeScratch {
            ids, symbols, heap, ..
        } = scratch;
        assert!(
            ids.len() < NONE as usize,
            "a stretch of 4 Gi symbols or more"
        );
        let n = ids.len() as u32;
        symbols.clear();
        symbols.extend((0..n).zip(ids.iter()).map(|(i, &id)| Symbol {
            id,
            prev: i.wrapping_sub(1),
            next: i + 1,
        }));
        heap.clear();
        for left in 0..n.saturating_sub(1) {
            heap.extend(self.entry(symbols, left, left + 1));
        }
        while let Some(Reverse(entry)) = heap.pop() {
            let pos = entry as u32;
            let Symbol { id, prev, next } = symbols[pos as usize];
            // Stale entries: the left symbol was merged away, is last, or the pair changed
            // (a changed pair always has another rank).
            if id == NONE || next >= n {
                continue;
            }
            let right = symbols[next as usize];
            let merge = self.pair(id, right.id);
            if merge >> 32 != entry >> 32 {
                continue;
            }
            symbols[pos as usize].id = merge as u32;
            symbols[pos as usize].next = right.next;
            symbols[next as usize].id = NONE;
            if right.next < n {
                symbols[right.next as usize].prev = pos;
                heap.extend(self.entry(symbols, pos, right.next));
            }
            if prev != NONE {
                heap.extend(self.entry(symbols, prev, pos));
            }
        }
        ids.clear();
        let mut i = 0;
        while i < n {
            ids.push(symbols[i as usize].id);
            i = symbols[i as usize].next;
        }
    }

    /// The heap entry `rank << 32 | left` of a pair, if it has a merge.
    fn entry(&self, symbols: &[Symbol], left: u32, right: u32) -> Option<Reverse<u64>> {
        let merge = self.pair(symbols[left as usize].id, symbols[right as usize].id);
        (merge != NO_MERGE).then_some(Reverse((merge >> 32) << 32 | u64::from(left)))
    }

    /// The id of a character's own token.
    pub fn char_id(&self, c: char) -> Option<u32> {
        Some(self.symbol_of(c)).filter(|&id| id != NONE)
    }

    /// The byte-fallback token of a byte.
    pub fn byte_id(&self, b: u8) -> Option<u32> {
        Some(self.bytes[usize::from(b)]).filter(|&id| id != NONE)
    }

    /// Whether a character outside the vocabulary can become the unknown token.
    pub fn has_unk(&self) -> bool {
        self.unk.is_some()
    }

    /// Whether byte fallback covers every byte (no character is ever unknown).
    pub fn has_all_bytes(&self) -> bool {
        self.bytes.iter().all(|&id| id != NONE)
    }

    /// Every token that is the left or right side of a merge.
    pub fn merge_sides(&self) -> impl Iterator<Item = u32> + '_ {
        self.pairs
            .keys()
            .flat_map(|&pair| [(pair >> 32) as u32, pair as u32])
    }
}

/// A symbol of a long stretch: its id (`NONE` once merged away) and its live neighbours.
#[derive(Clone, Copy)]
struct Symbol {
    id: u32,
    prev: u32,
    next: u32,
}

fn key(left: u32, right: u32) -> u64 {
    u64::from(left) << 32 | u64::from(right)
}
