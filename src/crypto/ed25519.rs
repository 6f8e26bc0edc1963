//! Ed25519 key pairs.

use ed25519_dalek::Signer as _;
use zeroize::{Zeroize, Zeroizing};

use super::{jwk, multibase, PublicKey, Signer, ED25519_PRIV_HEADER};
use crate::error::{Error, ErrorCode, Result};

/// An Ed25519 key pair held in memory.
///
/// The secret is zeroized on drop and never printed: `Debug` shows only the
/// public key.
///
/// ```
/// use passerelle::crypto::Ed25519KeyPair;
/// let key = Ed25519KeyPair::from_secret_multibase(
///     "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq").unwrap();
/// assert_eq!(key.public_key_multibase(), "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
/// assert!(!format!("{key:?}").contains("z3u2en7t"));
/// ```
pub struct Ed25519KeyPair {
    signing: ed25519_dalek::SigningKey,
}

impl Ed25519KeyPair {
    /// A new key pair from the system's secure random source.
    pub fn generate() -> Result<Self> {
        let mut seed = Zeroizing::new([0u8; 32]);
        super::random_bytes(seed.as_mut())?;
        Ok(Self::from_seed(&seed))
    }

    /// The key pair whose 32-byte secret seed is `seed` (RFC 8032).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Ed25519KeyPair {
            signing: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// Decodes a Multikey `secretKeyMultibase` (`z3u2…`: header 0x8026 + seed).
    pub fn from_secret_multibase(text: &str) -> Result<Self> {
        let mut bytes = Zeroizing::new(multibase::decode(text)?);
        let result = match bytes.split_first_chunk::<2>() {
            Some((header, seed)) if *header == ED25519_PRIV_HEADER => seed
                .try_into()
                .map(Self::from_seed)
                .map_err(|_| Error::new(ErrorCode::KeyInvalid, "Ed25519 seed must be 32 bytes")),
            _ => Err(Error::new(
                ErrorCode::KeyTypeUnsupported,
                "not an Ed25519 secret Multikey",
            )),
        };
        bytes.zeroize();
        result
    }

    /// Decodes a private OKP JWK (`{"kty":"OKP","crv":"Ed25519","x":…,"d":…}`);
    /// `x` must match the public key derived from `d`.
    pub fn from_jwk(jwk_value: &serde_json::Value) -> Result<Self> {
        let seed = jwk::ed25519_private(jwk_value)?;
        let key = Self::from_seed(&seed);
        let public = jwk::public_key(jwk_value)?;
        if public != key.public_key() {
            return Err(Error::new(ErrorCode::KeyInvalid, "JWK x does not match d"));
        }
        Ok(key)
    }

    /// The Multikey `secretKeyMultibase` encoding, in a buffer zeroized on drop.
    pub fn secret_key_multibase(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(ED25519_PRIV_HEADER.to_vec());
        bytes.extend_from_slice(self.signing.as_bytes());
        Zeroizing::new(multibase::encode_base58btc(&bytes))
    }

    /// The private JWK (with `d`), in a value the caller must protect.
    pub fn to_private_jwk(&self) -> Zeroizing<String> {
        let seed = Zeroizing::new(*self.signing.as_bytes());
        jwk::private_jwk(&self.public_key(), &seed[..])
    }

    /// The public key's Multikey encoding (`z6Mk…`).
    pub fn public_key_multibase(&self) -> String {
        self.public_key().to_multikey()
    }
}

impl Signer for Ed25519KeyPair {
    fn public_key(&self) -> PublicKey {
        PublicKey::Ed25519(self.signing.verifying_key())
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.signing.sign(message).to_bytes().to_vec())
    }
}

impl std::fmt::Debug for Ed25519KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ed25519KeyPair")
            .field("public_key", &self.public_key_multibase())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_differ_and_sign() {
        let a = Ed25519KeyPair::generate().unwrap();
        let b = Ed25519KeyPair::generate().unwrap();
        assert_ne!(a.public_key(), b.public_key());
        let sig = a.sign(b"x").unwrap();
        assert!(a.public_key().verify(b"x", &sig).is_ok());
        assert_eq!(
            b.public_key().verify(b"x", &sig).unwrap_err().code(),
            ErrorCode::ProofSignatureInvalid
        );
    }

    #[test]
    fn secret_multibase_round_trips() {
        let key = Ed25519KeyPair::from_seed(&[42; 32]);
        let again = Ed25519KeyPair::from_secret_multibase(&key.secret_key_multibase()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
    }

    #[test]
    fn private_jwk_round_trips_and_checks_x() {
        let key = Ed25519KeyPair::from_seed(&[1; 32]);
        let jwk: serde_json::Value = serde_json::from_str(&key.to_private_jwk()).unwrap();
        assert_eq!(Ed25519KeyPair::from_jwk(&jwk).unwrap().public_key(), key.public_key());
        let mut wrong = jwk.clone();
        wrong["x"] = Ed25519KeyPair::from_seed(&[2; 32]).public_key().to_jwk()["x"].clone();
        assert_eq!(
            Ed25519KeyPair::from_jwk(&wrong).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let key = Ed25519KeyPair::from_seed(&[9; 32]);
        let shown = format!("{key:?}");
        assert!(!shown.contains(key.secret_key_multibase().as_str()));
        let d = serde_json::from_str::<serde_json::Value>(&key.to_private_jwk()).unwrap()["d"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!shown.contains(&d));
    }
}
