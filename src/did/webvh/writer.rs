//! Writing a `did:webvh` log as its controller: create the DID, append
//! versions, and go on from a log published before.

use serde_json::{json, Map, Value};

use super::{
    invalid, jcs_hash, resolve_log, split, verify_log, VersionQuery, LOG_LIMITS, METHOD_V1_0, PLACEHOLDER,
    REPARSE_LIMITS,
};
use crate::crypto::Signer;
use crate::error::{Error, ErrorCode, Result};
use crate::json;
use crate::proof::{Cryptosuite, ProofOptions};
use crate::time::Timestamp;

/// A `did:webvh` log being written by its controller.
#[derive(Clone, Debug, PartialEq)]
pub struct WebvhLog {
    did: String,
    entries: Vec<Map<String, Value>>,
}

impl WebvhLog {
    /// Creates a DID at `location` (`example.com`, `example.com%3A8443:dids:issuer`):
    /// `document` is the initial DID document with `{SCID}` wherever the
    /// SCID goes (its `id` must be `did:webvh:{SCID}:<location>`); `signer`'s
    /// key becomes the update key; `next_key_hashes` turns on pre-rotation.
    pub fn create(
        location: &str,
        document: Value,
        signer: &dyn Signer,
        next_key_hashes: Vec<String>,
        version_time: Timestamp,
    ) -> Result<Self> {
        Self::create_with_parameters(location, document, signer, next_key_hashes, Map::new(), version_time)
    }

    /// Like [`WebvhLog::create`], with more first-entry parameters
    /// (`portable`, `ttl`, `watchers`, …). The log is checked with
    /// [`resolve_log`] before it is returned.
    pub fn create_with_parameters(
        location: &str,
        document: Value,
        signer: &dyn Signer,
        next_key_hashes: Vec<String>,
        extra: Map<String, Value>,
        version_time: Timestamp,
    ) -> Result<Self> {
        let template = format!("did:webvh:{PLACEHOLDER}:{location}");
        if document.get("id").and_then(Value::as_str) != Some(template.as_str()) {
            return Err(Error::new(
                ErrorCode::DidInvalid,
                format!("the document's id must be {template}"),
            ));
        }
        let mut parameters =
            json!({"method": METHOD_V1_0, "scid": PLACEHOLDER, "updateKeys": [signer.public_key().to_multikey()]});
        if !next_key_hashes.is_empty() {
            parameters["nextKeyHashes"] = json!(next_key_hashes);
        }
        if let Value::Object(parameters) = &mut parameters {
            parameters.extend(extra);
        }
        let preliminary = json!({
            "versionId": PLACEHOLDER,
            "versionTime": version_time.to_string(),
            "parameters": parameters,
            "state": document,
        });
        let scid = jcs_hash(&preliminary)?;
        let replaced = preliminary.to_string().replace(PLACEHOLDER, &scid);
        let entry = json::parse_object(replaced.as_bytes(), REPARSE_LIMITS).map_err(|e| invalid(e.detail()))?;
        let did = format!("did:webvh:{scid}:{location}");
        split(&did)?;
        let mut log = WebvhLog {
            did,
            entries: Vec::new(),
        };
        log.seal_and_push(entry, 1, signer)?;
        Ok(log)
    }

    /// Goes on from the log of `did` as published (`did.jsonl`, JSON
    /// Lines), to append versions to it: every entry is verified first
    /// ([`verify_log`]), so nothing is appended to a log a resolver would
    /// refuse. Errors: `DID_INVALID` (the DID), `DID_LOG_INVALID` (the log).
    pub fn from_jsonl(did: &str, log: &str) -> Result<Self> {
        verify_log(did, log)?;
        let entries = log
            .lines()
            .map(|line| json::parse_object(line.as_bytes(), LOG_LIMITS).map_err(|e| invalid(e.detail())))
            .collect::<Result<Vec<_>>>()?;
        Ok(WebvhLog {
            did: did.to_owned(),
            entries,
        })
    }

    /// The `versionTime` of the latest version: the next one must be later.
    pub fn version_time(&self) -> Option<Timestamp> {
        self.entries
            .last()
            .and_then(|e| e.get("versionTime"))
            .and_then(Value::as_str)
            .and_then(|t| Timestamp::parse(t).ok())
    }

    /// Appends a version: the new `document` (its `id` stays the DID) and
    /// any changed `parameters` (for example new `updateKeys` and
    /// `nextKeyHashes` when rotating), signed by `signer`, which must be
    /// authorized for this entry.
    pub fn update(
        &mut self,
        document: Value,
        parameters: Value,
        signer: &dyn Signer,
        version_time: Timestamp,
    ) -> Result<()> {
        let previous = self.entries.last().ok_or_else(|| invalid("the log is empty"))?;
        let entry = json!({
            "versionId": previous.get("versionId").cloned().unwrap_or(Value::Null),
            "versionTime": version_time.to_string(),
            "parameters": parameters,
            "state": document,
        });
        let Value::Object(entry) = entry else {
            unreachable!("built as an object")
        };
        self.seal_and_push(entry, self.entries.len() + 1, signer)
    }

    fn seal_and_push(&mut self, mut entry: Map<String, Value>, number: usize, signer: &dyn Signer) -> Result<()> {
        // Entry hash over the entry whose versionId is still the predecessor's.
        let hash = jcs_hash(&Value::Object(entry.clone()))?;
        entry.insert("versionId".into(), format!("{number}-{hash}").into());
        let multikey = signer.public_key().to_multikey();
        let created = entry
            .get("versionTime")
            .and_then(Value::as_str)
            .and_then(|t| Timestamp::parse(t).ok());
        let options = ProofOptions {
            verification_method: format!("did:key:{multikey}#{multikey}"),
            proof_purpose: crate::did::VerificationRelationship::AssertionMethod,
            created,
            expires: None,
            challenge: None,
            domain: None,
            id: None,
        };
        let proof = crate::proof::create_proof(&entry, Cryptosuite::EddsaJcs2022, &options, signer, None)?;
        entry.insert("proof".into(), Value::Array(vec![Value::Object(proof)]));
        self.entries.push(entry);
        // Refuse to publish anything a resolver would reject.
        let now = self
            .entries
            .last()
            .and_then(|e| e.get("versionTime"))
            .and_then(Value::as_str)
            .and_then(|t| Timestamp::parse(t).ok());
        if let Err(e) = resolve_log(
            &self.did,
            &self.to_jsonl(),
            now.unwrap_or(Timestamp::from_unix_seconds(0)),
            &VersionQuery::Latest,
        ) {
            self.entries.pop();
            return Err(e);
        }
        Ok(())
    }

    /// The DID.
    pub fn did(&self) -> &str {
        &self.did
    }

    /// The log as JSON Lines (`did.jsonl`).
    pub fn to_jsonl(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("{}\n", Value::Object(e.clone())))
            .collect()
    }
}
