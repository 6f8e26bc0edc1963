//! The whole test-vector manifest through the wasm API, in headless Chromium.

#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_test_vector_gives_the_native_verdict_and_codes_in_chromium() {
    common::run_all();
}

#[wasm_bindgen_test]
async fn every_test_vector_gives_the_same_results_when_its_data_is_fetched_in_chromium() {
    common::run_all_fetching().await;
}
