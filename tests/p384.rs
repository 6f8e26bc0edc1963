//! P-384 end to end: ecdsa-jcs-2019 and ecdsa-rdfc-2019 credentials issued
//! with P-384 keys via did:key and did:jwk verify; any byte flip fails;
//! proofs moved between P-256 and P-384 keys, or hashed with the other
//! curve's hash, are refused; malformed P-384 keys are refused with a code.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use passerelle::canon::canonicalize;
use passerelle::crypto::{jwk, multibase, KeyAlgorithm, P256KeyPair, P384KeyPair, PublicKey, Signer};
use passerelle::proof::Cryptosuite;
use passerelle::verify::{CheckName, Outcome};
use passerelle::{did, ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

const SUITES: [Cryptosuite; 2] = [Cryptosuite::EcdsaJcs2019, Cryptosuite::EcdsaRdfc2019];

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T10:00:00Z").unwrap()
}

fn p384() -> P384KeyPair {
    P384KeyPair::from_secret_bytes(&[0x38; 48]).unwrap()
}

fn p256() -> P256KeyPair {
    P256KeyPair::from_secret_bytes(&[0x25; 32]).unwrap()
}

fn unsigned(issuer: &str) -> Map<String, Value> {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:holder", "name": "Émilie Tremblay"}
    })
    .as_object()
    .unwrap()
    .clone()
}

fn issue_with<S: Signer>(issuer: Issuer<S>, suite: Cryptosuite) -> Map<String, Value> {
    let issuer = issuer.with_cryptosuite(suite).unwrap();
    issuer.issue(unsigned(issuer.did()), at()).unwrap().into_json()
}

fn did_jwk_issuer<S: Signer>(key: S) -> Issuer<S> {
    let vm = format!("{}#0", did::jwk::did_for(&key.public_key()));
    Issuer::new(key, vm).unwrap()
}

fn report(document: &Value) -> passerelle::Report {
    Verifier::offline().verify(document.to_string().as_bytes(), &VerifyOptions::at(at()))
}

fn proof_code(document: &Value) -> Option<ErrorCode> {
    report(document).check(CheckName::Proof).unwrap().code
}

fn proof_value(document: &Map<String, Value>) -> Vec<u8> {
    multibase::decode(document["proof"]["proofValue"].as_str().unwrap()).unwrap()
}

#[test]
fn p384_credentials_round_trip_with_both_suites_via_did_key_and_did_jwk() {
    for suite in SUITES {
        for (method, vc) in [
            ("did:key", issue_with(Issuer::did_key(p384()), suite)),
            ("did:jwk", issue_with(did_jwk_issuer(p384()), suite)),
        ] {
            assert_eq!(vc["proof"]["cryptosuite"], suite.as_str());
            assert!(vc["issuer"].as_str().unwrap().starts_with(method), "{method}");
            assert_eq!(proof_value(&vc).len(), 96, "{suite} {method}: r‖s of P-384");
            let report = report(&Value::Object(vc.clone()));
            assert!(
                report.verified(),
                "{suite} {method}: {}",
                report.render(passerelle::Lang::En)
            );
            // RFC 6979: issuing again gives the same proof.
            let again = match method {
                "did:key" => issue_with(Issuer::did_key(p384()), suite),
                _ => issue_with(did_jwk_issuer(p384()), suite),
            };
            assert_eq!(again, vc, "{suite} {method}: deterministic");
        }
    }
}

#[test]
fn p384_did_key_is_z82_and_did_jwk_names_the_curve() {
    let key = p384().public_key();
    assert_eq!(key.algorithm(), KeyAlgorithm::P384);
    assert!(did::key::did_for(&key).starts_with("did:key:z82"));
    assert_eq!(did::key::public_key(&did::key::did_for(&key)).unwrap(), key);
    let jwk_did = did::jwk::did_for(&key);
    let jwk = did::jwk::jwk_of(&jwk_did).unwrap();
    assert_eq!((jwk["kty"].as_str(), jwk["crv"].as_str()), (Some("EC"), Some("P-384")));
    assert_eq!(did::jwk::public_key(&jwk_did).unwrap(), key);
    let doc = did::jwk::document(&jwk_did).unwrap();
    assert_eq!(
        doc.verification_method(&format!("{jwk_did}#0")).unwrap().public_key,
        key
    );
}

/// The P-256 proof moved to a P-384 key (the issuer and verification
/// method relabelled), and the other way round: refused.
#[test]
fn a_proof_relabelled_to_the_other_curve_is_refused() {
    for suite in SUITES {
        for (from, to) in [
            (
                issue_with(Issuer::did_key(p256()), suite),
                did::key::did_for(&p384().public_key()),
            ),
            (
                issue_with(Issuer::did_key(p384()), suite),
                did::key::did_for(&p256().public_key()),
            ),
        ] {
            let mut moved = from.clone();
            let multikey = to.strip_prefix("did:key:").unwrap();
            moved["issuer"] = to.clone().into();
            moved["proof"]["verificationMethod"] = format!("{to}#{multikey}").into();
            // 64 bytes for a P-384 key, 96 for a P-256 one: the value has the wrong length.
            assert_eq!(
                proof_code(&Value::Object(moved)),
                Some(ErrorCode::ProofValueInvalid),
                "{suite} → {to}"
            );
        }
    }
}

/// A P-384 signature over SHA-256 hash data (the P-256 hash) is refused:
/// the curve decides the hash, not the signer.
#[test]
fn a_p384_signature_over_sha256_hash_data_is_refused() {
    let key = p384();
    let mut vc = issue_with(Issuer::did_key(p384()), Cryptosuite::EcdsaJcs2019);
    let mut proof = vc["proof"].as_object().unwrap().clone();
    proof.remove("proofValue");
    let mut document = vc.clone();
    document.remove("proof");
    let hash_data = [
        Sha256::digest(canonicalize(&Value::Object(proof)).unwrap()).as_slice(),
        Sha256::digest(canonicalize(&Value::Object(document)).unwrap()).as_slice(),
    ]
    .concat();
    let signature = key.sign(&hash_data).unwrap();
    assert_eq!(signature.len(), 96);
    vc["proof"]["proofValue"] = multibase::encode_base58btc(&signature).into();
    assert_eq!(proof_code(&Value::Object(vc)), Some(ErrorCode::ProofSignatureInvalid));
}

#[test]
fn malformed_p384_keys_are_refused_with_a_code() {
    let key = p384().public_key();
    let compressed = key.as_bytes().to_vec();
    assert_eq!(compressed.len(), 49);
    let multikey = |body: &[u8]| multibase::encode_base58btc(&[&[0x81, 0x24][..], body].concat());
    // Wrong lengths: one byte short, one too many, a P-256 length.
    for body in [
        &compressed[..48],
        &[&compressed[..], &[0]].concat()[..],
        &compressed[..33],
    ] {
        assert_eq!(
            PublicKey::from_multikey(&multikey(body)).unwrap_err().code(),
            ErrorCode::KeyInvalid,
            "{} bytes",
            body.len()
        );
        assert_eq!(
            did::key::public_key(&format!("did:key:{}", multikey(body)))
                .unwrap_err()
                .code(),
            ErrorCode::DidInvalid
        );
        assert_eq!(
            PublicKey::p384_from_sec1(body).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
    }
    // Not on the curve: an x past the field prime, and an (x, y) that misses it.
    let mut past_prime = [0xffu8; 49];
    past_prime[0] = 0x02;
    assert_eq!(
        PublicKey::from_multikey(&multikey(&past_prime)).unwrap_err().code(),
        ErrorCode::KeyInvalid
    );
    assert_eq!(
        did::key::public_key(&format!("did:key:{}", multikey(&past_prime)))
            .unwrap_err()
            .code(),
        ErrorCode::DidInvalid
    );
    let mut off_curve = vec![0x04];
    off_curve.extend_from_slice(&[1; 48]);
    off_curve.extend_from_slice(&[2; 48]);
    assert_eq!(
        PublicKey::p384_from_sec1(&off_curve).unwrap_err().code(),
        ErrorCode::KeyInvalid
    );
    let jwk = json!({"kty": "EC", "crv": "P-384",
        "x": URL_SAFE_NO_PAD.encode([1u8; 48]), "y": URL_SAFE_NO_PAD.encode([2u8; 48])});
    assert_eq!(jwk::public_key(&jwk).unwrap_err().code(), ErrorCode::KeyInvalid);
    // A P-384 JWK with P-256-sized coordinates, and a P-256 point labelled P-384.
    let mut relabelled = p256().public_key().to_jwk();
    relabelled["crv"] = "P-384".into();
    assert_eq!(jwk::public_key(&relabelled).unwrap_err().code(), ErrorCode::KeyInvalid);
    let mut relabelled = key.to_jwk();
    relabelled["crv"] = "P-256".into();
    assert_eq!(jwk::public_key(&relabelled).unwrap_err().code(), ErrorCode::KeyInvalid);
    // A did:jwk of such a key is refused when a credential names it.
    let bad_did = format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(jwk.to_string()));
    let mut vc = issue_with(did_jwk_issuer(p384()), Cryptosuite::EcdsaJcs2019);
    vc["issuer"] = bad_did.clone().into();
    vc["proof"]["verificationMethod"] = format!("{bad_did}#0").into();
    let report = report(&Value::Object(vc));
    assert!(!report.verified());
    assert_ne!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Passed);
}

#[test]
fn a_p384_jose_credential_uses_es384_and_verifies() {
    let issuer = Issuer::did_key(p384());
    let jwt = issuer.issue_jwt(unsigned(issuer.did()), at()).unwrap();
    let header = jwt.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header["alg"], "ES384");
    let report = Verifier::offline().verify(jwt.as_bytes(), &VerifyOptions::at(at()));
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_byte_flip_of_a_p384_credential_fails_verification(
        rdfc in any::<bool>(),
        position in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let suite = if rdfc { Cryptosuite::EcdsaRdfc2019 } else { Cryptosuite::EcdsaJcs2019 };
        let vc = issue_with(Issuer::did_key(p384()), suite);
        let mut bytes = Value::Object(vc).to_string().into_bytes();
        let i = position.index(bytes.len());
        bytes[i] ^= mask;
        let report = Verifier::offline().verify(&bytes, &VerifyOptions::at(at()));
        prop_assert!(!report.verified(), "flipping byte {} with {:#x} still verified", i, mask);
    }
}
