//! The W3C vc-di-ecdsa ecdsa-rdfc-2019 test vectors for P-256 (the alumni
//! credential, and the employment credential with a supplied context).
//! ECDSA signatures there are randomized: canonical forms and hashes are
//! reproduced byte for byte, the published signed documents verify, and
//! our own proofs over the same documents verify.

mod common;

use std::sync::Arc;

use passerelle::crypto::{multibase, P256KeyPair, Signer};
use passerelle::jsonld::JsonLd;
use passerelle::proof::{add_proof_with, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};

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

fn key_pair() -> P256KeyPair {
    let pair = json("p256KeyPair.json");
    P256KeyPair::from_secret_multibase(pair["secretKeyMultibase"].as_str().unwrap()).unwrap()
}

const PIPELINES: [(&str, &str); 2] = [
    ("unsigned.json", "ecdsa-rdfc-2019-p256"),
    ("employmentAuth.json", "ecdsa-rdfc-2019-p256/employ"),
];

#[test]
fn canonical_forms_hashes_and_published_signatures_match() {
    let jsonld = jsonld();
    for (unsigned, dir) in PIPELINES {
        let doc = jsonld.canonicalize(&json(unsigned)).unwrap();
        assert_eq!(doc, text(&format!("{dir}/canonDocECDSAP256.txt")), "{dir}");
        assert_eq!(
            common::hex(&Sha256::digest(doc.as_bytes())),
            text(&format!("{dir}/docHashECDSAP256.txt")).trim()
        );
        let proof = jsonld
            .canonicalize(&json(&format!("{dir}/proofConfigECDSAP256.json")))
            .unwrap();
        assert_eq!(proof, text(&format!("{dir}/proofCanonECDSAP256.txt")), "{dir}");
        let combined = [
            Sha256::digest(proof.as_bytes()).as_slice(),
            Sha256::digest(doc.as_bytes()).as_slice(),
        ]
        .concat();
        assert_eq!(
            common::hex(&combined),
            text(&format!("{dir}/combinedHashECDSAP256.txt")).trim()
        );

        let published = common::unhex(text(&format!("{dir}/sigHexECDSAP256.txt")).trim());
        assert_eq!(
            multibase::encode_base58btc(&published),
            text(&format!("{dir}/sigBTC58ECDSAP256.txt")).trim()
        );
        key_pair().public_key().verify(&combined, &published).unwrap();
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
    for (_, dir) in PIPELINES {
        let signed = json(&format!("{dir}/signedECDSAP256.json"));
        assert_eq!(proof_check(&signed), (Outcome::Passed, None), "{dir}");
        let mut tampered = signed.clone();
        tampered["validFrom"] = "2019-12-03T00:00:01Z".into();
        assert_eq!(
            proof_check(&tampered).1,
            Some(ErrorCode::ProofSignatureInvalid),
            "{dir}"
        );
        // Algorithm confusion: the P-256 proof presented as eddsa-rdfc-2022.
        let mut confused = signed.clone();
        confused["proof"]["cryptosuite"] = "eddsa-rdfc-2022".into();
        assert_eq!(proof_check(&confused).1, Some(ErrorCode::KeyTypeUnsupported), "{dir}");
    }
}

#[test]
fn our_proof_matches_the_published_one_but_its_value_and_verifies() {
    let jsonld = jsonld();
    for (unsigned, dir) in PIPELINES {
        let config = json(&format!("{dir}/proofConfigECDSAP256.json"));
        let options = ProofOptions::assertion(
            config["verificationMethod"].as_str().unwrap(),
            Timestamp::parse(config["created"].as_str().unwrap()).unwrap(),
        );
        let mut ours = add_proof_with(
            json(unsigned).as_object().unwrap(),
            Cryptosuite::EcdsaRdfc2019,
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
        let mut published = json(&format!("{dir}/signedECDSAP256.json"));
        ours["proof"].as_object_mut().unwrap().remove("proofValue");
        published["proof"].as_object_mut().unwrap().remove("proofValue");
        assert_eq!(Value::Object(ours), published, "{dir}");
    }
}
