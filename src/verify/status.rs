//! The `status` check: a credential's status entries read from their
//! status list credentials, which are verified like any credential and kept
//! in the verifier's cache for their time to live.

use serde_json::{Map, Value};
use std::sync::Arc;

use super::{Check, CheckName, Message, Verifier, VerifyOptions};
use crate::credential::{self, Facts};
use crate::did::DidResolver;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::secured::EvidenceKey;
use crate::secured::{self, ProofInputs};
use crate::status::{
    Bitstring, CredentialStatus, StatusEntry, StatusPurpose, MAX_EXPANDED_BYTES, MAX_LIST_CREDENTIAL_BYTES, MIN_ENTRIES,
};
use crate::time::Timestamp;

/// A status list credential that passed its checks, expanded.
pub(super) struct CachedList {
    issuer: String,
    purposes: Vec<String>,
    bitstring: Bitstring,
    /// Whether the list states its `statusSize` (else the entry's applies,
    /// as the spec's lists carry none).
    declared_size: bool,
    /// Until when the cache may serve it (verification time + ttl), and
    /// never past the list's own validUntil.
    expires: Timestamp,
    valid_from: Option<Timestamp>,
}

/// How long a verified status list is reused when it sets no `ttl`.
pub const DEFAULT_STATUS_TTL_SECONDS: i64 = 300;

/// What the `status` check does with status it cannot check. The default
/// fails closed: a credential's status entries are all checked, or the check
/// fails.
///
/// - `skip_without_source`: when a credential has status entries and the
///   verifier has no status list source, the check fails with
///   `STATUS_LIST_UNAVAILABLE` (default, `false`), or is skipped (`true`).
/// - `accept_unknown_types`: an entry of a type the verifier does not check
///   (anything but `BitstringStatusListEntry`) fails the check with
///   `STATUS_TYPE_UNSUPPORTED` (default, `false`), or is left unchecked
///   (`true`).
///
/// Either way the report's `status` message says which rule applied.
///
/// ```
/// use passerelle::verify::{CheckName, Outcome, StatusPolicy};
/// use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
/// use passerelle::crypto::Ed25519KeyPair;
/// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[6; 32]));
/// let unsigned = serde_json::json!({
///     "@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": ["VerifiableCredential"],
///     "issuer": issuer.did(),
///     "credentialSubject": {"id": "did:example:alice"},
///     "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
///         "statusListIndex": "94567", "statusListCredential": "https://status.example/3"}
/// });
/// let now = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
/// let signed = issuer.issue(unsigned.as_object().unwrap().clone(), now).unwrap();
/// let bytes = signed.to_json_string();
///
/// // No status list source: by default the status check fails.
/// let verifier = Verifier::offline();
/// let report = verifier.verify(bytes.as_bytes(), &VerifyOptions::at(now));
/// assert_eq!(report.check(CheckName::Status).unwrap().code, Some(ErrorCode::StatusListUnavailable));
/// assert!(!report.verified());
///
/// // The caller may accept that the status goes unchecked; the report says so.
/// let mut options = VerifyOptions::at(now);
/// options.status_policy = StatusPolicy { skip_without_source: true, ..StatusPolicy::default() };
/// let report = verifier.verify(bytes.as_bytes(), &options);
/// let status = report.check(CheckName::Status).unwrap();
/// assert_eq!(status.outcome, Outcome::Skipped);
/// assert!(status.message.en.contains("skip_without_source"));
/// assert!(report.verified());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StatusPolicy {
    /// Skip the status check, rather than fail it, when the credential has
    /// status entries and the verifier has no status list source.
    pub skip_without_source: bool,
    /// Leave entries of types the verifier does not check unchecked, rather
    /// than fail the status check with `STATUS_TYPE_UNSUPPORTED`.
    pub accept_unknown_types: bool,
}

/// What the status check found, before it becomes the report's check.
pub(super) enum StatusOutcome {
    /// The credential has no `credentialStatus`.
    NoEntries,
    /// Every entry is of a type left unchecked under `accept_unknown_types`.
    OnlyUnknownTypes { unchecked: Vec<String> },
    /// No status list source, skipped under `skip_without_source`.
    NoSourceSkipped,
    /// Every `BitstringStatusListEntry` was read from its list and none is
    /// set to revoked or suspended.
    Read {
        evidence: Vec<(EvidenceKey, String)>,
        message: Option<String>,
        unchecked: Vec<String>,
    },
    /// The status check fails; `rule`, when the status policy decided it.
    Failed {
        error: Error,
        evidence: Vec<(EvidenceKey, String)>,
        rule: Option<PolicyRule>,
    },
}

/// A rule of the status policy that failed the check.
pub(super) enum PolicyRule {
    /// The verifier has no status source, and `skip_without_source` is off.
    SourceRequired,
    /// An entry of these types, and `accept_unknown_types` is off.
    KnownTypesOnly(String),
}

/// The types of entries left unchecked, for people: quoted (they come from
/// the credential), comma-separated.
pub(super) fn unchecked_list(types: &[String]) -> String {
    let quoted: Vec<String> = types.iter().map(|t| quoted(t)).collect();
    crate::error::join(&mut quoted.iter().map(String::as_str), ", ")
}

/// The failure of status of kinds this verifier does not check (`what`:
/// entries of a type, IETF status mechanisms), under a policy that does
/// not accept them.
pub(super) fn unknown_refused(unchecked: &[String], what: &str) -> StatusOutcome {
    let list = unchecked_list(unchecked);
    StatusOutcome::Failed {
        error: Error::new(
            ErrorCode::StatusTypeUnsupported,
            format!("{what} {list}; the status policy does not accept unknown types"),
        ),
        evidence: unchecked.iter().map(|t| (EvidenceKey::StatusType, t.clone())).collect(),
        rule: Some(PolicyRule::KnownTypesOnly(list)),
    }
}

/// The outcome for status the verifier has no status list source for:
/// skipped under `skip_without_source`, failed otherwise.
pub(super) fn without_source(policy: StatusPolicy, evidence: Vec<(EvidenceKey, String)>) -> StatusOutcome {
    if policy.skip_without_source {
        return StatusOutcome::NoSourceSkipped;
    }
    StatusOutcome::Failed {
        error: Error::new(
            ErrorCode::StatusListUnavailable,
            "no status list source is configured, and the status policy requires one",
        ),
        evidence,
        rule: Some(PolicyRule::SourceRequired),
    }
}

impl StatusOutcome {
    pub(super) fn into_check(self) -> Check {
        let with_message = |mut check: Check, en: String, fr: String| {
            check.message = Message {
                en: en.into(),
                fr: fr.into(),
            };
            check
        };
        match self {
            StatusOutcome::NoEntries => Check::skipped(
                CheckName::Status,
                "The credential has no status entry.",
                "L’attestation n’a pas d’entrée de statut.",
            ),
            StatusOutcome::NoSourceSkipped => {
                let mut check = Check::skipped(
                    CheckName::Status,
                    "Not checked: no status list source is configured, and the status policy allows that \
                     (skip_without_source).",
                    "Non vérifié : aucune source de listes de statuts n’est configurée, ce que la politique \
                     de statut permet (skip_without_source).",
                );
                check
                    .evidence
                    .push((EvidenceKey::StatusPolicy, "skip_without_source".into()));
                check
            }
            StatusOutcome::OnlyUnknownTypes { unchecked } => {
                let list = unchecked_list(&unchecked);
                let mut check = Check::skipped(CheckName::Status, "", "");
                check
                    .evidence
                    .push((EvidenceKey::StatusPolicy, "accept_unknown_types".into()));
                check
                    .evidence
                    .extend(unchecked.iter().map(|t| (EvidenceKey::UncheckedStatusType, t.clone())));
                with_message(
                    check,
                    format!(
                        "Not checked: the status entries are of types this verifier does not check ({list}), \
                         which the status policy accepts (accept_unknown_types)."
                    ),
                    format!(
                        "Non vérifié : les entrées de statut sont de types que ce vérificateur ne vérifie pas \
                         ({list}), ce que la politique de statut accepte (accept_unknown_types)."
                    ),
                )
            }
            StatusOutcome::Read {
                mut evidence,
                message,
                unchecked,
            } => {
                if !unchecked.is_empty() {
                    evidence.push((EvidenceKey::StatusPolicy, "accept_unknown_types".into()));
                    evidence.extend(unchecked.iter().map(|t| (EvidenceKey::UncheckedStatusType, t.clone())));
                }
                let mut check = Check::passed(CheckName::Status, evidence);
                if let Some(note) = message {
                    check = with_message(
                        check,
                        format!("Neither revoked nor suspended. Status message: {note}."),
                        format!("Ni révoquée ni suspendue. Message de statut : {note}."),
                    );
                }
                if unchecked.is_empty() {
                    return check;
                }
                let list = unchecked_list(&unchecked);
                let (en, fr) = (check.message.en.clone(), check.message.fr.clone());
                with_message(
                    check,
                    format!(
                        "{en} Entries of types this verifier does not check ({list}) were left unchecked, as \
                         the status policy accepts (accept_unknown_types)."
                    ),
                    format!(
                        "{fr} Des entrées de types que ce vérificateur ne vérifie pas ({list}) n’ont pas été \
                         vérifiées, ce que la politique de statut accepte (accept_unknown_types)."
                    ),
                )
            }
            StatusOutcome::Failed { error, evidence, rule } => {
                let check = Check::failed(CheckName::Status, &error, evidence);
                match rule {
                    None => check,
                    Some(PolicyRule::SourceRequired) => with_message(
                        check,
                        "The credential has status entries, but no status list source is configured, and the \
                         status policy requires the status to be checked."
                            .into(),
                        "L’attestation a des entrées de statut, mais aucune source de listes de statuts n’est \
                         configurée, et la politique de statut exige que le statut soit vérifié."
                            .into(),
                    ),
                    Some(PolicyRule::KnownTypesOnly(list)) => with_message(
                        check,
                        format!(
                            "The credential has a status entry of a type this verifier does not check ({list}), \
                             and the status policy does not accept unknown status types."
                        ),
                        format!(
                            "L’attestation a une entrée de statut d’un type que ce vérificateur ne vérifie pas \
                             ({list}), et la politique de statut n’accepte pas les types de statut inconnus."
                        ),
                    ),
                }
            }
        }
    }
}

impl<R: DidResolver> Verifier<R> {
    /// The credential's status entries against their status lists
    /// (Bitstring Status List §3.2), under `options.status_policy`; only
    /// for a credential whose signature held ([`super::signature_held`]).
    pub(super) fn status_check(&self, map: &Map<String, Value>, facts: &Facts, options: &VerifyOptions) -> Check {
        self.status_outcome(map, facts, options).into_check()
    }

    fn status_outcome(&self, map: &Map<String, Value>, facts: &Facts, options: &VerifyOptions) -> StatusOutcome {
        let policy = options.status_policy;
        let failed = |error: Error, evidence, rule| StatusOutcome::Failed { error, evidence, rule };
        // An IETF `status` claim (a Token Status List reference) on a VCDM
        // credential is no status entry this check reads: left unchecked
        // only if the policy accepts unknown types. (Verifiers that read
        // IETF status lists, feature `sd-jwt`, know it when they see it.)
        let ietf_status = cfg!(feature = "sd-jwt") && map.contains_key("status");
        let statuses = match CredentialStatus::all_of(map) {
            Ok(statuses) if statuses.is_empty() && !ietf_status => return StatusOutcome::NoEntries,
            Ok(statuses) => statuses,
            Err(e) => return failed(e, Vec::new(), None),
        };
        let mut entries = Vec::new();
        let mut unchecked = Vec::new();
        if ietf_status {
            unchecked.push("status".to_owned());
        }
        for status in statuses {
            match status {
                CredentialStatus::Bitstring(entry) => entries.push(entry),
                CredentialStatus::Unsupported { types } => {
                    for name in types {
                        if !unchecked.contains(&name) {
                            unchecked.push(name);
                        }
                    }
                }
            }
        }
        if !unchecked.is_empty() && !policy.accept_unknown_types {
            return unknown_refused(&unchecked, "status entries of type");
        }
        if entries.is_empty() {
            return StatusOutcome::OnlyUnknownTypes { unchecked };
        }
        if self.status.is_none() {
            let evidence = entries
                .iter()
                .map(|entry| (EvidenceKey::StatusListCredential, entry.list_url.clone()))
                .collect();
            return without_source(policy, evidence);
        }
        let mut evidence = Vec::new();
        let mut message = None;
        // A list the source lacks fails the check, after the other entries:
        // one that is revoked is the better answer, and the evidence then
        // names every list missing (the `…Async` bindings fetch those).
        let mut unavailable = None;
        for entry in &entries {
            evidence.push((EvidenceKey::StatusPurpose, entry.purpose.as_str().to_owned()));
            evidence.push((EvidenceKey::StatusListIndex, entry.index.to_string()));
            evidence.push((EvidenceKey::StatusListCredential, entry.list_url.clone()));
            let value = match self.status_value(entry, facts, options) {
                Ok(value) => value,
                Err(e) if e.code() == ErrorCode::StatusListUnavailable => {
                    unavailable.get_or_insert(e);
                    continue;
                }
                Err(e) => return failed(e, evidence, None),
            };
            evidence.push((EvidenceKey::Status, format!("0x{value:x}")));
            let set = |code: ErrorCode, what: &str| {
                Error::new(code, format!("{what} in {} at index {}", entry.list_url, entry.index))
            };
            // The message of the value: the entry's statusMessage, else (one
            // bit, no statusMessage) the spec's "unset" and "set". A value
            // with no message fails closed.
            let note = match (entry.message_for(value), entry.messages.is_empty(), value) {
                (Some(note), _, _) => Some(note),
                (None, true, 0) if entry.status_size == 1 => Some("unset"),
                (None, true, 1) if entry.status_size == 1 => Some("set"),
                (None, true, _) => None,
                (None, false, _) => {
                    let error = set(
                        ErrorCode::StatusListInvalid,
                        &format!("status 0x{value:x} has no statusMessage"),
                    );
                    return failed(error, evidence, None);
                }
            };
            if !entry.messages.is_empty() || entry.purpose == StatusPurpose::Message {
                if let Some(note) = note {
                    evidence.push((EvidenceKey::StatusMessage, note.to_owned()));
                    if entry.purpose == StatusPurpose::Message {
                        message = Some(note.to_owned());
                    }
                }
            }
            // Any value but 0 revokes or suspends (several bits included).
            match (&entry.purpose, value) {
                (StatusPurpose::Revocation, 1..) => {
                    return failed(set(ErrorCode::CredentialRevoked, "revoked"), evidence, None)
                }
                (StatusPurpose::Suspension, 1..) => {
                    return failed(set(ErrorCode::CredentialSuspended, "suspended"), evidence, None)
                }
                _ => {}
            }
        }
        if let Some(error) = unavailable {
            return failed(error, evidence, None);
        }
        StatusOutcome::Read {
            evidence,
            message,
            unchecked,
        }
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
                crate::error::join(&mut list.purposes.iter().map(String::as_str), ", "),
                entry.purpose.as_str()
            )));
        }
        if list.declared_size && list.bitstring.status_size() != entry.status_size {
            return Err(invalid("the entry's statusSize differs from the list's".into()));
        }
        let entries = list.bitstring.entries_as(entry.status_size);
        if entries < MIN_ENTRIES {
            return Err(invalid(format!(
                "the list has {entries} entries of {} bit(s), fewer than the {MIN_ENTRIES} required",
                entry.status_size
            )));
        }
        list.bitstring.get_as(entry.index, entry.status_size)
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
        // The verifier's challenge and domain are for the document verified,
        // not for the status list its issuer published.
        let inputs = ProofInputs {
            challenge: None,
            domain: None,
            ..self.proof_inputs(options)
        };
        let verified = secured::verify_secured_credential(&document, &self.resolver, &self.keys, &inputs)
            .map_err(|(stage, e)| invalid(format!("{url}: {} failed with {}", stage.as_str(), e.code())))?;
        if !verified.has_type("BitstringStatusListCredential") {
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
        if !credential::types(subject).contains(&"BitstringStatusList") {
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
        let declared_size = subject.contains_key("statusSize");
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
        let mut expires = now.plus_seconds(ttl.max(0));
        if let Some(until) = verified.valid_until() {
            expires = expires.min(until);
        }
        let list = Arc::new(CachedList {
            issuer: verified.issuer().to_owned(),
            purposes,
            bitstring,
            declared_size,
            expires,
            valid_from: verified.valid_from(),
        });
        if let Ok(mut cache) = self.status_cache.lock() {
            cache.insert(url.to_owned(), Arc::clone(&list));
        }
        Ok(list)
    }
}
