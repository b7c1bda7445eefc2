//! Shared machinery of the repetition kinds (Gopher, FineWeb): duplicate counting over line
//! or paragraph slices (the word n-grams are in `super::ngrams`).

use rustc_hash::FxHashSet;

/// Duplicate counts over a list of strings (datatrove's `find_duplicates`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DupStats {
    /// Strings in the list.
    pub items: usize,
    /// Occurrences of a string already seen earlier in the list.
    pub duplicates: usize,
    /// Characters of those occurrences.
    pub duplicate_chars: usize,
}

/// Counts repeats: every occurrence after the first of an equal string is a duplicate.
pub fn dup_stats<'a>(items: impl Iterator<Item = &'a str>) -> DupStats {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut stats = DupStats::default();
    for item in items {
        stats.items += 1;
        if !seen.insert(item) {
            stats.duplicates += 1;
            stats.duplicate_chars += item.chars().count();
        }
    }
    stats
}

/// Splits at runs of at least `min_run` newlines, like `re.split("\n{min_run,}", text)`:
/// a leading or trailing run yields an empty first or last piece.
pub fn split_newline_runs(text: &str, min_run: usize) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if bytes[i] != b'\n' {
                i += 1;
                continue;
            }
            let run = bytes[i..].iter().take_while(|&&b| b == b'\n').count();
            if run >= min_run {
                let piece = &text[start..i];
                i += run;
                start = i;
                return Some(piece);
            }
            i += run;
        }
        if done {
            return None;
        }
        done = true;
        Some(&text[start..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected (lines split at `\n+`, paragraphs split at `\n{2,}`).
    type Pieces<'a> = (&'a [&'a str], &'a [&'a str]);

    fn check(input: &str, expected: Pieces<'_>) {
        let lines: Vec<&str> = split_newline_runs(input, 1).collect();
        let paragraphs: Vec<&str> = split_newline_runs(input, 2).collect();
        assert_eq!(
            (lines.as_slice(), paragraphs.as_slice()),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn splits_like_python_re_split() {
        let table: [(&str, Pieces<'_>); 5] = [
            ("", (&[""], &[""])),
            ("a", (&["a"], &["a"])),
            ("a\nb\n\n\nc", (&["a", "b", "c"], &["a\nb", "c"])),
            ("\na\n", (&["", "a", ""], &["\na\n"])),
            ("\n\na\n\n", (&["", "a", ""], &["", "a", ""])),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn counts_duplicates() {
        let stats = dup_stats(["a", "bé", "a", "bé", "bé", "c"].into_iter());
        let expected = DupStats {
            items: 6,
            duplicates: 3,
            duplicate_chars: 1 + 2 + 2,
        };
        assert_eq!(stats, expected);
    }
}
