//! Bitstring Status List: issue with status entries, publish lists, revoke,
//! suspend and reinstate, and every way a status list can be wrong.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use passerelle::crypto::Ed25519KeyPair;
use passerelle::status::{Bitstring, StaticStatusLists, StatusEntry, StatusList, StatusResolver, MIN_ENTRIES};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const REVOCATIONS: &str = "https://status.passerelle.example/lists/revocation-1";
const SUSPENSIONS: &str = "https://status.passerelle.example/lists/suspension-1";

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&[40; 32]))
}

struct World {
    issuer: Issuer<Ed25519KeyPair>,
    revocations: StatusList,
    suspensions: StatusList,
    credential: Map<String, Value>,
    revocation_index: u64,
    suspension_index: u64,
}

fn world() -> World {
    let issuer = issuer();
    let mut revocations = StatusList::new(REVOCATIONS, "revocation", MIN_ENTRIES, 1).unwrap();
    let mut suspensions = StatusList::new(SUSPENSIONS, "suspension", MIN_ENTRIES, 1).unwrap();
    let (r, s) = (revocations.allocate().unwrap(), suspensions.allocate().unwrap());
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "MinesActPermit"],
        "issuer": issuer.did(),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:operator"},
        "credentialStatus": [r.to_json(), s.to_json()],
    });
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap()
        .into_json();
    World {
        issuer,
        revocations,
        suspensions,
        credential,
        revocation_index: r.index,
        suspension_index: s.index,
    }
}

fn lists(w: &World, at: &str) -> StaticStatusLists {
    let mut lists = StaticStatusLists::default();
    for list in [&w.revocations, &w.suspensions] {
        let published = list.publish(&w.issuer, t(at), Some(t("2026-12-31T00:00:00Z"))).unwrap();
        lists.insert(list.url.clone(), serde_json::to_vec(&published).unwrap());
    }
    lists
}

fn verify_with(
    lists: impl StatusResolver + Send + Sync + 'static,
    credential: &Map<String, Value>,
    at: &str,
) -> Report {
    Verifier::offline()
        .with_status(lists)
        .verify(&serde_json::to_vec(credential).unwrap(), &VerifyOptions::at(t(at)))
}

fn status_code(report: &Report) -> Option<ErrorCode> {
    report.check(CheckName::Status).and_then(|c| c.code)
}

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn a_credential_in_good_standing_verifies_with_its_status_evidence() {
    let w = world();
    let report = verify_with(lists(&w, "2026-05-01T00:00:00Z"), &w.credential, AT);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let status = report.check(CheckName::Status).unwrap();
    assert_eq!(status.outcome, Outcome::Passed);
    assert!(status
        .evidence
        .iter()
        .any(|(k, v)| k.name() == "statusListIndex" && v == &w.revocation_index.to_string()));
}

#[test]
fn revoke_suspend_and_reinstate() {
    let mut w = world();
    w.revocations.set(w.revocation_index, 1).unwrap();
    assert_eq!(
        status_code(&verify_with(lists(&w, "2026-05-01T00:00:00Z"), &w.credential, AT)),
        Some(ErrorCode::CredentialRevoked)
    );

    let mut w = world();
    w.suspensions.set(w.suspension_index, 1).unwrap();
    let report = verify_with(lists(&w, "2026-05-01T00:00:00Z"), &w.credential, AT);
    assert_eq!(status_code(&report), Some(ErrorCode::CredentialSuspended));
    assert!(!report.verified());
    w.suspensions.set(w.suspension_index, 0).unwrap();
    assert!(verify_with(lists(&w, "2026-05-01T00:00:00Z"), &w.credential, AT).verified());
}

#[test]
fn status_lists_that_cannot_be_trusted_are_refused() {
    let w = world();
    let good = lists(&w, "2026-05-01T00:00:00Z");
    let published = |list: &StatusList, issuer: &Issuer<Ed25519KeyPair>| {
        list.publish(issuer, t("2026-05-01T00:00:00Z"), Some(t("2026-12-31T00:00:00Z")))
            .unwrap()
    };

    // Missing list.
    assert_eq!(
        status_code(&verify_with(StaticStatusLists::default(), &w.credential, AT)),
        Some(ErrorCode::StatusListUnavailable)
    );

    // Tampered list (a status bit flipped after signing, as a verifier sees it).
    let mut changed = w.revocations.clone();
    changed.set(w.revocation_index, 1).unwrap();
    let mut tampered = published(&w.revocations, &w.issuer);
    tampered["credentialSubject"]["encodedList"] =
        published(&changed, &w.issuer)["credentialSubject"]["encodedList"].clone();
    let mut bad = good.clone();
    bad.insert(REVOCATIONS, serde_json::to_vec(&tampered).unwrap());
    assert_eq!(
        status_code(&verify_with(bad, &w.credential, AT)),
        Some(ErrorCode::StatusListInvalid)
    );

    // Signed by someone else than the credential's issuer.
    let other = Issuer::did_key(Ed25519KeyPair::from_seed(&[41; 32]));
    let mut bad = good.clone();
    bad.insert(
        REVOCATIONS,
        serde_json::to_vec(&published(&w.revocations, &other)).unwrap(),
    );
    assert_eq!(
        status_code(&verify_with(bad, &w.credential, AT)),
        Some(ErrorCode::StatusListInvalid)
    );

    // A suspension list served where the revocation list should be.
    let mut bad = good.clone();
    bad.insert(
        REVOCATIONS,
        serde_json::to_vec(&published(&w.suspensions, &w.issuer)).unwrap(),
    );
    assert_eq!(
        status_code(&verify_with(bad, &w.credential, AT)),
        Some(ErrorCode::StatusListInvalid)
    );

    // The list expired.
    assert_eq!(
        status_code(&verify_with(good.clone(), &w.credential, "2027-01-01T00:00:00Z")),
        Some(ErrorCode::StatusListInvalid)
    );

    // An index past the end of the list.
    let mut credential = w.credential.clone();
    credential["credentialStatus"][0]["statusListIndex"] = json!("999999999");
    let resigned = resign(&w.issuer, credential);
    assert_eq!(
        status_code(&verify_with(good, &resigned, AT)),
        Some(ErrorCode::StatusListInvalid)
    );
}

fn resign(issuer: &Issuer<Ed25519KeyPair>, mut credential: Map<String, Value>) -> Map<String, Value> {
    credential.shift_remove("proof");
    issuer.issue(credential, t("2026-01-01T00:00:00Z")).unwrap().into_json()
}

#[test]
fn a_signed_gzip_bomb_is_refused_with_status_list_invalid() {
    use std::io::Write as _;
    let w = world();
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gzip.write_all(&zeros).unwrap();
    }
    let bomb = passerelle::crypto::multibase::encode_base64url(&gzip.finish().unwrap());
    let mut list = w
        .revocations
        .publish(&w.issuer, t("2026-05-01T00:00:00Z"), None)
        .unwrap();
    list.shift_remove("proof");
    list["credentialSubject"]["encodedList"] = bomb.into();
    let signed = w.issuer.issue(list, t("2026-05-01T00:00:00Z")).unwrap().into_json();
    let mut lists = lists(&w, "2026-05-01T00:00:00Z");
    lists.insert(REVOCATIONS, serde_json::to_vec(&signed).unwrap());
    let report = verify_with(lists, &w.credential, AT);
    assert_eq!(status_code(&report), Some(ErrorCode::StatusListInvalid));
    let detail = report.check(CheckName::Status).unwrap().detail.clone().unwrap();
    assert!(detail.contains("larger than"), "{detail}");
}

/// Counts fetches, to see the cache at work.
#[derive(Clone)]
struct Counting {
    inner: StaticStatusLists,
    fetches: Arc<AtomicU32>,
}

impl StatusResolver for Counting {
    fn status_list(&self, url: &str) -> passerelle::Result<Vec<u8>> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        self.inner.status_list(url)
    }
}

#[test]
fn verified_lists_are_cached_for_their_ttl_at_the_verification_time() {
    let w = world();
    let fetches = Arc::new(AtomicU32::new(0));
    let verifier = Verifier::offline().with_status(Counting {
        inner: lists(&w, "2026-05-01T00:00:00Z"),
        fetches: fetches.clone(),
    });
    let bytes = serde_json::to_vec(&w.credential).unwrap();
    assert!(verifier.verify(&bytes, &VerifyOptions::at(t(AT))).verified());
    assert!(verifier
        .verify(&bytes, &VerifyOptions::at(t(AT).plus_seconds(60)))
        .verified());
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one fetch per list while cached");
    assert!(verifier
        .verify(&bytes, &VerifyOptions::at(t(AT).plus_seconds(400)))
        .verified());
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        4,
        "refetched after the default 300 s ttl"
    );
    verifier.clear_status_cache();
    assert!(verifier
        .verify(&bytes, &VerifyOptions::at(t(AT).plus_seconds(400)))
        .verified());
    assert_eq!(fetches.load(Ordering::SeqCst), 6);
}

#[test]
fn message_lists_report_the_message() {
    let issuer = issuer();
    let mut list = StatusList::new(
        "https://status.passerelle.example/lists/messages",
        "message",
        MIN_ENTRIES,
        2,
    )
    .unwrap();
    let mut entry: StatusEntry = list.allocate().unwrap();
    entry.messages = vec![
        ("0x0".into(), "pending".into()),
        ("0x1".into(), "accepted".into()),
        ("0x2".into(), "rejected".into()),
        ("0x3".into(), "undefined".into()),
    ];
    list.set(entry.index, 2).unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": issuer.did(),
        "credentialSubject": {"id": "did:example:x"}, "credentialStatus": entry.to_json(),
    });
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap()
        .into_json();
    let mut lists = StaticStatusLists::default();
    lists.insert(
        list.url.clone(),
        serde_json::to_vec(&list.publish(&issuer, t("2026-05-01T00:00:00Z"), None).unwrap()).unwrap(),
    );
    let report = verify_with(lists, &credential, AT);
    assert!(report.verified());
    assert!(report
        .check(CheckName::Status)
        .unwrap()
        .evidence
        .iter()
        .any(|(k, v)| k.name() == "statusMessage" && v == "rejected"));
}

fn skip_without_source() -> VerifyOptions {
    let mut options = VerifyOptions::at(t(AT));
    options.status_policy.skip_without_source = true;
    options
}

#[test]
fn without_a_status_source_the_check_is_skipped_only_when_the_policy_says_so() {
    let w = world();
    let bytes = serde_json::to_vec(&w.credential).unwrap();
    let report = Verifier::offline().verify(&bytes, &skip_without_source());
    assert!(report.verified());
    let status = report.check(CheckName::Status).unwrap();
    assert_eq!(status.outcome, Outcome::Skipped);
    assert!(status.message.en.contains("no status list source"));
    assert!(status.message.en.contains("skip_without_source"));
    assert!(status.message.fr.contains("aucune source"));
    assert!(status.message.fr.contains("skip_without_source"));

    // With a status source, the policy plays no part: a revoked credential fails.
    let mut w = world();
    w.revocations.set(w.revocation_index, 1).unwrap();
    let report = Verifier::offline()
        .with_status(lists(&w, "2026-05-01T00:00:00Z"))
        .verify(&serde_json::to_vec(&w.credential).unwrap(), &skip_without_source());
    assert_eq!(status_code(&report), Some(ErrorCode::CredentialRevoked));
}

/// The credential of `w` with its status entries replaced by `status`, signed
/// again (eddsa-jcs-2022).
fn with_status_entries(w: &World, status: Value) -> Map<String, Value> {
    let mut credential = w.credential.clone();
    credential.insert("credentialStatus".into(), status);
    resign(&w.issuer, credential)
}

fn status_code_str(report: &Report) -> Option<&'static str> {
    status_code(report).map(ErrorCode::as_str)
}

#[test]
fn an_entry_typed_as_an_array_is_checked() {
    let mut w = world();
    let mut entry = w.revocations.entry(w.revocation_index).to_json();
    entry["type"] = json!(["BitstringStatusListEntry"]);
    let credential = with_status_entries(&w, json!([entry]));
    w.revocations.set(w.revocation_index, 1).unwrap();
    let report = verify_with(lists(&w, "2026-05-01T00:00:00Z"), &credential, AT);
    assert!(!report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(status_code(&report), Some(ErrorCode::CredentialRevoked));
}

#[test]
fn an_entry_of_an_unknown_type_fails_the_status_check() {
    let w = world();
    let unknown = json!({"id": "https://status.example/foo#1", "type": "FooStatus2099"});
    for status in [json!(unknown.clone()), json!([unknown.clone()]), {
        let good = w.revocations.entry(w.revocation_index).to_json();
        json!([good, unknown.clone()])
    }] {
        let credential = with_status_entries(&w, status.clone());
        let report = verify_with(lists(&w, "2026-05-01T00:00:00Z"), &credential, AT);
        assert!(!report.verified(), "{status}");
        assert_eq!(status_code_str(&report), Some("STATUS_TYPE_UNSUPPORTED"), "{status}");
    }
}

#[test]
fn an_entry_of_an_unknown_type_is_left_unchecked_only_when_the_policy_says_so() {
    let mut w = world();
    let unknown = json!({"id": "https://status.example/foo#1", "type": ["FooStatus2099", "BarStatus"]});
    let mut accept = VerifyOptions::at(t(AT));
    accept.status_policy.accept_unknown_types = true;

    // Only unknown entries: skipped, and said so.
    let credential = with_status_entries(&w, unknown.clone());
    let report = Verifier::offline().verify(&serde_json::to_vec(&credential).unwrap(), &accept);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let status = report.check(CheckName::Status).unwrap();
    assert_eq!(status.outcome, Outcome::Skipped);
    for text in [&status.message.en, &status.message.fr] {
        assert!(text.contains("\"FooStatus2099\", \"BarStatus\""), "{text}");
        assert!(text.contains("accept_unknown_types"), "{text}");
    }

    // Beside a Bitstring entry: that one is still checked.
    let good = w.revocations.entry(w.revocation_index).to_json();
    let credential = with_status_entries(&w, json!([good, unknown]));
    let bytes = serde_json::to_vec(&credential).unwrap();
    let report = verify_with(lists(&w, "2026-05-01T00:00:00Z"), &credential, AT);
    assert_eq!(status_code_str(&report), Some("STATUS_TYPE_UNSUPPORTED"));
    let verifier = Verifier::offline().with_status(lists(&w, "2026-05-01T00:00:00Z"));
    let report = verifier.verify(&bytes, &accept);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let status = report.check(CheckName::Status).unwrap();
    assert_eq!(status.outcome, Outcome::Passed);
    assert!(status.message.fr.contains("accept_unknown_types"));
    let unchecked: Vec<&str> = status
        .evidence
        .iter()
        .filter(|(k, _)| k.name() == "uncheckedStatusType")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(unchecked, ["FooStatus2099", "BarStatus"]);
    w.revocations.set(w.revocation_index, 1).unwrap();
    let verifier = Verifier::offline().with_status(lists(&w, "2026-05-01T00:00:00Z"));
    assert_eq!(
        status_code(&verifier.verify(&bytes, &accept)),
        Some(ErrorCode::CredentialRevoked)
    );
}

#[test]
fn without_a_status_source_a_credential_with_entries_fails_closed() {
    let w = world();
    let report = Verifier::offline().verify(&serde_json::to_vec(&w.credential).unwrap(), &VerifyOptions::at(t(AT)));
    assert!(!report.verified());
    assert_eq!(status_code(&report), Some(ErrorCode::StatusListUnavailable));
    let status = report.check(CheckName::Status).unwrap();
    assert!(
        status.message.en.contains("status policy requires"),
        "{}",
        status.message.en
    );
    assert!(
        status.message.fr.contains("politique de statut exige"),
        "{}",
        status.message.fr
    );
}

#[test]
fn a_status_entry_needs_a_type_at_issuance_and_verification() {
    let w = world();
    let mut entry = w.revocations.entry(w.revocation_index).to_json();
    for typ in [None, Some(json!([])), Some(json!([7])), Some(json!(7))] {
        match &typ {
            None => entry.as_object_mut().unwrap().shift_remove("type"),
            Some(value) => entry.as_object_mut().unwrap().insert("type".into(), value.clone()),
        };
        let mut unsigned = w.credential.clone();
        unsigned.shift_remove("proof");
        unsigned.insert("credentialStatus".into(), json!([entry.clone()]));
        assert_eq!(
            w.issuer
                .issue(unsigned.clone(), t("2026-01-01T00:00:00Z"))
                .unwrap_err()
                .code(),
            ErrorCode::PropertyInvalid,
            "issued with type {typ:?}"
        );
        // The same document signed regardless of the data model (as another
        // issuer might), then verified.
        let mut signed = w.credential.clone();
        signed.insert("credentialStatus".into(), json!([entry.clone()]));
        let report = verify_with(lists(&w, "2026-05-01T00:00:00Z"), &signed, AT);
        assert_eq!(
            report.failures().first().map(|(c, code)| (c.as_str(), code.as_str())),
            Some(("data_model", "PROPERTY_INVALID")),
            "verified with type {typ:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn allocation_never_repeats(count in 1usize..400, taken in prop::collection::vec(0u64..131_072, 0..50)) {
        let mut list = StatusList::new(REVOCATIONS, "revocation", MIN_ENTRIES, 1).unwrap();
        let mut seen = std::collections::HashSet::new();
        for index in taken {
            if seen.insert(index) { list.allocate_at(index).unwrap(); } else { prop_assert!(list.allocate_at(index).is_err()); }
        }
        for _ in 0..count {
            prop_assert!(seen.insert(list.allocate().unwrap().index), "an index was handed out twice");
        }
        prop_assert_eq!(list.allocated_count, seen.len() as u64);
    }

    #[test]
    fn set_then_get_round_trips_for_any_index(size in 1u8..=8, index in 0u64..131_072, value in any::<u8>()) {
        let mut bits = Bitstring::new(131_072, size).unwrap();
        let value = if size == 8 { value } else { value % (1 << size) };
        bits.set(index, value).unwrap();
        prop_assert_eq!(bits.get(index).unwrap(), value);
        if index > 0 { prop_assert_eq!(bits.get(index - 1).unwrap(), 0); }
        if index + 1 < 131_072 { prop_assert_eq!(bits.get(index + 1).unwrap(), 0); }
        bits.set(index, 0).unwrap();
        prop_assert!(bits.as_bytes().iter().all(|b| *b == 0));
    }

    #[test]
    fn encoded_lists_round_trip(indexes in prop::collection::vec(0u64..131_072, 0..50)) {
        let mut bits = Bitstring::new(131_072, 1).unwrap();
        for i in &indexes { bits.set(*i, 1).unwrap(); }
        let again = Bitstring::decode(&bits.encode().unwrap(), 1, passerelle::status::MAX_EXPANDED_BYTES).unwrap();
        prop_assert_eq!(again, bits);
    }
}

// ---- statusSize, statusMessage, statusReference (Bitstring Status List §2.1) ----

fn entry_with(extra: Value) -> Result<StatusEntry, passerelle::Error> {
    let mut entry = json!({"type": "BitstringStatusListEntry", "statusPurpose": "message",
                           "statusListIndex": "7", "statusListCredential": "https://e.example/list"});
    for (k, v) in extra.as_object().unwrap() {
        entry[k] = v.clone();
    }
    StatusEntry::from_json(entry.as_object().unwrap())
}

fn messages(values: &[&str]) -> Value {
    values
        .iter()
        .map(|s| json!({"status": s, "message": format!("m{s}")}))
        .collect()
}

#[test]
fn status_size_and_status_message_follow_the_entry_rules() {
    let four = messages(&["0x0", "0x1", "0x2", "0x3"]);
    assert!(entry_with(json!({"statusSize": 2, "statusMessage": four})).is_ok());
    assert!(entry_with(json!({"statusSize": 1, "statusMessage": messages(&["0x0", "0x1"])})).is_ok());
    assert!(entry_with(json!({"statusMessage": messages(&["0x0", "0x1"])})).is_ok());
    for (why, extra) in [
        ("statusSize 0", json!({"statusSize": 0})),
        ("statusSize as a string", json!({"statusSize": "2"})),
        ("statusSize 2 without statusMessage", json!({"statusSize": 2})),
        (
            "3 messages for 2 bits",
            json!({"statusSize": 2, "statusMessage": messages(&["0x0", "0x1", "0x2"])}),
        ),
        ("1 message for 1 bit", json!({"statusMessage": messages(&["0x0"])})),
        (
            "a value past the size",
            json!({"statusSize": 2, "statusMessage": messages(&["0x0", "0x1", "0x2", "0x4"])}),
        ),
        (
            "a value twice",
            json!({"statusSize": 2, "statusMessage": messages(&["0x0", "0x1", "0x1", "0x3"])}),
        ),
        ("no 0x", json!({"statusMessage": messages(&["0", "1"])})),
        ("not hex", json!({"statusMessage": messages(&["0x0", "0xg"])})),
        (
            "a message not a string",
            json!({"statusMessage": [{"status": "0x0", "message": 1}, {"status": "0x1", "message": "m"}]}),
        ),
    ] {
        assert_eq!(
            entry_with(extra).unwrap_err().code(),
            ErrorCode::StatusListInvalid,
            "{why}"
        );
    }
    // 0x01 and 0x1 are the same status.
    let entry =
        entry_with(json!({"statusSize": 2, "statusMessage": messages(&["0x00", "0x01", "0x2", "0X3"])})).unwrap();
    assert_eq!(entry.message_for(1), Some("m0x01"));
    assert_eq!(entry.message_for(3), Some("m0X3"));
}

#[test]
fn status_reference_is_a_url_or_an_array_of_urls() {
    let one = entry_with(json!({"statusReference": "https://ref.example/codes"})).unwrap();
    assert_eq!(one.references, ["https://ref.example/codes"]);
    assert_eq!(one.to_json()["statusReference"], "https://ref.example/codes");
    let two = entry_with(json!({"statusReference": ["https://a.example/1", "https://b.example/2"]})).unwrap();
    assert_eq!(two.references.len(), 2);
    assert_eq!(StatusEntry::from_json(two.to_json().as_object().unwrap()).unwrap(), two);
    for bad in [json!("not a url"), json!([]), json!(7), json!(["https://a.example", 7])] {
        assert_eq!(
            entry_with(json!({ "statusReference": bad })).unwrap_err().code(),
            ErrorCode::StatusListInvalid,
            "{bad}"
        );
    }
}

#[test]
fn a_list_gives_its_messages_and_references_to_its_entries_and_checks_them() {
    let url = "https://status.passerelle.example/lists/m";
    let texts = |n: u32| {
        (0..n)
            .map(|v| (format!("0x{v:x}"), format!("code {v}")))
            .collect::<Vec<_>>()
    };
    let mut list = StatusList::new(url, "message", MIN_ENTRIES, 2)
        .unwrap()
        .with_messages(texts(4))
        .unwrap()
        .with_references(vec!["https://ref.example/codes".into()])
        .unwrap();
    let entry = list.allocate().unwrap();
    assert_eq!(entry.messages, texts(4));
    assert_eq!(entry.references, ["https://ref.example/codes"]);
    assert!(StatusEntry::from_json(entry.to_json().as_object().unwrap()).is_ok());
    let fresh = || StatusList::new(url, "message", MIN_ENTRIES, 2).unwrap();
    assert_eq!(
        fresh().with_messages(texts(3)).unwrap_err().code(),
        ErrorCode::StatusListInvalid
    );
    assert_eq!(
        fresh().with_messages(texts(8)).unwrap_err().code(),
        ErrorCode::StatusListInvalid
    );
    let mut twice = texts(4);
    twice[3].0 = "0x2".into();
    assert_eq!(
        fresh().with_messages(twice).unwrap_err().code(),
        ErrorCode::StatusListInvalid
    );
    assert_eq!(
        fresh().with_references(vec!["no url".into()]).unwrap_err().code(),
        ErrorCode::StatusListInvalid
    );
    // A stored list keeps them.
    let stored = serde_json::to_string(&list).unwrap();
    assert_eq!(serde_json::from_str::<StatusList>(&stored).unwrap(), list);
}

/// A credential with one entry of `list` at status `value`, and the list
/// published; `edit` changes the list credential (then re-signed) and the
/// entry before the credential is signed.
fn multi_bit(
    purpose: &str,
    value: u8,
    edit_list: impl Fn(&mut Map<String, Value>),
    edit_entry: impl Fn(&mut Value),
) -> Report {
    let issuer = issuer();
    let url = "https://status.passerelle.example/lists/multi";
    let mut list = StatusList::new(url, "message", MIN_ENTRIES, 2)
        .unwrap()
        .with_messages(vec![
            ("0x0".into(), "pending".into()),
            ("0x1".into(), "accepted".into()),
            ("0x2".into(), "rejected".into()),
            ("0x3".into(), "undefined".into()),
        ])
        .unwrap();
    let entry = list.allocate().unwrap();
    list.set(entry.index, value).unwrap();
    let mut entry = entry.to_json();
    entry["statusPurpose"] = purpose.into();
    edit_entry(&mut entry);
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": issuer.did(),
        "credentialSubject": {"id": "did:example:x"}, "credentialStatus": entry,
    });
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap()
        .into_json();
    let mut published = list.publish(&issuer, t("2026-05-01T00:00:00Z"), None).unwrap();
    published["credentialSubject"]["statusPurpose"] = purpose.into();
    edit_list(&mut published);
    let published = resign(&issuer, published);
    let mut lists = StaticStatusLists::default();
    lists.insert(url, serde_json::to_vec(&published).unwrap());
    verify_with(lists, &credential, AT)
}

fn status_message(report: &Report) -> Option<String> {
    report
        .check(CheckName::Status)?
        .evidence
        .iter()
        .find(|(k, _)| k.name() == "statusMessage")
        .map(|(_, v)| v.clone())
}

#[test]
fn a_multi_bit_status_reports_the_message_of_its_value() {
    for (value, message) in [(0, "pending"), (1, "accepted"), (2, "rejected"), (3, "undefined")] {
        let report = multi_bit("message", value, |_| {}, |_| {});
        assert!(report.verified(), "{value}");
        assert_eq!(status_message(&report).as_deref(), Some(message), "{value}");
    }
}

#[test]
fn a_list_without_status_size_is_read_with_the_entry_s_size() {
    // The spec's lists carry no statusSize: the entry's size applies.
    let bare = |list: &mut Map<String, Value>| {
        let subject = list["credentialSubject"].as_object_mut().unwrap();
        subject.shift_remove("statusSize");
        subject.shift_remove("statusMessages");
    };
    let report = multi_bit("message", 2, bare, |_| {});
    assert!(report.verified(), "{:?}", status_code(&report));
    assert_eq!(status_message(&report).as_deref(), Some("rejected"));
    // A list that states another size is refused.
    let report = multi_bit(
        "message",
        2,
        |l| l["credentialSubject"]["statusSize"] = 1.into(),
        |_| {},
    );
    assert_eq!(status_code(&report), Some(ErrorCode::StatusListInvalid));
}

#[test]
fn a_multi_bit_revocation_or_suspension_fails_on_any_value_but_zero() {
    for value in [1, 2, 3] {
        let report = multi_bit("revocation", value, |_| {}, |_| {});
        assert_eq!(status_code(&report), Some(ErrorCode::CredentialRevoked), "{value}");
        let report = multi_bit("suspension", value, |_| {}, |_| {});
        assert_eq!(status_code(&report), Some(ErrorCode::CredentialSuspended), "{value}");
    }
    assert!(multi_bit("revocation", 0, |_| {}, |_| {}).verified());
}

#[test]
fn a_status_value_without_a_message_fails_closed() {
    // An entry whose messages leave value 2 out is refused, not read as "no message".
    let report = multi_bit(
        "message",
        2,
        |_| {},
        |entry| entry["statusMessage"][2]["status"] = "0x1".into(),
    );
    assert_eq!(status_code(&report), Some(ErrorCode::StatusListInvalid));
}

#[test]
fn a_one_bit_message_entry_without_messages_reports_set_and_unset() {
    let issuer = issuer();
    let url = "https://status.passerelle.example/lists/one-bit";
    let mut list = StatusList::new(url, "message", MIN_ENTRIES, 1).unwrap();
    let entry = list.allocate().unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": issuer.did(),
        "credentialSubject": {"id": "did:example:x"}, "credentialStatus": entry.to_json(),
    });
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap()
        .into_json();
    for (value, message) in [(0, "unset"), (1, "set")] {
        list.set(entry.index, value).unwrap();
        let mut lists = StaticStatusLists::default();
        lists.insert(
            url,
            serde_json::to_vec(&list.publish(&issuer, t("2026-05-01T00:00:00Z"), None).unwrap()).unwrap(),
        );
        let report = verify_with(lists, &credential, AT);
        assert!(report.verified());
        assert_eq!(status_message(&report).as_deref(), Some(message));
    }
}

/// The lists a source lacks are all named in the failed check's evidence
/// (the wasm `…Async` verifications fetch those, and only those), and a
/// list that says revoked or suspended is the answer even when another
/// list is missing.
#[test]
fn every_missing_list_is_named_and_a_definite_status_outranks_a_missing_list() {
    let mut w = world();
    let named = |report: &Report| -> Vec<String> {
        let status = report.check(CheckName::Status).unwrap();
        status
            .evidence
            .iter()
            .filter(|(k, _)| k.name() == "statusListCredential")
            .map(|(_, v)| v.clone())
            .collect()
    };
    let none = verify_with(StaticStatusLists::default(), &w.credential, AT);
    assert_eq!(status_code(&none), Some(ErrorCode::StatusListUnavailable));
    assert_eq!(named(&none), [REVOCATIONS, SUSPENSIONS]);

    // A source with the suspension list only, its bit as given.
    let only_suspensions = |w: &mut World, bit: u8| {
        w.suspensions.set(w.suspension_index, bit).unwrap();
        let published = w
            .suspensions
            .publish(&w.issuer, t("2026-05-01T00:00:00Z"), Some(t("2026-12-31T00:00:00Z")))
            .unwrap();
        let mut lists = StaticStatusLists::default();
        lists.insert(SUSPENSIONS.to_owned(), serde_json::to_vec(&published).unwrap());
        lists
    };
    // Suspended: that is the answer, although the revocation list is missing.
    let report = verify_with(only_suspensions(&mut w, 1), &w.credential, AT);
    assert_eq!(status_code(&report), Some(ErrorCode::CredentialSuspended));

    // Not suspended: the missing revocation list fails the check.
    let report = verify_with(only_suspensions(&mut w, 0), &w.credential, AT);
    assert_eq!(status_code(&report), Some(ErrorCode::StatusListUnavailable));
    assert_eq!(named(&report), [REVOCATIONS, SUSPENSIONS]);
}
