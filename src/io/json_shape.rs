//! JSON shape checks for record parsing: a one-pass classifier of the `text` field and a
//! nesting-depth check for the `meta` we keep verbatim.

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The `text` field as found: a string, or the JSON type it has instead.
#[derive(Default)]
pub(super) enum TextField {
    #[default]
    /// No `text` key.
    Missing,
    /// A string.
    Str(String),
    /// Any other JSON value, named by its type ("a number").
    Other(&'static str),
}

/// Whether the valid JSON `raw` nests arrays and objects deeper than `limit`.
pub(super) fn nesting_exceeds(raw: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in raw.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

impl<'de> Deserialize<'de> for TextField {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TextField;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<TextField, E> {
        Ok(TextField::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<TextField, E> {
        Ok(TextField::Str(v))
    }
    fn visit_unit<E>(self) -> Result<TextField, E> {
        Ok(TextField::Other("null"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<TextField, E> {
        Ok(TextField::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<TextField, E> {
        Ok(TextField::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<TextField, E> {
        Ok(TextField::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<TextField, E> {
        Ok(TextField::Other("a number"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TextField, A::Error> {
        // Nested values go through this visitor again (not `IgnoredAny`, which skips without
        // counting depth), so serde_json's recursion limit rejects absurd nesting.
        while seq.next_element::<TextField>()?.is_some() {}
        Ok(TextField::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TextField, A::Error> {
        while map.next_entry::<IgnoredAny, TextField>()?.is_some() {}
        Ok(TextField::Other("an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, limit: usize, expected: bool) {
        assert_eq!(nesting_exceeds(raw, limit), expected, "{raw}");
    }

    #[test]
    fn measures_nesting_outside_strings() {
        check("1", 0, false);
        check("[]", 0, true);
        check("[]", 1, false);
        check(r#"{"a": [{"b": []}]}"#, 3, true);
        check(r#"{"a": [{"b": []}]}"#, 4, false);
        check(r#"["[[[[", "\"[[[["]"#, 1, false);
        check(r#"[[], [], []]"#, 2, false);
    }
}
