//! Credentials secured with COSE (VC-JOSE-COSE §3.3, RFC 9052): the
//! credential is the payload of a COSE_Sign1 signed with EdDSA (Ed25519),
//! ES256 (P-256), ES384 (P-384) or ES512 (P-521).
//!
//! Everything the verifier acts on is in the protected header or the
//! payload: `alg`, `kid` (the verification method, a DID URL as UTF-8
//! bytes) and `typ`/content type must be protected, the unprotected header
//! must be empty, `crit` lists nothing this verifier would have to
//! understand, and the payload is attached (never detached). A credential
//! travels as the COSE_Sign1's bytes (tagged or not) or their base64 text.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use coset::{iana, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};
use serde_json::{Map, Value};

use crate::crypto::{PublicKey, Signer};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::{verify_jws_signature, JwsAlgorithm, Media};
use crate::json::{parse_strict, Limits};

mod sign1;

/// The `typ` (16) header label (RFC 9596).
const TYP: i64 = sign1::TYP as i64;

fn malformed(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::CoseMalformed, why)
}

fn header_invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::CoseHeaderInvalid, why)
}

/// The `typ` of COSE-secured content: `application/vc+cose` or `application/vp+cose`.
pub fn typ(media: Media) -> &'static str {
    match media {
        Media::Credential => "application/vc+cose",
        Media::Presentation => "application/vp+cose",
    }
}

/// The media type of COSE-secured content in an envelope's `data:` URL,
/// where it is base64 (VC-JOSE-COSE §3.3): `application/vc+cose;base64`
/// or `application/vp+cose;base64`.
pub fn envelope_media_type(media: Media) -> &'static str {
    match media {
        Media::Credential => "application/vc+cose;base64",
        Media::Presentation => "application/vp+cose;base64",
    }
}

fn content_type(media: Media) -> &'static str {
    match media {
        Media::Credential => "application/vc",
        Media::Presentation => "application/vp",
    }
}

/// A COSE_Sign1 whose header passed the checks and whose payload is a JSON
/// object. The signature is not verified yet: see
/// [`CoseCredential::verify_signature`].
#[derive(Clone, Debug)]
pub struct CoseCredential {
    /// The payload: the credential (or presentation).
    pub payload: Map<String, Value>,
    /// The signing algorithm.
    pub alg: JwsAlgorithm,
    /// The `kid`: the verification method (absolute, or a fragment relative to the issuer).
    pub kid: String,
    /// What the payload is.
    pub media: Media,
    to_be_signed: Vec<u8>,
    signature: Vec<u8>,
}

/// The COSE_Sign1 bytes `input` holds, if it is one: the bytes themselves
/// (tag 18, or the 4-element array), or their base64 text (standard or
/// URL-safe, padded or not, wrapped in lines or not). Text longer than the
/// base64 of `limits.max_bytes` is not decoded (the size check refuses it).
pub fn cose_bytes(input: &[u8], limits: Limits) -> Option<std::borrow::Cow<'_, [u8]>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
    let starts_sign1 = |bytes: &[u8]| matches!(bytes.first(), Some(0xd2) | Some(0x84));
    if starts_sign1(input) {
        return Some(std::borrow::Cow::Borrowed(input));
    }
    // The base64 of a tag 18 (0xd2) or of a 4-element array (0x84) starts
    // `0` or `h`: JSON (`{`), a JWS (`e`) and anything else are let go
    // here, before any copy or decoding (this runs on every verification).
    if !matches!(input.trim_ascii_start().first(), Some(b'0' | b'h')) {
        return None;
    }
    // base64 is 4/3 of the bytes, plus padding, plus line breaks (one per
    // 64 or 76 characters).
    let longest_text = limits.max_bytes.saturating_mul(4) / 3 + 4;
    if input.len() > longest_text + longest_text / 64 + 4 {
        return None;
    }
    let text: Vec<u8> = input.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    let decoded = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(&text).ok())?;
    starts_sign1(&decoded).then_some(std::borrow::Cow::Owned(decoded))
}

/// Reads a COSE_Sign1 (tagged or not) and checks its headers (not the signature).
pub fn parse_sign1(input: &[u8], limits: Limits) -> Result<CoseCredential> {
    limits.check_len(input.len())?;
    let sign1 = sign1::read(input)?;
    let header = &sign1.header;
    let alg = header
        .alg
        .ok_or_else(|| header_invalid("alg is missing from the protected header"))?;
    let media = match header.typ {
        None => None,
        Some(Ok(t)) if t.eq_ignore_ascii_case(typ(Media::Credential)) => Some(Media::Credential),
        Some(Ok(t)) if t.eq_ignore_ascii_case(typ(Media::Presentation)) => Some(Media::Presentation),
        Some(_) => return Err(header_invalid("typ is not application/vc+cose or application/vp+cose")),
    };
    let kid = header
        .kid
        .and_then(|kid| std::str::from_utf8(kid).ok())
        .filter(|kid| !kid.is_empty())
        .ok_or_else(|| header_invalid("kid is required: the verification method, as UTF-8"))?
        .to_owned();
    let payload = match parse_strict(sign1.payload, limits) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(malformed("the payload is not a JSON object")),
        Err(e) if e.code() == ErrorCode::JsonMalformed => {
            return Err(malformed(format!("the payload: {}", e.detail())))
        }
        Err(e) => return Err(e),
    };
    let media =
        Media::of_payload(media, &payload).ok_or_else(|| header_invalid("typ does not match the payload's type"))?;
    if let Some(cty) = header.content_type {
        if !matches!(cty, Ok(text) if text.eq_ignore_ascii_case(content_type(media))) {
            let written = match cty {
                Ok(text) => quoted(text),
                Err(number) => format!("number {number}"),
            };
            return Err(header_invalid(format!(
                "content type {written} is not {}",
                quoted(content_type(media))
            )));
        }
    }
    Ok(CoseCredential {
        to_be_signed: sig_structure(sign1.protected, sign1.payload),
        signature: sign1.signature.to_vec(),
        payload,
        alg,
        kid,
        media,
    })
}

/// The CBOR of RFC 9052 §4.4's `Sig_structure` for a COSE_Sign1 with no
/// external data: `["Signature1", protected, h'', payload]`, written
/// directly (the protected header as its bytes were signed).
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    fn byte_string_head(out: &mut Vec<u8>, len: usize) {
        match len {
            0..=23 => out.push(0x40 | len as u8),
            24..=0xff => out.extend([0x58, len as u8]),
            0x100..=0xffff => {
                out.push(0x59);
                out.extend((len as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(0x5a);
                out.extend((len as u32).to_be_bytes());
            }
            _ => {
                out.push(0x5b);
                out.extend((len as u64).to_be_bytes());
            }
        }
    }
    let mut out = Vec::with_capacity(payload.len() + protected.len() + 24);
    out.push(0x84);
    out.push(0x6a);
    out.extend(b"Signature1");
    byte_string_head(&mut out, protected.len());
    out.extend(protected);
    out.push(0x40);
    byte_string_head(&mut out, payload.len());
    out.extend(payload);
    out
}

impl CoseCredential {
    /// The verification method `kid` names: absolute, or a fragment
    /// resolved against the DID `base` (the issuer or holder).
    pub fn verification_method(&self, base: &str) -> String {
        crate::jose::kid_method(&self.kid, base)
    }

    /// Verifies the signature over the COSE `Sig_structure` with `key`,
    /// whose type must be the one `alg` names.
    pub fn verify_signature(&self, key: &PublicKey) -> Result<()> {
        verify_jws_signature(self.alg, &self.to_be_signed, &self.signature, key)
    }
}

/// Secures `payload` (a credential, or a presentation when `media` says so)
/// as a tagged COSE_Sign1 signed by `signer`: `alg`, `kid`, `typ`
/// (`application/vc+cose`) and content type (`application/vc`) in the
/// protected header, nothing unprotected.
///
/// ```
/// use passerelle::cose::{parse_sign1, sign_sign1};
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// use passerelle::jose::Media;
/// let key = Ed25519KeyPair::from_seed(&[4; 32]);
/// let credential = serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": ["VerifiableCredential"], "issuer": "did:example:x", "credentialSubject": {"a": 1}});
/// let bytes = sign_sign1(credential.as_object().unwrap(), "#k", Media::Credential, &key).unwrap();
/// let read = parse_sign1(&bytes, Default::default()).unwrap();
/// read.verify_signature(&key.public_key()).unwrap();
/// ```
pub fn sign_sign1(payload: &Map<String, Value>, kid: &str, media: Media, signer: &dyn Signer) -> Result<Vec<u8>> {
    let alg = match JwsAlgorithm::for_key(signer.public_key().algorithm()) {
        JwsAlgorithm::EdDsa => iana::Algorithm::EdDSA,
        JwsAlgorithm::Es256 => iana::Algorithm::ES256,
        JwsAlgorithm::Es384 => iana::Algorithm::ES384,
        JwsAlgorithm::Es512 => iana::Algorithm::ES512,
    };
    let protected = HeaderBuilder::new()
        .algorithm(alg)
        .key_id(kid.as_bytes().to_vec())
        .content_type(content_type(media).to_owned())
        .value(TYP, coset::cbor::value::Value::Text(typ(media).to_owned()))
        .build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(Value::Object(payload.clone()).to_string().into_bytes())
        .try_create_signature(b"", |data| signer.sign(data))?
        .build();
    sign1
        .to_tagged_vec()
        .map_err(|e| Error::new(ErrorCode::SigningFailed, format!("COSE encoding: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Ed25519KeyPair;
    use coset::{CborSerializable, CoseSign1};
    use serde_json::json;

    fn credential() -> Map<String, Value> {
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
               "issuer": "did:example:x", "credentialSubject": {"a": 1}})
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn a_signature_verifies_only_with_its_key_and_in_every_encoding() {
        let key = Ed25519KeyPair::from_seed(&[4; 32]);
        let bytes = sign_sign1(&credential(), "#k", Media::Credential, &key).unwrap();
        let read = parse_sign1(&bytes, Limits::default()).unwrap();
        assert_eq!(
            (read.alg, read.media, read.kid.as_str()),
            (JwsAlgorithm::EdDsa, Media::Credential, "#k")
        );
        assert_eq!(read.payload, credential());
        read.verify_signature(&key.public_key()).unwrap();
        let other = Ed25519KeyPair::from_seed(&[5; 32]).public_key();
        assert_eq!(
            read.verify_signature(&other).unwrap_err().code(),
            ErrorCode::ProofSignatureInvalid
        );
        // Untagged, and as base64 text.
        assert!(parse_sign1(&bytes[1..], Limits::default()).is_ok());
        let text = STANDARD.encode(&bytes);
        let limits = Limits::default();
        assert_eq!(cose_bytes(text.as_bytes(), limits).unwrap().as_ref(), bytes.as_slice());
        // Wrapped at 76 columns (as `base64` writes it), URL-safe, unpadded.
        let wrapped: Vec<String> = text
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        assert_eq!(
            cose_bytes(wrapped.join("\n").as_bytes(), limits).unwrap().as_ref(),
            bytes.as_slice()
        );
        let url_safe = URL_SAFE_NO_PAD.encode(&bytes);
        assert_eq!(
            cose_bytes(url_safe.as_bytes(), limits).unwrap().as_ref(),
            bytes.as_slice()
        );
        assert!(cose_bytes(b"{\"a\": 1}", limits).is_none());
        assert!(cose_bytes(b"eyJhbGciOiJFZERTQSJ9.e30.AA", limits).is_none());
        // Text longer than the base64 of the size limit is not decoded.
        let small = Limits {
            max_bytes: 64,
            ..limits
        };
        assert!(cose_bytes(text.as_bytes(), small).is_none());
    }

    /// A COSE_Sign1 built by hand with these headers and payload, signed by `key`.
    fn built(protected: coset::Header, unprotected: coset::Header, payload: Option<Vec<u8>>) -> Vec<u8> {
        let key = Ed25519KeyPair::from_seed(&[4; 32]);
        let mut builder = CoseSign1Builder::new().protected(protected).unprotected(unprotected);
        if let Some(payload) = payload {
            builder = builder.payload(payload);
        }
        builder
            .create_signature(b"", |data| key.sign(data).unwrap())
            .build()
            .to_tagged_vec()
            .unwrap()
    }

    #[test]
    fn the_sig_structure_is_the_one_coset_writes() {
        let key = Ed25519KeyPair::from_seed(&[4; 32]);
        for size in [0usize, 23, 24, 255, 256, 70_000] {
            let mut claims = credential();
            claims.insert("pad".into(), "x".repeat(size).into());
            let bytes = sign_sign1(&claims, "#k", Media::Credential, &key).unwrap();
            let expected = CoseSign1::from_tagged_slice(&bytes).unwrap().tbs_data(b"");
            assert_eq!(
                parse_sign1(&bytes, Limits::default()).unwrap().to_be_signed,
                expected,
                "{size}"
            );
        }
    }

    #[test]
    fn headers_outside_the_rules_are_refused() {
        let payload = Some(Value::Object(credential()).to_string().into_bytes());
        let good = || {
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::EdDSA)
                .key_id(b"#k".to_vec())
        };
        let cases: Vec<(&str, Vec<u8>, ErrorCode)> = vec![
            (
                "no alg",
                built(
                    HeaderBuilder::new().key_id(b"#k".to_vec()).build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "alg HMAC",
                built(
                    HeaderBuilder::new()
                        .algorithm(iana::Algorithm::HMAC_256_256)
                        .key_id(b"#k".to_vec())
                        .build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "no kid",
                built(
                    HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "kid unprotected",
                built(
                    HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).build(),
                    HeaderBuilder::new().key_id(b"#k".to_vec()).build(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "crit",
                built(
                    good().add_critical(iana::HeaderParameter::Alg).build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "another typ",
                built(
                    good()
                        .value(TYP, coset::cbor::value::Value::Text("application/jwt".into()))
                        .build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "another content type",
                built(
                    good().content_type("application/json".into()).build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "an unknown parameter",
                built(
                    good().value(99, coset::cbor::value::Value::Bool(true)).build(),
                    Default::default(),
                    payload.clone(),
                ),
                ErrorCode::CoseHeaderInvalid,
            ),
            (
                "detached payload",
                built(good().build(), Default::default(), None),
                ErrorCode::CoseMalformed,
            ),
            (
                "a payload that is not JSON",
                built(good().build(), Default::default(), Some(b"not json".to_vec())),
                ErrorCode::CoseMalformed,
            ),
        ];
        for (what, bytes, code) in cases {
            let error = parse_sign1(&bytes, Limits::default()).unwrap_err();
            assert_eq!(error.code(), code, "{what}: {}", error.detail());
        }
        // Heads written longer than they need: another encoding of the same
        // COSE_Sign1 (an array head, an empty map, a payload length).
        let good = built(good().build(), Default::default(), payload.clone());
        let protected_len = usize::from(good[2] & 0x1f);
        let map_at = 3 + protected_len;
        assert_eq!((&good[..2], good[map_at]), (&[0xd2, 0x84][..], 0xa0));
        let long_array = [&[0xd2, 0x98, 0x04][..], &good[2..]].concat();
        let long_map = [&good[..map_at], &[0xb8, 0x00][..], &good[map_at + 1..]].concat();
        let at = map_at + 1;
        let (payload_len, head_len) = match good[at] {
            0x58 => (usize::from(good[at + 1]), 2),
            0x59 => (usize::from(u16::from_be_bytes([good[at + 1], good[at + 2]])), 3),
            other => panic!("payload head {other:#x}"),
        };
        let long_payload = [
            &good[..at],
            &[0x5a][..],
            &(payload_len as u32).to_be_bytes(),
            &good[at + head_len..],
        ]
        .concat();
        for (what, bytes) in [("array", long_array), ("map", long_map), ("payload", long_payload)] {
            assert_eq!(
                parse_sign1(&bytes, Limits::default()).unwrap_err().code(),
                ErrorCode::CoseMalformed,
                "{what}"
            );
        }
        for bad in [
            &b""[..],
            &[0xd2][..],
            &[0x84, 0x40][..],
            &[0xd2, 0x84, 0x40, 0xa0, 0x40][..],
        ] {
            assert_eq!(
                parse_sign1(bad, Limits::default()).unwrap_err().code(),
                ErrorCode::CoseMalformed
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_changed_byte_fails(position in 0usize..600, byte in proptest::num::u8::ANY) {
            let key = Ed25519KeyPair::from_seed(&[4; 32]);
            let mut bytes = sign_sign1(&credential(), "#k", Media::Credential, &key).unwrap();
            let at = position % bytes.len();
            proptest::prop_assume!(bytes[at] != byte);
            bytes[at] = byte;
            let outcome = parse_sign1(&bytes, Limits::default()).and_then(|c| c.verify_signature(&key.public_key()));
            proptest::prop_assert!(outcome.is_err());
        }

        /// What this reader accepts, `coset` reads the same way: changed,
        /// cut or lengthened COSE_Sign1s (with headers of every kind) are
        /// refused, or read with the alg, kid, payload and signed bytes
        /// coset finds in them.
        #[test]
        fn what_is_read_coset_reads_alike(
            headers in proptest::collection::btree_set(0usize..8, 0..5),
            edits in proptest::collection::vec((0usize..2000, proptest::num::u8::ANY, 0u8..3), 0..3),
        ) {
            let mut protected = HeaderBuilder::new();
            for header in &headers {
                protected = match header {
                    0 => protected.algorithm(iana::Algorithm::EdDSA),
                    1 => protected.algorithm(iana::Algorithm::ES384),
                    2 => protected.key_id(b"#k".to_vec()),
                    3 => protected.content_type("application/vc".into()),
                    4 => protected.value(TYP, coset::cbor::value::Value::Text(typ(Media::Credential).into())),
                    5 => protected.content_format(iana::CoapContentFormat::Cbor),
                    6 => protected.add_critical(iana::HeaderParameter::Alg),
                    _ => protected.iv(vec![1, 2, 3]),
                };
            }
            let mut bytes = built(protected.build(), Default::default(), Some(Value::Object(credential()).to_string().into_bytes()));
            for (position, byte, kind) in edits {
                let at = position % (bytes.len() + 1);
                match kind {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    _ => bytes.truncate(at),
                }
            }
            if let Ok(read) = parse_sign1(&bytes, Limits::default()) {
                let untagged = bytes.strip_prefix(&[0xd2]).unwrap_or(&bytes);
                let theirs = CoseSign1::from_slice(untagged);
                proptest::prop_assert!(theirs.is_ok(), "coset refuses what was read: {theirs:?}");
                let theirs = theirs.unwrap();
                proptest::prop_assert_eq!(theirs.protected.header.key_id.as_slice(), read.kid.as_bytes());
                proptest::prop_assert_eq!(theirs.tbs_data(b""), read.to_be_signed);
                proptest::prop_assert_eq!(&theirs.signature, &read.signature);
                proptest::prop_assert!(theirs.unprotected.is_empty());
                let alg = match read.alg {
                    JwsAlgorithm::EdDsa => iana::Algorithm::EdDSA,
                    JwsAlgorithm::Es256 => iana::Algorithm::ES256,
                    JwsAlgorithm::Es384 => iana::Algorithm::ES384,
                    JwsAlgorithm::Es512 => iana::Algorithm::ES512,
                };
                proptest::prop_assert_eq!(theirs.protected.header.alg, Some(coset::Algorithm::Assigned(alg)));
            }
        }

        #[test]
        fn any_bytes_are_refused_or_read_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse_sign1(&bytes, Limits::default());
        }
    }
}
