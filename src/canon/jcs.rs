//! JSON Canonicalization Scheme, RFC 8785.
//!
//! Property names are sorted by their UTF-16 code units (§3.2.3), strings
//! are escaped as ECMAScript's `JSON.stringify` does (§3.2.2.2) and numbers
//! are printed as ECMAScript's `Number.prototype.toString` (§3.2.2.3).

use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorCode, Result};

/// The canonical UTF-8 bytes of `value`.
///
/// ```
/// let value = serde_json::json!({"b": [1.0, "é"], "a": 1e21});
/// let bytes = passerelle::canon::canonicalize(&value).unwrap();
/// assert_eq!(bytes, br#"{"a":1e+21,"b":[1,"\xc3\xa9"]}"#.to_vec());
/// ```
pub fn canonicalize(value: &Value) -> Result<Vec<u8>> {
    let mut out = String::new();
    canonicalize_into(value, &mut out)?;
    Ok(out.into_bytes())
}

/// Appends the canonical form of `value` to `out`.
pub fn canonicalize_into(value: &Value, out: &mut String) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&number(n)?),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonicalize_into(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => canonicalize_object_into(map, out)?,
    }
    Ok(())
}

/// Appends the canonical form of a JSON object to `out` (no clone needed).
pub fn canonicalize_object_into(map: &Map<String, Value>, out: &mut String) -> Result<()> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    out.push('{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key, out);
        out.push(':');
        canonicalize_into(value, out)?;
    }
    out.push('}');
    Ok(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn number(n: &Number) -> Result<String> {
    // JSON numbers are IEEE-754 doubles in I-JSON; integers beyond 2^53 lose
    // precision exactly as they would in ECMAScript.
    let value = if let Some(i) = n.as_i64() {
        i as f64
    } else if let Some(u) = n.as_u64() {
        u as f64
    } else {
        n.as_f64().ok_or_else(|| Error::new(ErrorCode::JsonNumberInvalid, n.to_string()))?
    };
    format_number(value)
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
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
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
    fn sorts_by_utf16_code_units_not_utf8() {
        // U+FB33 sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in
        // UTF-16, where the emoji is the surrogate pair D83D DE00.
        let value = serde_json::json!({"\u{1F600}": 1, "\u{FB33}": 2});
        let text = String::from_utf8(canonicalize(&value).unwrap()).unwrap();
        assert_eq!(text, "{\"\u{1F600}\":1,\"\u{FB33}\":2}");
    }

    #[test]
    fn escapes_control_characters_in_lowercase_hex() {
        let value = Value::String("\u{1f}\u{7f}\n\"\\/".to_owned());
        let text = String::from_utf8(canonicalize(&value).unwrap()).unwrap();
        assert_eq!(text, "\"\\u001f\u{7f}\\n\\\"\\\\/\"");
    }
}
