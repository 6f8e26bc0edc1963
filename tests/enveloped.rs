//! Enveloped credentials and presentations (VCDM 2.0 §4.13, §4.14;
//! VC-JOSE-COSE §3.1.1): an object whose `id` is a `data:` URL holding a
//! `vc+jwt` or `vp+jwt` verifies as the document inside it, at the top
//! level and inside a presentation; an envelope that breaks the data
//! model's rules for it is refused with a code.

use base64::Engine as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair};
use passerelle::jose::{envelope, Media};
use passerelle::verify::{CheckName, DocumentKind};
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

mod common;
use common::{failure, object, permit};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[51; 32]))
}

fn verify(document: &Map<String, Value>) -> Report {
    let bytes = Value::Object(document.clone()).to_string();
    Verifier::offline().verify(bytes.as_bytes(), &VerifyOptions::at(at()))
}

#[test]
fn an_enveloped_credential_verifies_as_the_credential_inside() {
    let issuer = issuer();
    let enveloped = issuer.issue_enveloped(permit(issuer.did()), at()).unwrap();
    assert_eq!(enveloped["@context"], json!("https://www.w3.org/ns/credentials/v2"));
    assert_eq!(enveloped["type"], json!("EnvelopedVerifiableCredential"));
    assert!(enveloped["id"]
        .as_str()
        .unwrap()
        .starts_with("data:application/vc+jwt,ey"));

    let report = verify(&enveloped);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(report.kind(), DocumentKind::Credential);
    let bytes = Value::Object(enveloped.clone()).to_string();
    let options = VerifyOptions::at(at());
    assert!(Verifier::offline()
        .verify_credential(bytes.as_bytes(), &options)
        .verified());
    // The credential inside is what is checked: its expiry too.
    let mut expiring = permit(issuer.did());
    expiring.insert("validUntil".into(), json!("2026-06-01T00:00:00Z"));
    let report = verify(&issuer.issue_enveloped(expiring, at()).unwrap());
    assert_eq!(
        failure(&report),
        (CheckName::ValidityPeriod, ErrorCode::CredentialExpired)
    );
}

#[test]
fn an_enveloped_presentation_verifies_as_the_presentation_inside() {
    let issuer = issuer();
    let vc = issuer.issue_enveloped(permit(issuer.did()), at()).unwrap();
    let holder = Issuer::did_key(P256KeyPair::from_secret_bytes(&[52; 32]).unwrap());
    let presentation = object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder.did(),
        "verifiableCredential": [vc]
    }));
    let token = holder
        .present_jwt(presentation, Some("n-77"), Some("border.example"), at())
        .unwrap();
    let enveloped = envelope(&token, Media::Presentation);
    assert_eq!(enveloped["type"], json!("EnvelopedVerifiablePresentation"));

    let mut options = VerifyOptions::at(at());
    options.challenge = Some("n-77".into());
    options.domain = Some("border.example".into());
    let bytes = Value::Object(enveloped.clone()).to_string();
    for report in [
        Verifier::offline().verify(bytes.as_bytes(), &options),
        Verifier::offline().verify_presentation(bytes.as_bytes(), &options),
    ] {
        assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
        assert_eq!(report.kind(), DocumentKind::Presentation);
        assert_eq!(report.credentials().len(), 1);
    }
    // A broken token in a presentation envelope reports its own failure.
    let broken = envelope("eyJhbGciOiJ.x.y", Media::Presentation);
    let report = verify(&broken);
    assert_eq!(failure(&report), (CheckName::Parse, ErrorCode::JoseMalformed));
    assert_eq!(report.kind(), DocumentKind::Presentation);
    options.challenge = Some("n-78".into());
    let report = Verifier::offline().verify(bytes.as_bytes(), &options);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::ChallengeMismatch));
    // A presentation is not a credential: the credential entry point refuses it.
    let report = Verifier::offline().verify_credential(bytes.as_bytes(), &options);
    assert!(!report.verified());
}

#[test]
fn an_envelope_breaking_the_data_model_rules_is_refused_with_a_code() {
    let issuer = issuer();
    let good = issuer.issue_enveloped(permit(issuer.did()), at()).unwrap();
    let token = good["id"]
        .as_str()
        .unwrap()
        .strip_prefix("data:application/vc+jwt,")
        .unwrap()
        .to_owned();
    let with = |change: &dyn Fn(&mut Map<String, Value>)| {
        let mut envelope = good.clone();
        change(&mut envelope);
        verify(&envelope)
    };
    let cases: Vec<(&str, Report, (CheckName, ErrorCode))> = vec![
        (
            "@context missing",
            with(&|e| {
                e.remove("@context");
            }),
            (CheckName::DataModel, ErrorCode::ContextInvalid),
        ),
        (
            "@context empty",
            with(&|e| e["@context"] = json!([])),
            (CheckName::DataModel, ErrorCode::ContextInvalid),
        ),
        (
            "@context VCDM 1.1",
            with(&|e| e["@context"] = json!(["https://www.w3.org/2018/credentials/v1"])),
            (CheckName::DataModel, ErrorCode::ContextInvalid),
        ),
        (
            "id without the data: prefix",
            with(&|e| e["id"] = json!(token)),
            (CheckName::DataModel, ErrorCode::IdInvalid),
        ),
        (
            "id a data: URL of another media type",
            with(&|e| e["id"] = json!(format!("data:application/vc+cose,{token}"))),
            (CheckName::Parse, ErrorCode::CryptosuiteUnsupported),
        ),
        (
            "a vc+jwt labelled application/vc+sd-jwt",
            with(&|e| e["id"] = json!(format!("data:application/vc+sd-jwt,{token}"))),
            (CheckName::Parse, ErrorCode::SdJwtMalformed),
        ),
        (
            "id names a presentation",
            with(&|e| e["id"] = json!(format!("data:application/vp+jwt,{token}"))),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
        ),
        (
            "type wrong",
            with(&|e| e["type"] = json!("EnvelopedVerifiablePresentation")),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
        ),
        (
            "type with another type beside it",
            with(&|e| e["type"] = json!(["EnvelopedVerifiableCredential", "VerifiableCredential"])),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
        ),
        (
            "type missing",
            with(&|e| {
                e.remove("type");
            }),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
        ),
        (
            "a member the signature does not cover",
            with(&|e| {
                e.insert("credentialSubject".into(), json!({"permitNumber": "YT-MA-9999"}));
            }),
            (CheckName::DataModel, ErrorCode::PropertyInvalid),
        ),
        (
            "a token not a JWS",
            with(&|e| e["id"] = json!("data:application/vc+jwt,not-a-token")),
            (CheckName::Parse, ErrorCode::JoseMalformed),
        ),
        (
            "a token with alg none: the token's own failure, not a kind mismatch",
            with(&|e| {
                let header =
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"vc+jwt"}"#);
                let payload = token.split('.').nth(1).unwrap();
                e["id"] = json!(format!("data:application/vc+jwt,{header}.{payload}."));
            }),
            (CheckName::Parse, ErrorCode::JoseAlgorithmUnsupported),
        ),
        (
            "@context with an inline context after the VCDM 2.0 one",
            with(&|e| {
                e["@context"] = json!(["https://www.w3.org/ns/credentials/v2", {"id": "https://evil.example/x"}])
            }),
            (CheckName::DataModel, ErrorCode::ContextInvalid),
        ),
    ];
    for (what, report, expected) in cases {
        assert!(!report.verified(), "{what}");
        assert_eq!(failure(&report), expected, "{what}");
    }
}

#[test]
fn a_bad_envelope_inside_a_presentation_fails_that_credential() {
    let issuer = issuer();
    let mut vc = issuer.issue_enveloped(permit(issuer.did()), at()).unwrap();
    vc["@context"] = json!(["https://www.w3.org/2018/credentials/v1"]);
    let holder = Issuer::did_key(Ed25519KeyPair::from_seed(&[53; 32]));
    let presentation = object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder.did(),
        "verifiableCredential": [vc]
    }));
    let token = holder.present_jwt(presentation, None, None, at()).unwrap();
    let report = Verifier::offline().verify(token.as_bytes(), &VerifyOptions::at(at()));
    assert_eq!(
        failure(&report),
        (CheckName::Credentials, ErrorCode::PresentationCredentialInvalid)
    );
    assert_eq!(
        failure(&report.credentials()[0]),
        (CheckName::DataModel, ErrorCode::ContextInvalid)
    );
}
