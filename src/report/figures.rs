//! Figures derived from the counts: removal totals, tokens per byte, mean document length,
//! blend weight shares and epochs (MT-NLG's Table 2 columns), plus the totals row.

use super::model::{RunReport, SourceRow};
use serde::Serialize;
use std::collections::BTreeMap;

/// The derived columns of one row of the sources table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DerivedFigures {
    /// Records rejected before becoming documents, all reasons.
    pub rejected: u64,
    /// Documents dropped by filter rules, all rules.
    pub filtered: u64,
    /// Documents removed as exact or fuzzy duplicates.
    pub duplicates: u64,
    /// Share of the records written as documents, 0..=1: `docs_out / records_read`
    /// (`None` without records).
    pub kept_share: Option<f64>,
    /// `tokens_out / bytes_out` (`None` without output bytes).
    pub tokens_per_byte: Option<f64>,
    /// `tokens_out / docs_out` (`None` without output documents).
    pub mean_tokens_per_doc: Option<f64>,
    /// Share of the blend, 0..=1: the weight normalized over sources with tokens
    /// (`None` for a source without tokens, or when no source has a positive weight).
    pub weight_share: Option<f64>,
    /// Passes over the source when training on `target_tokens`: `share * target / tokens_out`
    /// (`None` without a share or without a target).
    pub epochs: Option<f64>,
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

impl SourceRow {
    /// Records rejected, all reasons.
    pub fn rejected_total(&self) -> u64 {
        self.rejected
            .values()
            .fold(0, |sum, &n| sum.saturating_add(n))
    }

    /// Documents dropped by filter rules, all rules.
    pub fn filtered_total(&self) -> u64 {
        self.dropped_by_rule
            .values()
            .fold(0, |sum, &n| sum.saturating_add(n))
    }

    /// Documents removed as duplicates: exact, fuzzy within the source and fuzzy across sources.
    pub fn duplicates_total(&self) -> u64 {
        self.exact_duplicates
            .saturating_add(self.fuzzy_duplicates_within)
            .saturating_add(self.fuzzy_duplicates_cross)
    }

    /// Tokens per UTF-8 byte of output text (the Pile's Table 7 measure; GPT-2 BPE on Pile-CC
    /// gives about 0.229).
    pub fn tokens_per_byte(&self) -> Option<f64> {
        ratio(self.tokens_out, self.bytes_out)
    }

    /// Mean tokens per output document, EOD included.
    pub fn mean_tokens_per_doc(&self) -> Option<f64> {
        ratio(self.tokens_out, self.docs_out)
    }

    /// Whether the source takes part in the blend: it produced tokens and has a positive weight.
    pub fn in_blend(&self) -> bool {
        self.tokens_out > 0 && self.weight.is_finite() && self.weight > 0.0
    }
}

impl RunReport {
    /// Sum of the weights of the sources in the blend.
    fn blend_weight_sum(&self) -> f64 {
        let weights = self.sources.iter().filter(|row| row.in_blend());
        weights.map(|row| row.weight).sum()
    }

    /// Blend share of each source, in source order (see [`DerivedFigures::weight_share`]).
    /// A zero, negative or non-finite weight counts as 0.
    pub fn weight_shares(&self) -> Vec<Option<f64>> {
        let sum = self.blend_weight_sum();
        let share = |row: &SourceRow| match (row.tokens_out > 0, sum > 0.0) {
            (true, true) if row.in_blend() => Some(row.weight / sum),
            (true, true) => Some(0.0),
            _ => None,
        };
        self.sources.iter().map(share).collect()
    }

    /// Epochs for a share of the blend over `tokens` tokens.
    fn epochs(&self, share: Option<f64>, tokens: u64) -> Option<f64> {
        let target = (self.target_tokens > 0).then_some(self.target_tokens as f64)?;
        let tokens = (tokens > 0).then_some(tokens as f64)?;
        Some(share? * target / tokens)
    }

    /// Derived figures of each source, in source order.
    pub fn derived(&self) -> Vec<DerivedFigures> {
        let shares = self.weight_shares();
        let rows = self.sources.iter().zip(shares);
        rows.map(|(row, share)| DerivedFigures {
            rejected: row.rejected_total(),
            filtered: row.filtered_total(),
            duplicates: row.duplicates_total(),
            kept_share: ratio(row.docs_out, row.records_read),
            tokens_per_byte: row.tokens_per_byte(),
            mean_tokens_per_doc: row.mean_tokens_per_doc(),
            weight_share: share,
            epochs: self.epochs(share, row.tokens_out),
        })
        .collect()
    }

    /// The totals row: every count summed over the sources, plus the unattributed rejects in
    /// `records_read` and `rejected` (so the totals satisfy the same accounting as a source).
    /// `weight` is the sum of the blend weights.
    pub fn totals(&self) -> SourceRow {
        let mut total = SourceRow {
            name: "Totals".to_string(),
            ..SourceRow::default()
        };
        let add = |sum: &mut u64, n: u64| *sum = sum.saturating_add(n);
        let merge = |sum: &mut BTreeMap<String, u64>, counts: &BTreeMap<String, u64>| {
            for (label, &n) in counts {
                add(sum.entry(label.clone()).or_default(), n);
            }
        };
        for row in &self.sources {
            add(&mut total.records_read, row.records_read);
            merge(&mut total.rejected, &row.rejected);
            add(&mut total.docs_read, row.docs_read);
            add(&mut total.bytes_read, row.bytes_read);
            merge(&mut total.dropped_by_rule, &row.dropped_by_rule);
            add(&mut total.exact_duplicates, row.exact_duplicates);
            add(
                &mut total.fuzzy_duplicates_within,
                row.fuzzy_duplicates_within,
            );
            add(
                &mut total.fuzzy_duplicates_cross,
                row.fuzzy_duplicates_cross,
            );
            add(&mut total.docs_out, row.docs_out);
            add(&mut total.bytes_out, row.bytes_out);
            add(&mut total.tokens_out, row.tokens_out);
            add(&mut total.sequences_out, row.sequences_out);
            add(&mut total.decontam_removed, row.decontam_removed);
            add(&mut total.decontam_split, row.decontam_split);
            add(&mut total.decontam_trimmed, row.decontam_trimmed);
        }
        total.weight = self.blend_weight_sum();
        let unattributed = self.unattributed_rejects.values();
        add(&mut total.records_read, unattributed.sum());
        merge(&mut total.rejected, &self.unattributed_rejects);
        total
    }

    /// Derived figures of the totals row: share 1 when any source is in the blend, and the
    /// epochs of the whole mix (`target_tokens / tokens_out`).
    pub fn totals_derived(&self) -> DerivedFigures {
        let total = self.totals();
        let share = self.sources.iter().any(SourceRow::in_blend).then_some(1.0);
        DerivedFigures {
            rejected: total.rejected_total(),
            filtered: total.filtered_total(),
            duplicates: total.duplicates_total(),
            kept_share: ratio(total.docs_out, total.records_read),
            tokens_per_byte: total.tokens_per_byte(),
            mean_tokens_per_doc: total.mean_tokens_per_doc(),
            weight_share: share,
            epochs: self.epochs(share, total.tokens_out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, tokens_out: u64, weight: f64) -> SourceRow {
        SourceRow {
            name: name.to_string(),
            tokens_out,
            weight,
            ..SourceRow::default()
        }
    }

    /// MT-NLG's Table 2: tokens (billions), weight %, epochs derived as w·270/tokens (§1.2).
    const MT_NLG: [(&str, f64, f64, f64); 15] = [
        ("Books3", 25.7, 14.336, 1.51),
        ("OpenWebText2", 14.8, 19.336, 3.53),
        ("Stack Exchange", 11.6, 5.689, 1.32),
        ("PubMed Abstracts", 4.4, 2.897, 1.78),
        ("Wikipedia", 4.2, 4.771, 3.07),
        ("Gutenberg (PG-19)", 2.7, 0.873, 0.87),
        ("BookCorpus2", 1.5, 1.007, 1.81),
        ("NIH ExPorter", 0.3, 0.208, 1.87),
        ("Pile-CC", 49.8, 9.446, 0.51),
        ("ArXiv", 20.8, 1.359, 0.18),
        ("GitHub", 24.3, 1.588, 0.18),
        ("CC-2020-50", 68.7, 13.017, 0.51),
        ("CC-2021-04", 82.6, 15.652, 0.51),
        ("RealNews", 21.9, 8.962, 1.10),
        ("CC-Stories", 5.3, 0.859, 0.44),
    ];

    fn mt_nlg() -> RunReport {
        let rows = MT_NLG
            .iter()
            .map(|&(name, tokens_b, weight, _)| row(name, (tokens_b * 1e9).round() as u64, weight));
        RunReport {
            sources: rows.collect(),
            target_tokens: 270_000_000_000,
            ..RunReport::default()
        }
    }

    #[test]
    fn reproduces_mt_nlg_epochs() {
        let report = mt_nlg();
        for ((name, _, weight, epochs), derived) in MT_NLG.iter().zip(report.derived()) {
            let share = derived.weight_share.expect("in blend");
            assert!(
                (share * 100.0 - weight).abs() < 1e-9,
                "{name}: share {share}"
            );
            let found = derived.epochs.expect("target given");
            assert!(
                (found - epochs).abs() < 0.005,
                "{name}: {found:.4} epochs, paper {epochs}"
            );
        }
        let totals = report.totals();
        assert_eq!(totals.tokens_out, 338_600_000_000);
        let whole = report.totals_derived().epochs.expect("target given");
        assert!((whole - 270.0 / 338.6).abs() < 1e-12);
    }

    #[test]
    fn shares_ignore_sources_without_tokens_or_weight() {
        let report = RunReport {
            sources: vec![
                row("a", 100, 3.0),
                row("b", 0, 5.0),
                row("c", 50, 1.0),
                row("d", 10, 0.0),
            ],
            target_tokens: 0,
            ..RunReport::default()
        };
        let shares = report.weight_shares();
        assert_eq!(shares, [Some(0.75), None, Some(0.25), Some(0.0)]);
        assert!(
            report.derived().iter().all(|d| d.epochs.is_none()),
            "no target, no epochs"
        );
        assert_eq!(report.totals().weight, 4.0);
    }

    #[test]
    fn ratios_and_totals() {
        let mut books = row("Books3", 2_477, 1.0);
        books.bytes_out = 10_000;
        books.docs_out = 4;
        books.rejected.insert("malformed_json".into(), 2);
        books.dropped_by_rule.insert("quality/word_count".into(), 3);
        books.exact_duplicates = 1;
        books.fuzzy_duplicates_cross = 2;
        let empty = row("Empty", 0, 1.0);
        assert_eq!(books.tokens_per_byte(), Some(0.2477));
        assert_eq!(books.mean_tokens_per_doc(), Some(619.25));
        assert_eq!(
            (empty.tokens_per_byte(), empty.mean_tokens_per_doc()),
            (None, None)
        );
        let mut report = RunReport {
            sources: vec![books.clone(), empty, books],
            ..RunReport::default()
        };
        report
            .unattributed_rejects
            .insert("malformed_json".into(), 5);
        let totals = report.totals();
        assert_eq!(totals.rejected["malformed_json"], 9);
        assert_eq!(totals.records_read, 5);
        assert_eq!((totals.filtered_total(), totals.duplicates_total()), (6, 6));
        assert_eq!(report.totals_derived().tokens_per_byte, Some(0.2477));
    }
}
