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

mod kept;
mod options;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::did::{DidDocument, DidResolver};
use crate::error::{Lang, Result};
use crate::json::Limits;
use crate::registry::TrustResolver;
use crate::status::StatusResolver;
use crate::time::Timestamp;
use crate::verify::VerifyOptions;

pub use kept::KeptVerifier;
use kept::{sha256, Document};
pub use options::{check_key, suite_named};

/// How many DID documents, did:webvh logs and status lists supplied with
/// calls a [`KeptVerifier`] keeps (each); when one is full it starts afresh.
/// What it was made with is kept whatever the number.
pub const CAPACITY: usize = 64;

/// Every key of JSON options, ordered so that each set below is a prefix:
/// the policies, the data a call may give, `contexts` (a one-shot call's,
/// or a kept verifier's when made), then the trust store's.
const KEYS: &[&str] = &[
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

/// The policy keys of a verification's options.
pub const POLICY_KEYS: &[&str] = KEYS.split_at(9).0;

/// Every key of a one-shot verification's options: the policies and the
/// data (`didDocuments`, `didLogs`, `statusLists`, `contexts`).
pub const CALL_KEYS: &[&str] = KEYS.split_at(13).0;

/// The keys of a call to a [`KeptVerifier`]: as [`CALL_KEYS`] without
/// `contexts`, which it takes when it is made.
pub const KEPT_CALL_KEYS: &[&str] = KEYS.split_at(12).0;

/// The keys of the inputs a [`KeptVerifier`] is made with: [`CALL_KEYS`]
/// and the trust store's (`trustAnchors`, `snapshots`, `seen`).
pub const MADE_KEYS: &[&str] = KEYS;

/// The keys of a snapshot's loading: its time and the registries' DID
/// documents and logs.
pub const SNAPSHOT_KEYS: &[&str] = &["time", "didDocuments", "didLogs"];

/// Options carry DID documents, logs and status lists: larger than one credential.
pub const OPTION_LIMITS: Limits = Limits {
    max_bytes: 64 * 1024 * 1024,
    max_depth: 64,
};

/// A did:webvh resolution: the document of `did` from its `log`, verified
/// at `time`. [`webvh_resolution`] in builds that resolve did:webvh.
pub type LogResolution = fn(did: &str, log: &str, time: Timestamp) -> Result<DidDocument>;

/// did:webvh resolution through passerelle's log verification: the
/// version in force at `time`, none if the DID was deactivated by then.
pub fn webvh_resolution(did: &str, log: &str, time: Timestamp) -> Result<DidDocument> {
    crate::did::webvh::verify_log(did, log)?.document_at(time)
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
    fallback_status: Option<Arc<dyn StatusResolver + Send + Sync>>,
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
            fallback_status: None,
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

    /// A status list source asked for the lists nothing supplied (the
    /// command line's `--fetch-status`, over HTTPS); gives the verifier a
    /// status source.
    pub fn fallback_status_source(&mut self, resolver: Arc<dyn StatusResolver + Send + Sync>) -> &mut Self {
        self.fallback_status = Some(resolver);
        self.status_source()
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

    /// Adds a status list credential under its own `id` (or an IETF Status
    /// List Token under its `sub`: [`crate::status::list_url`]); returns it.
    pub fn status_list_credential(&mut self, bytes: Vec<u8>) -> Result<String> {
        let url = crate::status::list_url(&bytes)?;
        self.status_list(url.clone(), bytes);
        Ok(url)
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
}
