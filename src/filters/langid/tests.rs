//! The detector against langid.py itself (its answers on the shipped sample, recorded by
//! `scripts/langid/expected.py`), on foreign text, and a damaged model refused.

use super::*;
use crate::filters::testdata;

/// langid.py's answer per sample document: (language, probability).
fn expected() -> Vec<(String, f64)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/langid/expected-sample.tsv"
    );
    let text = std::fs::read_to_string(path).expect("read the expected answers");
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields[0], index.to_string(), "line {index}");
            (
                fields[1].to_owned(),
                fields[2].parse().expect("probability"),
            )
        })
        .collect()
}

#[test]
fn agrees_with_langid_py_on_every_sample_document() {
    let sample = testdata::sample();
    let expected = expected();
    assert_eq!(sample.len(), expected.len());
    let mut not_english = 0;
    for (doc, (language, probability)) in sample.iter().zip(&expected) {
        let (got, score) = detect_language(&doc.text);
        assert_eq!(got, language, "{}", doc.key);
        assert!(
            (score - probability).abs() < 1e-9,
            "{}: {score} against langid.py's {probability}",
            doc.key
        );
        not_english += usize::from(got != "en");
    }
    // Not a vacuous comparison: the sample has documents in other languages.
    assert!(not_english >= 20, "{not_english}");
}

#[test]
fn lanes_count_the_states_one_reader_enters() {
    let model = model().expect("model");
    // langid.py's features are byte 1- to 4-grams.
    assert_eq!(model.sync_bytes, 4);
    let text = testdata::text("wiki:Answer").as_bytes();
    for len in [0, 3, 15, 16, 17, 40, 1000, text.len()] {
        let bytes = &text[..len];
        let mut one = vec![0u32; model.n_states()];
        let mut state = 0;
        for &b in bytes {
            state = usize::from(model.next[(state << 8) | usize::from(b)]);
            one[state] += 1;
        }
        let mut lanes = vec![0u32; model.n_states()];
        let mut touched = Vec::new();
        count_states(model, bytes, &mut lanes, &mut touched);
        assert_eq!(lanes, one, "{len} bytes");
        assert_eq!(touched.len(), one.iter().filter(|&&c| c > 0).count());
    }
}

#[test]
fn detects_foreign_text() {
    let table = [
        (
            "Der schnelle braune Fuchs springt über den faulen Hund, und das ist gut so.",
            "de",
        ),
        (
            "Le renard brun rapide saute par-dessus le chien paresseux, comme toujours.",
            "fr",
        ),
        (
            "El rápido zorro marrón salta sobre el perro perezoso, como siempre hace.",
            "es",
        ),
        (
            "Быстрая коричневая лиса прыгает через ленивую собаку.",
            "ru",
        ),
        ("我们的产品是最好的，价格最低，欢迎来电咨询订购。", "zh"),
        (
            "안녕하세요, 저희 회사의 새로운 제품을 소개합니다. 지금 바로 연락주세요.",
            "ko",
        ),
        ("今日はとても良い天気ですね。散歩に行きましょう。", "ja"),
    ];
    for (text, language) in table {
        let (got, score) = detect_language(text);
        assert_eq!(got, language, "{text}");
        assert!(score > 0.5, "{text}: {score}");
    }
}

#[test]
fn text_without_letters_is_undetermined() {
    for text in ["", "   ", "1234 5678 {} [] ;;", "\u{1f600}\u{1f600}"] {
        assert_eq!(detect_language(text), (UNDETERMINED, 0.0), "{text:?}");
    }
}

#[test]
fn sample_is_cut_at_a_char_boundary() {
    // Byte SAMPLE_BYTES falls inside a two-byte `é`: must not panic, and must read only
    // the sample (the tail in another language changes nothing).
    let text = format!("a{}", "é".repeat(SAMPLE_BYTES));
    assert!(!text.is_char_boundary(SAMPLE_BYTES));
    let (_, score) = detect_language(&text);
    assert!((0.0..=1.0).contains(&score));
    let english = testdata::sample()
        .iter()
        .find(|doc| doc.source == "Wikipedia (en)" && doc.text.len() > 2 * SAMPLE_BYTES)
        .map(|doc| doc.text.as_str())
        .expect("a long Wikipedia article");
    let mut cut = SAMPLE_BYTES;
    while !english.is_char_boundary(cut) {
        cut -= 1;
    }
    let tail = format!("{}{}", &english[..cut], "Быстрая лиса. ".repeat(1000));
    assert_eq!(detect_language(&tail), detect_language(english));
}

#[test]
fn a_damaged_model_is_refused() {
    let bytes = crate::io::gunzip_bytes(EMBEDDED, "model").expect("gunzip");
    assert!(Model::parse(&bytes).is_ok());
    let truncated = &bytes[..bytes.len() - 1];
    let mut magic = bytes.clone();
    magic[0] = b'X';
    let mut trailing = bytes.clone();
    trailing.push(0);
    // The first transition (state 0, byte 0) pointing past the last state.
    let header = 8 + 4 * 5;
    let n_classes = 97;
    let n_features = 7480;
    let next_at = header + 2 * n_classes + 4 * n_classes + 4 * n_features * n_classes;
    let mut transition = bytes.clone();
    transition[next_at..next_at + 2].copy_from_slice(&u16::MAX.to_le_bytes());
    for (name, damaged) in [
        ("truncated", truncated),
        ("magic", &magic[..]),
        ("trailing", &trailing[..]),
        ("transition", &transition[..]),
    ] {
        assert!(Model::parse(damaged).is_err(), "{name}");
    }
    assert!(crate::io::gunzip_bytes(&EMBEDDED[..EMBEDDED.len() - 8], "model").is_err());
}
