//! The line rules' shared shape (C4's line filters, citation removal): split the text into
//! lines like `str.splitlines()`, strip each line (Python's `str.strip()`), keep, change or
//! drop it, and join the kept lines with `\n`. The text counts as rewritten only when that
//! result differs from the input; `rewrite` runs the rules after it on the new text.

use super::views::{Views, ratio};

/// What a rewriting rule did to one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineEdit {
    /// Lines of the input text.
    pub lines_in: usize,
    /// Lines dropped.
    pub lines_removed: usize,
    /// The rewritten text, when it differs from the input.
    pub text: Option<String>,
    /// Whether the rule dropped or changed a line (beyond stripping its whitespace, which
    /// the first line rule of a set does to most documents and which is not reported).
    pub changed: bool,
}

/// What a rewriting kind implements, besides [`super::kind::Measure`] (whose value must be
/// the fraction of lines kept, the same number [`LineEdit::kept_fraction`] gives).
pub trait Rewriter {
    /// Rewrites the text of `views`.
    fn rewrite(&self, views: &Views<'_>) -> LineEdit;
}

impl LineEdit {
    /// The measured value of a rewriting rule: the fraction of lines kept (0 without lines).
    pub fn kept_fraction(&self) -> f64 {
        ratio(self.lines_in - self.lines_removed, self.lines_in)
    }
}

/// Python's `str.isspace()`: Unicode whitespace plus the separators `\x1c`-`\x1f`.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip()`.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// The shared line rewrite: for each line (stripped), `keep` either appends the line (or a
/// changed version) to `out` and returns true, or returns false to drop it.
pub fn rewrite_lines(
    views: &Views<'_>,
    mut keep: impl FnMut(&str, &mut String) -> bool,
) -> LineEdit {
    let text = views.text();
    let lines = views.lines();
    let mut out = String::with_capacity(text.len());
    let (mut removed, mut changed) = (0, false);
    for (index, line) in lines.iter().enumerate() {
        let mark = out.len();
        if index > removed {
            out.push('\n');
        }
        let stripped = py_strip(line);
        let start = out.len();
        if keep(stripped, &mut out) {
            changed |= out[start..] != *stripped;
        } else {
            out.truncate(mark);
            removed += 1;
        }
    }
    LineEdit {
        lines_in: lines.len(),
        lines_removed: removed,
        changed: changed || removed > 0,
        text: (out != text).then_some(out),
    }
}
