//! The claims a verifier asks for (`VerifyOptions::required_claims`): JSON
//! pointers (RFC 6901) that must name something in the credential as
//! presented. In a selectively disclosed credential an array's indexes are
//! those of the elements disclosed (undisclosed elements are left out, so
//! the rest move up): ask for an element by a member of its own. A claim
//! whose value states nothing (`null`, `[]`, an empty value or set object)
//! is missing.

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
    crate::json::pointer::tokens(pointer).ok_or_else(|| {
        Error::new(
            ErrorCode::OptionInvalid,
            format!("required claim {} is not a JSON pointer (RFC 6901)", quoted(pointer)),
        )
    })
}

fn names_a_claim(map: &Map<String, Value>, segments: &[String]) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return true;
    };
    let Some(mut value) = map.get(first) else { return false };
    for token in rest {
        let next = match value {
            Value::Object(object) => object.get(token),
            Value::Array(items) => crate::json::pointer::array_index(token).and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => value = next,
            None => return false,
        }
    }
    states_something(value)
}

/// Whether a claim's value says anything. JSON-LD drops `null`, empty
/// arrays and empty value or set objects without a statement, so a
/// signature over the dataset does not cover them: a holder could write
/// one under any name. Such a value is no claim, in every format.
fn states_something(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => items.iter().any(states_something),
        Value::Object(map) => match (map.get("@value"), map.get("@set").or_else(|| map.get("@list"))) {
            (Some(inner), _) | (None, Some(inner)) => states_something(inner),
            (None, None) => true,
        },
        _ => true,
    }
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

    #[test]
    fn a_value_that_states_nothing_is_no_claim() {
        for empty in [
            json!(null),
            json!([]),
            json!([null, []]),
            json!({"@value": null}),
            json!({"@set": []}),
            json!({"@list": []}),
        ] {
            let map = json!({"c": empty}).as_object().unwrap().clone();
            let found = check_required_claims(&map, &["/c".to_owned()]).map_err(|e| e.code());
            assert_eq!(found, Err(ErrorCode::RequiredClaimMissing), "{empty}");
        }
        for stated in [
            json!(false),
            json!(0),
            json!(""),
            json!({}),
            json!([null, 1]),
            json!({"@value": false}),
        ] {
            let map = json!({"c": stated}).as_object().unwrap().clone();
            assert_eq!(
                check_required_claims(&map, &["/c".to_owned()]).map_err(|e| e.code()),
                Ok(()),
                "{stated}"
            );
        }
    }
}
