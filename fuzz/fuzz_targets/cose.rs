//! COSE_Sign1 reading (headers, payload) and whole `vc+cose` verification
//! never panic; what cannot be read never verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::cose::{cose_bytes, parse_sign1};
use passerelle::json::Limits;
use passerelle::{Timestamp, Verifier, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    let parsed = parse_sign1(data, Limits::default());
    if cose_bytes(data, Limits::default()).is_some() {
        let options = VerifyOptions::at(Timestamp::from_unix_seconds(1_790_000_000));
        let report = Verifier::offline().verify(data, &options);
        if parsed.is_err() && data.first().is_some_and(|b| *b == 0xd2 || *b == 0x84) {
            assert!(!report.verified());
        }
    }
});
