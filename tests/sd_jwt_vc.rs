//! IETF SD-JWT VCs (`dc+sd-jwt`): issued by an `Issuer`, presented with a
//! chosen claim and a Key Binding JWT, verified by the `Verifier` with a
//! report of the same checks as any credential; the draft's rules broken
//! one at a time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::json::Limits;
use passerelle::sd_jwt::{self, Disclosure, KeyBinding};
use passerelle::verify::{CheckName, EvidenceKey, StatusPolicy};
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

mod common;
use common::{failure, object};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[81; 32]))
}

fn holder() -> P256KeyPair {
    P256KeyPair::from_secret_bytes(&[82; 32]).unwrap()
}

const VCT: &str = "https://credentials.bc.passerelle.example/age";

fn claims() -> Map<String, Value> {
    object(json!({"vct": VCT, "birthdate": "1990-05-01", "age_over_19": true, "exp": at().unix_seconds() + 86400}))
}

fn issued() -> String {
    issuer()
        .issue_sd_jwt_vc(
            claims(),
            &["/birthdate", "/age_over_19"],
            Some(holder().public_key()),
            at(),
        )
        .unwrap()
}

fn present(issued: &str, disclose: &[&str]) -> String {
    let holder = holder();
    let binding = KeyBinding {
        signer: &holder,
        nonce: "n-1",
        audience: "https://clerk.example",
        issued_at: at(),
    };
    sd_jwt::present(issued, disclose, Some(&binding), Limits::default()).unwrap()
}

fn options() -> VerifyOptions {
    let mut options = VerifyOptions::at(at());
    options.challenge = Some("n-1".into());
    options.domain = Some("https://clerk.example".into());
    options
}

fn verify(input: &str, options: &VerifyOptions) -> Report {
    Verifier::offline().verify(input.as_bytes(), options)
}

#[test]
fn an_sd_jwt_vc_verifies_with_its_type_issuer_and_holder() {
    let shown = present(&issued(), &["/age_over_19"]);
    let report = verify(&shown, &options());
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let names: Vec<CheckName> = report.checks().iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            CheckName::Parse,
            CheckName::DataModel,
            CheckName::Proof,
            CheckName::KeyBinding,
            CheckName::ValidityPeriod,
            CheckName::Status,
            CheckName::Trust
        ]
    );
    let data_model = &report.checks()[1];
    assert!(data_model.evidence.contains(&(EvidenceKey::Types, VCT.into())));
    assert!(data_model
        .evidence
        .contains(&(EvidenceKey::Issuer, issuer().did().into())));
    assert_eq!(
        report.checks()[0].evidence[0],
        (EvidenceKey::Format, "dc+sd-jwt".into())
    );
    // After its exp: the validity period fails, not the proof.
    let mut later = options();
    later.time = at().plus_seconds(2 * 86400);
    let late = {
        let holder = holder();
        let binding = KeyBinding {
            signer: &holder,
            nonce: "n-1",
            audience: "https://clerk.example",
            issued_at: later.time,
        };
        sd_jwt::present(&issued(), &["/age_over_19"], Some(&binding), Limits::default()).unwrap()
    };
    assert_eq!(
        failure(&verify(&late, &later)),
        (CheckName::ValidityPeriod, ErrorCode::CredentialExpired)
    );
}

/// An issuer-signed JWT of `claims` (with `header`), by the test issuer's key.
fn signed(header: Value, claims: &Value, disclosures: &[&Disclosure]) -> String {
    let key = Ed25519KeyPair::from_seed(&[81; 32]);
    let head = URL_SAFE_NO_PAD.encode(header.to_string());
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signature = key.sign(format!("{head}.{body}").as_bytes()).unwrap();
    let mut token = format!("{head}.{body}.{}~", URL_SAFE_NO_PAD.encode(signature));
    for disclosure in disclosures {
        token.push_str(disclosure.encoded());
        token.push('~');
    }
    token
}

#[test]
fn the_drafts_rules_are_each_refused_with_a_code() {
    let issuer = issuer();
    let did = issuer.did().to_owned();
    let kid = format!("{did}#{}", &did["did:key:".len()..]);
    let header = json!({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": kid});
    let plain = |extra: Value| {
        let mut claims = json!({"vct": VCT, "iss": did, "name": "A"});
        for (k, v) in extra.as_object().unwrap() {
            claims[k] = v.clone();
        }
        claims
    };
    let lax = VerifyOptions::at(at());
    assert!(verify(&signed(header.clone(), &plain(json!({})), &[]), &lax).verified());
    // The draft's former typ, with a vct and no @context, is read the same way.
    let former = json!({"alg": "EdDSA", "typ": "vc+sd-jwt", "kid": kid});
    let report = verify(&signed(former, &plain(json!({})), &[]), &lax);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let vct = Disclosure::member("s1", "vct", json!(VCT)).unwrap();
    let status = json!({"status_list": {"idx": 3, "uri": "https://bc.passerelle.example/status/1"}});
    let cases: Vec<(&str, String, (CheckName, ErrorCode))> = vec![
        (
            "no vct",
            signed(header.clone(), &json!({"iss": did}), &[]),
            (CheckName::DataModel, ErrorCode::TypeInvalid),
        ),
        (
            "vct disclosed",
            signed(header.clone(), &json!({"iss": did, "_sd": [vct.digest()]}), &[&vct]),
            (CheckName::Parse, ErrorCode::SdJwtPayloadInvalid),
        ),
        (
            "an http issuer (neither a DID nor an https URL)",
            signed(header.clone(), &plain(json!({"iss": "http://issuer.example"})), &[]),
            (CheckName::DataModel, ErrorCode::IssuerInvalid),
        ),
        (
            "a Token Status List reference, and no status source",
            signed(header.clone(), &plain(json!({"status": status})), &[]),
            (CheckName::Status, ErrorCode::StatusListUnavailable),
        ),
        (
            "not valid before nbf",
            signed(header.clone(), &plain(json!({"nbf": at().unix_seconds() + 3600})), &[]),
            (CheckName::ValidityPeriod, ErrorCode::CredentialNotYetValid),
        ),
        (
            "iat after the time of verification",
            signed(header.clone(), &plain(json!({"iat": at().unix_seconds() + 3600})), &[]),
            (CheckName::Proof, ErrorCode::ProofCreatedInFuture),
        ),
        (
            "signed by another key than kid's",
            {
                let mut token = signed(header.clone(), &plain(json!({})), &[]);
                let stranger = Ed25519KeyPair::from_seed(&[99; 32]);
                let input = token[..token.rfind('.').unwrap()].to_owned();
                let signature = stranger.sign(input.as_bytes()).unwrap();
                token = format!("{input}.{}~", URL_SAFE_NO_PAD.encode(signature));
                token
            },
            (CheckName::Proof, ErrorCode::ProofSignatureInvalid),
        ),
    ];
    for (what, token, expected) in cases {
        assert_eq!(failure(&verify(&token, &lax)), expected, "{what}");
    }
    // The status left unchecked when the verifier accepts having no status source.
    let mut accepting = VerifyOptions::at(at());
    accepting.status_policy = StatusPolicy {
        skip_without_source: true,
        ..StatusPolicy::default()
    };
    let report = verify(&signed(header, &plain(json!({"status": status})), &[]), &accepting);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    // Issuing refuses what a holder could hide, and a missing vct.
    for pointer in ["/vct", "/status", "/status/status_list", "/exp", "/iss", "/cnf/jwk"] {
        let error = issuer.issue_sd_jwt_vc(claims(), &[pointer], None, at()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::OptionInvalid, "{pointer}");
    }
    let error = issuer
        .issue_sd_jwt_vc(object(json!({"name": "A"})), &[], None, at())
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::TypeInvalid);
}

/// Review findings on SD-JWT VCs, each refused with its code.
#[test]
fn what_a_holder_or_issuer_could_slip_past_is_refused() {
    let issuer = issuer();
    let did = issuer.did().to_owned();
    let kid = format!("{did}#{}", &did["did:key:".len()..]);
    let header = json!({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": kid});
    let lax = VerifyOptions::at(at());
    let asking = |pointers: &[&str]| VerifyOptions {
        required_claims: pointers.iter().map(|p| p.to_string()).collect(),
        ..options()
    };
    // A claim asked for and not disclosed.
    let shown = present(&issued(), &["/age_over_19"]);
    assert!(verify(&shown, &asking(&["/age_over_19"])).verified());
    assert_eq!(
        failure(&verify(&shown, &asking(&["/birthdate"]))),
        (CheckName::DataModel, ErrorCode::RequiredClaimMissing)
    );
    // Malformed pointers are the verifier's mistake, said so.
    for bad in ["age_over_19", "/age~2over"] {
        assert_eq!(
            failure(&verify(&shown, &asking(&[bad]))),
            (CheckName::DataModel, ErrorCode::OptionInvalid),
            "{bad}"
        );
    }
    // iat decides when the issuer's authorization is judged: never disclosable.
    let iat = Disclosure::member("s-iat", "iat", json!(at().unix_seconds() - 10)).unwrap();
    let token = signed(
        header.clone(),
        &json!({"vct": VCT, "iss": did, "_sd": [iat.digest()]}),
        &[&iat],
    );
    assert_eq!(
        failure(&verify(&token, &lax)),
        (CheckName::Parse, ErrorCode::SdJwtPayloadInvalid)
    );
    let error = issuer.issue_sd_jwt_vc(claims(), &["/iat"], None, at()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::OptionInvalid);
    // VCDM properties have no meaning here: refused rather than ignored.
    for (name, value) in [
        ("credentialStatus", json!({"type": "BitstringStatusListEntry"})),
        ("validUntil", json!("2020-01-01T00:00:00Z")),
        ("@context", json!(["https://www.w3.org/ns/credentials/v2"])),
    ] {
        let mut claims = json!({"vct": VCT, "iss": did});
        claims[name] = value.clone();
        let token = signed(header.clone(), &claims, &[]);
        assert_eq!(
            failure(&verify(&token, &lax)),
            (CheckName::DataModel, ErrorCode::PropertyInvalid),
            "{name}"
        );
        let mut input = Map::new();
        input.insert("vct".into(), VCT.into());
        input.insert(name.into(), value);
        assert_eq!(
            issuer.issue_sd_jwt_vc(input, &[], None, at()).unwrap_err().code(),
            ErrorCode::PropertyInvalid,
            "{name}"
        );
    }
    // exp is exclusive (RFC 7519: the time must be before it).
    let at_exp = signed(
        header.clone(),
        &json!({"vct": VCT, "iss": did, "exp": at().unix_seconds()}),
        &[],
    );
    assert_eq!(
        failure(&verify(&at_exp, &lax)),
        (CheckName::ValidityPeriod, ErrorCode::CredentialExpired)
    );
    // An SD-JWT VC in a VCDM envelope.
    let envelope = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential",
        "id": format!("data:application/vc+sd-jwt,{}", signed(header.clone(), &json!({"vct": VCT, "iss": did}), &[]))});
    assert_eq!(
        failure(&verify(&envelope.to_string(), &lax)),
        (CheckName::DataModel, ErrorCode::TypeInvalid)
    );
    // A claim named proof is not a Data Integrity proof (whose created the
    // trust check would read): refused with the other VCDM properties.
    let with_proof = json!({"vct": VCT, "iss": did, "proof": {"created": "2026-07-01T00:00:00Z"}});
    assert_eq!(
        failure(&verify(&signed(header.clone(), &with_proof, &[]), &lax)),
        (CheckName::DataModel, ErrorCode::PropertyInvalid)
    );
    // Issuing: a time claim that is not a NumericDate, a status reference made disclosable.
    let mut bad_exp = claims();
    bad_exp.insert("exp".into(), json!("2027-01-01"));
    assert_eq!(
        issuer.issue_sd_jwt_vc(bad_exp, &[], None, at()).unwrap_err().code(),
        ErrorCode::JoseClaimsInvalid
    );
    let mut with_status = claims();
    with_status.insert(
        "status".into(),
        json!({"status_list": {"idx": 1, "uri": "https://x.example/s"}}),
    );
    assert_eq!(
        issuer
            .issue_sd_jwt_vc(with_status, &["/status/status_list"], None, at())
            .unwrap_err()
            .code(),
        ErrorCode::OptionInvalid
    );
}
