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

use std::fmt;
use std::path::PathBuf;

use zeroize::Zeroizing;

mod encoding;
mod error;
mod generate;
mod lookup;
mod session;
mod signer;

pub use error::HsmError;
pub use signer::HsmSigner;

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

#[cfg(test)]
mod tests {
    use super::*;

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
