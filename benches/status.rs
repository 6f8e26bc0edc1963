//! Status check of a 131 072-entry revocation list: cold (fetch, verify the
//! list's proof, expand it) and cached, beside a plain verify, in one run.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use passerelle::crypto::Ed25519KeyPair;
use passerelle::status::{StaticStatusLists, StatusList, MIN_ENTRIES};
use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Value};

const LIST: &str = "https://status.bench.example/lists/1";

fn benches(c: &mut Criterion) {
    let t = |s| Timestamp::parse(s).unwrap();
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[77; 32]));
    let mut list = StatusList::new(LIST, "revocation", MIN_ENTRIES, 1).unwrap();
    for _ in 0..1000 {
        let index = list.allocate().unwrap().index;
        list.set(index, 1).unwrap();
    }
    let entry = list.allocate().unwrap();
    let unsigned = |status: Option<Value>| {
        let mut value = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "MinesActPermit"],
            "issuer": issuer.did(),
            "validFrom": "2026-01-15T09:00:00Z",
            "credentialSubject": {"id": "did:example:operator-42", "permitNumber": "MX-1-234"}
        });
        if let Some(status) = status {
            value["credentialStatus"] = status;
        }
        value.as_object().cloned().unwrap()
    };
    let plain = issuer
        .issue(unsigned(None), t("2026-01-15T09:00:00Z"))
        .unwrap()
        .to_json_string()
        .into_bytes();
    let with_status = issuer
        .issue(unsigned(Some(entry.to_json())), t("2026-01-15T09:00:00Z"))
        .unwrap()
        .to_json_string()
        .into_bytes();
    let mut lists = StaticStatusLists::default();
    let published = list.publish(&issuer, t("2026-05-01T00:00:00Z"), None).unwrap();
    lists.insert(LIST, serde_json::to_vec(&published).unwrap());
    let options = VerifyOptions::at(t("2026-06-01T00:00:00Z"));
    let verifier = Verifier::offline().with_status(lists);
    assert!(verifier.verify(&with_status, &options).verified());

    let mut group = c.benchmark_group("status (131 072-entry list, 1 000 revoked)");
    group.bench_function("plain verify (no status entry)", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&plain), &options)))
    });
    group.bench_function("verify + status, cold (list fetched, verified, expanded)", |b| {
        b.iter(|| {
            verifier.clear_status_cache();
            black_box(verifier.verify(black_box(&with_status), &options))
        })
    });
    group.bench_function("verify + status, cached list", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&with_status), &options)))
    });
    group.finish();
}

criterion_group!(status, benches);
criterion_main!(status);
