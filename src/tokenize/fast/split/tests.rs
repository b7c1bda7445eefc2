//! The scanners against Oniguruma (the regex engine HF's `Split` runs) on adversarial text.

use super::*;

const FAMILIES: [(&str, Family); 3] = [
    (CL100K, Family::Cl100k { max_digits: 3 }),
    (CL100K_DIGIT, Family::Cl100k { max_digits: 1 }),
    (O200K, Family::O200k),
];

/// Characters at the boundaries of every class the regexes name: each letter category in
/// several scripts, marks of each kind, numbers of each kind, every kind of space and line
/// break, the contraction letters in both cases and `ſ`, `/`, astral characters.
const ALPHABET: &[char] = &[
    'a',
    'z',
    'A',
    'Z',
    'é',
    'É',
    'ß',
    'ǅ',
    'ʰ',
    'ー',
    '日',
    'א',
    'ا',
    'Ω',
    'ω',
    'Я',
    'я',
    'ﬁ',
    '\u{301}',
    '\u{903}',
    '\u{20DD}',
    '\u{64B}',
    '0',
    '7',
    '٣',
    'Ⅻ',
    '½',
    '²',
    ' ',
    '\t',
    '\r',
    '\n',
    '\u{b}',
    '\u{c}',
    '\u{85}',
    '\u{a0}',
    '\u{2028}',
    '\u{3000}',
    '\u{200B}',
    '\'',
    's',
    'S',
    't',
    'T',
    'r',
    'R',
    'e',
    'E',
    'v',
    'l',
    'L',
    'm',
    'M',
    'd',
    'D',
    'ſ',
    'K',
    '\u{212A}',
    '/',
    '.',
    '!',
    '-',
    '_',
    '😀',
    '𝔘',
    '𝔲',
    '𝟙',
    '𠀀',
    '\u{1D167}',
    '\u{E0001}',
    '\u{0}',
    '\u{7f}',
];

/// Pieces of `text` by Oniguruma's `find_iter`, with the gaps between matches (HF's
/// `Isolated` split).
fn reference(regex: &onig::Regex, text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut prev = 0;
    for (start, end) in regex.find_iter(text) {
        if prev != start {
            pieces.push(text[prev..start].to_string());
        }
        pieces.push(text[start..end].to_string());
        prev = end;
    }
    if prev != text.len() {
        pieces.push(text[prev..].to_string());
    }
    pieces
}

fn check(regex: &onig::Regex, scanner: &Scanner, text: &str) {
    let got: Vec<&str> = scanner.pieces(text).collect();
    assert_eq!(
        got,
        reference(regex, text),
        "{:?}: {text:?}",
        scanner.family
    );
}

fn engines() -> Vec<(onig::Regex, Scanner)> {
    FAMILIES
        .iter()
        .map(|(regex, family)| {
            let regex = onig::Regex::new(regex).expect("regex");
            (regex, Scanner::new(*family))
        })
        .collect()
}

#[test]
fn recognises_only_its_own_regexes() {
    for (regex, family) in FAMILIES {
        assert_eq!(Family::recognise(regex), Some(family));
        // One character changed, added or dropped: unknown.
        for variant in [
            regex.replacen("{1,3}", "{1,4}", 1),
            regex.replacen("'s", "'S", 1),
            format!("{regex}|x"),
            regex[1..].to_string(),
            regex.replacen(r"\s+(?!\S)", r"\s+(?=\S)", 1),
        ] {
            if variant != regex {
                assert_eq!(Family::recognise(&variant), None, "{variant}");
            }
        }
    }
    let gpt2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
    assert_eq!(Family::recognise(gpt2), None);
}

#[test]
fn hand_picked_texts_match_oniguruma() {
    let texts = [
        "",
        "Hello world",
        "it's IT'S we'LL I'm you'Re they've he'd don't 'tis ''s ' s 'll'll 'S 'ſ",
        "HelloWorld ABCdef DON'T don't XMLHttpRequest iPhone McDonald's",
        "ʰAAAA AʰBʰ ǅungla ǅUNGLA \u{301}\u{301}abc .\u{301}x ..\u{301}\u{301}y",
        "a  b\t\tc \n d\r\n\r\ne  \n\n  f   ",
        "x   ",
        "12345678 1,234,567.89 ١٢٣٤ ⅫⅢ ½¾ 𝟙𝟚𝟛𝟜",
        "path/to/file.rs\n/// doc\n//\n./\n",
        "日本語のテキスト 中文 한국어 العربية हिन्दी ελληνικά",
        "👨‍👩‍👧‍👦 family 🏳️‍🌈 👍🏽 ❤️ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "\u{a0}\u{a0}x \u{3000}y \u{85}z \u{2028}w\u{b}\u{c}v",
        "end with spaces \t ",
    ];
    for (regex, scanner) in engines() {
        for text in texts {
            check(&regex, &scanner, text);
        }
    }
}

#[test]
fn random_texts_match_oniguruma() {
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let engines = engines();
    for _ in 0..20_000 {
        let len = 1 + next(24);
        let text: String = (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect();
        for (regex, scanner) in &engines {
            check(regex, scanner, &text);
        }
    }
}

/// Every code point after an apostrophe, and as the second letter of the two-letter
/// contractions, in every position the regexes try them.
#[test]
fn contractions_match_oniguruma_for_every_code_point() {
    let engines = engines();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        for text in [
            format!("'{c}"),
            format!("x'{c}e"),
            format!("a'r{c}"),
            format!("A'l{c}"),
        ] {
            for (regex, scanner) in &engines {
                check(regex, scanner, &text);
            }
        }
    }
}

/// Every code point between the characters the alternatives hinge on.
#[test]
fn every_code_point_in_context_matches_oniguruma() {
    let engines = engines();
    let mut text = String::new();
    for (i, c) in (0..=0x10FFFF).filter_map(char::from_u32).enumerate() {
        let context = ["a", "A", " ", "\n", "1", ".", "\u{301}", "ʰ"][i % 8];
        text.push(c);
        text.push_str(context);
        text.push(c);
        if text.len() > 4096 {
            for (regex, scanner) in &engines {
                check(regex, scanner, &text);
            }
            text.clear();
        }
    }
}

/// Long runs stay linear and match: a megabyte without a space, long runs of each class.
#[test]
fn long_runs_match_oniguruma() {
    let texts = [
        "a".repeat(100_000),
        "A".repeat(50_000) + "ʰ" + &"B".repeat(50_000),
        "7".repeat(100_000),
        " ".repeat(100_000) + "x",
        "\n \r".repeat(30_000),
        "!/".repeat(50_000),
        "\u{301}".repeat(30_000),
    ];
    for (regex, scanner) in engines() {
        for text in &texts {
            check(&regex, &scanner, text);
        }
    }
}
