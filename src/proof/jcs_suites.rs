//! The JCS cryptosuites: `eddsa-jcs-2022` (vc-di-eddsa §3.3) and
//! `ecdsa-jcs-2019` with P-256 (vc-di-ecdsa §3.3). Both transform with RFC
//! 8785, hash the proof configuration then the document with SHA-256, and
//! sign the 64 bytes of hash data; they differ only in the signature.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::Cryptosuite;
use crate::canon;
use crate::crypto::{PublicKey, Signer};
use crate::error::{Error, ErrorCode, Result};

/// §3.3.4 (both specifications): SHA-256 of the canonical proof configuration, then SHA-256 of
/// the canonical document, joined (proof hash first). The document is
/// `document` without its `proof`, with `@context` replaced by `context`
/// when given (§3.3.2 step 4), canonicalized without being cloned.
pub(crate) fn hash_data(
    document: &Map<String, Value>,
    context: Option<&Value>,
    proof_config: &Map<String, Value>,
) -> Result<[u8; 64]> {
    let mut text = String::with_capacity(2048);
    // The proof configuration is the proof without its proofValue.
    let mut config: Vec<(&str, &Value)> = Vec::with_capacity(proof_config.len());
    config.extend(
        proof_config
            .iter()
            .filter(|(k, _)| k.as_str() != "proofValue")
            .map(|(k, v)| (k.as_str(), v)),
    );
    canon::canonicalize_entries_into(&mut config, &mut text)?;
    let proof_hash = Sha256::digest(text.as_bytes());
    text.clear();
    let mut entries: Vec<(&str, &Value)> = Vec::with_capacity(document.len());
    entries.extend(
        document
            .iter()
            .filter(|(k, _)| k.as_str() != "proof")
            .map(|(k, v)| match (k.as_str(), context) {
                ("@context", Some(replacement)) => (k.as_str(), replacement),
                _ => (k.as_str(), v),
            }),
    );
    canon::canonicalize_entries_into(&mut entries, &mut text)?;
    let doc_hash = Sha256::digest(text.as_bytes());
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&proof_hash);
    out[32..].copy_from_slice(&doc_hash);
    Ok(out)
}

fn as_slice(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        Some(other) => std::slice::from_ref(other),
        None => &[],
    }
}

/// The suite's key type: Ed25519 for eddsa-jcs-2022, P-256 for ecdsa-jcs-2019.
fn require_key_for(suite: Cryptosuite, key: &PublicKey) -> Result<()> {
    if key.algorithm() == suite.key_algorithm() {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::KeyTypeUnsupported,
        format!(
            "{suite} needs a {:?} key, not {:?}",
            suite.key_algorithm(),
            key.algorithm()
        ),
    ))
}

/// §3.3.1 steps 3–6: the signature over `unsecured` (which has no `proof`)
/// for the proof configuration `proof`.
pub(crate) fn sign(
    suite: Cryptosuite,
    unsecured: &Map<String, Value>,
    proof: &Map<String, Value>,
    signer: &dyn Signer,
) -> Result<Vec<u8>> {
    require_key_for(suite, &signer.public_key())?;
    let data = hash_data(unsecured, None, proof)?;
    signer.sign(&data)
}

/// §3.3.2: verifies `proof_value` for one proof (given with its
/// `proofValue`) of `secured`; every `proof` of `secured` is left out of the
/// signed data, as proofs of a set are independent.
pub(crate) fn verify(
    suite: Cryptosuite,
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    proof_value: &[u8],
    key: &PublicKey,
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
    let data = hash_data(secured, context, proof)?;
    key.verify(&data, proof_value)
}
