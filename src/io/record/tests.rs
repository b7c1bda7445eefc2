//! Tests of record parsing: every reject reason, layouts, kept members, the sample.

use super::*;
use RejectReason::*;

/// Parses `line` and checks the reject reason, or `Ok` with the expected text.
fn check(line: &[u8], expected: Result<&str, RejectReason>) {
    let got = parse_record(line, &RecordLayout::default(), false);
    let shown = String::from_utf8_lossy(line);
    match (got, expected) {
        (Ok(record), Ok(text)) => assert_eq!(record.text, text, "{shown}"),
        (Err(reject), Err(reason)) => {
            assert_eq!(reject.reason, reason, "{shown}: {}", reject.detail);
            assert!(!reject.detail.is_empty());
        }
        (got, expected) => panic!("{shown}: got {got:?}, expected {expected:?}"),
    }
}

#[test]
fn classifies_every_line() {
    check(
        br#"{"text": "hello", "meta": {"pile_set_name": "Pile-CC"}}"#,
        Ok("hello"),
    );
    check(
        br#"  {"meta": 1, "text": "a\nb\u00e9"}  "#,
        Ok("a\nb\u{e9}"),
    );
    check(
        br#"{"text": "x", "other": [[[[[[{"deep": true}]]]]]]}"#,
        Ok("x"),
    );
    check(
        "{\"text\": \"caf\u{e9} \u{1f600}\"}".as_bytes(),
        Ok("caf\u{e9} \u{1f600}"),
    );
    check(b"{\"text\": \"a\xff\"}", Err(InvalidUtf8));
    check(b"\xff\xfe", Err(InvalidUtf8));
    check(b"", Err(BlankLine));
    check(b" \t\r ", Err(BlankLine));
    check(br#"{"text": "unterminated"#, Err(MalformedJson));
    check(br#"{"text": "a"} trailing"#, Err(MalformedJson));
    check(br#"{"text": "a",}"#, Err(MalformedJson));
    check(br#"{"text": "\ud800"}"#, Err(MalformedJson));
    check(br#"{"text": "a", "text": "b"}"#, Err(MalformedJson));
    check(br#"[1, 2"#, Err(MalformedJson));
    check(b"nul", Err(MalformedJson));
    check(br#"[1, 2, 3]"#, Err(NotObject));
    check(br#"["an-id", "some text"]"#, Err(NotObject));
    check(br#""text""#, Err(NotObject));
    check(b"42", Err(NotObject));
    check(b"null", Err(NotObject));
    check(br#"{"meta": {}}"#, Err(MissingText));
    check(br#"{}"#, Err(MissingText));
    check(br#"{"text": null}"#, Err(BadTextType));
    check(br#"{"text": 42}"#, Err(BadTextType));
    check(br#"{"text": true}"#, Err(BadTextType));
    check(br#"{"text": ["a"]}"#, Err(BadTextType));
    check(br#"{"text": {"a": [1]}}"#, Err(BadTextType));
    check(br#"{"text": ""}"#, Err(EmptyText));
}

#[test]
fn deep_nesting_is_malformed_not_a_stack_overflow() {
    for depth in [200, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        check(
            format!(r#"{{"text": {deep}}}"#).as_bytes(),
            Err(MalformedJson),
        );
        check(
            format!(r#"{{"text": "a", "meta": {deep}}}"#).as_bytes(),
            Err(MalformedJson),
        );
        let in_string = format!(
            r#"{{"text": "a", "meta": {{"s": "{}"}}}}"#,
            "[".repeat(depth)
        );
        check(in_string.as_bytes(), Ok("a"));
        // Every member is kept verbatim, so every member is bounded.
        check(
            format!(r#"{{"text": "a", "x": {deep}}}"#).as_bytes(),
            Err(MalformedJson),
        );
        check(deep.as_bytes(), Err(NotObject));
    }
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    check(
        format!(r#"{{"text": "a", "meta": {ok}}}"#).as_bytes(),
        Ok("a"),
    );
}

#[test]
fn details_carry_the_column() {
    let parse = |line: &[u8]| parse_record(line, &RecordLayout::default(), false);
    let reject = parse(br#"{"text": "a",}"#).unwrap_err();
    assert!(reject.detail.contains("column"), "{}", reject.detail);
    let reject = parse(br#"{"text": 42}"#).unwrap_err();
    assert_eq!(reject.detail, "text is a number, not a string");
}

/// Parses a good line and returns its source and the members kept around the text.
fn source_of(line: &str) -> (Option<String>, String) {
    let record = parse_record(line.as_bytes(), &RecordLayout::default(), true).unwrap();
    let fields = record.fields.unwrap();
    let around = [fields.before, b"T".to_vec(), fields.after].concat();
    (record.source_name, String::from_utf8(around).unwrap())
}

#[test]
fn keeps_members_verbatim_and_finds_the_source() {
    let name = |s: &str| Some(s.to_owned());
    let meta = r#"{"pile_set_name": "Git\"Hub", "x": [1, {"y": null}]}"#;
    assert_eq!(
        source_of(&format!(r#"{{"text": "a", "meta": {meta}}}"#)),
        (name("Git\"Hub"), format!(r#"{{"text":T,"meta":{meta}"#))
    );
    assert_eq!(source_of(r#"{"text": "a"}"#), (None, r#"{"text":T"#.into()));
    assert_eq!(
        source_of(r#"{"meta": null, "text": "a"}"#),
        (None, r#"{"meta":null,"text":T"#.into())
    );
    assert_eq!(source_of(r#"{"text": "a", "meta": "x"}"#).0, None);
    assert_eq!(
        source_of(r#"{"text": "a", "meta": {"pile_set_name": 3}}"#).0,
        None
    );
}

/// Parses `line` with text, source and id at the given paths.
fn parse_as(line: &str, text: &str, source: &str, id: &str) -> Result<ParsedRecord, Reject> {
    let path = |p: &str| crate::io::FieldPath::parse(p).unwrap();
    let layout = RecordLayout {
        text: path(text),
        source: path(source),
        id: Some(path(id)),
    };
    parse_record(line.as_bytes(), &layout, false)
}

#[test]
fn reads_other_layouts_and_names_the_path_in_rejects() {
    let dolma = r#"{"id": "d-1", "text": "t", "source": "web", "metadata": {"url": "u"}}"#;
    let record = parse_as(dolma, "text", "source", "id").unwrap();
    assert_eq!(
        (record.text.as_str(), record.id.as_deref()),
        ("t", Some("d-1"))
    );
    assert_eq!(record.source_name.as_deref(), Some("web"));
    let nested = r#"{"doc": {"body": "b", "n": 12}, "meta": {"redpajama_set_name": "arxiv"}}"#;
    let record = parse_as(nested, "doc.body", "meta.redpajama_set_name", "doc.n").unwrap();
    assert_eq!(record.text, "b");
    assert_eq!(record.id.as_deref(), Some("12"));
    assert_eq!(record.source_name.as_deref(), Some("arxiv"));
    let reject = |line: &str, text: &str| parse_as(line, text, "s", "id").unwrap_err();
    let r = reject(r#"{"id": 1, "doc": {"x": 1}}"#, "doc.body");
    assert_eq!(
        (r.reason, r.detail.as_str()),
        (MissingText, r#"no "doc.body" field"#)
    );
    let r = reject(r#"{"id": 1, "doc": "flat"}"#, "doc.body");
    assert_eq!(r.reason, MissingText);
    assert!(
        r.detail.contains("doc is a string, not an object"),
        "{}",
        r.detail
    );
    let r = reject(r#"{"id": 1, "doc": {"body": 5}}"#, "doc.body");
    assert_eq!(
        (r.reason, r.detail.as_str()),
        (BadTextType, "doc.body is a number, not a string")
    );
    let r = reject(r#"{"text": "t"}"#, "text");
    assert_eq!(
        (r.reason, r.detail.as_str()),
        (MissingId, r#"no "id" field"#)
    );
    let r = reject(r#"{"text": "t", "id": [1]}"#, "text");
    assert_eq!(r.reason, BadIdType);
    assert!(r.detail.contains("id is an array"), "{}", r.detail);
    let r = reject(r#"{"text": "t", "id": 1, "text": "u"}"#, "text");
    assert_eq!(r.reason, MalformedJson);
    // A member on a configured path given twice: readers disagree on which counts.
    for (line, path) in [
        (
            r#"{"id": 1, "doc": {"body": "a", "body": "b"}}"#,
            "doc.body",
        ),
        (
            r#"{"id": 1, "doc": {"body": "a"}, "doc": {"body": "b"}}"#,
            "doc",
        ),
        (r#"{"id": 1, "id": 2, "doc": {"body": "a"}}"#, "id"),
    ] {
        let r = reject(line, "doc.body");
        assert_eq!(r.reason, MalformedJson, "{line}");
        assert_eq!(
            r.detail,
            format!("duplicate member {path}: readers disagree on which one counts")
        );
    }
}

#[test]
fn parses_the_whole_sample() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/sample.jsonl.gz");
    let mut reader = crate::io::LineReader::open(std::path::Path::new(path), 1 << 26).unwrap();
    let (mut n_docs, mut n_named) = (0, 0);
    while let Some(line) = reader.next_line().unwrap() {
        let bytes = line.bytes.unwrap();
        let record = parse_record(&bytes, &RecordLayout::default(), true).unwrap();
        n_docs += 1;
        n_named += usize::from(record.source_name.is_some());
        // The curated copy of an untouched record is the record, plus its id.
        let fields = record.fields.unwrap();
        let copy = crate::shard::curated_line(&record.text, &fields, "id", None);
        let mut copy: serde_json::Value = serde_json::from_slice(&copy).unwrap();
        copy.as_object_mut().unwrap().remove("pilecurate_id");
        assert_eq!(
            copy,
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
        );
    }
    assert_eq!((n_docs, n_named), (1126, 1126));
}
