//! Tenants whose DID is a did:webvh: the log that creates the DID with the
//! tenant's first key, the entry each rotation or retirement appends (the
//! new DID document, signed by the tenant's update key), and the checks an
//! instance makes before it publishes a log or verifies with it. The
//! database keeps the entries as signed; these functions read and write
//! them, the callers store them.

use std::sync::Arc;

use passerelle::crypto::Signer;
use passerelle::did::webvh::{verify_log, VerifiedLog, WebvhLog};
use passerelle::{Error, ErrorCode, Result, Timestamp};
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::db::{KeyRow, LogEntry};
use crate::directory::{did_document, hex};

/// The update key's name in its sealed secret's associated data.
pub const UPDATE_KEY_ID: &str = "update-1";

/// How long, in seconds, a resolver may keep the DID before asking again
/// (the log's `ttl`): as long as an HTTP cache keeps `did.jsonl`, so that
/// a retired key leaves resolvers' caches within it.
pub const LOG_TTL_SECONDS: u64 = 300;

/// The did:webvh prefix.
const PREFIX: &str = "did:webvh:";

/// Whether `did` is a did:webvh (else the tenant is did:web).
pub fn is_webvh(did: &str) -> bool {
    did.starts_with(PREFIX)
}

/// What follows the SCID in a did:webvh: the host (its port
/// percent-encoded) and the path, as in the did:web of the same URL.
pub fn location(did: &str) -> Option<&str> {
    did.strip_prefix(PREFIX)?.split_once(':').map(|(_, location)| location)
}

/// The log as JSON Lines (`did.jsonl`): each entry and a newline.
pub fn jsonl(entries: &[LogEntry]) -> String {
    entries.iter().map(|e| format!("{}\n", e.text)).collect()
}

/// Creates the did:webvh at `location` whose document lists `keys`,
/// signed by `update_key`, at `now`: the DID and the log's first entry.
/// The log's parameters: `update_key` may update it, it is not portable,
/// and resolvers keep it [`LOG_TTL_SECONDS`].
pub fn create(location: &str, keys: &[KeyRow], update_key: &dyn Signer, now: Timestamp) -> Result<(String, LogEntry)> {
    let template = format!("{PREFIX}{{SCID}}:{location}");
    let mut parameters = Map::new();
    parameters.insert("portable".into(), false.into());
    parameters.insert("ttl".into(), LOG_TTL_SECONDS.into());
    let log = WebvhLog::create_with_parameters(
        location,
        did_document(&template, keys),
        update_key,
        Vec::new(),
        parameters,
        now,
    )?;
    let entry = last_entry(&log)?;
    Ok((log.did().to_owned(), entry))
}

/// The log `entries` of `did`, to append to: verified whole, so that
/// nothing is appended to a log a resolver would refuse.
pub fn open(did: &str, entries: &[LogEntry]) -> Result<WebvhLog> {
    WebvhLog::from_jsonl(did, &jsonl(entries))
}

/// The entry to append to `log` so that its document lists `keys`, signed
/// by `update_key`. Its time is `now`, or a second after the latest
/// entry's if that is not earlier (the method wants strictly increasing
/// times, and two changes can come within a second).
pub fn append(log: &WebvhLog, keys: &[KeyRow], update_key: &dyn Signer, now: Timestamp) -> Result<LogEntry> {
    let time = match log.version_time() {
        Some(latest) if latest >= now => latest.plus_seconds(1),
        _ => now,
    };
    let mut log = log.clone();
    log.update(did_document(log.did(), keys), json!({}), update_key, time)?;
    last_entry(&log)
}

/// The latest entry of `log`, numbered.
fn last_entry(log: &WebvhLog) -> Result<LogEntry> {
    let text = log.to_jsonl();
    let line = text
        .lines()
        .last()
        .ok_or_else(|| Error::new(ErrorCode::DidLogInvalid, "the log is empty"))?;
    Ok(LogEntry {
        version: i64::try_from(text.lines().count()).unwrap_or(i64::MAX),
        text: line.to_owned(),
    })
}

/// A did:webvh tenant's log as an instance publishes it: verified, its
/// latest document the one the tenant's keys make.
#[derive(Debug)]
pub struct PublishedLog {
    /// `did.jsonl` as served.
    pub bytes: Arc<Vec<u8>>,
    /// Its SHA-256, the `ETag`.
    pub etag: String,
    /// The log, every entry verified: the document in force at a time.
    pub verified: VerifiedLog,
    /// The latest version's DID document.
    pub document: Value,
}

/// Verifies the log `entries` of `did` and checks that its latest
/// document is the one `keys` make (a key changed in the database without
/// an entry would be published by nobody, or a retired key would stay
/// published). `DID_LOG_INVALID` (or `DID_INVALID`) when it is not so.
pub fn load(did: &str, entries: &[LogEntry], keys: &[KeyRow]) -> Result<PublishedLog> {
    let text = jsonl(entries);
    let verified = verify_log(did, &text)?;
    // The latest version, whatever its time: which one is in force at a
    // verification's time is asked then.
    let latest = verified.in_force_at(Timestamp::from_unix_seconds(i64::MAX / 2))?;
    let document = Value::Object(latest.document.json().clone());
    if in_order(&document) != in_order(&did_document(did, keys)) {
        return Err(Error::new(
            ErrorCode::DidLogInvalid,
            format!(
                "{did}: the latest document of its log ({}) does not list the keys the database has for the tenant \
                 (a key was added, rotated or retired without a log entry)",
                latest.version_id
            ),
        ));
    }
    let etag = format!("\"{}\"", hex(&Sha256::digest(text.as_bytes())));
    Ok(PublishedLog {
        bytes: Arc::new(text.into_bytes()),
        etag,
        verified,
        document,
    })
}

/// `document` with its methods and relationships sorted: the database
/// lists keys by creation time, which two changes in one second (or two
/// machines' clocks) can leave in another order than the log's.
fn in_order(document: &Value) -> Value {
    let mut document = document.clone();
    for name in ["verificationMethod", "assertionMethod", "authentication"] {
        if let Some(Value::Array(items)) = document.get_mut(name) {
            items.sort_by_cached_key(|item| item.get("id").unwrap_or(item).to_string());
        }
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;
    use passerelle::crypto::Ed25519KeyPair;

    fn key(id: &str, seed: u8, active: bool, retired: bool) -> KeyRow {
        KeyRow {
            key_id: id.into(),
            public_multikey: Ed25519KeyPair::from_seed(&[seed; 32]).public_key().to_multikey(),
            sealed_secret: Some("sealed".into()),
            hsm_label: None,
            active,
            retired,
        }
    }

    const LOCATION: &str = "issuer.gov.example:tenants:mines";

    fn t(seconds: i64) -> Timestamp {
        Timestamp::from_unix_seconds(1_935_000_000 + seconds)
    }

    #[test]
    fn created_appended_and_loaded_logs_follow_the_keys() {
        let update = Ed25519KeyPair::from_seed(&[1; 32]);
        let first = [key("key-1", 2, true, false)];
        let (did, entry) = create(LOCATION, &first, &update, t(0)).unwrap();
        assert!(is_webvh(&did));
        assert_eq!(location(&did), Some(LOCATION));
        assert_eq!(entry.version, 1);
        let loaded = load(&did, std::slice::from_ref(&entry), &first).unwrap();
        assert_eq!(loaded.document["assertionMethod"], json!([format!("{did}#key-1")]));

        // Rotated at the same second: dated a second later.
        let rotated = [key("key-1", 2, false, false), key("key-2", 3, true, false)];
        let log = open(&did, std::slice::from_ref(&entry)).unwrap();
        let second = append(&log, &rotated, &update, t(0)).unwrap();
        assert_eq!(second.version, 2);
        let entries = [entry.clone(), second.clone()];
        let loaded = load(&did, &entries, &rotated).unwrap();
        assert_eq!(loaded.document["verificationMethod"].as_array().unwrap().len(), 2);
        assert_eq!(loaded.verified.in_force_at(t(1)).unwrap().version_time, t(1));
        // The database may list the keys in another order than the log.
        let reordered = [rotated[1].clone(), rotated[0].clone()];
        load(&did, &entries, &reordered).unwrap();

        // The database's keys and the log disagree: not published.
        let retired = [key("key-1", 2, false, true), key("key-2", 3, true, false)];
        assert_eq!(
            load(&did, &entries, &retired).unwrap_err().code(),
            ErrorCode::DidLogInvalid
        );
        // An entry changed, or the log signed by another key: refused.
        let mut changed = entries.clone();
        changed[1].text = changed[1].text.replace("key-2", "key-9");
        assert_eq!(
            load(&did, &changed, &rotated).unwrap_err().code(),
            ErrorCode::DidLogInvalid
        );
        assert_eq!(open(&did, &changed).unwrap_err().code(), ErrorCode::DidLogInvalid);
        let stranger = Ed25519KeyPair::from_seed(&[9; 32]);
        let log = open(&did, &entries).unwrap();
        assert_eq!(
            append(&log, &retired, &stranger, t(5)).unwrap_err().code(),
            ErrorCode::DidLogInvalid
        );
        let third = append(&log, &retired, &update, t(5)).unwrap();
        assert_eq!(third.version, 3);
        load(&did, &[entry, second, third], &retired).unwrap();
    }
}
