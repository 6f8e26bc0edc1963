//! JSON-LD expansion and RDF serialization never panic, whatever the
//! document and whatever the contexts: the input is a document, or
//! `{"ctx": <context document>, "doc": <document>}` where the context is
//! served at `https://fuzz.example/ctx`. Whatever expands canonicalizes to
//! N-Quads that read back.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use passerelle::canon::{nquads, rdfc};
use passerelle::json::{parse_strict, Limits};
use passerelle::jsonld::JsonLd;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = parse_strict(data, Limits::default()) else {
        return;
    };
    let mut jsonld = JsonLd::new();
    let document = match input {
        Value::Object(mut map) if map.contains_key("ctx") && map.contains_key("doc") => {
            let context = map.remove("ctx").unwrap_or(Value::Null);
            let mut served = HashMap::new();
            served.insert("https://fuzz.example/ctx".to_string(), context.to_string());
            jsonld = jsonld.with_loader(served);
            map.remove("doc").unwrap_or(Value::Null)
        }
        other => other,
    };
    let Ok(quads) = jsonld.to_rdf(&document) else { return };
    let limit = rdfc::WorkLimit {
        max_n_degree_calls: 256,
        max_permutations: 4096,
        max_work: 20_000,
    };
    if let Ok(canonical) = rdfc::canonicalize(&quads, rdfc::HashAlgorithm::Sha256, limit) {
        nquads::parse(&canonical.nquads).expect("canonical N-Quads read back");
    }
});
