//! The cryptosuites' transformation and hashing (vc-di-eddsa §3.2–3.3,
//! vc-di-ecdsa §3.2–3.3 for P-256): the document and the proof
//! configuration are canonicalized — with RFC 8785 (`*-jcs-*`) or with
//! JSON-LD to RDF then RDFC-1.0 (`*-rdfc-*`) — and hashed with SHA-256; the
//! 64 bytes of hash data (proof hash first) are signed with Ed25519 or
//! ECDSA P-256. The suites differ only in these two choices.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::Cryptosuite;
use crate::canon;
use crate::crypto::{PublicKey, Signer};
use crate::error::{Error, ErrorCode, Result};

/// Where `*-rdfc-*` suites find JSON-LD contexts: the caller's processor,
/// or (`None`) the process-wide one with the bundled contexts.
#[cfg(feature = "rdfc")]
pub(crate) type Contexts<'a> = Option<&'a crate::jsonld::JsonLd>;
/// Without the `rdfc` feature there are no contexts to give.
#[cfg(not(feature = "rdfc"))]
pub(crate) type Contexts<'a> = Option<&'a std::convert::Infallible>;

/// §3.x.4 Hashing: SHA-256 of the canonical proof configuration, then of
/// the canonical document, joined (proof hash first). The document is
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
) -> Result<[u8; 64]> {
    let doc_context = context.or_else(|| document.get("@context"));
    // A proof that names no earlier proof signs the document without any.
    let previous =
        (!previous.is_empty()).then(|| Value::Array(previous.iter().map(|p| Value::Object((*p).clone())).collect()));
    let (proof_hash, doc_hash) = if suite.is_rdfc() {
        rdfc_hashes(document, doc_context, proof, previous.as_ref(), contexts)?
    } else {
        jcs_hashes(document, doc_context, proof, previous.as_ref())?
    };
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&proof_hash);
    out[32..].copy_from_slice(&doc_hash);
    Ok(out)
}

fn jcs_hashes(
    document: &Map<String, Value>,
    doc_context: Option<&Value>,
    proof: &Map<String, Value>,
    previous: Option<&Value>,
) -> Result<([u8; 32], [u8; 32])> {
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
    let proof_hash = Sha256::digest(text.as_bytes()).into();
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
    Ok((proof_hash, Sha256::digest(text.as_bytes()).into()))
}

#[cfg(feature = "rdfc")]
fn rdfc_hashes(
    document: &Map<String, Value>,
    doc_context: Option<&Value>,
    proof: &Map<String, Value>,
    previous: Option<&Value>,
    contexts: Contexts<'_>,
) -> Result<([u8; 32], [u8; 32])> {
    let jsonld = match contexts {
        Some(jsonld) => jsonld,
        None => crate::jsonld::JsonLd::bundled(),
    };
    let mut config = Map::with_capacity(proof.len() + 1);
    for (k, v) in proof {
        if !matches!(k.as_str(), "proofValue" | "@context") {
            config.insert(k.clone(), v.clone());
        }
    }
    if let Some(c) = doc_context {
        config.insert("@context".into(), c.clone());
    }
    let proof_hash = Sha256::digest(jsonld.canonicalize(&Value::Object(config))?.as_bytes()).into();
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
    let doc_hash = Sha256::digest(jsonld.canonicalize(&Value::Object(unsecured))?.as_bytes()).into();
    Ok((proof_hash, doc_hash))
}

#[cfg(not(feature = "rdfc"))]
fn rdfc_hashes(
    _: &Map<String, Value>,
    _: Option<&Value>,
    _: &Map<String, Value>,
    _: Option<&Value>,
    _: Contexts<'_>,
) -> Result<([u8; 32], [u8; 32])> {
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

/// The suite's key type: Ed25519 for the eddsa suites, P-256 for the ecdsa ones.
fn require_key_for(suite: Cryptosuite, key: &PublicKey) -> Result<()> {
    if key.algorithm() == suite.key_algorithm() {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::KeyTypeUnsupported,
        format!("{suite} needs a {} key, not {}", suite.key_algorithm(), key.algorithm()),
    ))
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
    require_key_for(suite, &signer.public_key())?;
    let data = hash_data(suite, unsecured, None, proof, previous, contexts)?;
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
    require_key_for(suite, key)?;
    let context = proof.get("@context");
    if let Some(proof_context) = context {
        if !as_slice(secured.get("@context")).starts_with(as_slice(Some(proof_context))) {
            return Err(Error::new(
                ErrorCode::ProofContextMismatch,
                "the document's @context does not start with the proof's",
            ));
        }
    }
    if proof_value.len() != 64 {
        return Err(Error::new(
            ErrorCode::ProofValueInvalid,
            format!("signature is {} bytes, not 64", proof_value.len()),
        ));
    }
    let data = hash_data(suite, secured, context, proof, previous, contexts)?;
    key.verify(&data, proof_value)
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
            let a = hash_data(*suite, bare.as_object().unwrap(), Some(&context), proof, &[], None).unwrap();
            let b = hash_data(*suite, with.as_object().unwrap(), None, proof, &[], None).unwrap();
            assert_eq!(a, b, "{suite}");
        }
    }
}
