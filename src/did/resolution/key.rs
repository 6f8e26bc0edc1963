//! The `did:key` read operation with resolution options (did:key v0.7,
//! "Document Creation Algorithm" and the algorithms it calls), section by
//! section: split and check the identifier, decode the multicodec key,
//! check its length and encoding, express it in the requested public key
//! format, derive the X25519 key-agreement key of an Ed25519 key, and
//! build the `@context`.
//!
//! Key types are one table ([`CODECS`]). A type listed with no [`KeyKind`]
//! (secp256k1) is recognised, its length checked, and refused as
//! `KEY_TYPE_UNSUPPORTED`; adding one means a `KeyKind` variant, its entry
//! here, and its arms in [`check_point`] and [`jwk`] (the compiler lists them).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::{PublicKeyFormat, ResolutionOptions};
use crate::crypto::{multibase, PublicKey};
use crate::error::{Error, ErrorCode, Result};

/// A key type this resolver expands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KeyKind {
    /// Ed25519 (multicodec `ed25519-pub`, 0xed).
    Ed25519,
    /// X25519 (multicodec `x25519-pub`, 0xec): key agreement only.
    X25519,
    /// NIST P-256, compressed SEC1 (multicodec `p256-pub`, 0x1200).
    P256,
    /// NIST P-384, compressed SEC1 (multicodec `p384-pub`, 0x1201).
    P384,
    /// NIST P-521, compressed SEC1 (multicodec `p521-pub`, 0x1202).
    P521,
}

/// A multicodec public key type of the did:key method's table.
struct Codec {
    code: u64,
    name: &'static str,
    /// The raw key length the method requires.
    length: usize,
    /// `None`: known to the method but not expanded by this build.
    kind: Option<KeyKind>,
}

/// The did:key method's key-length table ("Signature Method Creation
/// Algorithm", step 3), for the types whose length it fixes.
const CODECS: &[Codec] = &[
    Codec {
        code: 0xed,
        name: "Ed25519",
        length: 32,
        kind: Some(KeyKind::Ed25519),
    },
    Codec {
        code: 0xec,
        name: "X25519",
        length: 32,
        kind: Some(KeyKind::X25519),
    },
    Codec {
        code: 0x1200,
        name: "P-256",
        length: 33,
        kind: Some(KeyKind::P256),
    },
    Codec {
        code: 0x1201,
        name: "P-384",
        length: 49,
        kind: Some(KeyKind::P384),
    },
    // The method's table leaves the length open ("?? bytes"); compressed
    // SEC1, as for the other curves, is 67.
    Codec {
        code: 0x1202,
        name: "P-521",
        length: 67,
        kind: Some(KeyKind::P521),
    },
    Codec {
        code: 0xe7,
        name: "secp256k1",
        length: 33,
        kind: None,
    },
];

const X25519_CODE: u64 = 0xec;

/// The role a verification method plays in the document: the spec checks
/// the format against a different list for each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Signature,
    Encryption,
}

/// A decoded did:key value.
pub(super) struct DecodedKey {
    pub(super) kind: KeyKind,
    code: u64,
    /// The raw key bytes after the multicodec header.
    raw: Vec<u8>,
    /// The multibase value of the identifier.
    multibase: String,
}

/// Steps 2–3 of the Document Creation Algorithm: the multibase value of a
/// `did:key` (scheme `did`, method `key`, version `1` when present, a
/// value starting with `z`), else `DID_INVALID`.
fn multibase_value(identifier: &str) -> Result<&str> {
    let invalid = |why: &str| Error::new(ErrorCode::DidInvalid, format!("did:key: {why}"));
    let parts: Vec<&str> = identifier.splitn(5, ':').collect();
    let (scheme, method, version, value) = match parts.as_slice() {
        [scheme, method, value] => (*scheme, *method, "1", *value),
        [scheme, method, version, value] => (*scheme, *method, *version, *value),
        _ => return Err(invalid("expected did:key:<multibase> or did:key:<version>:<multibase>")),
    };
    if scheme != "did" || method != "key" {
        return Err(invalid("not a did:key"));
    }
    // The spec asks for a positive integer; 1 is the only version it
    // defines, so another number is a DID this resolver cannot read.
    if version != "1" {
        return Err(invalid("the version must be 1"));
    }
    if !value.starts_with('z') {
        return Err(invalid("the key must be multibase base58btc (z…)"));
    }
    crate::did::validate_did(identifier)?;
    Ok(value)
}

/// An unsigned varint (multiformats), at most 9 bytes: the value and the
/// number of bytes it took.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, byte) in bytes.iter().take(9).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            // Minimal encoding only: a trailing zero byte would give one
            // key two identifiers.
            if i > 0 && *byte == 0 {
                return None;
            }
            return Some((value, i + 1));
        }
    }
    None
}

fn varint_bytes(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// The Decode Public Key Algorithm and steps 3–4 of the Signature Method
/// Creation Algorithm: the key's type and bytes, with its length
/// (`DID_KEY_LENGTH_INVALID`) and encoding (`KEY_INVALID`) checked.
pub(super) fn decode(identifier: &str) -> Result<DecodedKey> {
    let value = multibase_value(identifier)?;
    let bytes =
        multibase::decode(value).map_err(|_| Error::new(ErrorCode::DidInvalid, "did:key: the key is not base58btc"))?;
    let (code, header) = varint(&bytes)
        .ok_or_else(|| Error::new(ErrorCode::DidInvalid, "did:key: the multicodec header is malformed"))?;
    let raw = bytes.get(header..).unwrap_or_default().to_vec();
    let codec = CODECS.iter().find(|c| c.code == code).ok_or_else(|| {
        Error::new(
            ErrorCode::KeyTypeUnsupported,
            format!("did:key: multicodec 0x{code:x} is not a public key type this resolver knows"),
        )
    })?;
    if raw.len() != codec.length {
        return Err(Error::new(
            ErrorCode::DidKeyLengthInvalid,
            format!(
                "did:key: a {} key has {} bytes, not {}",
                codec.name,
                codec.length,
                raw.len()
            ),
        ));
    }
    let kind = codec.kind.ok_or_else(|| {
        Error::new(
            ErrorCode::KeyTypeUnsupported,
            format!("did:key: {} keys are not supported", codec.name),
        )
    })?;
    check_point(kind, &raw)?;
    Ok(DecodedKey {
        kind,
        code,
        raw,
        multibase: value.to_owned(),
    })
}

/// Step 4: the bytes are a valid key of their type. Every 32-byte string
/// is an X25519 public key (RFC 7748 §5), so there is nothing to check.
fn check_point(kind: KeyKind, raw: &[u8]) -> Result<()> {
    let invalid = |e: Error| Error::new(ErrorCode::KeyInvalid, format!("did:key: {}", e.detail()));
    match kind {
        KeyKind::Ed25519 => PublicKey::ed25519_from_bytes(raw).map(drop).map_err(invalid),
        KeyKind::P256 | KeyKind::P384 | KeyKind::P521 => {
            let decoded = match kind {
                KeyKind::P256 => PublicKey::p256_from_sec1(raw),
                KeyKind::P384 => PublicKey::p384_from_sec1(raw),
                _ => PublicKey::p521_from_sec1(raw),
            };
            // A curve this build leaves out stays KEY_TYPE_UNSUPPORTED: the key may be fine.
            decoded.map(drop).map_err(|e| match e.code() {
                ErrorCode::KeyTypeUnsupported => e,
                _ => invalid(e),
            })
        }
        KeyKind::X25519 => Ok(()),
    }
}

/// The key's JWK (Encode JWK Algorithm): OKP for Ed25519 and X25519
/// (RFC 8037), EC with both coordinates for P-256, P-384 and P-521 (RFC 7518).
fn jwk(kind: KeyKind, raw: &[u8]) -> Result<Value> {
    // X25519 is no signing key, so `PublicKey` has no JWK for it.
    let okp = |crv: &str| {
        let mut map = Map::new();
        map.insert("kty".into(), "OKP".into());
        map.insert("crv".into(), crv.into());
        map.insert("x".into(), URL_SAFE_NO_PAD.encode(raw).into());
        Value::Object(map)
    };
    match kind {
        KeyKind::Ed25519 => Ok(PublicKey::ed25519_from_bytes(raw)?.to_jwk()),
        KeyKind::X25519 => Ok(okp("X25519")),
        KeyKind::P256 => Ok(PublicKey::p256_from_sec1(raw)?.to_jwk()),
        KeyKind::P384 => Ok(PublicKey::p384_from_sec1(raw)?.to_jwk()),
        KeyKind::P521 => Ok(PublicKey::p521_from_sec1(raw)?.to_jwk()),
    }
}

/// Steps 6–8 of the method creation algorithms, and one rule of ours: the
/// type a method of `kind` gets for `format` in `role`. Unknown formats
/// were refused when the options were read (`PUBLIC_KEY_FORMAT_UNSUPPORTED`).
/// `PUBLIC_KEY_FORMAT_INVALID` when the format is experimental and not
/// enabled, or cannot express the key (an X25519 key as
/// `Ed25519VerificationKey2018`, a P-256 key as `Ed25519VerificationKey2020`).
fn method_type(format: PublicKeyFormat, kind: KeyKind, role: Role, experimental: bool) -> Result<PublicKeyFormat> {
    use PublicKeyFormat::*;
    let standard: &[PublicKeyFormat] = match role {
        Role::Signature => &[Multikey, JsonWebKey2020, Ed25519VerificationKey2020],
        Role::Encryption => &[Multikey, JsonWebKey2020, X25519KeyAgreementKey2020],
    };
    if !experimental && !standard.contains(&format) {
        return Err(Error::new(
            ErrorCode::PublicKeyFormatInvalid,
            format!(
                "{} is experimental here: enableExperimentalPublicKeyTypes is false",
                format.as_str()
            ),
        ));
    }
    let fits = match format {
        Multikey | JsonWebKey2020 => true,
        Ed25519VerificationKey2020 | Ed25519VerificationKey2018 => kind == KeyKind::Ed25519,
        X25519KeyAgreementKey2020 | X25519KeyAgreementKey2019 => kind == KeyKind::X25519,
    };
    if !fits {
        return Err(Error::new(
            ErrorCode::PublicKeyFormatInvalid,
            format!("a {kind:?} key cannot be expressed as {}", format.as_str()),
        ));
    }
    Ok(format)
}

/// The key-agreement type that goes with a signature format: the spec's
/// example pairs `Ed25519VerificationKey2020` with
/// `X25519KeyAgreementKey2020`, its test vectors `Ed25519VerificationKey2018`
/// with `X25519KeyAgreementKey2019`; Multikey and JWK name both.
fn paired_encryption_format(format: PublicKeyFormat) -> PublicKeyFormat {
    use PublicKeyFormat::*;
    match format {
        Ed25519VerificationKey2020 => X25519KeyAgreementKey2020,
        Ed25519VerificationKey2018 => X25519KeyAgreementKey2019,
        other => other,
    }
}

/// A verification method of `identifier` for a key of `kind` whose
/// multibase value is `value` (steps 5 and 9–12).
fn method(identifier: &str, value: &str, kind: KeyKind, raw: &[u8], format: PublicKeyFormat) -> Result<Value> {
    let mut map = Map::new();
    map.insert("id".into(), format!("{identifier}#{value}").into());
    map.insert("type".into(), format.as_str().into());
    map.insert("controller".into(), identifier.into());
    let (name, key) = match format {
        PublicKeyFormat::JsonWebKey2020 => ("publicKeyJwk", jwk(kind, raw)?),
        PublicKeyFormat::Ed25519VerificationKey2018 | PublicKeyFormat::X25519KeyAgreementKey2019 => {
            ("publicKeyBase58", crate::crypto::base58_encode(raw).into())
        }
        _ => ("publicKeyMultibase", value.into()),
    };
    map.insert(name.into(), key);
    Ok(Value::Object(map))
}

/// The DID document of a `did:key` under `options` (the Document Creation
/// Algorithm). An Ed25519 key is listed under `authentication`,
/// `assertionMethod`, `capabilityInvocation` and `capabilityDelegation`,
/// and (with `enable_encryption_key_derivation`) its X25519 key under
/// `keyAgreement`; an X25519 key only under `keyAgreement`, as the
/// method's X25519 test vectors show.
pub(super) fn document(identifier: &str, format: PublicKeyFormat, options: &ResolutionOptions<'_>) -> Result<Value> {
    let key = decode(identifier)?;
    let experimental = options.enable_experimental_public_key_types.unwrap_or(false);
    let mut methods = Vec::new();
    let mut signing = None;
    let mut agreement = None;
    if key.kind == KeyKind::X25519 {
        let format = method_type(format, key.kind, Role::Encryption, experimental)?;
        methods.push(method(identifier, &key.multibase, key.kind, &key.raw, format)?);
        agreement = Some(format!("{identifier}#{}", key.multibase));
    } else {
        let signature_format = method_type(format, key.kind, Role::Signature, experimental)?;
        methods.push(method(
            identifier,
            &key.multibase,
            key.kind,
            &key.raw,
            signature_format,
        )?);
        signing = Some(format!("{identifier}#{}", key.multibase));
        if options.enable_encryption_key_derivation && key.kind == KeyKind::Ed25519 {
            let (value, raw) = derive_x25519(&key)?;
            let encryption_format = method_type(
                paired_encryption_format(format),
                KeyKind::X25519,
                Role::Encryption,
                experimental,
            )?;
            methods.push(method(identifier, &value, KeyKind::X25519, &raw, encryption_format)?);
            agreement = Some(format!("{identifier}#{value}"));
        }
    }
    let mut contexts = vec![Value::from("https://www.w3.org/ns/did/v1")];
    for method in &methods {
        let context = method
            .get("type")
            .and_then(Value::as_str)
            .and_then(|t| PublicKeyFormat::parse(t).ok())
            .map(PublicKeyFormat::context);
        if let Some(context) = context {
            if !contexts.iter().any(|c| c == context) {
                contexts.push(context.into());
            }
        }
    }
    let mut document = Map::new();
    document.insert("@context".into(), Value::Array(contexts));
    document.insert("id".into(), identifier.into());
    document.insert("verificationMethod".into(), Value::Array(methods));
    if let Some(id) = signing {
        for relationship in [
            "authentication",
            "assertionMethod",
            "capabilityInvocation",
            "capabilityDelegation",
        ] {
            document.insert(relationship.into(), Value::Array(vec![id.clone().into()]));
        }
    }
    if let Some(id) = agreement {
        document.insert("keyAgreement".into(), Value::Array(vec![id.into()]));
    }
    Ok(Value::Object(document))
}

/// The Derive Encryption Key Algorithm: the X25519 key of an Ed25519 key
/// (RFC 7748 §4.1 Montgomery form, which the spec cites from OSCORE), as
/// its multibase value (multicodec 0xec) and raw bytes.
pub(super) fn derive_x25519(key: &DecodedKey) -> Result<(String, Vec<u8>)> {
    let public = match key.kind {
        KeyKind::Ed25519 => PublicKey::ed25519_from_bytes(&key.raw)?,
        _ => {
            return Err(Error::new(
                ErrorCode::KeyTypeUnsupported,
                format!("no X25519 key is derived from multicodec 0x{:x}", key.code),
            ))
        }
    };
    let raw = public
        .x25519_key_agreement()
        .ok_or_else(|| Error::new(ErrorCode::KeyTypeUnsupported, "not an Ed25519 key"))?
        .to_vec();
    let mut bytes = varint_bytes(X25519_CODE);
    bytes.extend_from_slice(&raw);
    Ok((multibase::encode_base58btc(&bytes), raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_minimal_and_bounded() {
        assert_eq!(varint(&[0xed, 0x01]), Some((0xed, 2)));
        assert_eq!(varint(&[0x80, 0x24]), Some((0x1200, 2)));
        assert_eq!(varint(&[0x81, 0x24]), Some((0x1201, 2)));
        assert_eq!(varint(&[0xed, 0x81, 0x00]), None, "not minimal");
        assert_eq!(varint(&[0xff; 12]), None, "too long");
        assert_eq!(varint(&[]), None);
        for code in [0xec, 0xed, 0x1200, 0x1201, 0xe7] {
            assert_eq!(varint(&varint_bytes(code)), Some((code, varint_bytes(code).len())));
        }
    }

    #[test]
    fn identifiers_are_checked_step_by_step() {
        let value = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        assert_eq!(multibase_value(&format!("did:key:{value}")).unwrap(), value);
        assert_eq!(multibase_value(&format!("did:key:1:{value}")).unwrap(), value);
        for bad in [
            format!("did:web:{value}"),
            format!("dod:key:{value}"),
            format!("did:key:2:{value}"),
            format!("did:key:-4:{value}"),
            format!("did:key:{}", &value[1..]),
            format!("did:key:1:2:{value}"),
            "did:key:".to_owned(),
            "did:key:z@".to_owned(),
        ] {
            assert_eq!(
                multibase_value(&bad).unwrap_err().code(),
                ErrorCode::DidInvalid,
                "{bad}"
            );
        }
    }
}
