//! ECDSA cases: ecdsa-jcs-2019 credentials (P-256, and P-384 with both
//! suites) from did:key and did:jwk issuers, tampering, suite/key confusion
//! in both directions, and proofs moved between the curves.
//!
//! Signatures are deterministic (RFC 6979), so these files regenerate
//! byte for byte like the Ed25519 ones.

use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, P384KeyPair, Signer};
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

/// A P-384 key with a fixed scalar.
fn p384_key(byte: u8) -> P384KeyPair {
    P384KeyPair::from_secret_bytes(&[byte; 48]).expect("a fixed valid scalar")
}

fn sign_with(doc: &Map<String, Value>, suite: Cryptosuite, key: &dyn Signer, vm: &str) -> Map<String, Value> {
    let opts = options(vm, VerificationRelationship::AssertionMethod);
    add_proof(doc, suite, &opts, key).expect("signing a fixture")
}

/// ECDSA P-384 cases (SHA-384, 96-byte signatures): both suites from did:key
/// (z82…) and did:jwk issuers, tampering, proofs moved between P-256 and
/// P-384 keys, a short signature and a key off the curve.
pub(crate) fn p384_cases(v: &mut Vectors) {
    let key = p384_key(0x38);
    let did = did::key::did_for(&key.public_key());
    let vm = did::key::verification_method_for(&key.public_key());
    let signed = sign_with(&permit(&did), Cryptosuite::EcdsaJcs2019, &key, &vm);
    v.case(
        "ecdsa-p384-valid-did-key",
        "A credential signed with ecdsa-jcs-2019 (P-384, SHA-384) by its did:key (z82…) issuer.",
        &signed,
        &[],
        json!({}),
        VERIFIED,
    );

    let jwk_did = did::jwk::did_for(&key.public_key());
    v.case(
        "ecdsa-p384-valid-did-jwk",
        "Signed with ecdsa-jcs-2019 by a did:jwk issuer (EC P-384 key).",
        &sign_with(
            &permit(&jwk_did),
            Cryptosuite::EcdsaJcs2019,
            &key,
            &format!("{jwk_did}#0"),
        ),
        &[],
        json!({}),
        VERIFIED,
    );

    v.case(
        "ecdsa-rdfc-p384-valid-did-key",
        "A credential signed with ecdsa-rdfc-2019 (P-384: RDFC-1.0 and the proof hashes use SHA-384) by its did:key issuer.",
        &sign_with(&super::rdfc::linked_permit(&did), Cryptosuite::EcdsaRdfc2019, &key, &vm),
        &[],
        json!({}),
        VERIFIED,
    );

    let mut tampered = signed.clone();
    tampered["credentialSubject"]["permitNumber"] = json!("MX-1-235");
    v.case(
        "ecdsa-p384-tampered-subject-value",
        "An ecdsa-jcs-2019 P-384 credential whose subject value changed after signing.",
        &tampered,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    // The P-256 proof moved to a P-384 key, and the other way round.
    let p256 = P256KeyPair::from_secret_bytes(&[0x21; 32]).expect("a fixed valid scalar");
    let p256_did = did::key::did_for(&p256.public_key());
    let p256_vm = did::key::verification_method_for(&p256.public_key());
    let p256_signed = sign_with(&permit(&p256_did), Cryptosuite::EcdsaJcs2019, &p256, &p256_vm);
    for (name, text, from, to_did, to_vm) in [
        (
            "ecdsa-p256-proof-moved-to-p384-key",
            "A P-256 proof (64 bytes) whose issuer and verification method name a P-384 key.",
            &p256_signed,
            &did,
            &vm,
        ),
        (
            "ecdsa-p384-proof-moved-to-p256-key",
            "A P-384 proof (96 bytes) whose issuer and verification method name a P-256 key.",
            &signed,
            &p256_did,
            &p256_vm,
        ),
    ] {
        let mut moved = from.clone();
        moved["issuer"] = json!(to_did);
        moved["proof"]["verificationMethod"] = json!(to_vm);
        v.case(
            name,
            text,
            &moved,
            &[],
            json!({}),
            fails(&[("proof", "PROOF_VALUE_INVALID")]),
        );
    }

    let mut short = signed.clone();
    let value = short["proof"]["proofValue"].as_str().unwrap_or_default().to_owned();
    let bytes = passerelle::crypto::multibase::decode(&value).unwrap_or_default();
    short["proof"]["proofValue"] = json!(passerelle::crypto::multibase::encode_base58btc(&bytes[..95]));
    v.case(
        "ecdsa-p384-signature-95-bytes",
        "An ecdsa-jcs-2019 P-384 proofValue one byte short of r‖s (96 bytes).",
        &short,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_VALUE_INVALID")]),
    );

    // 0x1201 (p384-pub) and a compressed point whose x is past the field prime.
    let mut off_curve = vec![0x81, 0x24, 0x02];
    off_curve.extend_from_slice(&[0xff; 48]);
    let bad = format!(
        "did:key:{}",
        passerelle::crypto::multibase::encode_base58btc(&off_curve)
    );
    let bad_vm = format!("{bad}#{}", &bad["did:key:".len()..]);
    let mut not_a_point = signed.clone();
    not_a_point["issuer"] = json!(bad);
    not_a_point["proof"]["verificationMethod"] = json!(bad_vm);
    v.case(
        "did-key-p384-not-on-curve",
        "The verification method is a P-384 did:key whose bytes are no curve point.",
        &not_a_point,
        &[],
        json!({}),
        fails(&[("proof", "DID_INVALID")]),
    );
}
