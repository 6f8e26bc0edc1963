//! COSE_Sign1 reading (headers, payload) and whole `vc+cose` verification
//! never panic; what verifies was read as a COSE_Sign1; what is read as
//! one, coset reads with the same kid, algorithm and payload; and bytes
//! read as COSE are read the same from their base64.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::cose::{cose_bytes, parse_sign1};
use passerelle::crypto::multibase;
use passerelle::json::Limits;
use passerelle::{Timestamp, Verifier, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Some(bytes) = cose_bytes(data, limits) else { return };
    let options = VerifyOptions::at(Timestamp::from_unix_seconds(1_790_000_000));
    if Verifier::offline().verify(data, &options).verified() {
        assert!(parse_sign1(&bytes, limits).is_ok());
    }
    if let Ok(read) = parse_sign1(&bytes, limits) {
        use coset::CborSerializable as _;
        let untagged = bytes.strip_prefix(&[0xd2]).unwrap_or(&bytes);
        let theirs = coset::CoseSign1::from_slice(untagged).expect("coset reads what passerelle read");
        assert_eq!(theirs.protected.header.key_id, read.kid.as_bytes());
        assert!(theirs.unprotected.is_empty());
        let payload: serde_json::Value = serde_json::from_slice(theirs.payload.as_deref().unwrap()).unwrap();
        assert_eq!(payload, serde_json::Value::Object(read.payload.clone()));
        let alg = match read.alg.as_str() {
            "EdDSA" => coset::iana::Algorithm::EdDSA,
            "ES256" => coset::iana::Algorithm::ES256,
            "ES384" => coset::iana::Algorithm::ES384,
            _ => coset::iana::Algorithm::ES512,
        };
        assert_eq!(theirs.protected.header.alg, Some(coset::Algorithm::Assigned(alg)));
    }
    // URL-safe, unpadded base64 (the multibase `u` form without its `u`).
    let text = multibase::encode_base64url(&bytes);
    if text.len() <= limits.max_bytes {
        assert_eq!(cose_bytes(text[1..].as_bytes(), limits).as_deref(), Some(&bytes[..]));
    }
});
