//! did:webvh tenants: the log published at the URL the DID maps to and
//! verified by the library, issuance, rotation and retirement as log
//! entries, and a log changed in the database, which is neither served nor
//! verified with.

mod common;

use common::{start_with, Service, Setup, Store};
use passerelle::did::webvh::{log_url, resolve_log, verify_log, VersionQuery, WebvhLogs};
use passerelle::status::StaticStatusLists;
use passerelle::{Verifier, VerifyOptions};
use passerelle_service::admin::{self, DidMethod, NewTenant};
use passerelle_service::http::{self, Limits};
use passerelle_service::keys::{Algorithm, KeyStore};
use serde_json::Value;

/// The public URL of the tests' service: a did:webvh takes a domain name.
const PUBLIC_URL: &str = "https://issuer.gov.example";

fn start(store: Store) -> Service {
    start_with(
        store,
        Setup {
            public_url: Some(PUBLIC_URL.into()),
            method: DidMethod::Webvh,
            ..Setup::default()
        },
    )
}

fn each_store(test: impl Fn(&Service)) {
    for store in common::stores() {
        test(&start(store));
    }
}

impl Service {
    fn did(&self) -> String {
        self.runtime.block_on(self.db.tenant("mines")).unwrap().unwrap().did
    }

    fn rotate(&self) -> String {
        self.runtime
            .block_on(admin::rotate_key(
                &self.db,
                &self.keys(),
                "mines",
                Algorithm::P256,
                false,
                "test",
                common::clock(),
            ))
            .unwrap()
    }

    fn retire(&self, key: &str) -> Result<(), admin::AdminError> {
        self.runtime.block_on(admin::retire_key(
            &self.db,
            &self.keys(),
            "mines",
            key,
            "test",
            common::clock(),
        ))
    }

    /// The log as served, checked to be what the method says it is.
    fn log(&self) -> String {
        let answer = self.get("/tenants/mines/did.jsonl", &[]);
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.content_type, "text/jsonl");
        assert_eq!(answer.cache_control.as_deref(), Some("max-age=300"));
        assert_eq!(answer.allow_origin.as_deref(), Some("*"));
        let etag = answer.etag.clone().unwrap();
        assert_eq!(
            self.get("/tenants/mines/did.jsonl", &[("if-none-match", &etag)]).status,
            304
        );
        answer.text
    }

    /// The library's verifier given the served log and lists.
    fn library_verifies(&self, log: &str, credential: &Value) -> Result<(), Vec<String>> {
        let mut logs = WebvhLogs::new();
        logs.insert(self.did(), log);
        let mut lists = StaticStatusLists::default();
        for entry in credential["credentialStatus"].as_array().unwrap() {
            let url = entry["statusListCredential"].as_str().unwrap();
            let list = self.get(url.strip_prefix(PUBLIC_URL).unwrap(), &[]);
            assert_eq!(list.status, 200, "{}", list.text);
            lists.insert(url, list.text.into_bytes());
        }
        let verifier = Verifier::new(logs).with_status(lists);
        let report =
            verifier.verify_credential_json(credential.as_object().unwrap(), &VerifyOptions::at(common::clock()));
        if report.verified() {
            Ok(())
        } else {
            Err(report
                .failures()
                .iter()
                .map(|(_, code)| code.as_str().to_owned())
                .collect())
        }
    }
}

fn method_ids(log: &str, did: &str) -> Vec<String> {
    let resolved = resolve_log(did, log, common::clock(), &VersionQuery::Latest).unwrap();
    resolved.document.json()["assertionMethod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            id.as_str()
                .unwrap()
                .strip_prefix(&format!("{did}#"))
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn a_webvh_tenant_publishes_its_log_and_rotates_and_retires_keys_in_it() {
    each_store(|service| {
        let did = service.did();
        assert!(
            did.starts_with("did:webvh:") && did.ends_with(":issuer.gov.example:tenants:mines"),
            "{did}"
        );
        assert_eq!(log_url(&did).unwrap(), format!("{PUBLIC_URL}/tenants/mines/did.jsonl"));
        let first = service.log();
        assert_eq!(first.lines().count(), 1);
        verify_log(&did, &first).unwrap();
        assert_eq!(method_ids(&first, &did), ["key-1"]);
        let parallel = service.get("/tenants/mines/did.json", &[]);
        assert_eq!(
            (parallel.status, parallel.body["code"].as_str()),
            (404, Some("NOT_FOUND"))
        );
        assert!(parallel.text.contains("did.jsonl"), "{}", parallel.text);

        let resolved = service.get(&format!("/1.0/identifiers/{did}"), &[]);
        assert_eq!(resolved.status, 200, "{}", resolved.text);
        let document = resolve_log(&did, &first, common::clock(), &VersionQuery::Latest).unwrap();
        assert_eq!(
            resolved.body["didDocument"],
            Value::Object(document.document.json().clone())
        );
        assert_eq!(resolved.body["didDocumentMetadata"]["versionId"], document.version_id);
        assert_eq!(resolved.body["didDocumentMetadata"]["ttl"], "300");

        let old = service.issued("MX-webvh-1");
        assert_eq!(old["issuer"], did);
        assert_eq!(old["proof"]["verificationMethod"], format!("{did}#key-1"));
        assert_eq!(service.verify(&old, "en").status, 200);
        service.library_verifies(&first, &old).unwrap();

        assert_eq!(service.rotate(), "key-2");
        // The instance takes the rotation up within a second.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let rotated = service.log();
        assert_eq!(rotated.lines().count(), 2);
        assert!(rotated.starts_with(&first));
        assert_eq!(method_ids(&rotated, &did), ["key-1", "key-2"]);
        let new = service.issued("MX-webvh-2");
        assert_eq!(new["proof"]["verificationMethod"], format!("{did}#key-2"));
        for credential in [&old, &new] {
            assert_eq!(service.verify(credential, "en").status, 200);
            service.library_verifies(&rotated, credential).unwrap();
        }

        let refused = service.retire("key-2").unwrap_err().to_string();
        assert!(refused.contains("rotate first"), "{refused}");
        service.retire("key-1").unwrap();
        // A verification compares the database's summary first: the
        // retirement counts at once.
        let answer = service.verify(&old, "fr");
        assert_eq!(
            (answer.status, answer.body["code"].as_str()),
            (400, Some("VERIFICATION_METHOD_NOT_FOUND")),
            "{}",
            answer.text
        );
        let retired = service.log();
        assert_eq!(retired.lines().count(), 3);
        assert_eq!(method_ids(&retired, &did), ["key-2"]);
        assert_eq!(
            service.library_verifies(&retired, &old).unwrap_err(),
            ["VERIFICATION_METHOD_NOT_FOUND"]
        );
        assert_eq!(service.verify(&new, "en").status, 200);
        service.library_verifies(&retired, &new).unwrap();
        // A later rotation keeps the retired key out of the log.
        assert_eq!(service.rotate(), "key-3");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let again = service.log();
        assert_eq!(again.lines().count(), 4);
        assert_eq!(method_ids(&again, &did), ["key-2", "key-3"]);
        assert_eq!(
            service.library_verifies(&again, &old).unwrap_err(),
            ["VERIFICATION_METHOD_NOT_FOUND"]
        );
        let answer = service.verify(&old, "en");
        assert_eq!(answer.status, 400, "{}", answer.text);
        let audit = service.runtime.block_on(service.db.audit("mines")).unwrap();
        let actions: Vec<&str> = audit.iter().map(|line| line.action.as_str()).collect();
        assert!(
            actions.contains(&"rotate-key") && actions.contains(&"retire-key key-1"),
            "{actions:?}"
        );
    });
}

/// Requests to another instance.
struct Client {
    base: String,
    key: String,
    agent: ureq::Agent,
}

impl Client {
    fn get(&self, path: &str) -> common::Answer {
        common::answer(self.agent.get(format!("{}{path}", self.base)).call())
    }

    fn post(&self, path: &str, key: Option<&str>, body: &Value, lang: &str) -> common::Answer {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .header("accept-language", lang);
        if let Some(key) = key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        common::answer(request.send(body.to_string()))
    }

    fn verify(&self, credential: &Value, lang: &str) -> common::Answer {
        let body = serde_json::json!({"verifiableCredential": credential});
        self.post("/credentials/verify", None, &body, lang)
    }

    fn issue(&self, permit: &str) -> common::Answer {
        let body = serde_json::json!({"credential": common::permit_credential(permit)});
        self.post("/tenants/mines/credentials/issue", Some(&self.key), &body, "en")
    }
}

/// Another instance on the service's database, without the tenants the
/// first one loaded: what an instance started now does.
fn second_instance(service: &Service) -> Client {
    let (base, state) = service.runtime.block_on(async {
        let state = passerelle_service::AppState::new(service.db.clone(), service.keys(), PUBLIC_URL, common::clock)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        (base, (listener, state))
    });
    let (listener, state) = state;
    service.runtime.spawn(http::serve(
        listener,
        passerelle_service::router(state),
        Limits::default(),
        None,
        std::future::pending(),
    ));
    Client {
        base,
        key: service.key.clone(),
        agent: service.agent.clone(),
    }
}

fn set_entry(service: &Service, version: i64, text: &str) {
    service.runtime.block_on(async {
        sqlx::query("UPDATE did_log_entries SET entry = $1 WHERE tenant_id = 'mines' AND version = $2")
            .bind(text)
            .bind(version)
            .execute(service.db.pool())
            .await
            .unwrap();
    });
}

fn refused_with(answer: &common::Answer, status: u16, code: &str) {
    assert_eq!(
        (answer.status, answer.body["code"].as_str()),
        (status, Some(code)),
        "{}",
        answer.text
    );
}

#[test]
fn a_log_changed_in_the_database_is_neither_served_nor_verified_with() {
    each_store(|service| {
        let credential = service.issued("MX-webvh-tampered");
        let original = service.log();
        let entry = original.trim_end().to_owned();
        let did = service.did();

        // Another key put in the document, the same length: the instance
        // keeps what it verified; an instance started now refuses the log.
        let ours = passerelle::crypto::Ed25519KeyPair::from_seed(&[66; 32]);
        let document = resolve_log(&did, &original, common::clock(), &VersionQuery::Latest).unwrap();
        let key = document.document.json()["verificationMethod"][0]["publicKeyMultibase"]
            .as_str()
            .unwrap()
            .to_owned();
        let theirs = entry.replace(&key, ours.public_key_multibase().as_ref());
        assert_eq!(theirs.len(), entry.len());
        set_entry(service, 1, &theirs);
        assert_eq!(service.log(), original);
        let restarted = second_instance(service);
        refused_with(&restarted.get("/tenants/mines/did.jsonl"), 503, "DID_LOG_INVALID");
        let answer = restarted.verify(&credential, "fr");
        refused_with(&answer, 400, "DID_LOG_INVALID");
        assert_eq!(
            answer.body["title"],
            "Le journal d’historique du DID est invalide ou a été altéré."
        );
        refused_with(&restarted.issue("MX-webvh-refused"), 503, "DID_LOG_INVALID");
        let resolved = restarted.get(&format!("/1.0/identifiers/{did}"));
        assert_eq!(resolved.status, 400, "{}", resolved.text);
        assert_eq!(resolved.body["didResolutionMetadata"]["error"], "invalidDid");

        // A change of the log's length reaches the running instance at its
        // next verification; putting the entry back makes the tenant whole.
        set_entry(service, 1, &entry.replace("\"Multikey\"", "\"JsonWebKey\""));
        refused_with(&service.verify(&credential, "en"), 400, "DID_LOG_INVALID");
        refused_with(&service.get("/tenants/mines/did.jsonl", &[]), 503, "DID_LOG_INVALID");
        set_entry(service, 1, &entry);
        assert_eq!(service.verify(&credential, "en").status, 200);
        assert_eq!(service.log(), original);

        // A key retired in the database without a log entry would stay
        // published: the log no longer matches the keys, and is refused.
        service.runtime.block_on(async {
            sqlx::query("UPDATE tenant_keys SET active = -1 WHERE tenant_id = 'mines'")
                .execute(service.db.pool())
                .await
                .unwrap();
        });
        let answer = service.verify(&credential, "en");
        refused_with(&answer, 400, "DID_LOG_INVALID");
        assert!(answer.text.contains("without a log entry"), "{}", answer.text);
    });
}

#[test]
fn a_did_webvh_needs_a_domain_name_and_the_command_line_makes_one() {
    // The harness's public URL is a loopback address: refused, nothing written.
    let service = common::start(Store::Sqlite, Limits::default());
    let types = vec!["IncorporationCertificate".to_owned()];
    let new = NewTenant {
        id: "registrar",
        types: &types,
        algorithm: Algorithm::Ed25519,
        audit_claims: false,
        hsm: false,
        method: DidMethod::Webvh,
    };
    let keys: KeyStore = service.keys();
    let refused = service
        .runtime
        .block_on(admin::create_tenant(
            &service.db,
            &keys,
            &service.url,
            &new,
            common::clock(),
        ))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("domain name"), "{refused}");
    assert!(service
        .runtime
        .block_on(service.db.tenant("registrar"))
        .unwrap()
        .is_none());

    // The command line: create, rotate, retire; the log holds each.
    let scratch = common::Scratch::new("webvh-cli");
    let database = format!("sqlite://{}/state.db", scratch.0.display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_passerelle-service"))
            .env("PASSERELLE_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
            .env("PASSERELLE_DATABASE", &database)
            .env("PASSERELLE_PUBLIC_URL", PUBLIC_URL)
            .env_remove("PASSERELLE_LOG")
            .args(args)
            .output()
            .unwrap()
    };
    let unknown = run(&[
        "tenant",
        "create",
        "registrar",
        "--type",
        "Charter",
        "--method",
        "webfinger",
    ]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("web or webvh"));
    let created = run(&[
        "tenant",
        "create",
        "registrar",
        "--type",
        "Charter",
        "--method",
        "webvh",
    ]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let did = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert!(did.starts_with("did:webvh:"), "{did}");
    for args in [
        &["key", "rotate", "--tenant", "registrar"][..],
        &["key", "retire", "--tenant", "registrar", "--key", "key-1"][..],
    ] {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let log = service.runtime.block_on(async {
        let db = passerelle_service::db::Db::connect(&database).await.unwrap();
        passerelle_service::webvh::jsonl(&db.did_log("registrar").await.unwrap())
    });
    assert_eq!(log.lines().count(), 3);
    assert_eq!(method_ids(&log, &did), ["key-2"]);
}
