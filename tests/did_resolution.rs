//! DID resolution and DID URL dereferencing (`did::resolve`): the did:key
//! method's examples and test vectors, every error the resolver names,
//! every public key format both ways, did:jwk, did:web and did:webvh
//! through supplied documents and logs, and properties over any key.

use passerelle::crypto::{multibase, Ed25519KeyPair, PublicKey, Signer};
use passerelle::did::resolution::{resolve, PublicKeyFormat, ResolutionOptions};
use passerelle::did::webvh::{WebvhLog, WebvhLogs};
use passerelle::did::{key, DidDocument, StaticResolver};
use passerelle::Timestamp;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

/// The did:key spec's own example (its "Create" section).
const SPEC_DID: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const SPEC_X25519: &str = "z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p";
/// The spec's "Test Vectors" section, Ed25519 / X25519.
const VECTOR_DID: &str = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
const VECTOR_X25519: &str = "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW";
const VECTOR_X25519_JWK_X: &str = "W_Vcc7guviK-gPNDBmevVw-uJVamQV5rMNQGUwCqlH0";
/// One of the spec's X25519 did:keys.
const X25519_DID: &str = "did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F";
/// One of the spec's P-256 did:keys.
const P256_DID: &str = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";

fn with_format(format: &str) -> ResolutionOptions<'_> {
    ResolutionOptions {
        public_key_format: Some(format),
        ..ResolutionOptions::default()
    }
}

fn experimental(format: &str) -> ResolutionOptions<'_> {
    ResolutionOptions {
        enable_experimental_public_key_types: Some(true),
        ..with_format(format)
    }
}

fn json_of(input: &str, options: &ResolutionOptions<'_>) -> Value {
    resolve(input, options).to_json()
}

/// The `error` string a DID or DID URL fails with (resolution's for a DID,
/// dereferencing's for a URL).
fn error_of(input: &str, options: &ResolutionOptions<'_>) -> String {
    let result = resolve(input, options);
    let json = result.to_json();
    let metadata = if json.get("didDereferencingMetadata").is_some() {
        &json["didDereferencingMetadata"]
    } else {
        &json["didResolutionMetadata"]
    };
    assert!(!result.is_ok(), "{input} resolved");
    if json["didResolutionMetadata"].get("error").is_some() {
        assert_eq!(
            json["didDocument"],
            Value::Null,
            "{input}: no document when resolution fails"
        );
    }
    if json.get("didDereferencingMetadata").is_some() {
        assert_eq!(json["contentStream"], Value::Null, "{input}: no content on failure");
    }
    metadata["error"].as_str().unwrap_or("<none>").to_owned()
}

fn did_key_with(code_header: &[u8], key: &[u8]) -> String {
    let mut bytes = code_header.to_vec();
    bytes.extend_from_slice(key);
    format!("did:key:{}", multibase::encode_base58btc(&bytes))
}

fn method_value(did: &str) -> &str {
    did.rsplit(':').next().unwrap()
}

fn spec_vectors(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs/did-key/test-vectors")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn the_spec_example_derives_its_x25519_key_agreement_key() {
    let json = json_of(SPEC_DID, &with_format("Ed25519VerificationKey2020"));
    let doc = &json["didDocument"];
    assert_eq!(
        doc["@context"],
        json!([
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/ed25519-2020/v1",
            "https://w3id.org/security/suites/x25519-2020/v1"
        ])
    );
    let agreement_id = format!("{SPEC_DID}#{SPEC_X25519}");
    assert_eq!(doc["keyAgreement"], json!([agreement_id]));
    assert_eq!(
        doc["verificationMethod"][1],
        json!({"id": agreement_id, "type": "X25519KeyAgreementKey2020",
               "controller": SPEC_DID, "publicKeyMultibase": SPEC_X25519})
    );
    let signing = format!("{SPEC_DID}#{}", method_value(SPEC_DID));
    for relationship in [
        "authentication",
        "assertionMethod",
        "capabilityDelegation",
        "capabilityInvocation",
    ] {
        assert_eq!(doc[relationship], json!([signing]), "{relationship}");
    }
    assert_eq!(
        json["didResolutionMetadata"],
        json!({"contentType": "application/did+ld+json"})
    );
    assert_eq!(json["@context"], "https://w3id.org/did-resolution/v1");
}

#[test]
fn the_spec_test_vector_x25519_key_byte_exact_as_multikey_and_jwk() {
    let url = format!("{VECTOR_DID}#{VECTOR_X25519}");
    let multikey = json_of(&url, &ResolutionOptions::default());
    assert_eq!(multikey["contentStream"]["publicKeyMultibase"], VECTOR_X25519);
    assert_eq!(multikey["contentStream"]["type"], "Multikey");
    let jwk = json_of(&url, &with_format("JsonWebKey2020"));
    assert_eq!(
        jwk["contentStream"]["publicKeyJwk"],
        json!({"kty": "OKP", "crv": "X25519", "x": VECTOR_X25519_JWK_X})
    );
    // The same bytes through the crypto API.
    let ed = key::public_key(VECTOR_DID).unwrap();
    let x = ed.x25519_key_agreement().unwrap();
    let mut prefixed = vec![0xec, 0x01];
    prefixed.extend_from_slice(&x);
    assert_eq!(multibase::encode_base58btc(&prefixed), VECTOR_X25519);
}

#[test]
fn the_method_test_vector_documents_are_reproduced() {
    // Ed25519 with its X25519 key: the vectors use the 2018/2019 types.
    let vectors = spec_vectors("ed25519-x25519.json");
    let vectors = vectors.as_object().unwrap();
    assert_eq!(vectors.len(), 5);
    for (did, vector) in vectors {
        // Most as Ed25519VerificationKey2018, one as JsonWebKey2020.
        let format = vector["didDocument"]["verificationMethod"][0]["type"].as_str().unwrap();
        let json = json_of(did, &experimental(format));
        assert_eq!(json["didDocument"], vector["didDocument"], "{did}");
    }
    // X25519 did:keys: three as X25519KeyAgreementKey2019, one as JsonWebKey2020.
    let vectors = spec_vectors("x25519.json");
    let vectors = vectors["didDocument"].as_object().unwrap();
    assert_eq!(vectors.len(), 4);
    for (did, expected) in vectors {
        let format = expected["verificationMethod"][0]["type"].as_str().unwrap();
        let json = json_of(did, &experimental(format));
        assert_eq!(&json["didDocument"], expected, "{did}");
    }
    // P-256, P-384 and P-521 as JsonWebKey2020 (the vectors add a
    // keyAgreement the algorithm does not derive).
    let vectors = spec_vectors("nist-curves.json");
    let nist: Vec<_> = vectors
        .as_object()
        .unwrap()
        .iter()
        .filter(|(did, v)| {
            // A third P-256 one is a P256Key2021, a type the method does not define.
            ["did:key:zDn", "did:key:z82", "did:key:z2J9"]
                .iter()
                .any(|prefix| did.starts_with(prefix))
                && v["didDocument"]["verificationMethod"][0]["type"] == "JsonWebKey2020"
        })
        .collect();
    assert_eq!(nist.len(), 6);
    assert_eq!(nist.iter().filter(|(did, _)| did.starts_with("did:key:z82")).count(), 2);
    assert_eq!(
        nist.iter().filter(|(did, _)| did.starts_with("did:key:z2J9")).count(),
        2
    );
    for (did, vector) in nist {
        let json = json_of(did, &with_format("JsonWebKey2020"));
        if cfg!(feature = "ecdsa") {
            let expected = &vector["didDocument"];
            for member in [
                "@context",
                "id",
                "verificationMethod",
                "assertionMethod",
                "authentication",
            ] {
                assert_eq!(json["didDocument"][member], expected[member], "{did} {member}");
            }
        } else {
            assert_eq!(json["didResolutionMetadata"]["error"], "unsupportedPublicKeyType");
        }
    }
}

#[test]
fn invalid_did() {
    let value = method_value(SPEC_DID);
    for input in [
        format!("did:key:{}", &value[1..]), // no z multibase prefix
        format!("did:key:2:{value}"),       // a version other than 1
        format!("did:key:-4:{value}"),      // a version that is no positive integer
        format!("notdid:key:{value}"),      // not the did scheme
        "did:key:@".to_owned(),             // not DID syntax
        "did:key:z0OIl".to_owned(),         // not base58btc
        format!("did:key:1:2:{value}"),     // too many parts
        "x".repeat(5000),                   // over the size limit
    ] {
        assert_eq!(error_of(&input, &ResolutionOptions::default()), "invalidDid", "{input}");
    }
    // A DID URL whose DID is invalid: resolution's error, in both metadata.
    let json = json_of(
        &format!("did:key:{}#{value}", &value[1..]),
        &ResolutionOptions::default(),
    );
    assert_eq!(json["didResolutionMetadata"]["error"], "invalidDid");
    assert_eq!(json["didDereferencingMetadata"]["error"], "invalidDid");
    assert_eq!(json["didResolutionMetadata"]["problemDetails"]["code"], "DID_INVALID");
}

#[test]
fn method_not_supported() {
    for input in ["did:example:123", "did:ion:abc", "did:example:123#key-1"] {
        assert_eq!(
            error_of(input, &ResolutionOptions::default()),
            "methodNotSupported",
            "{input}"
        );
    }
}

#[test]
fn invalid_public_key_length() {
    let ed = Ed25519KeyPair::from_seed(&[5; 32]).public_key();
    let bytes = ed.as_bytes();
    for input in [
        did_key_with(&[0xed, 0x01], &bytes[..31]),
        did_key_with(&[0xed, 0x01], &[bytes, &[0]].concat()),
        did_key_with(&[0xec, 0x01], &[1; 33]),
        did_key_with(&[0x80, 0x24], &[2; 32]),
        did_key_with(&[0x81, 0x24], &[2; 48]), // P-384 is 49 bytes, compressed
        did_key_with(&[0x81, 0x24], &[2; 33]), // a P-256 length under the P-384 codec
        did_key_with(&[0x82, 0x24], &[2; 49]), // P-521 is 67 bytes, compressed
        did_key_with(&[0xed, 0x01], &[]),
    ] {
        assert_eq!(
            error_of(&input, &ResolutionOptions::default()),
            "invalidPublicKeyLength",
            "{input}"
        );
    }
}

#[test]
fn invalid_did_url() {
    let value = method_value(SPEC_DID);
    for input in [
        format!("{SPEC_DID}/^bar^/?query=`#{value}"),
        format!("{SPEC_DID}/?query=true#{value}"), // did:key defines no path or query
        format!("{SPEC_DID}/path"),
        format!("{SPEC_DID}#a b"),
        format!("{SPEC_DID}#%zz"),
        format!("{SPEC_DID}#{}", "a".repeat(5000)),
    ] {
        assert_eq!(
            error_of(&input, &ResolutionOptions::default()),
            "invalidDidUrl",
            "{input}"
        );
    }
    let json = json_of(&format!("{SPEC_DID}#a b"), &ResolutionOptions::default());
    assert_eq!(
        json["didResolutionMetadata"],
        json!({}),
        "dereferencing stopped before resolution"
    );
    assert_eq!(json["contentStream"], Value::Null);
}

#[test]
fn unsupported_public_key_type() {
    for format in ["unknown", "newFormat", "multikey", ""] {
        assert_eq!(
            error_of(SPEC_DID, &with_format(format)),
            "unsupportedPublicKeyType",
            "{format}"
        );
        assert_eq!(
            error_of(SPEC_DID, &experimental(format)),
            "unsupportedPublicKeyType",
            "{format}"
        );
    }
    // A key type the method lists that this resolver does not expand.
    let secp256k1 = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
    assert_eq!(
        error_of(secp256k1, &ResolutionOptions::default()),
        "unsupportedPublicKeyType"
    );
    // P-384 is expanded with the `ecdsa` feature only.
    let p384 = "did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9";
    if cfg!(feature = "ecdsa") {
        assert!(resolve(p384, &ResolutionOptions::default()).is_ok());
    } else {
        assert_eq!(
            error_of(p384, &ResolutionOptions::default()),
            "unsupportedPublicKeyType"
        );
    }
}

#[test]
fn invalid_public_key_type() {
    // Experimental formats need enableExperimentalPublicKeyTypes.
    for format in [
        "Ed25519VerificationKey2018",
        "X25519KeyAgreementKey2019",
        "X25519KeyAgreementKey2020",
    ] {
        assert_eq!(
            error_of(SPEC_DID, &with_format(format)),
            "invalidPublicKeyType",
            "{format}"
        );
    }
    // Keys the format cannot express, even with experimental types.
    assert_eq!(
        error_of(X25519_DID, &experimental("Ed25519VerificationKey2018")),
        "invalidPublicKeyType",
        "the X25519 key-agreement key as Ed25519VerificationKey2018"
    );
    assert_eq!(
        error_of(X25519_DID, &experimental("Ed25519VerificationKey2020")),
        "invalidPublicKeyType"
    );
    assert_eq!(
        error_of(SPEC_DID, &experimental("X25519KeyAgreementKey2020")),
        "invalidPublicKeyType"
    );
    if cfg!(feature = "ecdsa") {
        assert_eq!(
            error_of(P256_DID, &with_format("Ed25519VerificationKey2020")),
            "invalidPublicKeyType"
        );
    }
    // A DID URL: resolution fails, and dereferencing with it.
    let url = format!("{X25519_DID}#{}", method_value(X25519_DID));
    let json = json_of(&url, &experimental("Ed25519VerificationKey2018"));
    assert_eq!(json["didResolutionMetadata"]["error"], "invalidPublicKeyType");
    assert_eq!(json["didDereferencingMetadata"]["error"], "invalidPublicKeyType");
}

#[test]
fn invalid_public_key() {
    // 32 bytes that are no Ed25519 point: the first y whose x does not exist.
    let bad = (0u8..=255)
        .map(|b| [b; 32])
        .find(|bytes| PublicKey::ed25519_from_bytes(bytes).is_err())
        .unwrap();
    assert_eq!(
        error_of(&did_key_with(&[0xed, 0x01], &bad), &ResolutionOptions::default()),
        "invalidPublicKey"
    );
    if cfg!(feature = "ecdsa") {
        let mut not_on_curve = [0xffu8; 33];
        not_on_curve[0] = 0x02;
        assert_eq!(
            error_of(
                &did_key_with(&[0x80, 0x24], &not_on_curve),
                &ResolutionOptions::default()
            ),
            "invalidPublicKey"
        );
        // P-384: an x past the field prime is no point.
        let mut p384_not_on_curve = [0xffu8; 49];
        p384_not_on_curve[0] = 0x02;
        assert_eq!(
            error_of(
                &did_key_with(&[0x81, 0x24], &p384_not_on_curve),
                &ResolutionOptions::default()
            ),
            "invalidPublicKey"
        );
        // P-521: an x past the field prime (2^521 - 1) is no point.
        let mut p521_not_on_curve = [0xffu8; 67];
        p521_not_on_curve[0] = 0x02;
        p521_not_on_curve[1] = 0x03;
        assert_eq!(
            error_of(
                &did_key_with(&[0x82, 0x24], &p521_not_on_curve),
                &ResolutionOptions::default()
            ),
            "invalidPublicKey"
        );
    }
}

#[test]
fn not_found() {
    assert_eq!(
        error_of(&format!("{SPEC_DID}#key-1"), &ResolutionOptions::default()),
        "notFound"
    );
    assert_eq!(
        error_of(&format!("{SPEC_DID}#"), &ResolutionOptions::default()),
        "notFound"
    );
    // Without derivation the X25519 key is not in the document.
    let no_agreement = ResolutionOptions {
        enable_encryption_key_derivation: false,
        ..ResolutionOptions::default()
    };
    assert_eq!(
        error_of(&format!("{SPEC_DID}#{SPEC_X25519}"), &no_agreement),
        "notFound"
    );
    assert!(resolve(&format!("{SPEC_DID}#{SPEC_X25519}"), &ResolutionOptions::default()).is_ok());
    // did:web with no resolver, and one the resolver does not know.
    assert_eq!(
        error_of("did:web:issuer.example", &ResolutionOptions::default()),
        "notFound"
    );
    let resolver = StaticResolver::default();
    let options = ResolutionOptions {
        resolver: Some(&resolver),
        ..ResolutionOptions::default()
    };
    assert_eq!(error_of("did:web:issuer.example", &options), "notFound");
}

/// The key a resolved verification method holds, decoded from whichever
/// member its type uses.
fn key_bytes(method: &Value) -> Vec<u8> {
    use base64::Engine as _;
    if let Some(text) = method["publicKeyMultibase"].as_str() {
        let bytes = multibase::decode(text).unwrap();
        return bytes[2..].to_vec(); // every header here is two bytes
    }
    if let Some(jwk) = method["publicKeyJwk"].as_object() {
        if jwk["kty"] == "EC" {
            let key = passerelle::crypto::jwk::public_key(&method["publicKeyJwk"]).unwrap();
            return key.as_bytes().to_vec();
        }
        let x = jwk["x"].as_str().unwrap();
        return base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(x).unwrap();
    }
    let text = method["publicKeyBase58"].as_str().unwrap();
    multibase::decode(&format!("z{text}")).unwrap()
}

/// P-256 and P-384 did:keys in both formats that can express them (none
/// without the `ecdsa` feature).
fn p256_cases() -> Vec<(String, PublicKeyFormat, Vec<u8>)> {
    #[cfg(feature = "ecdsa")]
    {
        let p256 = passerelle::crypto::P256KeyPair::from_secret_bytes(&[7; 32])
            .unwrap()
            .public_key();
        let p384 = passerelle::crypto::P384KeyPair::from_secret_bytes(&[7; 48])
            .unwrap()
            .public_key();
        [p256, p384]
            .into_iter()
            .flat_map(|key| {
                [PublicKeyFormat::Multikey, PublicKeyFormat::JsonWebKey2020]
                    .into_iter()
                    .map(move |format| (key::did_for(&key), format, key.as_bytes().to_vec()))
            })
            .collect()
    }
    #[cfg(not(feature = "ecdsa"))]
    Vec::new()
}

#[test]
fn every_public_key_format_round_trips() {
    let ed = Ed25519KeyPair::from_seed(&[9; 32]).public_key();
    let ed_did = key::did_for(&ed);
    let x = ed.x25519_key_agreement().unwrap();
    let x_did = did_key_with(&[0xec, 0x01], &x);
    let mut cases = vec![
        (ed_did.clone(), PublicKeyFormat::Multikey, ed.as_bytes().to_vec()),
        (ed_did.clone(), PublicKeyFormat::JsonWebKey2020, ed.as_bytes().to_vec()),
        (
            ed_did.clone(),
            PublicKeyFormat::Ed25519VerificationKey2020,
            ed.as_bytes().to_vec(),
        ),
        (
            ed_did.clone(),
            PublicKeyFormat::Ed25519VerificationKey2018,
            ed.as_bytes().to_vec(),
        ),
        (x_did.clone(), PublicKeyFormat::Multikey, x.to_vec()),
        (x_did.clone(), PublicKeyFormat::JsonWebKey2020, x.to_vec()),
        (x_did.clone(), PublicKeyFormat::X25519KeyAgreementKey2020, x.to_vec()),
        (x_did.clone(), PublicKeyFormat::X25519KeyAgreementKey2019, x.to_vec()),
    ];
    cases.extend(p256_cases());
    for (did, format, expected) in cases {
        let options = experimental(format.as_str());
        let result = resolve(&did, &options);
        assert!(result.is_ok(), "{did} {format:?}: {:?}", result.failure());
        let json = result.to_json();
        let method = &json["didDocument"]["verificationMethod"][0];
        assert_eq!(method["type"], format.as_str());
        assert_eq!(key_bytes(method), expected, "{did} {format:?}");
        // The method's own URL dereferences to it, with the document's context.
        let id = method["id"].as_str().unwrap();
        assert_eq!(id, format!("{did}#{}", method_value(&did)));
        let dereferenced = json_of(id, &options);
        let mut content = dereferenced["contentStream"].clone();
        assert_eq!(content["@context"], json["didDocument"]["@context"]);
        content.as_object_mut().unwrap().remove("@context");
        assert_eq!(&content, method);
        assert_eq!(
            dereferenced["didDereferencingMetadata"]["contentType"],
            "application/did+ld+json"
        );
        // The document is one the verifier reads.
        DidDocument::from_json(json["didDocument"].clone()).unwrap();
    }
}

#[test]
fn the_derived_key_agreement_key_follows_the_format() {
    for (format, expected) in [
        ("Multikey", "Multikey"),
        ("JsonWebKey2020", "JsonWebKey2020"),
        ("Ed25519VerificationKey2020", "X25519KeyAgreementKey2020"),
        ("Ed25519VerificationKey2018", "X25519KeyAgreementKey2019"),
    ] {
        let json = json_of(&format!("{SPEC_DID}#{SPEC_X25519}"), &experimental(format));
        assert_eq!(json["contentStream"]["type"], expected, "{format}");
        assert_eq!(
            key_bytes(&json["contentStream"]),
            key_bytes(&json_of(&format!("{SPEC_DID}#{SPEC_X25519}"), &ResolutionOptions::default())["contentStream"])
        );
    }
}

#[test]
fn a_did_without_fragment_and_a_did_jwk_dereference() {
    let json = json_of(SPEC_DID, &ResolutionOptions::default());
    assert!(
        json.get("contentStream").is_none(),
        "a DID is resolved, not dereferenced"
    );
    assert_eq!(json["didDocumentMetadata"], json!({}));
    let jwk_did = passerelle::did::jwk::did_for(&Ed25519KeyPair::from_seed(&[4; 32]).public_key());
    let json = json_of(&format!("{jwk_did}#0"), &ResolutionOptions::default());
    assert_eq!(json["contentStream"]["type"], "JsonWebKey2020");
    assert_eq!(json["contentStream"]["id"], format!("{jwk_did}#0"));
    assert_eq!(
        error_of(&format!("{jwk_did}#1"), &ResolutionOptions::default()),
        "notFound"
    );
    assert_eq!(
        error_of(&format!("{jwk_did}?x=1"), &ResolutionOptions::default()),
        "invalidDidUrl"
    );
    assert_eq!(error_of("did:jwk:WzFd", &ResolutionOptions::default()), "invalidDid");
}

#[test]
fn did_web_and_did_webvh_through_supplied_documents_and_logs() {
    let signer = Ed25519KeyPair::from_seed(&[11; 32]);
    let mut documents = StaticResolver::default();
    documents.insert(
        DidDocument::from_json(json!({
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": "did:web:issuer.example",
            "verificationMethod": [{"id": "#k1", "type": "Multikey", "controller": "did:web:issuer.example",
                "publicKeyMultibase": signer.public_key().to_multikey()}],
            "assertionMethod": ["#k1"]
        }))
        .unwrap(),
    );
    let options = ResolutionOptions {
        resolver: Some(&documents),
        ..ResolutionOptions::default()
    };
    let json = json_of("did:web:issuer.example#k1", &options);
    assert_eq!(json["contentStream"]["id"], "did:web:issuer.example#k1");
    assert_eq!(
        json["contentStream"]["publicKeyMultibase"],
        signer.public_key().to_multikey()
    );
    assert_eq!(error_of("did:web:issuer.example#k2", &options), "notFound");
    assert_eq!(error_of("did:web:issuer.example/path?q=1", &options), "notFound");
    let whole = json_of("did:web:issuer.example?", &options);
    assert_eq!(whole["didDereferencingMetadata"]["error"], "notFound");

    let at = Timestamp::parse("2026-11-23T12:00:00Z").unwrap();
    let template = "did:webvh:{SCID}:issuer.example";
    let log = WebvhLog::create(
        "issuer.example",
        json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": template,
               "verificationMethod": [{"id": format!("{template}#key-1"), "type": "Multikey", "controller": template,
                                       "publicKeyMultibase": signer.public_key().to_multikey()}],
               "assertionMethod": [format!("{template}#key-1")]}),
        &signer,
        vec![],
        at,
    )
    .unwrap();
    let did = log.did().to_owned();
    let mut logs = WebvhLogs::new();
    logs.insert(did.clone(), log.to_jsonl());
    let options = ResolutionOptions {
        resolver: Some(&logs),
        time: Some(at),
        ..ResolutionOptions::default()
    };
    let json = json_of(&format!("{did}#key-1"), &options);
    assert_eq!(
        json["didDereferencingMetadata"]["contentType"], "application/did+ld+json",
        "{json}"
    );
    assert_eq!(json["contentStream"]["type"], "Multikey");
    // Without a time: the latest version.
    let latest = ResolutionOptions { time: None, ..options };
    assert!(resolve(&did, &latest).is_ok());
    // A tampered log is an invalid DID (did:webvh's name for it).
    let mut tampered = WebvhLogs::new();
    tampered.insert(
        did.clone(),
        log.to_jsonl().replace("issuer.example\"", "evil.example\""),
    );
    let options = ResolutionOptions {
        resolver: Some(&tampered),
        time: Some(at),
        ..ResolutionOptions::default()
    };
    let error = error_of(&did, &options);
    assert!(error == "invalidDid" || error == "invalidDidDocument", "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any did:key made from any seed resolves; its fragment dereferences to
    /// the key it was made from, and its key-agreement fragment to the
    /// key's X25519 form.
    #[test]
    fn any_ed25519_did_key_dereferences_to_its_key(seed in any::<[u8; 32]>()) {
        let public = Ed25519KeyPair::from_seed(&seed).public_key();
        let did = key::did_for(&public);
        let vm = key::verification_method_for(&public);
        let json = json_of(&vm, &ResolutionOptions::default());
        prop_assert_eq!(&json["contentStream"]["publicKeyMultibase"], &Value::from(public.to_multikey()));
        prop_assert_eq!(PublicKey::from_multikey(json["contentStream"]["publicKeyMultibase"].as_str().unwrap()).unwrap(), public);
        let agreement = json["didDocument"]["keyAgreement"][0].as_str().unwrap().to_owned();
        let prefix = format!("{did}#z6LS");
        prop_assert!(agreement.starts_with(&prefix));
        let derived = json_of(&agreement, &with_format("JsonWebKey2020"));
        prop_assert_eq!(key_bytes(&derived["contentStream"]), public.x25519_key_agreement().unwrap().to_vec());
    }

    /// Flipping any byte of the method-specific id either fails with one of
    /// the resolver's error names or resolves to a different key; it never
    /// panics.
    #[test]
    fn a_flipped_byte_fails_with_a_name_or_is_another_key(seed in any::<[u8; 32]>(), index in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let public = Ed25519KeyPair::from_seed(&seed).public_key();
        let did = key::did_for(&public);
        let mut bytes = did.clone().into_bytes();
        let at = "did:key:".len() + index.index(did.len() - "did:key:".len());
        bytes[at] ^= flip;
        let Ok(mutated) = String::from_utf8(bytes) else { return Ok(()) };
        let result = resolve(&mutated, &ResolutionOptions::default());
        let json = result.to_json();
        let failed = json.get("didDereferencingMetadata").map_or(&json["didResolutionMetadata"], |m| m)["error"].clone();
        if let Some(name) = failed.as_str() {
            prop_assert!(["invalidDid", "invalidDidUrl", "invalidPublicKeyLength", "invalidPublicKey", "unsupportedPublicKeyType", "notFound"].contains(&name), "{}", name);
        } else {
            let other = key::public_key(&mutated);
            prop_assert!(other.map(|k| k != public).unwrap_or(true));
        }
    }

    /// Any text is answered with a result, never a panic, and the result
    /// has the members every DID Resolution Result has.
    #[test]
    fn any_input_gets_a_result(text in "(did:(key|jwk|web|x):)?[a-zA-Z0-9:#/?%._ -]{0,80}", format in prop::option::of("[A-Za-z0-9]{0,30}")) {
        let options = ResolutionOptions { public_key_format: format.as_deref(), ..ResolutionOptions::default() };
        let json = json_of(&text, &options);
        for member in ["@context", "didDocument", "didDocumentMetadata", "didResolutionMetadata"] {
            prop_assert!(json.get(member).is_some(), "{} missing", member);
        }
    }
}
