//! did:web and did:webvh DID ↔ URL mapping never panics, and a URL a
//! did:web maps to maps back to a DID with the same URL (`%3a` becomes the
//! canonical `%3A`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::did::{web, webvh};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(url) = web::document_url(text) {
        let back = web::did_for_url(&url).expect("a mapped URL maps back");
        assert_eq!(web::document_url(&back).expect("the canonical DID maps"), url);
    }
    let _ = web::did_for_url(text);
    let _ = webvh::log_url(text);
});
