//! DID documents and verification-method retrieval.

use serde_json::{Map, Value};

use crate::crypto::{jwk, PublicKey};
use crate::error::{quoted, Error, ErrorCode, Result};

pub use crate::proof::VerificationRelationship;

/// A verification method taken from a DID document (or a controlled
/// identifier document), with its key decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationMethod {
    /// The absolute URL of the method (`did:…#fragment`, `https://…#fragment`).
    pub id: String,
    /// The DID (or `https` URL) that controls the method.
    pub controller: String,
    /// The public key.
    pub public_key: PublicKey,
}

impl VerificationMethod {
    /// A verification method given on its own, as a verifier pins one
    /// ([`VerifyOptions::pinned_methods`](crate::VerifyOptions::pinned_methods)):
    /// an object with `id` (an absolute DID URL or `https` URL with a
    /// fragment), `type` (`Multikey`, `JsonWebKey`, …), `controller` (a DID
    /// or `https` URL) and the key (`publicKeyMultibase` or
    /// `publicKeyJwk`); the id is the controller's identifier and a
    /// fragment. A private key in `publicKeyJwk` is refused; other members
    /// (a `secretKeyJwk` kept in the same file) are not read.
    ///
    /// ```
    /// # #[cfg(feature = "cid")] {
    /// use passerelle::did::VerificationMethod;
    /// let method = VerificationMethod::from_json(&serde_json::json!({
    ///     "id": "https://issuer.example/issuers/7#key-1", "type": "JsonWebKey",
    ///     "controller": "https://issuer.example/issuers/7",
    ///     "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    /// })).unwrap();
    /// assert_eq!(method.controller, "https://issuer.example/issuers/7");
    /// # }
    /// ```
    pub fn from_json(value: &Value) -> Result<Self> {
        let method = value
            .as_object()
            .ok_or_else(|| invalid("a verification method is a JSON object"))?;
        let text = |name: &str| {
            method
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(format!("a verification method needs a string {name}")))
        };
        let (id, controller) = (text("id")?, text("controller")?);
        text("type")?;
        let (base, fragment) = super::split_controller_url(id)?;
        if !fragment.starts_with('#') {
            return Err(invalid(format!("the method's id {} has no #fragment", quoted(id))));
        }
        // As Controlled Identifiers §3.3 step 10 asks of a method found in
        // its controller's document.
        if base != controller {
            return Err(invalid(format!(
                "the method {} is not within its controller {}",
                quoted(id),
                quoted(controller)
            )));
        }
        let public_key = decode_key(method)?;
        super::check_thumbprint_id(id, &public_key)?;
        // A did:key or did:jwk method is the key its DID encodes: a pin
        // cannot give it another.
        let own = match super::method_of(controller).unwrap_or_default() {
            "key" => Some(super::key::resolve_method(id)?),
            "jwk" => Some(super::jwk::resolve_method(id)?),
            _ => None,
        };
        if own.is_some_and(|own| own.method.public_key != public_key) {
            return Err(Error::new(
                ErrorCode::KeyInvalid,
                format!("{} is a self-certifying DID's method: its key is the DID's", quoted(id)),
            ));
        }
        Ok(VerificationMethod {
            id: id.to_owned(),
            controller: controller.to_owned(),
            public_key,
        })
    }
}

/// A DID document, or the controlled identifier document of a controller
/// identified by an `https` URL (Controlled Identifiers 1.0, the same
/// shape), checked for the structure verification relies on.
#[derive(Clone, Debug, PartialEq)]
pub struct DidDocument {
    id: String,
    json: Map<String, Value>,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::DidDocumentInvalid, why)
}

impl DidDocument {
    /// The document of a DID that is one key (did:key, did:jwk): one
    /// method `{did}#{fragment}` of type `method_type` holding `key` (its
    /// property name and value), under every signing relationship. Built as
    /// values, not with `json!`, whose infallible-in-practice `unwrap`s bring
    /// serde's value serializer and panic formatting into the browser build.
    pub(crate) fn of_single_key(
        did: &str,
        fragment: &str,
        contexts: [&str; 2],
        method_type: &str,
        key: (&str, Value),
    ) -> Result<Self> {
        let text = |s: &str| Value::String(s.to_owned());
        let id = text(&format!("{did}#{fragment}"));
        let mut method = Map::new();
        method.insert("id".to_owned(), id.clone());
        method.insert("type".to_owned(), text(method_type));
        method.insert("controller".to_owned(), text(did));
        method.insert(key.0.to_owned(), key.1);
        let mut document = Map::new();
        document.insert("@context".to_owned(), Value::Array(contexts.map(text).to_vec()));
        document.insert("id".to_owned(), text(did));
        document.insert(
            "verificationMethod".to_owned(),
            Value::Array(vec![Value::Object(method)]),
        );
        for relationship in [
            "authentication",
            "assertionMethod",
            "capabilityInvocation",
            "capabilityDelegation",
        ] {
            document.insert(relationship.to_owned(), Value::Array(vec![id.clone()]));
        }
        DidDocument::from_json(Value::Object(document))
    }

    /// Checks and wraps a DID document: `id` is a DID (or, for a controlled
    /// identifier document, an `https` URL); `verificationMethod`,
    /// when present, is an array of objects with `id`, `type` and
    /// `controller`; relationships are arrays of URLs or embedded methods.
    pub fn from_json(value: Value) -> Result<Self> {
        let Value::Object(json) = value else {
            return Err(invalid("a DID document must be a JSON object"));
        };
        let id = json
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("the document has no string id"))?
            .to_owned();
        super::validate_controller_id(&id).map_err(|e| invalid(e.detail().to_owned()))?;
        let doc = DidDocument { id, json };
        for method in doc.array("verificationMethod")? {
            doc.check_method_shape(method)?;
        }
        for relationship in [
            "assertionMethod",
            "authentication",
            "capabilityInvocation",
            "capabilityDelegation",
            "keyAgreement",
        ] {
            for entry in doc.array(relationship)? {
                match entry {
                    Value::String(_) => {}
                    Value::Object(_) => doc.check_method_shape(entry)?,
                    _ => return Err(invalid(format!("{relationship} entries must be URLs or objects"))),
                }
            }
        }
        Ok(doc)
    }

    /// The DID this document describes.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The whole document as JSON.
    pub fn json(&self) -> &Map<String, Value> {
        &self.json
    }

    fn array(&self, name: &str) -> Result<&[Value]> {
        match self.json.get(name) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(invalid(format!("{name} must be an array"))),
        }
    }

    fn check_method_shape(&self, method: &Value) -> Result<()> {
        let has = |name: &str| method.get(name).and_then(Value::as_str).is_some();
        if has("id") && has("type") && has("controller") {
            Ok(())
        } else {
            Err(invalid("a verification method needs string id, type and controller"))
        }
    }

    /// Makes a possibly relative DID URL (`#key-1`) absolute against this document.
    fn absolute(&self, url: &str) -> String {
        if url.starts_with('#') {
            format!("{}{url}", self.id)
        } else {
            url.to_owned()
        }
    }

    /// Finds the verification method `vm_id` in this document and decodes its
    /// key (Controlled Identifiers §3.3 steps 6–10): the method must be
    /// defined here, with an `id` equal to `vm_id` and a `controller` equal to
    /// this document's `id`.
    pub fn verification_method(&self, vm_id: &str) -> Result<VerificationMethod> {
        let Some(method) = self.find_method(vm_id) else {
            return Err(Error::new(
                ErrorCode::VerificationMethodNotFound,
                format!("{vm_id} is not in the document of {}", self.id),
            ));
        };
        let controller = method.get("controller").and_then(Value::as_str).unwrap_or_default();
        if self.absolute(controller) != self.id {
            return Err(invalid(format!(
                "{vm_id} names controller {controller}, not {}",
                self.id
            )));
        }
        let public_key = decode_key(method)?;
        super::check_thumbprint_id(vm_id, &public_key)?;
        Ok(VerificationMethod {
            id: vm_id.to_owned(),
            controller: self.id.clone(),
            public_key,
        })
    }

    fn find_method(&self, vm_id: &str) -> Option<&Map<String, Value>> {
        self.method_where(|m| {
            m.get("id")
                .and_then(Value::as_str)
                .map(|id| self.absolute(id))
                .as_deref()
                == Some(vm_id)
        })
    }

    /// The first method the document defines, or embeds in a relationship,
    /// for which `wanted` holds.
    fn method_where(&self, wanted: impl Fn(&Map<String, Value>) -> bool) -> Option<&Map<String, Value>> {
        let defined = self.array("verificationMethod").unwrap_or_default().iter();
        let embedded = [
            "assertionMethod",
            "authentication",
            "capabilityInvocation",
            "capabilityDelegation",
        ]
        .into_iter()
        .flat_map(|r| self.array(r).unwrap_or_default().iter());
        defined.chain(embedded).filter_map(Value::as_object).find(|m| wanted(m))
    }

    /// The first method (in document order) whose key has the SHA-256 JWK
    /// thumbprint `thumbprint` (RFC 7638), checked as
    /// [`DidDocument::verification_method`] checks one named by its id;
    /// `None` when no key has it.
    pub fn method_with_thumbprint(&self, thumbprint: &str) -> Option<Result<VerificationMethod>> {
        let method = self.method_where(|m| decode_key(m).is_ok_and(|key| jwk::thumbprint(&key) == thumbprint))?;
        let id = self.absolute(method.get("id").and_then(Value::as_str).unwrap_or_default());
        Some(self.verification_method(&id))
    }

    /// Whether `vm_id` is listed, by reference or embedded, under `relationship`
    /// (Controlled Identifiers §3.3 step 11).
    pub fn authorizes(&self, vm_id: &str, relationship: VerificationRelationship) -> bool {
        self.array(relationship.as_str())
            .unwrap_or_default()
            .iter()
            .any(|entry| {
                let id = match entry {
                    Value::String(url) => Some(url.as_str()),
                    Value::Object(method) => method.get("id").and_then(Value::as_str),
                    _ => None,
                };
                id.map(|id| self.absolute(id)).as_deref() == Some(vm_id)
            })
    }
}

fn decode_key(method: &Map<String, Value>) -> Result<PublicKey> {
    let kind = method.get("type").and_then(Value::as_str).unwrap_or_default();
    match kind {
        "Multikey" | "Ed25519VerificationKey2020" => {
            let text = method
                .get("publicKeyMultibase")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::new(ErrorCode::KeyInvalid, format!("{kind} without publicKeyMultibase")))?;
            PublicKey::from_multikey(text)
        }
        "JsonWebKey" | "JsonWebKey2020" => {
            let key = method
                .get("publicKeyJwk")
                .ok_or_else(|| Error::new(ErrorCode::KeyInvalid, format!("{kind} without publicKeyJwk")))?;
            if key.get("d").is_some() {
                return Err(Error::new(ErrorCode::KeyInvalid, "publicKeyJwk holds a private key"));
            }
            jwk::public_key(key)
        }
        other => Err(Error::new(
            ErrorCode::KeyTypeUnsupported,
            format!("verification method type {}", quoted(other)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    fn doc(extra: Value) -> Result<DidDocument> {
        let mut value = json!({
            "id": "did:web:a.example",
            "verificationMethod": [
                {"id": "#k1", "type": "Multikey", "controller": "did:web:a.example", "publicKeyMultibase": KEY},
                {"id": "did:web:a.example#k2", "type": "Multikey", "controller": "did:web:b.example", "publicKeyMultibase": KEY}
            ],
            "assertionMethod": ["#k1"]
        });
        if let (Value::Object(base), Value::Object(more)) = (&mut value, extra) {
            base.extend(more);
        }
        DidDocument::from_json(value)
    }

    #[test]
    fn finds_relative_methods_and_relationships() {
        let d = doc(json!({})).unwrap();
        let vm = d.verification_method("did:web:a.example#k1").unwrap();
        assert_eq!(vm.public_key.to_multikey(), KEY);
        assert!(d.authorizes("did:web:a.example#k1", VerificationRelationship::AssertionMethod));
        assert!(!d.authorizes("did:web:a.example#k1", VerificationRelationship::Authentication));
    }

    #[test]
    fn refuses_foreign_controller_and_missing_methods() {
        let d = doc(json!({})).unwrap();
        assert_eq!(
            d.verification_method("did:web:a.example#k2").unwrap_err().code(),
            ErrorCode::DidDocumentInvalid
        );
        assert_eq!(
            d.verification_method("did:web:a.example#nope").unwrap_err().code(),
            ErrorCode::VerificationMethodNotFound
        );
    }

    #[test]
    fn refuses_malformed_documents() {
        assert!(doc(json!({"assertionMethod": "#k1"})).is_err());
        assert!(doc(json!({"verificationMethod": [{"id": "#x"}]})).is_err());
        assert!(DidDocument::from_json(json!({"id": "not a did"})).is_err());
        assert!(DidDocument::from_json(json!([1])).is_err());
    }

    #[test]
    fn refuses_private_jwk_in_document() {
        let d = doc(json!({"verificationMethod": [{"id": "#j", "type": "JsonWebKey", "controller": "did:web:a.example",
            "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "d": "AA"}}]}))
        .unwrap();
        assert_eq!(
            d.verification_method("did:web:a.example#j").unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
    }
}
