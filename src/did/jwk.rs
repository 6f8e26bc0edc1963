//! The `did:jwk` method: a DID that is a base64url-encoded public JWK.
//! Ed25519 (OKP), P-256 and P-384 (EC) keys.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

use super::{DidDocument, ResolvedMethod, VerificationMethod, VerificationRelationship};
use crate::crypto::{jwk, PublicKey};
use crate::error::{Error, ErrorCode, Result};

/// Longest `did:jwk` accepted, in characters.
pub const MAX_DID_JWK_CHARS: usize = 2048;

fn invalid(why: &str) -> Error {
    Error::new(ErrorCode::DidInvalid, format!("did:jwk: {why}"))
}

/// The `did:jwk` of a public key (its JWK serialized with JCS, then base64url).
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// let key = Ed25519KeyPair::from_seed(&[2; 32]).public_key();
/// let did = passerelle::did::jwk::did_for(&key);
/// assert!(did.starts_with("did:jwk:eyJ"));
/// assert_eq!(passerelle::did::jwk::public_key(&did).unwrap(), key);
/// ```
pub fn did_for(key: &PublicKey) -> String {
    let mut jwk = key.to_jwk();
    jwk["use"] = "sig".into();
    let canonical = crate::canon::canonicalize(&jwk).unwrap_or_default();
    format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(canonical))
}

/// The JWK inside a `did:jwk`, checked: public only, a supported key type,
/// and not an encryption-only key.
pub fn jwk_of(did: &str) -> Result<Value> {
    if did.len() > MAX_DID_JWK_CHARS {
        return Err(invalid("too long"));
    }
    let encoded = did.strip_prefix("did:jwk:").ok_or_else(|| invalid("not a did:jwk"))?;
    if encoded.is_empty()
        || !encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(invalid("the value must be base64url"));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| invalid("the value is not base64url"))?;
    let value = crate::json::parse_strict(
        &bytes,
        crate::json::Limits {
            max_bytes: MAX_DID_JWK_CHARS,
            max_depth: 4,
        },
    )
    .map_err(|e| invalid(e.detail()))?;
    if !value.is_object() {
        return Err(invalid("the value is not a JSON object"));
    }
    if value.get("d").is_some() {
        return Err(invalid("the JWK holds a private key"));
    }
    if value.get("use").and_then(Value::as_str) == Some("enc") {
        return Err(Error::new(
            ErrorCode::KeyTypeUnsupported,
            "did:jwk: an encryption key cannot sign",
        ));
    }
    Ok(value)
}

/// The public key of a `did:jwk`.
pub fn public_key(did: &str) -> Result<PublicKey> {
    jwk::public_key(&jwk_of(did)?)
}

/// Expands a `did:jwk` into its DID document (one `JsonWebKey2020`
/// method, `#0`, under every signing relationship).
pub fn document(did: &str) -> Result<DidDocument> {
    let jwk = jwk_of(did)?;
    jwk::public_key(&jwk)?;
    DidDocument::of_single_key(
        did,
        "0",
        [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "JsonWebKey2020",
        ("publicKeyJwk", jwk),
    )
}

/// The method `did:jwk:…#0` with its key decoded (the only valid fragment).
pub fn resolve_method(vm_url: &str) -> Result<ResolvedMethod> {
    let (did, fragment) = vm_url.split_once('#').unwrap_or((vm_url, ""));
    let public_key = public_key(did)?;
    if fragment != "0" {
        return Err(Error::new(
            ErrorCode::VerificationMethodNotFound,
            format!("a did:jwk has one method, {did}#0"),
        ));
    }
    Ok(ResolvedMethod {
        method: VerificationMethod {
            id: vm_url.to_owned(),
            controller: did.to_owned(),
            public_key,
        },
        relationships: vec![
            VerificationRelationship::AssertionMethod,
            VerificationRelationship::Authentication,
        ],
        pinned: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{Ed25519KeyPair, Signer};

    #[test]
    fn round_trips_and_expands() {
        let key = Ed25519KeyPair::from_seed(&[3; 32]).public_key();
        let did = did_for(&key);
        let doc = document(&did).unwrap();
        let vm = format!("{did}#0");
        assert_eq!(doc.verification_method(&vm).unwrap().public_key, key);
        assert_eq!(resolve_method(&vm).unwrap().method.public_key, key);
        assert_eq!(
            resolve_method(&format!("{did}#1")).unwrap_err().code(),
            ErrorCode::VerificationMethodNotFound
        );
    }

    #[test]
    fn refuses_private_encryption_and_malformed_keys() {
        let encode = |v: Value| format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(v.to_string()));
        let key = Ed25519KeyPair::from_seed(&[3; 32]).public_key().to_jwk();
        let mut private = key.clone();
        private["d"] = "AAAA".into();
        assert_eq!(public_key(&encode(private)).unwrap_err().code(), ErrorCode::DidInvalid);
        let mut enc = key.clone();
        enc["use"] = "enc".into();
        assert_eq!(
            public_key(&encode(enc)).unwrap_err().code(),
            ErrorCode::KeyTypeUnsupported
        );
        // The spec's P-256 example decodes; a secp256k1 key is not supported.
        let p256 = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9";
        #[cfg(feature = "ecdsa")]
        assert_eq!(public_key(p256).unwrap().algorithm(), crate::crypto::KeyAlgorithm::P256);
        #[cfg(not(feature = "ecdsa"))]
        assert_eq!(public_key(p256).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
        let k1 = encode(serde_json::json!({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"}));
        assert_eq!(public_key(&k1).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
        // P-521 coordinates are 66 bytes each.
        let p521 = encode(serde_json::json!({"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"}));
        assert_eq!(public_key(&p521).unwrap_err().code(), ErrorCode::KeyInvalid);
        for bad in ["did:jwk:", "did:jwk:!!", "did:jwk:bm90IGpzb24", "did:jwk:WzFd"] {
            assert_eq!(public_key(bad).unwrap_err().code(), ErrorCode::DidInvalid, "{bad}");
        }
    }
}
