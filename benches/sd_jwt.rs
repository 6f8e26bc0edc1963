//! SD-JWT verification with 10 Disclosures and a Key Binding JWT, ES256
//! for the issuer and the holder, beside two raw p256 verifications of the
//! same two signing inputs: everything SD-JWT adds to the two signatures
//! (splitting, digests, putting the Disclosures in place, the Key Binding
//! checks) is the difference. The same presentation as a `vc+sd-jwt`
//! through the `Verifier` (data model, key binding, validity checks and
//! report) is reported beside it.

use criterion::{criterion_group, criterion_main, Criterion};
use p256::ecdsa::signature::Verifier as _;
use passerelle::crypto::{P256KeyPair, Signer};
use passerelle::json::Limits;
use passerelle::sd_jwt::{self, IssueOptions, KeyBinding, VerifyOptions};
use passerelle::{Issuer, Timestamp, Verifier};
use serde_json::{json, Map, Value};
use std::hint::black_box;

const NONCE: &str = "bench-nonce";
const AUDIENCE: &str = "https://verifier.example";

/// The signing input and signature of a compact JWS.
fn split(token: &str) -> (String, p256::ecdsa::Signature) {
    use base64::Engine as _;
    let (input, signature) = token.rsplit_once('.').unwrap();
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .unwrap();
    (
        input.to_owned(),
        p256::ecdsa::Signature::from_slice(&signature).unwrap(),
    )
}

fn raw_key(key: &P256KeyPair) -> p256::ecdsa::VerifyingKey {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(key.public_key().as_bytes()).unwrap()
}

/// Ten disclosable claims: the subject's.
fn subject() -> Map<String, Value> {
    let subject = json!({
        "given_name": "Alex", "family_name": "Tremblay", "birthdate": "1990-05-01", "age_over_19": true,
        "street_address": "1 Government St", "locality": "Victoria", "region": "BC", "postal_code": "V8W 1A1",
        "nationality": "CA", "document_number": "BC-1234567"
    });
    subject.as_object().unwrap().clone()
}

fn benches(c: &mut Criterion) {
    let at = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let issuer = P256KeyPair::from_secret_bytes(&[71; 32]).unwrap();
    let holder = P256KeyPair::from_secret_bytes(&[72; 32]).unwrap();
    let binding = KeyBinding {
        signer: &holder,
        nonce: NONCE,
        audience: AUDIENCE,
        issued_at: at,
    };

    // An IETF SD-JWT VC shape: vct, iss, cnf, and ten disclosable claims.
    let mut claims = subject();
    claims.insert("iss".into(), "https://id.gov.bc.passerelle.example".into());
    claims.insert("vct".into(), "https://bc.passerelle.example/identity".into());
    claims.insert("iat".into(), at.unix_seconds().into());
    let pointers: Vec<String> = subject().keys().map(|k| format!("/{k}")).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let options = IssueOptions {
        typ: "dc+sd-jwt".into(),
        holder_key: Some(holder.public_key()),
        ..IssueOptions::default()
    };
    let issued = sd_jwt::issue(&claims, &pointers, &options, &issuer).unwrap();
    let shown = sd_jwt::present(&issued, &pointers, Some(&binding), Limits::default()).unwrap();
    let expected = VerifyOptions::new(at).with_nonce(NONCE).with_audience(AUDIENCE);
    let verified = sd_jwt::verify(&shown, &issuer.public_key(), &expected).unwrap();
    assert_eq!(verified.disclosed.len(), 10);
    assert!(verified.key_bound);

    let issuer_jwt = &shown[..shown.find('~').unwrap()];
    let kb_jwt = &shown[shown.rfind('~').unwrap() + 1..];
    let (issuer_input, issuer_signature) = split(issuer_jwt);
    let (kb_input, kb_signature) = split(kb_jwt);
    let (issuer_raw, holder_raw) = (raw_key(&issuer), raw_key(&holder));

    // The same, as a vc+sd-jwt credential of a did:key issuer, through the Verifier.
    let vc_issuer = Issuer::did_key(P256KeyPair::from_secret_bytes(&[71; 32]).unwrap());
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "IdentityCredential"],
        "issuer": vc_issuer.did(), "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": subject()
    });
    let vc_pointers: Vec<String> = subject().keys().map(|k| format!("/credentialSubject/{k}")).collect();
    let vc_pointers: Vec<&str> = vc_pointers.iter().map(String::as_str).collect();
    let vc_issued = vc_issuer
        .issue_sd_jwt(
            credential.as_object().unwrap().clone(),
            &vc_pointers,
            Some(holder.public_key()),
            at,
        )
        .unwrap();
    let vc_shown = sd_jwt::present(&vc_issued, &vc_pointers, Some(&binding), Limits::default()).unwrap();
    let mut vc_options = passerelle::VerifyOptions::at(at);
    vc_options.challenge = Some(NONCE.into());
    vc_options.domain = Some(AUDIENCE.into());
    let verifier = Verifier::offline();
    let report = verifier.verify(vc_shown.as_bytes(), &vc_options);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));

    let mut group = c.benchmark_group(format!("SD-JWT, 10 Disclosures + KB-JWT ({} bytes)", shown.len()));
    group.bench_function("raw p256 ECDSA verify x2 (issuer JWT and KB-JWT signing inputs)", |b| {
        b.iter(|| {
            issuer_raw
                .verify(black_box(issuer_input.as_bytes()), black_box(&issuer_signature))
                .unwrap();
            holder_raw
                .verify(black_box(kb_input.as_bytes()), black_box(&kb_signature))
                .unwrap();
        })
    });
    group.bench_function("SD-JWT VC verify (sd_jwt::verify)", |b| {
        b.iter(|| sd_jwt::verify(black_box(&shown), &issuer.public_key(), &expected).unwrap())
    });
    group.bench_function("vc+sd-jwt verify (Verifier, report)", |b| {
        b.iter(|| assert!(verifier.verify(black_box(vc_shown.as_bytes()), &vc_options).verified()))
    });
    group.finish();
}

criterion_group!(sd_jwt_benches, benches);
criterion_main!(sd_jwt_benches);
