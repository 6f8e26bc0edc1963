//! Keys beyond DIDs: issuers identified by an `https` URL whose methods are
//! in a controlled identifier document (W3C CID 1.0), a JWS `kid` that is
//! a JWK thumbprint (RFC 7638, bare or as an RFC 9278 URI), and methods a
//! verifier pins (`VerifyOptions::pinned_methods`), for every format that
//! names its key (Data Integrity, `vc+jwt`, COSE, SD-JWT VC).

mod common;

use common::{failure, object, permit};
use passerelle::crypto::{jwk, Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::did::{DidDocument, StaticResolver, VerificationMethod};
use passerelle::jose::{sign_compact, Media};
use passerelle::verify::{CheckName, EvidenceKey};
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Value};

const ISSUER: &str = "https://mines.yukon.passerelle.example/issuers/7";

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn key() -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[71; 32])
}

fn method_id() -> String {
    format!("{ISSUER}#key-1")
}

/// The issuer's method as JSON: a `JsonWebKey` (VC-JOSE-COSE §4.3).
fn method_json(key: &dyn Signer) -> Value {
    json!({"id": method_id(), "type": "JsonWebKey", "controller": ISSUER, "publicKeyJwk": key.public_key().to_jwk()})
}

/// The issuer's controlled identifier document, its method under
/// `relationship`.
fn cid_document(relationship: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": ISSUER,
        "verificationMethod": [method_json(&key())],
        relationship: [method_id()]
    })
}

fn verifier_with(documents: &[Value]) -> Verifier<StaticResolver> {
    let mut resolver = StaticResolver::default();
    for document in documents {
        resolver.insert(DidDocument::from_json(document.clone()).unwrap());
    }
    Verifier::new(resolver)
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::new(key(), method_id()).unwrap()
}

/// The same permit secured three ways by the https issuer.
fn secured_permits() -> Vec<(&'static str, Vec<u8>)> {
    let issuer = issuer();
    vec![
        (
            "eddsa-jcs-2022",
            issuer
                .issue(permit(ISSUER), at())
                .unwrap()
                .to_json_string()
                .into_bytes(),
        ),
        ("vc+jwt", issuer.issue_jwt(permit(ISSUER), at()).unwrap().into_bytes()),
        ("vc+cose", issuer.issue_cose(permit(ISSUER), at()).unwrap()),
    ]
}

fn evidence(report: &Report, check: CheckName, key: EvidenceKey) -> Vec<String> {
    let check = report.check(check).unwrap();
    check
        .evidence
        .iter()
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

#[test]
fn an_https_issuer_verifies_through_its_controlled_identifier_document() {
    let verifier = verifier_with(&[cid_document("assertionMethod")]);
    for (format, bytes) in secured_permits() {
        let report = verifier.verify(&bytes, &VerifyOptions::at(at()));
        assert!(report.verified(), "{format}: {}", report.render(passerelle::Lang::En));
        assert_eq!(
            evidence(&report, CheckName::KeyBinding, EvidenceKey::Controller),
            [ISSUER]
        );
        assert_eq!(
            evidence(&report, CheckName::KeyBinding, EvidenceKey::AssertionMethod),
            [method_id()]
        );
    }
}

#[test]
fn what_controlled_identifiers_section_3_3_refuses_is_refused() {
    let options = VerifyOptions::at(at());
    // No document: nothing is fetched offline, nothing is guessed.
    for (format, bytes) in secured_permits() {
        let report = Verifier::offline().verify(&bytes, &options);
        assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::DidNotFound), "{format}");
    }
    // Step 11: the method is listed for authentication only.
    let verifier = verifier_with(&[cid_document("authentication")]);
    for (format, bytes) in secured_permits() {
        let report = verifier.verify(&bytes, &options);
        assert_eq!(
            failure(&report),
            (CheckName::KeyBinding, ErrorCode::VerificationMethodNotAuthorized),
            "{format}"
        );
    }
    // Step 10: the method names another controller.
    let mut foreign = cid_document("assertionMethod");
    foreign["verificationMethod"][0]["controller"] = json!("https://elsewhere.example/issuers/7");
    let report = verifier_with(&[foreign]).verify(&secured_permits()[1].1, &options);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::DidDocumentInvalid));
    // Step 6: a document whose id is not the URL asked for.
    let mut other = cid_document("assertionMethod");
    other["id"] = json!("https://mines.yukon.passerelle.example/issuers/8");
    let report = verifier_with(&[other]).verify(&secured_permits()[1].1, &options);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::DidNotFound));
}

#[test]
fn a_key_of_another_controller_does_not_sign_for_the_issuer() {
    // The credential names the https issuer; the token names a key that
    // another https controller lists (and genuinely holds).
    let other = "https://elsewhere.example/issuers/9";
    let stranger = Ed25519KeyPair::from_seed(&[72; 32]);
    let document = json!({"id": other, "verificationMethod": [{"id": format!("{other}#k"), "type": "JsonWebKey",
        "controller": other, "publicKeyJwk": stranger.public_key().to_jwk()}], "assertionMethod": [format!("{other}#k")]});
    let token = sign_compact(&permit(ISSUER), &format!("{other}#k"), Media::Credential, &stranger).unwrap();
    let report =
        verifier_with(&[document, cid_document("assertionMethod")]).verify(token.as_bytes(), &VerifyOptions::at(at()));
    assert_eq!(
        failure(&report),
        (CheckName::KeyBinding, ErrorCode::KeyControllerMismatch)
    );
}

#[test]
fn a_kid_that_is_a_jwk_thumbprint_names_the_issuers_key_that_has_it() {
    let key = key();
    let thumbprint = jwk::thumbprint(&key.public_key());
    let verifier = verifier_with(&[cid_document("assertionMethod")]);
    let options = VerifyOptions::at(at());
    for kid in [
        thumbprint.clone(),
        format!("{}{thumbprint}", jwk::THUMBPRINT_URI_PREFIX),
    ] {
        let token = sign_compact(&permit(ISSUER), &kid, Media::Credential, &key).unwrap();
        let report = verifier.verify(token.as_bytes(), &options);
        assert!(report.verified(), "{kid}: {}", report.render(passerelle::Lang::En));
        // The method found is the document's, under its own id.
        assert_eq!(
            evidence(&report, CheckName::KeyBinding, EvidenceKey::AssertionMethod),
            [method_id()]
        );
    }
    // The thumbprint of a key the document does not list.
    let stranger = Ed25519KeyPair::from_seed(&[73; 32]);
    let kid = jwk::thumbprint(&stranger.public_key());
    let token = sign_compact(&permit(ISSUER), &kid, Media::Credential, &stranger).unwrap();
    let report = verifier.verify(token.as_bytes(), &options);
    assert_eq!(
        failure(&report),
        (CheckName::Proof, ErrorCode::VerificationMethodNotFound)
    );
    // The issuer's thumbprint, but signed by the stranger: the key found
    // by thumbprint is the issuer's, and the signature is not.
    let token = sign_compact(&permit(ISSUER), &thumbprint, Media::Credential, &stranger).unwrap();
    let report = verifier.verify(token.as_bytes(), &options);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::ProofSignatureInvalid));
}

#[test]
fn a_pinned_method_verifies_without_a_document_and_the_report_says_so() {
    let pinned = VerificationMethod::from_json(&method_json(&key())).unwrap();
    let mut options = VerifyOptions::at(at());
    options.pinned_methods.push(pinned);
    for (format, bytes) in secured_permits() {
        let report = Verifier::offline().verify(&bytes, &options);
        assert!(report.verified(), "{format}: {}", report.render(passerelle::Lang::En));
        assert_eq!(
            evidence(&report, CheckName::KeyBinding, EvidenceKey::PinnedByVerifier),
            [method_id()]
        );
        assert!(evidence(&report, CheckName::KeyBinding, EvidenceKey::AssertionMethod).is_empty());
        let french = report.render(passerelle::Lang::Fr);
        assert!(french.contains("clé fixée par le vérificateur"), "{french}");
    }
    // A thumbprint kid finds the pinned method by its controller and key.
    let token = sign_compact(
        &permit(ISSUER),
        &jwk::thumbprint(&key().public_key()),
        Media::Credential,
        &key(),
    )
    .unwrap();
    assert!(Verifier::offline().verify(token.as_bytes(), &options).verified());
    // Pinning does not make another controller's key the issuer's.
    let elsewhere = "https://elsewhere.example/issuers/9";
    let mut foreign = method_json(&key());
    foreign["id"] = json!(format!("{elsewhere}#key-1"));
    foreign["controller"] = json!(elsewhere);
    let mut options = VerifyOptions::at(at());
    options
        .pinned_methods
        .push(VerificationMethod::from_json(&foreign).unwrap());
    let token = sign_compact(
        &permit(ISSUER),
        &format!("{elsewhere}#key-1"),
        Media::Credential,
        &key(),
    )
    .unwrap();
    let report = Verifier::offline().verify(token.as_bytes(), &options);
    assert_eq!(
        failure(&report),
        (CheckName::KeyBinding, ErrorCode::KeyControllerMismatch)
    );
    // A pinned key that did not sign.
    let mut options = VerifyOptions::at(at());
    let other = P256KeyPair::from_secret_bytes(&[74; 32]).unwrap();
    options
        .pinned_methods
        .push(VerificationMethod::from_json(&method_json(&other)).unwrap());
    let report = Verifier::offline().verify(&secured_permits()[1].1, &options);
    assert_eq!(
        failure(&report),
        (CheckName::Proof, ErrorCode::JoseAlgorithmUnsupported)
    );
}

#[test]
fn malformed_methods_and_controller_urls_are_refused() {
    let good = method_json(&key());
    let with = |name: &str, value: Value| {
        let mut method = good.clone();
        method[name] = value;
        VerificationMethod::from_json(&method).map_err(|e| e.code())
    };
    assert!(with("id", json!(method_id())).is_ok());
    for (name, value, code) in [
        (
            "id",
            json!("http://mines.yukon.passerelle.example/issuers/7#key-1"),
            ErrorCode::DidInvalid,
        ),
        (
            "id",
            json!("https://user@mines.yukon.passerelle.example/issuers/7#key-1"),
            ErrorCode::DidInvalid,
        ),
        ("id", json!("https://#key-1"), ErrorCode::DidInvalid),
        (
            "id",
            json!("https://mines.yukon.passerelle.example/issuers 7#key-1"),
            ErrorCode::DidInvalid,
        ),
        ("id", json!(ISSUER), ErrorCode::DidDocumentInvalid),
        (
            "id",
            json!("https://elsewhere.example/issuers/7#key-1"),
            ErrorCode::DidDocumentInvalid,
        ),
        ("controller", json!(7), ErrorCode::DidDocumentInvalid),
        (
            "publicKeyJwk",
            json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}),
            ErrorCode::KeyInvalid,
        ),
    ] {
        assert_eq!(with(name, value.clone()), Err(code), "{name}: {value}");
    }
    let mut private = good.clone();
    private["publicKeyJwk"]["d"] = json!("AAAA");
    assert_eq!(
        VerificationMethod::from_json(&private).unwrap_err().code(),
        ErrorCode::KeyInvalid
    );
    // A document whose id is no https URL or DID.
    for id in ["http://a.example", "https://a.example/x#frag", "ftp://a.example"] {
        let error = DidDocument::from_json(json!({"id": id})).unwrap_err();
        assert_eq!(error.code(), ErrorCode::DidDocumentInvalid, "{id}");
    }
    assert!(Issuer::new(key(), "http://a.example/issuers/7#key-1").is_err());
    assert!(Issuer::new(key(), ISSUER).is_err(), "a method needs a fragment");
}

#[test]
fn an_sd_jwt_vc_of_an_https_issuer_verifies_through_its_document() {
    let claims = object(json!({"vct": "https://credentials.passerelle.example/age", "age_over_19": true}));
    let issued = issuer().issue_sd_jwt_vc(claims, &["/age_over_19"], None, at()).unwrap();
    let presented = passerelle::sd_jwt::present(&issued, &["/age_over_19"], None, Default::default()).unwrap();
    let report =
        verifier_with(&[cid_document("assertionMethod")]).verify(presented.as_bytes(), &VerifyOptions::at(at()));
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(
        evidence(&report, CheckName::KeyBinding, EvidenceKey::Controller),
        [ISSUER]
    );
}

/// Review: a pin cannot give a self-certifying DID (did:key, did:jwk)
/// another key than the one the DID is.
#[test]
fn a_pin_for_a_did_key_or_did_jwk_must_hold_the_key_the_did_is() {
    let victim = Ed25519KeyPair::from_seed(&[75; 32]).public_key();
    let attacker = Ed25519KeyPair::from_seed(&[76; 32]).public_key();
    let key_did = passerelle::did::key::did_for(&victim);
    let jwk_did = passerelle::did::jwk::did_for(&victim);
    for (controller, id) in [
        (key_did.clone(), passerelle::did::key::verification_method_for(&victim)),
        (jwk_did.clone(), format!("{jwk_did}#0")),
    ] {
        let pin = |key: &passerelle::crypto::PublicKey| {
            VerificationMethod::from_json(&json!({"id": id, "type": "Multikey", "controller": controller,
                "publicKeyMultibase": key.to_multikey()}))
        };
        assert!(pin(&victim).is_ok(), "{controller}");
        assert_eq!(
            pin(&attacker).unwrap_err().code(),
            ErrorCode::KeyInvalid,
            "{controller}"
        );
    }
}

/// Review: a pin vouches for an issuer's key (assertions), not for a
/// holder proving who it is.
#[test]
fn a_pinned_method_does_not_authenticate_a_holder() {
    let pinned = VerificationMethod::from_json(&method_json(&key())).unwrap();
    let presentation = object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": ISSUER
    }));
    let shown = issuer()
        .present(presentation, Some("n-1"), Some("https://clerk.example"), at())
        .unwrap();
    let mut options = VerifyOptions::at(at());
    options.challenge = Some("n-1".into());
    options.domain = Some("https://clerk.example".into());
    options.pinned_methods.push(pinned);
    let report = Verifier::offline().verify(Value::Object(shown.json().clone()).to_string().as_bytes(), &options);
    assert_eq!(
        failure(&report),
        (CheckName::KeyBinding, ErrorCode::VerificationMethodNotAuthorized)
    );
    // Listed under authentication in the holder's document, it verifies.
    let report = verifier_with(&[cid_document("authentication")]).verify(
        Value::Object(shown.json().clone()).to_string().as_bytes(),
        &{
            let mut options = options.clone();
            options.pinned_methods.clear();
            options
        },
    );
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
}

/// Review: a method whose id is a JWK thumbprint URI must hold the key with
/// that thumbprint (RFC 9278), in a document or a pin.
#[test]
fn a_method_named_by_a_thumbprint_holds_the_key_with_that_thumbprint() {
    let (named, holder) = (key(), Ed25519KeyPair::from_seed(&[77; 32]));
    let id = format!(
        "{ISSUER}#{}{}",
        jwk::THUMBPRINT_URI_PREFIX,
        jwk::thumbprint(&named.public_key())
    );
    let method =
        json!({"id": id, "type": "JsonWebKey", "controller": ISSUER, "publicKeyJwk": holder.public_key().to_jwk()});
    let document = json!({"id": ISSUER, "verificationMethod": [method], "assertionMethod": [id]});
    let token = sign_compact(&permit(ISSUER), &id, Media::Credential, &holder).unwrap();
    let report = verifier_with(&[document]).verify(token.as_bytes(), &VerifyOptions::at(at()));
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::KeyInvalid));
    assert_eq!(
        VerificationMethod::from_json(&method).unwrap_err().code(),
        ErrorCode::KeyInvalid
    );
}

/// Review: a JWK says what its key is for (RFC 7517 §4.2–4.4); a key for
/// encryption, or for another algorithm, does not verify signatures.
#[test]
fn a_jwk_for_another_use_or_algorithm_is_refused() {
    let base = key().public_key().to_jwk();
    let with = |name: &str, value: Value| {
        let mut jwk_value = base.clone();
        jwk_value[name] = value;
        jwk::public_key(&jwk_value).map(|_| ()).map_err(|e| e.code())
    };
    assert_eq!(with("alg", json!("EdDSA")), Ok(()));
    assert_eq!(with("use", json!("sig")), Ok(()));
    assert_eq!(with("key_ops", json!(["verify"])), Ok(()));
    assert_eq!(with("alg", json!("ES256")), Err(ErrorCode::KeyInvalid));
    assert_eq!(with("use", json!("enc")), Err(ErrorCode::KeyInvalid));
    assert_eq!(with("key_ops", json!(["encrypt"])), Err(ErrorCode::KeyInvalid));
    assert_eq!(with("key_ops", json!("verify")), Err(ErrorCode::KeyInvalid));
}
