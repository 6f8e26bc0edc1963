//! The whole test-vector manifest through the wasm API, in node.

#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn every_test_vector_gives_the_native_verdict_and_codes_in_node() {
    common::run_all();
}

#[wasm_bindgen_test]
fn a_trust_store_serves_many_verifications() {
    // A TrustStore passed to verification must not be consumed by it.
    let trust =
        passerelle_wasm::TrustStore::new(vec!["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into()]);
    for _ in 0..3 {
        let report = trust
            .verify_credential("{}".into(), wasm_bindgen::JsValue::UNDEFINED)
            .unwrap();
        let text = String::from(js_sys::JSON::stringify(&report).unwrap());
        assert!(text.contains("\"kind\":\"credential\""), "{text}");
    }
    assert_eq!(trust.anchors().len(), 1);
}

#[wasm_bindgen_test]
fn errors_are_thrown_with_their_code() {
    let error = passerelle_wasm::check_json("{\"a\":1,\"a\":2}").unwrap_err();
    let code = js_sys::Reflect::get(&error, &wasm_bindgen::JsValue::from_str("code")).unwrap();
    assert_eq!(code.as_string().as_deref(), Some("JSON_DUPLICATE_KEY"));
    assert!(wasm_bindgen::JsCast::is_instance_of::<js_sys::Error>(&error));
    let bad_time =
        passerelle_wasm::verify_credential("{}".into(), js_sys::JSON::parse(r#"{"time": "yesterday"}"#).unwrap())
            .unwrap_err();
    let code = js_sys::Reflect::get(&bad_time, &wasm_bindgen::JsValue::from_str("code")).unwrap();
    assert_eq!(code.as_string().as_deref(), Some("DATE_INVALID"));
}
