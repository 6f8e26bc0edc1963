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

/// Whether `name` is a term the VC 2.0 base context defines, at its top
/// level or in its credential or presentation type-scoped contexts (an
/// issuer service refuses such a name as a credential type of its own).
pub fn is_base_context_term(name: &str) -> bool {
    [BASE, CREDENTIAL, PRESENTATION]
        .iter()
        .any(|terms| terms.contains(&name))
}

/// Which document the `@context` belongs to: its type-scoped terms are
/// protected too.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scope {
    /// A `VerifiableCredential`.
    Credential,
    /// A `VerifiablePresentation`.
    Presentation,
}

/// The namespaces of the VC vocabularies: the members the verifier reads
/// (validity, issuer, status, subjects…) have their IRIs here.
const VC_NAMESPACES: [&str; 2] = [
    "https://www.w3.org/2018/credentials#",
    "https://www.w3.org/ns/credentials/status#",
];

/// Whether `iri` is in a VC namespace or reaches one as a prefix or
/// vocabulary (`https://www.w3.org/`), or is a compact IRI with the VC 1.1
/// context's `cred` prefix. A prefix or vocabulary that does not reach a
/// VC namespace cannot make an IRI in one, so no expansion is needed.
fn reaches_vc_namespace(iri: &str) -> bool {
    // A prefix of a namespace only counts past its scheme
    // (`https://www.w3.org/`), not as a term that begins one (`h`).
    !iri.is_empty()
        && (iri.starts_with("cred:")
            || VC_NAMESPACES
                .iter()
                .any(|ns| iri.starts_with(ns) || (iri.len() > "https://".len() && ns.starts_with(iri))))
}

fn redefined(why: &'static str) -> Error {
    Error::new(ErrorCode::ProtectedTermRedefined, why)
}

fn misspelled(why: &'static str) -> Error {
    Error::new(ErrorCode::SignedFormMismatch, why)
}

/// The IRI a term definition maps to (a string, or an object's `@id`).
fn mapped_iri(definition: &Value) -> &str {
    match definition {
        Value::String(iri) => iri,
        Value::Object(expanded) => expanded.get("@id").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    }
}

/// Checks one inline context object, and the scoped contexts in it:
/// `protected`, the type-scoped terms the VC 2.0 context protects besides
/// its own (none for VCDM 1.1), may not be defined again.
fn check_inline_context(context: &Map<String, Value>, protected: Option<&[&str]>) -> Result<()> {
    if let Some(scoped) = protected {
        let redefines =
            |term: &&String| BASE.binary_search(&term.as_str()).is_ok() || scoped.binary_search(&term.as_str()).is_ok();
        if let Some(term) = context.keys().find(redefines) {
            return Err(Error::new(
                ErrorCode::ProtectedTermRedefined,
                format!(
                    "an @context object redefines {}, a term the VC 2.0 context protects",
                    quoted(term)
                ),
            ));
        }
    }
    for (term, definition) in context {
        let iri = mapped_iri(definition);
        // A keyword alias (`"kind": "@type"`), or a term, prefix or @vocab
        // mapped into (or reaching) the VC vocabularies.
        let keyword_alias = !term.starts_with('@') && iri.starts_with('@');
        if keyword_alias || reaches_vc_namespace(iri) {
            return Err(redefined(
                "an inline context aliases a keyword or maps into the VC vocabulary",
            ));
        }
        match definition.get("@context") {
            None => {}
            Some(Value::Object(scoped)) => check_inline_context(scoped, protected)?,
            Some(_) => return Err(redefined("a scoped context given by URL")),
        }
    }
    Ok(())
}

/// Refuses the spellings of a member other than its term that a JSON-LD
/// reader would read and a JSON reader would miss — a JCS proof signs the
/// JSON as written, so both would read the same signed bytes differently.
/// In an inline `@context` (scoped ones included), a definition that maps
/// a term, prefix or `@vocab` into the VC vocabularies (or to a namespace
/// containing them), a keyword alias, or a scoped context given by URL
/// (`PROTECTED_TERM_REDEFINED`); at the top level, a key that expands into
/// the VC vocabularies or is `@nest`; anywhere, `@included`, an `@context`
/// inside the document, or a node with the document's own `id`, which a
/// JSON-LD reader merges into it (`SIGNED_FORM_MISMATCH`). For VCDM 1.1
/// and 2.0 alike; for 2.0 (`protected` the document's scope), no inline
/// context may define a term the VC 2.0 context protects
/// (`PROTECTED_TERM_REDEFINED`).
pub(crate) fn check_signed_spellings(json: &Map<String, Value>, protected: Option<Scope>) -> Result<()> {
    let protected = protected.map(|scope| match scope {
        Scope::Credential => CREDENTIAL,
        Scope::Presentation => PRESENTATION,
    });
    if let Some(Value::Array(contexts)) = json.get("@context") {
        for context in contexts.iter().filter_map(Value::as_object) {
            check_inline_context(context, protected)?;
        }
    }
    let own_id = json.get("id").and_then(Value::as_str);
    let mut nodes: Vec<&Value> = Vec::new();
    for (key, value) in json {
        if matches!(key.as_str(), "@nest" | "@included") || (!key.starts_with('@') && reaches_vc_namespace(key)) {
            return Err(misspelled("a member not written as its term"));
        }
        // Proofs may carry their own @context (Data Integrity); a
        // presentation's credentials are checked as the credentials they are.
        if !matches!(key.as_str(), "@context" | "proof" | "verifiableCredential") {
            nodes.push(value);
        }
    }
    // Depth is bounded by the reader's limit; a work list, not recursion.
    while let Some(value) = nodes.pop() {
        match value {
            Value::Array(items) => nodes.extend(items),
            Value::Object(node) => {
                if node.contains_key("@context") || node.contains_key("@included") {
                    return Err(misspelled("an @context or @included inside the document"));
                }
                if own_id.is_some() && node.get("id").and_then(Value::as_str) == own_id {
                    return Err(misspelled("a node inside the document has its id"));
                }
                nodes.extend(node.values());
            }
            _ => {}
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
        let e = check_signed_spellings(vp.as_object().unwrap(), Some(Scope::Presentation)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ProtectedTermRedefined);
        assert!(e.detail().contains("\"holder\""), "{}", e.detail());
        check_signed_spellings(vp.as_object().unwrap(), Some(Scope::Credential)).unwrap();
    }
}
