//! `report.md`: the run header, one sources table in the shape of MT-NLG's dataset table
//! (plus the removal columns a curation run adds), the removals by reason and rule, and the
//! dedup cluster-size histogram.

use super::figures::DerivedFigures;
use super::format::{self, NONE, cell};
use super::model::{RunReport, SourceRow};
use std::fmt::Write;

/// Inputs listed by name in the header; the rest are counted (`report.json` has them all).
const MAX_INPUTS_LISTED: usize = 20;

const TABLE_HEADER: &str = "| source | records | rejected | docs in | filtered (total) \
    | exact dups | fuzzy dups within | fuzzy dups cross-source | docs out | bytes out \
    | tokens out | tokens/byte | mean tokens/doc | weight % | epochs |\n\
    |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";

/// Renders the report as Markdown.
pub fn render_markdown(report: &RunReport) -> String {
    let mut md = String::new();
    header(&mut md, report);
    sources_table(&mut md, report);
    removals(&mut md, report);
    rewrites(&mut md, report);
    dedup(&mut md, report);
    super::distributions::distributions_section(&mut md, report);
    super::decontam::decontam_section(&mut md, report);
    md
}

fn header(md: &mut String, report: &RunReport) {
    let h = &report.header;
    md.push_str("# pilecurate run report\n\n");
    let _ = writeln!(md, "- Tool version: {}", h.tool_version);
    let _ = writeln!(
        md,
        "- Config: `{}` (hash `{}`)",
        h.config_path, h.config_hash
    );
    let _ = writeln!(
        md,
        "- Inputs: {} files",
        format::count(h.inputs.len() as u64)
    );
    for input in h.inputs.iter().take(MAX_INPUTS_LISTED) {
        let _ = writeln!(md, "  - `{input}`");
    }
    if h.inputs.len() > MAX_INPUTS_LISTED {
        let rest = h.inputs.len() - MAX_INPUTS_LISTED;
        let _ = writeln!(md, "  - … and {rest} more (listed in report.json)");
    }
    let _ = writeln!(md, "- Threads: {}", h.threads);
    let _ = writeln!(md, "- Tokenizer: {}", h.tokenizer);
    let target = match report.target_tokens {
        0 => NONE.to_string(),
        n => format!("{} ({})", format::tokens(n), format::count(n)),
    };
    let _ = writeln!(md, "- Target training tokens (for epochs): {target}");
    let stages = h.stage_seconds.iter();
    let stages: Vec<String> = stages
        .map(|(stage, secs)| format!("{stage} {}", format::seconds(*secs)))
        .collect();
    let total = format::seconds(h.total_seconds);
    if stages.is_empty() {
        let _ = writeln!(md, "- Wall time: total {total}");
    } else {
        let _ = writeln!(md, "- Wall time: {}; total {total}", stages.join(", "));
    }
}

fn table_row(md: &mut String, name: &str, row: &SourceRow, derived: &DerivedFigures) {
    let cells = [
        cell(name),
        format::count(row.records_read),
        format::count(derived.rejected),
        format::count(row.docs_read),
        format::count(derived.filtered),
        format::count(row.exact_duplicates),
        format::count(row.fuzzy_duplicates_within),
        format::count(row.fuzzy_duplicates_cross),
        format::count(row.docs_out),
        format::bytes(row.bytes_out),
        format::tokens(row.tokens_out),
        format::fixed(derived.tokens_per_byte, 4),
        format::fixed(derived.mean_tokens_per_doc, 1),
        format::fixed(derived.weight_share.map(|share| share * 100.0), 3),
        format::fixed(derived.epochs, 2),
    ];
    let _ = writeln!(md, "| {} |", cells.join(" | "));
}

fn sources_table(md: &mut String, report: &RunReport) {
    md.push_str("\n## Sources\n\n");
    md.push_str(TABLE_HEADER);
    for (row, derived) in report.sources.iter().zip(report.derived()) {
        table_row(md, &row.name, row, &derived);
    }
    if !report.unattributed_rejects.is_empty() {
        let rejected = report.unattributed_rejects.values().sum();
        let row = SourceRow {
            records_read: rejected,
            rejected: report.unattributed_rejects.clone(),
            ..SourceRow::default()
        };
        let derived = DerivedFigures {
            rejected,
            ..DerivedFigures::default()
        };
        table_row(md, "(unattributed)", &row, &derived);
    }
    table_row(md, "**Totals**", &report.totals(), &report.totals_derived());
    md.push_str(
        "\nWeight % is the configured weight normalized over sources with tokens; \
         epochs = weight × target tokens / tokens out. \
         `blend.txt` holds the same weights for Megatron's `--data-args-path`.\n",
    );
}

fn removals(md: &mut String, report: &RunReport) {
    md.push_str("\n## Removals by reason\n\n");
    let mut lines = Vec::new();
    let mut add = |source: &str, stage: &str, counts: &std::collections::BTreeMap<String, u64>| {
        for (label, &n) in counts.iter().filter(|(_, n)| **n > 0) {
            let name = cell(source);
            lines.push(format!(
                "| {name} | {stage} | {} | {} |",
                cell(label),
                format::count(n)
            ));
        }
    };
    for row in &report.sources {
        add(&row.name, "rejected", &row.rejected);
        add(&row.name, "filtered", &row.dropped_by_rule);
    }
    add("(unattributed)", "rejected", &report.unattributed_rejects);
    if lines.is_empty() {
        md.push_str("None.\n");
        return;
    }
    md.push_str("| source | stage | reason or rule | count |\n|---|---|---|--:|\n");
    for line in lines {
        md.push_str(&line);
        md.push('\n');
    }
}

/// The rewriting rules' removals, under the removals (omitted when no rule rewrote).
fn rewrites(md: &mut String, report: &RunReport) {
    let rows = report.sources.iter().flat_map(|row| {
        let counts = row.rewritten_by_rule.iter();
        counts.map(move |(rule, counts)| (&row.name, rule, counts))
    });
    let mut rows = rows.filter(|(_, _, counts)| counts.docs > 0).peekable();
    if rows.peek().is_none() {
        return;
    }
    md.push_str(
        "\nRewriting rules (documents kept by the filters whose text a rule changed):\n\n\
         | source | rule | docs rewritten | lines removed | chars removed |\n\
         |---|---|--:|--:|--:|\n",
    );
    for (source, rule, counts) in rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            cell(source),
            cell(rule),
            format::count(counts.docs),
            format::count(counts.lines_removed),
            format::count(counts.chars_removed)
        );
    }
}

fn dedup(md: &mut String, report: &RunReport) {
    let d = &report.dedup;
    md.push_str("\n## Deduplication\n\n");
    let _ = writeln!(md, "- Candidates: {}", format::count(d.candidates));
    let _ = writeln!(
        md,
        "- Memory per input line through dedup: {} bit{} (the keep set{}; keys, origins and \
         pairs are on disk)",
        d.memory_bits_per_line,
        if d.memory_bits_per_line == 1 { "" } else { "s" },
        if d.memory_bits_per_line > 1 {
            ", and the lines holding a task n-gram"
        } else {
            ""
        }
    );
    if d.spill_runs > 0 {
        let _ = writeln!(
            md,
            "- Keys on disk: {} per document, in {} sorted runs",
            format::bytes(d.disk_bytes_per_doc),
            format::count(d.spill_runs)
        );
        let _ = writeln!(
            md,
            "- LSH candidate pairs: {}, rejected by exact-Jaccard verification: {}",
            format::count(d.lsh_candidate_pairs),
            format::count(d.verification_rejected)
        );
    }
    let clustered = d
        .cluster_sizes
        .iter()
        .filter(|(size, n)| **size >= 2 && **n > 0);
    let clustered: Vec<(u64, u64)> = clustered.map(|(&size, &n)| (size, n)).collect();
    if clustered.is_empty() {
        md.push_str("\nNo duplicate clusters.\n");
        return;
    }
    md.push_str("\n| cluster size | clusters | documents | removed |\n|--:|--:|--:|--:|\n");
    for (size, n) in clustered {
        let docs = size.saturating_mul(n);
        let removed = (size - 1).saturating_mul(n);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            format::count(size),
            format::count(n),
            format::count(docs),
            format::count(removed)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::sample_report;

    /// `golden/sample_report.md` is the expected rendering of the shared sample report,
    /// checked by hand: edit both together.
    #[test]
    fn golden() {
        let expected = include_str!("golden/sample_report.md");
        assert_eq!(render_markdown(&sample_report()), expected);
    }

    #[test]
    fn empty_report_renders_without_tables_of_nothing() {
        let md = render_markdown(&RunReport::default());
        assert!(md.contains("- Inputs: 0 files\n"), "{md}");
        assert!(md.contains("| **Totals** | 0 | 0 | 0 |"), "{md}");
        assert!(md.contains("## Removals by reason\n\nNone.\n"), "{md}");
        assert!(md.ends_with("No duplicate clusters.\n"), "{md}");
    }

    #[test]
    fn long_input_lists_are_cut() {
        let mut report = RunReport::default();
        report.header.inputs = (0..25).map(|i| format!("train/{i:02}.jsonl.zst")).collect();
        let md = render_markdown(&report);
        assert!(
            md.contains("  - `train/19.jsonl.zst`\n  - … and 5 more (listed in report.json)\n")
        );
        assert!(!md.contains("train/20"));
    }
}
