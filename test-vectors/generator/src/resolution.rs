//! DID resolution cases: did:key DIDs and DID URLs with the error names of
//! DID Resolution and the did:key method, and the documents resolved.
//! Expected documents are `resolution/<id>.json`.

use passerelle::crypto::{multibase, Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::did;
use passerelle::did::resolution::{resolve, ResolutionOptions};
use serde_json::{json, Value};

use super::{pretty, Vectors};

impl Vectors {
    /// A case that must fail with the `error` name `error`.
    fn resolution_error(&mut self, id: &str, description: &str, did: &str, options: Value, error: &str) {
        self.resolutions.push(json!({
            "id": id, "description": description, "did": did, "options": options,
            "expect": {"error": error}
        }));
    }

    /// A case that must resolve to what passerelle resolves now (its
    /// document, or for a DID URL the resource it names).
    fn resolution_content(&mut self, id: &str, description: &str, did: &str, options: Value) {
        let format = options["publicKeyFormat"].as_str().map(str::to_owned);
        let resolved = resolve(
            did,
            &ResolutionOptions {
                public_key_format: format.as_deref(),
                ..ResolutionOptions::default()
            },
        );
        assert!(resolved.is_ok(), "{id}: {:?}", resolved.failure());
        let json = resolved.to_json();
        let content = if resolved.dereferencing.is_some() {
            &json["contentStream"]
        } else {
            &json["didDocument"]
        };
        let path = format!("resolution/{id}.json");
        self.files.insert(path.clone(), pretty(content));
        self.resolutions.push(json!({
            "id": id, "description": description, "did": did, "options": options,
            "expect": {"content": path}
        }));
    }
}

pub(crate) fn resolution_cases(v: &mut Vectors) {
    let ed = Ed25519KeyPair::from_seed(&[0x51; 32]);
    let ed_did = did::key::did_for(&ed.public_key());
    let value = &ed_did["did:key:".len()..];
    let p256 = P256KeyPair::from_secret_bytes(&[0x52; 32]).expect("a fixed valid scalar");
    let p_did = did::key::did_for(&p256.public_key());

    v.resolution_content(
        "resolve-ed25519",
        "An Ed25519 did:key as Multikey, with the X25519 key-agreement key derived from it.",
        &ed_did,
        json!({}),
    );
    v.resolution_content(
        "resolve-ed25519-2020",
        "The same DID with publicKeyFormat Ed25519VerificationKey2020.",
        &ed_did,
        json!({"publicKeyFormat": "Ed25519VerificationKey2020"}),
    );
    v.resolution_content(
        "resolve-ed25519-jwk",
        "The same DID with publicKeyFormat JsonWebKey2020.",
        &ed_did,
        json!({"publicKeyFormat": "JsonWebKey2020"}),
    );
    v.resolution_content(
        "resolve-p256",
        "A P-256 did:key as Multikey (no key agreement derived).",
        &p_did,
        json!({}),
    );
    v.resolution_content(
        "dereference-verification-method",
        "A DID URL whose fragment is the key: the verification method.",
        &format!("{ed_did}#{value}"),
        json!({}),
    );
    let agreement = resolve(&ed_did, &ResolutionOptions::default()).to_json()["didDocument"]["keyAgreement"][0]
        .as_str()
        .expect("a derived key-agreement method")
        .to_owned();
    v.resolution_content(
        "dereference-key-agreement",
        "A DID URL naming the X25519 key-agreement method derived from the Ed25519 key.",
        &agreement,
        json!({}),
    );

    let short_key = {
        let mut bytes = vec![0xed, 0x01];
        bytes.extend_from_slice(&[1; 31]);
        format!("did:key:{}", multibase::encode_base58btc(&bytes))
    };
    let x25519_did = format!("did:key:{}", agreement.rsplit('#').next().expect("a fragment"));
    let errors: [(&str, &str, String, Value, &str); 13] = [
        ("resolve-unknown-format-experimental-off", "An unknown publicKeyFormat with enableExperimentalPublicKeyTypes set to false: not one of the three formats allowed then.", ed_did.clone(), json!({"publicKeyFormat": "newFormat", "enableExperimentalPublicKeyTypes": false}), "invalidPublicKeyType"),
        ("resolve-invalid-did-characters", "did:key:@ is not a DID.", "did:key:@".into(), json!({}), "invalidDid"),
        (
            "resolve-not-a-did",
            "Not a DID at all.",
            "not-a-did".into(),
            json!({}),
            "invalidDid",
        ),
        (
            "resolve-no-z-prefix",
            "A did:key whose value lacks the base58btc multibase prefix z.",
            format!("did:key:{}", &value[1..]),
            json!({}),
            "invalidDid",
        ),
        (
            "resolve-bad-version",
            "A did:key with a version other than 1.",
            format!("did:key:2:{value}"),
            json!({}),
            "invalidDid",
        ),
        (
            "resolve-method-not-supported",
            "A DID of a method this resolver does not implement.",
            "did:example:123".into(),
            json!({}),
            "methodNotSupported",
        ),
        (
            "resolve-short-key",
            "An Ed25519 did:key with a 31-byte key.",
            short_key,
            json!({}),
            "invalidPublicKeyLength",
        ),
        (
            "dereference-invalid-url",
            "A DID URL with an empty path segment and a query: not a valid did:key URL.",
            format!("{ed_did}/?query=true#{value}"),
            json!({}),
            "invalidDidUrl",
        ),
        (
            "resolve-unknown-format",
            "An unknown publicKeyFormat.",
            ed_did.clone(),
            json!({"publicKeyFormat": "unknown"}),
            "unsupportedPublicKeyType",
        ),
        (
            "resolve-experimental-format-not-enabled",
            "Ed25519VerificationKey2018 without enableExperimentalPublicKeyTypes.",
            ed_did.clone(),
            json!({"publicKeyFormat": "Ed25519VerificationKey2018"}),
            "invalidPublicKeyType",
        ),
        (
            "resolve-x25519-as-ed25519-2018",
            "An X25519 did:key asked for as Ed25519VerificationKey2018: a key-agreement key cannot be expressed so.",
            x25519_did,
            json!({"publicKeyFormat": "Ed25519VerificationKey2018", "enableExperimentalPublicKeyTypes": true}),
            "invalidPublicKeyType",
        ),
        (
            "dereference-missing-fragment",
            "A DID URL whose fragment names no method of the document.",
            format!("{ed_did}#key-1"),
            json!({}),
            "notFound",
        ),
        (
            "resolve-did-web-offline",
            "A did:web with no document supplied: nothing is fetched.",
            "did:web:issuer.example".into(),
            json!({}),
            "notFound",
        ),
    ];
    for (id, description, did, options, error) in errors {
        v.resolution_error(id, description, &did, options, error);
    }
}
