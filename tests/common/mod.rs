//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

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
