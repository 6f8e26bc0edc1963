//! Bitstring Status List cases: good standing, revoked, suspended, and every
//! way a status list can be unusable.

use std::io::Write as _;

use passerelle::crypto::Ed25519KeyPair;
use passerelle::status::{StatusList, MIN_ENTRIES};
use passerelle::{Issuer, Timestamp};
use serde_json::{json, Map, Value};

use super::{fails, pretty, Expect, Vectors, VERIFIED};

const REVOCATIONS: &str = "https://status.passerelle.example/lists/revocation-1";
const SUSPENSIONS: &str = "https://status.passerelle.example/lists/suspension-1";
const MESSAGES: &str = "https://status.passerelle.example/lists/messages-1";
const ISSUED: &str = "2026-01-15T09:00:00Z";
const PUBLISHED: &str = "2026-05-01T00:00:00Z";
const LIST_UNTIL: &str = "2026-12-31T00:00:00Z";
const REVOCATION_INDEX: u64 = 94_567;
const SUSPENSION_INDEX: u64 = 23_452;
const MESSAGE_INDEX: u64 = 4_242;

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("fixed time")
}

fn issuer_from(seed: u8) -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[seed; 32]))
}

struct Lists {
    revocations: StatusList,
    suspensions: StatusList,
}

fn lists() -> Lists {
    let mut revocations = StatusList::new(REVOCATIONS, "revocation", MIN_ENTRIES, 1).expect("list");
    let mut suspensions = StatusList::new(SUSPENSIONS, "suspension", MIN_ENTRIES, 1).expect("list");
    revocations.allocate_at(REVOCATION_INDEX).expect("index");
    suspensions.allocate_at(SUSPENSION_INDEX).expect("index");
    Lists {
        revocations,
        suspensions,
    }
}

fn publish(
    v: &mut Vectors,
    name: &str,
    list: &StatusList,
    issuer: &Issuer<Ed25519KeyPair>,
    until: Option<&str>,
) -> String {
    let path = format!("status/lists/{name}.json");
    let document = list.publish(issuer, t(PUBLISHED), until.map(t)).expect("publish");
    v.files.insert(path.clone(), pretty(&Value::Object(document)));
    path
}

fn credential(issuer: &Issuer<Ed25519KeyPair>, status: Vec<Value>) -> Map<String, Value> {
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "MinesActPermit"],
        "issuer": issuer.did(),
        "validFrom": ISSUED,
        "credentialSubject": {"id": "did:example:operator-42", "permitNumber": "MX-1-234"},
        "credentialStatus": status,
    });
    issuer
        .issue(unsigned.as_object().cloned().unwrap_or_default(), t(ISSUED))
        .expect("credential")
        .into_json()
}

fn case(
    v: &mut Vectors,
    id: &str,
    description: &str,
    credential: &Map<String, Value>,
    lists: &[(&str, &str)],
    expect: Expect<'_>,
) {
    case_with(v, id, description, credential, Some(lists), None, expect);
}

/// A case whose verifier has the status `lists` (none: no status list
/// source) and, when given, the status `policy`.
fn case_with(
    v: &mut Vectors,
    id: &str,
    description: &str,
    credential: &Map<String, Value>,
    lists: Option<&[(&str, &str)]>,
    policy: Option<Value>,
    expect: Expect<'_>,
) {
    let input = format!("status/cases/{id}.json");
    v.files
        .insert(input.clone(), pretty(&Value::Object(credential.clone())));
    let mut options = json!({"time": "2026-06-01T12:00:00Z"});
    if let Some(lists) = lists {
        let status_lists: Map<String, Value> = lists
            .iter()
            .map(|(url, path)| ((*url).to_owned(), Value::String((*path).to_owned())))
            .collect();
        options["statusLists"] = Value::Object(status_lists);
    }
    if let Some(policy) = policy {
        options["statusPolicy"] = policy;
    }
    v.add_case(id, description, &input, &[], options, expect);
}

/// Adds the status cases and their files.
pub(crate) fn status_cases(v: &mut Vectors) {
    let issuer = issuer_from(1);
    let l = lists();
    let entries = vec![
        l.revocations.entry(REVOCATION_INDEX).to_json(),
        l.suspensions.entry(SUSPENSION_INDEX).to_json(),
    ];
    let permit = credential(&issuer, entries);

    let good_r = publish(v, "revocation-good", &l.revocations, &issuer, Some(LIST_UNTIL));
    let good_s = publish(v, "suspension-good", &l.suspensions, &issuer, Some(LIST_UNTIL));
    let both = [(REVOCATIONS, good_r.as_str()), (SUSPENSIONS, good_s.as_str())];
    case(
        v,
        "status-good-standing",
        "Revocation and suspension entries, neither bit set.",
        &permit,
        &both,
        VERIFIED,
    );

    let mut revoked = lists();
    revoked.revocations.set(REVOCATION_INDEX, 1).expect("set");
    let revoked_r = publish(v, "revocation-revoked", &revoked.revocations, &issuer, Some(LIST_UNTIL));
    case(
        v,
        "status-revoked",
        "The revocation bit of the credential's index is set.",
        &permit,
        &[(REVOCATIONS, &revoked_r), (SUSPENSIONS, &good_s)],
        fails(&[("status", "CREDENTIAL_REVOKED")]),
    );

    // The same revoked permit with its subject changed after signing: the
    // status entries are no longer covered by a valid signature, so the
    // verifier reports nothing from them (the status check is skipped),
    // whatever the lists say.
    let mut forged = permit.clone();
    forged["credentialSubject"]["permitNumber"] = json!("MX-9-999");
    case(
        v,
        "status-revoked-proof-broken",
        "The revoked permit with its subject changed after signing: only the proof fails; its unsigned status entries are not acted on.",
        &forged,
        &[(REVOCATIONS, &revoked_r), (SUSPENSIONS, &good_s)],
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    // The revoked permit signed, validly, by a did:key that is not its
    // issuer: the key binding fails, and the status entries are again not
    // acted on.
    let stranger = Ed25519KeyPair::from_seed(&[2; 32]);
    let mut unsigned = permit.clone();
    unsigned.remove("proof");
    let by_stranger = super::sign(&unsigned, &stranger, &super::vm_of(&stranger));
    case(
        v,
        "status-revoked-signer-not-issuer",
        "The revoked permit signed by a key that is not the issuer's: only the key binding fails; its status entries, which the issuer did not sign, are not acted on.",
        &by_stranger,
        &[(REVOCATIONS, &revoked_r), (SUSPENSIONS, &good_s)],
        fails(&[("key_binding", "KEY_CONTROLLER_MISMATCH")]),
    );

    let mut suspended = lists();
    suspended.suspensions.set(SUSPENSION_INDEX, 1).expect("set");
    let suspended_s = publish(
        v,
        "suspension-suspended",
        &suspended.suspensions,
        &issuer,
        Some(LIST_UNTIL),
    );
    case(
        v,
        "status-suspended",
        "The suspension bit of the credential's index is set.",
        &permit,
        &[(REVOCATIONS, &good_r), (SUSPENSIONS, &suspended_s)],
        fails(&[("status", "CREDENTIAL_SUSPENDED")]),
    );

    case(
        v,
        "status-list-unavailable",
        "The verifier cannot obtain the suspension list.",
        &permit,
        &[(REVOCATIONS, &good_r)],
        fails(&[("status", "STATUS_LIST_UNAVAILABLE")]),
    );

    let mut tampered = l
        .revocations
        .publish(&issuer, t(PUBLISHED), Some(t(LIST_UNTIL)))
        .expect("publish");
    tampered["credentialSubject"]["encodedList"] = revoked
        .revocations
        .publish(&issuer, t(PUBLISHED), None)
        .expect("publish")["credentialSubject"]["encodedList"]
        .clone();
    let tampered_path = "status/lists/revocation-tampered.json".to_owned();
    v.files.insert(tampered_path.clone(), pretty(&Value::Object(tampered)));
    case(
        v,
        "status-list-tampered",
        "The revocation list's encodedList was changed after signing.",
        &permit,
        &[(REVOCATIONS, &tampered_path), (SUSPENSIONS, &good_s)],
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );

    let other = publish(
        v,
        "revocation-other-issuer",
        &l.revocations,
        &issuer_from(2),
        Some(LIST_UNTIL),
    );
    case(
        v,
        "status-list-other-issuer",
        "The revocation list is validly signed, but by another issuer than the credential's.",
        &permit,
        &[(REVOCATIONS, &other), (SUSPENSIONS, &good_s)],
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );

    case(
        v,
        "status-list-wrong-purpose",
        "A suspension list is served at the revocation list's URL.",
        &permit,
        &[(REVOCATIONS, &good_s), (SUSPENSIONS, &good_s)],
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );

    let expired = publish(
        v,
        "revocation-expired",
        &l.revocations,
        &issuer,
        Some("2026-05-15T00:00:00Z"),
    );
    case(
        v,
        "status-list-expired",
        "The revocation list's validUntil has passed.",
        &permit,
        &[(REVOCATIONS, &expired), (SUSPENSIONS, &good_s)],
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );

    let mut outside = l.revocations.entry(REVOCATION_INDEX).to_json();
    outside["statusListIndex"] = json!("131072");
    let out_of_range = credential(&issuer, vec![outside]);
    case(
        v,
        "status-index-out-of-range",
        "statusListIndex is past the end of the 131 072-entry list.",
        &out_of_range,
        &[(REVOCATIONS, &good_r)],
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );

    // A signed list whose encodedList expands to 64 MiB (over the 16 MiB limit).
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gzip.write_all(&zeros).expect("compress");
    }
    let bomb = passerelle::crypto::multibase::encode_base64url(&gzip.finish().expect("compress"));
    let mut list = l
        .revocations
        .publish(&issuer, t(PUBLISHED), Some(t(LIST_UNTIL)))
        .expect("publish");
    list.shift_remove("proof");
    list["credentialSubject"]["encodedList"] = bomb.into();
    let bomb_list = issuer.issue(list, t(PUBLISHED)).expect("sign").into_json();
    let bomb_path = "status/lists/revocation-gzip-bomb.json".to_owned();
    v.files.insert(bomb_path.clone(), pretty(&Value::Object(bomb_list)));
    case(
        v,
        "status-list-gzip-bomb",
        "The signed revocation list's encodedList expands to 64 MiB: refused, not expanded.",
        &permit,
        &[(REVOCATIONS, &bomb_path), (SUSPENSIONS, &good_s)],
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );

    // The entry's type as a one-element array, as JSON-LD allows: still checked.
    let mut as_array = l.revocations.entry(REVOCATION_INDEX).to_json();
    as_array["type"] = json!(["BitstringStatusListEntry"]);
    case(
        v,
        "status-entry-type-array-revoked",
        "The revocation entry's type is [\"BitstringStatusListEntry\"] (an array) and its bit is set.",
        &credential(&issuer, vec![as_array]),
        &[(REVOCATIONS, &revoked_r)],
        fails(&[("status", "CREDENTIAL_REVOKED")]),
    );

    // An entry of a type no verifier knows, beside the Bitstring entries.
    let unknown = json!({"id": "https://status.passerelle.example/other/7", "type": "FooStatus2099"});
    let mut with_unknown = vec![
        l.revocations.entry(REVOCATION_INDEX).to_json(),
        l.suspensions.entry(SUSPENSION_INDEX).to_json(),
    ];
    with_unknown.push(unknown);
    let with_unknown = credential(&issuer, with_unknown);
    case(
        v,
        "status-type-unsupported",
        "Besides its revocation and suspension entries, the credential has an entry of type FooStatus2099.",
        &with_unknown,
        &both,
        fails(&[("status", "STATUS_TYPE_UNSUPPORTED")]),
    );
    case_with(
        v,
        "status-type-unsupported-accepted",
        "The same credential, verified with statusPolicy.acceptUnknownTypes: the Bitstring entries are checked, \
         the other left unchecked.",
        &with_unknown,
        Some(&both),
        Some(json!({"acceptUnknownTypes": true})),
        VERIFIED,
    );

    case_with(
        v,
        "status-no-source",
        "A credential with status entries, verified without any status list source.",
        &permit,
        None,
        None,
        fails(&[("status", "STATUS_LIST_UNAVAILABLE")]),
    );
    case_with(
        v,
        "status-no-source-skipped",
        "The same, with statusPolicy.skipWithoutSource: the status check is skipped.",
        &permit,
        None,
        Some(json!({"skipWithoutSource": true})),
        VERIFIED,
    );

    let mut messages = StatusList::new(MESSAGES, "message", MIN_ENTRIES, 2).expect("list");
    let mut entry = messages.allocate_at(MESSAGE_INDEX).expect("index");
    entry.messages = vec![
        ("0x0".into(), "pending_review".into()),
        ("0x1".into(), "accepted".into()),
        ("0x2".into(), "rejected".into()),
        ("0x3".into(), "undefined".into()),
    ];
    messages.set(MESSAGE_INDEX, 1).expect("set");
    let message_list = publish(v, "messages", &messages, &issuer, Some(LIST_UNTIL));
    case(
        v,
        "status-message",
        "A 2-bit message list: the status is 0x1, \"accepted\"; the credential verifies.",
        &credential(&issuer, vec![entry.to_json()]),
        &[(MESSAGES, &message_list)],
        VERIFIED,
    );
}
