//! Trust registries: which issuers a government (or a body it recognizes)
//! authorizes to issue which credentials, and which registries recognize
//! which, following the ToIP Trust Registry Query Protocol v2 vocabulary.
//!
//! A verifier trusts one or more roots (for example the federal registry).
//! Trust flows down recognition edges, whose scopes only narrow; an issuer
//! is authorized when a registry on such a path authorizes it for the
//! credential's type at the time the credential was issued. Registries are
//! read from signed snapshots, so a browser can answer offline.

#[cfg(feature = "native")]
pub mod client;
mod model;
mod read;
mod resolve;
#[cfg(feature = "server")]
pub mod server;
mod snapshot;
mod store;
pub mod trqp;

pub use model::{jurisdiction_covers, pattern_covers, Authorization, Bilingual, Recognition, Registry, Scope, Status};
pub use resolve::{render_path, PathStep, TrustAnswer, Wanted, MAX_HOPS};
pub use snapshot::{claimed_registry_id, open_snapshot, sign_snapshot, Snapshot, MAX_SNAPSHOT_BYTES, SNAPSHOT_TYPE};
pub use store::TrustStore;

/// Where the `trust` check gets its answers: local snapshots
/// ([`TrustStore`]) or a remote TRQP registry (`client::TrqpClient`, feature
/// `native`).
pub trait TrustResolver {
    /// The trust anchors; the `trust` check is skipped when there are none.
    fn anchors(&self) -> &[String];

    /// Whether `issuer` is authorized for one of `types` at `time`, with the
    /// evidence path or the reason.
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: crate::Timestamp) -> TrustAnswer;
}

impl TrustResolver for TrustStore {
    fn anchors(&self) -> &[String] {
        TrustStore::anchors(self)
    }

    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: crate::Timestamp) -> TrustAnswer {
        TrustStore::authorize_issuer(self, issuer, types, time)
    }
}
