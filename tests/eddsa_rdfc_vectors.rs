//! The W3C vc-di-eddsa eddsa-rdfc-2022 test vectors (the alumni credential
//! and the employment credential, which needs a context that is not
//! bundled), reproduced byte for byte.
#![cfg(feature = "rdfc")]

mod common;

use std::collections::HashMap;

use passerelle::json::{parse_strict, Limits};
use passerelle::jsonld::JsonLd;
use serde_json::Value;
use sha2::{Digest, Sha256};

const DIR: &str = "vc-di-eddsa/TestVectors";

fn json(relative: &str) -> Value {
    parse_strict(&common::read(&format!("{DIR}/{relative}")), Limits::default()).unwrap()
}

fn text(relative: &str) -> String {
    String::from_utf8(common::read(&format!("{DIR}/{relative}"))).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The citizenship context the employment vector uses, supplied the way a
/// user adds a context: through a loader.
fn with_citizenship() -> JsonLd {
    let mut extra = HashMap::new();
    extra.insert(
        "https://w3id.org/citizenship/v4rc1".to_string(),
        String::from_utf8(common::read("jsonld-contexts/w3id.org/citizenship/v4rc1")).unwrap(),
    );
    JsonLd::new().with_loader(extra)
}

fn check_pipeline(jsonld: &JsonLd, unsigned: &str, dir: &str) {
    let doc = jsonld.canonicalize(&json(unsigned)).unwrap();
    assert_eq!(
        doc,
        text(&format!("{dir}/canonDocDataInt.txt")),
        "{dir}: canonical document"
    );
    assert_eq!(
        hex(&Sha256::digest(doc.as_bytes())),
        text(&format!("{dir}/docHashDataInt.txt")).trim()
    );
    let proof = jsonld
        .canonicalize(&json(&format!("{dir}/proofConfigDataInt.json")))
        .unwrap();
    assert_eq!(
        proof,
        text(&format!("{dir}/proofCanonDataInt.txt")),
        "{dir}: canonical proof configuration"
    );
    assert_eq!(
        hex(&Sha256::digest(proof.as_bytes())),
        text(&format!("{dir}/proofHashDataInt.txt")).trim()
    );
}

#[test]
fn alumni_canonical_forms_and_hashes_match() {
    check_pipeline(&JsonLd::new(), "unsigned.json", "eddsa-rdfc-2022");
}

#[test]
fn employment_canonical_forms_and_hashes_match() {
    check_pipeline(&with_citizenship(), "employmentAuth.json", "eddsa-rdfc-2022/employ");
}

#[test]
fn employment_context_is_unknown_without_its_loader() {
    let err = JsonLd::new().canonicalize(&json("employmentAuth.json")).unwrap_err();
    assert_eq!(err.code().as_str(), "CONTEXT_UNKNOWN");
}
