//! WebAssembly bindings of passerelle: the same verifier, in a browser or in
//! node, with no server and no network unless the page supplies fetchers.
//!
//! ```js
//! import init, { PasserelleVerifier } from "passerelle";
//! await init();
//! const verifier = new PasserelleVerifier({
//!   trustAnchors: ["did:web:registry.canada.passerelle.example"],
//!   snapshots: [snapshotJson],
//!   didDocuments: [registryDidDocument],
//! });
//! const report = verifier.verifyCredential(credentialJson, { lang: "fr", didDocuments: [issuerDoc] });
//! report.verified; report.checks[0].message.fr;
//! ```
//!
//! Results are plain objects with the same check names, codes and en/fr
//! messages as the Rust `Report`. Errors are thrown as `Error`s whose `code`
//! property is the stable passerelle code.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod needs;
mod report;

// A smaller allocator than the standard library's dlmalloc: the module's
// size budget (docs/wasm.md) is where it pays.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use std::cell::RefCell;

use passerelle::inputs::{check_key, Inputs, KeptVerifier, CALL_KEYS, KEPT_CALL_KEYS, MADE_KEYS, OPTION_LIMITS};
use passerelle::json::{parse_strict, Limits};
use passerelle::{Error, ErrorCode, Timestamp, VerifyOptions};
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

/// The names of the page's fetchers: the `…Async` verifications use them,
/// the synchronous ones leave them aside.
const FETCHERS: &[&str] = &["fetchDidDocument", "fetchDidLog", "fetchStatusList"];

/// Inputs at `time`, resolving did:webvh in builds that have it.
fn new_inputs(time: Timestamp) -> Inputs {
    #[cfg(feature = "webvh")]
    return Inputs::new(time);
    #[cfg(not(feature = "webvh"))]
    Inputs::without_webvh(time)
}

fn option_invalid(key: &str, what: &str) -> JsValue {
    js_error(&Error::new(ErrorCode::OptionInvalid, format!("{key} must be {what}")))
}

/// A supplied document as JSON text: a string as given, an object written
/// by `JSON.stringify`.
fn document_text(key: &str, value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if !value.is_object() {
        return Err(option_invalid(key, "JSON objects or their text"));
    }
    js_sys::JSON::stringify(value)
        .map(String::from)
        .map_err(|_| option_invalid(key, "JSON-serializable"))
}

/// The `[key, value]` pairs of the object `value`.
fn entries(key: &str, value: &JsValue) -> Result<Vec<(String, JsValue)>, JsValue> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(option_invalid(key, "an object"));
    }
    Ok(js_sys::Object::entries(value.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|pair| {
            let pair: js_sys::Array = pair.unchecked_into();
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
        })
        .collect())
}

/// Reads the JS options object `options` into `inputs`; its keys must be
/// among `allowed` (or the fetchers', which are left aside). The documents,
/// logs and lists are taken one by one as JSON text; the policies are read
/// by [`Inputs::read`], like any JSON options.
fn read_options(options: &JsValue, allowed: &[&str], inputs: &mut Inputs) -> Result<(), JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(());
    }
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err(option_invalid("options", "an object"));
    }
    let policies = js_sys::Object::new();
    let mut any_policy = false;
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if FETCHERS.contains(&key.as_str()) {
            continue;
        }
        check_key(&key, allowed).map_err(|e| js_error(&e))?;
        let value = js_sys::Reflect::get(options, &JsValue::from_str(&key))?;
        if value.is_undefined() || value.is_null() {
            continue;
        }
        match key.as_str() {
            "didDocuments" | "snapshots" => {
                if !js_sys::Array::is_array(&value) {
                    return Err(option_invalid(&key, "an array"));
                }
                for item in js_sys::Array::from(&value).iter() {
                    let text = document_text(&key, &item)?.into_bytes();
                    if key == "snapshots" {
                        inputs.snapshot(text);
                    } else {
                        inputs.did_document_text(text);
                    }
                }
            }
            "statusLists" => {
                inputs.status_source();
                for (url, list) in entries(&key, &value)? {
                    inputs.status_list(url, document_text(&key, &list)?.into_bytes());
                }
            }
            "contexts" => {
                for (url, context) in entries(&key, &value)? {
                    inputs.context(url, document_text(&key, &context)?);
                }
            }
            "didLogs" => {
                for (did, log) in entries(&key, &value)? {
                    let log = log
                        .as_string()
                        .ok_or_else(|| option_invalid(&key, "an object of did.jsonl texts by DID"))?;
                    inputs.did_log(did, log);
                }
            }
            _ => {
                js_sys::Reflect::set(&policies, &JsValue::from_str(&key), &value)?;
                any_policy = true;
            }
        }
    }
    if any_policy {
        let text = String::from(js_sys::JSON::stringify(&policies)?);
        match parse_strict(text.as_bytes(), OPTION_LIMITS) {
            Ok(Value::Object(map)) => {
                for (key, value) in map {
                    let read = match key.as_str() {
                        "trustAnchors" | "seen" => inputs.read_trust(&key, value),
                        _ => inputs.read_policy(&key, value),
                    };
                    read.map_err(|e| js_error(&e))?;
                }
            }
            Ok(_) => return Err(option_invalid("options", "an object")),
            Err(e) => return Err(js_error(&e)),
        }
    }
    Ok(())
}

/// Inputs read from `options` (keys among `allowed`), the time defaulting to now.
fn inputs_of(options: &JsValue, allowed: &[&str]) -> Result<Inputs, JsValue> {
    let mut inputs = new_inputs(now());
    read_options(options, allowed, &mut inputs)?;
    Ok(inputs)
}

/// A one-shot verification: a verifier made from `options`, used once.
fn verify(input: &JsValue, options: &JsValue, presentation: bool) -> Result<JsValue, JsValue> {
    let text = json_text(input)?;
    let inputs = inputs_of(options, CALL_KEYS)?;
    let (verifier, _) = inputs.build().map_err(|e| js_error(&e))?;
    report_of(&verifier, &text, verifier.options(), presentation)
}

fn report_of(
    verifier: &KeptVerifier,
    text: &str,
    options: &VerifyOptions,
    presentation: bool,
) -> Result<JsValue, JsValue> {
    let report = if presentation {
        verifier.verify_presentation(text.as_bytes(), options)
    } else {
        verifier.verify(text.as_bytes(), options)
    };
    report::to_js(&report)
}

/// A verifier made once and reused: its trust anchors, registry snapshots,
/// DID documents, did:webvh logs, status lists, contexts and policies are
/// given when it is made; each call may give more DID documents, logs and
/// status lists. It keeps the status lists it verified and the DID
/// documents it was given (up to 64 of each given with calls), keyed by
/// URL or DID and the SHA-256 of their content: what is given again
/// unchanged is not read or verified again, what changed is.
#[wasm_bindgen(js_name = PasserelleVerifier)]
pub struct PasserelleVerifier {
    inner: RefCell<KeptVerifier>,
}

#[wasm_bindgen(js_class = PasserelleVerifier)]
impl PasserelleVerifier {
    /// A verifier made from `inputs`: the options of `verifyCredential`
    /// plus `trustAnchors`, `snapshots` and `seen`; an unknown key is
    /// refused (`OPTION_UNKNOWN`). A refused snapshot is remembered, and
    /// answers that need it say why. A `time` given here is the default of
    /// every call (else the time of each call).
    #[wasm_bindgen(constructor)]
    pub fn new(inputs: JsValue) -> Result<PasserelleVerifier, JsValue> {
        let inputs = inputs_of(&inputs, MADE_KEYS)?.with_digests();
        let (verifier, _) = inputs.build().map_err(|e| js_error(&e))?;
        Ok(PasserelleVerifier {
            inner: RefCell::new(verifier),
        })
    }

    /// Verifies a credential (or a presentation, told apart by its type)
    /// with what the verifier holds and what `options` adds (`time`,
    /// `lang`, `challenge`, `domain`, `cryptosuites`, `maxBytes`,
    /// `maxDepth`, `statusPolicy`, `trustAtVerificationTime`,
    /// `didDocuments`, `didLogs`, `statusLists`).
    #[wasm_bindgen(js_name = verifyCredential)]
    pub fn verify_credential(&self, credential: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        self.verify(&credential, &options, false)
    }

    /// Verifies a presentation and every credential in it, like `verifyCredential`.
    #[wasm_bindgen(js_name = verifyPresentation)]
    pub fn verify_presentation(&self, presentation: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        self.verify(&presentation, &options, true)
    }

    /// Whether it holds the DID document or did:webvh log of `key` (a
    /// DID), or the status list credential at `key` (a URL). The package's
    /// JavaScript gives the class `needsOf` from this: what an input needs
    /// that the verifier does not hold, which the `…Async` verifications
    /// fetch.
    pub fn holds(&self, key: &str) -> bool {
        let verifier = self.inner.borrow();
        verifier.has_did(key) || verifier.has_status_list(key)
    }

    fn verify(&self, input: &JsValue, options: &JsValue, presentation: bool) -> Result<JsValue, JsValue> {
        let text = json_text(input)?;
        let mut verifier = self.inner.borrow_mut();
        let mut call = verifier.call_inputs(now);
        read_options(options, KEPT_CALL_KEYS, &mut call)?;
        let options = verifier.supply(call).map_err(|e| js_error(&e))?;
        report_of(&verifier, &text, &options, presentation)
    }
}

/// Verifies a credential (JSON text or object; a presentation is detected by
/// its type). `options`: `time`, `lang`, `didDocuments`, `didLogs`,
/// `statusLists`, `statusPolicy`, `challenge`, `domain`, `cryptosuites`, `maxBytes`,
/// `maxDepth`, and `contexts` in builds with the rdfc suites. Returns the report: `{kind, verified, checks: [{name, outcome,
/// code?, message: {en, fr}, evidence, detail?}], credentials?}`.
/// Without trust anchors the `trust` check is skipped: a
/// `PasserelleVerifier` made with `trustAnchors` and `snapshots` includes it.
#[wasm_bindgen(js_name = verifyCredential)]
pub fn verify_credential(credential: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    verify(&credential, &options, false)
}

/// Verifies a presentation and every credential in it.
#[wasm_bindgen(js_name = verifyPresentation)]
pub fn verify_presentation(presentation: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    verify(&presentation, &options, true)
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
