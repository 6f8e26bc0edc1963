//! Poison datasets (issue #14, finding 3): credentials whose subject is a
//! ring, a clique, a hub or many pairs of blank nodes, up to the 1 MiB
//! default input limit, secured with `eddsa-rdfc-2022` (the proof is
//! valid for another subject, so only canonicalization stands between the
//! input and the signature check). Each one must be answered with a code,
//! without a crash, in a thread with a 256 KiB stack (smaller than the 2 MiB
//! of std and tokio threads). Timing is measured by `benches/rdfc_poison.rs`,
//! not asserted here.

mod common;

use passerelle::crypto::Ed25519KeyPair;
use passerelle::json::Limits;
use passerelle::proof::Cryptosuite;
use passerelle::verify::CheckName;
use passerelle::{ErrorCode, Issuer, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

#[path = "../benches/common/poison.rs"]
mod poison;

use poison::Shape;

/// The stack of the threads the verifications run in.
const STACK: usize = 256 * 1024;

/// Runs `work` in a thread with a 256 KiB stack and returns its result; a
/// stack overflow aborts the whole test binary, which is the failure.
fn small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap()
}

/// The proof check's code for `credential`, verified in a small-stack thread.
fn proof_code(credential: Vec<u8>) -> Option<ErrorCode> {
    small_stack(move || {
        let report = Verifier::offline().verify(&credential, &VerifyOptions::at(poison::at()));
        assert!(!report.verified(), "a poison credential verified");
        report.check(CheckName::Proof).and_then(|c| c.code)
    })
}

#[test]
fn the_generated_credentials_reach_the_size_limit_and_keep_a_valid_proof_shape() {
    let limit = Limits::default().max_bytes;
    for shape in Shape::ALL {
        let bytes = poison::at_limit(shape, limit);
        assert!(bytes.len() <= limit, "{shape:?}: {} bytes", bytes.len());
        assert!(
            bytes.len() > limit - limit / 50,
            "{shape:?}: only {} bytes",
            bytes.len()
        );
    }
    // The same generator with a small subject verifies once signed: the
    // documents are well formed, so the refusals below are the canonicalizer's.
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&poison::SEED))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap();
    let signed = issuer.issue(poison::unsigned(Shape::Ring, 3), poison::at()).unwrap();
    let report = Verifier::offline().verify(signed.to_json_string().as_bytes(), &VerifyOptions::at(poison::at()));
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
}

#[test]
fn a_ring_of_two_thousand_blank_nodes_is_refused_in_a_small_stack() {
    let credential = poison::credential(Shape::Ring, 2_000);
    assert_eq!(proof_code(credential), Some(ErrorCode::CanonicalizationLimit));
}

#[test]
fn every_poison_shape_at_the_size_limit_is_refused_in_a_small_stack() {
    let limit = Limits::default().max_bytes;
    for shape in Shape::ALL {
        let code = proof_code(poison::at_limit(shape, limit));
        assert_eq!(code, Some(ErrorCode::CanonicalizationLimit), "{shape:?}");
    }
}

#[test]
fn small_poison_shapes_are_answered_with_a_code_in_a_small_stack() {
    // Below the work limit a shape is canonicalized and the (borrowed)
    // signature fails; above it the canonicalizer refuses. Either is an answer.
    for shape in Shape::ALL {
        for size in [2, 5, 8, 30, 100, 300] {
            let credential = poison::credential(shape, size);
            if credential.len() > Limits::default().max_bytes {
                continue;
            }
            let code = proof_code(credential);
            assert!(
                matches!(
                    code,
                    Some(ErrorCode::CanonicalizationLimit | ErrorCode::ProofSignatureInvalid)
                ),
                "{shape:?} {size}: {code:?}"
            );
        }
    }
}

/// `depth` arrays nested in one another around `inner`.
fn nested_arrays(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn the_json_reader_at_its_depth_ceiling_fits_a_small_stack() {
    let ceiling = Limits::DEPTH_CEILING;
    let limits = Limits {
        max_bytes: Limits::default().max_bytes,
        max_depth: ceiling,
    };
    let (at_ceiling, past_ceiling) = small_stack(move || {
        let objects = format!("{}1{}", "{\"a\":".repeat(ceiling - 1), "}".repeat(ceiling - 1));
        let objects = passerelle::json::parse_strict(format!("[{objects}]").as_bytes(), limits).is_ok();
        let arrays = passerelle::json::parse_strict(nested_arrays(ceiling, "1").as_bytes(), limits).is_ok();
        let past = passerelle::json::parse_strict(nested_arrays(ceiling + 1, "1").as_bytes(), limits)
            .unwrap_err()
            .code();
        (objects && arrays, past)
    });
    assert!(at_ceiling);
    assert_eq!(past_ceiling, ErrorCode::InputTooDeep);
}

/// A credential whose subject nests `depth` objects (`{"knows": {…}}`).
fn nested_credential(depth: usize) -> Map<String, Value> {
    let mut subject = json!({"https://schema.org/name": "bottom"});
    for _ in 0..depth {
        subject = json!({ "https://schema.org/knows": subject });
    }
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": subject,
    });
    // Taken out, not cloned: a clone of a deep value recurses.
    match credential {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

#[test]
fn json_ld_expansion_at_its_depth_cap_fits_a_small_stack() {
    // The subject is expanded at depth 1, its nested objects below it, and
    // the innermost name at depth + 2.
    let depth = passerelle::jsonld::MAX_DEPTH - 2;
    let (at_cap, past_cap) = small_stack(move || {
        let at_cap = Value::Object(nested_credential(depth));
        let at_cap = passerelle::jsonld::JsonLd::new()
            .canonicalize(&at_cap)
            .map(|n| n.lines().count());
        let past_cap = Value::Object(nested_credential(depth + 1));
        let past_cap = passerelle::jsonld::JsonLd::new()
            .canonicalize(&past_cap)
            .map(|n| n.lines().count());
        (at_cap, past_cap.map_err(|e| e.code()))
    });
    // The credential's type, issuer and subject, a `knows` per level, the bottom's name.
    assert_eq!(at_cap.unwrap(), depth + 4);
    assert_eq!(past_cap, Err(ErrorCode::InputTooDeep));
}

#[test]
fn json_ld_expansion_past_its_cap_refuses_in_a_small_stack() {
    // A caller may build a deeper value than the JSON reader allows: it is
    // refused with a code, in a small stack too. The values are made and
    // dropped outside the small stack (serde_json drops recursively).
    let mut value = json!("x");
    for _ in 0..300 {
        value = json!([value]);
    }
    let arrays = std::sync::Arc::new(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"https://schema.org/knows": value},
    }));
    let objects = std::sync::Arc::new(Value::Object(nested_credential(300)));
    let codes = {
        let (arrays, objects) = (arrays.clone(), objects.clone());
        small_stack(move || {
            let jsonld = passerelle::jsonld::JsonLd::new();
            (
                jsonld.canonicalize(&arrays).unwrap_err().code(),
                jsonld.canonicalize(&objects).unwrap_err().code(),
            )
        })
    };
    assert_eq!(codes, (ErrorCode::InputTooDeep, ErrorCode::InputTooDeep));
}

#[test]
fn the_verifier_at_the_json_depth_ceiling_and_the_expansion_cap_fits_a_small_stack() {
    let limits = Limits {
        max_bytes: Limits::default().max_bytes,
        max_depth: Limits::DEPTH_CEILING,
    };
    let proof = Value::Object(poison::proof()).to_string();
    // Nested to the JSON reader's ceiling (refused by expansion), and to
    // expansion's cap (canonicalized; the borrowed proof then fails).
    let cases = [
        (Limits::DEPTH_CEILING - 2, ErrorCode::InputTooDeep),
        (passerelle::jsonld::MAX_DEPTH - 2, ErrorCode::ProofSignatureInvalid),
    ];
    for (depth, expected) in cases {
        let text = Value::Object(nested_credential(depth)).to_string();
        let text = format!("{},\"proof\":{proof}}}", &text[..text.len() - 1]);
        let code = small_stack(move || {
            let mut options = VerifyOptions::at(poison::at());
            options.limits = limits;
            let report = Verifier::offline().verify(text.as_bytes(), &options);
            report.check(CheckName::Proof).and_then(|c| c.code)
        });
        assert_eq!(code, Some(expected), "depth {depth}");
    }
}
