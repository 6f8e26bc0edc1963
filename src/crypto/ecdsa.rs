//! ECDSA P-256 key pairs (FIPS 186-5, SHA-256), for ecdsa-jcs-2019.

use p256::ecdsa::signature::Signer as _;
use zeroize::{Zeroize, Zeroizing};

use super::{jwk, multibase, PublicKey, Signer};
use crate::error::{Error, ErrorCode, Result};

/// Multicodec header of a P-256 secret key (varint of 0x1306).
const P256_PRIV_HEADER: [u8; 2] = [0x86, 0x26];

/// A P-256 public key: the point, and its compressed SEC1 form (33 bytes),
/// which Multikey and did:key use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct P256PublicKey {
    point: p256::AffinePoint,
    compressed: [u8; 33],
}

impl P256PublicKey {
    /// From SEC1 bytes, compressed (33) or uncompressed (65), on the curve.
    pub(crate) fn from_sec1(bytes: &[u8]) -> Result<Self> {
        if !matches!(bytes.len(), 33 | 65) {
            return Err(Error::new(
                ErrorCode::KeyInvalid,
                format!("a P-256 SEC1 key has 33 or 65 bytes, not {}", bytes.len()),
            ));
        }
        p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .map(|key| Self::from_verifying_key(&key))
            .map_err(|_| Error::new(ErrorCode::KeyInvalid, "not a P-256 curve point"))
    }

    fn from_verifying_key(key: &p256::ecdsa::VerifyingKey) -> Self {
        let mut compressed = [0u8; 33];
        compressed.copy_from_slice(key.to_sec1_point(true).as_bytes());
        P256PublicKey {
            point: *key.as_affine(),
            compressed,
        }
    }

    /// The compressed SEC1 form.
    pub fn compressed(&self) -> &[u8; 33] {
        &self.compressed
    }

    /// The affine coordinates `(x, y)`, big-endian (for JWK).
    pub fn coordinates(&self) -> ([u8; 32], [u8; 32]) {
        let point = p256::ecdsa::VerifyingKey::from_affine(self.point).map(|key| key.to_sec1_point(false));
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        if let Ok(point) = point {
            if let (Some(px), Some(py)) = (point.x(), point.y()) {
                x.copy_from_slice(px);
                y.copy_from_slice(py);
            }
        }
        (x, y)
    }

    /// Verifies a 64-byte `r‖s` signature over `message` (SHA-256). Both
    /// `s` and `n − s` verify, as in FIPS 186-5; we only ever write the low one.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        use p256::ecdsa::signature::Verifier as _;
        let signature = p256::ecdsa::Signature::from_slice(signature).map_err(|_| {
            Error::new(
                ErrorCode::ProofValueInvalid,
                format!(
                    "a P-256 signature is r‖s, 64 bytes in range; got {} bytes",
                    signature.len()
                ),
            )
        })?;
        p256::ecdsa::VerifyingKey::from_affine(self.point)
            .and_then(|key| key.verify(message, &signature))
            .map_err(|_| Error::new(ErrorCode::ProofSignatureInvalid, "ECDSA P-256 verification failed"))
    }
}

/// A P-256 key pair held in memory.
///
/// Signatures are deterministic (RFC 6979) and normalized to low `s`, so
/// the same key and message always give the same 64 bytes `r‖s`. The
/// secret is zeroized on drop and never printed: `Debug` shows only the
/// public key.
///
/// ```
/// use passerelle::crypto::{P256KeyPair, Signer};
/// let key = P256KeyPair::from_secret_multibase(
///     "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN").unwrap();
/// assert_eq!(key.public_key_multibase(), "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP");
/// let signature = key.sign(b"message").unwrap();
/// key.public_key().verify(b"message", &signature).unwrap();
/// assert!(!format!("{key:?}").contains("z42tw"));
/// ```
pub struct P256KeyPair {
    signing: p256::ecdsa::SigningKey,
}

impl P256KeyPair {
    /// A new key pair from the system's secure random source.
    pub fn generate() -> Result<Self> {
        // A 32-byte string is a valid scalar but for a 2^-32 chance: draw again.
        for _ in 0..8 {
            let mut secret = Zeroizing::new([0u8; 32]);
            super::random_bytes(secret.as_mut())?;
            if let Ok(key) = Self::from_secret_bytes(&secret) {
                return Ok(key);
            }
        }
        Err(Error::new(
            ErrorCode::RandomnessUnavailable,
            "no valid P-256 scalar drawn",
        ))
    }

    /// The key pair whose secret scalar is the big-endian `secret`
    /// (in `1..n`; `KEY_INVALID` otherwise).
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Result<Self> {
        p256::ecdsa::SigningKey::from_slice(secret)
            .map(|signing| P256KeyPair { signing })
            .map_err(|_| Error::new(ErrorCode::KeyInvalid, "not a P-256 secret scalar"))
    }

    /// Decodes a Multikey `secretKeyMultibase` (`z42t…`: header 0x8626 + scalar).
    pub fn from_secret_multibase(text: &str) -> Result<Self> {
        let mut bytes = Zeroizing::new(multibase::decode(text)?);
        let result = match bytes.split_first_chunk::<2>() {
            Some((header, secret)) if *header == P256_PRIV_HEADER => match <&[u8; 32]>::try_from(secret) {
                Ok(secret) => Self::from_secret_bytes(secret),
                Err(_) => Err(Error::new(ErrorCode::KeyInvalid, "a P-256 secret is 32 bytes")),
            },
            _ => Err(Error::new(ErrorCode::KeyTypeUnsupported, "not a P-256 secret Multikey")),
        };
        bytes.zeroize();
        result
    }

    /// Decodes a private EC JWK (`{"kty":"EC","crv":"P-256","x","y","d"}`);
    /// `x` and `y` must match the public key derived from `d`.
    pub fn from_jwk(jwk_value: &serde_json::Value) -> Result<Self> {
        let secret = jwk::p256_private(jwk_value)?;
        let key = Self::from_secret_bytes(&secret)?;
        if jwk::public_key(jwk_value)? != key.public_key() {
            return Err(Error::new(ErrorCode::KeyInvalid, "JWK x/y do not match d"));
        }
        Ok(key)
    }

    /// The Multikey `secretKeyMultibase` encoding, in a buffer zeroized on drop.
    pub fn secret_key_multibase(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(P256_PRIV_HEADER.to_vec());
        let secret = Zeroizing::new(<[u8; 32]>::from(self.signing.to_bytes()));
        bytes.extend_from_slice(&secret[..]);
        Zeroizing::new(multibase::encode_base58btc(&bytes))
    }

    /// The private JWK (with `d`), in a value the caller must protect.
    pub fn to_private_jwk(&self) -> Zeroizing<String> {
        let secret = Zeroizing::new(<[u8; 32]>::from(self.signing.to_bytes()));
        jwk::private_jwk(&self.public_key(), &secret[..])
    }

    /// The public key's Multikey encoding (`zDn…`).
    pub fn public_key_multibase(&self) -> String {
        self.public_key().to_multikey()
    }
}

impl Signer for P256KeyPair {
    fn public_key(&self) -> PublicKey {
        PublicKey::P256(P256PublicKey::from_verifying_key(self.signing.verifying_key()))
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let signature: p256::ecdsa::Signature = self
            .signing
            .try_sign(message)
            .map_err(|_| Error::new(ErrorCode::SigningFailed, "ECDSA P-256 signing failed"))?;
        Ok(signature.normalize_s().to_bytes().to_vec())
    }
}

impl std::fmt::Debug for P256KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("P256KeyPair")
            .field("public_key", &self.public_key_multibase())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_differ_and_sign_deterministically() {
        let a = P256KeyPair::generate().unwrap();
        let b = P256KeyPair::generate().unwrap();
        assert_ne!(a.public_key(), b.public_key());
        let signature = a.sign(b"x").unwrap();
        assert_eq!(signature.len(), 64);
        assert_eq!(a.sign(b"x").unwrap(), signature);
        a.public_key().verify(b"x", &signature).unwrap();
        let wrong = b.public_key().verify(b"x", &signature).unwrap_err();
        assert_eq!(wrong.code(), ErrorCode::ProofSignatureInvalid);
    }

    #[test]
    fn signatures_are_low_s_and_the_high_s_twin_still_verifies() {
        // n, the group order: s and n - s both verify; we only ever write the low one.
        let n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        let key = P256KeyPair::from_secret_bytes(&[3; 32]).unwrap();
        for message in [&b"one"[..], b"two", b"three", b"four"] {
            let signature = key.sign(message).unwrap();
            let s = &signature[32..];
            assert!(s <= &half(&n)[..], "high s written");
            let mut twin = signature.clone();
            twin[32..].copy_from_slice(&sub(&n, s));
            key.public_key().verify(message, &twin).unwrap();
        }
    }

    #[test]
    fn secret_forms_round_trip_and_stay_hidden() {
        let key = P256KeyPair::from_secret_bytes(&[42; 32]).unwrap();
        let again = P256KeyPair::from_secret_multibase(&key.secret_key_multibase()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
        let jwk: serde_json::Value = serde_json::from_str(&key.to_private_jwk()).unwrap();
        assert_eq!((jwk["kty"].as_str(), jwk["crv"].as_str()), (Some("EC"), Some("P-256")));
        assert_eq!(P256KeyPair::from_jwk(&jwk).unwrap().public_key(), key.public_key());
        let shown = format!("{key:?}");
        assert!(!shown.contains(key.secret_key_multibase().as_str()));
        assert!(!shown.contains(jwk["d"].as_str().unwrap()));
    }

    #[test]
    fn bad_secrets_are_refused() {
        assert_eq!(
            P256KeyPair::from_secret_bytes(&[0; 32]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        assert_eq!(
            P256KeyPair::from_secret_bytes(&[0xff; 32]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let ed25519 = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
        assert_eq!(
            P256KeyPair::from_secret_multibase(ed25519).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
    }

    fn hex(text: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    /// `a - b` for big-endian 32-byte numbers with a ≥ b.
    fn sub(a: &[u8; 32], b: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
            borrow = i16::from(d < 0);
            if d < 0 {
                d += 256;
            }
            out[i] = d as u8;
        }
        out
    }

    /// `a / 2` for a big-endian 32-byte number.
    fn half(a: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut carry = 0u8;
        for i in 0..32 {
            out[i] = (a[i] >> 1) | (carry << 7);
            carry = a[i] & 1;
        }
        out
    }
}
