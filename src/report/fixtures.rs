//! A small hand-built report shared by the renderers' tests: two sources in the blend, one
//! that lost everything to rejects, and unattributed rejects.

use super::model::{DedupSummary, RewriteCounts, RunHeader, RunReport, SourceRow};
use std::collections::BTreeMap;

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs
        .iter()
        .map(|&(label, n)| (label.to_string(), n))
        .collect()
}

/// Balanced under `check_accounting`; weights 0.3 / 0.7 / 0.2 (the last has no tokens).
pub fn sample_report() -> RunReport {
    let pile_cc = SourceRow {
        name: "Pile-CC".into(),
        slug: "Pile-CC".into(),
        records_read: 1_200,
        rejected: counts(&[("malformed_json", 3), ("empty_text", 2)]),
        docs_read: 1_195,
        bytes_read: 5_000_000,
        dropped_by_rule: counts(&[
            ("quality/word_count", 150),
            ("quality/symbol_word_ratio", 45),
        ]),
        rewritten_by_rule: BTreeMap::from([(
            "c4/line_terminal_punctuation".to_string(),
            RewriteCounts {
                docs: 640,
                lines_removed: 5_210,
                chars_removed: 181_313,
            },
        )]),
        exact_duplicates: 100,
        fuzzy_duplicates_within: 200,
        fuzzy_duplicates_cross: 0,
        decontam_removed: 2,
        decontam_split: 5,
        docs_out: 698,
        sequences_out: 712,
        bytes_out: 3_031_040,
        tokens_out: 694_400,
        weight: 0.3,
        ..SourceRow::default()
    };
    let books = SourceRow {
        name: "Books3".into(),
        slug: "Books3".into(),
        records_read: 10,
        docs_read: 10,
        bytes_read: 4_500_000,
        fuzzy_duplicates_within: 1,
        fuzzy_duplicates_cross: 1,
        docs_out: 8,
        sequences_out: 8,
        bytes_out: 4_410_000,
        tokens_out: 1_092_357,
        weight: 0.7,
        ..SourceRow::default()
    };
    let nih = SourceRow {
        name: "NIH ExPorter".into(),
        slug: "NIH_ExPorter".into(),
        records_read: 5,
        rejected: counts(&[("oversized_line", 5)]),
        weight: 0.2,
        ..SourceRow::default()
    };
    RunReport {
        header: RunHeader {
            tool_version: "0.1.0".into(),
            git_commit: "0123456789abcdef".into(),
            date_utc: "2026-12-03T08:06:14Z".into(),
            command_line: "pilecurate run runs/pile.toml -j 8".into(),
            config_path: "runs/pile.toml".into(),
            config_hash: "3f2a9c01".into(),
            inputs: vec!["data/00.jsonl.zst".into(), "data/01.jsonl.zst".into()],
            input_layouts: Vec::new(),
            threads: 8,
            tokenizer: "tokenizers/gpt2.json (HF tokenizers)".into(),
            stage_seconds: vec![
                ("scan".into(), 12.5),
                ("exact".into(), 20.0),
                ("fuzzy".into(), 55.0),
                ("cluster".into(), 0.25),
                ("emit".into(), 3_690.0),
                ("merge".into(), 10.0),
            ],
            total_seconds: 3_787.75,
            tasks: 1,
            spill_runs: 3,
        },
        sources: vec![pile_cc, books, nih],
        unattributed_rejects: counts(&[("malformed_json", 4)]),
        dedup: DedupSummary {
            candidates: 910,
            memory_bits_per_line: 1,
            cluster_sizes: BTreeMap::from([(2, 90), (3, 50), (5, 3)]),
            ..DedupSummary::default()
        },
        target_tokens: 2_000_000,
        decontam: Default::default(),
    }
}
