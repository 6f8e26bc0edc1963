//! `relatedResource` (VCDM 2.0 §5.3, Integrity of Related Resources): the
//! resources a credential pins by digest, read into [`RelatedResource`]s
//! whose digests are well-formed.
//!
//! - `digestSRI` (§5.3, §B.3.1 `sriString`): one or more SRI
//!   `hash-expression`s (`sha256-`, `sha384-` or `sha512-` followed by the
//!   base64 of a digest of that length), separated by whitespace, in a
//!   string or an array of strings.
//! - `digestMultibase` (Data Integrity §2.3): a string or an array of
//!   strings, each a Multibase (`z` base58btc or `u` base64url, Controlled
//!   Identifiers §2.4) Multihash (§2.5: code, length, digest of that length).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::parts::{objects, optional_id};
use crate::error::{quoted, Error, ErrorCode, Result};

const KEY: &str = "relatedResource";

/// A resource the credential refers to, with the digests it must have.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RelatedResource {
    /// The resource's URL (unique among the credential's related resources).
    pub id: String,
    /// Its media type(s), when given.
    pub media_types: Vec<String>,
    /// Its digests: those of `digestSRI`, then those of `digestMultibase`
    /// (at least one).
    pub digests: Vec<Digest>,
}

/// One digest of a related resource.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Digest {
    /// The hash function.
    pub algorithm: DigestAlgorithm,
    /// The digest itself, of the function's output length.
    pub bytes: Vec<u8>,
}

/// A hash function a related resource's digest is made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-256 (SRI `sha256`, Multihash `0x12`).
    Sha2_256,
    /// SHA-384 (SRI `sha384`, Multihash `0x20`).
    Sha2_384,
    /// SHA-512 (SRI `sha512`, Multihash `0x13`).
    Sha2_512,
    /// SHA3-256 (Multihash `0x16`).
    Sha3_256,
    /// SHA3-384 (Multihash `0x15`).
    Sha3_384,
    /// SHA3-512 (Multihash `0x14`).
    Sha3_512,
}

impl DigestAlgorithm {
    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha2_256 | DigestAlgorithm::Sha3_256 => 32,
            DigestAlgorithm::Sha2_384 | DigestAlgorithm::Sha3_384 => 48,
            DigestAlgorithm::Sha2_512 | DigestAlgorithm::Sha3_512 => 64,
        }
    }

    /// The algorithms SRI names (SRI §3.2: sha256, sha384, sha512).
    fn from_sri(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(DigestAlgorithm::Sha2_256),
            "sha384" => Some(DigestAlgorithm::Sha2_384),
            "sha512" => Some(DigestAlgorithm::Sha2_512),
            _ => None,
        }
    }

    /// The Multihash codes of Controlled Identifiers §2.5, and the SHA-512s.
    fn from_multihash(code: u8) -> Option<Self> {
        match code {
            0x12 => Some(DigestAlgorithm::Sha2_256),
            0x20 => Some(DigestAlgorithm::Sha2_384),
            0x13 => Some(DigestAlgorithm::Sha2_512),
            0x16 => Some(DigestAlgorithm::Sha3_256),
            0x15 => Some(DigestAlgorithm::Sha3_384),
            0x14 => Some(DigestAlgorithm::Sha3_512),
            _ => None,
        }
    }
}

/// Reads `relatedResource`: one or more objects, each with a URL `id`
/// unique among them and at least a `digestSRI` or a `digestMultibase`.
pub(crate) fn related_resources(json: &Map<String, Value>) -> Result<Vec<RelatedResource>> {
    let Some(entries) = objects(json, KEY)? else {
        return Ok(Vec::new());
    };
    let mut out: Vec<RelatedResource> = Vec::with_capacity(entries.len());
    for entry in entries {
        let id = optional_id(entry, KEY)?
            .ok_or_else(|| invalid("relatedResource entries need an id: the URL of the resource".into()))?;
        if out.iter().any(|r| r.id == id) {
            return Err(invalid(format!(
                "relatedResource ids must be unique: {} appears twice",
                quoted(&id)
            )));
        }
        let at = |why: String| invalid(format!("relatedResource {}: {why}", quoted(&id)));
        let mut digests = Vec::new();
        for text in strings(entry, "digestSRI").map_err(at)? {
            digests.extend(sri(text).map_err(|why| at(format!("digestSRI {why}")))?);
        }
        for text in strings(entry, "digestMultibase").map_err(at)? {
            digests.push(multihash(text).map_err(|why| at(format!("digestMultibase {why}")))?);
        }
        if digests.is_empty() {
            return Err(at("needs a digestSRI or digestMultibase".into()));
        }
        let media_types = strings(entry, "mediaType").map_err(at)?;
        if let Some(bad) = media_types.iter().find(|m| !is_media_type(m)) {
            return Err(at(format!(
                "mediaType {} is not a media type (type/subtype)",
                quoted(bad)
            )));
        }
        let media_types = media_types.into_iter().map(str::to_owned).collect();
        out.push(RelatedResource {
            id,
            media_types,
            digests,
        });
    }
    Ok(out)
}

fn invalid(detail: String) -> Error {
    Error::new(ErrorCode::PropertyInvalid, detail)
}

/// The strings of `key`: none when absent, else a string or a non-empty
/// array of strings.
fn strings<'a>(entry: &'a Map<String, Value>, key: &str) -> std::result::Result<Vec<&'a str>, String> {
    match entry.get(key) {
        None => Ok(Vec::new()),
        Some(Value::String(text)) => Ok(vec![text]),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str())
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("{key} must be a string or a non-empty array of strings")),
        Some(_) => Err(format!("{key} must be a string or a non-empty array of strings")),
    }
}

/// SRI's base64: the standard alphabet; the `=` padding is optional in the
/// grammar (`base64-value = 1*( ALPHA / DIGIT / "+" / "/" )*2( "=" )`).
const SRI_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One `sriString`: one or more whitespace-separated `hash-expression`s
/// (`hash-algo "-" base64-value`, no options).
fn sri(text: &str) -> std::result::Result<Vec<Digest>, String> {
    let mut out = Vec::new();
    for expression in text.split_ascii_whitespace() {
        let (name, value) = expression
            .split_once('-')
            .ok_or_else(|| format!("{} is not algorithm-base64", quoted(expression)))?;
        let algorithm = DigestAlgorithm::from_sri(name)
            .ok_or_else(|| format!("{} is not sha256, sha384 or sha512", quoted(name)))?;
        let bytes = SRI_BASE64
            .decode(value)
            .map_err(|_| format!("{} is not base64", quoted(value)))?;
        if bytes.len() != algorithm.output_len() {
            return Err(format!(
                "{}: a {name} digest is {} bytes, not {}",
                quoted(expression),
                algorithm.output_len(),
                bytes.len()
            ));
        }
        out.push(Digest { algorithm, bytes });
    }
    if out.is_empty() {
        return Err("holds no digest".into());
    }
    Ok(out)
}

/// One Multibase-encoded Multihash: a one-byte code and length (every
/// code and length here is below 0x80, so each varint is one byte), then
/// exactly that many digest bytes, the algorithm's output length.
fn multihash(text: &str) -> std::result::Result<Digest, String> {
    let bytes = crate::crypto::multibase::decode(text)
        .map_err(|_| format!("{} is not multibase (z base58btc or u base64url)", quoted(text)))?;
    let (code, length, digest) = match bytes.as_slice() {
        [code, length, digest @ ..] => (*code, *length, digest),
        _ => return Err(format!("{} is too short for a multihash", quoted(text))),
    };
    let algorithm = DigestAlgorithm::from_multihash(code).ok_or_else(|| {
        format!(
            "{}: multihash code 0x{code:02x} is not a supported SHA-2 or SHA-3 digest",
            quoted(text)
        )
    })?;
    if usize::from(length) != algorithm.output_len() || digest.len() != algorithm.output_len() {
        return Err(format!(
            "{}: the digest must be {} bytes (says {length}, has {})",
            quoted(text),
            algorithm.output_len(),
            digest.len()
        ));
    }
    Ok(Digest {
        algorithm,
        bytes: digest.to_vec(),
    })
}

/// A media type as IANA registers them: `type/subtype`, each an RFC 6838
/// `restricted-name` (a letter or digit, then up to 126 of letters, digits
/// and ``!#$&-^_.+``), no parameters.
fn is_media_type(text: &str) -> bool {
    let name = |part: &str| {
        let mut bytes = part.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
            && part.len() <= 127
            && bytes.all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    text.split_once('/').is_some_and(|(kind, sub)| name(kind) && name(sub))
}
