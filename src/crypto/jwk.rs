//! JSON Web Key encodings: Ed25519 keys as `OKP` (RFC 8037) and P-256,
//! P-384 and P-521 keys as `EC` (RFC 7518 §6.2).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::PublicKey;
use crate::error::{quoted, Error, ErrorCode, Result};

fn field<'a>(jwk: &'a Value, name: &str) -> Result<&'a str> {
    jwk.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(ErrorCode::KeyInvalid, format!("JWK has no string {}", quoted(name))))
}

fn bytes(jwk: &Value, name: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(field(jwk, name)?)
        .map_err(|_| Error::new(ErrorCode::KeyInvalid, format!("JWK {name} is not base64url")))
}

/// A curve's SEC1 point decoder.
type FromSec1 = fn(&[u8]) -> Result<PublicKey>;

/// Decodes a public JWK: `OKP`/`Ed25519`, `EC`/`P-256`, `EC`/`P-384` or
/// `EC`/`P-521`. With the `jose` feature, what the JWK says the key is for
/// must be verifying signatures (RFC 7517 §4.2–4.4): `use`, when present,
/// is `sig`; `key_ops`, an array naming `verify`; `alg`, the key's
/// algorithm (`EdDSA` or `Ed25519`, `ES256`, `ES384`, `ES512`);
/// `KEY_INVALID` otherwise. (The browser's verifier module, without
/// `jose`, leaves this check out to stay within its size budget.)
pub fn public_key(jwk: &Value) -> Result<PublicKey> {
    #[cfg(feature = "jose")]
    return decode_public_key(jwk).and_then(|key| check_purpose(jwk, &key).map(|()| key));
    #[cfg(not(feature = "jose"))]
    decode_public_key(jwk)
}

/// The JWK's `use`, `key_ops` and `alg`, when present, allow verifying
/// signatures of `key`'s algorithm.
#[cfg(feature = "jose")]
fn check_purpose(jwk: &Value, key: &PublicKey) -> Result<()> {
    use super::KeyAlgorithm;
    let alg = match key.algorithm() {
        KeyAlgorithm::Ed25519 => "EdDSA",
        KeyAlgorithm::P256 => "ES256",
        KeyAlgorithm::P384 => "ES384",
        KeyAlgorithm::P521 => "ES512",
    };
    // A member absent says nothing; present, it must allow verifying with
    // `alg`. One pass over the members: each lookup by name costs the
    // browser build a hash probe.
    let refused = jwk.as_object().is_some_and(|members| {
        members.iter().any(|(name, value)| match name.as_str() {
            "use" => value.as_str() != Some("sig"),
            "key_ops" => !value
                .as_array()
                .is_some_and(|ops| ops.iter().any(|op| op.as_str() == Some("verify"))),
            "alg" => !matches!(value.as_str(), Some(a) if a == alg || (a, alg) == ("Ed25519", "EdDSA")),
            _ => false,
        })
    });
    if refused {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            "the JWK is not for verifying signatures of its key's algorithm (use, key_ops or alg)",
        ));
    }
    Ok(())
}

/// Inlined: without `jose` it is all of [`public_key`].
#[inline(always)]
fn decode_public_key(jwk: &Value) -> Result<PublicKey> {
    match (field(jwk, "kty")?, field(jwk, "crv")?) {
        ("OKP", "Ed25519") => PublicKey::ed25519_from_bytes(&bytes(jwk, "x")?),
        ("EC", crv @ ("P-256" | "P-384" | "P-521")) => {
            // The coordinates' size, then the point.
            let (size, from_sec1): (usize, FromSec1) = match crv {
                "P-256" => (32, PublicKey::p256_from_sec1),
                "P-384" => (48, PublicKey::p384_from_sec1),
                _ => (66, PublicKey::p521_from_sec1),
            };
            from_sec1(&ec_point(jwk, crv, size)?)
        }
        (kty, crv) => Err(Error::new(ErrorCode::KeyTypeUnsupported, format!("JWK {kty}/{crv}"))),
    }
}

/// The uncompressed SEC1 point `04 ‖ x ‖ y` of an EC JWK whose coordinates
/// have `size` bytes each (RFC 7518 §6.2.1.2: the full size, leading zeros kept).
fn ec_point(jwk: &Value, crv: &str, size: usize) -> Result<Vec<u8>> {
    let (x, y) = (bytes(jwk, "x")?, bytes(jwk, "y")?);
    if x.len() != size || y.len() != size {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!("{crv} JWK x and y are {size} bytes each"),
        ));
    }
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    Ok(point)
}

#[cfg(feature = "ecdsa")]
fn ec_private<const N: usize>(jwk: &Value, crv: &str) -> Result<Zeroizing<[u8; N]>> {
    if (field(jwk, "kty")?, field(jwk, "crv")?) != ("EC", crv) {
        return Err(Error::new(ErrorCode::KeyTypeUnsupported, format!("not a {crv} EC JWK")));
    }
    let d = Zeroizing::new(bytes(jwk, "d")?);
    let mut secret = Zeroizing::new([0u8; N]);
    if d.len() != N {
        return Err(Error::new(ErrorCode::KeyInvalid, format!("JWK d must be {N} bytes")));
    }
    secret.copy_from_slice(&d);
    Ok(secret)
}

#[cfg(feature = "ecdsa")]
pub(super) fn p256_private(jwk: &Value) -> Result<Zeroizing<[u8; 32]>> {
    ec_private(jwk, "P-256")
}

#[cfg(feature = "ecdsa")]
pub(super) fn p384_private(jwk: &Value) -> Result<Zeroizing<[u8; 48]>> {
    ec_private(jwk, "P-384")
}

#[cfg(feature = "ecdsa")]
pub(super) fn p521_private(jwk: &Value) -> Result<Zeroizing<[u8; 66]>> {
    ec_private(jwk, "P-521")
}

pub(super) fn ed25519_private(jwk: &Value) -> Result<Zeroizing<[u8; 32]>> {
    if (field(jwk, "kty")?, field(jwk, "crv")?) != ("OKP", "Ed25519") {
        return Err(Error::new(ErrorCode::KeyTypeUnsupported, "not an Ed25519 OKP JWK"));
    }
    let d = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(field(jwk, "d")?)
            .map_err(|_| Error::new(ErrorCode::KeyInvalid, "JWK d is not base64url"))?,
    );
    let mut seed = Zeroizing::new([0u8; 32]);
    if d.len() != 32 {
        return Err(Error::new(ErrorCode::KeyInvalid, "JWK d must be 32 bytes"));
    }
    seed.copy_from_slice(&d);
    Ok(seed)
}

/// The public JWK of `public` with `d` (the seed or secret scalar) added.
pub(super) fn private_jwk(public: &PublicKey, secret: &[u8]) -> Zeroizing<String> {
    let mut value = public.to_jwk();
    value["d"] = Value::String(URL_SAFE_NO_PAD.encode(secret));
    let text = Zeroizing::new(value.to_string());
    if let Some(Value::String(d)) = value.get_mut("d") {
        zeroize::Zeroize::zeroize(d);
    }
    text
}

impl PublicKey {
    /// The public JWK of this key.
    ///
    /// ```
    /// use passerelle::crypto::{jwk, Ed25519KeyPair, Signer};
    /// let key = Ed25519KeyPair::from_seed(&[3; 32]).public_key();
    /// assert_eq!(jwk::public_key(&key.to_jwk()).unwrap(), key);
    /// ```
    pub fn to_jwk(&self) -> Value {
        match self {
            PublicKey::Ed25519(key) => json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "x": URL_SAFE_NO_PAD.encode(key.as_bytes()),
            }),
            #[cfg(feature = "ecdsa")]
            PublicKey::P256(key) => ec_jwk("P-256", key.coordinates()),
            #[cfg(feature = "ecdsa")]
            PublicKey::P384(key) => ec_jwk("P-384", key.coordinates()),
            #[cfg(feature = "ecdsa")]
            PublicKey::P521(key) => ec_jwk("P-521", key.coordinates()),
        }
    }
}

/// The JWK Thumbprint URI prefix for SHA-256 thumbprints (RFC 9278).
pub const THUMBPRINT_URI_PREFIX: &str = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:";

/// The RFC 7638 JWK Thumbprint of `key` with SHA-256, base64url without
/// padding: the hash of the required members of its JWK (`crv`, `kty`,
/// `x`, and `y` for EC), in that order, without whitespace.
///
/// ```
/// // RFC 8037 Appendix A.3: the Ed25519 key of A.2 and its thumbprint.
/// use passerelle::crypto::{jwk, PublicKey};
/// use base64::Engine as _;
/// let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
///     .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").unwrap();
/// let key = PublicKey::ed25519_from_bytes(&x).unwrap();
/// assert_eq!(jwk::thumbprint(&key), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
/// ```
pub fn thumbprint(key: &PublicKey) -> String {
    use sha2::Digest as _;
    // Every value is an ASCII name or base64url: nothing to escape. Written
    // by hand, not through `to_jwk`, whose `json!` brings serde's value
    // serializer into the browser build.
    let required = match key {
        PublicKey::Ed25519(key) => format!(
            r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
            URL_SAFE_NO_PAD.encode(key.as_bytes())
        ),
        #[cfg(feature = "ecdsa")]
        PublicKey::P256(key) => ec_thumbprint_input("P-256", key.coordinates()),
        #[cfg(feature = "ecdsa")]
        PublicKey::P384(key) => ec_thumbprint_input("P-384", key.coordinates()),
        #[cfg(feature = "ecdsa")]
        PublicKey::P521(key) => ec_thumbprint_input("P-521", key.coordinates()),
    };
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(required.as_bytes()))
}

/// The RFC 7638 input of an EC key: its required members in order.
#[cfg(feature = "ecdsa")]
fn ec_thumbprint_input<const N: usize>(crv: &str, (x, y): ([u8; N], [u8; N])) -> String {
    format!(
        r#"{{"crv":"{crv}","kty":"EC","x":"{}","y":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(x),
        URL_SAFE_NO_PAD.encode(y)
    )
}

/// An EC public JWK from the curve's name and the point's coordinates.
#[cfg(feature = "ecdsa")]
fn ec_jwk<const N: usize>(crv: &str, (x, y): ([u8; N], [u8; N])) -> Value {
    json!({
        "kty": "EC",
        "crv": crv,
        "x": URL_SAFE_NO_PAD.encode(x),
        "y": URL_SAFE_NO_PAD.encode(y),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_of_the_specifications_keys() {
        let thumbprint_of = |jwk: Value| thumbprint(&public_key(&jwk).unwrap());
        // VC-JOSE-COSE Example 18: an Ed25519 JWK and the thumbprint its kid gives.
        let ed = json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA",
            "x": "ANRjH_zxcKBxsjRPUtzRbp7FSVLKJXQ9APX9MP1j7k4"});
        assert_eq!(thumbprint_of(ed), "FfMbzOjMmQ4efT6kvwTIJjelTqjl0xjEIWQ2qobsRMM");
        // The same example's P-521 JWK; the thumbprint computed apart with
        // Python's hashlib over the RFC 7638 form (the example's own id
        // does not match its key).
        #[cfg(feature = "ecdsa")]
        {
            let p521 = json!({"kty": "EC", "crv": "P-521", "alg": "ES512",
                "x": "AFTyMw-fIYJNg6fBVJvOPOsLxmnNj8HgqMChyRL0swLaefVAc7wrWZ8okQJqMmvv03JRUp277meQZM3JcvXFkH1v",
                "y": "ALn96CrD88b4TClmkl1sk0xk2FgAIda97ZF8TUOjbeWSzbKnN2KB6pqlpbuJ2xIRXvsn5BWQVlAT2JGpGwDNMyV1"});
            assert_eq!(thumbprint_of(p521), "GOwvnQ44eBJYLBsBHz-6XAcoAVyS-7FdaBqTTpDxArQ");
        }
    }

    #[test]
    fn refuses_other_key_types_and_bad_points() {
        let x448 = json!({"kty": "OKP", "crv": "Ed448", "x": "AA"});
        assert_eq!(public_key(&x448).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
        let secp256k1 = json!({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"});
        assert_eq!(
            public_key(&secp256k1).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        let off_curve = json!({"kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode([1u8; 32]), "y": URL_SAFE_NO_PAD.encode([2u8; 32])});
        let expected = if cfg!(feature = "ecdsa") {
            ErrorCode::KeyInvalid
        } else {
            ErrorCode::KeyTypeUnsupported
        };
        assert_eq!(public_key(&off_curve).unwrap_err().code(), expected);
        // P-384: coordinates of 32 bytes (a P-256 size) or off the curve.
        let p384_short = json!({"kty": "EC", "crv": "P-384",
            "x": URL_SAFE_NO_PAD.encode([1u8; 32]), "y": URL_SAFE_NO_PAD.encode([2u8; 32])});
        assert_eq!(public_key(&p384_short).unwrap_err().code(), ErrorCode::KeyInvalid);
        let p384_off_curve = json!({"kty": "EC", "crv": "P-384",
            "x": URL_SAFE_NO_PAD.encode([1u8; 48]), "y": URL_SAFE_NO_PAD.encode([2u8; 48])});
        assert_eq!(public_key(&p384_off_curve).unwrap_err().code(), expected);
        let short = json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"});
        assert_eq!(public_key(&short).unwrap_err().code(), ErrorCode::KeyInvalid);
    }
}
