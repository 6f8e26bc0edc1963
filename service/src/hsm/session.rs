//! The PKCS#11 modules a process has loaded (each initialized once, never
//! finalized), the token of a label, and logged-in sessions on it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use zeroize::Zeroizing;

use super::error::{describe, HsmError};
use super::Pkcs11Config;

/// A process's view of a loaded module: its context, and the PINs it has
/// logged in to each token with.
pub(super) struct Module {
    context: Pkcs11,
    logins: Mutex<HashMap<TokenId, Zeroizing<Vec<u8>>>>,
    /// Held while generating, so that two key pairs of one label are not
    /// made at once in this process.
    pub(super) generating: Mutex<()>,
}

/// A token: its slot and serial number.
#[derive(Clone, PartialEq, Eq, Hash)]
struct TokenId {
    slot: u64,
    serial: String,
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The context of `path`, loaded and initialized on first use.
pub(super) fn module(path: &Path) -> Result<Arc<Module>, HsmError> {
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
pub(super) fn open_session(module: &Module, config: &Pkcs11Config, read_write: bool) -> Result<Session, HsmError> {
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
