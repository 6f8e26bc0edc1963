//! Property tests: issue → verify round trips, any change breaks the proof,
//! JCS is idempotent, byte flips never verify, no input panics.

use passerelle::canon::canonicalize;
use passerelle::crypto::Ed25519KeyPair;
use passerelle::json::{parse_strict, Limits};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        // Integers a double holds exactly: others are refused (see below).
        (-(1_i64 << 53)..=(1_i64 << 53)).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,8}", inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

fn subject() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec(("[a-zA-Z][a-zA-Z0-9_]{0,10}", json_value()), 1..6)
        .prop_map(|entries| entries.into_iter().filter(|(k, _)| k != "id").collect())
}

fn at() -> Timestamp {
    Timestamp::parse("2030-01-01T00:00:00Z").unwrap()
}

fn issue(subject: Map<String, Value>) -> Map<String, Value> {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[11; 32]));
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "credentialSubject": Value::Object(subject),
    });
    issuer
        .issue(unsigned.as_object().unwrap().clone(), at())
        .unwrap()
        .into_json()
}

fn verify(bytes: &[u8]) -> passerelle::Report {
    Verifier::offline().verify(bytes, &VerifyOptions::at(at()))
}

/// One kind of change to the subject of a signed credential.
#[derive(Clone, Debug)]
enum Change {
    Replace(usize, Value),
    Add(String, Value),
    Remove(usize),
    ReverseArray,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<usize>(), json_value()).prop_map(|(i, v)| Change::Replace(i, v)),
        ("[a-z]{1,8}", json_value()).prop_map(|(k, v)| Change::Add(format!("added_{k}"), v)),
        any::<usize>().prop_map(Change::Remove),
        Just(Change::ReverseArray),
    ]
}

/// Applies the change; `false` when it would leave the document as it was.
fn apply(change: &Change, subject: &mut Map<String, Value>) -> bool {
    let before = subject.clone();
    let keys: Vec<String> = subject.keys().cloned().collect();
    match change {
        Change::Replace(i, value) => {
            subject.insert(keys[i % keys.len()].clone(), value.clone());
        }
        Change::Add(key, value) => {
            subject.insert(key.clone(), value.clone());
        }
        Change::Remove(i) => {
            subject.shift_remove(&keys[i % keys.len()]);
        }
        Change::ReverseArray => {
            if let Some(Value::Array(items)) = subject.get_mut("ordered") {
                items.reverse();
            }
        }
    }
    canonicalize(&Value::Object(before)).unwrap() != canonicalize(&Value::Object(subject.clone())).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn issued_credentials_verify(subject in subject()) {
        let signed = issue(subject);
        let report = verify(Value::Object(signed).to_string().as_bytes());
        prop_assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    }

    #[test]
    fn any_change_to_the_subject_fails_the_proof(mut subject in subject(), change in change()) {
        if matches!(change, Change::ReverseArray) {
            subject.insert("ordered".into(), json!([3, 2, 1]));
        }
        let mut signed = issue(subject.clone());
        let mut changed = subject;
        prop_assume!(apply(&change, &mut changed));
        let emptied = changed.is_empty();
        signed.insert("credentialSubject".into(), Value::Object(changed));
        let report = verify(Value::Object(signed).to_string().as_bytes());
        prop_assert!(!report.verified());
        if emptied {
            // A subject left with no claim is refused before the proof is read.
            prop_assert_eq!(report.check(CheckName::DataModel).unwrap().code, Some(ErrorCode::SubjectMissing));
        } else {
            prop_assert_eq!(report.check(CheckName::Proof).unwrap().code, Some(ErrorCode::ProofSignatureInvalid));
        }
    }

    #[test]
    fn any_byte_flip_fails_verification(subject in subject(), position in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let mut bytes = Value::Object(issue(subject)).to_string().into_bytes();
        let i = position.index(bytes.len());
        bytes[i] ^= mask;
        let report = verify(&bytes);
        prop_assert!(!report.verified(), "flipping byte {} with {:#x} still verified", i, mask);
    }

    #[test]
    fn jcs_is_idempotent(value in json_value()) {
        let once = canonicalize(&value).unwrap();
        let reparsed = parse_strict(&once, Limits::default()).unwrap();
        prop_assert_eq!(canonicalize(&reparsed).unwrap(), once);
    }

    #[test]
    fn the_strict_reader_reads_what_serde_json_writes(value in json_value()) {
        let compact = serde_json::to_string(&value).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        for text in [compact, pretty] {
            let limits = Limits { max_bytes: 1 << 20, max_depth: Limits::DEPTH_CEILING };
            let read = parse_strict(text.as_bytes(), limits).unwrap();
            prop_assert_eq!(&read, &value);
            // Numbers bit for bit, the sign of zero included.
            prop_assert_eq!(read.to_string(), value.to_string());
        }
    }

    #[test]
    fn parsing_keeps_every_property_in_order(subject in subject()) {
        let text = Value::Object(subject.clone()).to_string();
        let parsed = parse_strict(text.as_bytes(), Limits { max_depth: 100, ..Limits::default() }).unwrap();
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_never_verify(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let report = verify(&bytes);
        prop_assert!(!report.verified());
        prop_assert!(report.checks().iter().any(|c| c.outcome == Outcome::Failed));
    }
}

/// The bytes a signature covers are the canonical form: an integer a double
/// cannot hold exactly would be signed as its rounded neighbour, so a change
/// to its last digits would keep the proof valid while the document says
/// something else. Such integers are refused at issuance and verification.
#[test]
fn integers_a_double_cannot_hold_are_refused() {
    let exact = 1_i64 << 53;
    let mut subject = Map::new();
    subject.insert("count".into(), json!(exact));
    let text = Value::Object(issue(subject)).to_string();
    assert!(verify(text.as_bytes()).verified());

    let nudged = text.replace(&exact.to_string(), &(exact + 1).to_string());
    let report = verify(nudged.as_bytes());
    assert!(!report.verified(), "{}", report.render(passerelle::Lang::En));
    let codes: Vec<_> = report.checks().iter().filter_map(|c| c.code).collect();
    assert!(codes.contains(&ErrorCode::JsonNumberInvalid), "{codes:?}");

    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[11; 32]));
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "credentialSubject": {"count": exact + 1},
    });
    let refused = issuer.issue(unsigned.as_object().unwrap().clone(), at()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::JsonNumberInvalid);
}
