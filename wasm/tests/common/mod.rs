//! Runs the whole test-vector manifest through the wasm API; the node and
//! browser suites both call [`run_all`].
#![allow(dead_code)]

use passerelle_wasm::TrustStore;
use serde_json::{json, Map, Value};
use wasm_bindgen::JsValue;

mod vectors {
    include!(concat!(env!("OUT_DIR"), "/vectors.rs"));
}

fn file(path: &str) -> &'static [u8] {
    vectors::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| panic!("no vector file {path}"))
}

fn text(path: &str) -> String {
    String::from_utf8(file(path).to_vec()).expect("UTF-8")
}

fn js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("JSON")
}

/// Runs one case; `None` when it gives its expected verdict and codes.
fn run_case(case: &Value) -> Option<String> {
    let options = &case["options"];
    let documents: Vec<Value> = case["didDocuments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| serde_json::from_slice(file(p.as_str().unwrap())).unwrap())
        .collect();
    let mut verify_options = Map::new();
    for key in ["time", "challenge", "domain", "maxBytes", "maxDepth", "cryptosuites"] {
        if let Some(value) = options.get(key) {
            verify_options.insert(key.into(), value.clone());
        }
    }
    verify_options.insert("didDocuments".into(), Value::Array(documents.clone()));
    let logs: Map<String, Value> = options["didLogs"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(did, path)| (did.clone(), Value::String(text(path.as_str().unwrap()))))
        .collect();
    verify_options.insert("didLogs".into(), Value::Object(logs));
    let lists: Map<String, Value> = options["statusLists"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(url, path)| (url.clone(), Value::String(text(path.as_str().unwrap()))))
        .collect();
    verify_options.insert("statusLists".into(), Value::Object(lists));

    let anchors: Vec<String> = options["trustAnchors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect();
    let trust = TrustStore::new(anchors);
    for (registry, sequence) in options["seen"].as_object().into_iter().flatten() {
        trust.mark_seen(registry, sequence.as_f64().unwrap_or(0.0));
    }
    let snapshot_options = js(&json!({"didDocuments": documents, "time": options["time"]}));
    for path in options["registries"].as_array().into_iter().flatten() {
        let _ = trust.load_snapshot(
            JsValue::from_str(&text(path.as_str().unwrap())),
            snapshot_options.clone(),
        );
    }
    let input = String::from_utf8_lossy(file(case["input"].as_str().unwrap())).into_owned();
    let report = match trust.verify_credential(JsValue::from_str(&input), js(&Value::Object(verify_options))) {
        Ok(report) => report,
        Err(e) => return Some(format!("threw {:?}", e)),
    };
    let report: Value = serde_json::from_str(&String::from(js_sys::JSON::stringify(&report).unwrap())).unwrap();
    let got: Vec<Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "failed")
        .map(|c| json!({"check": c["name"], "code": c["code"]}))
        .collect();
    let expected = &case["expect"];
    if report["verified"] != expected["verified"] || Value::Array(got.clone()) != expected["failures"] {
        return Some(format!(
            "got verified={} {:?}, expected {}",
            report["verified"], got, expected
        ));
    }
    for check in report["checks"].as_array().unwrap() {
        if check["message"]["en"].as_str().unwrap_or("").is_empty()
            || check["message"]["fr"].as_str().unwrap_or("").is_empty()
        {
            return Some(format!("check {} lacks a message", check["name"]));
        }
    }
    None
}

/// Runs every case of the manifest; panics listing the ones that differ.
pub fn run_all() {
    let manifest: Value = serde_json::from_slice(file("manifest.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_case(case).map(|why| format!("{}: {why}", case["id"])))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
