//! DID resolution and DID URL dereferencing as W3C DID Resolution defines
//! them: [`resolve`] takes a DID or a DID URL and answers with a
//! [`ResolutionResult`], which serializes to the DID Resolution Result
//! JSON (`@context`, `didDocument`, `didDocumentMetadata`,
//! `didResolutionMetadata`, and for a DID URL `didDereferencingMetadata`,
//! `contentStream`, `contentMetadata`).
//!
//! `did:key` is expanded here with the did:key method's options
//! (`publicKeyFormat`, `enableExperimentalPublicKeyTypes`,
//! `enableEncryptionKeyDerivation`); `did:jwk` locally; `did:web` and
//! `did:webvh` through the [`DidResolver`] the caller supplies (such as the
//! network `WebResolver`, with its address policy, or offline documents and
//! logs). Failures keep their typed [`Error`]; [`error_name`] gives the
//! DID Resolution `error` string of each code.

mod key;
mod url;

pub use url::{parse_did_url, DidUrl, MAX_DID_URL_BYTES};

use serde_json::{Map, Value};

use super::{DidDocument, DidResolver};
use crate::error::{Error, ErrorCode, Lang, Result};
use crate::time::Timestamp;

/// The `@context` of a DID Resolution Result.
pub const RESOLUTION_CONTEXT: &str = "https://w3id.org/did-resolution/v1";

/// The media type of the DID documents returned (JSON-LD: they carry an `@context`).
pub const DID_LD_JSON: &str = "application/did+ld+json";

/// The public key formats a `did:key` can be expanded to (did:key v0.7,
/// `publicKeyFormat`), named as in the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PublicKeyFormat {
    /// `Multikey` with `publicKeyMultibase` (Controlled Identifiers 1.0), the default.
    Multikey,
    /// `JsonWebKey2020` with `publicKeyJwk`.
    JsonWebKey2020,
    /// `Ed25519VerificationKey2020` with `publicKeyMultibase`; its derived
    /// key-agreement key is an `X25519KeyAgreementKey2020`.
    Ed25519VerificationKey2020,
    /// `Ed25519VerificationKey2018` with `publicKeyBase58` (experimental;
    /// the method's test vectors); its derived key-agreement key is an
    /// `X25519KeyAgreementKey2019`.
    Ed25519VerificationKey2018,
    /// `X25519KeyAgreementKey2020` with `publicKeyMultibase` (X25519 keys).
    X25519KeyAgreementKey2020,
    /// `X25519KeyAgreementKey2019` with `publicKeyBase58` (experimental; X25519 keys).
    X25519KeyAgreementKey2019,
}

impl PublicKeyFormat {
    /// Every format, in the order above.
    pub const ALL: [PublicKeyFormat; 6] = [
        PublicKeyFormat::Multikey,
        PublicKeyFormat::JsonWebKey2020,
        PublicKeyFormat::Ed25519VerificationKey2020,
        PublicKeyFormat::Ed25519VerificationKey2018,
        PublicKeyFormat::X25519KeyAgreementKey2020,
        PublicKeyFormat::X25519KeyAgreementKey2019,
    ];

    /// The format's name, which is also the verification method `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            PublicKeyFormat::Multikey => "Multikey",
            PublicKeyFormat::JsonWebKey2020 => "JsonWebKey2020",
            PublicKeyFormat::Ed25519VerificationKey2020 => "Ed25519VerificationKey2020",
            PublicKeyFormat::Ed25519VerificationKey2018 => "Ed25519VerificationKey2018",
            PublicKeyFormat::X25519KeyAgreementKey2020 => "X25519KeyAgreementKey2020",
            PublicKeyFormat::X25519KeyAgreementKey2019 => "X25519KeyAgreementKey2019",
        }
    }

    /// The format named `name`, or `PUBLIC_KEY_FORMAT_UNSUPPORTED`.
    pub fn parse(name: &str) -> Result<Self> {
        PublicKeyFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| {
                let shown: String = name.chars().take(60).collect();
                Error::new(
                    ErrorCode::PublicKeyFormatUnsupported,
                    format!("publicKeyFormat {}", crate::error::quoted(&shown)),
                )
            })
    }

    /// The JSON-LD context that defines the type (Context Creation
    /// Algorithm; for Multikey, the Controlled Identifiers context).
    pub fn context(self) -> &'static str {
        match self {
            PublicKeyFormat::Multikey => "https://w3id.org/security/multikey/v1",
            PublicKeyFormat::JsonWebKey2020 => "https://w3id.org/security/suites/jws-2020/v1",
            PublicKeyFormat::Ed25519VerificationKey2020 => "https://w3id.org/security/suites/ed25519-2020/v1",
            PublicKeyFormat::Ed25519VerificationKey2018 => "https://w3id.org/security/suites/ed25519-2018/v1",
            PublicKeyFormat::X25519KeyAgreementKey2020 => "https://w3id.org/security/suites/x25519-2020/v1",
            PublicKeyFormat::X25519KeyAgreementKey2019 => "https://w3id.org/security/suites/x25519-2019/v1",
        }
    }
}

/// The options of a resolution.
#[derive(Clone, Copy)]
pub struct ResolutionOptions<'a> {
    /// `publicKeyFormat` for `did:key`, as given (an unknown name fails the
    /// resolution with `unsupportedPublicKeyType`); `None` is `Multikey`.
    /// Other methods' documents are returned as published.
    pub public_key_format: Option<&'a str>,
    /// `enableExperimentalPublicKeyTypes`: allow the formats the did:key
    /// method does not list for a role (`Ed25519VerificationKey2018`,
    /// `X25519KeyAgreementKey2019`). Unset, they are refused as with
    /// `false` (as the method advises), but an unknown format is
    /// `unsupportedPublicKeyType`; set to `false`, any format but the
    /// three a role allows is `invalidPublicKeyType` (the method's check
    /// of the options comes before it looks the format up).
    pub enable_experimental_public_key_types: Option<bool>,
    /// `enableEncryptionKeyDerivation`: add the X25519 key-agreement key of
    /// an Ed25519 `did:key`. Default `true` (the method's example document
    /// and test vectors have it).
    pub enable_encryption_key_derivation: bool,
    /// The resolver of the methods that need one (`did:web`, `did:webvh`).
    /// `None`: such DIDs are `notFound`.
    pub resolver: Option<&'a dyn DidResolver>,
    /// The time the resolver is asked for (`did:webvh` answers with the
    /// version in force then). `None`: the latest version the resolver has.
    pub time: Option<Timestamp>,
}

impl Default for ResolutionOptions<'_> {
    fn default() -> Self {
        ResolutionOptions {
            public_key_format: None,
            enable_experimental_public_key_types: None,
            enable_encryption_key_derivation: true,
            resolver: None,
            time: None,
        }
    }
}

impl std::fmt::Debug for ResolutionOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolutionOptions")
            .field("public_key_format", &self.public_key_format)
            .field(
                "enable_experimental_public_key_types",
                &self.enable_experimental_public_key_types,
            )
            .field(
                "enable_encryption_key_derivation",
                &self.enable_encryption_key_derivation,
            )
            .field("resolver", &self.resolver.map(|_| "…"))
            .field("time", &self.time)
            .finish()
    }
}

/// The DID Resolution `error` string of a code: the did:key method's names
/// (`invalidDid`, `invalidPublicKeyLength`, `invalidPublicKey`,
/// `unsupportedPublicKeyType`, `invalidPublicKeyType`, `invalidDidUrl`) and
/// DID Resolution's (`notFound`, `methodNotSupported`,
/// `invalidDidDocument`); `internalError` for any other.
pub fn error_name(code: ErrorCode) -> &'static str {
    match code {
        // The did:webvh method names a broken log `invalidDid`.
        ErrorCode::DidInvalid | ErrorCode::DidLogInvalid => "invalidDid",
        ErrorCode::DidUrlInvalid => "invalidDidUrl",
        ErrorCode::DidMethodUnsupported => "methodNotSupported",
        ErrorCode::DidKeyLengthInvalid => "invalidPublicKeyLength",
        ErrorCode::KeyInvalid => "invalidPublicKey",
        // An unknown format, or a key type this resolver does not expand.
        ErrorCode::PublicKeyFormatUnsupported | ErrorCode::KeyTypeUnsupported => "unsupportedPublicKeyType",
        ErrorCode::PublicKeyFormatInvalid => "invalidPublicKeyType",
        ErrorCode::DidNotFound | ErrorCode::VerificationMethodNotFound => "notFound",
        ErrorCode::DidDocumentInvalid => "invalidDidDocument",
        _ => "internalError",
    }
}

/// The outcome of dereferencing a DID URL.
#[derive(Clone, Debug, PartialEq)]
pub struct Dereferencing {
    /// The resource the URL names (the document, or the verification
    /// method or service its fragment names); `None` on failure.
    pub content: Option<Value>,
    /// Why dereferencing failed (resolution's error when it failed first).
    pub error: Option<Error>,
}

/// A DID Resolution Result, and for a DID URL the dereferencing result.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolutionResult {
    /// The DID or DID URL asked for, as given.
    pub input: String,
    /// The resolved DID document; `None` when resolution failed or did not run.
    pub document: Option<DidDocument>,
    /// DID document metadata (did:webvh versions are not reported yet: empty).
    pub document_metadata: Map<String, Value>,
    /// Why resolution failed.
    pub error: Option<Error>,
    /// For a DID URL (a path, query or fragment), the dereferencing result.
    pub dereferencing: Option<Dereferencing>,
}

impl ResolutionResult {
    /// The error that decides the outcome: dereferencing's for a DID URL,
    /// else resolution's. `None` on success.
    pub fn failure(&self) -> Option<&Error> {
        match &self.dereferencing {
            Some(d) => d.error.as_ref().or(self.error.as_ref()),
            None => self.error.as_ref(),
        }
    }

    /// Whether the DID resolved (and the URL dereferenced).
    pub fn is_ok(&self) -> bool {
        self.failure().is_none()
    }

    /// The DID Resolution Result as JSON. An error is the `error` string of
    /// [`error_name`] with RFC 9457 `problemDetails` (the passerelle code
    /// as `code`, its English message as `title`, the detail).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("@context".into(), RESOLUTION_CONTEXT.into());
        out.insert(
            "didDocument".into(),
            self.document
                .as_ref()
                .map_or(Value::Null, |d| Value::Object(d.json().clone())),
        );
        out.insert(
            "didDocumentMetadata".into(),
            Value::Object(self.document_metadata.clone()),
        );
        let resolution_metadata = match (&self.error, &self.document) {
            (Some(e), _) => error_metadata(e),
            (None, Some(_)) => content_type(),
            // Dereferencing stopped before resolution (an invalid DID URL).
            (None, None) => Map::new(),
        };
        out.insert("didResolutionMetadata".into(), Value::Object(resolution_metadata));
        if let Some(d) = &self.dereferencing {
            let metadata = match &d.error {
                Some(e) => error_metadata(e),
                None => content_type(),
            };
            out.insert("didDereferencingMetadata".into(), Value::Object(metadata));
            out.insert("contentStream".into(), d.content.clone().unwrap_or(Value::Null));
            out.insert("contentMetadata".into(), Value::Object(Map::new()));
        }
        Value::Object(out)
    }
}

fn content_type() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("contentType".into(), DID_LD_JSON.into());
    map
}

fn error_metadata(error: &Error) -> Map<String, Value> {
    let mut problem = Map::new();
    problem.insert("code".into(), error.code().as_str().into());
    problem.insert("title".into(), error.message(Lang::En).into());
    problem.insert("detail".into(), error.detail().into());
    let mut map = Map::new();
    map.insert("error".into(), error_name(error.code()).into());
    map.insert("problemDetails".into(), Value::Object(problem));
    map
}

/// Resolves a DID, or dereferences a DID URL, under `options`.
///
/// ```
/// use passerelle::did::resolution::{resolve, ResolutionOptions};
/// let did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
/// let result = resolve(&format!("{did}#z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p"),
///                      &ResolutionOptions::default());
/// let json = result.to_json();
/// assert_eq!(json["contentStream"]["type"], "Multikey"); // the derived X25519 key
/// assert_eq!(json["didDocument"]["id"], did);
/// let bad = resolve("did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", &ResolutionOptions::default());
/// assert_eq!(bad.to_json()["didResolutionMetadata"]["error"], "invalidDid");
/// ```
pub fn resolve(did_or_url: &str, options: &ResolutionOptions<'_>) -> ResolutionResult {
    let mut result = ResolutionResult {
        input: did_or_url.to_owned(),
        document: None,
        document_metadata: Map::new(),
        error: None,
        dereferencing: None,
    };
    // Is it a DID URL? Decided on the characters alone, so that a
    // malformed URL is still answered as one.
    let is_url = did_or_url.contains(['/', '?', '#']);
    let fail = |result: &mut ResolutionResult, e: Error| {
        if is_url {
            result.dereferencing = Some(Dereferencing {
                content: None,
                error: Some(e),
            });
        } else {
            result.error = Some(e);
        }
    };
    let url = match parse_did_url(did_or_url) {
        Ok(url) => url,
        Err(e) if e.code() == ErrorCode::DidUrlInvalid => {
            fail(&mut result, e);
            return result;
        }
        Err(e) => {
            // The DID itself is malformed: a resolution error, reported
            // by dereferencing too for a URL.
            result.error = Some(e.clone());
            if is_url {
                fail(&mut result, e);
            }
            return result;
        }
    };
    let method = url.did.split(':').nth(1).unwrap_or_default();
    if url.has_path_or_query() && matches!(method, "key" | "jwk") {
        fail(
            &mut result,
            Error::new(
                ErrorCode::DidUrlInvalid,
                format!("did:{method} defines no DID URL path or query"),
            ),
        );
        return result;
    }
    match resolve_document(url.did, method, options) {
        Ok(document) => result.document = Some(document),
        Err(e) => {
            result.error = Some(e.clone());
            if is_url {
                fail(&mut result, e);
            }
            return result;
        }
    }
    if !url.is_did() {
        result.dereferencing = Some(match result.document.as_ref() {
            Some(document) => dereference(document, &url),
            None => Dereferencing {
                content: None,
                error: Some(Error::new(ErrorCode::DidNotFound, "no document")),
            },
        });
    }
    result
}

/// The document of `did` (method `method`), checked: its `id` is `did`.
fn resolve_document(did: &str, method: &str, options: &ResolutionOptions<'_>) -> Result<DidDocument> {
    let document = match method {
        "key" => {
            let format = match options.public_key_format {
                Some(name) => PublicKeyFormat::parse(name).map_err(|unknown| {
                    if options.enable_experimental_public_key_types == Some(false) {
                        Error::new(
                            ErrorCode::PublicKeyFormatInvalid,
                            "with enableExperimentalPublicKeyTypes false, publicKeyFormat must be \
                             Multikey, JsonWebKey2020 or the key type's 2020 format",
                        )
                    } else {
                        unknown
                    }
                })?,
                None => PublicKeyFormat::Multikey,
            };
            DidDocument::from_json(key::document(did, format, options)?)?
        }
        "jwk" => super::jwk::document(did)?,
        "web" | "webvh" => {
            let resolver = options.resolver.ok_or_else(|| {
                Error::new(
                    ErrorCode::DidNotFound,
                    format!("no resolver for did:{method} was given"),
                )
            })?;
            // No time asked: the latest version the resolver has.
            let time = options.time.unwrap_or(Timestamp::from_unix_seconds(i64::MAX / 2));
            resolver.resolve(did, time)?
        }
        other => {
            return Err(Error::new(
                ErrorCode::DidMethodUnsupported,
                format!(
                    "did:{} is not resolved here",
                    other.chars().take(40).collect::<String>()
                ),
            ))
        }
    };
    if document.id() != did {
        return Err(Error::new(
            ErrorCode::DidDocumentInvalid,
            format!("document id {} is not {did}", document.id()),
        ));
    }
    Ok(document)
}

/// Dereferences a DID URL against its resolved document (DID Resolution,
/// "Dereferencing the Resource" and "Dereferencing the Fragment"): the
/// document itself, or the object of the document whose `id` is the URL
/// (a verification method or service, with the document's `@context`).
/// A path or query no method here defines is `notFound`.
fn dereference(document: &DidDocument, url: &DidUrl<'_>) -> Dereferencing {
    let not_found = |why: String| Dereferencing {
        content: None,
        error: Some(Error::new(ErrorCode::VerificationMethodNotFound, why)),
    };
    if url.has_path_or_query() {
        return Dereferencing {
            content: None,
            error: Some(Error::new(
                ErrorCode::DidNotFound,
                "DID URL paths and queries are not dereferenced here",
            )),
        };
    }
    let Some(fragment) = url.fragment else {
        return Dereferencing {
            content: Some(Value::Object(document.json().clone())),
            error: None,
        };
    };
    let wanted = format!("{}#{fragment}", url.did);
    let json = document.json();
    let found = ["verificationMethod", "service"]
        .into_iter()
        .chain([
            "authentication",
            "assertionMethod",
            "capabilityInvocation",
            "capabilityDelegation",
            "keyAgreement",
        ])
        .filter_map(|name| json.get(name).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_object)
        .find(|object| {
            let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
            id == wanted || (id.starts_with('#') && format!("{}{id}", url.did) == wanted)
        });
    match found {
        Some(object) => {
            let mut content = Map::new();
            if let Some(context) = json.get("@context") {
                content.insert("@context".into(), context.clone());
            }
            content.extend(object.clone());
            // A relative id is made absolute: the resource stands alone.
            content.insert("id".into(), wanted.into());
            Dereferencing {
                content: Some(Value::Object(content)),
                error: None,
            }
        }
        None => not_found(format!("{wanted} is not in the document")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_the_resolver_raises_has_its_name() {
        for (code, name) in [
            (ErrorCode::DidInvalid, "invalidDid"),
            (ErrorCode::DidUrlInvalid, "invalidDidUrl"),
            (ErrorCode::DidMethodUnsupported, "methodNotSupported"),
            (ErrorCode::DidKeyLengthInvalid, "invalidPublicKeyLength"),
            (ErrorCode::PublicKeyFormatUnsupported, "unsupportedPublicKeyType"),
            (ErrorCode::PublicKeyFormatInvalid, "invalidPublicKeyType"),
            (ErrorCode::VerificationMethodNotFound, "notFound"),
            (ErrorCode::DidNotFound, "notFound"),
            (ErrorCode::KeyInvalid, "invalidPublicKey"),
            (ErrorCode::ProofMissing, "internalError"),
        ] {
            assert_eq!(error_name(code), name, "{code}");
        }
    }

    #[test]
    fn formats_parse_back_from_their_names() {
        for format in PublicKeyFormat::ALL {
            assert_eq!(PublicKeyFormat::parse(format.as_str()).unwrap(), format);
        }
        assert_eq!(
            PublicKeyFormat::parse("multikey").unwrap_err().code(),
            ErrorCode::PublicKeyFormatUnsupported
        );
    }
}
