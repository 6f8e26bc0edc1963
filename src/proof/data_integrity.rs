//! The `DataIntegrityProof` type: parsing, adding and checking proofs
//! (Data Integrity §2.1, §4.2 Add Proof, §4.4 Verify Proof).

use serde_json::{Map, Value};

use super::chain::{self, previous_proof_ids, proof_id};
use super::{suites, Contexts, Cryptosuite, VerificationRelationship};
use crate::crypto::{multibase, PublicKey, Signer};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::time::Timestamp;

/// What a signer asks for when adding a proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofOptions {
    /// The DID URL of the signing key (`did:key:z…#z…`, `did:web:…#key-1`).
    pub verification_method: String,
    /// Why the proof is made: `assertionMethod` for credentials,
    /// `authentication` for presentations.
    pub proof_purpose: VerificationRelationship,
    /// When the proof is made; written as `created`.
    pub created: Option<Timestamp>,
    /// When the proof stops being acceptable; written as `expires`.
    pub expires: Option<Timestamp>,
    /// The verifier's challenge (presentations).
    pub challenge: Option<String>,
    /// The verifier's domain (presentations).
    pub domain: Option<String>,
    /// An optional `id` for the proof.
    pub id: Option<String>,
}

impl ProofOptions {
    /// Options for an `assertionMethod` proof made at `created`.
    pub fn assertion(verification_method: impl Into<String>, created: Timestamp) -> Self {
        ProofOptions {
            verification_method: verification_method.into(),
            proof_purpose: VerificationRelationship::AssertionMethod,
            created: Some(created),
            expires: None,
            challenge: None,
            domain: None,
            id: None,
        }
    }
}

/// A parsed `DataIntegrityProof`, borrowing the proof object it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct DataIntegrityProof<'a> {
    /// The proof object as written.
    pub json: &'a Map<String, Value>,
    /// The suite.
    pub cryptosuite: Cryptosuite,
    /// The signing key's DID URL.
    pub verification_method: &'a str,
    /// The `proofPurpose` string.
    pub proof_purpose: &'a str,
    /// `created`, if present.
    pub created: Option<Timestamp>,
    /// `expires`, if present.
    pub expires: Option<Timestamp>,
    /// `challenge`, if present.
    pub challenge: Option<&'a str>,
    /// `domain`, if present (a string or the first of an array).
    pub domain: Option<Vec<String>>,
    /// The decoded `proofValue`.
    pub proof_value: Vec<u8>,
    /// The proof's `id`, if it has one (what a later proof's
    /// `previousProof` names).
    pub id: Option<&'a str>,
    /// The ids its `previousProof` names: the proofs it signed over (empty
    /// for a proof that is not part of a chain).
    pub previous_proof: Vec<&'a str>,
}

fn malformed(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::ProofMalformed, why)
}

fn opt_str<'a>(json: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>> {
    match json.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(malformed(format!("proof {key} must be a string"))),
    }
}

fn opt_time(json: &Map<String, Value>, key: &str) -> Result<Option<Timestamp>> {
    opt_str(json, key)?
        .map(|text| Timestamp::parse(text).map_err(|e| malformed(format!("proof {key}: {}", e.detail()))))
        .transpose()
}

impl<'a> DataIntegrityProof<'a> {
    /// Parses a proof object: `type` must be `DataIntegrityProof` with a
    /// known `cryptosuite`; `verificationMethod`, `proofPurpose` and
    /// `proofValue` are required; dates must be valid.
    pub fn parse(json: &'a Map<String, Value>) -> Result<Self> {
        match json.get("type").and_then(Value::as_str) {
            Some("DataIntegrityProof") => {}
            Some(other) => {
                let shown: String = other.chars().take(64).collect();
                return Err(Error::new(
                    ErrorCode::CryptosuiteUnsupported,
                    format!("proof type {}", quoted(&shown)),
                ));
            }
            None => return Err(malformed("proof type is missing")),
        }
        let suite_name = opt_str(json, "cryptosuite")?.ok_or_else(|| malformed("cryptosuite is missing"))?;
        let cryptosuite = Cryptosuite::parse(suite_name)?;
        let verification_method =
            opt_str(json, "verificationMethod")?.ok_or_else(|| malformed("verificationMethod is missing"))?;
        let proof_purpose = opt_str(json, "proofPurpose")?.ok_or_else(|| malformed("proofPurpose is missing"))?;
        let domain = match json.get("domain") {
            None => None,
            Some(Value::String(d)) => Some(vec![d.clone()]),
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|d| {
                        d.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| malformed("domain entries must be strings"))
                    })
                    .collect::<Result<_>>()?,
            ),
            Some(_) => return Err(malformed("domain must be a string or an array of strings")),
        };
        let value_text = opt_str(json, "proofValue")?.ok_or_else(|| malformed("proofValue is missing"))?;
        // ecdsa-sd-2023 writes its CBOR proof values in base64url (u…), the
        // other suites their signatures in base58btc (z…).
        let (base, name) = match cryptosuite {
            Cryptosuite::EcdsaSd2023 => ('u', "base64url (u…)"),
            _ => ('z', "base58btc (z…)"),
        };
        if !value_text.starts_with(base) {
            return Err(Error::new(
                ErrorCode::ProofValueInvalid,
                format!("proofValue must be {name}"),
            ));
        }
        let proof_value = multibase::decode(value_text)
            .map_err(|_| Error::new(ErrorCode::ProofValueInvalid, format!("proofValue is not {name}")))?;
        Ok(DataIntegrityProof {
            json,
            cryptosuite,
            verification_method,
            proof_purpose,
            created: opt_time(json, "created")?,
            expires: opt_time(json, "expires")?,
            challenge: opt_str(json, "challenge")?,
            domain,
            proof_value,
            id: proof_id(json)?,
            previous_proof: previous_proof_ids(json)?,
        })
    }

    /// Verifies the signature of this proof, one of the proofs of
    /// `secured`, with `key`, per the proof's cryptosuite. The signed data is
    /// `secured` without its `proof` property, plus — when the proof names
    /// earlier proofs in `previousProof` — `proof` set to those proofs
    /// (`PROOF_REFERENCE_DANGLING` when one is not in `secured`). Only this
    /// proof's signature is checked, not those of the proofs it names.
    pub fn verify_signature(&self, secured: &Map<String, Value>, key: &PublicKey) -> Result<()> {
        self.verify_signature_in(secured, key, None)
    }

    /// As [`DataIntegrityProof::verify_signature`], with the JSON-LD
    /// processor (and so the contexts) an `*-rdfc-*` suite uses.
    #[cfg(feature = "rdfc")]
    pub fn verify_signature_with(
        &self,
        secured: &Map<String, Value>,
        key: &PublicKey,
        jsonld: &crate::jsonld::JsonLd,
    ) -> Result<()> {
        self.verify_signature_in(secured, key, Some(jsonld))
    }

    pub(crate) fn verify_signature_in(
        &self,
        secured: &Map<String, Value>,
        key: &PublicKey,
        contexts: Contexts<'_>,
    ) -> Result<()> {
        let previous = match self.previous_proof.is_empty() {
            true => Vec::new(),
            false => chain::matching(&proofs_of(secured)?, &self.previous_proof)?,
        };
        self.verify_signature_over(secured, &previous, key, contexts)
    }

    /// As [`DataIntegrityProof::verify_signature_in`], with the proofs this
    /// one names already found (`previous`, in the order named).
    pub(crate) fn verify_signature_over(
        &self,
        secured: &Map<String, Value>,
        previous: &[&Map<String, Value>],
        key: &PublicKey,
        contexts: Contexts<'_>,
    ) -> Result<()> {
        suites::verify(
            self.cryptosuite,
            secured,
            self.json,
            previous,
            &self.proof_value,
            key,
            contexts,
        )
    }
}

#[cfg(feature = "ecdsa-sd")]
impl DataIntegrityProof<'_> {
    /// Verifies an `ecdsa-sd-2023` derived proof and says what it reveals
    /// about how the holder chose the statements shown.
    pub(crate) fn verify_derived_over(
        &self,
        secured: &Map<String, Value>,
        previous: &[&Map<String, Value>],
        key: &PublicKey,
        contexts: Contexts<'_>,
    ) -> Result<super::ecdsa_sd::Revealed> {
        suites::verify_derived(secured, self.json, previous, &self.proof_value, key, contexts)
    }
}

/// The proofs of a secured document: `proof` as one object or an array of
/// objects (a proof set). `PROOF_MISSING` when there is none.
pub fn proofs_of(document: &Map<String, Value>) -> Result<Vec<&Map<String, Value>>> {
    match document.get("proof") {
        None => Err(Error::new(ErrorCode::ProofMissing, "no proof property")),
        Some(Value::Object(proof)) => Ok(vec![proof]),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|p| p.as_object().ok_or_else(|| malformed("proof entries must be objects")))
            .collect(),
        Some(_) => Err(malformed("proof must be an object or a non-empty array")),
    }
}

/// Adds a proof to an unsecured document (Data Integrity §4.2) and returns
/// the secured document, with `proof` as its last property.
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// use passerelle::proof::{add_proof, Cryptosuite, ProofOptions};
/// use passerelle::{did, Timestamp};
/// let key = Ed25519KeyPair::from_seed(&[1; 32]);
/// let doc = serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "claim": 1});
/// let options = ProofOptions::assertion(did::key::verification_method_for(&key.public_key()),
///                                       Timestamp::parse("2026-01-01T00:00:00Z").unwrap());
/// let signed = add_proof(doc.as_object().unwrap(), Cryptosuite::EddsaJcs2022, &options, &key).unwrap();
/// assert!(signed["proof"]["proofValue"].as_str().unwrap().starts_with('z'));
/// ```
pub fn add_proof(
    document: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    signer: &dyn Signer,
) -> Result<Map<String, Value>> {
    let proof = create_proof(document, suite, options, signer, None)?;
    let mut secured = document.clone();
    secured.insert("proof".into(), Value::Object(proof));
    Ok(secured)
}

/// As [`add_proof`], with the JSON-LD processor (and so the contexts) an
/// `*-rdfc-*` suite canonicalizes with; [`add_proof`] uses the bundled
/// contexts only.
#[cfg(feature = "rdfc")]
pub fn add_proof_with(
    document: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    signer: &dyn Signer,
    jsonld: &crate::jsonld::JsonLd,
) -> Result<Map<String, Value>> {
    let proof = create_proof(document, suite, options, signer, Some(jsonld))?;
    let mut secured = document.clone();
    secured.insert("proof".into(), Value::Object(proof));
    Ok(secured)
}

/// The proof object that [`add_proof`] would attach to `document`.
pub(crate) fn create_proof(
    document: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    signer: &dyn Signer,
    contexts: Contexts<'_>,
) -> Result<Map<String, Value>> {
    if document.contains_key("proof") {
        return Err(Error::new(
            ErrorCode::ProofAlreadyPresent,
            "remove the existing proof before signing",
        ));
    }
    sign_proof(document, suite, options, &[], &[], signer, contexts)
}

/// Adds a proof to a document that already has one or more (Data Integrity
/// §4.3 Add Proof Set/Chain) and returns the document with `proof` as the
/// array of all its proofs, the new one last.
///
/// With `previous` empty the new proof is independent of the others (a
/// proof set). Otherwise it is a proof chain: `previous` are the `id`s of
/// the proofs it follows, written as its `previousProof` (a string for
/// one, an array for more), and it signs over the document with `proof`
/// set to exactly those proofs — so altering or removing them breaks it.
/// An id no proof has is `PROOF_REFERENCE_DANGLING`; an id two proofs have,
/// or a new proof `id` already taken, is `PROOF_ID_DUPLICATE`.
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// use passerelle::proof::{add_proof, add_proof_to_set, Cryptosuite, ProofOptions};
/// use passerelle::{did, Timestamp};
/// let (first, second) = (Ed25519KeyPair::from_seed(&[1; 32]), Ed25519KeyPair::from_seed(&[2; 32]));
/// let at = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
/// let doc = serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "claim": 1});
/// let mut options = ProofOptions::assertion(did::key::verification_method_for(&first.public_key()), at);
/// options.id = Some("urn:uuid:6d1e0bd2-7a4c-4c65-9b43-4bd1f1f6b1a0".into());
/// let signed = add_proof(doc.as_object().unwrap(), Cryptosuite::EddsaJcs2022, &options, &first).unwrap();
/// let options = ProofOptions::assertion(did::key::verification_method_for(&second.public_key()), at);
/// let chained = add_proof_to_set(&signed, Cryptosuite::EddsaJcs2022, &options,
///                                &["urn:uuid:6d1e0bd2-7a4c-4c65-9b43-4bd1f1f6b1a0"], &second).unwrap();
/// assert_eq!(chained["proof"][1]["previousProof"], "urn:uuid:6d1e0bd2-7a4c-4c65-9b43-4bd1f1f6b1a0");
/// ```
pub fn add_proof_to_set(
    secured: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    previous: &[&str],
    signer: &dyn Signer,
) -> Result<Map<String, Value>> {
    chain_proof(secured, suite, options, previous, signer, None)
}

/// As [`add_proof_to_set`], with the JSON-LD processor (and so the
/// contexts) an `*-rdfc-*` suite canonicalizes with.
#[cfg(feature = "rdfc")]
pub fn add_proof_to_set_with(
    secured: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    previous: &[&str],
    signer: &dyn Signer,
    jsonld: &crate::jsonld::JsonLd,
) -> Result<Map<String, Value>> {
    chain_proof(secured, suite, options, previous, signer, Some(jsonld))
}

/// [`add_proof_to_set`] with the processor given as `contexts`.
pub(crate) fn chain_proof(
    secured: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    previous: &[&str],
    signer: &dyn Signer,
    contexts: Contexts<'_>,
) -> Result<Map<String, Value>> {
    let all = proofs_of(secured)?;
    // The set's references must already hold: a proof added to a set with
    // a dangling or cyclic chain would sign over a chain no one can verify.
    chain::link(&all)?;
    if let Some(id) = &options.id {
        if all.iter().any(|p| proof_id(p).ok().flatten() == Some(id.as_str())) {
            return Err(Error::new(
                ErrorCode::ProofIdDuplicate,
                format!("a proof of the document already has the id {}", quoted(id)),
            ));
        }
    }
    let matching = chain::matching(&all, previous)?;
    let proof = sign_proof(secured, suite, options, previous, &matching, signer, contexts)?;
    let mut proofs: Vec<Value> = all.into_iter().map(|p| Value::Object(p.clone())).collect();
    proofs.push(Value::Object(proof));
    let mut output = secured.clone();
    output.insert("proof".into(), Value::Array(proofs));
    Ok(output)
}

/// The proof object over `document` (its own `proof` left out) and the
/// `previous` proofs, whose ids `previous_ids` are written as `previousProof`.
fn sign_proof(
    document: &Map<String, Value>,
    suite: Cryptosuite,
    options: &ProofOptions,
    previous_ids: &[&str],
    previous: &[&Map<String, Value>],
    signer: &dyn Signer,
    contexts: Contexts<'_>,
) -> Result<Map<String, Value>> {
    let mut proof = proof_configuration(suite, options, previous_ids);
    // The JCS suites copy the document's @context into the proof (vc-di-eddsa
    // §3.3.1 step 2); the rdfc suites do not (§3.2.1): their proof
    // configuration takes the document's @context when hashed.
    if let (Some(context), false) = (document.get("@context"), suite.is_rdfc()) {
        proof.insert("@context".into(), context.clone());
    }
    let signature = suites::sign(suite, document, &proof, previous, signer, contexts)?;
    proof.insert("proofValue".into(), multibase::encode_base58btc(&signature).into());
    Ok(proof)
}

/// The proof object `options` ask for, without its value (or `@context`):
/// what the proof configuration hashes.
pub(crate) fn proof_configuration(
    suite: Cryptosuite,
    options: &ProofOptions,
    previous_ids: &[&str],
) -> Map<String, Value> {
    let mut proof = Map::with_capacity(12);
    if let Some(id) = &options.id {
        proof.insert("id".into(), Value::String(id.clone()));
    }
    proof.insert("type".into(), "DataIntegrityProof".into());
    proof.insert("cryptosuite".into(), suite.as_str().into());
    if let Some(created) = options.created {
        proof.insert("created".into(), created.to_string().into());
    }
    if let Some(expires) = options.expires {
        proof.insert("expires".into(), expires.to_string().into());
    }
    proof.insert("verificationMethod".into(), options.verification_method.clone().into());
    proof.insert("proofPurpose".into(), options.proof_purpose.as_str().into());
    if let Some(challenge) = &options.challenge {
        proof.insert("challenge".into(), challenge.clone().into());
    }
    if let Some(domain) = &options.domain {
        proof.insert("domain".into(), domain.clone().into());
    }
    match previous_ids {
        [] => {}
        [one] => {
            proof.insert("previousProof".into(), (*one).into());
        }
        many => {
            proof.insert("previousProof".into(), many.to_vec().into());
        }
    }
    proof
}
