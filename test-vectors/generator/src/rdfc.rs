//! The `*-rdfc-*` cases: eddsa-rdfc-2022 and ecdsa-rdfc-2019 credentials
//! over the demo's JSON-LD context, tampering, what RDF does not see (key
//! and array order), undefined terms, unknown contexts and suite confusion.
//!
//! The contexts they need are the W3C credentials v2 context and the demo's
//! own, which the generator copies under `contexts/` so that other
//! implementations find it.

use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::did::{self, VerificationRelationship};
use passerelle::proof::{add_proof, Cryptosuite};
use serde_json::{json, Map, Value};

use super::{fails, options, permit, Vectors, VERIFIED};

/// The demo's context, as bundled in the crate.
pub(crate) const CANADA_CONTEXT: &str = "https://passerelle.example/contexts/canada/v1";
const CANADA_CONTEXT_FILE: &str = include_str!("../../../contexts/passerelle.example/contexts/canada/v1");

pub(crate) fn linked_permit(issuer: &str) -> Map<String, Value> {
    let mut doc = permit(issuer);
    doc.insert(
        "@context".into(),
        json!(["https://www.w3.org/ns/credentials/v2", CANADA_CONTEXT]),
    );
    doc
}

fn sign(doc: &Map<String, Value>, suite: Cryptosuite, key: &dyn Signer) -> Map<String, Value> {
    let vm = did::key::verification_method_for(&key.public_key());
    let opts = options(&vm, VerificationRelationship::AssertionMethod);
    add_proof(doc, suite, &opts, key).expect("signing a fixture")
}

pub(crate) fn rdfc_cases(v: &mut Vectors) {
    v.files.insert(
        "contexts/passerelle.example/contexts/canada/v1".to_owned(),
        CANADA_CONTEXT_FILE.as_bytes().to_vec(),
    );
    let ed = Ed25519KeyPair::from_seed(&[0x31; 32]);
    let ed_did = did::key::did_for(&ed.public_key());
    let signed = sign(&linked_permit(&ed_did), Cryptosuite::EddsaRdfc2022, &ed);
    v.case(
        "rdfc-valid-eddsa",
        "A credential signed with eddsa-rdfc-2022 (JSON-LD to RDF, RDFC-1.0, Ed25519) by its did:key issuer.",
        &signed,
        &[],
        json!({}),
        VERIFIED,
    );

    let p256 = P256KeyPair::from_secret_bytes(&[0x32; 32]).expect("a fixed valid scalar");
    let p_did = did::key::did_for(&p256.public_key());
    let p_signed = sign(&linked_permit(&p_did), Cryptosuite::EcdsaRdfc2019, &p256);
    v.case(
        "rdfc-valid-ecdsa",
        "A credential signed with ecdsa-rdfc-2019 (P-256) by its did:key (zDn…) issuer.",
        &p_signed,
        &[],
        json!({}),
        VERIFIED,
    );

    let mut reordered: Map<String, Value> = signed.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
    reordered["credentialSubject"]["operations"] = json!(["reclamation", "exploration", "drilling"]);
    v.case(
        "rdfc-reordered-keys-and-array",
        "The eddsa-rdfc-2022 credential with its properties in another order and the subject's \
         `operations` array permuted: the RDF dataset, and so the proof, is the same (arrays are \
         sets in RDF unless a context declares a list).",
        &reordered,
        &[],
        json!({}),
        VERIFIED,
    );

    let mut tampered = signed.clone();
    tampered["credentialSubject"]["permitNumber"] = json!("MX-1-235");
    v.case(
        "rdfc-tampered-subject-value",
        "An eddsa-rdfc-2022 credential whose subject value changed after signing.",
        &tampered,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let mut undefined = signed.clone();
    undefined["credentialSubject"]["secretClause"] = json!("no reclamation needed");
    v.case(
        "rdfc-undefined-term",
        "An eddsa-rdfc-2022 credential with a subject property no context defines: JSON-LD would \
         drop it from the signed data, so it is refused.",
        &undefined,
        &[],
        json!({}),
        fails(&[("proof", "TERM_UNDEFINED")]),
    );

    let mut unknown = signed.clone();
    unknown["@context"][1] = json!("https://passerelle.example/contexts/unknown/v1");
    v.case(
        "rdfc-unknown-context",
        "An eddsa-rdfc-2022 credential naming a context that is neither bundled nor supplied: it is \
         refused, never fetched.",
        &unknown,
        &[],
        json!({}),
        fails(&[("proof", "CONTEXT_UNKNOWN")]),
    );

    let mut as_jcs = signed.clone();
    as_jcs["proof"]["cryptosuite"] = json!("eddsa-jcs-2022");
    v.case(
        "rdfc-proof-relabelled-jcs",
        "An eddsa-rdfc-2022 proof whose cryptosuite says eddsa-jcs-2022: the signature does not \
         cover the JCS form.",
        &as_jcs,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let mut confused = p_signed.clone();
    confused["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
    v.case(
        "rdfc-ecdsa-relabelled-eddsa",
        "An ecdsa-rdfc-2019 (P-256) proof whose cryptosuite says eddsa-rdfc-2022: the key does not \
         fit the suite.",
        &confused,
        &[],
        json!({}),
        fails(&[("proof", "KEY_TYPE_UNSUPPORTED")]),
    );

    v.case(
        "rdfc-suite-not-accepted",
        "A valid eddsa-rdfc-2022 credential, verified by a verifier that accepts eddsa-jcs-2022 only.",
        &signed,
        &[],
        json!({"cryptosuites": ["eddsa-jcs-2022"]}),
        fails(&[("proof", "CRYPTOSUITE_NOT_ACCEPTED")]),
    );
}
