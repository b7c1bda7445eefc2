//! The shipped default run, end to end, and the validity of every output it writes.

use crate::util::{TestEnv, code, root, stable_report, stderr, zst_lines};
use pilecurate::shard::megatron::read_index;

#[test]
fn default_run_writes_valid_shards_reports_and_logs() {
    let env = TestEnv::new();
    let config = root().join("data/pilecurate.toml");
    let out = env.path("out");
    let output = env.run(&["run", config.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = stable_report(&out.join("report.json"));
    let sources = report["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 8);
    let mut total_out = 0;
    for source in sources {
        let slug = source["slug"].as_str().unwrap();
        let docs_out = source["docs_out"].as_u64().unwrap();
        let tokens_out = source["tokens_out"].as_u64().unwrap();
        // Decontamination may write one document as several sequences (pieces).
        let sequences = source["sequences_out"].as_u64().unwrap();
        assert!(sequences >= docs_out);
        total_out += docs_out;
        if docs_out == 0 {
            continue;
        }
        // Every kept document is in the Megatron shard, each ending with EOD (50256).
        let prefix = out.join("megatron").join(format!("{slug}_text_document"));
        let idx = std::fs::read(prefix.with_extension("idx")).unwrap();
        let bin = std::fs::read(prefix.with_extension("bin")).unwrap();
        let index = read_index(&idx).unwrap();
        assert_eq!(index.lengths.len() as u64, sequences, "{slug}");
        assert_eq!(bin.len() as u64, tokens_out * 2, "{slug}: uint16 tokens");
        for (len, ptr) in index.lengths.iter().zip(&index.pointers) {
            let end = (*ptr as usize) + (*len as usize) * 2;
            assert_eq!(&bin[end - 2..end], &50256u16.to_le_bytes(), "{slug}: EOD");
        }
        // The curated jsonl holds the same documents with their original meta.
        let docs = zst_lines(&out.join("docs").join(slug).join("part-00000.jsonl.zst"));
        assert_eq!(docs.len() as u64, sequences, "{slug}");
        assert_eq!(docs[0]["meta"]["pile_set_name"], source["name"]);
    }
    assert!(total_out > 100, "only {total_out} documents kept");
    // The shipped config gives each kind of source rule sets that fit it: no source loses
    // (nearly) everything, and none warns (the old config dropped all 87 Emails and 95% of
    // Reference under web-quality rules).
    assert_eq!(
        report["warnings"],
        serde_json::json!([]),
        "{:#}",
        report["warnings"]
    );
    for source in sources {
        let (name, out) = (&source["name"], source["docs_out"].as_u64().unwrap());
        let read = source["records_read"].as_u64().unwrap();
        assert!(out * 5 >= read * 2, "{name}: {out} of {read} kept");
    }
    let commit = report["header"]["git_commit"].as_str().unwrap();
    assert!(commit == "unknown" || commit.len() == 40, "{commit}");

    // Every dropped document has a removal record naming its file and line.
    let filtered = zst_lines(&out.join("removed/filtered.jsonl.zst"));
    let duplicates = zst_lines(&out.join("removed/duplicates.jsonl.zst"));
    assert!(!filtered.is_empty() && !duplicates.is_empty());
    for record in filtered.iter().chain(&duplicates) {
        assert!(
            record["file"]
                .as_str()
                .unwrap()
                .ends_with("sample.jsonl.gz")
        );
        assert!(record["line"].as_u64().unwrap() >= 1);
    }
    assert!(filtered.iter().all(|r| r["value"].is_number()));
    assert!(duplicates.iter().all(|r| r["duplicate_of"].is_u64()));
    let dropped: u64 = sources
        .iter()
        .map(|s| {
            let rules: u64 = s["dropped_by_rule"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.as_u64().unwrap())
                .sum();
            rules
                + s["exact_duplicates"].as_u64().unwrap()
                + s["fuzzy_duplicates_within"].as_u64().unwrap()
                + s["fuzzy_duplicates_cross"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(dropped, (filtered.len() + duplicates.len()) as u64);

    // The blend names exactly the shards that exist.
    let blend = std::fs::read_to_string(out.join("blend.txt")).unwrap();
    let prefixes: Vec<&str> = blend
        .split_whitespace()
        .filter(|w| w.starts_with("megatron/"))
        .collect();
    assert_eq!(
        prefixes.len(),
        sources
            .iter()
            .filter(|s| s["docs_out"].as_u64() > Some(0))
            .count()
    );
    for prefix in prefixes {
        assert!(out.join(format!("{prefix}.bin")).exists(), "{prefix}");
    }
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(markdown.contains("Wikipedia (en)") && markdown.contains("Totals"));
    assert!(!markdown.contains("## Warnings"), "{markdown}");
    for words in [
        "| bytes in |",
        "| kept % |",
        "| sequences out |",
        "- Date (UTC): ",
        &format!("- Command line: `{}", env!("CARGO_BIN_EXE_pilecurate")),
        "LSH candidate pairs (pairs of documents sharing",
        "| exact dedup | exact_duplicate |",
    ] {
        assert!(markdown.contains(words), "{words:?} not in {markdown}");
    }
    let manifest = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(manifest.contains("\"complete\""));
}
