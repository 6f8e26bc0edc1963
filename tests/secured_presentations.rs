//! Presentations secured as `vp+sd-jwt` and `vp+cose` (VC-JOSE-COSE
//! §3.2.2, §3.3.2), beside `vp+jwt`: signed by the holder, bound to the
//! verifier's challenge and domain (`nonce`, `aud`), carrying enveloped
//! credentials of every format, verified at the top level and in an
//! `EnvelopedVerifiablePresentation`; what a verifier must refuse, refused
//! with a code.

use base64::Engine as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::jose::{envelope, envelope_as, Media};
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

mod common;
use common::{failure, object, permit};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[61; 32]))
}

fn holder() -> Issuer<P256KeyPair> {
    Issuer::did_key(P256KeyPair::from_secret_bytes(&[62; 32]).unwrap())
}

/// The permit, enveloped in each of the three formats.
fn carried_credentials() -> Vec<(&'static str, Map<String, Value>)> {
    let issuer = issuer();
    let jwt = issuer.issue_jwt(permit(issuer.did()), at()).unwrap();
    let sd_jwt = issuer
        .issue_sd_jwt(permit(issuer.did()), &["/credentialSubject/permitNumber"], None, at())
        .unwrap();
    let cose = issuer.issue_cose(permit(issuer.did()), at()).unwrap();
    let cose = base64::engine::general_purpose::STANDARD.encode(cose);
    vec![
        ("vc+jwt", envelope(&jwt, Media::Credential)),
        (
            "vc+sd-jwt",
            envelope_as("application/vc+sd-jwt", &sd_jwt, Media::Credential),
        ),
        (
            "vc+cose",
            envelope_as("application/vc+cose;base64", &cose, Media::Credential),
        ),
    ]
}

fn presentation_of(holder: &str, credentials: Vec<Map<String, Value>>) -> Map<String, Value> {
    object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder,
        "verifiableCredential": credentials
    }))
}

/// A secured presentation: its bytes as sent, and the envelope that holds them.
struct Secured {
    format: &'static str,
    bytes: Vec<u8>,
    envelope: Map<String, Value>,
}

/// `presentation` secured by `holder` in each format, for `challenge` and `domain`.
fn secured_by(
    holder: &Issuer<P256KeyPair>,
    presentation: &Map<String, Value>,
    challenge: Option<&str>,
    domain: Option<&str>,
) -> Vec<Secured> {
    let jwt = holder
        .present_jwt(presentation.clone(), challenge, domain, at())
        .unwrap();
    let sd_jwt = holder
        .present_sd_jwt(presentation.clone(), challenge, domain, at())
        .unwrap();
    let cose = holder
        .present_cose(presentation.clone(), challenge, domain, at())
        .unwrap();
    let cose_text = base64::engine::general_purpose::STANDARD.encode(&cose);
    vec![
        Secured {
            format: "vp+jwt",
            envelope: envelope(&jwt, Media::Presentation),
            bytes: jwt.into_bytes(),
        },
        Secured {
            format: "vp+sd-jwt",
            envelope: envelope_as("application/vp+sd-jwt", &sd_jwt, Media::Presentation),
            bytes: sd_jwt.into_bytes(),
        },
        Secured {
            format: "vp+cose",
            envelope: envelope_as("application/vp+cose;base64", &cose_text, Media::Presentation),
            bytes: cose,
        },
    ]
}

fn verify(bytes: &[u8], options: &VerifyOptions) -> Report {
    Verifier::offline().verify(bytes, options)
}

fn bound_options(challenge: &str, domain: &str) -> VerifyOptions {
    let mut options = VerifyOptions::at(at());
    options.challenge = Some(challenge.into());
    options.domain = Some(domain.into());
    options
}

fn format_of(report: &Report) -> String {
    let parse = report.checks().iter().find(|c| c.name == CheckName::Parse).unwrap();
    parse.evidence.iter().map(|(_, v)| v.clone()).next().unwrap_or_default()
}

#[test]
fn every_format_carries_every_format_and_verifies() {
    let holder = holder();
    let credentials: Vec<_> = carried_credentials().into_iter().map(|(_, c)| c).collect();
    let presentation = presentation_of(holder.did(), credentials);
    let options = bound_options("n-19", "https://clerk.example");
    for secured in secured_by(&holder, &presentation, Some("n-19"), Some("https://clerk.example")) {
        for (how, report) in [
            ("as sent", verify(&secured.bytes, &options)),
            (
                "enveloped",
                verify(Value::Object(secured.envelope.clone()).to_string().as_bytes(), &options),
            ),
            ("by verify_presentation", {
                let bytes = match secured.format {
                    "vp+cose" => Value::Object(secured.envelope.clone()).to_string().into_bytes(),
                    _ => secured.bytes.clone(),
                };
                Verifier::offline().verify_presentation(&bytes, &options)
            }),
        ] {
            let what = format!("{} {how}", secured.format);
            assert!(report.verified(), "{what}: {}", report.render(passerelle::Lang::En));
            assert_eq!(report.kind(), passerelle::verify::DocumentKind::Presentation, "{what}");
            assert_eq!(report.credentials().len(), 3, "{what}");
            assert!(report.credentials().iter().all(Report::verified), "{what}");
            assert!(
                format_of(&report).contains(&secured.format[3..]),
                "{what}: {}",
                format_of(&report)
            );
            let proof = report.checks().iter().find(|c| c.name == CheckName::Proof).unwrap();
            assert!(proof.evidence.iter().any(|(_, v)| v == "n-19"), "{what}: the challenge");
            assert!(
                proof.evidence.iter().any(|(_, v)| v == "https://clerk.example"),
                "{what}: the domain"
            );
        }
    }
}

#[test]
fn another_verifier_challenge_or_domain_is_refused() {
    let holder = holder();
    let credentials: Vec<_> = carried_credentials().into_iter().map(|(_, c)| c).collect();
    let presentation = presentation_of(holder.did(), credentials);
    let bound = secured_by(&holder, &presentation, Some("n-19"), Some("https://clerk.example"));
    let unbound = secured_by(&holder, &presentation, None, None);
    for (secured, loose) in bound.iter().zip(&unbound) {
        let format = secured.format;
        for (what, bytes, options, expected) in [
            (
                "another challenge",
                &secured.bytes,
                bound_options("n-20", "https://clerk.example"),
                ErrorCode::ChallengeMismatch,
            ),
            (
                "another domain",
                &secured.bytes,
                bound_options("n-19", "https://other.example"),
                ErrorCode::DomainMismatch,
            ),
            (
                "no nonce at all",
                &loose.bytes,
                bound_options("n-19", "https://clerk.example"),
                ErrorCode::ChallengeMismatch,
            ),
        ] {
            let report = verify(bytes, &options);
            assert_eq!(failure(&report), (CheckName::Proof, expected), "{format}: {what}");
        }
    }
}

#[test]
fn a_presentation_signed_by_someone_else_or_changed_is_refused() {
    let holder = holder();
    let credentials: Vec<_> = carried_credentials().into_iter().map(|(_, c)| c).collect();
    let options = VerifyOptions::at(at());
    let stranger = Issuer::did_key(P256KeyPair::from_secret_bytes(&[63; 32]).unwrap());
    let claimed = presentation_of(stranger.did(), credentials);
    for secured in secured_by(&stranger, &claimed, None, None) {
        // The stranger's presentation, its `holder` then rewritten: the
        // signature no longer holds.
        let text = String::from_utf8_lossy(&secured.bytes).to_string();
        if secured.format == "vp+cose" {
            // The last mention: the payload's `holder`, after the header's `kid`.
            let at = secured
                .bytes
                .windows(stranger.did().len())
                .rposition(|w| w == stranger.did().as_bytes())
                .unwrap();
            let mut changed = secured.bytes.clone();
            changed[at..at + holder.did().len()].copy_from_slice(holder.did().as_bytes());
            assert_eq!(
                failure(&verify(&changed, &options)),
                (CheckName::Proof, ErrorCode::ProofSignatureInvalid),
                "vp+cose"
            );
        } else {
            let payload = text.split('.').nth(1).unwrap();
            let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap();
            let changed = String::from_utf8(decoded)
                .unwrap()
                .replace(stranger.did(), holder.did());
            let changed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(changed);
            let forged = text.replacen(payload, &changed, 1);
            assert_eq!(
                failure(&verify(forged.as_bytes(), &options)),
                (CheckName::Proof, ErrorCode::ProofSignatureInvalid),
                "{}",
                secured.format
            );
        }
    }
    // Signed by the stranger's own key for a presentation naming the holder:
    // the key is not the holder's.
    // (Issuer::present_* refuse a holder other than the signer: the claims
    // are signed directly.)
    let stranger_key = P256KeyPair::from_secret_bytes(&[63; 32]).unwrap();
    let vm = passerelle::did::key::verification_method_for(&stranger_key.public_key());
    let mut claims = presentation_of(holder.did(), Vec::new());
    claims.insert("iat".into(), at().unix_seconds().into());
    let cose = passerelle::cose::sign_sign1(&claims, &vm, Media::Presentation, &stranger_key).unwrap();
    let sd_jwt = passerelle::sd_jwt::issue(&claims, &[], &sd_jwt_options(&vm), &stranger_key).unwrap();
    for (format, bytes) in [("vp+cose", cose), ("vp+sd-jwt", sd_jwt.into_bytes())] {
        assert_eq!(
            failure(&verify(&bytes, &options)),
            (CheckName::KeyBinding, ErrorCode::KeyControllerMismatch),
            "{format}"
        );
    }
}

fn sd_jwt_options(kid: &str) -> passerelle::sd_jwt::IssueOptions {
    passerelle::sd_jwt::IssueOptions {
        typ: "vp+sd-jwt".into(),
        kid: Some(kid.into()),
        decoys: 0,
        holder_key: None,
    }
}

#[test]
fn a_vp_sd_jwt_is_signed_in_the_clear_and_holds_a_presentation() {
    let holder = holder();
    let key = P256KeyPair::from_secret_bytes(&[62; 32]).unwrap();
    let vm = holder.verification_method().to_owned();
    let options = VerifyOptions::at(at());
    let mut presentation = presentation_of(holder.did(), vec![carried_credentials().remove(0).1]);
    presentation.insert("nonce".into(), "n-19".into());
    // A member a Disclosure would put in place: anyone could drop it (here
    // the nonce) on the way.
    for disclosable in [&["/nonce"][..], &["/verifiableCredential/0"], &["/holder"]] {
        let token = passerelle::sd_jwt::issue(&presentation, disclosable, &sd_jwt_options(&vm), &key).unwrap();
        assert_eq!(
            failure(&verify(token.as_bytes(), &options)),
            (CheckName::Parse, ErrorCode::SdJwtPayloadInvalid),
            "{disclosable:?}"
        );
    }
    // A credential under vp+sd-jwt, a presentation under vc+sd-jwt.
    let issuer = issuer();
    let credential = permit(issuer.did());
    let as_vp = passerelle::sd_jwt::issue(
        &credential,
        &[],
        &sd_jwt_options(issuer.verification_method()),
        &Ed25519KeyPair::from_seed(&[61; 32]),
    )
    .unwrap();
    assert_eq!(
        failure(&verify(as_vp.as_bytes(), &options)),
        (CheckName::Parse, ErrorCode::TypeInvalid)
    );
    let mut as_vc_options = sd_jwt_options(&vm);
    as_vc_options.typ = "vc+sd-jwt".into();
    let as_vc = passerelle::sd_jwt::issue(&presentation, &[], &as_vc_options, &key).unwrap();
    assert_eq!(
        failure(&verify(as_vc.as_bytes(), &options)),
        (CheckName::Parse, ErrorCode::TypeInvalid)
    );
}

#[test]
fn an_envelope_holds_what_it_says() {
    let holder = holder();
    let presentation = presentation_of(holder.did(), vec![carried_credentials().remove(0).1]);
    let options = VerifyOptions::at(at());
    for secured in secured_by(&holder, &presentation, None, None) {
        // A presentation's token in a credential's envelope.
        let id = secured.envelope["id"].as_str().unwrap().replacen("/vp+", "/vc+", 1);
        let mut mislabelled = secured.envelope.clone();
        mislabelled.insert("type".into(), "EnvelopedVerifiableCredential".into());
        mislabelled.insert("id".into(), id.into());
        let report = verify(Value::Object(mislabelled).to_string().as_bytes(), &options);
        assert!(!report.verified(), "{}", secured.format);
        assert_eq!(
            failure(&report),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
            "{}",
            secured.format
        );
        // A credential's envelope naming a presentation's media type.
        let mut misnamed = secured.envelope.clone();
        misnamed.insert("type".into(), "EnvelopedVerifiableCredential".into());
        let report = verify(Value::Object(misnamed).to_string().as_bytes(), &options);
        assert_eq!(
            failure(&report),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
            "{} under its own media type",
            secured.format
        );
    }
    // A credential's token in a presentation's envelope.
    for (format, credential) in carried_credentials() {
        let id = credential["id"].as_str().unwrap().replacen("/vc+", "/vp+", 1);
        let mut mislabelled = credential.clone();
        mislabelled.insert("type".into(), "EnvelopedVerifiablePresentation".into());
        mislabelled.insert("id".into(), id.into());
        let report = verify(Value::Object(mislabelled).to_string().as_bytes(), &options);
        assert_eq!(
            failure(&report),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
            "{format}"
        );
    }
}

#[test]
fn a_failing_credential_fails_the_presentation_in_every_format() {
    let holder = holder();
    let mut credentials: Vec<_> = carried_credentials().into_iter().map(|(_, c)| c).collect();
    // The vc+jwt's signature cut short.
    let id = credentials[0]["id"].as_str().unwrap().to_owned();
    credentials[0].insert("id".into(), id[..id.len() - 4].into());
    let presentation = presentation_of(holder.did(), credentials);
    let options = VerifyOptions::at(at());
    for secured in secured_by(&holder, &presentation, None, None) {
        let report = verify(&secured.bytes, &options);
        assert_eq!(
            failure(&report),
            (CheckName::Credentials, ErrorCode::PresentationCredentialInvalid),
            "{}",
            secured.format
        );
        assert!(!report.credentials()[0].verified(), "{}", secured.format);
        assert!(report.credentials()[1].verified(), "{}", secured.format);
    }
}

/// `verify_credential` verifies credentials only and `verify_presentation`
/// presentations only, whatever secures them: a token of the other kind is
/// refused (`TYPE_INVALID`), never reported verified as what it is.
#[test]
fn each_entry_point_verifies_its_own_kind_only() {
    let holder = holder();
    let presentation = presentation_of(holder.did(), vec![carried_credentials().remove(0).1]);
    let options = VerifyOptions::at(at());
    let verifier = Verifier::offline();
    for secured in secured_by(&holder, &presentation, None, None) {
        let report = verifier.verify_presentation(&secured.bytes, &options);
        assert!(
            report.verified(),
            "{}: {}",
            secured.format,
            report.render(passerelle::Lang::En)
        );
        let report = verifier.verify_credential(&secured.bytes, &options);
        assert!(!report.verified(), "{}", secured.format);
        assert_eq!(report.kind(), passerelle::verify::DocumentKind::Credential);
        assert_eq!(
            failure(&report),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
            "{}",
            secured.format
        );
    }
    let issuer = issuer();
    let credentials = [
        issuer.issue_jwt(permit(issuer.did()), at()).unwrap().into_bytes(),
        issuer
            .issue_sd_jwt(permit(issuer.did()), &[], None, at())
            .unwrap()
            .into_bytes(),
        issuer.issue_cose(permit(issuer.did()), at()).unwrap(),
    ];
    for bytes in &credentials {
        assert!(verifier.verify_credential(bytes, &options).verified());
        let report = verifier.verify_presentation(bytes, &options);
        assert_eq!(report.kind(), passerelle::verify::DocumentKind::Presentation);
        assert_eq!(failure(&report), (CheckName::DataModel, ErrorCode::TypeInvalid));
    }
}
