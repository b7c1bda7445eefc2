//! Parses one jsonl line into a document record, or says precisely why it cannot.
//!
//! The hot path walks the top-level object once: the text member through a visitor that
//! takes a string and only names the type of anything else, every other member as raw JSON
//! kept verbatim (the source and id are then looked up in those, nested paths parsed only
//! as deep as they go).

use super::fields::{Found, Key, Member, Members, RecordLayout, json_type, resolve};
use super::json_shape::{TextField, nesting_exceeds};
use crate::doc::RejectReason;
use serde::de::{DeserializeSeed, IgnoredAny};

/// Nesting allowed in the members we copy verbatim: serde_json's own recursion limit.
/// `RawValue` skips nested values without recursing, so it does not enforce the limit itself.
const MAX_FIELD_DEPTH: usize = 128;

/// The top-level members pilecurate adds to a curated record; an input member of the same
/// name is replaced.
pub const ADDED_FIELDS: [&str; 2] = ["pilecurate_id", "pilecurate_piece"];

/// A line that parsed into a document record.
#[derive(Debug)]
pub struct ParsedRecord {
    /// The text field.
    pub text: String,
    /// The source field when it is a string.
    pub source_name: Option<String>,
    /// The id field (a string's contents, a number as written), when the layout has one.
    pub id: Option<String>,
    /// Every other member verbatim, when asked for (to write the curated copy).
    pub fields: Option<KeptFields>,
}

/// A record's members around its text, verbatim and in order: the curated line is `before`,
/// the text as a JSON string, `after`, the members pilecurate adds, then `}`.
#[derive(Clone, Debug, Default)]
pub struct KeptFields {
    /// Everything up to the text value (`{"id":7,"text":`).
    pub before: Vec<u8>,
    /// Everything after it, without the record's closing brace.
    pub after: Vec<u8>,
}

/// A line that could not be parsed, with the reason and a human-readable detail.
#[derive(Debug)]
pub struct Reject {
    /// The reason category.
    pub reason: RejectReason,
    /// What exactly was wrong (serde_json's message with column, for instance).
    pub detail: String,
}

impl Reject {
    fn new(reason: RejectReason, detail: impl Into<String>) -> Reject {
        Reject {
            reason,
            detail: detail.into(),
        }
    }
}

/// Parses one line (without its newline) laid out as `layout` says; `keep` also keeps the
/// other members for the curated copy. Whether a line is a document does not depend on
/// `keep`: both passes classify every line alike.
pub fn parse_record(
    line: &[u8],
    layout: &RecordLayout,
    keep: bool,
) -> Result<ParsedRecord, Reject> {
    parse_record_with_text(line, None, layout, keep)
}

/// [`parse_record`] of a Parquet row whose top-level text came apart from its JSON line
/// (`Line::text`), which holds `""` in its place.
pub fn parse_record_with_text(
    line: &[u8],
    apart: Option<&str>,
    layout: &RecordLayout,
    keep: bool,
) -> Result<ParsedRecord, Reject> {
    let line = std::str::from_utf8(line).map_err(|e| {
        Reject::new(
            RejectReason::InvalidUtf8,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let Some(first) = line.bytes().find(|b| !b.is_ascii_whitespace()) else {
        return Err(Reject::new(RejectReason::BlankLine, "blank line"));
    };
    if first != b'{' {
        return Err(match serde_json::from_str::<IgnoredAny>(line) {
            Ok(_) => Reject::new(
                RejectReason::NotObject,
                format!("top level is {}", json_type(first)),
            ),
            Err(e) => Reject::new(RejectReason::MalformedJson, e.to_string()),
        });
    }
    let text_path = layout.text.segments();
    let direct = (text_path.len() == 1).then(|| text_path[0].as_str());
    // Every error here is malformed JSON: syntax, end of input, a duplicate text member,
    // trailing characters, nesting past 128.
    let malformed = |e: serde_json::Error| Reject::new(RejectReason::MalformedJson, e.to_string());
    let mut de = serde_json::Deserializer::from_str(line);
    let mut members = Members { text_key: direct }
        .deserialize(&mut de)
        .map_err(malformed)?;
    de.end().map_err(malformed)?;
    for (key, member) in &members {
        if let Member::Raw(raw) = member
            && nesting_exceeds(raw.get(), MAX_FIELD_DEPTH)
        {
            let detail = format!(
                "{key} nests deeper than {MAX_FIELD_DEPTH} levels ({} bytes)",
                raw.get().len()
            );
            return Err(Reject::new(RejectReason::MalformedJson, detail));
        }
    }
    let text = take_text(&mut members, layout, direct.is_some(), apart)?;
    let source_name = match resolve(&members, &layout.source) {
        Found::Value(raw) => serde_json::from_str::<String>(raw.get()).ok(),
        Found::Repeated(path) => return Err(repeated(&path)),
        Found::Missing | Found::NotObject(..) => None,
    };
    let id = match &layout.id {
        None => None,
        Some(path) => Some(id_of(resolve(&members, path), path.as_str())?),
    };
    let fields = keep.then(|| keep_fields(&members, text_path));
    Ok(ParsedRecord {
        text,
        source_name,
        id,
        fields,
    })
}

/// A Parquet row whose text came apart (`Line::text`) as the one JSON line it stands for,
/// for the rejects log; `line` itself when it is not such a row.
pub fn whole_row(line: &[u8], apart: &str, layout: &RecordLayout) -> Vec<u8> {
    let path = layout.text.segments();
    let members = std::str::from_utf8(line).ok().and_then(|line| {
        Members {
            text_key: Some(path[0].as_str()),
        }
        .deserialize(&mut serde_json::Deserializer::from_str(line))
        .ok()
    });
    match members {
        Some(members) if path.len() == 1 => {
            let fields = keep_fields(&members, path);
            let mut whole = fields.before;
            crate::shard::push_json_string(&mut whole, apart);
            whole.extend_from_slice(&fields.after);
            whole.push(b'}');
            whole
        }
        _ => line.to_vec(),
    }
}

/// The text member, taken out of `members` (a placeholder stays to mark its place).
fn take_text(
    members: &mut [(Key<'_>, Member<'_>)],
    layout: &RecordLayout,
    direct: bool,
    apart: Option<&str>,
) -> Result<String, Reject> {
    let path = layout.text.as_str();
    let field = if direct {
        let field = members
            .iter_mut()
            .find_map(|(_, m)| match m {
                Member::Text(text) => Some(std::mem::take(text)),
                Member::Raw(_) => None,
            })
            .unwrap_or_default();
        match (field, apart) {
            (TextField::Str(placeholder), Some(text)) if placeholder.is_empty() => {
                TextField::Str(text.to_owned())
            }
            (field, _) => field,
        }
    } else {
        match resolve(members, &layout.text) {
            Found::Value(raw) => serde_json::from_str::<TextField>(raw.get())
                .map_err(|e| Reject::new(RejectReason::MalformedJson, e.to_string()))?,
            Found::Missing => TextField::Missing,
            Found::Repeated(path) => return Err(repeated(&path)),
            Found::NotObject(on_the_way, kind) => {
                let detail = format!("no {path:?} field: {on_the_way} is {kind}, not an object");
                return Err(Reject::new(RejectReason::MissingText, detail));
            }
        }
    };
    match field {
        TextField::Str(text) if text.is_empty() => Err(Reject::new(
            RejectReason::EmptyText,
            format!("{path} is an empty string"),
        )),
        TextField::Str(text) => Ok(text),
        TextField::Missing => Err(Reject::new(
            RejectReason::MissingText,
            format!("no {path:?} field"),
        )),
        TextField::Other(kind) => Err(Reject::new(
            RejectReason::BadTextType,
            format!("{path} is {kind}, not a string"),
        )),
    }
}

/// A member on a configured path that appears twice: JSON readers disagree on which one
/// counts, so the record is not trusted.
fn repeated(path: &str) -> Reject {
    Reject::new(
        RejectReason::MalformedJson,
        format!("duplicate member {path}: readers disagree on which one counts"),
    )
}

/// The id at `path`: a string's contents or a number as written.
fn id_of(found: Found<'_>, path: &str) -> Result<String, Reject> {
    let raw = match found {
        Found::Value(raw) => raw.get(),
        Found::Missing => {
            return Err(Reject::new(
                RejectReason::MissingId,
                format!("no {path:?} field"),
            ));
        }
        Found::NotObject(on_the_way, kind) => {
            let detail = format!("no {path:?} field: {on_the_way} is {kind}, not an object");
            return Err(Reject::new(RejectReason::MissingId, detail));
        }
        Found::Repeated(path) => return Err(repeated(&path)),
    };
    match raw.as_bytes()[0] {
        b'"' => serde_json::from_str::<String>(raw)
            .map_err(|e| Reject::new(RejectReason::MalformedJson, e.to_string())),
        b'-' | b'0'..=b'9' => Ok(raw.to_owned()),
        other => Err(Reject::new(
            RejectReason::BadIdType,
            format!("{path} is {}, not a string or a number", json_type(other)),
        )),
    }
}

/// The record's members around the text at `text_path`, serialized compactly, values
/// verbatim; the members pilecurate adds are left out.
fn keep_fields(members: &[(Key<'_>, Member<'_>)], text_path: &[String]) -> KeptFields {
    let mut out = Split::default();
    write_object(members, text_path, true, &mut out);
    KeptFields {
        before: out.before,
        after: out.after,
    }
}

/// Two buffers: what comes before the text value, and what comes after it.
#[derive(Default)]
struct Split {
    before: Vec<u8>,
    after: Vec<u8>,
    at_text: bool,
}

impl Split {
    fn buf(&mut self) -> &mut Vec<u8> {
        if self.at_text {
            &mut self.after
        } else {
            &mut self.before
        }
    }
}

fn write_object(members: &[(Key<'_>, Member<'_>)], path: &[String], top: bool, out: &mut Split) {
    out.buf().push(b'{');
    let mut first = true;
    for (key, member) in members {
        if top && ADDED_FIELDS.contains(&&**key) {
            continue;
        }
        if !first {
            out.buf().push(b',');
        }
        first = false;
        serde_json::to_writer(out.buf(), &**key).expect("writing to a Vec");
        out.buf().push(b':');
        match member {
            Member::Text(_) if !out.at_text => out.at_text = true,
            // The text member of a nested path: its first occurrence, as `resolve` finds it.
            Member::Raw(_) if path.len() == 1 && !top && !out.at_text && *key == path[0] => {
                out.at_text = true;
            }
            Member::Raw(raw) if path.len() > 1 && !out.at_text && *key == path[0] => {
                // Valid JSON that starts with `{` (the text was found through it).
                let nested = Members { text_key: None }
                    .deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
                    .unwrap_or_default();
                write_object(&nested, &path[1..], false, out);
            }
            Member::Raw(raw) => out.buf().extend_from_slice(raw.get().as_bytes()),
            Member::Text(TextField::Str(text)) => {
                serde_json::to_writer(out.buf(), text).expect("writing to a Vec");
            }
            Member::Text(_) => out.buf().extend_from_slice(b"null"),
        }
    }
    if !top {
        out.buf().push(b'}');
    }
}

#[cfg(test)]
mod tests;
