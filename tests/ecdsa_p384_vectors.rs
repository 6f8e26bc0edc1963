//! The W3C vc-di-ecdsa P-384 test vectors, for ecdsa-jcs-2019 and
//! ecdsa-rdfc-2019 (the alumni credential, and the employment credential
//! with a supplied context). P-384 hashes with SHA-384 (48-byte hashes,
//! 96 bytes of hash data; for ecdsa-rdfc-2019 RDFC-1.0 itself uses SHA-384,
//! which labels the employment credential's blank nodes differently) and
//! signs `r‖s` in 96 bytes. ECDSA signatures
//! there are randomized: the canonical forms and hashes are reproduced byte
//! for byte, the published signatures and signed documents verify, and our
//! own (deterministic, low-s) proofs over the same documents verify.

mod common;

use std::sync::Arc;

use passerelle::canon::canonicalize;
use passerelle::canon::rdfc::HashAlgorithm;
use passerelle::crypto::{multibase, KeyAlgorithm, P384KeyPair, PublicKey, Signer};
use passerelle::jsonld::JsonLd;
use passerelle::proof::{add_proof_with, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};
use serde_json::Value;
use sha2::{Digest, Sha384};

const DIR: &str = "vc-di-ecdsa/TestVectors";

fn json(relative: &str) -> Value {
    common::json(&format!("{DIR}/{relative}"))
}

fn text(relative: &str) -> String {
    common::text(&format!("{DIR}/{relative}"))
}

fn jsonld() -> JsonLd {
    JsonLd::new().with_loader(common::citizenship_context())
}

fn key_pair() -> P384KeyPair {
    let pair = json("p384KeyPair.json");
    let key = P384KeyPair::from_secret_multibase(pair["secretKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(key.public_key_multibase(), pair["publicKeyMultibase"].as_str().unwrap());
    key
}

/// (unsigned document, pipeline folder, file suffix, suite).
const PIPELINES: [(&str, &str, &str, Cryptosuite); 3] = [
    (
        "unsigned.json",
        "ecdsa-jcs-2019-p384",
        "JCSECDSAP384",
        Cryptosuite::EcdsaJcs2019,
    ),
    (
        "unsigned.json",
        "ecdsa-rdfc-2019-p384",
        "ECDSAP384",
        Cryptosuite::EcdsaRdfc2019,
    ),
    (
        "employmentAuth.json",
        "ecdsa-rdfc-2019-p384/employ",
        "ECDSAP384",
        Cryptosuite::EcdsaRdfc2019,
    ),
];

fn canonical(suite: Cryptosuite, value: &Value) -> String {
    if suite.is_rdfc() {
        // §3.2: RDFC-1.0 itself hashes with SHA-384 for a P-384 key.
        jsonld().canonicalize_with_hash(value, HashAlgorithm::Sha384).unwrap()
    } else {
        String::from_utf8(canonicalize(value).unwrap()).unwrap()
    }
}

#[test]
fn canonical_forms_and_sha384_hashes_match_byte_for_byte() {
    for (unsigned, dir, suffix, suite) in PIPELINES {
        let doc = canonical(suite, &json(unsigned));
        assert_eq!(doc, text(&format!("{dir}/canonDoc{suffix}.txt")), "{dir}");
        let doc_hash = Sha384::digest(doc.as_bytes());
        assert_eq!(doc_hash.len(), 48);
        assert_eq!(
            common::hex(&doc_hash),
            text(&format!("{dir}/docHash{suffix}.txt")).trim(),
            "{dir}"
        );
        let proof = canonical(suite, &json(&format!("{dir}/proofConfig{suffix}.json")));
        assert_eq!(proof, text(&format!("{dir}/proofCanon{suffix}.txt")), "{dir}");
        let proof_hash = Sha384::digest(proof.as_bytes());
        assert_eq!(
            common::hex(&proof_hash),
            text(&format!("{dir}/proofHash{suffix}.txt")).trim(),
            "{dir}"
        );
        let combined = [proof_hash.as_slice(), doc_hash.as_slice()].concat();
        assert_eq!(combined.len(), 96);
        assert_eq!(
            common::hex(&combined),
            text(&format!("{dir}/combinedHash{suffix}.txt")).trim(),
            "{dir}"
        );
    }
}

/// Our SHA-384 hash data for a pipeline (proof hash first), checked
/// against the published combined hash.
#[test]
fn rdfc_with_sha256_would_label_the_employment_credential_otherwise() {
    let dir = "ecdsa-rdfc-2019-p384/employ";
    let sha256 = jsonld().canonicalize(&json("employmentAuth.json")).unwrap();
    assert_ne!(sha256, text(&format!("{dir}/canonDocECDSAP384.txt")));
    let sha384 = canonical(Cryptosuite::EcdsaRdfc2019, &json("employmentAuth.json"));
    assert_eq!(sha384, text(&format!("{dir}/canonDocECDSAP384.txt")));
}

fn combined_hash(unsigned: &str, dir: &str, suffix: &str, suite: Cryptosuite) -> Vec<u8> {
    let doc = canonical(suite, &json(unsigned));
    let proof = canonical(suite, &json(&format!("{dir}/proofConfig{suffix}.json")));
    let combined = [
        Sha384::digest(proof.as_bytes()).as_slice(),
        Sha384::digest(doc.as_bytes()).as_slice(),
    ]
    .concat();
    assert_eq!(
        common::hex(&combined),
        text(&format!("{dir}/combinedHash{suffix}.txt")).trim(),
        "{dir}"
    );
    combined
}

#[test]
fn the_published_96_byte_signatures_verify_and_ours_too() {
    let key = key_pair();
    for (unsigned, dir, suffix, suite) in PIPELINES {
        let combined = combined_hash(unsigned, dir, suffix, suite);
        let published = common::unhex(text(&format!("{dir}/sigHex{suffix}.txt")).trim());
        assert_eq!(published.len(), 96, "{dir}");
        assert_eq!(
            multibase::encode_base58btc(&published),
            text(&format!("{dir}/sigBTC58{suffix}.txt")).trim(),
            "{dir}"
        );
        key.public_key().verify(&combined, &published).unwrap();
        let ours = key.sign(&combined).unwrap();
        assert_eq!(ours.len(), 96);
        assert_eq!(key.sign(&combined).unwrap(), ours, "RFC 6979: deterministic");
        key.public_key().verify(&combined, &ours).unwrap();
        let mut other = combined.clone();
        other[0] ^= 1;
        assert_eq!(
            key.public_key().verify(&other, &published).unwrap_err().code(),
            ErrorCode::ProofSignatureInvalid,
            "{dir}"
        );
    }
}

fn proof_check(document: &Value) -> (Outcome, Option<ErrorCode>) {
    let at = Timestamp::parse("2040-01-01T00:00:00Z").unwrap();
    let verifier = Verifier::offline().with_contexts(Arc::new(jsonld()));
    let report = verifier.verify(document.to_string().as_bytes(), &VerifyOptions::at(at));
    let check = report.check(CheckName::Proof).unwrap();
    (check.outcome, check.code)
}

#[test]
fn the_signed_vectors_verify_and_tampering_fails() {
    for (_, dir, suffix, suite) in PIPELINES {
        let signed = json(&format!("{dir}/signed{suffix}.json"));
        assert_eq!(signed["proof"]["cryptosuite"], suite.as_str());
        assert_eq!(proof_check(&signed), (Outcome::Passed, None), "{dir}");
        let mut tampered = signed.clone();
        tampered["validFrom"] = "2019-12-03T00:00:01Z".into();
        assert_eq!(
            proof_check(&tampered).1,
            Some(ErrorCode::ProofSignatureInvalid),
            "{dir}"
        );
        // Algorithm confusion: the P-384 proof presented as an eddsa suite.
        let mut confused = signed.clone();
        let eddsa = if suite.is_rdfc() {
            "eddsa-rdfc-2022"
        } else {
            "eddsa-jcs-2022"
        };
        confused["proof"]["cryptosuite"] = eddsa.into();
        assert_eq!(proof_check(&confused).1, Some(ErrorCode::KeyTypeUnsupported), "{dir}");
    }
}

#[test]
fn our_proof_matches_the_published_one_but_its_value_and_verifies() {
    let jsonld = jsonld();
    for (unsigned, dir, suffix, suite) in PIPELINES {
        let config = json(&format!("{dir}/proofConfig{suffix}.json"));
        let options = ProofOptions::assertion(
            config["verificationMethod"].as_str().unwrap(),
            Timestamp::parse(config["created"].as_str().unwrap()).unwrap(),
        );
        let mut ours = add_proof_with(
            json(unsigned).as_object().unwrap(),
            suite,
            &options,
            &key_pair(),
            &jsonld,
        )
        .unwrap();
        assert_eq!(
            proof_check(&Value::Object(ours.clone())),
            (Outcome::Passed, None),
            "{dir}"
        );
        let value = multibase::decode(ours["proof"]["proofValue"].as_str().unwrap()).unwrap();
        assert_eq!(value.len(), 96, "{dir}");
        let mut published = json(&format!("{dir}/signed{suffix}.json"));
        ours["proof"].as_object_mut().unwrap().remove("proofValue");
        published["proof"].as_object_mut().unwrap().remove("proofValue");
        assert_eq!(Value::Object(ours), published, "{dir}");
    }
}

#[test]
fn the_vector_key_decodes_from_its_did_and_as_a_jwk() {
    let pair = json("p384KeyPair.json");
    let multikey = pair["publicKeyMultibase"].as_str().unwrap();
    assert!(multikey.starts_with("z82"));
    let did = format!("did:key:{multikey}");
    let key: PublicKey = passerelle::did::key::public_key(&did).unwrap();
    assert_eq!(key, key_pair().public_key());
    assert_eq!(key.algorithm(), KeyAlgorithm::P384);
    assert_eq!(key.algorithm().to_string(), "P-384");
    assert_eq!(key.as_bytes().len(), 49);
    let jwk = key.to_jwk();
    assert_eq!(jwk["crv"], "P-384");
    assert_eq!(passerelle::crypto::jwk::public_key(&jwk).unwrap(), key);
    assert_eq!(PublicKey::from_multikey(multikey).unwrap(), key);
}
