//! Compact JWS parsing (header checks, claims) and whole `vc+jwt`
//! verification never panic; a token that parses re-verifies the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::jose::{looks_like_compact_jws, parse_compact};
use passerelle::json::Limits;
use passerelle::{Timestamp, Verifier, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    let parsed = parse_compact(data, Limits::default());
    if looks_like_compact_jws(data) {
        let options = VerifyOptions::at(Timestamp::from_unix_seconds(1_790_000_000));
        let report = Verifier::offline().verify(data, &options);
        if parsed.is_err() {
            assert!(!report.verified());
        }
    }
});
