//! Helpers shared by the integration tests.
#![allow(dead_code)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod net;

use std::path::PathBuf;

use serde_json::{json, Map, Value};

/// The third-party conformance data (`../shared/conformance`, or `$CONFORMANCE_DIR`).
pub fn conformance_dir() -> PathBuf {
    std::env::var_os("CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"))
}

/// Reads a conformance file, panicking with its path when missing.
pub fn read(relative: &str) -> Vec<u8> {
    let path = conformance_dir().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a conformance text file, trimmed (hash and signature files).
pub fn read_trimmed(relative: &str) -> String {
    String::from_utf8(read(relative)).unwrap().trim().to_owned()
}

/// Reads a conformance text file as it is (canonical forms: not trimmed).
pub fn text(relative: &str) -> String {
    String::from_utf8(read(relative)).unwrap()
}

/// Reads a conformance JSON file, strictly (duplicate keys refused).
pub fn json(relative: &str) -> serde_json::Value {
    passerelle::json::parse_strict(&read(relative), passerelle::json::Limits::default()).unwrap()
}

/// Lowercase hex, as the vectors' hash and signature files write bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string.
pub fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The one context the W3C employment vectors use that is not bundled
/// (citizenship v4rc1), as a context loader serves it: URL → document.
pub fn citizenship_context() -> std::collections::HashMap<String, String> {
    let mut loader = std::collections::HashMap::new();
    loader.insert(
        "https://w3id.org/citizenship/v4rc1".to_string(),
        text("jsonld-contexts/w3id.org/citizenship/v4rc1"),
    );
    loader
}

/// A JSON object's map.
pub fn object(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

/// An unsigned VCDM 2.0 permit of `issuer`, valid from 2026-01-01.
pub fn permit(issuer: &str) -> Map<String, Value> {
    object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "MinesActPermit"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:operator-42", "permitNumber": "YT-MA-0042"}
    }))
}

/// The first failed check of `report` and its code (panics, showing the
/// report, when none failed).
pub fn failure(report: &passerelle::Report) -> (passerelle::verify::CheckName, passerelle::ErrorCode) {
    report
        .failures()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no failed check: {}", report.render(passerelle::Lang::En)))
}
