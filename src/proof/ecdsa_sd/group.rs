//! Canonical statements under replaced blank node labels, and their groups
//! (vc-di-ecdsa §3.4.1–3.4.4, §3.4.14–3.4.16).
//!
//! Both sides canonicalize with RDFC-1.0 and then rename the canonical
//! labels: the issuer and holder to HMAC digests of them (so a verifier
//! learns nothing from the labels of what it is not shown), the verifier
//! back to those digests through the label map the holder sends.

use std::collections::{BTreeSet, HashMap, HashSet};

use hmac::{KeyInit, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use super::proof_value::HMAC_LEN;
use super::select;
use crate::canon::nquads::{self, Quad, Term};
use crate::canon::rdfc::{self, Canonicalized, HashAlgorithm, WorkLimit};
use crate::crypto::multibase;
use crate::error::{Error, ErrorCode, Result};
use crate::jsonld::JsonLd;

/// A blank node label as the statements write it: `u` and the base64url
/// of an HMAC-SHA-256 digest (§3.4.4).
pub(super) fn hmac_label(key: &[u8; HMAC_LEN], canonical: &str) -> Result<String> {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .map_err(|_| Error::new(ErrorCode::KeyInvalid, "HMAC key"))?;
    mac.update(canonical.as_bytes());
    Ok(multibase::encode_base64url(&mac.finalize().into_bytes()))
}

/// Canonical statements: each N-Quad line with the quad it writes, sorted by line.
pub(super) type Statements = Vec<(String, Quad)>;

/// Writes `quad` with its blank nodes renamed by `labels`; a blank node
/// `labels` does not name is `PROOF_VALUE_INVALID` (the label map does not
/// fit the document).
fn relabel(quad: &Quad, labels: &HashMap<String, String>) -> Result<String> {
    for term in [&quad.subject, &quad.object].into_iter().chain(quad.graph.as_ref()) {
        if let Term::Blank(name) = term {
            if !labels.contains_key(name) {
                return Err(Error::new(
                    ErrorCode::ProofValueInvalid,
                    "the label map does not name every blank node of the document",
                ));
            }
        }
    }
    let mut line = String::with_capacity(160);
    let label = |name: &str| labels.get(name).cloned().unwrap_or_default();
    nquads::write_quad(quad, &label, &mut line);
    Ok(line)
}

/// The statements of `quads`, whose canonical labelling is `canonical`,
/// with each blank node renamed by `rename` (given the canonical label's
/// number, `N` of `c14nN`, and the label) and sorted (§3.4.1): each one
/// N-Quad line. Returns them with the map from the input's blank node
/// labels to the new ones.
fn canonical_statements(
    quads: &[Quad],
    canonical: &Canonicalized,
    rename: &dyn Fn(usize, &str) -> Result<String>,
) -> Result<(Statements, HashMap<String, String>)> {
    let mut labels = HashMap::with_capacity(canonical.issued.len());
    // Canonical labels are issued in order: `c14nN` is the N-th.
    for (number, (input, c14n)) in canonical.issued.iter().enumerate() {
        labels.insert(input.clone(), rename(number, c14n)?);
    }
    let mut seen = HashSet::with_capacity(quads.len());
    let mut statements = Vec::with_capacity(quads.len());
    for quad in quads {
        if seen.insert(quad) {
            statements.push((relabel(quad, &labels)?, quad.clone()));
        }
    }
    statements.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // Relabelled quads stay distinct only if the new labels are: HMAC
    // digests, or a label map whose labels `DerivedProof::decode` checked.
    Ok((statements, labels))
}

fn canonicalize(quads: &[Quad]) -> Result<Canonicalized> {
    rdfc::canonicalize(quads, HashAlgorithm::Sha256, WorkLimit::default())
}

/// The verifier's side (§3.5.9 steps 3–4): the statements of `document`
/// with canonical label `c14nN` renamed `label_map[N]`, sorted. Every
/// canonical label must have an entry and every entry a label.
pub(super) fn statements_with_label_map(
    jsonld: &JsonLd,
    document: &Value,
    label_map: &[(u64, [u8; HMAC_LEN])],
) -> Result<Statements> {
    let quads = jsonld.to_rdf(document)?;
    let by_number: HashMap<u64, &[u8; HMAC_LEN]> = label_map.iter().map(|(n, digest)| (*n, digest)).collect();
    let rename = |number: usize, c14n: &str| -> Result<String> {
        by_number
            .get(&(number as u64))
            .map(|digest| multibase::encode_base64url(*digest))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::ProofValueInvalid,
                    format!("the label map has no label for {c14n}"),
                )
            })
    };
    let (statements, labels) = canonical_statements(&quads, &canonicalize(&quads)?, &rename)?;
    if labels.len() != label_map.len() {
        return Err(Error::new(
            ErrorCode::ProofValueInvalid,
            format!(
                "the label map has {} labels for {} blank nodes",
                label_map.len(),
                labels.len()
            ),
        ));
    }
    Ok(statements)
}

/// One group of §3.4.16: which statements (by index in the sorted list)
/// its pointers select, and the selection's statements with the input's
/// blank node labels (for the verifier's labels, §3.5.4 step 12).
#[derive(Debug)]
pub(super) struct Group {
    pub matching: BTreeSet<usize>,
    pub quads: Vec<Quad>,
}

/// §3.4.16 canonicalizeAndGroup with HMAC labels.
#[derive(Debug)]
pub(super) struct Grouped {
    /// The statements, sorted, blank nodes labelled by HMAC.
    pub statements: Vec<String>,
    /// Input blank node label → HMAC label.
    pub labels: HashMap<String, String>,
    /// One group per pointer list given, in order.
    pub groups: Vec<Group>,
}

/// §3.4.16 canonicalizeAndGroup: canonicalizes `document` with HMAC labels
/// under `key` and says which statements each list of pointers selects.
///
/// The document is skolemized in place (`select::skolemize`) and refused
/// (`JSONLD_INVALID`) unless the skolemized document states exactly the
/// same dataset with every blank node named: lists (whose nodes JSON-LD
/// creates) and graph containers cannot be selected from.
pub(super) fn canonicalize_and_group(
    jsonld: &JsonLd,
    document: &Map<String, Value>,
    key: &[u8; HMAC_LEN],
    pointer_lists: &[&[String]],
) -> Result<Grouped> {
    let mut nonce = [0u8; 12];
    crate::crypto::random_bytes(&mut nonce)?;
    let prefix = format!("urn:passerelle-sd:{}:", multibase::encode_base64url(&nonce));
    let skolemized = select::skolemize(document, &prefix);
    let quads = deskolemized(jsonld, &Value::Object(skolemized.clone()), &prefix)?;
    let plain = canonicalize(&jsonld.to_rdf(&Value::Object(document.clone()))?)?;
    let named = canonicalize(&quads)?;
    if plain.nquads != named.nquads {
        return Err(unselectable("naming its nodes changes what it states"));
    }
    let rename = |_: usize, c14n: &str| hmac_label(key, c14n);
    let (statements, labels) = canonical_statements(&quads, &named, &rename)?;
    let statements: Vec<String> = statements.into_iter().map(|(line, _)| line).collect();
    let mut groups = Vec::with_capacity(pointer_lists.len());
    for pointers in pointer_lists {
        let Some(selection) = select::select_json_ld(&skolemized, pointers)? else {
            groups.push(Group {
                matching: BTreeSet::new(),
                quads: Vec::new(),
            });
            continue;
        };
        let selected = deskolemized(jsonld, &Value::Object(selection), &prefix)?;
        let mut lines = HashSet::with_capacity(selected.len());
        for quad in &selected {
            lines.insert(relabel(quad, &labels)?);
        }
        let matching = statements
            .iter()
            .enumerate()
            .filter(|(_, line)| lines.contains(*line))
            .map(|(i, _)| i)
            .collect();
        groups.push(Group {
            matching,
            quads: selected,
        });
    }
    Ok(Grouped {
        statements,
        labels,
        groups,
    })
}

fn unselectable(why: &str) -> Error {
    Error::new(
        ErrorCode::JsonLdInvalid,
        format!("selective disclosure cannot be used with this document: {why}"),
    )
}

/// §3.4.9 toDeskolemizedNQuads: the dataset of a skolemized document with
/// the skolem IRIs turned back into blank nodes. A blank node left in the
/// skolemized dataset is a node the skolemization could not name.
fn deskolemized(jsonld: &JsonLd, skolemized: &Value, prefix: &str) -> Result<Vec<Quad>> {
    let mut quads = jsonld.to_rdf(skolemized)?;
    for quad in &mut quads {
        for term in [&mut quad.subject, &mut quad.object]
            .into_iter()
            .chain(quad.graph.as_mut())
        {
            match term {
                Term::Blank(_) => {
                    return Err(unselectable("it has a list, a graph or a node that cannot be named"));
                }
                Term::Iri(iri) => {
                    if let Some(name) = iri.strip_prefix(prefix) {
                        *term = Term::Blank(name.to_owned());
                    }
                }
                Term::Literal { .. } => {}
            }
        }
    }
    Ok(quads)
}

/// §3.5.4 steps 12–14: for the statements the holder reveals (`quads`,
/// with the input's labels), the verifier's canonical label number →
/// HMAC label, as the verifier will canonicalize the revealed document.
pub(super) fn verifier_label_map(
    quads: &[Quad],
    labels: &HashMap<String, String>,
) -> Result<Vec<(u64, [u8; HMAC_LEN])>> {
    let canonical = canonicalize(quads)?;
    let mut out = Vec::with_capacity(canonical.issued.len());
    for (number, (input, _)) in canonical.issued.iter().enumerate() {
        let label = labels
            .get(input)
            .ok_or_else(|| Error::new(ErrorCode::ProofValueInvalid, "a revealed node has no label"))?;
        let digest = multibase::decode(label)?;
        let digest: [u8; HMAC_LEN] = digest
            .try_into()
            .map_err(|_| Error::new(ErrorCode::ProofValueInvalid, "a label is not an HMAC digest"))?;
        out.push((number as u64, digest));
    }
    Ok(out)
}
