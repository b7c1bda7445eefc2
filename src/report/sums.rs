//! Adding up partial counts: the ranks of a step-wise run each count their share, and the
//! merge adds them into the report's rows. Every count is a sum, so the order of the ranks
//! and their number do not change the result.

use super::model::{DecontamCounts, DecontamReport, RewriteCounts, SourceRow};
use std::collections::BTreeMap;

fn add_map(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
    for (key, n) in from {
        *into.entry(key.clone()).or_default() += n;
    }
}

impl SourceRow {
    /// Adds every count of `other` (a row of the same source) into this row; the name, slug
    /// and weight stay this row's.
    pub fn add(&mut self, other: &SourceRow) {
        let SourceRow {
            name: _,
            slug: _,
            weight: _,
            records_read,
            rejected,
            docs_read,
            bytes_read,
            dropped_by_rule,
            rewritten_by_rule,
            exact_duplicates,
            fuzzy_duplicates_within,
            fuzzy_duplicates_cross,
            docs_out,
            bytes_out,
            tokens_out,
            decontam_removed,
            decontam_split,
            decontam_trimmed,
            sequences_out,
            languages,
            language_deciles,
            quality_deciles,
        } = other;
        self.records_read += records_read;
        add_map(&mut self.rejected, rejected);
        self.docs_read += docs_read;
        self.bytes_read += bytes_read;
        add_map(&mut self.dropped_by_rule, dropped_by_rule);
        for (rule, counts) in rewritten_by_rule {
            let into: &mut RewriteCounts = self.rewritten_by_rule.entry(rule.clone()).or_default();
            into.docs += counts.docs;
            into.lines_removed += counts.lines_removed;
            into.chars_removed += counts.chars_removed;
        }
        self.exact_duplicates += exact_duplicates;
        self.fuzzy_duplicates_within += fuzzy_duplicates_within;
        self.fuzzy_duplicates_cross += fuzzy_duplicates_cross;
        self.docs_out += docs_out;
        self.bytes_out += bytes_out;
        self.tokens_out += tokens_out;
        self.decontam_removed += decontam_removed;
        self.decontam_split += decontam_split;
        self.decontam_trimmed += decontam_trimmed;
        self.sequences_out += sequences_out;
        add_map(&mut self.languages, languages);
        add_map(&mut self.language_deciles, language_deciles);
        add_map(&mut self.quality_deciles, quality_deciles);
    }
}

impl DecontamReport {
    /// Adds the per-task counts of `other` (the examples and n-gram totals describe the task
    /// files, the same for every rank, and stay this report's).
    pub fn add(&mut self, other: &DecontamReport) {
        for (task, sources) in &other.tasks {
            let into = self.tasks.entry(task.clone()).or_default();
            for (source, counts) in sources {
                let to: &mut DecontamCounts = into.entry(source.clone()).or_default();
                to.split += counts.split;
                to.trimmed += counts.trimmed;
                to.removed += counts.removed;
                add_map(&mut to.ngrams, &counts.ngrams);
            }
        }
    }

    /// Keeps, per task and source, the `n` most frequent matched n-grams (ties by n-gram).
    pub fn keep_top_ngrams(&mut self, n: usize) {
        for counts in self.tasks.values_mut().flat_map(|s| s.values_mut()) {
            let mut all: Vec<(String, u64)> =
                std::mem::take(&mut counts.ngrams).into_iter().collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts.ngrams = all.into_iter().take(n).collect();
        }
    }
}
