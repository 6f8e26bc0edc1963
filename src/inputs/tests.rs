//! The builder, its JSON options and the kept verifier, together.

use super::kept::Shared;
use super::*;
use crate::crypto::Ed25519KeyPair;
use crate::error::{Error, ErrorCode};
use crate::proof::Cryptosuite;
use crate::status::{StatusList, MIN_ENTRIES};
use crate::verify::CheckName;
use crate::Issuer;
use serde_json::{json, Value};
use std::sync::Arc;

const LIST: &str = "https://status.example/revocation-1";

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn read(options: Value, allowed: &[&str]) -> Result<Inputs> {
    let mut inputs = Inputs::new(t("2026-06-01T00:00:00Z"));
    inputs.read(options.as_object().unwrap().clone(), allowed)?;
    Ok(inputs)
}

fn refused(options: Value, allowed: &[&str]) -> Error {
    read(options, allowed).err().expect("refused")
}

#[test]
fn an_unknown_key_is_refused_and_named_whatever_its_value() {
    for options in [
        json!({"challange": "abc"}),
        json!({"challenge": "abc", "challange": "abc"}),
        json!({"challange": null}),
    ] {
        let e = refused(options, CALL_KEYS);
        assert_eq!(e.code(), ErrorCode::OptionUnknown);
        assert!(e.detail().contains("\"challange\""), "{}", e.detail());
    }
    let e = refused(json!({"statusPolicy": {"skipWithoutSourse": true}}), CALL_KEYS);
    assert_eq!(e.code(), ErrorCode::OptionUnknown);
    assert!(e.detail().contains("statusPolicy.skipWithoutSourse"), "{}", e.detail());
    // Keys of another scope are unknown here.
    assert_eq!(
        refused(json!({"trustAnchors": []}), CALL_KEYS).code(),
        ErrorCode::OptionUnknown
    );
    assert_eq!(
        refused(json!({"contexts": {}}), KEPT_CALL_KEYS).code(),
        ErrorCode::OptionUnknown
    );
    assert_eq!(
        refused(json!({"challenge": "x"}), SNAPSHOT_KEYS).code(),
        ErrorCode::OptionUnknown
    );
}

#[test]
fn an_unknown_cryptosuite_is_refused_and_a_known_one_accepted_even_unbuilt() {
    let e = refused(json!({"cryptosuites": ["eddsa-jcs-2022", "eddsa-jsc-2022"]}), CALL_KEYS);
    assert_eq!(e.code(), ErrorCode::OptionUnknown);
    assert!(e.detail().contains("eddsa-jsc-2022"), "{}", e.detail());
    let inputs = read(
        json!({"cryptosuites": ["ecdsa-rdfc-2019", "eddsa-jcs-2022"]}),
        CALL_KEYS,
    )
    .unwrap();
    assert_eq!(
        inputs.options.cryptosuites,
        [Cryptosuite::EcdsaRdfc2019, Cryptosuite::EddsaJcs2022]
    );
}

#[test]
fn values_of_the_wrong_type_are_refused_with_option_invalid() {
    for options in [
        json!({"challenge": 5}),
        json!({"maxBytes": -1}),
        json!({"maxDepth": "32"}),
        json!({"cryptosuites": "eddsa-jcs-2022"}),
        json!({"statusPolicy": true}),
        json!({"statusPolicy": {"acceptUnknownTypes": "yes"}}),
        json!({"trustAtVerificationTime": 1}),
        json!({"lang": "de"}),
        json!({"didDocuments": {}}),
        json!({"didLogs": {"did:webvh:x": 5}}),
        json!({"statusLists": []}),
        json!({"statusLists": {"https://a.example/1": 5}}),
    ] {
        let e = refused(options.clone(), CALL_KEYS);
        assert_eq!(e.code(), ErrorCode::OptionInvalid, "{options}: {e}");
    }
    assert_eq!(
        refused(json!({"time": "yesterday"}), CALL_KEYS).code(),
        ErrorCode::DateInvalid
    );
}

#[test]
fn the_policies_are_read_into_verify_options() {
    let inputs = read(
        json!({"time": "2026-11-23T12:00:00Z", "lang": "fr-CA", "challenge": "c", "domain": "d",
            "maxBytes": 1000, "maxDepth": 8, "trustAtVerificationTime": true, "domain2": null}),
        &[POLICY_KEYS, &["domain2"]].concat(),
    )
    .unwrap();
    let o = &inputs.options;
    assert_eq!(o.time, t("2026-11-23T12:00:00Z"));
    assert_eq!((o.challenge.as_deref(), o.domain.as_deref()), (Some("c"), Some("d")));
    assert_eq!((o.limits.max_bytes, o.limits.max_depth), (1000, 8));
    assert!(o.trust_at_verification_time);
    assert_eq!(inputs.lang, Lang::Fr);
    let inputs = read(json!({"statusPolicy": {"skipWithoutSource": true}}), CALL_KEYS).unwrap();
    assert!(inputs.options.status_policy.skip_without_source);
    assert!(!inputs.options.status_policy.accept_unknown_types);
}

/// An issuer, a credential with a revocation entry, and its list.
struct World {
    issuer: Issuer<Ed25519KeyPair>,
    list: StatusList,
    index: u64,
    credential: Vec<u8>,
}

fn world() -> World {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[41; 32]));
    let mut list = StatusList::new(LIST, "revocation", MIN_ENTRIES, 1).unwrap();
    let entry = list.allocate().unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:a"},
        "credentialStatus": entry.to_json(),
    });
    let signed = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap();
    World {
        issuer,
        list,
        index: entry.index,
        credential: signed.to_json_string().into_bytes(),
    }
}

fn published(w: &World) -> Vec<u8> {
    let list = w.list.publish(&w.issuer, t("2026-05-01T00:00:00Z"), None).unwrap();
    serde_json::to_vec(&list).unwrap()
}

fn lists_read(kept: &KeptVerifier) -> usize {
    kept.sources.lock().unwrap().lists_read
}

#[test]
fn a_kept_verifier_verifies_a_list_again_only_when_its_bytes_change() {
    let mut w = world();
    let at = t("2026-06-01T00:00:00Z");
    let (mut kept, _) = Inputs::new(at).with_digests().build().unwrap();
    let call = |kept: &mut KeptVerifier, list: Vec<u8>| {
        let mut inputs = kept.call_inputs(|| at);
        inputs.status_list(LIST, list);
        let options = kept.supply(inputs).unwrap();
        kept.verify(&w.credential, &options)
    };
    let good = published(&w);
    assert!(call(&mut kept, good.clone()).verified());
    assert_eq!(lists_read(&kept), 1);
    // The same bytes again: the verified list is used as it is.
    assert!(call(&mut kept, good.clone()).verified());
    assert_eq!(lists_read(&kept), 1);
    // Nothing given: the kept list serves.
    let options = kept.supply(kept.call_inputs(|| at)).unwrap();
    assert!(kept.verify(&w.credential, &options).verified());
    assert_eq!(lists_read(&kept), 1);
    // Other bytes at the same URL: verified again, and they say revoked.
    w.list.set(w.index, 1).unwrap();
    let report = call(&mut kept, published(&w));
    assert_eq!(lists_read(&kept), 2);
    let status = report.check(CheckName::Status).unwrap();
    assert_eq!(status.code, Some(ErrorCode::CredentialRevoked));
}

#[test]
fn a_kept_verifier_without_a_source_gains_one_when_a_call_gives_lists() {
    let w = world();
    let at = t("2026-06-01T00:00:00Z");
    let (mut kept, _) = Inputs::new(at).with_digests().build().unwrap();
    let report = kept.verify(&w.credential, &kept.options().clone());
    let status = report.check(CheckName::Status).unwrap();
    assert_eq!(status.code, Some(ErrorCode::StatusListUnavailable));
    let mut call = kept.call_inputs(|| at);
    call.status_list(LIST, published(&w));
    let options = kept.supply(call).unwrap();
    assert!(kept.verify(&w.credential, &options).verified());
    assert!(kept.has_status_list(LIST));
}

#[test]
fn what_calls_give_stays_bounded_and_what_it_was_made_with_stays() {
    let at = t("2026-06-01T00:00:00Z");
    let mut made = Inputs::new(at).with_digests();
    made.status_list("https://status.example/made", b"{}".to_vec());
    let (mut kept, _) = made.build().unwrap();
    for n in 0..CAPACITY + 5 {
        let mut call = kept.call_inputs(|| at);
        call.status_list(
            format!("https://status.example/{n}"),
            format!("{{\"n\": {n}}}").into_bytes(),
        );
        kept.supply(call).unwrap();
        let (_, _, lists) = kept.kept();
        assert!(lists <= CAPACITY + 1, "{lists}");
    }
    assert!(kept.has_status_list("https://status.example/made"));
    assert!(kept.has_status_list(&format!("https://status.example/{}", CAPACITY + 4)));
}

#[test]
fn a_document_given_again_unchanged_is_kept_once_and_a_changed_one_replaces_it() {
    let at = t("2026-06-01T00:00:00Z");
    let (mut kept, _) = Inputs::new(at).with_digests().build().unwrap();
    let document = |key: &str| {
        json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:issuer.example",
            "verificationMethod": [{"id": "did:web:issuer.example#k", "type": "Multikey",
                "controller": "did:web:issuer.example", "publicKeyMultibase": key}]})
        .to_string()
        .into_bytes()
    };
    let multibase = Ed25519KeyPair::from_seed(&[1; 32]).public_key_multibase();
    for _ in 0..3 {
        let mut call = kept.call_inputs(|| at);
        call.did_document_text(document(&multibase));
        kept.supply(call).unwrap();
    }
    assert_eq!(kept.kept().0, 1);
    assert!(kept.has_did("did:web:issuer.example"));
    let resolver = Shared(Arc::clone(&kept.sources));
    let before = resolver.resolve("did:web:issuer.example", at).unwrap();
    let other = Ed25519KeyPair::from_seed(&[2; 32]).public_key_multibase();
    let mut call = kept.call_inputs(|| at);
    call.did_document_text(document(&other));
    kept.supply(call).unwrap();
    assert_ne!(resolver.resolve("did:web:issuer.example", at).unwrap(), before);
    assert_eq!(kept.kept().0, 1);
}

#[test]
fn without_webvh_a_did_webvh_signer_is_refused_naming_the_feature() {
    let (kept, _) = Inputs::without_webvh(t("2026-06-01T00:00:00Z")).build().unwrap();
    let resolver = Shared(Arc::clone(&kept.sources));
    let e = resolver
        .resolve("did:webvh:QmX:example.org", Timestamp::from_unix_seconds(0))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::DidNotFound);
    assert!(e.detail().contains("`webvh` feature"));
}

/// A did:web issuer's credential, signed with the key of `seed`, and its
/// DID document's text.
fn web_issued(seed: u8) -> (Vec<u8>, Vec<u8>) {
    let key = Ed25519KeyPair::from_seed(&[seed; 32]);
    let multibase = key.public_key_multibase();
    let document = json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:issuer.example",
        "verificationMethod": [{"id": "did:web:issuer.example#k", "type": "Multikey",
            "controller": "did:web:issuer.example", "publicKeyMultibase": multibase}],
        "assertionMethod": ["did:web:issuer.example#k"]});
    let issuer = Issuer::new(key, "did:web:issuer.example#k").unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:web:issuer.example",
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:a"},
    });
    let signed = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap();
    (signed.to_json_string().into_bytes(), document.to_string().into_bytes())
}

#[test]
fn a_supplied_document_is_read_once_for_many_credentials_and_again_when_it_changes() {
    let at = t("2026-06-01T00:00:00Z");
    let (credential, document) = web_issued(1);
    let mut inputs = Inputs::new(at).with_digests();
    inputs.did_document_text(document);
    let (mut kept, _) = inputs.build().unwrap();
    for _ in 0..3 {
        let report = kept.verify(&credential, kept.options());
        assert!(report.verified(), "{}", report.render(Lang::En));
    }
    // The issuer's method was decoded from the document once.
    assert_eq!(kept.sources.lock().unwrap().documents_read, 1);

    // The issuer's document replaced by one with another key: the kept
    // method goes with it, and the credential no longer verifies.
    let (_, other_document) = web_issued(2);
    let mut call = kept.call_inputs(|| at);
    call.did_document_text(other_document);
    let options = kept.supply(call).unwrap();
    let report = kept.verify(&credential, &options);
    assert!(!report.verified(), "{}", report.render(Lang::En));
    assert_eq!(kept.sources.lock().unwrap().documents_read, 2);
}

#[test]
fn the_key_sets_are_the_documented_prefixes() {
    assert_eq!(POLICY_KEYS.last(), Some(&"trustAtVerificationTime"));
    assert_eq!(
        &CALL_KEYS[POLICY_KEYS.len()..],
        ["didDocuments", "didLogs", "statusLists", "contexts"]
    );
    assert_eq!(KEPT_CALL_KEYS, &CALL_KEYS[..CALL_KEYS.len() - 1]);
    assert_eq!(&MADE_KEYS[CALL_KEYS.len()..], ["trustAnchors", "snapshots", "seen"]);
}
