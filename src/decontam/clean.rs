//! Pass 2: cut task n-grams out of a document the way `filter_ngrams.py` does.
//!
//! At the leftmost match (at one start word, the longest n-gram length first, then the
//! others ascending), the text from `remove_char_each_side` characters before the match,
//! walked left to the previous `.`, `!` or `?`, to `remove_char_each_side` characters after
//! it, walked right to the next one, is removed. The left part (up to and including its
//! punctuation) is kept if longer than `filter_text_char_len` characters; the right part
//! (after its punctuation) is scanned again if it is that long, and dropped otherwise. A
//! document that ends in more than `splits_count` pieces is dropped.
//!
//! Differences from the script, on purpose:
//! - The match ends where its last word ends. The script takes `start + len(" ".join(words))`,
//!   which falls short of the real end when the words are separated by more than one
//!   character (`", "`, line breaks), so its right piece can begin inside the n-gram.
//! - Every start word is tried for every length. The script tries shorter lengths near the
//!   end of a piece in another order and not at all in pieces of 13 words or fewer.

use super::index::DocWords;
use super::tasks::{NgramId, TaskId, TaskNgrams};
use super::{NgramCounts, TaskStats};
use std::ops::Range;

/// A task n-gram found in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Which n-gram.
    pub id: NgramId,
    /// Bytes of the document from the first word's start to the last word's end.
    pub span: Range<usize>,
}

/// What happened to a document, named after the script's log counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No task n-gram: kept whole.
    Clean,
    /// One piece kept, shorter than the document ("trimmed").
    Trimmed,
    /// Two to `splits_count` pieces kept ("splitted").
    Split,
    /// Matched, and no piece was long enough: nothing kept ("ignored").
    DroppedShort,
    /// More than `splits_count` pieces: nothing kept ("splits > threshold").
    DroppedSplits,
}

/// The result of cleaning one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanOutcome {
    /// Byte ranges of the document to keep, in order, each a separate training document.
    /// Empty when the document is dropped; `[0..len]` when it is clean.
    pub pieces: Vec<Range<usize>>,
    /// Pieces there were before the `splits_count` rule (so `pieces.len()` unless dropped).
    pub n_pieces: usize,
    /// The n-grams cut out, in text order.
    pub hits: Vec<Hit>,
    /// The tasks whose examples gave those n-grams, ascending.
    pub tasks: Vec<TaskId>,
    /// What happened to the document.
    pub verdict: Verdict,
}

/// The pass-2 cleaner: the task n-grams found in fewer than `key_threshold` documents.
pub struct Decontaminator {
    /// The task n-grams; their index holds the active n-grams only.
    tasks: TaskNgrams,
    /// N-grams found in `key_threshold` documents or more, with their document counts.
    ignored: Vec<(NgramId, u32)>,
    /// Indices of the index's tables in the order the script tries them at one position.
    try_order: Vec<usize>,
}

impl Decontaminator {
    pub(crate) fn new(mut tasks: TaskNgrams, counts: &NgramCounts) -> Decontaminator {
        let threshold = tasks.params.key_threshold;
        let ignored: Vec<(NgramId, u32)> = (0..tasks.len())
            .map(|i| NgramId(i as u32))
            .map(|id| (id, counts.get(id)))
            .filter(|&(_, n_docs)| n_docs >= threshold)
            .collect();
        tasks.index = tasks.index.retained(|id| counts.get(id) < threshold);
        let n_tables = tasks.index.tables().len();
        // The longest length first, then the others ascending (the script's order).
        let try_order = (0..n_tables)
            .rev()
            .take(1)
            .chain(0..n_tables.saturating_sub(1));
        Decontaminator {
            tasks,
            ignored,
            try_order: try_order.collect(),
        }
    }

    /// The task n-grams, for names and sources. Their [`TaskNgrams::matches`] now sees the
    /// active n-grams only.
    pub fn tasks(&self) -> &TaskNgrams {
        &self.tasks
    }

    /// What building the task n-grams found.
    pub fn stats(&self) -> TaskStats {
        self.tasks.stats()
    }

    /// The n-grams ignored as common (found in `key_threshold` documents or more), with
    /// their document counts, ascending by id.
    pub fn ignored(&self) -> &[(NgramId, u32)] {
        &self.ignored
    }

    /// The leftmost active n-gram starting at word `from` or later: `(first word, words, id)`.
    fn first_match(&self, doc: &DocWords, from: usize) -> Option<(usize, usize, NgramId)> {
        let tables = self.tasks.index.tables();
        for start in from..doc.words.len() {
            for &t in &self.try_order {
                let table = &tables[t];
                if start + table.n > doc.words.len() {
                    continue;
                }
                let is_it = |id| doc.window_eq(start, self.tasks.ngram(id));
                if let Some(id) = table.lookup(doc.window_hash(start, table), is_it) {
                    return Some((start, table.n, id));
                }
            }
        }
        None
    }

    /// Pass 2: the pieces of `text` to keep, and why.
    pub fn clean(&self, text: &str) -> CleanOutcome {
        let params = &self.tasks.params;
        let (margin, min_len) = (params.remove_char_each_side, params.filter_text_char_len);
        let doc = DocWords::new(text);
        let mut pieces = Vec::new();
        let mut hits = Vec::new();
        let (mut piece_start, mut from_word) = (0, 0);
        loop {
            let Some((first, n, id)) = self.first_match(&doc, from_word) else {
                pieces.push(piece_start..text.len());
                break;
            };
            let span = doc.words[first].start..doc.words[first + n - 1].end;
            if let Some(cut) = left_cut(&text[piece_start..span.start], margin) {
                let left = piece_start..piece_start + cut;
                if text[left.clone()].chars().count() > min_len {
                    pieces.push(left);
                }
            }
            let right = right_cut(&text[span.end..], margin).map(|cut| span.end + cut);
            hits.push(Hit { id, span });
            match right {
                Some(start) if text[start..].chars().count() > min_len => {
                    piece_start = start;
                    from_word = doc.words.partition_point(|w| w.start < start);
                }
                _ => break,
            }
        }
        self.outcome(text, pieces, hits)
    }

    fn outcome(&self, text: &str, mut pieces: Vec<Range<usize>>, hits: Vec<Hit>) -> CleanOutcome {
        let n_pieces = pieces.len();
        let verdict = match n_pieces {
            _ if hits.is_empty() => Verdict::Clean,
            0 => Verdict::DroppedShort,
            1 if pieces[0].len() < text.len() => Verdict::Trimmed,
            n if n > self.tasks.params.splits_count => Verdict::DroppedSplits,
            _ => Verdict::Split,
        };
        if verdict == Verdict::DroppedSplits {
            pieces.clear();
        }
        let mut tasks: Vec<TaskId> = hits
            .iter()
            .flat_map(|hit| self.tasks.sources(hit.id).map(|(task, _)| task))
            .collect();
        tasks.sort_unstable();
        tasks.dedup();
        CleanOutcome {
            pieces,
            n_pieces,
            hits,
            tasks,
            verdict,
        }
    }
}

fn is_sentence_end(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?')
}

/// Where the left piece ends, as a byte length of `before` (the piece's text up to the
/// match): just past the last `.`, `!` or `?` that is `margin` characters or more before the
/// match and not the piece's first character. `None` when there is no such punctuation.
fn left_cut(before: &str, margin: usize) -> Option<usize> {
    let region_end = match margin {
        0 => before.len(),
        _ => {
            let (at, c) = before.char_indices().rev().nth(margin - 1)?;
            at + c.len_utf8()
        }
    };
    // Punctuation is ASCII, so a byte search cannot land inside a character.
    let bytes = before.as_bytes().get(1..region_end)?;
    bytes
        .iter()
        .rposition(|&b| is_sentence_end(b))
        .map(|i| i + 2)
}

/// Where the right piece starts, as a byte offset into `after` (the text after the match):
/// just past the first `.`, `!` or `?` that is `margin` characters or more after the match.
/// `None` when there is none, or nothing follows it.
fn right_cut(after: &str, margin: usize) -> Option<usize> {
    let (from, _) = after.char_indices().nth(margin)?;
    let at = from
        + after.as_bytes()[from..]
            .iter()
            .position(|&b| is_sentence_end(b))?;
    (at + 1 < after.len()).then_some(at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `left_cut` of `before` and `right_cut` of `after` with `margin`.
    fn check(margin: usize, before: &str, after: &str, expected: (Option<usize>, Option<usize>)) {
        let got = (left_cut(before, margin), right_cut(after, margin));
        assert_eq!(got, expected, "margin {margin}: {before:?} / {after:?}");
    }

    #[test]
    fn cuts_walk_to_sentence_punctuation() {
        let cases = [
            // Expected values from the script's `split_text` on `before + "xx" + after`.
            (3, "Ab. Cd! ef ", " gh? ij. k", (Some(7), Some(4))),
            (0, "Ab. Cd! ef ", " gh? ij. k", (Some(7), Some(4))),
            (8, "Ab. Cd! ef ", " gh? ij. k", (Some(3), None)),
            // Punctuation at index 0 does not count; nor does a margin past the start.
            (2, ". abc ", "", (None, None)),
            (20, "Ab. Cd! ef ", "", (None, None)),
            // Nothing after the last punctuation: no right piece.
            (1, "", " ab.", (None, None)),
            // Characters, not bytes: "é" is one character of two bytes.
            (2, "a. éé ", " éé. b", (Some(2), Some(6))),
        ];
        for (margin, before, after, expected) in cases {
            check(margin, before, after, expected);
        }
    }
}
