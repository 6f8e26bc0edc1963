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
use std::sync::{Arc, Mutex};

use criterion::{criterion_group, criterion_main, Criterion};
use passerelle::did::webvh::WebvhLogs;
use passerelle::did::{DidDocument, DidResolver, FallbackResolver, StaticResolver};
use passerelle::json::{parse_strict, to_text, Limits};
use passerelle::registry::{TrustAnswer, TrustResolver, TrustStore};
use passerelle::status::StaticStatusLists;
use passerelle::{Timestamp, Verifier, VerifyOptions};
use serde_json::Value;
use std::hint::black_box;

const DATA: &str = "wasm/pkg/www/demo-data.json";
const CREDENTIAL: &str = "target/canada/credentials/bc-mines-act-permit.json";

/// The store shared by every verification, as the wasm `TrustStore` shares it.
struct Shared {
    anchors: Vec<String>,
    store: Arc<Mutex<TrustStore>>,
}

impl TrustResolver for Shared {
    fn anchors(&self) -> &[String] {
        &self.anchors
    }
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: Timestamp) -> TrustAnswer {
        self.store.lock().unwrap().authorize_issuer(issuer, types, time)
    }
}

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
/// same JSON reader and limits, DID documents and status lists moved out of
/// the parsed options.
fn verify_like_wasm(credential: &str, options_json: &str, store: &Arc<Mutex<TrustStore>>) -> String {
    let limits = Limits {
        max_bytes: 64 * 1024 * 1024,
        max_depth: 64,
    };
    let Ok(Value::Object(mut options)) = parse_strict(options_json.as_bytes(), limits) else {
        panic!("the options are an object");
    };
    let time = Timestamp::parse(options["time"].as_str().unwrap()).unwrap();
    let documents = documents(options.remove("didDocuments"));
    let mut logs = WebvhLogs::new();
    for (did, log) in options["didLogs"].as_object().into_iter().flatten() {
        logs.insert(did.clone(), log.as_str().unwrap_or_default());
    }
    let mut lists = StaticStatusLists::default();
    if let Some(Value::Object(given)) = options.remove("statusLists") {
        for (url, list) in given {
            lists.insert(url, to_text(&list).unwrap().into_bytes());
        }
    }
    let resolver = FallbackResolver(documents, logs);
    let resolver: &dyn DidResolver = &resolver;
    let verifier = Verifier::new(resolver).with_status(lists).with_trust(Shared {
        anchors: store.lock().unwrap().anchors().to_vec(),
        store: Arc::clone(store),
    });
    let report = verifier.verify(credential.as_bytes(), &VerifyOptions::at(time));
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    serde_json::to_string(&report).unwrap()
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
    let store = Arc::new(Mutex::new(store));
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
