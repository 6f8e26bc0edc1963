//! COSE_Sign1 reading (headers, payload) and whole `vc+cose` verification
//! never panic; what verifies was read as a COSE_Sign1, and bytes read as
//! COSE are read the same from their base64.
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
    // URL-safe, unpadded base64 (the multibase `u` form without its `u`).
    let text = multibase::encode_base64url(&bytes);
    if text.len() <= limits.max_bytes {
        assert_eq!(cose_bytes(text[1..].as_bytes(), limits).as_deref(), Some(&bytes[..]));
    }
});
