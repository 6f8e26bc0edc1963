//! Every proof format on the same ~1 KB credential, in one run so the
//! ratios compare: eddsa-jcs-2022 and eddsa-rdfc-2022 beside raw
//! ed25519-dalek `verify_strict` of the 64 bytes of hash data they sign;
//! ecdsa-rdfc-2019 beside raw p256 verification of its hash data; `vc+jwt`
//! (EdDSA, ES256) beside raw verification of the JWS signing input.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::Verifier as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::jsonld::JsonLd;
use passerelle::proof::Cryptosuite;
use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
use serde_json::Value;
use std::hint::black_box;

/// The signing input and signature of a compact JWS.
fn split(token: &str) -> (String, Vec<u8>) {
    use base64::Engine as _;
    let (input, signature) = token.rsplit_once('.').unwrap();
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .unwrap();
    (input.to_owned(), signature)
}

fn benches(c: &mut Criterion) {
    let at = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let options = VerifyOptions::at(at);
    let verifier = Verifier::offline();

    let raw_ed = ed25519_dalek::SigningKey::from_bytes(&[21; 32]);
    let raw_ed_public = raw_ed.verifying_key();
    let hash_data = [7u8; 64];
    let raw_ed_signature = ed25519_dalek::Signer::sign(&raw_ed, &hash_data);

    let ed_jcs = Issuer::did_key(Ed25519KeyPair::from_seed(&[21; 32]));
    let ed_rdfc = Issuer::did_key(Ed25519KeyPair::from_seed(&[21; 32]))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap();
    let permit = common::permit_linked_data(ed_jcs.did());
    let signed_jcs = ed_jcs.issue(permit.clone(), at).unwrap().into_json();
    let signed_rdfc = ed_rdfc.issue(permit.clone(), at).unwrap().into_json();
    let ed_token = ed_jcs.issue_jwt(permit.clone(), at).unwrap();
    let (ed_input, ed_sig) = split(&ed_token);
    let ed_sig = ed25519_dalek::Signature::from_slice(&ed_sig).unwrap();

    let p256 = P256KeyPair::from_secret_bytes(&[22; 32]).unwrap();
    let raw_p256 = p256::ecdsa::VerifyingKey::from_sec1_bytes(p256.public_key().as_bytes()).unwrap();
    let raw_p256_signature = p256::ecdsa::Signature::from_slice(&p256.sign(&hash_data).unwrap()).unwrap();
    let p_issuer = Issuer::did_key(p256);
    let p_permit = common::permit_linked_data(p_issuer.did());
    let p_token = p_issuer.issue_jwt(p_permit.clone(), at).unwrap();
    let (p_input, p_sig) = split(&p_token);
    let p_sig = p256::ecdsa::Signature::from_slice(&p_sig).unwrap();
    let p_rdfc = Issuer::did_key(P256KeyPair::from_secret_bytes(&[22; 32]).unwrap())
        .with_cryptosuite(Cryptosuite::EcdsaRdfc2019)
        .unwrap();
    let signed_p_rdfc = p_rdfc.issue(p_permit, at).unwrap().into_json();

    for document in [&signed_jcs, &signed_rdfc, &signed_p_rdfc] {
        assert!(verifier.verify_credential_json(document, &options).verified());
    }
    for token in [&ed_token, &p_token] {
        assert!(verifier.verify(token.as_bytes(), &options).verified());
    }
    let bytes = Value::Object(signed_rdfc.clone()).to_string();
    let unsigned = Value::Object(permit);
    let jsonld = JsonLd::bundled();

    let mut group = c.benchmark_group(format!("proof formats ({} byte credential)", bytes.len()));
    group.bench_function("raw ed25519 verify_strict (64 B)", |b| {
        b.iter(|| {
            raw_ed_public
                .verify_strict(black_box(&hash_data), black_box(&raw_ed_signature))
                .unwrap()
        })
    });
    group.bench_function("eddsa-jcs-2022 verify", |b| {
        b.iter(|| {
            assert!(verifier
                .verify_credential_json(black_box(&signed_jcs), &options)
                .verified())
        })
    });
    group.bench_function("eddsa-rdfc-2022 verify", |b| {
        b.iter(|| {
            assert!(verifier
                .verify_credential_json(black_box(&signed_rdfc), &options)
                .verified())
        })
    });
    group.bench_function("JSON-LD to RDF + RDFC-1.0 of the credential", |b| {
        b.iter(|| jsonld.canonicalize(black_box(&unsigned)).unwrap())
    });
    group.bench_function("raw p256 ECDSA verify (64 B)", |b| {
        b.iter(|| {
            raw_p256
                .verify(black_box(&hash_data), black_box(&raw_p256_signature))
                .unwrap()
        })
    });
    group.bench_function("ecdsa-rdfc-2019 verify", |b| {
        b.iter(|| {
            assert!(verifier
                .verify_credential_json(black_box(&signed_p_rdfc), &options)
                .verified())
        })
    });
    group.bench_function("raw ed25519 verify_strict (JWS signing input)", |b| {
        b.iter(|| {
            raw_ed_public
                .verify_strict(black_box(ed_input.as_bytes()), black_box(&ed_sig))
                .unwrap()
        })
    });
    group.bench_function("vc+jwt verify (EdDSA)", |b| {
        b.iter(|| assert!(verifier.verify(black_box(ed_token.as_bytes()), &options).verified()))
    });
    group.bench_function("raw p256 ECDSA verify (JWS signing input)", |b| {
        b.iter(|| {
            raw_p256
                .verify(black_box(p_input.as_bytes()), black_box(&p_sig))
                .unwrap()
        })
    });
    group.bench_function("vc+jwt verify (ES256)", |b| {
        b.iter(|| assert!(verifier.verify(black_box(p_token.as_bytes()), &options).verified()))
    });
    group.finish();
}

criterion_group!(formats, benches);
criterion_main!(formats);
