//! Keys and signatures: Ed25519 key pairs, public keys, the [`Signer`]
//! trait, and the Multikey, multibase and JWK encodings.

mod base58;
pub(crate) use base58::encode as base58_encode;
#[cfg(feature = "ecdsa")]
mod ecdsa;
mod ed25519;
pub mod jwk;
pub mod multibase;

#[cfg(feature = "ecdsa")]
pub use ecdsa::{P256KeyPair, P256PublicKey, P384KeyPair, P384PublicKey, P521KeyPair, P521PublicKey};
pub use ed25519::Ed25519KeyPair;

use crate::error::{Error, ErrorCode, Result};

/// Multicodec header of an Ed25519 public key (varint of 0xed).
pub(crate) const ED25519_PUB_HEADER: [u8; 2] = [0xed, 0x01];
/// Multicodec header of an Ed25519 secret seed (varint of 0x1300).
pub(crate) const ED25519_PRIV_HEADER: [u8; 2] = [0x80, 0x26];
/// Multicodec header of a compressed P-256 public key (varint of 0x1200).
pub(crate) const P256_PUB_HEADER: [u8; 2] = [0x80, 0x24];
/// Multicodec header of a compressed P-384 public key (varint of 0x1201).
pub(crate) const P384_PUB_HEADER: [u8; 2] = [0x81, 0x24];
/// Multicodec header of a compressed P-521 public key (varint of 0x1202).
pub(crate) const P521_PUB_HEADER: [u8; 2] = [0x82, 0x24];

/// The signature algorithms passerelle can verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// Ed25519 (RFC 8032, pure EdDSA), verified with `verify_strict`.
    Ed25519,
    /// ECDSA on NIST P-256 with SHA-256 (FIPS 186-5), `r‖s` signatures.
    P256,
    /// ECDSA on NIST P-384 with SHA-384 (FIPS 186-5), `r‖s` signatures.
    P384,
    /// ECDSA on NIST P-521 with SHA-512 (FIPS 186-5), `r‖s` signatures:
    /// JOSE and COSE only (`ES512`), the Data Integrity suites define no
    /// P-521 form.
    P521,
}

impl std::fmt::Display for KeyAlgorithm {
    /// The algorithm's usual name (`Ed25519`, `P-256`, `P-384`, `P-521`), for messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyAlgorithm::Ed25519 => "Ed25519",
            KeyAlgorithm::P256 => "P-256",
            KeyAlgorithm::P384 => "P-384",
            KeyAlgorithm::P521 => "P-521",
        })
    }
}

impl KeyAlgorithm {
    /// The length of this key type's signatures: 64 bytes for Ed25519 and
    /// P-256, `r‖s` of the curve's scalar size for the others (96 for
    /// P-384, 132 for P-521).
    pub(crate) fn signature_len(self) -> usize {
        match self {
            KeyAlgorithm::Ed25519 | KeyAlgorithm::P256 => 64,
            KeyAlgorithm::P384 => 96,
            KeyAlgorithm::P521 => 132,
        }
    }
}

/// A public key, decoded and checked.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An Ed25519 public key.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A P-256 public key (a curve point other than the identity).
    #[cfg(feature = "ecdsa")]
    P256(P256PublicKey),
    /// A P-384 public key (a curve point other than the identity).
    #[cfg(feature = "ecdsa")]
    P384(P384PublicKey),
    /// A P-521 public key (a curve point other than the identity).
    #[cfg(feature = "ecdsa")]
    P521(P521PublicKey),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_multikey())
    }
}

impl PublicKey {
    /// An Ed25519 public key from its 32 bytes.
    pub fn ed25519_from_bytes(bytes: &[u8]) -> Result<Self> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| {
            Error::new(
                ErrorCode::KeyInvalid,
                format!("Ed25519 public key has {} bytes, not 32", bytes.len()),
            )
        })?;
        ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map(PublicKey::Ed25519)
            .map_err(|_| Error::new(ErrorCode::KeyInvalid, "not an Ed25519 curve point"))
    }

    /// A P-256 public key from its SEC1 encoding (compressed, 33 bytes, or
    /// uncompressed, 65 bytes); the point must be on the curve.
    /// `KEY_TYPE_UNSUPPORTED` in a build without the `ecdsa` feature.
    pub fn p256_from_sec1(bytes: &[u8]) -> Result<Self> {
        #[cfg(feature = "ecdsa")]
        return P256PublicKey::from_sec1(bytes).map(PublicKey::P256);
        #[cfg(not(feature = "ecdsa"))]
        {
            let _ = bytes;
            Err(ecdsa_left_out("P-256"))
        }
    }

    /// A P-384 public key from its SEC1 encoding (compressed, 49 bytes, or
    /// uncompressed, 97 bytes); the point must be on the curve.
    /// `KEY_TYPE_UNSUPPORTED` in a build without the `ecdsa` feature.
    pub fn p384_from_sec1(bytes: &[u8]) -> Result<Self> {
        #[cfg(feature = "ecdsa")]
        return P384PublicKey::from_sec1(bytes).map(PublicKey::P384);
        #[cfg(not(feature = "ecdsa"))]
        {
            let _ = bytes;
            Err(ecdsa_left_out("P-384"))
        }
    }

    /// A P-521 public key from its SEC1 encoding (compressed, 67 bytes, or
    /// uncompressed, 133 bytes); the point must be on the curve.
    /// `KEY_TYPE_UNSUPPORTED` in a build without the `ecdsa` feature.
    pub fn p521_from_sec1(bytes: &[u8]) -> Result<Self> {
        #[cfg(feature = "ecdsa")]
        return P521PublicKey::from_sec1(bytes).map(PublicKey::P521);
        #[cfg(not(feature = "ecdsa"))]
        {
            let _ = bytes;
            Err(ecdsa_left_out("P-521"))
        }
    }

    /// Decodes a Multikey `publicKeyMultibase` value (`z6Mk…` for Ed25519,
    /// `zDn…` for P-256, `z82…` for P-384, `z2J9…` for P-521).
    ///
    /// ```
    /// use passerelle::crypto::PublicKey;
    /// let key = PublicKey::from_multikey("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").unwrap();
    /// assert_eq!(key.to_multikey(), "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
    /// ```
    pub fn from_multikey(text: &str) -> Result<Self> {
        PublicKey::from_multicodec(&multibase::decode(text)?)
    }

    /// A key from its multicodec bytes: the two-byte key type header, then
    /// the key (what a Multikey encodes, and what ecdsa-sd-2023 proofs carry).
    pub(crate) fn from_multicodec(bytes: &[u8]) -> Result<Self> {
        match bytes.split_first_chunk::<2>() {
            Some((header, key)) if *header == ED25519_PUB_HEADER => PublicKey::ed25519_from_bytes(key),
            Some((header, key)) if *header == P256_PUB_HEADER && key.len() == 33 => PublicKey::p256_from_sec1(key),
            Some((header, key)) if *header == P384_PUB_HEADER && key.len() == 49 => PublicKey::p384_from_sec1(key),
            Some((header, key)) if *header == P521_PUB_HEADER && key.len() == 67 => PublicKey::p521_from_sec1(key),
            Some((header, key))
                if *header == P256_PUB_HEADER || *header == P384_PUB_HEADER || *header == P521_PUB_HEADER =>
            {
                Err(Error::new(
                    ErrorCode::KeyInvalid,
                    format!(
                        "a compressed ECDSA Multikey has 33 (P-256), 49 (P-384) or 67 (P-521) bytes, not {}",
                        key.len()
                    ),
                ))
            }
            _ => Err(Error::new(ErrorCode::KeyTypeUnsupported, "unknown Multikey header")),
        }
    }

    /// The Multikey `publicKeyMultibase` encoding (base58btc, multicodec header).
    pub fn to_multikey(&self) -> String {
        multibase::encode_base58btc(&self.multicodec_bytes())
    }

    /// The multicodec bytes: the key type header, then [`PublicKey::as_bytes`].
    pub(crate) fn multicodec_bytes(&self) -> Vec<u8> {
        let header = match self {
            PublicKey::Ed25519(_) => ED25519_PUB_HEADER,
            #[cfg(feature = "ecdsa")]
            PublicKey::P256(_) => P256_PUB_HEADER,
            #[cfg(feature = "ecdsa")]
            PublicKey::P384(_) => P384_PUB_HEADER,
            #[cfg(feature = "ecdsa")]
            PublicKey::P521(_) => P521_PUB_HEADER,
        };
        [header.as_slice(), self.as_bytes()].concat()
    }

    /// The X25519 public key of the same key pair, for key agreement (the
    /// Montgomery form of the Ed25519 point, RFC 7748 §4.1, as the did:key
    /// method derives it); `None` for keys that are not Ed25519.
    pub fn x25519_key_agreement(&self) -> Option<[u8; 32]> {
        match self {
            PublicKey::Ed25519(key) => Some(key.to_montgomery().to_bytes()),
            #[cfg(feature = "ecdsa")]
            PublicKey::P256(_) | PublicKey::P384(_) | PublicKey::P521(_) => None,
        }
    }

    /// The algorithm of this key.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self {
            PublicKey::Ed25519(_) => KeyAlgorithm::Ed25519,
            #[cfg(feature = "ecdsa")]
            PublicKey::P256(_) => KeyAlgorithm::P256,
            #[cfg(feature = "ecdsa")]
            PublicKey::P384(_) => KeyAlgorithm::P384,
            #[cfg(feature = "ecdsa")]
            PublicKey::P521(_) => KeyAlgorithm::P521,
        }
    }

    /// The raw public key bytes (for the ECDSA curves, the compressed SEC1 form).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            PublicKey::Ed25519(key) => key.as_bytes(),
            #[cfg(feature = "ecdsa")]
            PublicKey::P256(key) => key.compressed(),
            #[cfg(feature = "ecdsa")]
            PublicKey::P384(key) => key.compressed(),
            #[cfg(feature = "ecdsa")]
            PublicKey::P521(key) => key.compressed(),
        }
    }

    /// Verifies `signature` over `message`. Ed25519 uses `verify_strict`,
    /// which refuses non-canonical signatures and small-order keys.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        match self {
            PublicKey::Ed25519(key) => {
                let signature = ed25519_dalek::Signature::from_slice(signature).map_err(|_| {
                    Error::new(
                        ErrorCode::ProofValueInvalid,
                        format!("Ed25519 signature has {} bytes, not 64", signature.len()),
                    )
                })?;
                key.verify_strict(message, &signature)
                    .map_err(|_| Error::new(ErrorCode::ProofSignatureInvalid, "Ed25519 verify_strict failed"))
            }
            #[cfg(feature = "ecdsa")]
            PublicKey::P256(key) => key.verify(message, signature),
            #[cfg(feature = "ecdsa")]
            PublicKey::P384(key) => key.verify(message, signature),
            #[cfg(feature = "ecdsa")]
            PublicKey::P521(key) => key.verify(message, signature),
        }
    }
}

/// The error of a build without the `ecdsa` feature given an ECDSA key.
#[cfg(not(feature = "ecdsa"))]
fn ecdsa_left_out(curve: &str) -> Error {
    Error::new(
        ErrorCode::KeyTypeUnsupported,
        format!("{curve} keys need passerelle's `ecdsa` feature, which this build leaves out"),
    )
}

/// Something that can sign with a private key: an in-memory key pair, or a
/// hardware security module or cloud KMS behind the same interface.
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// let key = Ed25519KeyPair::from_seed(&[7; 32]);
/// let signature = key.sign(b"message").unwrap();
/// key.public_key().verify(b"message", &signature).unwrap();
/// ```
pub trait Signer {
    /// The public key matching the private key used by [`Signer::sign`].
    fn public_key(&self) -> PublicKey;

    /// Signs `message` and returns the raw signature bytes (64 for Ed25519;
    /// `r‖s`, 64 bytes, for P-256, which hashes `message` with SHA-256;
    /// `r‖s`, 96 bytes, for P-384, which hashes it with SHA-384; `r‖s`,
    /// 132 bytes, for P-521, which hashes it with SHA-512).
    /// A remote signer that fails returns an error with code `SIGNING_FAILED`.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

impl<S: Signer + ?Sized> Signer for Box<S> {
    fn public_key(&self) -> PublicKey {
        (**self).public_key()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(message)
    }
}

impl<S: Signer + ?Sized> Signer for &S {
    fn public_key(&self) -> PublicKey {
        (**self).public_key()
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(message)
    }
}

/// Fills `buf` from the operating system's (or browser's) secure random source.
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::new(ErrorCode::RandomnessUnavailable, e.to_string()))
}
