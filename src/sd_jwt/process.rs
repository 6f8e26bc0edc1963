//! Putting Disclosures in place of their digests (RFC 9901 §7.1 step 3)
//! with the checks of steps 4 and 5.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::disclosure::is_reserved;
use super::{claim_of, Disclosure, SHA_256};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::pointer::pointer_join;
use crate::json::Limits;

/// The claims as disclosed: what the issuer signed in the clear, with each
/// Disclosure sent put where its digest was, undisclosed array elements
/// removed and `_sd`/`_sd_alg` gone.
#[derive(Clone, Debug, PartialEq)]
pub struct Processed {
    /// The claims.
    pub claims: Map<String, Value>,
    /// Where each Disclosure went, as a JSON pointer (RFC 6901) into
    /// `claims`, in the order of the Disclosures sent.
    pub disclosed: Vec<String>,
}

fn payload_invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::SdJwtPayloadInvalid, why)
}

struct Walk<'a> {
    by_digest: HashMap<&'a str, usize>,
    disclosures: &'a [Disclosure],
    seen: HashSet<String>,
    landed: Vec<Option<String>>,
    max_depth: usize,
}

/// See [`super::SdJwt::process`].
pub(crate) fn process(payload: &Map<String, Value>, disclosures: &[Disclosure], limits: Limits) -> Result<Processed> {
    let mut by_digest = HashMap::new();
    for (i, disclosure) in disclosures.iter().enumerate() {
        if by_digest.insert(disclosure.digest(), i).is_some() {
            return Err(Error::new(
                ErrorCode::SdJwtDigestReused,
                format!("the Disclosure {} is sent twice", quoted(disclosure.digest())),
            ));
        }
    }
    match payload.get("_sd_alg") {
        None => {}
        Some(Value::String(alg)) if alg == SHA_256 => {}
        Some(Value::String(alg)) => {
            return Err(Error::new(
                ErrorCode::SdJwtHashUnsupported,
                format!("_sd_alg {} (only sha-256 is accepted)", quoted(alg)),
            ))
        }
        Some(_) => return Err(payload_invalid("_sd_alg is not a string")),
    }
    refuse_repeated_digests(payload, &mut HashSet::new())?;
    let mut walk = Walk {
        by_digest,
        disclosures,
        seen: HashSet::new(),
        landed: vec![None; disclosures.len()],
        max_depth: limits.max_depth.min(Limits::DEPTH_CEILING),
    };
    let mut top = payload.clone();
    top.remove("_sd_alg");
    let claims = walk.object(top, "", 0)?;
    let mut disclosed = Vec::with_capacity(disclosures.len());
    for (disclosure, landed) in disclosures.iter().zip(walk.landed) {
        match landed {
            Some(pointer) => disclosed.push(pointer),
            None => {
                return Err(Error::new(
                    ErrorCode::SdJwtDisclosureUnreferenced,
                    format!(
                        "the Disclosure {} matches no digest the issuer signed",
                        quoted(disclosure.digest())
                    ),
                ))
            }
        }
    }
    if let Some(critical) = disclosed
        .iter()
        .find(|pointer| claim_of(pointer, &NEVER_DISCLOSED).is_some())
    {
        return Err(payload_invalid(format!(
            "{} was selectively disclosable: a holder could leave it out (RFC 9901 §9.7)",
            quoted(critical)
        )));
    }
    Ok(Processed { claims, disclosed })
}

/// The top-level claims that decide whether an SD-JWT is valid or whose it
/// is (RFC 9901 §9.7): never made disclosable here, refused when disclosed.
pub(crate) const NEVER_DISCLOSED: [&str; 5] = ["iss", "aud", "exp", "nbf", "cnf"];

/// Every digest the issuer-signed claims hold (in `_sd` arrays and
/// `{"...": digest}` elements) appears once (§7.1 step 4), whatever is disclosed.
fn refuse_repeated_digests(object: &Map<String, Value>, seen: &mut HashSet<String>) -> Result<()> {
    let mut note = |digest: &str| {
        if seen.insert(digest.to_owned()) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::SdJwtDigestReused,
                format!("the digest {} appears more than once", quoted(digest)),
            ))
        }
    };
    if let Some(Value::Array(digests)) = object.get("_sd") {
        digests.iter().filter_map(Value::as_str).try_for_each(&mut note)?;
    }
    if let (1, Some(Value::String(digest))) = (object.len(), object.get("...")) {
        note(digest)?;
    }
    object.values().try_for_each(|v| refuse_repeated_digests_in(v, seen))
}

fn refuse_repeated_digests_in(value: &Value, seen: &mut HashSet<String>) -> Result<()> {
    match value {
        Value::Object(object) => refuse_repeated_digests(object, seen),
        Value::Array(items) => items.iter().try_for_each(|v| refuse_repeated_digests_in(v, seen)),
        _ => Ok(()),
    }
}

impl Walk<'_> {
    fn check_depth(&self, depth: usize) -> Result<()> {
        if depth > self.max_depth {
            return Err(Error::new(
                ErrorCode::InputTooDeep,
                format!("disclosed claims nest deeper than {}", self.max_depth),
            ));
        }
        Ok(())
    }

    /// The disclosure with `digest`, if one was sent; a digest met twice
    /// is refused, whether or not it was disclosed (§7.1 step 4).
    fn take(&mut self, digest: &str) -> Result<Option<usize>> {
        if !self.seen.insert(digest.to_owned()) {
            return Err(Error::new(
                ErrorCode::SdJwtDigestReused,
                format!("the digest {} appears more than once", quoted(digest)),
            ));
        }
        Ok(self.by_digest.get(digest).copied())
    }

    fn value(&mut self, value: Value, at: &str, depth: usize) -> Result<Value> {
        Ok(match value {
            Value::Object(object) => Value::Object(self.object(object, at, depth + 1)?),
            Value::Array(items) => Value::Array(self.array(items, at, depth + 1)?),
            other => other,
        })
    }

    fn object(&mut self, mut object: Map<String, Value>, at: &str, depth: usize) -> Result<Map<String, Value>> {
        self.check_depth(depth)?;
        if object.contains_key("...") {
            return Err(payload_invalid(format!(
                "an object at {} has a member named `...`",
                quoted(at)
            )));
        }
        if depth > 0 && object.contains_key("_sd_alg") {
            return Err(payload_invalid("_sd_alg below the top level"));
        }
        let digests = match object.remove("_sd") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(digest) => Ok(digest),
                    _ => Err(payload_invalid(format!("_sd at {} holds a non-string", quoted(at)))),
                })
                .collect::<Result<Vec<_>>>()?,
            Some(_) => return Err(payload_invalid(format!("_sd at {} is not an array", quoted(at)))),
        };
        let mut out = Map::new();
        for (name, value) in object {
            let here = pointer_join(at, &name);
            let value = self.value(value, &here, depth)?;
            out.insert(name, value);
        }
        for digest in digests {
            let Some(index) = self.take(&digest)? else { continue };
            let disclosure = &self.disclosures[index];
            let Some(name) = disclosure.name() else {
                return Err(Error::new(
                    ErrorCode::SdJwtDisclosureInvalid,
                    "an array element's Disclosure is referenced from an object's _sd",
                ));
            };
            if name == "_sd_alg" {
                return Err(Error::new(
                    ErrorCode::SdJwtDisclosureInvalid,
                    "a Disclosure names _sd_alg",
                ));
            }
            if out.contains_key(name) {
                return Err(Error::new(
                    ErrorCode::SdJwtClaimConflict,
                    format!("{} is already at {}", quoted(name), quoted(at)),
                ));
            }
            let here = pointer_join(at, name);
            let (name, value) = (name.to_owned(), disclosure.value().clone());
            let value = self.value(value, &here, depth)?;
            self.landed[index] = Some(here);
            out.insert(name, value);
        }
        Ok(out)
    }

    fn array(&mut self, items: Vec<Value>, at: &str, depth: usize) -> Result<Vec<Value>> {
        self.check_depth(depth)?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let here = pointer_join(at, &out.len().to_string());
            match element_digest(&item)? {
                Some(digest) => {
                    let Some(index) = self.take(&digest)? else { continue };
                    let disclosure = &self.disclosures[index];
                    if disclosure.name().is_some() {
                        return Err(Error::new(
                            ErrorCode::SdJwtDisclosureInvalid,
                            "an object member's Disclosure is referenced from an array",
                        ));
                    }
                    let value = self.value(disclosure.value().clone(), &here, depth)?;
                    self.landed[index] = Some(here);
                    out.push(value);
                }
                None => out.push(self.value(item, &here, depth)?),
            }
        }
        Ok(out)
    }
}

/// The digest an array element `{"...": digest}` stands for; an object
/// with `...` and anything else, or a non-string digest, is refused.
fn element_digest(item: &Value) -> Result<Option<String>> {
    let Value::Object(object) = item else { return Ok(None) };
    match object.get("...") {
        None => Ok(None),
        Some(Value::String(digest)) if object.len() == 1 => Ok(Some(digest.clone())),
        Some(_) => Err(payload_invalid(
            "an array element {\"...\": digest} has other members or a non-string digest",
        )),
    }
}

/// Whether `name` may be made disclosable or carry a disclosed claim.
pub(crate) fn is_disclosable_name(name: &str) -> bool {
    !is_reserved(name) && name != "_sd_alg"
}
