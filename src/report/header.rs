//! The top of `report.md`: the warnings first, then the run header. The header fields that
//! differ between two runs of the same config and inputs (date, command line, threads, wall
//! times) come last, between the [`VARYING_BEGIN`] and [`VARYING_END`] comment lines, so a
//! comparison can cut them out: `sed '/^<!-- varying -->$/,/^<!-- \/varying -->$/d'`.

use super::format::{self, NONE};
use super::model::RunReport;
use std::fmt::Write;

/// Inputs listed by name in the header; the rest are counted (`report.json` has them all).
const MAX_INPUTS_LISTED: usize = 20;

/// The line before the varying header fields.
pub const VARYING_BEGIN: &str = "<!-- varying -->";
/// The line after them.
pub const VARYING_END: &str = "<!-- /varying -->";

/// Appends the warnings (nothing when there are none).
pub fn warnings_section(md: &mut String, report: &RunReport) {
    let warnings = super::warnings(report);
    if warnings.is_empty() {
        return;
    }
    md.push_str("\n## Warnings\n\n");
    for warning in warnings {
        let _ = writeln!(md, "- **{}**", format::cell(&warning));
    }
}

/// Appends the run header: what made the output, then what varies between runs.
pub fn run_section(md: &mut String, report: &RunReport) {
    let h = &report.header;
    md.push_str("\n## Run\n\n");
    let _ = writeln!(
        md,
        "- Tool version: {} (git commit {})",
        h.tool_version, h.git_commit
    );
    let _ = writeln!(
        md,
        "- Config: `{}` (hash `{}`)",
        h.config_path, h.config_hash
    );
    let _ = writeln!(
        md,
        "- Inputs: {} file{}",
        format::count(h.inputs.len() as u64),
        if h.inputs.len() == 1 { "" } else { "s" }
    );
    for (i, input) in h.inputs.iter().enumerate().take(MAX_INPUTS_LISTED) {
        let layout = h
            .input_layouts
            .get(i)
            .map(describe_layout)
            .unwrap_or_default();
        let _ = writeln!(md, "  - `{input}`{layout}");
    }
    if h.inputs.len() > MAX_INPUTS_LISTED {
        let rest = h.inputs.len() - MAX_INPUTS_LISTED;
        let _ = writeln!(md, "  - … and {rest} more (listed in report.json)");
    }
    let _ = writeln!(md, "- Tokenizer: {}", h.tokenizer);
    let target = match report.target_tokens {
        0 => NONE.to_string(),
        n => format!("{} ({})", format::tokens(n), format::count(n)),
    };
    let _ = writeln!(md, "- Target training tokens (for epochs): {target}");

    md.push_str(
        "\nThese differ between runs of the same config and inputs (`header.varying` in \
         report.json); leave them out when comparing reports:\n\n",
    );
    md.push_str(VARYING_BEGIN);
    md.push('\n');
    let _ = writeln!(md, "- Date (UTC): {}", h.date_utc);
    let _ = writeln!(md, "- Command line: `{}`", h.command_line);
    let _ = writeln!(md, "- Threads: {}", h.threads);
    let _ = writeln!(
        md,
        "- Tasks per parallel step: {}; dedup key runs spilled: {}",
        h.tasks,
        format::count(h.spill_runs)
    );
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
    md.push_str(VARYING_END);
    md.push('\n');
}

/// How an input was read, when it is not the Pile's layout: ` (parquet; text `doc.body`, …)`.
fn describe_layout(layout: &super::InputLayout) -> String {
    let pile = super::InputLayout {
        path: layout.path.clone(),
        format: layout.format.clone(),
        source: layout.source.clone(),
        ..super::InputLayout {
            text_field: "text".into(),
            source_field: "meta.pile_set_name".into(),
            ..Default::default()
        }
    };
    if *layout == pile {
        return String::new();
    }
    let mut parts = vec![format!("text `{}`", layout.text_field)];
    if layout.source.is_none() {
        parts.push(format!("source `{}`", layout.source_field));
    }
    if let Some(id) = &layout.id_field {
        parts.push(format!("id `{id}`"));
    }
    format!(" ({}; {})", layout.format, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::sample_report;
    use crate::report::render_markdown;

    /// Cuts the varying block out, as the module doc's `sed` line does.
    fn without_varying(md: &str) -> String {
        let begin = md.find(VARYING_BEGIN).expect("begin marker");
        let end = md.find(VARYING_END).expect("end marker") + VARYING_END.len() + 1;
        format!("{}{}", &md[..begin], &md[end..])
    }

    /// Two runs that differ only in date, command line, threads and wall times render the
    /// same report once the varying block is cut out, and differ inside it.
    #[test]
    fn the_varying_fields_are_all_in_one_block() {
        let a = sample_report();
        let mut b = sample_report();
        b.header.date_utc = "2027-01-01T00:00:00Z".into();
        b.header.command_line = "pilecurate run other.toml -o elsewhere -j 1".into();
        b.header.threads = 1;
        b.header.stage_seconds[0].1 = 99.0;
        b.header.total_seconds = 1.0;
        let (md_a, md_b) = (render_markdown(&a), render_markdown(&b));
        assert_ne!(md_a, md_b);
        assert_eq!(without_varying(&md_a), without_varying(&md_b));
        assert!(without_varying(&md_a).contains("git commit 0123456789abcdef"));
    }
}
