//! Status list decoding (encodedList expansion, bounded), status entries and
//! the whole status check with a fuzzed status list credential never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::status::{Bitstring, StaticStatusLists, StatusEntry};
use passerelle::{Timestamp, Verifier, VerifyOptions};

const CREDENTIAL: &[u8] = include_bytes!("../../test-vectors/status/cases/status-good-standing.json");

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bits) = Bitstring::decode(text, 1, 1 << 20) {
            let _ = bits.get(bits.entries().saturating_sub(1));
        }
    }
    if let Ok(serde_json::Value::Object(entry)) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = StatusEntry::from_json(&entry);
    }
    let mut lists = StaticStatusLists::default();
    lists.insert("https://status.passerelle.example/lists/revocation-1", data.to_vec());
    lists.insert("https://status.passerelle.example/lists/suspension-1", data.to_vec());
    let options = VerifyOptions::at(Timestamp::from_unix_seconds(1_780_000_000));
    let _ = Verifier::offline().with_status(lists).verify(CREDENTIAL, &options);
});
