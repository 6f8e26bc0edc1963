//! `passerelle present --format di|jwt|sd-jwt|cose`, end to end: a
//! credential issued in every format `issue` writes (Data Integrity,
//! ecdsa-sd-2023, `vc+jwt`, `vc+sd-jwt`, COSE) carried in a presentation
//! the holder signs in every presentation format, each output verified by
//! `passerelle verify` for the verifier's challenge and domain, and what
//! cannot be presented that way refused with a message. Every time is fixed.

mod common;

use common::cli::{failed_code, passerelle, run, temp_dir, Files};

const AT: &str = "2026-12-01T10:00:00Z";
const NONCE: &str = "n-4711";
const AUDIENCE: &str = "https://clerk.example";

/// Keys, the unsigned credential and the credential issued in each format,
/// in the scratch folder `name`.
fn issued(name: &str) -> Files {
    let files = Files { dir: temp_dir(name) };
    run(&["key", "generate", "--out", &files.path("issuer.json")]);
    run(&[
        "key",
        "generate",
        "--type",
        "p256",
        "--out",
        &files.path("issuer-p256.json"),
    ]);
    run(&["key", "generate", "--type", "p384", "--out", &files.path("holder.json")]);
    let unsigned = files.write(
        "age.json",
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            "type": ["VerifiableCredential", "ExampleAgeCredential"], "issuer": "did:example:x",
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:holder", "birthDate": "1990-05-01", "ageOver19": true}}"#,
    );
    let key = files.path("issuer.json");
    let issue = |out: &str, extra: &[&str]| {
        let mut args = vec!["issue", "--key", &key, "--set-issuer", "--at", AT];
        args.extend(extra);
        args.push(&unsigned);
        files.write(out, &run(&args));
    };
    issue("age.di.json", &[]);
    issue("age.jwt", &["--format", "jwt"]);
    issue(
        "age.sd-jwt",
        &[
            "--format",
            "sd-jwt",
            "--disclose",
            "/credentialSubject/birthDate",
            "--disclose",
            "/credentialSubject/ageOver19",
        ],
    );
    issue("age.cose", &["--format", "cose"]);
    let p256 = files.path("issuer-p256.json");
    files.write(
        "age.ecdsa-sd.json",
        &run(&[
            "issue",
            "--key",
            &p256,
            "--set-issuer",
            "--cryptosuite",
            "ecdsa-sd-2023",
            "--mandatory",
            "/credentialSubject/id",
            "--at",
            AT,
            &unsigned,
        ]),
    );
    files
}

const CREDENTIALS: [&str; 5] = ["age.di.json", "age.jwt", "age.sd-jwt", "age.cose", "age.ecdsa-sd.json"];

/// The credentials whose holder may show some claims only.
const SELECTIVE: [&str; 2] = ["age.sd-jwt", "age.ecdsa-sd.json"];

/// `present --format FORMAT` of `credentials` with `extra` options, for the
/// verifier's nonce and audience: the output's path.
fn present(files: &Files, format: &str, credentials: &[&str], extra: &[&str]) -> String {
    let holder = files.path("holder.json");
    let mut args = vec![
        "present",
        "--format",
        format,
        "--holder-key",
        &holder,
        "--nonce",
        NONCE,
        "--audience",
        AUDIENCE,
        "--at",
        AT,
    ];
    args.extend(extra);
    let paths: Vec<String> = credentials.iter().map(|c| files.path(c)).collect();
    args.extend(paths.iter().map(String::as_str));
    files.write(&format!("vp.{format}"), &run(&args))
}

/// The claims a verified SD-JWT credential's report says were disclosed.
fn disclosed(report: &serde_json::Value) -> Vec<&str> {
    let proof = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "proof")
        .unwrap();
    proof["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "disclosed")
        .map(|e| e["value"].as_str().unwrap())
        .collect()
}

/// `verify --json` of `path` with `challenge` and the audience: (exit code, report).
fn verify(path: &str, challenge: &str) -> (i32, serde_json::Value) {
    let output = passerelle(&[
        "verify",
        path,
        "--json",
        "--at",
        AT,
        "--challenge",
        challenge,
        "--domain",
        AUDIENCE,
    ]);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{path}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), report)
}

#[test]
fn every_presentation_format_carries_every_credential_format() {
    let files = issued("present-formats");
    for format in ["di", "jwt", "sd-jwt", "cose"] {
        let vp = present(&files, format, &CREDENTIALS, &[]);
        let (code, report) = verify(&vp, NONCE);
        assert_eq!(code, 0, "{format}: {report:#}");
        assert_eq!(report["kind"], "presentation", "{format}");
        let credentials = report["credentials"].as_array().unwrap();
        assert_eq!(credentials.len(), CREDENTIALS.len(), "{format}");
        // Nothing chosen: the SD-JWT shows none of its disclosable claims.
        assert!(disclosed(&credentials[2]).is_empty(), "{format}");

        let (code, report) = verify(&vp, "n-other");
        assert_eq!(code, 1, "{format}");
        assert_eq!(failed_code(&report), "CHALLENGE_MISMATCH", "{format}");
    }
}

#[test]
fn the_holder_shows_only_the_chosen_claims_of_each_selective_credential() {
    let files = issued("present-chosen");
    let chosen = ["--disclose", "/credentialSubject/ageOver19"];
    for format in ["di", "sd-jwt"] {
        let vp = present(&files, format, &SELECTIVE, &chosen);
        let (code, report) = verify(&vp, NONCE);
        assert_eq!(code, 0, "{format}: {report:#}");
        let credentials = report["credentials"].as_array().unwrap();
        assert_eq!(disclosed(&credentials[0]), ["/credentialSubject/ageOver19"], "{format}");
        if format == "di" {
            let vp: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&vp).unwrap()).unwrap();
            let derived = &vp["verifiableCredential"][1];
            assert_eq!(derived["proof"]["cryptosuite"], "ecdsa-sd-2023");
            assert_eq!(derived["credentialSubject"]["ageOver19"], true);
            assert!(derived["credentialSubject"].get("birthDate").is_none(), "{derived:#}");
        }
    }
    // A credential signed whole would show the birth date: refused, named.
    let holder = files.path("holder.json");
    for whole in ["age.di.json", "age.jwt", "age.cose"] {
        let (sd_jwt, other) = (files.path("age.sd-jwt"), files.path(whole));
        let output = passerelle(&[
            "present",
            "--format",
            "jwt",
            "--holder-key",
            &holder,
            "--disclose",
            "/credentialSubject/ageOver19",
            "--at",
            AT,
            &sd_jwt,
            &other,
        ]);
        assert_eq!(output.status.code(), Some(2), "{whole}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(whole) && stderr.contains("signed whole"),
            "{whole}: {stderr}"
        );
    }
}

#[test]
fn what_cannot_be_carried_is_refused_with_a_message() {
    let files = issued("present-refusals");
    let holder = files.path("holder.json");
    // An SD-JWT VC is not a VCDM credential.
    let claims = files.write(
        "pid.json",
        r#"{"vct": "https://example.gc.ca/age", "age_over_19": true}"#,
    );
    let key = files.path("issuer.json");
    let sd_jwt_vc = files.write(
        "pid.sd-jwt",
        &run(&["issue", "--key", &key, "--format", "sd-jwt-vc", "--at", AT, &claims]),
    );
    // An SD-JWT bound to a holder key: its Key Binding JWT is for one verifier.
    let age = files.path("age.json");
    let bound = files.write(
        "bound.sd-jwt",
        &run(&[
            "issue",
            "--key",
            &key,
            "--set-issuer",
            "--format",
            "sd-jwt",
            "--holder-key",
            &holder,
            "--at",
            AT,
            &age,
        ]),
    );
    let not_a_credential = files.write("note.txt", "hello");
    let unsigned = files.path("age.json");
    let jwt = files.path("age.jwt");
    let vp = files.write(
        "vp.jwt",
        &run(&["present", "--format", "jwt", "--holder-key", &holder, "--at", AT, &jwt]),
    );
    for (path, expected) in [
        (&sd_jwt_vc, "dc+sd-jwt"),
        (&bound, "cnf"),
        (&not_a_credential, "not a credential"),
        (&unsigned, "no proof"),
        (&vp, "a presentation, not a credential"),
    ] {
        let output = passerelle(&["present", "--format", "jwt", "--holder-key", &holder, "--at", AT, path]);
        assert_eq!(output.status.code(), Some(2), "{path}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{path}: {stderr}");
    }
    // A claim no credential has.
    let sd_jwt = files.path("age.sd-jwt");
    let output = passerelle(&[
        "present",
        "--format",
        "jwt",
        "--holder-key",
        &holder,
        "--disclose",
        "/credentialSubject/height",
        &sd_jwt,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no credential has a claim there"));
    // Several credentials without --format; a Key Binding JWT without its verifier.
    let cose = files.path("age.cose");
    let output = passerelle(&["present", &jwt, &cose]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format"));
    let output = passerelle(&["present", &sd_jwt, "--holder-key", &holder]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--nonce"));
    // In French too.
    let output = passerelle(&["--lang", "fr", "present", &jwt, &cose]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("plusieurs attestations"));
}
