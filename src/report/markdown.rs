//! `report.md`: the warnings and the run header (`header`), one sources table in the shape
//! of MT-NLG's dataset table (plus the removal columns a curation run adds), the removals by
//! stage and reason, and the dedup cluster-size histogram.

use super::figures::DerivedFigures;
use super::format::{self, cell};
use super::model::{RunReport, SourceRow};
use std::fmt::Write;

/// Renders the report as Markdown.
pub fn render_markdown(report: &RunReport) -> String {
    let mut md = String::from("# pilecurate run report\n");
    super::header::warnings_section(&mut md, report);
    super::header::run_section(&mut md, report);
    sources_table(&mut md, report);
    super::removals::removals_section(&mut md, report);
    super::removals::rewrites_section(&mut md, report);
    dedup(&mut md, report);
    super::distributions::distributions_section(&mut md, report);
    super::decontam::decontam_section(&mut md, report);
    md
}

/// A column of the sources table: its title and how a row fills it.
type Column = (&'static str, fn(&SourceRow, &DerivedFigures) -> String);

/// The sources table's columns after the name. Decontamination removals and Megatron
/// sequences get a column only when some source has them.
fn columns(report: &RunReport) -> Vec<Column> {
    let decontam = report.sources.iter().any(|r| r.decontam_removed > 0);
    let pieces = report.sources.iter().any(|r| r.sequences_out > r.docs_out);
    let mut columns: Vec<Column> = vec![
        ("records", |r, _| format::count(r.records_read)),
        ("rejected", |_, d| format::count(d.rejected)),
        ("docs in", |r, _| format::count(r.docs_read)),
        ("bytes in", |r, _| format::bytes(r.bytes_read)),
        ("filtered", |_, d| format::count(d.filtered)),
        ("exact dups", |r, _| format::count(r.exact_duplicates)),
        ("fuzzy dups within", |r, _| {
            format::count(r.fuzzy_duplicates_within)
        }),
        ("fuzzy dups cross-source", |r, _| {
            format::count(r.fuzzy_duplicates_cross)
        }),
    ];
    if decontam {
        columns.push(("decontam removed", |r, _| format::count(r.decontam_removed)));
    }
    columns.push(("docs out", |r, _| format::count(r.docs_out)));
    if pieces {
        columns.push(("sequences out", |r, _| format::count(r.sequences_out)));
    }
    columns.extend::<[Column; 7]>([
        ("kept %", |_, d| {
            format::fixed(d.kept_share.map(|s| s * 100.0), 1)
        }),
        ("bytes out", |r, _| format::bytes(r.bytes_out)),
        ("tokens out", |r, _| format::tokens(r.tokens_out)),
        ("tokens/byte", |_, d| format::fixed(d.tokens_per_byte, 4)),
        ("mean tokens/doc", |_, d| {
            format::fixed(d.mean_tokens_per_doc, 1)
        }),
        ("weight %", |_, d| {
            format::fixed(d.weight_share.map(|share| share * 100.0), 3)
        }),
        ("epochs", |_, d| format::fixed(d.epochs, 2)),
    ]);
    columns
}

fn table_row(
    md: &mut String,
    name: &str,
    cells: (&SourceRow, &DerivedFigures),
    columns: &[Column],
) {
    let (row, derived) = cells;
    let mut line = format!("| {} |", cell(name));
    for (_, fill) in columns {
        let _ = write!(line, " {} |", fill(row, derived));
    }
    md.push_str(&line);
    md.push('\n');
}

fn sources_table(md: &mut String, report: &RunReport) {
    md.push_str("\n## Sources\n\n");
    let columns = columns(report);
    let titles: Vec<&str> = columns.iter().map(|(title, _)| *title).collect();
    let _ = writeln!(md, "| source | {} |", titles.join(" | "));
    let _ = writeln!(md, "|---|{}", "--:|".repeat(columns.len()));
    for (row, derived) in report.sources.iter().zip(report.derived()) {
        table_row(md, &row.name, (row, &derived), &columns);
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
            kept_share: Some(0.0),
            ..DerivedFigures::default()
        };
        table_row(md, "(unattributed)", (&row, &derived), &columns);
    }
    let (totals, derived) = (report.totals(), report.totals_derived());
    table_row(md, "**Totals**", (&totals, &derived), &columns);
    md.push_str(
        "\nRecords are input lines; docs in are the records read as documents (the rest are \
         rejected). Bytes are UTF-8 bytes of document text. Kept % = docs out ÷ records. \
         Weight % is the configured weight normalized over sources with tokens; \
         epochs = weight × target tokens / tokens out. \
         `blend.txt` holds the same weights for Megatron's `--data-args-path`.\n",
    );
    if columns.iter().any(|(title, _)| *title == "sequences out") {
        md.push_str(
            "Sequences out are the Megatron sequences written: more than docs out where \
             decontamination split a document into pieces.\n",
        );
    }
}

fn dedup(md: &mut String, report: &RunReport) {
    let d = &report.dedup;
    md.push_str("\n## Deduplication\n\n");
    let _ = writeln!(
        md,
        "- Documents deduplicated (the filter survivors, `dedup.candidates` in report.json): {}",
        format::count(d.candidates)
    );
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
            "- Keys on disk: {} per document, in sorted runs (how many: see the header)",
            format::bytes(d.disk_bytes_per_doc),
        );
    }
    if d.spill_runs > 0 || d.lsh_candidate_pairs > 0 {
        let _ = writeln!(
            md,
            "- LSH candidate pairs (pairs of documents sharing at least one MinHash band key, \
             each a possible fuzzy duplicate): {}, rejected by exact-Jaccard verification: {}",
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
        assert!(
            md.contains("## Removals by stage and reason\n\nNone.\n"),
            "{md}"
        );
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
