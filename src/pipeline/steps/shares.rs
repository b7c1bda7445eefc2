//! Sharing the inputs out among the ranks of `scan` and `emit`: contiguous runs of files
//! of about equal bytes, so each rank's outputs follow the previous rank's in input order.

/// `[first, end)` file ranges for `tasks` ranks over files of `sizes` bytes: rank `r` ends
/// at the first file boundary at or past `(r + 1) / tasks` of the bytes (a rank may get no
/// file when there are fewer files than ranks).
pub fn shares(sizes: &[u64], tasks: usize) -> Vec<(usize, usize)> {
    let tasks = tasks.max(1);
    let total: u128 = sizes.iter().map(|&s| u128::from(s)).sum();
    let mut out = Vec::with_capacity(tasks);
    let (mut first, mut end, mut done) = (0, 0, 0u128);
    for rank in 0..tasks {
        let target = total * (rank as u128 + 1) / tasks as u128;
        let last = rank + 1 == tasks;
        while end < sizes.len() && (last || done < target) {
            // Leave at least one file for each later rank while files remain.
            if !last && sizes.len() - end < tasks - rank && end > first {
                break;
            }
            done += u128::from(sizes[end]);
            end += 1;
        }
        out.push((first, end));
        first = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shares;

    #[test]
    fn shares_cover_every_file_once_in_order() {
        for (sizes, tasks) in [
            (vec![10, 10, 10, 10], 2),
            (vec![100, 1, 1, 1], 2),
            (vec![5], 3),
            (vec![], 2),
            (vec![0, 0, 0], 2),
            (vec![1, 2, 3, 4, 5, 6, 7], 4),
        ] {
            let got = shares(&sizes, tasks);
            assert_eq!(got.len(), tasks);
            let mut next = 0;
            for &(first, end) in &got {
                assert_eq!(first, next, "{sizes:?} / {tasks}: {got:?}");
                assert!(end >= first);
                next = end;
            }
            assert_eq!(next, sizes.len(), "{sizes:?} / {tasks}: {got:?}");
        }
        assert_eq!(shares(&[10, 10, 10, 10], 2), [(0, 2), (2, 4)]);
        assert_eq!(shares(&[1, 1, 1], 3), [(0, 1), (1, 2), (2, 3)]);
        assert_eq!(shares(&[100, 1, 1, 1], 2), [(0, 1), (1, 4)]);
    }
}
