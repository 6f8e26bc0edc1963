//! The verifier's set of trust anchors and registry snapshots.

use super::model::Registry;
use super::resolve::PathStep;
use super::snapshot::{claimed_registry_id, open_snapshot, Snapshot};
use crate::did::DidResolver;
use crate::error::{Error, ErrorCode, Result};
use crate::table::Table;
use crate::time::Timestamp;

/// A loaded registry with its authorizations indexed by issuer.
#[derive(Clone, Debug)]
pub(crate) struct Indexed {
    pub(crate) snapshot: Snapshot,
    pub(crate) by_entity: Table<Vec<usize>>,
}

impl Indexed {
    fn new(snapshot: Snapshot) -> Self {
        // In entity order, so that every insert appends to the table.
        let mut order: Vec<(&str, usize)> = (snapshot.registry.authorizations.iter())
            .enumerate()
            .map(|(i, authorization)| (authorization.entity_id.as_str(), i))
            .collect();
        order.sort_unstable();
        let mut by_entity: Table<Vec<usize>> = Table::default();
        for (entity, i) in order {
            match by_entity.get_mut(entity) {
                Some(indices) => indices.push(i),
                None => {
                    by_entity.insert(entity.to_owned(), vec![i]);
                }
            }
        }
        Indexed { snapshot, by_entity }
    }

    pub(crate) fn registry(&self) -> &Registry {
        &self.snapshot.registry
    }
}

/// Trust anchors (root registry DIDs) and the registry snapshots a verifier
/// relies on, with the highest sequence seen per registry (rollback
/// protection) and the reason any snapshot was refused.
///
/// ```
/// use passerelle::registry::TrustStore;
/// let mut store = TrustStore::new(["did:web:registry.canada.passerelle.example"]);
/// store.mark_seen("did:web:registry.canada.passerelle.example", 12);
/// assert_eq!(store.anchors().len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    anchors: Vec<String>,
    /// By registry id; in id order, so answers never depend on insertion order.
    registries: Table<Indexed>,
    refused: Table<Error>,
    seen: Table<u64>,
}

impl TrustStore {
    /// A store trusting the registries `anchors` (DIDs) as roots.
    pub fn new<I, S>(anchors: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        TrustStore {
            anchors: anchors.into_iter().map(Into::into).collect(),
            ..TrustStore::default()
        }
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &[String] {
        &self.anchors
    }

    /// Records that sequence `sequence` of `registry` was seen before (for
    /// example, restored from the verifier's storage): older snapshots are
    /// then refused with `SNAPSHOT_ROLLBACK`.
    pub fn mark_seen(&mut self, registry: &str, sequence: u64) {
        match self.seen.get_mut(registry) {
            Some(seen) => *seen = (*seen).max(sequence),
            None => {
                self.seen.insert(registry.to_owned(), sequence);
            }
        }
    }

    /// The highest sequence seen per registry, to persist between runs.
    pub fn seen(&self) -> impl Iterator<Item = (&str, u64)> {
        self.seen.iter().map(|(id, seq)| (id, *seq))
    }

    /// Opens (see [`open_snapshot`]) and adds a snapshot; returns the
    /// registry id. A refused snapshot is remembered under the registry it
    /// claims to be, so answers that need that registry give its reason.
    pub fn load_snapshot(&mut self, bytes: &[u8], resolver: &dyn DidResolver, time: Timestamp) -> Result<String> {
        let outcome = open_snapshot(bytes, resolver, time).and_then(|snapshot| self.add(snapshot));
        if let Err(e) = &outcome {
            if let Some(id) = claimed_registry_id(bytes) {
                if self.registries.get(&id).is_none() {
                    self.refused.insert(id, e.clone());
                }
            }
        }
        outcome
    }

    /// Adds an opened snapshot. Refused with `SNAPSHOT_ROLLBACK` when its
    /// sequence is below the highest seen for that registry, or equal to it
    /// with different content.
    pub fn add(&mut self, snapshot: Snapshot) -> Result<String> {
        let id = snapshot.registry.id.clone();
        let sequence = snapshot.registry.sequence;
        if let Some(&seen) = self.seen.get(&id) {
            let loaded = self.indexed(&id);
            let same = loaded.is_some_and(|loaded| loaded.snapshot == snapshot);
            if sequence < seen || (sequence == seen && loaded.is_some() && !same) {
                return Err(Error::new(
                    ErrorCode::SnapshotRollback,
                    format!("{id}: sequence {sequence} after sequence {seen} was seen"),
                ));
            }
        }
        self.seen.insert(id.clone(), sequence);
        self.refused.remove(&id);
        self.registries.insert(id.clone(), Indexed::new(snapshot));
        Ok(id)
    }

    /// The loaded registry `id`.
    pub fn registry(&self, id: &str) -> Option<&Registry> {
        self.indexed(id).map(Indexed::registry)
    }

    /// Every loaded registry.
    pub fn registries(&self) -> impl Iterator<Item = &Registry> {
        self.registries.values().map(Indexed::registry)
    }

    /// `SNAPSHOT_STALE` if a registry on `path` is known from a snapshot
    /// whose `validUntil` has passed at `now`, the time of answering (not the
    /// time a query or a credential asks about): an answer is no fresher than its data.
    pub fn stale_on(&self, path: &[PathStep], now: Timestamp) -> Option<Error> {
        // Every registry on a path is its anchor or a recognized entity (a
        // recognition's authority is the step before it), or the one that
        // authorizes; a plain loop, as this runs in the wasm verifier.
        for step in path {
            let (PathStep::Anchor { registry: id, .. }
            | PathStep::Recognition { entity: id, .. }
            | PathStep::Authorization { registry: id, .. }) = step;
            let Some(indexed) = self.indexed(id) else { continue };
            let until = indexed.snapshot.valid_until();
            if until <= now {
                let detail = format!("the snapshot of {id} was valid until {until}");
                return Some(Error::new(ErrorCode::SnapshotStale, detail));
            }
        }
        None
    }

    pub(crate) fn indexed(&self, id: &str) -> Option<&Indexed> {
        self.registries.get(id)
    }

    /// Every loaded registry, ordered by id.
    pub(crate) fn all_indexed(&self) -> impl Iterator<Item = &Indexed> {
        self.registries.values()
    }

    /// Why the snapshot of `id` was refused, if it was.
    pub fn refusal(&self, id: &str) -> Option<&Error> {
        self.refused.get(id)
    }
}
