//! ECDSA P-256 cases: ecdsa-jcs-2019 credentials from did:key and did:jwk
//! issuers, tampering, and suite/key confusion in both directions.
//!
//! Signatures are deterministic (RFC 6979), so these files regenerate
//! byte for byte like the Ed25519 ones.

use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::did::{self, VerificationRelationship};
use passerelle::proof::{add_proof, Cryptosuite};
use serde_json::{json, Map, Value};

use super::{fails, options, permit, Vectors, VERIFIED};

fn sign(doc: &Map<String, Value>, key: &P256KeyPair, vm: &str) -> Map<String, Value> {
    let opts = options(vm, VerificationRelationship::AssertionMethod);
    add_proof(doc, Cryptosuite::EcdsaJcs2019, &opts, key).expect("signing a fixture")
}

pub(crate) fn ecdsa_cases(v: &mut Vectors) {
    let key = P256KeyPair::from_secret_bytes(&[0x21; 32]).expect("a fixed valid scalar");
    let did = did::key::did_for(&key.public_key());
    let signed = sign(
        &permit(&did),
        &key,
        &did::key::verification_method_for(&key.public_key()),
    );
    v.case(
        "ecdsa-valid-did-key",
        "A credential signed with ecdsa-jcs-2019 (P-256) by its did:key (zDn…) issuer.",
        &signed,
        &[],
        json!({}),
        VERIFIED,
    );

    let jwk_did = did::jwk::did_for(&key.public_key());
    v.case(
        "ecdsa-valid-did-jwk",
        "Signed with ecdsa-jcs-2019 by a did:jwk issuer (EC P-256 key).",
        &sign(&permit(&jwk_did), &key, &format!("{jwk_did}#0")),
        &[],
        json!({}),
        VERIFIED,
    );

    let mut tampered = signed.clone();
    tampered["credentialSubject"]["permitNumber"] = json!("MX-1-235");
    v.case(
        "ecdsa-tampered-subject-value",
        "An ecdsa-jcs-2019 credential whose subject value changed after signing.",
        &tampered,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let mut relabelled = signed.clone();
    relabelled["proof"]["cryptosuite"] = json!("eddsa-jcs-2022");
    v.case(
        "ecdsa-proof-relabelled-eddsa",
        "A P-256 proof whose cryptosuite says eddsa-jcs-2022: the key does not fit the suite.",
        &relabelled,
        &[],
        json!({}),
        fails(&[("proof", "KEY_TYPE_UNSUPPORTED")]),
    );

    let ed_key = Ed25519KeyPair::from_seed(&[1; 32]);
    let ed_did = did::key::did_for(&ed_key.public_key());
    let opts = options(
        &did::key::verification_method_for(&ed_key.public_key()),
        VerificationRelationship::AssertionMethod,
    );
    let mut ed_signed = add_proof(&permit(&ed_did), Cryptosuite::EddsaJcs2022, &opts, &ed_key).expect("fixture");
    ed_signed["proof"]["cryptosuite"] = json!("ecdsa-jcs-2019");
    v.case(
        "eddsa-proof-relabelled-ecdsa",
        "An Ed25519 proof whose cryptosuite says ecdsa-jcs-2019: the key does not fit the suite.",
        &ed_signed,
        &[],
        json!({}),
        fails(&[("proof", "KEY_TYPE_UNSUPPORTED")]),
    );

    v.case(
        "ecdsa-suite-not-accepted",
        "A valid ecdsa-jcs-2019 credential, verified by a verifier that accepts eddsa-jcs-2022 only.",
        &signed,
        &[],
        json!({"cryptosuites": ["eddsa-jcs-2022"]}),
        fails(&[("proof", "CRYPTOSUITE_NOT_ACCEPTED")]),
    );

    let mut short = signed.clone();
    let value = short["proof"]["proofValue"].as_str().unwrap_or_default().to_owned();
    let bytes = passerelle::crypto::multibase::decode(&value).unwrap_or_default();
    short["proof"]["proofValue"] = json!(passerelle::crypto::multibase::encode_base58btc(&bytes[..63]));
    v.case(
        "ecdsa-signature-63-bytes",
        "An ecdsa-jcs-2019 proofValue one byte short of r‖s.",
        &short,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_VALUE_INVALID")]),
    );
}
