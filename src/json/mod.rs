//! Strict JSON parsing: size and depth limits, duplicate keys refused.
//!
//! Every document that enters passerelle from outside goes through
//! [`parse_strict`]. Duplicate object keys are refused because two parsers
//! that keep different duplicates would see different claims under the same
//! signature.

mod decimal;
#[cfg(any(feature = "sd-jwt", feature = "ecdsa-sd"))]
pub(crate) mod pointer;
mod reader;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};

/// Size and nesting limits applied before and while parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes. Default 1 MiB.
    pub max_bytes: usize,
    /// Deepest accepted nesting of objects and arrays. Default 32, at most 100.
    pub max_depth: usize,
}

impl Limits {
    /// The hard ceiling on `max_depth`: it bounds the reader's recursion,
    /// and that of every later walk over the parsed value.
    pub const DEPTH_CEILING: usize = 100;

    /// `INPUT_TOO_LARGE` when `len` bytes are over [`Limits::max_bytes`]:
    /// the check every reader makes before reading.
    pub(crate) fn check_len(&self, len: usize) -> Result<()> {
        if len > self.max_bytes {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("{len} bytes, limit {}", self.max_bytes),
            ));
        }
        Ok(())
    }
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
    limits.check_len(input.len())?;
    reader::read(input, limits.max_depth.min(Limits::DEPTH_CEILING))
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

/// `value` as compact JSON text, object members in their order. Strings and
/// numbers are written as RFC 8785 writes them (so `1.0` is `1`), which is
/// also how JavaScript's `JSON.stringify` writes them.
///
/// ```
/// let value = serde_json::json!({"b": [1.0, "é\n"], "a": true});
/// assert_eq!(passerelle::json::to_text(&value).unwrap(), r#"{"b":[1,"é\n"],"a":true}"#);
/// ```
pub fn to_text(value: &Value) -> Result<String> {
    let mut out = String::new();
    crate::canon::jcs::write_in_order(value, &mut out)?;
    Ok(out)
}

/// Appends `text` to `out` as a JSON string literal: quoted, with `"`, `\\`
/// and control characters escaped and everything else as it is (the form
/// RFC 8785 writes). For writers of JSON text that do not build a [`Value`].
///
/// ```
/// let mut out = String::new();
/// passerelle::json::write_string("dit \"oui\"\n", &mut out);
/// assert_eq!(out, r#""dit \"oui\"\n""#);
/// ```
pub fn write_string(text: &str, out: &mut String) {
    crate::json_string::write_string(text, out);
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
        // Well-formed JSON, a number no double holds.
        assert_eq!(code(b"1e400", Limits::default()), "JSON_NUMBER_INVALID");
        for bad in [
            &b""[..],
            b"   ",
            b"01",
            b"-",
            b"1.",
            b".5",
            b"1e",
            b"+1",
            b"[1,]",
            b"{\"a\":1,}",
            b"{a:1}",
            b"\"\\ud800\"",
            b"\"\\udc00\"",
            b"\"\\ud800\\u0041\"",
            b"\"\\x\"",
            b"\"\\u12g4\"",
            b"\"a\nb\"",
            b"\"abc",
            b"tru",
            b"nul",
            b"\xef\xbb\xbf{}",
            b"NaN",
            b"Infinity",
        ] {
            assert_eq!(
                code(bad, Limits::default()),
                "JSON_MALFORMED",
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn details_say_where() {
        let err = parse_strict(b"{\"a\" 1}", Limits::default()).unwrap_err();
        assert_eq!(err.detail(), "expected `:` at byte 5");
        let err = parse_strict(b"[1, 2", Limits::default()).unwrap_err();
        assert_eq!(err.detail(), "expected `,` or `]` at the end of the input");
        let err = parse_strict(br#"{"k":1,"k":2}"#, Limits::default()).unwrap_err();
        assert_eq!(err.detail(), r#"duplicate key "k""#);
    }

    #[test]
    fn numbers_as_serde_json_reads_them() {
        let read = |text: &str| parse_strict(text.as_bytes(), Limits::default()).unwrap();
        assert!(read("18446744073709551615").is_u64());
        assert!(read("-9223372036854775808").is_i64());
        assert!(read("18446744073709552000").is_f64());
        assert!(read("-92233720368547760000").is_f64());
        assert!(read("-0").as_f64().unwrap().is_sign_negative());
        assert_eq!(read("0.1").as_f64(), Some(0.1));
        assert_eq!(read("\"\\ud83c\\udf41\""), Value::String("\u{1F341}".into()));
    }

    /// A number read as a double is signed as the shortest text of that
    /// double (RFC 8785 §3.2.2.3). Where that text and the written one mean
    /// different integers, a reader keeping the written digits would act on
    /// a value the signature does not cover: refused. Other fractions are
    /// approximate in every reader and read as their nearest double.
    #[test]
    fn integers_a_double_rounds_are_refused_however_written() {
        let code = |text: &str| parse_strict(text.as_bytes(), Limits::default()).map_err(|e| e.code());
        for text in [
            "9007199254740993.0",
            "9.007199254740993e15",
            "90071992547409930e-1",
            "18446744073709551617",
            "18446744073709551616",
            "-18446744073709551617",
            "123456789012345678901234567890",
            "9007199254740993.5",
            "1.00000000000000000001",
            "1e-400",
            "[1, {\"n\": 9007199254740993.0}]",
        ] {
            assert_eq!(code(text), Err(ErrorCode::JsonNumberInvalid), "{text}");
        }
        for text in [
            "9007199254740992.0",
            "9.007199254740992e15",
            "18446744073709552000",
            "1e30",
            "1E+30",
            "5.000",
            "-0.0",
            "0e7",
            "0.1",
            "333333333.33333329",
            "4.50",
            "1.7976931348623157e308",
            "5e-324",
        ] {
            assert!(code(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn depth_counts_containers() {
        let v = parse_strict(br#"{"a":[1,{"b":2}]}"#, Limits::default()).unwrap();
        assert_eq!(depth(&v), 3);
        assert_eq!(depth(&Value::Null), 0);
        assert_eq!(depth(&serde_json::json!([[], {"x": [[1]]}])), 4);
    }

    mod against_serde_json {
        use super::super::*;
        use proptest::prelude::*;

        /// Valid and invalid JSON texts alike: fragments glued together.
        fn text() -> impl Strategy<Value = String> {
            let token = proptest::sample::select(&["{", "}", "[", "]", ",", ":", " ", "\"k\"", "null", "true"][..]);
            let fragment = prop_oneof![
                10 => token.prop_map(str::to_owned),
                1 => "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?",
                1 => "\"([a-z\u{e9}\u{1F341} ]|\\\\[nrt\"\\\\/bf]|\\\\u[0-9a-fA-F]{4})*\"",
            ];
            proptest::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
        }

        proptest! {
            #[test]
            fn same_verdict_and_value(text in text()) {
                let ours = parse_strict(text.as_bytes(), Limits { max_bytes: 1 << 20, max_depth: 100 });
                let theirs: std::result::Result<Value, _> = serde_json::from_str(&text);
                match (ours, theirs) {
                    (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs),
                    // serde_json keeps the last duplicate; we refuse them.
                    // ... and integers a double would change (see
                    // `integers_a_double_rounds_are_refused_however_written`).
                    (Err(e), Ok(_)) => prop_assert!(
                        matches!(e.code(), ErrorCode::JsonDuplicateKey | ErrorCode::JsonNumberInvalid),
                        "{text}: {e}"
                    ),
                    (Ok(ours), Err(e)) => prop_assert!(false, "{text}: we read {ours}, serde_json: {e}"),
                    (Err(_), Err(_)) => {}
                }
            }

            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
                let _ = parse_strict(&bytes, Limits::default());
            }
        }
    }
}
