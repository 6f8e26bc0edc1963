//! Our JSON reader agrees with serde_json: the same value when both read
//! the input, and a refusal when serde_json refuses it. We may refuse more:
//! duplicate keys, nesting past our limit, and numbers a double would turn
//! into another integer than written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::json::{parse_strict, Limits};
use passerelle::ErrorCode;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: Limits::DEPTH_CEILING,
    };
    let ours = parse_strict(data, limits);
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(ours, theirs);
            // Numbers bit for bit (Value's == treats 0.0 and -0.0 alike).
            assert_eq!(ours.to_string(), theirs.to_string());
        }
        (Ok(ours), Err(e)) => panic!("we read {ours}, serde_json refused: {e}"),
        (Err(e), Ok(_)) => assert!(
            matches!(e.code(), ErrorCode::JsonDuplicateKey | ErrorCode::InputTooDeep | ErrorCode::JsonNumberInvalid),
            "we refused with {e}, serde_json read it"
        ),
        (Err(_), Err(_)) => {}
    }
});
