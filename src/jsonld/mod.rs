//! JSON-LD 1.1 to RDF, for the `*-rdfc-*` cryptosuites: context processing,
//! expansion and RDF serialization (W3C JSON-LD 1.1 Processing Algorithms
//! §4, §5, §7, §8), in the "safe mode" Data Integrity asks for.
//!
//! A focused processor: it implements what credentials and their contexts
//! use — `@protected`, type- and property-scoped contexts, `@propagate`,
//! `@vocab`, `@base`, compact IRIs, `@type: @id/@vocab/@json`, typed and
//! language-tagged values, `@container` `@set`, `@list`, `@graph` and
//! `@language`, blank nodes. Features credentials do not use (`@reverse`,
//! `@nest`, `@included`, index/id/type maps, `@import`, `@direction` in a
//! context) are refused with `JSONLD_INVALID`, never skipped.
//!
//! Contexts are never fetched. The ones in [`BUNDLED_CONTEXTS`] are built
//! in (byte-exact copies, see `contexts/SOURCE.md`); more are supplied with a
//! [`ContextLoader`]. Any other context is `CONTEXT_UNKNOWN`. A processed
//! context is kept, so a credential's contexts are read once per
//! [`JsonLd`], not once per credential.
//!
//! ```
//! use passerelle::jsonld::JsonLd;
//! let credential = serde_json::json!({
//!     "@context": ["https://www.w3.org/ns/credentials/v2"],
//!     "type": ["VerifiableCredential"],
//!     "issuer": "did:example:issuer",
//!     "credentialSubject": {"id": "did:example:subject"}
//! });
//! let nquads = JsonLd::new().canonicalize(&credential)?;
//! assert!(nquads.contains("<https://www.w3.org/2018/credentials#issuer> <did:example:issuer>"));
//!
//! let unknown = serde_json::json!({"@context": ["https://example.org/nowhere"], "name": "x"});
//! assert_eq!(JsonLd::new().canonicalize(&unknown).unwrap_err().code().as_str(), "CONTEXT_UNKNOWN");
//! # Ok::<(), passerelle::Error>(())
//! ```

mod binding;
mod bundled;
mod context;
mod expand;
mod iri;
mod term;
mod to_rdf;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

pub(crate) use binding::{Member, Shape};
pub use bundled::BUNDLED_CONTEXTS;
use context::{process_context, ActiveContext};
pub use expand::MAX_DEPTH;
pub use to_rdf::MAX_QUADS;

use crate::canon::nquads::Quad;
use crate::canon::rdfc::{self, HashAlgorithm, WorkLimit};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::{self, Limits};

/// A source of JSON-LD context documents beyond the bundled ones.
///
/// ```
/// use std::collections::HashMap;
/// use passerelle::jsonld::JsonLd;
/// let mut contexts = HashMap::new();
/// contexts.insert(
///     "https://example.org/permit/v1".to_string(),
///     r#"{"@context": {"permitNumber": "https://example.org/permit#number"}}"#.to_string(),
/// );
/// let jsonld = JsonLd::new().with_loader(contexts);
/// let doc = serde_json::json!({"@context": "https://example.org/permit/v1", "@id": "urn:x:1", "permitNumber": "MX-1"});
/// assert!(jsonld.canonicalize(&doc)?.contains("<https://example.org/permit#number>"));
/// # Ok::<(), passerelle::Error>(())
/// ```
pub trait ContextLoader: Send + Sync {
    /// The context document served at `url` (its JSON text), or `None` when
    /// this loader does not have it. Called at most once per URL per
    /// [`JsonLd`]; it must not reach the network unless its owner wants that.
    fn load(&self, url: &str) -> Option<String>;
}

impl ContextLoader for HashMap<String, String> {
    fn load(&self, url: &str) -> Option<String> {
        self.get(url).cloned()
    }
}

/// A loader shared with other owners (several processors, or the caller).
impl<T: ContextLoader + ?Sized> ContextLoader for Arc<T> {
    fn load(&self, url: &str) -> Option<String> {
        (**self).load(url)
    }
}

impl ContextLoader for std::collections::BTreeMap<String, String> {
    fn load(&self, url: &str) -> Option<String> {
        self.get(url).cloned()
    }
}

/// Derived contexts kept at most (a context built from a document's inline
/// `@context` is new each time; the cache is emptied when it is full).
const MAX_DERIVED: usize = 512;

/// A derived context and the two inputs it was built from, kept alive so
/// that their addresses (the cache key) are not reused.
struct Derived {
    _parent: Arc<ActiveContext>,
    _local: Arc<Value>,
    result: Arc<ActiveContext>,
}

#[derive(Default)]
struct Cache {
    documents: HashMap<String, Arc<Value>>,
    derived: HashMap<(usize, usize, u8), Derived>,
}

/// A JSON-LD processor: the bundled contexts, the loaders added to it, and
/// the contexts it has processed so far.
pub struct JsonLd {
    loaders: Vec<Box<dyn ContextLoader>>,
    empty: Arc<ActiveContext>,
    cache: Mutex<Cache>,
}

impl fmt::Debug for JsonLd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLd")
            .field("loaders", &self.loaders.len())
            .finish_non_exhaustive()
    }
}

impl Default for JsonLd {
    fn default() -> Self {
        JsonLd::new()
    }
}

impl JsonLd {
    /// A processor that knows the [`BUNDLED_CONTEXTS`] only.
    pub fn new() -> Self {
        JsonLd {
            loaders: Vec::new(),
            empty: Arc::new(ActiveContext::default()),
            cache: Mutex::new(Cache::default()),
        }
    }

    /// The process-wide processor with the bundled contexts only, used
    /// when no other is given.
    pub fn bundled() -> &'static JsonLd {
        static SHARED: OnceLock<JsonLd> = OnceLock::new();
        SHARED.get_or_init(JsonLd::new)
    }

    /// Adds a loader, asked (in the order added) for contexts that are not
    /// bundled. A bundled URL always means the bundled document.
    pub fn with_loader(mut self, loader: impl ContextLoader + 'static) -> Self {
        self.loaders.push(Box::new(loader));
        self
    }

    /// The RDF dataset of a JSON-LD document (deserialization to RDF, with
    /// blank nodes labelled `b0`, `b1`, …).
    pub fn to_rdf(&self, document: &Value) -> Result<Vec<Quad>> {
        let processor = Processor { jsonld: self };
        let items = expand::Expander { processor: &processor }.document(&self.empty, document)?;
        let mut writer = to_rdf::RdfWriter::default();
        writer.document(&items)?;
        Ok(writer.quads)
    }

    /// The RDFC-1.0 canonical N-Quads of a JSON-LD document (SHA-256, the
    /// default work limit): what the `*-rdfc-*` suites hash.
    pub fn canonicalize(&self, document: &Value) -> Result<String> {
        self.canonicalize_with_hash(document, HashAlgorithm::Sha256)
    }

    /// The RDFC-1.0 canonical N-Quads of a JSON-LD document with RDFC-1.0's
    /// hash function `hash` (its implementation-specific parameter): SHA-384
    /// for `ecdsa-rdfc-2019` with a P-384 key (vc-di-ecdsa §3.2), which can
    /// label blank nodes differently from SHA-256.
    pub fn canonicalize_with_hash(&self, document: &Value, hash: HashAlgorithm) -> Result<String> {
        let quads = self.to_rdf(document)?;
        Ok(rdfc::canonicalize(&quads, hash, WorkLimit::default())?.nquads)
    }

    /// Checks that the `members` of `document` say, as written, what its
    /// signed dataset says (`document` without its `proof`): see
    /// [`binding`]. `SIGNED_FORM_MISMATCH` names the first member that does not.
    pub(crate) fn check_read_as_signed(
        &self,
        document: &serde_json::Map<String, Value>,
        members: &[Member],
    ) -> Result<()> {
        let mut signed = document.clone();
        signed.shift_remove("proof");
        let signed = Value::Object(signed);
        let read = Value::Object(binding::view(document, members));
        let processor = Processor { jsonld: self };
        let expander = expand::Expander { processor: &processor };
        let signed_items = expander.document(&self.empty, &signed)?;
        let read_items = expander.document(&self.empty, &read)?;
        binding::compare(&signed_items, &read_items, members)?;
        // The dataset does not hold the contexts, so a definition the
        // document carries itself could give a string the verifier reads
        // (a type, an id) another meaning than the signed IRI's: what is
        // read must mean the same with the context URLs alone.
        if binding::has_inline_context(&read) {
            let own = |e: Error| {
                Error::new(
                    ErrorCode::SignedFormMismatch,
                    format!("a member read depends on the document's own @context: {}", e.detail()),
                )
            };
            let trusted = binding::without_inline_contexts(&read);
            let trusted_items = expander.document(&self.empty, &trusted).map_err(own)?;
            binding::compare(&read_items, &trusted_items, members).map_err(own)?;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // The cache holds only finished values: a panic elsewhere cannot leave it half-written.
        self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The `@context` of the context document at `url`.
    fn document(&self, url: &str) -> Result<Arc<Value>> {
        if let Some(found) = self.lock().documents.get(url) {
            return Ok(found.clone());
        }
        let text = bundled::get(url)
            .map(std::borrow::Cow::Borrowed)
            .or_else(|| {
                self.loaders
                    .iter()
                    .find_map(|l| l.load(url))
                    .map(std::borrow::Cow::Owned)
            })
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::ContextUnknown,
                    format!(
                        "{} is neither bundled nor supplied",
                        quoted(&url.chars().take(256).collect::<String>())
                    ),
                )
            })?;
        let parsed = json::parse_strict(text.as_bytes(), Limits::default())
            .map_err(|e| invalid(format!("context {}: {}", quoted(url), e.detail())))?;
        let context = match parsed {
            Value::Object(mut map) => map
                .remove("@context")
                .ok_or_else(|| invalid(format!("context document {} has no @context", quoted(url))))?,
            _ => return Err(invalid(format!("context document {} is not an object", quoted(url)))),
        };
        let context = Arc::new(context);
        self.lock().documents.insert(url.to_owned(), context.clone());
        Ok(context)
    }

    fn derive(
        &self,
        parent: &Arc<ActiveContext>,
        local: &Arc<Value>,
        flags: u8,
        build: impl FnOnce() -> Result<Arc<ActiveContext>>,
    ) -> Result<Arc<ActiveContext>> {
        let key = (Arc::as_ptr(parent) as usize, Arc::as_ptr(local) as usize, flags);
        if let Some(found) = self.lock().derived.get(&key) {
            return Ok(found.result.clone());
        }
        let result = build()?;
        let mut cache = self.lock();
        if cache.derived.len() >= MAX_DERIVED {
            cache.derived.clear();
        }
        cache.derived.insert(
            key,
            Derived {
                _parent: parent.clone(),
                _local: local.clone(),
                result: result.clone(),
            },
        );
        Ok(result)
    }
}

/// One run of the processor over one document.
pub(crate) struct Processor<'j> {
    jsonld: &'j JsonLd,
}

impl Processor<'_> {
    /// Applies the remote context at `url` on top of `active`.
    fn remote(&self, active: &Arc<ActiveContext>, url: &str, remote: &[String]) -> Result<Arc<ActiveContext>> {
        let local = self.jsonld.document(url)?;
        self.jsonld.derive(active, &local, 0, || {
            let mut nested = remote.to_vec();
            process_context(self, active, &local, &mut nested, false, true)
        })
    }

    /// Applies a scoped context (from a term definition) on top of `active`.
    fn scoped(
        &self,
        active: &Arc<ActiveContext>,
        local: &Arc<Value>,
        override_protected: bool,
        propagate: bool,
    ) -> Result<Arc<ActiveContext>> {
        let flags = 1 | (override_protected as u8) << 1 | (propagate as u8) << 2;
        self.jsonld.derive(active, local, flags, || {
            process_context(self, active, local, &mut Vec::new(), override_protected, propagate)
        })
    }

    /// Applies a document's own `@context`.
    fn inline(&self, active: &Arc<ActiveContext>, local: &Value) -> Result<Arc<ActiveContext>> {
        process_context(self, active, local, &mut Vec::new(), false, true)
    }
}

pub(crate) fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::JsonLdInvalid, why)
}

pub(crate) fn undefined(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::TermUndefined, why)
}

pub(crate) fn unsupported(feature: &str) -> Error {
    Error::new(ErrorCode::JsonLdInvalid, format!("{feature} is not supported"))
}
