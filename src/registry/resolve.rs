//! Resolution: "is issuer X authorized for type T at time t?", answered by
//! walking recognition edges down from the trust anchors.

use std::collections::VecDeque;

use super::model::{Authorization, Bilingual, Recognition, Registry, Scope, Status};
use super::store::TrustStore;
use crate::error::{Error, ErrorCode, Lang};
use crate::time::Timestamp;

/// Longest recognition chain followed (anchor → … → issuer's registry).
pub const MAX_HOPS: usize = 8;

/// What the issuer must be authorized for.
#[derive(Clone, Copy, Debug)]
pub enum Wanted<'a> {
    /// Any of a credential's types: a type matches a resource equal to it,
    /// or whose name after the namespace is it (`MinesActPermit` matches
    /// `ca-bc:MinesActPermit`).
    Types(&'a [&'a str]),
    /// Exactly this resource (TRQP queries).
    Resource(&'a str),
}

impl Wanted<'_> {
    fn matches(&self, resource: &str) -> Option<String> {
        let local = resource.rsplit_once(':').map(|(_, name)| name).unwrap_or(resource);
        match self {
            Wanted::Types(types) => types
                .iter()
                .find(|t| **t != "VerifiableCredential" && (**t == resource || **t == local))
                .map(|t| (*t).to_owned()),
            Wanted::Resource(wanted) => (*wanted == resource).then(|| resource.to_owned()),
        }
    }
}

/// One link of the evidence path, from the anchor down to the issuer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum PathStep {
    /// A trust anchor the verifier configured.
    Anchor {
        /// The anchor registry's DID.
        registry: String,
        /// Its name.
        name: Bilingual,
    },
    /// `authority` recognizes the registry `entity` for `scope`.
    Recognition {
        /// The recognizing registry.
        authority: String,
        /// The recognized registry.
        entity: String,
        /// The recognized registry's name.
        entity_name: Bilingual,
        /// The scope of the recognition (already narrowed along the path).
        scope: Scope,
        /// The agreement or statute behind it.
        legal_authority: Bilingual,
    },
    /// `registry` authorizes `issuer` for `resource`.
    Authorization {
        /// The authorizing registry.
        registry: String,
        /// Its name.
        registry_name: Bilingual,
        /// The issuer's DID.
        issuer: String,
        /// The issuer's name.
        issuer_name: Bilingual,
        /// The authorized resource.
        resource: String,
        /// The issuer's jurisdiction.
        jurisdiction: String,
        /// The statute under which the registry authorizes.
        legal_authority: Bilingual,
    },
}

/// The answer to an authorization question, with its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustAnswer {
    /// Whether a valid path was found.
    pub authorized: bool,
    /// Why not, when not authorized (a registry reason code).
    pub reason: Option<Error>,
    /// The credential type that matched.
    pub matched_type: Option<String>,
    /// The registry resource that matched.
    pub resource: Option<String>,
    /// The path (anchor first), for an authorization or for the closest failure.
    pub path: Vec<PathStep>,
}

impl TrustAnswer {
    fn refused(reason: Error, path: Vec<PathStep>) -> Self {
        TrustAnswer {
            authorized: false,
            reason: Some(reason),
            matched_type: None,
            resource: None,
            path,
        }
    }

    /// The path as text, issuer first: `X ← authorized by … ← recognized by … ← trust anchor …`.
    pub fn render_path(&self, lang: Lang) -> String {
        render_path(&self.path, lang)
    }

    /// The path as DIDs only, issuer first (language-neutral evidence).
    pub fn path_ids(&self) -> String {
        let mut ids: Vec<&str> = Vec::new();
        for step in self.path.iter().rev() {
            match step {
                PathStep::Authorization { issuer, registry, .. } => {
                    ids.push(issuer);
                    ids.push(registry);
                }
                PathStep::Recognition { authority, entity, .. } => {
                    ids.push(entity);
                    ids.push(authority);
                }
                PathStep::Anchor { registry, .. } => ids.push(registry),
            }
        }
        ids.dedup();
        crate::error::join(&mut ids.iter().map(|id| id.as_ref()), " ← ")
    }
}

/// Renders a path, issuer first, in `lang`.
pub fn render_path(path: &[PathStep], lang: Lang) -> String {
    let mut out = String::new();
    for step in path.iter().rev() {
        let part = match (step, lang) {
            (
                PathStep::Authorization {
                    issuer_name,
                    registry_name,
                    resource,
                    legal_authority,
                    ..
                },
                Lang::En,
            ) => format!(
                "{} ← authorized by {} for {resource} ({})",
                issuer_name.en, registry_name.en, legal_authority.en
            ),
            (
                PathStep::Authorization {
                    issuer_name,
                    registry_name,
                    resource,
                    legal_authority,
                    ..
                },
                Lang::Fr,
            ) => format!(
                "{} ← autorisé par {} pour {resource} ({})",
                issuer_name.fr, registry_name.fr, legal_authority.fr
            ),
            (
                PathStep::Recognition {
                    entity_name,
                    scope,
                    legal_authority,
                    ..
                },
                Lang::En,
            ) => {
                format!("{} recognized for {scope} ({})", entity_name.en, legal_authority.en)
            }
            (
                PathStep::Recognition {
                    entity_name,
                    scope,
                    legal_authority,
                    ..
                },
                Lang::Fr,
            ) => {
                format!("{} reconnu pour {scope} ({})", entity_name.fr, legal_authority.fr)
            }
            (PathStep::Anchor { name, .. }, Lang::En) => format!("by {} (trust anchor)", name.en),
            (PathStep::Anchor { name, .. }, Lang::Fr) => format!("par {} (ancre de confiance)", name.fr),
        };
        if !out.is_empty() {
            out.push_str(" ← ");
        }
        out.push_str(&part);
    }
    out
}

fn authorization_step(registry: &Registry, auth: &Authorization) -> PathStep {
    PathStep::Authorization {
        registry: registry.id.clone(),
        registry_name: registry.name.clone(),
        issuer: auth.entity_id.clone(),
        issuer_name: auth.name.clone(),
        resource: auth.resource.clone(),
        jurisdiction: auth.jurisdiction.clone(),
        legal_authority: auth.legal_authority.clone(),
    }
}

/// How the search reached a registry, borrowed from the store and the
/// anchors: made into a [`PathStep`] only when an answer names the path.
#[derive(Clone, Copy)]
enum Reached<'a> {
    /// Where [`TrustStore::recognizes`] starts: no step of its own.
    Start,
    /// A trust anchor, named by its snapshot when one is loaded.
    Anchor(Option<&'a Bilingual>),
    /// Recognized by `authority` through `recognition`.
    Recognition(&'a Registry, &'a Recognition),
}

/// A registry the search reached, with the scope its path allows.
struct Node<'a> {
    registry: &'a str,
    scope: Scope,
    hops: usize,
    reached: Reached<'a>,
    /// The node it was reached from.
    parent: Option<usize>,
}

impl Node<'_> {
    fn step(&self) -> Option<PathStep> {
        Some(match self.reached {
            Reached::Start => return None,
            Reached::Anchor(name) => PathStep::Anchor {
                registry: self.registry.to_owned(),
                // An anchor whose snapshot is not loaded is named by its DID.
                name: name.cloned().unwrap_or_else(|| Bilingual {
                    en: self.registry.to_owned(),
                    fr: self.registry.to_owned(),
                }),
            },
            Reached::Recognition(authority, recognition) => PathStep::Recognition {
                authority: authority.id.clone(),
                entity: recognition.entity_id.clone(),
                entity_name: recognition.name.clone(),
                scope: self.scope.clone(),
                legal_authority: recognition.legal_authority.clone(),
            },
        })
    }
}

/// Every node a search reached, in order; a node's path runs through its
/// parents. A search reaches few (it ends after [`MAX_HOPS`]): a list is
/// enough, and the steps are written out only for the answer.
#[derive(Default)]
struct Search<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Search<'a> {
    /// Adds `node` unless its (registry, scope) was reached before; its index.
    fn reach(&mut self, node: Node<'a>) -> Option<usize> {
        if self
            .nodes
            .iter()
            // Where `recognizes` starts is not itself reached: a cycle back
            // to it is a path like any other.
            .any(|seen| {
                !matches!(seen.reached, Reached::Start) && seen.registry == node.registry && seen.scope == node.scope
            })
        {
            return None;
        }
        self.nodes.push(node);
        Some(self.nodes.len() - 1)
    }

    /// The path to `node` (a node of the search or one just beyond it), anchor first.
    fn path_to(&self, node: &Node<'_>) -> Vec<PathStep> {
        let mut steps: Vec<PathStep> = node.step().into_iter().collect();
        let mut at = node.parent;
        while let Some(i) = at {
            steps.extend(self.nodes[i].step());
            at = self.nodes[i].parent;
        }
        steps.reverse();
        steps
    }

    fn path(&self, index: usize) -> Vec<PathStep> {
        self.path_to(&self.nodes[index])
    }
}

/// A recognition edge the search did not follow because its authority
/// revoked or suspended it; named in the answer when the issuer's registry
/// is then reached by no other path.
struct Blocked<'a> {
    /// The node the edge would have reached.
    node: Node<'a>,
    error: Error,
}

/// Whether a statement that is not active still bars statements of the
/// same kind at `time`: it does unless it ended before `time`. The model
/// does not say when a registry revoked or suspended a statement, only
/// that it did (by the snapshot's date, so before the verification time);
/// a revoked statement whose period reaches `time` or later therefore
/// means "not authorized since at least then", whatever earlier statement
/// the issuer's own dates point at. One that ended before `time` is
/// history: the issuer was authorized again afterwards.
fn bars(status: Status, until: Option<Timestamp>, time: Timestamp) -> bool {
    status != Status::Active && until.is_none_or(|u| u >= time)
}

/// Queues the registries that `registry` recognizes, in force at `time`,
/// with the path's scope narrowed; each (registry, scope) is visited once,
/// so cycles end, and no path is longer than [`MAX_HOPS`]. An edge is not
/// followed when the same authority revoked or suspended a recognition of
/// the same registry, for an overlapping scope, that [`bars`] `time`: a
/// credential dated back into an earlier recognition period does not
/// cross a recognition withdrawn since.
fn follow_recognitions<'a>(
    registry: &'a Registry,
    at: usize,
    time: Timestamp,
    search: &mut Search<'a>,
    queue: &mut VecDeque<usize>,
    blocked: &mut Vec<Blocked<'a>>,
) {
    let hops = search.nodes[at].hops;
    if hops >= MAX_HOPS {
        return;
    }
    for recognition in &registry.recognitions {
        let in_force =
            recognition.status == Status::Active && in_window(recognition.valid_from, recognition.valid_until, time);
        if !in_force && !bars(recognition.status, recognition.valid_until, time) {
            continue;
        }
        let scope = search.nodes[at].scope.narrow(&recognition.scope);
        if scope.is_empty() {
            continue;
        }
        let withdrawn = registry.recognitions.iter().find(|other| {
            other.entity_id == recognition.entity_id
                && bars(other.status, other.valid_until, time)
                && !scope.narrow(&other.scope).is_empty()
        });
        let node = Node {
            registry: &recognition.entity_id,
            scope,
            hops: hops + 1,
            reached: Reached::Recognition(registry, recognition),
            parent: Some(at),
        };
        if let Some(withdrawn) = withdrawn {
            let status = if withdrawn.status == Status::Revoked {
                "revoked"
            } else {
                "suspended"
            };
            let detail = format!(
                "{} {status} its recognition of {} for {}",
                registry.id, recognition.entity_id, withdrawn.scope
            );
            blocked.push(Blocked {
                node,
                error: Error::new(ErrorCode::RegistryNotRecognized, detail),
            });
            continue;
        }
        if let Some(index) = search.reach(node) {
            queue.push_back(index);
        }
    }
}

/// Keeps the most telling failure seen so far: a failed authorization on
/// a recognized path beats a refused snapshot.
#[derive(Default)]
struct Failure {
    best: Option<(u8, Error, Vec<PathStep>)>,
}

impl Failure {
    /// Keeps the failure `found` makes if it outranks the one kept: only
    /// then are its error and path written out.
    fn note(&mut self, rank: u8, found: impl FnOnce() -> (Error, Vec<PathStep>)) {
        if self.best.as_ref().is_none_or(|(r, _, _)| rank > *r) {
            let (error, path) = found();
            self.best = Some((rank, error, path));
        }
    }
}

/// The refusal a revoked or suspended authorization `auth` gives, if it
/// is not active.
fn withdrawal(auth: &Authorization, registry: &Registry, time: Timestamp) -> Option<(ErrorCode, String)> {
    let (code, what) = match auth.status {
        Status::Active => return None,
        Status::Revoked => (ErrorCode::AuthorizationRevoked, "revoked"),
        Status::Suspended => (ErrorCode::AuthorizationSuspended, "suspended"),
    };
    let until = auth.valid_until.map(|u| format!(" until {u}")).unwrap_or_default();
    Some((
        code,
        format!(
            "{} {what} by {} (statement from {}{until}; credential of {time})",
            auth.resource, registry.id, auth.valid_from
        ),
    ))
}

fn in_window(from: Timestamp, until: Option<Timestamp>, t: Timestamp) -> bool {
    from <= t && until.is_none_or(|u| t <= u)
}

impl TrustStore {
    /// Whether `issuer` is authorized, through a recognition path from any
    /// trust anchor, to issue one of `types` at time `time`.
    pub fn authorize_issuer(&self, issuer: &str, types: &[&str], time: Timestamp) -> TrustAnswer {
        self.authorize_from(self.anchors(), issuer, Wanted::Types(types), time)
    }

    /// Whether `issuer` is authorized for `wanted` at `time` by a path from
    /// one of `anchors`.
    pub fn authorize_from(&self, anchors: &[String], issuer: &str, wanted: Wanted<'_>, time: Timestamp) -> TrustAnswer {
        let mut search = Search::default();
        let mut queue: VecDeque<usize> = VecDeque::new();
        for anchor in anchors {
            search.nodes.push(Node {
                registry: anchor,
                scope: Scope::everything(),
                hops: 0,
                reached: Reached::Anchor(self.registry(anchor).map(|r| &r.name)),
                parent: None,
            });
            queue.push_back(search.nodes.len() - 1);
        }
        let mut failure = Failure::default();
        let mut blocked: Vec<Blocked> = Vec::new();
        while let Some(at) = queue.pop_front() {
            let node = &search.nodes[at];
            let Some(indexed) = self.indexed(node.registry) else {
                if let Some(refusal) = self.refusal(node.registry) {
                    failure.note(1, || {
                        let detail = format!("{}: {}", node.registry, refusal.detail());
                        (Error::new(refusal.code(), detail), search.path(at))
                    });
                }
                continue;
            };
            let registry = indexed.registry();
            let statements = indexed.by_entity.get(issuer).map(Vec::as_slice).unwrap_or_default();
            for &i in statements {
                let auth = &registry.authorizations[i];
                let Some(matched) = wanted.matches(&auth.resource) else {
                    continue;
                };
                // The issuer's statements for this resource in this registry
                // that bar `time` (revoked first): see [`bars`].
                let withdrawn = || {
                    let barring = statements
                        .iter()
                        .map(|&j| &registry.authorizations[j])
                        .filter(|other| other.resource == auth.resource && bars(other.status, other.valid_until, time));
                    barring.max_by_key(|other| other.status == Status::Revoked)
                };
                let problem = if !node.scope.covers(&auth.resource, &auth.jurisdiction) {
                    Some((
                        ErrorCode::ScopeViolation,
                        format!("{} in {} is outside {}", auth.resource, auth.jurisdiction, node.scope),
                    ))
                } else if let Some(problem) = withdrawal(auth, registry, time) {
                    Some(problem)
                } else if let Some(problem) = withdrawn().and_then(|other| withdrawal(other, registry, time)) {
                    Some(problem)
                } else if time < auth.valid_from {
                    Some((
                        ErrorCode::AuthorizationNotYetValid,
                        format!("authorized from {}, credential of {time}", auth.valid_from),
                    ))
                } else if auth.valid_until.is_some_and(|until| time > until) {
                    let until = auth.valid_until.map(|u| u.to_string()).unwrap_or_default();
                    Some((
                        ErrorCode::AuthorizationExpired,
                        format!("authorized until {until}, credential of {time}"),
                    ))
                } else {
                    None
                };
                let path = || {
                    let mut path = search.path(at);
                    path.push(authorization_step(registry, auth));
                    path
                };
                match problem {
                    None => {
                        return TrustAnswer {
                            authorized: true,
                            reason: None,
                            matched_type: Some(matched),
                            resource: Some(auth.resource.clone()),
                            path: path(),
                        }
                    }
                    Some((code, detail)) => failure.note(2, || (Error::new(code, detail), path())),
                }
            }
            follow_recognitions(registry, at, time, &mut search, &mut queue, &mut blocked);
        }
        if let Some((_, error, path)) = failure.best {
            return TrustAnswer::refused(error, path);
        }
        // Authorized somewhere no anchor leads to? (Through the index: no scan of every authorization.)
        for indexed in self.all_indexed() {
            let registry = indexed.registry();
            let mut found = indexed
                .by_entity
                .get(issuer)
                .into_iter()
                .flatten()
                .map(|&i| &registry.authorizations[i]);
            if let Some(auth) = found.find(|a| wanted.matches(&a.resource).is_some()) {
                if let Some(edge) = blocked.into_iter().find(|b| b.node.registry == registry.id) {
                    let mut path = search.path_to(&edge.node);
                    path.push(authorization_step(registry, auth));
                    return TrustAnswer::refused(edge.error, path);
                }
                let detail = format!(
                    "{issuer} is authorized by {}, which no trust anchor recognizes for {}",
                    registry.id, auth.resource
                );
                let path = vec![authorization_step(registry, auth)];
                return TrustAnswer::refused(Error::new(ErrorCode::RegistryNotRecognized, detail), path);
            }
        }
        TrustAnswer::refused(
            Error::new(
                ErrorCode::IssuerNotAuthorized,
                format!("no registry reachable from the trust anchors authorizes {issuer}"),
            ),
            Vec::new(),
        )
    }

    /// Whether `authority` recognizes the registry `entity`, directly or
    /// through other registries, for `resource` (a resource or a pattern
    /// such as `ca-bc:*`) at `time`; returns the path when it does.
    pub fn recognizes(&self, authority: &str, entity: &str, resource: &str, time: Timestamp) -> Option<Vec<PathStep>> {
        let mut search = Search::default();
        search.nodes.push(Node {
            registry: authority,
            scope: Scope::everything(),
            hops: 0,
            reached: Reached::Start,
            parent: None,
        });
        let mut queue = VecDeque::from([0]);
        while let Some(at) = queue.pop_front() {
            let node = &search.nodes[at];
            if node.registry == entity
                && node.hops > 0
                && node
                    .scope
                    .resources
                    .iter()
                    .any(|p| super::model::pattern_covers(p, resource))
            {
                return Some(search.path(at));
            }
            let Some(registry) = self.registry(node.registry) else {
                continue;
            };
            follow_recognitions(registry, at, time, &mut search, &mut queue, &mut Vec::new());
        }
        None
    }
}
