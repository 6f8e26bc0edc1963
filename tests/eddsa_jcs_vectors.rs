//! The W3C vc-di-eddsa eddsa-jcs-2022 test vectors, reproduced byte for byte.

mod common;

use passerelle::canon::canonicalize;
use passerelle::crypto::{Ed25519KeyPair, PublicKey, Signer};
use passerelle::did::VerificationRelationship;
use passerelle::json::{parse_object, Limits};
use passerelle::proof::{add_proof, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};

const DIR: &str = "vc-di-eddsa/TestVectors";

fn json(relative: &str) -> Value {
    common::json(&format!("{DIR}/{relative}"))
}

fn key_pair() -> Ed25519KeyPair {
    let pair = json("keyPair.json");
    let key = Ed25519KeyPair::from_secret_multibase(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(key.public_key_multibase(), pair["publicKeyMultibase"].as_str().unwrap());
    key
}

#[test]
fn canonical_forms_and_hashes_match() {
    let unsigned = json("unsigned.json");
    let canon_doc = canonicalize(&unsigned).unwrap();
    assert_eq!(
        canon_doc,
        common::read(&format!("{DIR}/eddsa-jcs-2022/canonDocJCS.txt"))
    );
    assert_eq!(
        common::hex(&Sha256::digest(&canon_doc)),
        common::read_trimmed(&format!("{DIR}/eddsa-jcs-2022/docHashJCS.txt"))
    );

    let proof_canon = canonicalize(&json("eddsa-jcs-2022/proofConfigJCS.json")).unwrap();
    assert_eq!(
        proof_canon,
        common::read(&format!("{DIR}/eddsa-jcs-2022/proofCanonJCS.txt"))
    );
    let proof_hash = Sha256::digest(&proof_canon);
    assert_eq!(
        common::hex(&proof_hash),
        common::read_trimmed(&format!("{DIR}/eddsa-jcs-2022/proofHashJCS.txt"))
    );

    let combined = [proof_hash.as_slice(), Sha256::digest(&canon_doc).as_slice()].concat();
    assert_eq!(
        common::hex(&combined),
        common::read_trimmed(&format!("{DIR}/eddsa-jcs-2022/combinedHashJCS.txt"))
    );

    let signature = key_pair().sign(&combined).unwrap();
    assert_eq!(
        common::hex(&signature),
        common::read_trimmed(&format!("{DIR}/eddsa-jcs-2022/sigHexJCS.txt"))
    );
    assert_eq!(
        passerelle::crypto::multibase::encode_base58btc(&signature),
        common::read_trimmed(&format!("{DIR}/eddsa-jcs-2022/sigBTC58JCS.txt"))
    );
}

#[test]
fn issuing_the_unsigned_document_reproduces_the_signed_one() {
    let config = json("eddsa-jcs-2022/proofConfigJCS.json");
    let options = ProofOptions {
        verification_method: config["verificationMethod"].as_str().unwrap().to_owned(),
        proof_purpose: VerificationRelationship::AssertionMethod,
        created: Some(Timestamp::parse(config["created"].as_str().unwrap()).unwrap()),
        expires: None,
        challenge: None,
        domain: None,
        id: None,
    };
    let unsigned = json("unsigned.json");
    let signed = add_proof(
        unsigned.as_object().unwrap(),
        Cryptosuite::EddsaJcs2022,
        &options,
        &key_pair(),
    )
    .unwrap();
    assert_eq!(Value::Object(signed), json("eddsa-jcs-2022/signedJCS.json"));
}

fn verify_signed(bytes: &[u8]) -> passerelle::Report {
    let at = Timestamp::parse("2040-01-01T00:00:00Z").unwrap();
    Verifier::offline().verify(bytes, &VerifyOptions::at(at))
}

#[test]
fn the_signed_vector_has_a_valid_proof_but_its_issuer_does_not_control_the_key() {
    let report = verify_signed(&common::read(&format!("{DIR}/eddsa-jcs-2022/signedJCS.json")));
    assert_eq!(
        report.check(CheckName::Proof).unwrap().outcome,
        Outcome::Passed,
        "{}",
        report.render(passerelle::Lang::En)
    );
    let binding = report.check(CheckName::KeyBinding).unwrap();
    assert_eq!(binding.outcome, Outcome::Failed);
    assert_eq!(binding.code, Some(ErrorCode::KeyControllerMismatch));
    assert!(!report.verified());
}

#[test]
fn flipping_the_proof_value_or_a_claim_breaks_the_signature() {
    let original = parse_object(
        &common::read(&format!("{DIR}/eddsa-jcs-2022/signedJCS.json")),
        Limits::default(),
    )
    .unwrap();

    let mut tampered = original.clone();
    tampered["credentialSubject"]["alumniOf"] = Value::String("The School of Exampels".into());
    let report = verify_signed(Value::Object(tampered).to_string().as_bytes());
    assert_eq!(
        report.check(CheckName::Proof).unwrap().code,
        Some(ErrorCode::ProofSignatureInvalid)
    );

    let mut flipped = original.clone();
    let value = flipped["proof"]["proofValue"].as_str().unwrap().to_owned();
    let last = if value.ends_with('X') { 'Y' } else { 'X' };
    flipped["proof"]["proofValue"] = Value::String(format!("{}{last}", &value[..value.len() - 1]));
    let report = verify_signed(Value::Object(flipped).to_string().as_bytes());
    let code = report.check(CheckName::Proof).unwrap().code.unwrap();
    assert!(
        matches!(code, ErrorCode::ProofSignatureInvalid | ErrorCode::ProofValueInvalid),
        "{code}"
    );
}

#[test]
fn the_vector_key_decodes_from_its_did() {
    let pair = json("keyPair.json");
    let did = format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap());
    let key: PublicKey = passerelle::did::key::public_key(&did).unwrap();
    assert_eq!(key, key_pair().public_key());
}
