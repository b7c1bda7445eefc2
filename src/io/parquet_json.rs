//! Rows as JSON for the Parquet reader: `arrow-json`'s encoders, except for strings, which
//! take the escaper the curated lines use (eight bytes at a time to the next byte to
//! escape) instead of one `serde_json` call per value: the text column is nearly all of a
//! row, and it was 7% of a run's CPU.

use crate::shard::push_json_string;
use arrow_array::cast::AsArray;
use arrow_array::{Array, GenericStringArray, OffsetSizeTrait, StringViewArray};
use arrow_json::writer::{Encoder, EncoderFactory, EncoderOptions, NullableEncoder};
use arrow_schema::{ArrowError, DataType, FieldRef};

/// Encoders of string arrays that write the same JSON as `arrow-json`'s, faster.
#[derive(Debug)]
pub(super) struct FastStrings;

impl EncoderFactory for FastStrings {
    fn make_default_encoder<'a>(
        &self,
        _field: &'a FieldRef,
        array: &'a dyn Array,
        _options: &'a EncoderOptions,
    ) -> Result<Option<NullableEncoder<'a>>, ArrowError> {
        let encoder: Box<dyn Encoder + 'a> = match array.data_type() {
            DataType::Utf8 => Box::new(Strings(array.as_string::<i32>())),
            DataType::LargeUtf8 => Box::new(Strings(array.as_string::<i64>())),
            DataType::Utf8View => Box::new(Views(array.as_string_view())),
            _ => return Ok(None),
        };
        Ok(Some(NullableEncoder::new(encoder, array.nulls().cloned())))
    }
}

struct Strings<'a, O: OffsetSizeTrait>(&'a GenericStringArray<O>);

impl<O: OffsetSizeTrait> Encoder for Strings<'_, O> {
    fn encode(&mut self, idx: usize, out: &mut Vec<u8>) {
        push_json_string(out, self.0.value(idx));
    }
}

struct Views<'a>(&'a StringViewArray);

impl Encoder for Views<'_> {
    fn encode(&mut self, idx: usize, out: &mut Vec<u8>) {
        push_json_string(out, self.0.value(idx));
    }
}
