//! The distributions section of report.md: documents read per detected language, per decile
//! of the language probability and per quality-classifier score decile, for the sources
//! whose rule sets measure them.

use super::RunReport;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Appends the section (nothing when no source measures language or quality).
pub fn distributions_section(md: &mut String, report: &RunReport) {
    let languages: Vec<_> = report
        .sources
        .iter()
        .filter(|s| !s.languages.is_empty())
        .collect();
    let quality: Vec<_> = report
        .sources
        .iter()
        .filter(|s| !s.quality_deciles.is_empty())
        .collect();
    if languages.is_empty() && quality.is_empty() {
        return;
    }
    md.push_str("\n## Languages and quality scores\n\n");
    if !languages.is_empty() {
        md.push_str(
            "| source | documents by detected language | by language probability decile |\n\
             |---|---|---|\n",
        );
        for source in languages {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                source.name,
                ranked(&source.languages),
                deciles(&source.language_deciles)
            );
        }
        md.push('\n');
    }
    if !quality.is_empty() {
        md.push_str("| source | documents by quality score decile |\n|---|---|\n");
        for source in quality {
            let _ = writeln!(
                md,
                "| {} | {} |",
                source.name,
                deciles(&source.quality_deciles)
            );
        }
    }
}

/// `0.0-0.1: 3, 0.9-1.0: 40`, in decile order.
fn deciles(counts: &BTreeMap<String, u64>) -> String {
    let shown: Vec<String> = counts.iter().map(|(d, n)| format!("{d}: {n}")).collect();
    shown.join(", ")
}

/// `en 812, de 3, ...`, most frequent first (ties by name).
fn ranked(counts: &BTreeMap<String, u64>) -> String {
    let mut pairs: Vec<(&String, &u64)> = counts.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = pairs.iter().map(|(k, n)| format!("{k} {n}")).collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::ranked;
    use std::collections::BTreeMap;

    #[test]
    fn languages_are_ranked_by_count() {
        let check = |pairs: &[(&str, u64)], expected: &str| {
            let counts: BTreeMap<String, u64> =
                pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect();
            assert_eq!(ranked(&counts), expected);
        };
        check(&[("de", 3), ("en", 812), ("fr", 3)], "en 812, de 3, fr 3");
        check(&[], "");
    }
}
