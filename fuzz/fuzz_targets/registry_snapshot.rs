//! Registry snapshot opening (JSON, signature, freshness, model checks)
//! never panics; the registry source format never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::did::StaticResolver;
use passerelle::registry::{open_snapshot, Registry, TrustStore};
use passerelle::Timestamp;

fuzz_target!(|data: &[u8]| {
    let at = Timestamp::from_unix_seconds(1_790_000_000);
    let _ = open_snapshot(data, &StaticResolver::default(), at);
    let mut store = TrustStore::new(["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]);
    let _ = store.load_snapshot(data, &StaticResolver::default(), at);
    if let Ok(value) = serde_json::from_slice(data) {
        if let Ok(registry) = Registry::from_json(value) {
            let _ = registry.validate();
        }
    }
});
