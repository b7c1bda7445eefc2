//! Tests of the word scanner: Python's `\w+` runs, hashes of the lower-cased words.

use super::*;

fn check(text: &str, expected: &[&str]) {
    let mut words = Vec::new();
    scan_words(text, &mut words);
    let got: Vec<&str> = words.iter().map(|w| &text[w.start..w.end]).collect();
    assert_eq!(got, expected, "{text:?}");
    let mut scratch = Vec::new();
    for (word, lower) in words.iter().zip(lower_words(text)) {
        assert_eq!(word.hash, lower_hash(&lower, &mut scratch), "{lower}");
        assert!(lower_eq(&text[word.start..word.end], &lower), "{lower}");
    }
}

#[test]
fn words_are_python_word_runs() {
    // Expected splits are those of Python 3.11 `re.findall(r"\w+", text)`.
    let cases: [(&str, &[&str]); 8] = [
        ("", &[]),
        ("  ...  ", &[]),
        (
            "Hexadecimal digits are 0, 1, 2, A.",
            &["Hexadecimal", "digits", "are", "0", "1", "2", "A"],
        ),
        (
            "has_close_elements([1.0, 2.8])",
            &["has_close_elements", "1", "0", "2", "8"],
        ),
        ("Father-in-law's", &["Father", "in", "law", "s"]),
        ("naïve café, Ελλάδα²", &["naïve", "café", "Ελλάδα²"]),
        // U+0301 (a combining mark) is not `\w`: Python splits "é" written as e + U+0301.
        ("cafe\u{301} ok", &["cafe", "ok"]),
        ("tail_word", &["tail_word"]),
    ];
    for (text, expected) in cases {
        check(text, expected);
    }
}

#[test]
fn scanned_hashes_are_lower_hashes() {
    // ASCII words short and past the stack buffer, and words with other characters.
    let long = format!("{}Tail", "Ab".repeat(LOWER_BUF / 2));
    let text = format!(
        "{long} x MIXED_case_42, Zoë straße {}!",
        "é".repeat(LOWER_BUF)
    );
    let expected_words: Vec<&str> = text
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    check(&text, &expected_words);
}

#[test]
fn lower_eq_and_hash_ignore_case_only() {
    let mut scratch = Vec::new();
    assert_eq!(
        lower_hash("Emily", &mut scratch),
        lower_hash("emily", &mut scratch)
    );
    assert_ne!(
        lower_hash("Emily", &mut scratch),
        lower_hash("emil", &mut scratch)
    );
    assert!(lower_eq("ΕΛΛΆΔΑ", "ελλάδα"));
    assert!(!lower_eq("Emily", "emil"));
    assert!(!lower_eq("Emil", "emily"));
}

/// The words of `text` by the definition, one character at a time: runs of [`is_word_char`]
/// and [`lower_hash`] of each.
fn reference_words(text: &str) -> Vec<Word> {
    let mut scratch = Vec::new();
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, is_word_char(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let hash = lower_hash(&text[s..i], &mut scratch);
                words.push(Word {
                    start: s,
                    end: i,
                    hash,
                });
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// The eight-bytes-at-a-time scanner finds the words of the definition: on every sample
/// document, and on random texts mixing ASCII of every class, non-ASCII word and non-word
/// characters, at every alignment, with words around the stack buffer's length.
#[test]
fn scanner_equals_the_definition() {
    let mut texts: Vec<String> = crate::decontam::testdata::sample_texts();
    let pieces = [
        "a",
        "Z",
        "_",
        "7",
        " ",
        ".",
        "\n",
        "-",
        "\u{7f}",
        "\0",
        "é",
        "ß",
        "İ",
        "Σ",
        "²",
        "—",
        "“",
        "\u{301}",
        "😀",
        "中",
        "abcdefgh",
        "ABCDEFGHIJ",
        "x_y_z_0",
        "  \t ",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        let mut text = String::new();
        let n = (state % 40) as usize;
        for _ in 0..n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let piece = pieces[(state % pieces.len() as u64) as usize];
            let repeat = if state >> 60 == 0 { 9 } else { 1 };
            text.push_str(&piece.repeat(repeat));
        }
        texts.push(text);
    }
    texts.push(
        "W".repeat(LOWER_BUF - 1) + " " + &"w".repeat(LOWER_BUF) + " " + &"q".repeat(LOWER_BUF + 1),
    );
    let mut words = Vec::new();
    for text in &texts {
        for skip in 0..8.min(text.len() + 1) {
            let Some(text) = text.get(skip..) else {
                continue;
            };
            scan_words(text, &mut words);
            assert_eq!(words, reference_words(text), "{text:?}");
        }
    }
}
