//! DID resolution cases: a DID or DID URL, the resolution options, and the
//! expected `error` name (DID Resolution and the did:key method) or the
//! expected document or resource.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::did::resolution::{error_name, resolve, ResolutionOptions};

/// One DID resolution case.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolutionCase {
    /// A unique, stable id.
    pub id: String,
    /// What the case tests.
    pub description: String,
    /// The DID or DID URL to resolve (or dereference).
    pub did: String,
    /// The resolution options.
    #[serde(default)]
    pub options: ResolutionCaseOptions,
    /// The expected outcome.
    pub expect: ResolutionExpectation,
}

/// The options of a resolution case, named as DID Resolution and the
/// did:key method name them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResolutionCaseOptions {
    /// `publicKeyFormat` (default `Multikey`).
    pub public_key_format: Option<String>,
    /// `enableExperimentalPublicKeyTypes` (unset by default: see
    /// [`ResolutionOptions`](crate::did::resolution::ResolutionOptions)).
    pub enable_experimental_public_key_types: Option<bool>,
    /// `enableEncryptionKeyDerivation` (default `true`).
    pub enable_encryption_key_derivation: Option<bool>,
}

/// What a resolution case must give: an `error`, or the content.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolutionExpectation {
    /// The `error` of the resolution (for a DID URL, the dereferencing)
    /// metadata, e.g. `invalidDid`.
    #[serde(default)]
    pub error: Option<String>,
    /// The path (relative to the manifest) of the JSON the result holds:
    /// the DID document, or for a DID URL the resource it names
    /// (`contentStream`).
    #[serde(default)]
    pub content: Option<String>,
}

/// Runs `case`; `Err` says what differed.
pub(super) fn run(dir: &Path, case: &ResolutionCase) -> Result<(), String> {
    let options = ResolutionOptions {
        public_key_format: case.options.public_key_format.as_deref(),
        enable_experimental_public_key_types: case.options.enable_experimental_public_key_types,
        enable_encryption_key_derivation: case.options.enable_encryption_key_derivation.unwrap_or(true),
        ..ResolutionOptions::default()
    };
    let result = resolve(&case.did, &options);
    let got_error = result.failure().map(|e| error_name(e.code()));
    match (&case.expect.error, &case.expect.content) {
        (Some(expected), None) => match got_error {
            Some(got) if got == expected => Ok(()),
            Some(got) => Err(format!("error {got}, expected {expected}")),
            None => Err(format!("resolved, expected error {expected}")),
        },
        (None, Some(path)) => {
            if let Some(e) = result.failure() {
                return Err(format!("error {} ({e}), expected content {path}", error_name(e.code())));
            }
            let text = std::fs::read(dir.join(path)).map_err(|e| format!("{path}: {e}"))?;
            let expected: Value = serde_json::from_slice(&text).map_err(|e| format!("{path}: {e}"))?;
            let json = result.to_json();
            let got = match result.dereferencing {
                Some(_) => &json["contentStream"],
                None => &json["didDocument"],
            };
            if *got == expected {
                Ok(())
            } else {
                Err(format!("content differs from {path}: {got}"))
            }
        }
        _ => Err("expect needs exactly one of error and content".into()),
    }
}
