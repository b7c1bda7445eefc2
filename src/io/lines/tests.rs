//! Tests of the line reader: splitting, caps, every input format, damaged streams.

use super::*;
use flate2::write::GzEncoder;
use std::borrow::Cow;
use std::io::Write;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn sample_plain() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/sample.jsonl.gz");
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Reads every line of `name` (written with `contents`) with the given cap.
fn read_all(name: &str, contents: &[u8], cap: usize) -> Result<Vec<Line>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    let mut reader = LineReader::open(&path, cap)?;
    let mut lines = Vec::new();
    while let Some(line) = reader.next_line()? {
        lines.push(line);
    }
    Ok(lines)
}

/// Reads plain `input` and compares the lines with `expected`.
fn check(input: &[u8], cap: usize, expected: &[Option<&str>]) {
    let lines = read_all("in.jsonl", input, cap).unwrap();
    let got: Vec<_> = lines
        .iter()
        .map(|l| l.bytes.as_deref().map(String::from_utf8_lossy))
        .collect();
    let expected: Vec<_> = expected.iter().map(|e| e.map(Cow::from)).collect();
    assert_eq!(got, expected, "input {:?}", String::from_utf8_lossy(input));
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line.number, i as u64 + 1);
    }
}

#[test]
fn an_uncapped_reader_reads_lines_longer_than_its_buffer() {
    let long = "x".repeat(3 * BUFFER_BYTES);
    let input = format!("a\n{long}\nb\n");
    check(
        input.as_bytes(),
        usize::MAX,
        &[Some("a"), Some(&long), Some("b")],
    );
}

#[test]
fn splits_lines() {
    check(b"", 100, &[]);
    check(b"a\nb\n", 100, &[Some("a"), Some("b")]);
    check(b"a\nb", 100, &[Some("a"), Some("b")]);
    check(b"a\r\nb\r\n", 100, &[Some("a"), Some("b")]);
    check(b"\n\n", 100, &[Some(""), Some("")]);
    check(
        b"\xEF\xBB\xBFa\n\xEF\xBB\xBFb\n",
        100,
        &[Some("a"), Some("\u{feff}b")],
    );
    check(b"abc\nabcd\nab\n", 3, &[Some("abc"), None, Some("ab")]);
    // The cap counts a `\r` but not the `\n`.
    check(b"abc\r\nabcd\r\nab", 4, &[Some("abc"), None, Some("ab")]);
    check(b"abcd", 3, &[None]);
    check(b"abc", 3, &[Some("abc")]);
    // Bytes are kept as they are for the parser to judge.
    check(
        b"a\n\xff\xfe\nc",
        100,
        &[Some("a"), Some("\u{fffd}\u{fffd}"), Some("c")],
    );
}

/// A line across the end of the decoder's buffer, its `\r\n` split by it, takes the general
/// path; the lines before and after it are read straight from the buffer.
#[test]
fn lines_across_the_buffer_end() {
    let mut input = b"first\n".to_vec();
    input.resize(BUFFER_BYTES - 1, b'a');
    input.extend_from_slice(b"\r\nlast\n");
    let long = "a".repeat(BUFFER_BYTES - 1 - 6);
    check(&input, 1 << 26, &[Some("first"), Some(&long), Some("last")]);
    // The same with the line over the cap: skipped, the next one read.
    check(&input, 1000, &[Some("first"), None, Some("last")]);
}

#[test]
fn reader_can_move_between_threads() {
    fn is_send<T: Send>() {}
    is_send::<LineReader>();
}

#[test]
fn oversized_line_is_skipped_without_buffering() {
    let mut input = vec![b'x'; 10_000_000];
    input.extend_from_slice(b"\nnext\r\n");
    input.extend_from_slice(&[b'y'; 5000]);
    input.extend_from_slice(b"\r\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    std::fs::write(&path, &input).unwrap();
    let mut reader = LineReader::open(&path, 1000).unwrap();
    let next = |r: &mut LineReader| r.next_line().unwrap().map(|l| (l.number, l.bytes, l.len));
    assert_eq!(next(&mut reader), Some((1, None, 10_000_000)));
    assert!(reader.buf.capacity() < 10_000, "{}", reader.buf.capacity());
    assert_eq!(next(&mut reader), Some((2, Some(b"next".to_vec()), 4)));
    assert_eq!(next(&mut reader), Some((3, None, 5000)));
    assert_eq!(next(&mut reader), None);
    assert_eq!(reader.decompressed_bytes_read(), input.len() as u64);
}

#[test]
fn reads_every_format_of_the_sample() {
    let plain = sample_plain();
    let n_lines = plain.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(n_lines, 1126);
    let zst = zstd::encode_all(&plain[..], 3).unwrap();
    let mut two_frames = zstd::encode_all(&plain[..1000], 3).unwrap();
    two_frames.extend(zstd::encode_all(&plain[1000..], 3).unwrap());
    let mut two_members = gzip(&plain[..1000]);
    two_members.extend(gzip(&plain[1000..]));
    let cases: [(&str, Vec<u8>); 5] = [
        ("s.jsonl", plain.clone()),
        ("s.jsonl.gz", gzip(&plain)),
        ("s.jsonl.zst", zst),
        ("s2.jsonl.zst", two_frames),
        ("s2.jsonl.gz", two_members),
    ];
    for (name, contents) in cases {
        let lines = read_all(name, &contents, 1 << 26).unwrap();
        assert_eq!(lines.len(), 1126, "{name}");
        let mut joined = Vec::new();
        for line in lines {
            joined.extend(line.bytes.unwrap());
            joined.push(b'\n');
        }
        assert!(joined == plain, "{name}: lines differ from the original");
    }
}

/// Reads `contents` as `name` and returns the error text, which must name file and line.
fn broken(name: &str, contents: &[u8]) -> String {
    let err = read_all(name, contents, 1 << 26).expect_err("a damaged stream must fail");
    assert!(err.downcast_ref::<ReadError>().is_some(), "{err:#}");
    let text = format!("{err:#}");
    assert!(text.contains(name) && text.contains("after line"), "{text}");
    assert!(text.contains("re-copy it"), "{text}");
    text
}

#[test]
fn damaged_streams_are_errors_not_short_files() {
    let plain = sample_plain();
    let gz = gzip(&plain);
    let zst = zstd::encode_all(&plain[..], 3).unwrap();
    let text = broken("cut.jsonl.gz", &gz[..gz.len() / 2]);
    assert!(!text.contains("after line 0 "), "{text}");
    broken("cut.jsonl.zst", &zst[..zst.len() / 2]);
    let mut corrupt = gz.clone();
    corrupt[gz.len() / 2] ^= 0x55;
    broken("corrupt.jsonl.gz", &corrupt);
    let mut bad_crc = gz.clone();
    bad_crc[gz.len() - 8] ^= 0xff;
    let text = broken("crc.jsonl.gz", &bad_crc);
    assert!(text.contains("after line 1126 "), "{text}");
    broken("notgzip.jsonl.gz", b"{\"text\": \"plain\"}\n");
    broken("empty.jsonl.gz", b"");
    broken("empty.jsonl.zst", b"");
    let small = gzip(b"one\ntwo\nthree\n");
    let text = broken("trailer.jsonl.gz", &small[..small.len() - 4]);
    assert!(
        text.contains("after line 3 (14 decompressed bytes read)"),
        "{text}"
    );
}

/// Zero bytes after the last gzip member (tape blocks, some archivers) are padding, as
/// `gzip -d` and `gzip -t` take them; any other bytes there are damage.
#[test]
fn gzip_zero_padding_is_read_as_the_end_and_garbage_is_not() {
    let plain = sample_plain();
    let mut two_members = gzip(&plain[..1000]);
    two_members.extend(gzip(&plain[1000..]));
    for (name, members) in [
        ("one.jsonl.gz", gzip(&plain)),
        ("two.jsonl.gz", two_members),
    ] {
        for zeros in [1, 512, 10_240, 3 << 20] {
            let mut padded = members.clone();
            padded.resize(members.len() + zeros, 0);
            let lines = read_all(name, &padded, 1 << 26).unwrap();
            assert_eq!(lines.len(), 1126, "{name} + {zeros} zero bytes");
        }
        let mut garbage = members.clone();
        garbage.extend(b"PK\x03\x04 not gzip");
        let text = broken(name, &garbage);
        assert!(text.contains("trailing garbage"), "{text}");
        let mut late_garbage = members.clone();
        late_garbage.extend([0; 700]);
        late_garbage.push(b'x');
        let text = broken(name, &late_garbage);
        assert!(text.contains("follows 700 bytes of zero padding"), "{text}");
        assert!(text.contains("after line 1126 "), "{text}");
        let mut bad_member = members.clone();
        bad_member.extend(&gzip(b"{}\n")[..6]);
        broken(name, &bad_member);
    }
}

/// A Parquet row read with its text apart (as the passes read it) stands for the same JSON
/// line as the row read whole: same length, same cap verdict, same bytes once put together.
#[test]
fn parquet_rows_read_apart_match_rows_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.parquet");
    let texts = [
        "plain".to_string(),
        "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} sep \u{2028} crab 🦀".into(),
        "\"".repeat(300),
        "\u{1}".repeat(200),
        "x".repeat(990),
        String::new(),
    ];
    let mut lines: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| {
            serde_json::to_vec(&serde_json::json!({"a": 1, "text": t, "z": {"k": "v"}})).unwrap()
        })
        .collect();
    lines.push(br#"{"a": 2, "text": null, "z": {"k": "v"}}"#.to_vec());
    super::super::write_parquet_file(&path, &lines, 3, super::super::Codec::Zstd).unwrap();
    let layout = RecordLayout::default();
    for cap in [1000, 1100, 2000, 1 << 20] {
        let mut whole = LineReader::open(&path, cap).unwrap();
        let mut apart = LineReader::open_input(&path, cap, &layout).unwrap();
        while let Some(w) = whole.next_line().unwrap() {
            let a = apart.next_line().unwrap().expect("as many rows");
            assert_eq!((w.number, w.len), (a.number, a.len), "cap {cap}");
            assert_eq!(
                w.bytes.is_none(),
                a.bytes.is_none(),
                "cap {cap}, row {}",
                w.number
            );
            if let (Some(whole_bytes), Some(apart_bytes)) = (&w.bytes, &a.bytes) {
                let rebuilt = match &a.text {
                    Some(text) => super::super::whole_row(apart_bytes, text, &layout),
                    None => apart_bytes.clone(),
                };
                let shown = String::from_utf8_lossy;
                assert_eq!(shown(&rebuilt), shown(whole_bytes));
            }
        }
        assert!(apart.next_line().unwrap().is_none());
    }
}
