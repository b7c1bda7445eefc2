//! The BPE core against hand-made vocabularies where rank order and id order disagree.

use super::*;

/// A toy vocabulary where pair-rank order and token-id order disagree.
fn toy(merges: &[(&str, &str)]) -> Merger {
    let mut vocab: Vocab = byte_chars()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), i as u32))
        .collect();
    for (i, t) in ["bc", "ab", "abc", "aa", "aaaa"].iter().enumerate() {
        vocab.insert(t.to_string(), 300 - i as u32);
    }
    let merges: Vec<_> = merges
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    Merger::new(&vocab, &merges, false).expect("fits")
}

fn check(merger: &Merger, piece: &str, expected: &[u32]) {
    let mut scratch = Scratch::default();
    let (mut short, mut long) = (Vec::new(), Vec::new());
    merger.merge_short(piece.as_bytes(), &mut short, &mut scratch);
    merger.merge_long(piece.as_bytes(), &mut long, &mut scratch);
    assert_eq!(short, expected, "short path, {piece:?}");
    assert_eq!(long, expected, "long path, {piece:?}");
}

#[test]
fn merges_by_pair_rank_leftmost_first() {
    let merger = toy(&[
        ("a", "b"),
        ("b", "c"),
        ("a", "a"),
        ("ab", "c"),
        ("aa", "aa"),
    ]);
    let cases: &[(&str, &[u32])] = &[
        ("abc", &[298]),
        ("bc", &[300]),
        ("aaa", &[297, 97]),
        ("aaaaa", &[296, 97]),
        ("cab", &[99, 299]),
        ("ab\nab", &[299, 10, 299]),
    ];
    for (piece, expected) in cases {
        check(&merger, piece, expected);
    }
}

/// A rule that uses a token ranked before the rule that makes it: merges are not monotone.
#[test]
fn odd_merge_order() {
    let merger = toy(&[("ab", "c"), ("a", "b"), ("b", "c")]);
    let cases: &[(&str, &[u32])] = &[
        ("abc", &[298]),
        ("abcabc", &[298, 298]),
        ("bcab", &[300, 299]),
    ];
    for (piece, expected) in cases {
        check(&merger, piece, expected);
    }
}
