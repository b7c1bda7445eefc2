//! Running the step-wise pipeline on a cluster: `pilecurate slurm` writes one sbatch script
//! per step and submits the unfinished ones as dependent jobs; `pilecurate status` reads the
//! plan and the per-rank records to say where a run stands. Neither runs a step itself: each
//! job runs `pilecurate step`, which keeps the records these two read.

mod next;
pub mod script;
pub mod slurm;
pub mod status;

use crate::pipeline::steps::Step;
use crate::pipeline::steps::record::{self, Plan};
use crate::pipeline::steps::upstream::Upstream;
use std::path::Path;

/// The ranks of `step` that have no valid completion record in `out`, in order: all of
/// them while a rank of an earlier step is unfinished (redoing it may change what they are
/// computed from).
pub fn unfinished_ranks(out: &Path, plan: &Plan, step: Step) -> Vec<usize> {
    // The step just before answers for all earlier ones (it is all pending if they are).
    let earlier_unfinished = Step::ALL
        .into_iter()
        .take_while(|s| *s != step)
        .last()
        .is_some_and(|before| !unfinished_ranks(out, plan, before).is_empty());
    if earlier_unfinished {
        return (0..step.ranks(plan.tasks)).collect();
    }
    let mut upstream = Upstream::default();
    (0..step.ranks(plan.tasks))
        .filter(|&rank| {
            let digest = upstream.of(out, plan, step, rank);
            record::read_completion(out, step, rank).is_none_or(|done| {
                record::verify_completion(out, plan, digest.as_deref(), &done).is_err()
            })
        })
        .collect()
}

/// A Slurm `--array` value listing `ranks` (sorted): runs of consecutive ranks as `a-b`,
/// joined by commas (`0-3,5,7-8`).
pub fn array_spec(ranks: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ranks.len() {
        let mut j = i;
        while j + 1 < ranks.len() && ranks[j + 1] == ranks[j] + 1 {
            j += 1;
        }
        parts.push(match i == j {
            true => ranks[i].to_string(),
            false => format!("{}-{}", ranks[i], ranks[j]),
        });
        i = j + 1;
    }
    parts.join(",")
}

/// `text` as one word of a POSIX shell: as is when it holds only safe characters, else in
/// single quotes, each `'` written as `'\''`.
pub fn shell_quote(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c);
    match !text.is_empty() && text.chars().all(safe) {
        true => text.to_string(),
        false => format!("'{}'", text.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ranks: &[usize], expected: &str) {
        assert_eq!(array_spec(ranks), expected, "{ranks:?}");
    }

    #[test]
    fn array_specs_join_runs_of_ranks() {
        check(&[0], "0");
        check(&[0, 1, 2, 3], "0-3");
        check(&[1, 3], "1,3");
        check(&[0, 1, 2, 5, 7, 8], "0-2,5,7-8");
        check(&[], "");
    }

    #[test]
    fn shell_quoting_survives_quotes_and_spaces() {
        assert_eq!(shell_quote("/tmp/out-1"), "/tmp/out-1");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
