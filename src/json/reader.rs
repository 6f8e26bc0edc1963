//! The JSON reader behind [`super::parse_strict`]: RFC 8259 text to a
//! `serde_json::Value` in one pass, with the depth limit and duplicate-key
//! refusal built in.
//!
//! It gives the same values as serde_json (with its exact float reading),
//! which the tests check on generated documents; it exists because it is a
//! fraction of serde_json's deserializer in the WebAssembly module, and reads
//! numbers exactly without `str::parse::<f64>`'s tables (see [`super::decimal`]).

use serde_json::{map::Entry, Map, Number, Value};

use super::decimal::{parse_f64, reads_as_written};
use crate::error::{quoted, Error, ErrorCode, Result};

/// Reads `input` as one JSON value followed only by whitespace.
pub(super) fn read(input: &[u8], max_depth: usize) -> Result<Value> {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    let text = std::str::from_utf8(input).map_err(|e| {
        Error::new(
            ErrorCode::JsonMalformed,
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )
    })?;
    let mut reader = Reader {
        input,
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        text,
        at: 0,
        max_depth,
    };
    let value = reader.value(0)?;
    reader.skip_whitespace();
    if reader.at < input.len() {
        return Err(reader.malformed("data after the JSON value"));
    }
    Ok(value)
}

fn invalid_utf8(string_start: usize) -> Error {
    Error::new(
        ErrorCode::JsonMalformed,
        format!("invalid UTF-8 in the string at byte {string_start}"),
    )
}

struct Reader<'a> {
    input: &'a [u8],
    /// The same bytes as text, validated once, so that strings are sliced
    /// rather than validated one by one: a third of the reading time for a
    /// credential. The browser module keeps the smaller per-string check.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    text: &'a str,
    /// Offset of the next byte to read.
    at: usize,
    max_depth: usize,
}

impl Reader<'_> {
    fn malformed(&self, what: &str) -> Error {
        let detail = if self.at < self.input.len() {
            format!("{what} at byte {}", self.at)
        } else {
            format!("{what} at the end of the input")
        };
        Error::new(ErrorCode::JsonMalformed, detail)
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Consumes `byte` after optional whitespace, or fails with `expected`.
    fn expect(&mut self, byte: u8, expected: &str) -> Result<()> {
        self.skip_whitespace();
        if self.peek() != Some(byte) {
            return Err(self.malformed(expected));
        }
        self.at += 1;
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.malformed("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value> {
        if !self.input[self.at..].starts_with(word.as_bytes()) {
            return Err(self.malformed("expected a value"));
        }
        self.at += word.len();
        Ok(value)
    }

    /// Steps into the container whose opening bracket is next: the depth
    /// of its items, or `None` when it closes at once (`[]`, `{}`).
    fn open(&mut self, depth: usize, close: u8) -> Result<Option<usize>> {
        if depth >= self.max_depth {
            return Err(Error::new(
                ErrorCode::InputTooDeep,
                format!("nesting too deep at byte {} (limit {})", self.at, self.max_depth),
            ));
        }
        self.at += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(None);
        }
        Ok(Some(depth + 1))
    }

    /// After an item: `true` past a comma, `false` past the closing bracket.
    fn more(&mut self, close: u8, expected: &str) -> Result<bool> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(self.malformed(expected)),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value> {
        let mut items = Vec::new();
        if let Some(inner) = self.open(depth, b']')? {
            loop {
                items.push(self.value(inner)?);
                if !self.more(b']', "expected `,` or `]`")? {
                    break;
                }
            }
        }
        Ok(Value::Array(items))
    }

    fn object(&mut self, depth: usize) -> Result<Value> {
        let mut map = Map::new();
        let Some(inner) = self.open(depth, b'}')? else {
            return Ok(Value::Object(map));
        };
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.malformed("expected a property name in double quotes"));
            }
            let key = self.string()?;
            self.expect(b':', "expected `:`")?;
            match map.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(self.value(inner)?);
                }
                Entry::Occupied(slot) => {
                    let shown: String = slot.key().chars().take(64).collect();
                    return Err(Error::new(
                        ErrorCode::JsonDuplicateKey,
                        format!("duplicate key {}", quoted(&shown)),
                    ));
                }
            }
            if !self.more(b'}', "expected `,` or `}`")? {
                return Ok(Value::Object(map));
            }
        }
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String> {
        let start = self.at;
        self.at += 1;
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        if let Some(text) = self.plain_string() {
            return Ok(text);
        }
        let mut bytes = Vec::new();
        loop {
            let run_start = self.at;
            let run = self.input[run_start..]
                .iter()
                .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
                .unwrap_or(self.input.len() - run_start);
            self.at += run;
            bytes.extend_from_slice(&self.input[run_start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return String::from_utf8(bytes).map_err(|_| invalid_utf8(start));
                }
                Some(b'\\') => self.escape(&mut bytes)?,
                Some(_) => return Err(self.malformed("control character in a string")),
                None => return Err(self.malformed("unterminated string")),
            }
        }
    }

    /// The string from here to the next quote when there is no escape or
    /// control character before it (most strings), copied at once.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    fn plain_string(&mut self) -> Option<String> {
        let rest = &self.input[self.at..];
        let len = rest
            .iter()
            .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
            .filter(|&len| rest[len] == b'"')?;
        // Both ends are ASCII quotes, hence character boundaries.
        let text = self.text.get(self.at..self.at + len)?.to_owned();
        self.at += len + 1;
        Some(text)
    }

    /// An escape starting at the backslash, appended to `out` as UTF-8.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let Some(&kind) = self.input.get(self.at + 1) else {
            self.at += 1;
            return Err(self.malformed("unterminated string"));
        };
        let simple = match kind {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let ch = self.unicode_escape()?;
                let mut buffer = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
                return Ok(());
            }
            _ => return Err(self.malformed("invalid escape")),
        };
        out.push(simple);
        self.at += 2;
        Ok(())
    }

    /// `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`; lone surrogates are
    /// refused (they have no UTF-8 form).
    fn unicode_escape(&mut self) -> Result<char> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !self.input[self.at..].starts_with(b"\\u") {
                    return Err(self.malformed("lone leading surrogate"));
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.malformed("lone leading surrogate"));
                }
                0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.malformed("lone trailing surrogate")),
            other => u32::from(other),
        };
        char::from_u32(code).ok_or_else(|| self.malformed("invalid escape"))
    }

    /// Four hex digits after `\u` (the reader is at the backslash).
    fn hex4(&mut self) -> Result<u16> {
        let digits = self.input.get(self.at + 2..self.at + 6);
        let value = digits.and_then(|digits| {
            digits.iter().try_fold(0u16, |acc, &byte| {
                let digit = (byte as char).to_digit(16)?;
                Some(acc << 4 | digit as u16)
            })
        });
        match value {
            Some(value) => {
                self.at += 6;
                Ok(value)
            }
            None => Err(self.malformed("invalid \\u escape")),
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Value> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.malformed("invalid number")),
        }
        let integer_end = self.at;
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
            integral = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.required_digits()?;
            integral = false;
        }
        let text = &self.input[start..self.at];
        if integral {
            let magnitude = &self.input[start + usize::from(negative)..integer_end];
            if let Some(number) = integer(magnitude, negative) {
                return Ok(Value::Number(number));
            }
        }
        let value = parse_f64(text).ok_or_else(|| {
            Error::new(
                ErrorCode::JsonNumberInvalid,
                format!("number out of range at byte {start}"),
            )
        })?;
        if !reads_as_written(text, value) {
            return Err(Error::new(
                ErrorCode::JsonNumberInvalid,
                format!("the number at byte {start} is read as a double that is another integer than written"),
            ));
        }
        Number::from_f64(value).map(Value::Number).ok_or_else(|| {
            Error::new(
                ErrorCode::JsonNumberInvalid,
                format!("number out of range at byte {start}"),
            )
        })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<()> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.malformed("invalid number"));
        }
        self.digits();
        Ok(())
    }
}

/// An integer literal as u64 or i64 when it fits, as serde_json does;
/// `-0` and integers past the 64-bit ranges are floats (`None` here).
fn integer(magnitude: &[u8], negative: bool) -> Option<Number> {
    let value = magnitude.iter().try_fold(0u64, |acc, &digit| {
        acc.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    })?;
    if !negative {
        return Some(Number::from(value));
    }
    match value {
        0 => None,
        1..=0x8000_0000_0000_0000 => Some(Number::from((value as i64).wrapping_neg())),
        _ => None,
    }
}
