//! Proof chains (`previousProof`, Data Integrity §2.1.2, §4.3, §4.5) made
//! with [`Issuer::add_chained_proof`] and checked by the verifier, for
//! every suite: a chain verifies only when every proof does, its
//! references hold and none comes back on itself.

use passerelle::crypto::{multibase, Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::proof::Cryptosuite;
use passerelle::verify::{CheckName, Outcome};
use passerelle::{Credential, ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const FIRST: &str = "urn:uuid:1b0c6a8e-0e43-4a63-9b0f-6f1d4b2a7c01";
const SECOND: &str = "urn:uuid:1b0c6a8e-0e43-4a63-9b0f-6f1d4b2a7c02";

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn at() -> Timestamp {
    t("2026-03-01T00:00:00Z")
}

/// An issuer of `suite`, with a fixed key.
fn issuer(suite: Cryptosuite) -> Issuer<Box<dyn Signer>> {
    let signer: Box<dyn Signer> = match suite.key_algorithm() {
        passerelle::crypto::KeyAlgorithm::Ed25519 => Box::new(Ed25519KeyPair::from_seed(&[41; 32])),
        _ => Box::new(P256KeyPair::from_secret_bytes(&[42; 32]).unwrap()),
    };
    Issuer::did_key(signer).with_cryptosuite(suite).unwrap()
}

fn unsigned(issuer: &str) -> Map<String, Value> {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject", "name": "Chantier Sud"}
    })
    .as_object()
    .unwrap()
    .clone()
}

/// A three-proof chain: FIRST, SECOND naming FIRST, a third naming both.
fn chain(suite: Cryptosuite) -> Credential {
    let issuer = issuer(suite);
    let first = issuer.issue_with_proof_id(unsigned(issuer.did()), FIRST, at()).unwrap();
    let second = issuer.add_chained_proof(first, &[FIRST], Some(SECOND), at()).unwrap();
    issuer.add_chained_proof(second, &[FIRST, SECOND], None, at()).unwrap()
}

fn verify(document: &Value) -> Report {
    Verifier::offline().verify(document.to_string().as_bytes(), &VerifyOptions::at(at()))
}

fn proof_code(document: &Value) -> Option<ErrorCode> {
    verify(document).check(CheckName::Proof).unwrap().code
}

#[test]
fn a_chain_verifies_with_every_suite() {
    for suite in signing_suites() {
        let chained = chain(*suite);
        let proofs = chained.json()["proof"].as_array().unwrap();
        assert_eq!(proofs.len(), 3, "{suite}");
        assert_eq!(proofs[1]["previousProof"], FIRST, "{suite}: one name is a string");
        assert_eq!(proofs[2]["previousProof"], json!([FIRST, SECOND]), "{suite}");
        let report = verify(&Value::Object(chained.json().clone()));
        assert!(report.verified(), "{suite}: {}", report.render(passerelle::Lang::En));
    }
}

#[test]
fn the_proof_check_names_each_proof_and_what_it_follows() {
    let chained = chain(Cryptosuite::EddsaJcs2022);
    let report = verify(&Value::Object(chained.json().clone()));
    let check = report.check(CheckName::Proof).unwrap();
    let named = |key: &str| -> Vec<String> {
        check
            .evidence
            .iter()
            .filter(|(k, _)| k.name() == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(named("proofId"), vec![FIRST, SECOND]);
    assert_eq!(named("previousProof"), vec![FIRST, FIRST, SECOND]);
    assert_eq!(named("cryptosuite").len(), 3);
}

#[test]
fn a_chain_one_of_whose_proofs_fails_does_not_verify() {
    for suite in signing_suites() {
        let original = Value::Object(chain(*suite).into_json());
        for position in 0..3 {
            let mut broken = original.clone();
            broken["proof"][position]["created"] = "2026-02-01T00:00:00Z".into();
            assert_eq!(
                proof_code(&broken),
                Some(ErrorCode::ProofSignatureInvalid),
                "{suite}: proof {position} changed"
            );
        }
    }
}

/// A change made to a signed document.
type Change = Box<dyn Fn(&mut Value)>;

#[test]
fn dangling_duplicate_and_cyclic_references_are_refused_each_with_its_code() {
    let original = Value::Object(chain(Cryptosuite::EddsaJcs2022).into_json());
    let cases: Vec<(&str, Change, ErrorCode)> = vec![
        (
            "a name no proof has",
            Box::new(|d| d["proof"][2]["previousProof"] = json!([FIRST, "urn:uuid:none"])),
            ErrorCode::ProofReferenceDangling,
        ),
        (
            "the named proof removed",
            Box::new(|d| {
                d["proof"].as_array_mut().unwrap().remove(0);
            }),
            ErrorCode::ProofReferenceDangling,
        ),
        (
            "a proof naming itself",
            Box::new(|d| d["proof"][1]["previousProof"] = SECOND.into()),
            ErrorCode::ProofChainCycle,
        ),
        (
            "two proofs naming each other",
            Box::new(|d| d["proof"][0]["previousProof"] = SECOND.into()),
            ErrorCode::ProofChainCycle,
        ),
        (
            "two proofs with one id",
            Box::new(|d| d["proof"][2]["id"] = FIRST.into()),
            ErrorCode::ProofIdDuplicate,
        ),
        (
            "previousProof not a string",
            Box::new(|d| d["proof"][1]["previousProof"] = json!(7)),
            ErrorCode::ProofMalformed,
        ),
    ];
    for (what, change, code) in cases {
        let mut changed = original.clone();
        change(&mut changed);
        let report = verify(&changed);
        assert!(!report.verified(), "{what}");
        assert_eq!(report.check(CheckName::Proof).unwrap().code, Some(code), "{what}");
    }
}

#[test]
fn adding_a_proof_refuses_a_dangling_name_and_a_taken_id() {
    let issuer = issuer(Cryptosuite::EddsaJcs2022);
    let first = issuer.issue_with_proof_id(unsigned(issuer.did()), FIRST, at()).unwrap();
    let err = issuer
        .add_chained_proof(first.clone(), &["urn:uuid:none"], None, at())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProofReferenceDangling);
    let err = issuer
        .add_chained_proof(first.clone(), &[FIRST], Some(FIRST), at())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProofIdDuplicate);
    let unsecured = Credential::from_json(unsigned(issuer.did())).unwrap();
    let err = issuer.add_chained_proof(unsecured, &[], None, at()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProofMissing);
}

#[test]
fn a_proof_added_without_previous_proof_joins_the_set_independently() {
    let issuer = issuer(Cryptosuite::EddsaRdfc2022);
    let first = issuer.issue(unsigned(issuer.did()), at()).unwrap();
    let set = issuer.add_chained_proof(first, &[], None, at()).unwrap();
    let mut document = Value::Object(set.into_json());
    assert!(document["proof"][1].get("previousProof").is_none());
    assert!(verify(&document).verified());
    // Independent: removing the first proof leaves a verifying document.
    document["proof"].as_array_mut().unwrap().remove(0);
    assert!(verify(&document).verified());
}

/// With rdfc, each proof signs a dataset; the members the verifier reads
/// must still say what was signed, whichever proof is looked at.
#[test]
fn an_rdfc_chain_keeps_the_signed_form_check() {
    let chained = chain(Cryptosuite::EddsaRdfc2022);
    let mut rewritten = chained.json().clone();
    let from = rewritten.shift_remove("validFrom").unwrap();
    rewritten.insert(
        "https://www.w3.org/2018/credentials#validFrom".into(),
        json!({"@value": from, "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}),
    );
    let report = verify(&Value::Object(rewritten));
    assert!(!report.verified());
    // Refused as a spelling the verifier does not read (the data model's
    // rule, before any proof is checked).
    assert_eq!(
        report.failures().first().map(|(_, code)| *code),
        Some(ErrorCode::SignedFormMismatch)
    );
}

/// A proof chain with its signatures decoded, to flip bits in them.
fn flip(document: &mut Value, position: usize, byte: usize, bit: u8) {
    let proof = &mut document["proof"][position];
    let mut signature = multibase::decode(proof["proofValue"].as_str().unwrap()).unwrap();
    let at = byte % signature.len();
    signature[at] ^= 1 << (bit % 8);
    proof["proofValue"] = multibase::encode_base58btc(&signature).into();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any bit flipped in the signature of any proof of a chain fails it.
    #[test]
    fn any_bit_flip_in_any_proof_of_a_chain_fails(
        suite in 0..2usize, position in 0..3usize, byte in 0..64usize, bit in 0..8u8,
    ) {
        let suite = [Cryptosuite::EddsaJcs2022, Cryptosuite::EcdsaJcs2019][suite];
        let mut document = Value::Object(chain(suite).into_json());
        flip(&mut document, position, byte, bit);
        let report = verify(&document);
        prop_assert!(!report.verified());
        prop_assert_eq!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Failed);
    }

    /// Any change to a string member of any proof of a chain fails it.
    #[test]
    fn any_changed_proof_member_of_a_chain_fails(position in 0..3usize, member in 0..6usize) {
        let mut document = Value::Object(chain(Cryptosuite::EddsaJcs2022).into_json());
        let proof = document["proof"][position].as_object_mut().unwrap();
        let keys: Vec<String> = proof
            .iter()
            .filter(|(k, v)| v.is_string() && k.as_str() != "proofValue")
            .map(|(k, _)| k.clone())
            .collect();
        let key = &keys[member % keys.len()];
        let changed = format!("{}x", proof[key].as_str().unwrap());
        proof.insert(key.clone(), changed.into());
        prop_assert!(!verify(&document).verified(), "{} of proof {}", key, position);
    }
}

/// A proof naming earlier proofs signs them in the set's order, each once
/// (Data Integrity §4.3 step 4, §4.5 step 2), whatever order or
/// repetition its `previousProof` list has; the verifier reads them the
/// same way, so such chains verify, and a JCS set reordered after signing
/// does not.
#[test]
fn a_chain_naming_its_proofs_out_of_order_or_twice_verifies() {
    for suite in [Cryptosuite::EddsaJcs2022, Cryptosuite::EddsaRdfc2022] {
        let issuer = issuer(suite);
        let first = issuer.issue_with_proof_id(unsigned(issuer.did()), FIRST, at()).unwrap();
        let second = issuer.add_chained_proof(first, &[FIRST], Some(SECOND), at()).unwrap();
        for names in [&[SECOND, FIRST][..], &[FIRST, FIRST], &[SECOND, FIRST, SECOND]] {
            let chained = issuer.add_chained_proof(second.clone(), names, None, at()).unwrap();
            let report = verify(&Value::Object(chained.json().clone()));
            assert!(
                report.verified(),
                "{suite} {names:?}: {}",
                report.render(passerelle::Lang::En)
            );
        }
        let chained = issuer.add_chained_proof(second, &[FIRST, SECOND], None, at()).unwrap();
        let mut reordered = Value::Object(chained.into_json());
        reordered["proof"].as_array_mut().unwrap().swap(0, 1);
        // JCS signs the proofs as a JSON array, in order; an rdfc proof
        // signs them as RDF, which has no order.
        let expected = (!suite.is_rdfc()).then_some(ErrorCode::ProofSignatureInvalid);
        assert_eq!(proof_code(&reordered), expected, "{suite}");
    }
}

/// The suites whose proof a verifier checks as issued: an ecdsa-sd-2023 proof signs the document alone and cannot join a chain.
fn signing_suites() -> impl Iterator<Item = &'static Cryptosuite> {
    Cryptosuite::ALL.iter().filter(|s| s.as_str() != "ecdsa-sd-2023")
}
