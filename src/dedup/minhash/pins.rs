//! Band keys and shingle sets pinned per preset, recorded before any speed work: the SIMD
//! and rolling-hash paths must give exactly what the plain loops gave.

use super::MinHasher;
use super::tests::{keys, random_text};
use crate::dedup::{MinHashParams, Preset, Shingle, TextNorm};

/// Texts whose keys are pinned: prose with numbers and punctuation, mixed scripts and
/// case, code, the degenerate lengths, and long texts that fill every SIMD lane and tail.
fn pinned_texts() -> Vec<(&'static str, String)> {
    let long = random_text(3, 2000);
    let mut mixed = String::new();
    for (i, word) in long.split(' ').take(700).enumerate() {
        let word = match i % 7 {
            0 => word.to_uppercase(),
            1 => format!("{word}, «Ünïcödé» 3.{i}"),
            2 => format!("日本{word}語\u{301}"),
            3 => format!("({word})\t\n"),
            _ => word.to_string(),
        };
        mixed.push_str(&word);
        mixed.push(' ');
    }
    vec![
        ("empty", String::new()),
        ("one word", "Word".into()),
        ("short", "one two three four".into()),
        (
            "prose",
            "The Pile is an 825 GiB English text corpus, built in 2020 from 22 subsets. \
             Version 1.0 was released on Dec. 31, 2020; it's \"diverse\" -- and big!"
                .into(),
        ),
        (
            "scripts",
            "Ἐν ἀρχῇ ἦν ὁ λόγος. Straße, ÉCOLE, café\u{301}; 東京は日本の首都です。 \
             İstanbul ΣΊΣΥΦΟΣ\u{A0}nbsp\u{3000}x 🦀🦀 crab"
                .into(),
        ),
        (
            "code",
            "fn main() {\n    let x_1 = vec![3.14, 2,71];\n    println!(\"{x_1:?}\");\n}\n".into(),
        ),
        ("long", long),
        ("mixed", mixed),
    ]
}

/// The configurations pinned: the three presets, the default shape under `basic` (the
/// default before `letters`), shapes whose permutation counts (21, 36, 77) are not
/// multiples of a vector width, and last the default (`letters`, pinned when it came).
fn pinned_params() -> Vec<MinHashParams> {
    let mut params: Vec<MinHashParams> = Preset::ALL.iter().map(|p| p.params()).collect();
    params.push(MinHashParams {
        norm: TextNorm::Basic,
        ..MinHashParams::default()
    });
    for (ngram, bands, rows, shingle, norm) in [
        (3, 7, 3, Shingle::Chars, TextNorm::Datatrove),
        (1, 9, 4, Shingle::Words, TextNorm::Datatrove),
        (7, 7, 11, Shingle::Chars, TextNorm::Basic),
    ] {
        params.push(MinHashParams {
            ngram,
            bands,
            rows,
            seed: 9,
            shingle,
            norm,
        });
    }
    params.push(MinHashParams::default());
    params
}

/// xxh3 of the band keys followed by the shingle set, all little-endian.
fn digest(params: &MinHashParams, text: &str) -> u64 {
    let hasher = MinHasher::new(params);
    let mut bytes: Vec<u8> = keys(params, text)
        .iter()
        .flat_map(|k| k.to_le_bytes())
        .collect();
    bytes.extend(
        hasher
            .shingle_set(text)
            .iter()
            .flat_map(|s| s.to_le_bytes()),
    );
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

#[test]
fn keys_and_shingle_sets_are_pinned() {
    // Recorded before the SIMD and rolling-hash work (the last column when `letters` came):
    // speed must never change outputs.
    let pins: &[(&str, [u64; 8])] = &[
        (
            "empty",
            [
                0x440a2452fbccb429,
                0x5a58b0ad4689099b,
                0x5119c4274546e551,
                0x440a2452fbccb429,
                0x345390337fb6baee,
                0xe8aa642f2adb5173,
                0xbe546bc682bddac8,
                0x440a2452fbccb429,
            ],
        ),
        (
            "one word",
            [
                0xbb6ef333651f88bb,
                0xd8af2ff73892ea58,
                0x7d4c0dd640ad62cc,
                0xbb6ef333651f88bb,
                0xcb37223f393ea183,
                0xb84949fa77daa33f,
                0x3ef1db75d8bffcae,
                0xbb6ef333651f88bb,
            ],
        ),
        (
            "short",
            [
                0xb5143ffbe3f46816,
                0xf4c7bfb115f7456f,
                0xaf8dc3129c165ca1,
                0xb5143ffbe3f46816,
                0xbc6a54faeb62d508,
                0x163b1e60618d5df5,
                0x7e5b2d8c1ab7bc24,
                0xb5143ffbe3f46816,
            ],
        ),
        (
            "prose",
            [
                0xca457376c9b2b4c2,
                0xccda0e27667ea7d9,
                0x7dbf039729932a7e,
                0x629252a98b457a26,
                0x8c117d8e7df0535b,
                0x1deb0fb112c679a3,
                0x1af16264bda066bb,
                0x211e24a9c2899dae,
            ],
        ),
        (
            "scripts",
            [
                0x1c964b1259e44d8d,
                0xefdc38f087e83e49,
                0x990ed0b542b5912b,
                0x1d9250333f4a1b3c,
                0xc8483f9a419ff6ec,
                0xb6b0e78eb5a0cec2,
                0xb7a10b3f77f4036b,
                0x73ba87f59c1bcc7e,
            ],
        ),
        (
            "code",
            [
                0x96b771efbde03380,
                0x69f66d2f4be8c549,
                0x8f67ccd8e71085e8,
                0xd6cb4e4176e52ada,
                0x006215df51c9cc0c,
                0xc309ce320d5b30ad,
                0xb0447d390e6b8d0b,
                0x6ed64f5ac705bce1,
            ],
        ),
        (
            "long",
            [
                0x404301cc13a60cfd,
                0x25121fdb9af087b3,
                0x2d3d5f6131b5cc4f,
                0x3fea26b509221986,
                0x7d5d16ba2993cce0,
                0xd131a800eb8ddcb7,
                0x4398834048ba9cc0,
                0x3fea26b509221986,
            ],
        ),
        (
            "mixed",
            [
                0x3d59f5016445ee0f,
                0x3a8794a534a89aaa,
                0xa18844edd9ffe49a,
                0xec8b84ff9347a5e7,
                0x520627ed990668af,
                0x0752abaf382c3cc5,
                0x5eb1dfe313479233,
                0x9404c3b54d1950bd,
            ],
        ),
    ];
    let params = pinned_params();
    let got: Vec<(&str, Vec<u64>)> = pinned_texts()
        .into_iter()
        .map(|(name, text)| (name, params.iter().map(|p| digest(p, &text)).collect()))
        .collect();
    let expected: Vec<(&str, Vec<u64>)> = pins.iter().map(|(n, d)| (*n, d.to_vec())).collect();
    assert_eq!(got, expected);
}
