//! The `did:webvh` method (v1.0): a `did:web` with a verifiable history.
//!
//! The DID's log (`did.jsonl`) is a chain of entries, each with a version
//! number and entry hash linking it to its predecessor, parameters, the DID
//! document of that version, and an `eddsa-jcs-2022` proof by an authorized
//! update key. The first entry's hash is the DID's self-certifying
//! identifier (SCID). [`verify_log`] verifies a whole log (a pure function
//! of the log); [`VerifiedLog::in_force_at`] gives the version in force at
//! a time (the time of verification), [`resolve_log`] resolves as of the
//! resolver's current time; [`WebvhLog`] creates a DID, appends updates,
//! and goes on from a log published before.
//! Witnesses are not supported yet: a log that requires them is refused.

mod writer;

use serde_json::Value;
use sha2::{Digest, Sha256};

pub use writer::WebvhLog;

use super::{key, DidDocument};
use crate::canon;
use crate::crypto::base58_encode;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::proof::{Cryptosuite, DataIntegrityProof};
use crate::time::Timestamp;

/// The only `method` value this implementation accepts.
pub const METHOD_V1_0: &str = "did:webvh:1.0";
/// Largest log accepted, in bytes.
pub const MAX_LOG_BYTES: usize = 4 * 1024 * 1024;
/// How far in the future (seconds) a `versionTime` may be, relative to the resolver's time.
pub const FUTURE_TOLERANCE_SECONDS: i64 = 300;
const PLACEHOLDER: &str = "{SCID}";

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::DidLogInvalid, why)
}

/// `base58btc(multihash(sha2-256(data)))`, without a multibase prefix.
pub fn hash_sha256(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let mut multihash = vec![0x12, 0x20];
    multihash.extend_from_slice(&digest);
    base58_encode(&multihash)
}

fn jcs_hash(value: &Value) -> Result<String> {
    Ok(hash_sha256(&canon::canonicalize(value)?))
}

/// The pre-rotation hash of a Multikey: `base58btc(multihash(multikey))`.
pub fn key_hash(multikey: &str) -> String {
    hash_sha256(multikey.as_bytes())
}

/// The parts of a `did:webvh`: the SCID and the did:web-style rest.
fn split(did: &str) -> Result<(&str, &str)> {
    super::validate_did(did)?;
    let rest = did
        .strip_prefix("did:webvh:")
        .ok_or_else(|| Error::new(ErrorCode::DidInvalid, "not a did:webvh"))?;
    let (scid, location) = rest
        .split_once(':')
        .ok_or_else(|| Error::new(ErrorCode::DidInvalid, "did:webvh needs a SCID and a domain"))?;
    let base58_chars = scid
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'));
    if scid.len() != 46 || !base58_chars {
        return Err(Error::new(
            ErrorCode::DidInvalid,
            "the SCID must be 46 base58btc characters",
        ));
    }
    Ok((scid, location))
}

/// The HTTPS URL of the log of a `did:webvh` (the DID-to-HTTPS transformation).
///
/// ```
/// let url = passerelle::did::webvh::log_url(
///     "did:webvh:QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE:example.com%3A3000:dids:issuer").unwrap();
/// assert_eq!(url, "https://example.com:3000/dids/issuer/did.jsonl");
/// ```
pub fn log_url(did: &str) -> Result<String> {
    let (_, location) = split(did)?;
    let web_url = super::web::document_url(&format!("did:web:{location}"))?;
    Ok(format!("{}l", web_url))
}

/// A verified `did:webvh` resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The DID document of the selected version.
    pub document: DidDocument,
    /// Its `versionId`.
    pub version_id: String,
    /// Its `versionTime`.
    pub version_time: Timestamp,
    /// The first entry's time.
    pub created: Timestamp,
    /// The last entry's time, among the entries read (those in force at the
    /// time asked, for [`VerifiedLog::in_force_at`]).
    pub updated: Timestamp,
    /// The SCID.
    pub scid: String,
    /// Whether the DID is deactivated (as of the last entry read).
    pub deactivated: bool,
    /// The controller's cache guidance, in seconds.
    pub ttl: u64,
}

/// Which version to return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum VersionQuery {
    /// The latest version.
    #[default]
    Latest,
    /// `?versionId=`.
    VersionId(String),
    /// `?versionTime=`: the version in force at that time.
    VersionTime(Timestamp),
}

/// The parameters in force while reading a log.
#[derive(Clone, Debug, Default)]
struct Active {
    scid: String,
    update_keys: Vec<String>,
    next_key_hashes: Vec<String>,
    portable: bool,
    deactivated: bool,
    ttl: u64,
}

const KNOWN_PARAMETERS: &[&str] = &[
    "method",
    "scid",
    "updateKeys",
    "nextKeyHashes",
    "witness",
    "watchers",
    "portable",
    "deactivated",
    "ttl",
];

fn strings(value: &Value, name: &str) -> Result<Vec<String>> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(format!("{name} must hold strings")))
            })
            .collect(),
        _ => Err(invalid(format!("{name} must be an array"))),
    }
}

/// Limits for reading a log's entries.
const LOG_LIMITS: Limits = Limits {
    max_bytes: MAX_LOG_BYTES,
    max_depth: 32,
};

/// Limits for re-reading an entry this module wrote (SCID placeholders swapped).
const REPARSE_LIMITS: Limits = Limits {
    max_bytes: MAX_LOG_BYTES,
    max_depth: Limits::DEPTH_CEILING,
};

/// Verifies a whole `did:webvh` log for `did` at time `now` and returns the
/// version asked for: [`verify_log`], then [`VerifiedLog::resolve`] (an
/// entry dated after `now`, beyond [`FUTURE_TOLERANCE_SECONDS`], fails the
/// log, as the method's resolution at the current time requires).
/// Errors: `DID_INVALID` (the DID), `DID_LOG_INVALID` (the log),
/// `DID_NOT_FOUND` (no such version).
pub fn resolve_log(did: &str, log: &str, now: Timestamp, query: &VersionQuery) -> Result<Resolved> {
    verify_log(did, log)?.resolve(now, query)
}

/// A `did:webvh` log whose every entry was verified ([`verify_log`]): the
/// versions it holds, in order, with their times and the parameters in
/// force after each. Nothing in it depends on the time it is read at.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedLog {
    did: String,
    scid: String,
    versions: Vec<Version>,
}

/// One verified entry.
#[derive(Clone, Debug, PartialEq)]
struct Version {
    id: String,
    time: Timestamp,
    state: Value,
    /// Whether the DID is deactivated from this entry on.
    deactivated: bool,
    /// The controller's cache guidance in force from this entry on.
    ttl: u64,
}

/// Verifies every entry of the `did:webvh` log of `did`: version numbers,
/// entry hashes, the SCID, increasing UTC times, parameters, pre-rotation,
/// and proofs by authorized keys. What the log says at a given time is
/// then [`VerifiedLog::resolve`] or [`VerifiedLog::in_force_at`].
/// Errors: `DID_INVALID` (the DID), `DID_LOG_INVALID` (the log).
pub fn verify_log(did: &str, log: &str) -> Result<VerifiedLog> {
    let (scid, _) = split(did)?;
    if log.len() > MAX_LOG_BYTES {
        return Err(invalid("the log is too large"));
    }
    let limits = LOG_LIMITS;
    let mut active = Active {
        ttl: 3600,
        ..Active::default()
    };
    let mut previous_id = String::new();
    let mut previous_time: Option<Timestamp> = None;
    let mut versions: Vec<Version> = Vec::new();
    let mut matches = 0usize;

    for (i, line) in log.lines().enumerate() {
        let number = i + 1;
        let at = |why: String| invalid(format!("entry {number}: {why}"));
        if active.deactivated {
            return Err(at("the DID was deactivated; no later entry is allowed".into()));
        }
        let entry = json::parse_object(line.as_bytes(), limits).map_err(|e| at(e.to_string()))?;
        if let Some(extra) = entry.keys().find(|k| {
            !matches!(
                k.as_str(),
                "versionId" | "versionTime" | "parameters" | "state" | "proof"
            )
        }) {
            return Err(at(format!("unknown property {}", quoted(extra))));
        }
        let text = |k: &str| {
            entry
                .get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| at(format!("{k} must be a string")))
        };
        let version_id = text("versionId")?.to_owned();
        let version_time_text = text("versionTime")?;
        let parameters = entry
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or_else(|| at("parameters must be an object".into()))?;
        let state = entry
            .get("state")
            .filter(|s| s.is_object())
            .ok_or_else(|| at("state must be an object".into()))?;

        // versionId: "<number>-<entryHash>".
        let (n, entry_hash) = version_id
            .split_once('-')
            .ok_or_else(|| at("versionId needs <number>-<hash>".into()))?;
        if n != number.to_string() || entry_hash.contains('-') {
            return Err(at(format!("versionId {version_id} is not version {number}")));
        }
        // versionTime: UTC, strictly increasing (whether it is in the
        // future is a question about a time: `VerifiedLog::resolve`).
        if !(version_time_text.ends_with('Z') || version_time_text.ends_with("+00:00")) {
            return Err(at("versionTime must be UTC".into()));
        }
        let version_time = Timestamp::parse(version_time_text).map_err(|e| at(e.detail().to_owned()))?;
        if previous_time.is_some_and(|p| version_time <= p) {
            return Err(at("versionTime must be after the previous entry's".into()));
        }

        // Parameters.
        if let Some(unknown) = parameters.keys().find(|k| !KNOWN_PARAMETERS.contains(&k.as_str())) {
            return Err(at(format!("unknown parameter {}", quoted(unknown))));
        }
        if number == 1 {
            if parameters.get("method").and_then(Value::as_str) != Some(METHOD_V1_0) {
                return Err(at(format!("the first entry needs method {METHOD_V1_0}")));
            }
            let declared = parameters
                .get("scid")
                .and_then(Value::as_str)
                .ok_or_else(|| at("the first entry needs scid".into()))?;
            if declared != scid {
                return Err(at("the log's scid is not the DID's".into()));
            }
            active.scid = declared.to_owned();
            if !parameters.contains_key("updateKeys") {
                return Err(at("the first entry needs updateKeys".into()));
            }
        } else {
            if parameters.contains_key("scid") {
                return Err(at("scid may only appear in the first entry".into()));
            }
            if let Some(method) = parameters.get("method") {
                if method.as_str() != Some(METHOD_V1_0) {
                    return Err(at(format!("method {method} is not supported")));
                }
            }
            if parameters.get("portable") == Some(&Value::Bool(true)) {
                return Err(at("portable may only be turned on in the first entry".into()));
            }
        }
        if let Some(witness) = parameters.get("witness") {
            if witness.as_object().is_some_and(|w| !w.is_empty()) {
                return Err(at("witnesses are not supported by this resolver".into()));
            }
        }
        let pre_rotation = !active.next_key_hashes.is_empty();
        let new_keys = parameters
            .get("updateKeys")
            .map(|v| strings(v, "updateKeys"))
            .transpose()
            .map_err(|e| at(e.detail().to_owned()))?;
        let new_hashes = parameters
            .get("nextKeyHashes")
            .map(|v| strings(v, "nextKeyHashes"))
            .transpose()
            .map_err(|e| at(e.detail().to_owned()))?;
        if pre_rotation {
            let keys = new_keys
                .as_ref()
                .ok_or_else(|| at("pre-rotation is active: updateKeys must be given".into()))?;
            if new_hashes.is_none() {
                return Err(at("pre-rotation is active: nextKeyHashes must be given".into()));
            }
            if let Some(unannounced) = keys.iter().find(|k| !active.next_key_hashes.contains(&key_hash(k))) {
                return Err(at(format!(
                    "update key {unannounced} was not announced in nextKeyHashes"
                )));
            }
        }
        // The keys that may sign this entry.
        let signing_keys = if number == 1 || pre_rotation {
            new_keys.clone().unwrap_or_default()
        } else {
            active.update_keys.clone()
        };
        if let Some(keys) = new_keys {
            active.update_keys = keys;
        }
        if let Some(hashes) = new_hashes {
            active.next_key_hashes = hashes;
        }
        if let Some(portable) = parameters.get("portable") {
            active.portable = portable
                .as_bool()
                .ok_or_else(|| at("portable must be a boolean".into()))?;
        }
        if let Some(deactivated) = parameters.get("deactivated") {
            active.deactivated = deactivated
                .as_bool()
                .ok_or_else(|| at("deactivated must be a boolean".into()))?;
        }
        if let Some(ttl) = parameters.get("ttl") {
            active.ttl = ttl
                .as_u64()
                .filter(|t| *t <= 1 << 31)
                .ok_or_else(|| at("ttl must be 0 to 2^31".into()))?;
        }

        // Entry hash, then (first entry) the SCID.
        let mut unsigned = entry.clone();
        unsigned.shift_remove("proof");
        let predecessor = if number == 1 {
            scid.to_owned()
        } else {
            previous_id.clone()
        };
        unsigned.insert("versionId".into(), predecessor.into());
        if jcs_hash(&Value::Object(unsigned.clone()))? != entry_hash {
            return Err(at("the entry hash does not match: the entry was changed".into()));
        }
        if number == 1 {
            unsigned.insert("versionId".into(), PLACEHOLDER.into());
            let with_placeholders = Value::Object(unsigned).to_string().replace(scid, PLACEHOLDER);
            // Placeholders are ASCII and the entry passed the log's limits already.
            let preliminary = json::parse_strict(with_placeholders.as_bytes(), REPARSE_LIMITS)
                .map_err(|e| at(e.detail().to_owned()))?;
            if jcs_hash(&preliminary)? != scid {
                return Err(at("the SCID does not match the first entry".into()));
            }
        }

        // Proofs by authorized keys.
        let proofs = match entry.get("proof") {
            Some(Value::Array(items)) if !items.is_empty() => items,
            _ => return Err(at("proof must be a non-empty array".into())),
        };
        for proof in proofs {
            let proof = proof
                .as_object()
                .ok_or_else(|| at("a proof must be an object".into()))?;
            let parsed = DataIntegrityProof::parse(proof).map_err(|e| at(format!("proof: {e}")))?;
            if parsed.cryptosuite != Cryptosuite::EddsaJcs2022 || parsed.proof_purpose != "assertionMethod" {
                return Err(at("proofs must be eddsa-jcs-2022 for assertionMethod".into()));
            }
            let (did_key, fragment) = parsed
                .verification_method
                .split_once('#')
                .ok_or_else(|| at("the proof's key needs a fragment".into()))?;
            let multikey = did_key
                .strip_prefix("did:key:")
                .filter(|m| *m == fragment)
                .ok_or_else(|| at("the proof's key must be did:key:X#X".into()))?;
            if !signing_keys.iter().any(|k| k == multikey) {
                return Err(at(format!("{multikey} is not an authorized update key for this entry")));
            }
            let public_key = key::public_key(did_key).map_err(|e| at(e.to_string()))?;
            parsed
                .verify_signature(&entry, &public_key)
                .map_err(|e| at(format!("proof: {e}")))?;
        }

        // The state: a did:webvh with the same SCID.
        let state_id = state
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| at("state needs an id".into()))?;
        let (state_scid, _) = split(state_id).map_err(|e| at(e.detail().to_owned()))?;
        if state_scid != scid {
            return Err(at("the state's SCID differs from the DID's".into()));
        }
        if state_id == did {
            matches += 1;
        }
        previous_id = version_id.clone();
        previous_time = Some(version_time);
        versions.push(Version {
            id: version_id,
            time: version_time,
            state: state.clone(),
            deactivated: active.deactivated,
            ttl: active.ttl,
        });
    }
    if versions.is_empty() {
        return Err(invalid("the log is empty"));
    }
    if matches == 0 {
        return Err(invalid(format!("no entry's state.id is {did}")));
    }
    Ok(VerifiedLog {
        did: did.to_owned(),
        scid: active.scid,
        versions,
    })
}

impl VerifiedLog {
    /// The DID whose log this is.
    pub fn did(&self) -> &str {
        &self.did
    }

    /// Resolution at the resolver's current time `now`: an entry dated
    /// after `now` (beyond [`FUTURE_TOLERANCE_SECONDS`]) fails the log
    /// (`DID_LOG_INVALID`), as the method requires; then the version
    /// `query` asks for (`DID_NOT_FOUND` if none).
    pub fn resolve(&self, now: Timestamp, query: &VersionQuery) -> Result<Resolved> {
        let horizon = now.plus_seconds(FUTURE_TOLERANCE_SECONDS);
        if let Some(n) = self.versions.iter().position(|v| v.time > horizon) {
            return Err(invalid(format!("entry {}: versionTime is in the future", n + 1)));
        }
        self.select(&self.versions, query)
    }

    /// The DID document to verify with at `time`: that of
    /// [`in_force_at`](Self::in_force_at), unless the DID was deactivated by
    /// then (`DID_DEACTIVATED`: "a resolver MUST NOT return the DIDDoc",
    /// did:webvh §Deactivate).
    pub fn document_at(&self, time: Timestamp) -> Result<DidDocument> {
        let resolved = self.in_force_at(time)?;
        if resolved.deactivated {
            return Err(Error::new(
                ErrorCode::DidDeactivated,
                format!("{} was deactivated at {}", self.did, resolved.updated),
            ));
        }
        Ok(resolved.document)
    }

    /// The DID as its log stood at `time` (the time of a verification):
    /// the latest version dated no later than `time` (plus
    /// [`FUTURE_TOLERANCE_SECONDS`] for clock skew, so that at the current
    /// time this is [`resolve`](Self::resolve) of the latest version).
    /// Later entries, verified like the others, are not in force yet at
    /// `time`: a key rotated away after `time` still resolves at `time`,
    /// and one rotated away before it does not. A log whose first entry
    /// is dated after `time` is a log from the future (`DID_LOG_INVALID`,
    /// as [`resolve`](Self::resolve) at `time` says).
    pub fn in_force_at(&self, time: Timestamp) -> Result<Resolved> {
        let horizon = time.plus_seconds(FUTURE_TOLERANCE_SECONDS);
        let count = self.versions.iter().take_while(|v| v.time <= horizon).count();
        if count == 0 {
            return Err(invalid(format!(
                "entry 1: versionTime is in the future: the DID did not exist yet at {time}"
            )));
        }
        self.select(&self.versions[..count], &VersionQuery::Latest)
    }

    /// The version `query` selects among `versions` (a prefix of the log),
    /// with the log's metadata as of the last of them.
    fn select(&self, versions: &[Version], query: &VersionQuery) -> Result<Resolved> {
        let did = self.did.as_str();
        let chosen = match query {
            VersionQuery::Latest => versions.last(),
            VersionQuery::VersionId(id) => versions.iter().find(|v| &v.id == id),
            VersionQuery::VersionTime(t) => versions.iter().rev().find(|v| v.time <= *t),
        }
        .ok_or_else(|| Error::new(ErrorCode::DidNotFound, format!("{did}: no such version")))?;
        let (first, last) = match (versions.first(), versions.last()) {
            (Some(first), Some(last)) => (first, last),
            _ => return Err(Error::new(ErrorCode::DidNotFound, format!("{did}: no such version"))),
        };
        if chosen.state.get("id").and_then(Value::as_str) != Some(did) {
            return Err(Error::new(
                ErrorCode::DidDocumentInvalid,
                format!("version {} describes another DID", chosen.id),
            ));
        }
        Ok(Resolved {
            document: DidDocument::from_json(chosen.state.clone())?,
            version_id: chosen.id.clone(),
            version_time: chosen.time,
            created: first.time,
            updated: last.time,
            scid: self.scid.clone(),
            deactivated: last.deactivated,
            ttl: last.ttl,
        })
    }
}

/// An offline resolver over `did:webvh` logs the caller already has. Each
/// resolution verifies the whole log and answers with the version in force
/// at the time asked ([`VerifiedLog::in_force_at`]).
#[derive(Clone, Debug, Default)]
pub struct WebvhLogs {
    logs: std::collections::HashMap<String, String>,
}

impl WebvhLogs {
    /// An empty set.
    pub fn new() -> Self {
        WebvhLogs::default()
    }

    /// Adds the log of `did`.
    pub fn insert(&mut self, did: impl Into<String>, log: impl Into<String>) {
        self.logs.insert(did.into(), log.into());
    }
}

impl super::DidResolver for WebvhLogs {
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        let log = self
            .logs
            .get(did)
            .ok_or_else(|| Error::new(ErrorCode::DidNotFound, format!("no log for {did}")))?;
        verify_log(did, log)?.document_at(time)
    }
}
