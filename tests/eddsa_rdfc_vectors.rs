//! The W3C vc-di-eddsa eddsa-rdfc-2022 test vectors (the alumni credential
//! and the employment credential, which needs a context that is not
//! bundled), reproduced byte for byte.

mod common;

use std::sync::Arc;

use passerelle::crypto::{multibase, Ed25519KeyPair, Signer};
use passerelle::proof::{add_proof_with, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};

use passerelle::jsonld::JsonLd;
use serde_json::Value;
use sha2::{Digest, Sha256};

const DIR: &str = "vc-di-eddsa/TestVectors";

fn json(relative: &str) -> Value {
    common::json(&format!("{DIR}/{relative}"))
}

fn text(relative: &str) -> String {
    common::text(&format!("{DIR}/{relative}"))
}

/// The citizenship context the employment vector uses, supplied the way a
/// user adds a context: through a loader.
fn with_citizenship() -> JsonLd {
    JsonLd::new().with_loader(common::citizenship_context())
}

fn check_pipeline(jsonld: &JsonLd, unsigned: &str, dir: &str) {
    let doc = jsonld.canonicalize(&json(unsigned)).unwrap();
    assert_eq!(
        doc,
        text(&format!("{dir}/canonDocDataInt.txt")),
        "{dir}: canonical document"
    );
    assert_eq!(
        common::hex(&Sha256::digest(doc.as_bytes())),
        text(&format!("{dir}/docHashDataInt.txt")).trim()
    );
    let proof = jsonld
        .canonicalize(&json(&format!("{dir}/proofConfigDataInt.json")))
        .unwrap();
    assert_eq!(
        proof,
        text(&format!("{dir}/proofCanonDataInt.txt")),
        "{dir}: canonical proof configuration"
    );
    assert_eq!(
        common::hex(&Sha256::digest(proof.as_bytes())),
        text(&format!("{dir}/proofHashDataInt.txt")).trim()
    );
}

#[test]
fn alumni_canonical_forms_and_hashes_match() {
    check_pipeline(&JsonLd::new(), "unsigned.json", "eddsa-rdfc-2022");
}

#[test]
fn employment_canonical_forms_and_hashes_match() {
    check_pipeline(&with_citizenship(), "employmentAuth.json", "eddsa-rdfc-2022/employ");
}

#[test]
fn employment_context_is_unknown_without_its_loader() {
    let err = JsonLd::new().canonicalize(&json("employmentAuth.json")).unwrap_err();
    assert_eq!(err.code().as_str(), "CONTEXT_UNKNOWN");
}

fn key_pair() -> Ed25519KeyPair {
    let pair = json("keyPair.json");
    Ed25519KeyPair::from_secret_multibase(pair["privateKeyMultibase"].as_str().unwrap()).unwrap()
}

fn options_of(config: &Value) -> ProofOptions {
    let mut options = ProofOptions::assertion(
        config["verificationMethod"].as_str().unwrap(),
        Timestamp::parse(config["created"].as_str().unwrap()).unwrap(),
    );
    options.id = config.get("id").and_then(Value::as_str).map(str::to_owned);
    options
}

fn check_signature(jsonld: &JsonLd, unsigned: &str, dir: &str) {
    let doc = Sha256::digest(jsonld.canonicalize(&json(unsigned)).unwrap().as_bytes());
    let proof = Sha256::digest(
        jsonld
            .canonicalize(&json(&format!("{dir}/proofConfigDataInt.json")))
            .unwrap()
            .as_bytes(),
    );
    let combined = [proof.as_slice(), doc.as_slice()].concat();
    assert_eq!(
        common::hex(&combined),
        text(&format!("{dir}/combinedHashDataInt.txt")).trim()
    );
    let signature = key_pair().sign(&combined).unwrap();
    assert_eq!(
        common::hex(&signature),
        text(&format!("{dir}/sigHexDataInt.txt")).trim()
    );
    assert_eq!(
        multibase::encode_base58btc(&signature),
        text(&format!("{dir}/sigBTC58DataInt.txt")).trim()
    );
    // Issuing through the library gives the published secured document.
    let signed = add_proof_with(
        json(unsigned).as_object().unwrap(),
        Cryptosuite::EddsaRdfc2022,
        &options_of(&json(&format!("{dir}/proofConfigDataInt.json"))),
        &key_pair(),
        jsonld,
    )
    .unwrap();
    assert_eq!(Value::Object(signed), json(&format!("{dir}/signedDataInt.json")));
}

#[test]
fn alumni_signature_and_signed_document_match() {
    check_signature(&JsonLd::new(), "unsigned.json", "eddsa-rdfc-2022");
}

#[test]
fn employment_signature_and_signed_document_match() {
    check_signature(&with_citizenship(), "employmentAuth.json", "eddsa-rdfc-2022/employ");
}

fn verifier() -> Verifier {
    Verifier::offline().with_contexts(Arc::new(with_citizenship()))
}

fn verify(document: &Value) -> passerelle::Report {
    let at = Timestamp::parse("2040-01-01T00:00:00Z").unwrap();
    verifier().verify(document.to_string().as_bytes(), &VerifyOptions::at(at))
}

/// The vectors' issuer (`https://vc.example/issuers/5678`) is not the key's
/// DID, so the proof is valid but the report is not verified: the proof
/// check is what these tests look at.
fn proof_outcome(document: &Value) -> (Outcome, Option<ErrorCode>) {
    let report = verify(document);
    let check = report.check(CheckName::Proof).unwrap();
    (check.outcome, check.code)
}

#[test]
fn the_signed_vectors_verify() {
    for path in [
        "eddsa-rdfc-2022/signedDataInt.json",
        "eddsa-rdfc-2022/employ/signedDataInt.json",
    ] {
        let signed = json(path);
        assert_eq!(proof_outcome(&signed), (Outcome::Passed, None), "{path}");
        let report = verify(&signed);
        assert_eq!(
            report.check(CheckName::KeyBinding).unwrap().code,
            Some(ErrorCode::KeyControllerMismatch)
        );
    }
}

#[test]
fn the_proof_set_and_chain_vectors_verify() {
    for path in [
        "proof-set-chain/signedProofSet1.json",
        "proof-set-chain/signedProofSet2.json",
        "proof-set-chain/signedProofChain1.json",
        "proof-set-chain/signedProofChain2.json",
    ] {
        assert_eq!(proof_outcome(&json(path)), (Outcome::Passed, None), "{path}");
    }
}

/// The chain vectors' keys (keyPair1–4 of `multiKeyPairs.json`).
fn multi_key(name: &str) -> Ed25519KeyPair {
    let pairs = json("proof-set-chain/multiKeyPairs.json");
    Ed25519KeyPair::from_secret_multibase(pairs[name]["privateKeyMultibase"].as_str().unwrap()).unwrap()
}

/// Adding each chain proof through the library, from the previous step's
/// published document and the published proof configuration, gives the
/// published chain byte for byte (the signature is deterministic).
#[test]
fn adding_the_chain_proofs_gives_the_published_chains() {
    for (from, config, key, expected) in [
        ("signedProofSet2", "proofChainConfig1", "keyPair3", "signedProofChain1"),
        (
            "signedProofChain1",
            "proofChainConfig2",
            "keyPair4",
            "signedProofChain2",
        ),
    ] {
        let config = json(&format!("proof-set-chain/{config}.json"));
        let previous: Vec<&str> = match &config["previousProof"] {
            Value::String(id) => vec![id.as_str()],
            Value::Array(ids) => ids.iter().map(|id| id.as_str().unwrap()).collect(),
            other => panic!("previousProof {other}"),
        };
        let chained = passerelle::proof::add_proof_to_set_with(
            json(&format!("proof-set-chain/{from}.json")).as_object().unwrap(),
            Cryptosuite::EddsaRdfc2022,
            &options_of(&config),
            &previous,
            &multi_key(key),
            &JsonLd::new(),
        )
        .unwrap();
        assert_eq!(
            Value::Object(chained),
            json(&format!("proof-set-chain/{expected}.json")),
            "{expected}"
        );
    }
}

#[test]
fn a_chain_whose_earlier_proof_is_altered_or_removed_does_not_verify() {
    let chain = json("proof-set-chain/signedProofChain2.json");
    // The second proof of the set is named by the third: a changed value
    // fails the second proof's own signature and the third's.
    let mut altered = chain.clone();
    altered["proof"][1]["created"] = "2023-02-24T23:36:39Z".into();
    assert_eq!(proof_outcome(&altered).1, Some(ErrorCode::ProofSignatureInvalid));
    // Removing the first proof leaves the third naming nothing.
    let mut removed = chain.clone();
    removed["proof"].as_array_mut().unwrap().remove(0);
    assert_eq!(proof_outcome(&removed).1, Some(ErrorCode::ProofReferenceDangling));
    // The last proof alone, moved to name another id, no longer verifies.
    let mut renamed = chain;
    renamed["proof"][3]["previousProof"] = "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544".into();
    assert_eq!(proof_outcome(&renamed).1, Some(ErrorCode::ProofSignatureInvalid));
}

/// A change made to a signed document.
type Change = Box<dyn Fn(&mut Value)>;

#[test]
fn tampering_breaks_the_signature() {
    let original = json("eddsa-rdfc-2022/signedDataInt.json");
    let cases: Vec<(&str, Change, ErrorCode)> = vec![
        (
            "claim",
            Box::new(|d| d["credentialSubject"]["alumniOf"] = "The School of Exampels".into()),
            ErrorCode::ProofSignatureInvalid,
        ),
        (
            "type",
            Box::new(|d| d["type"][1] = "ExampleDegreeCredential".into()),
            ErrorCode::ProofSignatureInvalid,
        ),
        (
            "created",
            Box::new(|d| d["proof"]["created"] = "2023-02-24T23:36:39Z".into()),
            ErrorCode::ProofSignatureInvalid,
        ),
        (
            "suite",
            Box::new(|d| d["proof"]["cryptosuite"] = "eddsa-jcs-2022".into()),
            ErrorCode::ProofSignatureInvalid,
        ),
        (
            "added claim",
            Box::new(|d| d["credentialSubject"]["name"] = "Alice".into()),
            ErrorCode::ProofSignatureInvalid,
        ),
        (
            "undefined term",
            Box::new(|d| d["@context"] = serde_json::json!(["https://www.w3.org/ns/credentials/v2"])),
            ErrorCode::TermUndefined,
        ),
        (
            "unknown context",
            Box::new(|d| d["@context"][1] = "https://example.org/unknown/v1".into()),
            ErrorCode::ContextUnknown,
        ),
    ];
    for (name, change, expected) in cases {
        let mut tampered = original.clone();
        change(&mut tampered);
        // The proof's own @context must still prefix the document's, or the
        // failure would be a context mismatch instead.
        if let Some(doc_context) = tampered.get("@context").cloned() {
            tampered["proof"]["@context"] = doc_context;
        }
        assert_eq!(proof_outcome(&tampered).1, Some(expected), "{name}");
    }
}

#[test]
fn reordering_properties_keeps_the_signature() {
    // RDFC hashes the graph, not the JSON text: key order and arrays of one are irrelevant.
    let original = json("eddsa-rdfc-2022/signedDataInt.json");
    let mut reordered = serde_json::Map::new();
    let map = original.as_object().unwrap();
    for key in map.keys().rev() {
        reordered.insert(key.clone(), map[key].clone());
    }
    reordered["credentialSubject"] = serde_json::json!({
        "alumniOf": "The School of Examples",
        "id": "did:example:abcdefgh"
    });
    assert_eq!(proof_outcome(&Value::Object(reordered)), (Outcome::Passed, None));
}
