//! A change of a tenant's credential types made by the command line
//! (`tenant set-types`) against the database of a running service: the
//! service takes it within its refresh (the database's summary covers the
//! tenants' revisions), with the checks of `tenant create`, audited. On
//! SQLite, and on PostgreSQL when the test command gives a cluster.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{start, stores, Service};
use passerelle_service::http::Limits;
use serde_json::{json, Value};

fn each_store(test: impl Fn(&Service)) {
    for store in stores() {
        test(&start(store, Limits::default()));
    }
}

/// Runs `passerelle-service tenant set-types` against the service's database.
fn cli_set_types(service: &Service, tenant: &str, types: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle-service"))
        .args(["--database", &service.database, "--public-url", &service.url])
        .args(["tenant", "set-types", tenant])
        .args(types)
        .env("PASSERELLE_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        .env_remove("PASSERELLE_DATABASE")
        .output()
        .unwrap()
}

/// Issues `kind` until the answer's status is `status` (the service
/// compares the database's summary at most once a second); the last answer.
fn issue_until(service: &Service, kind: &str, status: u16) -> common::Answer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = service.issue_type(kind);
        if answer.status == status || Instant::now() > deadline {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn types_changed_by_the_command_line_reach_the_running_service() {
    each_store(|service| {
        assert_eq!(service.issue_type("MinesPermit").status, 201);
        let done = cli_set_types(service, "mines", &["ExplorationLicence"]);
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
        let refused = issue_until(service, "MinesPermit", 403);
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert_eq!(refused.body["code"], "TYPE_NOT_ALLOWED");

        let done = cli_set_types(service, "mines", &["MinesPermit", "ExplorationLicence"]);
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
        let issued = issue_until(service, "MinesPermit", 201);
        assert_eq!(issued.status, 201, "{}", issued.text);

        // Refused as `tenant create` refuses, and nothing changes.
        for (tenant, types, says) in [
            ("mines", &["VerifiableCredential"][..], "a term of the VCDM v2 context"),
            (
                "mines",
                &["VerifiablePresentation"][..],
                "a term of the VCDM v2 context",
            ),
            ("mines", &["MinesPermit", "MinesPermit"][..], "given twice"),
            ("mines", &["Mines Permit"], "a term"),
            ("nosuch", &["MinesPermit"], "no tenant \"nosuch\""),
        ] {
            let refused = cli_set_types(service, tenant, types);
            let stderr = String::from_utf8_lossy(&refused.stderr);
            assert!(!refused.status.success(), "{types:?}");
            assert!(stderr.contains(says), "{types:?}: {stderr}");
        }
        let refused = cli_set_types(service, "mines", &[]);
        assert!(!refused.status.success(), "no type given");
        let row = service.runtime.block_on(service.db.tenant("mines")).unwrap().unwrap();
        assert_eq!(row.allowed_types, ["MinesPermit", "ExplorationLicence"]);
        let lines: Vec<Value> = service
            .runtime
            .block_on(service.db.audit("mines"))
            .unwrap()
            .iter()
            .filter(|l| l.action.starts_with("set-types"))
            .map(|l| json!([l.action, l.actor]))
            .collect();
        assert_eq!(
            lines,
            [
                json!(["set-types ExplorationLicence", "cli"]),
                json!(["set-types MinesPermit ExplorationLicence", "cli"])
            ]
        );
    });
}
