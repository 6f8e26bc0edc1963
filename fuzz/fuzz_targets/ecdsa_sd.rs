//! `ecdsa-sd-2023` derived-proof verification never panics, whatever the
//! fuzzer does to one fixed derived credential:
//!
//! - input starting with `{`: the credential's JSON text, read and
//!   verified at proof level (each proof of it, with the issuer's key);
//! - any other input: the bytes of the derived proof's `proofValue` (the
//!   CBOR, before multibase), written back as base64url `u…` into the
//!   fixed credential, which is then verified.
//!
//! The credential is made once, from fixed keys (issuer, HMAC and
//! proof-scoped keys; ECDSA signing is deterministic), so a crash input
//! reproduces. Its JSON text and proofValue bytes are the seeds
//! `ecdsa-sd-derived.json` and `ecdsa-sd-derived-proof.cbor`; the
//! unchanged credential must verify, the check that the fuzzer reaches the
//! end of verification.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use passerelle::crypto::{multibase, P256KeyPair, PublicKey, Signer};
use passerelle::json::{parse_object, Limits};
use passerelle::jsonld::JsonLd;
use passerelle::proof::{ecdsa_sd, proofs_of, DataIntegrityProof, ProofOptions};
use passerelle::{did, Timestamp};
use serde_json::{json, Map, Value};

struct Fixture {
    key: PublicKey,
    derived: Map<String, Value>,
    proof_value: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let issuer = P256KeyPair::from_secret_bytes(&[41; 32]).expect("a valid scalar");
        let proof_key = P256KeyPair::from_secret_bytes(&[42; 32]).expect("a valid scalar");
        let vm = did::key::verification_method_for(&issuer.public_key());
        let credential = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            "type": ["VerifiableCredential", "ExampleLicenceCredential"],
            "issuer": vm.split('#').next().expect("a DID URL"),
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {
                "name": "Alex Tremblay",
                "birthDate": "1990-05-01",
                "languages": ["fr", "en"],
                "address": {"locality": "Victoria", "region": "BC"},
                "licenceClass": "5"
            }
        });
        let at = Timestamp::parse("2026-01-01T00:00:00Z").expect("a time");
        let mandatory: Vec<String> = ["/issuer", "/type", "/validFrom"].map(String::from).to_vec();
        let base = ecdsa_sd::add_base_proof_with(
            credential.as_object().expect("an object"),
            &ProofOptions::assertion(vm, at),
            &mandatory,
            &issuer,
            JsonLd::bundled(),
            &[43; 32],
            &proof_key,
        )
        .expect("a base proof");
        let shown: Vec<String> = [
            "/credentialSubject/name",
            "/credentialSubject/languages/0",
            "/credentialSubject/address/locality",
        ]
        .map(String::from)
        .to_vec();
        let derived = ecdsa_sd::derive_proof(&base, &shown, JsonLd::bundled()).expect("a derived proof");
        let value = derived["proof"]["proofValue"].as_str().expect("a proofValue");
        let proof_value = multibase::decode(value).expect("base64url");
        let fixture = Fixture {
            key: issuer.public_key(),
            derived,
            proof_value,
        };
        assert!(
            verify(&fixture.derived, &fixture.key),
            "the fixed derived credential verifies"
        );
        if let Ok(dir) = std::env::var("ECDSA_SD_WRITE_SEEDS") {
            let text = serde_json::to_string_pretty(&fixture.derived).expect("JSON");
            std::fs::write(format!("{dir}/ecdsa-sd-derived.json"), text + "\n").expect("write the seed");
            std::fs::write(format!("{dir}/ecdsa-sd-derived-proof.cbor"), &fixture.proof_value).expect("write the seed");
        }
        fixture
    })
}

/// Every proof of `document` checked with `key`: whether all parse and verify.
fn verify(document: &Map<String, Value>, key: &PublicKey) -> bool {
    let Ok(proofs) = proofs_of(document) else { return false };
    let mut verified = true;
    for proof in proofs {
        verified &= match DataIntegrityProof::parse(proof) {
            Ok(parsed) => parsed.verify_signature(document, key).is_ok(),
            Err(_) => false,
        };
    }
    verified
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    if data.first() == Some(&b'{') {
        if let Ok(document) = parse_object(data, Limits::default()) {
            let verified = verify(&document, &fixture.key);
            if document == fixture.derived {
                assert!(verified, "the fixed credential, spelled otherwise, verifies");
            }
        }
    } else {
        let mut document = fixture.derived.clone();
        let proof = document["proof"].as_object_mut().expect("a proof object");
        proof.insert("proofValue".into(), multibase::encode_base64url(data).into());
        let verified = verify(&document, &fixture.key);
        if data == fixture.proof_value.as_slice() {
            assert!(verified, "the unchanged proofValue verifies");
        }
    }
});
