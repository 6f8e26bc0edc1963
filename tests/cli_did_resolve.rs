//! `passerelle did resolve`: the DID Resolution Result as JSON or as a
//! summary (en/fr), each resolution error from its named input with a
//! non-zero exit, and did:web from a supplied document.

mod common;

use common::cli::passerelle;

use serde_json::Value;

const DID: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const X25519: &str = "z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p";

fn resolve_json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["did", "resolve", "--json"];
    all.extend_from_slice(args);
    let out = passerelle(&all);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

#[test]
fn a_did_url_dereferences_to_its_key_agreement_key() {
    let (code, json) = resolve_json(&[&format!("{DID}#{X25519}")]);
    assert_eq!(code, Some(0));
    assert_eq!(json["@context"], "https://w3id.org/did-resolution/v1");
    assert_eq!(json["didDocument"]["id"], DID);
    assert_eq!(json["contentStream"]["publicKeyMultibase"], X25519);
    assert_eq!(
        json["didDereferencingMetadata"]["contentType"],
        "application/did+ld+json"
    );
    let (code, json) = resolve_json(&["--public-key-format", "Ed25519VerificationKey2020", DID]);
    assert_eq!(code, Some(0));
    assert_eq!(
        json["didDocument"]["verificationMethod"][1]["type"],
        "X25519KeyAgreementKey2020"
    );
    let (_, json) = resolve_json(&["--no-key-agreement", DID]);
    assert!(json["didDocument"].get("keyAgreement").is_none());
}

#[test]
fn every_error_is_printed_with_a_non_zero_exit() {
    let value = &DID["did:key:".len()..];
    let short_key = {
        let mut bytes = vec![0xed, 0x01];
        bytes.extend_from_slice(&[1; 31]);
        format!("did:key:{}", passerelle::crypto::multibase::encode_base58btc(&bytes))
    };
    let no_z = format!("did:key:{}", &value[1..]);
    let bad_version = format!("did:key:2:{value}");
    let bad_url = format!("{DID}/?query=true#{value}");
    let missing = format!("{DID}#key-1");
    let x25519_did = "did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F";
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec![&no_z], "didResolutionMetadata", "invalidDid"),
        (vec![&bad_version], "didResolutionMetadata", "invalidDid"),
        (vec!["did:example:123"], "didResolutionMetadata", "methodNotSupported"),
        (vec![&short_key], "didResolutionMetadata", "invalidPublicKeyLength"),
        (vec![&bad_url], "didDereferencingMetadata", "invalidDidUrl"),
        (
            vec!["--public-key-format", "unknown", DID],
            "didResolutionMetadata",
            "unsupportedPublicKeyType",
        ),
        (
            vec!["--public-key-format", "Ed25519VerificationKey2018", DID],
            "didResolutionMetadata",
            "invalidPublicKeyType",
        ),
        (
            vec![
                "--public-key-format",
                "Ed25519VerificationKey2018",
                "--experimental-public-key-types",
                x25519_did,
            ],
            "didResolutionMetadata",
            "invalidPublicKeyType",
        ),
        (vec![&missing], "didDereferencingMetadata", "notFound"),
        (
            vec![
                "--public-key-format",
                "newFormat",
                "--experimental-public-key-types=false",
                DID,
            ],
            "didResolutionMetadata",
            "invalidPublicKeyType",
        ),
        (vec!["did:key:@"], "didResolutionMetadata", "invalidDid"),
    ];
    for (args, metadata, expected) in cases {
        let (code, json) = resolve_json(&args);
        assert_eq!(code, Some(1), "{args:?}");
        assert_eq!(json[metadata]["error"], expected, "{args:?}: {json}");
    }
}

#[test]
fn the_summary_is_bilingual() {
    let out = passerelle(&["--lang", "fr", "did", "resolve", "did:key:6Mk"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("erreur : invalidDid (DID_INVALID) — Un identifiant (DID ou URL) est mal formé."),
        "{text}"
    );
    let out = passerelle(&[
        "did",
        "resolve",
        &format!("{DID}#{value}", value = &DID["did:key:".len()..]),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("resolved: {DID}")), "{text}");
    assert!(text.contains("(Multikey)"), "{text}");
}

#[test]
fn did_web_resolves_from_a_supplied_document() {
    let dir = std::env::temp_dir().join(format!("passerelle-cli-resolve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("did.json");
    std::fs::write(
        &path,
        r##"{"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:issuer.example",
            "verificationMethod": [{"id": "#k1", "type": "Multikey", "controller": "did:web:issuer.example",
              "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}"##,
    )
    .unwrap();
    let doc = path.to_str().unwrap();
    let (code, json) = resolve_json(&["--did-document", doc, "did:web:issuer.example#k1"]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["contentStream"]["id"], "did:web:issuer.example#k1");
    let (code, json) = resolve_json(&["did:web:issuer.example"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["didResolutionMetadata"]["error"], "notFound");
    std::fs::remove_dir_all(&dir).ok();
}
