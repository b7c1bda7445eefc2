//! Rules that rewrite the text (C4's line filters, citation removal). A rewriting rule still
//! measures one number, the fraction of lines it keeps, compared with its bounds like any
//! other; in addition it may return a new text, and every rule after it (in its set and in the
//! source's later sets) measures that new text through fresh [`Views`].
//!
//! The line rules themselves share the helpers of `lines`.

use super::views::Views;
use super::{Rule, RuleSet};
use std::sync::Arc;

/// One rewriting rule's effect on one kept document.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// Index of the rule set among the source's sets (0 for [`RuleSet::evaluate`]).
    pub set: usize,
    /// Index of the rule in its set.
    pub rule: usize,
    /// Lines the rule removed.
    pub lines_removed: u64,
    /// Characters (Unicode scalar values) the rule removed, whitespace stripped included.
    pub chars_removed: u64,
}

/// The text a kept document ends up with, and the rewriting rules that changed it, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Rewrite {
    /// The final text.
    pub text: String,
    /// One entry per rule that changed the text.
    pub edits: Vec<Edit>,
}

/// The outcome of a rule set (or of a source's rule sets) on one document.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every rule passed; `Some` when rewriting rules changed the text.
    Keep(Option<Rewrite>),
    /// Rule `rule` of set `set` measured `value`, outside its bounds.
    Drop {
        /// Index of the rule set (0 for [`RuleSet::evaluate`]).
        set: usize,
        /// Index into `RuleSet::rules`.
        rule: usize,
        /// The measured value.
        value: f64,
    },
}

impl Verdict {
    /// The kept text: the rewrite's, else `original`; `None` when dropped.
    pub fn kept_text<'t>(&'t self, original: &'t str) -> Option<&'t str> {
        match self {
            Verdict::Keep(Some(rewrite)) => Some(&rewrite.text),
            Verdict::Keep(None) => Some(original),
            Verdict::Drop { .. } => None,
        }
    }
}

enum Step {
    Done,
    Drop {
        rule: usize,
        value: f64,
    },
    Rewritten {
        rule: usize,
        text: String,
        lines: usize,
        changed: bool,
    },
}

/// Runs `rules[start..]` on `views` until the end, a drop or a rewrite.
fn step(rules: &[Rule], start: usize, views: &Views<'_>) -> Step {
    for (index, rule) in rules.iter().enumerate().skip(start) {
        if let Some(rewriter) = rule.kind.rewriter() {
            let edit = rewriter.rewrite(views);
            let value = edit.kept_fraction();
            if !rule.accepts(value) {
                return Step::Drop { rule: index, value };
            }
            if let Some(text) = edit.text {
                let lines = edit.lines_removed;
                return Step::Rewritten {
                    rule: index,
                    text,
                    lines,
                    changed: edit.changed,
                };
            }
            continue;
        }
        let value = rule.measure_for_verdict(views);
        if !rule.accepts(value) {
            return Step::Drop { rule: index, value };
        }
    }
    Step::Done
}

/// Evaluates one set on `views`, continuing on rewritten texts; edits are pushed with `set`.
pub(super) fn evaluate(set: &RuleSet, index: usize, views: &Views<'_>) -> Verdict {
    let mut edits = Vec::new();
    let mut current: Option<String> = None;
    let mut start = 0;
    loop {
        let outcome = match &current {
            None => step(&set.rules, start, views),
            Some(text) => step(&set.rules, start, &Views::new(text)),
        };
        match outcome {
            Step::Done => return Verdict::Keep(current.map(|text| Rewrite { text, edits })),
            Step::Drop { rule, value } => {
                return Verdict::Drop {
                    set: index,
                    rule,
                    value,
                };
            }
            Step::Rewritten {
                rule,
                text,
                lines,
                changed,
            } => {
                if changed {
                    let before = current.as_deref().unwrap_or(views.text());
                    let removed = before.chars().count().saturating_sub(text.chars().count());
                    edits.push(Edit {
                        set: index,
                        rule,
                        lines_removed: lines as u64,
                        chars_removed: removed as u64,
                    });
                }
                current = Some(text);
                start = rule + 1;
            }
        }
    }
}

/// Applies a source's rule sets in order, each on the text the previous ones left: the
/// verdict of the first set that drops the document, else the kept (possibly rewritten) text
/// with every set's edits. Filters are pure, so pass 2 gets the same text as pass 1.
pub fn apply(sets: &[Arc<RuleSet>], text: &str) -> Verdict {
    apply_views(sets, &Views::new(text))
}

/// [`apply`] on a document whose views the caller holds (and may read afterwards, e.g. the
/// detected language for the report's distribution).
pub fn apply_views(sets: &[Arc<RuleSet>], original: &Views<'_>) -> Verdict {
    let mut kept: Option<Rewrite> = None;
    let mut index = 0;
    while index < sets.len() {
        // Sets that leave the text alone share one `Views` (words, lines, n-grams are
        // computed once for all of them); only a rewrite makes the next sets start afresh.
        let rewritten = match &kept {
            None => run_sets(sets, &mut index, original),
            Some(rewrite) => run_sets(sets, &mut index, &Views::new(&rewrite.text)),
        };
        let rewrite = match rewritten {
            Ok(Some(rewrite)) => rewrite,
            Ok(None) => break,
            Err(drop) => return drop,
        };
        match &mut kept {
            None => kept = Some(rewrite),
            Some(previous) => {
                previous.text = rewrite.text;
                previous.edits.extend(rewrite.edits);
            }
        }
    }
    Verdict::Keep(kept)
}

/// Evaluates `sets[*index..]` on `views` until one rewrites the text (its rewrite), all keep
/// it unchanged (`None`), or one drops it (the drop verdict, as the error).
fn run_sets(
    sets: &[Arc<RuleSet>],
    index: &mut usize,
    views: &Views<'_>,
) -> Result<Option<Rewrite>, Verdict> {
    while *index < sets.len() {
        let verdict = evaluate(&sets[*index], *index, views);
        *index += 1;
        match verdict {
            Verdict::Keep(None) => {}
            Verdict::Keep(Some(rewrite)) => return Ok(Some(rewrite)),
            drop @ Verdict::Drop { .. } => return Err(drop),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
