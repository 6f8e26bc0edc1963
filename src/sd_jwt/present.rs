//! What a holder sends (RFC 9901 §7.2): the issuer-signed JWT, the
//! Disclosures of the claims it chooses, and a Key Binding JWT (§4.3).

use serde_json::{Map, Value};

use super::{digest, parse, KEY_BINDING_TYP};
use crate::crypto::Signer;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::{sign_with_header, JwsAlgorithm};
use crate::json::Limits;
use crate::time::Timestamp;

/// What the holder binds a presentation to (§4.3): its key, the verifier's
/// nonce and audience, and the time it signs.
pub struct KeyBinding<'a> {
    /// The holder's key: the one the SD-JWT's `cnf` names.
    pub signer: &'a dyn Signer,
    /// The verifier's nonce.
    pub nonce: &'a str,
    /// The verifier (`aud`).
    pub audience: &'a str,
    /// When the holder signs (`iat`).
    pub issued_at: Timestamp,
}

/// Whether JSON pointer `outer` is `inner` or one of its ancestors.
fn contains(outer: &str, inner: &str) -> bool {
    inner == outer || inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'))
}

/// From an issued SD-JWT (`<JWT>~<Disclosure>~…~`), the presentation of
/// the claims at the JSON pointers `disclose` (into the claims as the
/// holder sees them with every Disclosure: `/given_name`,
/// `/nationalities/1`): their Disclosures, those of the claims around
/// them (a claim inside a disclosable object needs the object's), and
/// those of the claims inside them. Claims the issuer wrote in the clear
/// need none. With `key_binding`, a Key Binding JWT follows; without it the
/// presentation ends with `~`.
///
/// The SD-JWT's structure is checked (every Disclosure referenced once,
/// no conflict), not the issuer's signature. Refused: a pointer that names
/// no claim (`SD_JWT_CLAIM_NOT_FOUND`); an SD-JWT that already has a Key
/// Binding JWT (`SD_JWT_MALFORMED`).
pub fn present(
    issued: &str,
    disclose: &[&str],
    key_binding: Option<&KeyBinding<'_>>,
    limits: Limits,
) -> Result<String> {
    let sd_jwt = parse(issued, limits)?;
    if sd_jwt.key_binding.is_some() {
        return Err(Error::new(
            ErrorCode::SdJwtMalformed,
            "a presentation (with a Key Binding JWT) cannot be presented again",
        ));
    }
    let processed = sd_jwt.process(limits)?;
    let claims = Value::Object(processed.claims);
    for pointer in disclose {
        if claims.pointer(pointer).is_none() {
            return Err(Error::new(
                ErrorCode::SdJwtClaimNotFound,
                format!("no claim at {}", quoted(pointer)),
            ));
        }
    }
    let jwt_end = sd_jwt.presented().find('~').unwrap_or_default();
    let mut out = sd_jwt.presented()[..=jwt_end].to_owned();
    for (disclosure, landed) in sd_jwt.disclosures.iter().zip(&processed.disclosed) {
        if disclose.iter().any(|p| contains(landed, p) || contains(p, landed)) {
            out.push_str(disclosure.encoded());
            out.push('~');
        }
    }
    if let Some(binding) = key_binding {
        let alg = JwsAlgorithm::for_key(binding.signer.public_key().algorithm());
        let mut header = Map::new();
        header.insert("alg".into(), alg.as_str().into());
        header.insert("typ".into(), KEY_BINDING_TYP.into());
        let mut payload = Map::new();
        payload.insert("iat".into(), binding.issued_at.unix_seconds().into());
        payload.insert("aud".into(), binding.audience.into());
        payload.insert("nonce".into(), binding.nonce.into());
        payload.insert("sd_hash".into(), digest(&out).into());
        out.push_str(&sign_with_header(&header, &payload, binding.signer)?);
    }
    Ok(out)
}
