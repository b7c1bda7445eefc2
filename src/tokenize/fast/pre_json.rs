//! Reads a tokenizer.json's `pre_tokenizer` (and checks its `post_processor`) for the fast
//! path: a ByteLevel pre-tokenizer (GPT-2), or a `Split` with a regex of a known family
//! followed by a ByteLevel that only maps bytes (Llama 3, GPT-4o, Qwen 2, OLMo 2).
//! Anything else is a [`Misfit`] naming the first component that does not fit.

use super::config::Misfit;
use super::split::Family;
use serde_json::Value;

/// A pre-tokenizer the fast path runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreTokenizer {
    /// HF's ByteLevel pre-tokenizer: GPT-2's regex when `use_regex`, and a space before
    /// each stretch that does not start with one when `add_prefix_space`.
    ByteLevel {
        add_prefix_space: bool,
        use_regex: bool,
    },
    /// A `Split` by a regex of `Family` whose pieces are kept (`Isolated`, or `Removed`
    /// with `invert`), then a ByteLevel without regex or prefix space.
    Split(Family),
}

/// The pre-tokenizer `json` describes, or why the fast path does not run it.
pub fn read(json: &Value) -> Result<PreTokenizer, Misfit> {
    let misfit = |reason: String| Err(Misfit(reason));
    match kind(json) {
        "ByteLevel" => Ok(byte_level(json)),
        "Sequence" => {
            let steps = json
                .get("pretokenizers")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            match steps {
                [only] if kind(only) == "ByteLevel" => Ok(byte_level(only)),
                [split, last] if kind(split) == "Split" => {
                    let family = read_split(split)?;
                    match byte_level(last) {
                        PreTokenizer::ByteLevel {
                            add_prefix_space: false,
                            use_regex: false,
                        } if kind(last) == "ByteLevel" => Ok(PreTokenizer::Split(family)),
                        _ => misfit(format!(
                            "its pre-tokenizer Sequence follows the Split with {}, not a \
                             ByteLevel without add_prefix_space and use_regex",
                            describe(last)
                        )),
                    }
                }
                _ => misfit(format!(
                    "its pre-tokenizer is a Sequence of [{}], not [Split, ByteLevel]",
                    steps.iter().map(describe).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        "Split" => misfit("its pre-tokenizer is a Split without a ByteLevel after it".into()),
        _ => misfit(format!(
            "its pre-tokenizer is {}, not ByteLevel or [Split, ByteLevel]",
            describe(json)
        )),
    }
}

/// The regex family of a `Split` step whose matches are kept, or why it is a misfit.
fn read_split(json: &Value) -> Result<Family, Misfit> {
    let Some(regex) = json.pointer("/pattern/Regex").and_then(Value::as_str) else {
        return Err(Misfit(
            "its Split pre-tokenizer splits on a string, not a regex".into(),
        ));
    };
    let Some(family) = Family::recognise(regex) else {
        return Err(Misfit(format!(
            "its Split pre-tokenizer's regex is not one the fast path knows: {regex:?}"
        )));
    };
    let behavior = json.get("behavior").and_then(Value::as_str).unwrap_or("");
    let invert = json.get("invert").and_then(Value::as_bool).unwrap_or(false);
    // Every position of a text starts a match of the known regexes (see `split`), so there
    // is no text between matches: Isolated keeps the matches whatever `invert` says, and
    // Removed with `invert` removes only that (empty) text.
    match (behavior, invert) {
        ("Isolated", _) | ("Removed", true) => Ok(family),
        _ => Err(Misfit(format!(
            "its Split pre-tokenizer's behavior is {behavior:?} with invert {invert}"
        ))),
    }
}

fn kind(json: &Value) -> &str {
    json.get("type").and_then(Value::as_str).unwrap_or("")
}

fn describe(json: &Value) -> String {
    match kind(json) {
        "" => "an untyped pre-tokenizer".to_string(),
        other => other.to_string(),
    }
}

fn byte_level(json: &Value) -> PreTokenizer {
    let flag = |name: &str| json.get(name).and_then(Value::as_bool).unwrap_or(true);
    PreTokenizer::ByteLevel {
        add_prefix_space: flag("add_prefix_space"),
        use_regex: flag("use_regex"),
    }
}

/// Post-processors never change the ids of `encode(text, false)` (HF adds special tokens
/// only when asked to): the kinds HF knows are accepted, an unknown one is a misfit.
pub fn check_post_processor(json: Option<&Value>) -> Result<(), Misfit> {
    const KNOWN: [&str; 5] = [
        "ByteLevel",
        "TemplateProcessing",
        "RobertaProcessing",
        "BertProcessing",
        "Sequence",
    ];
    match json {
        None | Some(Value::Null) => Ok(()),
        Some(processor) if KNOWN.contains(&kind(processor)) => Ok(()),
        Some(processor) => Err(Misfit(format!(
            "its post-processor is {}",
            describe(processor)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::fast::split::{CL100K, O200K};
    use serde_json::json;

    fn split(regex: &str, behavior: &str, invert: bool) -> Value {
        json!({"type": "Split", "pattern": {"Regex": regex}, "behavior": behavior,
            "invert": invert})
    }

    fn sequence(steps: Vec<Value>) -> Value {
        json!({"type": "Sequence", "pretokenizers": steps})
    }

    fn check(json: Value, expected: Result<PreTokenizer, &str>) {
        assert_eq!(
            read(&json),
            expected.map_err(|m| Misfit(m.into())),
            "{json}"
        );
    }

    #[test]
    fn reads_known_splits_and_names_misfits() {
        let bytes = json!({"type": "ByteLevel", "add_prefix_space": false, "use_regex": false});
        let gpt2 = json!({"type": "ByteLevel", "add_prefix_space": false});
        let llama3 = Ok(PreTokenizer::Split(Family::Cl100k { max_digits: 3 }));
        check(
            sequence(vec![split(CL100K, "Isolated", false), bytes.clone()]),
            llama3,
        );
        check(
            sequence(vec![split(O200K, "Removed", true), bytes.clone()]),
            Ok(PreTokenizer::Split(Family::O200k)),
        );
        check(
            sequence(vec![gpt2.clone()]),
            Ok(PreTokenizer::ByteLevel {
                add_prefix_space: false,
                use_regex: true,
            }),
        );
        check(
            sequence(vec![split(CL100K, "Removed", false), bytes.clone()]),
            Err("its Split pre-tokenizer's behavior is \"Removed\" with invert false"),
        );
        check(
            sequence(vec![
                split(CL100K, "MergedWithPrevious", false),
                bytes.clone(),
            ]),
            Err("its Split pre-tokenizer's behavior is \"MergedWithPrevious\" with invert false"),
        );
        check(
            sequence(vec![split(r"\p{N}+", "Isolated", false), bytes.clone()]),
            Err(r#"its Split pre-tokenizer's regex is not one the fast path knows: "\\p{N}+""#),
        );
        check(
            sequence(vec![split(CL100K, "Isolated", false), gpt2.clone()]),
            Err(
                "its pre-tokenizer Sequence follows the Split with ByteLevel, not a ByteLevel \
                 without add_prefix_space and use_regex",
            ),
        );
        check(
            sequence(vec![
                split(CL100K, "Isolated", false),
                split(O200K, "Isolated", false),
                bytes.clone(),
            ]),
            Err(
                "its pre-tokenizer is a Sequence of [Split, Split, ByteLevel], not [Split, ByteLevel]",
            ),
        );
        check(
            json!({"type": "Split", "pattern": {"String": " "}, "behavior": "Isolated", "invert": false}),
            Err("its pre-tokenizer is a Split without a ByteLevel after it"),
        );
        check(
            sequence(vec![
                json!({"type": "Split", "pattern": {"String": " "}}),
                bytes,
            ]),
            Err("its Split pre-tokenizer splits on a string, not a regex"),
        );
        check(
            json!({"type": "Metaspace"}),
            Err("its pre-tokenizer is Metaspace, not ByteLevel or [Split, ByteLevel]"),
        );
    }

    #[test]
    fn post_processors_that_leave_ids_alone() {
        for ok in [
            json!(null),
            json!({"type": "ByteLevel"}),
            json!({"type": "TemplateProcessing"}),
        ] {
            assert_eq!(check_post_processor(Some(&ok)), Ok(()));
        }
        assert_eq!(check_post_processor(None), Ok(()));
        let unknown = json!({"type": "Mystery"});
        assert_eq!(
            check_post_processor(Some(&unknown)),
            Err(Misfit("its post-processor is Mystery".into()))
        );
    }
}
