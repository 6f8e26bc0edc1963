//! The JSON string form RFC 8785 writes (§3.2.2.2): quotes, with `"`, `\\`
//! and control characters escaped and everything else as it is. A leaf
//! module, so that the JCS writer and error details (which quote untrusted
//! text) share it without a dependency between them.

use std::fmt::Write as _;

/// Appends `s` to `out` as a JSON string literal, escaped as RFC 8785 does.
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    // Most strings need no escape; this branch-free scan vectorizes.
    let needs_escape = bytes
        .iter()
        .fold(false, |acc, &b| acc | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if !needs_escape {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0C => "\\f",
            b'\r' => "\\r",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", byte);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}
