//! SD-JWT parsing, Disclosure processing and verification never panic;
//! what is processed has each Disclosure where it says it went.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::crypto::jwk;
use passerelle::json::Limits;
use passerelle::sd_jwt::{self, VerifyOptions};
use passerelle::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(parsed) = sd_jwt::parse(text, Limits::default()) {
        if let Ok(processed) = parsed.process(Limits::default()) {
            let claims = serde_json::Value::Object(processed.claims);
            for pointer in &processed.disclosed {
                assert!(claims.pointer(pointer).is_some(), "{pointer}");
            }
        }
    }
    // The issuer and verifier of RFC 9901 §5.2 (the seed `sd-jwt.txt`).
    let issuer = jwk::public_key(&serde_json::json!({"kty": "EC", "crv": "P-256",
        "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ", "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}))
    .expect("the RFC's key");
    let options = VerifyOptions::new(Timestamp::from_unix_seconds(1_748_537_300))
        .with_nonce("1234567890")
        .with_audience("https://verifier.example.org");
    let _ = sd_jwt::verify(text, &issuer, &options);
});
