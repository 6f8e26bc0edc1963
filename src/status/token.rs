//! IETF Token Status Lists (draft-ietf-oauth-status-list §4–§6): the list
//! an SD-JWT VC's `status.status_list` claim points into, and the Status
//! List Token (a JWT, `typ` `statuslist+jwt`) that carries it.
//!
//! A list holds `bits` bits (1, 2, 4 or 8) per token, packed from the
//! least significant bit of each byte, compressed with DEFLATE in the ZLIB
//! format and written in base64url (`lst`). Reading expands it in bounded
//! memory, as a Bitstring Status List is ([`MAX_EXPANDED_BYTES`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::MAX_EXPANDED_BYTES;
use crate::crypto::Signer;
use crate::error::{Error, ErrorCode, Result};
use crate::time::Timestamp;

/// The JWT `typ` of a Status List Token (§5.1).
pub const STATUS_LIST_TOKEN_TYP: &str = "statuslist+jwt";

/// Status type `VALID` (§7.1).
pub const VALID: u8 = 0x00;
/// Status type `INVALID`: revoked (§7.1).
pub const INVALID: u8 = 0x01;
/// Status type `SUSPENDED` (§7.1).
pub const SUSPENDED: u8 = 0x02;

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::StatusListInvalid, why)
}

/// A Token Status List: one status of `bits` bits per referenced token.
///
/// ```
/// use passerelle::status::token::{TokenStatusList, INVALID};
/// let mut list = TokenStatusList::new(1, 16).unwrap();
/// list.set(3, INVALID).unwrap();
/// let read = TokenStatusList::from_claim(&list.to_claim()).unwrap();
/// assert_eq!((read.get(3).unwrap(), read.get(4).unwrap()), (INVALID, 0));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenStatusList {
    bits: u8,
    bytes: Vec<u8>,
}

impl TokenStatusList {
    /// A list of `entries` statuses of `bits` bits, all `VALID`.
    /// `OPTION_INVALID` for `bits` other than 1, 2, 4, 8, no entries, or a
    /// list past [`MAX_EXPANDED_BYTES`].
    pub fn new(bits: u8, entries: usize) -> Result<Self> {
        let bytes = entries
            .checked_mul(usize::from(bits))
            .map(|total| total.div_ceil(8))
            .filter(|bytes| (1..=MAX_EXPANDED_BYTES).contains(bytes) && matches!(bits, 1 | 2 | 4 | 8));
        match bytes {
            Some(bytes) => Ok(TokenStatusList {
                bits,
                bytes: vec![0; bytes],
            }),
            None => Err(Error::new(
                ErrorCode::OptionInvalid,
                format!("a Token Status List has 1, 2, 4 or 8 bits per entry and 1 to {MAX_EXPANDED_BYTES} bytes"),
            )),
        }
    }

    /// Reads the `status_list` claim of a Status List Token (§4.2):
    /// `bits` (1, 2, 4 or 8) and `lst` (base64url of the ZLIB-compressed
    /// bytes), expanded to at most [`MAX_EXPANDED_BYTES`].
    /// `STATUS_LIST_INVALID` otherwise.
    pub fn from_claim(claim: &Value) -> Result<Self> {
        let claim = claim
            .as_object()
            .ok_or_else(|| invalid("status_list is not an object"))?;
        let bits = match claim.get("bits").and_then(Value::as_u64) {
            Some(bits @ (1 | 2 | 4 | 8)) => bits as u8,
            _ => return Err(invalid("status_list.bits must be 1, 2, 4 or 8")),
        };
        let lst = claim
            .get("lst")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("status_list.lst is not a string"))?;
        // base64url at 4/3 of the compressed size: a longer text cannot
        // expand within the limit anyway at DEFLATE's best ratio.
        if lst.len() > MAX_EXPANDED_BYTES {
            return Err(invalid("status_list.lst is too long"));
        }
        let compressed = URL_SAFE_NO_PAD
            .decode(lst)
            .map_err(|_| invalid("status_list.lst is not base64url"))?;
        // miniz_oxide grows the output as it goes and stops at the limit
        // (a ZLIB bomb costs bounded memory), and checks the Adler-32.
        let bytes =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_EXPANDED_BYTES).map_err(|e| {
                match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        invalid("status_list.lst expands past the limit")
                    }
                    _ => invalid(format!("status_list.lst is not ZLIB data ({:?})", e.status)),
                }
            })?;
        if bytes.is_empty() {
            return Err(invalid("status_list.lst holds no status"));
        }
        Ok(TokenStatusList { bits, bytes })
    }

    /// The `status_list` claim: `bits` and `lst` (ZLIB at the highest
    /// compression, base64url).
    pub fn to_claim(&self) -> Value {
        let mut claim = Map::new();
        claim.insert("bits".into(), self.bits.into());
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&self.bytes, 10);
        claim.insert("lst".into(), URL_SAFE_NO_PAD.encode(compressed).into());
        Value::Object(claim)
    }

    /// Bits per status.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// How many statuses the list holds.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8 / usize::from(self.bits)
    }

    /// Whether the list holds no status (never, once built or read).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The `bits` low bits set.
    fn mask(&self) -> u8 {
        ((1u16 << self.bits) - 1) as u8
    }

    /// The byte of status `index`, and the shift of its bits in it.
    fn position(&self, index: u64) -> Result<(usize, u32)> {
        let bits = u64::from(self.bits);
        let byte = index
            .checked_mul(bits)
            .map(|bit| bit / 8)
            .and_then(|byte| usize::try_from(byte).ok())
            .filter(|byte| *byte < self.bytes.len())
            .ok_or_else(|| invalid(format!("index {index} is past the list's {} statuses", self.len())))?;
        // Packed from the least significant bit (§4.1 step 3).
        Ok((byte, (index % (8 / bits) * bits) as u32))
    }

    /// The status at `index`; `STATUS_LIST_INVALID` past the list (§6.4
    /// step 6: no statement can be made, the token is refused).
    pub fn get(&self, index: u64) -> Result<u8> {
        let (byte, shift) = self.position(index)?;
        Ok((self.bytes[byte] >> shift) & self.mask())
    }

    /// Sets the status at `index` to `value`, which must fit in `bits`.
    pub fn set(&mut self, index: u64, value: u8) -> Result<()> {
        let mask = self.mask();
        if value & !mask != 0 {
            return Err(Error::new(
                ErrorCode::OptionInvalid,
                format!("status {value} does not fit in {} bits", self.bits),
            ));
        }
        let (byte, shift) = self.position(index)?;
        self.bytes[byte] = (self.bytes[byte] & !(mask << shift)) | (value << shift);
        Ok(())
    }
}

/// What a referenced token's `status.status_list` claim says (§6.2): the
/// index of its status, and the URI of the Status List Token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusListReference {
    /// `idx`: the token's index in the list.
    pub index: u64,
    /// `uri`: where the Status List Token is.
    pub uri: String,
}

impl StatusListReference {
    /// Reads `status.status_list` (`status` is the token's `status` claim);
    /// `None` when the claim names no Token Status List.
    /// `STATUS_LIST_INVALID` when it does, malformed: `idx` not a
    /// non-negative integer, `uri` not an absolute URI.
    pub fn from_status_claim(status: &Map<String, Value>) -> Option<Result<Self>> {
        let reference = status.get("status_list")?;
        let read = || {
            let reference = reference
                .as_object()
                .ok_or_else(|| invalid("status.status_list is not an object"))?;
            let index = reference
                .get("idx")
                .and_then(Value::as_u64)
                .ok_or_else(|| invalid("status.status_list.idx is not a non-negative integer"))?;
            let uri = reference
                .get("uri")
                .and_then(Value::as_str)
                .filter(|uri| {
                    uri.split_once(':')
                        .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty())
                })
                .ok_or_else(|| invalid("status.status_list.uri is not an absolute URI"))?;
            Ok(StatusListReference {
                index,
                uri: uri.to_owned(),
            })
        };
        Some(read())
    }
}

/// Signs `list` as a Status List Token (§5.1) for `uri` (its `sub`):
/// `iat` is `issued`, `exp` `expires` when given, `typ` `statuslist+jwt`,
/// `kid` the verification method `kid` (the issuer's own key, so that a
/// verifier accepts it for the issuer's tokens).
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// use passerelle::status::token::{sign_status_list_token, TokenStatusList};
/// use passerelle::Timestamp;
/// let key = Ed25519KeyPair::from_seed(&[4; 32]);
/// let kid = passerelle::did::key::verification_method_for(&key.public_key());
/// let at = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
/// let list = TokenStatusList::new(2, 1024).unwrap();
/// let token = sign_status_list_token(&list, "https://status.example/1", at, None, &kid, &key).unwrap();
/// assert_eq!(token.split('.').count(), 3);
/// ```
pub fn sign_status_list_token(
    list: &TokenStatusList,
    uri: &str,
    issued: Timestamp,
    expires: Option<Timestamp>,
    kid: &str,
    signer: &dyn Signer,
) -> Result<String> {
    let mut claims = Map::new();
    claims.insert("sub".into(), uri.into());
    claims.insert("iat".into(), issued.unix_seconds().into());
    if let Some(expires) = expires {
        claims.insert("exp".into(), expires.unix_seconds().into());
    }
    claims.insert("status_list".into(), list.to_claim());
    crate::jose::sign_typed(&claims, kid, STATUS_LIST_TOKEN_TYP, signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len() / 2)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    fn claim(bits: u8, compressed_hex: &str) -> Value {
        serde_json::json!({"bits": bits, "lst": URL_SAFE_NO_PAD.encode(unhex(compressed_hex))})
    }

    #[test]
    fn the_drafts_two_examples_read_as_written() {
        // §4.1: 16 statuses of 1 bit, 0xB9 0xA3.
        let one = TokenStatusList::from_claim(&claim(1, "78dadbb918000217015d")).unwrap();
        let expected = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
        assert_eq!((0..16).map(|i| one.get(i).unwrap()).collect::<Vec<_>>(), expected);
        // §4.1: 12 statuses of 2 bits, 0xC9 0x44 0xF9.
        let two = TokenStatusList::from_claim(&claim(2, "78da3be9f2130003df0207")).unwrap();
        let expected = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];
        assert_eq!((0..12).map(|i| two.get(i).unwrap()).collect::<Vec<_>>(), expected);
        // Writing the same statuses gives the same bytes.
        let mut written = TokenStatusList::new(2, 12).unwrap();
        for (index, value) in expected.iter().enumerate() {
            written.set(index as u64, *value).unwrap();
        }
        assert_eq!(written.bytes, [0xC9, 0x44, 0xF9]);
    }

    #[test]
    fn every_width_round_trips_and_past_the_end_is_refused() {
        for bits in [1u8, 2, 4, 8] {
            let mut list = TokenStatusList::new(bits, 100).unwrap();
            let top = ((1u16 << bits) - 1) as u8;
            list.set(0, top).unwrap();
            list.set(57, 1).unwrap();
            let read = TokenStatusList::from_claim(&list.to_claim()).unwrap();
            assert_eq!(
                (read.get(0).unwrap(), read.get(57).unwrap(), read.get(58).unwrap()),
                (top, 1, 0)
            );
            let past = read.len() as u64;
            assert_eq!(
                read.get(past).unwrap_err().code(),
                ErrorCode::StatusListInvalid,
                "{bits}"
            );
            assert_eq!(read.get(u64::MAX).unwrap_err().code(), ErrorCode::StatusListInvalid);
            if bits < 8 {
                assert_eq!(list.set(1, top + 1).unwrap_err().code(), ErrorCode::OptionInvalid);
            }
        }
    }

    #[test]
    fn malformed_lists_and_bombs_are_refused() {
        for bad in [
            serde_json::json!({"bits": 3, "lst": "eNoDAAAAAAE"}),
            serde_json::json!({"bits": 1}),
            serde_json::json!({"bits": 1, "lst": "not base64!"}),
            serde_json::json!({"bits": 1, "lst": URL_SAFE_NO_PAD.encode(b"not zlib")}),
            serde_json::json!([1]),
        ] {
            assert_eq!(
                TokenStatusList::from_claim(&bad).unwrap_err().code(),
                ErrorCode::StatusListInvalid,
                "{bad}"
            );
        }
        // A ZLIB bomb: zeros past the limit, compressed.
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; MAX_EXPANDED_BYTES + 1], 10);
        let claim = serde_json::json!({"bits": 1, "lst": URL_SAFE_NO_PAD.encode(bomb)});
        let error = TokenStatusList::from_claim(&claim).unwrap_err();
        assert!(error.detail().contains("past the limit"), "{}", error.detail());
        assert_eq!(error.code(), ErrorCode::StatusListInvalid);
        // A checksum changed.
        let mut good = miniz_oxide::deflate::compress_to_vec_zlib(&[1, 2, 3], 10);
        let last = good.len() - 1;
        good[last] ^= 1;
        let claim = serde_json::json!({"bits": 1, "lst": URL_SAFE_NO_PAD.encode(good)});
        assert_eq!(
            TokenStatusList::from_claim(&claim).unwrap_err().code(),
            ErrorCode::StatusListInvalid
        );
        assert_eq!(TokenStatusList::new(3, 8).unwrap_err().code(), ErrorCode::OptionInvalid);
        assert_eq!(TokenStatusList::new(1, 0).unwrap_err().code(), ErrorCode::OptionInvalid);
    }

    #[test]
    fn references_are_read_strictly() {
        let read = |value: Value| StatusListReference::from_status_claim(value.as_object().unwrap());
        let good = read(serde_json::json!({"status_list": {"idx": 7, "uri": "https://status.example/1"}}));
        assert_eq!(good.unwrap().unwrap().index, 7);
        assert!(read(serde_json::json!({"other_mechanism": {}})).is_none());
        for bad in [
            serde_json::json!({"status_list": {"idx": -1, "uri": "https://status.example/1"}}),
            serde_json::json!({"status_list": {"idx": "7", "uri": "https://status.example/1"}}),
            serde_json::json!({"status_list": {"idx": 1.5, "uri": "https://status.example/1"}}),
            serde_json::json!({"status_list": {"idx": 7, "uri": "status/1"}}),
            serde_json::json!({"status_list": {"idx": 7}}),
            serde_json::json!({"status_list": "https://status.example/1"}),
        ] {
            assert_eq!(
                read(bad.clone()).unwrap().unwrap_err().code(),
                ErrorCode::StatusListInvalid,
                "{bad}"
            );
        }
    }
}
