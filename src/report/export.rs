//! Machine-readable outputs: `report.json` (every exact count plus the derived figures) and
//! `blend.txt`, the weighted prefix list Megatron-LM takes as `--data-path` or
//! `--data-args-path`.

use super::figures::DerivedFigures;
use super::model::{DecontamReport, DedupSummary, InputLayout, RunHeader, RunReport, SourceRow};
use crate::shard::megatron::dataset_prefix;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A sources-table row as written to JSON: the counts, and the derived figures beside them.
#[derive(Serialize)]
struct JsonRow<'a> {
    #[serde(flatten)]
    counts: &'a SourceRow,
    derived: DerivedFigures,
}

/// The header as written to JSON: what describes the run's output, then `varying`, the
/// fields that differ between two runs of the same config and inputs.
#[derive(Serialize)]
struct JsonHeader<'a> {
    tool_version: &'a str,
    git_commit: &'a str,
    config_path: &'a str,
    config_hash: &'a str,
    inputs: &'a [String],
    tokenizer: &'a str,
    varying: JsonVarying<'a>,
}

/// Header fields that vary between identical runs: leave `header.varying` out when comparing.
#[derive(Serialize)]
struct JsonVarying<'a> {
    date_utc: &'a str,
    command_line: &'a str,
    threads: usize,
    stage_seconds: &'a [(String, f64)],
    total_seconds: f64,
    tasks: usize,
    spill_runs: u64,
}

impl<'a> JsonHeader<'a> {
    fn new(h: &'a RunHeader) -> JsonHeader<'a> {
        JsonHeader {
            tool_version: &h.tool_version,
            git_commit: &h.git_commit,
            config_path: &h.config_path,
            config_hash: &h.config_hash,
            inputs: &h.inputs,
            tokenizer: &h.tokenizer,
            varying: JsonVarying {
                date_utc: &h.date_utc,
                command_line: &h.command_line,
                threads: h.threads,
                stage_seconds: &h.stage_seconds,
                total_seconds: h.total_seconds,
                tasks: h.tasks,
                spill_runs: h.spill_runs,
            },
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    header: JsonHeader<'a>,
    /// How each input was read.
    inputs: &'a [InputLayout],
    warnings: Vec<String>,
    target_tokens: u64,
    sources: Vec<JsonRow<'a>>,
    unattributed_rejects: &'a BTreeMap<String, u64>,
    totals: JsonRow<'a>,
    dedup: &'a DedupSummary,
    decontam: &'a DecontamReport,
}

/// Renders the report as pretty JSON: the header (its varying fields grouped under
/// `header.varying`), the warnings, every source's exact counts with a `derived` object (see
/// [`DerivedFigures`]; shares are fractions, not percents), the totals row in the same shape,
/// and the dedup summary.
pub fn render_json(report: &RunReport) -> String {
    let totals = report.totals();
    let rows = report.sources.iter().zip(report.derived());
    let json = JsonReport {
        header: JsonHeader::new(&report.header),
        inputs: &report.header.input_layouts,
        warnings: super::warnings(report),
        target_tokens: report.target_tokens,
        sources: rows
            .map(|(counts, derived)| JsonRow { counts, derived })
            .collect(),
        unattributed_rejects: &report.unattributed_rejects,
        totals: JsonRow {
            counts: &totals,
            derived: report.totals_derived(),
        },
        dedup: &report.dedup,
        decontam: &report.decontam,
    };
    // Cannot fail: derived Serialize impls, string or integer map keys, and serde_json writes
    // non-finite floats as null.
    serde_json::to_string_pretty(&json).expect("report types always serialize to JSON") + "\n"
}

/// A normalized weight with at least six significant digits, so that a small source never
/// prints as 0: `0.143360`, `0.00208000`.
fn blend_weight(share: f64) -> String {
    let decimals = (5 - share.log10().floor() as i64).clamp(6, 17) as usize;
    format!("{share:.decimals$}")
}

/// Renders Megatron's blend list: one `weight prefix` line per source with tokens and a
/// positive weight, in source order, weights normalized to sum to 1, prefixes
/// `{megatron_dir}/{slug}_text_document`.
///
/// The file has no comment line on purpose: Megatron reads `--data-args-path` with
/// `f.read().split()` and no comment syntax, so a `#` line would turn into words, and the
/// whole list would be silently read as unweighted prefixes. Pass it as
/// `--data-args-path blend.txt` or `--data-path $(cat blend.txt)`. Slugs must not contain
/// whitespace for the same reason.
pub fn render_blend(report: &RunReport, megatron_dir: &str) -> String {
    let mut blend = String::new();
    for (row, share) in report.sources.iter().zip(report.weight_shares()) {
        if let Some(share) = share.filter(|&share| share > 0.0) {
            let prefix = dataset_prefix(megatron_dir, &row.slug);
            let _ = writeln!(blend, "{} {prefix}", blend_weight(share));
        }
    }
    blend
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::sample_report;

    fn two_sources(weight_a: f64, weight_b: f64) -> RunReport {
        let row = |slug: &str, weight: f64| SourceRow {
            slug: slug.into(),
            tokens_out: 1_000,
            weight,
            ..SourceRow::default()
        };
        RunReport {
            sources: vec![row("A", weight_a), row("B", weight_b)],
            ..RunReport::default()
        }
    }

    fn check(report: &RunReport, dir: &str, expected: &str) {
        assert_eq!(render_blend(report, dir), expected);
    }

    #[test]
    fn blend_normalizes_weights() {
        let expected = "0.300000 megatron/A_text_document\n0.700000 megatron/B_text_document\n";
        check(&two_sources(0.3, 0.7), "megatron", expected);
        check(&two_sources(30.0, 70.0), "megatron/", expected);
        check(
            &two_sources(0.208, 99.792),
            "m",
            "0.00208000 m/A_text_document\n0.997920 m/B_text_document\n",
        );
        check(&two_sources(0.0, 2.0), "m", "1.000000 m/B_text_document\n");
        check(&two_sources(0.0, 0.0), "m", "");
        // Sources without tokens (NIH ExPorter here) are left out.
        check(
            &sample_report(),
            "out/megatron",
            "0.300000 out/megatron/Pile-CC_text_document\n\
             0.700000 out/megatron/Books3_text_document\n",
        );
    }

    /// Reads the blend the way Megatron's `get_blend_from_list(f.read().split())` does.
    #[test]
    fn blend_parses_as_megatron_weighted_pairs() {
        let blend = render_blend(&sample_report(), "megatron");
        let words: Vec<&str> = blend.split_whitespace().collect();
        assert_eq!(words.len() % 2, 0);
        let weights: Vec<f64> = words
            .iter()
            .step_by(2)
            .map(|w| w.parse().expect("float"))
            .collect();
        assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn json_has_exact_counts_and_derived_figures() {
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&sample_report())).expect("valid JSON");
        let books = &json["sources"][1];
        assert_eq!(books["name"], "Books3");
        assert_eq!(books["tokens_out"], 1_092_357);
        assert_eq!(books["derived"]["weight_share"], 0.7);
        assert_eq!(books["derived"]["mean_tokens_per_doc"], 1_092_357.0 / 8.0);
        assert!(
            json["sources"][2]["derived"]["epochs"].is_null(),
            "no tokens, no epochs"
        );
        let totals = &json["totals"];
        assert_eq!(totals["records_read"], 1_219);
        assert_eq!(totals["rejected"]["malformed_json"], 7);
        assert_eq!(totals["derived"]["duplicates"], 302);
        assert_eq!(json["dedup"]["cluster_sizes"]["5"], 3);
        let varying = &json["header"]["varying"];
        assert_eq!(varying["stage_seconds"][1][0], "exact");
        assert_eq!(varying["tasks"], 1);
        assert_eq!(varying["spill_runs"], 3);
        assert_eq!(varying["threads"], 8);
        assert_eq!(varying["date_utc"], "2026-12-03T08:06:14Z");
        assert!(json["header"]["threads"].is_null(), "grouped, not repeated");
        assert_eq!(json["header"]["git_commit"], "0123456789abcdef");
        assert_eq!(json["sources"][0]["derived"]["kept_share"], 698.0 / 1_200.0);
        let warnings = json["warnings"].as_array().expect("a list");
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].as_str().unwrap().contains("NIH ExPorter"));
    }
}
