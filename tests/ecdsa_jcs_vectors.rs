//! The W3C vc-di-ecdsa ecdsa-jcs-2019 test vectors for P-256. ECDSA
//! signatures there are randomized, so the canonical forms and hashes are
//! reproduced byte for byte, the published signature is verified, and our
//! own (deterministic, low-s) signature over the same hash data verifies.

mod common;

use common::json;
use passerelle::canon::canonicalize;
use passerelle::crypto::{P256KeyPair, PublicKey, Signer};
use passerelle::did::VerificationRelationship;
use passerelle::json::{parse_object, Limits};
use passerelle::proof::{add_proof, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};

const DIR: &str = "vc-di-ecdsa/TestVectors";
const SUITE: &str = "vc-di-ecdsa/TestVectors/ecdsa-jcs-2019-p256";

fn key_pair() -> P256KeyPair {
    let pair = json(&format!("{DIR}/p256KeyPair.json"));
    let key = P256KeyPair::from_secret_multibase(pair["secretKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(key.public_key_multibase(), pair["publicKeyMultibase"].as_str().unwrap());
    key
}

fn combined_hash() -> Vec<u8> {
    let canon_doc = canonicalize(&json(&format!("{DIR}/unsigned.json"))).unwrap();
    let proof_canon = canonicalize(&json(&format!("{SUITE}/proofConfigJCSECDSAP256.json"))).unwrap();
    [
        Sha256::digest(&proof_canon).as_slice(),
        Sha256::digest(&canon_doc).as_slice(),
    ]
    .concat()
}

#[test]
fn canonical_forms_and_hashes_match() {
    let canon_doc = canonicalize(&json(&format!("{DIR}/unsigned.json"))).unwrap();
    assert_eq!(canon_doc, common::read(&format!("{SUITE}/canonDocJCSECDSAP256.txt")));
    assert_eq!(
        common::hex(&Sha256::digest(&canon_doc)),
        common::read_trimmed(&format!("{SUITE}/docHashJCSECDSAP256.txt"))
    );
    let proof_canon = canonicalize(&json(&format!("{SUITE}/proofConfigJCSECDSAP256.json"))).unwrap();
    assert_eq!(
        proof_canon,
        common::read(&format!("{SUITE}/proofCanonJCSECDSAP256.txt"))
    );
    assert_eq!(
        common::hex(&Sha256::digest(&proof_canon)),
        common::read_trimmed(&format!("{SUITE}/proofHashJCSECDSAP256.txt"))
    );
    assert_eq!(
        common::hex(&combined_hash()),
        common::read_trimmed(&format!("{SUITE}/combinedHashJCSECDSAP256.txt"))
    );
}

#[test]
fn the_published_signature_verifies_and_ours_too() {
    let published = common::read_trimmed(&format!("{SUITE}/sigHexJCSECDSAP256.txt"));
    let published = common::unhex(&published);
    assert_eq!(
        passerelle::crypto::multibase::encode_base58btc(&published),
        common::read_trimmed(&format!("{SUITE}/sigBTC58JCSECDSAP256.txt"))
    );
    let key = key_pair();
    key.public_key().verify(&combined_hash(), &published).unwrap();
    let ours = key.sign(&combined_hash()).unwrap();
    key.public_key().verify(&combined_hash(), &ours).unwrap();
    let mut other = combined_hash();
    other[0] ^= 1;
    assert_eq!(
        key.public_key().verify(&other, &published).unwrap_err().code(),
        ErrorCode::ProofSignatureInvalid
    );
}

fn verify_signed(bytes: &[u8]) -> passerelle::Report {
    let at = Timestamp::parse("2040-01-01T00:00:00Z").unwrap();
    Verifier::offline().verify(bytes, &VerifyOptions::at(at))
}

#[test]
fn the_signed_vector_has_a_valid_proof_but_its_issuer_does_not_control_the_key() {
    let report = verify_signed(&common::read(&format!("{SUITE}/signedJCSECDSAP256.json")));
    let proof = report.check(CheckName::Proof).unwrap();
    assert_eq!(
        proof.outcome,
        Outcome::Passed,
        "{}",
        report.render(passerelle::Lang::En)
    );
    assert!(proof
        .evidence
        .iter()
        .any(|(k, v)| k.name() == "cryptosuite" && v == "ecdsa-jcs-2019"));
    let binding = report.check(CheckName::KeyBinding).unwrap();
    assert_eq!(binding.code, Some(ErrorCode::KeyControllerMismatch));
    assert!(!report.verified());
}

#[test]
fn adding_a_proof_to_the_unsigned_document_gives_the_published_proof_but_its_value() {
    let config = json(&format!("{SUITE}/proofConfigJCSECDSAP256.json"));
    let options = ProofOptions {
        verification_method: config["verificationMethod"].as_str().unwrap().to_owned(),
        proof_purpose: VerificationRelationship::AssertionMethod,
        created: Some(Timestamp::parse(config["created"].as_str().unwrap()).unwrap()),
        expires: None,
        challenge: None,
        domain: None,
        id: None,
    };
    let unsigned = json(&format!("{DIR}/unsigned.json"));
    let mut signed = add_proof(
        unsigned.as_object().unwrap(),
        Cryptosuite::EcdsaJcs2019,
        &options,
        &key_pair(),
    )
    .unwrap();
    let mut published = json(&format!("{SUITE}/signedJCSECDSAP256.json"));
    // Same document and proof configuration; the signature differs (ECDSA is randomized there).
    let ours = signed["proof"].as_object_mut().unwrap().remove("proofValue").unwrap();
    published["proof"].as_object_mut().unwrap().remove("proofValue");
    assert_eq!(Value::Object(signed.clone()), published);
    signed["proof"]["proofValue"] = ours;
    let report = verify_signed(Value::Object(signed).to_string().as_bytes());
    assert_eq!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Passed);
}

#[test]
fn tampering_and_suite_confusion_fail() {
    let original = parse_object(
        &common::read(&format!("{SUITE}/signedJCSECDSAP256.json")),
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

    // The P-256 proof relabelled as eddsa-jcs-2022: the key does not fit the suite.
    let mut relabelled = original.clone();
    relabelled["proof"]["cryptosuite"] = Value::String("eddsa-jcs-2022".into());
    let report = verify_signed(Value::Object(relabelled).to_string().as_bytes());
    assert_eq!(
        report.check(CheckName::Proof).unwrap().code,
        Some(ErrorCode::KeyTypeUnsupported)
    );

    // A verifier that accepts only eddsa-jcs-2022 refuses the ECDSA proof.
    let at = Timestamp::parse("2040-01-01T00:00:00Z").unwrap();
    let mut only_eddsa = VerifyOptions::at(at);
    only_eddsa.cryptosuites = vec![Cryptosuite::EddsaJcs2022];
    let bytes = Value::Object(original).to_string();
    let report = Verifier::offline().verify(bytes.as_bytes(), &only_eddsa);
    assert_eq!(
        report.check(CheckName::Proof).unwrap().code,
        Some(ErrorCode::CryptosuiteNotAccepted)
    );
}

#[test]
fn the_vector_key_decodes_from_its_did_and_as_a_jwk() {
    let pair = json(&format!("{DIR}/p256KeyPair.json"));
    let did = format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap());
    let key: PublicKey = passerelle::did::key::public_key(&did).unwrap();
    assert_eq!(key, key_pair().public_key());
    assert_eq!(passerelle::crypto::jwk::public_key(&key.to_jwk()).unwrap(), key);
}
