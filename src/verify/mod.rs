//! Verification: a [`Verifier`] (where keys come from) and
//! [`VerifyOptions`] (time, accepted suites, limits, challenge, domain,
//! status policy) give
//! a [`Report`].
//!
//! Verification is a pure function of these inputs: it reads no clock, no
//! network and no disk.

mod jose;
mod keys;
mod presentation;
mod report;
mod status;

use status::CachedList;
pub use status::{StatusPolicy, DEFAULT_STATUS_TTL_SECONDS};

pub use report::{Check, CheckName, DocumentKind, Message, Outcome, Report};

use serde_json::{Map, Value};

use crate::credential::{self, check_credential, Facts};
use crate::did::{DidResolver, ResolvedMethod, StaticResolver, VerificationRelationship};
use crate::error::{Error, ErrorCode, Lang, Result};
use crate::json::{self, Limits};
use crate::proof::{proofs_of, Cryptosuite, DataIntegrityProof};
use crate::registry::TrustResolver;
use crate::status::StatusResolver;
use crate::table::Table;
use crate::time::Timestamp;
use keys::KeyCache;
use std::sync::{Arc, Mutex};

/// How a credential is secured: embedded Data Integrity proofs, or the
/// JWS around it.
#[derive(Clone, Copy)]
enum Securing<'a> {
    DataIntegrity,
    Jose(&'a crate::jose::Jws<'a>),
}

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
    /// What the `status` check does with status it cannot check: no status
    /// list source, entries of unknown types. The default fails closed.
    pub status_policy: StatusPolicy,
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
            status_policy: StatusPolicy::default(),
        }
    }
}

/// Verifies credentials and presentations against the sources it holds: a
/// DID resolver (`did:key` and `did:jwk` need none), and optionally a trust
/// resolver and a status list source.
///
/// Reuse one verifier: it keeps the keys of `did:key`/`did:jwk` issuers it
/// has decoded and the status lists it has checked (for their time to live).
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
    status_cache: Mutex<Table<Arc<CachedList>>>,
    keys: KeyCache,
    #[cfg(feature = "rdfc")]
    jsonld: Option<Arc<crate::jsonld::JsonLd>>,
}

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
            status_cache: Mutex::new(Table::default()),
            keys: KeyCache::default(),
            #[cfg(feature = "rdfc")]
            jsonld: None,
        }
    }

    /// The JSON-LD processor the `*-rdfc-*` suites use: the bundled
    /// contexts plus the loaders added to it. Without it, the bundled
    /// contexts only; a credential with any other context fails with
    /// `CONTEXT_UNKNOWN`.
    #[cfg(feature = "rdfc")]
    pub fn with_contexts(mut self, jsonld: Arc<crate::jsonld::JsonLd>) -> Self {
        self.jsonld = Some(jsonld);
        self
    }

    fn contexts(&self) -> crate::proof::Contexts<'_> {
        #[cfg(feature = "rdfc")]
        return self.jsonld.as_deref();
        #[cfg(not(feature = "rdfc"))]
        None
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

    /// Verifies a credential or a presentation (told apart by `type`), in
    /// JSON with Data Integrity proofs or as a compact JWS (`vc+jwt`).
    pub fn verify(&self, input: &[u8], options: &VerifyOptions) -> Report {
        if crate::jose::looks_like_compact_jws(input) {
            return self.verify_jwt(input, options);
        }
        match parse(input, options.limits) {
            Ok((map, parse_check)) => {
                if types_include(&map, "VerifiablePresentation") {
                    self.presentation_checks(map, parse_check, options, Securing::DataIntegrity)
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

    /// Verifies the bytes of a credential (JSON, or a compact `vc+jwt`).
    pub fn verify_credential(&self, input: &[u8], options: &VerifyOptions) -> Report {
        if crate::jose::looks_like_compact_jws(input) {
            return self.verify_jwt(input, options);
        }
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

    /// Verifies the bytes of a presentation (JSON, or a compact `vp+jwt`)
    /// and every credential in it.
    pub fn verify_presentation(&self, input: &[u8], options: &VerifyOptions) -> Report {
        if crate::jose::looks_like_compact_jws(input) {
            return self.verify_jwt(input, options);
        }
        match parse(input, options.limits) {
            Ok((map, parse_check)) => self.presentation_checks(map, parse_check, options, Securing::DataIntegrity),
            Err(check) => Report::new(
                DocumentKind::Presentation,
                with_rest_skipped(check, PRESENTATION_CHECKS),
                Vec::new(),
            ),
        }
    }

    fn credential_checks(&self, map: &Map<String, Value>, parse_check: Check, options: &VerifyOptions) -> Report {
        self.credential_report(map, parse_check, options, true, Securing::DataIntegrity)
    }

    /// The credential checks; `full` adds `status` and `trust` (left out
    /// when checking a status list credential itself).
    fn credential_report(
        &self,
        map: &Map<String, Value>,
        parse_check: Check,
        options: &VerifyOptions,
        full: bool,
        securing: Securing<'_>,
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

        let signers = match securing {
            Securing::DataIntegrity => self.proof_checks(
                map,
                VerificationRelationship::AssertionMethod,
                options,
                false,
                &mut checks,
            ),
            Securing::Jose(jws) => self.jose_proof_check(jws, &facts.issuer, options, &mut checks),
        };
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
    ) -> Option<Vec<Arc<ResolvedMethod>>> {
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
            let contexts = self.contexts();
            if let Err(e) = check_proof(
                &proof,
                document,
                &signer,
                options,
                is_presentation,
                contexts,
                &mut evidence,
            ) {
                checks.push(Check::failed(CheckName::Proof, &e, evidence));
                // The key binding can still be judged: the key was found.
                return Some(vec![signer]);
            }
            signers.push(signer);
        }
        checks.push(Check::passed(CheckName::Proof, evidence));
        Some(signers)
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
    ) -> Result<Arc<ResolvedMethod>> {
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
        self.keys.retrieve(proof.verification_method, &self.resolver)
    }
}

/// The signature, then the proof's times, challenge and domain.
fn check_proof(
    proof: &DataIntegrityProof<'_>,
    secured: &Map<String, Value>,
    signer: &ResolvedMethod,
    options: &VerifyOptions,
    is_presentation: bool,
    contexts: crate::proof::Contexts<'_>,
    evidence: &mut Vec<(&'static str, String)>,
) -> Result<()> {
    proof.verify_signature_in(secured, &signer.method.public_key, contexts)?;
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
    signers: Option<&[Arc<ResolvedMethod>]>,
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
