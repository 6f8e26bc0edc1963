//! A service given a trust registry: a tenant is refused, before anything
//! is signed, a type its registry does not authorize it for, with the
//! registry's code; verification runs the trust check; TRQP answers under
//! `/trqp`.

mod common;

use common::{clock, permit_credential, start_with, Setup, Store};
use passerelle::crypto::{Ed25519KeyPair, Signer as _};
use passerelle::registry::{sign_snapshot, Registry, TrustStore};
use serde_json::json;

/// The registry's key: its DID is a did:key, resolved without documents.
fn registry_key() -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[42; 32])
}

fn registry_did() -> String {
    format!("did:key:{}", registry_key().public_key().to_multikey())
}

/// A registry authorizing `tenant` for `MinesPermit` only.
fn store_for(tenant: &str) -> TrustStore {
    let did = registry_did();
    let registry = Registry::from_json(json!({
        "id": did,
        "name": {"en": "Mines registry", "fr": "Registre des mines"},
        "jurisdiction": "CA-BC",
        "sequence": 1,
        "authorizations": [{
            "entity_id": tenant,
            "authority_id": did,
            "action": "issue",
            "resource": "MinesPermit",
            "jurisdiction": "CA-BC",
            "name": {"en": "Mines office", "fr": "Bureau des mines"},
            "legal_authority": {"en": "Mines Act", "fr": "Mines Act"},
            "valid_from": "2020-01-01T00:00:00Z",
            "status": "active"
        }],
        "recognitions": []
    }))
    .unwrap();
    let vm = format!("{did}#{}", registry_key().public_key().to_multikey());
    let snapshot = sign_snapshot(
        &registry,
        &registry_key(),
        &vm,
        clock().plus_seconds(-3600),
        clock().plus_seconds(30 * 24 * 3600),
    )
    .unwrap();
    let mut store = TrustStore::new([did]);
    store
        .load_snapshot(
            &serde_json::to_vec(&snapshot).unwrap(),
            &passerelle::did::StaticResolver::default(),
            clock(),
        )
        .unwrap();
    store
}

#[test]
fn issuance_is_judged_by_the_registry_and_verification_reports_the_path() {
    let setup = Setup {
        trust: Some(store_for),
        ..Setup::default()
    };
    let service = start_with(Store::Sqlite, setup);
    // The tenant may issue both types by its own policy; the registry
    // authorizes only MinesPermit.
    let credential = service.issued("MX-trusted");
    let verified = service.verify(&credential, "en");
    assert_eq!(verified.status, 200, "{}", verified.text);
    let trust = verified.body["report"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "trust")
        .unwrap()
        .clone();
    assert_eq!(trust["outcome"], "passed", "{trust}");

    let mut other = permit_credential("EX-1");
    other["type"] = json!(["VerifiableCredential", "ExplorationLicence"]);
    let refused = service.post(
        "/tenants/mines/credentials/issue",
        Some(&service.key),
        &json!({"credential": other}).to_string(),
    );
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(refused.body["code"], "ISSUER_NOT_AUTHORIZED", "{}", refused.text);
    assert_eq!(service.count("credentials"), 1, "nothing written for the refusal");

    // A credential of an issuer the registry does not know fails trust.
    let stranger = passerelle::Issuer::did_key(Ed25519KeyPair::from_seed(&[7; 32]));
    let mut unsigned = permit_credential("MX-stranger");
    unsigned["issuer"] = stranger.did().into();
    unsigned["validFrom"] = clock().to_string().into();
    let signed = stranger
        .issue(unsigned.as_object().unwrap().clone(), clock())
        .unwrap()
        .into_json();
    let untrusted = service.verify(&serde_json::Value::Object(signed), "en");
    assert_eq!(untrusted.status, 400, "{}", untrusted.text);

    // TRQP from the same registry.
    let query = json!({
        "entity_id": passerelle_service::directory::tenant_did(&service.url, "mines"),
        "authority_id": registry_did(),
        "action": "issue",
        "resource": "MinesPermit",
    });
    let answer = service.post("/trqp/authorization", None, &query.to_string());
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["authorized"], true, "{}", answer.text);
}
