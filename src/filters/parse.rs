//! Reading a rule set file. The keys every rule shares (`name`, `min`, `max`) are taken out
//! of each `[[rule]]` table first; what remains, `kind` and the kind's own parameters, goes
//! to the tagged [`RuleKind`] enum, whose variant structs refuse unknown keys.

use super::{Rule, RuleKind, RuleSet};
use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use std::path::Path;
use toml::{Spanned, Table, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSetToml {
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<Table>>,
}

/// Parses and validates a rule set; every error names `origin`, and for a rule its line.
pub(super) fn rule_set(text: &str, origin: &str) -> Result<RuleSet> {
    let file: RuleSetToml =
        toml::from_str(text).with_context(|| format!("cannot read rule set {origin}"))?;
    let mut rules: Vec<Rule> = Vec::with_capacity(file.rules.len());
    for (index, table) in file.rules.into_iter().enumerate() {
        let line = text
            .get(..table.span().start)
            .map_or(0, |before| before.lines().count() + 1);
        let at = format!("{origin}:{line}: rule {}", index + 1);
        let mut rule = rule(table.into_inner()).with_context(|| at.clone())?;
        let base = Path::new(origin).parent().unwrap_or(Path::new(""));
        rule.kind.load_files(base).with_context(|| at.clone())?;
        if let Some(other) = rules.iter().position(|seen| seen.name == rule.name) {
            bail!(
                "{at}: the name `{}` is already used by rule {}; give one of them a `name`",
                rule.name,
                other + 1
            );
        }
        rules.push(rule);
    }
    let name = file.name.unwrap_or_else(|| {
        let stem = Path::new(origin).file_stem();
        stem.map_or_else(|| origin.to_string(), |s| s.to_string_lossy().into_owned())
    });
    Ok(RuleSet {
        name,
        description: file.description,
        rules,
    })
}

fn rule(mut table: Table) -> Result<Rule> {
    let name = match table.remove("name") {
        None => None,
        Some(Value::String(name)) => Some(name),
        Some(other) => bail!("`name` must be a string, not {}", other.type_str()),
    };
    let min = bound(&mut table, "min")?;
    let max = bound(&mut table, "max")?;
    let kind_label = match table.get("kind") {
        Some(Value::String(kind)) => format!(" (kind `{kind}`)"),
        _ => String::new(),
    };
    let kind: RuleKind = Value::Table(table)
        .try_into()
        .map_err(|err| anyhow!("{}", err.to_string().trim_end()))
        .with_context(|| format!("invalid rule{kind_label}"))?;
    kind.validate()
        .map_err(|err| anyhow!("kind `{}`: {err}", kind.name()))?;
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        bail!("min ({min}) is greater than max ({max})");
    }
    Ok(Rule {
        name: name.unwrap_or_else(|| kind.name().to_string()),
        min,
        max,
        kind,
    })
}

fn bound(table: &mut Table, key: &str) -> Result<Option<f64>> {
    let value = match table.remove(key) {
        None => return Ok(None),
        Some(Value::Integer(value)) => value as f64,
        Some(Value::Float(value)) => value,
        Some(other) => bail!("`{key}` must be a number, not {}", other.type_str()),
    };
    if value.is_nan() {
        bail!("`{key}` must be a number, not nan");
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected` is a list of fragments the full error chain must contain.
    fn check(input: &str, expected: &[&str]) {
        let err = rule_set(input, "filters/broken.toml").expect_err(input);
        let message = format!("{err:#}");
        for fragment in expected {
            assert!(message.contains(fragment), "{message:?} lacks {fragment:?}");
        }
    }

    #[test]
    fn refuses_bad_rule_sets() {
        let table: &[(&str, &[&str])] = &[
            (
                "name = 'x'\n[[rule]]\nkind = 'word_count'\nmn = 50",
                &[
                    "filters/broken.toml:2: rule 1",
                    "word_count",
                    "unknown field `mn`",
                ],
            ),
            (
                "[[rule]]\nkind = 'stop_words'\nmin = 2\nwords = ['the']\n[[rule]]\nkind = 'stop_words'\nword = ['a']",
                &["filters/broken.toml:5: rule 2", "unknown field `word`"],
            ),
            (
                "[[rule]]\nkind = 'word_cont'\nmin = 50",
                &[
                    "filters/broken.toml:1: rule 1",
                    "unknown variant `word_cont`",
                ],
            ),
            (
                "[[rule]]\nmin = 50",
                &["broken.toml:1: rule 1", "missing field `kind`"],
            ),
            (
                "[[rules]]\nkind = 'word_count'",
                &["broken.toml", "unknown field `rules`"],
            ),
            (
                "[[rule]]\nkind = 'char_count'\nmin = 5\nmax = 1",
                &["rule 1", "min (5)"],
            ),
            (
                "[[rule]]\nkind = 'char_count'\nmin = '5'",
                &["rule 1", "`min` must be a number"],
            ),
            (
                "[[rule]]\nkind = 'char_count'\nmax = nan",
                &["`max` must be a number"],
            ),
            (
                "[[rule]]\nkind = 'symbol_word_ratio'\nmax = 0.1",
                &["missing field `symbols`"],
            ),
            (
                "[[rule]]\nkind = 'symbol_word_ratio'\nsymbols = []",
                &["`symbols` must list"],
            ),
            (
                "[[rule]]\nkind = 'char_count'\n[[rule]]\nkind = 'char_count'",
                &[
                    "broken.toml:3: rule 2",
                    "`char_count` is already used by rule 1",
                ],
            ),
            (
                "[[rule]\nkind = 'char_count'",
                &["cannot read rule set filters/broken.toml"],
            ),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn reads_names_and_defaults() {
        let set = rule_set(
            "description = 'd'\n[[rule]]\nkind = 'char_count'\nmin = 1\n\
             [[rule]]\nname = 'hashes'\nkind = 'symbol_word_ratio'\nsymbols = ['#']\nmax = 0.1",
            "filters/light.toml",
        )
        .expect("parse");
        assert_eq!(
            (set.name.as_str(), set.description.as_str()),
            ("light", "d")
        );
        let names: Vec<_> = set.rules.iter().map(|rule| rule.name.as_str()).collect();
        assert_eq!(names, ["char_count", "hashes"]);
        assert_eq!((set.rules[0].min, set.rules[0].max), (Some(1.0), None));
        assert_eq!((set.rules[1].min, set.rules[1].max), (None, Some(0.1)));
    }
}
