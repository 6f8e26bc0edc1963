//! The VCDM 2.0 data-model rules as a property: every credential the
//! strategy below builds (any mix of subjects, schemas, terms of use,
//! evidence, refresh services and related resources, types as strings or
//! arrays) is issued and verifies; taking away any one thing a rule
//! requires — a `type`, a schema or related resource `id`, a resource's
//! digests, a subject's claims — or adding a protected-term definition is
//! refused with that rule's code, at issuance and, signed anyway, at
//! verification.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use passerelle::crypto::Ed25519KeyPair;
use passerelle::proof::{add_proof, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};

const OBJECT_KEYS: [&str; 4] = ["termsOfUse", "evidence", "refreshService", "credentialSchema"];

fn at() -> Timestamp {
    Timestamp::parse("2030-01-01T00:00:00Z").unwrap()
}

fn key() -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[21; 32])
}

fn type_value() -> impl Strategy<Value = Value> {
    let name = "[A-Z][A-Za-z0-9]{0,8}";
    prop_oneof![
        name.prop_map(Value::String),
        prop::collection::vec(name, 1..3).prop_map(|names| json!(names)),
    ]
}

/// One object, or an array of one to three.
fn one_or_more(entry: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    prop_oneof![entry.clone(), prop::collection::vec(entry, 1..4).prop_map(Value::Array)]
}

fn typed_entry(needs_id: bool) -> BoxedStrategy<Value> {
    (type_value(), any::<bool>(), any::<u16>())
        .prop_map(move |(types, with_id, n)| {
            let mut entry = json!({"type": types});
            if needs_id || with_id {
                entry["id"] = json!(format!("https://e.example/{n}"));
            }
            if n % 3 == 0 {
                entry["note"] = json!(n);
            }
            entry
        })
        .boxed()
}

fn subject() -> BoxedStrategy<Value> {
    (
        prop::collection::btree_map("[a-z]{1,6}", any::<i32>(), 1..3),
        any::<bool>(),
    )
        .prop_map(|(claims, with_id)| {
            let mut subject: Map<String, Value> = claims.into_iter().map(|(k, v)| (k, json!(v))).collect();
            subject.remove("id");
            subject.remove("type");
            subject.insert("claim".into(), json!(1));
            if with_id {
                subject.insert("id".into(), json!("did:example:subject"));
            }
            Value::Object(subject)
        })
        .boxed()
}

/// A digest of the right length for its algorithm: SRI or Multibase.
fn digest() -> impl Strategy<Value = (&'static str, String)> {
    use base64::Engine as _;
    (0usize..5, prop::collection::vec(any::<u8>(), 64)).prop_map(|(form, bytes)| match form {
        0 => (
            "digestSRI",
            format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(&bytes[..32])
            ),
        ),
        1 => (
            "digestSRI",
            format!(
                "sha384-{}",
                base64::engine::general_purpose::STANDARD.encode(&bytes[..48])
            ),
        ),
        2 => (
            "digestSRI",
            format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(&bytes)),
        ),
        3 => {
            let mut multihash = vec![0x12, 32];
            multihash.extend(&bytes[..32]);
            (
                "digestMultibase",
                passerelle::crypto::multibase::encode_base58btc(&multihash),
            )
        }
        _ => {
            let mut multihash = vec![0x20, 48];
            multihash.extend(&bytes[..48]);
            (
                "digestMultibase",
                passerelle::crypto::multibase::encode_base64url(&multihash),
            )
        }
    })
}

fn related_resources() -> impl Strategy<Value = Value> {
    prop::collection::vec(prop::collection::vec(digest(), 1..3), 1..4).prop_map(|resources| {
        let entries = resources.into_iter().enumerate().map(|(i, digests)| {
            let mut entry = json!({"id": format!("https://r.example/{i}")});
            for (key, digest) in digests {
                entry[key] = json!(digest);
            }
            entry
        });
        Value::Array(entries.collect())
    })
}

fn credential() -> impl Strategy<Value = Map<String, Value>> {
    (
        one_or_more(subject()),
        prop::option::of(one_or_more(typed_entry(false))),
        prop::option::of(one_or_more(typed_entry(false))),
        prop::option::of(one_or_more(typed_entry(false))),
        prop::option::of(one_or_more(typed_entry(true))),
        prop::option::of(related_resources()),
    )
        .prop_map(|(subjects, terms, evidence, refresh, schemas, related)| {
            let issuer = Issuer::did_key(key());
            let mut map = json!({
                "@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://e.example/vocab#"}],
                "type": ["VerifiableCredential"],
                "issuer": issuer.did(),
                "credentialSubject": subjects,
            })
            .as_object()
            .unwrap()
            .clone();
            for (key, value) in OBJECT_KEYS.iter().zip([terms, evidence, refresh, schemas]) {
                if let Some(value) = value {
                    map.insert((*key).into(), value);
                }
            }
            if let Some(related) = related {
                map.insert("relatedResource".into(), related);
            }
            map
        })
}

/// What a rule requires of one place in the credential.
#[derive(Clone, Debug)]
enum Breach {
    /// Remove `field` from entry `index` of `key`.
    Remove {
        key: &'static str,
        index: usize,
        fields: &'static [&'static str],
    },
    /// Empty subject `index`.
    EmptySubject(usize),
    /// Define a protected term in the inline context.
    RedefineTerm(&'static str),
}

fn entries(value: &Value) -> usize {
    value.as_array().map_or(1, Vec::len)
}

fn entry<'a>(map: &'a mut Map<String, Value>, key: &str, index: usize) -> &'a mut Map<String, Value> {
    match map.get_mut(key).unwrap() {
        Value::Array(items) => items[index].as_object_mut().unwrap(),
        one => one.as_object_mut().unwrap(),
    }
}

/// Every breach the credential allows, with the code it must get.
fn breaches(map: &Map<String, Value>) -> Vec<(Breach, ErrorCode)> {
    let mut out = Vec::new();
    for key in OBJECT_KEYS {
        for index in 0..map.get(key).map_or(0, entries) {
            out.push((
                Breach::Remove {
                    key,
                    index,
                    fields: &["type"],
                },
                ErrorCode::PropertyInvalid,
            ));
            if key == "credentialSchema" {
                out.push((
                    Breach::Remove {
                        key,
                        index,
                        fields: &["id"],
                    },
                    ErrorCode::PropertyInvalid,
                ));
            }
        }
    }
    for index in 0..map.get("relatedResource").map_or(0, entries) {
        let key = "relatedResource";
        out.push((
            Breach::Remove {
                key,
                index,
                fields: &["id"],
            },
            ErrorCode::PropertyInvalid,
        ));
        let digests = &["digestSRI", "digestMultibase"];
        out.push((
            Breach::Remove {
                key,
                index,
                fields: digests,
            },
            ErrorCode::PropertyInvalid,
        ));
    }
    for index in 0..entries(&map["credentialSubject"]) {
        out.push((Breach::EmptySubject(index), ErrorCode::SubjectMissing));
    }
    for term in ["validUntil", "issuer", "credentialStatus", "type", "id", "digestSRI"] {
        out.push((Breach::RedefineTerm(term), ErrorCode::ProtectedTermRedefined));
    }
    out
}

fn apply(breach: &Breach, map: &mut Map<String, Value>) {
    match breach {
        Breach::Remove { key, index, fields } => {
            let entry = entry(map, key, *index);
            for field in *fields {
                entry.remove(*field);
            }
        }
        Breach::EmptySubject(index) => entry(map, "credentialSubject", *index).clear(),
        Breach::RedefineTerm(term) => {
            map["@context"][1][*term] = json!("https://e.example/mine");
        }
    }
}

fn verify(document: &Map<String, Value>) -> passerelle::Report {
    Verifier::offline().verify(
        Value::Object(document.clone()).to_string().as_bytes(),
        &VerifyOptions::at(at()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn valid_credentials_pass_and_each_breach_has_its_code(
        map in credential(),
        pick in any::<prop::sample::Index>(),
    ) {
        let issuer = Issuer::did_key(key());
        let issued = issuer.issue(map.clone(), at());
        prop_assert!(issued.is_ok(), "{:?}", issued.err());
        let report = verify(issued.unwrap().json());
        prop_assert!(report.verified(), "{}", report.render(passerelle::Lang::En));

        let all = breaches(&map);
        let (breach, code) = &all[pick.index(all.len())];
        let mut broken = map.clone();
        apply(breach, &mut broken);
        let refused = issuer.issue(broken.clone(), at()).map(|_| ()).map_err(|e| e.code());
        prop_assert_eq!(refused, Err(*code), "issuing with {:?}", breach);

        let options = ProofOptions::assertion(issuer.verification_method(), at());
        let signed = add_proof(&broken, Cryptosuite::EddsaJcs2022, &options, &key()).unwrap();
        let report = verify(&signed);
        let data_model = report.check(CheckName::DataModel).unwrap();
        prop_assert_eq!(data_model.outcome, Outcome::Failed, "verifying with {:?}", breach);
        prop_assert_eq!(data_model.code, Some(*code), "verifying with {:?}", breach);
    }
}
