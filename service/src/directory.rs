//! What the service publishes and verifies with, built from the database
//! and kept in memory: each tenant's DID document (a did:webvh tenant's
//! log, verified) and signing issuer, and each status list credential,
//! signed. Rebuilt when the database says it changed (a tenant added or
//! its types replaced, a key added, rotated or retired, a log entry added,
//! a list's version bumped), so several instances sharing one database
//! publish the same documents and statuses and apply the same policy.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use passerelle::did::{DidDocument, DidResolver};
use passerelle::status::{StatusList, StatusResolver};
use passerelle::{Error, ErrorCode, Issuer, Timestamp};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::db::{Db, KeyRow, ListRow, TenantRow};
use crate::hsm::HsmSigner;
use crate::keys::{check_hsm, open_hsm, open_local, KeyStore, SharedHsmSigner, TenantSigner};
use crate::webvh::{self, PublishedLog};

/// How long a published status list credential is valid; it is signed
/// again when a status changes and when a quarter of this is left.
pub const LIST_VALIDITY_SECONDS: i64 = 24 * 3600;

/// A tenant ready to issue.
pub struct Tenant {
    /// As stored.
    pub row: TenantRow,
    /// Its DID document (every key but retired ones; a did:webvh
    /// tenant's is its log's latest).
    pub document: Value,
    /// The issuer signing with its active key.
    pub issuer: Issuer<TenantSigner>,
}

/// A signed status list credential as served.
#[derive(Clone, Debug)]
pub struct Published {
    /// The list's version it shows.
    pub version: i64,
    /// When it was signed.
    pub signed: Timestamp,
    /// The credential, JSON text.
    pub bytes: Arc<Vec<u8>>,
    /// Its SHA-256, the `ETag`.
    pub etag: String,
}

#[derive(Default)]
struct Inner {
    /// The tenants' summary ([`Db::summary`]) they were last loaded at.
    fingerprint: Option<[i64; 6]>,
    tenants: HashMap<String, Arc<Tenant>>,
    /// The did:web tenants' documents, by DID.
    documents: HashMap<String, DidDocument>,
    /// The did:webvh tenants' logs, by DID: verified, or why not.
    logs: HashMap<String, std::result::Result<Arc<PublishedLog>, Error>>,
    lists: HashMap<String, Published>,
    /// The HSM signers of active keys, by label: kept from one load to
    /// the next (opening one costs a session and a test signature).
    hsm: HashMap<String, Arc<HsmSigner>>,
    /// The lists' summary ([`Db::summary`]) they were last brought up to date with.
    lists_summary: Option<(i64, i64)>,
    /// Tenants that cannot sign, by name.
    unavailable: HashMap<String, Unavailable>,
}

/// A tenant that cannot sign (its key does not open, its DID was made for
/// another public URL, its DID log does not verify): refused alone, its
/// DID document still published when it has one.
#[derive(Clone, Debug)]
pub struct Unavailable {
    /// Its DID.
    pub did: String,
    /// Its DID document; none when its DID log does not verify.
    pub document: Option<Value>,
    /// The code of why it cannot sign (`KEY_INVALID`, `DID_LOG_INVALID`).
    pub code: ErrorCode,
    /// Why it cannot sign.
    pub reason: String,
}

/// The tenants and published lists, shared by every request.
#[derive(Clone)]
pub struct Directory {
    /// The URL the service is reached at: its tenants' DIDs derive from it.
    public_url: Arc<str>,
    inner: Arc<RwLock<Inner>>,
    /// Bumped whenever a document or a list changes: a verifier made
    /// before keeps what it read, and must be replaced.
    generation: Arc<AtomicU64>,
}

/// The did:web DID of tenant `id` when the service is reached at
/// `public_url`: `did:web:` and its [`tenant_location`].
pub fn tenant_did(public_url: &str, id: &str) -> String {
    format!("did:web:{}", tenant_location(public_url, id))
}

/// Where tenant `id`'s DID document is when the service is reached at
/// `public_url`, as a did:web or did:webvh spells it: the host, its port
/// percent-encoded, then the path and `tenants:{id}`.
pub fn tenant_location(public_url: &str, id: &str) -> String {
    let rest = public_url
        .trim_end_matches('/')
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut location = host.replace(':', "%3A");
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        location.push(':');
        location.push_str(segment);
    }
    location.push_str(":tenants:");
    location.push_str(id);
    location
}

/// The DID document of `did` with its `keys` but the retired ones: each a
/// Multikey verification method, for assertions and authentication.
pub fn did_document(did: &str, keys: &[KeyRow]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .filter(|k| !k.retired)
        .map(|k| {
            json!({
                "id": format!("{did}#{}", k.key_id),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": k.public_multikey,
            })
        })
        .collect();
    let ids: Vec<Value> = methods.iter().map(|m| m["id"].clone()).collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    })
}

/// The URL of a tenant's status list.
pub fn list_url(public_url: &str, tenant: &str, purpose: &str, seq: i64) -> String {
    format!(
        "{}/tenants/{tenant}/status/{purpose}/{seq}",
        public_url.trim_end_matches('/')
    )
}

fn failed(what: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::StatusStoreFailed, what.to_string())
}

impl Directory {
    /// An empty directory of the service reached at `public_url`.
    pub fn new(public_url: &str) -> Directory {
        Directory {
            public_url: Arc::from(public_url.trim_end_matches('/')),
            inner: Arc::default(),
            generation: Arc::default(),
        }
    }

    /// Why tenant `id` cannot sign, if it cannot.
    pub fn unavailable(&self, id: &str) -> Option<Unavailable> {
        self.read().unavailable.get(id).cloned()
    }

    /// How many tenants cannot sign.
    pub fn unavailable_count(&self) -> usize {
        self.read().unavailable.len()
    }

    /// Reloads tenants and keys if the database's changed since the last
    /// load. A tenant whose active key does not open (a sealed key under
    /// another key-encryption key, an HSM key without a token configured,
    /// or whose public key in the token is not the one in the database)
    /// fails the load, with an error naming it.
    pub async fn refresh_tenants(&self, db: &Db, keys: &KeyStore) -> Result<(), Error> {
        let fingerprint = db.summary().await.map_err(failed)?.tenants;
        self.refresh_tenants_at(db, keys, fingerprint).await
    }

    /// Reloads tenants, keys and DID logs unless `fingerprint` (just read
    /// from the database) is the one last loaded. Each did:webvh tenant's
    /// log is verified whole: one that does not verify is not published,
    /// and its tenant neither signs nor verifies.
    pub async fn refresh_tenants_at(&self, db: &Db, keys: &KeyStore, fingerprint: [i64; 6]) -> Result<(), Error> {
        if self.read().fingerprint == Some(fingerprint) {
            return Ok(());
        }
        let mut tenants = HashMap::new();
        let mut documents = HashMap::new();
        let mut logs = HashMap::new();
        let mut unavailable = HashMap::new();
        let mut hsm = HashMap::new();
        for row in db.tenants().await.map_err(failed)? {
            let tenant_keys = db.keys(&row.id).await.map_err(failed)?;
            let document = if webvh::is_webvh(&row.did) {
                let entries = db.did_log(&row.id).await.map_err(failed)?;
                let loaded = webvh::load(&row.did, &entries, &tenant_keys).map(Arc::new);
                logs.insert(row.did.clone(), loaded.clone());
                match loaded {
                    Ok(log) => log.document.clone(),
                    Err(reason) => {
                        tracing::error!(tenant = %row.id, %reason, "the tenant's DID log is not published");
                        unavailable.insert(row.id.clone(), unavailable_for(&row, None, &reason));
                        continue;
                    }
                }
            } else {
                let document = did_document(&row.did, &tenant_keys);
                documents.insert(row.did.clone(), DidDocument::from_json(document.clone())?);
                document
            };
            // A tenant that cannot sign is refused alone: the others, and
            // its own published documents, stay available.
            match self.issuer_of(keys, &row, &tenant_keys, &mut hsm).await {
                Ok(issuer) => {
                    tenants.insert(row.id.clone(), Arc::new(Tenant { row, document, issuer }));
                }
                Err(reason) => {
                    tracing::error!(tenant = %row.id, %reason, "the tenant cannot issue");
                    unavailable.insert(row.id.clone(), unavailable_for(&row, Some(document), &reason));
                }
            }
        }
        let mut inner = self.write();
        inner.fingerprint = Some(fingerprint);
        inner.tenants = tenants;
        inner.documents = documents;
        inner.logs = logs;
        inner.unavailable = unavailable;
        // Signers of keys no longer active are dropped (their sessions
        // close once no tenant loaded before holds them).
        inner.hsm = hsm;
        // Lists are signed again, with the keys active now.
        inner.lists.clear();
        inner.lists_summary = None;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// The issuer of `row` with its active key, or why it has none.
    async fn issuer_of(
        &self,
        keys: &KeyStore,
        row: &TenantRow,
        tenant_keys: &[KeyRow],
        hsm: &mut HashMap<String, Arc<HsmSigner>>,
    ) -> Result<Issuer<TenantSigner>, Error> {
        let made_here = if webvh::is_webvh(&row.did) {
            webvh::location(&row.did) == Some(tenant_location(&self.public_url, &row.id).as_str())
        } else {
            row.did == tenant_did(&self.public_url, &row.id)
        };
        if !made_here {
            return Err(Error::new(
                ErrorCode::KeyInvalid,
                format!(
                    "tenant {}: its DID {} was made for another public URL than {} (give the same --public-url to every command)",
                    row.id, row.did, self.public_url
                ),
            ));
        }
        let Some(active) = tenant_keys.iter().rev().find(|k| k.active) else {
            return Err(Error::new(
                ErrorCode::KeyInvalid,
                format!("tenant {} has no active key", row.id),
            ));
        };
        let key_invalid = |e: crate::keys::KeyError| Error::new(ErrorCode::KeyInvalid, e.to_string());
        let signer: TenantSigner = match (&active.sealed_secret, &active.hsm_label) {
            (Some(sealed), None) => {
                open_local(&keys.kek, &row.id, &active.key_id, sealed, &active.public_multikey).map_err(key_invalid)?
            }
            (None, Some(label)) => {
                let signer = self
                    .hsm_signer(keys, &row.id, active, label)
                    .await
                    .map_err(key_invalid)?;
                hsm.insert(label.clone(), Arc::clone(&signer));
                Box::new(SharedHsmSigner(signer))
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::KeyInvalid,
                    format!(
                        "tenant {}: its active key {} has {} sealed secret and {} HSM label",
                        row.id,
                        active.key_id,
                        if active.sealed_secret.is_some() { "a" } else { "no" },
                        if active.hsm_label.is_some() { "an" } else { "no" },
                    ),
                ))
            }
        };
        Issuer::new(signer, format!("{}#{}", row.did, active.key_id))
    }

    /// The signer of the HSM key `active` of `tenant`: the one opened
    /// before if it has the same public key, else opened from the token
    /// and checked against the database's public key.
    async fn hsm_signer(
        &self,
        keys: &KeyStore,
        tenant: &str,
        active: &KeyRow,
        label: &str,
    ) -> Result<Arc<HsmSigner>, crate::keys::KeyError> {
        let kept = self.read().hsm.get(label).cloned();
        if let Some(signer) = kept {
            if check_hsm(&signer, tenant, &active.key_id, &active.public_multikey).is_ok() {
                return Ok(signer);
            }
        }
        let signer = open_hsm(keys, tenant, &active.key_id, label, &active.public_multikey).await?;
        Ok(Arc::new(signer))
    }

    /// A number that changes whenever a DID document or a list does.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The tenant named `id`, as last loaded.
    pub fn tenant(&self, id: &str) -> Option<Arc<Tenant>> {
        self.read().tenants.get(id).cloned()
    }

    /// The log of the did:webvh `did` of a tenant, verified (or why it does
    /// not verify); `None` for another DID.
    pub fn did_log(&self, did: &str) -> Option<std::result::Result<Arc<PublishedLog>, Error>> {
        self.read().logs.get(did).cloned()
    }

    /// The tenant whose DID is `did`.
    pub fn tenant_by_did(&self, did: &str) -> Option<Arc<Tenant>> {
        self.read().tenants.values().find(|t| t.row.did == did).cloned()
    }

    /// The list at `url` signed as the database has it now: the one kept
    /// if its version is current and it is fresh at `now`, else signed
    /// again.
    pub async fn published(&self, db: &Db, row: &ListRow, now: Timestamp) -> Result<Published, Error> {
        if let Some(kept) = self.read().lists.get(&row.url) {
            if kept.version == row.version && !stale(kept.signed, now) {
                return Ok(kept.clone());
            }
        }
        let (version, statuses) = db.list_statuses(&row.url).await.map_err(failed)?;
        let tenant = self
            .tenant(&row.tenant_id)
            .ok_or_else(|| failed(format!("tenant {} of list {} cannot sign", row.tenant_id, row.url)))?;
        let mut list = StatusList::new(
            row.url.clone(),
            &row.purpose,
            u64::try_from(row.entries).unwrap_or(0),
            1,
        )?;
        for (index, status) in statuses {
            let index = u64::try_from(index).map_err(failed)?;
            list.allocate_at(index)?;
            list.set(index, u8::try_from(status).map_err(failed)?)?;
        }
        // With an HSM key this blocks the task while the token signs: fine
        // for SoftHSM and a local token (a list is signed again only when
        // it changes or grows stale); a network HSM would want
        // `spawn_blocking` here, as in the writer.
        let credential = list.publish(&tenant.issuer, now, Some(now.plus_seconds(LIST_VALIDITY_SECONDS)))?;
        let bytes = serde_json::to_vec(&credential).map_err(failed)?;
        let etag = format!("\"{}\"", hex(&Sha256::digest(&bytes)));
        let published = Published {
            version,
            signed: now,
            bytes: Arc::new(bytes),
            etag,
        };
        let mut inner = self.write();
        let keep = inner.lists.get(&row.url).is_none_or(|k| k.version <= version);
        if keep {
            inner.lists.insert(row.url.clone(), published.clone());
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        Ok(published)
    }

    /// Signs again every list whose version changed or that grew stale, so
    /// that a verification sees every acknowledged status change.
    pub async fn refresh_lists(&self, db: &Db, now: Timestamp) -> Result<(), Error> {
        let summary = db.summary().await.map_err(failed)?;
        self.refresh_lists_at(db, now, summary.lists).await
    }

    /// As [`Directory::refresh_lists`], with the lists' summary just read
    /// from the database: nothing is read again if it is the one last
    /// brought up to date and no list kept grew stale.
    pub async fn refresh_lists_at(&self, db: &Db, now: Timestamp, summary: (i64, i64)) -> Result<(), Error> {
        {
            let inner = self.read();
            if inner.lists_summary == Some(summary) && !inner.lists.values().any(|k| stale(k.signed, now)) {
                return Ok(());
            }
        }
        for row in db.lists().await.map_err(failed)? {
            // A tenant that cannot sign publishes no list: its credentials'
            // status cannot be checked, the other tenants' still can.
            if self.tenant(&row.tenant_id).is_none() {
                continue;
            }
            let current = self
                .read()
                .lists
                .get(&row.url)
                .is_some_and(|k| k.version == row.version && !stale(k.signed, now));
            if !current {
                self.published(db, &row, now).await?;
            }
        }
        // What was read after `summary`: a change since then shows as
        // another summary next time.
        self.write().lists_summary = Some(summary);
        Ok(())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        // A panic while holding the lock leaves data that is still whole.
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn stale(signed: Timestamp, now: Timestamp) -> bool {
    now.unix_seconds() - signed.unix_seconds() > LIST_VALIDITY_SECONDS * 3 / 4
        || now.unix_seconds() < signed.unix_seconds()
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A tenant that cannot sign, and why.
fn unavailable_for(row: &TenantRow, document: Option<Value>, reason: &Error) -> Unavailable {
    Unavailable {
        did: row.did.clone(),
        document,
        code: reason.code(),
        reason: reason.detail().to_owned(),
    }
}

/// A did:web tenant's document is the same at every time; a did:webvh
/// tenant's is the version of its log in force at `time` (the
/// verification's), and a log that did not verify resolves to its error.
impl DidResolver for Directory {
    fn resolve(&self, did: &str, time: Timestamp) -> passerelle::Result<DidDocument> {
        let inner = self.read();
        if let Some(document) = inner.documents.get(did) {
            return Ok(document.clone());
        }
        match inner.logs.get(did) {
            Some(Ok(log)) => log.verified.document_at(time),
            Some(Err(e)) => Err(e.clone()),
            None => Err(Error::new(
                ErrorCode::DidNotFound,
                format!("{did} is not a tenant of this service"),
            )),
        }
    }
}

impl StatusResolver for Directory {
    fn status_list(&self, url: &str) -> passerelle::Result<Vec<u8>> {
        self.read()
            .lists
            .get(url)
            .map(|p| p.bytes.as_ref().clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::StatusListUnavailable,
                    format!("{url} is not published by this service"),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_dids_follow_did_web_from_the_public_url() {
        assert_eq!(
            tenant_did("http://127.0.0.1:8080", "demo"),
            "did:web:127.0.0.1%3A8080:tenants:demo"
        );
        assert_eq!(
            tenant_did("https://vc.gov.bc.ca/", "mines"),
            "did:web:vc.gov.bc.ca:tenants:mines"
        );
        assert_eq!(tenant_did("https://x.ca/issuer", "a"), "did:web:x.ca:issuer:tenants:a");
        let url = passerelle::did::web::document_url(&tenant_did("https://x.ca:8443/issuer", "a")).unwrap();
        assert_eq!(url, "https://x.ca:8443/issuer/tenants/a/did.json");
        assert_eq!(
            tenant_location("https://x.ca:8443/issuer", "a"),
            "x.ca%3A8443:issuer:tenants:a"
        );
    }

    #[test]
    fn a_did_webvh_maps_to_the_log_beside_the_did_web_document() {
        let scid = "QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE";
        let did = format!("did:webvh:{scid}:{}", tenant_location("https://x.ca:8443/issuer/", "a"));
        let url = passerelle::did::webvh::log_url(&did).unwrap();
        assert_eq!(url, "https://x.ca:8443/issuer/tenants/a/did.jsonl");
    }
}
