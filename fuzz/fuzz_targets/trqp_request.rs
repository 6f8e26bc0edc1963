//! TRQP request parsing and answering never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::registry::trqp::Query;
use passerelle::registry::TrustStore;
use passerelle::Timestamp;

fuzz_target!(|data: &[u8]| {
    if let Ok(query) = Query::parse(data) {
        let store = TrustStore::new([query.authority_id.clone()]);
        let now = Timestamp::from_unix_seconds(1_790_000_000);
        let _ = store.answer_authorization(&query, now);
        let _ = store.answer_recognition(&query, now);
    }
});
