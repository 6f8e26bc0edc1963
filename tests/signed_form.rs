//! With the `*-rdfc-*` suites the signature covers the canonical N-Quads,
//! and many JSON spellings share one dataset. The verifier reads JSON
//! members, so a spelling that hides or changes a member it reads must be
//! refused, whatever the member: these tests rewrite a revoked, expiring
//! credential in JSON-LD-equivalent ways and check that each rewrite is
//! either refused or read exactly as signed.

use passerelle::crypto::Ed25519KeyPair;
use passerelle::jsonld::JsonLd;
use passerelle::proof::Cryptosuite;
use passerelle::status::{StaticStatusLists, StatusList, MIN_ENTRIES};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const LIST: &str = "https://status.passerelle.example/lists/revocation-1";
const CRED: &str = "https://www.w3.org/2018/credentials#";
const XSD_DATETIME: &str = "http://www.w3.org/2001/XMLSchema#dateTime";
/// Before `validUntil`: the revoked credential must fail on its status.
const BEFORE_EXPIRY: &str = "2026-06-01T00:00:00Z";
/// After `validUntil`: the credential must fail as expired.
const AFTER_EXPIRY: &str = "2027-06-01T00:00:00Z";

fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

struct World {
    credential: Map<String, Value>,
    lists: StaticStatusLists,
}

/// An `eddsa-rdfc-2022` credential with a revocation entry (set) and a
/// `validUntil`, and the published list.
fn world() -> World {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[77; 32]))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap();
    let mut list = StatusList::new(LIST, "revocation", MIN_ENTRIES, 1).unwrap();
    let entry = list.allocate().unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:operator", "name": "Mine Nord"},
        "credentialStatus": [entry.to_json()],
    });
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), t("2026-01-01T00:00:00Z"))
        .unwrap()
        .into_json();
    list.set(entry.index, 1).unwrap();
    let mut lists = StaticStatusLists::default();
    let published = list
        .publish(&issuer, t("2026-01-02T00:00:00Z"), Some(t("2030-01-01T00:00:00Z")))
        .unwrap();
    lists.insert(LIST.to_owned(), serde_json::to_vec(&published).unwrap());
    World { credential, lists }
}

fn verify(w: &World, credential: &Map<String, Value>, at: &str) -> Report {
    Verifier::offline()
        .with_status(w.lists.clone())
        .verify(&serde_json::to_vec(credential).unwrap(), &VerifyOptions::at(t(at)))
}

fn without_proof(credential: &Map<String, Value>) -> Value {
    let mut copy = credential.clone();
    copy.remove("proof");
    Value::Object(copy)
}

fn same_dataset(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let jsonld = JsonLd::bundled();
    jsonld.canonicalize(&without_proof(a)).unwrap() == jsonld.canonicalize(&without_proof(b)).unwrap()
}

/// The rewrite is refused (not verified), and refused for what it is:
/// by the status or validity check when the rewrite was read, or by the
/// proof check when the spelling is not the one the verifier reads.
fn assert_not_verified(report: &Report, what: &str) {
    assert!(
        !report.verified(),
        "{what}: verified\n{}",
        report.render(passerelle::Lang::En)
    );
}

#[test]
fn the_unchanged_credential_is_revoked_then_expired() {
    let w = world();
    let report = verify(&w, &w.credential, BEFORE_EXPIRY);
    assert_eq!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Passed);
    assert_eq!(
        report.check(CheckName::Status).and_then(|c| c.code),
        Some(ErrorCode::CredentialRevoked)
    );
    let report = verify(&w, &w.credential, AFTER_EXPIRY);
    assert_eq!(
        report.check(CheckName::ValidityPeriod).and_then(|c| c.code),
        Some(ErrorCode::CredentialExpired)
    );
}

/// Review finding (A): the entry's `type` written as an array.
#[test]
fn an_array_typed_status_entry_is_still_checked() {
    let w = world();
    let mut rewritten = w.credential.clone();
    rewritten["credentialStatus"][0]["type"] = json!(["BitstringStatusListEntry"]);
    assert!(same_dataset(&w.credential, &rewritten));
    let report = verify(&w, &rewritten, BEFORE_EXPIRY);
    assert_not_verified(&report, "array-typed entry");
}

/// Review finding (B): `credentialStatus` spelled as its IRI.
#[test]
fn a_status_member_spelled_as_its_iri_is_refused() {
    let w = world();
    let mut rewritten = w.credential.clone();
    let status = rewritten.shift_remove("credentialStatus").unwrap();
    rewritten.insert(format!("{CRED}credentialStatus"), status);
    assert!(same_dataset(&w.credential, &rewritten));
    let report = verify(&w, &rewritten, BEFORE_EXPIRY);
    assert_not_verified(&report, "credentialStatus as an IRI");
    // Refused by the data model's rule on spellings, before any proof.
    assert_eq!(first_code(&report), Some(ErrorCode::SignedFormMismatch));
}

/// Review finding (C): `validUntil` as an IRI key with a value object.
#[test]
fn a_validity_date_spelled_as_a_value_object_is_refused() {
    let w = world();
    let mut rewritten = w.credential.clone();
    let until = rewritten.shift_remove("validUntil").unwrap();
    rewritten.insert(
        format!("{CRED}validUntil"),
        json!({"@value": until, "@type": XSD_DATETIME}),
    );
    assert!(same_dataset(&w.credential, &rewritten));
    let report = verify(&w, &rewritten, AFTER_EXPIRY);
    assert_not_verified(&report, "validUntil as a value object");
    assert_eq!(first_code(&report), Some(ErrorCode::SignedFormMismatch));
}

/// The members the verifier reads and the ways JSON-LD lets each be
/// respelled without changing the dataset.
#[derive(Clone, Copy, Debug)]
enum Rewrite {
    /// A key written as its absolute IRI.
    KeyAsIri,
    /// A string value (or array of strings) as a one-element array / string.
    ArrayToggle,
    /// A date or literal as a value object under the IRI key.
    ValueObject,
    /// `id` written as the keyword `@id`, `type` as `@type`.
    KeywordForAlias,
    /// The same key written twice: the term and its IRI (values split).
    SplitAcrossSpellings,
}

/// (path to the object holding the member, member term, its IRI, datatype
/// of its value when it is a typed literal).
const MEMBERS: &[(&[&str], &str, &str, Option<&str>)] = &[
    (
        &[],
        "validFrom",
        "https://www.w3.org/2018/credentials#validFrom",
        Some(XSD_DATETIME),
    ),
    (
        &[],
        "validUntil",
        "https://www.w3.org/2018/credentials#validUntil",
        Some(XSD_DATETIME),
    ),
    (&[], "issuer", "https://www.w3.org/2018/credentials#issuer", None),
    (
        &[],
        "credentialStatus",
        "https://www.w3.org/2018/credentials#credentialStatus",
        None,
    ),
    (
        &[],
        "credentialSubject",
        "https://www.w3.org/2018/credentials#credentialSubject",
        None,
    ),
    (&[], "type", "@type", None),
    (&["credentialStatus", "0"], "type", "@type", None),
    (&["credentialStatus", "0"], "id", "@id", None),
    (
        &["credentialStatus", "0"],
        "statusPurpose",
        "https://www.w3.org/ns/credentials/status#statusPurpose",
        None,
    ),
    (
        &["credentialStatus", "0"],
        "statusListIndex",
        "https://www.w3.org/ns/credentials/status#statusListIndex",
        None,
    ),
    (
        &["credentialStatus", "0"],
        "statusListCredential",
        "https://www.w3.org/ns/credentials/status#statusListCredential",
        None,
    ),
];

fn holder<'a>(root: &'a mut Map<String, Value>, path: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut here = root;
    let mut steps = path.iter();
    while let Some(key) = steps.next() {
        // A step is a key, followed by an array index when the member is an array.
        let mut next = here.get_mut(*key)?;
        if let Some(index) = steps.clone().next().and_then(|s| s.parse::<usize>().ok()) {
            steps.next();
            next = next.get_mut(index)?;
        }
        here = next.as_object_mut()?;
    }
    Some(here)
}

/// Applies `rewrite` to one member; `None` when it does not apply there.
fn rewrite(credential: &Map<String, Value>, member: usize, how: Rewrite) -> Option<Map<String, Value>> {
    let (path, term, iri, datatype) = MEMBERS[member];
    let mut out = credential.clone();
    let object = holder(&mut out, path)?;
    let value = object.get(term)?.clone();
    match how {
        Rewrite::KeyAsIri if !iri.starts_with('@') => {
            object.shift_remove(term);
            object.insert(iri.to_owned(), value);
        }
        Rewrite::ArrayToggle => {
            let toggled = match value {
                Value::Array(items) if items.len() == 1 => items[0].clone(),
                Value::Array(_) => return None,
                other => json!([other]),
            };
            object.insert(term.to_owned(), toggled);
        }
        Rewrite::ValueObject => {
            let datatype = datatype?;
            object.shift_remove(term);
            object.insert(iri.to_owned(), json!({"@value": value, "@type": datatype}));
        }
        Rewrite::KeywordForAlias if iri.starts_with('@') => {
            object.shift_remove(term);
            object.insert(iri.to_owned(), value);
        }
        Rewrite::SplitAcrossSpellings if !iri.starts_with('@') => {
            let Value::Array(items) = value else { return None };
            if items.len() < 2 {
                return None;
            }
            let (first, rest) = items.split_at(1);
            object.insert(term.to_owned(), Value::Array(first.to_vec()));
            object.insert(iri.to_owned(), Value::Array(rest.to_vec()));
        }
        _ => return None,
    }
    Some(out)
}

fn all_rewrites() -> Vec<(usize, Rewrite)> {
    let hows = [
        Rewrite::KeyAsIri,
        Rewrite::ArrayToggle,
        Rewrite::ValueObject,
        Rewrite::KeywordForAlias,
        Rewrite::SplitAcrossSpellings,
    ];
    (0..MEMBERS.len())
        .flat_map(|m| hows.iter().map(move |h| (m, *h)))
        .collect()
}

/// The rewritten credential is refused as written (data model or proof
/// check, or a malformed status entry), or its validity and status checks give the same codes as the
/// credential as issued (revoked before expiry, expired after).
fn check_refused_or_read_as_signed(w: &World, rewritten: &Map<String, Value>, what: &str) -> Result<(), String> {
    for at in [BEFORE_EXPIRY, AFTER_EXPIRY] {
        let original = verify(w, &w.credential, at);
        let report = verify(w, rewritten, at);
        if report.verified() {
            return Err(format!("{what} at {at}: verified"));
        }
        // Refused as written: the data model or proof check fails on it, or
        // the status check finds the entry malformed.
        let refused = [CheckName::DataModel, CheckName::Proof]
            .iter()
            .any(|n| report.check(*n).is_some_and(|c| c.outcome == Outcome::Failed))
            || report.check(CheckName::Status).and_then(|c| c.code) == Some(ErrorCode::StatusListInvalid);
        let same_facts = [CheckName::ValidityPeriod, CheckName::Status]
            .iter()
            .all(|n| report.check(*n).and_then(|c| c.code) == original.check(*n).and_then(|c| c.code));
        if !refused && !same_facts {
            return Err(format!(
                "{what} at {at}: neither refused nor read as signed\n{}",
                report.render(passerelle::Lang::En)
            ));
        }
    }
    Ok(())
}

/// Applies `steps` in turn; `None` when a step does not apply or the result
/// no longer has the dataset that was signed.
fn rewritten(w: &World, steps: &[(usize, Rewrite)]) -> Option<Map<String, Value>> {
    let mut out = w.credential.clone();
    for (member, how) in steps {
        out = rewrite(&out, *member, *how)?;
    }
    let jsonld = JsonLd::bundled();
    let nquads = jsonld.canonicalize(&without_proof(&out)).ok()?;
    (nquads == jsonld.canonicalize(&without_proof(&w.credential)).ok()?).then_some(out)
}

#[test]
fn every_single_rewrite_is_refused_or_read_as_signed() {
    let w = world();
    let mut applied = 0;
    let mut failures = Vec::new();
    for step in all_rewrites() {
        let Some(out) = rewritten(&w, &[step]) else { continue };
        applied += 1;
        let what = format!("{:?} of {}", step.1, MEMBERS[step.0].1);
        failures.extend(check_refused_or_read_as_signed(&w, &out, &what).err());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The rewrites that keep the dataset: most members have at least one.
    assert!(applied >= MEMBERS.len(), "only {applied} rewrites kept the dataset");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any sequence of JSON-LD-equivalent rewrites of the members the
    /// verifier reads is refused or read as signed.
    #[test]
    fn rewrite_sequences_are_refused_or_read_as_signed(
        steps in prop::collection::vec(prop::sample::select(all_rewrites()), 1..4)
    ) {
        let w = world();
        let Some(out) = rewritten(&w, &steps) else { return Ok(()) };
        let what = format!("{steps:?}");
        prop_assert!(check_refused_or_read_as_signed(&w, &out, &what).is_ok(),
            "{}", check_refused_or_read_as_signed(&w, &out, &what).unwrap_err());
    }
}

/// A later context cannot give a term the verifier reads another meaning:
/// the VC context protects it, and the data-model check refuses an inline
/// context that redefines a protected term before any other check runs.
/// (Were it let through, the VC context's type-scoped definitions would
/// win, so the credential would still read, and fail, as signed.)
#[test]
fn a_context_redefining_a_read_term_changes_nothing() {
    let w = world();
    let mut rewritten = w.credential.clone();
    rewritten["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        {"validUntil": "https://example.org/vocab#notAfter"}
    ]);
    let report = verify(&w, &rewritten, AFTER_EXPIRY);
    assert_not_verified(&report, "validUntil redefined");
    let data_model = report.check(CheckName::DataModel).unwrap();
    assert_eq!(
        data_model.code,
        Some(ErrorCode::ProtectedTermRedefined),
        "{}",
        report.render(passerelle::Lang::En)
    );
}

/// Review finding F1: a type added under a term the document's own context
/// maps to a type already signed keeps the dataset, but the verifier (and a
/// trust registry matching type names) would read a type the issuer did not
/// state. What is read must mean the same with the context URLs alone.
#[test]
fn a_type_named_by_the_documents_own_context_is_refused() {
    let w = world();
    let mut rewritten = w.credential.clone();
    rewritten["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        {"MinesActPermit": "https://www.w3.org/2018/credentials#VerifiableCredential"}
    ]);
    rewritten["type"] = json!(["VerifiableCredential", "MinesActPermit"]);
    assert!(same_dataset(&w.credential, &rewritten));
    let report = verify(&w, &rewritten, BEFORE_EXPIRY);
    // The inline definition maps a term into the VC vocabulary: refused by
    // the data model, before any proof.
    assert_eq!(
        first_code(&report),
        Some(ErrorCode::ProtectedTermRedefined),
        "{}",
        report.render(passerelle::Lang::En)
    );
}

/// The code of the first failed check.
fn first_code(report: &passerelle::Report) -> Option<ErrorCode> {
    report.failures().first().map(|(_, code)| *code)
}

/// Review finding F4: an id written with a prefix the document's own
/// context defines reads as another string than the signed IRI.
#[test]
fn an_id_spelled_through_the_documents_own_prefix_is_refused() {
    let w = world();
    let mut rewritten = w.credential.clone();
    rewritten["@context"] = json!(["https://www.w3.org/ns/credentials/v2", {"evil": "did:example:"}]);
    rewritten["credentialSubject"]["id"] = json!("evil:operator");
    assert!(same_dataset(&w.credential, &rewritten));
    let report = verify(&w, &rewritten, BEFORE_EXPIRY);
    assert_eq!(
        report.check(CheckName::Proof).and_then(|c| c.code),
        Some(ErrorCode::SignedFormMismatch)
    );
}

/// Review finding F3: a signed type moved from `type` to an `rdf:type`
/// property keeps the dataset and hid the type from the verifier.
#[test]
fn a_type_moved_to_an_rdf_type_property_is_refused() {
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[78; 32]))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "https://example.org/vocab#Permit"],
        "issuer": issuer.did(),
        "credentialSubject": {"id": "did:example:operator"},
    });
    let at = t("2026-01-01T00:00:00Z");
    let signed = issuer
        .issue(unsigned.as_object().unwrap().clone(), at)
        .unwrap()
        .into_json();
    let verify = |credential: &Map<String, Value>| {
        Verifier::offline().verify(&serde_json::to_vec(credential).unwrap(), &VerifyOptions::at(at))
    };
    assert!(verify(&signed).verified());
    let mut rewritten = signed.clone();
    rewritten["type"] = json!(["VerifiableCredential"]);
    rewritten.insert(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type".into(),
        json!({"@id": "https://example.org/vocab#Permit"}),
    );
    assert!(same_dataset(&signed, &rewritten));
    let report = verify(&rewritten);
    assert_eq!(
        report.check(CheckName::Proof).and_then(|c| c.code),
        Some(ErrorCode::SignedFormMismatch)
    );
}

/// Review finding F2: a 1 MiB document of list items (two quads each) is
/// refused by its number of quads before it costs a gigabyte.
#[test]
fn a_document_of_too_many_quads_is_refused_early() {
    let w = world();
    let mut rewritten = w.credential.clone();
    let items: Vec<Value> = (0..400_000).map(|i| json!(i % 10)).collect();
    rewritten["credentialSubject"]["https://schema.org/itemListElement"] = json!({"@list": items});
    let report = verify(&w, &rewritten, BEFORE_EXPIRY);
    assert_eq!(
        report.check(CheckName::Proof).and_then(|c| c.code),
        Some(ErrorCode::CanonicalizationLimit),
        "{}",
        report.render(passerelle::Lang::En)
    );
    let detail = report
        .check(CheckName::Proof)
        .unwrap()
        .detail
        .clone()
        .unwrap_or_default();
    assert!(
        detail.contains("quads"),
        "refused by the quad bound, not later: {detail}"
    );
}
