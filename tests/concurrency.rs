//! One verifier shared across threads, as an issuer service shares it: the
//! verifier and what it holds are `Send + Sync`, and four threads verifying
//! the demo's credentials at once get the reports one thread gets.

#[path = "../examples/canada/federation.rs"]
mod federation;

use std::sync::Arc;

use federation::*;
use passerelle::did::webvh::WebvhLogs;
use passerelle::did::{DidDocument, FallbackResolver, StaticResolver};
use passerelle::registry::TrustStore;
use passerelle::status::StaticStatusLists;
use passerelle::{Verifier, VerifyOptions};
use serde_json::Value;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn the_verifier_and_its_sources_are_send_and_sync() {
    assert_send_sync::<Verifier>();
    assert_send_sync::<Verifier<StaticResolver>>();
    assert_send_sync::<Verifier<FallbackResolver<StaticResolver, WebvhLogs>>>();
    assert_send_sync::<Verifier<Arc<StaticResolver>>>();
    assert_send_sync::<TrustStore>();
    assert_send_sync::<StaticStatusLists>();
    #[cfg(feature = "native")]
    {
        use passerelle::did::web_resolver::WebResolver;
        assert_send_sync::<Verifier<WebResolver>>();
        assert_send_sync::<Verifier<FallbackResolver<StaticResolver, WebResolver>>>();
        assert_send_sync::<passerelle::status::HttpStatusLists>();
        assert_send_sync::<passerelle::registry::client::TrqpClient>();
    }
    #[cfg(feature = "rdfc")]
    assert_send_sync::<passerelle::jsonld::JsonLd>();
}

type DemoVerifier = Verifier<FallbackResolver<StaticResolver, WebvhLogs>>;

/// The demo's verifier for `scenario`: its DID documents and did:webvh
/// log, the scenario's trust store, the status lists.
fn verifier(scenario: Scenario) -> DemoVerifier {
    let mut documents = StaticResolver::default();
    for (did, _) in ENTITIES {
        documents.insert(DidDocument::from_json(did_document(did)).unwrap());
    }
    let (snapshots, seen) = scenario.snapshots();
    let mut store = TrustStore::new([FEDERAL]);
    for (registry, sequence) in seen {
        store.mark_seen(&registry, sequence);
    }
    for document in snapshots.values() {
        let _ = store.load_snapshot(&serde_json::to_vec(document).unwrap(), &documents, t(NOW));
    }
    Verifier::new(FallbackResolver(documents, webvh_logs()))
        .with_trust(store)
        .with_status(status_lists())
}

#[test]
fn four_threads_sharing_one_verifier_get_the_single_threaded_reports() {
    let options = VerifyOptions::at(t(NOW));
    for scenario in [Scenario::Current, Scenario::TamperedYukon, Scenario::RolledBackBc] {
        let inputs: Vec<Vec<u8>> = lines()
            .into_iter()
            .filter(|line| line.scenario == scenario)
            .map(|line| serde_json::to_vec(&line.credential).unwrap())
            .collect();
        assert!(!inputs.is_empty(), "{scenario:?}");
        // One thread, a fresh verifier: the reference reports.
        let alone = verifier(scenario);
        let expected: Vec<Value> = inputs.iter().map(|i| alone.verify(i, &options).to_json()).collect();

        let shared = Arc::new(verifier(scenario));
        let inputs = Arc::new(inputs);
        let threads: Vec<_> = (0..4)
            .map(|n| {
                let (shared, inputs, options) = (Arc::clone(&shared), Arc::clone(&inputs), options.clone());
                std::thread::spawn(move || {
                    // Each thread starts at another credential, so the
                    // caches (keys, status lists) fill in different orders.
                    let mut reports = vec![Value::Null; inputs.len()];
                    for round in 0..2 {
                        for k in 0..inputs.len() {
                            let i = (k + n * 3 + round) % inputs.len();
                            let report = shared.verify(&inputs[i], &options).to_json();
                            if round > 0 {
                                assert_eq!(report, reports[i], "thread {n}, credential {i}, round {round}");
                            }
                            reports[i] = report;
                        }
                    }
                    reports
                })
            })
            .collect();
        for (n, thread) in threads.into_iter().enumerate() {
            let reports = thread.join().unwrap();
            for (i, report) in reports.iter().enumerate() {
                assert_eq!(report, &expected[i], "{scenario:?}: thread {n}, credential {i}");
            }
        }
    }
}
