//! Warnings about a run that finished but probably did not do what its author meant: a
//! source that lost (nearly) every document, a weighted source left out of `blend.txt`, a
//! run that kept nothing, a source repeated too many epochs. A pure function of the report,
//! so the same run always gives the same warnings; written to `report.json`, `report.md` and
//! stderr.

use super::format;
use super::model::{RunReport, SourceRow};

/// A source that loses at least this share of its records is warned about.
pub const NEARLY_ALL_LOST: f64 = 0.95;
/// A source repeated more epochs than this (to reach `target_tokens`) is warned about.
pub const MAX_EPOCHS: f64 = 10.0;

/// The warnings of a finished run, in a fixed order: the run as a whole, then per source in
/// config order.
pub fn warnings(report: &RunReport) -> Vec<String> {
    let mut warnings = Vec::new();
    let totals = report.totals();
    if totals.docs_out == 0 {
        warnings.push(if totals.records_read == 0 {
            "the inputs held no record: nothing was written and blend.txt is empty".to_string()
        } else {
            format!(
                "the run kept no document of {} records: every one was rejected or removed \
                 (see the removals below) and blend.txt is empty",
                format::count(totals.records_read)
            )
        });
    }
    let others_in_blend = |row: &SourceRow| {
        let others = report.sources.iter().filter(|o| o.name != row.name);
        others.filter(|o| o.in_blend()).count()
    };
    for (row, derived) in report.sources.iter().zip(report.derived()) {
        let name = &row.name;
        if row.records_read == 0 {
            warnings.push(format!(
                "source {name:?} has no record in the inputs: check its name against \
                 meta.pile_set_name"
            ));
        } else if lost_share(row) >= NEARLY_ALL_LOST && totals.docs_out > 0 {
            warnings.push(format!(
                "source {name:?} kept {} of {} records ({:.1}% lost: {}): check its rule sets",
                format::count(row.docs_out),
                format::count(row.records_read),
                lost_share(row) * 100.0,
                causes(row)
            ));
        }
        let weighted = row.weight.is_finite() && row.weight > 0.0;
        if weighted && row.tokens_out == 0 && others_in_blend(row) > 0 {
            warnings.push(format!(
                "source {name:?} has weight {} but wrote no tokens: blend.txt leaves it out \
                 and renormalizes the weights of the other sources",
                row.weight
            ));
        }
        if let Some(epochs) = derived.epochs.filter(|&e| e > MAX_EPOCHS) {
            warnings.push(format!(
                "source {name:?} is repeated {epochs:.1} epochs to give its weight share of \
                 target_tokens ({}), more than {MAX_EPOCHS}: lower its weight or the target",
                format::tokens(report.target_tokens)
            ));
        }
    }
    warnings
}

/// Share of the source's records that did not become an output document.
fn lost_share(row: &SourceRow) -> f64 {
    let lost = row.records_read.saturating_sub(row.docs_out);
    lost as f64 / row.records_read.max(1) as f64
}

/// Where a source's records went, largest cause first: `80 filtered (most by set/rule: 75),
/// 7 rejected`.
fn causes(row: &SourceRow) -> String {
    let top_rule = row
        .dropped_by_rule
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    let filtered = match top_rule {
        Some((rule, &n)) if row.dropped_by_rule.len() > 1 => {
            format!("filtered (most by {rule}: {})", format::count(n))
        }
        Some((rule, _)) => format!("filtered by {rule}"),
        None => "filtered".to_string(),
    };
    let mut causes = [
        (row.rejected_total(), "rejected".to_string()),
        (row.filtered_total(), filtered),
        (row.duplicates_total(), "duplicates".to_string()),
        (row.decontam_removed, "decontaminated".to_string()),
    ];
    // Stable: equal counts keep the pipeline's order.
    causes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let shown = causes.iter().filter(|(n, _)| *n > 0);
    let shown = shown.map(|(n, what)| format!("{} {what}", format::count(*n)));
    shown.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::sample_report;

    fn check(report: &RunReport, expected: &[&str]) {
        assert_eq!(warnings(report), expected);
    }

    #[test]
    fn the_sample_report_warns_of_its_empty_source() {
        check(
            &sample_report(),
            &[
                "source \"NIH ExPorter\" kept 0 of 5 records (100.0% lost: 5 rejected): \
                 check its rule sets",
                "source \"NIH ExPorter\" has weight 0.2 but wrote no tokens: blend.txt leaves \
                 it out and renormalizes the weights of the other sources",
            ],
        );
    }

    #[test]
    fn each_condition_warns_and_a_healthy_run_does_not() {
        let mut report = sample_report();
        report.sources.truncate(2);
        check(&report, &[]);
        // 95% lost warns, 94% does not.
        let pile_cc = &mut report.sources[0];
        *pile_cc
            .dropped_by_rule
            .get_mut("quality/word_count")
            .unwrap() += 640;
        pile_cc.docs_out = 60;
        check(
            &report,
            &[
                "source \"Pile-CC\" kept 60 of 1,200 records (95.0% lost: 835 filtered (most by \
               quality/word_count: 790), 300 duplicates, 5 rejected, 2 decontaminated): check its \
               rule sets",
            ],
        );
        report.sources[0].docs_out = 72;
        check(&report, &[]);
        // More than 10 epochs.
        report.target_tokens = 100_000_000;
        let found = warnings(&report);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("source \"Pile-CC\" is repeated 43.2 epochs"));
        assert!(found[0].contains("target_tokens (100.00M), more than 10"));
        report.target_tokens = 2_000_000;
        // Nothing kept: one warning for the run, not one per source.
        for row in &mut report.sources {
            row.docs_out = 0;
            row.tokens_out = 0;
        }
        check(
            &report,
            &[
                "the run kept no document of 1,214 records: every one was rejected or removed \
               (see the removals below) and blend.txt is empty",
            ],
        );
        check(
            &RunReport::default(),
            &["the inputs held no record: nothing was written and blend.txt is empty"],
        );
    }
}
