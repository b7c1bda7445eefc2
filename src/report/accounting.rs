//! The report's self-check: every record of every source ends up in exactly one place, either
//! written or counted under one removal reason. A run whose numbers do not add up is a bug in
//! the pipeline, and this says which source and which numbers.

use super::model::{RunReport, SourceRow};

/// Checks, for every source:
///
/// - `records_read == docs_read + sum(rejected)`;
/// - `docs_read == docs_out + sum(dropped_by_rule) + exact_duplicates
///   + fuzzy_duplicates_within + fuzzy_duplicates_cross`.
///
/// The error lists every violation, one line each, naming the source and the numbers.
pub fn check_accounting(report: &RunReport) -> Result<(), String> {
    let problems: Vec<String> = report.sources.iter().flat_map(source_problems).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn source_problems(row: &SourceRow) -> Vec<String> {
    // Sums in u128: corrupt counts near u64::MAX must be reported, not overflow.
    let sum = |values: &mut dyn Iterator<Item = u64>| values.map(u128::from).sum::<u128>();
    let rejected = sum(&mut row.rejected.values().copied());
    let dropped = sum(&mut row.dropped_by_rule.values().copied());
    let mut problems = Vec::new();
    let parsed = u128::from(row.docs_read) + rejected;
    if u128::from(row.records_read) != parsed {
        problems.push(format!(
            "source {:?}: records_read {} != docs_read {} + rejected {} (= {parsed})",
            row.name, row.records_read, row.docs_read, rejected
        ));
    }
    let removed = [
        row.docs_out,
        row.exact_duplicates,
        row.fuzzy_duplicates_within,
        row.fuzzy_duplicates_cross,
        row.decontam_removed,
    ];
    let accounted = sum(&mut removed.into_iter()) + dropped;
    if u128::from(row.docs_read) != accounted {
        problems.push(format!(
            "source {:?}: docs_read {} != docs_out {} + dropped_by_rule {} + exact_duplicates {} \
             + fuzzy_duplicates_within {} + fuzzy_duplicates_cross {} + decontam_removed {} \
             (= {accounted})",
            row.name,
            row.docs_read,
            row.docs_out,
            dropped,
            row.exact_duplicates,
            row.fuzzy_duplicates_within,
            row.fuzzy_duplicates_cross,
            row.decontam_removed
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A source with 100 records: 2 + 1 rejected, 97 documents, 60 written.
    fn balanced() -> SourceRow {
        SourceRow {
            name: "Books3".to_string(),
            records_read: 100,
            rejected: BTreeMap::from([("malformed_json".into(), 2), ("empty_text".into(), 1)]),
            docs_read: 97,
            dropped_by_rule: BTreeMap::from([("quality/word_count".into(), 20)]),
            exact_duplicates: 7,
            fuzzy_duplicates_within: 6,
            fuzzy_duplicates_cross: 4,
            docs_out: 60,
            ..SourceRow::default()
        }
    }

    /// Runs the check over `rows` and compares the whole outcome.
    fn check(rows: Vec<SourceRow>, expected: Result<(), &str>) {
        let report = RunReport {
            sources: rows,
            ..RunReport::default()
        };
        assert_eq!(check_accounting(&report), expected.map_err(str::to_string));
    }

    #[test]
    fn checks_both_identities_per_source() {
        check(vec![], Ok(()));
        check(vec![balanced(), SourceRow::default()], Ok(()));
        let mut lost_record = balanced();
        lost_record.records_read = 101;
        check(
            vec![lost_record],
            Err("source \"Books3\": records_read 101 != docs_read 97 + rejected 3 (= 100)"),
        );
        let mut lost_doc = balanced();
        lost_doc.name = "Pile-CC".into();
        lost_doc.docs_out = 59;
        check(
            vec![balanced(), lost_doc],
            Err(
                "source \"Pile-CC\": docs_read 97 != docs_out 59 + dropped_by_rule 20 \
                 + exact_duplicates 7 + fuzzy_duplicates_within 6 + fuzzy_duplicates_cross 4 \
                 + decontam_removed 0 (= 96)",
            ),
        );
        let mut both = balanced();
        both.docs_read = 98;
        check(
            vec![both],
            Err(
                "source \"Books3\": records_read 100 != docs_read 98 + rejected 3 (= 101)\n\
                 source \"Books3\": docs_read 98 != docs_out 60 + dropped_by_rule 20 \
                 + exact_duplicates 7 + fuzzy_duplicates_within 6 + fuzzy_duplicates_cross 4 \
                 + decontam_removed 0 (= 97)",
            ),
        );
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let mut row = balanced();
        row.rejected.insert("blank_line".into(), u64::MAX);
        let report = RunReport {
            sources: vec![row],
            ..RunReport::default()
        };
        let err = check_accounting(&report).expect_err("does not add up");
        assert!(err.contains("18446744073709551618"), "{err}");
    }
}
