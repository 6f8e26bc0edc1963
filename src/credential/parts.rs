//! The typed parts of a credential besides its issuer and dates: subjects
//! (VCDM 2.0 §4.8), data schemas (§4.11), refresh services (§5.4), terms
//! of use (§5.5) and evidence (§5.6). Each is read once, with its rules
//! checked, into the small structs below; the checks and the report read
//! these, never the JSON again.

use serde_json::{Map, Value};

use super::is_url;
use crate::error::{Error, ErrorCode, Result};

/// An object the data model only asks a `type` of (and an optional URL
/// `id`): a `termsOfUse` policy (§5.5), an `evidence` entry (§5.6) or a
/// `refreshService` (§5.4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TypedObject {
    /// Its `id`, when it has one.
    pub id: Option<String>,
    /// Its `type` values, in order (at least one).
    pub types: Vec<String>,
}

/// A `credentialSchema` entry (§4.11): a data schema's URL and type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CredentialSchema {
    /// The URL of the schema.
    pub id: String,
    /// Its `type` values, e.g. `JsonSchema` (at least one).
    pub types: Vec<String>,
}

/// One object of `credentialSubject` (§4.8).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Subject {
    /// The subject's `id`, when it is identified.
    pub id: Option<String>,
    /// Its `type` values, if it has any.
    pub types: Vec<String>,
}

/// The objects of a property that holds "one or more objects": a single
/// object or a non-empty array of objects (JSON-LD allows either). `None`
/// when the property is absent.
pub(crate) fn objects<'a>(json: &'a Map<String, Value>, key: &str) -> Result<Option<Vec<&'a Map<String, Value>>>> {
    let bad = || {
        Error::new(
            ErrorCode::PropertyInvalid,
            format!("{key} must be an object or a non-empty array of objects"),
        )
    };
    match json.get(key) {
        None => Ok(None),
        Some(Value::Object(one)) => Ok(Some(vec![one])),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_object().ok_or_else(bad))
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(bad()),
    }
}

/// The `type` of `object`, which must have one: a string, or a non-empty
/// array of strings (§4.5).
pub(crate) fn required_types(object: &Map<String, Value>, key: &str) -> Result<Vec<String>> {
    match super::required_types(object) {
        Some(types) => Ok(types.into_iter().map(str::to_owned).collect()),
        None => Err(Error::new(
            ErrorCode::PropertyInvalid,
            format!("{key} entries need a type: a string or a non-empty array of strings"),
        )),
    }
}

/// The `id` of `object` when present, which must then be a URL (§4.4).
pub(crate) fn optional_id(object: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match object.get("id") {
        None => Ok(None),
        Some(Value::String(id)) if is_url(id) => Ok(Some(id.clone())),
        Some(_) => Err(Error::new(ErrorCode::IdInvalid, format!("a {key} id is not a URL"))),
    }
}

/// Reads `termsOfUse`, `evidence` or `refreshService`: each entry needs a
/// `type`; an `id`, if any, is a URL.
pub(crate) fn typed_objects(json: &Map<String, Value>, key: &str) -> Result<Vec<TypedObject>> {
    let Some(entries) = objects(json, key)? else {
        return Ok(Vec::new());
    };
    entries
        .into_iter()
        .map(|entry| {
            Ok(TypedObject {
                types: required_types(entry, key)?,
                id: optional_id(entry, key)?,
            })
        })
        .collect()
}

/// Reads `credentialSchema` (§4.11): each entry "MUST specify its `type`
/// … and an `id` property that MUST be a URL identifying the schema file".
pub(crate) fn schemas(json: &Map<String, Value>) -> Result<Vec<CredentialSchema>> {
    const KEY: &str = "credentialSchema";
    let Some(entries) = objects(json, KEY)? else {
        return Ok(Vec::new());
    };
    entries
        .into_iter()
        .map(|entry| {
            let types = required_types(entry, KEY)?;
            let id = optional_id(entry, KEY)?.ok_or_else(|| {
                Error::new(
                    ErrorCode::PropertyInvalid,
                    "credentialSchema entries need an id: the URL of the schema",
                )
            })?;
            Ok(CredentialSchema { id, types })
        })
        .collect()
}

/// Reads `credentialSubject` (§4.8): a set of objects, "each object MUST be
/// the subject of one or more claims" — so neither `{}` nor `[]`, nor an
/// array holding `{}`. An `id` is a URL; a `type` is a string or an array
/// of strings.
pub(crate) fn subjects(json: &Map<String, Value>) -> Result<Vec<Subject>> {
    let missing = || {
        Error::new(
            ErrorCode::SubjectMissing,
            "credentialSubject must be a non-empty object or a non-empty array of non-empty objects",
        )
    };
    let entries = objects(json, "credentialSubject")
        .map_err(|_| missing())?
        .ok_or_else(missing)?;
    entries
        .into_iter()
        .map(|subject| {
            if subject.is_empty() {
                return Err(missing());
            }
            let types = match subject.get("type") {
                None => Vec::new(),
                Some(_) => required_types(subject, "credentialSubject")?,
            };
            Ok(Subject {
                id: optional_id(subject, "credentialSubject")?,
                types,
            })
        })
        .collect()
}
