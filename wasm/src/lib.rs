//! WebAssembly bindings of passerelle: the same verifier, in a browser or in
//! node, with no server and no network unless the page supplies fetchers.
//!
//! ```js
//! import init, { TrustStore } from "passerelle";
//! await init();
//! const trust = new TrustStore(["did:web:registry.canada.passerelle.example"]);
//! trust.loadSnapshot(snapshotJson, { didDocuments: [registryDidDocument], time: "2026-11-23T12:00:00Z" });
//! const report = trust.verifyCredential(credentialJson, { lang: "fr", didDocuments: [issuerDoc] });
//! report.verified; report.checks[0].message.fr;
//! ```
//!
//! Results are plain objects with the same check names, codes and en/fr
//! messages as the Rust `Report`. Errors are thrown as `Error`s whose `code`
//! property is the stable passerelle code.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod needs;

// A smaller allocator than the standard library's dlmalloc: the module's
// size budget (docs/wasm.md) is where it pays.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use passerelle::did::{DidDocument, FallbackResolver, StaticResolver};
use passerelle::json::{parse_strict, Limits};
use passerelle::proof::Cryptosuite;
use passerelle::registry::{TrustAnswer, TrustResolver};
use passerelle::status::StaticStatusLists;
use passerelle::verify::StatusPolicy;
use passerelle::{Error, ErrorCode, Timestamp, Verifier, VerifyOptions};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

/// A JS `Error` with a `code` property.
fn js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&format!("{}: {}", error.code(), error.detail()));
    let _ = js_sys::Reflect::set(
        &js,
        &JsValue::from_str("code"),
        &JsValue::from_str(error.code().as_str()),
    );
    js.into()
}

fn invalid_option(detail: impl Into<String>) -> JsValue {
    js_error(&Error::new(ErrorCode::PropertyInvalid, detail))
}

/// A JS value (string or object) as JSON text.
fn json_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    js_sys::JSON::stringify(value)
        .map(String::from)
        .map_err(|_| invalid_option("not JSON-serializable"))
}

/// A JSON value as a plain JS value, written by passerelle's own writer
/// (serde's serializer would double the code that writes JSON).
fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    let text = passerelle::json::to_text(value).map_err(|e| js_error(&e))?;
    js_sys::JSON::parse(&text)
}

fn now() -> Timestamp {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    Timestamp::parse(&iso).unwrap_or(Timestamp::from_unix_seconds(0))
}

/// Options read from the JS options object.
struct Options {
    verify: VerifyOptions,
    resolver: FallbackResolver<StaticResolver, Logs>,
    /// The status lists, when `statusLists` was given: without it, the
    /// verifier has no status list source and `statusPolicy` decides.
    lists: Option<StaticStatusLists>,
    /// Contexts supplied with the options, besides the bundled ones.
    #[cfg(feature = "rdfc")]
    jsonld: Option<Arc<passerelle::jsonld::JsonLd>>,
}

/// Options carry DID documents, logs and status lists: larger than one credential.
const OPTION_LIMITS: Limits = Limits {
    max_bytes: 64 * 1024 * 1024,
    max_depth: 64,
};

/// The options object as JSON (functions, such as fetchers, left out).
fn options_map(options: &JsValue) -> Result<Map<String, Value>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Map::new());
    }
    match parse_strict(json_text(options)?.as_bytes(), OPTION_LIMITS) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid_option("options must be an object")),
        Err(e) => Err(js_error(&e)),
    }
}

/// Reads the options, taking the DID documents and status lists out of the
/// parsed object rather than copying them.
fn read_options(options: &JsValue) -> Result<Options, JsValue> {
    let mut map = options_map(options)?;
    let time = match map.get("time").and_then(Value::as_str) {
        Some(text) => Timestamp::parse(text).map_err(|e| js_error(&e))?,
        None => now(),
    };
    let mut verify = VerifyOptions::at(time);
    verify.challenge = map.get("challenge").and_then(Value::as_str).map(str::to_owned);
    verify.domain = map.get("domain").and_then(Value::as_str).map(str::to_owned);
    if let Some(max) = map.get("maxBytes").and_then(Value::as_u64) {
        verify.limits.max_bytes = max as usize;
    }
    if let Some(max) = map.get("maxDepth").and_then(Value::as_u64) {
        verify.limits.max_depth = max as usize;
    }
    if let Some(Value::Array(names)) = map.get("cryptosuites") {
        verify.cryptosuites = names
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|n| Cryptosuite::parse(n).ok())
            .collect();
    }
    let mut documents = StaticResolver::default();
    if let Some(Value::Array(given)) = map.remove("didDocuments") {
        for document in given {
            documents.insert(DidDocument::from_json(document).map_err(|e| js_error(&e))?);
        }
    }
    let logs = read_logs(&map);
    verify.status_policy = read_status_policy(map.get("statusPolicy"))?;
    let mut lists = None;
    if let Some(Value::Object(given)) = map.remove("statusLists") {
        let lists = lists.get_or_insert_with(StaticStatusLists::default);
        for (url, list) in given {
            let bytes = match list {
                Value::String(text) => text.into_bytes(),
                other => passerelle::json::to_text(&other)
                    .map_err(|e| js_error(&e))?
                    .into_bytes(),
            };
            lists.insert(url, bytes);
        }
    }
    Ok(Options {
        verify,
        resolver: FallbackResolver(documents, logs),
        lists,
        #[cfg(feature = "rdfc")]
        jsonld: supplied_contexts(&map),
    })
}

/// `statusPolicy`: `{skipWithoutSource, acceptUnknownTypes}`, booleans,
/// both false by default (fail closed); any other key or value is refused.
fn read_status_policy(given: Option<&Value>) -> Result<StatusPolicy, JsValue> {
    let mut policy = StatusPolicy::default();
    let Some(given) = given else {
        return Ok(policy);
    };
    let given = given
        .as_object()
        .ok_or_else(|| invalid_option("statusPolicy must be an object"))?;
    for (key, value) in given {
        let flag = match key.as_str() {
            "skipWithoutSource" => &mut policy.skip_without_source,
            "acceptUnknownTypes" => &mut policy.accept_unknown_types,
            _ => return Err(invalid_option(format!("statusPolicy has an unknown key {key}"))),
        };
        *flag = value
            .as_bool()
            .ok_or_else(|| invalid_option(format!("statusPolicy.{key} must be a boolean")))?;
    }
    Ok(policy)
}

/// did:webvh DIDs resolve through their logs (`didLogs`: `{did: log}`).
#[cfg(feature = "webvh")]
type Logs = passerelle::did::webvh::WebvhLogs;

#[cfg(feature = "webvh")]
fn read_logs(map: &Map<String, Value>) -> Logs {
    let mut logs = Logs::new();
    for (did, log) in map.get("didLogs").and_then(Value::as_object).into_iter().flatten() {
        logs.insert(did.clone(), log.as_str().unwrap_or_default());
    }
    logs
}

/// Without the `webvh` feature, did:webvh DIDs are not found, and say why.
#[cfg(not(feature = "webvh"))]
struct Logs;

#[cfg(not(feature = "webvh"))]
fn read_logs(_map: &Map<String, Value>) -> Logs {
    Logs
}

#[cfg(not(feature = "webvh"))]
impl passerelle::did::DidResolver for Logs {
    fn resolve(&self, did: &str, _time: Timestamp) -> passerelle::Result<DidDocument> {
        let detail = if did.starts_with("did:webvh:") {
            format!("{did}: did:webvh needs the `webvh` feature of passerelle-wasm, which this build leaves out")
        } else {
            format!("no document for {did}")
        };
        Err(Error::new(ErrorCode::DidNotFound, detail))
    }
}

/// `contexts`: `{url: context document}` (JSON text or object) for the rdfc
/// suites, besides the bundled contexts. Without it, the bundled ones, whose
/// processed form is kept across calls; a page passes the same `contexts`
/// with every call, so the processor made for the last set is kept too.
#[cfg(feature = "rdfc")]
fn supplied_contexts(map: &Map<String, Value>) -> Option<Arc<passerelle::jsonld::JsonLd>> {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Option<(Value, Arc<passerelle::jsonld::JsonLd>)>> = const { RefCell::new(None) };
    }
    let given = map.get("contexts").filter(|c| c.is_object())?;
    if let Some(kept) = LAST.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|(contexts, _)| contexts == given)
            .map(|(_, jsonld)| Arc::clone(jsonld))
    }) {
        return Some(kept);
    }
    let documents: std::collections::HashMap<String, String> = given
        .as_object()
        .into_iter()
        .flatten()
        .map(|(url, document)| {
            let text = match document {
                Value::String(text) => text.clone(),
                other => passerelle::json::to_text(other).unwrap_or_default(),
            };
            (url.clone(), text)
        })
        .collect();
    let jsonld = Arc::new(passerelle::jsonld::JsonLd::new().with_loader(documents));
    LAST.with(|last| *last.borrow_mut() = Some((given.clone(), Arc::clone(&jsonld))));
    Some(jsonld)
}

/// Trust anchors and registry snapshots, loaded once and used by many verifications.
#[wasm_bindgen]
pub struct TrustStore {
    /// Shared with the verifier's trust resolver, which must be `Send +
    /// Sync` (a `Mutex`: uncontended in a single-threaded module).
    inner: Arc<Mutex<passerelle::registry::TrustStore>>,
}

/// The store behind `store`'s lock. A lock is poisoned only by a panic
/// while it was held (which the release build turns into an abort); the
/// store is then taken as it is.
fn locked(store: &Mutex<passerelle::registry::TrustStore>) -> MutexGuard<'_, passerelle::registry::TrustStore> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

#[wasm_bindgen]
impl TrustStore {
    /// A store trusting `anchors` (root registry DIDs).
    #[wasm_bindgen(constructor)]
    pub fn new(anchors: Vec<String>) -> TrustStore {
        TrustStore {
            inner: Arc::new(Mutex::new(passerelle::registry::TrustStore::new(anchors))),
        }
    }

    /// Loads a signed snapshot (JSON text or object). `options.didDocuments`
    /// holds the registry's DID document unless it is a did:key;
    /// `options.time` is the time of the freshness check (default: now).
    /// Returns the registry's DID; throws with `SNAPSHOT_*` or `REGISTRY_INVALID`.
    /// A refused snapshot is remembered, and answers that need it say why.
    #[wasm_bindgen(js_name = loadSnapshot)]
    pub fn load_snapshot(&self, snapshot: JsValue, options: JsValue) -> Result<String, JsValue> {
        let options = read_options(&options)?;
        let text = json_text(&snapshot)?;
        locked(&self.inner)
            .load_snapshot(text.as_bytes(), &options.resolver, options.verify.time)
            .map_err(|e| js_error(&e))
    }

    /// Records that sequence `sequence` of `registry` was seen (rollback protection).
    #[wasm_bindgen(js_name = markSeen)]
    pub fn mark_seen(&self, registry: &str, sequence: f64) {
        locked(&self.inner).mark_seen(registry, sequence as u64);
    }

    /// The trust anchors.
    pub fn anchors(&self) -> Vec<String> {
        locked(&self.inner).anchors().to_vec()
    }

    /// Verifies a credential like [`verify_credential`], with this store's
    /// trust anchors and snapshots (the `trust` check).
    #[wasm_bindgen(js_name = verifyCredential)]
    pub fn verify_credential(&self, credential: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        verify(&credential, &options, Some(self), false)
    }

    /// Verifies a presentation like [`verify_presentation`], with this store.
    #[wasm_bindgen(js_name = verifyPresentation)]
    pub fn verify_presentation(&self, presentation: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        verify(&presentation, &options, Some(self), true)
    }
}

/// The store as the verifier's trust resolver, sharing the JS object's state.
struct Shared {
    anchors: Vec<String>,
    store: Arc<Mutex<passerelle::registry::TrustStore>>,
}

impl TrustResolver for Shared {
    fn anchors(&self) -> &[String] {
        &self.anchors
    }
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: Timestamp) -> TrustAnswer {
        locked(&self.store).authorize_issuer(issuer, types, time)
    }
}

fn verify(
    input: &JsValue,
    options: &JsValue,
    trust: Option<&TrustStore>,
    presentation: bool,
) -> Result<JsValue, JsValue> {
    let text = json_text(input)?;
    verify_text(&text, read_options(options)?, trust.map(|t| &t.inner), presentation)
}

fn verify_text(
    text: &str,
    options: Options,
    trust: Option<&Arc<Mutex<passerelle::registry::TrustStore>>>,
    presentation: bool,
) -> Result<JsValue, JsValue> {
    // `&dyn DidResolver`, as snapshot loading uses: one instantiation of the verifier in the module.
    let resolver: &dyn passerelle::did::DidResolver = &options.resolver;
    let mut verifier = Verifier::new(resolver);
    if let Some(lists) = options.lists {
        verifier = verifier.with_status(lists);
    }
    #[cfg(feature = "rdfc")]
    if let Some(jsonld) = options.jsonld {
        verifier = verifier.with_contexts(jsonld);
    }
    if let Some(store) = trust {
        let anchors = locked(store).anchors().to_vec();
        verifier = verifier.with_trust(Shared {
            anchors,
            store: Arc::clone(store),
        });
    }
    let report = if presentation {
        verifier.verify_presentation(text.as_bytes(), &options.verify)
    } else {
        verifier.verify(text.as_bytes(), &options.verify)
    };
    to_js(&report.to_json())
}

/// Verifies a credential (JSON text or object; a presentation is detected by
/// its type). `options`: `time`, `lang`, `didDocuments`, `didLogs`,
/// `statusLists`, `statusPolicy`, `challenge`, `domain`, `cryptosuites`, `maxBytes`,
/// `maxDepth`, and `contexts` in builds with the rdfc suites. Returns the report: `{kind, verified, checks: [{name, outcome,
/// code?, message: {en, fr}, evidence, detail?}], credentials?}`.
/// Without trust anchors the `trust` check is skipped; use
/// `TrustStore.verifyCredential` to include it.
#[wasm_bindgen(js_name = verifyCredential)]
pub fn verify_credential(credential: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    verify(&credential, &options, None, false)
}

/// Verifies a presentation and every credential in it.
#[wasm_bindgen(js_name = verifyPresentation)]
pub fn verify_presentation(presentation: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    verify(&presentation, &options, None, true)
}

/// What `input` (a credential or presentation as JSON text or object, or a
/// compact JWS) needs from outside, for a page that fetches it:
/// `{dids, didLogs, statusLists}`. `dids`: signers whose DID documents
/// resolve them (did:key and did:jwk need none); `didLogs`: did:webvh
/// signers (empty in builds without did:webvh); `statusLists`: status list
/// credential URLs. A status list credential names its own signer: ask
/// again with it once fetched. Input that does not parse needs nothing.
/// The `…Async` verifications of the package's JavaScript use this.
#[wasm_bindgen(js_name = needsOf)]
pub fn needs_of(input: JsValue) -> Result<JsValue, JsValue> {
    to_js(&needs::needs_of_input(&json_text(&input)?).to_json())
}

/// `iterations` raw Ed25519 verifications (`verify_strict`, through
/// passerelle's `PublicKey::verify`) of one 64-byte message: the curve alone,
/// for `wasm/bench.sh` to set beside the same loop natively. Feature `bench`
/// only; the published modules do not have it.
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchEd25519Verify)]
pub fn bench_ed25519_verify(iterations: u32) -> bool {
    use passerelle::crypto::{Ed25519KeyPair, Signer};
    let key = Ed25519KeyPair::from_seed(&[7; 32]);
    let message = [42u8; 64];
    let Ok(signature) = key.sign(&message) else {
        return false;
    };
    let public = key.public_key();
    (0..iterations).all(|_| public.verify(&message, &signature).is_ok())
}

/// The English and French messages of a stable code (for a page's own texts).
#[wasm_bindgen(js_name = messageFor)]
pub fn message_for(code: &str) -> Result<JsValue, JsValue> {
    let code = ErrorCode::from_code(code).ok_or_else(|| invalid_option(format!("unknown code {code}")))?;
    let mut message = Map::new();
    message.insert(
        "en".to_owned(),
        Value::String(code.message(passerelle::Lang::En).to_owned()),
    );
    message.insert(
        "fr".to_owned(),
        Value::String(code.message(passerelle::Lang::Fr).to_owned()),
    );
    to_js(&Value::Object(message))
}

/// Checks that `text` is JSON within the default limits (a page can call this
/// before storing input). Throws with the stable code.
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(text: &str) -> Result<(), JsValue> {
    parse_strict(text.as_bytes(), Limits::default())
        .map(|_| ())
        .map_err(|e| js_error(&e))
}
