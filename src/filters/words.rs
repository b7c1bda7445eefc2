//! The word splitter: an allocation-free approximation of spaCy's English tokenizer, which
//! datatrove uses for the Gopher rules. Words are `&str` slices of the document text.
//!
//! Like spaCy, it splits on whitespace, then peels prefixes (opening punctuation, quotes,
//! currency) and suffixes (closing punctuation, quotes, `'s`, `n't`, a sentence period) off
//! each chunk, then splits the rest at infixes (hyphens and slashes between letters, ellipses).
//! The differences from spaCy are listed in `filters/README.md`.

use super::affixes::{dot_run, is_icon, prefix_len, suffix_len};
use super::word_stats::WordStats;
use crate::swar;

/// Appends the words of `text` to `words`, in order, as slices of `text`, and counts them
/// into `stats`.
pub fn split_words<'a>(text: &'a str, words: &mut Vec<&'a str>, stats: &mut WordStats) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    // Whether every byte of the current chunk so far is ASCII alphanumeric: such a chunk is
    // one word, known without a second look at its bytes. `alphabetic`: one of them is a
    // letter. `other`: where the first byte that is not came (valid when `!plain`).
    let (mut plain, mut alphabetic, mut other) = (true, false, 0);
    // A hand-rolled `split_whitespace`: ASCII bytes are classified without decoding.
    while i < bytes.len() {
        // Runs of ASCII letters and digits, most of any text, eight bytes a step.
        if i + 8 <= bytes.len() {
            let x = swar::load(bytes, i);
            let (alnum, letters) = swar::alnum_and_letters(x);
            let run = swar::bytes_before((!alnum | x) & swar::HIGHS);
            alphabetic |= swar::first_bytes(letters, run) != 0;
            i += run;
            if run == 8 {
                continue;
            }
        }
        let b = bytes[i];
        let len = if b.is_ascii_alphanumeric() {
            // Letters sort after digits in ASCII.
            alphabetic |= b > b'9';
            i += 1;
            continue;
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            1
        } else if b < 0x80 {
            if plain {
                (plain, other) = (false, i);
            }
            i += 1;
            continue;
        } else {
            match text[i..].chars().next() {
                Some(c) if c.is_whitespace() => c.len_utf8(),
                Some(c) => {
                    if plain {
                        (plain, other) = (false, i);
                    }
                    i += c.len_utf8();
                    continue;
                }
                None => break,
            }
        };
        // Most chunks are one plain word: pushed here, without a call.
        if plain {
            if start < i {
                words.push(&text[start..i]);
                stats.add_plain(i - start, alphabetic);
            }
        } else {
            push_chunk(&text[start..i], other - start, alphabetic, words, stats);
        }
        i += len;
        start = i;
        (plain, alphabetic) = (true, false);
    }
    if plain {
        if start < text.len() {
            words.push(&text[start..]);
            stats.add_plain(text.len() - start, alphabetic);
        }
    } else {
        push_chunk(&text[start..], other - start, alphabetic, words, stats);
    }
}

/// Splits a chunk that is not one plain word: its bytes before `other` are ASCII letters and
/// digits, the one at `other` is not; `alphabetic`: the chunk's letters and digits include a
/// letter.
#[inline(never)]
fn push_chunk<'a>(
    chunk: &'a str,
    other: usize,
    alphabetic: bool,
    words: &mut Vec<&'a str>,
    stats: &mut WordStats,
) {
    // The next most common chunk: a plain word and one closing mark (`word,` `word.`), where
    // the mark is a suffix of its own; `J.` and `aB.` keep their period (abbreviations).
    let bytes = chunk.as_bytes();
    if other > 0 && other + 1 == bytes.len() {
        let (head, last) = (&bytes[..other], bytes[other]);
        let splits = match last {
            b',' | b';' | b':' | b'!' | b'?' => true,
            b'.' => !head[other - 1].is_ascii_uppercase(),
            _ => false,
        };
        if splits {
            words.push(&chunk[..other]);
            // The mark is the only byte after `head`: the chunk's letters are the head's.
            stats.add_plain(other, alphabetic);
            words.push(&chunk[other..]);
            stats.add(&chunk[other..]);
            return;
        }
    }
    let first = words.len();
    split_chunk(chunk, words);
    for word in &words[first..] {
        stats.add(word);
    }
}

/// At most this many suffixes are peeled off one chunk; the rest stays in the word.
const MAX_SUFFIXES: usize = 16;

fn split_chunk<'a>(chunk: &'a str, words: &mut Vec<&'a str>) {
    let mut core = chunk;
    while let Some(len) = prefix_len(core) {
        words.push(&core[..len]);
        core = &core[len..];
    }
    // Suffixes come off the end but are emitted in text order: remember their lengths.
    let mut suffix_lens = [0u8; MAX_SUFFIXES];
    let mut n_suffixes = 0;
    let mut end = core.len();
    while n_suffixes < MAX_SUFFIXES {
        let Some(len) = suffix_len(&core[..end]) else {
            break;
        };
        suffix_lens[n_suffixes] = len as u8;
        n_suffixes += 1;
        end -= len;
    }
    split_infixes(&core[..end], words);
    for &len in suffix_lens[..n_suffixes].iter().rev() {
        let len = usize::from(len);
        words.push(&core[end..end + len]);
        end += len;
    }
}

/// Length of an infix starting at byte `i` of `word` (0 when there is none).
fn infix_len(word: &str, i: usize, c: char, prev: Option<char>) -> usize {
    let Some(prev) = prev else { return 0 };
    if is_icon(c) {
        return c.len_utf8();
    }
    let len = match c {
        '.' => dot_run(&word[i..]).max(1),
        '-' => word[i..].bytes().take_while(|&b| b == b'-').count(),
        _ => c.len_utf8(),
    };
    let Some(next) = word[i + len..].chars().next() else {
        return 0;
    };
    let split = match c {
        '…' => true,
        '.' => len >= 2 || (prev.is_lowercase() && next.is_uppercase()),
        '-' | '–' | '—' | '~' => {
            (prev.is_alphanumeric() && next.is_alphabetic())
                || (len == 1 && prev.is_ascii_digit() && next.is_ascii_digit())
        }
        '+' | '*' | '^' => prev.is_ascii_digit() && next.is_ascii_digit(),
        ':' | '<' | '>' | '=' | '/' => prev.is_alphanumeric() && next.is_alphabetic(),
        ',' => prev.is_alphabetic() && next.is_alphabetic(),
        _ => false,
    };
    if split { len } else { 0 }
}

/// Whether `word` starts like a URL: `www.`, or `scheme://` where, as in spaCy's
/// `URL_PATTERN`, the scheme is two or more word characters, `+`, `-` or `.` (so
/// `end.http://x` is a URL and `href="http://x` is not).
fn is_url(word: &str) -> bool {
    let colon = word.bytes().position(|b| b == b':');
    let scheme = colon
        .filter(|&end| word[end..].starts_with("://"))
        .map(|end| &word[..end]);
    let scheme_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '+' | '-' | '.');
    word.starts_with("www.") || scheme.is_some_and(|s| s.len() >= 2 && s.chars().all(scheme_char))
}

fn split_infixes<'a>(word: &'a str, words: &mut Vec<&'a str>) {
    if is_url(word) {
        // URLs stay whole, as with spaCy's `url_match`.
        words.push(word);
        return;
    }
    let bytes = word.as_bytes();
    let (mut start, mut i, mut prev) = (0, 0, None);
    while i < word.len() {
        if bytes[i].is_ascii_alphanumeric() {
            prev = Some(char::from(bytes[i]));
            i += 1;
            continue;
        }
        let Some(c) = word[i..].chars().next() else {
            break;
        };
        let len = infix_len(word, i, c, prev);
        if len == 0 {
            prev = Some(c);
            i += c.len_utf8();
            continue;
        }
        if start < i {
            words.push(&word[start..i]);
        }
        words.push(&word[i..i + len]);
        i += len;
        start = i;
        prev = word[..i].chars().next_back();
    }
    if start < word.len() {
        words.push(&word[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let mut words = Vec::new();
        split_words(input, &mut words, &mut WordStats::default());
        assert_eq!(words, expected, "{input:?}");
    }

    #[test]
    fn splits_like_spacy() {
        let table: &[(&str, &[&str])] = &[
            (
                "\"Hello, world!\"",
                &["\"", "Hello", ",", "world", "!", "\""],
            ),
            ("It's 3.5 -- ok...", &["It", "'s", "3.5", "--", "ok", "..."]),
            (
                "don't can’t we'll",
                &["do", "n't", "ca", "n’t", "we", "'ll"],
            ),
            (
                "(see U.S. law, e.g. J. Smith.)",
                &[
                    "(", "see", "U.S.", "law", ",", "e.g.", "J.", "Smith", ".", ")",
                ],
            ),
            (
                "well-known 1-2 and/or",
                &["well", "-", "known", "1", "-", "2", "and", "/", "or"],
            ),
            (
                "$100 50% -5 +1 3+4",
                &["$", "100", "50", "%", "-5", "+1", "3", "+", "4"],
            ),
            (
                "see http://example.com/a-b.",
                &["see", "http://example.com/a-b", "."],
            ),
            (
                "end.The wait...what",
                &["end", ".", "The", "wait", "...", "what"],
            ),
            (
                "“Quoted”, he said—loudly",
                &["“", "Quoted", "”", ",", "he", "said", "—", "loudly"],
            ),
            (
                "microReid\n\n   /mi:'kroh-reed/  See {bogosity}.",
                &[
                    "microReid",
                    "/mi:'kroh",
                    "-",
                    "reed/",
                    "See",
                    "{",
                    "bogosity",
                    "}",
                    ".",
                ],
            ),
            ("#include <stdio.h>", &["#", "include", "<", "stdio.h", ">"]),
            ("", &[]),
            (" \t\n ", &[]),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }
}
