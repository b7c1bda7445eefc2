//! `citation_removal`: a C4 line rule that rewrites the text. Removes Wikipedia citation
//! markers, `\[\d*]|\[edit]|\[citation needed]` (`\d` any Unicode decimal digit, as in
//! Python), from every line; drops no line. Lines are stripped before the removal and not
//! after, as in datatrove, so `ends here. [1]` keeps a trailing space. The measured value is
//! the fraction of lines kept (1, or 0 without lines). datatrove: C4QualityFilter's
//! `remove_citations` (on by default).

use super::kind::Measure;
use super::lines::{LineEdit, Rewriter, rewrite_lines};
use super::views::Views;
use serde::Deserialize;
use std::sync::LazyLock;

static CITATION: LazyLock<::regex::Regex> = LazyLock::new(|| {
    ::regex::Regex::new(r"\[\d*]|\[edit]|\[citation needed]").expect("a valid constant pattern")
});

/// Parameters of `citation_removal` (none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitationRemoval {}

impl Rewriter for CitationRemoval {
    fn rewrite(&self, views: &Views<'_>) -> LineEdit {
        rewrite_lines(views, |line, out| {
            let mut last = 0;
            for found in CITATION.find_iter(line) {
                out.push_str(&line[last..found.start()]);
                last = found.end();
            }
            out.push_str(&line[last..]);
            true
        })
    }
}

impl Measure for CitationRemoval {
    fn measure(&self, views: &Views<'_>) -> f64 {
        self.rewrite(views).kept_fraction()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    fn check(input: &str, expected: Option<&str>) {
        let edit = CitationRemoval {}.rewrite(&Views::new(input));
        assert_eq!(edit.lines_removed, 0);
        assert_eq!(edit.text.as_deref(), expected, "{input:?}");
    }

    #[test]
    fn removes_citation_markers() {
        let table = [
            ("", None),
            ("No markers.", None),
            ("Fact.[1][23] More[] [edit]", Some("Fact. More ")),
            (
                "A [citation needed] b [ 1] [x] [١٢]",
                Some("A  b [ 1] [x] "),
            ),
            ("  padded [2]  \nnext", Some("padded \nnext")),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
        // Python's docs cite with [1]: eight markers over 322 lines.
        let text = testdata::text("pydoc:library/heapq");
        let edit = CitationRemoval {}.rewrite(&Views::new(text));
        let rewritten = edit.text.unwrap_or_default();
        assert_eq!(
            (edit.lines_in, CITATION.find_iter(&rewritten).count()),
            (322, 0)
        );
        assert_eq!(CITATION.find_iter(text).count(), 8);
    }
}
