//! The closing line of `pilecurate status`: "complete", or what to run to carry the run on
//! (resubmit with `pilecurate slurm`, or one rank by hand with `pilecurate step`).

use super::status::RankState;
use super::{array_spec, shell_quote};
use crate::io;
use crate::pipeline::outdir::MANIFEST;
use crate::pipeline::steps::Step;
use crate::pipeline::steps::record::Plan;
use std::path::Path;

/// "complete: …" when the merge is done and the manifest says so, else "next: …" lines.
pub fn next_lines(out: &Path, plan: &Plan, states: &[(Step, Vec<RankState>)]) -> String {
    let manifest = read_manifest(out);
    let status = manifest.as_ref().and_then(|m| m["status"].as_str());
    let is_done = |s: &RankState| matches!(s, RankState::Done { .. });
    let first_unfinished = states.iter().find(|(_, ranks)| !ranks.iter().all(is_done));
    let out_word = shell_quote(&out.to_string_lossy());
    let Some((step, ranks)) = first_unfinished else {
        return match status {
            Some("complete") => format!(
                "complete: see {}\n",
                shell_quote(&out.join("report.md").to_string_lossy())
            ),
            _ => format!(
                "next: every step is done but {MANIFEST} does not say complete; run the merge \
                 again: pilecurate step merge CONFIG --tasks {} -o {out_word}\n",
                plan.tasks
            ),
        };
    };
    let running = states
        .iter()
        .flat_map(|(_, ranks)| ranks)
        .filter(|s| matches!(s, RankState::Running(_)))
        .count();
    if running > 0 {
        return format!(
            "next: wait for the {running} running rank(s) (squeue lists the jobs), then \
             `pilecurate status {out_word}` again\n"
        );
    }
    let config = manifest
        .as_ref()
        .and_then(|m| m["config_path"].as_str())
        .map_or("CONFIG".to_string(), shell_quote);
    let pending: Vec<usize> = (0..ranks.len()).filter(|&r| !is_done(&ranks[r])).collect();
    let (name, tasks) = (step.name(), plan.tasks);
    let which = match ranks.len() {
        1 => name.to_string(),
        _ if pending.len() == 1 => format!("{name} rank {}", pending[0]),
        _ => format!("{name} ranks {}", array_spec(&pending)),
    };
    format!(
        "next: pilecurate slurm {config} --tasks {tasks} -o {out_word}\n      \
         (submits {which} and the steps after it; the same command that started the run)\n  \
         or one rank here: pilecurate step {name} {config} --tasks {tasks} -o {out_word} \
         --rank {}\n",
        pending[0]
    )
}

/// The output folder's manifest, if it reads.
pub(super) fn read_manifest(out: &Path) -> Option<serde_json::Value> {
    let text = io::read_text(&out.join(MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}
