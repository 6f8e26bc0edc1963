//! One way to assemble what a verification takes: DID documents, did:webvh
//! logs, status list credentials, JSON-LD contexts, the trust store
//! (anchors, snapshots, sequences seen) and the policies of
//! [`VerifyOptions`]. The command-line tool, the test-vector runner and the
//! WebAssembly bindings all build their verifier with [`Inputs`], and read
//! options written as JSON (the wasm API's, a vector's) with
//! [`Inputs::read`], which refuses an unknown key (`OPTION_UNKNOWN`: a
//! misspelt `challange` must not turn the challenge check off), an unknown
//! cryptosuite name (`OPTION_UNKNOWN`) and a value of the wrong type
//! (`OPTION_INVALID`).
//!
//! [`KeptVerifier`] is the verifier made from them, meant to be reused: it
//! keeps the status lists it verified and the DID documents it was given
//! across calls, keyed by URL (or DID) and the SHA-256 of their content, so
//! a list supplied again with the same bytes is not verified again and one
//! supplied with other bytes is.
//!
//! ```
//! use passerelle::inputs::{Inputs, CALL_KEYS};
//! use passerelle::{ErrorCode, Timestamp};
//! let now = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
//! let mut inputs = Inputs::new(now);
//! let options = serde_json::json!({"challange": "abc"});
//! let refused = inputs.read(options.as_object().unwrap().clone(), CALL_KEYS).unwrap_err();
//! assert_eq!(refused.code(), ErrorCode::OptionUnknown);
//! assert!(refused.detail().contains("challange"));
//! ```

use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::did::{DidDocument, DidResolver};
use crate::error::{quoted, Error, ErrorCode, Lang, Result};
use crate::json::{self, Limits};
use crate::proof::Cryptosuite;
use crate::registry::{TrustAnswer, TrustResolver, TrustStore};
use crate::status::StatusResolver;
use crate::table::Table;
use crate::time::Timestamp;
use crate::verify::{Report, Verifier, VerifyOptions};

/// How many DID documents, did:webvh logs and status lists supplied with
/// calls a [`KeptVerifier`] keeps (each); when one is full it starts afresh.
/// What it was made with is kept whatever the number.
pub const CAPACITY: usize = 64;

/// The policy keys of a verification's options.
pub const POLICY_KEYS: &[&str] = &[
    "time",
    "lang",
    "challenge",
    "domain",
    "cryptosuites",
    "maxBytes",
    "maxDepth",
    "statusPolicy",
    "trustAtVerificationTime",
];

/// Every key of a one-shot verification's options: the policies and the
/// data (`didDocuments`, `didLogs`, `statusLists`, `contexts`).
pub const CALL_KEYS: &[&str] = &[
    "time",
    "lang",
    "challenge",
    "domain",
    "cryptosuites",
    "maxBytes",
    "maxDepth",
    "statusPolicy",
    "trustAtVerificationTime",
    "didDocuments",
    "didLogs",
    "statusLists",
    "contexts",
];

/// The keys of a call to a [`KeptVerifier`]: as [`CALL_KEYS`] without
/// `contexts`, which it takes when it is made.
pub const KEPT_CALL_KEYS: &[&str] = &[
    "time",
    "lang",
    "challenge",
    "domain",
    "cryptosuites",
    "maxBytes",
    "maxDepth",
    "statusPolicy",
    "trustAtVerificationTime",
    "didDocuments",
    "didLogs",
    "statusLists",
];

/// The keys of the inputs a [`KeptVerifier`] is made with: [`CALL_KEYS`]
/// and the trust store's (`trustAnchors`, `snapshots`, `seen`).
pub const MADE_KEYS: &[&str] = &[
    "time",
    "lang",
    "challenge",
    "domain",
    "cryptosuites",
    "maxBytes",
    "maxDepth",
    "statusPolicy",
    "trustAtVerificationTime",
    "didDocuments",
    "didLogs",
    "statusLists",
    "contexts",
    "trustAnchors",
    "snapshots",
    "seen",
];

/// The keys of a snapshot's loading: its time and the registries' DID
/// documents and logs.
pub const SNAPSHOT_KEYS: &[&str] = &["time", "didDocuments", "didLogs"];

/// Every cryptosuite name: one of these may be accepted even where this
/// build cannot verify it (its proofs then fail `CRYPTOSUITE_UNSUPPORTED`);
/// any other name is refused.
const SUITE_NAMES: [Cryptosuite; 4] = [
    Cryptosuite::EddsaJcs2022,
    Cryptosuite::EcdsaJcs2019,
    Cryptosuite::EddsaRdfc2022,
    Cryptosuite::EcdsaRdfc2019,
];

/// Options carry DID documents, logs and status lists: larger than one credential.
pub const OPTION_LIMITS: Limits = Limits {
    max_bytes: 64 * 1024 * 1024,
    max_depth: 64,
};

/// `OPTION_UNKNOWN` unless `key` is one of `allowed`.
pub fn check_key(key: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&key) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::OptionUnknown,
        format!("unknown option {}; known here: {}", quoted(key), allowed.join(", ")),
    ))
}

fn invalid(key: &str, what: &str) -> Error {
    Error::new(ErrorCode::OptionInvalid, format!("{key} must be {what}"))
}

/// The cryptosuite called `name`; `OPTION_UNKNOWN` for a name no suite has.
pub fn suite_named(name: &str) -> Result<Cryptosuite> {
    SUITE_NAMES
        .iter()
        .copied()
        .find(|suite| suite.as_str() == name)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::OptionUnknown,
                format!("cryptosuites: unknown cryptosuite {}", quoted(name)),
            )
        })
}

/// A did:webvh resolution: the document of `did` from its `log`, verified
/// at `time`. [`webvh_resolution`] in builds that resolve did:webvh.
pub type LogResolution = fn(did: &str, log: &str, time: Timestamp) -> Result<DidDocument>;

/// did:webvh resolution through passerelle's log verification: the
/// version in force at `time`.
pub fn webvh_resolution(did: &str, log: &str, time: Timestamp) -> Result<DidDocument> {
    crate::did::webvh::verify_log(did, log)?
        .in_force_at(time)
        .map(|r| r.document)
}

/// An entry supplied to a verifier: its value, the SHA-256 of the content it
/// was read from (when kept across calls), and whether it was given when
/// the verifier was made (kept whatever the number).
struct Entry<V> {
    value: V,
    digest: Option<[u8; 32]>,
    standing: bool,
}

/// A DID document not yet read: its JSON text and, for a verifier kept
/// across calls, its digest (a document supplied again unchanged is not
/// read again).
enum Document {
    Read(DidDocument),
    Text(Vec<u8>),
}

/// What verification resolves from: DID documents, did:webvh logs, status
/// list credentials.
#[derive(Default)]
struct Sources {
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
    /// How many times a status list was read to be verified (for tests).
    lists_read: usize,
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(digest: &[u8; 32]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Inserts `value` at `key` unless the same content is there; returns
/// whether an entry of other content was replaced or the call entries were
/// dropped to make room (what a verified status list may depend on changed).
fn keep<V>(table: &mut Table<Entry<V>>, key: String, entry: Entry<V>) -> bool {
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
struct Shared(Arc<Mutex<Sources>>);

fn poisoned() -> Error {
    Error::new(
        ErrorCode::DidNotFound,
        "the verifier's sources are unusable after a panic",
    )
}

impl DidResolver for Shared {
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        let sources = self.0.lock().map_err(|_| poisoned())?;
        if let Some(entry) = sources.documents.get(did) {
            return Ok(entry.value.clone());
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

impl StatusResolver for Shared {
    fn status_list(&self, url: &str) -> Result<Vec<u8>> {
        let mut sources = self.0.lock().map_err(|_| poisoned())?;
        sources.lists_read += 1;
        sources
            .lists
            .get(url)
            .map(|e| e.value.clone())
            .ok_or_else(|| Error::new(ErrorCode::StatusListUnavailable, format!("no status list {url}")))
    }
}

/// A trust resolver shared by the verifiers made from it.
#[derive(Clone)]
struct SharedTrust(Arc<dyn TrustResolver + Send + Sync>);

impl TrustResolver for SharedTrust {
    fn anchors(&self) -> &[String] {
        self.0.anchors()
    }
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: Timestamp) -> TrustAnswer {
        self.0.authorize_issuer(issuer, types, time)
    }
    fn authorize_issuer_when(&self, issuer: &str, types: &[&str], when: crate::registry::TrustTime) -> TrustAnswer {
        self.0.authorize_issuer_when(issuer, types, when)
    }
}

/// What a verification takes, gathered from files, command-line arguments
/// or a JSON options object, and made into a verifier by [`Inputs::build`]
/// (or supplied to a [`KeptVerifier`] with a call).
pub struct Inputs {
    /// The policies: time, accepted suites, limits, challenge, domain,
    /// status policy, trust at the time of verification.
    pub options: VerifyOptions,
    /// The language asked for (`lang`); reports carry both.
    pub lang: Lang,
    documents: Vec<(Document, Option<[u8; 32]>)>,
    logs: Vec<(String, String)>,
    lists: Option<Vec<(String, Vec<u8>)>>,
    contexts: Vec<(String, String)>,
    anchors: Vec<String>,
    snapshots: Vec<Vec<u8>>,
    seen: Vec<(String, u64)>,
    trust: Option<Arc<dyn TrustResolver + Send + Sync>>,
    webvh: Option<LogResolution>,
    fallback: Option<Box<dyn DidResolver + Send + Sync>>,
    /// Whether supplied texts are digested (for a [`KeptVerifier`] that
    /// compares them with what it keeps).
    digests: bool,
    /// Whether the options gave the time (else it is the default).
    time_given: bool,
}

impl Inputs {
    /// Nothing supplied, the default policies at `time` (the time of
    /// verification unless the options give one), did:webvh resolved.
    pub fn new(time: Timestamp) -> Self {
        Inputs::blank(time, Some(webvh_resolution))
    }

    /// As [`Inputs::new`], but did:webvh DIDs are refused with
    /// `DID_NOT_FOUND` naming the `webvh` feature: for a build that leaves
    /// did:webvh out (its code is then not linked).
    pub fn without_webvh(time: Timestamp) -> Self {
        Inputs::blank(time, None)
    }

    fn blank(time: Timestamp, webvh: Option<LogResolution>) -> Self {
        Inputs {
            options: VerifyOptions::at(time),
            lang: Lang::En,
            documents: Vec::new(),
            logs: Vec::new(),
            lists: None,
            contexts: Vec::new(),
            anchors: Vec::new(),
            snapshots: Vec::new(),
            seen: Vec::new(),
            trust: None,
            webvh,
            fallback: None,
            digests: false,
            time_given: false,
        }
    }

    /// Digests the texts supplied (DID documents, logs, status lists), as a
    /// [`KeptVerifier`] needs to tell supplied-again from changed.
    pub fn with_digests(mut self) -> Self {
        self.digests = true;
        self
    }

    /// A resolver asked for DIDs nothing supplied resolves (the command
    /// line's did:web over HTTPS).
    pub fn fallback_resolver(&mut self, resolver: Box<dyn DidResolver + Send + Sync>) -> &mut Self {
        self.fallback = Some(resolver);
        self
    }

    fn digest(&self, bytes: &[u8]) -> Option<[u8; 32]> {
        self.digests.then(|| sha256(bytes))
    }

    /// Adds a DID document.
    pub fn did_document(&mut self, document: DidDocument) -> &mut Self {
        self.documents.push((Document::Read(document), None));
        self
    }

    /// Adds a DID document as JSON text (read when the verifier is built,
    /// or not at all when a kept verifier already has the same text).
    pub fn did_document_text(&mut self, text: Vec<u8>) -> &mut Self {
        let digest = self.digest(&text);
        self.documents.push((Document::Text(text), digest));
        self
    }

    /// Adds the did:webvh log (did.jsonl text) of `did`.
    pub fn did_log(&mut self, did: impl Into<String>, log: impl Into<String>) -> &mut Self {
        self.logs.push((did.into(), log.into()));
        self
    }

    /// Gives the verifier a status list source, even with no list in it:
    /// a credential with status entries then fails with
    /// `STATUS_LIST_UNAVAILABLE` for a list it lacks rather than as the
    /// status policy says of verifiers with no source.
    pub fn status_source(&mut self) -> &mut Self {
        self.lists.get_or_insert_with(Vec::new);
        self
    }

    /// Adds the status list credential published at `url`.
    pub fn status_list(&mut self, url: impl Into<String>, bytes: Vec<u8>) -> &mut Self {
        self.lists.get_or_insert_with(Vec::new).push((url.into(), bytes));
        self
    }

    /// Adds a status list credential under its own `id`; returns the id.
    pub fn status_list_credential(&mut self, bytes: Vec<u8>) -> Result<String> {
        let limits = Limits {
            max_bytes: crate::status::MAX_LIST_CREDENTIAL_BYTES,
            ..Limits::default()
        };
        let document = json::parse_object(&bytes, limits)?;
        let id = document
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(ErrorCode::StatusListInvalid, "a status list credential needs an id"))?
            .to_owned();
        self.status_list(id.clone(), bytes);
        Ok(id)
    }

    /// Adds a JSON-LD context document (for the rdfc suites; never fetched).
    pub fn context(&mut self, url: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.contexts.push((url.into(), text.into()));
        self
    }

    /// Trusts the registry `did` as a root.
    pub fn trust_anchor(&mut self, did: impl Into<String>) -> &mut Self {
        self.anchors.push(did.into());
        self
    }

    /// Adds a signed registry snapshot, loaded (in the order given) when
    /// the verifier is built.
    pub fn snapshot(&mut self, bytes: Vec<u8>) -> &mut Self {
        self.snapshots.push(bytes);
        self
    }

    /// Records that sequence `sequence` of `registry` was seen before.
    pub fn seen(&mut self, registry: impl Into<String>, sequence: u64) -> &mut Self {
        self.seen.push((registry.into(), sequence));
        self
    }

    /// Uses `trust` (a trust store shared with others, a remote registry)
    /// instead of the anchors and snapshots given here.
    pub fn trust_resolver(&mut self, trust: Arc<dyn TrustResolver + Send + Sync>) -> &mut Self {
        self.trust = Some(trust);
        self
    }

    /// Reads a JSON options object whose keys must be among `allowed`
    /// ([`CALL_KEYS`], [`MADE_KEYS`], …): an unknown key or cryptosuite
    /// name is refused with `OPTION_UNKNOWN`, a value of the wrong type with
    /// `OPTION_INVALID`, a bad time with `DATE_INVALID`, a bad DID document
    /// with its own code. A key whose value is `null` is as if absent.
    ///
    /// - `time` (dateTimeStamp), `lang` (`"en"`, `"fr"`), `challenge`,
    ///   `domain` (strings), `cryptosuites` (names), `maxBytes`,
    ///   `maxDepth` (integers), `statusPolicy` (`{skipWithoutSource,
    ///   acceptUnknownTypes}`, booleans), `trustAtVerificationTime` (boolean);
    /// - `didDocuments` (array of documents, objects or JSON text),
    ///   `didLogs` (`{did: log text}`), `statusLists` (`{url: credential}`,
    ///   object or JSON text; present, even empty, it gives the verifier a
    ///   status source), `contexts` (`{url: context}`, object or JSON text);
    /// - `trustAnchors` (DIDs), `snapshots` (array, object or JSON text),
    ///   `seen` (`{registry: sequence}`).
    pub fn read(&mut self, options: Map<String, Value>, allowed: &[&str]) -> Result<()> {
        for key in options.keys() {
            check_key(key, allowed)?;
        }
        for (key, value) in options {
            if value.is_null() {
                continue;
            }
            if POLICY_KEYS.contains(&key.as_str()) {
                self.read_policy(&key, value)?;
            } else {
                self.read_data(&key, value)?;
            }
        }
        Ok(())
    }

    /// Reads the policy `key` (one of [`POLICY_KEYS`]) of JSON options, as
    /// [`Inputs::read`] does; any other key is refused with `OPTION_UNKNOWN`.
    /// For callers that take the documents, logs and lists apart (the wasm
    /// bindings read them one by one from JavaScript).
    pub fn read_policy(&mut self, key: &str, value: Value) -> Result<()> {
        let string = |value: Value| string(key, value);
        let count = |value: &Value| count(key, value);
        match key {
            "time" => {
                self.options.time = Timestamp::parse(&string(value)?)?;
                self.time_given = true;
            }
            "lang" => {
                self.lang = Lang::parse(&string(value)?).ok_or_else(|| invalid(key, "\"en\" or \"fr\""))?;
            }
            "challenge" => self.options.challenge = Some(string(value)?),
            "domain" => self.options.domain = Some(string(value)?),
            "cryptosuites" => {
                let mut suites = Vec::new();
                for name in array(key, value)? {
                    suites.push(suite_named(&string(name)?)?);
                }
                self.options.cryptosuites = suites;
            }
            "maxBytes" => self.options.limits.max_bytes = usize::try_from(count(&value)?).unwrap_or(usize::MAX),
            "maxDepth" => self.options.limits.max_depth = usize::try_from(count(&value)?).unwrap_or(usize::MAX),
            "statusPolicy" => self.read_status_policy(value)?,
            "trustAtVerificationTime" => {
                self.options.trust_at_verification_time = value.as_bool().ok_or_else(|| invalid(key, "a boolean"))?;
            }
            other => return check_key(other, &[]),
        }
        Ok(())
    }

    /// Reads a key of JSON options that supplies data or trust.
    fn read_data(&mut self, key: &str, value: Value) -> Result<()> {
        let string = |value: Value| string(key, value);
        match key {
            "didDocuments" => {
                for document in array(key, value)? {
                    match document {
                        Value::String(text) => self.did_document_text(text.into_bytes()),
                        Value::Object(_) => self.did_document(DidDocument::from_json(document)?),
                        _ => return Err(invalid(key, "an array of DID documents")),
                    };
                }
            }
            "didLogs" => {
                for (did, log) in object(key, value)? {
                    let log = string(log).map_err(|_| invalid(key, "an object of did.jsonl texts by DID"))?;
                    self.did_log(did, log);
                }
            }
            "statusLists" => {
                self.status_source();
                for (url, list) in object(key, value)? {
                    self.status_list(url, text_of(key, list)?.into_bytes());
                }
            }
            "contexts" => {
                for (url, context) in object(key, value)? {
                    self.context(url, text_of(key, context)?);
                }
            }
            "trustAnchors" | "seen" => self.read_trust(key, value)?,
            "snapshots" => {
                for snapshot in array(key, value)? {
                    self.snapshot(text_of(key, snapshot)?.into_bytes());
                }
            }
            other => return check_key(other, &[]),
        }
        Ok(())
    }

    /// Reads `trustAnchors` (DIDs) or `seen` (`{registry: sequence}`) of
    /// JSON options, as [`Inputs::read`] does; any other key is refused.
    pub fn read_trust(&mut self, key: &str, value: Value) -> Result<()> {
        match key {
            "trustAnchors" => {
                for anchor in array(key, value)? {
                    self.trust_anchor(string(key, anchor)?);
                }
            }
            "seen" => {
                for (registry, sequence) in object(key, value)? {
                    self.seen(registry, count(key, &sequence)?);
                }
            }
            other => return check_key(other, &[]),
        }
        Ok(())
    }

    /// `statusPolicy`: `{skipWithoutSource, acceptUnknownTypes}`, booleans,
    /// both false by default (fail closed).
    fn read_status_policy(&mut self, value: Value) -> Result<()> {
        const KEYS: &[&str] = &["skipWithoutSource", "acceptUnknownTypes"];
        for (key, flag) in object("statusPolicy", value)? {
            let flag = flag
                .as_bool()
                .ok_or_else(|| invalid(&format!("statusPolicy.{key}"), "a boolean"))?;
            let policy = &mut self.options.status_policy;
            match key.as_str() {
                "skipWithoutSource" => policy.skip_without_source = flag,
                "acceptUnknownTypes" => policy.accept_unknown_types = flag,
                _ => return check_key(&format!("statusPolicy.{key}"), KEYS),
            }
        }
        Ok(())
    }

    /// The sources, the status source's presence, the contexts and the
    /// trust parts, apart.
    fn into_sources(self) -> Result<(Sources, Parts)> {
        let mut sources = Sources {
            webvh: self.webvh,
            fallback: self.fallback,
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

fn string(key: &str, value: Value) -> Result<String> {
    match value {
        Value::String(text) => Ok(text),
        _ => Err(invalid(key, "a string")),
    }
}

fn count(key: &str, value: &Value) -> Result<u64> {
    value.as_u64().ok_or_else(|| invalid(key, "a non-negative integer"))
}

fn array(key: &str, value: Value) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(invalid(key, "an array")),
    }
}

fn object(key: &str, value: Value) -> Result<Map<String, Value>> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(invalid(key, "an object")),
    }
}

/// A supplied document as JSON text: text as given, an object written out.
fn text_of(key: &str, value: Value) -> Result<String> {
    match value {
        Value::String(text) => Ok(text),
        Value::Object(_) => json::to_text(&value),
        _ => Err(invalid(key, "JSON objects or their text")),
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
    sources: Arc<Mutex<Sources>>,
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
            verifier = verifier.with_trust(SharedTrust(Arc::clone(trust)));
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
    /// given one, else `now`.
    pub fn call_inputs(&self, now: Timestamp) -> Inputs {
        let time = if self.time_given { self.options.time } else { now };
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
            self.verifier.clear_status_cache();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Ed25519KeyPair;
    use crate::status::{StatusList, MIN_ENTRIES};
    use crate::verify::CheckName;
    use crate::Issuer;
    use serde_json::json;

    const LIST: &str = "https://status.example/revocation-1";

    fn t(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn read(options: Value, allowed: &[&str]) -> Result<Inputs> {
        let mut inputs = Inputs::new(t("2026-06-01T00:00:00Z"));
        inputs.read(options.as_object().unwrap().clone(), allowed)?;
        Ok(inputs)
    }

    fn refused(options: Value, allowed: &[&str]) -> Error {
        read(options, allowed).err().expect("refused")
    }

    #[test]
    fn an_unknown_key_is_refused_and_named_whatever_its_value() {
        for options in [
            json!({"challange": "abc"}),
            json!({"challenge": "abc", "challange": "abc"}),
            json!({"challange": null}),
        ] {
            let e = refused(options, CALL_KEYS);
            assert_eq!(e.code(), ErrorCode::OptionUnknown);
            assert!(e.detail().contains("\"challange\""), "{}", e.detail());
        }
        let e = refused(json!({"statusPolicy": {"skipWithoutSourse": true}}), CALL_KEYS);
        assert_eq!(e.code(), ErrorCode::OptionUnknown);
        assert!(e.detail().contains("statusPolicy.skipWithoutSourse"), "{}", e.detail());
        // Keys of another scope are unknown here.
        assert_eq!(
            refused(json!({"trustAnchors": []}), CALL_KEYS).code(),
            ErrorCode::OptionUnknown
        );
        assert_eq!(
            refused(json!({"contexts": {}}), KEPT_CALL_KEYS).code(),
            ErrorCode::OptionUnknown
        );
        assert_eq!(
            refused(json!({"challenge": "x"}), SNAPSHOT_KEYS).code(),
            ErrorCode::OptionUnknown
        );
    }

    #[test]
    fn an_unknown_cryptosuite_is_refused_and_a_known_one_accepted_even_unbuilt() {
        let e = refused(json!({"cryptosuites": ["eddsa-jcs-2022", "eddsa-jsc-2022"]}), CALL_KEYS);
        assert_eq!(e.code(), ErrorCode::OptionUnknown);
        assert!(e.detail().contains("eddsa-jsc-2022"), "{}", e.detail());
        let inputs = read(
            json!({"cryptosuites": ["ecdsa-rdfc-2019", "eddsa-jcs-2022"]}),
            CALL_KEYS,
        )
        .unwrap();
        assert_eq!(
            inputs.options.cryptosuites,
            [Cryptosuite::EcdsaRdfc2019, Cryptosuite::EddsaJcs2022]
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_refused_with_option_invalid() {
        for options in [
            json!({"challenge": 5}),
            json!({"maxBytes": -1}),
            json!({"maxDepth": "32"}),
            json!({"cryptosuites": "eddsa-jcs-2022"}),
            json!({"statusPolicy": true}),
            json!({"statusPolicy": {"acceptUnknownTypes": "yes"}}),
            json!({"trustAtVerificationTime": 1}),
            json!({"lang": "de"}),
            json!({"didDocuments": {}}),
            json!({"didLogs": {"did:webvh:x": 5}}),
            json!({"statusLists": []}),
            json!({"statusLists": {"https://a.example/1": 5}}),
        ] {
            let e = refused(options.clone(), CALL_KEYS);
            assert_eq!(e.code(), ErrorCode::OptionInvalid, "{options}: {e}");
        }
        assert_eq!(
            refused(json!({"time": "yesterday"}), CALL_KEYS).code(),
            ErrorCode::DateInvalid
        );
    }

    #[test]
    fn the_policies_are_read_into_verify_options() {
        let inputs = read(
            json!({"time": "2026-11-23T12:00:00Z", "lang": "fr-CA", "challenge": "c", "domain": "d",
                "maxBytes": 1000, "maxDepth": 8, "trustAtVerificationTime": true, "domain2": null}),
            &[POLICY_KEYS, &["domain2"]].concat(),
        )
        .unwrap();
        let o = &inputs.options;
        assert_eq!(o.time, t("2026-11-23T12:00:00Z"));
        assert_eq!((o.challenge.as_deref(), o.domain.as_deref()), (Some("c"), Some("d")));
        assert_eq!((o.limits.max_bytes, o.limits.max_depth), (1000, 8));
        assert!(o.trust_at_verification_time);
        assert_eq!(inputs.lang, Lang::Fr);
        let inputs = read(json!({"statusPolicy": {"skipWithoutSource": true}}), CALL_KEYS).unwrap();
        assert!(inputs.options.status_policy.skip_without_source);
        assert!(!inputs.options.status_policy.accept_unknown_types);
    }

    /// An issuer, a credential with a revocation entry, and its list.
    struct World {
        issuer: Issuer<Ed25519KeyPair>,
        list: StatusList,
        index: u64,
        credential: Vec<u8>,
    }

    fn world() -> World {
        let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[41; 32]));
        let mut list = StatusList::new(LIST, "revocation", MIN_ENTRIES, 1).unwrap();
        let entry = list.allocate().unwrap();
        let unsigned = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": issuer.did(),
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:a"},
            "credentialStatus": entry.to_json(),
        });
        let signed = issuer
            .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
            .unwrap();
        World {
            issuer,
            list,
            index: entry.index,
            credential: signed.to_json_string().into_bytes(),
        }
    }

    fn published(w: &World) -> Vec<u8> {
        let list = w.list.publish(&w.issuer, t("2026-05-01T00:00:00Z"), None).unwrap();
        serde_json::to_vec(&list).unwrap()
    }

    fn lists_read(kept: &KeptVerifier) -> usize {
        kept.sources.lock().unwrap().lists_read
    }

    #[test]
    fn a_kept_verifier_verifies_a_list_again_only_when_its_bytes_change() {
        let mut w = world();
        let at = t("2026-06-01T00:00:00Z");
        let (mut kept, _) = Inputs::new(at).with_digests().build().unwrap();
        let call = |kept: &mut KeptVerifier, list: Vec<u8>| {
            let mut inputs = kept.call_inputs(at);
            inputs.status_list(LIST, list);
            let options = kept.supply(inputs).unwrap();
            kept.verify(&w.credential, &options)
        };
        let good = published(&w);
        assert!(call(&mut kept, good.clone()).verified());
        assert_eq!(lists_read(&kept), 1);
        // The same bytes again: the verified list is used as it is.
        assert!(call(&mut kept, good.clone()).verified());
        assert_eq!(lists_read(&kept), 1);
        // Nothing given: the kept list serves.
        let options = kept.supply(kept.call_inputs(at)).unwrap();
        assert!(kept.verify(&w.credential, &options).verified());
        assert_eq!(lists_read(&kept), 1);
        // Other bytes at the same URL: verified again, and they say revoked.
        w.list.set(w.index, 1).unwrap();
        let report = call(&mut kept, published(&w));
        assert_eq!(lists_read(&kept), 2);
        let status = report.check(CheckName::Status).unwrap();
        assert_eq!(status.code, Some(ErrorCode::CredentialRevoked));
    }

    #[test]
    fn a_kept_verifier_without_a_source_gains_one_when_a_call_gives_lists() {
        let w = world();
        let at = t("2026-06-01T00:00:00Z");
        let (mut kept, _) = Inputs::new(at).with_digests().build().unwrap();
        let report = kept.verify(&w.credential, &kept.options().clone());
        let status = report.check(CheckName::Status).unwrap();
        assert_eq!(status.code, Some(ErrorCode::StatusListUnavailable));
        let mut call = kept.call_inputs(at);
        call.status_list(LIST, published(&w));
        let options = kept.supply(call).unwrap();
        assert!(kept.verify(&w.credential, &options).verified());
        assert!(kept.has_status_list(LIST));
    }

    #[test]
    fn what_calls_give_stays_bounded_and_what_it_was_made_with_stays() {
        let at = t("2026-06-01T00:00:00Z");
        let mut made = Inputs::new(at).with_digests();
        made.status_list("https://status.example/made", b"{}".to_vec());
        let (mut kept, _) = made.build().unwrap();
        for n in 0..CAPACITY + 5 {
            let mut call = kept.call_inputs(at);
            call.status_list(
                format!("https://status.example/{n}"),
                format!("{{\"n\": {n}}}").into_bytes(),
            );
            kept.supply(call).unwrap();
            let (_, _, lists) = kept.kept();
            assert!(lists <= CAPACITY + 1, "{lists}");
        }
        assert!(kept.has_status_list("https://status.example/made"));
        assert!(kept.has_status_list(&format!("https://status.example/{}", CAPACITY + 4)));
    }

    #[test]
    fn a_document_given_again_unchanged_is_kept_once_and_a_changed_one_replaces_it() {
        let at = t("2026-06-01T00:00:00Z");
        let (mut kept, _) = Inputs::new(at).with_digests().build().unwrap();
        let document = |key: &str| {
            json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:issuer.example",
                "verificationMethod": [{"id": "did:web:issuer.example#k", "type": "Multikey",
                    "controller": "did:web:issuer.example", "publicKeyMultibase": key}]})
            .to_string()
            .into_bytes()
        };
        let multibase = Ed25519KeyPair::from_seed(&[1; 32]).public_key_multibase();
        for _ in 0..3 {
            let mut call = kept.call_inputs(at);
            call.did_document_text(document(&multibase));
            kept.supply(call).unwrap();
        }
        assert_eq!(kept.kept().0, 1);
        assert!(kept.has_did("did:web:issuer.example"));
        let resolver = Shared(Arc::clone(&kept.sources));
        let before = resolver.resolve("did:web:issuer.example", at).unwrap();
        let other = Ed25519KeyPair::from_seed(&[2; 32]).public_key_multibase();
        let mut call = kept.call_inputs(at);
        call.did_document_text(document(&other));
        kept.supply(call).unwrap();
        assert_ne!(resolver.resolve("did:web:issuer.example", at).unwrap(), before);
        assert_eq!(kept.kept().0, 1);
    }

    #[test]
    fn without_webvh_a_did_webvh_signer_is_refused_naming_the_feature() {
        let (kept, _) = Inputs::without_webvh(t("2026-06-01T00:00:00Z")).build().unwrap();
        let resolver = Shared(Arc::clone(&kept.sources));
        let e = resolver
            .resolve("did:webvh:QmX:example.org", Timestamp::from_unix_seconds(0))
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::DidNotFound);
        assert!(e.detail().contains("`webvh` feature"));
    }
}
