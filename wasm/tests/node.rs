//! The whole test-vector manifest through the wasm API, in node.

#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn every_test_vector_gives_the_native_verdict_and_codes_in_node() {
    common::run_all();
}

#[wasm_bindgen_test]
fn errors_are_thrown_with_their_code() {
    let error = passerelle_wasm::check_json("{\"a\":1,\"a\":2}").unwrap_err();
    let code = js_sys::Reflect::get(&error, &wasm_bindgen::JsValue::from_str("code")).unwrap();
    assert_eq!(code.as_string().as_deref(), Some("JSON_DUPLICATE_KEY"));
    assert!(wasm_bindgen::JsCast::is_instance_of::<js_sys::Error>(&error));
    let bad_time = passerelle_wasm::verify_credential(
        "{}".into(),
        js_sys::JSON::parse(r#"{"time": "yesterday"}"#).unwrap(),
        None,
    )
    .unwrap_err();
    let code = js_sys::Reflect::get(&bad_time, &wasm_bindgen::JsValue::from_str("code")).unwrap();
    assert_eq!(code.as_string().as_deref(), Some("DATE_INVALID"));
}
