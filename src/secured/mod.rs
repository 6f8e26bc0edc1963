//! A secured document, checked: its Data Integrity proofs verify with keys
//! of its issuer (or holder), it reads as signed, and it is valid at a
//! given time. Each check is a function returning a typed outcome with its
//! evidence; nothing here builds the report people read (`verify/` does,
//! from these outcomes).
//!
//! Sub-verifications — registry snapshots, status list credentials — call
//! [`verify_secured_credential`], which stops at the first failure and
//! returns a [`VerifiedCredential`] or the [`Stage`] that failed.

mod evidence;
mod keys;

pub use evidence::EvidenceKey;

pub(crate) use keys::KeyCache;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::credential::{check_credential, Facts};
use crate::did::{DidResolver, ResolvedMethod};
use crate::error::{Error, ErrorCode, Result};
use crate::proof::{link, proofs_of, Contexts, Cryptosuite, DataIntegrityProof, VerificationRelationship};
use crate::time::Timestamp;

/// What a check found, as `(name, value)` pairs shown in reports.
pub(crate) type Evidence = Vec<(EvidenceKey, String)>;

/// What the proof checks are given besides the document.
#[derive(Clone, Copy)]
pub(crate) struct ProofInputs<'a> {
    /// The verification time.
    pub(crate) time: Timestamp,
    /// The accepted suites.
    pub(crate) cryptosuites: &'a [Cryptosuite],
    /// The JSON-LD processor of the rdfc suites (`None`: bundled contexts).
    pub(crate) contexts: Contexts<'a>,
    /// The challenge the document's proofs must carry.
    pub(crate) challenge: Option<&'a str>,
    /// The domain a presentation's proof must carry.
    pub(crate) domain: Option<&'a str>,
    /// The verification methods the caller pinned.
    pub(crate) pinned: &'a [crate::did::VerificationMethod],
}

/// The outcome of the proof check of a document.
pub(crate) struct Proofs {
    /// The signing keys, when every proof's key was found (even if a
    /// signature then failed: the key binding can still be judged).
    pub(crate) signers: Option<Vec<Arc<ResolvedMethod>>>,
    /// The suites, keys and times read.
    pub(crate) evidence: Evidence,
    /// Why the check failed, if it did.
    pub(crate) error: Option<Error>,
}

/// Checks every proof of `document` for `purpose`: first that the proofs'
/// `previousProof` references hold (each names one proof of the set, no
/// cycle), then for each proof suite accepted, purpose, key retrieved,
/// signature (over the proofs it names, for a proof of a chain), times,
/// challenge and domain; then, when a proof is over the JSON-LD dataset,
/// that the members read say what was signed. Every proof must pass, so a
/// chain one of whose proofs fails does not verify.
pub(crate) fn check_proofs(
    document: &Map<String, Value>,
    purpose: VerificationRelationship,
    resolver: &dyn DidResolver,
    keys: &KeyCache,
    inputs: &ProofInputs<'_>,
    is_presentation: bool,
) -> Proofs {
    let mut evidence = Vec::new();
    let failed = |error, evidence, signers| Proofs {
        signers,
        evidence,
        error: Some(error),
    };
    let proofs = match proofs_of(document) {
        Ok(proofs) => proofs,
        Err(e) => return failed(e, evidence, None),
    };
    let chains = match link(&proofs) {
        Ok(chains) => chains,
        Err(e) => return failed(e, evidence, None),
    };
    let mut signers = Vec::with_capacity(proofs.len());
    let mut signed_as_dataset = false;
    for (proof_json, named) in proofs.iter().zip(&chains) {
        let found = DataIntegrityProof::parse(proof_json).and_then(|proof| {
            let signer = signer_of(&proof, purpose, resolver, keys, inputs, &mut evidence)?;
            Ok((proof, signer))
        });
        let (proof, signer) = match found {
            Ok(found) => found,
            Err(e) => return failed(e, evidence, None),
        };
        let previous: Vec<&Map<String, Value>> = named.iter().map(|&i| proofs[i]).collect();
        let checked = check_proof(&proof, document, &previous, &signer, inputs, &mut evidence);
        if let Err(e) = checked {
            return failed(e, evidence, Some(vec![signer]));
        }
        signers.push(signer);
        signed_as_dataset |= proof.cryptosuite.is_rdfc();
    }
    // Each rdfc proof signed the document with its previous proofs under
    // `proof`, a graph container (its own named graphs): they add no
    // statement about the members read, so one comparison of those members
    // with the document without its proofs holds for every proof.
    if signed_as_dataset {
        if let Err(e) = check_read_as_signed(document, inputs.contexts, is_presentation) {
            return failed(e, evidence, Some(signers));
        }
    }
    Proofs {
        signers: Some(signers),
        evidence,
        error: None,
    }
}

/// Checks the proof's suite and purpose, then retrieves its signing key.
fn signer_of(
    proof: &DataIntegrityProof<'_>,
    purpose: VerificationRelationship,
    resolver: &dyn DidResolver,
    keys: &KeyCache,
    inputs: &ProofInputs<'_>,
    evidence: &mut Evidence,
) -> Result<Arc<ResolvedMethod>> {
    if let Some(id) = proof.id {
        evidence.push((EvidenceKey::ProofId, id.to_owned()));
    }
    for previous in &proof.previous_proof {
        evidence.push((EvidenceKey::PreviousProof, (*previous).to_owned()));
    }
    evidence.push((EvidenceKey::Cryptosuite, proof.cryptosuite.as_str().to_owned()));
    evidence.push((EvidenceKey::VerificationMethod, proof.verification_method.to_owned()));
    if let Some(created) = proof.created {
        evidence.push((EvidenceKey::Created, created.to_string()));
    }
    if !inputs.cryptosuites.contains(&proof.cryptosuite) {
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
    keys.retrieve(proof.verification_method, inputs.pinned, resolver, inputs.time)
}

/// The signature (over `previous`, the proofs it names), then the proof's
/// times, challenge and domain.
fn check_proof(
    proof: &DataIntegrityProof<'_>,
    secured: &Map<String, Value>,
    previous: &[&Map<String, Value>],
    signer: &ResolvedMethod,
    inputs: &ProofInputs<'_>,
    evidence: &mut Evidence,
) -> Result<()> {
    verify_signature(proof, secured, previous, signer, inputs)?;
    if let Some(created) = proof.created {
        if created > inputs.time {
            let detail = format!("created {created} is after {}", inputs.time);
            return Err(Error::new(ErrorCode::ProofCreatedInFuture, detail));
        }
    }
    if let Some(expires) = proof.expires {
        evidence.push((EvidenceKey::Expires, expires.to_string()));
        if expires <= inputs.time {
            let detail = format!("expired {expires}, verified at {}", inputs.time);
            return Err(Error::new(ErrorCode::ProofExpired, detail));
        }
    }
    // VC Data Integrity §4.4 steps 6-7, for any document: a credential
    // verified against a challenge must carry it too.
    if let Some(expected) = inputs.challenge {
        if proof.challenge != Some(expected) {
            return Err(Error::new(
                ErrorCode::ChallengeMismatch,
                "the proof's challenge differs from the expected one",
            ));
        }
        evidence.push((EvidenceKey::Challenge, expected.to_owned()));
    }
    if let Some(expected) = inputs.domain {
        if !proof.domain.as_ref().is_some_and(|d| d.iter().any(|d| d == expected)) {
            return Err(Error::new(
                ErrorCode::DomainMismatch,
                format!("the proof's domain is not {expected}"),
            ));
        }
        evidence.push((EvidenceKey::Domain, expected.to_owned()));
    }
    Ok(())
}

/// The proof's signature. An `ecdsa-sd-2023` derived proof must also show
/// every statement outside the credential subjects as mandatory: one the
/// holder chose to show means the issuer let holders drop such statements
/// (status, validity), and the verifier cannot see what was dropped.
fn verify_signature(
    proof: &DataIntegrityProof<'_>,
    secured: &Map<String, Value>,
    previous: &[&Map<String, Value>],
    signer: &ResolvedMethod,
    inputs: &ProofInputs<'_>,
) -> Result<()> {
    let key = &signer.method.public_key;
    #[cfg(feature = "ecdsa-sd")]
    if proof.cryptosuite == crate::proof::Cryptosuite::EcdsaSd2023 {
        let revealed = proof.verify_derived_over(secured, previous, key, inputs.contexts)?;
        return match revealed.selective_outside_subject {
            None => Ok(()),
            Some(statement) => Err(Error::new(
                ErrorCode::DisclosureNotMandatory,
                format!("the holder chose to show {statement}"),
            )),
        };
    }
    proof.verify_signature_over(secured, previous, key, inputs.contexts)
}

/// With a JSON-LD suite the signature covers the dataset, not the JSON:
/// the members the verifier reads must say what the dataset says.
#[cfg(feature = "rdfc")]
fn check_read_as_signed(document: &Map<String, Value>, contexts: Contexts<'_>, is_presentation: bool) -> Result<()> {
    let jsonld = crate::proof::processor(contexts);
    let members = if is_presentation {
        crate::credential::members::PRESENTATION
    } else {
        crate::credential::members::CREDENTIAL
    };
    jsonld.check_read_as_signed(document, members)
}

/// Without JSON-LD suites no proof is over a dataset.
#[cfg(not(feature = "rdfc"))]
fn check_read_as_signed(_: &Map<String, Value>, _: Contexts<'_>, _: bool) -> Result<()> {
    Ok(())
}

/// Checks that each signing key is listed under `relationship` (a key
/// pinned by the verifier's caller, who vouches for it, under
/// `assertionMethod`) and, when
/// `expected_controller` is given, controlled by it (the issuer or holder,
/// named `role` in the evidence).
pub(crate) fn check_key_binding(
    signers: &[Arc<ResolvedMethod>],
    relationship: VerificationRelationship,
    expected_controller: Option<&str>,
    role: EvidenceKey,
) -> (Evidence, Result<()>) {
    let mut evidence = Vec::new();
    for signer in signers {
        let method = &signer.method;
        evidence.push((EvidenceKey::Controller, method.controller.clone()));
        evidence.push((found_as(signer, relationship), method.id.clone()));
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
            return (evidence, Err(e));
        }
        if let Some(expected) = expected_controller {
            evidence.push((role, expected.to_owned()));
            if method.controller != expected {
                let e = Error::new(
                    ErrorCode::KeyControllerMismatch,
                    format!(
                        "the key is controlled by {}, but the {} is {expected}",
                        method.controller,
                        role.name()
                    ),
                );
                return (evidence, Err(e));
            }
        }
    }
    (evidence, Ok(()))
}

/// What the key binding evidence calls a signing key: pinned by the
/// verifier's caller, or listed under `relationship`.
fn found_as(signer: &ResolvedMethod, relationship: VerificationRelationship) -> EvidenceKey {
    #[cfg(feature = "cid")]
    if signer.pinned {
        return EvidenceKey::PinnedByVerifier;
    }
    let _ = signer;
    EvidenceKey::listed_under(relationship)
}

/// Checks that `now` is within the credential's validity period.
pub(crate) fn check_validity(facts: &Facts, now: Timestamp) -> (Evidence, Result<()>) {
    let mut evidence = vec![(EvidenceKey::Time, now.to_string())];
    if let Some(from) = facts.valid_from {
        evidence.push((EvidenceKey::ValidFrom, from.to_string()));
        if now < from {
            let e = Error::new(
                ErrorCode::CredentialNotYetValid,
                format!("valid from {from}, verified at {now}"),
            );
            return (evidence, Err(e));
        }
    }
    if let Some(until) = facts.valid_until {
        evidence.push((EvidenceKey::ValidUntil, until.to_string()));
        if now > until {
            let e = Error::new(
                ErrorCode::CredentialExpired,
                format!("valid until {until}, verified at {now}"),
            );
            return (evidence, Err(e));
        }
    }
    (evidence, Ok(()))
}

/// Which check a sub-verification failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The data model (VCDM 2.0 §4).
    DataModel,
    /// A proof: suite, key, signature, times, or the signed form.
    Proof,
    /// The key is not the issuer's, or not listed for assertions.
    KeyBinding,
    /// Outside the validity period.
    ValidityPeriod,
}

impl Stage {
    /// The name of the report check the stage corresponds to.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::DataModel => "data_model",
            Stage::Proof => "proof",
            Stage::KeyBinding => "key_binding",
            Stage::ValidityPeriod => "validity_period",
        }
    }
}

/// A credential whose data model, proofs, key binding and validity period
/// were checked at a time. Only [`verify_secured_credential`] makes one.
#[derive(Debug)]
pub struct VerifiedCredential {
    facts: Facts,
}

impl VerifiedCredential {
    /// Whether `type` includes `name` (read once, with the data model).
    pub fn has_type(&self, name: &str) -> bool {
        self.facts.types.iter().any(|t| t == name)
    }

    /// Its issuer.
    pub fn issuer(&self) -> &str {
        &self.facts.issuer
    }

    /// Its `validFrom` (`issuanceDate` in VCDM 1.1).
    pub fn valid_from(&self) -> Option<Timestamp> {
        self.facts.valid_from
    }

    /// Its `validUntil` (`expirationDate` in VCDM 1.1).
    pub fn valid_until(&self) -> Option<Timestamp> {
        self.facts.valid_until
    }
}

/// Verifies a credential that another verification depends on (a registry
/// snapshot, a status list): data model, every proof for `assertionMethod`,
/// the key bound to the issuer, the validity period at `inputs.time`. No
/// status or trust check.
pub(crate) fn verify_secured_credential(
    document: &Map<String, Value>,
    resolver: &dyn DidResolver,
    keys: &KeyCache,
    inputs: &ProofInputs<'_>,
) -> std::result::Result<VerifiedCredential, (Stage, Error)> {
    let facts = check_credential(document).map_err(|e| (Stage::DataModel, e))?;
    let relationship = VerificationRelationship::AssertionMethod;
    let proofs = check_proofs(document, relationship, resolver, keys, inputs, false);
    if let Some(e) = proofs.error {
        return Err((Stage::Proof, e));
    }
    let signers = proofs.signers.unwrap_or_default();
    check_key_binding(&signers, relationship, Some(&facts.issuer), EvidenceKey::Issuer)
        .1
        .map_err(|e| (Stage::KeyBinding, e))?;
    check_validity(&facts, inputs.time)
        .1
        .map_err(|e| (Stage::ValidityPeriod, e))?;
    Ok(VerifiedCredential { facts })
}
