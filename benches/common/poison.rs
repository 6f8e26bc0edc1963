//! Poison credentials for RDFC-1.0 (issue #14, finding 3), shared by
//! `tests/rdfc_poison.rs` and `benches/rdfc_poison.rs`: the subject knows a
//! ring, a clique, a hub or pairs of blank nodes whose first-degree hashes
//! are all alike, so that canonicalization has to tell them apart by Hash
//! N-Degree Quads. The proof is a real `eddsa-rdfc-2022` proof of another
//! subject: everything up to the signature check runs.
#![allow(dead_code)]

use std::fmt::Write as _;

use passerelle::crypto::Ed25519KeyPair;
use passerelle::proof::Cryptosuite;
use passerelle::{Issuer, Timestamp};
use serde_json::{json, Map, Value};

/// The issuer's key seed.
pub const SEED: [u8; 32] = [14; 32];

/// A shape of blank nodes under the subject's `knows`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `n` nodes, each knowing the next, the last the first.
    Ring,
    /// `n` nodes, each knowing every other.
    Clique,
    /// One node knowing `n` leaves.
    Hub,
    /// Two nodes knowing the same `n` leaves.
    TwinHubs,
    /// `n` pairs of nodes knowing each other.
    Pairs,
}

impl Shape {
    /// Every shape.
    pub const ALL: [Shape; 5] = [Shape::Ring, Shape::Clique, Shape::Hub, Shape::TwinHubs, Shape::Pairs];
}

/// The time the proofs are made and checked at.
pub fn at() -> Timestamp {
    Timestamp::parse("2030-01-01T00:00:00Z").unwrap()
}

fn issuer() -> Issuer<Ed25519KeyPair> {
    Issuer::did_key(Ed25519KeyPair::from_seed(&SEED))
        .with_cryptosuite(Cryptosuite::EddsaRdfc2022)
        .unwrap()
}

/// A valid `eddsa-rdfc-2022` proof, of a credential with a plain subject.
pub fn proof() -> Map<String, Value> {
    let issuer = issuer();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "credentialSubject": {"name": "plain"},
    });
    let signed = issuer.issue(unsigned.as_object().unwrap().clone(), at()).unwrap();
    signed.into_json()["proof"].as_object().unwrap().clone()
}

/// The `knows` array of `shape` with `n` as its size, as JSON text.
fn nodes(shape: Shape, n: usize) -> String {
    let mut out = String::from("[");
    let node = |out: &mut String, id: &str, knows: &mut dyn Iterator<Item = String>| {
        if out.len() > 1 {
            out.push(',');
        }
        let _ = write!(out, "{{\"id\":\"_:{id}\",\"https://schema.org/knows\":[");
        for (i, other) in knows.enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"id\":\"_:{other}\"}}");
        }
        out.push_str("]}");
    };
    match shape {
        Shape::Ring => {
            for i in 0..n {
                node(
                    &mut out,
                    &format!("b{i}"),
                    &mut std::iter::once(format!("b{}", (i + 1) % n)),
                );
            }
        }
        Shape::Clique => {
            for i in 0..n {
                node(
                    &mut out,
                    &format!("b{i}"),
                    &mut (0..n).filter(|j| *j != i).map(|j| format!("b{j}")),
                );
            }
        }
        Shape::Hub | Shape::TwinHubs => {
            let hubs = if shape == Shape::Hub { 1 } else { 2 };
            for h in 0..hubs {
                node(&mut out, &format!("h{h}"), &mut (0..n).map(|j| format!("l{j}")));
            }
        }
        Shape::Pairs => {
            for i in 0..n {
                node(&mut out, &format!("a{i}"), &mut std::iter::once(format!("b{i}")));
                node(&mut out, &format!("b{i}"), &mut std::iter::once(format!("a{i}")));
            }
        }
    }
    out.push(']');
    out
}

/// The unsigned credential text (no proof) of `shape` with `n` as its size.
pub fn document(shape: Shape, n: usize) -> String {
    format!(
        "{{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],\
         \"issuer\":\"{}\",\"credentialSubject\":{{\"https://schema.org/knows\":{}}}}}",
        issuer().did(),
        nodes(shape, n)
    )
}

/// The unsigned credential of `shape` with `n` as its size, as a JSON object.
pub fn unsigned(shape: Shape, n: usize) -> Map<String, Value> {
    serde_json::from_str(&document(shape, n)).unwrap()
}

/// The credential of `shape` with `n` as its size, with the borrowed proof.
pub fn credential(shape: Shape, n: usize) -> Vec<u8> {
    with_proof(&document(shape, n), &Value::Object(proof()).to_string())
}

fn with_proof(document: &str, proof: &str) -> Vec<u8> {
    format!("{},\"proof\":{proof}}}", &document[..document.len() - 1]).into_bytes()
}

/// The largest credential of `shape` that is at most `limit` bytes long.
pub fn at_limit(shape: Shape, limit: usize) -> Vec<u8> {
    let proof = Value::Object(proof()).to_string();
    let size = |n: usize| with_proof(&document(shape, n), &proof).len();
    // Grow, then bisect: sizes grow with n (quadratically for a clique).
    let (mut low, mut high) = (2, 4);
    while size(high) <= limit {
        low = high;
        high *= 2;
    }
    while high - low > 1 {
        let middle = (low + high) / 2;
        if size(middle) <= limit {
            low = middle;
        } else {
            high = middle;
        }
    }
    with_proof(&document(shape, low), &proof)
}
