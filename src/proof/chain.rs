//! Proof sets and proof chains (Data Integrity §2.1.1–2.1.2, §4.3 Add
//! Proof Set/Chain, §4.5 Verify Proof Sets and Chains).
//!
//! A proof naming earlier proofs in `previousProof` signs over the
//! document with `proof` set to exactly those proofs (their `proofValue`
//! included), so it binds them; a proof without `previousProof` signs over
//! the document without any proof. The references are checked here before
//! any signature is: each must name the `id` of exactly one proof of the
//! set (`PROOF_REFERENCE_DANGLING`, `PROOF_ID_DUPLICATE`), and following
//! them must never come back to a proof (`PROOF_CHAIN_CYCLE`).

use serde_json::{Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};

fn malformed(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::ProofMalformed, why)
}

fn shown(id: &str) -> String {
    quoted(&id.chars().take(128).collect::<String>())
}

/// The proof `id`, if it has one (a string: anything else is malformed).
pub(crate) fn proof_id(proof: &Map<String, Value>) -> Result<Option<&str>> {
    match proof.get("id") {
        None => Ok(None),
        Some(Value::String(id)) if !id.is_empty() => Ok(Some(id)),
        Some(_) => Err(malformed("proof id must be a non-empty string")),
    }
}

/// The ids a proof's `previousProof` names: a string or a non-empty array
/// of strings (§2.1); none when it has no `previousProof`.
pub fn previous_proof_ids(proof: &Map<String, Value>) -> Result<Vec<&str>> {
    let bad = || malformed("previousProof must be a string or a non-empty array of strings");
    match proof.get("previousProof") {
        None => Ok(Vec::new()),
        Some(Value::String(id)) if !id.is_empty() => Ok(vec![id.as_str()]),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str().filter(|id| !id.is_empty()).ok_or_else(bad))
            .collect(),
        Some(_) => Err(bad()),
    }
}

/// The proofs of `all` whose `id`s are among `ids`, in the set's order and
/// each once (VC Data Integrity §4.3 step 4, §4.4 step 2): what a proof
/// naming `ids` in `previousProof` signed over. An id no proof has is
/// `PROOF_REFERENCE_DANGLING`; an id two proofs have is `PROOF_ID_DUPLICATE`
/// (the reference would not say which was signed).
pub(crate) fn matching<'a>(all: &[&'a Map<String, Value>], ids: &[&str]) -> Result<Vec<&'a Map<String, Value>>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut seen: Vec<&str> = Vec::with_capacity(ids.len());
    for proof in all {
        let Some(id) = proof_id(proof)? else { continue };
        if !ids.contains(&id) {
            continue;
        }
        if seen.contains(&id) {
            return Err(Error::new(
                ErrorCode::ProofIdDuplicate,
                format!("two proofs have the id {}", shown(id)),
            ));
        }
        seen.push(id);
        out.push(*proof);
    }
    if let Some(id) = ids.iter().find(|id| !seen.contains(id)) {
        return Err(Error::new(
            ErrorCode::ProofReferenceDangling,
            format!("previousProof names {}, which no proof of the set has", shown(id)),
        ));
    }
    Ok(out)
}

/// Checks the references of a whole proof set before any signature is
/// checked: ids unique, every `previousProof` naming a proof of the set,
/// no cycle. Returns, for each proof, the positions of the proofs it names,
/// ascending and each once.
pub(crate) fn link(all: &[&Map<String, Value>]) -> Result<Vec<Vec<usize>>> {
    // Sorted (id, position) pairs rather than a HashMap: no hash table code
    // in the WebAssembly module for the one map the verifier builds.
    let mut positions: Vec<(&str, usize)> = Vec::with_capacity(all.len());
    for (i, proof) in all.iter().enumerate() {
        if let Some(id) = proof_id(proof)? {
            positions.push((id, i));
        }
    }
    positions.sort_unstable();
    if let Some(pair) = positions.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(Error::new(
            ErrorCode::ProofIdDuplicate,
            format!("two proofs have the id {}", shown(pair[0].0)),
        ));
    }
    let mut edges = Vec::with_capacity(all.len());
    for proof in all {
        let named = previous_proof_ids(proof)?;
        let mut targets = Vec::with_capacity(named.len());
        for id in named {
            let found = positions.binary_search_by(|(key, _)| (*key).cmp(id));
            let target = found.map(|at| positions[at].1).map_err(|_| {
                Error::new(
                    ErrorCode::ProofReferenceDangling,
                    format!("previousProof names {}, which no proof of the set has", shown(id)),
                )
            })?;
            targets.push(target);
        }
        // What the proof signed: the named proofs in the set's order, each
        // once (as `matching` gives them at issuance).
        targets.sort_unstable();
        targets.dedup();
        edges.push(targets);
    }
    if let Some(at) = first_cycle(&edges) {
        let id = proof_id(all[at])?.unwrap_or("");
        return Err(Error::new(
            ErrorCode::ProofChainCycle,
            format!("following previousProof from {} comes back to it", shown(id)),
        ));
    }
    Ok(edges)
}

/// A proof on a cycle of `edges`, if there is one (depth-first search
/// with an explicit stack: a long chain cannot exhaust the call stack).
fn first_cycle(edges: &[Vec<usize>]) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; edges.len()];
    for start in 0..edges.len() {
        if marks[start] != Mark::New {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        marks[start] = Mark::Open;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match edges[node].get(*next) {
                Some(&target) => {
                    *next += 1;
                    match marks[target] {
                        Mark::Open => return Some(target),
                        Mark::New => {
                            marks[target] = Mark::Open;
                            stack.push((target, 0));
                        }
                        Mark::Done => {}
                    }
                }
                None => {
                    marks[node] = Mark::Done;
                    stack.pop();
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn proofs(values: &[Value]) -> Vec<&Map<String, Value>> {
        values.iter().map(|v| v.as_object().unwrap()).collect()
    }

    fn code(values: &[Value]) -> Option<ErrorCode> {
        link(&proofs(values)).err().map(|e| e.code())
    }

    #[test]
    fn a_chain_links_each_proof_to_those_it_names() {
        let set = [
            json!({"id": "urn:a"}),
            json!({"id": "urn:b", "previousProof": "urn:a"}),
            json!({"previousProof": ["urn:a", "urn:b"]}),
        ];
        assert_eq!(link(&proofs(&set)).unwrap(), vec![vec![], vec![0], vec![0, 1]]);
    }

    #[test]
    fn dangling_duplicate_and_cyclic_references_each_have_their_code() {
        let dangling = [json!({"id": "urn:a", "previousProof": "urn:z"})];
        assert_eq!(code(&dangling), Some(ErrorCode::ProofReferenceDangling));
        let duplicate = [json!({"id": "urn:a"}), json!({"id": "urn:a"})];
        assert_eq!(code(&duplicate), Some(ErrorCode::ProofIdDuplicate));
        let own = [json!({"id": "urn:a", "previousProof": "urn:a"})];
        assert_eq!(code(&own), Some(ErrorCode::ProofChainCycle));
        let three = [
            json!({"id": "urn:a", "previousProof": "urn:c"}),
            json!({"id": "urn:b", "previousProof": "urn:a"}),
            json!({"id": "urn:c", "previousProof": ["urn:b"]}),
        ];
        assert_eq!(code(&three), Some(ErrorCode::ProofChainCycle));
    }

    #[test]
    fn previous_proof_must_be_a_string_or_strings() {
        for bad in [json!(1), json!([]), json!([1]), json!(""), json!({"id": "urn:a"})] {
            let set = [json!({"id": "urn:a"}), json!({"previousProof": bad})];
            assert_eq!(code(&set), Some(ErrorCode::ProofMalformed), "{}", set[1]);
        }
        assert_eq!(
            code(&[json!({"id": 7})]),
            Some(ErrorCode::ProofMalformed),
            "a proof id that is not a string"
        );
    }

    /// VC Data Integrity §4.3 step 4 and §4.4 step 2: the proofs of the set
    /// whose ids the list names, as the set holds them, each once — not the
    /// list's order, not its repetitions.
    #[test]
    fn matching_returns_the_named_proofs_in_document_order_each_once() {
        let set = [json!({"id": "urn:a"}), json!({"id": "urn:b"}), json!({"id": "urn:c"})];
        let all = proofs(&set);
        let found = matching(&all, &["urn:c", "urn:a"]).unwrap();
        assert_eq!(found, vec![all[0], all[2]]);
        let found = matching(&all, &["urn:b", "urn:a", "urn:b"]).unwrap();
        assert_eq!(found, vec![all[0], all[1]]);
        assert_eq!(
            matching(&all, &["urn:z"]).unwrap_err().code(),
            ErrorCode::ProofReferenceDangling
        );
    }

    #[test]
    fn a_long_chain_is_linked_without_deep_recursion() {
        let set: Vec<Value> = (0..20_000)
            .map(|i| {
                if i == 0 {
                    json!({"id": "urn:0"})
                } else {
                    json!({"id": format!("urn:{i}"), "previousProof": format!("urn:{}", i - 1)})
                }
            })
            .collect();
        assert!(link(&proofs(&set)).is_ok());
    }
}
