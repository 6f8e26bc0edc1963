//! The whole verification pipeline (parse, data model, proof, key binding,
//! validity, report rendering) never panics on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::{Timestamp, Verifier, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    let options = VerifyOptions::at(Timestamp::from_unix_seconds(1_900_000_000));
    let report = Verifier::offline().verify(data, &options);
    let _ = report.render(passerelle::Lang::Fr);
    let _ = serde_json::to_string(&report);
});
