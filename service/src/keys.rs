//! Tenants' signing keys: local keys sealed at rest under a key-encryption
//! key (XChaCha20-Poly1305, the tenant and key id as associated data, so a
//! sealed key moved to another row does not open), opened only to sign;
//! or keys generated in a PKCS#11 token ([`crate::hsm`]), found by their
//! label `passerelle/{tenant}/{key id}`, whose private half never leaves it.

use std::path::Path;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use passerelle::crypto::{Ed25519KeyPair, KeyAlgorithm, P256KeyPair, PublicKey, Signer};
use zeroize::Zeroizing;

use crate::hsm::{HsmError, HsmSigner, Pkcs11Config};

/// The environment variable that may hold the key-encryption key
/// (base64url, 32 bytes).
pub const KEK_VARIABLE: &str = "PASSERELLE_KEK";

/// The key that seals tenants' secret keys in the database.
pub struct Kek {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(..)")
    }
}

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key-encryption key is missing or malformed.
    #[error("key-encryption key: {0}")]
    Kek(String),
    /// A sealed key does not open under this key-encryption key.
    #[error("a sealed key of tenant {0} does not open: wrong key-encryption key or altered row")]
    Unseal(String),
    /// The library refused the key.
    #[error(transparent)]
    Library(#[from] passerelle::Error),
    /// A key is in an HSM and this instance was given no PKCS#11 token.
    #[error(
        "{0}: no PKCS#11 token is configured (give --pkcs11-module and --pkcs11-token, and the PIN in PASSERELLE_PKCS11_PIN)"
    )]
    NoHsm(String),
    /// The PKCS#11 token refused, or has no such key.
    #[error("{context}: {error}")]
    Hsm {
        /// The tenant and key concerned.
        context: String,
        /// What the token said.
        error: HsmError,
    },
    /// The key in the token is not the one the tenant's DID document lists.
    #[error("tenant {tenant}: the HSM key {label:?} is {found}, not the key {key_id} of its DID document ({expected}); the tenant is not loaded")]
    HsmMismatch {
        /// The tenant.
        tenant: String,
        /// The key's id.
        key_id: String,
        /// The key's label in the token.
        label: String,
        /// The public key the database has (Multikey).
        expected: String,
        /// The public key the token has (Multikey).
        found: String,
    },
}

impl Kek {
    /// The key from `PASSERELLE_KEK`, else from `file`; when neither
    /// exists and `create` is set, a new random key written to `file`
    /// (mode 0600).
    pub fn load(file: &Path, create: bool) -> Result<Kek, KeyError> {
        if let Ok(text) = std::env::var(KEK_VARIABLE) {
            return Self::from_base64url(text.trim());
        }
        match std::fs::read_to_string(file) {
            Ok(text) => Self::from_base64url(text.trim()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let mut key = Zeroizing::new([0u8; 32]);
                getrandom::fill(key.as_mut()).map_err(|e| KeyError::Kek(e.to_string()))?;
                let text = Zeroizing::new(URL_SAFE_NO_PAD.encode(key.as_ref()));
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| KeyError::Kek(format!("{}: {e}", parent.display())))?;
                }
                write_private(file, text.as_bytes()).map_err(|e| KeyError::Kek(format!("{}: {e}", file.display())))?;
                Self::from_base64url(&text)
            }
            Err(e) => Err(KeyError::Kek(format!(
                "{}: {e} (set {KEK_VARIABLE} or give --kek-file)",
                file.display()
            ))),
        }
    }

    /// The key written in base64url (32 bytes).
    pub fn from_base64url(text: &str) -> Result<Kek, KeyError> {
        let bytes = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(text)
                .map_err(|_| KeyError::Kek("not base64url".into()))?,
        );
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| KeyError::Kek("must be 32 bytes".into()))?;
        Ok(Kek { cipher })
    }

    /// Seals `secret` for the key `key_id` of `tenant`.
    pub fn seal(&self, tenant: &str, key_id: &str, secret: &[u8]) -> Result<String, KeyError> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| KeyError::Kek(e.to_string()))?;
        let aad = associated(tenant, key_id);
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: secret, aad: &aad })
            .map_err(|_| KeyError::Kek("sealing failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens what [`Kek::seal`] sealed for the same tenant and key.
    pub fn open(&self, tenant: &str, key_id: &str, sealed: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let unseal = || KeyError::Unseal(tenant.to_owned());
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| unseal())?;
        let (nonce, body) = bytes.split_at_checked(24).ok_or_else(unseal)?;
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| unseal())?;
        let aad = associated(tenant, key_id);
        self.cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: body, aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| unseal())
    }
}

fn associated(tenant: &str, key_id: &str) -> Vec<u8> {
    format!("passerelle-service key\n{tenant}\n{key_id}").into_bytes()
}

#[cfg(unix)]
fn write_private(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(file, bytes)
}

/// Where tenants' keys are kept: sealed under the key-encryption key in
/// the database, or in a PKCS#11 token when this instance has one.
pub struct KeyStore {
    /// The key that seals local keys.
    pub kek: Kek,
    /// The token HSM keys are generated in and opened from, if any.
    pub hsm: Option<Pkcs11Config>,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore")
            .field("kek", &self.kek)
            .field("hsm", &self.hsm)
            .finish()
    }
}

impl From<Kek> for KeyStore {
    fn from(kek: Kek) -> Self {
        KeyStore { kek, hsm: None }
    }
}

impl KeyStore {
    /// Local keys under `kek`, and HSM keys in the token of `hsm`.
    pub fn new(kek: Kek, hsm: Option<Pkcs11Config>) -> Self {
        KeyStore { kek, hsm }
    }

    /// The PKCS#11 token, or why `what` cannot be done without one.
    pub fn token(&self, what: impl Into<String>) -> Result<&Pkcs11Config, KeyError> {
        self.hsm.as_ref().ok_or_else(|| KeyError::NoHsm(what.into()))
    }
}

/// The label (`CKA_LABEL`) of the HSM key `key_id` of `tenant`.
pub fn hsm_label(tenant: &str, key_id: &str) -> String {
    format!("passerelle/{tenant}/{key_id}")
}

/// The key algorithms a tenant's key may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Ed25519 (eddsa suites).
    Ed25519,
    /// P-256 (ecdsa suites).
    P256,
}

impl Algorithm {
    /// Parses `ed25519` / `p256`.
    pub fn parse(name: &str) -> Option<Algorithm> {
        match name.to_ascii_lowercase().as_str() {
            "ed25519" => Some(Algorithm::Ed25519),
            "p256" | "p-256" => Some(Algorithm::P256),
            _ => None,
        }
    }

    /// Its name as [`Algorithm::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "ed25519",
            Algorithm::P256 => "p256",
        }
    }
}

impl Algorithm {
    /// The library's name for it.
    pub fn key_algorithm(self) -> KeyAlgorithm {
        match self {
            Algorithm::Ed25519 => KeyAlgorithm::Ed25519,
            Algorithm::P256 => KeyAlgorithm::P256,
        }
    }
}

/// A signer the service holds for a tenant.
pub type TenantSigner = Box<dyn Signer + Send + Sync>;

/// An HSM signer shared by the tenants loaded from one reading of the
/// database and the next (opening one costs a session and a signature).
#[derive(Clone, Debug)]
pub struct SharedHsmSigner(pub Arc<HsmSigner>);

impl Signer for SharedHsmSigner {
    fn public_key(&self) -> PublicKey {
        self.0.public_key()
    }

    fn sign(&self, message: &[u8]) -> passerelle::Result<Vec<u8>> {
        self.0.sign(message)
    }
}

/// A new key pair of `algorithm` in the token of `store`, labelled
/// [`hsm_label`]: its public Multikey and its label. The token is called
/// from a blocking thread.
pub async fn generate_hsm(
    store: &KeyStore,
    tenant: &str,
    key_id: &str,
    algorithm: Algorithm,
) -> Result<(String, String), KeyError> {
    let context = format!("tenant {tenant}, HSM key {key_id}");
    let config = store.token(context.clone())?.clone();
    let label = hsm_label(tenant, key_id);
    let signer = blocking(context.clone(), {
        let label = label.clone();
        move || HsmSigner::generate(config, &label, algorithm.key_algorithm())
    })
    .await?;
    Ok((signer.public_key().to_multikey(), label))
}

/// The signer of the HSM key labelled `label`, checked against the public
/// key the database has for it (the token is called from a blocking
/// thread).
pub async fn open_hsm(
    store: &KeyStore,
    tenant: &str,
    key_id: &str,
    label: &str,
    public_multikey: &str,
) -> Result<HsmSigner, KeyError> {
    let context = format!("tenant {tenant}, HSM key {key_id} ({label:?})");
    let config = store
        .token(format!("tenant {tenant}: its active key {key_id} is in an HSM"))?
        .clone();
    let signer = blocking(context, {
        let label = label.to_owned();
        move || HsmSigner::open(config, &label)
    })
    .await?;
    check_hsm(&signer, tenant, key_id, public_multikey)?;
    Ok(signer)
}

/// `Ok` when `signer`'s public key is `public_multikey`.
pub fn check_hsm(signer: &HsmSigner, tenant: &str, key_id: &str, public_multikey: &str) -> Result<(), KeyError> {
    let found = signer.public_key();
    if PublicKey::from_multikey(public_multikey).ok() != Some(found) {
        return Err(KeyError::HsmMismatch {
            tenant: tenant.to_owned(),
            key_id: key_id.to_owned(),
            label: signer.label().to_owned(),
            expected: public_multikey.to_owned(),
            found: found.to_multikey(),
        });
    }
    Ok(())
}

/// Runs a PKCS#11 call on a blocking thread.
async fn blocking(
    context: String,
    call: impl FnOnce() -> Result<HsmSigner, HsmError> + Send + 'static,
) -> Result<HsmSigner, KeyError> {
    match tokio::task::spawn_blocking(call).await {
        Ok(result) => result.map_err(|error| KeyError::Hsm { context, error }),
        Err(e) => Err(KeyError::Hsm {
            context,
            error: HsmError::Pkcs11 {
                operation: "a blocking task",
                detail: e.to_string(),
            },
        }),
    }
}

/// A new local key: its public Multikey, its sealed secret, its signer.
pub fn generate(
    kek: &Kek,
    tenant: &str,
    key_id: &str,
    algorithm: Algorithm,
) -> Result<(String, String, TenantSigner), KeyError> {
    let (secret, signer): (Zeroizing<String>, TenantSigner) = match algorithm {
        Algorithm::Ed25519 => {
            let key = Ed25519KeyPair::generate()?;
            (Zeroizing::new(key.secret_key_multibase().to_string()), Box::new(key))
        }
        Algorithm::P256 => {
            let key = P256KeyPair::generate()?;
            (Zeroizing::new(key.secret_key_multibase().to_string()), Box::new(key))
        }
    };
    let sealed = kek.seal(tenant, key_id, secret.as_bytes())?;
    Ok((signer.public_key().to_multikey(), sealed, signer))
}

/// The signer of a sealed local key, checked against its public key.
pub fn open_local(
    kek: &Kek,
    tenant: &str,
    key_id: &str,
    sealed: &str,
    public_multikey: &str,
) -> Result<TenantSigner, KeyError> {
    let secret = kek.open(tenant, key_id, sealed)?;
    let text = std::str::from_utf8(&secret).map_err(|_| KeyError::Unseal(tenant.to_owned()))?;
    let signer: TenantSigner = match Ed25519KeyPair::from_secret_multibase(text) {
        Ok(key) => Box::new(key),
        Err(_) => Box::new(P256KeyPair::from_secret_multibase(text)?),
    };
    let expected = PublicKey::from_multikey(public_multikey)?;
    if signer.public_key() != expected {
        return Err(KeyError::Unseal(tenant.to_owned()));
    }
    Ok(signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek() -> Kek {
        Kek::from_base64url(&URL_SAFE_NO_PAD.encode([7u8; 32])).unwrap()
    }

    #[test]
    fn a_sealed_key_opens_only_for_its_tenant_and_key() {
        let kek = kek();
        let sealed = kek.seal("mines", "key-1", b"secret").unwrap();
        assert_eq!(kek.open("mines", "key-1", &sealed).unwrap().as_slice(), b"secret");
        assert!(kek.open("mines", "key-2", &sealed).is_err());
        assert!(kek.open("registrar", "key-1", &sealed).is_err());
        let other = Kek::from_base64url(&URL_SAFE_NO_PAD.encode([8u8; 32])).unwrap();
        assert!(other.open("mines", "key-1", &sealed).is_err());
    }

    #[test]
    fn any_flipped_byte_of_a_sealed_key_is_refused() {
        let kek = kek();
        let sealed = URL_SAFE_NO_PAD.decode(kek.seal("t", "k", b"secret").unwrap()).unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(kek.open("t", "k", &URL_SAFE_NO_PAD.encode(&bad)).is_err(), "byte {i}");
        }
    }

    #[test]
    fn generated_keys_reopen_as_the_same_signer() {
        let kek = kek();
        for algorithm in [Algorithm::Ed25519, Algorithm::P256] {
            let (public, sealed, signer) = generate(&kek, "t", "key-1", algorithm).unwrap();
            let reopened = open_local(&kek, "t", "key-1", &sealed, &public).unwrap();
            assert_eq!(reopened.public_key(), signer.public_key());
            let other = generate(&kek, "t", "key-1", algorithm).unwrap().0;
            assert!(open_local(&kek, "t", "key-1", &sealed, &other).is_err());
        }
    }

    #[test]
    fn the_kek_is_not_printed() {
        assert_eq!(format!("{:?}", kek()), "Kek(..)");
    }
}
