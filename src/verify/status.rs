//! The `status` check: a credential's status entries read from their
//! status list credentials, which are verified like any credential and kept
//! in the verifier's cache for their time to live.

use serde_json::{Map, Value};
use std::sync::Arc;

use super::{Check, CheckName, Message, Verifier, VerifyOptions};
use crate::credential::{self, check_credential, Facts};
use crate::did::DidResolver;
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::status::{
    Bitstring, StatusEntry, StatusPurpose, MAX_EXPANDED_BYTES, MAX_LIST_CREDENTIAL_BYTES, MIN_ENTRIES,
};
use crate::time::Timestamp;

/// A status list credential that passed its checks, expanded.
pub(super) struct CachedList {
    issuer: String,
    purposes: Vec<String>,
    bitstring: Bitstring,
    /// Until when the cache may serve it (verification time + ttl), and
    /// never past the list's own validUntil.
    expires: Timestamp,
    valid_from: Option<Timestamp>,
}

/// How long a verified status list is reused when it sets no `ttl`.
pub const DEFAULT_STATUS_TTL_SECONDS: i64 = 300;

impl<R: DidResolver> Verifier<R> {
    /// The credential's `BitstringStatusListEntry` entries against their
    /// status lists (Bitstring Status List §3.2).
    pub(super) fn status_check(&self, map: &Map<String, Value>, facts: &Facts, options: &VerifyOptions) -> Check {
        let entries = match StatusEntry::all_of(map) {
            Ok(entries) if entries.is_empty() => {
                return Check::skipped(
                    CheckName::Status,
                    "The credential has no status entry.",
                    "L’attestation n’a pas d’entrée de statut.",
                )
            }
            Ok(entries) => entries,
            Err(e) => return Check::failed(CheckName::Status, &e, Vec::new()),
        };
        if self.status.is_none() {
            return Check::skipped(
                CheckName::Status,
                "Not checked: no status list source is configured.",
                "Non vérifié : aucune source de listes de statuts n’est configurée.",
            );
        }
        let mut evidence = Vec::new();
        let mut message_note: Option<String> = None;
        for entry in &entries {
            evidence.push(("statusPurpose", entry.purpose.as_str().to_owned()));
            evidence.push(("statusListIndex", entry.index.to_string()));
            evidence.push(("statusListCredential", entry.list_url.clone()));
            let outcome = self.status_value(entry, facts, options);
            let value = match outcome {
                Ok(value) => value,
                Err(e) => return Check::failed(CheckName::Status, &e, evidence),
            };
            evidence.push(("status", format!("0x{value:x}")));
            let fail = |code: ErrorCode, what: &str| {
                let e = Error::new(code, format!("{what} in {} at index {}", entry.list_url, entry.index));
                Check::failed(CheckName::Status, &e, evidence.clone())
            };
            match (&entry.purpose, value) {
                (StatusPurpose::Revocation, 1) => return fail(ErrorCode::CredentialRevoked, "revoked"),
                (StatusPurpose::Suspension, 1) => return fail(ErrorCode::CredentialSuspended, "suspended"),
                (StatusPurpose::Message, value) => {
                    if let Some(message) = entry.message_for(value) {
                        evidence.push(("statusMessage", message.to_owned()));
                        message_note = Some(message.to_owned());
                    }
                }
                _ => {}
            }
        }
        let mut check = Check::passed(CheckName::Status, evidence);
        if let Some(note) = message_note {
            check.message = Message {
                en: format!("Neither revoked nor suspended. Status message: {note}.").into(),
                fr: format!("Ni révoquée ni suspendue. Message de statut : {note}.").into(),
            };
        }
        check
    }

    /// The status value of one entry, from its (cached, verified) list.
    fn status_value(&self, entry: &StatusEntry, facts: &Facts, options: &VerifyOptions) -> Result<u8> {
        let list = self.status_list(&entry.list_url, options)?;
        let invalid = |why: String| Error::new(ErrorCode::StatusListInvalid, why);
        if list.issuer != facts.issuer {
            return Err(invalid(format!(
                "the status list is issued by {}, the credential by {}",
                list.issuer, facts.issuer
            )));
        }
        if !list.purposes.iter().any(|p| p == entry.purpose.as_str()) {
            return Err(invalid(format!(
                "the status list is for {}, not {}",
                list.purposes.join(", "),
                entry.purpose.as_str()
            )));
        }
        if list.bitstring.status_size() != entry.status_size {
            return Err(invalid("the entry's statusSize differs from the list's".into()));
        }
        if list.bitstring.entries() < MIN_ENTRIES {
            return Err(invalid(format!(
                "the list has {} entries, fewer than the {MIN_ENTRIES} required",
                list.bitstring.entries()
            )));
        }
        list.bitstring.get(entry.index)
    }

    /// The status list at `url`, from the cache while its ttl lasts at the
    /// verification time, else fetched and checked like a credential. Whether
    /// it fits a given entry (issuer, purpose, size) is `status_value`'s concern.
    fn status_list(&self, url: &str, options: &VerifyOptions) -> Result<Arc<CachedList>> {
        let now = options.time;
        if let Some(cached) = self.status_cache.lock().ok().and_then(|c| c.get(url).cloned()) {
            if now < cached.expires && cached.valid_from.is_none_or(|from| from <= now) {
                return Ok(cached);
            }
        }
        let resolver = self
            .status
            .as_deref()
            .ok_or_else(|| Error::new(ErrorCode::StatusListUnavailable, "no status source"))?;
        let bytes = resolver.status_list(url)?;
        let invalid = |why: String| Error::new(ErrorCode::StatusListInvalid, why);
        let limits = Limits {
            max_bytes: MAX_LIST_CREDENTIAL_BYTES,
            ..options.limits
        };
        let document = json::parse_object(&bytes, limits).map_err(|e| invalid(format!("{url}: {e}")))?;
        let report = self.credential_report(
            &document,
            Check::passed(CheckName::Parse, Vec::new()),
            &VerifyOptions {
                limits,
                ..options.clone()
            },
            false,
            super::Securing::DataIntegrity,
        );
        if let Some((check, code)) = report.failures().into_iter().next() {
            return Err(invalid(format!("{url}: {} failed with {code}", check.as_str())));
        }
        if !credential::types(&document).contains(&"BitstringStatusListCredential") {
            return Err(invalid(format!("{url} is not a BitstringStatusListCredential")));
        }
        if document.get("id").and_then(Value::as_str).is_some_and(|id| id != url) {
            return Err(invalid(format!(
                "{url} holds the status list credential of another URL"
            )));
        }
        let subject = document
            .get("credentialSubject")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid("no credentialSubject".into()))?;
        if subject.get("type").and_then(Value::as_str) != Some("BitstringStatusList") {
            return Err(invalid("the credentialSubject type must be BitstringStatusList".into()));
        }
        let purposes: Vec<String> = match subject.get("statusPurpose") {
            Some(Value::String(p)) => vec![p.clone()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => return Err(invalid("statusPurpose is missing".into())),
        };
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("encodedList is missing".into()))?;
        let size = match subject.get("statusSize") {
            None => 1,
            Some(v) => v
                .as_u64()
                .filter(|s| (1..=8).contains(s))
                .map(|s| s as u8)
                .ok_or_else(|| invalid("statusSize must be 1 to 8".into()))?,
        };
        let bitstring = Bitstring::decode(encoded, size, MAX_EXPANDED_BYTES)?;
        let ttl = subject
            .get("ttl")
            .and_then(Value::as_u64)
            .map(|ms| (ms / 1000) as i64)
            .unwrap_or(DEFAULT_STATUS_TTL_SECONDS);
        let facts = check_credential(&document)?;
        let mut expires = now.plus_seconds(ttl.max(0));
        if let Some(until) = facts.valid_until {
            expires = expires.min(until);
        }
        let list = Arc::new(CachedList {
            issuer: facts.issuer,
            purposes,
            bitstring,
            expires,
            valid_from: facts.valid_from,
        });
        if let Ok(mut cache) = self.status_cache.lock() {
            cache.insert(url.to_owned(), Arc::clone(&list));
        }
        Ok(list)
    }
}
