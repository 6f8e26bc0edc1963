//! The VCDM 2.0 rules on a credential's typed parts, each run through
//! [`Credential::from_json`] (so the same check issuance and verification
//! use): refused with its code and a detail that says why, and the parts
//! read when accepted.

use serde_json::{json, Map, Value};

use super::{Credential, DigestAlgorithm};

use super::credential::tests::{base, code_with};

/// Refused with `code`, and a detail that contains `detail`.
fn refused_with(change: impl FnOnce(&mut Map<String, Value>), code: &str, detail: &str) {
    let Value::Object(mut map) = base() else { unreachable!() };
    change(&mut map);
    let e = Credential::from_json(map.clone()).expect_err(&Value::Object(map).to_string());
    assert_eq!(e.code().as_str(), code, "{}", e.detail());
    assert!(e.detail().contains(detail), "{:?} lacks {detail:?}", e.detail());
}

fn set(key: &'static str, value: Value) -> impl FnOnce(&mut Map<String, Value>) {
    move |m| {
        m.insert(key.into(), value);
    }
}

/// The digests of the bundled v2 context. (VCDM 2.0 Example 25 prints
/// this SHA-384 with a stray `M` in front: 65 characters, not base64.)
const SRI_384: &str = "sha384-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU";
const MULTIBASE_256: &str = "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA";

/// §5.4–5.6, §4.11: each termsOfUse, evidence, refreshService and
/// credentialSchema object has a `type` (a string or an array).
#[test]
fn objects_that_need_a_type() {
    for key in ["termsOfUse", "evidence", "refreshService", "credentialSchema"] {
        let id = "https://example.org/x";
        refused_with(
            set(key, json!({"id": id})),
            "PROPERTY_INVALID",
            &format!("{key} entries need a type"),
        );
        refused_with(
            set(key, json!([{"id": id, "type": "T"}, {"id": id}])),
            "PROPERTY_INVALID",
            key,
        );
        refused_with(set(key, json!({"id": id, "type": []})), "PROPERTY_INVALID", key);
        refused_with(set(key, json!({"id": id, "type": ["T", 3]})), "PROPERTY_INVALID", key);
        refused_with(set(key, json!("https://example.org/x")), "PROPERTY_INVALID", key);
        refused_with(set(key, json!([])), "PROPERTY_INVALID", key);
        refused_with(set(key, json!({"id": "not a url", "type": "T"})), "ID_INVALID", key);
        for ok in [json!({"id": id, "type": "T"}), json!([{"id": id, "type": ["T", "U"]}])] {
            assert_eq!(code_with(set(key, ok.clone())), None, "{key}: {ok}");
        }
    }
}

/// §4.11: each credentialSchema has an `id` that is a URL.
#[test]
fn credential_schema_needs_an_id() {
    refused_with(
        set("credentialSchema", json!({"type": "JsonSchema"})),
        "PROPERTY_INVALID",
        "credentialSchema entries need an id",
    );
    refused_with(
        set("credentialSchema", json!([{"id": 7, "type": "JsonSchema"}])),
        "ID_INVALID",
        "credentialSchema",
    );
    let c = Credential::from_json(
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiableCredential",
            "issuer": "did:example:i",
            "credentialSubject": {"a": 1},
            "credentialSchema": [{"id": "https://example.org/s.json", "type": ["JsonSchema"]}],
            "termsOfUse": {"type": "TrustFrameworkPolicy"},
            "evidence": [{"id": "https://example.org/e", "type": ["Evidence", "DocumentVerification"]}],
            "refreshService": {"id": "https://example.org/r", "type": "VerifiableCredentialRefreshService2021"}
        })
        .as_object()
        .unwrap()
        .clone(),
    )
    .unwrap();
    assert_eq!(c.schemas()[0].id, "https://example.org/s.json");
    assert_eq!(c.schemas()[0].types, ["JsonSchema"]);
    assert_eq!(c.terms_of_use()[0].types, ["TrustFrameworkPolicy"]);
    assert_eq!(c.terms_of_use()[0].id, None);
    assert_eq!(c.evidence()[0].types, ["Evidence", "DocumentVerification"]);
    assert_eq!(c.refresh_services()[0].id.as_deref(), Some("https://example.org/r"));
}

/// §4.8: credentialSubject is a non-empty object or an array of them.
#[test]
fn subjects_must_make_claims() {
    for empty in [json!({}), json!([{}, {}]), json!([{"id": "did:example:1"}, {}])] {
        refused_with(set("credentialSubject", empty), "SUBJECT_MISSING", "non-empty");
    }
    let Value::Object(mut map) = base() else { unreachable!() };
    map.insert(
        "credentialSubject".into(),
        json!([{"id": "did:example:1", "type": ["Person"]}, {"name": "x"}]),
    );
    let c = Credential::from_json(map).unwrap();
    assert_eq!(c.subjects()[0].id.as_deref(), Some("did:example:1"));
    assert_eq!(c.subjects()[0].types, ["Person"]);
    assert_eq!(c.subjects()[1].id, None);
}

/// §5.3: relatedResource entries are objects with a URL `id`, unique,
/// and a well-formed `digestSRI` and/or `digestMultibase`.
#[test]
fn related_resources() {
    let rr = |v: Value| set("relatedResource", v);
    let url = "https://www.w3.org/ns/credentials/v2";
    refused_with(
        rr(json!("x")),
        "PROPERTY_INVALID",
        "relatedResource must be an object or a non-empty array of objects",
    );
    refused_with(rr(json!([])), "PROPERTY_INVALID", "relatedResource");
    refused_with(
        rr(json!([{"digestSRI": SRI_384}])),
        "PROPERTY_INVALID",
        "relatedResource entries need an id",
    );
    refused_with(
        rr(json!([{"id": "x y", "digestSRI": SRI_384}])),
        "ID_INVALID",
        "relatedResource",
    );
    refused_with(
        rr(json!([{"id": url}])),
        "PROPERTY_INVALID",
        "digestSRI or digestMultibase",
    );
    refused_with(
        rr(json!([{"id": url, "digestSRI": SRI_384}, {"id": url, "digestMultibase": MULTIBASE_256}])),
        "PROPERTY_INVALID",
        "unique",
    );
    for bad_sri in [
        json!("sha384-tooshort"),
        json!("sha384-Ml/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"),
        json!("md5-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"),
        json!("sha256-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"),
        json!("sha384-l_HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4_Tje8YyzYBM8IhqjHWiWpr8-ZbYU"),
        json!(format!("{SRI_384}?opt")),
        json!(""),
        json!(7),
        json!([]),
    ] {
        refused_with(
            rr(json!({"id": url, "digestSRI": bad_sri})),
            "PROPERTY_INVALID",
            "digestSRI",
        );
    }
    for bad_multibase in [
        json!("EiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"),
        json!("uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963skn"),
        json!("uAAAA"),
        json!("u!!!"),
        json!("zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1"),
        json!(["uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA", 3]),
    ] {
        refused_with(
            rr(json!({"id": url, "digestMultibase": bad_multibase})),
            "PROPERTY_INVALID",
            "digestMultibase",
        );
    }
    for ok in [
        json!({"id": url, "digestSRI": SRI_384}),
        json!({"id": url, "digestSRI": format!("{SRI_384} sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")}),
        json!({"id": url, "digestSRI": [SRI_384], "mediaType": "application/ld+json"}),
        json!([{"id": url, "digestMultibase": MULTIBASE_256}, {"id": "https://example.org/y", "digestMultibase": "zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"}]),
    ] {
        assert_eq!(code_with(rr(ok.clone())), None, "{ok}");
    }
    refused_with(
        rr(json!({"id": url, "digestSRI": SRI_384, "mediaType": "not a media type"})),
        "PROPERTY_INVALID",
        "mediaType",
    );
    let Value::Object(mut map) = base() else { unreachable!() };
    map.insert(
        "relatedResource".into(),
        json!({"id": url, "digestSRI": SRI_384, "digestMultibase": MULTIBASE_256}),
    );
    let c = Credential::from_json(map).unwrap();
    let resource = &c.related_resources()[0];
    assert_eq!(resource.id, url);
    assert_eq!(resource.digests.len(), 2);
    assert_eq!(resource.digests[0].algorithm, DigestAlgorithm::Sha2_384);
    assert_eq!(resource.digests[0].bytes.len(), 48);
    assert_eq!(resource.digests[1].algorithm, DigestAlgorithm::Sha2_256);
}

/// An inline @context may not redefine a term the VC 2.0 context protects.
#[test]
fn protected_terms_are_not_redefined() {
    for term in [
        "validUntil",
        "issuer",
        "credentialStatus",
        "type",
        "id",
        "name",
        "VerifiableCredential",
    ] {
        let mut context = Map::new();
        context.insert(term.into(), json!("https://example.org/mine"));
        refused_with(
            set(
                "@context",
                json!(["https://www.w3.org/ns/credentials/v2", Value::Object(context)]),
            ),
            "PROTECTED_TERM_REDEFINED",
            term,
        );
    }
    let own_terms = json!(["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://example.org/#", "permitNumber": "https://example.org/#permitNumber"}]);
    assert_eq!(code_with(set("@context", own_terms)), None);
}

/// Types, names and descriptions are read into the typed parts.
#[test]
fn types_names_and_descriptions_are_typed() {
    let Value::Object(mut map) = base() else { unreachable!() };
    map.insert(
        "name".into(),
        json!([{"@value": "Permit", "@language": "en"}, {"@value": "Permis", "@language": "fr", "@direction": "ltr"}]),
    );
    map.insert("description".into(), json!("plain"));
    let c = Credential::from_json(map).unwrap();
    assert_eq!(c.types(), ["VerifiableCredential", "ExampleCredential"]);
    assert_eq!(c.names().len(), 2);
    assert_eq!(c.names()[1].value, "Permis");
    assert_eq!(c.names()[1].language.as_deref(), Some("fr"));
    assert_eq!(c.names()[1].direction.as_deref(), Some("ltr"));
    assert_eq!(c.descriptions()[0].value, "plain");
    assert_eq!(c.descriptions()[0].language, None);
}

/// A member the verifier reads (here the expiry) written in another JSON-LD
/// spelling — its full IRI, a compact IRI, an alias an inline context
/// defines, a keyword alias, `@nest` — would be read by a JSON-LD reader and
/// missed by a JSON one (a JCS proof signs the JSON as written, so both see
/// the same signed bytes and disagree on what they say). Each is refused,
/// in VCDM 2.0 and 1.1 alike.
#[test]
fn other_spellings_of_the_members_read_are_refused() {
    const V1: &str = "https://www.w3.org/2018/credentials/v1";
    const V2: &str = "https://www.w3.org/ns/credentials/v2";
    let until = "https://www.w3.org/2018/credentials#validUntil";
    let expiry = "https://www.w3.org/2018/credentials#expirationDate";
    let date = json!("2021-01-01T00:00:00Z");
    let cases: Vec<(Value, &str, Value, &str)> = vec![
        (json!([V2]), until, date.clone(), "SIGNED_FORM_MISMATCH"),
        (
            json!([V2, {"expires": until}]),
            "expires",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"cred": "https://www.w3.org/2018/credentials#"}]),
            "cred:validUntil",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (json!([V2]), "cred:validUntil", date.clone(), "SIGNED_FORM_MISMATCH"),
        (json!([V1]), expiry, date.clone(), "SIGNED_FORM_MISMATCH"),
        (json!([V1]), until, date.clone(), "SIGNED_FORM_MISMATCH"),
        (
            json!([V2]),
            "@nest",
            json!({"validUntil": date}),
            "SIGNED_FORM_MISMATCH",
        ),
        (
            json!([V2, {"meta": "@nest"}]),
            "meta",
            json!({"validUntil": date}),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V1]),
            "@nest",
            json!({"expirationDate": date}),
            "SIGNED_FORM_MISMATCH",
        ),
        (
            json!([V1, {"expires": expiry}]),
            "expires",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"vu": {"@id": until, "@type": "xsd:dateTime"}}]),
            "vu",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"kind": "@type"}]),
            "kind",
            json!("Other"),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"@vocab": "https://www.w3.org/2018/credentials#"}]),
            "expirationDate",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        // A prefix, a vocabulary or a scoped context reaching the VC vocabulary.
        (
            json!([V2, {"w3": "https://www.w3.org/"}]),
            "w3:2018/credentials#validUntil",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"@vocab": "https://www.w3.org/2018/"}]),
            "credentials#validUntil",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"w3": "https://www.w3.org/2018/", "endsAt": "w3:credentials#validUntil"}]),
            "endsAt",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"MyType": {"@id": "https://ex.example/MyType", "@context": {"endsAt": until}}}]),
            "endsAt",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2, {"MyType": {"@id": "https://ex.example/MyType", "@context": "https://ex.example/context"}}]),
            "endsAt",
            date.clone(),
            "PROTECTED_TERM_REDEFINED",
        ),
        (
            json!([V2]),
            "@included",
            json!([{"id": "urn:uuid:1", "validUntil": "2021-01-01T00:00:00Z"}]),
            "SIGNED_FORM_MISMATCH",
        ),
        // A node of the document with the credential's own id adds to it.
        (
            json!([V2]),
            "evidence",
            json!({"id": "urn:uuid:1", "type": "Evidence", "validUntil": "2021-01-01T00:00:00Z"}),
            "SIGNED_FORM_MISMATCH",
        ),
        (
            json!([V2]),
            "termsOfUse",
            json!({"type": "Policy", "@context": {"validUntil": "https://example.org/v"}}),
            "SIGNED_FORM_MISMATCH",
        ),
    ];
    for (context, key, value, code) in cases {
        let mut map = base().as_object().unwrap().clone();
        map.remove("validUntil");
        if context[0] == V1 {
            map.remove("validFrom");
            map.insert("issuanceDate".into(), json!("2020-01-01T00:00:00Z"));
        }
        map.insert("@context".into(), context.clone());
        map.insert(key.into(), value);
        let e = Credential::from_json(map).expect_err(&format!("{context} {key}"));
        assert_eq!(e.code().as_str(), code, "{context} {key}: {}", e.detail());
    }
    // A term of one's own, an IRI of one's own vocabulary: still accepted.
    let mut map = base().as_object().unwrap().clone();
    map.insert(
        "@context".into(),
        json!([V2, {"licence": "https://licences.example/vocab#licence"}]),
    );
    map.insert("licence".into(), json!("L-1"));
    map.insert("https://licences.example/vocab#holder".into(), json!("H-1"));
    map.insert("h".into(), json!("a term that begins an IRI's text, not an IRI"));
    Credential::from_json(map).unwrap();
}
