//! The W3C Verifiable Credentials Data Model: [`Credential`] and
//! [`Presentation`] (VCDM 2.0, with VCDM 1.1 read for verification).
//!
//! A document keeps every property the issuer wrote, in order, so that it
//! can be re-serialized and its proof still verifies; typed accessors read
//! the properties the data model defines. Validation follows VCDM 2.0 §4
//! and §5.3–5.6: a document is read once into typed parts (types, issuer,
//! validity, subjects, names and descriptions, schemas, terms of use,
//! evidence, refresh services, related resources), every rule checked
//! there; the checks read the parts, not the JSON.

#[allow(clippy::module_inception)]
mod credential;
#[cfg(test)]
mod data_model_tests;
mod language;
#[cfg(feature = "rdfc")]
pub(crate) mod members;
mod parts;
mod presentation;
mod protected;
mod related;

pub use credential::Credential;
pub(crate) use credential::{check as check_credential, Facts};
pub use language::{validate_language_values, LanguageString, LanguageValue};
pub use parts::{CredentialSchema, Subject, TypedObject};
pub use presentation::Presentation;
pub use protected::is_base_context_term;
pub use related::{Digest, DigestAlgorithm, RelatedResource};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};

/// The base context of VCDM 2.0.
pub const CONTEXT_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The base context of VCDM 1.1.
pub const CONTEXT_V1: &str = "https://www.w3.org/2018/credentials/v1";

/// Which version of the data model a document follows, from its first `@context`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataModelVersion {
    /// VCDM 2.0 (`validFrom`/`validUntil`).
    V2,
    /// VCDM 1.1 (`issuanceDate`/`expirationDate`), read for verification only.
    V1,
}

/// Checks `@context` (VCDM 2.0 §4.3): an ordered set of URLs and context
/// objects whose first item is the base context.
pub(crate) fn check_context(json: &Map<String, Value>) -> Result<DataModelVersion> {
    let bad = |why: &str| Error::new(ErrorCode::ContextInvalid, why.to_owned());
    let items: Vec<&Value> = match json.get("@context") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::String(_)) => vec![single],
        Some(_) => return Err(bad("@context must be an array")),
        None => return Err(bad("@context is missing")),
    };
    let version = match items.first().and_then(|v| v.as_str()) {
        Some(CONTEXT_V2) => DataModelVersion::V2,
        Some(CONTEXT_V1) => DataModelVersion::V1,
        _ => return Err(bad("the first @context must be https://www.w3.org/ns/credentials/v2")),
    };
    for item in &items[1..] {
        match item {
            Value::String(url) if is_url(url) => {}
            Value::Object(_) => {}
            _ => return Err(bad("@context items must be URLs or objects")),
        }
    }
    Ok(version)
}

/// Checks `type` (VCDM 2.0 §4.5): a string or an array of strings that
/// includes `required`.
pub(crate) fn check_types(json: &Map<String, Value>, required: &str) -> Result<()> {
    let bad = |why: String| Error::new(ErrorCode::TypeInvalid, why);
    let found = match json.get("type") {
        Some(Value::String(t)) => t == required,
        Some(Value::Array(items)) => {
            if !items.iter().all(Value::is_string) {
                return Err(bad("type entries must be strings".into()));
            }
            items.iter().any(|t| t.as_str() == Some(required))
        }
        _ => return Err(bad("type is missing".into())),
    };
    if !found {
        return Err(bad(format!("type does not include {required}")));
    }
    Ok(())
}

/// The `type` values of a document, in order.
pub(crate) fn types(json: &Map<String, Value>) -> Vec<&str> {
    match json.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The `type` of an object that must have one: a string, or a non-empty
/// array of strings (JSON-LD allows either); `None` when it is neither.
pub(crate) fn required_types(object: &Map<String, Value>) -> Option<Vec<&str>> {
    match object.get("type") {
        Some(Value::String(t)) => Some(vec![t.as_str()]),
        Some(Value::Array(items)) if !items.is_empty() => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Checks that `id`, when present, is a URL.
pub(crate) fn check_optional_id(object: &Map<String, Value>, what: &str) -> Result<()> {
    match object.get("id") {
        None => Ok(()),
        Some(Value::String(id)) if is_url(id) => Ok(()),
        Some(_) => Err(Error::new(ErrorCode::IdInvalid, format!("{what} id is not a URL"))),
    }
}

/// Reads a URL-or-object-with-id party (`issuer`, `holder`) and returns its id.
pub(crate) fn party_id<'a>(value: &'a Value, code: ErrorCode, what: &str) -> Result<&'a str> {
    let id = match value {
        Value::String(url) => Some(url.as_str()),
        Value::Object(object) => object.get("id").and_then(Value::as_str),
        _ => None,
    };
    match id {
        Some(url) if is_url(url) => Ok(url),
        _ => Err(Error::new(
            code,
            format!("{what} must be a URL or an object with a URL id"),
        )),
    }
}

/// Whether `text` is an absolute URL (RFC 3986 scheme, then no whitespace
/// or control characters). DIDs and `urn:uuid:` URNs are URLs.
pub fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !text.chars().any(|c| {
            if c.is_ascii() {
                c <= ' ' || c == '\x7f' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
            } else {
                c.is_whitespace() || c.is_control()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in [
            "https://a.example/x",
            "did:key:z6Mk#z6Mk",
            "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        ] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in ["", "no-scheme", "1http://x", "https:", "https://a b", "http://x\n"] {
            assert!(!is_url(bad), "{bad:?}");
        }
    }
}
