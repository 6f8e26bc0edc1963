//! `vc+cose` verification of the ~1 KB permit (EdDSA and ES256) beside the
//! raw signature verification of its COSE `Sig_structure`: what COSE adds
//! to the signature (reading the COSE_Sign1 and the payload, the credential
//! checks, the report) is the difference.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use p256::ecdsa::signature::Verifier as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
use std::hint::black_box;

/// The bytes a COSE_Sign1's signature covers, and the signature.
fn signed_part(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use coset::TaggedCborSerializable as _;
    let sign1 = coset::CoseSign1::from_tagged_slice(bytes).unwrap();
    (sign1.tbs_data(b""), sign1.signature.clone())
}

fn benches(c: &mut Criterion) {
    let at = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let options = VerifyOptions::at(at);
    let verifier = Verifier::offline();

    let ed = Ed25519KeyPair::from_seed(&[21; 32]);
    let ed_public = ed25519_dalek::VerifyingKey::from_bytes(ed.public_key().as_bytes().try_into().unwrap()).unwrap();
    let ed_issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[21; 32]));
    let ed_cose = ed_issuer.issue_cose(common::permit(ed_issuer.did()), at).unwrap();
    let (ed_tbs, ed_sig) = signed_part(&ed_cose);
    let ed_sig = ed25519_dalek::Signature::from_slice(&ed_sig).unwrap();

    let p256 = P256KeyPair::from_secret_bytes(&[22; 32]).unwrap();
    let raw_p256 = p256::ecdsa::VerifyingKey::from_sec1_bytes(p256.public_key().as_bytes()).unwrap();
    let p_issuer = Issuer::did_key(p256);
    let p_cose = p_issuer.issue_cose(common::permit(p_issuer.did()), at).unwrap();
    let (p_tbs, p_sig) = signed_part(&p_cose);
    let p_sig = p256::ecdsa::Signature::from_slice(&p_sig).unwrap();

    for bytes in [&ed_cose, &p_cose] {
        assert!(verifier.verify(bytes, &options).verified());
    }
    let mut group = c.benchmark_group(format!("vc+cose ({} byte COSE_Sign1)", ed_cose.len()));
    group.bench_function("raw ed25519 verify_strict (Sig_structure)", |b| {
        b.iter(|| ed_public.verify_strict(black_box(&ed_tbs), black_box(&ed_sig)).unwrap())
    });
    group.bench_function("vc+cose verify (EdDSA)", |b| {
        b.iter(|| assert!(verifier.verify(black_box(&ed_cose), &options).verified()))
    });
    group.bench_function("raw p256 ECDSA verify (Sig_structure)", |b| {
        b.iter(|| raw_p256.verify(black_box(&p_tbs), black_box(&p_sig)).unwrap())
    });
    group.bench_function("vc+cose verify (ES256)", |b| {
        b.iter(|| assert!(verifier.verify(black_box(&p_cose), &options).verified()))
    });
    group.finish();
}

criterion_group!(cose_benches, benches);
criterion_main!(cose_benches);
