//! Where a record keeps its text, source and id: dotted field paths (`meta.pile_set_name`),
//! and the walk over a JSON object's members that finds them without building a tree.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

use super::json_shape::TextField;

/// A dotted path into a record: `text`, `meta.pile_set_name`, `metadata.url`. Each segment
/// names an object member; a member whose name contains a dot cannot be addressed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldPath {
    dotted: String,
    segments: Vec<String>,
}

impl FieldPath {
    /// Parses `a.b.c`; an empty path or segment is refused with what is wrong.
    pub fn parse(dotted: &str) -> Result<FieldPath, String> {
        let segments: Vec<String> = dotted.split('.').map(str::to_owned).collect();
        if segments.iter().any(String::is_empty) {
            return Err(format!(
                "{dotted:?} is not a field path: write member names joined by dots, \
                 like \"meta.pile_set_name\""
            ));
        }
        Ok(FieldPath {
            dotted: dotted.to_owned(),
            segments,
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.dotted
    }

    /// The top-level member the path starts at (a Parquet column).
    pub fn head(&self) -> &str {
        &self.segments[0]
    }

    /// The member names, outermost first.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.dotted)
    }
}

/// The fields of an input's records that pilecurate reads (`[[input]]` `text_field`,
/// `source_field`, `id_field`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecordLayout {
    /// The document text (a string).
    pub text: FieldPath,
    /// The source name (a string); a record without one has no source of its own.
    pub source: FieldPath,
    /// The document's id (a string or a number); `None`: the id is `file:line`.
    pub id: Option<FieldPath>,
}

impl Default for RecordLayout {
    /// The Pile's layout: `text`, `meta.pile_set_name`, no id.
    fn default() -> RecordLayout {
        RecordLayout {
            text: FieldPath::parse("text").expect("a valid path"),
            source: FieldPath::parse("meta.pile_set_name").expect("a valid path"),
            id: None,
        }
    }
}

impl RecordLayout {
    /// The top-level members the layout reads, for reading only those columns of a Parquet
    /// file when the rest is not needed.
    pub fn heads(&self) -> Vec<&str> {
        let mut heads = vec![self.text.head(), self.source.head()];
        heads.extend(self.id.as_ref().map(FieldPath::head));
        heads.dedup();
        heads
    }
}

/// An object member's name, borrowed from the line unless it had escapes.
pub(super) type Key<'a> = Cow<'a, str>;

/// An object member's value: the text field parsed in the same pass, or any value verbatim.
pub(super) enum Member<'a> {
    Text(TextField),
    Raw(&'a RawValue),
}

/// The members of one JSON object in order, the one named `text_key` parsed as the text.
pub(super) struct Members<'k> {
    pub text_key: Option<&'k str>,
}

impl<'de> DeserializeSeed<'de> for Members<'_> {
    type Value = Vec<(Key<'de>, Member<'de>)>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = Vec<(Key<'de>, Member<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(KeyOf(key)) = map.next_key()? {
            let member = if self.text_key == Some(&*key) {
                if members
                    .iter()
                    .any(|(k, m)| matches!(m, Member::Text(_)) && *k == key)
                {
                    return Err(de::Error::custom(format!("duplicate field `{key}`")));
                }
                Member::Text(map.next_value()?)
            } else {
                Member::Raw(map.next_value()?)
            };
            members.push((key, member));
        }
        Ok(members)
    }
}

/// Deserializes a member name without copying it unless it holds escapes.
struct KeyOf<'a>(Key<'a>);

impl<'de> Deserialize<'de> for KeyOf<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyOf<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(KeyOf(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(KeyOf(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// What a path leads to in a record.
pub(super) enum Found<'a> {
    /// The value at the path.
    Value(&'a RawValue),
    /// No member of that name where the path leads.
    Missing,
    /// A member on the way is not an object: its path and its JSON type.
    NotObject(String, &'static str),
    /// A member on the way appears twice: its path. JSON readers disagree on which one
    /// counts (most take the last), so neither is trusted.
    Repeated(String),
}

/// Follows `path` from the members of a parsed object to a raw value.
pub(super) fn resolve<'a>(members: &[(Key<'a>, Member<'a>)], path: &FieldPath) -> Found<'a> {
    let segments = path.segments();
    let mut value = match only(members, &segments[0]) {
        Ok(Some(value)) => value,
        Ok(None) => return Found::Missing,
        Err(()) => return Found::Repeated(segments[0].clone()),
    };
    for (depth, segment) in segments.iter().enumerate().skip(1) {
        let inner = value.get();
        let on_the_way = || segments[..depth].join(".");
        if !inner.starts_with('{') {
            return Found::NotObject(on_the_way(), json_type(inner.as_bytes()[0]));
        }
        let Ok(nested) =
            Members { text_key: None }.deserialize(&mut serde_json::Deserializer::from_str(inner))
        else {
            return Found::Missing;
        };
        value = match only(&nested, segment) {
            Ok(Some(next)) => next,
            Ok(None) => return Found::Missing,
            Err(()) => return Found::Repeated(segments[..=depth].join(".")),
        };
    }
    Found::Value(value)
}

/// The one raw member named `name`: `Ok(None)` if none, `Err` if several.
fn only<'a>(members: &[(Key<'a>, Member<'a>)], name: &str) -> Result<Option<&'a RawValue>, ()> {
    let mut named = members.iter().filter_map(|(k, m)| match m {
        Member::Raw(raw) if k == name => Some(*raw),
        _ => None,
    });
    let first = named.next();
    match named.next() {
        Some(_) => Err(()),
        None => Ok(first),
    }
}

/// A JSON value's type, from its first byte, for reject details.
pub(super) fn json_type(first: u8) -> &'static str {
    match first {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    }
}
