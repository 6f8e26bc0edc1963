//! `passerelle issue --cryptosuite ecdsa-sd-2023`, `passerelle present` and
//! `passerelle verify`, end to end: an age credential with a P-256 key, its
//! base proof refused by a verifier, the over-19 claim alone shown with a
//! derived proof and verified, and the holder's and issuer's mistakes
//! refused with their codes. Every time is fixed.

mod common;

use common::cli::{failed_code, passerelle, run, temp_dir, Files};

/// The time of issuance, and of verification (the credential has no end).
const AT: &str = "2026-12-01T10:00:00Z";

/// The issuer's P-256 key and the unsigned credential, in the scratch folder `name`.
fn unsigned(name: &str) -> Files {
    let files = Files { dir: temp_dir(name) };
    run(&["key", "generate", "--type", "p256", "--out", &files.path("issuer.json")]);
    files.write(
        "age.json",
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            "type": ["VerifiableCredential", "ExampleAgeCredential"], "issuer": "did:example:x",
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:holder", "birthDate": "1990-05-01", "ageOver19": true}}"#,
    );
    files
}

/// `issue --cryptosuite ecdsa-sd-2023` with `extra` options: the base credential's path.
fn issue(files: &Files, extra: &[&str]) -> String {
    let mut args = vec!["issue", "--cryptosuite", "ecdsa-sd-2023", "--set-issuer", "--at", AT];
    let (key, credential) = (files.path("issuer.json"), files.path("age.json"));
    args.extend(["--key", &key]);
    args.extend(extra);
    args.push(&credential);
    files.write("base.json", &run(&args))
}

/// `verify --json` of `path`: (exit code, report).
fn verify(path: &str) -> (i32, serde_json::Value) {
    let output = passerelle(&["verify", path, "--json", "--at", AT]);
    let report = serde_json::from_slice(&output.stdout).unwrap();
    (output.status.code().unwrap(), report)
}

#[test]
fn the_base_is_refused_and_over_19_alone_is_shown_and_verified() {
    let files = unsigned("ecdsa-sd-shown");
    let base = issue(&files, &[]);
    let issued: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    assert_eq!(issued["proof"]["cryptosuite"], "ecdsa-sd-2023");
    // The holder's copy is not for verifiers.
    let (code, report) = verify(&base);
    assert_eq!(
        (code, failed_code(&report)),
        (1, "DERIVED_PROOF_REQUIRED"),
        "{report:#}"
    );

    let shown = run(&["present", &base, "--disclose", "/credentialSubject/ageOver19"]);
    let derived: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(derived["credentialSubject"]["ageOver19"], true);
    assert!(derived["credentialSubject"].get("birthDate").is_none(), "{derived:#}");
    assert!(!shown.contains("1990"), "{shown}");
    // Every member outside the subject is mandatory, so shown.
    assert_eq!(derived["validFrom"], "2026-01-01T00:00:00Z");
    assert_eq!(derived["issuer"], issued["issuer"]);
    let path = files.write("shown.json", &shown);
    let (code, report) = verify(&path);
    assert_eq!(code, 0, "{report:#}");
    assert!(!report.to_string().contains("1990"));

    // A claim changed after the derivation.
    let tampered = shown.replace("\"ageOver19\": true", "\"ageOver19\": false");
    assert_ne!(tampered, shown);
    let changed = files.write("changed.json", &tampered);
    let (code, report) = verify(&changed);
    assert_eq!(
        (code, failed_code(&report)),
        (1, "PROOF_SIGNATURE_INVALID"),
        "{report:#}"
    );
}

#[test]
fn a_mandatory_claim_is_shown_without_being_chosen() {
    let files = unsigned("ecdsa-sd-mandatory");
    let base = issue(&files, &["--mandatory", "/credentialSubject/birthDate"]);
    let shown = run(&["present", &base]);
    let derived: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(derived["credentialSubject"]["birthDate"], "1990-05-01");
    assert!(derived["credentialSubject"].get("ageOver19").is_none(), "{derived:#}");
    let (code, report) = verify(&files.write("shown.json", &shown));
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn the_holders_and_issuers_mistakes_are_refused() {
    let files = unsigned("ecdsa-sd-refused");
    let base = issue(&files, &[]);
    // A claim the credential does not have cannot be presented.
    for lang in ["en", "fr"] {
        let output = passerelle(&[
            "--lang",
            lang,
            "present",
            &base,
            "--disclose",
            "/credentialSubject/name",
        ]);
        assert_eq!(output.status.code(), Some(2));
        assert!(output.stdout.is_empty());
        assert!(String::from_utf8_lossy(&output.stderr).contains("POINTER_INVALID"));
    }
    // A Key Binding is for SD-JWT.
    let output = passerelle(&[
        "present",
        &base,
        "--holder-key",
        &files.path("issuer.json"),
        "--nonce",
        "n-1",
        "--audience",
        "https://clerk.example",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("SD-JWT"));
    // A mandatory pointer that names nothing.
    let output = passerelle(&[
        "issue",
        "--key",
        &files.path("issuer.json"),
        "--set-issuer",
        "--cryptosuite",
        "ecdsa-sd-2023",
        "--mandatory",
        "/credentialSubject/name",
        "--at",
        AT,
        &files.path("age.json"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("POINTER_INVALID"));
    // --mandatory without ecdsa-sd-2023, or with another format: a usage error, in either language.
    for (lang, extra, said) in [
        ("en", &[][..], "--mandatory goes with --cryptosuite ecdsa-sd-2023"),
        ("fr", &[][..], "--mandatory va avec --cryptosuite ecdsa-sd-2023"),
        ("en", &["--cryptosuite", "ecdsa-rdfc-2019"][..], "--mandatory goes with"),
        (
            "en",
            &["--cryptosuite", "ecdsa-sd-2023", "--format", "cose"][..],
            "--mandatory goes with",
        ),
    ] {
        let (key, credential) = (files.path("issuer.json"), files.path("age.json"));
        let mut args = vec!["--lang", lang, "issue", "--key", &key, "--set-issuer", "--at", AT];
        args.extend(extra);
        args.extend(["--mandatory", "/credentialSubject/birthDate", &credential]);
        let output = passerelle(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
}

#[test]
fn a_context_that_is_not_bundled_is_given_to_issue_present_and_verify() {
    let files = unsigned("ecdsa-sd-context");
    files.write(
        "age-context.json",
        r#"{"@context": {"@protected": true,
            "AgeCredential": "https://example.org/age#AgeCredential",
            "birthDate": "https://example.org/age#birthDate",
            "ageOver19": "https://example.org/age#ageOver19"}}"#,
    );
    let credential = files.write(
        "age.json",
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/age/v1"],
            "type": ["VerifiableCredential", "AgeCredential"], "issuer": "did:example:x",
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"birthDate": "1990-05-01", "ageOver19": true}}"#,
    );
    let context = format!("https://example.org/age/v1={}", files.path("age-context.json"));
    let (key, disclose) = (files.path("issuer.json"), "/credentialSubject/ageOver19");
    // Without the context, nothing can be signed or derived.
    let mut args = vec!["issue", "--key", &key, "--set-issuer", "--cryptosuite", "ecdsa-sd-2023"];
    args.extend(["--at", AT, &credential]);
    let output = passerelle(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("CONTEXT_UNKNOWN"));
    args.extend(["--context", &context]);
    let base = files.write("base.json", &run(&args));
    let output = passerelle(&["present", &base, "--disclose", disclose]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("CONTEXT_UNKNOWN"));
    let shown = run(&["present", &base, "--disclose", disclose, "--context", &context]);
    assert!(!shown.contains("birthDate"), "{shown}");
    let shown = files.write("shown.json", &shown);
    let output = passerelle(&["verify", &shown, "--at", AT, "--context", &context]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
