//! The generator of passerelle's test vectors.
//!
//! Keys come from fixed seeds and every time is written out, so running the
//! generator twice gives the same bytes; `tests/up_to_date.rs` checks that
//! the committed files are what this code generates.

use std::collections::BTreeMap;

mod chains;
mod ecdsa;
mod ecdsa_sd;
mod jose;
mod rdfc;
mod registry;
mod resolution;
mod sd_jwt;
mod status;
mod webvh;

use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::did::{self, VerificationRelationship};
use passerelle::proof::{add_proof, Cryptosuite, ProofOptions};
use passerelle::Timestamp;
use serde_json::{json, Map, Value};

/// The time at which most cases are verified.
pub const VERIFY_AT: &str = "2026-06-01T12:00:00Z";
pub(crate) const ISSUED_AT: &str = "2026-01-15T09:00:00Z";
const WEB_DID: &str = "did:web:mines.passerelle.example";
const WEB_DOC: &str = "dids/mines.passerelle.example.json";

struct Keys {
    issuer: Ed25519KeyPair,
    web_assert: Ed25519KeyPair,
    web_auth_only: Ed25519KeyPair,
    web_second: Ed25519KeyPair,
    holder: Ed25519KeyPair,
    attacker: Ed25519KeyPair,
}

impl Keys {
    fn new() -> Self {
        Keys {
            issuer: Ed25519KeyPair::from_seed(&[1; 32]),
            web_assert: Ed25519KeyPair::from_seed(&[2; 32]),
            web_auth_only: Ed25519KeyPair::from_seed(&[3; 32]),
            holder: Ed25519KeyPair::from_seed(&[4; 32]),
            web_second: Ed25519KeyPair::from_seed(&[5; 32]),
            attacker: Ed25519KeyPair::from_seed(&[9; 32]),
        }
    }
}

fn did_of(key: &Ed25519KeyPair) -> String {
    did::key::did_for(&key.public_key())
}

fn vm_of(key: &Ed25519KeyPair) -> String {
    did::key::verification_method_for(&key.public_key())
}

fn time(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("fixed time")
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("fixtures are objects"),
    }
}

fn options(vm: &str, purpose: VerificationRelationship) -> ProofOptions {
    ProofOptions {
        verification_method: vm.to_owned(),
        proof_purpose: purpose,
        created: Some(time(ISSUED_AT)),
        expires: None,
        challenge: None,
        domain: None,
        id: None,
    }
}

fn sign_with(doc: &Map<String, Value>, key: &Ed25519KeyPair, opts: &ProofOptions) -> Map<String, Value> {
    add_proof(doc, Cryptosuite::EddsaJcs2022, opts, key).expect("signing a fixture")
}

fn sign(doc: &Map<String, Value>, key: &Ed25519KeyPair, vm: &str) -> Map<String, Value> {
    sign_with(doc, key, &options(vm, VerificationRelationship::AssertionMethod))
}

fn permit(issuer: &str) -> Map<String, Value> {
    object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:8a7d2f51-3c1e-4c4b-9f0e-2b6a1d5e7c90",
        "type": ["VerifiableCredential", "MinesActPermit"],
        "issuer": issuer,
        "name": [
            {"@value": "Mines Act Permit", "@language": "en"},
            {"@value": "Permis en vertu de la Mines Act", "@language": "fr"}
        ],
        "validFrom": ISSUED_AT,
        "validUntil": "2031-01-15T09:00:00Z",
        "credentialSubject": {
            "id": "did:example:operator-42",
            "permitNumber": "MX-1-234",
            "operations": ["exploration", "drilling", "reclamation"],
            "site": {"name": "Fictional Creek", "latitude": 49.25, "longitude": -123.1}
        }
    }))
}

fn web_did_document(keys: &Keys) -> Value {
    let method = |fragment: &str, key: &Ed25519KeyPair| {
        json!({"id": format!("{WEB_DID}#{fragment}"), "type": "Multikey", "controller": WEB_DID,
               "publicKeyMultibase": key.public_key_multibase()})
    };
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": WEB_DID,
        "verificationMethod": [
            method("assert-1", &keys.web_assert),
            method("auth-1", &keys.web_auth_only),
            method("assert-2", &keys.web_second)
        ],
        "assertionMethod": [format!("{WEB_DID}#assert-1"), format!("{WEB_DID}#assert-2")],
        "authentication": [format!("{WEB_DID}#auth-1")]
    })
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("serializable");
    bytes.push(b'\n');
    bytes
}

/// Collects files and manifest entries.
#[derive(Default)]
struct Vectors {
    files: BTreeMap<String, Vec<u8>>,
    cases: Vec<Value>,
    resolutions: Vec<Value>,
}

struct Expect<'a> {
    verified: bool,
    failures: &'a [(&'a str, &'a str)],
}

const VERIFIED: Expect<'static> = Expect {
    verified: true,
    failures: &[],
};

fn fails<'a>(failures: &'a [(&'a str, &'a str)]) -> Expect<'a> {
    Expect {
        verified: false,
        failures,
    }
}

impl Vectors {
    fn add_case(
        &mut self,
        id: &str,
        description: &str,
        input_path: &str,
        dids: &[String],
        options: Value,
        expect: Expect<'_>,
    ) {
        let failures: Vec<Value> = expect
            .failures
            .iter()
            .map(|(check, code)| json!({"check": check, "code": code}))
            .collect();
        self.cases.push(json!({
            "id": id,
            "description": description,
            "input": input_path,
            "didDocuments": dids,
            "options": options,
            "expect": {"verified": expect.verified, "failures": failures}
        }));
    }

    fn case_bytes(
        &mut self,
        id: &str,
        description: &str,
        input: Vec<u8>,
        dids: &[&str],
        options: Value,
        expect: Expect<'_>,
    ) {
        self.case_file(id, description, "json", input, dids, options, expect);
    }

    /// A case whose input file is `cases/{id}.{extension}`.
    #[allow(clippy::too_many_arguments)]
    fn case_file(
        &mut self,
        id: &str,
        description: &str,
        extension: &str,
        input: Vec<u8>,
        dids: &[&str],
        options: Value,
        expect: Expect<'_>,
    ) {
        let input_path = format!("cases/{id}.{extension}");
        self.files.insert(input_path.clone(), input);
        let mut opts = object(json!({"time": VERIFY_AT}));
        opts.extend(object(options));
        let dids: Vec<String> = dids.iter().map(|d| d.to_string()).collect();
        self.add_case(id, description, &input_path, &dids, Value::Object(opts), expect);
    }

    fn case(
        &mut self,
        id: &str,
        description: &str,
        input: &Map<String, Value>,
        dids: &[&str],
        options: Value,
        expect: Expect<'_>,
    ) {
        self.case_bytes(
            id,
            description,
            pretty(&Value::Object(input.clone())),
            dids,
            options,
            expect,
        );
    }
}

/// Every file of the test-vector directory: path (relative to it) → bytes.
pub fn generate() -> BTreeMap<String, Vec<u8>> {
    let keys = Keys::new();
    let mut v = Vectors::default();
    v.files.insert(WEB_DOC.to_owned(), pretty(&web_did_document(&keys)));

    credentials(&mut v, &keys);
    tampering(&mut v, &keys);
    keys_and_dids(&mut v, &keys);
    validity(&mut v, &keys);
    proof_forms(&mut v, &keys);
    data_model(&mut v, &keys);
    parsing(&mut v, &keys);
    presentations(&mut v, &keys);
    registry::registry_cases(&mut v);
    status::status_cases(&mut v);
    webvh::webvh_cases(&mut v);
    ecdsa::ecdsa_cases(&mut v);
    ecdsa::p384_cases(&mut v);
    jose::jose_cases(&mut v);
    sd_jwt::sd_jwt_cases(&mut v);
    rdfc::rdfc_cases(&mut v);
    ecdsa_sd::ecdsa_sd_cases(&mut v);
    chains::chain_cases(&mut v, &keys);
    chains::vcdm11_cases(&mut v);
    resolution::resolution_cases(&mut v);

    let manifest = json!({"version": 1, "cases": v.cases, "resolutions": v.resolutions});
    v.files.insert("README.md".to_owned(), readme(&manifest).into_bytes());
    v.files.insert("manifest.json".to_owned(), pretty(&manifest));
    v.files
}

fn issuer_signed(keys: &Keys) -> Map<String, Value> {
    sign(&permit(&did_of(&keys.issuer)), &keys.issuer, &vm_of(&keys.issuer))
}

fn credentials(v: &mut Vectors, keys: &Keys) {
    let issuer = did_of(&keys.issuer);
    let vm = vm_of(&keys.issuer);
    v.case(
        "vc-valid-did-key",
        "A VCDM 2.0 credential signed with eddsa-jcs-2022 by its did:key issuer.",
        &issuer_signed(keys),
        &[],
        json!({}),
        VERIFIED,
    );

    let web = sign(&permit(WEB_DID), &keys.web_assert, &format!("{WEB_DID}#assert-1"));
    v.case(
        "vc-valid-did-web",
        "Signed by a did:web issuer whose DID document (supplied offline) lists the key under assertionMethod.",
        &web,
        &[WEB_DOC],
        json!({}),
        VERIFIED,
    );

    let jwk_did = did::jwk::did_for(&keys.issuer.public_key());
    let by_jwk = sign(&permit(&jwk_did), &keys.issuer, &format!("{jwk_did}#0"));
    v.case(
        "vc-valid-did-jwk",
        "Signed by a did:jwk issuer (Ed25519 OKP key), resolved from the DID itself.",
        &by_jwk,
        &[],
        json!({}),
        VERIFIED,
    );
    let mut wrong_fragment = by_jwk.clone();
    wrong_fragment["proof"]["verificationMethod"] = json!(format!("{jwk_did}#1"));
    v.case(
        "did-jwk-wrong-fragment",
        "A did:jwk verification method other than #0.",
        &wrong_fragment,
        &[],
        json!({}),
        fails(&[("proof", "VERIFICATION_METHOD_NOT_FOUND")]),
    );

    let mut doc = permit("");
    doc.insert(
        "issuer".into(),
        json!({"id": issuer, "name": [
        {"@value": "Ministère fictif des Mines", "@language": "fr-CA"},
        {"@value": "Fictional Ministry of Mines", "@language": "en-CA", "@direction": "ltr"}]}),
    );
    doc.insert(
        "description".into(),
        json!({"@value": "Délivré à titre d’exemple", "@language": "fr"}),
    );
    v.case(
        "vc-valid-issuer-object-bilingual",
        "The issuer is an object with bilingual language-value names; the description is a language value.",
        &sign(&doc, &keys.issuer, &vm),
        &[],
        json!({}),
        VERIFIED,
    );

    let mut doc = permit(&issuer);
    doc.insert(
        "x-provincial-extension".into(),
        json!({"zeta": [3, 1, 2], "alpha": {"nested": true, "n": 1.5e-7}}),
    );
    v.case(
        "vc-valid-unknown-properties",
        "Properties the data model does not define survive parsing and the proof still verifies.",
        &sign(&doc, &keys.issuer, &vm),
        &[],
        json!({}),
        VERIFIED,
    );

    let mut doc = permit(&issuer);
    doc.remove("validFrom");
    doc.remove("validUntil");
    v.case(
        "vc-valid-no-validity-period",
        "No validFrom or validUntil: the validity period check passes.",
        &sign(&doc, &keys.issuer, &vm),
        &[],
        json!({}),
        VERIFIED,
    );

    let mut doc = permit(&issuer);
    doc.insert(
        "credentialSubject".into(),
        json!([{"id": "did:example:a"}, {"id": "did:example:b", "role": "co-holder"}]),
    );
    v.case(
        "vc-valid-multiple-subjects",
        "credentialSubject is an array of two subjects.",
        &sign(&doc, &keys.issuer, &vm),
        &[],
        json!({}),
        VERIFIED,
    );

    let mut opts = options(&vm, VerificationRelationship::AssertionMethod);
    opts.expires = Some(time("2027-01-01T00:00:00Z"));
    v.case(
        "vc-valid-proof-expires-later",
        "The proof has an expires time after the verification time.",
        &sign_with(&permit(&issuer), &keys.issuer, &opts),
        &[],
        json!({}),
        VERIFIED,
    );

    let doc = permit(WEB_DID);
    let first = sign(&doc, &keys.web_assert, &format!("{WEB_DID}#assert-1"));
    let second = sign(&doc, &keys.web_second, &format!("{WEB_DID}#assert-2"));
    let mut set = doc.clone();
    set.insert("proof".into(), json!([first["proof"], second["proof"]]));
    v.case(
        "vc-valid-proof-set",
        "A proof set: two independent proofs by two assertion keys of the same did:web issuer.",
        &set,
        &[WEB_DOC],
        json!({}),
        VERIFIED,
    );

    let v11 = object(json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:3f1b7c0e-5a2d-4e8f-b9c4-6d0a1e2f3b4c",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2020-03-01T00:00:00Z",
        "expirationDate": "2030-03-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:legacy"}
    }));
    v.case(
        "vc11-valid",
        "A VCDM 1.1 credential (issuanceDate/expirationDate) is read for verification.",
        &sign(&v11, &keys.issuer, &vm),
        &[],
        json!({}),
        VERIFIED,
    );
    v.case(
        "vc11-expired",
        "The same VCDM 1.1 credential verified after its expirationDate.",
        &sign(&v11, &keys.issuer, &vm),
        &[],
        json!({"time": "2031-01-01T00:00:00Z"}),
        fails(&[("validity_period", "CREDENTIAL_EXPIRED")]),
    );
}

fn tampering(v: &mut Vectors, keys: &Keys) {
    let signed = issuer_signed(keys);
    let sig = &[("proof", "PROOF_SIGNATURE_INVALID")][..];
    let mut tampered =
        |id: &str, description: &str, change: &dyn Fn(&mut Map<String, Value>), expected: &[(&str, &str)]| {
            let mut doc = signed.clone();
            change(&mut doc);
            v.case(id, description, &doc, &[], json!({}), fails(expected));
        };
    tampered(
        "tampered-subject-value",
        "One character of a credentialSubject value changed after signing.",
        &|d| d["credentialSubject"]["permitNumber"] = json!("MX-1-235"),
        sig,
    );
    tampered(
        "tampered-number",
        "A number in the subject changed after signing.",
        &|d| d["credentialSubject"]["site"]["latitude"] = json!(49.26),
        sig,
    );
    tampered(
        "tampered-valid-until",
        "validUntil extended after signing.",
        &|d| d["validUntil"] = json!("2041-01-15T09:00:00Z"),
        sig,
    );
    tampered(
        "tampered-type-added",
        "A type added after signing.",
        &|d| {
            d["type"]
                .as_array_mut()
                .unwrap()
                .push(json!("CertificateOfIncorporation"))
        },
        sig,
    );
    tampered(
        "tampered-property-added",
        "A property added to the subject after signing.",
        &|d| {
            d["credentialSubject"]
                .as_object_mut()
                .unwrap()
                .insert("extraRights".into(), json!(true));
        },
        sig,
    );
    tampered(
        "tampered-property-removed",
        "A property removed from the subject after signing.",
        &|d| {
            d["credentialSubject"].as_object_mut().unwrap().remove("site");
        },
        sig,
    );
    tampered(
        "tampered-array-reordered",
        "The order of an array in the subject changed after signing.",
        &|d| d["credentialSubject"]["operations"] = json!(["drilling", "exploration", "reclamation"]),
        sig,
    );
    tampered(
        "tampered-name-language",
        "The @language of a name changed after signing.",
        &|d| d["name"][1]["@language"] = json!("fr-CA"),
        sig,
    );
    tampered(
        "tampered-proof-created",
        "The proof's created time changed after signing.",
        &|d| d["proof"]["created"] = json!("2026-01-15T09:00:01Z"),
        sig,
    );
    tampered(
        "tampered-proof-value",
        "One character in the middle of proofValue changed.",
        &|d| {
            let value = d["proof"]["proofValue"].as_str().unwrap().to_owned();
            let mut chars: Vec<char> = value.chars().collect();
            chars[40] = if chars[40] == '2' { '3' } else { '2' };
            d["proof"]["proofValue"] = json!(chars.into_iter().collect::<String>());
        },
        sig,
    );
    tampered(
        "tampered-issuer",
        "The issuer replaced by another DID after signing: the signature and the key binding both fail.",
        &|d| d["issuer"] = json!("did:web:impostor.passerelle.example"),
        &[
            ("proof", "PROOF_SIGNATURE_INVALID"),
            ("key_binding", "KEY_CONTROLLER_MISMATCH"),
        ],
    );
    tampered(
        "proof-context-mismatch",
        "The proof's @context is not a prefix of the document's @context.",
        &|d| d["proof"]["@context"] = json!(["https://www.w3.org/ns/credentials/examples/v2"]),
        &[("proof", "PROOF_CONTEXT_MISMATCH")],
    );

    // vc-di-eddsa §3.3.2 step 4: the proof's @context replaces the document's
    // when it is a prefix of it, so a context appended later verifies.
    let mut appended = signed.clone();
    appended["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://www.w3.org/ns/credentials/examples/v2"));
    v.case("context-appended-after-signing", "A context appended after signing: the proof's @context is still a prefix, so the proof verifies (vc-di-eddsa §3.3.2 step 4).", &appended, &[], json!({}), VERIFIED);
}

fn keys_and_dids(v: &mut Vectors, keys: &Keys) {
    let issuer = did_of(&keys.issuer);
    let by_attacker_as_issuer = sign(&permit(&issuer), &keys.attacker, &vm_of(&keys.issuer));
    v.case(
        "wrong-key",
        "Signed with another key while naming the issuer's verification method.",
        &by_attacker_as_issuer,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let by_attacker = sign(&permit(&issuer), &keys.attacker, &vm_of(&keys.attacker));
    v.case(
        "key-not-controlled-by-issuer",
        "A valid signature by a did:key that is not the issuer.",
        &by_attacker,
        &[],
        json!({}),
        fails(&[("key_binding", "KEY_CONTROLLER_MISMATCH")]),
    );

    let auth_key = sign(&permit(WEB_DID), &keys.web_auth_only, &format!("{WEB_DID}#auth-1"));
    v.case(
        "key-not-in-assertion-method",
        "Signed by a key of the issuer's DID document that is listed only under authentication.",
        &auth_key,
        &[WEB_DOC],
        json!({}),
        fails(&[("key_binding", "VERIFICATION_METHOD_NOT_AUTHORIZED")]),
    );

    let missing_vm = sign(&permit(WEB_DID), &keys.web_assert, &format!("{WEB_DID}#assert-9"));
    v.case(
        "verification-method-not-found",
        "The verification method is not in the issuer's DID document.",
        &missing_vm,
        &[WEB_DOC],
        json!({}),
        fails(&[("proof", "VERIFICATION_METHOD_NOT_FOUND")]),
    );

    let web = sign(&permit(WEB_DID), &keys.web_assert, &format!("{WEB_DID}#assert-1"));
    v.case(
        "did-not-resolvable",
        "A did:web issuer whose DID document the verifier does not have.",
        &web,
        &[],
        json!({}),
        fails(&[("proof", "DID_NOT_FOUND")]),
    );

    let mut bad_did = issuer_signed(keys);
    bad_did["proof"]["verificationMethod"] = json!("did:key:z6Mk-not-base58#key");
    v.case(
        "did-key-malformed",
        "The verification method is a malformed did:key.",
        &bad_did,
        &[],
        json!({}),
        fails(&[("proof", "DID_INVALID")]),
    );
}

fn validity(v: &mut Vectors, keys: &Keys) {
    let issuer = did_of(&keys.issuer);
    let vm = vm_of(&keys.issuer);
    v.case(
        "expired",
        "Verified after validUntil.",
        &issuer_signed(keys),
        &[],
        json!({"time": "2031-01-15T09:00:01Z"}),
        fails(&[("validity_period", "CREDENTIAL_EXPIRED")]),
    );
    v.case(
        "not-yet-valid",
        "Verified before validFrom (the proof was made even earlier).",
        &sign_with(
            &permit(&issuer),
            &keys.issuer,
            &ProofOptions {
                created: Some(time("2025-12-01T00:00:00Z")),
                ..options(&vm, VerificationRelationship::AssertionMethod)
            },
        ),
        &[],
        json!({"time": "2026-01-01T00:00:00Z"}),
        fails(&[("validity_period", "CREDENTIAL_NOT_YET_VALID")]),
    );
    v.case(
        "valid-in-2040-fails-as-expired",
        "A valid credential verified in 2040: only the validity period fails.",
        &issuer_signed(keys),
        &[],
        json!({"time": "2040-01-01T00:00:00Z"}),
        fails(&[("validity_period", "CREDENTIAL_EXPIRED")]),
    );

    let mut opts = options(&vm, VerificationRelationship::AssertionMethod);
    opts.expires = Some(time("2026-03-01T00:00:00Z"));
    v.case(
        "proof-expired",
        "The proof's expires time has passed.",
        &sign_with(&permit(&issuer), &keys.issuer, &opts),
        &[],
        json!({}),
        fails(&[("proof", "PROOF_EXPIRED")]),
    );

    let mut opts = options(&vm, VerificationRelationship::AssertionMethod);
    opts.created = Some(time("2026-12-01T00:00:00Z"));
    v.case(
        "proof-created-in-future",
        "The proof's created time is after the verification time.",
        &sign_with(&permit(&issuer), &keys.issuer, &opts),
        &[],
        json!({}),
        fails(&[("proof", "PROOF_CREATED_IN_FUTURE")]),
    );
}

fn proof_forms(v: &mut Vectors, keys: &Keys) {
    let signed = issuer_signed(keys);
    let mut changed = |id: &str,
                       description: &str,
                       change: &dyn Fn(&mut Map<String, Value>),
                       options: Value,
                       expected: &[(&str, &str)]| {
        let mut doc = signed.clone();
        change(&mut doc);
        v.case(id, description, &doc, &[], options, fails(expected));
    };
    changed(
        "unknown-cryptosuite",
        "The proof names a cryptosuite no one implements.",
        &|d| d["proof"]["cryptosuite"] = json!("eddsa-unknown-2099"),
        json!({}),
        &[("proof", "CRYPTOSUITE_UNSUPPORTED")],
    );
    changed(
        "unknown-proof-type",
        "The proof type is not DataIntegrityProof.",
        &|d| d["proof"]["type"] = json!("Ed25519Signature2020"),
        json!({}),
        &[("proof", "CRYPTOSUITE_UNSUPPORTED")],
    );
    changed(
        "cryptosuite-not-accepted",
        "A valid eddsa-jcs-2022 proof, but the verifier accepts only another suite.",
        &|_| {},
        json!({"cryptosuites": ["ecdsa-rdfc-2019"]}),
        &[("proof", "CRYPTOSUITE_NOT_ACCEPTED")],
    );
    changed(
        "proof-missing",
        "The credential has no proof.",
        &|d| {
            d.remove("proof");
        },
        json!({}),
        &[("proof", "PROOF_MISSING")],
    );
    changed(
        "proof-without-verification-method",
        "The proof lacks verificationMethod.",
        &|d| {
            d["proof"].as_object_mut().unwrap().remove("verificationMethod");
        },
        json!({}),
        &[("proof", "PROOF_MALFORMED")],
    );
    changed(
        "proof-value-not-base58",
        "proofValue uses base64url (u…) instead of base58btc.",
        &|d| d["proof"]["proofValue"] = json!("uAAAA"),
        json!({}),
        &[("proof", "PROOF_VALUE_INVALID")],
    );

    let issuer = did_of(&keys.issuer);
    let wrong_purpose = sign_with(
        &permit(&issuer),
        &keys.issuer,
        &options(&vm_of(&keys.issuer), VerificationRelationship::Authentication),
    );
    v.case(
        "credential-proof-purpose-authentication",
        "A credential's proof made for authentication instead of assertionMethod.",
        &wrong_purpose,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_PURPOSE_MISMATCH")]),
    );
}

fn data_model(v: &mut Vectors, keys: &Keys) {
    let issuer = did_of(&keys.issuer);
    let vm = vm_of(&keys.issuer);
    let mut invalid = |id: &str, description: &str, change: &dyn Fn(&mut Map<String, Value>), code: &str| {
        let mut doc = permit(&issuer);
        change(&mut doc);
        // Signed anyway: a valid signature does not make a malformed credential acceptable.
        v.case(
            id,
            description,
            &sign(&doc, &keys.issuer, &vm),
            &[],
            json!({}),
            fails(&[("data_model", code)]),
        );
    };
    invalid(
        "dm-context-not-v2-first",
        "The first @context is not the VC 2.0 context.",
        &|d| {
            d["@context"] = json!([
                "https://www.w3.org/ns/credentials/examples/v2",
                "https://www.w3.org/ns/credentials/v2"
            ])
        },
        "CONTEXT_INVALID",
    );
    invalid(
        "dm-type-missing-vc",
        "type does not include VerifiableCredential.",
        &|d| d["type"] = json!(["MinesActPermit"]),
        "TYPE_INVALID",
    );
    invalid(
        "dm-subject-missing",
        "credentialSubject is missing.",
        &|d| {
            d.remove("credentialSubject");
        },
        "SUBJECT_MISSING",
    );
    invalid(
        "dm-issuer-not-url",
        "issuer is not a URL.",
        &|d| d["issuer"] = json!("Ministry of Mines"),
        "ISSUER_INVALID",
    );
    invalid(
        "dm-date-invalid",
        "validFrom has no time zone.",
        &|d| d["validFrom"] = json!("2026-01-15T09:00:00"),
        "DATE_INVALID",
    );
    invalid(
        "dm-validity-range-inverted",
        "validUntil is before validFrom.",
        &|d| d["validUntil"] = json!("2025-01-15T09:00:00Z"),
        "VALIDITY_RANGE_INVALID",
    );
    invalid(
        "dm-expiration-date-in-v2",
        "A VCDM 2.0 credential states a signed expiry with the VCDM 1.1 term expirationDate: \
         refused rather than read as having no expiry.",
        &|d| {
            d.insert("expirationDate".into(), json!("2026-02-01T00:00:00Z"));
        },
        "DATE_INVALID",
    );
    invalid(
        "dm-valid-until-as-iri",
        "validUntil written as its full IRI: a JSON-LD reader sees the expiry, a JSON reader would miss it.",
        &|d| {
            let until = d.remove("validUntil").unwrap_or_else(|| json!("2026-02-01T00:00:00Z"));
            d.insert("https://www.w3.org/2018/credentials#validUntil".into(), until);
        },
        "SIGNED_FORM_MISMATCH",
    );
    invalid(
        "dm-valid-until-alias",
        "An inline context aliases expires to the validUntil IRI.",
        &|d| {
            d["@context"] = json!([
                "https://www.w3.org/ns/credentials/v2",
                {"expires": "https://www.w3.org/2018/credentials#validUntil"}
            ]);
            d.insert("expires".into(), json!("2026-02-01T00:00:00Z"));
        },
        "PROTECTED_TERM_REDEFINED",
    );
    invalid(
        "dm-id-not-url",
        "The credential id is not a URL.",
        &|d| d["id"] = json!("permit 42"),
        "ID_INVALID",
    );
    invalid(
        "dm-language-value-invalid",
        "A name's language value object has an invalid @direction.",
        &|d| d["name"][0]["@direction"] = json!("up"),
        "LANGUAGE_VALUE_INVALID",
    );
    invalid(
        "dm-status-entry-without-type",
        "A credentialStatus entry has no type.",
        &|d| {
            let entry = json!({
                "id": "https://status.passerelle.example/lists/revocation-1#94567",
                "statusPurpose": "revocation",
                "statusListIndex": "94567",
                "statusListCredential": "https://status.passerelle.example/lists/revocation-1"
            });
            d.insert("credentialStatus".into(), entry);
        },
        "PROPERTY_INVALID",
    );
    for (key, value) in [
        ("termsOfUse", json!({"id": "https://mines.passerelle.example/terms/1"})),
        (
            "evidence",
            json!([{"id": "https://mines.passerelle.example/evidence/1"}]),
        ),
        (
            "refreshService",
            json!({"id": "https://mines.passerelle.example/refresh"}),
        ),
        (
            "credentialSchema",
            json!({"id": "https://mines.passerelle.example/schemas/permit.json"}),
        ),
    ] {
        let id = format!("dm-{}-without-type", kebab(key));
        let description = format!("A {key} object has no type (VCDM 2.0: each one MUST specify its type).");
        let change = |d: &mut Map<String, Value>| {
            d.insert(key.into(), value.clone());
        };
        invalid(&id, &description, &change, "PROPERTY_INVALID");
    }
    invalid(
        "dm-credential-schema-without-id",
        "A credentialSchema has a type but no id (VCDM 2.0 §4.11: an id that is the URL of the schema).",
        &|d| {
            d.insert("credentialSchema".into(), json!({"type": "JsonSchema"}));
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "dm-subject-empty-object",
        "credentialSubject is {}: a subject must make at least one claim (VCDM 2.0 §4.8).",
        &|d| d["credentialSubject"] = json!({}),
        "SUBJECT_MISSING",
    );
    invalid(
        "dm-subject-empty-objects",
        "credentialSubject is [{}, {}]: each subject must make at least one claim (VCDM 2.0 §4.8).",
        &|d| d["credentialSubject"] = json!([{}, {}]),
        "SUBJECT_MISSING",
    );
    invalid(
        "dm-related-resource-not-object",
        "relatedResource holds a URL instead of an object (VCDM 2.0 §5.3).",
        &|d| {
            d.insert(
                "relatedResource".into(),
                json!(["https://www.w3.org/ns/credentials/v2"]),
            );
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "dm-related-resource-without-id",
        "A relatedResource object has a digest but no id (VCDM 2.0 §5.3).",
        &|d| {
            d.insert("relatedResource".into(), json!([{"digestSRI": V2_CONTEXT_SRI}]));
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "dm-related-resource-without-digest",
        "A relatedResource object has neither digestSRI nor digestMultibase (VCDM 2.0 §5.3).",
        &|d| {
            d.insert(
                "relatedResource".into(),
                json!([{"id": "https://www.w3.org/ns/credentials/v2"}]),
            );
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "dm-related-resource-digest-sri-malformed",
        "digestSRI is VCDM 2.0 Example 25's SHA-384 with its stray leading M: 65 base64 characters, not a 48-byte digest.",
        &|d| {
            d.insert(
                "relatedResource".into(),
                json!([{
                    "id": "https://www.w3.org/ns/credentials/v2",
                    "digestSRI": "sha384-Ml/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU"
                }]),
            );
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "dm-related-resource-digest-multibase-malformed",
        "digestMultibase is a sha2-256 multihash missing its last 4 digest bytes (its header says 32).",
        &|d| {
            d.insert(
                "relatedResource".into(),
                json!([{
                    "id": "https://www.w3.org/ns/credentials/v2",
                    "digestMultibase": "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx96"
                }]),
            );
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "dm-protected-term-redefined",
        "An inline @context object redefines validUntil, a term the VC 2.0 context protects.",
        &|d| {
            d["@context"] = json!([
                "https://www.w3.org/ns/credentials/v2",
                {"validUntil": "https://mines.passerelle.example/vocab#notAfter"}
            ])
        },
        "PROTECTED_TERM_REDEFINED",
    );

    let mut complete = permit(&issuer);
    complete.extend(object(json!({
        "credentialSchema": [{"id": "https://mines.passerelle.example/schemas/permit.json", "type": "JsonSchema"}],
        "termsOfUse": {"type": ["TrustFrameworkPolicy"], "id": "https://mines.passerelle.example/terms/1"},
        "evidence": [{"type": ["Evidence", "DocumentVerification"]}],
        "refreshService": {"id": "https://mines.passerelle.example/refresh", "type": "ManualRefreshService2018"},
        "relatedResource": [
            {"id": "https://www.w3.org/ns/credentials/v2", "digestSRI": V2_CONTEXT_SRI, "mediaType": "application/ld+json"},
            {"id": "https://mines.passerelle.example/schemas/permit.json", "digestMultibase": "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"}
        ]
    })));
    v.case(
        "dm-all-optional-objects-well-formed",
        "credentialSchema, termsOfUse, evidence, refreshService and relatedResource, each well-formed (types as strings and arrays).",
        &sign(&complete, &keys.issuer, &vm),
        &[],
        json!({}),
        VERIFIED,
    );
}

/// The SRI SHA-384 digest of the VC 2.0 base context.
const V2_CONTEXT_SRI: &str = "sha384-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU";

/// `termsOfUse` → `terms-of-use`.
fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn parsing(v: &mut Vectors, keys: &Keys) {
    let text = serde_json::to_string_pretty(&Value::Object(issuer_signed(keys))).expect("serializable");
    let parse = |code| fails_owned(code);
    v.case_bytes(
        "parse-malformed-json",
        "The document is cut short.",
        text.as_bytes()[..text.len() / 2].to_vec(),
        &[],
        json!({}),
        parse("JSON_MALFORMED"),
    );

    let duplicated = text.replacen(
        "\"permitNumber\": \"MX-1-234\",",
        "\"permitNumber\": \"MX-1-234\",\n    \"permitNumber\": \"MX-9-999\",",
        1,
    );
    assert_ne!(duplicated, text, "the duplicate must be inserted");
    v.case_bytes(
        "parse-duplicate-key",
        "A signed credential with a repeated property name in its subject.",
        duplicated.into_bytes(),
        &[],
        json!({}),
        parse("JSON_DUPLICATE_KEY"),
    );

    v.case_bytes(
        "parse-oversize",
        "A 2.3 KB credential verified with a 1 KiB input limit.",
        text.clone().into_bytes(),
        &[],
        json!({"maxBytes": 1024}),
        parse("INPUT_TOO_LARGE"),
    );

    let mut deep = Value::String("bottom".into());
    for _ in 0..40 {
        deep = json!({"next": deep});
    }
    let mut doc = permit(&did_of(&keys.issuer));
    doc["credentialSubject"]["chain"] = deep;
    v.case(
        "parse-too-deep",
        "A subject nested 40 levels deep (the default limit is 32).",
        &doc,
        &[],
        json!({}),
        parse("INPUT_TOO_DEEP"),
    );

    v.case_bytes(
        "parse-not-an-object",
        "The document is a JSON array.",
        b"[{\"type\": \"VerifiableCredential\"}]\n".to_vec(),
        &[],
        json!({}),
        parse("JSON_NOT_OBJECT"),
    );
}

fn fails_owned(code: &'static str) -> Expect<'static> {
    let failures: &'static [(&'static str, &'static str)] = Box::leak(Box::new([("parse", code)]));
    Expect {
        verified: false,
        failures,
    }
}

fn presentations(v: &mut Vectors, keys: &Keys) {
    let holder = did_of(&keys.holder);
    let holder_vm = vm_of(&keys.holder);
    let vp = |credentials: Vec<Value>| {
        object(json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:c0ffee00-1111-4222-8333-444455556666",
            "type": ["VerifiablePresentation"],
            "holder": holder,
            "verifiableCredential": credentials
        }))
    };
    let present = |doc: &Map<String, Value>, key: &Ed25519KeyPair, vm: &str, purpose| {
        let mut opts = options(vm, purpose);
        opts.created = Some(time("2026-05-31T08:00:00Z"));
        opts.challenge = Some("c-7f3a9b".into());
        opts.domain = Some("counter.passerelle.example".into());
        sign_with(doc, key, &opts)
    };
    let auth = VerificationRelationship::Authentication;
    let expect_cd = json!({"challenge": "c-7f3a9b", "domain": "counter.passerelle.example"});
    let good_vc = Value::Object(issuer_signed(keys));
    let web_vc = Value::Object(sign(&permit(WEB_DID), &keys.web_assert, &format!("{WEB_DID}#assert-1")));

    let valid = present(&vp(vec![good_vc.clone(), web_vc]), &keys.holder, &holder_vm, auth);
    v.case("vp-valid", "A presentation of two credentials (did:key and did:web issuers), signed by its holder for authentication with the expected challenge and domain.", &valid, &[WEB_DOC], expect_cd.clone(), VERIFIED);
    v.case(
        "vp-valid-without-expectations",
        "The same presentation, verified without an expected challenge or domain.",
        &valid,
        &[WEB_DOC],
        json!({}),
        VERIFIED,
    );
    v.case(
        "vp-wrong-challenge",
        "The verifier expects another challenge.",
        &valid,
        &[WEB_DOC],
        json!({"challenge": "c-other"}),
        fails(&[("proof", "CHALLENGE_MISMATCH")]),
    );
    v.case(
        "vp-wrong-domain",
        "The verifier expects another domain.",
        &valid,
        &[WEB_DOC],
        json!({"domain": "elsewhere.passerelle.example"}),
        fails(&[("proof", "DOMAIN_MISMATCH")]),
    );

    let mut tampered = valid.clone();
    tampered["holder"] = json!("did:example:someone-else");
    v.case(
        "vp-tampered",
        "The presentation's holder changed after signing.",
        &tampered,
        &[WEB_DOC],
        expect_cd.clone(),
        fails(&[
            ("proof", "PROOF_SIGNATURE_INVALID"),
            ("key_binding", "KEY_CONTROLLER_MISMATCH"),
        ]),
    );

    let mut bad_vc = good_vc.clone();
    bad_vc["credentialSubject"]["permitNumber"] = json!("MX-0-000");
    let with_bad = present(&vp(vec![bad_vc]), &keys.holder, &holder_vm, auth);
    v.case(
        "vp-credential-tampered",
        "A well-signed presentation holding a credential tampered before presentation.",
        &with_bad,
        &[],
        expect_cd.clone(),
        fails(&[("credentials", "PRESENTATION_CREDENTIAL_INVALID")]),
    );

    let with_expired = present(&vp(vec![good_vc.clone()]), &keys.holder, &holder_vm, auth);
    v.case(
        "vp-credential-expired",
        "A presentation verified after its credential's validUntil.",
        &with_expired,
        &[],
        json!({"time": "2032-01-01T00:00:00Z"}),
        fails(&[("credentials", "PRESENTATION_CREDENTIAL_INVALID")]),
    );

    let by_other = present(&vp(vec![good_vc.clone()]), &keys.attacker, &vm_of(&keys.attacker), auth);
    v.case(
        "vp-holder-mismatch",
        "Signed by a key that is not the holder's.",
        &by_other,
        &[],
        expect_cd.clone(),
        fails(&[("key_binding", "KEY_CONTROLLER_MISMATCH")]),
    );

    let assertion = present(
        &vp(vec![good_vc]),
        &keys.holder,
        &holder_vm,
        VerificationRelationship::AssertionMethod,
    );
    v.case(
        "vp-purpose-assertion",
        "A presentation proof made for assertionMethod instead of authentication.",
        &assertion,
        &[],
        expect_cd.clone(),
        fails(&[("proof", "PROOF_PURPOSE_MISMATCH")]),
    );

    let empty = present(&vp(vec![]), &keys.holder, &holder_vm, auth);
    v.case(
        "vp-no-credentials",
        "A signed presentation with no credential: the credentials check is skipped.",
        &empty,
        &[],
        expect_cd.clone(),
        VERIFIED,
    );

    let unsigned = vp(vec![]);
    v.case(
        "vp-unsigned",
        "A presentation without a proof.",
        &unsigned,
        &[],
        json!({}),
        fails(&[("proof", "PROOF_MISSING")]),
    );
}

fn readme(manifest: &Value) -> String {
    let mut out = String::from(include_str!("readme_head.md"));
    out.push_str("\n## Cases\n\n| id | expected | description |\n|---|---|---|\n");
    for case in manifest["cases"].as_array().into_iter().flatten() {
        let expect = &case["expect"];
        let verdict = if expect["verified"] == json!(true) {
            "verified".to_owned()
        } else {
            expect["failures"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    format!(
                        "`{}` {}",
                        f["code"].as_str().unwrap_or(""),
                        f["check"].as_str().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            case["id"].as_str().unwrap_or(""),
            verdict,
            case["description"].as_str().unwrap_or("")
        ));
    }
    out.push_str("\n## DID resolution cases\n\n| id | DID or DID URL | expected | description |\n|---|---|---|---|\n");
    for case in manifest["resolutions"].as_array().into_iter().flatten() {
        let expect = &case["expect"];
        let expected = match expect["error"].as_str() {
            Some(error) => format!("`{error}`"),
            None => format!("[content]({})", expect["content"].as_str().unwrap_or("")),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            case["id"].as_str().unwrap_or(""),
            case["did"].as_str().unwrap_or(""),
            expected,
            case["description"].as_str().unwrap_or("")
        ));
    }
    out
}
