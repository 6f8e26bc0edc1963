//! JSON Canonicalization Scheme, RFC 8785.
//!
//! Property names are sorted by their UTF-16 code units (§3.2.3), strings
//! are escaped as ECMAScript's `JSON.stringify` does (§3.2.2.2) and numbers
//! are printed as ECMAScript's `Number.prototype.toString` (§3.2.2.3).

use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::json_string::write_string;

/// The canonical UTF-8 bytes of `value`.
///
/// ```
/// let value = serde_json::json!({"b": [1.0, "é"], "a": 1e21});
/// let bytes = passerelle::canon::canonicalize(&value).unwrap();
/// assert_eq!(String::from_utf8(bytes).unwrap(), r#"{"a":1e+21,"b":[1,"é"]}"#);
/// ```
pub fn canonicalize(value: &Value) -> Result<Vec<u8>> {
    let mut out = String::new();
    canonicalize_into(value, &mut out)?;
    Ok(out.into_bytes())
}

/// Deepest nesting canonicalized: documents that entered through the parser
/// are far shallower (`Limits::DEPTH_CEILING`); this guards the stack
/// against values built in code.
pub const MAX_DEPTH: usize = 128;

/// Appends the canonical form of `value` to `out`.
pub fn canonicalize_into(value: &Value, out: &mut String) -> Result<()> {
    write_value(value, out, 0, true)
}

/// Appends `value` as compact JSON written like its canonical form, except
/// that object members keep their order: for text that people or JavaScript
/// read, never for hashing.
pub(crate) fn write_in_order(value: &Value, out: &mut String) -> Result<()> {
    write_value(value, out, 0, false)
}

fn too_deep() -> Error {
    Error::new(ErrorCode::InputTooDeep, format!("nesting deeper than {MAX_DEPTH}"))
}

fn write_value(value: &Value, out: &mut String, depth: usize, sorted: bool) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => return Err(too_deep()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out, depth + 1, sorted)?;
            }
            out.push(']');
        }
        Value::Object(map) if !sorted => {
            write_members(map.iter().map(|(k, v)| (k.as_str(), v)), out, depth + 1, false)?;
        }
        Value::Object(map) => write_object(map, out, depth + 1)?,
    }
    Ok(())
}

/// Appends the canonical form of a JSON object to `out` (no clone needed).
pub fn canonicalize_object_into(map: &Map<String, Value>, out: &mut String) -> Result<()> {
    write_object(map, out, 0)
}

fn write_object(map: &Map<String, Value>, out: &mut String, depth: usize) -> Result<()> {
    // Most objects are small: sort their entries on the stack.
    const SMALL: usize = 16;
    static NULL: Value = Value::Null;
    if map.len() <= SMALL {
        let mut entries = [("", &NULL); SMALL];
        for (slot, (k, v)) in entries.iter_mut().zip(map) {
            *slot = (k.as_str(), v);
        }
        return write_entries(&mut entries[..map.len()], out, depth);
    }
    let mut entries: Vec<(&str, &Value)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    write_entries(&mut entries, out, depth)
}

/// Appends the canonical form of the object made of `entries` (sorted in
/// place). Lets a caller leave out or substitute properties without cloning
/// the document, as Data Integrity does with `proof` and `@context`.
pub fn canonicalize_entries_into(entries: &mut [(&str, &Value)], out: &mut String) -> Result<()> {
    write_entries(entries, out, 0)
}

fn write_entries(entries: &mut [(&str, &Value)], out: &mut String, depth: usize) -> Result<()> {
    if !entries.is_sorted_by(|(a, _), (b, _)| utf16_order(a, b).is_le()) {
        entries.sort_unstable_by(|(a, _), (b, _)| utf16_order(a, b));
    }
    write_members(entries.iter().copied(), out, depth, true)
}

/// Appends `{"key":value,…}` of `members` in the order given.
fn write_members<'a>(
    members: impl Iterator<Item = (&'a str, &'a Value)>,
    out: &mut String,
    depth: usize,
    sorted: bool,
) -> Result<()> {
    out.push('{');
    for (i, (key, value)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key, out);
        out.push(':');
        write_value(value, out, depth, sorted)?;
    }
    out.push('}');
    Ok(())
}

/// Orders two strings by their UTF-16 code units (RFC 8785 §3.2.3).
///
/// UTF-8 byte order is code point order, which equals UTF-16 order except
/// between a supplementary character (4-byte UTF-8, lead byte F0–F4, which
/// UTF-16 writes as surrogates D800–DFFF) and one in U+E000–U+FFFF (lead
/// byte EE or EF): there UTF-16 puts the supplementary character first.
pub(crate) fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).position(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some(i) => {
            let (p, q) = (x[i], y[i]);
            match (p >= 0xF0, q >= 0xF0) {
                (true, false) if q >= 0xEE => std::cmp::Ordering::Less,
                (false, true) if p >= 0xEE => std::cmp::Ordering::Greater,
                _ => p.cmp(&q),
            }
        }
    }
}

fn write_number(n: &Number, out: &mut String) -> Result<()> {
    // Integers up to 2^53 are exact doubles, and ECMAScript prints them as
    // plain integers: no float formatting needed.
    const EXACT: i64 = 1 << 53;
    if let Some(i) = n.as_i64().filter(|i| (-EXACT..=EXACT).contains(i)) {
        let _ = write!(out, "{i}");
        return Ok(());
    }
    // JSON numbers are IEEE-754 doubles in I-JSON (RFC 7493 §2.2): a larger
    // integer is signed as the text of its nearest double. Readers of the
    // document see the digits as written, so they must be that text (as
    // JCS itself writes a large double: 1234567890123456800); any other
    // integer would change under a valid signature, and is refused.
    let nearest = if let Some(i) = n.as_i64() {
        i as f64
    } else if let Some(u) = n.as_u64() {
        u as f64
    } else {
        let value = n
            .as_f64()
            .ok_or_else(|| Error::new(ErrorCode::JsonNumberInvalid, n.to_string()))?;
        return write_double(value, out);
    };
    let start = out.len();
    write_double(nearest, out)?;
    let written = n.to_string();
    if out[start..] != written {
        out.truncate(start);
        return Err(Error::new(
            ErrorCode::JsonNumberInvalid,
            format!("the integer {written} is not the text of a double: its nearest double is written {} (I-JSON, RFC 8785 §3.2.2.3)", format_number(nearest)?),
        ));
    }
    Ok(())
}

/// Appends `format_number(value)` to `out`. In ECMAScript's plain-decimal
/// range zmij already prints the same text (apart from a `.0` on whole
/// numbers), so only exponent forms take the slower re-layout.
fn write_double(value: f64, out: &mut String) -> Result<()> {
    if (1e-6..1e21).contains(&value.abs()) {
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format(value);
        if !text.contains(['e', 'E']) {
            out.push_str(text.strip_suffix(".0").unwrap_or(text));
            return Ok(());
        }
    }
    out.push_str(&format_number(value)?);
    Ok(())
}

/// Formats a double as ECMAScript's `Number.prototype.toString` does
/// (RFC 8785 §3.2.2.3). NaN and infinities are refused.
pub fn format_number(value: f64) -> Result<String> {
    if !value.is_finite() {
        return Err(Error::new(ErrorCode::JsonNumberInvalid, "NaN or infinity"));
    }
    if value == 0.0 {
        return Ok("0".to_owned());
    }
    // zmij (serde_json's formatter) prints the shortest round-trip digits,
    // breaking ties to even as ECMAScript does; only the layout is redone here.
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format(value.abs());
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int_part}{frac_part}");
    let significant = all.trim_start_matches('0');
    // n: position of the decimal point relative to the first significant digit.
    let n = int_part.len() as i32 + exponent - (all.len() - significant.len()) as i32;
    let digits = significant.trim_end_matches('0');
    let k = digits.len() as i32;

    let mut out = String::with_capacity(k as usize + 8);
    if value < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = n - 1;
        let _ = write!(out, "e{}{}", if e >= 0 { '+' } else { '-' }, e.abs());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecmascript_number_forms() {
        let cases = [
            (1.0, "1"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (-1.5e-10, "-1.5e-10"),
            (9007199254740992.0, "9007199254740992"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_number(value).unwrap(), expected, "{value:e}");
        }
        assert!(format_number(f64::NAN).is_err());
        assert!(format_number(f64::INFINITY).is_err());
    }

    #[test]
    fn values_built_too_deep_are_refused_not_overflowed() {
        let mut deep = Value::Null;
        for _ in 0..100_000 {
            deep = Value::Array(vec![deep]);
        }
        assert_eq!(canonicalize(&deep).unwrap_err().code(), ErrorCode::InputTooDeep);
        let mut ok = Value::Null;
        for _ in 0..MAX_DEPTH {
            ok = Value::Array(vec![ok]);
        }
        assert!(canonicalize(&ok).is_ok());
        // Dropping a 100 000-deep value recurses in serde_json; keep it off this stack.
        std::mem::forget(deep);
    }

    #[test]
    fn integers_print_like_doubles() {
        let value = serde_json::json!([
            0,
            -0,
            9007199254740992i64,
            -9007199254740994i64,
            12345678901234567000u64
        ]);
        let text = String::from_utf8(canonicalize(&value).unwrap()).unwrap();
        assert_eq!(text, "[0,0,9007199254740992,-9007199254740994,12345678901234567000]");
    }

    #[test]
    fn integers_written_as_jcs_writes_their_double_are_kept() {
        // 1234567890123456768 is a double; JCS writes it 1234567890123456800.
        let value = serde_json::json!([1234567890123456800u64, -1234567890123456800i64, 9007199254740994i64]);
        let text = String::from_utf8(canonicalize(&value).unwrap()).unwrap();
        assert_eq!(text, "[1234567890123456800,-1234567890123456800,9007199254740994]");
        let written_exactly = serde_json::json!(1234567890123456768u64);
        assert_eq!(
            canonicalize(&written_exactly).unwrap_err().code(),
            ErrorCode::JsonNumberInvalid
        );
    }

    #[test]
    fn integers_a_double_cannot_hold_are_refused() {
        for value in [
            serde_json::json!(9007199254740993i64),
            serde_json::json!(-9007199254740993i64),
            serde_json::json!(i64::MAX),
            serde_json::json!(u64::MAX),
            serde_json::json!(i64::MIN),
            serde_json::json!({"a": [12345678901234567890u64]}),
        ] {
            let error = canonicalize(&value).unwrap_err();
            assert_eq!(error.code(), ErrorCode::JsonNumberInvalid, "{value}");
        }
    }

    #[test]
    fn sorts_by_utf16_code_units_not_utf8() {
        // U+FB33 sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in
        // UTF-16, where the emoji is the surrogate pair D83D DE00.
        let value = serde_json::json!({"\u{1F600}": 1, "\u{FB33}": 2});
        let text = String::from_utf8(canonicalize(&value).unwrap()).unwrap();
        assert_eq!(text, "{\"\u{1F600}\":1,\"\u{FB33}\":2}");
    }

    proptest::proptest! {
        #[test]
        fn byte_order_shortcut_equals_utf16_order(a in "\\PC{0,6}", b in "\\PC{0,6}") {
            proptest::prop_assert_eq!(utf16_order(&a, &b), a.encode_utf16().cmp(b.encode_utf16()));
        }

        #[test]
        fn supplementary_and_private_use_order(a in "[\u{E000}-\u{FFFF}\u{10000}-\u{10FFFF}a]{1,4}", b in "[\u{E000}-\u{FFFF}\u{10000}-\u{10FFFF}a]{1,4}") {
            proptest::prop_assert_eq!(utf16_order(&a, &b), a.encode_utf16().cmp(b.encode_utf16()));
        }

        #[test]
        fn plain_decimal_shortcut_equals_full_layout(bits in proptest::num::u64::ANY, scale in -8i32..23) {
            // Any double, and doubles pulled into the plain-decimal range.
            for value in [f64::from_bits(bits), (f64::from_bits(bits) % 10.0) * 10f64.powi(scale)] {
                if value.is_finite() {
                    let mut shortcut = String::new();
                    write_double(value, &mut shortcut).unwrap();
                    proptest::prop_assert_eq!(shortcut, format_number(value).unwrap());
                }
            }
        }
    }

    #[test]
    fn escapes_control_characters_in_lowercase_hex() {
        let value = Value::String("\u{1f}\u{7f}\n\"\\/".to_owned());
        let text = String::from_utf8(canonicalize(&value).unwrap()).unwrap();
        assert_eq!(text, "\"\\u001f\u{7f}\\n\\\"\\\\/\"");
    }
}
