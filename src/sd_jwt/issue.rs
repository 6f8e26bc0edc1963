//! Making an SD-JWT (RFC 9901 §4.1, §4.2): the claims named by JSON
//! pointers become Disclosures, their digests take their place.

use serde_json::{json, Map, Value};

use super::process::{is_disclosable_name, NEVER_DISCLOSED};
use super::{claim_of, digest, Disclosure, SHA_256};
use crate::crypto::{PublicKey, Signer};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::{sign_with_header, JwsAlgorithm};
use crate::json::pointer::pointer_join;

/// How [`issue`] makes the SD-JWT.
#[derive(Clone, Debug)]
pub struct IssueOptions {
    /// The `typ` header: `example+sd-jwt` by default; a profile names its
    /// own (`vc+sd-jwt`, `dc+sd-jwt`).
    pub typ: String,
    /// The `kid` header, if any: the issuer's verification method.
    pub kid: Option<String>,
    /// Decoy digests added to each `_sd` array made (§4.2.5), hiding how
    /// many claims are disclosable there.
    pub decoys: usize,
    /// The holder's public key, put in `cnf.jwk` (§4.1.2): a verifier then
    /// requires a Key Binding JWT signed with it.
    pub holder_key: Option<PublicKey>,
}

impl Default for IssueOptions {
    fn default() -> Self {
        IssueOptions {
            typ: "example+sd-jwt".into(),
            kid: None,
            decoys: 0,
            holder_key: None,
        }
    }
}

fn option_invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::OptionInvalid, why)
}

/// 128 random bits, base64url: a salt (§9.3).
fn random_salt() -> Result<String> {
    use base64::Engine as _;
    let mut bytes = [0u8; 16];
    crate::crypto::random_bytes(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Issues `claims` as an SD-JWT signed by `signer`, with the claims at the
/// JSON pointers `disclosable` (RFC 6901: `/address`, `/nationalities/0`)
/// selectively disclosable, salted with 128 random bits each. A pointer
/// may lie inside another (`/address` and `/address/region`): the inner
/// claim is then disclosable within the outer one. Returns
/// `<JWT>~<Disclosure>~…~`, every Disclosure included, for the holder.
///
/// Refused: a pointer that names no claim (`SD_JWT_CLAIM_NOT_FOUND`); the
/// same claim twice, a top-level `iss`, `aud`, `exp`, `nbf`, `cnf` or
/// `_sd_alg` (RFC 9901 §9.7: a holder could leave them out)
/// (`OPTION_INVALID`); claims that already use `_sd`, `...` or `_sd_alg`
/// (`SD_JWT_PAYLOAD_INVALID`).
pub fn issue(
    claims: &Map<String, Value>,
    disclosable: &[&str],
    options: &IssueOptions,
    signer: &dyn Signer,
) -> Result<String> {
    issue_salted(claims, disclosable, options, signer, &mut random_salt)
}

/// [`issue`] with the salts (and decoy digests' inputs) taken from `salt`:
/// for reproducible examples and tests. A salt must be unpredictable and
/// unique per claim (§9.3); use [`issue`] otherwise.
pub fn issue_with_salts(
    claims: &Map<String, Value>,
    disclosable: &[&str],
    options: &IssueOptions,
    signer: &dyn Signer,
    salt: &mut dyn FnMut() -> String,
) -> Result<String> {
    issue_salted(claims, disclosable, options, signer, &mut || Ok(salt()))
}

fn issue_salted(
    claims: &Map<String, Value>,
    disclosable: &[&str],
    options: &IssueOptions,
    signer: &dyn Signer,
    salt: &mut dyn FnMut() -> Result<String>,
) -> Result<String> {
    let mut wanted = Vec::with_capacity(disclosable.len());
    for pointer in disclosable {
        if !pointer.starts_with('/') {
            return Err(option_invalid(format!("{} is not a JSON pointer", quoted(pointer))));
        }
        if wanted.contains(pointer) {
            return Err(option_invalid(format!("{} is listed twice", quoted(pointer))));
        }
        if claim_of(pointer, &NEVER_DISCLOSED).is_some() || claim_of(pointer, &["_sd_alg"]).is_some() {
            return Err(option_invalid(format!(
                "{} decides the SD-JWT's validity or holder: it cannot be made disclosable (RFC 9901 §9.7)",
                quoted(pointer)
            )));
        }
        wanted.push(*pointer);
    }
    check_reserved(claims)?;
    let mut making = Making {
        wanted: &wanted,
        found: vec![false; wanted.len()],
        disclosures: Vec::new(),
        decoys: options.decoys,
        salt,
    };
    let mut payload = making.object(claims.clone(), "")?;
    if let Some(missing) = making.found.iter().position(|found| !found) {
        return Err(Error::new(
            ErrorCode::SdJwtClaimNotFound,
            format!("no claim at {}", quoted(wanted[missing])),
        ));
    }
    payload.insert("_sd_alg".into(), SHA_256.into());
    if let Some(holder) = &options.holder_key {
        payload.insert("cnf".into(), json!({ "jwk": holder.to_jwk() }));
    }
    let alg = JwsAlgorithm::for_key(signer.public_key().algorithm());
    let mut header = Map::new();
    header.insert("alg".into(), alg.as_str().into());
    header.insert("typ".into(), options.typ.clone().into());
    if let Some(kid) = &options.kid {
        header.insert("kid".into(), kid.clone().into());
    }
    let jwt = sign_with_header(&header, &payload, signer)?;
    let mut out = jwt;
    out.push('~');
    for disclosure in &making.disclosures {
        out.push_str(disclosure.encoded());
        out.push('~');
    }
    Ok(out)
}

/// Refuses claims that already use the names SD-JWT reserves.
fn check_reserved(object: &Map<String, Value>) -> Result<()> {
    if let Some(name) = object.keys().find(|name| !is_disclosable_name(name)) {
        return Err(Error::new(
            ErrorCode::SdJwtPayloadInvalid,
            format!("the claims already use the reserved name {}", quoted(name)),
        ));
    }
    object.values().try_for_each(check_reserved_in)
}

fn check_reserved_in(value: &Value) -> Result<()> {
    match value {
        Value::Object(object) => check_reserved(object),
        Value::Array(items) => items.iter().try_for_each(check_reserved_in),
        _ => Ok(()),
    }
}

struct Making<'a> {
    wanted: &'a [&'a str],
    found: Vec<bool>,
    disclosures: Vec<Disclosure>,
    decoys: usize,
    salt: &'a mut dyn FnMut() -> Result<String>,
}

impl Making<'_> {
    /// Whether the claim at `pointer` is to be disclosable (and note it found).
    fn wants(&mut self, pointer: &str) -> bool {
        match self.wanted.iter().position(|w| *w == pointer) {
            Some(i) => {
                self.found[i] = true;
                true
            }
            None => false,
        }
    }

    fn value(&mut self, value: Value, at: &str) -> Result<Value> {
        Ok(match value {
            Value::Object(object) => Value::Object(self.object(object, at)?),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let here = pointer_join(at, &i.to_string());
                    let item = self.value(item, &here)?;
                    if self.wants(&here) {
                        let disclosure = Disclosure::element(&(self.salt)()?, item);
                        out.push(json!({ "...": disclosure.digest() }));
                        self.disclosures.push(disclosure);
                    } else {
                        out.push(item);
                    }
                }
                Value::Array(out)
            }
            other => other,
        })
    }

    fn object(&mut self, object: Map<String, Value>, at: &str) -> Result<Map<String, Value>> {
        let mut out = Map::new();
        let mut digests = Vec::new();
        for (name, value) in object {
            let here = pointer_join(at, &name);
            let value = self.value(value, &here)?;
            if self.wants(&here) {
                let disclosure = Disclosure::member(&(self.salt)()?, &name, value)?;
                digests.push(disclosure.digest().to_owned());
                self.disclosures.push(disclosure);
            } else {
                out.insert(name, value);
            }
        }
        if !digests.is_empty() {
            for _ in 0..self.decoys {
                digests.push(digest(&(self.salt)()?));
            }
            // Sorted, so the order says nothing of the claims' (§4.2.4.1).
            digests.sort();
            out.insert("_sd".into(), Value::from(digests));
        }
        Ok(out)
    }
}
