//! Multibase (Controlled Identifiers §2.4): the base58btc (`z`) and
//! base64url-no-pad (`u`) encodings that Multikey and proofs use.

use base64::Engine as _;

use crate::error::{Error, ErrorCode, Result};

/// Encodes bytes as `z` + base58btc.
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let mut out = String::from("z");
    out.push_str(&super::base58::encode(bytes));
    out
}

/// Encodes bytes as `u` + base64url without padding.
pub fn encode_base64url(bytes: &[u8]) -> String {
    let mut out = String::from("u");
    out.push_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    out
}

/// Longest base58btc value accepted: base58 decoding is quadratic, and keys
/// and signatures are far shorter (a 64-byte signature is 88 characters).
pub const MAX_BASE58_CHARS: usize = 1024;

/// Decodes a multibase string in base58btc (`z`) or base64url (`u`).
pub fn decode(text: &str) -> Result<Vec<u8>> {
    let invalid = |why: &str| Error::new(ErrorCode::KeyInvalid, format!("multibase: {why}"));
    let mut chars = text.chars();
    match chars.next() {
        Some('z') if text.len() > MAX_BASE58_CHARS + 1 => Err(invalid("base58btc value too long")),
        Some('z') => super::base58::decode(chars.as_str()).ok_or_else(|| invalid("not base58btc")),
        Some('u') => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(chars.as_str())
            .map_err(|_| invalid("not base64url")),
        Some(_) => Err(invalid("unsupported base")),
        None => Err(invalid("empty")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_both_bases() {
        let bytes = [0u8, 0, 1, 2, 255];
        assert_eq!(decode(&encode_base58btc(&bytes)).unwrap(), bytes);
        assert_eq!(decode(&encode_base64url(&bytes)).unwrap(), bytes);
    }

    #[test]
    fn refuses_unknown_bases_and_bad_alphabets() {
        assert!(decode("").is_err());
        assert!(decode("f00").is_err());
        assert!(decode("z0OIl").is_err());
        assert!(decode("u+/=").is_err());
        assert!(decode(&format!("z{}", "2".repeat(MAX_BASE58_CHARS + 1))).is_err());
    }
}
