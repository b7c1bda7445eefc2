//! The priority queue of the BPE core's long path.

use radix_heap::RadixHeapMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A min-queue of `rank << 32 | position` entries in HF's order.
///
/// In a trained merge list a rule that uses a token comes after the rule that makes it, so
/// every pair a merge creates ranks after the merge just made: the popped entries only grow,
/// and a radix heap (cache-friendly, no log n sift through a huge array) serves them. Entries
/// below the last popped one, which only odd merge lists produce, wait in a binary heap; the
/// smaller head of the two is popped, so the order is exact either way.
#[derive(Default)]
pub struct Queue {
    monotone: RadixHeapMap<Reverse<u64>, ()>,
    head: Option<u64>,
    late: BinaryHeap<Reverse<u64>>,
}

impl Queue {
    /// Adds an entry.
    pub fn push(&mut self, entry: u64) {
        match self.monotone.top() {
            Some(Reverse(top)) if entry < top => self.late.push(Reverse(entry)),
            _ => self.monotone.push(Reverse(entry), ()),
        }
    }

    /// Removes and returns the smallest entry.
    pub fn pop(&mut self) -> Option<u64> {
        if self.head.is_none() {
            self.head = self.monotone.pop().map(|(Reverse(entry), ())| entry);
        }
        match (self.head, self.late.peek()) {
            (Some(head), Some(&Reverse(late))) if late < head => self.late.pop().map(|r| r.0),
            (Some(_), _) => self.head.take(),
            (None, _) => self.late.pop().map(|r| r.0),
        }
    }
}

impl Extend<u64> for Queue {
    fn extend<T: IntoIterator<Item = u64>>(&mut self, entries: T) {
        entries.into_iter().for_each(|entry| self.push(entry));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pushes: &[&[u64]], expected: &[u64]) {
        let mut queue = Queue::default();
        let mut popped = Vec::new();
        for batch in pushes {
            queue.extend(batch.iter().copied());
            popped.extend(queue.pop());
        }
        popped.extend(std::iter::from_fn(|| queue.pop()));
        assert_eq!(popped, expected);
    }

    #[test]
    fn pops_in_order_even_below_the_last_popped() {
        let cases: &[(&[&[u64]], &[u64])] = &[
            (&[&[5, 1, 9]], &[1, 5, 9]),
            (&[&[5, 7], &[6, 3], &[1]], &[5, 3, 1, 6, 7]),
            (&[&[4, 4], &[4]], &[4, 4, 4]),
            (&[], &[]),
        ];
        for (pushes, expected) in cases {
            check(pushes, expected);
        }
    }
}
