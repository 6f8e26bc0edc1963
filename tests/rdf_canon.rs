//! The W3C RDF Dataset Canonicalization (RDFC-1.0) test suite: every
//! evaluation test (canonical N-Quads text-equal), every map test (issued
//! identifiers map equal) and the negative "poison" test (an error).

mod common;

use passerelle::canon::nquads;
use passerelle::canon::rdfc::{canonicalize, HashAlgorithm, WorkLimit};
use passerelle::ErrorCode;
use serde_json::Value;

const DIR: &str = "rdf-canon/tests";

fn text(relative: &str) -> String {
    common::text(&format!("{DIR}/{relative}"))
}

#[test]
fn every_rdfc10_test_passes() {
    let manifest: Value = serde_json::from_str(&text("manifest.jsonld")).unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    let (mut eval, mut map, mut negative) = (0, 0, 0);
    let mut failures = Vec::new();
    for entry in entries {
        let id = entry["id"].as_str().unwrap();
        let hash = match entry["hashAlgorithm"].as_str() {
            Some("SHA384") => HashAlgorithm::Sha384,
            _ => HashAlgorithm::Sha256,
        };
        let quads = nquads::parse(&text(entry["action"].as_str().unwrap())).unwrap();
        let result = canonicalize(&quads, hash, WorkLimit::default());
        match entry["type"].as_str().unwrap() {
            "rdfc:RDFC10EvalTest" => {
                eval += 1;
                let expected = text(entry["result"].as_str().unwrap());
                match result {
                    Ok(out) if out.nquads == expected => {}
                    Ok(out) => failures.push(format!("{id}: got\n{}expected\n{expected}", out.nquads)),
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10MapTest" => {
                map += 1;
                let expected: Value = serde_json::from_str(&text(entry["result"].as_str().unwrap())).unwrap();
                match result {
                    Ok(out) => {
                        let got: serde_json::Map<String, Value> =
                            out.issued.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
                        if Value::Object(got.clone()) != expected {
                            failures.push(format!("{id}: got {} expected {expected}", Value::Object(got)));
                        }
                    }
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10NegativeEvalTest" => {
                negative += 1;
                match result {
                    Err(e) if e.code() == ErrorCode::CanonicalizationLimit => {}
                    other => failures.push(format!("{id}: expected CANONICALIZATION_LIMIT, got {other:?}")),
                }
            }
            other => failures.push(format!("{id}: unknown test type {other}")),
        }
    }
    assert_eq!((eval, map, negative), (64, 21, 1));
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
