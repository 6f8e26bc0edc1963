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

/// The namespaces of the VC vocabularies: the members the verifier reads
/// (validity, issuer, status, subjects…) have their IRIs here.
const VC_NAMESPACES: [&str; 2] = [
    "https://www.w3.org/2018/credentials",
    "https://www.w3.org/ns/credentials",
];

fn in_vc_namespace(iri: &str) -> bool {
    VC_NAMESPACES.iter().any(|ns| iri.starts_with(ns))
}

/// Refuses the spellings of a member other than its term that a JSON-LD
/// reader would read and a JSON reader would miss — a JCS proof signs the
/// JSON as written, so both would read the same signed bytes differently:
/// at the top level, a key that is an IRI of the VC vocabularies, a
/// compact IRI with the bundled `cred` prefix, or `@nest`
/// (`SIGNED_FORM_MISMATCH`); in an inline `@context`, a definition that
/// maps a term, prefix or `@vocab` into the VC vocabularies or aliases a
/// keyword (`PROTECTED_TERM_REDEFINED`). For VCDM 1.1 and 2.0 alike.
pub(crate) fn check_signed_spellings(json: &Map<String, Value>) -> Result<()> {
    let contexts = match json.get("@context") {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    for context in contexts.iter().filter_map(Value::as_object) {
        for (term, definition) in context {
            let iri = match definition {
                Value::String(iri) => iri.as_str(),
                Value::Object(expanded) => expanded.get("@id").and_then(Value::as_str).unwrap_or_default(),
                _ => "",
            };
            // A keyword alias (`"kind": "@type"`), or an IRI of the VC vocabularies.
            let keyword_alias = !term.starts_with('@') && iri.starts_with('@');
            if keyword_alias || in_vc_namespace(iri) {
                return Err(Error::new(
                    ErrorCode::ProtectedTermRedefined,
                    format!(
                        "an @context object maps {} to {}: only the VC contexts define those",
                        quoted(term),
                        quoted(iri)
                    ),
                ));
            }
        }
    }
    if let Some(key) = json
        .keys()
        .find(|k| *k == "@nest" || k.starts_with("cred:") || in_vc_namespace(k))
    {
        return Err(Error::new(
            ErrorCode::SignedFormMismatch,
            format!(
                "{} is not a term: the verifier reads members by their terms only",
                quoted(key)
            ),
        ));
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
