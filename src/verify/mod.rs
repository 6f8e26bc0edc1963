//! Verification: a [`Verifier`] (where keys come from) and
//! [`VerifyOptions`] (time, accepted suites, limits, challenge, domain,
//! status policy) give
//! a [`Report`].
//!
//! Verification is a pure function of these inputs: it reads no clock, no
//! network and no disk.

#[cfg(feature = "cose")]
mod cose;
mod jose;
mod presentation;
mod report;
#[cfg(feature = "sd-jwt")]
mod required;
#[cfg(feature = "sd-jwt")]
mod sd_jwt;
#[cfg(feature = "sd-jwt")]
mod sd_jwt_vc;
mod status;
#[cfg(feature = "sd-jwt")]
mod token_status;

use status::CachedList;
pub use status::{StatusPolicy, DEFAULT_STATUS_TTL_SECONDS};

pub use report::{Check, CheckName, DocumentKind, Message, Outcome, Report, REPORT_VERSION};

use serde_json::{Map, Value};

use crate::credential::{check_credential, Facts};
use crate::did::{DidResolver, ResolvedMethod, StaticResolver, VerificationRelationship};
use crate::error::{Error, ErrorCode, Lang, Result};
use crate::jose::Media;
use crate::json::{self, Limits};
use crate::proof::{proofs_of, Cryptosuite};
use crate::registry::{TrustResolver, AT_VERIFICATION};
pub use crate::secured::EvidenceKey;
use crate::secured::{self, KeyCache, ProofInputs};
use crate::status::StatusResolver;
use crate::table::Table;
use crate::time::Timestamp;
use std::sync::{Arc, Mutex};

/// How a credential is secured: embedded Data Integrity proofs, or the
/// JWS around it.
#[derive(Clone, Copy)]
enum Securing<'a> {
    DataIntegrity,
    Jose(&'a crate::jose::Jws<'a>),
    #[cfg(feature = "sd-jwt")]
    SdJwt(&'a sd_jwt::SecuredSdJwt<'a>),
    #[cfg(feature = "cose")]
    Cose(&'a crate::cose::CoseCredential),
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
    /// The challenge the proofs of the document verified must carry, if any
    /// (not those of the credentials a presentation carries).
    pub challenge: Option<String>,
    /// The domain the proofs of the document verified must carry, if any.
    pub domain: Option<String>,
    /// Whether the `trust` check also requires the issuer's authorization
    /// and its recognition path to be in force at [`time`](Self::time), not
    /// only at the issuance time the credential claims (kiosks,
    /// high-assurance verifiers). Off by default: a credential issued while
    /// its issuer was authorized stays valid after the authorization
    /// ends, unless it was revoked or suspended. See
    /// [`TrustTime`](crate::registry::TrustTime).
    pub trust_at_verification_time: bool,
    /// What the `status` check does with status it cannot check: no status
    /// list source, entries of unknown types. The default fails closed.
    pub status_policy: StatusPolicy,
    /// Claims the credential must hold as presented, as JSON pointers
    /// (`/credentialSubject/ageOver19`): what a verifier asks a holder to
    /// disclose. One missing fails the `data_model` check
    /// (`REQUIRED_CLAIM_MISSING`), whatever the credential's format.
    #[cfg(feature = "sd-jwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sd-jwt")))]
    pub required_claims: Vec<String>,
    /// Issuers' verification methods the caller vouches for (closed
    /// ecosystems, test suites): a proof or token naming one of them by its
    /// id (or, with a JWK thumbprint `kid`, by its controller and its key's
    /// thumbprint) is checked with its key without resolving its
    /// controller, and the `key_binding` check says the key was pinned by
    /// the verifier, not found in a document. A pin counts for assertions
    /// (credentials, status lists), never for a holder's authentication;
    /// the method's controller must still be the issuer. Other methods are
    /// resolved as usual.
    #[cfg(feature = "cid")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cid")))]
    pub pinned_methods: Vec<crate::did::VerificationMethod>,
}

impl VerifyOptions {
    /// The methods the caller pinned (none without the `cid` feature).
    pub(crate) fn pinned(&self) -> &[crate::did::VerificationMethod] {
        #[cfg(feature = "cid")]
        return &self.pinned_methods;
        #[cfg(not(feature = "cid"))]
        &[]
    }

    /// Default options at time `time`: every implemented suite, default limits.
    pub fn at(time: Timestamp) -> Self {
        VerifyOptions {
            time,
            cryptosuites: Cryptosuite::ALL.to_vec(),
            limits: Limits::default(),
            challenge: None,
            domain: None,
            trust_at_verification_time: false,
            status_policy: StatusPolicy::default(),
            #[cfg(feature = "sd-jwt")]
            required_claims: Vec::new(),
            #[cfg(feature = "cid")]
            pinned_methods: Vec::new(),
        }
    }
}

/// Verifies credentials and presentations against the sources it holds: a
/// DID resolver (`did:key` and `did:jwk` need none), and optionally a trust
/// resolver and a status list source.
///
/// Reuse one verifier: it keeps the keys of `did:key`/`did:jwk` issuers it
/// has decoded and the status lists it has checked (for their time to live).
/// A `Verifier<R>` is `Send + Sync` whenever `R` is (its trust and status
/// sources must be, and its caches are behind locks): an issuer service
/// shares one, in an `Arc`, across threads.
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
    trust: Option<Box<dyn TrustResolver + Send + Sync>>,
    status: Option<Box<dyn StatusResolver + Send + Sync>>,
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
    /// it has no anchors). `Send + Sync` so that the verifier can be shared
    /// across threads (a cache inside it goes behind a `Mutex`).
    pub fn with_trust(mut self, trust: impl TrustResolver + Send + Sync + 'static) -> Self {
        self.trust = Some(Box::new(trust));
        self
    }

    /// Adds a source of status list credentials: credentials with a
    /// `BitstringStatusListEntry` then get a `status` check. `Send + Sync`
    /// like [`with_trust`](Self::with_trust)'s.
    pub fn with_status(mut self, status: impl StatusResolver + Send + Sync + 'static) -> Self {
        self.status = Some(Box::new(status));
        self
    }

    /// Forgets every cached status list.
    pub fn clear_status_cache(&self) {
        if let Ok(mut cache) = self.status_cache.lock() {
            cache.clear();
        }
    }

    /// Forgets every cached status list and every key kept from a fixed
    /// document ([`DidResolver::is_fixed`]): for a resolver whose supplied
    /// documents changed.
    pub fn forget_supplied(&self) {
        self.clear_status_cache();
        self.keys.clear();
    }

    /// The trust resolver, if any.
    pub fn trust(&self) -> Option<&dyn TrustResolver> {
        self.trust.as_deref().map(|t| t as &dyn TrustResolver)
    }

    /// The resolver.
    pub fn resolver(&self) -> &R {
        &self.resolver
    }

    /// Verifies a credential or a presentation (told apart by `type`): JSON
    /// with Data Integrity proofs, an enveloped credential or presentation,
    /// a compact JWS (`vc+jwt`, `vp+jwt`), an SD-JWT (`vc+sd-jwt`,
    /// `dc+sd-jwt`; feature `sd-jwt`) or a COSE_Sign1 as bytes or base64
    /// (`vc+cose`; feature `cose`), each told apart by its content.
    pub fn verify(&self, input: &[u8], options: &VerifyOptions) -> Report {
        #[cfg(feature = "cose")]
        if let Some(bytes) = crate::cose::cose_bytes(input, options.limits) {
            return self.verify_cose(&bytes, options);
        }
        if crate::jose::looks_like_compact_jws(input) {
            return self.verify_jwt(input, options);
        }
        match parse(input, options.limits) {
            Ok((map, parse_check)) => {
                if let Some(media) = enveloped(&map, None) {
                    return self.verify_enveloped(&map, media, options);
                }
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

    /// Verifies the bytes of a credential, in any of the forms
    /// [`Verifier::verify`] reads.
    pub fn verify_credential(&self, input: &[u8], options: &VerifyOptions) -> Report {
        let expected = jose::Expected::Kind(Media::Credential);
        #[cfg(feature = "cose")]
        if let Some(bytes) = crate::cose::cose_bytes(input, options.limits) {
            return self.verify_cose_as(&bytes, options, expected);
        }
        if crate::jose::looks_like_compact_jws(input) {
            return self.verify_jwt_as(input, options, expected);
        }
        match parse(input, options.limits) {
            Ok((map, _)) if enveloped(&map, Some(Media::Credential)).is_some() => {
                self.verify_enveloped(&map, Media::Credential, options)
            }
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
            Outcome::Passed if enveloped(credential, Some(Media::Credential)).is_some() => {
                self.verify_enveloped(credential, Media::Credential, options)
            }
            Outcome::Passed => self.credential_checks(credential, check, options),
            _ => Report::new(
                DocumentKind::Credential,
                with_rest_skipped(check, CREDENTIAL_CHECKS),
                Vec::new(),
            ),
        }
    }

    /// Verifies the bytes of a presentation (JSON, a `vp+jwt`, a
    /// `vp+sd-jwt`, a `vp+cose` as bytes or base64) and every credential in
    /// it. A credential is refused (`TYPE_INVALID`).
    pub fn verify_presentation(&self, input: &[u8], options: &VerifyOptions) -> Report {
        let expected = jose::Expected::Kind(Media::Presentation);
        #[cfg(feature = "cose")]
        if let Some(bytes) = crate::cose::cose_bytes(input, options.limits) {
            return self.verify_cose_as(&bytes, options, expected);
        }
        if crate::jose::looks_like_compact_jws(input) {
            return self.verify_jwt_as(input, options, expected);
        }
        match parse(input, options.limits) {
            Ok((map, _)) if enveloped(&map, Some(Media::Presentation)).is_some() => {
                self.verify_enveloped(&map, Media::Presentation, options)
            }
            Ok((map, parse_check)) => self.presentation_checks(map, parse_check, options, Securing::DataIntegrity),
            Err(check) => Report::new(
                DocumentKind::Presentation,
                with_rest_skipped(check, PRESENTATION_CHECKS),
                Vec::new(),
            ),
        }
    }

    fn credential_checks(&self, map: &Map<String, Value>, parse_check: Check, options: &VerifyOptions) -> Report {
        self.credential_report(map, parse_check, options, Securing::DataIntegrity)
    }

    /// Every check of a credential, as the report people read.
    fn credential_report(
        &self,
        map: &Map<String, Value>,
        parse_check: Check,
        options: &VerifyOptions,
        securing: Securing<'_>,
    ) -> Report {
        let mut checks = vec![parse_check];
        let checked = check_credential(map);
        #[cfg(feature = "sd-jwt")]
        let checked =
            checked.and_then(|facts| required::check_required_claims(map, &options.required_claims).map(|()| facts));
        let facts = match checked {
            Ok(facts) => facts,
            Err(e) => {
                checks.push(Check::failed(CheckName::DataModel, &e, Vec::new()));
                return Report::new(
                    DocumentKind::Credential,
                    with_rest_skipped_after(checks, CREDENTIAL_CHECKS),
                    Vec::new(),
                );
            }
        };
        let mut evidence = Vec::new();
        if let Some(id) = map.get("id").and_then(Value::as_str) {
            evidence.push((EvidenceKey::Id, id.to_owned()));
        }
        evidence.extend(facts.types.iter().map(|t| (EvidenceKey::Types, t.clone())));
        evidence.push((EvidenceKey::Issuer, facts.issuer.clone()));
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
            #[cfg(feature = "sd-jwt")]
            Securing::SdJwt(secured) => self.sd_jwt_proof_check(secured, &facts.issuer, options, &mut checks),
            #[cfg(feature = "cose")]
            Securing::Cose(credential) => self.cose_proof_check(credential, &facts.issuer, options, &mut checks),
        };
        checks.push(key_binding_check(
            signers.as_deref(),
            VerificationRelationship::AssertionMethod,
            Some(&facts.issuer),
            EvidenceKey::Issuer,
        ));
        if signature_held(&checks) {
            checks.push(validity_check(&facts, options.time));
            checks.push(self.status_check(map, &facts, options));
            checks.push(self.trust_check(map, &facts, options));
        } else {
            skip_claim_checks(&mut checks);
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
        let inputs = self.proof_inputs(options);
        let proofs = secured::check_proofs(document, purpose, &self.resolver, &self.keys, &inputs, is_presentation);
        checks.push(match &proofs.error {
            None => Check::passed(CheckName::Proof, proofs.evidence),
            Some(e) => Check::failed(CheckName::Proof, e, proofs.evidence),
        });
        proofs.signers
    }

    fn proof_inputs<'o>(&'o self, options: &'o VerifyOptions) -> ProofInputs<'o> {
        ProofInputs {
            time: options.time,
            cryptosuites: &options.cryptosuites,
            contexts: self.contexts(),
            challenge: options.challenge.as_deref(),
            domain: options.domain.as_deref(),
            pinned: options.pinned(),
        }
    }

    /// The issuer's authorization at the issuance time the credential
    /// claims (its `validFrom`, else its proof's `created`, else the time of
    /// verification), refused if revoked or suspended since, and also at
    /// the time of verification with `trust_at_verification_time`. A
    /// credential claiming to be issued after the time of verification is
    /// refused (`CREDENTIAL_NOT_YET_VALID`): its date is known to be false,
    /// so there is no time to judge the authorization at.
    fn trust_check(&self, map: &Map<String, Value>, facts: &Facts, options: &VerifyOptions) -> Check {
        let Some(store) = self.trust.as_deref().filter(|s| !s.anchors().is_empty()) else {
            return Check::skipped(
                CheckName::Trust,
                "Not checked: no trust anchor is configured.",
                "Non vérifié : aucune ancre de confiance n’est configurée.",
            );
        };
        let now = options.time;
        let created = proofs_of(map).ok().and_then(|proofs| {
            proofs
                .first()
                .and_then(|p| p.get("created"))
                .and_then(Value::as_str)
                .and_then(|t| Timestamp::parse(t).ok())
        });
        let (issued, source) = match (facts.valid_from, created) {
            (Some(from), _) => (from, IssuedFrom::ValidFrom),
            (None, Some(created)) => (created, IssuedFrom::ProofCreated),
            (None, None) => (now, IssuedFrom::Verification),
        };
        let strict = options.trust_at_verification_time;
        let mut evidence = vec![
            (EvidenceKey::Issued, issued.to_string()),
            (EvidenceKey::IssuedFrom, source.name().to_owned()),
            (EvidenceKey::JudgedAt, issued.to_string()),
        ];
        if strict && now != issued {
            evidence.push((EvidenceKey::JudgedAt, now.to_string()));
        }
        if issued > now {
            let e = Error::new(
                ErrorCode::CredentialNotYetValid,
                format!("claims to be issued at {issued}, after the time of verification {now}"),
            );
            let mut check = Check::failed(CheckName::Trust, &e, vec![(EvidenceKey::Issued, issued.to_string())]);
            check.message = Message {
                en: format!(
                    "The credential claims to be issued at {issued}, after the time of verification ({now}): \
                     its issuer’s authorization cannot be judged."
                )
                .into(),
                fr: format!(
                    "L’attestation se dit délivrée le {issued}, après le moment de la vérification ({now}) : \
                     l’autorisation de son émetteur ne peut pas être évaluée."
                )
                .into(),
            };
            return check;
        }
        let types: Vec<&str> = facts.types.iter().map(String::as_str).collect();
        let when = crate::registry::TrustTime {
            issued,
            verified: now,
            strict,
        };
        let answer = store.authorize_issuer_when(&facts.issuer, &types, when);
        if let (Some(matched), Some(resource)) = (&answer.matched_type, &answer.resource) {
            evidence.push((EvidenceKey::Type, matched.clone()));
            evidence.push((EvidenceKey::Resource, resource.clone()));
        }
        if !answer.path.is_empty() {
            evidence.push((EvidenceKey::Path, answer.path_ids()));
        }
        let (en, fr) = (answer.render_path(Lang::En), answer.render_path(Lang::Fr));
        // A stale snapshot is judged at the time of verification: say so.
        let stale = matches!(&answer.reason, Some(r) if r.code() == ErrorCode::SnapshotStale);
        let (when_en, when_fr) = source.sentence(issued, (strict || stale).then_some(now));
        match &answer.reason {
            None => {
                let mut check = Check::passed(CheckName::Trust, evidence);
                check.message = Message {
                    en: format!("Authorized: {en}. {when_en}").into(),
                    fr: format!("Autorisé : {fr}. {when_fr}").into(),
                };
                check
            }
            Some(reason) => {
                let at_verification = reason.detail().starts_with(AT_VERIFICATION);
                let (reason_en, reason_fr) = if at_verification {
                    (
                        format!("The issuer is not authorized at the time of verification ({now}), which this verifier requires ({}).", reason.code()),
                        format!("L’émetteur n’est pas autorisé au moment de la vérification ({now}), ce que ce vérificateur exige ({}).", reason.code()),
                    )
                } else {
                    (reason.message(Lang::En).to_owned(), reason.message(Lang::Fr).to_owned())
                };
                let mut check = Check::failed(CheckName::Trust, reason, evidence);
                let (path_en, path_fr) = if answer.path.is_empty() {
                    (String::new(), String::new())
                } else {
                    (format!(" Path: {en}."), format!(" Chemin : {fr}."))
                };
                check.message = Message {
                    en: format!("{reason_en}{path_en} {when_en}").into(),
                    fr: format!("{reason_fr}{path_fr} {when_fr}").into(),
                };
                check
            }
        }
    }
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

/// Where the issuance time the `trust` check judges at comes from.
#[derive(Clone, Copy)]
enum IssuedFrom {
    ValidFrom,
    ProofCreated,
    Verification,
}

impl IssuedFrom {
    /// The evidence value.
    fn name(self) -> &'static str {
        match self {
            IssuedFrom::ValidFrom => "validFrom",
            IssuedFrom::ProofCreated => "proof created",
            IssuedFrom::Verification => "none (time of verification)",
        }
    }

    /// Which time(s) the authorization was judged at, in English and
    /// French; `also` is the time of verification when it was judged then
    /// as well.
    fn sentence(self, issued: Timestamp, also: Option<Timestamp>) -> (String, String) {
        let (claimed_en, claimed_fr) = match self {
            IssuedFrom::ValidFrom => ("validFrom", "validFrom"),
            IssuedFrom::ProofCreated => ("its proof’s created", "created de sa preuve"),
            IssuedFrom::Verification => {
                return (
                    format!("Time used: the time of verification, {issued}, as the credential claims no issuance date."),
                    format!(
                        "Moment retenu : le moment de la vérification, le {issued}, car l’attestation ne déclare pas de date de délivrance."
                    ),
                )
            }
        };
        match also.filter(|now| *now != issued) {
            None => (
                format!(
                    "Time used: {issued}, the issuance date the credential claims ({claimed_en}); \
                     a revocation or suspension since also counts."
                ),
                format!(
                    "Moment retenu : le {issued}, date de délivrance déclarée par l’attestation ({claimed_fr}) ; \
                     une révocation ou une suspension depuis compte aussi."
                ),
            ),
            Some(now) => (
                format!(
                    "Times used: {issued}, the issuance date the credential claims ({claimed_en}), \
                     and the time of verification, {now}."
                ),
                format!(
                    "Moments retenus : le {issued}, date de délivrance déclarée par l’attestation ({claimed_fr}), \
                     et le moment de la vérification, le {now}."
                ),
            ),
        }
    }
}

/// The checks that read a credential's claims (its dates, status entries,
/// issuer and types), each a decision the signature must cover.
const CLAIM_CHECKS: [CheckName; 3] = [CheckName::ValidityPeriod, CheckName::Status, CheckName::Trust];

/// Adds the [`CLAIM_CHECKS`], skipped: what [`signature_held`] refused.
/// Inlined: a call of its own costs the verifier module 50 bytes.
#[inline]
pub(super) fn skip_claim_checks(checks: &mut Vec<Check>) {
    for name in CLAIM_CHECKS {
        checks.push(Check::skipped_after_failure(name));
    }
}

/// Whether the claims of the credential whose checks so far are `checks`
/// are covered by a valid signature: its proof and key binding did not
/// fail. Otherwise the [`CLAIM_CHECKS`] are skipped, in every build: a
/// forger's dates, status entries or issuer would have the report say
/// "valid", "revoked" or "authorized" from data nobody signed, and no
/// status list is fetched for entries a forger chose
/// (draft-ietf-oauth-status-list, Validation Rules: no status procedure
/// for an invalid token).
pub(super) fn signature_held(checks: &[Check]) -> bool {
    !checks
        .iter()
        .any(|c| matches!(c.name, CheckName::Proof | CheckName::KeyBinding) && c.outcome == Outcome::Failed)
}

fn with_rest_skipped(first: Check, names: &[CheckName]) -> Vec<Check> {
    with_rest_skipped_after(vec![first], names)
}

/// `checks`, the last of which failed, then the rest of `names` skipped.
pub(super) fn with_rest_skipped_after(mut checks: Vec<Check>, names: &[CheckName]) -> Vec<Check> {
    checks.extend(names[checks.len()..].iter().map(|n| Check::skipped_after_failure(*n)));
    checks
}

fn parse(input: &[u8], limits: Limits) -> Result<(Map<String, Value>, Check), Check> {
    match json::parse_object(input, limits) {
        Ok(map) => {
            let check = Check::passed(CheckName::Parse, vec![(EvidenceKey::Bytes, input.len().to_string())]);
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

/// The content an envelope's `type` says it holds (of `only` that kind,
/// when given); `None` for a document that is not an envelope.
#[inline(never)]
fn enveloped(map: &Map<String, Value>, only: Option<Media>) -> Option<Media> {
    // Without `jose` an envelope is read as the document it claims to be,
    // which its data model check refuses: no envelope code in that build.
    if !cfg!(feature = "jose") {
        return None;
    }
    [Media::Credential, Media::Presentation]
        .into_iter()
        .filter(|media| only.is_none_or(|only| only == *media))
        .find(|media| types_include(map, media.enveloped_type()))
}

fn types_include(map: &Map<String, Value>, name: &str) -> bool {
    match map.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(items)) => items.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

/// The key-binding check over the signers the proof check found.
fn key_binding_check(
    signers: Option<&[Arc<ResolvedMethod>]>,
    relationship: VerificationRelationship,
    expected_controller: Option<&str>,
    role: EvidenceKey,
) -> Check {
    let Some(signers) = signers else {
        return Check::skipped(
            CheckName::KeyBinding,
            "Not checked: the signing key could not be found.",
            "Non vérifié : la clé de signature est introuvable.",
        );
    };
    match secured::check_key_binding(signers, relationship, expected_controller, role) {
        (evidence, Ok(())) => Check::passed(CheckName::KeyBinding, evidence),
        (evidence, Err(e)) => Check::failed(CheckName::KeyBinding, &e, evidence),
    }
}

/// The validity-period check at the verification time.
fn validity_check(facts: &Facts, now: Timestamp) -> Check {
    match secured::check_validity(facts, now) {
        (evidence, Ok(())) => Check::passed(CheckName::ValidityPeriod, evidence),
        (evidence, Err(e)) => Check::failed(CheckName::ValidityPeriod, &e, evidence),
    }
}
