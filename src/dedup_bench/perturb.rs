//! Perturbed copies of real documents for `bench-dedup`, one kind of edit at a time: the
//! edits that should not make a copy a different document (punctuation, quotes, case,
//! whitespace, line wrapping), and one that should (numbers), as a control for the rules
//! that fold digits. Deterministic from a seed.

/// A kind of edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Punctuation marks removed next to spaces, swapped for others between words,
    /// apostrophes dropped inside words, commas added, `-- Author` ↔ `(Author)`.
    Punctuation,
    /// Straight quotes made curly or curly straight, quotes added around a quotation and
    /// removed around others.
    Quotes,
    /// Words upper-, title- or lower-cased (some words, or all).
    Case,
    /// Spaces turned into runs of spaces, tabs, newlines or no-break spaces.
    Whitespace,
    /// Paragraphs re-wrapped at another width.
    Wrap,
    /// Every number's digits replaced: a different document (a control).
    Numbers,
}

impl Kind {
    /// Every kind, in the order the benchmark prints them.
    pub const ALL: [Kind; 6] = [
        Kind::Punctuation,
        Kind::Quotes,
        Kind::Case,
        Kind::Whitespace,
        Kind::Wrap,
        Kind::Numbers,
    ];

    /// The kind's name in the benchmark's table.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Punctuation => "punctuation",
            Kind::Quotes => "quotes",
            Kind::Case => "case",
            Kind::Whitespace => "whitespace",
            Kind::Wrap => "wrap",
            Kind::Numbers => "numbers",
        }
    }
}

/// A xorshift64 stream.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) % n.max(1)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// `text` edited by `kind`, deterministically from `seed`.
pub fn perturb_kind(text: &str, kind: Kind, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    match kind {
        Kind::Punctuation => punctuation(text, &mut rng),
        Kind::Quotes => quotes(text, &mut rng),
        Kind::Case => case(text, &mut rng),
        Kind::Whitespace => whitespace(text, &mut rng),
        Kind::Wrap => wrap(text, 30 + rng.below(70) as usize),
        Kind::Numbers => numbers(text, &mut rng),
    }
}

/// Marks that [`punctuation`] removes or swaps (quotes are [`quotes`]' business).
fn is_mark(c: char) -> bool {
    (c.is_ascii_punctuation() && !matches!(c, '"' | '\'' | '`'))
        || matches!(c, '—' | '–' | '…' | '•' | '·')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// The characters of `text` with their neighbours (`' '` beyond either end).
fn with_neighbours(text: &str) -> impl Iterator<Item = (char, char, char)> + '_ {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).map(move |i| {
        let before = if i == 0 { ' ' } else { chars[i - 1] };
        (before, chars[i], chars.get(i + 1).copied().unwrap_or(' '))
    })
}

fn punctuation(text: &str, rng: &mut Rng) -> String {
    const SWAPS: [char; 9] = [',', ';', ':', '.', '!', '?', '-', '/', '—'];
    let lines: Vec<String> = text
        .split('\n')
        .map(
            |line| match (line.strip_prefix("-- "), line.strip_prefix('(')) {
                (Some(author), _) if rng.chance(70) => format!("({author})"),
                (_, Some(rest)) if rest.ends_with(')') && rng.chance(70) => {
                    format!("-- {}", &rest[..rest.len() - 1])
                }
                _ => line.to_string(),
            },
        )
        .collect();
    let text = lines.join("\n");
    let mut out = String::with_capacity(text.len() + 16);
    for (before, c, after) in with_neighbours(&text) {
        if is_mark(c) && rng.chance(30) {
            if before.is_whitespace() || after.is_whitespace() {
                continue;
            }
            out.push(SWAPS[rng.below(SWAPS.len() as u64) as usize]);
        } else if is_apostrophe(c) && before.is_alphanumeric() && after.is_alphanumeric() {
            if !rng.chance(50) {
                out.push(c);
            }
        } else {
            out.push(c);
            if c.is_alphanumeric() && after == ' ' && rng.chance(3) {
                out.push(',');
            }
        }
    }
    out.push_str(" --");
    out
}

fn quotes(text: &str, rng: &mut Rng) -> String {
    let to_curly = !text.contains(['“', '”', '’']);
    let mut out = String::with_capacity(text.len() + 16);
    // A quotation added around a run of words, beginning after the `quote_at`-th space.
    let quote_at = rng.below(text.matches(' ').count() as u64 + 1);
    let (mut spaces, mut quoting) = (0u64, 0u64);
    for (before, c, after) in with_neighbours(text) {
        let opens = before.is_whitespace() || matches!(before, '(' | '[');
        let at_edge = opens || after.is_whitespace() || after.is_ascii_punctuation();
        match c {
            '"' | '“' | '”' | '«' | '»' | '„' if at_edge && rng.chance(30) => {}
            '"' if to_curly => out.push(if opens { '“' } else { '”' }),
            '\'' if to_curly => out.push(if opens { '‘' } else { '’' }),
            '“' | '”' | '«' | '»' | '„' if !to_curly => out.push('"'),
            '’' | '‘' if !to_curly => out.push('\''),
            ' ' => {
                if quoting == 1 {
                    out.push(if to_curly { '”' } else { '"' });
                }
                out.push(' ');
                quoting = quoting.saturating_sub(1);
                if spaces == quote_at {
                    out.push(if to_curly { '“' } else { '"' });
                    quoting = 4 + rng.below(10);
                }
                spaces += 1;
            }
            c => out.push(c),
        }
    }
    if quoting > 0 {
        out.push(if to_curly { '”' } else { '"' });
    }
    out
}

fn case(text: &str, rng: &mut Rng) -> String {
    let mode = rng.below(4);
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    let mut word_mode = mode;
    for c in text.chars() {
        if c.is_whitespace() {
            out.push(c);
            start = true;
            continue;
        }
        if start && mode == 3 {
            // Mixed: about a third of the words change, each in one of the three ways.
            word_mode = if rng.chance(33) { rng.below(3) } else { 4 };
        }
        match (word_mode, start) {
            (0, _) | (1, true) => out.extend(c.to_uppercase()),
            (1, false) | (2, _) => out.extend(c.to_lowercase()),
            _ => out.push(c),
        }
        start = false;
    }
    out
}

fn whitespace(text: &str, rng: &mut Rng) -> String {
    const RUNS: [&str; 6] = ["  ", "\t", "\n", " \n ", "\u{A0}", "   \t "];
    let mut out = String::from(" \n");
    for c in text.chars() {
        match c {
            ' ' if rng.chance(30) => out.push_str(RUNS[rng.below(6) as usize]),
            '\n' if rng.chance(30) => out.push_str(if rng.chance(50) { "\r\n" } else { "\n\n" }),
            c => out.push(c),
        }
    }
    out.push_str("\n\n");
    out
}

/// Each paragraph (lines up to a blank line) joined and re-wrapped at `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut paragraphs = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        paragraphs.push(lines.join("\n"));
    }
    paragraphs.join("\n\n")
}

fn numbers(text: &str, rng: &mut Rng) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from(b'0' + rng.below(10) as u8),
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests;
