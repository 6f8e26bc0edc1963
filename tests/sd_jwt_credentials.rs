//! Credentials secured as `vc+sd-jwt` (VC-JOSE-COSE §3.2): issued by an
//! `Issuer`, presented with a chosen subset of claims and a Key Binding
//! JWT, verified by the `Verifier` like any credential (data model,
//! proof, key binding, validity, status, trust), each broken rule refused
//! with its code.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::json::Limits;
use passerelle::sd_jwt::{self, Disclosure, KeyBinding};
use passerelle::verify::{CheckName, EvidenceKey};
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

mod common;
use common::{failure, object};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn later() -> Timestamp {
    Timestamp::parse("2031-06-01T00:00:00Z").unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[61; 32]))
}

fn holder() -> P256KeyPair {
    P256KeyPair::from_secret_bytes(&[62; 32]).unwrap()
}

/// A provincial age credential: the birth date and the over-19 claim disclosable.
fn age_credential(issuer: &str) -> Map<String, Value> {
    object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "AgeCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2031-01-01T00:00:00Z",
        "credentialSubject": {"birthDate": "1990-05-01", "ageOver19": true, "province": "BC"}
    }))
}

const DISCLOSABLE: [&str; 2] = ["/credentialSubject/birthDate", "/credentialSubject/ageOver19"];

fn issued() -> String {
    let issuer = issuer();
    issuer
        .issue_sd_jwt(
            age_credential(issuer.did()),
            &DISCLOSABLE,
            Some(holder().public_key()),
            at(),
        )
        .unwrap()
}

fn present(issued: &str, disclose: &[&str], nonce: &str) -> String {
    present_at(issued, disclose, nonce, at())
}

fn present_at(issued: &str, disclose: &[&str], nonce: &str, time: Timestamp) -> String {
    let holder = holder();
    let binding = KeyBinding {
        signer: &holder,
        nonce,
        audience: "https://clerk.example",
        issued_at: time,
    };
    sd_jwt::present(issued, disclose, Some(&binding), Limits::default()).unwrap()
}

fn options() -> VerifyOptions {
    let mut options = VerifyOptions::at(at());
    options.challenge = Some("nonce-7".into());
    options.domain = Some("https://clerk.example".into());
    options
}

fn verify(input: &str, options: &VerifyOptions) -> Report {
    Verifier::offline().verify(input.as_bytes(), options)
}

#[test]
fn an_over_19_claim_alone_verifies_with_key_binding() {
    let shown = present(&issued(), &["/credentialSubject/ageOver19"], "nonce-7");
    let report = verify(&shown, &options());
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let proof = report.checks().iter().find(|c| c.name == CheckName::Proof).unwrap();
    let disclosed: Vec<&str> = proof
        .evidence
        .iter()
        .filter(|(key, _)| *key == EvidenceKey::Disclosed)
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(disclosed, ["/credentialSubject/ageOver19"]);
    assert!(proof.evidence.contains(&(EvidenceKey::KeyBinding, "kb+jwt".into())));
    let json = report.to_json();
    assert!(
        !json.to_string().contains("1990-05-01"),
        "the birth date is not in the report"
    );
    // The same through verify_credential.
    assert!(Verifier::offline()
        .verify_credential(shown.as_bytes(), &options())
        .verified());
}

#[test]
fn each_broken_rule_is_refused_with_its_code() {
    let issued = issued();
    let shown = present(&issued, &["/credentialSubject/ageOver19"], "nonce-7");
    let cases: Vec<(&str, String, VerifyOptions, (CheckName, ErrorCode))> = vec![
        (
            "another nonce",
            present(&issued, &["/credentialSubject/ageOver19"], "nonce-8"),
            options(),
            (CheckName::Proof, ErrorCode::KeyBindingNonceMismatch),
        ),
        (
            "no Key Binding JWT, cnf present",
            issued.clone(),
            options(),
            (CheckName::Proof, ErrorCode::KeyBindingMissing),
        ),
        (
            "a Disclosure sent twice",
            {
                let parts: Vec<&str> = shown.split('~').collect();
                format!("{}~{}~{}~", parts[0], parts[1], parts[1])
            },
            options(),
            (CheckName::Parse, ErrorCode::SdJwtDigestReused),
        ),
        (
            "a Key Binding JWT of long ago",
            shown.clone(),
            VerifyOptions {
                time: at().plus_seconds(3600),
                ..options()
            },
            (CheckName::Proof, ErrorCode::KeyBindingTimeInvalid),
        ),
        (
            "after the credential's validUntil",
            present_at(&issued, &["/credentialSubject/ageOver19"], "nonce-7", later()),
            VerifyOptions {
                time: later(),
                ..options()
            },
            (CheckName::ValidityPeriod, ErrorCode::CredentialExpired),
        ),
    ];
    for (what, input, options, expected) in cases {
        assert_eq!(failure(&verify(&input, &options)), expected, "{what}");
    }
    // Verifying without a challenge: the Key Binding JWT cannot be judged.
    let report = verify(&shown, &VerifyOptions::at(at()));
    assert_eq!(
        failure(&report),
        (CheckName::Proof, ErrorCode::KeyBindingRequestMissing)
    );
}

/// An issuer-signed JWT with `header` and `claims`, signed by `key`, and no Disclosure.
fn signed(key: &Ed25519KeyPair, header: Value, claims: Value) -> String {
    let head = URL_SAFE_NO_PAD.encode(header.to_string());
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signature = key.sign(format!("{head}.{body}").as_bytes()).unwrap();
    format!("{head}.{body}.{}~", URL_SAFE_NO_PAD.encode(signature))
}

#[test]
fn the_credentials_own_properties_cannot_be_hidden() {
    let key = Ed25519KeyPair::from_seed(&[61; 32]);
    let issuer = issuer();
    let vm = format!("{}#{}", issuer.did(), &issuer.did()["did:key:".len()..]);
    let mut claims = Value::Object(age_credential(issuer.did()));
    let header = json!({"alg": "EdDSA", "typ": "vc+sd-jwt", "kid": vm});
    let plain = signed(&key, header.clone(), claims.clone());
    let options = VerifyOptions::at(at());
    assert!(
        verify(&plain, &options).verified(),
        "{}",
        verify(&plain, &options).render(passerelle::Lang::En)
    );
    // A `_sd` at the top: validUntil or credentialStatus could be left out.
    claims["_sd"] = json!(["X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"]);
    let hiding = signed(&key, header.clone(), claims.clone());
    assert_eq!(
        failure(&verify(&hiding, &options)),
        (CheckName::Parse, ErrorCode::SdJwtPayloadInvalid)
    );
    claims.as_object_mut().unwrap().remove("_sd");
    // Another typ, or none.
    for header in [
        json!({"alg": "EdDSA", "typ": "example+sd-jwt", "kid": vm}),
        json!({"alg": "EdDSA", "kid": vm}),
        json!({"alg": "EdDSA", "typ": "vc+sd-jwt"}),
    ] {
        let token = signed(&key, header.clone(), claims.clone());
        assert_eq!(
            failure(&verify(&token, &options)),
            (CheckName::Parse, ErrorCode::JoseHeaderInvalid),
            "{header}"
        );
    }
    // Signed by another key than the one kid names.
    let stranger = Ed25519KeyPair::from_seed(&[99; 32]);
    let forged = signed(&stranger, header, claims);
    assert_eq!(
        failure(&verify(&forged, &options)),
        (CheckName::Proof, ErrorCode::ProofSignatureInvalid)
    );
    // And the issuer refuses to make a property of the credential disclosable.
    for pointer in ["/validUntil", "/credentialSubject", "/credentialStatus"] {
        let error = issuer
            .issue_sd_jwt(age_credential(issuer.did()), &[pointer], None, at())
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::OptionInvalid, "{pointer}");
    }
}

/// Hand-made issuer-signed claims with a digest somewhere outside
/// `credentialSubject`: the holder could leave out a status entry, a type,
/// a context. Each is refused, with its Disclosure withheld as such a
/// holder would.
#[test]
fn digests_outside_the_subject_are_refused() {
    let key = Ed25519KeyPair::from_seed(&[61; 32]);
    let issuer = issuer();
    let vm = format!("{}#{}", issuer.did(), &issuer.did()["did:key:".len()..]);
    let header = json!({"alg": "EdDSA", "typ": "vc+sd-jwt", "kid": vm});
    let entry = json!({"id": "https://example.com/status/1#5", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "5", "statusListCredential": "https://example.com/status/1"});
    let hidden_entry = Disclosure::element("s1", entry);
    let hidden_type = Disclosure::element("s2", json!("AgeCredential"));
    let hidden_context = Disclosure::element("s3", json!("https://www.w3.org/ns/credentials/examples/v2"));
    let hidden_member = Disclosure::member("s4", "name", json!("Ministry")).unwrap();
    let cases: Vec<(&str, Value)> = vec![
        (
            "credentialStatus",
            json!({"credentialStatus": [{"...": hidden_entry.digest()}]}),
        ),
        (
            "type",
            json!({"type": ["VerifiableCredential", {"...": hidden_type.digest()}]}),
        ),
        (
            "@context",
            json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"...": hidden_context.digest()}]}),
        ),
        (
            "issuer",
            json!({"issuer": {"id": issuer.did(), "_sd": [hidden_member.digest()]}}),
        ),
    ];
    for (what, change) in cases {
        let mut claims = Value::Object(age_credential(issuer.did()));
        for (name, value) in change.as_object().unwrap() {
            claims[name] = value.clone();
        }
        let token = signed(&key, header.clone(), claims);
        assert_eq!(
            failure(&verify(&token, &VerifyOptions::at(at()))),
            (CheckName::Parse, ErrorCode::SdJwtPayloadInvalid),
            "{what}"
        );
    }
    // And the issuer makes none: only claims inside credentialSubject may be disclosable.
    let mut with_status = age_credential(issuer.did());
    with_status.insert(
        "credentialStatus".into(),
        json!([{"id": "https://example.com/status/1#5",
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "5",
        "statusListCredential": "https://example.com/status/1"}]),
    );
    for pointer in ["/credentialStatus/0", "/type/1", "/@context/0", "/validUntil"] {
        let error = issuer
            .issue_sd_jwt(with_status.clone(), &[pointer], None, at())
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::OptionInvalid, "{pointer}");
    }
}

/// A domain alone asks for the holder's proof as a challenge does.
#[test]
fn a_domain_alone_requires_the_holders_proof() {
    let issuer = issuer();
    let unbound = issuer
        .issue_sd_jwt(age_credential(issuer.did()), &DISCLOSABLE, None, at())
        .unwrap();
    assert!(verify(&unbound, &VerifyOptions::at(at())).verified());
    let mut options = VerifyOptions::at(at());
    options.domain = Some("https://clerk.example".into());
    assert_eq!(
        failure(&verify(&unbound, &options)),
        (CheckName::Proof, ErrorCode::KeyBindingMissing)
    );
}

/// An envelope says what its data is: a vc+sd-jwt in `data:application/vc+sd-jwt,…`
/// verifies as one; labelled `application/vc+jwt` it is refused.
#[test]
fn an_enveloped_sd_jwt_is_read_by_its_media_type() {
    let shown = present(&issued(), &["/credentialSubject/ageOver19"], "nonce-7");
    let envelope = |media: &str| {
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential",
               "id": format!("data:{media},{shown}")})
        .to_string()
    };
    let report = verify(&envelope("application/vc+sd-jwt"), &options());
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let report = verify(&envelope("application/vc+jwt"), &options());
    assert_eq!(failure(&report), (CheckName::Parse, ErrorCode::JoseMalformed));
}

/// What the verifier asks for must be there as presented: a claim the
/// holder did not disclose, or one a credential never had, is refused.
#[test]
fn a_claim_asked_for_and_not_disclosed_is_refused() {
    let shown = present(&issued(), &["/credentialSubject/ageOver19"], "nonce-7");
    let asking = |pointers: &[&str]| VerifyOptions {
        required_claims: pointers.iter().map(|p| p.to_string()).collect(),
        ..options()
    };
    assert!(verify(&shown, &asking(&["/credentialSubject/ageOver19"])).verified());
    assert_eq!(
        failure(&verify(
            &shown,
            &asking(&["/credentialSubject/ageOver19", "/credentialSubject/birthDate"])
        )),
        (CheckName::DataModel, ErrorCode::RequiredClaimMissing)
    );
    // A Data Integrity credential lacking it, and a presentation (whose claims would they be?).
    let issuer = issuer();
    let signed = issuer.issue(age_credential(issuer.did()), at()).unwrap().into_json();
    let text = Value::Object(signed.clone()).to_string();
    let mut plain = VerifyOptions::at(at());
    plain.required_claims = vec!["/credentialSubject/name".into()];
    assert_eq!(
        failure(&verify(&text, &plain)),
        (CheckName::DataModel, ErrorCode::RequiredClaimMissing)
    );
    plain.required_claims = vec!["/credentialSubject/ageOver19".into()];
    assert!(verify(&text, &plain).verified());
    let presentation = json!({"@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"], "verifiableCredential": [signed]});
    assert_eq!(
        failure(&verify(&presentation.to_string(), &plain)),
        (CheckName::DataModel, ErrorCode::OptionInvalid)
    );
}
