//! `passerelle issue --format sd-jwt`, `passerelle present` and
//! `passerelle verify`, end to end: an age credential whose birth date and
//! over-19 claim are disclosable, shown with the over-19 claim alone and a
//! Key Binding JWT, and the holder's mistakes and an attacker's changes
//! refused with their codes.

mod common;

use common::cli::{failed_code, passerelle, run, temp_dir, Files};

const AT: &str = "2026-12-01T10:00:00Z";

/// The issuer's and holder's keys, and the credential issued with both
/// claims disclosable, in the scratch folder `name`.
fn issued(name: &str) -> (Files, String) {
    let files = Files { dir: temp_dir(name) };
    run(&["key", "generate", "--out", &files.path("issuer.json")]);
    run(&["key", "generate", "--type", "p256", "--out", &files.path("holder.json")]);
    let credential = files.write(
        "age.json",
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "AgeCredential"], "issuer": "did:example:x",
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"birthDate": "1990-05-01", "ageOver19": true}}"#,
    );
    let sd_jwt = run(&[
        "issue",
        &credential,
        "--key",
        &files.path("issuer.json"),
        "--set-issuer",
        "--format",
        "sd-jwt",
        "--disclose",
        "/credentialSubject/birthDate",
        "--disclose",
        "/credentialSubject/ageOver19",
        "--holder-key",
        &files.path("holder.json"),
        "--at",
        AT,
    ]);
    let path = files.write("age.sdjwt", sd_jwt.trim());
    (files, path)
}

fn present(files: &Files, issued: &str, disclose: &str, nonce: &str) -> String {
    let shown = run(&[
        "present",
        issued,
        "--disclose",
        disclose,
        "--holder-key",
        &files.path("holder.json"),
        "--nonce",
        nonce,
        "--audience",
        "https://clerk.example",
        "--at",
        AT,
    ]);
    files.write(&format!("shown-{nonce}.sdjwt"), shown.trim())
}

/// `verify --json` of `path` with the clerk's nonce `n-1`: (exit code, report).
fn verify(path: &str) -> (i32, serde_json::Value) {
    let output = passerelle(&[
        "verify",
        path,
        "--json",
        "--at",
        AT,
        "--challenge",
        "n-1",
        "--domain",
        "https://clerk.example",
    ]);
    let report = serde_json::from_slice(&output.stdout).unwrap();
    (output.status.code().unwrap(), report)
}

#[test]
fn over_19_alone_is_shown_and_verified() {
    let (files, issued) = issued("sd-jwt-shown");
    let shown = present(&files, &issued, "/credentialSubject/ageOver19", "n-1");
    let (code, report) = verify(&shown);
    assert_eq!(code, 0, "{report:#}");
    // One Disclosure is sent, the over-19 claim's; the birth date's is not.
    let text = std::fs::read_to_string(&shown).unwrap();
    let sent: Vec<String> = text
        .split('~')
        .skip(1)
        .filter_map(|part| {
            use base64::Engine as _;
            let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).ok()?;
            Some(String::from_utf8(json).unwrap())
        })
        .filter(|json| json.starts_with('['))
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("ageOver19") && !sent[0].contains("1990"));
    let proof = &report["checks"][2];
    assert_eq!(proof["name"], "proof");
    let disclosed: Vec<&str> = proof["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "disclosed")
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert_eq!(disclosed, ["/credentialSubject/ageOver19"]);
}

#[test]
fn the_holders_mistakes_and_an_attackers_changes_are_refused() {
    let (files, issued) = issued("sd-jwt-refused");
    // Another verifier's nonce.
    let elsewhere = present(&files, &issued, "/credentialSubject/ageOver19", "n-2");
    assert_eq!(failed_code(&verify(&elsewhere).1), "KEY_BINDING_NONCE_MISMATCH");
    // A Disclosure sent twice.
    let shown = std::fs::read_to_string(present(&files, &issued, "/credentialSubject/ageOver19", "n-1")).unwrap();
    let parts: Vec<&str> = shown.split('~').collect();
    let reused = files.write(
        "reused.sdjwt",
        &format!("{}~{}~{}~{}", parts[0], parts[1], parts[1], parts[2]),
    );
    let (code, report) = verify(&reused);
    assert_eq!((code, failed_code(&report)), (1, "SD_JWT_DIGEST_REUSED"));
    // The issued SD-JWT itself, without the holder's Key Binding JWT.
    assert_eq!(failed_code(&verify(&issued).1), "KEY_BINDING_MISSING");
    // A claim the credential does not have cannot be presented.
    let output = passerelle(&[
        "present",
        &issued,
        "--disclose",
        "/credentialSubject/name",
        "--holder-key",
        &files.path("holder.json"),
        "--nonce",
        "n-1",
        "--audience",
        "https://clerk.example",
        "--at",
        AT,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("SD_JWT_CLAIM_NOT_FOUND"));
    // Issuing: a property of the credential itself cannot be made disclosable.
    let output = passerelle(&[
        "issue",
        &files.path("age.json"),
        "--key",
        &files.path("issuer.json"),
        "--set-issuer",
        "--format",
        "sd-jwt",
        "--disclose",
        "/validFrom",
        "--at",
        AT,
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("OPTION_INVALID"));
}

/// An IETF SD-JWT VC with a `status.status_list` claim, issued by the CLI;
/// its issuer's Status List Token (made with the library: the CLI does not
/// write them) given to `verify --status-list`, which keys it by its `sub`.
#[test]
fn an_sd_jwt_vc_is_revoked_through_its_issuers_token_status_list() {
    use passerelle::crypto::{Ed25519KeyPair, Signer};
    use passerelle::status::token::{sign_status_list_token, TokenStatusList, INVALID};
    let files = Files {
        dir: temp_dir("token-status"),
    };
    run(&["key", "generate", "--out", &files.path("issuer.json")]);
    let key_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(files.path("issuer.json")).unwrap()).unwrap();
    let key = Ed25519KeyPair::from_secret_multibase(key_file["secretKeyMultibase"].as_str().unwrap()).unwrap();
    let list_url = "https://status.bc.passerelle.example/age/1";
    let claims = |index: u64| {
        format!(
            r#"{{"vct": "https://credentials.bc.passerelle.example/age", "age_over_19": true,
            "status": {{"status_list": {{"idx": {index}, "uri": "{list_url}"}}}}}}"#
        )
    };
    let at = passerelle::Timestamp::parse(AT).unwrap();
    let mut list = TokenStatusList::new(1, 128).unwrap();
    list.set(9, INVALID).unwrap();
    let kid = passerelle::did::key::verification_method_for(&key.public_key());
    let token = files.write(
        "list.jwt",
        &sign_status_list_token(&list, list_url, at, None, &kid, &key).unwrap(),
    );
    for (index, expected) in [(8, None), (9, Some("CREDENTIAL_REVOKED"))] {
        let input = files.write("claims.json", &claims(index));
        let issued = run(&[
            "issue",
            &input,
            "--key",
            &files.path("issuer.json"),
            "--format",
            "sd-jwt-vc",
            "--at",
            AT,
        ]);
        let vc = files.write("vc.dcsdjwt", issued.trim());
        let out = passerelle(&["verify", "--json", "--at", AT, "--status-list", &token, &vc]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        match expected {
            None => assert_eq!(out.status.code(), Some(0), "{report}"),
            Some(code) => {
                assert_eq!(out.status.code(), Some(1));
                assert_eq!(failed_code(&report), code, "{report}");
            }
        }
    }
}
