//! `/openapi.json` describes the service as it is: every path it names
//! answers (is not the fallback), and every route of the router is in it.

mod common;

use std::collections::BTreeSet;

use common::{start, Store};
use passerelle_service::http::Limits;
use serde_json::Value;

fn document() -> Value {
    serde_json::from_str(passerelle_service::openapi::DOCUMENT).unwrap()
}

/// The routes `router()` declares, read from its source (nested tenant
/// routes under `/tenants/{tenant}`).
fn routes_in_source() -> BTreeSet<String> {
    let source = include_str!("../src/lib.rs");
    let start = source.find("pub fn router(").unwrap();
    let body = &source[start..];
    let nested_end = body.find(".nest(").unwrap();
    let mut routes = BTreeSet::new();
    for (at, _) in body.match_indices(".route(\"") {
        let path = &body[at + 8..];
        let path = &path[..path.find('"').unwrap()];
        if at < nested_end {
            routes.insert(format!("/tenants/{{tenant}}{path}"));
        } else {
            routes.insert(path.to_owned());
        }
    }
    routes
}

#[test]
fn the_document_names_every_route_and_only_those() {
    let document = document();
    assert_eq!(document["openapi"], "3.0.3");
    let documented: BTreeSet<String> = document["paths"].as_object().unwrap().keys().cloned().collect();
    let declared = routes_in_source();
    assert!(declared.len() >= 14, "{declared:?}");
    assert_eq!(documented, declared);
}

#[test]
fn every_documented_operation_answers_and_the_document_is_served() {
    let service = start(Store::Sqlite, Limits::default());
    let document = document();
    for (path, item) in document["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{tenant}", "mines")
            .replace("{purpose}", "revocation")
            .replace("{seq}", "1")
            .replace("{id}", "urn%3Auuid%3A0")
            .replace("{did}", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        for method in item.as_object().unwrap().keys() {
            let answer = match method.as_str() {
                "get" => service.get(&concrete, &[]),
                "post" => service.post(&concrete, None, "{}"),
                "put" => service.put(&concrete, None, "{}"),
                other => panic!("{path}: method {other}"),
            };
            let fallback = answer.body["code"] == "NOT_FOUND" && answer.body["detail"] == "no endpoint at this path";
            assert!(!fallback, "{method} {path} is documented but not routed");
            assert_ne!(answer.status, 405, "{method} {path}");
        }
    }
    let served = service.get("/openapi.json", &[]);
    assert_eq!(served.status, 200);
    assert_eq!(served.body, document);
}
