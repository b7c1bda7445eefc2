//! The `[[source]]` entries of a config: names, file-safe slugs, weights and the rule sets
//! each one lists, checked and loaded once.

use super::Source;
use super::raw::RawConfig;
use crate::doc::SourceId;
use crate::error::{FailureKind, failure, tag};
use crate::filters::RuleSet;
use crate::io;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The `[[source]]` entries, validated, in priority order, with their rule sets loaded (a
/// file named by several sources is read once; its text goes into the config hash).
pub(super) fn resolve_sources(
    raw: &RawConfig,
    base: &Path,
    origin: &str,
    hasher: &mut xxhash_rust::xxh3::Xxh3,
) -> Result<Vec<Source>> {
    let config_err = |msg: String| failure(FailureKind::Config, format!("{origin}: {msg}"));
    if raw.sources.is_empty() {
        return Err(config_err("no [[source]] declared".to_string()));
    }
    if raw.sources.len() > SourceId::MAX as usize {
        return Err(config_err("too many [[source]] entries".to_string()));
    }
    let mut loaded: Vec<(PathBuf, Arc<RuleSet>)> = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    for s in &raw.sources {
        super::limits::check_source_name(&s.name)
            .map_err(|e| config_err(format!("[[source]] name {:?} {e}", s.name)))?;
        let slug = s.slug.clone().unwrap_or_else(|| slugify(&s.name));
        super::limits::check_slug(&slug).map_err(|e| {
            let set = if s.slug.is_some() {
                ""
            } else {
                " (derived from its name)"
            };
            config_err(format!(
                "source {:?}: slug {slug:?}{set} {e}; set `slug` to a short file-safe name",
                s.name
            ))
        })?;
        // Compared without case: on macOS and Windows `Github` and `github` are one folder.
        let same_slug = |o: &Source| o.slug.eq_ignore_ascii_case(&slug);
        if let Some(other) = sources.iter().find(|o| o.name == s.name || same_slug(o)) {
            return Err(config_err(format!(
                "sources {:?} and {:?} share a name or slug ({:?} and {slug:?}, compared \
                 ignoring case); set `slug` on one",
                other.name, s.name, other.slug
            )));
        }
        if !(s.weight.is_finite() && s.weight >= 0.0) {
            return Err(config_err(format!(
                "source {:?}: weight must be >= 0",
                s.name
            )));
        }
        let mut rule_sets = Vec::new();
        for file in &s.filters {
            let path = base.join(file);
            if let Some((_, set)) = loaded.iter().find(|(p, _)| *p == path) {
                rule_sets.push(set.clone());
                continue;
            }
            let text = io::read_text(&path).map_err(|e| tag(FailureKind::Config, e))?;
            hasher.update(text.as_bytes());
            let set = RuleSet::from_toml(&text, &path.display().to_string())
                .map_err(|e| tag(FailureKind::Config, e))?;
            let set = Arc::new(set);
            loaded.push((path, set.clone()));
            rule_sets.push(set);
        }
        sources.push(Source {
            name: s.name.clone(),
            slug,
            weight: s.weight,
            rule_sets,
        });
    }
    if sources.iter().all(|s| s.weight == 0.0) {
        return Err(config_err(
            "every [[source]] has weight 0: blend.txt would be empty; give one a positive weight"
                .to_string(),
        ));
    }
    Ok(sources)
}

/// A file-safe name: runs of characters other than ASCII letters, digits, `.`, `-` become `_`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            slug.push(c);
        } else if !slug.ends_with('_') {
            slug.push('_');
        }
    }
    slug.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_file_safe() {
        let check = |name: &str, expected: &str| assert_eq!(slugify(name), expected, "{name}");
        check("Gutenberg (PG-19)", "Gutenberg_PG-19");
        check("Wikipedia (en)", "Wikipedia_en");
        check("US State of the Union", "US_State_of_the_Union");
        check("Github", "Github");
        check("a/b\\c", "a_b_c");
    }
}
