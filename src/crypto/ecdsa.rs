//! ECDSA key pairs on NIST P-256 (SHA-256), P-384 (SHA-384) and P-521
//! (SHA-512), FIPS 186-5: the first two for ecdsa-jcs-2019 and
//! ecdsa-rdfc-2019 (vc-di-ecdsa: the curve decides the hash), all three for
//! JOSE and COSE (ES256, ES384, ES512). One macro writes every curve's
//! types, so they cannot drift.

use zeroize::{Zeroize, Zeroizing};

use super::{jwk, multibase, PublicKey, Signer};
use crate::error::{Error, ErrorCode, Result};

/// Writes a curve's public key and key pair types.
macro_rules! ecdsa_curve {
    (
        curve: $c:ident,
        name: $name:literal,
        hash: $hash:literal,
        public: $Public:ident,
        pair: $Pair:ident,
        variant: $Variant:ident,
        private_jwk: $private_jwk:ident,
        priv_header: $priv_header:expr,
        scalar: $n:literal,
        top_bits: $top:literal,
        compressed: $cn:literal,
        uncompressed: $un:literal,
        signature: $sn:literal,
        multikey_prefix: $mk:literal,
        doc_secret: $doc_secret:literal,
        doc_public: $doc_public:literal,
    ) => {
        #[doc = concat!("A ", $name, " public key: the point, and its compressed SEC1 form (", stringify!($cn), " bytes), which Multikey and did:key use.")]
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub struct $Public {
            point: $c::AffinePoint,
            compressed: [u8; $cn],
        }

        impl $Public {
            #[doc = concat!("From SEC1 bytes, compressed (", stringify!($cn), ") or uncompressed (", stringify!($un), "), on the curve.")]
            pub(crate) fn from_sec1(bytes: &[u8]) -> Result<Self> {
                if !matches!(bytes.len(), $cn | $un) {
                    return Err(Error::new(
                        ErrorCode::KeyInvalid,
                        format!(
                            concat!("a ", $name, " SEC1 key has ", stringify!($cn), " or ", stringify!($un), " bytes, not {}"),
                            bytes.len()
                        ),
                    ));
                }
                $c::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
                    .map(|key| Self::from_verifying_key(&key))
                    .map_err(|_| Error::new(ErrorCode::KeyInvalid, concat!("not a ", $name, " curve point")))
            }

            fn from_verifying_key(key: &$c::ecdsa::VerifyingKey) -> Self {
                let mut compressed = [0u8; $cn];
                compressed.copy_from_slice(key.to_sec1_point(true).as_bytes());
                $Public {
                    point: *key.as_affine(),
                    compressed,
                }
            }

            /// The compressed SEC1 form.
            pub fn compressed(&self) -> &[u8; $cn] {
                &self.compressed
            }

            /// The affine coordinates `(x, y)`, big-endian (for JWK).
            pub fn coordinates(&self) -> ([u8; $n], [u8; $n]) {
                let point = $c::ecdsa::VerifyingKey::from_affine(self.point).map(|key| key.to_sec1_point(false));
                let (mut x, mut y) = ([0u8; $n], [0u8; $n]);
                if let Ok(point) = point {
                    if let (Some(px), Some(py)) = (point.x(), point.y()) {
                        x.copy_from_slice(px);
                        y.copy_from_slice(py);
                    }
                }
                (x, y)
            }

            #[doc = concat!("Verifies a ", stringify!($sn), "-byte `r‖s` signature over `message` (", $hash, "). Both `s` and `n − s` verify, as in FIPS 186-5; we only ever write the low one.")]
            pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
                use $c::ecdsa::signature::Verifier as _;
                let signature = $c::ecdsa::Signature::from_slice(signature).map_err(|_| {
                    Error::new(
                        ErrorCode::ProofValueInvalid,
                        format!(
                            concat!("a ", $name, " signature is r‖s, ", stringify!($sn), " bytes in range; got {} bytes"),
                            signature.len()
                        ),
                    )
                })?;
                $c::ecdsa::VerifyingKey::from_affine(self.point)
                    .and_then(|key| key.verify(message, &signature))
                    .map_err(|_| {
                        Error::new(
                            ErrorCode::ProofSignatureInvalid,
                            concat!("ECDSA ", $name, " verification failed"),
                        )
                    })
            }
        }

        #[doc = concat!("A ", $name, " key pair held in memory.")]
        ///
        /// Signatures are deterministic (RFC 6979) and normalized to low `s`,
        #[doc = concat!("so the same key and message always give the same ", stringify!($sn), " bytes `r‖s`")]
        #[doc = concat!("(the message is hashed with ", $hash, "). The secret is zeroized on drop")]
        /// and never printed: `Debug` shows only the public key.
        ///
        /// ```
        #[doc = concat!("use passerelle::crypto::{", stringify!($Pair), ", Signer};")]
        #[doc = concat!("let key = ", stringify!($Pair), "::from_secret_multibase(")]
        #[doc = concat!("    \"", $doc_secret, "\").unwrap();")]
        #[doc = concat!("assert_eq!(key.public_key_multibase(), \"", $doc_public, "\");")]
        /// let signature = key.sign(b"message").unwrap();
        /// key.public_key().verify(b"message", &signature).unwrap();
        #[doc = concat!("assert!(!format!(\"{key:?}\").contains(\"", $doc_secret, "\"));")]
        /// ```
        pub struct $Pair {
            signing: $c::ecdsa::SigningKey,
        }

        impl $Pair {
            /// A new key pair from the system's secure random source.
            pub fn generate() -> Result<Self> {
                // The first byte keeps the bits the order has (P-521's
                // top byte holds one); then a random string is a valid
                // scalar but for a tiny chance: draw again.
                for _ in 0..8 {
                    let mut secret = Zeroizing::new([0u8; $n]);
                    super::random_bytes(secret.as_mut())?;
                    secret[0] &= $top;
                    if let Ok(key) = Self::from_secret_bytes(&secret) {
                        return Ok(key);
                    }
                }
                Err(Error::new(
                    ErrorCode::RandomnessUnavailable,
                    concat!("no valid ", $name, " scalar drawn"),
                ))
            }

            /// The key pair whose secret scalar is the big-endian `secret`
            /// (in `1..n`; `KEY_INVALID` otherwise).
            pub fn from_secret_bytes(secret: &[u8; $n]) -> Result<Self> {
                $c::ecdsa::SigningKey::from_slice(secret)
                    .map(|signing| $Pair { signing })
                    .map_err(|_| Error::new(ErrorCode::KeyInvalid, concat!("not a ", $name, " secret scalar")))
            }

            #[doc = concat!("Decodes a Multikey `secretKeyMultibase` (`", $mk, "…`: multicodec header + scalar).")]
            pub fn from_secret_multibase(text: &str) -> Result<Self> {
                let mut bytes = Zeroizing::new(multibase::decode(text)?);
                let result = match bytes.split_first_chunk::<2>() {
                    Some((header, secret)) if *header == $priv_header => match <&[u8; $n]>::try_from(secret) {
                        Ok(secret) => Self::from_secret_bytes(secret),
                        Err(_) => Err(Error::new(
                            ErrorCode::KeyInvalid,
                            concat!("a ", $name, " secret is ", stringify!($n), " bytes"),
                        )),
                    },
                    _ => Err(Error::new(
                        ErrorCode::KeyTypeUnsupported,
                        concat!("not a ", $name, " secret Multikey"),
                    )),
                };
                bytes.zeroize();
                result
            }

            #[doc = concat!("Decodes a private EC JWK (`{\"kty\":\"EC\",\"crv\":\"", $name, "\",\"x\",\"y\",\"d\"}`);")]
            /// `x` and `y` must match the public key derived from `d`.
            pub fn from_jwk(jwk_value: &serde_json::Value) -> Result<Self> {
                let secret = jwk::$private_jwk(jwk_value)?;
                let key = Self::from_secret_bytes(&secret)?;
                if jwk::public_key(jwk_value)? != key.public_key() {
                    return Err(Error::new(ErrorCode::KeyInvalid, "JWK x/y do not match d"));
                }
                Ok(key)
            }

            /// The Multikey `secretKeyMultibase` encoding, in a buffer zeroized on drop.
            pub fn secret_key_multibase(&self) -> Zeroizing<String> {
                let mut bytes = Zeroizing::new($priv_header.to_vec());
                let secret = Zeroizing::new(<[u8; $n]>::from(self.signing.to_bytes()));
                bytes.extend_from_slice(&secret[..]);
                Zeroizing::new(multibase::encode_base58btc(&bytes))
            }

            /// The private JWK (with `d`), in a value the caller must protect.
            pub fn to_private_jwk(&self) -> Zeroizing<String> {
                let secret = Zeroizing::new(<[u8; $n]>::from(self.signing.to_bytes()));
                jwk::private_jwk(&self.public_key(), &secret[..])
            }

            /// The public key's Multikey encoding.
            pub fn public_key_multibase(&self) -> String {
                self.public_key().to_multikey()
            }
        }

        impl Signer for $Pair {
            fn public_key(&self) -> PublicKey {
                PublicKey::$Variant($Public::from_verifying_key(self.signing.verifying_key()))
            }

            fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
                use $c::ecdsa::signature::Signer as _;
                let signature: $c::ecdsa::Signature = self
                    .signing
                    .try_sign(message)
                    .map_err(|_| Error::new(ErrorCode::SigningFailed, concat!("ECDSA ", $name, " signing failed")))?;
                Ok(signature.normalize_s().to_bytes().to_vec())
            }
        }

        impl std::fmt::Debug for $Pair {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($Pair))
                    .field("public_key", &self.public_key_multibase())
                    .finish_non_exhaustive()
            }
        }
    };
}

ecdsa_curve! {
    curve: p256,
    name: "P-256",
    hash: "SHA-256",
    public: P256PublicKey,
    pair: P256KeyPair,
    variant: P256,
    private_jwk: p256_private,
    priv_header: P256_PRIV_HEADER,
    scalar: 32,
    top_bits: 0xff,
    compressed: 33,
    uncompressed: 65,
    signature: 64,
    multikey_prefix: "z42t",
    doc_secret: "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN",
    doc_public: "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP",
}

ecdsa_curve! {
    curve: p384,
    name: "P-384",
    hash: "SHA-384",
    public: P384PublicKey,
    pair: P384KeyPair,
    variant: P384,
    private_jwk: p384_private,
    priv_header: P384_PRIV_HEADER,
    scalar: 48,
    top_bits: 0xff,
    compressed: 49,
    uncompressed: 97,
    signature: 96,
    multikey_prefix: "z2fa",
    doc_secret: "z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc",
    doc_public: "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ",
}

ecdsa_curve! {
    curve: p521,
    name: "P-521",
    hash: "SHA-512",
    public: P521PublicKey,
    pair: P521KeyPair,
    variant: P521,
    private_jwk: p521_private,
    priv_header: P521_PRIV_HEADER,
    scalar: 66,
    top_bits: 0x01,
    compressed: 67,
    uncompressed: 133,
    signature: 132,
    multikey_prefix: "zJp6",
    doc_secret: "zJp6tHZzfxsSty8btuVQ2LCNzwpNYHxEFGrkmdRPLnAvK7X3EujWK7HJe2CvsuGp5wdeJFmxfm1feJ4ZUMtYZ8Trkpyvjz",
    doc_public: "z2J9gaYx93AxCxJAiDWmPVFxnJ7HV55Y7XzSpwARvuXrtMFxdLc6SAsfLQjEa4VHed4mrLVn7BULqKEu4MZiQFYQrJgjDCMX",
}

/// Multicodec header of a P-256 secret key (varint of 0x1306).
const P256_PRIV_HEADER: [u8; 2] = [0x86, 0x26];
/// Multicodec header of a P-384 secret key (varint of 0x1307).
const P384_PRIV_HEADER: [u8; 2] = [0x87, 0x26];
/// Multicodec header of a P-521 secret key (varint of 0x1308).
const P521_PRIV_HEADER: [u8; 2] = [0x88, 0x26];

#[cfg(test)]
mod tests {
    use super::*;

    /// The group orders, big-endian.
    const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    const P384_N: &str =
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
    const P521_N: &str = "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";

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
    fn p384_generated_keys_differ_and_sign_deterministically_with_96_bytes() {
        let a = P384KeyPair::generate().unwrap();
        let b = P384KeyPair::generate().unwrap();
        assert_ne!(a.public_key(), b.public_key());
        assert_eq!(a.public_key().algorithm(), super::super::KeyAlgorithm::P384);
        let signature = a.sign(b"x").unwrap();
        assert_eq!(signature.len(), 96);
        assert_eq!(a.sign(b"x").unwrap(), signature);
        a.public_key().verify(b"x", &signature).unwrap();
        let wrong = b.public_key().verify(b"x", &signature).unwrap_err();
        assert_eq!(wrong.code(), ErrorCode::ProofSignatureInvalid);
    }

    #[test]
    fn signatures_are_low_s_and_the_high_s_twin_still_verifies() {
        // n, the group order: s and n - s both verify; we only ever write the low one.
        let n = hex(P256_N);
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
    fn p384_signatures_are_low_s_and_the_high_s_twin_still_verifies() {
        let n = hex(P384_N);
        let key = P384KeyPair::from_secret_bytes(&[3; 48]).unwrap();
        for message in [&b"one"[..], b"two", b"three", b"four"] {
            let signature = key.sign(message).unwrap();
            let s = &signature[48..];
            assert!(s <= &half(&n)[..], "high s written");
            let mut twin = signature.clone();
            twin[48..].copy_from_slice(&sub(&n, s));
            key.public_key().verify(message, &twin).unwrap();
        }
    }

    #[test]
    fn p521_keys_are_drawn_below_the_order_and_sign_132_bytes_low_s() {
        // A random 66-byte string is almost never below the 521-bit order:
        // generation keeps the one bit of the first byte the order has.
        for _ in 0..16 {
            P521KeyPair::generate().unwrap();
        }
        let n = hex(P521_N);
        let key = P521KeyPair::from_secret_bytes(&[1; 66]).unwrap();
        assert_eq!(key.public_key().algorithm(), super::super::KeyAlgorithm::P521);
        for message in [&b"one"[..], b"two", b"three"] {
            let signature = key.sign(message).unwrap();
            assert_eq!(signature.len(), 132);
            assert_eq!(key.sign(message).unwrap(), signature);
            assert!(signature[66..] <= half(&n)[..], "high s written");
            let mut twin = signature.clone();
            twin[66..].copy_from_slice(&sub(&n, &signature[66..]));
            key.public_key().verify(message, &twin).unwrap();
            let mut scalar = [2; 66];
            scalar[0] = 1;
            let other = P521KeyPair::from_secret_bytes(&scalar).unwrap();
            let wrong = other.public_key().verify(message, &signature).unwrap_err();
            assert_eq!(wrong.code(), ErrorCode::ProofSignatureInvalid);
        }
        // Secret forms round trip; the secret never shows.
        assert!(key.secret_key_multibase().starts_with("zJp6"));
        assert!(key.public_key_multibase().starts_with("z2J9"));
        let again = P521KeyPair::from_secret_multibase(&key.secret_key_multibase()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let jwk: serde_json::Value = serde_json::from_str(&key.to_private_jwk()).unwrap();
        assert_eq!(
            (jwk["crv"].as_str(), jwk["x"].as_str().map(str::len)),
            (Some("P-521"), Some(88))
        );
        assert_eq!(P521KeyPair::from_jwk(&jwk).unwrap().public_key(), key.public_key());
        let shown = format!("{key:?}");
        assert!(!shown.contains(key.secret_key_multibase().as_str()) && !shown.contains(jwk["d"].as_str().unwrap()));
        // Not a scalar: zero, the order itself, or a P-384 secret's header.
        assert_eq!(
            P521KeyPair::from_secret_bytes(&[0; 66]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let order: [u8; 66] = n.clone().try_into().unwrap();
        assert_eq!(
            P521KeyPair::from_secret_bytes(&order).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let p384 = P384KeyPair::from_secret_bytes(&[9; 48]).unwrap().secret_key_multibase();
        assert_eq!(
            P521KeyPair::from_secret_multibase(&p384).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
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
    fn p384_secret_forms_round_trip_and_stay_hidden() {
        let key = P384KeyPair::from_secret_bytes(&[42; 48]).unwrap();
        assert!(key.secret_key_multibase().starts_with("z2fa"));
        assert!(key.public_key_multibase().starts_with("z82"));
        let again = P384KeyPair::from_secret_multibase(&key.secret_key_multibase()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
        let jwk: serde_json::Value = serde_json::from_str(&key.to_private_jwk()).unwrap();
        assert_eq!((jwk["kty"].as_str(), jwk["crv"].as_str()), (Some("EC"), Some("P-384")));
        assert_eq!(P384KeyPair::from_jwk(&jwk).unwrap().public_key(), key.public_key());
        let shown = format!("{key:?}");
        assert!(shown.starts_with("P384KeyPair"));
        assert!(!shown.contains(key.secret_key_multibase().as_str()));
        assert!(!shown.contains(jwk["d"].as_str().unwrap()));
        // A P-256 JWK's d is not a P-384 secret, nor the other way round.
        let p256: serde_json::Value =
            serde_json::from_str(&P256KeyPair::from_secret_bytes(&[42; 32]).unwrap().to_private_jwk()).unwrap();
        assert_eq!(
            P384KeyPair::from_jwk(&p256).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        assert_eq!(
            P256KeyPair::from_jwk(&jwk).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
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
        assert_eq!(
            P384KeyPair::from_secret_bytes(&[0; 48]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        assert_eq!(
            P384KeyPair::from_secret_bytes(&[0xff; 48]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let ed25519 = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
        assert_eq!(
            P256KeyPair::from_secret_multibase(ed25519).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        assert_eq!(
            P384KeyPair::from_secret_multibase(ed25519).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        // The P-256 secret Multikey is not a P-384 one, nor the other way round.
        let p256 = P256KeyPair::from_secret_bytes(&[9; 32]).unwrap().secret_key_multibase();
        let p384 = P384KeyPair::from_secret_bytes(&[9; 48]).unwrap().secret_key_multibase();
        assert_eq!(
            P384KeyPair::from_secret_multibase(&p256).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        assert_eq!(
            P256KeyPair::from_secret_multibase(&p384).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        // A P-384 header with 32 bytes of secret.
        let mut short = P384_PRIV_HEADER.to_vec();
        short.extend_from_slice(&[9; 32]);
        assert_eq!(
            P384KeyPair::from_secret_multibase(&multibase::encode_base58btc(&short))
                .unwrap_err()
                .code(),
            ErrorCode::KeyInvalid
        );
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len() / 2)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    /// `a - b` for big-endian numbers of the same length with a ≥ b.
    fn sub(a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; a.len()];
        let mut borrow = 0i16;
        for i in (0..a.len()).rev() {
            let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
            borrow = i16::from(d < 0);
            if d < 0 {
                d += 256;
            }
            out[i] = d as u8;
        }
        out
    }

    /// `a / 2` for a big-endian number.
    fn half(a: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; a.len()];
        let mut carry = 0u8;
        for i in 0..a.len() {
            out[i] = (a[i] >> 1) | (carry << 7);
            carry = a[i] & 1;
        }
        out
    }
}
