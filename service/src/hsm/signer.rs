//! [`HsmSigner`]: a key pair in the token, opened and checked by a
//! signature, that signs under a mutex and opens a new session when the
//! token dropped its own.

use std::fmt;
use std::sync::{Arc, Mutex};

use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::eddsa::{EddsaParams, EddsaSignatureScheme};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::ObjectHandle;
use cryptoki::session::Session;
use passerelle::crypto::{KeyAlgorithm, PublicKey, Signer};
use passerelle::{Error, ErrorCode};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::encoding::{ecdsa_order, normalize_low_s};
use super::error::{describe, HsmError};
use super::lookup::find_key;
use super::session::{lock, module, open_session, Module};
use super::Pkcs11Config;

/// What the mutex guards: the session and the private key's handle in it.
struct Live {
    session: Session,
    key: ObjectHandle,
}

/// A signer whose private key stays in a PKCS#11 token.
///
/// `Send + Sync`: share it (in an `Arc`, or by reference) between threads
/// and tasks. `Debug` shows the key label and public key only.
pub struct HsmSigner {
    module: Arc<Module>,
    config: Pkcs11Config,
    label: String,
    algorithm: KeyAlgorithm,
    public_key: PublicKey,
    live: Mutex<Live>,
}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<HsmSigner>();
};

/// The message signed (and verified) to check that a key pair matches.
const SELF_TEST_MESSAGE: &[u8] = b"passerelle HSM key pair check";

impl HsmSigner {
    /// The key pair labelled `key_label` (`CKA_LABEL`) in the configured
    /// token: exactly one private key, and the public key object of the
    /// same label (or, without one, the private key's `CKA_EC_POINT`).
    /// Signs once to check that the two match.
    pub fn open(config: Pkcs11Config, key_label: &str) -> Result<HsmSigner, HsmError> {
        let module = module(&config.module)?;
        let session = open_session(&module, &config, false)?;
        let (key, algorithm, public_key) = find_key(&session, key_label)?;
        HsmSigner::checked(module, config, key_label, session, key, algorithm, public_key)
    }

    /// The signer over an open session, once a signature verifies.
    pub(super) fn checked(
        module: Arc<Module>,
        config: Pkcs11Config,
        label: &str,
        session: Session,
        key: ObjectHandle,
        algorithm: KeyAlgorithm,
        public_key: PublicKey,
    ) -> Result<HsmSigner, HsmError> {
        let signer = HsmSigner {
            module,
            config,
            label: label.to_owned(),
            algorithm,
            public_key,
            live: Mutex::new(Live { session, key }),
        };
        let signature = signer.sign_raw(SELF_TEST_MESSAGE).map_err(|detail| HsmError::Pkcs11 {
            operation: "signing a test message",
            detail,
        })?;
        if public_key.verify(SELF_TEST_MESSAGE, &signature).is_err() {
            return Err(HsmError::KeyMismatch {
                label: label.to_owned(),
            });
        }
        Ok(signer)
    }

    /// The key's label (`CKA_LABEL`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// A new session, logged in, with the key found again (its handle may
    /// have changed) and still the same public key.
    fn reconnect(&self) -> Result<Live, HsmError> {
        let session = open_session(&self.module, &self.config, false)?;
        let (key, _, public_key) = find_key(&session, &self.label)?;
        if public_key != self.public_key {
            return Err(HsmError::KeyMismatch {
                label: self.label.clone(),
            });
        }
        Ok(Live { session, key })
    }

    /// Signs with the token: the message itself for Ed25519, its digest for
    /// ECDSA, whose signature is then normalized to low `s`. The error is
    /// a description (no PIN, no key material).
    fn sign_raw(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let eddsa;
        let digest;
        let (mechanism, data): (Mechanism<'_>, &[u8]) = match self.algorithm {
            KeyAlgorithm::Ed25519 => {
                eddsa = EddsaParams::new(EddsaSignatureScheme::Pure);
                (Mechanism::Eddsa(eddsa), message)
            }
            KeyAlgorithm::P256 => {
                digest = Sha256::digest(message).to_vec();
                (Mechanism::Ecdsa, &digest)
            }
            KeyAlgorithm::P384 => {
                digest = Sha384::digest(message).to_vec();
                (Mechanism::Ecdsa, &digest)
            }
            KeyAlgorithm::P521 => {
                digest = Sha512::digest(message).to_vec();
                (Mechanism::Ecdsa, &digest)
            }
            other => return Err(format!("{other} keys are not supported")),
        };
        let mut live = lock(&self.live);
        let mut signature = match live.session.sign(&mechanism, live.key, data) {
            Err(
                e @ CkError::Pkcs11(
                    RvError::SessionHandleInvalid
                    | RvError::SessionClosed
                    | RvError::UserNotLoggedIn
                    | RvError::DeviceRemoved
                    | RvError::TokenNotPresent
                    | RvError::KeyHandleInvalid
                    | RvError::ObjectHandleInvalid,
                    _,
                ),
            ) => {
                // The token dropped the session (restarted, logged out):
                // open a new one and try once more.
                *live = self.reconnect().map_err(|reopening| {
                    tracing::warn!(key = %self.label, error = %reopening, "HSM session lost and not reopened");
                    format!("{}; reopening the session: {reopening}", describe(&e))
                })?;
                tracing::info!(key = %self.label, "HSM session reopened");
                live.session
                    .sign(&mechanism, live.key, data)
                    .map_err(|e| describe(&e))?
            }
            result => result.map_err(|e| describe(&e))?,
        };
        drop(live);
        let expected = match self.algorithm {
            KeyAlgorithm::Ed25519 | KeyAlgorithm::P256 => 64,
            KeyAlgorithm::P384 => 96,
            _ => 132,
        };
        if signature.len() != expected {
            return Err(format!(
                "the token returned a {}-byte signature, not {expected}",
                signature.len()
            ));
        }
        if let Some(order) = ecdsa_order(self.algorithm) {
            normalize_low_s(&mut signature, order);
        }
        Ok(signature)
    }
}

impl Signer for HsmSigner {
    fn public_key(&self) -> PublicKey {
        self.public_key
    }

    fn sign(&self, message: &[u8]) -> passerelle::Result<Vec<u8>> {
        self.sign_raw(message)
            .map_err(|detail| Error::new(ErrorCode::SigningFailed, format!("HSM key {:?}: {detail}", self.label)))
    }
}

impl fmt::Debug for HsmSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HsmSigner")
            .field("label", &self.label)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}
