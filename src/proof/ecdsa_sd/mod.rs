//! `ecdsa-sd-2023`: selective disclosure with ECDSA P-256 (vc-di-ecdsa §3.4–3.6).
//!
//! The issuer signs each canonical statement of the credential with a key
//! made for this one proof, and signs that key, the hash of the statements
//! the holder must always show (the *mandatory* ones, chosen by JSON
//! pointers) and the proof options with its own key: the *base proof*
//! ([`add_base_proof`]), given to the holder only. The holder chooses more
//! statements by JSON pointer and derives a proof that carries only their
//! signatures ([`derive_proof`]); the verifier checks a derived proof like
//! any other Data Integrity proof.
//!
//! A verifier cannot see what the holder left out. So the [`Verifier`]
//! acts on facts outside the credential subjects — issuer, types,
//! validity, status, evidence — only when the issuer made them mandatory:
//! a derived proof that reveals such a statement as selectively disclosed
//! is refused (`DISCLOSURE_NOT_MANDATORY`), since its issuer let holders
//! drop statements like it. [`crate::Issuer`] makes every member outside
//! `credentialSubject` mandatory.
//!
//! [`Verifier`]: crate::Verifier
//!
//! ```
//! use passerelle::crypto::{P256KeyPair, Signer};
//! use passerelle::jsonld::JsonLd;
//! use passerelle::proof::{ecdsa_sd, DataIntegrityProof, ProofOptions};
//! use passerelle::{did, Timestamp};
//! let issuer = P256KeyPair::from_secret_bytes(&[7; 32]).unwrap();
//! let vm = did::key::verification_method_for(&issuer.public_key());
//! let credential = serde_json::json!({
//!     "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
//!     "type": ["VerifiableCredential"],
//!     "issuer": vm.split('#').next().unwrap(),
//!     "credentialSubject": {"name": "Jo", "birthYear": "2001"}
//! });
//! let at = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
//! let options = ProofOptions::assertion(vm, at);
//! let base = ecdsa_sd::add_base_proof(credential.as_object().unwrap(), &options,
//!     &["/issuer".into()], &issuer, JsonLd::bundled()).unwrap();
//! let shown = ecdsa_sd::derive_proof(&base, &["/credentialSubject/name".into()], JsonLd::bundled()).unwrap();
//! assert!(shown["credentialSubject"].get("birthYear").is_none());
//! let proof = DataIntegrityProof::parse(shown["proof"].as_object().unwrap()).unwrap();
//! proof.verify_signature(&shown, &issuer.public_key()).unwrap();
//! ```

mod group;
mod proof_value;
mod select;

use std::collections::HashSet;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use self::proof_value::{BaseProof, DerivedProof, HMAC_LEN, MAX_STATEMENTS};
use super::{Cryptosuite, ProofOptions};
use crate::canon::nquads::{Quad, Term};
use crate::canon::rdfc::HashAlgorithm;
use crate::crypto::{multibase, KeyAlgorithm, P256KeyPair, PublicKey, Signer};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jsonld::JsonLd;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const VERIFIABLE_CREDENTIAL: &str = "https://www.w3.org/2018/credentials#VerifiableCredential";
const CREDENTIAL_SUBJECT: &str = "https://www.w3.org/2018/credentials#credentialSubject";

/// §3.6.4 and §3.5.9 step 1: the SHA-256 of the canonical proof
/// configuration, as for ecdsa-rdfc-2019 with a P-256 key.
fn proof_hash(jsonld: &JsonLd, proof: &Map<String, Value>, context: Option<&Value>) -> Result<Vec<u8>> {
    super::suites::rdfc_proof_hash(jsonld, proof, context, HashAlgorithm::Sha256)
}

/// §3.4.17 hashMandatoryNQuads.
fn mandatory_hash<'a>(statements: impl Iterator<Item = &'a str>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    statements.for_each(|s| hasher.update(s.as_bytes()));
    hasher.finalize().into()
}

/// §3.5.1 serializeSignData.
fn sign_data(proof_hash: &[u8], public_key: &[u8], mandatory_hash: &[u8; 32]) -> Vec<u8> {
    [proof_hash, public_key, mandatory_hash.as_slice()].concat()
}

fn without_proof(document: &Map<String, Value>) -> Map<String, Value> {
    let mut unsecured = document.clone();
    unsecured.shift_remove("proof");
    unsecured
}

/// Adds an `ecdsa-sd-2023` base proof to `document` (§3.6.1–3.6.5): the
/// statements `mandatory_pointers` select are the ones every derived proof
/// shows; each other statement is signed on its own so a holder can show it
/// or not. `signer` must hold a P-256 key. The result goes to the holder,
/// who presents it through [`derive_proof`]: a verifier refuses a base
/// proof (`DERIVED_PROOF_REQUIRED`).
///
/// A pointer that names nothing is `POINTER_INVALID`; a document whose
/// nodes cannot all be named — JSON-LD lists, graph containers — is
/// `JSONLD_INVALID`.
pub fn add_base_proof(
    document: &Map<String, Value>,
    options: &ProofOptions,
    mandatory_pointers: &[String],
    signer: &dyn Signer,
    jsonld: &JsonLd,
) -> Result<Map<String, Value>> {
    let proof = base_proof(document, options, mandatory_pointers, signer, jsonld)?;
    Ok(with_proof(document, proof))
}

/// The base proof [`add_base_proof`] adds, with a new HMAC key and proof-scoped key.
pub(crate) fn base_proof(
    document: &Map<String, Value>,
    options: &ProofOptions,
    mandatory_pointers: &[String],
    signer: &dyn Signer,
    jsonld: &JsonLd,
) -> Result<Map<String, Value>> {
    let mut hmac_key = zeroize::Zeroizing::new([0u8; HMAC_LEN]);
    crate::crypto::random_bytes(hmac_key.as_mut())?;
    let proof_key = P256KeyPair::generate()?;
    base_proof_with(
        document,
        options,
        mandatory_pointers,
        signer,
        jsonld,
        &hmac_key,
        &proof_key,
    )
}

fn with_proof(document: &Map<String, Value>, proof: Map<String, Value>) -> Map<String, Value> {
    let mut secured = document.clone();
    secured.insert("proof".into(), Value::Object(proof));
    secured
}

/// [`add_base_proof`] with the HMAC key and the proof-scoped key given
/// rather than generated: for reproducing published test vectors only.
/// Reusing either across credentials links them.
#[doc(hidden)]
pub fn add_base_proof_with(
    document: &Map<String, Value>,
    options: &ProofOptions,
    mandatory_pointers: &[String],
    signer: &dyn Signer,
    jsonld: &JsonLd,
    hmac_key: &[u8; HMAC_LEN],
    proof_key: &P256KeyPair,
) -> Result<Map<String, Value>> {
    let proof = base_proof_with(
        document,
        options,
        mandatory_pointers,
        signer,
        jsonld,
        hmac_key,
        proof_key,
    )?;
    Ok(with_proof(document, proof))
}

fn base_proof_with(
    document: &Map<String, Value>,
    options: &ProofOptions,
    mandatory_pointers: &[String],
    signer: &dyn Signer,
    jsonld: &JsonLd,
    hmac_key: &[u8; HMAC_LEN],
    proof_key: &P256KeyPair,
) -> Result<Map<String, Value>> {
    super::suites::require_key_for(Cryptosuite::EcdsaSd2023, &signer.public_key())?;
    if document.contains_key("proof") {
        return Err(Error::new(
            ErrorCode::ProofAlreadyPresent,
            "remove the existing proof before signing",
        ));
    }
    select::check_pointers(&Value::Object(document.clone()), mandatory_pointers)?;
    let mut proof = super::proof_configuration(Cryptosuite::EcdsaSd2023, options, &[]);
    let proof_hash = proof_hash(jsonld, &proof, document.get("@context"))?;
    let grouped = group::canonicalize_and_group(jsonld, document, hmac_key, &[mandatory_pointers])?;
    let mandatory = &grouped.groups[0].matching;
    if grouped.statements.len() > MAX_STATEMENTS {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{} statements, limit {MAX_STATEMENTS}", grouped.statements.len()),
        ));
    }
    let (required, optional): (Vec<_>, Vec<_>) = grouped
        .statements
        .iter()
        .enumerate()
        .partition(|(i, _)| mandatory.contains(i));
    let signatures = optional
        .iter()
        .map(|(_, statement)| proof_key.sign(statement.as_bytes()))
        .collect::<Result<Vec<_>>>()?;
    let public_key = proof_key.public_key().multicodec_bytes();
    let mandatory_hash = mandatory_hash(required.iter().map(|(_, s)| s.as_str()));
    let base_signature = signer.sign(&sign_data(&proof_hash, &public_key, &mandatory_hash))?;
    let value = BaseProof {
        base_signature,
        public_key,
        hmac_key: *hmac_key,
        signatures,
        mandatory_pointers: mandatory_pointers.to_vec(),
    };
    proof.insert("proofValue".into(), value.encode().into());
    Ok(proof)
}

/// The single proof of `document`, which must be an `ecdsa-sd-2023` one.
fn single_sd_proof(document: &Map<String, Value>) -> Result<&Map<String, Value>> {
    let proof = match document.get("proof") {
        Some(Value::Object(proof)) => proof,
        Some(_) => {
            return Err(Error::new(
                ErrorCode::ProofMalformed,
                "a credential with several proofs cannot be derived from",
            ))
        }
        None => return Err(Error::new(ErrorCode::ProofMissing, "the credential has no proof")),
    };
    match proof.get("cryptosuite").and_then(Value::as_str) {
        Some("ecdsa-sd-2023") => Ok(proof),
        other => Err(Error::new(
            ErrorCode::CryptosuiteUnsupported,
            format!(
                "a derived proof needs an ecdsa-sd-2023 base proof, not {}",
                quoted(other.unwrap_or("none"))
            ),
        )),
    }
}

/// The holder's side (§3.6.6 Add Derived Proof): `secured`, carrying an
/// `ecdsa-sd-2023` base proof, reduced to the mandatory statements and
/// those `selective_pointers` select, with a derived proof a verifier checks.
/// A pointer that names nothing is `POINTER_INVALID`.
pub fn derive_proof(
    secured: &Map<String, Value>,
    selective_pointers: &[String],
    jsonld: &JsonLd,
) -> Result<Map<String, Value>> {
    let proof = single_sd_proof(secured)?;
    let value = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .filter(|v| v.starts_with('u'))
        .ok_or_else(|| Error::new(ErrorCode::ProofValueInvalid, "the base proof's proofValue is not u…"))?;
    let base = BaseProof::decode(
        &multibase::decode(value)
            .map_err(|_| Error::new(ErrorCode::ProofValueInvalid, "proofValue is not base64url"))?,
    )?;
    let document = without_proof(secured);
    let as_value = Value::Object(document.clone());
    select::check_pointers(&as_value, &base.mandatory_pointers)?;
    select::check_pointers(&as_value, selective_pointers)?;
    let combined: Vec<String> = base
        .mandatory_pointers
        .iter()
        .chain(selective_pointers)
        .cloned()
        .collect();
    let grouped = group::canonicalize_and_group(
        jsonld,
        &document,
        &base.hmac_key,
        &[&base.mandatory_pointers, selective_pointers, &combined],
    )?;
    let (mandatory, selective, all) = (&grouped.groups[0], &grouped.groups[1], &grouped.groups[2]);
    // §3.5.4 step 9: mandatory statements by their place among those revealed.
    let mandatory_indexes = all
        .matching
        .iter()
        .enumerate()
        .filter(|(_, absolute)| mandatory.matching.contains(absolute))
        .map(|(relative, _)| relative as u64)
        .collect();
    // Step 10: the base signatures are those of the non-mandatory statements, in order.
    let optional: Vec<usize> = (0..grouped.statements.len())
        .filter(|i| !mandatory.matching.contains(i))
        .collect();
    if optional.len() != base.signatures.len() {
        return Err(Error::new(
            ErrorCode::ProofSignatureInvalid,
            format!(
                "the base proof signs {} statements, the credential has {} to sign",
                base.signatures.len(),
                optional.len()
            ),
        ));
    }
    let signatures = optional
        .iter()
        .zip(&base.signatures)
        .filter(|(i, _)| selective.matching.contains(i))
        .map(|(_, signature)| signature.clone())
        .collect();
    let label_map = group::verifier_label_map(&all.quads, &grouped.labels)?;
    let derived = DerivedProof {
        base_signature: base.base_signature,
        public_key: base.public_key,
        signatures,
        label_map,
        mandatory_indexes,
    };
    let mut revealed = select::select_json_ld(&document, &combined)?.unwrap_or_else(|| {
        let mut only_context = Map::new();
        if let Some(context) = document.get("@context") {
            only_context.insert("@context".into(), context.clone());
        }
        only_context
    });
    let mut new_proof = proof.clone();
    new_proof.insert("proofValue".into(), derived.encode().into());
    revealed.insert("proof".into(), Value::Object(new_proof));
    Ok(revealed)
}

/// What a verified derived proof reveals about how it was made.
#[derive(Debug, Default)]
pub(crate) struct Revealed {
    /// The first statement outside the credential subjects that the holder
    /// chose to show (it was not mandatory), if any.
    pub selective_outside_subject: Option<String>,
}

/// §3.6.7 Verify Derived Proof: the proof options, the mandatory
/// statements and the proof-scoped key under the issuer's `key`, and each
/// other statement of `secured` under the proof-scoped key.
pub(crate) fn verify_derived(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    proof_value: &[u8],
    key: &PublicKey,
    jsonld: &JsonLd,
) -> Result<Revealed> {
    let derived = DerivedProof::decode(proof_value)?;
    let proof_hash = proof_hash(jsonld, proof, secured.get("@context"))?;
    let unsecured = Value::Object(without_proof(secured));
    let statements = group::statements_with_label_map(jsonld, &unsecured, &derived.label_map)?;
    if let Some(past) = derived
        .mandatory_indexes
        .iter()
        .find(|i| **i >= statements.len() as u64)
    {
        return Err(Error::new(
            ErrorCode::ProofValueInvalid,
            format!("mandatory index {past} of {} statements", statements.len()),
        ));
    }
    let is_mandatory = |i: usize| derived.mandatory_indexes.binary_search(&(i as u64)).is_ok();
    let optional: Vec<usize> = (0..statements.len()).filter(|i| !is_mandatory(*i)).collect();
    if optional.len() != derived.signatures.len() {
        return Err(Error::new(
            ErrorCode::ProofSignatureInvalid,
            format!(
                "{} signatures for {} disclosed statements",
                derived.signatures.len(),
                optional.len()
            ),
        ));
    }
    let proof_key = PublicKey::from_multicodec(&derived.public_key)
        .ok()
        .filter(|k| k.algorithm() == KeyAlgorithm::P256)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::ProofValueInvalid,
                "the proof-scoped key is not a P-256 multikey",
            )
        })?;
    let mandatory_hash = mandatory_hash(
        (0..statements.len())
            .filter(|i| is_mandatory(*i))
            .map(|i| statements[i].0.as_str()),
    );
    key.verify(
        &sign_data(&proof_hash, &derived.public_key, &mandatory_hash),
        &derived.base_signature,
    )?;
    for (i, signature) in optional.iter().zip(&derived.signatures) {
        proof_key
            .verify(statements[*i].0.as_bytes(), signature)
            .map_err(|e| Error::new(e.code(), format!("disclosed statement {}: {}", i, e.detail())))?;
    }
    let outside = outside_subjects(&statements);
    let selective_outside_subject = optional
        .iter()
        .find(|i| outside.contains(i))
        .map(|i| statements[*i].0.trim_end().to_owned());
    Ok(Revealed {
        selective_outside_subject,
    })
}

/// The indexes of the statements that are about something other than a
/// credential subject: not about a subject node or a blank node reached
/// from one, and not the link from a credential to its subject.
fn outside_subjects(statements: &[(String, Quad)]) -> HashSet<usize> {
    let is_iri = |term: &Term, iri: &str| matches!(term, Term::Iri(i) if i == iri);
    let credentials: HashSet<&Term> = statements
        .iter()
        .filter(|(_, q)| {
            q.graph.is_none() && is_iri(&q.predicate, RDF_TYPE) && is_iri(&q.object, VERIFIABLE_CREDENTIAL)
        })
        .map(|(_, q)| &q.subject)
        .collect();
    let is_subject_link =
        |q: &Quad| q.graph.is_none() && credentials.contains(&q.subject) && is_iri(&q.predicate, CREDENTIAL_SUBJECT);
    let mut subject_side: HashSet<&Term> = statements
        .iter()
        .filter(|(_, q)| is_subject_link(q))
        .map(|(_, q)| &q.object)
        .collect();
    // Blank nodes hang from the subjects; named nodes are facts of their own.
    loop {
        let before = subject_side.len();
        for (_, q) in statements {
            if subject_side.contains(&q.subject) && matches!(q.object, Term::Blank(_)) {
                subject_side.insert(&q.object);
            }
        }
        if subject_side.len() == before {
            break;
        }
    }
    statements
        .iter()
        .enumerate()
        .filter(|(_, (_, q))| !(is_subject_link(q) || q.graph.is_none() && subject_side.contains(&q.subject)))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests;
