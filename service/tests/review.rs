//! Defects an outside review found, each a test: what a tenant may put in
//! a credential it asks to sign, what a request may say, what the service
//! answers to malformed identifiers, methods and headers.

mod common;

use common::{permit_credential, start, Store};
use passerelle_service::http::Limits;
use serde_json::{json, Value};

fn issue_with(service: &common::Service, change: impl FnOnce(&mut Value)) -> common::Answer {
    let mut credential = permit_credential("MX-review");
    change(&mut credential);
    service.post(
        "/tenants/mines/credentials/issue",
        Some(&service.key),
        &json!({"credential": credential}).to_string(),
    )
}

#[test]
fn a_caller_cannot_date_a_credential_back_but_may_date_it_forward() {
    let service = start(Store::Sqlite, Limits::default());
    let back = issue_with(&service, |c| c["validFrom"] = "1999-01-01T00:00:00Z".into());
    assert_eq!(
        (back.status, back.body["code"].as_str()),
        (400, Some("REQUEST_INVALID")),
        "{}",
        back.text
    );
    let later = common::clock().plus_seconds(30 * 24 * 3600).to_string();
    let forward = issue_with(&service, |c| c["validFrom"] = later.clone().into());
    assert_eq!(forward.status, 201, "{}", forward.text);
    assert_eq!(forward.body["verifiableCredential"]["validFrom"], later);
    assert_eq!(service.count("credentials"), 1);
}

/// A change to a credential, and the status and code its refusal has.
type Case = (&'static str, Box<dyn FnOnce(&mut Value)>, u16, &'static str);

#[test]
fn only_bundled_contexts_and_a_bare_issuer_are_signed() {
    let service = start(Store::Sqlite, Limits::default());
    let remap = json!(["https://www.w3.org/ns/credentials/v2", {"MinesPermit": "https://corporations.canada.example/vocab#IncorporationCertificate"}]);
    let cases: Vec<Case> = vec![
        (
            "inline context remapping an allowed type",
            Box::new(move |c: &mut Value| c["@context"] = remap),
            400,
            "REQUEST_INVALID",
        ),
        (
            "remote context",
            Box::new(|c: &mut Value| {
                c["@context"] = json!([
                    "https://www.w3.org/ns/credentials/v2",
                    "https://evil.example/ctx.jsonld"
                ])
            }),
            400,
            "REQUEST_INVALID",
        ),
        (
            "v2 not first",
            Box::new(|c: &mut Value| {
                c["@context"] = json!([
                    "https://www.w3.org/ns/credentials/examples/v2",
                    "https://www.w3.org/ns/credentials/v2"
                ])
            }),
            400,
            "REQUEST_INVALID",
        ),
        (
            "issuer with a display name",
            Box::new(|c: &mut Value| c["issuer"] = json!({"id": "x", "name": "Receiver General"})),
            400,
            "REQUEST_INVALID",
        ),
        (
            "only VerifiableCredential",
            Box::new(|c: &mut Value| c["type"] = json!(["VerifiableCredential"])),
            403,
            "TYPE_NOT_ALLOWED",
        ),
    ];
    for (name, change, status, code) in cases {
        let answer = issue_with(&service, change);
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (status, Some(code)),
            "{name}: {}",
            answer.text
        );
    }
    // The tenant's own DID as a bare issuer object is fine.
    let did = passerelle_service::directory::tenant_did(&service.url, "mines");
    let bare = issue_with(&service, |c| c["issuer"] = json!({"id": did}));
    assert_eq!(bare.status, 201, "{}", bare.text);
    assert_eq!(service.count("credentials"), 1);
    // A tenant's types are terms, not phrases or IRIs.
    for bad in ["A B", "https://x.example/T", "", "9Lives"] {
        let types = vec![bad.to_owned()];
        let new = passerelle_service::admin::NewTenant {
            id: "other",
            types: &types,
            algorithm: passerelle_service::keys::Algorithm::Ed25519,
            audit_claims: false,
            hsm: false,
            method: passerelle_service::admin::DidMethod::Web,
        };
        let refused = service.runtime.block_on(passerelle_service::admin::create_tenant(
            &service.db,
            &service.keys(),
            &service.url,
            &new,
            common::clock(),
        ));
        assert!(refused.is_err(), "type {bad:?} accepted");
    }
}

#[test]
fn a_status_request_naming_another_entry_is_refused() {
    let service = start(Store::Sqlite, Limits::default());
    let credential = service.issued("MX-entry");
    let id = credential["id"].as_str().unwrap();
    let body = json!({
        "credentialId": id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1", "id": "https://evil.example/x"},
        "status": true,
    });
    let refused = service.post(
        "/tenants/mines/credentials/status",
        Some(&service.key),
        &body.to_string(),
    );
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (409, Some("STATUS_CHANGE_INVALID")),
        "{}",
        refused.text
    );
    assert_eq!(service.verify(&credential, "en").status, 200, "nothing was revoked");
    let entry = credential["credentialStatus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["statusPurpose"] == "revocation")
        .unwrap()
        .clone();
    let exact = json!({
        "credentialId": id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": entry["statusListIndex"], "id": entry["id"], "statusListCredential": entry["statusListCredential"]},
        "status": true,
    });
    assert_eq!(
        service
            .post(
                "/tenants/mines/credentials/status",
                Some(&service.key),
                &exact.to_string()
            )
            .status,
        200
    );
    assert_eq!(service.verify(&credential, "en").body["code"], "CREDENTIAL_REVOKED");
}

#[test]
fn verify_options_routes_and_methods_answer_with_problems() {
    let service = start(Store::Sqlite, Limits::default());
    let credential = service.issued("MX-verify");
    let body = json!({"verifiableCredential": credential, "options": {"returnResults": "x"}}).to_string();
    let refused = service.post("/credentials/verify", None, &body);
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (400, Some("REQUEST_INVALID"))
    );
    let plain = json!({"verifiableCredential": credential}).to_string();
    assert_eq!(
        service.post("/tenants/mines/credentials/verify", None, &plain).status,
        200
    );
    let unknown = service.post("/tenants/nope/credentials/verify", None, &plain);
    assert_eq!(
        (unknown.status, unknown.body["code"].as_str()),
        (404, Some("TENANT_UNKNOWN"))
    );
    for path in ["/credentials/verify", "/tenants/mines/credentials/issue"] {
        let wrong = service.get(path, &[]);
        assert_eq!(wrong.status, 405, "{path}");
        assert_eq!(wrong.content_type, "application/problem+json", "{path}");
    }
}

#[test]
fn identifiers_take_a_did_as_written_and_refuse_invalid_ones_with_400() {
    let service = start(Store::Sqlite, Limits::default());
    let did = passerelle_service::directory::tenant_did(&service.url, "mines");
    assert!(did.contains("%3A"), "{did}");
    let resolved = service.get(&format!("/1.0/identifiers/{did}"), &[]);
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    assert_eq!(resolved.body["didDocument"]["id"], did);
    let twice = service.get(&format!("/1.0/identifiers/{}", did.replace('%', "%25")), &[]);
    assert_eq!(twice.status, 200);
    for bad in [
        "did:key:zzzz",
        "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6ImFiYyJ9",
    ] {
        let answer = service.get(&format!("/1.0/identifiers/{bad}"), &[]);
        assert_eq!(answer.status, 400, "{bad}: {}", answer.text);
    }
}

#[test]
fn two_authorization_headers_are_refused_and_request_ids_cannot_forge_log_fields() {
    let service = start(Store::Sqlite, Limits::default());
    let address = service.url.trim_start_matches("http://").to_owned();
    let body = json!({"credential": permit_credential("MX-two")}).to_string();
    for (first, second) in [(service.key.as_str(), "psk_bad"), ("psk_bad", service.key.as_str())] {
        let request = format!(
            "POST /tenants/mines/credentials/issue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {first}\r\nAuthorization: Bearer {second}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let answer = raw(&address, &request);
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        assert!(answer.contains("AUTH_INVALID"), "{answer}");
    }
    let answer = raw(
        &address,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: a status=500 path=/admin\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(!answer.contains("status=500"), "{answer}");
    assert_eq!(service.count("credentials"), 0);
}

fn raw(address: &str, request: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[cfg(unix)]
#[test]
fn the_database_folder_is_its_owners_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let scratch = common::Scratch::new("perms");
    let folder = scratch.0.join("data");
    let url = format!("sqlite://{}/state.db", folder.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(passerelle_service::db::Db::connect(&url)).unwrap();
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn list_etags_match_as_http_says_and_a_list_has_one_url() {
    let service = start(Store::Sqlite, Limits::default());
    let credential = service.issued("MX-etag");
    let url = credential["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url.strip_prefix(&service.url).unwrap().to_owned();
    let etag = service.get(&path, &[]).etag.unwrap();
    for tag in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"other\", {etag}"),
        "*".to_owned(),
    ] {
        assert_eq!(service.get(&path, &[("if-none-match", &tag)]).status, 304, "{tag}");
    }
    assert_eq!(service.get(&path, &[("if-none-match", "\"other\"")]).status, 200);
    let (prefix, seq) = path.rsplit_once('/').unwrap();
    for other in [format!("0{seq}"), format!("+{seq}")] {
        assert_eq!(service.get(&format!("{prefix}/{other}"), &[]).status, 404, "{other}");
    }
}

#[test]
fn a_revoked_api_key_is_refused() {
    let service = start(Store::Sqlite, Limits::default());
    let key = service.api_key("mines", &[passerelle_service::auth::Scope::Issue], "laptop");
    let revoked = service
        .runtime
        .block_on(service.db.revoke_api_keys("mines", "laptop"))
        .unwrap();
    assert_eq!(revoked, 1);
    let body = json!({"credential": permit_credential("MX-revoked-key")}).to_string();
    let answer = service.post("/tenants/mines/credentials/issue", Some(&key), &body);
    assert_eq!(
        (answer.status, answer.body["code"].as_str()),
        (401, Some("AUTH_INVALID"))
    );
}

/// An outside review found no way to take a stolen key out of use: after
/// a rotation the old key stayed in `assertionMethod` for ever.
#[test]
fn a_retired_key_leaves_the_did_document_and_what_it_signed_stops_verifying() {
    let service = start(Store::Sqlite, Limits::default());
    let old = service.issued("MX-old-key");
    let keys = service.keys();
    let rotate = || {
        let rotation = passerelle_service::admin::rotate_key(
            &service.db,
            &keys,
            "mines",
            passerelle_service::keys::Algorithm::Ed25519,
            false,
            "test",
            common::clock(),
        );
        service.runtime.block_on(rotation).unwrap();
    };
    let refused = service.runtime.block_on(passerelle_service::admin::retire_key(
        &service.db,
        &keys,
        "mines",
        "key-1",
        "test",
        common::clock(),
    ));
    assert!(refused.is_err(), "the signing key cannot be retired");
    rotate();
    service
        .runtime
        .block_on(passerelle_service::admin::retire_key(
            &service.db,
            &keys,
            "mines",
            "key-1",
            "test",
            common::clock(),
        ))
        .unwrap();
    let refused = service.verify(&old, "en");
    assert_eq!(refused.status, 400, "{}", refused.text);
    let document = service.get("/tenants/mines/did.json", &[]);
    let methods = document.body["verificationMethod"].as_array().unwrap();
    assert_eq!(methods.len(), 1);
    assert!(methods[0]["id"].as_str().unwrap().ends_with("#key-2"));
    std::thread::sleep(std::time::Duration::from_millis(1100)); // issuance picks up the rotation
    let new = service.issued("MX-new-key");
    assert_eq!(service.verify(&new, "en").status, 200);
    let audit = service.runtime.block_on(service.db.audit("mines")).unwrap();
    assert!(audit.iter().any(|line| line.action == "retire-key key-1"));
    // A later rotation must not bring the retired key back (an outside
    // review saw key-1 return to the document, and what it signed verify).
    rotate();
    std::thread::sleep(std::time::Duration::from_millis(1100)); // the document is compared each second
    let document = service.get("/tenants/mines/did.json", &[]);
    let ids: Vec<&str> = (document.body["verificationMethod"].as_array().unwrap().iter())
        .map(|method| method["id"].as_str().unwrap().rsplit('#').next().unwrap())
        .collect();
    assert_eq!(ids, ["key-2", "key-3"], "{}", document.text);
    assert_eq!(service.verify(&old, "en").status, 400);
}
