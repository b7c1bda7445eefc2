//! The `letters` rule: a table of what it does to quotes, dashes, brackets, Unicode
//! punctuation, digits, marks, CJK and emoji; the fast walker against the character-by-
//! character reference on random text; and the keys of real documents' punctuation variants.

use super::*;
use crate::dedup::{MinHashParams, MinHasher, Preset, exact_key_basic};
use xxhash_rust::xxh3::xxh3_128;

/// `text` normalizes to `expected`, and the walker and the exact key agree with it.
fn check(text: &str, expected: &str) {
    assert_eq!(normalize(text), expected, "normalize({text:?})");
    assert_eq!(walked(text).join(" "), expected, "for_each_word({text:?})");
    assert_eq!(
        exact_key(text),
        xxh3_128(expected.as_bytes()),
        "exact_key({text:?})"
    );
}

fn walked(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, &mut Vec::new(), |w| {
        words.push(String::from_utf8(w.to_vec()).expect("utf-8"))
    });
    words
}

#[test]
fn letters_normalization_table() {
    let long_word = "Ab".repeat(3000);
    let cases: &[(&str, &str)] = &[
        ("", ""),
        ("  \n\t", ""),
        // Quotes, straight and curly, single and double, added or not.
        ("\"Hello,\" she said.", "hello she said"),
        ("“Hello,” she said…", "hello she said"),
        ("Hello she said", "hello she said"),
        (
            "'single' ‘curly’ «guillemets» „low“ 「corner」",
            "single curly guillemets low corner",
        ),
        // Apostrophes separate, in every style but the letter ʼ (U+02BC).
        (
            "don't don’t DON‘T don`t don´t",
            "don t don t don t don t don t",
        ),
        ("dont donʼt", "dont donʼt"),
        ("the students' books", "the students books"),
        // Dashes, attributions, brackets.
        ("-- Mark Twain", "mark twain"),
        ("(Mark Twain)", "mark twain"),
        ("well-known — really – yes―no", "well known really yes no"),
        ("f(x) = [1] + {a}/<b>", "f x 1 a b"),
        ("snake_case a.b@c.com #tag", "snake case a b c com tag"),
        // Unicode punctuation and symbols separate.
        ("¿Qué? ¡Sí! § 3 © 2020 ™", "qué sí 3 2020"),
        ("一、二。三・四", "一 二 三 四"),
        // Digits are kept as they are; separators inside numbers split them.
        ("over 18", "over 18"),
        ("over 21", "over 21"),
        ("3.14 1,000,000 v2", "3 14 1 000 000 v2"),
        ("٣٤ ５６ x² ½ Ⅻ", "٣٤ ５６ x² ½ ⅻ"),
        // Letters with marks stay whole (no NFC: precomposed and combining differ).
        ("Café cafe\u{301} naïve", "café cafe\u{301} naïve"),
        ("हिन्दी ภาษาไทย", "हिन्दी ภาษาไทย"),
        // CJK runs are one word each (no segmentation).
        ("東京は日本の首都です。", "東京は日本の首都です"),
        // Emoji and other symbols separate; a text of nothing else falls back to `basic`.
        ("I ❤ crabs 🦀🦀!", "i crabs"),
        ("👍🏽 Thumbs", "thumbs"),
        ("🦀🦀  !!", "🦀🦀 !!"),
        ("...", "..."),
        // Format characters vanish; every kind of space separates; case folds.
        (
            "soft\u{AD}hyphen zero\u{200B}width\u{FEFF}",
            "softhyphen zerowidth",
        ),
        ("a\u{A0}b\u{3000}c\td\u{2028}e\u{85}f", "a b c d e f"),
        ("ΣΊΣΥΦΟΣ İstanbul ẞ", "σίσυφοσ i\u{307}stanbul ß"),
        // ASCII runs across eight-byte blocks and ending at non-ASCII bytes.
        (
            "ABCDEFGHIJKLMNOPQRST,uvwxyz0123456789!end",
            "abcdefghijklmnopqrst uvwxyz0123456789 end",
        ),
        ("LongASCIIwordé\u{2019}s TAIL", "longasciiwordé s tail"),
        (&long_word, &long_word.to_lowercase()),
    ];
    for (text, expected) in cases {
        check(text, expected);
    }
}

#[test]
fn walker_equals_the_reference_on_random_text() {
    // Every class of character, ASCII and not, next to each other in every order.
    let alphabet: Vec<char> =
        "aZ09 .,;-_'`\"\t\n\x0b\x00\x7f()\u{2019}\u{2018}\u{201C}\u{AD}\u{200B}\
         \u{663}\u{B2}\u{301}«»\u{2014}\u{3001}\u{A0}\u{3000}ÉİẞΣ日🦀"
            .chars()
            .collect();
    let mut state = 5u64;
    for n_chars in 0..3000 {
        let text: String = (0..n_chars % 50)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                // Mostly letters, so that eight-byte blocks of word bytes occur.
                match (state >> 40) % 3 {
                    0 => alphabet[(state >> 33) as usize % alphabet.len()],
                    _ => char::from(b'a' + (state >> 50) as u8 % 26),
                }
            })
            .collect();
        assert_eq!(walked(&text).join(" "), normalize(&text), "{text:?}");
    }
}

/// The documents of the shipped sample.
fn sample_texts() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/sample.jsonl.gz");
    let bytes = std::fs::read(path).expect("read the sample");
    let text = crate::io::gunzip_bytes(&bytes, path).expect("gunzip the sample");
    String::from_utf8(text)
        .expect("utf-8")
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("json");
            record["text"].as_str().expect("text").to_string()
        })
        .collect()
}

/// `text` with its quotes and apostrophes in the other style, commas as semicolons, double
/// hyphens as em dashes, an attribution in parentheses, capitals and doubled spaces.
fn punctuation_variant(text: &str) -> String {
    let mut open = true;
    let swapped: String = text
        .chars()
        .map(|c| match c {
            '"' => {
                open = !open;
                if open { '”' } else { '“' }
            }
            '\'' => '’',
            '’' => '\'',
            '“' | '”' => '"',
            ',' => ';',
            ' ' => '\n',
            c => c,
        })
        .collect();
    format!("({})\t", swapped.replace("--", "—").to_uppercase())
}

#[test]
fn punctuation_variants_of_sample_documents_get_the_same_keys() {
    let letters = MinHasher::new(&MinHashParams::default());
    let pile = MinHasher::new(&Preset::Pile.params());
    let (mut compared, mut differ_under_basic) = (0, 0);
    for text in sample_texts()
        .iter()
        .filter(|t| t.contains(['"', ',', '\'']))
    {
        let variant = punctuation_variant(text);
        if normalize(text) != normalize(&variant) {
            // Upper-casing is not undone by lower-casing for a few letters (ß, µ).
            assert_ne!(
                normalize(text),
                normalize(&text.to_uppercase()),
                "{text:.80?}"
            );
            continue;
        }
        compared += 1;
        let (mut a, mut b) = (vec![0; 14], vec![0; 14]);
        let exact = letters.band_and_exact_keys(text, &mut a);
        assert_eq!(exact, letters.band_and_exact_keys(&variant, &mut b));
        assert_eq!(exact, exact_key(&variant));
        assert_eq!(a, b, "{text:.80?}");
        // A preset's own normalization (`basic`) still sees the punctuation.
        let (mut a, mut b) = (vec![0; 10], vec![0; 10]);
        assert_eq!(
            pile.band_and_exact_keys(text, &mut a),
            exact_key_basic(text)
        );
        pile.band_keys(&variant, &mut b);
        differ_under_basic += usize::from(a != b);
    }
    assert!(compared >= 300, "only {compared} sample documents compared");
    assert!(
        differ_under_basic * 10 >= compared * 9,
        "{differ_under_basic} of {compared}"
    );
}
