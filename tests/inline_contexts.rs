//! Context definitions a document carries itself, including a whole context
//! document embedded as `{"@context": {…}}` (which jsonld.js, the W3C
//! suites' processor, reads as the definition it wraps), top-level and
//! scoped; and what stays refused: a wrapper holding anything else, a
//! protected term redefined through it, and — in a signed rdfc
//! credential — a definition that changes what the verifier reads.

use passerelle::crypto::Ed25519KeyPair;
use passerelle::jsonld::JsonLd;
use passerelle::proof::Cryptosuite;
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Value};

const V2: &str = "https://www.w3.org/ns/credentials/v2";

fn nquads(document: &Value) -> String {
    JsonLd::new().canonicalize(document).unwrap()
}

fn code(document: &Value) -> ErrorCode {
    JsonLd::new().canonicalize(document).unwrap_err().code()
}

fn with_context(context: Value) -> Value {
    json!({"@context": context, "id": "urn:x:1", "type": "VerifiableCredential",
           "note": {"sub": "x"}, "label": "hi"})
}

#[test]
fn an_embedded_context_document_reads_as_the_definition_it_wraps() {
    let plain = json!({"label": "https://example.org/label",
                       "note": {"@id": "https://example.org/note", "@context": {"sub": "https://example.org/sub"}}});
    let expected = nquads(&with_context(json!([V2, plain])));
    assert!(expected.contains("<https://example.org/label> \"hi\""));
    let wrapped = json!([V2, {"@context": plain}]);
    assert_eq!(nquads(&with_context(wrapped)), expected, "top level");
    let scoped = json!([V2, {"label": "https://example.org/label",
        "note": {"@id": "https://example.org/note", "@context": {"@context": {"sub": "https://example.org/sub"}}}}]);
    assert_eq!(nquads(&with_context(scoped)), expected, "scoped");
}

#[test]
fn a_wrapper_holding_more_than_an_object_context_is_refused() {
    for context in [
        json!([V2, {"@context": {"label": "https://example.org/label"}, "note": "https://example.org/note"}]),
        json!([V2, {"@context": [{"label": "https://example.org/label"}]}]),
        json!([V2, {"@context": "https://example.org/elsewhere"}]),
    ] {
        assert_eq!(
            code(&with_context(context.clone())),
            ErrorCode::JsonLdInvalid,
            "{context}"
        );
    }
}

#[test]
fn a_protected_term_cannot_be_redefined_through_a_wrapper() {
    for context in [
        json!([V2, {"name": "https://example.org/not-the-name"}]),
        json!([V2, {"@context": {"name": "https://example.org/not-the-name"}}]),
    ] {
        let document = json!({"@context": context, "id": "urn:x:1", "type": "VerifiableCredential", "name": "n"});
        assert_eq!(code(&document), ErrorCode::JsonLdInvalid, "{}", document["@context"]);
    }
}

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

/// An rdfc credential whose embedded context document names a type the
/// verifier would read as something the issuer did not state: refused,
/// as the same definition written without the wrapper is.
#[test]
fn a_wrapped_definition_that_changes_what_is_read_is_refused() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[23; 32]))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap();
    let unsigned = json!({
        "@context": [V2, {"@context": {"Permit": "https://example.org/Permit"}}],
        "type": ["VerifiableCredential", "Permit"],
        "issuer": issuer.did(),
        "credentialSubject": {"id": "did:example:holder"}
    });
    let at = t("2026-01-01T00:00:00Z");
    let vc = issuer.issue(unsigned.as_object().unwrap().clone(), at).unwrap();
    let verify = |document: &Value| Verifier::offline().verify(document.to_string().as_bytes(), &VerifyOptions::at(at));
    let signed = Value::Object(vc.into_json());
    let mut renamed = signed.clone();
    renamed["@context"][1] = json!({"@context": {"TrustedPermit": "https://example.org/Permit"}});
    renamed["type"][1] = json!("TrustedPermit");
    assert_eq!(
        verify(&renamed).check(CheckName::Proof).unwrap().code,
        Some(ErrorCode::SignedFormMismatch)
    );
    // The issuer's own wrapped definition names a type no context URL
    // defines: read differently without it, so it is refused too.
    assert_eq!(
        verify(&signed).check(CheckName::Proof).unwrap().code,
        Some(ErrorCode::SignedFormMismatch)
    );
}
