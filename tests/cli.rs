//! The `passerelle` command, end to end: the must-show flows of the core.

mod common;

use common::cli::{passerelle, temp_dir};

use std::path::Path;
use std::process::Output;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn w3c_signed() -> String {
    common::conformance_dir()
        .join("vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json")
        .display()
        .to_string()
}

#[test]
fn the_w3c_vector_passes_proof_but_fails_key_binding() {
    let out = passerelle(&["verify", "--json", "--at", "2030-01-01T00:00:00Z", &w3c_signed()]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verified"], false);
    let check = |name: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(check("proof")["outcome"], "passed");
    assert_eq!(check("key_binding")["outcome"], "failed");
    assert_eq!(check("key_binding")["code"], "KEY_CONTROLLER_MISMATCH");
}

#[test]
fn resigned_by_its_did_key_it_verifies_and_any_subject_change_fails() {
    let dir = std::env::temp_dir().join(format!("passerelle-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("key.json");
    let _ = std::fs::remove_file(&key);
    let out = passerelle(&["key", "generate", "--out", key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !stdout(&out).contains("secretKeyMultibase"),
        "the secret must only go to the file"
    );

    let out = passerelle(&[
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--set-issuer",
        "--replace-proof",
        "--at",
        "2026-11-23T10:00:00Z",
        &w3c_signed(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let resigned = dir.join("resigned.json");
    std::fs::write(&resigned, &out.stdout).unwrap();

    let at = "2026-11-23T12:00:00Z";
    let out = passerelle(&["verify", "--at", at, resigned.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = passerelle(&["--lang", "fr", "verify", "--at", at, resigned.to_str().unwrap()]);
    assert!(stdout(&out).contains("Attestation: VÉRIFIÉE"), "{}", stdout(&out));

    // Change each character of the subject's alumniOf value, one at a time.
    let text = std::fs::read_to_string(&resigned).unwrap();
    let value = "The School of Examples";
    let start = text.find(value).unwrap();
    for offset in 0..value.len() {
        let mut bytes = text.clone().into_bytes();
        bytes[start + offset] = if bytes[start + offset] == b'x' { b'y' } else { b'x' };
        let tampered = dir.join("tampered.json");
        std::fs::write(&tampered, &bytes).unwrap();
        let out = passerelle(&["verify", "--json", "--at", at, tampered.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "offset {offset}");
        assert!(stdout(&out).contains("PROOF_SIGNATURE_INVALID"), "offset {offset}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_p521_key_issues_es512_tokens_and_no_data_integrity_proof() {
    let dir = temp_dir("p521");
    let key = dir.join("p521.json");
    let out = passerelle(&["key", "generate", "--type", "p521", "--out", key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("did:key:z2J9"), "{}", stdout(&out));
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:example:replaced", "credentialSubject": {"id": "did:example:holder", "name": "A-1"}}"#,
    )
    .unwrap();
    let at = "2026-11-23T12:00:00Z";
    for format in ["jwt", "cose"] {
        let (key, unsigned) = (key.to_str().unwrap(), unsigned.to_str().unwrap());
        let args = [
            "issue",
            "--key",
            key,
            "--set-issuer",
            "--format",
            format,
            "--at",
            at,
            unsigned,
        ];
        let out = passerelle(&args);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let signed = dir.join(format!("signed.{format}"));
        std::fs::write(&signed, &out.stdout).unwrap();
        let out = passerelle(&["verify", "--json", "--at", at, signed.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stdout(&out));
        assert!(stdout(&out).contains("ES512"), "{}", stdout(&out));
    }
    // No Data Integrity suite has P-521: refused with its code, nothing printed.
    let args = ["issue", "--key", key.to_str().unwrap(), "--set-issuer", "--at", at];
    let out = passerelle(&[&args[..], &[unsigned.to_str().unwrap()]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("P-521"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The VC-JOSE-COSE test suites' shape: the issuer's key is a verification
/// method with its private JWK, controlled by an https URL; the verifier is
/// given the public method and pins it.
#[test]
fn a_verification_method_key_file_issues_and_a_pinned_method_verifies() {
    let dir = temp_dir("pinned");
    let controller = "https://issuer.passerelle.example/issuers/565049";
    let key = passerelle::crypto::P384KeyPair::from_secret_bytes(&[0x44; 48]).unwrap();
    let private: serde_json::Value = serde_json::from_str(&key.to_private_jwk()).unwrap();
    let mut public = private.clone();
    public.as_object_mut().unwrap().remove("d");
    let method = serde_json::json!({"id": format!("{controller}#key-1"), "type": "JsonWebKey",
        "controller": controller, "publicKeyJwk": public});
    let mut with_secret = method.clone();
    with_secret["secretKeyJwk"] = private;
    let (key_file, method_file) = (dir.join("key.json"), dir.join("method.json"));
    std::fs::write(&key_file, with_secret.to_string()).unwrap();
    std::fs::write(&method_file, method.to_string()).unwrap();
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:example:replaced", "credentialSubject": {"id": "did:example:holder", "name": "A-1"}}"#,
    )
    .unwrap();
    let at = "2026-11-23T12:00:00Z";
    let (key_arg, unsigned_arg) = (key_file.to_str().unwrap(), unsigned.to_str().unwrap());
    for format in ["jwt", "cose", "di"] {
        let args = [
            "issue",
            "--key",
            key_arg,
            "--set-issuer",
            "--format",
            format,
            "--at",
            at,
            unsigned_arg,
        ];
        let out = passerelle(&args);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let signed = dir.join(format!("signed.{format}"));
        std::fs::write(&signed, &out.stdout).unwrap();
        let signed = signed.to_str().unwrap();
        let pinned = [
            "verify",
            "--json",
            "--at",
            at,
            "--verification-method",
            method_file.to_str().unwrap(),
            signed,
        ];
        let out = passerelle(&pinned);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stdout(&out));
        assert!(stdout(&out).contains("\"pinnedByVerifier\""), "{}", stdout(&out));
        assert!(stdout(&out).contains(controller), "{}", stdout(&out));
        // Without the pin, and offline, the https issuer's document is not there.
        let out = passerelle(&["verify", "--json", "--at", at, signed]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(stdout(&out).contains("DID_NOT_FOUND"), "{}", stdout(&out));
        // Given as a controlled identifier document instead, it verifies, found not pinned.
        let document = serde_json::json!({"id": controller, "verificationMethod": [method],
            "assertionMethod": [format!("{controller}#key-1")]});
        let document_file = dir.join("cid.json");
        std::fs::write(&document_file, document.to_string()).unwrap();
        let out = passerelle(&[
            "verify",
            "--json",
            "--at",
            at,
            "--did-document",
            document_file.to_str().unwrap(),
            signed,
        ]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stdout(&out));
        assert!(!stdout(&out).contains("pinnedByVerifier"));
    }
    // A secretKeyJwk that is not the method's key is refused before signing.
    let mut mismatched = with_secret.clone();
    mismatched["publicKeyJwk"] = passerelle::crypto::Signer::public_key(
        &passerelle::crypto::P384KeyPair::from_secret_bytes(&[0x45; 48]).unwrap(),
    )
    .to_jwk();
    std::fs::write(&key_file, mismatched.to_string()).unwrap();
    let out = passerelle(&["issue", "--key", key_arg, "--set-issuer", "--at", at, unsigned_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_p384_key_issues_ecdsa_rdfc_2019_credentials_that_verify() {
    let dir = temp_dir("p384");
    let key = dir.join("p384.json");
    let out = passerelle(&["key", "generate", "--type", "p384", "--out", key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("did:key:z82"), "{}", stdout(&out));
    let file = std::fs::read_to_string(&key).unwrap();
    assert!(file.contains("\"type\": \"P-384\""), "{file}");
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:example:replaced", "credentialSubject": {"id": "did:example:holder", "name": "A-1"}}"#,
    )
    .unwrap();
    let out = passerelle(&[
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--set-issuer",
        "--cryptosuite",
        "ecdsa-rdfc-2019",
        "--at",
        "2026-11-23T10:00:00Z",
        unsigned.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("\"ecdsa-rdfc-2019\""), "{}", stdout(&out));
    let signed = dir.join("signed.json");
    std::fs::write(&signed, &out.stdout).unwrap();
    let at = "2026-11-23T12:00:00Z";
    let out = passerelle(&["verify", "--json", "--at", at, signed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let tampered = dir.join("tampered.json");
    std::fs::write(
        &tampered,
        String::from_utf8(std::fs::read(&signed).unwrap())
            .unwrap()
            .replace("A-1", "A-2"),
    )
    .unwrap();
    let out = passerelle(&["verify", "--json", "--at", at, tampered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_p256_key_issues_ecdsa_jcs_2019_credentials_that_verify() {
    let dir = temp_dir("p256");
    let key = dir.join("p256.json");
    let out = passerelle(&["key", "generate", "--type", "p256", "--out", key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("did:key:zDn"), "{}", stdout(&out));
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:example:replaced", "credentialSubject": {"id": "did:example:holder", "licence": "A-1"}}"#,
    )
    .unwrap();
    let out = passerelle(&[
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--set-issuer",
        "--at",
        "2026-11-23T10:00:00Z",
        unsigned.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("\"ecdsa-jcs-2019\""), "{}", stdout(&out));
    let signed = dir.join("signed.json");
    std::fs::write(&signed, &out.stdout).unwrap();
    let at = "2026-11-23T12:00:00Z";
    let out = passerelle(&["verify", "--json", "--at", at, signed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let tampered = dir.join("tampered.json");
    std::fs::write(
        &tampered,
        String::from_utf8(std::fs::read(&signed).unwrap())
            .unwrap()
            .replace("A-1", "A-2"),
    )
    .unwrap();
    let out = passerelle(&["verify", "--json", "--at", at, tampered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("PROOF_SIGNATURE_INVALID"), "{}", stdout(&out));

    // The same credential as a compact vc+jwt (ES256): verify takes the file as is.
    let out = passerelle(&[
        "issue",
        "--key",
        key.to_str().unwrap(),
        "--set-issuer",
        "--jwt",
        "--at",
        "2026-11-23T10:00:00Z",
        unsigned.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let jwt = dir.join("credential.jwt");
    std::fs::write(&jwt, &out.stdout).unwrap();
    let out = passerelle(&["verify", "--json", "--at", at, jwt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("\"ES256\""), "{}", stdout(&out));
    let text = String::from_utf8(std::fs::read(&jwt).unwrap()).unwrap();
    let mut parts: Vec<String> = text.trim().split('.').map(str::to_owned).collect();
    let flipped = if parts[1].ends_with('A') { 'B' } else { 'A' };
    parts[1] = format!("{}{flipped}", &parts[1][..parts[1].len() - 1]);
    std::fs::write(&jwt, parts.join(".")).unwrap();
    let out = passerelle(&["verify", "--json", "--at", at, jwt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rdfc_issue_and_verify_with_a_supplied_context() {
    let dir = temp_dir("rdfc");
    let key = generated_key(&dir, "ed.json");
    let context = dir.join("licence-context.json");
    std::fs::write(
        &context,
        r#"{"@context": {"@protected": true, "licence": "https://licences.example/vocab#licence"}}"#,
    )
    .unwrap();
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://licences.example/v1"],
            "type": ["VerifiableCredential"], "issuer": "did:example:replaced",
            "credentialSubject": {"id": "did:example:holder", "licence": "A-1"}}"#,
    )
    .unwrap();
    let issue = |extra: &[&str]| {
        let mut args = vec![
            "issue",
            "--key",
            key.to_str().unwrap(),
            "--set-issuer",
            "--cryptosuite",
            "eddsa-rdfc-2022",
            "--at",
            "2026-11-23T10:00:00Z",
        ];
        args.extend_from_slice(extra);
        args.push(unsigned.to_str().unwrap());
        passerelle(&args)
    };
    // The issuer's CLI has no loader for the licence context: refused, with its code.
    let out = issue(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CONTEXT_UNKNOWN"));
    // Written with the context inline instead, it signs.
    let inline = std::fs::read_to_string(&unsigned).unwrap().replace(
        "\"https://licences.example/v1\"",
        r#"{"licence": "https://licences.example/vocab#licence"}"#,
    );
    std::fs::write(&unsigned, inline).unwrap();
    let out = issue(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("\"eddsa-rdfc-2022\""), "{}", stdout(&out));
    let signed = dir.join("signed.json");
    std::fs::write(&signed, &out.stdout).unwrap();
    let at = "2026-11-23T12:00:00Z";
    let out = passerelle(&["verify", "--json", "--at", at, signed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // A credential naming the remote context verifies when the verifier is given it.
    let remote = std::fs::read_to_string(&signed).unwrap().replace(
        r#"{
      "licence": "https://licences.example/vocab#licence"
    }"#,
        "\"https://licences.example/v1\"",
    );
    assert!(remote.contains("\"https://licences.example/v1\""), "{remote}");
    let remote_file = dir.join("remote.json");
    std::fs::write(&remote_file, remote).unwrap();
    let out = passerelle(&["verify", "--json", "--at", at, remote_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("CONTEXT_UNKNOWN"), "{}", stdout(&out));
    let given = format!("https://licences.example/v1={}", context.display());
    let out = passerelle(&[
        "verify",
        "--json",
        "--at",
        at,
        "--context",
        &given,
        remote_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rdf_canonicalize_prints_what_an_rdfc_proof_signs() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/cases/rdfc-valid-eddsa.json");
    let case = case.to_str().unwrap();
    let out = passerelle(&["rdf", "canonicalize", "--without-proof", case]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(
        text.contains("<https://passerelle.example/ns/canada#permitNumber> \"MX-1-234\" ."),
        "{text}"
    );
    assert!(
        !text.contains("proofValue") && !text.contains("security#proof"),
        "{text}"
    );
    // With the proof, the proof is a named graph.
    let with_proof = stdout(&passerelle(&["rdf", "canonicalize", case]));
    assert!(with_proof.contains("<https://w3id.org/security#proof>"), "{with_proof}");
    // A document with a term no context defines: exit 2 and the code; --json carries on.
    let jcs = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/cases/vc-valid-did-key.json");
    let out = passerelle(&["rdf", "canonicalize", jcs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TERM_UNDEFINED"));
    let out = passerelle(&["rdf", "canonicalize", "--json", jcs.to_str().unwrap(), case]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report[jcs.to_str().unwrap()]["error"]
        .as_str()
        .unwrap()
        .contains("TERM_UNDEFINED"));
    assert!(report[case]["nquads"].as_str().unwrap().ends_with(" .\n"));
}

#[test]
fn vectors_run_passes_every_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors");
    let out = passerelle(&["vectors", "run", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains(" passed, 0 failed"));
}

#[test]
fn bad_input_gets_a_code_and_exit_status_not_a_panic() {
    let out = passerelle(&["verify", "/nonexistent/credential.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = passerelle(&["--lang", "fr", "verify", "/nonexistent/credential.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("impossible de lire"));

    let dir = std::env::temp_dir().join(format!("passerelle-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.json");
    std::fs::write(&big, vec![b' '; 4096]).unwrap();
    let out = passerelle(&["verify", "--json", "--max-bytes", "1000", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("INPUT_TOO_LARGE"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A reader that stops early (`passerelle verify --json … | head -1`) closes
/// the pipe: the command still exits with its verdict, quietly.
#[test]
fn a_closed_output_pipe_keeps_the_exit_status_and_does_not_panic() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors");
    let expired = cases.join("cases/vcdm11-signed-valid-until.json");
    let runs: [(&[&str], i32); 3] = [
        (&["verify", "--json", expired.to_str().unwrap()], 1),
        (&["verify", expired.to_str().unwrap()], 1),
        (&["vectors", "run", cases.to_str().unwrap()], 0),
    ];
    for (args, status) in runs {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(status), "{args:?}: {stderr}");
    }
    // An error message to a closed standard error: still exit 2, not a panic (101).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["verify", "/nonexistent/credential.json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));
}

#[path = "../examples/canada/age.rs"]
mod age;
#[path = "../examples/canada/federation.rs"]
mod federation;

/// An Ed25519 key made by `passerelle key generate`, in `dir/name`.
fn generated_key(dir: &Path, name: &str) -> std::path::PathBuf {
    let key = dir.join(name);
    let out = passerelle(&["key", "generate", "--out", key.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    key
}

#[test]
fn every_demo_line_is_reproduced_by_the_cli_from_files() {
    use federation::*;
    let dir = temp_dir("canada");
    let dids = dir.join("dids");
    std::fs::create_dir_all(&dids).unwrap();
    for (did, _) in ENTITIES {
        std::fs::write(
            dids.join(format!("{}.json", did.trim_start_matches("did:web:"))),
            did_document(did).to_string(),
        )
        .unwrap();
    }
    let webvh_log = dir.join("did.jsonl");
    std::fs::write(&webvh_log, yukon_placer_log().to_jsonl()).unwrap();
    let status = dir.join("status");
    std::fs::create_dir_all(&status).unwrap();
    for (i, (_, document)) in status_list_credentials().into_iter().enumerate() {
        std::fs::write(
            status.join(format!("list-{i}.json")),
            serde_json::to_vec(&document).unwrap(),
        )
        .unwrap();
    }
    let status = dir.join("status");
    std::fs::create_dir_all(&status).unwrap();
    for (i, (_, document)) in status_list_credentials().into_iter().enumerate() {
        std::fs::write(
            status.join(format!("list-{i}.json")),
            serde_json::to_vec(&document).unwrap(),
        )
        .unwrap();
    }
    for (i, line) in lines().into_iter().enumerate() {
        let (snapshots, seen) = line.scenario.snapshots();
        let registries = dir.join(format!("registries-{i}"));
        std::fs::create_dir_all(&registries).unwrap();
        for (name, document) in &snapshots {
            std::fs::write(registries.join(name), serde_json::to_vec(document).unwrap()).unwrap();
        }
        let seen_file = dir.join(format!("seen-{i}.json"));
        let seen: serde_json::Map<String, serde_json::Value> = seen.into_iter().map(|(k, v)| (k, v.into())).collect();
        std::fs::write(&seen_file, serde_json::Value::Object(seen).to_string()).unwrap();
        let credential = dir.join(format!("credential-{i}.json"));
        std::fs::write(&credential, serde_json::to_vec(&line.credential).unwrap()).unwrap();

        let out = passerelle(&[
            "verify",
            "--json",
            "--at",
            NOW,
            "--trust-anchor",
            FEDERAL,
            "--registry",
            registries.to_str().unwrap(),
            "--did-dir",
            dids.to_str().unwrap(),
            "--seen",
            seen_file.to_str().unwrap(),
            "--status-list",
            status.to_str().unwrap(),
            "--did-log",
            webvh_log.to_str().unwrap(),
            credential.to_str().unwrap(),
        ]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        match line.expected {
            None => assert_eq!(out.status.code(), Some(0), "{}: {}", line.file, stdout(&out)),
            Some(code) => {
                assert_eq!(out.status.code(), Some(1), "{}", line.file);
                let failed: Vec<&serde_json::Value> = report["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["outcome"] == "failed")
                    .collect();
                assert_eq!(failed.len(), 1, "{}", line.file);
                assert_eq!(failed[0]["code"], code, "{}", line.file);
            }
        }
    }
    // The age credential shown at the counter, with the clerk's nonce and domain.
    let (snapshots, _) = Scenario::Current.snapshots();
    let registries = dir.join("registries-current");
    std::fs::create_dir_all(&registries).unwrap();
    for (name, document) in &snapshots {
        std::fs::write(registries.join(name), serde_json::to_vec(document).unwrap()).unwrap();
    }
    for line in age::presented_lines() {
        let presented = dir.join(line.file);
        std::fs::write(&presented, &line.text).unwrap();
        let mut args = vec![
            "verify",
            "--json",
            "--at",
            NOW,
            "--trust-anchor",
            FEDERAL,
            "--registry",
            registries.to_str().unwrap(),
            "--did-dir",
            dids.to_str().unwrap(),
            "--challenge",
            age::CLERK_NONCE,
            "--domain",
            age::CLERK,
            presented.to_str().unwrap(),
        ];
        for pointer in line.required {
            args.extend(["--require-claim", pointer]);
        }
        let out = passerelle(&args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let failed: Vec<&serde_json::Value> = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["outcome"] == "failed")
            .collect();
        match line.expected {
            None => {
                assert_eq!(out.status.code(), Some(0), "{}: {}", line.file, stdout(&out));
                let trust = report["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["name"] == "trust")
                    .unwrap();
                assert_eq!(trust["outcome"], "passed", "{}", line.file);
            }
            Some(code) => {
                assert_eq!(out.status.code(), Some(1), "{}", line.file);
                assert_eq!(failed.len(), 1, "{}", line.file);
                assert_eq!(failed[0]["code"], code, "{}", line.file);
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn registry_build_sign_inspect_from_a_source_file() {
    let dir = temp_dir("registry");
    let key = dir.join("registry-key.json");
    let out = passerelle(&["key", "generate", "--out", key.to_str().unwrap()]);
    assert!(out.status.success());
    let did = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["did"]
        .as_str()
        .unwrap()
        .to_owned();
    let source = serde_json::json!({
        "id": did, "name": {"en": "Test registry", "fr": "Registre d’essai"}, "jurisdiction": "CA-NU", "sequence": 4,
        "authorizations": [{
            "entity_id": "did:web:permits.nu.passerelle.example", "authority_id": did, "action": "issue",
            "resource": "ca-nu:Permit", "jurisdiction": "CA-NU",
            "name": {"en": "Permit office", "fr": "Bureau des permis"},
            "legal_authority": {"en": "Test Act", "fr": "Loi d’essai"},
            "valid_from": "2026-01-01T00:00:00Z"
        }]
    });
    let source_path = dir.join("source.json");
    std::fs::write(&source_path, source.to_string()).unwrap();

    let built = passerelle(&["registry", "build", source_path.to_str().unwrap()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(stdout(&built).contains("\"@language\": \"fr\""));

    let signed = passerelle(&[
        "registry",
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--at",
        "2026-02-01T00:00:00Z",
        "--valid-until",
        "2026-05-01T00:00:00Z",
        source_path.to_str().unwrap(),
    ]);
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    let snapshot = dir.join("snapshot.json");
    std::fs::write(&snapshot, &signed.stdout).unwrap();

    let inspected = passerelle(&[
        "--lang",
        "fr",
        "registry",
        "inspect",
        "--at",
        "2026-03-01T00:00:00Z",
        snapshot.to_str().unwrap(),
    ]);
    assert!(
        inspected.status.success(),
        "{}",
        String::from_utf8_lossy(&inspected.stderr)
    );
    assert!(stdout(&inspected).contains("Registre d’essai"));
    assert!(stdout(&inspected).contains("ca-nu:Permit"));

    let stale = passerelle(&[
        "registry",
        "inspect",
        "--at",
        "2026-06-01T00:00:00Z",
        snapshot.to_str().unwrap(),
    ]);
    assert_eq!(stale.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("SNAPSHOT_STALE"));

    let mut bad = source.clone();
    bad["authorizations"][0]["authority_id"] = "did:web:someone-else.example".into();
    std::fs::write(&source_path, bad.to_string()).unwrap();
    let refused = passerelle(&["registry", "build", source_path.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("REGISTRY_INVALID"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_status_entry_of_an_unknown_type_fails_unless_accepted() {
    let dir = temp_dir("status-unknown");
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    assert!(passerelle(&["key", "generate", "--out", &p("key.json")])
        .status
        .success());
    std::fs::write(
        dir.join("unsigned.json"),
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:x","credentialSubject":{"id":"did:example:h"},"credentialStatus":{"type":["FooStatus2099"]}}"#,
    )
    .unwrap();
    let issued = passerelle(&[
        "issue",
        "--key",
        &p("key.json"),
        "--set-issuer",
        "--at",
        "2026-11-23T10:00:00Z",
        &p("unsigned.json"),
    ]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    std::fs::write(dir.join("vc.json"), &issued.stdout).unwrap();
    let out = passerelle(&["verify", "--at", "2026-11-23T12:00:00Z", &p("vc.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("STATUS_TYPE_UNSUPPORTED"), "{}", stdout(&out));
    let out = passerelle(&[
        "verify",
        "--at",
        "2026-11-23T12:00:00Z",
        "--accept-unknown-status-types",
        &p("vc.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("accept_unknown_types"), "{}", stdout(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn revoke_through_the_cli_then_verify_fails_and_suspension_round_trips() {
    let dir = temp_dir("status");
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let (revocations, suspensions) = (
        "https://status.passerelle.example/lists/r1",
        "https://status.passerelle.example/lists/s1",
    );
    assert!(passerelle(&["key", "generate", "--out", &p("key.json")])
        .status
        .success());
    for (url, purpose) in [(revocations, "revocation"), (suspensions, "suspension")] {
        assert!(passerelle(&[
            "status",
            "create",
            "--store",
            &p("store"),
            "--url",
            url,
            "--purpose",
            purpose
        ])
        .status
        .success());
    }
    std::fs::write(
        dir.join("unsigned.json"),
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:x","credentialSubject":{"id":"did:example:h"}}"#,
    )
    .unwrap();
    let issued = passerelle(&[
        "issue",
        "--key",
        &p("key.json"),
        "--set-issuer",
        "--at",
        "2026-11-23T10:00:00Z",
        "--status-store",
        &p("store"),
        "--status-list",
        revocations,
        "--status-list",
        suspensions,
        &p("unsigned.json"),
    ]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    std::fs::write(dir.join("vc.json"), &issued.stdout).unwrap();
    // A refused issuance allocates nothing: its options are checked first.
    let store_files = || {
        let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(dir.join("store"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|path| (path.clone(), std::fs::read(&path).unwrap_or_default()))
            .collect();
        files.sort();
        files
    };
    let before = store_files();
    let refused = passerelle(&[
        "issue",
        "--key",
        &p("key.json"),
        "--format",
        "jwt",
        "--proof-id",
        "urn:x:1",
        "--status-store",
        &p("store"),
        "--status-list",
        revocations,
        &p("unsigned.json"),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(store_files(), before);

    let verify = || {
        for (url, file) in [(revocations, "r1.json"), (suspensions, "s1.json")] {
            let out = passerelle(&[
                "status",
                "publish",
                "--store",
                &p("store"),
                "--url",
                url,
                "--key",
                &p("key.json"),
                "--at",
                "2026-11-23T11:00:00Z",
            ]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            std::fs::write(dir.join(file), &out.stdout).unwrap();
        }
        let out = passerelle(&[
            "verify",
            "--json",
            "--at",
            "2026-11-23T12:00:00Z",
            "--status-list",
            &p("r1.json"),
            "--status-list",
            &p("s1.json"),
            &p("vc.json"),
        ]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let status = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "status")
            .unwrap()
            .clone();
        (out.status.code(), status["code"].as_str().map(str::to_owned))
    };
    assert_eq!(verify(), (Some(0), None));

    // Without any status list, the status check fails unless the caller
    // accepts that it goes unchecked.
    let without_lists = |extra: &[&str]| {
        let mut args = vec!["verify", "--json", "--at", "2026-11-23T12:00:00Z"];
        args.extend_from_slice(extra);
        let vc = p("vc.json");
        args.push(&vc);
        let out = passerelle(&args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let status = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "status")
            .unwrap()
            .clone();
        (out.status.code(), status["outcome"].clone(), status["code"].clone())
    };
    assert_eq!(
        without_lists(&[]),
        (Some(1), "failed".into(), "STATUS_LIST_UNAVAILABLE".into())
    );
    assert_eq!(
        without_lists(&["--skip-status-without-source"]),
        (Some(0), "skipped".into(), serde_json::Value::Null)
    );

    assert!(passerelle(&[
        "status",
        "suspend",
        "--store",
        &p("store"),
        "--credential",
        &p("vc.json")
    ])
    .status
    .success());
    assert_eq!(verify(), (Some(1), Some("CREDENTIAL_SUSPENDED".into())));
    assert!(passerelle(&[
        "status",
        "reinstate",
        "--store",
        &p("store"),
        "--credential",
        &p("vc.json")
    ])
    .status
    .success());
    assert_eq!(verify(), (Some(0), None));
    assert!(passerelle(&[
        "status",
        "revoke",
        "--store",
        &p("store"),
        "--credential",
        &p("vc.json")
    ])
    .status
    .success());
    assert_eq!(verify(), (Some(1), Some("CREDENTIAL_REVOKED".into())));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_did_webvh_issuer_made_with_the_cli_verifies_and_a_tampered_log_does_not() {
    let dir = temp_dir("webvh");
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    for name in ["update.json", "next.json"] {
        assert!(passerelle(&["key", "generate", "--out", &p(name)]).status.success());
    }
    let created = passerelle(&[
        "did",
        "webvh-create",
        "--location",
        "permits.passerelle.example:dids:issuer",
        "--update-key",
        &p("update.json"),
        "--next-key",
        &p("next.json"),
        "--out",
        &p("did.jsonl"),
        "--at",
        "2026-11-01T00:00:00Z",
    ]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let did = stdout(&created).trim().to_owned();
    assert!(
        did.starts_with("did:webvh:Qm") && did.ends_with(":permits.passerelle.example:dids:issuer"),
        "{did}"
    );

    let resolved = passerelle(&[
        "did",
        "webvh-resolve",
        "--log",
        &p("did.jsonl"),
        "--at",
        "2026-11-23T00:00:00Z",
        &did,
    ]);
    assert!(resolved.status.success());
    assert!(stdout(&resolved).contains("\"versionId\": \"1-Qm"));

    // Sign a credential as the webvh DID (the assertion key is the update key here).
    let key: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("update.json")).unwrap()).unwrap();
    let mut issuer_key = key.clone();
    issuer_key["verificationMethod"] = format!("{did}#key-1").into();
    std::fs::write(dir.join("issuer.json"), issuer_key.to_string()).unwrap();
    std::fs::write(
        dir.join("unsigned.json"),
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:x","credentialSubject":{"id":"did:example:h"}}"#,
    )
    .unwrap();
    let issued = passerelle(&[
        "issue",
        "--key",
        &p("issuer.json"),
        "--set-issuer",
        "--at",
        "2026-11-20T00:00:00Z",
        &p("unsigned.json"),
    ]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    std::fs::write(dir.join("vc.json"), &issued.stdout).unwrap();
    let verified = passerelle(&[
        "verify",
        "--at",
        "2026-11-23T00:00:00Z",
        "--did-log",
        &p("did.jsonl"),
        &p("vc.json"),
    ]);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));

    let log = std::fs::read_to_string(dir.join("did.jsonl")).unwrap();
    std::fs::write(dir.join("did.jsonl"), log.replace("#key-1", "#key-2")).unwrap();
    let refused = passerelle(&[
        "verify",
        "--json",
        "--at",
        "2026-11-23T00:00:00Z",
        "--did-log",
        &p("did.jsonl"),
        &p("vc.json"),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).contains("DID_LOG_INVALID"), "{}", stdout(&refused));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_back_dated_credential_is_refused_and_trust_now_requires_the_authorization_at_verification() {
    let dir = temp_dir("trust-time");
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let did_of = |key: &str| {
        let out = passerelle(&["key", "generate", "--out", &p(key)]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["did"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (registry, issuer) = (did_of("registry-key.json"), did_of("issuer-key.json"));
    let statement = |resource: &str, from: &str, until: Option<&str>, status: &str| {
        let mut statement = serde_json::json!({
            "entity_id": issuer, "authority_id": registry, "action": "issue",
            "resource": resource, "jurisdiction": "CA-NU",
            "name": {"en": "Permit office", "fr": "Bureau des permis"},
            "legal_authority": {"en": "Test Act", "fr": "Loi d’essai"},
            "valid_from": from, "status": status
        });
        if let Some(until) = until {
            statement["valid_until"] = until.into();
        }
        statement
    };
    // Permit: authorized until 2024, renewed in 2025, the renewal revoked.
    // Licence: authorized until the end of 2025, then simply ended.
    let source = serde_json::json!({
        "id": registry, "name": {"en": "Test registry", "fr": "Registre d’essai"}, "jurisdiction": "CA-NU", "sequence": 1,
        "authorizations": [
            statement("ca-nu:Permit", "2020-01-01T00:00:00Z", Some("2024-12-31T23:59:59Z"), "active"),
            statement("ca-nu:Permit", "2025-01-01T00:00:00Z", None, "revoked"),
            statement("ca-nu:Licence", "2020-01-01T00:00:00Z", Some("2025-12-31T23:59:59Z"), "active"),
        ]
    });
    std::fs::write(p("source.json"), source.to_string()).unwrap();
    let signed = passerelle(&[
        "registry",
        "sign",
        "--key",
        &p("registry-key.json"),
        "--at",
        "2026-02-01T00:00:00Z",
        "--valid-until",
        "2026-12-31T00:00:00Z",
        &p("source.json"),
    ]);
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    std::fs::write(p("snapshot.json"), &signed.stdout).unwrap();

    let issue = |kind: &str, valid_from: &str, file: &str| {
        let unsigned = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", kind],
            "issuer": "did:example:x",
            "validFrom": valid_from,
            "credentialSubject": {"id": "did:example:holder"}
        });
        std::fs::write(p("unsigned.json"), unsigned.to_string()).unwrap();
        // Signed in May 2026, whatever validFrom says.
        let out = passerelle(&[
            "issue",
            "--key",
            &p("issuer-key.json"),
            "--set-issuer",
            "--at",
            "2026-05-01T00:00:00Z",
            &p("unsigned.json"),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::write(p(file), &out.stdout).unwrap();
    };
    issue("Permit", "2023-06-01T00:00:00Z", "permit.json");
    issue("Licence", "2025-06-01T00:00:00Z", "licence.json");

    let verify = |file: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--json",
            "--at",
            "2026-06-01T00:00:00Z",
            "--trust-anchor",
            registry.as_str(),
        ];
        let (snapshot, credential) = (p("snapshot.json"), p(file));
        args.extend(["--registry", snapshot.as_str()]);
        args.extend(extra);
        args.push(credential.as_str());
        let out = passerelle(&args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let trust = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "trust")
            .unwrap()
            .clone();
        (out.status.code(), trust)
    };

    let (code, trust) = verify("permit.json", &[]);
    assert_eq!(code, Some(1), "{trust}");
    assert_eq!(trust["code"], "AUTHORIZATION_REVOKED", "{trust}");
    assert_eq!(evidence(&trust, "issued"), ["2023-06-01T00:00:00Z"]);
    assert_eq!(evidence(&trust, "issuedFrom"), ["validFrom"]);
    assert_eq!(evidence(&trust, "judgedAt"), ["2023-06-01T00:00:00Z"]);

    let (code, trust) = verify("licence.json", &[]);
    assert_eq!(code, Some(0), "{trust}");
    assert!(
        trust["message"]["en"]
            .as_str()
            .unwrap()
            .contains("Time used: 2025-06-01T00:00:00Z"),
        "{trust}"
    );
    for flag in ["--trust-at-verification-time", "--trust-now"] {
        let (code, trust) = verify("licence.json", &[flag]);
        assert_eq!(code, Some(1), "{flag}: {trust}");
        assert_eq!(trust["code"], "AUTHORIZATION_EXPIRED", "{flag}: {trust}");
        assert_eq!(
            evidence(&trust, "judgedAt"),
            ["2025-06-01T00:00:00Z", "2026-06-01T00:00:00Z"],
            "{flag}"
        );
        assert!(
            trust["message"]["fr"]
                .as_str()
                .unwrap()
                .starts_with("L’émetteur n’est pas autorisé au moment de la vérification"),
            "{trust}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The values of the evidence entries named `name` of a check in a JSON report.
fn evidence<'a>(check: &'a serde_json::Value, name: &str) -> Vec<&'a str> {
    check["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == name)
        .map(|e| e["value"].as_str().unwrap())
        .collect()
}

#[test]
fn issue_jwt_enveloped_prints_json_that_verify_accepts() {
    let dir = temp_dir("enveloped");
    let key = generated_key(&dir, "key.json");
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:example:replaced", "credentialSubject": {"id": "did:example:holder"}}"#,
    )
    .unwrap();
    let (key, unsigned) = (key.to_str().unwrap(), unsigned.to_str().unwrap());
    let at = "2026-02-01T00:00:00Z";
    let out = passerelle(&[
        "issue",
        "--key",
        key,
        "--set-issuer",
        "--set-valid-from",
        "--at",
        at,
        "--jwt",
        "--enveloped",
        unsigned,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let enveloped: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(enveloped["type"], "EnvelopedVerifiableCredential");
    let path = dir.join("enveloped.json");
    std::fs::write(&path, &out.stdout).unwrap();
    let out = passerelle(&["verify", "--at", at, path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    // --enveloped without --jwt is a usage error.
    let out = passerelle(&["issue", "--key", key, "--enveloped", unsigned]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn issue_makes_a_1_1_credential_then_a_proof_chain_on_it() {
    let dir = temp_dir("chain");
    let key = generated_key(&dir, "key.json");
    let unsigned = dir.join("unsigned.json");
    std::fs::write(
        &unsigned,
        r#"{"@context": ["https://www.w3.org/2018/credentials/v1"], "id": "urn:uuid:3c9a2b1d-0e8f-4a7b-9c6d-5e4f3a2b1c0d",
            "type": ["VerifiableCredential"], "issuer": "did:example:replaced",
            "credentialSubject": {"id": "did:example:holder"}}"#,
    )
    .unwrap();
    let at = "2026-02-01T00:00:00Z";
    let (key, unsigned) = (key.to_str().unwrap(), unsigned.to_str().unwrap());
    let out = passerelle(&[
        "issue",
        "--key",
        key,
        "--set-issuer",
        "--set-valid-from",
        "--at",
        at,
        "--cryptosuite",
        "eddsa-rdfc-2022",
        "--proof-id",
        "urn:example:first",
        unsigned,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(first["issuanceDate"], at);
    assert_eq!(first["@context"][1], "https://w3id.org/security/data-integrity/v2");
    let first_path = dir.join("first.json");
    std::fs::write(&first_path, &out.stdout).unwrap();
    let first_path = first_path.to_str().unwrap();

    let out = passerelle(&[
        "issue",
        "--key",
        key,
        "--at",
        at,
        "--previous-proof",
        "urn:example:first",
        first_path,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let chained: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(chained["proof"][1]["previousProof"], "urn:example:first");
    let chained_path = dir.join("chained.json");
    std::fs::write(&chained_path, &out.stdout).unwrap();
    let out = passerelle(&["verify", "--at", at, chained_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let out = passerelle(&[
        "issue",
        "--key",
        key,
        "--at",
        at,
        "--previous-proof",
        "urn:example:none",
        first_path,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PROOF_REFERENCE_DANGLING"));
    let out = passerelle(&["issue", "--key", key, "--set-issuer", "--add-proof", first_path]);
    assert!(
        !out.status.success(),
        "adding a proof refuses options that change the credential"
    );
}

#[test]
fn status_create_takes_status_size_messages_and_references_and_verify_reports_the_message() {
    let dir = temp_dir("status-messages");
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let url = "https://status.passerelle.example/lists/m1";
    assert!(passerelle(&["key", "generate", "--out", &p("key.json")])
        .status
        .success());
    let create = |extra: &[&str]| {
        let _ = std::fs::remove_dir_all(dir.join("store"));
        let store = p("store");
        let mut args = vec![
            "status",
            "create",
            "--store",
            &store,
            "--url",
            url,
            "--purpose",
            "message",
        ];
        args.extend_from_slice(extra);
        passerelle(&args)
    };
    // Refused: several bits without their messages, a count that is not
    // 2^statusSize, a value past the size or given twice, a malformed
    // message or reference, statusSize 0.
    for (why, extra) in [
        ("no messages", &["--status-size", "2"][..]),
        (
            "3 of 4",
            &[
                "--status-size",
                "2",
                "--status-message",
                "0x0=a",
                "--status-message",
                "0x1=b",
                "--status-message",
                "0x2=c",
            ],
        ),
        (
            "0x4",
            &[
                "--status-size",
                "2",
                "--status-message",
                "0x0=a",
                "--status-message",
                "0x1=b",
                "--status-message",
                "0x2=c",
                "--status-message",
                "0x4=d",
            ],
        ),
        (
            "twice",
            &[
                "--status-size",
                "2",
                "--status-message",
                "0x0=a",
                "--status-message",
                "0x1=b",
                "--status-message",
                "0x1=c",
                "--status-message",
                "0x3=d",
            ],
        ),
        ("no =", &["--status-message", "0x0", "--status-message", "0x1=b"]),
        ("no 0x", &["--status-message", "0=a", "--status-message", "1=b"]),
        ("size 0", &["--status-size", "0"]),
        ("reference", &["--status-reference", "not a url"]),
    ] {
        let out = create(extra);
        assert_eq!(out.status.code(), Some(2), "{why}: {}", stdout(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("STATUS_LIST_INVALID") || stderr.contains("--status-"),
            "{why}: {stderr}"
        );
    }
    let out = create(&[
        "--status-size",
        "2",
        "--status-message",
        "0x0=pending_review",
        "--status-message",
        "0x1=accepted",
        "--status-message",
        "0x2=rejected",
        "--status-message",
        "0x3=undefined",
        "--status-reference",
        "https://status.passerelle.example/codes",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(
        dir.join("unsigned.json"),
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:x","credentialSubject":{"id":"did:example:h"}}"#,
    )
    .unwrap();
    let issued = passerelle(&[
        "issue",
        "--key",
        &p("key.json"),
        "--set-issuer",
        "--at",
        "2026-11-23T10:00:00Z",
        "--status-store",
        &p("store"),
        "--status-list",
        url,
        &p("unsigned.json"),
    ]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    let vc: serde_json::Value = serde_json::from_slice(&issued.stdout).unwrap();
    let entry = &vc["credentialStatus"][0];
    assert_eq!(entry["statusSize"], 2);
    assert_eq!(
        entry["statusMessage"][2],
        serde_json::json!({"status": "0x2", "message": "rejected"})
    );
    assert_eq!(entry["statusReference"], "https://status.passerelle.example/codes");
    std::fs::write(dir.join("vc.json"), &issued.stdout).unwrap();
    let index = entry["statusListIndex"].as_str().unwrap().to_owned();
    let set = passerelle(&[
        "status",
        "set",
        "--store",
        &p("store"),
        "--url",
        url,
        "--index",
        &index,
        "--value",
        "0x2",
    ]);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let bad = passerelle(&[
        "status",
        "set",
        "--store",
        &p("store"),
        "--url",
        url,
        "--index",
        &index,
        "--value",
        "0x4",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let published = passerelle(&[
        "status",
        "publish",
        "--store",
        &p("store"),
        "--url",
        url,
        "--key",
        &p("key.json"),
        "--at",
        "2026-11-23T11:00:00Z",
    ]);
    assert!(
        published.status.success(),
        "{}",
        String::from_utf8_lossy(&published.stderr)
    );
    std::fs::write(dir.join("list.json"), &published.stdout).unwrap();
    let out = passerelle(&[
        "verify",
        "--json",
        "--at",
        "2026-11-23T12:00:00Z",
        "--status-list",
        &p("list.json"),
        &p("vc.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "status")
        .unwrap();
    assert!(status.to_string().contains("rejected"), "{status}");
}
