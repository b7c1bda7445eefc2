//! The normalizer of SentencePiece-style files: `Prepend` and string `Replace` steps, in the
//! file's order.

use serde_json::Value;

/// The word-start mark of SentencePiece vocabularies.
pub const MARK: char = '▁';

/// One normalizer step as HF applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Puts the string before a non-empty text.
    Prepend(String),
    /// Replaces every non-overlapping occurrence of `pattern`, left to right.
    Replace { pattern: String, content: String },
}

/// The normalizer: its steps in order (none for a file without one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalizer {
    steps: Vec<Step>,
}

impl Normalizer {
    /// Reads a tokenizer.json `normalizer`; `Err` says which part is not supported.
    pub fn from_json(json: &Value) -> Result<Normalizer, String> {
        let mut normalizer = Normalizer::default();
        normalizer.push_json(json)?;
        Ok(normalizer)
    }

    fn push_json(&mut self, json: &Value) -> Result<(), String> {
        let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_string);
        match json.get("type").and_then(Value::as_str) {
            Some("Sequence") => {
                let inner = json.get("normalizers").and_then(Value::as_array);
                let inner = inner.ok_or("is a Sequence without a list of normalizers")?;
                inner.iter().try_for_each(|step| self.push_json(step))
            }
            Some("Prepend") => {
                let prepend = text("prepend").ok_or("is a Prepend without a string")?;
                self.steps.push(Step::Prepend(prepend));
                Ok(())
            }
            Some("Replace") => {
                let pattern = json.get("pattern").and_then(|p| p.get("String"));
                let pattern = pattern.and_then(Value::as_str).map(str::to_string);
                let (Some(pattern), Some(content)) = (pattern, text("content")) else {
                    return Err("replaces a regex (only a plain string is supported)".into());
                };
                if pattern.is_empty() {
                    return Err("replaces an empty string".into());
                }
                self.steps.push(Step::Replace { pattern, content });
                Ok(())
            }
            Some(other) => Err(format!(
                "has a {other} step (only Prepend and Replace are supported)"
            )),
            None => Err("has a step without a type".into()),
        }
    }

    /// `text` normalized into `out` (cleared first); `spare` is a second buffer.
    pub fn apply(&self, text: &str, out: &mut String, spare: &mut String) {
        out.clear();
        out.push_str(text);
        for step in &self.steps {
            spare.clear();
            match step {
                Step::Prepend(prefix) if !out.is_empty() => {
                    spare.push_str(prefix);
                    spare.push_str(out);
                }
                Step::Prepend(_) => {}
                Step::Replace { pattern, content } => {
                    // Non-overlapping matches, left to right, as HF's regex finds them.
                    let mut last = 0;
                    for at in memchr::memmem::find_iter(out.as_bytes(), pattern.as_bytes()) {
                        spare.push_str(&out[last..at]);
                        spare.push_str(content);
                        last = at + pattern.len();
                    }
                    spare.push_str(&out[last..]);
                }
            }
            std::mem::swap(out, spare);
        }
    }

    /// `text` normalized, in a new string.
    pub fn normalize(&self, text: &str) -> String {
        let (mut out, mut spare) = (String::new(), String::new());
        self.apply(text, &mut out, &mut spare);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sp() -> Normalizer {
        Normalizer::from_json(&json!({"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        ]}))
        .expect("supported")
    }

    #[test]
    fn normalizes_like_sentencepiece() {
        let cases = [
            ("", ""),
            ("a", "▁a"),
            (" a  b ", "▁▁a▁▁b▁"),
            ("x\ny", "▁x\ny"),
        ];
        for (text, expected) in cases {
            assert_eq!(sp().normalize(text), expected, "{text:?}");
        }
        let aa = Normalizer::from_json(
            &json!({"type": "Replace", "pattern": {"String": "aa"}, "content": "b"}),
        );
        assert_eq!(aa.expect("supported").normalize("aaaaa"), "bba");
    }

    #[test]
    fn refuses_what_it_cannot_apply() {
        let cases = [
            json!({"type": "NFKC"}),
            json!({"type": "Replace", "pattern": {"Regex": " +"}, "content": "▁"}),
            json!({"type": "Replace", "pattern": {"String": ""}, "content": "▁"}),
            json!({"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Lowercase"}]}),
        ];
        for json in cases {
            assert!(Normalizer::from_json(&json).is_err(), "{json}");
        }
    }
}
