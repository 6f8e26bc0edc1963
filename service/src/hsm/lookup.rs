//! The key pair of a label in the token: its private key's handle, its
//! algorithm, and its public key (from the public key object, or the
//! private key's own point).

use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use passerelle::crypto::{KeyAlgorithm, PublicKey};

use super::encoding::{algorithm_of_params, public_key_of_point};
use super::error::HsmError;

/// The one private key labelled `label`, its algorithm and public key.
pub(super) fn find_key(session: &Session, label: &str) -> Result<(ObjectHandle, KeyAlgorithm, PublicKey), HsmError> {
    let find = |class| {
        session
            .find_objects(&[Attribute::Class(class), Attribute::Label(label.as_bytes().to_vec())])
            .map_err(|e| HsmError::pkcs11("finding keys", &e))
    };
    let unsupported = |detail: String| HsmError::UnsupportedKey {
        label: label.to_owned(),
        detail,
    };
    let ambiguous = |count| HsmError::KeyAmbiguous {
        label: label.to_owned(),
        count,
    };
    let private = match find(ObjectClass::PRIVATE_KEY)?[..] {
        [key] => key,
        [] => {
            return Err(HsmError::KeyNotFound {
                label: label.to_owned(),
            })
        }
        ref keys => return Err(ambiguous(keys.len())),
    };
    let read = |object, types: &[AttributeType]| {
        session
            .get_attributes(object, types)
            .map_err(|e| HsmError::pkcs11("reading key attributes", &e))
    };
    let (mut key_type, mut can_sign) = (None, None);
    for attribute in read(private, &[AttributeType::KeyType, AttributeType::Sign])? {
        match attribute {
            Attribute::KeyType(t) => key_type = Some(t),
            Attribute::Sign(s) => can_sign = Some(s),
            _ => {}
        }
    }
    if can_sign == Some(false) {
        return Err(unsupported("the private key may not sign (CKA_SIGN false)".into()));
    }
    // The public key object, or failing one the private key's own point.
    let holder = match find(ObjectClass::PUBLIC_KEY)?[..] {
        [key] => key,
        [] => private,
        ref keys => return Err(ambiguous(keys.len())),
    };
    let (mut params, mut point) = (None, None);
    for attribute in read(holder, &[AttributeType::EcParams, AttributeType::EcPoint])? {
        match attribute {
            Attribute::EcParams(p) => params = Some(p),
            Attribute::EcPoint(p) => point = Some(p),
            _ => {}
        }
    }
    let (Some(params), Some(point)) = (params, point) else {
        return Err(HsmError::PublicKeyNotFound {
            label: label.to_owned(),
        });
    };
    let algorithm = algorithm_of_params(&params)
        .ok_or_else(|| unsupported("CKA_EC_PARAMS names a curve other than Ed25519, P-256, P-384, P-521".into()))?;
    let expected_type = match algorithm {
        KeyAlgorithm::Ed25519 => KeyType::EC_EDWARDS,
        _ => KeyType::EC,
    };
    if key_type.is_some_and(|t| t != expected_type) {
        return Err(unsupported(format!("the private key is not a {algorithm} key")));
    }
    let public_key = public_key_of_point(algorithm, &point).map_err(unsupported)?;
    Ok((private, algorithm, public_key))
}
