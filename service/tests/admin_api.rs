//! A tenant's administration over HTTP with its `admin` scope (key
//! rotation, credential types), each change audited and taken at once. On
//! SQLite, and on PostgreSQL when the test command gives a cluster.

mod common;

use common::{start, stores, Service};
use passerelle_service::auth::Scope;
use passerelle_service::http::Limits;
use serde_json::json;

const ROTATE: &str = "/tenants/mines/keys/rotate";
const TYPES: &str = "/tenants/mines/types";

fn each_store(test: impl Fn(&Service)) {
    for store in stores() {
        test(&start(store, Limits::default()));
    }
}

fn last_audit(service: &Service) -> passerelle_service::db::AuditLine {
    let lines = service.runtime.block_on(service.db.audit("mines")).unwrap();
    lines.last().cloned().unwrap()
}

#[test]
fn only_the_tenants_admin_scope_administers_it() {
    each_store(|service| {
        service.add_registrar(&service.keys());
        let issue_only = service.api_key("mines", &[Scope::Issue, Scope::Status], "counter");
        let other_admin = service.api_key("registrar", &[Scope::Admin], "registrar-admin");
        let admin = service.api_key("mines", &[Scope::Admin], "ops");
        let cases = [
            (None, 401, "AUTH_REQUIRED"),
            (Some("psk_unknown"), 401, "AUTH_INVALID"),
            (Some(issue_only.as_str()), 403, "SCOPE_MISSING"),
            (Some(other_admin.as_str()), 403, "SCOPE_MISSING"),
        ];
        for (key, status, code) in cases {
            let answers = [
                service.post(ROTATE, key, "{}"),
                service.put(TYPES, key, r#"{"types": ["MinesPermit"]}"#),
                match key {
                    Some(key) => service.get_with_key(TYPES, key),
                    None => service.get(TYPES, &[]),
                },
            ];
            for answer in answers {
                assert_eq!(answer.status, status, "{key:?}: {}", answer.text);
                assert_eq!(answer.body["code"], code, "{key:?}");
            }
        }
        let unknown = service.post("/tenants/nosuch/keys/rotate", Some(&admin), "{}");
        assert_eq!(
            (unknown.status, unknown.body["code"].as_str()),
            (404, Some("TENANT_UNKNOWN"))
        );
        assert_eq!(service.runtime.block_on(service.db.keys("mines")).unwrap().len(), 1);
        assert_eq!(service.count("audit_log"), 0);
        // The admin key reads the types.
        let types = service.get_with_key(TYPES, &admin);
        assert_eq!(types.status, 200, "{}", types.text);
        assert_eq!(
            types.body,
            json!({"tenant": "mines", "types": ["MinesPermit", "ExplorationLicence"]})
        );
    });
}

#[test]
fn a_key_rotated_over_http_signs_at_once_and_is_audited() {
    each_store(|service| {
        let did = passerelle_service::directory::tenant_did(&service.url, "mines");
        let rotated = service.post(ROTATE, Some(&service.key), "");
        assert_eq!(rotated.status, 201, "{}", rotated.text);
        assert_eq!(
            rotated.body,
            json!({"tenant": "mines", "keyId": "key-2", "verificationMethod": format!("{did}#key-2"), "algorithm": "ed25519"})
        );
        let line = last_audit(service);
        assert_eq!(
            (line.action.as_str(), line.actor.as_str()),
            ("rotate-key", "api-key:test")
        );
        let credential = service.issued("MX-rotated");
        assert_eq!(credential["proof"]["verificationMethod"], format!("{did}#key-2"));
        assert_eq!(service.verify(&credential, "en").status, 200);

        let p256 = service.post(ROTATE, Some(&service.key), r#"{"algorithm": "p256"}"#);
        assert_eq!(p256.status, 201, "{}", p256.text);
        assert_eq!(p256.body["keyId"], "key-3");
        let credential = service.issued("MX-p256");
        assert_eq!(credential["proof"]["verificationMethod"], format!("{did}#key-3"));
        assert_eq!(credential["proof"]["cryptosuite"], "ecdsa-jcs-2019");
        assert_eq!(service.verify(&credential, "en").status, 200);
        let document = service.get("/tenants/mines/did.json", &[]);
        assert_eq!(document.body["verificationMethod"].as_array().unwrap().len(), 3);

        for (body, code) in [
            (r#"{"algorithm": "p384"}"#, "REQUEST_INVALID"),
            (r#"{"algorithm": 256}"#, "REQUEST_INVALID"),
            (r#"{"hsm": true}"#, "REQUEST_INVALID"),
            ("[]", "JSON_NOT_OBJECT"),
            (r#"{"algorithm": "p256", "algorithm": "ed25519"}"#, "JSON_DUPLICATE_KEY"),
        ] {
            let refused = service.post(ROTATE, Some(&service.key), body);
            assert_eq!(refused.status, 400, "{body}: {}", refused.text);
            assert_eq!(refused.body["code"], code, "{body}");
        }
        assert_eq!(service.runtime.block_on(service.db.keys("mines")).unwrap().len(), 3);
    });
}

#[test]
fn a_tenant_signing_in_an_hsm_is_not_rotated_to_a_local_key_over_http() {
    each_store(|service| {
        // The row as `tenant create --hsm` writes it: a label, no sealed secret.
        service.runtime.block_on(async {
            sqlx::query("UPDATE tenant_keys SET sealed_secret = NULL, hsm_label = 'passerelle/mines/key-1'")
                .execute(service.db.pool())
                .await
                .unwrap();
        });
        let refused = service.post_with(ROTATE, Some(&service.key), "{}", &[("accept-language", "fr")]);
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert_eq!(refused.body["code"], "KEY_IN_HSM");
        assert_eq!(refused.body["title"], refused.body["titles"]["fr"]);
        assert_ne!(refused.body["titles"]["fr"], refused.body["titles"]["en"]);
        assert!(refused.text.contains("--hsm"), "{}", refused.text);
        assert_eq!(service.runtime.block_on(service.db.keys("mines")).unwrap().len(), 1);
    });
}

#[test]
fn types_replaced_over_http_apply_at_once_and_bad_lists_change_nothing() {
    each_store(|service| {
        assert_eq!(service.issue_type("MinesPermit").status, 201);
        let set = service.put(TYPES, Some(&service.key), r#"{"types": ["ExplorationLicence"]}"#);
        assert_eq!(set.status, 200, "{}", set.text);
        assert_eq!(set.body, json!({"tenant": "mines", "types": ["ExplorationLicence"]}));
        let line = last_audit(service);
        assert_eq!(line.action, "set-types ExplorationLicence");
        assert_eq!(line.actor, "api-key:test");
        let refused = service.issue_type("MinesPermit");
        assert_eq!(
            (refused.status, refused.body["code"].as_str()),
            (403, Some("TYPE_NOT_ALLOWED"))
        );
        assert_eq!(service.issue_type("ExplorationLicence").status, 201);

        for body in [
            r#"{"types": []}"#,
            r#"{"types": ["VerifiableCredential"]}"#,
            r#"{"types": ["Mines Permit"]}"#,
            r#"{"types": ["https://example.org/MinesPermit"]}"#,
            r#"{"types": "MinesPermit"}"#,
            r#"{"types": [1]}"#,
            r#"{"types": ["MinesPermit"], "extra": 1}"#,
            r#"{}"#,
        ] {
            let refused = service.put(TYPES, Some(&service.key), body);
            assert_eq!(refused.status, 400, "{body}: {}", refused.text);
            assert_eq!(refused.body["code"], "REQUEST_INVALID", "{body}");
        }
        let types = service.get_with_key(TYPES, &service.key);
        assert_eq!(types.body["types"], json!(["ExplorationLicence"]));
        let set = service.put(
            TYPES,
            Some(&service.key),
            r#"{"types": ["MinesPermit", "ExplorationLicence"]}"#,
        );
        assert_eq!(set.status, 200, "{}", set.text);
        assert_eq!(service.issue_type("MinesPermit").status, 201);
    });
}
