//! Runs the whole test-vector manifest through the wasm API; the node and
//! browser suites both call [`run_all`].
#![allow(dead_code)]

use passerelle_wasm::PasserelleVerifier;
use serde_json::{json, Map, Value};
use wasm_bindgen::JsValue;

mod vectors {
    include!(concat!(env!("OUT_DIR"), "/vectors.rs"));
}

fn file(path: &str) -> &'static [u8] {
    vectors::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| panic!("no vector file {path}"))
}

/// A vector file as text.
pub fn text(path: &str) -> String {
    String::from_utf8(file(path).to_vec()).expect("UTF-8")
}

fn js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("JSON")
}

/// A case made ready for the wasm API.
struct Prepared {
    /// A verifier made with the case's trust anchors, snapshots and
    /// sequences seen (and the DID documents the snapshots need).
    trust: PasserelleVerifier,
    input: String,
    /// The verification options, without the documents, logs and lists.
    options: Map<String, Value>,
    documents: Vec<Value>,
    logs: Map<String, Value>,
    lists: Option<Map<String, Value>>,
}

fn prepare(case: &Value) -> Prepared {
    let options = &case["options"];
    let documents: Vec<Value> = case["didDocuments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| serde_json::from_slice(file(p.as_str().unwrap())).unwrap())
        .collect();
    let mut verify_options = Map::new();
    for key in [
        "time",
        "challenge",
        "domain",
        "maxBytes",
        "maxDepth",
        "cryptosuites",
        "statusPolicy",
    ] {
        if let Some(value) = options.get(key) {
            verify_options.insert(key.into(), value.clone());
        }
    }
    let logs: Map<String, Value> = options["didLogs"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(did, path)| (did.clone(), Value::String(text(path.as_str().unwrap()))))
        .collect();
    // Without `statusLists` the case's verifier has no status list source.
    let lists: Option<Map<String, Value>> = options["statusLists"].as_object().map(|given| {
        given
            .iter()
            .map(|(url, path)| (url.clone(), Value::String(text(path.as_str().unwrap()))))
            .collect()
    });
    let snapshots: Vec<Value> = options["registries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|path| Value::String(text(path.as_str().unwrap())))
        .collect();
    let mut trust_inputs = json!({"didDocuments": documents, "snapshots": snapshots});
    for key in ["trustAnchors", "seen", "time"] {
        if let Some(value) = options.get(key) {
            trust_inputs[key] = value.clone();
        }
    }
    let trust = PasserelleVerifier::new(js(&trust_inputs)).expect("the case's trust inputs are accepted");
    let input = String::from_utf8_lossy(file(case["input"].as_str().unwrap())).into_owned();
    Prepared {
        trust,
        input,
        options: verify_options,
        documents,
        logs,
        lists,
    }
}

/// `None` when `report` has the case's expected verdict and codes.
fn judge(case: &Value, report: Result<JsValue, JsValue>) -> Option<String> {
    let report = match report {
        Ok(report) => report,
        Err(e) => return Some(format!("threw {:?}", e)),
    };
    let report: Value = serde_json::from_str(&String::from(js_sys::JSON::stringify(&report).unwrap())).unwrap();
    let got: Vec<Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "failed")
        .map(|c| json!({"check": c["name"], "code": c["code"]}))
        .collect();
    let expected = &case["expect"];
    if report["verified"] != expected["verified"] || Value::Array(got.clone()) != expected["failures"] {
        return Some(format!(
            "got verified={} {:?}, expected {}",
            report["verified"], got, expected
        ));
    }
    for check in report["checks"].as_array().unwrap() {
        if check["message"]["en"].as_str().unwrap_or("").is_empty()
            || check["message"]["fr"].as_str().unwrap_or("").is_empty()
        {
            return Some(format!("check {} lacks a message", check["name"]));
        }
    }
    None
}

/// Runs one case with everything supplied in the options.
fn run_case(case: &Value) -> Option<String> {
    let mut prepared = prepare(case);
    let options = &mut prepared.options;
    options.insert("didDocuments".into(), Value::Array(prepared.documents.clone()));
    options.insert("didLogs".into(), Value::Object(prepared.logs.clone()));
    if let Some(lists) = &prepared.lists {
        options.insert("statusLists".into(), Value::Object(lists.clone()));
    }
    let report = prepared
        .trust
        .verify_credential(JsValue::from_str(&prepared.input), js(&Value::Object(options.clone())));
    judge(case, report)
}

/// Runs one case through a `PasserelleVerifier` made with everything the
/// case gives (trust anchors, snapshots, sequences seen, documents, logs,
/// lists), then asked twice: the second answer, from what it kept, must be
/// the same.
fn run_case_kept(case: &Value) -> Option<String> {
    let prepared = prepare(case);
    let given = &case["options"];
    let mut inputs = prepared.options.clone();
    inputs.insert("didDocuments".into(), Value::Array(prepared.documents.clone()));
    inputs.insert("didLogs".into(), Value::Object(prepared.logs.clone()));
    if let Some(lists) = &prepared.lists {
        inputs.insert("statusLists".into(), Value::Object(lists.clone()));
    }
    for key in ["trustAnchors", "seen"] {
        if let Some(value) = given.get(key) {
            inputs.insert(key.into(), value.clone());
        }
    }
    let snapshots: Vec<Value> = given["registries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|path| Value::String(text(path.as_str().unwrap())))
        .collect();
    inputs.insert("snapshots".into(), Value::Array(snapshots));
    let verifier = match passerelle_wasm::PasserelleVerifier::new(js(&Value::Object(inputs.clone()))) {
        Ok(verifier) => verifier,
        Err(e) => return Some(format!("new PasserelleVerifier threw {e:?}")),
    };
    let input = JsValue::from_str(&prepared.input);
    let first = verifier.verify_credential(input.clone(), JsValue::UNDEFINED);
    if let Some(why) = differs_from_native(inputs, &prepared.input, &first) {
        return Some(why);
    }
    judge(case, first).or_else(|| {
        judge(case, verifier.verify_credential(input, JsValue::UNDEFINED)).map(|why| format!("asked again: {why}"))
    })
}

/// Whether the report object the package gives (`report`, put together in
/// JavaScript from the module's short text) differs from the library's own
/// JSON (`Report::to_json_text`) for the same inputs: keys, their order and
/// every string, messages and labels included.
fn differs_from_native(inputs: Map<String, Value>, input: &str, report: &Result<JsValue, JsValue>) -> Option<String> {
    use passerelle::inputs::{Inputs, MADE_KEYS};
    // Without a time the module takes the clock's: nothing to compare with.
    let time = passerelle::Timestamp::parse(inputs.get("time")?.as_str()?).ok()?;
    let mut native = Inputs::new(time).with_digests();
    let built = native.read(inputs, MADE_KEYS).and_then(|()| native.build());
    let verifier = match built {
        Ok((verifier, _)) => verifier,
        Err(e) => return Some(format!("the library refused inputs the package took: {e}")),
    };
    let expected = verifier.verify(input.as_bytes(), verifier.options()).to_json_text();
    let Ok(report) = report else {
        return Some("the package threw where the library made a report".into());
    };
    let got = String::from(js_sys::JSON::stringify(report).unwrap_or_default());
    // Both through serde_json (order kept), so that only JSON.stringify's
    // choice of escapes could differ, and does not count.
    let [expected, got] = [expected, got].map(|text| serde_json::from_str::<Value>(&text).map(|v| v.to_string()));
    match (expected, got) {
        (Ok(expected), Ok(got)) if expected == got => None,
        (expected, got) => Some(format!(
            "the package's report differs from the library's:\n{got:?}\n{expected:?}"
        )),
    }
}

/// Runs every case of the manifest through a `PasserelleVerifier`; panics
/// listing the ones that differ from the expected results.
pub fn run_all_kept() {
    let manifest: Value = serde_json::from_slice(file("manifest.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_case_kept(case).map(|why| format!("{}: {why}", case["id"])))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ through a PasserelleVerifier:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A JS async function serving `table[key]` (or null), as a page's fetcher would.
fn fetcher(table: &Map<String, Value>) -> js_sys::Function {
    js_sys::Function::new_with_args(
        "key",
        &format!(
            "const table = {}; return Promise.resolve(table[key] ?? null);",
            Value::Object(table.clone())
        ),
    )
}

impl Prepared {
    /// The case's DID documents, keyed by their `id`, for fetchers.
    fn documents_by_id(&self) -> Map<String, Value> {
        self.documents
            .iter()
            .filter_map(|d| Some((d.get("id")?.as_str()?.to_owned(), d.clone())))
            .collect()
    }
}

/// Runs one case with nothing supplied but fetchers that serve the same
/// DID documents, logs and status lists on request.
async fn run_case_fetching(case: &Value) -> Option<String> {
    let prepared = prepare(case);
    let documents = prepared.documents_by_id();
    let options = js(&Value::Object(prepared.options.clone()));
    let mut fetchers = vec![("fetchDidDocument", &documents), ("fetchDidLog", &prepared.logs)];
    // A page with a status list fetcher has a status list source.
    if let Some(lists) = &prepared.lists {
        fetchers.push(("fetchStatusList", lists));
    }
    for (name, table) in fetchers {
        js_sys::Reflect::set(&options, &JsValue::from_str(name), &fetcher(table)).unwrap();
    }
    let input = JsValue::from_str(&prepared.input);
    let trust = prepared.trust;
    let report = fetching::verify(&input, &options, move |text, completed| {
        trust.verify_credential(text, completed)
    })
    .await;
    judge(case, report)
}

/// Options for case `id` with nothing supplied but its time and fetchers
/// that serve its DID documents, logs and status lists and record each key
/// they are asked for (in the returned array), with its input.
pub fn recording_fetchers(id: &str) -> (JsValue, js_sys::Array, String) {
    let manifest: Value = serde_json::from_slice(file("manifest.json")).unwrap();
    let case = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    let prepared = prepare(case);
    let documents = prepared.documents_by_id();
    let asked = js_sys::Array::new();
    let options = js(&json!({"time": prepared.options["time"]}));
    let lists = prepared.lists.unwrap_or_default();
    for (name, table) in [
        ("fetchDidDocument", &documents),
        ("fetchDidLog", &prepared.logs),
        ("fetchStatusList", &lists),
    ] {
        let serve = js_sys::Function::new_with_args(
            "key",
            &format!(
                "this.push(key); const table = {}; return Promise.resolve(table[key] ?? null);",
                Value::Object(table.clone())
            ),
        );
        js_sys::Reflect::set(&options, &JsValue::from_str(name), &serve.bind0(&asked)).unwrap();
    }
    (options, asked, prepared.input)
}

/// The package's fetching code (`js/fetching.js`), over this module.
pub mod fetching {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/js/fetching.js")]
    extern "C" {
        #[wasm_bindgen(js_name = verifyFetching)]
        fn verify_fetching(
            api: &JsValue,
            verify: &JsValue,
            input: &JsValue,
            options: &JsValue,
            fetched: &JsValue,
        ) -> js_sys::Promise;
    }

    /// `verifyFetching(api, verify, input, options)` with this module's
    /// `needsOf` and `checkJson`, holding nothing, as `api`: `input` verified by `verify`
    /// (given the input and the options completed by the fetchers).
    pub async fn verify(
        input: &JsValue,
        options: &JsValue,
        verify: impl Fn(JsValue, JsValue) -> Result<JsValue, JsValue> + 'static,
    ) -> Result<JsValue, JsValue> {
        verify_keeping(input, options, &JsValue::NULL, verify).await
    }

    /// The JSON text of the report `verify` gives for the text `input`,
    /// completed by the fetchers of `options`.
    pub async fn report_text(
        input: &str,
        options: &JsValue,
        verify: impl Fn(JsValue, JsValue) -> Result<JsValue, JsValue> + 'static,
    ) -> String {
        let report = self::verify(&JsValue::from_str(input), options, verify).await.unwrap();
        String::from(js_sys::JSON::stringify(&report).unwrap())
    }

    /// The same for a kept verifier: `fetched`, a `Map` of the status lists
    /// its calls fetched, kept from call to call.
    pub async fn verify_keeping(
        input: &JsValue,
        options: &JsValue,
        fetched: &JsValue,
        verify: impl Fn(JsValue, JsValue) -> Result<JsValue, JsValue> + 'static,
    ) -> Result<JsValue, JsValue> {
        let api = js_sys::Object::new();
        let needs_of = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(passerelle_wasm::needs_of);
        let check_json =
            Closure::<dyn Fn(String) -> Result<(), JsValue>>::new(|text: String| passerelle_wasm::check_json(&text));
        js_sys::Reflect::set(&api, &"needsOf".into(), needs_of.as_ref())?;
        let holds_nothing = js_sys::Function::new_no_args("return false;");
        js_sys::Reflect::set(&api, &"holds".into(), &holds_nothing)?;
        js_sys::Reflect::set(&api, &"checkJson".into(), check_json.as_ref())?;
        let verify = Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(verify);
        let report =
            wasm_bindgen_futures::JsFuture::from(verify_fetching(&api, verify.as_ref(), input, options, fetched)).await;
        drop((needs_of, check_json, verify));
        report
    }
}

/// Runs every case of the manifest with fetchers in place of supplied
/// data; panics listing the ones that differ from the expected results.
pub async fn run_all_fetching() {
    let manifest: Value = serde_json::from_slice(file("manifest.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        if let Some(why) = run_case_fetching(case).await {
            failures.push(format!("{}: {why}", case["id"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ when fetched:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Runs every case of the manifest; panics listing the ones that differ.
pub fn run_all() {
    let manifest: Value = serde_json::from_slice(file("manifest.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_case(case).map(|why| format!("{}: {why}", case["id"])))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
