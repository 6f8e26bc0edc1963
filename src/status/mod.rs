//! Bitstring Status List v1.0: revocation, suspension and status messages.
//!
//! Issuer side: a [`StatusList`] allocates random indexes without reuse,
//! sets statuses, and is published as a signed
//! `BitstringStatusListCredential`; a [`StatusStore`] keeps it (in memory, or
//! in files written atomically). Verifier side: a [`StatusResolver`] supplies
//! status list credentials by URL (offline map here; HTTP behind `native`
//! later); the verifier checks each list's proof, issuer, validity and purpose,
//! expands it in bounded memory, caches it, and reports a `status` check.
//!
//! IETF Token Status Lists (the `status.status_list` of an SD-JWT VC) are
//! read and written by `token` (feature `sd-jwt`).

mod bitstring;
mod entry;
mod gzip;
mod list;
mod store;
#[cfg(feature = "sd-jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "sd-jwt")))]
pub mod token;

pub use bitstring::{Bitstring, MAX_ENCODED_CHARS, MAX_EXPANDED_BYTES, MIN_ENTRIES};
pub use entry::{
    check_messages, check_references, CredentialStatus, StatusEntry, StatusPurpose, BITSTRING_STATUS_LIST_ENTRY,
};
pub use list::StatusList;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub use store::FileStatusStore;
pub use store::{allocate, set_status, MemoryStatusStore, StatusStore};

use crate::error::{Error, ErrorCode, Result};

/// Largest status list credential accepted, in bytes.
pub const MAX_LIST_CREDENTIAL_BYTES: usize = 8 * 1024 * 1024;

/// Supplies status list credentials (their bytes) by URL.
pub trait StatusResolver {
    /// The status list credential published at `url`;
    /// `STATUS_LIST_UNAVAILABLE` when it cannot be had.
    fn status_list(&self, url: &str) -> Result<Vec<u8>>;
}

/// Status list credentials the caller already has, keyed by URL.
///
/// ```
/// use passerelle::status::{StaticStatusLists, StatusResolver};
/// let mut lists = StaticStatusLists::default();
/// lists.insert("https://status.example/1", b"{}".to_vec());
/// assert!(lists.status_list("https://status.example/1").is_ok());
/// assert_eq!(lists.status_list("https://status.example/2").unwrap_err().code().as_str(), "STATUS_LIST_UNAVAILABLE");
/// ```
#[derive(Clone, Debug, Default)]
pub struct StaticStatusLists {
    lists: crate::table::Table<Vec<u8>>,
}

impl StaticStatusLists {
    /// Adds the credential `bytes` published at `url`.
    pub fn insert(&mut self, url: impl Into<String>, bytes: Vec<u8>) {
        self.lists.insert(url.into(), bytes);
    }

    /// Adds a status list credential under its own `id`, or (feature
    /// `sd-jwt`) an IETF Status List Token under its `sub` ([`list_url`]).
    pub fn insert_credential(&mut self, bytes: Vec<u8>) -> Result<String> {
        let url = list_url(&bytes)?;
        self.lists.insert(url.clone(), bytes);
        Ok(url)
    }
}

/// The URL a status list says it is published at: a status list
/// credential's `id`, or (feature `sd-jwt`) an IETF Status List Token's
/// `sub` (a compact JWS). Nothing is verified here: the verifier checks
/// what it reads.
pub fn list_url(bytes: &[u8]) -> Result<String> {
    let limits = crate::json::Limits {
        max_bytes: MAX_LIST_CREDENTIAL_BYTES,
        ..Default::default()
    };
    let (document, key) = match std::str::from_utf8(bytes) {
        // Only SD-JWT VCs refer to Status List Tokens.
        Ok(text) if cfg!(feature = "sd-jwt") && crate::jose::looks_like_compact_jws(text.trim().as_bytes()) => {
            (crate::jose::parse_signed_jwt(text.trim(), limits)?.payload, "sub")
        }
        _ => (crate::json::parse_object(bytes, limits)?, "id"),
    };
    document
        .get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::StatusListInvalid,
                "a status list credential needs an id, a Status List Token a sub",
            )
        })
}

impl StatusResolver for StaticStatusLists {
    fn status_list(&self, url: &str) -> Result<Vec<u8>> {
        self.lists
            .get(url)
            .cloned()
            .ok_or_else(|| Error::new(ErrorCode::StatusListUnavailable, format!("no status list {url}")))
    }
}

/// Status list credentials fetched over HTTPS (feature `native`), with the
/// same guards as `did:web` resolution: a timeout, a size limit, no
/// redirects, no private or loopback addresses unless allowed. Verified lists
/// are cached by the verifier for their `ttl`.
#[cfg(feature = "native")]
pub struct HttpStatusLists {
    web: crate::did::web_resolver::WebResolver,
}

#[cfg(feature = "native")]
impl HttpStatusLists {
    /// A fetcher that gives up after `timeout`.
    pub fn new(timeout: std::time::Duration) -> Self {
        HttpStatusLists {
            web: crate::did::web_resolver::WebResolver::new(timeout),
        }
    }

    /// Uses `web`'s address policy (for example, loopback allowed in tests).
    pub fn with_policy(web: crate::did::web_resolver::WebResolver) -> Self {
        HttpStatusLists { web }
    }
}

#[cfg(feature = "native")]
impl StatusResolver for HttpStatusLists {
    fn status_list(&self, url: &str) -> Result<Vec<u8>> {
        if !url.starts_with("https://") {
            return Err(Error::new(
                ErrorCode::StatusListUnavailable,
                format!("{url}: only https URLs are fetched"),
            ));
        }
        self.web
            .get(url, url, MAX_LIST_CREDENTIAL_BYTES as u64)
            .map_err(|e| Error::new(ErrorCode::StatusListUnavailable, e.detail().to_owned()))
    }
}
