//! An SD-JWT VC's status from the command line, end to end: `issue
//! --format sd-jwt-vc --status-list` writes its `status.status_list`
//! reference, `status publish --format token` the Status List Token a
//! verifier reads (`verify --status-list`, a file or a folder), and a
//! revocation or suspension shows in the next token. Every time is fixed.

mod common;

use common::cli::{failed_code, passerelle, run, temp_dir, Files};

const AT: &str = "2026-12-01T10:00:00Z";
const REVOCATIONS: &str = "https://status.example.gc.ca/age/revocation";
const SUSPENSIONS: &str = "https://status.example.gc.ca/age/suspension";

fn setup(name: &str) -> Files {
    let files = Files { dir: temp_dir(name) };
    run(&["key", "generate", "--type", "p256", "--out", &files.path("issuer.json")]);
    let store = files.path("store");
    for (url, purpose) in [(REVOCATIONS, "revocation"), (SUSPENSIONS, "suspension")] {
        run(&[
            "status",
            "create",
            "--store",
            &store,
            "--url",
            url,
            "--purpose",
            purpose,
        ]);
    }
    files.write(
        "pid.json",
        r#"{"vct": "https://example.gc.ca/age", "age_over_19": true}"#,
    );
    files
}

/// `issue --format sd-jwt-vc` with an entry in `list`: the SD-JWT's path and its index.
fn issue(files: &Files, list: &str, name: &str) -> (String, u64) {
    let (key, store, claims) = (files.path("issuer.json"), files.path("store"), files.path("pid.json"));
    let sd_jwt = run(&[
        "issue",
        "--key",
        &key,
        "--format",
        "sd-jwt-vc",
        "--status-list",
        list,
        "--status-store",
        &store,
        "--at",
        AT,
        &claims,
    ]);
    let payload = sd_jwt.split('.').nth(1).unwrap();
    use base64::Engine as _;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(payload["status"]["status_list"]["uri"], list);
    let index = payload["status"]["status_list"]["idx"].as_u64().unwrap();
    (files.write(name, sd_jwt.trim()), index)
}

/// `status publish --format token` of `list` into the folder `lists/`.
fn publish(files: &Files, list: &str, name: &str) {
    let (key, store) = (files.path("issuer.json"), files.path("store"));
    let token = run(&[
        "status", "publish", "--store", &store, "--url", list, "--key", &key, "--format", "token", "--at", AT,
    ]);
    std::fs::create_dir_all(files.dir.join("lists")).unwrap();
    files.write(&format!("lists/{name}.jwt"), token.trim());
}

/// `status ACTION` (revoke, suspend, reinstate) of the entry `index` of `list`.
fn change_status(files: &Files, action: &str, list: &str, index: u64) {
    let (store, index) = (files.path("store"), index.to_string());
    run(&["status", action, "--store", &store, "--url", list, "--index", &index]);
}

/// `verify --json --status-list lists/`: the exit code and the first failed code.
fn verify(files: &Files, sd_jwt: &str) -> (i32, String) {
    let lists = files.path("lists");
    let output = passerelle(&["verify", sd_jwt, "--json", "--at", AT, "--status-list", &lists]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    (output.status.code().unwrap(), failed_code(&report).to_owned())
}

#[test]
fn a_revocation_and_a_suspension_show_in_the_next_token() {
    let files = setup("token-status");
    let (revocable, revocable_index) = issue(&files, REVOCATIONS, "revocable.sd-jwt");
    let (suspendable, suspendable_index) = issue(&files, SUSPENSIONS, "suspendable.sd-jwt");
    publish(&files, REVOCATIONS, "revocations");
    publish(&files, SUSPENSIONS, "suspensions");
    assert_eq!(verify(&files, &revocable), (0, "none".to_owned()));
    assert_eq!(verify(&files, &suspendable), (0, "none".to_owned()));

    change_status(&files, "revoke", REVOCATIONS, revocable_index);
    change_status(&files, "suspend", SUSPENSIONS, suspendable_index);
    // The verifier still holds the earlier tokens: nothing changed for it.
    assert_eq!(verify(&files, &revocable).0, 0);
    publish(&files, REVOCATIONS, "revocations");
    publish(&files, SUSPENSIONS, "suspensions");
    assert_eq!(verify(&files, &revocable), (1, "CREDENTIAL_REVOKED".to_owned()));
    assert_eq!(verify(&files, &suspendable), (1, "CREDENTIAL_SUSPENDED".to_owned()));

    change_status(&files, "reinstate", SUSPENSIONS, suspendable_index);
    publish(&files, SUSPENSIONS, "suspensions");
    assert_eq!(verify(&files, &suspendable), (0, "none".to_owned()));
}

#[test]
fn what_has_no_token_form_is_refused_before_anything_is_written() {
    let files = setup("token-status-refusals");
    let (key, store) = (files.path("issuer.json"), files.path("store"));
    let messages = "https://status.example.gc.ca/age/messages";
    let mut create = vec![
        "status",
        "create",
        "--store",
        &store,
        "--url",
        messages,
        "--purpose",
        "message",
    ];
    create.extend(["--status-size", "2"]);
    for message in ["0x0=valid", "0x1=pending", "0x2=lapsed", "0x3=other"] {
        create.extend(["--status-message", message]);
    }
    run(&create);
    let output = passerelle(&[
        "status", "publish", "--store", &store, "--url", messages, "--key", &key, "--format", "token", "--at", AT,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Token Status List"));

    let claims = files.path("pid.json");
    let with_status = files.write(
        "with-status.json",
        r#"{"vct": "https://example.gc.ca/age", "status": {}}"#,
    );
    for (input, lists, expected) in [
        (&claims, vec![REVOCATIONS, SUSPENSIONS], "one --status-list"),
        (&with_status, vec![REVOCATIONS], "already have a status"),
    ] {
        let mut args = vec![
            "issue",
            "--key",
            &key,
            "--format",
            "sd-jwt-vc",
            "--status-store",
            &store,
        ];
        for list in &lists {
            args.extend(["--status-list", list]);
        }
        args.extend(["--at", AT, input]);
        let output = passerelle(&args);
        assert_eq!(output.status.code(), Some(2), "{expected}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(expected), "{expected}");
    }
    // No index was taken by the refused issuances.
    let stored = std::fs::read_dir(&store).unwrap().count();
    assert!(stored >= 3);
    let list: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::fs::read_dir(&store)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| std::fs::read_to_string(p).unwrap().contains(REVOCATIONS))
                .unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(list["allocated_count"], 0);
}
