//! VC-JOSE-COSE `vc+jwt` interoperability with josekit (an independent
//! implementation, OpenSSL underneath): tokens we sign verify in josekit,
//! tokens josekit signs verify in ours, for EdDSA, ES256, ES384 and ES512; and the header
//! and claim checks refuse what RFC 8725 and VC-JOSE-COSE say to refuse.

use josekit::jwk::Jwk;
use josekit::jws::{EdDSA, JwsHeader, JwsSigner, JwsVerifier, ES256, ES384, ES512, HS256};
use josekit::jwt::{self, JwtPayload};
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, P384KeyPair, P521KeyPair, Signer};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{did, ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn credential(issuer: &str) -> Map<String, Value> {
    let value = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:6f3b1c1e-6d1e-4a6c-9a55-7d1e0c8e2b10",
        "type": ["VerifiableCredential", "BusinessLicence"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:shop-7", "licenceNumber": "WH-2026-0042"}
    });
    value.as_object().unwrap().clone()
}

fn verify(token: &str) -> Report {
    Verifier::offline().verify(token.as_bytes(), &VerifyOptions::at(at()))
}

fn jwk_of(text: &str) -> Jwk {
    Jwk::from_bytes(text.as_bytes()).unwrap()
}

/// josekit's signer for `alg` (EdDSA, ES256, ES384 or ES512) with a private JWK.
fn josekit_signer(alg: &str, jwk: &Jwk) -> Box<dyn JwsSigner> {
    match alg {
        "EdDSA" => Box::new(EdDSA.signer_from_jwk(jwk).unwrap()),
        "ES256" => Box::new(ES256.signer_from_jwk(jwk).unwrap()),
        "ES384" => Box::new(ES384.signer_from_jwk(jwk).unwrap()),
        "ES512" => Box::new(ES512.signer_from_jwk(jwk).unwrap()),
        other => panic!("no josekit signer for {other}"),
    }
}

/// josekit's verifier for `alg` with a public JWK.
fn josekit_verifier(alg: &str, jwk: &Jwk) -> Box<dyn JwsVerifier> {
    match alg {
        "EdDSA" => Box::new(EdDSA.verifier_from_jwk(jwk).unwrap()),
        "ES256" => Box::new(ES256.verifier_from_jwk(jwk).unwrap()),
        "ES384" => Box::new(ES384.verifier_from_jwk(jwk).unwrap()),
        "ES512" => Box::new(ES512.verifier_from_jwk(jwk).unwrap()),
        other => panic!("no josekit verifier for {other}"),
    }
}

/// josekit signs `claims` with the private JWK and `alg`, naming `kid`, typ vc+jwt.
fn josekit_sign(claims: &Map<String, Value>, kid: &str, private_jwk: &str, alg: &str) -> String {
    let mut header = JwsHeader::new();
    header.set_token_type("vc+jwt");
    header.set_key_id(kid);
    let payload = JwtPayload::from_map(claims.clone()).unwrap();
    jwt::encode_with_signer(&payload, &header, &*josekit_signer(alg, &jwk_of(private_jwk))).unwrap()
}

/// One key of each type we sign JWTs with: its private JWK, the key, its `alg`.
fn keys_of_every_alg(byte: u8) -> Vec<(String, Box<dyn Signer>, &'static str)> {
    let mut p521 = [byte; 66];
    p521[0] = 1;
    let ed = Ed25519KeyPair::from_seed(&[byte; 32]);
    let p256 = P256KeyPair::from_secret_bytes(&[byte; 32]).unwrap();
    let p384 = P384KeyPair::from_secret_bytes(&[byte; 48]).unwrap();
    let p521 = P521KeyPair::from_secret_bytes(&p521).unwrap();
    vec![
        (
            ed.to_private_jwk().to_string(),
            Box::new(ed) as Box<dyn Signer>,
            "EdDSA",
        ),
        (p256.to_private_jwk().to_string(), Box::new(p256), "ES256"),
        (p384.to_private_jwk().to_string(), Box::new(p384), "ES384"),
        (p521.to_private_jwk().to_string(), Box::new(p521), "ES512"),
    ]
}

#[test]
fn our_tokens_of_every_alg_verify_in_josekit() {
    for (_, signer, alg) in keys_of_every_alg(31) {
        let public_jwk = signer.public_key().to_jwk();
        let issuer = Issuer::did_key(signer);
        let token = issuer.issue_jwt(credential(issuer.did()), at()).unwrap();
        let verifier = josekit_verifier(alg, &jwk_of(&public_jwk.to_string()));
        let (payload, header) = jwt::decode_with_verifier(&token, &*verifier).unwrap();
        assert_eq!(header.algorithm(), Some(alg));
        assert_eq!(header.token_type(), Some("vc+jwt"));
        assert_eq!(header.key_id(), Some(issuer.verification_method()));
        assert_eq!(payload.claim("issuer"), Some(&Value::String(issuer.did().to_owned())));
        assert_eq!(payload.claim("iat"), Some(&json!(at().unix_seconds())));
        let report = verify(&token);
        assert!(report.verified(), "{alg}: {}", report.render(passerelle::Lang::En));
    }
}

#[test]
fn josekit_tokens_of_every_alg_verify_in_ours() {
    for (private_jwk, key, alg) in keys_of_every_alg(33) {
        let key_did = did::key::did_for(&key.public_key());
        let vm = did::key::verification_method_for(&key.public_key());
        let token = josekit_sign(&credential(&key_did), &vm, &private_jwk, alg);
        let report = verify(&token);
        assert!(report.verified(), "{alg}: {}", report.render(passerelle::Lang::En));
        let proof = report.check(CheckName::Proof).unwrap();
        assert!(
            proof.evidence.iter().any(|(k, v)| k.name() == "alg" && v == alg),
            "{alg}"
        );
        // A relative kid is resolved against the issuer.
        let relative = format!("#{}", key.public_key().to_multikey());
        let token = josekit_sign(&credential(&key_did), &relative, &private_jwk, alg);
        assert!(verify(&token).verified(), "{alg} with a relative kid");
    }
}

fn failure(report: &Report) -> (CheckName, ErrorCode) {
    report
        .failures()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("expected a failure: {}", report.render(passerelle::Lang::En)))
}

#[test]
fn confusion_tampering_and_foreign_keys_are_refused() {
    let ed = Ed25519KeyPair::from_seed(&[35; 32]);
    let ed_did = did::key::did_for(&ed.public_key());
    let ed_vm = did::key::verification_method_for(&ed.public_key());

    // HS256 with the public key's bytes as the secret: the classic confusion.
    let mut header = JwsHeader::new();
    header.set_key_id(&ed_vm);
    let payload = JwtPayload::from_map(credential(&ed_did)).unwrap();
    let hmac = HS256.signer_from_bytes(ed.public_key().as_bytes()).unwrap();
    let token = jwt::encode_with_signer(&payload, &header, &hmac).unwrap();
    assert_eq!(
        failure(&verify(&token)),
        (CheckName::Parse, ErrorCode::JoseAlgorithmUnsupported)
    );

    // ES256 from a P-256 key, but kid names the Ed25519 key: alg does not fit.
    let p256 = P256KeyPair::from_secret_bytes(&[36; 32]).unwrap();
    let token = josekit_sign(&credential(&ed_did), &ed_vm, &p256.to_private_jwk(), "ES256");
    assert_eq!(
        failure(&verify(&token)),
        (CheckName::Proof, ErrorCode::JoseAlgorithmUnsupported)
    );

    // A changed claim: the signature no longer verifies.
    let good = josekit_sign(&credential(&ed_did), &ed_vm, &ed.to_private_jwk(), "EdDSA");
    let mut tampered_claims = credential(&ed_did);
    tampered_claims["credentialSubject"]["licenceNumber"] = json!("WH-2026-0043");
    let forged = josekit_sign(
        &tampered_claims,
        &ed_vm,
        &Ed25519KeyPair::from_seed(&[1; 32]).to_private_jwk(),
        "EdDSA",
    );
    let parts: Vec<&str> = good.split('.').collect();
    let forged_parts: Vec<&str> = forged.split('.').collect();
    let spliced = format!("{}.{}.{}", parts[0], forged_parts[1], parts[2]);
    assert_eq!(
        failure(&verify(&spliced)),
        (CheckName::Proof, ErrorCode::ProofSignatureInvalid)
    );

    // Signed by someone else's key: the key binding fails.
    let other = Ed25519KeyPair::from_seed(&[37; 32]);
    let token = josekit_sign(
        &credential(&ed_did),
        &did::key::verification_method_for(&other.public_key()),
        &other.to_private_jwk(),
        "EdDSA",
    );
    let report = verify(&token);
    assert_eq!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Passed);
    assert_eq!(
        failure(&report),
        (CheckName::KeyBinding, ErrorCode::KeyControllerMismatch)
    );

    // Claims: vc, an iss that is not the issuer, exp passed.
    let mut with_vc = credential(&ed_did);
    with_vc.insert("vc".into(), json!({}));
    let token = josekit_sign(&with_vc, &ed_vm, &ed.to_private_jwk(), "EdDSA");
    assert_eq!(
        failure(&verify(&token)),
        (CheckName::Parse, ErrorCode::JoseClaimsInvalid)
    );
    let mut with_iss = credential(&ed_did);
    with_iss.insert("iss".into(), json!("did:example:someone-else"));
    let token = josekit_sign(&with_iss, &ed_vm, &ed.to_private_jwk(), "EdDSA");
    assert_eq!(
        failure(&verify(&token)),
        (CheckName::Proof, ErrorCode::JoseClaimsInvalid)
    );
    let mut expired = credential(&ed_did);
    expired.insert("exp".into(), json!(at().unix_seconds() - 1));
    let token = josekit_sign(&expired, &ed_vm, &ed.to_private_jwk(), "EdDSA");
    assert_eq!(failure(&verify(&token)), (CheckName::Proof, ErrorCode::ProofExpired));
}

#[test]
fn a_vp_jwt_with_an_enveloped_vc_jwt_verifies_and_binds_nonce_and_aud() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[41; 32]));
    let vc = issuer.issue_jwt(credential(issuer.did()), at()).unwrap();
    let holder = Issuer::did_key(P256KeyPair::from_secret_bytes(&[42; 32]).unwrap());
    let presentation = |vc: &str| {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiablePresentation",
            "holder": holder.did(),
            "verifiableCredential": [{
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "EnvelopedVerifiableCredential",
                "id": format!("data:application/vc+jwt,{vc}")
            }]
        })
        .as_object()
        .unwrap()
        .clone()
    };
    let vp = holder
        .present_jwt(
            presentation(&vc),
            Some("n-0451"),
            Some("counter.whitehorse.example"),
            at(),
        )
        .unwrap();
    let mut options = VerifyOptions::at(at());
    options.challenge = Some("n-0451".into());
    options.domain = Some("counter.whitehorse.example".into());
    let report = Verifier::offline().verify(vp.as_bytes(), &options);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(report.credentials().len(), 1);
    assert!(report.credentials()[0].verified());

    // Replayed to another verifier, or with another challenge.
    let mut other = options.clone();
    other.challenge = Some("n-9999".into());
    let report = Verifier::offline().verify(vp.as_bytes(), &other);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::ChallengeMismatch));
    let mut other = options.clone();
    other.domain = Some("elsewhere.example".into());
    let report = Verifier::offline().verify(vp.as_bytes(), &other);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::DomainMismatch));

    // A tampered enveloped credential fails the credentials check, not the holder's proof.
    let parts: Vec<&str> = vc.split('.').collect();
    let mut claims = credential(issuer.did());
    claims["credentialSubject"]["licenceNumber"] = json!("WH-2026-9999");
    use base64::Engine as _;
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string()),
        parts[2]
    );
    let vp = holder
        .present_jwt(
            presentation(&forged),
            Some("n-0451"),
            Some("counter.whitehorse.example"),
            at(),
        )
        .unwrap();
    let report = Verifier::offline().verify(vp.as_bytes(), &options);
    assert_eq!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Passed);
    assert_eq!(
        failure(&report),
        (CheckName::Credentials, ErrorCode::PresentationCredentialInvalid)
    );
    assert_eq!(
        failure(&report.credentials()[0]),
        (CheckName::Proof, ErrorCode::ProofSignatureInvalid)
    );
}

#[test]
fn a_josekit_signed_vp_jwt_verifies_in_ours() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[43; 32]));
    let vc = issuer.issue_jwt(credential(issuer.did()), at()).unwrap();
    let holder = Ed25519KeyPair::from_seed(&[44; 32]);
    let holder_did = did::key::did_for(&holder.public_key());
    let claims = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder_did,
        "verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "EnvelopedVerifiableCredential", "id": format!("data:application/vc+jwt,{vc}")}
    });
    let mut header = JwsHeader::new();
    header.set_token_type("vp+jwt");
    header.set_key_id(did::key::verification_method_for(&holder.public_key()));
    let payload = JwtPayload::from_map(claims.as_object().unwrap().clone()).unwrap();
    let signer = EdDSA.signer_from_jwk(&jwk_of(&holder.to_private_jwk())).unwrap();
    let token = jwt::encode_with_signer(&payload, &header, &signer).unwrap();
    let report = verify(&token);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(report.kind(), passerelle::verify::DocumentKind::Presentation);
    // The entry points for a known kind take tokens too.
    let options = VerifyOptions::at(at());
    assert!(Verifier::offline()
        .verify_presentation(token.as_bytes(), &options)
        .verified());
    assert!(Verifier::offline()
        .verify_credential(vc.as_bytes(), &options)
        .verified());
}

#[test]
fn a_p521_key_signs_jose_but_no_data_integrity_proof() {
    let mut scalar = [36; 66];
    scalar[0] = 1;
    let issuer = Issuer::did_key(P521KeyPair::from_secret_bytes(&scalar).unwrap());
    // vc-di-ecdsa defines P-256 and P-384 only.
    let refused = issuer.issue(credential(issuer.did()), at()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::KeyTypeUnsupported, "{refused}");
    let token = issuer.issue_jwt(credential(issuer.did()), at()).unwrap();
    assert!(verify(&token).verified());
    // Its 132-byte signature cut to 96 (a P-384 length) is refused by length.
    let (input, signature) = token.rsplit_once('.').unwrap();
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature).unwrap();
    assert_eq!(bytes.len(), 132);
    let short = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &bytes[..96]);
    assert_eq!(
        failure(&verify(&format!("{input}.{short}"))),
        (CheckName::Proof, ErrorCode::ProofValueInvalid)
    );
}
