//! Decentralized identifiers: syntax, DID documents, verification-method
//! retrieval (Controlled Identifiers §3.3), and the `key`, `jwk` and `web`
//! methods.
//!
//! `did:key` and `did:jwk` are resolved locally (they are public keys). Every other method is
//! resolved through a [`DidResolver`] that the caller supplies, such as the
//! offline [`StaticResolver`].
//!
//! A controller may also be identified by an `https` URL (Controlled
//! Identifiers 1.0): its controlled identifier document has the shape of a
//! DID document, is read by the same [`DidDocument`], and comes from the
//! same resolvers (supplied offline, or fetched by the `native` feature's
//! `WebResolver`). With the `jose` feature, a verification method whose
//! fragment is a JWK Thumbprint URI
//! (`#urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`, RFC 7638 and 9278)
//! names the method of its controller whose key has that thumbprint, when
//! no method has that id (a JOSE or COSE `kid` may name a key so).

mod document;
pub mod jwk;
pub mod key;
pub mod resolution;
pub mod web;
#[cfg(feature = "native")]
pub mod web_resolver;
pub mod webvh;

pub use document::{DidDocument, VerificationMethod, VerificationRelationship};
pub use resolution::{resolve, ResolutionOptions, ResolutionResult};

use crate::error::{quoted, Error, ErrorCode, Result};
use crate::time::Timestamp;

/// Looks up the DID document of a DID, as it stood at a given time.
///
/// The time is the verification's (`VerifyOptions::time`): a method with a
/// history (`did:webvh`) answers with the version in force then, so the
/// same inputs give the same document whenever the verification runs.
/// Methods without one (`did:web`, a static map) may ignore it.
/// Implementations never read the clock for it.
///
/// Implementations return `DID_NOT_FOUND` for a DID they do not know. The
/// verifier checks that the returned document's `id` is the DID asked for.
pub trait DidResolver {
    /// The document of `did` (a DID without path, query or fragment) in
    /// force at `time`.
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument>;

    /// Whether the document of `did` is fixed: supplied by the caller, the
    /// same at every time, until the caller supplies another (and then
    /// tells the verifier, which forgets what it kept). A verifier keeps the
    /// keys it decodes from fixed documents, as it does for did:key. The
    /// default is `false`: fetched and time-dependent documents are
    /// resolved on every verification.
    fn is_fixed(&self, did: &str) -> bool {
        let _ = did;
        false
    }
}

impl<R: DidResolver + ?Sized> DidResolver for &R {
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        (**self).resolve(did, time)
    }
    fn is_fixed(&self, did: &str) -> bool {
        (**self).is_fixed(did)
    }
}

impl<R: DidResolver + ?Sized> DidResolver for Box<R> {
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        (**self).resolve(did, time)
    }
    fn is_fixed(&self, did: &str) -> bool {
        (**self).is_fixed(did)
    }
}

impl<R: DidResolver + ?Sized> DidResolver for std::sync::Arc<R> {
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        (**self).resolve(did, time)
    }
    fn is_fixed(&self, did: &str) -> bool {
        (**self).is_fixed(did)
    }
}

/// Tries `first`, then `second` when `first` does not know the DID (for
/// example local documents, then `did:web` over HTTPS).
#[derive(Clone, Debug)]
pub struct FallbackResolver<A, B>(pub A, pub B);

impl<A: DidResolver, B: DidResolver> DidResolver for FallbackResolver<A, B> {
    fn resolve(&self, did: &str, time: Timestamp) -> Result<DidDocument> {
        match self.0.resolve(did, time) {
            Err(e) if e.code() == ErrorCode::DidNotFound => self.1.resolve(did, time),
            other => other,
        }
    }
}

/// An offline resolver over DID documents the caller already has (fixtures,
/// documents bundled with an application, documents fetched earlier). The
/// documents have no history: every time gets the same one.
///
/// ```
/// use passerelle::did::{DidDocument, DidResolver, StaticResolver};
/// use passerelle::Timestamp;
/// let doc = DidDocument::from_json(serde_json::json!({
///     "id": "did:web:issuer.example",
///     "verificationMethod": [{"id": "did:web:issuer.example#k1", "type": "Multikey",
///         "controller": "did:web:issuer.example",
///         "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],
///     "assertionMethod": ["did:web:issuer.example#k1"]
/// })).unwrap();
/// let mut resolver = StaticResolver::default();
/// resolver.insert(doc);
/// let at = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
/// assert!(resolver.resolve("did:web:issuer.example", at).is_ok());
/// ```
#[derive(Clone, Debug, Default)]
pub struct StaticResolver {
    documents: crate::table::Table<DidDocument>,
}

impl StaticResolver {
    /// Adds (or replaces) a document, keyed by its `id`.
    pub fn insert(&mut self, document: DidDocument) {
        self.documents.insert(document.id().to_owned(), document);
    }

    /// Number of documents held.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether no document is held.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

impl DidResolver for StaticResolver {
    fn resolve(&self, did: &str, _time: Timestamp) -> Result<DidDocument> {
        self.documents
            .get(did)
            .cloned()
            .ok_or_else(|| Error::new(ErrorCode::DidNotFound, format!("no document for {did}")))
    }
}

/// Resolves `did` (a DID, or a controller's `https` URL) as it stood at
/// `time`: `did:key` and `did:jwk` locally, anything else through
/// `resolver`, checking that the document's `id` is `did`. (The verifier's
/// path; [`resolve`] answers with a DID Resolution Result.)
pub fn resolve_document(did: &str, resolver: &dyn DidResolver, time: Timestamp) -> Result<DidDocument> {
    let method = if !cfg!(feature = "cid") || did.starts_with("did:") {
        method_of(did)?
    } else {
        validate_controller_id(did)?;
        ""
    };
    let document = match method {
        "key" => key::document(did)?,
        "jwk" => jwk::document(did)?,
        _ => resolver.resolve(did, time)?,
    };
    if document.id() != did {
        return Err(Error::new(
            ErrorCode::DidDocumentInvalid,
            format!("document id {} is not {did}", document.id()),
        ));
    }
    Ok(document)
}

/// A verification method retrieved for a proof, with the relationships its
/// controller's document lists it under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedMethod {
    /// The method and its decoded key.
    pub method: VerificationMethod,
    /// The verification relationships (among `assertionMethod` and
    /// `authentication`) that list the method.
    pub relationships: Vec<VerificationRelationship>,
    /// Whether the verifier's caller gave this method (pinned it) rather
    /// than it being found in its controller's document: then no document
    /// lists it, and the caller vouches for it for assertions only.
    pub pinned: bool,
}

impl ResolvedMethod {
    /// Whether the controller's document lists the method under `relationship`.
    pub fn authorizes(&self, relationship: VerificationRelationship) -> bool {
        self.relationships.contains(&relationship)
    }
}

/// Retrieves the verification method `vm_url` (Controlled Identifiers
/// §3.3) as its controller's document stood at `time` (the time of
/// verification): resolves its controller (a DID, or an `https` URL),
/// finds the method in the document, decodes its key and notes the
/// relationships that list it. `did:key` and `did:jwk` methods are decoded
/// directly, without building the document. A fragment that is a JWK
/// Thumbprint URI no method has as its id names the method whose key has
/// that thumbprint.
pub fn retrieve_verification_method(
    vm_url: &str,
    resolver: &dyn DidResolver,
    time: Timestamp,
) -> Result<ResolvedMethod> {
    let (controller, fragment) = split_controller_url(vm_url)?;
    let thumbprint = thumbprint_of(fragment);
    if thumbprint.is_none() && controller.starts_with("did:") {
        match method_of(controller)? {
            "key" => return key::resolve_method(vm_url),
            "jwk" => return jwk::resolve_method(vm_url),
            _ => {}
        }
    }
    let document = resolve_document(controller, resolver, time)?;
    let method = match (document.verification_method(vm_url), thumbprint) {
        (Err(e), Some(thumbprint)) if e.code() == ErrorCode::VerificationMethodNotFound => {
            document.method_with_thumbprint(thumbprint).unwrap_or(Err(e))?
        }
        (found, _) => found?,
    };
    let relationships = [
        VerificationRelationship::AssertionMethod,
        VerificationRelationship::Authentication,
    ]
    .into_iter()
    .filter(|r| document.authorizes(&method.id, *r))
    .collect();
    Ok(ResolvedMethod {
        method,
        relationships,
        pinned: false,
    })
}

/// The method of `pinned` (methods the verifier's caller vouches for) that
/// `vm_url` names: by its id or, for a JWK thumbprint fragment, by its
/// controller and its key's thumbprint.
#[cfg(feature = "cid")]
pub(crate) fn pinned_method(vm_url: &str, pinned: &[VerificationMethod]) -> Option<ResolvedMethod> {
    // Every proof's key passes here: nothing to read when nothing is pinned.
    if pinned.is_empty() {
        return None;
    }
    let (controller, fragment) = vm_url.split_at(vm_url.find('#').unwrap_or(vm_url.len()));
    let thumbprint = thumbprint_of(fragment);
    let method = pinned.iter().find(|method| {
        method.id == vm_url
            || thumbprint.is_some_and(|t| {
                method.controller == controller && crate::crypto::jwk::thumbprint(&method.public_key) == t
            })
    })?;
    // A pin vouches for an issuer's key: assertions, not a holder's
    // authentication, which its own document must list.
    Some(ResolvedMethod {
        method: method.clone(),
        relationships: vec![VerificationRelationship::AssertionMethod],
        pinned: true,
    })
}

/// A method whose id's fragment is a JWK Thumbprint URI holds the key
/// with that thumbprint (RFC 9278): `KEY_INVALID` otherwise. (Without
/// `jose` no fragment is read as a thumbprint.)
#[cfg(feature = "jose")]
pub(crate) fn check_thumbprint_id(id: &str, key: &crate::crypto::PublicKey) -> Result<()> {
    match thumbprint_of(&id[id.find('#').unwrap_or(id.len())..]) {
        Some(thumbprint) if crate::crypto::jwk::thumbprint(key) != thumbprint => Err(Error::new(
            ErrorCode::KeyInvalid,
            format!("{id} names a JWK thumbprint its key does not have"),
        )),
        _ => Ok(()),
    }
}

/// Without `jose`, no fragment names a thumbprint.
#[cfg(not(feature = "jose"))]
pub(crate) fn check_thumbprint_id(_: &str, _: &crate::crypto::PublicKey) -> Result<()> {
    Ok(())
}

/// The SHA-256 JWK thumbprint a fragment names
/// (`#urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`). Only JOSE and COSE
/// `kid`s name keys by thumbprint (feature `jose`): without it, such a
/// fragment is looked up as any other, keeping SHA-256 JWK encoding out of
/// the browser's verifier module.
#[cfg(feature = "jose")]
pub(crate) fn thumbprint_of(fragment: &str) -> Option<&str> {
    fragment
        .strip_prefix('#')?
        .strip_prefix(crate::crypto::jwk::THUMBPRINT_URI_PREFIX)
}

/// Without `jose`, no fragment is read as a thumbprint.
#[cfg(not(feature = "jose"))]
pub(crate) fn thumbprint_of(_fragment: &str) -> Option<&str> {
    None
}

/// Splits a verification method's URL into its controller's identifier
/// and the rest: a DID URL as [`split_did_url`] does; an `https` URL (a
/// controller identified by a URL, Controlled Identifiers 1.0) into the
/// URL before its fragment and the fragment.
///
/// ```
/// # #[cfg(feature = "cid")] {
/// use passerelle::did::split_controller_url;
/// let (id, rest) = split_controller_url("https://issuer.example/issuers/7#key-1").unwrap();
/// assert_eq!((id, rest), ("https://issuer.example/issuers/7", "#key-1"));
/// assert!(split_controller_url("http://issuer.example/issuers/7#key-1").is_err());
/// # }
/// ```
///
/// Without the `cid` feature, only DID URLs.
pub fn split_controller_url(url: &str) -> Result<(&str, &str)> {
    if !cfg!(feature = "cid") || url.starts_with("did:") {
        return split_did_url(url);
    }
    let (id, rest) = url.split_at(url.find('#').unwrap_or(url.len()));
    validate_controller_id(id)?;
    Ok((id, rest))
}

/// Checks a controller's identifier: a DID (see [`validate_did`]), or,
/// with the `cid` feature, an absolute `https` URL with a host, no user
/// information and no fragment, written in printable ASCII (other
/// characters percent-encoded).
pub fn validate_controller_id(id: &str) -> Result<()> {
    // Without `cid`, only DIDs: an https URL "does not start with did:".
    if !cfg!(feature = "cid") || id.starts_with("did:") {
        return validate_did(id);
    }
    let shown: String = id.chars().take(80).collect();
    let Some(rest) = id.strip_prefix("https://") else {
        return Err(Error::new(
            ErrorCode::DidInvalid,
            format!("{} is neither a DID nor an https URL", quoted(&shown)),
        ));
    };
    // Compared for equality only, never parsed further: a host, no user
    // information, printable ASCII (others percent-encoded), no fragment.
    let authority = rest
        .as_bytes()
        .split(|b| matches!(b, b'/' | b'?'))
        .next()
        .unwrap_or_default();
    let well_formed = authority.first().is_some_and(|b| *b != b':')
        && !authority.contains(&b'@')
        && id.bytes().all(|b| b.is_ascii_graphic() && b != b'#');
    if !well_formed {
        return Err(Error::new(
            ErrorCode::DidInvalid,
            format!(
                "{}: an https identifier has a host, no user information, no fragment, and printable ASCII only",
                quoted(&shown)
            ),
        ));
    }
    Ok(())
}

/// Splits a DID URL into the DID and the rest (path, query, fragment).
///
/// ```
/// let (did, rest) = passerelle::did::split_did_url("did:web:a.example:x#key-1").unwrap();
/// assert_eq!((did, rest), ("did:web:a.example:x", "#key-1"));
/// ```
pub fn split_did_url(url: &str) -> Result<(&str, &str)> {
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    let (did, rest) = url.split_at(end);
    validate_did(did)?;
    Ok((did, rest))
}

/// The method name of a DID (`key` for `did:key:…`), after checking its syntax.
pub fn method_of(did: &str) -> Result<&str> {
    validate_did(did)?;
    Ok(did.split(':').nth(1).unwrap_or_default())
}

/// Checks DID syntax (DID Core §3.1): `did:` method-name `:` method-specific-id,
/// where the id is colon-separated `idchar`s and percent-escapes, and does not
/// end with a colon.
pub fn validate_did(did: &str) -> Result<()> {
    let invalid = |why: &str| {
        let shown: String = did.chars().take(80).collect();
        Error::new(ErrorCode::DidInvalid, format!("{}: {why}", quoted(&shown)))
    };
    let rest = did
        .strip_prefix("did:")
        .ok_or_else(|| invalid("does not start with did:"))?;
    let (method, id) = rest.split_once(':').ok_or_else(|| invalid("no method-specific id"))?;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Err(invalid("method name must be lowercase letters and digits"));
    }
    if id.is_empty() || id.ends_with(':') {
        return Err(invalid("empty method-specific id"));
    }
    let bytes = id.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .ok_or_else(|| invalid("truncated percent-escape"))?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(invalid("bad percent-escape"));
                }
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':') => i += 1,
            _ => return Err(invalid("character not allowed in a DID")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_syntax() {
        for ok in [
            "did:key:z6Mk",
            "did:web:example.com%3A3000:user:alice",
            "did:example:a_b-c.d",
        ] {
            assert!(validate_did(ok).is_ok(), "{ok}");
        }
        for bad in [
            "did:",
            "did:web",
            "did:Web:x",
            "did:web:",
            "did:web:a:",
            "did:web:a b",
            "did:web:%zz",
            "did:web:%4",
            "https://x",
        ] {
            assert_eq!(validate_did(bad).unwrap_err().code(), ErrorCode::DidInvalid, "{bad}");
        }
    }

    #[test]
    fn static_resolver_refuses_unknown_and_mismatched_ids() {
        let resolver = StaticResolver::default();
        let at = Timestamp::from_unix_seconds(1_795_000_000);
        assert_eq!(
            resolve_document("did:web:nobody.example", &resolver, at)
                .unwrap_err()
                .code(),
            ErrorCode::DidNotFound
        );

        struct Liar;
        impl DidResolver for Liar {
            fn resolve(&self, _: &str, _: Timestamp) -> Result<DidDocument> {
                DidDocument::from_json(serde_json::json!({"id": "did:web:other.example"}))
            }
        }
        assert_eq!(
            resolve_document("did:web:asked.example", &Liar, at).unwrap_err().code(),
            ErrorCode::DidDocumentInvalid
        );
    }
}
