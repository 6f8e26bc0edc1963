//! Options written as JSON (the wasm API's, a vector's), read into
//! [`Inputs`]: unknown keys and cryptosuite names refused, values checked.

use serde_json::{Map, Value};

use crate::did::DidDocument;
use crate::error::{quoted, Error, ErrorCode, Lang, Result};
use crate::json;
use crate::proof::Cryptosuite;
use crate::time::Timestamp;

use super::{Inputs, POLICY_KEYS};

/// Every cryptosuite name: one of these may be accepted even where this
/// build cannot verify it (its proofs then fail `CRYPTOSUITE_UNSUPPORTED`);
/// any other name is refused.
const SUITE_NAMES: [Cryptosuite; 5] = [
    Cryptosuite::EddsaJcs2022,
    Cryptosuite::EcdsaJcs2019,
    Cryptosuite::EddsaRdfc2022,
    Cryptosuite::EcdsaRdfc2019,
    Cryptosuite::EcdsaSd2023,
];

/// `OPTION_UNKNOWN` unless `key` is one of `allowed`.
pub fn check_key(key: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&key) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::OptionUnknown,
        format!(
            "unknown option {}; known here: {}",
            quoted(key),
            crate::error::join(&mut allowed.iter().copied(), ", ")
        ),
    ))
}

fn invalid(key: &str, what: &str) -> Error {
    Error::new(ErrorCode::OptionInvalid, format!("{key} must be {what}"))
}

/// The cryptosuite called `name`; `OPTION_UNKNOWN` for a name no suite has.
pub fn suite_named(name: &str) -> Result<Cryptosuite> {
    SUITE_NAMES
        .iter()
        .copied()
        .find(|suite| suite.as_str() == name)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::OptionUnknown,
                format!("cryptosuites: unknown cryptosuite {}", quoted(name)),
            )
        })
}

impl Inputs {
    /// Reads a JSON options object whose keys must be among `allowed`
    /// ([`CALL_KEYS`](super::CALL_KEYS), [`MADE_KEYS`](super::MADE_KEYS), …): an unknown key or cryptosuite
    /// name is refused with `OPTION_UNKNOWN`, a value of the wrong type with
    /// `OPTION_INVALID`, a bad time with `DATE_INVALID`, a bad DID document
    /// with its own code. A key whose value is `null` is as if absent.
    ///
    /// - `time` (dateTimeStamp), `lang` (`"en"`, `"fr"`), `challenge`,
    ///   `domain` (strings), `cryptosuites` (names), `maxBytes`,
    ///   `maxDepth` (integers), `statusPolicy` (`{skipWithoutSource,
    ///   acceptUnknownTypes}`, booleans), `trustAtVerificationTime` (boolean);
    /// - `didDocuments` (array of documents, objects or JSON text),
    ///   `didLogs` (`{did: log text}`), `statusLists` (`{url: credential}`,
    ///   object or JSON text; present, even empty, it gives the verifier a
    ///   status source), `contexts` (`{url: context}`, object or JSON text);
    /// - `trustAnchors` (DIDs), `snapshots` (array, object or JSON text),
    ///   `seen` (`{registry: sequence}`).
    pub fn read(&mut self, options: Map<String, Value>, allowed: &[&str]) -> Result<()> {
        for key in options.keys() {
            check_key(key, allowed)?;
        }
        for (key, value) in options {
            if value.is_null() {
                continue;
            }
            if POLICY_KEYS.contains(&key.as_str()) {
                self.read_policy(&key, value)?;
            } else {
                self.read_data(&key, value)?;
            }
        }
        Ok(())
    }

    /// Reads the policy `key` (one of [`POLICY_KEYS`]) of JSON options, as
    /// [`Inputs::read`] does; any other key is refused with `OPTION_UNKNOWN`.
    /// For callers that take the documents, logs and lists apart (the wasm
    /// bindings read them one by one from JavaScript).
    pub fn read_policy(&mut self, key: &str, value: Value) -> Result<()> {
        let string = |value: Value| string(key, value);
        let count = |value: &Value| count(key, value);
        match key {
            "time" => {
                self.options.time = Timestamp::parse(&string(value)?)?;
                self.time_given = true;
            }
            "lang" => {
                self.lang = Lang::parse(&string(value)?).ok_or_else(|| invalid(key, "\"en\" or \"fr\""))?;
            }
            "challenge" => self.options.challenge = Some(string(value)?),
            "domain" => self.options.domain = Some(string(value)?),
            "cryptosuites" => {
                let mut suites = Vec::new();
                for name in array(key, value)? {
                    suites.push(suite_named(&string(name)?)?);
                }
                self.options.cryptosuites = suites;
            }
            "maxBytes" => self.options.limits.max_bytes = usize::try_from(count(&value)?).unwrap_or(usize::MAX),
            "maxDepth" => self.options.limits.max_depth = usize::try_from(count(&value)?).unwrap_or(usize::MAX),
            "statusPolicy" => self.read_status_policy(value)?,
            "trustAtVerificationTime" => {
                self.options.trust_at_verification_time = value.as_bool().ok_or_else(|| invalid(key, "a boolean"))?;
            }
            other => return check_key(other, &[]),
        }
        Ok(())
    }

    /// Reads a key of JSON options that supplies data or trust.
    fn read_data(&mut self, key: &str, value: Value) -> Result<()> {
        let string = |value: Value| string(key, value);
        match key {
            "didDocuments" => {
                for document in array(key, value)? {
                    match document {
                        Value::String(text) => self.did_document_text(text.into_bytes()),
                        Value::Object(_) => self.did_document(DidDocument::from_json(document)?),
                        _ => return Err(invalid(key, "an array of DID documents")),
                    };
                }
            }
            "didLogs" => {
                for (did, log) in object(key, value)? {
                    let log = string(log).map_err(|_| invalid(key, "an object of did.jsonl texts by DID"))?;
                    self.did_log(did, log);
                }
            }
            "statusLists" => {
                self.status_source();
                for (url, list) in object(key, value)? {
                    self.status_list(url, text_of(key, list)?.into_bytes());
                }
            }
            "contexts" => {
                for (url, context) in object(key, value)? {
                    self.context(url, text_of(key, context)?);
                }
            }
            "trustAnchors" | "seen" => self.read_trust(key, value)?,
            "snapshots" => {
                for snapshot in array(key, value)? {
                    self.snapshot(text_of(key, snapshot)?.into_bytes());
                }
            }
            other => return check_key(other, &[]),
        }
        Ok(())
    }

    /// Reads `trustAnchors` (DIDs) or `seen` (`{registry: sequence}`) of
    /// JSON options, as [`Inputs::read`] does; any other key is refused.
    pub fn read_trust(&mut self, key: &str, value: Value) -> Result<()> {
        match key {
            "trustAnchors" => {
                for anchor in array(key, value)? {
                    self.trust_anchor(string(key, anchor)?);
                }
            }
            "seen" => {
                for (registry, sequence) in object(key, value)? {
                    self.seen(registry, count(key, &sequence)?);
                }
            }
            other => return check_key(other, &[]),
        }
        Ok(())
    }

    /// `statusPolicy`: `{skipWithoutSource, acceptUnknownTypes}`, booleans,
    /// both false by default (fail closed).
    fn read_status_policy(&mut self, value: Value) -> Result<()> {
        const KEYS: &[&str] = &["skipWithoutSource", "acceptUnknownTypes"];
        for (key, flag) in object("statusPolicy", value)? {
            let flag = flag
                .as_bool()
                .ok_or_else(|| invalid(&format!("statusPolicy.{key}"), "a boolean"))?;
            let policy = &mut self.options.status_policy;
            match key.as_str() {
                "skipWithoutSource" => policy.skip_without_source = flag,
                "acceptUnknownTypes" => policy.accept_unknown_types = flag,
                _ => return check_key(&format!("statusPolicy.{key}"), KEYS),
            }
        }
        Ok(())
    }
}

fn string(key: &str, value: Value) -> Result<String> {
    match value {
        Value::String(text) => Ok(text),
        _ => Err(invalid(key, "a string")),
    }
}

fn count(key: &str, value: &Value) -> Result<u64> {
    value.as_u64().ok_or_else(|| invalid(key, "a non-negative integer"))
}

fn array(key: &str, value: Value) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(invalid(key, "an array")),
    }
}

fn object(key: &str, value: Value) -> Result<Map<String, Value>> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(invalid(key, "an object")),
    }
}

/// A supplied document as JSON text: text as given, an object written out.
fn text_of(key: &str, value: Value) -> Result<String> {
    match value {
        Value::String(text) => Ok(text),
        Value::Object(_) => json::to_text(&value),
        _ => Err(invalid(key, "JSON objects or their text")),
    }
}
