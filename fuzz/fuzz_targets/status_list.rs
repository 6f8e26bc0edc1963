//! Status list decoding (encodedList expansion, bounded), status entries and
//! the whole status check with a fuzzed status list credential never panic;
//! nor do IETF Token Status Lists (the `status_list` claim, ZLIB expansion,
//! bounded) and the status check of an SD-JWT VC with a fuzzed Status List
//! Token.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::status::token::TokenStatusList;
use passerelle::status::{Bitstring, StaticStatusLists, StatusEntry};
use passerelle::{Timestamp, Verifier, VerifyOptions};

const CREDENTIAL: &[u8] = include_bytes!("../../test-vectors/status/cases/status-good-standing.json");
const SD_JWT_VC: &[u8] = include_bytes!("../../test-vectors/cases/sdjwt-vc-token-status-list-valid.sdjwt");

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bits) = Bitstring::decode(text, 1, 1 << 20) {
            let _ = bits.get(bits.entries().saturating_sub(1));
        }
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        if let serde_json::Value::Object(entry) = &value {
            let _ = StatusEntry::from_json(entry);
        }
        if let Ok(list) = TokenStatusList::from_claim(&value) {
            let _ = list.get(list.len().saturating_sub(1) as u64);
        }
    }
    let mut lists = StaticStatusLists::default();
    lists.insert("https://status.passerelle.example/lists/revocation-1", data.to_vec());
    lists.insert("https://status.passerelle.example/lists/suspension-1", data.to_vec());
    lists.insert("https://bc.passerelle.example/status/1", data.to_vec());
    let options = VerifyOptions::at(Timestamp::from_unix_seconds(1_780_000_000));
    let verifier = Verifier::offline().with_status(lists);
    let _ = verifier.verify(CREDENTIAL, &options);
    let _ = verifier.verify(SD_JWT_VC, &options);
});
