//! Disjoint sets (union-find) over document indices, for LSH connected components.

/// Disjoint sets over `0..n` with path halving and union by rank.
pub(crate) struct UnionFind {
    parent: Vec<usize>,
    rank: Vec<u8>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
            rank: vec![0; n],
        }
    }

    pub(crate) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    pub(crate) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        match self.rank[ra].cmp(&self.rank[rb]) {
            std::cmp::Ordering::Less => self.parent[ra] = rb,
            std::cmp::Ordering::Greater => self.parent[rb] = ra,
            std::cmp::Ordering::Equal => {
                self.parent[rb] = ra;
                self.rank[ra] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After uniting `edges` over `0..n`, the components are `expected` (as root-agnostic
    /// lists of members).
    fn check(n: usize, edges: &[(usize, usize)], expected: &[&[usize]]) {
        let mut sets = UnionFind::new(n);
        for &(a, b) in edges {
            sets.union(a, b);
        }
        for component in expected {
            let root = sets.find(component[0]);
            assert!(component.iter().all(|&i| sets.find(i) == root), "{edges:?}");
        }
        let roots: std::collections::BTreeSet<usize> = (0..n).map(|i| sets.find(i)).collect();
        assert_eq!(roots.len(), expected.len(), "{edges:?}");
    }

    #[test]
    fn components_table() {
        check(0, &[], &[]);
        check(3, &[], &[&[0], &[1], &[2]]);
        check(3, &[(0, 0), (2, 1)], &[&[0], &[1, 2]]);
        check(5, &[(0, 1), (3, 4), (1, 3)], &[&[0, 1, 3, 4], &[2]]);
        let chain: Vec<(usize, usize)> = (1..100).map(|i| (i - 1, i)).collect();
        check(100, &chain, &[&(0..100).collect::<Vec<_>>()]);
    }
}
