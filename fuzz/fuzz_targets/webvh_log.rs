//! did:webvh log verification never panics on any log.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::did::webvh::{resolve_log, VersionQuery};
use passerelle::Timestamp;

const DID: &str =
    "did:webvh:QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE:mines.gov.bc.passerelle.example:dids:issuer";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = resolve_log(
        DID,
        text,
        Timestamp::from_unix_seconds(1_780_000_000),
        &VersionQuery::Latest,
    );
    // Also under the DID the log's own first entry names, to reach the later checks.
    if let Some(did) = text
        .lines()
        .next()
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| v["state"]["id"].as_str().map(str::to_owned))
    {
        let _ = resolve_log(
            &did,
            text,
            Timestamp::from_unix_seconds(1_780_000_000),
            &VersionQuery::Latest,
        );
    }
});
