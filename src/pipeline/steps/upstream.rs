//! What a rank's results were computed from, as one digest: the files every rank of the
//! earlier steps wrote (names, sizes, checksums, as their completion records list them) and,
//! for `scan` and `emit`, the fingerprints of the rank's share of inputs. A completion record
//! keeps the digest it was made with; a rank is reused only while the digest is unchanged,
//! so redoing a rank whose output came out different redoes exactly what depends on it, and
//! a rank redone with the same bytes (a deleted file, say) leaves its dependents be.

use super::Step;
use super::record::{Plan, read_completion};
use std::collections::HashMap;
use std::hash::Hasher;
use std::path::Path;
use xxhash_rust::xxh3::Xxh3Default;

/// Digests of whole steps, each computed once (a step's records do not change while later
/// steps are checked or run).
#[derive(Default)]
pub struct Upstream {
    steps: HashMap<Step, Option<u64>>,
}

impl Upstream {
    /// The digest rank `rank` of `step` is computed from, hex; `None` while a rank of an
    /// earlier step has no completion record.
    pub fn of(&mut self, out: &Path, plan: &Plan, step: Step, rank: usize) -> Option<String> {
        let mut hasher = Xxh3Default::new();
        hasher.write(step.name().as_bytes());
        for before in Step::ALL.into_iter().take_while(|s| *s != step) {
            let digest = *self
                .steps
                .entry(before)
                .or_insert_with(|| step_digest(out, plan, before));
            hasher.write_u64(digest?);
        }
        if matches!(step, Step::Scan | Step::Emit) {
            let (first, end) = plan.shares.get(rank).copied().unwrap_or((0, 0));
            hasher.write_u64(first as u64);
            hasher.write_u64(end as u64);
            for fingerprint in plan.fingerprints.get(first..end).unwrap_or_default() {
                hasher.write_u64(fingerprint.len);
                hasher.write_u128(fingerprint.modified_ns);
            }
        }
        Some(format!("{:016x}", hasher.digest()))
    }
}

/// The digest of every file every rank of `step` wrote, in rank order.
fn step_digest(out: &Path, plan: &Plan, step: Step) -> Option<u64> {
    let mut hasher = Xxh3Default::new();
    for rank in 0..step.ranks(plan.tasks) {
        let done = read_completion(out, step, rank)?;
        hasher.write_u64(rank as u64);
        for file in &done.files {
            hasher.write(file.name.as_bytes());
            hasher.write_u64(file.bytes);
            hasher.write(file.xxh3.as_bytes());
        }
    }
    Some(hasher.digest())
}
