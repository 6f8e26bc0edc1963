//! The cryptosuites' transformation and hashing (vc-di-eddsa §3.2–3.3,
//! vc-di-ecdsa §3.2–3.3): the document and the proof configuration are
//! canonicalized — with RFC 8785 (`*-jcs-*`) or with JSON-LD to RDF then
//! RDFC-1.0 (`*-rdfc-*`) — and hashed; the hash data (proof hash first) is
//! signed with Ed25519 or ECDSA. The suites differ in these two choices,
//! and the ecdsa suites in the key's curve: P-256 hashes with SHA-256 (64
//! bytes of hash data), P-384 with SHA-384 (96 bytes) — and with
//! `ecdsa-rdfc-2019`, RDFC-1.0 itself then hashes with SHA-384 (§3.2).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::Cryptosuite;
use crate::canon;
use crate::canon::rdfc::HashAlgorithm;
use crate::crypto::{KeyAlgorithm, PublicKey, Signer};
use crate::error::{Error, ErrorCode, Result};

/// Where `*-rdfc-*` suites find JSON-LD contexts: the caller's processor,
/// or (`None`) the process-wide one with the bundled contexts.
#[cfg(feature = "rdfc")]
pub(crate) type Contexts<'a> = Option<&'a crate::jsonld::JsonLd>;
/// Without the `rdfc` feature there are no contexts to give.
#[cfg(not(feature = "rdfc"))]
pub(crate) type Contexts<'a> = Option<&'a std::convert::Infallible>;

/// SHA-384 is only linked with the `ecdsa` feature (P-384 keys need it):
/// the small verifier module leaves it out, and refuses rather than guess.
fn digest(hash: HashAlgorithm, bytes: &[u8]) -> Result<Vec<u8>> {
    match hash {
        HashAlgorithm::Sha256 => Ok(Sha256::digest(bytes).to_vec()),
        #[cfg(feature = "ecdsa")]
        HashAlgorithm::Sha384 => Ok(sha2::Sha384::digest(bytes).to_vec()),
        #[cfg(not(feature = "ecdsa"))]
        HashAlgorithm::Sha384 => Err(Error::new(
            ErrorCode::KeyTypeUnsupported,
            "SHA-384 (P-384) needs the `ecdsa` feature",
        )),
    }
}

/// §3.x.4 Hashing: the hash (`hash`, chosen by the key) of the canonical
/// proof configuration, then of the canonical document, joined (proof hash
/// first). The document is
/// `document` without its `proof`, with `@context` replaced by `context`
/// when given (verification, step 4), and — for a proof of a chain — with
/// `proof` set to the list of the `previous` proofs it names (Data
/// Integrity §4.3 step 6, §4.5 step 3.3); the proof configuration is
/// `proof` without `proofValue` (for the rdfc suites, with the document's
/// `@context`: §3.2.5 step 4).
pub(crate) fn hash_data(
    suite: Cryptosuite,
    document: &Map<String, Value>,
    context: Option<&Value>,
    proof: &Map<String, Value>,
    previous: &[&Map<String, Value>],
    contexts: Contexts<'_>,
    hash: HashAlgorithm,
) -> Result<Vec<u8>> {
    let doc_context = context.or_else(|| document.get("@context"));
    // A proof that names no earlier proof signs the document without any.
    let previous =
        (!previous.is_empty()).then(|| Value::Array(previous.iter().map(|p| Value::Object((*p).clone())).collect()));
    let (proof_hash, doc_hash) = if suite.is_rdfc() {
        rdfc_hashes(document, doc_context, proof, previous.as_ref(), contexts, hash)?
    } else {
        jcs_hashes(document, doc_context, proof, previous.as_ref(), hash)?
    };
    let mut out = proof_hash;
    out.extend_from_slice(&doc_hash);
    Ok(out)
}

fn jcs_hashes(
    document: &Map<String, Value>,
    doc_context: Option<&Value>,
    proof: &Map<String, Value>,
    previous: Option<&Value>,
    hash: HashAlgorithm,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut text = String::with_capacity(2048);
    // §3.3.5: the proof configuration is the proof options as they are
    // (unlike the rdfc suites, the document's @context is not added).
    let mut config: Vec<(&str, &Value)> = Vec::with_capacity(proof.len());
    config.extend(
        proof
            .iter()
            .filter(|(k, _)| k.as_str() != "proofValue")
            .map(|(k, v)| (k.as_str(), v)),
    );
    canon::canonicalize_entries_into(&mut config, &mut text)?;
    let proof_hash = digest(hash, text.as_bytes())?;
    text.clear();
    let mut entries: Vec<(&str, &Value)> = Vec::with_capacity(document.len());
    entries.extend(document.iter().filter(|(k, _)| k.as_str() != "proof").map(|(k, v)| {
        match (k.as_str(), doc_context) {
            ("@context", Some(replacement)) => (k.as_str(), replacement),
            _ => (k.as_str(), v),
        }
    }));
    // The proof's @context is the document's even when the document has none.
    if let (Some(c), false) = (doc_context, document.contains_key("@context")) {
        entries.push(("@context", c));
    }
    if let Some(previous) = previous {
        entries.push(("proof", previous));
    }
    canon::canonicalize_entries_into(&mut entries, &mut text)?;
    Ok((proof_hash, digest(hash, text.as_bytes())?))
}

/// The JSON-LD processor `contexts` names, or the bundled one.
#[cfg(feature = "rdfc")]
pub(crate) fn processor(contexts: Contexts<'_>) -> &crate::jsonld::JsonLd {
    contexts.unwrap_or_else(|| crate::jsonld::JsonLd::bundled())
}

/// §3.2.5 (and ecdsa-sd-2023 §3.6.4): the hash of the canonical proof
/// configuration — `proof` without `proofValue`, with the document's
/// `@context` (`doc_context`) in place of its own.
#[cfg(feature = "rdfc")]
pub(super) fn rdfc_proof_hash(
    jsonld: &crate::jsonld::JsonLd,
    proof: &Map<String, Value>,
    doc_context: Option<&Value>,
    hash: HashAlgorithm,
) -> Result<Vec<u8>> {
    let mut config = Map::with_capacity(proof.len() + 1);
    for (k, v) in proof {
        if !matches!(k.as_str(), "proofValue" | "@context") {
            config.insert(k.clone(), v.clone());
        }
    }
    if let Some(c) = doc_context {
        config.insert("@context".into(), c.clone());
    }
    digest(
        hash,
        jsonld.canonicalize_with_hash(&Value::Object(config), hash)?.as_bytes(),
    )
}

#[cfg(feature = "rdfc")]
fn rdfc_hashes(
    document: &Map<String, Value>,
    doc_context: Option<&Value>,
    proof: &Map<String, Value>,
    previous: Option<&Value>,
    contexts: Contexts<'_>,
    hash: HashAlgorithm,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let jsonld = processor(contexts);
    let proof_hash = rdfc_proof_hash(jsonld, proof, doc_context, hash)?;
    let mut unsecured = Map::with_capacity(document.len());
    for (k, v) in document {
        match (k.as_str(), doc_context) {
            ("proof", _) => {}
            ("@context", Some(replacement)) => {
                unsecured.insert(k.clone(), replacement.clone());
            }
            _ => {
                unsecured.insert(k.clone(), v.clone());
            }
        }
    }
    if let (Some(c), false) = (doc_context, unsecured.contains_key("@context")) {
        unsecured.insert("@context".into(), c.clone());
    }
    if let Some(previous) = previous {
        unsecured.insert("proof".into(), previous.clone());
    }
    let doc_hash = digest(
        hash,
        jsonld
            .canonicalize_with_hash(&Value::Object(unsecured), hash)?
            .as_bytes(),
    )?;
    Ok((proof_hash, doc_hash))
}

#[cfg(not(feature = "rdfc"))]
fn rdfc_hashes(
    _: &Map<String, Value>,
    _: Option<&Value>,
    _: &Map<String, Value>,
    _: Option<&Value>,
    _: Contexts<'_>,
    _: HashAlgorithm,
) -> Result<(Vec<u8>, Vec<u8>)> {
    Err(Error::new(
        ErrorCode::CryptosuiteUnsupported,
        "this build leaves out the rdfc cryptosuites",
    ))
}

fn as_slice(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        Some(other) => std::slice::from_ref(other),
        None => &[],
    }
}

/// The suite's key types — Ed25519 for the eddsa suites, P-256 or P-384
/// for the ecdsa ones — and the hash the key gives (vc-di-ecdsa §3.2.4,
/// §3.3.4, and §3.2's RDFC-1.0 parameter): SHA-384 for a P-384 key,
/// SHA-256 for P-256 (and for Ed25519, vc-di-eddsa §3.x.4).
pub(super) fn require_key_for(suite: Cryptosuite, key: &PublicKey) -> Result<HashAlgorithm> {
    match key.algorithm() {
        algorithm if !suite.accepts_key(algorithm) => Err(Error::new(
            ErrorCode::KeyTypeUnsupported,
            format!("{suite} needs {} key, not {algorithm}", suite.key_names()),
        )),
        KeyAlgorithm::P384 => Ok(HashAlgorithm::Sha384),
        _ => Ok(HashAlgorithm::Sha256),
    }
}

/// §3.3.1 steps 3–6: the signature over `unsecured` (whose own `proof`, if
/// any, is left out) with the `previous` proofs the new one names, for the
/// proof configuration `proof`.
pub(crate) fn sign(
    suite: Cryptosuite,
    unsecured: &Map<String, Value>,
    proof: &Map<String, Value>,
    previous: &[&Map<String, Value>],
    signer: &dyn Signer,
    contexts: Contexts<'_>,
) -> Result<Vec<u8>> {
    if suite == Cryptosuite::EcdsaSd2023 {
        return Err(Error::new(
            ErrorCode::CryptosuiteUnsupported,
            "an ecdsa-sd-2023 proof is added with proof::ecdsa_sd::add_base_proof",
        ));
    }
    let hash = require_key_for(suite, &signer.public_key())?;
    let data = hash_data(suite, unsecured, None, proof, previous, contexts, hash)?;
    signer.sign(&data)
}

/// §3.3.2: verifies `proof_value` for one proof (given with its
/// `proofValue`) of `secured`; the `proof` of `secured` is left out of the
/// signed data and replaced by the `previous` proofs the proof names (none
/// for a proof of a set that names none).
pub(crate) fn verify(
    suite: Cryptosuite,
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    previous: &[&Map<String, Value>],
    proof_value: &[u8],
    key: &PublicKey,
    contexts: Contexts<'_>,
) -> Result<()> {
    if suite == Cryptosuite::EcdsaSd2023 {
        return verify_derived(secured, proof, previous, proof_value, key, contexts).map(|_| ());
    }
    let hash = require_key_for(suite, key)?;
    check_proof_context(secured, proof)?;
    let context = proof.get("@context");
    let expected = key.algorithm().signature_len();
    if proof_value.len() != expected {
        return Err(Error::new(
            ErrorCode::ProofValueInvalid,
            format!(
                "signature is {} bytes, not {expected} (a {} signature)",
                proof_value.len(),
                key.algorithm()
            ),
        ));
    }
    let data = hash_data(suite, secured, context, proof, previous, contexts, hash)?;
    key.verify(&data, proof_value)
}

/// A proof's own `@context`, when it has one, must begin the document's
/// (Data Integrity §4.4), whatever the suite.
fn check_proof_context(secured: &Map<String, Value>, proof: &Map<String, Value>) -> Result<()> {
    match proof.get("@context") {
        Some(proof_context) if !as_slice(secured.get("@context")).starts_with(as_slice(Some(proof_context))) => {
            Err(Error::new(
                ErrorCode::ProofContextMismatch,
                "the document's @context does not start with the proof's",
            ))
        }
        _ => Ok(()),
    }
}

/// An `ecdsa-sd-2023` derived proof (vc-di-ecdsa §3.6.7), which signs the
/// document alone: it cannot be part of a proof chain.
#[cfg(feature = "ecdsa-sd")]
pub(crate) fn verify_derived(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    previous: &[&Map<String, Value>],
    proof_value: &[u8],
    key: &PublicKey,
    contexts: Contexts<'_>,
) -> Result<super::ecdsa_sd::Revealed> {
    if !previous.is_empty() {
        return Err(Error::new(
            ErrorCode::CryptosuiteUnsupported,
            "an ecdsa-sd-2023 proof cannot follow other proofs in a chain",
        ));
    }
    require_key_for(Cryptosuite::EcdsaSd2023, key)?;
    check_proof_context(secured, proof)?;
    super::ecdsa_sd::verify_derived(secured, proof, proof_value, key, processor(contexts))
}

/// Without the `ecdsa-sd` feature, `ecdsa-sd-2023` proofs are refused.
#[cfg(not(feature = "ecdsa-sd"))]
pub(crate) fn verify_derived(
    _: &Map<String, Value>,
    _: &Map<String, Value>,
    _: &[&Map<String, Value>],
    _: &[u8],
    _: &PublicKey,
    _: Contexts<'_>,
) -> Result<()> {
    Err(Error::new(
        ErrorCode::CryptosuiteUnsupported,
        "this build leaves out ecdsa-sd-2023",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_proofs_context_is_the_documents_even_when_the_document_has_none() {
        let context = json!(["https://www.w3.org/ns/credentials/v2"]);
        let proof = json!({"type": "DataIntegrityProof", "@context": context.clone()});
        let proof = proof.as_object().unwrap();
        let bare = json!({"id": "urn:x:1", "type": "VerifiableCredential"});
        let mut with = bare.clone();
        with["@context"] = context.clone();
        for suite in Cryptosuite::ALL {
            let hashes: &[HashAlgorithm] = &[
                HashAlgorithm::Sha256,
                #[cfg(feature = "ecdsa")]
                HashAlgorithm::Sha384,
            ];
            for &hash in hashes {
                let a = hash_data(
                    *suite,
                    bare.as_object().unwrap(),
                    Some(&context),
                    proof,
                    &[],
                    None,
                    hash,
                )
                .unwrap();
                let b = hash_data(*suite, with.as_object().unwrap(), None, proof, &[], None, hash).unwrap();
                assert_eq!(a, b, "{suite}");
            }
        }
    }

    #[test]
    #[cfg(feature = "ecdsa")]
    fn the_curve_decides_the_hash_and_the_signature_length() {
        use crate::crypto::{Ed25519KeyPair, P256KeyPair, P384KeyPair, P521KeyPair, Signer};
        let hash = |suite, key: &dyn Signer| require_key_for(suite, &key.public_key()).map_err(|e| e.code());
        let p256 = P256KeyPair::from_secret_bytes(&[5; 32]).unwrap();
        let p384 = P384KeyPair::from_secret_bytes(&[5; 48]).unwrap();
        let p521 = P521KeyPair::from_secret_bytes(&[1; 66]).unwrap();
        let ed = Ed25519KeyPair::from_seed(&[5; 32]);
        assert_eq!(hash(Cryptosuite::EcdsaJcs2019, &p256), Ok(HashAlgorithm::Sha256));
        assert_eq!(hash(Cryptosuite::EcdsaRdfc2019, &p384), Ok(HashAlgorithm::Sha384));
        assert_eq!(hash(Cryptosuite::EddsaJcs2022, &ed), Ok(HashAlgorithm::Sha256));
        // vc-di-ecdsa defines no P-521 form, nor the eddsa suites an ECDSA one.
        assert_eq!(
            hash(Cryptosuite::EcdsaJcs2019, &p521),
            Err(ErrorCode::KeyTypeUnsupported)
        );
        assert_eq!(
            hash(Cryptosuite::EddsaJcs2022, &p256),
            Err(ErrorCode::KeyTypeUnsupported)
        );
        let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential"});
        let proof = json!({"type": "DataIntegrityProof", "cryptosuite": "ecdsa-jcs-2019"});
        let (doc, proof) = (doc.as_object().unwrap(), proof.as_object().unwrap());
        let suite = Cryptosuite::EcdsaJcs2019;
        let short = hash_data(suite, doc, None, proof, &[], None, HashAlgorithm::Sha256).unwrap();
        let long = hash_data(suite, doc, None, proof, &[], None, HashAlgorithm::Sha384).unwrap();
        assert_eq!((short.len(), long.len()), (64, 96));
        assert_eq!(
            (KeyAlgorithm::P256.signature_len(), KeyAlgorithm::P384.signature_len()),
            (64, 96)
        );
    }
}
