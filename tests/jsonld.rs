//! The JSON-LD processor behind the rdfc suites: bundled contexts, safe-mode
//! refusals, the JSON-LD features credentials use, and property tests
//! (issue → verify round trips, key order is irrelevant, changes and byte
//! flips fail).

mod common;

use std::collections::HashMap;

use passerelle::canon::nquads::{Quad, Term};
use passerelle::crypto::Ed25519KeyPair;
use passerelle::jsonld::{JsonLd, BUNDLED_CONTEXTS};
use passerelle::proof::Cryptosuite;
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

const V2: &str = "https://www.w3.org/ns/credentials/v2";
const EXAMPLES: &str = "https://www.w3.org/ns/credentials/examples/v2";

fn quads(document: &Value) -> Vec<Quad> {
    JsonLd::new().to_rdf(document).unwrap()
}

fn code(document: &Value) -> ErrorCode {
    JsonLd::new().to_rdf(document).unwrap_err().code()
}

fn iri(s: &str) -> Term {
    Term::Iri(s.to_owned())
}

fn literal(value: &str, datatype: &str) -> Term {
    Term::Literal {
        value: value.to_owned(),
        datatype: datatype.to_owned(),
        language: None,
    }
}

fn objects_of(quads: &[Quad], predicate: &str) -> Vec<Term> {
    quads
        .iter()
        .filter(|q| q.predicate == iri(predicate))
        .map(|q| q.object.clone())
        .collect()
}

#[test]
fn the_bundled_credentials_context_has_its_published_digest() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/contexts/www.w3.org/ns/credentials/v2"
    ))
    .unwrap();
    let digest: String = Sha256::digest(&text).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        digest,
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    );
}

#[test]
fn bundled_contexts_are_byte_exact_copies_of_the_conformance_data() {
    let mut compared = 0;
    for url in BUNDLED_CONTEXTS {
        let path = url.trim_start_matches("https://");
        let ours = std::fs::read(format!("{}/contexts/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let upstream = common::conformance_dir().join("jsonld-contexts").join(path);
        if let Ok(theirs) = std::fs::read(upstream) {
            assert_eq!(ours, theirs, "{url}");
            compared += 1;
        }
    }
    // All but the demo's own context come from the conformance data.
    assert_eq!(compared, BUNDLED_CONTEXTS.len() - 1);
}

#[test]
fn undefined_properties_and_types_are_refused() {
    let property =
        json!({"@context": [V2], "type": ["VerifiableCredential"], "credentialSubject": {"permitNumber": "X"}});
    assert_eq!(code(&property), ErrorCode::TermUndefined);
    let kind = json!({"@context": [V2], "type": ["VerifiableCredential", "MinesActPermit"]});
    assert_eq!(code(&kind), ErrorCode::TermUndefined);
    // With a vocabulary every term is defined.
    let mut defined = property.clone();
    defined["@context"] = json!([V2, EXAMPLES]);
    assert!(!quads(&defined).is_empty());
}

#[test]
fn type_scoped_terms_do_not_propagate_into_nested_nodes() {
    // `issuer` is defined in the VerifiableCredential type-scoped context:
    // inside the subject (another node) it means nothing.
    let doc =
        json!({"@context": [V2], "type": "VerifiableCredential", "credentialSubject": {"issuer": "did:example:x"}});
    assert_eq!(code(&doc), ErrorCode::TermUndefined);
    let top = json!({"@context": [V2], "type": "VerifiableCredential", "issuer": "did:example:x"});
    assert_eq!(
        objects_of(&quads(&top), "https://www.w3.org/2018/credentials#issuer"),
        vec![iri("did:example:x")]
    );
}

#[test]
fn relative_identifiers_are_refused() {
    let doc = json!({"@context": [V2, EXAMPLES], "id": "relative/path", "name": "x"});
    assert_eq!(code(&doc), ErrorCode::TermUndefined);
    let coerced = json!({"@context": [V2], "type": "VerifiableCredential", "issuer": "not a url"});
    assert_eq!(code(&coerced), ErrorCode::TermUndefined);
}

#[test]
fn protected_terms_cannot_be_redefined_but_property_scopes_may() {
    let redefined = json!({"@context": [V2, {"name": "https://example.org/name"}], "name": "x"});
    assert_eq!(code(&redefined), ErrorCode::JsonLdInvalid);
    let cleared = json!({"@context": [V2, null], "@id": "urn:x:1"});
    assert_eq!(code(&cleared), ErrorCode::JsonLdInvalid);
    // Same definition again: allowed.
    let same = json!({"@context": [V2, {"name": "https://schema.org/name"}], "@id": "urn:x:1", "name": "x"});
    assert_eq!(objects_of(&quads(&same), "https://schema.org/name").len(), 1);
}

#[test]
fn unknown_contexts_are_refused_and_loaders_supply_them() {
    let doc = json!({"@context": ["https://example.org/ctx/v1"], "@id": "urn:x:1", "colour": "red"});
    assert_eq!(code(&doc), ErrorCode::ContextUnknown);
    let mut extra = HashMap::new();
    extra.insert(
        "https://example.org/ctx/v1".to_string(),
        r#"{"@context": {"colour": "https://example.org/vocab#colour"}}"#.to_string(),
    );
    let jsonld = JsonLd::new().with_loader(extra);
    let found = jsonld.to_rdf(&doc).unwrap();
    assert_eq!(
        objects_of(&found, "https://example.org/vocab#colour"),
        vec![literal("red", passerelle::canon::nquads::XSD_STRING)]
    );
    // A loader cannot replace a bundled context.
    let mut hostile = HashMap::new();
    hostile.insert(
        V2.to_string(),
        r#"{"@context": {"@vocab": "https://evil.example/"}}"#.to_string(),
    );
    let doc = json!({"@context": [V2], "type": "VerifiableCredential", "unknownThing": 1});
    assert_eq!(
        JsonLd::new().with_loader(hostile).to_rdf(&doc).unwrap_err().code(),
        ErrorCode::TermUndefined
    );
}

/// Counts the loads it serves.
struct Counting(std::sync::atomic::AtomicUsize);

impl passerelle::jsonld::ContextLoader for Counting {
    fn load(&self, url: &str) -> Option<String> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        (url == "https://example.org/counted").then(|| r#"{"@context": {"n": "https://example.org/n"}}"#.to_string())
    }
}

#[test]
fn a_context_is_loaded_once_per_processor() {
    let counter = std::sync::Arc::new(Counting(Default::default()));
    let jsonld = JsonLd::new().with_loader(counter.clone());
    for i in 0..5 {
        let doc = json!({"@context": [V2, "https://example.org/counted"], "@id": format!("urn:x:{i}"), "n": i});
        assert_eq!(jsonld.to_rdf(&doc).unwrap().len(), 1);
    }
    assert_eq!(counter.0.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn a_context_that_includes_itself_is_refused() {
    let mut looping = HashMap::new();
    looping.insert(
        "https://example.org/loop".to_string(),
        r#"{"@context": ["https://example.org/loop", {"a": "https://example.org/a"}]}"#.to_string(),
    );
    let doc = json!({"@context": "https://example.org/loop", "a": 1});
    let err = JsonLd::new().with_loader(looping).to_rdf(&doc).unwrap_err();
    assert_eq!(err.code(), ErrorCode::JsonLdInvalid);
}

#[test]
fn cyclic_and_unsupported_definitions_are_refused() {
    let cyclic = json!({"@context": {"a": "b:x", "b": "a:y"}, "a": 1});
    assert_eq!(code(&cyclic), ErrorCode::JsonLdInvalid);
    let reverse =
        json!({"@context": {"knows": {"@reverse": "https://example.org/knows"}}, "knows": {"@id": "urn:x:1"}});
    assert_eq!(code(&reverse), ErrorCode::JsonLdInvalid);
    let nest = json!({"@context": {"@vocab": "https://example.org/"}, "@id": "urn:x:1", "@nest": {"a": 1}});
    assert_eq!(code(&nest), ErrorCode::JsonLdInvalid);
}

#[test]
fn what_n_quads_cannot_write_is_refused() {
    // Found by fuzzing: a term made with @vocab holding a character no IRI may hold.
    let property = json!({"@context": {"@vocab": "https://example.org/"}, "@id": "urn:x:1", "`id": 1});
    assert_eq!(code(&property), ErrorCode::TermUndefined);
    let language = json!({"@context": {"@vocab": "https://example.org/"}, "@id": "urn:x:1",
                          "v": {"@value": "x", "@language": "en \"quoted\""}});
    assert_eq!(code(&language), ErrorCode::JsonLdInvalid);
}

#[test]
fn a_long_chain_of_term_definitions_is_refused_not_a_stack_overflow() {
    // Each term is defined through the next one in document order, so
    // defining the first needs all the others first.
    let mut context = Map::new();
    for i in (1..20_000).rev() {
        context.insert(format!("t{i}"), json!(format!("t{}:x", i - 1)));
    }
    context.insert("t0".into(), json!("https://example.org/"));
    let doc = json!({"@context": Value::Object(context), "@id": "urn:x:1", "t19999": 1});
    assert_eq!(code(&doc), ErrorCode::JsonLdInvalid);
}

#[test]
fn free_floating_values_are_refused() {
    let doc = json!({"@context": {"@vocab": "https://example.org/"}, "@graph": ["loose"]});
    assert_eq!(code(&doc), ErrorCode::JsonLdInvalid);
    // A value put in a graph container (as `proof` is): no node holds it.
    let in_graph = json!({"@context": [V2], "type": "VerifiableCredential", "proof": 5});
    assert_eq!(code(&in_graph), ErrorCode::JsonLdInvalid);
}

#[test]
fn literals_are_written_as_json_ld_specifies() {
    let doc = json!({
        "@context": {"@vocab": "https://example.org/",
                     "data": {"@id": "https://example.org/data", "@type": "@json"},
                     "labels": {"@id": "https://example.org/labels", "@container": "@language"}},
        "@id": "urn:x:1",
        "count": 5, "ratio": 49.25, "whole": 2.0, "flag": true,
        "data": {"b": [1, 2], "a": "x"},
        "labels": {"EN": "Permit", "fr": "Permis"},
        "tagged": {"@value": "Bonjour", "@language": "fr-CA"}
    });
    let q = quads(&doc);
    let xsd = |t: &str| format!("http://www.w3.org/2001/XMLSchema#{t}");
    assert_eq!(
        objects_of(&q, "https://example.org/count"),
        vec![literal("5", &xsd("integer"))]
    );
    assert_eq!(
        objects_of(&q, "https://example.org/ratio"),
        vec![literal("4.925E1", &xsd("double"))]
    );
    assert_eq!(
        objects_of(&q, "https://example.org/whole"),
        vec![literal("2", &xsd("integer"))]
    );
    assert_eq!(
        objects_of(&q, "https://example.org/flag"),
        vec![literal("true", &xsd("boolean"))]
    );
    assert_eq!(
        objects_of(&q, "https://example.org/data"),
        vec![literal(
            r#"{"a":"x","b":[1,2]}"#,
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
        )]
    );
    let languages: Vec<Option<String>> = objects_of(&q, "https://example.org/labels")
        .into_iter()
        .map(|t| match t {
            Term::Literal { language, .. } => language,
            _ => None,
        })
        .collect();
    assert_eq!(languages, vec![Some("en".into()), Some("fr".into())]);
    assert!(matches!(&objects_of(&q, "https://example.org/tagged")[0],
        Term::Literal { language: Some(l), .. } if l == "fr-ca"));
}

#[test]
fn lists_become_rdf_collections() {
    let doc = json!({
        "@context": {"@vocab": "https://example.org/", "steps": {"@id": "https://example.org/steps", "@container": "@list"}},
        "@id": "urn:x:1",
        "steps": ["survey", "drill"]
    });
    let q = quads(&doc);
    let first = objects_of(&q, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first");
    assert_eq!(first.len(), 2);
    let rest = objects_of(&q, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest");
    assert!(rest.contains(&iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")));
    let empty = json!({"@context": {"@vocab": "https://example.org/"}, "@id": "urn:x:1", "steps": {"@list": []}});
    assert_eq!(
        objects_of(&quads(&empty), "https://example.org/steps"),
        vec![iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")]
    );
}

#[test]
fn embedded_credentials_and_proofs_are_named_graphs() {
    let presentation = json!({
        "@context": [V2, EXAMPLES],
        "type": "VerifiablePresentation",
        "verifiableCredential": [{
            "@context": [V2, EXAMPLES],
            "id": "urn:uuid:1",
            "type": "VerifiableCredential",
            "issuer": "did:example:issuer",
            "credentialSubject": {"id": "did:example:s", "level": 3}
        }]
    });
    let q = quads(&presentation);
    let in_graph: Vec<&Quad> = q.iter().filter(|q| q.graph.is_some()).collect();
    assert!(in_graph
        .iter()
        .any(|q| q.predicate == iri("https://www.w3.org/2018/credentials#issuer")));
    let link = objects_of(&q, "https://www.w3.org/2018/credentials#verifiableCredential");
    assert_eq!(link.len(), 1);
    assert_eq!(Some(&link[0]), in_graph[0].graph.as_ref());
}

#[test]
fn blank_node_labels_in_the_document_are_relabelled() {
    let doc = json!({"@context": {"@vocab": "https://example.org/"},
                     "@id": "_:b1", "knows": [{"@id": "_:b0"}, {"name": "anonymous"}]});
    let q = quads(&doc);
    let labels: std::collections::BTreeSet<String> = q
        .iter()
        .flat_map(|q| [&q.subject, &q.object])
        .filter_map(|t| match t {
            Term::Blank(l) => Some(l.clone()),
            _ => None,
        })
        .collect();
    // Three distinct nodes, none of them merged by a label clash.
    assert_eq!(labels.len(), 3, "{q:?}");
}

fn at() -> Timestamp {
    Timestamp::parse("2030-01-01T00:00:00Z").unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[12; 32]))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap()
}

fn issue(subject: Map<String, Value>) -> Map<String, Value> {
    let issuer = issuer();
    let unsigned = json!({
        "@context": [V2, EXAMPLES],
        "type": ["VerifiableCredential", "ExampleCredential"],
        "issuer": issuer.did(),
        "credentialSubject": Value::Object(subject),
    });
    issuer
        .issue(unsigned.as_object().unwrap().clone(), at())
        .unwrap()
        .into_json()
}

fn verify(bytes: &[u8]) -> passerelle::Report {
    Verifier::offline().verify(bytes, &VerifyOptions::at(at()))
}

/// Values whose RDF form differs whenever their JSON does: strings,
/// integers, booleans, nested objects (arrays are sets in RDF, and null is
/// absence, so they are left out of the "any change fails" property).
fn claim() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        "[a-zA-Z0-9 éà.-]{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop::collection::btree_map("[a-z][a-zA-Z]{0,8}", inner, 1..4)
            .prop_map(|entries| Value::Object(entries.into_iter().filter(|(k, _)| k != "id" && k != "type").collect()))
    })
}

fn subject() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("[a-z][a-zA-Z]{0,10}", claim(), 1..6)
        .prop_map(|entries| entries.into_iter().filter(|(k, _)| k != "id" && k != "type").collect())
}

fn shuffled(value: &Value, seed: u64) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            let n = entries.len().max(1) as u64;
            entries.rotate_left((seed % n) as usize);
            entries.reverse();
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), shuffled(v, seed / n + 1)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| shuffled(v, seed)).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn rdfc_credentials_verify(subject in subject()) {
        let report = verify(Value::Object(issue(subject)).to_string().as_bytes());
        prop_assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    }

    #[test]
    fn key_order_does_not_change_the_canonical_form(subject in subject(), seed in any::<u64>()) {
        let signed = Value::Object(issue(subject));
        let reordered = shuffled(&signed, seed);
        let jsonld = JsonLd::new();
        prop_assert_eq!(jsonld.canonicalize(&signed).unwrap(), jsonld.canonicalize(&reordered).unwrap());
        prop_assert!(verify(reordered.to_string().as_bytes()).verified());
    }

    #[test]
    fn changing_a_claim_fails_the_rdfc_proof(subject in subject(), key in any::<prop::sample::Index>(), replacement in claim()) {
        let mut signed = issue(subject.clone());
        let keys: Vec<&String> = subject.keys().collect();
        let key = keys[key.index(keys.len())].clone();
        prop_assume!(subject[&key] != replacement);
        signed["credentialSubject"][&key] = replacement;
        let report = verify(Value::Object(signed).to_string().as_bytes());
        prop_assert_eq!(report.check(CheckName::Proof).unwrap().code, Some(ErrorCode::ProofSignatureInvalid));
    }

    #[test]
    fn any_byte_flip_fails_rdfc_verification(subject in subject(), position in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let mut bytes = Value::Object(issue(subject)).to_string().into_bytes();
        let i = position.index(bytes.len());
        bytes[i] ^= mask;
        let report = verify(&bytes);
        prop_assert!(!report.verified(), "flipping byte {} with {:#x} still verified", i, mask);
    }

    #[test]
    fn expansion_never_panics(doc in any_json()) {
        let _ = JsonLd::new().to_rdf(&doc);
    }
}

/// Arbitrary JSON whose keys are often JSON-LD keywords and terms.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("@context".to_string()),
        Just("@id".to_string()),
        Just("@type".to_string()),
        Just("@value".to_string()),
        Just("@list".to_string()),
        Just("@graph".to_string()),
        Just("@language".to_string()),
        Just("@vocab".to_string()),
        Just("id".to_string()),
        Just("type".to_string()),
        "[a-z:_/@]{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(V2.to_string()), Just(EXAMPLES.to_string()), "[a-z:_/@#.]{0,12}"].prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5).prop_map(|e| Value::Object(e.into_iter().collect())),
        ]
    })
}

#[test]
fn rdfc_presentations_carry_rdfc_credentials() {
    let holder = Issuer::did_key(Ed25519KeyPair::from_seed(&[13; 32]))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap();
    let mut subject = Map::new();
    subject.insert("id".into(), json!(holder.did()));
    subject.insert("licence".into(), json!("A-1"));
    let credential = issue(subject);
    let unsigned = json!({
        "@context": [V2, EXAMPLES],
        "type": ["VerifiablePresentation"],
        "holder": holder.did(),
        "verifiableCredential": [Value::Object(credential)]
    });
    let presented = holder
        .present(
            unsigned.as_object().unwrap().clone(),
            Some("nonce-1"),
            Some("verifier.example"),
            at(),
        )
        .unwrap()
        .json()
        .clone();
    let mut options = VerifyOptions::at(at());
    options.challenge = Some("nonce-1".into());
    options.domain = Some("verifier.example".into());
    let check = |doc: &Map<String, Value>| {
        Verifier::offline().verify_presentation(Value::Object(doc.clone()).to_string().as_bytes(), &options)
    };
    let report = check(&presented);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));

    // The holder's proof covers the credential inside it (a named graph, with its own proof graph).
    let mut tampered = presented.clone();
    tampered["verifiableCredential"][0]["credentialSubject"]["licence"] = json!("A-2");
    let report = check(&tampered);
    assert_eq!(
        report.check(CheckName::Proof).unwrap().code,
        Some(ErrorCode::ProofSignatureInvalid)
    );
}
