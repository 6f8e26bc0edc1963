//! The whole test-vector manifest through the wasm API, in node.

#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn every_test_vector_gives_the_native_verdict_and_codes_in_node() {
    common::run_all();
}

#[wasm_bindgen_test]
async fn every_test_vector_gives_the_same_results_when_its_data_is_fetched() {
    common::run_all_fetching().await;
}

#[wasm_bindgen_test]
fn every_test_vector_gives_the_same_results_through_a_kept_verifier() {
    common::run_all_kept();
}

fn code_of(error: &wasm_bindgen::JsValue) -> Option<String> {
    js_sys::Reflect::get(error, &wasm_bindgen::JsValue::from_str("code"))
        .unwrap()
        .as_string()
}

#[wasm_bindgen_test]
fn a_misspelt_option_is_refused_not_ignored() {
    use wasm_bindgen::JsValue;
    let presentation = common::text("cases/vp-valid.json");
    let verifier = passerelle_wasm::PasserelleVerifier::new(JsValue::UNDEFINED).unwrap();
    for options in [
        r#"{"challange": "abc"}"#,
        r#"{"statusPolicy": {"skipWithoutSourse": true}}"#,
        r#"{"cryptosuites": ["eddsa-jcs-2023"]}"#,
    ] {
        let given = || js_sys::JSON::parse(options).unwrap();
        let input = || JsValue::from_str(&presentation);
        for refused in [
            passerelle_wasm::verify_presentation(input(), given()),
            passerelle_wasm::verify_credential(input(), given()),
            verifier.verify_presentation(input(), given()),
        ] {
            let error = refused.expect_err(options);
            assert_eq!(code_of(&error).as_deref(), Some("OPTION_UNKNOWN"), "{options}");
        }
    }
    // A misspelt fetcher is refused too, though JSON would drop a function.
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"fetchStatusLists".into(), &js_sys::Function::new_no_args("")).unwrap();
    let error = passerelle_wasm::verify_credential("{}".into(), options.into()).unwrap_err();
    assert_eq!(code_of(&error).as_deref(), Some("OPTION_UNKNOWN"));
    // Keys of the verifier's making are not options of a call.
    let error = verifier
        .verify_credential("{}".into(), js_sys::JSON::parse(r#"{"trustAnchors": []}"#).unwrap())
        .unwrap_err();
    assert_eq!(code_of(&error).as_deref(), Some("OPTION_UNKNOWN"));
    let error = passerelle_wasm::PasserelleVerifier::new(js_sys::JSON::parse(r#"{"anchors": []}"#).unwrap())
        .err()
        .unwrap();
    assert_eq!(code_of(&error).as_deref(), Some("OPTION_UNKNOWN"));
}

#[wasm_bindgen_test]
fn a_kept_verifier_with_trust_anchors_serves_many_verifications() {
    // A verifier must not be consumed by a verification, nor lose its trust inputs.
    let inputs =
        js_sys::JSON::parse(r#"{"trustAnchors": ["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]}"#)
            .unwrap();
    let verifier = passerelle_wasm::PasserelleVerifier::new(inputs).unwrap();
    let credential = wasm_bindgen::JsValue::from_str(&common::text("cases/vc-valid-did-key.json"));
    let time = || js_sys::JSON::parse(r#"{"time": "2026-06-01T12:00:00Z"}"#).unwrap();
    for _ in 0..3 {
        let report = verifier.verify_credential(credential.clone(), time()).unwrap();
        let text = String::from(js_sys::JSON::stringify(&report).unwrap());
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        let trust = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "trust");
        // The anchor has no snapshot, so it authorizes no issuer: the trust
        // check runs (it is not skipped) and fails.
        assert_eq!(
            trust.map(|c| &c["outcome"]),
            Some(&serde_json::json!("failed")),
            "{text}"
        );
    }
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
    for (policy, expected) in [
        (r#"{"statusPolicy": {"skipWithoutSourse": true}}"#, "OPTION_UNKNOWN"),
        (r#"{"statusPolicy": {"acceptUnknownTypes": "yes"}}"#, "OPTION_INVALID"),
        (r#"{"statusPolicy": true}"#, "OPTION_INVALID"),
        (r#"{"challenge": 5}"#, "OPTION_INVALID"),
        (r#"{"didDocuments": {}}"#, "OPTION_INVALID"),
        (r#"{"statusLists": {"https://s.example/1": 5}}"#, "OPTION_INVALID"),
        (r#"[]"#, "OPTION_INVALID"),
    ] {
        let bad_policy =
            passerelle_wasm::verify_credential("{}".into(), js_sys::JSON::parse(policy).unwrap()).unwrap_err();
        let code = js_sys::Reflect::get(&bad_policy, &wasm_bindgen::JsValue::from_str("code")).unwrap();
        assert_eq!(code.as_string().as_deref(), Some(expected), "{policy}");
    }
}

#[wasm_bindgen_test]
async fn fetchers_are_asked_for_what_is_missing_and_a_failing_one_gives_a_failed_check() {
    use wasm_bindgen::JsValue;
    let permit = common::text("registry/cases/registry-bc-mines-act-permit.json");
    // Every fetcher records what it is asked for, then fails.
    let asked = js_sys::Array::new();
    let failing =
        js_sys::Function::new_with_args("key", "this.push(key); return Promise.reject(new Error('offline'));");
    let failing = failing.bind0(&asked);
    let options = js_sys::JSON::parse(r#"{"time": "2026-11-23T12:00:00Z"}"#).unwrap();
    for name in ["fetchDidDocument", "fetchDidLog", "fetchStatusList"] {
        js_sys::Reflect::set(&options, &JsValue::from_str(name), &failing).unwrap();
    }
    let permit = JsValue::from_str(&permit);
    let report = common::fetching::verify(&permit, &options, passerelle_wasm::verify_credential)
        .await
        .unwrap();
    let asked: Vec<String> = asked.iter().filter_map(|k| k.as_string()).collect();
    assert!(
        asked.contains(&"did:web:mines.gov.bc.passerelle.example".to_owned()),
        "{asked:?}"
    );
    // Without its signer's document the proof fails: its status lists are
    // not asked for.
    assert!(!asked.iter().any(|k| k.contains("/status/")), "{asked:?}");
    let text = String::from(js_sys::JSON::stringify(&report).unwrap());
    assert!(text.contains("\"verified\":false"), "{text}");
    assert!(text.contains("DID_NOT_FOUND"), "{text}");
}

/// Review: a forged credential (its proof fails) must not make the page's
/// fetcher call the status list URLs it names; the genuine one gets its
/// lists fetched, each once, and verifies.
#[wasm_bindgen_test]
async fn status_lists_are_fetched_only_for_a_credential_whose_signature_held() {
    let lists = |asked: &js_sys::Array| -> Vec<String> {
        asked
            .iter()
            .filter_map(|k| k.as_string())
            .filter(|k| k.contains("/status/"))
            .collect()
    };
    let (options, asked, permit) = common::recording_fetchers("registry-bc-mines-act-permit");
    let text = common::fetching::report_text(&permit, &options, passerelle_wasm::verify_credential).await;
    assert!(text.contains("\"verified\":true"), "{text}");
    let mut fetched = lists(&asked);
    fetched.sort();
    assert_eq!(
        fetched,
        [
            "https://mines.gov.bc.passerelle.example/status/revocation-1",
            "https://mines.gov.bc.passerelle.example/status/suspension-1"
        ]
    );

    let (options, asked, permit) = common::recording_fetchers("registry-bc-mines-act-permit");
    let forged = permit.replace("Fictional Creek", "Forged Creek");
    assert_ne!(forged, permit);
    let text = common::fetching::report_text(&forged, &options, passerelle_wasm::verify_credential).await;
    assert!(text.contains("PROOF_SIGNATURE_INVALID"), "{text}");
    assert_eq!(lists(&asked), Vec::<String>::new());
}

#[cfg(feature = "rdfc")]
#[wasm_bindgen_test]
fn an_rdfc_credential_verifies_with_a_context_given_in_the_options() {
    use wasm_bindgen::JsValue;
    // The demo's context under another URL: the same RDF, so the same signature.
    let credential = common::text("cases/rdfc-valid-eddsa.json").replace(
        "https://passerelle.example/contexts/canada/v1",
        "https://contexts.example/canada",
    );
    let context = common::text("contexts/passerelle.example/contexts/canada/v1");
    let without = js_sys::JSON::parse(r#"{"time": "2026-06-01T12:00:00Z"}"#).unwrap();
    let report = passerelle_wasm::verify_credential(JsValue::from_str(&credential), without).unwrap();
    let text = String::from(js_sys::JSON::stringify(&report).unwrap());
    assert!(text.contains("CONTEXT_UNKNOWN"), "{text}");

    let with = js_sys::JSON::parse(r#"{"time": "2026-06-01T12:00:00Z", "contexts": {}}"#).unwrap();
    let contexts = js_sys::Reflect::get(&with, &JsValue::from_str("contexts")).unwrap();
    js_sys::Reflect::set(
        &contexts,
        &JsValue::from_str("https://contexts.example/canada"),
        &JsValue::from_str(&context),
    )
    .unwrap();
    let report = passerelle_wasm::verify_credential(JsValue::from_str(&credential), with).unwrap();
    let verified = js_sys::Reflect::get(&report, &JsValue::from_str("verified")).unwrap();
    let text = String::from(js_sys::JSON::stringify(&report).unwrap());
    assert_eq!(verified.as_bool(), Some(true), "{text}");
}

/// Review: a fetched DID document counts only for the DID it was fetched
/// for. A presentation whose holder is an attacker's did:web gets the
/// attacker's document fetched first; if its `id` named the permit's
/// issuer, it stood in for the issuer's own document (which was then not
/// fetched), and a credential signed with the attacker's key would verify.
#[wasm_bindgen_test]
async fn a_fetched_did_document_naming_another_did_is_not_used() {
    use wasm_bindgen::JsValue;
    let permit: serde_json::Value =
        serde_json::from_str(&common::text("registry/cases/registry-bc-mines-act-permit.json")).unwrap();
    let mines: serde_json::Value =
        serde_json::from_str(&common::text("registry/dids/mines.gov.bc.passerelle.example.json")).unwrap();
    let mut impostor = mines.clone();
    // The issuer's DID, with a key that is not the issuer's.
    impostor["verificationMethod"][0]["publicKeyMultibase"] =
        serde_json::json!("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    let presentation = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
        "verifiableCredential": [permit],
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "proofPurpose": "authentication",
            "verificationMethod": "did:web:attacker.example#key-1", "proofValue": "z3yN"}});
    let served =
        serde_json::json!({"did:web:attacker.example": impostor, "did:web:mines.gov.bc.passerelle.example": mines});
    let options = js_sys::JSON::parse(r#"{"time": "2026-11-23T12:00:00Z"}"#).unwrap();
    let fetch = js_sys::Function::new_with_args("did", &format!("return Promise.resolve(({served})[did] ?? null);"));
    js_sys::Reflect::set(&options, &JsValue::from_str("fetchDidDocument"), &fetch).unwrap();
    let report = common::fetching::verify(
        &JsValue::from_str(&presentation.to_string()),
        &options,
        passerelle_wasm::verify_presentation,
    )
    .await
    .unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&String::from(js_sys::JSON::stringify(&report).unwrap())).unwrap();
    let proof = report["credentials"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "proof")
        .unwrap();
    assert_eq!(proof["outcome"], "passed", "{report}");
}

/// Review: a `PasserelleVerifier` fetches a status list again once the one
/// it fetched is past its time to live (300 s here), rather than reading
/// the old one for good.
#[wasm_bindgen_test]
async fn a_kept_verifier_fetches_a_list_again_after_its_time_to_live() {
    use std::rc::Rc;
    use wasm_bindgen::JsValue;
    let (options, asked, credential) = common::recording_fetchers("status-good-standing");
    let made = js_sys::JSON::parse(r#"{"time": "2026-06-01T12:00:00Z"}"#).unwrap();
    let verifier = Rc::new(passerelle_wasm::PasserelleVerifier::new(made).unwrap());
    let fetched: JsValue = js_sys::Map::new().into();
    let mut counts = Vec::new();
    for time in ["2026-06-01T12:00:00Z", "2026-06-01T12:04:00Z", "2026-06-01T12:10:00Z"] {
        js_sys::Reflect::set(&options, &JsValue::from_str("time"), &JsValue::from_str(time)).unwrap();
        let kept = Rc::clone(&verifier);
        let report = common::fetching::verify_keeping(
            &JsValue::from_str(&credential),
            &options,
            &fetched,
            move |text, given| kept.verify_credential(text, given),
        )
        .await
        .unwrap();
        let text = String::from(js_sys::JSON::stringify(&report).unwrap());
        assert!(text.contains("\"verified\":true"), "{time}: {text}");
        counts.push(asked.length());
    }
    // Two lists at first, none within the five minutes, both again after.
    assert_eq!(counts, [2, 2, 4]);
}

/// Review: a DID document the page gives as JSON text counts as given: it
/// is not fetched, nor replaced by what the network returns.
#[wasm_bindgen_test]
async fn a_did_document_given_as_text_is_not_fetched() {
    use wasm_bindgen::JsValue;
    let (options, asked, permit) = common::recording_fetchers("registry-bc-mines-act-permit");
    let given = js_sys::Array::of1(&JsValue::from_str(&common::text(
        "registry/dids/mines.gov.bc.passerelle.example.json",
    )));
    js_sys::Reflect::set(&options, &JsValue::from_str("didDocuments"), &given).unwrap();
    let text = common::fetching::report_text(&permit, &options, passerelle_wasm::verify_credential).await;
    assert!(text.contains("\"verified\":true"), "{text}");
    let asked: Vec<String> = asked.iter().filter_map(|k| k.as_string()).collect();
    assert!(!asked.iter().any(|k| k.starts_with("did:")), "{asked:?}");
}
