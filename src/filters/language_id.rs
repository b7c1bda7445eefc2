//! `language_id`: the probability of the document's top language when that language is one
//! of the configured `languages`, else 0. With `min = 0.5`, a document is kept when its top
//! language is in the set with probability at least 0.5. The detector is langid.py's model,
//! compiled into the binary (`super::langid`); it reads the first
//! [`super::langid::SAMPLE_BYTES`] bytes of the text.

use super::kind::Measure;
use super::langid;
use super::views::Views;
use serde::Deserialize;

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
    /// Accepted languages, ISO 639-1 codes (`en`).
    languages: Vec<String>,
}

impl TryFrom<LanguageIdToml> for LanguageId {
    type Error = String;

    fn try_from(toml: LanguageIdToml) -> Result<Self, String> {
        if toml.languages.is_empty() {
            return Err("`languages` must list at least one language code, e.g. [\"en\"]".into());
        }
        let model = langid::model()?;
        let mut languages = Vec::with_capacity(toml.languages.len());
        for code in &toml.languages {
            match model.codes.iter().find(|known| *known == code) {
                Some(known) => languages.push(known.as_str()),
                None => {
                    return Err(format!(
                        "unknown language code {code:?} in `languages`; use ISO 639-1 codes \
                         of the {} languages the detector knows: {}",
                        model.codes.len(),
                        model.codes.join(", ")
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

    #[test]
    fn measures_score_only_for_accepted_languages() {
        let english: LanguageId = toml::from_str("languages = ['en']").expect("en");
        let several: LanguageId = toml::from_str("languages = ['de', 'zh']").expect("de, zh");
        let wiki = Views::new(testdata::text("wiki:Answer"));
        let chinese = Views::new("我们的产品是最好的，价格最低，欢迎来电咨询订购。");
        assert!(english.measure(&wiki) > 0.9);
        assert_eq!(english.measure(&chinese), 0.0);
        assert!(several.measure(&chinese) > 0.9);
        assert_eq!(several.measure(&wiki), 0.0);
        assert!(toml::from_str::<LanguageId>("languages = []").is_err());
        let unknown = toml::from_str::<LanguageId>("languages = ['xx']").unwrap_err();
        assert!(unknown.to_string().contains("97 languages"), "{unknown}");
        assert!(toml::from_str::<LanguageId>("languages = ['eng']").is_err());
        assert!(toml::from_str::<LanguageId>("language = ['en']").is_err());
    }
}
