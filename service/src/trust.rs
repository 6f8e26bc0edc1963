//! The trust registry a service may be given: signed registry snapshots
//! read from files under trust anchors. With one, a tenant is refused
//! (before anything is signed) a credential type its registry does not
//! authorize it for, verification reports run the trust check, and the
//! TRQP v2 endpoints answer from it under `/trqp`.

use std::path::PathBuf;

use axum::http::StatusCode;
use passerelle::did::{DidDocument, StaticResolver};
use passerelle::registry::TrustStore;
use passerelle::Timestamp;

use crate::problem::Problem;

/// Where the trust registry comes from.
#[derive(Clone, Debug, Default)]
pub struct TrustSources {
    /// The registries trusted as roots (DIDs).
    pub anchors: Vec<String>,
    /// Signed snapshot files, loaded in order.
    pub snapshots: Vec<PathBuf>,
    /// DID documents of registries that are not did:key or did:jwk.
    pub did_documents: Vec<PathBuf>,
}

/// Loads the snapshots (each opened: signature, freshness at `now`,
/// rollback) into a store under the anchors.
pub fn load(sources: &TrustSources, now: Timestamp) -> Result<TrustStore, String> {
    let mut resolver = StaticResolver::default();
    for path in &sources.did_documents {
        let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value = serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        resolver.insert(DidDocument::from_json(value).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let mut store = TrustStore::new(sources.anchors.iter().cloned());
    for path in &sources.snapshots {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        store
            .load_snapshot(&bytes, &resolver, now)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(store)
}

/// Refuses `types` (besides `VerifiableCredential`) that the registry does
/// not authorize `issuer` for at `now`, with the registry's code; a
/// snapshot on the way past its `validUntil` is `SNAPSHOT_STALE`.
pub fn check_issuance(store: &TrustStore, issuer: &str, types: &[String], now: Timestamp) -> Result<(), Problem> {
    for credential_type in types.iter().filter(|t| *t != "VerifiableCredential") {
        let answer = store.authorize_issuer(issuer, &[credential_type.as_str()], now);
        let refusal = match (answer.authorized, answer.reason) {
            (true, _) => store.stale_on(&answer.path, now),
            (false, Some(reason)) => Some(reason),
            (false, None) => Some(passerelle::Error::new(
                passerelle::ErrorCode::IssuerNotAuthorized,
                format!("{issuer} is not authorized for {credential_type}"),
            )),
        };
        if let Some(reason) = refusal {
            return Err(Problem::library(StatusCode::FORBIDDEN, &reason));
        }
    }
    Ok(())
}
