//! Reading a COSE_Sign1 (RFC 9052 §4.2) from its CBOR (RFC 8949): exactly
//! the items a signed credential is made of, definite lengths in their
//! shortest form only, every header parameter known or refused. Written for the verify path, where
//! building a whole CBOR value tree first (as `coset` does) costs more
//! than the rest of the format; `coset` still writes COSE_Sign1s and is the
//! oracle the tests read the same bytes with.

use crate::error::{Error, ErrorCode, Result};
use crate::jose::JwsAlgorithm;

/// The `typ` (16) header label (RFC 9596).
pub(super) const TYP: u64 = 16;

fn malformed(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::CoseMalformed, why)
}

fn header_invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::CoseHeaderInvalid, why)
}

/// The parts of a COSE_Sign1, borrowed from its bytes.
pub(super) struct Sign1<'a> {
    /// The protected header's bytes, as signed.
    pub(super) protected: &'a [u8],
    /// What the protected header says.
    pub(super) header: Header<'a>,
    /// The attached payload.
    pub(super) payload: &'a [u8],
    pub(super) signature: &'a [u8],
}

/// The protected header parameters a credential may carry.
#[derive(Default)]
pub(super) struct Header<'a> {
    pub(super) alg: Option<JwsAlgorithm>,
    /// The content type (3): its text, or `Err` for a registered number.
    pub(super) content_type: Option<std::result::Result<&'a str, u64>>,
    pub(super) kid: Option<&'a [u8]>,
    /// The `typ` (16): its text, or `Err` for a registered number.
    pub(super) typ: Option<std::result::Result<&'a str, u64>>,
}

/// CBOR major types (RFC 8949 §3.1).
const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
/// `null` (major type 7, simple value 22): a detached payload.
const NULL: u8 = 0xf6;
/// Tag 18 (COSE_Sign1) in its one-byte form.
const TAG_SIGN1: u8 = 0xd2;

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| malformed("not a COSE_Sign1: the bytes end inside an item"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    /// An item's head: its major type and argument (a value or a length).
    fn head(&mut self) -> Result<(u8, u64)> {
        let initial = self.take(1)?[0];
        let (major, info) = (initial >> 5, initial & 0x1f);
        let argument = match info {
            0..=23 => u64::from(info),
            24..=27 => {
                let width = 1usize << (info - 24);
                let argument = self.take(width)?.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b));
                // One spelling per value (RFC 8949 §4.2.1): what could be
                // written shorter is refused, so that one COSE_Sign1 has one
                // encoding.
                let shortest_below = match width {
                    1 => 24,
                    2 => 0x100,
                    4 => 0x1_0000,
                    _ => 0x1_0000_0000,
                };
                if argument < shortest_below {
                    return Err(malformed("not a COSE_Sign1: a CBOR head not in its shortest form"));
                }
                argument
            }
            31 => return Err(malformed("not a COSE_Sign1: indefinite lengths are not read")),
            _ => return Err(malformed("not a COSE_Sign1: a reserved CBOR head")),
        };
        Ok((major, argument))
    }

    fn expect(&mut self, major: u8, what: &str) -> Result<u64> {
        match self.head()? {
            (found, argument) if found == major => Ok(argument),
            _ => Err(malformed(format!("not a COSE_Sign1: {what} expected"))),
        }
    }

    fn string(&mut self, major: u8, what: &str) -> Result<&'a [u8]> {
        let len = self.expect(major, what)?;
        self.take_len(len)
    }

    /// The `len` bytes of a string whose head was read.
    fn take_len(&mut self, len: u64) -> Result<&'a [u8]> {
        self.take(usize::try_from(len).map_err(|_| malformed("not a COSE_Sign1: a string too long"))?)
    }
}

/// Reads `input` as a COSE_Sign1, tagged (18) or not.
pub(super) fn read(input: &[u8]) -> Result<Sign1<'_>> {
    let mut cursor = Cursor { bytes: input, at: 0 };
    if input.first() == Some(&TAG_SIGN1) {
        cursor.at = 1;
    }
    if cursor.expect(ARRAY, "an array")? != 4 {
        return Err(malformed("not a COSE_Sign1: an array of 4 items expected"));
    }
    let protected = cursor.string(BYTES, "the protected header as a byte string")?;
    if cursor.expect(MAP, "the unprotected header as a map")? != 0 {
        return Err(header_invalid(
            "the unprotected header is not signed: everything a verifier reads must be protected",
        ));
    }
    if cursor.bytes.get(cursor.at) == Some(&NULL) {
        return Err(malformed("the payload is detached: the credential must be inside"));
    }
    let payload = cursor.string(BYTES, "the payload as a byte string")?;
    let signature = cursor.string(BYTES, "the signature as a byte string")?;
    if cursor.at != input.len() {
        return Err(malformed("not a COSE_Sign1: bytes after it"));
    }
    Ok(Sign1 {
        protected,
        header: read_header(protected)?,
        payload,
        signature,
    })
}

/// The protected header: an empty byte string, or a map of the parameters
/// a credential may carry, each once.
fn read_header(protected: &[u8]) -> Result<Header<'_>> {
    let mut header = Header::default();
    if protected.is_empty() {
        return Ok(header);
    }
    let mut cursor = Cursor {
        bytes: protected,
        at: 0,
    };
    let count = cursor.expect(MAP, "the protected header as a map")?;
    let mut seen: Vec<u64> = Vec::new();
    for _ in 0..count {
        let label = match cursor.head()? {
            (UNSIGNED, n) => n,
            (NEGATIVE, n) => {
                return Err(header_invalid(format!(
                    "header parameter -{} is not understood",
                    u128::from(n) + 1
                )))
            }
            (TEXT, _) => return Err(header_invalid("a header parameter named by text is not understood")),
            _ => return Err(malformed("not a COSE_Sign1: a header label is an integer or text")),
        };
        if seen.contains(&label) {
            return Err(malformed(format!("header parameter {label} appears twice")));
        }
        seen.push(label);
        match label {
            1 => header.alg = Some(algorithm(&mut cursor)?),
            2 => {
                return Err(header_invalid(
                    "crit lists parameters this verifier does not understand",
                ))
            }
            3 => header.content_type = Some(text_or_number(&mut cursor, "content type")?),
            4 => header.kid = Some(cursor.string(BYTES, "kid as a byte string")?),
            5..=7 => {
                return Err(header_invalid(
                    "an IV or counter signature has no place in a signed credential",
                ))
            }
            TYP => header.typ = Some(text_or_number(&mut cursor, "typ")?),
            other => return Err(header_invalid(format!("header parameter {other} is not understood"))),
        }
    }
    if cursor.at != protected.len() {
        return Err(malformed("not a COSE_Sign1: bytes after the protected header"));
    }
    Ok(header)
}

/// `alg` (1): EdDSA (-8), ES256 (-7), ES384 (-35) or ES512 (-36).
fn algorithm(cursor: &mut Cursor<'_>) -> Result<JwsAlgorithm> {
    match cursor.head()? {
        (NEGATIVE, 7) => Ok(JwsAlgorithm::EdDsa),
        (NEGATIVE, 6) => Ok(JwsAlgorithm::Es256),
        (NEGATIVE, 34) => Ok(JwsAlgorithm::Es384),
        (NEGATIVE, 35) => Ok(JwsAlgorithm::Es512),
        (NEGATIVE, n) => Err(header_invalid(format!(
            "alg -{} (EdDSA, ES256, ES384 and ES512 are accepted)",
            u128::from(n) + 1
        ))),
        (UNSIGNED, n) => Err(header_invalid(format!(
            "alg {n} (EdDSA, ES256, ES384 and ES512 are accepted)"
        ))),
        _ => Err(header_invalid("alg is not a registered algorithm number")),
    }
}

/// A parameter written as text or as a registered number.
fn text_or_number<'a>(cursor: &mut Cursor<'a>, what: &str) -> Result<std::result::Result<&'a str, u64>> {
    match cursor.head()? {
        (TEXT, len) => {
            let bytes = cursor.take_len(len)?;
            std::str::from_utf8(bytes)
                .map(Ok)
                .map_err(|_| malformed(format!("{what} is not UTF-8")))
        }
        (UNSIGNED, n) => Ok(Err(n)),
        _ => Err(header_invalid(format!("{what} is neither text nor a number"))),
    }
}
