//! Parquet as pandas and the Hub write it: named time zones, dictionary-encoded strings;
//! and curated records of no one Parquet schema, refused with the fix.

use crate::util::{TestEnv, code, stderr, zst_lines};
use arrow_array::builder::{StringDictionaryBuilder, TimestampMicrosecondBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use std::sync::Arc;

#[test]
fn pandas_timestamps_and_categoricals_are_read() {
    let env = TestEnv::new();
    let mut text = StringDictionaryBuilder::<Int32Type>::new();
    let mut time = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    for i in 0..50 {
        let words: Vec<String> = (0..40)
            .map(|w| format!("word{}", (w * 7 + i) % 97))
            .collect();
        text.append_value(format!("document {i}: {}", words.join(" ")));
        time.append_value(1_700_000_000_000_000 + i as i64);
    }
    let batch = RecordBatch::try_from_iter([
        ("text", Arc::new(text.finish()) as ArrayRef),
        ("added", Arc::new(time.finish()) as ArrayRef),
    ])
    .unwrap();
    let file = std::fs::File::create(env.path("pandas.parquet")).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    let input = "path = \"pandas.parquet\"\nsource = \"Github\"";
    let config = env.config("pandas.toml", &[input], &["Github"], "");
    let output = env.run_config(&config, &env.path("out"), &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let docs = zst_lines(&env.path("out/docs/Github/part-00000.jsonl.zst"));
    assert!(!docs.is_empty());
    let added = docs[0]["added"].as_str().unwrap();
    assert!(added.starts_with("2023-11-14T22:13:20"), "{added}");
    assert!(docs[0]["text"].as_str().unwrap().starts_with("document "));
}

#[test]
fn records_of_no_one_parquet_schema_are_refused_with_the_fix() {
    let env = TestEnv::new();
    let text = |i: usize| {
        let words: Vec<String> = (0..40)
            .map(|w| format!("token{}", (w * 13 + i) % 89))
            .collect();
        words.join(" ")
    };
    let lines = [
        format!(r#"{{"text": "{}", "extra": {{"k": 1}}}}"#, text(1)),
        format!(r#"{{"text": "{}", "extra": "flat"}}"#, text(2)),
    ];
    env.write("mixed.jsonl", (lines.join("\n") + "\n").as_bytes());
    let input = "path = \"mixed.jsonl\"\nsource = \"Github\"";
    let extra = "[output]\ndocs_format = \"parquet\"";
    let config = env.config("mixed.toml", &[input], &["Github"], extra);
    let output = env.run_config(&config, &env.path("out"), &[]);
    let message = stderr(&output);
    assert_eq!(code(&output), 4, "{message}");
    for word in ["docs/Github", "record 2", "docs_format = \"jsonl.zst\""] {
        assert!(message.contains(word), "{word:?} not in {message}");
    }
}

#[test]
fn null_and_empty_texts_of_a_parquet_file_are_rejects() {
    let env = TestEnv::new();
    let mut text = arrow_array::builder::StringBuilder::new();
    for i in 0..30 {
        match i % 10 {
            3 => text.append_null(),
            7 => text.append_value(""),
            _ => text.append_value(format!("row {i}: {}", "some words of text ".repeat(20))),
        }
    }
    let batch =
        RecordBatch::try_from_iter([("text", Arc::new(text.finish()) as ArrayRef)]).unwrap();
    let file = std::fs::File::create(env.path("nulls.parquet")).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let input = "path = \"nulls.parquet\"\nsource = \"Github\"";
    let config = env.config("nulls.toml", &[input], &["Github"], "");
    let output = env.run_config(&config, &env.path("out"), &["--allow-rejects"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let rejects = zst_lines(&env.path("out/rejects/rejects.jsonl.zst"));
    let got: Vec<(u64, &str)> = rejects
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    let expected: Vec<(u64, &str)> = (0..30u64)
        .filter_map(|i| match i % 10 {
            3 => Some((i + 1, "bad_text_type")),
            7 => Some((i + 1, "empty_text")),
            _ => None,
        })
        .collect();
    assert_eq!(got, expected);
}
