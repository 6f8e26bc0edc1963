//! The sources a verifier resolves from, and [`KeptVerifier`], the
//! verifier that keeps what calls give it.

use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::did::{DidDocument, DidResolver};
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self};
use crate::registry::{TrustResolver, TrustStore};
use crate::status::StatusResolver;
use crate::table::Table;
use crate::time::Timestamp;
use crate::verify::{Report, Verifier, VerifyOptions};

use super::{Inputs, LogResolution, CAPACITY, OPTION_LIMITS};

/// An entry supplied to a verifier: its value, the SHA-256 of the content it
/// was read from (when kept across calls), and whether it was given when
/// the verifier was made (kept whatever the number).
pub(super) struct Entry<V> {
    value: V,
    digest: Option<[u8; 32]>,
    standing: bool,
}

/// A DID document not yet read: its JSON text and, for a verifier kept
/// across calls, its digest (a document supplied again unchanged is not
/// read again).
pub(super) enum Document {
    Read(DidDocument),
    Text(Vec<u8>),
}

/// What verification resolves from: DID documents, did:webvh logs, status
/// list credentials.
#[derive(Default)]
pub(super) struct Sources {
    documents: Table<Entry<DidDocument>>,
    /// The DID of each document kept, by hex digest of its text.
    by_digest: Table<String>,
    /// did:webvh logs (did.jsonl text), by DID.
    logs: Table<Entry<Vec<u8>>>,
    lists: Table<Entry<Vec<u8>>>,
    /// The time did:webvh logs are verified at (the call's).
    time: Option<Timestamp>,
    webvh: Option<LogResolution>,
    fallback: Option<Box<dyn DidResolver + Send + Sync>>,
    /// Where lists nothing supplied are asked for.
    fallback_status: Option<Arc<dyn StatusResolver + Send + Sync>>,
    /// How many times a status list was read to be verified (for tests).
    pub(super) lists_read: usize,
    /// How many times a supplied DID document was resolved (for tests).
    pub(super) documents_read: usize,
}

pub(super) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(digest: &[u8; 32]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Inserts `value` at `key` unless the same content is there; returns
/// whether an entry of other content was replaced or the call entries were
/// dropped to make room (what a verified status list may depend on changed).
pub(super) fn keep<V>(table: &mut Table<Entry<V>>, key: String, entry: Entry<V>) -> bool {
    let mut changed = false;
    if let Some(old) = table.get(&key) {
        if old.digest.is_some() && old.digest == entry.digest {
            return false;
        }
        changed = true;
    } else if !entry.standing && table.values().filter(|e| !e.standing).count() >= CAPACITY {
        table.retain(|e| e.standing);
        changed = true;
    }
    table.insert(key, entry);
    changed
}

impl Sources {
    /// Adds a document; returns whether something a verified list may
    /// depend on changed.
    fn add_document(&mut self, document: Document, digest: Option<[u8; 32]>, standing: bool) -> Result<bool> {
        let hex = digest.as_ref().map(hex);
        if let Some(hex) = &hex {
            if let Some(did) = self.by_digest.get(hex) {
                if self.documents.get(did).is_some_and(|e| e.digest == digest) {
                    return Ok(false);
                }
            }
        }
        let document = match document {
            Document::Read(document) => document,
            Document::Text(text) => DidDocument::from_json(json::parse_strict(&text, OPTION_LIMITS)?)?,
        };
        let did = document.id().to_owned();
        if let Some(hex) = hex {
            if self.by_digest.len() >= 4 * CAPACITY {
                self.by_digest.clear();
            }
            self.by_digest.insert(hex, did.clone());
        }
        let entry = Entry {
            value: document,
            digest,
            standing,
        };
        Ok(keep(&mut self.documents, did, entry))
    }
}

/// The sources as the verifier's DID resolver and status list source.
#[derive(Clone)]
pub(super) struct Shared(pub(super) Arc<Mutex<Sources>>);

fn poisoned() -> Error {
    Error::new(
        ErrorCode::DidNotFound,
        "the verifier's sources are unusable after a panic",
    )
}

impl DidResolver for Shared {
    /// Supplied documents are fixed until a call supplies others, when
    /// [`KeptVerifier::supply`] has the verifier forget what it kept.
    fn is_fixed(&self, did: &str) -> bool {
        self.has_document(did)
    }

    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        let mut sources = self.0.lock().map_err(|_| poisoned())?;
        if let Some(document) = sources.documents.get(did).map(|e| e.value.clone()) {
            sources.documents_read += 1;
            return Ok(document);
        }
        if did.starts_with("did:webvh:") {
            let Some(webvh) = sources.webvh else {
                return Err(Error::new(
                    ErrorCode::DidNotFound,
                    format!(
                        "{did}: did:webvh needs the `webvh` feature of passerelle-wasm, which this build leaves out"
                    ),
                ));
            };
            if let Some(log) = sources.logs.get(did) {
                return webvh(did, std::str::from_utf8(&log.value).unwrap_or_default(), time);
            }
        }
        match &sources.fallback {
            Some(fallback) => fallback.resolve(did, time),
            None => Err(Error::new(ErrorCode::DidNotFound, format!("no document for {did}"))),
        }
    }
}

impl Shared {
    fn has_document(&self, did: &str) -> bool {
        self.0.lock().is_ok_and(|sources| sources.documents.get(did).is_some())
    }
}

impl StatusResolver for Shared {
    fn status_list(&self, url: &str) -> Result<Vec<u8>> {
        let fallback = {
            let mut sources = self.0.lock().map_err(|_| poisoned())?;
            sources.lists_read += 1;
            if let Some(entry) = sources.lists.get(url) {
                return Ok(entry.value.clone());
            }
            sources.fallback_status.clone()
        };
        // Fetched without holding the lock.
        match fallback {
            Some(fallback) => fallback.status_list(url),
            None => Err(Error::new(
                ErrorCode::StatusListUnavailable,
                format!("no status list {url}"),
            )),
        }
    }
}

/// A verifier made from [`Inputs`], meant to be reused: with each call it
/// may be given more DID documents, did:webvh logs and status lists, and it
/// keeps them (up to [`CAPACITY`] of each besides those it was made with),
/// with the status lists it verified (for their time to live), keyed by
/// URL or DID and the SHA-256 of their content. What is supplied again
/// unchanged is neither read nor verified again; what changed is.
pub struct KeptVerifier {
    verifier: Verifier<Shared>,
    pub(super) sources: Arc<Mutex<Sources>>,
    /// Whether it has a status source (see [`Inputs::status_source`]).
    has_lists: bool,
    trust: Option<Arc<dyn TrustResolver + Send + Sync>>,
    #[cfg(feature = "rdfc")]
    jsonld: Option<Arc<crate::jsonld::JsonLd>>,
    /// The policies it was made with, which a call's options start from.
    options: VerifyOptions,
    /// Whether it was made with a time, which calls then default to.
    time_given: bool,
}

impl KeptVerifier {
    fn fresh_verifier(&self) -> Verifier<Shared> {
        let shared = Shared(Arc::clone(&self.sources));
        let mut verifier = Verifier::new(shared.clone());
        if self.has_lists {
            verifier = verifier.with_status(shared);
        }
        if let Some(trust) = &self.trust {
            verifier = verifier.with_trust(Arc::clone(trust));
        }
        #[cfg(feature = "rdfc")]
        if let Some(jsonld) = &self.jsonld {
            verifier = verifier.with_contexts(Arc::clone(jsonld));
        }
        verifier
    }

    /// The policies it was made with: a call's [`Inputs`] start from them.
    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }

    /// Inputs for a call: the policies it was made with, nothing supplied
    /// yet, digests on. The time is the one it was made with, if it was
    /// given one, else what `now` reads (the clock is read only then).
    pub fn call_inputs(&self, now: impl FnOnce() -> Timestamp) -> Inputs {
        let time = if self.time_given { self.options.time } else { now() };
        let mut inputs = Inputs::blank(time, None).with_digests();
        inputs.options = VerifyOptions {
            time,
            ..self.options.clone()
        };
        inputs
    }

    /// Whether it holds the DID document of `did`, or (did:webvh) its log.
    pub fn has_did(&self, did: &str) -> bool {
        self.sources
            .lock()
            .is_ok_and(|s| s.documents.get(did).is_some() || s.logs.get(did).is_some())
    }

    /// Whether it holds the status list credential of `url`.
    pub fn has_status_list(&self, url: &str) -> bool {
        self.sources.lock().is_ok_and(|s| s.lists.get(url).is_some())
    }

    /// Keeps what `call` supplies (DID documents, logs, status lists;
    /// anything else it holds is ignored) and returns its policies.
    pub fn supply(&mut self, call: Inputs) -> Result<VerifyOptions> {
        let gives_lists = call.lists.is_some();
        let digests = call.digests;
        let options = call.options;
        let mut changed = false;
        {
            let mut sources = self.sources.lock().map_err(|_| poisoned())?;
            sources.time = Some(options.time);
            for (document, digest) in call.documents {
                changed |= sources.add_document(document, digest, false)?;
            }
            for (did, log) in call.logs {
                let digest = digests.then(|| sha256(log.as_bytes()));
                changed |= keep(
                    &mut sources.logs,
                    did,
                    Entry {
                        value: log.into_bytes(),
                        digest,
                        standing: false,
                    },
                );
            }
            for (url, bytes) in call.lists.into_iter().flatten() {
                let digest = digests.then(|| sha256(&bytes));
                changed |= keep(
                    &mut sources.lists,
                    url,
                    Entry {
                        value: bytes,
                        digest,
                        standing: false,
                    },
                );
            }
        }
        if gives_lists && !self.has_lists {
            self.has_lists = true;
            self.verifier = self.fresh_verifier();
        } else if changed {
            self.verifier.forget_supplied();
        }
        Ok(options)
    }

    /// Verifies a credential or a presentation (told apart by its type),
    /// in JSON or as a compact JWS.
    pub fn verify(&self, input: &[u8], options: &VerifyOptions) -> Report {
        self.with_time(options.time);
        self.verifier.verify(input, options)
    }

    /// Verifies a presentation and every credential in it.
    pub fn verify_presentation(&self, input: &[u8], options: &VerifyOptions) -> Report {
        self.with_time(options.time);
        self.verifier.verify_presentation(input, options)
    }

    fn with_time(&self, time: Timestamp) {
        if let Ok(mut sources) = self.sources.lock() {
            sources.time = Some(time);
        }
    }

    /// How many DID documents, logs and status lists it keeps (for tests
    /// and diagnostics).
    pub fn kept(&self) -> (usize, usize, usize) {
        self.sources
            .lock()
            .map(|s| (s.documents.len(), s.logs.len(), s.lists.len()))
            .unwrap_or_default()
    }

    /// The trust resolver it was made with, if any.
    pub fn trust(&self) -> Option<&dyn TrustResolver> {
        self.verifier.trust()
    }
}

impl Inputs {
    /// The sources, the status source's presence, the contexts and the
    /// trust parts, apart.
    fn into_sources(self) -> Result<(Sources, Parts)> {
        let mut sources = Sources {
            webvh: self.webvh,
            fallback: self.fallback,
            fallback_status: self.fallback_status,
            time: Some(self.options.time),
            ..Sources::default()
        };
        for (document, digest) in self.documents {
            sources.add_document(document, digest, true)?;
        }
        for (did, log) in self.logs {
            let digest = self.digests.then(|| sha256(log.as_bytes()));
            keep(
                &mut sources.logs,
                did,
                Entry {
                    value: log.into_bytes(),
                    digest,
                    standing: true,
                },
            );
        }
        let has_lists = self.lists.is_some();
        for (url, bytes) in self.lists.into_iter().flatten() {
            let digest = self.digests.then(|| sha256(&bytes));
            keep(
                &mut sources.lists,
                url,
                Entry {
                    value: bytes,
                    digest,
                    standing: true,
                },
            );
        }
        let parts = Parts {
            options: self.options,
            time_given: self.time_given,
            has_lists,
            contexts: self.contexts,
            anchors: self.anchors,
            snapshots: self.snapshots,
            seen: self.seen,
            trust: self.trust,
        };
        Ok((sources, parts))
    }

    /// The DID resolver these inputs make (documents, logs, the fallback),
    /// with the policies: to load snapshots with, for example.
    pub fn into_resolver(self) -> Result<(Box<dyn DidResolver>, VerifyOptions)> {
        let (sources, parts) = self.into_sources()?;
        Ok((Box::new(Shared(Arc::new(Mutex::new(sources)))), parts.options))
    }

    /// The verifier these inputs make, and the snapshots it refused (each
    /// with the position it was given at; a refused snapshot is also
    /// remembered by the trust store, and answers that need it say why).
    pub fn build(self) -> Result<(KeptVerifier, Vec<(usize, Error)>)> {
        let (sources, parts) = self.into_sources()?;
        let sources = Arc::new(Mutex::new(sources));
        let mut refused = Vec::new();
        let trust = match parts.trust {
            Some(trust) => Some(trust),
            None if parts.anchors.is_empty() && parts.snapshots.is_empty() && parts.seen.is_empty() => None,
            None => {
                let mut store = TrustStore::new(parts.anchors);
                for (registry, sequence) in &parts.seen {
                    store.mark_seen(registry, *sequence);
                }
                let resolver = Shared(Arc::clone(&sources));
                for (at, snapshot) in parts.snapshots.iter().enumerate() {
                    if let Err(e) = store.load_snapshot(snapshot, &resolver, parts.options.time) {
                        refused.push((at, e));
                    }
                }
                Some(Arc::new(store) as Arc<dyn TrustResolver + Send + Sync>)
            }
        };
        #[cfg(feature = "rdfc")]
        let jsonld = (!parts.contexts.is_empty()).then(|| {
            let contexts: std::collections::HashMap<String, String> = parts.contexts.into_iter().collect();
            Arc::new(crate::jsonld::JsonLd::new().with_loader(contexts))
        });
        #[cfg(not(feature = "rdfc"))]
        let _ = parts.contexts;
        let mut kept = KeptVerifier {
            verifier: Verifier::new(Shared(Arc::clone(&sources))),
            sources,
            has_lists: parts.has_lists,
            trust,
            #[cfg(feature = "rdfc")]
            jsonld,
            options: parts.options,
            time_given: parts.time_given,
        };
        kept.verifier = kept.fresh_verifier();
        Ok((kept, refused))
    }
}

/// The inputs apart from the sources.
struct Parts {
    options: VerifyOptions,
    time_given: bool,
    has_lists: bool,
    contexts: Vec<(String, String)>,
    anchors: Vec<String>,
    snapshots: Vec<Vec<u8>>,
    seen: Vec<(String, u64)>,
    trust: Option<Arc<dyn TrustResolver + Send + Sync>>,
}
