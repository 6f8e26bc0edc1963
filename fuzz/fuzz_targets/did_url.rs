//! DID URL parsing and dereferencing (`did::resolve`) never panics, on any
//! input and any public key format; a result always serializes, and a
//! dereferenced fragment is the object whose id is the URL asked for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::did::resolution::{parse_did_url, resolve, PublicKeyFormat, ResolutionOptions};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options; the rest is the DID or DID URL.
    let Some((&choice, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let formats = PublicKeyFormat::ALL;
    let format = match usize::from(choice & 0x0f) {
        i if i < formats.len() => Some(formats[i].as_str()),
        6 => Some("unknown"),
        _ => None,
    };
    let options = ResolutionOptions {
        public_key_format: format,
        // Unset, true or false: the three behave differently.
        enable_experimental_public_key_types: match (choice >> 4) & 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        },
        enable_encryption_key_derivation: choice & 0x40 != 0,
        ..ResolutionOptions::default()
    };
    let parsed = parse_did_url(text);
    let result = resolve(text, &options);
    let json = result.to_json();
    assert!(json.get("didResolutionMetadata").is_some());
    if let (Ok(url), true) = (parsed, result.is_ok()) {
        if url.fragment.is_some() {
            assert_eq!(json["contentStream"]["id"], text);
        }
    }
});
