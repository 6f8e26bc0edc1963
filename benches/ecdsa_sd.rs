//! `ecdsa-sd-2023` derived-proof verification — a credential with ten
//! subject claims, the holder showing three — beside `ecdsa-rdfc-2019`
//! verification of the same credential (all ten claims), and beside raw
//! p256 verification: one signature, and k + 1 signatures, a derived proof
//! carrying the issuer's base signature and k signatures, one per
//! non-mandatory statement shown (k = 4 here: the three claims and the
//! statement linking the credential to its subject). One run, so the
//! ratios compare. Rows at proof level (`DataIntegrityProof::verify_signature`)
//! leave out what the `Verifier` adds (data model, validity, report).

use criterion::{criterion_group, criterion_main, Criterion};
use p256::ecdsa::signature::Verifier as _;
use passerelle::crypto::{P256KeyPair, Signer};
use passerelle::jsonld::JsonLd;
use passerelle::proof::{ecdsa_sd, Cryptosuite, DataIntegrityProof};
use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};
use std::hint::black_box;

/// The claims the holder shows.
const SHOWN: [&str; 3] = ["givenName", "familyName", "ageOver19"];

/// A credential with ten subject claims; every term comes from the
/// examples context's `@vocab`.
fn credential(issuer: &str) -> Map<String, Value> {
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential", "IdentityCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2031-01-01T00:00:00Z",
        "credentialSubject": {
            "givenName": "Alex", "familyName": "Tremblay", "birthDate": "1990-05-01", "ageOver19": true,
            "streetAddress": "1 Government St", "locality": "Victoria", "region": "BC", "postalCode": "V8W 1A1",
            "nationality": "CA", "documentNumber": "BC-1234567"
        }
    });
    credential.as_object().unwrap().clone()
}

fn proof_of(document: &Map<String, Value>) -> &Map<String, Value> {
    document["proof"].as_object().unwrap()
}

/// The number of statement signatures of a derived proof: its proofValue
/// is the CBOR tag 0xd95d01, then an array of five — the base signature
/// (64 bytes), the proof-scoped public key (35 bytes), the signatures, ….
fn statement_signatures(derived: &Map<String, Value>) -> usize {
    let value = proof_of(derived)["proofValue"].as_str().unwrap();
    let bytes = passerelle::crypto::multibase::decode(value).unwrap();
    assert_eq!(bytes[..6], [0xd9, 0x5d, 0x01, 0x85, 0x58, 0x40]);
    assert_eq!(bytes[70..72], [0x58, 0x23]);
    let header = bytes[107];
    assert!((0x80..0x98).contains(&header), "a short CBOR array");
    usize::from(header - 0x80)
}

fn benches(c: &mut Criterion) {
    let at = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    let options = VerifyOptions::at(at);
    let verifier = Verifier::offline();
    let jsonld = JsonLd::bundled();

    let key = P256KeyPair::from_secret_bytes(&[81; 32]).unwrap();
    let public_key = key.public_key();
    let raw_p256 = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key.as_bytes()).unwrap();
    let sd_issuer = Issuer::did_key(P256KeyPair::from_secret_bytes(&[81; 32]).unwrap())
        .with_cryptosuite(Cryptosuite::EcdsaSd2023)
        .unwrap();
    let base = sd_issuer.issue(credential(sd_issuer.did()), at).unwrap().into_json();
    let pointers: Vec<String> = SHOWN.iter().map(|k| format!("/credentialSubject/{k}")).collect();
    let derived = ecdsa_sd::derive_proof(&base, &pointers, jsonld).unwrap();
    assert_eq!(derived["credentialSubject"].as_object().unwrap().len(), SHOWN.len());
    let k = statement_signatures(&derived);
    let messages: Vec<[u8; 64]> = (0..=k as u8).map(|i| [i; 64]).collect();
    let raw_signatures: Vec<p256::ecdsa::Signature> = messages
        .iter()
        .map(|m| p256::ecdsa::Signature::from_slice(&key.sign(m).unwrap()).unwrap())
        .collect();

    let rdfc_issuer = Issuer::did_key(P256KeyPair::from_secret_bytes(&[81; 32]).unwrap())
        .with_cryptosuite(Cryptosuite::EcdsaRdfc2019)
        .unwrap();
    let rdfc = rdfc_issuer
        .issue(credential(rdfc_issuer.did()), at)
        .unwrap()
        .into_json();

    for document in [&derived, &rdfc] {
        let report = verifier.verify_credential_json(document, &options);
        assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
        let proof = DataIntegrityProof::parse(proof_of(document)).unwrap();
        proof.verify_signature(document, &public_key).unwrap();
    }
    let derived_bytes = Value::Object(derived.clone()).to_string();
    let rdfc_bytes = Value::Object(rdfc.clone()).to_string();

    println!(
        "derived credential {} bytes, {k} statement signatures; ecdsa-rdfc-2019 credential {} bytes",
        derived_bytes.len(),
        rdfc_bytes.len()
    );
    let mut group = c.benchmark_group("ecdsa-sd-2023");
    group.bench_function("raw p256 verify x1", |b| {
        b.iter(|| {
            raw_p256
                .verify(black_box(&messages[0]), black_box(&raw_signatures[0]))
                .unwrap()
        })
    });
    group.bench_function(format!("raw p256 verify x{}", k + 1), |b| {
        b.iter(|| {
            for (message, signature) in messages.iter().zip(&raw_signatures) {
                raw_p256.verify(black_box(message), black_box(signature)).unwrap();
            }
        })
    });
    group.bench_function("rdfc-2019 verify", |b| {
        b.iter(|| assert!(verifier.verify_credential_json(black_box(&rdfc), &options).verified()))
    });
    group.bench_function("derived verify", |b| {
        b.iter(|| {
            assert!(verifier
                .verify_credential_json(black_box(&derived), &options)
                .verified())
        })
    });
    group.bench_function("rdfc-2019 proof only", |b| {
        b.iter(|| {
            DataIntegrityProof::parse(proof_of(black_box(&rdfc)))
                .unwrap()
                .verify_signature(&rdfc, &public_key)
                .unwrap()
        })
    });
    group.bench_function("derived proof only", |b| {
        b.iter(|| {
            DataIntegrityProof::parse(proof_of(black_box(&derived)))
                .unwrap()
                .verify_signature(&derived, &public_key)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(ecdsa_sd_benches, benches);
criterion_main!(ecdsa_sd_benches);
