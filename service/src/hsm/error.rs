//! Why a token or key could not be opened or generated ([`HsmError`]),
//! and PKCS#11 errors told briefly.

use cryptoki::error::Error as CkError;
use passerelle::crypto::KeyAlgorithm;

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
    /// [`HsmSigner::generate`](super::HsmSigner::generate) found objects with this label already.
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
    /// [`HsmSigner::generate`](super::HsmSigner::generate) cannot make keys of this algorithm.
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
    pub(super) fn pkcs11(operation: &'static str, error: &CkError) -> HsmError {
        HsmError::Pkcs11 {
            operation,
            detail: describe(error),
        }
    }
}

/// A PKCS#11 error, briefly: `C_Sign: DeviceError` (the crate's Display
/// of a return value is a paragraph of the specification).
pub(super) fn describe(error: &CkError) -> String {
    match error {
        CkError::Pkcs11(rv, function) => format!("C_{function:?}: {rv:?}"),
        other => other.to_string(),
    }
}
