//! The removals sections of report.md: every record that did not become a document, by
//! source, stage and reason, and what the rewriting rules cut out of the documents kept.

use super::format::{self, cell};
use super::model::RunReport;
use std::fmt::Write;

/// Every removal, per source in pipeline order: rejects by reason, filter drops by rule,
/// exact and fuzzy duplicates, decontamination.
pub fn removals_section(md: &mut String, report: &RunReport) {
    md.push_str("\n## Removals by stage and reason\n\n");
    let mut lines = Vec::new();
    let mut add = |source: &str, stage: &str, label: &str, n: u64| {
        if n > 0 {
            let (source, label) = (cell(source), cell(label));
            lines.push(format!(
                "| {source} | {stage} | {label} | {} |",
                format::count(n)
            ));
        }
    };
    for row in &report.sources {
        for (reason, &n) in &row.rejected {
            add(&row.name, "rejected", reason, n);
        }
        for (rule, &n) in &row.dropped_by_rule {
            add(&row.name, "filtered", rule, n);
        }
        add(
            &row.name,
            "exact dedup",
            "exact_duplicate",
            row.exact_duplicates,
        );
        let within = "fuzzy_duplicate (survivor in the same source)";
        add(
            &row.name,
            "fuzzy dedup",
            within,
            row.fuzzy_duplicates_within,
        );
        let cross = "fuzzy_duplicate (survivor in a higher-priority source)";
        add(&row.name, "fuzzy dedup", cross, row.fuzzy_duplicates_cross);
        let decontam = "removed (no piece long enough, or too many pieces)";
        add(&row.name, "decontamination", decontam, row.decontam_removed);
    }
    for (reason, &n) in &report.unattributed_rejects {
        add("(unattributed)", "rejected", reason, n);
    }
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
pub fn rewrites_section(md: &mut String, report: &RunReport) {
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
