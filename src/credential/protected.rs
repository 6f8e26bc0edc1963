//! The terms the VC 2.0 base context protects (`"@protected": true`), and
//! the rule that a document's own `@context` objects leave them alone.
//!
//! With JSON-LD processing, redefining a protected term is an error
//! (JSON-LD 1.1 §4.1.11); a JCS-secured credential is never processed as
//! JSON-LD, so without this rule `{"@context": [v2, {"validUntil": …}]}`
//! would be read one way by a JSON reader and mean something else to a
//! JSON-LD one. The rule is stricter than JSON-LD in one way: an inline
//! definition is refused even when it repeats the protected one.

use serde_json::{Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};

/// The protected terms of the base context's top level (they apply to
/// every node), in byte order. A test proves this equals the bundled
/// `contexts/www.w3.org/ns/credentials/v2`.
const BASE: &[&str] = &[
    "...",
    "BitstringStatusList",
    "BitstringStatusListCredential",
    "BitstringStatusListEntry",
    "DataIntegrityProof",
    "EnvelopedVerifiableCredential",
    "EnvelopedVerifiablePresentation",
    "JsonSchema",
    "JsonSchemaCredential",
    "VerifiableCredential",
    "VerifiablePresentation",
    "_sd",
    "_sd_alg",
    "aud",
    "cnf",
    "description",
    "digestMultibase",
    "digestSRI",
    "exp",
    "iat",
    "id",
    "iss",
    "jku",
    "kid",
    "mediaType",
    "name",
    "nbf",
    "sub",
    "type",
    "x5u",
];

/// The protected terms the `VerifiableCredential` type-scoped context adds.
const CREDENTIAL: &[&str] = &[
    "confidenceMethod",
    "credentialSchema",
    "credentialStatus",
    "credentialSubject",
    "description",
    "evidence",
    "id",
    "issuer",
    "name",
    "proof",
    "refreshService",
    "relatedResource",
    "renderMethod",
    "termsOfUse",
    "type",
    "validFrom",
    "validUntil",
];

/// The protected terms the `VerifiablePresentation` type-scoped context adds.
const PRESENTATION: &[&str] = &["holder", "id", "proof", "termsOfUse", "type", "verifiableCredential"];

/// Which document the `@context` belongs to: its type-scoped terms are
/// protected too.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scope {
    /// A `VerifiableCredential`.
    Credential,
    /// A `VerifiablePresentation`.
    Presentation,
}

/// Refuses a document whose `@context` objects define a protected term.
pub(crate) fn check_protected_terms(json: &Map<String, Value>, scope: Scope) -> Result<()> {
    let scoped = match scope {
        Scope::Credential => CREDENTIAL,
        Scope::Presentation => PRESENTATION,
    };
    let contexts = match json.get("@context") {
        Some(Value::Array(items)) => items.as_slice(),
        _ => return Ok(()),
    };
    for context in contexts.iter().filter_map(Value::as_object) {
        let protected = context
            .keys()
            .find(|term| BASE.binary_search(&term.as_str()).is_ok() || scoped.binary_search(&term.as_str()).is_ok());
        if let Some(term) = protected {
            return Err(Error::new(
                ErrorCode::ProtectedTermRedefined,
                format!(
                    "an @context object redefines {}, a term the VC 2.0 context protects",
                    quoted(term)
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The non-keyword terms of a context object, sorted.
    fn terms(context: &Value) -> Vec<String> {
        let mut out: Vec<String> = context
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| !k.starts_with('@'))
            .cloned()
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_lists_are_the_bundled_v2_context() {
        let text = include_str!("../../contexts/www.w3.org/ns/credentials/v2");
        let document: Value = serde_json::from_str(text).unwrap();
        let top = &document["@context"];
        assert_eq!(top["@protected"], true);
        assert_eq!(terms(top), BASE);
        for (list, type_name) in [
            (CREDENTIAL, "VerifiableCredential"),
            (PRESENTATION, "VerifiablePresentation"),
        ] {
            let scoped = &top[type_name]["@context"];
            assert_eq!(scoped["@protected"], true, "{type_name}");
            assert_eq!(terms(scoped), list, "{type_name}");
        }
    }

    #[test]
    fn presentations_protect_their_own_terms() {
        let vp = serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"holder": "https://e.example/h"}]});
        let e = check_protected_terms(vp.as_object().unwrap(), Scope::Presentation).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ProtectedTermRedefined);
        assert!(e.detail().contains("\"holder\""), "{}", e.detail());
        check_protected_terms(vp.as_object().unwrap(), Scope::Credential).unwrap();
    }
}
