//! A map from strings to values, kept as two lists sorted by key.
//!
//! The verifier's lookups (DID documents, status lists, caches, registry
//! state) hold from a few to some thousands of entries and are mostly read.
//! A sorted list finds a key with one search routine shared by every value
//! type, where each `HashMap<String, V>` brings its own copy of the hash
//! table's code: in the WebAssembly module, which has a size budget, that
//! was about 0.3 KB gzipped per map type (eight of them). Lookups are a
//! binary search; an insert moves the entries after it, so a large table
//! is best built in key order, where every insert appends.

use std::fmt;

/// Values by string key, in key order.
#[derive(Clone, PartialEq)]
pub(crate) struct Table<V> {
    keys: Vec<String>,
    values: Vec<V>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            keys: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for Table<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Where `key` is in `keys` (sorted), or where it would go. Not generic, so
/// every table shares it.
fn position(keys: &[String], key: &str) -> Result<usize, usize> {
    keys.binary_search_by(|probe| probe.as_str().cmp(key))
}

impl<V> Table<V> {
    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        position(&self.keys, key).ok().map(|at| &self.values[at])
    }

    /// The value of `key`, to change.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        position(&self.keys, key).ok().map(|at| &mut self.values[at])
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub(crate) fn insert(&mut self, key: String, value: V) -> Option<V> {
        match position(&self.keys, &key) {
            Ok(at) => Some(std::mem::replace(&mut self.values[at], value)),
            Err(at) => {
                self.keys.insert(at, key);
                self.values.insert(at, value);
                None
            }
        }
    }

    /// Removes `key`; returns its value.
    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        let at = position(&self.keys, key).ok()?;
        self.keys.remove(at);
        Some(self.values.remove(at))
    }

    /// How many keys the table holds.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the table holds no key.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Removes every entry.
    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.values.clear();
    }

    /// Keeps the entries whose value `keep` accepts.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        let mut at = 0;
        while at < self.values.len() {
            if keep(&self.values[at]) {
                at += 1;
            } else {
                self.keys.remove(at);
                self.values.remove(at);
            }
        }
    }

    /// Every value, in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }

    /// Every entry, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.keys.iter().map(String::as_str).zip(&self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(String, u8),
        Remove(String),
    }

    fn op() -> impl Strategy<Value = Op> {
        let key = "[a-c]{0,2}";
        prop_oneof![
            (key, any::<u8>()).prop_map(|(k, v)| Op::Insert(k, v)),
            key.prop_map(Op::Remove),
        ]
    }

    proptest! {
        #[test]
        fn behaves_like_a_btree_map(ops in proptest::collection::vec(op(), 0..40), initial in proptest::collection::vec(("[a-c]{0,2}", any::<u8>()), 0..10)) {
            let mut table = Table::default();
            let mut model = BTreeMap::new();
            for (k, v) in initial {
                prop_assert_eq!(table.insert(k.clone(), v), model.insert(k, v));
            }
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(table.insert(k.clone(), v), model.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(table.remove(&k), model.remove(&k)),
                }
                prop_assert_eq!(table.len(), model.len());
                prop_assert_eq!(table.is_empty(), model.is_empty());
                let ours: Vec<(&str, &u8)> = table.iter().collect();
                let theirs: Vec<(&str, &u8)> = model.iter().map(|(k, v)| (k.as_str(), v)).collect();
                prop_assert_eq!(ours, theirs);
                prop_assert!(table.values().eq(model.values()));
                for key in ["", "a", "ab", "c", "cc"] {
                    prop_assert_eq!(table.get(key), model.get(key));
                }
            }
            if let Some(v) = table.get_mut("a") {
                *v = v.wrapping_add(1);
            }
            table.clear();
            prop_assert!(table.is_empty());
        }
    }
}
