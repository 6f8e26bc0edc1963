//! The `ecdsa-sd-2023` cases: a holder's derived credential, the issuer's
//! base proof presented as is, a changed disclosed claim, a claim put back
//! that the holder did not disclose, and an issuer that let the holder
//! choose a statement outside the subject (validity).
//!
//! ECDSA signing here is deterministic (RFC 6979) and the HMAC key and the
//! proof-scoped key are fixed, so the files are the same on every run.

use passerelle::crypto::{P256KeyPair, Signer};
use passerelle::did::{self, VerificationRelationship};
use passerelle::jsonld::JsonLd;
use passerelle::proof::ecdsa_sd;
use serde_json::{json, Map, Value};

use super::rdfc::linked_permit;
use super::{fails, options, Vectors, VERIFIED};

fn base(issuer: &P256KeyPair, mandatory: &[String]) -> Map<String, Value> {
    let vm = did::key::verification_method_for(&issuer.public_key());
    let opts = options(&vm, VerificationRelationship::AssertionMethod);
    let proof_key = P256KeyPair::from_secret_bytes(&[0x52; 32]).expect("a fixed valid scalar");
    let document = linked_permit(&did::key::did_for(&issuer.public_key()));
    ecdsa_sd::add_base_proof_with(
        &document,
        &opts,
        mandatory,
        issuer,
        JsonLd::bundled(),
        &[0x51; 32],
        &proof_key,
    )
    .expect("signing a fixture")
}

fn derive(base: &Map<String, Value>, pointers: &[&str]) -> Map<String, Value> {
    let pointers: Vec<String> = pointers.iter().map(|p| (*p).to_owned()).collect();
    ecdsa_sd::derive_proof(base, &pointers, JsonLd::bundled()).expect("deriving a fixture")
}

pub(crate) fn ecdsa_sd_cases(v: &mut Vectors) {
    let issuer = P256KeyPair::from_secret_bytes(&[0x50; 32]).expect("a fixed valid scalar");
    // As passerelle's Issuer does: every member outside the subject is mandatory.
    let mandatory: Vec<String> = ["/id", "/type", "/issuer", "/name", "/validFrom", "/validUntil"]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    let signed = base(&issuer, &mandatory);
    let shown = derive(
        &signed,
        &["/credentialSubject/permitNumber", "/credentialSubject/site/name"],
    );
    v.case(
        "ecdsa-sd-derived-valid",
        "An ecdsa-sd-2023 derived credential: the holder shows the permit number and the site's \
         name and leaves out the operations and the site's coordinates; every statement outside \
         the subject was mandatory.",
        &shown,
        &[],
        json!({}),
        VERIFIED,
    );

    v.case(
        "ecdsa-sd-base-proof",
        "The issuer's ecdsa-sd-2023 base proof presented to a verifier as is: it is for the \
         holder, who derives a proof to present.",
        &signed,
        &[],
        json!({}),
        fails(&[("proof", "DERIVED_PROOF_REQUIRED")]),
    );

    let mut changed = shown.clone();
    changed["credentialSubject"]["permitNumber"] = json!("MX-1-235");
    v.case(
        "ecdsa-sd-changed-claim",
        "The derived credential with a disclosed claim changed.",
        &changed,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let mut put_back = shown.clone();
    put_back["credentialSubject"]["operations"] = json!(["exploration"]);
    v.case(
        "ecdsa-sd-undisclosed-claim-added",
        "The derived credential with a claim the holder did not disclose written back in: there \
         is no signature for it.",
        &put_back,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let lax = base(&issuer, &["/issuer".to_owned()]);
    let chose_validity = derive(&lax, &["/credentialSubject/permitNumber", "/validUntil"]);
    v.case(
        "ecdsa-sd-validity-chosen-by-holder",
        "A derived credential from an issuer that made only the issuer mandatory, so the holder \
         chose to show validUntil (and could have hidden it): a verifier must not rely on it.",
        &chose_validity,
        &[],
        json!({}),
        fails(&[("proof", "DISCLOSURE_NOT_MANDATORY")]),
    );
}
