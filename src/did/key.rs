//! The `did:key` method (v0.7): a DID that is its own public key.

use serde_json::Value;

use super::DidDocument;
use crate::crypto::PublicKey;
use crate::error::{Error, ErrorCode, Result};

/// The `did:key` of a public key.
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// let key = Ed25519KeyPair::from_seed(&[0; 32]);
/// let did = passerelle::did::key::did_for(&key.public_key());
/// assert!(did.starts_with("did:key:z6Mk"));
/// assert_eq!(passerelle::did::key::public_key(&did).unwrap(), key.public_key());
/// ```
pub fn did_for(key: &PublicKey) -> String {
    format!("did:key:{}", key.to_multikey())
}

/// The verification method id of a `did:key`: `did:key:z…#z…`.
pub fn verification_method_for(key: &PublicKey) -> String {
    let multibase = key.to_multikey();
    format!("did:key:{multibase}#{multibase}")
}

/// The verification method `did:key:z…#z…` with its key decoded; a
/// `did:key` document lists it under every verification relationship.
pub fn resolve_method(vm_url: &str) -> Result<super::ResolvedMethod> {
    let (did, fragment) = vm_url.split_once('#').unwrap_or((vm_url, ""));
    let public_key = public_key(did)?;
    let multibase = did.rsplit(':').next().unwrap_or_default();
    if multibase != fragment {
        return Err(Error::new(
            ErrorCode::VerificationMethodNotFound,
            format!("a did:key has one verification method, {did}#<key>; not {vm_url}"),
        ));
    }
    Ok(super::ResolvedMethod {
        method: super::VerificationMethod {
            id: vm_url.to_owned(),
            controller: did.to_owned(),
            public_key,
        },
        relationships: vec![
            super::VerificationRelationship::AssertionMethod,
            super::VerificationRelationship::Authentication,
        ],
        pinned: false,
    })
}

/// Decodes the public key of a `did:key` (the version segment, if any, must be `1`).
pub fn public_key(did: &str) -> Result<PublicKey> {
    let multibase = checked_multibase(did)?;
    PublicKey::from_multikey(multibase).map_err(|e| {
        // A key type this build leaves out stays KEY_TYPE_UNSUPPORTED: the DID is fine.
        let code = match e.code() {
            ErrorCode::KeyTypeUnsupported => ErrorCode::KeyTypeUnsupported,
            _ => ErrorCode::DidInvalid,
        };
        Error::new(code, format!("did:key: {}", e.detail()))
    })
}

/// The multibase value of a `did:key`, after checking the DID's form and
/// that it encodes an Ed25519 public key (header 0xed01, 32 bytes), a
/// compressed P-256 one (header 0x8024, 33 bytes), a compressed P-384
/// one (header 0x8124, 49 bytes) or a compressed P-521 one (header 0x8224,
/// 67 bytes). Without the `ecdsa` feature an ECDSA key of any form is
/// `KEY_TYPE_UNSUPPORTED`, as the key itself would be.
fn checked_multibase(did: &str) -> Result<&str> {
    const ECDSA: bool = cfg!(feature = "ecdsa");
    let invalid = |why: &str| Error::new(ErrorCode::DidInvalid, format!("did:key: {why}"));
    let mut parts = did.split(':');
    if (parts.next(), parts.next()) != (Some("did"), Some("key")) {
        return Err(invalid("not a did:key"));
    }
    let rest: Vec<&str> = parts.collect();
    let multibase = match rest.as_slice() {
        [value] => *value,
        ["1", value] => *value,
        _ => return Err(invalid("expected did:key:<multibase>")),
    };
    if !multibase.starts_with('z') {
        return Err(invalid("the key must be base58btc (z…)"));
    }
    let bytes = crate::crypto::multibase::decode(multibase).map_err(|_| invalid("the key is not base58btc"))?;
    match bytes.split_first_chunk::<2>() {
        Some((header, key)) if *header == crate::crypto::ED25519_PUB_HEADER => match key.len() {
            32 => Ok(multibase),
            _ => Err(invalid("an Ed25519 key has 32 bytes")),
        },
        Some((header, key)) if ECDSA && *header == crate::crypto::P256_PUB_HEADER => match key {
            [0x02 | 0x03, rest @ ..] if rest.len() == 32 => Ok(multibase),
            _ => Err(invalid("a P-256 key is compressed SEC1, 33 bytes")),
        },
        Some((header, key)) if ECDSA && *header == crate::crypto::P384_PUB_HEADER => match key {
            [0x02 | 0x03, rest @ ..] if rest.len() == 48 => Ok(multibase),
            _ => Err(invalid("a P-384 key is compressed SEC1, 49 bytes")),
        },
        Some((header, key)) if ECDSA && *header == crate::crypto::P521_PUB_HEADER => match key {
            [0x02 | 0x03, rest @ ..] if rest.len() == 66 => Ok(multibase),
            _ => Err(invalid("a P-521 key is compressed SEC1, 67 bytes")),
        },
        _ if !ECDSA => Err(Error::new(
            ErrorCode::KeyTypeUnsupported,
            "did:key: only Ed25519 keys without passerelle's `ecdsa` feature",
        )),
        _ => Err(Error::new(
            ErrorCode::KeyTypeUnsupported,
            "did:key: only Ed25519, P-256, P-384 and P-521 keys are supported",
        )),
    }
}

/// Expands a `did:key` into its DID document, with one `Multikey`
/// verification method referenced by `authentication`, `assertionMethod`,
/// `capabilityInvocation` and `capabilityDelegation` (Document Creation
/// Algorithm; no key-agreement key is derived).
pub fn document(did: &str) -> Result<DidDocument> {
    // The key's bytes are checked here (multibase, multicodec, length); the
    // curve point is decoded once, when the verification method is used.
    let multibase = checked_multibase(did)?;
    DidDocument::of_single_key(
        did,
        multibase,
        ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "Multikey",
        ("publicKeyMultibase", Value::String(multibase.to_owned())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::did::VerificationRelationship;

    const SPEC_EXAMPLE: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    #[test]
    fn expands_the_spec_example() {
        let doc = document(SPEC_EXAMPLE).unwrap();
        let vm_id = format!("{SPEC_EXAMPLE}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        let vm = doc.verification_method(&vm_id).unwrap();
        assert_eq!(vm.controller, SPEC_EXAMPLE);
        assert!(doc.authorizes(&vm_id, VerificationRelationship::AssertionMethod));
        assert!(doc.authorizes(&vm_id, VerificationRelationship::Authentication));
    }

    #[test]
    fn resolves_its_single_method_without_a_document() {
        let vm = format!("{SPEC_EXAMPLE}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        let resolved = resolve_method(&vm).unwrap();
        assert_eq!(
            resolved.method,
            document(SPEC_EXAMPLE).unwrap().verification_method(&vm).unwrap()
        );
        assert!(resolved.authorizes(VerificationRelationship::AssertionMethod));
        let suffix = format!("{SPEC_EXAMPLE}#LGpbnnEGta2doK");
        for wrong in [
            format!("{SPEC_EXAMPLE}#key-1"),
            SPEC_EXAMPLE.to_owned(),
            format!("{SPEC_EXAMPLE}#"),
            suffix,
        ] {
            assert_eq!(
                resolve_method(&wrong).unwrap_err().code(),
                ErrorCode::VerificationMethodNotFound,
                "{wrong}"
            );
        }
    }

    #[test]
    fn refuses_malformed_did_keys() {
        for bad in [
            "did:web:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "did:key:u7QEA",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do",
            "did:key:2:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "did:key:",
        ] {
            assert!(public_key(bad).is_err(), "{bad}");
        }
        // The spec's P-256 example (0x1200) decodes; a secp256k1 key (0xe7) is not supported.
        let p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
        #[cfg(feature = "ecdsa")]
        assert_eq!(public_key(p256).unwrap().to_multikey(), &p256[8..]);
        #[cfg(not(feature = "ecdsa"))]
        assert_eq!(public_key(p256).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
        // The W3C vc-di-ecdsa P-384 key (0x1201) decodes too.
        let p384 = "did:key:z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ";
        #[cfg(feature = "ecdsa")]
        assert_eq!(public_key(p384).unwrap().algorithm(), crate::crypto::KeyAlgorithm::P384);
        #[cfg(not(feature = "ecdsa"))]
        assert_eq!(public_key(p384).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
        let secp256k1 = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
        assert_eq!(public_key(secp256k1).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
    }
}
