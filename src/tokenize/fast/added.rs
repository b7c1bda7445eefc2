//! Added tokens (such as `<|endoftext|>`): found in the text and split out before
//! pre-tokenization, exactly as HF's `AddedVocabulary` does.
//!
//! HF matches leftmost-longest with a daachorse automaton, first the tokens marked
//! `normalized: false` over the whole (raw) text, then normalizes each remaining gap, then
//! finds the others in the normalized gap, and applies `single_word`, `lstrip` and `rstrip` per match. Ids are assigned the way HF does on
//! load (the `id` written in the file is ignored there too).

use super::config::{AddedTokenSpec, Misfit, Vocab};
use super::normalize::Normalizer;
use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};
use regex::Regex;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};

/// A stretch of the input: an added token's id, or text to pre-tokenize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Token(u32),
    Text(&'a str),
}

/// The added tokens of one tokenizer and the automata that find them.
pub struct AddedTokens {
    raw: Option<DoubleArrayAhoCorasick<u32>>,
    normalized: Option<DoubleArrayAhoCorasick<u32>>,
    by_id: FxHashMap<u32, AddedTokenSpec>,
    /// Each added token's content and id (what HF's `token_to_id` looks up first).
    by_content: HashMap<String, u32>,
    /// Added tokens whose content is not in the model vocabulary (they widen it).
    beyond_vocab: usize,
    word_char: Regex,
}

impl AddedTokens {
    /// Assigns ids as HF's `add_tokens` does and builds the automata.
    /// The `normalized: true` tokens are looked for in their normalized form, as HF does.
    pub fn new(
        specs: &[AddedTokenSpec],
        vocab: &Vocab,
        normalizer: Normalizer,
    ) -> Result<Self, Misfit> {
        let mut by_content: HashMap<&str, u32> = HashMap::new();
        let mut by_id: BTreeMap<u32, AddedTokenSpec> = BTreeMap::new();
        let mut next_id = vocab.len() as u32;
        for spec in specs.iter().filter(|s| !s.content.is_empty()) {
            let known = by_content.get(spec.content.as_str()).copied();
            if known.is_some_and(|id| by_id.get(&id) == Some(spec)) {
                continue;
            }
            let id = known
                .or_else(|| vocab.get(&spec.content).copied())
                .unwrap_or_else(|| {
                    next_id += 1;
                    next_id - 1
                });
            by_content.insert(&spec.content, id);
            by_id.insert(id, spec.clone());
        }
        let automaton = |normalized: bool| {
            let patterns: Vec<(String, u32)> = by_id
                .iter()
                .filter(|(_, spec)| spec.normalized == normalized)
                .map(|(&id, spec)| match normalized {
                    true => (normalizer.apply(&spec.content).into_owned(), id),
                    false => (spec.content.clone(), id),
                })
                .collect();
            if patterns.is_empty() {
                return Ok(None);
            }
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(patterns)
                .map(Some)
                .map_err(|e| Misfit(format!("its added tokens do not build: {e}")))
        };
        let beyond_vocab = by_content
            .keys()
            .filter(|c| !vocab.contains_key(**c))
            .count();
        let by_content = by_content
            .into_iter()
            .map(|(c, id)| (c.to_owned(), id))
            .collect();
        Ok(AddedTokens {
            raw: automaton(false)?,
            normalized: automaton(true)?,
            by_id: by_id.into_iter().collect(),
            by_content,
            beyond_vocab,
            word_char: Regex::new(r"^\w$").map_err(|e| Misfit(e.to_string()))?,
        })
    }

    /// The id of an added token with this content, if there is one.
    pub fn id_of(&self, content: &str) -> Option<u32> {
        self.by_content.get(content).copied()
    }

    /// How many added tokens are not in the model vocabulary.
    pub fn beyond_vocab(&self) -> usize {
        self.beyond_vocab
    }

    /// Calls `emit` with the segments of `text` in order; empty text segments are skipped.
    /// Text segments come out normalized by `normalizer`.
    pub fn split(&self, text: &str, normalizer: Normalizer, emit: &mut impl FnMut(Segment<'_>)) {
        self.find_matches(text, self.raw.as_ref(), &mut |segment| match segment {
            Segment::Text(gap) => {
                let gap = normalizer.apply(gap);
                self.find_matches(&gap, self.normalized.as_ref(), emit);
            }
            token => emit(token),
        });
    }

    /// A port of HF's `find_matches` for one sentence and one automaton.
    fn find_matches<'a>(
        &self,
        sentence: &'a str,
        automaton: Option<&DoubleArrayAhoCorasick<u32>>,
        emit: &mut impl FnMut(Segment<'a>),
    ) {
        let Some(automaton) = automaton else {
            emit_text(sentence, 0, sentence.len(), emit);
            return;
        };
        let mut start_offset = 0;
        for found in automaton.leftmost_find_iter(sentence) {
            let (mut start, mut stop, id) = (found.start(), found.end(), found.value());
            let Some(spec) = self.by_id.get(&id) else {
                continue;
            };
            if spec.single_word {
                let before = sentence[..start].chars().next_back();
                let after = sentence[stop..].chars().next();
                if before.is_some_and(|c| self.is_word_char(c))
                    || after.is_some_and(|c| self.is_word_char(c))
                {
                    continue;
                }
            }
            if spec.lstrip {
                let trimmed = sentence[..start]
                    .trim_end_matches(char::is_whitespace)
                    .len();
                // Spaces that the previous match already took stay with it.
                start = trimmed.max(start_offset);
            }
            if spec.rstrip {
                let rest = &sentence[stop..];
                stop += rest.len() - rest.trim_start_matches(char::is_whitespace).len();
            }
            if start_offset < start {
                emit_text(sentence, start_offset, start, emit);
            }
            emit(Segment::Token(id));
            start_offset = stop;
        }
        emit_text(sentence, start_offset, sentence.len(), emit);
    }

    /// `\w` as the `regex` crate (and so HF) defines it.
    fn is_word_char(&self, c: char) -> bool {
        self.word_char.is_match(c.encode_utf8(&mut [0; 4]))
    }
}

fn emit_text<'a>(sentence: &'a str, from: usize, to: usize, emit: &mut impl FnMut(Segment<'a>)) {
    if let Some(gap) = sentence.get(from..to).filter(|gap| !gap.is_empty()) {
        emit(Segment::Text(gap));
    }
}
