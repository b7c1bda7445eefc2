//! The word counts the Gopher kinds share, gathered by the word splitter as it pushes each
//! word: most words are plain ASCII letters and digits, whose counts the splitter already
//! knows, so they are never read a second time.

use super::punctuation::is_punctuation;

/// Counts over the words that several Gopher kinds share.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WordStats {
    /// All words, punctuation tokens included (datatrove's `n_words`).
    pub n_words: usize,
    /// Words with at least one character outside datatrove's punctuation set.
    pub n_non_symbol: usize,
    /// Total length in characters of the non-symbol words.
    pub non_symbol_chars: usize,
    /// Words with at least one alphabetic character.
    pub n_alphabetic: usize,
}

/// Byte classes of [`CLASSES`]: in the punctuation set (an ASCII punctuation mark, or a
/// control character other than tab and newline), an ASCII letter, or any byte of a
/// non-ASCII character.
const SYMBOL: u8 = 1;
const ALPHA: u8 = 2;
const NON_ASCII: u8 = 4;

const CLASSES: [u8; 256] = {
    let mut table = [NON_ASCII; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        let control = byte.is_ascii_control() && byte != b'\t' && byte != b'\n';
        table[b] = if byte.is_ascii_punctuation() || control {
            SYMBOL
        } else if byte.is_ascii_alphabetic() {
            ALPHA
        } else {
            0
        };
        b += 1;
    }
    table
};

impl WordStats {
    /// Counts a word of ASCII letters and digits only, `alphabetic` when it has a letter.
    #[inline]
    pub(super) fn add_plain(&mut self, len: usize, alphabetic: bool) {
        self.n_words += 1;
        self.n_non_symbol += 1;
        self.non_symbol_chars += len;
        self.n_alphabetic += usize::from(alphabetic);
    }

    /// Counts any word (never empty).
    pub(super) fn add(&mut self, word: &str) {
        // One table lookup per byte: which classes every byte has, and which any byte has.
        let (mut all, mut any) = (SYMBOL, 0);
        for &b in word.as_bytes() {
            let class = CLASSES[usize::from(b)];
            all &= class;
            any |= class;
        }
        let (n_chars, symbol, alphabetic) = if any & NON_ASCII == 0 {
            (word.len(), all & SYMBOL != 0, any & ALPHA != 0)
        } else {
            let (mut n_chars, mut symbol, mut alphabetic) = (0, true, false);
            for c in word.chars() {
                n_chars += 1;
                symbol &= is_punctuation(c);
                alphabetic |= c.is_alphabetic();
            }
            (n_chars, symbol, alphabetic)
        };
        self.n_words += 1;
        if !symbol {
            self.n_non_symbol += 1;
            self.non_symbol_chars += n_chars;
        }
        self.n_alphabetic += usize::from(alphabetic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata::sample;
    use crate::filters::words::split_words;

    /// The definition, a character at a time.
    fn reference(words: &[&str]) -> WordStats {
        let mut stats = WordStats::default();
        for word in words {
            stats.n_words += 1;
            if !word.chars().all(is_punctuation) {
                stats.n_non_symbol += 1;
                stats.non_symbol_chars += word.chars().count();
            }
            stats.n_alphabetic += usize::from(word.chars().any(char::is_alphabetic));
        }
        stats
    }

    #[test]
    fn counts_every_byte_class_like_the_definition() {
        // Every ASCII byte alone and next to a letter, a digit, a mark and non-ASCII text.
        let mut words: Vec<String> = Vec::new();
        for b in 1u8..0x80 {
            let c = char::from(b);
            for other in ["", "a", "7", ".", "é", "—", "日"] {
                words.push(format!("{c}{other}"));
                words.push(format!("{other}{c}"));
            }
        }
        words.extend(["“", "”…", "¿", "ok?", "naïve", "x\u{7f}", "\u{85}"].map(String::from));
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut stats = WordStats::default();
        words.iter().for_each(|w| stats.add(w));
        assert_eq!(stats, reference(&words));
        let mut plain = WordStats::default();
        plain.add_plain(3, true);
        plain.add_plain(2, false);
        assert_eq!(plain, reference(&["abc", "42"]));
    }

    #[test]
    fn the_splitter_counts_its_words_like_the_definition() {
        let mut texts: Vec<&str> = sample().iter().map(|doc| doc.text.as_str()).collect();
        texts.extend([
            "word, word. J. aB. x! 42? (see) don't can’t U.S. well-known 1-2",
            "… ¿qué? — «naïve» 日本語。 #tag ### ... ..x a.b 3+4 http://x.org/a-b.",
            "trailing punct,",
            "12345",
            "",
        ]);
        for text in texts {
            let (mut words, mut stats) = (Vec::new(), WordStats::default());
            split_words(text, &mut words, &mut stats);
            assert_eq!(stats, reference(&words), "{text:.80?}");
        }
    }
}
