//! The last act of dedup: accepted pairs unite documents in a sparse union-find (only
//! documents that have a pair are held) whose root is the lowest rank; exact duplicates
//! follow their survivor into its cluster.

use super::engine::{Removal, Resolution, removal};
use super::runs::doc_of;
use std::collections::HashMap;

/// The removals and cluster sizes of `exact_of` (duplicate rank → survivor rank) and the
/// accepted pairs `edges` (`(rank a, rank b, similarity)`); removals sorted by doc id.
pub fn clusters(exact_of: &HashMap<u64, u64>, edges: &[(u64, u64, f64)]) -> Resolution {
    let mut out = Resolution::default();
    let mut parent: HashMap<u64, u64> = HashMap::new();
    let mut best: HashMap<u64, f64> = HashMap::new();
    for &(a, b, sim) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent.insert(ra.max(rb), ra.min(rb));
        for doc in [a, b] {
            let entry = best.entry(doc).or_insert(0.0);
            *entry = entry.max(sim);
        }
    }
    let members: Vec<u64> = parent.keys().copied().collect();
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    let mut root_of: HashMap<u64, u64> = HashMap::new();
    for rank in members {
        let root = find(&mut parent, rank);
        *sizes.entry(root).or_default() += 1;
        root_of.insert(rank, root);
    }
    for &size in sizes.values() {
        *out.cluster_sizes.entry(size).or_default() += 1;
    }
    for (&rank, &root) in &root_of {
        if rank != root {
            let sim = best.get(&rank).copied().unwrap_or(0.0);
            out.removed.push(removal(rank, root, root, false, sim));
        }
    }
    for (&rank, &survivor) in exact_of {
        let keeper = root_of.get(&survivor).copied().unwrap_or(survivor);
        out.removed.push(removal(rank, survivor, keeper, true, 1.0));
    }
    out.removed.sort_unstable_by_key(|r: &Removal| r.doc_id);
    out.edges = edges
        .iter()
        .map(|&(a, b, sim)| (doc_of(a), doc_of(b), sim))
        .collect();
    out
}

fn find(parent: &mut HashMap<u64, u64>, mut x: u64) -> u64 {
    parent.entry(x).or_insert(x);
    loop {
        let p = parent[&x];
        if p == x {
            return x;
        }
        let grand = parent[&p];
        parent.insert(x, grand);
        x = grand;
    }
}
