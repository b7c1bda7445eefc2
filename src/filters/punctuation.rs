//! datatrove's `PUNCTUATION_SET` (`datatrove/utils/text.py`: `PUNCTUATION` plus
//! `TERMINAL_PUNCTUATION`): a word made only of these characters is a "symbol word", which
//! the Gopher kinds leave out of word counts and mean word length.

/// Bit `c` is set when ASCII character `c` is in the set: every ASCII punctuation mark and
/// the control characters other than tab and newline (datatrove's ranges 0-8, 11-12, 13-31, 127).
const ASCII_MASK: u128 = 0xf8000001_f8000001_fc00fffe_fffff9ff;

/// The non-ASCII members, sorted for binary search (C1 controls, typographic quotes and
/// dashes, CJK and fullwidth punctuation, terminal marks of other scripts).
#[rustfmt::skip]
const NON_ASCII: [char; 218] = [
    '\u{80}', '\u{81}', '\u{82}', '\u{83}', '\u{84}', '\u{85}', '\u{86}', '\u{87}', '\u{88}',
    '\u{89}', '\u{8a}', '\u{8b}', '\u{8c}', '\u{8d}', '\u{8e}', '\u{8f}', '\u{90}', '\u{91}',
    '\u{92}', '\u{93}', '\u{94}', '\u{95}', '\u{96}', '\u{97}', '\u{98}', '\u{99}', '\u{9a}',
    '\u{9b}', '\u{9c}', '\u{9d}', '\u{9e}', '\u{9f}', '\u{ab}', '\u{b4}', '\u{bb}', '\u{589}',
    '\u{61d}', '\u{61e}', '\u{61f}', '\u{6d4}', '\u{700}', '\u{701}', '\u{702}', '\u{7f9}',
    '\u{837}', '\u{839}', '\u{83d}', '\u{83e}', '\u{964}', '\u{965}', '\u{104a}', '\u{104b}',
    '\u{1362}', '\u{1367}', '\u{1368}', '\u{166e}', '\u{1735}', '\u{1736}', '\u{17d4}',
    '\u{17d5}', '\u{17d6}', '\u{17d9}', '\u{17da}', '\u{1803}', '\u{1809}', '\u{1944}',
    '\u{1945}', '\u{1aa8}', '\u{1aa9}', '\u{1aaa}', '\u{1aab}', '\u{1b5a}', '\u{1b5b}',
    '\u{1b5e}', '\u{1b5f}', '\u{1b7d}', '\u{1b7e}', '\u{1c3b}', '\u{1c3c}', '\u{1c7e}',
    '\u{1c7f}', '\u{2013}', '\u{2014}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{201e}',
    '\u{2026}', '\u{203c}', '\u{203d}', '\u{2047}', '\u{2048}', '\u{2049}', '\u{2236}',
    '\u{2501}', '\u{25ba}', '\u{2e2e}', '\u{2e3c}', '\u{2e53}', '\u{2e54}', '\u{3001}',
    '\u{3002}', '\u{3008}', '\u{3009}', '\u{300a}', '\u{300b}', '\u{300c}', '\u{300d}',
    '\u{3010}', '\u{3011}', '\u{a4ff}', '\u{a60e}', '\u{a60f}', '\u{a6f3}', '\u{a6f7}',
    '\u{a876}', '\u{a877}', '\u{a8ce}', '\u{a8cf}', '\u{a92f}', '\u{a9c8}', '\u{a9c9}',
    '\u{aa5d}', '\u{aa5e}', '\u{aa5f}', '\u{aaf0}', '\u{aaf1}', '\u{abeb}', '\u{fe52}',
    '\u{fe56}', '\u{fe57}', '\u{ff01}', '\u{ff05}', '\u{ff08}', '\u{ff09}', '\u{ff0c}',
    '\u{ff0e}', '\u{ff11}', '\u{ff1a}', '\u{ff1b}', '\u{ff1f}', '\u{ff5e}', '\u{ff61}',
    '\u{10a56}', '\u{10a57}', '\u{10f55}', '\u{10f56}', '\u{10f57}', '\u{10f58}', '\u{10f59}',
    '\u{10f86}', '\u{10f87}', '\u{10f88}', '\u{10f89}', '\u{11047}', '\u{11048}', '\u{110be}',
    '\u{110bf}', '\u{110c0}', '\u{110c1}', '\u{11141}', '\u{11142}', '\u{11143}', '\u{111c5}',
    '\u{111c6}', '\u{111cd}', '\u{111de}', '\u{111df}', '\u{11238}', '\u{11239}', '\u{1123b}',
    '\u{1123c}', '\u{112a9}', '\u{1144b}', '\u{1144c}', '\u{115c2}', '\u{115c3}', '\u{115c9}',
    '\u{115ca}', '\u{115cb}', '\u{115cc}', '\u{115cd}', '\u{115ce}', '\u{115cf}', '\u{115d0}',
    '\u{115d1}', '\u{115d2}', '\u{115d3}', '\u{115d4}', '\u{115d5}', '\u{115d6}', '\u{115d7}',
    '\u{11641}', '\u{11642}', '\u{1173c}', '\u{1173d}', '\u{1173e}', '\u{11944}', '\u{11946}',
    '\u{11a42}', '\u{11a43}', '\u{11a9b}', '\u{11a9c}', '\u{11c41}', '\u{11c42}', '\u{11ef7}',
    '\u{11ef8}', '\u{11f43}', '\u{11f44}', '\u{16a6e}', '\u{16a6f}', '\u{16af5}', '\u{16b37}',
    '\u{16b38}', '\u{16b44}', '\u{16e98}', '\u{1bc9f}', '\u{1da88}',
];

/// Whether `c` is in datatrove's punctuation set.
pub fn is_punctuation(c: char) -> bool {
    let code = c as u32;
    if code < 128 {
        ASCII_MASK & (1u128 << code) != 0
    } else {
        NON_ASCII.binary_search(&c).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(word: &str, expected: bool) {
        assert_eq!(word.chars().all(is_punctuation), expected, "{word:?}");
    }

    #[test]
    fn symbol_words() {
        let table = [
            ("--", true),
            ("...", true),
            ("…", true),
            ("“", true),
            ("。", true),
            ("#", true),
            ("\u{7}", true),
            ("１", true), // datatrove lists the fullwidth digit one as punctuation
            ("'s", false),
            ("1", false),
            ("word", false),
            ("§", false),
            ("\t", false),
        ];
        for (word, expected) in table {
            check(word, expected);
        }
    }

    #[test]
    fn table_is_sorted() {
        assert!(NON_ASCII.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn ascii_mask_matches_datatrove_ranges() {
        let printable = (0u8..128)
            .map(char::from)
            .filter(|&c| is_punctuation(c) && !c.is_control());
        assert!(
            printable.eq((0u8..128)
                .map(char::from)
                .filter(char::is_ascii_punctuation))
        );
        assert!(!is_punctuation('\n') && is_punctuation('\r') && is_punctuation('\u{7f}'));
    }
}
