//! `language_id`: the score of the document's top language when that language is one of the
//! configured `languages`, else 0. With `min = 0.5`, a document is kept when its top language
//! is in the set and the detector's confidence is at least 0.5.
//!
//! The detector is the `whatlang` crate (pure Rust; its trigram profiles of 69 languages are
//! compiled into the binary, so nothing is downloaded). It runs on a bounded sample of the
//! text, the first [`SAMPLE_BYTES`] bytes (cut back to a character boundary): its cost per
//! document grows with the number of distinct trigrams, and the opening of a document
//! decides its language as well as the whole does (on the sample corpus the verdict on the
//! prefix agrees with the verdict on the full text for 99% of documents).

use super::kind::Measure;
use super::views::Views;
use serde::Deserialize;

/// Bytes of the text given to the detector.
pub const SAMPLE_BYTES: usize = 2048;

/// The code of a document whose language cannot be told (no letters at all).
pub const UNDETERMINED: &str = "und";

/// ISO 639-3 codes of whatlang's languages with their ISO 639-1 codes, where one exists.
const CODES: [(&str, &str); 69] = [
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// The top language of a text, as an ISO 639-1 code (`en`, `zh`, `ko`; [`UNDETERMINED`]
/// when the text has no letters), and the detector's confidence in 0..=1. Reads only the
/// first [`SAMPLE_BYTES`] bytes. A pure function of the text.
pub fn detect_language(text: &str) -> (&'static str, f64) {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match whatlang::detect(&text[..end]) {
        None => (UNDETERMINED, 0.0),
        Some(info) => {
            let long = info.lang().code();
            let short = CODES
                .iter()
                .find(|(three, _)| *three == long)
                .map_or(long, |(_, two)| *two);
            (short, info.confidence())
        }
    }
}

/// Parameters of `language_id`: the accepted languages, as ISO 639-1 codes.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "LanguageIdToml")]
pub struct LanguageId {
    languages: Vec<&'static str>,
}

/// The TOML form of `language_id`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageIdToml {
    /// Accepted languages, ISO 639-1 (`en`) or 639-3 (`eng`) codes.
    languages: Vec<String>,
}

impl TryFrom<LanguageIdToml> for LanguageId {
    type Error = String;

    fn try_from(toml: LanguageIdToml) -> Result<Self, String> {
        if toml.languages.is_empty() {
            return Err("`languages` must list at least one language code, e.g. [\"en\"]".into());
        }
        let mut languages = Vec::with_capacity(toml.languages.len());
        for code in &toml.languages {
            let found = CODES
                .iter()
                .find(|(three, two)| code == three || code == two);
            match found {
                Some((_, two)) => languages.push(*two),
                None => {
                    return Err(format!(
                        "unknown language code {code:?} in `languages`; use ISO 639-1 codes \
                         such as \"en\", \"de\", \"zh\" (69 languages are known)"
                    ));
                }
            }
        }
        Ok(LanguageId { languages })
    }
}

impl Measure for LanguageId {
    fn measure(&self, views: &Views<'_>) -> f64 {
        let (language, score) = views.language();
        if self.languages.contains(&language) {
            score
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testdata;

    /// `expected` is the detected language; the score must reach `min_score`.
    fn check(input: &str, expected: &str, min_score: f64) {
        let (language, score) = detect_language(input);
        assert_eq!(language, expected, "{:?}", &input[..input.len().min(80)]);
        assert!(
            score >= min_score,
            "{language} {score} {:?}",
            &input[..80.min(input.len())]
        );
    }

    #[test]
    fn detects_languages_of_real_and_foreign_text() {
        let table = [
            (testdata::text("wiki:Answer"), "en", 0.9),
            (testdata::text("sotu:1800_john_adams"), "en", 0.9),
            (testdata::text("man:wcscat.3"), "en", 0.9),
            // The GB2312 spam e-mail: the headers are English, the body quoted-printable.
            (testdata::text("email:spam-2/01064"), "en", 0.0),
            (
                "Der schnelle braune Fuchs springt über den faulen Hund, und das ist gut so.",
                "de",
                0.5,
            ),
            (
                "Le renard brun rapide saute par-dessus le chien paresseux, comme toujours.",
                "fr",
                0.5,
            ),
            (
                "我们的产品是最好的，价格最低，欢迎来电咨询订购。",
                "zh",
                0.9,
            ),
            (
                "안녕하세요, 저희 회사의 새로운 제품을 소개합니다. 지금 바로 연락주세요.",
                "ko",
                0.9,
            ),
            ("", UNDETERMINED, 0.0),
            ("1234 5678 {} [] ;;", UNDETERMINED, 0.0),
        ];
        for (input, expected, min_score) in table {
            check(input, expected, min_score);
        }
    }

    #[test]
    fn measures_score_only_for_accepted_languages() {
        let english: LanguageId = toml::from_str("languages = ['en']").expect("en");
        let by_three: LanguageId = toml::from_str("languages = ['eng', 'zh']").expect("eng");
        let wiki = Views::new(testdata::text("wiki:Answer"));
        let chinese = Views::new("我们的产品是最好的，价格最低，欢迎来电咨询订购。");
        assert!(english.measure(&wiki) > 0.9);
        assert_eq!(english.measure(&chinese), 0.0);
        assert!(by_three.measure(&chinese) > 0.9);
        assert!(toml::from_str::<LanguageId>("languages = []").is_err());
        assert!(toml::from_str::<LanguageId>("languages = ['xx']").is_err());
        assert!(toml::from_str::<LanguageId>("language = ['en']").is_err());
    }

    #[test]
    fn sample_is_cut_at_a_char_boundary() {
        // Byte SAMPLE_BYTES falls inside a two-byte `é`: must not panic.
        let text = format!("a{}", "é".repeat(SAMPLE_BYTES));
        assert!(!text.is_char_boundary(SAMPLE_BYTES));
        let (_, score) = detect_language(&text);
        assert!((0.0..=1.0).contains(&score));
    }
}
