//! `vc+jwt` verification (EdDSA and ES256) of a ~1 KB credential beside the
//! raw signature verification of the same JWS signing input, in one run.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::Verifier as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
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

    let ed = Ed25519KeyPair::from_seed(&[21; 32]);
    let raw_ed = ed25519_dalek::SigningKey::from_bytes(&[21; 32]).verifying_key();
    let ed_issuer = Issuer::did_key(ed);
    let ed_token = ed_issuer.issue_jwt(common::permit(ed_issuer.did()), at).unwrap();
    let (ed_input, ed_sig) = split(&ed_token);
    let ed_sig = ed25519_dalek::Signature::from_slice(&ed_sig).unwrap();
    assert!(verifier.verify(ed_token.as_bytes(), &options).verified());

    let p256 = P256KeyPair::from_secret_bytes(&[22; 32]).unwrap();
    let raw_p256 = p256::ecdsa::VerifyingKey::from_sec1_bytes(p256.public_key().as_bytes()).unwrap();
    let p_issuer = Issuer::did_key(p256);
    let p_token = p_issuer.issue_jwt(common::permit(p_issuer.did()), at).unwrap();
    let (p_input, p_sig) = split(&p_token);
    let p_sig = p256::ecdsa::Signature::from_slice(&p_sig).unwrap();
    assert!(verifier.verify(p_token.as_bytes(), &options).verified());

    let mut group = c.benchmark_group(format!("vc+jwt ({} byte EdDSA token)", ed_token.len()));
    group.bench_function("raw ed25519 verify_strict (signing input)", |b| {
        b.iter(|| {
            raw_ed
                .verify_strict(black_box(ed_input.as_bytes()), black_box(&ed_sig))
                .unwrap()
        })
    });
    group.bench_function("vc+jwt verify (EdDSA)", |b| {
        b.iter(|| assert!(verifier.verify(black_box(ed_token.as_bytes()), &options).verified()))
    });
    group.bench_function("raw p256 ECDSA verify (signing input)", |b| {
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

criterion_group!(jose, benches);
criterion_main!(jose);
