//! Credentials secured with COSE (`application/vc+cose`, VC-JOSE-COSE
//! §3.3): issued with EdDSA, ES256, ES384 and ES512, verified from their bytes or
//! base64 by the same `Verifier` and report; what a verifier must refuse,
//! refused with a code.

use base64::Engine as _;
use passerelle::cose::sign_sign1;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, P384KeyPair, P521KeyPair, Signer};
use passerelle::jose::Media;
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::json;

mod common;
use common::{failure, permit};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn verify(bytes: &[u8], options: &VerifyOptions) -> Report {
    Verifier::offline().verify(bytes, options)
}

fn issued_with<S: Signer>(issuer: &Issuer<S>) -> Vec<u8> {
    issuer.issue_cose(permit(issuer.did()), at()).unwrap()
}

#[test]
fn each_algorithm_verifies_from_bytes_and_from_base64() {
    let ed = issued_with(&Issuer::did_key(Ed25519KeyPair::from_seed(&[91; 32])));
    let p256 = issued_with(&Issuer::did_key(P256KeyPair::from_secret_bytes(&[92; 32]).unwrap()));
    let p384 = issued_with(&Issuer::did_key(P384KeyPair::from_secret_bytes(&[93; 48]).unwrap()));
    let mut scalar = [94; 66];
    scalar[0] = 1;
    let p521 = issued_with(&Issuer::did_key(P521KeyPair::from_secret_bytes(&scalar).unwrap()));
    // P-521 through did:jwk too: the JWK's 66-byte coordinates, leading zeros kept.
    let p521_key = P521KeyPair::from_secret_bytes(&scalar).unwrap();
    let jwk_did = passerelle::did::jwk::did_for(&p521_key.public_key());
    let p521_jwk = issued_with(&Issuer::new(p521_key, format!("{jwk_did}#0")).unwrap());
    let options = VerifyOptions::at(at());
    for (alg, bytes) in [
        ("EdDSA", &ed),
        ("ES256", &p256),
        ("ES384", &p384),
        ("ES512", &p521),
        ("ES512", &p521_jwk),
    ] {
        let report = verify(bytes, &options);
        assert!(report.verified(), "{alg}: {}", report.render(passerelle::Lang::En));
        let proof = report.checks().iter().find(|c| c.name == CheckName::Proof).unwrap();
        assert!(proof.evidence.iter().any(|(_, v)| v == alg), "{alg}");
        let text = base64::engine::general_purpose::STANDARD.encode(bytes);
        assert!(verify(text.as_bytes(), &options).verified(), "{alg} as base64");
        assert!(Verifier::offline().verify_credential(bytes, &options).verified());
    }
}

#[test]
fn what_a_verifier_must_refuse_is_refused() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[91; 32]));
    let options = VerifyOptions::at(at());
    // The permit number changed in the payload's bytes (same length).
    let bytes = issued_with(&issuer);
    let at_number = bytes.windows(10).position(|w| w == b"YT-MA-0042").unwrap();
    let mut tampered = bytes.clone();
    tampered[at_number + 9] = b'3';
    assert_eq!(
        failure(&verify(&tampered, &options)),
        (CheckName::Proof, ErrorCode::ProofSignatureInvalid)
    );
    // Signed by a key that is not the issuer's, naming itself.
    let stranger = Ed25519KeyPair::from_seed(&[99; 32]);
    let stranger_vm = passerelle::did::key::verification_method_for(&stranger.public_key());
    let forged = sign_sign1(&permit(issuer.did()), &stranger_vm, Media::Credential, &stranger).unwrap();
    assert_eq!(
        failure(&verify(&forged, &options)),
        (CheckName::KeyBinding, ErrorCode::KeyControllerMismatch)
    );
    // Signed by another key under the issuer's kid.
    let kid = issuer.verification_method().to_owned();
    let mislabelled = sign_sign1(&permit(issuer.did()), &kid, Media::Credential, &stranger).unwrap();
    assert_eq!(
        failure(&verify(&mislabelled, &options)),
        (CheckName::Proof, ErrorCode::ProofSignatureInvalid)
    );
    // A verifier expecting a challenge: a COSE credential carries none.
    let mut challenging = VerifyOptions::at(at());
    challenging.challenge = Some("c-1".into());
    assert_eq!(
        failure(&verify(&bytes, &challenging)),
        (CheckName::Proof, ErrorCode::ChallengeMismatch)
    );
    // Truncated bytes.
    assert_eq!(
        failure(&verify(&bytes[..bytes.len() / 2], &options)),
        (CheckName::Parse, ErrorCode::CoseMalformed)
    );
}

fn issuer_key() -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[91; 32])
}

/// In an envelope a COSE credential is base64 (VC-JOSE-COSE §3.3).
#[test]
fn an_enveloped_cose_credential_is_read_from_base64() {
    let issuer = Issuer::did_key(issuer_key());
    let bytes = issued_with(&issuer);
    let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let envelope = |id: String| {
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential", "id": id})
            .to_string()
    };
    let options = VerifyOptions::at(at());
    let report = verify(
        envelope(format!("data:application/vc+cose;base64,{text}")).as_bytes(),
        &options,
    );
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let report = verify(
        envelope(format!("data:application/vc+cose;base64,{}!", &text[..20])).as_bytes(),
        &options,
    );
    assert_eq!(failure(&report), (CheckName::Parse, ErrorCode::CoseMalformed));
    // Without `;base64` the media type is not one this verifier reads.
    let report = verify(
        envelope(format!("data:application/vc+cose,{text}")).as_bytes(),
        &options,
    );
    assert_eq!(failure(&report), (CheckName::Parse, ErrorCode::CryptosuiteUnsupported));
}

/// JWT claims in a COSE payload are judged as a vc+jwt's are.
#[test]
fn jwt_claims_in_the_payload_are_judged_as_for_vc_jwt() {
    let issuer = Issuer::did_key(issuer_key());
    let kid = issuer.verification_method().to_owned();
    let options = VerifyOptions::at(at());
    let with = |name: &str, value: serde_json::Value| {
        let mut payload = permit(issuer.did());
        payload.insert(name.into(), value);
        sign_sign1(&payload, &kid, Media::Credential, &issuer_key()).unwrap()
    };
    assert_eq!(
        failure(&verify(&with("exp", json!(1000)), &options)),
        (CheckName::Proof, ErrorCode::ProofExpired)
    );
    assert_eq!(
        failure(&verify(&with("nbf", json!(at().unix_seconds() + 3600)), &options)),
        (CheckName::Proof, ErrorCode::ProofCreatedInFuture)
    );
    assert_eq!(
        failure(&verify(&with("iss", json!("did:example:someone-else")), &options)),
        (CheckName::Proof, ErrorCode::JoseClaimsInvalid)
    );
}
