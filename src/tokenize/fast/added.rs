//! Added tokens (such as `<|endoftext|>`): found in the text and split out before
//! pre-tokenization, exactly as HF's `AddedVocabulary` does.
//!
//! HF matches leftmost-longest with a daachorse automaton: first the tokens marked
//! `normalized: false` over the whole (raw) text, then it normalizes each remaining gap and
//! finds the others in the normalized gap, and applies `single_word`, `lstrip` and `rstrip`
//! per match. This module does the same, with the same automaton, or with `memchr` and a
//! direct comparison when the tokens start with at most three distinct bytes. Ids are
//! assigned the way HF does on load (the `id` written in the file is ignored there too).

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

/// Finds the leftmost-longest added token from a position of a text.
enum Finder {
    /// The general case: HF's automaton.
    Automaton(DoubleArrayAhoCorasick<u32>),
    /// Tokens that all start with one of at most three bytes (GPT-2's one `<|endoftext|>`):
    /// `memchr` skips to each place one could start and the tokens are tried there, longest
    /// first. The automaton walked every byte of every text (5% of a run's instructions).
    Few {
        first_bytes: Vec<u8>,
        /// Content and id, longest first.
        tokens: Vec<(String, u32)>,
    },
}

/// At most this many tokens are tried one by one at each candidate position.
const FEW_TOKENS: usize = 16;

impl Finder {
    fn new(mut patterns: Vec<(String, u32)>) -> Result<Finder, Misfit> {
        let mut first_bytes: Vec<u8> = patterns
            .iter()
            .filter_map(|(p, _)| p.as_bytes().first().copied())
            .collect();
        first_bytes.sort_unstable();
        first_bytes.dedup();
        let none_empty = patterns.iter().all(|(p, _)| !p.is_empty());
        if none_empty && first_bytes.len() <= 3 && patterns.len() <= FEW_TOKENS {
            patterns.sort_by_key(|(content, _)| std::cmp::Reverse(content.len()));
            return Ok(Finder::Few {
                first_bytes,
                tokens: patterns,
            });
        }
        DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(patterns)
            .map(Finder::Automaton)
            .map_err(|e| Misfit(format!("its added tokens do not build: {e}")))
    }

    /// The leftmost-longest match in `text` starting at or after `from`, as
    /// `(start, end, id)`: what the automaton's leftmost iterator gives next.
    fn find(&self, text: &str, from: usize) -> Option<(usize, usize, u32)> {
        match self {
            Finder::Automaton(automaton) => {
                let found = automaton.leftmost_find_iter(&text[from..]).next()?;
                Some((from + found.start(), from + found.end(), found.value()))
            }
            Finder::Few {
                first_bytes,
                tokens,
            } => {
                let bytes = text.as_bytes();
                let mut at = from;
                loop {
                    let rest = &bytes[at..];
                    let start = at
                        + match first_bytes[..] {
                            [a] => memchr::memchr(a, rest),
                            [a, b] => memchr::memchr2(a, b, rest),
                            [a, b, c] => memchr::memchr3(a, b, c, rest),
                            _ => None,
                        }?;
                    let mut here = tokens.iter();
                    if let Some((content, id)) =
                        here.find(|(content, _)| bytes[start..].starts_with(content.as_bytes()))
                    {
                        return Some((start, start + content.len(), *id));
                    }
                    at = start + 1;
                }
            }
        }
    }
}

/// The added tokens of one tokenizer and the finders that find them.
pub struct AddedTokens {
    raw: Option<Finder>,
    normalized: Option<Finder>,
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
            Finder::new(patterns).map(Some)
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
        finder: Option<&Finder>,
        emit: &mut impl FnMut(Segment<'a>),
    ) {
        let Some(finder) = finder else {
            emit_text(sentence, 0, sentence.len(), emit);
            return;
        };
        let mut start_offset = 0;
        // Matches do not overlap: each search starts where the last match ended, used or not.
        let mut search_from = 0;
        while let Some((mut start, mut stop, id)) = finder.find(sentence, search_from) {
            search_from = stop;
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
