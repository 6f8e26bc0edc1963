//! Verification endpoints behind authentication (`serve
//! --verify-requires-auth`): a credential with the `verify` scope is asked
//! for before the body is read; without the option they are public. On
//! SQLite, and on PostgreSQL when the test command gives a cluster.

mod common;

use common::{start, start_with, stores, Setup};
use passerelle_service::auth::Scope;
use passerelle_service::http::Limits;
use serde_json::json;

#[test]
fn verification_asks_for_the_verify_scope_when_configured() {
    for store in stores() {
        let service = start_with(
            store,
            Setup {
                verify_requires_auth: true,
                ..Setup::default()
            },
        );
        // The service's own key (issue, status, admin) issues the permit.
        let credential = service.issued("P-1");
        let body = json!({"verifiableCredential": credential}).to_string();
        service.add_registrar(&service.keys());
        let verifier = service.api_key("mines", &[Scope::Verify], "counter");
        let other_tenant = service.api_key("registrar", &[Scope::Verify], "registrar-desk");
        let no_verify = service.key.clone();
        for path in ["/credentials/verify", "/tenants/mines/credentials/verify"] {
            let cases = [
                (None, 401, Some("AUTH_REQUIRED")),
                (Some("psk_unknown"), 401, Some("AUTH_INVALID")),
                (Some(no_verify.as_str()), 403, Some("SCOPE_MISSING")),
                (Some(verifier.as_str()), 200, None),
            ];
            for (key, status, code) in cases {
                let answer = service.post(path, key, &body);
                assert_eq!(answer.status, status, "{path} {key:?}: {}", answer.text);
                assert_eq!(answer.body["code"].as_str(), code, "{path} {key:?}");
            }
        }
        // Another tenant's verify scope: any tenant's on the service-wide
        // route, only that tenant's on a tenant's own.
        assert_eq!(
            service.post("/credentials/verify", Some(&other_tenant), &body).status,
            200
        );
        let answer = service.post("/tenants/mines/credentials/verify", Some(&other_tenant), &body);
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (403, Some("SCOPE_MISSING"))
        );
        // Presentations follow the same rule.
        let answer = service.post("/presentations/verify", None, r#"{"verifiablePresentation": {}}"#);
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (401, Some("AUTH_REQUIRED"))
        );
    }
}

#[test]
fn verification_is_public_by_default() {
    for store in stores() {
        let service = start(store, Limits::default());
        let credential = service.issued("P-2");
        let body = json!({"verifiableCredential": credential}).to_string();
        assert_eq!(service.post("/credentials/verify", None, &body).status, 200);
        assert_eq!(
            service.post("/tenants/mines/credentials/verify", None, &body).status,
            200
        );
    }
}
