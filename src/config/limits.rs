//! The bounds of every name and number a config holds, checked by `Config::load` before any
//! input is read: a value outside them would otherwise fail late (a file name the file system
//! refuses after the whole first pass), write outside the output folder (a slug `..`), or
//! allocate absurdly (`bands = rows = 100000` asks for 40 GB of permutations). The README's
//! config reference states the same bounds.

use crate::dedup::MinHashParams;
use std::ops::RangeInclusive;

/// Longest slug, in bytes: it names `docs/<slug>/` and `megatron/<slug>_text_document.idx`,
/// well under the 255-byte file name limit of common file systems.
pub const MAX_SLUG_BYTES: usize = 100;
/// Longest source name, in bytes.
pub const MAX_SOURCE_NAME_BYTES: usize = 200;
/// Words (or characters) per MinHash shingle.
pub const NGRAM: RangeInclusive<usize> = 1..=64;
/// LSH bands.
pub const BANDS: RangeInclusive<usize> = 1..=256;
/// Rows (hashes) per band.
pub const ROWS: RangeInclusive<usize> = 1..=64;
/// MinHash hashes per document, `bands × rows` (the presets use at most 260).
pub const MAX_HASHES: usize = 1024;
/// Smallest dedup memory budget: below it the keys spill a run every few documents.
pub const MIN_MEMORY_BUDGET: u64 = 32 << 10;
/// Curated part size: below the minimum, a part per document or so.
pub const MIN_DOCS_PART_BYTES: u64 = 64 << 10;
/// zstd levels of the curated parts.
pub const ZSTD_LEVELS: RangeInclusive<i32> = 1..=22;
/// Line length cap: below the minimum nearly every document is rejected, above the maximum
/// one line held in memory per worker could exhaust it.
pub const MAX_LINE_BYTES: RangeInclusive<usize> = 1024..=(1 << 30);
/// Worker threads (0 = one per core).
pub const MAX_THREADS: usize = 1024;

/// Checks that `slug` is a safe file name: not empty, not `.` or `..`, at most
/// [`MAX_SLUG_BYTES`], no `/`, `\`, whitespace (blend.txt is split on it) or control
/// characters (NUL included).
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("is empty".to_string());
    }
    if slug == "." || slug == ".." {
        return Err("would name a folder outside docs/".to_string());
    }
    if slug.len() > MAX_SLUG_BYTES {
        return Err(format!(
            "is {} bytes long, more than {MAX_SLUG_BYTES}",
            slug.len()
        ));
    }
    if let Some(c) = slug
        .chars()
        .find(|&c| matches!(c, '/' | '\\') || c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "holds {c:?}: a slug names files, so no '/', '\\', whitespace or control characters"
        ));
    }
    Ok(())
}

/// Checks a source name: not empty, at most [`MAX_SOURCE_NAME_BYTES`], no control characters
/// (names appear in report tables and log records).
pub fn check_source_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("is empty".to_string());
    }
    if name.len() > MAX_SOURCE_NAME_BYTES {
        return Err(format!(
            "is {} bytes long, more than {MAX_SOURCE_NAME_BYTES}",
            name.len()
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!("holds the control character {c:?}"));
    }
    Ok(())
}

fn within<T: PartialOrd + std::fmt::Display>(
    key: &str,
    value: T,
    range: &RangeInclusive<T>,
) -> Result<(), String> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{key} = {value} is out of range: it must be within {}..={}",
            range.start(),
            range.end()
        ))
    }
}

/// Checks the MinHash parameters (`None` when fuzzy dedup is off) and the memory budget.
pub fn check_dedup(params: Option<&MinHashParams>, memory_budget: u64) -> Result<(), String> {
    within(
        "memory_budget",
        memory_budget,
        &(MIN_MEMORY_BUDGET..=u64::MAX),
    )?;
    let Some(params) = params else {
        return Ok(());
    };
    within("ngram", params.ngram, &NGRAM)?;
    within("bands", params.bands, &BANDS)?;
    within("rows", params.rows, &ROWS)?;
    let hashes = params.bands * params.rows;
    if hashes > MAX_HASHES {
        return Err(format!(
            "bands × rows = {} × {} = {hashes} hashes per document, more than {MAX_HASHES}",
            params.bands, params.rows
        ));
    }
    Ok(())
}

/// Checks `[run]`'s numbers (`threads` after the command-line override).
pub fn check_run(threads: usize, target_tokens: u64, max_line_bytes: usize) -> Result<(), String> {
    within("threads", threads, &(0..=MAX_THREADS))?;
    if target_tokens == 0 {
        return Err(
            "target_tokens = 0: give the training budget in tokens (MT-NLG: 270000000000)"
                .to_string(),
        );
    }
    within("max_line_bytes", max_line_bytes, &MAX_LINE_BYTES)
}

/// Checks `[output]`'s numbers.
pub fn check_output(docs_part_bytes: u64, zstd_level: i32) -> Result<(), String> {
    within(
        "docs_part_bytes",
        docs_part_bytes,
        &(MIN_DOCS_PART_BYTES..=u64::MAX),
    )?;
    within("zstd_level", zstd_level, &ZSTD_LEVELS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(result: Result<(), String>, expected: Option<&str>) {
        match (result, expected) {
            (Ok(()), None) => {}
            (Err(e), Some(words)) => assert!(e.contains(words), "{e:?} lacks {words:?}"),
            (found, expected) => panic!("{found:?}, expected an error with {expected:?}"),
        }
    }

    #[test]
    fn slugs_must_be_safe_file_names() {
        check(check_slug("Wikipedia_en"), None);
        check(check_slug(".hidden-ok"), None);
        check(check_slug(&"a".repeat(100)), None);
        check(check_slug(""), Some("empty"));
        check(check_slug("."), Some("outside docs/"));
        check(check_slug(".."), Some("outside docs/"));
        check(check_slug(&"a".repeat(101)), Some("101 bytes"));
        check(check_slug("a/b"), Some("'/'"));
        check(check_slug("a\\b"), Some("'\\\\'"));
        check(check_slug("a b"), Some("' '"));
        check(check_slug("a\0b"), Some("'\\0'"));
        check(check_slug("a\u{7}b"), Some("'\\u{7}'"));
    }

    #[test]
    fn source_names_are_bounded() {
        check(check_source_name("Gutenberg (PG-19)"), None);
        check(check_source_name(""), Some("empty"));
        check(check_source_name(&"n".repeat(300)), Some("300 bytes"));
        check(check_source_name("a\nb"), Some("control"));
    }

    #[test]
    fn numbers_are_bounded() {
        let params = |ngram, bands, rows| MinHashParams {
            ngram,
            bands,
            rows,
            ..MinHashParams::default()
        };
        check(check_dedup(Some(&params(5, 14, 8)), 2 << 30), None);
        check(check_dedup(Some(&params(5, 20, 13)), 1 << 20), None);
        check(check_dedup(Some(&params(5, 256, 4)), 1 << 20), None);
        check(
            check_dedup(Some(&params(0, 14, 8)), 1 << 20),
            Some("ngram = 0"),
        );
        check(
            check_dedup(Some(&params(65, 14, 8)), 1 << 20),
            Some("ngram = 65"),
        );
        check(
            check_dedup(Some(&params(5, 0, 8)), 1 << 20),
            Some("bands = 0"),
        );
        check(
            check_dedup(Some(&params(5, 100_000, 100_000)), 1 << 20),
            Some("bands = 100000"),
        );
        check(
            check_dedup(Some(&params(5, 14, 65)), 1 << 20),
            Some("rows = 65"),
        );
        check(
            check_dedup(Some(&params(5, 128, 16)), 1 << 20),
            Some("2048 hashes"),
        );
        check(
            check_dedup(Some(&params(5, 14, 8)), 0),
            Some("memory_budget = 0"),
        );
        check(check_run(0, 1, 1 << 20), None);
        check(check_run(1025, 1, 1 << 20), Some("threads = 1025"));
        check(check_run(2, 0, 1 << 20), Some("target_tokens = 0"));
        check(check_run(2, 1, 0), Some("max_line_bytes = 0"));
        check(check_run(2, 1, 2 << 30), Some("max_line_bytes"));
        check(check_output(256 << 20, 3), None);
        check(check_output(0, 3), Some("docs_part_bytes = 0"));
        check(check_output(1 << 20, 0), Some("zstd_level = 0"));
        check(check_output(1 << 20, 23), Some("zstd_level = 23"));
    }
}
