//! VCDM 1.1 credentials (`https://www.w3.org/2018/credentials/v1`,
//! `issuanceDate`, `expirationDate`) as the W3C Data Integrity suites send
//! them: issued with each of the four cryptosuites (the data-integrity
//! context appended) and verified with their validity read from the 1.1
//! dates.

use passerelle::crypto::{Ed25519KeyPair, KeyAlgorithm, P256KeyPair, Signer};
use passerelle::proof::Cryptosuite;
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions, CONTEXT_DATA_INTEGRITY_V2};
use serde_json::{json, Map, Value};

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn issuer(suite: Cryptosuite) -> Issuer<Box<dyn Signer>> {
    let signer: Box<dyn Signer> = match suite.key_algorithm() {
        KeyAlgorithm::Ed25519 => Box::new(Ed25519KeyPair::from_seed(&[11; 32])),
        _ => Box::new(P256KeyPair::from_secret_bytes(&[12; 32]).unwrap()),
    };
    Issuer::did_key(signer).with_cryptosuite(suite).unwrap()
}

/// The shape of the credentials the W3C suites send.
fn credential_1_1(issuer: &str) -> Map<String, Value> {
    json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:2f1e4c1a-5b7d-4c0e-9a3b-7e6d5c4b3a21",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "expirationDate": "2027-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21"}
    })
    .as_object()
    .unwrap()
    .clone()
}

fn issued(suite: Cryptosuite) -> Value {
    let issuer = issuer(suite);
    let vc = issuer
        .issue(credential_1_1(issuer.did()), t("2026-01-01T00:00:00Z"))
        .unwrap();
    Value::Object(vc.into_json())
}

fn check_code(document: &Value, at: &str, check: CheckName) -> Option<ErrorCode> {
    let report = Verifier::offline().verify(document.to_string().as_bytes(), &VerifyOptions::at(t(at)));
    report.check(check).unwrap().code
}

#[test]
fn each_suite_issues_a_1_1_credential_that_verifies() {
    for suite in signing_suites() {
        let vc = issued(*suite);
        assert_eq!(vc["@context"][1], CONTEXT_DATA_INTEGRITY_V2, "{suite}");
        assert_eq!(vc["proof"]["cryptosuite"], suite.as_str());
        let report =
            Verifier::offline().verify(vc.to_string().as_bytes(), &VerifyOptions::at(t("2026-06-01T00:00:00Z")));
        assert!(report.verified(), "{suite}: {}", report.render(passerelle::Lang::En));
    }
}

#[test]
fn a_1_1_credential_is_valid_between_issuance_date_and_expiration_date() {
    for suite in signing_suites() {
        let vc = issued(*suite);
        assert_eq!(
            check_code(&vc, "2027-06-01T00:00:00Z", CheckName::ValidityPeriod),
            Some(ErrorCode::CredentialExpired),
            "{suite}"
        );
        // Valid from a date after its signing: verified in between, the
        // proof holds and the credential is not yet valid. (Before its
        // signing the proof fails, and the dates are not judged.)
        let issuer = issuer(*suite);
        let mut later = credential_1_1(issuer.did());
        later["issuanceDate"] = json!("2026-03-01T00:00:00Z");
        let vc = Value::Object(issuer.issue(later, t("2026-01-01T00:00:00Z")).unwrap().into_json());
        assert_eq!(
            check_code(&vc, "2026-02-01T00:00:00Z", CheckName::ValidityPeriod),
            Some(ErrorCode::CredentialNotYetValid),
            "{suite}"
        );
    }
}

#[test]
fn the_1_1_dates_are_signed() {
    for suite in signing_suites() {
        let mut vc = issued(*suite);
        vc["expirationDate"] = json!("2030-01-01T00:00:00Z");
        assert_eq!(
            check_code(&vc, "2026-06-01T00:00:00Z", CheckName::Proof),
            Some(ErrorCode::ProofSignatureInvalid),
            "{suite}"
        );
    }
}

/// The suites whose proof a verifier checks as issued: an ecdsa-sd-2023 base proof is the holder's, not a verifier's (tests/ecdsa_sd.rs).
fn signing_suites() -> impl Iterator<Item = &'static Cryptosuite> {
    Cryptosuite::ALL.iter().filter(|s| s.as_str() != "ecdsa-sd-2023")
}
