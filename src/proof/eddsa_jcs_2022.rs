//! The `eddsa-jcs-2022` cryptosuite (vc-di-eddsa §3.3).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::canon;
use crate::crypto::{KeyAlgorithm, PublicKey, Signer};
use crate::error::{Error, ErrorCode, Result};

/// §3.3.4: SHA-256 of the canonical proof configuration, then SHA-256 of
/// the canonical document, joined (proof hash first).
pub(crate) fn hash_data(unsecured: &Map<String, Value>, proof_config: &Map<String, Value>) -> Result<[u8; 64]> {
    let mut text = String::with_capacity(1024);
    canon::canonicalize_object_into(proof_config, &mut text)?;
    let proof_hash = Sha256::digest(text.as_bytes());
    text.clear();
    canon::canonicalize_object_into(unsecured, &mut text)?;
    let doc_hash = Sha256::digest(text.as_bytes());
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&proof_hash);
    out[32..].copy_from_slice(&doc_hash);
    Ok(out)
}

fn require_ed25519(key: &PublicKey) -> Result<()> {
    match key.algorithm() {
        KeyAlgorithm::Ed25519 => Ok(()),
        #[allow(unreachable_patterns)]
        _ => Err(Error::new(ErrorCode::KeyTypeUnsupported, "eddsa-jcs-2022 needs an Ed25519 key")),
    }
}

/// §3.3.1 steps 3–6: the signature over `unsecured` for proof configuration `proof`.
pub(crate) fn sign(unsecured: &Map<String, Value>, proof: &Map<String, Value>, signer: &dyn Signer) -> Result<Vec<u8>> {
    require_ed25519(&signer.public_key())?;
    let data = hash_data(unsecured, proof)?;
    signer.sign(&data)
}

/// §3.3.2: verifies `proof_value` for a proof (with `proofValue`) over the
/// unsecured document.
pub(crate) fn verify(
    unsecured: &Map<String, Value>,
    proof: &Map<String, Value>,
    proof_value: &[u8],
    key: &PublicKey,
) -> Result<()> {
    require_ed25519(key)?;
    let mut options = proof.clone();
    options.shift_remove("proofValue");
    let mut document;
    let mut target = unsecured;
    if let Some(proof_context) = options.get("@context") {
        let as_list = |v: Option<&Value>| -> Vec<Value> {
            match v {
                Some(Value::Array(items)) => items.clone(),
                Some(other) => vec![other.clone()],
                None => Vec::new(),
            }
        };
        let wanted = as_list(Some(proof_context));
        let have = as_list(unsecured.get("@context"));
        if !have.starts_with(&wanted) {
            return Err(Error::new(ErrorCode::ProofContextMismatch, "the document's @context does not start with the proof's"));
        }
        if unsecured.get("@context") != Some(proof_context) {
            document = unsecured.clone();
            document.insert("@context".into(), proof_context.clone());
            target = &document;
        }
    }
    if proof_value.len() != 64 {
        return Err(Error::new(ErrorCode::ProofValueInvalid, format!("signature is {} bytes, not 64", proof_value.len())));
    }
    let data = hash_data(target, &options)?;
    key.verify(&data, proof_value)
}
