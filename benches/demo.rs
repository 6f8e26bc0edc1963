//! The pan-Canadian demo's BC Mines Act permit verified the way the wasm
//! API verifies it (`TrustStore.verifyCredential`): options read from JSON
//! (every demo DID document, did:webvh log and status list), a fresh
//! verifier, the trust store's snapshots, the report written as JSON.
//!
//! `wasm/bench.sh` runs this and `wasm/bench.mjs` (the same call in node)
//! in one run and prints their ratio. Both read the page's data file
//! (`wasm/pkg/www/demo-data.json`) and the demo's credential, so the
//! input is byte-identical; this bench skips itself when they are absent.

use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use passerelle::did::{DidDocument, StaticResolver};
use passerelle::inputs::{Inputs, CALL_KEYS, MADE_KEYS, OPTION_LIMITS};
use passerelle::json::{parse_strict, to_text};
use passerelle::registry::{TrustResolver, TrustStore};
use passerelle::Timestamp;
use serde_json::Value;
use std::hint::black_box;

const DATA: &str = "wasm/pkg/www/demo-data.json";
const CREDENTIAL: &str = "target/canada/credentials/bc-mines-act-permit.json";

/// A resolver over `given`, an array of DID documents (moved, not copied).
fn documents(given: Option<Value>) -> StaticResolver {
    let mut documents = StaticResolver::default();
    if let Some(Value::Array(given)) = given {
        for document in given {
            documents.insert(DidDocument::from_json(document).unwrap());
        }
    }
    documents
}

/// What the wasm `verify` does with its options and input, natively: the
/// options read by the same builder (`inputs::Inputs`, the same JSON
/// reader and limits), a fresh verifier sharing the trust store, the
/// report written as JSON.
fn verify_like_wasm(credential: &str, options_json: &str, store: &Arc<TrustStore>) -> String {
    let Ok(Value::Object(options)) = parse_strict(options_json.as_bytes(), OPTION_LIMITS) else {
        panic!("the options are an object");
    };
    let mut inputs = Inputs::new(Timestamp::from_unix_seconds(0));
    inputs.read(options, CALL_KEYS).unwrap();
    inputs.trust_resolver(Arc::clone(store) as Arc<dyn TrustResolver + Send + Sync>);
    let (verifier, _) = inputs.build().unwrap();
    let report = verifier.verify(credential.as_bytes(), verifier.options());
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    to_text(&report.to_json()).unwrap()
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (Ok(data), Ok(credential)) = (
        std::fs::read_to_string(root.join(DATA)),
        std::fs::read_to_string(root.join(CREDENTIAL)),
    ) else {
        eprintln!("demo bench skipped: run wasm/bench.sh (it builds {DATA} and {CREDENTIAL})");
        return;
    };
    let data: Value = serde_json::from_str(&data).unwrap();
    let time = Timestamp::parse(data["time"].as_str().unwrap()).unwrap();
    let anchors: Vec<String> = serde_json::from_value(data["anchors"].clone()).unwrap();
    let mut store = TrustStore::new(anchors);
    let registry_documents = documents(Some(data["didDocuments"].clone()));
    for snapshot in data["snapshots"].as_array().into_iter().flatten() {
        store
            .load_snapshot(snapshot.to_string().as_bytes(), &registry_documents, time)
            .unwrap();
    }
    let store = Arc::new(store);
    // The options object the page passes, as the JSON text the wasm API reads it as.
    let options = serde_json::json!({
        "time": data["time"],
        "didDocuments": data["didDocuments"],
        "didLogs": data["didLogs"],
        "statusLists": data["statusLists"],
    })
    .to_string();
    c.bench_function("demo_native", |b| {
        b.iter(|| verify_like_wasm(black_box(&credential), black_box(&options), &store))
    });
    // A verifier made once with the demo's inputs, the permit verified once
    // (its status lists verified and kept), then verified again: what
    // `PasserelleVerifier.verifyCredential` does for a second credential.
    let Ok(Value::Object(mut made)) = parse_strict(options.as_bytes(), OPTION_LIMITS) else {
        panic!("the options are an object");
    };
    made.insert("trustAnchors".into(), data["anchors"].clone());
    made.insert("snapshots".into(), data["snapshots"].clone());
    let mut inputs = Inputs::new(time).with_digests();
    inputs.read(made, MADE_KEYS).unwrap();
    let (kept, refused) = inputs.build().unwrap();
    assert!(refused.is_empty());
    assert!(kept.verify(credential.as_bytes(), kept.options()).verified());
    c.bench_function("kept_second_native", |b| {
        b.iter(|| {
            let report = kept.verify(black_box(credential.as_bytes()), kept.options());
            to_text(&report.to_json()).unwrap()
        })
    });
}

/// One raw Ed25519 verification through passerelle's `PublicKey::verify`,
/// as `benchEd25519Verify` runs it in node: the curve alone.
fn raw_verify(c: &mut Criterion) {
    use passerelle::crypto::{Ed25519KeyPair, Signer};
    let key = Ed25519KeyPair::from_seed(&[7; 32]);
    let message = [42u8; 64];
    let signature = key.sign(&message).unwrap();
    let public = key.public_key();
    c.bench_function("ed25519_verify_native", |b| {
        b.iter(|| public.verify(black_box(&message), black_box(&signature)).unwrap())
    });
}

criterion_group!(demo, benches, raw_verify);
criterion_main!(demo);
