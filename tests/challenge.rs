//! The challenge and domain a verifier expects (VC Data Integrity §4.4
//! steps 6–7): checked on the proofs of the document verified, credential
//! or presentation, and never on the credentials a presentation carries
//! (their issuers could not know the verifier's challenge).

use passerelle::crypto::Ed25519KeyPair;
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Value};

mod common;
use common::{object, permit};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn expecting(challenge: Option<&str>, domain: Option<&str>) -> VerifyOptions {
    let mut options = VerifyOptions::at(at());
    options.challenge = challenge.map(str::to_owned);
    options.domain = domain.map(str::to_owned);
    options
}

fn proof_code(report: &Report) -> Option<ErrorCode> {
    report.check(CheckName::Proof).and_then(|c| c.code)
}

#[test]
fn a_credential_whose_proof_lacks_the_expected_challenge_or_domain_fails() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[61; 32]));
    let signed = issuer.issue(permit(issuer.did()), at()).unwrap().to_json_string();
    let verifier = Verifier::offline();
    assert!(verifier.verify(signed.as_bytes(), &expecting(None, None)).verified());
    let report = verifier.verify(signed.as_bytes(), &expecting(Some("n-1"), None));
    assert_eq!(proof_code(&report), Some(ErrorCode::ChallengeMismatch));
    let report = verifier.verify(signed.as_bytes(), &expecting(None, Some("counter.example")));
    assert_eq!(proof_code(&report), Some(ErrorCode::DomainMismatch));

    let token = issuer.issue_jwt(permit(issuer.did()), at()).unwrap();
    let report = verifier.verify(token.as_bytes(), &expecting(Some("n-1"), None));
    assert_eq!(proof_code(&report), Some(ErrorCode::ChallengeMismatch));
}

#[test]
fn a_presentation_binds_the_challenge_and_its_credentials_need_not() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[62; 32]));
    let signed = issuer.issue(permit(issuer.did()), at()).unwrap().into_json();
    let enveloped = issuer.issue_enveloped(permit(issuer.did()), at()).unwrap();
    let holder = Issuer::did_key(Ed25519KeyPair::from_seed(&[63; 32]));
    let presentation = object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder.did(),
        "verifiableCredential": [signed, enveloped]
    }));
    let vp = holder
        .present(presentation, Some("n-2"), Some("counter.example"), at())
        .unwrap();
    let text = Value::Object(vp.json().clone()).to_string();
    let report = Verifier::offline().verify(text.as_bytes(), &expecting(Some("n-2"), Some("counter.example")));
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(report.credentials().len(), 2);
    let report = Verifier::offline().verify(text.as_bytes(), &expecting(Some("n-3"), None));
    assert_eq!(proof_code(&report), Some(ErrorCode::ChallengeMismatch));
}
