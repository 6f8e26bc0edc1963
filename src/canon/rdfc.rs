//! RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation): canonical
//! blank node labels (`c14n0`, `c14n1`, …) and the canonical N-Quads of a
//! dataset, so that a signature covers the graph, not its serialization.
//!
//! The section numbers below are those of the Recommendation (§4.4 the
//! canonicalization algorithm, §4.5 Issue Identifier, §4.6 Hash First Degree
//! Quads, §4.7 Hash Related Blank Node, §4.8 Hash N-Degree Quads). Work is
//! bounded (§8, "poison" datasets): past the limit the algorithm stops with
//! `CANONICALIZATION_LIMIT`.

use std::collections::HashMap;

use sha2::{Digest, Sha256, Sha384};

use super::nquads::{self, Quad, Term};
use crate::error::{Error, ErrorCode, Result};

/// The hash function the algorithm uses (SHA-256 unless a suite asks for SHA-384).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// SHA-256, the default.
    #[default]
    Sha256,
    /// SHA-384.
    Sha384,
}

impl HashAlgorithm {
    fn hex(self, data: &[u8]) -> String {
        let digest: Vec<u8> = match self {
            HashAlgorithm::Sha256 => Sha256::digest(data).to_vec(),
            HashAlgorithm::Sha384 => Sha384::digest(data).to_vec(),
        };
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// How much work canonicalization may do before refusing the dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkLimit {
    /// Calls of Hash N-Degree Quads, over the whole run.
    pub max_n_degree_calls: usize,
    /// Permutations examined by Hash N-Degree Quads, over the whole run.
    pub max_permutations: usize,
}

impl Default for WorkLimit {
    fn default() -> Self {
        WorkLimit {
            max_n_degree_calls: 4_096,
            max_permutations: 65_536,
        }
    }
}

/// A canonicalized dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonicalized {
    /// The canonical N-Quads: every quad in canonical form, sorted, each ending with a line feed.
    pub nquads: String,
    /// The issued identifiers map: input blank node label → canonical label, in issue order.
    pub issued: Vec<(String, String)>,
}

/// Canonicalizes `quads` (RDFC-1.0 §4.4).
///
/// ```
/// use passerelle::canon::rdfc::{canonicalize, HashAlgorithm, WorkLimit};
/// let quads = passerelle::canon::nquads::parse(
///     "_:x <http://example.org/p> \"v\" .\n_:y <http://example.org/q> _:x .\n").unwrap();
/// let out = canonicalize(&quads, HashAlgorithm::Sha256, WorkLimit::default()).unwrap();
/// assert!(out.nquads.contains("_:c14n0"));
/// ```
pub fn canonicalize(quads: &[Quad], hash: HashAlgorithm, limit: WorkLimit) -> Result<Canonicalized> {
    // A dataset is a set: a quad written twice is one quad (and must hash as one).
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<Quad> = quads.iter().filter(|q| seen.insert(*q)).cloned().collect();
    let quads = unique.as_slice();
    let mut state = State::new(quads, hash, limit);
    state.run()?;
    let canonical = &state.canonical;
    let label = |name: &str| canonical.get(name).unwrap_or(name).to_owned();
    let mut lines: Vec<String> = quads
        .iter()
        .map(|quad| {
            let mut line = String::new();
            nquads::write_quad(quad, &label, &mut line);
            line
        })
        .collect();
    lines.sort_unstable();
    Ok(Canonicalized {
        nquads: lines.concat(),
        issued: state.canonical.order.clone(),
    })
}

/// An identifier issuer (§4.5): a prefix, a counter, and what it issued, in order.
#[derive(Clone, Debug)]
struct Issuer {
    prefix: &'static str,
    order: Vec<(String, String)>,
    issued: HashMap<String, usize>,
}

impl Issuer {
    fn new(prefix: &'static str) -> Self {
        Issuer {
            prefix,
            order: Vec::new(),
            issued: HashMap::new(),
        }
    }

    fn get(&self, existing: &str) -> Option<&str> {
        self.issued.get(existing).map(|i| self.order[*i].1.as_str())
    }

    fn issue(&mut self, existing: &str) -> String {
        if let Some(found) = self.get(existing) {
            return found.to_owned();
        }
        let issued = format!("{}{}", self.prefix, self.order.len());
        self.issued.insert(existing.to_owned(), self.order.len());
        self.order.push((existing.to_owned(), issued.clone()));
        issued
    }
}

struct State<'a> {
    quads: &'a [Quad],
    hash: HashAlgorithm,
    limit: WorkLimit,
    /// Blank node → indices of the quads that mention it, nodes in order of first mention.
    mentions: HashMap<&'a str, Vec<usize>>,
    nodes: Vec<&'a str>,
    first_degree: HashMap<&'a str, String>,
    canonical: Issuer,
    n_degree_calls: usize,
    permutations: usize,
}

impl<'a> State<'a> {
    fn new(quads: &'a [Quad], hash: HashAlgorithm, limit: WorkLimit) -> Self {
        let mut mentions: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut nodes = Vec::new();
        for (i, quad) in quads.iter().enumerate() {
            for node in quad.blank_nodes() {
                let list = mentions.entry(node).or_insert_with(|| {
                    nodes.push(node);
                    Vec::new()
                });
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        State {
            quads,
            hash,
            limit,
            mentions,
            nodes,
            first_degree: HashMap::new(),
            canonical: Issuer::new("c14n"),
            n_degree_calls: 0,
            permutations: 0,
        }
    }

    /// §4.4.3 steps 3–6.
    fn run(&mut self) -> Result<()> {
        let mut by_hash: Vec<(String, Vec<&'a str>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for node in self.nodes.clone() {
            let hash = self.hash_first_degree(node);
            self.first_degree.insert(node, hash.clone());
            match index.get(&hash) {
                Some(i) => by_hash[*i].1.push(node),
                None => {
                    index.insert(hash.clone(), by_hash.len());
                    by_hash.push((hash, vec![node]));
                }
            }
        }
        by_hash.sort_by(|a, b| a.0.cmp(&b.0));
        // Step 4: nodes with a unique first-degree hash, in hash order.
        for (_, list) in by_hash.iter().filter(|(_, list)| list.len() == 1) {
            self.canonical.issue(list[0]);
        }
        // Step 5: the shared hashes, in hash order.
        for (_, list) in by_hash.iter().filter(|(_, list)| list.len() > 1) {
            let mut paths: Vec<(String, Issuer)> = Vec::new();
            for node in list {
                if self.canonical.get(node).is_some() {
                    continue;
                }
                let mut temporary = Issuer::new("b");
                temporary.issue(node);
                paths.push(self.hash_n_degree(node, temporary)?);
            }
            paths.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in paths {
                for (existing, _) in &issuer.order {
                    self.canonical.issue(existing);
                }
            }
        }
        Ok(())
    }

    /// §4.6: the hash of the canonical n-quads of `node`'s mentions, `node`
    /// written `_:a` and every other blank node `_:z`.
    fn hash_first_degree(&self, node: &str) -> String {
        let label = |name: &str| if name == node { "a".to_owned() } else { "z".to_owned() };
        let mut lines: Vec<String> = self.mentions[node]
            .iter()
            .map(|i| {
                let mut line = String::new();
                nquads::write_quad(&self.quads[*i], &label, &mut line);
                line
            })
            .collect();
        lines.sort_unstable();
        self.hash.hex(lines.concat().as_bytes())
    }

    /// §4.7: the hash of how `related` appears in `quad` at `position`.
    fn hash_related(&self, related: &str, quad: &Quad, issuer: &Issuer, position: char) -> String {
        let mut input = String::new();
        input.push(position);
        if position != 'g' {
            if let Term::Iri(predicate) = &quad.predicate {
                input.push('<');
                input.push_str(predicate);
                input.push('>');
            }
        }
        match self.canonical.get(related).or_else(|| issuer.get(related)) {
            Some(id) => {
                input.push_str("_:");
                input.push_str(id);
            }
            None => input.push_str(&self.first_degree[related]),
        }
        self.hash.hex(input.as_bytes())
    }

    /// §4.8: the hash of `node`'s gossip paths, and the issuer that labels them.
    fn hash_n_degree(&mut self, node: &str, mut issuer: Issuer) -> Result<(String, Issuer)> {
        self.n_degree_calls += 1;
        if self.n_degree_calls > self.limit.max_n_degree_calls {
            return Err(limit_error("Hash N-Degree Quads was called too often"));
        }
        // Steps 1–3: related hash → related blank nodes, in first-seen order.
        let mut related: Vec<(String, Vec<&'a str>)> = Vec::new();
        let quads = self.quads;
        for i in self.mentions[node].clone() {
            let quad = &quads[i];
            let components = [
                (Some(&quad.subject), 's'),
                (Some(&quad.object), 'o'),
                (quad.graph.as_ref(), 'g'),
            ];
            for (term, position) in components {
                let Some(Term::Blank(other)) = term else { continue };
                if other == node {
                    continue;
                }
                let hash = self.hash_related(other, quad, &issuer, position);
                let other: &'a str = other.as_str();
                match related.iter_mut().find(|(h, _)| *h == hash) {
                    Some((_, list)) => list.push(other),
                    None => related.push((hash, vec![other])),
                }
            }
        }
        related.sort_by(|a, b| a.0.cmp(&b.0));

        // Steps 4–5.
        let mut data = String::new();
        for (hash, list) in related {
            data.push_str(&hash);
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut permutation = list.clone();
            let mut heap = Heap::new(permutation.len());
            loop {
                self.permutations += 1;
                if self.permutations > self.limit.max_permutations {
                    return Err(limit_error("too many permutations in Hash N-Degree Quads"));
                }
                if let Some((path, copy)) = self.try_permutation(&permutation, &issuer, &chosen_path)? {
                    if chosen_path.is_empty() || path < chosen_path {
                        chosen_path = path;
                        chosen_issuer = Some(copy);
                    }
                }
                if !heap.next(&mut permutation) {
                    break;
                }
            }
            data.push_str(&chosen_path);
            if let Some(chosen) = chosen_issuer {
                issuer = chosen;
            }
        }
        Ok((self.hash.hex(data.as_bytes()), issuer))
    }

    /// §4.8.3 step 5.4 for one permutation: its path and issuer copy, or
    /// `None` when it cannot beat `chosen` (steps 5.4.4.3 and 5.4.5.5).
    fn try_permutation(
        &mut self,
        permutation: &[&'a str],
        issuer: &Issuer,
        chosen: &str,
    ) -> Result<Option<(String, Issuer)>> {
        let mut copy = issuer.clone();
        let mut path = String::new();
        let mut recursion = Vec::new();
        let beaten = |path: &str| !chosen.is_empty() && path.len() >= chosen.len() && path > chosen;
        for related in permutation {
            if let Some(id) = self.canonical.get(related) {
                path.push_str("_:");
                path.push_str(id);
            } else {
                if copy.get(related).is_none() {
                    recursion.push(*related);
                }
                path.push_str("_:");
                path.push_str(&copy.issue(related));
            }
            if beaten(&path) {
                return Ok(None);
            }
        }
        for related in recursion {
            let (hash, result_issuer) = self.hash_n_degree(related, copy.clone())?;
            path.push_str("_:");
            path.push_str(&copy.issue(related));
            path.push('<');
            path.push_str(&hash);
            path.push('>');
            copy = result_issuer;
            if beaten(&path) {
                return Ok(None);
            }
        }
        Ok(Some((path, copy)))
    }
}

fn limit_error(why: &str) -> Error {
    Error::new(ErrorCode::CanonicalizationLimit, why)
}

/// Heap's algorithm: every permutation of a list, one swap at a time.
struct Heap {
    counters: Vec<usize>,
    index: usize,
}

impl Heap {
    fn new(length: usize) -> Self {
        Heap {
            counters: vec![0; length],
            index: 1,
        }
    }

    /// Moves `items` to the next permutation; `false` when all were seen.
    fn next<T>(&mut self, items: &mut [T]) -> bool {
        while self.index < items.len() {
            if self.counters[self.index] < self.index {
                let swap_with = if self.index % 2 == 0 {
                    0
                } else {
                    self.counters[self.index]
                };
                items.swap(swap_with, self.index);
                self.counters[self.index] += 1;
                self.index = 1;
                return true;
            }
            self.counters[self.index] = 0;
            self.index += 1;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small random dataset: quads over blank nodes 0..n, IRIs and literals.
    fn dataset(edges: &[(u8, u8, u8, bool)]) -> Vec<Quad> {
        edges
            .iter()
            .map(|(s, p, o, literal)| Quad {
                subject: Term::Blank(format!("n{}", s % 5)),
                predicate: Term::Iri(format!("http://example.org/p{}", p % 3)),
                object: if *literal {
                    Term::Literal {
                        value: format!("v{}", o % 3),
                        datatype: nquads::XSD_STRING.into(),
                        language: None,
                    }
                } else {
                    Term::Blank(format!("n{}", o % 5))
                },
                graph: None,
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn relabelling_and_reordering_do_not_change_the_canonical_form(
            edges in proptest::collection::vec((0u8..5, 0u8..3, 0u8..5, proptest::bool::ANY), 1..9),
            shift in 1u8..5,
        ) {
            let quads = dataset(&edges);
            let first = canonicalize(&quads, HashAlgorithm::Sha256, WorkLimit::default()).unwrap();
            // Rename every blank node and reverse the quad order: the same graph.
            let renamed: Vec<Quad> = quads
                .iter()
                .rev()
                .map(|q| {
                    let rename = |t: &Term| match t {
                        Term::Blank(name) => Term::Blank(format!("other{}{name}", shift)),
                        other => other.clone(),
                    };
                    Quad { subject: rename(&q.subject), predicate: q.predicate.clone(), object: rename(&q.object), graph: None }
                })
                .collect();
            let second = canonicalize(&renamed, HashAlgorithm::Sha256, WorkLimit::default()).unwrap();
            proptest::prop_assert_eq!(&first.nquads, &second.nquads);
            // The canonical form is a fixed point.
            let again = canonicalize(&nquads::parse(&first.nquads).unwrap(), HashAlgorithm::Sha256, WorkLimit::default()).unwrap();
            proptest::prop_assert_eq!(&first.nquads, &again.nquads);
        }
    }

    #[test]
    fn heap_visits_every_permutation_once() {
        let mut items = vec![1, 2, 3, 4];
        let mut heap = Heap::new(items.len());
        let mut seen = vec![items.clone()];
        while heap.next(&mut items) {
            seen.push(items.clone());
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 24);
        let mut single = vec![1];
        assert!(!Heap::new(1).next(&mut single));
    }

    #[test]
    fn the_spec_first_degree_examples_hash_as_published() {
        let quads = nquads::parse(
            "<http://example.com/#p> <http://example.com/#q> _:e0 .\n\
             <http://example.com/#p> <http://example.com/#r> _:e1 .\n\
             _:e0 <http://example.com/#s> <http://example.com/#u> .\n\
             _:e1 <http://example.com/#t> <http://example.com/#u> .\n",
        )
        .unwrap();
        let state = State::new(&quads, HashAlgorithm::Sha256, WorkLimit::default());
        assert_eq!(
            state.hash_first_degree("e0"),
            "21d1dd5ba21f3dee9d76c0c00c260fa6f5d5d65315099e553026f4828d0dc77a"
        );
        assert_eq!(
            state.hash_first_degree("e1"),
            "6fa0b9bdb376852b5743ff39ca4cbf7ea14d34966b2828478fbf222e7c764473"
        );
    }
}
