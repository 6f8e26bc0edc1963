//! JCS never panics on parsed input, refuses only integers a double cannot
//! hold exactly, and its output is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::canon::canonicalize;
use passerelle::json::{parse_strict, Limits};
use passerelle::ErrorCode;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = parse_strict(data, Limits::default()) {
        let once = match canonicalize(&value) {
            Ok(once) => once,
            Err(error) => {
                assert_eq!(error.code(), ErrorCode::JsonNumberInvalid, "{error}");
                return;
            }
        };
        let again = parse_strict(
            &once,
            Limits {
                max_bytes: usize::MAX,
                ..Limits::default()
            },
        )
        .expect("canonical JSON parses");
        assert_eq!(canonicalize(&again).expect("canonicalizes"), once);
    }
});
