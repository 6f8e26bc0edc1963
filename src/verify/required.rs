//! The claims a verifier asks for (`VerifyOptions::required_claims`): JSON
//! pointers (RFC 6901) that must name something in the credential as
//! presented. In a selectively disclosed credential an array's indexes are
//! those of the elements disclosed (undisclosed elements are left out, so
//! the rest move up): ask for an element by a member of its own.

use serde_json::{Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};

/// Fails with `OPTION_INVALID` on a malformed pointer, with
/// `REQUIRED_CLAIM_MISSING` (naming the pointer) on one that names nothing.
pub(super) fn check_required_claims(map: &Map<String, Value>, required: &[String]) -> Result<()> {
    for pointer in required {
        let segments = segments(pointer)?;
        if !names_a_claim(map, &segments) {
            return Err(Error::new(
                ErrorCode::RequiredClaimMissing,
                format!("{} is not in the credential as presented", quoted(pointer)),
            ));
        }
    }
    Ok(())
}

/// The unescaped reference tokens of `pointer` (RFC 6901 §3, §4).
fn segments(pointer: &str) -> Result<Vec<String>> {
    let invalid = || {
        Error::new(
            ErrorCode::OptionInvalid,
            format!("required claim {} is not a JSON pointer (RFC 6901)", quoted(pointer)),
        )
    };
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer.strip_prefix('/').ok_or_else(invalid)?;
    rest.split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                match (c, c == '~') {
                    (_, false) => out.push(c),
                    (_, true) => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(invalid()),
                    },
                }
            }
            Ok(out)
        })
        .collect()
}

/// An array index as RFC 6901 writes it: `0`, or digits without a leading zero.
fn index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
    (canonical && token.bytes().all(|b| b.is_ascii_digit())).then(|| token.parse().ok())?
}

fn names_a_claim(map: &Map<String, Value>, segments: &[String]) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return true;
    };
    let Some(mut value) = map.get(first) else { return false };
    for token in rest {
        let next = match value {
            Value::Object(object) => object.get(token),
            Value::Array(items) => index(token).and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => value = next,
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_are_read_as_rfc_6901_writes_them() {
        let map = json!({"a/b": {"c~d": [10, 20]}, "n": [1]}).as_object().unwrap().clone();
        let present = |p: &str| check_required_claims(&map, &[p.to_owned()]).map_err(|e| e.code());
        assert_eq!(present(""), Ok(()));
        assert_eq!(present("/a~1b/c~0d/1"), Ok(()));
        assert_eq!(present("/a~1b/c~0d/2"), Err(ErrorCode::RequiredClaimMissing));
        for malformed in ["a", "/a~2b", "/a~"] {
            assert_eq!(present(malformed), Err(ErrorCode::OptionInvalid), "{malformed}");
        }
        for not_an_index in ["/n/01", "/n/+0", "/n/-", "/n/"] {
            assert_eq!(
                present(not_an_index),
                Err(ErrorCode::RequiredClaimMissing),
                "{not_an_index}"
            );
        }
    }
}
