//! Disclosures (RFC 9901 §4.2): the base64url of a JSON array `[salt,
//! name, value]` (an object member) or `[salt, value]` (an array element),
//! identified by the digest of that base64url text.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

use super::digest;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::{parse_strict, Limits};

/// One Disclosure, read and checked: its text as sent (its digest is taken
/// over that text, so it is kept byte for byte), its digest, salt, claim
/// name (for an object member) and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Disclosure {
    encoded: String,
    digest: String,
    salt: String,
    name: Option<String>,
    value: Value,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::SdJwtDisclosureInvalid, why)
}

/// Whether `name` is one of the names RFC 9901 reserves for digests.
pub(crate) fn is_reserved(name: &str) -> bool {
    name == "_sd" || name == "..."
}

impl Disclosure {
    /// Reads a Disclosure: base64url without padding, of a JSON array of a
    /// string salt and a value, or of a salt, a claim name that is not
    /// `_sd` or `...`, and a value (§4.2.1, §4.2.2, §7.1 step 3.3.2.2).
    pub fn parse(encoded: &str, limits: Limits) -> Result<Disclosure> {
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| invalid("a Disclosure is not base64url without padding"))?;
        let items = match parse_strict(&bytes, limits) {
            Ok(Value::Array(items)) => items,
            Ok(_) => return Err(invalid("a Disclosure is not a JSON array")),
            Err(e) if e.code() == ErrorCode::JsonMalformed => {
                return Err(invalid(format!("a Disclosure is not JSON: {}", e.detail())))
            }
            Err(e) => return Err(e),
        };
        let mut items = items.into_iter();
        let (salt, name, value) = match (items.next(), items.next(), items.next(), items.next()) {
            (Some(salt), Some(value), None, None) => (salt, None, value),
            (Some(salt), Some(name), Some(value), None) => match name {
                Value::String(name) if is_reserved(&name) => {
                    return Err(invalid(format!(
                        "a Disclosure names the reserved claim {}",
                        quoted(&name)
                    )))
                }
                Value::String(name) => (salt, Some(name), value),
                _ => return Err(invalid("a Disclosure's claim name is not a string")),
            },
            _ => return Err(invalid("a Disclosure is an array of two or three elements")),
        };
        let Value::String(salt) = salt else {
            return Err(invalid("a Disclosure's salt is not a string"));
        };
        Ok(Disclosure {
            digest: digest(encoded),
            encoded: encoded.to_owned(),
            salt,
            name,
            value,
        })
    }

    /// A Disclosure of the object member `name: value`, salted with `salt`.
    pub fn member(salt: &str, name: &str, value: Value) -> Result<Disclosure> {
        if is_reserved(name) {
            return Err(invalid(format!("{} cannot be disclosed", quoted(name))));
        }
        Ok(Self::encode(
            salt,
            Some(name.to_owned()),
            value.clone(),
            Value::Array(vec![salt.into(), name.into(), value]),
        ))
    }

    /// A Disclosure of an array element `value`, salted with `salt`.
    pub fn element(salt: &str, value: Value) -> Disclosure {
        Self::encode(salt, None, value.clone(), Value::Array(vec![salt.into(), value]))
    }

    fn encode(salt: &str, name: Option<String>, value: Value, array: Value) -> Disclosure {
        let encoded = URL_SAFE_NO_PAD.encode(array.to_string());
        Disclosure {
            digest: digest(&encoded),
            encoded,
            salt: salt.to_owned(),
            name,
            value,
        }
    }

    /// The Disclosure as sent: base64url text.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// The base64url SHA-256 digest of [`Disclosure::encoded`]: what the
    /// issuer-signed JWT holds in its place.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The salt.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// The claim name, for an object member; `None` for an array element.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The disclosed value.
    pub fn value(&self) -> &Value {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9901_disclosures_and_digests() {
        // §4.2.1 and §4.2.3: one claim, several spellings, each its own digest.
        let family = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0";
        let read = Disclosure::parse(family, Limits::default()).unwrap();
        assert_eq!(read.digest(), "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0");
        assert_eq!(
            (read.salt(), read.name()),
            ("_26bc4LT-ac6q2KI6cBW5es", Some("family_name"))
        );
        assert_eq!(read.value(), "Möbius");
        for spelling in [
            "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
            "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
            "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
        ] {
            let other = Disclosure::parse(spelling, Limits::default()).unwrap();
            assert_eq!((other.name(), other.value()), (read.name(), read.value()));
            assert_ne!(other.digest(), read.digest());
        }
        // §4.2.2: an array element.
        let element = Disclosure::parse("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0", Limits::default()).unwrap();
        assert_eq!((element.name(), element.value()), (None, &Value::from("FR")));
        assert_eq!(element.digest(), "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs");
    }

    #[test]
    fn malformed_disclosures_are_refused() {
        let encode = |json: &str| URL_SAFE_NO_PAD.encode(json);
        for bad in [
            "!!".to_owned(),
            format!("{}=", encode(r#"["s","v"]"#)),
            encode(r#"{"s": 1}"#),
            encode(r#"["s"]"#),
            encode(r#"["s","n","v","x"]"#),
            encode(r#"[1,"n","v"]"#),
            encode(r#"["s",1,"v"]"#),
            encode(r#"["s","_sd",[]]"#),
            encode(r#"["s","...","x"]"#),
            encode(r#"["s","n""#),
        ] {
            let error = Disclosure::parse(&bad, Limits::default()).unwrap_err();
            assert_eq!(error.code(), ErrorCode::SdJwtDisclosureInvalid, "{bad}");
        }
        assert!(Disclosure::member("s", "_sd", Value::Null).is_err());
    }

    proptest::proptest! {
        #[test]
        fn made_disclosures_read_back(salt in "[A-Za-z0-9_-]{1,22}", name in "(?s).{0,12}", text in "(?s).{0,40}") {
            proptest::prop_assume!(!is_reserved(&name));
            let made = Disclosure::member(&salt, &name, Value::from(text.clone())).unwrap();
            let read = Disclosure::parse(made.encoded(), Limits::default()).unwrap();
            proptest::prop_assert_eq!(&read, &made);
            let element = Disclosure::element(&salt, Value::from(text));
            proptest::prop_assert_eq!(&Disclosure::parse(element.encoded(), Limits::default()).unwrap(), &element);
        }
    }
}
