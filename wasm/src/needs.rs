//! Asynchronous verification: the page's own fetchers supply the DID
//! documents, did:webvh logs and status lists a document names and the
//! options lack. Verification itself stays synchronous and offline: what is
//! fetched is gathered first, then verified like supplied data.

use js_sys::{Function, Promise, Reflect};
use passerelle::did::{method_of, split_did_url};
use passerelle::jose::looks_like_compact_jws;
use passerelle::json::{parse_strict, Limits};
use passerelle::proof::proofs_of;
use passerelle::status::StatusEntry;
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::{invalid_option, json_text};

/// What a document needs from outside: DIDs to resolve, status lists to read.
#[derive(Default)]
struct Needs {
    dids: Vec<String>,
    status_lists: Vec<String>,
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|known| known == item) {
        list.push(item.to_owned());
    }
}

fn as_slice(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        Some(other) => std::slice::from_ref(other),
        None => &[],
    }
}

/// The signers' DIDs (other than did:key and did:jwk, which resolve by
/// themselves) and status list URLs of `document` and of the credentials
/// it embeds.
fn collect_needs(document: &Map<String, Value>, needs: &mut Needs) {
    for proof in proofs_of(document).unwrap_or_default() {
        let method = proof
            .get("verificationMethod")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Ok((did, _)) = split_did_url(method) {
            if !matches!(method_of(did), Ok("key" | "jwk")) {
                push_unique(&mut needs.dids, did);
            }
        }
    }
    // Malformed entries name nothing to fetch: the status check reports them.
    for entry in StatusEntry::all_of(document).unwrap_or_default() {
        push_unique(&mut needs.status_lists, &entry.list_url);
    }
    for credential in as_slice(document.get("verifiableCredential")) {
        let Value::Object(credential) = credential else {
            continue;
        };
        let enveloped = credential
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix("data:application/vc+jwt,"));
        match enveloped {
            Some(token) => collect_token_needs(token, needs),
            None => collect_needs(credential, needs),
        }
    }
}

/// What `input` (JSON, or a compact `vc+jwt`/`vp+jwt`) needs from outside.
/// Input that does not parse needs nothing: verification reports why.
fn needs_of_input(input: &str) -> Needs {
    let mut needs = Needs::default();
    if looks_like_compact_jws(input.as_bytes()) {
        collect_token_needs(input, &mut needs);
    } else if let Ok(Value::Object(document)) = parse_strict(input.as_bytes(), Limits::default()) {
        collect_needs(&document, &mut needs);
    }
    needs
}

/// A JWS's signer (its `kid`, relative to the issuer or holder) and what
/// its payload needs; nothing without `jose`, where a token is refused.
fn collect_token_needs(token: &str, needs: &mut Needs) {
    if !cfg!(feature = "jose") {
        return;
    }
    let Ok(jws) = passerelle::jose::parse_compact(token.as_bytes(), Limits::default()) else {
        return;
    };
    let base = ["issuer", "holder"]
        .iter()
        .find_map(|key| match jws.payload.get(*key) {
            Some(Value::String(id)) => Some(id.as_str()),
            Some(Value::Object(party)) => party.get("id").and_then(Value::as_str),
            _ => None,
        })
        .unwrap_or_default();
    if let Ok((did, _)) = split_did_url(&jws.verification_method(base)) {
        if !matches!(method_of(did), Ok("key" | "jwk")) {
            push_unique(&mut needs.dids, did);
        }
    }
    collect_needs(&jws.payload, needs);
}

/// The callback `name` of the options object, if the page gave one.
fn callback(options: &JsValue, name: &str) -> Result<Option<Function>, JsValue> {
    if !options.is_object() {
        return Ok(None);
    }
    let value = Reflect::get(options, &JsValue::from_str(name))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<Function>()
        .map(Some)
        .map_err(|_| invalid_option(format!("{name} must be a function")))
}

/// Calls `fetcher(argument)` and awaits its result: `None` when it gives
/// nothing or fails (the check that needed it then reports what is missing).
async fn fetch(fetcher: &Function, argument: &str) -> Option<Value> {
    let returned = fetcher.call1(&JsValue::NULL, &JsValue::from_str(argument)).ok()?;
    let value = JsFuture::from(Promise::resolve(&returned)).await.ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    if let Some(text) = value.as_string() {
        return Some(Value::String(text));
    }
    parse_strict(json_text(&value).ok()?.as_bytes(), crate::OPTION_LIMITS).ok()
}

/// `options` (as JSON, without its functions) with what `input` needs and
/// `fetchDidDocument`, `fetchDidLog` and `fetchStatusList` supplied.
pub(crate) async fn complete_options(options: &JsValue, input: &str) -> Result<Map<String, Value>, JsValue> {
    let mut map = crate::options_map(options)?;
    let mut needs = needs_of_input(input);

    // Status lists first: their proofs name DIDs too.
    if let Some(fetcher) = callback(options, "fetchStatusList")? {
        for url in &needs.status_lists {
            if map.get("statusLists").and_then(|l| l.get(url)).is_some() {
                continue;
            }
            let Some(list) = fetch(&fetcher, url).await else {
                continue;
            };
            let parsed = match &list {
                Value::String(text) => parse_strict(text.as_bytes(), Limits::default()).ok(),
                other => Some(other.clone()),
            };
            if let Some(Value::Object(parsed)) = parsed {
                let mut list_needs = Needs::default();
                collect_needs(&parsed, &mut list_needs);
                for did in &list_needs.dids {
                    push_unique(&mut needs.dids, did);
                }
            }
            insert_into_object(&mut map, "statusLists", url, list);
        }
    }

    let fetch_document = callback(options, "fetchDidDocument")?;
    let fetch_log = callback(options, "fetchDidLog")?;
    for did in &needs.dids {
        let is_webvh = matches!(method_of(did), Ok("webvh"));
        if is_webvh {
            if cfg!(not(feature = "webvh")) {
                continue;
            }
            let known = map.get("didLogs").and_then(|l| l.get(did)).is_some();
            if let (false, Some(fetcher)) = (known, &fetch_log) {
                if let Some(Value::String(log)) = fetch(fetcher, did).await {
                    insert_into_object(&mut map, "didLogs", did, Value::String(log));
                }
            }
            continue;
        }
        let known = map
            .get("didDocuments")
            .and_then(Value::as_array)
            .is_some_and(|docs| docs.iter().any(|d| d.get("id").and_then(Value::as_str) == Some(did)));
        if let (false, Some(fetcher)) = (known, &fetch_document) {
            let document = match fetch(fetcher, did).await {
                Some(Value::String(text)) => parse_strict(text.as_bytes(), Limits::default()).ok(),
                other => other,
            };
            if let Some(document) = document {
                push_into_array(&mut map, "didDocuments", document);
            }
        }
    }
    Ok(map)
}

/// Sets `map[key][name] = value`, `map[key]` being an object.
fn insert_into_object(map: &mut Map<String, Value>, key: &str, name: &str, value: Value) {
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(object) = slot {
        object.insert(name.to_owned(), value);
    }
}

/// Appends `value` to `map[key]`, an array.
fn push_into_array(map: &mut Map<String, Value>, key: &str, value: Value) {
    let slot = map.entry(key).or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    if let Value::Array(items) = slot {
        items.push(value);
    }
}

#[cfg(all(test, feature = "jose"))]
mod tests {
    use super::*;
    use passerelle::crypto::{Ed25519KeyPair, Signer};
    use passerelle::jose::{sign_compact, Media};
    use serde_json::json;

    #[test]
    fn a_token_needs_its_signer_and_status_lists_and_so_do_enveloped_ones() {
        let key = Ed25519KeyPair::from_seed(&[3; 32]);
        let credential = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:web:issuer.example", "credentialSubject": {},
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                "statusListIndex": "7", "statusListCredential": "https://issuer.example/status/1"}});
        let vc = sign_compact(credential.as_object().unwrap(), "#key-1", Media::Credential, &key).unwrap();
        let needs = needs_of_input(&vc);
        assert_eq!(needs.dids, ["did:web:issuer.example"]);
        assert_eq!(needs.status_lists, ["https://issuer.example/status/1"]);

        let holder = passerelle::did::key::verification_method_for(&key.public_key());
        let presentation = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
            "verifiableCredential": [{"type": "EnvelopedVerifiableCredential", "id": format!("data:application/vc+jwt,{vc}")}]});
        let vp = sign_compact(presentation.as_object().unwrap(), &holder, Media::Presentation, &key).unwrap();
        let needs = needs_of_input(&vp);
        assert_eq!(needs.dids, ["did:web:issuer.example"], "did:key holders need nothing");
        assert_eq!(needs.status_lists, ["https://issuer.example/status/1"]);
        assert!(needs_of_input("eyJ.not.a-token").dids.is_empty());
    }
}
