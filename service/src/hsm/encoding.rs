//! The bytes a PKCS#11 token speaks in: the DER of curve parameters and
//! public points, and ECDSA signatures brought to low `s`.

use passerelle::crypto::{KeyAlgorithm, PublicKey};
use passerelle::{Error, ErrorCode};

/// DER of the named curves' object identifiers (and Ed25519's other names).
pub(super) const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70]; // 1.3.101.112
pub(super) const PRINTABLE_EDWARDS25519: &[u8] = b"\x13\x0cedwards25519";
/// 1.3.6.1.4.1.11591.15.1, the curve25519 OID older tools use for Ed25519 keys.
pub(super) const OID_CURVE25519_GNU: &[u8] = &[0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01];
pub(super) const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]; // 1.2.840.10045.3.1.7
pub(super) const OID_P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]; // 1.3.132.0.34
pub(super) const OID_P521: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23]; // 1.3.132.0.35

/// The algorithm of a key from its `CKA_EC_PARAMS`.
pub(super) fn algorithm_of_params(params: &[u8]) -> Option<KeyAlgorithm> {
    match params {
        OID_ED25519 | PRINTABLE_EDWARDS25519 | OID_CURVE25519_GNU => Some(KeyAlgorithm::Ed25519),
        OID_P256 => Some(KeyAlgorithm::P256),
        OID_P384 => Some(KeyAlgorithm::P384),
        OID_P521 => Some(KeyAlgorithm::P521),
        _ => None,
    }
}

/// Big-endian group orders, for low-`s` normalization.
pub(super) const ORDER_P256: [u8; 32] = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
pub(super) const ORDER_P384: [u8; 48] =
    hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
pub(super) const ORDER_P521: [u8; 66] = hex(concat!(
    "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"
));

pub(super) const fn hex<const N: usize>(text: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a lowercase hex digit"),
        }
    }
    let text = text.as_bytes();
    assert!(text.len() == 2 * N, "wrong hex length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

/// The group order of an ECDSA curve (`None` for Ed25519).
pub(super) fn ecdsa_order(algorithm: KeyAlgorithm) -> Option<&'static [u8]> {
    match algorithm {
        KeyAlgorithm::P256 => Some(&ORDER_P256),
        KeyAlgorithm::P384 => Some(&ORDER_P384),
        KeyAlgorithm::P521 => Some(&ORDER_P521),
        _ => None,
    }
}

/// Replaces `s` by `n − s` in an `r‖s` signature whose `s` is above `n / 2`
/// (both verify; passerelle's signers write the low one).
pub(super) fn normalize_low_s(signature: &mut [u8], order: &[u8]) {
    let len = order.len();
    if signature.len() != 2 * len {
        return;
    }
    let s = &mut signature[len..];
    // n / 2, big-endian: each byte shifted right, taking the bit above.
    let mut half = vec![0u8; len];
    for i in 0..len {
        half[i] = (order[i] >> 1) | if i > 0 { (order[i - 1] & 1) << 7 } else { 0 };
    }
    if *s <= *half.as_slice() {
        return;
    }
    let mut borrow = 0i16;
    for i in (0..len).rev() {
        let mut digit = i16::from(order[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(digit < 0);
        if digit < 0 {
            digit += 256;
        }
        s[i] = digit as u8;
    }
}

/// The contents of a DER OCTET STRING that is the whole of `bytes`.
pub(super) fn der_octet_string(bytes: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = bytes.split_first()?;
    if tag != 0x04 {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81 => {
            let (&len, rest) = rest.split_first()?;
            (usize::from(len), rest)
        }
        0x82 => {
            let (len, rest) = rest.split_first_chunk::<2>()?;
            (usize::from(u16::from_be_bytes(*len)), rest)
        }
        _ => return None,
    };
    (rest.len() == len).then_some(rest)
}

/// The public key of a `CKA_EC_POINT` (a DER OCTET STRING around the
/// point, or the bare point as some modules give it).
pub(super) fn public_key_of_point(algorithm: KeyAlgorithm, point: &[u8]) -> Result<PublicKey, String> {
    let decode = |bytes: &[u8]| match algorithm {
        KeyAlgorithm::Ed25519 => PublicKey::ed25519_from_bytes(bytes),
        KeyAlgorithm::P256 => PublicKey::p256_from_sec1(bytes),
        KeyAlgorithm::P384 => PublicKey::p384_from_sec1(bytes),
        KeyAlgorithm::P521 => PublicKey::p521_from_sec1(bytes),
        other => Err(Error::new(ErrorCode::KeyTypeUnsupported, format!("{other} keys"))),
    };
    let wrapped = der_octet_string(point).map(decode);
    match wrapped {
        Some(Ok(key)) => Ok(key),
        _ => decode(point).map_err(|e| format!("CKA_EC_POINT is not a {algorithm} public key: {}", e.detail())),
    }
}

#[cfg(test)]
mod tests {
    use passerelle::crypto::{P256KeyPair, P384KeyPair, P521KeyPair, Signer};

    use super::*;

    /// `n − s` of a signature: the other signature that verifies.
    fn flip_s(signature: &[u8], order: &[u8]) -> Vec<u8> {
        let len = order.len();
        let mut out = signature.to_vec();
        let mut borrow = 0i16;
        for i in (0..len).rev() {
            let mut digit = i16::from(order[i]) - i16::from(signature[len + i]) - borrow;
            borrow = i16::from(digit < 0);
            if digit < 0 {
                digit += 256;
            }
            out[len + i] = digit as u8;
        }
        out
    }

    fn check_low_s(signer: &dyn Signer, algorithm: KeyAlgorithm) {
        let order = ecdsa_order(algorithm).unwrap();
        for i in 0..16u8 {
            let message = [i; 7];
            let low = signer.sign(&message).unwrap();
            let high = flip_s(&low, order);
            // The order is right: n − s verifies too.
            signer.public_key().verify(&message, &high).unwrap();
            let mut normalized = high.clone();
            normalize_low_s(&mut normalized, order);
            assert_eq!(normalized, low, "{algorithm}");
            let mut again = low.clone();
            normalize_low_s(&mut again, order);
            assert_eq!(again, low, "{algorithm}: a low s is kept");
        }
    }

    #[test]
    fn hsm_low_s_against_passerelle_signers() {
        check_low_s(&P256KeyPair::generate().unwrap(), KeyAlgorithm::P256);
        check_low_s(&P384KeyPair::generate().unwrap(), KeyAlgorithm::P384);
        check_low_s(&P521KeyPair::generate().unwrap(), KeyAlgorithm::P521);
    }

    #[test]
    fn hsm_ec_params() {
        assert_eq!(algorithm_of_params(OID_ED25519), Some(KeyAlgorithm::Ed25519));
        assert_eq!(
            algorithm_of_params(b"\x13\x0cedwards25519"),
            Some(KeyAlgorithm::Ed25519)
        );
        assert_eq!(algorithm_of_params(OID_P256), Some(KeyAlgorithm::P256));
        assert_eq!(algorithm_of_params(OID_P384), Some(KeyAlgorithm::P384));
        assert_eq!(algorithm_of_params(OID_P521), Some(KeyAlgorithm::P521));
        // secp256k1 (1.3.132.0.10), Ed448 (1.3.101.113)
        assert_eq!(algorithm_of_params(&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a]), None);
        assert_eq!(algorithm_of_params(&[0x06, 0x03, 0x2b, 0x65, 0x71]), None);
    }

    #[test]
    fn hsm_ec_points_wrapped_or_bare() {
        let ed = passerelle::crypto::Ed25519KeyPair::from_seed(&[4; 32]).public_key();
        let bytes = ed.as_bytes().to_vec();
        let wrapped = [&[0x04, 0x20][..], &bytes].concat();
        assert_eq!(public_key_of_point(KeyAlgorithm::Ed25519, &wrapped).unwrap(), ed);
        assert_eq!(public_key_of_point(KeyAlgorithm::Ed25519, &bytes).unwrap(), ed);

        let p256 = P256KeyPair::generate().unwrap().public_key();
        let PublicKey::P256(key) = p256 else { unreachable!() };
        let (x, y) = key.coordinates();
        let bare = [&[0x04][..], &x, &y].concat();
        let wrapped = [&[0x04, 0x41][..], &bare].concat();
        assert_eq!(public_key_of_point(KeyAlgorithm::P256, &wrapped).unwrap(), p256);
        assert_eq!(public_key_of_point(KeyAlgorithm::P256, &bare).unwrap(), p256);

        let p521 = P521KeyPair::generate().unwrap().public_key();
        let PublicKey::P521(key) = p521 else { unreachable!() };
        let (x, y) = key.coordinates();
        let bare = [&[0x04][..], &x, &y].concat();
        let wrapped = [&[0x04, 0x81, 0x85][..], &bare].concat();
        assert_eq!(public_key_of_point(KeyAlgorithm::P521, &wrapped).unwrap(), p521);

        assert!(public_key_of_point(KeyAlgorithm::P256, &[0x04, 0x01, 0x02]).is_err());
        assert!(public_key_of_point(KeyAlgorithm::Ed25519, &[0x04, 0x20, 1, 2]).is_err());
    }
}
