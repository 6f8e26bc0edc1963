//! Verification: a [`Verifier`] (where keys come from) and
//! [`VerifyOptions`] (time, accepted suites, limits, challenge, domain) give
//! a [`Report`].
//!
//! Verification is a pure function of these inputs: it reads no clock, no
//! network and no disk.

mod report;

pub use report::{Check, CheckName, DocumentKind, Message, Outcome, Report};

use serde_json::{Map, Value};

use crate::credential::{self, check_credential, Facts, Presentation};
use crate::did::{self, DidResolver, ResolvedMethod, StaticResolver, VerificationRelationship};
use crate::error::{Error, ErrorCode, Lang, Result};
use crate::json::{self, Limits};
use crate::proof::{proofs_of, Cryptosuite, DataIntegrityProof};
use crate::registry::TrustResolver;
use crate::status::{
    Bitstring, StatusEntry, StatusPurpose, StatusResolver, MAX_EXPANDED_BYTES, MAX_LIST_CREDENTIAL_BYTES, MIN_ENTRIES,
};
use crate::time::Timestamp;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Per-call verification parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The time of verification: validity periods and proof expiry are
    /// judged at this instant.
    pub time: Timestamp,
    /// The cryptosuites accepted; others fail with `CRYPTOSUITE_NOT_ACCEPTED`.
    pub cryptosuites: Vec<Cryptosuite>,
    /// Input size and depth limits.
    pub limits: Limits,
    /// The challenge a presentation's proof must carry, if any.
    pub challenge: Option<String>,
    /// The domain a presentation's proof must carry, if any.
    pub domain: Option<String>,
}

impl VerifyOptions {
    /// Default options at time `time`: every implemented suite, default limits.
    pub fn at(time: Timestamp) -> Self {
        VerifyOptions {
            time,
            cryptosuites: Cryptosuite::ALL.to_vec(),
            limits: Limits::default(),
            challenge: None,
            domain: None,
        }
    }
}

/// Verifies credentials and presentations against the sources it holds
/// (so far, a DID resolver; `did:key` needs none).
///
/// ```
/// use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
/// use passerelle::crypto::Ed25519KeyPair;
/// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[5; 32]));
/// let unsigned = serde_json::json!({
///     "@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": ["VerifiableCredential"],
///     "issuer": issuer.did(),
///     "credentialSubject": {"id": "did:example:alice"}
/// });
/// let now = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
/// let signed = issuer.issue(unsigned.as_object().unwrap().clone(), now).unwrap();
///
/// let report = Verifier::offline().verify(signed.to_json_string().as_bytes(), &VerifyOptions::at(now));
/// assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
/// ```
pub struct Verifier<R: DidResolver = StaticResolver> {
    resolver: R,
    trust: Option<Box<dyn TrustResolver>>,
    status: Option<Box<dyn StatusResolver>>,
    status_cache: Mutex<HashMap<String, Arc<CachedList>>>,
}

/// A status list credential that passed its checks, expanded.
struct CachedList {
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

impl Verifier<StaticResolver> {
    /// A verifier with no DID documents: only `did:key` signers resolve.
    pub fn offline() -> Self {
        Verifier::new(StaticResolver::default())
    }
}

impl<R: DidResolver> Verifier<R> {
    /// A verifier that resolves DIDs with `resolver`.
    pub fn new(resolver: R) -> Self {
        Verifier {
            resolver,
            trust: None,
            status: None,
            status_cache: Mutex::new(HashMap::new()),
        }
    }

    /// Adds a trust resolver (a [`TrustStore`](crate::registry::TrustStore) of anchors and snapshots, or a
    /// remote registry): credentials then get a `trust` check (skipped when
    /// it has no anchors).
    pub fn with_trust(mut self, trust: impl TrustResolver + 'static) -> Self {
        self.trust = Some(Box::new(trust));
        self
    }

    /// Adds a source of status list credentials: credentials with a
    /// `BitstringStatusListEntry` then get a `status` check.
    pub fn with_status(mut self, status: impl StatusResolver + 'static) -> Self {
        self.status = Some(Box::new(status));
        self
    }

    /// Forgets every cached status list.
    pub fn clear_status_cache(&self) {
        if let Ok(mut cache) = self.status_cache.lock() {
            cache.clear();
        }
    }

    /// The trust resolver, if any.
    pub fn trust(&self) -> Option<&dyn TrustResolver> {
        self.trust.as_deref()
    }

    /// The resolver.
    pub fn resolver(&self) -> &R {
        &self.resolver
    }

    /// Verifies a credential or a presentation (told apart by `type`).
    pub fn verify(&self, input: &[u8], options: &VerifyOptions) -> Report {
        match parse(input, options.limits) {
            Ok((map, parse_check)) => {
                if types_include(&map, "VerifiablePresentation") {
                    self.presentation_checks(map, parse_check, options)
                } else {
                    self.credential_checks(&map, parse_check, options)
                }
            }
            Err(check) => Report::new(
                DocumentKind::Credential,
                with_rest_skipped(check, CREDENTIAL_CHECKS),
                Vec::new(),
            ),
        }
    }

    /// Verifies the bytes of a credential.
    pub fn verify_credential(&self, input: &[u8], options: &VerifyOptions) -> Report {
        match parse(input, options.limits) {
            Ok((map, parse_check)) => self.credential_checks(&map, parse_check, options),
            Err(check) => Report::new(
                DocumentKind::Credential,
                with_rest_skipped(check, CREDENTIAL_CHECKS),
                Vec::new(),
            ),
        }
    }

    /// Verifies an already-parsed credential (its depth is still checked).
    pub fn verify_credential_json(&self, credential: &Map<String, Value>, options: &VerifyOptions) -> Report {
        let check = parsed_check(credential, options.limits);
        match check.outcome {
            Outcome::Passed => self.credential_checks(credential, check, options),
            _ => Report::new(
                DocumentKind::Credential,
                with_rest_skipped(check, CREDENTIAL_CHECKS),
                Vec::new(),
            ),
        }
    }

    /// Verifies the bytes of a presentation and every credential in it.
    pub fn verify_presentation(&self, input: &[u8], options: &VerifyOptions) -> Report {
        match parse(input, options.limits) {
            Ok((map, parse_check)) => self.presentation_checks(map, parse_check, options),
            Err(check) => Report::new(
                DocumentKind::Presentation,
                with_rest_skipped(check, PRESENTATION_CHECKS),
                Vec::new(),
            ),
        }
    }

    fn credential_checks(&self, map: &Map<String, Value>, parse_check: Check, options: &VerifyOptions) -> Report {
        self.credential_report(map, parse_check, options, true)
    }

    /// The credential checks; `full` adds `status` and `trust` (left out
    /// when checking a status list credential itself).
    fn credential_report(
        &self,
        map: &Map<String, Value>,
        parse_check: Check,
        options: &VerifyOptions,
        full: bool,
    ) -> Report {
        let mut checks = vec![parse_check];
        let facts = match check_credential(map) {
            Ok(facts) => facts,
            Err(e) => {
                checks.push(Check::failed(CheckName::DataModel, &e, Vec::new()));
                checks.extend(CREDENTIAL_CHECKS[2..].iter().map(|n| Check::skipped_after_failure(*n)));
                return Report::new(DocumentKind::Credential, checks, Vec::new());
            }
        };
        let mut evidence = vec![
            ("types", credential::types(map).join(", ")),
            ("issuer", facts.issuer.clone()),
        ];
        if let Some(id) = map.get("id").and_then(Value::as_str) {
            evidence.insert(0, ("id", id.to_owned()));
        }
        checks.push(Check::passed(CheckName::DataModel, evidence));

        let signers = self.proof_checks(
            map,
            VerificationRelationship::AssertionMethod,
            options,
            false,
            &mut checks,
        );
        checks.push(key_binding_check(
            signers.as_deref(),
            VerificationRelationship::AssertionMethod,
            Some(&facts.issuer),
            "issuer",
        ));
        checks.push(validity_check(&facts, options.time));
        if full {
            checks.push(self.status_check(map, &facts, options));
            checks.push(self.trust_check(map, &facts, options.time));
        }
        Report::new(DocumentKind::Credential, checks, Vec::new())
    }

    fn presentation_checks(&self, map: Map<String, Value>, parse_check: Check, options: &VerifyOptions) -> Report {
        let mut checks = vec![parse_check];
        let presentation = match Presentation::from_json(map) {
            Ok(p) => p,
            Err(e) => {
                checks.push(Check::failed(CheckName::DataModel, &e, Vec::new()));
                checks.extend(
                    PRESENTATION_CHECKS[2..]
                        .iter()
                        .map(|n| Check::skipped_after_failure(*n)),
                );
                return Report::new(DocumentKind::Presentation, checks, Vec::new());
            }
        };
        let mut evidence = vec![("credentials", presentation.credentials().len().to_string())];
        if let Some(holder) = presentation.holder() {
            evidence.push(("holder", holder.to_owned()));
        }
        checks.push(Check::passed(CheckName::DataModel, evidence));

        let signers = self.proof_checks(
            presentation.json(),
            VerificationRelationship::Authentication,
            options,
            true,
            &mut checks,
        );
        checks.push(key_binding_check(
            signers.as_deref(),
            VerificationRelationship::Authentication,
            presentation.holder(),
            "holder",
        ));

        let reports: Vec<Report> = presentation
            .credentials()
            .into_iter()
            .map(|vc| {
                let parse_check = Check::passed(CheckName::Parse, Vec::new());
                self.credential_checks(vc, parse_check, options)
            })
            .collect();
        let failed: Vec<String> = reports
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.verified())
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        checks.push(if reports.is_empty() {
            Check::skipped(
                CheckName::Credentials,
                "The presentation holds no credential.",
                "La présentation ne contient aucune attestation.",
            )
        } else if failed.is_empty() {
            Check::passed(CheckName::Credentials, vec![("count", reports.len().to_string())])
        } else {
            let error = Error::new(
                ErrorCode::PresentationCredentialInvalid,
                format!("credential(s) {} failed", failed.join(", ")),
            );
            Check::failed(CheckName::Credentials, &error, vec![("failed", failed.join(", "))])
        });
        Report::new(DocumentKind::Presentation, checks, reports)
    }

    /// Runs the proof check (pushed onto `checks`) and returns, when every
    /// proof's key was found, the DID documents and methods for the
    /// key-binding check.
    fn proof_checks(
        &self,
        document: &Map<String, Value>,
        purpose: VerificationRelationship,
        options: &VerifyOptions,
        is_presentation: bool,
        checks: &mut Vec<Check>,
    ) -> Option<Vec<ResolvedMethod>> {
        let proofs = match proofs_of(document) {
            Ok(proofs) => proofs,
            Err(e) => {
                checks.push(Check::failed(CheckName::Proof, &e, Vec::new()));
                return None;
            }
        };
        let mut signers = Vec::with_capacity(proofs.len());
        let mut evidence = Vec::new();
        for proof_json in proofs {
            let found = DataIntegrityProof::parse(proof_json).and_then(|proof| {
                let signer = self.signer_of(&proof, purpose, options, &mut evidence)?;
                Ok((proof, signer))
            });
            let (proof, signer) = match found {
                Ok(found) => found,
                Err(e) => {
                    checks.push(Check::failed(CheckName::Proof, &e, evidence));
                    return None;
                }
            };
            if let Err(e) = check_proof(&proof, document, &signer, options, is_presentation, &mut evidence) {
                checks.push(Check::failed(CheckName::Proof, &e, evidence));
                // The key binding can still be judged: the key was found.
                return Some(vec![signer]);
            }
            signers.push(signer);
        }
        checks.push(Check::passed(CheckName::Proof, evidence));
        Some(signers)
    }

    /// The credential's `BitstringStatusListEntry` entries against their
    /// status lists (Bitstring Status List §3.2).
    fn status_check(&self, map: &Map<String, Value>, facts: &Facts, options: &VerifyOptions) -> Check {
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
        let list = self.status_list(&entry.list_url, entry.status_size, options)?;
        let invalid = |why: String| Error::new(ErrorCode::StatusListInvalid, why);
        if list.issuer != facts.issuer {
            return Err(invalid(format!(
                "the status list is issued by {}, the credential by {}",
                list.issuer, facts.issuer
            )));
        }
        if !list.purposes.iter().any(|p| p == entry.purpose.as_str()) {
            return Err(invalid(format!(
                "the status list is for {:?}, not {}",
                list.purposes,
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
    /// verification time, else fetched and checked like a credential.
    fn status_list(&self, url: &str, status_size: u8, options: &VerifyOptions) -> Result<Arc<CachedList>> {
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
        if size != status_size {
            return Err(invalid("the entry's statusSize differs from the list's".into()));
        }
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

    /// The issuer's authorization at the time the credential was issued:
    /// its `validFrom`, else its proof's `created`, else the verification time.
    fn trust_check(&self, map: &Map<String, Value>, facts: &Facts, now: Timestamp) -> Check {
        let Some(store) = self.trust.as_deref().filter(|s| !s.anchors().is_empty()) else {
            return Check::skipped(
                CheckName::Trust,
                "Not checked: no trust anchor is configured.",
                "Non vérifié : aucune ancre de confiance n’est configurée.",
            );
        };
        let created = proofs_of(map).ok().and_then(|proofs| {
            proofs
                .first()
                .and_then(|p| p.get("created"))
                .and_then(Value::as_str)
                .and_then(|t| Timestamp::parse(t).ok())
        });
        let issued = facts.valid_from.or(created).unwrap_or(now);
        let types = credential::types(map);
        let answer = store.authorize_issuer(&facts.issuer, &types, issued);
        let mut evidence = vec![("issued", issued.to_string())];
        if let (Some(matched), Some(resource)) = (&answer.matched_type, &answer.resource) {
            evidence.push(("type", matched.clone()));
            evidence.push(("resource", resource.clone()));
        }
        if !answer.path.is_empty() {
            evidence.push(("path", answer.path_ids()));
        }
        let (en, fr) = (answer.render_path(Lang::En), answer.render_path(Lang::Fr));
        match &answer.reason {
            None => {
                let mut check = Check::passed(CheckName::Trust, evidence);
                check.message = Message {
                    en: format!("Authorized: {en}.").into(),
                    fr: format!("Autorisé : {fr}.").into(),
                };
                check
            }
            Some(reason) => {
                let mut check = Check::failed(CheckName::Trust, reason, evidence);
                if !answer.path.is_empty() {
                    check.message = Message {
                        en: format!("{} Path: {en}.", reason.message(Lang::En)).into(),
                        fr: format!("{} Chemin : {fr}.", reason.message(Lang::Fr)).into(),
                    };
                }
                check
            }
        }
    }

    /// Checks the proof's suite and purpose, then retrieves its signing key.
    fn signer_of(
        &self,
        proof: &DataIntegrityProof<'_>,
        purpose: VerificationRelationship,
        options: &VerifyOptions,
        evidence: &mut Vec<(&'static str, String)>,
    ) -> Result<ResolvedMethod> {
        evidence.push(("cryptosuite", proof.cryptosuite.as_str().to_owned()));
        evidence.push(("verificationMethod", proof.verification_method.to_owned()));
        if let Some(created) = proof.created {
            evidence.push(("created", created.to_string()));
        }
        if !options.cryptosuites.contains(&proof.cryptosuite) {
            return Err(Error::new(
                ErrorCode::CryptosuiteNotAccepted,
                proof.cryptosuite.as_str(),
            ));
        }
        if proof.proof_purpose != purpose.as_str() {
            let detail = format!(
                "proofPurpose {} where {} is required",
                proof.proof_purpose,
                purpose.as_str()
            );
            return Err(Error::new(ErrorCode::ProofPurposeMismatch, detail));
        }
        did::retrieve_verification_method(proof.verification_method, &self.resolver)
    }
}

/// The signature, then the proof's times, challenge and domain.
fn check_proof(
    proof: &DataIntegrityProof<'_>,
    secured: &Map<String, Value>,
    signer: &ResolvedMethod,
    options: &VerifyOptions,
    is_presentation: bool,
    evidence: &mut Vec<(&'static str, String)>,
) -> Result<()> {
    proof.verify_signature(secured, &signer.method.public_key)?;
    if let Some(created) = proof.created {
        if created > options.time {
            let detail = format!("created {created} is after {}", options.time);
            return Err(Error::new(ErrorCode::ProofCreatedInFuture, detail));
        }
    }
    if let Some(expires) = proof.expires {
        evidence.push(("expires", expires.to_string()));
        if expires <= options.time {
            let detail = format!("expired {expires}, verified at {}", options.time);
            return Err(Error::new(ErrorCode::ProofExpired, detail));
        }
    }
    if is_presentation {
        if let Some(expected) = &options.challenge {
            if proof.challenge != Some(expected.as_str()) {
                return Err(Error::new(
                    ErrorCode::ChallengeMismatch,
                    "the proof's challenge differs from the expected one",
                ));
            }
            evidence.push(("challenge", expected.clone()));
        }
        if let Some(expected) = &options.domain {
            if !proof.domain.as_ref().is_some_and(|d| d.contains(expected)) {
                return Err(Error::new(
                    ErrorCode::DomainMismatch,
                    format!("the proof's domain is not {expected}"),
                ));
            }
            evidence.push(("domain", expected.clone()));
        }
    }
    Ok(())
}

const CREDENTIAL_CHECKS: &[CheckName] = &[
    CheckName::Parse,
    CheckName::DataModel,
    CheckName::Proof,
    CheckName::KeyBinding,
    CheckName::ValidityPeriod,
];
const PRESENTATION_CHECKS: &[CheckName] = &[
    CheckName::Parse,
    CheckName::DataModel,
    CheckName::Proof,
    CheckName::KeyBinding,
    CheckName::Credentials,
];

fn with_rest_skipped(first: Check, names: &[CheckName]) -> Vec<Check> {
    let mut checks = vec![first];
    checks.extend(names[1..].iter().map(|n| Check::skipped_after_failure(*n)));
    checks
}

fn parse(input: &[u8], limits: Limits) -> Result<(Map<String, Value>, Check), Check> {
    match json::parse_object(input, limits) {
        Ok(map) => {
            let check = Check::passed(CheckName::Parse, vec![("bytes", input.len().to_string())]);
            Ok((map, check))
        }
        Err(e) => Err(Check::failed(CheckName::Parse, &e, Vec::new())),
    }
}

fn parsed_check(map: &Map<String, Value>, limits: Limits) -> Check {
    let depth = 1 + map.values().map(json::depth).max().unwrap_or(0);
    if depth > limits.max_depth {
        let e = Error::new(
            ErrorCode::InputTooDeep,
            format!("depth {depth}, limit {}", limits.max_depth),
        );
        return Check::failed(CheckName::Parse, &e, Vec::new());
    }
    Check::passed(CheckName::Parse, Vec::new())
}

fn types_include(map: &Map<String, Value>, name: &str) -> bool {
    match map.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(items)) => items.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

fn key_binding_check(
    signers: Option<&[ResolvedMethod]>,
    relationship: VerificationRelationship,
    expected_controller: Option<&str>,
    role: &'static str,
) -> Check {
    let Some(signers) = signers else {
        return Check::skipped(
            CheckName::KeyBinding,
            "Not checked: the signing key could not be found.",
            "Non vérifié : la clé de signature est introuvable.",
        );
    };
    let mut evidence = Vec::new();
    for signer in signers {
        let method = &signer.method;
        evidence.push(("controller", method.controller.clone()));
        evidence.push((relationship.as_str(), method.id.clone()));
        if !signer.authorizes(relationship) {
            let e = Error::new(
                ErrorCode::VerificationMethodNotAuthorized,
                format!(
                    "{} is not listed under {} of {}",
                    method.id,
                    relationship.as_str(),
                    method.controller
                ),
            );
            return Check::failed(CheckName::KeyBinding, &e, evidence);
        }
        if let Some(expected) = expected_controller {
            evidence.push((role, expected.to_owned()));
            if method.controller != expected {
                let e = Error::new(
                    ErrorCode::KeyControllerMismatch,
                    format!(
                        "the key is controlled by {}, but the {role} is {expected}",
                        method.controller
                    ),
                );
                return Check::failed(CheckName::KeyBinding, &e, evidence);
            }
        }
    }
    Check::passed(CheckName::KeyBinding, evidence)
}

fn validity_check(facts: &Facts, now: Timestamp) -> Check {
    let mut evidence = vec![("time", now.to_string())];
    if let Some(from) = facts.valid_from {
        evidence.push(("validFrom", from.to_string()));
        if now < from {
            let e = Error::new(
                ErrorCode::CredentialNotYetValid,
                format!("valid from {from}, verified at {now}"),
            );
            return Check::failed(CheckName::ValidityPeriod, &e, evidence);
        }
    }
    if let Some(until) = facts.valid_until {
        evidence.push(("validUntil", until.to_string()));
        if now > until {
            let e = Error::new(
                ErrorCode::CredentialExpired,
                format!("valid until {until}, verified at {now}"),
            );
            return Check::failed(CheckName::ValidityPeriod, &e, evidence);
        }
    }
    Check::passed(CheckName::ValidityPeriod, evidence)
}
