//! Many `passerelle` processes on one status store at once: issuances
//! (`issue --status-store`) and revocations (`status revoke`) run
//! concurrently, and the list they leave must hold every index handed out,
//! each once, and every revocation that reported success.

mod common;

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};

use common::cli::{run, temp_dir, Files};
use passerelle::status::{FileStatusStore, StatusStore};

const AT: &str = "2026-12-01T10:00:00Z";
const LIST: &str = "https://status.example.gc.ca/lists/concurrent";
/// Credentials issued one after the other first, revoked concurrently later.
const REVOCABLE: usize = 8;
/// Issuers started together (with the revocations).
const ISSUERS: usize = 32;

/// Starts `passerelle` with `args` without waiting for it.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start passerelle")
}

fn issue_args(files: &Files) -> Vec<String> {
    [
        "issue",
        "--key",
        &files.path("issuer.json"),
        "--set-issuer",
        "--at",
        AT,
        "--status-store",
        &files.path("store"),
        "--status-list",
        LIST,
        &files.path("unsigned.json"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The `statusListIndex` of an issued credential's one entry.
fn index_of(credential: &[u8]) -> u64 {
    let credential: serde_json::Value = serde_json::from_slice(credential).unwrap();
    let entry = &credential["credentialStatus"][0];
    assert_eq!(entry["statusListCredential"], LIST);
    entry["statusListIndex"].as_str().unwrap().parse().unwrap()
}

#[test]
fn concurrent_issuances_and_revocations_are_all_kept() {
    let files = Files {
        dir: temp_dir("status-store-lock"),
    };
    run(&["key", "generate", "--out", &files.path("issuer.json")]);
    run(&[
        "status",
        "create",
        "--store",
        &files.path("store"),
        "--url",
        LIST,
        "--purpose",
        "revocation",
    ]);
    files.write(
        "unsigned.json",
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:x","credentialSubject":{"id":"did:example:h"}}"#,
    );
    let args = issue_args(&files);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    let mut issued: Vec<u64> = Vec::new();
    let mut revocable = Vec::new();
    for i in 0..REVOCABLE {
        let credential = run(&args);
        issued.push(index_of(credential.as_bytes()));
        revocable.push(files.write(&format!("revocable-{i}.json"), &credential));
    }

    // Every process is started before any is waited for.
    let issuers: Vec<Child> = (0..ISSUERS).map(|_| spawn(&args)).collect();
    let store = files.path("store");
    let revokers: Vec<(u64, Child)> = revocable
        .iter()
        .zip(&issued)
        .map(|(credential, &index)| {
            let child = spawn(&["status", "revoke", "--store", &store, "--credential", credential]);
            (index, child)
        })
        .collect();

    let mut failures = Vec::new();
    for child in issuers {
        let output = child.wait_with_output().unwrap();
        if output.status.success() {
            issued.push(index_of(&output.stdout));
        } else {
            failures.push(format!("issue: {}", String::from_utf8_lossy(&output.stderr)));
        }
    }
    let mut revoked = Vec::new();
    for (index, child) in revokers {
        let output = child.wait_with_output().unwrap();
        if output.status.success() {
            assert!(String::from_utf8_lossy(&output.stdout).starts_with("revoked"));
            revoked.push(index);
        } else {
            failures.push(format!("revoke: {}", String::from_utf8_lossy(&output.stderr)));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let list = FileStatusStore::open(&store).unwrap().load(LIST).unwrap().unwrap();
    let mut problems = Vec::new();
    let distinct: HashSet<u64> = issued.iter().copied().collect();
    if distinct.len() != issued.len() {
        problems.push(format!(
            "{} indexes handed to {} credentials",
            distinct.len(),
            issued.len()
        ));
    }
    if list.allocated_count != issued.len() as u64 {
        problems.push(format!(
            "{} issuances succeeded, the list counts {} allocations",
            issued.len(),
            list.allocated_count
        ));
    }
    let lost: Vec<u64> = revoked
        .iter()
        .copied()
        .filter(|&index| list.get(index).unwrap() != 1)
        .collect();
    if !lost.is_empty() {
        problems.push(format!(
            "{} of {} revocations reported done are not in the list",
            lost.len(),
            revoked.len()
        ));
    }
    let leftovers: Vec<String> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("temporary files left: {leftovers:?}"));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    std::fs::remove_dir_all(&files.dir).unwrap();
}
