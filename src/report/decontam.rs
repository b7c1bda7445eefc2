//! The decontamination section of report.md: per task and source, documents split, trimmed
//! and removed, and the n-grams that matched.

use super::RunReport;
use std::fmt::Write;

/// Appends the section (nothing when no task file was configured).
pub fn decontam_section(md: &mut String, report: &RunReport) {
    let d = &report.decontam;
    if d.examples == 0 {
        return;
    }
    md.push_str("\n## Decontamination\n\n");
    let _ = writeln!(
        md,
        "- {} task examples, {} distinct n-grams searched, {} ignored as too common \
         (found in `key_threshold` documents or more)",
        d.examples, d.ngrams, d.ignored_ngrams
    );
    if d.tasks.is_empty() {
        md.push_str("- No task n-gram was found in the corpus.\n");
        return;
    }
    md.push_str("\n| task | source | split | trimmed | removed | matched n-grams (documents) |\n");
    md.push_str("|---|---|--:|--:|--:|---|\n");
    for (task, sources) in &d.tasks {
        for (source, counts) in sources {
            let ngrams: Vec<String> = counts
                .ngrams
                .iter()
                .map(|(ngram, docs)| format!("`{ngram}` ({docs})"))
                .collect();
            let _ = writeln!(
                md,
                "| {task} | {source} | {} | {} | {} | {} |",
                counts.split,
                counts.trimmed,
                counts.removed,
                ngrams.join("; ")
            );
        }
    }
}
