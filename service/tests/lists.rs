//! `list create`: a tenant's next status list, taken up by the running
//! service for the next issuances, audited. On SQLite, and on PostgreSQL
//! when the test command gives a cluster.

mod common;

use common::{clock, start, stores};
use passerelle_service::admin;
use passerelle_service::http::Limits;
use serde_json::Value;

fn list_of(credential: &Value, purpose: &str) -> String {
    let entries = credential["credentialStatus"].as_array().unwrap();
    let entry = entries.iter().find(|e| e["statusPurpose"] == purpose).unwrap();
    entry["statusListCredential"].as_str().unwrap().to_owned()
}

#[test]
fn a_list_created_by_the_command_line_takes_the_next_issuances() {
    for store in stores() {
        let service = start(store, Limits::default());
        let first = service.issued("L-1");
        let before = list_of(&first, "revocation");
        assert!(before.ends_with("/tenants/mines/status/revocation/1"), "{before}");

        let made = service.runtime.block_on(admin::create_list(
            &service.db,
            &service.url,
            "mines",
            "revocation",
            "cli",
            clock(),
        ));
        let made = made.unwrap();
        assert!(made.ends_with("/tenants/mines/status/revocation/2"), "{made}");
        let second = service.issued("L-2");
        assert_eq!(list_of(&second, "revocation"), made);
        // The other purpose keeps its list.
        assert_eq!(list_of(&second, "suspension"), list_of(&first, "suspension"));
        // Both credentials still verify; the new list is published.
        for credential in [&first, &second] {
            assert_eq!(service.verify(credential, "en").status, 200);
        }
        let path = made.strip_prefix(&service.url).unwrap();
        assert_eq!(service.get(path, &[]).status, 200);
        let audit = service.runtime.block_on(service.db.audit("mines")).unwrap();
        let line = audit.iter().find(|l| l.action == "create-list").unwrap();
        assert_eq!(line.list_url.as_deref(), Some(made.as_str()));

        for (tenant, purpose, says) in [
            ("mines", "refresh", "unknown purpose"),
            ("nosuch", "revocation", "no tenant"),
        ] {
            let refused = service.runtime.block_on(admin::create_list(
                &service.db,
                &service.url,
                tenant,
                purpose,
                "cli",
                clock(),
            ));
            assert!(refused.unwrap_err().to_string().contains(says), "{tenant} {purpose}");
        }
    }
}
