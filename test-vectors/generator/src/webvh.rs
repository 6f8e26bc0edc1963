//! did:webvh cases: issuers whose DID lives in a verified history log, and
//! logs that must be refused.

use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::did::webvh::{key_hash, WebvhLog};
use passerelle::{Issuer, Timestamp};
use serde_json::{json, Map, Value};

use super::{fails, pretty, Expect, Vectors, VERIFIED};

const LOCATION: &str = "mines.gov.bc.passerelle.example:dids:issuer";

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("fixed time")
}

fn key(seed: u8) -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[seed; 32])
}

fn document(did: &str, assertion: &Ed25519KeyPair) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": format!("{did}#key-1"), "type": "Multikey", "controller": did,
                                "publicKeyMultibase": assertion.public_key_multibase()}],
        "assertionMethod": [format!("{did}#key-1")]
    })
}

fn permit(did: &str, signer: Ed25519KeyPair) -> Map<String, Value> {
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "MinesActPermit"],
        "issuer": did,
        "validFrom": "2026-03-02T15:00:00Z",
        "credentialSubject": {"id": "did:example:operator-42", "permitNumber": "MX-1-234"}
    });
    Issuer::new(signer, format!("{did}#key-1"))
        .expect("issuer")
        .issue(
            unsigned.as_object().cloned().unwrap_or_default(),
            t("2026-03-02T15:00:00Z"),
        )
        .expect("credential")
        .into_json()
}

#[allow(clippy::too_many_arguments)]
fn case(
    v: &mut Vectors,
    id: &str,
    description: &str,
    credential: &Map<String, Value>,
    did: &str,
    log: Option<&str>,
    time: &str,
    expect: Expect<'_>,
) {
    let input = format!("webvh/cases/{id}.json");
    v.files
        .insert(input.clone(), pretty(&Value::Object(credential.clone())));
    let mut logs = Map::new();
    if let Some(log) = log {
        logs.insert(did.to_owned(), Value::String(log.to_owned()));
    }
    v.add_case(
        id,
        description,
        &input,
        &[],
        json!({"time": time, "didLogs": logs}),
        expect,
    );
}

/// Adds the did:webvh cases and their logs.
pub(crate) fn webvh_cases(v: &mut Vectors) {
    const NOW: &str = "2026-06-01T12:00:00Z";
    let (update1, update2, update3, assertion) = (key(70), key(71), key(72), key(73));
    let template = format!("did:webvh:{{SCID}}:{LOCATION}");
    let mut log = WebvhLog::create(
        LOCATION,
        document(&template, &assertion),
        &update1,
        vec![key_hash(&update2.public_key().to_multikey())],
        t("2026-01-01T00:00:00Z"),
    )
    .expect("create");
    let did = log.did().to_owned();
    let one = "webvh/logs/one-entry.jsonl".to_owned();
    v.files.insert(one.clone(), log.to_jsonl().into_bytes());
    let credential = permit(&did, key(73));
    case(
        v,
        "webvh-valid",
        "Issued by a did:webvh DID whose one-entry log (SCID, entry hash, proof) verifies.",
        &credential,
        &did,
        Some(&one),
        NOW,
        VERIFIED,
    );

    // Rotate with pre-rotation: the announced key signs entry 2, which replaces the assertion key.
    let new_assertion = key(74);
    let params = json!({"updateKeys": [update2.public_key().to_multikey()], "nextKeyHashes": [key_hash(&update3.public_key().to_multikey())]});
    log.update(
        document(&did, &new_assertion),
        params,
        &update2,
        t("2026-04-01T00:00:00Z"),
    )
    .expect("update");
    let two = "webvh/logs/rotated.jsonl".to_owned();
    v.files.insert(two.clone(), log.to_jsonl().into_bytes());
    case(
        v,
        "webvh-rotated-new-key",
        "After a pre-rotated update, a credential signed with the new assertion key verifies.",
        &permit(&did, key(74)),
        &did,
        Some(&two),
        NOW,
        VERIFIED,
    );
    case(v, "webvh-rotated-old-key", "After the update, #key-1 is the new key: a credential signed with the replaced key no longer verifies against the latest version.", &credential, &did, Some(&two), NOW,
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]));

    let tampered = "webvh/logs/tampered.jsonl".to_owned();
    let text = log
        .to_jsonl()
        .replacen(&assertion.public_key_multibase(), &key(66).public_key_multibase(), 1);
    v.files.insert(tampered.clone(), text.into_bytes());
    case(
        v,
        "webvh-log-tampered",
        "The first entry's key was swapped after signing: the entry hash no longer matches.",
        &credential,
        &did,
        Some(&tampered),
        NOW,
        fails(&[("proof", "DID_LOG_INVALID")]),
    );

    case(
        v,
        "webvh-log-from-the-future",
        "Verified at a time before the log's entries were made: the key cannot be resolved, so the proof fails, and the credential's dates, which no valid signature covers, are not judged.",
        &credential,
        &did,
        Some(&one),
        "2025-06-01T00:00:00Z",
        fails(&[("proof", "DID_LOG_INVALID")]),
    );
    case(
        v,
        "webvh-log-missing",
        "The verifier has no log for the DID.",
        &credential,
        &did,
        None,
        NOW,
        fails(&[("proof", "DID_NOT_FOUND")]),
    );

    let truncated = "webvh/logs/second-entry-only.jsonl".to_owned();
    let second_only = log
        .to_jsonl()
        .lines()
        .nth(1)
        .map(|l| format!("{l}\n"))
        .unwrap_or_default();
    v.files.insert(truncated.clone(), second_only.into_bytes());
    case(
        v,
        "webvh-log-first-entry-removed",
        "The log starts at version 2: the chain and the SCID cannot be checked.",
        &credential,
        &did,
        Some(&truncated),
        NOW,
        fails(&[("proof", "DID_LOG_INVALID")]),
    );

    // Deactivated after the rotation: entry 3, signed by the pre-rotated key,
    // sets `deactivated`; before it the DID resolves, after it not.
    let new_assertion = key(74);
    log.update(
        document(&did, &new_assertion),
        json!({"updateKeys": [update3.public_key().to_multikey()], "nextKeyHashes": [], "deactivated": true}),
        &update3,
        t("2026-05-01T00:00:00Z"),
    )
    .expect("deactivate");
    let deactivated = "webvh/logs/deactivated.jsonl".to_owned();
    v.files.insert(deactivated.clone(), log.to_jsonl().into_bytes());
    case(
        v,
        "webvh-deactivated",
        "The DID was deactivated (entry 3) before the time of verification: a resolver must not return its document, so no key verifies.",
        &permit(&did, key(74)),
        &did,
        Some(&deactivated),
        NOW,
        fails(&[("proof", "DID_DEACTIVATED")]),
    );
    case(
        v,
        "webvh-before-deactivation",
        "The same log and credential, verified before the deactivating entry: the DID still resolves.",
        &permit(&did, key(74)),
        &did,
        Some(&deactivated),
        "2026-04-15T00:00:00Z",
        VERIFIED,
    );
}
