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
        match self {
            HashAlgorithm::Sha256 => lower_hex(&Sha256::digest(data)),
            HashAlgorithm::Sha384 => lower_hex(&Sha384::digest(data)),
        }
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// How much work canonicalization may do before refusing the dataset with
/// `CANONICALIZATION_LIMIT`. Each bound is checked before the work it
/// counts is done, so a poison dataset is refused after at most about
/// `max_work` units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkLimit {
    /// Calls of Hash N-Degree Quads, over the whole run.
    pub max_n_degree_calls: usize,
    /// Permutations examined by Hash N-Degree Quads, over the whole run.
    pub max_permutations: usize,
    /// Work units of Hash N-Degree Quads, over the whole run: a unit is
    /// about one hash of a short string, or copying sixteen entries of an
    /// identifier issuer, or adding sixteen bytes to a path. It bounds the
    /// time and the memory the algorithm takes, whatever the dataset's shape.
    pub max_work: usize,
}

impl Default for WorkLimit {
    fn default() -> Self {
        WorkLimit {
            max_n_degree_calls: 4_096,
            max_permutations: 65_536,
            max_work: 200_000,
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
    let issued: Vec<(String, String)> = state
        .canonical
        .order
        .iter()
        .enumerate()
        .map(|(i, node)| (state.nodes[*node].to_owned(), format!("c14n{i}")))
        .collect();
    let by_label: HashMap<&str, &str> = issued.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let label = |name: &str| by_label.get(name).copied().unwrap_or(name).to_owned();
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
        issued,
    })
}

/// A blank node, by its index in [`State::nodes`].
type Node = usize;

/// An identifier issuer (§4.5): the nodes it issued identifiers to, in
/// order; the identifier of the `i`-th is its prefix followed by `i`.
/// Nodes are indices, so that the copies Hash N-Degree Quads makes of an
/// issuer cost two small tables, not strings.
#[derive(Clone, Debug, Default)]
struct Issuer {
    order: Vec<Node>,
    issued: HashMap<Node, usize>,
}

impl Issuer {
    fn get(&self, node: Node) -> Option<usize> {
        self.issued.get(&node).copied()
    }

    /// The counter of `node`'s identifier, issuing it when new.
    fn issue(&mut self, node: Node) -> usize {
        let next = self.order.len();
        let counter = *self.issued.entry(node).or_insert(next);
        if counter == next {
            self.order.push(node);
        }
        counter
    }

    fn len(&self) -> usize {
        self.order.len()
    }
}

/// The temporary issuer's prefix (§4.8.3 step 5.4.1.1).
const TEMPORARY_PREFIX: &str = "b";
/// The canonical issuer's prefix.
const CANONICAL_PREFIX: &str = "c14n";

/// Work units (see [`WorkLimit::max_work`]) of one hash of a short string.
const HASH_WORK: usize = 1;
/// Issuer entries copied, or path bytes written, per work unit.
const ITEMS_PER_WORK: usize = 16;

struct State<'a> {
    quads: &'a [Quad],
    hash: HashAlgorithm,
    limit: WorkLimit,
    /// Every blank node's label, in order of first mention.
    nodes: Vec<&'a str>,
    /// Per node, the indices of the quads that mention it.
    mentions: Vec<Vec<usize>>,
    /// Per quad, the blank nodes of its subject, object and graph name.
    blanks: Vec<[Option<Node>; 3]>,
    first_degree: Vec<String>,
    canonical: Issuer,
    n_degree_calls: usize,
    permutations: usize,
    work: usize,
}

/// The positions of §4.7, in the order of [`State::blanks`].
const POSITIONS: [char; 3] = ['s', 'o', 'g'];

impl<'a> State<'a> {
    fn new(quads: &'a [Quad], hash: HashAlgorithm, limit: WorkLimit) -> Self {
        let mut index: HashMap<&str, Node> = HashMap::new();
        let mut nodes = Vec::new();
        let mut mentions: Vec<Vec<usize>> = Vec::new();
        let mut blanks = Vec::with_capacity(quads.len());
        for (i, quad) in quads.iter().enumerate() {
            let terms = [Some(&quad.subject), Some(&quad.object), quad.graph.as_ref()];
            let mut found = [None; 3];
            for (slot, term) in found.iter_mut().zip(terms) {
                let Some(Term::Blank(label)) = term else { continue };
                let node = *index.entry(label.as_str()).or_insert_with(|| {
                    nodes.push(label.as_str());
                    mentions.push(Vec::new());
                    nodes.len() - 1
                });
                if mentions[node].last() != Some(&i) {
                    mentions[node].push(i);
                }
                *slot = Some(node);
            }
            blanks.push(found);
        }
        State {
            quads,
            hash,
            limit,
            nodes,
            mentions,
            blanks,
            first_degree: Vec::new(),
            canonical: Issuer::default(),
            n_degree_calls: 0,
            permutations: 0,
            work: 0,
        }
    }

    /// Counts `units` of work, refusing past the limit.
    fn charge(&mut self, units: usize) -> Result<()> {
        self.work = self.work.saturating_add(units);
        if self.work > self.limit.max_work {
            return Err(limit_error("Hash N-Degree Quads needed too much work"));
        }
        Ok(())
    }

    /// §4.4.3 steps 3–6.
    fn run(&mut self) -> Result<()> {
        let mut by_hash: Vec<(String, Vec<Node>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        self.first_degree = (0..self.nodes.len()).map(|n| self.hash_first_degree(n)).collect();
        for (node, hash) in self.first_degree.iter().enumerate() {
            match index.get(hash) {
                Some(i) => by_hash[*i].1.push(node),
                None => {
                    index.insert(hash.clone(), by_hash.len());
                    by_hash.push((hash.clone(), vec![node]));
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
                if self.canonical.get(*node).is_some() {
                    continue;
                }
                let mut temporary = Issuer::default();
                temporary.issue(*node);
                paths.push(self.hash_n_degree(*node, temporary)?);
            }
            paths.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in paths {
                for existing in &issuer.order {
                    self.canonical.issue(*existing);
                }
            }
        }
        Ok(())
    }

    /// §4.6: the hash of the canonical n-quads of `node`'s mentions, `node`
    /// written `_:a` and every other blank node `_:z`.
    fn hash_first_degree(&self, node: Node) -> String {
        let own = self.nodes[node];
        let label = |name: &str| if name == own { "a".to_owned() } else { "z".to_owned() };
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
    fn hash_related(&self, related: Node, quad: &Quad, issuer: &Issuer, position: char) -> String {
        let mut input = String::new();
        input.push(position);
        if position != 'g' {
            if let Term::Iri(predicate) = &quad.predicate {
                input.push('<');
                input.push_str(predicate);
                input.push('>');
            }
        }
        let issued = match self.canonical.get(related) {
            Some(counter) => Some((CANONICAL_PREFIX, counter)),
            None => issuer.get(related).map(|counter| (TEMPORARY_PREFIX, counter)),
        };
        match issued {
            Some((prefix, counter)) => {
                input.push_str("_:");
                input.push_str(prefix);
                input.push_str(&counter.to_string());
            }
            None => input.push_str(&self.first_degree[related]),
        }
        self.hash.hex(input.as_bytes())
    }

    /// §4.8: the hash of `node`'s gossip paths, and the issuer that labels them.
    ///
    /// The algorithm recurses (step 5.4.5.1) as deep as there are related
    /// blank nodes in a chain, which a ring of a few thousand nodes makes
    /// deeper than a thread's stack: the recursion runs on a stack of
    /// [`Frame`]s on the heap instead, each one call of the algorithm.
    fn hash_n_degree(&mut self, node: Node, issuer: Issuer) -> Result<(String, Issuer)> {
        let mut stack = vec![self.frame(node, issuer)?];
        let mut returned: Option<(String, Issuer)> = None;
        loop {
            let Some(frame) = stack.last_mut() else {
                return Err(limit_error("internal: Hash N-Degree Quads lost its frame"));
            };
            if let Some((hash, result)) = returned.take() {
                self.resume(frame, &hash, result)?;
            }
            match self.step(frame)? {
                Step::Call(related, issuer) => {
                    let callee = self.frame(related, issuer)?;
                    stack.push(callee);
                }
                Step::Return(hash, issuer) => {
                    stack.pop();
                    if stack.is_empty() {
                        return Ok((hash, issuer));
                    }
                    returned = Some((hash, issuer));
                }
            }
        }
    }

    /// Steps 1–3 of §4.8.3 for a call on `node`: its related blank nodes,
    /// grouped by related hash, in hash order.
    fn frame(&mut self, node: Node, issuer: Issuer) -> Result<Frame> {
        self.n_degree_calls += 1;
        if self.n_degree_calls > self.limit.max_n_degree_calls {
            return Err(limit_error("Hash N-Degree Quads was called too often"));
        }
        // Charged before the hashing, so a node with a million mentions is
        // refused without hashing them.
        self.charge(1 + self.mentions[node].len() * 2 * HASH_WORK)?;
        let mut groups: Vec<(String, Vec<Node>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for i in &self.mentions[node] {
            let quad = &self.quads[*i];
            for (other, position) in self.blanks[*i].into_iter().zip(POSITIONS) {
                let Some(other) = other.filter(|other| *other != node) else {
                    continue;
                };
                let hash = self.hash_related(other, quad, &issuer, position);
                match index.get(&hash) {
                    Some(at) => groups[*at].1.push(other),
                    None => {
                        index.insert(hash.clone(), groups.len());
                        groups.push((hash, vec![other]));
                    }
                }
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        groups.reverse();
        Ok(Frame {
            issuer,
            groups,
            data: String::new(),
            group: None,
        })
    }

    /// Runs `frame` until it needs a recursive call or returns.
    fn step(&mut self, frame: &mut Frame) -> Result<Step> {
        loop {
            let Some(group) = frame.group.as_mut() else {
                // Step 5 for the next related hash, in hash order (the list is reversed).
                let Some((hash, list)) = frame.groups.pop() else {
                    self.charge(HASH_WORK + frame.data.len() / ITEMS_PER_WORK)?;
                    let issuer = std::mem::take(&mut frame.issuer);
                    return Ok(Step::Return(self.hash.hex(frame.data.as_bytes()), issuer));
                };
                frame.data.push_str(&hash);
                frame.group = Some(Group::new(list));
                continue;
            };
            if let Some(trial) = group.trial.as_mut() {
                if let Some(related) = trial.recursion.get(trial.next) {
                    // Step 5.4.5.1: the callee gets the issuer copy, and gives it back.
                    return Ok(Step::Call(*related, std::mem::take(&mut trial.copy)));
                }
                // Step 5.4.6: this permutation's path is the shortest yet.
                if let Some(Trial { path, copy, .. }) = group.trial.take() {
                    if group.chosen_path.is_empty() || path < group.chosen_path {
                        group.chosen_path = path;
                        group.chosen_issuer = Some(copy);
                    }
                }
                group.more = group.heap.next(&mut group.permutation);
                continue;
            }
            if group.more {
                self.permutations += 1;
                if self.permutations > self.limit.max_permutations {
                    return Err(limit_error("too many permutations in Hash N-Degree Quads"));
                }
                // The only permutation of a single node is the last: its
                // issuer copy can be the issuer itself.
                let single = group.permutation.len() == 1;
                self.charge(1 + if single { 0 } else { frame.issuer.len() / ITEMS_PER_WORK })?;
                let copy = if single {
                    std::mem::take(&mut frame.issuer)
                } else {
                    frame.issuer.clone()
                };
                group.trial = self.trial(&group.permutation, copy, &group.chosen_path)?;
                if group.trial.is_none() {
                    group.more = group.heap.next(&mut group.permutation);
                }
                continue;
            }
            // Steps 5.5–5.6: the chosen path joins the data, its issuer replaces the issuer.
            if let Some(group) = frame.group.take() {
                frame.data.push_str(&group.chosen_path);
                if let Some(chosen) = group.chosen_issuer {
                    frame.issuer = chosen;
                }
            }
        }
    }

    /// Steps 5.4.1–5.4.4 for one permutation: its path so far and the
    /// nodes to recurse on, or `None` when it cannot beat `chosen` (step 5.4.4.3).
    fn trial(&mut self, permutation: &[Node], mut copy: Issuer, chosen: &str) -> Result<Option<Trial>> {
        let mut path = String::new();
        let mut order = PathOrder::default();
        let mut recursion = Vec::new();
        for related in permutation {
            let (prefix, counter) = match self.canonical.get(*related) {
                Some(counter) => (CANONICAL_PREFIX, counter),
                None => {
                    if copy.get(*related).is_none() {
                        recursion.push(*related);
                    }
                    (TEMPORARY_PREFIX, copy.issue(*related))
                }
            };
            path.push_str("_:");
            path.push_str(prefix);
            path.push_str(&counter.to_string());
            if order.beaten(&path, chosen) {
                return Ok(None);
            }
        }
        self.charge(1 + path.len() / ITEMS_PER_WORK)?;
        Ok(Some(Trial {
            copy,
            path,
            order,
            recursion,
            next: 0,
        }))
    }

    /// Step 5.4.5 after the call on the next node to recurse on returned
    /// `hash` and `result`, its issuer.
    fn resume(&mut self, frame: &mut Frame, hash: &str, result: Issuer) -> Result<()> {
        let Some(group) = frame.group.as_mut() else {
            return Err(limit_error("internal: Hash N-Degree Quads returned to no permutation"));
        };
        let Some(trial) = group.trial.as_mut() else {
            return Err(limit_error("internal: Hash N-Degree Quads returned to no permutation"));
        };
        let related = trial.recursion[trial.next];
        trial.next += 1;
        // The callee issued `related`'s identifier already (in step 5.4.4.2).
        let counter = result.get(related).unwrap_or(result.len());
        trial.path.push_str("_:");
        trial.path.push_str(TEMPORARY_PREFIX);
        trial.path.push_str(&counter.to_string());
        trial.path.push('<');
        trial.path.push_str(hash);
        trial.path.push('>');
        trial.copy = result;
        self.charge(1 + (hash.len() + 8) / ITEMS_PER_WORK)?;
        if trial.order.beaten(&trial.path, &group.chosen_path) {
            // Step 5.4.5.5: on to the next permutation.
            group.trial = None;
            group.more = group.heap.next(&mut group.permutation);
        }
        Ok(())
    }
}

/// What a [`Frame`] needs next.
enum Step {
    /// Hash N-Degree Quads on this node with this issuer copy.
    Call(Node, Issuer),
    /// The frame's result: its hash and its issuer.
    Return(String, Issuer),
}

/// One call of Hash N-Degree Quads (§4.8.3), between steps.
struct Frame {
    issuer: Issuer,
    /// The related hashes still to do and their nodes, the next one last.
    groups: Vec<(String, Vec<Node>)>,
    /// Step 4's data to hash.
    data: String,
    /// The related hash being done.
    group: Option<Group>,
}

/// Step 5 for one related hash: its permutations, the best one so far.
struct Group {
    permutation: Vec<Node>,
    heap: Heap,
    /// Whether `permutation` is still to try.
    more: bool,
    chosen_path: String,
    chosen_issuer: Option<Issuer>,
    /// The permutation under way, when it waits on a recursive call.
    trial: Option<Trial>,
}

impl Group {
    fn new(permutation: Vec<Node>) -> Self {
        Group {
            heap: Heap::new(permutation.len()),
            permutation,
            more: true,
            chosen_path: String::new(),
            chosen_issuer: None,
            trial: None,
        }
    }
}

/// A permutation under way (step 5.4).
struct Trial {
    copy: Issuer,
    path: String,
    order: PathOrder,
    /// The nodes to recurse on, in order, and the next one's index.
    recursion: Vec<Node>,
    next: usize,
}

/// How a growing path compares with the chosen path, found by looking at
/// each of its bytes once (a path only grows while it is tried).
#[derive(Default)]
struct PathOrder {
    /// The first difference, once found.
    decided: Option<std::cmp::Ordering>,
    /// Bytes of the path known to equal the chosen path's.
    equal: usize,
}

impl PathOrder {
    /// Steps 5.4.4.3 and 5.4.5.5: `chosen` is not empty, `path` is at least
    /// as long and sorts after it.
    fn beaten(&mut self, path: &str, chosen: &str) -> bool {
        if chosen.is_empty() {
            return false;
        }
        if self.decided.is_none() {
            let end = path.len().min(chosen.len());
            let (new, old) = (&path.as_bytes()[self.equal..end], &chosen.as_bytes()[self.equal..end]);
            match new.iter().zip(old).position(|(a, b)| a != b) {
                Some(at) => self.decided = Some(new[at].cmp(&old[at])),
                None => self.equal = end,
            }
        }
        let greater = match self.decided {
            Some(order) => order.is_gt(),
            None => path.len() > chosen.len(),
        };
        path.len() >= chosen.len() && greater
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
                let swap_with = if self.index.is_multiple_of(2) {
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
            state.hash_first_degree(state.nodes.iter().position(|n| *n == "e0").unwrap()),
            "21d1dd5ba21f3dee9d76c0c00c260fa6f5d5d65315099e553026f4828d0dc77a"
        );
        assert_eq!(
            state.hash_first_degree(state.nodes.iter().position(|n| *n == "e1").unwrap()),
            "6fa0b9bdb376852b5743ff39ca4cbf7ea14d34966b2828478fbf222e7c764473"
        );
    }
}
