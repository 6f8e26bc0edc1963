//! Trust registry resolution through a 3-hop recognition chain with 1 000
//! and 1 000 000 authorizations (the cost per query must stay flat), and
//! loading a signed snapshot of 100 000 authorizations.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::did::{key, StaticResolver};
use passerelle::registry::{
    open_snapshot, sign_snapshot, Authorization, Bilingual, Recognition, Registry, Scope, Snapshot, Status, TrustStore,
};
use passerelle::Timestamp;

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn authorization(registry: &str, i: usize) -> Authorization {
    Authorization {
        entity_id: format!("did:web:issuer-{i}.bench.example"),
        authority_id: registry.into(),
        action: "issue".into(),
        resource: "ca-on-x:Licence".into(),
        jurisdiction: "CA-ON".into(),
        name: Bilingual::new(format!("Issuer {i}"), format!("Émetteur {i}")),
        legal_authority: Bilingual::new("Bench Act, s. 1", "Loi d’essai, art. 1"),
        valid_from: t("2020-01-01T00:00:00Z"),
        valid_until: None,
        status: Status::Active,
    }
}

fn recognition(registry: &str, recognized: &str, pattern: &str) -> Recognition {
    Recognition {
        entity_id: recognized.into(),
        authority_id: registry.into(),
        action: "recognize".into(),
        scope: Scope {
            resources: vec![pattern.into()],
            jurisdictions: vec!["CA-ON".into()],
        },
        name: Bilingual::new(recognized, recognized),
        legal_authority: Bilingual::new("Agreement", "Entente"),
        valid_from: t("2020-01-01T00:00:00Z"),
        valid_until: None,
        status: Status::Active,
    }
}

fn registry(id: &str, authorizations: Vec<Authorization>, recognitions: Vec<Recognition>) -> Registry {
    Registry {
        id: id.into(),
        name: Bilingual::new(id, id),
        jurisdiction: "CA".into(),
        sequence: 1,
        authorizations,
        recognitions,
    }
}

/// root → a → b → leaf, the leaf holding `n` authorizations.
fn chain(n: usize) -> TrustStore {
    let (root, a, b, leaf) = (
        "did:web:root.bench.example",
        "did:web:a.bench.example",
        "did:web:b.bench.example",
        "did:web:leaf.bench.example",
    );
    let mut store = TrustStore::new([root]);
    let period = |registry| Snapshot::vouched_for(registry, t("2026-01-01T00:00:00Z"), t("2027-01-01T00:00:00Z"));
    store
        .add(period(registry(root, vec![], vec![recognition(root, a, "ca-on:*")])))
        .unwrap();
    store
        .add(period(registry(a, vec![], vec![recognition(a, b, "ca-on-x:*")])))
        .unwrap();
    store
        .add(period(registry(b, vec![], vec![recognition(b, leaf, "ca-on-x:*")])))
        .unwrap();
    store
        .add(period(registry(
            leaf,
            (0..n).map(|i| authorization(leaf, i)).collect(),
            vec![],
        )))
        .unwrap();
    store
}

fn resolution(c: &mut Criterion) {
    let at = t("2026-06-01T00:00:00Z");
    let mut group = c.benchmark_group("registry resolution, 3-hop chain");
    for n in [1_000usize, 1_000_000] {
        let store = chain(n);
        let issuer = format!("did:web:issuer-{}.bench.example", n / 2);
        assert!(store.authorize_issuer(&issuer, &["Licence"], at).authorized);
        group.bench_with_input(BenchmarkId::new("authorized", n), &n, |bench, _| {
            bench.iter(|| black_box(store.authorize_issuer(black_box(&issuer), &["Licence"], at)))
        });
        group.bench_with_input(BenchmarkId::new("unknown issuer", n), &n, |bench, _| {
            bench.iter(|| black_box(store.authorize_issuer(black_box("did:web:stranger.example"), &["Licence"], at)))
        });
    }
    group.finish();
}

fn snapshot_load(c: &mut Criterion) {
    let key = Ed25519KeyPair::from_seed(&[9; 32]);
    let id = key::did_for(&key.public_key());
    let big = registry(&id, (0..100_000).map(|i| authorization(&id, i)).collect(), vec![]);
    let signed = sign_snapshot(
        &big,
        &key,
        &key::verification_method_for(&key.public_key()),
        t("2026-01-01T00:00:00Z"),
        t("2027-01-01T00:00:00Z"),
    )
    .unwrap();
    let bytes = serde_json::to_vec(&signed).unwrap();
    let at = t("2026-06-01T00:00:00Z");
    let mut group = c.benchmark_group(format!("snapshot load ({} MB)", bytes.len() / 1_000_000));
    group.sample_size(10);
    group.bench_function("open + verify + index, 100 000 authorizations", |bench| {
        bench.iter(|| {
            let mut store = TrustStore::new([id.clone()]);
            store
                .add(open_snapshot(black_box(&bytes), &StaticResolver::default(), at).unwrap())
                .unwrap();
            store
        })
    });
    group.finish();
}

criterion_group!(registry_benches, resolution, snapshot_load);
criterion_main!(registry_benches);
