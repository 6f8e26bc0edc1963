//! Proof chains (`previousProof`) and VCDM 1.1 credentials secured with
//! Data Integrity.
//!
//! The chains are signed by the two assertion keys of the did:web issuer
//! (the verifier binds every proof's key to the issuer); the 1.1
//! credentials are issued with each of the four suites, the data-integrity
//! context appended by the issuer.

use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::proof::Cryptosuite;
use passerelle::{Credential, Issuer};
use serde_json::{json, Map, Value};

use super::{fails, object, permit, sign, time, Keys, Vectors, ISSUED_AT, VERIFIED, WEB_DID, WEB_DOC};

const FIRST: &str = "urn:uuid:5c1b0e2a-8d34-4f6e-a9c7-0b1d2e3f4a01";
const SECOND: &str = "urn:uuid:5c1b0e2a-8d34-4f6e-a9c7-0b1d2e3f4a02";

fn web_issuer<'k>(key: &'k Ed25519KeyPair, fragment: &str, suite: Cryptosuite) -> Issuer<&'k Ed25519KeyPair> {
    Issuer::new(key, format!("{WEB_DID}#{fragment}"))
        .and_then(|i| i.with_cryptosuite(suite))
        .expect("a fixed issuer")
}

/// The permit signed by `assert-1` (proof FIRST), then by `assert-2`
/// following it (proof SECOND).
fn chain(keys: &Keys, suite: Cryptosuite) -> Map<String, Value> {
    // The rdfc suites need every term defined: the permit's own context.
    let unsigned = match suite.is_rdfc() {
        true => super::rdfc::linked_permit(WEB_DID),
        false => permit(WEB_DID),
    };
    let first = web_issuer(&keys.web_assert, "assert-1", suite)
        .issue_with_proof_id(unsigned, FIRST, time(ISSUED_AT))
        .expect("issuing a fixture");
    web_issuer(&keys.web_second, "assert-2", suite)
        .add_chained_proof(first, &[FIRST], Some(SECOND), time(ISSUED_AT))
        .map(Credential::into_json)
        .expect("chaining a fixture")
}

pub(crate) fn chain_cases(v: &mut Vectors, keys: &Keys) {
    let jcs = chain(keys, Cryptosuite::EddsaJcs2022);
    v.case(
        "chain-valid",
        "A proof chain: the issuer's assert-1 key signs (proof id …4a01), then its assert-2 key \
         signs over the credential and that proof (previousProof …4a01). Both verify.",
        &jcs,
        &[WEB_DOC],
        json!({}),
        VERIFIED,
    );
    v.case(
        "chain-valid-rdfc",
        "The same proof chain with eddsa-rdfc-2022: the earlier proof is signed as a named graph.",
        &chain(keys, Cryptosuite::EddsaRdfc2022),
        &[WEB_DOC],
        json!({}),
        VERIFIED,
    );
    let mut broken = jcs.clone();
    broken["proof"][0]["created"] = json!("2026-01-15T09:00:01Z");
    v.case(
        "chain-earlier-proof-fails",
        "The chain with its first proof's created changed: the first proof and the one that \
         follows it no longer verify, so the chain does not.",
        &broken,
        &[WEB_DOC],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );
    let mut dangling = jcs.clone();
    dangling["proof"].as_array_mut().expect("a proof set").remove(0);
    v.case(
        "chain-reference-dangling",
        "The chain without its first proof: the remaining proof's previousProof names a proof \
         the document does not contain.",
        &dangling,
        &[WEB_DOC],
        json!({}),
        fails(&[("proof", "PROOF_REFERENCE_DANGLING")]),
    );
    let mut cycle = jcs;
    cycle["proof"][0]["previousProof"] = json!(SECOND);
    v.case(
        "chain-cycle",
        "The first proof made to name the second, which names the first: the references form \
         a cycle and are refused before any signature is checked.",
        &cycle,
        &[WEB_DOC],
        json!({}),
        fails(&[("proof", "PROOF_CHAIN_CYCLE")]),
    );
}

/// A VCDM 1.1 credential as the W3C Data Integrity suites send them.
fn credential_1_1(issuer: &str) -> Map<String, Value> {
    object(json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:0e9f8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": ISSUED_AT,
        "expirationDate": "2031-01-15T09:00:00Z",
        "credentialSubject": {"id": "did:example:operator-42"}
    }))
}

fn issue_1_1<S: Signer>(signer: S, suite: Cryptosuite) -> Map<String, Value> {
    let issuer = Issuer::did_key(signer)
        .with_cryptosuite(suite)
        .expect("a suite for the key");
    issuer
        .issue(credential_1_1(issuer.did()), time(ISSUED_AT))
        .expect("issuing a fixture")
        .into_json()
}

pub(crate) fn vcdm11_cases(v: &mut Vectors) {
    for suite in [
        Cryptosuite::EddsaJcs2022,
        Cryptosuite::EddsaRdfc2022,
        Cryptosuite::EcdsaJcs2019,
        Cryptosuite::EcdsaRdfc2019,
    ] {
        let signed = if suite.key_algorithm() == passerelle::crypto::KeyAlgorithm::Ed25519 {
            issue_1_1(Ed25519KeyPair::from_seed(&[0x41; 32]), suite)
        } else {
            issue_1_1(
                P256KeyPair::from_secret_bytes(&[0x42; 32]).expect("a fixed scalar"),
                suite,
            )
        };
        v.case(
            &format!("vcdm11-{suite}"),
            &format!(
                "A VCDM 1.1 credential (credentials/v1 context, issuanceDate, expirationDate, \
                 urn:uuid id) issued with {suite}; the issuer appended the data-integrity/v2 context."
            ),
            &signed,
            &[],
            json!({}),
            VERIFIED,
        );
    }

    // Signed below the issuer API, which refuses to issue it.
    let key = Ed25519KeyPair::from_seed(&[0x41; 32]);
    let did = passerelle::did::key::did_for(&key.public_key());
    let vm = passerelle::did::key::verification_method_for(&key.public_key());
    let mut expired = credential_1_1(&did);
    expired["@context"] = json!([
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v2"
    ]);
    expired.remove("expirationDate");
    expired.insert("validUntil".into(), json!("2026-02-01T00:00:00Z"));
    v.case(
        "vcdm11-signed-valid-until",
        "A VCDM 1.1 credential whose signed expiry is written with the VCDM 2.0 term validUntil \
         (the 1.1 context defines it), verified after that date: refused rather than read as \
         having no expiry.",
        &sign(&expired, &key, &vm),
        &[],
        json!({}),
        fails(&[("data_model", "DATE_INVALID")]),
    );
}
