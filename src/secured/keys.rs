//! Signing keys named by self-certifying DIDs (`did:key`, `did:jwk`) or
//! found in fixed documents, decoded once per verifier.
//!
//! A self-certifying DID URL *is* its key, so its resolution never changes
//! and can be kept; so can a method of a document the caller supplied,
//! which the resolver says is fixed ([`DidResolver::is_fixed`]) until the
//! caller supplies another and the verifier forgets what it kept
//! ([`KeyCache::clear`]). Decoding costs a point decompression (about a
//! tenth of an Ed25519 verification) and resolving a copy of the document,
//! which a verifier checking many credentials from a few issuers would
//! otherwise pay on every one. Methods of fetched documents (did:web over
//! HTTPS, did:webvh logs) are not kept: they change, and what they resolve
//! to depends on the time of verification.

use std::sync::{Arc, Mutex};

use crate::did::{self, DidResolver, ResolvedMethod, VerificationMethod};
use crate::error::Result;
use crate::table::Table;
use crate::time::Timestamp;

/// How many decoded methods a verifier keeps; the cache starts afresh when full.
const CAPACITY: usize = 256;

/// Decoded self-certifying verification methods, by DID URL.
#[derive(Default)]
pub(crate) struct KeyCache {
    methods: Mutex<Table<Arc<ResolvedMethod>>>,
}

impl KeyCache {
    /// The verification method `vm_url`: one the caller pinned, or
    /// decoded, or resolved with `resolver` as it stood at `time` (the
    /// time of verification; a kept self-certifying method is the same at
    /// every time).
    pub(crate) fn retrieve(
        &self,
        vm_url: &str,
        pinned: &[VerificationMethod],
        resolver: &dyn DidResolver,
        time: Timestamp,
    ) -> Result<Arc<ResolvedMethod>> {
        let did = vm_url.split('#').next().unwrap_or(vm_url);
        #[cfg(feature = "cid")]
        if let Some(method) = did::pinned_method(vm_url, pinned) {
            return Ok(Arc::new(method));
        }
        #[cfg(not(feature = "cid"))]
        let _ = pinned;
        if !is_self_certifying(vm_url) && !resolver.is_fixed(did) {
            return did::retrieve_verification_method(vm_url, resolver, time).map(Arc::new);
        }
        if let Some(hit) = self.methods.lock().ok().and_then(|m| m.get(vm_url).cloned()) {
            return Ok(hit);
        }
        let method = Arc::new(did::retrieve_verification_method(vm_url, resolver, time)?);
        if let Ok(mut methods) = self.methods.lock() {
            if methods.len() >= CAPACITY {
                methods.clear();
            }
            methods.insert(vm_url.to_owned(), Arc::clone(&method));
        }
        Ok(method)
    }

    /// Forgets every kept method (the fixed documents changed).
    pub(crate) fn clear(&self) {
        if let Ok(mut methods) = self.methods.lock() {
            methods.clear();
        }
    }

    /// How many methods are kept (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.methods.lock().map(|m| m.len()).unwrap_or(0)
    }
}

fn is_self_certifying(vm_url: &str) -> bool {
    vm_url.starts_with("did:key:") || vm_url.starts_with("did:jwk:")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{Ed25519KeyPair, Signer};
    use crate::did::StaticResolver;
    use crate::error::ErrorCode;

    fn at() -> Timestamp {
        Timestamp::from_unix_seconds(1_795_000_000)
    }

    fn method_of_seed(seed: usize) -> String {
        let mut bytes = [7; 32];
        bytes[..8].copy_from_slice(&(seed as u64).to_le_bytes());
        did::key::verification_method_for(&Ed25519KeyPair::from_seed(&bytes).public_key())
    }

    #[test]
    fn a_kept_method_is_the_one_decoded() {
        let cache = KeyCache::default();
        let url = method_of_seed(1);
        let first = cache.retrieve(&url, &[], &StaticResolver::default(), at()).unwrap();
        let again = cache.retrieve(&url, &[], &StaticResolver::default(), at()).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(
            *first,
            did::retrieve_verification_method(&url, &StaticResolver::default(), at()).unwrap()
        );
        let other = cache
            .retrieve(&method_of_seed(2), &[], &StaticResolver::default(), at())
            .unwrap();
        assert_ne!(first.method.public_key, other.method.public_key);
    }

    #[test]
    fn failures_and_resolved_methods_are_not_kept() {
        let cache = KeyCache::default();
        let bad = "did:key:z6MkBAD#z6MkBAD";
        assert!(cache.retrieve(bad, &[], &StaticResolver::default(), at()).is_err());
        let web = cache.retrieve("did:web:a.example#key-1", &[], &StaticResolver::default(), at());
        assert_eq!(web.unwrap_err().code(), ErrorCode::DidNotFound);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = KeyCache::default();
        for seed in 0..CAPACITY {
            cache
                .retrieve(&method_of_seed(seed), &[], &StaticResolver::default(), at())
                .unwrap();
        }
        assert_eq!(cache.len(), CAPACITY);
        cache
            .retrieve(&method_of_seed(CAPACITY), &[], &StaticResolver::default(), at())
            .unwrap();
        assert_eq!(cache.len(), 1);
    }
}
