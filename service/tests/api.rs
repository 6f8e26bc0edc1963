//! The VCALM endpoints end to end over HTTP, on SQLite and (when the test
//! command started it) PostgreSQL: issue, verify, revoke, suspend,
//! reinstate, published lists, DID documents, key rotation, idempotency,
//! and every refusal with its code and nothing written.

mod common;

use std::collections::HashSet;

use common::{permit_credential, start, stores, Service};
use passerelle_service::http::Limits;
use serde_json::{json, Value};

fn each_store(test: impl Fn(&Service)) {
    for store in stores() {
        let service = start(store, Limits::default());
        test(&service);
    }
}

fn failure_codes(answer: &common::Answer) -> Vec<String> {
    answer.body["problemDetails"]
        .as_array()
        .map(|a| a.iter().map(|p| p["code"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn issue_verify_revoke_verify_says_revoked_in_both_languages() {
    each_store(|service| {
        let credential = service.issued("MX-1");
        assert_eq!(credential["issuer"], service.url_did());
        assert_eq!(
            credential["proof"]["verificationMethod"],
            format!("{}#key-1", service.url_did())
        );
        let verified = service.verify(&credential, "en");
        assert_eq!(verified.status, 200, "{}", verified.text);
        assert_eq!(verified.body["verified"], true);

        let id = credential["id"].as_str().unwrap();
        let revoked = service.set_status(id, "revocation", true);
        assert_eq!(revoked.status, 200, "{}", revoked.text);

        let refused = service.verify(&credential, "fr-CA,fr;q=0.9");
        assert_eq!(refused.status, 400);
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(refused.body["code"], "CREDENTIAL_REVOKED");
        assert_eq!(refused.body["title"], "L’attestation a été révoquée.");
        assert_eq!(refused.body["titles"]["en"], "The credential has been revoked.");
        assert_eq!(refused.body["verified"], false);
        assert_eq!(failure_codes(&refused), ["CREDENTIAL_REVOKED"]);
        assert_eq!(refused.body["report"]["verified"], false);

        // A revocation is final.
        let undo = service.set_status(id, "revocation", false);
        assert_eq!(
            (undo.status, undo.body["code"].as_str()),
            (409, Some("STATUS_CHANGE_INVALID"))
        );
        assert_eq!(service.verify(&credential, "en").body["code"], "CREDENTIAL_REVOKED");
    });
}

#[test]
fn suspension_is_reversible_and_each_change_is_seen_by_the_next_verification() {
    each_store(|service| {
        let credential = service.issued("MX-2");
        let id = credential["id"].as_str().unwrap();
        for round in 0..3 {
            assert_eq!(service.set_status(id, "suspension", true).status, 200);
            let refused = service.verify(&credential, "en");
            assert_eq!(
                refused.body["code"], "CREDENTIAL_SUSPENDED",
                "round {round}: {}",
                refused.text
            );
            assert_eq!(service.set_status(id, "suspension", false).status, 200);
            let verified = service.verify(&credential, "en");
            assert_eq!(verified.status, 200, "round {round}: {}", verified.text);
        }
        // An unchanged status writes nothing to the audit log.
        let before = service.count("audit_log");
        assert_eq!(service.set_status(id, "suspension", false).status, 200);
        assert_eq!(service.count("audit_log"), before);
    });
}

#[test]
fn published_lists_are_signed_cached_by_etag_and_signed_again_after_a_change() {
    each_store(|service| {
        let credential = service.issued("MX-3");
        let entry = credential["credentialStatus"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["statusPurpose"] == "revocation")
            .unwrap()
            .clone();
        let list_url = entry["statusListCredential"].as_str().unwrap();
        let path = list_url.strip_prefix(&service.url).unwrap();
        let first = service.get(path, &[]);
        assert_eq!(first.status, 200);
        assert_eq!(
            first.body["type"],
            json!(["VerifiableCredential", "BitstringStatusListCredential"])
        );
        assert_eq!(first.body["issuer"], service.url_did());
        assert!(first.body["validUntil"].is_string());
        let etag = first.etag.clone().unwrap();
        assert_eq!(service.get(path, &[("if-none-match", &etag)]).status, 304);

        assert_eq!(
            service
                .set_status(credential["id"].as_str().unwrap(), "revocation", true)
                .status,
            200
        );
        let second = service.get(path, &[("if-none-match", &etag)]);
        assert_eq!(second.status, 200);
        assert_ne!(second.etag.unwrap(), etag);
        assert_ne!(
            second.body["credentialSubject"]["encodedList"],
            first.body["credentialSubject"]["encodedList"]
        );
        // The published list verifies as a credential of the tenant.
        assert_eq!(service.verify(&second.body, "en").status, 200);
        assert_eq!(service.get("/tenants/mines/status/revocation/99", &[]).status, 404);
    });
}

#[test]
fn status_indexes_are_random_and_never_shared() {
    each_store(|service| {
        let mut seen = HashSet::new();
        for n in 0..40 {
            let credential = service.issued(&format!("MX-{n}"));
            for entry in credential["credentialStatus"].as_array().unwrap() {
                let key = (
                    entry["statusListCredential"].as_str().unwrap().to_owned(),
                    entry["statusListIndex"].as_str().unwrap().to_owned(),
                );
                assert!(seen.insert(key.clone()), "index handed out twice: {key:?}");
            }
        }
        // 80 indexes drawn from 131 072 are not consecutive.
        let indexes: Vec<u64> = seen.iter().map(|(_, i)| i.parse().unwrap()).collect();
        assert!(indexes.iter().any(|i| *i > 1000));
        assert_eq!(service.count("status_entries"), 80);
        assert_eq!(service.count("audit_log"), 80);
    });
}

#[test]
fn the_did_document_keeps_retired_keys_and_both_generations_verify() {
    each_store(|service| {
        let before = service.issued("MX-old");
        let rotated = service.runtime.block_on(passerelle_service::admin::rotate_key(
            &service.db,
            &service.keys(),
            "mines",
            passerelle_service::keys::Algorithm::P256,
            false,
            "test",
            common::clock(),
        ));
        assert_eq!(rotated.unwrap(), "key-2");
        // A rotation made in the database (the CLI, another instance) is
        // picked up by issuance within a second.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let after = service.issued("MX-new");
        assert_eq!(
            after["proof"]["verificationMethod"],
            format!("{}#key-2", service.url_did())
        );
        assert_eq!(after["proof"]["cryptosuite"], "ecdsa-jcs-2019");
        assert_eq!(service.verify(&before, "en").status, 200);
        assert_eq!(service.verify(&after, "en").status, 200);
        let document = service.get("/tenants/mines/did.json", &[]);
        assert_eq!(document.body["verificationMethod"].as_array().unwrap().len(), 2);
        assert_eq!(document.body["assertionMethod"].as_array().unwrap().len(), 2);
        let did = service.url_did().replace('%', "%25");
        let resolved = service.get(&format!("/1.0/identifiers/{did}"), &[]);
        assert_eq!(resolved.status, 200, "{}", resolved.text);
        assert_eq!(resolved.body["didDocument"], document.body);
        assert_eq!(
            service.get("/1.0/identifiers/did:web:elsewhere.example", &[]).status,
            404
        );
    });
}

#[test]
fn an_idempotency_key_replays_its_credential_and_refuses_another_request() {
    each_store(|service| {
        let body = json!({"credential": permit_credential("MX-idem")}).to_string();
        let headers = [("idempotency-key", "order-17")];
        let first = service.post_with("/tenants/mines/credentials/issue", Some(&service.key), &body, &headers);
        assert_eq!(first.status, 201, "{}", first.text);
        let again = service.post_with("/tenants/mines/credentials/issue", Some(&service.key), &body, &headers);
        assert_eq!(again.status, 201);
        assert_eq!(again.body, first.body);
        assert_eq!(service.count("credentials"), 1);
        let other = json!({"credential": permit_credential("MX-other")}).to_string();
        let conflict = service.post_with("/tenants/mines/credentials/issue", Some(&service.key), &other, &headers);
        assert_eq!(
            (conflict.status, conflict.body["code"].as_str()),
            (409, Some("IDEMPOTENCY_CONFLICT"))
        );
        // Kept under its key, the credential can be read back.
        let id = first.body["verifiableCredential"]["id"].as_str().unwrap();
        let path = format!("/tenants/mines/credentials/{}", id.replace(':', "%3A"));
        let unauthenticated = service.get(&path, &[]);
        assert_eq!(unauthenticated.status, 401);
        let auth = format!("Bearer {}", service.key);
        let read = service.get(&path, &[("authorization", &auth)]);
        assert_eq!(read.status, 200, "{}", read.text);
        assert_eq!(read.body, first.body);
    });
}

/// A bad request: its name, path, API key, body, and the status and code expected.
type Case<'a> = (&'a str, &'a str, Option<&'a str>, String, u16, &'a str);

/// Each bad request is refused with its status and code, and writes nothing.
#[test]
fn bad_requests_are_problems_with_codes_and_write_nothing() {
    each_store(|service| {
        service.add_registrar(&service.keys());
        let other_key = service.api_key("registrar", &[passerelle_service::auth::Scope::Issue], "reg");
        let status_only = service.runtime.block_on(passerelle_service::admin::create_api_key(
            &service.db,
            "mines",
            &[passerelle_service::auth::Scope::Status],
            "clerk",
            common::clock(),
        ));
        let status_only = status_only.unwrap();
        let good = json!({"credential": permit_credential("MX-9")}).to_string();
        let wrong_type = json!({"credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "IncorporationCertificate"],
            "credentialSubject": {"id": "did:example:co"},
        }})
        .to_string();
        let foreign_issuer = json!({"credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "MinesPermit"],
            "issuer": "did:example:someone-else",
            "credentialSubject": {"id": "did:example:co"},
        }})
        .to_string();
        let issue = "/tenants/mines/credentials/issue";
        let cases: Vec<Case> = vec![
            ("malformed JSON", issue, Some(&service.key), "{\"credential\":".into(), 400, "JSON_MALFORMED"),
            ("duplicate key", issue, Some(&service.key), "{\"credential\":{},\"credential\":{}}".into(), 400, "JSON_DUPLICATE_KEY"),
            ("not an object", issue, Some(&service.key), "[1]".into(), 400, "JSON_NOT_OBJECT"),
            ("unknown tenant", "/tenants/nobody/credentials/issue", Some(&service.key), good.clone(), 404, "TENANT_UNKNOWN"),
            ("no credential", issue, None, good.clone(), 401, "AUTH_REQUIRED"),
            ("unknown key", issue, Some("psk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), good.clone(), 401, "AUTH_INVALID"),
            ("not an API key", issue, Some("eyJhbGciOiJub25lIn0.e30."), good.clone(), 401, "AUTH_INVALID"),
            ("another tenant's key", issue, Some(&other_key), good.clone(), 403, "SCOPE_MISSING"),
            ("wrong scope", issue, Some(&status_only), good.clone(), 403, "SCOPE_MISSING"),
            ("unauthorized type", issue, Some(&service.key), wrong_type, 403, "TYPE_NOT_ALLOWED"),
            ("foreign issuer", issue, Some(&service.key), foreign_issuer, 400, "REQUEST_INVALID"),
            ("unknown option", issue, Some(&service.key), json!({"credential": permit_credential("x"), "options": {"format": "jwt"}}).to_string(), 400, "REQUEST_INVALID"),
            ("unknown member", issue, Some(&service.key), json!({"credential": permit_credential("x"), "extra": 1}).to_string(), 400, "REQUEST_INVALID"),
            ("status of nothing", "/tenants/mines/credentials/status", Some(&service.key), json!({"credentialId": "urn:uuid:0", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, "status": true}).to_string(), 404, "CREDENTIAL_UNKNOWN"),
            ("status without scope", "/tenants/mines/credentials/status", Some(&other_key), json!({"credentialId": "urn:uuid:0", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, "status": true}).to_string(), 403, "SCOPE_MISSING"),
            ("unknown verify option", "/credentials/verify", None, json!({"verifiableCredential": {}, "options": {"checks": []}}).to_string(), 400, "REQUEST_INVALID"),
        ];
        for (name, path, key, body, status, code) in cases {
            let answer = service.post_with(path, key, &body, &[("accept-language", "fr")]);
            assert_eq!(answer.status, status, "{name}: {}", answer.text);
            assert_eq!(answer.body["code"], code, "{name}: {}", answer.text);
            assert_eq!(answer.content_type, "application/problem+json", "{name}");
            let title = answer.body["title"].as_str().unwrap();
            assert_eq!(title, answer.body["titles"]["fr"].as_str().unwrap(), "{name}");
            assert_ne!(title, answer.body["titles"]["en"].as_str().unwrap(), "{name}");
        }
        assert_eq!(service.count("credentials"), 0);
        assert_eq!(service.count("audit_log"), 0);
        assert_eq!(service.count("status_entries"), 0);
        let missing = service.get("/no/such/path", &[]);
        assert_eq!(
            (missing.status, missing.body["code"].as_str()),
            (404, Some("NOT_FOUND"))
        );
    });
}

#[test]
fn a_tampered_credential_fails_with_the_proof_code() {
    each_store(|service| {
        let mut credential = service.issued("MX-5");
        credential["credentialSubject"]["permitNumber"] = Value::from("MX-6");
        let refused = service.verify(&credential, "en");
        assert_eq!(refused.status, 400);
        assert_eq!(refused.body["code"], "PROOF_SIGNATURE_INVALID", "{}", refused.text);
    });
}

#[test]
fn the_audit_log_names_who_issued_what_without_the_claims() {
    each_store(|service| {
        let credential = service.issued("MX-7");
        let id = credential["id"].as_str().unwrap();
        assert_eq!(service.set_status(id, "revocation", true).status, 200);
        let lines = service.runtime.block_on(service.db.audit("mines")).unwrap();
        let actions: Vec<&str> = lines.iter().map(|l| l.action.as_str()).collect();
        assert_eq!(actions, ["issue", "issue", "revoke"]);
        for line in &lines {
            assert_eq!(line.actor, "api-key:test");
            assert_eq!(line.credential_id.as_deref(), Some(id));
            assert!(line.claims.is_none());
            assert!(line.index.is_some() && line.list_url.is_some());
        }
        assert_eq!(lines[0].credential_type.as_deref(), Some("MinesPermit"));
        assert_eq!(lines[0].digest.as_ref().map(String::len), Some(64));
    });
}

#[test]
fn health_readiness_and_metrics_answer() {
    each_store(|service| {
        assert_eq!(service.get("/healthz", &[]).status, 200);
        assert_eq!(service.get("/readyz", &[]).status, 200);
        service.issued("MX-8");
        let metrics = service.get("/metrics", &[]);
        assert!(
            metrics.text.contains("passerelle_credentials_issued_total 1"),
            "{}",
            metrics.text
        );
    });
}

impl common::Service {
    fn url_did(&self) -> String {
        passerelle_service::directory::tenant_did(&self.url, "mines")
    }
}

/// `--hsm` without a PKCS#11 token configured: refused, nothing written.
#[test]
fn hsm_keys_without_a_token_are_refused_and_nothing_is_written() {
    let service = start(common::Store::Sqlite, Limits::default());
    let types = vec!["IncorporationCertificate".to_owned()];
    let new = passerelle_service::admin::NewTenant {
        id: "registrar",
        types: &types,
        algorithm: passerelle_service::keys::Algorithm::Ed25519,
        audit_claims: false,
        hsm: true,
        method: passerelle_service::admin::DidMethod::Web,
    };
    let keys = service.keys();
    let refused = service
        .runtime
        .block_on(passerelle_service::admin::create_tenant(
            &service.db,
            &keys,
            &service.url,
            &new,
            common::clock(),
        ))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("registrar")
            && refused.contains("--pkcs11-module")
            && refused.contains("PASSERELLE_PKCS11_PIN"),
        "{refused}"
    );
    assert!(service
        .runtime
        .block_on(service.db.tenant("registrar"))
        .unwrap()
        .is_none());
    let refused = service
        .runtime
        .block_on(passerelle_service::admin::rotate_key(
            &service.db,
            &keys,
            "mines",
            passerelle_service::keys::Algorithm::Ed25519,
            true,
            "test",
            common::clock(),
        ))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("mines") && refused.contains("PKCS#11"), "{refused}");
    assert_eq!(service.runtime.block_on(service.db.keys("mines")).unwrap().len(), 1);
}

/// An outside review sent one request 8 times at once under one
/// Idempotency-Key: most retries got a 409 naming an id they never saw,
/// because the first attempt was in the same uncommitted group.
#[test]
fn concurrent_retries_under_one_idempotency_key_all_get_the_first_answer() {
    each_store(|service| {
        // Background issuances keep the writer busy, so that the retries
        // land in the same group as their first attempt.
        let stop = std::sync::atomic::AtomicBool::new(false);
        let background = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        assert_eq!(service.issue("MX-background").status, 201);
                        background.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                });
            }
            // Stops the background threads even when a round fails.
            struct Stop<'a>(&'a std::sync::atomic::AtomicBool);
            impl Drop for Stop<'_> {
                fn drop(&mut self) {
                    self.0.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            let _stop = Stop(&stop);
            race_rounds(service);
        });
        let background = background.load(std::sync::atomic::Ordering::Relaxed) as i64;
        assert_eq!(service.count("credentials"), 20 + background);
    });
}

fn race_rounds(service: &Service) {
    {
        for round in 0..20 {
            let body = json!({"credential": permit_credential(&format!("MX-race-{round}"))}).to_string();
            let key = format!("race-{round}");
            let answers: Vec<common::Answer> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|_| {
                        let (body, key) = (&body, &key);
                        scope.spawn(move || {
                            service.post_with(
                                "/tenants/mines/credentials/issue",
                                Some(&service.key),
                                body,
                                &[("idempotency-key", key)],
                            )
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for answer in &answers {
                assert_eq!(answer.status, 201, "round {round}: {}", answer.text);
                assert_eq!(answer.body, answers[0].body);
            }
        }
    }
}

/// An outside review made every tenant of every instance answer 503 (and
/// the service refuse to start) by creating one tenant under another
/// key-encryption key. A tenant whose key cannot be opened is now the only
/// one refused.
#[test]
fn a_tenant_whose_key_does_not_open_is_the_only_one_refused() {
    each_store(|service| {
        let other_kek =
            passerelle_service::keys::Kek::from_base64url("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc").unwrap();
        let other_keys = passerelle_service::keys::KeyStore::new(other_kek, None);
        service.add_registrar(&other_keys);
        let key = service.api_key("registrar", &[passerelle_service::auth::Scope::Issue], "reg");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(service.issue("MX-still").status, 201);
        let credential = service.issued("MX-still-2");
        assert_eq!(service.verify(&credential, "en").status, 200);
        let body = json!({"credential": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "IncorporationCertificate"],
            "credentialSubject": {"id": "did:example:co"},
        }});
        let refused = service.post("/tenants/registrar/credentials/issue", Some(&key), &body.to_string());
        assert_eq!(
            (refused.status, refused.body["code"].as_str()),
            (503, Some("KEY_INVALID")),
            "{}",
            refused.text
        );
        assert!(!refused.text.contains("mines"), "{}", refused.text);
        // Its DID document is still published, and the others' too.
        assert_eq!(service.get("/tenants/registrar/did.json", &[]).status, 200);
        assert_eq!(service.get("/tenants/mines/did.json", &[]).status, 200);
        let metrics = service.get("/metrics", &[]);
        assert!(
            metrics.text.contains("passerelle_tenants_unavailable 1"),
            "{}",
            metrics.text
        );
        // A new instance starts.
        let restarted = service.runtime.block_on(passerelle_service::AppState::new(
            service.db.clone(),
            common::kek(),
            &service.url,
            common::clock,
        ));
        assert!(restarted.is_ok());
    });
}
