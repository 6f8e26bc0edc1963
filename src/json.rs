//! Strict JSON parsing: size and depth limits, duplicate keys refused.
//!
//! Every document that enters passerelle from outside goes through
//! [`parse_strict`]. Duplicate object keys are refused because two parsers
//! that keep different duplicates would see different claims under the same
//! signature.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};

/// Size and nesting limits applied before and while parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes. Default 1 MiB.
    pub max_bytes: usize,
    /// Deepest accepted nesting of objects and arrays. Default 32, at most 100.
    pub max_depth: usize,
}

impl Limits {
    /// The hard ceiling on `max_depth`: past it the parser's own recursion
    /// guard would answer first.
    pub const DEPTH_CEILING: usize = 100;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 1024 * 1024,
            max_depth: 32,
        }
    }
}

/// Parses `input` as one JSON value, refusing oversize input, over-deep
/// nesting, duplicate keys, invalid UTF-8 and trailing data.
///
/// ```
/// use passerelle::json::{parse_strict, Limits};
/// let err = parse_strict(br#"{"a":1,"a":2}"#, Limits::default()).unwrap_err();
/// assert_eq!(err.code().as_str(), "JSON_DUPLICATE_KEY");
/// ```
pub fn parse_strict(input: &[u8], limits: Limits) -> Result<Value> {
    if input.len() > limits.max_bytes {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{} bytes, limit {}", input.len(), limits.max_bytes),
        ));
    }
    let max_depth = limits.max_depth.min(Limits::DEPTH_CEILING);
    let mut de = serde_json::Deserializer::from_slice(input);
    let value = StrictSeed { depth: 0, max_depth }
        .deserialize(&mut de)
        .map_err(classify)?;
    de.end().map_err(classify)?;
    Ok(value)
}

/// Parses like [`parse_strict`] and requires the top level to be an object.
pub fn parse_object(input: &[u8], limits: Limits) -> Result<Map<String, Value>> {
    match parse_strict(input, limits)? {
        Value::Object(map) => Ok(map),
        other => Err(Error::new(
            ErrorCode::JsonNotObject,
            format!("top-level value is {}", type_name(&other)),
        )),
    }
}

/// The JSON type of a value, for error details.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Depth of the deepest object/array in `value` (a scalar has depth 0).
/// Iterative, so any value built in code can be measured.
pub fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0usize)];
    while let Some((value, above)) = pending.pop() {
        let level = above + 1;
        match value {
            Value::Array(items) => pending.extend(items.iter().map(|child| (child, level))),
            Value::Object(map) => pending.extend(map.values().map(|child| (child, level))),
            _ => continue,
        }
        deepest = deepest.max(level);
    }
    deepest
}

const DUPLICATE_MARKER: &str = "passerelle-duplicate-key:";
const DEPTH_MARKER: &str = "passerelle-too-deep";

fn classify(err: serde_json::Error) -> Error {
    let text = err.to_string();
    if let Some(rest) = text.strip_prefix(DUPLICATE_MARKER) {
        return Error::new(ErrorCode::JsonDuplicateKey, format!("duplicate key {rest}"));
    }
    if text.starts_with(DEPTH_MARKER) || text.starts_with("recursion limit exceeded") {
        return Error::new(ErrorCode::InputTooDeep, text.replace(DEPTH_MARKER, "nesting too deep"));
    }
    Error::new(ErrorCode::JsonMalformed, text)
}

struct StrictSeed {
    depth: usize,
    max_depth: usize,
}

impl StrictSeed {
    fn nested<E: de::Error>(&self) -> Result<StrictSeed, E> {
        if self.depth >= self.max_depth {
            return Err(E::custom(format_args!("{DEPTH_MARKER} (limit {})", self.max_depth)));
        }
        Ok(StrictSeed {
            depth: self.depth + 1,
            max_depth: self.max_depth,
        })
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let child = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictSeed { ..child })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let child = self.nested()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            match map.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(access.next_value_seed(StrictSeed { ..child })?);
                }
                serde_json::map::Entry::Occupied(slot) => {
                    let shown: String = slot.key().chars().take(64).collect();
                    return Err(de::Error::custom(format_args!("{DUPLICATE_MARKER}{}", quoted(&shown))));
                }
            }
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &[u8], limits: Limits) -> &'static str {
        parse_strict(input, limits).unwrap_err().code().as_str()
    }

    #[test]
    fn keeps_property_order() {
        let v = parse_strict(br#"{"z":1,"a":2,"m":3}"#, Limits::default()).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"z":1,"a":2,"m":3}"#);
    }

    #[test]
    fn refuses_duplicates_at_any_depth() {
        assert_eq!(code(br#"{"a":{"b":1,"b":1}}"#, Limits::default()), "JSON_DUPLICATE_KEY");
        assert_eq!(code(br#"[{"x":1,"x":2}]"#, Limits::default()), "JSON_DUPLICATE_KEY");
    }

    #[test]
    fn refuses_oversize_before_parsing() {
        let limits = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(code(b"[1,2,3]", limits), "INPUT_TOO_LARGE");
    }

    #[test]
    fn depth_limit_is_exact() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert!(parse_strict(b"[[[1]]]", limits).is_ok());
        assert_eq!(code(b"[[[[1]]]]", limits), "INPUT_TOO_DEEP");
        assert_eq!(code(br#"{"a":{"b":{"c":{}}}}"#, limits), "INPUT_TOO_DEEP");
    }

    #[test]
    fn very_deep_input_is_refused_not_overflowed() {
        let deep = "[".repeat(100_000);
        assert_eq!(code(deep.as_bytes(), Limits::default()), "INPUT_TOO_DEEP");
    }

    #[test]
    fn malformed_and_trailing_data() {
        assert_eq!(code(b"{\"a\":", Limits::default()), "JSON_MALFORMED");
        assert_eq!(code(b"{} {}", Limits::default()), "JSON_MALFORMED");
        assert_eq!(code(b"\"\xff\"", Limits::default()), "JSON_MALFORMED");
        assert_eq!(code(b"1e400", Limits::default()), "JSON_MALFORMED");
    }

    #[test]
    fn depth_counts_containers() {
        let v = parse_strict(br#"{"a":[1,{"b":2}]}"#, Limits::default()).unwrap();
        assert_eq!(depth(&v), 3);
        assert_eq!(depth(&Value::Null), 0);
        assert_eq!(depth(&serde_json::json!([[], {"x": [[1]]}])), 4);
    }
}
