//! ecdsa-sd-2023 through the `Verifier`: an issuer's base proof, the
//! holder's derived proof, and what a verifier must refuse — a base proof
//! presented as is, a changed claim, a statement outside the subjects that
//! the holder could have hidden, a rewritten JSON-LD spelling; and the
//! property that any choice of claims verifies and shows exactly those.

mod common;

use passerelle::crypto::{multibase, P256KeyPair, Signer};
use passerelle::jsonld::JsonLd;
use passerelle::proof::{ecdsa_sd, Cryptosuite, ProofOptions};
use passerelle::verify::{CheckName, Outcome};
use passerelle::{did, ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const CLAIMS: [&str; 6] = [
    "givenName",
    "familyName",
    "birthDate",
    "over19",
    "licenceClass",
    "region",
];

fn at() -> Timestamp {
    Timestamp::parse("2026-06-01T00:00:00Z").unwrap()
}

fn key() -> P256KeyPair {
    P256KeyPair::from_secret_bytes(&[31; 32]).unwrap()
}

fn issuer() -> Issuer<P256KeyPair> {
    Issuer::did_key(key())
        .with_cryptosuite(Cryptosuite::EcdsaSd2023)
        .unwrap()
}

fn credential(issuer_did: &str) -> Map<String, Value> {
    common::object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential", "AgeCredential"],
        "issuer": issuer_did,
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:holder",
            "givenName": "Jo",
            "familyName": "Tremblay",
            "birthDate": "2001-02-03",
            "over19": true,
            "licenceClass": "5",
            "region": "BC"
        }
    }))
}

fn base() -> Map<String, Value> {
    let issuer = issuer();
    issuer.issue(credential(issuer.did()), at()).unwrap().into_json()
}

fn pointers(claims: &[&str]) -> Vec<String> {
    claims.iter().map(|c| format!("/credentialSubject/{c}")).collect()
}

fn derive(base: &Map<String, Value>, claims: &[&str]) -> Map<String, Value> {
    ecdsa_sd::derive_proof(base, &pointers(claims), JsonLd::bundled()).unwrap()
}

fn verify_at(document: &Map<String, Value>, time: Timestamp) -> passerelle::Report {
    let text = serde_json::to_string(document).unwrap();
    Verifier::offline().verify(text.as_bytes(), &VerifyOptions::at(time))
}

fn verify(document: &Map<String, Value>) -> passerelle::Report {
    verify_at(document, at())
}

#[test]
fn a_derived_credential_verifies_and_shows_only_the_chosen_claims() {
    let shown = derive(&base(), &["over19"]);
    let report = verify(&shown);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let subject = shown["credentialSubject"].as_object().unwrap();
    assert_eq!(subject.get("over19"), Some(&Value::Bool(true)));
    assert!(subject.get("birthDate").is_none() && subject.get("givenName").is_none());
    // Everything outside the subject was mandatory, so it is all there.
    for member in ["issuer", "validFrom", "validUntil", "type"] {
        assert!(shown.contains_key(member), "{member}");
    }
}

#[test]
fn the_issuers_base_proof_is_not_for_verifiers() {
    let report = verify(&base());
    assert_eq!(
        common::failure(&report),
        (CheckName::Proof, ErrorCode::DerivedProofRequired)
    );
}

#[test]
fn a_changed_or_added_claim_fails() {
    let shown = derive(&base(), &["over19", "region"]);
    let mut changed = shown.clone();
    changed["credentialSubject"]["region"] = "ON".into();
    assert_eq!(
        common::failure(&verify(&changed)),
        (CheckName::Proof, ErrorCode::ProofSignatureInvalid)
    );
    // A claim the holder did not disclose cannot be put back with another value.
    let mut added = shown.clone();
    added["credentialSubject"]["birthDate"] = "1990-01-01".into();
    assert_eq!(common::failure(&verify(&added)).0, CheckName::Proof);
}

#[test]
fn validity_is_judged_on_the_mandatory_dates() {
    let shown = derive(&base(), &["over19"]);
    let later = Timestamp::parse("2027-06-01T00:00:00Z").unwrap();
    assert_eq!(
        common::failure(&verify_at(&shown, later)),
        (CheckName::ValidityPeriod, ErrorCode::CredentialExpired)
    );
    // Dropping the mandatory validUntil breaks the proof rather than the expiry.
    let mut dropped = shown.clone();
    dropped.shift_remove("validUntil");
    assert_eq!(common::failure(&verify_at(&dropped, later)).0, CheckName::Proof);
}

/// An issuer (not passerelle's) that lets the holder choose `validUntil`:
/// only `/issuer` is mandatory, as in the W3C vectors.
fn lax_base() -> Map<String, Value> {
    let key = key();
    let vm = did::key::verification_method_for(&key.public_key());
    let options = ProofOptions::assertion(vm, at());
    let unsigned = credential(&did::key::did_for(&key.public_key()));
    ecdsa_sd::add_base_proof(&unsigned, &options, &["/issuer".into()], &key, JsonLd::bundled()).unwrap()
}

#[test]
fn a_statement_outside_the_subjects_that_the_holder_chose_is_not_relied_on() {
    let base = lax_base();
    let mut chosen = pointers(&["over19"]);
    chosen.push("/validUntil".into());
    let shown = ecdsa_sd::derive_proof(&base, &chosen, JsonLd::bundled()).unwrap();
    assert_eq!(
        common::failure(&verify(&shown)),
        (CheckName::Proof, ErrorCode::DisclosureNotMandatory)
    );
    // Its signature is good: only the verifier's rule refuses it.
    let proof = passerelle::proof::DataIntegrityProof::parse(shown["proof"].as_object().unwrap()).unwrap();
    proof.verify_signature(&shown, &key().public_key()).unwrap();
}

#[test]
fn a_json_ld_respelling_of_a_member_read_is_refused() {
    let shown = derive(&base(), &["over19"]);
    let mut respelled = shown.clone();
    let until = respelled.shift_remove("validUntil").unwrap();
    respelled.insert(
        "https://www.w3.org/2018/credentials#validUntil".into(),
        json!({"@value": until, "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}),
    );
    let report = verify_at(&respelled, Timestamp::parse("2027-06-01T00:00:00Z").unwrap());
    assert_eq!(common::failure(&report).1, ErrorCode::SignedFormMismatch);
}

#[test]
fn pointers_that_name_nothing_are_refused_on_both_sides() {
    let e = ecdsa_sd::derive_proof(&base(), &["/credentialSubject/nope".into()], JsonLd::bundled()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PointerInvalid);
    let issuer = issuer().with_mandatory_pointers(vec!["/credentialSubject/nope".into()]);
    let e = issuer.issue(credential(issuer.did()), at()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PointerInvalid);
}

#[test]
fn only_p256_issuer_keys_sign_ecdsa_sd_2023() {
    let p384 = passerelle::crypto::P384KeyPair::from_secret_bytes(&[3; 48]).unwrap();
    let e = Issuer::did_key(p384)
        .with_cryptosuite(Cryptosuite::EcdsaSd2023)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyTypeUnsupported);
}

fn proof_value(document: &Map<String, Value>) -> Vec<u8> {
    multibase::decode(document["proof"]["proofValue"].as_str().unwrap()).unwrap()
}

fn with_proof_value(document: &Map<String, Value>, value: &[u8]) -> Map<String, Value> {
    let mut out = document.clone();
    out["proof"]["proofValue"] = multibase::encode_base64url(value).into();
    out
}

#[test]
fn any_byte_flip_of_a_derived_proof_value_fails() {
    let shown = derive(&base(), &["over19", "region"]);
    let value = proof_value(&shown);
    for at_byte in 0..value.len() {
        let mut flipped = value.clone();
        flipped[at_byte] ^= 0x01;
        let report = verify(&with_proof_value(&shown, &flipped));
        assert!(!report.verified(), "flip at byte {at_byte} verified");
        assert_eq!(common::failure(&report).0, CheckName::Proof, "byte {at_byte}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any choice of subject claims verifies and shows exactly that choice.
    #[test]
    fn any_choice_of_claims_verifies_and_shows_exactly_it(mask in 0u8..64) {
        let chosen: Vec<&str> = CLAIMS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect();
        let shown = derive(&base(), &chosen);
        let report = verify(&shown);
        // With no claim chosen there is no credentialSubject: the data model refuses it.
        if chosen.is_empty() {
            prop_assert!(!report.verified());
            prop_assert!(shown.get("credentialSubject").is_none());
        } else {
            prop_assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
            let subject = shown["credentialSubject"].as_object().unwrap();
            for claim in CLAIMS {
                prop_assert_eq!(subject.contains_key(claim), chosen.contains(&claim), "{}", claim);
            }
            prop_assert_eq!(report.check(CheckName::Proof).unwrap().outcome, Outcome::Passed);
        }
    }
}

#[test]
fn a_required_claim_filled_with_nothing_signed_is_missing() {
    let shown = derive(&base(), &["givenName"]);
    let mut options = VerifyOptions::at(at());
    options.required_claims = vec!["/credentialSubject/region".into()];
    let text = |d: &Map<String, Value>| serde_json::to_string(d).unwrap();
    let report = Verifier::offline().verify(text(&shown).as_bytes(), &options);
    assert_eq!(common::failure(&report).1, ErrorCode::RequiredClaimMissing);
    // JSON-LD values that state nothing need no signature: none stands for the claim.
    for filler in [
        json!(null),
        json!([]),
        json!({"@set": []}),
        json!({"@value": null}),
        json!([null, []]),
    ] {
        let mut filled = shown.clone();
        filled["credentialSubject"]["region"] = filler.clone();
        let report = Verifier::offline().verify(text(&filled).as_bytes(), &options);
        assert!(!report.verified(), "{filler} stood for the claim");
    }
}

#[test]
fn a_proof_context_that_is_not_the_documents_is_refused() {
    let mut shown = derive(&base(), &["over19"]);
    shown["proof"]["@context"] = json!(["https://www.w3.org/ns/credentials/examples/v2"]);
    assert_eq!(
        common::failure(&verify(&shown)),
        (CheckName::Proof, ErrorCode::ProofContextMismatch)
    );
}
