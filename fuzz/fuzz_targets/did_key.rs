//! DID parsing (did:key decoding and document expansion, did:web URL
//! mapping) never panics, and a decoded did:key re-encodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::did;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(key) = did::key::public_key(text) {
        let again = did::key::did_for(&key);
        assert_eq!(did::key::public_key(&again).expect("round trip"), key);
        let _ = did::key::document(text);
    }
    let _ = did::split_did_url(text);
    if let Ok(url) = did::web::document_url(text) {
        let _ = did::web::did_for_url(&url);
    }
});
