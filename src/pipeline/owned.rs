//! Which files in an output folder a run wrote, known by their names: what a rerun or
//! `--force` may delete. Anything else there (a user's own files, an input, a folder we did
//! not create) is never touched.

use std::collections::BTreeSet;

/// The sources whose outputs a cleanup may delete: the named slugs, or any slug when the
/// folder's manifest (from an older version) did not record them.
#[derive(Clone, Debug)]
pub enum Slugs {
    /// Only these slugs' shards and curated parts.
    Only(BTreeSet<String>),
    /// Any slug (the folder is known to be pilecurate's).
    Any,
}

impl Slugs {
    fn allows(&self, slug: &str) -> bool {
        !slug.is_empty()
            && match self {
                Slugs::Only(slugs) => slugs.contains(slug),
                Slugs::Any => true,
            }
    }
}

/// Files at the top of the output folder that a run writes (besides the manifest).
pub const TOP_FILES: [&str; 3] = ["report.json", "report.md", "blend.txt"];

/// The folders a run creates, deepest first for removal once empty.
pub const RUN_DIRS: [&str; 6] = [
    ".work/dedup",
    ".work",
    "megatron",
    "docs",
    "removed",
    "rejects",
];

/// Whether `parts` (a path below the output folder, one name per component) is an output a
/// run writes for one of `slugs`: reports, shards, curated parts, logs.
pub fn is_run_output(parts: &[&str], slugs: &Slugs) -> bool {
    match parts {
        [name] => TOP_FILES.contains(name),
        ["megatron", name] => [".bin", ".idx"].iter().any(|ext| {
            name.strip_suffix(ext)
                .and_then(|stem| stem.strip_suffix("_text_document"))
                .is_some_and(|slug| slugs.allows(slug))
        }),
        ["docs", slug, name] => slugs.allows(slug) && is_part_name(name),
        ["removed", name] => [
            "filtered.jsonl.zst",
            "duplicates.jsonl.zst",
            "decontaminated.jsonl.zst",
        ]
        .contains(name),
        ["rejects", "rejects.jsonl.zst"] => true,
        _ => false,
    }
}

/// Whether `name` is a dedup work file (key runs, candidate pairs, their merges, edges,
/// origins) in `.work/dedup`.
pub fn is_work_file(name: &str) -> bool {
    name.starts_with("run-")
        || name.starts_with("pairs-")
        || ["edges", "edge-counts", "origins"].contains(&name)
}

/// `part-NNNNN.jsonl.zst` or `part-NNNNN.parquet`.
fn is_part_name(name: &str) -> bool {
    name.strip_prefix("part-")
        .and_then(|rest| {
            rest.strip_suffix(".jsonl.zst")
                .or_else(|| rest.strip_suffix(".parquet"))
        })
        .is_some_and(|n| n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(slugs: &[&str]) -> Slugs {
        Slugs::Only(slugs.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn knows_a_runs_files_and_nothing_else() {
        let wiki = only(&["Wikipedia_en"]);
        let ours: [&[&str]; 10] = [
            &["report.json"],
            &["report.md"],
            &["blend.txt"],
            &["megatron", "Wikipedia_en_text_document.bin"],
            &["megatron", "Wikipedia_en_text_document.idx"],
            &["docs", "Wikipedia_en", "part-00012.jsonl.zst"],
            &["docs", "Wikipedia_en", "part-00012.parquet"],
            &["removed", "duplicates.jsonl.zst"],
            &["removed", "decontaminated.jsonl.zst"],
            &["rejects", "rejects.jsonl.zst"],
        ];
        for parts in ours {
            assert!(is_run_output(parts, &wiki), "{parts:?}");
        }
        let theirs: [&[&str]; 10] = [
            &["thesis.txt"],
            &["docs", "thesis.txt"],
            &["docs", "Wikipedia_en", "notes.txt"],
            &["docs", "Wikipedia_en", "part-1.jsonl.zst"],
            &["docs", "Other", "part-00000.jsonl.zst"],
            &["megatron", "model.ckpt"],
            &["megatron", "Other_text_document.bin"],
            &["megatron", "_text_document.bin"],
            &["removed", "keep.me"],
            &["docs", "Wikipedia_en", "sub", "part-00000.jsonl.zst"],
        ];
        for parts in theirs {
            assert!(!is_run_output(parts, &wiki), "{parts:?}");
        }
        assert!(is_run_output(
            &["megatron", "Other_text_document.bin"],
            &Slugs::Any
        ));
        assert!(!is_run_output(&["megatron", "model.ckpt"], &Slugs::Any));
    }

    #[test]
    fn knows_the_dedup_work_files() {
        for name in [
            "run-00000.exact",
            "run-00003.band-013",
            "run-00000.band-001.merge-1-00000",
            "pairs-00002",
            "edges",
            "edge-counts",
            "origins",
        ] {
            assert!(is_work_file(name), "{name}");
        }
        for name in ["notes", "origins.bak", "my-edges"] {
            assert!(!is_work_file(name), "{name}");
        }
    }
}
