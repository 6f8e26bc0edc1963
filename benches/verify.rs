//! eddsa-jcs-2022 verify and issue of a ~1 KB VCDM 2.0 credential, beside
//! raw ed25519-dalek `verify_strict` and `sign` of the 64-byte hash data
//! that the suite signs, measured in one run so the ratios are comparable.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::{Signer as _, SigningKey};
use passerelle::crypto::Ed25519KeyPair;
use passerelle::json::{parse_object, Limits};
use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
use std::hint::black_box;

const SEED: [u8; 32] = [21; 32];

fn benches(c: &mut Criterion) {
    let at = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&SEED));
    let doc = common::permit(issuer.did());
    let signed = issuer.issue(doc.clone(), at).unwrap();
    let bytes = signed.to_json_string().into_bytes();
    let parsed = parse_object(&bytes, Limits::default()).unwrap();
    let options = VerifyOptions::at(at);
    let verifier = Verifier::offline();
    assert!(verifier.verify(&bytes, &options).verified());

    let raw = SigningKey::from_bytes(&SEED);
    let raw_public = raw.verifying_key();
    let hash_data = [7u8; 64];
    let raw_signature = raw.sign(&hash_data);

    let mut group = c.benchmark_group(format!("eddsa-jcs-2022 ({} byte credential)", bytes.len()));
    group.bench_function("raw ed25519 verify_strict (64 B)", |b| {
        b.iter(|| {
            raw_public
                .verify_strict(black_box(&hash_data), black_box(&raw_signature))
                .unwrap()
        })
    });
    group.bench_function("verify parsed credential", |b| {
        b.iter(|| assert!(verifier.verify_credential_json(black_box(&parsed), &options).verified()))
    });
    // A fresh verifier has not decoded the issuer's did:key yet: the cost
    // of the first credential from an issuer.
    group.bench_function("verify parsed credential, new verifier", |b| {
        b.iter(|| {
            assert!(Verifier::offline()
                .verify_credential_json(black_box(&parsed), &options)
                .verified())
        })
    });
    group.bench_function("verify including JSON parsing", |b| {
        b.iter(|| assert!(verifier.verify(black_box(&bytes), &options).verified()))
    });
    group.bench_function("raw ed25519 sign (64 B)", |b| {
        b.iter(|| raw.sign(black_box(&hash_data)))
    });
    group.bench_function("issue (validate + sign)", |b| {
        b.iter_batched(
            || doc.clone(),
            |d| issuer.issue(d, at).unwrap(),
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(verify, benches);
criterion_main!(verify);
