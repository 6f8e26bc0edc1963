//! N-Quads reading and RDFC-1.0 canonicalization never panic, stay within
//! their work limit, and the canonical form is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::canon::{nquads, rdfc};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(quads) = nquads::parse(text) else { return };
    let limit = rdfc::WorkLimit {
        max_n_degree_calls: 256,
        max_permutations: 4096,
        max_work: 20_000,
    };
    if let Ok(first) = rdfc::canonicalize(&quads, rdfc::HashAlgorithm::Sha256, limit) {
        let again = nquads::parse(&first.nquads).expect("canonical N-Quads parse");
        if let Ok(second) = rdfc::canonicalize(&again, rdfc::HashAlgorithm::Sha256, limit) {
            assert_eq!(first.nquads, second.nquads);
        }
    }
});
