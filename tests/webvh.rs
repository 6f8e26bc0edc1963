//! did:webvh: the spec's entry-hash example, create / update / rotate with
//! pre-rotation, version queries, and logs that must be refused.

use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::did::webvh::{hash_sha256, key_hash, log_url, resolve_log, VersionQuery, WebvhLog};
use passerelle::{ErrorCode, Timestamp};
use serde_json::{json, Value};

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

const NOW: &str = "2026-11-23T12:00:00Z";

#[test]
fn the_spec_entry_hash_example() {
    // did:webvh v1.0, "Generate Entry Hash": this preliminary entry hashes to QmQ6FJ4f….
    let entry = r#"{"versionId": "QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE", "versionTime": "2025-04-01T17:39:50Z", "parameters": {"witness": {"threshold": 2, "witnesses": [{"id": "did:key:z6Mkkc51mg2vpQzKWAbWQZupeGYhowaBjYkmvcKMTqteqHB4", "weight": 1}, {"id": "did:key:z6MkuDdJdKLCgwZuQuEi9xG6LVgJJ9Tebr74CXPYPSumqgJs", "weight": 1}, {"id": "did:key:z6MkoSWmQyp4fTk4ZQy4KUsss9dFX51XfEUzKKKj1J1JUsrF", "weight": 1}]}, "updateKeys": ["z6MkgzBDcBFV3sk4ypPE5YXMZHmS213A3HpYY2LmcVKV15jr"], "nextKeyHashes": ["QmZreDcjvWEpyRFznQeExWNCsvMLk5i59AcRJJuQC8UodJ"], "method": "did:webvh:0.5", "scid": "QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE"}, "state": {"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:webvh:QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE:domain.example"}}"#;
    let value: Value = serde_json::from_str(entry).unwrap();
    let hash = hash_sha256(&passerelle::canon::canonicalize(&value).unwrap());
    assert_eq!(hash, "QmQ6FJ4fk2xheSSQoEjVpTgx9AQPKhJgtR9hn1nr4EeCrZ");
}

#[test]
fn the_spec_url_examples() {
    let scid = "QmdmPkUdYzbr9txmx8gM2rsHPgr5L6m3gHjJGAf4vUFoGE";
    for (rest, url) in [
        ("example.com", "https://example.com/.well-known/did.jsonl"),
        ("issuer.example.com", "https://issuer.example.com/.well-known/did.jsonl"),
        ("example.com:dids:issuer", "https://example.com/dids/issuer/did.jsonl"),
        (
            "example.com%3A3000:dids:issuer",
            "https://example.com:3000/dids/issuer/did.jsonl",
        ),
    ] {
        assert_eq!(log_url(&format!("did:webvh:{scid}:{rest}")).unwrap(), url);
    }
    assert_eq!(
        log_url("did:webvh:short:example.com").unwrap_err().code(),
        ErrorCode::DidInvalid
    );
}

fn document(did: &str, key: &Ed25519KeyPair, note: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": format!("{did}#key-1"), "type": "Multikey", "controller": did,
                                "publicKeyMultibase": key.public_key_multibase()}],
        "assertionMethod": [format!("{did}#key-1")],
        "service": [{"id": format!("{did}#note"), "type": "Note", "serviceEndpoint": format!("https://mines.passerelle.example/{note}")}]
    })
}

const LOCATION: &str = "mines.gov.bc.passerelle.example:dids:issuer";

fn created(update_key: &Ed25519KeyPair, next: Vec<String>) -> WebvhLog {
    let template = format!("did:webvh:{{SCID}}:{LOCATION}");
    let assertion = Ed25519KeyPair::from_seed(&[90; 32]);
    WebvhLog::create(
        LOCATION,
        document(&template, &assertion, "v1"),
        update_key,
        next,
        t("2026-01-01T00:00:00Z"),
    )
    .unwrap()
}

#[test]
fn create_update_and_query_versions() {
    let update_key = Ed25519KeyPair::from_seed(&[91; 32]);
    let mut log = created(&update_key, vec![]);
    let did = log.did().to_owned();
    assert_eq!(
        log_url(&did).unwrap(),
        "https://mines.gov.bc.passerelle.example/dids/issuer/did.jsonl"
    );
    let first = resolve_log(&did, &log.to_jsonl(), t(NOW), &VersionQuery::Latest).unwrap();
    assert!(first.version_id.starts_with("1-Qm"));
    assert_eq!(first.document.id(), did);

    let assertion = Ed25519KeyPair::from_seed(&[90; 32]);
    log.update(
        document(&did, &assertion, "v2"),
        json!({}),
        &update_key,
        t("2026-02-01T00:00:00Z"),
    )
    .unwrap();
    let latest = resolve_log(&did, &log.to_jsonl(), t(NOW), &VersionQuery::Latest).unwrap();
    assert!(latest.version_id.starts_with("2-"));
    assert_eq!(latest.created, t("2026-01-01T00:00:00Z"));
    assert!(latest.document.json()["service"][0]["serviceEndpoint"]
        .as_str()
        .unwrap()
        .ends_with("v2"));

    let by_id = resolve_log(
        &did,
        &log.to_jsonl(),
        t(NOW),
        &VersionQuery::VersionId(first.version_id.clone()),
    )
    .unwrap();
    assert!(by_id.document.json()["service"][0]["serviceEndpoint"]
        .as_str()
        .unwrap()
        .ends_with("v1"));
    let by_time = resolve_log(
        &did,
        &log.to_jsonl(),
        t(NOW),
        &VersionQuery::VersionTime(t("2026-01-15T00:00:00Z")),
    )
    .unwrap();
    assert_eq!(by_time.version_id, first.version_id);
    let missing = resolve_log(&did, &log.to_jsonl(), t(NOW), &VersionQuery::VersionId("9-x".into())).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::DidNotFound);

    // A key that is not an update key cannot append.
    let stranger = Ed25519KeyPair::from_seed(&[99; 32]);
    let refused = log
        .update(
            document(&did, &assertion, "v3"),
            json!({}),
            &stranger,
            t("2026-03-01T00:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::DidLogInvalid);
}

/// A controller that keeps its log as text (a database, a file) goes on
/// from it: the reopened log appends as the one it was written with, and a
/// changed log is refused before anything is appended to it.
#[test]
fn a_published_log_is_reopened_to_append_and_a_changed_one_is_refused() {
    let update_key = Ed25519KeyPair::from_seed(&[91; 32]);
    let log = created(&update_key, vec![]);
    let did = log.did().to_owned();
    let text = log.to_jsonl();
    let mut reopened = WebvhLog::from_jsonl(&did, &text).unwrap();
    assert_eq!(reopened, log);
    assert_eq!(reopened.version_time(), Some(t("2026-01-01T00:00:00Z")));
    let assertion = Ed25519KeyPair::from_seed(&[90; 32]);
    // Not after the latest version: refused, nothing appended.
    let same_time = reopened
        .update(
            document(&did, &assertion, "v2"),
            json!({}),
            &update_key,
            t("2026-01-01T00:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(same_time.code(), ErrorCode::DidLogInvalid);
    assert_eq!(reopened.to_jsonl(), text);
    reopened
        .update(
            document(&did, &assertion, "v2"),
            json!({}),
            &update_key,
            t("2026-01-01T00:00:01Z"),
        )
        .unwrap();
    let appended = reopened.to_jsonl();
    assert!(appended.starts_with(&text) && appended.lines().count() == 2);
    let latest = resolve_log(&did, &appended, t(NOW), &VersionQuery::Latest).unwrap();
    assert!(latest.version_id.starts_with("2-"));

    let changed = text.replacen("mines.passerelle.example/v1", "evil.example/v1", 1);
    assert_eq!(
        WebvhLog::from_jsonl(&did, &changed).unwrap_err().code(),
        ErrorCode::DidLogInvalid
    );
    assert_eq!(
        WebvhLog::from_jsonl("did:webvh:short:example.com", &text)
            .unwrap_err()
            .code(),
        ErrorCode::DidInvalid
    );
}

#[test]
fn pre_rotation_binds_the_next_update_key() {
    let (k1, k2, k3) = (
        Ed25519KeyPair::from_seed(&[1; 32]),
        Ed25519KeyPair::from_seed(&[2; 32]),
        Ed25519KeyPair::from_seed(&[3; 32]),
    );
    let mut log = created(&k1, vec![key_hash(&k2.public_key().to_multikey())]);
    let did = log.did().to_owned();
    let doc = || document(&did, &k1, "rotated");
    // With pre-rotation on, the old key cannot sign, and an unannounced key cannot be used.
    let params_k3 = json!({"updateKeys": [k3.public_key().to_multikey()], "nextKeyHashes": []});
    assert!(log.update(doc(), params_k3, &k3, t("2026-02-01T00:00:00Z")).is_err());
    let params_k2 = json!({"updateKeys": [k2.public_key().to_multikey()], "nextKeyHashes": [key_hash(&k3.public_key().to_multikey())]});
    assert!(log
        .update(doc(), params_k2.clone(), &k1, t("2026-02-01T00:00:00Z"))
        .is_err());
    let missing_keys = json!({"nextKeyHashes": []});
    assert!(log.update(doc(), missing_keys, &k2, t("2026-02-01T00:00:00Z")).is_err());
    // The announced key rotates in.
    log.update(doc(), params_k2, &k2, t("2026-02-01T00:00:00Z")).unwrap();
    assert!(resolve_log(&did, &log.to_jsonl(), t(NOW), &VersionQuery::Latest)
        .unwrap()
        .version_id
        .starts_with("2-"));
}

fn refused(did: &str, log: &str) -> ErrorCode {
    resolve_log(did, log, t(NOW), &VersionQuery::Latest).unwrap_err().code()
}

#[test]
fn tampered_and_malformed_logs_are_refused() {
    let key = Ed25519KeyPair::from_seed(&[91; 32]);
    let mut log = created(&key, vec![]);
    let did = log.did().to_owned();
    log.update(
        document(&did, &Ed25519KeyPair::from_seed(&[90; 32]), "v2"),
        json!({}),
        &key,
        t("2026-02-01T00:00:00Z"),
    )
    .unwrap();
    let text = log.to_jsonl();
    let lines: Vec<&str> = text.lines().collect();

    // A changed service endpoint in the first entry.
    assert_eq!(
        refused(
            &did,
            &text.replacen("mines.passerelle.example/v1", "evil.example/v1", 1)
        ),
        ErrorCode::DidLogInvalid
    );
    // A changed signature.
    let value: Value = serde_json::from_str(lines[1]).unwrap();
    let proof_value = value["proof"][0]["proofValue"].as_str().unwrap();
    let flipped = format!(
        "{}{}",
        &proof_value[..proof_value.len() - 1],
        if proof_value.ends_with('A') { 'B' } else { 'A' }
    );
    assert_eq!(
        refused(&did, &text.replace(proof_value, &flipped)),
        ErrorCode::DidLogInvalid
    );
    // An entry dropped, or entries swapped.
    assert_eq!(refused(&did, &format!("{}\n", lines[1])), ErrorCode::DidLogInvalid);
    assert_eq!(
        refused(&did, &format!("{}\n{}\n", lines[1], lines[0])),
        ErrorCode::DidLogInvalid
    );
    // Another DID's SCID.
    let other = created(&Ed25519KeyPair::from_seed(&[92; 32]), vec![]);
    assert_eq!(refused(other.did(), &text), ErrorCode::DidLogInvalid);
    // Entries from the future (beyond the 5-minute tolerance).
    assert_eq!(
        resolve_log(&did, &text, t("2025-12-31T00:00:00Z"), &VersionQuery::Latest)
            .unwrap_err()
            .code(),
        ErrorCode::DidLogInvalid
    );
    // Junk and an empty log.
    assert_eq!(refused(&did, "not json\n"), ErrorCode::DidLogInvalid);
    assert_eq!(refused(&did, ""), ErrorCode::DidLogInvalid);
}

#[test]
fn unknown_methods_witnesses_and_late_portability_are_refused() {
    let key = Ed25519KeyPair::from_seed(&[91; 32]);
    let template = format!("did:webvh:{{SCID}}:{LOCATION}");
    let doc = document(&template, &Ed25519KeyPair::from_seed(&[90; 32]), "v1");
    let with = |extra: Value| {
        let Value::Object(extra) = extra else { unreachable!() };
        WebvhLog::create_with_parameters(LOCATION, doc.clone(), &key, vec![], extra, t("2026-01-01T00:00:00Z"))
    };
    for (extra, words) in [
        (json!({"method": "did:webvh:99.0"}), "method"),
        (
            json!({"witness": {"threshold": 1, "witnesses": [{"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}}),
            "witnesses",
        ),
        (json!({"color": "blue"}), "unknown parameter"),
    ] {
        let error = with(extra).unwrap_err();
        assert_eq!(error.code(), ErrorCode::DidLogInvalid);
        assert!(error.detail().contains(words), "{}", error.detail());
    }
    assert!(with(json!({"portable": true, "ttl": 60})).is_ok());

    let mut log = with(json!({"portable": false})).unwrap();
    let did = log.did().to_owned();
    let error = log
        .update(
            document(&did, &key, "v2"),
            json!({"portable": true}),
            &key,
            t("2026-02-01T00:00:00Z"),
        )
        .unwrap_err();
    assert!(error.detail().contains("portable"), "{}", error.detail());
}

/// The key a did:webvh document lists under `#key-1`.
fn key_1(document: &passerelle::did::DidDocument) -> passerelle::crypto::PublicKey {
    document
        .verification_method(&format!("{}#key-1", document.id()))
        .unwrap()
        .public_key
}

#[test]
fn a_did_webvh_resolves_as_its_log_stood_at_the_time_of_verification() {
    use passerelle::did::webvh::{verify_log, WebvhLogs};
    use passerelle::did::DidResolver;
    use passerelle::verify::{CheckName, Outcome};
    use passerelle::{Issuer, Verifier, VerifyOptions};

    // Version 1 (2026-01-01) lists assertion key A as #key-1; version 2
    // (2026-06-01) rotates #key-1 to key B.
    let update_key = Ed25519KeyPair::from_seed(&[91; 32]);
    let (a, b) = (
        Ed25519KeyPair::from_seed(&[90; 32]),
        Ed25519KeyPair::from_seed(&[93; 32]),
    );
    let mut log = created(&update_key, vec![]);
    let did = log.did().to_owned();
    log.update(
        document(&did, &b, "v2"),
        json!({}),
        &update_key,
        t("2026-06-01T00:00:00Z"),
    )
    .unwrap();
    let mut logs = WebvhLogs::new();
    logs.insert(did.clone(), log.to_jsonl());
    let (t1, t2) = (t("2026-03-01T00:00:00Z"), t("2026-09-01T00:00:00Z"));

    // The same log resolves to the version in force at each time.
    assert_eq!(key_1(&logs.resolve(&did, t1).unwrap()), a.public_key());
    assert_eq!(key_1(&logs.resolve(&did, t2).unwrap()), b.public_key());
    // Before its first entry, the log is from the future.
    let before = logs.resolve(&did, t("2025-12-01T00:00:00Z")).unwrap_err();
    assert_eq!(before.code(), ErrorCode::DidLogInvalid, "{}", before.detail());
    // At the current time, the version in force is the latest one, as
    // resolution at the current time gives.
    let verified = verify_log(&did, &log.to_jsonl()).unwrap();
    assert_eq!(
        verified.in_force_at(t2).unwrap(),
        resolve_log(&did, &log.to_jsonl(), t2, &VersionQuery::Latest).unwrap()
    );
    assert!(verified.in_force_at(t1).unwrap().version_id.starts_with("1-"));

    // A credential signed with key A in February: verified at t1, while A
    // was #key-1; at t2, with the same inputs but the time, #key-1 is B and
    // the proof fails.
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": did, "validFrom": "2026-02-01T00:00:00Z", "credentialSubject": {"id": "did:example:x"}
    });
    let credential = Issuer::new(a, format!("{did}#key-1"))
        .unwrap()
        .issue(unsigned.as_object().unwrap().clone(), t("2026-02-01T00:00:00Z"))
        .unwrap()
        .to_json_string();
    let verifier = Verifier::new(logs);
    let at_t1 = verifier.verify(credential.as_bytes(), &VerifyOptions::at(t1));
    assert!(at_t1.verified(), "{}", at_t1.render(passerelle::Lang::En));
    let at_t2 = verifier.verify(credential.as_bytes(), &VerifyOptions::at(t2));
    let proof = at_t2.check(CheckName::Proof).unwrap();
    assert_eq!(proof.outcome, Outcome::Failed, "{}", at_t2.render(passerelle::Lang::En));
    // Verifying at t1 again, after t2: the resolver kept nothing from t2.
    assert!(verifier
        .verify(credential.as_bytes(), &VerifyOptions::at(t1))
        .verified());
}

#[test]
fn entries_after_the_time_asked_are_verified_but_not_in_force() {
    use passerelle::did::webvh::verify_log;
    let key = Ed25519KeyPair::from_seed(&[91; 32]);
    let mut log = created(&key, vec![]);
    let did = log.did().to_owned();
    log.update(
        document(&did, &Ed25519KeyPair::from_seed(&[90; 32]), "v2"),
        json!({}),
        &key,
        t("2026-02-01T00:00:00Z"),
    )
    .unwrap();
    let text = log.to_jsonl();
    // Read on 2026-01-15, the second entry is in the future: resolution at
    // the current time refuses the log; the DID as it stood then is version 1.
    let mid = t("2026-01-15T00:00:00Z");
    assert_eq!(
        resolve_log(&did, &text, mid, &VersionQuery::Latest).unwrap_err().code(),
        ErrorCode::DidLogInvalid
    );
    let then = verify_log(&did, &text).unwrap().in_force_at(mid).unwrap();
    assert!(then.version_id.starts_with("1-"));
    assert_eq!(then.updated, t("2026-01-01T00:00:00Z"));
    // Within the five-minute tolerance, the entry is in force.
    let skewed = verify_log(&did, &text)
        .unwrap()
        .in_force_at(t("2026-01-31T23:57:00Z"))
        .unwrap();
    assert!(skewed.version_id.starts_with("2-"));
    // A later entry that was changed fails the log at every time.
    let tampered = text.replacen("mines.passerelle.example/v2", "evil.example/v2", 1);
    assert_eq!(
        verify_log(&did, &tampered).unwrap_err().code(),
        ErrorCode::DidLogInvalid
    );
}

/// did:webvh §Deactivate: once a log entry sets `deactivated`, "a resolver
/// MUST NOT return the DIDDoc". A verifier resolving at a time the DID is
/// deactivated gets no key (so an issuer's old key, perhaps stolen, cannot
/// sign credentials that verify); before that entry, the DID resolves.
#[test]
fn a_deactivated_did_webvh_resolves_to_no_document_for_verification() {
    use passerelle::did::webvh::WebvhLogs;
    use passerelle::did::DidResolver;
    use passerelle::inputs::webvh_resolution;
    use passerelle::{Issuer, Verifier, VerifyOptions};

    let update_key = Ed25519KeyPair::from_seed(&[91; 32]);
    let assertion = Ed25519KeyPair::from_seed(&[90; 32]);
    let mut log = created(&update_key, vec![]);
    let did = log.did().to_owned();
    log.update(
        document(&did, &assertion, "v1"),
        json!({"deactivated": true, "updateKeys": []}),
        &update_key,
        t("2026-06-01T00:00:00Z"),
    )
    .unwrap();
    let (before, after) = (t("2026-03-01T00:00:00Z"), t("2026-09-01T00:00:00Z"));
    let mut logs = WebvhLogs::new();
    logs.insert(did.clone(), log.to_jsonl());
    assert!(logs.resolve(&did, before).is_ok());
    assert_eq!(logs.resolve(&did, after).unwrap_err().code(), ErrorCode::DidDeactivated);
    assert_eq!(
        webvh_resolution(&did, &log.to_jsonl(), after).unwrap_err().code(),
        ErrorCode::DidDeactivated
    );

    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": did, "validFrom": "2026-02-01T00:00:00Z", "credentialSubject": {"id": "did:example:x"}
    });
    let credential = Issuer::new(assertion, format!("{did}#key-1"))
        .unwrap()
        .issue(unsigned.as_object().unwrap().clone(), t("2026-02-01T00:00:00Z"))
        .unwrap()
        .to_json_string();
    let verifier = Verifier::new(logs);
    assert!(verifier
        .verify(credential.as_bytes(), &VerifyOptions::at(before))
        .verified());
    let report = verifier.verify(credential.as_bytes(), &VerifyOptions::at(after));
    assert_eq!(
        report.failures().first().map(|(_, code)| *code),
        Some(ErrorCode::DidDeactivated),
        "{}",
        report.render(passerelle::Lang::En)
    );
}
