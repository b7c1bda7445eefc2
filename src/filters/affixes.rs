//! Prefixes and suffixes for the word splitter: which characters spaCy's English tokenizer
//! peels off the start and the end of a whitespace-separated chunk, one token at a time.

/// Length in bytes of a run of at least two dots at the start of `s`, else 0.
pub(super) fn dot_run(s: &str) -> usize {
    let run = s.bytes().take_while(|&b| b == b'.').count();
    if run >= 2 { run } else { 0 }
}

#[rustfmt::skip]
fn is_quote_or_bracket(c: char) -> bool {
    matches!(
        c,
        '\'' | '"' | '`' | '‘' | '’' | '“' | '”' | '‚' | '„' | '´' | '«' | '»'
            | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>'
            | '「' | '」' | '『' | '』' | '（' | '）' | '〔' | '〕' | '【' | '】'
            | '《' | '》' | '〈' | '〉' | '⟦' | '⟧'
    )
}

/// spaCy's `LIST_PUNCT` without the brackets (those are in [`is_quote_or_bracket`]).
#[rustfmt::skip]
fn is_list_punct(c: char) -> bool {
    matches!(
        c,
        '…' | ',' | ':' | ';' | '!' | '?' | '¿' | '¡' | '_' | '#' | '*' | '&' | '。' | '？'
            | '！' | '，' | '、' | '；' | '：' | '～' | '·' | '।' | '،' | '۔' | '؛' | '٪'
    )
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '£' | '€' | '¥' | '฿' | '₹' | '₽')
}

/// Approximates spaCy's `LIST_ICONS` (Unicode category So): arrows, technical symbols, box
/// drawing, shapes, dingbats and emoji. Each is a token of its own wherever it occurs.
pub(super) fn is_icon(c: char) -> bool {
    matches!(c, '©' | '®' | '\u{2190}'..='\u{21FF}' | '\u{2300}'..='\u{23FF}'
        | '\u{2500}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}')
}

/// Length in bytes of the prefix token at the start of `s`, if any.
pub(super) fn prefix_len(s: &str) -> Option<usize> {
    // The common case: a letter or digit is no prefix (and starts no dot run).
    if s.as_bytes().first()?.is_ascii_alphanumeric() {
        return None;
    }
    let mut chars = s.chars();
    let c = chars.next()?;
    let run = dot_run(s);
    if run > 0 {
        return Some(run);
    }
    let is_prefix = is_list_punct(c)
        || is_icon(c)
        || is_quote_or_bracket(c)
        || is_currency(c)
        || matches!(c, '§' | '%' | '=' | '—' | '–')
        || (c == '+' && !chars.next().is_some_and(|next| next.is_ascii_digit()));
    is_prefix.then_some(c.len_utf8())
}

/// Clitics split off a word that ends in them (spaCy: the `'s` suffix and the English
/// tokenizer exceptions for `n't`, `'re`, `'ve`, `'ll`, `'d`, `'m`).
const CLITICS: [&str; 7] = ["'s", "n't", "'re", "'ve", "'ll", "'d", "'m"];

fn clitic_len(s: &str) -> Option<usize> {
    // Every clitic has an apostrophe (`'`, or `’` whose last byte is 0x99) in the last 5 bytes.
    let tail = &s.as_bytes()[s.len().saturating_sub(5)..];
    if !tail.iter().any(|&b| b == b'\'' || b == 0x99) {
        return None;
    }
    for clitic in CLITICS {
        for apostrophe in ['\'', '’'] {
            let tail_len = clitic.len() - 1 + apostrophe.len_utf8();
            let Some(split) = s.len().checked_sub(tail_len) else {
                continue;
            };
            let (head, tail) = (s.get(..split), s.get(split..));
            let (Some(head), Some(tail)) = (head, tail) else {
                continue;
            };
            let matches = tail
                .chars()
                .zip(clitic.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b) || (b == '\'' && a == apostrophe));
            if matches && head.chars().next_back().is_some_and(char::is_alphabetic) {
                return Some(tail_len);
            }
        }
    }
    None
}

/// Length in bytes of the suffix token at the end of `s`, if any.
pub(super) fn suffix_len(s: &str) -> Option<usize> {
    // The common case: after a final letter or digit only a clitic (`'s`, `n't`) can split.
    if s.as_bytes().last()?.is_ascii_alphanumeric() {
        return clitic_len(s);
    }
    let mut chars = s.chars();
    let c = chars.next_back()?;
    let prev = chars.next_back();
    let run = s.bytes().rev().take_while(|&b| b == b'.').count();
    if run >= 2 {
        return Some(run);
    }
    if let Some(len) = clitic_len(s) {
        return Some(len);
    }
    let after_digit = prev.is_some_and(|p| p.is_ascii_digit());
    let is_suffix = is_list_punct(c)
        || is_icon(c)
        || is_quote_or_bracket(c)
        || matches!(c, '—' | '–')
        || (after_digit && (c == '%' || c == '+' || is_currency(c)))
        || (c == '.' && !is_abbreviation(&s[..s.len() - 1]));
    is_suffix.then_some(c.len_utf8())
}

/// Whether a trailing period after `head` belongs to it: `U.S.`, `e.g.`, an initial `J.`
/// (spaCy keeps these through its exception list and its uppercase lookbehind).
fn is_abbreviation(head: &str) -> bool {
    let mut chars = head.chars().rev();
    let last = chars.next();
    let before = chars.next();
    (head.contains('.') && !head.contains("://"))
        || (last.is_some_and(char::is_uppercase) && !before.is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected` is (prefix length, suffix length) in bytes.
    fn check(input: &str, expected: (Option<usize>, Option<usize>)) {
        assert_eq!(
            (prefix_len(input), suffix_len(input)),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn prefixes_and_suffixes() {
        let table = [
            ("(word)", (Some(1), Some(1))),
            ("“word”", (Some(3), Some(3))),
            ("...so...", (Some(3), Some(3))),
            ("$5%", (Some(1), Some(1))),
            ("+1", (None, None)),
            ("+x", (Some(1), None)),
            ("it's", (None, Some(2))),
            ("don’t", (None, Some(5))),
            ("end.", (None, Some(1))),
            ("U.S.", (None, None)),
            ("J.", (None, None)),
            ("CIA.", (None, Some(1))),
            ("-flag", (None, None)),
            ("─┬─", (Some(3), Some(3))),
            ("we'll", (None, Some(3))),
            ("x", (None, None)),
            ("", (None, None)),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }
}
