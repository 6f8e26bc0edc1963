//! The pan-Canadian demo's BC Mines Act permit verified the way the
//! verifier page first verifies it in wasm (`new PasserelleVerifier(inputs)`
//! then `verifyCredential`): inputs read from JSON (trust anchors,
//! snapshots, every demo DID document, did:webvh log and status list), a
//! verifier made from them, one verification, the report written as JSON.
//!
//! `wasm/bench.sh` runs this and `wasm/bench.mjs` (the same call in node)
//! in one run and prints their ratio. Both read the page's data file
//! (`wasm/pkg/www/demo-data.json`) and the demo's credential, so the
//! input is byte-identical; this bench skips itself when they are absent.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use passerelle::inputs::{Inputs, MADE_KEYS, OPTION_LIMITS};
use passerelle::json::parse_strict;
use passerelle::Timestamp;
use serde_json::Value;
use std::hint::black_box;

const DATA: &str = "wasm/pkg/www/demo-data.json";
const CREDENTIAL: &str = "target/canada/credentials/bc-mines-act-permit.json";

/// What the page's first verification does in wasm, natively: the inputs
/// read by the same builder (`inputs::Inputs`, the same JSON reader and
/// limits), a verifier made from them (snapshots and status lists
/// verified), one verification, the report written as JSON text
/// directly (as the module writes its own, shorter, text).
fn verify_like_wasm(credential: &str, inputs_json: &str) -> String {
    let Ok(Value::Object(given)) = parse_strict(inputs_json.as_bytes(), OPTION_LIMITS) else {
        panic!("the inputs are an object");
    };
    let mut inputs = Inputs::new(Timestamp::from_unix_seconds(0)).with_digests();
    inputs.read(given, MADE_KEYS).unwrap();
    let (verifier, _) = inputs.build().unwrap();
    let report = verifier.verify(credential.as_bytes(), verifier.options());
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    report.to_json_text()
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
    // The inputs object the page makes its verifier with. The wasm API
    // reads each document, snapshot and list as JSON text (it writes a
    // given object with `JSON.stringify`), so here they are texts too.
    let text = |item: &Value| match item {
        Value::String(_) => item.clone(),
        _ => Value::String(item.to_string()),
    };
    let texts = |value: &Value| -> Value {
        match value {
            Value::Array(items) => items.iter().map(text).collect(),
            Value::Object(entries) => entries
                .iter()
                .map(|(key, item)| (key.clone(), text(item)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            other => other.clone(),
        }
    };
    let made = serde_json::json!({
        "trustAnchors": data["anchors"],
        "snapshots": texts(&data["snapshots"]),
        "time": data["time"],
        "didDocuments": texts(&data["didDocuments"]),
        "didLogs": data["didLogs"],
        "statusLists": texts(&data["statusLists"]),
    });
    let made_text = made.to_string();
    c.bench_function("demo_native", |b| {
        b.iter(|| verify_like_wasm(black_box(&credential), black_box(&made_text)))
    });
    // A verifier made once with the demo's inputs, the permit verified once
    // (its status lists verified and kept), then verified again: what
    // `PasserelleVerifier.verifyCredential` does for a second credential.
    let Value::Object(made) = made else { unreachable!() };
    let mut inputs = Inputs::new(time).with_digests();
    inputs.read(made, MADE_KEYS).unwrap();
    let (kept, refused) = inputs.build().unwrap();
    assert!(refused.is_empty());
    assert!(kept.verify(credential.as_bytes(), kept.options()).verified());
    c.bench_function("kept_second_native", |b| {
        b.iter(|| {
            kept.verify(black_box(credential.as_bytes()), kept.options())
                .to_json_text()
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
