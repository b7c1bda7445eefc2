//! Other dataset layouts read as the Pile is: the shipped sample rewritten as Dolma-style
//! jsonl (per-document `source` and `id`), RedPajama-style jsonl (`meta.redpajama_set_name`)
//! and Parquet with nested struct columns gives the same `megatron/` as the Pile-format run;
//! the curated copy keeps every input field, carries the document's id, and reads back as
//! Parquet when asked for.

use crate::util::{TestEnv, code, gzip, root, sample_lines, stderr, tree, zst_lines, zstd};
use pilecurate::io::Codec;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The shipped default config with `input` as its only `[[input]]` body and `extra` under
/// `[output]`, paths made absolute.
fn default_config(env: &TestEnv, name: &str, input: &str, output: &str) -> PathBuf {
    let data = root().join("data");
    let text = std::fs::read_to_string(data.join("pilecurate.toml")).unwrap();
    let text = text
        .replace(
            "path = \"sample/*.jsonl.gz\"     # source from meta.pile_set_name",
            input,
        )
        .replace("\"tokenizer/", &format!("\"{}/tokenizer/", data.display()))
        .replace("\"../filters/", &format!("\"{}/filters/", root().display()))
        .replace("\"eval/", &format!("\"{}/eval/", data.display()))
        .replace("write_docs = true", &format!("write_docs = true\n{output}"));
    // Small parts, to see several.
    let text = match output.contains("parquet") {
        true => text.replace("docs_part_bytes = 268435456", "docs_part_bytes = 200000"),
        false => text,
    };
    assert!(text.contains(input), "the default config's [[input]] moved");
    env.write(name, text.as_bytes())
}

/// Runs `config` into `out` and checks it succeeded.
fn run_ok(env: &TestEnv, config: &Path, out: &str) -> PathBuf {
    let out = env.path(out);
    let output = env.run_config(config, &out, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    out
}

/// The sample's records, parsed.
fn sample() -> Vec<Value> {
    let lines = sample_lines(usize::MAX);
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The records with the text and meta nested in `doc` and a numeric `uid`.
fn nested_layout(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| json!({"uid": i, "doc": {"body": r["text"], "meta": r["meta"]}}))
        .collect()
}

fn to_lines(records: &[Value]) -> Vec<Vec<u8>> {
    records
        .iter()
        .map(|r| serde_json::to_vec(r).unwrap())
        .collect()
}

fn joined(lines: &[Vec<u8>]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect()
}

/// `megatron/` and `blend.txt` of a run folder.
fn shards(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = tree(out);
    files.retain(|(name, _)| name.starts_with("megatron/") || name == "blend.txt");
    assert!(files.len() > 2, "no shards in {}", out.display());
    files
}

/// Every curated record of a run, source by source, part by part.
fn curated(out: &Path) -> Vec<Value> {
    let mut parts: Vec<(String, Vec<u8>)> = tree(out);
    parts.retain(|(name, _)| name.starts_with("docs/") && name.ends_with(".jsonl.zst"));
    let mut records = Vec::new();
    for (name, _) in parts {
        records.extend(zst_lines(&out.join(name)));
    }
    records
}

#[test]
fn every_layout_gives_the_same_shards_and_keeps_every_field() {
    let env = TestEnv::new();
    let records = sample();
    let pile = env.write("pile.jsonl", &joined(&to_lines(&records)));
    let name = |r: &Value| r["meta"]["pile_set_name"].clone();
    let dolma: Vec<Value> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({"id": format!("doc-{i}"), "text": r["text"], "source": name(r),
                   "added": "2024-01-01T00:00:00Z", "metadata": r["meta"]})
        })
        .collect();
    env.write("dolma.jsonl.gz", &gzip(&joined(&to_lines(&dolma))));
    let redpajama: Vec<Value> = records
        .iter()
        .map(|r| json!({"text": r["text"], "meta": {"redpajama_set_name": name(r), "orig": r["meta"]}}))
        .collect();
    env.write("redpajama.jsonl.zst", &zstd(&joined(&to_lines(&redpajama))));
    let nested = nested_layout(&records);
    // Small row groups: the reader crosses many of them.
    pilecurate::io::write_parquet_file(
        &env.path("nested.parquet"),
        &to_lines(&nested),
        100,
        Codec::Zstd,
    )
    .unwrap();
    // A top-level text column, which the reader hands over apart from the JSON line.
    pilecurate::io::write_parquet_file(
        &env.path("flat.parquet"),
        &to_lines(&records),
        64,
        Codec::Snappy,
    )
    .unwrap();

    let input = |path: &Path| format!("path = {:?}", path.display().to_string());
    let base = run_ok(
        &env,
        &default_config(&env, "pile.toml", &input(&pile), ""),
        "pile",
    );
    let layouts = [
        ("flat", "path = \"flat.parquet\""),
        (
            "dolma",
            "path = \"dolma.jsonl.gz\"\nsource_field = \"source\"\nid_field = \"id\"",
        ),
        (
            "redpajama",
            "path = \"redpajama.jsonl.zst\"\nsource_field = \"meta.redpajama_set_name\"",
        ),
        (
            "nested",
            "path = \"nested.parquet\"\ntext_field = \"doc.body\"\n\
             source_field = \"doc.meta.pile_set_name\"\nid_field = \"uid\"",
        ),
    ];
    for (name, body) in layouts {
        let out = run_ok(
            &env,
            &default_config(&env, &format!("{name}.toml"), body, ""),
            name,
        );
        assert!(
            shards(&out) == shards(&base),
            "{name}: megatron/ differs from the Pile run"
        );
    }

    // The Pile copy: the record as it was, plus its id, file:line.
    let kept = curated(&base);
    assert!(kept.len() > 500, "{}", kept.len());
    for record in &kept {
        let id = record["pilecurate_id"].as_str().unwrap();
        let (file, line) = id.rsplit_once(':').unwrap();
        assert!(file.ends_with("pile.jsonl"), "{id}");
        let line: usize = line.parse().unwrap();
        let mut original = records[line - 1].clone();
        let text_changed = original["text"] != record["text"];
        original["text"] = record["text"].clone();
        original["pilecurate_id"] = json!(id);
        if record.get("pilecurate_piece").is_none() {
            assert_eq!(record, &original, "{id} (text rewritten: {text_changed})");
        }
    }
    // The flat Parquet copy: the same texts and sources, in the same order.
    let flat = curated(&env.path("flat"));
    assert_eq!(flat.len(), kept.len());
    for (row, record) in flat.iter().zip(&kept) {
        assert_eq!(row["text"], record["text"]);
        assert_eq!(
            row["meta"]["pile_set_name"],
            record["meta"]["pile_set_name"]
        );
        let line = |r: &Value| {
            r["pilecurate_id"]
                .as_str()
                .unwrap()
                .rsplit_once(':')
                .unwrap()
                .1
                .to_string()
        };
        assert_eq!(line(row), line(record));
    }
    // The Dolma copy keeps every field, and its id is the input's.
    for record in curated(&env.path("dolma")) {
        let id = record["id"].as_str().unwrap();
        assert_eq!(record["pilecurate_id"], id);
        let i: usize = id.strip_prefix("doc-").unwrap().parse().unwrap();
        assert_eq!(record["metadata"], dolma[i]["metadata"]);
        assert_eq!(record["added"], "2024-01-01T00:00:00Z");
    }
    // The logs use the same ids.
    let filtered = zst_lines(&env.path("nested/removed/filtered.jsonl.zst"));
    assert!(!filtered.is_empty());
    for removal in filtered {
        let uid: usize = removal["doc_id"].as_str().unwrap().parse().unwrap();
        assert_eq!(uid as u64 + 1, removal["line"].as_u64().unwrap());
    }
    let cut = zst_lines(&env.path("dolma/removed/decontaminated.jsonl.zst"));
    assert!(!cut.is_empty(), "the sample has known benchmark overlaps");
    for record in cut {
        let line = record["line"].as_u64().unwrap() as usize;
        assert_eq!(record["doc_id"], format!("doc-{}", line - 1));
    }
    // Duplicates name themselves and their survivors by input id too.
    let duplicates = zst_lines(&env.path("dolma/removed/duplicates.jsonl.zst"));
    assert!(!duplicates.is_empty(), "the sample has duplicates");
    for removal in duplicates {
        let line = removal["line"].as_u64().unwrap() as usize;
        assert_eq!(removal["doc_id"], format!("doc-{}", line - 1));
        let survivor = removal["duplicate_of_doc_id"].as_str().unwrap();
        assert!(
            survivor.starts_with("doc-") && survivor != removal["doc_id"],
            "{removal}"
        );
    }
    for removal in zst_lines(&env.path("pile/removed/duplicates.jsonl.zst")) {
        let line = removal["line"].as_u64().unwrap();
        assert!(
            removal["doc_id"]
                .as_str()
                .unwrap()
                .ends_with(&format!("pile.jsonl:{line}"))
        );
    }
    let report: Value =
        serde_json::from_slice(&std::fs::read(env.path("nested/report.json")).unwrap()).unwrap();
    let layout = &report["inputs"][0];
    assert_eq!(layout["format"], "parquet", "{layout}");
    assert_eq!(layout["text_field"], "doc.body", "{layout}");
    assert_eq!(layout["id_field"], "uid", "{layout}");
}

/// Every row of every `part-*.parquet` under `dir`, as JSON, and the schema of the first.
fn parquet_rows(dir: &Path) -> (Vec<Value>, arrow_schema::SchemaRef) {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let mut parts: Vec<_> = tree(dir).into_iter().map(|(name, _)| name).collect();
    parts.retain(|name| name.ends_with(".parquet"));
    assert!(!parts.is_empty(), "no Parquet parts in {}", dir.display());
    let (mut rows, mut schema) = (Vec::new(), None);
    for name in parts {
        let file = std::fs::File::open(dir.join(name)).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        schema.get_or_insert_with(|| reader.schema().clone());
        for batch in reader.build().unwrap() {
            let mut writer = arrow_json::LineDelimitedWriter::new(Vec::new());
            writer.write(&batch.unwrap()).unwrap();
            writer.finish().unwrap();
            let json = writer.into_inner();
            for line in json.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                rows.push(serde_json::from_slice(line).unwrap());
            }
        }
    }
    (rows, schema.unwrap())
}

#[test]
fn the_curated_copy_reads_back_as_parquet() {
    let env = TestEnv::new();
    let records = sample();
    let pile = env.write("pile.jsonl", &joined(&to_lines(&records)));
    let input = format!("path = {:?}", pile.display().to_string());
    let jsonl = run_ok(&env, &default_config(&env, "a.toml", &input, ""), "jsonl");
    let parquet_format = "docs_format = \"parquet\"";
    let config = default_config(&env, "b.toml", &input, parquet_format);
    let parquet = run_ok(&env, &config, "parquet");
    assert!(shards(&parquet) == shards(&jsonl));
    let (rows, _) = parquet_rows(&parquet.join("docs"));
    let expected = curated(&jsonl);
    assert_eq!(rows.len(), expected.len());
    for (row, record) in rows.iter().zip(&expected) {
        assert_eq!(row["text"], record["text"]);
        assert_eq!(row["pilecurate_id"], record["pilecurate_id"]);
        assert_eq!(
            row["meta"]["pile_set_name"], record["meta"]["pile_set_name"],
            "{}",
            record["pilecurate_id"]
        );
    }
    let parts = tree(&parquet.join("docs")).len();
    assert!(parts > 8, "docs_part_bytes cuts parts: {parts}");

    // Parquet in, Parquet out: the input's schema, plus ours.
    let nested = nested_layout(&records);
    let path = env.path("nested.parquet");
    pilecurate::io::write_parquet_file(&path, &to_lines(&nested), 300, Codec::Snappy).unwrap();
    let body = "path = \"nested.parquet\"\ntext_field = \"doc.body\"\n\
                source_field = \"doc.meta.pile_set_name\"\nid_field = \"uid\"";
    let out = run_ok(
        &env,
        &default_config(&env, "c.toml", body, parquet_format),
        "nested",
    );
    let input_schema = pilecurate::io::parquet_schema(&path).unwrap();
    let (rows, schema) = parquet_rows(&out.join("docs"));
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, ["doc", "uid", "pilecurate_id", "pilecurate_piece"]);
    assert_eq!(
        schema.field(0),
        input_schema.field_with_name("doc").unwrap()
    );
    assert_eq!(rows.len(), expected.len());
    for row in rows {
        assert_eq!(row["pilecurate_id"], row["uid"].to_string());
    }
}

#[test]
fn bad_parquet_inputs_are_input_errors_naming_the_file() {
    let env = TestEnv::new();
    let lines = |records: Vec<Value>| to_lines(&records);
    let write = |name: &str, records: Vec<Value>| {
        pilecurate::io::write_parquet_file(&env.path(name), &lines(records), 10, Codec::Zstd)
            .unwrap()
    };
    let row =
        |i: usize| json!({"body": format!("document {i}"), "meta": {"pile_set_name": "Github"}});
    write("no_text.parquet", (0..30).map(row).collect());
    write(
        "int_text.parquet",
        (0..30)
            .map(|i| json!({"text": i, "meta": {"pile_set_name": "Github"}}))
            .collect(),
    );
    let good: Vec<Value> = (0..400)
        .map(|i| json!({"text": format!("document number {i} {}", "word ".repeat(i % 50)), "meta": {"pile_set_name": "Github"}}))
        .collect();
    write("good.parquet", good);
    let bytes = std::fs::read(env.path("good.parquet")).unwrap();
    env.write("cut.parquet", &bytes[..bytes.len() / 2]);
    env.write(
        "corrupt.parquet",
        &[&bytes[..8], &[0u8; 64][..], &bytes[72..]].concat(),
    );

    let cases = [
        (
            "no_text.parquet",
            vec!["no_text.parquet", "no column \"text\"", "body, meta"],
        ),
        (
            "int_text.parquet",
            vec!["int_text.parquet", "\"text\" is Int64, not a string"],
        ),
        ("cut.parquet", vec!["cut.parquet", "truncated"]),
        ("corrupt.parquet", vec!["corrupt.parquet"]),
    ];
    for (file, words) in cases {
        let input = format!("path = {file:?}");
        let config = env.config(&format!("{file}.toml"), &[&input], &["Github"], "");
        let output = env.run_config(&config, &env.path(&format!("out-{file}")), &[]);
        let message = stderr(&output);
        assert_eq!(code(&output), 4, "{file}: {message}");
        for word in words {
            assert!(message.contains(word), "{file}: {word:?} not in {message}");
        }
    }
    // A record without the configured id is a counted reject naming the path.
    env.write(
        "ids.jsonl",
        b"{\"text\": \"a b c d e\", \"meta\": {\"pile_set_name\": \"Github\"}}\n",
    );
    let input = "path = \"ids.jsonl\"\nid_field = \"meta.id\"";
    let config = env.config("ids.toml", &[input], &["Github"], "");
    let output = env.run_config(&config, &env.path("out-ids"), &[]);
    assert_eq!(code(&output), 6, "{}", stderr(&output));
    let rejects = zst_lines(&env.path("out-ids/rejects/rejects.jsonl.zst"));
    assert_eq!(rejects[0]["reason"], "missing_id");
    assert_eq!(rejects[0]["detail"], "no \"meta.id\" field");
    // A field inside the text is a config error.
    let input = "path = \"ids.jsonl\"\nid_field = \"text\"";
    let config = env.config("inside.toml", &[input], &["Github"], "");
    let output = env.run_config(&config, &env.path("out-inside"), &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is the text field"),
        "{}",
        stderr(&output)
    );
    // A path that is no path is a config error.
    let input = "path = \"ids.jsonl\"\ntext_field = \"doc..text\"";
    let config = env.config("path.toml", &[input], &["Github"], "");
    let output = env.run_config(&config, &env.path("out-path"), &[]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("text_field"),
        "{}",
        stderr(&output)
    );
}
