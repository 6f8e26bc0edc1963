//! Credential and presentation parsing and data-model validation never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::json::Limits;

fuzz_target!(|data: &[u8]| {
    let _ = passerelle::Credential::from_slice(data, Limits::default());
    let _ = passerelle::Presentation::from_slice(data, Limits::default());
});
