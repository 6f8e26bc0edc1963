//! Issuer keys kept in a hardware security module, over PKCS#11.
//!
//! [`HsmSigner`] is a [`passerelle::crypto::Signer`] whose private key
//! never leaves the token: Ed25519 (`CKM_EDDSA`), ECDSA P-256, P-384 and
//! P-521 (`CKM_ECDSA` over a SHA-256, SHA-384 or SHA-512 digest computed
//! here; the signature is normalized to low `s`, as passerelle's own
//! signers write it). [`HsmSigner::open`] finds a key pair by its
//! `CKA_LABEL`; [`HsmSigner::generate`] makes one in the token (token
//! objects, the private key sensitive, not extractable, `CKA_SIGN`).
//!
//! One PKCS#11 context per module is shared by the whole process (a module
//! is initialized once, and never finalized). Each signer holds one logged
//! in session behind a mutex, so it can be shared by many threads or tokio
//! tasks; signatures from one signer are made one at a time. A call blocks
//! while the token signs: with a network HSM, sign from
//! `tokio::task::spawn_blocking`. When the token drops the session (it was
//! restarted, or logged out), the signer opens a new one, logs in again and
//! retries once.
//!
//! PKCS#11 logs in per application and token, not per session: a second
//! signer on a token this process is already logged in to cannot have its
//! PIN checked by the token, so it is compared with the PIN of the login
//! this module made (a different PIN is refused, [`HsmError::PinMismatch`]).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::eddsa::{EddsaParams, EddsaSignatureScheme};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use passerelle::crypto::{KeyAlgorithm, PublicKey, Signer};
use passerelle::{Error, ErrorCode};
use sha2::{Digest, Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

mod encoding;
use encoding::*;

/// Where a PKCS#11 token is and how to log in to it.
///
/// `Debug` never shows the PIN.
#[derive(Clone)]
pub struct Pkcs11Config {
    /// The PKCS#11 module (shared library), such as
    /// `/usr/lib/softhsm/libsofthsm2.so`.
    pub module: PathBuf,
    /// The label of the token (`CKA_LABEL` of the token info, without
    /// its blank padding).
    pub token_label: String,
    /// The user PIN, zeroized on drop.
    pub pin: Zeroizing<String>,
}

impl Pkcs11Config {
    /// The token labelled `token_label` of `module`, logged in to with `pin`.
    pub fn new(module: impl Into<PathBuf>, token_label: impl Into<String>, pin: impl Into<String>) -> Self {
        Pkcs11Config {
            module: module.into(),
            token_label: token_label.into(),
            pin: Zeroizing::new(pin.into()),
        }
    }
}

impl fmt::Debug for Pkcs11Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11Config")
            .field("module", &self.module)
            .field("token_label", &self.token_label)
            .field("pin", &"<redacted>")
            .finish()
    }
}

/// Why a token or key could not be opened or generated. No message holds
/// the PIN or any key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HsmError {
    /// The PKCS#11 module could not be loaded or initialized.
    #[error("PKCS#11 module {module}: {detail}")]
    Module {
        /// The module's path.
        module: String,
        /// What failed.
        detail: String,
    },
    /// No initialized token has this label.
    #[error("no PKCS#11 token labelled {token:?}")]
    TokenNotFound {
        /// The token label looked for.
        token: String,
    },
    /// More than one token has this label.
    #[error("{count} PKCS#11 tokens are labelled {token:?}")]
    TokenAmbiguous {
        /// The token label looked for.
        token: String,
        /// How many tokens have it.
        count: usize,
    },
    /// The token refused the PIN.
    #[error("PKCS#11 token {token:?} refused the PIN")]
    PinIncorrect {
        /// The token's label.
        token: String,
    },
    /// The token is locked after too many wrong PINs.
    #[error("the PIN of PKCS#11 token {token:?} is locked")]
    PinLocked {
        /// The token's label.
        token: String,
    },
    /// The process is already logged in to the token, with another PIN or
    /// by code outside this module, so this PIN cannot be checked.
    #[error("PKCS#11 token {token:?} is already logged in with another PIN (or by other code in this process)")]
    PinMismatch {
        /// The token's label.
        token: String,
    },
    /// No private key has this label.
    #[error("no private key labelled {label:?} in the PKCS#11 token")]
    KeyNotFound {
        /// The key label looked for.
        label: String,
    },
    /// More than one private (or public) key has this label.
    #[error("{count} keys labelled {label:?} in the PKCS#11 token, not one")]
    KeyAmbiguous {
        /// The key label looked for.
        label: String,
        /// How many keys of one class have it.
        count: usize,
    },
    /// [`HsmSigner::generate`] found objects with this label already.
    #[error("the PKCS#11 token already has objects labelled {label:?}")]
    KeyExists {
        /// The key label.
        label: String,
    },
    /// Neither a public key object nor the private key gives the public key.
    #[error("no public key labelled {label:?} in the PKCS#11 token")]
    PublicKeyNotFound {
        /// The key label.
        label: String,
    },
    /// The key is not one this signer can use (another curve or key type,
    /// a key without `CKA_SIGN`, an unreadable public point).
    #[error("PKCS#11 key {label:?}: {detail}")]
    UnsupportedKey {
        /// The key label.
        label: String,
        /// What is wrong with it.
        detail: String,
    },
    /// [`HsmSigner::generate`] cannot make keys of this algorithm.
    #[error("HSM keys of algorithm {0} are not supported")]
    UnsupportedAlgorithm(KeyAlgorithm),
    /// A signature made with the private key does not verify with the
    /// public key of the same label.
    #[error("PKCS#11 key {label:?}: the public key does not match the private key")]
    KeyMismatch {
        /// The key label.
        label: String,
    },
    /// Another PKCS#11 call failed.
    #[error("PKCS#11 {operation}: {detail}")]
    Pkcs11 {
        /// What was being done.
        operation: &'static str,
        /// The PKCS#11 function and return value.
        detail: String,
    },
}

impl HsmError {
    fn pkcs11(operation: &'static str, error: &CkError) -> HsmError {
        HsmError::Pkcs11 {
            operation,
            detail: describe(error),
        }
    }
}

/// A PKCS#11 error, briefly: `C_Sign: DeviceError` (the crate's Display
/// of a return value is a paragraph of the specification).
fn describe(error: &CkError) -> String {
    match error {
        CkError::Pkcs11(rv, function) => format!("C_{function:?}: {rv:?}"),
        other => other.to_string(),
    }
}

/// A process's view of a loaded module: its context, and the PINs it has
/// logged in to each token with.
struct Module {
    context: Pkcs11,
    logins: Mutex<HashMap<TokenId, Zeroizing<Vec<u8>>>>,
    /// Held while generating, so that two key pairs of one label are not
    /// made at once in this process.
    generating: Mutex<()>,
}

/// A token: its slot and serial number.
#[derive(Clone, PartialEq, Eq, Hash)]
struct TokenId {
    slot: u64,
    serial: String,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The context of `path`, loaded and initialized on first use.
fn module(path: &Path) -> Result<Arc<Module>, HsmError> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Arc<Module>>>> = OnceLock::new();
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut modules = lock(MODULES.get_or_init(Mutex::default));
    if let Some(module) = modules.get(&key) {
        return Ok(Arc::clone(module));
    }
    let failed = |e: &CkError| HsmError::Module {
        module: path.display().to_string(),
        detail: describe(e),
    };
    let context = Pkcs11::new(path).map_err(|e| failed(&e))?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(failed(&e)),
    }
    let module = Arc::new(Module {
        context,
        logins: Mutex::default(),
        generating: Mutex::default(),
    });
    modules.insert(key, Arc::clone(&module));
    Ok(module)
}

/// The slot of the one initialized token labelled `label`.
fn find_token(context: &Pkcs11, label: &str) -> Result<(Slot, TokenId), HsmError> {
    let wanted = label.trim_end_matches(' ');
    let slots = context
        .get_slots_with_initialized_token()
        .map_err(|e| HsmError::pkcs11("listing slots", &e))?;
    let mut found = Vec::new();
    for slot in slots {
        let info = context
            .get_token_info(slot)
            .map_err(|e| HsmError::pkcs11("reading token info", &e))?;
        if info.label() == wanted {
            found.push((
                slot,
                TokenId {
                    slot: slot.id(),
                    serial: info.serial_number().to_owned(),
                },
            ));
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(HsmError::TokenNotFound {
            token: label.to_owned(),
        }),
        count => Err(HsmError::TokenAmbiguous {
            token: label.to_owned(),
            count,
        }),
    }
}

/// Compares two byte strings in time that depends only on their lengths.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Opens a session on the configured token and logs the user in.
fn open_session(module: &Module, config: &Pkcs11Config, read_write: bool) -> Result<Session, HsmError> {
    let (slot, token) = find_token(&module.context, &config.token_label)?;
    let session = if read_write {
        module.context.open_rw_session(slot)
    } else {
        module.context.open_ro_session(slot)
    }
    .map_err(|e| HsmError::pkcs11("opening a session", &e))?;
    let token_label = || config.token_label.clone();
    let mut logins = lock(&module.logins);
    let pin = AuthPin::from(config.pin.as_str());
    match session.login(UserType::User, Some(&pin)) {
        Ok(()) => {
            logins.insert(token, Zeroizing::new(config.pin.as_bytes().to_vec()));
            Ok(session)
        }
        Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => match logins.get(&token) {
            Some(known) if same_bytes(known, config.pin.as_bytes()) => Ok(session),
            _ => Err(HsmError::PinMismatch { token: token_label() }),
        },
        Err(CkError::Pkcs11(RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange, _)) => {
            Err(HsmError::PinIncorrect { token: token_label() })
        }
        Err(CkError::Pkcs11(RvError::PinLocked, _)) => Err(HsmError::PinLocked { token: token_label() }),
        Err(e) => Err(HsmError::pkcs11("logging in", &e)),
    }
}

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

    /// Generates a key pair labelled `key_label` in the configured token
    /// and opens it: Ed25519 (`CKM_EC_EDWARDS_KEY_PAIR_GEN`), P-256, P-384
    /// or P-521 (`CKM_EC_KEY_PAIR_GEN`). Both are token objects sharing a
    /// random `CKA_ID`; the private key is private, sensitive, not
    /// extractable, and may only sign. Refused when the token already has
    /// objects with this label.
    pub fn generate(config: Pkcs11Config, key_label: &str, algorithm: KeyAlgorithm) -> Result<HsmSigner, HsmError> {
        let (mechanism, params): (Mechanism<'static>, &[&[u8]]) = match algorithm {
            // The OID first (RFC 8410, what SoftHSM 2.6 knows), then the
            // printable string PKCS#11 3.0 also names.
            KeyAlgorithm::Ed25519 => (Mechanism::EccEdwardsKeyPairGen, &[OID_ED25519, PRINTABLE_EDWARDS25519]),
            KeyAlgorithm::P256 => (Mechanism::EccKeyPairGen, &[OID_P256]),
            KeyAlgorithm::P384 => (Mechanism::EccKeyPairGen, &[OID_P384]),
            KeyAlgorithm::P521 => (Mechanism::EccKeyPairGen, &[OID_P521]),
            other => return Err(HsmError::UnsupportedAlgorithm(other)),
        };
        let module = module(&config.module)?;
        let session = open_session(&module, &config, true)?;
        let _generating = lock(&module.generating);
        let existing = session
            .find_objects(&[Attribute::Label(key_label.as_bytes().to_vec())])
            .map_err(|e| HsmError::pkcs11("finding objects", &e))?;
        if !existing.is_empty() {
            return Err(HsmError::KeyExists {
                label: key_label.to_owned(),
            });
        }
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| HsmError::Pkcs11 {
            operation: "drawing a key id",
            detail: e.to_string(),
        })?;
        let common = [
            Attribute::Token(true),
            Attribute::Label(key_label.as_bytes().to_vec()),
            Attribute::Id(id.to_vec()),
        ];
        let private_template = [
            &common[..],
            &[
                Attribute::Private(true),
                Attribute::Sensitive(true),
                Attribute::Extractable(false),
                Attribute::Sign(true),
                Attribute::Decrypt(false),
                Attribute::Derive(false),
                Attribute::Unwrap(false),
            ],
        ]
        .concat();
        let mut last_error = None;
        for params in params {
            let public_template = [
                &common[..],
                &[
                    Attribute::Private(false),
                    Attribute::Verify(true),
                    Attribute::EcParams(params.to_vec()),
                ],
            ]
            .concat();
            match session.generate_key_pair(&mechanism, &public_template, &private_template) {
                Ok((_public, private)) => {
                    let (key, found, public_key) = find_key(&session, key_label)?;
                    if key != private || found != algorithm {
                        return Err(HsmError::KeyMismatch {
                            label: key_label.to_owned(),
                        });
                    }
                    return HsmSigner::checked(module.clone(), config, key_label, session, key, algorithm, public_key);
                }
                Err(
                    e @ CkError::Pkcs11(
                        RvError::AttributeValueInvalid
                        | RvError::DomainParamsInvalid
                        | RvError::CurveNotSupported
                        | RvError::TemplateInconsistent,
                        _,
                    ),
                ) => last_error = Some(e),
                Err(e) => return Err(HsmError::pkcs11("generating a key pair", &e)),
            }
        }
        let error = last_error.unwrap_or(CkError::InvalidValue);
        Err(HsmError::pkcs11("generating a key pair", &error))
    }

    /// The signer over an open session, once a signature verifies.
    fn checked(
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

/// The one private key labelled `label`, its algorithm and public key.
fn find_key(session: &Session, label: &str) -> Result<(ObjectHandle, KeyAlgorithm, PublicKey), HsmError> {
    let find = |class| {
        session
            .find_objects(&[Attribute::Class(class), Attribute::Label(label.as_bytes().to_vec())])
            .map_err(|e| HsmError::pkcs11("finding keys", &e))
    };
    let unsupported = |detail: String| HsmError::UnsupportedKey {
        label: label.to_owned(),
        detail,
    };
    let ambiguous = |count| HsmError::KeyAmbiguous {
        label: label.to_owned(),
        count,
    };
    let private = match find(ObjectClass::PRIVATE_KEY)?[..] {
        [key] => key,
        [] => {
            return Err(HsmError::KeyNotFound {
                label: label.to_owned(),
            })
        }
        ref keys => return Err(ambiguous(keys.len())),
    };
    let read = |object, types: &[AttributeType]| {
        session
            .get_attributes(object, types)
            .map_err(|e| HsmError::pkcs11("reading key attributes", &e))
    };
    let (mut key_type, mut can_sign) = (None, None);
    for attribute in read(private, &[AttributeType::KeyType, AttributeType::Sign])? {
        match attribute {
            Attribute::KeyType(t) => key_type = Some(t),
            Attribute::Sign(s) => can_sign = Some(s),
            _ => {}
        }
    }
    if can_sign == Some(false) {
        return Err(unsupported("the private key may not sign (CKA_SIGN false)".into()));
    }
    // The public key object, or failing one the private key's own point.
    let holder = match find(ObjectClass::PUBLIC_KEY)?[..] {
        [key] => key,
        [] => private,
        ref keys => return Err(ambiguous(keys.len())),
    };
    let (mut params, mut point) = (None, None);
    for attribute in read(holder, &[AttributeType::EcParams, AttributeType::EcPoint])? {
        match attribute {
            Attribute::EcParams(p) => params = Some(p),
            Attribute::EcPoint(p) => point = Some(p),
            _ => {}
        }
    }
    let (Some(params), Some(point)) = (params, point) else {
        return Err(HsmError::PublicKeyNotFound {
            label: label.to_owned(),
        });
    };
    let algorithm = algorithm_of_params(&params)
        .ok_or_else(|| unsupported("CKA_EC_PARAMS names a curve other than Ed25519, P-256, P-384, P-521".into()))?;
    let expected_type = match algorithm {
        KeyAlgorithm::Ed25519 => KeyType::EC_EDWARDS,
        _ => KeyType::EC,
    };
    if key_type.is_some_and(|t| t != expected_type) {
        return Err(unsupported(format!("the private key is not a {algorithm} key")));
    }
    let public_key = public_key_of_point(algorithm, &point).map_err(unsupported)?;
    Ok((private, algorithm, public_key))
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

#[cfg(test)]
mod tests {
    use passerelle::crypto::{P256KeyPair, P384KeyPair, P521KeyPair};

    use super::*;

    /// `n − s` of a signature: the other signature that verifies.
    fn flip_s(signature: &[u8], order: &[u8]) -> Vec<u8> {
        let len = order.len();
        let mut out = signature.to_vec();
        let mut borrow = 0i16;
        for i in (0..len).rev() {
            let mut digit = i16::from(order[i]) - i16::from(signature[len + i]) - borrow;
            borrow = i16::from(digit < 0);
            if digit < 0 {
                digit += 256;
            }
            out[len + i] = digit as u8;
        }
        out
    }

    fn check_low_s(signer: &dyn Signer, algorithm: KeyAlgorithm) {
        let order = ecdsa_order(algorithm).unwrap();
        for i in 0..16u8 {
            let message = [i; 7];
            let low = signer.sign(&message).unwrap();
            let high = flip_s(&low, order);
            // The order is right: n − s verifies too.
            signer.public_key().verify(&message, &high).unwrap();
            let mut normalized = high.clone();
            normalize_low_s(&mut normalized, order);
            assert_eq!(normalized, low, "{algorithm}");
            let mut again = low.clone();
            normalize_low_s(&mut again, order);
            assert_eq!(again, low, "{algorithm}: a low s is kept");
        }
    }

    #[test]
    fn hsm_low_s_against_passerelle_signers() {
        check_low_s(&P256KeyPair::generate().unwrap(), KeyAlgorithm::P256);
        check_low_s(&P384KeyPair::generate().unwrap(), KeyAlgorithm::P384);
        check_low_s(&P521KeyPair::generate().unwrap(), KeyAlgorithm::P521);
    }

    #[test]
    fn hsm_ec_params() {
        assert_eq!(algorithm_of_params(OID_ED25519), Some(KeyAlgorithm::Ed25519));
        assert_eq!(
            algorithm_of_params(b"\x13\x0cedwards25519"),
            Some(KeyAlgorithm::Ed25519)
        );
        assert_eq!(algorithm_of_params(OID_P256), Some(KeyAlgorithm::P256));
        assert_eq!(algorithm_of_params(OID_P384), Some(KeyAlgorithm::P384));
        assert_eq!(algorithm_of_params(OID_P521), Some(KeyAlgorithm::P521));
        // secp256k1 (1.3.132.0.10), Ed448 (1.3.101.113)
        assert_eq!(algorithm_of_params(&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a]), None);
        assert_eq!(algorithm_of_params(&[0x06, 0x03, 0x2b, 0x65, 0x71]), None);
    }

    #[test]
    fn hsm_ec_points_wrapped_or_bare() {
        let ed = passerelle::crypto::Ed25519KeyPair::from_seed(&[4; 32]).public_key();
        let bytes = ed.as_bytes().to_vec();
        let wrapped = [&[0x04, 0x20][..], &bytes].concat();
        assert_eq!(public_key_of_point(KeyAlgorithm::Ed25519, &wrapped).unwrap(), ed);
        assert_eq!(public_key_of_point(KeyAlgorithm::Ed25519, &bytes).unwrap(), ed);

        let p256 = P256KeyPair::generate().unwrap().public_key();
        let PublicKey::P256(key) = p256 else { unreachable!() };
        let (x, y) = key.coordinates();
        let bare = [&[0x04][..], &x, &y].concat();
        let wrapped = [&[0x04, 0x41][..], &bare].concat();
        assert_eq!(public_key_of_point(KeyAlgorithm::P256, &wrapped).unwrap(), p256);
        assert_eq!(public_key_of_point(KeyAlgorithm::P256, &bare).unwrap(), p256);

        let p521 = P521KeyPair::generate().unwrap().public_key();
        let PublicKey::P521(key) = p521 else { unreachable!() };
        let (x, y) = key.coordinates();
        let bare = [&[0x04][..], &x, &y].concat();
        let wrapped = [&[0x04, 0x81, 0x85][..], &bare].concat();
        assert_eq!(public_key_of_point(KeyAlgorithm::P521, &wrapped).unwrap(), p521);

        assert!(public_key_of_point(KeyAlgorithm::P256, &[0x04, 0x01, 0x02]).is_err());
        assert!(public_key_of_point(KeyAlgorithm::Ed25519, &[0x04, 0x20, 1, 2]).is_err());
    }

    #[test]
    fn hsm_config_debug_hides_the_pin() {
        let config = Pkcs11Config::new("/nowhere/libpkcs11.so", "issuer", "pin-4417-secret");
        let shown = format!("{config:?}");
        assert!(
            shown.contains("issuer") && !shown.contains("pin-4417-secret"),
            "{shown}"
        );
    }

    #[test]
    fn hsm_missing_module_is_an_error() {
        let config = Pkcs11Config::new("/nowhere/libpkcs11.so", "issuer", "pin-4417-secret");
        let error = HsmSigner::open(config, "key").unwrap_err();
        assert!(matches!(error, HsmError::Module { .. }), "{error}");
        assert!(!error.to_string().contains("pin-4417-secret"));
    }
}
